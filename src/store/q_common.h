/* Pieces shared by the per-area query files. */
#ifndef TAS_STORE_Q_COMMON_H
#define TAS_STORE_Q_COMMON_H

#include <stdbool.h>

#include "core/policy.h"
#include "lib/count.h"
#include "store/store.h"

/* A list is filtered by what the policy says the user may see.  The SQL has
 * a fixed number of slots (so its text never depends on input); unused
 * slots hold 0, which no row has as an id. */
#define VIS_AUTH_SLOTS 8
#define VIS_SCHOOL_SLOTS 32
#define VIS_SLOTS8 "?,?,?,?,?,?,?,?"
#define VIS_SLOTS32 VIS_SLOTS8 "," VIS_SLOTS8 "," VIS_SLOTS8 "," VIS_SLOTS8
#define VIS_FILTER(auth_col, school_col) \
    "(? = 1 OR " auth_col " IN (" VIS_SLOTS8 ") OR " school_col " IN (" VIS_SLOTS32 "))"
#define VIS_PARAMS (1 + VIS_AUTH_SLOTS + VIS_SCHOOL_SLOTS)

/* Teams (and their meetings): by host school and authority, or the teams
 * a team-scoped user belongs to. */
#define VIS_TEAM_FILTER(team_col, auth_col, school_col) \
    "(" VIS_FILTER(auth_col, school_col) " OR " team_col " IN (" VIS_SLOTS8 "))"
int q_bind_team_visibility(struct store_stmt *st, int idx, const struct visibility *v);

/* Case records: the visibility above, or whole teams, or the break-glass pupils, or a
 * (team, service) pair: a case of that team whose pupil's consent today
 * covers that service.  The consent that governs is the latest given on or
 * before today (on a tie the lower id, as core/workflow.c consent_check
 * reads the list); it counts unless withdrawn by today or not covering
 * discussion.  Columns: the case's team, pupil; the pupil's authority, school. */
#define VIS_CASE_FILTER(team_col, pupil_col, auth_col, school_col) \
    "(" VIS_FILTER(auth_col, school_col) " OR " team_col " IN (" VIS_SLOTS8 ") OR " \
    pupil_col " IN (" VIS_SLOTS8 ") OR EXISTS (" \
    "SELECT 1 FROM consents vk JOIN consent_services vks ON vks.consent_id = vk.id " \
    "JOIN services vsv ON vsv.id = vks.service_id WHERE vk.id = (SELECT vk2.id FROM consents vk2 " \
    "WHERE vk2.pupil_id = " pupil_col " AND vk2.given_on <= ? ORDER BY vk2.given_on DESC, vk2.id ASC " \
    "LIMIT 1) AND (vk.withdrawn_on IS NULL OR vk.withdrawn_on > ?) AND vk.covers_discussion = 1 AND (" \
    "(" team_col " = ? AND vsv.code = ?) OR (" team_col " = ? AND vsv.code = ?) OR " \
    "(" team_col " = ? AND vsv.code = ?) OR (" team_col " = ? AND vsv.code = ?) OR " \
    "(" team_col " = ? AND vsv.code = ?) OR (" team_col " = ? AND vsv.code = ?) OR " \
    "(" team_col " = ? AND vsv.code = ?) OR (" team_col " = ? AND vsv.code = ?))))"

/* Binds a case visibility (VIS_CASE_FILTER) at idx for the day today
 * (YYYY-MM-DD); returns the next index or -1 as q_bind_visibility. */
int q_bind_case_visibility(struct store_stmt *st, int idx, const struct visibility *v, const char *today);

/* Binds a visibility at parameter idx; returns the next free index, or -1
 * when it has more authorities or schools than the slots (the caller then
 * refuses rather than show too little or too much). */
int q_bind_visibility(struct store_stmt *st, int idx, const struct visibility *v);
/* Binds the n ids at idx into a fixed number of slots, 0 in those left
 * over (n <= slots); returns the next index. */
int q_bind_slots(struct store_stmt *st, int idx, const int64_t *ids, size_t n, size_t slots);

/* Turns a search term into a lower-case LIKE pattern "%term%" with % _ and
 * \ escaped (used with ESCAPE '\').  Returns 0, or -1 if it does not fit. */
