/* Did it work? (issue 14): the evaluator's home.
 *   /evaluation             the report: for a kind of count, a phase and
 *                           two periods, rates per 100 pupils in TAS and
 *                           comparison schools, the difference-in-differences,
 *                           the panel regression, the event study, the
 *                           Poisson model (JSON: /api/v1/evaluation)
 *   /evaluation.csv         the page's tables as CSV
 *   /evaluation/data        entering one school-year, importing a CSV
 *                           (POST /evaluation/data, /evaluation/import;
 *                           /api/v1/evaluation/data and /import)
 * Data and statistics: service/svc_evaluation.c, core/evaluate.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "lib/count.h"
#include "lib/csv.h"
#include "service/svc_evaluation.h"
#include "web/evaluation_json.h"
#include "web/form.h"
#include "web/router.h"
#include "web/view.h"

#define SIGN_CONVENTION "change = after - before; difference-in-differences = TAS change - comparison change; " \
                        "negative = fewer in TAS schools than the comparison schools' trend"
#define TAS_SCHOOLS "TAS schools are the schools in a TAS team (a team's host and cluster schools) or marked as " \
                    "TAS members on their school record; every other school of the authority in the phase is a " \
                    "comparison school"

#define WEIGHTING_MATCHED "only the TAS schools the matching matched, each once, and the comparison schools it " \
                          "chose, each weighted by the number of TAS schools it stands for: the sum over its " \
                          "pairs of 1/m, m the pair's TAS school's number of matches (the times it is chosen " \
                          "when k is 1); counts and pupils are summed times that weight for the rates, the " \
                          "regression weighs each school-year by weight x pupils and the Poisson model by weight"

#define COST_MODEL_METHOD "the dashboard's planned programme cost: every meeting in the schedule of the " \
                          "authority's TAS teams of the phase (the host school's), whatever its status, from 1 " \
                          "September of each year after to 31 August, with the school, the Strategic Lead, the Case " \
                          "Coordinator and the team's other core members present, each at the cost model's hourly " \
                          "cost with on-costs times the minutes of preparation, meeting, follow-up and travel; " \
                          "times share, the TAS schools in the figures' pupil-years after over all the phase's TAS " \
                          "schools', when the figures leave some out"

static const char *const group_names[2] = {"TAS schools", "Comparison schools"};
static const char *const group_keys[2] = {"tas", "comparison"};
static const char *const period_keys[2] = {"pre", "post"};

static void read_query(struct req *rq, struct eval_query *q)
{
    q->authority_id = view_authority(rq);
    q->kind = req_query(rq, "kind");
    q->phase = req_query(rq, "phase");
    q->pre = req_query(rq, "pre");
    q->post = req_query(rq, "post");
    q->cost = req_query(rq, "cost");
    q->comparison = req_query(rq, "comparison");
    q->k = req_query(rq, "k");
    q->caliper = req_query(rq, "caliper");
    q->replace = req_query(rq, "replace");
    const char *p = req_query(rq, "publish");
    q->publish = p && *p;
}

/* "2021/22" for 2021, "2021/22 and 2022/23" for two or more. */
static void years_text(const int *y, size_t n, char *out, size_t outsz)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && len < outsz; i++)
        len += (size_t)snprintf(out + len, outsz - len, "%s%d/%02d", i == 0 ? "" : i + 1 == n ? " and " : ", ",
                                y[i], (y[i] + 1) % 100);
}

/* "2021%2C2022": years for a query string. */
static void years_query(const int *y, size_t n, char *out, size_t outsz)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && len < outsz; i++)
        len += (size_t)snprintf(out + len, outsz - len, "%s%d", i ? "%2C" : "", y[i]);
}

/* x with decimals places (signed: with + or -); "z" (not applicable) for NaN or infinity. */
static void fmt(char *out, size_t n, int decimals, bool sign, double x)
{
    if (!isfinite(x))
        snprintf(out, n, "z");
    else if (sign)
        snprintf(out, n, "%+.*f", decimals, x);
    else
        snprintf(out, n, "%.*f", decimals, x);
}

/* ---- the JSON: the shape of `tas evaluate did`, with disclosure control -------- */

static void withhold(json_t *o, const char *key)
{
    json_object_set_new(o, key, json_string("c"));
}

/* The matching's options as chosen (the API's k, caliper, replace). */
static json_t *options_json(const struct eval_report *r)
{
    return json_pack("{s:I, s:o, s:b}", "k", (json_int_t)r->match_k, "caliper", ev_num(r->match_caliper), "replace",
                     r->match_replace);
}

/* The matching in words: "each TAS school's 2 nearest comparison schools
 * of the same phase, with replacement, within 0.25 pooled SDs, ...". */
static void matching_method(const struct eval_report *r, char *out, size_t n)
{
    char caliper[64] = "no caliper";
    if (isfinite(r->match_caliper))
        snprintf(caliper, sizeof caliper, "within %g pooled SDs (the caliper)", r->match_caliper);
    char nearest[48] = "nearest comparison school";
    if (r->match_k > 1)
        snprintf(nearest, sizeof nearest, "%zu nearest comparison schools", r->match_k);
    snprintf(out, n,
             "each TAS school's %s of the same phase, %s, %s, on the Euclidean distance of the covariates "
             "standardised by their pooled SD, closest pairs first",
             nearest, r->match_replace ? "with replacement" : "without replacement", caliper);
}

/* The balance table of the matched comparison (core/matching.h), or why
 * there is none; numbers as text with decimals places for the page, as
 * numbers (NaN null) for JSON. */
