/* The audit trail through the service layer on a fresh database:
 * appending chains entries under the audit key, verify walks the chain,
 * the database refuses updates and deletes, tampering (with the guard
 * dropped) is found at the right entry, pruning behind a sealed record
 * keeps the chain verifiable, and the forgeries of someone holding the
 * database file but not the key are caught: a chain recomputed without the
 * key, a prune record made by hand, a log cut short (with an anchor). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "service/secrets.h"
#include "service/svc_audit.h"
#include "store/store.h"

#define NOW 1795425600   /* 2026-11-23 */
/* The server key for these tests: bytes 00 01 02 ... 1f. */
#define TEST_KEY "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

struct fx {
    char dir[64];
    struct store *db;
    struct svc_ctx ctx;
};

static enum store_rc exec(struct store *db, const char *sql)
{
    struct store_stmt *st = store_prepare(db, sql);
    if (!st)
        return STORE_ERROR;
    enum store_rc rc = store_exec_stmt(st);
    store_done(st);
    return rc;
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/tas-svc-audit-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    char path[96], err[256];
    snprintf(path, sizeof path, "%s/t.db", f->dir);
    f->db = store_open(path, err, sizeof err);
    assert_non_null(f->db);
    assert_int_equal(store_migrate(f->db, err, sizeof err), STORE_OK);
    assert_int_equal(setenv("TAS_SECRET_KEY", TEST_KEY, 1), 0);
    assert_int_equal(secrets_load(path, err, sizeof err), 0);
    svc_ctx_init(&f->ctx, f->db, svc_system_principal(), NOW);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    store_close(f->db);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", f->dir);
    free(f);
    return 0;
}

/* An entry as stored (hash aside). */
static void read_stored(struct store *db, int64_t id, struct audit_entry *e)
{
    struct store_stmt *st = store_prepare(db, "SELECT id, at, user_id, username, remote_addr, action,"
        " resource_kind, resource_id, pupil_id, school_id, authority_id, detail, flags, prev_hash"
        " FROM audit_log WHERE id = ?");
    store_bind_int(st, 1, id);
    assert_int_equal(store_step(st), STORE_ROW);
    memset(e, 0, sizeof *e);
    e->id = store_col_int(st, 0);
    e->at = store_col_int(st, 1);
    e->user_id = store_col_int(st, 2);
    store_col_copy(st, 3, e->username, sizeof e->username);
    store_col_copy(st, 4, e->remote_addr, sizeof e->remote_addr);
    store_col_copy(st, 5, e->action, sizeof e->action);
    store_col_copy(st, 6, e->resource_kind, sizeof e->resource_kind);
    e->resource_id = store_col_int(st, 7);
    e->pupil_id = store_col_int(st, 8);
    e->school_id = store_col_int(st, 9);
    e->authority_id = store_col_int(st, 10);
    store_col_copy(st, 11, e->detail, sizeof e->detail);
    e->flags = (unsigned)store_col_int(st, 12);
    store_col_copy(st, 13, e->prev_hash, sizeof e->prev_hash);
    store_done(st);
}

static void append(struct fx *f, int n)
{
    for (int i = 0; i < n; i++) {
        struct audit_event ev = {.action = "view", .kind = "pupil", .resource_id = 100 + i,
                                 .pupil_id = 100 + i, .school_id = 1, .authority_id = 1,
                                 .detail = "/pupils/:id", .flags = i == 2 ? AUDIT_FLAG_BREAK_GLASS : 0};
        assert_int_equal(svc_audit_record(&f->ctx, &ev), SVC_OK);
    }
}

/* The hash is HMAC-SHA256 of the canonical form under the audit key,
 * checked against a value computed independently with Python's hashlib
 * and hmac: the audit key is libsodium's crypto_kdf_derive_from_key of the
 * server key (BLAKE2b-256 keyed with it, salt = subkey id 3 as 8 bytes
 * little-endian then 8 zero bytes, personal = "tas-audt" then 8 zero
 * bytes, empty message), and the text is tests/core/test_audit_hash.c's
 * golden form (whose plain SHA-256, the old unkeyed hash, was df2301bb...). */
