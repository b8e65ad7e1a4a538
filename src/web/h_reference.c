/* An authority's reference data: services, practitioners, the signposting
 * playbook and term dates, and the Settings page that leads to them; HTML
 * and JSON.  Data comes from service/svc_reference.c.
 *
 * Which authority: a record (service, practitioner, playbook entry) carries
 * its own.  Lists, new records and term dates act in the authority chosen by
 * which_authority(): ?authority=N in the address (or authority_id in a form
 * or JSON body), else the authority of the signed-in user's roles, else, for
 * a system administrator, the only authority there is.  A system
 * administrator with several authorities picks one on /settings; the choice
 * then travels in the links (?authority=N) and forms (authority_id).  The
 * policy decides, as always, whether the user may act there. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/calendar.h"
#include "lib/count.h"
#include "core/validate.h"
#include "service/svc_places.h"
#include "service/svc_finding.h"
#include "service/svc_meetings.h"
#include "service/svc_reference.h"
#include "web/form.h"
#include "web/listing.h"
#include "web/records_json.h"
#include "web/router.h"
#include "web/view.h"

/* ---- shared pieces ----------------------------------------------------- */

#define QS_MAX 40

/* The authority the request acts in (see the top of the file); qs gets
 * "authority=N" when it was named explicitly, for links, else "". */
static int64_t which_authority(struct req *rq, struct svc_ctx *c, char qs[QS_MAX])
{
    const char *a = req_query(rq, "authority");
    if (!a || !*a)
        a = req_param(rq, "authority_id");
    int64_t asked = parse_id(a);
    qs[0] = '\0';
    if (asked > 0)
        snprintf(qs, QS_MAX, "authority=%lld", (long long)asked);
    return svc_reference_authority(c, asked);
}

static void no_authority(struct req *rq, struct resp *rs)
{
    view_error(rq, rs, 400, "Choose a local authority",
               "You have access to more than one local authority. Open Settings and choose one first.");
}

/* Marks a field object with the partial that renders it in ref_form. */
static json_t *as(json_t *field, const char *kind)
{
    json_object_set_new(field, kind, json_true());
    return field;
}

static json_t *active_radios(const char *value, const struct field_errors *e, const char *legend)
{
    return as(fld_radios_codes("active", legend, value, e, &ref_active, 0), "kind_radios");
}

static void flash(json_t *ctx, struct req *rq, const char *added, const char *updated)
{
    const struct view_note saved[] = {{"added", added}, {"updated", updated}, {NULL, NULL}};
    view_flash(ctx, view_note(rq, "saved", saved));
}

static json_t *page(struct req *rq, const char *title, const char *crumb_href, const char *crumb)
{
    json_t *ctx = view_page(rq, title, "settings");
    if (crumb_href)
        view_breadcrumbs(ctx, "/", "Home", "/settings", "Settings", crumb_href, crumb, NULL);
    else
        view_breadcrumbs(ctx, "/", "Home", "/settings", "Settings", NULL);
    return ctx;
}

/* ---- settings ---------------------------------------------------------- */

static void add_authority_choice(void *arg, const struct authority *a)
{
    json_array_append_new(arg, json_authority(a));
}

static void h_settings(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    char qs[QS_MAX];
    int64_t a = which_authority(rq, &c, qs);
    if (a == 0) {
        /* Several authorities: ask which. */
        json_t *list = json_array();
        if (svc_authority_list(&c, add_authority_choice, list) != SVC_OK || json_array_size(list) == 0) {
            json_decref(list);
            view_svc_error(rq, rs, SVC_FORBIDDEN);
            return;
        }
        json_t *ctx = page(rq, "Settings", NULL, NULL);
        json_object_set_new(ctx, "choose_authority", json_true());
        json_object_set_new(ctx, "authorities", list);
        view_render(rq, rs, 200, "ref_settings", ctx);
        return;
    }
    if (view_denied(rq, rs, svc_reference_may(&c, ACT_LIST, a)))
        return;
    json_t *ctx = page(rq, "Settings", NULL, NULL);
    struct authority la;
    if (svc_authority_get(&c, a, &la) == SVC_OK)
        json_object_set_new(ctx, "authority", json_authority(&la));
    static const struct {
        const char *href, *title, *text;
    } items[] = {
        {"/services", "Services", "The school, local authority and health services that take part in meetings."},
        {"/practitioners", "Practitioners", "The people who represent each service, and their contact details."},
        {"/playbook", "Signposting playbook", "Courses, workshops and resources that schools and families are pointed to."},
        {"/term-dates", "Term dates", "Half-terms and closure days, used to plan meetings."},
    };
    json_t *arr = json_array();
    for (size_t i = 0; i < COUNT(items); i++) {
        char href[96];
        snprintf(href, sizeof href, "%s%s%s", items[i].href, qs[0] ? "?" : "", qs);
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "href", href, "title", items[i].title,
                                             "text", items[i].text));
    }
    json_object_set_new(ctx, "items", arr);
    view_render(rq, rs, 200, "ref_settings", ctx);
}

/* ---- services, practitioners and playbook entries ----------------------
 *
 * One shape, one set of handlers: the path says which kind a request is
 * about (/services, /practitioners, /playbook, under /api/v1/ too) and
 * ref_pages says what differs: names, templates, how a form is read and
 * filled, and the fields of its form.  The kind's own extras (a service's
 * practitioners, a practitioner's school and account) are hooks. */

union ref_row {
    struct service_row service;   /* every kind's row starts with id, authority_id */
    struct practitioner_row practitioner;
    struct resource_row resource;
};

union ref_form {
    struct service_form service;
    struct practitioner_form practitioner;
    struct resource_form resource;
};

struct ref_page {
    enum q_ref_kind q;
    const char *path;          /* "/services" */
    const char *one, *many;    /* JSON keys: "service", "services" */
    const char *title;         /* "Services": list title and breadcrumb */
    const char *add_title, *change_title, *add_label;
    const char *list_tmpl, *view_tmpl;
    const char *added, *saved; /* flash texts */
    size_t name_at;            /* offsetof the row's name (or title) */
    /* The form's values: each parameter and where it goes in the form. */
    struct req_field params[8];

