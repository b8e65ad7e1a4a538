/* A pupil's outcome records: recording one by hand, listing them (JSON; the
 * pupil page shows them), and importing a kind's CSV file, checked first
 * and then written all or nothing.  HTML and JSON.  Data comes from
 * service/svc_outcomes.c, which asks the policy (docs/outcomes.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/validate.h"
#include "lib/count.h"
#include "service/svc_outcomes.h"
#include "service/svc_pupils.h"
#include "web/form.h"
#include "web/import_job.h"
#include "web/records_json.h"
#include "web/router.h"
#include "web/view.h"

static void collect_outcome(void *arr, const struct outcome_row *r)
{
    json_array_append_new(arr, json_outcome(r));
}

/* GET /api/v1/pupils/:id/outcomes: the pupil's records, oldest first. */
static void h_outcome_list(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    json_t *arr = json_array();
    enum svc_status st = svc_outcome_list(&c, rq->id, collect_outcome, arr);
    if (view_failed_drop(rq, rs, st, arr))
        return;
    view_json(rs, 200, json_pack("{s:o}", "outcomes", arr));
}

/* GET /api/v1/cases/:id/outcomes?terms=N: before and after the case was
 * presented, N whole terms either side (2 unless given; 1 to 9). */
static void h_case_before_after(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    const char *t = req_query(rq, "terms");
    long terms = 2;
    if (t && parse_int_strict(t, 1, 9, &terms) != 0) {
        struct field_errors e = {0};
        field_errors_add(&e, "terms", "Terms must be a whole number from 1 to 9");
        view_invalid_json(rs, &e);
        return;
    }
    struct outcome_compare cmp;
    char presented[11];
    if (view_failed(rq, rs, svc_outcome_compare(&c, rq->id, (int)terms, &cmp, presented)))
        return;
    json_t *o = json_outcome_compare(&cmp, presented, (int)terms);
    json_object_del(o, "chart");
    view_json(rs, 200, json_pack("{s:o}", "before_after", o));
}

/* ---- recording one ---- */

static const struct req_field outcome_fields[] = {
    REQ_FIELD(struct outcome_form, kind),
    REQ_FIELD(struct outcome_form, code),
    REQ_FIELD(struct outcome_form, sessions_possible),
    REQ_FIELD(struct outcome_form, sessions_missed),
    REQ_FIELD(struct outcome_form, sessions),
};

static void read_outcome(struct req *rq, struct outcome_form *f)
{
    memset(f, 0, sizeof *f);
    req_fields(rq, outcome_fields, COUNT(outcome_fields), f);
    req_date_parts(rq, "starts", "starts_on", &f->starts_day, &f->starts_month, &f->starts_year);
    req_date_parts(rq, "ends", "ends_on", &f->ends_day, &f->ends_month, &f->ends_year);
}

/* What the dates of a kind are called on the form. */
static void date_legends(enum outcome_kind k, const char **starts, const char **ends, const char **ends_hint)
{
    *ends = "End date (optional)";
    *ends_hint = "Leave blank if it is still going on";
    switch (k) {
    case OUT_ATTENDANCE:
        *starts = "First day of the term";
        *ends = "Last day of the term";
        *ends_hint = NULL;
        break;
    case OUT_SUSPENSION: *starts = "First day of the suspension"; break;
    case OUT_LUNCHTIME: *starts = "Day of the (first) lunchtime exclusion"; break;
    case OUT_EXCLUSION: *starts = "Date of the permanent exclusion"; break;
    case OUT_EHC_ASSESSMENT: *starts = "Date of the decision or request"; break;
    case OUT_AP_PLACEMENT:
        *starts = "Start of the placement";
        *ends = "Date of return to mainstream (optional)";
        *ends_hint = "Leave blank if the pupil is still in alternative provision";
        break;
    case OUT_POST16: *starts = "Date the destination was known"; break;
    case OUT_EAL: *starts = "Date recorded"; break;
    default: *starts = "Start date"; break;
    }
}

