/* Copying a whole database: the catalogue, rows as canonical text, loading
 * (store_copy.h).  The SQL here is built from names the catalogue gave,
 * each quoted; the backend's own catalogue queries are in its store_ops. */
#include "store/store_copy.h"
#include "lib/count.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/buf.h"
#include "store/store_internal.h"

/* Parameters in one INSERT of a batch (well under SQLite's and libpq's
 * limits), and rows in one at most. */
#define LOAD_PARAMS 2000
#define LOAD_ROWS 200

/* ---- names ------------------------------------------------------------ */

/* "name" with any '"' doubled: an identifier on both backends. */
static void put_name(struct buf *b, const char *name)
{
    buf_putc(b, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"')
            buf_putc(b, '"');
        buf_putc(b, *p);
    }
    buf_putc(b, '"');
}

static void put_cols(struct buf *b, const struct store_table *t)
{
    for (int i = 0; i < t->ncols; i++) {
        if (i)
            buf_puts(b, ", ");
        put_name(b, t->col[i]);
    }
}

/* Runs sql (built here) with no parameters to its end. */
static enum store_rc run_built(struct store *s, struct buf *sql)
{
    enum store_rc rc = sql->failed ? STORE_ERROR : store_exec_done(store_prepare(s, buf_str(sql)));
    buf_free(sql);
    return rc;
}

/* ---- the catalogue ---------------------------------------------------- */

static bool kind_of(const char *type, enum store_kind *k)
{
    static const struct {
        const char *type;
        enum store_kind kind;
    } kinds[] = {
        {"integer", STORE_KIND_INT}, {"bigint", STORE_KIND_INT}, {"boolean", STORE_KIND_INT},
        {"real", STORE_KIND_REAL},   {"double precision", STORE_KIND_REAL},
        {"text", STORE_KIND_TEXT},
    };
    for (size_t i = 0; i < COUNT(kinds); i++)
        if (strcasecmp(type, kinds[i].type) == 0) {
            *k = kinds[i].kind;
            return true;
        }
    return false;
}

struct names {
    char (*name)[STORE_NAME_MAX];
    size_t n, cap;
    bool failed;  /* out of memory, or a name too long */
};

static void take_name(struct store_stmt *st, void *arg)
{
    struct names *a = arg;
    const char *v = store_col_text(st, 0);
    if (a->failed || strlen(v) >= STORE_NAME_MAX) {
        a->failed = true;
        return;
    }
    if (a->n == a->cap) {
        size_t cap = a->cap ? 2 * a->cap : 64;
        char(*x)[STORE_NAME_MAX] = realloc(a->name, cap * sizeof *x);
        if (!x) {
            a->failed = true;
            return;
        }
        a->name = x;
        a->cap = cap;
    }
    memcpy(a->name[a->n++], v, strlen(v) + 1);
}

/* The names a catalogue query gives (for table, when not NULL). */
static enum store_rc read_names(struct store *s, const char *sql, const char *table, struct names *out)
{
    struct store_stmt *st = store_prepare(s, sql);
    if (table)
        store_bind_text(st, 1, table);
    enum store_rc rc = store_each_row(st, take_name, out);
    return rc == STORE_OK && out->failed ? STORE_ERROR : rc;
}

struct col_reader {
    struct store_table *t;
    char bad[256];  /* the first column that cannot be read */
};

static void take_col(struct store_stmt *st, void *arg)
{
    struct col_reader *r = arg;
    struct store_table *t = r->t;
    const char *name = store_col_text(st, 0), *type = store_col_text(st, 1);
    int64_t pk = store_col_int(st, 2);
    if (r->bad[0])
        return;
    if (t->ncols == STORE_COLS_MAX || strlen(name) >= STORE_NAME_MAX) {
        snprintf(r->bad, sizeof r->bad, "table %s has too many columns, or too long a name", t->name);
        return;
    }
    if (!kind_of(type, &t->kind[t->ncols])) {
        snprintf(r->bad, sizeof r->bad, "table %s, column %.63s: type %.40s cannot be copied", t->name, name,
                 type);
        return;
    }
    if (pk > 0 && pk <= STORE_COLS_MAX) {
        t->pk[pk - 1] = t->ncols;
        if (pk > t->npk)
            t->npk = (int)pk;
    }
    memcpy(t->col[t->ncols++], name, strlen(name) + 1);
}

