/* The pooled budget (issue 20): /budget (years and allocations),
 * /budget/years/:id (the pool: partners' contributions, allocations to
 * teams), /budget/allocations/:id (commitments against one team's
 * allocation), /budget/commitments/:id (approval and payments),
 * /budget/approvals (the approver's queue), /budget/limits (limits per
 * role).  HTML and JSON twins under /api/v1/budget.  Data:
 * service/svc_budget.c; rules: core/budget.c; docs/budget.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/budget.h"
#include "lib/count.h"
#include "lib/csv.h"
#include "service/svc_budget.h"
#include "web/budget_export.h"
#include "web/budget_json.h"
#include "web/form.h"
#include "web/router.h"
#include "web/view.h"

static void add_json(void *arg, json_t *o)
{
    json_array_append_new(arg, o);
}

static void add_year(void *arg, const struct budget_year_row *r)
{
    add_json(((json_t **)arg)[0], json_budget_year(r));
}

static void add_alloc_overview(void *arg, const struct budget_allocation_row *r)
{
    add_json(((json_t **)arg)[1], json_budget_allocation(r));
}

static void add_allocation(void *arg, const struct budget_allocation_row *r)
{
    add_json(arg, json_budget_allocation(r));
}

static void add_allocation_change(void *arg, const struct budget_allocation_change_row *r)
{
    add_json(arg, json_budget_allocation_change(r));
}

static void add_contribution(void *arg, const struct budget_contribution_row *r)
{
    add_json(arg, json_budget_contribution(r));
}

static void add_commitment(void *arg, const struct budget_commitment_row *r)
{
    add_json(arg, json_budget_commitment(r));
}

static void add_payment(void *arg, const struct budget_payment_row *r)
{
    add_json(arg, json_budget_payment(r));
}

static void add_approval(void *arg, const struct budget_approval_row *r)
{
    add_json(arg, json_budget_approval(r));
}

/* The end of a budget page: the form's errors, the banner of what was
 * just saved (by the value of ?saved=: texts ends with the one for any
 * other) and the template. */
static void page_end(struct req *rq, struct resp *rs, int status, json_t *ctx, const struct field_errors *e,
                     const char *tmpl, const struct view_note *texts)
{
    view_set_errors(ctx, e);
    view_flash(ctx, view_note(rq, "saved", texts));
    view_render(rq, rs, status, tmpl, ctx);
}

static void add_correction(void *arg, const struct budget_correction_row *r)
{
    add_json(arg, json_budget_correction(r));
}

static json_t *corrections_of(struct svc_ctx *c, enum budget_kind kind, int64_t id)
{
    json_t *l = json_array();
    if (svc_budget_correction_list(c, kind, id, add_correction, l) != SVC_OK)
        json_array_clear(l);
    return l;
}

/* The error of one field shown under another name (two forms on a page). */
static void rename_errors(const struct field_errors *e, const char *from, const char *to, struct field_errors *out)
{
    for (size_t i = 0; e && i < e->count; i++)
        field_errors_add(out, !strcmp(e->items[i].field, from) ? to : e->items[i].field, e->items[i].message);
}

/* The reason of a void: "reason" in the API, "void_reason" on a page
 * (beside the correction form's own reason). */
static const char *void_reason_param(struct req *rq)
{
    return req_param(rq, rq->api ? "reason" : "void_reason");
}

/* The void form of the record href/id (a "what"). */
static void void_form(json_t *ctx, json_t *fields, const char *href, int64_t id, const char *what, const char *reason,
                      const struct field_errors *e)
{
    char action[64];
    snprintf(action, sizeof action, "%s/%lld/void", href, (long long)id);
    json_object_set_new(ctx, "void_action", json_string(action));
    json_object_set_new(ctx, "void_what", json_string(what));
    json_object_set_new(fields, "void_reason",
                        fld_textarea("void_reason", "Why is it voided?", reason ? reason : "", e,
                                     "For example, entered twice, or against the wrong team. It is kept and shown "
                                     "as voided, and left out of every total."));
}

static void split_date(const char *iso, char d[4], char m[4], char y[6])
{
    snprintf(y, 6, "%.4s", iso);
    snprintf(m, 4, "%.2s", iso[0] ? iso + 5 : "");
    snprintf(d, 4, "%.2s", iso[0] ? iso + 8 : "");
}

/* ---- overview ---- */

static void h_overview(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    json_t *lists[2] = {json_array(), json_array()};
    if (view_failed_drop(rq, rs, svc_budget_overview(&c, add_year, add_alloc_overview, lists), lists[0], lists[1]))
        return;
    json_t *ctx = view_answer_page(rq, rs, json_pack("{s:o, s:o}", "years", lists[0], "allocations", lists[1]),
                                   "Pooled budget", "budget", "/", "Home", NULL);
    if (!ctx)
        return;
    int64_t authority = view_authority(rq);
    json_object_set_new(ctx, "authority_id", json_integer(authority));
    json_object_set_new(ctx, "may_edit", json_boolean(svc_budget_may(&c, ACT_EDIT, authority, 0)));
    json_object_set_new(ctx, "may_view_pool", json_boolean(svc_budget_may(&c, ACT_VIEW, authority, 0)));
    struct visibility v;
    policy_visible(c.who, RES_BUDGET, ACT_EDIT, &v);
    json_object_set_new(ctx, "may_approve", json_boolean(!policy_visible_none(&v)));
    page_end(rq, rs, 200, ctx, NULL, "budget/index", (const struct view_note[]){{NULL, "Budget year added"}});
}

/* ---- a new year ---- */

static void year_form(struct req *rq, struct resp *rs, int status, int64_t authority, const char *start,
                      const struct field_errors *e)
{
    json_t *ctx = view_page(rq, "Add a budget year", "budget");
    view_breadcrumbs(ctx, "/", "Home", "/budget", "Pooled budget", NULL);
    json_object_set_new(ctx, "authority_id", json_integer(authority));
    json_object_set_new(ctx, "fields",
                        json_pack("{s:o}", "start_year",
                                  fld_input("start_year", "The year it starts in", start, e,
                                            "A budget year runs from 1 April to 31 March. For 2026-27, enter 2026.")));
    view_set_errors(ctx, e);
    view_render(rq, rs, status, "budget/year_form", ctx);
}

static void h_year_new(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    int64_t authority = view_authority(rq);
    if (view_denied(rq, rs, svc_budget_may(&c, ACT_EDIT, authority, 0)))
        return;
    year_form(rq, rs, 200, authority, "", NULL);
}

static void h_year_create(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    const char *a = req_param(rq, "authority_id");
    int64_t authority = a && *a ? strtoll(a, NULL, 10) : view_authority(rq);
    const char *start = req_param(rq, "start_year");
    struct field_errors e = {0};
    int64_t id = 0;
    enum svc_status st = svc_budget_year_create(&c, authority, start, &e, &id);
    struct budget_year_row y;
    if (st == SVC_OK && svc_budget_year_get(&c, id, &y) != SVC_OK)
        st = SVC_ERROR;
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK)
        view_saved(rq, rs, 201, "year", json_budget_year(&y), "/budget/years/%lld?saved=year", (long long)id);
    else if (n == SAVE_FORM)
        year_form(rq, rs, 400, authority, start, &e);
}

/* ---- a year: the pool and its allocations ---- */

struct year_forms {
    struct contribution_form cf;
    const char *team_id, *amount, *reason;
};

static void add_team_option(void *arg, const struct budget_team *t)
{
    fld_choice_add(arg, t->id, t->name);
}

static void year_page(struct req *rq, struct resp *rs, int status, int64_t id, const struct year_forms *f,
                      const struct field_errors *e)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct budget_year_row y;
    enum svc_status st = svc_budget_year_get(&c, id, &y);
    json_t *contribs = json_array(), *allocs = json_array();
    if (st == SVC_OK)
        st = svc_budget_contribution_list(&c, id, add_contribution, contribs);
    if (st == SVC_OK)
        st = svc_budget_allocation_list(&c, id, add_allocation, allocs);
    if (view_failed_drop(rq, rs, st, contribs, allocs))
        return;
    char title[64];
    snprintf(title, sizeof title, "Pooled budget %s", y.label);
    json_t *ctx = view_answer_page(rq, rs, json_pack("{s:o, s:o, s:o}", "year", json_budget_year(&y), "contributions",
                                                     contribs, "allocations", allocs),
                                   title, "budget", "/", "Home", "/budget", "Pooled budget", NULL);
    if (!ctx)
        return;
    bool may_edit = svc_budget_may(&c, ACT_EDIT, y.authority_id, 0);
    json_object_set_new(ctx, "may_edit", json_boolean(may_edit));
    if (may_edit) {
        const struct contribution_form *cf = f ? &f->cf : NULL;
        json_t *team = fld_select_blank("team_id", "Team", e, NULL, "Select a team", f ? f->team_id : "");
        svc_budget_team_list(&c, y.authority_id, add_team_option,
                             &(struct fld_choice){team, f && f->team_id ? f->team_id : ""});
        json_t *fields = json_pack(
            "{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "partner",
            fld_select_codes("partner", "Partner", cf ? cf->partner : "", e, &codes_budget_partner, "Select a partner"),
            "partner_name",
            fld_input("partner_name", "Name of the body that paid", cf ? cf->partner_name : "", e,
                      "For example, the integrated care board's name. Leave blank to use the partner's."),
            "contribution_amount",
            fld_input("amount", "Amount, in pounds", cf ? cf->amount : "", e, "For example, 25,000.00"),
            "received_on",
            fld_date("received_on", "Date received", cf ? cf->day : "", cf ? cf->month : "", cf ? cf->year : "", e,
                     "For example, 15 4 2026"),
            "team_id", team, "allocation_amount",
            fld_input("allocation", "Allocation, in pounds", f ? f->amount : "", e,
                      "The team's whole allocation for the year: it replaces any set before, which is kept in "
                      "its history."),
            "allocation_reason",
            fld_textarea("reason", "Why it changes", f ? f->reason : "", e,
                         "Required when an allocation is lowered. It cannot be lowered below what is committed and "
                         "paid from it."));
        /* The two forms share the field name "amount" in the service's
         * errors; show each error beside the form that was sent. */
        json_object_set_new(ctx, "fields", fields);
    }
    page_end(rq, rs, status, ctx, e, "budget/year",
             (const struct view_note[]){{"contribution", "Contribution recorded"},
                                         {"allocation", "Allocation saved"},
                                         {NULL, "Budget year added"}});
}

