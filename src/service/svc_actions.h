/* Use cases for what a TAS case leads to: actions agreed for it (add,
 * edit, mark done or not done, re-open) and referrals made to services
 * (record, then their outcome).  SQL: store/q_actions.c.
 *
 * The policy is asked about RES_CASE at the pupil's school and authority:
 * seeing a case's actions needs ACT_VIEW (else "not found"), adding an
 * action or a referral ACT_CREATE, changing one ACT_EDIT.  Nothing is
 * added to a closed case (field "case": "Re-open the case to add ..."). */
#ifndef TAS_SERVICE_SVC_ACTIONS_H
#define TAS_SERVICE_SVC_ACTIONS_H

#include "core/codes.h"
#include "core/errors.h"
#include "core/workflow.h"
#include "service/svc.h"
#include "store/q_actions.h"
#include "store/q_reference.h"

/* Code lists for the forms and labels. */
extern const struct code_list action_settings;     /* school home health social_care other */
extern const struct code_list action_natures;      /* coordination ... other */
extern const struct code_list action_statuses;     /* open done not_done */
extern const struct code_list referral_outcomes;   /* pending accepted declined redirected */

/* True for the natures that need a playbook resource. */
bool action_nature_signposting(const char *nature);

/* The case, if the user may see it (else SVC_NOT_FOUND) and may do a on
 * it (else SVC_FORBIDDEN); out may be NULL when only the answer counts. */
enum svc_status svc_action_case(struct svc_ctx *c, int64_t case_id, enum action a, struct case_ref *out);

/* ---- actions ---- */

/* The action form as sent: raw values, kept to show a failed form again.
 * Ids are decimal text ("" or NULL: none); the due date is a GOV.UK date
 * input (all three blank: no due date). */
struct action_form {
    const char *description;
    const char *owner_service_id;
    const char *owner_practitioner_id;
    const char *owner_name;
    const char *setting;
    const char *nature;
    const char *resource_id;
    const char *due_day, *due_month, *due_year;
    const char *discussion_id;
};

struct action_status_form {
    const char *status;            /* open | done | not_done */
    const char *not_done_reason;   /* required for not_done */
    const char *outcome;           /* optional: what happened; NULL: unchanged */
};

/* cr (may be NULL) receives the case.
 * Returns the case's actions, open ones first by due date (none last), then closed ones most
 * recent first.  Checks ACT_VIEW on the case; a hidden or missing case: SVC_NOT_FOUND. */
enum svc_status svc_action_list(struct svc_ctx *c, int64_t case_id, struct case_ref *cr,
                                void (*fn)(void *arg, const struct action_row *a), void *arg);
/* out must point to an action_row (large: allocate it).
 * Returns the stored action, status open.  Checks ACT_CREATE on the case (hidden:
 * SVC_NOT_FOUND), the case open, the fields (description, owner, setting, nature, due date, a
 * resource for signposting) and that the named service, practitioner, resource and discussion
 * are the case authority's, active and the case's own. */
enum svc_status svc_action_create(struct svc_ctx *c, int64_t case_id, const struct action_form *f,
                                  struct field_errors *errs, struct action_row *out);
/* Returns the action and (cr, may be NULL) its case.  Checks ACT_VIEW on the case; an action of
 * a hidden case: SVC_NOT_FOUND. */
enum svc_status svc_action_get(struct svc_ctx *c, int64_t id, struct action_row *out, struct case_ref *cr);
/* Returns the action as stored.  Checks as svc_action_create, with ACT_EDIT (a visible action
 * the user may not change: SVC_FORBIDDEN); the status is kept, and an owner no longer active
 * may stay. */
enum svc_status svc_action_update(struct svc_ctx *c, int64_t id, const struct action_form *f,
                                  struct field_errors *errs, struct action_row *out);
/* Closing (done, not done) records today as closed_on; re-opening clears
 * it; the same status again keeps the day (to correct a reason).
 * Returns the action as stored.  Checks ACT_EDIT as svc_action_update and the move between
 * statuses (core/workflow.c: a reason for not done). */
enum svc_status svc_action_set_status(struct svc_ctx *c, int64_t id, const struct action_status_form *f,
                                      struct field_errors *errs, struct action_row *out);
/* Open and due before today. */
bool svc_action_is_overdue(const struct svc_ctx *c, const char *status, const char *due_on);

/* What the action and referral forms offer for a case the user may see:
 * the authority's active services, practitioners and playbook resources,
 * the case's discussions and actions.  NULL callbacks are skipped. */