static enum store_rc read_table(struct store *s, struct store_table *t, char *err, size_t errlen)
{
    struct col_reader r = {.t = t};
    struct store_stmt *st = store_prepare(s, s->ops->columns_sql);
    store_bind_text(st, 1, t->name);
    if (store_each_row(st, take_col, &r) != STORE_OK) {
        store_put_err(err, errlen, "cannot read the columns of %s: %s", t->name, store_errmsg(s));
        return STORE_ERROR;
    }
    if (r.bad[0]) {
        store_put_err(err, errlen, "%s", r.bad);
        return STORE_ERROR;
    }
    if (t->ncols == 0 || t->npk == 0) {
        store_put_err(err, errlen, "table %s has no primary key: its rows have no order to compare", t->name);
        return STORE_ERROR;
    }
    if (s->ops->identity_sql) {
        struct names id = {0};
        enum store_rc rc = read_names(s, s->ops->identity_sql, t->name, &id);
        if (rc == STORE_OK && id.n > 0)
            memcpy(t->identity, id.name[0], sizeof t->identity);
        free(id.name);
        if (rc != STORE_OK) {
            store_put_err(err, errlen, "cannot read the identity of %s: %s", t->name, store_errmsg(s));
            return STORE_ERROR;
        }
    }
    return STORE_OK;
}

static size_t find(const struct store_table *t, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i].name, name) == 0)
            return i;
    return n;
}

/* Puts the tables in an order where each follows those it references
 * (in name order among those ready), or says which form a cycle. */
static enum store_rc order_tables(struct store *s, struct store_table *t, size_t n, char *err, size_t errlen)
{
    bool *refs = calloc(n ? n * n : 1, sizeof *refs);  /* refs[i * n + j]: i references j */
    bool *placed = calloc(n ? n : 1, sizeof *placed);
    struct store_table *out = malloc((n ? n : 1) * sizeof *out);
    enum store_rc rc = refs && placed && out ? STORE_OK : STORE_ERROR;
    if (rc != STORE_OK)
        store_put_err(err, errlen, "out of memory");
    for (size_t i = 0; rc == STORE_OK && i < n; i++) {
        struct names r = {0};
        rc = read_names(s, s->ops->references_sql, t[i].name, &r);
        for (size_t k = 0; rc == STORE_OK && k < r.n; k++) {
            size_t j = find(t, n, r.name[k]);
            if (j < n && j != i)  /* a table's references to itself are its own rows' order */
                refs[i * n + j] = true;
        }
        free(r.name);
        if (rc != STORE_OK)
            store_put_err(err, errlen, "cannot read the foreign keys of %s: %s", t[i].name, store_errmsg(s));
    }
    for (size_t done = 0; rc == STORE_OK && done < n;) {
        size_t before = done;
        for (size_t i = 0; i < n; i++) {
            bool ready = !placed[i];
            for (size_t j = 0; ready && j < n; j++)
                ready = !refs[i * n + j] || placed[j];
            if (ready) {
                placed[i] = true;
                out[done++] = t[i];
            }
        }
        if (done == before) {
            size_t i = 0;
            while (placed[i])
                i++;
            store_put_err(err, errlen, "the foreign keys of %s and others form a cycle", t[i].name);
            rc = STORE_ERROR;
        }
    }
    if (rc == STORE_OK)
        memcpy(t, out, n * sizeof *t);
    free(refs);
    free(placed);
    free(out);
    return rc;
}

enum store_rc store_catalogue_read(struct store *s, struct store_catalogue *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    struct names names = {0};
    if (read_names(s, s->ops->tables_sql, NULL, &names) != STORE_OK) {
        store_put_err(err, errlen, "cannot list the tables: %s", names.failed ? "a name too long" : store_errmsg(s));
        free(names.name);
        return STORE_ERROR;
    }
    out->t = calloc(names.n ? names.n : 1, sizeof *out->t);
    if (!out->t) {
        free(names.name);
        store_put_err(err, errlen, "out of memory");
        return STORE_ERROR;
    }
    out->n = names.n;
    enum store_rc rc = STORE_OK;
    for (size_t i = 0; rc == STORE_OK && i < names.n; i++) {
        memcpy(out->t[i].name, names.name[i], STORE_NAME_MAX);
        rc = read_table(s, &out->t[i], err, errlen);
    }
    free(names.name);
    if (rc == STORE_OK)
        rc = order_tables(s, out->t, out->n, err, errlen);
    if (rc != STORE_OK)
        store_catalogue_free(out);
    return rc;
}