static void h_year(struct req *rq, struct resp *rs)
{
    year_page(rq, rs, 200, rq->id, NULL, NULL);
}

static const struct req_field contribution_fields[] = {
    REQ_FIELD(struct contribution_form, partner),
    REQ_FIELD(struct contribution_form, partner_name),
    REQ_FIELD(struct contribution_form, amount),
};

static void h_contribution_add(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct year_forms f = {0};
    req_fields(rq, contribution_fields, COUNT(contribution_fields), &f.cf);
    req_date_parts(rq, "received_on", "received_on", &f.cf.day, &f.cf.month, &f.cf.year);
    struct field_errors e = {0};
    struct budget_contribution_row r;
    enum svc_status st = svc_budget_contribution_add(&c, rq->id, &f.cf, &e, &r);
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK)
        view_saved(rq, rs, 201, "contribution", json_budget_contribution(&r), "/budget/years/%lld?saved=contribution",
                   (long long)rq->id);
    else if (n == SAVE_FORM)
        year_page(rq, rs, 400, rq->id, &f, &e);
}

static void h_allocation_set(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct year_forms f = {0};
    f.team_id = req_param(rq, "team_id");
    f.amount = req_param(rq, rq->api ? "amount" : "allocation");
    f.reason = req_param(rq, "reason");
    struct field_errors e = {0}, shown = {0};
    int64_t id = 0;
    const char *team = f.team_id;
    enum svc_status st = svc_budget_allocation_set(&c, rq->id, team && *team ? strtoll(team, NULL, 10) : 0, f.amount,
                                                   f.reason, &e, &id);
    struct budget_allocation_row a;
    if (st == SVC_OK && svc_budget_allocation_get(&c, id, &a) != SVC_OK)
        st = SVC_ERROR;
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK) {
        view_saved(rq, rs, 200, "allocation", json_budget_allocation(&a), "/budget/years/%lld?saved=allocation",
                   (long long)rq->id);
    } else if (n == SAVE_FORM) {
        /* The page's allocation box is named "allocation". */
        rename_errors(&e, "amount", "allocation", &shown);
        year_page(rq, rs, 400, rq->id, &f, &shown);
    }
}

/* ---- an allocation: its commitments ---- */

static const struct req_field commitment_fields[] = {
    REQ_FIELD(struct commitment_form, description),
    REQ_FIELD(struct commitment_form, amount),
    REQ_FIELD(struct commitment_form, intervention_id),
    REQ_FIELD(struct commitment_form, units),
};

static void add_intervention_option(void *arg, const struct intervention_row *r)
{
    if (!r->active)
        return;
    char label[480], cost[40], unit[40];
    const char *u = code_label(&codes_budget_unit, r->unit);
    snprintf(unit, sizeof unit, "%s", u ? u : r->unit);
    unit[0] = (char)(unit[0] >= 'A' && unit[0] <= 'Z' ? unit[0] - 'A' + 'a' : unit[0]);
    budget_format_pence(r->unit_cost, cost, sizeof cost);
    snprintf(label, sizeof label, "%s (%s), %s a %s", r->name, r->provider, cost, unit);
    fld_choice_add(arg, r->id, label);
}

static void allocation_page(struct req *rq, struct resp *rs, int status, int64_t id, const struct commitment_form *f,
                            const struct field_errors *e)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct budget_allocation_row a;
    enum svc_status st = svc_budget_allocation_get(&c, id, &a);
    json_t *list = json_array(), *history = json_array();
    if (st == SVC_OK)
        st = svc_budget_commitment_list(&c, id, add_commitment, list);
    if (st == SVC_OK)
        st = svc_budget_allocation_changes(&c, id, add_allocation_change, history);
    if (view_failed_drop(rq, rs, st, list, history))
        return;
    char title[240];
    snprintf(title, sizeof title, "%s: budget %s", a.team_name, a.year_label);
    json_t *ctx = view_answer_page(rq, rs, json_pack("{s:o, s:o, s:o}", "allocation", json_budget_allocation(&a),
                                                     "commitments", list, "history", history),
                                   title, "budget", "/", "Home", "/budget", "Pooled budget", NULL);
    if (!ctx)
        return;
    if (svc_budget_may(&c, ACT_VIEW, a.authority_id, 0))
        view_set_printf(ctx, "year_href", "/budget/years/%lld", (long long)a.year_id);
    bool may_commit = svc_budget_may(&c, ACT_CREATE, a.authority_id, a.team_id);
    json_object_set_new(ctx, "may_commit", json_boolean(may_commit));
    if (may_commit) {
        int64_t holder = 0, approver = 0;
        if (svc_budget_limits(&c, a.authority_id, &holder, &approver) == SVC_OK) {
            char lim[40];
            budget_format_pence(holder, lim, sizeof lim);
            json_object_set_new(ctx, "holder_limit", json_string(lim));
        }
        bool commission = f && f->intervention_id && *f->intervention_id;
        json_t *iv = fld_select_blank("intervention_id", "Intervention", e, NULL, "Select an intervention",
                                      f ? f->intervention_id : "");
        svc_intervention_list(&c, a.authority_id, add_intervention_option,
                              &(struct fld_choice){iv, f && f->intervention_id ? f->intervention_id : ""});
        json_object_set_new(
            ctx, "commission",
            json_pack("{s:o, s:o, s:o}", "intervention_id", iv, "units",
                      fld_input("units", "Number of units", commission ? f->units : "", e, NULL), "committed_on",
                      fld_date("commission_on", "Date of the decision", commission ? f->day : "",
                               commission ? f->month : "", commission ? f->year : "", e, NULL)));
        if (commission)
            f = NULL;   /* the other form starts empty */
        json_object_set_new(
            ctx, "fields",
            json_pack("{s:o, s:o, s:o}", "description",
                      fld_textarea("description", "What the money is for", f ? f->description : "", e,
                                   "For example, the provider and the service bought. Do not name a pupil."),
                      "amount", fld_input("amount", "Amount, in pounds", f ? f->amount : "", e, NULL), "committed_on",
                      fld_date("committed_on", "Date of the commitment", f ? f->day : "", f ? f->month : "",
                               f ? f->year : "", e, NULL)));
    }
    view_set_errors(ctx, e);
    const char *sv = req_query(rq, "saved");
    if (sv)
        json_object_set_new(ctx, "flash",
                            json_pack("{s:b, s:s}", "success", !strcmp(sv, "committed"), "text",
                                      !strcmp(sv, "committed") ? "Spend committed"
                                                               : "The commitment is awaiting approval"));
    view_render(rq, rs, status, "budget/allocation", ctx);
}

static void h_allocation(struct req *rq, struct resp *rs)
{
    allocation_page(rq, rs, 200, rq->id, NULL, NULL);
}

static void h_commit(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct commitment_form f = {0};
    req_fields(rq, commitment_fields, COUNT(commitment_fields), &f);
    if (!rq->api && f.intervention_id && *f.intervention_id)   /* the commissioning form's date */
        req_date_parts(rq, "commission_on", "committed_on", &f.day, &f.month, &f.year);
    else
        req_date_parts(rq, "committed_on", "committed_on", &f.day, &f.month, &f.year);
    struct field_errors e = {0};
    int64_t id = 0;
    int needs = 0;
    enum svc_status st = svc_budget_commit(&c, rq->id, &f, &e, &id, &needs);
    struct budget_commitment_row *cm = req_alloc(rq, sizeof *cm);
    if (st == SVC_OK && (!cm || svc_budget_commitment_get(&c, id, cm) != SVC_OK))
        st = SVC_ERROR;
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK)
        view_saved(rq, rs, 201, "commitment", json_budget_commitment(cm), "/budget/allocations/%lld?saved=%s",
                   (long long)rq->id, needs ? "pending" : "committed");
    else if (n == SAVE_FORM) {
        /* The commissioning form's date box is named commission_on. */
        struct field_errors shown = {0};
        bool commission = f.intervention_id && *f.intervention_id;
        for (size_t i = 0; i < e.count; i++)
            field_errors_add(&shown, commission && !strcmp(e.items[i].field, "committed_on") ? "commission_on"
                                                                                            : e.items[i].field,
                             e.items[i].message);
        allocation_page(rq, rs, 400, rq->id, &f, &shown);
    }
}