struct action_choices {
    void *arg;
    void (*service)(void *arg, const struct service_row *r);
    void (*practitioner)(void *arg, const struct practitioner_row *r);
    void (*resource)(void *arg, const struct resource_row *r);
    void (*discussion)(void *arg, const struct case_discussion *d);
    void (*action)(void *arg, const struct action_row *a);
};
/* Checks ACT_VIEW on the case cr (SVC_NOT_FOUND when hidden); calls each callback given. */
enum svc_status svc_action_choices(struct svc_ctx *c, const struct case_ref *cr, const struct action_choices *ch);

/* ---- referrals ---- */

struct referral_form {
    const char *service_id;
    const char *day, *month, *year;    /* referred on */
    const char *action_id;             /* optional: the action it came from */
    const char *notes;
};

struct referral_outcome_form {
    const char *outcome;               /* pending accepted declined redirected */
    const char *day, *month, *year;    /* outcome on: required unless pending */
    const char *notes;                 /* NULL: unchanged */
    const char *close_action;          /* "yes": an accepted referral closes (done) the open
                                          action it came from */
};

/* Returns the case's referrals, most recent first.  Checks ACT_VIEW on the case; a hidden or
 * missing case: SVC_NOT_FOUND. */
enum svc_status svc_referral_list(struct svc_ctx *c, int64_t case_id, struct case_ref *cr,
                                  void (*fn)(void *arg, const struct referral_row *r), void *arg);
/* Returns the stored referral, outcome pending.  Checks ACT_CREATE on the case (hidden:
 * SVC_NOT_FOUND), the case open, the date (not in the future) and that the service is the case
 * authority's and active and the action, if any, the case's own. */
enum svc_status svc_referral_create(struct svc_ctx *c, int64_t case_id, const struct referral_form *f,
                                    struct field_errors *errs, struct referral_row *out);
/* Returns the referral and (cr, may be NULL) its case.  Checks ACT_VIEW on the case; a referral
 * of a hidden case: SVC_NOT_FOUND. */
enum svc_status svc_referral_get(struct svc_ctx *c, int64_t id, struct referral_row *out, struct case_ref *cr);
/* Returns the referral as stored.  Checks ACT_EDIT on the case (hidden: SVC_NOT_FOUND, visible
 * only: SVC_FORBIDDEN), the outcome code and its date (required unless pending, not in the
 * future). */
/* With close_action "yes" (accepted only, and only when the referral came
 * from an open action: else a field error on close_action) the action is
 * marked done on the day of the outcome, in the same transaction. */
enum svc_status svc_referral_set_outcome(struct svc_ctx *c, int64_t id, const struct referral_outcome_form *f,
                                         struct field_errors *errs, struct referral_row *out);
/* True when the referral came from an action of its case that is still
 * open (and not voided): accepting it can close that action.  No policy
 * (the caller has the referral). */
bool svc_referral_action_open(struct svc_ctx *c, const struct referral_row *r);
/* Days from referral to outcome, or to today while pending; -1 unknown. */
int64_t svc_referral_days_waited(const struct svc_ctx *c, const struct referral_row *r);

/* Days from a to b ("YYYY-MM-DD"); 0 when either is not a date. */
int64_t svc_days_between(const char *a, const char *b);

/* Voids an action, a referral, a discussion or a meeting entered by
 * mistake, with the reason, which is required.  The record stays (in the
 * case, the agenda, the chronology), shown as voided, and leaves every
 * count, work list, dashboard figure and extract; a voided meeting takes
 * its discussions and attendance out of the counts with it.  Hidden or
 * missing: SVC_NOT_FOUND; without ACT_EDIT on the case (a meeting: on its
 * team): SVC_FORBIDDEN; no reason, or already voided: SVC_INVALID (field
 * "void_reason").  *case_id receives the record's case (0 for a meeting). */
enum svc_status svc_record_void(struct svc_ctx *c, enum void_kind k, int64_t id, const char *reason,
                                struct field_errors *errs, int64_t *case_id);
/* Whether the user may void record k id now, as svc_record_void checks
 * (changing nothing): SVC_OK, SVC_NOT_FOUND, SVC_FORBIDDEN, or
 * SVC_CONFLICT when it is already voided. */
enum svc_status svc_record_void_check(struct svc_ctx *c, enum void_kind k, int64_t id, int64_t *case_id);

#endif
