/* Did it work: rates per 100, difference-in-differences (TAS change minus
 * comparison change), and the two-way fixed-effects regression with a
 * cluster-robust standard error, against the Bedford learning report's
 * Figure 5d and against R. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/evaluate.h"
#include "lib/count.h"
#include "core/matching.h"

#define T EV_TAS
#define C EV_COMPARISON

static const int pre1[] = {2023}, post1[] = {2024};

static struct ev_panel panel(const struct ev_row *rows, size_t n)
{
    return (struct ev_panel){.rows = rows, .n = n, .pre = pre1, .npre = 1, .post = post1, .npost = 1};
}

static void assert_near(double got, double want, double rel)
{
    if (!(fabs(got - want) <= rel * fabs(want)))
        fail_msg("got %.17g, want %.17g (relative tolerance %g)", got, want, rel);
}

/* The table's four rates per 100: TAS before and after, comparison before and after. */
static void assert_rates(const struct ev_table *t, double tas_pre, double tas_post, double cmp_pre, double cmp_post)
{
    assert_near(t->cell[T][EV_PRE].rate_per_100, tas_pre, 1e-12);
    assert_near(t->cell[T][EV_POST].rate_per_100, tas_post, 1e-12);
    assert_near(t->cell[C][EV_PRE].rate_per_100, cmp_pre, 1e-12);
    assert_near(t->cell[C][EV_POST].rate_per_100, cmp_post, 1e-12);
}

/* Figure 5d (community paediatrics referrals): pilot 1.43 -> 1.35, non-pilot
 * 1.61 -> 1.93 per 100 pupils, from counts over 10,000 pupils a group and
 * year split across two schools each. */
static const struct ev_row fig5d[] = {
    {1, 2023, T, 5000, 70}, {2, 2023, T, 5000, 73}, {1, 2024, T, 5000, 60}, {2, 2024, T, 5000, 75},
    {3, 2023, C, 4000, 64}, {4, 2023, C, 6000, 97}, {3, 2024, C, 4000, 80}, {4, 2024, C, 6000, 113},
};

static void figure_5d_reproduces_from_counts(void **state)
{
    (void)state;
    struct ev_panel p = panel(fig5d, 8);
    struct ev_table t;
    size_t bad;
    assert_int_equal(ev_table(&p, &t, &bad), EV_OK);
    assert_rates(&t, 1.43, 1.35, 1.61, 1.93);
    /* "1 in 70", "1 in 74", "1 in 62", "1 in 52" pupils */
    assert_int_equal(lround(t.cell[T][EV_PRE].one_in), 70);
    assert_int_equal(lround(t.cell[T][EV_POST].one_in), 74);
    assert_int_equal(lround(t.cell[C][EV_PRE].one_in), 62);
    assert_int_equal(lround(t.cell[C][EV_POST].one_in), 52);
    assert_near(t.change_per_100[T], -0.08, 1e-9);
    assert_near(t.change_per_100[C], 0.32, 1e-9);
    assert_near(t.did_per_100, -0.40, 1e-9);             /* TAS change minus comparison change */
    assert_int_equal(lround(t.change_pct[C]), 20);
    assert_near(t.change_pct[T], -100 * 0.08 / 1.43, 1e-9); /* -5.6%: the report's -5% is from unrounded rates */
    assert_int_equal(lround(t.did_pct), -25);
    assert_int_equal(lround(t.did_one_in), 250);         /* "1 fewer pupil in every 250" */
    assert_int_equal(t.cell[T][EV_PRE].schools, 2);
    assert_int_equal(t.cell[C][EV_POST].pupils, 10000);
}

/* Figures 5e, 5f, 6a and 6b from counts that give the printed rates (two
 * schools of 100,000 pupils a group and year, so a rate to three places is
 * exact), with tas's one sign convention, TAS change minus comparison
 * change: where the report prints the other sign (docs/evaluation.md, "The
 * report is not consistent in sign") the expected value here is tas's. */
struct figure {
    const char *name;
    double tas_pre, tas_post, cmp_pre, cmp_post;   /* printed rates per 100 */
    double half;                                   /* half the last printed place of a rate */
    long one_in[4];                                /* printed "1 in N", to two significant figures */
    double did_per_100;                            /* tas's sign */
    long did_pct;                                  /* rounded, tas's sign */
};

static long two_figures(double x)
{
    double mag = pow(10, floor(log10(x)) - 1);
    return lround(x / mag) * (long)mag;
}

