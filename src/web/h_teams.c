/* Teams: list, view, add, edit, plan a year's meetings, add a one-off
 * meeting; HTML and JSON (/api/v1/teams...).  Data comes from
 * service/svc_teams.c (and service/svc_meetings.c for meetings). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "lib/count.h"
#include "core/validate.h"
#include "service/svc_cohorts.h"
#include "service/svc_meetings.h"
#include "service/svc_teams.h"
#include "web/form.h"
#include "web/listing.h"
#include "web/records_json.h"
#include "web/router.h"
#include "web/view.h"

/* Defined in h_meetings.c. */

/* The team form's meeting dates: blank date inputs after those filled in,
 * and the fewest shown. */
#define TEAM_FORM_BLANK_DATES 4
#define TEAM_FORM_MIN_DATES 6

static const char *const weekday_labels[] = {"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday"};

static void collect_school_json(void *arr, const struct team_school *s)
{
    json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:b}", "id", (json_int_t)s->id, "name", s->name,
                                         "phase", s->phase, "host", s->host));
}

static void collect_member_json(void *arr, const struct team_member *m)
{
    json_t *o = json_pack("{s:I, s:s, s:s}", "service_id", (json_int_t)m->service_id, "service_name",
                          m->service_name, "practitioner_name", m->practitioner_name);
    json_object_set_new(o, "practitioner_id", m->practitioner_id ? json_integer((json_int_t)m->practitioner_id)
                                                                 : json_null());
    json_array_append_new(arr, o);
}

/* The team with its schools and members. */
static json_t *json_team_full(struct svc_ctx *c, const struct team_row *r)
{
    json_t *o = json_team(r);
    json_t *schools = json_array(), *members = json_array();
    (void)svc_team_schools(c, r, collect_school_json, schools);
    (void)svc_team_members(c, r, collect_member_json, members);
    json_object_set_new(o, "schools", schools);
    json_object_set_new(o, "members", members);
    return o;
}

/* ---- List ---- */

struct list_ctx {
    struct svc_ctx *c;
    json_t *rows;
};

static void collect_team(void *arg, const struct team_row *r)
{
    struct list_ctx *l = arg;
    json_t *o = json_team(r);
    json_t *schools = json_array();
    (void)svc_team_schools(l->c, r, collect_school_json, schools);
    json_object_set_new(o, "schools", schools);
    json_array_append_new(l->rows, o);
}

static void h_team_list(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct page_req pg;
    listing_page(rq, &pg);
    const char *active = req_query(rq, "active");
    struct team_filter f = {c.today, -1};
    if (active && strcmp(active, "yes") == 0)
        f.active = 1;
    else if (active && strcmp(active, "no") == 0)
        f.active = 0;
    struct list_ctx l = {&c, json_array()};
    int64_t total = 0;
    if (view_failed_drop(rq, rs, svc_team_list(&c, &f, &pg, &total, collect_team, &l), l.rows))
        return;
    const char *base = f.active < 0 ? "/teams" : f.active ? "/teams?active=yes" : "/teams?active=no";
    json_t *ctx = view_list_page(rq, rs, &pg, total, base, "teams", l.rows, NULL, "Teams", "teams");
    if (!ctx)
        return;
    view_list_csv_link(rq, ctx, RES_TEAM);
    view_breadcrumbs(ctx, "/", "Home", NULL);
    view_count_text(ctx, total, "team", "teams");
    json_object_set_new(ctx, "can_create", json_boolean(svc_allowed(&c, ACT_CREATE, RES_TEAM, 0, 0, 0)));
    view_render(rq, rs, 200, "team_list", ctx);
}

/* ---- The form ---- */

static const struct req_field team_fields[] = {
    REQ_FIELD(struct team_form, name), REQ_FIELD(struct team_form, host_school_id),
    REQ_FIELD(struct team_form, chair_name), REQ_FIELD(struct team_form, strategic_lead_user_id),
    REQ_FIELD(struct team_form, case_coordinator_user_id), REQ_FIELD(struct team_form, cadence),
    REQ_FIELD(struct team_form, weekday), REQ_FIELD(struct team_form, start_time),
    REQ_FIELD(struct team_form, duration_minutes), REQ_FIELD(struct team_form, location),
    REQ_FIELD(struct team_form, active), REQ_FIELD(struct team_form, dates),
};

