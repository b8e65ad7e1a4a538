/* Meetings: the list with filters, a meeting's page, and its changes:
 * mark held, cancel, reinstate, move, notes, attendance and guests; HTML
 * and JSON (/api/v1/meetings...).  Data comes from service/svc_meetings.c.
 * The agenda and minutes (/meetings/:id/agenda) are another area's page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "lib/count.h"
#include "core/validate.h"
#include "service/svc_meetings.h"
#include "service/svc_teams.h"
#include "web/finding.h"
#include "web/form.h"
#include "web/listing.h"
#include "web/records_json.h"
#include "web/router.h"
#include "web/running.h"
#include "web/view.h"

/* Also used by h_teams.c (declared there the same way). */

static const struct code_entry reasons[] = {
    {"not_enough_cases", "Not enough new cases", NULL},
    {"school_closure", "School closure", NULL},
    {"staff_unavailable", "Key staff unavailable", NULL},
    {"other", "Another reason", NULL},
};
static const struct code_list reason_list = {"cancel_reason", reasons, COUNT(reasons)};

static void collect_meeting(void *arr, const struct meeting_row *r)
{
    json_array_append_new(arr, json_meeting(r));
}

/* ---- The list ---- */

/* A filter date as typed (GOV.UK date input, or one value from a link):
 * "" when absent; "" and *bad when not a date. */
static const char *filter_day(struct req *rq, const char *name, char out[11], bool *bad, struct query_date *q)
{
    finding_query_date(rq, name, q);
    out[0] = '\0';
    if (!q->text[0])
        return "";
    int32_t d;
    if (svc_parse_day(q->text, &d) != 0) {
        *bad = true;
        return "";
    }
    day_format(d, out);
    return out;
}

static void h_meeting_list(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct page_req pg;
    listing_page(rq, &pg);
    struct meeting_filter f;
    memset(&f, 0, sizeof f);
    struct finding find;
    finding_read(rq, &c, &find);
    f.team_id = find.team_id;
    f.school_id = find.school_id;
    f.name = find.name;
    const char *status = req_query(rq, "status");
    if (status && (strcmp(status, "planned") == 0 || strcmp(status, "held") == 0 ||
                   strcmp(status, "cancelled") == 0))
        f.status = status;
    else
        f.status = "";
    char from[11], to[11];
    bool bad_from = false, bad_to = false;
    struct query_date qfrom, qto;
    f.from = filter_day(rq, "from", from, &bad_from, &qfrom);
    f.to = filter_day(rq, "to", to, &bad_to, &qto);
    /* "This term" narrows whatever dates were typed to the term. */
    if (find.this_term) {
        if (!f.from[0] || strcmp(f.from, find.from) < 0)
            f.from = find.from;
        if (!f.to[0] || strcmp(f.to, find.to) > 0)
            f.to = find.to;
    }
    const char *order = req_query(rq, "order");
    f.order = MEETING_UPCOMING_FIRST;
    if (order && strcmp(order, "oldest") == 0)
        f.order = MEETING_OLDEST_FIRST;
    else if (order && strcmp(order, "newest") == 0)
        f.order = MEETING_NEWEST_FIRST;
    else
        order = "upcoming";

    json_t *rows = json_array();
    int64_t total = 0;
    if (view_failed_drop(rq, rs, svc_meeting_list(&c, &f, &pg, &total, collect_meeting, rows), rows))
        return;
    struct buf base = BUF_INIT;
    buf_puts(&base, "/meetings?order=");
    buf_urlenc(&base, order);
    finding_query(&find, &base);
    if (f.status[0])
        buf_printf(&base, "&status=%s", f.status);
    if (from[0])
        buf_printf(&base, "&from=%s", from);
    if (to[0])
        buf_printf(&base, "&to=%s", to);
    json_t *ctx = view_list_page(rq, rs, &pg, total, buf_str(&base), "meetings", rows, finding_term_answer(&find),
                                 "Meetings", "meetings");
    buf_free(&base);
    if (!ctx)
        return;
    view_list_csv_link(rq, ctx, RES_TEAM);
    view_breadcrumbs(ctx, "/", "Home", NULL);
    json_object_set_new(ctx, "show_team", json_true());
    view_count_text(ctx, total, "meeting", "meetings");

    finding_fields(&c, &find, ctx, "Team name", "All or part of a team's name");
    json_t *sf = fld_input("status", "Status", NULL, NULL, NULL);
    json_object_del(sf, "value");
    fld_add_option(sf, "", "Any status", f.status);
    fld_add_option(sf, "planned", "Planned", f.status);
    fld_add_option(sf, "held", "Held", f.status);
    fld_add_option(sf, "cancelled", "Cancelled", f.status);
    json_object_set_new(ctx, "status_filter", sf);
    json_t *of = fld_input("order", "Order", NULL, NULL, NULL);
    json_object_del(of, "value");
    fld_add_option(of, "upcoming", "Upcoming first", order);
    fld_add_option(of, "oldest", "Oldest first", order);
    fld_add_option(of, "newest", "Newest first", order);
    json_object_set_new(ctx, "order_filter", of);
    struct field_errors fe = {0};
    if (bad_from)
        field_errors_add(&fe, "from", "From must be a real date, like 1 9 2026");
    if (bad_to)
        field_errors_add(&fe, "to", "To must be a real date, like 31 12 2026");
    json_object_set_new(ctx, "from_filter", finding_date_field("from", "From", &qfrom, &fe, "For example, 1 9 2026"));
    json_object_set_new(ctx, "to_filter", finding_date_field("to", "To", &qto, &fe, "For example, 31 12 2026"));
    view_set_errors(ctx, &fe);
    json_object_set_new(ctx, "filtered", json_boolean(finding_any(&find) || f.status[0] || f.from[0] || f.to[0]));
    view_render(rq, rs, 200, "meeting_list", ctx);
}

