/* Alternative Provision Specialist Taskforces (issue 19): the taskforce
 * page (specialists, the four-types warning, agreements and their
 * reviews), referrals and their triage, weekly case meetings (the team's
 * meetings, with the decisions taken), the intervention log and the MI
 * return (page and CSV).  HTML and JSON; data from service/svc_apst.c.
 * The JSON shapes are built here (json_apst_*), used by both. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/apst.h"
#include "lib/count.h"
#include "core/calendar.h"
#include "service/svc_apst.h"
#include "web/apst_export.h"
#include "web/finding.h"
#include "web/form.h"
#include "web/records_json.h"
#include "web/router.h"
#include "web/view.h"

/* ---- JSON shapes ---- */

static json_t *date_json(const char *iso)
{
    char label[40] = "";
    if (iso && *iso)
        date_label(iso, label, sizeof label);
    return json_pack("{s:o, s:s}", "date", json_opt_str(iso), "label", label);
}

static json_t *json_apst(const struct apst_taskforce_row *t)
{
    char fte[16], href[48];
    apst_fte_text(t->manager_fte, fte, sizeof fte);
    snprintf(href, sizeof href, "/apst/%lld", (long long)t->id);
    json_t *o = json_pack("{s:I, s:s, s:I, s:s, s:s, s:I, s:b, s:s}", "id", (json_int_t)t->id, "name", t->name,
                          "team_id", (json_int_t)t->team_id, "manager_name", t->manager_name, "manager_fte", fte,
                          "manager_fte_hundredths", (json_int_t)t->manager_fte, "active", t->active, "href", href);
    json_object_set_new(o, "school", json_pack("{s:I, s:s}", "id", (json_int_t)t->school_id, "name", t->school_name));
    json_object_set_new(o, "authority_id", json_integer((json_int_t)t->authority_id));
    json_object_set_new(o, "started_on", date_json(t->started_on));
    return o;
}

static json_t *json_apst_specialist(const struct apst_specialist_row *r, int32_t today)
{
    char fte[16];
    apst_fte_text(r->fte, fte, sizeof fte);
    struct apst_post p = {r->kind, 0, 0};
    day_parse(r->starts_on, &p.starts);
    if (r->ends_on[0])
        day_parse(r->ends_on, &p.ends);
    json_t *o = json_pack("{s:I, s:s, s:o, s:s, s:s, s:I, s:I, s:s, s:s, s:o, s:s, s:o, s:b}", "id",
                          (json_int_t)r->id, "kind", r->kind, "kind_label", json_label(&codes_apst_specialist, r->kind),
                          "name", r->name, "fte", fte, "fte_hundredths", (json_int_t)r->fte, "days_on_site",
                          (json_int_t)r->days_on_site, "home_service", r->home_service, "funding", r->funding,
                          "funding_label", json_label(&codes_apst_funding, r->funding), "supervision", r->supervision,
                          "supervision_label", json_label(&codes_apst_supervision, r->supervision), "in_post",
                          apst_in_post(&p, today));
    json_object_set_new(o, "starts_on", date_json(r->starts_on));
    json_object_set_new(o, "ends_on", date_json(r->ends_on));
    json_object_set_new(o, "has_account", json_boolean(r->user_id > 0));
    return o;
}

static json_t *json_apst_agreement(const struct apst_agreement_row *r, int32_t today)
{
    int32_t review = 0;
    day_parse(r->review_on, &review);
    json_t *o = json_pack("{s:I, s:s, s:o, s:s, s:b}", "id", (json_int_t)r->id, "kind", r->kind, "kind_label",
                          json_label(&codes_apst_agreement, r->kind), "party", r->party, "review_overdue",
                          apst_review_overdue(review, today));
    json_object_set_new(o, "signed_on", date_json(r->signed_on));
    json_object_set_new(o, "review_on", date_json(r->review_on));
    return o;
}

static json_t *json_apst_referral(const struct apst_referral_row *r)
{
    char name[2 * TAS_NAME_MAX + 2], href[48];
    snprintf(name, sizeof name, "%s %s", r->forenames, r->surname);
    snprintf(href, sizeof href, "/apst/referrals/%lld", (long long)r->id);
    bool formal = apst_route_formal(r->route);
    json_t *o = json_pack("{s:I, s:s, s:s, s:o, s:b, s:s, s:s, s:s, s:s, s:o, s:b, s:s, s:o, s:s, s:o}",
                          "id", (json_int_t)r->id, "href", href, "route", r->route, "route_label",
                          json_label(&codes_apst_route, r->route), "formal", formal, "route_kind",
                          formal ? "Formal" : "Informal", "referrer", r->referrer, "reason", r->reason, "triage",
                          r->triage, "triage_label", json_label(&codes_apst_triage, r->triage), "pending",
                          !strcmp(r->triage, "pending"), "tier", r->tier,
                          "tier_label", r->tier[0] ? json_label(&codes_apst_tier, r->tier) : json_null(),
                          "engagement", r->engagement, "engagement_label",
                          r->engagement[0] ? json_label(&codes_apst_engagement, r->engagement) : json_null());
    json_object_set_new(o, "taskforce", json_pack("{s:I, s:s}", "id", (json_int_t)r->taskforce_id, "name",
                                                  r->taskforce_name));
    json_object_set_new(o, "pupil", json_pack("{s:I, s:s, s:s, s:{s:I, s:s}}", "id", (json_int_t)r->pupil_id,
                                              "name", name, "upn", r->upn, "school", "id",
                                              (json_int_t)r->pupil_school_id, "name", r->pupil_school_name));
    json_object_set_new(o, "outreach", json_boolean(apst_outreach(r->pupil_school_id, r->ap_school_id)));
    json_object_set_new(o, "threshold_met", r->threshold_met < 0 ? json_null() : json_boolean(r->threshold_met));
    json_object_set_new(o, "lead_specialist", json_person(r->lead_specialist_id, r->lead_name));
    json_object_set_new(o, "referred_on", date_json(r->referred_on));
    json_object_set_new(o, "triaged_on", date_json(r->triaged_on));
    json_object_set_new(o, "closed_on", date_json(r->closed_on));
    json_t *kinds = json_array(), *labels = json_array();
    for (size_t k = 0; k < codes_apst_specialist.count; k++)
        if (apst_consent_covers(r->consent_basis, r->consent_kinds, codes_apst_specialist.entries[k].code)) {
            json_array_append_new(kinds, json_string(codes_apst_specialist.entries[k].code));
            json_array_append_new(labels, json_string(codes_apst_specialist.entries[k].label));
        }
    json_t *c = json_pack("{s:s, s:o, s:s, s:o, s:o, s:s, s:b}", "basis", r->consent_basis, "basis_label",
                          r->consent_basis[0] ? json_label(&codes_apst_consent, r->consent_basis) : json_null(),
                          "by", r->consent_by, "kinds", kinds, "kind_labels", labels, "note", r->consent_note,
                          "recorded", r->consent_basis[0] != '\0');
    json_object_set_new(c, "on", date_json(r->consent_on));
    json_object_set_new(o, "consent", c);
    return o;
}

static json_t *json_apst_item(const struct apst_item_row *r)
{
    json_t *o = json_pack("{s:I, s:s, s:o, s:o, s:s, s:o, s:s, s:o, s:s}", "id", (json_int_t)r->id, "kind", r->kind,
                          "kind_label", json_label(&codes_apst_item, r->kind), "referral_id",
                          json_opt_id(r->referral_id), "decision", r->decision, "decided_by_label",
                          json_label(&codes_apst_decider, r->decided_by), "decided_by", r->decided_by,
                          "event_label", r->event_kind[0] ? json_label(&codes_apst_event, r->event_kind) : json_null(),
                          "decided_by_name", r->decided_by_name);
    json_object_set_new(o, "event_kind", json_opt_str(r->event_kind));
    json_object_set_new(o, "pupil_name", json_opt_str(r->pupil_name));
    return o;
}

static json_t *json_apst_intervention(const struct apst_intervention_row *r)
{
    char hours[24];
    apst_hours_text(r->minutes, hours, sizeof hours);
    json_t *o = json_pack("{s:I, s:s, s:o, s:I, s:s, s:o}", "id", (json_int_t)r->id, "activity", r->activity,
                          "activity_label", json_label(&codes_apst_activity, r->activity), "minutes",
                          (json_int_t)r->minutes, "hours", hours, "referral_id", json_opt_id(r->referral_id));
    json_object_set_new(o, "specialist", json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)r->specialist_id,
                                                   "name", r->specialist_name, "kind", r->specialist_kind,
                                                   "kind_label", json_label(&codes_apst_specialist,
                                                                            r->specialist_kind)));
    json_object_set_new(o, "pupil_name", json_opt_str(r->pupil_name));
    json_object_set_new(o, "delivered_on", date_json(r->delivered_on));
    json_object_set_new(o, "voided", json_boolean(r->voided));
    json_object_set_new(o, "void_reason", json_opt_str(r->void_reason));
    return o;
}

static int32_t today_of(const struct svc_ctx *c)
{
    int32_t d = 0;
    day_parse(c->today, &d);
    return d;
}

/* ---- collecting lists ---- */

struct collect {
    json_t *list;
    int32_t today;
};

static void add_tf(void *arg, const struct apst_taskforce_row *r)
{
    json_array_append_new(((struct collect *)arg)->list, json_apst(r));
}
static void add_sp(void *arg, const struct apst_specialist_row *r)
{
    struct collect *k = arg;
    json_array_append_new(k->list, json_apst_specialist(r, k->today));
}
static void add_ag(void *arg, const struct apst_agreement_row *r)
{
    struct collect *k = arg;
    json_array_append_new(k->list, json_apst_agreement(r, k->today));
}
static void add_rf(void *arg, const struct apst_referral_row *r)
{
    json_array_append_new(((struct collect *)arg)->list, json_apst_referral(r));
}
static void add_item(void *arg, const struct apst_item_row *r)
{
    json_array_append_new(((struct collect *)arg)->list, json_apst_item(r));
}
static void add_iv(void *arg, const struct apst_intervention_row *r)
{
    json_array_append_new(((struct collect *)arg)->list, json_apst_intervention(r));
}
static void add_cost(void *arg, const struct apst_cost_row *r)
{
    char money[32];
    apst_money_text(r->amount_pence, money, sizeof money);
    json_t *o = json_pack("{s:I, s:s, s:o, s:I, s:s, s:s}", "id", (json_int_t)r->id, "line", r->line, "line_label",
                          json_label(&codes_apst_cost_line, r->line), "pence", (json_int_t)r->amount_pence, "amount",
                          money, "note", r->note);
    json_object_set_new(o, "period_from", date_json(r->period_from));
    json_object_set_new(o, "period_to", date_json(r->period_to));
    json_object_set_new(o, "voided", json_boolean(r->voided));
    json_object_set_new(o, "void_reason", json_opt_str(r->void_reason));
    json_array_append_new(((struct collect *)arg)->list, o);
}
static void add_meeting(void *arg, const struct meeting_row *r)
{
    json_t *m = json_meeting(r);
    char href[48];
    snprintf(href, sizeof href, "/apst/meetings/%lld", (long long)r->m.id);
    json_object_set_new(m, "apst_href", json_string(href));
    json_array_append_new(((struct collect *)arg)->list, m);
}

