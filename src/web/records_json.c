#include "web/records_json.h"
#include "lib/count.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/calendar.h"
#include "core/chart.h"
#include "core/codes.h"
#include "core/evidence.h"
#include "core/retention.h"

json_t *json_label(const struct code_list *l, const char *code)
{
    const char *lab = code_label(l, code);
    return json_string(lab ? lab : code);
}

json_t *json_opt_id(int64_t id)
{
    return id > 0 ? json_integer((json_int_t)id) : json_null();
}

json_t *json_opt_str(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

json_t *json_person(int64_t id, const char *name)
{
    if (id <= 0)
        return json_null();
    return json_pack("{s:I, s:s}", "id", (json_int_t)id, "name", name);
}

/* A code's label for json_pack's "s". */
static const char *label_text(const struct code_list *l, const char *code)
{
    const char *s = code_label(l, code);
    return s ? s : code;
}

/* "2026-11-18 14:05 UTC", with seconds when asked. */
static void utc_text(int64_t at, bool seconds, char *out, size_t outsz)
{
    time_t t = (time_t)at;
    struct tm tm;
    gmtime_r(&t, &tm);
    /* The day as every date is shown ("4 December 2026"), then the time. */
    char day[32], clock[16];
    day_label((int32_t)(at >= 0 ? at / 86400 : (at - 86399) / 86400), day, sizeof day);
    if (seconds)
        strftime(clock, sizeof clock, "%H:%M:%S", &tm);
    else
        strftime(clock, sizeof clock, "%H:%M", &tm);
    snprintf(out, outsz, "%s %s UTC", day, clock);
}

static const char *cadence_text(const char *code)
{
    enum cadence cad;
    return cadence_from_code(code, &cad) == 0 ? cadence_label(cad) : code;
}

json_t *json_authority(const struct authority *a)
{
    return json_pack("{s:I, s:s, s:s}", "id", (json_int_t)a->id, "la_code", a->la_code, "name", a->name);
}

static json_t *opt_number(double v, int is_int)
{
    if (v < 0)
        return json_null();
    return is_int ? json_integer((json_int_t)v) : json_real(v);
}

json_t *json_school(const struct school *s)
{
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:b}", "id", (json_int_t)s->id,
                          "authority_id", (json_int_t)s->authority_id, "urn", s->urn, "name",
                          s->name, "phase", s->phase, "tas_member", s->tas_member);
    json_object_set_new(o, "establishment_number", json_string(s->estab));
    json_object_set_new(o, "phase_label", json_label(&codes_phase, s->phase));
    json_object_set_new(o, "pupils_on_roll", opt_number(s->pupils_on_roll, 1));
    json_object_set_new(o, "fsm_pct", opt_number(s->fsm_pct, 0));
    json_object_set_new(o, "sen_pct", opt_number(s->sen_pct, 0));
    json_object_set_new(o, "status", json_string(s->status[0] ? s->status : "open"));
    json_object_set_new(o, "closed", json_boolean(strcmp(s->status, "closed") == 0));
    return o;
}

json_t *json_pupil(const struct pupil_row *r)
{
    const struct pupil *p = &r->p;
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)p->id,
                          "upn", p->upn, "forenames", p->forenames, "surname", p->surname,
                          "date_of_birth", p->date_of_birth, "gender", p->gender, "ethnicity",
                          p->ethnicity, "nc_year", p->nc_year, "sen_provision", p->sen_provision);
    const struct code_entry *eth = code_find(&codes_ethnicity, p->ethnicity);
    json_object_set_new(o, "former_upn", json_string(p->former_upn));
    json_object_set_new(o, "gender_label", json_label(&codes_gender, p->gender));
    json_object_set_new(o, "ethnicity_label", json_string(eth ? eth->label : p->ethnicity));
    json_object_set_new(o, "ethnicity_group", json_string(eth && eth->group ? eth->group : "Unknown"));
    json_object_set_new(o, "nc_year_label", json_label(&codes_nc_year, p->nc_year));
    json_object_set_new(o, "sen_provision_label", json_label(&codes_sen_provision, p->sen_provision));
    json_object_set_new(o, "school", json_pack("{s:I, s:s}", "id", (json_int_t)p->school_id, "name",
                                               r->school_name));
    return o;
}

