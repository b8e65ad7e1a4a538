#include "store/q_reference.h"

#include <string.h>

/* ---- services ---------------------------------------------------------- */

#define SERVICE_COLS "id, authority_id, code, name, org_kind, active"

static void row_to_service(struct store_stmt *st, struct service_row *r)
{
    r->id = store_col_int(st, 0);
    r->authority_id = store_col_int(st, 1);
    store_col_copy(st, 2, r->code, sizeof r->code);
    store_col_copy(st, 3, r->name, sizeof r->name);
    store_col_copy(st, 4, r->org_kind, sizeof r->org_kind);
    r->active = store_col_int(st, 5) != 0;
}

enum store_rc q_service_list(struct store *s, int64_t authority_id, bool active_only,
                             void (*fn)(void *arg, const struct service_row *r), void *arg)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT " SERVICE_COLS " FROM services WHERE authority_id = ? AND (? = 0 OR active = 1) "
        "ORDER BY active DESC, lower(name), id");
    if (!st)
        return STORE_ERROR;
    store_bind_int(st, 1, authority_id);
    store_bind_int(st, 2, active_only ? 1 : 0);
    enum store_rc rc;
    while ((rc = store_step(st)) == STORE_ROW) {
        struct service_row r;
        row_to_service(st, &r);
        fn(arg, &r);
    }
    store_done(st);
    return rc == STORE_DONE ? STORE_OK : rc;
}

enum store_rc q_service_get(struct store *s, int64_t id, struct service_row *out)
{
    struct store_stmt *st = store_prepare(s, "SELECT " SERVICE_COLS " FROM services WHERE id = ?");
    if (!st)
        return STORE_ERROR;
    store_bind_int(st, 1, id);
    enum store_rc rc = store_step(st);
    if (rc == STORE_ROW)
        row_to_service(st, out);
    store_done(st);
    return rc;
}

enum store_rc q_service_by_code(struct store *s, int64_t authority_id, const char *code,
                                struct service_row *out)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT " SERVICE_COLS " FROM services WHERE authority_id = ? AND code = ?");
    if (!st)
        return STORE_ERROR;
    store_bind_int(st, 1, authority_id);
    store_bind_text(st, 2, code);
    enum store_rc rc = store_step(st);
    if (rc == STORE_ROW && out)
        row_to_service(st, out);
    store_done(st);
    return rc;
}

enum store_rc q_service_insert(struct store *s, struct service_row *r, int64_t now)
{
    struct store_stmt *st = store_prepare(s,
        "INSERT INTO services (authority_id, code, name, org_kind, active, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?) RETURNING id");
    if (!st)
        return STORE_ERROR;
    store_bind_int(st, 1, r->authority_id);
    store_bind_text(st, 2, r->code);
    store_bind_text(st, 3, r->name);
    store_bind_text(st, 4, r->org_kind);
    store_bind_int(st, 5, r->active ? 1 : 0);
    store_bind_int(st, 6, now);
    store_bind_int(st, 7, now);
    enum store_rc rc = store_step(st);
    if (rc == STORE_ROW) {
        r->id = store_col_int(st, 0);
        rc = STORE_OK;
    }
    store_done(st);
    return rc;
}

enum store_rc q_service_update(struct store *s, const struct service_row *r, int64_t now)
{
    struct store_stmt *st = store_prepare(s,
        "UPDATE services SET name = ?, org_kind = ?, active = ?, updated_at = ? WHERE id = ?");
    if (!st)
        return STORE_ERROR;
    store_bind_text(st, 1, r->name);
    store_bind_text(st, 2, r->org_kind);
    store_bind_int(st, 3, r->active ? 1 : 0);
    store_bind_int(st, 4, now);
    store_bind_int(st, 5, r->id);
    return store_exec_done(st);
}

/* ---- practitioners ----------------------------------------------------- */

#define PRACTITIONER_COLS "p.id, p.authority_id, p.service_id, p.school_id, p.user_id, p.name, " \
                          "p.job_title, p.email, p.active, s.name"

static void row_to_practitioner(struct store_stmt *st, struct practitioner_row *r)
{
    r->id = store_col_int(st, 0);
    r->authority_id = store_col_int(st, 1);
    r->service_id = store_col_int(st, 2);
    r->school_id = store_col_is_null(st, 3) ? 0 : store_col_int(st, 3);
    r->user_id = store_col_is_null(st, 4) ? 0 : store_col_int(st, 4);
    store_col_copy(st, 5, r->name, sizeof r->name);
    store_col_copy(st, 6, r->job_title, sizeof r->job_title);
    store_col_copy(st, 7, r->email, sizeof r->email);
    r->active = store_col_int(st, 8) != 0;
    store_col_copy(st, 9, r->service_name, sizeof r->service_name);
}

