/* The disclosure audit (core/disclosure.c, stat_audit in core/stats.c) on
 * cases worked by hand, then against a brute-force search over every whole
 * number a hidden cell could be, on thousands of random small tables; and
 * stat_suppress leaves nothing a reader could work out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#include "core/disclosure.h"
#include "core/stats.h"

static struct lin_eq eq(double rhs, size_t n, const size_t *vars, const double *coefs)
{
    struct lin_eq e;
    memset(&e, 0, sizeof e);
    e.nterms = n;
    e.rhs = rhs;
    for (size_t k = 0; k < n; k++) {
        e.var[k] = vars[k];
        e.coef[k] = coefs[k];
    }
    return e;
}

static void bounds_worked_by_hand(void **state)
{
    (void)state;
    double lo[4], hi[4];
    const double one2[] = {1, 1}, pm[] = {1, -1};

    /* x + y = 5: each anywhere from 0 to 5. */
    struct lin_eq a[] = {eq(5, 2, (size_t[]){0, 1}, one2)};
    assert_int_equal(disclosure_bounds(2, a, 1, lo, hi), 0);
    assert_true(fabs(lo[0]) < 1e-9 && fabs(hi[0] - 5) < 1e-9);
    assert_false(disclosure_pinned(lo[0], hi[0]));

    /* x + y = 5, y + z = 3, x + z = 4: one solution (3, 2, 1), though
     * every identity has two unknowns (what the quick rule misses). */
    struct lin_eq b[] = {eq(5, 2, (size_t[]){0, 1}, one2), eq(3, 2, (size_t[]){1, 2}, one2),
                         eq(4, 2, (size_t[]){0, 2}, one2)};
    assert_int_equal(disclosure_bounds(3, b, 3, lo, hi), 0);
    for (int k = 0; k < 3; k++)
        assert_true(disclosure_pinned(lo[k], hi[k]));
    assert_true(fabs(lo[0] - 3) < 1e-9 && fabs(lo[1] - 2) < 1e-9 && fabs(lo[2] - 1) < 1e-9);

    /* Hidden cells adding up to 0 are all 0. */
    struct lin_eq c[] = {eq(0, 2, (size_t[]){0, 1}, one2)};
    assert_int_equal(disclosure_bounds(2, c, 1, lo, hi), 0);
    assert_true(disclosure_pinned(lo[0], hi[0]) && disclosure_pinned(lo[1], hi[1]));

    /* x - y = 0 alone: nothing bounds them above. */
    struct lin_eq d[] = {eq(0, 2, (size_t[]){0, 1}, pm)};
    assert_int_equal(disclosure_bounds(2, d, 1, lo, hi), 0);
    assert_true(isinf(hi[0]) && !disclosure_pinned(lo[0], hi[0]));

    /* A 2 x 2 block with its margins: one degree of freedom left. */
    struct lin_eq e[] = {eq(6, 2, (size_t[]){0, 1}, one2), eq(7, 2, (size_t[]){2, 3}, one2),
                         eq(5, 2, (size_t[]){0, 2}, one2), eq(8, 2, (size_t[]){1, 3}, one2)};
    assert_int_equal(disclosure_bounds(4, e, 4, lo, hi), 0);
    assert_true(fabs(lo[0]) < 1e-9 && fabs(hi[0] - 5) < 1e-9);   /* x0 in [0, 5] */
    assert_true(fabs(lo[3] - 2) < 1e-9 && fabs(hi[3] - 7) < 1e-9);   /* x3 = 2 + x0 */

    /* The same identity twice (redundant rows) is fine; a contradiction is not. */
    struct lin_eq f[] = {eq(5, 2, (size_t[]){0, 1}, one2), eq(5, 2, (size_t[]){0, 1}, one2)};
    assert_int_equal(disclosure_bounds(2, f, 2, lo, hi), 0);
    assert_false(disclosure_pinned(lo[0], hi[0]));
    struct lin_eq g[] = {eq(5, 2, (size_t[]){0, 1}, one2), eq(6, 2, (size_t[]){0, 1}, one2)};
    assert_int_equal(disclosure_bounds(2, g, 2, lo, hi), -1);
    struct lin_eq h[] = {eq(-1, 2, (size_t[]){0, 1}, one2)};   /* sum of counts below 0 */
    assert_int_equal(disclosure_bounds(2, h, 1, lo, hi), -1);

    /* An unknown in no identity: [0, unbounded). */
    assert_int_equal(disclosure_bounds(1, NULL, 0, lo, hi), 0);
    assert_true(lo[0] == 0 && isinf(hi[0]));
}