static void read_form(struct req *rq, struct team_form *f)
{
    memset(f, 0, sizeof *f);
    req_fields(rq, team_fields, COUNT(team_fields), f);
    if (rq->json && json_is_array(json_object_get(rq->json, "dates"))) {
        struct buf b = BUF_INIT;
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(rq->json, "dates"), i, v) {
            /* A line break inside an item would split it: not a date. */
            const char *d = json_is_string(v) ? json_string_value(v) : "";
            buf_puts(&b, strchr(d, '\n') ? "" : d);
            buf_putc(&b, '\n');
        }
        f->dates = req_keep(rq, buf_str(&b));
        f->dates_listed = true;
        buf_free(&b);
    }
    f->nschools = req_param_all(rq, "school_ids", f->school_ids, TEAM_FORM_MAX_IDS);
    f->nservices = req_param_all(rq, "service_ids", f->service_ids, TEAM_FORM_MAX_IDS);
    if (rq->json)
        return;
    /* The meeting dates' GOV.UK date inputs, date1 .. dateN, kept in their
     * places so an error names the row it is about. */
    for (size_t i = 0; i < TEAM_MAX_DATES; i++) {
        char k[32];
        struct team_date_input *r = &f->date_rows[i];
        snprintf(k, sizeof k, "date%zu-day", i + 1);
        r->day = req_param(rq, k);
        snprintf(k, sizeof k, "date%zu-month", i + 1);
        r->month = req_param(rq, k);
        snprintf(k, sizeof k, "date%zu-year", i + 1);
        r->year = req_param(rq, k);
        if (r->day || r->month || r->year)
            f->ndate_rows = i + 1;
    }
}

struct planned_rows {
    struct req *rq;
    struct team_form *f;
};

static void add_planned_date(void *arg, const struct meeting_row *r)
{
    struct planned_rows *p = arg;
    if (strcmp(r->m.status, "planned") != 0 || p->f->ndate_rows >= TEAM_MAX_DATES)
        return;
    int32_t d;
    if (day_parse(r->m.date, &d) != 0)
        return;
    struct team_date_input *row = &p->f->date_rows[p->f->ndate_rows++];
    req_day_text(p->rq, d, &row->day, &row->month, &row->year);
}

static void form_from_team(struct req *rq, struct svc_ctx *c, const struct team_row *r, struct team_form *f)
{
    const struct team *t = &r->t;
    memset(f, 0, sizeof *f);
    f->name = t->name;
    f->host_school_id = req_id_text(rq, t->host_school_id);
    f->chair_name = t->chair_name;
    f->strategic_lead_user_id = req_id_text(rq, t->strategic_lead_user_id);
    f->case_coordinator_user_id = req_id_text(rq, t->case_coordinator_user_id);
    f->cadence = t->cadence;
    char buf[24];
    snprintf(buf, sizeof buf, "%d", t->weekday);
    f->weekday = req_keep(rq, buf);
    f->start_time = t->start_time;
    snprintf(buf, sizeof buf, "%d", t->duration_minutes);
    f->duration_minutes = req_keep(rq, buf);
    f->location = t->location;
    f->active = t->active ? "yes" : "no";
    for (size_t i = 0; i < t->nschools && i < TEAM_FORM_MAX_IDS; i++)
        f->school_ids[f->nschools++] = req_id_text(rq, t->school_ids[i]);
    for (size_t i = 0; i < t->nservices && i < TEAM_FORM_MAX_IDS; i++)
        f->service_ids[f->nservices++] = req_id_text(rq, t->service_ids[i]);
    if (strcmp(t->cadence, "dates") == 0) {
        /* The dates still to come, as the list to add to. */
        struct planned_rows p = {rq, f};
        struct meeting_filter mf = {t->id, "planned", c->today, "", c->today, MEETING_OLDEST_FIRST, 0, NULL};
        struct page_req pg = {1, TEAM_MAX_DATES};
        int64_t total;
        (void)svc_meeting_list(c, &mf, &pg, &total, add_planned_date, &p);
    }
}

static bool listed(const char *const *vals, size_t n, const char *v)
{
    for (size_t i = 0; i < n; i++)
        if (vals[i] && strcmp(vals[i], v) == 0)
            return true;
    return false;
}

/* Pick lists of one authority, as JSON arrays. */
struct picks {
    json_t *schools, *leads, *coordinators, *services;
};

static void pick_school(void *arr, const struct team_school *s)
{
    json_array_append_new(arr, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)s->id, "name", s->name,
                                         "phase", s->phase));
}

static void pick_person(void *arr, const struct team_person *p)
{
    json_array_append_new(arr, json_pack("{s:I, s:s}", "id", (json_int_t)p->id, "name", p->display_name));
}

static void pick_service(void *arr, const struct service_row *s)
{
    json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:b}", "id", (json_int_t)s->id, "code", s->code,
                                         "name", s->name, "org_kind", s->org_kind, "active", s->active));
}

static enum svc_status load_picks(struct svc_ctx *c, int64_t authority_id, const struct team_row *editing,
                                  struct picks *p)
{
    p->schools = json_array();
    p->leads = json_array();
    p->coordinators = json_array();
    p->services = json_array();
    enum svc_status st = svc_team_pick_schools(c, authority_id, editing, pick_school, p->schools);
    if (st == SVC_OK)
        st = svc_team_pick_people(c, authority_id, editing, ROLE_STRATEGIC_LEAD, pick_person, p->leads);
    if (st == SVC_OK)
        st = svc_team_pick_people(c, authority_id, editing, ROLE_CASE_COORDINATOR, pick_person, p->coordinators);
    if (st == SVC_OK)
        st = svc_team_pick_services(c, authority_id, editing, pick_service, p->services);
    return st;
}

