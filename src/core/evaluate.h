/* Did it work?  Rates per 100 pupils in TAS and comparison schools before
 * and after, their difference-in-differences, and a two-way fixed-effects
 * panel regression with a cluster-robust standard error.  Pure: no I/O;
 * double precision throughout.
 *
 * The data is a school-year panel: one row per school and academic year,
 * with pupils on roll and a count of one kind (referrals to a service,
 * suspensions, permanent exclusions, ...).  Years are split into the years
 * before TAS ("pre") and after ("post"); rows of other years are left out.
 *
 * ONE sign convention everywhere: a change is post minus pre, and the
 * difference-in-differences is the TAS schools' change MINUS the
 * comparison schools' change.  A negative DiD for referrals means that
 * the rate in TAS schools fell further (or rose less) than in the
 * comparison schools.  The DiD "in %" is the TAS change in % minus the
 * comparison change in % (percentage points), as in the Bedford learning
 * report's Figure 5d: 1.43 -> 1.35 (-5%) against 1.61 -> 1.93 (+20%)
 * gives -0.40 per 100 and -25%.
 *
 * Everything here is an association, not proof of cause: see
 * docs/evaluation.md for what the design can and cannot support. */
#ifndef TAS_CORE_EVALUATE_H
#define TAS_CORE_EVALUATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ev_group { EV_TAS = 0, EV_COMPARISON = 1 };
enum ev_period { EV_PRE = 0, EV_POST = 1 };

enum ev_error {
    EV_OK = 0,
    EV_ERR_NOMEM,
    EV_ERR_PERIODS,        /* no pre or no post year, a year in both, or a pre year not before every post year */
    EV_ERR_GROUP,          /* a row's group is neither TAS nor comparison */
    EV_ERR_PUPILS,         /* a row with no pupils (or fewer) */
    EV_ERR_COUNT,          /* a row with a negative count */
    EV_ERR_DUPLICATE,      /* a school with two rows for one year */
    EV_ERR_GROUP_CHANGES,  /* a school in both groups */
    EV_ERR_EMPTY_CELL,     /* a group has no school in the pre or the post years */
    EV_ERR_NOT_IDENTIFIED, /* the treatment is a combination of the school and year effects */
    EV_ERR_YEAR_ALIASED,   /* a year's effect cannot be told from the schools' (no school seen in it and another year) */
    EV_ERR_NO_DF,          /* as many parameters as observations: no residual to estimate a variance from */
    EV_ERR_ONE_PRE_YEAR,   /* an event study with rows in fewer than 2 pre years */
    EV_ERR_NOT_CONVERGED,  /* the Poisson fit did not converge within its iteration cap */
    EV_ERR_SEPARATED,      /* the Poisson fit needs an infinite effect (e.g. no events at all in TAS schools after) */
    EV_ERR_WEIGHT          /* a row's weight is not a finite number above 0 */
};

/* A short sentence for an error, e.g. "a school with two rows for one year". */
const char *ev_error_text(enum ev_error e);

struct ev_row {
    int64_t school;        /* any identifier, one per school */
    int year;              /* academic year, e.g. 2024 for 2024/25 */
    int group;             /* enum ev_group */
    int64_t pupils;        /* pupils on roll, > 0 */
    int64_t count;         /* events of the kind evaluated, >= 0 */
};

/* Weights (issue 14's matched comparison): a school chosen by matching
 * for w TAS schools (core/matching.h, mt_weights) counts w times.  The
 * rates sum weight x count over weight x pupils; the regression and the
 * event study weigh each school-year by weight x pupils, and the Poisson
 * model's likelihood by weight, as R's lm(..., weights = pupils * w) and
 * glm(..., weights = w) do; standard errors stay clustered by school, G
 * counting each school once however heavy.  Without weights (NULL) every
 * row weighs 1. */
