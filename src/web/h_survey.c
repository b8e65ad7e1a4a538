/* Fast feedback questionnaires: an authority's questionnaires, single-use
 * links for a meeting's attendees, the anonymous answer form (no sign-in),
 * and the results by kind of organisation as a chart, a table and CSV.
 * Data from service/svc_survey.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/count.h"
#include "lib/csv.h"
#include "service/svc_survey.h"
#include "web/form.h"
#include "web/router.h"
#include "web/view.h"

static const struct req_field questionnaire_fields[] = {
    REQ_FIELD(struct questionnaire_form, authority_id), REQ_FIELD(struct questionnaire_form, title),
    REQ_FIELD(struct questionnaire_form, statements), REQ_FIELD(struct questionnaire_form, sentiment),
    REQ_FIELD(struct questionnaire_form, open_question),
};

static json_t *json_questionnaire(const struct questionnaire *q)
{
    char items[SURVEY_MAX_ITEMS][SURVEY_ITEM_MAX];
    int n = survey_items(q->statements, items);
    json_t *st = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(st, json_pack("{s:i, s:s}", "index", i, "text", items[i]));
    return json_pack("{s:I, s:I, s:s, s:o, s:s, s:s}", "id", (json_int_t)q->id, "authority_id",
                     (json_int_t)q->authority_id, "title", q->title, "statements", st, "sentiment", q->sentiment,
                     "open_question", q->open_question);
}

static void add_questionnaire(void *arg, const struct questionnaire *q)
{
    json_array_append_new(arg, json_questionnaire(q));
}

/* ---- an authority's questionnaires ---- */

static void render_questionnaires(struct req *rq, struct resp *rs, int status, struct svc_ctx *c,
                                  const struct questionnaire_form *f, const struct field_errors *e)
{
    json_t *list = json_array();
    enum svc_status st = svc_questionnaire_list(c, add_questionnaire, list);
    if (st != SVC_OK)
        json_decref(list);
    if (view_failed(rq, rs, st))
        return;
    if (rq->api) {
        view_json(rs, status, json_pack("{s:o}", "questionnaires", list));
        return;
    }
    json_t *ctx = view_page(rq, "Fast feedback questionnaires", "settings");
    view_breadcrumbs(ctx, "/", "Home", "/settings", "Settings", NULL);
    json_object_set_new(ctx, "questionnaires", list);
    view_set_errors(ctx, e);
    /* The authority of the user's first grant that names one. */
    char auth[24] = "";
    for (size_t i = 0; i < rq->sess.who.ngrants && i < POLICY_MAX_GRANTS && !auth[0]; i++)
        if (rq->sess.who.grants[i].authority_id > 0)
            snprintf(auth, sizeof auth, "%lld", (long long)rq->sess.who.grants[i].authority_id);
    json_t *fields = json_object();
    json_object_set_new(fields, "title", fld_input("title", "Title", f->title, e, NULL));
    json_object_set_new(fields, "statements",
                        fld_textarea("statements", "Statements to agree or disagree with", f->statements, e,
                                     "One a line, up to 6. For example: TAS helped me act earlier for a pupil."));
    json_object_set_new(fields, "sentiment", fld_input("sentiment", "Sentiment question", f->sentiment, e,
                                                       "For example: How do you feel about TAS overall?"));
    json_object_set_new(fields, "open_question", fld_input("open_question", "Open question", f->open_question, e,
                                                           "For example: What one thing would improve TAS?"));
    json_object_set_new(ctx, "fields", fields);
    json_object_set_new(ctx, "authority_id", json_string(f->authority_id && *f->authority_id ? f->authority_id
                                                                                             : auth));
    view_render(rq, rs, status, "questionnaire_list", ctx);
}

static void h_questionnaires(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct questionnaire_form f = {0};
    render_questionnaires(rq, rs, 200, &c, &f, NULL);
}

static void h_questionnaire_create(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct questionnaire_form f = {0};
    req_fields(rq, questionnaire_fields, COUNT(questionnaire_fields), &f);
    struct field_errors e = {0};
    int64_t id = 0;
    enum svc_status st = svc_questionnaire_create(&c, &f, &e, &id);
    struct questionnaire q;
    if (st == SVC_OK && q_questionnaire_get(c.db, id, &q) != STORE_ROW)
        st = SVC_ERROR;
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK)
        view_saved(rq, rs, 201, "questionnaire", json_questionnaire(&q), "/questionnaires?saved=1");
    else if (n == SAVE_FORM)
        render_questionnaires(rq, rs, 400, &c, &f, &e);
}

/* ---- links for a meeting ---- */