enum store_rc q_practitioner_list(struct store *s, int64_t authority_id, int64_t service_id, bool active_only,
                                  void (*fn)(void *arg, const struct practitioner_row *r), void *arg)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT " PRACTITIONER_COLS " FROM practitioners p JOIN services s ON s.id = p.service_id "
        "WHERE p.authority_id = ? AND (? = 0 OR p.service_id = ?) AND (? = 0 OR p.active = 1) "
        "ORDER BY p.active DESC, lower(p.name), p.id");
    if (!st)
        return STORE_ERROR;
    store_bind_int(st, 1, authority_id);
    store_bind_int(st, 2, service_id);
    store_bind_int(st, 3, service_id);
    store_bind_int(st, 4, active_only ? 1 : 0);
    enum store_rc rc;
    while ((rc = store_step(st)) == STORE_ROW) {
        struct practitioner_row r;
        row_to_practitioner(st, &r);
        fn(arg, &r);
    }
    store_done(st);
    return rc == STORE_DONE ? STORE_OK : rc;
}

enum store_rc q_practitioner_get(struct store *s, int64_t id, struct practitioner_row *out)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT " PRACTITIONER_COLS " FROM practitioners p JOIN services s ON s.id = p.service_id "
        "WHERE p.id = ?");
    if (!st)
        return STORE_ERROR;
    store_bind_int(st, 1, id);
    enum store_rc rc = store_step(st);
    if (rc == STORE_ROW)
        row_to_practitioner(st, out);
    store_done(st);
    return rc;
}

static void bind_opt_id(struct store_stmt *st, int idx, int64_t id)
{
    if (id > 0)
        store_bind_int(st, idx, id);
    else
        store_bind_null(st, idx);
}

enum store_rc q_practitioner_insert(struct store *s, struct practitioner_row *r, int64_t now)
{
    struct store_stmt *st = store_prepare(s,
        "INSERT INTO practitioners (authority_id, service_id, school_id, user_id, name, job_title, "
        "email, active, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING id");
    if (!st)
        return STORE_ERROR;
    store_bind_int(st, 1, r->authority_id);
    store_bind_int(st, 2, r->service_id);
    bind_opt_id(st, 3, r->school_id);
    bind_opt_id(st, 4, r->user_id);
    store_bind_text(st, 5, r->name);
    store_bind_text(st, 6, r->job_title);
    store_bind_text(st, 7, r->email);
    store_bind_int(st, 8, r->active ? 1 : 0);
    store_bind_int(st, 9, now);
    store_bind_int(st, 10, now);
    enum store_rc rc = store_step(st);
    if (rc == STORE_ROW) {
        r->id = store_col_int(st, 0);
        rc = STORE_OK;
    }
    store_done(st);
    return rc;
}

enum store_rc q_practitioner_update(struct store *s, const struct practitioner_row *r, int64_t now)
{
    struct store_stmt *st = store_prepare(s,
        "UPDATE practitioners SET service_id = ?, school_id = ?, user_id = ?, name = ?, job_title = ?, "
        "email = ?, active = ?, updated_at = ? WHERE id = ?");
    if (!st)
        return STORE_ERROR;
    store_bind_int(st, 1, r->service_id);
    bind_opt_id(st, 2, r->school_id);
    bind_opt_id(st, 3, r->user_id);
    store_bind_text(st, 4, r->name);
    store_bind_text(st, 5, r->job_title);
    store_bind_text(st, 6, r->email);
    store_bind_int(st, 7, r->active ? 1 : 0);
    store_bind_int(st, 8, now);
    store_bind_int(st, 9, r->id);
    return store_exec_done(st);
}

/* ---- the signposting playbook ------------------------------------------ */

#define RESOURCE_COLS "id, authority_id, title, kind, audience, url, description, active"

static void row_to_resource(struct store_stmt *st, struct resource_row *r)
{
    r->id = store_col_int(st, 0);
    r->authority_id = store_col_int(st, 1);
    store_col_copy(st, 2, r->title, sizeof r->title);
    store_col_copy(st, 3, r->kind, sizeof r->kind);
    store_col_copy(st, 4, r->audience, sizeof r->audience);
    store_col_copy(st, 5, r->url, sizeof r->url);
    store_col_copy(st, 6, r->description, sizeof r->description);
    r->active = store_col_int(st, 7) != 0;
}

