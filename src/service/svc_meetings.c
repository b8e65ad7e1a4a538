#include "service/svc_meetings.h"

#include <stdio.h>
#include <string.h>

#include "core/calendar.h"
#include "core/codes.h"
#include "core/validate.h"
#include "service/svc_teams.h"

/* A status's label from its list; an unknown status is shown as it is. */
static const char *status_label(const struct code_list *l, const char *status)
{
    if (!status)
        return "";
    const char *label = code_label(l, status);
    return label ? label : status;
}

static const struct code_entry meeting_statuses[] = {
    {"planned", "Planned", NULL}, {"held", "Held", NULL}, {"cancelled", "Cancelled", NULL}};
static const struct code_list meeting_status_list = {"meeting_status", meeting_statuses, 3};

static const struct code_entry attendance_statuses[] = {
    {"present", "Present", NULL}, {"apologies", "Apologies", NULL}, {"absent", "Absent", NULL}};
static const struct code_list attendance_status_list = {"attendance_status", attendance_statuses, 3};

const char *meeting_status_label(const char *status)
{
    return status_label(&meeting_status_list, status);
}

const char *meeting_mode_label(const char *mode)
{
    if (mode && strcmp(mode, "online") == 0)
        return "Online";
    return "In person";
}

const char *attendance_status_label(const char *status)
{
    return status_label(&attendance_status_list, status);
}

static bool valid_attendance_status(const char *s)
{
    return s && code_find(&attendance_status_list, s);
}

bool svc_meeting_may(const struct svc_ctx *c, enum action a, const struct meeting_row *m)
{
    return svc_allowed(c, a, RES_TEAM, m->m.team_id, m->authority_id, m->host_school_id);
}

enum svc_status svc_meeting_get(struct svc_ctx *c, int64_t id, struct meeting_row *out)
{
    enum store_rc rc = q_meeting_get(c->db, id, out);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    return svc_meeting_may(c, ACT_VIEW, out) ? SVC_OK : SVC_NOT_FOUND;
}

enum svc_status svc_meeting_list(struct svc_ctx *c, const struct meeting_filter *f,
                                 const struct page_req *pg, int64_t *total,
                                 void (*fn)(void *arg, const struct meeting_row *r), void *arg)
{
    struct visibility v;
    if (svc_list_visible(c, RES_TEAM, &v) != SVC_OK)
        return SVC_FORBIDDEN;
    struct meeting_filter mf = *f;
    if (!mf.today)
        mf.today = c->today;
    return svc_from_store(q_meeting_list(c->db, &v, &mf, pg, total, fn, arg));
}

/* Reads the meeting for a change: found, visible and editable. */
static enum svc_status for_edit(struct svc_ctx *c, int64_t id, struct meeting_row *m)
{
    enum svc_status st = svc_meeting_get(c, id, m);
    if (st != SVC_OK)
        return st;
    return svc_meeting_may(c, ACT_EDIT, m) ? SVC_OK : SVC_FORBIDDEN;
}

/* Date and time of a meeting as typed. */
static void check_slot(const char *date, const char *time, const char *dflt_time, char out_date[11],
                       char out_time[6], int32_t *day, struct field_errors *errs)
{
    if (svc_blank(date))
        field_errors_add(errs, "date", "Enter the date of the meeting");
    else if (svc_parse_day(date, day) != 0)
        field_errors_add(errs, "date", "Date of the meeting must be a real date");
    else if (day_weekday(*day) > 5)
        field_errors_add(errs, "date", "Date of the meeting must be a weekday");
    else
        day_format(*day, out_date);
    if (svc_blank(time) && dflt_time)
        svc_copy(out_time, 6, dflt_time);
    else if (svc_blank(time))
        field_errors_add(errs, "start_time", "Enter the time the meeting starts, like 13:30");
    else if (svc_parse_time(time, out_time) != 0)
        field_errors_add(errs, "start_time", "Start time must be a real time in the format HH:MM, like 13:30");
}

/* A meeting's date and time stored (rc): the team's other meeting at that
 * slot is the date's error. */
static enum svc_status slot_stored(enum store_rc rc, struct field_errors *errs)
{
    return svc_from_save(rc, errs, "date", "The team already has a meeting on that date at that time");
}

