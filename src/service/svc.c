#include "service/svc.h"

#include "service/svc_cases.h"

#include "core/validate.h"
#include "lib/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static _Thread_local char origin[64] = "cli";

void svc_origin_set(const char *remote_addr)
{
    snprintf(origin, sizeof origin, "%s", remote_addr && *remote_addr ? remote_addr : "cli");
}

void svc_ctx_init(struct svc_ctx *c, struct store *db, const struct principal *who, int64_t now)
{
    c->db = db;
    c->who = who;
    c->now = now;
    clock_date_of(now, c->today);
    memcpy(c->remote_addr, origin, sizeof c->remote_addr);
}

const char *svc_status_text(enum svc_status st)
{
    switch (st) {
    case SVC_OK: return "ok";
    case SVC_INVALID: return "invalid";
    case SVC_FORBIDDEN: return "forbidden";
    case SVC_NOT_FOUND: return "not found";
    case SVC_CONFLICT: return "conflict";
    case SVC_ERROR: return "error";
    }
    return "error";
}

int svc_allowed(const struct svc_ctx *c, enum action a, enum resource_kind k,
                int64_t id, int64_t authority_id, int64_t school_id)
{
    struct resource r = {.kind = k, .id = id, .authority_id = authority_id, .school_id = school_id};
    return svc_decide(c, a, &r);
}

int svc_decide(const struct svc_ctx *c, enum action a, struct resource *r)
{
    /* A case record's decision needs its team and the pupil's consent:
     * looked up here, so every caller gets them and the rule stays in
     * the policy. */
    if (r->kind == RES_CASE)
        svc_case_facts(c, r);
    return policy_decide(c->who, a, r).allow;
}

const struct principal *svc_system_principal(void)
{
    static const struct principal sys = {
        .user_id = 0,
        .ngrants = 1,
        .grants = {{.role = ROLE_ADMIN, .scope = SCOPE_SYSTEM}},
    };
    return &sys;
}

enum svc_status svc_from_store(enum store_rc rc)
{
    switch (rc) {
    case STORE_OK: case STORE_ROW: case STORE_DONE: return SVC_OK;
    case STORE_CONSTRAINT: return SVC_CONFLICT;
    case STORE_BUSY: case STORE_ERROR: return SVC_ERROR;
    }
    return SVC_ERROR;
}

enum svc_status svc_records_generation(struct svc_ctx *c, int64_t *gen)
{
    return store_records_generation(c->db, gen) == STORE_OK ? SVC_OK : SVC_ERROR;
}

enum svc_status svc_list_visible(const struct svc_ctx *c, enum resource_kind k, struct visibility *v)
{
    policy_visible(c->who, k, ACT_LIST, v);
    return policy_visible_none(v) ? SVC_FORBIDDEN : SVC_OK;
}

enum svc_status svc_list_visible_places(const struct svc_ctx *c, enum resource_kind k, struct visibility *v)
{
    policy_visible(c->who, k, ACT_LIST, v);
    return v->all || v->nauthorities || v->nschools ? SVC_OK : SVC_FORBIDDEN;
}

enum svc_status svc_list_exportable(const struct svc_ctx *c, enum resource_kind k)
{
    struct visibility list, out;
    policy_visible(c->who, k, ACT_LIST, &list);
    policy_visible(c->who, k, ACT_EXPORT, &out);
    if (policy_visible_none(&list) || policy_visible_none(&out))
        return SVC_FORBIDDEN;
    return policy_visible_covers(&out, &list) ? SVC_OK : SVC_FORBIDDEN;
}

int svc_date_parts(const char *d, const char *m, const char *y, const char *field, const char *what, char out[11],
                   struct field_errors *errs)
{
    char msg[160];
    if ((!d || !*d) && (!m || !*m) && (!y || !*y)) {
        snprintf(msg, sizeof msg, "Enter the date %s", what);
        field_errors_add(errs, field, msg);
        return -1;
    }
    if (parse_date_parts(d, m, y, out) != 0) {
        snprintf(msg, sizeof msg, "The date %s must be a real date", what);
        field_errors_add(errs, field, msg);
        return -1;
    }
    return 0;
}

bool svc_blank(const char *s)
{
    if (!s)
        return true;
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    return *s == '\0';
}

void svc_copy(char *dst, size_t n, const char *src)
{
    size_t l = strlen(src);
    if (l >= n) {
        l = n - 1;
        while (l > 0 && ((unsigned char)src[l] & 0xC0) == 0x80)
            l--;
    }
    memcpy(dst, src, l);
    dst[l] = '\0';
}

void *svc_room(void *rows, size_t n, size_t *cap, size_t size, size_t first, bool *failed)
{
    if (n < *cap)
        return rows;
    size_t grown = *cap ? *cap * 2 : first;
    void *p = realloc(rows, grown * size);
    if (!p) {
        *failed = true;
        return rows;
    }
    *cap = grown;
    return p;
}

enum svc_status svc_from_save(enum store_rc rc, struct field_errors *errs, const char *field, const char *taken)
{
    if (rc != STORE_CONSTRAINT)
        return svc_from_store(rc);
    field_errors_add(errs, field, taken);
    return SVC_INVALID;
}

enum svc_status svc_from_get(enum store_rc rc)
{
    if (rc == STORE_ROW || rc == STORE_OK)
        return SVC_OK;
    return rc == STORE_DONE ? SVC_NOT_FOUND : SVC_ERROR;
}
