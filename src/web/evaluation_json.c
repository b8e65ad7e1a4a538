/* The evaluation's results as JSON, one shape for `tas evaluate did` and
 * /api/v1/evaluation (core/evaluate.h gives the numbers; NaN and infinity
 * are null). */
#include "web/evaluation_json.h"

#include <math.h>


/* A number, or null for NaN and infinity (JSON has neither). */
json_t *ev_num(double x)
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

/* count and pupils as the rows hold them; with weights also the weighted
 * sums the rate is made of. */
static json_t *cell_json(const struct ev_cell *c, bool weighted)
{
    json_t *j = json_pack("{s:o, s:o, s:I, s:I, s:I, s:I}", "rate_per_100", ev_num(c->rate_per_100), "one_in",
                          ev_num(c->one_in), "count", (json_int_t)c->count, "pupils", (json_int_t)c->pupils,
                          "schools", (json_int_t)c->schools, "school_years", (json_int_t)c->rows);
    if (weighted)
        json_object_update_new(j, json_pack("{s:o, s:o}", "weighted_count", ev_num(c->weighted_count),
                                            "weighted_pupils", ev_num(c->weighted_pupils)));
    return j;
}

static json_t *group_json(const struct ev_table *t, int g, bool weighted)
{
    return json_pack("{s:o, s:o, s:o, s:o}", "pre", cell_json(&t->cell[g][EV_PRE], weighted), "post",
                     cell_json(&t->cell[g][EV_POST], weighted), "change_per_100", ev_num(t->change_per_100[g]),
                     "change_pct", ev_num(t->change_pct[g]));
}