/* As view_failed, after reading a list into k: a list not read in full is dropped. */
static bool list_failed(struct req *rq, struct resp *rs, enum svc_status st, struct collect *k)
{
    if (st != SVC_OK)
        json_decref(k->list);
    return view_failed(rq, rs, st);
}

/* ---- what the pages share ---- */

/* Breadcrumbs ending at the page of taskforce id, called name. */
static void taskforce_crumbs(json_t *ctx, int64_t id, const char *name)
{
    char back[48];
    snprintf(back, sizeof back, "/apst/%lld", (long long)id);
    view_breadcrumbs(ctx, "/", "Home", "/apst", "Specialist taskforces", back, name, NULL);
}

/* ---- one form template for every form here (templates/apst/form.html) ---- */

/* Field f at the end of fields, shown as type ("is_input", "is_date", ...). */
static void append_field(json_t *fields, json_t *f, const char *type)
{
    json_object_set_new(f, type, json_true());
    json_array_append_new(fields, f);
}

static json_t *form_page(struct req *rq, const char *title, const char *caption, const char *action,
                         const char *submit, const char *cancel, const struct field_errors *e)
{
    json_t *ctx = view_page(rq, title, "apst");
    json_object_set_new(ctx, "form_title", json_string(title));
    json_object_set_new(ctx, "form_caption", json_opt_str(caption));
    json_object_set_new(ctx, "form_action", json_string(action));
    json_object_set_new(ctx, "form_submit", json_string(submit));
    json_object_set_new(ctx, "form_cancel", json_string(cancel));
    json_object_set_new(ctx, "fields", json_array());
    view_set_errors(ctx, e);
    return ctx;
}

/* A form page inside taskforce t: its name above the title, and the
 * breadcrumbs and the cancel link going back (its page, or the page the
 * form came from). */
static json_t *taskforce_form(struct req *rq, const struct apst_taskforce_row *t, const char *title,
                              const char *action, const char *submit, const char *back, const struct field_errors *e)
{
    json_t *ctx = form_page(rq, title, t->name, action, submit, back, e);
    view_breadcrumbs(ctx, "/", "Home", "/apst", "Specialist taskforces", back, t->name, NULL);
    return ctx;
}

static void field(json_t *ctx, json_t *f, const char *type)
{
    append_field(json_object_get(ctx, "fields"), f, type);
}

/* A date: the GOV.UK day, month and year boxes (finding.h). */
static void date_hint_field(struct req *rq, json_t *ctx, const char *name, const char *label, const char *value,
                            const struct field_errors *e)
{
    field(ctx, finding_form_date_field(rq, name, label, value, e, "For example, 27 3 2026"), "is_date");
}

/* A form's date boxes, when sent, in place of the one value the API sends. */
static void form_date(struct req *rq, const char *name, const char **value)
{
    const char *v = finding_form_date(rq, name);
    if (v)
        *value = v;
}

/* ---- taskforces ---- */

static void h_list(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct collect k = {json_array(), today_of(&c)};
    enum svc_status st = svc_apst_list(&c, add_tf, &k);
    if (list_failed(rq, rs, st, &k))
        return;
    if (rq->api) {
        view_json(rs, 200, json_pack("{s:o}", "taskforces", k.list));
        return;
    }
    json_t *ctx = view_page(rq, "Specialist taskforces", "apst");
    view_breadcrumbs(ctx, "/", "Home", NULL);
    json_object_set_new(ctx, "taskforces", k.list);
    json_object_set_new(ctx, "may_create", json_boolean(svc_allowed(&c, ACT_CREATE, RES_APST, 0, 0, 0)));
    view_render(rq, rs, 200, "apst/list", ctx);
}

static const struct req_field apst_fields[] = {
    REQ_FIELD(struct apst_form, name),        REQ_FIELD(struct apst_form, school_id),
    REQ_FIELD(struct apst_form, manager_name), REQ_FIELD(struct apst_form, manager_fte),
    REQ_FIELD(struct apst_form, started_on),  REQ_FIELD(struct apst_form, weekday),
};

static void add_school_option(void *arg, int64_t id, const char *name)
{
    json_t *f = arg;
    fld_add_id_option(f, id, name, json_string_value(json_object_get(f, "value_chosen")));
}

static void render_create(struct req *rq, struct resp *rs, int status, struct svc_ctx *c, const struct apst_form *f,
                          const struct field_errors *e)
{
    json_t *ctx = form_page(rq, "Set up a specialist taskforce", NULL, "/apst", "Set up the taskforce", "/apst", e);
    view_breadcrumbs(ctx, "/", "Home", "/apst", "Specialist taskforces", NULL);
    json_object_set_new(ctx, "form_intro",
                        json_string("A taskforce is a team of at least four types of specialist, led by a Taskforce "
                                    "Manager, based in an AP school. Its weekly case meetings are kept as the "
                                    "team's meetings."));
    field(ctx, fld_input("name", "Name of the taskforce", f->name, e, NULL), "is_input");
    json_t *school = fld_select_blank("school_id", "AP school it is based in", e, NULL, "Select a school", f->school_id);
    json_object_set_new(school, "value_chosen", json_string(f->school_id ? f->school_id : ""));
    svc_apst_pick_schools(c, add_school_option, school);
    json_object_del(school, "value_chosen");
    field(ctx, school, "is_select");
    field(ctx, fld_input("manager_name", "Taskforce Manager", f->manager_name, e, NULL), "is_input");
    json_t *fte = fld_input("manager_fte", "Manager's FTE", f->manager_fte, e,
                            "Most managers work part time, for example 0.6");
    fld_set(fte, "width_class", "govuk-input--width-4");
    field(ctx, fte, "is_input");
    date_hint_field(rq, ctx, "started_on", "Date the taskforce started", f->started_on, e);
    json_t *wd = fld_select_blank("weekday", "Day of the weekly case meeting", e, NULL, "Wednesday",
                                  f->weekday ? f->weekday : "");
    static const char *const days[] = {"1", "Monday", "2", "Tuesday", "4", "Thursday", "5", "Friday"};
    for (size_t i = 0; i < 8; i += 2)
        fld_add_option(wd, days[i], days[i + 1], f->weekday);
    field(ctx, wd, "is_select");
    view_render(rq, rs, status, "apst/form", ctx);
}

static void h_new(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    if (view_denied(rq, rs, svc_allowed(&c, ACT_CREATE, RES_APST, 0, 0, 0)))
        return;
    struct apst_form f = {0};
    render_create(rq, rs, 200, &c, &f, NULL);
}

static void h_create(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct apst_form f = {0};
    req_fields(rq, apst_fields, COUNT(apst_fields), &f);
    form_date(rq, "started_on", &f.started_on);
    struct field_errors e = {0};
    int64_t id = 0;
    enum svc_status st = svc_apst_create(&c, &f, &e, &id);
    struct apst_taskforce_row *t = req_alloc(rq, sizeof *t);
    if (st == SVC_OK && (!t || svc_apst_get(&c, id, t) != SVC_OK))
        st = SVC_ERROR;
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK)
        view_saved(rq, rs, 201, "taskforce", json_apst(t), "/apst/%lld?saved=created", (long long)id);
    else if (n == SAVE_FORM)
        render_create(rq, rs, 400, &c, &f, &e);
}

/* The taskforce named by the path, or an answered failure (NULL). */
static struct apst_taskforce_row *taskforce(struct req *rq, struct resp *rs, struct svc_ctx *c, int64_t id)
{
    struct apst_taskforce_row *t = req_alloc(rq, sizeof *t);
    enum svc_status st = t ? svc_apst_get(c, id, t) : SVC_ERROR;
    return view_failed(rq, rs, st) ? NULL : t;
}

static json_t *composition_json(const struct apst_composition *cp)
{
    char fte[16];
    apst_fte_text(cp->fte, fte, sizeof fte);
    json_t *missing = json_array();
    for (size_t k = 0; k < codes_apst_specialist.count && k < 8; k++)
        if (!cp->seen[k] && strcmp(codes_apst_specialist.entries[k].code, "other") != 0)
            json_array_append_new(missing, json_string(codes_apst_specialist.entries[k].label));
    return json_pack("{s:I, s:b, s:i, s:s, s:I, s:o}", "types", (json_int_t)cp->types, "below_minimum",
                     cp->below_minimum, "minimum", APST_MIN_SPECIALIST_TYPES, "fte", fte, "headcount",
                     (json_int_t)cp->headcount, "types_missing", missing);
}

static const char *saved_text(const char *s)
{
    static const struct { const char *key, *text; } texts[] = {
        {"created", "Taskforce set up"},        {"specialist", "Specialist added"},
        {"agreement", "Agreement recorded"},    {"referral", "Referral recorded"},
        {"intervention", "Time recorded"},   {"left", "Last day in post recorded"},
        {"account", "Account linked"},          {"cost", "Cost recorded"},
    };
    for (size_t i = 0; s && i < COUNT(texts); i++)
        if (!strcmp(s, texts[i].key))
            return texts[i].text;
    return NULL;
}

/* The taskforce page (and its JSON); date and e: the case meeting form
 * sent back with its errors. */
