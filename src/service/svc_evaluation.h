/* Did it work? (issue 14): the evaluation data (pupils on roll and counts
 * by kind per school and academic year, entered, imported from CSV, or
 * computed from tas's own records) and the report built from it: rates per
 * 100 pupils in TAS and comparison schools before and after, their
 * difference-in-differences, the panel regression, the event study and the
 * Poisson model (core/evaluate.h), under disclosure control.
 * Policy: RES_EVALUATION (ACT_VIEW to read, ACT_EDIT to enter or import,
 * ACT_EXPORT for the CSV).  SQL: store/q_evaluation.c. */
#ifndef TAS_SERVICE_SVC_EVALUATION_H
#define TAS_SERVICE_SVC_EVALUATION_H

#include <stdbool.h>

#include "core/errors.h"
#include "core/evaluate.h"
#include "core/matching.h"
#include "service/svc.h"
#include "service/svc_dashboard.h"
#include "store/q_evaluation.h"

#define EVAL_KIND_LEN 64
#define EVAL_MAX_KINDS 64
#define EVAL_MAX_ROWS 8192
#define EVAL_MAX_BAD 50
/* Computed kinds are named "records:...": entered kinds cannot be (they
 * are lower-case letters, digits and _), so the two never mix. */
#define EVAL_COMPUTED_PREFIX "records:"

struct eval_kind {
    char code[EVAL_KIND_LEN];
    char label[160];
    bool computed;      /* counted from tas's records; else entered or imported */
    bool standard;      /* one of the kinds every authority has (entered) */
};

struct eval_kinds {
    size_t n;
    struct eval_kind k[EVAL_MAX_KINDS];
};

/* The kinds to choose from: the standard entered kinds, any other kind
 * entered for the authority's schools, then the computed ones (suspensions
 * and permanent exclusions from outcome records, referrals to each of the
 * authority's services from referral records).  ACT_VIEW on
 * RES_EVALUATION in the authority, else SVC_FORBIDDEN. */
enum svc_status svc_eval_kinds(struct svc_ctx *c, int64_t authority_id, struct eval_kinds *out);

/* The authority's schools, by id, each with whether it is a TAS school,
 * for the entry form.  ACT_EDIT on RES_EVALUATION, else SVC_FORBIDDEN. */
enum svc_status svc_eval_schools(struct svc_ctx *c, int64_t authority_id,
                                 void (*fn)(void *arg, const struct eval_school_row *r), void *arg);

#define EVAL_MAX_K 5
/* The calipers, in pooled SDs, of figures under disclosure control (any
 * number above 0 for exact figures). */
#define EVAL_CALIPER_STEPS 0.1, 0.2, 0.25, 0.5, 1.0
#define EVAL_CALIPER_STEPS_TEXT "0.1, 0.2, 0.25, 0.5 or 1"

struct eval_query {
    int64_t authority_id;
    const char *kind, *phase;     /* phase: all, primary or secondary */
    const char *pre, *post;       /* years, "2022" or "2021,2022" (2024 = 2024/25) */
    const char *cost;             /* the programme's cost in pounds (optional): overrides the cost model's */
    const char *comparison;       /* "all" (default) or "matched": the schools the matching chose only */
    const char *k;                /* matches per TAS school, 1 to EVAL_MAX_K (blank: 1) */
    const char *caliper;          /* the largest distance in pooled SDs, above 0 (blank: none) */
    const char *replace;          /* "yes": with replacement; "no" or blank: without */
    bool publish;                 /* suppress small counts even for those who may see them exact */
    bool export;                  /* for a download: ACT_EXPORT rather than ACT_VIEW */
};

enum eval_cost_source { EVAL_COST_NONE = 0, EVAL_COST_MODEL, EVAL_COST_TYPED };

/* The cost model's figure for the years after (svc_dashboard_planned_cost):
 * the planned cost of every meeting of the authority's TAS teams of the
 * phase (the host school's) scheduled from 1 September of each year after
 * to 31 August, summed over those years.  When the figures leave some of
 * the phase's TAS schools out (the matched view), pounds_used is pounds
 * times share, the TAS schools in the figures' pupil-years after over all
 * of the phase's TAS schools'. */
struct eval_cost_model {
    bool available;               /* a cost above 0 */
    char why[160];                /* when not available */
    double pounds, share, pounds_used;
    int64_t meetings;
    char from[24], to[24];        /* the first year's 1 September, the last's 31 August */
    char missing_rates[DASH_MISSING_RATES_LEN];   /* roles counted without a rate */
};

