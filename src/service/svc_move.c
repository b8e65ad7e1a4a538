/* tas migrate-store: an installation moved to another database (svc_move.h).
 * The checksums are computed here, by the same code over the values both
 * backends give through store_copy.h, so a difference in either the copy
 * or a backend's reading shows as a different sum. */
#include "service/svc_move.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_copy.h"

/* ---- checksums -------------------------------------------------------- */

struct sum {
    crypto_hash_sha256_state st;
    int64_t rows;
};

static void sum_init(struct sum *s)
{
    crypto_hash_sha256_init(&s->st);
    s->rows = 0;
}

static void sum_add(struct sum *s, const void *p, size_t n)
{
    crypto_hash_sha256_update(&s->st, p, n);
}

/* One row: "N" for NULL or "T<length>:<text>" a value, then a newline. */
static void sum_row(struct sum *s, const struct store_table *t, const char *const *vals)
{
    for (int i = 0; i < t->ncols; i++) {
        if (!vals[i]) {
            sum_add(s, "N", 1);
            continue;
        }
        size_t n = strlen(vals[i]);
        char head[32];
        int hn = snprintf(head, sizeof head, "T%zu:", n);
        sum_add(s, head, (size_t)hn);
        sum_add(s, vals[i], n);
    }
    sum_add(s, "\n", 1);
    s->rows++;
}

static void sum_end(struct sum *s, char hex[SVC_MOVE_SUM_HEX + 1])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&s->st, h);
    sodium_bin2hex(hex, SVC_MOVE_SUM_HEX + 1, h, sizeof h);
}

struct summing {
    const struct store_table *t;
    struct sum sum;
};

static enum store_rc sum_each(void *arg, const char *const *vals)
{
    struct summing *x = arg;
    sum_row(&x->sum, x->t, vals);
    return STORE_OK;
}

/* t's rows on s: how many, and their checksum. */
static enum store_rc table_sum(struct store *s, const struct store_table *t, int64_t *rows,
                               char hex[SVC_MOVE_SUM_HEX + 1])
{
    struct summing x = {.t = t};
    sum_init(&x.sum);
    enum store_rc rc = store_table_rows(s, t, sum_each, &x);
    sum_end(&x.sum, hex);
    *rows = x.sum.rows;
    return rc;
}

/* ---- the copy --------------------------------------------------------- */

static bool skipped(const struct store_table *t)
{
    return strcmp(t->name, SVC_MOVE_SKIPPED) == 0;
}

static enum svc_status fail(struct svc_move_result *r, enum svc_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum svc_status fail(struct svc_move_result *r, enum svc_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->why, sizeof r->why, fmt, ap);
    va_end(ap);
    return st;
}

/* Whether to holds only what the migrations put in a new database: each
 * table compared with one of a database made now, in memory. */
static enum svc_status check_empty(struct store *to, const struct store_catalogue *cat, struct svc_move_result *r)
{
    char err[256] = "";
    struct store *ref = store_open("sqlite::memory:", err, sizeof err);
    if (!ref || store_migrate(ref, err, sizeof err) != STORE_OK) {
        store_close(ref);
        return fail(r, SVC_ERROR, "cannot make a new database to compare the destination with: %s", err);
    }
    enum svc_status st = SVC_OK;
    for (size_t i = 0; st == SVC_OK && i < cat->n; i++) {
        const struct store_table *t = &cat->t[i];
        int64_t n_to, n_ref;
        char s_to[SVC_MOVE_SUM_HEX + 1], s_ref[SVC_MOVE_SUM_HEX + 1];
        if (skipped(t))
            continue;
        if (table_sum(to, t, &n_to, s_to) != STORE_OK)
            st = fail(r, SVC_ERROR, "cannot read the destination's table %s: %s", t->name, store_errmsg(to));
        else if (table_sum(ref, t, &n_ref, s_ref) != STORE_OK)
            st = fail(r, SVC_ERROR, "cannot read a new database's table %s: %s", t->name, store_errmsg(ref));
        else if (n_to != n_ref)
            st = fail(r, SVC_INVALID, "the destination already holds data (table %s: %lld rows where a new "
                      "database has %lld): give it an empty database", t->name, (long long)n_to, (long long)n_ref);
        else if (strcmp(s_to, s_ref) != 0)
            st = fail(r, SVC_INVALID, "the destination already holds data (table %s: rows other than a new "
                      "database's): give it an empty database", t->name);
    }
    store_close(ref);
    return st;
}

