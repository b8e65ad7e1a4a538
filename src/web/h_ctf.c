/* Pupils from a Common Transfer File: the page where the file is chosen and
 * sent (multipart/form-data, web/upload.h: read as it arrives into a
 * temporary file, up to app.max_upload), checked (a dry run with its
 * report), then sent again and imported all or nothing; and its API twin,
 * which takes the file the same way or its text as JSON.  On the page the
 * file is read on a thread of its own (web/import_job.h): the form answers
 * with /pupils/ctf?job=N, a progress bar until the file has been read, then
 * its report; the API answers when the file has been read.  The work is
 * service/svc_ctf.c's; the policy decides there who may (those who may
 * create pupils at the file's school).  Refused pupils are shown by their
 * place in the file, never by name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/svc_ctf.h"
#include "web/form.h"
#include "web/import_job.h"
#include "web/router.h"
#include "web/view.h"

static bool may_import(const struct svc_ctx *c)
{
    return svc_allowed(c, ACT_CREATE, RES_PUPIL, 0, 0, 0);
}

/* Refused pupils or notes, each by its place in the file; text_key names
 * what is said ("reason", "note"). */
static json_t *entries_json(const struct ctf_entry *list, size_t n, const char *text_key)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:I, s:I, s:s, s:s, s:s}", "pupil", (json_int_t)list[i].index, "line",
                                           (json_int_t)list[i].line, "upn", list[i].upn, "field", list[i].field,
                                           text_key, list[i].text));
    return a;
}

static json_t *report_json(const struct ctf_report *r, bool dry_run, bool ok)
{
    json_t *o = json_pack("{s:b, s:b, s:b, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "dry_run",
                          dry_run, "ok", ok, "written", r->written, "transfer_in", r->transfer_in, "pupils",
                          (json_int_t)r->pupils, "added", (json_int_t)r->added, "changed", (json_int_t)r->changed,
                          "unchanged", (json_int_t)r->unchanged, "rejected", (json_int_t)r->rejected,
                          "upn_replaced", (json_int_t)r->upn_replaced, "outcomes_added",
                          (json_int_t)r->outcomes_added, "outcomes_updated", (json_int_t)r->outcomes_updated,
                          "outcomes_already_stored", (json_int_t)r->outcomes_kept, "lunchtime_exclusions",
                          (json_int_t)r->lunchtimes, "moved", (json_int_t)r->moved);
    json_object_set_new(o, "rejects", entries_json(r->rejects, r->nrejects, "reason"));
    json_object_set_new(o, "notes", entries_json(r->notelist, r->nnotes, "note"));
    if (r->notes > r->nnotes)
        json_object_set_new(o, "more_notes", json_integer((json_int_t)(r->notes - r->nnotes)));
    /* school: where the pupils go (the source, or on a transfer in the
     * destination); the other school named, here or not, as "destination"
     * or "source". */
    const struct ctf_named_school *at = r->transfer_in ? &r->dest : &r->source;
    const struct ctf_named_school *other = r->transfer_in ? &r->source : &r->dest;
    if (at->id)
        json_object_set_new(o, "school", json_pack("{s:I, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)at->id,
                                                   "urn", at->urn, "name", at->name, "la_code", at->la_code,
                                                   "establishment_number", at->estab, "by_la_estab",
                                                   at->by_laestab));
    if (other->given.urn[0] || other->given.lea[0] || other->given.estab[0]) {
        json_t *d = json_pack("{s:s, s:s, s:s, s:b}", "lea", other->given.lea, "estab", other->given.estab, "urn",
                              other->given.urn, "recorded", other->id != 0);
        if (other->id)
            json_object_set_new(d, "school", json_pack("{s:I, s:s, s:s, s:b}", "id", (json_int_t)other->id, "urn",
                                                       other->urn, "name", other->name, "same_as_source",
                                                       other->id == at->id));
        json_object_set_new(o, r->transfer_in ? "source" : "destination", d);
    }
    if (r->malformed)
        json_object_set_new(o, "error", json_pack("{s:I, s:s}", "line", (json_int_t)r->error_line, "reason",
                                                  r->error));
    return o;
}

/* The page: one form, with one file input.  After a clean check it offers
 * the import of the same file (checked: its SHA-256), which the person
 * chooses again: the server keeps no file between requests. */
static void render(struct req *rq, struct resp *rs, int status, const struct field_errors *e, json_t *result,
                   const char *checked, bool transfer_in, json_t *running)
{
    json_t *ctx = view_page(rq, "Import pupils from a Common Transfer File", "pupils");
    view_breadcrumbs(ctx, "/", "Home", "/pupils", "Pupils", NULL);
    view_set_errors(ctx, e);
    const char *accept = ".xml,text/xml,application/xml";
    size_t max_mb = rq->app->max_upload / (1024 * 1024);
    char hint[160];
    snprintf(hint, sizeof hint, "The .xml file your school's management information system exported, up to %zu MB",
             max_mb);
    json_t *file = import_page_file_field(e, checked != NULL, "The Common Transfer File", hint, accept);
    /* Whose pupils: the school that made the file, or one here they join. */
    json_t *whose = fld_radios("transfer_in", "Whose pupils are in the file?", e, 0);
    json_t *items = json_object_get(whose, "items");
    json_array_append_new(items, json_pack("{s:s, s:s, s:b, s:s}", "value", "no", "label",
                                           "Pupils on roll at the school that made the file", "checked", !transfer_in,
                                           "item_hint", "The school's own export: pupils are added or updated at "
                                           "its source school"));
    json_array_append_new(items, json_pack("{s:s, s:s, s:b, s:s}", "value", "yes", "label",
                                           "Pupils joining a school here from another school (a transfer in)",
                                           "checked", transfer_in, "item_hint",
                                           "A file another school sent: pupils are added or updated at the "
                                           "destination school the file is addressed to"));
    json_object_set_new(ctx, "fields", json_pack("{s:o, s:o}", "file", file, "transfer_in", whose));
    json_object_set_new(ctx, "max_mb", json_integer((json_int_t)max_mb));
    import_page_render(rq, rs, status, "pupil_ctf", ctx, checked, result, running);
}

