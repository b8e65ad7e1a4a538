/* Use cases of the AP specialist taskforces (issue 19; DfE, "Alternative
 * provision specialist taskforces (APST): implementation advice", March
 * 2024).  A taskforce is a TAS team hosted by an AP school (svc_teams
 * makes it), so its weekly case meetings are that team's meetings
 * (svc_meetings) and its members reach it through team-scope grants: the
 * Taskforce Manager a case coordinator's, each specialist with an account
 * a practitioner's.  Policy: RES_APST with the taskforce's authority, AP
 * school and team (core/policy.c); ACT_EDIT on the taskforce for anything
 * recorded inside it, ACT_EXPORT for the MI return's CSV.  A taskforce
 * (and anything in it) the user may not view answers SVC_NOT_FOUND.
 * SQL: store/q_apst.c. */
#ifndef TAS_SERVICE_SVC_APST_H
#define TAS_SERVICE_SVC_APST_H

#include <stdbool.h>

#include "core/apst.h"
#include "core/errors.h"
#include "core/stats.h"
#include "service/svc.h"
#include "store/q_apst.h"
#include "store/q_meetings.h"

/* True when the policy allows a on the taskforce; no storage. */
bool svc_apst_may(const struct svc_ctx *c, enum action a, const struct apst_taskforce_row *t);

struct apst_form {
    const char *name, *school_id, *manager_name, *manager_fte, *started_on, *weekday;
};
/* Makes the team (host: the AP school, whose phase must be "ap"; meeting
 * weekday 1-5, default Wednesday) and the taskforce; sets *id.  Checks
 * ACT_CREATE on RES_APST at the school (SVC_FORBIDDEN), then the fields
 * (name, school, manager's name, FTE 0.01-1, start date), then the team as
 * svc_team_create does. */
enum svc_status svc_apst_create(struct svc_ctx *c, const struct apst_form *f, struct field_errors *errs,
                                int64_t *id);
enum svc_status svc_apst_get(struct svc_ctx *c, int64_t id, struct apst_taskforce_row *out);
/* The taskforces the user may see, active first, by name (SVC_FORBIDDEN: none). */
enum svc_status svc_apst_list(struct svc_ctx *c, void (*fn)(void *arg, const struct apst_taskforce_row *r),
                              void *arg);
/* Schools where the user may make a taskforce: AP schools of the
 * authorities where ACT_CREATE holds, by name. */
enum svc_status svc_apst_pick_schools(struct svc_ctx *c, void (*fn)(void *arg, int64_t id, const char *name),
                                      void *arg);

struct apst_specialist_form {
    const char *kind, *name, *fte, *days_on_site, *home_service, *funding, *supervision, *starts_on, *ends_on;
    const char *username;              /* optional: their account (svc_apst_specialist_link) */
};
/* ACT_EDIT on the taskforce (SVC_FORBIDDEN); every field but home
 * service and end date required; FTE 0.01-1, days 0-5, the end not
 * before the start. */
enum svc_status svc_apst_specialist_add(struct svc_ctx *c, int64_t taskforce_id, const struct apst_specialist_form *f,
                                        struct field_errors *errs, int64_t *id);
/* A specialist and their taskforce, if the user may view it (else SVC_NOT_FOUND). */
enum svc_status svc_apst_specialist_get(struct svc_ctx *c, int64_t id, struct apst_specialist_row *out,
                                        struct apst_taskforce_row *t);
/* Records the last day in post (ends_on, required; may be ahead: notice
 * given), not before the start.  Checks as svc_apst_specialist_get, then
 * ACT_EDIT on the taskforce (SVC_FORBIDDEN). */
enum svc_status svc_apst_specialist_end(struct svc_ctx *c, int64_t id, const char *ends_on,
                                        struct field_errors *errs);
