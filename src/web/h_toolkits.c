/* Screening toolkits: start one for a pupil (from the pupil or a case),
 * answer it (drafts saved, completed when every item is answered), see the
 * score, band and change since the last completion; a pupil's completions
 * with a chart of scores over time (for the pupil page).  HTML and JSON.
 * Data comes from service/svc_toolkits.c; the chart's geometry from
 * core/chart.c (chart_score_layout). */
#include "web/toolkits_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/chart.h"
#include "service/svc_cases.h"
#include "service/svc_pupils.h"
#include "service/svc_toolkits.h"
#include "web/form.h"
#include "web/records_json.h"
#include "web/router.h"
#include "web/view.h"

/* ---- choosing and starting one ---- */

struct newest {
    json_t *field;
    const char *current;
};

/* The list is by name then version: the last row of a name is its newest. */
static void toolkit_opt(void *arg, const struct toolkit_def_row *r)
{
    struct newest *n = arg;
    json_t *items = json_object_get(n->field, "items");
    size_t last = json_array_size(items);
    json_t *prev = last ? json_array_get(items, last - 1) : NULL;
    if (prev && !strcmp(json_string_value(json_object_get(prev, "value")), r->name))
        json_array_remove(items, last - 1);
    char hint[48];
    snprintf(hint, sizeof hint, "Version %d", r->version);
    json_array_append_new(items, json_pack("{s:s, s:s, s:b, s:s}", "value", r->name, "label", r->title, "checked",
                                           n->current && !strcmp(n->current, r->name), "item_hint", hint));
}

static void render_new(struct req *rq, struct resp *rs, struct svc_ctx *c, int status, const struct pupil_row *p,
                       const char *toolkit, const char *case_id, const struct field_errors *e)
{
    char title[2 * TAS_NAME_MAX + 2], action[64], back[64];
    snprintf(title, sizeof title, "%s %s", p->p.forenames, p->p.surname);
    snprintf(action, sizeof action, "/pupils/%lld/toolkits", (long long)p->p.id);
    snprintf(back, sizeof back, "/pupils/%lld", (long long)p->p.id);
    json_t *ctx = view_page(rq, "Complete a toolkit", "pupils");
    view_breadcrumbs(ctx, "/", "Home", "/pupils", "Pupils", back, title, NULL);
    json_object_set_new(ctx, "pupil", json_pupil(p));
    json_object_set_new(ctx, "form_action", json_string(action));
    /* Started from a case: back to the case, and the case goes with the form. */
    int64_t cid = case_id ? strtoll(case_id, NULL, 10) : 0;
    if (cid > 0) {
        snprintf(back, sizeof back, "/cases/%lld", (long long)cid);
        json_object_set_new(ctx, "case_id", json_integer((json_int_t)cid));
    }
    json_object_set_new(ctx, "cancel_href", json_string(back));
    view_set_errors(ctx, e);
    json_t *f = fld_radios("toolkit", "Which toolkit?", e, 0);
    json_object_set_new(f, "legend_class", json_string("govuk-fieldset__legend--m"));
    struct newest n = {f, toolkit};
    (void)svc_toolkit_list(c, toolkit_opt, &n);
    json_object_set_new(ctx, "has_toolkits", json_boolean(json_array_size(json_object_get(f, "items")) > 0));
    json_object_set_new(ctx, "field", f);
    view_render(rq, rs, status, "toolkit_new", ctx);
}

/* The pupil, if the user may start a toolkit for them. */
static enum svc_status pupil_to_start(struct svc_ctx *c, int64_t id, struct pupil_row *p)
{
    enum svc_status st = svc_pupil_get(c, id, p);
    if (st == SVC_OK && !svc_case_allowed(c, ACT_VIEW, p))
        st = SVC_NOT_FOUND;
    if (st == SVC_OK && !svc_case_allowed(c, ACT_CREATE, p))
        st = SVC_FORBIDDEN;
    return st;
}

static void h_toolkit_new(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct pupil_row p;
    if (view_failed(rq, rs, pupil_to_start(&c, rq->id, &p)))
        return;
    render_new(rq, rs, &c, 200, &p, NULL, req_query(rq, "case"), NULL);
}

