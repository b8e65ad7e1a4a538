/* tas demo: a generated demonstration authority, entered through the same
 * service functions the web pages use (so it is validated the same way). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/demo.h"
#include "service/password.h"
#include "service/svc_places.h"
#include "service/svc_pupils.h"
#include "service/svc_users.h"

#define DEMO_PASSWORD "demo-password"

static void usage(FILE *f)
{
    fputs("Usage: tas demo [--db PATH] [--seed N] [--password PW]\n"
          "Creates a database holding a generated (entirely fictional) local authority:\n"
          "24 schools, several hundred pupils and one user for every role.\n"
          "  --db PATH       database file to create (default tas.db); must not hold data yet\n"
          "  --seed N        generator seed; the same seed gives the same authority (default 1)\n"
          "  --password PW   password for every demo user (default " DEMO_PASSWORD ")\n", f);
}

static void report_errors(const char *what, const struct field_errors *e)
{
    for (size_t i = 0; i < e->count; i++)
        cli_fail("demo %s: %s: %s", what, e->items[i].field, e->items[i].message);
}

static int has_data(struct store *s)
{
    struct store_stmt *st = store_prepare(s, "SELECT count(*) FROM authorities");
    if (!st)
        return -1;
    int n = store_step(st) == STORE_ROW ? (int)store_col_int(st, 0) : -1;
    store_done(st);
    return n;
}

static int load_places(struct svc_ctx *c, struct demo_plan *plan)
{
    struct field_errors e = {0};
    struct authority_form af = {plan->authority.la_code, plan->authority.name};
    if (svc_authority_create(c, &af, &e, &plan->authority) != SVC_OK) {
        report_errors("authority", &e);
        return -1;
    }
    char la[24];
    snprintf(la, sizeof la, "%lld", (long long)plan->authority.id);
    for (size_t i = 0; i < plan->nschools; i++) {
        struct school *s = &plan->schools[i];
        char roll[16], fsm[16], sen[16];
        snprintf(roll, sizeof roll, "%d", (int)s->pupils_on_roll);
        snprintf(fsm, sizeof fsm, "%.1f", s->fsm_pct);
        snprintf(sen, sizeof sen, "%.1f", s->sen_pct);
        struct school_form sf = {s->urn, s->name, s->phase, roll, fsm, sen,
                                 s->tas_member ? "yes" : "no", la};
        memset(&e, 0, sizeof e);
        if (svc_school_create(c, &sf, &e, s) != SVC_OK) {
            report_errors("school", &e);
            return -1;
        }
    }
    return 0;
}

static int load_pupils(struct svc_ctx *c, const struct demo_plan *plan)
{
    for (size_t i = 0; i < plan->npupils; i++) {
        const struct pupil *p = &plan->pupils[i];
        char sid[24], y[8], m[4], d[4];
        snprintf(sid, sizeof sid, "%lld", (long long)plan->schools[p->school_id].id);
        snprintf(y, sizeof y, "%.4s", p->date_of_birth);
        snprintf(m, sizeof m, "%.2s", p->date_of_birth + 5);
        snprintf(d, sizeof d, "%.2s", p->date_of_birth + 8);
        struct pupil_form pf = {p->upn, p->forenames, p->surname, d, m, y, p->gender,
                                p->ethnicity, p->nc_year, p->sen_provision, sid};
        struct field_errors e = {0};
        struct pupil out;
        if (svc_pupil_create(c, &pf, &e, &out) != SVC_OK) {
            report_errors("pupil", &e);
            return -1;
        }
    }
    return 0;
}

static int load_users(struct svc_ctx *c, const struct demo_plan *plan, const char *password)
{
    for (size_t i = 0; i < plan->nusers; i++) {
        const struct demo_user *u = &plan->users[i];
        struct role_grant g;
        memset(&g, 0, sizeof g);
        if (role_from_code(u->role, &g.role) != 0 || scope_from_code(u->scope, &g.scope) != 0) {
            cli_fail("demo user %s: unknown role or scope", u->username);
            return -1;
        }
        g.authority_id = plan->authority.id;
        if (g.scope == SCOPE_AUTHORITY)
            g.scope_id = plan->authority.id;
        else if (g.scope == SCOPE_SCHOOL && u->school_index >= 0)
            g.scope_id = plan->schools[u->school_index].id;
        snprintf(g.detail, sizeof g.detail, "%s", u->detail);
        struct user_form uf = {u->username, u->display_name, NULL, password};
        struct field_errors e = {0};
        if (svc_user_create(c, &uf, &g, 1, &e, NULL) != SVC_OK) {
            report_errors("user", &e);
            return -1;
        }
    }
    return 0;
}

int cli_demo(int argc, char **argv)
{
    const char *db = "tas.db", *password = DEMO_PASSWORD;
    long seed = 1;
    static const struct option opts[] = {{"db", required_argument, 0, 'd'}, {"seed", required_argument, 0, 's'},
                                         {"password", required_argument, 0, 'p'}, {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd') db = optarg;
        else if (c == 'p') password = optarg;
        else if (c == 's') {
            if (cli_number(optarg, 0, 2147483647L, &seed) != 0) {
                cli_fail("--seed needs a whole number, not '%s'", optarg);
                return CLI_USAGE;
            }
        } else if (c == 'h') { usage(stdout); return CLI_OK; }
        else { usage(stderr); return CLI_USAGE; }
    }
    if (optind != argc) {
        usage(stderr);
        return CLI_USAGE;
    }
    if (password_init() != 0) {
        cli_fail("cannot initialise libsodium");
        return CLI_FAIL;
    }
    if (password_check(password, NULL)) {
        cli_fail("demo password: %s", password_check(password, NULL));
        return CLI_USAGE;
    }
    struct store *s = cli_open_db(db);
    if (!s)
        return CLI_FAIL;
    int n = has_data(s);
    if (n != 0) {
        cli_fail(n < 0 ? "cannot read %s" : "%s already holds data; demo needs a new database", db);
        store_close(s);
        return CLI_FAIL;
    }
    struct svc_ctx ctx;
    svc_ctx_init(&ctx, s, svc_system_principal(), (int64_t)time(NULL));
    struct demo_plan plan;
    if (demo_plan_authority((uint64_t)seed, ctx.today, &plan) != 0) {
        cli_fail("out of memory planning the demo");
        store_close(s);
        return CLI_FAIL;
    }
    /* Places and pupils in one transaction: all or nothing, and fast. */
    int rc = store_begin_write(s) == STORE_OK ? 0 : -1;
    if (rc == 0)
        rc = load_places(&ctx, &plan);
    if (rc == 0)
        rc = load_pupils(&ctx, &plan);
    if (rc == 0 && store_commit(s) != STORE_OK)
        rc = -1;
    if (rc != 0)
        store_rollback(s);
    if (rc == 0)
        rc = load_users(&ctx, &plan, password);
    if (rc == 0) {
        printf("tas: demo authority \"%s\" created in %s: %zu schools, %zu pupils, %zu users\n",
               plan.authority.name, db, plan.nschools, plan.npupils, plan.nusers);
        printf("tas: demo users:");
        for (size_t i = 0; i < plan.nusers; i++)
            printf(" %s", plan.users[i].username);
        printf("\ntas: every demo user's password is %s\n",
               strcmp(password, DEMO_PASSWORD) == 0 ? DEMO_PASSWORD : "the one given");
    } else {
        cli_fail("demo not created: %s", store_errmsg(s));
    }
    demo_plan_free(&plan);
    store_close(s);
    return rc == 0 ? CLI_OK : CLI_FAIL;
}