static void render_view(struct req *rq, struct resp *rs, int status, struct svc_ctx *cx,
                        const struct apst_taskforce_row *t, const char *date, const struct field_errors *e)
{
    struct svc_ctx c = *cx;
    int32_t today = today_of(&c);
    struct collect sp = {json_array(), today}, ag = {json_array(), today}, rf = {json_array(), today},
                   mt = {json_array(), today};
    struct apst_composition cp;
    enum svc_status st = svc_apst_specialists(&c, t, add_sp, &sp);
    if (st == SVC_OK)
        st = svc_apst_composition(&c, t, c.today, &cp);
    if (st == SVC_OK)
        st = svc_apst_agreements(&c, t, add_ag, &ag);
    if (st == SVC_OK)
        st = svc_apst_referrals(&c, t, "", add_rf, &rf);
    if (st == SVC_OK)
        st = svc_apst_meetings(&c, t, add_meeting, &mt);
    if (view_failed_drop(rq, rs, st, sp.list, ag.list, rf.list, mt.list))
        return;
    size_t overdue = 0;
    for (size_t i = 0; i < json_array_size(ag.list); i++)
        overdue += json_is_true(json_object_get(json_array_get(ag.list, i), "review_overdue"));
    json_t *o = json_apst(t);
    json_object_set_new(o, "composition", composition_json(&cp));
    json_object_set_new(o, "reviews_overdue", json_integer((json_int_t)overdue));
    json_object_set_new(o, "specialists", sp.list);
    json_object_set_new(o, "agreements", ag.list);
    json_object_set_new(o, "referrals", rf.list);
    json_object_set_new(o, "meetings", mt.list);
    if (rq->api) {
        view_json(rs, status, json_pack("{s:o}", "taskforce", o));
        return;
    }
    json_t *ctx = view_page(rq, t->name, "apst");
    view_breadcrumbs(ctx, "/", "Home", "/apst", "Specialist taskforces", NULL);
    json_object_set_new(ctx, "taskforce", o);
    json_object_set_new(ctx, "may_edit", json_boolean(svc_apst_may(&c, ACT_EDIT, t)));
    json_object_set_new(ctx, "may_export", json_boolean(svc_apst_may(&c, ACT_EXPORT, t)));
    const char *flash = saved_text(req_query(rq, "saved"));
    if (flash)
        view_flash(ctx, flash);
    json_object_set_new(ctx, "meeting_date",
                        finding_form_date_field(rq, "date", "Date of the case meeting", date, e, "For example, 27 3 2026"));
    view_set_errors(ctx, e);
    view_render(rq, rs, status, "apst/view", ctx);
}

static void h_view(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct apst_taskforce_row *t = taskforce(rq, rs, &c, rq->id);
    if (!t)
        return;
    render_view(rq, rs, 200, &c, t, NULL, NULL);
}

/* ---- forms inside a taskforce: specialists, agreements, referrals, time ---- */

enum sub { SUB_SPECIALIST, SUB_AGREEMENT, SUB_REFERRAL, SUB_INTERVENTION, SUB_COST };

union sub_form {
    struct apst_specialist_form sp;
    struct apst_agreement_form ag;
    struct apst_referral_form rf;
    struct apst_intervention_form iv;
    struct apst_cost_form co;
};

static const struct req_field sp_fields[] = {
    REQ_FIELD(struct apst_specialist_form, kind),         REQ_FIELD(struct apst_specialist_form, name),
    REQ_FIELD(struct apst_specialist_form, fte),          REQ_FIELD(struct apst_specialist_form, days_on_site),
    REQ_FIELD(struct apst_specialist_form, home_service), REQ_FIELD(struct apst_specialist_form, funding),
    REQ_FIELD(struct apst_specialist_form, supervision),  REQ_FIELD(struct apst_specialist_form, starts_on),
    REQ_FIELD(struct apst_specialist_form, ends_on),      REQ_FIELD(struct apst_specialist_form, username),
};
static const struct req_field ag_fields[] = {
    REQ_FIELD(struct apst_agreement_form, kind), REQ_FIELD(struct apst_agreement_form, party),
    REQ_FIELD(struct apst_agreement_form, signed_on), REQ_FIELD(struct apst_agreement_form, review_on),
};
static const struct req_field rf_fields[] = {
    REQ_FIELD(struct apst_referral_form, pupil_id), REQ_FIELD(struct apst_referral_form, upn),
    REQ_FIELD(struct apst_referral_form, route),    REQ_FIELD(struct apst_referral_form, referred_on),
    REQ_FIELD(struct apst_referral_form, referrer), REQ_FIELD(struct apst_referral_form, reason),
};

/* The consent fields, shared by the referral form and the consent form. */
static void consent_params(struct req *rq, struct apst_consent_form *f)
{
    f->basis = req_param(rq, "consent_basis");
    f->by = req_param(rq, "consent_by");
    f->on = req_param(rq, "consent_on");
    form_date(rq, "consent_on", &f->on);
    f->note = req_param(rq, "consent_note");
    f->nkinds = req_param_all(rq, "consent_kinds", f->kinds, APST_CONSENT_KINDS_MAX);
}

static void consent_form_fields(struct req *rq, json_t *fields, const struct apst_consent_form *f,
                                const struct field_errors *e, bool optional)
{
    const char *legend = optional ? "Consent (optional: it can be recorded later)" : "Consent";
    append_field(fields, fld_radios_codes("consent_basis", legend, f->basis, e, &codes_apst_consent, 0), "is_radios");
    append_field(fields,
                 fld_input("consent_by", "Who gave consent", f->by, e,
                           "A name and relationship, for example Jo Example, mother"),
                 "is_input");
    append_field(fields, finding_form_date_field(rq, "consent_on", "Date", f->on, e, "For example, 27 3 2026"),
                 "is_date");
    json_t *cb = fld_radios("consent_kinds", "Specialists the consent covers", e, 0);
    fld_set(cb, "hint", "Specialists see the pupil's referral only when the consent covers their type. "
                        "A safeguarding concern covers every specialist.");
    json_t *items = json_array();
    for (size_t k = 0; k < codes_apst_specialist.count; k++) {
        bool on_ = false;
        for (size_t i = 0; i < f->nkinds; i++)
            on_ |= f->kinds[i] && !strcmp(f->kinds[i], codes_apst_specialist.entries[k].code);
        json_array_append_new(items, json_pack("{s:s, s:s, s:b}", "value", codes_apst_specialist.entries[k].code,
                                               "label", codes_apst_specialist.entries[k].label, "checked", on_));
    }
    json_object_set_new(cb, "items", items);
    append_field(fields, cb, "is_checkboxes");
    append_field(fields,
                 fld_textarea("consent_note", "The safeguarding concern (if consent is not needed)", f->note, e, NULL),
                 "is_textarea");
}
static const struct req_field co_fields[] = {
    REQ_FIELD(struct apst_cost_form, line),   REQ_FIELD(struct apst_cost_form, period_from),
    REQ_FIELD(struct apst_cost_form, period_to), REQ_FIELD(struct apst_cost_form, amount),
    REQ_FIELD(struct apst_cost_form, note),
};
static const struct req_field iv_fields[] = {
    REQ_FIELD(struct apst_intervention_form, specialist_id), REQ_FIELD(struct apst_intervention_form, referral_id),
    REQ_FIELD(struct apst_intervention_form, delivered_on),  REQ_FIELD(struct apst_intervention_form, activity),
    REQ_FIELD(struct apst_intervention_form, minutes),
};

static void opt_specialist(void *arg, const struct apst_specialist_row *r)
{
    char label[TAS_NAME_MAX + 64];
    snprintf(label, sizeof label, "%s (%s)", r->name, code_label(&codes_apst_specialist, r->kind));
    fld_choice_add(arg, r->id, label);
}
static void opt_referral(void *arg, const struct apst_referral_row *r)
{
    if (!strcmp(r->triage, "declined") || !strcmp(r->triage, "signposted"))
        return;
    char label[2 * TAS_NAME_MAX + 64], when[32];
    date_label(r->referred_on, when, sizeof when);
    snprintf(label, sizeof label, "%s %s (referred %s)", r->forenames, r->surname, when);
    fld_choice_add(arg, r->id, label);
}

/* What differs between the forms inside a taskforce, by enum sub: the
 * words, the address under /apst/:id/, the record's key (also the
 * ?saved= of the taskforce page), and the fields, with the dates among
 * them (which a page sends as GOV.UK boxes). */
struct sub_def {
    const char *title, *path, *submit, *key;
    const struct req_field *fields;
    size_t nfields;
    struct req_field dates[2];   /* name NULL: no more */
};

static const struct sub_def subs[] = {
    [SUB_SPECIALIST] = {"Add a specialist", "specialists", "Add the specialist", "specialist", sp_fields,
                        COUNT(sp_fields),
                        {REQ_FIELD(struct apst_specialist_form, starts_on),
                         REQ_FIELD(struct apst_specialist_form, ends_on)}},
    [SUB_AGREEMENT] = {"Record an agreement", "agreements", "Save the agreement", "agreement", ag_fields,
                       COUNT(ag_fields),
                       {REQ_FIELD(struct apst_agreement_form, signed_on),
                        REQ_FIELD(struct apst_agreement_form, review_on)}},
    [SUB_REFERRAL] = {"Record a referral", "referrals", "Save the referral", "referral", rf_fields,
                      COUNT(rf_fields), {REQ_FIELD(struct apst_referral_form, referred_on)}},
    [SUB_INTERVENTION] = {"Record time spent", "interventions", "Save the time", "intervention", iv_fields,
                          COUNT(iv_fields),
                          {REQ_FIELD(struct apst_intervention_form, delivered_on)}},
    [SUB_COST] = {"Record money spent", "costs", "Save the cost", "cost", co_fields,
                  COUNT(co_fields),
                  {REQ_FIELD(struct apst_cost_form, period_from), REQ_FIELD(struct apst_cost_form, period_to)}},
};