static void render_links(struct req *rq, struct resp *rs, int status, struct svc_ctx *c, const char *qid,
                         const char *count, const struct field_errors *e, json_t *links)
{
    if (rq->api) {
        view_json(rs, status, json_pack("{s:o}", "links", links ? links : json_array()));
        return;
    }
    json_t *ctx = view_page(rq, "Feedback links for a meeting", "meetings");
    char back[64];
    snprintf(back, sizeof back, "/meetings/%lld", (long long)rq->id);
    view_breadcrumbs(ctx, "/", "Home", "/meetings", "Meetings", back, "Meeting", NULL);
    json_object_set_new(ctx, "meeting_id", json_integer(rq->id));
    view_set_errors(ctx, e);
    json_t *sel = fld_select_blank("questionnaire_id", "Questionnaire", e, NULL, "Select", qid);
    json_t *list = json_array();
    if (svc_questionnaire_list(c, add_questionnaire, list) == SVC_OK) {
        size_t i;
        json_t *q;
        json_array_foreach(list, i, q) {
            char v[24];
            snprintf(v, sizeof v, "%lld", (long long)json_integer_value(json_object_get(q, "id")));
            fld_add_option(sel, v, json_string_value(json_object_get(q, "title")), qid);
        }
    }
    json_decref(list);
    json_t *fields = json_object();
    json_object_set_new(fields, "questionnaire_id", sel);
    json_object_set_new(
        fields, "count",
        fld_number(fld_input("count", "How many links", count, e, "One for each person at the meeting, up to 40"),
                   "govuk-input--width-3", "numeric"));
    json_object_set_new(ctx, "fields", fields);
    if (links)
        json_object_set_new(ctx, "links", links);
    view_render(rq, rs, status, "feedback_links", ctx);
}

static void h_links_form(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    if (view_failed(rq, rs, svc_feedback_links_allowed(&c, rq->id, NULL)))
        return;
    struct field_errors e = {0};
    render_links(rq, rs, 200, &c, "", "", &e, NULL);
}

static void h_links_create(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    const char *qid = req_param(rq, "questionnaire_id"), *count = req_param(rq, "count");
    struct field_errors e = {0};
    char (*tokens)[SURVEY_TOKEN_HEX + 1] = req_alloc(rq, SURVEY_MAX_LINKS * sizeof *tokens);
    int n = 0;
    enum svc_status st = tokens ? svc_feedback_links(&c, rq->id, qid, count, &e, tokens, &n) : SVC_ERROR;
    enum save_next next = view_answer_save(rq, rs, st, &e);
    if (next == SAVE_FORM) {
        render_links(rq, rs, 400, &c, qid, count, &e, NULL);
    } else if (next == SAVE_OK) {
        /* Shown once: only the tokens' hashes are kept. */
        json_t *links = json_array();
        for (int i = 0; i < n; i++)
            json_array_append_new(links, json_pack("{s:s, s:o}", "token", tokens[i], "path",
                                                   json_sprintf("/feedback?t=%s", tokens[i])));
        render_links(rq, rs, 201, &c, qid, count, &e, links);
    }
}

/* ---- the anonymous answer ---- */

static void render_answer(struct req *rq, struct resp *rs, int status, const char *token, const struct questionnaire *q,
                          const struct feedback_form *f, const struct field_errors *e)
{
    json_t *ctx = view_page(rq, "Fast feedback", NULL);
    json_object_set_new(ctx, "csrf", json_string(view_form_token(rq, rs)));
    json_object_set_new(ctx, "token", json_string(token));
    json_object_set_new(ctx, "questionnaire", json_questionnaire(q));
    view_set_errors(ctx, e);
    json_t *fields = json_object();
    json_object_set_new(fields, "org_kind", fld_radios_codes("org_kind", "Where do you work?", f->org_kind, e,
                                                             &codes_org_group, 0));
    char items[SURVEY_MAX_ITEMS][SURVEY_ITEM_MAX];
    int n = survey_items(q->statements, items);
    json_t *likert = json_array();
    for (int i = 0; i < n; i++) {
        char name[8];
        snprintf(name, sizeof name, "s%d", i);
        json_t *fl = fld_radios_codes(name, items[i], f->scores[i], e, &codes_survey_likert, 0);
        json_object_set_new(fl, "small", json_true());
        json_array_append_new(likert, fl);
    }
    json_object_set_new(fields, "likert", likert);
    json_object_set_new(fields, "sentiment", fld_radios_codes("sentiment", q->sentiment, f->sentiment, e,
                                                              &codes_survey_sentiment, 0));
    json_object_set_new(fields, "comment", fld_textarea("comment", q->open_question, f->comment, e, NULL));
    json_object_set_new(ctx, "fields", fields);
    view_render(rq, rs, status, "feedback_form", ctx);
}

