/* Pupils: list with search and paging, view, add, edit; HTML and JSON.
 * Data comes from service/svc_pupils.c. */
#include <stdio.h>
#include <string.h>

#include "core/calendar.h"
#include "lib/count.h"
#include "core/codes.h"
#include "core/yeargroup.h"
#include "service/svc_pupils.h"
#include "service/svc_break_glass.h"
#include "service/svc_cases.h"
#include "service/svc_outcomes.h"
#include "service/svc_places.h"
#include "web/form.h"
#include "web/router.h"
#include "web/listing.h"
#include "web/records_json.h"
#include "web/toolkits_view.h"
#include "web/view.h"

struct school_opts {
    json_t *field;
    const struct req *rq;
    enum action act;
    const char *current;
};

/* Offers only the schools where this person may add or move pupils. */
static void add_school_option(void *arg, const struct school *s)
{
    struct school_opts *o = arg;
    struct resource r = {.kind = RES_PUPIL, .id = 0, .authority_id = s->authority_id, .school_id = s->id};
    if (policy_decide(&o->rq->sess.who, o->act, &r).allow)
        fld_add_id_option(o->field, s->id, s->name, o->current);
}

static json_t *school_select(struct req *rq, struct svc_ctx *c, enum action act, const char *current,
                             const struct field_errors *e, const char *blank)
{
    json_t *f = fld_input("school_id", "School", NULL, e, NULL);
    json_object_del(f, "value");
    fld_add_option(f, "", blank, current ? current : "");
    struct school_opts o = {f, rq, act, current};
    struct page_req pg = {1, 200};
    int64_t total;
    (void)svc_school_list(c, "", &pg, &total, add_school_option, &o);
    return f;
}

/* The raw values as sent, from a form (date in three boxes) or JSON
 * (date_of_birth "YYYY-MM-DD"). */
static const struct req_field pupil_fields[] = {
    REQ_FIELD(struct pupil_form, upn), REQ_FIELD(struct pupil_form, forenames),
    REQ_FIELD(struct pupil_form, surname), REQ_FIELD(struct pupil_form, gender),
    REQ_FIELD(struct pupil_form, ethnicity), REQ_FIELD(struct pupil_form, nc_year),
    REQ_FIELD(struct pupil_form, sen_provision), REQ_FIELD(struct pupil_form, school_id),
};

static void read_form(struct req *rq, struct pupil_form *f)
{
    memset(f, 0, sizeof *f);
    req_fields(rq, pupil_fields, COUNT(pupil_fields), f);
    req_date_parts(rq, "dob", "date_of_birth", &f->dob_day, &f->dob_month, &f->dob_year);
}

/* The form as values a person can read back, from a stored pupil. */
static void form_from_pupil(struct req *rq, const struct pupil *p, struct pupil_form *f)
{
    char buf[24];
    memset(f, 0, sizeof *f);
    f->upn = p->upn;
    f->forenames = p->forenames;
    f->surname = p->surname;
    f->gender = p->gender;
    f->ethnicity = p->ethnicity;
    f->nc_year = p->nc_year;
    f->sen_provision = p->sen_provision;
    snprintf(buf, sizeof buf, "%lld", (long long)p->school_id);
    f->school_id = req_keep(rq, buf);
    int32_t born;
    if (day_parse(p->date_of_birth, &born) == 0)
        req_day_text(rq, born, &f->dob_day, &f->dob_month, &f->dob_year);
}

