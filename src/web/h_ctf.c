/* Pupils from a Common Transfer File: the page where the file is chosen and
 * sent (multipart/form-data, web/upload.h: read as it arrives into a
 * temporary file, up to app.max_upload), checked (a dry run with its
 * report), then sent again and imported all or nothing; and its API twin,
 * which takes the file the same way or its text as JSON.  The work is
 * service/svc_ctf.c's; the policy decides there who may (those who may
 * create pupils at the file's school).  Refused pupils are shown by their
 * place in the file, never by name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/svc_ctf.h"
#include "web/form.h"
#include "web/router.h"
#include "web/view.h"

/* The report's counts, by the names of the JSON and the page; the address
 * after an import (PRG) carries them in this order, joined by dots. */
static const char *const count_names[] = {
    "pupils", "added", "changed", "unchanged", "rejected", "upn_replaced", "outcomes_added", "outcomes_updated",
    "outcomes_already_stored", "lunchtime_exclusions", "moved",
};
#define NCOUNTS (sizeof count_names / sizeof count_names[0])

static void report_counts(const struct ctf_report *r, size_t out[NCOUNTS])
{
    const size_t v[NCOUNTS] = {r->pupils,         r->added,          r->changed,      r->unchanged,
                               r->rejected,       r->upn_replaced,   r->outcomes_added, r->outcomes_updated,
                               r->outcomes_kept,  r->lunchtimes,     r->moved};
    memcpy(out, v, sizeof v);
}

static bool may_import(const struct svc_ctx *c)
{
    return svc_allowed(c, ACT_CREATE, RES_PUPIL, 0, 0, 0);
}

static json_t *result_json(const size_t counts[NCOUNTS], bool dry_run, bool ok, bool written, bool transfer_in)
{
    json_t *o = json_pack("{s:b, s:b, s:b, s:b}", "dry_run", dry_run, "ok", ok, "written", written, "transfer_in",
                          transfer_in);
    for (size_t i = 0; i < NCOUNTS; i++)
        json_object_set_new(o, count_names[i], json_integer((json_int_t)counts[i]));
    return o;
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
    size_t counts[NCOUNTS];
    report_counts(r, counts);
    json_t *o = result_json(counts, dry_run, ok, r->written, r->transfer_in);
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
                   const char *checked, bool transfer_in)
{
    json_t *ctx = view_page(rq, "Import pupils from a Common Transfer File", "pupils");
    view_breadcrumbs(ctx, "/", "Home", "/pupils", "Pupils", NULL);
    if (e->count)
        json_object_set_new(ctx, "errors", view_errors(e));
    const char *accept = ".xml,text/xml,application/xml";
    size_t max_mb = rq->app->max_upload / (1024 * 1024);
    char hint[160];
    snprintf(hint, sizeof hint, "The .xml file your school's management information system exported, up to %zu MB",
             max_mb);
    json_t *file = checked
        ? fld_file("file", "Choose the same file again to import it", e,
                   "The file was checked but is not kept here, so it is sent again. A different file must be "
                   "checked first.", accept)
        : fld_file("file", "The Common Transfer File", e, hint, accept);
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
    if (checked)
        json_object_set_new(ctx, "checked", json_string(checked));
    if (result)
        json_object_set_new(ctx, "result", result);
    view_render(rq, rs, status, "pupil_ctf", ctx);
}

/* GET /pupils/ctf; after an import (redirected here, ?imported=COUNTS),
 * its counts. */
static void h_ctf_form(struct req *rq, struct resp *rs)
{
    struct svc_ctx c;
    req_svc_ctx(rq, &c);
    if (!may_import(&c)) {
        view_svc_error(rq, rs, SVC_FORBIDDEN);
        return;
    }
    struct field_errors e = {0};
    json_t *result = NULL;
    const char *imported = req_query(rq, "imported");
    if (imported) {
        size_t counts[NCOUNTS] = {0};
        const char *p = imported;
        for (size_t i = 0; i < NCOUNTS && *p; i++) {
            char *end;
            counts[i] = strtoul(p, &end, 10);
            p = end + (*end == '.');
        }
        result = result_json(counts, false, true, true, req_query(rq, "transfer_in") != NULL);
    }
    render(rq, rs, 200, &e, result, NULL, false);
}

/* The import of a stream whose check mark is sha. */
static void import_stream(struct req *rq, struct resp *rs, struct svc_ctx *c, FILE *in, bool dry_run,
                          bool transfer_in, const char *sha)
{
    struct field_errors e = {0};
    struct ctf_report *rep = req_alloc(rq, sizeof *rep);
    if (!rep) {
        view_svc_error(rq, rs, SVC_ERROR);
        return;
    }
    enum svc_status st = svc_ctf_import(c, in, dry_run, transfer_in, rep, &e);
    if (st != SVC_OK && st != SVC_INVALID) {
        view_svc_error(rq, rs, st);
        return;
    }
    if (!rq->api && st == SVC_OK && !dry_run) {
        /* Done: to the page with the counts, so the form's one-time token
         * answers a second press with this same page (web/view.c keeps
         * addresses shorter than FORM_TOKEN_LOCATION_MAX, 160: this one is
         * at most 21 + 10 numbers). */
        size_t counts[NCOUNTS];
        report_counts(rep, counts);
        struct buf loc = BUF_INIT;
        buf_puts(&loc, "/pupils/ctf?imported=");
        for (size_t i = 0; i < NCOUNTS; i++)
            buf_printf(&loc, "%s%zu", i ? "." : "", counts[i]);
        if (transfer_in)
            buf_puts(&loc, "&transfer_in=yes");
        resp_redirect(rs, buf_str(&loc));
        buf_free(&loc);
        return;
    }
    json_t *result = report_json(rep, dry_run, st == SVC_OK);
    if (e.count)
        json_object_set_new(result, "file_errors", view_errors(&e));
    if (rq->api) {
        view_json(rs, st == SVC_OK ? 200 : 422, result);
        return;
    }
    struct field_errors none = {0};
    render(rq, rs, st == SVC_OK ? 200 : 400, e.count ? &e : &none, result, st == SVC_OK ? sha : NULL, transfer_in);
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
            render(rq, rs, 400, &e, NULL, NULL, transfer_in);
        return;
    }
    if (!in) {
        view_svc_error(rq, rs, SVC_ERROR);
        return;
    }
    import_stream(rq, rs, c, in, dry_run, transfer_in, sha);
    if (own)
        fclose(in);
}

/* POST /pupils/ctf: the file with step "check" (a dry run) or "import",
 * and transfer_in ("yes": the pupils join the destination school); the
 * API's multipart {file, dry_run, transfer_in} or JSON {xml, dry_run,
 * transfer_in} (a dry run unless dry_run is "no" or false). */
static void h_ctf_import(struct req *rq, struct resp *rs)
{
    struct svc_ctx c;
    req_svc_ctx(rq, &c);
    if (!may_import(&c)) {
        view_svc_error(rq, rs, SVC_FORBIDDEN);
        return;
    }
    const char *step = req_param(rq, "step"), *dry = req_param(rq, "dry_run");
    bool dry_run = rq->api ? !dry || (strcmp(dry, "no") != 0 && strcmp(dry, "false") != 0)
                           : !step || strcmp(step, "import") != 0;
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
