/* Referral results: /referral-results (filters by GET, linked from the
 * dashboard), its JSON twin /api/v1/referral-results, and each table as
 * CSV (/referral-results.csv?table=KEY) for those who may export
 * statistics.  Data: service/svc_refres.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/policy.h"
#include "service/svc_refres.h"
#include "web/dash_export.h"
#include "web/finding.h"
#include "web/form.h"
#include "web/router.h"
#include "web/view.h"

static json_t *cell_json(const struct stat_row *r, int c)
{
    char text[48], pct[16];
    stat_cell_text(r, (enum stat_col)c, text, sizeof text, pct, sizeof pct);
    const struct stat_cell *x = &r->cells[c];
    int p = stat_pct(x);
    return json_pack("{s:s, s:s, s:b, s:o, s:o, s:s}", "column", stat_col_label((enum stat_col)c), "text", text,
                     "suppressed", x->suppressed, "value", x->suppressed ? json_null() : json_integer(x->n),
                     "percent", p >= 0 ? json_integer(p) : json_null(), "pct_text", pct);
}

static json_t *table_json(const struct stat_table *t, bool html)
{
    int cols[STAT_NCOLS];
    int nc = stat_columns(t, cols);
    json_t *columns = json_array(), *rows = json_array();
    for (int i = 0; i < nc; i++)
        json_array_append_new(columns, json_string(stat_col_label((enum stat_col)cols[i])));
    const char *group = "";
    for (size_t i = 0; i < t->nrows; i++) {
        const struct stat_row *r = &t->rows[i];
        json_t *cells = json_array();
        for (int k = 0; k < nc; k++)
            json_array_append_new(cells, cell_json(r, cols[k]));
        json_t *o = json_pack("{s:s, s:s, s:o}", "group", r->group, "label", r->label, "cells", cells);
        if (html && r->group[0] && strcmp(r->group, group) != 0)
            json_object_set_new(o, "group_start", json_true());
        group = r->group;
        json_array_append_new(rows, o);
    }
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "key", t->key, "title", t->title, "figure", t->figure,
                          "description", t->description, "columns", columns, "rows", rows);
    if (html)
        json_object_set_new(o, "span", json_integer(nc + 1));
    return o;
}

/* A number of days, one decimal place ("23.6"), or null. */
static json_t *days_json(double v, bool withheld, bool html)
{
    if (withheld || isnan(v))
        return html ? json_string(withheld ? "c" : "z") : json_null();
    if (!html)
        return json_real(round(v * 10.0) / 10.0);
    char s[32];
    snprintf(s, sizeof s, "%.1f", v);
    return json_string(s);
}

static json_t *results_json(const struct referral_results *d, bool html)
{
    json_t *tables = json_array();
    for (int i = 0; i < RT__COUNT; i++)
        json_array_append_new(tables, table_json(&d->t[i], html));
    json_t *waits = json_array();
    for (size_t i = 0; i < d->nwaits; i++) {
        const struct refres_wait_row *w = &d->waits[i];
        json_t *o = json_pack("{s:s, s:o, s:o, s:b}", "service", w->label, "median_days",
                              days_json(w->w.median, w->withheld, html), "p90_days",
                              days_json(w->w.p90, w->withheld, html), "withheld", w->withheld);
        /* How many waits: a count the tables do not show, so exact only. */
        json_object_set_new(o, "decisions", d->s.exact ? json_integer((json_int_t)w->w.n) : json_null());
        json_array_append_new(waits, o);
    }
    const struct stat_table *t3 = &d->t[RT_TOOLKIT];
    const struct stat_cell *without = &t3->rows[2].cells[COL_TOTAL];
    int share = stat_pct(without);
    json_t *f = json_pack("{s:s, s:s, s:b}", "from", d->s.f.from, "to", d->s.f.to, "publish", d->s.f.publish);
    json_object_set_new(f, "authority_id", d->s.f.authority_id ? json_integer(d->s.f.authority_id) : json_null());
    json_object_set_new(f, "team_id", d->s.f.team_id ? json_integer(d->s.f.team_id) : json_null());
    json_t *out = json_pack("{s:o, s:b, s:b, s:i, s:o, s:o, s:I}", "filter", f, "exact", d->s.exact,
                            "may_see_exact", d->s.may_see_exact, "threshold", d->s.threshold, "tables", tables,
                            "days_waited", waits, "professionals_engaged", (json_int_t)d->professionals);
    if (html) {
        char s[16];
        snprintf(s, sizeof s, "%.0f%%", d->conversion * 100.0);
        json_object_set_new(out, "conversion_text", json_string(d->conversion >= 0 ? s : "c"));
        snprintf(s, sizeof s, "%d%%", share);
        json_object_set_new(out, "without_share_text", json_string(share >= 0 ? s : "c"));
        char t[48], p[16];
        stat_cell_text(&t3->rows[2], COL_TOTAL, t, sizeof t, p, sizeof p);
        json_object_set_new(out, "without_text", json_string(t));
    } else {
        json_object_set_new(out, "conversion_rate", d->conversion >= 0 ? json_real(d->conversion) : json_null());
        json_object_set_new(out, "paediatrics_without_toolkit",
                            json_pack("{s:o, s:o}", "count", without->suppressed ? json_null()
                                                                                 : json_integer(without->n),
                                      "share", share >= 0 ? json_real((double)without->n / (double)without->base->n)
                                                          : json_null()));
        json_object_set_new(out, "quantile_method", json_string("R type 7 (linear interpolation between order "
                                                                "statistics; Hyndman and Fan 1996)"));
    }
    if (!d->s.exact)
        json_object_set_new(out, "disclosure_check", json_pack("{s:i}", "hidden_cells_worked_out", d->disclosed));
    return out;
}

