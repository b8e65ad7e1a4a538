/* tas demo: a generated demonstration authority, entered through the same
 * service functions the web pages use (so it is validated the same way). */
#include <getopt.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/demo_year_load.h"
#include "core/demo.h"
#include "core/calendar.h"
#include "core/demo_year.h"
#include "service/password.h"
#include "cli/demo_apst_load.h"
#include "cli/demo_budget_load.h"
#include "service/svc_places.h"
#include "service/svc_pupils.h"
#include "service/svc_users.h"
#include "store/q_authorities.h"

#define DEMO_PASSWORD PASSWORD_DEMO

static void usage(FILE *f)
{
    fputs("Usage: tas demo [--db PATH] [--seed N] [--password PW] [--without-year]\n"
          "Creates a database holding a generated (entirely fictional) local authority:\n"
          "24 schools, several hundred pupils, one user for every role and, unless\n"
          "--without-year, last school year's TAS work: 15 teams, about 190 meetings\n"
          "planned and 110 held, 260 pupils discussed and 840 actions, with this\n"
          "year's remaining meetings planned.\n"
          "  --db PATH       database file to create (default tas.db); must not hold data yet\n"
          "  --seed N        generator seed; the same seed and day give the same data (default 1)\n"
          "  --password PW   password for every demo user (default " DEMO_PASSWORD ")\n"
          "  --without-year  only the authority, schools, pupils and users (no teams or meetings)\n", f);
}

static void report_errors(const char *what, const struct field_errors *e)
{
    for (size_t i = 0; i < e->count; i++)
        cli_fail("demo %s: %s: %s", what, e->items[i].field, e->items[i].message);
}

static int has_data(struct store *s)
{
    int64_t n = -1;
    return q_authority_count(s, &n) == STORE_OK ? (int)n : -1;
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
        struct school_form sf = {.urn = s->urn, .establishment_number = s->estab, .name = s->name,
                                 .phase = s->phase, .pupils_on_roll = roll, .fsm_pct = fsm, .sen_pct = sen,
                                 .tas_member = s->tas_member ? "yes" : "no", .authority_id = la};
        memset(&e, 0, sizeof e);
        if (svc_school_create(c, &sf, &e, s) != SVC_OK) {
            report_errors("school", &e);
            return -1;
        }
    }
    return 0;
}

static int load_pupils(struct svc_ctx *c, struct demo_plan *plan)
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
        plan->pupils[i].id = out.id;   /* the year refers to pupils by index */
    }
    return 0;
}

/* Creates the users from index from to to (exclusive).  extra: grants
 * added to each (team grants for the practitioner, once teams exist). */
static int load_users(struct svc_ctx *c, const struct demo_plan *plan, const char *password, size_t from,
                      size_t to, const struct role_grant *extra, size_t nextra, int64_t *ids)
{
    for (size_t i = from; i < to; i++) {
        const struct demo_user *u = &plan->users[i];
        struct role_grant g[1 + 4];
        memset(g, 0, sizeof g);
        if (role_from_code(u->role, &g[0].role) != 0 || scope_from_code(u->scope, &g[0].scope) != 0) {
            cli_fail("demo user %s: unknown role or scope", u->username);
            return -1;
        }
        g[0].authority_id = plan->authority.id;
        if (g[0].scope == SCOPE_AUTHORITY)
            g[0].scope_id = plan->authority.id;
        else if (g[0].scope == SCOPE_SCHOOL && u->school_index >= 0)
            g[0].scope_id = plan->schools[u->school_index].id;
        snprintf(g[0].detail, sizeof g[0].detail, "%s", u->detail);
        for (size_t k = 0; k < nextra && k < 4; k++)
            g[1 + k] = extra[k];
        struct user_form uf = {u->username, u->display_name, NULL, password};
        struct field_errors e = {0};
        if (svc_user_create(c, &uf, g, 1 + (nextra < 4 ? nextra : 4), &e, &ids[i]) != SVC_OK) {
            report_errors("user", &e);
            return -1;
        }
    }
    return 0;
}

static size_t user_index(const struct demo_plan *plan, const char *role)
{
    for (size_t i = 0; i < plan->nusers; i++)
        if (strcmp(plan->users[i].role, role) == 0)
            return i;
    return plan->nusers;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The year's work, then the practitioner account (it needs the teams for
 * its team grants), then this year's schedule; inside the caller's
 * transaction.  summary gets the one-line report. */
static int load_year(struct store *s, const struct demo_plan *plan, const struct demo_year *y,
                     const char *password, int64_t *ids, int64_t now, char *summary, size_t summarysz)
{
    size_t coord = user_index(plan, "case_coordinator"), lead = user_index(plan, "strategic_lead");
    size_t prac = user_index(plan, "practitioner");
    if (coord >= plan->nusers || lead >= plan->nusers) {
        cli_fail("demo year: the demo has no coordinator or strategic lead account");
        return -1;
    }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct demo_year_ids yids;
    int rc = demo_year_load(s, plan, y, ids[coord], ids[lead], &yids);
    if (rc == 0 && prac < plan->nusers) {
        struct role_grant g[2];
        memset(g, 0, sizeof g);
        for (size_t k = 0; k < 2; k++) {
            g[k].role = ROLE_PRACTITIONER;
            g[k].scope = SCOPE_TEAM;
            g[k].scope_id = yids.teams[y->practitioner_teams[k]];
            g[k].authority_id = plan->authority.id;
            snprintf(g[k].detail, sizeof g[k].detail, "%s", plan->users[prac].detail);
        }
        struct svc_ctx c;
        svc_ctx_init(&c, s, svc_system_principal(), now);
        rc = load_users(&c, plan, password, prac, prac + 1, g, 2, ids);
    }
    if (rc == 0)
        rc = demo_year_finish(s, plan, y, ids[coord], prac < plan->nusers ? ids[prac] : 0, now, &yids);
    if (rc != 0)
        return -1;
    snprintf(summary, summarysz, "tas: demo year %d/%02d: %zu meetings planned, %zu held, %zu cancelled; %zu pupils discussed; "
           "%zu actions; %zu meetings planned for the rest of this year; %zu outcome records",
           y->year, (y->year + 1) % 100, y->nmeetings, yids.meetings_held, yids.meetings_cancelled, yids.pupils,
           yids.actions, yids.meetings_planned, yids.outcomes);
    /* On stderr: the same seed and day give the same standard output. */
    fprintf(stderr, "tas: demo year loaded in %.2f s\n", seconds_since(&t0));
    return 0;
}