static void h_toolkit_start(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    const char *name = req_param(rq, "toolkit");
    const char *case_text = req_param(rq, "case_id");
    char *end = NULL;
    int64_t case_id = case_text && *case_text ? strtoll(case_text, &end, 10) : 0;
    if (end && *end)
        case_id = -1;   /* not a number: no such case */
    struct field_errors e = {0};
    struct pupil_row p;
    enum svc_status st = pupil_to_start(&c, rq->id, &p);
    int64_t id = 0;
    if (st == SVC_OK && (!name || !*name)) {
        field_errors_add(&e, "toolkit", "Select a toolkit");
        st = SVC_INVALID;
    } else if (st == SVC_OK && case_id < 0) {
        st = SVC_NOT_FOUND;
    } else if (st == SVC_OK) {
        st = svc_toolkit_start(&c, rq->id, case_id, name, &id);
    }
    enum save_next n = view_answer_save(rq, rs, st, &e);
    struct toolkit_completion_row *r = req_alloc(rq, sizeof *r);
    if (n == SAVE_OK && (!r || svc_toolkit_completion_get(&c, id, r) != SVC_OK))
        view_svc_error(rq, rs, SVC_ERROR);
    else if (n == SAVE_OK)
        view_saved(rq, rs, 201, "completion", json_toolkit_completion(r), "/toolkit-completions/%lld?saved=%s",
                   (long long)id, "started");
    else if (n == SAVE_FORM)
        render_new(rq, rs, &c, 400, &p, name, case_text, &e);
}

/* ---- one completion ---- */

/* What a completion found, for the API and the page alike. */
static json_t *result_json(const struct toolkit_def *d, const struct tk_result *res)
{
    json_t *sections = json_array();
    for (size_t i = 0; i < d->nsections; i++)
        json_array_append_new(sections, json_pack("{s:s, s:s, s:i}", "id", d->sections[i].id, "title",
                                                  d->sections[i].title, "score", res->score.section_scores[i]));
    json_t *o = json_pack("{s:b, s:i, s:i, s:i, s:o}", "complete", res->complete, "score", res->score.score,
                          "answered", (int)res->score.answered, "items", (int)d->nitems, "sections", sections);
    if (!res->complete)
        return o;
    json_object_set_new(o, "band", json_string(res->band_code));
    json_object_set_new(o, "band_label", json_string(res->band_label));
    json_object_set_new(o, "threshold", d->has_threshold ? json_integer(d->threshold) : json_null());
    json_object_set_new(o, "over_threshold", json_boolean(d->has_threshold && res->score.score >= d->threshold));
    if (res->has_previous)
        json_object_set_new(o, "previous", json_pack("{s:i, s:i, s:i}", "score", res->previous_score, "version",
                                                     res->previous_version, "change", res->change));
    else
        json_object_set_new(o, "previous", json_null());
    return o;
}

/* "Up 4 from 12" / "Down 3 from 20" / "No change from 9", with the version
 * the earlier one answered when it differs. */
static void change_text(const struct tk_result *res, int version, char *out, size_t n)
{
    if (!res->has_previous) {
        snprintf(out, n, "This is the first completion of this toolkit for the pupil");
        return;
    }
    char ver[48] = "";
    if (res->previous_version != version)
        snprintf(ver, sizeof ver, ", which answered version %d", res->previous_version);
    if (res->change > 0)
        snprintf(out, n, "Up %d from %d at the last completion%s", res->change, res->previous_score, ver);
    else if (res->change < 0)
        snprintf(out, n, "Down %d from %d at the last completion%s", -res->change, res->previous_score, ver);
    else
        snprintf(out, n, "No change from %d at the last completion%s", res->previous_score, ver);
}

/* The definition's sections and items, each item with its scale's answers
 * as radios (the answers given checked) and its label when read only. */
