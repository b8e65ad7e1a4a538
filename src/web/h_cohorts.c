/* Cohort discussions (issue 13, item 5): a meeting discusses a year group
 * or cohort ("Year 6 transition to secondary") with no identified pupil,
 * records minutes and agrees actions that are followed up (status, work
 * lists) and voided like a case's.  No child data: the text is checked
 * (service/svc_cohorts.c) and the forms say not to name children.  Whoever
 * may see the meeting may see these pages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/codes.h"
#include "service/svc_actions.h"
#include "service/svc_agenda.h"
#include "service/svc_cohorts.h"
#include "service/svc_teams.h"
#include "web/form.h"
#include "web/listing.h"
#include "web/records_json.h"
#include "web/router.h"
#include "web/running.h"
#include "web/view.h"

static const char *const NO_CHILD_HINT =
    "Describe the group: do not name children or give anything that identifies one. A child is discussed as a "
    "case of their own, with their family's consent";

json_t *json_cohort(const struct cohort_row *k)
{
    const struct code_entry *yg = k->year_group[0] ? code_find(&codes_nc_year, k->year_group) : NULL;
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:b, s:s, s:s}", "id", (json_int_t)k->id, "meeting_id",
                          (json_int_t)k->meeting_id, "description", k->description, "year_group", k->year_group,
                          "year_group_label", yg ? yg->label : "Several or all year groups", "open_actions",
                          (json_int_t)k->open_actions, "has_minutes", k->minutes[0] != '\0', "minutes", k->minutes,
                          "meeting_date", k->meeting_date);
    json_object_set_new(o, "school_id", json_opt_id(k->school_id));
    json_object_set_new(o, "school_name", k->school_id ? json_string(k->school_name) : json_null());
    json_object_set_new(o, "team_id", json_integer((json_int_t)k->team_id));
    json_object_set_new(o, "team_name", json_string(k->team_name));
    json_object_set_new(o, "voided", json_boolean(k->voided_at > 0));
    json_object_set_new(o, "void_reason", k->voided_at ? json_string(k->void_reason) : json_null());
    return o;
}

json_t *json_cohort_action(const struct svc_ctx *c, const struct cohort_action_row *a)
{
    char owner[400];
    snprintf(owner, sizeof owner, "%s%s%s%s%s", a->owner_service_name,
             a->owner_service_name[0] && a->owner_practitioner_name[0] ? ": " : "", a->owner_practitioner_name,
             (a->owner_service_name[0] || a->owner_practitioner_name[0]) && a->owner_name[0] ? ", " : "",
             a->owner_name);
    char due[32] = "";
    if (a->due_on[0])
        date_label(a->due_on, due, sizeof due);
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)a->id, "cohort_id",
                          (json_int_t)a->cohort_id, "description", a->description, "owner_label", owner,
                          "owner_name", a->owner_name, "status", a->status, "due_label", due,
                          "cohort_description", a->cohort_description);
    json_object_set_new(o, "status_label", json_label(&action_statuses, a->status));
    json_object_set_new(o, "owner_service_id", json_opt_id(a->owner_service_id));
    json_object_set_new(o, "owner_practitioner_id", json_opt_id(a->owner_practitioner_id));
    json_object_set_new(o, "due_on", json_opt_str(a->due_on));
    json_object_set_new(o, "overdue", json_boolean(!a->voided_at && svc_action_is_overdue(c, a->status, a->due_on)));
    json_object_set_new(o, "not_done_reason", json_string(a->not_done_reason));
    json_object_set_new(o, "outcome", json_string(a->outcome));
    json_object_set_new(o, "closed_on", json_opt_str(a->closed_on));
    json_object_set_new(o, "meeting_id", json_integer((json_int_t)a->meeting_id));
    json_object_set_new(o, "meeting_date", json_string(a->meeting_date));
    json_object_set_new(o, "team_name", json_string(a->team_name));
    json_object_set_new(o, "open", json_boolean(!strcmp(a->status, "open")));
    json_object_set_new(o, "voided", json_boolean(a->voided_at > 0));
    json_object_set_new(o, "void_reason", a->voided_at ? json_string(a->void_reason) : json_null());
    return o;
}

/* ---- adding a cohort to an agenda ---- */

