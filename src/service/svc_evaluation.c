/* Did it work?  The evaluation data and report (svc_evaluation.h). */
#include "service/svc_evaluation.h"
#include "lib/count.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/csv.h"
#include "service/svc_dashboard.h"
#include "store/q_dashboard.h"
#include "store/q_evaluation.h"

#define EVAL_MAX_SCHOOLS 2000
#define YEAR_MIN 1990
#define YEAR_MAX 2100
#define IMPORT_HEADER "school,year,group,pupils,count"

/* The kinds every authority has, entered or imported. */
static const struct {
    const char *code, *label;
} standard_kinds[] = {
    {"community_paediatrics", "Referrals to community paediatrics"},
    {"educational_psychology", "Referrals to educational psychology"},
    {"early_help", "Early help episodes"},
    {"salt", "Referrals to speech and language therapy"},
    {"mhst", "Referrals to the mental health support team"},
    {"suspensions", "Suspensions"},
    {"permanent_exclusions", "Permanent exclusions"},
};
#define NSTANDARD (COUNT(standard_kinds))

static bool may(const struct svc_ctx *c, enum action a, int64_t authority_id)
{
    return authority_id > 0 && svc_allowed(c, a, RES_EVALUATION, 0, authority_id, 0);
}

static void add_kind(struct eval_kinds *k, const char *code, const char *label, bool computed, bool standard)
{
    for (size_t i = 0; i < k->n; i++)
        if (!strcmp(k->k[i].code, code))
            return;
    if (k->n >= EVAL_MAX_KINDS || strlen(code) >= EVAL_KIND_LEN)
        return;
    struct eval_kind *e = &k->k[k->n++];
    snprintf(e->code, sizeof e->code, "%s", code);
    snprintf(e->label, sizeof e->label, "%s", label);
    e->computed = computed;
    e->standard = standard;
}

static void entered_kind(void *arg, const char *code, const char *name)
{
    char label[160];
    snprintf(label, sizeof label, "%s (entered)", name);
    add_kind(arg, code, label, false, false);
}

static void service_kind(void *arg, const char *code, const char *name)
{
    char full[EVAL_KIND_LEN + 16], label[160];
    snprintf(full, sizeof full, EVAL_COMPUTED_PREFIX "referral:%s", code);
    snprintf(label, sizeof label, "Referrals to %s (counted from referral records)", name);
    add_kind(arg, full, label, true, false);
}

enum svc_status svc_eval_kinds(struct svc_ctx *c, int64_t authority_id, struct eval_kinds *out)
{
    memset(out, 0, sizeof *out);
    if (!may(c, ACT_VIEW, authority_id))
        return SVC_FORBIDDEN;
    for (size_t i = 0; i < NSTANDARD; i++) {
        char label[160];
        snprintf(label, sizeof label, "%s (entered)", standard_kinds[i].label);
        add_kind(out, standard_kinds[i].code, label, false, true);
    }
    enum store_rc rc = q_eval_kinds_entered(c->db, authority_id, entered_kind, out);
    if (rc != STORE_OK)
        return svc_from_store(rc);
    add_kind(out, EVAL_COMPUTED_PREFIX "suspension", "Suspensions (counted from outcome records)", true, false);
    add_kind(out, EVAL_COMPUTED_PREFIX "exclusion", "Permanent exclusions (counted from outcome records)", true,
             false);
    return svc_from_store(q_eval_services(c->db, authority_id, service_kind, out));
}

static const struct eval_kind *kind_find(const struct eval_kinds *k, const char *code)
{
    for (size_t i = 0; code && i < k->n; i++)
        if (!strcmp(k->k[i].code, code))
            return &k->k[i];
    return NULL;
}