/* The pupil's name for headings. */
static const char *pupil_name(struct req *rq, const struct pupil_row *p)
{
    char name[2 * TAS_NAME_MAX + 2];
    snprintf(name, sizeof name, "%s %s", p->p.forenames, p->p.surname);
    return req_keep(rq, name);
}

/* The choice of kind, a GET form; with an error when it was sent empty. */
static void render_kind_choice(struct req *rq, struct resp *rs, int status, const struct pupil_row *p,
                               const struct field_errors *e)
{
    const char *name = pupil_name(rq, p);
    json_t *ctx = view_page(rq, "Add an outcome record", "pupils");
    char back[64];
    snprintf(back, sizeof back, "/pupils/%lld", (long long)p->p.id);
    view_breadcrumbs(ctx, "/", "Home", "/pupils", "Pupils", back, name, NULL);
    json_object_set_new(ctx, "pupil_name", json_string(name));
    json_object_set_new(ctx, "cancel_href", json_string(back));
    char action[64];
    snprintf(action, sizeof action, "/pupils/%lld/outcomes/new", (long long)p->p.id);
    json_object_set_new(ctx, "action", json_string(action));
    view_set_errors(ctx, e);
    json_t *kind = fld_input("kind", NULL, NULL, e, NULL);
    json_object_del(kind, "label");
    json_object_del(kind, "value");
    fld_set(kind, "legend", "What kind of outcome record are you adding?");
    fld_set(kind, "legend_class", "govuk-fieldset__legend--l");
    json_object_set_new(kind, "page_heading", json_true());
    json_t *items = json_array();
    for (int k = 0; k < OUT__COUNT; k++)
        json_array_append_new(items, json_pack("{s:s, s:s, s:b}", "value", outcome_kind_code((enum outcome_kind)k),
                                               "label", outcome_kind_label((enum outcome_kind)k), "checked", 0));
    json_object_set_new(kind, "items", items);
    json_object_set_new(ctx, "kind", kind);
    view_render(rq, rs, status, "outcome_kind", ctx);
}

static void render_form(struct req *rq, struct resp *rs, int status, const struct pupil_row *p,
                        enum outcome_kind k, const struct outcome_form *f, const struct field_errors *e)
{
    const char *name = pupil_name(rq, p);
    char title[96];
    snprintf(title, sizeof title, "Add a record: %s", outcome_kind_label(k));
    json_t *ctx = view_page(rq, title, "pupils");
    char back[64], action[64];
    snprintf(back, sizeof back, "/pupils/%lld", (long long)p->p.id);
    snprintf(action, sizeof action, "/pupils/%lld/outcomes", (long long)p->p.id);
    view_breadcrumbs(ctx, "/", "Home", "/pupils", "Pupils", back, name, NULL);
    json_object_set_new(ctx, "pupil_name", json_string(name));
    json_object_set_new(ctx, "kind", json_string(outcome_kind_code(k)));
    json_object_set_new(ctx, "kind_label", json_string(outcome_kind_label(k)));
    json_object_set_new(ctx, "action", json_string(action));
    json_object_set_new(ctx, "cancel_href", json_string(back));
    view_set_errors(ctx, e);
    const char *starts, *ends, *ends_hint;
    date_legends(k, &starts, &ends, &ends_hint);
    json_t *fields = json_object();
    json_object_set_new(fields, "starts", fld_date("starts", starts, f->starts_day, f->starts_month,
                                                   f->starts_year, e, "For example, 4 9 2025"));
    if (outcome_kind_has_end(k))
        json_object_set_new(fields, "ends", fld_date("ends", ends, f->ends_day, f->ends_month, f->ends_year, e,
                                                     ends_hint));
    if (k == OUT_ATTENDANCE) {
        json_t *pos = fld_input("sessions_possible", "Sessions possible", f->sessions_possible, e,
                                "Two sessions a day (morning and afternoon) the school was open to the pupil");
        json_t *mis = fld_input("sessions_missed", "Sessions missed", f->sessions_missed, e,
                                "Authorised and unauthorised absence together");
        fld_set(pos, "width_class", "govuk-input--width-4");
        fld_set(mis, "width_class", "govuk-input--width-4");
        fld_set(pos, "inputmode", "numeric");
        fld_set(mis, "inputmode", "numeric");
        json_object_set_new(fields, "sessions_possible", pos);
        json_object_set_new(fields, "sessions_missed", mis);
    }
    if (outcome_kind_has_sessions(k)) {
        json_object_set_new(
            fields, "sessions",
            fld_number(fld_input("sessions", "Length in sessions", f->sessions, e,
                                 k == OUT_LUNCHTIME ? "One session a lunchtime: excluded for 3 lunchtimes is 3 sessions"
                                                    : "Two sessions a day: a suspension of 3 days is 6 sessions"),
                       "govuk-input--width-4", "numeric"));
    }
    const struct code_list *codes = outcome_kind_codes(k);
    if (codes && outcome_kind_is_exclusion(k))
        json_object_set_new(fields, "code_select",
                            fld_select_codes("code", "Reason (DfE code)", f->code, e, codes, "Select the reason"));
    else if (codes)
        json_object_set_new(fields, "code_radios",
                            fld_radios_codes("code", k == OUT_POST16 ? "Destination" : k == OUT_SOCIAL_CARE
                                                                                           ? "Category"
                                                                                           : "Status",
                                             f->code, e, codes, 0));
    json_object_set_new(ctx, "fields", fields);
    view_render(rq, rs, status, "outcome_form", ctx);
}

