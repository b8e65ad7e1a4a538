/* Parental consent and TAS cases: record and withdraw consent, bring a
 * pupil to a team with the case summary, view, edit, close, re-open; HTML
 * and JSON.  Data comes from service/svc_cases.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/casefile.h"
#include "service/svc_actions.h"
#include "service/svc_cases.h"
#include "service/svc_pupils.h"
#include "store/q_reference.h"
#include "web/finding.h"
#include "web/form.h"
#include "web/listing.h"
#include "web/records_json.h"
#include "web/router.h"
#include "web/view.h"


/* ---- JSON shapes ---- */

static void collect_consent(void *arr, const struct consent_row *r)
{
    json_array_append_new(arr, json_consent(r));
}

static void collect_case(void *arr, const struct case_brief *b)
{
    json_array_append_new(arr, json_pack("{s:I, s:I, s:I, s:s, s:s, s:o, s:s, s:s, s:I, s:I, s:b}",
                                         "id", (json_int_t)b->id, "pupil_id", (json_int_t)b->pupil_id,
                                         "team_id", (json_int_t)b->team_id, "status", b->status,
                                         "opened_on", b->opened_on, "closed_on",
                                         b->closed_on[0] ? json_string(b->closed_on) : json_null(),
                                         "pupil_name", b->pupil_name, "team_name", b->team_name,
                                         "discussions", (json_int_t)b->discussions, "open_actions",
                                         (json_int_t)b->open_actions, "open",
                                         strcmp(b->status, "open") == 0));
    view_set_date_label(json_array_get(arr, json_array_size(arr) - 1), "opened_on_label", b->opened_on);
}

/* ---- consent ---- */

struct svc_opts {
    json_t *items;
    const char *const *checked;
    size_t nchecked;
};

static void add_service_box(void *arg, const struct service_row *r)
{
    struct svc_opts *o = arg;
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)r->id);
    bool on = false;
    for (size_t i = 0; i < o->nchecked; i++)
        on |= strcmp(o->checked[i], id) == 0;
    if (strcmp(r->code, "school") == 0)
        return;   /* the school holds the record already */
    json_array_append_new(o->items, json_pack("{s:s, s:s, s:b}", "value", id, "label", r->name, "checked", on));
}

static void render_consent_form(struct req *rq, struct resp *rs, int status, const struct pupil_row *p,
                                const struct consent_form *f, const struct field_errors *e)
{
    char title[300];
    snprintf(title, sizeof title, "Record consent for %s %s", p->p.forenames, p->p.surname);
    json_t *ctx = view_page(rq, "Record parental consent", "pupils");
    char back[64];
    snprintf(back, sizeof back, "/pupils/%lld", (long long)p->p.id);
    view_breadcrumbs(ctx, "/", "Home", "/pupils", "Pupils", back, title + 19, NULL);
    json_object_set_new(ctx, "pupil", json_pupil(p));
    json_object_set_new(ctx, "cancel_href", json_string(back));
    view_set_printf(ctx, "action", "/pupils/%lld/consent", (long long)p->p.id);
    view_set_errors(ctx, e);
    json_t *fields = json_object();
    json_object_set_new(fields, "given_by", fld_input("given_by", "Name of the person giving consent", f->given_by, e, NULL));
    json_object_set_new(fields, "relationship", fld_radios_codes("relationship", "Relationship to the pupil",
                                                                 f->relationship, e, &codes_consent_relationship, 0));
    json_object_set_new(fields, "given_on", fld_date("given_on", "Date consent was given", f->given_day,
                                                     f->given_month, f->given_year, e, "For example, 14 9 2025"));
    json_t *cov = fld_input("covers_discussion", NULL, NULL, e, NULL);
    json_object_del(cov, "label");
    json_object_del(cov, "value");
    fld_set(cov, "legend", "Has the family agreed that the pupil can be discussed at a Team Around the School meeting?");
    json_object_set_new(cov, "inline", json_true());
    const char *cv = f->covers_discussion ? f->covers_discussion : "";
    json_object_set_new(cov, "items", json_pack("[{s:s,s:s,s:b},{s:s,s:s,s:b}]", "value", "yes", "label", "Yes",
                                                "checked", strcmp(cv, "yes") == 0, "value", "no", "label", "No",
                                                "checked", strcmp(cv, "no") == 0));
    json_object_set_new(fields, "covers_discussion", cov);
    json_t *svc = fld_input("services", NULL, NULL, e, "Information is shared only with the services ticked.");
    json_object_del(svc, "label");
    json_object_del(svc, "value");
    fld_set(svc, "legend", "Services the family agreed information can be shared with");
    struct svc_opts o = {json_array(), f->service_ids, f->nservices};
    (void)q_service_list(rq->db, p->authority_id, true, add_service_box, &o);
    json_object_set_new(svc, "items", o.items);
    json_object_set_new(fields, "services", svc);
    json_object_set_new(ctx, "fields", fields);
    view_render(rq, rs, status, "consent_form", ctx);
}

