/* Use cases for parental consent and TAS cases: record and withdraw
 * consent, bring a pupil to a team with the standard case summary, edit,
 * close and re-open. */
#ifndef TAS_SERVICE_SVC_CASES_H
#define TAS_SERVICE_SVC_CASES_H

#include "core/workflow.h"
#include "service/svc.h"
#include "store/q_cases.h"
#include "store/q_pupils.h"

struct consent_form {
    const char *given_by, *relationship;
    const char *given_day, *given_month, *given_year;
    const char *covers_discussion;          /* "yes" | "no" */
    size_t nservices;
    const char *const *service_ids;         /* decimal ids, as sent */
};

struct withdrawal_form {
    const char *day, *month, *year, *reason;
};

/* Returns the stored consent.  Checks ACT_VIEW on the pupil (hidden: SVC_NOT_FOUND), case-
 * record ACT_CREATE for them (SVC_FORBIDDEN), then who gave it, the relationship, the date (not
 * in the future), the discussion answer and that each service is the pupil's authority's. */
enum svc_status svc_consent_record(struct svc_ctx *c, int64_t pupil_id, const struct consent_form *f,
                                   struct field_errors *errs, struct consent_row *out);
/* Checks the consent as svc_consent_get, case-record ACT_EDIT for the pupil (SVC_FORBIDDEN),
 * that it is not already withdrawn, the date (on or after it was given) and the reason. */
enum svc_status svc_consent_withdraw(struct svc_ctx *c, int64_t consent_id,
                                     const struct withdrawal_form *f, struct field_errors *errs);
/* Returns the consent and its pupil.  Checks ACT_VIEW on the pupil and on their case records;
 * either hidden: SVC_NOT_FOUND. */
enum svc_status svc_consent_get(struct svc_ctx *c, int64_t consent_id, struct consent_row *out,
                                struct pupil_row *pupil);
/* Calls fn for the pupil's consents, latest given first.  Checks ACT_VIEW on the pupil (hidden:
 * SVC_NOT_FOUND) and on their case records (SVC_FORBIDDEN). */
enum svc_status svc_consent_list(struct svc_ctx *c, int64_t pupil_id,
                                 void (*fn)(void *arg, const struct consent_row *r), void *arg);
/* Today's verdict for discussing the pupil (service_id 0) or sharing with a
 * service.  Needs no permission beyond seeing the pupil.
 * Checks no policy: the caller has already shown the pupil to the user. */
enum svc_status svc_consent_verdict(struct svc_ctx *c, int64_t pupil_id, int64_t service_id,
                                    enum consent_verdict *v);

/* The case form as sent: every value raw, so a failed form shows again. */
struct case_form {
    const char *team_id;
    const char *needs[CASE_NEED_AREAS];
    const char *strengths, *tried, *child_voice, *parent_voice, *hoped_outcomes;
    const char *prior[CASE_PRIOR_FLAGS];     /* "yes" | "no" | "unknown" */
    const char *summary_before_meeting, *ect_completed;
};

/* Brings a pupil to a team: refused without current consent (field error on
 * team_id saying why and what to do). out must point to a case_row.
 * Checks ACT_VIEW on the pupil (hidden: SVC_NOT_FOUND), case-record ACT_CREATE for them
 * (SVC_FORBIDDEN), the team (one of the pupil's school's, active), the summary's fields, then
 * consent. */
enum svc_status svc_case_open(struct svc_ctx *c, int64_t pupil_id, const struct case_form *f,
                              struct field_errors *errs, struct case_row *out);
/* Returns the case as stored.  Checks ACT_VIEW (hidden: SVC_NOT_FOUND) then ACT_EDIT
 * (SVC_FORBIDDEN) on the case, then the form as svc_case_open (consent is not asked again). */
enum svc_status svc_case_update(struct svc_ctx *c, int64_t id, const struct case_form *f,
                                struct field_errors *errs, struct case_row *out);
/* Returns the case with its needs.  Checks ACT_VIEW on the case; hidden: SVC_NOT_FOUND. */
enum svc_status svc_case_get(struct svc_ctx *c, int64_t id, struct case_row *out);
/* As svc_case_get, then ACT_EDIT on the case (SVC_FORBIDDEN): the start of
 * every change to a case and of its forms. */
enum svc_status svc_case_get_editable(struct svc_ctx *c, int64_t id, struct case_row *out);
/* Checks the case as svc_case_update, that it is open, the reason code and the note (required
 * for 'other'). */
enum svc_status svc_case_close(struct svc_ctx *c, int64_t id, const char *reason_code,
                               const char *note, struct field_errors *errs);
/* Checks the case as svc_case_update, that it is closed, and that consent allows discussion
 * today (a field error saying why not). */
enum svc_status svc_case_reopen(struct svc_ctx *c, int64_t id, struct field_errors *errs);
/* Calls fn for one page of the cases the user may list that match f: open first, then by
 * opening date, newest first.  SVC_FORBIDDEN when they may list none. */
enum svc_status svc_case_list(struct svc_ctx *c, const struct case_filter *f, const struct page_req *pg,
                              int64_t *total, void (*fn)(void *arg, const struct case_brief *b), void *arg);
/* Completes a RES_CASE resource with the facts the policy needs: the
 * case's team and pupil (when id is set) and the services the pupil's
 * consent covers today.  On a storage error the facts stay empty, which
 * denies anyone who needs them. */
void svc_case_facts(const struct svc_ctx *c, struct resource *r);
/* May the user see/act on case records of this pupil (as a whole)? */
bool svc_case_allowed(const struct svc_ctx *c, enum action a, const struct pupil_row *p);

#endif