static void school_opt(void *arg, const struct team_school *r)
{
    fld_choice_add(arg, r->id, r->name);
}

static void render_cohort_new(struct req *rq, struct resp *rs, struct svc_ctx *c, int status,
                              const struct cohort_form *f, const struct field_errors *e)
{
    struct meeting_brief m;
    struct running_view v;
    enum svc_status st = svc_running_get(c, rq->id, &v);
    if (st == SVC_OK && !v.may_edit)
        st = SVC_FORBIDDEN;
    if (st == SVC_OK)
        m = v.meeting;
    svc_running_free(&v);
    if (view_failed(rq, rs, st))
        return;
    json_t *ctx = view_page(rq, "Add a year group or cohort to the agenda", "meetings");
    char back[64], action[64], date[32];
    snprintf(back, sizeof back, "/meetings/%lld/agenda", (long long)m.id);
    snprintf(action, sizeof action, "/meetings/%lld/cohorts", (long long)m.id);
    date_label(m.meeting_date, date, sizeof date);
    view_breadcrumbs(ctx, "/", "Home", "/meetings", "Meetings", back, "Agenda", NULL);
    json_t *mj = json_meeting_brief(&m);
    json_object_set_new(mj, "date_label", json_string(date));
    json_object_set_new(ctx, "meeting", mj);
    json_object_set_new(ctx, "form_action", json_string(action));
    json_object_set_new(ctx, "cancel_href", json_string(back));
    view_set_errors(ctx, e);
    json_t *fields = json_object();
    json_object_set_new(fields, "description", fld_input("description", "Year group or cohort discussed",
                                                         f->description, e, NO_CHILD_HINT));
    json_object_set_new(fields, "year_group", fld_select_codes("year_group", "Year group (optional)", f->year_group,
                                                               e, &codes_nc_year, "Several or all year groups"));
    struct fld_choice so = {fld_select_blank("school_id", "School (optional)", e, NULL, "All the team's schools",
                                              f->school_id), f->school_id};
    struct team_row *t = req_alloc(rq, sizeof *t);
    if (t && svc_team_get(c, m.team_id, t) == SVC_OK)
        (void)svc_team_schools(c, t, school_opt, &so);
    json_object_set_new(fields, "school_id", so.field);
    json_object_set_new(ctx, "fields", fields);
    view_render(rq, rs, status, "cohort_new", ctx);
}

static void h_cohort_new(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct cohort_form f = {0};
    render_cohort_new(rq, rs, &c, 200, &f, NULL);
}

static void h_cohort_create(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct cohort_form f = {req_param(rq, "description"), req_param(rq, "year_group"), req_param(rq, "school_id")};
    struct field_errors e = {0};
    int64_t id = 0;
    enum svc_status st = svc_cohort_create(&c, rq->id, &f, &e, &id);
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK) {
        struct cohort_row *k = req_alloc(rq, sizeof *k);
        if (!k || svc_cohort_get(&c, id, k, NULL) != SVC_OK) {
            view_svc_error(rq, rs, SVC_ERROR);
            return;
        }
        view_saved(rq, rs, 201, "cohort_discussion", json_cohort(k), "/cohort-discussions/%lld?saved=added",
                   (long long)id);
    } else if (n == SAVE_FORM) {
        render_cohort_new(rq, rs, &c, 400, &f, &e);
    }
}

/* ---- a cohort discussion ---- */

struct acts {
    const struct svc_ctx *c;
    json_t *list;
};

static void on_action(void *arg, const struct cohort_action_row *a)
{
    struct acts *x = arg;
    json_array_append_new(x->list, json_cohort_action(x->c, a));
}