/* ---- A meeting's page ---- */

/* What was typed into whichever form failed, so it shows again. */
struct typed {
    const char *mode;
    const char *undo_reason;
    const char *reason_choice, *cancel_reason;
    const char *date_day, *date_month, *date_year, *start_time;
    const char *notes;
    const struct attendance_input *att;
    size_t natt;
    const char *guest_name, *guest_role, *guest_status;
};

static const struct attendance_input *typed_att(const struct typed *t, const char *key)
{
    for (size_t i = 0; t && i < t->natt; i++)
        if (t->att[i].key && strcmp(t->att[i].key, key) == 0)
            return &t->att[i];
    return NULL;
}

static json_t *status_radios(const char *name, const char *legend, const char *value,
                             const struct field_errors *e)
{
    static const struct code_entry entries[] = {
        {"present", "Present", NULL}, {"apologies", "Apologies", NULL}, {"absent", "Absent", NULL},
    };
    static const struct code_list list = {"attendance", entries, 3};
    json_t *f = fld_radios_codes(name, legend, value, e, &list, 1);
    json_object_set_new(f, "small", json_true());
    fld_set(f, "legend_class", "govuk-fieldset__legend--s");
    return f;
}

static void add_guest(void *arr, const struct attendance_row *r)
{
    json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)r->id,
                                         "person_name", r->person_name, "role", r->role, "status",
                                         r->status, "status_label", attendance_status_label(r->status)));
}

/* The meeting as JSON for the API, or the page for a person (with the
 * failed form's values and errors when e is non-empty). */
