/* The TAS dashboard: /dashboard (filters by GET), its JSON twin
 * /api/v1/dashboard, each table as CSV (/dashboard.csv?table=KEY), every
 * table as an XLSX workbook (/dashboard.xlsx), and the printable learning
 * report (/dashboard/report, always marked for publication).  Charts are
 * SVG drawn by templates/dashboard_chart.html from core/chart.c geometry.
 * Data: service/svc_dashboard.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/chart.h"
#include "service/svc_dashboard.h"
#include "core/calendar.h"
#include "web/dash_cache.h"
#include "web/page_cache.h"
#include "web/dash_export.h"
#include "web/finding.h"
#include "web/form.h"
#include "web/router.h"
#include "web/tmpl.h"
#include "web/view.h"


static const char *kind_code(enum stat_kind k)
{
    return k == STAT_RATIO ? "average" : k == STAT_MONEY ? "money" : "count";
}

static json_t *cell_json(const struct stat_row *r, int c)
{
    char text[48], pct[16];
    stat_cell_text(r, (enum stat_col)c, text, sizeof text, pct, sizeof pct);
    const struct stat_cell *x = &r->cells[c];
    json_t *o = json_pack("{s:s, s:s, s:b}", "column", stat_col_label((enum stat_col)c), "text", text,
                          "suppressed", x->suppressed);
    json_t *value;
    if (x->suppressed)
        value = json_null();
    else if (r->kind == STAT_RATIO)
        value = x->den && x->den->n ? json_real(stat_ratio_value(x)) : json_null();
    else if (r->kind == STAT_MONEY)
        value = json_real((double)x->n / 100.0);
    else
        value = json_integer((json_int_t)x->n);
    json_object_set_new(o, "value", value);
    int p = stat_pct(x);
    json_object_set_new(o, "percent", p >= 0 ? json_integer(p) : json_null());
    json_object_set_new(o, "pct_text", json_string(pct));
    return o;
}

static json_t *chart_json(const struct stat_table *t)
{
    struct chart_geom *g = malloc(sizeof *g);
    if (!g || chart_layout(t, g) != 0) {
        free(g);
        return json_null();
    }
    json_t *marks = json_array(), *cats = json_array(), *ticks = json_array(), *series = json_array();
    for (size_t i = 0; i < g->nmarks; i++) {
        const struct chart_mark *m = &g->marks[i];
        const struct chart_series *s = &g->series[m->series];
        json_array_append_new(marks, json_pack("{s:i, s:i, s:i, s:i, s:s, s:s, s:b, s:i, s:i, s:b}", "x", m->x,
                                               "y", m->y, "w", m->w, "h", m->h, "fill", s->fill, "value", m->value,
                                               "has_text", m->text_x >= 0, "tx", m->text_x, "ty", m->text_y,
                                               "bar", g->kind != CHART_LINE));
    }
    for (size_t i = 0; i < g->ncats; i++)
        json_array_append_new(cats, json_pack("{s:s, s:i, s:i}", "text", g->cats[i].text, "x", g->cats[i].x,
                                              "y", g->cats[i].y));
    for (size_t i = 0; i < g->nticks; i++) {
        bool horiz = g->kind != CHART_LINE;
        json_array_append_new(ticks, json_pack("{s:s, s:i, s:i, s:i, s:i, s:i, s:i}", "text", g->ticks[i].text,
                                               "x", g->ticks[i].x, "y", g->ticks[i].y,
                                               "x1", horiz ? g->tick_pos[i] : g->plot_x,
                                               "x2", horiz ? g->tick_pos[i] : g->plot_x + g->plot_w,
                                               "y1", horiz ? g->plot_y : g->tick_pos[i],
                                               "y2", horiz ? g->plot_y + g->plot_h : g->tick_pos[i]));
    }
    for (size_t i = 0; i < g->nseries; i++)
        json_array_append_new(series, json_pack("{s:s, s:s, s:s}", "name", g->series[i].name, "fill",
                                                g->series[i].fill, "points", g->series[i].points));
    static const char *const kinds[] = {"none", "bar", "stacked", "line"};
    json_t *o = json_pack("{s:s, s:i, s:i, s:b, s:o, s:o, s:o, s:o, s:b, s:s}", "kind", kinds[g->kind], "width",
                          g->width, "height", g->height, "percent", g->percent, "marks", marks, "cats", cats,
                          "ticks", ticks, "series", series, "line", g->kind == CHART_LINE, "cat_anchor",
                          g->labels_above ? "start" : "end");
    free(g);
    return o;
}

static json_t *table_json(const struct dashboard *d, const struct stat_table *t, bool html)
{
    int cols[STAT_NCOLS];
    int nc = stat_columns(t, cols);
    json_t *columns = json_array();
    for (int i = 0; i < nc; i++)
        json_array_append_new(columns, json_string(stat_col_label((enum stat_col)cols[i])));
    json_t *rows = json_array();
    const char *group = "";
    for (size_t i = 0; i < t->nrows; i++) {
        const struct stat_row *r = &t->rows[i];
        json_t *cells = json_array();
        for (int k = 0; k < nc; k++)
            json_array_append_new(cells, cell_json(r, cols[k]));
        json_t *o = json_pack("{s:s, s:s, s:s, s:o}", "group", r->group, "label", r->label, "kind",
                              kind_code(r->kind), "cells", cells);
        /* What the row adds up to, for readers checking the arithmetic: a
         * partition's rows add up to their base row, column by column. */
        const struct stat_table *bt;
        const struct stat_row *br;
        if (!html && r->partition && dashboard_cell_at(d, r->cells[COL_TOTAL].base, &bt, &br))
            json_object_set_new(o, "part_of", json_pack("{s:i, s:s, s:s, s:s}", "partition", r->partition,
                                                        "table", bt->key, "group", br->group, "row", br->label));
        if (html && r->group[0] && strcmp(r->group, group) != 0)
            json_object_set_new(o, "group_start", json_true());
        group = r->group;
        json_array_append_new(rows, o);
    }
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "key", t->key, "title", t->title, "figure",
                          t->figure ? t->figure : "", "description", t->description, "columns", columns,
                          "rows", rows);
    json_t *chart = t->chart != CHART_NONE ? chart_json(t) : json_null();
    if (json_is_object(chart) && chart_all_suppressed(t))
        json_object_set_new(chart, "all_suppressed", json_true());
    json_object_set_new(o, "chart", chart);
    if (html)
        json_object_set_new(o, "span", json_integer(nc + 1));
    return o;
}

