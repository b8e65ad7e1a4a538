#include "store/q_groups.h"

#include <stdlib.h>
#include <string.h>

static size_t probe(const struct q_groups *t, const size_t *slot, size_t nslots, const void *key)
{
    size_t j = t->hash(key) & (nslots - 1);
    while (slot[j] && !t->same((const char *)t->g + (slot[j] - 1) * t->size, key))
        j = (j + 1) & (nslots - 1);
    return j;
}

/* A larger index, at most half full with one more group, every group
 * placed again. */
static bool grow_slots(struct q_groups *t)
{
    size_t ns = t->nslots ? t->nslots * 2 : 256;
    while ((t->n + 1) * 2 > ns)
        ns *= 2;
    size_t *slot = calloc(ns, sizeof *slot);
    if (!slot)
        return false;
    for (size_t i = 0; i < t->n; i++) {
        size_t j = t->hash((const char *)t->g + i * t->size) & (ns - 1);
        while (slot[j])
            j = (j + 1) & (ns - 1);
        slot[j] = i + 1;
    }
    free(t->slot);
    t->slot = slot;
    t->nslots = ns;
    return true;
}

size_t q_groups_find(struct q_groups *t, const void *key, bool *added)
{
    if (added)
        *added = false;
    if ((t->n + 1) * 2 > t->nslots && !grow_slots(t))
        return SIZE_MAX;
    size_t j = probe(t, t->slot, t->nslots, key);
    if (t->slot[j])
        return t->slot[j] - 1;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 128;
        void *g = realloc(t->g, cap * t->size);
        if (!g)
            return SIZE_MAX;
        t->g = g;
        t->cap = cap;
    }
    memcpy((char *)t->g + t->n * t->size, key, t->size);
    t->slot[j] = ++t->n;
    if (added)
        *added = true;
    return t->n - 1;
}

void q_groups_sort(struct q_groups *t, int (*cmp)(const void *, const void *))
{
    free(t->slot);
    t->slot = NULL;
    t->nslots = 0;
    if (t->n)
        qsort(t->g, t->n, t->size, cmp);
}

void q_groups_free(struct q_groups *t)
{
    free(t->g);
    free(t->slot);
    t->g = NULL;
    t->slot = NULL;
    t->n = t->cap = t->nslots = 0;
}
