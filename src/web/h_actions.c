/* Actions agreed for a TAS case and referrals made to services: list, add,
 * edit, mark done or not done; record a referral and its outcome.  HTML
 * and JSON.  Data comes from service/svc_actions.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "lib/count.h"
#include "service/svc_actions.h"
#include "service/svc_agenda.h"
#include "service/svc_budget.h"
#include "service/svc_meetings.h"
#include "service/svc_toolkits.h"
#include "web/budget_json.h"
#include "web/form.h"
#include "web/records_json.h"
#include "web/router.h"
#include "web/view.h"


/* ---- small helpers ---- */

/* What only the pages need: readable dates and the status tag. */
static void action_view_keys(json_t *o, const struct action_row *a)
{
    view_set_date_label(o, "due_label", a->due_on);
    view_set_date_label(o, "closed_label", a->closed_on);
    view_set_date_label(o, "meeting_label", a->meeting_date);
    bool overdue = json_is_true(json_object_get(o, "overdue"));
    const char *cls = !strcmp(a->status, "done") ? "govuk-tag--green"
                      : !strcmp(a->status, "not_done") ? "govuk-tag--grey"
                      : overdue ? "govuk-tag--red" : "govuk-tag--blue";
    if (a->voided_at)
        cls = "govuk-tag--grey";
    json_object_set_new(o, "tag_class", json_string(cls));
    json_object_set_new(o, "tag_text", json_string(a->voided_at ? "Voided"
                                                   : overdue ? "Overdue"
                                                   : json_string_value(json_object_get(o, "status_label"))));
    json_object_set_new(o, "is_open", json_boolean(!strcmp(a->status, "open")));
    json_object_set_new(o, "is_not_done", json_boolean(!strcmp(a->status, "not_done")));
    json_object_set_new(o, "is_done", json_boolean(!strcmp(a->status, "done")));
}

static void referral_view_keys(json_t *o, const struct referral_row *r)
{
    view_set_date_label(o, "referred_label", r->referred_on);
    view_set_date_label(o, "outcome_date_label", r->outcome_on);
    const char *cls = !strcmp(r->outcome, "accepted") ? "govuk-tag--green"
                      : !strcmp(r->outcome, "declined") ? "govuk-tag--red"
                      : !strcmp(r->outcome, "redirected") ? "govuk-tag--orange" : "govuk-tag--yellow";
    json_object_set_new(o, "tag_class", json_string(r->voided_at ? "govuk-tag--grey" : cls));
}

/* Breadcrumbs back to the case, and the case itself. */
static void case_page_head(json_t *ctx, const struct case_ref *cr)
{
    char href[64];
    snprintf(href, sizeof href, "/cases/%lld", (long long)cr->id);
    view_breadcrumbs(ctx, "/", "Home", "/cases", "Cases", href, cr->pupil_name, NULL);
    json_object_set_new(ctx, "case", json_case_ref(cr));
}

/* What every form page here has: where the form is sent, where its Cancel
 * link goes, and the errors to show (when there are any). */
static void form_head(json_t *ctx, const char *action, const char *cancel, const struct field_errors *e)
{
    json_object_set_new(ctx, "form_action", json_string(action));
    json_object_set_new(ctx, "cancel_href", json_string(cancel));
    view_set_errors(ctx, e);
}

/* The text boxes of a GOV.UK date input, from a stored date (YYYY-MM-DD);
 * empty when there is none. */
static void date_text_of(struct req *rq, const char *iso, const char **d, const char **m, const char **y)
{
    int32_t day;
    *d = *m = *y = "";
    if (iso[0] && day_parse(iso, &day) == 0)
        req_day_text(rq, day, d, m, y);
}

/* ---- action list ---- */

struct action_collect {
    const struct svc_ctx *c;
    json_t *open, *closed, *voided;
    bool html;
    int64_t overdue;
};

static void collect_action(void *arg, const struct action_row *a)
{
    struct action_collect *ac = arg;
    json_t *o = json_action(ac->c, a);
    if (json_is_true(json_object_get(o, "overdue")))
        ac->overdue++;
    if (ac->html)
        action_view_keys(o, a);
    json_array_append_new(a->voided_at ? ac->voided : strcmp(a->status, "open") == 0 ? ac->open : ac->closed, o);
}

/* The page of a case's actions or referrals ("what: pupil"): the case's
 * head, whether the user may add to it, and the flash of ?saved=. */
static json_t *case_list_page(struct req *rq, const struct svc_ctx *c, const struct case_ref *cr, const char *what)
{
    char title[300];
    snprintf(title, sizeof title, "%s: %s", what, cr->pupil_name);
    json_t *ctx = view_page(rq, title, "cases");
    case_page_head(ctx, cr);
    json_object_set_new(ctx, "can_create", json_boolean(svc_allowed(c, ACT_CREATE, RES_CASE, cr->id,
                                                                    cr->authority_id, cr->school_id)));
    static const struct view_note saved[] = {
        {"added", "Action added"},
        {"updated", "Action saved"},
        {"status", "Action status saved"},
        {"referral", "Referral recorded"},
        {"outcome", "Referral outcome saved"},
        {"voided", "Voided: it is kept, marked as entered by mistake, and left out of every count"},
        {NULL, NULL},
    };
    view_flash(ctx, view_note(rq, "saved", saved));
    return ctx;
}