static void render_form(struct req *rq, struct resp *rs, struct svc_ctx *c, int status,
                        const struct pupil_form *f, const struct field_errors *e, int64_t id,
                        const char *display_name)
{
    json_t *ctx = view_form_page(rq, id ? "Edit pupil details" : "Add a pupil", "pupils", e);
    view_form_links(ctx, "/pupils", id);
    if (display_name)
        json_object_set_new(ctx, "pupil_name", json_string(display_name));
    view_breadcrumbs(ctx, "/", "Home", "/pupils", "Pupils", NULL);

    json_t *fields = json_object();
    json_t *upn = fld_input("upn", "Unique pupil number (UPN)", f->upn, e,
                            "13 characters, starting with a letter, like A123456789012");
    fld_set(upn, "width_class", "govuk-input--width-20");
    json_object_set_new(upn, "spellcheck_off", json_true());
    json_object_set_new(fields, "upn", upn);
    json_t *fn = fld_input("forenames", "First names", f->forenames, e, NULL);
    json_object_set_new(fn, "spellcheck_off", json_true());
    json_object_set_new(fields, "forenames", fn);
    json_t *sn = fld_input("surname", "Last name", f->surname, e, NULL);
    json_object_set_new(sn, "spellcheck_off", json_true());
    json_object_set_new(fields, "surname", sn);
    json_t *dob = fld_date("dob", "Date of birth", f->dob_day, f->dob_month, f->dob_year, e,
                           "For example, 27 3 2016");
    json_object_set_new(fields, "dob", dob);
    json_object_set_new(fields, "gender", fld_radios_codes("gender", "Gender", f->gender, e, &codes_gender, 0));
    json_object_set_new(fields, "ethnicity", fld_select_codes("ethnicity", "Ethnicity", f->ethnicity, e,
                                                              &codes_ethnicity, "Select ethnicity"));
    json_object_set_new(fields, "nc_year", fld_select_codes("nc_year", "National Curriculum year group",
                                                            f->nc_year, e, &codes_nc_year,
                                                            "Select year group"));
    json_object_set_new(fields, "sen_provision",
                        fld_radios_codes("sen_provision", "Special educational needs provision",
                                         f->sen_provision, e, &codes_sen_provision, 0));
    json_object_set_new(fields, "school_id",
                        school_select(rq, c, id ? ACT_EDIT : ACT_CREATE, f->school_id, e, "Select school"));
    json_object_set_new(ctx, "fields", fields);
    view_render(rq, rs, status, "pupil_form", ctx);
}

/* Kept in memory under the records' generation (web/listing.h): the list
 * is the same for everyone of the same scope until a record changes. */
static void h_pupil_list(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct buf key = BUF_INIT;
    bool keep = listing_kept_key(rq, &c, "pupils", &key);
    if (keep && listing_kept_get(rq, rs, &key, "Pupils", "pupils")) {
        buf_free(&key);
        return;
    }
    struct page_req pg;
    listing_page(rq, &pg);
    const char *q = req_query(rq, "q");
    const char *school = req_query(rq, "school");
    struct pupil_filter f = {q ? q : "", parse_id(school)};
    json_t *rows = json_array();
    int64_t total = 0;
    if (view_failed_drop(rq, rs, svc_pupil_list(&c, &f, &pg, &total, collect_pupil, rows), rows)) {
        buf_free(&key);
        return;
    }
    struct buf base = BUF_INIT;
    buf_puts(&base, "/pupils?q=");
    buf_urlenc(&base, f.search);
    if (f.school_id)
        buf_printf(&base, "&school=%lld", (long long)f.school_id);
    /* The page's main part alone, kept (listing_kept_answer). */
    json_t *ctx = view_list_page(rq, rs, &pg, total, buf_str(&base), "pupils", rows, NULL, NULL, NULL);
    buf_free(&base);
    if (!ctx) {
        listing_kept_answer(rq, rs, keep, &key, NULL, NULL, NULL);
        buf_free(&key);
        return;
    }
    view_list_csv_link(rq, ctx, RES_PUPIL);
    view_count_text(ctx, total, "pupil found", "pupils found");
    json_object_set_new(ctx, "q", json_string(f.search));
    char cur[24];
    snprintf(cur, sizeof cur, "%lld", (long long)f.school_id);
    json_t *sf = school_select(rq, &c, ACT_LIST, f.school_id ? cur : "", NULL, "All schools");
    fld_set(sf, "name", "school");
    fld_set(sf, "id", "f-school");
    json_object_set_new(ctx, "school_filter", sf);
    json_object_set_new(ctx, "can_create", json_boolean(svc_allowed(&c, ACT_CREATE, RES_PUPIL, 0, 0, 0)));
    json_object_set_new(ctx, "can_import_outcomes", json_boolean(svc_allowed(&c, ACT_CREATE, RES_CASE, 0, 0, 0)));
    json_object_set_new(ctx, "searched", json_boolean(f.search[0] || f.school_id));
    struct buf main = BUF_INIT;
    if (view_render_part(rq, "pupil_list", ctx, &main) != 0)
        view_svc_error(rq, rs, SVC_ERROR);
    else
        listing_kept_answer(rq, rs, keep, &key, "Pupils", "pupils", &main);
    buf_free(&main);
    buf_free(&key);
}

static void h_pupil_new(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    if (view_denied(rq, rs, svc_allowed(&c, ACT_CREATE, RES_PUPIL, 0, 0, 0)))
        return;
    render_form(rq, rs, &c, 200, &(struct pupil_form){0}, NULL, 0, NULL);
}

/* POST /pupils creates one from the form, POST /pupils/:id/edit (PUT in
 * the API) updates that one; the API answers with the whole row as read
 * back (the school's name too). */