/* ---- pages ---- */

static void h_referral_results(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct dash_filter_form in;
    finding_dash_read(rq, false, &in);
    struct referral_results *d = req_alloc(rq, sizeof *d);
    struct field_errors errs = {0};
    if (!d) {
        view_svc_error(rq, rs, SVC_ERROR);
        return;
    }
    enum svc_status st = svc_referral_results(&c, &in, ACT_VIEW, d, &errs);
    /* A page shows what was refused in its form, below. */
    if ((st != SVC_INVALID || rq->api) && view_failed_json(rq, rs, st, &errs))
        return;
    if (rq->api) {
        view_json(rs, 200, results_json(d, false));
        return;
    }
    json_t *ctx = view_page(rq, "Referral results", "dashboard");
    view_breadcrumbs(ctx, "/", "Home", "/dashboard", "TAS dashboard", NULL);
    struct dash_shown ids;
    if (st == SVC_OK)
        finding_dash_show(&in, &d->s.f, &ids);
    json_object_set_new(ctx, "fields", finding_dash_fields(&c, &in, false, "For example, 1 8 2026", &errs));
    json_object_set_new(ctx, "publish_checked", json_boolean(in.publish && !strcmp(in.publish, "yes")));
    if (st == SVC_INVALID) {
        json_object_set_new(ctx, "errors", view_errors(&errs));
        view_render(rq, rs, 400, "referral_results", ctx);
        return;
    }
    json_t *data = results_json(d, true);
    json_object_update(ctx, data);
    json_decref(data);
    char from[32], to[32];
    date_label(d->s.f.from, from, sizeof from);
    date_label(d->s.f.to, to, sizeof to);
    json_object_set_new(ctx, "from_label", json_string(from));
    json_object_set_new(ctx, "to_label", json_string(to));
    json_object_set_new(ctx, "has_tables", json_true());
    struct buf q = BUF_INIT;
    finding_dash_query(&d->s.f, false, d->s.f.publish, &q);
    json_object_set_new(ctx, "query", json_string(buf_str(&q)));
    buf_free(&q);
    /* The CSV answers what the export's visibility reaches: offered when
     * that covers what this page counts. */
    bool may_export;
    if (d->s.f.authority_id) {
        may_export = svc_allowed(&c, ACT_EXPORT, RES_AGGREGATE, 0, d->s.f.authority_id, 0);
    } else {
        struct visibility vx, vv;
        policy_visible(c.who, RES_AGGREGATE, ACT_EXPORT, &vx);
        policy_visible(c.who, RES_AGGREGATE, ACT_VIEW, &vv);
        may_export = (vx.all || vx.nauthorities || vx.nschools) && policy_visible_covers(&vx, &vv);
    }
    json_object_set_new(ctx, "may_export", json_boolean(may_export));
    json_object_set_new(ctx, "suppressed_view", json_boolean(!d->s.exact));
    view_render(rq, rs, 200, "referral_results", ctx);
}

static void h_referral_results_csv(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct dash_filter_form in;
    finding_dash_read(rq, false, &in);
    const char *key = req_query(rq, "table");
    struct referral_results *d = req_alloc(rq, sizeof *d);
    struct field_errors errs = {0};
    rq->api = true;   /* a download answers errors in JSON */
    if (!d) {
        view_svc_error(rq, rs, SVC_ERROR);
        return;
    }
    enum svc_status st = svc_referral_results(&c, &in, ACT_EXPORT, d, &errs);
    if (view_failed_json(rq, rs, st, &errs))
        return;
    const struct stat_table *t = referral_results_table(d, key ? key : "");
    if (!t) {
        view_error(rq, rs, 404, "Not found", "There is no table with that name.");
        return;
    }
    dash_csv_answer(t, rs);
}

static const struct route routes[] = {
    {"GET", "/referral-results", h_referral_results, 0},
    {"GET", "/referral-results.csv", h_referral_results_csv, 0},
    {"GET", "/api/v1/referral-results", h_referral_results, 0},
};

ROUTE_TABLE(refres_table, routes);
