#include "store/q_params.h"

#include "store/q_common.h"

void q_bind_param(struct store_stmt *st, int idx, const struct q_param *a)
{
    bool empty = a->kind == QP_KIND_INT ? a->i <= 0 : a->kind == QP_KIND_TEXT ? !a->t || !*a->t : false;
    if (a->kind == QP_KIND_NULL || (a->opt && empty))
        store_bind_null(st, idx);
    else if (a->kind == QP_KIND_INT)
        store_bind_int(st, idx, a->i);
    else if (a->kind == QP_KIND_TEXT)
        store_bind_text(st, idx, a->t);
    else
        store_bind_double(st, idx, a->d);
}

int q_bind_params(struct store_stmt *st, int idx, struct q_params p)
{
    for (size_t k = 0; k < p.n && idx >= 0; k++) {
        const struct q_param *a = &p.p[k];
        if (a->kind == QP_KIND_VIS)
            idx = q_bind_visibility(st, idx, a->v);
        else if (a->kind == QP_KIND_TEAM_VIS)
            idx = q_bind_team_visibility(st, idx, a->v);
        else if (a->kind == QP_KIND_CASE_VIS)
            idx = q_bind_case_visibility(st, idx, a->v, a->t);
        else
            q_bind_param(st, idx++, a);
    }
    return idx;
}

/* NULL (and nothing run) when a visibility does not fit its slots. */
static struct store_stmt *prepared(struct store *s, const char *sql, struct q_params p)
{
    struct store_stmt *st = store_prepare(s, sql);
    if (q_bind_params(st, 1, p) < 0) {
        q_refuse(st);
        return NULL;
    }
    return st;
}

enum store_rc q_run(struct store *s, const char *sql, struct q_params p)
{
    return store_exec_done(prepared(s, sql, p));
}

enum store_rc q_run_changed(struct store *s, const char *sql, struct q_params p)
{
    return q_exec_changed(s, prepared(s, sql, p));
}

enum store_rc q_row(struct store *s, const char *sql, struct q_params p, store_row_fn read, void *out)
{
    return store_get_row(prepared(s, sql, p), read, out);
}

enum store_rc q_rows(struct store *s, const char *sql, struct q_params p, store_row_fn each, void *arg)
{
    return store_each_row(prepared(s, sql, p), each, arg);
}

enum store_rc q_int(struct store *s, const char *sql, struct q_params p, int64_t *v)
{
    return store_get_int(prepared(s, sql, p), v);
}

static void read_nothing(struct store_stmt *st, void *out)
{
    (void)st;
    (void)out;
}

enum store_rc q_count(struct store *s, const char *sql, struct q_params p, int64_t *n)
{
    *n = 0;
    return q_int(s, sql, p, n) == STORE_OK ? STORE_OK : STORE_ERROR;
}

enum store_rc q_any(struct store *s, const char *sql, struct q_params p)
{
    return store_get_row(prepared(s, sql, p), read_nothing, NULL);
}
