/* The pseudonymised extract for evaluators: a page that explains it, and
 * the data as JSON or CSV (one row per case, the same columns).  Data
 * comes from service/svc_extract.c, which decides what may appear. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/casefile.h"
#include "lib/count.h"
#include "service/svc_actions.h"
#include "service/svc_extract.h"
#include "lib/csv.h"
#include "web/router.h"
#include "web/view.h"

static const char *tristate_json(int v)
{
    return v < 0 ? NULL : v ? "yes" : "no";
}

static json_t *counts(const struct code_list *l, const int64_t *n, size_t k)
{
    json_t *o = json_object();
    for (size_t i = 0; i < k && i < l->count; i++)
        json_object_set_new(o, l->entries[i].code, json_integer((json_int_t)n[i]));
    return o;
}

static json_t *row_json(const struct extract_row *r)
{
    json_t *prior = json_object();
    for (size_t i = 0; i < CASE_PRIOR_FLAGS; i++) {
        const char *v = tristate_json(r->prior[i]);
        json_object_set_new(prior, codes_prior_contact.entries[i].code, v ? json_string(v) : json_null());
    }
    json_t *needs = json_array();
    for (size_t i = 0; i < CASE_NEED_AREAS; i++)
        if (r->needs[i])
            json_array_append_new(needs, json_string(codes_need_area.entries[i].code));
    return json_pack(
        "{s:s, s:s, s:s?, s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s?, s:s?}, s:o, s:o,"
        " s:{s:I, s:I}, s:{s:o, s:o, s:o}, s:o}",
        "pupil_pid", r->pupil_pid, "case_ref", r->case_ref, "birth_year_month",
        r->birth_ym[0] ? r->birth_ym : NULL, "gender", r->gender, "ethnicity", r->ethnicity, "nc_year",
        r->nc_year, "sen_provision", r->sen_provision, "school", "la_code", r->la_code, "urn", r->school_urn,
        "phase", r->school_phase, "case", "status", r->status, "opened_on", r->opened_on, "closed_on",
        r->closed_on[0] ? r->closed_on : NULL, "closure_reason", r->closure_reason[0] ? r->closure_reason : NULL,
        "prior_contact", prior, "needs", needs, "discussions", "new", (json_int_t)r->discussions_new, "review",
        (json_int_t)r->discussions_review, "actions", "by_nature", counts(&action_natures, r->by_nature, EXTRACT_NATURES),
        "by_setting", counts(&action_settings, r->by_setting, EXTRACT_SETTINGS), "by_status",
        counts(&action_statuses, r->by_status, EXTRACT_STATUSES), "referrals",
        counts(&referral_outcomes, r->referrals, EXTRACT_OUTCOMES));
}

/* What the extract met and how: k asked and achieved, the rung each
 * column was generalised to, the sensitive flags withheld. */
static json_t *protection_json(const struct extract *x, bool words)
{
    json_t *g = json_object();
    for (int q = 0; q < XQ__COUNT; q++)
        json_object_set_new(g, extract_qi_name((enum extract_qi)q),
                            json_string(words ? extract_level_label((enum extract_qi)q, x->level[q])
                                              : extract_level_name((enum extract_qi)q, x->level[q])));
    return json_pack("{s:I, s:I, s:o, s:I}", "k_requested", (json_int_t)x->k_requested, "k_achieved",
                     (json_int_t)x->k_achieved, "generalised", g, "flags_withheld", (json_int_t)x->flags_withheld);
}

static bool load(struct req *rq, struct resp *rs, struct extract *x)
{
    struct svc_ctx c = req_svc_ctx(rq);
    enum svc_status st = svc_extract_pseudonymised(&c, x);
    if (st != SVC_OK) {
        view_svc_error(rq, rs, st);
        return false;
    }
    return true;
}

static void h_extract_json(struct req *rq, struct resp *rs)
{
    struct extract x;
    if (!load(rq, rs, &x))
        return;
    json_t *rows = json_array();
    for (size_t i = 0; i < x.n; i++)
        json_array_append_new(rows, row_json(&x.rows[i]));
    view_json(rs, 200, json_pack("{s:s, s:I, s:o, s:o}", "key_id", x.key_id, "count", (json_int_t)x.n,
                                 "protection", protection_json(&x, false), "rows", rows));
    extract_free(&x);
}