static json_t *matching_json(const struct eval_report *r, bool page)
{
    if (r->disc.did)
        return json_pack("{s:s}", "error", "withheld: it would reveal a suppressed count");
    if (r->match_err != MT_OK)
        return json_pack("{s:s, s:I}", "error", mt_error_text(r->match_err), "left_out",
                         (json_int_t)r->match_left_out);
    static const char *const labels[MT_NCOV] = {"Pupils on roll", "% FSM", "% SEN", "Rate per 100 before TAS"};
    json_t *rows = json_array();
    for (int k = 0; k < MT_NCOV; k++) {
        const struct mt_balance *b = &r->balance[k];
        double v[] = {b->mean_before[MT_TAS], b->mean_before[MT_COMPARISON], b->smd_before, b->mean_after[MT_TAS],
                      b->mean_after[MT_COMPARISON], b->smd_after};
        static const char *const keys[] = {"tas_before", "comparison_before", "smd_before", "tas_after",
                                           "comparison_after", "smd_after"};
        json_t *row = json_pack("{s:s, s:s}", "covariate", mt_covariate_name((enum mt_covariate)k), "label",
                                labels[k]);
        /* Means of schools' rates, with the schools' rolls, could give back one
         * school's count: under disclosure control they are withheld. */
        bool hide = k == MT_PRIOR_RATE && !r->exact;
        for (size_t i = 0; i < 6; i++) {
            char t[32];
            fmt(t, sizeof t, i == 2 || i == 5 ? 2 : 1, i == 2 || i == 5, v[i]);
            json_object_set_new(row, keys[i], hide ? json_string("c") : page ? json_string(t) : ev_num(v[i]));
        }
        json_array_append_new(rows, row);
    }
    char method[400];
    matching_method(r, method, sizeof method);
    return json_pack("{s:s, s:o, s:I, s:I, s:I, s:I, s:I, s:o}", "method", method, "options", options_json(r), "tas",
                     (json_int_t)r->match_tas, "tas_matched", (json_int_t)r->match_tas_matched, "comparison",
                     (json_int_t)r->match_comparison, "comparison_used", (json_int_t)r->match_comparison_used,
                     "left_out", (json_int_t)r->match_left_out, "balance", rows);
}

/* Why there are no figures: the matched comparison's failure, else the table's. */
static const char *report_error(const struct eval_report *r)
{
    return r->matched_error[0] ? r->matched_error : ev_error_text(r->table_err);
}

/* Which comparison schools the figures use, and how many. */
static json_t *comparison_json(const struct eval_report *r)
{
    return json_pack("{s:s, s:b, s:I, s:I, s:I, s:I, s:b, s:s}", "schools", r->matched_only ? "matched" : "all",
                     "matched_only", r->matched_only, "used", (json_int_t)r->comparison_schools, "of",
                     (json_int_t)r->comparison_schools_all, "tas_used", (json_int_t)r->tas_schools, "tas_of",
                     (json_int_t)r->tas_schools_all, "weighted", r->weighted, "weighting",
                     r->matched_only ? WEIGHTING_MATCHED : "every school of the phase, once");
}

static const char *cost_source_name(enum eval_cost_source s)
{
    return s == EVAL_COST_MODEL ? "cost model" : s == EVAL_COST_TYPED ? "typed" : "none";
}

/* The programme's cost: which was used, and the cost model's figure with
 * how it was made (money, not counts: never withheld). */
static json_t *programme_cost_json(const struct eval_report *r)
{
    const struct eval_cost_model *m = &r->model;
    json_t *model = json_pack("{s:b, s:o, s:o, s:o, s:I, s:s, s:s, s:s, s:s}", "available", m->available, "pounds",
                              ev_num(m->pounds), "share", ev_num(m->share), "pounds_used", ev_num(m->pounds_used),
                              "meetings", (json_int_t)m->meetings, "from", m->from, "to", m->to,
                              "roles_without_rate", m->missing_rates, "method", COST_MODEL_METHOD);
    if (!m->available)
        json_object_set_new(model, "not_available", json_string(m->why));
    return json_pack("{s:s, s:o, s:o}", "source", cost_source_name(r->cost_source), "pounds",
                     r->cost_source != EVAL_COST_NONE ? ev_num(r->cost.cost) : json_null(), "cost_model", model);
}

static json_t *report_json(const struct eval_report *r)
{
    json_t *j;
    if (r->table_err != EV_OK) {
        j = json_pack("{s:s, s:s}", "label", "association, not proof of cause", "error", report_error(r));
    } else {
        struct ev_panel p = eval_panel(r);
        j = ev_result_json(&p, &r->table, r->fit_err, &r->fit, ev_event_json(r->es_err, &r->es),
                           ev_poisson_json(r->po_err, &r->po));
        json_t *groups = json_object_get(j, "groups");
        for (int g = 0; g < 2; g++) {
            json_t *gj = json_object_get(groups, group_keys[g]);
            for (int t = 0; t < 2; t++)
                if (r->disc.cell[g][t]) {
                    json_t *cell = json_object_get(gj, period_keys[t]);
                    withhold(cell, "count");
                    withhold(cell, "rate_per_100");
                    withhold(cell, "one_in");
                    if (json_object_get(cell, "weighted_count"))
                        withhold(cell, "weighted_count");
                }
            if (r->disc.change[g]) {
                withhold(gj, "change_per_100");
                withhold(gj, "change_pct");
            }
        }
        if (r->cost_source != EVAL_COST_NONE)
            json_object_set_new(j, "cost_effectiveness", ev_cost_json(&r->cost));
        if (r->disc.did) {
            static const char *const keys[] = {"did_per_100", "did_pct", "did_one_in", "regression", "event_study",
                                               "poisson", "cost_effectiveness"};
            for (size_t i = 0; i < COUNT(keys); i++)
                withhold(j, keys[i]);
        }
    }
    json_object_set_new(j, "sign_convention", json_string(SIGN_CONVENTION));
    json_object_set_new(j, "kind", json_pack("{s:s, s:s, s:s}", "code", r->kind.code, "label", r->kind.label, "source",
                                             r->kind.computed ? "computed from tas records" : "entered or imported"));
    json_object_set_new(j, "phase", json_string(r->phase));
    json_object_set_new(j, "matching", matching_json(r, false));
    json_object_set_new(j, "comparison", comparison_json(r));
    json_object_set_new(j, "programme_cost", programme_cost_json(r));
    json_object_set_new(j, "tas_schools", json_string(TAS_SCHOOLS));
    json_object_set_new(j, "exact", json_boolean(r->exact));
    json_object_set_new(j, "threshold", json_integer(r->threshold));
    json_object_set_new(j, "school_years_missing", json_integer((json_int_t)r->school_years_missing));
    return j;
}

