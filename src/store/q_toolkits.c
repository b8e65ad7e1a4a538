#include "store/q_toolkits.h"

#include <stdlib.h>
#include <string.h>

#define DEF_COLS "id, name, version, title, loaded_at, body"

static enum store_rc read_def(struct store_stmt *st, struct toolkit_def_row *r, char **body)
{
    memset(r, 0, sizeof *r);
    r->id = store_col_int(st, 0);
    store_col_copy(st, 1, r->name, sizeof r->name);
    r->version = (int)store_col_int(st, 2);
    store_col_copy(st, 3, r->title, sizeof r->title);
    r->loaded_at = store_col_int(st, 4);
    if (!body)
        return STORE_ROW;
    *body = strdup(store_col_text(st, 5));
    return *body ? STORE_ROW : STORE_ERROR;
}

static enum store_rc one_def(struct store_stmt *st, struct toolkit_def_row *out, char **body)
{
    enum store_rc rc = store_step(st);
    if (rc == STORE_ROW)
        rc = read_def(st, out, body);
    store_done(st);
    return rc;
}

enum store_rc q_toolkit_def_insert(struct store *s, struct toolkit_def_row *r, const char *body, int64_t by)
{
    struct store_stmt *st = store_prepare(s,
        "INSERT INTO toolkit_definitions (name, version, title, body, loaded_by, loaded_at) "
        "VALUES (?,?,?,?,?,?) RETURNING id");
    if (!st)
        return STORE_ERROR;
    store_bind_text(st, 1, r->name);
    store_bind_int(st, 2, r->version);
    store_bind_text(st, 3, r->title);
    store_bind_text(st, 4, body);
    if (by > 0)
        store_bind_int(st, 5, by);
    else
        store_bind_null(st, 5);
    store_bind_int(st, 6, r->loaded_at);
    enum store_rc rc = store_step(st);
    if (rc == STORE_ROW)
        r->id = store_col_int(st, 0);
    store_done(st);
    return rc == STORE_ROW ? STORE_OK : rc;
}

enum store_rc q_toolkit_def_get(struct store *s, int64_t id, struct toolkit_def_row *out, char **body)
{
    struct store_stmt *st = store_prepare(s, "SELECT " DEF_COLS " FROM toolkit_definitions WHERE id = ?");
    if (!st)
        return STORE_ERROR;
    store_bind_int(st, 1, id);
    return one_def(st, out, body);
}

enum store_rc q_toolkit_def_latest(struct store *s, const char *name, struct toolkit_def_row *out, char **body)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT " DEF_COLS " FROM toolkit_definitions WHERE name = ? ORDER BY version DESC LIMIT 1");
    if (!st)
        return STORE_ERROR;
    store_bind_text(st, 1, name);
    return one_def(st, out, body);
}

enum store_rc q_toolkit_def_find(struct store *s, const char *name, int version, struct toolkit_def_row *out,
                                 char **body)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT " DEF_COLS " FROM toolkit_definitions WHERE name = ? AND version = ?");
    if (!st)
        return STORE_ERROR;
    store_bind_text(st, 1, name);
    store_bind_int(st, 2, version);
    return one_def(st, out, body);
}

enum store_rc q_toolkit_def_list(struct store *s, void (*fn)(void *arg, const struct toolkit_def_row *r),
                                 void *arg)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT " DEF_COLS " FROM toolkit_definitions ORDER BY name, version");
    if (!st)
        return STORE_ERROR;
    enum store_rc rc;
    while ((rc = store_step(st)) == STORE_ROW) {
        struct toolkit_def_row r;
        read_def(st, &r, NULL);
        fn(arg, &r);
    }
    store_done(st);
    return rc == STORE_DONE ? STORE_OK : rc;
}

/* ---- completions ---- */

#define C_COLS "c.id, c.pupil_id, coalesce(c.case_id, 0), c.definition_id, c.version, c.answers, c.status, " \
    "c.score IS NOT NULL, coalesce(c.score, 0), coalesce(c.band, ''), coalesce(c.completed_on, ''), " \
    "coalesce(c.created_by, 0), c.created_at, c.updated_at, d.name, d.title"
#define C_FROM " FROM toolkit_completions c JOIN toolkit_definitions d ON d.id = c.definition_id "

static void read_completion(struct store_stmt *st, struct toolkit_completion_row *r)
{
    memset(r, 0, sizeof *r);
    r->id = store_col_int(st, 0);
    r->pupil_id = store_col_int(st, 1);
    r->case_id = store_col_int(st, 2);
    r->definition_id = store_col_int(st, 3);
    r->version = (int)store_col_int(st, 4);
    store_col_copy(st, 5, r->answers, sizeof r->answers);
    store_col_copy(st, 6, r->status, sizeof r->status);
    r->scored = store_col_int(st, 7) != 0;
    r->score = store_col_int(st, 8);
    store_col_copy(st, 9, r->band, sizeof r->band);
    store_col_copy(st, 10, r->completed_on, sizeof r->completed_on);
    r->created_by = store_col_int(st, 11);
    r->created_at = store_col_int(st, 12);
    r->updated_at = store_col_int(st, 13);
    store_col_copy(st, 14, r->name, sizeof r->name);
    store_col_copy(st, 15, r->title, sizeof r->title);
}