static void render_sub(struct req *rq, struct resp *rs, int status, struct svc_ctx *c,
                       const struct apst_taskforce_row *t, enum sub kind, const union sub_form *f,
                       const struct field_errors *e)
{
    const struct sub_def *d = &subs[kind];
    char action[64], back[48];
    snprintf(action, sizeof action, "/apst/%lld/%s", (long long)t->id, d->path);
    snprintf(back, sizeof back, "/apst/%lld", (long long)t->id);
    json_t *ctx = taskforce_form(rq, t, d->title, action, d->submit, back, e);
    switch (kind) {
    case SUB_SPECIALIST:
        field(ctx, fld_select_codes("kind", "Type of specialist", f->sp.kind, e, &codes_apst_specialist,
                                    "Select a type"), "is_select");
        field(ctx, fld_input("name", "Name", f->sp.name, e, NULL), "is_input");
        field(ctx, fld_input("fte", "FTE", f->sp.fte, e, "For example, 0.6 for three days a week"), "is_input");
        field(ctx, fld_input("days_on_site", "Days on site each week", f->sp.days_on_site, e, "0 to 5"), "is_input");
        field(ctx, fld_input("home_service", "Home service (optional)", f->sp.home_service, e,
                             "For example, CAMHS or the youth justice service"), "is_input");
        field(ctx, fld_radios_codes("funding", "How the post is funded", f->sp.funding, e, &codes_apst_funding, 0),
              "is_radios");
        field(ctx, fld_radios_codes("supervision", "Supervision", f->sp.supervision, e, &codes_apst_supervision, 0),
              "is_radios");
        date_hint_field(rq, ctx, "starts_on", "Date they started", f->sp.starts_on, e);
        date_hint_field(rq, ctx, "ends_on", "Date they left (optional)", f->sp.ends_on, e);
        field(ctx, fld_input("username", "Their account's user name (optional)", f->sp.username, e,
                             "An account with the taskforce specialist role on this taskforce, for this type"),
              "is_input");
        break;
    case SUB_AGREEMENT:
        field(ctx, fld_radios_codes("kind", "Kind of agreement", f->ag.kind, e, &codes_apst_agreement, 0), "is_radios");
        field(ctx, fld_input("party", "Partner", f->ag.party, e, "The service or organisation it is with"),
              "is_input");
        date_hint_field(rq, ctx, "signed_on", "Date signed", f->ag.signed_on, e);
        date_hint_field(rq, ctx, "review_on", "Date to review it", f->ag.review_on, e);
        break;
    case SUB_REFERRAL: {
        json_t *upn = fld_input("upn", "Pupil's UPN", f->rf.upn, e,
                                "The pupil's own school may be a mainstream school (outreach)");
        fld_set(upn, "width_class", "govuk-input--width-20");
        json_object_set_new(upn, "spellcheck_off", json_true());
        field(ctx, upn, "is_input");
        field(ctx, fld_radios_codes("route", "How the pupil was referred", f->rf.route, e, &codes_apst_route, 0),
              "is_radios");
        date_hint_field(rq, ctx, "referred_on", "Date of the referral", f->rf.referred_on, e);
        field(ctx, fld_input("referrer", "Who referred (optional)", f->rf.referrer, e, "A role, for example form tutor"),
              "is_input");
        field(ctx, fld_textarea("reason", "Reason for the referral (optional)", f->rf.reason, e, NULL), "is_textarea");
        consent_form_fields(rq, json_object_get(ctx, "fields"), &f->rf.consent, e, true);
        break;
    }
    case SUB_INTERVENTION: {
        json_t *sp = fld_select_blank("specialist_id", "Specialist", e, NULL, "Select a specialist",
                                      f->iv.specialist_id);
        struct fld_choice o = {sp, f->iv.specialist_id};
        svc_apst_specialists(c, t, opt_specialist, &o);
        field(ctx, sp, "is_select");
        field(ctx, fld_radios_codes("activity", "Activity", f->iv.activity, e, &codes_apst_activity, 0), "is_radios");
        json_t *rfs = fld_select_blank("referral_id", "Pupil (for work with a pupil or their family)", e, NULL,
                                       "No pupil: group work, training or advice", f->iv.referral_id);
        struct fld_choice ro = {rfs, f->iv.referral_id};
        svc_apst_referrals(c, t, "", opt_referral, &ro);
        field(ctx, rfs, "is_select");
        date_hint_field(rq, ctx, "delivered_on", "Date", f->iv.delivered_on, e);
        json_t *mins = fld_input("minutes", "Time in minutes", f->iv.minutes, e, "For example, 90 for an hour and a half");
        fld_number(mins, "govuk-input--width-4", "numeric");
        field(ctx, mins, "is_input");
        break;
    }
    case SUB_COST:
        field(ctx, fld_radios_codes("line", "What the money was spent on", f->co.line, e, &codes_apst_cost_line, 0),
              "is_radios");
        date_hint_field(rq, ctx, "period_from", "First day of the period", f->co.period_from, e);
        date_hint_field(rq, ctx, "period_to", "Last day of the period", f->co.period_to, e);
        {
            json_t *amt = fld_input("amount", "Amount spent, in pounds", f->co.amount, e,
                                    "Including on-costs, for example 12500 or 12500.50");
            fld_set(amt, "width_class", "govuk-input--width-10");
            field(ctx, amt, "is_input");
        }
        field(ctx, fld_input("note", "Note (optional)", f->co.note, e, NULL), "is_input");
        break;
    }
    view_render(rq, rs, status, "apst/form", ctx);
}

static void sub_new(struct req *rq, struct resp *rs, enum sub kind)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct apst_taskforce_row *t = taskforce(rq, rs, &c, rq->id);
    if (!t)
        return;
    if (kind == SUB_INTERVENTION ? !svc_apst_may_log(&c, t) : !svc_apst_may(&c, ACT_EDIT, t)) {
        view_failed(rq, rs, SVC_FORBIDDEN);
        return;
    }
    union sub_form f;
    memset(&f, 0, sizeof f);
    render_sub(rq, rs, 200, &c, t, kind, &f, NULL);
}

/* Form kind as sent into f (the form of kind in the union, which starts
 * where the union does). */
static void sub_read(struct req *rq, enum sub kind, union sub_form *f)
{
    const struct sub_def *d = &subs[kind];
    req_fields(rq, d->fields, d->nfields, f);
    for (size_t i = 0; i < 2 && d->dates[i].name; i++)
        form_date(rq, d->dates[i].name, (const char **)((char *)f + d->dates[i].at));
    if (kind == SUB_REFERRAL)
        consent_params(rq, &f->rf.consent);
}

/* The service that saves form kind. */
static enum svc_status sub_add(struct svc_ctx *c, int64_t taskforce_id, enum sub kind, const union sub_form *f,
                               struct field_errors *e, int64_t *id)
{
    switch (kind) {
    case SUB_SPECIALIST:
        return svc_apst_specialist_add(c, taskforce_id, &f->sp, e, id);
    case SUB_AGREEMENT:
        return svc_apst_agreement_add(c, taskforce_id, &f->ag, e, id);
    case SUB_REFERRAL:
        return svc_apst_referral_create(c, taskforce_id, &f->rf, e, id);
    case SUB_INTERVENTION:
        return svc_apst_intervention_add(c, taskforce_id, &f->iv, e, id);
    case SUB_COST:
        return svc_apst_cost_add(c, taskforce_id, &f->co, e, id);
    }
    return SVC_ERROR;
}

static void sub_save(struct req *rq, struct resp *rs, enum sub kind)
{
    struct svc_ctx c = req_svc_ctx(rq);
    union sub_form f;
    memset(&f, 0, sizeof f);
    sub_read(rq, kind, &f);
    struct field_errors e = {0};
    int64_t id = 0;
    enum svc_status st = sub_add(&c, rq->id, kind, &f, &e, &id);
    const char *key = subs[kind].key;
    struct apst_taskforce_row *t = req_alloc(rq, sizeof *t);
    if ((st == SVC_OK || st == SVC_INVALID) && (!t || svc_apst_get(&c, rq->id, t) != SVC_OK))
        st = SVC_ERROR;
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_FORM) {
        render_sub(rq, rs, 400, &c, t, kind, &f, &e);
        return;
    }
    if (n != SAVE_OK)
        return;
    json_t *rec = json_pack("{s:I, s:I}", "id", (json_int_t)id, "taskforce_id", (json_int_t)rq->id);
    if (kind == SUB_REFERRAL) {
        struct apst_referral_row *r = req_alloc(rq, sizeof *r);
        if (r && svc_apst_referral_get(&c, id, r) == SVC_OK) {
            json_decref(rec);
            rec = json_apst_referral(r);
        }
        view_saved(rq, rs, 201, key, rec, "/apst/referrals/%lld?saved=referral", (long long)id);
        return;
    }
    view_saved(rq, rs, 201, key, rec, "/apst/%lld?saved=%s", (long long)rq->id, key);
}

static void h_sp_new(struct req *rq, struct resp *rs) { sub_new(rq, rs, SUB_SPECIALIST); }
static void h_sp_create(struct req *rq, struct resp *rs) { sub_save(rq, rs, SUB_SPECIALIST); }
static void h_ag_new(struct req *rq, struct resp *rs) { sub_new(rq, rs, SUB_AGREEMENT); }
static void h_ag_create(struct req *rq, struct resp *rs) { sub_save(rq, rs, SUB_AGREEMENT); }
static void h_rf_new(struct req *rq, struct resp *rs) { sub_new(rq, rs, SUB_REFERRAL); }
static void h_rf_create(struct req *rq, struct resp *rs) { sub_save(rq, rs, SUB_REFERRAL); }
static void h_iv_new(struct req *rq, struct resp *rs) { sub_new(rq, rs, SUB_INTERVENTION); }
static void h_iv_create(struct req *rq, struct resp *rs) { sub_save(rq, rs, SUB_INTERVENTION); }
static void h_co_new(struct req *rq, struct resp *rs) { sub_new(rq, rs, SUB_COST); }
static void h_co_create(struct req *rq, struct resp *rs) { sub_save(rq, rs, SUB_COST); }

/* ---- a specialist's one-field forms: the last day in post, the account ---- */

static void end_field(struct req *rq, json_t *ctx, const struct apst_specialist_row *r, const char *value,
                      const struct field_errors *e)
{
    date_hint_field(rq, ctx, "ends_on", "Last day in post", value ? value : r->ends_on, e);
}

static void account_field(struct req *rq, json_t *ctx, const struct apst_specialist_row *r, const char *value,
                          const struct field_errors *e)
{
    (void)rq, (void)r;
    field(ctx, fld_input("username", "User name", value ? value : "", e,
                         "An account with the taskforce specialist role on this taskforce's team, whose detail is "
                         "this specialist's type. Leave blank to unlink."), "is_input");
}

/* What differs between the forms: the address, the words, the field
 * (a date or text) and the service that saves it. */
struct sp_form {
    const char *path, *title_tail, *button, *saved, *param;
    bool date;
    enum svc_status (*save)(struct svc_ctx *c, int64_t id, const char *value, struct field_errors *errs);
    /* value NULL: the form as first shown */
    void (*field)(struct req *rq, json_t *ctx, const struct apst_specialist_row *r, const char *value,
                  const struct field_errors *e);
};