/* The pupil rq->id, if the user may record outcomes for them; otherwise
 * answers (not found, as the service would) and returns false. */
static bool pupil_to_record(struct req *rq, struct resp *rs, struct svc_ctx *c, struct pupil_row *p)
{
    enum svc_status st = svc_pupil_get(c, rq->id, p);
    if (st == SVC_OK && !svc_case_allowed(c, ACT_CREATE, p))
        st = svc_case_allowed(c, ACT_VIEW, p) ? SVC_FORBIDDEN : SVC_NOT_FOUND;
    return !view_failed(rq, rs, st);
}

/* GET /pupils/:id/outcomes/new?kind=K: the kind's form; without a kind,
 * the choice of kind (a GET form, so it works without JavaScript). */
static void h_outcome_new(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct pupil_row p;
    if (!pupil_to_record(rq, rs, &c, &p))
        return;
    enum outcome_kind k;
    const char *kind = req_query(rq, "kind");
    struct field_errors e = {0};
    if (outcome_kind_from_code(kind, &k) != 0) {
        /* Sent without a choice (a browser sends no radio then, so the
         * form says it was sent): said as GOV.UK radios say it. */
        bool sent = kind || req_query(rq, "choose");
        if (sent)
            field_errors_add(&e, "kind", "Select the kind of outcome record");
        render_kind_choice(rq, rs, sent ? 400 : 200, &p, &e);
        return;
    }
    struct outcome_form f = {0};
    render_form(rq, rs, 200, &p, k, &f, &e);
}

struct find_one {
    int64_t id;
    json_t *found;
};

static void find_outcome(void *arg, const struct outcome_row *r)
{
    struct find_one *f = arg;
    if (r->id == f->id && !f->found)
        f->found = json_outcome(r);
}

/* POST /pupils/:id/outcomes (form) and /api/v1/pupils/:id/outcomes (JSON). */
static void h_outcome_create(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct outcome_form f;
    read_outcome(rq, &f);
    struct field_errors e = {0};
    int64_t id = 0;
    enum svc_status st = svc_outcome_record(&c, rq->id, &f, &e, &id);
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK) {
        struct find_one one = {id, NULL};
        if (rq->api)
            (void)svc_outcome_list(&c, rq->id, find_outcome, &one);
        view_saved(rq, rs, 201, "outcome", one.found, "/pupils/%lld?saved=outcome#outcomes", (long long)rq->id);
        return;
    }
    if (n != SAVE_FORM)
        return;
    struct pupil_row p;
    enum outcome_kind k;
    if (svc_pupil_get(&c, rq->id, &p) != SVC_OK)
        view_svc_error(rq, rs, SVC_NOT_FOUND);
    else if (outcome_kind_from_code(f.kind, &k) != 0)
        render_kind_choice(rq, rs, 400, &p, &e);
    else
        render_form(rq, rs, 400, &p, k, &f, &e);
}

