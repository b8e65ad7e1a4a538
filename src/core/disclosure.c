#include "core/disclosure.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EPS 1e-9
#define MAX_PIVOTS 100000

/* A simplex tableau: m rows of n columns and a right-hand side. */
struct tab {
    size_t m, n;
    double *a;          /* m x (n + 1), row-major; column n is the rhs */
    size_t *basis;      /* the column basic in each row */
};

#define AT(t, i, j) ((t)->a[(i) * ((t)->n + 1) + (j)])

/* Pivots on (r, c); obj (n + 1 entries: reduced costs, then minus the
 * objective's value) is kept in step when given. */
static void pivot(struct tab *t, double *obj, size_t r, size_t c)
{
    double p = AT(t, r, c);
    for (size_t j = 0; j <= t->n; j++)
        AT(t, r, j) /= p;
    for (size_t i = 0; i < t->m; i++) {
        double f = AT(t, i, c);
        if (i == r || f == 0.0)
            continue;
        for (size_t j = 0; j <= t->n; j++)
            AT(t, i, j) -= f * AT(t, r, j);
    }
    if (obj) {
        double f = obj[c];
        for (size_t j = 0; j <= t->n; j++)
            obj[j] -= f * AT(t, r, j);
    }
    t->basis[r] = c;
}

/* Makes the basic columns' reduced costs zero. */
static void price_out(const struct tab *t, double *obj)
{
    for (size_t i = 0; i < t->m; i++) {
        double f = obj[t->basis[i]];
        if (f == 0.0)
            continue;
        for (size_t j = 0; j <= t->n; j++)
            obj[j] -= f * AT(t, i, j);
    }
}

/* Minimises over the first ncols columns, from a feasible basis.  Bland's
 * rule: the lowest-numbered improving column enters, ties in the ratio
 * test leave by the lowest-numbered basic column.  0 optimal, 1 unbounded,
 * -1 gave up (cannot happen with Bland's rule short of rounding trouble). */
static int simplex(struct tab *t, double *obj, size_t ncols)
{
    for (int it = 0; it < MAX_PIVOTS; it++) {
        size_t c = ncols;
        for (size_t j = 0; j < ncols; j++)
            if (obj[j] < -EPS) {
                c = j;
                break;
            }
        if (c == ncols)
            return 0;
        size_t r = t->m;
        double best = 0;
        for (size_t i = 0; i < t->m; i++) {
            double v = AT(t, i, c);
            if (v <= EPS)
                continue;
            double ratio = AT(t, i, t->n) / v;
            if (r == t->m || ratio < best - EPS || (fabs(ratio - best) <= EPS && t->basis[i] < t->basis[r])) {
                r = i;
                best = ratio;
            }
        }
        if (r == t->m)
            return 1;
        pivot(t, obj, r, c);
    }
    return -1;
}

/* One group of unknowns (local 0..nv-1) and its identities: phase 1 finds
 * a feasible basis, then each bound is a phase 2 from it. */
