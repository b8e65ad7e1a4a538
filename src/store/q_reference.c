#include "store/q_reference.h"
#include "store/q_map.h"

#include <string.h>

/* ---- services, practitioners and playbook entries ---------------------
 *
 * The three are one shape: an authority's record read by id or listed,
 * inserted (RETURNING id) and updated.  Each kind is a row of ref_sql:
 * its SQL, how a row is read, how its fields are bound and how a list
 * callback of its type is called; the functions below serve every kind. */

/* The list callbacks, each of its own type, kept as one generic pointer
 * and called back through its own type by ref_sql[k].call. */
typedef void (*any_fn)(void);

struct ref_sql {
    const char *get;      /* SELECT ... WHERE id = ? */
    const char *list;     /* SELECT ... for an authority; binds after authority_id: see q_*_list */
    const char *insert;   /* INSERT ... RETURNING id: fields, then created_at, updated_at */
    const char *update;   /* UPDATE ... : fields, then updated_at, then id */
    void (*read)(struct store_stmt *st, void *row);
    /* Binds the fields from index 1; returns the next index. */
    int (*bind)(struct store_stmt *st, const void *row, bool insert);
    void (*call)(any_fn fn, void *arg, const void *row);
};

union ref_any {
    struct service_row service;
    struct practitioner_row practitioner;
    struct resource_row resource;
};

static void bind_opt_id(struct store_stmt *st, int idx, int64_t id)
{
    if (id > 0)
        store_bind_int(st, idx, id);
    else
        store_bind_null(st, idx);
}

Q_READER(read_service, struct service_row, id, authority_id, code, name, org_kind, active)

/* Insert: authority_id, code, name, org_kind, active; update: name,
 * org_kind, active (the code and the authority never change). */
static int bind_service(struct store_stmt *st, const void *row, bool insert)
{
    const struct service_row *r = row;
    int i = 1;
    if (insert) {
        store_bind_int(st, i++, r->authority_id);
        store_bind_text(st, i++, r->code);
    }
    store_bind_text(st, i++, r->name);
    store_bind_text(st, i++, r->org_kind);
    store_bind_int(st, i++, r->active ? 1 : 0);
    return i;
}

static void call_service(any_fn fn, void *arg, const void *row)
{
    ((void (*)(void *, const struct service_row *))fn)(arg, row);
}

Q_READER(read_practitioner, struct practitioner_row, id, authority_id, service_id, school_id, user_id, name,
         job_title, email, active, service_name)

/* Insert: authority_id first; then service_id, school_id, user_id (0 as
 * NULL), name, job_title, email, active. */
static int bind_practitioner(struct store_stmt *st, const void *row, bool insert)
{
    const struct practitioner_row *r = row;
    int i = 1;
    if (insert)
        store_bind_int(st, i++, r->authority_id);
    store_bind_int(st, i++, r->service_id);
    bind_opt_id(st, i++, r->school_id);
    bind_opt_id(st, i++, r->user_id);
    store_bind_text(st, i++, r->name);
    store_bind_text(st, i++, r->job_title);
    store_bind_text(st, i++, r->email);
    store_bind_int(st, i++, r->active ? 1 : 0);
    return i;
}

static void call_practitioner(any_fn fn, void *arg, const void *row)
{
    ((void (*)(void *, const struct practitioner_row *))fn)(arg, row);
}

Q_READER(read_resource, struct resource_row, id, authority_id, title, kind, audience, url, description, active)

/* Insert: authority_id first; then title, kind, audience, url,
 * description, active. */
static int bind_resource(struct store_stmt *st, const void *row, bool insert)
{
    const struct resource_row *r = row;
    int i = 1;
    if (insert)
        store_bind_int(st, i++, r->authority_id);
    store_bind_text(st, i++, r->title);
    store_bind_text(st, i++, r->kind);
    store_bind_text(st, i++, r->audience);
    store_bind_text(st, i++, r->url);
    store_bind_text(st, i++, r->description);
    store_bind_int(st, i++, r->active ? 1 : 0);
    return i;
}

static void call_resource(any_fn fn, void *arg, const void *row)
{
    ((void (*)(void *, const struct resource_row *))fn)(arg, row);
}

#define SERVICE_SELECT "SELECT id, authority_id, code, name, org_kind, active FROM services "
#define PRACTITIONER_SELECT                                                                         \
    "SELECT p.id, p.authority_id, p.service_id, p.school_id, p.user_id, p.name, p.job_title, "     \
    "p.email, p.active, s.name FROM practitioners p JOIN services s ON s.id = p.service_id "