/* ---- a commitment: approval and payments ---- */

static const struct code_entry decision_entries[] = {{"approve", "Approve", NULL}, {"refuse", "Refuse", NULL}};
static const struct code_list decisions = {"decision", decision_entries, 2};

static const struct req_field payment_fields[] = {
    REQ_FIELD(struct payment_form, amount),
    REQ_FIELD(struct payment_form, reference),
};

struct commitment_forms {
    const char *decision, *note;
    struct payment_form pay;
    struct placement_form place;
    struct commitment_form fix;   /* a correction */
    const char *reason, *void_reason;
    bool fixing;                  /* the correction form was sent */
};

static void add_action_option(void *arg, const struct budget_action *r)
{
    char label[400];
    snprintf(label, sizeof label, "%s: %s", r->pupil_name, r->description);
    fld_choice_add(arg, r->id, label);
}

static void commitment_page(struct req *rq, struct resp *rs, int status, int64_t id, const struct commitment_forms *f,
                            const struct field_errors *e)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct budget_commitment_row *cm = req_alloc(rq, sizeof *cm);
    enum svc_status st = cm ? svc_budget_commitment_get(&c, id, cm) : SVC_ERROR;
    json_t *approvals = json_array(), *payments = json_array();
    if (st == SVC_OK)
        st = svc_budget_approval_list(&c, id, add_approval, approvals);
    if (st == SVC_OK)
        st = svc_budget_payment_list(&c, id, add_payment, payments);
    if (view_failed_drop(rq, rs, st, approvals, payments))
        return;
    if (rq->api) {
        json_t *o = json_pack("{s:o, s:o, s:o}", "commitment", json_budget_commitment(cm), "approvals", approvals,
                              "payments", payments);
        if (cm->intervention_id) {
            json_t *places = json_array();
            int64_t hidden = 0;
            if (svc_placement_list(&c, id, json_placement_append, places, &hidden) != SVC_OK) {
                json_decref(places);
                json_decref(o);
                view_svc_error(rq, rs, SVC_ERROR);
                return;
            }
            json_object_set_new(o, "placements", places);
            json_object_set_new(o, "placements_hidden", json_integer(hidden));
        }
        json_object_set_new(o, "corrections", corrections_of(&c, BUDGET_KIND_COMMITMENT, id));
        view_json(rs, 200, o);
        return;
    }
    char title[64], back[48];
    snprintf(title, sizeof title, "Commitment %lld", (long long)cm->id);
    snprintf(back, sizeof back, "/budget/allocations/%lld", (long long)cm->allocation_id);
    json_t *ctx = view_page(rq, title, "budget");
    view_breadcrumbs(ctx, "/", "Home", "/budget", "Pooled budget", back, cm->team_name, NULL);
    json_object_set_new(ctx, "commitment", json_budget_commitment(cm));
    json_object_set_new(ctx, "approvals", approvals);
    json_object_set_new(ctx, "payments", payments);
    bool pending = !strcmp(cm->status, "pending"), committed = !strcmp(cm->status, "committed");
    bool may_decide = pending && svc_budget_may(&c, ACT_EDIT, cm->authority_id, cm->team_id);
    bool may_pay = committed && cm->paid < cm->amount && svc_budget_may(&c, ACT_CREATE, cm->authority_id, cm->team_id);
    json_object_set_new(ctx, "may_decide", json_boolean(may_decide));
    json_object_set_new(ctx, "may_pay", json_boolean(may_pay));
    json_t *fields = json_object();
    if (may_decide) {
        json_object_set_new(fields, "decision",
                            fld_radios_codes("decision", "Your decision", f ? f->decision : "", e, &decisions, 1));
        json_object_set_new(fields, "note", fld_textarea("note", "Note (needed to refuse)", f ? f->note : "", e, NULL));
    }
    if (may_pay) {
        const struct payment_form *p = f ? &f->pay : NULL;
        json_object_set_new(fields, "amount", fld_input("amount", "Amount paid, in pounds", p ? p->amount : "", e, NULL));
        json_object_set_new(fields, "paid_on", fld_date("paid_on", "Date paid", p ? p->day : "", p ? p->month : "",
                                                        p ? p->year : "", e, NULL));
        json_object_set_new(fields, "reference", fld_input("reference", "Invoice or payment reference",
                                                           p ? p->reference : "", e, "Optional"));
    }
    if (cm->intervention_id) {
        json_t *places = json_array();
        int64_t hidden = 0;
        if (svc_placement_list(&c, id, json_placement_append, places, &hidden) == SVC_OK) {
            json_object_set_new(ctx, "placements", places);
            json_object_set_new(ctx, "placements_hidden", json_integer(hidden));
        } else {
            json_decref(places);
        }
        bool may_place = committed && svc_budget_may(&c, ACT_CREATE, cm->authority_id, cm->team_id);
        json_object_set_new(ctx, "may_place", json_boolean(may_place));
        if (may_place) {
            const struct placement_form *pf = f ? &f->place : NULL;
            json_t *act = fld_select_blank("action_id", "The TAS action it comes from", e,
                                           "Open actions of this team's open cases that you can see",
                                           "Select an action", pf ? pf->action_id : "");
            svc_placement_actions(&c, cm->team_id, add_action_option,
                                  &(struct fld_choice){act, pf && pf->action_id ? pf->action_id : ""});
            json_object_set_new(fields, "action_id", act);
            json_object_set_new(fields, "starts_on", fld_date("starts_on", "Starts", pf ? pf->sday : "",
                                                              pf ? pf->smonth : "", pf ? pf->syear : "", e, NULL));
            json_object_set_new(fields, "ends_on", fld_date("ends_on", "Ends (optional)", pf ? pf->eday : "",
                                                            pf ? pf->emonth : "", pf ? pf->eyear : "", e,
                                                            "Leave blank while it runs"));
            json_object_set_new(fields, "units_used", fld_input("units_used", "Units used so far",
                                                                pf ? pf->units_used : "0", e, NULL));
        }
    }
    json_object_set_new(ctx, "corrections", corrections_of(&c, BUDGET_KIND_COMMITMENT, id));
    bool may_fix = !cm->voided && (pending || committed) &&
                   svc_budget_may(&c, ACT_CREATE, cm->authority_id, cm->team_id);
    json_object_set_new(ctx, "may_fix", json_boolean(may_fix));
    if (may_fix) {
        const struct commitment_form *x = f && f->fixing ? &f->fix : NULL;
        char amount[32], units[24], d[4], m[4], yy[6];
        budget_plain_pence(cm->amount, amount, sizeof amount);
        snprintf(units, sizeof units, "%lld", (long long)cm->units);
        split_date(cm->committed_on, d, m, yy);
        json_object_set_new(fields, "description",
                            fld_textarea("description", "What the money is for", x ? x->description : cm->description,
                                         e, "Do not name a pupil."));
        if (cm->intervention_id)
            json_object_set_new(fields, "units",
                                fld_input("units", "Number of units", x ? x->units : units, e, NULL));
        else
            json_object_set_new(fields, "correct_amount",
                                fld_input("correct_amount", "Amount, in pounds", x ? x->amount : amount, e,
                                          "More than before, or more than your limit, and it waits for approval again"));
        json_object_set_new(fields, "committed_on", fld_date("committed_on", "Date of the commitment", x ? x->day : d,
                                                             x ? x->month : m, x ? x->year : yy, e, NULL));
        json_object_set_new(fields, "reason", fld_textarea("reason", "Why is it corrected?",
                                                           f && f->reason ? f->reason : "", e, NULL));
        if (cm->paid == 0 && cm->placements == 0) {
            void_form(ctx, fields, "/budget/commitments", cm->id, "commitment", f ? f->void_reason : NULL, e);
        }
    }
    json_object_set_new(ctx, "fields", fields);
    page_end(rq, rs, status, ctx, e, "budget/commitment",
             (const struct view_note[]){{"void", "Commitment voided"},
                                         {"corrected", "Commitment corrected"},
                                         {"corrected_pending", "Commitment corrected: it is awaiting approval"},
                                         {"placed", "Pupil placed"},
                                         {"paid", "Payment recorded"},
                                         {"committed", "Commitment approved"},
                                         {NULL, "Commitment refused"}});
}

static void h_commitment(struct req *rq, struct resp *rs)
{
    commitment_page(rq, rs, 200, rq->id, NULL, NULL);
}

static void h_decide(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct commitment_forms f = {.decision = req_param(rq, "decision"), .note = req_param(rq, "note")};
    struct field_errors e = {0};
    enum svc_status st = svc_budget_decide(&c, rq->id, f.decision, f.note, &e);
    struct budget_commitment_row *cm = req_alloc(rq, sizeof *cm);
    if (st == SVC_OK && (!cm || svc_budget_commitment_get(&c, rq->id, cm) != SVC_OK))
        st = SVC_ERROR;
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK)
        view_saved(rq, rs, 200, "commitment", json_budget_commitment(cm), "/budget/commitments/%lld?saved=%s",
                   (long long)rq->id, cm->status);
    else if (n == SAVE_FORM)
        commitment_page(rq, rs, 400, rq->id, &f, &e);
}