static void render_cohort(struct req *rq, struct resp *rs, struct svc_ctx *c, int status, const char *minutes,
                          const struct field_errors *e)
{
    struct cohort_row *k = req_alloc(rq, sizeof *k);
    bool may = false;
    enum svc_status st = k ? svc_cohort_get(c, rq->id, k, &may) : SVC_ERROR;
    if (view_failed(rq, rs, st))
        return;
    struct acts x = {c, json_array()};
    if ((st = svc_cohort_actions(c, rq->id, on_action, &x)) != SVC_OK) {
        json_decref(x.list);
        view_svc_error(rq, rs, st);
        return;
    }
    json_t *kj = json_cohort(k);
    if (rq->api) {
        view_json(rs, status, json_pack("{s:o, s:o, s:b}", "cohort_discussion", kj, "actions", x.list, "can_edit", may));
        return;
    }
    char title[300], date[32], back[64];
    snprintf(title, sizeof title, "Cohort: %s", k->description);
    date_label(k->meeting_date, date, sizeof date);
    json_t *ctx = view_page(rq, title, "meetings");
    snprintf(back, sizeof back, "/meetings/%lld/agenda", (long long)k->meeting_id);
    view_breadcrumbs(ctx, "/", "Home", "/meetings", "Meetings", back, "Agenda", NULL);
    json_object_set_new(kj, "meeting_date_label", json_string(date));
    json_object_set_new(ctx, "cohort", kj);
    json_object_set_new(ctx, "actions", x.list);
    json_object_set_new(ctx, "back_href", json_string(back));
    bool editable = may && !k->voided_at;
    json_object_set_new(ctx, "can_edit", json_boolean(editable));
    json_object_set_new(ctx, "held", json_boolean(!strcmp(k->meeting_status, "held")));
    if (editable) {
        json_t *mins = fld_textarea("minutes", "What was discussed and agreed", minutes ? minutes : k->minutes, e,
                                    NO_CHILD_HINT);
        json_object_set_new(mins, "rows", json_integer(8));
        json_object_set_new(ctx, "minutes_field", mins);
    }
    view_set_errors(ctx, e);
    static const struct view_note saved[] = {
        {"added", "Year group or cohort added to the agenda"}, {"minutes", "Minutes saved"},
        {"action", "Action added"}, {"voided", "Voided: it is kept, marked as entered by mistake"}, {NULL, NULL},
    };
    view_flash(ctx, view_note(rq, "saved", saved));
    view_render(rq, rs, status, "cohort_view", ctx);
}

static void h_cohort_view(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    render_cohort(rq, rs, &c, 200, NULL, NULL);
}

static void h_cohort_minutes(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct field_errors e = {0};
    const char *minutes = req_param(rq, "minutes");
    enum svc_status st = svc_cohort_minutes(&c, rq->id, minutes, &e);
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK && rq->api) {
        render_cohort(rq, rs, &c, 200, NULL, &e);
    } else if (n == SAVE_OK) {
        char loc[80];
        snprintf(loc, sizeof loc, "/cohort-discussions/%lld?saved=minutes", (long long)rq->id);
        resp_redirect(rs, loc);
    } else if (n == SAVE_FORM) {
        render_cohort(rq, rs, &c, 400, minutes, &e);
    }
}

/* ---- voiding (a cohort discussion or one of its actions) ---- */

static void render_void(struct req *rq, struct resp *rs, struct svc_ctx *c, int status, bool action,
                        const char *reason, const struct field_errors *e)
{
    json_t *rec = NULL;
    bool may = false, voided = false;
    enum svc_status st;
    if (action) {
        struct cohort_action_row *a = req_alloc(rq, sizeof *a);
        st = a ? svc_cohort_action_get(c, rq->id, a, NULL) : SVC_ERROR;
        if (st == SVC_OK) {
            /* Voiding is for those who may change the agenda. */
            struct cohort_row *k = req_alloc(rq, sizeof *k);
            st = k ? svc_cohort_get(c, a->cohort_id, k, &may) : SVC_ERROR;
            voided = a->voided_at > 0;
            rec = json_cohort_action(c, a);
        }
    } else {
        struct cohort_row *k = req_alloc(rq, sizeof *k);
        st = k ? svc_cohort_get(c, rq->id, k, &may) : SVC_ERROR;
        if (st == SVC_OK) {
            voided = k->voided_at > 0;
            rec = json_cohort(k);
        }
    }
    if (st == SVC_OK && !may)
        st = SVC_FORBIDDEN;
    if (st == SVC_OK && voided && !(e && e->count))
        st = SVC_CONFLICT;
    if (view_failed_drop(rq, rs, st, rec))
        return;
    const char *noun = action ? "action" : "cohort discussion";
    char title[64], back[64];
    snprintf(title, sizeof title, "Void this %s", noun);
    json_t *ctx = view_page(rq, title, "meetings");
    snprintf(back, sizeof back, "/%s/%lld", action ? "cohort-actions" : "cohort-discussions", (long long)rq->id);
    view_void_form(rq, rs, status, ctx, rec, noun, back, reason,
                   "For example, added to the wrong meeting, or entered twice", e);
}