#define RESOURCE_SELECT "SELECT id, authority_id, title, kind, audience, url, description, active FROM resources "

static const struct ref_sql ref_sql[] = {
    [Q_REF_SERVICE] = {
        SERVICE_SELECT "WHERE id = ?",
        SERVICE_SELECT "WHERE authority_id = ? AND (? = 0 OR active = 1) ORDER BY active DESC, lower(name), id",
        "INSERT INTO services (authority_id, code, name, org_kind, active, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?) RETURNING id",
        "UPDATE services SET name = ?, org_kind = ?, active = ?, updated_at = ? WHERE id = ?",
        read_service, bind_service, call_service,
    },
    [Q_REF_PRACTITIONER] = {
        PRACTITIONER_SELECT "WHERE p.id = ?",
        PRACTITIONER_SELECT "WHERE p.authority_id = ? AND (? = 0 OR p.active = 1) AND (? = 0 OR p.service_id = ?) "
        "ORDER BY p.active DESC, lower(p.name), p.id",
        "INSERT INTO practitioners (authority_id, service_id, school_id, user_id, name, job_title, "
        "email, active, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING id",
        "UPDATE practitioners SET service_id = ?, school_id = ?, user_id = ?, name = ?, job_title = ?, "
        "email = ?, active = ?, updated_at = ? WHERE id = ?",
        read_practitioner, bind_practitioner, call_practitioner,
    },
    [Q_REF_RESOURCE] = {
        RESOURCE_SELECT "WHERE id = ?",
        RESOURCE_SELECT "WHERE authority_id = ? AND (? = 0 OR active = 1) ORDER BY active DESC, lower(title), id",
        "INSERT INTO resources (authority_id, title, kind, audience, url, description, active, "
        "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
        "UPDATE resources SET title = ?, kind = ?, audience = ?, url = ?, description = ?, active = ?, "
        "updated_at = ? WHERE id = ?",
        read_resource, bind_resource, call_resource,
    },
};

/* The first row of a prepared statement into out (when out is given). */
static enum store_rc ref_one(struct store_stmt *st, enum q_ref_kind k, void *out)
{
    enum store_rc rc = store_step(st);
    if (rc == STORE_ROW && out)
        ref_sql[k].read(st, out);
    store_done(st);
    return rc;
}

enum store_rc q_ref_get(struct store *s, enum q_ref_kind k, int64_t id, void *out)
{
    struct store_stmt *st = store_prepare(s, ref_sql[k].get);
    if (!st)
        return STORE_ERROR;
    store_bind_int(st, 1, id);
    return ref_one(st, k, out);
}

enum store_rc q_ref_list(struct store *s, enum q_ref_kind k, int64_t authority_id, bool active_only,
                         int64_t service_id, void (*each)(void *arg, const void *row), void *arg)
{
    struct store_stmt *st = store_prepare(s, ref_sql[k].list);
    if (!st)
        return STORE_ERROR;
    store_bind_int(st, 1, authority_id);
    store_bind_int(st, 2, active_only ? 1 : 0);
    if (k == Q_REF_PRACTITIONER) {
        store_bind_int(st, 3, service_id);
        store_bind_int(st, 4, service_id);
    }
    enum store_rc rc;
    union ref_any r;
    while ((rc = store_step(st)) == STORE_ROW) {
        ref_sql[k].read(st, &r);
        each(arg, &r);
    }
    store_done(st);
    return rc == STORE_DONE ? STORE_OK : rc;
}

/* A list callback of the kind's own type, called from q_ref_list. */
struct typed_each {
    enum q_ref_kind k;
    any_fn fn;
    void *arg;
};

static void call_typed(void *arg, const void *row)
{
    const struct typed_each *t = arg;
    ref_sql[t->k].call(t->fn, t->arg, row);
}

static enum store_rc ref_list(struct store *s, enum q_ref_kind k, int64_t authority_id, bool active_only,
                              int64_t service_id, any_fn fn, void *arg)
{
    struct typed_each t = {k, fn, arg};
    return q_ref_list(s, k, authority_id, active_only, service_id, call_typed, &t);
}