/* By kind, then name.  ACT_VIEW on t (SVC_NOT_FOUND). */
enum svc_status svc_apst_specialists(struct svc_ctx *c, const struct apst_taskforce_row *t,
                                     void (*fn)(void *arg, const struct apst_specialist_row *r), void *arg);

/* The composition on a day: types of recommended specialist in post (the
 * warning when fewer than four), FTE and head count in post. */
struct apst_composition {
    size_t types;
    bool below_minimum;
    bool seen[8];                      /* per entry of codes_apst_specialist */
    int64_t fte;                       /* hundredths, specialists in post */
    int64_t headcount;
};
enum svc_status svc_apst_composition(struct svc_ctx *c, const struct apst_taskforce_row *t, const char *day,
                                     struct apst_composition *out);

struct apst_agreement_form {
    const char *kind, *party, *signed_on, *review_on;
};
/* ACT_EDIT (SVC_FORBIDDEN); all fields required, the review not before the signing. */
enum svc_status svc_apst_agreement_add(struct svc_ctx *c, int64_t taskforce_id, const struct apst_agreement_form *f,
                                       struct field_errors *errs, int64_t *id);
/* By review date.  ACT_VIEW (SVC_NOT_FOUND). */
enum svc_status svc_apst_agreements(struct svc_ctx *c, const struct apst_taskforce_row *t,
                                    void (*fn)(void *arg, const struct apst_agreement_row *r), void *arg);

/* The consent to a taskforce referral (core/apst.h codes_apst_consent):
 * basis, who gave it, the date, the specialist types it covers (codes of
 * codes_apst_specialist), and the concern for a safeguarding basis. */
#define APST_CONSENT_KINDS_MAX 8
struct apst_consent_form {
    const char *basis, *by, *on, *note;
    const char *kinds[APST_CONSENT_KINDS_MAX];
    size_t nkinds;
};

struct apst_referral_form {
    const char *pupil_id, *upn;        /* either; the UPN is looked up */
    const char *route, *referred_on, *referrer, *reason;
    struct apst_consent_form consent;  /* optional when referring: basis "" = not yet recorded */
};
/* ACT_EDIT on the taskforce (SVC_FORBIDDEN).  The pupil must be one the
 * user may view, in the taskforce's authority: any other UPN or id,
 * existing or not, is the same field error (so nothing can be probed);
 * a pupil of another school is outreach.  Route and date required, the
 * date not after today. */
enum svc_status svc_apst_referral_create(struct svc_ctx *c, int64_t taskforce_id,
                                         const struct apst_referral_form *f, struct field_errors *errs,
                                         int64_t *id);
/* Records (replaces) the referral's consent, or its withdrawal.  Checks as
 * svc_apst_referral_get, then ACT_EDIT without staff (SVC_FORBIDDEN: not
 * specialists), then core apst_consent_check. */
enum svc_status svc_apst_referral_consent(struct svc_ctx *c, int64_t id, const struct apst_consent_form *f,
                                          struct field_errors *errs);
/* Assigns a specialist of the taskforce to the referral (as the consent). */
enum svc_status svc_apst_referral_assign(struct svc_ctx *c, int64_t id, const char *specialist_id,
                                         struct field_errors *errs);
/* The specialists assigned besides the lead.  ACT_VIEW (SVC_NOT_FOUND). */
/* Ends a specialist's assignment to the referral (checked as
 * svc_apst_referral_assign): they no longer reach the pupil through it.
 * Field error "specialist_id" when they were not assigned. */
enum svc_status svc_apst_referral_unassign(struct svc_ctx *c, int64_t id, const char *specialist_id,
                                           struct field_errors *errs);
enum svc_status svc_apst_referral_staff(struct svc_ctx *c, const struct apst_referral_row *r,
                                        void (*fn)(void *arg, const struct apst_specialist_row *s), void *arg);
/* Links a specialist's post to the account username, which must hold a
 * taskforce specialist grant (apst_specialist) on this taskforce's team
 * with the post's type as its detail ("" unlinks).  ACT_EDIT on the
 * taskforce (SVC_FORBIDDEN); field "username". */