static void h_pay(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct commitment_forms f = {0};
    req_fields(rq, payment_fields, COUNT(payment_fields), &f.pay);
    req_date_parts(rq, "paid_on", "paid_on", &f.pay.day, &f.pay.month, &f.pay.year);
    struct field_errors e = {0};
    int64_t id = 0;
    enum svc_status st = svc_budget_pay(&c, rq->id, &f.pay, &e, &id);
    struct budget_commitment_row *cm = req_alloc(rq, sizeof *cm);
    if (st == SVC_OK && (!cm || svc_budget_commitment_get(&c, rq->id, cm) != SVC_OK))
        st = SVC_ERROR;
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK)
        view_saved(rq, rs, 201, "commitment", json_budget_commitment(cm), "/budget/commitments/%lld?saved=paid",
                   (long long)rq->id);
    else if (n == SAVE_FORM)
        commitment_page(rq, rs, 400, rq->id, &f, &e);
}

static const struct req_field placement_fields[] = {
    REQ_FIELD(struct placement_form, action_id),
    REQ_FIELD(struct placement_form, units_used),
};

static void read_placement_form(struct req *rq, struct placement_form *f)
{
    req_fields(rq, placement_fields, COUNT(placement_fields), f);
    req_date_parts(rq, "starts_on", "starts_on", &f->sday, &f->smonth, &f->syear);
    const char *ends = rq->api ? req_param(rq, "ends_on") : NULL;
    if (!rq->api || (ends && *ends))
        req_date_parts(rq, "ends_on", "ends_on", &f->eday, &f->emonth, &f->eyear);
}

static void h_place(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct commitment_forms f = {0};
    read_placement_form(rq, &f.place);
    struct field_errors e = {0};
    struct placement_row p;
    enum svc_status st = svc_placement_create(&c, rq->id, &f.place, &e, &p);
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK)
        view_saved(rq, rs, 201, "placement", json_placement(&p), "/budget/commitments/%lld?saved=placed",
                   (long long)rq->id);
    else if (n == SAVE_FORM)
        commitment_page(rq, rs, 400, rq->id, &f, &e);
}

static void placement_page(struct req *rq, struct resp *rs, int status, const struct placement_form *f,
                           const struct field_errors *e)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct placement_row p;
    if (view_failed(rq, rs, svc_placement_get(&c, rq->id, &p)))
        return;
    char back[48], units[24];
    snprintf(back, sizeof back, "/budget/commitments/%lld", (long long)p.commitment_id);
    json_t *ctx = view_answer_page(rq, rs, json_pack("{s:o}", "placement", json_placement(&p)), "Placement", "budget",
                                   "/", "Home", "/budget", "Pooled budget", back, p.intervention_name, NULL);
    if (!ctx)
        return;
    bool may_edit = !p.voided && svc_budget_may(&c, ACT_CREATE, p.authority_id, p.team_id);
    json_object_set_new(ctx, "may_edit", json_boolean(may_edit));
    json_object_set_new(ctx, "corrections", corrections_of(&c, BUDGET_KIND_PLACEMENT, p.id));
    if (may_edit) {
        snprintf(units, sizeof units, "%lld", (long long)p.units_used);
        char sd[8], sm[8], sy[8], ed[8] = "", em[8] = "", ey[8] = "";
        snprintf(sy, sizeof sy, "%.4s", p.starts_on);
        snprintf(sm, sizeof sm, "%.2s", p.starts_on + 5);
        snprintf(sd, sizeof sd, "%.2s", p.starts_on + 8);
        if (p.ends_on[0]) {
            snprintf(ey, sizeof ey, "%.4s", p.ends_on);
            snprintf(em, sizeof em, "%.2s", p.ends_on + 5);
            snprintf(ed, sizeof ed, "%.2s", p.ends_on + 8);
        }
        json_object_set_new(
            ctx, "fields",
            json_pack("{s:o, s:o, s:o}", "units_used",
                      fld_input("units_used", "Units used so far", f ? f->units_used : units, e, NULL), "starts_on",
                      fld_date("starts_on", "Starts", f ? f->sday : sd, f ? f->smonth : sm, f ? f->syear : sy, e, NULL),
                      "ends_on",
                      fld_date("ends_on", "Ends (optional)", f ? f->eday : ed, f ? f->emonth : em, f ? f->eyear : ey,
                               e, "Leave blank while it runs")));
        void_form(ctx, json_object_get(ctx, "fields"), "/budget/placements", p.id, "placement",
                  req_param(rq, "void_reason"), e);
    }
    page_end(rq, rs, status, ctx, e, "budget/placement",
             (const struct view_note[]){{"void", "Placement voided"}, {NULL, "Placement saved"}});
}

static void h_placement(struct req *rq, struct resp *rs)
{
    placement_page(rq, rs, 200, NULL, NULL);
}

static void h_placement_update(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct placement_form f = {0};
    read_placement_form(rq, &f);
    struct field_errors e = {0};
    struct placement_row p;
    enum svc_status st = svc_placement_update(&c, rq->id, &f, &e, &p);
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK)
        view_saved(rq, rs, 200, "placement", json_placement(&p), "/budget/placements/%lld?saved=1", (long long)rq->id);
    else if (n == SAVE_FORM)
        placement_page(rq, rs, 400, &f, &e);
}

/* ---- the interventions catalogue ---- */

static void add_intervention(void *arg, const struct intervention_row *r)
{
    add_json(arg, json_intervention(r));
}

static const struct req_field intervention_fields[] = {
    REQ_FIELD(struct intervention_form, name),        REQ_FIELD(struct intervention_form, provider),
    REQ_FIELD(struct intervention_form, unit),        REQ_FIELD(struct intervention_form, unit_cost),
    REQ_FIELD(struct intervention_form, capacity),    REQ_FIELD(struct intervention_form, eligibility),
};

static void interventions_page(struct req *rq, struct resp *rs, int status, const struct intervention_form *f,
                               const struct field_errors *e)
{
    struct svc_ctx c = req_svc_ctx(rq);
    int64_t authority = view_authority(rq);
    json_t *list = json_array();
    if (view_failed_drop(rq, rs, svc_intervention_list(&c, authority, add_intervention, list), list))
        return;
    json_t *ctx = view_answer_page(rq, rs, json_pack("{s:o}", "interventions", list), "Interventions catalogue",
                                   "budget", "/", "Home", "/budget", "Pooled budget", NULL);
    if (!ctx)
        return;
    json_object_set_new(ctx, "authority_id", json_integer(authority));
    bool may_edit = svc_budget_may(&c, ACT_EDIT, authority, 0);
    json_object_set_new(ctx, "may_edit", json_boolean(may_edit));
    if (may_edit) {
        json_t *aims = fld_radios("aims", "The outcomes it aims at", e, 0);
        json_t *items = json_array();
        for (size_t i = 0; i < codes_budget_aim.count; i++) {
            const struct code_entry *aim = &codes_budget_aim.entries[i];
            bool on = false;
            for (size_t k = 0; f && k < f->naims; k++)
                on |= f->aims[k] && !strcmp(f->aims[k], aim->code);
            json_array_append_new(items,
                                  json_pack("{s:s, s:s, s:b}", "value", aim->code, "label", aim->label, "checked", on));
        }
        json_object_set_new(aims, "items", items);
        json_object_set_new(
            ctx, "fields",
            json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "name",
                      fld_input("name", "Name", f ? f->name : "", e, NULL), "provider",
                      fld_input("provider", "Provider", f ? f->provider : "", e, NULL), "unit",
                      fld_select_codes("unit", "Bought by the", f ? f->unit : "", e, &codes_budget_unit, "Select a unit"),
                      "unit_cost", fld_input("unit_cost", "Cost of one unit, in pounds", f ? f->unit_cost : "", e, NULL),
                      "capacity", fld_input("capacity", "Pupils it takes at once", f ? f->capacity : "", e, NULL),
                      "eligibility",
                      fld_textarea("eligibility", "Who is eligible (optional)", f ? f->eligibility : "", e, NULL),
                      "aims", aims));
    }
    page_end(rq, rs, status, ctx, e, "budget/interventions", (const struct view_note[]){{NULL, "Intervention added"}});
}

static void h_interventions(struct req *rq, struct resp *rs)
{
    interventions_page(rq, rs, 200, NULL, NULL);
}

static void h_intervention_create(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    int64_t authority = view_authority(rq);
    struct intervention_form f = {0};
    req_fields(rq, intervention_fields, COUNT(intervention_fields), &f);
    f.naims = req_param_all(rq, "aims", f.aims, BUDGET_AIMS_MAX);
    struct field_errors e = {0};
    struct intervention_row *r = req_alloc(rq, sizeof *r);
    enum svc_status st = r ? svc_intervention_create(&c, authority, &f, &e, r) : SVC_ERROR;
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK)
        view_saved(rq, rs, 201, "intervention", json_intervention(r),
                   "/budget/interventions?authority_id=%lld&saved=1", (long long)authority);
    else if (n == SAVE_FORM)
        interventions_page(rq, rs, 400, &f, &e);
}

/* ---- the board's report: what was bought, for whom, what it achieved ---- */

