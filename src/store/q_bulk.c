#include "store/q_bulk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One INSERT per kind of row; the values come in the order of its `?`s. */
enum bulk_kind {
    BULK_AUTHORITY,
    BULK_SERVICE,
    BULK_RESOURCE,
    BULK_SCHOOL,
    BULK_POPULATION,
    BULK_TEAM,
    BULK_TEAM_SCHOOL,
    BULK_TEAM_MEMBER,
    BULK_MEETING,
    BULK_ATTENDANCE,
    BULK_PUPIL,
    BULK_CASE,
    BULK_DISCUSSION,
    BULK_ACTION,
    BULK_OUTCOME,
};

static const char *const bulk_sql[] = {
    [BULK_AUTHORITY] = "INSERT INTO authorities (id, la_code, name, created_at, updated_at) VALUES (?,?,?,0,0)",
    [BULK_SERVICE] = "INSERT INTO services (id, authority_id, code, name, org_kind, created_at, updated_at) "
                     "VALUES (?,?,?,?,?,0,0)",
    [BULK_RESOURCE] = "INSERT INTO resources (id, authority_id, title, kind, audience, created_at, updated_at) "
                      "VALUES (?,?,?,?,'both',0,0)",
    [BULK_SCHOOL] = "INSERT INTO schools (id, authority_id, urn, name, phase, tas_member, created_at, updated_at) "
                    "VALUES (?,?,?,?,?,1,0,0)",
    [BULK_POPULATION] = "INSERT INTO school_population (school_id, dimension, category, pupils) VALUES (?,?,?,?)",
    [BULK_TEAM] = "INSERT INTO teams (id, authority_id, host_school_id, name, cadence, created_at, updated_at) "
                  "VALUES (?,?,?,?,'three_weekly',0,0)",
    [BULK_TEAM_SCHOOL] = "INSERT INTO team_schools (team_id, school_id) VALUES (?,?)",
    [BULK_TEAM_MEMBER] = "INSERT INTO team_members (team_id, service_id) VALUES (?,?)",
    [BULK_MEETING] = "INSERT INTO meetings (id, team_id, meeting_date, start_time, status, mode, created_at, "
                     "updated_at) VALUES (?,?,?,'13:30',?,?,0,0)",
    [BULK_ATTENDANCE] = "INSERT INTO attendance (meeting_id, service_id, role, status, guest) "
                        "VALUES (?,?,?,'present',0)",
    [BULK_PUPIL] = "INSERT INTO pupils (id, school_id, upn, forenames, surname, date_of_birth, gender, ethnicity, "
                   "nc_year, sen_provision, created_at, updated_at) "
                   "VALUES (?,?,?,'Generated','Pupil','2014-01-01',?,?,?,?,0,0)",
    [BULK_CASE] = "INSERT INTO cases (id, pupil_id, team_id, opened_on, summary_before_meeting, ect_completed, "
                  "prior_sen_support, prior_paediatrics, prior_early_help, created_at, updated_at) "
                  "VALUES (?,?,?,'2025-09-01',?,?,?,?,?,0,0)",
    [BULK_DISCUSSION] = "INSERT INTO discussions (id, meeting_id, case_id, kind, created_at, updated_at) "
                        "VALUES (?,?,?,?,0,0)",
    [BULK_ACTION] = "INSERT INTO actions (case_id, discussion_id, description, owner_service_id, setting, nature, "
                    "resource_id, created_at, updated_at) VALUES (?,?,'Generated action',?,?,?,?,0,0)",
    [BULK_OUTCOME] = "INSERT INTO outcome_records (pupil_id, kind, starts_on, ends_on, code, sessions_possible, "
                     "sessions_missed, sessions, source, created_at) VALUES (?,?,?,?,?,?,?,?,'import',0)",
};

/* One INSERT statement a row: prepared once per connection (the store
 * caches it by its text), reset and bound again for the next row. */

/* A value to bind: an integer, text, an id where 0 or less means none
 * (NULL), or a flag where -1 means not recorded (NULL). */
struct bulk_val {
    enum { BV_INT, BV_TEXT, BV_OPT_ID, BV_OPT_FLAG, BV_OPT_TEXT } kind;
    int64_t i;
    const char *t;
};
#define I(v) {BV_INT, (v), NULL}
#define T(v) {BV_TEXT, 0, (v)}
#define ID(v) {BV_OPT_ID, (v), NULL}
#define FLAG(v) {BV_OPT_FLAG, (v), NULL}
#define OPT_T(v) {BV_OPT_TEXT, 0, (v)}