static void picks_free(struct picks *p)
{
    json_decref(p->schools);
    json_decref(p->leads);
    json_decref(p->coordinators);
    json_decref(p->services);
}

static json_t *select_from(const char *name, const char *label, const char *hint, const char *current,
                           const struct field_errors *e, const char *blank, json_t *arr)
{
    json_t *f = fld_input(name, label, NULL, e, hint);
    json_object_del(f, "value");
    fld_add_option(f, "", blank, current ? current : "");
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        char id[24];
        snprintf(id, sizeof id, "%" JSON_INTEGER_FORMAT, json_integer_value(json_object_get(v, "id")));
        fld_add_option(f, id, json_string_value(json_object_get(v, "name")), current);
    }
    return f;
}

static json_t *checkboxes_from(const char *name, const char *legend, const char *hint,
                               const char *const *vals, size_t nvals, const struct field_errors *e, json_t *arr,
                               bool inactive_unless_ticked)
{
    json_t *f = fld_radios_codes(name, legend, NULL, e, &(const struct code_list){name, NULL, 0}, 0);
    fld_set(f, "hint", hint);
    json_t *items = json_object_get(f, "items");
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        char id[24];
        snprintf(id, sizeof id, "%" JSON_INTEGER_FORMAT, json_integer_value(json_object_get(v, "id")));
        bool ticked = listed(vals, nvals, id);
        json_t *act = json_object_get(v, "active");
        if (inactive_unless_ticked && json_is_false(act) && !ticked)
            continue;
        json_array_append_new(items, json_pack("{s:s, s:s, s:b}", "value", id, "label",
                                               json_string_value(json_object_get(v, "name")), "checked", ticked));
    }
    return f;
}

static json_t *cadence_list(void)
{
    json_t *arr = json_array();
    for (int i = 0; i < CADENCE__COUNT; i++)
        json_array_append_new(arr, json_pack("{s:s, s:s}", "code", cadence_code((enum cadence)i), "label",
                                             cadence_label((enum cadence)i)));
    return arr;
}

