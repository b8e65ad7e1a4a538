/* A meeting's running order (move items up and down, minutes per item,
 * slot times from the start), its location, and the printable agenda pack
 * and minutes-and-actions pack (issue 10, item 6).  The packs show only
 * what the agenda page shows the same person: items about pupils they may
 * not see (svc_allowed on each case, which reads the family's consent) are
 * counted, never named.  Data: service/svc_cohorts.c, svc_agenda.c,
 * svc_actions.c, svc_meetings.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "lib/count.h"
#include "core/codes.h"
#include "service/svc_actions.h"
#include "service/svc_agenda.h"
#include "service/svc_cohorts.h"
#include "service/svc_meetings.h"
#include "web/form.h"
#include "web/listing.h"
#include "web/records_json.h"
#include "web/router.h"
#include "web/running.h"
#include "web/view.h"

static const char *kind_label(enum agenda_kind k)
{
    return k == AGENDA_REVIEW ? "Review" : k == AGENDA_NEW ? "New case" : "Year group or cohort";
}

static json_t *running_item_json(const struct running_item *ri, size_t i, size_t n)
{
    char item[32];
    snprintf(item, sizeof item, "%c-%lld", ri->kind == AGENDA_COHORT ? 'c' : 'd', (long long)ri->id);
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:I, s:b, s:s, s:s, s:i, s:b, s:b, s:b}", "number",
                          (json_int_t)i + 1, "item", item, "kind",
                          ri->kind == AGENDA_REVIEW ? "review" : ri->kind == AGENDA_NEW ? "new" : "cohort",
                          "kind_label", kind_label(ri->kind), "id", (json_int_t)ri->id, "visible", ri->visible,
                          "start", ri->start, "end", ri->end, "minutes", ri->minutes, "minutes_set",
                          ri->minutes_set, "first", i == 0, "last", i + 1 == n);
    char href[64];
    if (ri->disc) {
        json_object_set_new(o, "label", json_string(ri->disc->pupil_name));
        json_object_set_new(o, "case_id", json_integer((json_int_t)ri->disc->case_id));
        snprintf(href, sizeof href, "/discussions/%lld", (long long)ri->id);
        json_object_set_new(o, "href", json_string(href));
    } else if (ri->cohort) {
        json_object_set_new(o, "label", json_string(ri->cohort->description));
        snprintf(href, sizeof href, "/cohort-discussions/%lld", (long long)ri->id);
        json_object_set_new(o, "href", json_string(href));
        json_object_set_new(o, "cohort", json_true());
    } else {
        json_object_set_new(o, "label", json_string("A pupil you do not have access to"));
    }
    return o;
}

void running_order_json(struct req *rq, struct svc_ctx *c, int64_t meeting_id, json_t *ctx)
{
    struct running_view v;
    if (svc_running_get(c, meeting_id, &v) != SVC_OK)
        return;
    json_t *items = json_array();
    for (size_t i = 0; i < v.n; i++) {
        json_t *o = running_item_json(&v.items[i], i, v.n);
        if (!rq->api && v.may_edit) {
            char label[80];
            snprintf(label, sizeof label, "Minutes for item %zu", i + 1);
            char value[8];
            snprintf(value, sizeof value, "%d", v.items[i].minutes);
            json_t *f = fld_input("minutes", label, value, NULL, NULL);
            char id[48];
            snprintf(id, sizeof id, "f-minutes-%zu", i + 1);
            fld_set(f, "id", id);
            fld_number(f, "govuk-input--width-3", "numeric");
            fld_set(f, "label_class", "govuk-visually-hidden");
            json_object_set_new(o, "minutes_field", f);
        }
        json_array_append_new(items, o);
    }
    json_object_set_new(ctx, "running_order", items);
    json_object_set_new(ctx, "agenda_ends", v.end[0] ? json_string(v.end) : json_null());
    json_object_set_new(ctx, "location", json_string(v.location));
    json_object_set_new(ctx, "can_order", json_boolean(v.may_edit));
    svc_running_free(&v);
}

const char *running_flash(const char *saved)
{
    static const struct { const char *code, *text; } texts[] = {
        {"moved", "Running order changed"},
        {"times", "Time for the item saved"},
        {"cohort", "Year group or cohort added to the agenda"},
    };
    for (size_t i = 0; saved && i < COUNT(texts); i++)
        if (!strcmp(saved, texts[i].code))
            return texts[i].text;
    return NULL;
}

struct agreed {
    const struct svc_ctx *c;
    int64_t discussion_id;
    json_t *list;
    bool open_only;   /* the agenda pack: what is still to do */
};