static json_t *sections_json(const struct toolkit_def *d, const int *answers, const struct field_errors *e)
{
    /* The definition's own shape (records_json.c), each item turned into radios. */
    json_t *def = json_toolkit_def(d), *sections = json_object_get(def, "sections");
    size_t s, i, k;
    json_t *sec, *item, *opt;
    json_array_foreach(sections, s, sec) {
        json_t *questions = json_array();
        json_array_foreach(json_object_get(sec, "items"), i, item) {
            const char *id = json_string_value(json_object_get(item, "id"));
            int given = answers[toolkit_item_index(d, id)];
            char name[8 + TK_ID_MAX];
            snprintf(name, sizeof name, "item_%s", id);
            json_t *f = fld_radios(name, json_string_value(json_object_get(item, "text")), e, 1);
            json_t *radios = json_object_get(f, "items");
            const char *answer = "Not answered";
            json_array_foreach(json_object_get(item, "answers"), k, opt) {
                int v = (int)json_integer_value(json_object_get(opt, "value"));
                const char *label = json_string_value(json_object_get(opt, "label"));
                char value[16];
                snprintf(value, sizeof value, "%d", v);
                if (given == v)
                    answer = label;
                json_array_append_new(radios, json_pack("{s:s, s:s, s:b}", "value", value, "label", label,
                                                        "checked", given == v));
            }
            json_object_set_new(f, "legend_class", json_string("govuk-fieldset__legend--s"));
            json_object_set_new(f, "small", json_true());
            json_object_set_new(f, "answer_label", json_string(answer));
            json_array_append_new(questions, f);
        }
        json_object_set_new(sec, "questions", questions);
        json_object_del(sec, "items");
    }
    json_incref(sections);
    json_decref(def);
    return sections;
}

static void render_completion(struct req *rq, struct resp *rs, struct svc_ctx *c, int status,
                              const struct toolkit_completion_row *row, const struct toolkit_def *d,
                              const int *answers, const struct tk_result *res, const struct field_errors *e)
{
    struct pupil_row p;
    if (view_failed(rq, rs, svc_pupil_get(c, row->pupil_id, &p)))
        return;
    char name[2 * TAS_NAME_MAX + 2], back[64], action[64];
    snprintf(name, sizeof name, "%s %s", p.p.forenames, p.p.surname);
    snprintf(back, sizeof back, "/pupils/%lld", (long long)p.p.id);
    snprintf(action, sizeof action, "/toolkit-completions/%lld", (long long)row->id);
    json_t *ctx = view_page(rq, d->title, "pupils");
    view_breadcrumbs(ctx, "/", "Home", "/pupils", "Pupils", back, name, NULL);
    json_object_set_new(ctx, "pupil", json_pupil(&p));
    json_object_set_new(ctx, "completion", json_toolkit_completion(row));
    json_object_set_new(ctx, "form_action", json_string(action));
    json_object_set_new(ctx, "about", json_string(d->about));
    bool draft = !res->complete;
    json_object_set_new(ctx, "draft", json_boolean(draft));
    json_object_set_new(ctx, "can_edit", json_boolean(draft && svc_case_allowed(c, ACT_EDIT, &p)));
    json_t *r = result_json(d, res);
    if (res->complete) {
        char change[160];
        change_text(res, row->version, change, sizeof change);
        json_object_set_new(r, "change_text", json_string(change));
        view_set_date_label(r, "completed_on_label", row->completed_on);
    }
    json_object_set_new(ctx, "result", r);
    json_object_set_new(ctx, "sections", sections_json(d, answers, e));
    if (e->count) {
        json_t *errs = view_errors(e);
        /* The count of answers links to the first item left unanswered. */
        for (size_t i = 0; i < d->nitems; i++) {
            if (answers[i] != TK_UNANSWERED)
                continue;
            char href[16 + TK_ID_MAX];
            snprintf(href, sizeof href, "#f-item_%s", d->items[i].id);
            size_t k;
            json_t *v;
            json_array_foreach(errs, k, v)
                if (!strcmp(json_string_value(json_object_get(v, "field")), "answers"))
                    json_object_set_new(v, "href", json_string(href));
            break;
        }
        json_object_set_new(ctx, "errors", errs);
    }
    static const struct view_note saved[] = {
        {"complete", "Toolkit completed"}, {"draft", "Draft saved"}, {NULL, "Toolkit started"}};
    if (!e->count)
        view_flash(ctx, view_note(rq, "saved", saved));
    view_render(rq, rs, status, "toolkit_completion", ctx);
}

