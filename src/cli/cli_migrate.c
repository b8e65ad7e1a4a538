/* tas migrate: bring a database's schema up to date. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "store/store.h"

static void usage(FILE *f)
{
    fputs("Usage: tas migrate [--db PATH]\n"
          "Applies any schema changes this version of tas needs. Safe to run again.\n"
          "  --db PATH   database file (default tas.db)\n", f);
}

int cli_migrate(int argc, char **argv)
{
    const char *db = "tas.db";
    const struct cli_opt opts[] = {{"db", &db, NULL}, {0}};
    int done = cli_options(argc, argv, 1, opts, usage);
    if (done >= 0)
        return done;
    if (optind != argc)
        return cli_usage(usage);
    struct store *s = cli_open_db(db);
    if (!s)
        return CLI_FAIL;
    printf("tas: %s is at schema version %d\n", db, store_schema_version(s));
    store_close(s);
    return CLI_OK;
}
