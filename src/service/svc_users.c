#include "service/svc_users.h"

#include <ctype.h>
#include <string.h>
#include <time.h>

#include <stdio.h>
#include <stdlib.h>

#include "core/validate.h"
#include "lib/clock.h"
#include "service/password.h"
#include "service/svc_break_glass.h"
#include "service/svc_places.h"
#include "service/svc_teams.h"
#include "store/q_schools.h"
#include "store/q_sessions.h"
#include "store/q_teams.h"

/* User names: 2..60 of a-z 0-9 . _ - (case-folded), so they are easy to
 * type and safe in every context they appear. */
static int username_ok(const char *in, char *out, size_t outsz)
{
    size_t n = strlen(in);
    if (n < 2 || n > 60 || n >= outsz)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = (char)tolower((unsigned char)in[i]);
        if (!(isalnum((unsigned char)ch) || ch == '.' || ch == '_' || ch == '-'))
            return 0;
        out[i] = ch;
    }
    out[n] = '\0';
    return 1;
}

enum svc_status svc_user_create(struct svc_ctx *c, const struct user_form *f,
                                const struct role_grant *grants, size_t ngrants,
                                struct field_errors *errs, int64_t *id)
{
    if (!svc_allowed(c, ACT_CREATE, RES_USER, 0, 0, 0))
        return SVC_FORBIDDEN;
    for (size_t i = 0; i < ngrants; i++) {
        /* One-pupil access is break-glass only: time-limited, with a
         * reason, reviewed (svc_break_glass.c); never a standing role. */
        if (grants[i].scope == SCOPE_PUPIL)
            return SVC_FORBIDDEN;
        /* Nobody grants more than they hold: every grant's scope must be
         * one where the creator may administer users.  A grant with no
         * authority (system-wide) needs installation-level rights: a
         * create "anywhere" (authority 0) would let an authority's
         * administrator make system administrators. */
        const struct role_grant *g = &grants[i];
        bool ok = g->scope == SCOPE_SYSTEM || g->authority_id <= 0
                      ? svc_allowed(c, ACT_EDIT, RES_USER, 0, 0, 0)
                      : svc_allowed(c, ACT_CREATE, RES_USER, 0, g->authority_id, 0);
        if (!ok)
            return SVC_FORBIDDEN;
    }
    struct user_row u;
    memset(&u, 0, sizeof u);
    if (!f->username || !username_ok(f->username, u.username, sizeof u.username))
        field_errors_add(errs, "username",
                         "Enter a user name of 2 to 60 letters, numbers, dots, dashes or underscores");
    if (!f->display_name || trim_copy(f->display_name, u.display_name, sizeof u.display_name) < 0 ||
        !u.display_name[0] || !text_is_clean(u.display_name, 0))
        field_errors_add(errs, "display_name", "Enter the person's name");
    if (f->email && f->email[0] &&
        (trim_copy(f->email, u.email, sizeof u.email) < 0 || !strchr(u.email, '@')))
        field_errors_add(errs, "email", "Enter an email address in the correct format, like name@example.org");
    const char *pwmsg = password_check(f->password ? f->password : "", u.username);
    if (pwmsg)
        field_errors_add(errs, "password", pwmsg);
    if (errs->count)
        return SVC_INVALID;
    if (password_hash(f->password, u.password_hash) != 0)
        return SVC_ERROR;

