/* The dashboard's settings, kept by an administrator: the cost model
 * (/settings/costs: hourly cost with on-costs and the hours of each role
 * per meeting), the disclosure-control threshold, and the census figures
 * of a school (/schools/:id/population, JSON PUT /api/v1/schools/:id/population).
 * Data: service/svc_costs.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "lib/count.h"
#include "service/svc_costs.h"
#include "service/svc_dashboard.h"
#include "web/form.h"
#include "web/router.h"
#include "web/view.h"


static void money(int64_t pence, char *out, size_t n)
{
    snprintf(out, n, "%lld.%02lld", (long long)(pence / 100), (long long)(pence % 100));
}

static json_t *rate_json(const struct cost_rate *r, bool set)
{
    char hourly[32], per[32];
    int64_t minutes = r->prep_minutes + r->meeting_minutes + r->followup_minutes + r->travel_minutes;
    money(r->hourly_pence, hourly, sizeof hourly);
    money((r->hourly_pence * minutes + 30) / 60, per, sizeof per);
    const char *group = code_label(&codes_org_group, r->org_group);
    return json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:I, s:I, s:I, s:I, s:s}", "role_key", r->role_key, "label",
                     r->label, "org_group", r->org_group, "org_group_label", group ? group : "Other", "set", set,
                     "hourly", set ? hourly : "", "prep_minutes", (json_int_t)r->prep_minutes, "meeting_minutes",
                     (json_int_t)r->meeting_minutes, "followup_minutes", (json_int_t)r->followup_minutes,
                     "travel_minutes", (json_int_t)r->travel_minutes, "cost_per_meeting", set ? per : "");
}

static const struct req_field cost_fields[] = {
    REQ_FIELD(struct cost_form, role_key), REQ_FIELD(struct cost_form, label),
    REQ_FIELD(struct cost_form, org_group), REQ_FIELD(struct cost_form, hourly),
    REQ_FIELD(struct cost_form, prep), REQ_FIELD(struct cost_form, meeting),
    REQ_FIELD(struct cost_form, followup), REQ_FIELD(struct cost_form, travel),
};

static void read_cost_form(struct req *rq, struct cost_form *f)
{
    req_fields(rq, cost_fields, COUNT(cost_fields), f);
}

static void costs_page(struct req *rq, struct resp *rs, int status, const struct cost_form *f,
                       const char *threshold, const struct field_errors *errs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    int64_t authority = view_authority(rq);
    struct cost_settings *s = req_alloc(rq, sizeof *s);
    if (view_failed(rq, rs, s ? svc_cost_settings(&c, authority, s) : SVC_ERROR))
        return;
    json_t *rates = json_array();
    for (size_t i = 0; i < s->n; i++)
        json_array_append_new(rates, rate_json(&s->rates[i], s->set[i]));
    if (rq->api) {
        view_json(rs, 200, json_pack("{s:I, s:I, s:o}", "authority_id", (json_int_t)authority, "threshold",
                                     (json_int_t)(s->threshold ? s->threshold : DASH_DEFAULT_THRESHOLD), "rates",
                                     rates));
        return;
    }
    json_t *ctx = view_page(rq, "Dashboard settings: costs and disclosure", "dashboard");
    view_breadcrumbs(ctx, "/", "Home", "/dashboard", "Dashboard", NULL);
    json_object_set_new(ctx, "rates", rates);
    json_object_set_new(ctx, "authority_id", json_integer(authority));
    json_t *role = fld_select_codes("role_key", "Role", f ? f->role_key : "", errs,
                                    &(struct code_list){"none", NULL, 0}, "Select a role");
    for (size_t i = 0; i < s->n; i++)
        fld_add_option(role, s->rates[i].role_key, s->rates[i].label, f ? f->role_key : "");
    json_t *fields = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "role_key", role, "label",
                               fld_input("label", "Name shown in the tables", f ? f->label : "", errs, NULL),
                               "org_group", fld_select_codes("org_group", "Employed by", f ? f->org_group : "", errs,
                                                             &codes_org_group, NULL),
                               "hourly", fld_input("hourly", "Hourly cost with on-costs, in pounds",
                                                   f ? f->hourly : "", errs, "For example, 42.50"),
                               "prep", fld_input("prep", "Preparation, in minutes", f ? f->prep : "", errs, NULL),
                               "meeting", fld_input("meeting", "Meeting, in minutes", f ? f->meeting : "", errs, NULL),
                               "followup", fld_input("followup", "Follow-up, in minutes", f ? f->followup : "", errs,
                                                     NULL),
                               "travel", fld_input("travel", "Travel, in minutes", f ? f->travel : "", errs, NULL));
    char th[16];
    snprintf(th, sizeof th, "%lld", (long long)(s->threshold ? s->threshold : DASH_DEFAULT_THRESHOLD));
    json_object_set_new(fields, "threshold", fld_input("threshold", "Smallest count shown in published figures",
                                                       threshold ? threshold : th, errs,
                                                       "Counts below this are shown as c. From 2 to 100."));
    json_object_set_new(ctx, "fields", fields);
    json_object_set_new(ctx, "may_edit", json_boolean(svc_allowed(&c, ACT_EDIT, RES_AGGREGATE, 0, authority, 0)));
    view_set_errors(ctx, errs);
    if (req_query(rq, "saved"))
        view_flash(ctx, "Settings saved");
    view_render(rq, rs, status, "dashboard_costs", ctx);
}

static void h_costs(struct req *rq, struct resp *rs)
{
    costs_page(rq, rs, 200, NULL, NULL, NULL);
}

static void saved(struct req *rq, struct resp *rs)
{
    if (rq->api) {
        view_json(rs, 200, json_pack("{s:b}", "saved", 1));
        return;
    }
    char loc[96];
    snprintf(loc, sizeof loc, "/settings/costs?authority_id=%lld&saved=1", (long long)view_authority(rq));
    resp_redirect(rs, loc);
}

static void h_cost_save(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct cost_form f;
    read_cost_form(rq, &f);
    struct field_errors errs = {0};
    enum svc_status st = svc_cost_rate_save(&c, view_authority(rq), &f, &errs);
    enum save_next n = view_answer_save(rq, rs, st, &errs);
    if (n == SAVE_OK)
        saved(rq, rs);
    else if (n == SAVE_FORM)
        costs_page(rq, rs, 400, &f, NULL, &errs);
}

static void h_disclosure_save(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    const char *t = req_param(rq, "threshold");
    struct field_errors errs = {0};
    enum svc_status st = svc_disclosure_save(&c, view_authority(rq), t, &errs);
    enum save_next n = view_answer_save(rq, rs, st, &errs);
    if (n == SAVE_OK)
        saved(rq, rs);
    else if (n == SAVE_FORM)
        costs_page(rq, rs, 400, NULL, t, &errs);
}

/* {"dimension": "gender", "counts": {"M": 120, "F": 118, "": 2}} */
static void h_population_save(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    json_t *counts = rq->json ? json_object_get(rq->json, "counts") : NULL;
    const char *dim = req_param(rq, "dimension");
    struct field_errors errs = {0};
    if (!json_is_object(counts) || json_object_size(counts) > 64) {
        field_errors_add(&errs, "counts", "Send counts as an object of census code to number of pupils");
        view_invalid_json(rs, &errs);
        return;
    }
    const char *cats[64];
    int64_t pupils[64];
    size_t n = 0;
    const char *k;
    json_t *v;
    json_object_foreach(counts, k, v) {
        cats[n] = k;
        pupils[n] = json_is_integer(v) ? (int64_t)json_integer_value(v) : -1;
        n++;
    }
    enum svc_status st = svc_population_save(&c, rq->id, dim, cats, pupils, n, &errs);
    /* Only under /api/v1/: never SAVE_FORM. */
    if (view_answer_save(rq, rs, st, &errs) == SAVE_OK)
        view_json(rs, 200, json_pack("{s:b}", "saved", 1));
}