static void void_save(struct req *rq, struct resp *rs, bool action)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct field_errors e = {0};
    const char *reason = req_param(rq, "void_reason");
    enum svc_status st = action ? svc_cohort_action_void(&c, rq->id, reason, &e)
                                : svc_cohort_void(&c, rq->id, reason, &e);
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK) {
        json_t *rec = NULL;
        int64_t back = rq->id;
        if (action) {
            struct cohort_action_row *a = req_alloc(rq, sizeof *a);
            if (a && svc_cohort_action_get(&c, rq->id, a, NULL) == SVC_OK) {
                rec = json_cohort_action(&c, a);
                back = a->cohort_id;
            }
        } else {
            struct cohort_row *k = req_alloc(rq, sizeof *k);
            if (k && svc_cohort_get(&c, rq->id, k, NULL) == SVC_OK)
                rec = json_cohort(k);
        }
        if (!rec) {
            view_svc_error(rq, rs, SVC_ERROR);
            return;
        }
        view_saved(rq, rs, 200, action ? "cohort_action" : "cohort_discussion", rec,
                   "/cohort-discussions/%lld?saved=voided", (long long)back);
    } else if (n == SAVE_FORM) {
        render_void(rq, rs, &c, 400, action, reason ? reason : "", &e);
    }
}

static void h_cohort_void_form(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    render_void(rq, rs, &c, 200, false, "", NULL);
}
static void h_cohort_void(struct req *rq, struct resp *rs) { void_save(rq, rs, false); }
static void h_caction_void_form(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    render_void(rq, rs, &c, 200, true, "", NULL);
}
static void h_caction_void(struct req *rq, struct resp *rs) { void_save(rq, rs, true); }

/* ---- cohort actions ---- */

struct owner_opts {
    struct fld_choice svc, prac;
};

static void svc_opt(void *arg, const struct service_row *r)
{
    fld_choice_add(&((struct owner_opts *)arg)->svc, r->id, r->name);
}

static void prac_opt(void *arg, const struct practitioner_row *r)
{
    char label[300];
    snprintf(label, sizeof label, "%s (%s)", r->name, r->service_name);
    fld_choice_add(&((struct owner_opts *)arg)->prac, r->id, label);
}

/* The form to add an action to cohort discussion cohort_id, or (action_id
 * not 0) to change that action. */
