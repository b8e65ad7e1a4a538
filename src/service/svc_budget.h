/* Use cases of the pooled budget (issue 20): budget years, partners'
 * contributions, allocations to teams, commitments and payments against
 * an allocation, approvals, limits per role.  Policy: RES_BUDGET (the
 * approver keeps the pool and approves: edit; the budget holder commits
 * and pays: create; list/view/export to read).  Rules: core/budget.c.
 * Every change and every approval is recorded with svc_audit_record.
 * SQL: store/q_budget.c. */
#ifndef TAS_SERVICE_SVC_BUDGET_H
#define TAS_SERVICE_SVC_BUDGET_H

#include <stdbool.h>

#include "core/budget.h"
#include "core/errors.h"
#include "core/stats.h"
#include "service/svc.h"
#include "store/q_budget.h"

/* Whether the user may do a to the budget of an authority (team_id 0) or
 * of one team's allocation there: for pages to offer a link or a form. */
bool svc_budget_may(const struct svc_ctx *c, enum action a, int64_t authority_id, int64_t team_id);

/* The years whose pool the user may view (year_fn, newest first), and the
 * allocations they may view in any year (alloc_fn, by year then team).
 * SVC_FORBIDDEN when they may see no budget at all. */
enum svc_status svc_budget_overview(struct svc_ctx *c,
                                    void (*year_fn)(void *arg, const struct budget_year_row *r),
                                    void (*alloc_fn)(void *arg, const struct budget_allocation_row *r), void *arg);

/* A new budget year (1 April start_year to 31 March) for the authority;
 * sets *id.  ACT_EDIT on the authority's budget (SVC_FORBIDDEN); the year
 * must be a whole number 2000-2099 and not already there (field errors
 * start_year). */
enum svc_status svc_budget_year_create(struct svc_ctx *c, int64_t authority_id, const char *start_year,
                                       struct field_errors *errs, int64_t *id);
/* A year with its totals.  ACT_VIEW on the authority's budget, else
 * SVC_NOT_FOUND (as for one that does not exist). */
enum svc_status svc_budget_year_get(struct svc_ctx *c, int64_t id, struct budget_year_row *out);

struct contribution_form {
    const char *partner, *partner_name, *amount;
    const char *day, *month, *year;   /* received on */
};
/* Records money paid into a year's pool, into *out (with its id).  Checks the year as
 * svc_budget_year_get, then ACT_EDIT (SVC_FORBIDDEN), then the partner (one
 * of core/budget.h's), the name (up to 160 characters; the partner's label
 * when empty), the amount in pounds (more than 0) and a real date (field
 * errors partner, partner_name, amount, received_on). */
enum svc_status svc_budget_contribution_add(struct svc_ctx *c, int64_t year_id, const struct contribution_form *f,
                                            struct field_errors *errs, struct budget_contribution_row *out);
/* A year's contributions, by date; checked as svc_budget_year_get. */
enum svc_status svc_budget_contribution_list(struct svc_ctx *c, int64_t year_id,
                                             void (*fn)(void *arg, const struct budget_contribution_row *r),
                                             void *arg);

/* Sets a team's allocation for a year (made or changed); sets *id.  Checks
 * the year as svc_budget_year_get, then ACT_EDIT (SVC_FORBIDDEN); the team
 * must be an active team of the year's authority (field error team_id);
 * the amount pounds, 0 or more, not below what is already committed and
 * paid from it, and the year's allocations together no more than its pool
 * (field errors amount); reason at most 500 characters, required when an
 * allocation is lowered (field error reason).  Each setting is kept as a
 * row of the allocation's history, with the amount before and after. */
enum svc_status svc_budget_allocation_set(struct svc_ctx *c, int64_t year_id, int64_t team_id, const char *amount,
                                          const char *reason, struct field_errors *errs, int64_t *id);
/* An allocation's history, oldest first: checked as svc_budget_allocation_get. */
enum svc_status svc_budget_allocation_changes(struct svc_ctx *c, int64_t id,
                                              void (*fn)(void *arg, const struct budget_allocation_change_row *r),
                                              void *arg);
