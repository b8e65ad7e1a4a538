/* tas import outcomes: a pupil's outcome records from a CSV file, one kind
 * per file, all or nothing (docs/outcomes.md has the column layouts).
 * tas import school-counts: the evaluation's pupils on roll and counts of
 * one kind per school and year (docs/evaluation.md), as /evaluation/import. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/calendar.h"
#include "lib/csv.h"
#include "service/svc_evaluation.h"
#include "service/svc_outcomes.h"

static void usage(FILE *f)
{
    fputs("Usage: tas import outcomes --db PATH --kind KIND --csv FILE [--dry-run]\n"
          "Imports a pupil's outcome records from a CSV file with a header line, one kind\n"
          "per file.  Every row is checked first; if any is bad, each bad row is named by\n"
          "its line with the reason, and nothing is imported.  Each record is written to\n"
          "the audit trail.  Columns per kind (docs/outcomes.md):\n", f);
    for (int k = 0; k < OUT__COUNT; k++)
        fprintf(f, "  %-15s %s\n", outcome_kind_code((enum outcome_kind)k),
                svc_outcome_csv_header((enum outcome_kind)k));
    fputs("  --dry-run   check and report what would be imported; write nothing\n"
          "Dates are YYYY-MM-DD or DD/MM/YYYY; an empty end date means still going.\n"
          "\n"
          "Usage: tas import school-counts --db PATH --authority ID --kind KIND --csv FILE [--dry-run]\n"
          "Imports the evaluation's pupils on roll and counts of one kind (e.g. early_help,\n"
          "suspensions, or a new code of a-z, 0-9 and _) per school and academic year, from\n"
          "a CSV file with the header school,year,group,pupils,count (as tas evaluate did;\n"
          "school is the URN, group tas or comparison as tas holds it).  All or nothing,\n"
          "each bad row named by its line.\n"
          "\n"
          "Usage: tas import gias FILE [--db PATH] [--dry-run]\n"
          "Schools from a GIAS establishment file (tas import gias --help).\n"
          "\n"
          "Usage: tas import ctf --db PATH FILE [--dry-run]   (tas import ctf --help)\n", f);
}

static int run(const char *db, enum outcome_kind kind, const char *csv, bool dry)
{
    FILE *in = fopen(csv, "r");
    if (!in) {
        cli_fail("cannot read %s", csv);
        return CLI_FAIL;
    }
    struct svc_ctx ctx;
    struct store *s = cli_open_system(db, &ctx);
    if (!s) {
        fclose(in);
        return CLI_FAIL;
    }
    struct outcome_csv_result res;
    struct cli_progress pr;
    cli_progress_start(&pr, "outcomes", "rows", in);
    enum svc_status st = svc_outcomes_import_csv(&ctx, in, kind, dry, cli_progress, cli_progress_checked, &pr, &res);
    fclose(in);
    store_close(s);
    for (size_t i = 0; i < res.nproblems; i++)
        printf("line %zu: %s: %s\n", res.problems[i].line, res.problems[i].field, res.problems[i].why);
    size_t nbad = res.nproblems;
    svc_outcome_csv_free(&res);
    if (nbad > 0 || st == SVC_INVALID) {
        printf("tas: %zu problems in %s; nothing was imported\n", nbad, csv);
        return CLI_FAIL;
    }
    if (st != SVC_OK) {
        cli_fail("import of %s failed (%s); nothing was imported", csv, svc_status_text(st));
        return CLI_FAIL;
    }
    printf(dry ? "tas: dry run: %zu %s records for %zu pupils would be imported; nothing was written\n"
               : "tas: imported %zu %s records for %zu pupils\n",
           res.rep.rows, outcome_kind_code(kind), res.rep.pupils);
    return CLI_OK;
}

#define MAX_COUNTS_BYTES (16u << 20)

static int run_school_counts(const char *db, const char *authority, const char *kind, const char *csv, bool dry)
{
    long a;
    if (cli_number(authority, 1, 2147483647L, &a) != 0) {
        cli_fail("--authority must be an authority's id");
        return CLI_USAGE;
    }
    char *text = cli_slurp(csv, MAX_COUNTS_BYTES);
    if (!text) {
        cli_fail("cannot read %s", csv);
        return CLI_FAIL;
    }
    struct store *s;
    struct svc_ctx ctx;
    struct eval_import *rep = cli_open_import(db, &ctx, sizeof *rep, &s);
    if (!rep) {
        free(text);
        return CLI_FAIL;
    }
    struct field_errors errs = {0};
    enum svc_status st = svc_eval_import(&ctx, a, kind, NULL, text, dry, rep, &errs);
    store_close(s);
    free(text);
    for (size_t i = 0; i < rep->nbad && i < EVAL_MAX_BAD; i++)
        printf("line %zu: %s\n", rep->bad[i].line, rep->bad[i].reason);
    int rc = CLI_OK;
    if (st == SVC_INVALID) {
        for (size_t i = 0; i < errs.count; i++)
            printf("tas: %s: %s\n", errs.items[i].field, errs.items[i].message);
        printf("tas: %zu problems in %s; nothing was imported\n", rep->nbad, csv);
        rc = CLI_FAIL;
    } else if (st != SVC_OK) {
        cli_fail("import failed (%s); nothing was imported", svc_status_text(st));
        rc = CLI_FAIL;
    } else {
        printf(dry ? "tas: dry run: %zu school-years of %s would be imported; nothing was written\n"
                   : "tas: imported %zu school-years of %s\n",
               rep->rows, kind);
    }
    free(rep);
    return rc;
}

int cli_import_gias(int argc, char **argv);   /* cli_gias.c */

int cli_import(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "gias") == 0)
        return cli_import_gias(argc - 1, argv + 1);
    const char *db = "tas.db", *kind = NULL, *csv = NULL, *authority = NULL;
    bool dry = false;
    const struct cli_opt opts[] = {{"db", &db, NULL},       {"kind", &kind, NULL},           {"csv", &csv, NULL},
                                   {"dry-run", NULL, &dry}, {"authority", &authority, NULL}, {0}};
    /* tas import ctf FILE: its own options (cli_ctf.c). */
    for (int i = 1; i < argc; i++) {
        bool value = i > 1 && argv[i - 1][0] == '-' && !strchr(argv[i - 1], '=') &&
                     strcmp(argv[i - 1], "--dry-run") != 0 && strcmp(argv[i - 1], "--help") != 0;
        if (!value && strcmp(argv[i], "ctf") == 0)
            return cli_import_ctf(argc, argv);
    }
    int done = cli_options(argc, argv, 1, opts, usage);
    if (done >= 0)
        return done;
    if (optind + 1 == argc && strcmp(argv[optind], "school-counts") == 0) {
        if (!kind || !csv || !authority) {
            usage(stderr);
            return CLI_USAGE;
        }
        return run_school_counts(db, authority, kind, csv, dry);
    }
    enum outcome_kind k = OUT_ATTENDANCE;
    bool known = kind && outcome_kind_from_code(kind, &k) == 0;
    if (optind + 1 != argc || strcmp(argv[optind], "outcomes") != 0 || !known || !csv) {
        if (kind && !known)
            cli_fail("unknown kind %s", kind);
        usage(stderr);
        return CLI_USAGE;
    }
    return run(db, k, csv, dry);
}
