/* The connection pool: n connections opened up front and handed to one
 * thread at a time.  Fixed size, so the server's load on the database is bounded
 * and acquire simply waits when every connection is out. */
#include "store/store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "store/store_internal.h"

#define POOL_MAX 1024

struct store_pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;      /* a connection came back */
    struct store **conns;   /* fixed after open, so readable without mu */
    bool *out;              /* conns[i] is lent out; under mu */
    int n;
    int nfree;              /* under mu */
};

static void close_conns(struct store **conns, int n)
{
    for (int i = 0; i < n; i++)
        store_close(conns[i]);
}

struct store_pool *store_pool_open(const char *url, int n, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (n < 1 || n > POOL_MAX) {
        if (err && errlen)
            snprintf(err, errlen, "pool size must be 1 to %d, not %d", POOL_MAX, n);
        return NULL;
    }
    struct store_pool *p = calloc(1, sizeof *p);
    if (p) {
        p->conns = calloc((size_t)n, sizeof *p->conns);
        p->out = calloc((size_t)n, sizeof *p->out);
    }
    if (!p || !p->conns || !p->out) {
        if (err && errlen)
            snprintf(err, errlen, "out of memory");
        goto fail_mem;
    }
    if (pthread_mutex_init(&p->mu, NULL) != 0) {
        if (err && errlen)
            snprintf(err, errlen, "cannot create pool mutex");
        goto fail_mem;
    }
    if (pthread_cond_init(&p->cv, NULL) != 0) {
        if (err && errlen)
            snprintf(err, errlen, "cannot create pool condition variable");
        pthread_mutex_destroy(&p->mu);
        goto fail_mem;
    }
    for (int i = 0; i < n; i++) {
        p->conns[i] = store_open(url, err, errlen);
        if (!p->conns[i]) {
            close_conns(p->conns, i);
            pthread_cond_destroy(&p->cv);
            pthread_mutex_destroy(&p->mu);
            goto fail_mem;
        }
    }
    p->n = n;
    p->nfree = n;
    return p;

fail_mem:
    if (p) {
        free(p->conns);
        free(p->out);
        free(p);
    }
    return NULL;
}

struct store *store_pool_acquire(struct store_pool *p)
{
    if (!p)
        return NULL;
    pthread_mutex_lock(&p->mu);
    while (p->nfree == 0)
        pthread_cond_wait(&p->cv, &p->mu);  /* loops on spurious wake-ups */
    struct store *s = NULL;
    for (int i = 0; i < p->n; i++) {
        if (!p->out[i]) {
            p->out[i] = true;
            p->nfree--;
            s = p->conns[i];
            break;
        }
    }
    pthread_mutex_unlock(&p->mu);
    store_begin_use(s);
    return s;
}

void store_pool_release(struct store_pool *p, struct store *s)
{
    if (!p || !s)
        return;
    int i = 0;
    while (i < p->n && p->conns[i] != s)
        i++;
    if (i == p->n)
        return;  /* not ours: touching it could harm its real owner */
    /* Still ours alone here: a half-done transaction or a half-read
     * SELECT must not leak into the next borrower's work. */
    store_end_use(s);
    pthread_mutex_lock(&p->mu);
    if (p->out[i]) {
        p->out[i] = false;
        p->nfree++;
        /* Broadcast: waiting acquirers and a waiting store_pool_close
         * share the condition, and a signal could wake the wrong one. */
        pthread_cond_broadcast(&p->cv);
    }
    pthread_mutex_unlock(&p->mu);
}

void store_pool_close(struct store_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    while (p->nfree < p->n)
        pthread_cond_wait(&p->cv, &p->mu);  /* until every connection is back */
    pthread_mutex_unlock(&p->mu);
    close_conns(p->conns, p->n);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p->conns);
    free(p->out);
    free(p);
}
