/* The API's description (docs/openapi.json, compiled in) against the
 * server's route tables: every route under /api/v1/ is described with its
 * method, and everything described is routed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "lib/embedded.h"
#include "web/router.h"

static json_t *doc_paths(json_t **doc)
{
    const struct embedded_file *f = embedded_find("docs/openapi.json");
    assert_non_null(f);
    json_error_t e;
    *doc = json_loadb((const char *)f->data, f->size, JSON_REJECT_DUPLICATES, &e);
    if (!*doc)
        fail_msg("docs/openapi.json: %s (line %d)", e.text, e.line);
    assert_string_equal(json_string_value(json_object_get(*doc, "openapi")), "3.1.0");
    json_t *paths = json_object_get(*doc, "paths");
    assert_true(json_is_object(paths));
    return paths;
}

/* "/api/v1/pupils/:id/cases" as the document writes it: "/api/v1/pupils/{id}/cases". */
static void template_of(const char *pattern, char *out, size_t n)
{
    size_t o = 0;
    for (const char *p = pattern; *p && o + 8 < n;) {
        if (*p == ':') {
            out[o++] = '{';
            p++;
            while ((*p >= 'a' && *p <= 'z') || *p == '_')
                out[o++] = *p++;
            out[o++] = '}';
        } else
            out[o++] = *p++;
    }
    out[o] = '\0';
}

static void lower(const char *s, char *out, size_t n)
{
    size_t i = 0;
    for (; s[i] && i + 1 < n; i++)
        out[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    out[i] = '\0';
}

struct walk {
    json_t *paths;
    json_t *seen;      /* "get /api/v1/..." -> true, every API route */
    int api_routes;
    int missing;
};

static void each_route(const struct route *r, void *arg)
{
    struct walk *w = arg;
    if (strncmp(r->pattern, "/api/v1/", 8) != 0)
        return;
    char tmpl[512], m[16], key[600];
    template_of(r->pattern, tmpl, sizeof tmpl);
    lower(r->method, m, sizeof m);
    snprintf(key, sizeof key, "%s %s", m, tmpl);
    json_object_set_new(w->seen, key, json_true());
    w->api_routes++;
    json_t *item = json_object_get(w->paths, tmpl);
    json_t *op = item ? json_object_get(item, m) : NULL;
    if (!op) {
        print_error("not described in docs/openapi.json: %s %s\n", r->method, tmpl);
        w->missing++;
        return;
    }
    json_t *responses = json_object_get(op, "responses");
    if (!json_is_object(responses) || json_object_size(responses) == 0) {
        print_error("no responses: %s %s\n", r->method, tmpl);
        w->missing++;
    }
    if (json_object_get(responses, "default")) {
        print_error("a \"default\" response (every status must be named): %s %s\n", r->method, tmpl);
        w->missing++;
    }
}

static void every_api_route_described(void **state)
{
    (void)state;
    json_t *doc;
    struct walk w = {.paths = doc_paths(&doc), .seen = json_object()};
    route_each(each_route, &w);
    assert_true(w.api_routes > 150);
    assert_int_equal(w.missing, 0);
    json_decref(w.seen);
    json_decref(doc);
}

static void everything_described_is_routed(void **state)
{
    (void)state;
    json_t *doc;
    struct walk w = {.paths = doc_paths(&doc), .seen = json_object()};
    route_each(each_route, &w);
    int extra = 0;
    const char *tmpl;
    json_t *item;
    json_object_foreach(w.paths, tmpl, item) {
        const char *m;
        json_t *op;
        json_object_foreach(item, m, op) {
            if (strcmp(m, "parameters") == 0 || strcmp(m, "summary") == 0 || strcmp(m, "description") == 0)
                continue;
            char key[600];
            snprintf(key, sizeof key, "%s %s", m, tmpl);
            if (!json_object_get(w.seen, key)) {
                print_error("described but not routed: %s\n", key);
                extra++;
            }
        }
    }
    assert_int_equal(extra, 0);
    json_decref(w.seen);
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_api_route_described),
        cmocka_unit_test(everything_described_is_routed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