static void completion_answer(struct req *rq, struct resp *rs, struct svc_ctx *c, int status,
                              const struct toolkit_completion_row *row, const struct toolkit_def *d,
                              const int *answers, const struct tk_result *res)
{
    if (rq->api) {
        view_json(rs, status, json_pack("{s:o, s:o, s:o}", "completion", json_toolkit_completion(row), "result",
                                        result_json(d, res), "definition", json_toolkit_def(d)));
        return;
    }
    struct field_errors none = {0};
    render_completion(rq, rs, c, status, row, d, answers, res, &none);
}

/* Completion rq->id as read for the page and the API (d allocated: free it). */
struct opened {
    struct toolkit_completion_row *row;
    int *answers;
    struct toolkit_def *d;
    struct tk_result res;
};

static enum svc_status open_completion(struct req *rq, struct svc_ctx *c, struct opened *o)
{
    memset(o, 0, sizeof *o);
    o->row = req_alloc(rq, sizeof *o->row);
    o->answers = req_alloc(rq, TK_MAX_ITEMS * sizeof *o->answers);
    if (!o->row || !o->answers)
        return SVC_ERROR;
    return svc_toolkit_completion_read(c, rq->id, o->row, &o->d, o->answers, &o->res);
}

static void h_completion_view(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct opened o;
    if (!view_failed(rq, rs, open_completion(rq, &c, &o)))
        completion_answer(rq, rs, &c, 200, o.row, o.d, o.answers, &o.res);
    free(o.d);
}

/* The answers sent: the API's "id=value,..." as is; a page's radios
 * (item_<id>) gathered into that form, and into typed[] to show again. */
static const char *answers_sent(struct req *rq, const struct toolkit_def *d, int *typed)
{
    if (rq->api) {
        const char *a = req_param(rq, "answers");
        return a ? a : "";
    }
    size_t cap = TK_ANSWERS_MAX, used = 0;
    char *out = req_alloc(rq, cap);
    if (!out)
        return "";
    out[0] = '\0';
    for (size_t i = 0; i < d->nitems; i++) {
        char name[8 + TK_ID_MAX];
        snprintf(name, sizeof name, "item_%s", d->items[i].id);
        const char *v = req_param(rq, name);
        typed[i] = TK_UNANSWERED;
        if (!v || !*v)
            continue;
        char *end;
        long n = strtol(v, &end, 10);
        if (*end == '\0' && n >= 0 && n <= 100)
            typed[i] = (int)n;
        int w = snprintf(out + used, cap - used, "%s%s=%s", used ? "," : "", d->items[i].id, v);
        if (w < 0 || (size_t)w >= cap - used)
            break;
        used += (size_t)w;
    }
    return out;
}

static void h_completion_save(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct opened o;
    if (view_failed(rq, rs, open_completion(rq, &c, &o)))
        return;
    const char *text = answers_sent(rq, o.d, o.answers);
    const char *complete = req_param(rq, rq->api ? "complete" : "action");
    bool done = complete && (!strcmp(complete, "yes") || !strcmp(complete, "complete"));
    struct field_errors e = {0};
    struct tk_result res;
    enum svc_status st = svc_toolkit_save(&c, rq->id, text, done, rq->api ? req_param(rq, "completed_on") : NULL,
                                          &e, &res);
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK && rq->api) {
        free(o.d);
        h_completion_view(rq, rs);
        return;
    }
    if (n == SAVE_OK) {
        view_saved(rq, rs, 200, "completion", NULL, "/toolkit-completions/%lld?saved=%s", (long long)rq->id,
                   done ? "complete" : "draft");
    } else if (n == SAVE_FORM) {
        struct tk_result draft = {0};
        render_completion(rq, rs, &c, 400, o.row, o.d, o.answers, &draft, &e);
    }
    free(o.d);
}

/* ---- a pupil's completions (the pupil page, and the API list) ---- */

/* Definitions parsed once per request: a pupil has few versions. */
#define DEFS_MAX 16

struct pupil_tk {
    struct svc_ctx *c;
    json_t *rows;                  /* every completion, oldest first */
    size_t ndefs;
    int64_t def_ids[DEFS_MAX];
    struct toolkit_def *defs[DEFS_MAX];
};

static const struct toolkit_def *def_of(struct pupil_tk *t, int64_t id)
{
    for (size_t i = 0; i < t->ndefs; i++)
        if (t->def_ids[i] == id)
            return t->defs[i];
    struct toolkit_def *d = NULL;
    if (t->ndefs == DEFS_MAX || svc_toolkit_definition(t->c, id, &d) != SVC_OK)
        return NULL;
    t->def_ids[t->ndefs] = id;
    t->defs[t->ndefs++] = d;
    return d;
}