static void read_consent(struct req *rq, struct consent_form *f, const char **ids, size_t max)
{
    memset(f, 0, sizeof *f);
    f->given_by = req_param(rq, "given_by");
    f->relationship = req_param(rq, "relationship");
    f->covers_discussion = req_param(rq, "covers_discussion");
    req_date_parts(rq, "given_on", "given_on", &f->given_day, &f->given_month, &f->given_year);
    f->nservices = req_param_all(rq, rq->json ? "service_ids" : "services", ids, max);
    f->service_ids = ids;
}

/* The context and pupil rq->id, if the user may open a case or record
 * consent for them; otherwise answers and returns false. */
static bool pupil_for_new(struct req *rq, struct resp *rs, struct svc_ctx *c, struct pupil_row *p)
{
    *c = req_svc_ctx(rq);
    enum svc_status st = svc_pupil_get(c, rq->id, p);
    if (st == SVC_OK && !svc_case_allowed(c, ACT_CREATE, p))
        st = SVC_FORBIDDEN;
    return !view_failed(rq, rs, st);
}

static void h_consent_new(struct req *rq, struct resp *rs)
{
    struct svc_ctx c;
    struct pupil_row p;
    if (pupil_for_new(rq, rs, &c, &p))
        render_consent_form(rq, rs, 200, &p, &(struct consent_form){0}, NULL);
}

static void h_consent_create(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    const char *ids[CONSENT_MAX_SERVICES];
    struct consent_form f;
    read_consent(rq, &f, ids, CONSENT_MAX_SERVICES);
    struct field_errors e = {0};
    struct consent_row r;
    enum svc_status st = svc_consent_record(&c, rq->id, &f, &e, &r);
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK) {
        view_saved(rq, rs, 201, "consent", json_consent(&r), "/pupils/%lld?saved=consent", (long long)rq->id);
    } else if (n == SAVE_FORM) {
        struct pupil_row p;
        if (svc_pupil_get(&c, rq->id, &p) == SVC_OK)
            render_consent_form(rq, rs, 400, &p, &f, &e);
        else
            view_svc_error(rq, rs, SVC_NOT_FOUND);
    }
}

static void h_consent_list(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    json_t *arr = json_array();
    if (view_failed_drop(rq, rs, svc_consent_list(&c, rq->id, collect_consent, arr), arr))
        return;
    enum consent_verdict v = CONSENT_NONE;
    (void)svc_consent_verdict(&c, rq->id, 0, &v);
    view_json(rs, 200, json_pack("{s:o, s:b, s:s}", "consents", arr, "current", v == CONSENT_OK,
                                 "message", v == CONSENT_OK ? "" : consent_message(v)));
}

static void render_withdraw(struct req *rq, struct resp *rs, int status, const struct consent_row *r,
                            const struct pupil_row *p, const struct withdrawal_form *f,
                            const struct field_errors *e)
{
    json_t *ctx = view_form_page(rq, "Withdraw consent", "pupils", e);
    char back[64];
    snprintf(back, sizeof back, "/pupils/%lld", (long long)p->p.id);
    view_breadcrumbs(ctx, "/", "Home", "/pupils", "Pupils", back, "Pupil", NULL);
    json_object_set_new(ctx, "pupil", json_pupil(p));
    json_object_set_new(ctx, "consent", json_consent(r));
    view_set_printf(ctx, "action", "/consents/%lld/withdraw", (long long)r->id);
    json_object_set_new(ctx, "cancel_href", json_string(back));
    json_t *fields = json_object();
    json_object_set_new(fields, "withdrawn_on", fld_date("withdrawn_on", "Date consent was withdrawn", f->day,
                                                         f->month, f->year, e, NULL));
    json_t *reason = fld_input("reason", "Reason (optional)", f->reason, e, NULL);
    json_object_set_new(fields, "reason", reason);
    json_object_set_new(ctx, "fields", fields);
    view_render(rq, rs, status, "consent_withdraw", ctx);
}