static enum store_rc one_completion(struct store_stmt *st, struct toolkit_completion_row *out)
{
    enum store_rc rc = store_step(st);
    if (rc == STORE_ROW)
        read_completion(st, out);
    store_done(st);
    return rc;
}

enum store_rc q_toolkit_completion_insert(struct store *s, struct toolkit_completion_row *r)
{
    struct store_stmt *st = store_prepare(s,
        "INSERT INTO toolkit_completions (pupil_id, case_id, definition_id, version, answers, status, "
        "created_by, created_at, updated_at) VALUES (?,?,?,?,?,'draft',?,?,?) RETURNING id");
    if (!st)
        return STORE_ERROR;
    store_bind_int(st, 1, r->pupil_id);
    if (r->case_id > 0)
        store_bind_int(st, 2, r->case_id);
    else
        store_bind_null(st, 2);
    store_bind_int(st, 3, r->definition_id);
    store_bind_int(st, 4, r->version);
    store_bind_text(st, 5, r->answers);
    if (r->created_by > 0)
        store_bind_int(st, 6, r->created_by);
    else
        store_bind_null(st, 6);
    store_bind_int(st, 7, r->created_at);
    store_bind_int(st, 8, r->created_at);
    enum store_rc rc = store_step(st);
    if (rc == STORE_ROW)
        r->id = store_col_int(st, 0);
    store_done(st);
    return rc == STORE_ROW ? STORE_OK : rc;
}

enum store_rc q_toolkit_completion_save(struct store *s, const struct toolkit_completion_row *r)
{
    struct store_stmt *st = store_prepare(s,
        "UPDATE toolkit_completions SET answers = ?, status = ?, score = ?, band = ?, completed_on = ?, "
        "updated_at = ? WHERE id = ? AND status = 'draft'");
    if (!st)
        return STORE_ERROR;
    store_bind_text(st, 1, r->answers);
    store_bind_text(st, 2, r->status);
    if (r->scored) {
        store_bind_int(st, 3, r->score);
        store_bind_text(st, 4, r->band);
    } else {
        store_bind_null(st, 3);
        store_bind_null(st, 4);
    }
    if (r->completed_on[0])
        store_bind_text(st, 5, r->completed_on);
    else
        store_bind_null(st, 5);
    store_bind_int(st, 6, r->updated_at);
    store_bind_int(st, 7, r->id);
    enum store_rc rc = store_exec_done(st);
    if (rc == STORE_OK && store_changes(s) == 0)
        return STORE_DONE;
    return rc;
}

enum store_rc q_toolkit_completion_get(struct store *s, int64_t id, struct toolkit_completion_row *out)
{
    struct store_stmt *st = store_prepare(s, "SELECT " C_COLS C_FROM "WHERE c.id = ?");
    if (!st)
        return STORE_ERROR;
    store_bind_int(st, 1, id);
    return one_completion(st, out);
}

enum store_rc q_toolkit_completion_list(struct store *s, int64_t pupil_id,
                                        void (*fn)(void *arg, const struct toolkit_completion_row *r),
                                        void *arg)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT " C_COLS C_FROM "WHERE c.pupil_id = ? "
        "ORDER BY c.completed_on IS NULL, c.completed_on, c.id");
    if (!st)
        return STORE_ERROR;
    store_bind_int(st, 1, pupil_id);
    enum store_rc rc;
    struct toolkit_completion_row *r = malloc(sizeof *r);
    if (!r) {
        store_done(st);
        return STORE_ERROR;
    }
    while ((rc = store_step(st)) == STORE_ROW) {
        read_completion(st, r);
        fn(arg, r);
    }
    free(r);
    store_done(st);
    return rc == STORE_DONE ? STORE_OK : rc;
}

enum store_rc q_toolkit_completion_previous(struct store *s, int64_t pupil_id, const char *name, const char *on,
                                            int64_t id, struct toolkit_completion_row *out)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT " C_COLS C_FROM "WHERE c.pupil_id = ? AND d.name = ? AND c.status = 'complete' "
        "AND (c.completed_on < ? OR (c.completed_on = ? AND c.id < ?)) "
        "ORDER BY c.completed_on DESC, c.id DESC LIMIT 1");
    if (!st)
        return STORE_ERROR;
    store_bind_int(st, 1, pupil_id);
    store_bind_text(st, 2, name);
    store_bind_text(st, 3, on);
    store_bind_text(st, 4, on);
    store_bind_int(st, 5, id);
    return one_completion(st, out);
}