struct ev_panel {
    const struct ev_row *rows;
    size_t n;
    const int *pre, *post; /* the years before and after TAS */
    size_t npre, npost;
    const double *weight;  /* each row's weight, finite and > 0 (its school's); NULL: 1 for every row */
};

/* Checks the panel: the periods, then every row in order, then pairs of
 * rows.  On an error about a row, *bad_row is that row's index (for a pair,
 * the later row); otherwise SIZE_MAX. */
enum ev_error ev_check(const struct ev_panel *p, size_t *bad_row);

/* Rate per 100 pupils: 100 * count / pupils (NaN when pupils <= 0). */
double ev_rate_per_100(int64_t count, int64_t pupils);

/* One group in one period: the rows summed over schools and years. */
struct ev_cell {
    int64_t pupils, count;
    double weighted_pupils, weighted_count;   /* sums of weight x pupils and weight x count */
    size_t schools, rows;
    double rate_per_100;   /* 100 * weighted count / weighted pupils, pupil-weighted over schools and years */
    double one_in;         /* weighted pupils / weighted count; infinity when the count is 0 */
};

/* The report's table. */
struct ev_table {
    struct ev_cell cell[2][2];     /* [group][period] */
    double change_per_100[2];      /* [group]: post rate - pre rate */
    double change_pct[2];          /* [group]: 100 * change / pre rate; NaN when the pre rate is 0 */
    double did_per_100;            /* change (TAS) - change (comparison) */
    double did_pct;                /* change_pct (TAS) - change_pct (comparison), percentage points; NaN if either is */
    double did_one_in;             /* 100 / |did_per_100|: "1 fewer (or more) in every N pupils"; infinity for 0 */
};

/* Checks the panel (ev_check) and fills the table.  Every group must have
 * a school in both periods (else EV_ERR_EMPTY_CELL). */
enum ev_error ev_table(const struct ev_panel *p, struct ev_table *t, size_t *bad_row);

/* The regression (see evaluate.c for the method):
 *   rate_per_100[s,y] = school[s] + year[y] + estimate * treat[s,y] + e[s,y]
 * weighted by pupils[s,y], over the rows of the pre and post years, where
 * treat is 1 for a TAS school in a post year.  se_cluster is the CR1
 * cluster-robust standard error by school, the same as R's
 *   sandwich::vcovCL(lm(rate ~ treat + factor(school) + factor(year), weights = pupils),
 *                    cluster = ~school, type = "HC1", cadjust = TRUE)
 * (and Stata's vce(cluster school)):
 *   V = G/(G-1) * (n-1)/(n-k) * (X'WX)^-1 [sum_g s_g s_g'] (X'WX)^-1,
 *   s_g = sum over school g's rows of w e x,
 * with G schools, n rows and k = schools + years parameters (intercept,
 * school and year dummies, treat).  ci95 is estimate +- t(0.975, G-1) * se:
 * Student's t with G-1 degrees of freedom, as Stata does for clustered
 * errors (wider than the normal's 1.96 when there are few schools). */
struct ev_fit {
    double estimate, se_cluster, ci95[2];
    double t_crit;                  /* t(0.975, df) */
    int df;                         /* G - 1 */
    double adjustment;              /* G/(G-1) * (n-1)/(n-k) */
    size_t schools, schools_tas, schools_comparison;
    size_t observations;            /* n: school-years used */
    size_t parameters;              /* k */
    int64_t pupils;                 /* pupils summed over the school-years used (pupil-years) */
};

enum ev_error ev_twfe(const struct ev_panel *p, struct ev_fit *f, size_t *bad_row);

/* The event study, a check of the DiD's assumption that TAS and comparison
 * schools' rates moved in parallel before TAS:
 *   rate_per_100[s,y] = school[s] + year[y] + sum over years z != ref of b[z] * tas[s] * (y == z)
 * weighted by pupils, with ref the last pre year, fitted and clustered as
 * ev_twfe.  b[z] for a pre year z (a "lead") is how much more the TAS
 * schools' rate differed from the comparison schools' in z than in ref;
 * the joint Wald test that every lead is 0 uses the clustered variance:
 * F = b' V^-1 b / leads against F(leads, G-1) (Stata's "test" after
 * vce(cluster)).  A small p-value is evidence against parallel pre-trends;
 * a large one is not evidence for them.  Needs rows in 2 or more pre years. */
