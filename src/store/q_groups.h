/* Counting rows into groups in C, where SQL's GROUP BY would cost too
 * much: SQLite has no hash aggregate, and a GROUP BY over many rows spends
 * most of its time sorting them, while the groups themselves are few (the
 * dashboard's tables, the rollup's cells).
 *
 * The groups are kept in the order first seen, in one array of the area's
 * group struct, found by an index of slots (open addressing, linear
 * probing, a power of two at most half full), so a group's index stays
 * the same as more are added.  The area gives its group's size, hash and
 * equality (of the key fields only: the counts it keeps itself). */
#ifndef TAS_STORE_Q_GROUPS_H
#define TAS_STORE_Q_GROUPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct q_groups {
    size_t size;                              /* of one group */
    uint64_t (*hash)(const void *group);
    bool (*same)(const void *a, const void *b);
    void *g;                                  /* the n groups */
    size_t n, cap;
    size_t *slot, nslots;                     /* a group's index + 1; 0 free */
};

#define Q_GROUPS(type, hash, same) ((struct q_groups){sizeof(type), (hash), (same), NULL, 0, 0, NULL, 0})

/* The index of key's group, a copy of key added as a new group when there
 * is none (*added then true, where added is not NULL); SIZE_MAX when out
 * of memory (the table as it was). */
size_t q_groups_find(struct q_groups *t, const void *key, bool *added);

/* Sorts the groups by cmp (qsort's), for rows in GROUP BY's order (the
 * index is dropped: a find after builds it again). */
void q_groups_sort(struct q_groups *t, int (*cmp)(const void *, const void *));

void q_groups_free(struct q_groups *t);

/* A group's hash, FNV-1a: from Q_HASH_START, each integer and string of
 * its key (a string with its end, so "ab","c" and "a","bc" differ), then
 * q_hash_end. */
#define Q_HASH_START 1469598103934665603ULL

static inline uint64_t q_hash_int(uint64_t h, int64_t v)
{
    return (h ^ (uint64_t)v) * 1099511628211ULL;
}

static inline uint64_t q_hash_str(uint64_t h, const char *s)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return (h ^ 0xff) * 1099511628211ULL;
}

static inline uint64_t q_hash_end(uint64_t h)
{
    return h ^ (h >> 29);
}

#endif