/* The authority's active teams, for the allocation form: ACT_EDIT on the
 * authority's budget (SVC_FORBIDDEN). */
enum svc_status svc_budget_team_list(struct svc_ctx *c, int64_t authority_id,
                                     void (*fn)(void *arg, const struct budget_team *r), void *arg);
/* One allocation: ACT_VIEW on its team's budget, else SVC_NOT_FOUND. */
enum svc_status svc_budget_allocation_get(struct svc_ctx *c, int64_t id, struct budget_allocation_row *out);
/* The allocations of a year the user may see (checked as
 * svc_budget_year_get), by team name. */
enum svc_status svc_budget_allocation_list(struct svc_ctx *c, int64_t year_id,
                                           void (*fn)(void *arg, const struct budget_allocation_row *r), void *arg);

struct commitment_form {
    const char *description, *amount;
    const char *day, *month, *year;   /* committed on */
    const char *intervention_id, *units;   /* a commissioning decision: amount = units x unit cost */
};
/* Commits spend against an allocation; with intervention_id, a
 * commissioning decision: units of an active intervention of the
 * allocation's authority (field errors intervention_id, units), whose
 * amount is units x unit cost and whose description defaults to the
 * intervention's name.  Sets *id and *needs (enum
 * budget_need bits: 0 when committed at once, else it awaits approval).
 * Checks the allocation as svc_budget_allocation_get, then ACT_CREATE on
 * its team's budget (SVC_FORBIDDEN), then the description (1-500
 * characters), the amount (pounds, more than 0), a real date inside the
 * budget year (field errors).  The user's commitment limit is the largest
 * of their roles' that allow it (budget holders: budget_limits or the
 * default; other roles: 0, so their every commitment needs approval). */
enum svc_status svc_budget_commit(struct svc_ctx *c, int64_t allocation_id, const struct commitment_form *f,
                                  struct field_errors *errs, int64_t *id, int *needs);
/* One commitment: ACT_VIEW on its team's budget, else SVC_NOT_FOUND. */
enum svc_status svc_budget_commitment_get(struct svc_ctx *c, int64_t id, struct budget_commitment_row *out);
/* An allocation's commitments, newest first (checked as
 * svc_budget_allocation_get). */
enum svc_status svc_budget_commitment_list(struct svc_ctx *c, int64_t allocation_id,
                                           void (*fn)(void *arg, const struct budget_commitment_row *r), void *arg);
/* Commitments awaiting approval that the user may decide, oldest first.
 * SVC_FORBIDDEN when they may approve nothing. */
enum svc_status svc_budget_approval_queue(struct svc_ctx *c,
                                          void (*fn)(void *arg, const struct budget_commitment_row *r), void *arg);

/* Approves ("approve") or refuses ("refuse", with a note) a pending
 * commitment.  Checks it as svc_budget_commitment_get, then ACT_EDIT on
 * its team's budget (SVC_FORBIDDEN); then (field errors decision) that it
 * is still pending, and for approval core/budget.c's
 * budget_approve_check: not one's own request, within the approval limit
 * of the user's role (budget approvers: budget_limits or the default;
 * other roles none); a refusal needs a note (field error note). */
enum svc_status svc_budget_decide(struct svc_ctx *c, int64_t id, const char *decision, const char *note,
                                  struct field_errors *errs);
enum svc_status svc_budget_approval_list(struct svc_ctx *c, int64_t commitment_id,
                                         void (*fn)(void *arg, const struct budget_approval_row *r), void *arg);

struct payment_form {
    const char *amount, *reference;
    const char *day, *month, *year;   /* paid on */
};
/* Records a payment against a commitment; sets *id.  Checks it as
 * svc_budget_commitment_get, then ACT_CREATE on its team's budget
 * (SVC_FORBIDDEN); then that it is committed (not pending, refused or
 * cancelled), that the amount is more than 0 and no more than is left of
 * the commitment, a real date not in the future, a reference of up to
 * 100 characters (field errors amount, paid_on, reference). */