json_t *json_paging(int64_t page, int64_t per_page, int64_t total, const char *base)
{
    int64_t pages = total ? (total + per_page - 1) / per_page : 1;
    json_t *o = json_pack("{s:I, s:I, s:I, s:I}", "page", (json_int_t)page, "per_page",
                          (json_int_t)per_page, "total", (json_int_t)total, "pages", (json_int_t)pages);
    if (pages <= 1)
        return o;
    /* Links keep a chosen page size (25 is the default). */
    char with_size[560];
    if (per_page != 25) {
        snprintf(with_size, sizeof with_size, "%s%sper_page=%lld", base, strchr(base, '?') ? "&" : "?",
                 (long long)per_page);
        base = with_size;
    }
    const char *sep = strchr(base, '?') ? "&" : "?";
    char href[600];
    json_t *pg = json_object();
    if (page > 1) {
        snprintf(href, sizeof href, "%s%spage=%lld", base, sep, (long long)(page - 1));
        json_object_set_new(pg, "prev_href", json_string(href));
    }
    if (page < pages) {
        snprintf(href, sizeof href, "%s%spage=%lld", base, sep, (long long)(page + 1));
        json_object_set_new(pg, "next_href", json_string(href));
    }
    /* First, last, and two either side of the current page, with gaps. */
    json_t *items = json_array();
    int64_t last_shown = 0;
    for (int64_t i = 1; i <= pages; i++) {
        if (i != 1 && i != pages && (i < page - 2 || i > page + 2))
            continue;
        if (last_shown && i > last_shown + 1)
            json_array_append_new(items, json_pack("{s:b}", "ellipsis", 1));
        snprintf(href, sizeof href, "%s%spage=%lld", base, sep, (long long)i);
        json_array_append_new(items, json_pack("{s:I, s:s, s:b}", "number", (json_int_t)i, "href",
                                               href, "current", i == page));
        last_shown = i;
    }
    json_object_set_new(pg, "items", items);
    json_object_set_new(o, "pagination", pg);
    return o;
}

void json_owner_label(const char *practitioner, const char *name, const char *service, char *out, size_t n)
{
    const char *who = practitioner && *practitioner ? practitioner : name;
    if (who && *who && service && *service)
        snprintf(out, n, "%s (%s)", who, service);
    else if (who && *who)
        snprintf(out, n, "%s", who);
    else
        snprintf(out, n, "%s", service ? service : "");
}

json_t *json_case_ref(const struct case_ref *cr)
{
    return json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:o, s:b, s:s}", "id", (json_int_t)cr->id, "pupil_id",
                     (json_int_t)cr->pupil_id, "team_id", (json_int_t)cr->team_id, "pupil_name", cr->pupil_name,
                     "team_name", cr->team_name, "status", cr->status, "closed_on", json_opt_str(cr->closed_on),
                     "open", strcmp(cr->status, "open") == 0, "opened_on", cr->opened_on);
}

json_t *json_action(const struct svc_ctx *c, const struct action_row *a)
{
    char owner[400];
    json_owner_label(a->owner_practitioner_name, a->owner_name, a->owner_service_name, owner, sizeof owner);
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)a->id, "case_id",
                          (json_int_t)a->case_id, "description", a->description, "owner_name", a->owner_name,
                          "owner_label", owner, "setting", a->setting);
    json_object_set_new(o, "owner_service_id", json_opt_id(a->owner_service_id));
    json_object_set_new(o, "owner_service_name", json_opt_str(a->owner_service_name));
    json_object_set_new(o, "owner_practitioner_id", json_opt_id(a->owner_practitioner_id));
    json_object_set_new(o, "owner_practitioner_name", json_opt_str(a->owner_practitioner_name));
    json_object_set_new(o, "setting_label", json_label(&action_settings, a->setting));
    json_object_set_new(o, "nature", json_string(a->nature));
    json_object_set_new(o, "nature_label", json_label(&action_natures, a->nature));
    json_object_set_new(o, "resource_id", json_opt_id(a->resource_id));
    json_object_set_new(o, "resource_title", json_opt_str(a->resource_title));
    json_object_set_new(o, "resource_url", json_opt_str(a->resource_url));
    json_object_set_new(o, "due_on", json_opt_str(a->due_on));
    json_object_set_new(o, "status", json_string(a->status));
    json_object_set_new(o, "status_label", json_label(&action_statuses, a->status));
    json_object_set_new(o, "overdue", json_boolean(!a->voided_at && svc_action_is_overdue(c, a->status, a->due_on)));
    json_object_set_new(o, "not_done_reason", json_string(a->not_done_reason));
    json_object_set_new(o, "outcome", json_string(a->outcome));
    json_object_set_new(o, "closed_on", json_opt_str(a->closed_on));
    json_object_set_new(o, "discussion_id", json_opt_id(a->discussion_id));
    json_object_set_new(o, "meeting_id", json_opt_id(a->meeting_id));
    json_object_set_new(o, "meeting_date", json_opt_str(a->meeting_date));
    json_object_set_new(o, "created_at", json_integer((json_int_t)a->created_at));
    json_object_set_new(o, "voided", json_boolean(a->voided_at > 0));
    json_object_set_new(o, "void_reason", a->voided_at ? json_string(a->void_reason) : json_null());
    return o;
}

