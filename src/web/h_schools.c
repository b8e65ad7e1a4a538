/* Schools: list, view, add, edit; HTML and JSON.  Data comes from
 * service/svc_places.c. */
#include <stdio.h>
#include <string.h>

#include "core/codes.h"
#include "service/svc_places.h"
#include "web/form.h"
#include "web/router.h"
#include "web/listing.h"
#include "web/records_json.h"
#include "web/view.h"

struct la_opts {
    json_t *field;
    const char *current;
};

static void add_la_option(void *arg, const struct authority *a)
{
    struct la_opts *o = arg;
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)a->id);
    fld_add_option(o->field, id, a->name, o->current);
}

static void read_form(struct req *rq, struct school_form *f)
{
    f->urn = req_param(rq, "urn");
    f->establishment_number = req_param(rq, "establishment_number");
    f->name = req_param(rq, "name");
    f->phase = req_param(rq, "phase");
    f->pupils_on_roll = req_param(rq, "pupils_on_roll");
    f->fsm_pct = req_param(rq, "fsm_pct");
    f->sen_pct = req_param(rq, "sen_pct");
    f->tas_member = req_param(rq, "tas_member");
    f->authority_id = req_param(rq, "authority_id");
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
    json_t *ctx = view_page(rq, id ? "Edit school details" : "Add a school", "schools");
    char action[64], cancel[64];
    snprintf(action, sizeof action, id ? "/schools/%lld/edit" : "/schools", (long long)id);
    snprintf(cancel, sizeof cancel, id ? "/schools/%lld" : "/schools", (long long)id);
    json_object_set_new(ctx, "action", json_string(action));
    json_object_set_new(ctx, "cancel_href", json_string(cancel));
    json_object_set_new(ctx, "editing", json_boolean(id != 0));
    if (e->count)
        json_object_set_new(ctx, "errors", view_errors(e));
    view_breadcrumbs(ctx, "/", "Home", "/schools", "Schools", NULL);
    json_t *fields = json_object();
    json_t *urn = fld_input("urn", "URN", f->urn, e, "The school's 6 or 7 digit unique reference number");
    fld_set(urn, "width_class", "govuk-input--width-10");
    fld_set(urn, "inputmode", "numeric");
    json_object_set_new(fields, "urn", urn);
    json_t *estab = fld_input("establishment_number", "Establishment number (optional)", f->establishment_number, e,
                              "The 4 numbers after the local authority's in the school's DfE number, like 2001 in "
                              "801/2001. Common Transfer Files name the school by them");
    fld_set(estab, "width_class", "govuk-input--width-4");
    fld_set(estab, "inputmode", "numeric");
    json_object_set_new(fields, "establishment_number", estab);
    json_object_set_new(fields, "name", fld_input("name", "Name", f->name, e, NULL));
    json_object_set_new(fields, "phase", fld_radios_codes("phase", "Phase", f->phase, e, &codes_phase, 0));
    json_t *roll = fld_input("pupils_on_roll", "Pupils on roll (optional)", f->pupils_on_roll, e, NULL);
    fld_set(roll, "width_class", "govuk-input--width-5");
    fld_set(roll, "inputmode", "numeric");
    json_object_set_new(fields, "pupils_on_roll", roll);
    json_t *fsm = fld_input("fsm_pct", "Pupils eligible for free school meals, % (optional)", f->fsm_pct, e,
                            "For example, 23.5");
    fld_set(fsm, "width_class", "govuk-input--width-5");
    fld_set(fsm, "inputmode", "decimal");
    json_object_set_new(fields, "fsm_pct", fsm);
    json_t *sen = fld_input("sen_pct", "Pupils with special educational needs, % (optional)", f->sen_pct, e,
                            "For example, 14.2");
    fld_set(sen, "width_class", "govuk-input--width-5");
    fld_set(sen, "inputmode", "decimal");
    json_object_set_new(fields, "sen_pct", sen);
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
    struct la_opts o = {la, f->authority_id};
    (void)svc_authority_list(c, add_la_option, &o);
    json_object_set_new(fields, "authority_id", la);
    json_object_set_new(ctx, "fields", fields);
    view_render(rq, rs, status, "school_form", ctx);
}