#define EV_MAX_YEARS 64

struct ev_event_year {
    int year;
    double estimate, se_cluster, ci95[2];
};

struct ev_event_study {
    int reference_year;
    size_t nyears;                              /* every year but the reference, in order */
    struct ev_event_year year[EV_MAX_YEARS];
    size_t leads;                               /* the first `leads` years are pre years */
    double f_stat, p_value;                     /* NaN if the leads' variance is singular */
    int df;                                     /* G - 1: the t intervals' and the F test's denominator df */
    size_t schools, observations, parameters;
};

enum ev_error ev_event_study(const struct ev_panel *p, struct ev_event_study *es, size_t *bad_row);

/* The Poisson model of counts with pupils as exposure (see evaluate.c for
 * the method):
 *   log E[count[s,y]] = log(pupils[s,y]) + school[s] + year[y] + estimate * treat[s,y]
 * over the rows of the pre and post years, fitted by maximum likelihood,
 * the same as R's
 *   glm(count ~ treat + factor(school) + factor(year), family = poisson, offset = log(pupils)).
 * estimate is the log of the rate ratio: exp(estimate) is how many times
 * the TAS schools' rate after is of what it would have been had it moved
 * as the comparison schools' did.  se_cluster is clustered by school:
 *   V = G/(G-1) * H^-1 [sum_g s_g s_g'] H^-1,  H = X' diag(mu) X,
 *   s_g = sum over school g's rows of (count - mu) x,
 * as R's sandwich::vcovCL(fit, cluster = ~school, type = "HC0",
 * cadjust = TRUE) (its default for a glm) and Stata's poisson with
 * vce(cluster school) and ppmlhdfe: no (n-1)/(n-k) factor, which is a
 * linear model's degrees-of-freedom correction and, with a dummy per
 * school counted in k, would inflate the error for no reason in a
 * likelihood model.  ci95 is estimate +- t(0.975, G-1) * se, as ev_twfe's
 * (Stata's poisson would use the normal; with few schools t is safer).
 *
 * A school with no events in any of its rows has a school effect of minus
 * infinity and says nothing about the others: it is left out (counted in
 * schools_all_zero), as fixest and ppmlhdfe do; schools and G count the
 * rest. */
struct ev_poisson {
    double estimate, se_cluster, ci95[2];   /* the log rate ratio */
    double rate_ratio, rate_ratio_ci95[2];  /* exp of the above */
    double t_crit;
    int df;                                 /* G - 1 */
    double adjustment;                      /* G/(G-1) */
    double deviance;
    int iterations;                         /* weighted least squares solves */
    size_t schools, schools_tas, schools_comparison, schools_all_zero;
    size_t observations, parameters;
    int64_t pupils, count;                  /* over the school-years used */
};

enum ev_error ev_poisson(const struct ev_panel *p, struct ev_poisson *f, size_t *bad_row);

/* Cost-effectiveness: the programme's cost per event (referral, exclusion)
 * avoided, from the table's DiD.  events_avoided = -did_per_100 / 100 *
 * pupils_after, with pupils_after the TAS schools' pupils summed over the
 * years after (pupil-years, as the rates are per pupil and year); it
 * assumes the DiD is the effect of TAS (see the header's caveat) and that
 * the cost covers those schools and years.  Defined only when the DiD is
 * negative (events fell in TAS schools relative to the comparison) and the
 * cost is finite and not negative; otherwise `defined` is 0, why says
 * why, and cost_per_event_avoided is NaN. */