static void test_hash_matches_independent_hmac(void **state)
{
    (void)state;
    char err[128];
    assert_int_equal(setenv("TAS_SECRET_KEY", TEST_KEY, 1), 0);
    assert_int_equal(secrets_load("/nonexistent/only-the-env-is-read.db", err, sizeof err), 0);
    struct audit_entry e;
    memset(&e, 0, sizeof e);
    e.id = 1;
    e.at = 1795425600;
    e.user_id = 4;
    strcpy(e.username, "coordinator");
    strcpy(e.remote_addr, "127.0.0.1");
    strcpy(e.action, "view");
    strcpy(e.resource_kind, "pupil");
    e.resource_id = 12;
    e.pupil_id = 12;
    e.school_id = 1;
    e.authority_id = 1;
    strcpy(e.detail, "/pupils/:id");
    strcpy(e.prev_hash, AUDIT_GENESIS);
    char h[AUDIT_HASH_HEX + 1];
    assert_int_equal(svc_audit_hash(&e, h), 0);
    assert_string_equal(h, "e6480303402c5dfb9eed72d5919b38e19d4971ce3f20fb8d7050a92f178aa802");
}

static void test_chain_and_verify(void **state)
{
    struct fx *f = *state;
    struct audit_verify v;
    assert_int_equal(svc_audit_verify(f->db, NULL, &v), SVC_OK);
    assert_int_equal(v.checked, 0);
    assert_int_equal(v.first_bad_id, 0);
    append(f, 5);
    assert_int_equal(svc_audit_verify(f->db, NULL, &v), SVC_OK);
    assert_int_equal(v.checked, 5);
    assert_int_equal(v.first_bad_id, 0);
    /* The first entry starts from the genesis value; the CLI origin is "cli". */
    struct store_stmt *st = store_prepare(f->db, "SELECT prev_hash, remote_addr, flags FROM audit_log WHERE id = 1");
    assert_int_equal(store_step(st), STORE_ROW);
    assert_string_equal(store_col_text(st, 0), AUDIT_GENESIS);
    assert_string_equal(store_col_text(st, 1), "cli");
    store_done(st);
    st = store_prepare(f->db, "SELECT flags FROM audit_log WHERE id = 3");
    assert_int_equal(store_step(st), STORE_ROW);
    assert_int_equal(store_col_int(st, 0), AUDIT_FLAG_BREAK_GLASS);
    store_done(st);
}

static void test_origin_is_recorded(void **state)
{
    struct fx *f = *state;
    svc_origin_set("192.0.2.7");
    struct svc_ctx c;
    svc_ctx_init(&c, f->db, svc_system_principal(), NOW);
    svc_origin_set(NULL);
    struct audit_event ev = {.action = "export", .kind = "pupil", .resource_id = 9, .detail = "test"};
    assert_int_equal(svc_audit_record(&c, &ev), SVC_OK);
    struct store_stmt *st = store_prepare(f->db, "SELECT remote_addr, action FROM audit_log");
    assert_int_equal(store_step(st), STORE_ROW);
    assert_string_equal(store_col_text(st, 0), "192.0.2.7");
    assert_string_equal(store_col_text(st, 1), "export");
    store_done(st);
    svc_ctx_init(&c, f->db, svc_system_principal(), NOW);
    assert_string_equal(c.remote_addr, "cli");
}

static void test_database_refuses_changes(void **state)
{
    struct fx *f = *state;
    append(f, 3);
    assert_int_not_equal(exec(f->db, "UPDATE audit_log SET username = 'x' WHERE id = 2"), STORE_OK);
    assert_int_not_equal(exec(f->db, "DELETE FROM audit_log WHERE id = 2"), STORE_OK);
    assert_int_not_equal(exec(f->db, "DELETE FROM audit_log"), STORE_OK);
    struct audit_verify v;
    assert_int_equal(svc_audit_verify(f->db, NULL, &v), SVC_OK);
    assert_int_equal(v.checked, 3);
    assert_int_equal(v.first_bad_id, 0);
}