void store_catalogue_free(struct store_catalogue *c)
{
    free(c->t);
    c->t = NULL;
    c->n = 0;
}

static bool table_same(const struct store_table *x, const struct store_table *y, char *why, size_t whylen)
{
    for (int i = 0; i < x->ncols || i < y->ncols; i++) {
        if (i >= x->ncols || i >= y->ncols || strcmp(x->col[i], y->col[i]) != 0 || x->kind[i] != y->kind[i]) {
            store_put_err(why, whylen, "table %s: column %d is %s in one and %s in the other", x->name, i + 1,
                          i < x->ncols ? x->col[i] : "missing", i < y->ncols ? y->col[i] : "missing");
            return false;
        }
    }
    if (x->npk != y->npk || memcmp(x->pk, y->pk, (size_t)x->npk * sizeof x->pk[0]) != 0) {
        store_put_err(why, whylen, "table %s: the primary keys differ", x->name);
        return false;
    }
    return true;
}

bool store_catalogue_same(const struct store_catalogue *a, const struct store_catalogue *b, char *why,
                          size_t whylen)
{
    for (size_t i = 0; i < a->n; i++) {
        size_t j = find(b->t, b->n, a->t[i].name);
        if (j == b->n) {
            store_put_err(why, whylen, "table %s is in one and not the other", a->t[i].name);
            return false;
        }
        if (!table_same(&a->t[i], &b->t[j], why, whylen))
            return false;
    }
    for (size_t j = 0; j < b->n; j++)
        if (find(a->t, a->n, b->t[j].name) == a->n) {
            store_put_err(why, whylen, "table %s is in one and not the other", b->t[j].name);
            return false;
        }
    return true;
}

static void take_migration(struct store_stmt *st, void *arg)
{
    buf_printf(arg, "%lld %s\n", (long long)store_col_int(st, 0), store_col_text(st, 1));
}

enum store_rc store_migrations_same(struct store *a, struct store *b, bool *same, char *why, size_t whylen)
{
    static const char sql[] = "SELECT version, name FROM schema_migrations ORDER BY version";
    struct buf x = BUF_INIT, y = BUF_INIT;
    enum store_rc rc = store_each_row(store_prepare(a, sql), take_migration, &x);
    if (rc == STORE_OK)
        rc = store_each_row(store_prepare(b, sql), take_migration, &y);
    if (rc == STORE_OK && (x.failed || y.failed))
        rc = STORE_ERROR;
    if (rc != STORE_OK)
        store_put_err(why, whylen, "%s", x.failed || y.failed ? "out of memory" : store_errmsg(x.len ? b : a));
    *same = rc == STORE_OK && strcmp(buf_str(&x), buf_str(&y)) == 0;
    if (rc == STORE_OK && !*same) {
        const char *p = buf_str(&x), *q = buf_str(&y);
        while (*p && *p == *q)
            p++, q++;
        while (p > buf_str(&x) && p[-1] != '\n')
            p--, q--;
        store_put_err(why, whylen, "migration %.*s against %.*s", (int)strcspn(p, "\n"), *p ? p : "(none)",
                      (int)strcspn(q, "\n"), *q ? q : "(none)");
    }
    buf_free(&x);
    buf_free(&y);
    return rc;
}

/* ---- reading ---------------------------------------------------------- */

enum store_rc store_table_count(struct store *s, const struct store_table *t, int64_t *n)
{
    struct buf sql = BUF_INIT;
    buf_puts(&sql, "SELECT count(*) FROM ");
    put_name(&sql, t->name);
    *n = 0;
    enum store_rc rc = sql.failed ? STORE_ERROR : store_get_int(store_prepare(s, buf_str(&sql)), n);
    buf_free(&sql);
    return rc;
}

/* Rows read a page at a time (by the primary key, when it is one integer
 * column): a whole table in one result would be held whole by libpq, and
 * England's tables run to millions of rows. */