static void figures_5e_to_6b_reproduce_with_one_sign(void **state)
{
    (void)state;
    static const struct figure figs[] = {
        {"5e educational psychology", 2.12, 2.38, 2.05, 2.21, 0.005, {47, 42, 49, 45}, 0.10, 4},
        {"5f early help", 1.68, 1.80, 1.26, 1.37, 0.005, {60, 56, 79, 73}, 0.01, -2},
        {"6a primary exclusions", 0.035, 0.035, 0.067, 0.058, 0.0005, {2800, 2800, 1500, 1700}, 0.009, 13},
        {"6b secondary exclusions", 0.634, 0.337, 0.502, 0.373, 0.0005, {160, 300, 200, 270}, -0.168, -21},
    };
    for (size_t f = 0; f < COUNT(figs); f++) {
        const struct figure *g = &figs[f];
        const double rate[2][2] = {{g->tas_pre, g->tas_post}, {g->cmp_pre, g->cmp_post}};
        struct ev_row rows[8];
        size_t n = 0;
        for (int grp = 0; grp < 2; grp++)
            for (int per = 0; per < 2; per++) {
                /* 200,000 pupils: the count is rate x 2,000, split unevenly over two schools. */
                int64_t count = llround(rate[grp][per] * 2000);
                int school = 1 + 2 * grp;
                int year = per ? 2024 : 2023;
                int e = grp ? EV_COMPARISON : EV_TAS;
                rows[n++] = (struct ev_row){school, year, e, 100000, count / 3};
                rows[n++] = (struct ev_row){school + 1, year, e, 100000, count - count / 3};
            }
        struct ev_panel p = panel(rows, n);
        struct ev_table t;
        size_t bad;
        assert_int_equal(ev_table(&p, &t, &bad), EV_OK);
        for (int grp = 0; grp < 2; grp++)
            for (int per = 0; per < 2; per++) {
                int e = grp ? C : T, q = per ? EV_POST : EV_PRE;
                double r = rate[grp][per];
                assert_near(t.cell[e][q].rate_per_100, r, 1e-12);
                assert_near(t.cell[e][q].one_in, 100 / r, 1e-12);
                /* The report's "1 in N" comes from its unrounded rates (6a's
                 * 0.035 gives 1 in 2,857, printed 2,800): N must be what some
                 * rate that prints as this one gives. */
                long lo = two_figures(100 / (r + g->half)), hi = two_figures(100 / (r - g->half));
                long printed = g->one_in[2 * grp + per];
                if (printed < lo || printed > hi)
                    fail_msg("%s: printed 1 in %ld, but a rate printed as %g gives 1 in %ld to %ld", g->name,
                             printed, r, lo, hi);
            }
        assert_near(t.did_per_100, (g->tas_post - g->tas_pre) - (g->cmp_post - g->cmp_pre), 1e-9);
        if (fabs(t.did_per_100 - g->did_per_100) > 0.0005 || lround(t.did_pct) != g->did_pct)
            fail_msg("%s: DiD %.4f per 100, %ld%%; want %.3f, %ld%%", g->name, t.did_per_100, lround(t.did_pct),
                     g->did_per_100, g->did_pct);
    }
}

static void zero_pupils_and_negative_counts_are_refused_by_row(void **state)
{
    (void)state;
    struct ev_row rows[8];
    for (size_t i = 0; i < 8; i++)
        rows[i] = fig5d[i];
    rows[5].pupils = 0;
    struct ev_panel p = panel(rows, 8);
    struct ev_table t;
    size_t bad;
    assert_int_equal(ev_table(&p, &t, &bad), EV_ERR_PUPILS);
    assert_int_equal(bad, 5);
    rows[5].pupils = 6000;
    rows[2].count = -1;
    assert_int_equal(ev_check(&p, &bad), EV_ERR_COUNT);
    assert_int_equal(bad, 2);
    rows[2].count = 60;
    rows[6].group = 7;
    assert_int_equal(ev_check(&p, &bad), EV_ERR_GROUP);
    assert_int_equal(bad, 6);
}

static void duplicates_and_schools_in_both_groups_name_the_later_row(void **state)
{
    (void)state;
    struct ev_row rows[9];
    for (size_t i = 0; i < 8; i++)
        rows[i] = fig5d[i];
    rows[8] = (struct ev_row){2, 2023, T, 5000, 1};
    struct ev_panel p = panel(rows, 9);
    size_t bad;
    assert_int_equal(ev_check(&p, &bad), EV_ERR_DUPLICATE);
    assert_int_equal(bad, 8);
    rows[8] = fig5d[7];
    rows[8].year = 2022;   /* outside both periods: still checked */
    rows[7].group = T;      /* school 4 is comparison in rows 5 and 8 */
    assert_int_equal(ev_check(&p, &bad), EV_ERR_GROUP_CHANGES);
    assert_int_equal(bad, 7);
}

static void periods_must_be_given_apart_and_in_order(void **state)
{
    (void)state;
    struct ev_panel p = panel(fig5d, 8);
    size_t bad;
    static const int both[] = {2023, 2024};
    p.post = both;
    p.npost = 2;
    assert_int_equal(ev_check(&p, &bad), EV_ERR_PERIODS);
    p.post = pre1;
    p.npost = 1;
    p.pre = post1;
    assert_int_equal(ev_check(&p, &bad), EV_ERR_PERIODS);   /* after before before */
    p.npost = 0;
    assert_int_equal(ev_check(&p, &bad), EV_ERR_PERIODS);
    assert_int_equal(bad, SIZE_MAX);
}

static void a_group_with_no_schools_is_refused(void **state)
{
    (void)state;
    struct ev_panel p = panel(fig5d, 4);   /* TAS schools only */
    struct ev_table t;
    struct ev_fit f;
    size_t bad;
    assert_int_equal(ev_table(&p, &t, &bad), EV_ERR_EMPTY_CELL);
    assert_int_equal(ev_twfe(&p, &f, &bad), EV_ERR_EMPTY_CELL);
    static const struct ev_row no_pre[] = {
        {1, 2023, T, 500, 7}, {1, 2024, T, 500, 6}, {3, 2024, C, 400, 8}, {4, 2024, C, 600, 9},
    };
    p = panel(no_pre, 4);
    assert_int_equal(ev_table(&p, &t, &bad), EV_ERR_EMPTY_CELL);
}

static void a_single_school_is_refused(void **state)
{
    (void)state;
    struct ev_panel p = panel(fig5d, 1);
    struct ev_fit f;
    size_t bad;
    assert_int_equal(ev_twfe(&p, &f, &bad), EV_ERR_EMPTY_CELL);
    static const struct ev_row one[] = {{1, 2023, T, 500, 7}, {1, 2024, T, 500, 6}};
    p = panel(one, 2);
    assert_int_equal(ev_twfe(&p, &f, &bad), EV_ERR_EMPTY_CELL);
}

/* Two years and rolls that do not change: the weighted regression's
 * estimate is the table's DiD. */