/* A whole number in [min, max] written as digits alone. */
static int whole(const char *s, long long min, long long max, long long *out)
{
    if (!s || !*s || strlen(s) > 18 || strspn(s, "0123456789") != strlen(s))
        return -1;
    long long v = strtoll(s, NULL, 10);
    if (v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

/* "2021,2022" into years; -1 when empty, malformed, out of range, repeated
 * or more than max. */
static int parse_years(const char *s, int *years, size_t max, size_t *n)
{
    *n = 0;
    if (!s || !*s || strlen(s) > 200)
        return -1;
    char buf[201];
    snprintf(buf, sizeof buf, "%s", s);
    for (char *save = NULL, *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
        long long y;
        if (whole(t, YEAR_MIN, YEAR_MAX, &y) != 0 || *n >= max)
            return -1;
        for (size_t i = 0; i < *n; i++)
            if (years[i] == (int)y)
                return -1;
        years[(*n)++] = (int)y;
    }
    return *n ? 0 : -1;
}

/* ---- the authority's schools and their figures ---------------------------------- */

struct schools {
    size_t n;
    struct eval_school_row *s;   /* by id */
};

static void school_add(void *arg, const struct eval_school_row *r)
{
    struct schools *ss = arg;
    if (ss->n < EVAL_MAX_SCHOOLS)
        ss->s[ss->n++] = *r;
}

static enum svc_status schools_load(struct svc_ctx *c, int64_t authority_id, struct schools *ss)
{
    ss->n = 0;
    ss->s = calloc(EVAL_MAX_SCHOOLS, sizeof *ss->s);
    if (!ss->s)
        return SVC_ERROR;
    enum store_rc rc = q_eval_schools(c->db, authority_id, school_add, ss);
    if (rc != STORE_OK) {
        free(ss->s);
        ss->s = NULL;
        return svc_from_store(rc);
    }
    return SVC_OK;
}

static long school_index(const struct schools *ss, int64_t id)
{
    size_t lo = 0, hi = ss->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ss->s[mid].id == id)
            return (long)mid;
        if (ss->s[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* A figure per school and year of [ymin, ymin + span); -1 where none. */
struct grid {
    const struct schools *ss;
    int ymin, span;
    int64_t *v;
};

static void grid_put(void *arg, const struct eval_value_row *r)
{
    struct grid *g = arg;
    long i = school_index(g->ss, r->school_id);
    if (i >= 0 && r->year >= g->ymin && r->year < g->ymin + g->span)
        g->v[(size_t)i * (size_t)g->span + (size_t)(r->year - g->ymin)] = r->n;
}

static int64_t grid_get(const struct grid *g, size_t school, int year)
{
    return g->v[school * (size_t)g->span + (size_t)(year - g->ymin)];
}

static int grid_init(struct grid *g, const struct schools *ss, int ymin, int ymax)
{
    g->ss = ss;
    g->ymin = ymin;
    g->span = ymax - ymin + 1;
    size_t n = (ss->n ? ss->n : 1) * (size_t)g->span;
    g->v = malloc(n * sizeof *g->v);
    if (!g->v)
        return -1;
    for (size_t i = 0; i < n; i++)
        g->v[i] = -1;
    return 0;
}

/* The counts of a kind into g. */
static enum store_rc counts_load(struct svc_ctx *c, int64_t authority_id, const struct eval_kind *k, struct grid *g)
{
    if (!k->computed)
        return q_eval_counts(c->db, EVAL_COUNT_ENTERED, authority_id, k->code, grid_put, g);
    const char *what = k->code + strlen(EVAL_COMPUTED_PREFIX);
    if (!strcmp(what, "suspension") || !strcmp(what, "exclusion"))
        return q_eval_counts(c->db, EVAL_COUNT_OUTCOMES, authority_id, what, grid_put, g);
    if (!strncmp(what, "referral:", 9))
        return q_eval_counts(c->db, EVAL_COUNT_REFERRALS, authority_id, what + 9, grid_put, g);
    return STORE_ERROR;
}

static bool phase_matches(const char *want, const char *phase)
{
    return !strcmp(want, "all") || !strcmp(want, phase);
}

/* The disclosure control's parts (core/evaluate.h): the phases the page
 * offers, and the rest together. */
static int phase_part(const char *phase)
{
    return !strcmp(phase, "primary") ? 1 : !strcmp(phase, "secondary") ? 2 : 3;
}

struct ev_panel eval_panel(const struct eval_report *r)
{
    return (struct ev_panel){.rows = r->rows, .n = r->nrows, .pre = r->pre, .npre = r->npre, .post = r->post,
                             .npost = r->npost, .weight = r->matched_only ? r->weight : NULL};
}

static void build_rows(const struct schools *ss, const struct grid *pupils, const struct grid *counts,
                       struct eval_report *out)
{
    int years[2 * EV_MAX_YEARS];
    size_t ny = 0;
    for (size_t i = 0; i < out->npre; i++)
        years[ny++] = out->pre[i];
    for (size_t i = 0; i < out->npost; i++)
        years[ny++] = out->post[i];
    for (size_t s = 0; s < ss->n; s++) {
        if (!phase_matches(out->phase, ss->s[s].phase))
            continue;
        for (size_t y = 0; y < ny; y++) {
            int64_t p = grid_get(pupils, s, years[y]);
            int64_t n = grid_get(counts, s, years[y]);
            if (out->kind.computed) {
                if (p <= 0)
                    p = ss->s[s].pupils_on_roll;
                if (n < 0)
                    n = 0;   /* no record that year */
            }
            if (p <= 0 || n < 0 || out->nrows >= EVAL_MAX_ROWS) {
                out->school_years_missing++;
                continue;
            }
            out->part[out->nrows] = phase_part(ss->s[s].phase);
            out->rows[out->nrows++] = (struct ev_row){ss->s[s].id, years[y], ss->s[s].tas ? EV_TAS : EV_COMPARISON,
                                                      p, n};
        }
    }
}

/* The index of school id in ids[0..n) (ascending), or n. */
static size_t id_index(const int64_t *ids, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && ids[lo] == id ? lo : n;
}

/* The matched view: each row weighs its school's weight (0 for a school
 * the matching left out or could not use), and the rows of weight 0 go
 * after the view's (ev_keep_weighted). */
static void keep_matched(const int64_t *ids, const double *w, size_t n, struct eval_report *out)
{
    for (size_t i = 0; i < out->nrows; i++) {
        size_t k = id_index(ids, n, out->rows[i].school);
        out->weight[i] = k < n ? w[k] : 0;
    }
    size_t kept = ev_keep_weighted(out->rows, out->part, out->weight, out->nrows);
    out->nrows_left_out = out->nrows - kept;
    out->nrows = kept;
    for (size_t i = 0; i < kept; i++)
        out->weighted = out->weighted || out->weight[i] != 1.0;
}

/* The balance before and after matching the phase's schools (see
 * svc_evaluation.h); the prior rate is from the report's rows of the
 * years before. */
static void matching(const struct schools *ss, struct eval_report *out)
{
    struct mt_school *m = calloc(ss->n ? ss->n : 1, sizeof *m);
    int64_t *ids = calloc(ss->n ? ss->n : 1, sizeof *ids);
    double *w = calloc(ss->n ? ss->n : 1, sizeof *w);
    if (!m || !ids || !w) {
        free(m);
        free(ids);
        free(w);
        out->match_err = MT_ERR_NOMEM;
        return;
    }
    size_t n = 0;
    for (size_t s = 0; s < ss->n; s++) {   /* by id: ids[] ascending */
        const struct eval_school_row *sc = &ss->s[s];
        if (!phase_matches(out->phase, sc->phase))
            continue;
        int64_t pupils = 0, count = 0;
        for (size_t i = 0; i < out->nrows; i++)
            for (size_t y = 0; y < out->npre; y++)
                if (out->rows[i].school == sc->id && out->rows[i].year == out->pre[y]) {
                    pupils += out->rows[i].pupils;
                    count += out->rows[i].count;
                }
        if (sc->pupils_on_roll <= 0 || sc->fsm_pct < 0 || sc->sen_pct < 0 || pupils <= 0) {
            out->match_left_out++;
            continue;
        }
        ids[n] = sc->id;
        m[n].group = sc->tas ? MT_TAS : MT_COMPARISON;
        m[n].phase = phase_part(sc->phase);
        m[n].x[MT_PUPILS] = (double)sc->pupils_on_roll;
        m[n].x[MT_FSM_PCT] = sc->fsm_pct;
        m[n].x[MT_SEN_PCT] = sc->sen_pct;
        m[n].x[MT_PRIOR_RATE] = ev_rate_per_100(count, pupils);
        n++;
    }
    struct mt_options o = {.k = out->match_k, .caliper = out->match_caliper, .replace = out->match_replace};
    struct mt_result r;
    size_t bad;
    out->match_err = mt_match(m, n, &o, &r, &bad);
    free(m);
    if (out->match_err == MT_OK) {
        memcpy(out->balance, r.balance, sizeof out->balance);
        out->match_tas = r.tas;
        out->match_tas_matched = r.tas_matched;
        out->match_comparison = r.comparison;
        out->match_comparison_used = r.comparison_used;
        mt_weights(&r, n, w);
        if (out->matched_only)
            keep_matched(ids, w, n, out);
        mt_result_free(&r);
    }
    free(ids);
    free(w);
}

/* The distinct schools of a group among rows[0..n). */
static size_t schools_of(const struct ev_row *rows, size_t n, int group)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        if (rows[i].group != group)
            continue;
        bool first = true;
        for (size_t j = 0; j < i && first; j++)
            first = !(rows[j].group == group && rows[j].school == rows[i].school);
        count += first;
    }
    return count;
}

/* Why the matched comparison cannot be computed ("" when it can). */
static void matched_check(struct eval_report *out)
{
    if (out->match_err != MT_OK)
        snprintf(out->matched_error, sizeof out->matched_error, "the matching failed: %s%s",
                 mt_error_text(out->match_err),
                 out->match_left_out ? " (schools without pupils on roll, % FSM, % SEN or a rate before TAS are "
                                       "left out of the matching)"
                                     : "");
    else if (out->match_comparison_used == 0)
        snprintf(out->matched_error, sizeof out->matched_error,
                 "the matching chose no comparison school (none is of a TAS school's phase%s)",
                 isfinite(out->match_caliper) ? " and within the caliper" : "");
}

static void statistics(struct eval_report *out)
{
    struct ev_panel p = eval_panel(out);
    size_t bad;
    if (out->matched_error[0]) {
        out->table_err = out->fit_err = out->es_err = out->po_err = EV_ERR_EMPTY_CELL;
        return;
    }
    out->table_err = ev_table(&p, &out->table, &bad);
    out->fit_err = ev_twfe(&p, &out->fit, &bad);
    out->es_err = out->npre >= 2 ? ev_event_study(&p, &out->es, &bad) : EV_ERR_ONE_PRE_YEAR;
    out->po_err = ev_poisson(&p, &out->po, &bad);
    /* Over the whole phase, the view's weights with the left-out rows' 0:
     * what any other view (all, or other options) shows is then made of
     * the same pieces (core/evaluate.h). */
    struct ev_panel full = p;
    full.n = out->nrows + out->nrows_left_out;
    ev_disclose(&full, out->part, out->exact ? 0 : out->threshold, &out->disc);
    if (out->cost_source != EVAL_COST_NONE && out->table_err == EV_OK)
        ev_cost_effectiveness(out->cost.cost, &out->table, &out->cost);
}

/* An amount in pounds, "12500" or "12500.50", up to 1,000,000,000; -1 if not. */
static int parse_pounds(const char *s, double *out)
{
    size_t whole_digits = strspn(s, "0123456789");
    const char *p = s + whole_digits;
    if (whole_digits == 0 || whole_digits > 10)
        return -1;
    if (*p == '.') {
        size_t pence = strspn(p + 1, "0123456789");
        if (pence < 1 || pence > 2)
            return -1;
        p += 1 + pence;
    }
    if (*p)
        return -1;
    double v = strtod(s, NULL);
    if (v > 1e9)
        return -1;
    *out = v;
    return 0;
}

/* A caliper in pooled SDs: digits with at most one point, above 0, up to
 * 100; -1 if not. */
static int parse_caliper(const char *s, double *out)
{
    size_t n = strlen(s), digits = strspn(s, "0123456789.");
    const char *dot = strchr(s, '.');
    if (n == 0 || n > 8 || digits != n || (dot && strchr(dot + 1, '.')) || !strcmp(s, "."))
        return -1;
    double v = strtod(s, NULL);
    if (!(v > 0) || v > 100)
        return -1;
    *out = v;
    return 0;
}

/* Under disclosure control the caliper is one of a few steps: were it any
 * number, a reader could move it in small steps until a pair's match came
 * or went, and so measure the distance between two schools, which holds
 * their rates before TAS (their counts, with their pupils on roll).  With
 * steps, which pairs match says only which of a few bands a distance is
 * in (docs/evaluation.md). */
static bool caliper_step(double caliper)
{
    static const double steps[] = {EVAL_CALIPER_STEPS};
    for (size_t i = 0; i < COUNT(steps); i++)
        if (caliper == steps[i])
            return true;
    return !isfinite(caliper);
}

static void check_matching(const struct eval_query *q, struct eval_report *out, struct field_errors *errs)
{
    long long k = 1;
    if (q->k && *q->k && whole(q->k, 1, EVAL_MAX_K, &k) != 0)
        field_errors_add(errs, "k", "Enter the number of matches for each TAS school as a whole number from 1 to 5");
    out->match_k = (size_t)k;
    out->match_caliper = INFINITY;
    if (q->caliper && *q->caliper && parse_caliper(q->caliper, &out->match_caliper) != 0)
        field_errors_add(errs, "caliper", "Enter the caliper as a number above 0, like 0.2, or leave it blank for no "
                                          "caliper");
    else if (!out->exact && !caliper_step(out->match_caliper))
        field_errors_add(errs, "caliper", "Enter a caliper of " EVAL_CALIPER_STEPS_TEXT ", or leave it blank for no "
                                          "caliper: figures prepared for publication take no other");
    const char *replace = q->replace && *q->replace ? q->replace : "no";
    out->match_replace = !strcmp(replace, "yes");
    if (!out->match_replace && strcmp(replace, "no"))
        field_errors_add(errs, "replace", "Choose with replacement or without replacement");
}

static void check_query(const struct eval_query *q, const struct eval_kinds *kinds, struct eval_report *out,
                        struct field_errors *errs)
{
    const struct eval_kind *k = kind_find(kinds, q->kind);
    if (!k)
        field_errors_add(errs, "kind", "Choose a kind of count");
    else
        out->kind = *k;
    const char *phase = q->phase && *q->phase ? q->phase : "all";
    if (strcmp(phase, "all") && strcmp(phase, "primary") && strcmp(phase, "secondary"))
        field_errors_add(errs, "phase", "Choose primary, secondary or all schools");
    snprintf(out->phase, sizeof out->phase, "%s", phase);
    int bad_pre = parse_years(q->pre, out->pre, EV_MAX_YEARS / 2, &out->npre);
    int bad_post = parse_years(q->post, out->post, EV_MAX_YEARS / 2, &out->npost);
    if (bad_pre)
        field_errors_add(errs, "pre", "Enter the academic years before TAS, like 2022 or 2021,2022");
    if (bad_post)
        field_errors_add(errs, "post", "Enter the academic years after TAS began, like 2024 or 2023,2024");
    const char *comparison = q->comparison && *q->comparison ? q->comparison : "all";
    out->matched_only = !strcmp(comparison, "matched");
    if (strcmp(comparison, "all") && !out->matched_only)
        field_errors_add(errs, "comparison", "Choose all comparison schools or matched only");
    if (q->cost && *q->cost) {
        if (parse_pounds(q->cost, &out->cost.cost) == 0)
            out->cost_source = EVAL_COST_TYPED;
        else
            field_errors_add(errs, "cost", "Enter the programme's cost in pounds, like 125000 or 125000.50, or leave "
                                           "it blank to use the cost model");
    }
    check_matching(q, out, errs);
    if (!bad_pre && !bad_post) {
        for (size_t i = 0; i < out->npre; i++)
            for (size_t j = 0; j < out->npost; j++)
                if (out->pre[i] >= out->post[j]) {
                    field_errors_add(errs, "post", "Every year after TAS must come after every year before");
                    return;
                }
    }
}

/* Pupil-years after of the TAS schools among rows[0..n). */
static int64_t tas_pupils_after(const struct eval_report *r, size_t n)
{
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t y = 0; y < r->npost; y++)
            if (r->rows[i].group == EV_TAS && r->rows[i].year == r->post[y])
                sum += r->rows[i].pupils;
    return sum;
}

static void note_missing(char *missing, const char *roles)
{
    char buf[DASH_MISSING_RATES_LEN];
    snprintf(buf, sizeof buf, "%s", roles);
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        t += strspn(t, " ");
        size_t n = strlen(missing);
        if (*t && !strstr(missing, t))
            snprintf(missing + n, DASH_MISSING_RATES_LEN - n, "%s%s", n ? ", " : "", t);
    }
}