/* ---- the page ------------------------------------------------------------------ */

/* A weighted sum: whole, or with 2 decimals when a weight made it not. */
static void fmt_sum(char *out, size_t n, double x)
{
    fmt(out, n, fabs(x - round(x)) < 1e-9 ? 0 : 2, false, x);
}

/* The page shows the sums the rate is made of: weighted in a weighted view. */
static json_t *cell_ctx(const struct eval_report *r, int g, int t)
{
    const struct ev_cell *c = &r->table.cell[g][t];
    char rate[32], one[48], count[32], pupils[32];
    fmt_sum(pupils, sizeof pupils, c->weighted_pupils);
    if (r->disc.cell[g][t]) {
        snprintf(rate, sizeof rate, "c");
        snprintf(one, sizeof one, "c");
        snprintf(count, sizeof count, "c");
    } else {
        fmt(rate, sizeof rate, 2, false, c->rate_per_100);
        char n[32];
        fmt(n, sizeof n, 0, false, c->one_in);
        snprintf(one, sizeof one, c->count == 0 ? "none" : "1 in %s", n);
        fmt_sum(count, sizeof count, c->weighted_count);
    }
    return json_pack("{s:s, s:s, s:s, s:s, s:I}", "rate", rate, "one_in", one, "count", count, "pupils", pupils,
                     "schools", (json_int_t)c->schools);
}

static json_t *table_ctx(const struct eval_report *r)
{
    json_t *rows = json_array();
    for (int g = 0; g < 2; g++) {
        char change[32], pct[32];
        if (r->disc.change[g]) {
            snprintf(change, sizeof change, "c");
            snprintf(pct, sizeof pct, "c");
        } else {
            fmt(change, sizeof change, 2, true, r->table.change_per_100[g]);
            fmt(pct, sizeof pct, 1, true, r->table.change_pct[g]);
            if (strcmp(pct, "z"))
                strcat(pct, "%");
        }
        json_array_append_new(rows, json_pack("{s:s, s:o, s:o, s:s, s:s}", "group", group_names[g], "pre",
                                              cell_ctx(r, g, EV_PRE), "post", cell_ctx(r, g, EV_POST), "change",
                                              change, "change_pct", pct));
    }
    char did[32], pct[32], one[64];
    if (r->disc.did) {
        snprintf(did, sizeof did, "c");
        snprintf(pct, sizeof pct, "c");
        snprintf(one, sizeof one, "c");
    } else {
        fmt(did, sizeof did, 2, true, r->table.did_per_100);
        fmt(pct, sizeof pct, 1, true, r->table.did_pct);
        if (isfinite(r->table.did_one_in))
            snprintf(one, sizeof one, "1 %s pupil in every %.0f", r->table.did_per_100 < 0 ? "fewer" : "more",
                     r->table.did_one_in);
        else
            snprintf(one, sizeof one, "no difference");
    }
    return json_pack("{s:o, s:s, s:s, s:s, s:b}", "rows", rows, "did", did, "did_pct", pct, "did_one_in", one,
                     "did_negative", !r->disc.did && r->table.did_per_100 < 0);
}

static json_t *fit_ctx(const struct eval_report *r)
{
    if (r->disc.did)
        return json_pack("{s:s}", "error", "withheld: it would reveal a suppressed count");
    if (r->fit_err != EV_OK)
        return json_pack("{s:s}", "error", ev_error_text(r->fit_err));
    char est[32], se[32], lo[32], hi[32];
    fmt(est, sizeof est, 3, true, r->fit.estimate);
    fmt(se, sizeof se, 3, false, r->fit.se_cluster);
    fmt(lo, sizeof lo, 3, true, r->fit.ci95[0]);
    fmt(hi, sizeof hi, 3, true, r->fit.ci95[1]);
    return json_pack("{s:s, s:s, s:s, s:s, s:i, s:I, s:I, s:I, s:I, s:I}", "estimate", est, "se", se, "lo", lo, "hi",
                     hi, "df", r->fit.df, "schools", (json_int_t)r->fit.schools, "schools_tas",
                     (json_int_t)r->fit.schools_tas, "schools_comparison", (json_int_t)r->fit.schools_comparison,
                     "school_years", (json_int_t)r->fit.observations, "pupils", (json_int_t)r->fit.pupils);
}

