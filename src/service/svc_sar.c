#include "service/svc_sar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit_words.h"
#include "service/svc_audit.h"
#include "store/q_users.h"

/* The people named in a pupil's audit entries, each looked up once. */
#define SAR_PEOPLE 64

struct person {
    int64_t user_id;
    char name[128];
    char roles[160];
};

struct sar_walk {
    struct svc_ctx *c;
    const struct sar_sink *sink;
    struct person people[SAR_PEOPLE];
    size_t npeople;
    enum store_rc rc;
};

static void look_up(struct sar_walk *w, int64_t user_id, struct person *p)
{
    p->user_id = user_id;
    snprintf(p->name, sizeof p->name, "%s", "a user no longer recorded");
    p->roles[0] = '\0';
    struct user_row u;
    if (q_user_get(w->c->db, user_id, &u) == STORE_ROW)
        snprintf(p->name, sizeof p->name, "%s", u.display_name[0] ? u.display_name : u.username);
    struct principal pr;
    memset(&pr, 0, sizeof pr);
    if (q_roles_load(w->c->db, user_id, &pr) != STORE_OK)
        return;
    size_t len = 0;
    for (size_t i = 0; i < pr.ngrants && i < POLICY_MAX_GRANTS; i++) {
        const char *label = role_label(pr.grants[i].role);
        if (strstr(p->roles, label))
            continue;
        int k = snprintf(p->roles + len, sizeof p->roles - len, "%s%s", len ? ", " : "", label);
        if (k < 0 || (size_t)k >= sizeof p->roles - len)
            break;
        len += (size_t)k;
    }
}

static void each_entry(void *arg, const struct audit_entry *e)
{
    struct sar_walk *w = arg;
    struct sar_access a = {.e = e, .who = "tas (automatic)", .roles = "",
                           .refused = (e->flags & AUDIT_FLAG_REFUSED) != 0,
                           .break_glass = (e->flags & AUDIT_FLAG_BREAK_GLASS) != 0};
    audit_describe(e->action, e->resource_kind, a.refused, a.what, sizeof a.what);
    if (e->user_id > 0 && !(e->flags & AUDIT_FLAG_SYSTEM)) {
        struct person *p = NULL, one;
        for (size_t i = 0; i < w->npeople && !p; i++)
            if (w->people[i].user_id == e->user_id)
                p = &w->people[i];
        if (!p) {
            p = w->npeople < SAR_PEOPLE ? &w->people[w->npeople++] : &one;
            look_up(w, e->user_id, p);
        }
        a.who = p->name;
        a.roles = p->roles;
    }
    w->sink->audit(w->sink->arg, &a);
}

enum svc_status svc_subject_access(struct svc_ctx *c, int64_t pupil_id, struct pupil_row *p,
                                   const struct sar_sink *sink)
{
    enum store_rc rc = q_pupil_get(c->db, pupil_id, p);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    if (!svc_allowed(c, ACT_EXPORT, RES_PUPIL, pupil_id, p->authority_id, p->p.school_id))
        return svc_allowed(c, ACT_VIEW, RES_PUPIL, pupil_id, p->authority_id, p->p.school_id)
                   ? SVC_FORBIDDEN : SVC_NOT_FOUND;
    /* One transaction: the export's entry and the rows it read agree. */
    if (store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    struct audit_event ev = {.action = "export", .kind = "pupil", .resource_id = pupil_id,
                             .pupil_id = pupil_id, .school_id = p->p.school_id,
                             .authority_id = p->authority_id, .detail = "subject access"};
    enum svc_status st = svc_audit_record(c, &ev);
    if (st == SVC_OK)
        st = svc_from_store(q_sar_rows(c->db, pupil_id, sink->row, sink->arg));
    if (st == SVC_OK) {
        struct sar_walk *w = calloc(1, sizeof *w);
        if (!w)
            st = SVC_ERROR;
        else {
            w->c = c;
            w->sink = sink;
            st = svc_from_store(q_audit_for_pupil(c->db, pupil_id, each_entry, w));
            free(w);
        }
    }
    if (st != SVC_OK || store_commit(c->db) != STORE_OK) {
        store_rollback(c->db);
        return st == SVC_OK ? SVC_ERROR : st;
    }
    return SVC_OK;
}