static void render_form(struct req *rq, struct resp *rs, struct svc_ctx *c, int status, const struct team_form *f,
                        const struct field_errors *e, const struct team_row *editing, int64_t authority_id)
{
    struct picks p;
    enum svc_status st = load_picks(c, authority_id, editing, &p);
    if (st != SVC_OK) {
        picks_free(&p);
        view_svc_error(rq, rs, st);
        return;
    }
    json_t *ctx = view_form_page(rq, editing ? "Change team details" : "Add a team", "teams", e);
    view_form_links(ctx, "/teams", editing ? editing->t.id : 0);
    if (editing)
        json_object_set_new(ctx, "team_name", json_string(editing->t.name));
    json_object_set_new(ctx, "authority_id", json_integer((json_int_t)authority_id));
    view_breadcrumbs(ctx, "/", "Home", "/teams", "Teams", NULL);

    /* Host school: only schools where this person may run the team. */
    json_t *hosts = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(p.schools, i, v) {
        int64_t sid = json_integer_value(json_object_get(v, "id"));
        if (svc_allowed(c, editing ? ACT_EDIT : ACT_CREATE, RES_TEAM, editing ? editing->t.id : 0, authority_id, sid))
            json_array_append(hosts, v);
    }
    json_t *fields = json_object();
    json_object_set_new(fields, "host_school_id",
                        select_from("host_school_id", "Host school", "The school where the team meets",
                                    f->host_school_id, e, "Select school", hosts));
    json_decref(hosts);
    json_t *name = fld_input("name", "Team name", f->name, e,
                             "Leave blank to call it after the host school, like \"Hillside Primary TAS\"");
    json_object_set_new(fields, "name", name);
    json_object_set_new(fields, "school_ids",
                        checkboxes_from("school_ids", "Cluster or feeder schools",
                                        "Schools whose pupils this team also discusses. The host school is always included.",
                                        f->school_ids, f->nschools, e, p.schools, false));
    json_t *chair = fld_input("chair_name", "Chair", f->chair_name, e,
                              "Usually the head or deputy head of the host school");
    json_object_set_new(fields, "chair_name", chair);
    json_object_set_new(fields, "strategic_lead_user_id",
                        select_from("strategic_lead_user_id", "Strategic Lead", NULL, f->strategic_lead_user_id, e,
                                    "None chosen yet", p.leads));
    json_object_set_new(fields, "case_coordinator_user_id",
                        select_from("case_coordinator_user_id", "Case Coordinator", NULL,
                                    f->case_coordinator_user_id, e, "None chosen yet", p.coordinators));
    json_t *cad = fld_radios_codes("cadence", "How often does the team meet?", NULL, e,
                                   &(const struct code_list){"cadence", NULL, 0}, 0);
    json_t *cad_items = json_object_get(cad, "items");
    for (int k = 0; k < CADENCE__COUNT; k++) {
        const char *code = cadence_code((enum cadence)k);
        json_t *it = json_pack("{s:s, s:s, s:b}", "value", code, "label", cadence_label((enum cadence)k),
                               "checked", f->cadence && strcmp(f->cadence, code) == 0);
        if (k == CADENCE_DATES)
            json_object_set_new(it, "item_hint", json_string("List the dates below"));
        json_array_append_new(cad_items, it);
    }
    json_object_set_new(fields, "cadence", cad);
    /* The dates, one GOV.UK date input each: those given (in their places,
     * so an error's row is the row it names), then blank ones to add to. */
    size_t filled = 0;
    for (size_t k = 0; k < f->ndate_rows; k++) {
        const struct team_date_input *r = &f->date_rows[k];
        if ((r->day && *r->day) || (r->month && *r->month) || (r->year && *r->year))
            filled++;
    }
    size_t shown = filled + TEAM_FORM_BLANK_DATES;
    if (shown < f->ndate_rows)
        shown = f->ndate_rows;
    if (shown < TEAM_FORM_MIN_DATES)
        shown = TEAM_FORM_MIN_DATES;
    if (shown > TEAM_MAX_DATES)
        shown = TEAM_MAX_DATES;
    json_t *rows = json_array();
    for (size_t k = 0; k < shown; k++) {
        const struct team_date_input *r = k < f->ndate_rows ? &f->date_rows[k] : NULL;
        char dname[16], legend[32];
        snprintf(dname, sizeof dname, "date%zu", k + 1);
        snprintf(legend, sizeof legend, "Meeting date %zu", k + 1);
        json_t *df = fld_date(dname, legend, r ? r->day : NULL, r ? r->month : NULL, r ? r->year : NULL, e, NULL);
        fld_set(df, "legend_class", "govuk-fieldset__legend--s");
        json_array_append_new(rows, df);
    }
    json_object_set_new(fields, "date_rows", rows);
    json_t *wd = fld_radios_codes("weekday", "Day of the week", NULL, e, &(const struct code_list){"weekday", NULL, 0}, 1);
    json_t *wd_items = json_object_get(wd, "items");
    for (int k = 1; k <= 5; k++) {
        char val[4];
        snprintf(val, sizeof val, "%d", k);
        json_array_append_new(wd_items, json_pack("{s:s, s:s, s:b}", "value", val, "label", weekday_labels[k],
                                                  "checked", f->weekday && strcmp(f->weekday, val) == 0));
    }
    json_object_set_new(fields, "weekday", wd);
    json_t *stt = fld_input("start_time", "Start time", f->start_time, e, "For example, 13:30");
    fld_set(stt, "width_class", "govuk-input--width-5");
    json_object_set_new(fields, "start_time", stt);
    json_object_set_new(fields, "duration_minutes",
                        fld_number(fld_input("duration_minutes", "Length of meetings, in minutes", f->duration_minutes,
                                             e, "For example, 90"),
                                   "govuk-input--width-3", "numeric"));
    json_object_set_new(fields, "location", fld_input("location", "Location", f->location, e,
                                                      "For example, the host school's meeting room, or online"));
    json_object_set_new(fields, "service_ids",
                        checkboxes_from("service_ids", "Core members",
                                        "The services that attend every meeting", f->service_ids, f->nservices, e,
                                        p.services, true));
    json_object_set_new(ctx, "no_services", json_boolean(json_array_size(p.services) == 0));
    static const struct code_entry yesno[] = {{"yes", "Yes", NULL}, {"no", "No, not at the moment", NULL}};
    json_object_set_new(fields, "active",
                        fld_radios_codes("active", "Is the team meeting?", f->active && *f->active ? f->active : "yes",
                                         e, &(const struct code_list){"active", yesno, 2}, 1));
    json_object_set_new(ctx, "fields", fields);
    picks_free(&p);
    view_render(rq, rs, status, "team_form", ctx);
}

static void add_authority(void *arr, int64_t id, const char *name)
{
    json_array_append_new(arr, json_pack("{s:I, s:s}", "id", (json_int_t)id, "name", name));
}

/* The authority whose schools and people a new team's form offers: the
 * host school's, the one asked for, or the only one the user may use.
 * 0 when the user must choose (choices then lists them). */
static int64_t new_team_authority(struct req *rq, struct svc_ctx *c, const struct team_form *f, json_t *choices)
{
    int64_t a = 0;
    if (f && f->host_school_id)
        a = svc_team_school_authority(c, parse_id(f->host_school_id));
    if (!a)
        a = parse_id(req_query(rq, "authority"));
    if (a)
        return a;
    size_t n = 0;
    if (svc_team_create_authorities(c, add_authority, choices, &n) != SVC_OK || n != 1)
        return 0;
    return json_integer_value(json_object_get(json_array_get(choices, 0), "id"));
}