json_t *json_referral(const struct svc_ctx *c, const struct referral_row *r)
{
    json_t *o = json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)r->id, "case_id",
                          (json_int_t)r->case_id, "service_id", (json_int_t)r->service_id, "service_name",
                          r->service_name, "referred_on", r->referred_on, "outcome", r->outcome, "notes",
                          r->notes);
    json_object_set_new(o, "outcome_label", json_label(&referral_outcomes, r->outcome));
    json_object_set_new(o, "outcome_on", json_opt_str(r->outcome_on));
    json_object_set_new(o, "pending", json_boolean(!strcmp(r->outcome, "pending")));
    int64_t days = svc_referral_days_waited(c, r);
    json_object_set_new(o, "days_waited", days >= 0 ? json_integer((json_int_t)days) : json_null());
    json_object_set_new(o, "action_id", json_opt_id(r->action_id));
    json_object_set_new(o, "action_description", json_opt_str(r->action_description));
    json_object_set_new(o, "voided", json_boolean(r->voided_at > 0));
    json_object_set_new(o, "void_reason", r->voided_at ? json_string(r->void_reason) : json_null());
    return o;
}

json_t *json_agenda_item(const struct agenda_row *r)
{
    const char *m = code_label(&codes_feedback_method, r->feedback_method);
    json_t *o = json_pack("{s:I, s:I, s:I, s:s, s:b, s:s, s:I, s:s, s:I, s:I, s:b, s:b}",
                          "id", (json_int_t)r->id, "meeting_id", (json_int_t)r->meeting_id,
                          "case_id", (json_int_t)r->case_id, "kind", r->kind,
                          "review", strcmp(r->kind, "review") == 0, "minutes", r->minutes,
                          "pupil_id", (json_int_t)r->pupil_id, "pupil_name", r->pupil_name,
                          "open_actions", (json_int_t)r->open_actions, "overdue_actions",
                          (json_int_t)r->overdue_actions, "has_minutes", r->minutes[0] != '\0',
                          "case_open", strcmp(r->case_status, "open") == 0);
    if (r->feedback_on[0])
        json_object_set_new(o, "feedback", json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "on", r->feedback_on,
                                                     "method", r->feedback_method, "method_label",
                                                     m ? m : r->feedback_method, "by", r->feedback_by,
                                                     "parent_said", r->parent_said, "child_said", r->child_said));
    else
        json_object_set_new(o, "feedback", json_null());
    json_object_set_new(o, "first_discussed", r->first_discussed[0] ? json_string(r->first_discussed) : json_null());
    json_object_set_new(o, "voided", json_boolean(r->voided_at > 0));
    json_object_set_new(o, "void_reason", r->voided_at ? json_string(r->void_reason) : json_null());
    return o;
}

json_t *json_meeting_brief(const struct meeting_brief *m)
{
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:b, s:b}", "id", (json_int_t)m->id, "team_id",
                     (json_int_t)m->team_id, "team_name", m->team_name, "date", m->meeting_date, "start_time",
                     m->start_time, "status", m->status, "held", strcmp(m->status, "held") == 0,
                     "cancelled", strcmp(m->status, "cancelled") == 0);
}

json_t *json_audit_entry(const struct audit_entry *e)
{
    char when[64];
    utc_text(e->at, true, when, sizeof when);
    json_t *o = json_pack("{s:I, s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:s,"
                          " s:I, s:b, s:b, s:b, s:s, s:s}",
                          "id", (json_int_t)e->id, "at", (json_int_t)e->at, "at_text", when,
                          "user_id", (json_int_t)e->user_id, "username", e->username,
                          "remote_addr", e->remote_addr, "action", e->action,
                          "resource_kind", e->resource_kind, "resource_id", (json_int_t)e->resource_id,
                          "pupil_id", (json_int_t)e->pupil_id, "school_id", (json_int_t)e->school_id,
                          "authority_id", (json_int_t)e->authority_id, "detail", e->detail,
                          "flags", (json_int_t)e->flags,
                          "break_glass", (e->flags & AUDIT_FLAG_BREAK_GLASS) != 0,
                          "refused", (e->flags & AUDIT_FLAG_REFUSED) != 0,
                          "system", (e->flags & AUDIT_FLAG_SYSTEM) != 0,
                          "prev_hash", e->prev_hash, "hash", e->hash);
    return o;
}