static void on_agreed(void *arg, const struct action_row *a)
{
    struct agreed *ag = arg;
    if (a->voided_at)
        return;
    if (ag->discussion_id && a->discussion_id != ag->discussion_id)
        return;
    if (ag->open_only && strcmp(a->status, "open") != 0)
        return;
    json_t *o = json_action(ag->c, a);
    char due[32] = "";
    if (a->due_on[0])
        date_label(a->due_on, due, sizeof due);
    json_object_set_new(o, "due_label", json_string(due));
    json_array_append_new(ag->list, o);
}

void discussion_actions_json(struct req *rq, const struct agenda_row *r, json_t *ctx)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct agreed ag = {&c, r->id, json_array(), false};
    if (svc_action_list(&c, r->case_id, NULL, on_agreed, &ag) != SVC_OK) {
        json_decref(ag.list);
        return;
    }
    json_object_set_new(ctx, "agreed_actions", ag.list);
    if (!r->voided_at && !strcmp(r->case_status, "open") &&
        svc_allowed(&c, ACT_CREATE, RES_CASE, r->case_id, r->authority_id, r->school_id)) {
        char href[96];
        snprintf(href, sizeof href, "/cases/%lld/actions/new?discussion_id=%lld", (long long)r->case_id,
                 (long long)r->id);
        json_object_set_new(ctx, "add_action_href", json_string(href));
    }
    static const struct view_note saved[] = {{"action", "Action added: it was agreed at this meeting"}, {NULL, NULL}};
    view_flash(ctx, view_note(rq, "saved", saved));
}

void meeting_location_json(struct req *rq, struct svc_ctx *c, int64_t meeting_id, json_t *meeting, bool can_edit)
{
    char loc[MEETING_LOCATION_MAX];
    svc_meeting_location(c, meeting_id, loc, sizeof loc);
    json_object_set_new(meeting, "location", json_string(loc));
    if (!rq->api && can_edit)
        json_object_set_new(meeting, "location_field",
                            fld_input("location", "Where is this meeting held?", loc, NULL,
                                      "Leave as it is for the team's usual place; change it for this meeting only"));
}

/* ---- changes ---- */

static void back_to_agenda(struct req *rq, struct resp *rs, struct svc_ctx *c, enum svc_status st,
                           struct field_errors *e, const char *saved)
{
    enum save_next n = view_answer_save(rq, rs, st, e);
    if (n == SAVE_OK && rq->api) {
        json_t *o = json_object();
        running_order_json(rq, c, rq->id, o);
        view_json(rs, 200, o);
    } else if (n == SAVE_OK || n == SAVE_FORM) {
        /* A move or a time refused: the agenda again says why at the top. */
        char loc[96];
        if (n == SAVE_OK)
            snprintf(loc, sizeof loc, "/meetings/%lld/agenda?saved=%s#running-order", (long long)rq->id, saved);
        else
            snprintf(loc, sizeof loc, "/meetings/%lld/agenda", (long long)rq->id);
        if (n == SAVE_FORM) {
            const char *msg = field_errors_get(e, "minutes");
            if (!msg)
                msg = field_errors_get(e, "item");
            view_error(rq, rs, 400, "The running order was not changed", msg ? msg : "Try again from the agenda.");
            return;
        }
        resp_redirect(rs, loc);
    }
}