static void h_action_list(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct case_ref cr;
    struct action_collect ac = {&c, json_array(), json_array(), json_array(), !rq->api, 0};
    enum svc_status st = svc_action_list(&c, rq->id, &cr, collect_action, &ac);
    if (view_failed_drop(rq, rs, st, ac.open, ac.closed, ac.voided))
        return;
    size_t nopen = json_array_size(ac.open), nclosed = json_array_size(ac.closed);
    size_t nvoided = json_array_size(ac.voided);
    if (rq->api) {
        json_t *all = json_array();
        json_array_extend(all, ac.open);
        json_array_extend(all, ac.closed);
        json_array_extend(all, ac.voided);
        json_decref(ac.open);
        json_decref(ac.closed);
        json_decref(ac.voided);
        view_json(rs, 200, json_pack("{s:o, s:o, s:{s:I, s:I, s:I, s:I}}", "case", json_case_ref(&cr), "actions",
                                     all, "counts", "open", (json_int_t)nopen, "overdue", (json_int_t)ac.overdue,
                                     "closed", (json_int_t)nclosed, "voided", (json_int_t)nvoided));
        return;
    }
    json_t *ctx = case_list_page(rq, &c, &cr, "Actions");
    json_object_set_new(ctx, "open_actions", ac.open);
    json_object_set_new(ctx, "closed_actions", ac.closed);
    json_object_set_new(ctx, "voided_actions", ac.voided);
    json_object_set_new(ctx, "open_count", json_integer((json_int_t)nopen));
    json_object_set_new(ctx, "closed_count", json_integer((json_int_t)nclosed));
    json_object_set_new(ctx, "overdue_count", json_integer((json_int_t)ac.overdue));
    json_object_set_new(ctx, "has_overdue", json_boolean(ac.overdue > 0));
    view_render(rq, rs, 200, "action_list", ctx);
}

/* ---- action form ---- */

struct opts {
    json_t *field;
    const char *current;
    bool seen;
    bool with_service;    /* practitioners: "Name (Service)" */
};

static void add_opt(struct opts *o, int64_t id, const char *label)
{
    char v[24];
    snprintf(v, sizeof v, "%lld", (long long)id);
    if (o->current && strcmp(o->current, v) == 0)
        o->seen = true;
    fld_add_option(o->field, v, label, o->current);
}

static void opt_current(struct opts *o, const char *label)
{
    if (!o->seen && o->current && *o->current && label && *label)
        fld_add_option(o->field, o->current, label, o->current);
}

static void service_opt(void *arg, const struct service_row *r)
{
    add_opt(arg, r->id, r->name);
}

static void practitioner_opt(void *arg, const struct practitioner_row *r)
{
    char label[300];
    snprintf(label, sizeof label, "%s (%s)", r->name, r->service_name);
    add_opt(arg, r->id, label);
}

static void resource_opt(void *arg, const struct resource_row *r)
{
    const char *aud = !strcmp(r->audience, "school") ? "for school staff"
                      : !strcmp(r->audience, "parents") ? "for parents and carers" : "for schools and parents";
    char label[300];
    snprintf(label, sizeof label, "%s (%s)", r->title, aud);
    add_opt(arg, r->id, label);
}

static void discussion_opt(void *arg, const struct case_discussion *d)
{
    char date[32], label[300];
    date_label(d->meeting_date, date, sizeof date);
    snprintf(label, sizeof label, "%s, %s%s", date, d->team_name,
             !strcmp(d->meeting_status, "planned") ? " (planned)"
             : !strcmp(d->meeting_status, "cancelled") ? " (cancelled)" : "");
    add_opt(arg, d->id, label);
}

struct pick_all {
    struct opts svc, prac, res, disc;
};

static void pick_service(void *arg, const struct service_row *r) { service_opt(&((struct pick_all *)arg)->svc, r); }
static void pick_prac(void *arg, const struct practitioner_row *r) { practitioner_opt(&((struct pick_all *)arg)->prac, r); }
static void pick_res(void *arg, const struct resource_row *r) { resource_opt(&((struct pick_all *)arg)->res, r); }
static void pick_disc(void *arg, const struct case_discussion *d) { discussion_opt(&((struct pick_all *)arg)->disc, d); }

/* Labels for the current choices of an action being edited that the pick
 * lists may no longer offer (an inactive service, say). */
struct current_labels {
    const char *service, *practitioner, *resource;
};

