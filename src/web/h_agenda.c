/* A meeting's agenda and minutes: reviews of cases already discussed
 * first, then new cases; minutes per case; feedback to the family.  Data
 * comes from service/svc_agenda.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"

#include "service/svc_agenda.h"
#include "web/form.h"
#include "web/listing.h"
#include "web/records_json.h"
#include "web/router.h"
#include "web/running.h"
#include "web/view.h"

struct cand_list {
    json_t *field;
};

static void add_candidate(void *arg, const struct agenda_candidate *a)
{
    struct cand_list *cl = arg;
    char label[300], when[32] = "";
    if (a->discussed_before)
        date_label(a->last_discussed, when, sizeof when);
    if (a->discussed_before)
        snprintf(label, sizeof label, "%s (review: last discussed %s, %lld open action%s)", a->pupil_name,
                 when, (long long)a->open_actions, a->open_actions == 1 ? "" : "s");
    else
        snprintf(label, sizeof label, "%s (new)", a->pupil_name);
    fld_add_id_option(cl->field, a->case_id, label, NULL);
}

static void render_agenda(struct req *rq, struct resp *rs, int status, struct svc_ctx *c, int64_t meeting_id,
                          const struct field_errors *e, const char *flash)
{
    struct agenda_view av;
    if (view_failed(rq, rs, svc_agenda_get(c, meeting_id, &av)))
        return;
    json_t *reviews = json_array(), *fresh = json_array(), *all = json_array();
    for (size_t i = 0; i < av.n; i++) {
        json_t *item = json_agenda_item(&av.rows[i]);
        /* The item's number in the running order; a voided one has none. */
        json_object_set_new(item, "number", av.number[i] ? json_integer(av.number[i]) : json_null());
        json_array_append(strcmp(av.rows[i].kind, "review") == 0 ? reviews : fresh, item);
        json_array_append_new(all, item);
    }
    if (rq->api) {
        json_decref(reviews);
        json_decref(fresh);
        json_t *o = json_pack("{s:o, s:o, s:I}", "meeting", json_meeting_brief(&av.meeting), "items", all,
                              "hidden", (json_int_t)av.hidden);
        running_order_json(rq, c, meeting_id, o);
        view_json(rs, status, o);
        svc_agenda_free(&av);
        return;
    }
    json_decref(all);
    char title[240];
    char when[32];
    date_label(av.meeting.meeting_date, when, sizeof when);
    snprintf(title, sizeof title, "Agenda: %s, %s", av.meeting.team_name, when);
    json_t *ctx = view_page(rq, title, "meetings");
    char back[64];
    snprintf(back, sizeof back, "/meetings/%lld", (long long)meeting_id);
    view_breadcrumbs(ctx, "/", "Home", "/meetings", "Meetings", back, "Meeting", NULL);
    json_object_set_new(ctx, "meeting", json_meeting_brief(&av.meeting));
    json_object_set_new(ctx, "reviews", reviews);
    json_object_set_new(ctx, "new_cases", fresh);
    json_object_set_new(ctx, "hidden", json_integer((json_int_t)av.hidden));
    running_order_json(rq, c, meeting_id, ctx);
    bool can_add = strcmp(av.meeting.status, "cancelled") != 0 &&
                   (svc_allowed(c, ACT_EDIT, RES_CASE, 0, av.meeting.authority_id, 0) ||
                    svc_allowed(c, ACT_CREATE, RES_CASE, 0, av.meeting.authority_id, av.meeting.host_school_id));
    svc_agenda_free(&av);
    if (can_add) {
        json_t *f = fld_input("case_id", "Add a case to the agenda", NULL, e,
                              "Open cases of this team that are not on the agenda yet");
        json_object_del(f, "value");
        fld_add_option(f, "", "Select case", "");
        struct cand_list cl = {f};
        (void)svc_agenda_candidates(c, meeting_id, add_candidate, &cl);
        json_object_set_new(ctx, "add_field", f);
        json_object_set_new(ctx, "can_add", json_true());
    }
    view_set_errors(ctx, e);
    view_flash(ctx, flash);
    view_render(rq, rs, status, "meeting_agenda", ctx);
}

static void h_agenda(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    const char *sv = req_query(rq, "saved");
    const char *flash = running_flash(sv);
    render_agenda(rq, rs, 200, &c, rq->id, NULL, flash ? flash : sv ? (strcmp(sv, "reviews") == 0 ? "Cases due for review added"
                                                       : strcmp(sv, "removed") == 0 ? "Taken off the agenda"
                                                       : "Added to the agenda") : NULL);
}

