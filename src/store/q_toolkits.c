#include "store/q_toolkits.h"
#include "store/q_map.h"
#include "store/q_params.h"

#include <stdlib.h>
#include <string.h>

#define DEF_COLS "id, name, version, title, loaded_at, body"

Q_READER(read_def, struct toolkit_def_row, id, name, version, title, loaded_at)
Q_SINK(def, struct toolkit_def_row, read_def)

/* A definition with its body (column 5), copied out when body is given. */
struct def_with_body {
    struct toolkit_def_row *row;
    char **body;
    bool oom;
};

static void read_def_body(struct store_stmt *st, void *arg)
{
    struct def_with_body *d = arg;
    read_def(st, d->row);
    if (d->body) {
        *d->body = strdup(store_col_text(st, 5));
        d->oom = !*d->body;
    }
}

static enum store_rc one_def(struct store *s, const char *sql, struct q_params p, struct toolkit_def_row *out,
                             char **body)
{
    struct def_with_body d = {out, body, false};
    enum store_rc rc = q_row(s, sql, p, read_def_body, &d);
    return d.oom ? STORE_ERROR : rc;
}

enum store_rc q_toolkit_def_insert(struct store *s, struct toolkit_def_row *r, const char *body, int64_t by)
{
    return q_int(s,
        "INSERT INTO toolkit_definitions (name, version, title, body, loaded_by, loaded_at) "
        "VALUES (?,?,?,?,?,?) RETURNING id",
        Q_PARAMS(QP_TEXT(r->name), QP_INT(r->version), QP_TEXT(r->title), QP_TEXT(body), QP_INT_IF(by > 0, by),
                 QP_INT(r->loaded_at)), &r->id);
}

enum store_rc q_toolkit_def_get(struct store *s, int64_t id, struct toolkit_def_row *out, char **body)
{
    return one_def(s, "SELECT " DEF_COLS " FROM toolkit_definitions WHERE id = ?", Q_PARAMS(QP_INT(id)), out,
                   body);
}

enum store_rc q_toolkit_def_latest(struct store *s, const char *name, struct toolkit_def_row *out, char **body)
{
    return one_def(s, "SELECT " DEF_COLS " FROM toolkit_definitions WHERE name = ? ORDER BY version DESC LIMIT 1",
                   Q_PARAMS(QP_TEXT(name)), out, body);
}

enum store_rc q_toolkit_def_list(struct store *s, void (*fn)(void *arg, const struct toolkit_def_row *r),
                                 void *arg)
{
    return store_each_row(store_prepare(s, "SELECT " DEF_COLS " FROM toolkit_definitions ORDER BY name, version"),
                          def_each, &(struct def_sink){fn, arg});
}

/* ---- completions ---- */

#define C_COLS "c.id, c.pupil_id, coalesce(c.case_id, 0), c.definition_id, c.version, c.answers, c.status, " \
    "c.score IS NOT NULL, coalesce(c.score, 0), coalesce(c.band, ''), coalesce(c.completed_on, ''), " \
    "coalesce(c.created_by, 0), c.created_at, c.updated_at, d.name, d.title"
#define C_FROM " FROM toolkit_completions c JOIN toolkit_definitions d ON d.id = c.definition_id "

Q_READER(read_completion, struct toolkit_completion_row, id, pupil_id, case_id, definition_id, version, answers,
         status, scored, score, band, completed_on, created_by, created_at, updated_at, name, title)

enum store_rc q_toolkit_completion_insert(struct store *s, struct toolkit_completion_row *r)
{
    return q_int(s,
        "INSERT INTO toolkit_completions (pupil_id, case_id, definition_id, version, answers, status, "
        "created_by, created_at, updated_at) VALUES (?,?,?,?,?,'draft',?,?,?) RETURNING id",
        Q_PARAMS(QP_INT(r->pupil_id), QP_INT_IF(r->case_id > 0, r->case_id), QP_INT(r->definition_id),
                 QP_INT(r->version), QP_TEXT(r->answers), QP_INT_IF(r->created_by > 0, r->created_by),
                 QP_INT(r->created_at), QP_INT(r->created_at)), &r->id);
}

enum store_rc q_toolkit_completion_save(struct store *s, const struct toolkit_completion_row *r)
{
    return q_run_changed(s,
        "UPDATE toolkit_completions SET answers = ?, status = ?, score = ?, band = ?, completed_on = ?, "
        "updated_at = ? WHERE id = ? AND status = 'draft'",
        Q_PARAMS(QP_TEXT(r->answers), QP_TEXT(r->status), QP_INT_IF(r->scored, r->score),
                 r->scored ? QP_TEXT(r->band) : QP_NULL, QP_OPT_TEXT(r->completed_on), QP_INT(r->updated_at),
                 QP_INT(r->id)));
}

enum store_rc q_toolkit_completion_get(struct store *s, int64_t id, struct toolkit_completion_row *out)
{
    return q_get_id(s, "SELECT " C_COLS C_FROM "WHERE c.id = ?", id, read_completion, out);
}

Q_LIST_OF_ID(q_toolkit_completion_list, struct toolkit_completion_row, read_completion,
    "SELECT " C_COLS C_FROM "WHERE c.pupil_id = ? ORDER BY c.completed_on IS NULL, c.completed_on, c.id")

enum store_rc q_toolkit_completion_previous(struct store *s, int64_t pupil_id, const char *name, const char *on,
                                            int64_t id, struct toolkit_completion_row *out)
{
    return q_row(s,
        "SELECT " C_COLS C_FROM "WHERE c.pupil_id = ? AND d.name = ? AND c.status = 'complete' "
        "AND (c.completed_on < ? OR (c.completed_on = ? AND c.id < ?)) "
        "ORDER BY c.completed_on DESC, c.id DESC LIMIT 1",
        Q_PARAMS(QP_INT(pupil_id), QP_TEXT(name), QP_TEXT(on), QP_TEXT(on), QP_INT(id)), read_completion, out);
}