enum svc_status svc_meeting_add(struct svc_ctx *c, int64_t team_id, const char *date, const char *time,
                                struct field_errors *errs, int64_t *id)
{
    struct team_row t;
    enum svc_status st = svc_team_get(c, team_id, &t);
    if (st != SVC_OK)
        return st;
    if (!svc_team_may(c, ACT_EDIT, &t))
        return SVC_FORBIDDEN;
    struct meeting m;
    memset(&m, 0, sizeof m);
    int32_t day = 0;
    check_slot(date, time, t.t.start_time, m.date, m.start_time, &day, errs);
    if (errs->count)
        return SVC_INVALID;
    m.team_id = team_id;
    snprintf(m.status, sizeof m.status, "planned");
    snprintf(m.mode, sizeof m.mode, "in_person");
    enum store_rc rc = q_meeting_insert(c->db, &m, c->now);
    if (rc == STORE_OK && id)
        *id = m.id;
    return slot_stored(rc, errs);
}

enum svc_status svc_meeting_held_check(struct svc_ctx *c, int64_t id, const char *mode,
                                       struct field_errors *errs, struct meeting_row *out)
{
    struct meeting_row local;
    struct meeting_row *mp = out ? out : &local;
    enum svc_status st = for_edit(c, id, mp);
    if (st != SVC_OK)
        return st;
    const struct meeting *m = &mp->m;
    if (strcmp(m->status, "cancelled") == 0) {
        field_errors_add(errs, "mode",
                         "This meeting was cancelled: reinstate it before marking it as held");
        return SVC_INVALID;
    }
    if (strcmp(m->date, c->today) > 0) {
        int32_t d;
        char when[40] = "a later date";
        if (day_parse(m->date, &d) == 0)
            svc_day_long(d, when, sizeof when);
        char msg[160];
        snprintf(msg, sizeof msg, "This meeting is on %s: it cannot be marked as held before then", when);
        field_errors_add(errs, "mode", msg);
        return SVC_INVALID;
    }
    if (!mode || (strcmp(mode, "in_person") != 0 && strcmp(mode, "online") != 0)) {
        field_errors_add(errs, "mode", "Select whether the meeting was held in person or online");
        return SVC_INVALID;
    }
    return SVC_OK;
}

enum svc_status svc_meeting_mark_held(struct svc_ctx *c, int64_t id, const char *mode,
                                      struct field_errors *errs)
{
    struct meeting_row m;
    enum svc_status st = svc_meeting_held_check(c, id, mode, errs, &m);
    if (st != SVC_OK)
        return st;
    enum store_rc rc = q_meeting_set_status(c->db, id, "held", mode, "", c->now);
    if (rc == STORE_OK && strcmp(m.m.status, "held") != 0)
        rc = q_meeting_held_on(c->db, id, c->today);
    return svc_from_store(rc);
}

/* A change of status that needs a reason: refused (that message on
 * field) when refused is not NULL, as the meeting stands; otherwise the
 * reason typed, into r (MEETING_REASON_MAX): required (empty: the message
 * when blank), short and plain.  SVC_INVALID with the error, else SVC_OK. */
static enum svc_status change_reason(const char *refused, const char *reason, char r[MEETING_REASON_MAX],
                                     const char *field, const char *empty, struct field_errors *errs)
{
    if (refused)
        field_errors_add(errs, field, refused);
    else if (trim_copy(reason ? reason : "", r, MEETING_REASON_MAX) < 0)
        field_errors_add(errs, field, "Reason must be 200 characters or fewer");
    else if (!r[0])
        field_errors_add(errs, field, empty);
    else if (!text_is_clean(r, 0))
        field_errors_add(errs, field, "Reason must not contain special characters");
    return errs->count ? SVC_INVALID : SVC_OK;
}

bool svc_meeting_held_undoable(const struct svc_ctx *c, const struct meeting_row *m)
{
    return strcmp(m->m.status, "held") == 0 && strcmp(m->m.held_marked_on, c->today) == 0;
}

enum svc_status svc_meeting_undo_held(struct svc_ctx *c, int64_t id, const char *reason,
                                      struct field_errors *errs)
{
    struct meeting_row m;
    enum svc_status st = for_edit(c, id, &m);
    if (st != SVC_OK)
        return st;
    const char *refused = NULL;
    if (strcmp(m.m.status, "held") != 0)
        refused = "This meeting is not marked as held";
    else if (!svc_meeting_held_undoable(c, &m))
        refused = "\"Held\" can only be undone on the day it was recorded: correct the record instead";
    char r[MEETING_REASON_MAX];
    st = change_reason(refused, reason, r, "undo_reason", "Enter why the meeting was marked as held by mistake", errs);
    if (st != SVC_OK)
        return st;
    enum store_rc rc = q_meeting_unhold(c->db, id, r, c->now);
    return rc == STORE_DONE ? SVC_CONFLICT : svc_from_store(rc);
}

