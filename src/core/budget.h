/* The pooled budget's rules (issue 20), as pure functions over integer
 * pence: the statutory safeguarding partners pay into a pool for a budget
 * year, the pool is devolved to teams as allocations, and spend is
 * committed then paid against an allocation.  Nothing is committed beyond
 * an allocation, or above the person's own limit, without an approval by
 * someone whose approval limit covers it (and who did not ask for it).
 *
 * Money is int64_t pence everywhere: no floating point touches an amount.
 * A budget year is a financial year, 1 April to 31 March, as the partners'
 * own accounts run (HM Treasury, "Managing Public Money", the government
 * financial year). */
#ifndef TAS_CORE_BUDGET_H
#define TAS_CORE_BUDGET_H

#include "core/codes.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest amount accepted anywhere: £100,000,000.00.  Sums of up to
 * a million such amounts still fit in int64_t. */
#define BUDGET_MAX_PENCE 10000000000LL

/* "£1,234.56"; a negative amount "-£1,234.56".  Needs at most 32 bytes;
 * returns the length, or -1 (out[0] = 0) when it does not fit. */
int budget_format_pence(int64_t pence, char *out, size_t outsz);
/* The same without the pound sign or separators, for forms and CSV:
 * "1234.56", "-0.05". */
int budget_plain_pence(int64_t pence, char *out, size_t outsz);

/* Reads an amount typed in pounds: "1234", "1,234.5", "£1,234.56",
 * " 12.00 ".  At most two decimal places, commas only between groups of
 * three digits, no sign, nothing above BUDGET_MAX_PENCE.  0 and *pence set,
 * or -1. */
int budget_parse_pounds(const char *s, int64_t *pence);

/* Where an allocation stands: its amount and what is already committed
 * (not yet paid) and paid against it. */
struct budget_position {
    int64_t allocated;
    int64_t committed;
    int64_t paid;
};
/* allocated - committed - paid (negative when approvals took it over). */
int64_t budget_remaining(const struct budget_position *p);

/* Why a commitment needs an approval (bits), or cannot be made. */
enum budget_need {
    BUDGET_NEED_NONE = 0,
    BUDGET_NEED_OVER_ALLOCATION = 1,   /* it would take the allocation below zero */
    BUDGET_NEED_OVER_LIMIT = 2,        /* above the requester's own commitment limit */
};
/* What committing amount against p needs, for a requester whose own limit
 * is limit (0: every commitment needs approval).  -1 for an amount that
 * is not positive or above BUDGET_MAX_PENCE, or a position out of range. */
int budget_commit_needs(const struct budget_position *p, int64_t amount, int64_t limit);

enum budget_approval {
    BUDGET_APPROVE_OK = 0,
    BUDGET_APPROVE_OWN,          /* nobody approves their own request */
    BUDGET_APPROVE_OVER_LIMIT,   /* above the approver's limit */
    BUDGET_APPROVE_NO_LIMIT,     /* the approver has no approval limit at all */
    BUDGET_APPROVE_INVALID,
};
/* Whether approver may approve amount asked for by requester. */
enum budget_approval budget_approve_check(int64_t amount, int64_t approver_limit, int64_t requester_id,
                                          int64_t approver_id);
const char *budget_approval_text(enum budget_approval a);

/* A payment against a commitment: positive, and not more than what the
 * commitment has left (committed - already paid).  0 or -1. */
int budget_pay_check(int64_t committed, int64_t already_paid, int64_t payment);

/* An allocation of amount to one team, when the pool holds pool and the
 * other teams' allocations add up to others: not negative, and the
 * allocations together no more than the pool.  0 or -1. */
int budget_allocate_check(int64_t pool, int64_t others, int64_t amount);

/* The budget year starting 1 April of start_year: its label "2026-27"
 * and first and last days as YYYY-MM-DD.  -1 for a year outside
 * 2000..2099. */
int budget_year_bounds(int start_year, char label[8], char first[11], char last[11]);
/* The start year of the budget year holding a day (YYYY-MM-DD), or -1. */
int budget_year_of(const char *iso);

/* Limits per role, in pence.  commit: what a budget holder commits
 * without approval; approve: what an approver may approve.  Defaults,
 * which an authority may change (budget_limits). */
#define BUDGET_DEFAULT_COMMIT_LIMIT 250000LL     /* £2,500.00 */
#define BUDGET_DEFAULT_APPROVE_LIMIT 2500000LL   /* £25,000.00 */

