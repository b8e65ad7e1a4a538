/* Running a statement with its parameters in one call.
 *
 * Most queries are "prepare, bind ?1..?n, run": the parameters are listed
 * once, in the order of their ?, and the run is one of the four store.h
 * endings.  Like GNU Taler's GNUNET_PQ_query_param_* lists:
 *
 *     return q_run(s, "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?",
 *                  Q_PARAMS(QP_TEXT(hash), QP_INT(now), QP_INT(id)));
 *
 * Each QP_ macro takes one C type (an int64_t, a string, a double), so a
 * value of the wrong type does not compile.  A query with no parameter is
 * store_prepare and the ending itself. */
#ifndef TAS_STORE_Q_PARAMS_H
#define TAS_STORE_Q_PARAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

struct visibility;

enum q_param_kind {
    QP_KIND_INT, QP_KIND_TEXT, QP_KIND_REAL, QP_KIND_NULL,
    QP_KIND_VIS, QP_KIND_TEAM_VIS, QP_KIND_CASE_VIS   /* many parameters: QP_VIS */
};

struct q_param {
    enum q_param_kind kind;
    bool opt;  /* an id of 0 (or less), NULL or "" is bound as NULL */
    int64_t i;
    double d;
    const char *t;
    const struct visibility *v;
};

struct q_params {
    const struct q_param *p;
    size_t n;
};

#define QP_INT(v) ((struct q_param){.kind = QP_KIND_INT, .i = (v)})
#define QP_TEXT(v) ((struct q_param){.kind = QP_KIND_TEXT, .t = (v)})
#define QP_REAL(v) ((struct q_param){.kind = QP_KIND_REAL, .d = (v)})
#define QP_NULL ((struct q_param){.kind = QP_KIND_NULL})
/* An optional reference: NULL for 0 (or less, as no id is). */
#define QP_ID(v) ((struct q_param){.kind = QP_KIND_INT, .opt = true, .i = (v)})
/* A value that applies only when used is true, NULL otherwise. */
#define QP_INT_IF(used, v) ((used) ? QP_INT(v) : QP_NULL)
/* An optional value: NULL for NULL or "" (as q_bind_opt_text). */
#define QP_OPT_TEXT(v) ((struct q_param){.kind = QP_KIND_TEXT, .opt = true, .t = (v)})
/* What vis lets the viewer see, in the slots of q_common.h's VIS_FILTER
 * (QP_VIS), VIS_TEAM_FILTER (QP_TEAM_VIS) or VIS_CASE_FILTER for the day
 * today (QP_CASE_VIS): the many parameters of q_bind_visibility and its
 * kin.  One with more ids than the slots refuses the statement: the
 * endings answer STORE_ERROR without running it, q_bind_params -1. */
#define QP_VIS(vis) ((struct q_param){.kind = QP_KIND_VIS, .v = (vis)})
#define QP_TEAM_VIS(vis) ((struct q_param){.kind = QP_KIND_TEAM_VIS, .v = (vis)})
#define QP_CASE_VIS(vis, today) ((struct q_param){.kind = QP_KIND_CASE_VIS, .v = (vis), .t = (today)})
/* A figure that may not be recorded (-1): NULL when negative. */
#define QP_NONNEG_INT(v) ((v) < 0 ? QP_NULL : QP_INT(v))
#define QP_NONNEG_REAL(v) ((v) < 0 ? QP_NULL : QP_REAL(v))
/* The value twice, as a filter that may be off takes it: "(? = 0 OR
 * col = ?)", "(? = '' OR col = ?)". */
#define QP_INT_TWICE(v) QP_INT(v), QP_INT(v)
#define QP_TEXT_TWICE(v) QP_TEXT(v), QP_TEXT(v)

#define Q_PARAMS(...) \
    ((struct q_params){(const struct q_param[]){__VA_ARGS__}, \
                       sizeof((const struct q_param[]){__VA_ARGS__}) / sizeof(struct q_param)})

/* Binds one parameter (not a visibility) at idx; and p from idx,
 * returning the next index, or -1 when a visibility does not fit (from an
 * idx below 0, binds nothing and answers it: calls chain). */
void q_bind_param(struct store_stmt *st, int idx, const struct q_param *a);
int q_bind_params(struct store_stmt *st, int idx, struct q_params p);

/* The endings, as store.h's: store_exec_done; the same but STORE_DONE
 * when no row changed (an UPDATE whose WHERE is its check, as
 * q_exec_changed); store_get_row; store_each_row; store_get_int; and
 * whether there is a row at all. */
enum store_rc q_run(struct store *s, const char *sql, struct q_params p);
enum store_rc q_run_changed(struct store *s, const char *sql, struct q_params p);
enum store_rc q_row(struct store *s, const char *sql, struct q_params p, store_row_fn read, void *out);
enum store_rc q_rows(struct store *s, const char *sql, struct q_params p, store_row_fn each, void *arg);
enum store_rc q_int(struct store *s, const char *sql, struct q_params p, int64_t *v);
/* Whether sql answers a row: STORE_ROW, STORE_DONE or the error. */
enum store_rc q_any(struct store *s, const char *sql, struct q_params p);
/* A count ("SELECT count(*) ..."): *n, 0 unless read; STORE_OK, or
 * STORE_ERROR for anything else. */
enum store_rc q_count(struct store *s, const char *sql, struct q_params p, int64_t *n);

#endif