    if (store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    enum store_rc rc = q_user_insert(c->db, &u, c->now);
    for (size_t i = 0; rc == STORE_OK && i < ngrants; i++)
        rc = q_role_add(c->db, u.id, &grants[i]);
    rc = store_end_write(c->db, rc);
    if (rc != STORE_OK) {
        if (rc == STORE_CONSTRAINT) {
            field_errors_add(errs, "username", "That user name is already taken");
            return SVC_INVALID;
        }
        return SVC_ERROR;
    }
    if (id)
        *id = u.id;
    return SVC_OK;
}

enum svc_status svc_user_may(struct svc_ctx *c, enum action a, int64_t user_id)
{
    /* A user lies in the authorities of their grants.  Acting on them needs
     * the right in every one (so nobody reaches past their own authority);
     * a user with a system grant, or none, only at installation level. */
    struct principal p;
    if (q_roles_load(c->db, user_id, &p) != STORE_OK)
        return SVC_ERROR;
    if (p.ngrants == 0)
        return svc_allowed(c, a, RES_USER, 0, 0, 0) ? SVC_OK : SVC_FORBIDDEN;
    for (size_t i = 0; i < p.ngrants; i++) {
        const struct role_grant *g = &p.grants[i];
        bool ok = g->scope == SCOPE_SYSTEM || g->authority_id <= 0
                      ? svc_allowed(c, a, RES_USER, 0, 0, 0)
                      : svc_allowed(c, a, RES_USER, user_id, g->authority_id, 0);
        if (!ok)
            return SVC_FORBIDDEN;
    }
    return SVC_OK;
}

/* Parses "kind:N" into its number; 0 when not that shape. */
static int64_t place_id(const char *place, const char *kind)
{
    size_t n = strlen(kind);
    if (strncmp(place, kind, n) != 0 || place[n] != ':' || !place[n + 1] || strlen(place + n + 1) > 15)
        return 0;
    int64_t v = 0;
    for (const char *p = place + n + 1; *p; p++) {
        if (*p < '0' || *p > '9')
            return 0;
        v = v * 10 + (*p - '0');
    }
    return v;
}

enum svc_status svc_user_add(struct svc_ctx *c, const struct user_form *f, const struct grant_form *gf,
                             struct field_errors *errs, int64_t *id)
{
    struct role_grant g;
    memset(&g, 0, sizeof g);
    if (!gf->role || role_from_code(gf->role, &g.role) != 0)
        field_errors_add(errs, "role", "Select the person's role");
    const char *place = gf->place ? gf->place : "";
    int64_t n;
    if (strcmp(place, "system") == 0) {
        g.scope = SCOPE_SYSTEM;
    } else if ((n = place_id(place, "authority")) > 0) {
        g.scope = SCOPE_AUTHORITY;
        g.scope_id = g.authority_id = n;
    } else if ((n = place_id(place, "school")) > 0) {
        struct school sc;
        if (q_school_get(c->db, n, &sc) == STORE_ROW) {
            g.scope = SCOPE_SCHOOL;
            g.scope_id = n;
            g.authority_id = sc.authority_id;
        } else {
            place = "";
        }
    } else if ((n = place_id(place, "team")) > 0) {
        /* A team grant: a TAS team, or a taskforce's team (the Taskforce
         * Manager's and specialists' roles are held there). */
        int64_t authority_id = 0, schools[POLICY_MAX_TEAM_SCHOOLS];
        size_t ns = 0;
        if (q_team_scope(c->db, n, &authority_id, schools, POLICY_MAX_TEAM_SCHOOLS, &ns) == STORE_ROW &&
            authority_id > 0) {
            g.scope = SCOPE_TEAM;
            g.scope_id = n;
            g.authority_id = authority_id;
        } else {
            place = "";
        }
    } else {
        place = "";
    }
    if (!*place)
        field_errors_add(errs, "place", "Select where the role applies");
    const char *detail = gf->detail ? gf->detail : "";
    size_t dn = strlen(detail);
    bool detail_ok = dn < sizeof g.detail;
    for (size_t i = 0; detail_ok && i < dn; i++)
        detail_ok = (detail[i] >= 'a' && detail[i] <= 'z') || (detail[i] >= '0' && detail[i] <= '9') ||
                    detail[i] == '_';
    if (!detail_ok)
        field_errors_add(errs, "detail", "Detail must be up to 23 lower-case letters, numbers or underscores");
    else
        snprintf(g.detail, sizeof g.detail, "%s", detail);
    /* With errors already noted, svc_user_create checks the other fields
     * and stores nothing. */
    return svc_user_create(c, f, &g, errs->count ? 0 : 1, errs, id);
}

struct places {
    struct svc_ctx *c;
    void (*fn)(void *arg, const char *value, const char *label);
    void *arg;
};

static void place_authority(void *arg, const struct authority *a)
{
    struct places *p = arg;
    if (!svc_allowed(p->c, ACT_CREATE, RES_USER, 0, a->id, 0))
        return;
    char value[40], label[200];
    snprintf(value, sizeof value, "authority:%lld", (long long)a->id);
    snprintf(label, sizeof label, "%s (the whole authority)", a->name);
    p->fn(p->arg, value, label);
}

static void place_school(void *arg, const struct school *s)
{
    struct places *p = arg;
    if (!svc_allowed(p->c, ACT_CREATE, RES_USER, 0, s->authority_id, 0))
        return;
    char value[40];
    snprintf(value, sizeof value, "school:%lld", (long long)s->id);
    p->fn(p->arg, value, s->name);
}

static void place_team(void *arg, const struct team_row *t)
{
    struct places *p = arg;
    if (!svc_allowed(p->c, ACT_CREATE, RES_USER, 0, t->t.authority_id, 0))
        return;
    char value[40], label[200];
    snprintf(value, sizeof value, "team:%lld", (long long)t->t.id);
    snprintf(label, sizeof label, "%s (team)", t->t.name);
    p->fn(p->arg, value, label);
}

enum svc_status svc_user_places(struct svc_ctx *c, void (*fn)(void *arg, const char *value, const char *label),
                                void *arg)
{
    if (!svc_allowed(c, ACT_CREATE, RES_USER, 0, 0, 0))
        return SVC_FORBIDDEN;
    if (svc_allowed(c, ACT_CREATE, RES_USER, 0, 0, 0) && svc_allowed(c, ACT_EDIT, RES_USER, 0, 0, 0))
        fn(arg, "system", "Every local authority (system-wide)");
    struct places p = {c, fn, arg};
    enum svc_status st = svc_authority_list(c, place_authority, &p);
    struct page_req pg = {1, 200};
    int64_t total = 0;
    if (st == SVC_OK)
        st = svc_school_list(c, "", &pg, &total, place_school, &p);
    if (st == SVC_OK) {
        struct team_filter tf = {.today = c->today, .active = 1};
        st = svc_team_list(c, &tf, &pg, &total, place_team, &p);
        if (st == SVC_FORBIDDEN)
            st = SVC_OK;
    }
    return st;
}

static enum svc_status find_user(struct svc_ctx *c, const char *username, struct user_row *u)
{
    if (!svc_allowed(c, ACT_EDIT, RES_USER, 0, 0, 0) && !svc_allowed(c, ACT_LIST, RES_USER, 0, 0, 0))
        return SVC_FORBIDDEN;
    enum store_rc rc = q_user_by_username(c->db, username, u);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    return svc_user_may(c, ACT_EDIT, u->id);
}

enum svc_status svc_user_set_password(struct svc_ctx *c, const char *username, const char *password,
                                      struct field_errors *errs)
{
    struct user_row u;
    enum svc_status st = find_user(c, username, &u);
    if (st != SVC_OK)
        return st;
    const char *msg = password_check(password ? password : "", u.username);
    if (msg) {
        field_errors_add(errs, "password", msg);
        return SVC_INVALID;
    }
    return svc_user_store_password(c, u.id, password, NULL);
}

enum svc_status svc_user_store_password(struct svc_ctx *c, int64_t user_id, const char *password,
                                        const char *keep_handle)
{
    char hash[PASSWORD_HASH_MAX];
    if (password_hash(password, hash) != 0)
        return SVC_ERROR;
    if (store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    enum store_rc rc = q_user_set_password(c->db, user_id, hash, c->now);
    if (rc == STORE_OK)
        rc = keep_handle ? q_session_delete_user_except(c->db, user_id, keep_handle)
                         : q_session_delete_user(c->db, user_id);
    if (rc != STORE_OK || store_commit(c->db) != STORE_OK) {
        store_rollback(c->db);
        return SVC_ERROR;
    }
    return SVC_OK;
}

enum svc_status svc_user_get(struct svc_ctx *c, int64_t id, struct user_row *out)
{
    enum store_rc rc = q_user_get(c->db, id, out);
    memset(out->password_hash, 0, sizeof out->password_hash);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    enum svc_status st = svc_user_may(c, ACT_VIEW, id);
    /* A user out of reach is reported as not there. */
    return st == SVC_FORBIDDEN ? SVC_NOT_FOUND : st;
}

enum svc_status svc_user_set_disabled(struct svc_ctx *c, const char *username, bool disabled)
{
    struct user_row u;
    enum svc_status st = find_user(c, username, &u);
    if (st != SVC_OK)
        return st;
    if (disabled && u.id == c->who->user_id)
        return SVC_CONFLICT;
    if (store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    if (q_user_set_disabled(c->db, u.id, disabled, c->now) != STORE_OK ||
        (disabled && q_session_delete_user(c->db, u.id) != STORE_OK) ||
        store_commit(c->db) != STORE_OK) {
        store_rollback(c->db);
        return SVC_ERROR;
    }
    return SVC_OK;
}

static bool list_visible(struct svc_ctx *c, const struct user_row *u)
{
    return svc_user_may(c, ACT_VIEW, u->id) == SVC_OK;
}

SVC_ROW_FILTER(list_filter, struct user_row, list_visible)

enum svc_status svc_user_list(struct svc_ctx *c,
                              void (*fn)(void *arg, const struct user_row *u), void *arg)
{
    if (!svc_allowed(c, ACT_LIST, RES_USER, 0, 0, 0))
        return SVC_FORBIDDEN;
    /* Only the users within reach (checked one by one: user lists are short). */
    struct list_filter f = {.c = c, .fn = fn, .arg = arg};
    return svc_from_store(q_user_list(c->db, list_filter_row, &f));
}

enum svc_status svc_principal_load(struct store *db, int64_t user_id, struct principal *p)
{
    enum store_rc rc = q_roles_load(db, user_id, p);
    if (rc != STORE_OK)
        return svc_from_store(rc);
    /* A team grant reaches the schools of its team, in the team's
     * authority.  A missing or inactive team covers no school, which
     * denies rather than over-grants. */
    for (size_t i = 0; i < p->ngrants; i++) {
        struct role_grant *g = &p->grants[i];
        if (g->scope != SCOPE_TEAM)
            continue;
        int64_t authority_id = 0;
        size_t n = 0;
        g->nschools = 0;
        rc = q_team_scope(db, g->scope_id, &authority_id, g->school_ids, POLICY_MAX_TEAM_SCHOOLS, &n);
        if (rc == STORE_ROW) {
            g->authority_id = authority_id;
            g->nschools = n;
        } else if (rc != STORE_DONE) {
            return SVC_ERROR;
        }
    }
    return svc_break_glass_grants(db, user_id, clock_now(), p) == SVC_OK ? SVC_OK : SVC_ERROR;
}
