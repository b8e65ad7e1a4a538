/* One JSON shape per record, used both as the API's answer and as the data
 * the HTML templates render, so the two never disagree.  A page adds its
 * own display keys (labels, tag classes) to these objects; it never builds
 * a record's shape itself.  Every function returns a new reference. */
#ifndef TAS_WEB_RECORDS_JSON_H
#define TAS_WEB_RECORDS_JSON_H

#include <jansson.h>

#include "core/codes.h"
#include "core/records.h"
#include "core/retention.h"
#include "service/svc_actions.h"
#include "service/svc_agenda.h"
#include "service/svc_audit.h"
#include "service/svc_break_glass.h"
#include "service/svc_cases.h"
#include "service/svc_evidence.h"
#include "service/svc_meetings.h"
#include "service/svc_outcomes.h"
#include "service/svc_reference.h"
#include "service/svc_teams.h"
#include "service/svc_toolkits.h"
#include "store/q_pupils.h"

/* Small values: an id > 0 or null; a non-empty string or null; a code's
 * label (the code itself when the list has none); {id, name} or null when
 * id <= 0. */
json_t *json_opt_id(int64_t id);
json_t *json_opt_str(const char *s);
json_t *json_label(const struct code_list *l, const char *code);
json_t *json_person(int64_t id, const char *name);
/* "Name (Service)", "Name" or "Service": who owns an action; the
 * practitioner's name when there is one, else the name typed. */
void json_owner_label(const char *practitioner, const char *name, const char *service, char *out, size_t n);

/* Places and people. */
json_t *json_authority(const struct authority *a);
json_t *json_school(const struct school *s);
json_t *json_pupil(const struct pupil_row *r);

/* Consent and cases (h_cases.c); the case a page is about, in brief. */
json_t *json_consent(const struct consent_row *r);

/* One outcome record (h_outcomes.c, the pupil page): dates as stored and
 * as shown, the code's label, attendance's percentage and persistent
 * absence. */
json_t *json_outcome(const struct outcome_row *r);
/* Records of json_outcome in the order given, grouped by kind in the order
 * of enum outcome_kind: [{kind, label, attendance, records: [...]}], kinds
 * without records left out.  Takes the reference to list. */
json_t *json_outcomes_by_kind(json_t *list);
/* A case's before and after (svc_outcome_compare): the windows, each
 * window's indicators, what changed, rows [{label, before, after, change}]
 * for the table and chart, the attendance pair for the inline SVG. */
json_t *json_outcome_compare(const struct outcome_compare *cmp, const char *presented, int nterms);
json_t *json_case(const struct case_row *c);
json_t *json_case_ref(const struct case_ref *cr);

/* Actions and referrals (h_actions.c): c gives today, for "overdue" and
 * the days a referral has waited. */
json_t *json_action(const struct svc_ctx *c, const struct action_row *a);
json_t *json_referral(const struct svc_ctx *c, const struct referral_row *r);

/* Teams and meetings (h_teams.c, h_meetings.c, h_agenda.c). */
json_t *json_team(const struct team_row *r);
json_t *json_meeting(const struct meeting_row *r);
json_t *json_meeting_brief(const struct meeting_brief *m);
json_t *json_agenda_item(const struct agenda_row *r);

/* Screening toolkits (h_toolkits.c, h_worklist.c): a completion as
 * stored (score and band null for a draft), and a work-list flag. */
json_t *json_toolkit_completion(const struct toolkit_completion_row *r);
/* A definition version: sections with their items and each item's answers, and the bands. */
json_t *json_toolkit_def(const struct toolkit_def *d);
json_t *json_worklist_flag(const struct worklist_flag_row *f);

/* Reference data (h_reference.c). */
json_t *json_service(const struct service_row *r);
json_t *json_practitioner(const struct practitioner_row *r);
json_t *json_resource(const struct resource_row *r);

/* Audit, retention and emergency access (h_audit.c, h_break_glass.c);
 * now decides whether an emergency access is still active. */
json_t *json_audit_entry(const struct audit_entry *e);
json_t *json_retention_rules(const struct retention_rule *rules);
json_t *json_break_glass(const struct break_glass_row *r, int64_t now);

/* {page, per_page, total, pages} plus links for the pagination partial;
 * base is the list's path and query without "page". */
json_t *json_paging(int64_t page, int64_t per_page, int64_t total, const char *base);

/* A change story as those who may see its case see it (names included). */
json_t *json_story(const struct story_row *r);
/* A released change story as evaluators see it: no name, UPN, date of
 * birth, school or case. */
json_t *json_story_released(const struct story_released *r);

#endif