enum svc_status svc_meeting_cancel(struct svc_ctx *c, int64_t id, const char *reason,
                                   struct field_errors *errs)
{
    struct meeting_row m;
    enum svc_status st = for_edit(c, id, &m);
    if (st != SVC_OK)
        return st;
    const char *refused = strcmp(m.m.status, "held") == 0 ? "This meeting was held: it cannot be cancelled" : NULL;
    char r[MEETING_REASON_MAX];
    st = change_reason(refused, reason, r, "cancel_reason", "Enter why the meeting was cancelled", errs);
    if (st != SVC_OK)
        return st;
    return svc_from_store(q_meeting_set_status(c->db, id, "cancelled", m.m.mode, r, c->now));
}

enum svc_status svc_meeting_reinstate(struct svc_ctx *c, int64_t id, struct field_errors *errs)
{
    struct meeting_row m;
    enum svc_status st = for_edit(c, id, &m);
    if (st != SVC_OK)
        return st;
    if (strcmp(m.m.status, "cancelled") != 0) {
        field_errors_add(errs, "reinstate", "Only a cancelled meeting can be reinstated");
        return SVC_INVALID;
    }
    return svc_from_store(q_meeting_set_status(c->db, id, "planned", m.m.mode, "", c->now));
}

enum svc_status svc_meeting_move(struct svc_ctx *c, int64_t id, const char *date, const char *time,
                                 struct field_errors *errs)
{
    struct meeting_row m;
    enum svc_status st = for_edit(c, id, &m);
    if (st != SVC_OK)
        return st;
    char nd[11] = "", nt[6] = "";
    int32_t day = 0;
    check_slot(date, time, m.m.start_time, nd, nt, &day, errs);
    if (!errs->count && strcmp(m.m.status, "held") == 0 && strcmp(nd, c->today) > 0)
        field_errors_add(errs, "date", "This meeting was held: its date cannot be in the future");
    if (errs->count)
        return SVC_INVALID;
    return slot_stored(q_meeting_move(c->db, id, nd, nt, c->now), errs);
}

enum svc_status svc_meeting_set_notes(struct svc_ctx *c, int64_t id, const char *notes,
                                      struct field_errors *errs)
{
    struct meeting_row m;
    enum svc_status st = for_edit(c, id, &m);
    if (st != SVC_OK)
        return st;
    char n[MEETING_NOTES_MAX];
    if (trim_copy(notes ? notes : "", n, sizeof n) < 0)
        field_errors_add(errs, "notes", "Notes must be 4,000 characters or fewer");
    else if (!text_is_clean(n, 1))
        field_errors_add(errs, "notes", "Notes must not contain special characters");
    if (errs->count)
        return SVC_INVALID;
    return svc_from_store(q_meeting_set_notes(c->db, id, n, c->now));
}

/* ---- Attendance ---- */

struct sheet_build {
    struct sheet_line *lines;
    size_t max, n;
    const struct standing_services *standing;
};

static struct sheet_line *sheet_add(struct sheet_build *b, const char *key)
{
    for (size_t i = 0; i < b->n; i++)
        if (strcmp(b->lines[i].key, key) == 0)
            return &b->lines[i];
    if (b->n >= b->max)
        return NULL;
    struct sheet_line *l = &b->lines[b->n++];
    memset(l, 0, sizeof *l);
    svc_copy(l->key, sizeof l->key, key);
    return l;
}

/* The school, the Strategic Lead and the Case Coordinator always have a
 * row.  When the authority records them as services too (codes "school",
 * "strategic_lead", "case_coordinator"), their rows carry that service, so
 * attendance by service counts them like any other. */
static bool standing_role(const char *code)
{
    return strcmp(code, "school") == 0 || strcmp(code, "strategic_lead") == 0 ||
           strcmp(code, "case_coordinator") == 0;
}

struct standing_services {
    int64_t school, strategic_lead, case_coordinator;
};

static void find_standing(void *arg, const struct service_row *r)
{
    struct standing_services *s = arg;
    if (strcmp(r->code, "school") == 0)
        s->school = r->id;
    else if (strcmp(r->code, "strategic_lead") == 0)
        s->strategic_lead = r->id;
    else if (strcmp(r->code, "case_coordinator") == 0)
        s->case_coordinator = r->id;
}

/* The row of a standing role (its key), with the service recording it
 * (0: none) and the person the team names for it. */
static void standing_line(struct sheet_build *b, const char *role, const char *label, int64_t service_id,
                          const char *person)
{
    struct sheet_line *l = sheet_add(b, role);
    if (!l)
        return;
    snprintf(l->label, sizeof l->label, "%s", label);
    snprintf(l->role, sizeof l->role, "%s", role);
    l->service_id = service_id;
    svc_copy(l->person_name, sizeof l->person_name, person);
}