/* ---- random small tables, against a brute-force search ------------------ */

/* Table: a base row and two partitions of it (rows 1..3 and 4..5), columns
 * Primary, Secondary (Other 0), Total. */
static struct stat_table *random_table(unsigned *seed)
{
    struct stat_table *t = calloc(1, sizeof *t);
    t->key = "r";
    struct stat_row *base = stat_add_row(t, "", "Base", STAT_COUNT, true, 0);
    int64_t p[3], s[3];
    for (int i = 0; i < 3; i++) {
        p[i] = rand_r(seed) % 7;
        s[i] = rand_r(seed) % 7;
        stat_add(base, COL_PRIMARY, p[i]);
        stat_add(base, COL_SECONDARY, s[i]);
    }
    for (int i = 0; i < 3; i++) {
        char label[8];
        snprintf(label, sizeof label, "a%d", i);
        struct stat_row *r = stat_add_row(t, "A", label, STAT_COUNT, true, 1);
        stat_add(r, COL_PRIMARY, p[i]);
        stat_add(r, COL_SECONDARY, s[i]);
        stat_set_base(r, &t->rows[0]);
    }
    /* The second partition splits each column in two at random. */
    int64_t bp = base->cells[COL_PRIMARY].n, bs = base->cells[COL_SECONDARY].n;
    int64_t q = bp ? rand_r(seed) % (bp + 1) : 0, r2 = bs ? rand_r(seed) % (bs + 1) : 0;
    struct stat_row *b0 = stat_add_row(t, "B", "b0", STAT_COUNT, true, 2);
    stat_add(b0, COL_PRIMARY, q);
    stat_add(b0, COL_SECONDARY, r2);
    struct stat_row *b1 = stat_add_row(t, "B", "b1", STAT_COUNT, true, 2);
    stat_add(b1, COL_PRIMARY, bp - q);
    stat_add(b1, COL_SECONDARY, bs - r2);
    stat_set_base(b0, &t->rows[0]);
    stat_set_base(b1, &t->rows[0]);
    return t;
}

/* The brute force's own list of identities (written apart from
 * stats.c's on purpose): each row's phases add up to its Total, and each
 * partition's rows to the base row, column by column. */
struct bident {
    size_t n;
    struct stat_cell *cell[8];
    int coef[8];
};

struct brute {
    struct bident id[64];
    size_t nid;
    struct stat_cell *hidden[40];
    bool set[40];
    int64_t truth[40], minv[40], maxv[40];
    size_t nh;
    int64_t limit;
};

static int hidden_index(const struct brute *b, const struct stat_cell *c)
{
    for (size_t h = 0; h < b->nh; h++)
        if (b->hidden[h] == c)
            return (int)h;
    return -1;
}

static void add_ident(struct brute *b, struct stat_cell *const *cells, const int *coefs, size_t n)
{
    struct bident *e = &b->id[b->nid++];
    e->n = n;
    for (size_t k = 0; k < n; k++) {
        e->cell[k] = cells[k];
        e->coef[k] = coefs[k];
    }
}

/* Every whole-number value 0..limit of the hidden cells that satisfies the
 * identities, by propagation (an identity with one unknown left fixes it)
 * and branching; keeps each cell's smallest and largest value. */