struct copying {
    const struct store_table *t;
    const struct svc_move_hooks *h;
    struct store_loader *load;
    struct sum sum;
    int64_t total;
    enum store_rc load_rc;
};

static enum store_rc copy_each(void *arg, const char *const *vals)
{
    struct copying *x = arg;
    sum_row(&x->sum, x->t, vals);
    x->load_rc = store_loader_add(x->load, vals);
    if (x->h && x->h->progress && x->total >= SVC_MOVE_PROGRESS_ROWS &&
        (x->sum.rows % SVC_MOVE_PROGRESS_ROWS == 0 || x->sum.rows == x->total))
        x->h->progress(x->h->arg, x->t->name, x->sum.rows, x->total);
    return x->load_rc;
}

/* Copies t's rows, summing them as they are read into m. */
static enum svc_status copy_table(struct store *from, struct store *to, const struct store_table *t,
                                  const struct svc_move_hooks *h, struct svc_move_table *m,
                                  struct svc_move_result *r)
{
    struct copying x = {.t = t, .h = h, .load_rc = STORE_OK};
    sum_init(&x.sum);
    if (store_table_count(from, t, &x.total) != STORE_OK)
        return fail(r, SVC_ERROR, "cannot count the source's table %s: %s", t->name, store_errmsg(from));
    x.load = store_loader_open(to, t);
    if (!x.load)
        return fail(r, SVC_ERROR, "out of memory");
    enum store_rc rc = store_table_rows(from, t, copy_each, &x);
    if (store_loader_close(x.load) != STORE_OK)
        x.load_rc = STORE_ERROR;
    sum_end(&x.sum, m->sum_from);
    m->rows_from = x.sum.rows;
    if (x.load_rc != STORE_OK)
        return fail(r, SVC_ERROR, "cannot copy table %s into the destination: %s", t->name, store_errmsg(to));
    if (rc != STORE_OK)
        return fail(r, SVC_ERROR, "cannot read the source's table %s: %s", t->name, store_errmsg(from));
    /* The rows read (a page at a time) against the table's own count, so
     * a reader that missed some cannot vouch for itself on both sides. */
    if (m->rows_from != x.total)
        return fail(r, SVC_ERROR, "read %lld of the %lld rows of the source's table %s", (long long)m->rows_from,
                    (long long)x.total, t->name);
    r->tables++;
    r->rows += m->rows_from;
    return SVC_OK;
}

/* Every table's own triggers off or on. */
static enum svc_status triggers(struct store *to, const struct store_catalogue *cat, bool on,
                                struct svc_move_result *r)
{
    for (size_t i = 0; i < cat->n; i++)
        if (!skipped(&cat->t[i]) && store_table_triggers(to, &cat->t[i], on) != STORE_OK)
            return fail(r, SVC_ERROR, "cannot turn the triggers of %s %s: %s", cat->t[i].name, on ? "on" : "off",
                        store_errmsg(to));
    return SVC_OK;
}

/* Inside to's write transaction: empty (but for the migrations' own rows,
 * which go), loaded, triggers back on. */
static enum svc_status copy_all(struct store *from, struct store *to, const struct store_catalogue *cat,
                                const struct svc_move_hooks *h, struct svc_move_table *m,
                                struct svc_move_result *r)
{
    enum svc_status st = check_empty(to, cat, r);
    if (st == SVC_OK)
        st = triggers(to, cat, false, r);
    for (size_t i = cat->n; st == SVC_OK && i-- > 0;)
        if (!skipped(&cat->t[i]) && store_table_clear(to, &cat->t[i]) != STORE_OK)
            st = fail(r, SVC_ERROR, "cannot empty %s: %s", cat->t[i].name, store_errmsg(to));
    for (size_t i = 0; st == SVC_OK && i < cat->n; i++)
        if (!skipped(&cat->t[i]))
            st = copy_table(from, to, &cat->t[i], h, &m[i], r);
    return st == SVC_OK ? triggers(to, cat, true, r) : st;
}