static json_t *fit_json(const struct ev_fit *f)
{
    return json_pack("{s:s, s:o, s:o, s:s, s:[o,o], s:s, s:o, s:i, s:I, s:I, s:I, s:I, s:I, s:I}", "model",
                     "rate_per_100 ~ treat + school + year, weighted by pupils (two-way fixed effects); "
                     "treat = TAS school in a year after",
                     "estimate", ev_num(f->estimate), "se_cluster", ev_num(f->se_cluster), "se_type",
                     "CR1, clustered by school: G/(G-1) * (n-1)/(n-k), as R sandwich::vcovCL(type = \"HC1\") "
                     "and Stata's vce(cluster)",
                     "ci95", ev_num(f->ci95[0]), ev_num(f->ci95[1]), "ci95_method", "t with G-1 degrees of freedom",
                     "t_critical", ev_num(f->t_crit), "df", f->df, "schools", (json_int_t)f->schools, "schools_tas",
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

static json_t *poisson_fit_json(const struct ev_poisson *f)
{
    json_t *j = json_pack("{s:s, s:s, s:o, s:o, s:[o,o], s:o, s:[o,o], s:s, s:s, s:o, s:i}", "model",
                          "log E[count] = log(pupils) + school + year + estimate x treat (Poisson, log link, "
                          "pupils as exposure), fitted by IRLS; treat = TAS school in a year after",
                          "meaning", "estimate is the log rate ratio; rate_ratio = exp(estimate): the TAS schools' "
                          "rate after, as a multiple of what it would have been had it moved as the comparison "
                          "schools' did",
                          "estimate", ev_num(f->estimate), "se_cluster", ev_num(f->se_cluster), "ci95", ev_num(f->ci95[0]),
                          ev_num(f->ci95[1]), "rate_ratio", ev_num(f->rate_ratio), "rate_ratio_ci95",
                          ev_num(f->rate_ratio_ci95[0]), ev_num(f->rate_ratio_ci95[1]), "se_type",
                          "clustered by school, G/(G-1) only, as R sandwich::vcovCL(type = \"HC0\") for a glm, "
                          "Stata's poisson vce(cluster) and ppmlhdfe",
                          "ci95_method", "t with G-1 degrees of freedom; rate_ratio_ci95 = exp(ci95)", "t_critical",
                          ev_num(f->t_crit), "df", f->df);
    json_object_update_new(j, json_pack("{s:o, s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "deviance",
                                        ev_num(f->deviance), "iterations", f->iterations, "schools",
                                        (json_int_t)f->schools, "schools_tas", (json_int_t)f->schools_tas,
                                        "schools_comparison", (json_int_t)f->schools_comparison,
                                        "schools_all_zero_left_out", (json_int_t)f->schools_all_zero,
                                        "school_years", (json_int_t)f->observations, "parameters",
                                        (json_int_t)f->parameters, "pupils", (json_int_t)f->pupils, "count",
                                        (json_int_t)f->count));
    return j;
}

json_t *ev_poisson_json(enum ev_error e, const struct ev_poisson *f)
{
    if (e != EV_OK)
        return json_pack("{s:s}", "error", ev_error_text(e));
    return poisson_fit_json(f);
}

json_t *ev_cost_json(const struct ev_cost *c)
{
    json_t *j = json_pack("{s:o, s:I, s:o, s:o, s:s}", "cost", ev_num(c->cost), "pupils_after",
                          (json_int_t)c->pupils_after, "events_avoided", ev_num(c->events_avoided),
                          "cost_per_event_avoided", ev_num(c->cost_per_event_avoided), "assumptions",
                          "events avoided = -did_per_100 / 100 x pupils_after, pupils_after = the TAS schools' "
                          "pupils summed over the years after (pupil-years); assumes the DiD is caused by TAS "
                          "(an association, not proof of cause) and the cost covers those schools and years; "
                          "the DiD's own uncertainty (see regression.ci95) is not carried into this figure");
    if (!c->defined)
        json_object_set_new(j, "not_defined", json_string(c->why));
    return j;
}

/* The event study's coefficients and pre-trend test, or why there are none. */
json_t *ev_event_json(enum ev_error e, const struct ev_event_study *es)
{
    if (e != EV_OK)
        return json_pack("{s:s}", "error", ev_error_text(e));
    json_t *years = json_array();
    for (size_t i = 0; i < es->nyears; i++) {
        const struct ev_event_year *y = &es->year[i];
        json_array_append_new(years, json_pack("{s:i, s:s, s:o, s:o, s:[o,o]}", "year", y->year, "period",
                                               i < es->leads ? "pre" : "post", "estimate", ev_num(y->estimate),
                                               "se_cluster", ev_num(y->se_cluster), "ci95", ev_num(y->ci95[0]),
                                               ev_num(y->ci95[1])));
    }
    return json_pack("{s:s, s:i, s:o, s:{s:I, s:o, s:I, s:i, s:o}}", "meaning",
                     "each year's TAS - comparison gap in the rate per 100, less the gap in the reference year; "
                     "a joint test of the pre years' gaps: a small p_value is evidence against parallel trends "
                     "before TAS, a large one is not proof of them",
                     "reference_year", es->reference_year, "years", years, "pre_trend_test", "leads",
                     (json_int_t)es->leads, "F", ev_num(es->f_stat), "df1", (json_int_t)es->leads, "df2", es->df,
                     "p_value", ev_num(es->p_value));
}

json_t *ev_result_json(const struct ev_panel *p, const struct ev_table *t, enum ev_error fe,
                           const struct ev_fit *f, json_t *event, json_t *poisson)
{
    size_t used = 0;
    for (int g = 0; g < 2; g++)
        used += t->cell[g][EV_PRE].rows + t->cell[g][EV_POST].rows;
    return json_pack("{s:s, s:s, s:o, s:o, s:{s:o, s:o}, s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:I, s:o}", "label",
                     "association, not proof of cause", "sign_convention",
                     "change = after - before; difference-in-differences = TAS change - comparison change",
                     "pre", years_json(p->pre, p->npre), "post", years_json(p->post, p->npost), "groups", "tas",
                     group_json(t, EV_TAS, p->weight != NULL), "comparison",
                     group_json(t, EV_COMPARISON, p->weight != NULL), "did_per_100",
                     ev_num(t->did_per_100), "did_pct", ev_num(t->did_pct), "did_one_in", ev_num(t->did_one_in),
                     "regression", regression_json(fe, f), "event_study", event, "schools", (json_int_t)f->schools, "pupils",
                     (json_int_t)f->pupils, "school_years", (json_int_t)used, "rows_left_out",
                     (json_int_t)(p->n - used), "poisson", poisson);
}

