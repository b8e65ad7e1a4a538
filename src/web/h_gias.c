/* /schools/import: schools from a GIAS establishment file (service/svc_gias.c),
 * chosen as a file (multipart/form-data, web/upload.h) or, for a short
 * one, pasted into the page; first checked (a dry run: the counts and the
 * rows rejected, nothing written), then imported: a file is chosen again
 * and imported only if it is the one checked (its SHA-256).  A file is
 * read on a thread of its own (web/import_job.h): the form answers with
 * /schools/import?job=N, which shows a progress bar until the job is done
 * and then its report.  Pasted text (64 KB at most) is read at once, so
 * the page can show it again after a check.  The API's twin takes {csv,
 * dry_run} as JSON or the file as multipart, and answers the counts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "service/svc_gias.h"
#include "web/form.h"
#include "web/import_job.h"
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
                   json_t *result, const char *checked, json_t *running)
{
    json_t *ctx = view_page(rq, "Import schools from GIAS", "schools");
    view_breadcrumbs(ctx, "/", "Home", "/schools", "Schools", NULL);
    view_set_errors(ctx, e);
    size_t max_mb = rq->app->max_upload / (1024 * 1024);
    char hint[240];
    snprintf(hint, sizeof hint, "The establishment fields for your local authority, downloaded from Get Information "
             "about Schools as a CSV file, up to %zu MB", max_mb);
    json_t *file = import_page_file_field(e, checked != NULL, "The GIAS file", hint, ".csv,text/csv");
    json_t *text = fld_textarea("csv", "Or paste the file's text", csv, e,
                                "For a few schools: open the CSV file in a text editor, copy everything, header "
                                "line included, and paste it here (up to 64 KB)");
    json_object_set_new(text, "rows", json_integer(12));
    json_object_set_new(text, "spellcheck_off", json_true());
    json_object_set_new(ctx, "fields", json_pack("{s:o, s:o}", "file", file, "csv", text));
    json_object_set_new(ctx, "max_mb", json_integer((json_int_t)max_mb));
    import_page_render(rq, rs, status, "school_import", ctx, checked, result, running);
}

/* What a check or an import answered, for the page or the API: the
 * report, or the header's fault on the field the file came in (up: a file,
 * not pasted text, whose mark is sha). */
static void answer(struct req *rq, struct resp *rs, enum svc_status st, const struct gias_report *rep, bool dry_run,
                   const char *csv, bool up, const char *sha)
{
    struct field_errors e = {0};
    if (st == SVC_INVALID) {
        char msg[320];
        snprintf(msg, sizeof msg, "%s%s", strncmp(rep->missing, "the ", 4) ? "The header line lacks: " : "",
                 rep->missing);
        if (msg[0] >= 'a' && msg[0] <= 'z')
            msg[0] = (char)(msg[0] - 'a' + 'A');
        field_errors_add(&e, up ? "file" : "csv", msg);
        if (rq->api)
            view_invalid_json(rs, &e);
        else
            render(rq, rs, 400, csv, &e, NULL, NULL, NULL);
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
    /* After an import the form starts empty: the result is on the page.
     * After a check of a file with changes to make, the import asks for it again. */
    bool changes = rep->added + rep->changed + rep->closed > 0;
    render(rq, rs, 200, dry_run ? csv : "", &e, result, up && dry_run && changes ? sha : NULL, NULL);
}

/* The form: empty, or with a file being read (a progress bar, which
 * assets/js/tas-init.js keeps moving; without JavaScript a link reloads
 * the page). */
static void gias_form(struct req *rq, struct resp *rs, json_t *running)
{
    struct field_errors e = {0};
    render(rq, rs, 200, "", &e, NULL, NULL, running);
}

/* A file read: what it came to. */
static void gias_done(struct req *rq, struct resp *rs, const struct import_job_view *v, void *result)
{
    answer(rq, rs, v->status, result, v->dry_run, "", true, v->mark);
}

static const struct import_page gias_page = {"gias", "/schools/import", "rows", sizeof(struct gias_report),
                                             gias_form, gias_done};

/* GET /schools/import: the form; with ?job=N, a file being read, or what
 * it came to. */
static void h_gias_form(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    import_page_get(rq, rs, svc_gias_may_import(&c), &gias_page);
}

/* The job's work: the service's import, its progress passed on. */
static enum svc_status gias_job(struct svc_ctx *c, FILE *in, bool dry_run, const void *params, struct import_job *job,
                                void *result)
{
    (void)params;
    return svc_gias_import(c, in, dry_run, import_job_progress, job, result);
}

/* POST /schools/import: the file or the text, with step "check" (a dry
 * run) or "import"; the API's {csv, dry_run} or multipart {file, dry_run}
 * (a dry run unless dry_run is "no" or false). */
static void h_gias_import(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    if (view_denied(rq, rs, svc_gias_may_import(&c)))
        return;
    bool dry_run = import_page_dry_run(rq);
    struct field_errors e = {0};
    char sha[100];
    const char *csv;
    bool own;
    FILE *in = req_import_source(rq, "csv", "", !rq->api && !dry_run,
                                 rq->api ? "Send the GIAS file (the form field file, or csv)"
                                         : "Choose the GIAS file, or paste its text",
                                 sha, &own, &csv, &e);
    bool up = in && !own;
    if (e.count) {
        if (rq->api)
            view_invalid_json(rs, &e);
        else
            render(rq, rs, 400, csv, &e, NULL, NULL, NULL);
        return;
    }
    if (up && !rq->api) {
        if (!import_job_answer_start(rq, rs, &c, "gias", "/schools/import", in, dry_run, sha, NULL, 0,
                                     sizeof(struct gias_report), gias_job)) {
            field_errors_add(&e, "file", IMPORT_JOB_BUSY);
            render(rq, rs, 409, "", &e, NULL, NULL, NULL);
        }
        return;
    }
    struct gias_report *rep = req_alloc(rq, sizeof *rep);
    if (!in || !rep) {
        if (own)
            fclose(in);
        view_svc_error(rq, rs, SVC_ERROR);
        return;
    }
    enum svc_status st = svc_gias_import(&c, in, dry_run, NULL, NULL, rep);
    if (own)
        fclose(in);
    answer(rq, rs, st, rep, dry_run, csv, up, sha);
}

static const struct route gias_routes[] = {
    {"GET", "/schools/import", h_gias_form, 0},
    {"POST", "/schools/import", h_gias_import, ROUTE_UPLOAD},
    {"POST", "/api/v1/schools/import", h_gias_import, ROUTE_UPLOAD},
};

ROUTE_TABLE(gias_table, gias_routes);
