/* Micro-benchmark: a 200-row table rendered by the template engine, against
 * a hand-written loop producing the same HTML with buf_html, timed in the
 * same run so the ratio is comparable across machines.
 *   bench_tmpl [renders]      (default 2000) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "lib/buf.h"
#include "lib/embedded.h"
#include "web/tmpl.h"

/* Lets this file link without the generated embedded.c; weak, so the real
 * one wins when the build links it too. */
__attribute__((weak)) const struct embedded_file embedded_files[] = {{NULL, NULL, 0}};
__attribute__((weak)) const size_t embedded_count = 0;
__attribute__((weak)) const struct embedded_file *embedded_find(const char *name);
const struct embedded_file *embedded_find(const char *name)
{
    (void)name;
    return NULL;
}

enum { ROWS = 200 };

static const char table_src[] =
    "<table class=\"govuk-table\">\n"
    "  <caption class=\"govuk-table__caption\">{{caption}}</caption>\n"
    "  <tbody class=\"govuk-table__body\">\n"
    "  {{#rows}}\n"
    "    <tr class=\"govuk-table__row{{#@last}} last{{/@last}}\">\n"
    "      <td>{{@number}}</td>\n"
    "      <td><a href=\"/pupils/{{id}}\">{{name}}</a></td>\n"
    "      <td>{{email}}</td>\n"
    "      <td>{{year}}</td>\n"
    "      <td>{{#active}}Active{{/active}}{{^active}}Closed{{/active}}</td>\n"
    "    </tr>\n"
    "  {{/rows}}\n"
    "  </tbody>\n"
    "</table>\n";

static json_t *make_ctx(void)
{
    json_t *rows = json_array();
    for (int i = 0; i < ROWS; i++) {
        char name[64], email[64];
        snprintf(name, sizeof name, "Pupil %d O'Neill & <Sons>", i);
        snprintf(email, sizeof email, "pupil%d@school.example", i);
        json_array_append_new(rows, json_pack("{s:i, s:s, s:s, s:i, s:b}", "id", 1000 + i, "name", name,
                                              "email", email, "year", 7 + i % 5, "active", i % 4 != 0));
    }
    return json_pack("{s:s, s:o}", "caption", "Pupils in Year 7-11", "rows", rows);
}

/* Integers via one snprintf to the stack, not buf_printf (which formats
 * twice), so the baseline is a fair, tight hand-written loop. */
static void put_num(struct buf *b, long long v)
{
    char tmp[24];
    int n = snprintf(tmp, sizeof tmp, "%lld", v);
    if (n > 0)
        buf_append(b, tmp, (size_t)n);
}

/* What a handler would write without templates. */
static void handwritten(const json_t *ctx, struct buf *b)
{
    const json_t *rows = json_object_get(ctx, "rows");
    buf_puts(b, "<table class=\"govuk-table\">\n  <caption class=\"govuk-table__caption\">");
    buf_html(b, json_string_value(json_object_get(ctx, "caption")));
    buf_puts(b, "</caption>\n  <tbody class=\"govuk-table__body\">\n");
    size_t n = json_array_size(rows);
    for (size_t i = 0; i < n; i++) {
        const json_t *r = json_array_get(rows, i);
        buf_puts(b, i + 1 == n ? "    <tr class=\"govuk-table__row last\">\n"
                               : "    <tr class=\"govuk-table__row\">\n");
        buf_puts(b, "      <td>");
        put_num(b, (long long)i + 1);
        buf_puts(b, "</td>\n      <td><a href=\"/pupils/");
        put_num(b, (long long)json_integer_value(json_object_get(r, "id")));
        buf_puts(b, "\">");
        buf_html(b, json_string_value(json_object_get(r, "name")));
        buf_puts(b, "</a></td>\n      <td>");
        buf_html(b, json_string_value(json_object_get(r, "email")));
        buf_puts(b, "</td>\n      <td>");
        put_num(b, (long long)json_integer_value(json_object_get(r, "year")));
        buf_puts(b, json_is_true(json_object_get(r, "active")) ? "</td>\n      <td>Active</td>\n    </tr>\n"
                                                              : "</td>\n      <td>Closed</td>\n    </tr>\n");
    }
    buf_puts(b, "  </tbody>\n</table>\n");
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 2000;
    if (n <= 0)
        n = 2000;
    const char *names[] = {"table"};
    const char *srcs[] = {table_src};
    char err[256];
    struct tmpl_set *ts = tmpl_load(1, names, srcs, err, sizeof err);
    if (!ts) {
        fprintf(stderr, "load: %s\n", err);
        return 1;
    }
    json_t *ctx = make_ctx();
    struct buf a = BUF_INIT, b = BUF_INIT;

    /* Both must produce the same bytes, or the comparison means nothing. */
    if (tmpl_render(ts, "table", ctx, &a, err, sizeof err) != 0) {
        fprintf(stderr, "render: %s\n", err);
        return 1;
    }
    handwritten(ctx, &b);
    if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0) {
        fprintf(stderr, "outputs differ (%zu vs %zu bytes)\n", a.len, b.len);
        return 1;
    }

    /* Buffers are reused, as a server's would be, so allocation is not timed. */
    double t0 = now();
    for (long i = 0; i < n; i++) {
        buf_reset(&b);
        handwritten(ctx, &b);
    }
    double t1 = now();
    for (long i = 0; i < n; i++) {
        buf_reset(&a);
        tmpl_render(ts, "table", ctx, &a, err, sizeof err);
    }
    double t2 = now();

    double hand = (t1 - t0) / (double)n * 1e6, tmpl = (t2 - t1) / (double)n * 1e6;
    printf("%d rows, %zu bytes, %ld renders\n", ROWS, a.len, n);
    printf("handwritten: %.1f us/render\n", hand);
    printf("tmpl:        %.1f us/render\n", tmpl);
    printf("tmpl/handwritten ratio: %.2fx\n", hand > 0 ? tmpl / hand : 0.0);

    buf_free(&a);
    buf_free(&b);
    json_decref(ctx);
    tmpl_free(ts);
    return 0;
}