static void h_agenda_add(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct field_errors e = {0};
    int64_t did = 0;
    enum svc_status st = svc_agenda_add(&c, rq->id, parse_id(req_param(rq, "case_id")), &e, &did);
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK && rq->api) {
        render_agenda(rq, rs, 201, &c, rq->id, NULL, NULL);
    } else if (n == SAVE_OK) {
        char loc[64];
        snprintf(loc, sizeof loc, "/meetings/%lld/agenda?saved=added", (long long)rq->id);
        resp_redirect(rs, loc);
    } else if (n == SAVE_FORM) {
        render_agenda(rq, rs, 400, &c, rq->id, &e, NULL);
    }
}

static void h_agenda_reviews(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    int added = 0, skipped = 0;
    enum svc_status st = svc_agenda_add_reviews(&c, rq->id, &added, &skipped);
    if (st != SVC_OK) {
        view_svc_error(rq, rs, st);
    } else if (rq->api) {
        view_json(rs, 200, json_pack("{s:i, s:i}", "added", added, "skipped_without_consent", skipped));
    } else {
        char loc[64];
        snprintf(loc, sizeof loc, "/meetings/%lld/agenda?saved=reviews", (long long)rq->id);
        resp_redirect(rs, loc);
    }
}

static void render_discussion(struct req *rq, struct resp *rs, int status, const struct agenda_row *r,
                              const struct meeting_brief *m, const struct discussion_form *f,
                              const struct field_errors *e)
{
    if (rq->api) {
        view_json(rs, status, json_pack("{s:o, s:o}", "discussion", json_agenda_item(r), "meeting", json_meeting_brief(m)));
        return;
    }
    char title[300];
    snprintf(title, sizeof title, "Minutes: %s", r->pupil_name);
    json_t *ctx = view_page(rq, title, "meetings");
    char back[64];
    snprintf(back, sizeof back, "/meetings/%lld/agenda", (long long)r->meeting_id);
    view_breadcrumbs(ctx, "/", "Home", "/meetings", "Meetings", back, "Agenda", NULL);
    json_object_set_new(ctx, "item", json_agenda_item(r));
    json_object_set_new(ctx, "meeting", json_meeting_brief(m));
    json_object_set_new(ctx, "cancel_href", json_string(back));
    view_set_errors(ctx, e);
    discussion_actions_json(rq, r, ctx);
    json_t *fields = json_object();
    json_t *mins = fld_input("minutes", "What was discussed and agreed", f->minutes, e,
                             "Write for the family and the services: plain words, no abbreviations");
    json_object_del(mins, "type");
    json_object_set_new(mins, "rows", json_integer(8));
    json_object_set_new(fields, "minutes", mins);
    json_object_set_new(fields, "feedback_on", fld_date("feedback_on", "Date the family was told", f->fb_day,
                                                        f->fb_month, f->fb_year, e, "Leave empty until it happens"));
    json_t *meth = fld_select_codes("feedback_method", "How the family was told", f->fb_method, e,
                                    &codes_feedback_method, "Select");
    json_object_set_new(fields, "feedback_method", meth);
    json_object_set_new(fields, "feedback_by", fld_input("feedback_by", "Who told the family", f->fb_by, e,
                                                         "For example, the school SENCO"));
    json_object_set_new(fields, "parent_said", fld_textarea("parent_said", "What the parent or carer said (optional)",
                                                            f->parent_said, e,
                                                            "Their views on what was agreed, in their words where you can"));
    json_object_set_new(fields, "child_said", fld_textarea("child_said", "What the child said (optional)",
                                                           f->child_said, e,
                                                           "Their views, in their words where you can"));
    json_object_set_new(ctx, "fields", fields);
    view_render(rq, rs, status, "discussion_form", ctx);
}