/* The facts a page shows around its tables (kept with them in the cache). */
struct page_meta {
    struct dash_filter f;
    bool exact, may_see_exact, population_recorded;
    int threshold;
    char missing_rates[512];
};

static json_t *meta_json(const struct page_meta *m, const char *missing_rates, bool html);

static json_t *dashboard_json(const struct dashboard *d, bool html)
{
    json_t *tables = json_array();
    int section = 0, figure = 0;
    for (int i = 0; i < DT__COUNT; i++) {
        json_t *t = table_json(d, &d->t[i], html);
        /* Figures numbered in the order they appear, each number once. */
        const char *fig = json_string_value(json_object_get(t, "figure"));
        if (fig && strncmp(fig, "Figure", 6) == 0) {
            char label[24];
            snprintf(label, sizeof label, "Figure %d", ++figure);
            json_object_set_new(t, "figure", json_string(label));
        }
        int s = dashboard_section((enum dash_table)i);
        json_object_set_new(t, "section", json_integer(s));
        if (html && s != section) {
            char h[160];
            snprintf(h, sizeof h, "%d. %s", s, dashboard_section_title(s));
            json_object_set_new(t, "section_start", json_string(h));
        } else if (html) {
            /* Present but false, so the template does not find an outer one. */
            json_object_set_new(t, "section_start", json_false());
        }
        section = s;
        json_array_append_new(tables, t);
    }
    json_t *out = meta_json(&(struct page_meta){d->f, d->exact, d->may_see_exact, d->population_recorded,
                                                 d->threshold, {0}}, d->missing_rates, html);
    json_object_set_new(out, "tables", tables);
    if (!d->exact)
        json_object_set_new(out, "disclosure_check",
                            json_pack("{s:s, s:i}", "method", "interval bounds by linear programming over the "
                                      "tables' totals and partitions", "hidden_cells_worked_out", d->disclosed));
    return out;
}