int cli_demo(int argc, char **argv)
{
    const char *db = "tas.db", *password = DEMO_PASSWORD;
    const char *seed_text = NULL;
    long seed = 1;
    bool without_year = false;
    const struct cli_opt opts[] = {{"db", &db, NULL}, {"seed", &seed_text, NULL}, {"password", &password, NULL},
                                   {"without-year", NULL, &without_year}, {0}};
    int done = cli_options(argc, argv, 1, opts, usage);
    if (done >= 0)
        return done;
    if (seed_text && cli_number(seed_text, 0, 2147483647L, &seed) != 0) {
        cli_fail("--seed needs a whole number, not '%s'", seed_text);
        return CLI_USAGE;
    }
    int with_year = !without_year;
    if (optind != argc)
        return cli_usage(usage);
    if (password_init() != 0) {
        cli_fail("cannot initialise libsodium");
        return CLI_FAIL;
    }
    password_allow_demo();   /* the one place its own password is allowed */
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
    svc_ctx_init(&ctx, s, svc_system_principal(), clock_now());
    struct demo_plan plan;
    struct demo_year *year = NULL;
    /* With a year, "now" for everything after the year is the start of
     * today (a fixed time), so the same seed on the same day gives the
     * same database. */
    int32_t today = 0;
    int64_t after_year = ctx.now;
    int rc = demo_plan_authority((uint64_t)seed, ctx.today, &plan);
    if (rc == 0 && with_year) {
        year = calloc(1, sizeof *year);
        rc = year && day_parse(ctx.today, &today) == 0 ? demo_year_plan((uint64_t)seed, ctx.today, &plan, year) : -1;
        after_year = demo_year_clock(today, 0);
        /* The authority is set up before the year it records. */
        if (rc == 0)
            svc_ctx_init(&ctx, s, svc_system_principal(), demo_year_clock(year->setup_on, 0));
    }
    if (rc != 0) {
        cli_fail("out of memory planning the demo");
        if (year)
            demo_year_free(year);
        free(year);
        demo_plan_free(&plan);
        store_close(s);
        return CLI_FAIL;
    }
    /* Everything in one transaction: all or nothing, and fast (the
     * services' own transactions nest inside it as savepoints). */
    rc = store_begin_write(s) == STORE_OK ? 0 : -1;
    if (rc == 0)
        rc = load_places(&ctx, &plan);
    if (rc == 0)
        rc = load_pupils(&ctx, &plan);
    /* The practitioner account waits for the year's teams when there is one. */
    int64_t ids[DEMO_MAX_USERS] = {0};
    size_t prac = year ? user_index(&plan, "practitioner") : plan.nusers;
    if (rc == 0)
        rc = load_users(&ctx, &plan, password, 0, prac < plan.nusers ? prac : plan.nusers, NULL, 0, ids);
    if (rc == 0 && prac < plan.nusers)
        rc = load_users(&ctx, &plan, password, prac + 1, plan.nusers, NULL, 0, ids);
    char summary[400] = "", budget_summary[200] = "";
    if (rc == 0 && year)
        rc = load_year(s, &plan, year, password, ids, after_year, summary, sizeof summary);
    if (rc == 0 && year) {
        /* The AP specialist taskforce (issue 19), made today. */
        struct svc_ctx now_ctx;
        svc_ctx_init(&now_ctx, s, svc_system_principal(), after_year);
        rc = demo_apst_load(&now_ctx, &plan, password);
        /* The pooled budget (issue 20): last year's and this year's. */
        size_t holder = user_index(&plan, "budget_holder"), approver = user_index(&plan, "budget_approver");
        if (rc == 0 && holder < plan.nusers && approver < plan.nusers)
            rc = demo_budget_load(&now_ctx, plan.authority.id, ids[holder], ids[approver], budget_summary,
                                  sizeof budget_summary);
    }
    if (rc == 0 && store_commit(s) != STORE_OK)
        rc = -1;
    if (rc == 0) {
        printf("tas: demo authority \"%s\" created in %s: %zu schools, %zu pupils, %zu users\n",
               plan.authority.name, db, plan.nschools, plan.npupils, plan.nusers + (year ? 2 : 0));
        if (summary[0])
            printf("%s\n", summary);
        if (budget_summary[0])
            printf("%s\n", budget_summary);
        printf("tas: demo users:");
        for (size_t i = 0; i < plan.nusers; i++)
            printf(" %s", plan.users[i].username);
        if (year)
            printf(" %s %s", DEMO_APST_MANAGER, DEMO_APST_SPECIALIST);
        printf("\ntas: every demo user's password is %s\n",
               strcmp(password, DEMO_PASSWORD) == 0 ? DEMO_PASSWORD : "the one given");
    } else {
        cli_fail("demo not created: %s", store_errmsg(s));
        store_rollback(s);
    }
    if (year)
        demo_year_free(year);
    free(year);
    demo_plan_free(&plan);
    store_close(s);
    return rc == 0 ? CLI_OK : CLI_FAIL;
}