enum store_rc q_resource_list(struct store *s, int64_t authority_id, bool active_only,
                              void (*fn)(void *arg, const struct resource_row *r), void *arg)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT " RESOURCE_COLS " FROM resources WHERE authority_id = ? AND (? = 0 OR active = 1) "
        "ORDER BY active DESC, lower(title), id");
    if (!st)
        return STORE_ERROR;
    store_bind_int(st, 1, authority_id);
    store_bind_int(st, 2, active_only ? 1 : 0);
    enum store_rc rc;
    while ((rc = store_step(st)) == STORE_ROW) {
        struct resource_row r;
        row_to_resource(st, &r);
        fn(arg, &r);
    }
    store_done(st);
    return rc == STORE_DONE ? STORE_OK : rc;
}

enum store_rc q_resource_get(struct store *s, int64_t id, struct resource_row *out)
{
    struct store_stmt *st = store_prepare(s, "SELECT " RESOURCE_COLS " FROM resources WHERE id = ?");
    if (!st)
        return STORE_ERROR;
    store_bind_int(st, 1, id);
    enum store_rc rc = store_step(st);
    if (rc == STORE_ROW)
        row_to_resource(st, out);
    store_done(st);
    return rc;
}

enum store_rc q_resource_insert(struct store *s, struct resource_row *r, int64_t now)
{
    struct store_stmt *st = store_prepare(s,
        "INSERT INTO resources (authority_id, title, kind, audience, url, description, active, "
        "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id");
    if (!st)
        return STORE_ERROR;
    store_bind_int(st, 1, r->authority_id);
    store_bind_text(st, 2, r->title);
    store_bind_text(st, 3, r->kind);
    store_bind_text(st, 4, r->audience);
    store_bind_text(st, 5, r->url);
    store_bind_text(st, 6, r->description);
    store_bind_int(st, 7, r->active ? 1 : 0);
    store_bind_int(st, 8, now);
    store_bind_int(st, 9, now);
    enum store_rc rc = store_step(st);
    if (rc == STORE_ROW) {
        r->id = store_col_int(st, 0);
        rc = STORE_OK;
    }
    store_done(st);
    return rc;
}

enum store_rc q_resource_update(struct store *s, const struct resource_row *r, int64_t now)
{
    struct store_stmt *st = store_prepare(s,
        "UPDATE resources SET title = ?, kind = ?, audience = ?, url = ?, description = ?, active = ?, "
        "updated_at = ? WHERE id = ?");
    if (!st)
        return STORE_ERROR;
    store_bind_text(st, 1, r->title);
    store_bind_text(st, 2, r->kind);
    store_bind_text(st, 3, r->audience);
    store_bind_text(st, 4, r->url);
    store_bind_text(st, 5, r->description);
    store_bind_int(st, 6, r->active ? 1 : 0);
    store_bind_int(st, 7, now);
    store_bind_int(st, 8, r->id);
    return store_exec_done(st);
}

/* ---- term dates and closure days --------------------------------------- */

enum store_rc q_terms_get(struct store *s, int64_t authority_id, int academic_year,
                          struct term_row out[6], size_t *n)
{
    *n = 0;
    struct store_stmt *st = store_prepare(s,
        "SELECT half_term, starts_on, ends_on FROM term_dates "
        "WHERE authority_id = ? AND academic_year = ? ORDER BY half_term");
    if (!st)
        return STORE_ERROR;
    store_bind_int(st, 1, authority_id);
    store_bind_int(st, 2, academic_year);
    enum store_rc rc;
    while ((rc = store_step(st)) == STORE_ROW) {
        if (*n >= 6)
            continue;   /* the CHECK keeps half_term in 1..6 and UNIQUE makes 6 the most */
        struct term_row *t = &out[(*n)++];
        t->half_term = (int)store_col_int(st, 0);
        store_col_copy(st, 1, t->starts_on, sizeof t->starts_on);
        store_col_copy(st, 2, t->ends_on, sizeof t->ends_on);
    }
    store_done(st);
    return rc == STORE_DONE ? STORE_OK : rc;
}

enum store_rc q_terms_replace(struct store *s, int64_t authority_id, int academic_year,
                              const struct term_row *t, size_t n)
{
    struct store_stmt *st = store_prepare(s,
        "DELETE FROM term_dates WHERE authority_id = ? AND academic_year = ?");
    if (!st)
        return STORE_ERROR;
    store_bind_int(st, 1, authority_id);
    store_bind_int(st, 2, academic_year);
    enum store_rc rc = store_exec_done(st);
    for (size_t i = 0; rc == STORE_OK && i < n; i++) {
        st = store_prepare(s,
            "INSERT INTO term_dates (authority_id, academic_year, half_term, starts_on, ends_on) "
            "VALUES (?,?,?,?,?)");
        if (!st)
            return STORE_ERROR;
        store_bind_int(st, 1, authority_id);
        store_bind_int(st, 2, academic_year);
        store_bind_int(st, 3, t[i].half_term);
        store_bind_text(st, 4, t[i].starts_on);
        store_bind_text(st, 5, t[i].ends_on);
        rc = store_exec_done(st);
    }
    return rc;
}

