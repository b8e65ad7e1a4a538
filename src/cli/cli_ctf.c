/* tas import ctf: pupils from a Common Transfer File (service/svc_ctf.h),
 * read as a stream from the file, all or nothing, with a report. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "service/svc_ctf.h"

static void usage(FILE *f)
{
    fputs("Usage: tas import ctf --db PATH FILE [--dry-run] [--transfer-in]\n"
          "Imports the pupils of a Common Transfer File (CTF XML, as school MIS export it):\n"
          "pupils matched by UPN at the file's source school (its URN) are added or brought\n"
          "up to date, and their attendance, exclusions and free school meals periods become\n"
          "outcome records (docs/outcomes.md).  All or nothing: any refused pupil, or XML\n"
          "that is malformed part-way, and nothing is imported.  Refused pupils are named\n"
          "by their place in the file and line, never by name.\n"
          "  --dry-run      check and report what would be imported; write nothing\n"
          "  --transfer-in  the file brings pupils joining its destination school (DestSchool)\n"
          "                 from another school: they are added or updated there, and a pupil\n"
          "                 of the source school recorded here is moved\n", f);
}

/* Refused pupils or notes, one a line, by their place in the file. */
static void print_entries(const char *prefix, const struct ctf_entry *list, size_t n, size_t all, const char *what)
{
    for (size_t i = 0; i < n; i++)
        printf("%spupil %zu (line %ld)%s%s: %s: %s\n", prefix, list[i].index, list[i].line,
               list[i].upn[0] ? ", UPN " : "", list[i].upn, list[i].field, list[i].text);
    if (all > n)
        printf("... and %zu more %s\n", all - n, what);
}

int cli_import_ctf(int argc, char **argv)
{
    const char *db = "tas.db";
    bool dry = false, transfer_in = false;
    const struct cli_opt opts[] = {
        {"db", &db, NULL}, {"dry-run", NULL, &dry}, {"transfer-in", NULL, &transfer_in}, {0}};
    int done = cli_options(argc, argv, 1, opts, usage);
    if (done >= 0)
        return done;
    /* argv[optind] is "ctf", then the file. */
    if (optind + 2 != argc || strcmp(argv[optind], "ctf") != 0) {
        usage(stderr);
        return CLI_USAGE;
    }
    const char *path = argv[optind + 1];
    FILE *in;
    struct store *s;
    struct svc_ctx ctx;
    struct ctf_report *rep = cli_open_file_import(db, path, "rb", &in, &ctx, sizeof *rep, &s);
    if (!rep)
        return CLI_FAIL;
    struct field_errors errs = {0};
    struct cli_progress pr;
    cli_progress_start(&pr, "ctf", "pupils", in);
    enum svc_status st = svc_ctf_import(&ctx, in, dry, transfer_in, cli_progress, &pr, rep, &errs);
    fclose(in);
    store_close(s);
    int rc = CLI_OK;
    for (size_t i = 0; i < errs.count; i++)
        printf("tas: %s\n", errs.items[i].message);
    if (rep->malformed)
        printf("line %ld: %s\n", rep->error_line, rep->error);
    print_entries("", rep->rejects, rep->nrejects, rep->rejected, "refused pupils");
    print_entries("note: ", rep->notelist, rep->nnotes, rep->notes, "notes");
    printf("tas: %zu pupils read: %zu added, %zu changed (%zu by their former UPN, %zu moved from the source "
           "school), %zu unchanged, %zu refused; %zu outcome records added, %zu updated, %zu already stored; %zu "
           "lunchtime exclusions (kept as their own records)\n",
           rep->pupils, rep->added, rep->changed, rep->upn_replaced, rep->moved, rep->unchanged, rep->rejected,
           rep->outcomes_added, rep->outcomes_updated, rep->outcomes_kept, rep->lunchtimes);
    if (st == SVC_OK) {
        printf(dry ? "tas: dry run: nothing was written\n" : "tas: imported into %s\n",
               transfer_in ? rep->dest.name : rep->source.name);
    } else {
        if (st == SVC_FORBIDDEN)
            cli_fail("you may not create pupils at the file's school");
        else if (st == SVC_ERROR)
            cli_fail("import failed (%s)", svc_status_text(st));
        printf("tas: nothing was imported\n");
        rc = CLI_FAIL;
    }
    free(rep);
    return rc;
}