static void render_action_form(struct req *rq, struct resp *rs, struct svc_ctx *c, int status, int64_t cohort_id,
                               int64_t action_id, const struct cohort_action_form *f, const struct field_errors *e)
{
    struct cohort_row *k = req_alloc(rq, sizeof *k);
    bool may = false;
    enum svc_status st = k ? svc_cohort_get(c, cohort_id, k, &may) : SVC_ERROR;
    if (st == SVC_OK && !may)
        st = SVC_FORBIDDEN;
    if (view_failed(rq, rs, st))
        return;
    json_t *ctx = view_page(rq, action_id ? "Change the cohort action" : "Add an action for the cohort", "meetings");
    char back[64], action[80];
    snprintf(back, sizeof back, "/cohort-discussions/%lld", (long long)k->id);
    if (action_id) {
        snprintf(action, sizeof action, "/cohort-actions/%lld/edit", (long long)action_id);
        char here[64];
        snprintf(here, sizeof here, "/cohort-actions/%lld", (long long)action_id);
        view_breadcrumbs(ctx, "/", "Home", "/meetings", "Meetings", back, "Cohort discussion", here, "Cohort action",
                         NULL);
        json_object_set_new(ctx, "cancel_href", json_string(here));
        json_object_set_new(ctx, "editing", json_true());
    } else {
        snprintf(action, sizeof action, "/cohort-discussions/%lld/actions", (long long)k->id);
        view_breadcrumbs(ctx, "/", "Home", "/meetings", "Meetings", back, "Cohort discussion", NULL);
        json_object_set_new(ctx, "cancel_href", json_string(back));
    }
    json_object_set_new(ctx, "cohort", json_cohort(k));
    json_object_set_new(ctx, "form_action", json_string(action));
    view_set_errors(ctx, e);
    json_t *fields = json_object();
    json_object_set_new(fields, "description", fld_textarea("description", "What will be done", f->description, e,
                                                            NO_CHILD_HINT));
    struct owner_opts o = {
        {fld_select_blank("owner_service_id", "Service responsible", e, NULL, "Select a service", f->owner_service_id),
         f->owner_service_id},
        {fld_select_blank("owner_practitioner_id", "Practitioner (optional)", e, NULL, "No practitioner named",
                          f->owner_practitioner_id),
         f->owner_practitioner_id}};
    (void)svc_cohort_action_choices(c, k, svc_opt, prac_opt, &o);
    json_object_set_new(fields, "owner_service_id", o.svc.field);
    json_object_set_new(fields, "owner_practitioner_id", o.prac.field);
    json_object_set_new(fields, "owner_name", fld_input("owner_name", "Person or role (optional)", f->owner_name, e,
                                                        "For example, Year 6 teacher"));
    json_object_set_new(fields, "due_on", fld_date("due_on", "Due date (optional)", f->due_day, f->due_month,
                                                   f->due_year, e, "For example, 27 3 2027"));
    json_object_set_new(ctx, "fields", fields);
    view_render(rq, rs, status, "cohort_action_form", ctx);
}

static void h_caction_new(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct cohort_action_form f = {0};
    render_action_form(rq, rs, &c, 200, rq->id, 0, &f, NULL);
}

static void read_action_form(struct req *rq, struct cohort_action_form *f)
{
    *f = (struct cohort_action_form){req_param(rq, "description"), req_param(rq, "owner_service_id"),
                                     req_param(rq, "owner_practitioner_id"), req_param(rq, "owner_name"),
                                     NULL, NULL, NULL};
    req_date_parts(rq, "due_on", "due_on", &f->due_day, &f->due_month, &f->due_year);
}

static void h_caction_create(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct cohort_action_form f;
    read_action_form(rq, &f);
    struct field_errors e = {0};
    int64_t id = 0;
    enum svc_status st = svc_cohort_action_create(&c, rq->id, &f, &e, &id);
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK) {
        struct cohort_action_row *a = req_alloc(rq, sizeof *a);
        if (!a || svc_cohort_action_get(&c, id, a, NULL) != SVC_OK) {
            view_svc_error(rq, rs, SVC_ERROR);
            return;
        }
        view_saved(rq, rs, 201, "cohort_action", json_cohort_action(&c, a), "/cohort-discussions/%lld?saved=action#%s",
                   (long long)rq->id, "actions");
    } else if (n == SAVE_FORM) {
        render_action_form(rq, rs, &c, 400, rq->id, 0, &f, &e);
    }
}

/* The action's cohort discussion, when the user may see the action. */
static int64_t caction_cohort(struct req *rq, struct resp *rs, struct svc_ctx *c, struct cohort_action_row *a)
{
    bool may = false;
    enum svc_status st = a ? svc_cohort_action_get(c, rq->id, a, &may) : SVC_ERROR;
    if (view_failed(rq, rs, st))
        return 0;
    return a->cohort_id;
}