struct eval_report {
    struct eval_kind kind;
    char phase[16];
    int pre[EV_MAX_YEARS], post[EV_MAX_YEARS];
    size_t npre, npost;
    size_t nrows;
    struct ev_row rows[EVAL_MAX_ROWS];
    int part[EVAL_MAX_ROWS];      /* each row's phase, for the disclosure control */
    size_t school_years_missing;  /* school-years of the periods without pupils (or, entered, without a count) */
    enum ev_error table_err, fit_err, es_err, po_err;
    struct ev_table table;
    struct ev_fit fit;
    struct ev_event_study es;
    struct ev_poisson po;
    /* Matching (core/matching.h): each TAS school of the phase to its
     * match_k nearest comparison schools of the same phase, within the
     * caliper (INFINITY: none), with or without replacement, on the school
     * records' pupils on roll, % FSM and % SEN and the rate per 100 of the
     * kind over the years before; schools without all four are left out
     * (match_left_out). */
    size_t match_k;
    double match_caliper;
    bool match_replace;
    enum mt_error match_err;
    size_t match_left_out, match_tas, match_tas_matched, match_comparison, match_comparison_used;
    struct mt_balance balance[MT_NCOV];
    /* comparison=matched: the rows, the table and the models use only the
     * TAS schools the matching matched and the comparison schools it chose,
     * each row weighted by its school's weight (mt_weights: a comparison
     * school by the number of TAS schools it stands for).  rows[nrows..
     * nrows + nrows_left_out) are the other schools' rows (weight 0), kept
     * for the disclosure control, which looks at the whole phase.  When the
     * matching fails, matched_error says why and nothing is computed
     * (table_err is EV_ERR_EMPTY_CELL, never a silent fall back to every
     * school). */
    bool matched_only;
    double weight[EVAL_MAX_ROWS];
    bool weighted;                /* some row of the matched view weighs other than 1 */
    size_t nrows_left_out;
    size_t comparison_schools, comparison_schools_all;   /* comparison schools in the figures; in the phase's rows */
    size_t tas_schools, tas_schools_all;                 /* the same for the TAS schools */
    char matched_error[160];
    /* The programme's cost for the cost per event avoided: typed (q->cost)
     * or, by default, the cost model's (model). */
    enum eval_cost_source cost_source;
    struct eval_cost_model model;
    struct ev_cost cost;          /* filled when cost_source is not EVAL_COST_NONE and the table is */
    bool exact;                   /* counts not suppressed */
    int threshold;
    struct ev_disclosure disc;
};

/* The panel of a report, for ev_* and the JSON. */
struct ev_panel eval_panel(const struct eval_report *r);

/* The report for a query.  ACT_VIEW (ACT_EXPORT for q->export) on
 * RES_EVALUATION in q->authority_id, else SVC_FORBIDDEN; a kind not among
 * svc_eval_kinds', a phase not all/primary/secondary, years not years or
 * a year before not before every year after, a cost not an amount in
 * pounds, a comparison not all or matched, k not a whole number from 1 to
 * EVAL_MAX_K, a caliper not a number above 0 (under disclosure control:
 * not one of EVAL_CALIPER_STEPS), replace not yes or no:
 * SVC_INVALID with field errors (kind, phase, pre, post, cost, comparison,
 * k, caliper, replace).  TAS schools are those in a TAS team
 * (team_schools) or marked TAS members; the rest of the authority's
 * schools of the phase are the comparison.  Rows: each school and year of
 * the periods with pupils on roll entered (for computed kinds, else the
 * school record's pupils on roll) and, for entered kinds, a count entered;
 * computed counts are 0 where tas holds no record.  The statistics' own
 * refusals are in table_err etc., not a status.  Counts from 1 to the
 * authority's disclosure threshold - 1 in any one year and phase are
 * suppressed (disc, ev_disclose over the whole phase with the view's
 * weights, so no two option settings difference down to one) unless the
 * viewer may see the authority's case records and q->publish is false.
 * The cost model's figure (model) is computed with the dashboard's
 * ACT_VIEW on RES_AGGREGATE; without it, model.why says so. */
enum svc_status svc_eval_report(struct svc_ctx *c, const struct eval_query *q, struct eval_report *out,
                                struct field_errors *errs);

struct eval_entry {
    const char *school_id, *year, *pupils, *kind, *other_kind, *count;
};

/* Sets one school-year's pupils on roll and, when count is given, its
 * count of a kind (kind, or other_kind: a new kind's code, 1-40 of a-z,
 * 0-9 and _).  ACT_EDIT on RES_EVALUATION in the authority, else
 * SVC_FORBIDDEN; a school not of the authority, a year not 1990-2100,
 * pupils not a whole number of at least 1, a count not 0 or more, a kind
 * missing or malformed: SVC_INVALID with field errors. */
enum svc_status svc_eval_save(struct svc_ctx *c, int64_t authority_id, const struct eval_entry *in,
                              struct field_errors *errs);

struct eval_bad_row {
    size_t line;
    char reason[120];
};

struct eval_import {
    size_t rows;                  /* good rows read */
    size_t nbad;                  /* bad rows (the first EVAL_MAX_BAD are in bad[]) */
    struct eval_bad_row bad[EVAL_MAX_BAD];
    bool written;
};

/* Imports a CSV text with the header school,year,group,pupils,count (as
 * `tas evaluate did --csv`; school is the URN) as counts of one kind
 * (entered kinds only, as svc_eval_save).  Every row is checked first:
 * the school must be of the authority and its group what tas holds (tas
 * when it is a TAS school), year 1990-2100, pupils 1 or more, count 0 or
 * more, a school-year once.  Any bad row: SVC_INVALID, every bad row in
 * out->bad by line and reason, and nothing written.  dry_run: checks only.
 * Otherwise all rows in one transaction (pupils on roll of a school-year
 * replaced, the count of the kind replaced).  ACT_EDIT on RES_EVALUATION,
 * else SVC_FORBIDDEN. */
enum svc_status svc_eval_import(struct svc_ctx *c, int64_t authority_id, const char *kind, const char *other_kind,
                                const char *csv, bool dry_run, struct eval_import *out, struct field_errors *errs);

#endif