static int solve_group(size_t nv, const struct lin_eq *const *eqs, size_t me, const size_t *local,
                       double *lo, double *hi)
{
    int rc = -1;
    struct tab t = {me, nv + me, NULL, NULL};
    struct tab w = {0, nv, NULL, NULL};
    double *obj = calloc(nv + me + 1, sizeof *obj);
    t.a = calloc(me * (nv + me + 1), sizeof *t.a);
    t.basis = calloc(me, sizeof *t.basis);
    w.a = calloc(me * (nv + 1), sizeof *w.a);
    w.basis = calloc(me, sizeof *w.basis);
    if (!obj || !t.a || !t.basis || !w.a || !w.basis)
        goto out;

    double scale = 1.0;
    for (size_t i = 0; i < me; i++) {
        double sign = eqs[i]->rhs < 0 ? -1.0 : 1.0;
        for (size_t k = 0; k < eqs[i]->nterms; k++)
            AT(&t, i, local[eqs[i]->var[k]]) += sign * eqs[i]->coef[k];
        AT(&t, i, nv + i) = 1.0;
        AT(&t, i, t.n) = sign * eqs[i]->rhs;
        scale += fabs(eqs[i]->rhs);
        t.basis[i] = nv + i;
    }
    /* Phase 1: minimise the artificial columns' sum. */
    for (size_t j = nv; j < nv + me; j++)
        obj[j] = 1.0;
    price_out(&t, obj);
    if (simplex(&t, obj, nv + me) != 0 || -obj[t.n] > 1e-7 * scale)
        goto out;
    /* Artificial columns still basic (at zero) leave, or their row is a
     * repeat of others and is dropped. */
    for (size_t i = 0; i < me; i++) {
        if (t.basis[i] < nv)
            continue;
        for (size_t j = 0; j < nv; j++)
            if (fabs(AT(&t, i, j)) > EPS) {
                pivot(&t, NULL, i, j);
                break;
            }
    }
    for (size_t i = 0; i < me; i++) {
        if (t.basis[i] >= nv)
            continue;
        for (size_t j = 0; j < nv; j++)
            w.a[w.m * (nv + 1) + j] = AT(&t, i, j);
        w.a[w.m * (nv + 1) + nv] = AT(&t, i, t.n);
        w.basis[w.m++] = t.basis[i];
    }

    /* Phase 2, twice for each unknown, each from the same feasible basis. */
    struct tab v = {w.m, nv, malloc(w.m * (nv + 1) * sizeof *w.a + 1), malloc(w.m * sizeof *w.basis + 1)};
    if (!v.a || !v.basis) {
        free(v.a);
        free(v.basis);
        goto out;
    }
    for (size_t k = 0; k < nv; k++) {
        for (int dir = 0; dir < 2; dir++) {
            memcpy(v.a, w.a, w.m * (nv + 1) * sizeof *w.a);
            memcpy(v.basis, w.basis, w.m * sizeof *w.basis);
            memset(obj, 0, (nv + 1) * sizeof *obj);
            obj[k] = dir == 0 ? 1.0 : -1.0;
            price_out(&v, obj);
            int s = simplex(&v, obj, nv);
            if (s < 0) {
                free(v.a);
                free(v.basis);
                goto out;
            }
            if (dir == 0)
                lo[k] = -obj[nv];
            else
                hi[k] = s == 1 ? HUGE_VAL : obj[nv];
        }
    }
    free(v.a);
    free(v.basis);
    rc = 0;
out:
    free(obj);
    free(t.a);
    free(t.basis);
    free(w.a);
    free(w.basis);
    return rc;
}

static size_t find(size_t *parent, size_t x)
{
    while (parent[x] != x)
        x = parent[x] = parent[parent[x]];
    return x;
}

int disclosure_bounds(size_t n, const struct lin_eq *eqs, size_t neq, double *lo, double *hi)
{
    for (size_t k = 0; k < n; k++) {
        lo[k] = 0.0;
        hi[k] = HUGE_VAL;
    }
    if (n == 0)
        return 0;
    int rc = -1;
    size_t *parent = malloc(n * sizeof *parent);
    size_t *local = malloc(n * sizeof *local);
    size_t *members = malloc(n * sizeof *members);
    const struct lin_eq **mine = malloc((neq + 1) * sizeof *mine);
    double *glo = malloc(n * sizeof *glo), *ghi = malloc(n * sizeof *ghi);
    if (!parent || !local || !members || !mine || !glo || !ghi)
        goto out;
    for (size_t k = 0; k < n; k++)
        parent[k] = k;
    for (size_t i = 0; i < neq; i++) {
        if (eqs[i].nterms == 0 && fabs(eqs[i].rhs) > 0.5)
            goto out;   /* 0 = something: not an identity of these tables */
        for (size_t t = 1; t < eqs[i].nterms; t++)
            parent[find(parent, eqs[i].var[t])] = find(parent, eqs[i].var[0]);
    }
    for (size_t root = 0; root < n; root++) {
        if (find(parent, root) != root)
            continue;
        size_t nv = 0, me = 0;
        for (size_t k = 0; k < n; k++)
            if (find(parent, k) == root) {
                local[k] = nv;
                members[nv++] = k;
            }
        for (size_t i = 0; i < neq; i++)
            if (eqs[i].nterms && find(parent, eqs[i].var[0]) == root)
                mine[me++] = &eqs[i];
        if (me == 0)
            continue;   /* nothing bounds it: [0, unbounded) */
        if (solve_group(nv, mine, me, local, glo, ghi) != 0)
            goto out;
        for (size_t k = 0; k < nv; k++) {
            lo[members[k]] = glo[k] < 0 ? 0 : glo[k];
            hi[members[k]] = ghi[k];
        }
    }
    rc = 0;
out:
    free(parent);
    free(local);
    free(members);
    free(mine);
    free(glo);
    free(ghi);
    return rc;
}

bool disclosure_pinned(double lo, double hi)
{
    return isfinite(hi) && hi - lo < 0.5;
}