static const char *const report_measures[BR__ROWS] = {"placed", "attendance_rose", "suspensions_fell",
                                                      "stayed_mainstream", "improved", "committed"};

/* A cost per something, withheld ("c") when the count is suppressed, "z"
 * when there is none. */
static void cost_per_text(const struct stat_cell *n, int64_t spend, char *out, size_t outsz)
{
    int64_t v = 0;
    if (n->suppressed)
        snprintf(out, outsz, "c");
    else if (budget_cost_per(spend, n->n, &v) != 0)
        snprintf(out, outsz, "z");
    else
        budget_format_pence(v, out, outsz);
}

static json_t *report_json(const struct budget_report *r)
{
    json_t *items = json_array();
    for (size_t i = 0; i < r->n; i++) {
        const struct budget_report_item *it = &r->items[i];
        const struct stat_table *t = &r->tables[i];
        json_t *o = json_intervention(&it->iv);
        bj_money(o, "committed", it->committed);
        bj_money(o, "paid", it->paid);
        json_t *rows = json_array();
        for (int k = 0; k < BR_SPEND; k++) {
            const struct stat_row *row = &t->rows[k];
            json_t *cells = json_object();
            for (int col = 0; col < STAT_NCOLS; col++) {
                char text[48], pct[16];
                stat_cell_text(row, (enum stat_col)col, text, sizeof text, pct, sizeof pct);
                json_object_set_new(cells, col == COL_PRIMARY ? "primary" : col == COL_SECONDARY ? "secondary"
                                           : col == COL_OTHER ? "other" : "total",
                                    json_pack("{s:s, s:s}", "text", text, "pct", pct));
            }
            json_array_append_new(rows, json_pack("{s:s, s:s, s:o}", "measure", report_measures[k], "label",
                                                  row->label, "cells", cells));
        }
        json_object_set_new(o, "rows", rows);
        char per_pupil[40], per_improved[40];
        cost_per_text(&t->rows[BR_PLACED].cells[COL_TOTAL], it->committed, per_pupil, sizeof per_pupil);
        cost_per_text(&t->rows[BR_IMPROVED].cells[COL_TOTAL], it->committed, per_improved, sizeof per_improved);
        json_object_set_new(o, "cost_per_pupil", json_string(per_pupil));
        json_object_set_new(o, "cost_per_improvement", json_string(per_improved));
        json_array_append_new(items, o);
    }
    json_t *costs = json_array();
    for (int i = 0; i < BUDGET_COST__COUNT; i++) {
        const struct budget_cost_default *d = &budget_cost_defaults[i];
        int64_t v = r->costs.pence[i];
        json_t *o = json_pack("{s:s, s:s, s:b, s:s, s:s, s:b}", "key", d->key, "label", d->label, "own",
                              r->costs.own[i], "source", d->source, "url", d->url, "set", v > 0);
        bj_money(o, "cost", v);
        /* Break-even: how many of these the year's commissioning equals. */
        char be[32] = "";
        if (v > 0)
            snprintf(be, sizeof be, "%.1f", (double)r->spend / (double)v);
        json_object_set_new(o, "break_even", json_string(be));
        json_array_append_new(costs, o);
    }
    json_t *o = json_pack("{s:o, s:i, s:o, s:o, s:b}", "year", json_budget_year(&r->year), "threshold", r->threshold,
                          "interventions", items, "unit_costs", costs, "truncated", r->truncated);
    bj_money(o, "spend", r->spend);
    return o;
}

static struct budget_report *report_for(struct req *rq, struct resp *rs, enum action a)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct budget_report *r = req_alloc(rq, sizeof *r);
    enum svc_status st = r ? svc_budget_report(&c, rq->id, a, r) : SVC_ERROR;
    return view_failed(rq, rs, st) ? NULL : r;
}

static void h_report(struct req *rq, struct resp *rs)
{
    struct budget_report *r = report_for(rq, rs, ACT_VIEW);
    if (!r)
        return;
    json_t *data = report_json(r);
    if (rq->api) {
        view_json(rs, 200, data);
        return;
    }
    char title[80], back[48];
    snprintf(title, sizeof title, "Pooled budget %s: report to the safeguarding partnership", r->year.label);
    snprintf(back, sizeof back, "/budget/years/%lld", (long long)r->year.id);
    json_t *ctx = view_page(rq, title, "budget");
    view_breadcrumbs(ctx, "/", "Home", "/budget", "Pooled budget", back, r->year.label, NULL);
    json_object_update(ctx, data);
    json_decref(data);
    struct svc_ctx c = req_svc_ctx(rq);
    json_object_set_new(ctx, "may_export", json_boolean(svc_budget_may(&c, ACT_EXPORT, r->year.authority_id, 0)));
    view_render(rq, rs, 200, "budget/report", ctx);
}

/* The report as CSV (lib/csv.c: formula-safe), the page's cells as shown:
 * suppressed counts "c", amounts in plain pounds. */
static void h_report_csv(struct req *rq, struct resp *rs)
{
    struct budget_report *r = report_for(rq, rs, ACT_EXPORT);
    if (!r)
        return;
    buf_reset(&rs->body);
    struct csv w = CSV_INIT(&rs->body);
    static const char *const head[] = {"Year", "Intervention", "Provider", "Measure", "Primary", "Secondary",
                                       "Other phases", "Total"};
    for (size_t i = 0; i < COUNT(head); i++)
        csv_text(&w, head[i]);
    csv_end_row(&w);
    for (size_t i = 0; i < r->n; i++) {
        const struct stat_table *t = &r->tables[i];
        const struct budget_report_item *it = &r->items[i];
        for (int k = 0; k < BR__ROWS + 2; k++) {
            csv_text(&w, r->year.label);
            csv_text(&w, it->iv.name);
            csv_text(&w, it->iv.provider);
            char text[48], pct[16];
            if (k < BR_SPEND) {
                const struct stat_row *row = &t->rows[k];
                csv_text(&w, row->label);
                for (int col = 0; col < STAT_NCOLS; col++) {
                    if (row->cells[col].suppressed) {
                        csv_text(&w, "c");
                    } else {
                        stat_cell_text(row, (enum stat_col)col, text, sizeof text, pct, sizeof pct);
                        csv_int(&w, row->cells[col].n);
                    }
                }
            } else {
                const char *label = k == BR_SPEND ? "Committed spend"
                                    : k == BR__ROWS ? "Cost per pupil placed" : "Cost per improvement";
                csv_text(&w, label);
                for (int col = 0; col < COL_TOTAL; col++)
                    csv_text(&w, "");
                if (k == BR_SPEND) {
                    budget_plain_pence(it->committed, text, sizeof text);
                } else {
                    const struct stat_cell *n = &t->rows[k == BR__ROWS ? BR_PLACED : BR_IMPROVED].cells[COL_TOTAL];
                    int64_t v = 0;
                    if (n->suppressed)
                        snprintf(text, sizeof text, "c");
                    else if (budget_cost_per(it->committed, n->n, &v) != 0)
                        snprintf(text, sizeof text, "z");
                    else
                        budget_plain_pence(v, text, sizeof text);
                }
                csv_number(&w, text);
            }
            csv_end_row(&w);
        }
    }
    rs->status = 200;
    rs->content_type = "text/csv; charset=utf-8";
    snprintf(rs->disposition, sizeof rs->disposition, "attachment; filename=\"tas-budget-%s.csv\"", r->year.label);
}

static void h_report_xlsx(struct req *rq, struct resp *rs)
{
    struct budget_report *r = report_for(rq, rs, ACT_EXPORT);
    if (!r)
        return;
    buf_reset(&rs->body);
    if (budget_xlsx(r, &rs->body) != 0) {
        rq->api = true;
        view_svc_error(rq, rs, SVC_ERROR);
        return;
    }
    rs->status = 200;
    rs->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    snprintf(rs->disposition, sizeof rs->disposition, "attachment; filename=\"tas-budget-%s.xlsx\"", r->year.label);
}

/* ---- unit costs for the cost-benefit view ---- */

static void unit_costs_page(struct req *rq, struct resp *rs, int status, const char *key, const char *amount,
                            const struct field_errors *e)
{
    struct svc_ctx c = req_svc_ctx(rq);
    int64_t authority = view_authority(rq);
    struct budget_unit_costs uc;
    if (view_failed(rq, rs, svc_budget_unit_costs(&c, authority, &uc)))
        return;
    json_t *list = json_array();
    for (int i = 0; i < BUDGET_COST__COUNT; i++) {
        const struct budget_cost_default *d = &budget_cost_defaults[i];
        json_t *o = json_pack("{s:s, s:s, s:b, s:s, s:s, s:b}", "key", d->key, "label", d->label, "own", uc.own[i],
                              "source", d->source, "url", d->url, "set", uc.pence[i] > 0);
        bj_money(o, "cost", uc.pence[i]);
        bj_money(o, "published", d->pence);
        json_array_append_new(list, o);
    }
    if (rq->api) {
        view_json(rs, 200, json_pack("{s:I, s:o}", "authority_id", (json_int_t)authority, "unit_costs", list));
        return;
    }
    json_t *ctx = view_page(rq, "Unit costs for the cost-benefit view", "budget");
    view_breadcrumbs(ctx, "/", "Home", "/budget", "Pooled budget", NULL);
    json_object_set_new(ctx, "unit_costs", list);
    json_object_set_new(ctx, "authority_id", json_integer(authority));
    bool may_edit = svc_budget_may(&c, ACT_EDIT, authority, 0);
    json_object_set_new(ctx, "may_edit", json_boolean(may_edit));
    if (may_edit) {
        json_t *sel = fld_select_blank("key", "Unit cost", e, NULL, "Select a unit cost", key);
        for (int i = 0; i < BUDGET_COST__COUNT; i++)
            fld_add_option(sel, budget_cost_defaults[i].key, budget_cost_defaults[i].label, key);
        json_object_set_new(ctx, "fields",
                            json_pack("{s:o, s:o}", "key", sel, "amount",
                                      fld_input("amount", "Cost, in pounds", amount, e, "For example, 18,000.00")));
    }
    page_end(rq, rs, status, ctx, e, "budget/costs", (const struct view_note[]){{NULL, "Unit cost saved"}});
}

