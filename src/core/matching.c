/* Nearest-neighbour matching of TAS to comparison schools and the balance
 * table (see matching.h for the distance, the order and the SMDs). */
#include "core/matching.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char *mt_covariate_name(enum mt_covariate c)
{
    static const char *const names[MT_NCOV] = {"pupils", "fsm_pct", "sen_pct", "prior_rate"};
    return (unsigned)c < MT_NCOV ? names[c] : "?";
}

const char *mt_error_text(enum mt_error e)
{
    switch (e) {
    case MT_OK: return "ok";
    case MT_ERR_NOMEM: return "out of memory";
    case MT_ERR_OPTIONS: return "k must be at least 1 and the caliper more than 0";
    case MT_ERR_SCHOOL: return "a school's group must be tas or comparison and its covariates numbers";
    case MT_ERR_NO_TAS: return "there is no TAS school";
    case MT_ERR_NO_COMPARISON: return "there is no comparison school";
    }
    return "unknown error";
}

/* ---- the balance table ------------------------------------------------------ */

/* Weighted mean and sample variance (n-1; 0 for one school) of covariate
 * c over the schools of a group with weight w[i] > 0 (w NULL: all 1). */
static void group_moments(const struct mt_school *s, size_t n, int g, enum mt_covariate c, const double *w,
                          double *mean, double *var)
{
    double sw = 0, sx = 0, ss = 0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i].group == g && (!w || w[i] > 0)) {
            double wi = w ? w[i] : 1;
            sw += wi;
            sx += wi * s[i].x[c];
            m++;
        }
    *mean = sw > 0 ? sx / sw : NAN;
    for (size_t i = 0; i < n; i++)
        if (s[i].group == g && !w) {
            double d = s[i].x[c] - *mean;
            ss += d * d;
        }
    if (var)
        *var = m > 1 ? ss / (double)(m - 1) : 0;
}

static double smd(const double mean[2], double sd)
{
    return sd > 0 ? (mean[MT_TAS] - mean[MT_COMPARISON]) / sd : NAN;
}

static void balance_before(const struct mt_school *s, size_t n, struct mt_balance *b)
{
    for (int c = 0; c < MT_NCOV; c++) {
        double var[2];
        for (int g = 0; g < 2; g++)
            group_moments(s, n, g, (enum mt_covariate)c, NULL, &b[c].mean_before[g], &var[g]);
        b[c].sd = sqrt((var[0] + var[1]) / 2);
        b[c].smd_before = smd(b[c].mean_before, b[c].sd);
    }
}

void mt_weights(const struct mt_result *r, size_t n, double *w)
{
    for (size_t i = 0; i < n; i++)
        w[i] = 0;
    /* The pairs come by TAS school, then rank: a run is one school's m. */
    for (size_t i = 0, j; i < r->npairs; i = j) {
        for (j = i; j < r->npairs && r->pairs[j].tas == r->pairs[i].tas; j++)
            ;
        w[r->pairs[i].tas] = 1;
        for (size_t l = i; l < j; l++)
            w[r->pairs[l].comparison] += 1.0 / (double)(j - i);
    }
}

static int balance_after(const struct mt_school *s, size_t n, const struct mt_result *r, struct mt_balance *b)
{
    double *w = calloc(n ? n : 1, sizeof *w);
    if (!w)
        return -1;
    mt_weights(r, n, w);
    for (int c = 0; c < MT_NCOV; c++) {
        for (int g = 0; g < 2; g++)
            group_moments(s, n, g, (enum mt_covariate)c, w, &b[c].mean_after[g], NULL);
        b[c].smd_after = smd(b[c].mean_after, b[c].sd);
    }
    free(w);
    return 0;
}

double mt_distance(const struct mt_school *a, const struct mt_school *b, const struct mt_balance *bal)
{
    double d = 0;
    for (int c = 0; c < MT_NCOV; c++)
        if (bal[c].sd > 0) {
            double z = (a->x[c] - b->x[c]) / bal[c].sd;
            d += z * z;
        }
    return sqrt(d);
}

/* ---- the matching ------------------------------------------------------------- */

/* SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014): a school's tie order from the seed. */
static uint64_t splitmix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15u;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9u;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBu;
    return x ^ (x >> 31);
}

struct cand {
    size_t tas, comparison;
    double distance;
    uint64_t tie_tas, tie_comparison;
};