static void regression_is_the_table_did_for_two_years_and_steady_rolls(void **state)
{
    (void)state;
    static const struct ev_row rows[] = {
        {1, 2023, T, 500, 7}, {1, 2024, T, 500, 4},  {2, 2023, T, 800, 11}, {2, 2024, T, 800, 10},
        {3, 2023, C, 400, 5}, {3, 2024, C, 400, 8},  {4, 2023, C, 600, 9},  {4, 2024, C, 600, 8},
        {5, 2023, C, 300, 2}, {5, 2024, C, 300, 4},
    };
    struct ev_panel p = panel(rows, 10);
    struct ev_table t;
    struct ev_fit f;
    size_t bad;
    assert_int_equal(ev_table(&p, &t, &bad), EV_OK);
    assert_int_equal(ev_twfe(&p, &f, &bad), EV_OK);
    assert_near(f.estimate, t.did_per_100, 1e-12);
    assert_int_equal(f.schools, 5);
    assert_int_equal(f.schools_tas, 2);
    assert_int_equal(f.observations, 10);
    assert_int_equal(f.parameters, 7);
    assert_int_equal(f.pupils, 2 * 2600);
    assert_true(f.se_cluster > 0);
}

/* tests/core/data/evaluate_panel.csv, as rows (school S0n is n); the 2020
 * row is outside both periods and left out. */
static const struct ev_row ref_panel[] = {
    {1, 2020, T, 410, 9},   {1, 2021, T, 420, 7},   {1, 2022, T, 431, 8},   {1, 2023, T, 425, 4},
    {1, 2024, T, 440, 5},   {2, 2021, T, 1180, 21}, {2, 2022, T, 1210, 25}, {2, 2023, T, 1195, 17},
    {2, 2024, T, 1230, 15}, {3, 2021, T, 260, 6},   {3, 2022, T, 255, 3},   {3, 2023, T, 262, 4},
    {4, 2021, T, 890, 12},  {4, 2022, T, 902, 14},  {4, 2023, T, 915, 13},  {4, 2024, T, 921, 9},
    {5, 2021, C, 330, 5},   {5, 2022, C, 342, 6},   {5, 2023, C, 351, 8},   {5, 2024, C, 347, 7},
    {6, 2021, C, 1420, 22}, {6, 2022, C, 1398, 27}, {6, 2023, C, 1405, 29}, {6, 2024, C, 1432, 31},
    {7, 2021, C, 615, 11},  {7, 2022, C, 630, 9},   {7, 2023, C, 622, 12},  {7, 2024, C, 640, 14},
    {8, 2022, C, 505, 6},   {8, 2023, C, 512, 9},   {8, 2024, C, 498, 8},
};

/* Expected values printed by tests/core/evaluate_reference.R (R 4.2.2,
 * sandwich 3.0.2, Debian 12's r-base-core and r-cran-sandwich):
 * lm(rate ~ treat + factor(school) + factor(year), weights = pupils) and
 * sqrt(vcovCL(fit, cluster = ~school, type = "HC1", cadjust = TRUE)["treat", "treat"]);
 * ci95 = estimate -+ qt(0.975, G - 1) * se. */
static void regression_agrees_with_r_sandwich(void **state)
{
    (void)state;
    static const int pre[] = {2021, 2022}, post[] = {2023, 2024};
    struct ev_panel p = {.rows = ref_panel, .n = COUNT(ref_panel),
                         .pre = pre, .npre = 2, .post = post, .npost = 2};
    struct ev_fit f;
    size_t bad;
    assert_int_equal(ev_twfe(&p, &f, &bad), EV_OK);
    assert_near(f.estimate, -0.91713109987051977, 1e-9);
    assert_near(f.se_cluster, 0.14603987953178318, 1e-9);
    assert_near(f.t_crit, 2.3646242515927844, 1e-9);
    assert_near(f.ci95[0], -1.262460540711063, 1e-9);
    assert_near(f.ci95[1], -0.57180165902997659, 1e-9);
    assert_int_equal(f.observations, 30);
    assert_int_equal(f.parameters, 12);
    assert_int_equal(f.schools, 8);
    assert_int_equal(f.df, 7);
    assert_int_equal(f.pupils, 21983);
    struct ev_table t;
    assert_int_equal(ev_table(&p, &t, &bad), EV_OK);
    assert_rates(&t, 1.7303532804614274, 1.2435040831477358, 1.6412213740458015, 2.0320303082486655);
}

/* The event study's years, estimates and standard errors against R's. */
struct want_year {
    int year;
    double est, se;
};

static void assert_event_years(const struct ev_event_study *es, const struct want_year *want, size_t n)
{
    assert_int_equal(es->nyears, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(es->year[i].year, want[i].year);
        assert_near(es->year[i].estimate, want[i].est, 1e-9);
        assert_near(es->year[i].se_cluster, want[i].se, 1e-9);
    }
}

/* The same panel and R run, with 2021-2023 as the years before and 2024
 * after: reference year 2023; lm(rate ~ ev2021 + ev2022 + ev2024 +
 * factor(school) + factor(year), weights = pupils), evY = TAS school in
 * year Y; vcovCL as above; F = b' V^-1 b / 2 over the leads (2021, 2022)
 * and pf(F, 2, G - 1, lower.tail = FALSE). */
static void event_study_agrees_with_r_sandwich(void **state)
{
    (void)state;
    static const int pre[] = {2021, 2022, 2023}, post[] = {2024};
    struct ev_panel p = {.rows = ref_panel, .n = COUNT(ref_panel),
                         .pre = pre, .npre = 3, .post = post, .npost = 1};
    struct ev_event_study *es = malloc(sizeof *es);
    size_t bad;
    assert_int_equal(ev_event_study(&p, es, &bad), EV_OK);
    assert_int_equal(es->reference_year, 2023);
    assert_int_equal(es->nyears, 3);
    assert_int_equal(es->leads, 2);
    static const struct want_year want[] = {
        {2021, 0.79821286082671894, 0.26006493802958075},
        {2022, 0.76510800796173728, 0.29498261732443865},
        {2024, -0.28035049705525827, 0.17507262901946868},
    };
    assert_event_years(es, want, 3);
    assert_near(es->f_stat, 6.2267357874275344, 1e-9);
    assert_near(es->p_value, 0.027948161135145724, 1e-9);
    assert_int_equal(es->df, 7);
    assert_int_equal(es->parameters, 8 + 3 + 3);
    /* One year before: nothing to check a trend against. */
    static const int pre1y[] = {2022}, post2[] = {2023, 2024};
    p.pre = pre1y;
    p.npre = 1;
    p.post = post2;
    p.npost = 2;
    assert_int_equal(ev_event_study(&p, es, &bad), EV_ERR_ONE_PRE_YEAR);
    free(es);
}

