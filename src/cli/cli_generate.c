/* tas generate: a generated England (or one authority of it) for
 * measuring the dashboard at scale.  Plans each school with
 * core/gen_national.c and loads it straight through the store's bulk
 * inserts (store/q_bulk.c), in one transaction, with progress on stderr.
 * No users are made: bench/dashboard_bench.c reads the database directly. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/gen_national.h"
#include "service/svc_dashboard.h"
#include "store/q_bulk.h"

static void usage(FILE *f)
{
    fputs("Usage: tas generate --db PATH [--scale national|authority] [--seed N] [--year YYYY]\n"
          "Creates a database holding a generated (entirely fictional) England for benchmarks:\n"
          "national: 153 authorities, about 20,000 schools, 1.5 million cases, 5 million actions;\n"
          "authority: one authority of the same kind.\n"
          "  --db PATH       database file to create; must not hold data yet\n"
          "  --scale NAME    national (default) or authority\n"
          "  --seed N        generator seed (default 1)\n"
          "  --year YYYY     academic year the meetings fall in (default 2024, i.e. 2024/25)\n", f);
}

struct ids {
    int64_t school, team, meeting, pupil, kase, discussion;
};

#define CHECK(x) do { if ((rc = (x)) != STORE_OK) goto fail; } while (0)

static enum store_rc load_school(struct store *s, struct ids *id, int64_t authority, int64_t svc_base,
                                 int64_t res_base, const struct gen_school *g, long *nactions)
{
    enum store_rc rc;
    char urn[24], name[64];
    int64_t school = ++id->school, team = ++id->team;
    snprintf(urn, sizeof urn, "%lld", (long long)(9000000 + school));
    snprintf(name, sizeof name, "Generated school %lld", (long long)school);
    CHECK(q_bulk_school(s, school, authority, urn, name, g->phase));
    for (int i = 0; i < g->npopulation; i++)
        CHECK(q_bulk_population(s, school, g->population[i].dimension, g->population[i].category,
                                g->population[i].pupils));
    CHECK(q_bulk_team(s, team, authority, school, name));
    for (int k = 3; k < GEN_SERVICES; k++)
        CHECK(q_bulk_team_member(s, team, svc_base + k));
    int64_t meeting_ids[GEN_MAX_MEETINGS];
    for (int i = 0; i < g->nmeetings; i++) {
        const struct gen_meeting *m = &g->meetings[i];
        meeting_ids[i] = ++id->meeting;
        CHECK(q_bulk_meeting(s, meeting_ids[i], team, m->date, m->status, m->mode));
        for (int k = 0; k < GEN_SERVICES; k++)
            if (m->present & (1u << k))
                CHECK(q_bulk_attendance(s, meeting_ids[i], svc_base + k, k < 3 ? gen_service_codes[k] : ""));
    }
    for (int c = 0; c < g->ncases; c++) {
        const struct gen_case *k = &g->cases[c];
        int64_t pupil = ++id->pupil, kase = ++id->kase;
        char upn[32];
        snprintf(upn, sizeof upn, "G999%09lld", (long long)pupil);
        CHECK(q_bulk_pupil(s, pupil, school, upn, k->gender, k->ethnicity, k->nc_year, k->sen));
        CHECK(q_bulk_case(s, kase, pupil, team, k->summary, k->ect, k->prior_sen, k->prior_paed, k->prior_eh));
        int64_t first = ++id->discussion;
        CHECK(q_bulk_discussion(s, first, meeting_ids[k->new_meeting], kase, "new"));
        for (int r = 0; r < k->nreviews; r++)
            CHECK(q_bulk_discussion(s, ++id->discussion, meeting_ids[k->reviews[r]], kase, "review"));
        for (int a = 0; a < k->nactions; a++) {
            const struct gen_action *x = &k->actions[a];
            CHECK(q_bulk_action(s, kase, first, x->owner >= 0 ? svc_base + x->owner : 0, x->setting, x->nature,
                                x->resource >= 0 ? res_base + x->resource : 0));
        }
        *nactions += k->nactions;
    }
    return STORE_OK;
fail:
    return rc;
}

int cli_generate(int argc, char **argv)
{
    const char *db = NULL, *scale_name = "national";
    const char *seed_text = NULL, *year_text = NULL;
    long seed = 1, year = 2024;
    const struct cli_opt opts[] = {{"db", &db, NULL}, {"scale", &scale_name, NULL}, {"seed", &seed_text, NULL},
                                   {"year", &year_text, NULL}, {0}};
    int done = cli_options(argc, argv, 1, opts, usage);
    if (done >= 0)
        return done;
    if (seed_text && cli_number(seed_text, 0, 2147483647L, &seed) != 0) {
        cli_fail("generate: --seed must be a whole number");
        return CLI_USAGE;
    }
    if (year_text && cli_number(year_text, 2000, 2100, &year) != 0) {
        cli_fail("generate: --year must be a year from 2000 to 2100");
        return CLI_USAGE;
    }
    struct gen_scale scale;
    if (!db || optind != argc || gen_scale_named(scale_name, &scale) != 0)
        return cli_usage(usage);
    struct store *s = cli_open_db(db);
    if (!s)
        return CLI_FAIL;
    struct store_stmt *st = store_prepare(s, "SELECT count(*) FROM authorities");
    int64_t existing = st && store_step(st) == STORE_ROW ? store_col_int(st, 0) : -1;
    if (st)
        store_done(st);
    if (existing != 0) {
        cli_fail("generate: %s already holds data; give a new file", db);
        store_close(s);
        return CLI_FAIL;
    }
    /* One transaction of several gigabytes: with SQLite's default 2 MB page
     * cache every index page is written out and read back many times. */
    st = store_prepare(s, "PRAGMA cache_size = -2000000");
    if (st) {
        store_step(st);
        store_done(st);
    }
    static struct gen_school plan;   /* large: keep it off the stack */
    struct demo_rng rng;
    demo_rng_seed(&rng, (uint64_t)seed);
    struct ids id = {0};
    long nactions = 0;
    time_t t0 = time(NULL);
    enum store_rc rc = store_begin_write(s);
    int64_t svc_id = 0, res_id = 0;
    for (int a = 1; rc == STORE_OK && a <= scale.authorities; a++) {
        char la[16], name[64];
        snprintf(la, sizeof la, "%03d", a);
        snprintf(name, sizeof name, "Generated authority %03d", a);
        rc = q_bulk_authority(s, a, la, name);
        int64_t svc_base = svc_id + 1, res_base = res_id + 1;
        for (int k = 0; rc == STORE_OK && k < GEN_SERVICES; k++)
            rc = q_bulk_service(s, ++svc_id, a, gen_service_codes[k], gen_service_names[k], gen_service_kinds[k]);
        for (int k = 0; rc == STORE_OK && k < GEN_RESOURCES; k++)
            rc = q_bulk_resource(s, ++res_id, a, gen_resource_titles[k], gen_resource_kinds[k]);
        for (int i = 0; rc == STORE_OK && i < scale.schools_per_authority; i++) {
            gen_school_plan(&rng, (int)year, &plan);
            rc = load_school(s, &id, a, svc_base, res_base, &plan, &nactions);
        }
        if (a % 10 == 0 || a == scale.authorities)
            fprintf(stderr, "generate: %d/%d authorities, %lld schools, %lld cases, %ld actions (%lds)\n", a,
                    scale.authorities, (long long)id.school, (long long)id.kase, nactions, (long)(time(NULL) - t0));
    }
    if (rc == STORE_OK)
        rc = store_commit(s);
    else
        store_rollback(s);
    if (rc != STORE_OK) {
        cli_fail("generate: could not store the data: %s", store_errmsg(s));
        store_close(s);
        return CLI_FAIL;
    }
    /* Fresh statistics for the query planner. */
    st = store_prepare(s, "ANALYZE");
    if (st)
        (void)store_exec_done(st);
    /* The dashboard's rollup, so the first dashboard does not wait for it. */
    time_t t1 = time(NULL);
    struct svc_ctx ctx;
    svc_ctx_init(&ctx, s, svc_system_principal(), clock_now());
    if (svc_dashboard_refresh(&ctx, 0) != SVC_OK) {
        cli_fail("generate: could not build the dashboard's rollup: %s", store_errmsg(s));
        store_close(s);
        return CLI_FAIL;
    }
    store_close(s);
    printf("generate: %d authorities, %lld schools, %lld meetings, %lld cases, %lld discussions, %ld actions "
           "in %lds (the dashboard's rollup %lds of it)\n", scale.authorities, (long long)id.school,
           (long long)id.meeting, (long long)id.kase, (long long)id.discussion, nactions, (long)(time(NULL) - t0),
           (long)(time(NULL) - t1));
    return CLI_OK;
}