#define STORE_COPY_PAGE 10000

struct row_reader {
    const struct store_table *t;
    store_values_fn each;
    void *arg;
    enum store_rc rc;
    size_t rows;         /* read in this page */
    int64_t last;        /* the page's last key */
    const char *vals[STORE_COLS_MAX];
    char real[STORE_COLS_MAX][32];
};

/* A real's canonical text: "%.17g" of its value, which reads back as the
 * same double (SQLite's own text keeps 15 digits; PostgreSQL's, the
 * shortest exact).  A value that is not a number (SQLite stores what it is
 * given) stays as it is, so it cannot pass for 0. */
static const char *real_text(struct store_stmt *st, int col, char *out, size_t outsz)
{
    const char *v = store_col_text(st, col);
    char *end;
    (void)strtod(v, &end);
    if (!*v || *end)
        return v;
    snprintf(out, outsz, "%.17g", store_col_double(st, col));
    return out;
}

static void take_row(struct store_stmt *st, void *arg)
{
    struct row_reader *r = arg;
    if (r->rc != STORE_OK)
        return;
    r->rows++;
    r->last = store_col_int(st, r->t->pk[0]);
    for (int i = 0; i < r->t->ncols; i++) {
        if (store_col_is_null(st, i))
            r->vals[i] = NULL;
        else if (r->t->kind[i] == STORE_KIND_REAL)
            r->vals[i] = real_text(st, i, r->real[i], sizeof r->real[i]);
        else
            r->vals[i] = store_col_text(st, i);
    }
    r->rc = r->each(r->arg, r->vals);
}

enum store_rc store_table_rows(struct store *s, const struct store_table *t, store_values_fn each, void *arg)
{
    bool paged = t->npk == 1 && t->kind[t->pk[0]] == STORE_KIND_INT;
    struct buf sql = BUF_INIT;
    buf_puts(&sql, "SELECT ");
    put_cols(&sql, t);
    buf_puts(&sql, " FROM ");
    put_name(&sql, t->name);
    if (paged) {
        buf_puts(&sql, " WHERE ");
        put_name(&sql, t->col[t->pk[0]]);
        buf_puts(&sql, " > ?");
    }
    buf_puts(&sql, " ORDER BY ");
    for (int i = 0; i < t->npk; i++) {
        if (i)
            buf_puts(&sql, ", ");
        put_name(&sql, t->col[t->pk[i]]);
        if (t->kind[t->pk[i]] == STORE_KIND_TEXT)
            buf_puts(&sql, s->ops->order_text);
    }
    if (paged)
        buf_printf(&sql, " LIMIT %d", STORE_COPY_PAGE);
    struct row_reader *r = calloc(1, sizeof *r);
    enum store_rc rc = STORE_ERROR;
    if (r && !sql.failed) {
        *r = (struct row_reader){.t = t, .each = each, .arg = arg, .rc = STORE_OK, .last = INT64_MIN};
        do {
            struct store_stmt *st = store_prepare(s, buf_str(&sql));
            if (st && paged)
                store_bind_int(st, 1, r->last);
            r->rows = 0;
            rc = store_each_row(st, take_row, r);
            if (rc == STORE_OK)
                rc = r->rc;
        } while (rc == STORE_OK && paged && r->rows == STORE_COPY_PAGE);
    }
    free(r);
    buf_free(&sql);
    return rc;
}

/* ---- loading ---------------------------------------------------------- */

bool store_can_load(struct store *s)
{
    return s && s->ops->table_triggers;
}

enum store_rc store_table_triggers(struct store *s, const struct store_table *t, bool on)
{
    if (!store_can_load(s))
        return STORE_ERROR;
    struct buf name = BUF_INIT;
    put_name(&name, t->name);
    enum store_rc rc = name.failed ? STORE_ERROR : s->ops->table_triggers(s, buf_str(&name), on);
    buf_free(&name);
    return rc;
}

enum store_rc store_table_clear(struct store *s, const struct store_table *t)
{
    struct buf sql = BUF_INIT;
    buf_puts(&sql, "DELETE FROM ");
    put_name(&sql, t->name);
    return run_built(s, &sql);
}