static void h_team_new(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    if (view_denied(rq, rs, svc_allowed(&c, ACT_CREATE, RES_TEAM, 0, 0, 0)))
        return;
    json_t *choices = json_array();
    int64_t a = new_team_authority(rq, &c, NULL, choices);
    if (!a) {
        /* The authorities to choose from, or none to choose. */
        if (view_failed_drop(rq, rs, json_array_size(choices) ? SVC_OK : SVC_FORBIDDEN, choices))
            return;
        json_t *ctx = view_answer_page(rq, rs, json_pack("{s:o}", "authorities", choices),
                                       "Which local authority is the team in?", "teams", "/", "Home", "/teams",
                                       "Teams", NULL);
        if (ctx)
            view_render(rq, rs, 200, "team_authority", ctx);
        return;
    }
    json_decref(choices);
    if (rq->api) {
        struct picks p;
        enum svc_status st = load_picks(&c, a, NULL, &p);
        if (st != SVC_OK) {
            picks_free(&p);
            view_svc_error(rq, rs, st);
            return;
        }
        json_t *wd = json_array();
        for (int k = 1; k <= 5; k++)
            json_array_append_new(wd, json_pack("{s:i, s:s}", "value", k, "label", weekday_labels[k]));
        view_json(rs, 200, json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "authority_id", (json_int_t)a,
                                     "schools", p.schools, "strategic_leads", p.leads, "case_coordinators",
                                     p.coordinators, "services", p.services, "cadences", cadence_list(),
                                     "weekdays", wd));
        return;
    }
    struct team_form f;
    memset(&f, 0, sizeof f);
    f.cadence = "three_weekly";
    f.start_time = "13:30";
    f.duration_minutes = "90";
    f.active = "yes";
    render_form(rq, rs, &c, 200, &f, NULL, NULL, a);
}

static void team_saved_reply(struct req *rq, struct resp *rs, struct svc_ctx *c, const struct team_saved *sv,
                             bool created)
{
    if (rq->api) {
        struct team_row r;
        if (svc_team_get(c, sv->id, &r) != SVC_OK) {
            view_svc_error(rq, rs, SVC_ERROR);
            return;
        }
        json_t *o = json_pack("{s:o}", "team", json_team_full(c, &r));
        if (sv->planned || sv->existed)
            json_object_set_new(o, "plan", json_pack("{s:I, s:I}", "planned", (json_int_t)sv->planned,
                                                     "existed", (json_int_t)sv->existed));
        view_json(rs, created ? 201 : 200, o);
        return;
    }
    char loc[96];
    if (sv->planned || sv->existed)
        snprintf(loc, sizeof loc, "/teams/%lld?saved=%s&planned=%zu&existed=%zu", (long long)sv->id,
                 created ? "added" : "updated", sv->planned, sv->existed);
    else
        snprintf(loc, sizeof loc, "/teams/%lld?saved=%s", (long long)sv->id, created ? "added" : "updated");
    resp_redirect(rs, loc);
}

/* The form shown again after an invalid save: a new team's authority is
 * the host's, or the form's when there is no host and several authorities;
 * a team's own when it exists. */
static void team_form_again(struct req *rq, struct resp *rs, struct svc_ctx *c, bool create,
                            const struct team_form *f, const struct field_errors *e)
{
    if (create) {
        json_t *choices = json_array();
        int64_t a = new_team_authority(rq, c, f, choices);
        json_decref(choices);
        if (!a)
            a = parse_id(req_param(rq, "authority_id"));
        render_form(rq, rs, c, 400, f, e, NULL, a);
        return;
    }
    struct team_row r;
    if (svc_team_get(c, rq->id, &r) != SVC_OK) {
        view_svc_error(rq, rs, SVC_NOT_FOUND);
        return;
    }
    render_form(rq, rs, c, 400, f, e, &r, r.t.authority_id);
}

/* Creating (create) or changing team rq->id: one form, one ending. */
static void team_save(struct req *rq, struct resp *rs, bool create)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct team_form f;
    read_form(rq, &f);
    struct field_errors e = {0};
    struct team_saved sv;
    enum svc_status st = create ? svc_team_create(&c, &f, &e, &sv) : svc_team_update(&c, rq->id, &f, &e, &sv);
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK)
        team_saved_reply(rq, rs, &c, &sv, create);
    else if (n == SAVE_FORM)
        team_form_again(rq, rs, &c, create, &f, &e);
}

static void h_team_create(struct req *rq, struct resp *rs)
{
    team_save(rq, rs, true);
}

/* Team rq->id, if the user may change it: its details, its plan, a
 * meeting added. */
static enum svc_status editable_team(struct req *rq, struct svc_ctx *c, struct team_row *r)
{
    enum svc_status st = svc_team_get(c, rq->id, r);
    if (st == SVC_OK && !svc_team_may(c, ACT_EDIT, r))
        st = SVC_FORBIDDEN;
    return st;
}

/* A page about changing team r (rq->id), which the user may change. */
typedef void (*team_page_fn)(struct req *rq, struct resp *rs, struct svc_ctx *c, const struct team_row *r);

/* The page show gives, if the user may change team rq->id. */
static void team_change_page(struct req *rq, struct resp *rs, team_page_fn show)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct team_row r;
    enum svc_status st = editable_team(rq, &c, &r);
    if (!view_failed(rq, rs, st))
        show(rq, rs, &c, &r);
}