static const struct sp_form sp_end = {"end", " leaves the taskforce", "Save the last day", "left", "ends_on", true,
                                      svc_apst_specialist_end, end_field};
static const struct sp_form sp_account = {"account", "'s account", "Save the account", "account", "username", false,
                                          svc_apst_specialist_link, account_field};

static void sp_render(struct req *rq, struct resp *rs, int status, const struct sp_form *f,
                      const struct apst_specialist_row *r, const struct apst_taskforce_row *t, const char *value,
                      const struct field_errors *e)
{
    char action[80], back[48], title[TAS_NAME_MAX + 40];
    snprintf(action, sizeof action, "/apst/specialists/%lld/%s", (long long)r->id, f->path);
    snprintf(back, sizeof back, "/apst/%lld", (long long)t->id);
    snprintf(title, sizeof title, "%s%s", r->name, f->title_tail);
    json_t *ctx = taskforce_form(rq, t, title, action, f->button, back, e);
    f->field(rq, ctx, r, value, e);
    view_render(rq, rs, status, "apst/form", ctx);
}

static void sp_show(struct req *rq, struct resp *rs, const struct sp_form *f)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct apst_specialist_row r;
    struct apst_taskforce_row *t = req_alloc(rq, sizeof *t);
    enum svc_status st = t ? svc_apst_specialist_get(&c, rq->id, &r, t) : SVC_ERROR;
    if (st == SVC_OK && !svc_apst_may(&c, ACT_EDIT, t))
        st = SVC_FORBIDDEN;
    if (view_failed(rq, rs, st))
        return;
    sp_render(rq, rs, 200, f, &r, t, NULL, NULL);
}

static void sp_save(struct req *rq, struct resp *rs, const struct sp_form *f)
{
    struct svc_ctx c = req_svc_ctx(rq);
    const char *value = req_param(rq, f->param);
    if (f->date)
        form_date(rq, f->param, &value);
    struct field_errors e = {0};
    enum svc_status st = f->save(&c, rq->id, value, &e);
    struct apst_specialist_row r;
    struct apst_taskforce_row *t = req_alloc(rq, sizeof *t);
    if ((st == SVC_OK || st == SVC_INVALID) && (!t || svc_apst_specialist_get(&c, rq->id, &r, t) != SVC_OK))
        st = SVC_ERROR;
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK)
        view_saved(rq, rs, 200, "specialist", json_apst_specialist(&r, today_of(&c)), "/apst/%lld?saved=%s",
                   (long long)t->id, f->saved);
    else if (n == SAVE_FORM)
        sp_render(rq, rs, 400, f, &r, t, value ? value : "", &e);
}

static void h_end_form(struct req *rq, struct resp *rs) { sp_show(rq, rs, &sp_end); }
static void h_end(struct req *rq, struct resp *rs) { sp_save(rq, rs, &sp_end); }
static void h_link_form(struct req *rq, struct resp *rs) { sp_show(rq, rs, &sp_account); }
static void h_link(struct req *rq, struct resp *rs) { sp_save(rq, rs, &sp_account); }

/* ---- voiding an entry made by mistake (migration 0030) ---- */

/* What differs between the two: the service's kind, the address, the
 * words and where a page goes next. */
struct apst_void_form {
    enum apst_voidable kind;
    const char *path, *what, *next;
};
static const struct apst_void_form void_iv = {APST_VOID_INTERVENTION, "interventions", "time logged",
                                              "interventions"};
static const struct apst_void_form void_cost = {APST_VOID_COST, "costs", "money entered", "return"};

static void void_render(struct req *rq, struct resp *rs, int status, const struct apst_void_form *f,
                        const struct apst_taskforce_row *t, const char *reason, const struct field_errors *e)
{
    char action[64], back[64], title[48];
    snprintf(action, sizeof action, "/apst/%s/%lld/void", f->path, (long long)rq->id);
    snprintf(back, sizeof back, "/apst/%lld/%s", (long long)t->id, f->next);
    snprintf(title, sizeof title, "Void this entry of %s", f->what);
    json_t *ctx = taskforce_form(rq, t, title, action, "Void the entry", back, e);
    json_object_set_new(ctx, "form_intro",
                        json_string("Void it only when it was recorded by mistake. Nothing is deleted: it stays, "
                                    "marked as voided, and is left out of every total and of the MI return."));
    field(ctx, fld_textarea("reason", "Why is it voided?", reason ? reason : "", e, NULL), "is_textarea");
    view_render(rq, rs, status, "apst/form", ctx);
}

static void void_show(struct req *rq, struct resp *rs, const struct apst_void_form *f)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct apst_taskforce_row *t = req_alloc(rq, sizeof *t);
    bool voided = false;
    if (view_failed(rq, rs, t ? svc_apst_may_void(&c, f->kind, rq->id, t, &voided) : SVC_ERROR))
        return;
    struct field_errors e = {0};
    if (voided)
        field_errors_add(&e, "reason", "This entry is already voided");
    void_render(rq, rs, 200, f, t, NULL, &e);
}

static void void_save(struct req *rq, struct resp *rs, const struct apst_void_form *f)
{
    struct svc_ctx c = req_svc_ctx(rq);
    const char *reason = req_param(rq, "reason");
    struct field_errors e = {0};
    int64_t taskforce_id = 0;
    enum svc_status st = svc_apst_void(&c, f->kind, rq->id, reason, &e, &taskforce_id);
    struct apst_taskforce_row *t = req_alloc(rq, sizeof *t);
    if (st == SVC_INVALID && (!t || svc_apst_get(&c, taskforce_id, t) != SVC_OK))
        st = SVC_ERROR;
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK)
        view_saved(rq, rs, 200, "voided",
                   json_pack("{s:s, s:I, s:I, s:b}", "kind", f->kind == APST_VOID_COST ? "cost" : "intervention",
                             "id", (json_int_t)rq->id, "taskforce_id", (json_int_t)taskforce_id, "voided", 1),
                   "/apst/%lld/%s?saved=void", (long long)taskforce_id, f->next);
    else if (n == SAVE_FORM)
        void_render(rq, rs, 400, f, t, reason, &e);
}

/* The page an entry was voided from, after the void. */
static void void_flash(struct req *rq, json_t *ctx)
{
    const char *sv = req_query(rq, "saved");
    if (sv && !strcmp(sv, "void"))
        view_flash(ctx, "Entry voided: it is kept, and left out of every total");
}

static void h_iv_void_form(struct req *rq, struct resp *rs) { void_show(rq, rs, &void_iv); }
static void h_iv_void(struct req *rq, struct resp *rs) { void_save(rq, rs, &void_iv); }
static void h_co_void_form(struct req *rq, struct resp *rs) { void_show(rq, rs, &void_cost); }
static void h_co_void(struct req *rq, struct resp *rs) { void_save(rq, rs, &void_cost); }

/* ?name=, or def when it is absent or empty. */
static const char *query_or(const struct req *rq, const char *name, const char *def)
{
    const char *v = req_query(rq, name);
    return v && *v ? v : def;
}

/* The API's lists of one taskforce's records; time and money in the
 * period ?from= to ?to=, by default all. */
static void api_list(struct req *rq, struct resp *rs, enum sub kind)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct apst_taskforce_row *t = taskforce(rq, rs, &c, rq->id);
    if (!t)
        return;
    struct collect k = {json_array(), today_of(&c)};
    enum svc_status st = SVC_ERROR;
    const char *key = "";
    const char *from = query_or(rq, "from", "0000-01-01"), *to = query_or(rq, "to", "9999-12-31");
    switch (kind) {
    case SUB_SPECIALIST:
        st = svc_apst_specialists(&c, t, add_sp, &k), key = "specialists";
        break;
    case SUB_AGREEMENT:
        st = svc_apst_agreements(&c, t, add_ag, &k), key = "agreements";
        break;
    case SUB_REFERRAL:
        st = svc_apst_referrals(&c, t, req_query(rq, "triage"), add_rf, &k), key = "referrals";
        break;
    case SUB_INTERVENTION:
        st = svc_apst_interventions(&c, t, from, to, add_iv, &k), key = "interventions";
        break;
    case SUB_COST:
        st = svc_apst_costs(&c, t, from, to, add_cost, &k), key = "costs";
        break;
    }
    if (list_failed(rq, rs, st, &k))
        return;
    view_json(rs, 200, json_pack("{s:o}", key, k.list));
}

static void h_api_sp(struct req *rq, struct resp *rs) { api_list(rq, rs, SUB_SPECIALIST); }
static void h_api_ag(struct req *rq, struct resp *rs) { api_list(rq, rs, SUB_AGREEMENT); }
static void h_api_rf(struct req *rq, struct resp *rs) { api_list(rq, rs, SUB_REFERRAL); }
static void h_api_co(struct req *rq, struct resp *rs) { api_list(rq, rs, SUB_COST); }

/* The intervention log: the page lists the last entries; the API as api_list. */
static void h_interventions(struct req *rq, struct resp *rs)
{
    if (rq->api) {
        api_list(rq, rs, SUB_INTERVENTION);
        return;
    }
    struct svc_ctx c = req_svc_ctx(rq);
    struct apst_taskforce_row *t = taskforce(rq, rs, &c, rq->id);
    if (!t)
        return;
    struct collect k = {json_array(), today_of(&c)};
    enum svc_status st = svc_apst_interventions(&c, t, "0000-01-01", "9999-12-31", add_iv, &k);
    if (list_failed(rq, rs, st, &k))
        return;
    json_t *ctx = view_page(rq, "Intervention log", "apst");
    taskforce_crumbs(ctx, t->id, t->name);
    json_object_set_new(ctx, "taskforce", json_apst(t));
    json_object_set_new(ctx, "interventions", k.list);
    json_object_set_new(ctx, "may_edit", json_boolean(svc_apst_may(&c, ACT_EDIT, t)));
    bool may_log = svc_apst_may_log(&c, t), whole = svc_apst_may(&c, ACT_EDIT, t);
    json_object_set_new(ctx, "may_log", json_boolean(may_log));
    /* A Void link where the user may void the entry: the manager every one,
     * a specialist those of their own post. */
    struct apst_taskforce_row *vt = req_alloc(rq, sizeof *vt);
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(ctx, "interventions"), i, row) {
        bool voided = false;
        bool ok = may_log && (whole || (vt && svc_apst_may_void(&c, APST_VOID_INTERVENTION,
                                                                json_integer_value(json_object_get(row, "id")), vt,
                                                                &voided) == SVC_OK));
        json_object_set_new(row, "may_void", json_boolean(ok));
    }
    void_flash(rq, ctx);
    view_render(rq, rs, 200, "apst/interventions", ctx);
}