static void h_pupil_save(struct req *rq, struct resp *rs)
{
    int64_t id = rq->id;
    struct svc_ctx c = req_svc_ctx(rq);
    struct pupil_form f;
    read_form(rq, &f);
    struct field_errors e = {0};
    struct pupil p = {0};
    enum svc_status st = id ? svc_pupil_update(&c, id, &f, &e, &p) : svc_pupil_create(&c, &f, &e, &p);
    enum save_next n = view_answer_save(rq, rs, st, &e);
    int64_t pid = id ? id : p.id;
    struct pupil_row r;
    if (n == SAVE_OK && rq->api && svc_pupil_get(&c, pid, &r) != SVC_OK)
        view_svc_error(rq, rs, SVC_ERROR);
    else if (n == SAVE_OK)
        view_saved(rq, rs, id ? 200 : 201, "pupil", rq->api ? json_pupil(&r) : NULL, "/pupils/%lld?saved=%s",
                   (long long)pid, id ? "updated" : "added");
    else if (n == SAVE_FORM)
        render_form(rq, rs, &c, 400, &f, &e, id, NULL);
}

/* Consent and cases, for those who may see a pupil's TAS record. */
static void consent_item(void *arr, const struct consent_row *r)
{
    const char *rel = code_label(&codes_consent_relationship, r->relationship);
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:b, s:I}", "id", (json_int_t)r->id, "given_by", r->given_by,
                          "relationship_label", rel ? rel : r->relationship, "given_on", r->given_on,
                          "covers_discussion", r->covers_discussion, "nservices", (json_int_t)r->nservices);
    if (r->withdrawn_on[0])
        json_object_set_new(o, "withdrawn_on", json_string(r->withdrawn_on));
    json_array_append_new(arr, o);
}

static void case_item(void *arr, const struct case_brief *b)
{
    json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:b, s:I}", "id", (json_int_t)b->id, "team_name",
                                         b->team_name, "opened_on", b->opened_on, "open",
                                         strcmp(b->status, "open") == 0, "open_actions",
                                         (json_int_t)b->open_actions));
}

static void outcome_item(void *arr, const struct outcome_row *r)
{
    json_array_append_new(arr, json_outcome(r));
}

/* Outcome records, grouped by kind, for those the service lets see them. */
static void add_outcomes(struct svc_ctx *c, const struct pupil_row *r, json_t *ctx)
{
    json_t *list = json_array();
    if (svc_outcome_list(c, r->p.id, outcome_item, list) != SVC_OK) {
        json_decref(list);
        return;
    }
    json_object_set_new(ctx, "outcome_groups", json_outcomes_by_kind(list));
    json_object_set_new(ctx, "show_outcomes", json_true());
    if (!svc_case_allowed(c, ACT_CREATE, r))
        return;
    json_t *kinds = json_array();
    for (int k = 0; k < OUT__COUNT; k++)
        json_array_append_new(kinds, json_pack("{s:s, s:s}", "kind", outcome_kind_code((enum outcome_kind)k),
                                               "label", outcome_kind_label((enum outcome_kind)k)));
    json_object_set_new(ctx, "outcome_kinds", kinds);
}

static void add_tas_record(struct req *rq, struct svc_ctx *c, const struct pupil_row *r, json_t *ctx)
{
    (void)rq;
    json_t *consents = json_array();
    (void)svc_consent_list(c, r->p.id, consent_item, consents);
    json_object_set_new(ctx, "consents", consents);
    enum consent_verdict v = CONSENT_NONE;
    (void)svc_consent_verdict(c, r->p.id, 0, &v);
    json_object_set_new(ctx, "consent_current", json_boolean(v == CONSENT_OK));
    if (v != CONSENT_OK)
        json_object_set_new(ctx, "consent_message", json_string(consent_message(v)));
    json_t *cases = json_array();
    struct case_filter f = {0, r->p.id, "", NULL, 0, NULL, NULL, NULL};
    struct page_req pg = {1, 50};
    int64_t total;
    (void)svc_case_list(c, &f, &pg, &total, case_item, cases);
    json_object_set_new(ctx, "cases", cases);
    json_object_set_new(ctx, "can_edit_case", json_boolean(svc_case_allowed(c, ACT_CREATE, r)));
    json_object_set_new(ctx, "show_tas", json_true());
    toolkits_pupil_section(c, r, ctx);
}

/* A year group one year from the date of birth's is allowed (a pupil out
 * of their chronological year group, core/yeargroup.h) and said so. */
