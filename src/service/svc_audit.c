#include "service/svc_audit.h"

#include <sodium.h>
#include <stdio.h>
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

enum svc_status svc_audit_record(struct svc_ctx *c, const struct audit_event *ev)
{
    if (!c || !ev || !ev->action || !ev->kind)
        return SVC_ERROR;
    struct audit_entry e;
    memset(&e, 0, sizeof e);
    e.at = c->now;
    e.user_id = c->who ? c->who->user_id : 0;
    copy(e.remote_addr, sizeof e.remote_addr, c->remote_addr);
    copy(e.action, sizeof e.action, ev->action);
    copy(e.resource_kind, sizeof e.resource_kind, ev->kind);
    copy(e.detail, sizeof e.detail, ev->detail);
    e.resource_id = ev->resource_id;
    e.pupil_id = ev->pupil_id;
    e.school_id = ev->school_id;
    e.authority_id = ev->authority_id;
    e.flags = ev->flags;

    if (store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    enum store_rc rc = STORE_OK;
    if (!e.pupil_id && !e.school_id && !e.authority_id && e.resource_id > 0) {
        rc = q_audit_subject(c->db, e.resource_kind, e.resource_id, &e.pupil_id, &e.school_id,
                             &e.authority_id);
        if (rc == STORE_DONE || rc == STORE_ROW)
            rc = STORE_OK;
    }
    /* Nothing to place it by (a sign-in, a list): place it where the actor
     * works, so their authority's DPO sees it. */
    if (rc == STORE_OK && !e.authority_id)
        e.authority_id = actor_authority(c->who);
    if (rc == STORE_OK)
        rc = q_audit_username(c->db, e.user_id, e.username, sizeof e.username);
    int64_t last = 0;
    if (rc == STORE_OK)
        rc = q_audit_tail(c->db, &last, e.prev_hash);
    if (rc == STORE_OK) {
        e.id = last + 1;
        rc = svc_audit_hash(&e, e.hash) == 0 ? q_audit_insert(c->db, &e) : STORE_ERROR;
    }
    if (rc != STORE_OK || store_commit(c->db) != STORE_OK) {
        store_rollback(c->db);
        return SVC_ERROR;
    }
    marked = true;
    return SVC_OK;
}

enum svc_status svc_audit_list(struct svc_ctx *c, const struct audit_filter *f,
                               const struct page_req *pg, int64_t *total,
                               void (*fn)(void *arg, const struct audit_entry *e), void *arg)
{
    struct visibility v;
    policy_visible(c->who, RES_AUDIT, ACT_LIST, &v);
    if (!v.all && !v.nauthorities && !v.nschools)
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
    }
    store_rollback(db);
    if (rc == STORE_OK && expect && !out->first_bad_id && !out->expected_seen) {
        out->first_bad_id = expect->id;   /* the log ends before the kept anchor */
        out->why = AUDIT_LINK_ANCHOR;
    }
    return rc == STORE_OK ? SVC_OK : SVC_ERROR;
}
