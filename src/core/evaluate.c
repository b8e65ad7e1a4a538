/* Rates per 100 pupils, difference-in-differences and the two-way
 * fixed-effects regression (see evaluate.h for the contracts).
 *
 * Numerical method of the regression.  The school effects are absorbed
 * exactly by the within transformation: every variable has its
 * pupil-weighted school mean taken off (Frisch-Waugh-Lovell: the remaining
 * coefficients and the residuals are those of the dummy-expanded model;
 * see e.g. Wooldridge, "Econometric Analysis of Cross Section and Panel
 * Data", 2nd ed., ch. 10.5).  What is left is a small weighted least
 * squares problem with one column per year after the first plus the
 * treatment; its rows are scaled by sqrt(pupils) and it is solved by
 * Householder QR (Golub and Van Loan, "Matrix Computations", 4th ed.,
 * 5.2), which works on the design itself rather than on X'WX, so the
 * conditioning is not squared.  The year effects are not absorbed
 * iteratively (that would only converge, not be exact); with a few
 * years the QR is tiny.  A column whose diagonal of R is below 1e-10 of
 * its own norm lies in the span of the columns before it: the model is
 * then refused rather than fitted with an arbitrary pivot.
 *
 * The cluster-robust variance uses the same reduced design: by FWL the
 * rows of (X'WX)^-1 X'W that belong to the year and treatment columns are
 * (Xt'WXt)^-1 Xt'W for the demeaned Xt, so the sandwich computed on it is
 * the corresponding block of the full model's sandwich.  The event study
 * is the same fit with one treatment column per year but the reference;
 * its pre-trend F test solves with the leads' variance by Cholesky.
 *
 * The Poisson model is fitted by iteratively reweighted least squares,
 * which for the log link (canonical for the Poisson) is Newton's method on
 * the log-likelihood (McCullagh and Nelder, "Generalized Linear Models",
 * 2nd ed., 2.5): each step is the weighted least squares fit above, with
 * weights mu and working response eta - offset + (count - mu) / mu, so the
 * school effects are absorbed the same way.  It starts, as R's glm does,
 * from mu = count + 0.1, halves a step that raises the deviance, and stops
 * when the deviance changes by less than 1e-10 of itself (R's test, with
 * R's 1e-8 tightened: Newton converges quadratically, so the coefficients
 * are then good to rounding), after at most 100 steps.  One more step from
 * the converged fit gives the coefficients and the sandwich, whose scores
 * mu * working residual are then count - mu. */
#include "core/evaluate.h"
#include "lib/count.h"

#include "core/order.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char *ev_error_text(enum ev_error e)
{
    switch (e) {
    case EV_OK: return "ok";
    case EV_ERR_NOMEM: return "out of memory";
    case EV_ERR_PERIODS: return "the years before and after must each be given, not overlap, and every year before "
                                "must come before every year after";
    case EV_ERR_GROUP: return "the group must be tas or comparison";
    case EV_ERR_PUPILS: return "pupils must be at least 1";
    case EV_ERR_COUNT: return "the count must not be negative";
    case EV_ERR_DUPLICATE: return "a school with two rows for one year";
    case EV_ERR_GROUP_CHANGES: return "a school in both groups";
    case EV_ERR_EMPTY_CELL: return "a group has no school in the years before or in the years after";
    case EV_ERR_NOT_IDENTIFIED: return "the TAS effect cannot be told apart from the school and year effects";
    case EV_ERR_YEAR_ALIASED: return "a year's effect cannot be told apart from the schools' (no school is seen "
                                     "in that year and another)";
    case EV_ERR_ONE_PRE_YEAR: return "the pre-trend check needs rows in 2 or more years before";
    case EV_ERR_NO_DF: return "as many parameters as school-years: nothing left to estimate the uncertainty from";
    case EV_ERR_NOT_CONVERGED: return "the Poisson model did not converge";
    case EV_ERR_SEPARATED: return "the Poisson model can only fit a count of zero by an infinite effect (e.g. no "
                                  "events at all in a year, or in TAS schools after)";
    case EV_ERR_WEIGHT: return "a weight must be a number above 0";
    }
    return "unknown error";
}

double ev_rate_per_100(int64_t count, int64_t pupils)
{
    return pupils > 0 ? 100.0 * (double)count / (double)pupils : NAN;
}

/* ---- checking the panel ------------------------------------------------ */

static double row_weight(const struct ev_panel *p, size_t i)
{
    return p->weight ? p->weight[i] : 1.0;
}

static int has_year(const int *ys, size_t n, int y)
{
    for (size_t i = 0; i < n; i++)
        if (ys[i] == y)
            return 1;
    return 0;
}

/* EV_PRE, EV_POST, or -1 for a year in neither. */
static int period_of(const struct ev_panel *p, int year)
{
    return has_year(p->pre, p->npre, year) ? EV_PRE : has_year(p->post, p->npost, year) ? EV_POST : -1;
}

static int periods_ok(const struct ev_panel *p)
{
    if (!p->npre || !p->npost)
        return 0;
    for (size_t i = 0; i < p->npre; i++)
        for (size_t j = 0; j < p->npost; j++)
            if (p->pre[i] >= p->post[j])
                return 0;
    return 1;
}

struct key {
    int64_t school;
    int year;
    size_t row;
};

static int key_cmp(const void *a, const void *b)
{
    const struct key *x = a, *y = b;
    const int64_t kx[] = {x->school, x->year, (int64_t)x->row};
    const int64_t ky[] = {y->school, y->year, (int64_t)y->row};
    return order_keys(kx, ky, COUNT(kx));
}

/* Rows sorted by (school, year, row); NULL when out of memory. */
static struct key *sorted_keys(const struct ev_panel *p)
{
    struct key *k = malloc((p->n ? p->n : 1) * sizeof *k);
    if (!k)
        return NULL;
    for (size_t i = 0; i < p->n; i++)
        k[i] = (struct key){p->rows[i].school, p->rows[i].year, i};
    qsort(k, p->n, sizeof *k, key_cmp);
    return k;
}