static void show_meeting(struct req *rq, struct resp *rs, struct svc_ctx *c, int status,
                         const struct typed *t, const struct field_errors *e, const char *flash)
{
    struct meeting_row m;
    if (view_failed(rq, rs, svc_meeting_get(c, rq->id, &m)))
        return;
    struct sheet_line lines[SHEET_MAX];
    size_t nl = 0;
    json_t *guests = json_array();
    enum svc_status st = svc_meeting_sheet(c, &m, lines, SHEET_MAX, &nl);
    if (st == SVC_OK)
        st = svc_meeting_guests(c, &m, add_guest, guests);
    if (view_failed_drop(rq, rs, st, guests))
        return;
    bool can_edit = svc_meeting_may(c, ACT_EDIT, &m);
    json_t *att = json_array();
    for (size_t i = 0; i < nl; i++) {
        const struct sheet_line *l = &lines[i];
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "key", l->key, "label", l->label, "person_name",
                              l->person_name, "status", l->status, "status_label",
                              attendance_status_label(l->status));
        json_object_set_new(o, "service_id", l->service_id ? json_integer((json_int_t)l->service_id)
                                                            : json_null());
        if (!rq->api && can_edit) {
            const struct attendance_input *ti = typed_att(t, l->key);
            char name[40];
            snprintf(name, sizeof name, "status-%.23s", l->key);
            json_object_set_new(o, "status_field",
                                status_radios(name, l->label, ti ? ti->status : l->status, e));
            snprintf(name, sizeof name, "name-%.23s", l->key);
            char label[200];
            snprintf(label, sizeof label, "Who came for %s%.160s (optional)",
                     strcmp(l->key, "school") == 0 ? "the school" : l->role[0] ? "the " : "",
                     strcmp(l->key, "school") == 0 ? "" : l->label);
            json_t *nf = fld_input(name, label, ti ? ti->person_name : l->person_name, e, NULL);
            fld_set(nf, "width_class", "govuk-!-width-one-half");
            json_object_set_new(o, "name_field", nf);
        }
        json_array_append_new(att, o);
    }
    json_t *meeting = json_meeting(&m);
    bool future = strcmp(m.m.date, c->today) > 0;
    json_object_set_new(meeting, "is_future", json_boolean(future));
    json_object_set_new(meeting, "held_undoable", json_boolean(svc_meeting_held_undoable(c, &m)));
    meeting_location_json(rq, c, rq->id, meeting, can_edit);
    if (rq->api) {
        view_json(rs, status, json_pack("{s:o, s:o, s:o, s:b}", "meeting", meeting, "attendance", att,
                                        "guests", guests, "can_edit", can_edit));
        return;
    }

    char title[64];
    snprintf(title, sizeof title, "Meeting on %s", json_string_value(json_object_get(meeting, "date_label")));
    json_t *ctx = view_page(rq, title, "meetings");
    char team_href[48];
    snprintf(team_href, sizeof team_href, "/teams/%lld", (long long)m.m.team_id);
    view_breadcrumbs(ctx, "/", "Home", "/meetings", "Meetings", team_href, m.team_name, NULL);
    json_object_set_new(ctx, "meeting", meeting);
    json_object_set_new(ctx, "attendance", att);
    json_object_set_new(ctx, "guests", guests);
    json_object_set_new(ctx, "can_edit", json_boolean(can_edit));
    json_object_set_new(ctx, "attendance_recorded", json_boolean(nl > 0 && lines[0].status[0]));
    view_set_errors(ctx, e);
    view_flash(ctx, flash);
    if (can_edit) {
        json_t *fields = json_object();
        static const struct code_entry modes[] = {{"in_person", "In person", NULL}, {"online", "Online", NULL}};
        static const struct code_list mode_list = {"mode", modes, 2};
        json_object_set_new(fields, "mode",
                            fld_radios_codes("mode", "How was the meeting held?",
                                             t && t->mode ? t->mode : m.m.mode, e, &mode_list, 1));
        json_object_set_new(fields, "reason_choice",
                            fld_radios_codes("reason_choice", "Why was the meeting cancelled?",
                                             t ? t->reason_choice : NULL, e, &reason_list, 0));
        json_object_set_new(fields, "cancel_reason",
                            fld_input("cancel_reason", "Other reason", t ? t->cancel_reason : NULL, e,
                                      "If you chose another reason, say what it was"));
        const char *dd = "", *mm = "", *yy = "";
        int32_t day;
        if (day_parse(m.m.date, &day) == 0)
            req_day_text(rq, day, &dd, &mm, &yy);
        bool moved = t && (t->date_day || t->date_month || t->date_year);
        json_object_set_new(fields, "date",
                            fld_date("date", "New date", moved ? t->date_day : dd, moved ? t->date_month : mm,
                                     moved ? t->date_year : yy, e, "For example, 14 1 2027"));
        json_t *tm = fld_input("start_time", "New start time", t && t->start_time ? t->start_time : m.m.start_time,
                               e, "For example, 13:30");
        fld_set(tm, "width_class", "govuk-input--width-5");
        json_object_set_new(fields, "start_time", tm);
        json_t *notes = fld_input("notes", "Notes about the meeting", t && t->notes ? t->notes : m.m.notes, e,
                                  "For example, who chaired, room changes or follow-up for the Case Coordinator. "
                                  "Do not record discussions of pupils here: use the agenda and minutes.");
        json_object_set_new(notes, "rows", json_integer(4));
        json_object_set_new(fields, "notes", notes);
        json_object_set_new(fields, "undo_reason",
                            fld_input("undo_reason", "Why was it marked as held by mistake?",
                                      t ? t->undo_reason : NULL, e, NULL));
        json_object_set_new(fields, "guest_name",
                            fld_input("guest_name", "Guest's name", t ? t->guest_name : NULL, e, NULL));
        json_object_set_new(fields, "guest_role",
                            fld_input("guest_role", "Guest's role", t ? t->guest_role : NULL, e,
                                      "For example, Social Worker (Adoption Team)"));
        json_object_set_new(fields, "guest_status",
                            status_radios("guest_status", "Attendance", t && t->guest_status ? t->guest_status
                                                                                             : "present", e));
        json_object_set_new(ctx, "fields", fields);
    }
    view_render(rq, rs, status, "meeting_view", ctx);
}