/* ---- a school's census figures ---- */

struct dimension {
    const char *code, *label;
    const struct code_list *list;
};

static const struct dimension dimensions[] = {
    {"gender", "Gender", &codes_gender},
    {"nc_year", "Year group", &codes_nc_year},
    {"ethnicity", "Ethnicity", &codes_ethnicity},
    {"sen_provision", "SEN provision", &codes_sen_provision},
};
#define NDIM (COUNT(dimensions))

static void on_population(void *arg, const struct dash_row *r)
{
    json_t *counts = arg;
    json_t *d = json_object_get(counts, r->k[0]);
    if (!d) {
        d = json_object();
        json_object_set_new(counts, r->k[0], d);
    }
    json_object_set_new(d, r->k[1], json_integer((json_int_t)r->n[0]));
}

/* Fields "DIMENSION-CODE" ("DIMENSION-none": not recorded), with what was
 * typed (values) or what is stored (counts). */
static json_t *population_fields(const json_t *counts, const struct kvlist *typed, const struct field_errors *errs)
{
    json_t *dims = json_array();
    for (size_t d = 0; d < NDIM; d++) {
        json_t *fields = json_array();
        const struct code_list *l = dimensions[d].list;
        for (size_t i = 0; i <= l->count; i++) {
            bool none = i == l->count;
            const char *code = none ? "" : l->entries[i].code;
            if (!none && !strcmp(dimensions[d].code, "gender") && !strcmp(code, "U"))
                continue;   /* "U" is itself "not recorded": one box for it */
            char name[48], value[24] = "";
            snprintf(name, sizeof name, "%s-%s", dimensions[d].code, none ? "none" : code);
            const json_t *v = json_object_get(json_object_get(counts, dimensions[d].code), code);
            if (typed) {
                const char *t = kvlist_get(typed, name);
                snprintf(value, sizeof value, "%s", t ? t : "");
            } else if (json_is_integer(v)) {
                snprintf(value, sizeof value, "%lld", (long long)json_integer_value(v));
            }
            json_t *f = fld_input(name, none ? "Not recorded" : l->entries[i].label, value, NULL, NULL);
            fld_number(f, "govuk-input--width-5", "numeric");
            json_object_set_new(f, "error", json_false());   /* the dimension carries the error */
            json_array_append_new(fields, f);
        }
        json_t *dim = json_pack("{s:s, s:s, s:o}", "code", dimensions[d].code, "legend", dimensions[d].label,
                                "fields", fields);
        const char *e = errs ? field_errors_get(errs, dimensions[d].code) : NULL;
        if (e)
            json_object_set_new(dim, "error", json_string(e));
        json_array_append_new(dims, dim);
    }
    return dims;
}

