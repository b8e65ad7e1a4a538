#include "service/svc_audit.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

void svc_audit_hash(const struct audit_entry *e, char out[AUDIT_HASH_HEX + 1])
{
    char canon[1024];
    size_t n = audit_canonical(e, canon, sizeof canon);
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)canon, n);
    audit_hex(h, sizeof h, out);
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
        svc_audit_hash(&e, e.hash);
        rc = q_audit_insert(c->db, &e);
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
};

static int walk_one(void *arg, const struct audit_entry *e)
{
    struct walk *w = arg;
    char h[AUDIT_HASH_HEX + 1];
    svc_audit_hash(e, h);
    enum audit_link l = audit_check_link(e, w->prev, h);
    if (l != AUDIT_LINK_OK) {
        w->out->first_bad_id = e->id;
        w->out->why = l;
        return 1;
    }
    w->out->checked++;
    memcpy(w->prev, e->hash, sizeof w->prev);
    return 0;
}

enum svc_status svc_audit_verify(struct store *db, struct audit_verify *out)
{
    memset(out, 0, sizeof *out);
    struct walk w = {.out = out};
    /* One read transaction, so entries appended meanwhile cannot make a
     * half-read chain look broken. */
    if (store_begin(db) != STORE_OK)
        return SVC_ERROR;
    enum store_rc rc = q_audit_anchor(db, &out->anchor_id, w.prev);
    if (rc == STORE_OK)
        rc = q_audit_walk(db, out->anchor_id, walk_one, &w);
    store_rollback(db);
    return rc == STORE_OK ? SVC_OK : SVC_ERROR;
}
