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
#include "core/matching.h"
#include "lib/csv.h"
#include "lib/grow.h"
#include "web/evaluation_json.h"

#define HEADER "school,year,group,pupils,count"
#define SCHOOLS_HEADER "school,group,phase,pupils,fsm_pct,sen_pct,prior_rate"
#define MAX_SCHOOLS 5000
#define MAX_YEARS 32
#define MAX_REPORTED 20
#define MAX_SCHOOL_LEN 100

static void usage(FILE *f)
{
    fputs("Usage: tas evaluate did --csv FILE --pre YEAR[,YEAR...] --post YEAR[,YEAR...] [--cost POUNDS]\n"
          "Did it work?  Reads a school-year panel, a CSV file with the header\n"
          "  " HEADER "\n"
          "(group is tas or comparison; year is the academic year, 2024 for 2024/25;\n"
          "count is the events of one kind, e.g. referrals to a service, that year) and\n"
          "prints, as JSON, for TAS and comparison schools before and after: the rate per\n"
          "100 pupils and \"1 in N\", the change, the difference-in-differences (TAS change\n"
          "minus comparison change), and a two-way fixed-effects regression weighted by\n"
          "pupils with a standard error clustered by school and a 95% interval; with two\n"
          "or more years before, an event study checks the trends before TAS; a Poisson\n"
          "model of the counts with pupils as exposure gives the DiD as a rate ratio.  An\n"
          "association, not proof of cause: see docs/evaluation.md.\n"
          "  --csv FILE      the panel; a file with a bad row is refused, naming its lines\n"
          "  --pre YEARS     the years before TAS\n"
          "  --post YEARS    the years after (each after every year before); rows of\n"
          "                  other years are left out\n"
          "  --cost POUNDS   the programme's cost: adds the cost per event avoided\n"
          "\n"
          "Usage: tas evaluate match --csv SCHOOLS [--k N] [--caliper SD] [--replace] [--seed N]\n"
          "Chooses comparison schools like the TAS schools: reads a CSV file with the header\n"
          "  " SCHOOLS_HEADER "\n"
          "(one row per school, group tas or comparison, the covariates from before TAS) and\n"
          "matches each TAS school to its nearest comparison schools of the same phase on a\n"
          "Euclidean distance of the covariates standardised by their pooled SD, closest\n"
          "pair first; prints the pairs and the balance table (standardised mean\n"
          "differences before and after) as JSON.\n"
          "  --k N           comparison schools per TAS school (default 1, at most 100)\n"
          "  --caliper SD    the largest distance allowed, in pooled SDs (default none)\n"
          "  --replace       a comparison school may serve more than one TAS school\n"
          "  --seed N        order pairs at equal distances by a draw from N (default: file order)\n", f);
}

/* ---- reading a CSV file: every bad line named, nothing half-read ---------------- */

struct bad_lines {
    char text[2048];         /* "line N: reason; ..." */
    size_t n;
};

static void bad_line(struct bad_lines *b, size_t line, const char *why)
{
    if (b->n++ < MAX_REPORTED) {
        size_t len = strlen(b->text);
        snprintf(b->text + len, sizeof b->text - len, "%sline %zu: %s", len ? "; " : "", line, why);
    }
}

/* Distinct names (schools, phases), each by its index. */
struct names {
    char **v;
    size_t n, cap;
};

struct panel_file {
    struct ev_row *rows;
    size_t *line;            /* the file's line of each row */
    size_t n, cap;
    struct names school;     /* a row's school is its index here */
};

/* The index of name, added if new; -1 when out of memory. */
static long name_id(struct names *nm, const char *name)
{
    for (size_t i = 0; i < nm->n; i++)
        if (!strcmp(nm->v[i], name))
            return (long)i;
    char **x = array_grow(nm->v, nm->n, &nm->cap, sizeof *x, 64);
    if (!x)
        return -1;
    nm->v = x;
    char *copy = strdup(name);
    if (!copy)
        return -1;
    nm->v[nm->n] = copy;
    return (long)nm->n++;
}