static void edit_page(struct req *rq, struct resp *rs, struct svc_ctx *c, const struct team_row *r)
{
    struct team_form f;
    form_from_team(rq, c, r, &f);
    render_form(rq, rs, c, 200, &f, NULL, r, r->t.authority_id);
}

static void h_team_edit(struct req *rq, struct resp *rs)
{
    team_change_page(rq, rs, edit_page);
}

static void h_team_update(struct req *rq, struct resp *rs)
{
    team_save(rq, rs, false);
}

/* ---- A team's page ---- */

static void collect_meeting_json(void *arr, const struct meeting_row *m)
{
    json_array_append_new(arr, json_meeting(m));
}

static void academic_year_label(int year, char *out, size_t outsz)
{
    snprintf(out, outsz, "%d/%02d", year, (year + 1) % 100);
}

static void h_team_view(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct team_row r;
    enum svc_status st = svc_team_get(&c, rq->id, &r);
    if (view_failed(rq, rs, st))
        return;
    int32_t today = 0;
    char yesterday[11] = "0000-00-00";
    if (day_parse(c.today, &today) == 0)
        day_format(today - 1, yesterday);
    /* The next meetings, and the last few. */
    json_t *upcoming = json_array(), *recent = json_array();
    struct meeting_filter uf = {r.t.id, "", c.today, "", c.today, MEETING_OLDEST_FIRST, 0, NULL};
    struct meeting_filter rf = {r.t.id, "", "", yesterday, c.today, MEETING_NEWEST_FIRST, 0, NULL};
    struct page_req upg = {1, 10}, rpg = {1, 5};
    int64_t n_up = 0, n_recent = 0;
    struct meeting_counts mc;
    st = svc_meeting_list(&c, &uf, &upg, &n_up, collect_meeting_json, upcoming);
    if (st == SVC_OK)
        st = svc_meeting_list(&c, &rf, &rpg, &n_recent, collect_meeting_json, recent);
    if (st == SVC_OK)
        st = svc_team_meeting_counts(&c, &r, &mc);
    if (view_failed_drop(rq, rs, st, upcoming, recent))
        return;
    /* Of the meetings due so far (held, cancelled, or planned for a day
     * gone by and not yet recorded), the share held. */
    int64_t due = mc.held + mc.cancelled + mc.unrecorded;
    json_t *counts = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "planned", (json_int_t)mc.planned, "held",
                               (json_int_t)mc.held, "cancelled", (json_int_t)mc.cancelled, "online",
                               (json_int_t)mc.online, "unrecorded", (json_int_t)mc.unrecorded, "due",
                               (json_int_t)due);
    json_object_set_new(counts, "held_pct", due ? json_integer((json_int_t)((mc.held * 100 + due / 2) / due))
                                                : json_null());
    /* Year groups and cohorts discussed at its held meetings so far (issue 13, item 5). */
    int64_t cohorts = 0;
    if (svc_cohort_count(&c, r.t.id, r.t.authority_id, r.t.host_school_id, "0000-01-01", c.today, &cohorts) == SVC_OK)
        json_object_set_new(counts, "cohort_discussions", json_integer((json_int_t)cohorts));
    bool can_edit = svc_team_may(&c, ACT_EDIT, &r);
    json_t *team = json_team_full(&c, &r);
    if (rq->api) {
        view_json(rs, 200, json_pack("{s:o, s:o, s:o, s:o, s:b}", "team", team, "upcoming_meetings", upcoming,
                                     "recent_meetings", recent, "meeting_counts", counts, "can_edit", can_edit));
        return;
    }
    json_t *ctx = view_page(rq, r.t.name, "teams");
    view_breadcrumbs(ctx, "/", "Home", "/teams", "Teams", NULL);
    json_object_set_new(ctx, "team", team);
    json_object_set_new(ctx, "upcoming_meetings", upcoming);
    json_object_set_new(ctx, "recent_meetings", recent);
    json_object_set_new(ctx, "meeting_counts", counts);
    json_object_set_new(ctx, "more_upcoming", json_boolean(n_up > 10));
    json_object_set_new(ctx, "more_recent", json_boolean(n_recent > 5));
    json_object_set_new(ctx, "can_edit", json_boolean(can_edit));
    json_object_set_new(ctx, "lists_dates", json_boolean(strcmp(r.t.cadence, "dates") == 0));
    char year[16];
    academic_year_label(academic_year_of(today), year, sizeof year);
    json_object_set_new(ctx, "academic_year", json_string(year));

    const char *sv = req_query(rq, "saved");
    long planned = -1, existed = -1;
    const char *ps = req_query(rq, "planned"), *es = req_query(rq, "existed");
    if (ps && es && (parse_int_strict(ps, 0, 10000, &planned) != 0 || parse_int_strict(es, 0, 10000, &existed) != 0))
        planned = existed = -1;
    char text[160] = "";
    if (sv && strcmp(sv, "added") == 0)
        snprintf(text, sizeof text, "Team added");
    else if (sv && strcmp(sv, "updated") == 0)
        snprintf(text, sizeof text, "Team details saved");
    if (planned >= 0 && existed >= 0) {
        char more[120];
        snprintf(more, sizeof more, "%ld %s planned, %ld already existed", planned,
                 planned == 1 ? "meeting" : "meetings", existed);
        if (text[0]) {
            size_t l = strlen(text);
            snprintf(text + l, sizeof text - l, ": %s", more);
        } else {
            snprintf(text, sizeof text, "%s", more);
        }
    }
    view_flash(ctx, text[0] ? text : NULL);
    view_render(rq, rs, 200, "team_view", ctx);
}