static void read_withdrawal(struct req *rq, struct withdrawal_form *f)
{
    f->reason = req_param(rq, "reason");
    req_date_parts(rq, "withdrawn_on", "withdrawn_on", &f->day, &f->month, &f->year);
}

static void h_withdraw_form(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct consent_row r;
    struct pupil_row p;
    if (!view_failed(rq, rs, svc_consent_get(&c, rq->id, &r, &p)))
        render_withdraw(rq, rs, 200, &r, &p, &(struct withdrawal_form){0}, NULL);
}

static void h_withdraw(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct withdrawal_form f = {0};
    read_withdrawal(rq, &f);
    struct field_errors e = {0};
    enum svc_status st = svc_consent_withdraw(&c, rq->id, &f, &e);
    struct consent_row r;
    struct pupil_row p;
    if (st == SVC_OK || st == SVC_INVALID) {
        if (svc_consent_get(&c, rq->id, &r, &p) != SVC_OK) {
            view_svc_error(rq, rs, SVC_ERROR);
            return;
        }
    }
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK) {
        view_saved(rq, rs, 200, "consent", json_consent(&r), "/pupils/%lld?saved=withdrawn",
                   (long long)p.p.id);
    } else if (n == SAVE_FORM) {
        render_withdraw(rq, rs, 400, &r, &p, &f, &e);
    }
}

/* ---- cases ---- */

static void add_team_option(void *arg, int64_t id, const char *name)
{
    fld_choice_add(arg, id, name);
}

static json_t *yes_no_unknown(const char *name, const char *legend, const char *value,
                              const struct field_errors *e)
{
    json_t *f = fld_input(name, NULL, NULL, e, NULL);
    json_object_del(f, "label");
    json_object_del(f, "value");
    fld_set(f, "legend", legend);
    json_object_set_new(f, "inline", json_true());
    json_object_set_new(f, "small", json_true());
    const char *v = value && *value ? value : "unknown";
    json_object_set_new(f, "items", json_pack("[{s:s,s:s,s:b},{s:s,s:s,s:b},{s:s,s:s,s:b}]",
                                              "value", "yes", "label", "Yes", "checked", strcmp(v, "yes") == 0,
                                              "value", "no", "label", "No", "checked", strcmp(v, "no") == 0,
                                              "value", "unknown", "label", "Not known", "checked",
                                              strcmp(v, "unknown") == 0));
    return f;
}

static void read_case(struct req *rq, struct case_form *f)
{
    memset(f, 0, sizeof *f);
    f->team_id = req_param(rq, "team_id");
    for (int i = 0; i < CASE_NEED_AREAS; i++) {
        char name[48];
        snprintf(name, sizeof name, "need_%s", codes_need_area.entries[i].code);
        f->needs[i] = req_param(rq, name);
    }
    f->strengths = req_param(rq, "strengths");
    f->tried = req_param(rq, "tried");
    f->child_voice = req_param(rq, "child_voice");
    f->parent_voice = req_param(rq, "parent_voice");
    f->hoped_outcomes = req_param(rq, "hoped_outcomes");
    for (int i = 0; i < CASE_PRIOR_FLAGS; i++)
        f->prior[i] = req_param(rq, codes_prior_contact.entries[i].code);
    f->summary_before_meeting = req_param(rq, "summary_before_meeting");
    f->ect_completed = req_param(rq, "ect_completed");
}

static void form_from_case(const struct case_row *c, struct case_form *f, char team[24])
{
    memset(f, 0, sizeof *f);
    snprintf(team, 24, "%lld", (long long)c->team_id);
    f->team_id = team;
    for (int i = 0; i < CASE_NEED_AREAS; i++)
        f->needs[i] = c->needs[i];
    f->strengths = c->strengths;
    f->tried = c->tried;
    f->child_voice = c->child_voice;
    f->parent_voice = c->parent_voice;
    f->hoped_outcomes = c->hoped_outcomes;
    for (int i = 0; i < CASE_PRIOR_FLAGS; i++)
        f->prior[i] = tristate_code(c->prior[i]);
    f->summary_before_meeting = tristate_code(c->summary_before_meeting);
    f->ect_completed = tristate_code(c->ect_completed);
}

