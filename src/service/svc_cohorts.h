/* Use cases for a meeting's running order and packs (issue 10, item 6) and
 * for cohort discussions (issue 13, item 5).  SQL: store/q_cohorts.c.
 *
 * Running order: the agenda's items (pupils' case discussions and cohort
 * discussions, voided ones left out) in the order set by hand with "move
 * up" and "move down", else the workflow rule (reviews first, then new
 * cases, then cohorts); each item's slot runs from the meeting's start
 * for its minutes (core/agenda_time.c).
 *
 * Cohort discussions name no child (the description is checked:
 * cohort_text_check, and against the names of the team's pupils), so they
 * are not case records: whoever may see the meeting (ACT_VIEW on RES_TEAM)
 * may see them and their actions; whoever may change the agenda may add
 * them, record their minutes, add and void their actions; an action's
 * status may also be changed by the practitioner who owns it. */
#ifndef TAS_SERVICE_SVC_COHORTS_H
#define TAS_SERVICE_SVC_COHORTS_H

#include "core/agenda_time.h"
#include "core/errors.h"
#include "service/svc.h"
#include "store/q_agenda.h"
#include "store/q_cohorts.h"
#include "store/q_reference.h"

struct running_item {
    enum agenda_kind kind;
    int64_t id;                   /* the discussion's or the cohort discussion's */
    bool visible;                 /* false: a pupil the user may not see (no detail given) */
    int minutes;                  /* the slot's length */
    bool minutes_set;             /* false: the default for the kind */
    char start[6], end[6];        /* "HH:MM" */
    const struct agenda_row *disc;     /* a visible case discussion, else NULL */
    const struct cohort_row *cohort;   /* a cohort discussion, else NULL */
};

struct running_view {
    struct meeting_brief meeting;
    char location[MEETING_LOCATION_MAX];   /* "" not recorded */
    bool location_own;                     /* this meeting's own, not the team's */
    size_t n;
    struct running_item *items;            /* in running order */
    size_t hidden;                         /* items about pupils the user may not see */
    char end[6];                           /* when the last item ends ("" no items) */
    bool may_edit;                         /* may change the agenda (order, times, cohorts) */
    /* owned storage */
    struct agenda_row *discs;
    size_t ndiscs;
    struct cohort_row *cohorts;
    size_t ncohorts;
};

/* Fills out (free with svc_running_free).  Checks ACT_VIEW on the meeting's
 * team (hidden: SVC_NOT_FOUND); a case the user may not view is an item
 * with visible false and no disc. */
enum svc_status svc_running_get(struct svc_ctx *c, int64_t meeting_id, struct running_view *out);
void svc_running_free(struct running_view *v);

/* item: "d-ID" (a discussion) or "c-ID" (a cohort discussion) of this
 * meeting, not voided; dir "up" or "down".  Checks ACT_VIEW (hidden:
 * SVC_NOT_FOUND) and the right to change the agenda (SVC_FORBIDDEN); an
 * unknown item or direction, or the first moved up: field error "item". */
enum svc_status svc_running_move(struct svc_ctx *c, int64_t meeting_id, const char *item, const char *dir,
                                 struct field_errors *errs);
/* minutes: 1 to 240, or "" for the default.  Checks as svc_running_move;
 * field error "minutes". */
enum svc_status svc_running_minutes(struct svc_ctx *c, int64_t meeting_id, const char *item, const char *minutes,
                                    struct field_errors *errs);
/* Where this meeting is held ("" : the team's usual place), 200 characters
 * at most.  Checks ACT_VIEW then ACT_EDIT on the team; field "location". */
enum svc_status svc_meeting_location_set(struct svc_ctx *c, int64_t meeting_id, const char *location,
                                         struct field_errors *errs);
/* The meeting's location (its own, else its team's; "" not recorded).  No
 * policy: the caller has read the meeting. */
void svc_meeting_location(struct svc_ctx *c, int64_t meeting_id, char *out, size_t outsz);

/* ---- cohort discussions ---- */

struct cohort_form {
    const char *description;
    const char *year_group;      /* NC year code or "" */
    const char *school_id;       /* one of the team's schools, or "" */
};

/* Sets *id.  Checks ACT_VIEW (hidden: SVC_NOT_FOUND) and the right to
 * change the agenda (SVC_FORBIDDEN); a cancelled or voided meeting, a
 * description that is not a cohort's or names one of the team's pupils,
 * an unknown year group or a school not the team's: field errors. */
