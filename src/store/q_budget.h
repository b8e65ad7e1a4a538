/* SQL for the pooled budget and commissioning (issue 20, migration 0019):
 * budget years, partners' contributions, allocations to teams, limits per
 * role, commitments (a commissioning decision is one naming an
 * intervention), payments, approvals, the interventions catalogue and
 * placements of pupils.  Money is int64_t pence. */
#ifndef TAS_STORE_Q_BUDGET_H
#define TAS_STORE_Q_BUDGET_H

#include "core/budget.h"
#include "core/policy.h"
#include "store/q_common.h"

/* Text typed into the budget's forms, with its NUL. */
#define BUDGET_TEXT_MAX 501

/* Lists are filtered by a RES_BUDGET visibility: the authorities it
 * shows, or allocations of the whole teams it shows. */

struct budget_year_row {
    int64_t id;
    int64_t authority_id;
    int start_year;
    char label[8];
    char starts_on[11], ends_on[11];
    int64_t pool;          /* contributions received */
    int64_t allocated;     /* allocations to teams */
    int64_t committed;     /* committed, not yet paid */
    int64_t paid;
    int64_t pending;       /* awaiting approval */
};
enum store_rc q_budget_year_insert(struct store *s, int64_t authority_id, int start_year, const char *label,
                                   const char *starts_on, const char *ends_on, int64_t by, int64_t now,
                                   int64_t *id);
enum store_rc q_budget_year_get(struct store *s, int64_t id, struct budget_year_row *out);
/* Years whose authority v shows, or in which a team v shows has an
 * allocation; newest first. */
enum store_rc q_budget_year_list(struct store *s, const struct visibility *v,
                                 void (*fn)(void *arg, const struct budget_year_row *r), void *arg);

struct budget_contribution_row {
    int64_t id;
    int64_t year_id;
    char partner[12];
    char partner_name[161];
    int64_t amount;
    char received_on[11];
    int64_t created_by;
    bool voided;           /* kept, left out of the pool */
    char void_reason[BUDGET_TEXT_MAX];
};
enum store_rc q_budget_contribution_insert(struct store *s, const struct budget_contribution_row *r, int64_t now,
                                           int64_t *id);
/* By date received, then id. */
enum store_rc q_budget_contribution_get(struct store *s, int64_t id, struct budget_contribution_row *out);
/* Saves partner, partner_name, amount and received_on of a contribution
 * not voided (STORE_DONE: none such). */
enum store_rc q_budget_contribution_update(struct store *s, const struct budget_contribution_row *r, int64_t now);

/* The records that are corrected or voided, never deleted (migration 0025). */
enum budget_kind { BUDGET_KIND_CONTRIBUTION = 0, BUDGET_KIND_INTERVENTION, BUDGET_KIND_COMMITMENT, BUDGET_KIND_PLACEMENT,
                   BUDGET_KIND_PAYMENT };
/* Voids a record not yet voided, with the reason (STORE_DONE: already
 * voided or none).  A voided intervention leaves the catalogue (active 0);
 * a voided commitment is 'cancelled'. */
enum store_rc q_budget_void(struct store *s, enum budget_kind kind, int64_t id, const char *reason, int64_t by,
                            int64_t now);
struct budget_correction_row {
    int64_t id;
    enum budget_kind kind;
    int64_t record_id;
    char action[12];       /* correct | void */
    char before[BUDGET_TEXT_MAX];
    char after[BUDGET_TEXT_MAX];
    char reason[BUDGET_TEXT_MAX];
    int64_t made_by;
    char made_by_name[161];
    int64_t made_at;
};
enum store_rc q_budget_correction_insert(struct store *s, const struct budget_correction_row *r);
/* A record's corrections and void, oldest first. */
enum store_rc q_budget_correction_list(struct store *s, enum budget_kind kind, int64_t record_id,
                                       void (*fn)(void *arg, const struct budget_correction_row *r), void *arg);
enum store_rc q_budget_contribution_list(struct store *s, int64_t year_id,
                                         void (*fn)(void *arg, const struct budget_contribution_row *r), void *arg);

struct budget_allocation_row {
    int64_t id;
    int64_t year_id;
    int64_t team_id;
    char team_name[161];
    int64_t amount;
    int64_t committed;     /* committed, less what is paid of it */
    int64_t paid;
    int64_t pending;
    /* joined */
    int64_t authority_id;
    char year_label[8];
};
/* Sets the allocation of a team for a year (made or changed); *id. */
enum store_rc q_budget_allocation_set(struct store *s, int64_t year_id, int64_t team_id, int64_t amount, int64_t by,
                                      int64_t now, int64_t *id);
enum store_rc q_budget_allocation_get(struct store *s, int64_t id, struct budget_allocation_row *out);
/* The allocations of a year (0: every year, newest first) among the teams
 * v shows (all of them for an authority v shows), by team name. */
enum store_rc q_budget_allocation_list(struct store *s, int64_t year_id, const struct visibility *v,
                                       void (*fn)(void *arg, const struct budget_allocation_row *r), void *arg);