static void render_case_form(struct req *rq, struct resp *rs, int status, const struct pupil_row *p,
                             const struct case_form *f, const struct field_errors *e, int64_t case_id)
{
    json_t *ctx = view_form_page(rq, case_id ? "Edit the case summary" : "Bring a pupil to TAS", "cases", e);
    char back[64], action[64];
    if (case_id) {
        snprintf(back, sizeof back, "/cases/%lld", (long long)case_id);
        snprintf(action, sizeof action, "/cases/%lld/edit", (long long)case_id);
    } else {
        snprintf(back, sizeof back, "/pupils/%lld", (long long)p->p.id);
        snprintf(action, sizeof action, "/pupils/%lld/cases", (long long)p->p.id);
    }
    view_breadcrumbs(ctx, "/", "Home", "/cases", "Cases", NULL);
    json_object_set_new(ctx, "pupil", json_pupil(p));
    json_object_set_new(ctx, "action", json_string(action));
    json_object_set_new(ctx, "cancel_href", json_string(back));
    json_object_set_new(ctx, "editing", json_boolean(case_id != 0));
    const char *consent_err = field_errors_get(e, "consent");
    if (consent_err)
        json_object_set_new(ctx, "consent_problem", json_pack("{s:s, s:I}", "message", consent_err,
                                                              "pupil_id", (json_int_t)p->p.id));
    json_t *fields = json_object();
    json_t *team = fld_input("team_id", "Team", NULL, e, "Teams that include the pupil's school");
    json_object_del(team, "value");
    fld_add_option(team, "", "Select team", f->team_id ? f->team_id : "");
    struct fld_choice to = {team, f->team_id};
    (void)q_teams_for_school(rq->db, p->p.school_id, add_team_option, &to);
    json_object_set_new(fields, "team_id", team);
    json_t *needs = json_array();
    for (int i = 0; i < CASE_NEED_AREAS; i++) {
        char name[48];
        snprintf(name, sizeof name, "need_%s", codes_need_area.entries[i].code);
        json_array_append_new(needs, fld_textarea(name, codes_need_area.entries[i].label, f->needs[i], e, NULL));
    }
    json_object_set_new(fields, "needs", needs);
    json_object_set_new(fields, "strengths", fld_textarea("strengths", "Strengths", f->strengths, e,
                                                          "What the pupil is good at and enjoys"));
    json_object_set_new(fields, "tried", fld_textarea("tried", "What has been tried", f->tried, e,
                                                      "Support and adjustments already in place, and what happened"));
    json_object_set_new(fields, "child_voice", fld_textarea("child_voice", "The child's voice", f->child_voice, e,
                                                            "What the pupil says about school and what would help"));
    json_object_set_new(fields, "parent_voice", fld_textarea("parent_voice", "The parent or carer's voice",
                                                             f->parent_voice, e, NULL));
    json_object_set_new(fields, "hoped_outcomes", fld_textarea("hoped_outcomes", "Hoped-for outcomes",
                                                               f->hoped_outcomes, e, NULL));
    json_t *prior = json_array();
    for (int i = 0; i < CASE_PRIOR_FLAGS; i++)
        json_array_append_new(prior, yes_no_unknown(codes_prior_contact.entries[i].code,
                                                    codes_prior_contact.entries[i].label, f->prior[i], e));
    json_object_set_new(fields, "prior", prior);
    json_object_set_new(fields, "summary_before_meeting",
                        yes_no_unknown("summary_before_meeting",
                                       "Was the case summary ready before the meeting?", f->summary_before_meeting, e));
    json_object_set_new(fields, "ect_completed",
                        yes_no_unknown("ect_completed", "Was an Early Concerns Toolkit completed?", f->ect_completed, e));
    json_object_set_new(ctx, "fields", fields);
    view_render(rq, rs, status, "case_form", ctx);
}

static void h_case_new(struct req *rq, struct resp *rs)
{
    struct svc_ctx c;
    struct pupil_row p;
    if (!pupil_for_new(rq, rs, &c, &p))
        return;
    struct case_form f;
    memset(&f, 0, sizeof f);
    struct field_errors e = {0};
    /* Say at once when consent is missing, rather than after typing. */
    enum consent_verdict v;
    if (svc_consent_verdict(&c, p.p.id, 0, &v) == SVC_OK && v != CONSENT_OK)
        field_errors_add(&e, "consent", consent_message(v));
    render_case_form(rq, rs, 200, &p, &f, &e, 0);
}