/* The cost model's planned cost of the years after (struct
 * eval_cost_model), each year from 1 September to 31 August. */
static enum svc_status cost_model(struct svc_ctx *c, int64_t authority_id, struct eval_report *out)
{
    struct eval_cost_model *m = &out->model;
    char authority[24];
    snprintf(authority, sizeof authority, "%lld", (long long)authority_id);
    int first = YEAR_MAX, last = YEAR_MIN;
    int64_t pence = 0;
    for (size_t i = 0; i < out->npost; i++) {
        int y = out->post[i];
        char from[24], to[24];
        snprintf(from, sizeof from, "%04d-09-01", y);
        snprintf(to, sizeof to, "%04d-08-31", y + 1);
        struct dash_filter_form in = {.from = from, .to = to, .authority_id = authority,
                                      .phase = strcmp(out->phase, "all") ? out->phase : ""};
        struct dash_planned_cost pc;
        struct field_errors errs = {0};
        enum svc_status st = svc_dashboard_planned_cost(c, &in, &pc, &errs);
        if (st == SVC_FORBIDDEN || st == SVC_INVALID) {
            snprintf(m->why, sizeof m->why, "the cost model is not open to you");
            return SVC_OK;
        }
        if (st != SVC_OK)
            return st;
        pence += pc.pence;
        m->meetings += pc.meetings;
        note_missing(m->missing_rates, pc.missing_rates);
        first = y < first ? y : first;
        last = y > last ? y : last;
    }
    snprintf(m->from, sizeof m->from, "%04d-09-01", first);
    snprintf(m->to, sizeof m->to, "%04d-08-31", last + 1);
    m->pounds = (double)pence / 100.0;
    int64_t all = tas_pupils_after(out, out->nrows + out->nrows_left_out);
    int64_t used = out->matched_error[0] ? 0 : tas_pupils_after(out, out->nrows);
    m->share = all > 0 ? (double)used / (double)all : 0;
    m->pounds_used = m->pounds * m->share;
    m->available = pence > 0 && m->pounds_used > 0;
    if (!m->available)
        snprintf(m->why, sizeof m->why, "%s",
                 pence > 0 ? "the TAS schools in these figures have no pupils after"
                 : m->meetings ? "the cost model has no rate for the roles at these meetings"
                               : "no TAS meeting of this phase is scheduled in the years after");
    return SVC_OK;
}