static void names_free(struct names *nm)
{
    for (size_t i = 0; i < nm->n; i++)
        free(nm->v[i]);
    free(nm->v);
}

static int add_row(struct panel_file *pf, const struct ev_row *r, size_t line)
{
    size_t rows_cap = pf->cap;   /* rows and lines grow together; the second sets pf->cap */
    struct ev_row *x = array_grow(pf->rows, pf->n, &rows_cap, sizeof *x, 256);
    if (!x)
        return -1;
    pf->rows = x;
    size_t *l = array_grow(pf->line, pf->n, &pf->cap, sizeof *l, 256);
    if (!l)
        return -1;
    pf->line = l;
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

/* A file's layout: its header and the handler of each data line, which
 * names a bad line in bad and returns 0, or returns -1 when out of memory. */
struct csv_layout {
    const char *header;
    int (*line)(void *ctx, char *s, size_t line, struct bad_lines *bad);
};

/* Reads the whole file; 0 read (bad may still name bad lines), -1 could not. */
static int read_csv(FILE *in, const struct csv_layout *l, void *ctx, struct bad_lines *bad)
{
    char *s = NULL, why[200];
    size_t cap = 0, line = 0;
    int rc = 0;
    snprintf(why, sizeof why, "the header must be %s", l->header);
    while (rc == 0 && getline(&s, &cap, in) != -1) {
        csv_chomp(s, ++line);
        if (line == 1) {
            if (strcmp(s, l->header))
                bad_line(bad, 1, why);
        } else if (s[strspn(s, " \t")]) {
            rc = l->line(ctx, s, line, bad);
        }
    }
    if (rc == 0 && ferror(in))
        rc = -1;
    if (rc == 0 && line == 0) {
        snprintf(why, sizeof why, "the file is empty; the header must be %s", l->header);
        bad_line(bad, 1, why);
    }
    free(s);
    return rc;
}

/* Opens and reads file; 0 read, else -1 after saying why (it cannot be
 * read, or every bad line). */
static int load_csv(const char *file, const struct csv_layout *l, void *ctx)
{
    FILE *in = fopen(file, "r");
    if (!in) {
        cli_fail("cannot open %s: %s", file, strerror(errno));
        return -1;
    }
    struct bad_lines bad = {0};
    int rc = read_csv(in, l, ctx, &bad);
    fclose(in);
    if (rc != 0)
        cli_fail("cannot read %s", file);
    else if (bad.n) {
        cli_fail("%s: %zu bad row%s, nothing computed: %s%s", file, bad.n, bad.n == 1 ? "" : "s", bad.text,
                 bad.n > MAX_REPORTED ? "; ..." : "");
        rc = -1;
    }
    return rc;
}

/* One data line of the panel; -1 when out of memory. */
static int panel_line(void *ctx, char *s, size_t line, struct bad_lines *bad)
{
    struct panel_file *pf = ctx;
    char *f[5];
    int nf = csv_split(s, f, 5);
    if (nf != 5) {
        bad_line(bad, line, nf < 0 ? "a quote out of place" : "5 fields are needed: " HEADER);
        return 0;
    }
    struct ev_row r;
    const char *why = parse_fields(f, &r);
    if (why) {
        bad_line(bad, line, why);
        return 0;
    }
    long id = name_id(&pf->school, f[0]);
    r.school = id;
    return id < 0 ? -1 : add_row(pf, &r, line);
}

static void panel_file_free(struct panel_file *pf)
{
    names_free(&pf->school);
    free(pf->rows);
    free(pf->line);
}

/* ---- tas evaluate match ---------------------------------------------------------- */

struct schools_file {
    struct mt_school *s;
    size_t n, cap;
    struct names name, phase;
};

/* A decimal number in [min, max]. */
static int parse_real(const char *s, double min, double max, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (!*s || *end || errno || !isfinite(v) || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

/* The reason a school's fields are bad, or NULL; fills m but its phase. */
static const char *school_fields(char **f, struct mt_school *m)
{
    long pupils;
    if (!f[0][0] || strlen(f[0]) > MAX_SCHOOL_LEN)
        return "the school must be 1 to 100 characters";
    if (strcmp(f[1], "tas") && strcmp(f[1], "comparison"))
        return "the group must be tas or comparison";
    if (!f[2][0] || strlen(f[2]) > MAX_SCHOOL_LEN)
        return "the phase must be 1 to 100 characters";
    if (cli_number(f[3], 1, 10000000, &pupils) != 0)
        return "pupils must be a whole number of at least 1";
    m->group = strcmp(f[1], "tas") ? MT_COMPARISON : MT_TAS;
    m->x[MT_PUPILS] = (double)pupils;
    if (parse_real(f[4], 0, 100, &m->x[MT_FSM_PCT]) != 0)
        return "fsm_pct must be a number from 0 to 100";
    if (parse_real(f[5], 0, 100, &m->x[MT_SEN_PCT]) != 0)
        return "sen_pct must be a number from 0 to 100";
    if (parse_real(f[6], 0, 1e6, &m->x[MT_PRIOR_RATE]) != 0)
        return "prior_rate must be a number, 0 or more";
    return NULL;
}

static int school_line(void *ctx, char *s, size_t line, struct bad_lines *bad)
{
    struct schools_file *sf = ctx;
    char *f[7];
    struct mt_school m;
    int nf = csv_split(s, f, 7);
    const char *why = nf < 0 ? "a quote out of place" : nf != 7 ? "7 fields are needed: " SCHOOLS_HEADER
                                                                 : school_fields(f, &m);
    size_t known = sf->name.n;
    long id = why ? 0 : name_id(&sf->name, f[0]);
    if (!why && (size_t)id < known)
        why = "the school is in the file twice";
    else if (!why && sf->n == MAX_SCHOOLS)
        why = "more than 5000 schools";
    if (why) {
        bad_line(bad, line, why);
        return 0;
    }
    long ph = name_id(&sf->phase, f[2]);
    if (id < 0 || ph < 0)
        return -1;
    struct mt_school *x = array_grow(sf->s, sf->n, &sf->cap, sizeof *x, 64);
    if (!x)
        return -1;
    sf->s = x;
    m.phase = (int)ph;
    sf->s[sf->n++] = m;
    return 0;
}

static json_t *means_json(const double mean[2], double smd)
{
    return json_pack("{s:o, s:o, s:o}", "tas", ev_num(mean[MT_TAS]), "comparison", ev_num(mean[MT_COMPARISON]), "smd",
                     ev_num(smd));
}

static json_t *balance_json(const struct mt_result *r)
{
    json_t *a = json_array();
    for (int c = 0; c < MT_NCOV; c++) {
        const struct mt_balance *b = &r->balance[c];
        json_array_append_new(a, json_pack("{s:s, s:o, s:o, s:o}", "covariate",
                                           mt_covariate_name((enum mt_covariate)c), "sd_pooled", ev_num(b->sd), "before",
                                           means_json(b->mean_before, b->smd_before), "after",
                                           means_json(b->mean_after, b->smd_after)));
    }
    return a;
}

static json_t *pairs_json(const struct schools_file *sf, const struct mt_result *r, json_t **unmatched)
{
    json_t *a = json_array();
    *unmatched = json_array();
    size_t next = 0;
    for (size_t i = 0; i < sf->n; i++) {
        if (sf->s[i].group != MT_TAS)
            continue;
        if (next == r->npairs || r->pairs[next].tas != i)
            json_array_append_new(*unmatched, json_string(sf->name.v[i]));
        for (; next < r->npairs && r->pairs[next].tas == i; next++) {
            const struct mt_pair *p = &r->pairs[next];
            json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:o, s:I}", "tas", sf->name.v[i], "comparison",
                                               sf->name.v[p->comparison], "phase", sf->phase.v[sf->s[i].phase],
                                               "distance", ev_num(p->distance), "rank", (json_int_t)p->rank));
        }
    }
    return a;
}