static void render_action_form(struct req *rq, struct resp *rs, struct svc_ctx *c, int status,
                               const struct case_ref *cr, const struct action_form *f,
                               const struct field_errors *e, int64_t action_id, const struct current_labels *cur)
{
    json_t *ctx = view_page(rq, action_id ? "Edit the action" : "Add an action", "cases");
    case_page_head(ctx, cr);
    char form_action[64], back[64];
    if (action_id) {
        snprintf(form_action, sizeof form_action, "/actions/%lld/edit", (long long)action_id);
        snprintf(back, sizeof back, "/actions/%lld", (long long)action_id);
    } else {
        snprintf(form_action, sizeof form_action, "/cases/%lld/actions", (long long)cr->id);
        snprintf(back, sizeof back, "/cases/%lld/actions", (long long)cr->id);
    }
    form_head(ctx, form_action, back, e);
    json_object_set_new(ctx, "editing", json_boolean(action_id != 0));
    if (!action_id && f->discussion_id && *f->discussion_id &&
        ((req_query(rq, "discussion_id") && *req_query(rq, "discussion_id")) ||
         (req_param(rq, "return_to") && !strcmp(req_param(rq, "return_to"), "minutes")))) {
        char mins[64];
        snprintf(mins, sizeof mins, "/discussions/%lld", (long long)strtoll(f->discussion_id, NULL, 10));
        json_object_set_new(ctx, "return_to_minutes", json_true());
        json_object_set_new(ctx, "cancel_href", json_string(mins));
    }
    json_t *fields = json_object();
    json_object_set_new(fields, "description",
                        fld_textarea("description", "What will be done", f->description, e,
                                     "For example, school to share the EP report with Speech and Language Therapy"));
    struct pick_all pa = {
        {fld_select_blank("owner_service_id", "Service responsible", e,
                          "The service, school or team that owns the action", "Select a service",
                          f->owner_service_id), f->owner_service_id, false, false},
        {fld_select_blank("owner_practitioner_id", "Practitioner (optional)", e, NULL, "No practitioner named",
                          f->owner_practitioner_id), f->owner_practitioner_id, false, true},
        {fld_select_blank("resource_id", "Resource from the playbook", e,
                          "Needed when the action signposts the school or the family to a resource",
                          "No resource", f->resource_id), f->resource_id, false, false},
        {fld_select_blank("discussion_id", "Meeting where it was agreed (optional)", e, NULL,
                          "Not agreed at a meeting", f->discussion_id), f->discussion_id, false, false},
    };
    struct action_choices ch = {&pa, pick_service, pick_prac, pick_res, pick_disc, NULL};
    (void)svc_action_choices(c, cr, &ch);
    opt_current(&pa.svc, cur ? cur->service : NULL);
    opt_current(&pa.prac, cur ? cur->practitioner : NULL);
    opt_current(&pa.res, cur ? cur->resource : NULL);
    json_object_set_new(fields, "owner_service_id", pa.svc.field);
    json_object_set_new(fields, "owner_practitioner_id", pa.prac.field);
    json_object_set_new(fields, "owner_name",
                        fld_input("owner_name", "Person or role (optional)", f->owner_name, e,
                                  "For example, School SENCO or class teacher"));
    json_object_set_new(fields, "setting", fld_radios_codes("setting", "Where will the action happen?", f->setting, e,
                                                            &action_settings, 0));
    json_object_set_new(fields, "nature", fld_radios_codes("nature", "What kind of action is it?", f->nature, e,
                                                           &action_natures, 0));
    json_object_set_new(fields, "resource_id", pa.res.field);
    json_object_set_new(fields, "due_on", fld_date("due_on", "Due date (optional)", f->due_day, f->due_month,
                                                   f->due_year, e, "For example, 27 3 2026"));
    json_object_set_new(fields, "discussion_id", pa.disc.field);
    json_object_set_new(ctx, "fields", fields);
    view_render(rq, rs, status, "action_form", ctx);
}

static const struct req_field action_fields[] = {
    REQ_FIELD(struct action_form, description), REQ_FIELD(struct action_form, owner_service_id),
    REQ_FIELD(struct action_form, owner_practitioner_id), REQ_FIELD(struct action_form, owner_name),
    REQ_FIELD(struct action_form, setting), REQ_FIELD(struct action_form, nature),
    REQ_FIELD(struct action_form, resource_id), REQ_FIELD(struct action_form, discussion_id),
};

static void read_action(struct req *rq, struct action_form *f)
{
    memset(f, 0, sizeof *f);
    req_fields(rq, action_fields, COUNT(action_fields), f);
    req_date_parts(rq, "due_on", "due_on", &f->due_day, &f->due_month, &f->due_year);
}

/* Text forms of an action's values, for the edit form. */
struct action_form_bufs {
    char svc[24], prac[24], res[24], disc[24];
};

static void form_from_action(struct req *rq, const struct action_row *a, struct action_form *f,
                             struct action_form_bufs *b)
{
    memset(f, 0, sizeof *f);
    memset(b, 0, sizeof *b);
    if (a->owner_service_id)
        snprintf(b->svc, sizeof b->svc, "%lld", (long long)a->owner_service_id);
    if (a->owner_practitioner_id)
        snprintf(b->prac, sizeof b->prac, "%lld", (long long)a->owner_practitioner_id);
    if (a->resource_id)
        snprintf(b->res, sizeof b->res, "%lld", (long long)a->resource_id);
    if (a->discussion_id)
        snprintf(b->disc, sizeof b->disc, "%lld", (long long)a->discussion_id);
    date_text_of(rq, a->due_on, &f->due_day, &f->due_month, &f->due_year);
    f->description = a->description;
    f->owner_service_id = b->svc;
    f->owner_practitioner_id = b->prac;
    f->owner_name = a->owner_name;
    f->setting = a->setting;
    f->nature = a->nature;
    f->resource_id = b->res;
    f->discussion_id = b->disc;
}

static void closed_case(struct req *rq, struct resp *rs, const char *what)
{
    if (rq->api) {
        struct field_errors e = {0};
        field_errors_add(&e, "case", what);
        view_invalid_json(rs, &e);
        return;
    }
    view_error(rq, rs, 409, "The case is closed", what);
}

/* The case rq->id, if the user may add to it and it is open; otherwise
 * answers (closed: why, in what) and returns false. */
static bool open_case(struct req *rq, struct resp *rs, struct svc_ctx *c, struct case_ref *cr, const char *closed)
{
    enum svc_status st = svc_action_case(c, rq->id, ACT_CREATE, cr);
    if (st != SVC_OK)
        view_svc_error(rq, rs, st);
    else if (strcmp(cr->status, "open") != 0)
        closed_case(rq, rs, closed);
    return st == SVC_OK && strcmp(cr->status, "open") == 0;
}

/* A new action's or referral's form, blank or shown again with what was
 * typed and its errors; form is that kind's form struct. */
typedef void (*case_form_fn)(struct req *rq, struct resp *rs, struct svc_ctx *c, int status,
                             const struct case_ref *cr, const void *form, const struct field_errors *e);

/* The end of adding an action or a referral to case rq->id: a closed case
 * says why, a page's invalid form is shown again under the case.  Returns
 * SAVE_OK when the caller answers the success, otherwise it has answered. */