static const char *band_label(const struct toolkit_def *d, const char *code)
{
    for (size_t i = 0; d && i < d->nbands; i++)
        if (!strcmp(d->bands[i].code, code))
            return d->bands[i].label;
    return code;
}

static void on_completion(void *arg, const struct toolkit_completion_row *r)
{
    struct pupil_tk *t = arg;
    json_t *o = json_toolkit_completion(r);
    if (r->scored)
        json_object_set_new(o, "band_label", json_string(band_label(def_of(t, r->definition_id), r->band)));
    if (r->completed_on[0])
        view_set_date_label(o, "completed_on_label", r->completed_on);
    json_array_append_new(t->rows, o);
}

static int max_possible(const struct toolkit_def *d)
{
    int sum = 0;
    for (size_t i = 0; i < d->nitems; i++) {
        const struct tk_scale *s = &d->scales[d->items[i].scale];
        int top = 0;
        for (size_t k = 0; k < s->noptions; k++)
            if (s->options[k].value > top)
                top = s->options[k].value;
        sum += top * d->items[i].weight;
    }
    return sum;
}

/* One chart of one toolkit's completed scores, oldest first, with the
 * bands of the newest version answered marked. */
static json_t *chart_json(struct pupil_tk *t, const char *name)
{
    int scores[CHART_SCORE_POINTS], marks[CHART_SCORE_MARKS];
    json_t *rows = json_array(), *pts = json_array();
    size_t n = 0, i;
    json_t *v;
    int64_t def_id = 0;
    const char *title = "";
    json_array_foreach(t->rows, i, v) {
        if (strcmp(json_string_value(json_object_get(v, "toolkit")), name) ||
            !json_is_integer(json_object_get(v, "score")) || n == CHART_SCORE_POINTS)
            continue;
        scores[n++] = (int)json_integer_value(json_object_get(v, "score"));
        def_id = json_integer_value(json_object_get(v, "definition_id"));
        title = json_string_value(json_object_get(v, "title"));
        json_array_append(rows, v);
    }
    const struct toolkit_def *d = def_of(t, def_id);
    struct score_chart *g = malloc(sizeof *g);
    size_t nmarks = 0;
    json_t *bands = json_array();
    for (size_t b = 0; d && b < d->nbands && nmarks < CHART_SCORE_MARKS; b++) {
        if (d->bands[b].min == 0)
            continue;
        marks[nmarks++] = d->bands[b].min;
    }
    if (!g || n == 0 || chart_score_layout(scores, n, marks, nmarks, d ? max_possible(d) : 0, g) != 0) {
        free(g);
        json_decref(rows);
        json_decref(pts);
        json_decref(bands);
        return NULL;
    }
    for (size_t k = 0; k < g->npoints; k++) {
        json_t *row = json_array_get(rows, k);
        /* Dates under the first and last points only when there are many. */
        bool label = g->npoints <= 3 || k == 0 || k == g->npoints - 1;
        json_t *pt = json_pack("{s:i, s:i, s:i, s:i}", "x", g->points[k].x, "y", g->points[k].y, "score",
                               g->points[k].value, "label_y", g->plot_y + g->plot_h + 18);
        if (label)
            json_object_set(pt, "date_label", json_object_get(row, "completed_on_label"));
        /* The end dates stay inside the drawing. */
        json_object_set_new(pt, "anchor", json_string(g->npoints == 1 ? "middle" : k == 0 ? "start"
                                                      : k == g->npoints - 1 ? "end" : "middle"));
        json_array_append_new(pts, pt);
    }
    size_t m = 0;
    for (size_t b = 0; d && b < d->nbands && m < g->nmarks; b++) {
        if (d->bands[b].min == 0)
            continue;
        const struct score_point *mk = &g->marks[m++];
        /* On the drawing, the label up to its first colon ("Emerging concerns"). */
        char brief[TK_TEXT_MAX];
        snprintf(brief, sizeof brief, "%.*s", (int)strcspn(d->bands[b].label, ":"), d->bands[b].label);
        json_array_append_new(bands, json_pack("{s:i, s:i, s:i, s:i, s:s, s:s, s:s, s:b, s:i}", "min", mk->value,
                                               "y", mk->y, "x1", g->plot_x, "x2", g->plot_x + g->plot_w, "code",
                                               d->bands[b].code, "label", d->bands[b].label, "brief", brief,
                                               "flag", d->bands[b].flag, "label_y", mk->y - 3));
    }
    json_t *ticks = json_array();
    for (size_t k = 0; k < g->nticks; k++)
        json_array_append_new(ticks, json_pack("{s:i, s:i, s:i, s:i, s:i}", "value", g->ticks[k].value, "y",
                                               g->ticks[k].y, "x1", g->plot_x, "x2", g->plot_x + g->plot_w,
                                               "label_x", g->plot_x - 6));
    char desc[400];
    snprintf(desc, sizeof desc, "%zu completed %s, scores from %d to %d on an axis from 0 to %d; %s", n,
             n == 1 ? "completion" : "completions", scores[0], scores[n - 1], g->top,
             d && d->has_threshold ? "the dashed lines mark the band thresholds." : "lines mark the bands.");
    json_t *o = json_pack("{s:s, s:s, s:s, s:i, s:i, s:s, s:o, s:o, s:o, s:o}", "key", name, "title", title,
                          "description", desc, "width", g->width, "height", g->height, "line", g->line, "points",
                          pts, "bands", bands, "ticks", ticks, "rows", rows);
    if (d && d->has_threshold)
        json_object_set_new(o, "threshold", json_integer(d->threshold));
    free(g);
    return o;
}