/* What a page shows around the tables, kept with them in the cache. */
static json_t *meta_json(const struct page_meta *m, const char *missing_rates, bool html)
{
    const struct dash_filter *df = &m->f;
    json_t *f = json_pack("{s:s, s:s, s:s, s:b}", "from", df->from, "to", df->to, "phase", df->phase,
                          "publish", df->publish);
    json_object_set_new(f, "authority_id", df->authority_id ? json_integer(df->authority_id) : json_null());
    json_object_set_new(f, "team_id", df->team_id ? json_integer(df->team_id) : json_null());
    json_object_set_new(f, "school_id", df->school_id ? json_integer(df->school_id) : json_null());
    if (html) {
        char a[32], b[32];
        date_label(df->from, a, sizeof a);
        date_label(df->to, b, sizeof b);
        json_object_set_new(f, "from_label", json_string(a));
        json_object_set_new(f, "to_label", json_string(b));
    }
    return json_pack("{s:o, s:b, s:b, s:i, s:b, s:s}", "filter", f, "exact", m->exact, "may_see_exact",
                     m->may_see_exact, "threshold", m->threshold, "population_recorded", m->population_recorded,
                     "missing_cost_rates", missing_rates ? missing_rates : m->missing_rates);
}

/* ---- the filter form ---- */

static json_t *filter_fields(const struct svc_ctx *c, const struct dash_filter_form *in,
                             const struct field_errors *e)
{
    json_t *o = finding_dash_fields(c, in, true, "For example, 1 9 2026", e);
    json_object_set_new(o, "phase",
                        fld_select_codes("phase", "Phase", in->phase ? in->phase : "", e, &codes_phase, "All"));
    return o;
}

/* ---- pages ---- */

/* ---- the cache's key (web/page_cache.h) ---- */

/* Everything a dashboard page depends on, or false when it is not to be
 * kept (the records answer it, or the filters are not valid). */
static bool cache_key(bool api, struct svc_ctx *c, const struct dash_filter_form *in, bool report,
                      struct buf *key)
{
    int64_t gen = 0;
    if (svc_dashboard_generation(c, in, ACT_VIEW, &gen) != SVC_OK || gen <= 0)
        return false;
    buf_printf(key, "dashboard 1|%s|%s|gen %lld|", api ? "json" : "html", report ? "report" : "page",
               (long long)gen);
    page_key_text(key, c->today);
    page_key_text(key, in->from);
    page_key_text(key, in->to);
    page_key_text(key, in->authority_id);
    page_key_text(key, in->team_id);
    page_key_text(key, in->school_id);
    page_key_text(key, in->phase);
    page_key_text(key, in->publish);
    page_key_scope(key, c->who);
    return !key->failed;
}

/* ---- the replica (tas serve --read-db) ---- */

/* The dashboard computed on a replica when one is configured and it holds
 * every change the primary does (svc_dashboard_replica_current, checked
 * after the primary brought the view's rollup up to date); otherwise, or
 * when the replica fails it (a conflict with its replay, a connection
 * lost), on the primary.  *read_from: "replica" or "primary" with a
 * replica configured, else NULL. */
static enum svc_status compute(struct svc_ctx *c, struct store_pool *replicas, const struct dash_filter_form *in,
                               enum action a, struct dashboard *d, struct field_errors *errs, const char **read_from)
{
    *read_from = NULL;
    if (replicas) {
        *read_from = "primary";
        struct store *r = store_pool_acquire(replicas);
        enum svc_status st = SVC_ERROR;
        if (r && svc_dashboard_replica_current(c->db, r)) {
            struct svc_ctx on = *c;
            on.db = r;
            st = svc_dashboard(&on, in, a, d, errs);
        }
        store_pool_release(replicas, r);
        if (st != SVC_ERROR) {
            *read_from = "replica";
            return st;
        }
    }
    return svc_dashboard(c, in, a, d, errs);
}