static enum save_next end_case_create(struct req *rq, struct resp *rs, struct svc_ctx *c, enum svc_status st,
                                      struct field_errors *e, case_form_fn again, const void *form)
{
    if (st == SVC_INVALID && field_errors_get(e, "case")) {
        closed_case(rq, rs, field_errors_get(e, "case"));
        return SAVE_ANSWERED;
    }
    enum save_next n = view_answer_save(rq, rs, st, e);
    if (n == SAVE_FORM) {
        struct case_ref cr;
        if (svc_action_case(c, rq->id, ACT_VIEW, &cr) == SVC_OK)
            again(rq, rs, c, 400, &cr, form, e);
        else
            view_svc_error(rq, rs, SVC_ERROR);
    }
    return n;
}

/* The blank form of something new under case rq->id, if the case is open. */
static void new_under_case(struct req *rq, struct resp *rs, const char *closed, case_form_fn show, const void *blank)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct case_ref cr;
    if (open_case(rq, rs, &c, &cr, closed))
        show(rq, rs, &c, 200, &cr, blank, NULL);
}

static void new_action_form(struct req *rq, struct resp *rs, struct svc_ctx *c, int status, const struct case_ref *cr,
                            const void *form, const struct field_errors *e)
{
    render_action_form(rq, rs, c, status, cr, form, e, 0, NULL);
}

static void h_action_new(struct req *rq, struct resp *rs)
{
    struct action_form f = {0};
    /* From a discussion's minutes page: the meeting where it was agreed is
     * chosen already (issue 10, item 6); the form returns to the minutes. */
    f.discussion_id = req_query(rq, "discussion_id");
    new_under_case(rq, rs, "Re-open the case to add actions.", new_action_form, &f);
}

static void action_saved(struct req *rq, struct resp *rs, const struct svc_ctx *c, const struct action_row *a,
                         int status, const char *saved)
{
    const char *back = req_param(rq, "return_to");
    if (!rq->api && back && !strcmp(back, "minutes") && a->discussion_id > 0) {
        view_saved(rq, rs, status, "action", json_action(c, a), "/discussions/%lld?saved=action",
                   (long long)a->discussion_id);
        return;
    }
    view_saved(rq, rs, status, "action", json_action(c, a), "/cases/%lld/actions?saved=%s", (long long)a->case_id,
               saved);
}

static void h_action_create(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct action_form f;
    read_action(rq, &f);
    struct field_errors e = {0};
    struct action_row *a = req_alloc(rq, sizeof *a);
    enum svc_status st = a ? svc_action_create(&c, rq->id, &f, &e, a) : SVC_ERROR;
    if (end_case_create(rq, rs, &c, st, &e, new_action_form, &f) == SAVE_OK)
        action_saved(rq, rs, &c, a, 201, "added");
}

static void h_action_view(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct action_row *a = req_alloc(rq, sizeof *a);
    struct case_ref cr;
    enum svc_status st = a ? svc_action_get(&c, rq->id, a, &cr) : SVC_ERROR;
    /* Its budget placements, to who may see the budget they are paid from. */
    json_t *places = json_array();
    if (st == SVC_OK)
        st = svc_action_placements(&c, a->id, json_placement_append, places);
    if (view_failed_drop(rq, rs, st, places))
        return;
    if (rq->api) {
        view_json(rs, 200, json_pack("{s:o, s:o}", "action", json_action(&c, a), "placements", places));
        return;
    }
    json_t *ctx = view_page(rq, "Action", "cases");
    case_page_head(ctx, &cr);
    json_t *o = json_action(&c, a);
    action_view_keys(o, a);
    json_object_set_new(ctx, "action", o);
    json_object_set_new(ctx, "placements", places);
    json_object_set_new(ctx, "on_action", json_true());   /* budget/placements_table: the intervention first */
    json_object_set_new(ctx, "can_edit", json_boolean(svc_allowed(&c, ACT_EDIT, RES_CASE, cr.id,
                                                                  cr.authority_id, cr.school_id)));
    view_render(rq, rs, 200, "action_view", ctx);
}

static void edit_with(struct req *rq, struct resp *rs, struct svc_ctx *c, int status, const struct action_row *cur,
                      const struct case_ref *cr, const struct action_form *f, const struct field_errors *e)
{
    struct current_labels cl = {cur->owner_service_name, cur->owner_practitioner_name, cur->resource_title};
    render_action_form(rq, rs, c, status, cr, f, e, cur->id, &cl);
}

/* The action rq->id (into a, from req_alloc) and its case, if the user may
 * change it; otherwise answers and returns false. */
static bool editable_action(struct req *rq, struct resp *rs, struct svc_ctx *c, struct action_row *a,
                            struct case_ref *cr)
{
    enum svc_status st = a ? svc_action_get(c, rq->id, a, cr) : SVC_ERROR;
    if (st == SVC_OK && !svc_allowed(c, ACT_EDIT, RES_CASE, cr->id, cr->authority_id, cr->school_id))
        st = SVC_FORBIDDEN;
    if (st != SVC_OK)
        view_svc_error(rq, rs, st);
    return st == SVC_OK;
}

/* An action's form shown again after an invalid change, beside the action. */
typedef void (*action_again_fn)(struct req *rq, struct resp *rs, struct svc_ctx *c, const struct action_row *a,
                                const struct case_ref *cr, const void *form, const struct field_errors *e);

/* The end of a change to action rq->id (a holds it after SVC_OK): saved
 * (the list's flash saved), or a page's invalid form shown again. */