static void case_saved(struct req *rq, struct resp *rs, const struct case_row *c, int created)
{
    view_saved(rq, rs, created ? 201 : 200, "case", json_case(c), "/cases/%lld?saved=%s", (long long)c->id,
               created ? "opened" : "updated");
}

/* Opens a case for the pupil rq->id (create) or changes the case rq->id. */
static void case_save(struct req *rq, struct resp *rs, bool create)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct case_form f;
    read_case(rq, &f);
    struct field_errors e = {0};
    struct case_row *cr = req_alloc(rq, sizeof *cr);
    if (!cr) {
        view_svc_error(rq, rs, SVC_ERROR);
        return;
    }
    enum svc_status st = create ? svc_case_open(&c, rq->id, &f, &e, cr) : svc_case_update(&c, rq->id, &f, &e, cr);
    enum save_next n = view_answer_save(rq, rs, st, &e);
    struct pupil_row p;
    if (n == SAVE_OK && svc_case_get(&c, create ? cr->id : rq->id, cr) == SVC_OK)
        case_saved(rq, rs, cr, create);
    else if (n == SAVE_OK)
        view_svc_error(rq, rs, SVC_ERROR);
    else if (n == SAVE_FORM && svc_pupil_get(&c, create ? rq->id : cr->pupil_id, &p) == SVC_OK)
        render_case_form(rq, rs, 400, &p, &f, &e, create ? 0 : rq->id);
    else if (n == SAVE_FORM)
        view_svc_error(rq, rs, create ? SVC_NOT_FOUND : SVC_ERROR);
}

static void h_case_create(struct req *rq, struct resp *rs)
{
    case_save(rq, rs, true);
}

static void h_case_list(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct page_req pg;
    listing_page(rq, &pg);
    const char *status = req_query(rq, "status");
    if (!status || (strcmp(status, "open") && strcmp(status, "closed")))
        status = "";
    struct finding find;
    finding_read(rq, &c, &find);
    struct case_filter f = {find.team_id, parse_id(req_query(rq, "pupil")), status, NULL, find.school_id,
                            find.name, find.from, find.to};
    json_t *rows = json_array();
    int64_t total = 0;
    if (view_failed_drop(rq, rs, svc_case_list(&c, &f, &pg, &total, collect_case, rows), rows))
        return;
    struct buf base = BUF_INIT;
    buf_printf(&base, "/cases?status=%s", status);
    finding_query(&find, &base);
    if (f.pupil_id)
        buf_printf(&base, "&pupil=%lld", (long long)f.pupil_id);
    json_t *ctx = view_list_page(rq, rs, &pg, total, buf_str(&base), "cases", rows, finding_term_answer(&find),
                                 "Cases", "cases");
    buf_free(&base);
    if (!ctx)
        return;
    view_list_csv_link(rq, ctx, RES_CASE);
    view_count_text(ctx, total, "case", "cases");
    json_object_set_new(ctx, "status_filter", json_pack("[{s:s,s:s,s:b},{s:s,s:s,s:b},{s:s,s:s,s:b}]",
                                                        "value", "", "label", "All", "selected", !*status,
                                                        "value", "open", "label", "Open", "selected",
                                                        !strcmp(status, "open"), "value", "closed", "label",
                                                        "Closed", "selected", !strcmp(status, "closed")));
    finding_fields(&c, &find, ctx, "Pupil name", "All or part of the pupil's name");
    if (*status)
        json_object_set_new(ctx, "filtered", json_true());
    view_render(rq, rs, 200, "case_list", ctx);
}

struct open_collect {
    const struct svc_ctx *c;
    json_t *items;
};

static void collect_open(void *arg, const struct action_row *a)
{
    struct open_collect *oc = arg;
    if (!a->voided_at && strcmp(a->status, "open") == 0)
        json_array_append_new(oc->items, json_action(oc->c, a));
}

/* When the family withdrew consent, the case's open actions, each to be
 * closed or given to someone the withdrawal leaves able to act (issue 10):
 * {withdrawn, actions}. */