/* Retention settings. */
json_t *json_retention_rules(const struct retention_rule *rules)
{
    json_t *o = json_object();
    for (int t = 0; t < RET__COUNT; t++)
        json_object_set_new(o, retention_code((enum retention_type)t),
                            json_pack("{s:i, s:i, s:s}", "months", rules[t].months, "until_age",
                                      rules[t].until_age, "effect", retention_effect((enum retention_type)t)));
    return o;
}

json_t *json_break_glass(const struct break_glass_row *r, int64_t now)
{
    char at[64], expires[64], reviewed[64] = "";
    utc_text(r->at, false, at, sizeof at);
    utc_text(r->expires, false, expires, sizeof expires);
    if (r->reviewed_at)
        utc_text(r->reviewed_at, false, reviewed, sizeof reviewed);
    enum role role;
    const char *label = role_from_code(r->role, &role) == 0 ? role_label(role) : r->role;
    json_t *o = json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:I, s:b, s:b}",
                          "id", (json_int_t)r->id, "user_id", (json_int_t)r->user_id,
                          "pupil_id", (json_int_t)r->pupil_id, "user_name", r->user_name,
                          "role", r->role, "role_label", label, "reason", r->reason,
                          "at", (json_int_t)r->at, "at_text", at, "expires", (json_int_t)r->expires,
                          "active", r->expires > now, "reviewed", r->reviewed_at != 0);
    json_object_set_new(o, "expires_text", json_string(expires));
    if (r->reviewed_at) {
        json_object_set_new(o, "reviewed_at", json_integer(r->reviewed_at));
        json_object_set_new(o, "reviewed_at_text", json_string(reviewed));
        json_object_set_new(o, "reviewer_name", json_string(r->reviewer_name));
    } else {
        json_object_set_new(o, "reviewed_at", json_null());
    }
    return o;
}

json_t *json_consent(const struct consent_row *r)
{
    json_t *svc = json_array();
    for (size_t i = 0; i < r->nservices; i++)
        json_array_append_new(svc, json_integer(r->service_ids[i]));
    const char *rel = code_label(&codes_consent_relationship, r->relationship);
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:b, s:o}", "id", (json_int_t)r->id,
                          "pupil_id", (json_int_t)r->pupil_id, "given_by", r->given_by,
                          "relationship", r->relationship, "relationship_label", rel ? rel : r->relationship,
                          "given_on", r->given_on, "covers_discussion", r->covers_discussion,
                          "service_ids", svc);
    if (r->withdrawn_on[0]) {
        json_object_set_new(o, "withdrawn_on", json_string(r->withdrawn_on));
        json_object_set_new(o, "withdrawal_reason", json_string(r->withdrawal_reason));
    } else {
        json_object_set_new(o, "withdrawn_on", json_null());
    }
    return o;
}

json_t *json_outcome(const struct outcome_row *r)
{
    char starts[40], ends[40];
    date_label(r->starts_on, starts, sizeof starts);
    date_label(r->ends_on, ends, sizeof ends);
    enum outcome_kind k = OUT_ATTENDANCE;
    bool known = outcome_kind_from_code(r->kind, &k) == 0;
    const struct code_list *codes = known ? outcome_kind_codes(k) : NULL;
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:s}", "id", (json_int_t)r->id,
                          "pupil_id", (json_int_t)r->pupil_id, "kind", r->kind, "kind_label",
                          known ? outcome_kind_label(k) : r->kind, "starts_on", r->starts_on, "starts_label",
                          starts, "ends_on", json_opt_str(r->ends_on), "ends_label", ends, "code",
                          json_opt_str(r->code), "source", r->source);
    if (r->code[0])
        json_object_set_new(o, "code_label", codes ? json_label(codes, r->code) : json_string(r->code));
    if (known && k == OUT_ATTENDANCE) {
        double pct = attendance_pct(r->sessions_possible, r->sessions_missed);
        char text[16];
        snprintf(text, sizeof text, "%.1f%%", pct);
        json_object_set_new(o, "sessions_possible", json_integer(r->sessions_possible));
        json_object_set_new(o, "sessions_missed", json_integer(r->sessions_missed));
        json_object_set_new(o, "attendance_pct", json_real((double)(int64_t)(pct * 10 + 0.5) / 10));
        json_object_set_new(o, "attendance_text", json_string(text));
        json_object_set_new(o, "persistent_absence",
                            json_boolean(persistent_absence(r->sessions_possible, r->sessions_missed)));
    }
    if (known && outcome_kind_has_sessions(k))
        json_object_set_new(o, "sessions", json_integer(r->sessions));
    return o;
}