/* Every table read back from to and compared. */
static enum svc_status compare_all(struct store *to, const struct store_catalogue *cat,
                                   const struct svc_move_hooks *h, struct svc_move_table *m,
                                   struct svc_move_result *r)
{
    for (size_t i = 0; i < cat->n; i++) {
        if (skipped(&cat->t[i]))
            continue;
        if (table_sum(to, &cat->t[i], &m[i].rows_to, m[i].sum_to) != STORE_OK)
            return fail(r, SVC_ERROR, "cannot read back %s: %s", cat->t[i].name, store_errmsg(to));
        m[i].name = cat->t[i].name;
        m[i].same = m[i].rows_from == m[i].rows_to && strcmp(m[i].sum_from, m[i].sum_to) == 0;
        if (!m[i].same)
            r->different++;
        if (h && h->compared)
            h->compared(h->arg, &m[i]);
    }
    if (r->different)
        return fail(r, SVC_CONFLICT, "%lld of %lld tables differ after the copy", (long long)r->different,
                    (long long)r->tables);
    return SVC_OK;
}

/* The audit chain on to: intact, and the source's entries to its newest. */
static enum svc_status audit_same(struct store *to, struct svc_move_result *r)
{
    const struct audit_verify *a = &r->audit_from, *b = &r->audit_to;
    if (svc_audit_verify(to, NULL, &r->audit_to) != SVC_OK)
        return fail(r, SVC_ERROR, "cannot read the destination's audit log: %s", store_errmsg(to));
    if (b->first_bad_id)
        return fail(r, SVC_CONFLICT, "the audit log does not verify on the destination (broken at entry %lld)",
                    (long long)b->first_bad_id);
    if (b->checked != a->checked || b->head.id != a->head.id || strcmp(b->head.hash, a->head.hash) != 0)
        return fail(r, SVC_CONFLICT, "the destination's audit log (%lld entries, newest %lld) is not the source's "
                    "(%lld entries, newest %lld)", (long long)b->checked, (long long)b->head.id,
                    (long long)a->checked, (long long)a->head.id);
    return SVC_OK;
}

static enum svc_status follow_identities(struct store *to, const struct store_catalogue *cat,
                                         struct svc_move_result *r)
{
    for (size_t i = 0; i < cat->n; i++)
        if (!skipped(&cat->t[i]) && store_identity_follow(to, &cat->t[i]) != STORE_OK)
            return fail(r, SVC_ERROR, "cannot move the ids of %s on: %s", cat->t[i].name, store_errmsg(to));
    return SVC_OK;
}

/* The copy itself, from's snapshot into to's write transaction. */
static enum svc_status move(struct store *from, struct store *to, const struct store_catalogue *cat,
                            const struct svc_move_hooks *h, struct svc_move_result *r)
{
    struct svc_move_table *m = calloc(cat->n ? cat->n : 1, sizeof *m);
    if (!m)
        return fail(r, SVC_ERROR, "out of memory");
    enum svc_status st = SVC_OK;
    /* One snapshot of the source: what is verified is what is copied. */
    if (store_begin(from) != STORE_OK || svc_audit_verify(from, NULL, &r->audit_from) != SVC_OK)
        st = fail(r, SVC_ERROR, "cannot read the source's audit log: %s", store_errmsg(from));
    else if (r->audit_from.first_bad_id)
        st = fail(r, SVC_INVALID,
                  "the source's audit log does not verify (broken at entry %lld): look into it with "
                  "tas audit verify before moving it", (long long)r->audit_from.first_bad_id);
    else if (store_begin_write(to) != STORE_OK)
        st = fail(r, SVC_ERROR, "cannot begin writing the destination: %s", store_errmsg(to));
    else {
        st = copy_all(from, to, cat, h, m, r);
        if (st == SVC_OK)
            st = compare_all(to, cat, h, m, r);
        if (st == SVC_OK)
            st = audit_same(to, r);
        if (st == SVC_OK && h && h->before_commit && h->before_commit(h->arg, to) != 0)
            st = fail(r, SVC_CONFLICT, "the last check on the destination failed");
        if (st == SVC_OK)
            st = follow_identities(to, cat, r);
        if (store_end_write(to, st == SVC_OK ? STORE_OK : STORE_ERROR) != STORE_OK && st == SVC_OK)
            st = fail(r, SVC_ERROR, "cannot commit the destination: %s", store_errmsg(to));
    }
    store_rollback(from);
    free(m);
    return st;
}

