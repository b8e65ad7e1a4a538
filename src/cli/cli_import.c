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

/* What a column holds. */
enum col { C_UPN, C_START, C_END, C_CODE, C_POSSIBLE, C_MISSED, C_SESSIONS };

#define MAX_COLS 5

struct layout {
    enum outcome_kind kind;
    const char *header;
    size_t ncols;
    enum col cols[MAX_COLS];
};

/* The header of each kind's file, column for column. */
static const struct layout layouts[] = {
    {OUT_ATTENDANCE, "upn,term_start,term_end,sessions_possible,sessions_missed", 5,
     {C_UPN, C_START, C_END, C_POSSIBLE, C_MISSED}},
    {OUT_SUSPENSION, "upn,start_date,sessions,reason", 4, {C_UPN, C_START, C_SESSIONS, C_CODE}},
    {OUT_EXCLUSION, "upn,date,reason", 3, {C_UPN, C_START, C_CODE}},
    {OUT_PART_TIME, "upn,start_date,end_date", 3, {C_UPN, C_START, C_END}},
    {OUT_EHC_ASSESSMENT, "upn,date,status", 3, {C_UPN, C_START, C_CODE}},
    {OUT_EHC_PLAN, "upn,start_date,end_date", 3, {C_UPN, C_START, C_END}},
    {OUT_SOCIAL_CARE, "upn,category,start_date,end_date", 4, {C_UPN, C_CODE, C_START, C_END}},
    {OUT_AP_PLACEMENT, "upn,start_date,return_date", 3, {C_UPN, C_START, C_END}},
    {OUT_POST16, "upn,date,destination", 3, {C_UPN, C_START, C_CODE}},
    {OUT_FSM, "upn,start_date,end_date", 3, {C_UPN, C_START, C_END}},
    {OUT_PUPIL_PREMIUM, "upn,start_date,end_date", 3, {C_UPN, C_START, C_END}},
    {OUT_EAL, "upn,date", 2, {C_UPN, C_START}},
};

static void usage(FILE *f)
{
    fputs("Usage: tas import outcomes --db PATH --kind KIND --csv FILE [--dry-run]\n"
          "Imports a pupil's outcome records from a CSV file with a header line, one kind\n"
          "per file.  Every row is checked first; if any is bad, each bad row is named by\n"
          "its line with the reason, and nothing is imported.  Each record is written to\n"
          "the audit trail.  Columns per kind (docs/outcomes.md):\n", f);
    for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++)
        fprintf(f, "  %-15s %s\n", outcome_kind_code(layouts[i].kind), layouts[i].header);
    fputs("  --dry-run   check and report what would be imported; write nothing\n"
          "Dates are YYYY-MM-DD or DD/MM/YYYY; an empty end date means still going.\n"
          "\n"
          "Usage: tas import school-counts --db PATH --authority ID --kind KIND --csv FILE [--dry-run]\n"
          "Imports the evaluation's pupils on roll and counts of one kind (e.g. early_help,\n"
          "suspensions, or a new code of a-z, 0-9 and _) per school and academic year, from\n"
          "a CSV file with the header school,year,group,pupils,count (as tas evaluate did;\n"
          "school is the URN, group tas or comparison as tas holds it).  All or nothing,\n"
          "each bad row named by its line.\n", f);
}

static const struct layout *layout_for(const char *kind)
{
    enum outcome_kind k;
    if (outcome_kind_from_code(kind, &k) != 0)
        return NULL;
    for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++)
        if (layouts[i].kind == k)
            return &layouts[i];
    return NULL;
}

/* A date as MIS exports write them: YYYY-MM-DD or DD/MM/YYYY. */
static int parse_day(const char *s, int32_t *d)
{
    int dd, mm, yy;
    char tail;
    if (day_parse(s, d) == 0)
        return 0;
    if (strlen(s) != 10 || sscanf(s, "%2d/%2d/%4d%c", &dd, &mm, &yy, &tail) != 3)
        return -1;
    char iso[16];
    snprintf(iso, sizeof iso, "%04d-%02d-%02d", yy, mm, dd);
    return day_parse(iso, d);
}

