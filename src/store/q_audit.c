#include "store/q_audit.h"
#include "lib/count.h"
#include "store/q_map.h"
#include "store/q_params.h"

#include <string.h>

#define AUDIT_COLS "a.id, a.at, a.user_id, a.username, a.remote_addr, a.action, a.resource_kind, " \
    "a.resource_id, a.pupil_id, a.school_id, a.authority_id, a.detail, a.flags, a.prev_hash, a.hash"

Q_READER(read_entry, struct audit_entry, id, at, user_id, username, remote_addr, action, resource_kind, resource_id,
         pupil_id, school_id, authority_id, detail, flags, prev_hash, hash)

Q_SINK(entry, struct audit_entry, read_entry)

/* An entry's id and hash (the last entry, or the prune anchor). */
struct id_hash {
    int64_t *id;
    char *hash;   /* AUDIT_HASH_HEX + 1 */
};

static void read_id_hash(struct store_stmt *st, void *arg)
{
    const struct id_hash *h = arg;
    *h->id = store_col_int(st, 0);
    store_col_copy(st, 1, h->hash, AUDIT_HASH_HEX + 1);
}

Q_READER(read_anchor, struct audit_anchor, up_to_id, hash, at, mac)

enum store_rc q_audit_anchor(struct store *s, struct audit_anchor *a)
{
    memset(a, 0, sizeof *a);
    memcpy(a->hash, AUDIT_GENESIS, AUDIT_HASH_HEX + 1);
    struct store_stmt *st = store_prepare(
        s, "SELECT up_to_id, anchor_hash, at, mac FROM audit_prune ORDER BY id DESC LIMIT 1");
    enum store_rc rc = store_get_row(st, read_anchor, a);
    return rc == STORE_ROW || rc == STORE_DONE ? STORE_OK : rc;
}

enum store_rc q_audit_hash_of(struct store *s, int64_t id, char hash[AUDIT_HASH_HEX + 1])
{
    int64_t got = 0;
    return q_get_id(s, "SELECT id, hash FROM audit_log WHERE id = ?", id, read_id_hash,
                    &(struct id_hash){&got, hash});
}