enum svc_status svc_eval_report(struct svc_ctx *c, const struct eval_query *q, struct eval_report *out,
                                struct field_errors *errs)
{
    memset(out, 0, sizeof *out);
    if (!may(c, q->export ? ACT_EXPORT : ACT_VIEW, q->authority_id))
        return SVC_FORBIDDEN;
    struct eval_kinds *kinds = malloc(sizeof *kinds);
    if (!kinds)
        return SVC_ERROR;
    enum svc_status st = svc_eval_kinds(c, q->authority_id, kinds);
    out->exact = !q->publish && svc_allowed(c, ACT_LIST, RES_CASE, 0, q->authority_id, 0);
    if (st == SVC_OK)
        check_query(q, kinds, out, errs);
    free(kinds);
    if (st != SVC_OK)
        return st;
    if (errs->count)
        return SVC_INVALID;

    int64_t threshold = 0;
    if (q_disclosure_get(c->db, q->authority_id, &threshold) != STORE_OK)
        return SVC_ERROR;
    out->threshold = threshold >= 2 ? (int)threshold : DASH_DEFAULT_THRESHOLD;

    int ymin = YEAR_MAX, ymax = YEAR_MIN;
    for (size_t i = 0; i < out->npre; i++)
        ymin = out->pre[i] < ymin ? out->pre[i] : ymin;
    for (size_t i = 0; i < out->npost; i++)
        ymax = out->post[i] > ymax ? out->post[i] : ymax;
    struct schools ss;
    if ((st = schools_load(c, q->authority_id, &ss)) != SVC_OK)
        return st;
    struct grid pupils = {0}, counts = {0};
    enum store_rc rc = STORE_ERROR;
    if (grid_init(&pupils, &ss, ymin, ymax) == 0 && grid_init(&counts, &ss, ymin, ymax) == 0) {
        rc = q_eval_pupils(c->db, q->authority_id, grid_put, &pupils);
        if (rc == STORE_OK)
            rc = counts_load(c, q->authority_id, &out->kind, &counts);
    }
    if (rc == STORE_OK) {
        build_rows(&ss, &pupils, &counts, out);
        out->comparison_schools_all = schools_of(out->rows, out->nrows, EV_COMPARISON);
        out->tas_schools_all = schools_of(out->rows, out->nrows, EV_TAS);
        matching(&ss, out);
        if (out->matched_only)
            matched_check(out);
        bool none = out->matched_error[0];
        out->comparison_schools = none ? 0 : schools_of(out->rows, out->nrows, EV_COMPARISON);
        out->tas_schools = none ? 0 : schools_of(out->rows, out->nrows, EV_TAS);
    }
    free(pupils.v);
    free(counts.v);
    free(ss.s);
    if (rc != STORE_OK)
        return svc_from_store(rc);
    if ((st = cost_model(c, q->authority_id, out)) != SVC_OK)
        return st;
    if (out->cost_source == EVAL_COST_NONE && out->model.available) {
        out->cost_source = EVAL_COST_MODEL;
        out->cost.cost = out->model.pounds_used;
    }
    statistics(out);
    return SVC_OK;
}

