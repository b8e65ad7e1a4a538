/* tas migrate-store: move an installation from SQLite to PostgreSQL,
 * checked table by table (service/svc_move.c; docs/postgresql.md).  Its
 * messages name tables and count rows: never a value. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "service/secrets.h"
#include "service/svc_move.h"
#include "store/store.h"

static void usage(FILE *f)
{
    fputs("Usage: tas migrate-store --from sqlite:PATH --to postgresql://...\n"
          "Moves an installation from SQLite to PostgreSQL without loss.  The destination must\n"
          "be an empty database: its schema is made by the migrations (or was, by tas migrate,\n"
          "and it holds nothing else).  The source must be at this tas's newest migration (run\n"
          "tas migrate on it first).  Stop tas serve before: what is written to the source\n"
          "after the copy begins is not moved.\n"
          "Every table is copied with its ids in one transaction, then compared: its rows and a\n"
          "SHA-256 checksum over them, computed the same way on both sides.  The audit chain\n"
          "must verify on the destination, and the dashboard's rollup must equal the records\n"
          "there; otherwise nothing is committed and the exit status is 1.\n"
          "  --from sqlite:PATH      the SQLite database; its key is TAS_SECRET_KEY or PATH.key\n"
          "  --to postgresql://...   the PostgreSQL database; keep its password out of the URL\n"
          "                          (PGPASSFILE, ~/.pgpass)\n"
          "Serve the destination with TAS_SECRET_KEY set to the source's key: the audit chain,\n"
          "the second factors and the extract's pupil ids are keyed with it.\n", f);
}

struct report {
    bool header;
};

static void on_progress(void *arg, const char *table, int64_t done, int64_t total)
{
    (void)arg;
    fprintf(stderr, "tas: copying %s: %lld of %lld rows\n", table, (long long)done, (long long)total);
}

static void on_compared(void *arg, const struct svc_move_table *t)
{
    struct report *rep = arg;
    if (!rep->header) {
        printf("%-32s %10s  %-16s  %s\n", "table", "rows", "checksum", "ok");
        rep->header = true;
    }
    if (t->same) {
        printf("%-32s %10lld  %.16s  ok\n", t->name, (long long)t->rows_from, t->sum_from);
        return;
    }
    printf("%-32s %10lld  %.16s  DIFFERENT: the destination has %lld rows, checksum %.16s\n", t->name,
           (long long)t->rows_from, t->sum_from, (long long)t->rows_to, t->sum_to);
}

/* The rollup compared with the records on the destination, inside its
 * transaction; what verifying rebuilds (stale months) is rolled back, so
 * the copy stays the source's.  The planner's statistics first (kept: they
 * commit with the copy): without them the records' case query for the
 * generated England ran on PostgreSQL for more than 8 minutes before it
 * was stopped; with them it takes 12.6 s. */
static int rollup_check(void *arg, struct store *to)
{
    (void)arg;
    struct svc_ctx c;
    svc_ctx_init(&c, to, svc_system_principal(), clock_now());
    if (store_analyze(to) != STORE_OK || store_begin(to) != STORE_OK)
        return -1;
    int rc = cli_rollup_verify(&c, NULL, NULL);
    store_rollback(to);
    return rc;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void report_done(const struct svc_move_result *r, const char *path, double secs)
{
    printf("tas: %lld tables, %lld rows copied: every table's rows and checksum the same on both sides\n",
           (long long)r->tables, (long long)r->rows);
    printf("tas: audit log intact on the destination: %lld entries verified, the newest (%lld) the source's\n",
           (long long)r->audit_to.checked, (long long)r->audit_to.head.id);
    printf("tas: moved in %.1f s\n", secs);
    const char *env = getenv("TAS_SECRET_KEY");
    if (!env || !*env)
        printf("tas: serve the destination with TAS_SECRET_KEY set to the 64 hex digits in %s.key\n", path);
}

int cli_migrate_store(int argc, char **argv)
{
    const char *from = NULL, *to = NULL;
    const struct cli_opt opts[] = {{"from", &from, NULL}, {"to", &to, NULL}, {0}};
    int done = cli_options(argc, argv, 1, opts, usage);
    if (done >= 0)
        return done;
    if (optind != argc || !from || !to)
        return cli_usage(usage);
    if (strncmp(from, "postgres", 8) == 0) {
        cli_fail("--from is a SQLite database: sqlite:PATH");
        return cli_usage(usage);
    }
    if (strncmp(to, "postgresql://", 13) != 0 && strncmp(to, "postgres://", 11) != 0) {
        cli_fail("--to is a PostgreSQL database: postgresql://...");
        return cli_usage(usage);
    }
    const char *path = strncmp(from, "sqlite:", 7) == 0 ? from + 7 : from;
    /* Opening would make an empty file where none is. */
    if (access(path, F_OK) != 0) {
        cli_fail("no database at %s", path);
        return CLI_FAIL;
    }
    /* The source's own key checks its chain, and then the copy's. */
    char err[256];
    if (!secrets_exist(from)) {
        cli_fail("no server key for %s (TAS_SECRET_KEY, or %s.key): its audit chain cannot be checked without it",
                 path, path);
        return CLI_FAIL;
    }
    if (secrets_load(from, err, sizeof err) != 0) {
        cli_fail("server key for %s: %s", path, err);
        return CLI_FAIL;
    }
    struct store *src = store_open(from, err, sizeof err);
    if (!src) {
        cli_fail("cannot open database %s: %s", path, err);
        return CLI_FAIL;
    }
    struct store *dst = store_open(to, err, sizeof err);
    if (!dst) {
        cli_fail("cannot open the destination: %s", err);
        store_close(src);
        return CLI_FAIL;
    }
    printf("tas: moving %s to %s\n", path, store_database_key(dst));
    printf("tas: %s is not copied: the destination keeps its own record of the same migrations\n",
           SVC_MOVE_SKIPPED);
    fflush(stdout);

    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct report rep = {0};
    const struct svc_move_hooks hooks = {
        .arg = &rep, .progress = on_progress, .compared = on_compared, .before_commit = rollup_check};
    struct svc_move_result r;
    enum svc_status st = svc_move_store(src, dst, &hooks, &r);
    if (st == SVC_OK)
        report_done(&r, path, seconds_since(&t0));
    else
        cli_fail("%s; nothing was committed%s", r.why,
                 r.migrated ? " (the destination's schema was made by the migrations)" : "");
    store_close(dst);
    store_close(src);
    return st == SVC_OK ? CLI_OK : CLI_FAIL;
}
