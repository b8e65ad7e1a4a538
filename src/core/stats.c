#include "core/stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/disclosure.h"

static const char *const col_labels[STAT_NCOLS] = {"Primary", "Secondary", "Other phases", "Total"};

const char *stat_col_label(enum stat_col c)
{
    return (unsigned)c < STAT_NCOLS ? col_labels[c] : "";
}

/* Middle schools deemed primary count as primary, as in GIAS. */
int stat_columns(const struct stat_table *t, int cols[STAT_NCOLS])
{
    int n = 0;
    cols[n++] = COL_PRIMARY;
    cols[n++] = COL_SECONDARY;
    if (t->show_other)
        cols[n++] = COL_OTHER;
    cols[n++] = COL_TOTAL;
    return n;
}

enum stat_col stat_col_of_phase(const char *phase)
{
    if (!phase)
        return COL_OTHER;
    if (!strcmp(phase, "primary") || !strcmp(phase, "nursery"))
        return COL_PRIMARY;
    if (!strcmp(phase, "secondary"))
        return COL_SECONDARY;
    return COL_OTHER;
}

static void copy(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

struct stat_row *stat_add_row(struct stat_table *t, const char *group, const char *label,
                              enum stat_kind kind, bool controlled, int partition)
{
    if (t->nrows >= STAT_MAX_ROWS)
        return NULL;
    struct stat_row *r = &t->rows[t->nrows++];
    memset(r, 0, sizeof *r);
    copy(r->label, sizeof r->label, label);
    copy(r->group, sizeof r->group, group);
    r->kind = kind;
    r->controlled = controlled;
    r->partition = partition;
    return r;
}

void stat_add(struct stat_row *r, enum stat_col col, int64_t v)
{
    if (!r || (unsigned)col >= COL_TOTAL)
        return;
    r->cells[col].n += v;
    r->cells[COL_TOTAL].n += v;
}

void stat_set_base(struct stat_row *r, const struct stat_row *base_row)
{
    if (!r)
        return;
    for (int c = 0; c < STAT_NCOLS; c++)
        r->cells[c].base = base_row ? &base_row->cells[c] : NULL;
}

void stat_set_ratio(struct stat_row *r, const struct stat_row *num, const struct stat_row *den)
{
    if (!r)
        return;
    r->kind = STAT_RATIO;
    for (int c = 0; c < STAT_NCOLS; c++) {
        r->cells[c].num = &num->cells[c];
        r->cells[c].den = &den->cells[c];
    }
}

struct stat_row *stat_find(struct stat_table *t, const char *group, const char *label)
{
    for (size_t i = 0; i < t->nrows; i++)
        if (!strcmp(t->rows[i].label, label) && (!group || !strcmp(t->rows[i].group, group)))
            return &t->rows[i];
    return NULL;
}

static bool small(int64_t n, int threshold)
{
    return n > 0 && n < threshold;
}

/* Among the candidate cells and one more (extra: a base, never hidden
 * here), if exactly one is suppressed, also suppress the smallest non-zero
 * candidate left; true if it did. */
static bool protect(struct stat_cell **cand, size_t n, const struct stat_cell *extra)
{
    size_t hidden = extra && extra->suppressed ? 1 : 0;
    for (size_t i = 0; i < n; i++)
        hidden += cand[i]->suppressed;
    if (hidden != 1)
        return false;
    struct stat_cell *best = NULL;
    for (size_t i = 0; i < n; i++) {
        struct stat_cell *c = cand[i];
        if (c->suppressed || c->n == 0)
            continue;
        if (!best || c->n < best->n)
            best = c;
    }
    if (!best)
        return false;
    best->suppressed = true;
    return true;
}

static bool pass(struct stat_table *tables, size_t ntables)
{
    bool changed = false;
    for (size_t t = 0; t < ntables; t++) {
        struct stat_table *tb = &tables[t];
        for (size_t i = 0; i < tb->nrows; i++) {
            struct stat_row *r = &tb->rows[i];
            if (!r->controlled || r->kind != STAT_COUNT)
                continue;
            /* Primary + Secondary + Other = Total. */
            struct stat_cell *cols[STAT_NCOLS] = {&r->cells[COL_PRIMARY], &r->cells[COL_SECONDARY],
                                                  &r->cells[COL_OTHER], &r->cells[COL_TOTAL]};
            changed |= protect(cols, STAT_NCOLS, NULL);
        }
        /* Partitions, column by column: the rows add up to their base. */
        for (size_t i = 0; i < tb->nrows; i++) {
            struct stat_row *first = &tb->rows[i];
            if (!first->partition || !first->controlled || first->kind != STAT_COUNT)
                continue;
            bool seen = false;
            for (size_t k = 0; k < i; k++)
                if (tb->rows[k].partition == first->partition)
                    seen = true;
            if (seen)
                continue;   /* handled from the partition's first row */
            for (int c = 0; c < STAT_NCOLS; c++) {
                if (!first->cells[c].base)
                    continue;
                struct stat_cell *cells[STAT_MAX_ROWS];
                size_t n = 0;
                for (size_t k = i; k < tb->nrows; k++)
                    if (tb->rows[k].partition == first->partition)
                        cells[n++] = &tb->rows[k].cells[c];
                changed |= protect(cells, n, first->cells[c].base);
            }
        }
    }
    return changed;
}

/* ---- the identities a reader knows, and what they give away ------------ */

/* An identity over cells: sum of coef * cell = 0. */
struct ident {
    size_t n;
    const struct stat_cell *cell[STAT_MAX_ROWS + 1];
    signed char coef[STAT_MAX_ROWS + 1];
};

struct idents {
    size_t n, cap;
    struct ident *v;
};

static struct ident *ident_new(struct idents *ids)
{
    if (ids->n == ids->cap) {
        size_t cap = ids->cap ? 2 * ids->cap : 64;
        struct ident *v = realloc(ids->v, cap * sizeof *v);
        if (!v)
            return NULL;
        ids->v = v;
        ids->cap = cap;
    }
    struct ident *e = &ids->v[ids->n++];
    e->n = 0;
    return e;
}

static void ident_term(struct ident *e, const struct stat_cell *c, int coef)
{
    if (e && e->n < STAT_MAX_ROWS + 1) {
        e->cell[e->n] = c;
        e->coef[e->n++] = (signed char)coef;
    }
}

/* Drops an identity the true counts do not satisfy (it is not one of
 * these tables' identities, so a reader could not use it either). */
static void ident_keep_if_true(struct idents *ids)
{
    struct ident *e = &ids->v[ids->n - 1];
    int64_t sum = 0;
    for (size_t k = 0; k < e->n; k++)
        sum += e->coef[k] * e->cell[k]->n;
    if (sum != 0 || e->n < 2)
        ids->n--;
}

/* Every identity of the tables: each count row's phases add up to its
 * Total; each partition's rows add up, column by column, to their base. */
static int collect_idents(const struct stat_table *tables, size_t ntables, struct idents *ids)
{
    for (size_t t = 0; t < ntables; t++) {
        const struct stat_table *tb = &tables[t];
        for (size_t i = 0; i < tb->nrows; i++) {
            const struct stat_row *r = &tb->rows[i];
            if (r->kind != STAT_COUNT)
                continue;
            struct ident *e = ident_new(ids);
            if (!e)
                return -1;
            for (int c = 0; c < COL_TOTAL; c++)
                ident_term(e, &r->cells[c], 1);
            ident_term(e, &r->cells[COL_TOTAL], -1);
            ident_keep_if_true(ids);
        }
        for (size_t i = 0; i < tb->nrows; i++) {
            const struct stat_row *first = &tb->rows[i];
            if (!first->partition || first->kind != STAT_COUNT)
                continue;
            bool seen = false;
            for (size_t k = 0; k < i; k++)
                seen |= tb->rows[k].partition == first->partition;
            if (seen)
                continue;
            for (int c = 0; c < STAT_NCOLS; c++) {
                if (!first->cells[c].base)
                    continue;
                struct ident *e = ident_new(ids);
                if (!e)
                    return -1;
                for (size_t k = i; k < tb->nrows; k++)
                    if (tb->rows[k].partition == first->partition && tb->rows[k].kind == STAT_COUNT)
                        ident_term(e, &tb->rows[k].cells[c], 1);
                ident_term(e, first->cells[c].base, -1);
                ident_keep_if_true(ids);
            }
        }
    }
    return 0;
}

/* The hidden cells a reader could work out exactly: their number (or -1),
 * and the first in *first. */
static int audit(const struct idents *ids, const struct stat_cell **first)
{
    size_t nh = 0, cap = 0;
    const struct stat_cell **hidden = NULL;
    struct lin_eq *eqs = calloc(ids->n + 1, sizeof *eqs);
    int rc = -1;
    if (!eqs)
        return -1;
    size_t neq = 0;
    for (size_t i = 0; i < ids->n; i++) {
        const struct ident *e = &ids->v[i];
        struct lin_eq *q = &eqs[neq];
        q->nterms = 0;
        q->rhs = 0;
        for (size_t k = 0; k < e->n; k++) {
            if (!e->cell[k]->suppressed) {
                q->rhs -= e->coef[k] * (double)e->cell[k]->n;
                continue;
            }
            size_t h = 0;
            while (h < nh && hidden[h] != e->cell[k])
                h++;
            if (h == nh) {
                if (nh == cap) {
                    cap = cap ? 2 * cap : 32;
                    const struct stat_cell **nv = realloc(hidden, cap * sizeof *nv);
                    if (!nv)
                        goto out;
                    hidden = nv;
                }
                hidden[nh++] = e->cell[k];
            }
            if (q->nterms < DISCLOSURE_MAX_TERMS) {
                q->var[q->nterms] = h;
                q->coef[q->nterms++] = e->coef[k];
            }
        }
        if (q->nterms)
            neq++;
    }
    double *lo = malloc((nh + 1) * sizeof *lo), *hi = malloc((nh + 1) * sizeof *hi);
    if (lo && hi && disclosure_bounds(nh, eqs, neq, lo, hi) == 0) {
        rc = 0;
        for (size_t h = 0; h < nh; h++)
            if (disclosure_pinned(lo[h], hi[h])) {
                if (rc == 0 && first)
                    *first = hidden[h];
                rc++;
            }
    }
    free(lo);
    free(hi);
out:
    free(hidden);
    free(eqs);
    return rc;
}

/* The cell itself, to change, if it may be hidden (a count about
 * children), else NULL. */
static struct stat_cell *hideable(struct stat_table *tables, size_t ntables, const struct stat_cell *c)
{
    for (size_t t = 0; t < ntables; t++) {
        struct stat_row *rows = tables[t].rows;
        for (size_t i = 0; i < tables[t].nrows; i++)
            for (int k = 0; k < STAT_NCOLS; k++)
                if (&rows[i].cells[k] == c)
                    return rows[i].controlled && rows[i].kind == STAT_COUNT ? &rows[i].cells[k] : NULL;
    }
    return NULL;
}

/* Hides one more cell to protect d: the smallest shown non-zero count
 * (else a zero, which GSS guidance suppresses where it must) in an
 * identity with d, else in one linked to d through other hidden cells.
 * False when nothing is left to hide. */
static bool complement(struct stat_table *tables, size_t ntables, const struct idents *ids,
                       const struct stat_cell *d)
{
    size_t cap = ids->n * (STAT_MAX_ROWS + 1) + 1, nreach = 0, from = 0;
    const struct stat_cell **reach = malloc(cap * sizeof *reach);
    bool *used = calloc(ids->n + 1, sizeof *used);
    struct stat_cell *best = NULL;
    if (reach && used)
        reach[nreach++] = d;
    while (!best && from < nreach) {
        size_t upto = nreach;
        for (size_t i = 0; i < ids->n; i++) {
            const struct ident *e = &ids->v[i];
            bool touches = false;
            for (size_t k = 0; k < e->n && !touches; k++)
                for (size_t r = from; r < upto && !touches; r++)
                    touches = e->cell[k] == reach[r];
            if (!touches || used[i])
                continue;
            used[i] = true;
            for (size_t k = 0; k < e->n; k++) {
                if (e->cell[k]->suppressed) {
                    if (nreach < cap)
                        reach[nreach++] = e->cell[k];
                    continue;
                }
                struct stat_cell *c = hideable(tables, ntables, e->cell[k]);
                if (c && (!best || (best->n == 0 && c->n > 0) || (c->n > 0 && c->n < best->n)))
                    best = c;
            }
        }
        from = upto;
    }
    free(reach);
    free(used);
    if (best)
        best->suppressed = true;
    return best != NULL;
}

int stat_audit(const struct stat_table *tables, size_t ntables, const struct stat_cell **first)
{
    struct idents ids = {0, 0, NULL};
    int rc = collect_idents(tables, ntables, &ids) == 0 ? audit(&ids, first) : -1;
    free(ids.v);
    return rc;
}

void stat_suppress(struct stat_table *tables, size_t ntables, int threshold)
{
    for (size_t t = 0; t < ntables; t++)
        for (size_t i = 0; i < tables[t].nrows; i++) {
            struct stat_row *r = &tables[t].rows[i];
            for (int c = 0; c < STAT_NCOLS; c++)
                r->cells[c].suppressed = threshold >= 2 && r->controlled && r->kind == STAT_COUNT &&
                                         small(r->cells[c].n, threshold);
        }
    if (threshold >= 2) {
        /* The quick rule first (a lone hidden cell in an identity takes
         * the smallest other with it), then the audit: while a reader could
         * still work a hidden cell out, hide one more next to it. */
        for (int guard = 0; guard < 64 && pass(tables, ntables); guard++)
            ;
        struct idents ids = {0, 0, NULL};
        if (collect_idents(tables, ntables, &ids) == 0) {
            const struct stat_cell *d = NULL;
            for (size_t guard = 0; guard < STAT_MAX_ROWS * STAT_NCOLS * ntables; guard++) {
                int k = audit(&ids, &d);
                if (k == 0 || (k > 0 && !complement(tables, ntables, &ids, d)))
                    break;
                if (k < 0) {
                    /* Could not check: hide every controlled count rather
                     * than publish what might be worked out. */
                    for (size_t t = 0; t < ntables; t++)
                        for (size_t i = 0; i < tables[t].nrows; i++)
                            for (int c = 0; c < STAT_NCOLS; c++)
                                if (tables[t].rows[i].controlled && tables[t].rows[i].kind == STAT_COUNT &&
                                    tables[t].rows[i].cells[c].n > 0)
                                    tables[t].rows[i].cells[c].suppressed = true;
                    break;
                }
            }
        }
        free(ids.v);
    }
    for (size_t t = 0; t < ntables; t++)
        for (size_t i = 0; i < tables[t].nrows; i++) {
            struct stat_row *r = &tables[t].rows[i];
            for (int c = 0; c < STAT_NCOLS; c++) {
                struct stat_cell *x = &r->cells[c];
                if (r->kind == STAT_RATIO)
                    x->suppressed = (x->num && x->num->suppressed) || (x->den && x->den->suppressed);
                x->pct_withheld = x->suppressed || (x->base && x->base->suppressed);
            }
        }
}

double stat_ratio_value(const struct stat_cell *c)
{
    if (!c->num || !c->den || c->den->n == 0)
        return 0.0;
    return (double)c->num->n / (double)c->den->n;
}

int stat_pct(const struct stat_cell *c)
{
    if (!c->base || c->base->n <= 0 || c->pct_withheld)
        return -1;
    /* Integer half-up rounding of 100*n/base, so 0.5 always goes up. */
    int64_t num = 200 * c->n + c->base->n;
    return (int)(num / (2 * c->base->n));
}

/* 1234567 -> "1,234,567" */
static void grouped(int64_t v, char *out, size_t outsz)
{
    char digits[32];
    bool neg = v < 0;
    snprintf(digits, sizeof digits, "%lld", (long long)(neg ? -v : v));
    size_t len = strlen(digits), o = 0;
    if (neg && o + 1 < outsz)
        out[o++] = '-';
    for (size_t i = 0; i < len && o + 2 < outsz; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
}

void stat_cell_text(const struct stat_row *r, enum stat_col col, char *out, size_t outsz,
                    char *pct_out, size_t pctsz)
{
    const struct stat_cell *c = &r->cells[(unsigned)col < STAT_NCOLS ? col : COL_TOTAL];
    if (pct_out && pctsz)
        pct_out[0] = '\0';
    if (c->suppressed) {
        snprintf(out, outsz, "c");
        return;
    }
    char g[40];
    switch (r->kind) {
    case STAT_COUNT:
        grouped(c->n, out, outsz);
        if (pct_out && pctsz) {
            int p = stat_pct(c);
            if (p >= 0)
                snprintf(pct_out, pctsz, "%d%%", p);
        }
        break;
    case STAT_RATIO:
        if (!c->den || c->den->n == 0) {
            snprintf(out, outsz, "z");   /* GSS: not applicable (nothing to divide by) */
        } else {
            /* One decimal place, half up, in integers. */
            int64_t tenths = (20 * c->num->n + c->den->n) / (2 * c->den->n);
            snprintf(out, outsz, "%lld.%lld", (long long)(tenths / 10), (long long)(tenths % 10));
        }
        break;
    case STAT_MONEY:
        grouped((c->n + 50) / 100, g, sizeof g);
        snprintf(out, outsz, "\xc2\xa3%s", g);
        break;
    }
}