/* A refused link: wrong or spent, counted against the address. */
static void link_refused(struct req *rq, struct resp *rs, struct svc_ctx *c, enum svc_status st)
{
    if (st == SVC_NOT_FOUND) {
        svc_feedback_refused(c);
        view_error(rq, rs, 404, "This link cannot be used",
                   "Each link can be used once. If you have not answered yet, ask the meeting's coordinator for a new one.");
    } else {
        view_svc_error(rq, rs, st);
    }
}

static bool throttled(struct req *rq, struct resp *rs, struct svc_ctx *c)
{
    int64_t wait = 0;
    if (!svc_feedback_throttled(c, &wait))
        return false;
    rs->retry_after = wait > 0 ? wait : 60;
    view_error(rq, rs, 429, "Too many attempts", "Too many links that cannot be used were tried. Try again later.");
    return true;
}

static void h_answer_form(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    if (throttled(rq, rs, &c))
        return;
    const char *token = req_query(rq, "t");
    struct questionnaire q;
    enum svc_status st = svc_feedback_open(&c, token, &q);
    if (st != SVC_OK) {
        link_refused(rq, rs, &c, st);
        return;
    }
    struct feedback_form f = {0};
    render_answer(rq, rs, 200, token, &q, &f, NULL);
}

static void h_answer(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    if (throttled(rq, rs, &c))
        return;
    const char *token = req_param(rq, "t");
    struct feedback_form f = {0};
    f.org_kind = req_param(rq, "org_kind");
    for (int i = 0; i < SURVEY_MAX_ITEMS; i++) {
        char name[8];
        snprintf(name, sizeof name, "s%d", i);
        f.scores[i] = req_param(rq, name);
    }
    f.sentiment = req_param(rq, "sentiment");
    f.comment = req_param(rq, "comment");
    struct field_errors e = {0};
    enum svc_status st = svc_feedback_answer(&c, token, &f, &e);
    struct questionnaire q;
    if (st == SVC_INVALID && svc_feedback_open(&c, token, &q) == SVC_OK) {
        render_answer(rq, rs, 400, token, &q, &f, &e);
    } else if (st == SVC_OK) {
        json_t *ctx = view_page(rq, "Thank you", NULL);
        view_render(rq, rs, 200, "feedback_done", ctx);
    } else {
        link_refused(rq, rs, &c, st == SVC_INVALID ? SVC_NOT_FOUND : st);
    }
}

/* ---- results ---- */

#define BAR_MAX 300

static json_t *results_json(const struct questionnaire *q, const struct survey_results *r, int threshold)
{
    char items[SURVEY_MAX_ITEMS][SURVEY_ITEM_MAX];
    int n = survey_items(q->statements, items);
    json_t *groups = json_array();
    for (int g = 0; g < SURVEY_GROUPS; g++) {
        json_t *o = json_pack("{s:s, s:s, s:b}", "code", codes_org_group.entries[g].code, "label",
                              codes_org_group.entries[g].label, "withheld", r->withheld[g]);
        json_object_set_new(o, "respondents", r->withheld[g] ? json_null() : json_integer(r->respondents[g]));
        json_object_set_new(o, "respondents_text", r->withheld[g] ? json_string("c")
                                                                   : json_sprintf("%lld", (long long)r->respondents[g]));
        int64_t sn = r->sentiment_n[g];
        int sm = sn ? (int)((r->sentiment_sum[g] * 20 + sn) / (2 * sn)) : -1;   /* times 10, rounded */
        json_object_set_new(o, "sentiment", r->withheld[g] || sm < 0 ? json_null() : json_real(sm / 10.0));
        json_object_set_new(o, "sentiment_text", r->withheld[g] ? json_string("c")
                                                 : sm < 0 ? json_string("-") : json_sprintf("%d.%d", sm / 10, sm % 10));
        json_array_append_new(groups, o);
    }
    json_t *rows = json_array();
    int y = 24;
    for (int i = 0; i < n; i++) {
        json_t *cells = json_array();
        for (int g = 0; g < SURVEY_GROUPS; g++) {
            int m = survey_mean10(r, g, i);
            json_t *c = json_pack("{s:s, s:i}", "group", codes_org_group.entries[g].label, "y", y + g * 18);
            json_object_set_new(c, "mean", m < 0 ? json_null() : json_real(m / 10.0));
            json_object_set_new(c, "text", r->withheld[g] ? json_string("c")
                                           : m < 0 ? json_string("-") : json_sprintf("%d.%d", m / 10, m % 10));
            json_object_set_new(c, "agree", r->withheld[g] || !r->answered[g][i] ? json_null()
                                            : json_integer(r->agree[g][i]));
            json_object_set_new(c, "width", json_integer(m < 0 ? 0 : m * BAR_MAX / 50));
            json_object_set_new(c, "label_y", json_integer(y + g * 18 + 11));
            json_array_append_new(cells, c);
        }
        json_array_append_new(rows, json_pack("{s:i, s:s, s:o, s:i}", "index", i, "statement", items[i], "cells",
                                              cells, "heading_y", y - 6));
        y += SURVEY_GROUPS * 18 + 30;
    }
    return json_pack("{s:o, s:i, s:o, s:o, s:i}", "questionnaire", json_questionnaire(q), "threshold", threshold,
                     "groups", groups, "statements", rows, "chart_height", y);
}