static void h_move(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct field_errors e = {0};
    enum svc_status st = svc_running_move(&c, rq->id, req_param(rq, "item"), req_param(rq, "dir"), &e);
    back_to_agenda(rq, rs, &c, st, &e, "moved");
}

static void h_minutes(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct field_errors e = {0};
    enum svc_status st = svc_running_minutes(&c, rq->id, req_param(rq, "item"), req_param(rq, "minutes"), &e);
    back_to_agenda(rq, rs, &c, st, &e, "times");
}

static void h_location(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct field_errors e = {0};
    enum svc_status st = svc_meeting_location_set(&c, rq->id, req_param(rq, "location"), &e);
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK && rq->api) {
        char loc[MEETING_LOCATION_MAX];
        svc_meeting_location(&c, rq->id, loc, sizeof loc);
        view_json(rs, 200, json_pack("{s:s}", "location", loc));
    } else if (n == SAVE_OK) {
        char loc[80];
        snprintf(loc, sizeof loc, "/meetings/%lld?done=location", (long long)rq->id);
        resp_redirect(rs, loc);
    } else if (n == SAVE_FORM) {
        view_error(rq, rs, 400, "The location was not saved", field_errors_get(&e, "location"));
    }
}

/* ---- the packs ---- */

struct cohort_acts {
    const struct svc_ctx *c;
    json_t *list;
    bool open_only;
};

static void on_cohort_action(void *arg, const struct cohort_action_row *a)
{
    struct cohort_acts *ca = arg;
    if (a->voided_at || (ca->open_only && strcmp(a->status, "open") != 0))
        return;
    json_array_append_new(ca->list, json_cohort_action(ca->c, a));
}

static void add_sheet(json_t *arr, const struct sheet_line *l)
{
    json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s}", "label", l->label, "person_name", l->person_name,
                                         "status", l->status, "status_label", attendance_status_label(l->status)));
}

static void add_guest(void *arr, const struct attendance_row *r)
{
    json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s}", "label", r->role, "person_name", r->person_name,
                                         "status", r->status, "status_label", attendance_status_label(r->status)));
}