static void sheet_member(void *arg, const struct team_member *tm)
{
    const struct sheet_build *b = arg;
    const struct standing_services *ss = b->standing;
    if (tm->service_id == ss->school || tm->service_id == ss->strategic_lead ||
        tm->service_id == ss->case_coordinator)
        return;   /* already a standing row */
    char key[24];
    snprintf(key, sizeof key, "svc-%lld", (long long)tm->service_id);
    struct sheet_line *l = sheet_add(arg, key);
    if (!l)
        return;
    svc_copy(l->label, sizeof l->label, tm->service_name);
    l->service_id = tm->service_id;
    l->practitioner_id = tm->practitioner_id;
    svc_copy(l->person_name, sizeof l->person_name, tm->practitioner_name);
}

static void sheet_recorded(void *arg, const struct attendance_row *r)
{
    if (r->guest)
        return;
    char key[24];
    if (standing_role(r->role))
        svc_copy(key, sizeof key, r->role);
    else if (r->service_id)
        snprintf(key, sizeof key, "svc-%lld", (long long)r->service_id);
    else
        return;
    struct sheet_line *l = sheet_add(arg, key);
    if (!l)
        return;
    if (!l->label[0])   /* recorded for a service no longer a core member */
        svc_copy(l->label, sizeof l->label, r->service_id ? r->service_name : r->role);
    l->service_id = r->service_id;
    if (r->practitioner_id)
        l->practitioner_id = r->practitioner_id;
    svc_copy(l->person_name, sizeof l->person_name, r->person_name);
    svc_copy(l->status, sizeof l->status, r->status);
}

enum svc_status svc_meeting_sheet(struct svc_ctx *c, const struct meeting_row *m,
                                  struct sheet_line *out, size_t max, size_t *n)
{
    *n = 0;
    if (!svc_meeting_may(c, ACT_VIEW, m))
        return SVC_NOT_FOUND;
    struct team_row t;
    enum store_rc rc = q_team_get(c->db, m->m.team_id, c->today, &t);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    struct standing_services ss = {0, 0, 0};
    rc = q_service_list(c->db, m->authority_id, false, find_standing, &ss);
    if (rc != STORE_OK)
        return SVC_ERROR;
    struct sheet_build b = {out, max, 0, &ss};
    char school[sizeof out->label];
    snprintf(school, sizeof school, "School (%.140s)", t.host_school_name);
    standing_line(&b, "school", school, ss.school, t.t.chair_name);
    standing_line(&b, "strategic_lead", "Strategic Lead", ss.strategic_lead, t.strategic_lead_name);
    standing_line(&b, "case_coordinator", "Case Coordinator", ss.case_coordinator, t.case_coordinator_name);
    rc = q_team_members(c->db, t.t.id, sheet_member, &b);
    if (rc == STORE_OK)
        rc = q_attendance_list(c->db, m->m.id, sheet_recorded, &b);
    *n = b.n;
    return svc_from_store(rc);
}

struct guest_filter {
    void (*fn)(void *arg, const struct attendance_row *r);
    void *arg;
};

static void only_guests(void *arg, const struct attendance_row *r)
{
    struct guest_filter *g = arg;
    if (r->guest)
        g->fn(g->arg, r);
}

enum svc_status svc_meeting_guests(struct svc_ctx *c, const struct meeting_row *m,
                                   void (*fn)(void *arg, const struct attendance_row *r), void *arg)
{
    if (!svc_meeting_may(c, ACT_VIEW, m))
        return SVC_NOT_FOUND;
    struct guest_filter g = {fn, arg};
    return svc_from_store(q_attendance_list(c->db, m->m.id, only_guests, &g));
}

static bool require_held(const struct meeting_row *m, const char *field, struct field_errors *errs)
{
    if (strcmp(m->m.status, "held") == 0)
        return true;
    field_errors_add(errs, field,
                     strcmp(m->m.status, "cancelled") == 0
                         ? "Attendance can only be recorded for a meeting that was held: this meeting was cancelled"
                         : "Attendance can only be recorded for a meeting that was held: mark the meeting as held first");
    return false;
}