json_t *json_outcomes_by_kind(json_t *list)
{
    json_t *groups = json_array();
    for (int k = 0; k < OUT__COUNT; k++) {
        const char *code = outcome_kind_code((enum outcome_kind)k);
        json_t *recs = json_array();
        size_t i;
        json_t *r;
        json_array_foreach(list, i, r) {
            if (strcmp(json_string_value(json_object_get(r, "kind")), code) == 0)
                json_array_append(recs, r);
        }
        if (json_array_size(recs) == 0) {
            json_decref(recs);
            continue;
        }
        json_array_append_new(groups, json_pack("{s:s, s:s, s:b, s:b, s:o}", "kind", code, "label",
                                                outcome_kind_label((enum outcome_kind)k), "attendance",
                                                k == OUT_ATTENDANCE, "has_end",
                                                outcome_kind_has_end((enum outcome_kind)k), "records", recs));
    }
    json_decref(list);
    return groups;
}

static json_t *day_json(int32_t day)
{
    char iso[11];
    day_format(day, iso);
    return json_string(iso);
}

static json_t *window_json(const struct outcome_indicators *x, int32_t from, int32_t to)
{
    char fl[40], tl[40];
    day_label(from, fl, sizeof fl);
    day_label(to, tl, sizeof tl);
    json_t *o = json_pack("{s:o, s:o, s:s, s:s, s:I, s:I, s:i, s:i, s:I, s:b, s:b, s:b, s:b}", "from",
                          day_json(from), "to", day_json(to), "from_label", fl, "to_label", tl,
                          "sessions_possible", (json_int_t)x->sessions_possible, "sessions_missed",
                          (json_int_t)x->sessions_missed, "attendance_terms", x->attendance_terms, "suspensions",
                          x->suspensions, "suspension_sessions", (json_int_t)x->suspension_sessions, "excluded",
                          x->excluded, "part_time", x->part_time, "in_ap", x->in_ap, "mainstream_at_end",
                          x->mainstream_at_end);
    json_object_set_new(o, "attendance_pct",
                        x->sessions_possible > 0
                            ? json_real(attendance_pct(x->sessions_possible, x->sessions_missed))
                            : json_null());
    return o;
}

static const char *change_text(enum outcome_change c)
{
    static const char *const text[] = {"Not known", "Rose", "Fell", "No change"};
    return (unsigned)c < 4 ? text[c] : "";
}

static const char *yes_no(bool b)
{
    return b ? "Yes" : "No";
}

static void add_compare_row(json_t *rows, const char *label, const char *before, const char *after,
                            const char *change)
{
    json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:s}", "label", label, "before", before, "after",
                                          after, "change", change));
}

static json_t *pair_json(const struct chart_pair *g)
{
    json_t *bars = json_array(), *ticks = json_array();
    for (int i = 0; i < 2; i++) {
        const struct chart_pair_bar *b = &g->bars[i];
        json_array_append_new(bars, json_pack("{s:s, s:b, s:i, s:i, s:i, s:i, s:s, s:i, s:i, s:i}", "label",
                                              b->label, "drawn", b->drawn, "x", b->x, "y", b->y, "w", b->w, "h",
                                              b->h, "value", b->value, "tx", b->text_x, "ty", b->text_y, "lx",
                                              b->x - 8));
    }
    for (size_t i = 0; i < g->nticks; i++)
        json_array_append_new(ticks, json_pack("{s:s, s:i, s:i, s:i, s:i}", "text", g->ticks[i].text, "x",
                                               g->ticks[i].x, "y", g->ticks[i].y, "y1", g->plot_y, "y2",
                                               g->plot_y + g->plot_h));
    return json_pack("{s:i, s:i, s:o, s:o}", "width", g->width, "height", g->height, "bars", bars, "ticks",
                     ticks);
}