static void test_tampering_is_named(void **state)
{
    struct fx *f = *state;
    append(f, 6);
    assert_int_equal(exec(f->db, "DROP TRIGGER audit_log_no_update"), STORE_OK);
    assert_int_equal(exec(f->db, "DROP TRIGGER audit_log_no_delete"), STORE_OK);
    /* Changed content: caught at that entry. */
    assert_int_equal(exec(f->db, "UPDATE audit_log SET pupil_id = 999 WHERE id = 4"), STORE_OK);
    struct audit_verify v;
    assert_int_equal(svc_audit_verify(f->db, NULL, &v), SVC_OK);
    assert_int_equal(v.first_bad_id, 4);
    assert_int_equal(v.why, AUDIT_LINK_HASH);
    assert_int_equal(v.checked, 3);
    /* Restoring the value restores the chain: the check is of content, not of a flag. */
    assert_int_equal(exec(f->db, "UPDATE audit_log SET pupil_id = 103 WHERE id = 4"), STORE_OK);
    assert_int_equal(svc_audit_verify(f->db, NULL, &v), SVC_OK);
    assert_int_equal(v.first_bad_id, 0);
    /* A removed entry: caught at the one after it. */
    assert_int_equal(exec(f->db, "DELETE FROM audit_log WHERE id = 2"), STORE_OK);
    assert_int_equal(svc_audit_verify(f->db, NULL, &v), SVC_OK);
    assert_int_equal(v.first_bad_id, 3);
    assert_int_equal(v.why, AUDIT_LINK_PREV);
}

static void test_recomputed_hash_forgery_still_caught(void **state)
{
    /* Someone who rewrites an entry and recomputes its own hash breaks the
     * next entry's link instead. */
    struct fx *f = *state;
    append(f, 4);
    assert_int_equal(exec(f->db, "DROP TRIGGER audit_log_no_update"), STORE_OK);
    struct audit_entry e;
    read_stored(f->db, 2, &e);
    strcpy(e.remote_addr, "203.0.113.9");
    svc_audit_hash(&e, e.hash);
    struct store_stmt *st = store_prepare(f->db, "UPDATE audit_log SET remote_addr = ?, hash = ? WHERE id = 2");
    store_bind_text(st, 1, e.remote_addr);
    store_bind_text(st, 2, e.hash);
    assert_int_equal(store_exec_stmt(st), STORE_OK);
    store_done(st);
    struct audit_verify v;
    assert_int_equal(svc_audit_verify(f->db, NULL, &v), SVC_OK);
    assert_int_equal(v.first_bad_id, 3);
    assert_int_equal(v.why, AUDIT_LINK_PREV);
}

static void test_prune_keeps_chain(void **state)
{
    struct fx *f = *state;
    append(f, 5);
    int64_t removed = 0;
    assert_int_equal(store_begin_write(f->db), STORE_OK);
    assert_int_equal(svc_audit_prune(&f->ctx, 3, &removed), SVC_OK);
    assert_int_equal(store_commit(f->db), STORE_OK);
    assert_int_equal(removed, 3);
    append(f, 2);
    struct audit_verify v;
    assert_int_equal(svc_audit_verify(f->db, NULL, &v), SVC_OK);
    assert_int_equal(v.anchor_id, 3);
    assert_int_equal(v.checked, 4);
    assert_int_equal(v.first_bad_id, 0);
    /* Beyond the anchor, deleting is still refused. */
    assert_int_not_equal(exec(f->db, "DELETE FROM audit_log WHERE id = 4"), STORE_OK);
    assert_int_not_equal(exec(f->db, "DELETE FROM audit_prune"), STORE_OK);
}

