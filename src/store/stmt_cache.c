/* The backends' prepared-statement cache (stmt_cache.h). */
#include "store/stmt_cache.h"

#include <stdlib.h>
#include <string.h>

static struct store_stmt **find_slot(struct stmt_cache *c, const char *sql, uint64_t h)
{
    size_t mask = c->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        struct store_stmt *e = c->slots[i];
        if (!e || (e->hash == h && strcmp(e->key, sql) == 0))
            return &c->slots[i];
    }
}

static bool grow(struct stmt_cache *c)
{
    size_t ncap = c->cap ? c->cap * 2 : 64;
    struct store_stmt **old = c->slots;
    size_t ocap = c->cap;
    struct store_stmt **slots = calloc(ncap, sizeof *slots);
    if (!slots)
        return false;
    c->slots = slots;
    c->cap = ncap;
    for (size_t i = 0; i < ocap; i++)
        if (old[i])
            *find_slot(c, old[i]->key, old[i]->hash) = old[i];
    free(old);
    return true;
}

static struct store_stmt **slot_of(struct stmt_cache *c, const char *sql, uint64_t *hash)
{
    if ((c->used + 1) * 2 > c->cap && !grow(c))
        return NULL;
    *hash = store_hash_sql(sql);
    return find_slot(c, sql, *hash);
}

static struct store_stmt *take(struct stmt_cache *c, struct store_stmt *chain, const char *sql)
{
    for (struct store_stmt *st = chain; st; st = st->twin) {
        if (!st->in_use) {
            st->in_use = true;
            c->busy++;
            st->sql = sql;
            return st;
        }
    }
    return NULL;
}

static bool add(struct stmt_cache *c, struct store_stmt **slot, struct store_stmt *st, const char *sql, uint64_t hash)
{
    st->key = strdup(sql);
    if (!st->key)
        return false;
    st->hash = hash;
    if (*slot) {
        st->twin = (*slot)->twin;
        (*slot)->twin = st;
    } else {
        st->twin = NULL;
        *slot = st;
        c->used++;
    }
    st->in_use = true;
    c->busy++;
    st->sql = sql;
    return true;
}

struct store_stmt *stmt_cache_get(struct stmt_cache *c, const char *sql, const struct stmt_maker *m, void *conn)
{
    if (!sql) {
        m->fail(conn, "no SQL given");
        return NULL;
    }
    uint64_t h;
    struct store_stmt **slot = slot_of(c, sql, &h);
    if (!slot) {
        m->fail(conn, "out of memory");
        return NULL;
    }
    struct store_stmt *st = take(c, *slot, sql);
    if (st) {
        m->reuse(st);
        return st;
    }
    st = m->make(conn, sql);
    if (st && !add(c, slot, st, sql, h)) {
        m->release(st);
        m->fail(conn, "out of memory");
        return NULL;
    }
    return st;
}

void stmt_cache_put(struct stmt_cache *c, struct store_stmt *st)
{
    if (st->in_use) {
        st->in_use = false;
        c->busy--;
    }
}

void stmt_cache_done_all(struct stmt_cache *c, void (*done)(struct store_stmt *st))
{
    for (size_t i = 0; c->busy && i < c->cap; i++)
        for (struct store_stmt *st = c->slots[i]; st; st = st->twin)
            if (st->in_use)
                done(st);
}

void stmt_cache_clear(struct stmt_cache *c, void (*release)(struct store_stmt *st), bool drop)
{
    for (size_t i = 0; i < c->cap; i++) {
        struct store_stmt *st = c->slots[i];
        while (st) {
            struct store_stmt *next = st->twin;
            free(st->key);
            release(st);
            st = next;
        }
        c->slots[i] = NULL;
    }
    c->used = 0;
    c->busy = 0;
    if (drop) {
        free(c->slots);
        c->slots = NULL;
        c->cap = 0;
    }
}