int q_like_pattern(const char *term, char *out, size_t outsz);
/* A name search that may be off, "(? = '' OR lower(col) LIKE ? ESCAPE '\\')":
 * binds at idx "" (no search: name NULL or "") or the pattern, then the
 * pattern.  Returns the next index, or -1 when the pattern of a name of
 * more than max characters does not fit (no name is that long) or idx is
 * below 0 (as q_bind_params). */
int q_bind_like_filter(struct store_stmt *st, int idx, const char *name, size_t max);

/* Longer searches cannot match any name, URN or UPN: lists answer them
 * with nothing rather than fall back to everything. */
#define Q_SEARCH_MAX 100

/* The usual row function of a list whose caller takes a typed row.
 * Q_SINK(action, struct action_row, read_action) defines struct
 * action_sink {fn, arg} and action_each(st, sink), which reads the row
 * with read_action (a store_row_fn) and hands it to fn; a list ends
 * `return store_each_row(st, action_each, &(struct action_sink){fn, arg});`
 * or passes the same pair to q_list_page. */
#define Q_SINK(name, type, read) \
    struct name##_sink { \
        void (*fn)(void *arg, const type *r); \
        void *arg; \
    }; \
    static void name##_each(struct store_stmt *st, void *sink) \
    { \
        const struct name##_sink *k = sink; \
        type r; \
        read(st, &r); \
        k->fn(k->arg, &r); \
    }

/* The commonest list, the rows of one id (a case's actions, a team's
 * schools), defined from what differs: its name, row type, reader and
 * SQL (one '?', the id).  Q_LIST_OF_ID(q_team_members, struct team_member,
 * read_team_member, "SELECT ... WHERE tm.team_id = ? ORDER BY ...") defines
 *     enum store_rc q_team_members(struct store *s, int64_t id,
 *                                  void (*fn)(void *arg, const struct team_member *r), void *arg)
 * (declared in the area's header as any other), which hands each row to
 * fn and answers as store_each_row. */