static json_t *match_json(const struct schools_file *sf, const struct mt_options *o, const struct mt_result *r)
{
    json_t *unmatched, *pairs = pairs_json(sf, r, &unmatched);
    json_t *j = json_pack("{s:s, s:s, s:[s,s,s,s], s:{s:I, s:o, s:b, s:o}, s:o, s:o, s:I, s:I, s:I, s:I}",
                          "distance",
                          "Euclidean on the covariates, each divided by its pooled SD; same phase only; greedy, "
                          "closest pair first",
                          "smd", "(mean TAS - mean comparison) / pooled SD, the SD of all schools before matching: "
                          "sqrt((var TAS + var comparison) / 2); after matching, matched TAS schools, and each "
                          "pair's comparison school weighted 1 / its TAS school's matches",
                          "covariates", "pupils", "fsm_pct", "sen_pct", "prior_rate", "options", "k",
                          (json_int_t)o->k, "caliper_sd", ev_num(o->caliper), "replace", o->replace, "seed",
                          o->seeded ? json_integer((json_int_t)o->seed) : json_null(),
                          "pairs", pairs, "unmatched_tas", unmatched, "tas_schools", (json_int_t)r->tas,
                          "tas_matched", (json_int_t)r->tas_matched, "comparison_schools", (json_int_t)r->comparison,
                          "comparison_used", (json_int_t)r->comparison_used);
    json_object_set_new(j, "balance", balance_json(r));
    return j;
}

