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
    static const struct option opts[] = {{"db", required_argument, 0, 'd'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd') db = optarg;
        else if (c == 'h') { usage(stdout); return CLI_OK; }
        else { usage(stderr); return CLI_USAGE; }
    }
    if (optind != argc) {
        usage(stderr);
        return CLI_USAGE;
    }
    struct store *s = cli_open_db(db);
    if (!s)
        return CLI_FAIL;
    printf("tas: %s is at schema version %d\n", db, store_schema_version(s));
    store_close(s);
    return CLI_OK;
}