    void (*fill)(struct req *rq, const union ref_row *r, union ref_form *f);
    json_t *(*json)(const union ref_row *r);
    /* The form's fields (cur NULL when adding; a is the authority). */
    json_t *(*fields)(struct svc_ctx *c, const union ref_form *f, const struct field_errors *e,
                      const union ref_row *cur, int64_t a, json_t *ctx);
    /* Adds to a record's JSON (API and page), and to its page: may be NULL. */
    void (*record_extra)(struct svc_ctx *c, const union ref_row *r, json_t *o);
    void (*page_extra)(struct svc_ctx *c, const union ref_row *r, json_t *ctx);
};

/* Appends each listed record's JSON to rows. */
struct collect {
    const struct ref_page *k;
    json_t *rows;
};

static void collect(void *arg, const void *row)
{
    struct collect *c = arg;
    json_array_append_new(c->rows, c->k->json(row));
}

/* The form as sent (absent values are NULL). */
static void read_form(struct req *rq, const struct ref_page *k, union ref_form *f)
{
    memset(f, 0, sizeof *f);
    size_t n = 0;
    while (k->params[n].name)
        n++;
    req_fields(rq, k->params, n, f);
}

static const char *name_of(const struct ref_page *k, const union ref_row *r)
{
    return (const char *)r + k->name_at;
}

/* ---- services ---- */

static json_t *service_json(const union ref_row *r)
{
    return json_service(&r->service);
}

static void fill_service(struct req *rq, const union ref_row *u, union ref_form *f)
{
    (void)rq;
    const struct service_row *r = &u->service;
    f->service = (struct service_form){r->name, r->code, r->org_kind, r->active ? "yes" : "no"};
}

static json_t *service_fields(struct svc_ctx *c, const union ref_form *u, const struct field_errors *e,
                              const union ref_row *cur, int64_t a, json_t *ctx)
{
    (void)c, (void)a;
    const struct service_form *f = &u->service;
    json_t *fields = json_array();
    json_array_append_new(fields, as(fld_input("name", "Name", f->name, e, NULL), "kind_input"));
    if (!cur) {
        json_t *code = fld_input("code", "Code (optional)", f->code, e,
                                 "A short name used in exports, like early_help: lower case letters, numbers "
                                 "and underscores. Leave blank to make one from the name.");
        fld_set(code, "width_class", "govuk-input--width-20");
        json_object_set_new(code, "spellcheck_off", json_true());
        json_array_append_new(fields, as(code, "kind_input"));
    } else {
        json_object_set_new(ctx, "readonly", json_pack("[{s:s, s:s}]", "key", "Code", "text", cur->service.code));
    }
    json_array_append_new(fields, as(fld_radios_codes("org_kind", "Kind of organisation", f->org_kind, e,
                                                      &ref_org_kinds, 0), "kind_radios"));
    if (cur)
        json_array_append_new(fields, active_radios(f->active, e, "Status"));
    return fields;
}

static const struct ref_page ref_pages[3];

/* A service's page lists its practitioners. */
static void service_page(struct svc_ctx *c, const union ref_row *r, json_t *ctx)
{
    struct collect people = {&ref_pages[Q_REF_PRACTITIONER], json_array()};
    (void)svc_ref_list(c, Q_REF_PRACTITIONER, r->service.authority_id, r->service.id, false, collect, &people);
    json_object_set_new(ctx, "practitioners", people.rows);
}

/* ---- practitioners ---- */

static json_t *practitioner_json(const union ref_row *r)
{
    return json_practitioner(&r->practitioner);
}

/* Adds school {id, name} to each practitioner that has one (after the
 * list is read, so no query runs inside another). */
static void add_school_names(struct svc_ctx *c, json_t *people)
{
    size_t i;
    json_t *p;
    json_array_foreach(people, i, p) {
        json_t *sid = json_object_get(p, "school_id");
        if (!json_is_integer(sid))
            continue;
        struct school s;
        if (svc_school_get(c, json_integer_value(sid), &s) == SVC_OK)
            json_object_set_new(p, "school", json_pack("{s:I, s:s}", "id", (json_int_t)s.id, "name", s.name));
    }
}

/* A practitioner's school and linked account. */
static void practitioner_extra(struct svc_ctx *c, const union ref_row *u, json_t *p)
{
    const struct practitioner_row *r = &u->practitioner;
    json_t *one = json_array();
    json_array_append(one, p);
    add_school_names(c, one);
    json_decref(one);
    char username[64];
    if (r->user_id > 0 && svc_reference_username(c, r->authority_id, r->user_id, username) == SVC_OK)
        json_object_set_new(p, "user", json_pack("{s:I, s:s}", "id", (json_int_t)r->user_id, "username",
                                                 username));
}

static void fill_practitioner(struct req *rq, const union ref_row *u, union ref_form *f)
{
    const struct practitioner_row *r = &u->practitioner;
    f->practitioner = (struct practitioner_form){r->name, r->job_title, r->email, req_id_text(rq, r->service_id),
                                                 req_id_text(rq, r->school_id), req_id_text(rq, r->user_id),
                                                 r->active ? "yes" : "no"};
}

struct opts {
    json_t *field;
    const char *current;
    int64_t authority_id;
    bool with_inactive;
};

static void add_service_option(void *arg, const void *row)
{
    const struct service_row *r = row;
    struct opts *o = arg;
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)r->id);
    bool cur = o->current && strcmp(o->current, id) == 0;
    if (!r->active && !o->with_inactive && !cur)
        return;
    char label[160];
    snprintf(label, sizeof label, "%s%s", r->name, r->active ? "" : " (inactive)");
    fld_add_option(o->field, id, label, o->current);
}

static void add_school_option(void *arg, const struct school *s)
{
    struct opts *o = arg;
    if (s->authority_id == o->authority_id)
        fld_add_id_option(o->field, s->id, s->name, o->current);
}

static void add_user_option(void *arg, const struct ref_user_row *u)
{
    struct opts *o = arg;
    char label[200];
    snprintf(label, sizeof label, "%s (%s)", u->username, u->display_name);
    fld_add_id_option(o->field, u->id, label, o->current);
}