/* The same panel and R run: glm(count ~ treat + factor(school) +
 * factor(year), family = poisson, offset = log(pupils)) with glm's
 * convergence test tightened to 1e-14, and sqrt(vcovCL(fit, cluster =
 * ~school, type = "HC0", cadjust = TRUE)["treat", "treat"]).  IRLS
 * converges quadratically and both fits stop at rounding level: the
 * estimate and the standard error agree with R's to about 1e-14 relative
 * (measured: 8e-16 and 8e-15), so 1e-12 leaves a margin for another
 * compiler or libm and is tighter than the 1e-9 asked for. */
static void poisson_agrees_with_r_glm_and_sandwich(void **state)
{
    (void)state;
    static const int pre[] = {2021, 2022}, post[] = {2023, 2024};
    struct ev_panel p = {.rows = ref_panel, .n = COUNT(ref_panel),
                         .pre = pre, .npre = 2, .post = post, .npost = 2};
    struct ev_poisson f;
    size_t bad;
    assert_int_equal(ev_poisson(&p, &f, &bad), EV_OK);
    assert_near(f.estimate, -0.56350776018234583, 1e-12);
    assert_near(f.rate_ratio, 0.56920890952059455, 1e-12);
    assert_near(f.se_cluster, 0.066439203246413253, 1e-12);
    assert_near(f.ci95[0], -0.72061151143531665, 1e-12);
    assert_near(f.ci95[1], -0.406404008929375, 1e-12);
    assert_near(f.rate_ratio_ci95[0], 0.48645469238032452, 1e-12);
    assert_near(f.rate_ratio_ci95[1], 0.66604102653883479, 1e-12);
    assert_near(f.deviance, 3.8799487866798144, 1e-12);
    assert_near(f.adjustment, 8.0 / 7.0, 1e-15);
    assert_true(f.iterations > 1 && f.iterations <= 100);
    assert_int_equal(f.schools, 8);
    assert_int_equal(f.schools_all_zero, 0);
    assert_int_equal(f.observations, 30);
    assert_int_equal(f.parameters, 12);
    assert_int_equal(f.df, 7);
    assert_int_equal(f.pupils, 21983);
}

/* Weights (the matched comparison, docs/evaluation.md): the same panel with
 * school 5 weighing 2, 6 a half, 8 one and a half, the rest 1.  Expected
 * values from tests/core/evaluate_reference.R (R 4.2.2, sandwich 3.0.2):
 * rates sum(w count) / sum(w pupils); lm(rate ~ treat + factor(school) +
 * factor(year), weights = pupils * w) with vcovCL(type = "HC1", cadjust =
 * TRUE); glm(count ~ ..., family = poisson, offset = log(pupils), weights =
 * w) with vcovCL(type = "HC0"); the event study as above, weighted. */
static void weighted_models_agree_with_r(void **state)
{
    (void)state;
    enum { N = COUNT(ref_panel) };
    static const double by_school[] = {0, 1, 1, 1, 1, 2, 0.5, 1, 1.5};
    double w[N];
    for (size_t i = 0; i < N; i++)
        w[i] = by_school[ref_panel[i].school];
    static const int pre[] = {2021, 2022}, post[] = {2023, 2024};
    struct ev_panel p = {.rows = ref_panel, .n = N, .pre = pre, .npre = 2, .post = post, .npost = 2, .weight = w};
    struct ev_table t;
    size_t bad;
    assert_int_equal(ev_table(&p, &t, &bad), EV_OK);
    assert_rates(&t, 1.7303532804614274, 1.2435040831477358, 1.5876353695720744, 1.9940981847447017);
    /* Comparison before, by hand: 2 x (5 + 6) + 0.5 x (22 + 27) + (11 + 9) + 1.5 x 6. */
    assert_near(t.cell[C][EV_PRE].weighted_count, 22 + 24.5 + 20 + 9, 1e-15);
    assert_int_equal(t.cell[C][EV_PRE].count, 11 + 49 + 20 + 6);
    struct ev_fit f;
    assert_int_equal(ev_twfe(&p, &f, &bad), EV_OK);
    assert_near(f.estimate, -0.9507138964185422, 1e-9);
    assert_near(f.se_cluster, 0.14666727087634437, 1e-9);
    assert_int_equal(f.schools, 8);   /* G counts each school once, whatever its weight */
    assert_int_equal(f.df, 7);
    struct ev_poisson po;
    assert_int_equal(ev_poisson(&p, &po, &bad), EV_OK);
    assert_near(po.estimate, -0.58780511498244858, 1e-12);
    assert_near(po.se_cluster, 0.066870469757348866, 1e-12);
    assert_near(po.deviance, 3.6757843295005292, 1e-12);
    static const int pre3[] = {2021, 2022, 2023}, post1y[] = {2024};
    p.pre = pre3;
    p.npre = 3;
    p.post = post1y;
    p.npost = 1;
    struct ev_event_study *es = malloc(sizeof *es);
    assert_int_equal(ev_event_study(&p, es, &bad), EV_OK);
    static const struct want_year want[] = {
        {2021, 0.83174441643074348, 0.28930799396696671},
        {2022, 0.86149505547485805, 0.27497902360507953},
        {2024, -0.21024265761679936, 0.19950068584651706},
    };
    assert_event_years(es, want, 3);
    free(es);
    /* A weight of 0 (or below, or not a number) is refused: leave the row out instead. */
    w[5] = 0;
    assert_int_equal(ev_table(&p, &t, &bad), EV_ERR_WEIGHT);
    assert_int_equal(bad, 5);
    w[5] = NAN;
    assert_int_equal(ev_twfe(&p, &f, &bad), EV_ERR_WEIGHT);
}

