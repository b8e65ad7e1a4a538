#include "web/page_cache.h"

#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    char *key;          /* NULL: free slot */
    uint64_t hash;      /* of key: most slots are passed over on it */
    char *body;
    size_t len;
    void *extra;
    size_t extralen;
    uint64_t used;      /* LRU clock */
};

static struct entry slots[PAGE_CACHE_ENTRIES];
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

/* FNV-1a: keys share long beginnings, which a hash compares at once. */
static uint64_t key_hash(const char *key)
{
    uint64_t h = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    return h;
}

static struct entry *find(const char *key, uint64_t h)
{
    for (size_t i = 0; i < PAGE_CACHE_ENTRIES; i++)
        if (slots[i].key && slots[i].hash == h && !strcmp(slots[i].key, key))
            return &slots[i];
    return NULL;
}

bool page_cache_get(const char *key, struct buf *out, void *extra, size_t extralen)
{
    bool hit = false;
    uint64_t h = key_hash(key);
    pthread_mutex_lock(&lock);
    struct entry *e = find(key, h);
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

void page_cache_put(const char *key, const char *body, size_t len, const void *extra, size_t extralen)
{
    struct entry n = {0};
    n.key = strdup(key);
    n.hash = key_hash(key);
    n.body = malloc(len ? len : 1);
    n.extra = malloc(extralen ? extralen : 1);
    n.len = len;
    n.extralen = extralen;
    if (!n.key || !n.body || !n.extra || size_of(&n) > PAGE_CACHE_BYTES) {
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
    struct entry *e = find(key, n.hash);
    if (e)
        drop(e);
    /* Room: a free slot and the bytes, the least recently used going. */
    for (;;) {
        struct entry *free_slot = NULL, *oldest = NULL;
        for (size_t i = 0; i < PAGE_CACHE_ENTRIES; i++) {
            if (!slots[i].key) {
                if (!free_slot)
                    free_slot = &slots[i];
            } else if (!oldest || slots[i].used < oldest->used) {
                oldest = &slots[i];
            }
        }
        if (free_slot && bytes + need <= PAGE_CACHE_BYTES) {
            n.used = ++clock_n;
            *free_slot = n;
            bytes += need;
            break;
        }
        drop(oldest);   /* never NULL here: no free slot, or bytes held */
    }
    pthread_mutex_unlock(&lock);
}

void page_cache_clear(void)
{
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < PAGE_CACHE_ENTRIES; i++)
        drop(&slots[i]);
    pthread_mutex_unlock(&lock);
}

/* ---- keys ---- */

void page_key_text(struct buf *b, const char *s)
{
    s = s ? s : "";
    buf_printf(b, "%zu:%s|", strlen(s), s);
}

static int text_cmp(const void *x, const void *y)
{
    return strcmp((const char *)x, (const char *)y);
}

void page_key_scope(struct buf *b, const struct principal *p)
{
    enum { W = 1024 };
    static _Thread_local char g[POLICY_MAX_GRANTS][W];
    size_t n = p->ngrants < POLICY_MAX_GRANTS ? p->ngrants : POLICY_MAX_GRANTS;
    for (size_t i = 0; i < n; i++) {
        const struct role_grant *r = &p->grants[i];
        int len = snprintf(g[i], W, "%d,%d,%lld,%lld,%zu:%s,", (int)r->role, (int)r->scope, (long long)r->scope_id,
                           (long long)r->authority_id, strlen(r->detail), r->detail);
        for (size_t k = 0; k < r->nschools && k < POLICY_MAX_TEAM_SCHOOLS && len > 0 && len < W; k++)
            len += snprintf(g[i] + len, (size_t)(W - len), "%lld;", (long long)r->school_ids[k]);
    }
    qsort(g, n, W, text_cmp);
    buf_printf(b, "%s|grants %zu|", p->read_only ? "read only" : "read write", n);
    for (size_t i = 0; i < n; i++)
        page_key_text(b, g[i]);
}