static void h_school_list(struct req *rq, struct resp *rs)
{
    struct svc_ctx c;
    req_svc_ctx(rq, &c);
    struct page_req pg;
    listing_page(rq, &pg);
    const char *q = req_query(rq, "q");
    if (!q)
        q = "";
    json_t *rows = json_array();
    int64_t total = 0;
    enum svc_status st = svc_school_list(&c, q, &pg, &total, collect_school, rows);
    if (st != SVC_OK) {
        json_decref(rows);
        view_svc_error(rq, rs, st);
        return;
    }
    struct buf base = BUF_INIT;
    buf_puts(&base, rq->api ? "/api/v1/schools?q=" : "/schools?q=");
    buf_urlenc(&base, q);
    json_t *paging = json_paging(pg.page, pg.per_page, total, buf_str(&base));
    buf_free(&base);
    if (rq->api) {
        json_object_del(paging, "pagination");
        json_object_set_new(paging, "schools", rows);
        view_json(rs, 200, paging);
        return;
    }
    json_t *ctx = view_page(rq, "Schools", "schools");
    view_list_csv_link(rq, ctx, RES_SCHOOL);
    json_object_set_new(ctx, "schools", rows);
    char count[64];
    snprintf(count, sizeof count, "%lld %s found", (long long)total, total == 1 ? "school" : "schools");
    json_object_set_new(ctx, "count_text", json_string(count));
    json_object_set_new(ctx, "q", json_string(q));
    json_object_set_new(ctx, "searched", json_boolean(q[0] != '\0'));
    /* Paging goes under its own key: "page" is the layout's. */
    json_t *links = json_object_get(paging, "pagination");
    if (links)
        json_object_set(ctx, "pagination", links);
    json_object_set_new(ctx, "paging", paging);
    json_object_set_new(ctx, "can_create", json_boolean(svc_allowed(&c, ACT_CREATE, RES_SCHOOL, 0, 0, 0)));
    json_object_set_new(ctx, "can_import", json_boolean(svc_allowed(&c, ACT_CREATE, RES_GIAS, 0, 0, 0)));
    view_render(rq, rs, 200, "school_list", ctx);
}

static void h_school_new(struct req *rq, struct resp *rs)
{
    struct svc_ctx c;
    req_svc_ctx(rq, &c);
    if (!svc_allowed(&c, ACT_CREATE, RES_SCHOOL, 0, 0, 0)) {
        view_svc_error(rq, rs, SVC_FORBIDDEN);
        return;
    }
    struct school_form f = {0};
    struct field_errors e = {0};
    render_form(rq, rs, &c, 200, &f, &e, 0);
}

/* Creates (id 0) or updates the school id from the form. */
static void save(struct req *rq, struct resp *rs, int64_t id)
{
    struct svc_ctx c;
    req_svc_ctx(rq, &c);
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

static void h_school_create(struct req *rq, struct resp *rs)
{
    save(rq, rs, 0);
}

static void h_school_view(struct req *rq, struct resp *rs)
{
    struct svc_ctx c;
    req_svc_ctx(rq, &c);
    struct school s;
    enum svc_status st = svc_school_get(&c, rq->id, &s);
    if (view_failed(rq, rs, st))
        return;
    if (rq->api) {
        view_json(rs, 200, json_pack("{s:o}", "school", json_school(&s)));
        return;
    }
    json_t *ctx = view_page(rq, s.name, "schools");
    view_breadcrumbs(ctx, "/", "Home", "/schools", "Schools", NULL);
    json_object_set_new(ctx, "school", json_school(&s));
    struct authority a;
    if (svc_authority_get(&c, s.authority_id, &a) == SVC_OK)
        json_object_set_new(ctx, "authority", json_authority(&a));
    json_object_set_new(ctx, "can_edit", json_boolean(svc_allowed(&c, ACT_EDIT, RES_SCHOOL, s.id,
                                                                  s.authority_id, s.id)));
    json_object_set_new(ctx, "can_list_pupils", json_boolean(svc_allowed(&c, ACT_LIST, RES_PUPIL, 0,
                                                                         s.authority_id, s.id)));
    const char *sv = req_query(rq, "saved");
    if (sv && (strcmp(sv, "added") == 0 || strcmp(sv, "updated") == 0))
        json_object_set_new(ctx, "flash", json_pack("{s:b, s:s}", "success", 1, "text",
                                                    strcmp(sv, "added") == 0 ? "School added"
                                                                             : "School details saved"));
    view_render(rq, rs, 200, "school_view", ctx);
}

static void h_school_edit(struct req *rq, struct resp *rs)
{
    struct svc_ctx c;
    req_svc_ctx(rq, &c);
    struct school s;
    enum svc_status st = svc_school_get(&c, rq->id, &s);
    if (st == SVC_OK && !svc_allowed(&c, ACT_EDIT, RES_SCHOOL, s.id, s.authority_id, s.id))
        st = SVC_FORBIDDEN;
    if (view_failed(rq, rs, st))
        return;
    struct school_form f;
    form_from_school(rq, &s, &f);
    struct field_errors e = {0};
    render_form(rq, rs, &c, 200, &f, &e, s.id);
}

static void h_school_update(struct req *rq, struct resp *rs)
{
    save(rq, rs, rq->id);
}

static const struct route schools_routes[] = {
    {"GET", "/schools", h_school_list, 0},
    {"GET", "/schools/new", h_school_new, 0},
    {"POST", "/schools", h_school_create, 0},
    {"GET", "/schools/:id", h_school_view, 0},
    {"GET", "/schools/:id/edit", h_school_edit, 0},
    {"POST", "/schools/:id/edit", h_school_update, 0},

    {"GET", "/api/v1/schools", h_school_list, ROUTE_CSV_OF(RES_SCHOOL)},
    {"POST", "/api/v1/schools", h_school_create, 0},
    {"GET", "/api/v1/schools/:id", h_school_view, 0},
    {"PUT", "/api/v1/schools/:id", h_school_update, 0},
};

ROUTE_TABLE(schools_table, schools_routes);