/* ---- referrals ---- */

static const struct req_field triage_fields[] = {
    REQ_FIELD(struct apst_triage_form, triage),     REQ_FIELD(struct apst_triage_form, threshold_met),
    REQ_FIELD(struct apst_triage_form, tier),       REQ_FIELD(struct apst_triage_form, lead_specialist_id),
    REQ_FIELD(struct apst_triage_form, engagement), REQ_FIELD(struct apst_triage_form, closed_on),
};

static const struct code_entry threshold_entries[] = {
    {"yes", "Meets the threshold", NULL}, {"no", "Does not meet it", NULL}, {"unknown", "No fixed threshold", NULL}};
static const struct code_list threshold_codes = {"threshold", threshold_entries, 3};

static void add_staff(void *arg, const struct apst_specialist_row *r)
{
    json_array_append_new(arg, json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)r->id, "name", r->name, "kind",
                                         r->kind, "kind_label", json_label(&codes_apst_specialist, r->kind)));
}

/* A referral with the specialists assigned to it, as "staff". */
static json_t *json_referral_staff(struct svc_ctx *c, const struct apst_referral_row *r)
{
    json_t *o = json_apst_referral(r);
    json_t *staff = json_array();
    svc_apst_referral_staff(c, r, add_staff, staff);
    json_object_set_new(o, "staff", staff);
    return o;
}

static void render_referral_as(struct req *rq, struct resp *rs, int status, struct svc_ctx *c,
                               const struct apst_referral_row *r, const struct apst_triage_form *f,
                               const struct apst_consent_form *cf, const struct field_errors *e);

static void render_referral(struct req *rq, struct resp *rs, int status, struct svc_ctx *c,
                            const struct apst_referral_row *r, const struct apst_triage_form *f,
                            const struct field_errors *e)
{
    render_referral_as(rq, rs, status, c, r, f, NULL, e);
}

static void render_referral_as(struct req *rq, struct resp *rs, int status, struct svc_ctx *c,
                               const struct apst_referral_row *r, const struct apst_triage_form *f,
                               const struct apst_consent_form *cf, const struct field_errors *e)
{
    json_t *o = json_referral_staff(c, r);
    json_t *staff = json_object_get(o, "staff");
    if (rq->api) {
        view_json(rs, status, json_pack("{s:o}", "referral", o));
        return;
    }
    json_t *ctx = view_page(rq, "Referral", "apst");
    taskforce_crumbs(ctx, r->taskforce_id, r->taskforce_name);
    json_object_set_new(ctx, "referral", o);
    struct apst_taskforce_row *t = req_alloc(rq, sizeof *t);
    bool may_edit = t && svc_apst_get(c, r->taskforce_id, t) == SVC_OK && svc_apst_may(c, ACT_EDIT, t);
    if (may_edit) {
        json_t *fields = json_array();
        append_field(fields, fld_radios_codes("triage", "Triage decision", f->triage, e, &codes_apst_triage, 0),
                     "is_radios");
        append_field(fields, fld_radios_codes("threshold_met", "Threshold", f->threshold_met, e, &threshold_codes, 1),
                     "is_radios");
        append_field(fields, fld_radios_codes("tier", "Tier of support", f->tier, e, &codes_apst_tier, 0), "is_radios");
        json_t *lead = fld_select_blank("lead_specialist_id", "Lead specialist", e, NULL, "None yet",
                                        f->lead_specialist_id);
        struct fld_choice lo = {lead, f->lead_specialist_id};
        svc_apst_specialists(c, t, opt_specialist, &lo);
        append_field(fields, lead, "is_select");
        append_field(fields,
                     fld_select_codes("engagement", "Engagement", f->engagement, e, &codes_apst_engagement,
                                      "Not yet known"),
                     "is_select");
        append_field(fields,
                     finding_form_date_field(rq, "closed_on", "Date the work ended (optional)", f->closed_on, e,
                                             "For example, 27 3 2026"),
                     "is_date");
        json_object_set_new(ctx, "fields", fields);
        /* The consent as recorded, or as just sent with errors. */
        struct apst_consent_form now = {r->consent_basis, r->consent_by, r->consent_on, r->consent_note, {0}, 0};
        for (size_t k = 0; k < codes_apst_specialist.count && now.nkinds < APST_CONSENT_KINDS_MAX; k++)
            if ((strcmp(r->consent_basis, "family") == 0 || strcmp(r->consent_basis, "young_person") == 0) &&
                apst_consent_covers(r->consent_basis, r->consent_kinds, codes_apst_specialist.entries[k].code))
                now.kinds[now.nkinds++] = codes_apst_specialist.entries[k].code;
        json_t *cfields = json_array();
        consent_form_fields(rq, cfields, cf ? cf : &now, e, false);
        json_object_set_new(ctx, "consent_fields", cfields);
        json_t *as = fld_select_blank("specialist_id", "Specialist", e, NULL, "Select a specialist", "");
        struct fld_choice ao = {as, ""};
        svc_apst_specialists(c, t, opt_specialist, &ao);
        json_object_set_new(ctx, "assign_field", as);
        if (json_array_size(staff)) {
            json_t *rm = fld_select_blank("remove_specialist_id", "Specialist", e, NULL, "Select a specialist", "");
            struct fld_choice ro = {rm, ""};
            svc_apst_referral_staff(c, r, opt_specialist, &ro);
            json_object_set_new(ctx, "unassign_field", rm);
        }
    }
    json_object_set_new(ctx, "may_edit", json_boolean(may_edit));
    view_set_errors(ctx, e);
    const char *sv = req_query(rq, "saved");
    if (sv)
        view_flash(ctx, !strcmp(sv, "triage")       ? "Triage decision saved"
                       : !strcmp(sv, "consent")    ? "Consent saved"
                       : !strcmp(sv, "staff")      ? "Specialist assigned"
                       : !strcmp(sv, "unassigned") ? "Specialist no longer assigned"
                                                   : "Referral recorded");
    view_render(rq, rs, status, "apst/referral", ctx);
}

static void h_referral(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct apst_referral_row *r = req_alloc(rq, sizeof *r);
    if (view_failed(rq, rs, r ? svc_apst_referral_view(&c, rq->id, r) : SVC_ERROR))
        return;
    char lead[24] = "";
    if (r->lead_specialist_id > 0)
        snprintf(lead, sizeof lead, "%lld", (long long)r->lead_specialist_id);
    struct apst_triage_form f = {strcmp(r->triage, "pending") ? r->triage : "",
                                 r->threshold_met < 0 ? "" : r->threshold_met ? "yes" : "no",
                                 r->tier, lead, r->engagement, r->closed_on};
    render_referral(rq, rs, 200, &c, r, &f, NULL);
}

/* What differs between the ends of the changes to a referral. */
struct referral_change {
    const char *saved;                       /* ?saved= on the referral page */
    bool with_staff;                         /* the record answered has its staff */
    const struct apst_triage_form *triage;   /* the triage form as sent, or NULL: as saved */
    const struct apst_consent_form *consent; /* the consent form as sent, or NULL: as recorded */
};

/* How a change to the referral named by the path ends (st, e from its
 * service): the referral read again, then the record answered (a page
 * goes back to the referral's page), or a page's referral page again with
 * the errors. */
static void referral_end(struct req *rq, struct resp *rs, struct svc_ctx *c, enum svc_status st,
                         const struct field_errors *e, const struct referral_change *ch)
{
    struct apst_referral_row *r = req_alloc(rq, sizeof *r);
    if ((st == SVC_OK || st == SVC_INVALID) && (!r || svc_apst_referral_get(c, rq->id, r) != SVC_OK))
        st = SVC_ERROR;
    enum save_next n = view_answer_save(rq, rs, st, e);
    if (n == SAVE_OK) {
        json_t *o = ch->with_staff ? json_referral_staff(c, r) : json_apst_referral(r);
        view_saved(rq, rs, 200, "referral", o, "/apst/referrals/%lld?saved=%s", (long long)rq->id, ch->saved);
    } else if (n == SAVE_FORM) {
        struct apst_triage_form saved = {"", "", r->tier, "", r->engagement, r->closed_on};
        render_referral_as(rq, rs, 400, c, r, ch->triage ? ch->triage : &saved, ch->consent, e);
    }
}

static void h_triage(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct apst_triage_form f = {0};
    req_fields(rq, triage_fields, COUNT(triage_fields), &f);
    form_date(rq, "closed_on", &f.closed_on);
    struct field_errors e = {0};
    enum svc_status st = svc_apst_referral_triage(&c, rq->id, &f, &e);
    referral_end(rq, rs, &c, st, &e, &(struct referral_change){.saved = "triage", .triage = &f});
}

static void h_consent(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct apst_consent_form f;
    memset(&f, 0, sizeof f);
    consent_params(rq, &f);
    struct field_errors e = {0};
    enum svc_status st = svc_apst_referral_consent(&c, rq->id, &f, &e);
    referral_end(rq, rs, &c, st, &e, &(struct referral_change){.saved = "consent", .consent = &f});
}

static void h_assign(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct field_errors e = {0};
    enum svc_status st = svc_apst_referral_assign(&c, rq->id, req_param(rq, "specialist_id"), &e);
    referral_end(rq, rs, &c, st, &e, &(struct referral_change){.saved = "staff", .with_staff = true});
}

static void h_unassign(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    /* The page's select is remove_specialist_id (specialist_id is the
     * assign form's); its errors name it, so the page marks the right one. */
    const char *name = rq->api ? "specialist_id" : "remove_specialist_id";
    struct field_errors e = {0}, shown = {0};
    enum svc_status st = svc_apst_referral_unassign(&c, rq->id, req_param(rq, name), &e);
    for (size_t i = 0; i < e.count; i++)
        field_errors_add(&shown, !strcmp(e.items[i].field, "specialist_id") ? name : e.items[i].field,
                         e.items[i].message);
    referral_end(rq, rs, &c, st, &shown, &(struct referral_change){.saved = "unassigned", .with_staff = true});
}

/* ---- weekly case meetings ---- */