/* The partners who pay into the pool (the statutory safeguarding partners
 * of the Children Act 2004, s.16E, as amended by the Children and Social
 * Work Act 2017, with schools as the relevant agency that carries most of
 * the work): a code list like every other (code_find, code_label). */
extern const struct code_list codes_budget_partner; /* la health police schools */

/* ---- commissioning (issue 20, step 2) ---- */

/* What an intervention is bought by, and the outcome indicators an
 * intervention may aim at (outcome_records kinds that can improve). */
extern const struct code_list codes_budget_unit; /* session week term place_year assessment */
extern const struct code_list codes_budget_aim;  /* attendance suspension ... social_care */

/* The cost of units of an intervention at unit_cost each: 0 and *amount,
 * or -1 when either is not positive or the product is above
 * BUDGET_MAX_PENCE. */
int budget_commission_amount(int64_t unit_cost, int64_t units, int64_t *amount);

/* Why a placement does not fit, or BUDGET_PLACE_OK. */
enum budget_place {
    BUDGET_PLACE_OK = 0,
    BUDGET_PLACE_UNITS,      /* more units used than the commissioning decision bought */
    BUDGET_PLACE_FULL,       /* the intervention is at capacity on some day of the placement */
    BUDGET_PLACE_DATES,      /* ends before it starts */
    BUDGET_PLACE_INVALID,
};
/* A placement using units (0 or more) of a decision that bought
 * commissioned units, of which the decision's other placements use
 * used_by_others; current: the most placements on the intervention
 * running on any one day of this placement's period (itself not counted:
 * budget_capacity_peak), capacity: how many it takes at once; starts/ends
 * as YYYY-MM-DD, ends "" while running. */
enum budget_place budget_placement_check(int64_t units, int64_t used_by_others, int64_t commissioned,
                                         int64_t current, int64_t capacity, const char *starts, const char *ends);

/* A placement's period: first and last day (YYYY-MM-DD; last "" while
 * it runs).  Both days count. */
struct budget_period {
    char starts[11];
    char ends[11];
};
/* The most of others running on any one day from starts to ends (ends ""
 * or NULL: open-ended), both days included: a period that ends the day
 * before another starts does not overlap it, one that ends the day it
 * starts does.  Periods that are not dates count as running on every day
 * (the safe side); -1 when starts is not a date. */
int64_t budget_capacity_peak(const struct budget_period *others, size_t n, const char *starts, const char *ends);

/* ---- what it achieved (step 3) ---- */

/* Outcomes of the pupils placed on one intervention, each compared over
 * the whole term before and the whole term after the placement started
 * (core/outcomes.c, the same comparison as a case page's). */
struct budget_outcomes {
    int64_t placed;              /* pupils (placements) counted */
    int64_t attendance_known;    /* with attendance in both terms */
    int64_t attendance_rose;
    int64_t suspensions_fell;
    int64_t stayed_mainstream;   /* in mainstream at the end of both terms */
    int64_t improved;            /* improvements on the indicators the intervention aims at */
};
/* Adds one pupil's comparison; aims: the intervention's aim codes
 * (codes_budget_aim).  An improvement on an aim:
 *   attendance    attendance rose
 *   suspension    fewer suspensions
 *   exclusion     no permanent exclusion in either term, and in mainstream at the end
 *   part_time     on a part-time timetable before, not after
 *   ap_placement  in alternative provision before, in mainstream at the end after
 *   social_care   not measured by the outcome records' comparison (never counted). */
struct outcome_compare;
void budget_outcomes_add(struct budget_outcomes *t, const struct outcome_compare *c, const char *const *aims,
                         size_t naims);

/* spend / n to the nearest penny (halves up): 0 and *out, or -1 when n is
 * not positive or spend is negative. */
int budget_cost_per(int64_t spend, int64_t n, int64_t *out);

/* Unit costs for the cost-benefit view, each with its published source
 * (shown beside it on the page).  An authority may set its own. */
enum budget_unit_cost { BUDGET_COST_AP_PLACE = 0, BUDGET_COST_EXCLUSION, BUDGET_COST_PAEDIATRICS, BUDGET_COST__COUNT };
struct budget_cost_default {
    const char *key;             /* stored in budget_unit_costs.cost_key */
    const char *label;
    int64_t pence;               /* 0: no published figure is built in */
    const char *source;          /* what the figure is and where it was published */
    const char *url;
};
extern const struct budget_cost_default budget_cost_defaults[BUDGET_COST__COUNT];
const struct budget_cost_default *budget_cost_find(const char *key);

#endif
