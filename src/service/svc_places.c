#include "service/svc_places.h"

#include <string.h>

#include "service/svc_reference.h"

#define LA_CODE_TAKEN "An authority with this LA code is already recorded"

enum svc_status svc_authority_create(struct svc_ctx *c, const struct authority_form *f,
                                     struct field_errors *errs, struct authority *out)
{
    if (!svc_allowed(c, ACT_CREATE, RES_AUTHORITY, 0, 0, 0))
        return SVC_FORBIDDEN;
    if (validate_authority(f, out, errs))
        return SVC_INVALID;
    enum store_rc rc = q_authority_insert(c->db, out, c->now);
    if (rc == STORE_OK) /* default services, playbook and term dates */
        return svc_reference_seed_defaults(c, out->id);
    return svc_from_save(rc, errs, "la_code", LA_CODE_TAKEN);
}

enum svc_status svc_authority_get(struct svc_ctx *c, int64_t id, struct authority *out)
{
    enum store_rc rc = q_authority_get(c->db, id, out);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    /* Not found and not allowed look the same from outside. */
    if (!svc_allowed(c, ACT_VIEW, RES_AUTHORITY, id, id, 0))
        return SVC_NOT_FOUND;
    return SVC_OK;
}

enum svc_status svc_authority_update(struct svc_ctx *c, int64_t id, const struct authority_form *f,
                                     struct field_errors *errs, struct authority *out)
{
    struct authority cur;
    enum svc_status st = svc_authority_get(c, id, &cur);
    if (st != SVC_OK)
        return st;
    if (!svc_allowed(c, ACT_EDIT, RES_AUTHORITY, id, id, 0))
        return SVC_FORBIDDEN;
    if (validate_authority(f, out, errs))
        return SVC_INVALID;
    out->id = id;
    return svc_from_save(q_authority_update(c->db, out, c->now), errs, "la_code", LA_CODE_TAKEN);
}

enum svc_status svc_authority_list(struct svc_ctx *c,
                                   void (*fn)(void *arg, const struct authority *a), void *arg)
{
    struct visibility v;
    if (svc_list_visible_places(c, RES_AUTHORITY, &v) != SVC_OK)
        return SVC_FORBIDDEN;
    return svc_from_store(q_authority_list(c->db, &v, fn, arg));
}

/* A school's authority must exist and be one the user may act in. */
static enum svc_status school_checks(struct svc_ctx *c, enum action a, const struct school *s,
                                     struct field_errors *errs)
{
    struct authority la;
    enum store_rc rc = q_authority_get(c->db, s->authority_id, &la);
    if (rc == STORE_DONE) {
        field_errors_add(errs, "authority_id", "Select a local authority from the list");
        return SVC_INVALID;
    }
    if (rc != STORE_ROW)
        return SVC_ERROR;
    if (!svc_allowed(c, a, RES_SCHOOL, s->id, s->authority_id, s->id))
        return SVC_FORBIDDEN;
    return SVC_OK;
}

/* A school saved (rc): its URN recorded already is the URN's error. */
static enum svc_status school_store_rc(enum store_rc rc, struct field_errors *errs)
{
    return svc_from_save(rc, errs, "urn", "A school with this URN is already recorded");
}

enum svc_status svc_school_create(struct svc_ctx *c, const struct school_form *f,
                                  struct field_errors *errs, struct school *out)
{
    if (!svc_allowed(c, ACT_CREATE, RES_SCHOOL, 0, 0, 0))
        return SVC_FORBIDDEN;
    if (validate_school(f, out, errs))
        return SVC_INVALID;
    out->id = 0;
    enum svc_status st = school_checks(c, ACT_CREATE, out, errs);
    if (st != SVC_OK)
        return st;
    return school_store_rc(q_school_insert(c->db, out, c->now), errs);
}

enum svc_status svc_school_get(struct svc_ctx *c, int64_t id, struct school *out)
{
    enum store_rc rc = q_school_get(c->db, id, out);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    if (!svc_allowed(c, ACT_VIEW, RES_SCHOOL, id, out->authority_id, id))
        return SVC_NOT_FOUND;
    return SVC_OK;
}

enum svc_status svc_school_update(struct svc_ctx *c, int64_t id, const struct school_form *f,
                                  struct field_errors *errs, struct school *out)
{
    struct school cur;
    enum svc_status st = svc_school_get(c, id, &cur);
    if (st != SVC_OK)
        return st;
    if (!svc_allowed(c, ACT_EDIT, RES_SCHOOL, id, cur.authority_id, id))
        return SVC_FORBIDDEN;
    if (validate_school(f, out, errs))
        return SVC_INVALID;
    out->id = id;
    memcpy(out->status, cur.status, sizeof out->status);   /* GIAS's to change, not the form's */
    st = school_checks(c, ACT_EDIT, out, errs);
    if (st != SVC_OK)
        return st;
    return school_store_rc(q_school_update(c->db, out, c->now), errs);
}

enum svc_status svc_school_list(struct svc_ctx *c, const char *search, const struct page_req *pg,
                                int64_t *total, void (*fn)(void *arg, const struct school *s),
                                void *arg)
{
    struct visibility v;
    if (svc_list_visible_places(c, RES_SCHOOL, &v) != SVC_OK)
        return SVC_FORBIDDEN;
    return svc_from_store(q_school_list(c->db, &v, search, pg, total, fn, arg));
}