/* A school with no events in any year is left out: the fit is the same as
 * without it.  No events at all in TAS schools after: refused. */
static void poisson_leaves_out_all_zero_schools_and_refuses_separation(void **state)
{
    (void)state;
    static const int pre[] = {2021, 2022}, post[] = {2023, 2024};
    size_t n = COUNT(ref_panel);
    struct ev_row rows[COUNT(ref_panel) + 4];
    for (size_t i = 0; i < n; i++)
        rows[i] = ref_panel[i];
    for (int y = 0; y < 4; y++)
        rows[n + (size_t)y] = (struct ev_row){9, 2021 + y, C, 150, 0};
    struct ev_panel p = {.rows = rows, .n = n + 4, .pre = pre, .npre = 2, .post = post, .npost = 2};
    struct ev_poisson f;
    size_t bad;
    assert_int_equal(ev_poisson(&p, &f, &bad), EV_OK);
    assert_int_equal(f.schools_all_zero, 1);
    assert_int_equal(f.schools, 8);
    assert_near(f.estimate, -0.56350776018234583, 1e-9);
    assert_near(f.se_cluster, 0.066439203246413253, 1e-9);
    for (size_t i = 0; i < n; i++)
        if (rows[i].group == T && rows[i].year >= 2023)
            rows[i].count = 0;
    assert_int_equal(ev_poisson(&p, &f, &bad), EV_ERR_SEPARATED);
}

/* Figure 5d: a DiD of -0.40 per 100 over 10,000 TAS pupils after is 40
 * referrals avoided; a cost of 20,000 is 500 a referral avoided.  Not
 * defined when the DiD is not negative or the cost is not a cost. */
static void cost_per_event_avoided(void **state)
{
    (void)state;
    struct ev_panel p = panel(fig5d, 8);
    struct ev_table t;
    struct ev_cost ce;
    size_t bad;
    assert_int_equal(ev_table(&p, &t, &bad), EV_OK);
    ev_cost_effectiveness(20000, &t, &ce);
    assert_true(ce.defined);
    assert_null(ce.why);
    assert_int_equal(ce.pupils_after, 10000);
    assert_near(ce.events_avoided, 40, 1e-12);
    assert_near(ce.cost_per_event_avoided, 500, 1e-12);
    ev_cost_effectiveness(-1, &t, &ce);
    assert_false(ce.defined);
    assert_true(isnan(ce.cost_per_event_avoided));
    t.did_per_100 = 0;
    ev_cost_effectiveness(20000, &t, &ce);
    assert_false(ce.defined);
    assert_non_null(ce.why);
    assert_true(isnan(ce.cost_per_event_avoided));
    t.did_per_100 = 0.2;
    ev_cost_effectiveness(20000, &t, &ce);
    assert_false(ce.defined);
    assert_near(ce.events_avoided, -20, 1e-12);
}

static void unidentified_and_degenerate_models_are_refused(void **state)
{
    (void)state;
    struct ev_fit f;
    size_t bad;
    /* TAS school 2 is only seen after: its school effect absorbs the
     * treatment, and school 1 is never treated while seen. */
    static const struct ev_row absorbed[] = {
        {1, 2023, T, 500, 7}, {2, 2024, T, 500, 6}, {3, 2023, C, 400, 5},
        {3, 2024, C, 400, 8}, {4, 2023, C, 600, 9}, {4, 2024, C, 600, 8},
    };
    struct ev_panel p = panel(absorbed, 6);
    assert_int_equal(ev_twfe(&p, &f, &bad), EV_ERR_NOT_IDENTIFIED);
    /* Two schools, two years: four parameters for four school-years. */
    static const struct ev_row square[] = {
        {1, 2023, T, 500, 7}, {1, 2024, T, 500, 6}, {3, 2023, C, 400, 5}, {3, 2024, C, 400, 8},
    };
    p = panel(square, 4);
    assert_int_equal(ev_twfe(&p, &f, &bad), EV_ERR_NO_DF);
    /* 2022 is seen only in school 9, seen in no other year. */
    static const int pre2[] = {2022, 2023};
    static const struct ev_row lonely[] = {
        {1, 2023, T, 500, 7}, {1, 2024, T, 500, 6}, {2, 2023, T, 300, 3}, {2, 2024, T, 300, 2},
        {3, 2023, C, 400, 5}, {3, 2024, C, 400, 8}, {4, 2023, C, 600, 9}, {4, 2024, C, 600, 8},
        {9, 2022, C, 100, 1},
    };
    p = panel(lonely, 9);
    p.pre = pre2;
    p.npre = 2;
    assert_int_equal(ev_twfe(&p, &f, &bad), EV_ERR_YEAR_ALIASED);
}

/* qt(0.975, df) and pf from R 4.2.2 (tests/core/evaluate_reference.R). */
static void t_quantiles_agree_with_r(void **state)
{
    (void)state;
    assert_near(ev_t_quantile(0.975, 1), 12.706204736174694, 1e-12);
    assert_near(ev_t_quantile(0.975, 2), 4.3026527297494619, 1e-12);
    assert_near(ev_t_quantile(0.975, 5), 2.5705818356363137, 1e-12);
    assert_near(ev_t_quantile(0.975, 30), 2.0422724563012378, 1e-12);
    assert_near(ev_t_quantile(0.025, 5), -2.5705818356363137, 1e-12);
    assert_near(ev_t_cdf(2.5705818356363137, 5), 0.975, 1e-13);
    assert_true(isnan(ev_t_quantile(1, 5)));
    assert_near(ev_f_upper(6.2267357874275344, 2, 7), 0.027948161135145724, 1e-9);
}