static json_t *consent_prompt(struct svc_ctx *c, const struct case_row *cr)
{
    enum consent_verdict v = CONSENT_OK;
    struct open_collect oc = {c, json_array()};
    if (svc_consent_verdict(c, cr->pupil_id, 0, &v) == SVC_OK && v == CONSENT_WITHDRAWN)
        (void)svc_action_list(c, cr->id, NULL, collect_open, &oc);
    return json_pack("{s:b, s:o}", "withdrawn", v == CONSENT_WITHDRAWN, "actions", oc.items);
}

static void case_story(void *arg, const struct story_row *r)
{
    json_array_append_new(arg, json_story(r));
}

/* The pupil's outcomes the same number of terms either side of the day the
 * case was presented, for those the service lets see them. */
#define BEFORE_AFTER_TERMS 2

static void add_before_after(struct svc_ctx *c, int64_t case_id, json_t *ctx)
{
    struct outcome_compare cmp;
    char presented[11];
    if (svc_outcome_compare(c, case_id, BEFORE_AFTER_TERMS, &cmp, presented) != SVC_OK)
        return;
    json_t *ba = json_outcome_compare(&cmp, presented, BEFORE_AFTER_TERMS);
    /* Said plainly while the terms after are still going on. */
    char last[11];
    day_format(cmp.w.after_ends, last);
    if (cmp.w.complete && strcmp(last, c->today) >= 0)
        json_object_set_new(ba, "after_not_over", json_true());
    json_object_set_new(ctx, "before_after", ba);
}

static void h_case_view(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct case_row *cr = req_alloc(rq, sizeof *cr);
    enum svc_status st = cr ? svc_case_get(&c, rq->id, cr) : SVC_ERROR;
    if (st != SVC_OK) {
        view_svc_error(rq, rs, st);
    } else if (rq->api) {
        view_json(rs, 200, json_pack("{s:o, s:o}", "case", json_case(cr), "consent", consent_prompt(&c, cr)));
    } else {
        char title[300];
        snprintf(title, sizeof title, "Case: %s", cr->pupil_name);
        json_t *ctx = view_page(rq, title, "cases");
        view_breadcrumbs(ctx, "/", "Home", "/cases", "Cases", NULL);
        json_object_set_new(ctx, "consent", consent_prompt(&c, cr));
        json_t *cj = json_case(cr);
        json_object_set_new(cj, "may_classify", json_boolean(svc_case_outcome_allowed(&c, cr->id, cr->team_id,
                                                                                      cr->authority_id,
                                                                                      cr->school_id)));
        json_object_set_new(ctx, "case", cj);
        json_t *stories = json_array();
        if (svc_story_list_case(&c, cr->id, case_story, stories) != SVC_OK)
            json_array_clear(stories);
        json_object_set_new(ctx, "stories", stories);
        json_object_set_new(ctx, "can_edit", json_boolean(svc_allowed(&c, ACT_EDIT, RES_CASE, cr->id,
                                                                      cr->authority_id, cr->school_id)));
        static const struct view_note saved[] = {
            {"opened", "Case opened"}, {"closed", "Case closed"}, {"reopened", "Case re-opened"},
            {"outcome", "Outcome saved"}, {NULL, "Case summary saved"},
        };
        view_flash(ctx, view_note(rq, "saved", saved));
        add_before_after(&c, cr->id, ctx);
        view_render(rq, rs, 200, "case_view", ctx);
    }
}

static void h_case_edit(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct case_row *cr = req_alloc(rq, sizeof *cr);
    enum svc_status st = cr ? svc_case_get_editable(&c, rq->id, cr) : SVC_ERROR;
    struct pupil_row p;
    if (st == SVC_OK)
        st = svc_pupil_get(&c, cr->pupil_id, &p);
    if (st != SVC_OK) {
        view_svc_error(rq, rs, st);
    } else {
        struct case_form f;
        char team[24];
        form_from_case(cr, &f, team);
        render_case_form(rq, rs, 200, &p, &f, &(struct field_errors){0}, cr->id);
    }
}

static void h_case_update(struct req *rq, struct resp *rs)
{
    case_save(rq, rs, false);
}