static int cand_cmp(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    if (x->distance != y->distance)
        return x->distance < y->distance ? -1 : 1;
    if (x->tie_tas != y->tie_tas)
        return x->tie_tas < y->tie_tas ? -1 : 1;
    if (x->tie_comparison != y->tie_comparison)
        return x->tie_comparison < y->tie_comparison ? -1 : 1;
    if (x->tas != y->tas)   /* seeded keys may collide: fall back to file order */
        return x->tas < y->tas ? -1 : 1;
    return (x->comparison > y->comparison) - (x->comparison < y->comparison);
}

static uint64_t tie_key(const struct mt_options *o, size_t i)
{
    return o->seeded ? splitmix64(o->seed ^ splitmix64((uint64_t)i)) : (uint64_t)i;
}

/* Every pair of a TAS and a comparison school of the same phase within the
 * caliper, closest first; NULL when out of memory. */
static struct cand *candidates(const struct mt_school *s, size_t n, const struct mt_options *o,
                               const struct mt_balance *bal, size_t *nc)
{
    size_t nt = 0, ncomp = 0;
    for (size_t i = 0; i < n; i++)
        *(s[i].group == MT_TAS ? &nt : &ncomp) += 1;
    size_t cap = nt * ncomp;
    struct cand *c = malloc((cap > 0 ? cap : 1) * sizeof *c);
    if (!c)
        return NULL;
    *nc = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n && s[i].group == MT_TAS; j++) {
            if (s[j].group != MT_COMPARISON || s[j].phase != s[i].phase)
                continue;
            double d = mt_distance(&s[i], &s[j], bal);
            if (d <= o->caliper)
                c[(*nc)++] = (struct cand){i, j, d, tie_key(o, i), tie_key(o, j)};
        }
    qsort(c, *nc, sizeof *c, cand_cmp);
    return c;
}

static int pair_cmp(const void *a, const void *b)
{
    const struct mt_pair *x = a, *y = b;
    if (x->tas != y->tas)
        return x->tas < y->tas ? -1 : 1;
    return (x->rank > y->rank) - (x->rank < y->rank);
}

/* The greedy pass over the candidates; pairs by TAS school, then rank. */
static int greedy(const struct cand *c, size_t nc, size_t n, const struct mt_options *o, struct mt_result *r)
{
    size_t *taken = calloc(n ? n : 1, sizeof *taken);   /* matches of a TAS school, uses of a comparison school */
    r->pairs = malloc((nc ? nc : 1) * sizeof *r->pairs);
    if (!taken || !r->pairs) {
        free(taken);
        return -1;
    }
    for (size_t i = 0; i < nc; i++) {
        if (taken[c[i].tas] >= o->k || (!o->replace && taken[c[i].comparison]))
            continue;
        r->tas_matched += taken[c[i].tas] == 0;
        r->comparison_used += taken[c[i].comparison] == 0;
        r->pairs[r->npairs++] = (struct mt_pair){c[i].tas, c[i].comparison, c[i].distance, ++taken[c[i].tas]};
        taken[c[i].comparison]++;
    }
    qsort(r->pairs, r->npairs, sizeof *r->pairs, pair_cmp);
    free(taken);
    return 0;
}

static enum mt_error check(const struct mt_school *s, size_t n, const struct mt_options *o, struct mt_result *r,
                           size_t *bad)
{
    *bad = SIZE_MAX;
    if (o->k < 1 || !(o->caliper > 0))
        return MT_ERR_OPTIONS;
    for (size_t i = 0; i < n; i++) {
        int ok = s[i].group == MT_TAS || s[i].group == MT_COMPARISON;
        for (int c = 0; c < MT_NCOV; c++)
            ok = ok && isfinite(s[i].x[c]);
        if (!ok) {
            *bad = i;
            return MT_ERR_SCHOOL;
        }
        *(s[i].group == MT_TAS ? &r->tas : &r->comparison) += 1;
    }
    return !r->tas ? MT_ERR_NO_TAS : !r->comparison ? MT_ERR_NO_COMPARISON : MT_OK;
}

enum mt_error mt_match(const struct mt_school *s, size_t n, const struct mt_options *o, struct mt_result *r,
                       size_t *bad)
{
    memset(r, 0, sizeof *r);
    enum mt_error e = check(s, n, o, r, bad);
    if (e != MT_OK)
        return e;
    balance_before(s, n, r->balance);
    size_t nc;
    struct cand *c = candidates(s, n, o, r->balance, &nc);
    if (!c || greedy(c, nc, n, o, r) != 0 || balance_after(s, n, r, r->balance) != 0)
        e = MT_ERR_NOMEM;
    free(c);
    if (e != MT_OK)
        mt_result_free(r);
    return e;
}

void mt_result_free(struct mt_result *r)
{
    free(r->pairs);
    r->pairs = NULL;
    r->npairs = 0;
}