static int print_json(json_t *j)
{
    if (!j || json_dumpf(j, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15)) != 0) {
        json_decref(j);
        cli_fail("cannot write the result");
        return CLI_FAIL;
    }
    json_decref(j);
    putchar('\n');
    return CLI_OK;
}

static int match(const char *file, const struct mt_options *o)
{
    static const struct csv_layout layout = {SCHOOLS_HEADER, school_line};
    struct schools_file sf = {0};
    struct mt_result r;
    size_t bad;
    int rc = load_csv(file, &layout, &sf) == 0 ? CLI_OK : CLI_FAIL;
    if (rc == CLI_OK) {
        enum mt_error e = mt_match(sf.s, sf.n, o, &r, &bad);
        if (e != MT_OK) {
            cli_fail("%s: %s; nothing matched", file, mt_error_text(e));
            rc = CLI_FAIL;
        } else {
            rc = print_json(match_json(&sf, o, &r));
            mt_result_free(&r);
        }
    }
    free(sf.s);
    names_free(&sf.name);
    names_free(&sf.phase);
    return rc;
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

/* The table's JSON with the regressions, the event study and, when a cost
 * is given, the cost-effectiveness; NULL when out of memory. */
static json_t *did_json(const struct ev_panel *p, const struct ev_table *t, const double *cost)
{
    struct ev_fit f;
    struct ev_poisson po;
    size_t bad;
    enum ev_error fe = ev_twfe(p, &f, &bad), pe = ev_poisson(p, &po, &bad);
    struct ev_event_study *es = malloc(sizeof *es);
    enum ev_error ee = es ? ev_event_study(p, es, &bad) : EV_ERR_NOMEM;
    json_t *j = NULL;
    if (fe != EV_ERR_NOMEM && pe != EV_ERR_NOMEM && ee != EV_ERR_NOMEM)
        j = ev_result_json(p, t, fe, &f, ev_event_json(ee, es), ev_poisson_json(pe, &po));
    free(es);
    if (j && cost) {
        struct ev_cost ce;
        ev_cost_effectiveness(*cost, t, &ce);
        json_object_set_new(j, "cost_effectiveness", ev_cost_json(&ce));
    }
    return j;
}

static int print_result(const char *file, struct panel_file *pf, struct ev_panel *p, const double *cost)
{
    p->rows = pf->rows;
    p->n = pf->n;
    struct ev_table t;
    size_t bad;
    enum ev_error e = ev_table(p, &t, &bad);
    if (e != EV_OK)
        return panel_error(file, pf, e, bad);
    return print_json(did_json(p, &t, cost));
}

static int did(const char *file, struct ev_panel *p, const double *cost)
{
    static const struct csv_layout layout = {HEADER, panel_line};
    struct panel_file pf = {0};
    int rc = load_csv(file, &layout, &pf);
    if (rc == 0)
        rc = print_result(file, &pf, p, cost);
    panel_file_free(&pf);
    return rc == 0 ? CLI_OK : CLI_FAIL;
}

/* The options of every subcommand; each checks its own. */
struct eval_opts {
    const char *csv, *pre, *post, *cost, *k, *caliper, *seed;
    int replace;
};

static int parse_opts(int argc, char **argv, struct eval_opts *o)
{
    static const struct option opts[] = {
        {"csv", required_argument, 0, 'c'},  {"pre", required_argument, 0, 'p'},
        {"post", required_argument, 0, 'q'}, {"cost", required_argument, 0, 'C'},
        {"k", required_argument, 0, 'k'},    {"caliper", required_argument, 0, 'L'},
        {"seed", required_argument, 0, 's'}, {"replace", no_argument, 0, 'r'},
        {"help", no_argument, 0, 'h'},       {0, 0, 0, 0}};
    const char **arg[128] = {['c'] = &o->csv, ['p'] = &o->pre, ['q'] = &o->post, ['C'] = &o->cost,
                             ['k'] = &o->k, ['L'] = &o->caliper, ['s'] = &o->seed};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'h')
            return 1;
        if (c == 'r')
            o->replace = 1;
        else if (c > 0 && c < 128 && arg[c])
            *arg[c] = optarg;
        else
            return -1;
    }
    return 0;
}