enum svc_status svc_cohort_create(struct svc_ctx *c, int64_t meeting_id, const struct cohort_form *f,
                                  struct field_errors *errs, int64_t *id);
/* Checks ACT_VIEW on the meeting's team; hidden: SVC_NOT_FOUND.
 * *may_edit (may be NULL) says whether the user may change it. */
enum svc_status svc_cohort_get(struct svc_ctx *c, int64_t id, struct cohort_row *out, bool *may_edit);
/* Minutes of a held meeting only (4,000 characters); checked as the
 * description for pupils' names and UPNs.  Checks as svc_cohort_create. */
enum svc_status svc_cohort_minutes(struct svc_ctx *c, int64_t id, const char *minutes, struct field_errors *errs);
/* With a reason ("void_reason"); already voided: field error. */
enum svc_status svc_cohort_void(struct svc_ctx *c, int64_t id, const char *reason, struct field_errors *errs);

/* ---- cohort actions ---- */

struct cohort_action_form {
    const char *description;
    const char *owner_service_id;
    const char *owner_practitioner_id;
    const char *owner_name;
    const char *due_day, *due_month, *due_year;
};

/* Calls fn for the cohort discussion's actions (open first).  Checks as
 * svc_cohort_get. */
enum svc_status svc_cohort_actions(struct svc_ctx *c, int64_t cohort_id,
                                   void (*fn)(void *arg, const struct cohort_action_row *a), void *arg);
/* Sets *id.  Checks as svc_cohort_minutes (the discussion not voided), the
 * description (no pupil named), an owner (service, practitioner or name:
 * the authority's, active; a practitioner with an account must be able to
 * see the meeting) and the due date. */
enum svc_status svc_cohort_action_create(struct svc_ctx *c, int64_t cohort_id, const struct cohort_action_form *f,
                                         struct field_errors *errs, int64_t *id);
/* Checks ACT_VIEW on the meeting's team; hidden: SVC_NOT_FOUND; *may_edit
 * (may be NULL): may change its status (the agenda's editors and the
 * practitioner who owns it). */
enum svc_status svc_cohort_action_get(struct svc_ctx *c, int64_t id, struct cohort_action_row *out, bool *may_edit);
/* status open | done | not_done (a reason for not done), outcome optional. */
enum svc_status svc_cohort_action_status(struct svc_ctx *c, int64_t id, const char *status, const char *reason,
                                         const char *outcome, struct field_errors *errs);
/* Only by the agenda's editors; with a reason. */
enum svc_status svc_cohort_action_void(struct svc_ctx *c, int64_t id, const char *reason, struct field_errors *errs);
/* Changes the description, owner and due date, with the checks of
 * svc_cohort_action_create (an owner kept from before is not asked about
 * again).  Only by the agenda's editors (SVC_FORBIDDEN); a voided action
 * or discussion: field error "description". */
enum svc_status svc_cohort_action_update(struct svc_ctx *c, int64_t id, const struct cohort_action_form *f,
                                         struct field_errors *errs);
/* The authority's active services and practitioners for the action form. */
enum svc_status svc_cohort_action_choices(struct svc_ctx *c, const struct cohort_row *k,
                                          void (*svc_fn)(void *arg, const struct service_row *r),
                                          void (*prac_fn)(void *arg, const struct practitioner_row *r), void *arg);

/* Open cohort actions for the user's work list: those owned by a
 * practitioner linked to the user, those owned by a school service of a
 * school whose staff the user is (the cohort's school, else the team's
 * schools' host), and, for whoever may edit the team, those overdue; only
 * of meetings the user may see.  No list for a user who may list no team
 * (SVC_FORBIDDEN). */
enum svc_status svc_cohort_work(struct svc_ctx *c, void (*fn)(void *arg, const struct cohort_action_row *a),
                                void *arg);

/* Non-voided cohort discussions of the team's held, non-voided meetings in
 * [from, to] (the team page's count; the dashboard counts pupils and cases
 * only).  Checks ACT_VIEW on the team (hidden: SVC_NOT_FOUND). */
enum svc_status svc_cohort_count(struct svc_ctx *c, int64_t team_id, int64_t authority_id, int64_t host_school_id,
                                 const char *from, const char *to, int64_t *n);

#endif