/* Someone holding the file but not the key rewrites an entry and
 * recomputes the whole chain with plain SHA-256 (what the unkeyed chain
 * allowed): caught at the first entry. */
static void test_chain_recomputed_without_the_key(void **state)
{
    struct fx *f = *state;
    append(f, 4);
    assert_int_equal(exec(f->db, "DROP TRIGGER audit_log_no_update"), STORE_OK);
    char prev[AUDIT_HASH_HEX + 1] = AUDIT_GENESIS;
    for (int64_t id = 1; id <= 4; id++) {
        struct audit_entry e;
        read_stored(f->db, id, &e);
        if (id == 2)
            e.pupil_id = 999;   /* the forgery */
        memcpy(e.prev_hash, prev, sizeof prev);
        char canon[1024];
        size_t n = audit_canonical(&e, canon, sizeof canon);
        unsigned char h[crypto_hash_sha256_BYTES];
        crypto_hash_sha256(h, (const unsigned char *)canon, n);
        audit_hex(h, sizeof h, e.hash);
        struct store_stmt *st = store_prepare(f->db, "UPDATE audit_log SET pupil_id = ?, prev_hash = ?, hash = ? WHERE id = ?");
        store_bind_int(st, 1, e.pupil_id);
        store_bind_text(st, 2, e.prev_hash);
        store_bind_text(st, 3, e.hash);
        store_bind_int(st, 4, id);
        assert_int_equal(store_exec_stmt(st), STORE_OK);
        store_done(st);
        memcpy(prev, e.hash, sizeof prev);
    }
    struct audit_verify v;
    assert_int_equal(svc_audit_verify(f->db, NULL, &v), SVC_OK);
    assert_int_equal(v.first_bad_id, 1);
    assert_int_equal(v.why, AUDIT_LINK_HASH);
}

/* Someone holding the file records a pruning by hand (as retention would)
 * and deletes the history before it: the record has no seal. */
static void test_prune_record_made_by_hand(void **state)
{
    struct fx *f = *state;
    append(f, 6);
    assert_int_equal(exec(f->db, "INSERT INTO audit_prune (at, up_to_id, anchor_hash, mac)"
                                 " SELECT 1795425600, id, hash, '' FROM audit_log WHERE id = 4"), STORE_OK);
    assert_int_equal(exec(f->db, "DELETE FROM audit_log WHERE id <= 4"), STORE_OK);
    struct audit_verify v;
    assert_int_equal(svc_audit_verify(f->db, NULL, &v), SVC_OK);
    assert_int_equal(v.first_bad_id, 4);
    assert_int_equal(v.why, AUDIT_LINK_PRUNE);
}

/* An anchor kept elsewhere: the log cut short (its newest entries
 * removed, guards dropped) verifies on its own but not against the anchor;
 * a real pruning past an old anchor still verifies through its seal. */
static void test_anchor_catches_a_cut(void **state)
{
    struct fx *f = *state;
    append(f, 5);
    struct audit_verify v;
    assert_int_equal(svc_audit_verify(f->db, NULL, &v), SVC_OK);
    struct audit_head kept = v.head;
    assert_int_equal(kept.id, 5);
    assert_int_equal(svc_audit_verify(f->db, &kept, &v), SVC_OK);
    assert_int_equal(v.first_bad_id, 0);
    /* A wrong hash for that entry. */
    struct audit_head wrong = kept;
    wrong.hash[0] = wrong.hash[0] == 'a' ? 'b' : 'a';
    assert_int_equal(svc_audit_verify(f->db, &wrong, &v), SVC_OK);
    assert_int_equal(v.first_bad_id, 5);
    assert_int_equal(v.why, AUDIT_LINK_ANCHOR);
    /* More entries, then the newest three cut off: the chain still holds
     * on its own, but the anchor kept after entry 7 is gone. */
    append(f, 2);
    assert_int_equal(svc_audit_verify(f->db, NULL, &v), SVC_OK);
    struct audit_head later = v.head;
    assert_int_equal(exec(f->db, "DROP TRIGGER audit_log_no_delete"), STORE_OK);
    assert_int_equal(exec(f->db, "DELETE FROM audit_log WHERE id >= 5"), STORE_OK);
    assert_int_equal(svc_audit_verify(f->db, NULL, &v), SVC_OK);
    assert_int_equal(v.first_bad_id, 0);
    assert_int_equal(svc_audit_verify(f->db, &later, &v), SVC_OK);
    assert_int_equal(v.first_bad_id, later.id);
    assert_int_equal(v.why, AUDIT_LINK_ANCHOR);
}