/* Disclosure: a count from 1 to threshold-1 in any one year and part of a
 * group-period hides it (even when the period's total is large), its
 * group's change and the DiD; a true 0 and counts at the threshold stay. */
static void disclosure_hides_small_counts_and_what_gives_them_back(void **state)
{
    (void)state;
    static const int pre[] = {2022, 2023}, post[] = {2024};
    /* TAS: 2022 part 1 has 2 (small) beside 50 in 2023; comparison after:
     * part 1 has 5 (the threshold), part 2 a true 0. */
    const struct ev_row rows[] = {
        {1, 2022, T, 500, 2}, {1, 2023, T, 500, 50}, {1, 2024, T, 500, 40},
        {2, 2022, C, 500, 30}, {2, 2023, C, 500, 30}, {2, 2024, C, 500, 5}, {3, 2024, C, 500, 0},
        {4, 2020, T, 500, 1},   /* a year in neither period: not looked at */
    };
    const int part[] = {1, 1, 1, 1, 1, 1, 2, 1};
    struct ev_panel p = {.rows = rows, .n = 8, .pre = pre, .npre = 2, .post = post, .npost = 1};
    struct ev_disclosure d;
    ev_disclose(&p, part, 5, &d);
    assert_true(d.cell[T][EV_PRE]);
    assert_false(d.cell[T][EV_POST]);
    assert_false(d.cell[C][EV_PRE]);
    assert_false(d.cell[C][EV_POST]);
    assert_true(d.change[T]);
    assert_false(d.change[C]);
    assert_true(d.did);
    ev_disclose(&p, part, 0, &d);          /* exact: nothing hidden */
    assert_false(d.cell[T][EV_PRE] || d.change[T] || d.did);
    ev_disclose(&p, part, 6, &d);          /* 5 is now below the threshold */
    assert_true(d.cell[C][EV_POST]);
    /* Parts apart: comparison after in part 1 is 3 and in part 2 is 3: each
     * small although together 6 is not. */
    const struct ev_row split[] = {{2, 2024, C, 500, 3}, {3, 2024, C, 500, 3}, {1, 2024, T, 500, 40}};
    const int parts[] = {1, 2, 1};
    struct ev_panel ps = {.rows = split, .n = 3, .pre = pre, .npre = 2, .post = post, .npost = 1};
    ev_disclose(&ps, parts, 5, &d);
    assert_true(d.cell[C][EV_POST]);
    ev_disclose(&ps, NULL, 5, &d);         /* one part: 6, shown */
    assert_false(d.cell[C][EV_POST]);
}

/* Views that weigh the schools differently (core/evaluate.h): the comparison
 * schools' counts before are 3 (small), 64, 97 and 0, so the small 3 and the
 * smallest count of 5 or more, 64, form one block.  A view that weighs them
 * alike shows its figure; one that weighs them apart hides it (else it less
 * the "all" view, or less another view, would give 3 back). */
static void disclosure_of_weighted_views(void **state)
{
    (void)state;
    const struct ev_row rows[] = {
        {1, 2023, T, 500, 50}, {1, 2024, T, 500, 40},
        {10, 2023, C, 500, 3}, {11, 2023, C, 500, 64}, {12, 2023, C, 500, 97}, {13, 2023, C, 500, 0},
        {14, 2023, C, 500, 64},   /* as small as 11: the lower id, 11, joins the block */
        {10, 2024, C, 500, 2}, {11, 2024, C, 500, 1}, {12, 2024, C, 500, 0},
    };
    enum { N = COUNT(rows) };
    struct ev_panel p = {.rows = rows, .n = N, .pre = pre1, .npre = 1, .post = post1, .npost = 1};
    struct ev_disclosure d;
    ev_disclose(&p, NULL, 5, &d);   /* all, once: before shown; after (2 + 1 + 0) hidden */
    assert_false(d.cell[C][EV_PRE]);
    assert_true(d.cell[C][EV_POST]);
    static const struct {
        double w[7];   /* schools 1 and 10 to 14 */
        bool pre, post;
    } views[] = {
        {{1, 0, 1, 1, 1, 1}, true, true},         /* 10 left out, 11 kept: 3 would be all less this */
        {{1, 0.5, 0.5, 2, 0, 1}, false, true},    /* the block alike (a half each); 13's 0 and 14 are alone */
        {{1, 0, 0, 1, 1, 0}, false, false},       /* the block left out whole: after, only 12's 0 is used */
        {{1, 1, 1, 0, 1, 0}, false, true},        /* 14 left out: it is not in the block */
        {{1, 1, 2, 1, 1, 1}, true, true},         /* the block weighed apart: 11 twice */
        {{1, 0, 0, 1, 1, 1}, false, false},       /* 14 kept, 11 not: the tie went to 11, so fine */
        {{1, 1, 0, 1, 1, 1}, true, true},
    };
    for (size_t v = 0; v < COUNT(views); v++) {
        double w[N];
        for (size_t i = 0; i < N; i++)
            w[i] = views[v].w[rows[i].school == 1 ? 0 : rows[i].school - 9];
        p.weight = w;
        ev_disclose(&p, NULL, 5, &d);
        if (d.cell[C][EV_PRE] != views[v].pre || d.cell[C][EV_POST] != views[v].post)
            fail_msg("view %zu: before %s, after %s", v, d.cell[C][EV_PRE] ? "hidden" : "shown",
                     d.cell[C][EV_POST] ? "hidden" : "shown");
        assert_true(d.did == (views[v].pre || views[v].post));
        assert_false(d.cell[T][EV_PRE] || d.cell[T][EV_POST]);
    }
}

/* Gaussian elimination against a basis b[0..*nb) of vectors of length n
 * (each with a leading 1 at lead[k]): reduces v and says whether anything
 * is left; when add, keeps what is left in the basis. */
