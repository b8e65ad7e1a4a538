#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/validate.h"
#include "service/secrets.h"
#include "service/svc_audit.h"
#include "service/svc.h"
#include "store/store.h"

void cli_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("tas: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int cli_svc_failed(const char *what, enum svc_status st, const struct field_errors *e)
{
    fprintf(stderr, "tas: %s: %s", what, svc_status_text(st));
    for (size_t i = 0; e && i < e->count; i++)
        fprintf(stderr, "; %s: %s", e->items[i].field, e->items[i].message);
    fputc('\n', stderr);
    return -1;
}

int cli_number(const char *s, long min, long max, long *out)
{
    return parse_int_strict(s, min, max, out);
}

struct store *cli_open_migrated(const char *path, bool made)
{
    char err[256];
    struct store *s = store_open(path, err, sizeof err);
    if (!s) {
        cli_fail("cannot open database %s: %s", path, err);
        return NULL;
    }
    if (store_migrate(s, err, sizeof err) != STORE_OK) {
        if (made)
            cli_fail("cannot make the schema in %s: %s", path, err);
        else
            cli_fail("cannot bring database %s up to date: %s", path, err);
        store_close(s);
        return NULL;
    }
    return s;
}

struct store *cli_load_key(struct store *s, const char *path)
{
    char err[256];
    if (s && secrets_load(path, err, sizeof err) != 0) {
        cli_fail("server key for %s: %s", path, err);
        store_close(s);
        return NULL;
    }
    return s;
}

struct store *cli_open_db(const char *path)
{
    struct store *s = cli_open_migrated(path, false);
    if (!s)
        return NULL;
    /* Every command may append to (or check) the keyed audit chain; a
     * trail made under a key that is now missing needs that key back. */
    if (!strstr(path, "://") && !secrets_exist(path) && svc_audit_trail_exists(s)) {
        cli_fail("the server key of %s is missing (TAS_SECRET_KEY, or %s.key beside it) and its audit "
                 "trail was sealed with it: restore the key from where it was kept apart; a new key "
                 "would leave the whole trail unverifiable", path, path);
        store_close(s);
        return NULL;
    }
    return cli_load_key(s, path);
}

struct store *cli_open_system(const char *path, struct svc_ctx *ctx)
{
    struct store *s = cli_open_db(path);
    if (s)
        svc_ctx_init(ctx, s, svc_system_principal(), clock_now());
    return s;
}

void *cli_open_import(const char *path, struct svc_ctx *ctx, size_t size, struct store **s)
{
    *s = cli_open_system(path, ctx);
    void *report = *s ? calloc(1, size) : NULL;
    if (!report && *s) {
        store_close(*s);
        *s = NULL;
    }
    return report;
}

void *cli_open_file_import(const char *db, const char *path, const char *mode, FILE **in,
                           struct svc_ctx *ctx, size_t size, struct store **s)
{
    *in = fopen(path, mode);
    if (!*in) {
        cli_fail("cannot read %s", path);
        return NULL;
    }
    void *report = cli_open_import(db, ctx, size, s);
    if (!report)
        fclose(*in);
    return report;
}

char *cli_slurp(const char *path, size_t max)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(max + 1);
    size_t n = buf ? fread(buf, 1, max + 1, f) : 0;
    bool ok = buf && !ferror(f) && n <= max && memchr(buf, '\0', n) == NULL;
    fclose(f);
    if (!ok) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

void cli_progress_start(struct cli_progress *p, const char *what, const char *unit, FILE *in)
{
    struct stat sb;
    *p = (struct cli_progress){what, unit, in, 0, -1};
    if (fstat(fileno(in), &sb) == 0 && S_ISREG(sb.st_mode))
        p->size = (long long)sb.st_size;
}

void cli_progress_checked(void *arg, size_t checked, size_t written, size_t n)
{
    struct cli_progress *p = arg;
    bool writing = written > 0;
    size_t done = writing ? written : checked;
    /* Keys apart from cli_progress's percentages (0 to 100). */
    int key = (writing ? 1000 : 500) + (n ? (int)(10 * done / n) : 10);
    if (key == p->last || n == 0)
        return;
    p->last = key;
    fprintf(stderr, "tas: %s: %zu of %zu %s %s\n", p->what, done, n, p->unit, writing ? "written" : "checked");
}

void cli_progress(void *arg, size_t n)
{
    struct cli_progress *p = arg;
    long pos = ftell(p->in);
    int pct = p->size > 0 && pos >= 0 ? (int)(100.0 * (double)pos / (double)p->size) : -1;
    if (pct >= 0 && pct == p->last)
        return;
    p->last = pct;
    if (pct >= 0)
        fprintf(stderr, "tas: %s: %3d%% (%zu %s)\n", p->what, pct, n, p->unit);
    else
        fprintf(stderr, "tas: %s: %zu %s\n", p->what, n, p->unit);
}