/* A reason a line is bad, kept to be printed in line order at the end
 * (the file's own checks come before the service's). */
struct bad {
    size_t line, seq;
    char text[240];
};

struct import {
    const struct layout *lay;
    struct outcome_import_row *rows;
    size_t n, cap;
    struct bad *bad;
    size_t nbad, capbad;
};

static void bad_line(struct import *im, size_t line, const char *field, const char *why)
{
    if (im->nbad == im->capbad) {
        size_t cap = im->capbad ? 2 * im->capbad : 64;
        struct bad *x = realloc(im->bad, cap * sizeof *x);
        if (!x) {
            printf("line %zu: %s: %s\n", line, field, why);   /* out of memory: say it now */
            return;
        }
        im->bad = x;
        im->capbad = cap;
    }
    struct bad *b = &im->bad[im->nbad];
    b->line = line;
    b->seq = im->nbad++;
    snprintf(b->text, sizeof b->text, "line %zu: %s: %s", line, field, why);
}

static int by_line(const void *a, const void *b)
{
    const struct bad *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static size_t print_bad(struct import *im)
{
    if (im->nbad > 1)   /* qsort wants a real array, even of nothing */
        qsort(im->bad, im->nbad, sizeof *im->bad, by_line);
    for (size_t i = 0; i < im->nbad; i++)
        puts(im->bad[i].text);
    free(im->bad);
    return im->nbad;
}

static void bad_cb(void *arg, size_t line, const char *field, const char *why)
{
    bad_line(arg, line, field, why);
}

/* One field into the row; the reason it is bad, or NULL. */
static const char *field(enum col c, const char *v, struct outcome_import_row *r, const char **name)
{
    long n = 0;
    static const char *names[] = {"upn", "date", "end date", "code", "sessions_possible", "sessions_missed",
                                  "sessions"};
    *name = names[c];
    switch (c) {
    case C_UPN:
        if (!*v || strlen(v) >= sizeof r->upn)
            return "enter the pupil's 13-character UPN";
        snprintf(r->upn, sizeof r->upn, "%s", v);
        return NULL;
    case C_START:
        return parse_day(v, &r->rec.starts) ? "must be a real date, YYYY-MM-DD or DD/MM/YYYY" : NULL;
    case C_END:
        return *v && parse_day(v, &r->rec.ends) ? "must be empty or a real date" : NULL;
    case C_CODE:
        if (strlen(v) >= sizeof r->rec.code)
            return "is not a known code";
        snprintf(r->rec.code, sizeof r->rec.code, "%s", v);
        return NULL;
    default:
        if (cli_number(v, 0, 100000, &n) != 0)
            return "must be a whole number";
        if (c == C_POSSIBLE)
            r->rec.sessions_possible = n;
        else if (c == C_MISSED)
            r->rec.sessions_missed = n;
        else
            r->rec.sessions = n;
        return NULL;
    }
}

static int add_row(struct import *im, const struct outcome_import_row *r)
{
    if (im->n == im->cap) {
        size_t cap = im->cap ? 2 * im->cap : 256;
        struct outcome_import_row *x = realloc(im->rows, cap * sizeof *x);
        if (!x)
            return -1;
        im->rows = x;
        im->cap = cap;
    }
    im->rows[im->n++] = *r;
    return 0;
}

static int read_line(struct import *im, char *s, size_t line)
{
    char *f[MAX_COLS];
    int nf = csv_split(s, f, (int)im->lay->ncols);
    if (nf != (int)im->lay->ncols) {
        bad_line(im, line, "row", nf < 0 ? "a quote out of place" : "the columns must be those of the header");
        return 0;
    }
    struct outcome_import_row r = {.line = line, .rec = {.kind = im->lay->kind}};
    bool ok = true;
    for (size_t i = 0; i < im->lay->ncols; i++) {
        const char *name, *why = field(im->lay->cols[i], f[i], &r, &name);
        if (why) {
            bad_line(im, line, name, why);
            ok = false;
        }
    }
    return ok ? add_row(im, &r) : 0;
}

static int import_header(void *arg, const char *s)
{
    struct import *im = arg;
    if (strcmp(s, im->lay->header) != 0)
        bad_line(im, 1, "header", "the header must be the kind's columns (see --help)");
    return 0;
}

static int import_row(void *arg, char *s, size_t line)
{
    return read_line(arg, s, line);
}

static int read_file(FILE *in, struct import *im)
{
    size_t lines = 0;
    int rc = csv_each_line(in, import_header, import_row, im, &lines);
    if (rc == 0 && lines == 0)
        bad_line(im, 1, "header", "the file is empty");
    return rc;
}

static int run(const char *db, const struct layout *lay, const char *csv, bool dry)
{
    FILE *in = fopen(csv, "r");
    if (!in) {
        cli_fail("cannot read %s", csv);
        return CLI_FAIL;
    }
    struct import im = {.lay = lay};
    int rd = read_file(in, &im);
    fclose(in);
    struct store *s = rd == 0 ? cli_open_db(db) : NULL;
    if (!s) {
        if (rd != 0)
            cli_fail("cannot read %s", csv);
        free(im.rows);
        free(im.bad);
        return CLI_FAIL;
    }
    struct svc_ctx ctx;
    svc_ctx_init(&ctx, s, svc_system_principal(), clock_now());
    struct outcome_import_report rep;
    /* Rows with bad fields are out already; the service checks the rest
     * (and, with any bad row, writes nothing). */
    enum svc_status st = svc_outcomes_import(&ctx, im.rows, im.n, dry || im.nbad > 0, bad_cb, &im, &rep);
    store_close(s);
    free(im.rows);
    const char *kind = outcome_kind_code(lay->kind);
    size_t nbad = print_bad(&im);
    if (nbad > 0 || st == SVC_INVALID) {
        printf("tas: %zu problems in %s; nothing was imported\n", nbad, csv);
        return CLI_FAIL;
    }
    if (st != SVC_OK) {
        cli_fail("import failed (%s); nothing was imported", svc_status_text(st));
        return CLI_FAIL;
    }
    printf(dry ? "tas: dry run: %zu %s records for %zu pupils would be imported; nothing was written\n"
               : "tas: imported %zu %s records for %zu pupils\n",
           rep.rows, kind, rep.pupils);
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
    struct store *s = cli_open_db(db);
    struct eval_import *rep = s ? calloc(1, sizeof *rep) : NULL;
    if (!rep) {
        free(text);
        if (s)
            store_close(s);
        return CLI_FAIL;
    }
    struct svc_ctx ctx;
    svc_ctx_init(&ctx, s, svc_system_principal(), clock_now());
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

int cli_import(int argc, char **argv)
{
    const char *db = "tas.db", *kind = NULL, *csv = NULL, *authority = NULL;
    bool dry = false;
    static const struct option opts[] = {{"db", required_argument, 0, 'd'}, {"kind", required_argument, 0, 'k'},
                                         {"csv", required_argument, 0, 'c'}, {"dry-run", no_argument, 0, 'n'},
                                         {"authority", required_argument, 0, 'a'},
                                         {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd') db = optarg;
        else if (c == 'k') kind = optarg;
        else if (c == 'c') csv = optarg;
        else if (c == 'n') dry = true;
        else if (c == 'a') authority = optarg;
        else if (c == 'h') { usage(stdout); return CLI_OK; }
        else { usage(stderr); return CLI_USAGE; }
    }
    if (optind + 1 == argc && strcmp(argv[optind], "school-counts") == 0) {
        if (!kind || !csv || !authority) {
            usage(stderr);
            return CLI_USAGE;
        }
        return run_school_counts(db, authority, kind, csv, dry);
    }
    const struct layout *lay = kind ? layout_for(kind) : NULL;
    if (optind + 1 != argc || strcmp(argv[optind], "outcomes") != 0 || !lay || !csv) {
        if (kind && !lay)
            cli_fail("unknown kind %s", kind);
        usage(stderr);
        return CLI_USAGE;
    }
    return run(db, lay, csv, dry);
}