static void h_caction_edit(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct cohort_action_row *a = req_alloc(rq, sizeof *a);
    int64_t cohort = caction_cohort(rq, rs, &c, a);
    if (!cohort)
        return;
    if (a->voided_at) {
        view_error(rq, rs, 409, "This action was voided", "It was entered by mistake, so it cannot be changed.");
        return;
    }
    char d[8] = "", m[8] = "", y[8] = "";
    int yy, mm, dd;
    if (a->due_on[0] && sscanf(a->due_on, "%4d-%2d-%2d", &yy, &mm, &dd) == 3) {
        snprintf(d, sizeof d, "%d", dd);
        snprintf(m, sizeof m, "%d", mm);
        snprintf(y, sizeof y, "%d", yy);
    }
    struct cohort_action_form f = {a->description, req_id_text(rq, a->owner_service_id),
                                   req_id_text(rq, a->owner_practitioner_id), a->owner_name,
                                   req_keep(rq, d), req_keep(rq, m), req_keep(rq, y)};
    render_action_form(rq, rs, &c, 200, cohort, rq->id, &f, NULL);
}

static void h_caction_update(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct cohort_action_form f;
    read_action_form(rq, &f);
    struct field_errors e = {0};
    enum svc_status st = svc_cohort_action_update(&c, rq->id, &f, &e);
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK) {
        struct cohort_action_row *a = req_alloc(rq, sizeof *a);
        if (!a || svc_cohort_action_get(&c, rq->id, a, NULL) != SVC_OK) {
            view_svc_error(rq, rs, SVC_ERROR);
            return;
        }
        view_saved(rq, rs, 200, "cohort_action", json_cohort_action(&c, a), "/cohort-actions/%lld?saved=%s",
                   (long long)rq->id, "changed");
    } else if (n == SAVE_FORM) {
        struct cohort_action_row *a = req_alloc(rq, sizeof *a);
        int64_t cohort = caction_cohort(rq, rs, &c, a);
        if (cohort)
            render_action_form(rq, rs, &c, 400, cohort, rq->id, &f, &e);
    }
}

static void render_caction(struct req *rq, struct resp *rs, struct svc_ctx *c, int status, const char *status_in,
                           const char *reason, const char *outcome, const struct field_errors *e)
{
    struct cohort_action_row *a = req_alloc(rq, sizeof *a);
    bool may = false;
    if (view_failed(rq, rs, a ? svc_cohort_action_get(c, rq->id, a, &may) : SVC_ERROR))
        return;
    json_t *aj = json_cohort_action(c, a);
    if (rq->api) {
        view_json(rs, status, json_pack("{s:o, s:b}", "cohort_action", aj, "can_edit", may));
        return;
    }
    struct cohort_row *k = req_alloc(rq, sizeof *k);
    bool editor = false;
    if (!k || svc_cohort_get(c, a->cohort_id, k, &editor) != SVC_OK) {
        json_decref(aj);
        view_svc_error(rq, rs, SVC_ERROR);
        return;
    }
    json_t *ctx = view_page(rq, "Cohort action", "meetings");
    char back[64];
    snprintf(back, sizeof back, "/cohort-discussions/%lld", (long long)a->cohort_id);
    view_breadcrumbs(ctx, "/", "Home", "/meetings", "Meetings", back, "Cohort discussion", NULL);
    json_object_set_new(ctx, "action", aj);
    json_object_set_new(ctx, "cohort", json_cohort(k));
    json_object_set_new(ctx, "back_href", json_string(back));
    json_object_set_new(ctx, "can_edit", json_boolean(may && !a->voided_at));
    json_object_set_new(ctx, "can_void", json_boolean(editor && !a->voided_at));
    json_object_set_new(ctx, "can_change", json_boolean(editor && !a->voided_at && !k->voided_at));
    if (may && !a->voided_at) {
        json_t *fields = json_object();
        json_object_set_new(fields, "status", fld_radios_codes("status", "Status", status_in ? status_in : a->status,
                                                               e, &action_statuses, 0));
        json_object_set_new(fields, "not_done_reason",
                            fld_input("not_done_reason", "Why was it not done?",
                                      reason ? reason : a->not_done_reason, e, "Needed when it was not done"));
        json_object_set_new(fields, "outcome", fld_textarea("outcome", "What happened (optional)",
                                                            outcome ? outcome : a->outcome, e, NO_CHILD_HINT));
        json_object_set_new(ctx, "fields", fields);
    }
    view_set_errors(ctx, e);
    static const struct view_note saved[] = {{"status", "Status saved"}, {"changed", "Action changed"}, {NULL, NULL}};
    view_flash(ctx, view_note(rq, "saved", saved));
    view_render(rq, rs, status, "cohort_action_view", ctx);
}