/* A select field with a first blank option. */
static json_t *practitioner_fields(struct svc_ctx *c, const union ref_form *u, const struct field_errors *e,
                                   const union ref_row *cur, int64_t a, json_t *ctx)
{
    (void)ctx;
    const struct practitioner_form *f = &u->practitioner;
    json_t *fields = json_array();
    json_t *name = fld_input("name", "Name", f->name, e, NULL);
    json_object_set_new(name, "spellcheck_off", json_true());
    fld_set(name, "autocomplete", "off");
    json_array_append_new(fields, as(name, "kind_input"));
    json_array_append_new(fields, as(fld_input("job_title", "Job title (optional)", f->job_title, e,
                                               "For example, Educational Psychologist"), "kind_input"));
    json_t *email = fld_input("email", "Email address (optional)", f->email, e, NULL);
    fld_set(email, "type", "email");
    fld_set(email, "autocomplete", "off");
    json_object_set_new(email, "spellcheck_off", json_true());
    json_array_append_new(fields, as(email, "kind_input"));

    json_t *svc = fld_select_blank("service_id", "Service", e, NULL, "Select service", f->service_id);
    struct opts o = {svc, f->service_id, a, false};
    (void)svc_ref_list(c, Q_REF_SERVICE, a, false, 0, add_service_option, &o);
    json_array_append_new(fields, as(svc, "kind_select"));

    json_t *school = fld_select_blank("school_id", "School (optional)", e, "For members of school staff",
                                      "Not school staff", f->school_id);
    o = (struct opts){school, f->school_id, a, false};
    struct page_req pg = {1, 200};
    int64_t total = 0;
    do {
        if (svc_school_list(c, "", &pg, &total, add_school_option, &o) != SVC_OK)
            break;
        pg.page++;
    } while ((pg.page - 1) * pg.per_page < total && pg.page <= 50);
    json_array_append_new(fields, as(school, "kind_select"));

    json_t *user = fld_select_blank("user_id", "User account (optional)", e,
                                    "The practitioner's own account, if they sign in to this service",
                                    "No account", f->user_id);
    o = (struct opts){user, f->user_id, a, false};
    (void)svc_reference_users(c, a, add_user_option, &o);
    json_array_append_new(fields, as(user, "kind_select"));
    if (cur)
        json_array_append_new(fields, active_radios(f->active, e, "Status"));
    return fields;
}

/* The list's filter by service. */
static void practitioner_filter(struct req *rq, struct svc_ctx *c, json_t *ctx, int64_t a, const char *qs,
                                int64_t service)
{
    if (qs[0])
        json_object_set_new(ctx, "authority_id", json_string(qs + strlen("authority=")));
    json_object_set_new(ctx, "filtered", json_boolean(service > 0));
    const char *cur = service > 0 ? req_id_text(rq, service) : "";
    json_t *sf = fld_select_blank("service", "Service", NULL, NULL, "All services", cur);
    struct opts o = {sf, cur, a, true};
    (void)svc_ref_list(c, Q_REF_SERVICE, a, false, 0, add_service_option, &o);
    json_object_set_new(ctx, "service_filter", sf);
}

/* ---- the signposting playbook ---- */

static json_t *resource_json(const union ref_row *r)
{
    return json_resource(&r->resource);
}

static void fill_resource(struct req *rq, const union ref_row *u, union ref_form *f)
{
    (void)rq;
    const struct resource_row *r = &u->resource;
    f->resource = (struct resource_form){r->title, r->kind, r->audience, r->url, r->description,
                                         r->active ? "yes" : "no"};
}

static json_t *resource_fields(struct svc_ctx *c, const union ref_form *u, const struct field_errors *e,
                               const union ref_row *cur, int64_t a, json_t *ctx)
{
    (void)c, (void)a, (void)ctx;
    const struct resource_form *f = &u->resource;
    json_t *fields = json_array();
    json_array_append_new(fields, as(fld_input("title", "Title", f->title, e, NULL), "kind_input"));
    json_array_append_new(fields, as(fld_radios_codes("kind", "What kind of resource is it?", f->kind, e,
                                                      &ref_resource_kinds, 0), "kind_radios"));
    json_array_append_new(fields, as(fld_radios_codes("audience", "Who is it for?", f->audience, e,
                                                      &ref_audiences, 0), "kind_radios"));
    json_t *url = fld_input("url", "Web address (optional)", f->url, e,
                            "Starting with https://, like https://www.example.org/courses");
    fld_set(url, "type", "url");
    json_object_set_new(url, "spellcheck_off", json_true());
    json_array_append_new(fields, as(url, "kind_input"));
    json_t *desc = fld_input("description", "Description (optional)", f->description, e,
                             "What it offers, and how a school or family takes it up");
    json_object_del(desc, "type");
    json_array_append_new(fields, as(desc, "kind_textarea"));
    if (cur)
        json_array_append_new(fields, active_radios(f->active, e, "Status"));
    return fields;
}

/* ---- one set of handlers ---- */

static const struct ref_page ref_pages[] = {
    {Q_REF_SERVICE, "/services", "service", "services", "Services", "Add a service", "Change a service",
     "Add service", "ref_services", "ref_service", "Service added", "Service saved",
     offsetof(struct service_row, name),
     {{"name", offsetof(struct service_form, name)}, {"code", offsetof(struct service_form, code)},
      {"org_kind", offsetof(struct service_form, org_kind)}, {"active", offsetof(struct service_form, active)}},
     fill_service, service_json, service_fields,
     NULL, service_page},
    {Q_REF_PRACTITIONER, "/practitioners", "practitioner", "practitioners", "Practitioners", "Add a practitioner",
     "Change a practitioner", "Add practitioner", "ref_practitioners", "ref_practitioner", "Practitioner added",
     "Practitioner saved", offsetof(struct practitioner_row, name),
     {{"name", offsetof(struct practitioner_form, name)},
      {"job_title", offsetof(struct practitioner_form, job_title)},
      {"email", offsetof(struct practitioner_form, email)},
      {"service_id", offsetof(struct practitioner_form, service_id)},
      {"school_id", offsetof(struct practitioner_form, school_id)},
      {"user_id", offsetof(struct practitioner_form, user_id)}, {"active", offsetof(struct practitioner_form, active)}},
     fill_practitioner,
     practitioner_json, practitioner_fields, practitioner_extra, NULL},
    {Q_REF_RESOURCE, "/playbook", "resource", "resources", "Signposting playbook", "Add a playbook resource",
     "Change a playbook resource", "Add resource", "ref_playbook", "ref_resource", "Resource added to the playbook",
     "Resource saved", offsetof(struct resource_row, title),
     {{"title", offsetof(struct resource_form, title)}, {"kind", offsetof(struct resource_form, kind)},
      {"audience", offsetof(struct resource_form, audience)}, {"url", offsetof(struct resource_form, url)},
      {"description", offsetof(struct resource_form, description)},
      {"active", offsetof(struct resource_form, active)}},
     fill_resource, resource_json,
     resource_fields, NULL, NULL},
};