static void h_meeting_add(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct field_errors e = {0};
    int64_t mid = 0;
    const char *date = req_param(rq, "date");
    form_date(rq, "date", &date);
    enum svc_status st = svc_apst_meeting_add(&c, rq->id, date, req_param(rq, "time"), &e, &mid);
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK) {
        view_saved(rq, rs, 201, "meeting", json_pack("{s:I}", "id", (json_int_t)mid), "/apst/meetings/%lld",
                   (long long)mid);
    } else if (n == SAVE_FORM) {
        struct apst_taskforce_row *t = taskforce(rq, rs, &c, rq->id);
        if (t)
            render_view(rq, rs, 400, &c, t, date, &e);
    }
}

static void h_api_meetings(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct apst_taskforce_row *t = taskforce(rq, rs, &c, rq->id);
    if (!t)
        return;
    struct collect k = {json_array(), 0};
    enum svc_status st = svc_apst_meetings(&c, t, add_meeting, &k);
    if (list_failed(rq, rs, st, &k))
        return;
    view_json(rs, 200, json_pack("{s:o}", "meetings", k.list));
}

static const struct req_field item_fields[] = {
    REQ_FIELD(struct apst_item_form, kind),       REQ_FIELD(struct apst_item_form, referral_id),
    REQ_FIELD(struct apst_item_form, event_kind), REQ_FIELD(struct apst_item_form, decision),
    REQ_FIELD(struct apst_item_form, decided_by), REQ_FIELD(struct apst_item_form, decided_by_name),
};

static void render_meeting(struct req *rq, struct resp *rs, int status, struct svc_ctx *c, int64_t id,
                           const struct apst_item_form *f, const struct field_errors *e)
{
    struct meeting_row *m = req_alloc(rq, sizeof *m);
    struct apst_taskforce_row *t = req_alloc(rq, sizeof *t);
    enum svc_status st = m && t ? svc_apst_meeting_get(c, id, m, t) : SVC_ERROR;
    struct collect k = {json_array(), 0};
    if (st == SVC_OK)
        st = svc_apst_items(c, id, add_item, &k);
    if (list_failed(rq, rs, st, &k))
        return;
    json_t *mj = json_meeting(m);
    json_object_set_new(mj, "items", k.list);
    if (rq->api) {
        json_object_set_new(mj, "taskforce", json_apst(t));
        view_json(rs, status, json_pack("{s:o}", "meeting", mj));
        return;
    }
    char title[64];
    snprintf(title, sizeof title, "Case meeting, %s", json_string_value(json_object_get(mj, "date_label")));
    json_t *ctx = view_page(rq, title, "apst");
    taskforce_crumbs(ctx, t->id, t->name);
    json_object_set_new(ctx, "meeting", mj);
    json_object_set_new(ctx, "taskforce", json_apst(t));
    bool may_edit = svc_apst_may(c, ACT_EDIT, t);
    json_object_set_new(ctx, "may_edit", json_boolean(may_edit));
    if (may_edit) {
        json_t *fields = json_array();
        append_field(fields, fld_radios_codes("kind", "Item", f->kind, e, &codes_apst_item, 0), "is_radios");
        json_t *rfs = fld_select_blank("referral_id", "Pupil", e, "Needed for a new referral or a held case", "None",
                                       f->referral_id);
        struct fld_choice ro = {rfs, f->referral_id};
        svc_apst_referrals(c, t, "", opt_referral, &ro);
        append_field(fields, rfs, "is_select");
        append_field(fields,
                     fld_select_codes("event_kind", "Kind of significant event", f->event_kind, e, &codes_apst_event,
                                      "Not an event"),
                     "is_select");
        append_field(fields, fld_textarea("decision", "Decision and actions", f->decision, e, NULL), "is_textarea");
        append_field(fields,
                     fld_radios_codes("decided_by", "Who made the decision", f->decided_by, e, &codes_apst_decider, 0),
                     "is_radios");
        append_field(fields,
                     fld_input("decided_by_name", "Their names or roles (optional)", f->decided_by_name, e, NULL),
                     "is_input");
        json_object_set_new(ctx, "fields", fields);
    }
    view_set_errors(ctx, e);
    if (req_query(rq, "saved"))
        view_flash(ctx, "Decision recorded");
    view_render(rq, rs, status, "apst/meeting", ctx);
}

static void h_meeting(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct apst_item_form f = {0};
    render_meeting(rq, rs, 200, &c, rq->id, &f, NULL);
}

static void h_item_add(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct apst_item_form f = {0};
    req_fields(rq, item_fields, COUNT(item_fields), &f);
    struct field_errors e = {0};
    int64_t id = 0;
    enum svc_status st = svc_apst_item_add(&c, rq->id, &f, &e, &id);
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK)
        view_saved(rq, rs, 201, "item", json_pack("{s:I, s:I}", "id", (json_int_t)id, "meeting_id",
                                                  (json_int_t)rq->id),
                   "/apst/meetings/%lld?saved=item", (long long)rq->id);
    else if (n == SAVE_FORM)
        render_meeting(rq, rs, 400, &c, rq->id, &f, &e);
}

/* ---- the MI return ---- */

/* The period asked for (GOV.UK date boxes, or one value each through the
 * API), else the current academic year to today; qf and qt hold what the
 * boxes show. */
static void period(struct req *rq, const struct svc_ctx *c, const char **from, const char **to, char def_from[11],
                   struct query_date *qf, struct query_date *qt)
{
    finding_query_date(rq, "from", qf);
    finding_query_date(rq, "to", qt);
    *from = req_keep(rq, qf->text);
    *to = req_keep(rq, qt->text);
    int32_t today = today_of(c);
    day_format(day_from_ymd(academic_year_of(today), 9, 1), def_from);
    if (!**from)
        *from = def_from;
    if (!**to)
        *to = c->today;
    /* The boxes show the period used. */
    struct query_date *q[2] = {qf, qt};
    const char *v[2] = {*from, *to};
    for (int i = 0; i < 2; i++) {
        int32_t d;
        if (q[i]->day || q[i]->month || q[i]->year || day_parse(v[i], &d) != 0)
            continue;
        int y, m, dd;
        char b[8];
        ymd_from_day(d, &y, &m, &dd);
        snprintf(b, sizeof b, "%d", dd);
        q[i]->day = req_keep(rq, b);
        snprintf(b, sizeof b, "%d", m);
        q[i]->month = req_keep(rq, b);
        snprintf(b, sizeof b, "%d", y);
        q[i]->year = req_keep(rq, b);
    }
}

static json_t *table_json(const struct stat_table *t)
{
    json_t *rows = json_array();
    for (size_t i = 0; i < t->nrows; i++) {
        const struct stat_row *r = &t->rows[i];
        char text[32], pct[16];
        stat_cell_text(r, COL_TOTAL, text, sizeof text, pct, sizeof pct);
        json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:b}", "label", r->label, "value", text, "pct", pct,
                                              "suppressed", r->cells[COL_TOTAL].suppressed));
    }
    return json_pack("{s:s, s:s, s:s, s:o}", "key", t->key, "title", t->title, "description", t->description,
                     "rows", rows);
}

/* The time logged under each code of l (minutes[k] for its entry k), and
 * its share of total. */
static json_t *minutes_json(const struct code_list *l, const int64_t *minutes, int64_t total)
{
    json_t *rows = json_array();
    char h[24];
    for (size_t k = 0; k < l->count && k < APST_MI_KINDS; k++) {
        apst_hours_text(minutes[k], h, sizeof h);
        json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:I, s:i}", "code", l->entries[k].code, "label",
                                              l->entries[k].label, "hours", h, "minutes", (json_int_t)minutes[k],
                                              "pct", apst_pct(minutes[k], total)));
    }
    return rows;
}

static json_t *hours_json(const struct apst_mi *mi)
{
    json_t *kinds = minutes_json(&codes_apst_specialist, mi->minutes_by_kind, mi->minutes_total);
    json_t *acts = minutes_json(&codes_apst_activity, mi->minutes_by_activity, mi->minutes_total);
    char h[24];
    apst_hours_text(mi->minutes_total, h, sizeof h);
    return json_pack("{s:o, s:o, s:s, s:I}", "by_specialist", kinds, "by_activity", acts, "total", h,
                     "total_minutes", (json_int_t)mi->minutes_total);
}

static json_t *costs_json(const struct apst_mi *mi)
{
    struct apst_cost_line l[APST_COST_LINES];
    size_t n = apst_cost_lines(mi, l);
    json_t *rows = json_array();
    for (size_t i = 0; i < n; i++) {
        char money[32];
        apst_money_text(l[i].pence, money, sizeof money);
        json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:o}", "group", l[i].group, "label", l[i].label,
                                              "amount", l[i].withheld ? "c" : money, "pence",
                                              l[i].withheld ? json_null() : json_integer((json_int_t)l[i].pence)));
    }
    char hp[24];
    snprintf(hp, sizeof hp, "%lld", (long long)mi->holiday_pupils);
    return json_pack("{s:o, s:s}", "rows", rows, "holiday_pupils", apst_holiday_withheld(mi) ? "c" : hp);
}

static json_t *compare_json(const struct apst_mi *mi)
{
    struct apst_compare_line l[APST_COMPARE_LINES];
    size_t n = apst_compare_lines(mi, l);
    json_t *rows = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "line", l[i].code, "label", l[i].label,
                              "planned", l[i].planned, "actual", l[i].actual, "variance", l[i].variance, "source",
                              l[i].source, "total", l[i].total);
        json_object_set_new(o, "planned_pence", l[i].planned_known ? json_integer((json_int_t)l[i].planned_pence)
                                                                   : json_null());
        json_object_set_new(o, "actual_pence", l[i].actual_known ? json_integer((json_int_t)l[i].actual_pence)
                                                                 : json_null());
        json_object_set_new(o, "variance_pence", l[i].variance_known ? json_integer((json_int_t)l[i].variance_pence)
                                                                     : json_null());
        json_array_append_new(rows, o);
    }
    return json_pack("{s:o, s:I}", "rows", rows, "days", (json_int_t)mi->compare.days);
}

static json_t *return_json(const struct apst_mi *mi)
{
    json_t *ret = json_object();
    json_object_set_new(ret, "from", date_json(mi->from));
    json_object_set_new(ret, "to", date_json(mi->to));
    json_object_set_new(ret, "threshold", json_integer(mi->threshold));
    json_object_set_new(ret, "staffing", composition_json(&mi->staff));
    json_object_set_new(ret, "hours", hours_json(mi));
    json_t *tables = json_array();
    for (int i = 0; i < APST_MI__COUNT; i++)
        json_array_append_new(tables, table_json(&mi->t[i]));
    json_object_set_new(ret, "tables", tables);
    json_object_set_new(ret, "attendance_withheld", json_boolean(mi->attendance_withheld));
    json_object_set_new(ret, "costs", costs_json(mi));
    json_object_set_new(ret, "compare", compare_json(mi));
    return ret;
}