static json_t *poisson_ctx(const struct eval_report *r)
{
    if (r->disc.did)
        return json_pack("{s:s}", "error", "withheld: it would reveal a suppressed count");
    if (r->po_err != EV_OK)
        return json_pack("{s:s}", "error", ev_error_text(r->po_err));
    char rr[32], lo[32], hi[32];
    fmt(rr, sizeof rr, 3, false, r->po.rate_ratio);
    fmt(lo, sizeof lo, 3, false, r->po.rate_ratio_ci95[0]);
    fmt(hi, sizeof hi, 3, false, r->po.rate_ratio_ci95[1]);
    return json_pack("{s:s, s:s, s:s, s:I, s:I}", "rate_ratio", rr, "lo", lo, "hi", hi, "schools",
                     (json_int_t)r->po.schools, "left_out", (json_int_t)r->po.schools_all_zero);
}

static json_t *cost_ctx(const struct eval_report *r)
{
    if (r->cost_source == EVAL_COST_NONE)
        return json_pack("{s:s}", "error", "no programme cost: none was typed and the cost model gives none");
    if (r->disc.did)
        return json_pack("{s:s}", "error", "withheld: it would reveal a suppressed count");
    if (!r->cost.defined)
        return json_pack("{s:s}", "error", r->cost.why ? r->cost.why : "not defined");
    char cost[32], avoided[32], per[32];
    fmt(cost, sizeof cost, 0, false, r->cost.cost);
    fmt(avoided, sizeof avoided, 1, false, r->cost.events_avoided);
    fmt(per, sizeof per, 0, false, r->cost.cost_per_event_avoided);
    return json_pack("{s:s, s:s, s:s, s:I}", "cost", cost, "avoided", avoided, "per_event", per, "pupils_after",
                     (json_int_t)r->cost.pupils_after);
}

static json_t *event_ctx(const struct eval_report *r)
{
    if (r->disc.did)
        return json_pack("{s:s}", "error", "withheld: it would reveal a suppressed count");
    if (r->es_err != EV_OK)
        return json_pack("{s:s}", "error", r->es_err == EV_ERR_ONE_PRE_YEAR
                                               ? "needs two or more years before TAS: with one, nothing can check "
                                                 "that the two groups moved in parallel before"
                                               : ev_error_text(r->es_err));
    struct ev_chart ch;
    if (ev_chart_layout(&r->es, &ch) != 0)
        return json_pack("{s:s}", "error", "no years to show");
    json_t *points = json_array(), *ticks = json_array();
    for (size_t i = 0, k = 0; i < ch.n; i++) {
        const struct ev_chart_point *pt = &ch.p[i];
        char label[16], est[32] = "0 (reference)", ci[64] = "";
        snprintf(label, sizeof label, "%d/%02d", pt->year, (pt->year + 1) % 100);
        if (!pt->reference) {
            const struct ev_event_year *y = &r->es.year[k++];
            fmt(est, sizeof est, 3, true, y->estimate);
            char lo[24], hi[24];
            fmt(lo, sizeof lo, 3, true, y->ci95[0]);
            fmt(hi, sizeof hi, 3, true, y->ci95[1]);
            snprintf(ci, sizeof ci, "%s to %s", lo, hi);
        }
        json_array_append_new(points, json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:b}", "label", label,
                                                "period", pt->reference ? "before (reference)" : pt->post ? "after" : "before",
                                                "estimate", est, "ci", ci, "x", pt->x, "y", pt->y, "y_lo", pt->y_lo,
                                                "y_hi", pt->y_hi, "label_y", ch.plot_y + ch.plot_h + 20,
                                                "reference", pt->reference));
    }
    for (int i = 0; i < 5; i++) {
        char v[32];
        fmt(v, sizeof v, 2, true, ch.tick_value[i]);
        json_array_append_new(ticks, json_pack("{s:s, s:i, s:i}", "value", v, "y", ch.tick_y[i], "text_y",
                                               ch.tick_y[i] + 4));
    }
    char p[32];
    fmt(p, sizeof p, 3, false, r->es.p_value);
    return json_pack("{s:o, s:o, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:s, s:I}", "points", points, "ticks", ticks,
                     "width", ch.width, "height", ch.height, "x0", ch.plot_x, "x1", ch.plot_x + ch.plot_w, "zero_y",
                     ch.zero_y, "y0", ch.plot_y, "y1", ch.plot_y + ch.plot_h, "p_value", p, "leads",
                     (json_int_t)r->es.leads);
}

/* Radios of choices[n] {value, label}, current (blank: the first) checked. */
static json_t *radios(const char *name, const char *legend, const struct field_errors *errs,
                      const char *const (*choices)[2], size_t n, const char *current, const char *hint)
{
    json_t *f = fld_radios(name, legend, errs, 1);
    const char *cur = current && *current ? current : choices[0][0];
    for (size_t i = 0; i < n; i++)
        json_array_append_new(json_object_get(f, "items"), json_pack("{s:s, s:s, s:b}", "value", choices[i][0], "label",
                                                                     choices[i][1], "checked",
                                                                     !strcmp(cur, choices[i][0])));
    json_object_set_new(f, "hint", json_string(hint));
    return f;
}