/* The kind a request is about, from its path (the routes below only send
 * these three here). */
static const struct ref_page *kind_of(const struct req *rq)
{
    const char *p = rq->path;
    if (strncmp(p, "/api/v1/", 8) == 0)
        p += 7;
    for (size_t i = 0; i < COUNT(ref_pages); i++) {
        size_t n = strlen(ref_pages[i].path);
        if (strncmp(p, ref_pages[i].path, n) == 0 && (p[n] == '\0' || p[n] == '/'))
            return &ref_pages[i];
    }
    return &ref_pages[0];
}

/* The add or change form, with its errors. */
static void ref_form(struct req *rq, struct resp *rs, struct svc_ctx *c, const struct ref_page *k, int status,
                     const union ref_form *f, const struct field_errors *e, const union ref_row *cur, int64_t a,
                     const char *qs)
{
    json_t *ctx = page(rq, cur ? k->change_title : k->add_title, k->path, k->title);
    if (cur)
        json_object_set_new(ctx, "caption", json_string(name_of(k, cur)));
    json_t *fields = k->fields(c, f, e, cur, a, ctx);
    char action[64], cancel[64];
    if (cur) {
        snprintf(action, sizeof action, "%s/%lld/edit", k->path, (long long)cur->service.id);
        snprintf(cancel, sizeof cancel, "%s/%lld", k->path, (long long)cur->service.id);
    } else {
        snprintf(action, sizeof action, "%s", k->path);
        snprintf(cancel, sizeof cancel, "%s%s%s", k->path, qs[0] ? "?" : "", qs);
    }
    json_object_set_new(ctx, "action", json_string(action));
    json_object_set_new(ctx, "cancel_href", json_string(cancel));
    json_object_set_new(ctx, "submit_label", json_string(cur ? "Save changes" : k->add_label));
    if (qs[0])
        json_object_set_new(ctx, "authority_id", json_string(qs + strlen("authority=")));
    view_set_errors(ctx, e);
    json_object_set_new(ctx, "fields", fields);
    view_render(rq, rs, status, "ref_form", ctx);
}

static void h_ref_list(struct req *rq, struct resp *rs)
{
    const struct ref_page *k = kind_of(rq);
    struct svc_ctx c = req_svc_ctx(rq);
    char qs[QS_MAX];
    int64_t a = which_authority(rq, &c, qs);
    if (!a) {
        no_authority(rq, rs);
        return;
    }
    const char *act = req_query(rq, "active");
    bool active_only = act && strcmp(act, "yes") == 0;
    int64_t service = k->q == Q_REF_PRACTITIONER ? parse_id(req_query(rq, "service")) : 0;
    json_t *rows = json_array();
    struct collect each = {k, rows};
    enum svc_status st = svc_ref_list(&c, k->q, a, active_only, service, collect, &each);
    if (view_failed_drop(rq, rs, st, rows))
        return;
    if (k->q == Q_REF_PRACTITIONER)
        add_school_names(&c, rows);
    if (rq->api) {
        view_json(rs, 200, json_pack("{s:I, s:o}", "authority_id", (json_int_t)a, k->many, rows));
        return;
    }
    json_t *ctx = page(rq, k->title, NULL, NULL);
    json_object_set_new(ctx, k->many, rows);
    view_list_csv_link(rq, ctx, RES_REFERENCE);
    json_object_set_new(ctx, "authority_qs", json_string(qs));
    if (k->q == Q_REF_PRACTITIONER)
        practitioner_filter(rq, &c, ctx, a, qs, service);
    json_object_set_new(ctx, "can_create", json_boolean(svc_reference_may(&c, ACT_CREATE, a)));
    view_render(rq, rs, 200, k->list_tmpl, ctx);
}

static void h_ref_new(struct req *rq, struct resp *rs)
{
    const struct ref_page *k = kind_of(rq);
    struct svc_ctx c = req_svc_ctx(rq);
    char qs[QS_MAX];
    int64_t a = which_authority(rq, &c, qs);
    if (view_denied(rq, rs, svc_reference_may(&c, ACT_CREATE, a)))
        return;
    union ref_form f;
    memset(&f, 0, sizeof f);
    if (k->q == Q_REF_PRACTITIONER)
        f.practitioner.service_id = req_query(rq, "service");
    struct field_errors e = {0};
    ref_form(rq, rs, &c, k, 200, &f, &e, NULL, a, qs);
}

/* A save's success: the record as stored (a practitioner's service name
 * comes from its service). */
static void ref_saved(struct req *rq, struct resp *rs, struct svc_ctx *c, const struct ref_page *k,
                      union ref_row *out, bool created)
{
    if (svc_ref_get(c, k->q, out->service.id, out) != SVC_OK) {
        view_svc_error(rq, rs, SVC_ERROR);
        return;
    }
    view_saved(rq, rs, created ? 201 : 200, k->one, k->json(out), "%s/%lld?saved=%s", k->path,
               (long long)out->service.id, created ? "added" : "updated");
}

static void h_ref_create(struct req *rq, struct resp *rs)
{
    const struct ref_page *k = kind_of(rq);
    struct svc_ctx c = req_svc_ctx(rq);
    char qs[QS_MAX];
    int64_t a = which_authority(rq, &c, qs);
    union ref_row *out = req_alloc(rq, sizeof *out);
    if (!a || !out) {
        if (out)
            no_authority(rq, rs);
        else
            view_svc_error(rq, rs, SVC_ERROR);
        return;
    }
    union ref_form f;
    read_form(rq, k, &f);
    struct field_errors e = {0};
    enum svc_status st = svc_ref_create(&c, k->q, a, &f, &e, out);
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK)
        ref_saved(rq, rs, &c, k, out, true);
    else if (n == SAVE_FORM)
        ref_form(rq, rs, &c, k, 400, &f, &e, NULL, a, qs);
}

