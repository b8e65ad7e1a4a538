/* /schools/import: schools from a GIAS establishment file (service/svc_gias.c),
 * pasted into the page; first checked (a dry run: the counts and the rows
 * rejected, nothing written), then imported.  The API's twin takes
 * {csv, dry_run} and answers the counts. */
#include <stdio.h>
#include <string.h>

#include "core/errors.h"
#include "service/svc_gias.h"
#include "web/form.h"
#include "web/router.h"
#include "web/view.h"

static json_t *report_json(const struct gias_report *r, bool dry_run, bool ok)
{
    json_t *probs = json_array();
    for (size_t i = 0; i < r->nproblems; i++)
        json_array_append_new(probs, json_pack("{s:I, s:s, s:s}", "line", (json_int_t)r->problems[i].line, "urn",
                                               r->problems[i].urn, "reason", r->problems[i].why));
    json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:b, s:b, s:o}", "lines",
                          (json_int_t)r->lines, "added", (json_int_t)r->added, "changed", (json_int_t)r->changed,
                          "closed", (json_int_t)r->closed, "unchanged", (json_int_t)r->unchanged, "skipped",
                          (json_int_t)r->skipped, "outside", (json_int_t)r->outside, "rejected",
                          (json_int_t)r->rejected, "dry_run", dry_run, "ok", ok, "written", r->written, "problems",
                          probs);
    if (r->rejected > r->nproblems)
        json_object_set_new(o, "more_rejected", json_integer((json_int_t)(r->rejected - r->nproblems)));
    json_object_set_new(o, "changes", json_boolean(r->added + r->changed + r->closed > 0));
    return o;
}

static void render(struct req *rq, struct resp *rs, int status, const char *csv, const struct field_errors *e,
                   json_t *result)
{
    json_t *ctx = view_page(rq, "Import schools from GIAS", "schools");
    view_breadcrumbs(ctx, "/", "Home", "/schools", "Schools", NULL);
    if (e->count)
        json_object_set_new(ctx, "errors", view_errors(e));
    json_t *text = fld_textarea("csv", "The GIAS file's text", csv, e,
                                "Download the establishment fields for your local authority from Get Information "
                                "about Schools, open the CSV file in a text editor, copy everything, header line "
                                "included, and paste it here");
    json_object_set_new(text, "rows", json_integer(12));
    json_object_set_new(text, "spellcheck_off", json_true());
    json_object_set_new(ctx, "fields", json_pack("{s:o}", "csv", text));
    if (result)
        json_object_set_new(ctx, "result", result);
    view_render(rq, rs, status, "school_import", ctx);
}

static void h_gias_form(struct req *rq, struct resp *rs)
{
    struct svc_ctx c;
    req_svc_ctx(rq, &c);
    if (!svc_gias_may_import(&c)) {
        view_svc_error(rq, rs, SVC_FORBIDDEN);
        return;
    }
    struct field_errors e = {0};
    render(rq, rs, 200, "", &e, NULL);
}

/* POST /schools/import: step "check" (a dry run) or "import"; the API's
 * {csv, dry_run} (a dry run unless dry_run is "no" or false). */
static void h_gias_import(struct req *rq, struct resp *rs)
{
    struct svc_ctx c;
    req_svc_ctx(rq, &c);
    if (!svc_gias_may_import(&c)) {
        view_svc_error(rq, rs, SVC_FORBIDDEN);
        return;
    }
    const char *csv = req_param(rq, "csv"), *step = req_param(rq, "step"), *dry = req_param(rq, "dry_run");
    bool dry_run = rq->api ? !dry || (strcmp(dry, "no") != 0 && strcmp(dry, "false") != 0)
                           : !step || strcmp(step, "import") != 0;
    struct field_errors e = {0};
    if (!csv || !csv[strspn(csv, " \t\r\n")]) {
        field_errors_add(&e, "csv", "Paste the text of the GIAS file");
        if (rq->api)
            view_invalid_json(rs, &e);
        else
            render(rq, rs, 400, csv ? csv : "", &e, NULL);
        return;
    }
    size_t len = strlen(csv);
    char *text = req_alloc(rq, len + 1);
    struct gias_report *rep = req_alloc(rq, sizeof *rep);
    FILE *in = text && rep ? fmemopen(memcpy(text, csv, len + 1), len, "r") : NULL;
    if (!in) {
        view_svc_error(rq, rs, SVC_ERROR);
        return;
    }
    enum svc_status st = svc_gias_import(&c, in, dry_run, NULL, NULL, rep);
    fclose(in);
    if (st == SVC_INVALID) {
        char msg[320];
        snprintf(msg, sizeof msg, "%s%s", strncmp(rep->missing, "the ", 4) ? "The header line lacks: " : "",
                 rep->missing);
        if (msg[0] >= 'a' && msg[0] <= 'z')
            msg[0] = (char)(msg[0] - 'a' + 'A');
        field_errors_add(&e, "csv", msg);
        if (rq->api)
            view_invalid_json(rs, &e);
        else
            render(rq, rs, 400, csv, &e, NULL);
        return;
    }
    if (st != SVC_OK) {
        view_svc_error(rq, rs, st);
        return;
    }
    json_t *result = report_json(rep, dry_run, true);
    if (rq->api) {
        view_json(rs, 200, result);
        return;
    }
    /* After an import the form starts empty: the result is on the page. */
    render(rq, rs, 200, dry_run ? csv : "", &e, result);
}

static const struct route gias_routes[] = {
    {"GET", "/schools/import", h_gias_form, 0},
    {"POST", "/schools/import", h_gias_import, 0},
    {"POST", "/api/v1/schools/import", h_gias_import, 0},
};

ROUTE_TABLE(gias_table, gias_routes);