enum store_rc q_audit_tail(struct store *s, int64_t *last_id, char prev_hash[AUDIT_HASH_HEX + 1])
{
    struct store_stmt *st = store_prepare(s, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
    enum store_rc rc = store_get_row(st, read_id_hash, &(struct id_hash){last_id, prev_hash});
    if (rc == STORE_ROW)
        return STORE_OK;
    if (rc != STORE_DONE)
        return rc;
    struct audit_anchor a;
    rc = q_audit_anchor(s, &a);
    *last_id = a.up_to_id;
    memcpy(prev_hash, a.hash, AUDIT_HASH_HEX + 1);
    return rc;
}

/* An entry's columns but for its place in the chain, as bind_entry binds
 * them and audit_pending holds them. */
#define ENTRY_COLS "at, user_id, username, remote_addr, action, resource_kind, resource_id, pupil_id," \
    " school_id, authority_id, detail, flags"

/* An entry's ENTRY_COLS, bound from parameter first on. */
static void bind_entry(struct store_stmt *st, int first, const struct audit_entry *e)
{
    store_bind_int(st, first, e->at);
    store_bind_int(st, first + 1, e->user_id);
    store_bind_text(st, first + 2, e->username);
    store_bind_text(st, first + 3, e->remote_addr);
    store_bind_text(st, first + 4, e->action);
    store_bind_text(st, first + 5, e->resource_kind);
    store_bind_int(st, first + 6, e->resource_id);
    store_bind_int(st, first + 7, e->pupil_id);
    store_bind_int(st, first + 8, e->school_id);
    store_bind_int(st, first + 9, e->authority_id);
    store_bind_text(st, first + 10, e->detail);
    store_bind_int(st, first + 11, (int64_t)e->flags);
}

enum store_rc q_audit_insert(struct store *s, const struct audit_entry *e)
{
    struct store_stmt *st = store_prepare(
        s, "INSERT INTO audit_log (id, " ENTRY_COLS ", prev_hash, hash)"
           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    store_bind_int(st, 1, e->id);
    bind_entry(st, 2, e);
    store_bind_text(st, 14, e->prev_hash);
    store_bind_text(st, 15, e->hash);
    return store_exec_done(st);
}

/* An entry waiting for its seal (migration 0040): audit_log's columns but
 * for its place in the chain. */
enum store_rc q_audit_pend(struct store *s, const struct audit_entry *e)
{
    struct store_stmt *st = store_prepare(
        s, "INSERT INTO audit_pending (" ENTRY_COLS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    bind_entry(st, 1, e);
    return store_exec_done(st);
}

enum store_rc q_audit_take_pending(struct store *s, int64_t max,
                                   void (*fn)(void *arg, const struct audit_entry *e), void *arg)
{
    /* One statement removes and returns the same rows: a row committed
     * meanwhile, even with a lower seq, is neither removed nor read. */
    return q_rows(s,
        "DELETE FROM audit_pending WHERE seq IN (SELECT seq FROM audit_pending ORDER BY seq LIMIT ?)"
        " RETURNING seq, " ENTRY_COLS ", '', ''",
        Q_PARAMS(QP_INT(max)), entry_each, &(struct entry_sink){fn, arg});
}

enum store_rc q_audit_pending_count(struct store *s, int64_t *n)
{
    return store_get_int(store_prepare(s, "SELECT count(*) FROM audit_pending"), n);
}

enum store_rc q_audit_username(struct store *s, int64_t user_id, char *out, size_t outsz)
{
    out[0] = '\0';
    if (user_id <= 0)
        return STORE_OK;
    enum store_rc rc = q_get_id(s, "SELECT username FROM users WHERE id = ?", user_id, q_read_text,
                                &(struct q_text){out, outsz});
    return rc == STORE_ROW || rc == STORE_DONE ? STORE_OK : rc;
}

/* One statement per kind, each ending at the pupil and their school. */
static const struct {
    const char *kind;
    const char *sql;
} subject_sql[] = {
    {"pupil", "SELECT p.id, p.school_id, s.authority_id FROM pupils p"
              " JOIN schools s ON s.id = p.school_id WHERE p.id = ?"},
    {"consent", "SELECT p.id, p.school_id, s.authority_id FROM consents x"
                " JOIN pupils p ON p.id = x.pupil_id JOIN schools s ON s.id = p.school_id WHERE x.id = ?"},
    {"case", "SELECT p.id, p.school_id, s.authority_id FROM cases x"
             " JOIN pupils p ON p.id = x.pupil_id JOIN schools s ON s.id = p.school_id WHERE x.id = ?"},
    {"action", "SELECT p.id, p.school_id, s.authority_id FROM actions y JOIN cases x ON x.id = y.case_id"
               " JOIN pupils p ON p.id = x.pupil_id JOIN schools s ON s.id = p.school_id WHERE y.id = ?"},
    {"referral", "SELECT p.id, p.school_id, s.authority_id FROM referrals y JOIN cases x ON x.id = y.case_id"
                 " JOIN pupils p ON p.id = x.pupil_id JOIN schools s ON s.id = p.school_id WHERE y.id = ?"},
    {"discussion", "SELECT p.id, p.school_id, s.authority_id FROM discussions y"
                   " JOIN cases x ON x.id = y.case_id JOIN pupils p ON p.id = x.pupil_id"
                   " JOIN schools s ON s.id = p.school_id WHERE y.id = ?"},
    {"toolkit_completion", "SELECT p.id, p.school_id, s.authority_id FROM toolkit_completions y"
                           " JOIN pupils p ON p.id = y.pupil_id JOIN schools s ON s.id = p.school_id"
                           " WHERE y.id = ?"},
    {"meeting", "SELECT 0, t.host_school_id, t.authority_id FROM meetings m JOIN teams t ON t.id = m.team_id"
                " WHERE m.id = ?"},
};

enum store_rc q_audit_subject(struct store *s, const char *kind, int64_t id, int64_t *pupil_id,
                              int64_t *school_id, int64_t *authority_id)
{
    for (size_t i = 0; i < COUNT(subject_sql); i++) {
        if (strcmp(kind, subject_sql[i].kind) != 0)
            continue;
        return q_row(s, subject_sql[i].sql,
            Q_PARAMS(QP_INT(id)), q_read_ints, (int64_t *[]){pupil_id, school_id, authority_id, NULL});
    }
    return STORE_DONE;
}

/* Entries with no place (sign-ins, the system) are shown only to
 * installation-wide grants: the "? = 1" of the visibility. */
#define AUDIT_WHERE " FROM audit_log a WHERE " VIS_FILTER("a.authority_id", "a.school_id") \
    " AND (? = 0 OR a.pupil_id = ?)" \
    " AND (? = '' OR a.pupil_id IN (SELECT id FROM pupils WHERE upn = upper(?) OR former_upn = upper(?)))" \
    " AND (? = '' OR lower(a.username) = lower(?))" \
    " AND (? = 0 OR a.at >= ?) AND (? = 0 OR a.at < ?)" \
    " AND (? = 0 OR (a.flags & ?) <> 0)"

static int bind_audit_filter(struct store_stmt *st, const struct visibility *v, const void *filter, bool page)
{
    (void)page;
    const struct audit_filter *f = filter;
    const char *upn = f->upn ? f->upn : "";
    const char *user = f->username ? f->username : "";
    /* "Flagged" is what needs a DPO's attention, not retention's own entries. */
    return q_bind_params(st, 1,
        Q_PARAMS(QP_VIS(v), QP_INT_TWICE(f->pupil_id), QP_TEXT_TWICE(upn), QP_TEXT(upn), QP_TEXT_TWICE(user),
                 QP_INT_TWICE(f->from_at), QP_INT_TWICE(f->to_at), QP_INT(f->flagged_only ? 1 : 0),
                 QP_INT(AUDIT_FLAG_BREAK_GLASS | AUDIT_FLAG_REFUSED)));
}

Q_SINK(audit, struct audit_entry, read_entry)

enum store_rc q_audit_list(struct store *s, const struct visibility *v, const struct audit_filter *f,
                           const struct page_req *pg, int64_t *total,
                           void (*fn)(void *arg, const struct audit_entry *e), void *arg)
{
    struct audit_sink k = {fn, arg};
    struct q_list l = {"SELECT count(*)" AUDIT_WHERE,
                       "SELECT " AUDIT_COLS AUDIT_WHERE " ORDER BY a.id DESC LIMIT ? OFFSET ?",
                       bind_audit_filter, v, f, audit_each, &k};
    return q_list_page(s, &l, pg, total);
}

enum store_rc q_audit_for_pupil(struct store *s, int64_t pupil_id,
                                void (*fn)(void *arg, const struct audit_entry *e), void *arg)
{
    /* With those committed but not yet chained (an export reads the entry
     * its own transaction wrote), after the chained ones. */
    return q_rows(s,
        "SELECT " AUDIT_COLS ", 0 FROM audit_log a WHERE a.pupil_id = ?"
        " UNION ALL SELECT seq, " ENTRY_COLS ", '', '', 1 FROM audit_pending WHERE pupil_id = ?"
        " ORDER BY 16, 1",
        Q_PARAMS(QP_INT(pupil_id), QP_INT(pupil_id)), entry_each, &(struct entry_sink){fn, arg});
}

enum store_rc q_audit_walk(struct store *s, int64_t after_id,
                           int (*fn)(void *arg, const struct audit_entry *e), void *arg)
{
    struct store_stmt *st = store_prepare(s, "SELECT " AUDIT_COLS " FROM audit_log a"
                                             " WHERE a.id > ? ORDER BY a.id");
    store_bind_int(st, 1, after_id);
    /* fn may stop the walk, so this one list steps by hand. */
    enum store_rc rc;
    while ((rc = store_step(st)) == STORE_ROW) {
        struct audit_entry e;
        read_entry(st, &e);
        if (fn(arg, &e) != 0) {
            rc = STORE_DONE;
            break;
        }
    }
    store_done(st);
    return rc == STORE_DONE ? STORE_OK : rc;
}

enum store_rc q_audit_prune(struct store *s, const struct audit_anchor *a, int64_t *removed)
{
    *removed = 0;
    /* Only an anchor that is the entry's own hash is recorded. */
    enum store_rc rc = q_run(s,
        "INSERT INTO audit_prune (at, up_to_id, anchor_hash, mac)"
        " SELECT ?, id, hash, ? FROM audit_log WHERE id = ? AND hash = ?",
        Q_PARAMS(QP_INT(a->at), QP_TEXT(a->mac), QP_INT(a->up_to_id), QP_TEXT(a->hash)));
    if (rc != STORE_OK && rc != STORE_DONE)
        return rc;
    if (store_changes(s) != 1)
        return STORE_OK;   /* no such entry: nothing to prune */
    rc = q_run(s, "DELETE FROM audit_log WHERE id <= ?", Q_PARAMS(QP_INT(a->up_to_id)));
    if (rc == STORE_OK || rc == STORE_DONE)
        *removed = store_changes(s);
    return rc == STORE_DONE ? STORE_OK : rc;
}
