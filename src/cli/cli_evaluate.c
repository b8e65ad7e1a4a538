/* tas evaluate did: the rates per 100 pupils, their difference-in-differences
 * and the two-way fixed-effects regression (core/evaluate.h) from a
 * school-year panel in a CSV file, as JSON.  A file with any bad row is
 * refused as a whole, every bad row named by its line. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/evaluate.h"
#include "lib/csv.h"

#define HEADER "school,year,group,pupils,count"
#define MAX_YEARS 32
#define MAX_REPORTED 20
#define MAX_SCHOOL_LEN 100

static void usage(FILE *f)
{
    fputs("Usage: tas evaluate did --csv FILE --pre YEAR[,YEAR...] --post YEAR[,YEAR...]\n"
          "Did it work?  Reads a school-year panel, a CSV file with the header\n"
          "  " HEADER "\n"
          "(group is tas or comparison; year is the academic year, 2024 for 2024/25;\n"
          "count is the events of one kind, e.g. referrals to a service, that year) and\n"
          "prints, as JSON, for TAS and comparison schools before and after: the rate per\n"
          "100 pupils and \"1 in N\", the change, the difference-in-differences (TAS change\n"
          "minus comparison change), and a two-way fixed-effects regression weighted by\n"
          "pupils with a standard error clustered by school and a 95% interval; with two\n"
          "or more years before, an event study checks the trends before TAS.  An\n"
          "association, not proof of cause: see docs/evaluation.md.\n"
          "  --csv FILE      the panel; a file with a bad row is refused, naming its lines\n"
          "  --pre YEARS     the years before TAS\n"
          "  --post YEARS    the years after (each after every year before); rows of\n"
          "                  other years are left out\n", f);
}

/* ---- reading the panel ----------------------------------------------------- */

struct panel_file {
    struct ev_row *rows;
    size_t *line;            /* the file's line of each row */
    size_t n, cap;
    char **school;           /* school names; a row's school is its index here */
    size_t nschool, capschool;
    char errors[2048];       /* "line N: reason; ..." */
    size_t nerrors;
};

static void bad_line(struct panel_file *pf, size_t line, const char *why)
{
    if (pf->nerrors++ < MAX_REPORTED) {
        size_t len = strlen(pf->errors);
        snprintf(pf->errors + len, sizeof pf->errors - len, "%sline %zu: %s", len ? "; " : "", line, why);
    }
}

static long school_id(struct panel_file *pf, const char *name)
{
    for (size_t i = 0; i < pf->nschool; i++)
        if (!strcmp(pf->school[i], name))
            return (long)i;
    if (pf->nschool == pf->capschool) {
        size_t cap = pf->capschool ? 2 * pf->capschool : 64;
        char **x = realloc(pf->school, cap * sizeof *x);
        if (!x)
            return -1;
        pf->school = x;
        pf->capschool = cap;
    }
    char *copy = strdup(name);
    if (!copy)
        return -1;
    pf->school[pf->nschool] = copy;
    return (long)pf->nschool++;
}

static int add_row(struct panel_file *pf, const struct ev_row *r, size_t line)
{
    if (pf->n == pf->cap) {
        size_t cap = pf->cap ? 2 * pf->cap : 256;
        struct ev_row *x = realloc(pf->rows, cap * sizeof *x);
        if (!x)
            return -1;
        pf->rows = x;
        size_t *l = realloc(pf->line, cap * sizeof *l);
        if (!l)
            return -1;
        pf->line = l;
        pf->cap = cap;
    }
    pf->rows[pf->n] = *r;
    pf->line[pf->n++] = line;
    return 0;
}

/* The reason a row's fields are bad, or NULL; fills r (school left to the caller). */
static const char *parse_fields(char **f, struct ev_row *r)
{
    long year, pupils, count;
    if (!f[0][0])
        return "the school is empty";
    if (strlen(f[0]) > MAX_SCHOOL_LEN)
        return "the school is longer than 100 characters";
    if (cli_number(f[1], 1900, 2200, &year) != 0)
        return "the year must be a whole number from 1900 to 2200";
    if (strcmp(f[2], "tas") && strcmp(f[2], "comparison"))
        return "the group must be tas or comparison";
    if (cli_number(f[3], 1, 10000000, &pupils) != 0)
        return "pupils must be a whole number of at least 1";
    if (cli_number(f[4], 0, 1000000000, &count) != 0)
        return "the count must be a whole number, 0 or more";
    *r = (struct ev_row){.year = (int)year, .group = strcmp(f[2], "tas") ? EV_COMPARISON : EV_TAS,
                         .pupils = pupils, .count = count};
    return NULL;
}

/* One data line; -1 when out of memory. */
static int read_line(struct panel_file *pf, char *s, size_t line)
{
    char *f[5];
    int nf = csv_split(s, f, 5);
    if (nf != 5) {
        bad_line(pf, line, nf < 0 ? "a quote out of place" : "5 fields are needed: " HEADER);
        return 0;
    }
    struct ev_row r;
    const char *why = parse_fields(f, &r);
    if (why) {
        bad_line(pf, line, why);
        return 0;
    }
    long id = school_id(pf, f[0]);
    r.school = id;
    return id < 0 ? -1 : add_row(pf, &r, line);
}