enum svc_status dash_answer_json(struct svc_ctx *c, struct store_pool *replicas, const struct dash_filter_form *in,
                                 bool report, bool use_cache, struct buf *out, const char **served_from,
                                 const char **read_from, struct field_errors *errs)
{
    *read_from = NULL;
    struct buf key = BUF_INIT;
    bool keep = use_cache && cache_key(true, c, in, report, &key);
    *served_from = NULL;
    if (keep && page_cache_get(buf_str(&key), out, NULL, 0)) {
        *served_from = "cache";
        buf_free(&key);
        return SVC_OK;
    }
    struct dashboard *d = malloc(sizeof *d);
    enum svc_status st = d ? compute(c, replicas, in, ACT_VIEW, d, errs, read_from) : SVC_ERROR;
    if (st == SVC_OK) {
        json_t *j = dashboard_json(d, false);
        char *text = j ? json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
        json_decref(j);
        if (text) {
            buf_reset(out);
            buf_puts(out, text);
            free(text);
        }
        if (!text || out->failed) {
            st = SVC_ERROR;
        } else if (keep) {
            page_cache_put(buf_str(&key), out->data, out->len, NULL, 0);
            *served_from = "computed";
        }
    }
    free(d);
    buf_free(&key);
    return st;
}

static void render_page(struct req *rq, struct resp *rs, bool report)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct dash_filter_form in;
    finding_dash_read(rq, true, &in);
    if (report)
        in.publish = "yes";   /* the learning report is for publication */
    struct page_meta *m = req_alloc(rq, sizeof *m);
    struct buf key = BUF_INIT, tables = BUF_INIT;
    if (!m) {
        view_svc_error(rq, rs, SVC_ERROR);
        return;
    }
    struct field_errors errs = {0};
    enum svc_status st = SVC_OK;
    if (rq->api) {
        st = dash_answer_json(&c, rq->app->read_pool, &in, report, true, &rs->body, &rs->served_from,
                              &rs->read_from, &errs);
        if (!view_failed_json(rq, rs, st, &errs)) {
            rs->status = 200;
            rs->content_type = "application/json";
        }
        return;
    }
    bool keep = cache_key(false, &c, &in, report, &key);
    bool hit = keep && page_cache_get(buf_str(&key), &tables, m, sizeof *m);
    struct dashboard *d = NULL;
    if (!hit) {
        d = req_alloc(rq, sizeof *d);
        if (!d) {
            buf_free(&key);
            view_svc_error(rq, rs, SVC_ERROR);
            return;
        }
        st = compute(&c, rq->app->read_pool, &in, ACT_VIEW, d, &errs, &rs->read_from);
        if (st != SVC_OK && st != SVC_INVALID) {
            buf_free(&key);
            view_svc_error(rq, rs, st);
            return;
        }
        if (st == SVC_OK) {
            memset(m, 0, sizeof *m);
            m->f = d->f;
            m->exact = d->exact;
            m->may_see_exact = d->may_see_exact;
            m->population_recorded = d->population_recorded;
            m->threshold = d->threshold;
            snprintf(m->missing_rates, sizeof m->missing_rates, "%s", d->missing_rates);
        }
    }
    json_t *ctx = view_page(rq, report ? "TAS learning report" : "TAS dashboard", "dashboard");
    view_breadcrumbs(ctx, "/", "Home", NULL);
    struct dash_shown ids;
    if (st == SVC_OK)
        finding_dash_show(&in, &m->f, &ids);
    json_object_set_new(ctx, "fields", filter_fields(&c, &in, &errs));
    json_object_set_new(ctx, "publish_checked", json_boolean(in.publish && !strcmp(in.publish, "yes")));
    if (st == SVC_INVALID) {
        json_object_set_new(ctx, "errors", view_errors(&errs));
        view_render(rq, rs, 400, "dashboard", ctx);
        buf_free(&key);
        return;
    }
    json_t *data = meta_json(m, NULL, true);
    json_object_set_new(ctx, "has_tables", json_true());
    json_object_update(ctx, data);
    json_decref(data);
    struct buf q = BUF_INIT, qp = BUF_INIT;
    finding_dash_query(&m->f, true, m->f.publish, &q);
    finding_dash_query(&m->f, true, true, &qp);
    json_object_set_new(ctx, "query", json_string(buf_str(&q)));
    json_object_set_new(ctx, "query_publish", json_string(buf_str(&qp)));
    /* Exactly when the export would answer (the policy's own check). */
    bool may_export = svc_dashboard_may(&c, &in, ACT_EXPORT);
    json_object_set_new(ctx, "may_export", json_boolean(may_export));
    if (!hit) {
        /* The tables, rendered apart: what the cache keeps. */
        json_t *full = dashboard_json(d, true);
        json_t *tctx = json_pack("{s:O, s:s, s:b}", "tables", json_object_get(full, "tables"), "query",
                                 buf_str(&q), "may_export", may_export);
        json_decref(full);
        if (view_render_part(rq, report ? "dashboard_report_tables" : "dashboard_tables", tctx, &tables) != 0) {
            json_decref(ctx);
            buf_free(&q);
            buf_free(&qp);
            buf_free(&key);
            buf_free(&tables);
            view_svc_error(rq, rs, SVC_ERROR);
            return;
        }
        if (keep && !tables.failed)
            page_cache_put(buf_str(&key), buf_str(&tables), tables.len, m, sizeof *m);
    }
    buf_free(&q);
    buf_free(&qp);
    json_object_set_new(ctx, "tables_html", json_string(buf_str(&tables)));
    buf_free(&tables);
    json_object_set_new(ctx, "suppressed_view", json_boolean(!m->exact));
    /* Administrators keep the cost model and the threshold. */
    int64_t auth = m->f.authority_id;
    for (size_t i = 0; !auth && i < rq->sess.who.ngrants; i++)
        auth = rq->sess.who.grants[i].authority_id;
    if (auth > 0 && svc_allowed(&c, ACT_EDIT, RES_AGGREGATE, 0, auth, 0)) {
        char href[64];
        snprintf(href, sizeof href, "/settings/costs?authority_id=%lld", (long long)auth);
        json_object_set_new(ctx, "settings_href", json_string(href));
        if (m->f.school_id) {
            snprintf(href, sizeof href, "/schools/%lld/population", (long long)m->f.school_id);
            json_object_set_new(ctx, "population_href", json_string(href));
        }
    }
    rs->served_from = keep ? (hit ? "cache" : "computed") : NULL;
    buf_free(&key);
    view_render(rq, rs, 200, report ? "dashboard_report" : "dashboard", ctx);
}