#define Q_LIST_OF_ID(name, type, read, sql) \
    Q_SINK(name, type, read) \
    enum store_rc name(struct store *s, int64_t id, void (*fn)(void *arg, const type *r), void *arg) \
    { \
        return q_each_id(s, sql, id, name##_each, &(struct name##_sink){fn, arg}); \
    }

/* Row readers for one integer column (column 0): into *(int64_t *)out,
 * and into a bounded list of ids (rows past max are read and dropped). */
void q_read_int(struct store_stmt *st, void *out);
struct q_ids {
    int64_t *ids;
    size_t max;
    size_t *n;
};
void q_read_id(struct store_stmt *st, void *ids);
/* ... and the first columns, as integers, into the pointers of a
 * NULL-terminated list: store_get_row(st, q_read_ints, (int64_t *[]){&a, &b, NULL}). */
void q_read_ints(struct store_stmt *st, void *ptrs);
/* ... and one text column (column 0) into a buffer. */
struct q_text {
    char *out;
    size_t outsz;
};
void q_read_text(struct store_stmt *st, void *text);

/* The two commonest queries: one record by its id (sql has one '?';
 * answers as store_get_row), and a change whose only parameter is one id
 * (answers as store_exec_done). */
enum store_rc q_get_id(struct store *s, const char *sql, int64_t id, store_row_fn read, void *out);
/* ... and the list twin of q_get_id: every row of sql (one '?', the id)
 * through row, as store_each_row. */
enum store_rc q_each_id(struct store *s, const char *sql, int64_t id, store_row_fn row, void *arg);
enum store_rc q_exec_id(struct store *s, const char *sql, int64_t id);
/* store_exec_done for an UPDATE or DELETE whose WHERE is its check (not
 * voided, still pending...): STORE_DONE when it changed no row. */
enum store_rc q_exec_changed(struct store *s, struct store_stmt *st);
/* A void that stamps updated_at: sql's parameters are voided_at,
 * voided_by, void_reason, updated_at and the id, with "AND voided_at IS
 * NULL" in its WHERE; answers as q_exec_changed, so STORE_DONE means
 * voided meanwhile or not there. */
enum store_rc q_exec_void(struct store *s, const char *sql, int64_t id, const char *reason, int64_t by,
                          int64_t now);
/* The void statements, the table named: Q_VOID_SQL sets updated_at too
 * (with also, more of "col = value" after a comma, or ""); Q_VOID_SQL_ONLY
 * leaves the row otherwise as it was (a table with no updated_at, or
 * whose void is not an edit).  Each says which it is, so the one void
 * below binds the parameters its statement has. */
struct q_void_sql {
    const char *sql;
    bool stamps;   /* sets updated_at */
};
#define Q_VOID_SQL(table, also) \
    {"UPDATE " table " SET voided_at = ?, voided_by = ?, void_reason = ?, updated_at = ?" also \
     " WHERE id = ? AND voided_at IS NULL", true}
#define Q_VOID_SQL_ONLY(table) \
    {"UPDATE " table " SET voided_at = ?, voided_by = ?, void_reason = ? WHERE id = ? AND voided_at IS NULL", false}
/* An area's void of one of its kinds of record: sql, an array of such
 * statements indexed by the area's enum (a fixed list, never text from
 * input); a kind past it is refused (STORE_ERROR).  STORE_DONE when the
 * record was voided meanwhile or is not there. */
#define Q_EXEC_VOID_OF(s, sql, kind, id, reason, by, now) \
    q_exec_void_of(s, sql, COUNT(sql), (int)(kind), id, reason, by, now)
enum store_rc q_exec_void_of(struct store *s, const struct q_void_sql *sql, size_t n, int kind, int64_t id,
                             const char *reason, int64_t by, int64_t now);

/* An action's change of status (a pupil's or a cohort's): sql, as
 * Q_STATUS_SQL of the table, has the parameters status, not_done_reason,
 * outcome, closed_on (NULL for none), updated_at and the id; NULL reason
 * and outcome are stored as "". */
#define Q_STATUS_SQL(table) \
    "UPDATE " table " SET status = ?, not_done_reason = ?, outcome = ?, closed_on = ?, updated_at = ? WHERE id = ?"
enum store_rc q_exec_status(struct store *s, const char *sql, int64_t id, const char *status, const char *reason,
                            const char *outcome, const char *closed_on, int64_t now);

/* Saving a record: bind binds its columns from parameter 1 and returns
 * the next.  q_insert_rec runs an INSERT ... RETURNING id whose last two
 * ? are created_at and updated_at (both now) and sets *id; q_update_rec an
 * UPDATE whose last two are updated_at (now) and WHERE id = ?.  Results as
 * store_get_int and store_exec_done. */
typedef int (*q_bind_rec_fn)(struct store_stmt *st, const void *rec);
enum store_rc q_insert_rec(struct store *s, const char *sql, q_bind_rec_fn bind, const void *rec, int64_t now,
                           int64_t *id);
enum store_rc q_update_rec(struct store *s, const char *sql, q_bind_rec_fn bind, const void *rec, int64_t now,
                           int64_t id);

/* Binds id at idx, or NULL for 0 (an optional reference). */
void q_bind_opt_id(struct store_stmt *st, int idx, int64_t id);
/* Binds text at idx, or NULL for NULL or "" (an optional value). */
void q_bind_opt_text(struct store_stmt *st, int idx, const char *v);

/* Releases st and answers STORE_ERROR: the end of a query refused before
 * it runs (a visibility or filter that does not fit its slots). */
enum store_rc q_refuse(struct store_stmt *st);

/* A page of a list. */
struct page_req {
    int64_t page;      /* 1-based */
    int64_t per_page;  /* 1..200 */
};

/* Every area's paged list has one shape: count the rows the filter
 * selects, then read one page of them.  The area gives the two statements
 * and how to bind its filter and read a row; q_list_page does the rest. */
struct q_list {
    const char *count_sql;  /* "SELECT count(*) FROM ... WHERE ..." */
    const char *page_sql;   /* "SELECT cols FROM ... WHERE ... ORDER BY ... LIMIT ? OFFSET ?" */
    /* Binds what the viewer may see and the area's filter from parameter
     * 1, for the count (page false) or the page (true: with any parameters
     * only the page has); returns the next index, or -1 to refuse (too
     * many visible ids, a search too long). */
    int (*bind)(struct store_stmt *st, const struct visibility *v, const void *filter, bool page);
    const struct visibility *vis;
    const void *filter;
    store_row_fn row;   /* each row of the page, as store_each_row */
    void *arg;
};
enum store_rc q_list_page(struct store *s, const struct q_list *l, const struct page_req *pg, int64_t *total);

#endif