enum svc_status svc_budget_pay(struct svc_ctx *c, int64_t commitment_id, const struct payment_form *f,
                               struct field_errors *errs, int64_t *id);
enum svc_status svc_budget_payment_list(struct svc_ctx *c, int64_t commitment_id,
                                        void (*fn)(void *arg, const struct budget_payment_row *r), void *arg);
/* One payment and its commitment (cm may be NULL), checked as
 * svc_budget_commitment_get: SVC_NOT_FOUND for a payment out of reach. */
enum svc_status svc_budget_payment_get(struct svc_ctx *c, int64_t id, struct budget_payment_row *out,
                                       struct budget_commitment_row *cm);
/* Voids a payment recorded by mistake (ACT_CREATE on its team's budget,
 * as recording it; SVC_FORBIDDEN): kept and marked, no longer counted as
 * paid, so the commitment has that much left again.  Field error
 * "reason" when there is none or it is already voided. */
enum svc_status svc_budget_payment_void(struct svc_ctx *c, int64_t id, const char *reason, struct field_errors *errs);

/* The limits of an authority: what a budget holder commits without
 * approval and what an approver may approve (defaults where unset).
 * ACT_VIEW on the authority's budget (SVC_FORBIDDEN). */
enum svc_status svc_budget_limits(struct svc_ctx *c, int64_t authority_id, int64_t *holder, int64_t *approver);
/* Sets both.  ACT_EDIT on the authority's budget (SVC_FORBIDDEN); amounts
 * in pounds, 0 or more (field errors holder_limit, approver_limit). */
enum svc_status svc_budget_limits_set(struct svc_ctx *c, int64_t authority_id, const char *holder,
                                      const char *approver, struct field_errors *errs);

/* ---- the interventions catalogue and placements (step 2) ---- */

struct intervention_form {
    const char *name, *provider, *unit, *unit_cost, *capacity, *eligibility;
    const char *aims[BUDGET_AIMS_MAX];
    size_t naims;
};
/* Adds an intervention to the authority's catalogue, into *out.  ACT_EDIT
 * on the authority's budget (SVC_FORBIDDEN); name and provider 1-160
 * characters, a unit of core/budget.h's, a unit cost in pounds above 0, a
 * capacity 1-10000, eligibility up to 500 characters, at least one aim of
 * core/budget.h's; a name already offered by that provider (field
 * errors). */
enum svc_status svc_intervention_create(struct svc_ctx *c, int64_t authority_id, const struct intervention_form *f,
                                        struct field_errors *errs, struct intervention_row *out);
/* The authority's catalogue: for anyone who may list its budget (a
 * team's budget holder too), else SVC_FORBIDDEN. */
enum svc_status svc_intervention_list(struct svc_ctx *c, int64_t authority_id,
                                      void (*fn)(void *arg, const struct intervention_row *r), void *arg);
/* One intervention, checked as svc_intervention_list (else SVC_NOT_FOUND). */
enum svc_status svc_intervention_get(struct svc_ctx *c, int64_t id, struct intervention_row *out);

struct placement_form {
    const char *action_id, *units_used;
    const char *sday, *smonth, *syear;   /* starts on */
    const char *eday, *emonth, *eyear;   /* ends on (optional) */
};
/* Places the pupil of a TAS action on the intervention a commissioning
 * decision bought, into *out.  Checks the commitment as
 * svc_budget_commitment_get, then ACT_CREATE on its team's budget
 * (SVC_FORBIDDEN); then (field errors) that it is a commissioning
 * decision and committed, that the action is one the user may see, of a
 * case of the same team, a real start date (and end date, not before it),
 * units used 0 or more, and core/budget.c's budget_placement_check: not
 * more units than bought, not more pupils at once than the capacity.
 * Audited with the pupil. */
enum svc_status svc_placement_create(struct svc_ctx *c, int64_t commitment_id, const struct placement_form *f,
                                     struct field_errors *errs, struct placement_row *out);