static json_t *query_fields(const struct eval_query *q, const struct eval_kinds *kinds,
                            const struct field_errors *errs)
{
    json_t *kind = fld_select_blank("kind", "Kind of count", errs, NULL, "Choose a kind of count", q->kind);
    for (size_t i = 0; i < kinds->n; i++)
        fld_add_option(kind, kinds->k[i].code, kinds->k[i].label, q->kind);
    json_t *phase = fld_select("phase", "Phase", errs, NULL);
    static const char *const phases[][2] = {{"all", "All schools"}, {"primary", "Primary"}, {"secondary", "Secondary"}};
    for (size_t i = 0; i < 3; i++)
        fld_add_option(phase, phases[i][0], phases[i][1], q->phase && *q->phase ? q->phase : "all");
    static const char *const comparisons[][2] = {{"all", "All"}, {"matched", "Matched only"}};
    static const char *const replaces[][2] = {{"no", "Without replacement"}, {"yes", "With replacement"}};
    json_t *k = fld_input("k", "Number of matches for each TAS school", q->k ? q->k : "", errs,
                          "A whole number from 1 to 5; blank is 1");
    fld_number(k, "govuk-input--width-2", "numeric");
    json_t *caliper = fld_input("caliper", "Caliper in pooled standard deviations (optional)",
                                q->caliper ? q->caliper : "", errs,
                                "The furthest apart a pair may be, like 0.2; leave it blank for no caliper. A TAS "
                                "school with no comparison school this close is left unmatched. Figures prepared "
                                "for publication take " EVAL_CALIPER_STEPS_TEXT " only");
    fld_number(caliper, "govuk-input--width-4", "decimal");
    json_t *cost = fld_input("cost", "Programme cost in pounds (optional)", q->cost ? q->cost : "", errs,
                             "Leave it blank to use the cost model's planned cost of the TAS meetings in the years "
                             "after (shown below with how it is worked out). A figure typed here is used instead: "
                             "what TAS cost in the TAS schools of these figures in the years after");
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "comparison",
                     radios("comparison", "Comparison schools", errs, comparisons, 2, q->comparison,
                            "Matched only: the TAS schools the matching matched and the comparison schools it "
                            "chose, in place of all of them"),
                     "k", k, "caliper", caliper, "replace",
                     radios("replace", "Matching with or without replacement", errs, replaces, 2, q->replace,
                            "With replacement a comparison school may be chosen for more than one TAS school, and "
                            "then counts for each"),
                     "cost", cost, "kind", kind, "phase", phase, "pre",
                     fld_input("pre", "Academic years before TAS", q->pre ? q->pre : "", errs,
                               "The first calendar year of each, separated by commas: 2022 for 2022/23"),
                     "post",
                     fld_input("post", "Academic years after TAS began", q->post ? q->post : "", errs,
                               "For example, 2024, or 2024,2025"));
}

/* The programme's cost for the page: which was used and the cost model's
 * figure with its period and how it is worked out. */
static json_t *programme_cost_ctx(const struct eval_report *r)
{
    const struct eval_cost_model *m = &r->model;
    char used[32], model[32], model_used[32], share[32], from[32], to[32];
    fmt(used, sizeof used, 0, false, r->cost.cost);
    fmt(model, sizeof model, 0, false, m->pounds);
    fmt(model_used, sizeof model_used, 0, false, m->pounds_used);
    fmt(share, sizeof share, 1, false, 100 * m->share);
    date_label(m->from, from, sizeof from);
    date_label(m->to, to, sizeof to);
    return json_pack("{s:b, s:b, s:b, s:s, s:b, s:s, s:s, s:b, s:s, s:I, s:s, s:s, s:s, s:s, s:s}", "typed",
                     r->cost_source == EVAL_COST_TYPED, "from_model", r->cost_source == EVAL_COST_MODEL, "none",
                     r->cost_source == EVAL_COST_NONE, "pounds", used, "model_available", m->available,
                     "model_pounds", model, "model_used", model_used, "pro_rated", m->available && m->share < 1,
                     "share_pct", share, "meetings", (json_int_t)m->meetings, "from", from, "to", to,
                     "missing_rates", m->missing_rates, "why", m->why, "method", COST_MODEL_METHOD);
}

static void evaluation_page(struct req *rq, struct resp *rs, int status, const struct eval_query *q,
                            const struct eval_kinds *kinds, const struct eval_report *r,
                            const struct field_errors *errs)
{
    json_t *ctx = view_page(rq, "Did it work? Evaluation", "evaluation");
    view_breadcrumbs(ctx, "/", "Home", NULL);
    json_object_set_new(ctx, "fields", query_fields(q, kinds, errs));
    json_object_set_new(ctx, "authority_id", json_integer(q->authority_id));
    json_object_set_new(ctx, "publish_checked", json_boolean(q->publish));
    json_object_set_new(ctx, "sign_convention", json_string(SIGN_CONVENTION));
    json_object_set_new(ctx, "tas_schools", json_string(TAS_SCHOOLS));
    struct svc_ctx c = req_svc_ctx(rq);
    json_object_set_new(ctx, "may_enter",
                        json_boolean(svc_allowed(&c, ACT_EDIT, RES_EVALUATION, 0, q->authority_id, 0)));
    json_object_set_new(ctx, "may_export",
                        json_boolean(svc_allowed(&c, ACT_EXPORT, RES_EVALUATION, 0, q->authority_id, 0)));
    view_set_errors(ctx, errs);
    if (r) {
        char pre[160], post[160], query[512];
        years_text(r->pre, r->npre, pre, sizeof pre);
        years_text(r->post, r->npost, post, sizeof post);
        /* From the checked values only (years as parsed, the cost's digits). */
        char pre_q[160], post_q[160];
        years_query(r->pre, r->npre, pre_q, sizeof pre_q);
        years_query(r->post, r->npost, post_q, sizeof post_q);
        bool typed = r->cost_source == EVAL_COST_TYPED;
        char k[32] = "", caliper[48] = "";
        if (r->match_k > 1)
            snprintf(k, sizeof k, "&k=%zu", r->match_k);
        if (isfinite(r->match_caliper))
            snprintf(caliper, sizeof caliper, "&caliper=%g", r->match_caliper);
        snprintf(query, sizeof query, "authority_id=%lld&kind=%s&phase=%s&pre=%s&post=%s%s%s%s%s%s%s%s",
                 (long long)q->authority_id, r->kind.code, r->phase, pre_q, post_q, q->publish ? "&publish=yes" : "",
                 typed ? "&cost=" : "", typed ? q->cost : "", r->matched_only ? "&comparison=matched" : "", k,
                 caliper, r->match_replace ? "&replace=yes" : "");
        json_t *res = json_pack("{s:s, s:b, s:s, s:s, s:s, s:b, s:i, s:I, s:s}", "kind", r->kind.label, "computed",
                                r->kind.computed, "phase", !strcmp(r->phase, "all") ? "all phases" : r->phase, "pre",
                                pre, "post", post, "exact", r->exact, "threshold", r->threshold,
                                "school_years_missing", (json_int_t)r->school_years_missing, "query", query);
        json_object_set_new(res, "comparison", comparison_json(r));
        json_object_set_new(res, "matched_view", json_boolean(r->matched_only));
        json_object_set_new(res, "weighted_view", json_boolean(r->weighted));
        json_object_set_new(res, "programme_cost", programme_cost_ctx(r));
        char method[400];
        matching_method(r, method, sizeof method);
        json_object_set_new(res, "matching_method", json_string(method));
        if (r->table_err != EV_OK) {
            json_object_set_new(res, "error", json_string(report_error(r)));
        } else {
            json_object_set_new(res, "table", table_ctx(r));
            json_object_set_new(res, "fit", fit_ctx(r));
            json_object_set_new(res, "event", event_ctx(r));
            json_object_set_new(res, "poisson", poisson_ctx(r));
            json_object_set_new(res, "matching", matching_json(r, true));
            json_object_set_new(res, "cost", cost_ctx(r));
        }
        json_object_set_new(ctx, "result", res);
    }
    view_render(rq, rs, status, "evaluation", ctx);
}

