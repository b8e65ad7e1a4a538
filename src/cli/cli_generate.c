/* tas generate: a generated England (or one authority of it) for
 * measuring the dashboard at scale.  Plans each school with
 * core/gen_national.c and loads it straight through the store's bulk
 * inserts (store/q_bulk.c), in one transaction, with progress on stderr.
 * No users are made: bench/dashboard_bench.c reads the database directly.
 *
 * The database is built under a temporary name (PATH.generating) and
 * renamed to PATH only when complete, so a crash or a failure part way
 * leaves no half-made database at PATH.  Because that file is new and
 * nobody else uses it, the load runs with SQLite's rollback journal in
 * memory rather than the WAL (every page written once, not to the WAL and
 * again to the file; the journal keeps only pages that existed before the
 * transaction, few in a fresh file; the connection's defensive mode rules
 * out journal_mode OFF) and without syncs, with the indexes and triggers
 * of the loaded tables set aside until the rows are in (q_bulk_defer), and
 * the CHECK constraints not tested row by row: a crash can only spoil the
 * temporary file, which the next run removes.  The finished file is synced
 * and switched back to WAL before the rename.  The rows are the same as
 * a load with every index and trigger in place (tests/http/generate.test.mjs
 * compares the dump of a generated authority with the one made before). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "lib/count.h"
#include "core/gen_national.h"
#include "service/svc_dashboard.h"
#include "service/svc_move.h"
#include "store/q_authorities.h"
#include "store/q_bulk.h"
#include "store/q_dash_rollup.h"

static void usage(FILE *f)
{
    fputs("Usage: tas generate --db PATH|postgresql://... [--scale national|authority] [--seed N] [--year YYYY]\n"
          "Creates a database holding a generated (entirely fictional) England for benchmarks:\n"
          "national: 153 authorities, about 20,000 schools, 1.5 million cases, 5 million actions;\n"
          "authority: one authority of the same kind.\n"
          "  --db PATH       database file to create; must not hold data yet (it is built as\n"
          "                  PATH.generating and renamed to PATH when complete); or an empty\n"
          "                  PostgreSQL database: generated in a temporary file (TMPDIR), then\n"
          "                  moved there and checked as tas migrate-store does\n"
          "  --scale NAME    national (default) or authority\n"
          "  --seed N        generator seed (default 1)\n"
          "  --year YYYY     academic year the meetings fall in (default 2024, i.e. 2024/25)\n", f);
}

struct ids {
    int64_t school, team, meeting, pupil, kase, discussion;
};

struct totals {
    long actions, outcomes;
};

#define CHECK(x) do { if ((rc = (x)) != STORE_OK) goto fail; } while (0)

/* The outcome records of one case's pupil, from the school's MIS export. */
static enum store_rc load_outcomes(struct store *s, struct demo_rng *orng, int64_t pupil, const char *presented,
                                   bool secondary, long *noutcomes)
{
    struct outcome_record o[GEN_MAX_OUTCOMES];
    size_t n = gen_case_outcomes(orng, presented, secondary, o, GEN_MAX_OUTCOMES);
    for (size_t i = 0; i < n; i++) {
        char starts[11], ends[11];
        day_format(o[i].starts, starts);
        if (o[i].ends)
            day_format(o[i].ends, ends);
        enum store_rc rc = q_bulk_outcome(s, pupil, outcome_kind_code(o[i].kind), starts, o[i].ends ? ends : NULL,
                                          o[i].code, o[i].sessions_possible, o[i].sessions_missed, o[i].sessions);
        if (rc != STORE_OK)
            return rc;
    }
    *noutcomes += (long)n;
    return STORE_OK;
}

static enum store_rc load_school(struct store *s, struct ids *id, int64_t authority, int64_t svc_base,
                                 int64_t res_base, const struct gen_school *g, struct demo_rng *orng,
                                 struct totals *t)
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
    /* Most schools' MIS data has been imported; some schools' not at all. */
    bool imported = demo_rng_below(orng, 100) < 85;
    bool secondary = !strcmp(g->phase, "secondary");
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
        t->actions += k->nactions;
        if (imported)
            CHECK(load_outcomes(s, orng, pupil, g->meetings[k->new_meeting].date, secondary, &t->outcomes));
    }
    return STORE_OK;
fail:
    return rc;
}

/* Whether an existing database at path holds data (1), not (0), or could
 * not be read (-1; said why). */
static int holds_data(const char *path)
{
    struct store *s = cli_open_db(path);
    if (!s)
        return -1;
    int64_t existing = -1;
    (void)q_authority_count(s, &existing);
    store_close(s);
    return existing == 0 ? 0 : 1;
}

static void remove_temporary(const char *tmp)
{
    static const char *const tails[] = {"", "-journal", "-wal", "-shm"};
    char path[PATH_MAX + 16];
    for (size_t i = 0; i < COUNT(tails); i++) {
        snprintf(path, sizeof path, "%s%s", tmp, tails[i]);
        if (unlink(path) != 0 && errno != ENOENT)
            cli_fail("generate: cannot remove %s: %s", path, strerror(errno));
    }
}