static void end_action_save(struct req *rq, struct resp *rs, struct svc_ctx *c, enum svc_status st,
                            struct field_errors *e, struct action_row *a, const char *saved, action_again_fn again,
                            const void *form)
{
    enum save_next n = view_answer_save(rq, rs, st, e);
    if (n == SAVE_OK) {
        action_saved(rq, rs, c, a, 200, saved);
    } else if (n == SAVE_FORM) {
        struct case_ref cr;
        if (svc_action_get(c, rq->id, a, &cr) == SVC_OK)
            again(rq, rs, c, a, &cr, form, e);
        else
            view_svc_error(rq, rs, SVC_ERROR);
    }
}

static void edit_again(struct req *rq, struct resp *rs, struct svc_ctx *c, const struct action_row *a,
                       const struct case_ref *cr, const void *form, const struct field_errors *e)
{
    edit_with(rq, rs, c, 400, a, cr, form, e);
}

/* A page's form to change action rq->id, first shown: filled from the
 * action, without errors. */
typedef void (*action_first_fn)(struct req *rq, struct resp *rs, struct svc_ctx *c, const struct action_row *a,
                                const struct case_ref *cr);

/* The form show gives, if the user may change action rq->id. */
static void change_action_page(struct req *rq, struct resp *rs, action_first_fn show)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct action_row *a = req_alloc(rq, sizeof *a);
    struct case_ref cr;
    if (editable_action(rq, rs, &c, a, &cr))
        show(rq, rs, &c, a, &cr);
}

static void edit_first(struct req *rq, struct resp *rs, struct svc_ctx *c, const struct action_row *a,
                       const struct case_ref *cr)
{
    struct action_form f;
    struct action_form_bufs b;
    form_from_action(rq, a, &f, &b);
    edit_with(rq, rs, c, 200, a, cr, &f, NULL);
}

static void h_action_edit(struct req *rq, struct resp *rs)
{
    change_action_page(rq, rs, edit_first);
}

static void h_action_update(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct action_form f;
    read_action(rq, &f);
    struct field_errors e = {0};
    struct action_row *a = req_alloc(rq, sizeof *a);
    enum svc_status st = a ? svc_action_update(&c, rq->id, &f, &e, a) : SVC_ERROR;
    end_action_save(rq, rs, &c, st, &e, a, "updated", edit_again, &f);
}

/* ---- action status ---- */

static void render_status(struct req *rq, struct resp *rs, struct svc_ctx *c, int status, const struct action_row *a,
                          const struct case_ref *cr, const struct action_status_form *f, const struct field_errors *e)
{
    json_t *ctx = view_page(rq, "Update the action", "cases");
    case_page_head(ctx, cr);
    json_t *o = json_action(c, a);
    action_view_keys(o, a);
    json_object_set_new(ctx, "action", o);
    char form_action[64], back[64];
    snprintf(form_action, sizeof form_action, "/actions/%lld/status", (long long)a->id);
    snprintf(back, sizeof back, "/actions/%lld", (long long)a->id);
    form_head(ctx, form_action, back, e);
    json_t *fields = json_object();
    json_object_set_new(fields, "status", fld_radios_codes("status", "Has the action been done?", f->status, e,
                                                           &action_statuses, 0));
    json_object_set_new(fields, "not_done_reason",
                        fld_textarea("not_done_reason", "If it was not done, why not?", f->not_done_reason, e,
                                     "Needed when the action was not done"));
    json_object_set_new(fields, "outcome", fld_textarea("outcome", "What happened (optional)", f->outcome, e, NULL));
    json_object_set_new(ctx, "fields", fields);
    view_render(rq, rs, status, "action_status", ctx);
}

static void status_again(struct req *rq, struct resp *rs, struct svc_ctx *c, const struct action_row *a,
                         const struct case_ref *cr, const void *form, const struct field_errors *e)
{
    render_status(rq, rs, c, 400, a, cr, form, e);
}

static void status_first(struct req *rq, struct resp *rs, struct svc_ctx *c, const struct action_row *a,
                         const struct case_ref *cr)
{
    render_status(rq, rs, c, 200, a, cr, &(struct action_status_form){a->status, a->not_done_reason, a->outcome},
                  NULL);
}

static void h_action_status_form(struct req *rq, struct resp *rs)
{
    change_action_page(rq, rs, status_first);
}

static void h_action_status(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct action_status_form f = {req_param(rq, "status"), req_param(rq, "not_done_reason"),
                                   req_param(rq, "outcome")};
    struct field_errors e = {0};
    struct action_row *a = req_alloc(rq, sizeof *a);
    enum svc_status st = a ? svc_action_set_status(&c, rq->id, &f, &e, a) : SVC_ERROR;
    end_action_save(rq, rs, &c, st, &e, a, "status", status_again, &f);
}

/* ---- voiding a record entered by mistake ---- */

struct void_what {
    enum void_kind kind;
    const char *noun;          /* "action", "referral", "discussion", "meeting" */
    const char *list;          /* the path's first segment: "actions", ... */
    const char *after;         /* after the case's (action, referral) or the record's address, once voided */
};

static const struct void_what void_action = {VOID_ACTION, "action", "actions", "/actions?saved=voided"};
static const struct void_what void_referral = {VOID_REFERRAL, "referral", "referrals", "/referrals?saved=voided"};
static const struct void_what void_discussion = {VOID_DISCUSSION, "discussion", "discussions", ""};
static const struct void_what void_meeting = {VOID_MEETING, "meeting", "meetings", "?done=voided"};

/* The record rq->id as JSON, and its case when it has one (cr->id 0 for a
 * meeting), if the user may see it. */
