#include "store/q_common.h"
#include "store/q_params.h"

#include <ctype.h>
#include <string.h>

int q_bind_slots(struct store_stmt *st, int idx, const int64_t *ids, size_t n, size_t slots)
{
    for (size_t i = 0; i < slots; i++)
        store_bind_int(st, idx++, i < n ? ids[i] : 0);
    return idx;
}

int q_bind_visibility(struct store_stmt *st, int idx, const struct visibility *v)
{
    if (v->nauthorities > VIS_AUTH_SLOTS || v->nschools > VIS_SCHOOL_SLOTS)
        return -1;
    store_bind_int(st, idx++, v->all ? 1 : 0);
    idx = q_bind_slots(st, idx, v->authority_ids, v->nauthorities, VIS_AUTH_SLOTS);
    return q_bind_slots(st, idx, v->school_ids, v->nschools, VIS_SCHOOL_SLOTS);
}

int q_bind_team_visibility(struct store_stmt *st, int idx, const struct visibility *v)
{
    if (v->nwhole_teams > 8)
        return -1;
    idx = q_bind_visibility(st, idx, v);
    if (idx < 0)
        return -1;
    return q_bind_slots(st, idx, v->whole_team_ids, v->nwhole_teams, 8);
}

int q_bind_case_visibility(struct store_stmt *st, int idx, const struct visibility *v, const char *today)
{
    if (v->npupils > 8 || v->nteams > 8)
        return -1;
    idx = q_bind_team_visibility(st, idx, v);
    if (idx < 0)
        return -1;
    idx = q_bind_slots(st, idx, v->pupil_ids, v->npupils, 8);
    store_bind_text(st, idx++, today);
    store_bind_text(st, idx++, today);
    for (size_t i = 0; i < 8; i++) {
        store_bind_int(st, idx++, i < v->nteams ? v->team_ids[i] : 0);
        store_bind_text(st, idx++, i < v->nteams ? v->team_services[i] : "");
    }
    return idx;
}

enum store_rc q_get_id(struct store *s, const char *sql, int64_t id, store_row_fn read, void *out)
{
    return q_row(s, sql, Q_PARAMS(QP_INT(id)), read, out);
}

enum store_rc q_each_id(struct store *s, const char *sql, int64_t id, store_row_fn row, void *arg)
{
    return q_rows(s, sql, Q_PARAMS(QP_INT(id)), row, arg);
}

enum store_rc q_exec_id(struct store *s, const char *sql, int64_t id)
{
    return q_run(s, sql, Q_PARAMS(QP_INT(id)));
}

enum store_rc q_exec_changed(struct store *s, struct store_stmt *st)
{
    enum store_rc rc = store_exec_done(st);
    return rc == STORE_OK && store_changes(s) == 0 ? STORE_DONE : rc;
}

enum store_rc q_exec_void(struct store *s, const char *sql, int64_t id, const char *reason, int64_t by,
                          int64_t now)
{
    return q_run_changed(s, sql, Q_PARAMS(QP_INT(now), QP_ID(by), QP_TEXT(reason), QP_INT(now), QP_INT(id)));
}

enum store_rc q_exec_void_of(struct store *s, const struct q_void_sql *sql, size_t n, int kind, int64_t id,
                             const char *reason, int64_t by, int64_t now)
{
    if (kind < 0 || (size_t)kind >= n)
        return STORE_ERROR;
    if (sql[kind].stamps)
        return q_exec_void(s, sql[kind].sql, id, reason, by, now);
    return q_run_changed(s, sql[kind].sql, Q_PARAMS(QP_INT(now), QP_ID(by), QP_TEXT(reason), QP_INT(id)));
}

enum store_rc q_exec_status(struct store *s, const char *sql, int64_t id, const char *status, const char *reason,
                            const char *outcome, const char *closed_on, int64_t now)
{
    return q_run(s, sql,
        Q_PARAMS(QP_TEXT(status), QP_TEXT(reason ? reason : ""), QP_TEXT(outcome ? outcome : ""),
                 QP_OPT_TEXT(closed_on), QP_INT(now), QP_INT(id)));
}

enum store_rc q_insert_rec(struct store *s, const char *sql, q_bind_rec_fn bind, const void *rec, int64_t now,
                           int64_t *id)
{
    struct store_stmt *st = store_prepare(s, sql);
    int idx = bind(st, rec);
    store_bind_int(st, idx, now);
    store_bind_int(st, idx + 1, now);
    return store_get_int(st, id);
}

enum store_rc q_update_rec(struct store *s, const char *sql, q_bind_rec_fn bind, const void *rec, int64_t now,
                           int64_t id)
{
    struct store_stmt *st = store_prepare(s, sql);
    int idx = bind(st, rec);
    store_bind_int(st, idx, now);
    store_bind_int(st, idx + 1, id);
    return store_exec_done(st);
}

void q_read_int(struct store_stmt *st, void *out)
{
    *(int64_t *)out = store_col_int(st, 0);
}

void q_read_id(struct store_stmt *st, void *ids)
{
    const struct q_ids *l = ids;
    if (*l->n < l->max)
        l->ids[(*l->n)++] = store_col_int(st, 0);
}

void q_read_ints(struct store_stmt *st, void *ptrs)
{
    int64_t *const *p = ptrs;
    for (int i = 0; p[i]; i++)
        *p[i] = store_col_int(st, i);
}

void q_read_text(struct store_stmt *st, void *text)
{
    const struct q_text *t = text;
    store_col_copy(st, 0, t->out, t->outsz);
}

void q_bind_opt_id(struct store_stmt *st, int idx, int64_t id)
{
    q_bind_param(st, idx, &QP_ID(id));
}

void q_bind_opt_text(struct store_stmt *st, int idx, const char *v)
{
    q_bind_param(st, idx, &QP_OPT_TEXT(v));
}

enum store_rc q_refuse(struct store_stmt *st)
{
    store_done(st);
    return STORE_ERROR;
}

int q_like_pattern(const char *term, char *out, size_t outsz)
{
    size_t o = 0;
    if (outsz < 3)
        return -1;
    out[o++] = '%';
    for (const char *p = term; *p; p++) {
        if (o + 4 >= outsz)
            return -1;
        if (*p == '%' || *p == '_' || *p == '\\')
            out[o++] = '\\';
        out[o++] = (char)tolower((unsigned char)*p);
    }
    out[o++] = '%';
    out[o] = '\0';
    return 0;
}

int q_bind_like_filter(struct store_stmt *st, int idx, const char *name, size_t max)
{
    char like[2 * 256 + 3];
    if (idx < 0 || max > 256 || q_like_pattern(name ? name : "", like, 2 * max + 3) < 0)
        return -1;
    return q_bind_params(st, idx, Q_PARAMS(QP_TEXT(strcmp(like, "%%") ? like : ""), QP_TEXT(like)));
}

enum store_rc q_list_page(struct store *s, const struct q_list *l, const struct page_req *pg, int64_t *total)
{
    *total = 0;
    struct store_stmt *st = store_prepare(s, l->count_sql);
    if (!st || l->bind(st, l->vis, l->filter, false) < 0)
        return q_refuse(st);
    if (store_get_int(st, total) != STORE_OK)
        return STORE_ERROR;
    st = store_prepare(s, l->page_sql);
    if (!st)
        return STORE_ERROR;
    int idx = l->bind(st, l->vis, l->filter, true);
    if (idx < 0)
        return q_refuse(st);
    store_bind_int(st, idx++, pg->per_page);
    store_bind_int(st, idx, (pg->page - 1) * pg->per_page);
    return store_each_row(st, l->row, l->arg);
}