static int evaluate_match(const struct eval_opts *o)
{
    struct mt_options m = {.k = 1, .caliper = INFINITY, .replace = o->replace};
    long k = 1, seed;
    if (!o->csv || o->pre || o->post || o->cost || (o->k && cli_number(o->k, 1, 100, &k) != 0) ||
        (o->caliper && parse_real(o->caliper, 1e-9, 1e9, &m.caliper) != 0) ||
        (o->seed && cli_number(o->seed, 0, 2147483647, &seed) != 0)) {
        usage(stderr);
        return CLI_USAGE;
    }
    m.k = (size_t)k;
    if (o->seed) {
        m.seeded = 1;
        m.seed = (uint64_t)seed;
    }
    return match(o->csv, &m);
}

static int evaluate_did(const struct eval_opts *o)
{
    int ypre[MAX_YEARS], ypost[MAX_YEARS];
    struct ev_panel p = {.pre = ypre, .post = ypost};
    double cost;
    size_t bad;
    if (!o->csv || !o->pre || !o->post || o->k || o->caliper || o->seed || o->replace ||
        parse_years(o->pre, ypre, &p.npre) != 0 || parse_years(o->post, ypost, &p.npost) != 0 ||
        ev_check(&p, &bad) != EV_OK || (o->cost && parse_real(o->cost, 0, 1e15, &cost) != 0)) {
        usage(stderr);
        return CLI_USAGE;
    }
    return did(o->csv, &p, o->cost ? &cost : NULL);
}

int cli_evaluate(int argc, char **argv)
{
    struct eval_opts o = {0};
    int rc = parse_opts(argc, argv, &o);
    if (rc > 0) {
        usage(stdout);
        return CLI_OK;
    }
    if (rc == 0 && optind + 1 == argc && !strcmp(argv[optind], "did"))
        return evaluate_did(&o);
    if (rc == 0 && optind + 1 == argc && !strcmp(argv[optind], "match"))
        return evaluate_match(&o);
    usage(stderr);
    return CLI_USAGE;
}