static void search(struct brute *b)
{
    size_t fixed[40], nfixed = 0;
    bool ok = true, progress = true;
    while (ok && progress) {
        progress = false;
        for (size_t i = 0; i < b->nid && ok; i++) {
            const struct bident *e = &b->id[i];
            int64_t sum = 0;
            int open = -1, nopen = 0;
            for (size_t k = 0; k < e->n; k++) {
                int h = hidden_index(b, e->cell[k]);
                if (h >= 0 && !b->set[h]) {
                    open = (int)k;
                    nopen++;
                } else {
                    sum += e->coef[k] * e->cell[k]->n;
                }
            }
            if (nopen == 0 && sum != 0)
                ok = false;
            if (nopen != 1)
                continue;
            int64_t v = -sum * e->coef[open];   /* coefficients are +1 or -1 */
            if (v < 0 || v > b->limit) {
                ok = false;
                continue;
            }
            int h = hidden_index(b, e->cell[open]);
            e->cell[open]->n = v;
            b->set[h] = true;
            fixed[nfixed++] = (size_t)h;
            progress = true;
        }
    }
    if (ok) {
        size_t next = b->nh;
        for (size_t h = 0; h < b->nh && next == b->nh; h++)
            if (!b->set[h])
                next = h;
        if (next == b->nh) {
            for (size_t h = 0; h < b->nh; h++) {
                if (b->hidden[h]->n < b->minv[h])
                    b->minv[h] = b->hidden[h]->n;
                if (b->hidden[h]->n > b->maxv[h])
                    b->maxv[h] = b->hidden[h]->n;
            }
        } else {
            b->set[next] = true;
            for (int64_t v = 0; v <= b->limit; v++) {
                b->hidden[next]->n = v;
                search(b);
            }
            b->set[next] = false;
        }
    }
    for (size_t k = 0; k < nfixed; k++)
        b->set[fixed[k]] = false;
}

/* How many hidden cells the brute-force search pins down. */
static int brute_pinned(struct stat_table *t, int64_t cap)
{
    static struct brute b;
    memset(&b, 0, sizeof b);
    /* Every count here is at most the base's Total, which a reader knows
     * when it is shown (else the caller gives a cap no count reaches). */
    b.limit = cap;
    for (size_t i = 0; i < t->nrows; i++) {
        struct stat_row *r = &t->rows[i];
        struct stat_cell *cells[4] = {&r->cells[0], &r->cells[1], &r->cells[2], &r->cells[3]};
        add_ident(&b, cells, (const int[]){1, 1, 1, -1}, 4);
        for (int c = 0; c < STAT_NCOLS; c++)
            if (r->cells[c].suppressed) {
                b.hidden[b.nh] = &r->cells[c];
                b.truth[b.nh] = r->cells[c].n;
                b.minv[b.nh] = INT64_MAX;
                b.maxv[b.nh] = -1;
                b.nh++;
            }
    }
    for (int part = 1; part <= 2; part++)
        for (int c = 0; c < STAT_NCOLS; c++) {
            struct stat_cell *cells[8];
            int coefs[8];
            size_t n = 0;
            cells[n] = &t->rows[0].cells[c];
            coefs[n++] = -1;
            for (size_t i = 1; i < t->nrows; i++)
                if (t->rows[i].partition == part) {
                    cells[n] = &t->rows[i].cells[c];
                    coefs[n++] = 1;
                }
            if (n > 1)
                add_ident(&b, cells, coefs, n);
        }
    search(&b);
    int pinned = 0;
    for (size_t h = 0; h < b.nh; h++) {
        b.hidden[h]->n = b.truth[h];
        assert_true(b.minv[h] <= b.truth[h] && b.truth[h] <= b.maxv[h]);   /* the truth is a solution */
        pinned += b.minv[h] == b.maxv[h];
    }
    return pinned;
}

/* The audit finds exactly the cells the brute-force search pins, for random
 * hidden sets (up to 7 cells) on random tables. */
static void audit_agrees_with_brute_force(void **state)
{
    (void)state;
    unsigned seed = 20261204;
    int disclosed_cases = 0;
    for (int trial = 0; trial < 1500; trial++) {
        struct stat_table *t = random_table(&seed);
        int nh = 0;
        for (size_t i = 0; i < t->nrows; i++)
            for (int c = 0; c < STAT_NCOLS; c++) {
                bool hide = c != COL_OTHER && nh < 7 && rand_r(&seed) % 4 == 0;
                t->rows[i].cells[c].suppressed = hide;
                nh += hide;
            }
        int want = brute_pinned(t, 2 * t->rows[0].cells[COL_TOTAL].n + 6);
        int got = stat_audit(t, 1, NULL);
        if (got != want)
            fail_msg("trial %d: audit says %d disclosed, brute force %d", trial, got, want);
        disclosed_cases += want > 0;
        free(t);
    }
    /* The random hidden sets do give things away often: the test has teeth. */
    assert_true(disclosed_cases > 300);
}