static void csv_header(struct buf *b)
{
    /* Column names are fixed codes: nothing for a spreadsheet to run. */
    buf_puts(b, "key_id,pupil_pid,case_ref,birth_year_month,gender,ethnicity,nc_year,sen_provision,"
                "la_code,school_urn,school_phase,case_status,opened_on,closed_on,closure_reason");
    for (size_t i = 0; i < CASE_PRIOR_FLAGS; i++)
        buf_printf(b, ",%s", codes_prior_contact.entries[i].code);
    for (size_t i = 0; i < CASE_NEED_AREAS; i++)
        buf_printf(b, ",need_%s", codes_need_area.entries[i].code);
    buf_puts(b, ",discussions_new,discussions_review");
    for (size_t i = 0; i < EXTRACT_NATURES; i++)
        buf_printf(b, ",actions_nature_%s", action_natures.entries[i].code);
    for (size_t i = 0; i < EXTRACT_SETTINGS; i++)
        buf_printf(b, ",actions_setting_%s", action_settings.entries[i].code);
    for (size_t i = 0; i < EXTRACT_STATUSES; i++)
        buf_printf(b, ",actions_status_%s", action_statuses.entries[i].code);
    for (size_t i = 0; i < EXTRACT_OUTCOMES; i++)
        buf_printf(b, ",referrals_%s", referral_outcomes.entries[i].code);
    /* The k the file meets, on every row, so it travels with any part of it. */
    buf_puts(b, ",k_requested,k_achieved\r\n");
}

static void h_extract_csv(struct req *rq, struct resp *rs)
{
    struct extract x;
    if (!load(rq, rs, &x))
        return;
    struct buf *b = &rs->body;
    buf_reset(b);
    csv_header(b);
    struct csv w = CSV_INIT(b);
    for (size_t i = 0; i < x.n; i++) {
        const struct extract_row *r = &x.rows[i];
        const char *cols[] = {x.key_id, r->pupil_pid, r->case_ref, r->birth_ym, r->gender, r->ethnicity,
                              r->nc_year, r->sen_provision, r->la_code, r->school_urn, r->school_phase,
                              r->status, r->opened_on, r->closed_on, r->closure_reason};
        for (size_t k = 0; k < COUNT(cols); k++)
            csv_text(&w, cols[k]);
        for (size_t k = 0; k < CASE_PRIOR_FLAGS; k++)
            csv_text(&w, r->prior[k] < 0 ? "" : r->prior[k] ? "yes" : "no");
        for (size_t k = 0; k < CASE_NEED_AREAS; k++)
            csv_text(&w, r->needs[k] ? "1" : "0");
        csv_int(&w, r->discussions_new);
        csv_int(&w, r->discussions_review);
        for (size_t k = 0; k < EXTRACT_NATURES; k++)
            csv_int(&w, r->by_nature[k]);
        for (size_t k = 0; k < EXTRACT_SETTINGS; k++)
            csv_int(&w, r->by_setting[k]);
        for (size_t k = 0; k < EXTRACT_STATUSES; k++)
            csv_int(&w, r->by_status[k]);
        for (size_t k = 0; k < EXTRACT_OUTCOMES; k++)
            csv_int(&w, r->referrals[k]);
        csv_int(&w, x.k_requested);
        csv_int(&w, x.k_achieved);
        csv_end_row(&w);
    }
    rs->status = 200;
    rs->content_type = "text/csv; charset=utf-8";
    extract_free(&x);
}

static void h_extract_page(struct req *rq, struct resp *rs)
{
    struct extract x;
    if (!load(rq, rs, &x))
        return;
    json_t *ctx = view_page(rq, "Pseudonymised extract", "extract");
    view_breadcrumbs(ctx, "/", "Home", NULL);
    json_object_set_new(ctx, "count", json_integer((json_int_t)x.n));
    json_object_set_new(ctx, "key_id", json_string(x.key_id));
    json_object_set_new(ctx, "protection", protection_json(&x, true));
    extract_free(&x);
    view_render(rq, rs, 200, "extract", ctx);
}

/* PUT /api/v1/settings/extract {authority_id, k}: the DPO sets k. */
static void h_extract_k_save(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct field_errors errs = {0};
    const char *a = req_param(rq, "authority_id");
    enum svc_status st = svc_extract_k_save(&c, a ? strtoll(a, NULL, 10) : 0, req_param(rq, "k"), &errs);
    /* API only: a page's form would be SAVE_FORM. */
    if (view_answer_save(rq, rs, st, &errs) == SAVE_OK)
        view_json(rs, 200, json_pack("{s:b}", "saved", 1));
}

static const struct route extract_routes[] = {
    {"GET", "/extract", h_extract_page, 0},
    {"GET", "/api/v1/extract/pseudonymised", h_extract_json, 0},
    {"GET", "/api/v1/extract/pseudonymised.csv", h_extract_csv, 0},
    {"PUT", "/api/v1/settings/extract", h_extract_k_save, 0},
};

ROUTE_TABLE(extract_table, extract_routes);