enum svc_status svc_eval_schools(struct svc_ctx *c, int64_t authority_id,
                                 void (*fn)(void *arg, const struct eval_school_row *r), void *arg)
{
    if (!may(c, ACT_EDIT, authority_id))
        return SVC_FORBIDDEN;
    return svc_from_store(q_eval_schools(c->db, authority_id, fn, arg));
}

/* ---- entering and importing --------------------------------------------------- */

/* A new kind's code: 1-40 of a-z, 0-9 and _. */
static bool kind_code_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    return n >= 1 && n <= 40 && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

/* The entered kind named by kind (or, for "other" or none, other_kind);
 * NULL with a field error when there is none. */
static const char *entered_kind_of(struct svc_ctx *c, int64_t authority_id, const char *kind, const char *other,
                                   struct eval_kinds *kinds, struct field_errors *errs)
{
    if (other && *other && (!kind || !*kind || !strcmp(kind, "other"))) {
        if (kind_code_ok(other))
            return other;
        field_errors_add(errs, "other_kind", "Enter the new kind as 1 to 40 lower-case letters, digits or _");
        return NULL;
    }
    const struct eval_kind *k = svc_eval_kinds(c, authority_id, kinds) == SVC_OK ? kind_find(kinds, kind) : NULL;
    if (k && !k->computed)
        return k->code;
    field_errors_add(errs, "kind", "Choose the kind of count, or name a new one");
    return NULL;
}