/* After stat_suppress, neither the audit nor the brute-force search can
 * work out any hidden cell, whatever the threshold. */
static void suppression_leaves_nothing_to_work_out(void **state)
{
    (void)state;
    unsigned seed = 7;
    int with_hidden = 0, checked = 0, hidden_zeros = 0;
    for (int trial = 0; trial < 1500; trial++) {
        struct stat_table *t = random_table(&seed);
        int threshold = 2 + trial % 4;
        stat_suppress(t, 1, threshold);
        assert_int_equal(stat_audit(t, 1, NULL), 0);
        if (!t->rows[0].cells[COL_TOTAL].suppressed) {
            checked++;
            int bp = brute_pinned(t, t->rows[0].cells[COL_TOTAL].n);
            if (bp) {
                for (size_t i = 0; i < t->nrows; i++) {
                    for (int c = 0; c < STAT_NCOLS; c++)
                        printf("%3lld%s ", (long long)t->rows[i].cells[c].n, t->rows[i].cells[c].suppressed ? "*" : " ");
                    printf("\n");
                }
                fail_msg("trial %d threshold %d: brute force pins %d", trial, threshold, bp);
            }
        }
        for (size_t i = 0; i < t->nrows; i++)
            for (int c = 0; c < STAT_NCOLS; c++) {
                const struct stat_cell *x = &t->rows[i].cells[c];
                with_hidden += x->suppressed;
                hidden_zeros += x->suppressed && x->n == 0;
                /* Every small count is hidden. */
                if (x->n > 0 && x->n < threshold && c != COL_OTHER)
                    assert_true(x->suppressed);
            }
        free(t);
    }
    assert_true(with_hidden > 1000);
    assert_true(checked > 1000);
    /* Some tables can only be protected by hiding a zero (so "c" does not
     * promise a count of at least 1). */
    printf("suppression: %d cells hidden, %d of them zeros, %d tables brute-forced\n", with_hidden, hidden_zeros,
           checked);
    assert_true(hidden_zeros > 0);
}

/* The table of the issue: a reader subtracting totals.  Primary 3 of row
 * a0 is small; the quick rule and the audit hide enough that neither the
 * audit nor the brute-force search can work it out. */
static void subtracting_totals(void **state)
{
    (void)state;
    struct stat_table *t = calloc(1, sizeof *t);
    t->key = "z";
    struct stat_row *base = stat_add_row(t, "", "Base", STAT_COUNT, true, 0);
    stat_add(base, COL_PRIMARY, 3);
    stat_add(base, COL_SECONDARY, 20);
    const int64_t rows[][2] = {{3, 0}, {0, 10}, {0, 10}};
    for (int i = 0; i < 3; i++) {
        char label[8];
        snprintf(label, sizeof label, "a%d", i);
        struct stat_row *r = stat_add_row(t, "A", label, STAT_COUNT, true, 1);
        stat_add(r, COL_PRIMARY, rows[i][0]);
        stat_add(r, COL_SECONDARY, rows[i][1]);
        stat_set_base(r, base);
    }
    stat_suppress(t, 1, 5);
    assert_int_equal(stat_audit(t, 1, NULL), 0);
    assert_int_equal(brute_pinned(t, 23), 0);
    assert_true(t->rows[1].cells[COL_PRIMARY].suppressed);
    assert_true(t->rows[0].cells[COL_PRIMARY].suppressed);   /* else a0's 3 = the base's Primary */
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bounds_worked_by_hand),
        cmocka_unit_test(audit_agrees_with_brute_force),
        cmocka_unit_test(suppression_leaves_nothing_to_work_out),
        cmocka_unit_test(subtracting_totals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
