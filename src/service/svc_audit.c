#include "service/svc_audit.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/secrets.h"

/* HMAC-SHA256 under the audit key of n bytes, as hex; -1 without a key. */
static int seal(const char *data, size_t n, char out[AUDIT_HASH_HEX + 1])
{
    const unsigned char *key = secrets_key(SECRET_AUDIT);
    if (!key) {
        out[0] = '\0';
        return -1;
    }
    unsigned char h[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, key, SECRET_KEY_BYTES);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)data, n);
    crypto_auth_hmacsha256_final(&st, h);
    audit_hex(h, sizeof h, out);
    return 0;
}

int svc_audit_hash(const struct audit_entry *e, char out[AUDIT_HASH_HEX + 1])
{
    char canon[1024];
    size_t n = audit_canonical(e, canon, sizeof canon);
    return n ? seal(canon, n, out) : -1;
}

int svc_audit_prune_mac(const struct audit_anchor *a, char out[AUDIT_HASH_HEX + 1])
{
    char text[160];
    int n = snprintf(text, sizeof text, "tas-audit-prune\n%lld\n%s\n%lld\n", (long long)a->up_to_id, a->hash,
                     (long long)a->at);
    return n > 0 && (size_t)n < sizeof text ? seal(text, (size_t)n, out) : -1;
}

enum svc_status svc_audit_prune(struct svc_ctx *c, int64_t up_to_id, int64_t *removed)
{
    *removed = 0;
    struct audit_anchor a = {.up_to_id = up_to_id, .at = c->now};
    enum store_rc rc = q_audit_hash_of(c->db, up_to_id, a.hash);
    if (rc == STORE_DONE)
        return SVC_OK;   /* nothing to prune */
    if (rc != STORE_ROW || svc_audit_prune_mac(&a, a.mac) != 0)
        return SVC_ERROR;
    return svc_from_store(q_audit_prune(c->db, &a, removed));
}

static _Thread_local bool marked;

void svc_audit_mark_reset(void)
{
    marked = false;
}

bool svc_audit_marked(void)
{
    return marked;
}