/* ---- importing a CSV file ---- */

/* Who sees the import page: whoever may record a pupil's outcomes
 * somewhere (the service still checks every row's pupil). */
static bool may_import(const struct svc_ctx *c)
{
    return svc_allowed(c, ACT_CREATE, RES_CASE, 0, 0, 0);
}

static json_t *kind_select(const char *current, const struct field_errors *e)
{
    json_t *f = fld_select_blank("kind", "Kind of record", e, "One kind of record a file", "Select the kind",
                                 current);
    for (int k = 0; k < OUT__COUNT; k++)
        fld_add_option(f, outcome_kind_code((enum outcome_kind)k), outcome_kind_label((enum outcome_kind)k),
                       current);
    return f;
}

static json_t *layouts_json(void)
{
    json_t *arr = json_array();
    for (int k = 0; k < OUT__COUNT; k++)
        json_array_append_new(arr, json_pack("{s:s, s:s}", "label", outcome_kind_label((enum outcome_kind)k),
                                             "header", svc_outcome_csv_header((enum outcome_kind)k)));
    return arr;
}

/* The import page: the form, and after a check or an import its result
 * (result NULL: the empty form).  checked: the mark of a file just checked
 * and found clean, which the import of that same file sends back. */
static void render_import(struct req *rq, struct resp *rs, int status, const char *kind, const char *csv,
                          const struct field_errors *e, json_t *result, const char *checked, json_t *running)
{
    json_t *ctx = view_page(rq, "Import outcome records", "pupils");
    view_breadcrumbs(ctx, "/", "Home", "/pupils", "Pupils", NULL);
    view_set_errors(ctx, e);
    json_t *fields = json_object();
    json_object_set_new(fields, "kind", kind_select(kind, e));
    size_t max_mb = rq->app->max_upload / (1024 * 1024);
    char hint[200];
    snprintf(hint, sizeof hint, "The .csv file with the header line of its kind (below), UTF-8, up to %zu MB",
             max_mb);
    json_object_set_new(fields, "file", import_page_file_field(e, checked, "The CSV file", hint, ".csv,text/csv"));
    json_t *text = fld_textarea("csv", "Or paste the file's text", csv, e,
                                "For a short file: open it in a text editor, copy everything, header line "
                                "included, and paste it here (up to 64 KB)");
    json_object_set_new(text, "rows", json_integer(12));
    json_object_set_new(text, "spellcheck_off", json_true());
    json_object_set_new(fields, "csv", text);
    json_object_set_new(ctx, "fields", fields);
    json_object_set_new(ctx, "layouts", layouts_json());
    import_page_render(rq, rs, status, "outcome_import", ctx, checked, result, running);
}

/* What a check or an import came to, for the page or the API: problems
 * lists nshown of all nproblems; the page's kind and text are shown again
 * unless the import was done; up (a file, whose check mark is mark) is
 * offered for import after a clean check. */
struct outcome_answer {
    enum outcome_kind kind;
    bool dry_run;
    size_t lines;
    struct outcome_import_report rep;
    const struct outcome_problem *problems;
    size_t nshown, nproblems;
};