static void year_group_warning(const struct svc_ctx *c, const struct pupil_row *r, json_t *ctx)
{
    int32_t born, today;
    int want;
    if (day_parse(r->p.date_of_birth, &born) != 0 || day_parse(c->today, &today) != 0 ||
        yeargroup_check(r->p.nc_year, born, academic_year_of(today), &want) != YEARGROUP_ONE_OFF)
        return;
    char label[24], text[200];
    yeargroup_label(want, label, sizeof label);
    snprintf(text, sizeof text, "By date of birth this pupil would be in %s. Check the year group is right "
             "if they are not taught out of their year group.", label);
    json_object_set_new(ctx, "year_group_warning", json_string(text));
}

static void h_pupil_view(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct pupil_row r;
    enum svc_status st = svc_pupil_get(&c, rq->id, &r);
    if ((st == SVC_NOT_FOUND || st == SVC_FORBIDDEN) && svc_break_glass_offered(&c)) {
        /* The refusal offers emergency access, whether or not the record
         * exists, so the offer itself reveals nothing. */
        const char *msg = "There is no record at this address, or you do not have access to it.";
        if (rq->api) {
            /* Word for word the same for any id: POST to .../break-glass. */
            view_json(rs, 404, json_pack("{s:s, s:i, s:b}", "error", msg, "status", 404, "break_glass", 1));
            return;
        }
        char href[64];
        snprintf(href, sizeof href, "/pupils/%lld/break-glass", (long long)rq->id);
        json_t *ctx = view_page(rq, "Page not found", "pupils");
        json_object_set_new(ctx, "message", json_string(msg));
        json_object_set_new(ctx, "break_glass_href", json_string(href));
        view_render(rq, rs, 404, "pupil_refused", ctx);
        return;
    }
    if (view_failed(rq, rs, st))
        return;
    if (rq->api) {
        json_t *o = json_pack("{s:o}", "pupil", json_pupil(&r));
        /* The outcome records too, for those the service lets see them. */
        json_t *list = json_array();
        if (svc_outcome_list(&c, r.p.id, outcome_item, list) == SVC_OK)
            json_object_set_new(o, "outcomes", list);
        else
            json_decref(list);
        view_json(rs, 200, o);
        return;
    }
    char title[2 * TAS_NAME_MAX + 2];
    snprintf(title, sizeof title, "%s %s", r.p.forenames, r.p.surname);
    json_t *ctx = view_page(rq, title, "pupils");
    view_breadcrumbs(ctx, "/", "Home", "/pupils", "Pupils", NULL);
    json_t *pj = json_pupil(&r);
    view_set_date_label(pj, "date_of_birth_label", r.p.date_of_birth);
    json_object_set_new(ctx, "pupil", pj);
    year_group_warning(&c, &r, ctx);
    json_object_set_new(ctx, "can_edit", json_boolean(svc_allowed(&c, ACT_EDIT, RES_PUPIL, r.p.id,
                                                                  r.authority_id, r.p.school_id)));
    /* Subject access export: the DPO and administrators (svc_sar.c). */
    json_object_set_new(ctx, "can_export", json_boolean(svc_allowed(&c, ACT_EXPORT, RES_PUPIL, r.p.id,
                                                                    r.authority_id, r.p.school_id)));
    static const struct view_note saved[] = {
        {"added", "Pupil added"}, {"updated", "Pupil details saved"},
        {"consent", "Consent recorded"}, {"withdrawn", "Consent withdrawn"},
        {"outcome", "Outcome record added"}, {NULL, NULL},
    };
    view_flash(ctx, view_note(rq, "saved", saved));
    if (svc_case_allowed(&c, ACT_VIEW, &r))
        add_tas_record(rq, &c, &r, ctx);
    add_outcomes(&c, &r, ctx);
    view_render(rq, rs, 200, "pupil_view", ctx);
}

static void h_pupil_edit(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct pupil_row r;
    enum svc_status st = svc_pupil_get(&c, rq->id, &r);
    if (st == SVC_OK && !svc_allowed(&c, ACT_EDIT, RES_PUPIL, r.p.id, r.authority_id, r.p.school_id))
        st = SVC_FORBIDDEN;
    if (view_failed(rq, rs, st))
        return;
    struct pupil_form f;
    form_from_pupil(rq, &r.p, &f);
    char name[2 * TAS_NAME_MAX + 2];
    snprintf(name, sizeof name, "%s %s", r.p.forenames, r.p.surname);
    render_form(rq, rs, &c, 200, &f, NULL, r.p.id, name);
}

static const struct route pupils_routes[] = {
    RECORD_ROUTES("/pupils", h_pupil_list, h_pupil_new, h_pupil_save, h_pupil_view, h_pupil_edit, h_pupil_save,
                  RES_PUPIL),
};

ROUTE_TABLE(pupils_table, pupils_routes);