static bool independent(double b[][8], size_t *lead, size_t *nb, const double *v0, size_t n, bool add)
{
    double v[8];
    for (size_t i = 0; i < n; i++)
        v[i] = v0[i];
    for (size_t k = 0; k < *nb; k++) {
        double f = v[lead[k]];
        for (size_t i = 0; i < n; i++)
            v[i] -= f * b[k][i];
    }
    size_t piv = n;
    for (size_t i = 0; i < n; i++)
        if (fabs(v[i]) > 1e-9 && (piv == n || fabs(v[i]) > fabs(v[piv])))
            piv = i;
    if (piv == n)
        return false;
    if (add) {
        double f = v[piv];
        for (size_t i = 0; i < n; i++)
            v[i] /= f;
        for (size_t k = 0; k < *nb; k++) {   /* keep the basis reduced at the new pivot */
            double g = b[k][piv];
            for (size_t i = 0; i < n; i++)
                b[k][i] -= g * v[i];
        }
        for (size_t i = 0; i < n; i++)
            b[*nb][i] = v[i];
        lead[(*nb)++] = piv;
    }
    return true;
}

/* Small counts of one group, year and part whose sum some set of views
 * shown at threshold t pins down: the views are every weighting of the
 * schools by 0, 1/2, 1 or 2 that ev_disclose lets through, and a set of
 * schools' sum is pinned down when its indicator is in their span. */
static size_t pinned_small_sums(const int64_t *cnt, size_t n, int t)
{
    static const double levels[] = {0, 0.5, 1, 2};
    struct ev_row rows[8];
    for (size_t i = 0; i < n; i++)
        rows[i] = (struct ev_row){(int64_t)i + 1, 2023, C, 100, cnt[i]};
    double basis[8][8];
    size_t lead[8], nb = 0, views = 1;
    for (size_t i = 0; i < n; i++)
        views *= 4;
    for (size_t code = 0; code < views; code++) {
        double w[8];
        for (size_t i = 0, c = code; i < n; i++, c /= 4)
            w[i] = levels[c % 4];
        struct ev_panel p = {.rows = rows, .n = n, .pre = pre1, .npre = 1, .post = post1, .npost = 1, .weight = w};
        struct ev_disclosure d;
        ev_disclose(&p, NULL, t, &d);
        if (!d.cell[C][EV_PRE])
            independent(basis, lead, &nb, w, n, true);
    }
    size_t pinned = 0;
    for (size_t set = 1; set < ((size_t)1 << n); set++) {
        double x[8];
        int64_t sum = 0;
        for (size_t i = 0; i < n; i++) {
            x[i] = (double)((set >> i) & 1);
            sum += (set >> i) & 1 ? cnt[i] : 0;
        }
        if (sum >= 1 && sum < 5 && !independent(basis, lead, &nb, x, n, false))
            pinned++;
    }
    return pinned;
}

/* The hostile reader with every view at once: for 300 small random sets of
 * schools (2 to 5, counts from 0 to 12, threshold 5), every weighting by 0,
 * 1/2, 1 and 2 that the control shows, solved together, pins down no sum of
 * schools' counts from 1 to 4.  Without the control (threshold 0: all
 * shown) the same reader pins one down in most of them. */
static void no_set_of_weighted_views_isolates_a_small_count(void **state)
{
    (void)state;
    static const int64_t draws[] = {0, 1, 2, 3, 4, 5, 6, 7, 9, 12};
    uint64_t x = 0x2545F4914F6CDD1Dull;
    size_t exposed = 0;
    for (int trial = 0; trial < 300; trial++) {
        size_t n = 2 + (size_t)trial % 4;
        int64_t cnt[8];
        for (size_t i = 0; i < n; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;   /* xorshift64 */
            cnt[i] = draws[x % (COUNT(draws))];
        }
        size_t pinned = pinned_small_sums(cnt, n, 5);
        if (pinned)
            fail_msg("trial %d: %zu small sums pinned down", trial, pinned);
        exposed += pinned_small_sums(cnt, n, 0) > 0;
    }
    assert_true(exposed > 150);
}

/* The chart: years in order with the reference year at 0 between the
 * leads and the post years; larger values higher (smaller y); the
 * interval's ends either side of the point; ticks span the values. */
static void event_study_chart_layout(void **state)
{
    (void)state;
    struct ev_event_study es = {0};
    es.reference_year = 2022;
    es.leads = 2;
    es.nyears = 3;
    es.year[0] = (struct ev_event_year){2020, 0.5, 0.1, {0.2, 0.8}};
    es.year[1] = (struct ev_event_year){2021, -0.1, 0.1, {-0.3, 0.1}};
    es.year[2] = (struct ev_event_year){2023, -1.0, 0.2, {-1.4, -0.6}};
    struct ev_chart c;
    assert_int_equal(ev_chart_layout(&es, &c), 0);
    assert_int_equal(c.n, 4);
    int years[] = {2020, 2021, 2022, 2023};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(c.p[i].year, years[i]);
        if (i)
            assert_true(c.p[i].x > c.p[i - 1].x);
        assert_true(c.p[i].y_hi <= c.p[i].y && c.p[i].y <= c.p[i].y_lo);
        assert_true(c.p[i].y_hi >= c.plot_y && c.p[i].y_lo <= c.plot_y + c.plot_h);
    }
    assert_true(c.p[2].reference);
    assert_int_equal(c.p[2].y, c.zero_y);
    assert_false(c.p[1].post);
    assert_true(c.p[3].post);
    assert_true(c.p[0].y < c.zero_y && c.p[3].y > c.zero_y);
    assert_true(c.tick_value[0] < -1.4 && c.tick_value[4] > 0.8);
    assert_true(c.tick_y[0] > c.tick_y[4]);
    es.nyears = 0;
    assert_int_equal(ev_chart_layout(&es, &c), -1);
}


