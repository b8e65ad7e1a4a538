/* tas import gias FILE: schools from the DfE's "Get Information about
 * Schools" establishment file (docs/data-in-and-out.md), as /schools/import
 * does, with the progress on standard error. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "service/svc_gias.h"
#include "store/store.h"

int cli_import_gias(int argc, char **argv);

static void usage(FILE *f)
{
    fputs("Usage: tas import gias FILE [--db PATH] [--dry-run]\n"
          "Adds and updates schools from a GIAS establishment file (edubasealldataYYYYMMDD.csv\n"
          "or an extract, UTF-8 or Windows-1252), matched by URN: new schools are added,\n"
          "changed ones updated, closed ones marked closed.  Only authorities recorded in tas\n"
          "are touched; establishments of other LAs, and phases TAS does not work with, are\n"
          "counted and left alone.  Rows that cannot be read are listed by line with the\n"
          "reason and left out; everything else is written in one transaction.\n"
          "  --db PATH   database file (default tas.db)\n"
          "  --dry-run   count what would change; write nothing\n", f);
}

int cli_import_gias(int argc, char **argv)
{
    const char *db = "tas.db";
    bool dry = false;
    const struct cli_opt opts[] = {{"db", &db, NULL}, {"dry-run", NULL, &dry}, {0}};
    int done = cli_options(argc, argv, 1, opts, usage);
    if (done >= 0)
        return done;
    if (optind + 1 != argc)
        return cli_usage(usage);
    const char *path = argv[optind];
    FILE *in;
    struct store *s;
    struct svc_ctx ctx;
    struct gias_report *rep = cli_open_file_import(db, path, "r", &in, &ctx, sizeof *rep, &s);
    if (!rep)
        return CLI_FAIL;
    struct cli_progress pr;
    cli_progress_start(&pr, "gias", "rows", in);
    enum svc_status st = svc_gias_import(&ctx, in, dry, cli_progress, &pr, rep);
    fclose(in);
    store_close(s);
    int rc = CLI_OK;
    for (size_t i = 0; i < rep->nproblems; i++)
        printf("line %zu: %s%s%s\n", rep->problems[i].line, rep->problems[i].urn,
               rep->problems[i].urn[0] ? ": " : "", rep->problems[i].why);
    if (rep->rejected > rep->nproblems)
        printf("... and %zu more rejected rows\n", rep->rejected - rep->nproblems);
    if (st == SVC_INVALID) {
        cli_fail("%s: %s%s; nothing was imported", path,
                 strncmp(rep->missing, "the ", 4) ? "missing columns: " : "", rep->missing);
        rc = CLI_FAIL;
    } else if (st != SVC_OK) {
        cli_fail("import of %s failed (%s); nothing was imported", path, svc_status_text(st));
        rc = CLI_FAIL;
    } else {
        printf("tas: %s%zu rows: %zu added, %zu changed, %zu closed, %zu unchanged, %zu skipped "
               "(phase or closed), %zu outside (LA not in tas or out of scope), %zu rejected%s\n",
               dry ? "dry run: " : "", rep->lines, rep->added, rep->changed, rep->closed, rep->unchanged,
               rep->skipped, rep->outside, rep->rejected, dry ? "; nothing was written" : "");
    }
    free(rep);
    return rc;
}
