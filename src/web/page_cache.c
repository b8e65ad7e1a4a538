#include "web/dash_cache.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    char *key;          /* NULL: free slot */
    char *body;
    size_t len;
    void *extra;
    size_t extralen;
    uint64_t used;      /* LRU clock */
};

static struct entry slots[DASH_CACHE_ENTRIES];
static size_t bytes;
static uint64_t clock_n;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static size_t size_of(const struct entry *e)
{
    return strlen(e->key) + 1 + e->len + e->extralen;
}

static void drop(struct entry *e)
{
    if (!e->key)
        return;
    bytes -= size_of(e);
    free(e->key);
    free(e->body);
    free(e->extra);
    memset(e, 0, sizeof *e);
}

static struct entry *find(const char *key)
{
    for (size_t i = 0; i < DASH_CACHE_ENTRIES; i++)
        if (slots[i].key && !strcmp(slots[i].key, key))
            return &slots[i];
    return NULL;
}

bool dash_cache_get(const char *key, struct buf *out, void *extra, size_t extralen)
{
    bool hit = false;
    pthread_mutex_lock(&lock);
    struct entry *e = find(key);
    if (e && e->extralen == extralen) {
        e->used = ++clock_n;
        buf_reset(out);
        buf_append(out, e->body, e->len);
        if (extralen)
            memcpy(extra, e->extra, extralen);
        hit = !out->failed;
    }
    pthread_mutex_unlock(&lock);
    return hit;
}

void dash_cache_put(const char *key, const char *body, size_t len, const void *extra, size_t extralen)
{
    struct entry n = {0};
    n.key = strdup(key);
    n.body = malloc(len ? len : 1);
    n.extra = malloc(extralen ? extralen : 1);
    n.len = len;
    n.extralen = extralen;
    if (!n.key || !n.body || !n.extra || size_of(&n) > DASH_CACHE_BYTES) {
        free(n.key);
        free(n.body);
        free(n.extra);
        return;
    }
    memcpy(n.body, body, len);
    if (extralen)
        memcpy(n.extra, extra, extralen);
    size_t need = size_of(&n);
    pthread_mutex_lock(&lock);
    struct entry *e = find(key);
    if (e)
        drop(e);
    /* Room: a free slot and the bytes, the least recently used going. */
    for (;;) {
        struct entry *free_slot = NULL, *oldest = NULL;
        for (size_t i = 0; i < DASH_CACHE_ENTRIES; i++) {
            if (!slots[i].key) {
                if (!free_slot)
                    free_slot = &slots[i];
            } else if (!oldest || slots[i].used < oldest->used) {
                oldest = &slots[i];
            }
        }
        if (free_slot && bytes + need <= DASH_CACHE_BYTES) {
            n.used = ++clock_n;
            *free_slot = n;
            bytes += need;
            break;
        }
        drop(oldest);   /* never NULL here: no free slot, or bytes held */
    }
    pthread_mutex_unlock(&lock);
}

void dash_cache_clear(void)
{
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < DASH_CACHE_ENTRIES; i++)
        drop(&slots[i]);
    pthread_mutex_unlock(&lock);
}

void dash_cache_stats(size_t *entries, size_t *b)
{
    pthread_mutex_lock(&lock);
    size_t n = 0;
    for (size_t i = 0; i < DASH_CACHE_ENTRIES; i++)
        n += slots[i].key != NULL;
    *entries = n;
    *b = bytes;
    pthread_mutex_unlock(&lock);
}