static void test_anchor_older_than_a_pruning(void **state)
{
    struct fx *f = *state;
    append(f, 4);
    struct audit_verify v;
    assert_int_equal(svc_audit_verify(f->db, NULL, &v), SVC_OK);
    struct audit_head kept = {2, ""};
    /* entry 2's hash, as 'tas audit anchor' would have printed it then */
    struct store_stmt *st = store_prepare(f->db, "SELECT hash FROM audit_log WHERE id = 2");
    assert_int_equal(store_step(st), STORE_ROW);
    store_col_copy(st, 0, kept.hash, sizeof kept.hash);
    store_done(st);
    int64_t removed = 0;
    assert_int_equal(store_begin_write(f->db), STORE_OK);
    assert_int_equal(svc_audit_prune(&f->ctx, 3, &removed), SVC_OK);
    assert_int_equal(store_commit(f->db), STORE_OK);
    assert_int_equal(svc_audit_verify(f->db, &kept, &v), SVC_OK);
    assert_int_equal(v.first_bad_id, 0);
    assert_true(v.expected_seen);
}

/* Group commit: threads with their own connections record at once; every
 * entry is there exactly once, each thread's in the order it recorded
 * them, and the chain verifies. */
enum { THREADS = 8, PER_THREAD = 60 };

struct recorder {
    const char *path;
    int t;
    int failures;
};

static void *record_many(void *arg)
{
    struct recorder *r = arg;
    char err[256];
    struct store *db = store_open(r->path, err, sizeof err);
    if (!db) {
        r->failures = PER_THREAD;
        return NULL;
    }
    struct svc_ctx c;
    svc_ctx_init(&c, db, svc_system_principal(), NOW);
    for (int i = 0; i < PER_THREAD; i++) {
        struct audit_event ev = {.action = "list", .kind = "pupil", .resource_id = r->t * 1000 + i,
                                 .pupil_id = 1, .school_id = 1, .authority_id = 1, .detail = "/pupils"};
        if (svc_audit_record(&c, &ev) != SVC_OK)
            r->failures++;
    }
    store_close(db);
    return NULL;
}

/* THREADS recorders at once, thread t on paths[t % npaths]; every entry
 * recorded, in groups of one or more. */
static void run_recorders(const char *const *paths, int npaths)
{
    uint64_t g0, e0, g1, e1;
    svc_audit_group_stats(&g0, &e0);
    pthread_t th[THREADS];
    struct recorder r[THREADS];
    for (int t = 0; t < THREADS; t++) {
        r[t] = (struct recorder){paths[t % npaths], t + 1, 0};
        assert_int_equal(pthread_create(&th[t], NULL, record_many, &r[t]), 0);
    }
    /* Every thread joined before any check: a failed check leaves this
     * frame, which threads still running write to. */
    for (int t = 0; t < THREADS; t++)
        assert_int_equal(pthread_join(th[t], NULL), 0);
    for (int t = 0; t < THREADS; t++)
        assert_int_equal(r[t].failures, 0);
    svc_audit_group_stats(&g1, &e1);
    assert_int_equal(e1 - e0, THREADS * PER_THREAD);
    assert_true(g1 - g0 >= 1 && g1 - g0 <= e1 - e0);
}