/* The allocation of a team for a year, if any (STORE_DONE when none). */
enum store_rc q_budget_allocation_of(struct store *s, int64_t year_id, int64_t team_id,
                                     struct budget_allocation_row *out);

/* One setting of an allocation (migration 0033): the amount before
 * (had_old false for the first setting), after, why, who, when. */
struct budget_allocation_change_row {
    int64_t id;
    int64_t allocation_id;
    bool had_old;
    int64_t old_amount;
    int64_t new_amount;
    char reason[BUDGET_TEXT_MAX];
    int64_t changed_by;
    char changed_by_name[161];
    int64_t changed_at;
};
enum store_rc q_budget_allocation_change_insert(struct store *s, const struct budget_allocation_change_row *r);
/* An allocation's settings, oldest first. */
enum store_rc q_budget_allocation_change_list(struct store *s, int64_t allocation_id,
                                              void (*fn)(void *arg, const struct budget_allocation_change_row *r),
                                              void *arg);
/* The sum of a year's allocations to teams other than team_id. */
enum store_rc q_budget_allocated_others(struct store *s, int64_t year_id, int64_t team_id, int64_t *sum);

/* The amounts in pence an authority sets by key: a role's limit (the key
 * the role's code) and a unit cost (the cost's key).  Get answers
 * STORE_DONE when the authority has set none; set inserts or replaces. */
enum budget_pence { BUDGET_PENCE_LIMIT, BUDGET_PENCE_UNIT_COST };
enum store_rc q_budget_pence_get(struct store *s, enum budget_pence what, int64_t authority_id, const char *key,
                                 int64_t *pence);
enum store_rc q_budget_pence_set(struct store *s, enum budget_pence what, int64_t authority_id, const char *key,
                                 int64_t pence, int64_t by, int64_t now);

struct budget_commitment_row {
    int64_t id;
    int64_t allocation_id;
    char description[BUDGET_TEXT_MAX];
    int64_t amount;
    char committed_on[11];
    char status[12];       /* pending | committed | refused | cancelled */
    int needs;             /* enum budget_need bits when it was asked for */
    int64_t intervention_id;   /* 0: not a commissioning decision */
    char intervention_name[161];
    int64_t units;
    int64_t requested_by;
    char requested_by_name[161];
    int64_t paid;
    int64_t created_at;
    /* joined */
    int64_t team_id;
    char team_name[161];
    int64_t authority_id;
    int64_t year_id;
    char year_label[8];
    int64_t changed_by;    /* who last corrected the amount (0: nobody) */
    bool voided;           /* status 'cancelled' */
    char void_reason[BUDGET_TEXT_MAX];
    int64_t placements;    /* not voided */
};
enum store_rc q_budget_commitment_insert(struct store *s, const struct budget_commitment_row *r, int64_t now,
                                         int64_t *id);
enum store_rc q_budget_commitment_get(struct store *s, int64_t id, struct budget_commitment_row *out);
/* Of one allocation (allocation_id != 0), newest first; or, with
 * allocation_id 0, those of status (e.g. "pending") that v shows, oldest
 * first (the approvals queue). */
enum store_rc q_budget_commitment_list(struct store *s, int64_t allocation_id, const char *status,
                                       const struct visibility *v,
                                       void (*fn)(void *arg, const struct budget_commitment_row *r), void *arg);
/* pending -> committed or refused; STORE_DONE when it was no longer pending. */
/* Saves description, amount, committed_on, units, status and needs of a
 * pending or committed commitment, and who changed it (STORE_DONE: it
 * was decided otherwise or voided meanwhile). */
enum store_rc q_budget_commitment_correct(struct store *s, const struct budget_commitment_row *r, int64_t by,
                                          int64_t now);
enum store_rc q_budget_commitment_decide(struct store *s, int64_t id, const char *status, int64_t now);

struct budget_payment_row {
    int64_t id;
    int64_t commitment_id;
    int64_t amount;
    char paid_on[11];
    char reference[101];
    int64_t recorded_by;
    char recorded_by_name[161];
    bool voided;
    char void_reason[BUDGET_TEXT_MAX];
};
enum store_rc q_budget_payment_insert(struct store *s, const struct budget_payment_row *r, int64_t now, int64_t *id);
/* A commitment's payments, voided ones too (marked). */
enum store_rc q_budget_payment_list(struct store *s, int64_t commitment_id,
                                    void (*fn)(void *arg, const struct budget_payment_row *r), void *arg);
enum store_rc q_budget_payment_get(struct store *s, int64_t id, struct budget_payment_row *out);

struct budget_approval_row {
    int64_t id;
    int64_t commitment_id;
    char decision[12];     /* approved | refused */
    int64_t amount;
    char role[24];
    int64_t limit;
    char note[BUDGET_TEXT_MAX];
    int64_t decided_by;
    char decided_by_name[161];
    int64_t decided_at;
};
enum store_rc q_budget_approval_insert(struct store *s, const struct budget_approval_row *r, int64_t *id);
enum store_rc q_budget_approval_list(struct store *s, int64_t commitment_id,
                                     void (*fn)(void *arg, const struct budget_approval_row *r), void *arg);