static enum svc_status void_record(struct req *rq, struct svc_ctx *c, const struct void_what *w, json_t **rec,
                                   struct case_ref *cr)
{
    enum svc_status st = SVC_ERROR;
    memset(cr, 0, sizeof *cr);
    *rec = NULL;
    if (w->kind == VOID_ACTION) {
        struct action_row *a = req_alloc(rq, sizeof *a);
        if (a && (st = svc_action_get(c, rq->id, a, cr)) == SVC_OK)
            *rec = json_action(c, a);
    } else if (w->kind == VOID_REFERRAL) {
        struct referral_row *r = req_alloc(rq, sizeof *r);
        if (r && (st = svc_referral_get(c, rq->id, r, cr)) == SVC_OK)
            *rec = json_referral(c, r);
    } else if (w->kind == VOID_DISCUSSION) {
        struct agenda_row *d = req_alloc(rq, sizeof *d);
        struct meeting_brief mb;
        if (d && (st = svc_discussion_get(c, rq->id, d, &mb)) == SVC_OK)
            st = svc_action_case(c, d->case_id, ACT_VIEW, cr);
        if (st == SVC_OK)
            *rec = json_agenda_item(d);
    } else {
        struct meeting_row *m = req_alloc(rq, sizeof *m);
        if (m && (st = svc_meeting_get(c, rq->id, m)) == SVC_OK)
            *rec = json_meeting(m);
    }
    return st;
}

static void render_void(struct req *rq, struct resp *rs, struct svc_ctx *c, int status, const struct void_what *w,
                        const char *reason, const struct field_errors *e)
{
    json_t *rec;
    struct case_ref cr;
    int64_t case_id = 0;
    enum svc_status st = void_record(rq, c, w, &rec, &cr);
    if (st == SVC_OK)
        st = svc_record_void_check(c, w->kind, rq->id, &case_id);
    if (view_failed_drop(rq, rs, st, rec))
        return;
    char title[64], back[64];
    snprintf(title, sizeof title, "Void this %s", w->noun);
    json_t *ctx = view_page(rq, title, w->kind == VOID_MEETING ? "meetings" : "cases");
    if (cr.id)
        case_page_head(ctx, &cr);
    snprintf(back, sizeof back, "/%s/%lld", w->list, (long long)rq->id);
    view_void_form(rq, rs, status, ctx, rec, w->noun, back, reason,
                   "For example, added to the wrong pupil, or entered twice", e);
}

static void void_form(struct req *rq, struct resp *rs, const struct void_what *w)
{
    struct svc_ctx c = req_svc_ctx(rq);
    render_void(rq, rs, &c, 200, w, "", NULL);
}

static void void_save(struct req *rq, struct resp *rs, const struct void_what *w)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct field_errors e = {0};
    const char *reason = req_param(rq, "void_reason");
    int64_t case_id = 0;
    enum svc_status st = svc_record_void(&c, w->kind, rq->id, reason, &e, &case_id);
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK) {
        json_t *rec;
        struct case_ref cr;
        if (void_record(rq, &c, w, &rec, &cr) != SVC_OK) {
            view_svc_error(rq, rs, SVC_ERROR);
            return;
        }
        char after[96];
        bool to_case = w->kind == VOID_ACTION || w->kind == VOID_REFERRAL;
        snprintf(after, sizeof after, "/%s/%lld%s", to_case ? "cases" : w->list, (long long)(to_case ? case_id : rq->id),
                 w->after);
        view_saved(rq, rs, 200, w->noun, rec, "%s", after);
    } else if (n == SAVE_FORM) {
        render_void(rq, rs, &c, 400, w, reason ? reason : "", &e);
    }
}

static void h_action_void_form(struct req *rq, struct resp *rs) { void_form(rq, rs, &void_action); }
static void h_action_void(struct req *rq, struct resp *rs) { void_save(rq, rs, &void_action); }
static void h_referral_void_form(struct req *rq, struct resp *rs) { void_form(rq, rs, &void_referral); }
static void h_referral_void(struct req *rq, struct resp *rs) { void_save(rq, rs, &void_referral); }
static void h_discussion_void_form(struct req *rq, struct resp *rs) { void_form(rq, rs, &void_discussion); }
static void h_discussion_void(struct req *rq, struct resp *rs) { void_save(rq, rs, &void_discussion); }
static void h_meeting_void_form(struct req *rq, struct resp *rs) { void_form(rq, rs, &void_meeting); }
static void h_meeting_void(struct req *rq, struct resp *rs) { void_save(rq, rs, &void_meeting); }

/* ---- referrals ---- */

struct referral_collect {
    const struct svc_ctx *c;
    json_t *items;
    bool html;
    int64_t pending;
};

static void collect_referral(void *arg, const struct referral_row *r)
{
    struct referral_collect *rc = arg;
    json_t *o = json_referral(rc->c, r);
    if (rc->html)
        referral_view_keys(o, r);
    if (!r->voided_at && !strcmp(r->outcome, "pending"))
        rc->pending++;
    json_array_append_new(rc->items, o);
}

static void h_referral_list(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct case_ref cr;
    struct referral_collect rc = {&c, json_array(), !rq->api, 0};
    if (view_failed_drop(rq, rs, svc_referral_list(&c, rq->id, &cr, collect_referral, &rc), rc.items))
        return;
    if (rq->api) {
        view_json(rs, 200, json_pack("{s:o, s:o}", "case", json_case_ref(&cr), "referrals", rc.items));
        return;
    }
    json_t *ctx = case_list_page(rq, &c, &cr, "Referrals");
    json_object_set_new(ctx, "referral_count", json_integer((json_int_t)json_array_size(rc.items)));
    json_object_set_new(ctx, "pending_count", json_integer((json_int_t)rc.pending));
    json_object_set_new(ctx, "referrals", rc.items);
    view_render(rq, rs, 200, "referral_list", ctx);
}