static void h_meeting_view(struct req *rq, struct resp *rs)
{
    static const struct view_note done[] = {
        {"held", "Meeting marked as held"},
        {"unheld", "\"Held\" undone: the meeting is planned again"},
        {"cancelled", "Meeting cancelled"},
        {"reinstated", "Meeting reinstated: it is planned again"},
        {"moved", "Meeting moved"},
        {"notes", "Notes saved"},
        {"attendance", "Attendance saved"},
        {"guest", "Guest added"},
        {"guest_removed", "Guest removed"},
        {"added", "Meeting added"},
        {"voided", "Meeting voided: it is kept, marked as entered by mistake, and left out of every count"},
        {"location", "Location saved"},
        {"invited", "Invitations queued for everyone on the team with an e-mail address"},
        {"invited_none", "Nobody on the team has an e-mail address: nothing was sent"},
        {"pack_sent", "The agenda pack's link queued for everyone on the team with an e-mail address"},
        {NULL, NULL},
    };
    struct svc_ctx c = req_svc_ctx(rq);
    show_meeting(rq, rs, &c, 200, NULL, NULL, view_note(rq, "done", done));
}

/* One change to meeting rq->id: what was typed into its form (shown again
 * when it fails) and the errors. */
struct change {
    struct svc_ctx c;
    struct typed t;
    struct field_errors e;
};

static void change_begin(struct req *rq, struct change *ch)
{
    memset(ch, 0, sizeof *ch);
    ch->c = req_svc_ctx(rq);
}

/* After a change: the meeting again (JSON) or a redirect with a message. */
static void changed(struct req *rq, struct resp *rs, struct change *ch, enum svc_status st, const char *done)
{
    enum save_next n = view_answer_save(rq, rs, st, &ch->e);
    if (n == SAVE_OK && rq->api)
        show_meeting(rq, rs, &ch->c, 200, NULL, NULL, NULL);
    else if (n == SAVE_OK)
        view_saved(rq, rs, 200, "meeting", NULL, "/meetings/%lld?done=%s", (long long)rq->id, done);
    else if (n == SAVE_FORM)
        show_meeting(rq, rs, &ch->c, 400, &ch->t, &ch->e, NULL);
}

/* A page asks to confirm before a planned meeting is marked held (the
 * API, and a held meeting's change of mode, do not). */
static bool held_confirmed(struct req *rq, struct resp *rs, struct change *ch)
{
    const char *yes = req_param(rq, "confirm");
    if (rq->api || (yes && strcmp(yes, "yes") == 0))
        return true;
    const struct typed *t = &ch->t;
    struct meeting_row m;
    enum svc_status st = svc_meeting_held_check(&ch->c, rq->id, t->mode, &ch->e, &m);
    if (st != SVC_OK) {
        changed(rq, rs, ch, st, "held");
        return false;
    }
    if (strcmp(m.m.status, "held") == 0)
        return true;
    json_t *meeting = json_meeting(&m);
    char title[96];
    snprintf(title, sizeof title, "Mark the meeting on %s as held?",
             json_string_value(json_object_get(meeting, "date_label")));
    json_t *ctx = view_page(rq, title, "meetings");
    char href[48];
    snprintf(href, sizeof href, "/meetings/%lld", (long long)m.m.id);
    view_breadcrumbs(ctx, "/", "Home", "/meetings", "Meetings", href, title, NULL);
    json_object_set_new(ctx, "meeting", meeting);
    json_object_set_new(ctx, "mode", json_string(t->mode));
    json_object_set_new(ctx, "chosen_mode_label",
                        json_string(strcmp(t->mode, "online") == 0 ? "Online" : "In person"));
    view_render(rq, rs, 200, "meeting_held_confirm", ctx);
    return false;
}

