/* Matching: choosing comparison schools that look like the TAS schools
 * before TAS, so that a difference-in-differences compares like with like.
 * Pure: no I/O; double precision.
 *
 * Each TAS school is matched to its k nearest comparison schools of the
 * same phase, on a Euclidean distance between covariates standardised by
 * their pooled standard deviation (below).  Greedy: every candidate pair
 * (same phase, within the caliper) is taken in order of distance, closest
 * first, and kept while its TAS school has fewer than k matches and, when
 * matching without replacement, its comparison school is still free.  With
 * replacement this is each TAS school's k nearest; without, a comparison
 * school goes to the TAS school it is closest to first.  Pairs at exactly
 * the same distance are ordered by the TAS school, then the comparison
 * school, in file order, or, with a seed, in an order drawn from the seed:
 * the result is the same for the same input and seed.
 *
 * Why this distance: the covariates (size, % FSM, % SEN, prior rate) are
 * on different scales, so each is divided by its standard deviation; a
 * Mahalanobis distance would also undo their correlations, but with the
 * tens of schools an authority has its covariance matrix is poorly
 * estimated (and singular with fewer schools than covariates), while the
 * standardised distance is always defined, and its unit, a pooled
 * standard deviation, is the unit of the balance table's standardised
 * mean differences and of the caliper.  Phase is matched exactly.
 *
 * The pooled standard deviation of a covariate is
 *   sd = sqrt((var_tas + var_comparison) / 2)
 * over all schools before matching, each variance with n-1 (0 for a group
 * of one school); a covariate with sd 0 does not enter the distance.  The
 * standardised mean difference (Austin 2009, "Balance diagnostics for
 * comparing the distribution of baseline covariates between treatment
 * groups in propensity-score matched samples", Stat Med 28:3083) is
 *   smd = (mean_tas - mean_comparison) / sd
 * with the same sd before and after matching, so that a change in the SMD
 * is a change in the means only.  After matching, the TAS mean is over the
 * matched TAS schools and the comparison mean weights each pair by 1/m,
 * m its TAS school's number of matches (a school used twice counts twice). */
#ifndef TAS_CORE_MATCHING_H
#define TAS_CORE_MATCHING_H

#include <stddef.h>
#include <stdint.h>

enum mt_group { MT_TAS = 0, MT_COMPARISON = 1 };

enum mt_covariate { MT_PUPILS, MT_FSM_PCT, MT_SEN_PCT, MT_PRIOR_RATE, MT_NCOV };

/* "pupils", "fsm_pct", "sen_pct", "prior_rate". */
const char *mt_covariate_name(enum mt_covariate c);

enum mt_error {
    MT_OK = 0,
    MT_ERR_NOMEM,
    MT_ERR_OPTIONS,        /* k below 1, or a caliper not positive */
    MT_ERR_SCHOOL,         /* a school's group is neither, or a covariate is not finite */
    MT_ERR_NO_TAS,         /* no TAS school */
    MT_ERR_NO_COMPARISON   /* no comparison school */
};

const char *mt_error_text(enum mt_error e);

struct mt_school {
    int group;             /* enum mt_group */
    int phase;             /* matched exactly: any identifier */
    double x[MT_NCOV];
};

struct mt_options {
    size_t k;              /* comparison schools per TAS school, >= 1 */
    double caliper;        /* the largest distance allowed, in pooled SDs; INFINITY for none */
    int replace;           /* a comparison school may be matched to more than one TAS school */
    int seeded;            /* order ties by a seeded draw rather than by file order */
    uint64_t seed;
};

/* One match: schools are indices into the caller's array. */
struct mt_pair {
    size_t tas, comparison;
    double distance;
    size_t rank;           /* 1 for the TAS school's nearest */
};

struct mt_balance {
    double sd;                       /* pooled, before matching */
    double mean_before[2], smd_before;   /* [group]; smd NaN when sd is 0 */
    double mean_after[2], smd_after;     /* NaN when nothing is matched */
};

struct mt_result {
    struct mt_pair *pairs;           /* by TAS school in file order, then rank */
    size_t npairs;
    size_t tas, tas_matched, comparison, comparison_used;
    struct mt_balance balance[MT_NCOV];
};

/* Matches the n schools; on MT_OK the caller frees r with mt_result_free.
 * On an MT_ERR_SCHOOL, *bad is that school's index (else SIZE_MAX). */
enum mt_error mt_match(const struct mt_school *s, size_t n, const struct mt_options *o, struct mt_result *r,
                       size_t *bad);
void mt_result_free(struct mt_result *r);

/* Each school's weight after matching, w[0..n) for the n schools matched:
 * a matched TAS school 1, an unmatched one 0; a comparison school the sum
 * over its pairs of 1/m, m that pair's TAS school's number of matches (the
 * number of TAS schools it stands for: the times it is chosen when k is 1;
 * 0 when never chosen).  The balance table's "after" means use these
 * weights, and so do the matched DiD's figures (docs/evaluation.md). */
void mt_weights(const struct mt_result *r, size_t n, double *w);

/* The standardised distance between two schools, with sd from the result. */
double mt_distance(const struct mt_school *a, const struct mt_school *b, const struct mt_balance *bal);

#endif