/* ---- Planning a year's meetings ---- */

static void render_plan(struct req *rq, struct resp *rs, struct svc_ctx *c, int status, const struct team_row *r,
                        int year, const char *from_start, const struct field_errors *e, bool no_terms)
{
    int32_t today = 0;
    (void)day_parse(c->today, &today);
    int current = academic_year_of(today);
    char label[16];
    academic_year_label(year, label, sizeof label);
    char title[64];
    snprintf(title, sizeof title, "Plan meetings for %s", label);
    json_t *ctx = view_page(rq, title, "teams");
    char team_href[48];
    snprintf(team_href, sizeof team_href, "/teams/%lld", (long long)r->t.id);
    view_breadcrumbs(ctx, "/", "Home", "/teams", "Teams", team_href, r->t.name, NULL);
    json_object_set_new(ctx, "team", json_team(r));
    json_object_set_new(ctx, "lists_dates", json_boolean(strcmp(r->t.cadence, "dates") == 0));
    view_set_errors(ctx, e);
    json_object_set_new(ctx, "no_terms", json_boolean(no_terms));
    json_object_set_new(ctx, "year_label", json_string(label));
    json_t *ys = fld_input("year", "School year", NULL, e, NULL);
    json_object_del(ys, "value");
    char cur[16];
    snprintf(cur, sizeof cur, "%d", year);
    for (int y = current - 1; y <= current + 1; y++) {
        char v[16], l[16];
        snprintf(v, sizeof v, "%d", y);
        academic_year_label(y, l, sizeof l);
        fld_add_option(ys, v, l, cur);
    }
    json_object_set_new(ctx, "year_field", ys);
    json_object_set_new(ctx, "from_start", json_boolean(from_start && strcmp(from_start, "yes") == 0));
    char action[64];
    snprintf(action, sizeof action, "/teams/%lld/plan", (long long)r->t.id);
    json_object_set_new(ctx, "action", json_string(action));
    view_render(rq, rs, status, "team_plan", ctx);
}

static void plan_page(struct req *rq, struct resp *rs, struct svc_ctx *c, const struct team_row *r)
{
    int32_t today = 0;
    (void)day_parse(c->today, &today);
    long year = academic_year_of(today);
    const char *ys = req_query(rq, "year");
    if (ys && parse_int_strict(ys, 2000, 2100, &year) != 0)
        year = academic_year_of(today);
    if (rq->api) {
        view_json(rs, 200, json_pack("{s:o, s:i, s:b}", "team", json_team(r), "year", (int)year, "lists_dates",
                                     strcmp(r->t.cadence, "dates") == 0));
        return;
    }
    render_plan(rq, rs, c, 200, r, (int)year, NULL, NULL, false);
}

static void h_team_plan_form(struct req *rq, struct resp *rs)
{
    team_change_page(rq, rs, plan_page);
}

static void h_team_plan(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    const char *year = req_param(rq, "year");
    const char *from_start = req_param(rq, "from_start");
    struct field_errors e = {0};
    struct schedule_result res;
    enum svc_status st = svc_team_plan(&c, rq->id, year, from_start, &e, &res);
    if (st == SVC_OK) {
        if (rq->api) {
            char label[16];
            academic_year_label(res.year, label, sizeof label);
            view_json(rs, 200, json_pack("{s:{s:i, s:s, s:I, s:I, s:s, s:s}}", "plan", "year", res.year,
                                         "academic_year", label, "planned", (json_int_t)res.planned, "existed",
                                         (json_int_t)res.existed, "from", res.from, "to", res.to));
            return;
        }
        char loc[96];
        snprintf(loc, sizeof loc, "/teams/%lld?planned=%zu&existed=%zu", (long long)rq->id, res.planned,
                 res.existed);
        resp_redirect(rs, loc);
        return;
    }
    if (st == SVC_INVALID && rq->api) {
        json_t *arr = view_errors(&e);
        size_t i;
        json_t *v;
        json_array_foreach(arr, i, v)
            json_object_del(v, "href");
        json_t *o = json_pack("{s:s, s:o, s:b}", "error", "invalid input", "errors", arr, "no_terms", res.no_terms);
        if (res.no_terms)
            json_object_set_new(o, "term_dates_href", json_string("/term-dates"));
        view_json(rs, 422, o);
        return;
    }
    if (st == SVC_INVALID) {
        struct team_row r;
        if (editable_team(rq, &c, &r) != SVC_OK) {
            view_svc_error(rq, rs, SVC_NOT_FOUND);
            return;
        }
        render_plan(rq, rs, &c, 400, &r, res.year, from_start, &e, res.no_terms);
        return;
    }
    view_svc_error(rq, rs, st);
}