static void h_meeting_held(struct req *rq, struct resp *rs)
{
    struct change ch;
    change_begin(rq, &ch);
    ch.t.mode = req_param(rq, "mode");
    if (held_confirmed(rq, rs, &ch))
        changed(rq, rs, &ch, svc_meeting_mark_held(&ch.c, rq->id, ch.t.mode, &ch.e), "held");
}

static void h_meeting_unhold(struct req *rq, struct resp *rs)
{
    struct change ch;
    change_begin(rq, &ch);
    ch.t.undo_reason = req_param(rq, "undo_reason");
    changed(rq, rs, &ch, svc_meeting_undo_held(&ch.c, rq->id, ch.t.undo_reason, &ch.e), "unheld");
}

static void h_meeting_cancel(struct req *rq, struct resp *rs)
{
    struct change ch;
    change_begin(rq, &ch);
    struct typed *t = &ch.t;
    struct field_errors *e = &ch.e;
    t->reason_choice = req_param(rq, "reason_choice");
    t->cancel_reason = req_param(rq, "cancel_reason");
    const char *reason = t->cancel_reason;
    for (size_t i = 0; t->reason_choice && i < COUNT(reasons); i++)
        if (strcmp(t->reason_choice, reasons[i].code) == 0 && strcmp(reasons[i].code, "other") != 0)
            reason = reasons[i].label;
    enum svc_status st = svc_meeting_cancel(&ch.c, rq->id, reason, e);
    /* Nothing chosen and nothing typed: point at the choices. */
    if (st == SVC_INVALID && !rq->json && (!t->reason_choice || !*t->reason_choice)) {
        for (size_t i = 0; i < e->count; i++)
            if (strcmp(e->items[i].field, "cancel_reason") == 0 &&
                strncmp(e->items[i].message, "Enter why", 9) == 0) {
                snprintf(e->items[i].field, sizeof e->items[i].field, "reason_choice");
                snprintf(e->items[i].message, sizeof e->items[i].message,
                         "Select why the meeting was cancelled, or enter another reason");
            }
    }
    changed(rq, rs, &ch, st, "cancelled");
}

static void h_meeting_reinstate(struct req *rq, struct resp *rs)
{
    struct change ch;
    change_begin(rq, &ch);
    changed(rq, rs, &ch, svc_meeting_reinstate(&ch.c, rq->id, &ch.e), "reinstated");
}

/* A date from the three GOV.UK boxes (forms) or "date" (JSON,
 * "YYYY-MM-DD"), as "D/M/YYYY" for the service; "" when nothing was sent. */
static const char *typed_date(struct req *rq, struct typed *t)
{
    req_date_parts(rq, "date", "date", &t->date_day, &t->date_month, &t->date_year);
    const char *d = t->date_day ? t->date_day : "", *m = t->date_month ? t->date_month : "",
               *y = t->date_year ? t->date_year : "";
    if (!*d && !*m && !*y)
        return "";
    if (strlen(d) > 8 || strlen(m) > 8 || strlen(y) > 8)
        return "x";
    char s[40];
    snprintf(s, sizeof s, "%s/%s/%s", d, m, y);
    return req_keep(rq, s);
}

static void h_meeting_move(struct req *rq, struct resp *rs)
{
    struct change ch;
    change_begin(rq, &ch);
    const char *date = typed_date(rq, &ch.t);
    ch.t.start_time = req_param(rq, "start_time");
    changed(rq, rs, &ch, svc_meeting_move(&ch.c, rq->id, date, ch.t.start_time, &ch.e), "moved");
}

static void h_meeting_notes(struct req *rq, struct resp *rs)
{
    struct change ch;
    change_begin(rq, &ch);
    ch.t.notes = req_param(rq, "notes");
    changed(rq, rs, &ch, svc_meeting_set_notes(&ch.c, rq->id, ch.t.notes, &ch.e), "notes");
}

/* Attendance arrives as status-KEY / name-KEY pairs (forms, or flat JSON
 * members), or in JSON as "rows": [{key, status, person_name}]. */