static void h_evaluation(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct eval_query q = {0};
    read_query(rq, &q);
    struct eval_kinds *kinds = req_alloc(rq, sizeof *kinds);
    enum svc_status st = kinds ? svc_eval_kinds(&c, q.authority_id, kinds) : SVC_ERROR;
    if (view_failed(rq, rs, st))
        return;
    if (!rq->api && !q.kind) {   /* the page alone: choose what to compare */
        evaluation_page(rq, rs, 200, &q, kinds, NULL, NULL);
        return;
    }
    struct eval_report *r = req_alloc(rq, sizeof *r);
    struct field_errors errs = {0};
    st = r ? svc_eval_report(&c, &q, r, &errs) : SVC_ERROR;
    if (st == SVC_INVALID && !rq->api) {
        evaluation_page(rq, rs, 400, &q, kinds, NULL, &errs);
        return;
    }
    if (view_failed_json(rq, rs, st, &errs))
        return;
    if (rq->api)
        view_json(rs, 200, report_json(r));
    else
        evaluation_page(rq, rs, 200, &q, kinds, r, NULL);
}

/* ---- the CSV: the page's tables, as shown (suppressed counts are "c") ---------- */

/* One row: numbers as numbers, the rest as text. */
static void csv_row(struct csv *w, const char *const *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        csv_number(w, f[i]);
    csv_end_row(w);
}

static void h_evaluation_csv(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct eval_query q = {0};
    read_query(rq, &q);
    q.export = true;
    struct eval_report *r = req_alloc(rq, sizeof *r);
    struct field_errors errs = {0};
    if (view_failed(rq, rs, r ? svc_eval_report(&c, &q, r, &errs) : SVC_ERROR))
        return;
    buf_reset(&rs->body);
    struct csv w = CSV_INIT(&rs->body);
    csv_row(&w, (const char *[]){"kind", r->kind.label, "source",
                                 r->kind.computed ? "computed from tas records" : "entered or imported"}, 4);
    csv_row(&w, (const char *[]){"sign convention", SIGN_CONVENTION}, 2);
    csv_row(&w, (const char *[]){"label", "association, not proof of cause"}, 2);
    char used[24], of[24], tas_used[24], tas_of[24], method[400], pounds[32];
    snprintf(used, sizeof used, "%zu", r->comparison_schools);
    snprintf(of, sizeof of, "%zu", r->comparison_schools_all);
    snprintf(tas_used, sizeof tas_used, "%zu", r->tas_schools);
    snprintf(tas_of, sizeof tas_of, "%zu", r->tas_schools_all);
    csv_row(&w, (const char *[]){"comparison schools", r->matched_only ? "matched only" : "all", "used", used, "of",
                                 of}, 6);
    csv_row(&w, (const char *[]){"tas schools", r->matched_only ? "matched only" : "all", "used", tas_used, "of",
                                 tas_of}, 6);
    matching_method(r, method, sizeof method);
    csv_row(&w, (const char *[]){"matching", method}, 2);
    fmt(pounds, sizeof pounds, 2, false, r->cost.cost);
    csv_row(&w, (const char *[]){"programme cost (GBP)", r->cost_source == EVAL_COST_NONE ? "" : pounds, "source",
                                 cost_source_name(r->cost_source)}, 4);
    if (r->table_err != EV_OK) {
        csv_row(&w, (const char *[]){"error", report_error(r)}, 2);
    } else {
        csv_row(&w, (const char *[]){"group", "period", "schools", "pupils", "count", "rate_per_100", "one_in",
                                     "change_per_100", "change_pct"}, 9);
        json_t *t = table_ctx(r);
        for (int g = 0; g < 2; g++) {
            json_t *row = json_array_get(json_object_get(t, "rows"), (size_t)g);
            for (int p = 0; p < 2; p++) {
                json_t *cell = json_object_get(row, period_keys[p]);
                char schools[24], pupils[24];
                snprintf(schools, sizeof schools, "%lld", (long long)r->table.cell[g][p].schools);
                snprintf(pupils, sizeof pupils, "%lld", (long long)r->table.cell[g][p].pupils);
                csv_row(&w, (const char *[]){group_keys[g], period_keys[p], schools, pupils,
                                             json_string_value(json_object_get(cell, "count")),
                                             json_string_value(json_object_get(cell, "rate")),
                                             json_string_value(json_object_get(cell, "one_in")),
                                             p ? json_string_value(json_object_get(row, "change")) : "",
                                             p ? json_string_value(json_object_get(row, "change_pct")) : ""}, 9);
            }
        }
        csv_row(&w, (const char *[]){"did_per_100", json_string_value(json_object_get(t, "did"))}, 2);
        csv_row(&w, (const char *[]){"did_pct", json_string_value(json_object_get(t, "did_pct"))}, 2);
        json_decref(t);
        json_t *f = fit_ctx(r);
        const char *err = json_string_value(json_object_get(f, "error"));
        if (err)
            csv_row(&w, (const char *[]){"regression", err}, 2);
        else
            csv_row(&w, (const char *[]){"regression estimate", json_string_value(json_object_get(f, "estimate")),
                                         "se_cluster", json_string_value(json_object_get(f, "se")), "ci95 low",
                                         json_string_value(json_object_get(f, "lo")), "ci95 high",
                                         json_string_value(json_object_get(f, "hi"))}, 8);
        json_decref(f);
        if (r->cost_source != EVAL_COST_NONE) {
            json_t *k = cost_ctx(r);
            const char *why = json_string_value(json_object_get(k, "error"));
            if (why)
                csv_row(&w, (const char *[]){"cost per event avoided", why}, 2);
            else
                csv_row(&w, (const char *[]){"cost per event avoided (GBP)",
                                             json_string_value(json_object_get(k, "per_event")), "events avoided",
                                             json_string_value(json_object_get(k, "avoided"))}, 4);
            json_decref(k);
        }
    }
    rs->status = 200;
    rs->content_type = "text/csv; charset=utf-8";
    snprintf(rs->disposition, sizeof rs->disposition, "attachment; filename=\"tas-evaluation.csv\"");
}