static void h_ref_view(struct req *rq, struct resp *rs)
{
    const struct ref_page *k = kind_of(rq);
    struct svc_ctx c = req_svc_ctx(rq);
    union ref_row *r = req_alloc(rq, sizeof *r);
    if (view_failed(rq, rs, r ? svc_ref_get(&c, k->q, rq->id, r) : SVC_ERROR))
        return;
    json_t *o = k->json(r);
    if (k->record_extra)
        k->record_extra(&c, r, o);
    if (rq->api) {
        view_json(rs, 200, json_pack("{s:o}", k->one, o));
        return;
    }
    json_t *ctx = page(rq, name_of(k, r), k->path, k->title);
    json_object_set_new(ctx, k->one, o);
    if (k->page_extra)
        k->page_extra(&c, r, ctx);
    json_object_set_new(ctx, "can_edit", json_boolean(svc_allowed(&c, ACT_EDIT, RES_REFERENCE, r->service.id,
                                                                  r->service.authority_id, 0)));
    flash(ctx, rq, k->added, k->saved);
    view_render(rq, rs, 200, k->view_tmpl, ctx);
}

/* The record of the address, if the user may change it. */
static enum svc_status editable(struct svc_ctx *c, const struct ref_page *k, int64_t id, union ref_row *r)
{
    enum svc_status st = r ? svc_ref_get(c, k->q, id, r) : SVC_ERROR;
    if (st == SVC_OK && !svc_allowed(c, ACT_EDIT, RES_REFERENCE, id, r->service.authority_id, 0))
        st = SVC_FORBIDDEN;
    return st;
}

static void h_ref_edit(struct req *rq, struct resp *rs)
{
    const struct ref_page *k = kind_of(rq);
    struct svc_ctx c = req_svc_ctx(rq);
    union ref_row *r = req_alloc(rq, sizeof *r);
    if (view_failed(rq, rs, editable(&c, k, rq->id, r)))
        return;
    union ref_form f;
    k->fill(rq, r, &f);
    struct field_errors e = {0};
    ref_form(rq, rs, &c, k, 200, &f, &e, r, r->service.authority_id, "");
}

static void h_ref_update(struct req *rq, struct resp *rs)
{
    const struct ref_page *k = kind_of(rq);
    struct svc_ctx c = req_svc_ctx(rq);
    union ref_form f;
    read_form(rq, k, &f);
    struct field_errors e = {0};
    union ref_row *out = req_alloc(rq, sizeof *out), *cur = req_alloc(rq, sizeof *cur);
    enum svc_status st = out && cur ? svc_ref_update(&c, k->q, rq->id, &f, &e, out) : SVC_ERROR;
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK)
        ref_saved(rq, rs, &c, k, out, false);
    else if (n == SAVE_FORM && svc_ref_get(&c, k->q, rq->id, cur) != SVC_OK)
        view_svc_error(rq, rs, SVC_ERROR);
    else if (n == SAVE_FORM)
        ref_form(rq, rs, &c, k, 400, &f, &e, cur, cur->service.authority_id, "");
}

/* ---- term dates -------------------------------------------------------- */

static int current_year(const struct svc_ctx *c)
{
    int32_t d;
    return day_parse(c->today, &d) == 0 ? academic_year_of(d) : 2025;
}

/* The year from the route (:id) or ?year=; the current one by default;
 * 0 when it is not a year tas accepts. */
static int requested_year(struct req *rq, const struct svc_ctx *c)
{
    if (rq->id)
        return rq->id >= REF_YEAR_MIN && rq->id <= REF_YEAR_MAX ? (int)rq->id : 0;
    const char *y = req_query(rq, "year");
    if (!y || !*y)
        return current_year(c);
    long v;
    return parse_int_strict(y, REF_YEAR_MIN, REF_YEAR_MAX, &v) == 0 ? (int)v : 0;
}

static void year_label(int year, char out[16])
{
    snprintf(out, 16, "%d to %d", year % 10000, (year + 1) % 10000);
}

/* "Wednesday 3 September 2025". */
static void day_text(const char *iso, char out[40])
{
    int32_t d;
    if (day_parse(iso, &d) != 0)
        snprintf(out, 40, "%.10s", iso);
    else
        day_label_long(d, out, 40);
}

static void collect_closure(void *arr, const struct closure_row *r)
{
    char text[40];
    day_text(r->closed_on, text);
    json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)r->id, "date",
                                         r->closed_on, "date_text", text, "reason", r->reason));
}

/* The year as JSON (API answer and page data); NULL with *st on failure. */
static json_t *json_year(struct svc_ctx *c, int64_t a, int year, enum svc_status *st)
{
    struct term_row t[6];
    size_t n = 0;
    json_t *closures = json_array();
    *st = svc_terms_get(c, a, year, t, &n, collect_closure, closures);
    if (*st != SVC_OK) {
        json_decref(closures);
        return NULL;
    }
    json_t *terms = json_array();
    for (size_t i = 0; i < n; i++) {
        char s[40], e[40];
        day_text(t[i].starts_on, s);
        day_text(t[i].ends_on, e);
        json_array_append_new(terms, json_pack("{s:i, s:s, s:s, s:s, s:s, s:s}", "number", t[i].half_term,
                                               "label", svc_half_term_label(t[i].half_term), "starts_on",
                                               t[i].starts_on, "ends_on", t[i].ends_on, "starts_text", s,
                                               "ends_text", e));
    }
    char label[16];
    year_label(year, label);
    return json_pack("{s:I, s:i, s:s, s:o, s:o}", "authority_id", (json_int_t)a, "academic_year", year,
                     "label", label, "half_terms", terms, "closure_days", closures);
}

