/* The meeting's running order, packs and cohort discussions on other
 * areas' pages (h_meeting_pack.c, h_cohorts.c). */
#ifndef TAS_WEB_RUNNING_H
#define TAS_WEB_RUNNING_H

#include <jansson.h>

#include "service/svc.h"
#include "store/q_agenda.h"
#include "store/q_cohorts.h"
#include "web/http.h"

/* Adds to ctx the agenda's running order with time slots ("running_order"),
 * the meeting's location ("location"), and for a page the forms to move
 * items, set their minutes and add a cohort discussion. */
void running_order_json(struct req *rq, struct svc_ctx *c, int64_t meeting_id, json_t *ctx);
/* The flash message of a running-order change (?saved=...), or NULL. */
const char *running_flash(const char *saved);
/* Adds to a discussion's minutes page the actions agreed there and the
 * address to add one with the meeting chosen ("agreed_actions",
 * "add_action_href"). */
void discussion_actions_json(struct req *rq, const struct agenda_row *r, json_t *ctx);
/* Adds the meeting's location ("location") and, for a page of someone who
 * may change it, its field ("location_field") to the meeting's JSON. */
void meeting_location_json(struct req *rq, struct svc_ctx *c, int64_t meeting_id, json_t *meeting, bool can_edit);

/* JSON shapes of a cohort discussion and a cohort action (h_cohorts.c),
 * for the API and the templates alike. */
json_t *json_cohort(const struct cohort_row *k);
json_t *json_cohort_action(const struct svc_ctx *c, const struct cohort_action_row *a);

/* Adds "cohort_actions" {count, items} to a work list page or its JSON:
 * the open cohort actions the user owns, their school owns, or (for those
 * who run the team) that are overdue (svc_cohort_work).  Returns whether
 * there were any. */
bool cohort_work_json(struct req *rq, struct svc_ctx *c, json_t *out);

#endif