/* The fresh temporary database, its schema made, set up for a bulk load:
 * the journal in memory, no syncs (see the top of the file), a modest page cache (the
 * indexes are built after the load, so the working set is the pages being
 * appended), and the server key of the final path (as cli_open_db does). */
static struct store *open_fresh(const char *tmp, const char *db)
{
    struct store *s = cli_load_key(cli_open_migrated(tmp, true), db);
    if (!s)
        return NULL;
    /* The CHECK constraints are not tested row by row either: each IN list
     * among them costs SQLite a temporary b-tree per row.  The generator
     * makes only valid rows (the test's dump comparison holds it to the
     * rows made with every check on). */
    if (store_sqlite_bulk_begin(s) != STORE_OK) {
        cli_fail("generate: cannot set up %s for loading: %s", tmp, store_errmsg(s));
        store_close(s);
        return NULL;
    }
    return s;
}

/* The finished file back in WAL mode, synced, then renamed into place
 * and the directory synced, so PATH is either absent or complete. */
static int finish(struct store *s, const char *tmp, const char *db)
{
    bool ok = store_sqlite_bulk_end(s) == STORE_OK;
    if (!ok)
        cli_fail("generate: cannot switch %s back to WAL: %s", tmp, store_errmsg(s));
    store_close(s);
    if (!ok)
        return -1;
    int fd = open(tmp, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) {
        cli_fail("generate: cannot sync %s: %s", tmp, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    if (rename(tmp, db) != 0) {
        cli_fail("generate: cannot rename %s to %s: %s", tmp, db, strerror(errno));
        return -1;
    }
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", db);
    char *slash = strrchr(dir, '/');
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    return 0;
}

/* Every authority's schools, planned and stored, in one transaction with
 * the indexes and triggers set aside, then made again and every month
 * marked stale for the rollup (what the triggers would have marked). */
static enum store_rc load_all(struct store *s, const struct gen_scale *scale, long seed, long year, struct ids *id,
                              struct totals *tot, time_t t0)
{
    static struct gen_school plan;   /* large: keep it off the stack */
    struct demo_rng rng, orng;
    demo_rng_seed(&rng, (uint64_t)seed);
    /* Outcome records from a stream of their own: the other rows are the
     * same as before they were added. */
    demo_rng_seed(&orng, (uint64_t)seed ^ 0x6f7574636f6d6573u);
    struct q_bulk_deferred deferred = {0};
    enum store_rc rc = store_begin_write(s);
    if (rc == STORE_OK)
        rc = q_bulk_defer(s, &deferred);
    int64_t svc_id = 0, res_id = 0;
    for (int a = 1; rc == STORE_OK && a <= scale->authorities; a++) {
        char la[16], name[64];
        snprintf(la, sizeof la, "%03d", a);
        snprintf(name, sizeof name, "Generated authority %03d", a);
        rc = q_bulk_authority(s, a, la, name);
        int64_t svc_base = svc_id + 1, res_base = res_id + 1;
        for (int k = 0; rc == STORE_OK && k < GEN_SERVICES; k++)
            rc = q_bulk_service(s, ++svc_id, a, gen_service_codes[k], gen_service_names[k], gen_service_kinds[k]);
        for (int k = 0; rc == STORE_OK && k < GEN_RESOURCES; k++)
            rc = q_bulk_resource(s, ++res_id, a, gen_resource_titles[k], gen_resource_kinds[k]);
        for (int i = 0; rc == STORE_OK && i < scale->schools_per_authority; i++) {
            gen_school_plan(&rng, (int)year, &plan);
            rc = load_school(s, id, a, svc_base, res_base, &plan, &orng, tot);
        }
        if (a % 10 == 0 || a == scale->authorities)
            fprintf(stderr, "generate: %d/%d authorities, %lld schools, %lld cases, %ld actions (%lds)\n", a,
                    scale->authorities, (long long)id->school, (long long)id->kase, tot->actions,
                    (long)(time(NULL) - t0));
    }
    if (rc == STORE_OK) {
        time_t t = time(NULL);
        rc = q_bulk_restore(s, &deferred);
        fprintf(stderr, "generate: indexes and triggers made again (%lds)\n", (long)(time(NULL) - t));
    }
    q_bulk_deferred_free(&deferred);
    if (rc == STORE_OK)
        rc = q_rollup_mark_all(s);
    if (rc == STORE_OK)
        rc = store_commit(s);
    else
        store_rollback(s);
    return rc;
}

/* The generated database in a SQLite file at db (see the top of the file). */
static int generate_file(const char *db, const struct gen_scale *sc, long seed, long year)
{
    struct gen_scale scale = *sc;
    if (strncmp(db, "sqlite:", 7) == 0)
        db += 7;
    char tmp[PATH_MAX];
    if (!*db || (size_t)snprintf(tmp, sizeof tmp, "%s.generating", db) >= sizeof tmp) {
        cli_fail("generate: database path too long");
        return CLI_USAGE;
    }
    /* A database already there must be empty (it is replaced); one that
     * does not exist yet is only made at the end. */
    if (access(db, F_OK) == 0) {
        int has = holds_data(db);
        if (has != 0) {
            if (has > 0)
                cli_fail("generate: %s already holds data; give a new file", db);
            return CLI_FAIL;
        }
    }
#ifdef __GLIBC__
    /* SQLite opens and frees a temporary b-tree (a page cache of about
     * 90 KB) for many statements (IN lists, UNION, DISTINCT): with glibc's
     * default trim threshold each free gives the top of the heap back to
     * the kernel and the next statement asks for it again, two brk calls
     * and a TLB flush per row; most of the time went there.  Keep up to
     * 64 MB of free heap instead. */
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_TOP_PAD, 1 << 20);
#endif
    remove_temporary(tmp);   /* a crashed run's */
    struct store *s = open_fresh(tmp, db);
    if (!s) {
        remove_temporary(tmp);
        return CLI_FAIL;
    }
    struct ids id = {0};
    struct totals tot = {0};
    time_t t0 = time(NULL);
    enum store_rc rc = load_all(s, &scale, seed, year, &id, &tot, t0);
    if (rc != STORE_OK) {
        cli_fail("generate: could not store the data: %s", store_errmsg(s));
        store_close(s);
        remove_temporary(tmp);
        return CLI_FAIL;
    }
    /* Fresh statistics for the query planner. */
    (void)store_analyze(s);
    /* The dashboard's rollup, so the first dashboard does not wait for it. */
    time_t t1 = time(NULL);
    struct svc_ctx ctx;
    svc_ctx_init(&ctx, s, svc_system_principal(), clock_now());
    if (svc_dashboard_refresh(&ctx, 0) != SVC_OK) {
        cli_fail("generate: could not build the dashboard's rollup: %s", store_errmsg(s));
        store_close(s);
        remove_temporary(tmp);
        return CLI_FAIL;
    }
    long rollup_s = (long)(time(NULL) - t1);
    if (finish(s, tmp, db) != 0) {
        remove_temporary(tmp);
        return CLI_FAIL;
    }
    printf("generate: %d authorities, %lld schools, %lld meetings, %lld cases, %lld discussions, %ld actions, "
           "%ld outcome records in %lds (the dashboard's rollup %lds of it)\n", scale.authorities, (long long)id.school,
           (long long)id.meeting, (long long)id.kase, (long long)id.discussion, tot.actions, tot.outcomes,
           (long)(time(NULL) - t0),
           rollup_s);
    return CLI_OK;
}

static void on_copy_progress(void *arg, const char *table, int64_t done, int64_t total)
{
    (void)arg;
    fprintf(stderr, "generate: copying %s: %lld of %lld rows\n", table, (long long)done, (long long)total);
}

/* A PostgreSQL database: generated into a SQLite file in a private
 * temporary directory (the fast bulk load above), then moved there as
 * tas migrate-store moves an installation (service/svc_move.c: one
 * transaction, each table's rows and checksum compared), the planner's
 * statistics refreshed, and the temporary file removed.  The database must
 * be empty, as for migrate-store. */
static int generate_server(const char *url, const struct gen_scale *scale, long seed, long year)
{
    const char *base = getenv("TMPDIR");
    char dir[PATH_MAX], path[PATH_MAX + 32];
    if ((size_t)snprintf(dir, sizeof dir, "%s/tas-generate-XXXXXX", base && *base ? base : "/tmp") >= sizeof dir ||
        !mkdtemp(dir)) {
        cli_fail("generate: cannot make a temporary directory: %s", strerror(errno));
        return CLI_FAIL;
    }
    snprintf(path, sizeof path, "%s/generated.db", dir);
    int rc = generate_file(path, scale, seed, year);
    if (rc == CLI_OK) {
        char err[256];
        struct store *src = store_open(path, err, sizeof err);
        struct store *dst = src ? store_open(url, err, sizeof err) : NULL;
        if (!dst) {
            cli_fail("generate: cannot open %s: %s", src ? "the destination" : path, err);
            rc = CLI_FAIL;
        } else {
            time_t t0 = time(NULL);
            const struct svc_move_hooks hooks = {.progress = on_copy_progress};
            struct svc_move_result r;
            if (svc_move_store(src, dst, &hooks, &r) != SVC_OK) {
                cli_fail("generate: not copied to %s: %s; nothing was committed", store_database_key(dst), r.why);
                rc = CLI_FAIL;
            } else {
                (void)store_analyze(dst);
                printf("generate: copied to %s: %lld tables, %lld rows, each table's rows and checksum the same "
                       "(%lds)\n", store_database_key(dst), (long long)r.tables, (long long)r.rows,
                       (long)(time(NULL) - t0));
            }
        }
        if (dst)
            store_close(dst);
        if (src)
            store_close(src);
    }
    remove_temporary(path);
    snprintf(path, sizeof path, "%s/generated.db.key", dir);
    (void)unlink(path);
    if (rmdir(dir) != 0)
        cli_fail("generate: cannot remove %s: %s", dir, strerror(errno));
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
    return store_sqlite_path(db) ? generate_file(db, &scale, seed, year) : generate_server(db, &scale, seed, year);
}