/* minutes: the minutes-and-actions pack, else the agenda pack. */
static void pack(struct req *rq, struct resp *rs, bool minutes)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct running_view v;
    if (view_failed(rq, rs, svc_running_get(&c, rq->id, &v)))
        return;
    json_t *items = json_array();
    for (size_t i = 0; i < v.n; i++) {
        const struct running_item *ri = &v.items[i];
        json_t *o = running_item_json(ri, i, v.n);
        if (ri->disc) {
            const struct agenda_row *d = ri->disc;
            json_object_set_new(o, "review", json_boolean(ri->kind == AGENDA_REVIEW));
            if (d->first_discussed[0]) {
                char fd[32];
                date_label(d->first_discussed, fd, sizeof fd);
                json_object_set_new(o, "first_discussed", json_string(fd));
            }
            json_object_set_new(o, "open_actions", json_integer((json_int_t)d->open_actions));
            json_object_set_new(o, "overdue_actions", json_integer((json_int_t)d->overdue_actions));
            if (minutes) {
                json_object_set_new(o, "minutes_text", json_string(d->minutes));
                char fb[32] = "";
                if (d->feedback_on[0])
                    date_label(d->feedback_on, fb, sizeof fb);
                json_object_set_new(o, "feedback_on", json_string(fb));
            }
            /* The agenda pack: what is open on the case; the minutes pack:
             * what was agreed at this meeting. */
            struct agreed ag = {&c, minutes ? d->id : 0, json_array(), !minutes};
            if (svc_action_list(&c, d->case_id, NULL, on_agreed, &ag) == SVC_OK)
                json_object_set_new(o, "actions", ag.list);
            else
                json_decref(ag.list);
        } else if (ri->cohort) {
            const struct cohort_row *k = ri->cohort;
            json_object_set_new(o, "cohort_detail", json_cohort(k));
            if (minutes)
                json_object_set_new(o, "minutes_text", json_string(k->minutes));
            struct cohort_acts ca = {&c, json_array(), !minutes};
            if (svc_cohort_actions(&c, k->id, on_cohort_action, &ca) == SVC_OK)
                json_object_set_new(o, "actions", ca.list);
            else
                json_decref(ca.list);
        }
        json_array_append_new(items, o);
    }
    char date[32];
    date_label(v.meeting.meeting_date, date, sizeof date);
    json_t *meeting = json_meeting_brief(&v.meeting);
    json_object_set_new(meeting, "date_label", json_string(date));
    json_object_set_new(meeting, "location", json_string(v.location));
    json_object_set_new(meeting, "ends", json_string(v.end));
    json_t *attendance = json_array();
    if (minutes) {
        struct meeting_row *m = req_alloc(rq, sizeof *m);
        struct sheet_line *lines = req_alloc(rq, SHEET_MAX * sizeof *lines);
        size_t nl = 0;
        if (m && lines && svc_meeting_get(&c, rq->id, m) == SVC_OK &&
            svc_meeting_sheet(&c, m, lines, SHEET_MAX, &nl) == SVC_OK) {
            for (size_t i = 0; i < nl; i++)
                if (lines[i].status[0])
                    add_sheet(attendance, &lines[i]);
            (void)svc_meeting_guests(&c, m, add_guest, attendance);
        }
    }
    size_t hidden = v.hidden;
    svc_running_free(&v);
    if (rq->api) {
        view_json(rs, 200, json_pack("{s:o, s:o, s:o, s:I}", "meeting", meeting, "items", items, "attendance",
                                     attendance, "hidden", (json_int_t)hidden));
        return;
    }
    char title[300];
    snprintf(title, sizeof title, "%s: %s, %s", minutes ? "Minutes and actions" : "Agenda",
             json_string_value(json_object_get(meeting, "team_name")), date);
    json_t *ctx = view_page(rq, title, "meetings");
    char back[64];
    snprintf(back, sizeof back, "/meetings/%lld/agenda", (long long)rq->id);
    view_breadcrumbs(ctx, "/", "Home", "/meetings", "Meetings", back, "Agenda", NULL);
    json_object_set_new(ctx, "meeting", meeting);
    json_object_set_new(ctx, "items", items);
    json_object_set_new(ctx, "attendance", attendance);
    json_object_set_new(ctx, "hidden", json_integer((json_int_t)hidden));
    json_object_set_new(ctx, "back_href", json_string(back));
    view_render(rq, rs, 200, minutes ? "meeting_pack_minutes" : "meeting_pack_agenda", ctx);
}

static void h_pack_agenda(struct req *rq, struct resp *rs) { pack(rq, rs, false); }
static void h_pack_minutes(struct req *rq, struct resp *rs) { pack(rq, rs, true); }

static const struct route routes[] = {
    {"POST", "/meetings/:id/agenda/move", h_move, 0},
    {"POST", "/meetings/:id/agenda/minutes", h_minutes, 0},
    {"POST", "/meetings/:id/location", h_location, 0},
    {"GET", "/meetings/:id/pack/agenda", h_pack_agenda, 0},
    {"GET", "/meetings/:id/pack/minutes", h_pack_minutes, 0},
    {"POST", "/api/v1/meetings/:id/agenda/move", h_move, 0},
    {"POST", "/api/v1/meetings/:id/agenda/minutes", h_minutes, 0},
    {"PUT", "/api/v1/meetings/:id/location", h_location, 0},
    {"GET", "/api/v1/meetings/:id/pack/agenda", h_pack_agenda, 0},
    {"GET", "/api/v1/meetings/:id/pack/minutes", h_pack_minutes, 0},
};

ROUTE_TABLE(meeting_pack_table, routes);
