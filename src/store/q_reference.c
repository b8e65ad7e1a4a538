#include "store/q_reference.h"
#include "store/q_common.h"
#include "store/q_map.h"
#include "store/q_params.h"

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

Q_READER(read_service, struct service_row, id, authority_id, code, name, org_kind, active)

/* Insert: authority_id, code, name, org_kind, active; update: name,
 * org_kind, active (the code and the authority never change). */
static int bind_service(struct store_stmt *st, const void *row, bool insert)
{
    const struct service_row *r = row;
    int i = insert ? q_bind_params(st, 1, Q_PARAMS(QP_INT(r->authority_id), QP_TEXT(r->code))) : 1;
    return q_bind_params(st, i, Q_PARAMS(QP_TEXT(r->name), QP_TEXT(r->org_kind), QP_INT(r->active ? 1 : 0)));
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
    int i = insert ? q_bind_params(st, 1, Q_PARAMS(QP_INT(r->authority_id))) : 1;
    return q_bind_params(st, i,
        Q_PARAMS(QP_INT(r->service_id), QP_ID(r->school_id), QP_ID(r->user_id), QP_TEXT(r->name),
                 QP_TEXT(r->job_title), QP_TEXT(r->email), QP_INT(r->active ? 1 : 0)));
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
    int i = insert ? q_bind_params(st, 1, Q_PARAMS(QP_INT(r->authority_id))) : 1;
    return q_bind_params(st, i,
        Q_PARAMS(QP_TEXT(r->title), QP_TEXT(r->kind), QP_TEXT(r->audience), QP_TEXT(r->url),
                 QP_TEXT(r->description), QP_INT(r->active ? 1 : 0)));
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

/* out NULL: whether the record is there. */
enum store_rc q_ref_get(struct store *s, enum q_ref_kind k, int64_t id, void *out)
{
    if (!out)
        return q_any(s, ref_sql[k].get, Q_PARAMS(QP_INT(id)));
    return q_get_id(s, ref_sql[k].get, id, ref_sql[k].read, out);
}

/* Each row read into a union of the kinds' rows and handed on. */
struct ref_rows {
    enum q_ref_kind k;
    void (*each)(void *arg, const void *row);
    void *arg;
};

static void ref_row(struct store_stmt *st, void *arg)
{
    const struct ref_rows *l = arg;
    union ref_any r;
    ref_sql[l->k].read(st, &r);
    l->each(l->arg, &r);
}

enum store_rc q_ref_list(struct store *s, enum q_ref_kind k, int64_t authority_id, bool active_only,
                         int64_t service_id, void (*each)(void *arg, const void *row), void *arg)
{
    struct store_stmt *st = store_prepare(s, ref_sql[k].list);
    store_bind_int(st, 1, authority_id);
    store_bind_int(st, 2, active_only ? 1 : 0);
    if (k == Q_REF_PRACTITIONER) {
        store_bind_int(st, 3, service_id);
        store_bind_int(st, 4, service_id);
    }
    return store_each_row(st, ref_row, &(struct ref_rows){k, each, arg});
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
    int i = ref_sql[k].bind(st, row, true);
    store_bind_int(st, i, now);
    store_bind_int(st, i + 1, now);
    return store_get_int(st, (int64_t *)row);   /* every row starts with its id */
}

enum store_rc q_ref_update(struct store *s, enum q_ref_kind k, const void *row, int64_t now)
{
    struct store_stmt *st = store_prepare(s, ref_sql[k].update);
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
    const char *sql = SERVICE_SELECT "WHERE authority_id = ? AND code = ?";
    struct q_params p = Q_PARAMS(QP_INT(authority_id), QP_TEXT(code));
    return out ? q_row(s, sql, p, read_service, out) : q_any(s, sql, p);
}

enum store_rc q_service_insert(struct store *s, struct service_row *r, int64_t now)
{
    return q_ref_insert(s, Q_REF_SERVICE, r, now);
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

/* ---- term dates and closure days --------------------------------------- */

Q_READER(read_term, struct term_row, half_term, starts_on, ends_on)

/* At most six: the CHECK keeps half_term in 1..6 and UNIQUE makes 6 the most. */
struct terms_out {
    struct term_row *out;
    size_t *n;
};

static void add_term(struct store_stmt *st, void *arg)
{
    struct terms_out *t = arg;
    if (*t->n < 6)
        read_term(st, &t->out[(*t->n)++]);
}

enum store_rc q_terms_get(struct store *s, int64_t authority_id, int academic_year,
                          struct term_row out[6], size_t *n)
{
    *n = 0;
    return q_rows(s,
        "SELECT half_term, starts_on, ends_on FROM term_dates "
        "WHERE authority_id = ? AND academic_year = ? ORDER BY half_term",
        Q_PARAMS(QP_INT(authority_id), QP_INT(academic_year)), add_term, &(struct terms_out){out, n});
}

enum store_rc q_terms_replace(struct store *s, int64_t authority_id, int academic_year,
                              const struct term_row *t, size_t n)
{
    enum store_rc rc = q_run(s,
        "DELETE FROM term_dates WHERE authority_id = ? AND academic_year = ?",
        Q_PARAMS(QP_INT(authority_id), QP_INT(academic_year)));
    for (size_t i = 0; rc == STORE_OK && i < n; i++) {
        rc = q_run(s,
            "INSERT INTO term_dates (authority_id, academic_year, half_term, starts_on, ends_on) "
            "VALUES (?,?,?,?,?)",
            Q_PARAMS(QP_INT(authority_id), QP_INT(academic_year), QP_INT(t[i].half_term), QP_TEXT(t[i].starts_on),
                     QP_TEXT(t[i].ends_on)));
    }
    return rc;
}

#define CLOSURE_SELECT "SELECT id, authority_id, closed_on, reason FROM closure_days "

Q_READER(read_closure, struct closure_row, id, authority_id, closed_on, reason)
Q_SINK(closure, struct closure_row, read_closure)

enum store_rc q_closure_list(struct store *s, int64_t authority_id, const char *from, const char *to,
                             void (*fn)(void *arg, const struct closure_row *r), void *arg)
{
    return q_rows(s, CLOSURE_SELECT "WHERE authority_id = ? AND closed_on >= ? AND closed_on <= ? ORDER BY closed_on",
                  Q_PARAMS(QP_INT(authority_id), QP_TEXT(from), QP_TEXT(to)), closure_each,
                  &(struct closure_sink){fn, arg});
}

enum store_rc q_closure_get(struct store *s, int64_t id, struct closure_row *out)
{
    return q_get_id(s, CLOSURE_SELECT "WHERE id = ?", id, read_closure, out);
}

enum store_rc q_closure_insert(struct store *s, struct closure_row *r)
{
    return q_int(s,
        "INSERT INTO closure_days (authority_id, closed_on, reason) VALUES (?,?,?) RETURNING id",
        Q_PARAMS(QP_INT(r->authority_id), QP_TEXT(r->closed_on), QP_TEXT(r->reason)), &r->id);
}

enum store_rc q_closure_delete(struct store *s, int64_t id)
{
    return q_run(s, "DELETE FROM closure_days WHERE id = ?", Q_PARAMS(QP_INT(id)));
}

/* ---- accounts in an authority ------------------------------------------ */

Q_READER(read_ref_user, struct ref_user_row, id, username, display_name)
Q_SINK(ref_user, struct ref_user_row, read_ref_user)

enum store_rc q_authority_users(struct store *s, int64_t authority_id,
                                void (*fn)(void *arg, const struct ref_user_row *r), void *arg)
{
    return q_rows(s,
        "SELECT u.id, u.username, u.display_name FROM users u WHERE u.disabled = 0 AND u.id IN "
        "(SELECT user_id FROM user_roles WHERE authority_id = ? OR (scope_kind = 'authority' AND scope_id = ?)) "
        "ORDER BY lower(u.username), u.id",
        Q_PARAMS(QP_INT(authority_id), QP_INT(authority_id)), ref_user_each, &(struct ref_user_sink){fn, arg});
}

enum store_rc q_user_in_authority(struct store *s, int64_t user_id, int64_t authority_id)
{
    return q_any(s,
        "SELECT 1 FROM user_roles WHERE user_id = ? AND (authority_id = ? OR "
        "(scope_kind = 'authority' AND scope_id = ?)) LIMIT 1",
        Q_PARAMS(QP_INT(user_id), QP_INT(authority_id), QP_INT(authority_id)));
}

enum store_rc q_service_name_taken(struct store *s, int64_t authority_id, const char *name, int64_t except_id)
{
    return q_any(s,
        "SELECT 1 FROM services WHERE authority_id = ? AND lower(trim(name)) = lower(trim(?)) "
        "AND id <> ? LIMIT 1",
        Q_PARAMS(QP_INT(authority_id), QP_TEXT(name), QP_INT(except_id)));
}