/* What a check or an import came to (e: the file's faults, on "file"),
 * for the page or the API; the import of a file whose check mark is sha
 * is offered after a clean check. */
static void answer(struct req *rq, struct resp *rs, enum svc_status st, const struct ctf_report *rep,
                   const struct field_errors *e, bool dry_run, const char *sha)
{
    if (st != SVC_OK && st != SVC_INVALID) {
        view_svc_error(rq, rs, st);
        return;
    }
    json_t *result = report_json(rep, dry_run, st == SVC_OK);
    if (e->count)
        json_object_set_new(result, "file_errors", view_errors(e));
    if (rq->api) {
        view_json(rs, st == SVC_OK ? 200 : 422, result);
        return;
    }
    render(rq, rs, st == SVC_OK ? 200 : 400, e, result, st == SVC_OK && dry_run ? sha : NULL, rep->transfer_in, NULL);
}

/* A file read on the page's job thread: the service's import with its
 * progress passed on; the report and the file's faults are the result. */
struct ctf_job {
    struct field_errors e;
    struct ctf_report rep;
};

static enum svc_status ctf_job(struct svc_ctx *c, FILE *in, bool dry_run, const void *params, struct import_job *job,
                               void *result)
{
    struct ctf_job *r = result;
    return svc_ctf_import(c, in, dry_run, *(const bool *)params, import_job_progress, job, &r->rep, &r->e);
}

/* The form: empty, or with a file being read. */
static void ctf_form(struct req *rq, struct resp *rs, json_t *running)
{
    struct field_errors none = {0};
    render(rq, rs, 200, &none, NULL, NULL, false, running);
}

/* A file read: its report. */
static void ctf_done(struct req *rq, struct resp *rs, const struct import_job_view *v, void *result)
{
    struct ctf_job *r = result;
    answer(rq, rs, v->status, &r->rep, &r->e, v->dry_run, v->mark);
}

static const struct import_page ctf_page = {"ctf", "/pupils/ctf", "pupils", sizeof(struct ctf_job), ctf_form,
                                            ctf_done};

/* GET /pupils/ctf: the form; with ?job=N, a file being read, or its report. */
static void h_ctf_form(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    import_page_get(rq, rs, may_import(&c), &ctf_page);
}

/* Checks or imports the file sent (the form's file, or the JSON's xml as
 * text): the page imports only the file it has just checked, checked the
 * same way (a transfer in, or not). */
static void import_file(struct req *rq, struct resp *rs, struct svc_ctx *c, bool dry_run, bool transfer_in)
{
    struct field_errors e = {0};
    char sha[100];   /* the file's SHA-256, and ":in" for a transfer in: what was checked */
    const char *text;
    bool own;
    FILE *in = req_import_source(rq, "xml", transfer_in ? ":in" : "", !rq->api && !dry_run,
                                 rq->api ? "Send the Common Transfer File (the form field file, or xml)"
                                         : "Choose the Common Transfer File",
                                 sha, &own, &text, &e);
    if (e.count) {
        if (rq->api)
            view_invalid_json(rs, &e);
        else
            render(rq, rs, 400, &e, NULL, NULL, transfer_in, NULL);
        return;
    }
    if (!in) {
        view_svc_error(rq, rs, SVC_ERROR);
        return;
    }
    if (!own && !rq->api) {
        if (!import_job_answer_start(rq, rs, c, "ctf", "/pupils/ctf", in, dry_run, sha, &transfer_in,
                                     sizeof transfer_in, sizeof(struct ctf_job), ctf_job)) {
            field_errors_add(&e, "file", IMPORT_JOB_BUSY);
            render(rq, rs, 409, &e, NULL, NULL, transfer_in, NULL);
        }
        return;
    }
    struct ctf_report *rep = req_alloc(rq, sizeof *rep);
    enum svc_status st = rep ? svc_ctf_import(c, in, dry_run, transfer_in, NULL, NULL, rep, &e) : SVC_ERROR;
    if (own)
        fclose(in);
    answer(rq, rs, st, rep, &e, dry_run, sha);
}

/* POST /pupils/ctf: the file with step "check" (a dry run) or "import",
 * and transfer_in ("yes": the pupils join the destination school); the
 * API's multipart {file, dry_run, transfer_in} or JSON {xml, dry_run,
 * transfer_in} (a dry run unless dry_run is "no" or false). */
static void h_ctf_import(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    if (view_denied(rq, rs, may_import(&c)))
        return;
    bool dry_run = import_page_dry_run(rq);
    /* A transfer in: "yes" from the form, "yes" or true from the API. */
    const char *tin = req_param(rq, "transfer_in");
    bool transfer_in = tin && (strcmp(tin, "yes") == 0 || strcmp(tin, "true") == 0);
    import_file(rq, rs, &c, dry_run, transfer_in);
}

static const struct route ctf_routes[] = {
    {"GET", "/pupils/ctf", h_ctf_form, 0},
    {"POST", "/pupils/ctf", h_ctf_import, ROUTE_UPLOAD},
    {"POST", "/api/v1/pupils/ctf", h_ctf_import, ROUTE_UPLOAD},
};

ROUTE_TABLE(ctf_table, ctf_routes);