enum svc_status svc_eval_save(struct svc_ctx *c, int64_t authority_id, const struct eval_entry *in,
                              struct field_errors *errs)
{
    if (!may(c, ACT_EDIT, authority_id))
        return SVC_FORBIDDEN;
    struct schools ss;
    enum svc_status st = schools_load(c, authority_id, &ss);
    if (st != SVC_OK)
        return st;
    long long school = 0, year = 0, pupils = 0, count = -1;
    if (whole(in->school_id, 1, INT64_MAX / 2, &school) != 0 || school_index(&ss, school) < 0)
        field_errors_add(errs, "school_id", "Choose a school");
    free(ss.s);
    if (whole(in->year, YEAR_MIN, YEAR_MAX, &year) != 0)
        field_errors_add(errs, "year", "Enter the academic year as its first calendar year, like 2024 for 2024/25");
    if (whole(in->pupils, 1, 10000000, &pupils) != 0)
        field_errors_add(errs, "pupils", "Enter the pupils on roll as a whole number, 1 or more");
    const char *kind = NULL;
    bool has_count = in->count && *in->count;
    struct eval_kinds *kinds = malloc(sizeof *kinds);
    if (!kinds)
        return SVC_ERROR;
    if (has_count) {
        kind = entered_kind_of(c, authority_id, in->kind, in->other_kind, kinds, errs);
        if (whole(in->count, 0, 10000000, &count) != 0)
            field_errors_add(errs, "count", "Enter the count as a whole number, 0 or more");
    }
    if (errs->count) {
        free(kinds);
        return SVC_INVALID;
    }
    char code[EVAL_KIND_LEN] = "";
    if (kind)
        snprintf(code, sizeof code, "%s", kind);
    free(kinds);
    enum store_rc rc = store_begin_write(c->db);
    if (rc == STORE_OK)
        rc = q_eval_year_put(c->db, school, (int)year, pupils, "hand", c->who->user_id, c->now);
    if (rc == STORE_OK && has_count)
        rc = q_eval_count_put(c->db, school, (int)year, code, count, "hand", c->who->user_id, c->now);
    return svc_from_store(store_end_write(c->db, rc));
}

