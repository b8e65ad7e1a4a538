#include "service/svc_pupils.h"

#include <string.h>

#include "service/svc_audit.h"
#include "store/q_schools.h"

/* The pupil's school must exist and be one where the user may act. */
static enum svc_status school_checks(struct svc_ctx *c, enum action a, const struct pupil *p,
                                     struct field_errors *errs)
{
    struct school s;
    enum store_rc rc = q_school_get(c->db, p->school_id, &s);
    if (rc == STORE_DONE) {
        field_errors_add(errs, "school_id", "Select the pupil's school from the list");
        return SVC_INVALID;
    }
    if (rc != STORE_ROW)
        return SVC_ERROR;
    if (!svc_allowed(c, a, RES_PUPIL, p->id, s.authority_id, s.id))
        return SVC_FORBIDDEN;
    return SVC_OK;
}

/* A pupil saved (rc): their UPN recorded already is the UPN's error. */
static enum svc_status pupil_store_rc(enum store_rc rc, struct field_errors *errs)
{
    return svc_from_save(rc, errs, "upn", "A pupil with this UPN is already recorded");
}

enum svc_status svc_pupil_create(struct svc_ctx *c, const struct pupil_form *f,
                                 struct field_errors *errs, struct pupil *out)
{
    if (!svc_allowed(c, ACT_CREATE, RES_PUPIL, 0, 0, 0))
        return SVC_FORBIDDEN;
    if (validate_pupil(f, c->today, out, errs))
        return SVC_INVALID;
    out->id = 0;
    enum svc_status st = school_checks(c, ACT_CREATE, out, errs);
    if (st != SVC_OK)
        return st;
    enum store_rc rc = q_pupil_insert(c->db, out, c->now);
    if (rc == STORE_CONSTRAINT) {
        /* The UPN is someone's.  Said only to those who may see that pupil:
         * to anyone else the create is refused like any other, so a UPN
         * held at another school is not found out by trying it.  The
         * attempt is on the audit trail against that pupil, for the DPO
         * and the coordinator who reaches it to follow up (a pupil who
         * moved school is merged there). */
        int64_t held = 0;
        struct pupil_row other;
        if (q_pupil_id_by_upn(c->db, out->upn, &held) == STORE_ROW && q_pupil_get(c->db, held, &other) == STORE_ROW &&
            !svc_allowed(c, ACT_VIEW, RES_PUPIL, held, other.authority_id, other.p.school_id)) {
            struct audit_event ev = {.action = "create", .kind = "pupil", .resource_id = held, .pupil_id = held,
                                     .school_id = other.p.school_id, .authority_id = other.authority_id,
                                     .detail = "UPN held by a pupil out of reach", .flags = AUDIT_FLAG_REFUSED};
            return svc_audit_record(c, &ev) == SVC_OK ? SVC_FORBIDDEN : SVC_ERROR;
        }
    }
    return pupil_store_rc(rc, errs);
}

enum svc_status svc_pupil_get(struct svc_ctx *c, int64_t id, struct pupil_row *out)
{
    enum store_rc rc = q_pupil_get(c->db, id, out);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    /* A record the user may not see is reported as not found, so ids of
     * other schools' pupils reveal nothing. */
    if (!svc_allowed(c, ACT_VIEW, RES_PUPIL, id, out->authority_id, out->p.school_id))
        return SVC_NOT_FOUND;
    return SVC_OK;
}

enum svc_status svc_pupil_update(struct svc_ctx *c, int64_t id, const struct pupil_form *f,
                                 struct field_errors *errs, struct pupil *out)
{
    struct pupil_row cur;
    enum svc_status st = svc_pupil_get(c, id, &cur);
    if (st != SVC_OK)
        return st;
    if (!svc_allowed(c, ACT_EDIT, RES_PUPIL, id, cur.authority_id, cur.p.school_id))
        return SVC_FORBIDDEN;
    if (validate_pupil(f, c->today, out, errs))
        return SVC_INVALID;
    out->id = id;
    /* A UPN replaced (a temporary one by the permanent one, or a mistake
     * corrected) is kept as the former UPN, so what still carries it (a
     * later file, a search, a subject access request) finds the pupil. */
    svc_copy(out->former_upn, sizeof out->former_upn, strcmp(out->upn, cur.p.upn) != 0 ? cur.p.upn : cur.p.former_upn);
    st = school_checks(c, ACT_EDIT, out, errs);
    if (st != SVC_OK)
        return st;
    return pupil_store_rc(q_pupil_update(c->db, out, c->now), errs);
}

enum svc_status svc_pupil_list(struct svc_ctx *c, const struct pupil_filter *f,
                               const struct page_req *pg, int64_t *total,
                               void (*fn)(void *arg, const struct pupil_row *r), void *arg)
{
    struct visibility v;
    if (svc_list_visible_places(c, RES_PUPIL, &v) != SVC_OK)
        return SVC_FORBIDDEN;
    return svc_from_store(q_pupil_list(c->db, &v, f, pg, total, fn, arg));
}