enum store_rc q_ref_insert(struct store *s, enum q_ref_kind k, void *row, int64_t now)
{
    struct store_stmt *st = store_prepare(s, ref_sql[k].insert);
    if (!st)
        return STORE_ERROR;
    int i = ref_sql[k].bind(st, row, true);
    store_bind_int(st, i, now);
    store_bind_int(st, i + 1, now);
    enum store_rc rc = store_step(st);
    if (rc == STORE_ROW) {
        *(int64_t *)row = store_col_int(st, 0);   /* every row starts with its id */
        rc = STORE_OK;
    }
    store_done(st);
    return rc;
}

enum store_rc q_ref_update(struct store *s, enum q_ref_kind k, const void *row, int64_t now)
{
    struct store_stmt *st = store_prepare(s, ref_sql[k].update);
    if (!st)
        return STORE_ERROR;
    int i = ref_sql[k].bind(st, row, false);
    store_bind_int(st, i, now);
    store_bind_int(st, i + 1, *(const int64_t *)row);
    return store_exec_done(st);
}

/* The storage interface, kind by kind. */

enum store_rc q_service_list(struct store *s, int64_t authority_id, bool active_only,
                             void (*fn)(void *arg, const struct service_row *r), void *arg)
{
    return ref_list(s, Q_REF_SERVICE, authority_id, active_only, 0, (any_fn)fn, arg);
}

enum store_rc q_service_get(struct store *s, int64_t id, struct service_row *out)
{
    return q_ref_get(s, Q_REF_SERVICE, id, out);
}

enum store_rc q_service_by_code(struct store *s, int64_t authority_id, const char *code,
                                struct service_row *out)
{
    struct store_stmt *st = store_prepare(s, SERVICE_SELECT "WHERE authority_id = ? AND code = ?");
    if (!st)
        return STORE_ERROR;
    store_bind_int(st, 1, authority_id);
    store_bind_text(st, 2, code);
    return ref_one(st, Q_REF_SERVICE, out);
}

enum store_rc q_service_insert(struct store *s, struct service_row *r, int64_t now)
{
    return q_ref_insert(s, Q_REF_SERVICE, r, now);
}

enum store_rc q_service_update(struct store *s, const struct service_row *r, int64_t now)
{
    return q_ref_update(s, Q_REF_SERVICE, r, now);
}

enum store_rc q_practitioner_list(struct store *s, int64_t authority_id, int64_t service_id, bool active_only,
                                  void (*fn)(void *arg, const struct practitioner_row *r), void *arg)
{
    return ref_list(s, Q_REF_PRACTITIONER, authority_id, active_only, service_id, (any_fn)fn, arg);
}

enum store_rc q_practitioner_get(struct store *s, int64_t id, struct practitioner_row *out)
{
    return q_ref_get(s, Q_REF_PRACTITIONER, id, out);
}

enum store_rc q_practitioner_insert(struct store *s, struct practitioner_row *r, int64_t now)
{
    return q_ref_insert(s, Q_REF_PRACTITIONER, r, now);
}

enum store_rc q_practitioner_update(struct store *s, const struct practitioner_row *r, int64_t now)
{
    return q_ref_update(s, Q_REF_PRACTITIONER, r, now);
}

enum store_rc q_resource_list(struct store *s, int64_t authority_id, bool active_only,
                              void (*fn)(void *arg, const struct resource_row *r), void *arg)
{
    return ref_list(s, Q_REF_RESOURCE, authority_id, active_only, 0, (any_fn)fn, arg);
}

enum store_rc q_resource_get(struct store *s, int64_t id, struct resource_row *out)
{
    return q_ref_get(s, Q_REF_RESOURCE, id, out);
}

enum store_rc q_resource_insert(struct store *s, struct resource_row *r, int64_t now)
{
    return q_ref_insert(s, Q_REF_RESOURCE, r, now);
}

enum store_rc q_resource_update(struct store *s, const struct resource_row *r, int64_t now)
{
    return q_ref_update(s, Q_REF_RESOURCE, r, now);
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

enum store_rc q_service_name_taken(struct store *s, int64_t authority_id, const char *name, int64_t except_id)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT 1 FROM services WHERE authority_id = ? AND lower(trim(name)) = lower(trim(?)) "
        "AND id <> ? LIMIT 1");
    if (!st)
        return STORE_ERROR;
    store_bind_int(st, 1, authority_id);
    store_bind_text(st, 2, name);
    store_bind_int(st, 3, except_id);
    enum store_rc rc = store_step(st);
    store_done(st);
    return rc;
}