static void test_group_commit(void **state)
{
    struct fx *f = *state;
    char path[96];
    snprintf(path, sizeof path, "%s/t.db", f->dir);
    const char *paths[] = {path};
    run_recorders(paths, 1);

    struct audit_verify v;
    assert_int_equal(svc_audit_verify(f->db, NULL, &v), SVC_OK);
    assert_int_equal(v.first_bad_id, 0);
    assert_int_equal(v.checked, THREADS * PER_THREAD);
    /* Each thread's entries once each, in its own order. */
    struct store_stmt *st = store_prepare(f->db, "SELECT resource_id FROM audit_log ORDER BY id");
    int next[THREADS + 1] = {0};
    int n = 0;
    while (store_step(st) == STORE_ROW) {
        int64_t rid = store_col_int(st, 0);
        int t = (int)(rid / 1000), i = (int)(rid % 1000);
        assert_true(t >= 1 && t <= THREADS);
        assert_int_equal(i, next[t]);
        next[t]++;
        n++;
    }
    store_done(st);
    assert_int_equal(n, THREADS * PER_THREAD);
}

/* Inside a transaction the entry goes with the change: undone with it. */
static void test_entry_rolls_back_with_its_change(void **state)
{
    struct fx *f = *state;
    append(f, 2);
    assert_int_equal(store_begin_write(f->db), STORE_OK);
    struct audit_event ev = {.action = "create", .kind = "pupil", .resource_id = 7, .pupil_id = 7,
                             .school_id = 1, .authority_id = 1, .detail = "create pupil"};
    assert_int_equal(svc_audit_record(&f->ctx, &ev), SVC_OK);
    store_rollback(f->db);
    struct audit_verify v;
    assert_int_equal(svc_audit_verify(f->db, NULL, &v), SVC_OK);
    assert_int_equal(v.first_bad_id, 0);
    assert_int_equal(v.checked, 2);
    append(f, 1);
    assert_int_equal(svc_audit_verify(f->db, NULL, &v), SVC_OK);
    assert_int_equal(v.first_bad_id, 0);
    assert_int_equal(v.checked, 3);
}

/* Two databases in one process: a group holds one database's entries, and
 * the other's waiters are woken to write theirs (none is left waiting). */
static void test_group_commit_two_databases(void **state)
{
    struct fx *f = *state;
    char paths[2][96];
    for (int d = 0; d < 2; d++) {
        snprintf(paths[d], sizeof paths[d], "%s/g%d.db", f->dir, d);
        char err[256];
        struct store *db = store_open(paths[d], err, sizeof err);
        assert_non_null(db);
        assert_int_equal(store_migrate(db, err, sizeof err), STORE_OK);
        store_close(db);
    }
    run_recorders((const char *[]){paths[0], paths[1]}, 2);
    for (int d = 0; d < 2; d++) {
        char err[256];
        struct store *db = store_open(paths[d], err, sizeof err);
        assert_non_null(db);
        struct audit_verify v;
        assert_int_equal(svc_audit_verify(db, NULL, &v), SVC_OK);
        assert_int_equal(v.first_bad_id, 0);
        assert_int_equal(v.checked, THREADS / 2 * PER_THREAD);
        store_close(db);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_matches_independent_hmac),
        cmocka_unit_test_setup_teardown(test_chain_and_verify, setup, teardown),
        cmocka_unit_test_setup_teardown(test_origin_is_recorded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_database_refuses_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tampering_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(test_recomputed_hash_forgery_still_caught, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prune_keeps_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chain_recomputed_without_the_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prune_record_made_by_hand, setup, teardown),
        cmocka_unit_test_setup_teardown(test_anchor_catches_a_cut, setup, teardown),
        cmocka_unit_test_setup_teardown(test_anchor_older_than_a_pruning, setup, teardown),
        cmocka_unit_test_setup_teardown(test_group_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_group_commit_two_databases, setup, teardown),
        cmocka_unit_test_setup_teardown(test_entry_rolls_back_with_its_change, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
