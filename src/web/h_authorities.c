/* Local authorities: list, view, add, edit; HTML and JSON.  Data comes
 * from service/svc_places.c. */
#include <stdio.h>
#include <string.h>

#include "service/svc_places.h"
#include "web/form.h"
#include "web/router.h"
#include "web/listing.h"
#include "web/records_json.h"
#include "web/view.h"

static void render_form(struct req *rq, struct resp *rs, int status, const struct authority_form *f,
                        const struct field_errors *e, int64_t id)
{
    json_t *ctx = view_page(rq, id ? "Edit local authority" : "Add a local authority", "authorities");
    char action[64], cancel[64];
    snprintf(action, sizeof action, id ? "/authorities/%lld/edit" : "/authorities", (long long)id);
    snprintf(cancel, sizeof cancel, id ? "/authorities/%lld" : "/authorities", (long long)id);
    json_object_set_new(ctx, "action", json_string(action));
    json_object_set_new(ctx, "cancel_href", json_string(cancel));
    json_object_set_new(ctx, "editing", json_boolean(id != 0));
    if (e->count)
        json_object_set_new(ctx, "errors", view_errors(e));
    view_breadcrumbs(ctx, "/", "Home", "/authorities", "Local authorities", NULL);
    json_t *code = fld_input("la_code", "LA code", f->la_code, e,
                             "The 3-digit DfE local authority number, like 822");
    fld_set(code, "width_class", "govuk-input--width-4");
    fld_set(code, "inputmode", "numeric");
    json_object_set_new(ctx, "fields", json_pack("{s:o, s:o}", "la_code", code, "name",
                                                 fld_input("name", "Name", f->name, e, NULL)));
    view_render(rq, rs, status, "authority_form", ctx);
}

static void h_authority_list(struct req *rq, struct resp *rs)
{
    struct svc_ctx c;
    req_svc_ctx(rq, &c);
    json_t *rows = json_array();
    enum svc_status st = svc_authority_list(&c, collect_authority, rows);
    if (st != SVC_OK) {
        json_decref(rows);
        view_svc_error(rq, rs, st);
        return;
    }
    if (rq->api) {
        view_json(rs, 200, json_pack("{s:o}", "authorities", rows));
        return;
    }
    json_t *ctx = view_page(rq, "Local authorities", "authorities");
    view_list_csv_link(rq, ctx, RES_AUTHORITY);
    json_object_set_new(ctx, "authorities", rows);
    json_object_set_new(ctx, "can_create", json_boolean(svc_allowed(&c, ACT_CREATE, RES_AUTHORITY, 0, 0, 0)));
    view_render(rq, rs, 200, "authority_list", ctx);
}

static void h_authority_new(struct req *rq, struct resp *rs)
{
    struct svc_ctx c;
    req_svc_ctx(rq, &c);
    if (!svc_allowed(&c, ACT_CREATE, RES_AUTHORITY, 0, 0, 0)) {
        view_svc_error(rq, rs, SVC_FORBIDDEN);
        return;
    }
    struct authority_form f = {0};
    struct field_errors e = {0};
    render_form(rq, rs, 200, &f, &e, 0);
}

static void read_form(struct req *rq, struct authority_form *f)
{
    f->la_code = req_param(rq, "la_code");
    f->name = req_param(rq, "name");
}

/* Creates (id 0) or updates the authority id from the form. */
static void save(struct req *rq, struct resp *rs, int64_t id)
{
    struct svc_ctx c;
    req_svc_ctx(rq, &c);
    struct authority_form f;
    read_form(rq, &f);
    struct field_errors e = {0};
    struct authority a;
    enum svc_status st = id ? svc_authority_update(&c, id, &f, &e, &a) : svc_authority_create(&c, &f, &e, &a);
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK)
        view_saved(rq, rs, id ? 200 : 201, "authority", json_authority(&a), "/authorities/%lld?saved=1",
                   (long long)a.id);
    else if (n == SAVE_FORM)
        render_form(rq, rs, 400, &f, &e, id);
}

static void h_authority_create(struct req *rq, struct resp *rs)
{
    save(rq, rs, 0);
}

static void h_authority_view(struct req *rq, struct resp *rs)
{
    struct svc_ctx c;
    req_svc_ctx(rq, &c);
    struct authority a;
    enum svc_status st = svc_authority_get(&c, rq->id, &a);
    if (view_failed(rq, rs, st))
        return;
    if (rq->api) {
        view_json(rs, 200, json_pack("{s:o}", "authority", json_authority(&a)));
        return;
    }
    json_t *ctx = view_page(rq, a.name, "authorities");
    view_breadcrumbs(ctx, "/", "Home", "/authorities", "Local authorities", NULL);
    json_object_set_new(ctx, "authority", json_authority(&a));
    json_object_set_new(ctx, "can_edit", json_boolean(svc_allowed(&c, ACT_EDIT, RES_AUTHORITY, a.id, a.id, 0)));
    if (req_query(rq, "saved"))
        json_object_set_new(ctx, "flash", json_pack("{s:b, s:s}", "success", 1, "text", "Local authority saved"));
    view_render(rq, rs, 200, "authority_view", ctx);
}

static void h_authority_edit(struct req *rq, struct resp *rs)
{
    struct svc_ctx c;
    req_svc_ctx(rq, &c);
    struct authority a;
    enum svc_status st = svc_authority_get(&c, rq->id, &a);
    if (st == SVC_OK && !svc_allowed(&c, ACT_EDIT, RES_AUTHORITY, a.id, a.id, 0))
        st = SVC_FORBIDDEN;
    if (view_failed(rq, rs, st))
        return;
    struct authority_form f = {a.la_code, a.name};
    struct field_errors e = {0};
    render_form(rq, rs, 200, &f, &e, a.id);
}

static void h_authority_update(struct req *rq, struct resp *rs)
{
    save(rq, rs, rq->id);
}

static const struct route authorities_routes[] = {
    {"GET", "/authorities", h_authority_list, 0},
    {"GET", "/authorities/new", h_authority_new, 0},
    {"POST", "/authorities", h_authority_create, 0},
    {"GET", "/authorities/:id", h_authority_view, 0},
    {"GET", "/authorities/:id/edit", h_authority_edit, 0},
    {"POST", "/authorities/:id/edit", h_authority_update, 0},

    {"GET", "/api/v1/authorities", h_authority_list, ROUTE_CSV_OF(RES_AUTHORITY)},
    {"POST", "/api/v1/authorities", h_authority_create, 0},
    {"GET", "/api/v1/authorities/:id", h_authority_view, 0},
    {"PUT", "/api/v1/authorities/:id", h_authority_update, 0},
};

ROUTE_TABLE(authorities_table, authorities_routes);