static int panel_header(void *arg, const char *s)
{
    if (strcmp(s, HEADER))
        bad_line(arg, 1, "the header must be " HEADER);
    return 0;
}

static int panel_row(void *arg, char *s, size_t line)
{
    return read_line(arg, s, line);
}

/* Reads the whole file; 0 read (pf->nerrors may still name bad lines), -1 could not. */
static int read_panel(FILE *in, struct panel_file *pf)
{
    size_t lines = 0;
    int rc = csv_each_line(in, panel_header, panel_row, pf, &lines);
    if (rc == 0 && lines == 0)
        bad_line(pf, 1, "the file is empty; the header must be " HEADER);
    return rc;
}

static void panel_file_free(struct panel_file *pf)
{
    for (size_t i = 0; i < pf->nschool; i++)
        free(pf->school[i]);
    free(pf->school);
    free(pf->rows);
    free(pf->line);
}

/* ---- the JSON ------------------------------------------------------------------ */

/* A number, or null for NaN and infinity (JSON has neither). */
static json_t *num(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

static json_t *years_json(const int *y, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_integer(y[i]));
    return a;
}

static json_t *cell_json(const struct ev_cell *c)
{
    return json_pack("{s:o, s:o, s:I, s:I, s:I, s:I}", "rate_per_100", num(c->rate_per_100), "one_in",
                     num(c->one_in), "count", (json_int_t)c->count, "pupils", (json_int_t)c->pupils, "schools",
                     (json_int_t)c->schools, "school_years", (json_int_t)c->rows);
}

static json_t *group_json(const struct ev_table *t, int g)
{
    return json_pack("{s:o, s:o, s:o, s:o}", "pre", cell_json(&t->cell[g][EV_PRE]), "post",
                     cell_json(&t->cell[g][EV_POST]), "change_per_100", num(t->change_per_100[g]), "change_pct",
                     num(t->change_pct[g]));
}

static json_t *fit_json(const struct ev_fit *f)
{
    return json_pack("{s:s, s:o, s:o, s:s, s:[o,o], s:s, s:o, s:i, s:I, s:I, s:I, s:I, s:I, s:I}", "model",
                     "rate_per_100 ~ treat + school + year, weighted by pupils (two-way fixed effects); "
                     "treat = TAS school in a year after",
                     "estimate", num(f->estimate), "se_cluster", num(f->se_cluster), "se_type",
                     "CR1, clustered by school: G/(G-1) * (n-1)/(n-k), as R sandwich::vcovCL(type = \"HC1\") "
                     "and Stata's vce(cluster)",
                     "ci95", num(f->ci95[0]), num(f->ci95[1]), "ci95_method", "t with G-1 degrees of freedom",
                     "t_critical", num(f->t_crit), "df", f->df, "schools", (json_int_t)f->schools, "schools_tas",
                     (json_int_t)f->schools_tas, "schools_comparison", (json_int_t)f->schools_comparison,
                     "school_years", (json_int_t)f->observations, "parameters", (json_int_t)f->parameters, "pupils",
                     (json_int_t)f->pupils);
}

/* The regression's numbers, or why there are none. */
static json_t *regression_json(enum ev_error e, const struct ev_fit *f)
{
    if (e != EV_OK)
        return json_pack("{s:s}", "error", ev_error_text(e));
    return fit_json(f);
}

/* The event study's coefficients and pre-trend test, or why there are none. */
static json_t *event_json(enum ev_error e, const struct ev_event_study *es)
{
    if (e != EV_OK)
        return json_pack("{s:s}", "error", ev_error_text(e));
    json_t *years = json_array();
    for (size_t i = 0; i < es->nyears; i++) {
        const struct ev_event_year *y = &es->year[i];
        json_array_append_new(years, json_pack("{s:i, s:s, s:o, s:o, s:[o,o]}", "year", y->year, "period",
                                               i < es->leads ? "pre" : "post", "estimate", num(y->estimate),
                                               "se_cluster", num(y->se_cluster), "ci95", num(y->ci95[0]),
                                               num(y->ci95[1])));
    }
    return json_pack("{s:s, s:i, s:o, s:{s:I, s:o, s:I, s:i, s:o}}", "meaning",
                     "each year's TAS - comparison gap in the rate per 100, less the gap in the reference year; "
                     "a joint test of the pre years' gaps: a small p_value is evidence against parallel trends "
                     "before TAS, a large one is not proof of them",
                     "reference_year", es->reference_year, "years", years, "pre_trend_test", "leads",
                     (json_int_t)es->leads, "F", num(es->f_stat), "df1", (json_int_t)es->leads, "df2", es->df,
                     "p_value", num(es->p_value));
}