static void form_from_row(struct req *rq, const struct agenda_row *r, struct discussion_form *f)
{
    memset(f, 0, sizeof *f);
    f->minutes = req_keep(rq, r->minutes);
    if (r->feedback_on[0]) {
        char b[8];
        snprintf(b, sizeof b, "%.4s", r->feedback_on);
        f->fb_year = req_keep(rq, b);
        snprintf(b, sizeof b, "%d", atoi(r->feedback_on + 5));
        f->fb_month = req_keep(rq, b);
        snprintf(b, sizeof b, "%d", atoi(r->feedback_on + 8));
        f->fb_day = req_keep(rq, b);
    }
    f->fb_method = req_keep(rq, r->feedback_method);
    f->fb_by = req_keep(rq, r->feedback_by);
    f->parent_said = req_keep(rq, r->parent_said);
    f->child_said = req_keep(rq, r->child_said);
}

static void h_discussion(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct agenda_row *r = req_alloc(rq, sizeof *r);
    struct meeting_brief m;
    enum svc_status st = r ? svc_discussion_get(&c, rq->id, r, &m) : SVC_ERROR;
    if (st != SVC_OK) {
        view_svc_error(rq, rs, st);
    } else {
        struct discussion_form f;
        form_from_row(rq, r, &f);
        render_discussion(rq, rs, 200, r, &m, &f, NULL);
    }
}

static void h_discussion_save(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct discussion_form f = {0};
    f.minutes = req_param(rq, "minutes");
    req_date_parts(rq, "feedback_on", "feedback_on", &f.fb_day, &f.fb_month, &f.fb_year);
    f.fb_method = req_param(rq, "feedback_method");
    f.fb_by = req_param(rq, "feedback_by");
    f.parent_said = req_param(rq, "parent_said");
    f.child_said = req_param(rq, "child_said");
    struct field_errors e = {0};
    enum svc_status st = svc_discussion_save(&c, rq->id, &f, &e);
    struct agenda_row *r = req_alloc(rq, sizeof *r);
    struct meeting_brief m;
    if (!r) {
        view_svc_error(rq, rs, SVC_ERROR);
        return;
    }
    if ((st == SVC_OK || st == SVC_INVALID) && svc_discussion_get(&c, rq->id, r, &m) != SVC_OK)
        st = SVC_ERROR;
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK && rq->api) {
        render_discussion(rq, rs, 200, r, &m, &f, &e);
    } else if (n == SAVE_OK) {
        char loc[64];
        snprintf(loc, sizeof loc, "/meetings/%lld/agenda?saved=minutes", (long long)r->meeting_id);
        resp_redirect(rs, loc);
    } else if (n == SAVE_FORM) {
        render_discussion(rq, rs, 400, r, &m, &f, &e);
    }
}

static void h_discussion_remove(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct agenda_row *r = req_alloc(rq, sizeof *r);
    struct meeting_brief m;
    if (!r) {
        view_svc_error(rq, rs, SVC_ERROR);
        return;
    }
    enum svc_status st = svc_discussion_get(&c, rq->id, r, &m);
    int64_t meeting = r->meeting_id;
    struct field_errors e = {0};
    if (st == SVC_OK)
        st = svc_discussion_remove(&c, rq->id, &e);
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK && rq->api) {
        view_json(rs, 200, json_pack("{s:b}", "removed", 1));
    } else if (n == SAVE_OK) {
        char loc[64];
        snprintf(loc, sizeof loc, "/meetings/%lld/agenda?saved=removed", (long long)meeting);
        resp_redirect(rs, loc);
    } else if (n == SAVE_FORM) {
        render_agenda(rq, rs, 400, &c, meeting, &e, NULL);
    }
}

static const struct route routes[] = {
    {"GET", "/meetings/:id/agenda", h_agenda, 0},
    {"POST", "/meetings/:id/agenda", h_agenda_add, 0},
    {"POST", "/meetings/:id/agenda/reviews", h_agenda_reviews, 0},
    {"GET", "/discussions/:id", h_discussion, 0},
    {"POST", "/discussions/:id", h_discussion_save, 0},
    {"POST", "/discussions/:id/remove", h_discussion_remove, 0},
    {"GET", "/api/v1/meetings/:id/agenda", h_agenda, 0},
    {"POST", "/api/v1/meetings/:id/agenda", h_agenda_add, 0},
    {"POST", "/api/v1/meetings/:id/agenda/reviews", h_agenda_reviews, 0},
    {"GET", "/api/v1/discussions/:id", h_discussion, 0},
    {"PUT", "/api/v1/discussions/:id", h_discussion_save, 0},
    {"POST", "/api/v1/discussions/:id/remove", h_discussion_remove, 0},
};

ROUTE_TABLE(agenda_table, routes);