static void h_unit_costs(struct req *rq, struct resp *rs)
{
    unit_costs_page(rq, rs, 200, "", "", NULL);
}

/* An authority's setting of two fields (unit costs, limits): saved, the
 * API answers with the page's JSON, a person is sent back to the page. */
struct setting {
    const char *field1, *field2, *kind, *href;
    enum svc_status (*set)(struct svc_ctx *c, int64_t authority, const char *v1, const char *v2,
                           struct field_errors *e);
    void (*page)(struct req *rq, struct resp *rs, int status, const char *v1, const char *v2,
                 const struct field_errors *e);
    const char *empty;  /* what the page shows in both fields after a save */
};

static void setting_save(struct req *rq, struct resp *rs, const struct setting *k)
{
    struct svc_ctx c = req_svc_ctx(rq);
    int64_t authority = view_authority(rq);
    const char *v1 = req_param(rq, k->field1), *v2 = req_param(rq, k->field2);
    struct field_errors e = {0};
    enum svc_status st = k->set(&c, authority, v1, v2, &e);
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK) {
        if (rq->api)
            k->page(rq, rs, 200, k->empty, k->empty, NULL);
        else
            view_saved(rq, rs, 200, k->kind, NULL, "%s?authority_id=%lld&saved=1", k->href, (long long)authority);
    } else if (n == SAVE_FORM) {
        k->page(rq, rs, 400, v1, v2, &e);
    }
}

static void h_unit_cost_save(struct req *rq, struct resp *rs)
{
    static const struct setting unit_cost = {"key", "amount", "unit_cost", "/budget/costs", svc_budget_unit_cost_set,
                                             unit_costs_page, ""};
    setting_save(rq, rs, &unit_cost);
}

/* ---- the approvals queue ---- */

static void h_approvals(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    json_t *list = json_array();
    if (view_failed_drop(rq, rs, svc_budget_approval_queue(&c, add_commitment, list), list))
        return;
    json_t *ctx = view_answer_page(rq, rs, json_pack("{s:o}", "commitments", list), "Commitments to approve",
                                   "budget", "/", "Home", "/budget", "Pooled budget", NULL);
    if (ctx)
        view_render(rq, rs, 200, "budget/approvals", ctx);
}

/* ---- limits per role ---- */

static void limits_page(struct req *rq, struct resp *rs, int status, const char *holder_in, const char *approver_in,
                        const struct field_errors *e)
{
    struct svc_ctx c = req_svc_ctx(rq);
    int64_t authority = view_authority(rq), holder = 0, approver = 0;
    if (view_failed(rq, rs, svc_budget_limits(&c, authority, &holder, &approver)))
        return;
    if (rq->api) {
        json_t *o = json_pack("{s:I}", "authority_id", (json_int_t)authority);
        bj_money(o, "holder_limit", holder);
        bj_money(o, "approver_limit", approver);
        view_json(rs, 200, o);
        return;
    }
    json_t *ctx = view_page(rq, "Limits per role", "budget");
    view_breadcrumbs(ctx, "/", "Home", "/budget", "Pooled budget", NULL);
    json_t *lim = json_object();
    bj_money(lim, "holder", holder);
    bj_money(lim, "approver", approver);
    json_object_set_new(ctx, "limits", lim);
    json_object_set_new(ctx, "authority_id", json_integer(authority));
    bool may_edit = svc_budget_may(&c, ACT_EDIT, authority, 0);
    json_object_set_new(ctx, "may_edit", json_boolean(may_edit));
    if (may_edit) {
        char h[40], a[40];
        budget_plain_pence(holder, h, sizeof h);
        budget_plain_pence(approver, a, sizeof a);
        json_object_set_new(
            ctx, "fields",
            json_pack("{s:o, s:o}", "holder_limit",
                      fld_input("holder_limit", "A budget holder commits without approval up to, in pounds",
                                holder_in ? holder_in : h, e, NULL),
                      "approver_limit",
                      fld_input("approver_limit", "A budget approver approves up to, in pounds",
                                approver_in ? approver_in : a, e, NULL)));
    }
    page_end(rq, rs, status, ctx, e, "budget/limits", (const struct view_note[]){{NULL, "Limits saved"}});
}

static void h_limits(struct req *rq, struct resp *rs)
{
    limits_page(rq, rs, 200, NULL, NULL, NULL);
}

static void h_limits_save(struct req *rq, struct resp *rs)
{
    static const struct setting limits = {"holder_limit", "approver_limit", "limits", "/budget/limits",
                                          svc_budget_limits_set, limits_page, NULL};
    setting_save(rq, rs, &limits);
}

/* ---- putting mistakes right: corrections and voids (migration 0025) ---- */

/* -- a contribution -- */

struct fix_forms {
    struct contribution_form cf;
    struct intervention_form iv;
    const char *reason, *void_reason;
};

/* A record that is corrected or voided, never deleted: its kind, its JSON
 * member, where it lives and, for those whose page is made by
 * fixable_open/fixable_close, its template and the banners after a
 * change (NULL for the rest).  Its void (struct voidable) names it too. */
struct fixable {
    enum budget_kind kind;
    const char *key, *href, *tmpl;
    const struct view_note *notes;
};

/* The first half of such a page: the API gets the record (rec, taken)
 * and its corrections, and NULL comes back; a page gets its context with
 * both, under the breadcrumb back (labelled back_label). */
static json_t *fixable_open(struct req *rq, struct resp *rs, struct svc_ctx *c, const struct fixable *k, int64_t id,
                            json_t *rec, const char *title, const char *back, const char *back_label)
{
    json_t *fixes = corrections_of(c, k->kind, id);
    if (rq->api) {
        view_json(rs, 200, json_pack("{s:o, s:o}", k->key, rec, "corrections", fixes));
        return NULL;
    }
    json_t *ctx = view_page(rq, title, "budget");
    view_breadcrumbs(ctx, "/", "Home", "/budget", "Pooled budget", back, back_label, NULL);
    json_object_set_new(ctx, k->key, rec);
    json_object_set_new(ctx, "corrections", fixes);
    return ctx;
}

/* The second half: whether the user may put it right and, when they may,
 * the correction's fields (NULL: there is nothing to correct, only the
 * void) with the void form when it may be voided; then the page. */
static void fixable_close(struct req *rq, struct resp *rs, int status, const struct fixable *k, json_t *ctx,
                          int64_t id, bool may_fix, json_t *fields, bool voidable, const char *void_reason,
                          const struct field_errors *e)
{
    json_object_set_new(ctx, "may_fix", json_boolean(may_fix));
    if (may_fix) {
        fields = fields ? fields : json_object();
        if (voidable)
            void_form(ctx, fields, k->href, id, k->key, void_reason, e);
        json_object_set_new(ctx, "fields", fields);
    }
    page_end(rq, rs, status, ctx, e, k->tmpl, k->notes);
}

static const struct fixable fix_contribution = {
    BUDGET_KIND_CONTRIBUTION, "contribution", "/budget/contributions", "budget/contribution",
    (const struct view_note[]){{"void", "Contribution voided"}, {NULL, "Contribution corrected"}}};

static json_t *contribution_fix_fields(const struct budget_contribution_row *r, const struct fix_forms *f,
                                       const struct field_errors *e)
{
    const struct contribution_form *cf = f ? &f->cf : NULL;
    char amount[32], d[4], m[4], yy[6];
    budget_plain_pence(r->amount, amount, sizeof amount);
    split_date(r->received_on, d, m, yy);
    return json_pack(
        "{s:o, s:o, s:o, s:o, s:o}", "partner",
        fld_select_codes("partner", "Partner", cf ? cf->partner : r->partner, e, &codes_budget_partner,
                         "Select a partner"),
        "partner_name",
        fld_input("partner_name", "Name of the body that paid", cf ? cf->partner_name : r->partner_name, e, NULL),
        "amount", fld_input("amount", "Amount, in pounds", cf ? cf->amount : amount, e, NULL), "received_on",
        fld_date("received_on", "Date received", cf ? cf->day : d, cf ? cf->month : m, cf ? cf->year : yy, e, NULL),
        "reason", fld_textarea("reason", "Why is it corrected?", f && f->reason ? f->reason : "", e, NULL));
}