/* ---- entering and importing ------------------------------------------------------ */

static const struct req_field entry_fields[] = {
    REQ_FIELD(struct eval_entry, school_id), REQ_FIELD(struct eval_entry, year),
    REQ_FIELD(struct eval_entry, pupils),    REQ_FIELD(struct eval_entry, kind),
    REQ_FIELD(struct eval_entry, other_kind), REQ_FIELD(struct eval_entry, count),
};

struct import_form {
    const char *kind, *other_kind, *csv, *dry_run;
};

static const struct req_field import_fields[] = {
    REQ_FIELD(struct import_form, kind), REQ_FIELD(struct import_form, other_kind),
    REQ_FIELD(struct import_form, csv), REQ_FIELD(struct import_form, dry_run),
};

static void school_option(void *arg, const struct eval_school_row *s)
{
    char label[200];
    snprintf(label, sizeof label, "%s (%s, %s)", s->name, s->phase, s->tas ? "TAS" : "comparison");
    fld_choice_add(arg, s->id, label);
}

static json_t *kind_select(const char *current, const struct eval_kinds *kinds, const struct field_errors *errs)
{
    json_t *k = fld_select_blank("kind", "Kind of count", errs, "Or name a new kind below", "Choose a kind of count",
                                 current);
    for (size_t i = 0; i < kinds->n; i++)
        if (!kinds->k[i].computed)
            fld_add_option(k, kinds->k[i].code, kinds->k[i].label, current);
    return k;
}

/* The entry page (import false) or the import page: the one form each, so
 * their fields' ids never meet. */