/* Keeps the first (in file order) of the offending rows found. */
static void note(enum ev_error *err, size_t *bad, enum ev_error e, size_t row)
{
    if (row < *bad) {
        *err = e;
        *bad = row;
    }
}

/* Duplicates and schools in both groups, over the sorted rows; a school's
 * group is that of its first row in the file. */
static enum ev_error check_pairs(const struct ev_panel *p, const struct key *k, size_t *bad_row)
{
    enum ev_error err = EV_OK;
    size_t bad = SIZE_MAX;
    for (size_t i = 0, j; i < p->n; i = j) {
        size_t first = k[i].row;
        for (j = i; j < p->n && k[j].school == k[i].school; j++)
            first = k[j].row < first ? k[j].row : first;
        for (size_t l = i; l < j; l++) {
            if (l > i && k[l].year == k[l - 1].year)
                note(&err, &bad, EV_ERR_DUPLICATE, k[l].row);   /* sorted by row within a year */
            if (p->rows[k[l].row].group != p->rows[first].group)
                note(&err, &bad, EV_ERR_GROUP_CHANGES, k[l].row);
        }
    }
    *bad_row = bad;
    return err;
}

enum ev_error ev_check(const struct ev_panel *p, size_t *bad_row)
{
    *bad_row = SIZE_MAX;
    if (!periods_ok(p))
        return EV_ERR_PERIODS;
    for (size_t i = 0; i < p->n; i++) {
        const struct ev_row *r = &p->rows[i];
        double w = row_weight(p, i);
        enum ev_error e = r->group != EV_TAS && r->group != EV_COMPARISON ? EV_ERR_GROUP
                          : r->pupils <= 0                                 ? EV_ERR_PUPILS
                          : r->count < 0                                   ? EV_ERR_COUNT
                          : !(w > 0 && isfinite(w))                        ? EV_ERR_WEIGHT
                                                                           : EV_OK;
        if (e != EV_OK) {
            *bad_row = i;
            return e;
        }
    }
    struct key *k = sorted_keys(p);
    if (!k)
        return EV_ERR_NOMEM;
    enum ev_error e = check_pairs(p, k, bad_row);
    free(k);
    return e;
}

/* ---- the report's table ------------------------------------------------ */

/* Counts each school once per cell it has a row in (rows sorted by school). */
static void count_schools(const struct ev_panel *p, const struct key *k, struct ev_table *t)
{
    for (size_t i = 0; i < p->n;) {
        int seen[2] = {0, 0}, g = p->rows[k[i].row].group;
        size_t j = i;
        for (; j < p->n && k[j].school == k[i].school; j++) {
            int per = period_of(p, k[j].year);
            if (per >= 0)
                seen[per] = 1;
        }
        t->cell[g][EV_PRE].schools += (size_t)seen[EV_PRE];
        t->cell[g][EV_POST].schools += (size_t)seen[EV_POST];
        i = j;
    }
}

/* From the weighted sums, which are the plain ones (exactly: whole
 * numbers well below 2^53) without weights. */
static void finish_cell(struct ev_cell *c)
{
    c->rate_per_100 = 100.0 * c->weighted_count / c->weighted_pupils;
    c->one_in = c->weighted_count > 0 ? c->weighted_pupils / c->weighted_count : INFINITY;
}

static void differences(struct ev_table *t)
{
    for (int g = 0; g < 2; g++) {
        double pre = t->cell[g][EV_PRE].rate_per_100, post = t->cell[g][EV_POST].rate_per_100;
        t->change_per_100[g] = post - pre;
        t->change_pct[g] = pre > 0 ? 100.0 * (post - pre) / pre : NAN;
    }
    t->did_per_100 = t->change_per_100[EV_TAS] - t->change_per_100[EV_COMPARISON];
    t->did_pct = t->change_pct[EV_TAS] - t->change_pct[EV_COMPARISON];
    t->did_one_in = t->did_per_100 != 0 ? 100.0 / fabs(t->did_per_100) : INFINITY;
}

enum ev_error ev_table(const struct ev_panel *p, struct ev_table *t, size_t *bad_row)
{
    memset(t, 0, sizeof *t);
    enum ev_error e = ev_check(p, bad_row);
    if (e != EV_OK)
        return e;
    for (size_t i = 0; i < p->n; i++) {
        const struct ev_row *r = &p->rows[i];
        int per = period_of(p, r->year);
        if (per < 0)
            continue;
        struct ev_cell *c = &t->cell[r->group][per];
        double w = row_weight(p, i);
        c->pupils += r->pupils;
        c->count += r->count;
        c->weighted_pupils += w * (double)r->pupils;
        c->weighted_count += w * (double)r->count;
        c->rows++;
    }
    struct key *k = sorted_keys(p);
    if (!k)
        return EV_ERR_NOMEM;
    count_schools(p, k, t);
    free(k);
    for (int g = 0; g < 2; g++)
        for (int per = 0; per < 2; per++) {
            if (!t->cell[g][per].schools)
                return EV_ERR_EMPTY_CELL;
            finish_cell(&t->cell[g][per]);
        }
    differences(t);
    return EV_OK;
}

/* ---- weighted least squares with absorbed school effects ------------------ */

/* The regression's data: n rows, each in cluster (school) sch[i] < nsch,
 * with outcome y, weight w and p design columns in x (column-major, n x p).
 * The school effects are implicit. */
struct wls {
    size_t n, p, nsch;
    size_t *sch;
    double *y, *w, *x;
};

/* Takes off every column's (and y's) weighted mean within each school. */
static int demean_by_school(struct wls *m)
{
    double *sw = calloc(m->nsch, sizeof *sw), *sv = calloc(m->nsch, sizeof *sv);
    if (!sw || !sv) {
        free(sw);
        free(sv);
        return -1;
    }
    for (size_t i = 0; i < m->n; i++)
        sw[m->sch[i]] += m->w[i];
    for (size_t j = 0; j <= m->p; j++) {
        double *v = j < m->p ? m->x + j * m->n : m->y;
        memset(sv, 0, m->nsch * sizeof *sv);
        for (size_t i = 0; i < m->n; i++)
            sv[m->sch[i]] += m->w[i] * v[i];
        for (size_t i = 0; i < m->n; i++)
            v[i] -= sv[m->sch[i]] / sw[m->sch[i]];
    }
    free(sw);
    free(sv);
    return 0;
}