json_t *json_outcome_compare(const struct outcome_compare *cmp, const char *presented, int nterms)
{
    char pl[40];
    date_label(presented, pl, sizeof pl);
    json_t *o = json_pack("{s:s, s:s, s:i, s:b}", "presented_on", presented, "presented_label", pl, "terms",
                          nterms, "complete", cmp->w.complete);
    if (!cmp->w.complete)
        return o;
    const struct outcome_indicators *b = &cmp->before, *a = &cmp->after;
    json_object_set_new(o, "before", window_json(b, cmp->w.before_starts, cmp->w.before_ends));
    json_object_set_new(o, "after", window_json(a, cmp->w.after_starts, cmp->w.after_ends));
    json_object_set_new(o, "attendance", json_string(outcome_change_code(cmp->attendance)));
    json_object_set_new(o, "suspensions", json_string(outcome_change_code(cmp->suspensions)));
    json_object_set_new(o, "stayed_in_mainstream", json_boolean(cmp->stayed_in_mainstream));

    json_t *rows = json_array();
    char bt[48], at[48];
    const double pct[2] = {attendance_pct(b->sessions_possible, b->sessions_missed),
                           attendance_pct(a->sessions_possible, a->sessions_missed)};
    const bool have[2] = {b->sessions_possible > 0, a->sessions_possible > 0};
    snprintf(bt, sizeof bt, have[0] ? "%.1f%%" : "No records", pct[0]);
    snprintf(at, sizeof at, have[1] ? "%.1f%%" : "No records", pct[1]);
    add_compare_row(rows, "Attendance", bt, at, change_text(cmp->attendance));
    snprintf(bt, sizeof bt, "%d (%lld sessions)", b->suspensions, (long long)b->suspension_sessions);
    snprintf(at, sizeof at, "%d (%lld sessions)", a->suspensions, (long long)a->suspension_sessions);
    add_compare_row(rows, "Suspensions", bt, at, change_text(cmp->suspensions));
    add_compare_row(rows, "Permanently excluded", yes_no(b->excluded), yes_no(a->excluded), "");
    add_compare_row(rows, "On a part-time timetable", yes_no(b->part_time), yes_no(a->part_time), "");
    add_compare_row(rows, "In alternative provision", yes_no(b->in_ap), yes_no(a->in_ap), "");
    add_compare_row(rows, "In mainstream at the end", yes_no(b->mainstream_at_end), yes_no(a->mainstream_at_end),
                    cmp->stayed_in_mainstream ? "Stayed in mainstream" : "");
    json_object_set_new(o, "rows", rows);

    struct chart_pair g;
    const char *const labels[2] = {"Before", "After"};
    chart_pair_layout(labels, pct, have, &g);
    json_object_set_new(o, "chart", pair_json(&g));
    return o;
}

json_t *json_case(const struct case_row *c)
{
    json_t *needs = json_array();
    for (int i = 0; i < CASE_NEED_AREAS; i++)
        if (c->needs[i][0])
            json_array_append_new(needs, json_pack("{s:s, s:s, s:s}", "area", codes_need_area.entries[i].code,
                                                   "label", codes_need_area.entries[i].label,
                                                   "description", c->needs[i]));
    json_t *prior = json_array();
    for (int i = 0; i < CASE_PRIOR_FLAGS; i++)
        json_array_append_new(prior, json_pack("{s:s, s:s, s:s, s:s}", "code", codes_prior_contact.entries[i].code,
                                               "label", codes_prior_contact.entries[i].label, "value",
                                               tristate_code(c->prior[i]), "value_label",
                                               tristate_label(c->prior[i])));
    json_t *o = json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)c->id,
                          "pupil_id", (json_int_t)c->pupil_id, "team_id", (json_int_t)c->team_id,
                          "status", c->status, "opened_on", c->opened_on, "pupil_name", c->pupil_name,
                          "upn", c->upn, "team_name", c->team_name, "closure_reason", c->closure_reason);
    json_object_set_new(o, "closed_on", c->closed_on[0] ? json_string(c->closed_on) : json_null());
    json_object_set_new(o, "open", json_boolean(strcmp(c->status, "open") == 0));
    json_object_set_new(o, "needs", needs);
    json_object_set_new(o, "strengths", json_string(c->strengths));
    json_object_set_new(o, "tried", json_string(c->tried));
    json_object_set_new(o, "child_voice", json_string(c->child_voice));
    json_object_set_new(o, "parent_voice", json_string(c->parent_voice));
    json_object_set_new(o, "hoped_outcomes", json_string(c->hoped_outcomes));
    json_object_set_new(o, "prior_contact", prior);
    json_object_set_new(o, "summary_before_meeting", json_string(tristate_code(c->summary_before_meeting)));
    json_object_set_new(o, "summary_before_meeting_label", json_string(tristate_label(c->summary_before_meeting)));
    json_object_set_new(o, "ect_completed", json_string(tristate_code(c->ect_completed)));
    json_object_set_new(o, "ect_completed_label", json_string(tristate_label(c->ect_completed)));
    enum outcome_cell cell = outcome_cell_of(c->ei_appropriate, c->referral_made);
    json_object_set_new(o, "outcome", cell == OC_UNCLASSIFIED ? json_null()
                                      : json_pack("{s:b, s:b, s:s, s:s}", "ei_appropriate", c->ei_appropriate == 1,
                                                  "referral_made", c->referral_made == 1, "cell",
                                                  outcome_cell_code(cell), "label", outcome_cell_label(cell)));
    return o;
}