static void data_page(struct req *rq, struct resp *rs, int status, bool import, const struct eval_entry *e,
                      const struct import_form *im, const struct eval_import *result, const struct field_errors *errs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    int64_t authority = view_authority(rq);
    struct eval_kinds *kinds = req_alloc(rq, sizeof *kinds);
    enum svc_status st = kinds ? svc_eval_kinds(&c, authority, kinds) : SVC_ERROR;
    json_t *school = fld_select_blank("school_id", "School", errs, NULL, "Choose a school", e ? e->school_id : "");
    if (st == SVC_OK)
        st = svc_eval_schools(&c, authority, school_option, &(struct fld_choice){school, e ? e->school_id : ""});
    if (view_failed(rq, rs, st)) {
        json_decref(school);
        return;
    }
    json_t *ctx = view_page(rq, import ? "Import evaluation data" : "Evaluation data", "evaluation");
    view_breadcrumbs(ctx, "/", "Home", "/evaluation", "Evaluation", NULL);
    json_object_set_new(ctx, "authority_id", json_integer(authority));
    if (import) {
        json_decref(school);
        json_t *csv = fld_textarea("csv", "CSV file", im ? im->csv : "", errs,
                                   "Paste the file. The first line must be school,year,group,pupils,count: school "
                                   "is the URN, group is tas or comparison, year is 2024 for 2024/25.");
        fld_set(csv, "spellcheck_off", "1");
        json_object_set_new(csv, "rows", json_integer(10));
        json_object_set_new(ctx, "fields",
                            json_pack("{s:o, s:o, s:o}", "kind", kind_select(im ? im->kind : "", kinds, errs),
                                      "other_kind", fld_input("other_kind", "New kind of count (optional)",
                                                              im ? im->other_kind : "", errs, NULL),
                                      "csv", csv));
        if (result && (result->nbad || !result->written)) {
            json_t *bad = json_array();
            for (size_t i = 0; i < result->nbad && i < EVAL_MAX_BAD; i++)
                json_array_append_new(bad, json_pack("{s:I, s:s}", "line", (json_int_t)result->bad[i].line,
                                                     "reason", result->bad[i].reason));
            json_object_set_new(ctx, "import_result",
                                json_pack("{s:I, s:I, s:o, s:b}", "rows", (json_int_t)result->rows, "nbad",
                                          (json_int_t)result->nbad, "bad", bad, "checked", result->nbad == 0));
        }
    } else {
        json_t *kl = json_array();
        for (size_t i = 0; i < kinds->n; i++)
            json_array_append_new(kl, json_pack("{s:s, s:s}", "label", kinds->k[i].label, "source",
                                                kinds->k[i].computed ? "Computed from tas records"
                                                                     : "Entered or imported"));
        json_object_set_new(ctx, "kinds", kl);
        json_object_set_new(
            ctx, "fields",
            json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "school_id", school, "year",
                      fld_input("year", "Academic year", e ? e->year : "", errs,
                                "Its first calendar year: 2024 for 2024/25"),
                      "pupils", fld_input("pupils", "Pupils on roll", e ? e->pupils : "", errs, NULL), "kind",
                      kind_select(e ? e->kind : "", kinds, errs), "other_kind",
                      fld_input("other_kind", "New kind of count (optional)", e ? e->other_kind : "", errs,
                                "Lower-case letters, digits and _, for example referrals_camhs"),
                      "count", fld_input("count", "Count that year (optional)", e ? e->count : "", errs, NULL)));
    }
    view_set_errors(ctx, errs);
    view_flash(ctx, req_query(rq, "saved") ? "Figures saved" : req_query(rq, "imported") ? "File imported" : NULL);
    view_render(rq, rs, status, import ? "evaluation_import" : "evaluation_data", ctx);
}

static void h_data(struct req *rq, struct resp *rs)
{
    data_page(rq, rs, 200, false, NULL, NULL, NULL, NULL);
}

static void h_import_page(struct req *rq, struct resp *rs)
{
    data_page(rq, rs, 200, true, NULL, NULL, NULL, NULL);
}

static void h_data_save(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct eval_entry e = {0};
    req_fields(rq, entry_fields, COUNT(entry_fields), &e);
    struct field_errors errs = {0};
    enum svc_status st = svc_eval_save(&c, view_authority(rq), &e, &errs);
    enum save_next n = view_answer_save(rq, rs, st, &errs);
    if (n == SAVE_OK)
        view_saved(rq, rs, 200, "school_year",
                   json_pack("{s:s, s:s, s:s, s:s}", "school_id", e.school_id ? e.school_id : "", "year",
                             e.year ? e.year : "", "pupils", e.pupils ? e.pupils : "", "count",
                             e.count ? e.count : ""),
                   "/evaluation/data?authority_id=%lld&saved=1", (long long)view_authority(rq));
    else if (n == SAVE_FORM)
        data_page(rq, rs, 400, false, &e, NULL, NULL, &errs);
}

static json_t *import_json(const struct eval_import *r, bool dry_run)
{
    json_t *bad = json_array();
    for (size_t i = 0; i < r->nbad && i < EVAL_MAX_BAD; i++)
        json_array_append_new(bad, json_pack("{s:I, s:s}", "line", (json_int_t)r->bad[i].line, "reason",
                                             r->bad[i].reason));
    return json_pack("{s:I, s:I, s:o, s:b, s:b}", "rows", (json_int_t)r->rows, "bad_rows", (json_int_t)r->nbad,
                     "bad", bad, "dry_run", dry_run, "written", r->written);
}

static void h_import(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct import_form f = {0};
    req_fields(rq, import_fields, COUNT(import_fields), &f);
    bool dry = f.dry_run && *f.dry_run && strcmp(f.dry_run, "false") && strcmp(f.dry_run, "0");
    struct eval_import *r = req_alloc(rq, sizeof *r);
    struct field_errors errs = {0};
    enum svc_status st = r ? svc_eval_import(&c, view_authority(rq), f.kind, f.other_kind, f.csv, dry, r, &errs)
                           : SVC_ERROR;
    if (rq->api && (st == SVC_OK || (st == SVC_INVALID && r->nbad))) {
        view_json(rs, st == SVC_OK ? 200 : 422, import_json(r, dry));
        return;
    }
    enum save_next n = view_answer_save(rq, rs, st, &errs);
    if (n == SAVE_OK && !dry)
        view_saved(rq, rs, 200, "import", NULL, "/evaluation/data?authority_id=%lld&imported=%zu",
                   (long long)view_authority(rq), r->rows);
    else if (n == SAVE_OK || n == SAVE_FORM)
        data_page(rq, rs, n == SAVE_OK ? 200 : 400, true, NULL, &f, r, &errs);
}

static const struct route routes[] = {
    {"GET", "/evaluation", h_evaluation, 0},
    {"GET", "/evaluation.csv", h_evaluation_csv, 0},
    {"GET", "/evaluation/data", h_data, 0},
    {"POST", "/evaluation/data", h_data_save, 0},
    {"GET", "/evaluation/import", h_import_page, 0},
    {"POST", "/evaluation/import", h_import, 0},
    {"GET", "/api/v1/evaluation", h_evaluation, 0},
    {"POST", "/api/v1/evaluation/data", h_data_save, 0},
    {"POST", "/api/v1/evaluation/import", h_import, 0},
};

ROUTE_TABLE(evaluation_table, routes);