static void bind_val(struct store_stmt *st, int idx, const struct bulk_val *v)
{
    bool none = (v->kind == BV_OPT_ID && v->i <= 0) || (v->kind == BV_OPT_FLAG && v->i < 0) ||
                (v->kind == BV_OPT_TEXT && !v->t);
    if (v->kind == BV_TEXT || (v->kind == BV_OPT_TEXT && !none))
        store_bind_text(st, idx, v->t);
    else if (none)
        store_bind_null(st, idx);
    else
        store_bind_int(st, idx, v->i);
}

/* The one insert: the kind's SQL with n values bound in order. */
static enum store_rc bulk_insert(struct store *s, enum bulk_kind k, size_t n, const struct bulk_val *v)
{
    struct store_stmt *st = store_prepare(s, bulk_sql[k]);
    for (size_t i = 0; i < n; i++)
        bind_val(st, (int)i + 1, &v[i]);
    return store_exec_done(st);
}
#define BULK(s, k, ...) \
    bulk_insert((s), (k), sizeof((struct bulk_val[]){__VA_ARGS__}) / sizeof(struct bulk_val), \
                (struct bulk_val[]){__VA_ARGS__})

enum store_rc q_bulk_authority(struct store *s, int64_t id, const char *la_code, const char *name)
{
    return BULK(s, BULK_AUTHORITY, I(id), T(la_code), T(name));
}

enum store_rc q_bulk_service(struct store *s, int64_t id, int64_t authority_id, const char *code, const char *name,
                             const char *org_kind)
{
    return BULK(s, BULK_SERVICE, I(id), I(authority_id), T(code), T(name), T(org_kind));
}

enum store_rc q_bulk_resource(struct store *s, int64_t id, int64_t authority_id, const char *title, const char *kind)
{
    return BULK(s, BULK_RESOURCE, I(id), I(authority_id), T(title), T(kind));
}

enum store_rc q_bulk_school(struct store *s, int64_t id, int64_t authority_id, const char *urn, const char *name,
                            const char *phase)
{
    return BULK(s, BULK_SCHOOL, I(id), I(authority_id), T(urn), T(name), T(phase));
}

enum store_rc q_bulk_population(struct store *s, int64_t school_id, const char *dimension, const char *category,
                                int64_t pupils)
{
    return BULK(s, BULK_POPULATION, I(school_id), T(dimension), T(category), I(pupils));
}

enum store_rc q_bulk_team(struct store *s, int64_t id, int64_t authority_id, int64_t school_id, const char *name)
{
    enum store_rc rc = BULK(s, BULK_TEAM, I(id), I(authority_id), I(school_id), T(name));
    return rc != STORE_OK ? rc : BULK(s, BULK_TEAM_SCHOOL, I(id), I(school_id));
}

enum store_rc q_bulk_team_member(struct store *s, int64_t team_id, int64_t service_id)
{
    return BULK(s, BULK_TEAM_MEMBER, I(team_id), I(service_id));
}

enum store_rc q_bulk_meeting(struct store *s, int64_t id, int64_t team_id, const char *date, const char *status,
                             const char *mode)
{
    return BULK(s, BULK_MEETING, I(id), I(team_id), T(date), T(status), T(mode));
}

enum store_rc q_bulk_attendance(struct store *s, int64_t meeting_id, int64_t service_id, const char *role)
{
    return BULK(s, BULK_ATTENDANCE, I(meeting_id), I(service_id), T(role));
}

enum store_rc q_bulk_pupil(struct store *s, int64_t id, int64_t school_id, const char *upn, const char *gender,
                           const char *ethnicity, const char *nc_year, const char *sen)
{
    return BULK(s, BULK_PUPIL, I(id), I(school_id), T(upn), T(gender), T(ethnicity), T(nc_year), T(sen));
}

enum store_rc q_bulk_case(struct store *s, int64_t id, int64_t pupil_id, int64_t team_id, int summary, int ect,
                          int prior_sen, int prior_paed, int prior_eh)
{
    return BULK(s, BULK_CASE, I(id), I(pupil_id), I(team_id), FLAG(summary), FLAG(ect), FLAG(prior_sen),
                FLAG(prior_paed), FLAG(prior_eh));
}

