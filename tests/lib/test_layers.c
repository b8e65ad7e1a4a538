/* The include rules of the module map (docs/architecture.md): each layer
 * uses only the layers below it and its own libraries.  The test reads
 * every file under src/ and fails naming the file, the line and the rule
 * when an #include breaks one:
 *   lib      libc only: nothing from core, store, service, web or cli
 *   core     no I/O: nothing from store, service, web or cli
 *   store    nothing from service, web or cli
 *   service  nothing from web or cli, no jansson.h, no microhttpd.h
 *   web      nothing from cli
 * and nothing outside src/store includes sqlite3.h or libpq-fe.h (which
 * database a connection has is the store's business alone), nor prepares,
 * binds, steps or reads a statement: SQL is written in src/store's query
 * files only, and the layers above call their q_* functions.
 * Run from the repository's root (as make does), or with TAS_SRC set to
 * the src folder. */
#include <setjmp.h>
#include "lib/count.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct rule {
    const char *layer;          /* folder under src/ */
    const char *banned[10];      /* include prefixes it may not use */
};

static const struct rule rules[] = {
    {"lib", {"core/", "store/", "service/", "web/", "cli/", "sqlite3.h", "libpq-fe.h", NULL}},
    {"core", {"store/", "service/", "web/", "cli/", "sqlite3.h", "libpq-fe.h", "jansson.h", "microhttpd.h", NULL}},
    {"store", {"service/", "web/", "cli/", NULL}},
    {"service", {"web/", "cli/", "sqlite3.h", "libpq-fe.h", "jansson.h", "microhttpd.h", NULL}},
    {"web", {"cli/", "sqlite3.h", "libpq-fe.h", NULL}},
    {"cli", {"sqlite3.h", "libpq-fe.h", NULL}},
};

/* The layer of a path relative to src/ ("core/x.c" -> "core"; main.c is
 * the command line's). */
static const struct rule *rule_for(const char *rel)
{
    for (size_t i = 0; i < COUNT(rules); i++) {
        size_t n = strlen(rules[i].layer);
        if (strncmp(rel, rules[i].layer, n) == 0 && rel[n] == '/')
            return &rules[i];
    }
    return strcmp(rel, "main.c") == 0 ? &rules[COUNT(rules) - 1] : NULL;
}

/* The target of an #include line, or NULL. */
static const char *include_target(const char *line, char *out, size_t outsz)
{
    const char *p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p++ != '#')
        return NULL;
    while (*p == ' ' || *p == '\t')
        p++;
    if (strncmp(p, "include", 7) != 0)
        return NULL;
    p += 7;
    while (*p == ' ' || *p == '\t')
        p++;
    char close = *p == '<' ? '>' : *p == '"' ? '"' : 0;
    if (!close)
        return NULL;
    const char *end = strchr(++p, close);
    if (!end || (size_t)(end - p) >= outsz)
        return NULL;
    memcpy(out, p, (size_t)(end - p));
    out[end - p] = '\0';
    return out;
}

/* The banned prefix an include of target in file rel matches, or NULL. */
static const char *broken_rule(const char *rel, const char *target)
{
    const struct rule *r = rule_for(rel);
    if (!r)
        return NULL;
    for (size_t i = 0; r->banned[i]; i++)
        if (strncmp(target, r->banned[i], strlen(r->banned[i])) == 0)
            return r->banned[i];
    return NULL;
}

/* A statement call on line, outside src/store: the name, or NULL. */
static const char *statement_call(const char *rel, const char *line)
{
    static const char *const calls[] = {"store_prepare(", "store_bind_", "store_step(", "store_col_", NULL};
    if (strncmp(rel, "store/", 6) == 0)
        return NULL;
    for (size_t i = 0; calls[i]; i++)
        if (strstr(line, calls[i]))
            return calls[i];
    return NULL;
}