static void row_to_closure(struct store_stmt *st, struct closure_row *r)
{
    r->id = store_col_int(st, 0);
    r->authority_id = store_col_int(st, 1);
    store_col_copy(st, 2, r->closed_on, sizeof r->closed_on);
    store_col_copy(st, 3, r->reason, sizeof r->reason);
}

enum store_rc q_closure_list(struct store *s, int64_t authority_id, const char *from, const char *to,
                             void (*fn)(void *arg, const struct closure_row *r), void *arg)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT id, authority_id, closed_on, reason FROM closure_days "
        "WHERE authority_id = ? AND closed_on >= ? AND closed_on <= ? ORDER BY closed_on");
    if (!st)
        return STORE_ERROR;
    store_bind_int(st, 1, authority_id);
    store_bind_text(st, 2, from);
    store_bind_text(st, 3, to);
    enum store_rc rc;
    while ((rc = store_step(st)) == STORE_ROW) {
        struct closure_row r;
        row_to_closure(st, &r);
        fn(arg, &r);
    }
    store_done(st);
    return rc == STORE_DONE ? STORE_OK : rc;
}

enum store_rc q_closure_get(struct store *s, int64_t id, struct closure_row *out)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT id, authority_id, closed_on, reason FROM closure_days WHERE id = ?");
    if (!st)
        return STORE_ERROR;
    store_bind_int(st, 1, id);
    enum store_rc rc = store_step(st);
    if (rc == STORE_ROW)
        row_to_closure(st, out);
    store_done(st);
    return rc;
}

enum store_rc q_closure_insert(struct store *s, struct closure_row *r)
{
    struct store_stmt *st = store_prepare(s,
        "INSERT INTO closure_days (authority_id, closed_on, reason) VALUES (?,?,?) RETURNING id");
    if (!st)
        return STORE_ERROR;
    store_bind_int(st, 1, r->authority_id);
    store_bind_text(st, 2, r->closed_on);
    store_bind_text(st, 3, r->reason);
    enum store_rc rc = store_step(st);
    if (rc == STORE_ROW) {
        r->id = store_col_int(st, 0);
        rc = STORE_OK;
    }
    store_done(st);
    return rc;
}

enum store_rc q_closure_delete(struct store *s, int64_t id)
{
    struct store_stmt *st = store_prepare(s, "DELETE FROM closure_days WHERE id = ?");
    if (!st)
        return STORE_ERROR;
    store_bind_int(st, 1, id);
    return store_exec_done(st);
}

/* ---- accounts in an authority ------------------------------------------ */

enum store_rc q_authority_users(struct store *s, int64_t authority_id,
                                void (*fn)(void *arg, const struct ref_user_row *r), void *arg)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT u.id, u.username, u.display_name FROM users u WHERE u.disabled = 0 AND u.id IN "
        "(SELECT user_id FROM user_roles WHERE authority_id = ? OR (scope_kind = 'authority' AND scope_id = ?)) "
        "ORDER BY lower(u.username), u.id");
    if (!st)
        return STORE_ERROR;
    store_bind_int(st, 1, authority_id);
    store_bind_int(st, 2, authority_id);
    enum store_rc rc;
    while ((rc = store_step(st)) == STORE_ROW) {
        struct ref_user_row r;
        r.id = store_col_int(st, 0);
        store_col_copy(st, 1, r.username, sizeof r.username);
        store_col_copy(st, 2, r.display_name, sizeof r.display_name);
        fn(arg, &r);
    }
    store_done(st);
    return rc == STORE_DONE ? STORE_OK : rc;
}

enum store_rc q_user_in_authority(struct store *s, int64_t user_id, int64_t authority_id)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT 1 FROM user_roles WHERE user_id = ? AND (authority_id = ? OR "
        "(scope_kind = 'authority' AND scope_id = ?)) LIMIT 1");
    if (!st)
        return STORE_ERROR;
    store_bind_int(st, 1, user_id);
    store_bind_int(st, 2, authority_id);
    store_bind_int(st, 3, authority_id);
    enum store_rc rc = store_step(st);
    store_done(st);
    return rc;
}