/* Householder QR of a (n x p, column-major), applied to c as well; the
 * upper triangle of a holds R.  Returns the first column whose R diagonal
 * is negligible against the column's norm (it lies in the span of the
 * columns before it), or p when a has full column rank. */
static size_t householder_qr(double *a, double *c, size_t n, size_t p, double *v)
{
    for (size_t j = 0; j < p; j++) {
        double *aj = a + j * n, norm0 = 0, norm = 0;
        for (size_t i = 0; i < n; i++)
            norm0 += aj[i] * aj[i];
        for (size_t i = j; i < n; i++)
            norm += aj[i] * aj[i];
        norm0 = sqrt(norm0);
        norm = sqrt(norm);
        if (j >= n || norm0 == 0 || norm <= 1e-10 * norm0)
            return j;
        double alpha = aj[j] > 0 ? -norm : norm, vv = 0;
        for (size_t i = j; i < n; i++)
            v[i] = aj[i];
        v[j] -= alpha;
        for (size_t i = j; i < n; i++)
            vv += v[i] * v[i];
        for (size_t l = j; l <= p; l++) {   /* l == p: the right-hand side */
            double *al = l < p ? a + l * n : c, d = 0;
            for (size_t i = j; i < n; i++)
                d += v[i] * al[i];
            for (size_t i = j; i < n; i++)
                al[i] -= 2 * d / vv * v[i];
        }
        aj[j] = alpha;
        for (size_t i = j + 1; i < n; i++)
            aj[i] = 0;
    }
    return p;
}

/* rinv = R^-1 (p x p, column-major, upper triangular), R in a's upper triangle. */
static void invert_r(const double *a, size_t n, size_t p, double *rinv)
{
    memset(rinv, 0, p * p * sizeof *rinv);
    for (size_t k = 0; k < p; k++) {   /* column k of R^-1: solve R x = e_k */
        for (size_t ii = k + 1; ii-- > 0;) {
            double s = ii == k ? 1.0 : 0.0;
            for (size_t l = ii + 1; l <= k; l++)
                s -= a[l * n + ii] * rinv[k * p + l];
            rinv[k * p + ii] = s / a[ii * n + ii];
        }
    }
}

/* out = op(a) op(b) for p x p column-major matrices, op transposing when
 * asked; out must not be a or b. */
static void mat_mul(const double *a, int ta, const double *b, int tb, size_t p, double *out)
{
    for (size_t r = 0; r < p; r++)
        for (size_t c = 0; c < p; c++) {
            double t = 0;
            for (size_t l = 0; l < p; l++)
                t += (ta ? a[r * p + l] : a[l * p + r]) * (tb ? b[l * p + c] : b[c * p + l]);
            out[c * p + r] = t;
        }
}

/* Cluster-robust meat: sum over schools of s_g s_g', s_g = sum w e x (demeaned x). */
static int cluster_meat(const struct wls *m, const double *xd, const double *e, double *meat)
{
    size_t p = m->p;
    double *s = calloc(m->nsch * p, sizeof *s);
    if (!s)
        return -1;
    for (size_t i = 0; i < m->n; i++)
        for (size_t j = 0; j < p; j++)
            s[m->sch[i] * p + j] += m->w[i] * e[i] * xd[j * m->n + i];
    memset(meat, 0, p * p * sizeof *meat);
    for (size_t g = 0; g < m->nsch; g++)
        for (size_t r = 0; r < p; r++)
            for (size_t c = 0; c < p; c++)
                meat[c * p + r] += s[g * p + r] * s[g * p + c];
    free(s);
    return 0;
}

/* Residuals of the demeaned model: e = y - x b. */
static void residuals(const struct wls *m, const double *xd, const double *b, double *e)
{
    for (size_t i = 0; i < m->n; i++) {
        double f = 0;
        for (size_t j = 0; j < m->p; j++)
            f += xd[j * m->n + i] * b[j];
        e[i] = m->y[i] - f;
    }
}

/* Scratch for one fit, in one allocation. */
struct scratch {
    double *a, *c, *v, *e, *rinv, *bread, *meat;
};

static double *scratch_alloc(struct scratch *s, size_t n, size_t p)
{
    double *all = malloc((n * p + 3 * n + 3 * p * p + 1) * sizeof *all);
    if (!all)
        return NULL;
    s->a = all;
    s->c = s->a + n * p;
    s->v = s->c + n;
    s->e = s->v + n;
    s->rinv = s->e + n;
    s->bread = s->rinv + p * p;
    s->meat = s->bread + p * p;
    return all;
}

/* Back substitution: R b = Q'c. */
static void b_solve(const struct scratch *s, size_t n, size_t p, double *b)
{
    for (size_t j = p; j-- > 0;) {
        double t = s->c[j];
        for (size_t l = j + 1; l < p; l++)
            t -= s->a[l * n + j] * b[l];
        b[j] = t / s->a[j * n + j];
    }
}

/* v = bread meat bread with bread = (X'WX)^-1 = R^-1 R^-T, from the QR in s. */
static int cluster_variance(const struct wls *m, struct scratch *s, const double *xd, const double *b, double *v)
{
    size_t p = m->p;
    invert_r(s->a, m->n, p, s->rinv);
    residuals(m, xd, b, s->e);
    if (cluster_meat(m, xd, s->e, s->meat) != 0)
        return -1;
    mat_mul(s->rinv, 0, s->rinv, 1, p, s->bread);
    mat_mul(s->bread, 0, s->meat, 0, p, s->rinv);   /* rinv is free again: bread meat */
    mat_mul(s->rinv, 0, s->bread, 0, p, v);
    return 0;
}

/* Solves the absorbed WLS; b (p) and the CR1 variance v (p x p, column-major)
 * without the small-sample adjustment.  *aliased is the first column in the
 * span of those before it (p if none); returns -1 when out of memory. */
