#include "core/stats.h"

#include <stdio.h>
#include <string.h>

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

void stat_suppress(struct stat_table *tables, size_t ntables, int threshold)
{
    for (size_t t = 0; t < ntables; t++)
        for (size_t i = 0; i < tables[t].nrows; i++) {
            struct stat_row *r = &tables[t].rows[i];
            for (int c = 0; c < STAT_NCOLS; c++)
                r->cells[c].suppressed = threshold >= 2 && r->controlled && r->kind == STAT_COUNT &&
                                         small(r->cells[c].n, threshold);
        }
    if (threshold >= 2)
        for (int guard = 0; guard < 64 && pass(tables, ntables); guard++)
            ;
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