enum svc_status svc_apst_specialist_link(struct svc_ctx *c, int64_t specialist_id, const char *username,
                                         struct field_errors *errs);

/* ACT_VIEW on its taskforce (else SVC_NOT_FOUND). */
enum svc_status svc_apst_referral_get(struct svc_ctx *c, int64_t id, struct apst_referral_row *out);
/* As svc_apst_referral_get, and records the view in the audit log. */
enum svc_status svc_apst_referral_view(struct svc_ctx *c, int64_t id, struct apst_referral_row *out);
/* triage "" any; pending first, then newest.  ACT_VIEW (SVC_NOT_FOUND);
 * the list is recorded in the audit log. */
enum svc_status svc_apst_referrals(struct svc_ctx *c, const struct apst_taskforce_row *t, const char *triage,
                                   void (*fn)(void *arg, const struct apst_referral_row *r), void *arg);

struct apst_triage_form {
    const char *triage, *threshold_met, *tier, *lead_specialist_id, *engagement, *closed_on;
};
/* Checks as svc_apst_referral_get, then ACT_EDIT (SVC_FORBIDDEN), then the
 * decision (core apst_triage_check); the lead must be a specialist of this
 * taskforce; engagement "" or a code; closed_on not before the referral,
 * not after today. */
enum svc_status svc_apst_referral_triage(struct svc_ctx *c, int64_t id, const struct apst_triage_form *f,
                                         struct field_errors *errs);

/* Weekly case meetings: the team's meetings.  Adds one (svc_meeting_add's
 * checks and errors: date, time) after ACT_EDIT on the taskforce. */
enum svc_status svc_apst_meeting_add(struct svc_ctx *c, int64_t taskforce_id, const char *date, const char *time,
                                     struct field_errors *errs, int64_t *meeting_id);
/* The taskforce's meetings, newest first (at most 100).  ACT_VIEW. */
enum svc_status svc_apst_meetings(struct svc_ctx *c, const struct apst_taskforce_row *t,
                                  void (*fn)(void *arg, const struct meeting_row *r), void *arg);
/* A meeting of a taskforce's team with its taskforce (SVC_NOT_FOUND when
 * the meeting is hidden or not a taskforce's). */
enum svc_status svc_apst_meeting_get(struct svc_ctx *c, int64_t meeting_id, struct meeting_row *m,
                                     struct apst_taskforce_row *t);

struct apst_item_form {
    const char *kind, *referral_id, *event_kind, *decision, *decided_by, *decided_by_name;
};
/* ACT_EDIT (SVC_FORBIDDEN).  A new referral or a held case names a
 * referral of this taskforce; a significant event names its kind (and
 * may name a referral); the decision and who made it are required. */
enum svc_status svc_apst_item_add(struct svc_ctx *c, int64_t meeting_id, const struct apst_item_form *f,
                                  struct field_errors *errs, int64_t *id);
/* New referrals, held cases, then events.  As svc_apst_meeting_get. */
enum svc_status svc_apst_items(struct svc_ctx *c, int64_t meeting_id,
                               void (*fn)(void *arg, const struct apst_item_row *r), void *arg);

struct apst_intervention_form {
    const char *specialist_id, *referral_id, *delivered_on, *activity, *minutes;
};
/* The taskforce's manager (ACT_EDIT on it) logs anyone's time; a
 * specialist only their own (their post's account is theirs), and about a
 * referral only one they may view (lead or assigned, with consent): else
 * SVC_FORBIDDEN.  The specialist and referral (if any) of this taskforce;
 * work with the pupil or the family names a referral; minutes 1-1440; the
 * day not after today. */
enum svc_status svc_apst_intervention_add(struct svc_ctx *c, int64_t taskforce_id,
                                          const struct apst_intervention_form *f, struct field_errors *errs,
                                          int64_t *id);