struct store_loader {
    struct store *s;
    const struct store_table *t;
    int batch;         /* rows an INSERT */
    int n;             /* rows waiting */
    char **vals;       /* batch * ncols copies; NULL for SQL NULL */
    char *full_sql;    /* the INSERT of a whole batch */
    enum store_rc rc;
};

static char *insert_sql(const struct store_table *t, int rows)
{
    struct buf sql = BUF_INIT;
    buf_puts(&sql, "INSERT INTO ");
    put_name(&sql, t->name);
    buf_puts(&sql, " (");
    put_cols(&sql, t);
    buf_puts(&sql, ") VALUES ");
    for (int r = 0; r < rows; r++) {
        buf_puts(&sql, r ? ", (" : "(");
        for (int i = 0; i < t->ncols; i++)
            buf_puts(&sql, i ? ", ?" : "?");
        buf_putc(&sql, ')');
    }
    if (sql.failed) {
        buf_free(&sql);
        return NULL;
    }
    return buf_steal(&sql, NULL);
}

struct store_loader *store_loader_open(struct store *s, const struct store_table *t)
{
    struct store_loader *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->s = s;
    l->t = t;
    l->batch = LOAD_PARAMS / t->ncols;
    if (l->batch > LOAD_ROWS)
        l->batch = LOAD_ROWS;
    if (l->batch < 1)
        l->batch = 1;
    l->vals = calloc((size_t)l->batch * (size_t)t->ncols, sizeof *l->vals);
    l->full_sql = insert_sql(t, l->batch);
    if (!l->vals || !l->full_sql) {
        free(l->vals);
        free(l->full_sql);
        free(l);
        return NULL;
    }
    return l;
}

/* Writes the rows waiting, as one INSERT; the values are then freed. */
static void flush(struct store_loader *l)
{
    int nv = l->n * l->t->ncols;
    if (l->n > 0 && l->rc == STORE_OK) {
        char *part = l->n < l->batch ? insert_sql(l->t, l->n) : NULL;
        const char *sql = l->n < l->batch ? part : l->full_sql;
        struct store_stmt *st = sql ? store_prepare(l->s, sql) : NULL;
        for (int i = 0; i < nv; i++)
            store_bind_text(st, i + 1, l->vals[i]);  /* NULL binds NULL */
        l->rc = st ? store_exec_done(st) : STORE_ERROR;
        free(part);
    }
    for (int i = 0; i < nv; i++) {
        free(l->vals[i]);
        l->vals[i] = NULL;
    }
    l->n = 0;
}

enum store_rc store_loader_add(struct store_loader *l, const char *const *vals)
{
    if (l->rc != STORE_OK)
        return l->rc;
    char **row = l->vals + (size_t)l->n * (size_t)l->t->ncols;
    for (int i = 0; i < l->t->ncols; i++) {
        if (vals[i] && !(row[i] = strdup(vals[i])))
            l->rc = STORE_ERROR;
    }
    l->n++;
    if (l->n == l->batch || l->rc != STORE_OK)
        flush(l);
    return l->rc;
}

enum store_rc store_loader_close(struct store_loader *l)
{
    if (!l)
        return STORE_ERROR;
    flush(l);
    enum store_rc rc = l->rc;
    free(l->vals);
    free(l->full_sql);
    free(l);
    return rc;
}

enum store_rc store_identity_follow(struct store *s, const struct store_table *t)
{
    if (!s->ops->identity_set_sql || !t->identity[0])
        return STORE_OK;
    struct buf sql = BUF_INIT, name = BUF_INIT;
    buf_puts(&sql, "SELECT max(");
    put_name(&sql, t->identity);
    buf_puts(&sql, ") FROM ");
    put_name(&sql, t->name);
    put_name(&name, t->name);
    int64_t top = 0;
    enum store_rc rc = sql.failed || name.failed ? STORE_ERROR : store_get_int(store_prepare(s, buf_str(&sql)), &top);
    if (rc == STORE_OK) {
        struct store_stmt *st = store_prepare(s, s->ops->identity_set_sql);
        store_bind_text(st, 1, buf_str(&name));
        store_bind_text(st, 2, t->identity);
        store_bind_int(st, 3, top + 1);
        rc = store_exec_done(st);
    }
    buf_free(&sql);
    buf_free(&name);
    return rc;
}