static void render_close(struct req *rq, struct resp *rs, int status, const struct case_row *cr,
                         const char *reason, const char *note, const struct field_errors *e)
{
    json_t *ctx = view_page(rq, "Close the case", "cases");
    char back[64];
    snprintf(back, sizeof back, "/cases/%lld", (long long)cr->id);
    view_breadcrumbs(ctx, "/", "Home", "/cases", "Cases", back, cr->pupil_name, NULL);
    json_object_set_new(ctx, "case", json_case(cr));
    json_object_set_new(ctx, "cancel_href", json_string(back));
    view_set_errors(ctx, e);
    json_t *fields = json_object();
    json_object_set_new(fields, "reason", fld_radios_codes("reason", "Why is the case being closed?", reason, e,
                                                           &codes_case_closure, 0));
    json_object_set_new(fields, "note", fld_textarea("note", "Anything to add (optional)", note, e, NULL));
    json_object_set_new(ctx, "fields", fields);
    view_render(rq, rs, status, "case_close", ctx);
}

static void h_case_close_form(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct case_row *cr = req_alloc(rq, sizeof *cr);
    if (!view_failed(rq, rs, cr ? svc_case_get_editable(&c, rq->id, cr) : SVC_ERROR))
        render_close(rq, rs, 200, cr, "", "", NULL);
}

static void status_change(struct req *rq, struct resp *rs, int closing)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct field_errors e = {0};
    const char *reason = req_param(rq, "reason");
    const char *note = req_param(rq, "note");
    enum svc_status st = closing ? svc_case_close(&c, rq->id, reason, note, &e)
                                 : svc_case_reopen(&c, rq->id, &e);
    struct case_row *cr = req_alloc(rq, sizeof *cr);
    if (!cr) {
        view_svc_error(rq, rs, SVC_ERROR);
        return;
    }
    if ((st == SVC_OK || st == SVC_INVALID) && svc_case_get(&c, rq->id, cr) != SVC_OK)
        st = SVC_ERROR;
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK) {
        view_saved(rq, rs, 200, "case", json_case(cr), "/cases/%lld?saved=%s", (long long)rq->id,
                   closing ? "closed" : "reopened");
    } else if (n == SAVE_FORM && closing) {
        render_close(rq, rs, 400, cr, reason, note, &e);
    } else if (n == SAVE_FORM) {
        json_t *ctx = view_page(rq, "The case cannot be re-opened", "cases");
        json_object_set_new(ctx, "message", json_string(e.count ? e.items[0].message : ""));
        view_render(rq, rs, 400, "error", ctx);
    }
}

static void h_case_close(struct req *rq, struct resp *rs)
{
    status_change(rq, rs, 1);
}

static void h_case_reopen(struct req *rq, struct resp *rs)
{
    status_change(rq, rs, 0);
}

static const struct route routes[] = {
    {"GET", "/pupils/:id/consent/new", h_consent_new, 0},
    {"POST", "/pupils/:id/consent", h_consent_create, 0},
    {"GET", "/consents/:id/withdraw", h_withdraw_form, 0},
    {"POST", "/consents/:id/withdraw", h_withdraw, 0},
    {"GET", "/pupils/:id/cases/new", h_case_new, 0},
    {"POST", "/pupils/:id/cases", h_case_create, 0},
    {"GET", "/cases", h_case_list, 0},
    {"GET", "/cases/:id", h_case_view, 0},
    {"GET", "/cases/:id/edit", h_case_edit, 0},
    {"POST", "/cases/:id/edit", h_case_update, 0},
    {"GET", "/cases/:id/close", h_case_close_form, 0},
    {"POST", "/cases/:id/close", h_case_close, 0},
    {"POST", "/cases/:id/reopen", h_case_reopen, 0},

    {"GET", "/api/v1/pupils/:id/consents", h_consent_list, 0},
    {"POST", "/api/v1/pupils/:id/consents", h_consent_create, 0},
    {"POST", "/api/v1/consents/:id/withdraw", h_withdraw, 0},
    {"POST", "/api/v1/pupils/:id/cases", h_case_create, 0},
    {"GET", "/api/v1/cases", h_case_list, ROUTE_CSV_OF(RES_CASE)},
    {"GET", "/api/v1/cases/:id", h_case_view, 0},
    {"PUT", "/api/v1/cases/:id", h_case_update, 0},
    {"POST", "/api/v1/cases/:id/close", h_case_close, 0},
    {"POST", "/api/v1/cases/:id/reopen", h_case_reopen, 0},
};

ROUTE_TABLE(cases_table, routes);