static void answer(struct req *rq, struct resp *rs, enum svc_status st, const struct outcome_answer *a,
                   const char *kind, const char *csv, bool up, const char *mark)
{
    if (st != SVC_OK && st != SVC_INVALID) {
        view_svc_error(rq, rs, st);
        return;
    }
    json_t *probs = json_array();
    for (size_t i = 0; i < a->nshown; i++)
        json_array_append_new(probs, json_pack("{s:I, s:s, s:s}", "line", (json_int_t)a->problems[i].line, "field",
                                               a->problems[i].field, "reason", a->problems[i].why));
    json_t *result = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:b, s:b, s:o}", "kind", outcome_kind_code(a->kind),
                               "kind_label", outcome_kind_label(a->kind), "lines", (json_int_t)a->lines, "records",
                               (json_int_t)a->rep.rows, "pupils", (json_int_t)a->rep.pupils, "written",
                               (json_int_t)a->rep.written, "dry_run", a->dry_run, "ok", st == SVC_OK, "problems",
                               probs);
    json_object_set_new(result, "nproblems", json_integer((json_int_t)a->nproblems));
    if (rq->api) {
        view_json(rs, st == SVC_OK ? 200 : 422, result);
        return;
    }
    char say[96];
    size_t n = a->dry_run ? a->rep.rows : a->rep.written;
    snprintf(say, sizeof say, "%zu %s for %zu %s", n, n == 1 ? "record" : "records", a->rep.pupils,
             a->rep.pupils == 1 ? "pupil" : "pupils");
    json_object_set_new(result, "summary", json_string(say));
    snprintf(say, sizeof say, "%zu %s", a->nproblems, a->nproblems == 1 ? "problem" : "problems");
    json_object_set_new(result, "problems_text", json_string(say));
    if (a->nproblems > a->nshown)
        json_object_set_new(result, "more_problems", json_integer((json_int_t)(a->nproblems - a->nshown)));
    /* After a successful import the form starts empty again: sending the
     * same text twice would be refused row by row anyway. */
    bool done = st == SVC_OK && !a->dry_run;
    struct field_errors none = {0};
    render_import(rq, rs, st == SVC_OK ? 200 : 400, done ? "" : kind, done ? "" : csv, &none, result,
                  up && st == SVC_OK && a->dry_run ? mark : NULL, NULL);
}

/* A file read on the page's job thread (web/import_job.h): the import's
 * counts and the first problems, flat, as the job keeps them. */
#define OUTCOME_JOB_PROBLEMS 200
struct outcome_job {
    size_t lines;
    struct outcome_import_report rep;
    size_t nproblems, nshown;
    struct outcome_problem problems[OUTCOME_JOB_PROBLEMS];
};

static enum svc_status outcome_job(struct svc_ctx *c, FILE *in, bool dry_run, const void *params,
                                   struct import_job *job, void *result)
{
    struct outcome_job *o = result;
    struct outcome_csv_result r;
    enum svc_status st =
        svc_outcomes_import_csv(c, in, *(const enum outcome_kind *)params, dry_run, import_job_progress,
                                import_job_checked, job, &r);
    o->lines = r.lines;
    o->rep = r.rep;
    o->nproblems = r.nproblems;
    o->nshown = r.nproblems < OUTCOME_JOB_PROBLEMS ? r.nproblems : OUTCOME_JOB_PROBLEMS;
    if (o->nshown)
        memcpy(o->problems, r.problems, o->nshown * sizeof *o->problems);
    svc_outcome_csv_free(&r);
    return st;
}

static void import_form(struct req *rq, struct resp *rs, json_t *running)
{
    struct field_errors e = {0};
    render_import(rq, rs, 200, "", "", &e, NULL, NULL, running);
}

/* What a file read as a job came to; the kind is the job's own, from the
 * end of its check mark (":kind"). */
static void import_done(struct req *rq, struct resp *rs, const struct import_job_view *v, void *result)
{
    const struct outcome_job *o = result;
    const char *colon = strrchr(v->mark, ':');
    enum outcome_kind k = OUT_ATTENDANCE;
    if (!colon || outcome_kind_from_code(colon + 1, &k) != 0) {
        view_svc_error(rq, rs, SVC_ERROR);
        return;
    }
    struct outcome_answer a = {k, v->dry_run, o->lines, o->rep, o->problems, o->nshown, o->nproblems};
    answer(rq, rs, v->status, &a, colon + 1, "", true, v->mark);
}