static json_t *result_json(const struct ev_panel *p, const struct ev_table *t, enum ev_error fe,
                           const struct ev_fit *f, json_t *event)
{
    size_t used = 0;
    for (int g = 0; g < 2; g++)
        used += t->cell[g][EV_PRE].rows + t->cell[g][EV_POST].rows;
    return json_pack("{s:s, s:s, s:o, s:o, s:{s:o, s:o}, s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:I}", "label",
                     "association, not proof of cause", "sign_convention",
                     "change = after - before; difference-in-differences = TAS change - comparison change",
                     "pre", years_json(p->pre, p->npre), "post", years_json(p->post, p->npost), "groups", "tas",
                     group_json(t, EV_TAS), "comparison", group_json(t, EV_COMPARISON), "did_per_100",
                     num(t->did_per_100), "did_pct", num(t->did_pct), "did_one_in", num(t->did_one_in),
                     "regression", regression_json(fe, f), "event_study", event, "schools", (json_int_t)f->schools, "pupils",
                     (json_int_t)f->pupils, "school_years", (json_int_t)used, "rows_left_out",
                     (json_int_t)(p->n - used));
}

/* ---- the command ---------------------------------------------------------------- */

/* "2022,2023" into y (at most MAX_YEARS); 0 ok. */
static int parse_years(const char *s, int *y, size_t *n)
{
    char buf[400], *save = NULL;
    if (strlen(s) >= sizeof buf)
        return -1;
    strcpy(buf, s);
    *n = 0;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        long v;
        if (*n == MAX_YEARS || cli_number(t, 1900, 2200, &v) != 0)
            return -1;
        y[(*n)++] = (int)v;
    }
    return *n ? 0 : -1;
}

/* The panel's own errors (duplicates, a school in both groups, an empty
 * group): one line naming the file and, when there is one, the line. */
static int panel_error(const char *file, const struct panel_file *pf, enum ev_error e, size_t bad)
{
    if (bad < pf->n)
        cli_fail("%s: line %zu: %s; nothing computed", file, pf->line[bad], ev_error_text(e));
    else
        cli_fail("%s: %s; nothing computed", file, ev_error_text(e));
    return CLI_FAIL;
}

static int print_result(const char *file, struct panel_file *pf, struct ev_panel *p)
{
    p->rows = pf->rows;
    p->n = pf->n;
    struct ev_table t;
    struct ev_fit f;
    size_t bad;
    enum ev_error e = ev_table(p, &t, &bad);
    if (e != EV_OK)
        return panel_error(file, pf, e, bad);
    enum ev_error fe = ev_twfe(p, &f, &bad);
    if (fe == EV_ERR_NOMEM)
        return panel_error(file, pf, fe, SIZE_MAX);
    struct ev_event_study *es = malloc(sizeof *es);
    enum ev_error ee = es ? ev_event_study(p, es, &bad) : EV_ERR_NOMEM;
    json_t *j = ee == EV_ERR_NOMEM ? NULL : result_json(p, &t, fe, &f, event_json(ee, es));
    free(es);
    if (!j || json_dumpf(j, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15)) != 0) {
        json_decref(j);
        cli_fail("cannot write the result");
        return CLI_FAIL;
    }
    json_decref(j);
    putchar('\n');
    return CLI_OK;
}

static int did(const char *file, struct ev_panel *p)
{
    FILE *in = fopen(file, "r");
    if (!in) {
        cli_fail("cannot open %s: %s", file, strerror(errno));
        return CLI_FAIL;
    }
    struct panel_file pf = {0};
    int rc = read_panel(in, &pf);
    fclose(in);
    if (rc != 0)
        cli_fail("cannot read %s", file);
    else if (pf.nerrors) {
        cli_fail("%s: %zu bad row%s, nothing computed: %s%s", file, pf.nerrors, pf.nerrors == 1 ? "" : "s", pf.errors,
                 pf.nerrors > MAX_REPORTED ? "; ..." : "");
        rc = -1;
    }
    if (rc == 0)
        rc = print_result(file, &pf, p);
    panel_file_free(&pf);
    return rc == 0 ? CLI_OK : CLI_FAIL;
}

int cli_evaluate(int argc, char **argv)
{
    const char *csv = NULL, *pre = NULL, *post = NULL;
    static const struct option opts[] = {{"csv", required_argument, 0, 'c'}, {"pre", required_argument, 0, 'p'},
                                         {"post", required_argument, 0, 'q'}, {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'c') csv = optarg;
        else if (c == 'p') pre = optarg;
        else if (c == 'q') post = optarg;
        else if (c == 'h') { usage(stdout); return CLI_OK; }
        else { usage(stderr); return CLI_USAGE; }
    }
    int ypre[MAX_YEARS], ypost[MAX_YEARS];
    struct ev_panel p = {.pre = ypre, .post = ypost};
    size_t bad;
    if (optind + 1 != argc || strcmp(argv[optind], "did") || !csv || !pre || !post ||
        parse_years(pre, ypre, &p.npre) != 0 || parse_years(post, ypost, &p.npost) != 0 ||
        ev_check(&p, &bad) != EV_OK) {
        usage(stderr);
        return CLI_USAGE;
    }
    return did(csv, &p);
}