static void h_terms_view(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    char qs[QS_MAX];
    int64_t a = which_authority(rq, &c, qs);
    if (!a) {
        no_authority(rq, rs);
        return;
    }
    int year = requested_year(rq, &c);
    if (!year) {
        view_svc_error(rq, rs, SVC_NOT_FOUND);
        return;
    }
    enum svc_status st;
    json_t *y = json_year(&c, a, year, &st);
    if (!y) {
        view_svc_error(rq, rs, st);
        return;
    }
    if (rq->api) {
        view_json(rs, 200, y);
        return;
    }
    char title[40], label[16];
    year_label(year, label);
    snprintf(title, sizeof title, "Term dates %s", label);
    json_t *ctx = page(rq, title, NULL, NULL);
    json_object_set(ctx, "half_terms", json_object_get(y, "half_terms"));
    json_object_set(ctx, "closure_days", json_object_get(y, "closure_days"));
    json_decref(y);
    json_object_set_new(ctx, "year", json_integer(year));
    json_object_set_new(ctx, "year_label", json_string(label));
    char pl[16], nl[16];
    year_label(year - 1, pl);
    year_label(year + 1, nl);
    json_object_set_new(ctx, "prev_year", json_integer(year > REF_YEAR_MIN ? year - 1 : year));
    json_object_set_new(ctx, "next_year", json_integer(year < REF_YEAR_MAX ? year + 1 : year));
    json_object_set_new(ctx, "prev_label", json_string(pl));
    json_object_set_new(ctx, "next_label", json_string(nl));
    json_object_set_new(ctx, "authority_qs", json_string(qs));
    json_object_set_new(ctx, "can_edit", json_boolean(svc_reference_may(&c, ACT_EDIT, a)));
    if (req_query(rq, "saved"))
        view_flash(ctx, "Term dates saved");
    view_render(rq, rs, 200, "ref_terms", ctx);
}

/* Typed values of the edit page (strings kept for the request). */
struct terms_page {
    struct terms_form f;
    struct closure_form cf;
    bool defaults_used;
};

static void set_parts_from_day(struct req *rq, int32_t day, struct date_parts *p)
{
    int y, m, d;
    char b[8];
    ymd_from_day(day, &y, &m, &d);
    snprintf(b, sizeof b, "%d", d);
    p->day = req_keep(rq, b);
    snprintf(b, sizeof b, "%d", m);
    p->month = req_keep(rq, b);
    snprintf(b, sizeof b, "%d", y % 10000);
    p->year = req_keep(rq, b);
}

/* Splits "YYYY-MM-DD" (JSON) into the date input's parts; anything else
 * that is not empty becomes an impossible day, so validation says so. */
static void set_parts_from_iso(struct req *rq, const char *iso, struct date_parts *p)
{
    int32_t day;
    memset(p, 0, sizeof *p);
    if (!iso || !*iso)
        return;
    if (day_parse(iso, &day) == 0) {
        set_parts_from_day(rq, day, p);
        return;
    }
    p->day = "x";
    p->month = "x";
    p->year = "x";
}

static void fill_defaults(struct req *rq, int year, struct terms_form *f)
{
    struct half_term t[6];
    english_default_terms(year, t, NULL, 0);
    for (int i = 0; i < 6; i++) {
        set_parts_from_day(rq, t[i].starts, &f->starts[i]);
        set_parts_from_day(rq, t[i].ends, &f->ends[i]);
    }
}

static void fill_stored(struct req *rq, struct svc_ctx *c, int64_t a, int year, struct terms_form *f)
{
    struct term_row t[6];
    size_t n = 0;
    memset(f, 0, sizeof *f);
    if (svc_terms_get(c, a, year, t, &n, NULL, NULL) != SVC_OK)
        return;
    for (size_t i = 0; i < n; i++) {
        int k = t[i].half_term - 1;
        int32_t d;
        if (k < 0 || k > 5)
            continue;
        if (day_parse(t[i].starts_on, &d) == 0)
            set_parts_from_day(rq, d, &f->starts[k]);
        if (day_parse(t[i].ends_on, &d) == 0)
            set_parts_from_day(rq, d, &f->ends[k]);
    }
}

static void read_terms_form(struct req *rq, struct terms_form *f)
{
    for (int i = 0; i < 6; i++) {
        for (int end = 0; end < 2; end++) {
            struct date_parts *p = end ? &f->ends[i] : &f->starts[i];
            char name[32];
            snprintf(name, sizeof name, "t%d_%s-day", i + 1, end ? "ends" : "starts");
            p->day = req_param(rq, name);
            snprintf(name, sizeof name, "t%d_%s-month", i + 1, end ? "ends" : "starts");
            p->month = req_param(rq, name);
            snprintf(name, sizeof name, "t%d_%s-year", i + 1, end ? "ends" : "starts");
            p->year = req_param(rq, name);
        }
    }
}

/* A planned meeting on a closure day, with a button to move it to the
 * suggested day (POST /meetings/:id/move) when there is one. */
static void add_clash(void *arg, const struct meeting_row *m, const char *suggested)
{
    char when[48], to[32] = "";
    int32_t d;
    when[0] = '\0';
    if (day_parse(m->m.date, &d) == 0)
        day_label_long(d, when, sizeof when);
    json_t *o = json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)m->m.id, "team_name", m->team_name,
                          "date_label", when, "start_time", m->m.start_time);
    int y, mo, dd;
    if (suggested[0] && day_parse(suggested, &d) == 0) {
        day_label_long(d, to, sizeof to);
        ymd_from_day(d, &y, &mo, &dd);
        char ys[8], ms[4], ds[4];
        snprintf(ys, sizeof ys, "%d", y);
        snprintf(ms, sizeof ms, "%d", mo);
        snprintf(ds, sizeof ds, "%d", dd);
        json_object_set_new(o, "move", json_pack("{s:s, s:s, s:s, s:s, s:s}", "label", to, "iso", suggested,
                                                 "day", ds, "month", ms, "year", ys));
    }
    json_array_append_new(arg, o);
}