static void h_dashboard(struct req *rq, struct resp *rs)
{
    render_page(rq, rs, false);
}

static void h_dashboard_report(struct req *rq, struct resp *rs)
{
    render_page(rq, rs, true);
}

/* ---- exports ---- */

static struct dashboard *export_data(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct dash_filter_form in;
    finding_dash_read(rq, true, &in);
    struct dashboard *d = req_alloc(rq, sizeof *d);
    struct field_errors errs = {0};
    if (!d) {
        view_svc_error(rq, rs, SVC_ERROR);
        return NULL;
    }
    enum svc_status st = compute(&c, rq->app->read_pool, &in, ACT_EXPORT, d, &errs, &rs->read_from);
    rq->api = true;   /* a download answers errors in JSON */
    return view_failed_json(rq, rs, st, &errs) ? NULL : d;
}

static void h_dashboard_csv(struct req *rq, struct resp *rs)
{
    const char *key = req_query(rq, "table");
    struct dashboard *d = export_data(rq, rs);
    if (!d)
        return;
    const struct stat_table *t = dashboard_table(d, key ? key : "");
    if (!t) {
        rq->api = true;
        view_error(rq, rs, 404, "Not found", "There is no table with that name.");
        return;
    }
    dash_csv_answer(t, rs);
}

static void h_dashboard_xlsx(struct req *rq, struct resp *rs)
{
    struct dashboard *d = export_data(rq, rs);
    if (!d)
        return;
    buf_reset(&rs->body);
    int rc = dash_xlsx(d->t, DT__COUNT, d->exact, d->threshold, &rs->body);
    if (rc != 0) {
        rq->api = true;
        view_svc_error(rq, rs, SVC_ERROR);
        return;
    }
    rs->status = 200;
    rs->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    snprintf(rs->disposition, sizeof rs->disposition, "attachment; filename=\"tas-dashboard.xlsx\"");
}

static const struct route routes[] = {
    {"GET", "/dashboard", h_dashboard, 0},
    {"GET", "/dashboard/report", h_dashboard_report, 0},
    {"GET", "/dashboard.csv", h_dashboard_csv, 0},
    {"GET", "/dashboard.xlsx", h_dashboard_xlsx, 0},
    {"GET", "/api/v1/dashboard", h_dashboard, 0},
    {"GET", "/api/v1/dashboard/report", h_dashboard_report, 0},
};

ROUTE_TABLE(dashboard_table_routes, routes);