enum store_rc q_bulk_discussion(struct store *s, int64_t id, int64_t meeting_id, int64_t case_id, const char *kind)
{
    return BULK(s, BULK_DISCUSSION, I(id), I(meeting_id), I(case_id), T(kind));
}

enum store_rc q_bulk_action(struct store *s, int64_t case_id, int64_t discussion_id, int64_t owner_service_id,
                            const char *setting, const char *nature, int64_t resource_id)
{
    return BULK(s, BULK_ACTION, I(case_id), ID(discussion_id), ID(owner_service_id), T(setting), T(nature),
                ID(resource_id));
}

enum store_rc q_bulk_outcome(struct store *s, int64_t pupil_id, const char *kind, const char *starts_on,
                             const char *ends_on, const char *code, int64_t possible, int64_t missed,
                             int64_t sessions)
{
    bool att = !strcmp(kind, "attendance"), susp = !strcmp(kind, "suspension");
    return BULK(s, BULK_OUTCOME, I(pupil_id), T(kind), T(starts_on), OPT_T(ends_on), T(code),
                FLAG(att ? possible : -1), FLAG(att ? missed : -1), FLAG(susp ? sessions : -1));
}

/* What a bulk load sets aside: the indexes and triggers of the tables it
 * fills (sql IS NULL: the automatic indexes of PRIMARY KEY and UNIQUE,
 * which stay).  In creation order, so they are made again in that order. */
static const char deferred_sql[] =
    "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL "
    "AND tbl_name IN ('authorities', 'services', 'resources', 'schools', 'school_population', 'teams', "
    "'team_schools', 'team_members', 'meetings', 'attendance', 'pupils', 'cases', 'discussions', 'actions', "
    "'outcome_records') "
    "ORDER BY rowid";

struct defer_read {
    struct q_bulk_deferred *d;
    size_t cap;
    size_t ndrop;
    char (*drop)[160];      /* DROP INDEX / DROP TRIGGER statements */
    bool oom;
};

static void on_deferred(struct store_stmt *st, void *arg)
{
    struct defer_read *r = arg;
    if (r->oom)
        return;
    if (r->d->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        char **sql = realloc(r->d->sql, cap * sizeof *sql);
        char (*drop)[160] = realloc(r->drop, cap * sizeof *drop);
        if (sql)
            r->d->sql = sql;
        if (drop)
            r->drop = drop;
        if (!sql || !drop) {
            r->oom = true;
            return;
        }
        r->cap = cap;
    }
    /* The name comes from the catalogue (names the migrations chose), quoted
     * as an identifier all the same. */
    const char *name = store_col_text(st, 1);
    if (strchr(name, '"') || (size_t)snprintf(r->drop[r->d->n], sizeof r->drop[0], "DROP %s \"%s\"",
                                              strcmp(store_col_text(st, 0), "index") ? "TRIGGER" : "INDEX",
                                              name) >= sizeof r->drop[0]) {
        r->oom = true;
        return;
    }
    char *sql = strdup(store_col_text(st, 2));
    if (!sql) {
        r->oom = true;
        return;
    }
    r->d->sql[r->d->n++] = sql;
}

void q_bulk_deferred_free(struct q_bulk_deferred *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->sql[i]);
    free(d->sql);
    d->sql = NULL;
    d->n = 0;
}

/* One statement whose text is not a literal (a catalogue's definition). */
static enum store_rc exec_text(struct store *s, const char *sql)
{
    return store_exec_done(store_prepare(s, sql));
}

enum store_rc q_bulk_defer(struct store *s, struct q_bulk_deferred *d)
{
    *d = (struct q_bulk_deferred){0};
    struct defer_read r = {.d = d};
    enum store_rc rc = store_each_row(store_prepare(s, deferred_sql), on_deferred, &r);
    if (rc == STORE_OK && r.oom)
        rc = STORE_ERROR;
    for (size_t i = 0; rc == STORE_OK && i < d->n; i++)
        rc = exec_text(s, r.drop[i]);
    free(r.drop);
    if (rc != STORE_OK)
        q_bulk_deferred_free(d);
    return rc;
}

enum store_rc q_bulk_restore(struct store *s, struct q_bulk_deferred *d)
{
    enum store_rc rc = STORE_OK;
    for (size_t i = 0; rc == STORE_OK && i < d->n; i++)
        rc = exec_text(s, d->sql[i]);
    q_bulk_deferred_free(d);
    return rc;
}