/* The destination's tables: none (its schema is made here by the
 * migrations) or the newest schema's, into cat. */
static enum svc_status destination(struct store *to, struct store_catalogue *cat, struct svc_move_result *r)
{
    char err[256] = "";
    if (store_catalogue_read(to, cat, err, sizeof err) != STORE_OK)
        return fail(r, SVC_ERROR, "the destination: %s", err);
    if (cat->n > 0) {
        int v = store_schema_version(to);
        if (v < 0)
            return fail(r, SVC_INVALID, "the destination already holds tables, not tas's: give it an empty "
                        "database");
        if (v != store_latest_version(to))
            return fail(r, SVC_INVALID, "the destination already holds a tas database (schema version %d): give "
                        "it an empty database", v);
        return SVC_OK;
    }
    if (store_migrate(to, err, sizeof err) != STORE_OK)
        return fail(r, SVC_ERROR, "cannot make the destination's schema: %s", err);
    r->migrated = true;
    store_catalogue_free(cat);
    if (store_catalogue_read(to, cat, err, sizeof err) != STORE_OK)
        return fail(r, SVC_ERROR, "the destination: %s", err);
    return SVC_OK;
}

enum svc_status svc_move_store(struct store *from, struct store *to, const struct svc_move_hooks *hooks,
                               struct svc_move_result *r)
{
    memset(r, 0, sizeof *r);
    if (!store_can_load(to))
        return fail(r, SVC_INVALID, "cannot copy into a %s database", store_backend_name(to));
    int have = store_schema_version(from), want = store_latest_version(from);
    if (have < 0)
        return fail(r, SVC_INVALID, "the source is not a tas database (it records no migrations)");
    if (have < want)
        return fail(r, SVC_INVALID, "the source is at schema version %d and this tas's is %d: run tas migrate "
                    "on it first", have, want);
    if (have > want)
        return fail(r, SVC_INVALID, "the source's schema (version %d) is newer than this tas knows (%d): use "
                    "a newer tas", have, want);
    r->version = have;

    struct store_catalogue cf = {0}, ct = {0};
    char err[256] = "";
    bool same = false;
    enum svc_status st = destination(to, &ct, r);
    if (st == SVC_OK && store_catalogue_read(from, &cf, err, sizeof err) != STORE_OK)
        st = fail(r, SVC_ERROR, "the source: %s", err);
    if (st == SVC_OK && !store_catalogue_same(&cf, &ct, err, sizeof err))
        st = fail(r, SVC_INVALID, "the source's tables and the destination's differ: %s", err);
    if (st == SVC_OK && store_migrations_same(from, to, &same, err, sizeof err) != STORE_OK)
        st = fail(r, SVC_ERROR, "cannot read the migrations applied: %s", err);
    else if (st == SVC_OK && !same)
        st = fail(r, SVC_INVALID, "the source's migrations and the destination's differ: %s", err);
    /* In the destination's order: its foreign keys are the ones checked. */
    if (st == SVC_OK)
        st = move(from, to, &ct, hooks, r);
    store_catalogue_free(&cf);
    store_catalogue_free(&ct);
    return st;
}