/* The results the request asks for (a: view, or export for CSV), or NULL
 * when a failure was answered. */
static struct survey_results *results_for(struct req *rq, struct resp *rs, enum action a, struct questionnaire *q,
                                          int *threshold)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct survey_results *r = req_alloc(rq, sizeof *r);
    enum svc_status st = r ? svc_feedback_results(&c, rq->id, a, q, r, threshold) : SVC_ERROR;
    return view_failed(rq, rs, st) ? NULL : r;
}

static void h_results(struct req *rq, struct resp *rs)
{
    struct questionnaire q;
    int threshold = 0;
    struct survey_results *r = results_for(rq, rs, ACT_VIEW, &q, &threshold);
    if (!r)
        return;
    json_t *res = results_json(&q, r, threshold);
    if (rq->api) {
        view_json(rs, 200, res);
        return;
    }
    json_t *ctx = view_page(rq, "Fast feedback results", "settings");
    view_breadcrumbs(ctx, "/", "Home", "/questionnaires", "Questionnaires", NULL);
    json_object_set_new(ctx, "results", res);
    view_render(rq, rs, 200, "survey_results", ctx);
}

static void h_results_csv(struct req *rq, struct resp *rs)
{
    struct questionnaire q;
    int threshold = 0;
    struct survey_results *r = results_for(rq, rs, ACT_EXPORT, &q, &threshold);
    if (!r)
        return;
    char items[SURVEY_MAX_ITEMS][SURVEY_ITEM_MAX];
    int n = survey_items(q.statements, items);
    buf_reset(&rs->body);
    struct csv w = CSV_INIT(&rs->body);
    csv_text(&w, "statement");
    csv_text(&w, "organisation");
    csv_text(&w, "respondents");
    csv_text(&w, "mean score (1-5)");
    csv_text(&w, "agree or strongly agree");
    csv_end_row(&w);
    for (int i = 0; i < n; i++)
        for (int g = 0; g < SURVEY_GROUPS; g++) {
            int m = survey_mean10(r, g, i);
            char mean[16];
            snprintf(mean, sizeof mean, "%d.%d", m / 10, m % 10);
            csv_text(&w, items[i]);
            csv_text(&w, codes_org_group.entries[g].label);
            if (r->withheld[g])
                csv_text(&w, "c");
            else
                csv_int(&w, r->respondents[g]);
            csv_text(&w, r->withheld[g] ? "c" : m < 0 ? "" : mean);
            if (r->withheld[g])
                csv_text(&w, "c");
            else
                csv_int(&w, r->agree[g][i]);
            csv_end_row(&w);
        }
    rs->status = 200;
    rs->content_type = "text/csv; charset=utf-8";
    snprintf(rs->disposition, sizeof rs->disposition, "attachment; filename=\"tas-feedback-%lld.csv\"",
             (long long)q.id);
}

static const struct route routes[] = {
    {"GET", "/questionnaires", h_questionnaires, 0},
    {"POST", "/questionnaires", h_questionnaire_create, 0},
    {"GET", "/questionnaires/:id/results", h_results, 0},
    {"GET", "/questionnaires/:id/results.csv", h_results_csv, 0},
    {"GET", "/meetings/:id/feedback-links", h_links_form, 0},
    {"POST", "/meetings/:id/feedback-links", h_links_create, 0},
    {"GET", "/feedback", h_answer_form, ROUTE_PUBLIC},
    {"POST", "/feedback", h_answer, ROUTE_PUBLIC},

    {"GET", "/api/v1/questionnaires", h_questionnaires, 0},
    {"POST", "/api/v1/questionnaires", h_questionnaire_create, 0},
    {"GET", "/api/v1/questionnaires/:id/results", h_results, 0},
    {"POST", "/api/v1/meetings/:id/feedback-links", h_links_create, 0},
};

ROUTE_TABLE(survey_table, routes);