static void action_opt(void *arg, const struct action_row *a)
{
    char label[120];
    size_t n = strlen(a->description);
    if (n > 90) {
        /* Cut at a character boundary, not inside a UTF-8 sequence. */
        size_t cut = 87;
        while (cut > 0 && ((unsigned char)a->description[cut] & 0xC0) == 0x80)
            cut--;
        snprintf(label, sizeof label, "%.*s...", (int)cut, a->description);
    } else {
        snprintf(label, sizeof label, "%s", a->description);
    }
    add_opt(arg, a->id, label);
}

/* The services a referral can go to, noting whether community
 * paediatrics is among them. */
struct referral_services {
    struct opts *o;
    bool paediatrics;
};

static void referral_service_opt(void *arg, const struct service_row *r)
{
    struct referral_services *rsv = arg;
    rsv->paediatrics = rsv->paediatrics || !strcmp(r->code, TK_CHECKLIST_SERVICE);
    service_opt(rsv->o, r);
}

static void render_referral_form(struct req *rq, struct resp *rs, struct svc_ctx *c, int status,
                                 const struct case_ref *cr, const struct referral_form *f,
                                 const struct field_errors *e)
{
    json_t *ctx = view_page(rq, "Record a referral", "cases");
    case_page_head(ctx, cr);
    char form_action[64], back[64];
    snprintf(form_action, sizeof form_action, "/cases/%lld/referrals", (long long)cr->id);
    snprintf(back, sizeof back, "/cases/%lld/referrals", (long long)cr->id);
    form_head(ctx, form_action, back, e);
    json_t *fields = json_object();
    struct opts svc = {fld_select_blank("service_id", "Service the pupil was referred to", e, NULL, "Select a service",
                                        f->service_id), f->service_id, false, false};
    struct opts act = {fld_select_blank("action_id", "Action it came from (optional)", e, NULL, "None", f->action_id),
                       f->action_id, false, false};
    struct referral_services rsv = {&svc, false};
    struct action_choices ch1 = {&rsv, referral_service_opt, NULL, NULL, NULL, NULL};
    (void)svc_action_choices(c, cr, &ch1);
    struct action_choices ch2 = {&act, NULL, NULL, NULL, NULL, action_opt};
    (void)svc_action_choices(c, cr, &ch2);
    json_object_set_new(fields, "service_id", svc.field);
    /* The pilot asked for an early concerns checklist before a referral to
     * community paediatrics: warn when none is on file, never block. */
    bool on_file = true;
    if (rsv.paediatrics && svc_toolkit_on_file(c, cr->pupil_id, TK_CHECKLIST, &on_file) == SVC_OK && !on_file)
        json_object_set_new(ctx, "checklist_missing", json_pack("{s:I}", "pupil_id", (json_int_t)cr->pupil_id));
    json_object_set_new(fields, "referred_on", fld_date("referred_on", "Date of the referral", f->day, f->month,
                                                        f->year, e, "For example, 14 10 2025"));
    json_object_set_new(fields, "action_id", act.field);
    json_object_set_new(fields, "notes", fld_textarea("notes", "Notes (optional)", f->notes, e, NULL));
    json_object_set_new(ctx, "fields", fields);
    view_render(rq, rs, status, "referral_form", ctx);
}

static void read_referral(struct req *rq, struct referral_form *f)
{
    memset(f, 0, sizeof *f);
    f->service_id = req_param(rq, "service_id");
    req_date_parts(rq, "referred_on", "referred_on", &f->day, &f->month, &f->year);
    f->action_id = req_param(rq, "action_id");
    f->notes = req_param(rq, "notes");
}

static void new_referral_form(struct req *rq, struct resp *rs, struct svc_ctx *c, int status,
                              const struct case_ref *cr, const void *form, const struct field_errors *e)
{
    render_referral_form(rq, rs, c, status, cr, form, e);
}

static void h_referral_new(struct req *rq, struct resp *rs)
{
    struct referral_form f = {0};
    new_under_case(rq, rs, "Re-open the case to add referrals.", new_referral_form, &f);
}

static void h_referral_create(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct referral_form f;
    read_referral(rq, &f);
    struct field_errors e = {0};
    struct referral_row *r = req_alloc(rq, sizeof *r);
    enum svc_status st = r ? svc_referral_create(&c, rq->id, &f, &e, r) : SVC_ERROR;
    if (end_case_create(rq, rs, &c, st, &e, new_referral_form, &f) == SAVE_OK)
        view_saved(rq, rs, 201, "referral", json_referral(&c, r), "/cases/%lld/referrals?saved=referral",
                   (long long)rq->id);
}