static void free_defs(struct pupil_tk *t)
{
    for (size_t i = 0; i < t->ndefs; i++)
        free(t->defs[i]);
}

void toolkits_pupil_section(struct svc_ctx *c, const struct pupil_row *p, json_t *ctx)
{
    struct pupil_tk t = {.c = c, .rows = json_array()};
    if (svc_toolkit_completions(c, p->p.id, on_completion, &t) != SVC_OK) {
        json_decref(t.rows);
        return;
    }
    json_t *charts = json_array(), *newest_first = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(t.rows, i, v) {
        json_array_insert(newest_first, 0, v);
        const char *name = json_string_value(json_object_get(v, "toolkit"));
        bool seen = false;
        size_t k;
        json_t *ch;
        json_array_foreach(charts, k, ch)
            seen = seen || !strcmp(json_string_value(json_object_get(ch, "key")), name);
        json_t *chart = seen ? NULL : chart_json(&t, name);
        if (chart)
            json_array_append_new(charts, chart);
    }
    free_defs(&t);
    json_decref(t.rows);
    json_object_set_new(ctx, "toolkits", json_pack("{s:o, s:o, s:b}", "completions", newest_first, "charts",
                                                   charts, "can_start", svc_case_allowed(c, ACT_CREATE, p)));
}

static void collect_row(void *arg, const struct toolkit_completion_row *r)
{
    json_array_append_new(arg, json_toolkit_completion(r));
}

/* The API's list of a pupil's completions, oldest first. */
static void h_toolkit_list(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    json_t *rows = json_array();
    enum svc_status st = svc_toolkit_completions(&c, rq->id, collect_row, rows);
    if (st != SVC_OK) {
        json_decref(rows);
        view_svc_error(rq, rs, st == SVC_FORBIDDEN ? SVC_NOT_FOUND : st);
        return;
    }
    view_json(rs, 200, json_pack("{s:o}", "completions", rows));
}

static const struct route routes[] = {
    {"GET", "/pupils/:id/toolkits/new", h_toolkit_new, 0},
    {"POST", "/pupils/:id/toolkits", h_toolkit_start, 0},
    {"GET", "/toolkit-completions/:id", h_completion_view, 0},
    {"POST", "/toolkit-completions/:id", h_completion_save, 0},
    {"GET", "/api/v1/pupils/:id/toolkits", h_toolkit_list, 0},
    {"POST", "/api/v1/pupils/:id/toolkits", h_toolkit_start, 0},
    {"GET", "/api/v1/toolkit-completions/:id", h_completion_view, 0},
    {"PUT", "/api/v1/toolkit-completions/:id", h_completion_save, 0},
};

ROUTE_TABLE(toolkits_table, routes);