/* Whether the user may log any time here: the manager (ACT_EDIT), or a
 * specialist whose account is linked to a post of this taskforce. */
bool svc_apst_may_log(struct svc_ctx *c, const struct apst_taskforce_row *t);
enum svc_status svc_apst_interventions(struct svc_ctx *c, const struct apst_taskforce_row *t, const char *from,
                                       const char *to,
                                       void (*fn)(void *arg, const struct apst_intervention_row *r), void *arg);

/* The MI return for from..to ("YYYY-MM-DD"): two tables about pupils
 * (who was supported, and their outcomes from the outcome records) with
 * the authority's disclosure control applied (counts of pupils 1 to
 * threshold-1 shown as "c", and what would give them away; core/stats.c),
 * the hours of intervention by specialist type and by activity (time, not
 * pupils: not suppressed), and the staffing on the last day. */
enum apst_mi_table { APST_MI_PUPILS = 0, APST_MI_OUTCOMES, APST_MI__COUNT };
#define APST_MI_KINDS 8
struct apst_mi {
    char from[11], to[11];
    int threshold;
    struct apst_composition staff;
    int64_t minutes_total;
    int64_t minutes_by_kind[APST_MI_KINDS];       /* per entry of codes_apst_specialist */
    int64_t minutes_by_activity[APST_MI_KINDS];   /* per entry of codes_apst_activity */
    bool attendance_withheld;                     /* too few pupils behind the sessions */
    int64_t holiday_pupils;                       /* given holiday provision in the period */
    struct apst_cost_plan costs;                  /* the advice's averages for this size (a year) */
    struct apst_cost_compare compare;             /* planned against actual for the period */
    struct stat_table t[APST_MI__COUNT];
};
/* ACT_VIEW (SVC_NOT_FOUND), or ACT_EXPORT for export (SVC_FORBIDDEN),
 * which is recorded in the audit log.  Dates: from not after to (field
 * errors "from", "to"). */
enum svc_status svc_apst_mi(struct svc_ctx *c, int64_t taskforce_id, const char *from, const char *to, bool export_,
                            struct field_errors *errs, struct apst_mi *out);

/* Costs actually spent (item 6): one line of the advice's "Costs" table
 * (codes_apst_cost_line) for a period, in pounds.  ACT_EDIT on the
 * taskforce (SVC_FORBIDDEN); fields line, period_from, period_to (not
 * before the start), amount (0 to £10,000,000, pence allowed), note. */
struct apst_cost_form {
    const char *line, *period_from, *period_to, *amount, *note;
};
/* Void an intervention-log or cost entry recorded by mistake (migration
 * 0030): only whoever may make it may; the reason is required; an entry
 * already voided is refused (SVC_INVALID on "reason").  Audited as "void"
 * of apst_intervention or apst_cost.  *taskforce_id: the entry's. */
/* SVC_OK when the user may void the entry (*t its taskforce, *voided
 * whether it already is); SVC_NOT_FOUND or SVC_FORBIDDEN. */
enum svc_status svc_apst_may_void(struct svc_ctx *c, enum apst_voidable kind, int64_t id, struct apst_taskforce_row *t,
                                  bool *voided);
enum svc_status svc_apst_void(struct svc_ctx *c, enum apst_voidable kind, int64_t id, const char *reason,
                              struct field_errors *errs, int64_t *taskforce_id);
enum svc_status svc_apst_cost_add(struct svc_ctx *c, int64_t taskforce_id, const struct apst_cost_form *f,
                                  struct field_errors *errs, int64_t *id);
/* The entries whose period lies within from..to.  ACT_VIEW (SVC_NOT_FOUND). */
enum svc_status svc_apst_costs(struct svc_ctx *c, const struct apst_taskforce_row *t, const char *from,
                               const char *to, void (*fn)(void *arg, const struct apst_cost_row *r), void *arg);

#endif
