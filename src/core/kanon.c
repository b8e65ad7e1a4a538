#include "core/kanon.h"

#include <stdlib.h>
#include <string.h>

static int32_t value(const struct kanon_input *in, size_t r, size_t q, int l)
{
    return in->values[(r * in->nqi + q) * KANON_MAX_LEVELS + (size_t)l];
}

static int cmp_rows(const struct kanon_input *in, const int *level, size_t a, size_t b)
{
    for (size_t q = 0; q < in->nqi; q++) {
        int32_t x = value(in, a, q, level[q]), y = value(in, b, q, level[q]);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return 0;
}

/* Merge sort of row indices (qsort has no way to pass the levels). */
static void sort_rows(const struct kanon_input *in, const int *level, size_t *idx, size_t *tmp, size_t n)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    sort_rows(in, level, idx, tmp, h);
    sort_rows(in, level, idx + h, tmp, n - h);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = cmp_rows(in, level, idx[i], idx[j]) <= 0 ? idx[i++] : idx[j++];
    while (i < h)
        tmp[k++] = idx[i++];
    while (j < n)
        tmp[k++] = idx[j++];
    memcpy(idx, tmp, n * sizeof *idx);
}

size_t kanon_classes(const struct kanon_input *in, const int *level, size_t *cls)
{
    size_t n = in->nrows, ngroups = 0;
    if (n == 0)
        return 0;
    size_t *idx = malloc(n * sizeof *idx), *tmp = malloc(n * sizeof *tmp), *renum = malloc(n * sizeof *renum);
    if (!idx || !tmp || !renum) {
        free(idx);
        free(tmp);
        free(renum);
        return 0;
    }
    for (size_t r = 0; r < n; r++)
        idx[r] = r;
    sort_rows(in, level, idx, tmp, n);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && cmp_rows(in, level, idx[i - 1], idx[i]) != 0)
            ngroups++;
        cls[idx[i]] = ngroups;
    }
    ngroups++;
    /* Number the classes in the order their first rows come. */
    for (size_t g = 0; g < ngroups; g++)
        renum[g] = SIZE_MAX;
    size_t next = 0;
    for (size_t r = 0; r < n; r++) {
        if (renum[cls[r]] == SIZE_MAX)
            renum[cls[r]] = next++;
        cls[r] = renum[cls[r]];
    }
    free(idx);
    free(tmp);
    free(renum);
    return ngroups;
}

/* The smallest class and the number of classes under a choice. */
static int measure(const struct kanon_input *in, const int *level, size_t *min_class, size_t *nclasses)
{
    size_t *cls = malloc(in->nrows * sizeof *cls);
    if (!cls)
        return -1;
    size_t nc = kanon_classes(in, level, cls);
    size_t *count = nc ? calloc(nc, sizeof *count) : NULL;
    if (!count) {
        free(cls);
        return -1;
    }
    for (size_t r = 0; r < in->nrows; r++)
        count[cls[r]]++;
    size_t m = SIZE_MAX;
    for (size_t c = 0; c < nc; c++)
        if (count[c] < m)
            m = count[c];
    *min_class = m;
    *nclasses = nc;
    free(count);
    free(cls);
    return 0;
}

struct node {
    int level[KANON_MAX_QI];
    int cost;
};

static int cmp_node(const void *a, const void *b)
{
    const struct node *x = a, *y = b;
    if (x->cost != y->cost)
        return x->cost < y->cost ? -1 : 1;
    /* Ties: generalise later columns first (the caller lists the columns an
     * evaluator needs most first). */
    for (size_t q = 0; q < KANON_MAX_QI; q++)   /* unused columns are 0 in both */
        if (x->level[q] != y->level[q])
            return x->level[q] < y->level[q] ? -1 : 1;
    return 0;
}

int kanon_search(const struct kanon_input *in, size_t k, struct kanon_result *out)
{
    memset(out, 0, sizeof *out);
    if (!in || in->nqi == 0 || in->nqi > KANON_MAX_QI || (in->nrows && !in->values) || k == 0)
        return -1;
    size_t total = 1;
    for (size_t q = 0; q < in->nqi; q++) {
        if (in->levels[q] < 2 || in->levels[q] > KANON_MAX_LEVELS || in->cost[q] < 1)
            return -1;
        total *= (size_t)in->levels[q];
    }
    if (in->nrows == 0) {
        out->found = true;   /* nothing to tell apart */
        return 0;
    }
    struct node *nodes = calloc(total, sizeof *nodes);
    if (!nodes)
        return -1;
    for (size_t i = 0; i < total; i++) {
        size_t rest = i;
        nodes[i].cost = 0;
        for (size_t q = 0; q < in->nqi; q++) {
            nodes[i].level[q] = (int)(rest % (size_t)in->levels[q]);
            rest /= (size_t)in->levels[q];
            nodes[i].cost += nodes[i].level[q] * in->cost[q];
        }
    }
    qsort(nodes, total, sizeof *nodes, cmp_node);
    int rc = 0;
    for (size_t i = 0; i < total; i++) {
        size_t m, nc;
        if (measure(in, nodes[i].level, &m, &nc) != 0) {
            rc = -1;
            break;
        }
        out->tried++;
        if (m >= k) {
            out->found = true;
            memcpy(out->level, nodes[i].level, sizeof out->level);
            out->min_class = m;
            out->nclasses = nc;
            break;
        }
    }
    free(nodes);
    return rc;
}