static void copy(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

static int64_t actor_authority(const struct principal *p)
{
    if (!p)
        return 0;
    for (size_t i = 0; i < p->ngrants && i < POLICY_MAX_GRANTS; i++) {
        const struct role_grant *g = &p->grants[i];
        if (g->authority_id > 0)
            return g->authority_id;
        if (g->scope == SCOPE_AUTHORITY && g->scope_id > 0)
            return g->scope_id;
    }
    return 0;
}

/* The entry for ev, all but its place in the chain (id, prev_hash, hash).
 * Reads only: inside the caller's transaction when there is one, so a
 * record created in it can be placed. */
static enum store_rc entry_for(struct svc_ctx *c, const struct audit_event *ev, struct audit_entry *e)
{
    memset(e, 0, sizeof *e);
    e->at = c->now;
    e->user_id = c->who ? c->who->user_id : 0;
    copy(e->remote_addr, sizeof e->remote_addr, c->remote_addr);
    copy(e->action, sizeof e->action, ev->action);
    copy(e->resource_kind, sizeof e->resource_kind, ev->kind);
    copy(e->detail, sizeof e->detail, ev->detail);
    e->resource_id = ev->resource_id;
    e->pupil_id = ev->pupil_id;
    e->school_id = ev->school_id;
    e->authority_id = ev->authority_id;
    e->flags = ev->flags;

    enum store_rc rc = STORE_OK;
    if (!e->pupil_id && !e->school_id && !e->authority_id && e->resource_id > 0) {
        rc = q_audit_subject(c->db, e->resource_kind, e->resource_id, &e->pupil_id, &e->school_id,
                             &e->authority_id);
        if (rc == STORE_DONE || rc == STORE_ROW)
            rc = STORE_OK;
    }
    /* Nothing to place it by (a sign-in, a list): place it where the actor
     * works, so their authority's DPO sees it. */
    if (rc == STORE_OK && !e->authority_id)
        e->authority_id = actor_authority(c->who);
    if (rc == STORE_OK)
        rc = q_audit_username(c->db, e->user_id, e->username, sizeof e->username);
    return rc;
}

/* Chains and inserts n entries after the newest, inside a write
 * transaction the caller holds (the write lock keeps the tail still). */
static enum store_rc append_chain(struct store *db, struct audit_entry *const *es, size_t n)
{
    int64_t last = 0;
    char prev[AUDIT_HASH_HEX + 1];
    enum store_rc rc = q_audit_tail(db, &last, prev);
    for (size_t i = 0; rc == STORE_OK && i < n; i++) {
        struct audit_entry *e = es[i];
        e->id = ++last;
        memcpy(e->prev_hash, prev, sizeof prev);
        rc = svc_audit_hash(e, e->hash) == 0 ? q_audit_insert(db, e) : STORE_ERROR;
        memcpy(prev, e->hash, sizeof prev);
    }
    return rc;
}

/* ---- group commit ------------------------------------------------------
 *
 * An entry recorded outside any transaction (a page view, a list, a
 * sign-in) needs a write transaction and, with synchronous=FULL, a sync
 * of the log to disk: one each made audited pages a sixth as fast as
 * unaudited ones.  So requests recording at the same moment share them.
 * Each queues its entry and waits; whichever finds no writer at work
 * becomes the writer, takes every queued entry for its database, appends
 * them in one transaction with one sync, and wakes their owners with the
 * outcome.  Entries queued meanwhile form the next group.  A request goes
 * on only once its entry is durable (or has failed, when it fails as
 * before), so a crash loses nothing that was answered.
 *
 * Each waiter sleeps on its own condition: the writer wakes the owners of
 * the entries it wrote and the first still queued (to write the next
 * group), no one else.  One condition for all woke every waiter at each
 * group (dozens of threads under load) to find most had nothing to do. */

struct queued {
    struct audit_entry e;
    const char *db_key;          /* store_database_key of the owner's connection */
    bool seal_only;              /* no entry: the owner waits for the pending ones' seal */
    bool done;
    enum store_rc rc;
    struct queued *next;
    pthread_cond_t cv;           /* its owner waits on it (under group_mu) */
};

enum { GROUP_MAX = 256 };        /* entries in one transaction at most */

static pthread_mutex_t group_mu = PTHREAD_MUTEX_INITIALIZER;
static struct queued *group_head;
static bool group_writing;
static uint64_t stat_groups, stat_entries;

void svc_audit_group_stats(uint64_t *groups, uint64_t *entries)
{
    pthread_mutex_lock(&group_mu);
    *groups = stat_groups;
    *entries = stat_entries;
    pthread_mutex_unlock(&group_mu);
}

/* Takes up to GROUP_MAX queued entries for db_key off the queue (in the
 * order queued, which is their order in the chain).  Under group_mu. */
static size_t take_group(const char *db_key, struct queued **out)
{
    size_t n = 0;
    for (struct queued **pp = &group_head; *pp && n < GROUP_MAX;) {
        if (strcmp((*pp)->db_key, db_key) == 0) {
            out[n++] = *pp;
            *pp = (*pp)->next;
        } else {
            pp = &(*pp)->next;
        }
    }
    return n;
}

/* ---- sealing after the commit ---------------------------------------
 *
 * Where writers run side by side (PostgreSQL), an entry recorded inside a
 * change's transaction waits in audit_pending (migration 0040 says why)
 * and is sealed into the chain right after the commit: its request joins
 * the group commit below with no entry of its own, and every group's
 * writer first chains whatever is pending, in the order written.  The
 * request answers only once that is done, so what it answered is sealed;
 * an entry left pending by a crash goes into the chain with the next
 * group. */

struct taken {
    struct audit_entry *e;
    size_t n, cap;
};

static void take_one(void *arg, const struct audit_entry *e)
{
    struct taken *t = arg;
    if (t->n < t->cap)
        t->e[t->n++] = *e;
}

static int by_seq(const void *a, const void *b)
{
    const struct audit_entry *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

/* Chains every pending entry, inside the caller's serial write. */
static enum store_rc seal_pending(struct store *db)
{
    struct taken t = {.e = malloc(GROUP_MAX * sizeof *t.e), .cap = GROUP_MAX};
    if (!t.e)
        return STORE_ERROR;
    enum store_rc rc;
    do {
        t.n = 0;
        rc = q_audit_take_pending(db, GROUP_MAX, take_one, &t);
        qsort(t.e, t.n, sizeof *t.e, by_seq);
        struct audit_entry *es[GROUP_MAX];
        for (size_t i = 0; i < t.n; i++)
            es[i] = &t.e[i];
        if (rc == STORE_OK)
            rc = append_chain(db, es, t.n);
    } while (rc == STORE_OK && t.n == GROUP_MAX);
    free(t.e);
    return rc;
}

static enum store_rc write_group(struct store *db, struct queued *const *g, size_t n)
{
    struct audit_entry *es[GROUP_MAX];
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!g[i]->seal_only)
            es[k++] = &g[i]->e;
    enum store_rc rc = store_begin_serial(db);
    if (rc != STORE_OK) {
        store_rollback(db);
        return rc;
    }
    rc = seal_pending(db);   /* none where entries are chained in their transaction */
    if (rc == STORE_OK)
        rc = append_chain(db, es, k);
    return store_end_write(db, rc);
}

static enum store_rc record_grouped(struct store *db, struct queued *me)
{
    pthread_mutex_lock(&group_mu);
    struct queued **tail = &group_head;
    while (*tail)
        tail = &(*tail)->next;
    *tail = me;
    while (!me->done) {
        if (group_writing) {
            pthread_cond_wait(&me->cv, &group_mu);
            continue;
        }
        group_writing = true;
        struct queued *g[GROUP_MAX];
        size_t n = take_group(me->db_key, g);
        pthread_mutex_unlock(&group_mu);
        enum store_rc rc = write_group(db, g, n);
        pthread_mutex_lock(&group_mu);
        for (size_t i = 0; i < n; i++) {
            g[i]->rc = rc;
            g[i]->done = true;
            if (g[i] != me)
                pthread_cond_signal(&g[i]->cv);
        }
        stat_groups++;
        stat_entries += n;
        group_writing = false;
        if (group_head && group_head != me)
            pthread_cond_signal(&group_head->cv);
    }
    pthread_mutex_unlock(&group_mu);
    return me->rc;
}

enum svc_status svc_audit_seal(struct store *db)
{
    struct queued me = {.db_key = store_database_key(db), .seal_only = true};
    pthread_cond_init(&me.cv, NULL);
    enum store_rc rc = record_grouped(db, &me);
    pthread_cond_destroy(&me.cv);
    return rc == STORE_OK ? SVC_OK : SVC_ERROR;
}

static void seal_after_commit(struct store *db, void *arg)
{
    (void)arg;
    /* The change stands whatever happens here; an entry not sealed now is
     * sealed with the next group. */
    (void)svc_audit_seal(db);
}

enum svc_status svc_audit_record(struct svc_ctx *c, const struct audit_event *ev)
{
    if (!c || !ev || !ev->action || !ev->kind)
        return SVC_ERROR;
    enum store_rc rc;
    const char *key = store_database_key(c->db);
    if (!store_in_transaction(c->db) && *key) {
        struct queued me = {.db_key = key};
        rc = entry_for(c, ev, &me.e);
        if (rc == STORE_OK) {
            pthread_cond_init(&me.cv, NULL);
            rc = record_grouped(c->db, &me);
            pthread_cond_destroy(&me.cv);
        }
    } else if (!store_one_writer(c->db)) {
        /* Inside a transaction that runs beside others: pending, with its
         * change, and sealed once that commits. */
        struct audit_entry e;
        rc = entry_for(c, ev, &e);
        if (rc == STORE_OK)
            rc = q_audit_pend(c->db, &e);
        if (rc == STORE_OK)
            store_after_commit(c->db, seal_after_commit, NULL);
    } else {
        /* Inside the caller's transaction the entry commits (or not) with
         * its change, as a savepoint; an in-memory database has no
         * neighbours to group with. */
        struct audit_entry e;
        struct audit_entry *es[1] = {&e};
        if (store_begin_write(c->db) != STORE_OK)
            return SVC_ERROR;
        rc = entry_for(c, ev, &e);
        if (rc == STORE_OK)
            rc = append_chain(c->db, es, 1);
        rc = store_end_write(c->db, rc);
    }
    if (rc != STORE_OK)
        return SVC_ERROR;
    marked = true;
    return SVC_OK;
}

enum svc_status svc_audit_list(struct svc_ctx *c, const struct audit_filter *f,
                               const struct page_req *pg, int64_t *total,
                               void (*fn)(void *arg, const struct audit_entry *e), void *arg)
{
    struct visibility v;
    if (svc_list_visible_places(c, RES_AUDIT, &v) != SVC_OK)
        return SVC_FORBIDDEN;
    /* Looking at the trail is itself on the trail, with the pupil asked
     * about (a DPO's search is accountable too). */
    struct audit_event ev = {.action = "list", .kind = "audit", .pupil_id = f->pupil_id,
                             .detail = "audit log"};
    if (svc_audit_record(c, &ev) != SVC_OK)
        return SVC_ERROR;
    return svc_from_store(q_audit_list(c->db, &v, f, pg, total, fn, arg));
}

struct walk {
    char prev[AUDIT_HASH_HEX + 1];
    struct audit_verify *out;
    const struct audit_head *expect;   /* an anchor kept elsewhere, or NULL */
};

static int walk_one(void *arg, const struct audit_entry *e)
{
    struct walk *w = arg;
    char h[AUDIT_HASH_HEX + 1];
    enum audit_link l = svc_audit_hash(e, h) == 0 ? audit_check_link(e, w->prev, h) : AUDIT_LINK_HASH;
    if (l == AUDIT_LINK_OK && w->expect && e->id == w->expect->id) {
        w->out->expected_seen = true;
        if (strcmp(e->hash, w->expect->hash) != 0)
            l = AUDIT_LINK_ANCHOR;
    }
    if (l != AUDIT_LINK_OK) {
        w->out->first_bad_id = e->id;
        w->out->why = l;
        return 1;
    }
    w->out->checked++;
    w->out->head.id = e->id;
    memcpy(w->out->head.hash, e->hash, sizeof w->out->head.hash);
    memcpy(w->prev, e->hash, sizeof w->prev);
    return 0;
}

bool svc_audit_trail_exists(struct store *db)
{
    int64_t last = 0;
    char prev[AUDIT_HASH_HEX + 1];
    struct audit_anchor a;
    return (q_audit_tail(db, &last, prev) == STORE_OK && last > 0) ||
           (q_audit_anchor(db, &a) == STORE_OK && a.up_to_id > 0);
}

enum svc_status svc_audit_verify(struct store *db, const struct audit_head *expect, struct audit_verify *out)
{
    memset(out, 0, sizeof *out);
    struct walk w = {.out = out, .expect = expect};
    /* One read transaction, so entries appended meanwhile cannot make a
     * half-read chain look broken. */
    if (store_begin(db) != STORE_OK)
        return SVC_ERROR;
    struct audit_anchor a;
    enum store_rc rc = q_audit_anchor(db, &a);
    if (rc == STORE_OK) {
        out->anchor_id = a.up_to_id;
        out->head.id = a.up_to_id;
        memcpy(out->head.hash, a.hash, sizeof out->head.hash);
        memcpy(w.prev, a.hash, sizeof w.prev);
        char mac[AUDIT_HASH_HEX + 1];
        /* A pruning must carry tas's own seal: one made by hand (to hide
         * the history before it) does not. */
        if (a.up_to_id && (svc_audit_prune_mac(&a, mac) != 0 || strcmp(mac, a.mac) != 0)) {
            out->first_bad_id = a.up_to_id;
            out->why = AUDIT_LINK_PRUNE;
        } else if (expect && expect->id <= a.up_to_id) {
            /* The kept anchor is older than the last pruning: the sealed
             * record stands in for it, and its own entry must match. */
            out->expected_seen = true;
            if (expect->id == a.up_to_id && strcmp(expect->hash, a.hash) != 0) {
                out->first_bad_id = a.up_to_id;
                out->why = AUDIT_LINK_ANCHOR;
            }
        }
        if (!out->first_bad_id)
            rc = q_audit_walk(db, a.up_to_id, walk_one, &w);
        if (rc == STORE_OK)
            rc = q_audit_pending_count(db, &out->pending);
    }
    store_rollback(db);
    if (rc == STORE_OK && expect && !out->first_bad_id && !out->expected_seen) {
        out->first_bad_id = expect->id;   /* the log ends before the kept anchor */
        out->why = AUDIT_LINK_ANCHOR;
    }
    return rc == STORE_OK ? SVC_OK : SVC_ERROR;
}
