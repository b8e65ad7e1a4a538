#include "service/svc_toolkits.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "lib/embedded.h"
#include "service/svc_audit.h"
#include "service/svc_cases.h"
#include "service/svc_pupils.h"

static enum svc_status audit(struct svc_ctx *c, const char *action, const char *kind, int64_t id,
                             const struct pupil_row *p, const char *detail)
{
    struct audit_event ev = {.action = action, .kind = kind, .resource_id = id, .detail = detail};
    if (p) {
        ev.pupil_id = p->p.id;
        ev.school_id = p->p.school_id;
        ev.authority_id = p->authority_id;
    }
    return svc_audit_record(c, &ev);
}

/* Runs a change and its audit entry in one write transaction. */
static enum svc_status commit_or_undo(struct svc_ctx *c, enum svc_status st)
{
    if (st != SVC_OK || store_commit(c->db) != STORE_OK) {
        store_rollback(c->db);
        return st != SVC_OK ? st : SVC_ERROR;
    }
    return SVC_OK;
}

/* ---- definitions ---- */

static bool may_load(const struct svc_ctx *c)
{
    return svc_allowed(c, ACT_CREATE, RES_TOOLKIT, 0, 0, 0);
}

enum svc_status svc_toolkit_load(struct svc_ctx *c, const char *text, struct tk_errors *errs,
                                 struct toolkit_def_row *out, bool *unchanged)
{
    *unchanged = false;
    memset(errs, 0, sizeof *errs);
    if (!may_load(c))
        return SVC_FORBIDDEN;
    struct toolkit_def *d = malloc(sizeof *d);
    if (!d)
        return SVC_ERROR;
    if (toolkit_parse(text, d, errs) != 0) {
        free(d);
        return SVC_INVALID;
    }
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", d->name);
    snprintf(out->title, sizeof out->title, "%s", d->title);
    out->version = d->version;
    out->loaded_at = c->now;
    free(d);
    struct toolkit_def_row have;
    char *body = NULL;
    enum store_rc rc = q_toolkit_def_latest(c->db, out->name, &have, &body);
    if (rc == STORE_ROW) {
        bool same = have.version == out->version && strcmp(body, text) == 0;
        free(body);
        if (same) {
            *out = have;
            *unchanged = true;
            return SVC_OK;
        }
        /* Versions only go up, so every completion's version stays as answered. */
        if (have.version >= out->version)
            return SVC_CONFLICT;
    } else if (rc != STORE_DONE) {
        return SVC_ERROR;
    }
    if (store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    enum svc_status st = svc_from_store(q_toolkit_def_insert(c->db, out, text, c->who->user_id));
    if (st == SVC_OK)
        st = audit(c, "create", "toolkit", out->id, NULL, out->name);
    return commit_or_undo(c, st);
}

enum svc_status svc_toolkit_load_builtin(struct svc_ctx *c, size_t *loaded)
{
    *loaded = 0;
    static const char prefix[] = "toolkits/";
    for (size_t i = 0; i < embedded_count; i++) {
        const struct embedded_file *f = &embedded_files[i];
        if (strncmp(f->name, prefix, sizeof prefix - 1) != 0)
            continue;
        struct tk_errors errs;
        struct toolkit_def_row row;
        bool unchanged = false;
        enum svc_status st = svc_toolkit_load(c, (const char *)f->data, &errs, &row, &unchanged);
        /* A later version loaded from a file is not an error. */
        if (st == SVC_CONFLICT)
            continue;
        if (st != SVC_OK)
            return st;
        *loaded += !unchanged;
    }
    return SVC_OK;
}

enum svc_status svc_toolkit_list(struct svc_ctx *c, void (*fn)(void *arg, const struct toolkit_def_row *r),
                                 void *arg)
{
    if (c->who->ngrants == 0)
        return SVC_FORBIDDEN;
    return svc_from_store(q_toolkit_def_list(c->db, fn, arg));
}

/* Parses a stored version; the text was checked when it was loaded. */
static enum svc_status parse_stored(struct svc_ctx *c, int64_t id, struct toolkit_def_row *row,
                                    struct toolkit_def **def)
{
    char *body = NULL;
    enum store_rc rc = q_toolkit_def_get(c->db, id, row, &body);
    if (rc != STORE_ROW)
        return rc == STORE_DONE ? SVC_NOT_FOUND : SVC_ERROR;
    *def = malloc(sizeof **def);
    struct tk_errors errs;
    enum svc_status st = *def && toolkit_parse(body, *def, &errs) == 0 ? SVC_OK : SVC_ERROR;
    free(body);
    if (st != SVC_OK) {
        free(*def);
        *def = NULL;
    }
    return st;
}

enum svc_status svc_toolkit_definition(struct svc_ctx *c, int64_t definition_id, struct toolkit_def **def)
{
    *def = NULL;
    if (c->who->ngrants == 0)
        return SVC_FORBIDDEN;
    struct toolkit_def_row row;
    return parse_stored(c, definition_id, &row, def);
}

/* ---- completions ---- */

/* The pupil if the user may see them, and may act on their case records. */
static enum svc_status pupil_for(struct svc_ctx *c, int64_t pupil_id, enum action a, struct pupil_row *p)
{
    enum svc_status st = svc_pupil_get(c, pupil_id, p);
    if (st != SVC_OK)
        return st;
    if (!svc_case_allowed(c, a, p))
        return a == ACT_VIEW ? SVC_NOT_FOUND : SVC_FORBIDDEN;
    return SVC_OK;
}

/* A case named with a completion must be the pupil's and one the user sees. */
static enum svc_status case_of_pupil(struct svc_ctx *c, int64_t case_id, int64_t pupil_id)
{
    if (case_id <= 0)
        return SVC_OK;
    struct case_row *cr = calloc(1, sizeof *cr);
    if (!cr)
        return SVC_ERROR;
    enum svc_status st = svc_case_get(c, case_id, cr);
    if (st == SVC_OK && cr->pupil_id != pupil_id)
        st = SVC_NOT_FOUND;
    free(cr);
    return st;
}

enum svc_status svc_toolkit_start(struct svc_ctx *c, int64_t pupil_id, int64_t case_id, const char *name,
                                  int64_t *completion_id)
{
    struct pupil_row p;
    enum svc_status st = pupil_for(c, pupil_id, ACT_CREATE, &p);
    if (st == SVC_OK)
        st = case_of_pupil(c, case_id, pupil_id);
    if (st != SVC_OK)
        return st;
    struct toolkit_def_row def;
    enum store_rc rc = q_toolkit_def_latest(c->db, name ? name : "", &def, NULL);
    if (rc != STORE_ROW)
        return rc == STORE_DONE ? SVC_NOT_FOUND : SVC_ERROR;
    struct toolkit_completion_row *r = calloc(1, sizeof *r);
    if (!r)
        return SVC_ERROR;
    r->pupil_id = pupil_id;
    r->case_id = case_id;
    r->definition_id = def.id;
    r->version = def.version;
    r->created_by = c->who->user_id;
    r->created_at = c->now;
    if (store_begin_write(c->db) != STORE_OK) {
        free(r);
        return SVC_ERROR;
    }
    st = svc_from_store(q_toolkit_completion_insert(c->db, r));
    if (st == SVC_OK)
        st = audit(c, "create", "toolkit_completion", r->id, &p, def.name);
    *completion_id = r->id;
    free(r);
    return commit_or_undo(c, st);
}

enum svc_status svc_toolkit_completion_get(struct svc_ctx *c, int64_t completion_id,
                                           struct toolkit_completion_row *out)
{
    enum store_rc rc = q_toolkit_completion_get(c->db, completion_id, out);
    if (rc != STORE_ROW)
        return rc == STORE_DONE ? SVC_NOT_FOUND : SVC_ERROR;
    struct pupil_row p;
    return pupil_for(c, out->pupil_id, ACT_VIEW, &p) == SVC_OK ? SVC_OK : SVC_NOT_FOUND;
}

enum svc_status svc_toolkit_completions(struct svc_ctx *c, int64_t pupil_id,
                                        void (*fn)(void *arg, const struct toolkit_completion_row *r),
                                        void *arg)
{
    struct pupil_row p;
    enum svc_status st = pupil_for(c, pupil_id, ACT_VIEW, &p);
    if (st != SVC_OK)
        return st;
    return svc_from_store(q_toolkit_completion_list(c->db, pupil_id, fn, arg));
}

enum svc_status svc_toolkit_on_file(struct svc_ctx *c, int64_t pupil_id, const char *name, bool *on_file)
{
    *on_file = false;
    struct pupil_row p;
    enum svc_status st = pupil_for(c, pupil_id, ACT_VIEW, &p);
    if (st != SVC_OK)
        return st;
    struct toolkit_completion_row *r = malloc(sizeof *r);
    if (!r)
        return SVC_ERROR;
    /* The last completion before the end of time is the latest of all. */
    enum store_rc rc = q_toolkit_completion_previous(c->db, pupil_id, name, "9999-12-31", INT64_MAX, r);
    free(r);
    *on_file = rc == STORE_ROW;
    return rc == STORE_ROW || rc == STORE_DONE ? SVC_OK : SVC_ERROR;
}

/* The completion, and whether the user may change it. */
static enum svc_status editable(struct svc_ctx *c, int64_t id, struct toolkit_completion_row *r,
                                struct pupil_row *p)
{
    enum svc_status st = svc_toolkit_completion_get(c, id, r);
    if (st != SVC_OK)
        return st;
    if ((st = pupil_for(c, r->pupil_id, ACT_EDIT, p)) != SVC_OK)
        return st;
    return strcmp(r->status, "draft") == 0 ? SVC_OK : SVC_CONFLICT;
}

/* The day a completion is dated: given, or today; never in the future. */
static int completion_day(const struct svc_ctx *c, const char *given, char out[11], struct field_errors *errs)
{
    int32_t d = 0;
    snprintf(out, 11, "%s", given && *given ? given : c->today);
    if (day_parse(out, &d) != 0) {
        field_errors_add(errs, "completed_on", "The date completed must be a real date, like 2026-11-18");
        return -1;
    }
    if (strcmp(out, c->today) > 0) {
        field_errors_add(errs, "completed_on", "The date completed must be today or in the past");
        return -1;
    }
    return 0;
}

/* One error per unanswered item, on the field "item_<id>" (a page links
 * each to its question), as many as the errors hold. */
static void unanswered_errors(const struct toolkit_def *d, const int *ans, struct field_errors *errs)
{
    for (size_t i = 0; i < d->nitems; i++) {
        if (ans[i] != TK_UNANSWERED)
            continue;
        char field[8 + TK_ID_MAX], msg[160];
        snprintf(field, sizeof field, "item_%s", d->items[i].id);
        /* Cut the item's text at a character boundary to fit. */
        const char *text = d->items[i].text;
        size_t n = strlen(text), room = sizeof msg - 40;
        if (n > room) {
            n = room;
            while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
                n--;
        }
        snprintf(msg, sizeof msg, "Select an answer for \"%.*s%s\"", (int)n, text, n < strlen(text) ? "..." : "");
        field_errors_add(errs, field, msg);
    }
}

/* Scores the answers into row and out; -1 with an error when they do not fit. */
static int score_answers(const struct toolkit_def *d, const char *answers, bool complete,
                         struct toolkit_completion_row *row, struct field_errors *errs, struct tk_result *out)
{
    int ans[TK_MAX_ITEMS];
    char msg[160];
    if (toolkit_answers_parse(d, answers ? answers : "", ans, msg, sizeof msg) != 0 ||
        toolkit_score(d, ans, &out->score) != 0) {
        field_errors_add(errs, "answers", msg);
        return -1;
    }
    if (complete && !out->score.complete) {
        snprintf(msg, sizeof msg, "Answer every item to complete the toolkit (%zu of %zu answered)",
                 out->score.answered, d->nitems);
        field_errors_add(errs, "answers", msg);
        unanswered_errors(d, ans, errs);
        return -1;
    }
    if (toolkit_answers_format(d, ans, row->answers, sizeof row->answers) != 0)
        return -1;
    out->complete = complete;
    if (complete) {
        const struct tk_band *b = &d->bands[out->score.band];
        snprintf(out->band_code, sizeof out->band_code, "%s", b->code);
        snprintf(out->band_label, sizeof out->band_label, "%s", b->label);
        row->scored = true;
        row->score = out->score.score;
        snprintf(row->band, sizeof row->band, "%s", b->code);
    }
    snprintf(row->status, sizeof row->status, "%s", complete ? "complete" : "draft");
    return 0;
}

/* The change since the completion before, and whether the threshold was crossed. */
static enum svc_status compare_previous(struct svc_ctx *c, const struct toolkit_def *d,
                                        const struct toolkit_completion_row *row, struct tk_result *out)
{
    struct toolkit_completion_row *prev = malloc(sizeof *prev);
    if (!prev)
        return SVC_ERROR;
    enum store_rc rc = q_toolkit_completion_previous(c->db, row->pupil_id, row->name, row->completed_on, row->id,
                                                     prev);
    if (rc == STORE_ROW && prev->scored) {
        out->has_previous = true;
        out->previous_score = (int)prev->score;
        out->previous_version = prev->version;
        out->change = out->score.score - out->previous_score;
    }
    free(prev);
    if (rc != STORE_ROW && rc != STORE_DONE)
        return SVC_ERROR;
    out->crossed = toolkit_threshold_crossed(d, out->has_previous, out->previous_score, out->score.score);
    return SVC_OK;
}

static enum svc_status raise_flag(struct svc_ctx *c, const struct toolkit_completion_row *row,
                                  const struct pupil_row *p, struct tk_result *out)
{
    struct worklist_flag_row f;
    memset(&f, 0, sizeof f);
    f.pupil_id = row->pupil_id;
    snprintf(f.reason, sizeof f.reason, "toolkit_threshold");
    f.completion_id = row->id;
    snprintf(f.raised_on, sizeof f.raised_on, "%s", c->today);
    enum svc_status st = svc_from_store(q_worklist_flag_insert(c->db, &f, c->now));
    out->flag_id = f.id;
    return st == SVC_OK ? audit(c, "create", "worklist_flag", f.id, p, "toolkit threshold") : st;
}

static enum svc_status save_scored(struct svc_ctx *c, const struct toolkit_def *d,
                                   struct toolkit_completion_row *row, const struct pupil_row *p,
                                   struct tk_result *out)
{
    enum svc_status st = SVC_OK;
    if (out->complete)
        st = compare_previous(c, d, row, out);
    if (st != SVC_OK || store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    row->updated_at = c->now;
    enum store_rc rc = q_toolkit_completion_save(c->db, row);
    st = rc == STORE_DONE ? SVC_CONFLICT : svc_from_store(rc);
    if (st == SVC_OK)
        st = audit(c, "edit", "toolkit_completion", row->id, p, out->complete ? "complete" : "draft");
    if (st == SVC_OK && out->crossed)
        st = raise_flag(c, row, p, out);
    return commit_or_undo(c, st);
}

enum svc_status svc_toolkit_save(struct svc_ctx *c, int64_t completion_id, const char *answers, bool complete,
                                 const char *completed_on, struct field_errors *errs, struct tk_result *out)
{
    memset(out, 0, sizeof *out);
    struct toolkit_completion_row *row = malloc(sizeof *row);
    struct toolkit_def *d = NULL;
    struct pupil_row p;
    if (!row)
        return SVC_ERROR;
    enum svc_status st = editable(c, completion_id, row, &p);
    if (st == SVC_OK)
        st = svc_toolkit_definition(c, row->definition_id, &d);
    if (st == SVC_OK) {
        row->completed_on[0] = '\0';
        if ((complete && completion_day(c, completed_on, row->completed_on, errs) != 0) ||
            score_answers(d, answers, complete, row, errs, out) != 0)
            st = SVC_INVALID;
    }
    if (st == SVC_OK)
        st = save_scored(c, d, row, &p, out);
    free(d);
    free(row);
    return st;
}

/* ---- the work-list flags ---- */

static bool flag_visible(struct svc_ctx *c, const struct worklist_flag_row *r)
{
    /* The SQL narrowed by school and authority; the policy has the last
     * word on each pupil's case records (team grants, consent). */
    struct pupil_row p;
    return pupil_for(c, r->pupil_id, ACT_VIEW, &p) == SVC_OK;
}

SVC_ROW_FILTER(flag_filter, struct worklist_flag_row, flag_visible)

static bool runs_meetings(const struct svc_ctx *c)
{
    struct visibility runs;
    policy_visible(c->who, RES_TEAM, ACT_EDIT, &runs);
    return !policy_visible_none(&runs);
}

enum svc_status svc_toolkit_flags(struct svc_ctx *c, void (*fn)(void *arg, const struct worklist_flag_row *r),
                                  void *arg)
{
    if (!runs_meetings(c))
        return SVC_FORBIDDEN;
    struct visibility v;
    policy_visible(c->who, RES_PUPIL, ACT_LIST, &v);
    if (policy_visible_none(&v))
        return SVC_FORBIDDEN;
    struct flag_filter ff = {.c = c, .fn = fn, .arg = arg};
    return svc_from_store(q_worklist_flags_open(c->db, &v, flag_filter_row, &ff));
}

enum svc_status svc_toolkit_flag_clear(struct svc_ctx *c, int64_t flag_id)
{
    struct worklist_flag_row f;
    enum store_rc rc = q_worklist_flag_get(c->db, flag_id, &f);
    if (rc != STORE_ROW)
        return rc == STORE_DONE ? SVC_NOT_FOUND : SVC_ERROR;
    struct pupil_row p;
    enum svc_status st = pupil_for(c, f.pupil_id, ACT_VIEW, &p);
    if (st != SVC_OK)
        return SVC_NOT_FOUND;
    if (!runs_meetings(c) || !svc_case_allowed(c, ACT_EDIT, &p))
        return SVC_FORBIDDEN;
    if (f.cleared_on[0])
        return SVC_CONFLICT;
    if (store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    st = svc_from_store(q_worklist_flag_clear(c->db, flag_id, c->today, c->who->user_id));
    if (st == SVC_OK)
        st = audit(c, "edit", "worklist_flag", flag_id, &p, "cleared");
    return commit_or_undo(c, st);
}

enum svc_status svc_toolkit_completion_read(struct svc_ctx *c, int64_t completion_id,
                                            struct toolkit_completion_row *row, struct toolkit_def **def,
                                            int *answers, struct tk_result *out)
{
    *def = NULL;
    memset(out, 0, sizeof *out);
    enum svc_status st = svc_toolkit_completion_get(c, completion_id, row);
    if (st == SVC_OK)
        st = svc_toolkit_definition(c, row->definition_id, def);
    if (st != SVC_OK)
        return st;
    char msg[160];
    /* Stored answers were checked against this version when saved. */
    if (toolkit_answers_parse(*def, row->answers, answers, msg, sizeof msg) != 0 ||
        toolkit_score(*def, answers, &out->score) != 0) {
        free(*def);
        *def = NULL;
        return SVC_ERROR;
    }
    if (strcmp(row->status, "complete") != 0)
        return SVC_OK;
    out->complete = true;
    const struct tk_band *b = &(*def)->bands[out->score.band];
    snprintf(out->band_code, sizeof out->band_code, "%s", b->code);
    snprintf(out->band_label, sizeof out->band_label, "%s", b->label);
    st = compare_previous(c, *def, row, out);
    if (st != SVC_OK) {
        free(*def);
        *def = NULL;
    }
    return st;
}