static void h_meeting_attendance(struct req *rq, struct resp *rs)
{
    struct change ch;
    change_begin(rq, &ch);
    struct meeting_row m;
    struct sheet_line lines[SHEET_MAX];
    size_t nl = 0;
    if (view_failed(rq, rs, svc_meeting_get(&ch.c, rq->id, &m)) ||
        view_failed(rq, rs, svc_meeting_sheet(&ch.c, &m, lines, SHEET_MAX, &nl)))
        return;
    struct attendance_input in[SHEET_MAX];
    json_t *arr = rq->json ? json_object_get(rq->json, "rows") : NULL;
    for (size_t i = 0; i < nl; i++) {
        in[i].key = lines[i].key;
        in[i].status = NULL;
        in[i].person_name = NULL;
        if (json_is_array(arr)) {
            size_t j;
            json_t *v;
            json_array_foreach(arr, j, v) {
                const char *k = json_string_value(json_object_get(v, "key"));
                if (k && strcmp(k, lines[i].key) == 0) {
                    in[i].status = json_string_value(json_object_get(v, "status"));
                    in[i].person_name = json_string_value(json_object_get(v, "person_name"));
                }
            }
        } else {
            char name[40];
            snprintf(name, sizeof name, "status-%.23s", lines[i].key);
            in[i].status = req_param(rq, name);
            snprintf(name, sizeof name, "name-%.23s", lines[i].key);
            in[i].person_name = req_param(rq, name);
        }
    }
    ch.t.att = in;
    ch.t.natt = nl;
    changed(rq, rs, &ch, svc_meeting_attendance_save(&ch.c, rq->id, in, nl, &ch.e), "attendance");
}

static void h_meeting_guest_add(struct req *rq, struct resp *rs)
{
    struct change ch;
    change_begin(rq, &ch);
    struct typed *t = &ch.t;
    t->guest_name = req_param(rq, "guest_name");
    t->guest_role = req_param(rq, "guest_role");
    t->guest_status = req_param(rq, "guest_status");
    if (rq->json && !t->guest_name)
        t->guest_name = req_param(rq, "person_name");
    if (rq->json && !t->guest_role)
        t->guest_role = req_param(rq, "role");
    if (rq->json && !t->guest_status)
        t->guest_status = req_param(rq, "status");
    int64_t gid = 0;
    changed(rq, rs, &ch, svc_meeting_guest_add(&ch.c, rq->id, t->guest_name, t->guest_role, t->guest_status, &ch.e,
                                               &gid), "guest");
}

static void h_meeting_guest_remove(struct req *rq, struct resp *rs)
{
    struct change ch;
    change_begin(rq, &ch);
    int64_t gid = parse_id(req_param(rq, "guest_id"));
    changed(rq, rs, &ch, gid ? svc_meeting_guest_remove(&ch.c, rq->id, gid) : SVC_NOT_FOUND, "guest_removed");
}

static const struct route meeting_routes[] = {
    {"GET", "/meetings", h_meeting_list, 0},
    {"GET", "/meetings/:id", h_meeting_view, 0},
    {"POST", "/meetings/:id/held", h_meeting_held, 0},
    {"POST", "/meetings/:id/unhold", h_meeting_unhold, 0},
    {"POST", "/meetings/:id/cancel", h_meeting_cancel, 0},
    {"POST", "/meetings/:id/reinstate", h_meeting_reinstate, 0},
    {"POST", "/meetings/:id/move", h_meeting_move, 0},
    {"POST", "/meetings/:id/notes", h_meeting_notes, 0},
    {"POST", "/meetings/:id/attendance", h_meeting_attendance, 0},
    {"POST", "/meetings/:id/guests", h_meeting_guest_add, 0},
    {"POST", "/meetings/:id/guests/remove", h_meeting_guest_remove, 0},

    {"GET", "/api/v1/meetings", h_meeting_list, ROUTE_CSV_OF(RES_TEAM)},
    {"GET", "/api/v1/meetings/:id", h_meeting_view, 0},
    {"POST", "/api/v1/meetings/:id/held", h_meeting_held, 0},
    {"POST", "/api/v1/meetings/:id/unhold", h_meeting_unhold, 0},
    {"POST", "/api/v1/meetings/:id/cancel", h_meeting_cancel, 0},
    {"POST", "/api/v1/meetings/:id/reinstate", h_meeting_reinstate, 0},
    {"POST", "/api/v1/meetings/:id/move", h_meeting_move, 0},
    {"POST", "/api/v1/meetings/:id/notes", h_meeting_notes, 0},
    {"POST", "/api/v1/meetings/:id/attendance", h_meeting_attendance, 0},
    {"POST", "/api/v1/meetings/:id/guests", h_meeting_guest_add, 0},
    {"POST", "/api/v1/meetings/:id/guests/remove", h_meeting_guest_remove, 0},
};

ROUTE_TABLE(meetings_table, meeting_routes);