/* Records units used and the end date (the action is kept).  Checks as
 * svc_placement_get, then as svc_placement_create. */
enum svc_status svc_placement_update(struct svc_ctx *c, int64_t id, const struct placement_form *f,
                                     struct field_errors *errs, struct placement_row *out);
/* One placement: its commitment visible and its action's case too (it
 * names a pupil), else SVC_NOT_FOUND.  The read is audited. */
enum svc_status svc_placement_get(struct svc_ctx *c, int64_t id, struct placement_row *out);
/* A commitment's placements whose pupils the user may see (fn, by start;
 * the read audited when any is shown); *hidden counts the others.
 * Checked as svc_budget_commitment_get. */
enum svc_status svc_placement_list(struct svc_ctx *c, int64_t commitment_id,
                                   void (*fn)(void *arg, const struct placement_row *r), void *arg,
                                   int64_t *hidden);
/* The placements made from a TAS action, for the action's page (fn, by
 * start, voided ones too): the action's case must be visible (else
 * SVC_NOT_FOUND), and each placement is shown only to who may view its
 * allocation's budget (RES_BUDGET, deny by default); others get none.
 * The read is audited with the pupil when any is shown. */
enum svc_status svc_action_placements(struct svc_ctx *c, int64_t action_id,
                                      void (*fn)(void *arg, const struct placement_row *r), void *arg);
/* The open actions of a team's open cases that the user may see, for the
 * placement form (fn), newest first; nothing when they may see none. */
enum svc_status svc_placement_actions(struct svc_ctx *c, int64_t team_id,
                                      void (*fn)(void *arg, const struct budget_action *r), void *arg);

/* ---- putting mistakes right (migration 0025) ---- */

/* Nothing is deleted: a contribution, an intervention, a commitment or a
 * placement is corrected or voided, each with a reason (field "reason",
 * 1-500 characters), by those who may make it, under the rules that made
 * it; a voided row is kept, shown as voided and left out of every sum.
 * Each is one budget_corrections row (what it was, what it became, why)
 * and one audit entry ("edit" or "void"), in the change's transaction.
 * The record is checked as its own get (SVC_NOT_FOUND), then the action
 * its making needs (SVC_FORBIDDEN). */

/* A contribution, for anyone who may read its year. */
enum svc_status svc_budget_contribution_get(struct svc_ctx *c, int64_t id, struct budget_contribution_row *out);
/* Corrects partner, name, amount and date as svc_budget_contribution_add
 * checks them (ACT_EDIT); the pool must still cover the allocations
 * (field error amount). */
enum svc_status svc_budget_contribution_correct(struct svc_ctx *c, int64_t id, const struct contribution_form *f,
                                                const char *reason, struct field_errors *errs,
                                                struct budget_contribution_row *out);
/* Voids it (ACT_EDIT), when the pool without it still covers the
 * allocations (field error amount). */
enum svc_status svc_budget_contribution_void(struct svc_ctx *c, int64_t id, const char *reason,
                                             struct field_errors *errs);
/* Corrects name, provider, unit cost, capacity and eligibility (ACT_EDIT;
 * the unit and the aims stay); the capacity not below the most pupils
 * placed on it at once on any day from today.  A new unit cost is for
 * decisions made after it: a decision keeps the cost it was bought at. */
enum svc_status svc_intervention_update(struct svc_ctx *c, int64_t id, const struct intervention_form *f,
                                        const char *reason, struct field_errors *errs, struct intervention_row *out);
/* Voids it, taking it out of the catalogue (ACT_EDIT), when no
 * commissioning decision of it is pending or committed. */