static int wls_fit(struct wls *m, double *b, double *v, size_t *aliased)
{
    size_t n = m->n, p = m->p;
    struct scratch s;
    double *all = scratch_alloc(&s, n, p);
    if (!all || demean_by_school(m) != 0) {
        free(all);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {   /* m->x stays demeaned, unscaled, for the scores */
        double r = sqrt(m->w[i]);
        s.c[i] = r * m->y[i];
        for (size_t j = 0; j < p; j++)
            s.a[j * n + i] = r * m->x[j * n + i];
    }
    int rc = 0;
    *aliased = householder_qr(s.a, s.c, n, p, s.v);
    if (*aliased == p) {
        b_solve(&s, n, p, b);
        rc = cluster_variance(m, &s, m->x, b, v);
    }
    free(all);
    return rc;
}

/* ---- the two-way fixed-effects DiD ------------------------------------- */

/* The rows of the pre and post years, with dense school and year indices. */
struct panel_idx {
    size_t n, nsch, nyears, ntas, ncomp;
    size_t *row, *sch, *yr;
    int years[EV_MAX_YEARS];
};

static void panel_idx_free(struct panel_idx *q)
{
    free(q->row);
    free(q->sch);
    free(q->yr);
}

static int int_cmp(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The years used, sorted; EV_ERR_PERIODS when there are more than fit. */
static enum ev_error index_years(const struct ev_panel *p, struct panel_idx *q)
{
    q->nyears = 0;
    for (size_t i = 0; i < p->n; i++) {
        int y = p->rows[i].year;
        if (period_of(p, y) < 0 || has_year(q->years, q->nyears, y))
            continue;
        if (q->nyears == COUNT(q->years))
            return EV_ERR_PERIODS;
        q->years[q->nyears++] = y;
    }
    qsort(q->years, q->nyears, sizeof q->years[0], int_cmp);
    return EV_OK;
}

static size_t year_index(const struct panel_idx *q, int y)
{
    size_t i = 0;
    while (i < q->nyears && q->years[i] != y)
        i++;
    return i;
}

static enum ev_error index_panel(const struct ev_panel *p, struct panel_idx *q)
{
    memset(q, 0, sizeof *q);
    enum ev_error e = index_years(p, q);
    if (e != EV_OK)
        return e;
    struct key *k = sorted_keys(p);
    size_t m = p->n ? p->n : 1;
    q->row = malloc(m * sizeof *q->row);
    q->sch = malloc(m * sizeof *q->sch);
    q->yr = malloc(m * sizeof *q->yr);
    if (!k || !q->row || !q->sch || !q->yr) {
        free(k);
        panel_idx_free(q);
        return EV_ERR_NOMEM;
    }
    for (size_t i = 0; i < p->n; i++) {
        const struct ev_row *r = &p->rows[k[i].row];
        if (period_of(p, r->year) < 0)
            continue;
        int new_school = q->n == 0 || p->rows[q->row[q->n - 1]].school != r->school;
        if (new_school) {
            q->nsch++;
            *(r->group == EV_TAS ? &q->ntas : &q->ncomp) += 1;
        }
        q->row[q->n] = k[i].row;
        q->sch[q->n] = q->nsch - 1;
        q->yr[q->n] = year_index(q, r->year);
        q->n++;
    }
    free(k);
    return EV_OK;
}

/* The design's treatment columns, after the year dummies: for the DiD
 * (ref == DID) one, a TAS school in a post year; for the event study one
 * per year but the reference year ref, a TAS school in that year. */
#define DID SIZE_MAX

/* The regression's data: rate, pupils, the year dummies (all years but
 * the first), then the treatment columns. */
static int twfe_data(const struct ev_panel *p, const struct panel_idx *q, size_t ref, struct wls *m)
{
    size_t t = q->nyears - 1;
    m->n = q->n;
    m->nsch = q->nsch;
    m->p = t + (ref == DID ? 1 : t);
    m->sch = q->sch;
    m->y = malloc(q->n * sizeof *m->y);
    m->w = malloc(q->n * sizeof *m->w);
    m->x = calloc(q->n * m->p, sizeof *m->x);
    if (!m->y || !m->w || !m->x)
        return -1;
    for (size_t i = 0; i < q->n; i++) {
        const struct ev_row *r = &p->rows[q->row[i]];
        size_t y = q->yr[i];
        m->y[i] = ev_rate_per_100(r->count, r->pupils);
        m->w[i] = row_weight(p, q->row[i]) * (double)r->pupils;
        if (y > 0)
            m->x[(y - 1) * q->n + i] = 1;
        if (ref == DID)
            m->x[t * q->n + i] = r->group == EV_TAS && period_of(p, r->year) == EV_POST;
        else if (r->group == EV_TAS && y != ref)
            m->x[(t + (y < ref ? y : y - 1)) * q->n + i] = 1;
    }
    return 0;
}

static void wls_free(struct wls *m)
{
    free(m->y);
    free(m->w);
    free(m->x);
}

/* A fitted model: coefficients and their CR1 variance (small-sample
 * adjustment included); first is the first treatment column. */
struct model {
    size_t p, first;
    double *b, *v;
    double adjustment;
};

static void model_free(struct model *md)
{
    free(md->b);
    free(md->v);
}

static enum ev_error fit_model(const struct ev_panel *p, const struct panel_idx *q, size_t ref, struct model *md)
{
    struct wls m = {0};
    size_t aliased;
    enum ev_error e = EV_OK;
    memset(md, 0, sizeof *md);
    if (twfe_data(p, q, ref, &m) != 0)
        e = EV_ERR_NOMEM;
    else {
        md->p = m.p;
        md->first = q->nyears - 1;
        md->b = malloc(m.p * sizeof *md->b);
        md->v = malloc(m.p * m.p * sizeof *md->v);
        if (!md->b || !md->v || wls_fit(&m, md->b, md->v, &aliased) != 0)
            e = EV_ERR_NOMEM;
        else if (aliased < md->p)
            e = aliased < md->first ? EV_ERR_YEAR_ALIASED : EV_ERR_NOT_IDENTIFIED;
        else if (q->n <= q->nsch + md->p)
            e = EV_ERR_NO_DF;
    }
    if (e == EV_OK) {
        double g = (double)q->nsch, n = (double)q->n, k = (double)(q->nsch + md->p);
        md->adjustment = g / (g - 1) * (n - 1) / (n - k);
        for (size_t i = 0; i < md->p * md->p; i++)
            md->v[i] *= md->adjustment;
    }
    wls_free(&m);
    return e;
}

/* The coefficient j with its standard error and t(G-1) interval. */
static void coefficient(const struct model *md, size_t j, int df, double *est, double *se, double ci[2])
{
    double t = ev_t_quantile(0.975, df);
    *est = md->b[j];
    *se = sqrt(md->v[j * md->p + j]);
    ci[0] = *est - t * *se;
    ci[1] = *est + t * *se;
}

/* The pupils and events summed over the school-years the panel uses
 * (count NULL: the pupils only). */
static void used_totals(const struct ev_panel *p, const struct panel_idx *q, int64_t *pupils, int64_t *count)
{
    *pupils = 0;
    if (count)
        *count = 0;
    for (size_t i = 0; i < q->n; i++) {
        *pupils += p->rows[q->row[i]].pupils;
        if (count)
            *count += p->rows[q->row[i]].count;
    }
}

/* The sample a school and year model used, told alike by the linear and
 * the Poisson fit: f is a struct ev_fit or a struct ev_poisson, which
 * name these fields the same (their pupils and counts: used_totals). */
#define DESCRIBE_SAMPLE(f, q)                          \
    do {                                               \
        (f)->schools = (q)->nsch;                      \
        (f)->schools_tas = (q)->ntas;                  \
        (f)->schools_comparison = (q)->ncomp;          \
        (f)->observations = (q)->n;                    \
        (f)->parameters = (q)->nsch + (q)->nyears;     \
        (f)->df = (int)(q)->nsch - 1;                  \
    } while (0)

/* The table's checks, then the panel's indices; the caller frees q. */
static enum ev_error prepare(const struct ev_panel *p, struct panel_idx *q, size_t *bad_row)
{
    struct ev_table t;
    enum ev_error e = ev_table(p, &t, bad_row);
    return e != EV_OK ? e : index_panel(p, q);
}

enum ev_error ev_twfe(const struct ev_panel *p, struct ev_fit *f, size_t *bad_row)
{
    memset(f, 0, sizeof *f);
    struct panel_idx q;
    enum ev_error e = prepare(p, &q, bad_row);
    if (e != EV_OK)
        return e;
    DESCRIBE_SAMPLE(f, &q);
    used_totals(p, &q, &f->pupils, NULL);
    struct model md;
    if ((e = fit_model(p, &q, DID, &md)) == EV_OK) {
        f->adjustment = md.adjustment;
        f->t_crit = ev_t_quantile(0.975, f->df);
        coefficient(&md, md.first, f->df, &f->estimate, &f->se_cluster, f->ci95);
    }
    model_free(&md);
    panel_idx_free(&q);
    return e;
}

/* Solves a x = b for a symmetric positive definite a (q x q, column-major)
 * by Cholesky; a and b are overwritten (x in b).  -1 if a is not positive
 * definite. */
static int cholesky_solve(double *a, double *b, size_t q)
{
    for (size_t j = 0; j < q; j++) {
        double d = a[j * q + j];
        for (size_t k = 0; k < j; k++)
            d -= a[k * q + j] * a[k * q + j];
        if (!(d > 0))
            return -1;
        a[j * q + j] = sqrt(d);
        for (size_t i = j + 1; i < q; i++) {
            double s = a[j * q + i];
            for (size_t k = 0; k < j; k++)
                s -= a[k * q + i] * a[k * q + j];
            a[j * q + i] = s / a[j * q + j];   /* L(i, j), stored below the diagonal */
        }
    }
    for (size_t i = 0; i < q; i++) {   /* L y = b */
        for (size_t k = 0; k < i; k++)
            b[i] -= a[k * q + i] * b[k];
        b[i] /= a[i * q + i];
    }
    for (size_t i = q; i-- > 0;) {     /* L' x = y */
        for (size_t k = i + 1; k < q; k++)
            b[i] -= a[i * q + k] * b[k];
        b[i] /= a[i * q + i];
    }
    return 0;
}

/* Wald test that the leads (the event study's first nlead treatment
 * columns) are all 0: F = b' V^-1 b / nlead against F(nlead, G-1). */
static void pre_trend_test(const struct model *md, size_t nlead, struct ev_event_study *es)
{
    double a[EV_MAX_YEARS * EV_MAX_YEARS], x[EV_MAX_YEARS], w = 0;
    es->f_stat = es->p_value = NAN;
    for (size_t i = 0; i < nlead; i++) {
        x[i] = md->b[md->first + i];
        for (size_t j = 0; j < nlead; j++)
            a[j * nlead + i] = md->v[(md->first + j) * md->p + md->first + i];
    }
    if (cholesky_solve(a, x, nlead) != 0)
        return;
    for (size_t i = 0; i < nlead; i++)
        w += md->b[md->first + i] * x[i];
    es->f_stat = w / (double)nlead;
    es->p_value = ev_f_upper(es->f_stat, (double)nlead, es->df);
}

enum ev_error ev_event_study(const struct ev_panel *p, struct ev_event_study *es, size_t *bad_row)
{
    memset(es, 0, sizeof *es);
    struct panel_idx q;
    enum ev_error e = prepare(p, &q, bad_row);
    if (e != EV_OK)
        return e;
    size_t ref = 0;
    while (ref + 1 < q.nyears && period_of(p, q.years[ref + 1]) == EV_PRE)
        ref++;
    es->reference_year = q.years[ref];
    es->schools = q.nsch;
    es->observations = q.n;
    es->df = (int)q.nsch - 1;
    struct model md = {0};
    if (ref == 0)
        e = EV_ERR_ONE_PRE_YEAR;
    else if ((e = fit_model(p, &q, ref, &md)) == EV_OK) {
        es->parameters = q.nsch + md.p;
        es->nyears = q.nyears - 1;
        es->leads = ref;
        for (size_t i = 0; i < es->nyears; i++) {
            struct ev_event_year *y = &es->year[i];
            y->year = q.years[i < ref ? i : i + 1];
            coefficient(&md, md.first + i, es->df, &y->estimate, &y->se_cluster, y->ci95);
        }
        pre_trend_test(&md, ref, es);
    }
    model_free(&md);
    panel_idx_free(&q);
    return e;
}

/* ---- the Poisson model ------------------------------------------------------ */

#define PO_MAX_ITER 100
#define PO_TOL 1e-10
#define PO_TINY_MU 1e-8   /* an expected count below this is a diverging effect */

/* Leaves out the schools with no events in any row (rows sorted by school). */
static void drop_zero_schools(const struct ev_panel *p, struct panel_idx *q, size_t *dropped)
{
    size_t out = 0, nsch = 0;
    *dropped = q->ntas = q->ncomp = 0;
    for (size_t i = 0, j; i < q->n; i = j) {
        int64_t total = 0;
        int group = p->rows[q->row[i]].group;
        for (j = i; j < q->n && q->sch[j] == q->sch[i]; j++)
            total += p->rows[q->row[j]].count;
        if (!total) {
            ++*dropped;
            continue;
        }
        for (size_t l = i; l < j; l++, out++) {
            q->row[out] = q->row[l];
            q->yr[out] = q->yr[l];
            q->sch[out] = nsch;
        }
        nsch++;
        *(group == EV_TAS ? &q->ntas : &q->ncomp) += 1;
    }
    q->n = out;
    q->nsch = nsch;
}

/* The IRLS state: the design d (years, treat; from twfe_data), the counts
 * and offsets, the linear predictor eta (offset included), and a work copy
 * for the weighted least squares, which demeans in place. */
struct pois {
    struct wls d, work;
    double *cnt, *off, *eta, *eta_old, *z;
    double *pw;        /* prior weights: each row's weight (the likelihood's) */
    double *b, *v;
};

static double deviance(const struct pois *m)
{
    double dev = 0;
    for (size_t i = 0; i < m->d.n; i++) {
        double mu = exp(m->eta[i]), y = m->cnt[i];
        dev += 2 * m->pw[i] * ((y > 0 ? y * log(y / mu) : 0) - (y - mu));
    }
    return dev;
}

/* One Newton step from eta: b and the unadjusted sandwich v at eta's
 * weights, and eta moved to the step's fit (eta - offset = z - residual). */
static int irls_step(struct pois *m, size_t *aliased)
{
    size_t n = m->d.n, p = m->d.p;
    for (size_t i = 0; i < n; i++) {
        double mu = exp(m->eta[i]);
        m->work.w[i] = m->pw[i] * mu;
        m->z[i] = m->work.y[i] = m->eta[i] - m->off[i] + (m->cnt[i] - mu) / mu;
    }
    memcpy(m->work.x, m->d.x, n * p * sizeof *m->work.x);
    if (wls_fit(&m->work, m->b, m->v, aliased) != 0)
        return -1;
    if (*aliased < p)
        return 0;
    for (size_t i = 0; i < n; i++) {
        double e = m->work.y[i];
        for (size_t j = 0; j < p; j++)
            e -= m->work.x[j * n + i] * m->b[j];
        m->eta[i] = m->off[i] + m->z[i] - e;
    }
    return 0;
}

/* Iterates to convergence, then one more step for b and v. */
static enum ev_error irls(struct pois *m, int *iters, double *dev)
{
    size_t n = m->d.n, aliased;
    double dev_old = INFINITY;
    for (int it = 1; it <= PO_MAX_ITER; it++) {
        memcpy(m->eta_old, m->eta, n * sizeof *m->eta);
        if (irls_step(m, &aliased) != 0)
            return EV_ERR_NOMEM;
        if (aliased < m->d.p)
            return aliased < m->d.p - 1 ? EV_ERR_YEAR_ALIASED : EV_ERR_NOT_IDENTIFIED;
        double d = deviance(m);
        for (int h = 0; h < 30 && it > 1 && !(d <= dev_old); h++) {   /* convex: half a step goes down */
            for (size_t i = 0; i < n; i++)
                m->eta[i] = (m->eta[i] + m->eta_old[i]) / 2;
            d = deviance(m);
        }
        if (fabs(d - dev_old) / (fabs(d) + 0.1) < PO_TOL) {
            *iters = it + 1;
            *dev = d;
            return irls_step(m, &aliased) != 0 ? EV_ERR_NOMEM : EV_OK;
        }
        dev_old = d;
    }
    return EV_ERR_NOT_CONVERGED;
}

static void pois_free(struct pois *m)
{
    wls_free(&m->d);
    free(m->cnt);
    free(m->b);
    free(m->v);
}

/* The design, counts, offsets and the start mu = count + 0.1. */
static int pois_data(const struct ev_panel *p, const struct panel_idx *q, struct pois *m)
{
    memset(m, 0, sizeof *m);
    if (twfe_data(p, q, DID, &m->d) != 0)
        return -1;
    size_t n = q->n, k = m->d.p;
    m->cnt = malloc((8 * n + n * k + 1) * sizeof *m->cnt);
    m->b = malloc(k * sizeof *m->b);
    m->v = malloc(k * k * sizeof *m->v);
    if (!m->cnt || !m->b || !m->v)
        return -1;
    m->off = m->cnt + n;
    m->eta = m->off + n;
    m->eta_old = m->eta + n;
    m->z = m->eta_old + n;
    m->work = (struct wls){.n = n, .p = k, .nsch = q->nsch, .sch = q->sch, .y = m->z + n};
    m->work.w = m->work.y + n;
    m->work.x = m->work.w + n;
    m->pw = m->work.x + n * k;
    for (size_t i = 0; i < n; i++) {
        const struct ev_row *r = &p->rows[q->row[i]];
        m->pw[i] = row_weight(p, q->row[i]);
        m->cnt[i] = (double)r->count;
        m->off[i] = log((double)r->pupils);
        m->eta[i] = log(m->cnt[i] + 0.1);
    }
    return 0;
}

/* The fitted model's estimate, clustered error and intervals. */
static enum ev_error poisson_result(const struct pois *m, struct ev_poisson *f)
{
    size_t k = m->d.p, t = k - 1;
    for (size_t i = 0; i < m->d.n; i++)
        if (exp(m->eta[i]) < PO_TINY_MU)
            return EV_ERR_SEPARATED;
    double g = (double)f->schools;
    f->adjustment = g / (g - 1);
    f->t_crit = ev_t_quantile(0.975, f->df);
    f->estimate = m->b[t];
    f->se_cluster = sqrt(f->adjustment * m->v[t * k + t]);
    f->ci95[0] = f->estimate - f->t_crit * f->se_cluster;
    f->ci95[1] = f->estimate + f->t_crit * f->se_cluster;
    f->rate_ratio = exp(f->estimate);
    f->rate_ratio_ci95[0] = exp(f->ci95[0]);
    f->rate_ratio_ci95[1] = exp(f->ci95[1]);
    return EV_OK;
}

enum ev_error ev_poisson(const struct ev_panel *p, struct ev_poisson *f, size_t *bad_row)
{
    memset(f, 0, sizeof *f);
    struct panel_idx q;
    enum ev_error e = prepare(p, &q, bad_row);
    if (e != EV_OK)
        return e;
    drop_zero_schools(p, &q, &f->schools_all_zero);
    DESCRIBE_SAMPLE(f, &q);
    used_totals(p, &q, &f->pupils, &f->count);
    struct pois m;
    memset(&m, 0, sizeof m);
    if (q.nsch < 2)
        e = EV_ERR_NOT_IDENTIFIED;   /* too few schools with any event */
    else if (pois_data(p, &q, &m) != 0)
        e = EV_ERR_NOMEM;
    else if (q.n <= q.nsch + m.d.p)
        e = EV_ERR_NO_DF;
    else if ((e = irls(&m, &f->iterations, &f->deviance)) == EV_OK)
        e = poisson_result(&m, f);
    pois_free(&m);
    panel_idx_free(&q);
    return e;
}

/* ---- cost-effectiveness ------------------------------------------------------ */

void ev_cost_effectiveness(double cost, const struct ev_table *t, struct ev_cost *c)
{
    *c = (struct ev_cost){.cost = cost, .pupils_after = llround(t->cell[EV_TAS][EV_POST].weighted_pupils),
                          .cost_per_event_avoided = NAN};
    c->events_avoided = -t->did_per_100 / 100 * (double)c->pupils_after;
    if (!isfinite(cost) || cost < 0)
        c->why = "the cost must be a finite number, 0 or more";
    else if (!(t->did_per_100 < 0))
        c->why = "the difference-in-differences is not negative: no events avoided to divide the cost by";
    else {
        c->defined = 1;
        c->cost_per_event_avoided = cost / c->events_avoided;
    }
}

/* ---- Student's t ---------------------------------------------------------- */

/* Continued fraction for the regularized incomplete beta function, by the
 * modified Lentz method (DLMF 8.17.22; Press et al., "Numerical Recipes",
 * 3rd ed., 6.4); converges fast for x < (a+1)/(a+b+2). */
static double beta_cf(double a, double b, double x)
{
    const double tiny = 1e-300;
    double c = 1, d = 1 - (a + b) * x / (a + 1);
    d = fabs(d) < tiny ? tiny : d;
    d = 1 / d;
    double h = d;
    for (int m = 1; m <= 1000; m++) {
        for (int odd = 0; odd < 2; odd++) {
            double num = odd ? -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
                             : m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
            d = 1 + num * d;
            d = fabs(d) < tiny ? tiny : d;
            c = 1 + num / c;
            c = fabs(c) < tiny ? tiny : c;
            d = 1 / d;
            h *= d * c;
            if (odd && fabs(d * c - 1) < 1e-16)
                return h;
        }
    }
    return h;
}

/* I_x(a, b). */
static double beta_reg(double a, double b, double x)
{
    if (x <= 0)
        return 0;
    if (x >= 1)
        return 1;
    double lf = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
    if (x < (a + 1) / (a + b + 2))
        return exp(lf) * beta_cf(a, b, x) / a;
    return 1 - exp(lf) * beta_cf(b, a, 1 - x) / b;
}

double ev_f_upper(double f, double d1, double d2)
{
    if (!(f >= 0) || !(d1 > 0) || !(d2 > 0))
        return NAN;
    return beta_reg(d2 / 2, d1 / 2, d2 / (d2 + d1 * f));
}

/* P(T > t) for t >= 0. */
static double t_upper(double t, double df)
{
    return 0.5 * beta_reg(df / 2, 0.5, df / (df + t * t));
}

double ev_t_cdf(double t, double df)
{
    return t >= 0 ? 1 - t_upper(t, df) : t_upper(-t, df);
}

/* By bisection on the upper tail (monotone; no cancellation near 1). */
double ev_t_quantile(double prob, double df)
{
    if (!(prob > 0 && prob < 1) || !(df > 0))
        return NAN;
    if (prob < 0.5)
        return -ev_t_quantile(1 - prob, df);
    double tail = 1 - prob, lo = 0, hi = 1;
    while (t_upper(hi, df) > tail && hi < 1e300)
        hi *= 2;
    for (int i = 0; i < 2000 && hi - lo > 4e-16 * hi; i++) {
        double mid = lo + (hi - lo) / 2;
        *(t_upper(mid, df) > tail ? &lo : &hi) = mid;
    }
    return lo + (hi - lo) / 2;
}

/* A row's place for the disclosure control: by group, year and part, then
 * count and school, so each (group, year, part) is a run with its zeros
 * first, then its small counts, then the rest smallest first. */
struct dkey {
    int group, year, part;
    int64_t count, school;
    size_t row;
};

static int dkey_cmp(const void *a, const void *b)
{
    const struct dkey *x = a, *y = b;
    const int64_t kx[] = {x->group, x->year, x->part, x->count, x->school, (int64_t)x->row};
    const int64_t ky[] = {y->group, y->year, y->part, y->count, y->school, (int64_t)y->row};
    return order_keys(kx, ky, COUNT(kx));
}

static bool same_weight(double a, double b)
{
    return fabs(a - b) <= 1e-9 * fmax(1.0, fmax(fabs(a), fabs(b)));
}

/* Whether the view must hide its figure for the run k[0..n) (one group,
 * year and part): its block of small counts (with, when their total is
 * small, the smallest count of threshold or more) weighed unevenly, or of
 * small total and weighed at all. */
static bool run_reveals(const struct ev_panel *p, const struct dkey *k, size_t n, int threshold)
{
    size_t first = 0, end;
    while (first < n && k[first].count == 0)
        first++;
    int64_t total = 0;
    for (end = first; end < n && k[end].count < threshold; end++)
        total += k[end].count;
    if (end == first)
        return false;   /* no small count */
    if (total < threshold && end < n)
        total += k[end++].count;
    double w = row_weight(p, k[first].row);
    for (size_t i = first + 1; i < end; i++)
        if (!same_weight(row_weight(p, k[i].row), w))
            return true;
    return total < threshold && w > 0;
}

void ev_disclose(const struct ev_panel *p, const int *part, int threshold, struct ev_disclosure *d)
{
    memset(d, 0, sizeof *d);
    if (threshold < 2)
        return;
    struct dkey *k = malloc((p->n ? p->n : 1) * sizeof *k);
    if (!k) {   /* cannot check: hide everything */
        memset(d, 1, sizeof *d);
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < p->n; i++) {
        const struct ev_row *r = &p->rows[i];
        if (period_of(p, r->year) >= 0 && (r->group == EV_TAS || r->group == EV_COMPARISON))
            k[n++] = (struct dkey){r->group, r->year, part ? part[i] : 0, r->count, r->school, i};
    }
    qsort(k, n, sizeof *k, dkey_cmp);
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i; j < n && k[j].group == k[i].group && k[j].year == k[i].year && k[j].part == k[i].part; j++)
            ;
        if (run_reveals(p, k + i, j - i, threshold)) {
            d->cell[k[i].group][period_of(p, k[i].year)] = true;
            d->change[k[i].group] = true;
            d->did = true;
        }
    }
    free(k);
}