static void render_terms_form(struct req *rq, struct resp *rs, struct svc_ctx *c, int status, int64_t a,
                              const char *qs, int year, const struct terms_page *tp,
                              const struct field_errors *e)
{
    char label[16], title[48];
    year_label(year, label);
    snprintf(title, sizeof title, "Change term dates for %s", label);
    json_t *ctx = view_page(rq, title, "settings");
    char back[64];
    snprintf(back, sizeof back, "/term-dates?year=%d%s%s", year, qs[0] ? "&" : "", qs);
    view_breadcrumbs(ctx, "/", "Home", "/settings", "Settings", req_keep(rq, back), "Term dates", NULL);
    json_object_set_new(ctx, "year", json_integer(year));
    json_object_set_new(ctx, "year_label", json_string(label));
    char action[48];
    snprintf(action, sizeof action, "/term-dates/%d/edit", year);
    json_object_set_new(ctx, "action", json_string(action));
    json_object_set_new(ctx, "cancel_href", json_string(back));
    if (qs[0])
        json_object_set_new(ctx, "authority_id", json_string(qs + strlen("authority=")));
    if (tp->defaults_used) {
        json_object_set_new(ctx, "defaults_used", json_true());
        struct half_term t[6];
        int32_t bh[8];
        size_t nbh = english_default_terms(year, t, bh, 8);
        if (nbh) {
            struct buf b = BUF_INIT;
            buf_puts(&b, nbh == 1 ? "The bank holiday in term, " : "The bank holidays in term, ");
            for (size_t i = 0; i < nbh; i++) {
                char iso[11], text[40];
                day_format(bh[i], iso);
                day_text(iso, text);
                buf_printf(&b, "%s%s", i ? (i + 1 == nbh ? " and " : ", ") : "", text);
            }
            buf_puts(&b, nbh == 1 ? ", will be added as a closure day when you save."
                                  : ", will be added as closure days when you save.");
            json_object_set_new(ctx, "default_closures_text", json_string(buf_str(&b)));
            buf_free(&b);
        }
    }
    char hint1[40], hint2[40];
    snprintf(hint1, sizeof hint1, "For example, 3 9 %d", year % 10000);
    snprintf(hint2, sizeof hint2, "For example, 4 5 %d", (year + 1) % 10000);
    json_t *terms = json_array();
    for (int i = 0; i < 6; i++) {
        char name[16], legend[48];
        const char *hl = svc_half_term_label(i + 1);
        snprintf(name, sizeof name, "t%d_starts", i + 1);
        snprintf(legend, sizeof legend, "First day of %s", hl);
        json_t *s = fld_date(name, legend, tp->f.starts[i].day, tp->f.starts[i].month, tp->f.starts[i].year, e,
                             i == 0 ? hint1 : NULL);
        snprintf(name, sizeof name, "t%d_ends", i + 1);
        snprintf(legend, sizeof legend, "Last day of %s", hl);
        json_t *en = fld_date(name, legend, tp->f.ends[i].day, tp->f.ends[i].month, tp->f.ends[i].year, e, NULL);
        json_array_append_new(terms, json_pack("{s:s, s:o, s:o}", "label", hl, "starts", s, "ends", en));
    }
    json_object_set_new(ctx, "terms", terms);
    json_t *closures = json_array();
    struct term_row t[6];
    size_t n;
    (void)svc_terms_get(c, a, year, t, &n, collect_closure, closures);
    json_object_set_new(ctx, "closure_days", closures);
    json_t *clashes = json_array();
    (void)svc_closure_clashes(c, a, year, add_clash, clashes);
    json_object_set_new(ctx, "clashes", clashes);
    json_object_set_new(ctx, "closure_date", fld_date("closed_on", "Closure day", tp->cf.on.day, tp->cf.on.month,
                                                      tp->cf.on.year, e, hint2));
    json_object_set_new(ctx, "closure_reason", fld_input("reason", "Reason (optional)", tp->cf.reason, e,
                                                         "For example, staff training day"));
    static const struct view_note closure[] = {
        {"added", "Closure day added"}, {"removed", "Closure day removed"}, {NULL, NULL}};
    view_flash(ctx, view_note(rq, "closure", closure));
    view_set_errors(ctx, e);
    view_render(rq, rs, status, "ref_terms_form", ctx);
}

static bool terms_may_edit(struct req *rq, struct resp *rs, struct svc_ctx *c, int64_t a, int year)
{
    if (!a) {
        no_authority(rq, rs);
        return false;
    }
    if (!year) {
        view_svc_error(rq, rs, SVC_NOT_FOUND);
        return false;
    }
    if (!svc_reference_may(c, ACT_EDIT, a)) {
        view_svc_error(rq, rs, SVC_FORBIDDEN);
        return false;
    }
    return true;
}

/* A request to show or change a year's term dates: the context, the
 * authority a (with qs for links), the year, the page's form and errors. */
struct terms_req {
    struct svc_ctx c;
    char qs[QS_MAX];
    int64_t a;
    int year;
    struct terms_page tp;
    struct field_errors e;
};

/* Checks before showing or changing a year: the authority, the year, and
 * permission to change term dates there.  The request (from req_alloc,
 * form blank), or NULL after answering. */
static struct terms_req *terms_edit_ok(struct req *rq, struct resp *rs)
{
    struct terms_req *t = req_alloc(rq, sizeof *t);
    if (!t) {
        view_svc_error(rq, rs, SVC_ERROR);
        return NULL;
    }
    memset(t, 0, sizeof *t);
    t->c = req_svc_ctx(rq);
    t->a = which_authority(rq, &t->c, t->qs);
    t->year = requested_year(rq, &t->c);
    return terms_may_edit(rq, rs, &t->c, t->a, t->year) ? t : NULL;
}

static void terms_show(struct req *rq, struct resp *rs, struct terms_req *t, int status)
{
    render_terms_form(rq, rs, &t->c, status, t->a, t->qs, t->year, &t->tp, &t->e);
}

/* The end of a change on the page: to loc when saved, the form again
 * when invalid. */
static void terms_end(struct req *rq, struct resp *rs, struct terms_req *t, enum svc_status st, const char *loc)
{
    if (st == SVC_OK)
        resp_redirect(rs, loc);
    else if (st == SVC_INVALID)
        terms_show(rq, rs, t, 400);
    else
        view_svc_error(rq, rs, st);
}

static void h_terms_edit(struct req *rq, struct resp *rs)
{
    struct terms_req *t = terms_edit_ok(rq, rs);
    if (!t)
        return;
    fill_stored(rq, &t->c, t->a, t->year, &t->tp.f);
    terms_show(rq, rs, t, 200);
}