/* The MI return asked for: the page, its API twin and the files. */
struct return_asked {
    struct apst_taskforce_row *t;
    struct query_date qf, qt;   /* what the period's date boxes show */
    struct apst_mi *mi;
    struct field_errors e;
    enum svc_status st;         /* svc_apst_mi's */
};

/* The return of the taskforce named by the path for the period asked for
 * (export_: a file, an audited export) into a; false when the taskforce
 * was not there to see (answered). */
static bool return_read(struct req *rq, struct resp *rs, struct svc_ctx *c, bool export_, struct return_asked *a)
{
    a->t = taskforce(rq, rs, c, rq->id);
    if (!a->t)
        return false;
    const char *from, *to;
    char def_from[11];
    period(rq, c, &from, &to, def_from, &a->qf, &a->qt);
    a->mi = req_alloc(rq, sizeof *a->mi);
    a->st = a->mi ? svc_apst_mi(c, a->t->id, from, to, export_, &a->e, a->mi) : SVC_ERROR;
    return true;
}

static void h_return(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct return_asked a = {0};
    /* Dates that are not right: the page again with the errors (SAVE_FORM). */
    if (!return_read(rq, rs, &c, false, &a) || view_answer_save(rq, rs, a.st, &a.e) == SAVE_ANSWERED)
        return;
    const struct apst_taskforce_row *t = a.t;
    const struct apst_mi *mi = a.mi;
    enum svc_status st = a.st;
    json_t *ret = st == SVC_OK ? return_json(mi) : json_object();
    if (rq->api) {
        view_json(rs, 200, json_pack("{s:o}", "return", ret));
        return;
    }
    json_t *ctx = view_page(rq, "MI return", "apst");
    char csv[160];
    taskforce_crumbs(ctx, t->id, t->name);
    json_object_set_new(ctx, "taskforce", json_apst(t));
    json_object_set_new(ctx, "return", ret);
    json_object_set_new(ctx, "ok", json_boolean(st == SVC_OK));
    void_flash(rq, ctx);
    json_object_set_new(ctx, "may_edit", json_boolean(svc_apst_may(&c, ACT_EDIT, t)));
    if (st == SVC_OK && svc_apst_may(&c, ACT_EDIT, t)) {
        struct collect k = {json_array(), today_of(&c)};
        if (svc_apst_costs(&c, t, mi->from, mi->to, add_cost, &k) == SVC_OK)
            json_object_set_new(ctx, "cost_entries", k.list);
        else
            json_decref(k.list);
    }
    if (st == SVC_OK && svc_apst_may(&c, ACT_EXPORT, t)) {
        snprintf(csv, sizeof csv, "/apst/%lld/return.csv?from=%s&to=%s", (long long)t->id, mi->from, mi->to);
        json_object_set_new(ctx, "csv_href", json_string(csv));
        snprintf(csv, sizeof csv, "/apst/%lld/return.xlsx?from=%s&to=%s", (long long)t->id, mi->from, mi->to);
        json_object_set_new(ctx, "xlsx_href", json_string(csv));
    }
    json_object_set_new(ctx, "f_from", finding_date_field("from", "From", &a.qf, &a.e, NULL));
    json_object_set_new(ctx, "f_to", finding_date_field("to", "To", &a.qt, &a.e, NULL));
    view_set_errors(ctx, &a.e);
    json_object_set_new(ctx, "pilot", json_pack("{s:i, s:i, s:i, s:i, s:i, s:i}", "send", APST_PILOT_SEND_PCT, "fsm",
                                                APST_PILOT_FSM_PCT, "social_care", APST_PILOT_SOCIAL_CARE_PCT,
                                                "engaged", APST_PILOT_ENGAGED_PCT, "ap_sen", APST_AP_SEN_PCT,
                                                "ap_post16", APST_AP_POST16_SUSTAINED_PCT));
    view_render(rq, rs, st == SVC_OK ? 200 : 400, "apst/return", ctx);
}

static void return_file(struct req *rq, struct resp *rs, bool xlsx)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct return_asked a = {0};
    if (!return_read(rq, rs, &c, true, &a))
        return;
    if (a.st == SVC_INVALID) {
        view_error(rq, rs, 400, "Check the dates", a.e.count ? a.e.items[0].message : "Check the dates");
        return;
    }
    if (view_failed(rq, rs, a.st))
        return;
    const struct apst_taskforce_row *t = a.t;
    const struct apst_mi *mi = a.mi;
    buf_reset(&rs->body);
    if (!xlsx) {
        apst_return_csv(t, mi, &rs->body);
    } else if (apst_return_xlsx(t, mi, &rs->body) != 0) {
        buf_reset(&rs->body);
        view_svc_error(rq, rs, SVC_ERROR);
        return;
    }
    rs->status = 200;
    rs->content_type = xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                            : "text/csv; charset=utf-8";
    snprintf(rs->disposition, sizeof rs->disposition, "attachment; filename=\"apst-return-%lld.%s\"",
             (long long)t->id, xlsx ? "xlsx" : "csv");
}

static void h_return_csv(struct req *rq, struct resp *rs)
{
    return_file(rq, rs, false);
}

static void h_return_xlsx(struct req *rq, struct resp *rs)
{
    return_file(rq, rs, true);
}

static void h_api_meeting_add(struct req *rq, struct resp *rs)
{
    h_meeting_add(rq, rs);
}

static const struct route routes[] = {
    {"GET", "/apst", h_list, 0},
    {"GET", "/apst/new", h_new, 0},
    {"POST", "/apst", h_create, 0},
    {"GET", "/apst/referrals/:id", h_referral, 0},
    {"POST", "/apst/referrals/:id/triage", h_triage, 0},
    {"GET", "/apst/meetings/:id", h_meeting, 0},
    {"POST", "/apst/meetings/:id/items", h_item_add, 0},
    {"GET", "/apst/:id", h_view, 0},
    {"GET", "/apst/:id/specialists/new", h_sp_new, 0},
    {"POST", "/apst/:id/specialists", h_sp_create, 0},
    {"GET", "/apst/:id/agreements/new", h_ag_new, 0},
    {"POST", "/apst/:id/agreements", h_ag_create, 0},
    {"GET", "/apst/:id/referrals/new", h_rf_new, 0},
    {"POST", "/apst/:id/referrals", h_rf_create, 0},
    {"POST", "/apst/:id/meetings", h_meeting_add, 0},
    {"GET", "/apst/:id/interventions", h_interventions, 0},
    {"GET", "/apst/:id/interventions/new", h_iv_new, 0},
    {"POST", "/apst/:id/interventions", h_iv_create, 0},
    {"GET", "/apst/:id/return", h_return, 0},
    {"GET", "/apst/:id/return.csv", h_return_csv, 0},
    {"GET", "/apst/specialists/:id/end", h_end_form, 0},
    {"POST", "/apst/specialists/:id/end", h_end, 0},
    {"GET", "/apst/:id/return.xlsx", h_return_xlsx, 0},
    {"POST", "/apst/referrals/:id/consent", h_consent, 0},
    {"POST", "/apst/referrals/:id/staff", h_assign, 0},
    {"POST", "/apst/referrals/:id/staff/remove", h_unassign, 0},
    {"GET", "/apst/specialists/:id/account", h_link_form, 0},
    {"POST", "/apst/specialists/:id/account", h_link, 0},
    {"GET", "/apst/:id/costs/new", h_co_new, 0},
    {"POST", "/apst/:id/costs", h_co_create, 0},
    {"GET", "/apst/interventions/:id/void", h_iv_void_form, 0},
    {"POST", "/apst/interventions/:id/void", h_iv_void, 0},
    {"GET", "/apst/costs/:id/void", h_co_void_form, 0},
    {"POST", "/apst/costs/:id/void", h_co_void, 0},

    {"GET", "/api/v1/apst", h_list, 0},
    {"POST", "/api/v1/apst", h_create, 0},
    {"GET", "/api/v1/apst/referrals/:id", h_referral, 0},
    {"POST", "/api/v1/apst/referrals/:id/triage", h_triage, 0},
    {"GET", "/api/v1/apst/meetings/:id", h_meeting, 0},
    {"POST", "/api/v1/apst/meetings/:id/items", h_item_add, 0},
    {"GET", "/api/v1/apst/:id", h_view, 0},
    {"GET", "/api/v1/apst/:id/specialists", h_api_sp, 0},
    {"POST", "/api/v1/apst/:id/specialists", h_sp_create, 0},
    {"GET", "/api/v1/apst/:id/agreements", h_api_ag, 0},
    {"POST", "/api/v1/apst/:id/agreements", h_ag_create, 0},
    {"GET", "/api/v1/apst/:id/referrals", h_api_rf, 0},
    {"POST", "/api/v1/apst/:id/referrals", h_rf_create, 0},
    {"GET", "/api/v1/apst/:id/meetings", h_api_meetings, 0},
    {"POST", "/api/v1/apst/:id/meetings", h_api_meeting_add, 0},
    {"GET", "/api/v1/apst/:id/interventions", h_interventions, 0},
    {"POST", "/api/v1/apst/:id/interventions", h_iv_create, 0},
    {"GET", "/api/v1/apst/:id/return", h_return, 0},
    {"POST", "/api/v1/apst/specialists/:id/end", h_end, 0},
    {"POST", "/api/v1/apst/referrals/:id/consent", h_consent, 0},
    {"POST", "/api/v1/apst/referrals/:id/staff", h_assign, 0},
    {"POST", "/api/v1/apst/referrals/:id/staff/remove", h_unassign, 0},
    {"POST", "/api/v1/apst/specialists/:id/account", h_link, 0},
    {"GET", "/api/v1/apst/:id/costs", h_api_co, 0},
    {"POST", "/api/v1/apst/:id/costs", h_co_create, 0},
    {"POST", "/api/v1/apst/interventions/:id/void", h_iv_void, 0},
    {"POST", "/api/v1/apst/costs/:id/void", h_co_void, 0},
};

ROUTE_TABLE(apst_table, routes);