/* ---- A one-off meeting ---- */

static void render_meeting_form(struct req *rq, struct resp *rs, int status, const struct team_row *r,
                                const char *d, const char *m, const char *y, const char *time,
                                const struct field_errors *e)
{
    json_t *ctx = view_page(rq, "Add a meeting", "teams");
    char team_href[48], action[64];
    snprintf(team_href, sizeof team_href, "/teams/%lld", (long long)r->t.id);
    snprintf(action, sizeof action, "/teams/%lld/meetings", (long long)r->t.id);
    view_breadcrumbs(ctx, "/", "Home", "/teams", "Teams", team_href, r->t.name, NULL);
    json_object_set_new(ctx, "team", json_team(r));
    json_object_set_new(ctx, "action", json_string(action));
    json_object_set_new(ctx, "cancel_href", json_string(team_href));
    view_set_errors(ctx, e);
    json_t *fields = json_object();
    json_object_set_new(fields, "date", fld_date("date", "Date", d, m, y, e, "For example, 14 1 2027"));
    json_t *tm = fld_input("start_time", "Start time", time, e, "For example, 13:30");
    fld_set(tm, "width_class", "govuk-input--width-5");
    json_object_set_new(fields, "start_time", tm);
    json_object_set_new(ctx, "fields", fields);
    view_render(rq, rs, status, "team_meeting_form", ctx);
}

static void meeting_page(struct req *rq, struct resp *rs, struct svc_ctx *c, const struct team_row *r)
{
    (void)c;
    render_meeting_form(rq, rs, 200, r, NULL, NULL, NULL, r->t.start_time, NULL);
}

static void h_team_meeting_new(struct req *rq, struct resp *rs)
{
    team_change_page(rq, rs, meeting_page);
}

static void h_team_meeting_create(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    const char *d, *m, *y;
    req_date_parts(rq, "date", "date", &d, &m, &y);
    const char *date = "";
    if ((d && *d) || (m && *m) || (y && *y)) {
        char s[40];
        snprintf(s, sizeof s, "%.8s/%.8s/%.8s", d ? d : "", m ? m : "", y ? y : "");
        date = req_keep(rq, s);
    }
    const char *time = req_param(rq, "start_time");
    struct field_errors e = {0};
    int64_t id = 0;
    enum svc_status st = svc_meeting_add(&c, rq->id, date, time, &e, &id);
    enum save_next n = view_answer_save(rq, rs, st, &e);
    struct meeting_row mr;
    if (n == SAVE_OK && rq->api && svc_meeting_get(&c, id, &mr) != SVC_OK)
        view_svc_error(rq, rs, SVC_ERROR);
    else if (n == SAVE_OK)
        view_saved(rq, rs, 201, "meeting", rq->api ? json_meeting(&mr) : NULL, "/meetings/%lld?done=added",
                   (long long)id);
    else if (n == SAVE_FORM) {
        struct team_row r;
        if (editable_team(rq, &c, &r) != SVC_OK) {
            view_svc_error(rq, rs, SVC_NOT_FOUND);
            return;
        }
        render_meeting_form(rq, rs, 400, &r, d, m, y, time, &e);
    }
}

static const struct route team_routes[] = {
    {"GET", "/teams", h_team_list, 0},
    {"GET", "/teams/new", h_team_new, 0},
    {"POST", "/teams", h_team_create, 0},
    {"GET", "/teams/:id", h_team_view, 0},
    {"GET", "/teams/:id/edit", h_team_edit, 0},
    {"POST", "/teams/:id/edit", h_team_update, 0},
    {"GET", "/teams/:id/plan", h_team_plan_form, 0},
    {"POST", "/teams/:id/plan", h_team_plan, 0},
    {"GET", "/teams/:id/meetings/new", h_team_meeting_new, 0},
    {"POST", "/teams/:id/meetings", h_team_meeting_create, 0},

    {"GET", "/api/v1/teams", h_team_list, ROUTE_CSV_OF(RES_TEAM)},
    {"GET", "/api/v1/teams/new", h_team_new, 0},
    {"POST", "/api/v1/teams", h_team_create, 0},
    {"GET", "/api/v1/teams/:id", h_team_view, 0},
    {"PUT", "/api/v1/teams/:id", h_team_update, 0},
    {"GET", "/api/v1/teams/:id/plan", h_team_plan_form, 0},
    {"POST", "/api/v1/teams/:id/plan", h_team_plan, 0},
    {"POST", "/api/v1/teams/:id/meetings", h_team_meeting_create, 0},
};

ROUTE_TABLE(teams_table, team_routes);