json_t *json_meeting(const struct meeting_row *r)
{
    const struct meeting *m = &r->m;
    char label[48] = "", href[48], agenda[64];
    int32_t d;
    if (day_parse(m->date, &d) == 0)
        day_label_long(d, label, sizeof label);
    snprintf(href, sizeof href, "/meetings/%lld", (long long)m->id);
    snprintf(agenda, sizeof agenda, "/meetings/%lld/agenda", (long long)m->id);
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)m->id,
                          "date", m->date, "date_label", label, "start_time", m->start_time, "status",
                          m->status, "status_label", meeting_status_label(m->status), "mode", m->mode,
                          "mode_label", meeting_mode_label(m->mode), "cancel_reason", m->cancel_reason,
                          "notes", m->notes);
    json_object_set_new(o, "team", json_pack("{s:I, s:s}", "id", (json_int_t)m->team_id, "name", r->team_name));
    json_object_set_new(o, "attendance_count", json_integer((json_int_t)r->attendance_count));
    json_object_set_new(o, "voided", json_boolean(m->voided_at > 0));
    json_object_set_new(o, "void_reason", m->voided_at ? json_string(m->void_reason) : json_null());
    json_object_set_new(o, "is_planned", json_boolean(strcmp(m->status, "planned") == 0));
    json_object_set_new(o, "is_held", json_boolean(strcmp(m->status, "held") == 0));
    json_object_set_new(o, "is_cancelled", json_boolean(strcmp(m->status, "cancelled") == 0));
    json_object_set_new(o, "href", json_string(href));
    json_object_set_new(o, "agenda_href", json_string(agenda));
    return o;
}

json_t *json_team(const struct team_row *r)
{
    const struct team *t = &r->t;
    char href[48];
    snprintf(href, sizeof href, "/teams/%lld", (long long)t->id);
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:i, s:s, s:b, s:s}",
                          "id", (json_int_t)t->id, "authority_id", (json_int_t)t->authority_id, "name",
                          t->name, "chair_name", t->chair_name, "cadence", t->cadence, "cadence_label",
                          cadence_text(t->cadence), "weekday", t->weekday, "weekday_label",
                          (t->weekday >= 1 && t->weekday <= 5) ? weekday_name(t->weekday) : "",
                          "start_time", t->start_time, "duration_minutes", t->duration_minutes,
                          "location", t->location, "active", t->active, "href", href);
    json_object_set_new(o, "lists_dates", json_boolean(strcmp(t->cadence, "dates") == 0));
    json_object_set_new(o, "host_school", json_pack("{s:I, s:s}", "id", (json_int_t)t->host_school_id,
                                                    "name", r->host_school_name));
    json_object_set_new(o, "strategic_lead", json_person(t->strategic_lead_user_id, r->strategic_lead_name));
    json_object_set_new(o, "case_coordinator", json_person(t->case_coordinator_user_id, r->case_coordinator_name));
    int32_t d;
    if (r->next_meeting[0] && day_parse(r->next_meeting, &d) == 0) {
        char label[48];
        day_label_long(d, label, sizeof label);
        json_object_set_new(o, "next_meeting", json_string(r->next_meeting));
        json_object_set_new(o, "next_meeting_label", json_string(label));
    } else {
        json_object_set_new(o, "next_meeting", json_null());
    }
    return o;
}

json_t *json_service(const struct service_row *r)
{
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)r->id, "authority_id",
                     (json_int_t)r->authority_id, "code", r->code, "name", r->name, "org_kind", r->org_kind,
                     "org_kind_label", label_text(&ref_org_kinds, r->org_kind), "active", r->active);
}

json_t *json_practitioner(const struct practitioner_row *r)
{
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:b, s:I, s:{s:I, s:s}}", "id", (json_int_t)r->id,
                          "authority_id", (json_int_t)r->authority_id, "name", r->name, "job_title",
                          r->job_title, "email", r->email, "active", r->active, "service_id",
                          (json_int_t)r->service_id, "service", "id", (json_int_t)r->service_id, "name",
                          r->service_name);
    json_object_set_new(o, "school_id", json_opt_id(r->school_id));
    json_object_set_new(o, "user_id", json_opt_id(r->user_id));
    return o;
}

json_t *json_resource(const struct resource_row *r)
{
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)r->id,
                     "authority_id", (json_int_t)r->authority_id, "title", r->title, "kind", r->kind,
                     "kind_label", label_text(&ref_resource_kinds, r->kind), "audience", r->audience,
                     "audience_label", label_text(&ref_audiences, r->audience), "url", r->url, "description",
                     r->description, "active", r->active);
}

static const char *const story_statuses[][2] = {
    {"submitted", "Awaiting approval"}, {"returned", "Returned"}, {"approved", "Approved"}};