struct import_row {
    int64_t school;
    int year;
    int64_t pupils, count;
};

static void bad_row(struct eval_import *out, size_t line, const char *why)
{
    if (out->nbad < EVAL_MAX_BAD) {
        out->bad[out->nbad].line = line;
        snprintf(out->bad[out->nbad].reason, sizeof out->bad[out->nbad].reason, "%s", why);
    }
    out->nbad++;
}

/* The reason a row is bad, or NULL; fills r. */
static const char *import_fields(char **f, const struct schools *ss, struct import_row *r)
{
    long idx = -1;
    for (size_t i = 0; i < ss->n; i++)
        if (!strcmp(ss->s[i].urn, f[0]))
            idx = (long)i;
    if (idx < 0)
        return "no school of this authority has that URN";
    long long year, pupils, count;
    if (whole(f[1], YEAR_MIN, YEAR_MAX, &year) != 0)
        return "the year must be a whole number from 1990 to 2100";
    if (strcmp(f[2], "tas") && strcmp(f[2], "comparison"))
        return "the group must be tas or comparison";
    if ((strcmp(f[2], "tas") == 0) != (ss->s[idx].tas != 0))
        return ss->s[idx].tas ? "the school is a TAS school (in a TAS team or marked a member), not comparison"
                              : "the school is in no TAS team and not marked a TAS member, so not tas";
    if (whole(f[3], 1, 10000000, &pupils) != 0)
        return "pupils must be a whole number of at least 1";
    if (whole(f[4], 0, 10000000, &count) != 0)
        return "count must be a whole number, 0 or more";
    *r = (struct import_row){ss->s[idx].id, (int)year, pupils, count};
    return NULL;
}

