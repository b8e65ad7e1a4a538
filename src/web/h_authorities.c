/* Local authorities: list, view, add, edit; HTML and JSON.  Data comes
 * from service/svc_places.c. */
#include <stdio.h>
#include <string.h>

#include "service/svc_places.h"
#include "lib/count.h"
#include "web/form.h"
#include "web/router.h"
#include "web/listing.h"
#include "web/records_json.h"
#include "web/view.h"

static void render_form(struct req *rq, struct resp *rs, int status, const struct authority_form *f,
                        const struct field_errors *e, int64_t id)
{
    json_t *ctx = view_form_page(rq, id ? "Edit local authority" : "Add a local authority", "authorities", e);
    view_form_links(ctx, "/authorities", id);
    view_breadcrumbs(ctx, "/", "Home", "/authorities", "Local authorities", NULL);
    json_t *code = fld_input("la_code", "LA code", f->la_code, e,
                             "The 3-digit DfE local authority number, like 822");
    fld_number(code, "govuk-input--width-4", "numeric");
    json_object_set_new(ctx, "fields", json_pack("{s:o, s:o}", "la_code", code, "name",
                                                 fld_input("name", "Name", f->name, e, NULL)));
    view_render(rq, rs, status, "authority_form", ctx);
}

static void h_authority_list(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    json_t *rows = json_array();
    if (view_failed_drop(rq, rs, svc_authority_list(&c, collect_authority, rows), rows))
        return;
    json_t *ctx = view_answer_page(rq, rs, json_pack("{s:o}", "authorities", rows), "Local authorities",
                                   "authorities", NULL);
    if (!ctx)
        return;
    view_list_csv_link(rq, ctx, RES_AUTHORITY);
    json_object_set_new(ctx, "can_create", json_boolean(svc_allowed(&c, ACT_CREATE, RES_AUTHORITY, 0, 0, 0)));
    view_render(rq, rs, 200, "authority_list", ctx);
}

static void h_authority_new(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    if (view_denied(rq, rs, svc_allowed(&c, ACT_CREATE, RES_AUTHORITY, 0, 0, 0)))
        return;
    render_form(rq, rs, 200, &(struct authority_form){0}, NULL, 0);
}

static const struct req_field authority_fields[] = {
    REQ_FIELD(struct authority_form, la_code), REQ_FIELD(struct authority_form, name),
};

static void read_form(struct req *rq, struct authority_form *f)
{
    req_fields(rq, authority_fields, COUNT(authority_fields), f);
}

/* POST /authorities creates one from the form, POST /authorities/:id/edit
 * (PUT in the API) updates that one. */
static void h_authority_save(struct req *rq, struct resp *rs)
{
    int64_t id = rq->id;
    struct svc_ctx c = req_svc_ctx(rq);
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

static void h_authority_view(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct authority a;
    if (view_failed(rq, rs, svc_authority_get(&c, rq->id, &a)))
        return;
    json_t *ctx = view_answer_page(rq, rs, json_pack("{s:o}", "authority", json_authority(&a)), a.name,
                                   "authorities", "/", "Home", "/authorities", "Local authorities", NULL);
    if (!ctx)
        return;
    json_object_set_new(ctx, "can_edit", json_boolean(svc_allowed(&c, ACT_EDIT, RES_AUTHORITY, a.id, a.id, 0)));
    static const struct view_note saved[] = {{NULL, "Local authority saved"}};
    view_flash(ctx, view_note(rq, "saved", saved));
    view_render(rq, rs, 200, "authority_view", ctx);
}

static void h_authority_edit(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct authority a;
    enum svc_status st = svc_authority_get(&c, rq->id, &a);
    if (st == SVC_OK && !svc_allowed(&c, ACT_EDIT, RES_AUTHORITY, a.id, a.id, 0))
        st = SVC_FORBIDDEN;
    if (view_failed(rq, rs, st))
        return;
    render_form(rq, rs, 200, &(struct authority_form){a.la_code, a.name}, NULL, a.id);
}

static const struct route authorities_routes[] = {
    RECORD_ROUTES("/authorities", h_authority_list, h_authority_new, h_authority_save, h_authority_view,
                  h_authority_edit, h_authority_save, RES_AUTHORITY),
};

ROUTE_TABLE(authorities_table, authorities_routes);