json_t *json_story(const struct story_row *r)
{
    const char *status_label = r->status;
    for (size_t i = 0; i < COUNT(story_statuses); i++)
        if (!strcmp(story_statuses[i][0], r->status))
            status_label = story_statuses[i][1];
    char approved[48] = "";
    if (r->approved_on[0])
        date_label(r->approved_on, approved, sizeof approved);
    json_t *o = json_pack("{s:I, s:I, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s}", "id", (json_int_t)r->id,
                          "case_id", (json_int_t)r->case_id, "pattern", r->pattern, "pattern_label",
                          json_label(&codes_story_pattern, r->pattern), "situation", r->situation,
                          "what_tas_did", r->what_tas_did, "what_changed", r->what_changed, "status", r->status,
                          "status_label", status_label, "review_comment", r->review_comment, "team_id",
                          (json_int_t)r->team_id, "team_name", r->team_name);
    json_object_set_new(o, "pupil_name", json_sprintf("%s %s", r->forenames, r->surname));
    json_object_set_new(o, "approved_on", json_opt_str(r->approved_on));
    json_object_set_new(o, "approved_label", json_opt_str(approved));
    json_object_set_new(o, "awaiting", json_boolean(!strcmp(r->status, "submitted")));
    return o;
}

json_t *json_story_released(const struct story_released *r)
{
    char year[16] = "";
    if (r->academic_year > 0)
        snprintf(year, sizeof year, "%d/%02d", r->academic_year, (r->academic_year + 1) % 100);
    return json_pack("{s:I, s:s, s:s, s:o, s:s, s:s, s:o, s:s, s:s, s:s}", "id", (json_int_t)r->id, "team_name",
                     r->team_name, "phase", r->phase, "phase_label", json_label(&codes_phase, r->phase),
                     "academic_year", year, "pattern", r->pattern, "pattern_label",
                     json_label(&codes_story_pattern, r->pattern), "situation", r->situation, "what_tas_did",
                     r->what_tas_did, "what_changed", r->what_changed);
}

json_t *json_toolkit_completion(const struct toolkit_completion_row *r)
{
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:I, s:i, s:s, s:s}", "id", (json_int_t)r->id, "pupil_id",
                          (json_int_t)r->pupil_id, "toolkit", r->name, "title", r->title, "definition_id",
                          (json_int_t)r->definition_id, "version", r->version, "status", r->status, "answers",
                          r->answers);
    json_object_set_new(o, "case_id", json_opt_id(r->case_id));
    json_object_set_new(o, "score", r->scored ? json_integer((json_int_t)r->score) : json_null());
    json_object_set_new(o, "band", r->scored ? json_opt_str(r->band) : json_null());
    json_object_set_new(o, "completed_on", json_opt_str(r->completed_on));
    return o;
}

json_t *json_toolkit_def(const struct toolkit_def *d)
{
    json_t *sections = json_array(), *bands = json_array();
    for (size_t s = 0; s < d->nsections; s++) {
        json_t *items = json_array();
        for (size_t i = 0; i < d->nitems; i++) {
            const struct tk_item *it = &d->items[i];
            if (it->section != s)
                continue;
            const struct tk_scale *sc = &d->scales[it->scale];
            json_t *opts = json_array();
            for (size_t k = 0; k < sc->noptions; k++)
                json_array_append_new(opts, json_pack("{s:i, s:s}", "value", sc->options[k].value, "label",
                                                      sc->options[k].label));
            json_array_append_new(items, json_pack("{s:s, s:s, s:i, s:o}", "id", it->id, "text", it->text,
                                                   "weight", it->weight, "answers", opts));
        }
        json_array_append_new(sections, json_pack("{s:s, s:s, s:o}", "id", d->sections[s].id, "title",
                                                  d->sections[s].title, "items", items));
    }
    for (size_t b = 0; b < d->nbands; b++)
        json_array_append_new(bands, json_pack("{s:i, s:s, s:s, s:b}", "min", d->bands[b].min, "code",
                                               d->bands[b].code, "label", d->bands[b].label, "flag",
                                               d->bands[b].flag));
    return json_pack("{s:s, s:i, s:s, s:s, s:o, s:o}", "name", d->name, "version", d->version, "title", d->title,
                     "about", d->about, "sections", sections, "bands", bands);
}

json_t *json_worklist_flag(const struct worklist_flag_row *f)
{
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:I, s:s}", "id", (json_int_t)f->id, "pupil_id",
                          (json_int_t)f->pupil_id, "pupil_name", f->pupil_name, "reason", f->reason, "raised_on",
                          f->raised_on, "toolkit_title", f->toolkit_title, "score", (json_int_t)f->score, "band",
                          f->band);
    json_object_set_new(o, "completion_id", json_opt_id(f->completion_id));
    json_object_set_new(o, "cleared_on", json_opt_str(f->cleared_on));
    return o;
}