static void population_page(struct req *rq, struct resp *rs, int status, const struct field_errors *errs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct school sch;
    json_t *counts = json_object();
    enum svc_status st = svc_population_get(&c, rq->id, &sch, on_population, counts);
    if (view_failed_drop(rq, rs, st, counts))
        return;
    if (rq->api) {
        view_json(rs, 200, json_pack("{s:I, s:o}", "school_id", (json_int_t)sch.id, "counts", counts));
        return;
    }
    char title[300];
    snprintf(title, sizeof title, "Pupils on roll: %s", sch.name);
    json_t *ctx = view_page(rq, title, "dashboard");
    view_breadcrumbs(ctx, "/", "Home", "/dashboard", "Dashboard", NULL);
    json_object_set_new(ctx, "school", json_pack("{s:I, s:s}", "id", (json_int_t)sch.id, "name", sch.name));
    json_object_set_new(ctx, "dimensions", population_fields(counts, errs ? &rq->form : NULL, errs));
    view_set_errors(ctx, errs);
    if (req_query(rq, "saved"))
        view_flash(ctx, "Census figures saved");
    json_decref(counts);
    view_render(rq, rs, status, "dashboard_population", ctx);
}

static void h_population(struct req *rq, struct resp *rs)
{
    population_page(rq, rs, 200, NULL);
}

/* The form: every dimension, each replaced by the boxes filled in. */
static void h_population_form_save(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct field_errors errs = {0};
    enum svc_status st = SVC_OK;
    for (size_t d = 0; d < NDIM && (st == SVC_OK || st == SVC_INVALID); d++) {
        const struct code_list *l = dimensions[d].list;
        const char *cats[64];
        int64_t pupils[64];
        size_t n = 0;
        bool bad = false;
        for (size_t i = 0; i <= l->count && n < 64; i++) {
            bool none = i == l->count;
            char name[48];
            snprintf(name, sizeof name, "%s-%s", dimensions[d].code, none ? "none" : l->entries[i].code);
            const char *v = req_param(rq, name);
            if (!v || !*v)
                continue;
            char *end = NULL;
            long long x = strtoll(v, &end, 10);
            if (*end || x < 0 || x > 100000)
                bad = true;
            cats[n] = none ? "" : l->entries[i].code;
            pupils[n++] = x;
        }
        if (bad) {
            field_errors_add(&errs, dimensions[d].code, "Numbers of pupils must be whole numbers from 0 to 100,000");
            st = SVC_INVALID;
            continue;
        }
        struct field_errors e = {0};
        enum svc_status s1 = svc_population_save(&c, rq->id, dimensions[d].code, cats, pupils, n, &e);
        if (s1 == SVC_INVALID)
            field_errors_add(&errs, dimensions[d].code, e.count ? e.items[0].message : "Check the numbers");
        if (s1 != SVC_OK)
            st = s1;
    }
    enum save_next n = view_answer_save(rq, rs, st, &errs);
    char loc[64];
    snprintf(loc, sizeof loc, "/schools/%lld/population?saved=1", (long long)rq->id);
    if (n == SAVE_OK)
        resp_redirect(rs, loc);   /* a page's form only: the API saves with PUT */
    else if (n == SAVE_FORM)
        population_page(rq, rs, 400, &errs);
}

static const struct route routes[] = {
    {"GET", "/settings/costs", h_costs, 0},
    {"POST", "/settings/costs", h_cost_save, 0},
    {"POST", "/settings/disclosure", h_disclosure_save, 0},
    {"GET", "/api/v1/settings/costs", h_costs, 0},
    {"PUT", "/api/v1/settings/costs", h_cost_save, 0},
    {"PUT", "/api/v1/settings/disclosure", h_disclosure_save, 0},
    {"GET", "/schools/:id/population", h_population, 0},
    {"POST", "/schools/:id/population", h_population_form_save, 0},
    {"GET", "/api/v1/schools/:id/population", h_population, 0},
    {"PUT", "/api/v1/schools/:id/population", h_population_save, 0},
};

ROUTE_TABLE(costs_table, routes);