static void back_to_edit(struct req *rq, struct resp *rs, struct terms_req *t, enum svc_status st, const char *what)
{
    char loc[96];
    snprintf(loc, sizeof loc, "/term-dates/%d/edit?closure=%s%s%s#closure-days", t->year, what,
             t->qs[0] ? "&" : "", t->qs);
    terms_end(rq, rs, t, st, loc);
}

static void h_terms_update(struct req *rq, struct resp *rs)
{
    struct terms_req *t = terms_edit_ok(rq, rs);
    if (!t)
        return;
    struct svc_ctx *c = &t->c;
    const char *action = req_param(rq, "action");
    if (!action)
        action = "save";

    if (strcmp(action, "defaults") == 0) {
        fill_defaults(rq, t->year, &t->tp.f);
        t->tp.defaults_used = true;
        terms_show(rq, rs, t, 200);
        return;
    }
    if (strcmp(action, "add_closure") == 0) {
        struct closure_form *cf = &t->tp.cf;
        req_date_parts(rq, "closed_on", "closed_on", &cf->on.day, &cf->on.month, &cf->on.year);
        cf->reason = req_param(rq, "reason");
        struct closure_row out;
        /* The stored dates beside the form, should it be shown again. */
        fill_stored(rq, c, t->a, t->year, &t->tp.f);
        back_to_edit(rq, rs, t, svc_closure_add(c, t->a, t->year, cf, &t->e, &out), "added");
        return;
    }
    if (strcmp(action, "remove_closure") == 0) {
        back_to_edit(rq, rs, t, svc_closure_remove(c, t->a, parse_id(req_param(rq, "closure_id"))), "removed");
        return;
    }
    read_terms_form(rq, &t->tp.f);
    const char *adc = req_param(rq, "add_default_closures");
    t->tp.defaults_used = adc && strcmp(adc, "yes") == 0;
    enum svc_status st = svc_terms_save(c, t->a, t->year, &t->tp.f, t->tp.defaults_used, NULL, 0, false, &t->e);
    char loc[96];
    snprintf(loc, sizeof loc, "/term-dates?year=%d&saved=1%s%s", t->year, t->qs[0] ? "&" : "", t->qs);
    terms_end(rq, rs, t, st, loc);
}

/* PUT /api/v1/term-dates/:year
 *   {"half_terms": [{"number": 1, "starts_on": "2025-09-03", "ends_on": "2025-10-24"}, ... 6],
 *    "closure_days": [{"date": "2026-05-04", "reason": "Bank holiday"}]}   (optional: replaces the year's)
 * or {"use_english_defaults": true} for the usual English dates and in-term bank holidays.
 * Field errors name t1_starts .. t6_ends and closure_days. */
static void h_api_terms_put(struct req *rq, struct resp *rs)
{
    struct terms_req *t = terms_edit_ok(rq, rs);
    if (!t)
        return;
    struct svc_ctx *c = &t->c;
    int64_t a = t->a;
    int year = t->year;
    if (!rq->json || !json_is_object(rq->json)) {
        view_error(rq, rs, 400, "Bad request", "Send a JSON object");
        return;
    }
    struct terms_form f;
    memset(&f, 0, sizeof f);
    struct field_errors e = {0};
    const char *dflt = req_param(rq, "use_english_defaults");
    bool defaults = dflt && strcmp(dflt, "yes") == 0;
    struct closure_form cl[64];
    size_t ncl = 0;
    json_t *cds = json_object_get(rq->json, "closure_days");
    bool replace = !defaults && json_is_array(cds);
    if (defaults) {
        fill_defaults(rq, year, &f);
    } else {
        json_t *hts = json_object_get(rq->json, "half_terms");
        size_t i;
        json_t *v;
        json_array_foreach(hts, i, v) {
            json_t *num = json_object_get(v, "number");
            size_t k = json_is_integer(num) ? (size_t)(json_integer_value(num) - 1) : i;
            if (k > 5)
                continue;
            set_parts_from_iso(rq, json_string_value(json_object_get(v, "starts_on")), &f.starts[k]);
            set_parts_from_iso(rq, json_string_value(json_object_get(v, "ends_on")), &f.ends[k]);
        }
        if (replace) {
            json_array_foreach(cds, i, v) {
                if (ncl >= 64) {
                    field_errors_add(&e, "closure_days", "Send 64 closure days or fewer");
                    break;
                }
                memset(&cl[ncl], 0, sizeof cl[ncl]);
                const char *d = json_is_string(v) ? json_string_value(v)
                                                  : json_string_value(json_object_get(v, "date"));
                set_parts_from_iso(rq, d, &cl[ncl].on);
                cl[ncl].reason = json_string_value(json_object_get(v, "reason"));
                ncl++;
            }
        }
    }
    enum svc_status st = e.count ? SVC_INVALID
                                 : svc_terms_save(c, a, year, &f, defaults, cl, ncl, replace, &e);
    if (view_failed_json(rq, rs, st, &e))
        return;
    json_t *y = json_year(c, a, year, &st);
    if (!y) {
        view_svc_error(rq, rs, st);
        return;
    }
    view_json(rs, 200, y);
}

/* ---- routes ------------------------------------------------------------ */

static const struct route routes[] = {
    {"GET", "/settings", h_settings, 0},

    RECORD_ROUTES("/services", h_ref_list, h_ref_new, h_ref_create, h_ref_view, h_ref_edit, h_ref_update,
                  RES_REFERENCE),
    RECORD_ROUTES("/practitioners", h_ref_list, h_ref_new, h_ref_create, h_ref_view, h_ref_edit, h_ref_update,
                  RES_REFERENCE),
    RECORD_ROUTES("/playbook", h_ref_list, h_ref_new, h_ref_create, h_ref_view, h_ref_edit, h_ref_update,
                  RES_REFERENCE),

    {"GET", "/term-dates", h_terms_view, 0},
    {"GET", "/term-dates/:id", h_terms_view, 0},
    {"GET", "/term-dates/:id/edit", h_terms_edit, 0},
    {"POST", "/term-dates/:id/edit", h_terms_update, 0},

    {"GET", "/api/v1/term-dates", h_terms_view, 0},
    {"GET", "/api/v1/term-dates/:id", h_terms_view, 0},
    {"PUT", "/api/v1/term-dates/:id", h_api_terms_put, 0},
};

ROUTE_TABLE(reference_table, routes);