size_t ev_keep_weighted(struct ev_row *rows, int *part, double *weight, size_t n)
{
    /* A stable partition by rotation: each kept row found after a left-out
     * one is moved down over them.  Quadratic; a few thousand rows at most. */
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(weight[i] > 0))
            continue;
        struct ev_row r = rows[i];
        double w = weight[i];
        memmove(&rows[k + 1], &rows[k], (i - k) * sizeof *rows);
        memmove(&weight[k + 1], &weight[k], (i - k) * sizeof *weight);
        rows[k] = r;
        weight[k] = w;
        if (part) {
            int pt = part[i];
            memmove(&part[k + 1], &part[k], (i - k) * sizeof *part);
            part[k] = pt;
        }
        k++;
    }
    return k;
}

/* Chart box: the plot leaves room for the value axis at the left and the
 * years below. */
enum { CH_W = 640, CH_H = 320, CH_LEFT = 64, CH_TOP = 16, CH_RIGHT = 16, CH_BOTTOM = 40 };

int ev_chart_layout(const struct ev_event_study *es, struct ev_chart *c)
{
    memset(c, 0, sizeof *c);
    if (es->nyears == 0 || es->nyears > EV_MAX_YEARS)
        return -1;
    /* The points in year order: the leads, the reference year, the rest. */
    size_t n = es->nyears + 1;
    double est[EV_MAX_YEARS + 1], lo[EV_MAX_YEARS + 1], hi[EV_MAX_YEARS + 1];
    double vmin = 0, vmax = 0;
    for (size_t i = 0, k = 0; i < n; i++) {
        struct ev_chart_point *pt = &c->p[i];
        if (i == es->leads) {
            pt->year = es->reference_year;
            pt->reference = true;
            est[i] = lo[i] = hi[i] = 0;
            continue;
        }
        const struct ev_event_year *y = &es->year[k++];
        pt->year = y->year;
        pt->post = i > es->leads;
        est[i] = y->estimate;
        lo[i] = isfinite(y->ci95[0]) ? y->ci95[0] : y->estimate;
        hi[i] = isfinite(y->ci95[1]) ? y->ci95[1] : y->estimate;
        vmin = fmin(vmin, lo[i]);
        vmax = fmax(vmax, hi[i]);
    }
    if (!(vmax > vmin))
        vmax = vmin + 1;
    double pad = (vmax - vmin) * 0.05;
    vmin -= pad;
    vmax += pad;
    c->width = CH_W;
    c->height = CH_H;
    c->plot_x = CH_LEFT;
    c->plot_y = CH_TOP;
    c->plot_w = CH_W - CH_LEFT - CH_RIGHT;
    c->plot_h = CH_H - CH_TOP - CH_BOTTOM;
    c->n = n;
#define Y_OF(v) (c->plot_y + (int)lround((vmax - (v)) / (vmax - vmin) * c->plot_h))
    c->zero_y = Y_OF(0.0);
    for (size_t i = 0; i < n; i++) {
        struct ev_chart_point *pt = &c->p[i];
        pt->x = c->plot_x + (int)lround((i + 0.5) * c->plot_w / (double)n);
        pt->y = Y_OF(est[i]);
        pt->y_lo = Y_OF(lo[i]);
        pt->y_hi = Y_OF(hi[i]);
    }
    for (int i = 0; i < 5; i++) {
        c->tick_value[i] = vmin + (vmax - vmin) * i / 4.0;
        c->tick_y[i] = Y_OF(c->tick_value[i]);
    }
#undef Y_OF
    return 0;
}