static void render_referral(struct req *rq, struct resp *rs, struct svc_ctx *c, int status,
                            const struct referral_row *r, const struct case_ref *cr,
                            const struct referral_outcome_form *f, const struct field_errors *e)
{
    json_t *ctx = view_page(rq, "Referral", "cases");
    case_page_head(ctx, cr);
    json_t *o = json_referral(c, r);
    referral_view_keys(o, r);
    json_object_set_new(ctx, "referral", o);
    bool can_edit = svc_allowed(c, ACT_EDIT, RES_CASE, cr->id, cr->authority_id, cr->school_id);
    json_object_set_new(ctx, "can_edit", json_boolean(can_edit));
    char form_action[64];
    snprintf(form_action, sizeof form_action, "/referrals/%lld", (long long)r->id);
    json_object_set_new(ctx, "form_action", json_string(form_action));
    view_set_errors(ctx, e);
    if (can_edit) {
        json_t *fields = json_object();
        json_object_set_new(fields, "outcome", fld_radios_codes("outcome", "Outcome of the referral", f->outcome, e,
                                                                &referral_outcomes, 0));
        json_object_set_new(fields, "outcome_on",
                            fld_date("outcome_on", "Date of the outcome", f->day, f->month, f->year, e,
                                     "Needed unless the referral is still waiting for a decision"));
        json_object_set_new(fields, "notes", fld_textarea("notes", "Notes (optional)", f->notes, e, NULL));
        if (svc_referral_action_open(c, r)) {
            json_t *close = fld_input("close_action", NULL, NULL, e, "The action is marked done on the date of the outcome.");
            json_object_del(close, "label");
            json_object_del(close, "value");
            fld_set(close, "legend", "The action this referral came from");
            json_object_set_new(close, "items", json_pack("[{s:s, s:s, s:b}]", "value", "yes", "label",
                                                          "Close the action if the referral was accepted",
                                                          "checked", f->close_action &&
                                                                         !strcmp(f->close_action, "yes")));
            json_object_set_new(fields, "close_action", close);
        }
        json_object_set_new(ctx, "fields", fields);
    }
    view_render(rq, rs, status, "referral_view", ctx);
}

static void h_referral_view(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct referral_row *r = req_alloc(rq, sizeof *r);
    struct case_ref cr;
    if (view_failed(rq, rs, r ? svc_referral_get(&c, rq->id, r, &cr) : SVC_ERROR))
        return;
    if (rq->api) {
        view_json(rs, 200, json_pack("{s:o}", "referral", json_referral(&c, r)));
        return;
    }
    struct referral_outcome_form f = {r->outcome, NULL, NULL, NULL, r->notes, NULL};
    date_text_of(rq, r->outcome_on, &f.day, &f.month, &f.year);
    render_referral(rq, rs, &c, 200, r, &cr, &f, NULL);
}

static void h_referral_update(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct referral_outcome_form f;
    memset(&f, 0, sizeof f);
    f.outcome = req_param(rq, "outcome");
    req_date_parts(rq, "outcome_on", "outcome_on", &f.day, &f.month, &f.year);
    f.notes = req_param(rq, "notes");
    f.close_action = req_param(rq, "close_action");
    struct field_errors e = {0};
    struct referral_row *r = req_alloc(rq, sizeof *r);
    enum svc_status st = r ? svc_referral_set_outcome(&c, rq->id, &f, &e, r) : SVC_ERROR;
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK) {
        view_saved(rq, rs, 200, "referral", json_referral(&c, r), "/cases/%lld/referrals?saved=outcome",
                   (long long)r->case_id);
    } else if (n == SAVE_FORM) {
        struct case_ref cr;
        if (svc_referral_get(&c, rq->id, r, &cr) == SVC_OK)
            render_referral(rq, rs, &c, 400, r, &cr, &f, &e);
        else
            view_svc_error(rq, rs, SVC_ERROR);
    }
}

static const struct route routes[] = {
    {"GET", "/cases/:id/actions", h_action_list, 0},
    {"GET", "/cases/:id/actions/new", h_action_new, 0},
    {"POST", "/cases/:id/actions", h_action_create, 0},
    {"GET", "/actions/:id", h_action_view, 0},
    {"GET", "/actions/:id/edit", h_action_edit, 0},
    {"POST", "/actions/:id/edit", h_action_update, 0},
    {"GET", "/actions/:id/status", h_action_status_form, 0},
    {"POST", "/actions/:id/status", h_action_status, 0},
    {"GET", "/cases/:id/referrals", h_referral_list, 0},
    {"GET", "/cases/:id/referrals/new", h_referral_new, 0},
    {"POST", "/cases/:id/referrals", h_referral_create, 0},
    {"GET", "/referrals/:id", h_referral_view, 0},
    {"POST", "/referrals/:id", h_referral_update, 0},
    {"GET", "/actions/:id/void", h_action_void_form, 0},
    {"POST", "/actions/:id/void", h_action_void, 0},
    {"GET", "/referrals/:id/void", h_referral_void_form, 0},
    {"POST", "/referrals/:id/void", h_referral_void, 0},
    {"GET", "/discussions/:id/void", h_discussion_void_form, 0},
    {"POST", "/discussions/:id/void", h_discussion_void, 0},
    {"GET", "/meetings/:id/void", h_meeting_void_form, 0},
    {"POST", "/meetings/:id/void", h_meeting_void, 0},

    {"GET", "/api/v1/cases/:id/actions", h_action_list, 0},
    {"POST", "/api/v1/cases/:id/actions", h_action_create, 0},
    {"GET", "/api/v1/actions/:id", h_action_view, 0},
    {"PUT", "/api/v1/actions/:id", h_action_update, 0},
    {"PUT", "/api/v1/actions/:id/status", h_action_status, 0},
    {"GET", "/api/v1/cases/:id/referrals", h_referral_list, 0},
    {"POST", "/api/v1/cases/:id/referrals", h_referral_create, 0},
    {"GET", "/api/v1/referrals/:id", h_referral_view, 0},
    {"PUT", "/api/v1/referrals/:id", h_referral_update, 0},
    {"POST", "/api/v1/actions/:id/void", h_action_void, 0},
    {"POST", "/api/v1/referrals/:id/void", h_referral_void, 0},
    {"POST", "/api/v1/discussions/:id/void", h_discussion_void, 0},
    {"POST", "/api/v1/meetings/:id/void", h_meeting_void, 0},
};

ROUTE_TABLE(actions_table, routes);