/* The matched comparison (issue 14): matching chooses schools 3 and 4 for
 * TAS schools 1 and 2 (school 5 is far from both), and the DiD over the TAS
 * schools and 3 and 4 only, by hand: TAS 50/2000 -> 40/2000, 2.5 -> 2.0
 * per 100, change -0.5; matched comparison (10 + 45)/2000 -> (15 + 45)/2000,
 * 2.75 -> 3.0, change +0.25; DiD -0.75 per 100 and -20 - 9.0909... = -29.0909...
 * percentage points.  Over all three comparison schools it is +0.875. */
static void matched_did_uses_only_the_chosen_comparison_schools(void **state)
{
    (void)state;
    struct ev_row rows[] = {
        {5, 2023, C, 2000, 100}, {1, 2023, T, 1000, 20}, {3, 2023, C, 500, 10}, {2, 2023, T, 1000, 30},
        {4, 2023, C, 1500, 45},  {5, 2024, C, 2000, 40}, {1, 2024, T, 1000, 10}, {2, 2024, T, 1000, 30},
        {3, 2024, C, 500, 15},   {4, 2024, C, 1500, 45},
    };
    int part[] = {1, 1, 1, 1, 2, 3, 1, 1, 1, 2};
    const size_t n = COUNT(rows);
    struct ev_panel all = panel(rows, n);
    struct ev_table t;
    size_t bad;
    assert_int_equal(ev_table(&all, &t, &bad), EV_OK);
    assert_near(t.did_per_100, 0.875, 1e-12);

    /* Schools 1-5 (index + 1) as matching sees them: pupils, % FSM, % SEN, rate before. */
    const struct mt_school s[] = {
        {MT_TAS, 1, {1000, 20, 10, 2.0}},        {MT_TAS, 1, {1000, 30, 15, 3.0}},
        {MT_COMPARISON, 1, {500, 21, 10, 2.0}},  {MT_COMPARISON, 1, {1500, 31, 15, 3.0}},
        {MT_COMPARISON, 1, {2000, 60, 40, 5.0}},
    };
    struct mt_options o = {.k = 1, .caliper = INFINITY};
    struct mt_result r;
    assert_int_equal(mt_match(s, 5, &o, &r, &bad), MT_OK);
    assert_int_equal(r.npairs, 2);
    double ws[5], w[COUNT(rows)];
    mt_weights(&r, 5, ws);
    mt_result_free(&r);
    for (size_t i = 0; i < 5; i++)
        assert_near(ws[i], i < 4 ? 1.0 : 0.0, 0);   /* 1 and 2 matched, 3 and 4 chosen once, 5 left out */
    for (size_t i = 0; i < n; i++)
        w[i] = ws[rows[i].school - 1];

    size_t kept = ev_keep_weighted(rows, part, w, n);
    assert_int_equal(kept, 8);
    /* The left-out school's rows last, in order, with their parts and weights. */
    assert_true(rows[8].school == 5 && rows[8].year == 2023 && part[8] == 1 && w[8] == 0);
    assert_true(rows[9].school == 5 && rows[9].year == 2024 && part[9] == 3 && w[9] == 0);
    /* The kept rows in their order, each with its own part. */
    assert_true(rows[0].school == 1 && rows[3].school == 4 && part[3] == 2 && rows[7].school == 4 && part[7] == 2);
    assert_true(rows[4].school == 1 && rows[4].year == 2024 && part[4] == 1 && w[4] == 1);

    struct ev_panel matched = panel(rows, kept);
    assert_int_equal(ev_table(&matched, &t, &bad), EV_OK);
    assert_near(t.cell[C][EV_PRE].rate_per_100, 2.75, 1e-12);
    assert_near(t.cell[C][EV_POST].rate_per_100, 3.0, 1e-12);
    assert_int_equal(t.cell[C][EV_PRE].schools, 2);
    assert_near(t.cell[T][EV_PRE].rate_per_100, 2.5, 1e-12);
    assert_near(t.did_per_100, -0.75, 1e-12);
    assert_near(t.did_pct, -20.0 - 100.0 / 11.0, 1e-12);

    /* No comparison school kept: the TAS schools' rows only. */
    for (size_t i = 0; i < n; i++)
        w[i] = rows[i].group == T;
    assert_int_equal(ev_keep_weighted(rows, NULL, w, n), 4);
    assert_int_equal(ev_table(&(struct ev_panel){.rows = rows, .n = 4, .pre = pre1, .npre = 1, .post = post1,
                                                 .npost = 1},
                              &t, &bad),
                     EV_ERR_EMPTY_CELL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(figure_5d_reproduces_from_counts),
        cmocka_unit_test(figures_5e_to_6b_reproduce_with_one_sign),
        cmocka_unit_test(zero_pupils_and_negative_counts_are_refused_by_row),
        cmocka_unit_test(duplicates_and_schools_in_both_groups_name_the_later_row),
        cmocka_unit_test(periods_must_be_given_apart_and_in_order),
        cmocka_unit_test(a_group_with_no_schools_is_refused),
        cmocka_unit_test(a_single_school_is_refused),
        cmocka_unit_test(regression_is_the_table_did_for_two_years_and_steady_rolls),
        cmocka_unit_test(regression_agrees_with_r_sandwich),
        cmocka_unit_test(event_study_agrees_with_r_sandwich),
        cmocka_unit_test(poisson_agrees_with_r_glm_and_sandwich),
        cmocka_unit_test(weighted_models_agree_with_r),
        cmocka_unit_test(poisson_leaves_out_all_zero_schools_and_refuses_separation),
        cmocka_unit_test(cost_per_event_avoided),
        cmocka_unit_test(unidentified_and_degenerate_models_are_refused),
        cmocka_unit_test(t_quantiles_agree_with_r),
        cmocka_unit_test(disclosure_hides_small_counts_and_what_gives_them_back),
        cmocka_unit_test(disclosure_of_weighted_views),
        cmocka_unit_test(no_set_of_weighted_views_isolates_a_small_count),
        cmocka_unit_test(event_study_chart_layout),
        cmocka_unit_test(matched_did_uses_only_the_chosen_comparison_schools),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
