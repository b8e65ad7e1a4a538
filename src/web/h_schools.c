/* Schools: list, view, add, edit; HTML and JSON.  Data comes from
 * service/svc_places.c. */
#include <stdio.h>
#include <string.h>

#include "core/codes.h"
#include "lib/count.h"
#include "service/svc_places.h"
#include "web/form.h"
#include "web/router.h"
#include "web/listing.h"
#include "web/records_json.h"
#include "web/view.h"

static void add_la_option(void *arg, const struct authority *a)
{
    fld_choice_add(arg, a->id, a->name);
}

static const struct req_field school_fields[] = {
    REQ_FIELD(struct school_form, urn), REQ_FIELD(struct school_form, establishment_number),
    REQ_FIELD(struct school_form, name), REQ_FIELD(struct school_form, phase),
    REQ_FIELD(struct school_form, pupils_on_roll), REQ_FIELD(struct school_form, fsm_pct),
    REQ_FIELD(struct school_form, sen_pct), REQ_FIELD(struct school_form, tas_member),
    REQ_FIELD(struct school_form, authority_id),
};

static void read_form(struct req *rq, struct school_form *f)
{
    req_fields(rq, school_fields, COUNT(school_fields), f);
}

static const char *num_text(struct req *rq, double v, int is_int)
{
    char b[32];
    if (v < 0)
        return "";
    if (is_int)
        snprintf(b, sizeof b, "%lld", (long long)v);
    else
        snprintf(b, sizeof b, "%g", v);
    return req_keep(rq, b);
}

static void form_from_school(struct req *rq, const struct school *s, struct school_form *f)
{
    char b[24];
    f->urn = s->urn;
    f->establishment_number = s->estab;
    f->name = s->name;
    f->phase = s->phase;
    f->pupils_on_roll = num_text(rq, s->pupils_on_roll, 1);
    f->fsm_pct = num_text(rq, s->fsm_pct, 0);
    f->sen_pct = num_text(rq, s->sen_pct, 0);
    f->tas_member = s->tas_member ? "yes" : "no";
    snprintf(b, sizeof b, "%lld", (long long)s->authority_id);
    f->authority_id = req_keep(rq, b);
}

static void render_form(struct req *rq, struct resp *rs, struct svc_ctx *c, int status,
                        const struct school_form *f, const struct field_errors *e, int64_t id)
{
    json_t *ctx = view_form_page(rq, id ? "Edit school details" : "Add a school", "schools", e);
    view_form_links(ctx, "/schools", id);
    view_breadcrumbs(ctx, "/", "Home", "/schools", "Schools", NULL);
    json_t *fields = json_object();
    json_object_set_new(
        fields, "urn",
        fld_number(fld_input("urn", "URN", f->urn, e, "The school's 6 or 7 digit unique reference number"),
                   "govuk-input--width-10", "numeric"));
    json_object_set_new(
        fields, "establishment_number",
        fld_number(fld_input("establishment_number", "Establishment number (optional)", f->establishment_number, e,
                             "The 4 numbers after the local authority's in the school's DfE number, like 2001 in "
                             "801/2001. Common Transfer Files name the school by them"),
                   "govuk-input--width-4", "numeric"));
    json_object_set_new(fields, "name", fld_input("name", "Name", f->name, e, NULL));
    json_object_set_new(fields, "phase", fld_radios_codes("phase", "Phase", f->phase, e, &codes_phase, 0));
    json_object_set_new(fields, "pupils_on_roll",
                        fld_number(fld_input("pupils_on_roll", "Pupils on roll (optional)", f->pupils_on_roll, e, NULL),
                                   "govuk-input--width-5", "numeric"));
    json_object_set_new(fields, "fsm_pct",
                        fld_number(fld_input("fsm_pct", "Pupils eligible for free school meals, % (optional)",
                                             f->fsm_pct, e, "For example, 23.5"),
                                   "govuk-input--width-5", "decimal"));
    json_object_set_new(fields, "sen_pct",
                        fld_number(fld_input("sen_pct", "Pupils with special educational needs, % (optional)",
                                             f->sen_pct, e, "For example, 14.2"),
                                   "govuk-input--width-5", "decimal"));
    json_t *tas = fld_input("tas_member", "Is this school in the Team Around the School programme?", NULL, e, NULL);
    json_object_del(tas, "label");
    fld_set(tas, "legend", "Is this school in the Team Around the School programme?");
    json_object_set_new(tas, "inline", json_true());
    const char *tm = f->tas_member ? f->tas_member : "";
    json_object_set_new(tas, "items", json_pack("[{s:s, s:s, s:b}, {s:s, s:s, s:b}]", "value", "yes",
                                                "label", "Yes, a TAS school", "checked",
                                                strcmp(tm, "yes") == 0, "value", "no", "label",
                                                "No, a comparison school", "checked", strcmp(tm, "no") == 0));
    json_object_set_new(fields, "tas_member", tas);
    json_t *la = fld_input("authority_id", "Local authority", NULL, e, NULL);
    json_object_del(la, "value");
    fld_add_option(la, "", "Select local authority", f->authority_id ? f->authority_id : "");
    struct fld_choice o = {la, f->authority_id};
    (void)svc_authority_list(c, add_la_option, &o);
    json_object_set_new(fields, "authority_id", la);
    json_object_set_new(ctx, "fields", fields);
    view_render(rq, rs, status, "school_form", ctx);
}

