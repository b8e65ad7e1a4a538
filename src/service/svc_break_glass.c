#include "service/svc_break_glass.h"

#include <stdio.h>
#include <string.h>

#include "core/validate.h"
#include "service/svc_audit.h"
#include "store/q_pupils.h"

/* The one place where break-glass events reach the audit trail: what
 * (event), who (from the ctx) and which entry and pupil, flagged for the
 * data protection officer; never the reason's text, which may name a
 * child (the reason stays in the break_glass table, where the DPO reads
 * it).  Recorded inside the request's transaction, so a grant that cannot
 * be audited is not granted. */
static enum svc_status audit_break_glass(struct svc_ctx *c, const char *event, const struct break_glass_row *r)
{
    struct audit_event ev = {
        .action = strcmp(event, "break_glass.granted") == 0 ? "break-glass" : "review",
        .kind = "break_glass",
        .resource_id = r->id,
        .pupil_id = r->pupil_id,
        .school_id = r->school_id,
        .authority_id = r->authority_id,
        .detail = event,
        .flags = AUDIT_FLAG_BREAK_GLASS,
    };
    return svc_audit_record(c, &ev);
}

bool svc_break_glass_offered(const struct svc_ctx *c)
{
    return policy_duty_of_care(c->who);
}

enum svc_status svc_break_glass_request(struct svc_ctx *c, int64_t pupil_id, const char *reason,
                                        struct field_errors *errs, struct break_glass_row *out)
{
    if (!policy_duty_of_care(c->who))
        return SVC_FORBIDDEN;
    memset(out, 0, sizeof *out);
    if (!reason || trim_copy(reason, out->reason, sizeof out->reason) < 0 ||
        !text_is_clean(out->reason, 1))
        field_errors_add(errs, "reason", "The reason must be 500 characters or fewer");
    else if (strlen(out->reason) < BREAK_GLASS_REASON_MIN)
        field_errors_add(errs, "reason", "Say why you need emergency access to this pupil's record");
    /* Before any look-up: a refused form must not tell whether the pupil
     * exists.  Only a recorded request finds that out. */
    if (errs->count)
        return SVC_INVALID;
    struct pupil_row p;
    enum store_rc rc = q_pupil_get(c->db, pupil_id, &p);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    struct resource r = {.kind = RES_PUPIL, .id = pupil_id, .authority_id = p.authority_id, .school_id = p.p.school_id};
    if (policy_decide(c->who, ACT_VIEW, &r).allow)
        return SVC_CONFLICT;
    enum role role;
    if (!policy_break_glass(c->who, &r, &role).allow)
        return SVC_NOT_FOUND;   /* outside every authority of theirs: not theirs to know of */
    out->user_id = c->who->user_id;
    out->pupil_id = pupil_id;
    out->authority_id = p.authority_id;
    out->school_id = p.p.school_id;
    snprintf(out->role, sizeof out->role, "%s", role_code(role));
    out->at = c->now;
    out->expires = c->now + BREAK_GLASS_SECONDS;
    if (store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    rc = q_break_glass_insert(c->db, out);
    if (rc != STORE_OK || audit_break_glass(c, "break_glass.granted", out) != SVC_OK ||
        store_commit(c->db) != STORE_OK) {
        store_rollback(c->db);
        return SVC_ERROR;
    }
    return SVC_OK;
}

enum svc_status svc_break_glass_list(struct svc_ctx *c,
                                     void (*fn)(void *arg, const struct break_glass_row *r), void *arg)
{
    struct visibility v;
    if (svc_list_visible(c, RES_BREAK_GLASS, &v) != SVC_OK)
        return SVC_FORBIDDEN;
    return svc_from_store(q_break_glass_list(c->db, &v, 200, fn, arg));
}

enum svc_status svc_break_glass_review(struct svc_ctx *c, int64_t id)
{
    struct break_glass_row r;
    enum store_rc rc = q_break_glass_get(c->db, id, &r);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    if (!svc_allowed(c, ACT_VIEW, RES_BREAK_GLASS, id, r.authority_id, r.school_id))
        return SVC_NOT_FOUND;
    if (!svc_allowed(c, ACT_EDIT, RES_BREAK_GLASS, id, r.authority_id, r.school_id) ||
        r.user_id == c->who->user_id)
        return SVC_FORBIDDEN;
    if (r.reviewed_at)
        return SVC_CONFLICT;
    if (store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    rc = q_break_glass_review(c->db, id, c->who->user_id, c->now);
    if (rc != STORE_OK || audit_break_glass(c, "break_glass.reviewed", &r) != SVC_OK ||
        store_commit(c->db) != STORE_OK) {
        store_rollback(c->db);
        return rc == STORE_DONE ? SVC_CONFLICT : SVC_ERROR;
    }
    return SVC_OK;
}

struct grant_add {
    struct principal *p;
};

static void add_grant(void *arg, const struct break_glass_row *r)
{
    struct grant_add *ga = arg;
    struct role_grant g;
    memset(&g, 0, sizeof g);
    if (role_from_code(r->role, &g.role) != 0 || ga->p->ngrants >= POLICY_MAX_GRANTS)
        return;
    g.scope = SCOPE_PUPIL;
    g.scope_id = r->pupil_id;
    g.authority_id = r->authority_id;
    g.nschools = 1;
    g.school_ids[0] = r->school_id;
    ga->p->grants[ga->p->ngrants++] = g;
}

enum svc_status svc_break_glass_grants(struct store *db, int64_t user_id, int64_t now, struct principal *p)
{
    struct grant_add ga = {p};
    return svc_from_store(q_break_glass_active(db, user_id, now, add_grant, &ga));
}