/* ---- teams, for allocations ---- */
struct budget_team {
    int64_t id;
    char name[161];
    int64_t authority_id;
    int active;
};
/* One team (STORE_ROW) or STORE_DONE. */
enum store_rc q_budget_team_get(struct store *s, int64_t id, struct budget_team *out);
/* An authority's active teams, by name. */
enum store_rc q_budget_team_list(struct store *s, int64_t authority_id,
                                 void (*fn)(void *arg, const struct budget_team *r), void *arg);

/* ---- the interventions catalogue ---- */
#define BUDGET_AIMS_MAX 8
struct intervention_row {
    int64_t id;
    int64_t authority_id;
    char name[161];
    char provider[161];
    char unit[16];
    int64_t unit_cost;
    int64_t capacity;
    char eligibility[BUDGET_TEXT_MAX];
    int active;
    size_t naims;
    char aims[BUDGET_AIMS_MAX][16];
    /* read only */
    int64_t current;       /* placements running today */
    bool voided;
    char void_reason[BUDGET_TEXT_MAX];
    int64_t decisions;     /* commissioning decisions pending or committed */
};
/* Inserts the intervention and its aims; sets r->id.  STORE_CONSTRAINT
 * when the authority has one of that name from that provider. */
enum store_rc q_intervention_insert(struct store *s, struct intervention_row *r, int64_t now);
/* With its aims and how many placements run on the day today. */
/* Saves name, provider, unit cost, capacity and eligibility (not voided). */
enum store_rc q_intervention_update(struct store *s, const struct intervention_row *r, int64_t now);
enum store_rc q_intervention_get(struct store *s, int64_t id, const char *today, struct intervention_row *out);
/* An authority's interventions (active first, by name), with their aims. */
enum store_rc q_intervention_list(struct store *s, int64_t authority_id, const char *today,
                                  void (*fn)(void *arg, const struct intervention_row *r), void *arg);

/* ---- placements ---- */
struct placement_row {
    int64_t id;
    int64_t commitment_id;
    int64_t pupil_id;
    int64_t action_id;
    char starts_on[11];
    char ends_on[11];      /* "" while running */
    int64_t units_used;
    int64_t created_by;
    /* joined */
    int64_t intervention_id;
    char intervention_name[161];
    char pupil_name[203];
    int64_t case_id;
    int64_t team_id;       /* of the commitment's allocation */
    int64_t authority_id;
    bool voided;           /* kept, left out of units, capacity and the report */
    char void_reason[BUDGET_TEXT_MAX];
};
enum store_rc q_placement_insert(struct store *s, const struct placement_row *r, int64_t now, int64_t *id);
/* Saves units_used, starts_on and ends_on (not voided). */
enum store_rc q_placement_update(struct store *s, const struct placement_row *r, int64_t now);
enum store_rc q_placement_get(struct store *s, int64_t id, struct placement_row *out);
/* A commitment's placements, or (commitment_id 0) those from one TAS
 * action, by start. */
enum store_rc q_placement_list(struct store *s, int64_t commitment_id, int64_t action_id,
                               void (*fn)(void *arg, const struct placement_row *r), void *arg);
/* Units used by a commitment's placements other than except_id. */
enum store_rc q_placement_units(struct store *s, int64_t commitment_id, int64_t except_id, int64_t *units);
/* The periods of the placements on an intervention (not voided, under a
 * committed decision, other than except_id) that overlap starts..ends
 * (ends "": open-ended), at most max (STORE_ERROR when there are more). */
enum store_rc q_placement_periods(struct store *s, int64_t intervention_id, const char *starts, const char *ends,
                                  int64_t except_id, struct budget_period *out, size_t max, size_t *n);

/* Open actions (not voided) of a team's open cases, newest first, at most
 * 200: id, description (first 120 characters), case, pupil. */
struct budget_action {
    int64_t id;
    char description[121];
    int64_t case_id;
    int64_t pupil_id;
    char pupil_name[203];
};
enum store_rc q_budget_team_actions(struct store *s, int64_t team_id,
                                    void (*fn)(void *arg, const struct budget_action *r), void *arg);

/* ---- the report (steps 3 and 4) ---- */
struct budget_report_place {
    int64_t placement_id;
    int64_t pupil_id;
    int64_t intervention_id;
    char phase[16];            /* the pupil's school's */
    char starts_on[11];
};
/* Placements under the year's committed commissioning decisions, by
 * intervention, then pupil, then start. */
enum store_rc q_budget_report_places(struct store *s, int64_t year_id,
                                     void (*fn)(void *arg, const struct budget_report_place *r), void *arg);
struct budget_report_spend {
    int64_t intervention_id;
    int64_t committed;         /* committed commissioning decisions (whole amounts) */
    int64_t paid;
};
/* What the year's committed commissioning decisions cost, by intervention. */
enum store_rc q_budget_report_spend(struct store *s, int64_t year_id,
                                    void (*fn)(void *arg, const struct budget_report_spend *r), void *arg);

#endif