static const struct import_page outcome_page = {"outcomes", "/outcomes/import", "rows", sizeof(struct outcome_job),
                                               import_form, import_done};

/* GET /outcomes/import: the form; with ?job=N, a file being read, or what
 * it came to. */
static void h_outcome_import_form(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    import_page_get(rq, rs, may_import(&c), &outcome_page);
}

/* POST /outcomes/import: "check" (a dry run) or "import" (all or nothing)
 * of the file sent (multipart/form-data, web/upload.h) or the text pasted;
 * the API's {kind, csv, dry_run} as JSON, or kind, dry_run and the file
 * as multipart.  The page imports a file only when it sends back the mark
 * of its clean check (its SHA-256 and kind); it reads a file as a job. */
static void h_outcome_import(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    if (view_denied(rq, rs, may_import(&c)))
        return;
    const char *kind = req_param(rq, "kind"), *csv = req_param(rq, "csv");
    bool dry_run = import_page_dry_run(rq);
    struct field_errors e = {0};
    enum outcome_kind k = OUT_ATTENDANCE;
    if (outcome_kind_from_code(kind, &k) != 0)
        field_errors_add(&e, "kind", "Select the kind of record");
    /* The file's mark: its SHA-256 and the kind it was checked as. */
    char mark[100], suffix[40];
    snprintf(suffix, sizeof suffix, ":%.32s", kind ? kind : "");
    bool own;
    FILE *in = e.count ? NULL
                       : req_import_source(rq, "csv", suffix, !rq->api && !dry_run,
                                           rq->api ? "Send the CSV file (the form field file, or csv)"
                                                   : "Choose the CSV file, or paste its text",
                                           mark, &own, &csv, &e);
    bool up = in && !own;
    if (e.count) {
        if (rq->api)
            view_invalid_json(rs, &e);
        else
            render_import(rq, rs, 400, kind ? kind : "", csv ? csv : "", &e, NULL, NULL, NULL);
        return;
    }
    if (!in) {
        view_svc_error(rq, rs, SVC_ERROR);
        return;
    }
    if (up && !rq->api) {
        if (!import_job_answer_start(rq, rs, &c, "outcomes", "/outcomes/import", in, dry_run, mark, &k, sizeof k,
                                     sizeof(struct outcome_job), outcome_job)) {
            field_errors_add(&e, "file", IMPORT_JOB_BUSY);
            render_import(rq, rs, 409, kind, "", &e, NULL, NULL, NULL);
        }
        return;
    }
    struct outcome_csv_result r;
    enum svc_status st = svc_outcomes_import_csv(&c, in, k, dry_run, NULL, NULL, NULL, &r);
    if (own)
        fclose(in);
    struct outcome_answer a = {k, dry_run, r.lines, r.rep, r.problems, r.nproblems, r.nproblems};
    answer(rq, rs, st, &a, kind, csv ? csv : "", up, mark);
    svc_outcome_csv_free(&r);
}

static const struct route outcomes_routes[] = {
    {"GET", "/pupils/:id/outcomes/new", h_outcome_new, 0},
    {"POST", "/pupils/:id/outcomes", h_outcome_create, 0},
    {"GET", "/outcomes/import", h_outcome_import_form, 0},
    {"POST", "/outcomes/import", h_outcome_import, ROUTE_UPLOAD},

    {"GET", "/api/v1/pupils/:id/outcomes", h_outcome_list, 0},
    {"GET", "/api/v1/cases/:id/outcomes", h_case_before_after, 0},
    {"POST", "/api/v1/pupils/:id/outcomes", h_outcome_create, 0},
    {"POST", "/api/v1/outcomes/import", h_outcome_import, ROUTE_UPLOAD},
};

ROUTE_TABLE(outcomes_table, outcomes_routes);