static void h_caction_view(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    render_caction(rq, rs, &c, 200, NULL, NULL, NULL, NULL);
}

static void h_caction_status(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct field_errors e = {0};
    const char *status = req_param(rq, "status"), *reason = req_param(rq, "not_done_reason"),
               *outcome = req_param(rq, "outcome");
    enum svc_status st = svc_cohort_action_status(&c, rq->id, status, reason, outcome, &e);
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK && rq->api) {
        render_caction(rq, rs, &c, 200, NULL, NULL, NULL, NULL);
    } else if (n == SAVE_OK) {
        char loc[80];
        snprintf(loc, sizeof loc, "/cohort-actions/%lld?saved=status", (long long)rq->id);
        resp_redirect(rs, loc);
    } else if (n == SAVE_FORM) {
        render_caction(rq, rs, &c, 400, status, reason, outcome, &e);
    }
}

/* ---- work lists ---- */

static void on_work(void *arg, const struct cohort_action_row *a)
{
    struct acts *x = arg;
    json_array_append_new(x->list, json_cohort_action(x->c, a));
}

bool cohort_work_json(struct req *rq, struct svc_ctx *c, json_t *out)
{
    (void)rq;
    struct acts x = {c, json_array()};
    if (svc_cohort_work(c, on_work, &x) != SVC_OK) {
        json_decref(x.list);
        return false;
    }
    size_t n = json_array_size(x.list);
    json_object_set_new(out, "cohort_actions", json_pack("{s:I, s:o}", "count", (json_int_t)n, "items", x.list));
    return n > 0;
}

static const struct route routes[] = {
    {"GET", "/meetings/:id/cohorts/new", h_cohort_new, 0},
    {"POST", "/meetings/:id/cohorts", h_cohort_create, 0},
    {"GET", "/cohort-discussions/:id", h_cohort_view, 0},
    {"POST", "/cohort-discussions/:id", h_cohort_minutes, 0},
    {"GET", "/cohort-discussions/:id/void", h_cohort_void_form, 0},
    {"POST", "/cohort-discussions/:id/void", h_cohort_void, 0},
    {"GET", "/cohort-discussions/:id/actions/new", h_caction_new, 0},
    {"POST", "/cohort-discussions/:id/actions", h_caction_create, 0},
    {"GET", "/cohort-actions/:id", h_caction_view, 0},
    {"POST", "/cohort-actions/:id/status", h_caction_status, 0},
    {"GET", "/cohort-actions/:id/edit", h_caction_edit, 0},
    {"POST", "/cohort-actions/:id/edit", h_caction_update, 0},
    {"GET", "/cohort-actions/:id/void", h_caction_void_form, 0},
    {"POST", "/cohort-actions/:id/void", h_caction_void, 0},
    {"POST", "/api/v1/meetings/:id/cohorts", h_cohort_create, 0},
    {"GET", "/api/v1/cohort-discussions/:id", h_cohort_view, 0},
    {"PUT", "/api/v1/cohort-discussions/:id", h_cohort_minutes, 0},
    {"POST", "/api/v1/cohort-discussions/:id/void", h_cohort_void, 0},
    {"POST", "/api/v1/cohort-discussions/:id/actions", h_caction_create, 0},
    {"GET", "/api/v1/cohort-actions/:id", h_caction_view, 0},
    {"PUT", "/api/v1/cohort-actions/:id/status", h_caction_status, 0},
    {"PUT", "/api/v1/cohort-actions/:id", h_caction_update, 0},
    {"POST", "/api/v1/cohort-actions/:id/void", h_caction_void, 0},
};

ROUTE_TABLE(cohorts_table, routes);