struct ev_cost {
    double cost, events_avoided, cost_per_event_avoided;
    int64_t pupils_after;
    int defined;
    const char *why;   /* NULL when defined */
};

void ev_cost_effectiveness(double cost, const struct ev_table *t, struct ev_cost *c);

/* Disclosure control of the table for publication, as the dashboard's
 * (core/stats.h).  The smallest figures a reader can ask for are the
 * counts of one group in one academic year and one part (a phase: the page
 * offers primary, secondary and all), so a group-period is shown as "c"
 * (its count, rate and "1 in N"; pupils are not about children and stay)
 * when any of those it sums -- the rows of one year and one part, part[i]
 * for row i (NULL: one part) -- has a count from 1 to threshold-1.  A
 * query of fewer years or of one phase then never differences a shown
 * cell down to a small count: every cell holding a small count is hidden
 * wherever it appears.  So is whatever would give a hidden cell back:
 * that group's change (with the other period's rate it is the hidden
 * rate), and the DiD and the models (with the other three rates the DiD
 * is the hidden one; with two periods and steady rolls the regression is
 * the DiD).  True zeros stay 0.  threshold < 2 suppresses nothing.
 *
 * Views that weigh schools differently (the matched comparison, whose
 * options choose other schools and weights) give a reader other sums of
 * the same schools' counts to difference, so p is then the full panel --
 * every row any view could use -- and p->weight the view's weight of each
 * row, 0 for a school the view leaves out (NULL: the full panel, each row
 * once).  In each group, year and part, the rows with a small count form
 * one block, with, when their total is itself small, the row with the
 * smallest count of threshold or more (then the lowest school id); a
 * group-period is also hidden when a year and part of it has a block whose
 * rows the view weighs differently, or a block of small total that it
 * weighs at all.  Every figure shown by any view is then a weighted sum of
 * the same pieces -- each block, and each other school alone -- none of
 * them small, so no difference of any views' figures, with any weights,
 * isolates a small count (docs/evaluation.md).  The blocks depend on the
 * counts only, never on the view. */
struct ev_disclosure {
    bool cell[2][2];      /* [group][period] */
    bool change[2];       /* [group] */
    bool did;             /* the DiD, the regression, the event study and the Poisson model */
};

void ev_disclose(const struct ev_panel *p, const int *part, int threshold, struct ev_disclosure *d);

/* The matched comparison (issue 14): moves the rows of weight above 0 (the
 * schools the view uses), in their order, to the front of rows, and the
 * others after them, in their order; part (NULL: none) and weight move with
 * rows.  Returns how many rows are kept: rows[0..kept) is the view's panel
 * and rows[0..n) with weight[] the full panel for ev_disclose. */
size_t ev_keep_weighted(struct ev_row *rows, int *part, double *weight, size_t n);

/* Geometry of the event study's chart for server-rendered SVG (the SVG is
 * written by a template): one point per year with its 95% interval as a
 * vertical line, the reference year at 0 without an interval, a line at 0
 * and five ticks on the value axis.  Years go left to right in order. */
struct ev_chart_point {
    int year;
    int x, y, y_lo, y_hi;     /* y_lo is the interval's lower end (drawn lower: larger y) */
    bool reference, post;
};

struct ev_chart {
    int width, height, plot_x, plot_y, plot_w, plot_h, zero_y;
    size_t n;
    struct ev_chart_point p[EV_MAX_YEARS + 1];
    double tick_value[5];
    int tick_y[5];
};

/* 0 ok; -1 when the event study has no years. */
int ev_chart_layout(const struct ev_event_study *es, struct ev_chart *c);

/* P(F > f) for Fisher's F with d1 and d2 degrees of freedom. */
double ev_f_upper(double f, double d1, double d2);

/* Student's t: P(T <= t) with df > 0 degrees of freedom, and its inverse
 * for 0 < prob < 1. */
double ev_t_cdf(double t, double df);
double ev_t_quantile(double prob, double df);

#endif