enum svc_status svc_meeting_attendance_save(struct svc_ctx *c, int64_t id,
                                            const struct attendance_input *in, size_t n,
                                            struct field_errors *errs)
{
    struct meeting_row m;
    enum svc_status st = for_edit(c, id, &m);
    if (st != SVC_OK)
        return st;
    if (!require_held(&m, "attendance", errs))
        return SVC_INVALID;
    struct sheet_line lines[SHEET_MAX];
    size_t nl;
    st = svc_meeting_sheet(c, &m, lines, SHEET_MAX, &nl);
    if (st != SVC_OK)
        return st;
    struct attendance_row rows[SHEET_MAX];
    memset(rows, 0, sizeof rows);
    for (size_t i = 0; i < nl; i++) {
        const struct attendance_input *got = NULL;
        for (size_t j = 0; j < n && !got; j++)
            if (in[j].key && strcmp(in[j].key, lines[i].key) == 0)
                got = &in[j];
        char field[40];
        snprintf(field, sizeof field, "status-%.23s", lines[i].key);
        struct attendance_row *r = &rows[i];
        r->service_id = lines[i].service_id;
        r->practitioner_id = lines[i].practitioner_id;
        svc_copy(r->role, sizeof r->role, lines[i].role);
        if (!got || !valid_attendance_status(got->status)) {
            char msg[160];
            if (strcmp(lines[i].key, "school") == 0)
                snprintf(msg, sizeof msg, "Select whether the school attended");
            else if (lines[i].role[0])
                snprintf(msg, sizeof msg, "Select whether the %.100s attended", lines[i].label);
            else
                snprintf(msg, sizeof msg, "Select whether %.100s attended", lines[i].label);
            field_errors_add(errs, field, msg);
        } else {
            svc_copy(r->status, sizeof r->status, got->status);
        }
        char namef[40];
        snprintf(namef, sizeof namef, "name-%.23s", lines[i].key);
        const char *name = got && got->person_name ? got->person_name : "";
        if (trim_copy(name, r->person_name, sizeof r->person_name) < 0)
            field_errors_add(errs, namef, "Name must be 100 characters or fewer");
        else if (!text_is_clean(r->person_name, 0))
            field_errors_add(errs, namef, "Name must not contain special characters");
    }
    if (errs->count)
        return SVC_INVALID;
    if (store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    enum store_rc rc = store_end_write(c->db, q_attendance_replace(c->db, id, rows, nl));
    if (rc != STORE_OK)
        return svc_from_store(rc);
    return SVC_OK;
}

enum svc_status svc_meeting_guest_add(struct svc_ctx *c, int64_t id, const char *name, const char *role,
                                      const char *status, struct field_errors *errs, int64_t *guest_id)
{
    struct meeting_row m;
    enum svc_status st = for_edit(c, id, &m);
    if (st != SVC_OK)
        return st;
    if (!require_held(&m, "guest_name", errs))
        return SVC_INVALID;
    struct attendance_row r;
    memset(&r, 0, sizeof r);
    r.meeting_id = id;
    r.guest = true;
    if (trim_copy(name ? name : "", r.person_name, sizeof r.person_name) < 0)
        field_errors_add(errs, "guest_name", "Guest's name must be 100 characters or fewer");
    else if (!r.person_name[0])
        field_errors_add(errs, "guest_name", "Enter the guest's name");
    else if (!text_is_clean(r.person_name, 0))
        field_errors_add(errs, "guest_name", "Guest's name must not contain special characters");
    if (trim_copy(role ? role : "", r.role, sizeof r.role) < 0)
        field_errors_add(errs, "guest_role", "Guest's role must be 120 characters or fewer");
    else if (!r.role[0])
        field_errors_add(errs, "guest_role", "Enter the guest's role, like Social Worker (Adoption Team)");
    else if (!text_is_clean(r.role, 0))
        field_errors_add(errs, "guest_role", "Guest's role must not contain special characters");
    if (svc_blank(status))
        snprintf(r.status, sizeof r.status, "present");
    else if (valid_attendance_status(status))
        svc_copy(r.status, sizeof r.status, status);
    else
        field_errors_add(errs, "guest_status", "Select whether the guest was present");
    if (errs->count)
        return SVC_INVALID;
    enum store_rc rc = q_attendance_add(c->db, &r);
    if (rc == STORE_OK && guest_id)
        *guest_id = r.id;
    return svc_from_store(rc);
}

enum svc_status svc_meeting_guest_remove(struct svc_ctx *c, int64_t id, int64_t guest_id)
{
    struct meeting_row m;
    enum svc_status st = for_edit(c, id, &m);
    if (st != SVC_OK)
        return st;
    enum store_rc rc = q_attendance_remove_guest(c->db, id, guest_id);
    if (rc == STORE_DONE)
        return SVC_NOT_FOUND;
    return svc_from_store(rc);
}