static void contribution_page(struct req *rq, struct resp *rs, int status, const struct fix_forms *f,
                              const struct field_errors *e)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct budget_contribution_row r;
    struct budget_year_row y;
    enum svc_status st = svc_budget_contribution_get(&c, rq->id, &r);
    if (st == SVC_OK && svc_budget_year_get(&c, r.year_id, &y) != SVC_OK)
        st = SVC_ERROR;
    if (view_failed(rq, rs, st))
        return;
    char back[48], title[64];
    snprintf(back, sizeof back, "/budget/years/%lld", (long long)y.id);
    snprintf(title, sizeof title, "Contribution %lld", (long long)r.id);
    json_t *ctx = fixable_open(rq, rs, &c, &fix_contribution, r.id, json_budget_contribution(&r), title, back, y.label);
    if (!ctx)
        return;
    json_object_set_new(ctx, "year_href", json_string(back));
    bool may_fix = !r.voided && svc_budget_may(&c, ACT_EDIT, y.authority_id, 0);
    fixable_close(rq, rs, status, &fix_contribution, ctx, r.id, may_fix,
                  may_fix ? contribution_fix_fields(&r, f, e) : NULL, true, f ? f->void_reason : NULL, e);
}

static void h_contribution(struct req *rq, struct resp *rs)
{
    contribution_page(rq, rs, 200, NULL, NULL);
}

static void h_contribution_correct(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct fix_forms f = {0};
    req_fields(rq, contribution_fields, COUNT(contribution_fields), &f.cf);
    req_date_parts(rq, "received_on", "received_on", &f.cf.day, &f.cf.month, &f.cf.year);
    f.reason = req_param(rq, "reason");
    struct field_errors e = {0};
    struct budget_contribution_row r;
    enum svc_status st = svc_budget_contribution_correct(&c, rq->id, &f.cf, f.reason, &e, NULL);
    if (st == SVC_OK && svc_budget_contribution_get(&c, rq->id, &r) != SVC_OK)
        st = SVC_ERROR;
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK)
        view_saved(rq, rs, 200, "contribution", json_budget_contribution(&r), "/budget/contributions/%lld?saved=1",
                   (long long)rq->id);
    else if (n == SAVE_FORM)
        contribution_page(rq, rs, 400, &f, &e);
}

/* -- an intervention -- */

static const struct fixable fix_intervention = {
    BUDGET_KIND_INTERVENTION, "intervention", "/budget/interventions", "budget/intervention",
    (const struct view_note[]){{"void", "Intervention voided"}, {NULL, "Intervention corrected"}}};

static json_t *intervention_fix_fields(const struct intervention_row *r, const struct fix_forms *f,
                                       const struct field_errors *e)
{
    const struct intervention_form *iv = f ? &f->iv : NULL;
    char cost[32], cap[24];
    budget_plain_pence(r->unit_cost, cost, sizeof cost);
    snprintf(cap, sizeof cap, "%lld", (long long)r->capacity);
    return json_pack(
        "{s:o, s:o, s:o, s:o, s:o, s:o}", "name", fld_input("name", "Name", iv ? iv->name : r->name, e, NULL),
        "provider", fld_input("provider", "Provider", iv ? iv->provider : r->provider, e, NULL), "unit_cost",
        fld_input("unit_cost", "Cost of one unit, in pounds", iv ? iv->unit_cost : cost, e,
                  "For decisions made from now: a decision keeps the cost it was bought at"),
        "capacity", fld_input("capacity", "Pupils it takes at once", iv ? iv->capacity : cap, e, NULL),
        "eligibility",
        fld_textarea("eligibility", "Who is eligible (optional)", iv ? iv->eligibility : r->eligibility, e, NULL),
        "reason", fld_textarea("reason", "Why is it corrected?", f && f->reason ? f->reason : "", e, NULL));
}

static void intervention_page(struct req *rq, struct resp *rs, int status, const struct fix_forms *f,
                              const struct field_errors *e)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct intervention_row *r = req_alloc(rq, sizeof *r);
    if (view_failed(rq, rs, r ? svc_intervention_get(&c, rq->id, r) : SVC_ERROR))
        return;
    char back[64];
    snprintf(back, sizeof back, "/budget/interventions?authority_id=%lld", (long long)r->authority_id);
    json_t *ctx = fixable_open(rq, rs, &c, &fix_intervention, r->id, json_intervention(r), r->name, back,
                               "Interventions catalogue");
    if (!ctx)
        return;
    bool may_fix = !r->voided && svc_budget_may(&c, ACT_EDIT, r->authority_id, 0);
    fixable_close(rq, rs, status, &fix_intervention, ctx, r->id, may_fix,
                  may_fix ? intervention_fix_fields(r, f, e) : NULL, !r->decisions, f ? f->void_reason : NULL, e);
}

static void h_intervention(struct req *rq, struct resp *rs)
{
    intervention_page(rq, rs, 200, NULL, NULL);
}

static void h_intervention_correct(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct fix_forms f = {0};
    req_fields(rq, intervention_fields, COUNT(intervention_fields), &f.iv);
    f.reason = req_param(rq, "reason");
    struct field_errors e = {0};
    struct intervention_row *r = req_alloc(rq, sizeof *r);
    enum svc_status st = r ? svc_intervention_update(&c, rq->id, &f.iv, f.reason, &e, r) : SVC_ERROR;
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK)
        view_saved(rq, rs, 200, "intervention", json_intervention(r), "/budget/interventions/%lld?saved=1",
                   (long long)rq->id);
    else if (n == SAVE_FORM)
        intervention_page(rq, rs, 400, &f, &e);
}

/* -- a commitment (its page is commitment_page) -- */

static void h_commitment_correct(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct commitment_forms f = {0};
    f.fix.description = req_param(rq, "description");
    f.fix.amount = req_param(rq, rq->api ? "amount" : "correct_amount");
    f.fix.units = req_param(rq, "units");
    req_date_parts(rq, "committed_on", "committed_on", &f.fix.day, &f.fix.month, &f.fix.year);
    f.reason = req_param(rq, "reason");
    f.fixing = true;
    struct field_errors e = {0}, shown = {0};
    int needs = 0;
    enum svc_status st = svc_budget_commitment_correct(&c, rq->id, &f.fix, f.reason, &e, &needs);
    struct budget_commitment_row *cm = req_alloc(rq, sizeof *cm);
    if (st == SVC_OK && (!cm || svc_budget_commitment_get(&c, rq->id, cm) != SVC_OK))
        st = SVC_ERROR;
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK)
        view_saved(rq, rs, 200, "commitment", json_budget_commitment(cm), "/budget/commitments/%lld?saved=%s",
                   (long long)rq->id, needs ? "corrected_pending" : "corrected");
    else if (n == SAVE_FORM) {
        rename_errors(&e, "amount", "correct_amount", &shown);
        commitment_page(rq, rs, 400, rq->id, &f, &shown);
    }
}

/* -- a placement -- */

/* -- a payment: its page and its void (step 5: paid by mistake, put right) -- */

static const struct fixable fix_payment = {BUDGET_KIND_PAYMENT, "payment", "/budget/payments", "budget/payment",
                                           (const struct view_note[]){{NULL, "Payment voided"}}};

static void payment_page(struct req *rq, struct resp *rs, int status, const char *void_reason,
                         const struct field_errors *e)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct budget_payment_row p;
    struct budget_commitment_row *cm = req_alloc(rq, sizeof *cm);
    if (view_failed(rq, rs, cm ? svc_budget_payment_get(&c, rq->id, &p, cm) : SVC_ERROR))
        return;
    char back[48], title[64];
    snprintf(back, sizeof back, "/budget/commitments/%lld", (long long)cm->id);
    snprintf(title, sizeof title, "Payment %lld", (long long)p.id);
    json_t *ctx = fixable_open(rq, rs, &c, &fix_payment, p.id, json_budget_payment(&p), title, back, cm->description);
    if (!ctx)
        return;
    json_object_set_new(ctx, "commitment_href", json_string(back));
    json_object_set_new(ctx, "commitment_label", json_string(cm->description));
    bool may_fix = !p.voided && svc_budget_may(&c, ACT_CREATE, cm->authority_id, cm->team_id);
    fixable_close(rq, rs, status, &fix_payment, ctx, p.id, may_fix, NULL, true, void_reason, e);
}

static void h_payment(struct req *rq, struct resp *rs)
{
    payment_page(rq, rs, 200, NULL, NULL);
}

/* -- voiding a record: one handler for the five kinds -- */

static json_t *contribution_saved(struct svc_ctx *c, int64_t id)
{
    struct budget_contribution_row r;
    return svc_budget_contribution_get(c, id, &r) == SVC_OK ? json_budget_contribution(&r) : NULL;
}

static json_t *intervention_saved(struct svc_ctx *c, int64_t id)
{
    struct intervention_row *r = calloc(1, sizeof *r);
    json_t *j = r && svc_intervention_get(c, id, r) == SVC_OK ? json_intervention(r) : NULL;
    free(r);
    return j;
}

static json_t *commitment_saved(struct svc_ctx *c, int64_t id)
{
    struct budget_commitment_row *r = calloc(1, sizeof *r);
    json_t *j = r && svc_budget_commitment_get(c, id, r) == SVC_OK ? json_budget_commitment(r) : NULL;
    free(r);
    return j;
}