enum svc_status svc_intervention_void(struct svc_ctx *c, int64_t id, const char *reason, struct field_errors *errs);
/* Corrects a pending or committed commitment's description, amount (a
 * commissioning decision: its units, at the unit cost it was bought at,
 * not fewer than its placements used) and date (ACT_CREATE), never below
 * what is paid of it.  Checked as a new commitment of the corrected
 * amount against the allocation without it and the corrector's limit:
 * when that needs an approval the commitment is pending again (*needs:
 * enum budget_need bits) and the corrector may not approve it; a
 * committed commitment made smaller stays committed.  An increase that
 * needs approval of a commitment with payments is refused (commit the
 * difference instead). */
enum svc_status svc_budget_commitment_correct(struct svc_ctx *c, int64_t id, const struct commitment_form *f,
                                              const char *reason, struct field_errors *errs, int *needs);
/* Voids a pending or committed commitment (ACT_CREATE; status cancelled)
 * with no payments and no placements. */
enum svc_status svc_budget_commitment_void(struct svc_ctx *c, int64_t id, const char *reason,
                                           struct field_errors *errs);
/* Voids a placement (checked as svc_placement_update), audited with the pupil. */
enum svc_status svc_placement_void(struct svc_ctx *c, int64_t id, const char *reason, struct field_errors *errs);
/* The corrections of a record the caller has already read through its get. */
enum svc_status svc_budget_correction_list(struct svc_ctx *c, enum budget_kind kind, int64_t id,
                                           void (*fn)(void *arg, const struct budget_correction_row *r), void *arg);

/* ---- what it achieved, and the board's report (steps 3 and 4) ---- */

struct budget_unit_costs {
    int64_t pence[BUDGET_COST__COUNT];   /* the authority's, else the published default (0: none) */
    bool own[BUDGET_COST__COUNT];        /* set by the authority */
};
/* ACT_VIEW on the authority's budget (SVC_FORBIDDEN). */
enum svc_status svc_budget_unit_costs(struct svc_ctx *c, int64_t authority_id, struct budget_unit_costs *out);
/* Sets one (key of core/budget.h's budget_cost_defaults).  ACT_EDIT on the
 * authority's budget (SVC_FORBIDDEN); an unknown key or an amount not in
 * pounds are field errors (key, amount).  Audited. */
enum svc_status svc_budget_unit_cost_set(struct svc_ctx *c, int64_t authority_id, const char *key,
                                         const char *amount, struct field_errors *errs);

#define BUDGET_REPORT_MAX 24
struct budget_report_item {
    struct intervention_row iv;
    char key[32];                  /* the table's key, "intervention-<id>" */
    int64_t committed, paid;       /* the year's committed commissioning decisions */
    struct budget_outcomes totals; /* before suppression: for the service only, never shown */
};
/* Large: allocate. */
struct budget_report {
    struct budget_year_row year;
    int threshold;                 /* counts below it are "c" (the dashboard's, per authority) */
    size_t n;                      /* interventions with spend or placements, at most BUDGET_REPORT_MAX */
    bool truncated;
    struct budget_report_item items[BUDGET_REPORT_MAX];
    /* One table per intervention, columns by the pupils' school phase:
     * pupils placed, attendance rose, fewer suspensions, stayed in
     * mainstream, improvements on its aims (counts, suppressed as the
     * dashboard's), committed spend (money). */
    struct stat_table tables[BUDGET_REPORT_MAX];
    struct budget_unit_costs costs;
    int64_t spend;                 /* all committed commissioning decisions of the year */
};
/* The year's interventions: who was placed, who improved on which
 * indicator (each placement's pupil compared over the whole term before
 * and the whole term after it started, from the outcome records), what
 * was spent, with small counts suppressed for publication.  a: ACT_VIEW
 * (the page) or ACT_EXPORT (a file, audited).  The year checked as
 * svc_budget_year_get, then a on its authority's budget (SVC_FORBIDDEN). */
enum svc_status svc_budget_report(struct svc_ctx *c, int64_t year_id, enum action a, struct budget_report *out);
/* Row indices of each report table. */
enum { BR_PLACED = 0, BR_ATTENDANCE, BR_SUSPENSIONS, BR_MAINSTREAM, BR_IMPROVED, BR_SPEND, BR__ROWS };

#endif