static void h_school_list(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct page_req pg;
    listing_page(rq, &pg);
    const char *q = req_query(rq, "q");
    if (!q)
        q = "";
    json_t *rows = json_array();
    int64_t total = 0;
    if (view_failed_drop(rq, rs, svc_school_list(&c, q, &pg, &total, collect_school, rows), rows))
        return;
    struct buf base = BUF_INIT;
    buf_puts(&base, "/schools?q=");
    buf_urlenc(&base, q);
    json_t *ctx = view_list_page(rq, rs, &pg, total, buf_str(&base), "schools", rows, NULL, "Schools", "schools");
    buf_free(&base);
    if (!ctx)
        return;
    view_list_csv_link(rq, ctx, RES_SCHOOL);
    view_count_text(ctx, total, "school found", "schools found");
    json_object_set_new(ctx, "q", json_string(q));
    json_object_set_new(ctx, "searched", json_boolean(q[0] != '\0'));
    json_object_set_new(ctx, "can_create", json_boolean(svc_allowed(&c, ACT_CREATE, RES_SCHOOL, 0, 0, 0)));
    json_object_set_new(ctx, "can_import", json_boolean(svc_allowed(&c, ACT_CREATE, RES_GIAS, 0, 0, 0)));
    view_render(rq, rs, 200, "school_list", ctx);
}

static void h_school_new(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    if (view_denied(rq, rs, svc_allowed(&c, ACT_CREATE, RES_SCHOOL, 0, 0, 0)))
        return;
    render_form(rq, rs, &c, 200, &(struct school_form){0}, NULL, 0);
}

/* POST /schools creates one from the form, POST /schools/:id/edit (PUT
 * in the API) updates that one. */
static void h_school_save(struct req *rq, struct resp *rs)
{
    int64_t id = rq->id;
    struct svc_ctx c = req_svc_ctx(rq);
    struct school_form f;
    read_form(rq, &f);
    struct field_errors e = {0};
    struct school s;
    enum svc_status st = id ? svc_school_update(&c, id, &f, &e, &s) : svc_school_create(&c, &f, &e, &s);
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK)
        view_saved(rq, rs, id ? 200 : 201, "school", json_school(&s), "/schools/%lld?saved=%s",
                   (long long)s.id, id ? "updated" : "added");
    else if (n == SAVE_FORM)
        render_form(rq, rs, &c, 400, &f, &e, id);
}

static void h_school_view(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct school s;
    if (view_failed(rq, rs, svc_school_get(&c, rq->id, &s)))
        return;
    json_t *ctx = view_answer_page(rq, rs, json_pack("{s:o}", "school", json_school(&s)), s.name, "schools",
                                   "/", "Home", "/schools", "Schools", NULL);
    if (!ctx)
        return;
    struct authority a;
    if (svc_authority_get(&c, s.authority_id, &a) == SVC_OK)
        json_object_set_new(ctx, "authority", json_authority(&a));
    json_object_set_new(ctx, "can_edit", json_boolean(svc_allowed(&c, ACT_EDIT, RES_SCHOOL, s.id,
                                                                  s.authority_id, s.id)));
    json_object_set_new(ctx, "can_list_pupils", json_boolean(svc_allowed(&c, ACT_LIST, RES_PUPIL, 0,
                                                                         s.authority_id, s.id)));
    static const struct view_note saved[] = {{"added", "School added"}, {"updated", "School details saved"}, {NULL, NULL}};
    view_flash(ctx, view_note(rq, "saved", saved));
    view_render(rq, rs, 200, "school_view", ctx);
}

static void h_school_edit(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct school s;
    enum svc_status st = svc_school_get(&c, rq->id, &s);
    if (st == SVC_OK && !svc_allowed(&c, ACT_EDIT, RES_SCHOOL, s.id, s.authority_id, s.id))
        st = SVC_FORBIDDEN;
    if (view_failed(rq, rs, st))
        return;
    struct school_form f;
    form_from_school(rq, &s, &f);
    render_form(rq, rs, &c, 200, &f, NULL, s.id);
}

static const struct route schools_routes[] = {
    RECORD_ROUTES("/schools", h_school_list, h_school_new, h_school_save, h_school_view, h_school_edit, h_school_save,
                  RES_SCHOOL),
};

ROUTE_TABLE(schools_table, schools_routes);