static json_t *placement_saved(struct svc_ctx *c, int64_t id)
{
    struct placement_row r;
    return svc_placement_get(c, id, &r) == SVC_OK ? json_placement(&r) : NULL;
}

static void contribution_again(struct req *rq, struct resp *rs, const char *reason, const struct field_errors *e)
{
    struct fix_forms f = {.void_reason = reason};
    contribution_page(rq, rs, 400, &f, e);
}

static void intervention_again(struct req *rq, struct resp *rs, const char *reason, const struct field_errors *e)
{
    struct fix_forms f = {.void_reason = reason};
    intervention_page(rq, rs, 400, &f, e);
}

static void commitment_again(struct req *rq, struct resp *rs, const char *reason, const struct field_errors *e)
{
    struct commitment_forms f = {.void_reason = reason};
    commitment_page(rq, rs, 400, rq->id, &f, e);
}

static json_t *payment_saved(struct svc_ctx *c, int64_t id)
{
    struct budget_payment_row r;
    return svc_budget_payment_get(c, id, &r, NULL) == SVC_OK ? json_budget_payment(&r) : NULL;
}

static void payment_again(struct req *rq, struct resp *rs, const char *reason, const struct field_errors *e)
{
    payment_page(rq, rs, 400, reason, e);
}

static void placement_again(struct req *rq, struct resp *rs, const char *reason, const struct field_errors *e)
{
    (void)reason;
    placement_page(rq, rs, 400, NULL, e);
}

/* What differs between kinds: the service's void, the record read back
 * for the answer, where a page goes next and the form shown again. */
struct voidable {
    const struct fixable *rec;
    enum svc_status (*void_it)(struct svc_ctx *c, int64_t id, const char *reason, struct field_errors *errs);
    json_t *(*saved)(struct svc_ctx *c, int64_t id);
    void (*again)(struct req *rq, struct resp *rs, const char *reason, const struct field_errors *e);
};

static const struct fixable fix_commitment = {BUDGET_KIND_COMMITMENT, "commitment", "/budget/commitments", NULL,
                                              NULL};
static const struct fixable fix_placement = {BUDGET_KIND_PLACEMENT, "placement", "/budget/placements", NULL, NULL};

static const struct voidable void_contribution = {&fix_contribution, svc_budget_contribution_void,
                                                  contribution_saved, contribution_again};
static const struct voidable void_intervention = {&fix_intervention, svc_intervention_void, intervention_saved,
                                                  intervention_again};
static const struct voidable void_commitment = {&fix_commitment, svc_budget_commitment_void, commitment_saved,
                                                commitment_again};
static const struct voidable void_placement = {&fix_placement, svc_placement_void, placement_saved,
                                               placement_again};
static const struct voidable void_payment = {&fix_payment, svc_budget_payment_void, payment_saved, payment_again};

static void void_record(struct req *rq, struct resp *rs, const struct voidable *k)
{
    struct svc_ctx c = req_svc_ctx(rq);
    const char *reason = void_reason_param(rq);
    struct field_errors e = {0}, shown = {0};
    enum svc_status st = k->void_it(&c, rq->id, reason, &e);
    json_t *saved = st == SVC_OK ? k->saved(&c, rq->id) : NULL;
    if (st == SVC_OK && !saved)
        st = SVC_ERROR;
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK) {
        view_saved(rq, rs, 200, k->rec->key, saved, "%s/%lld?saved=void", k->rec->href, (long long)rq->id);
        return;
    }
    json_decref(saved);
    if (n == SAVE_FORM) {
        rename_errors(&e, "reason", "void_reason", &shown);
        k->again(rq, rs, reason, &shown);
    }
}

static void h_contribution_void(struct req *rq, struct resp *rs) { void_record(rq, rs, &void_contribution); }
static void h_intervention_void(struct req *rq, struct resp *rs) { void_record(rq, rs, &void_intervention); }
static void h_commitment_void(struct req *rq, struct resp *rs) { void_record(rq, rs, &void_commitment); }
static void h_placement_void(struct req *rq, struct resp *rs) { void_record(rq, rs, &void_placement); }
static void h_payment_void(struct req *rq, struct resp *rs) { void_record(rq, rs, &void_payment); }

static const struct route routes[] = {
    {"GET", "/budget", h_overview, 0},
    {"GET", "/budget/approvals", h_approvals, 0},
    {"GET", "/budget/limits", h_limits, 0},
    {"POST", "/budget/limits", h_limits_save, 0},
    {"GET", "/budget/years/new", h_year_new, 0},
    {"POST", "/budget/years", h_year_create, 0},
    {"GET", "/budget/years/:id", h_year, 0},
    {"POST", "/budget/years/:id/contributions", h_contribution_add, 0},
    {"POST", "/budget/years/:id/allocations", h_allocation_set, 0},
    {"GET", "/budget/allocations/:id", h_allocation, 0},
    {"POST", "/budget/allocations/:id/commitments", h_commit, 0},
    {"GET", "/budget/commitments/:id", h_commitment, 0},
    {"POST", "/budget/commitments/:id/decision", h_decide, 0},
    {"POST", "/budget/commitments/:id/payments", h_pay, 0},

    {"GET", "/budget/interventions", h_interventions, 0},
    {"POST", "/budget/interventions", h_intervention_create, 0},
    {"POST", "/budget/commitments/:id/placements", h_place, 0},
    {"GET", "/budget/placements/:id", h_placement, 0},
    {"POST", "/budget/placements/:id", h_placement_update, 0},
    {"POST", "/budget/placements/:id/void", h_placement_void, 0},
    {"GET", "/budget/contributions/:id", h_contribution, 0},
    {"POST", "/budget/contributions/:id", h_contribution_correct, 0},
    {"POST", "/budget/contributions/:id/void", h_contribution_void, 0},
    {"GET", "/budget/interventions/:id", h_intervention, 0},
    {"POST", "/budget/interventions/:id", h_intervention_correct, 0},
    {"POST", "/budget/interventions/:id/void", h_intervention_void, 0},
    {"POST", "/budget/commitments/:id", h_commitment_correct, 0},
    {"POST", "/budget/commitments/:id/void", h_commitment_void, 0},
    {"GET", "/budget/payments/:id", h_payment, 0},
    {"POST", "/budget/payments/:id/void", h_payment_void, 0},

    {"GET", "/budget/years/:id/report", h_report, 0},
    {"GET", "/budget/years/:id/report.csv", h_report_csv, 0},
    {"GET", "/budget/years/:id/report.xlsx", h_report_xlsx, 0},
    {"GET", "/budget/costs", h_unit_costs, 0},
    {"POST", "/budget/costs", h_unit_cost_save, 0},

    {"GET", "/api/v1/budget", h_overview, 0},
    {"GET", "/api/v1/budget/years/:id/report", h_report, 0},
    {"GET", "/api/v1/budget/costs", h_unit_costs, 0},
    {"PUT", "/api/v1/budget/costs", h_unit_cost_save, 0},
    {"GET", "/api/v1/budget/interventions", h_interventions, 0},
    {"POST", "/api/v1/budget/interventions", h_intervention_create, 0},
    {"POST", "/api/v1/budget/commitments/:id/placements", h_place, 0},
    {"GET", "/api/v1/budget/placements/:id", h_placement, 0},
    {"PUT", "/api/v1/budget/placements/:id", h_placement_update, 0},
    {"POST", "/api/v1/budget/placements/:id/void", h_placement_void, 0},
    {"GET", "/api/v1/budget/contributions/:id", h_contribution, 0},
    {"PUT", "/api/v1/budget/contributions/:id", h_contribution_correct, 0},
    {"POST", "/api/v1/budget/contributions/:id/void", h_contribution_void, 0},
    {"GET", "/api/v1/budget/interventions/:id", h_intervention, 0},
    {"PUT", "/api/v1/budget/interventions/:id", h_intervention_correct, 0},
    {"POST", "/api/v1/budget/interventions/:id/void", h_intervention_void, 0},
    {"PUT", "/api/v1/budget/commitments/:id", h_commitment_correct, 0},
    {"POST", "/api/v1/budget/commitments/:id/void", h_commitment_void, 0},
    {"GET", "/api/v1/budget/payments/:id", h_payment, 0},
    {"POST", "/api/v1/budget/payments/:id/void", h_payment_void, 0},
    {"GET", "/api/v1/budget/approvals", h_approvals, 0},
    {"GET", "/api/v1/budget/limits", h_limits, 0},
    {"PUT", "/api/v1/budget/limits", h_limits_save, 0},
    {"POST", "/api/v1/budget/years", h_year_create, 0},
    {"GET", "/api/v1/budget/years/:id", h_year, 0},
    {"POST", "/api/v1/budget/years/:id/contributions", h_contribution_add, 0},
    {"PUT", "/api/v1/budget/years/:id/allocations", h_allocation_set, 0},
    {"GET", "/api/v1/budget/allocations/:id", h_allocation, 0},
    {"POST", "/api/v1/budget/allocations/:id/commitments", h_commit, 0},
    {"GET", "/api/v1/budget/commitments/:id", h_commitment, 0},
    {"POST", "/api/v1/budget/commitments/:id/decision", h_decide, 0},
    {"POST", "/api/v1/budget/commitments/:id/payments", h_pay, 0},
};

ROUTE_TABLE(budget_table, routes);
