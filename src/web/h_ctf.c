/* Pupils from a Common Transfer File: the page where the file's text is
 * pasted, checked (a dry run with its report) and then imported all or
 * nothing, and its API twin.  The work is service/svc_ctf.c's; the policy
 * decides there who may (those who may create pupils at the file's
 * school).  Refused pupils are shown by their place in the file, never by
 * name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/svc_ctf.h"
#include "web/form.h"
#include "web/router.h"
#include "web/view.h"

struct mem_in {
    const char *p;
    size_t len, off;
};

static int mem_read(void *io, char *buf, int len)
{
    struct mem_in *m = io;
    size_t n = m->len - m->off;
    if (n > (size_t)len)
        n = (size_t)len;
    memcpy(buf, m->p + m->off, n);
    m->off += n;
    return (int)n;
}

static bool may_import(const struct svc_ctx *c)
{
    return svc_allowed(c, ACT_CREATE, RES_PUPIL, 0, 0, 0);
}

static json_t *report_json(const struct ctf_report *r, bool dry_run, bool ok)
{
    json_t *rej = json_array();
    for (size_t i = 0; i < r->nrejects; i++) {
        const struct ctf_reject *x = &r->rejects[i];
        json_array_append_new(rej, json_pack("{s:I, s:I, s:s, s:s, s:s}", "pupil", (json_int_t)x->index, "line",
                                             (json_int_t)x->line, "upn", x->upn, "field", x->field, "reason",
                                             x->why));
    }
    json_t *o = json_pack("{s:b, s:b, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "dry_run", dry_run, "ok",
                          ok, "written", r->written, "pupils", (json_int_t)r->pupils, "added",
                          (json_int_t)r->added, "changed", (json_int_t)r->changed, "unchanged",
                          (json_int_t)r->unchanged, "rejected", (json_int_t)r->rejected, "outcomes_added",
                          (json_int_t)r->outcomes_added, "outcomes_already_stored", (json_int_t)r->outcomes_kept,
                          "lunchtime_exclusions_skipped", (json_int_t)r->skipped, "rejects", rej);
    if (r->school_id)
        json_object_set_new(o, "school", json_pack("{s:I, s:s, s:s}", "id", (json_int_t)r->school_id, "urn",
                                                   r->school_urn, "name", r->school_name));
    if (r->malformed)
        json_object_set_new(o, "error", json_pack("{s:I, s:s}", "line", (json_int_t)r->error_line, "reason",
                                                  r->error));
    return o;
}

static void render(struct req *rq, struct resp *rs, int status, const char *xml, const struct field_errors *e,
                   json_t *result)
{
    json_t *ctx = view_page(rq, "Import pupils from a Common Transfer File", "pupils");
    view_breadcrumbs(ctx, "/", "Home", "/pupils", "Pupils", NULL);
    if (e->count)
        json_object_set_new(ctx, "errors", view_errors(e));
    json_t *text = fld_textarea("xml", "The Common Transfer File's text", xml, e,
                                "Open the CTF (an .xml file) in a text editor, copy everything and paste it here");
    json_object_set_new(text, "rows", json_integer(12));
    json_object_set_new(text, "spellcheck_off", json_true());
    json_t *fields = json_object();
    json_object_set_new(fields, "xml", text);
    json_object_set_new(ctx, "fields", fields);
    if (result)
        json_object_set_new(ctx, "result", result);
    view_render(rq, rs, status, "pupil_ctf", ctx);
}

static void h_ctf_form(struct req *rq, struct resp *rs)
{
    struct svc_ctx c;
    req_svc_ctx(rq, &c);
    if (!may_import(&c)) {
        view_svc_error(rq, rs, SVC_FORBIDDEN);
        return;
    }
    struct field_errors e = {0};
    render(rq, rs, 200, "", &e, NULL);
}

/* POST /pupils/ctf: "check" (a dry run) or "import"; the API's {xml, dry_run}
 * (a dry run unless dry_run is "no" or false). */
static void h_ctf_import(struct req *rq, struct resp *rs)
{
    struct svc_ctx c;
    req_svc_ctx(rq, &c);
    if (!may_import(&c)) {
        view_svc_error(rq, rs, SVC_FORBIDDEN);
        return;
    }
    const char *xml = req_param(rq, "xml"), *step = req_param(rq, "step"), *dry = req_param(rq, "dry_run");
    bool dry_run = rq->api ? !dry || (strcmp(dry, "no") != 0 && strcmp(dry, "false") != 0)
                           : !step || strcmp(step, "import") != 0;
    struct field_errors e = {0};
    if (!xml || !xml[strspn(xml, " \t\r\n")]) {
        field_errors_add(&e, "xml", "Paste the text of the Common Transfer File");
        if (rq->api)
            view_invalid_json(rs, &e);
        else
            render(rq, rs, 400, xml ? xml : "", &e, NULL);
        return;
    }
    struct ctf_report *rep = calloc(1, sizeof *rep);
    if (!rep) {
        view_svc_error(rq, rs, SVC_ERROR);
        return;
    }
    struct mem_in in = {xml, strlen(xml), 0};
    enum svc_status st = svc_ctf_import(&c, mem_read, &in, dry_run, rep, &e);
    if (st != SVC_OK && st != SVC_INVALID) {
        free(rep);
        view_svc_error(rq, rs, st);
        return;
    }
    json_t *result = report_json(rep, dry_run, st == SVC_OK);
    if (e.count)
        json_object_set_new(result, "file_errors", view_errors(&e));
    free(rep);
    if (rq->api) {
        view_json(rs, st == SVC_OK ? 200 : 422, result);
        return;
    }
    /* After an import the form starts empty again. */
    bool done = st == SVC_OK && !dry_run;
    struct field_errors none = {0};
    render(rq, rs, st == SVC_OK ? 200 : 400, done ? "" : xml, e.count ? &e : &none, result);
}

static const struct route ctf_routes[] = {
    {"GET", "/pupils/ctf", h_ctf_form, 0},
    {"POST", "/pupils/ctf", h_ctf_import, 0},
    {"POST", "/api/v1/pupils/ctf", h_ctf_import, 0},
};

ROUTE_TABLE(ctf_table, ctf_routes);