/* Checks one file; prints each broken rule and returns how many. */
static int check_file(const char *path, const char *rel)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        print_error("cannot read %s\n", path);
        return 1;
    }
    char line[1024], target[256];
    int bad = 0, lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        const char *rule;
        if (include_target(line, target, sizeof target) && (rule = broken_rule(rel, target))) {
            print_error("src/%s:%d includes <%s>: the %.*s layer may not use %s\n", rel, lineno, target,
                        (int)strcspn(rel, "/"), rel, rule);
            bad++;
        }
        if ((rule = statement_call(rel, line)) != NULL) {
            print_error("src/%s:%d calls %s: SQL belongs in src/store's query files\n", rel, lineno, rule);
            bad++;
        }
    }
    fclose(f);
    return bad;
}

static bool is_source(const char *name)
{
    size_t n = strlen(name);
    return n > 2 && name[n - 2] == '.' && (name[n - 1] == 'c' || name[n - 1] == 'h');
}

/* Walks dir (rel: its path under src/, "" for src itself); counts files
 * read and rules broken. */
static void walk(const char *dir, const char *rel, int *files, int *bad)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024], sub[512];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
        struct stat sb;
        if (stat(path, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode)) {
            walk(path, sub, files, bad);
        } else if (is_source(e->d_name)) {
            (*files)++;
            *bad += check_file(path, sub);
        }
    }
    closedir(d);
}

static const char *src_dir(void)
{
    const char *env = getenv("TAS_SRC");
    return env && *env ? env : "src";
}

static void test_sources_keep_the_rules(void **state)
{
    (void)state;
    int files = 0, bad = 0;
    walk(src_dir(), "", &files, &bad);
    /* Reading nothing would pass vacuously: the tree has well over 100. */
    if (files < 100)
        fail_msg("read only %d files under %s (run from the repository root or set TAS_SRC)", files,
                 src_dir());
    assert_int_equal(bad, 0);
}

/* The checker itself: a broken rule is caught, an allowed include is not. */
static void test_rules_catch_bad_includes(void **state)
{
    (void)state;
    char t[256];
    assert_string_equal(include_target("#include \"store/store.h\"\n", t, sizeof t), "store/store.h");
    assert_string_equal(include_target("  #  include <sqlite3.h>\n", t, sizeof t), "sqlite3.h");
    assert_null(include_target("/* #include <sqlite3.h> */\n", t, sizeof t));
    assert_null(include_target("#define X 1\n", t, sizeof t));

    assert_string_equal(broken_rule("core/policy.c", "store/store.h"), "store/");
    assert_string_equal(broken_rule("core/x.h", "web/request.h"), "web/");
    assert_string_equal(broken_rule("lib/buf.c", "core/codes.h"), "core/");
    assert_string_equal(broken_rule("service/svc.c", "jansson.h"), "jansson.h");
    assert_string_equal(broken_rule("service/svc.c", "microhttpd.h"), "microhttpd.h");
    assert_string_equal(broken_rule("web/server.c", "sqlite3.h"), "sqlite3.h");
    assert_string_equal(broken_rule("main.c", "sqlite3.h"), "sqlite3.h");
    assert_string_equal(broken_rule("store/q_pupils.c", "service/svc.h"), "service/");

    assert_string_equal(broken_rule("service/svc.c", "libpq-fe.h"), "libpq-fe.h");
    assert_string_equal(broken_rule("cli/cli_serve.c", "libpq-fe.h"), "libpq-fe.h");

    assert_null(broken_rule("store/store_sqlite.c", "sqlite3.h"));
    assert_null(broken_rule("store/store_pg.c", "libpq-fe.h"));
    assert_null(broken_rule("service/svc.c", "store/store.h"));
    assert_null(broken_rule("core/policy.c", "lib/buf.h"));
    assert_null(broken_rule("web/server.c", "microhttpd.h"));
    assert_null(broken_rule("cli/cli.c", "web/server.h"));

    assert_string_equal(statement_call("service/svc_agenda.c", "    struct store_stmt *q = store_prepare(c->db,"),
                        "store_prepare(");
    assert_string_equal(statement_call("web/h_x.c", "    store_bind_int(q, 1, id);"), "store_bind_");
    assert_null(statement_call("store/q_agenda.c", "    store_bind_int(st, 1, id);"));
    assert_null(statement_call("service/svc.c", "    enum store_rc rc = q_case_get(c->db, id, &r);"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules_catch_bad_includes),
        cmocka_unit_test(test_sources_keep_the_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