/* Reads the CSV text into rows (at most max), reporting bad ones in out. */
static size_t import_read(const char *csv, const struct schools *ss, struct import_row *rows, size_t max,
                          struct eval_import *out)
{
    size_t n = 0, line = 0;
    char *text = strdup(csv);
    if (!text) {
        bad_row(out, 0, "out of memory");
        return 0;
    }
    bool header = false;
    for (char *s = text, *nl; s; s = nl) {
        nl = strchr(s, '\n');
        if (nl)
            *nl++ = '\0';
        csv_chomp(s, ++line);
        if (line == 1) {
            header = !strcmp(s, IMPORT_HEADER);
            if (!header) {
                bad_row(out, 1, "the first line must be the header " IMPORT_HEADER);
                break;
            }
            continue;
        }
        if (!*s)
            continue;
        char *f[6];
        const char *why = NULL;
        struct import_row r;
        if (csv_split(s, f, 5) != 5)
            why = "a row must have 5 fields: " IMPORT_HEADER;
        else if (!(why = import_fields(f, ss, &r))) {
            for (size_t i = 0; i < n && !why; i++)
                if (rows[i].school == r.school && rows[i].year == r.year)
                    why = "the school and year are on an earlier line too";
            if (!why && n >= max)
                why = "too many rows";
        }
        if (why)
            bad_row(out, line, why);
        else
            rows[n++] = r;
    }
    free(text);
    if (header && n == 0 && out->nbad == 0)
        bad_row(out, 1, "the file has no rows");
    return n;
}

enum svc_status svc_eval_import(struct svc_ctx *c, int64_t authority_id, const char *kind, const char *other_kind,
                                const char *csv, bool dry_run, struct eval_import *out, struct field_errors *errs)
{
    memset(out, 0, sizeof *out);
    if (!may(c, ACT_EDIT, authority_id))
        return SVC_FORBIDDEN;
    struct eval_kinds *kinds = malloc(sizeof *kinds);
    if (!kinds)
        return SVC_ERROR;
    const char *k = entered_kind_of(c, authority_id, kind, other_kind, kinds, errs);
    char code[EVAL_KIND_LEN] = "";
    if (k)
        snprintf(code, sizeof code, "%s", k);
    free(kinds);
    if (!csv || !*csv) {
        field_errors_add(errs, "csv", "Paste the CSV file, with the header " IMPORT_HEADER);
        return SVC_INVALID;
    }
    struct schools ss;
    enum svc_status st = schools_load(c, authority_id, &ss);
    if (st != SVC_OK)
        return st;
    struct import_row *rows = malloc(EVAL_MAX_ROWS * sizeof *rows);
    if (!rows) {
        free(ss.s);
        return SVC_ERROR;
    }
    out->rows = import_read(csv, &ss, rows, EVAL_MAX_ROWS, out);
    free(ss.s);
    if (out->nbad) {
        char msg[160];
        snprintf(msg, sizeof msg, "The file has %zu bad row%s: nothing was imported", out->nbad,
                 out->nbad == 1 ? "" : "s");
        field_errors_add(errs, "csv", msg);
    }
    if (errs->count || dry_run) {
        free(rows);
        return errs->count ? SVC_INVALID : SVC_OK;
    }
    enum store_rc rc = store_begin_write(c->db);
    for (size_t i = 0; i < out->rows && rc == STORE_OK; i++) {
        rc = q_eval_year_put(c->db, rows[i].school, rows[i].year, rows[i].pupils, "import", c->who->user_id, c->now);
        if (rc == STORE_OK)
            rc = q_eval_count_put(c->db, rows[i].school, rows[i].year, code, rows[i].count, "import",
                                  c->who->user_id, c->now);
    }
    free(rows);
    rc = store_end_write(c->db, rc);
    out->written = rc == STORE_OK;
    return svc_from_store(rc);
}
