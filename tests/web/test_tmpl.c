/* Tests for the template engine (src/web/tmpl.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/count.h"
#include "lib/embedded.h"
#include "web/tmpl.h"

/* A tiny stand-in for the generated embedded.c, so this test does not need
 * the build's templates.  Weak, so that when the build links the real
 * embedded.o as well, the real one wins and the test checks instead that
 * every real template parses. */
static const unsigned char fake_page[] =
    "<h1>{{title}}</h1>\n{{#rows}}\n{{> zz-tmpl-test-row}}\n{{/rows}}\n";
static const unsigned char fake_row[] = "<p>{{@number}}. {{.}}</p>\n";
static const unsigned char fake_sql[] = "{{ not a template";
__attribute__((weak)) const struct embedded_file embedded_files[] = {
    {"src/store/migrations/sqlite/0001_x.sql", fake_sql, sizeof fake_sql - 1},
    {"templates/zz-tmpl-test-row.html", fake_row, sizeof fake_row - 1},
    {"templates/zz-tmpl-test.html", fake_page, sizeof fake_page - 1},
    {NULL, NULL, 0},
};
__attribute__((weak)) const size_t embedded_count = 3;
__attribute__((weak)) const struct embedded_file *embedded_find(const char *name);
const struct embedded_file *embedded_find(const char *name)
{
    for (size_t i = 0; i < embedded_count; i++)
        if (strcmp(embedded_files[i].name, name) == 0)
            return &embedded_files[i];
    return NULL;
}

/* ---- helpers ---------------------------------------------------------- */

static struct tmpl_set *load_n(size_t n, const char *const *names, const char *const *srcs)
{
    char err[256] = "";
    struct tmpl_set *ts = tmpl_load(n, names, srcs, err, sizeof err);
    if (!ts)
        fail_msg("load failed: %s", err);
    return ts;
}

static struct tmpl_set *load1(const char *src)
{
    const char *names[] = {"t"};
    return load_n(1, names, &src);
}

/* Renders template "t" of ts with a context given as JSON text. */
static char *render_ts(const struct tmpl_set *ts, const char *name, const char *json)
{
    json_error_t je;
    json_t *ctx = json ? json_loads(json, 0, &je) : NULL;
    if (json && !ctx)
        fail_msg("bad test JSON: %s", je.text);
    struct buf out = BUF_INIT;
    char err[256] = "";
    int rc = tmpl_render(ts, name, ctx, &out, err, sizeof err);
    json_decref(ctx);
    if (rc != 0)
        fail_msg("render failed: %s", err);
    return buf_steal(&out, NULL);
}

/* Loads src as "t", renders it with json, compares with want. */
static void check(const char *src, const char *json, const char *want)
{
    struct tmpl_set *ts = load1(src);
    char *got = render_ts(ts, "t", json);
    if (strcmp(got, want) != 0)
        print_error("template: %s\ncontext:  %s\n", src, json ? json : "(null)");
    assert_string_equal(got, want);
    free(got);
    tmpl_free(ts);
}

/* Loading src as "bad" must fail with exactly want. */
static void check_load_error(const char *src, const char *want)
{
    const char *names[] = {"bad"};
    char err[256] = "";
    struct tmpl_set *ts = tmpl_load(1, names, &src, err, sizeof err);
    if (ts)
        print_error("template loaded but should not: %s\n", src);
    assert_null(ts);
    assert_string_equal(err, want);
}

/* ---- values ----------------------------------------------------------- */

static void test_escaping(void **state)
{
    (void)state;
    check("<p title=\"{{v}}\">{{v}}</p>", "{\"v\": \"a&b<c>d\\\"e'f`g\"}",
          "<p title=\"a&amp;b&lt;c&gt;d&quot;e&#39;f&#96;g\">a&amp;b&lt;c&gt;d&quot;e&#39;f&#96;g</p>");
    check("{{v}}", "{\"v\": \"<script>alert(1)</script>\"}",
          "&lt;script&gt;alert(1)&lt;/script&gt;");
    /* Template text itself is never touched. */
    check("<b>&amp;</b> {{v}}", "{\"v\": \"plain\"}", "<b>&amp;</b> plain");

    /* Strings with embedded NULs are written whole. */
    struct tmpl_set *ts = load1("[{{v}}|{{{v_html}}}]");
    json_t *ctx = json_pack("{s:s%, s:s%}", "v", "a\0<", (size_t)3, "v_html", "b\0>", (size_t)3);
    struct buf out = BUF_INIT;
    char err[256] = "";
    assert_int_equal(tmpl_render(ts, "t", ctx, &out, err, sizeof err), 0);
    assert_int_equal(out.len, 12);
    assert_memory_equal(out.data, "[a\0&lt;|b\0>]", 12);
    buf_free(&out);
    json_decref(ctx);
    tmpl_free(ts);
}

static void test_raw_html(void **state)
{
    (void)state;
    const char *ctx = "{\"body_html\": \"<b>x</b>&\", \"a\": {\"b_html\": \"<i>\"}}";
    check("{{{body_html}}}|{{& body_html}}|{{body_html}}", ctx,
          "<b>x</b>&|<b>x</b>&|&lt;b&gt;x&lt;/b&gt;&amp;");
    check("{{{ a.b_html }}}{{&a.b_html}}", ctx, "<i><i>");
    check("{{{missing_html}}}", ctx, "");

    check_load_error("ok\n{{{body}}}", "templates/bad.html:2: raw output needs a name ending in _html, not 'body'");
    check_load_error("{{& body}}", "templates/bad.html:1: raw output needs a name ending in _html, not 'body'");
    check_load_error("{{{.}}}", "templates/bad.html:1: raw output needs a name ending in _html, not '.'");
    check_load_error("{{{a_html.b}}}", "templates/bad.html:1: raw output needs a name ending in _html, not 'a_html.b'");
    check_load_error("{{{@index}}}", "templates/bad.html:1: raw output needs a name ending in _html, not '@index'");
    check_load_error("{{{html}}}", "templates/bad.html:1: raw output needs a name ending in _html, not 'html'");
}

static void test_value_types(void **state)
{
    (void)state;
    const char *ctx = "{\"s\": \"str\", \"i\": 42, \"neg\": -7, \"zero\": 0,"
                      " \"big\": 9223372036854775807, \"small\": -9223372036854775808,"
                      " \"r1\": 12.5, \"r2\": 3.0, \"r3\": 0.1, \"r4\": -2.25, \"r5\": 1e20,"
                      " \"r6\": 0.30000000000000004, \"r7\": 1234567.25, \"r8\": 3.14159265358979,"
                      " \"t\": true, \"f\": false, \"n\": null, \"o\": {\"k\": 1}, \"a\": [1, 2]}";
    check("{{s}}|{{i}}|{{neg}}|{{zero}}|{{big}}|{{small}}", ctx,
          "str|42|-7|0|9223372036854775807|-9223372036854775808");
    check("{{r1}}|{{r2}}|{{r3}}|{{r4}}|{{r5}}|{{r6}}|{{r7}}|{{r8}}", ctx,
          "12.5|3|0.1|-2.25|1e+20|0.3|1234567.25|3.14159265358979");
    check("[{{t}}|{{f}}|{{n}}|{{o}}|{{a}}|{{missing}}]", ctx, "[true|||||]");
    check("{{ s }}{{\ts\t}}{{\ns\n}}", ctx, "strstrstr");
    /* A NULL context renders like an empty one. */
    check("a{{x}}b{{#x}}c{{/x}}{{^x}}d{{/x}}{{.}}", NULL, "abd");
}

static void test_dot(void **state)
{
    (void)state;
    check("{{#a}}[{{.}}]{{/a}}", "{\"a\": [\"x\", 2, 1.5, true, null, \"<\"]}",
          "[x][2][1.5][true][][&lt;]");
    check("{{#s}}({{.}}){{/s}}", "{\"s\": \"one\"}", "(one)");
    check("{{.}}", "{\"k\": 1}", "");
}

/* ---- sections --------------------------------------------------------- */

static void test_sections(void **state)
{
    (void)state;
    check("<ul>{{#items}}<li>{{name}}</li>{{/items}}</ul>",
          "{\"items\": [{\"name\": \"a\"}, {\"name\": \"b<\"}, {\"name\": \"c\"}]}",
          "<ul><li>a</li><li>b&lt;</li><li>c</li></ul>");
    check("<ul>{{#items}}<li>x</li>{{/items}}</ul>", "{\"items\": []}", "<ul></ul>");
    check("{{#o}}{{k}}-{{j}}{{/o}}", "{\"o\": {\"k\": 1, \"j\": \"two\"}}", "1-two");
    check("{{#o}}in{{/o}}", "{\"o\": {}}", "");
    check("{{#b}}yes{{/b}}{{#c}}no{{/c}}", "{\"b\": true, \"c\": false}", "yes");
    check("{{#z}}zero is truthy{{/z}}", "{\"z\": 0}", "zero is truthy");
    check("{{#z}}0.0 too{{/z}}", "{\"z\": 0.0}", "0.0 too");
    check("{{#e}}x{{/e}}{{#n}}x{{/n}}{{#m}}x{{/m}}", "{\"e\": \"\", \"n\": null}", "");
    check("{{#s}}x{{/s}}", "{\"s\": \" \"}", "x");
    /* Text after a section is not glued onto the section's body. */
    check("a{{#f}}b{{/f}}c{{! c }}d{{#f}}e{{/f}}", "{\"f\": false}", "acd");
    check("a{{#f}}b{{/f}}c{{! c }}d{{#f}}e{{/f}}", "{\"f\": true}", "abcde");
    check("{{# list }}{{.}}{{/ list }}", "{\"list\": [1, 2, 3]}", "123");
    check("{{ #list }}{{.}}{{ /list }}", "{\"list\": [1, 2, 3]}", "123");
}

static void test_inverted(void **state)
{
    (void)state;
    const char *src = "{{^v}}empty{{/v}}";
    check(src, "{}", "empty");
    check(src, "{\"v\": null}", "empty");
    check(src, "{\"v\": false}", "empty");
    check(src, "{\"v\": \"\"}", "empty");
    check(src, "{\"v\": []}", "empty");
    check(src, "{\"v\": {}}", "empty");
    check(src, "{\"v\": 0}", "");
    check(src, "{\"v\": true}", "");
    check(src, "{\"v\": \"x\"}", "");
    check(src, "{\"v\": [0]}", "");
    check(src, "{\"v\": {\"a\": 1}}", "");
    /* An inverted section does not push anything. */
    check("{{^v}}{{w}}{{/v}}", "{\"w\": \"outer\"}", "outer");
    check("{{#v}}some{{/v}}{{^v}}none{{/v}}", "{\"v\": []}", "none");
}

static void test_nesting_and_lookup(void **state)
{
    (void)state;
    const char *ctx = "{\"school\": \"Hill <Primary>\", \"name\": \"top\","
                      " \"people\": [{\"name\": \"Ann\", \"roles\": [\"chair\", \"lead\"]},"
                      "              {\"name\": \"Bob\", \"roles\": []}]}";
    check("{{#people}}{{name}}@{{school}}:{{#roles}}{{.}}/{{name}},{{/roles}};{{/people}}{{name}}", ctx,
          "Ann@Hill &lt;Primary&gt;:chair/Ann,lead/Ann,;Bob@Hill &lt;Primary&gt;:;top");
    /* An inner key shadows an outer one, even when null or false. */
    check("{{#o}}[{{x}}]{{/o}}", "{\"x\": \"outer\", \"o\": {\"x\": null, \"y\": 1}}", "[]");
    check("{{#o}}[{{x}}]{{/o}}", "{\"x\": \"outer\", \"o\": {\"y\": 1}}", "[outer]");
    /* Once the first segment is found, the rest must resolve inside it:
     * no falling back to outer contexts. */
    check("{{#a}}[{{b.c}}]{{/a}}", "{\"b\": {\"c\": \"outer\"}, \"a\": {\"b\": {}}}", "[]");
    check("{{#a}}[{{b.c}}]{{/a}}", "{\"b\": {\"c\": \"outer\"}, \"a\": {\"z\": 1}}", "[outer]");
    /* Sections nest by name; a section over a name from an outer context. */
    check("{{#a}}{{#b}}{{#a}}{{v}}{{/a}}{{/b}}{{/a}}", "{\"a\": {\"v\": 1}, \"b\": true}", "1");
}

static void test_dotted_paths(void **state)
{
    (void)state;
    const char *ctx = "{\"a\": {\"b\": {\"c\": \"deep\"}, \"s\": \"str\"},"
                      " \"list\": [{\"name\": \"zero\"}, {\"name\": \"one\"}],"
                      " \"m\": {\"0\": \"key zero\"}, \"arr\": [[1, 2], [3, 4]]}";
    check("{{a.b.c}}|{{a.s}}|{{a.s.x}}|{{a.x.c}}|{{x.y}}", ctx, "deep|str|||");
    check("{{list.0.name}}|{{list.1.name}}|{{list.2.name}}|{{list.99999999999.name}}", ctx,
          "zero|one||");
    check("{{m.0}}|{{arr.1.0}}|{{arr.0.1}}", ctx, "key zero|3|2");
    check("{{#a.b}}{{c}}{{/a.b}}{{^a.q}}no q{{/a.q}}", ctx, "deepno q");
    check("{{#list.1}}{{name}}{{/list.1}}", ctx, "one");
    check("{{a-b.c_d}}", "{\"a-b\": {\"c_d\": 5}}", "5");
}

static void test_loop_variables(void **state)
{
    (void)state;
    const char *ctx = "{\"xs\": [\"a\", \"b\", \"c\"], \"one\": [\"solo\"],"
                      " \"grid\": [[1, 2], [3]], \"o\": {\"k\": \"v\"}}";
    check("{{#xs}}{{@index}}{{@number}}{{.}}{{#@first}}F{{/@first}}{{#@last}}L{{/@last}},{{/xs}}", ctx,
          "01aF,12b,23cL,");
    check("{{#xs}}{{.}}{{^@last}}, {{/@last}}{{/xs}}", ctx, "a, b, c");
    check("{{#one}}{{@first}}/{{@last}}/{{@index}}{{/one}}", ctx, "true/true/0");
    check("{{#xs}}{{@first}}|{{/xs}}", ctx, "true|||");
    /* Innermost loop wins; an object section does not hide the loop. */
    check("{{#grid}}{{@index}}:[{{#.}}{{@index}}{{/.}}]{{/grid}}", ctx, "0:[01]1:[0]");
    check("{{#xs}}{{#o}}{{@number}}{{k}}{{/o}}{{/xs}}", ctx, "1v2v3v");
    /* Outside any loop they are missing. */
    check("[{{@index}}{{@first}}]{{^@last}}none{{/@last}}", ctx, "[]none");
    check("{{#o}}[{{@index}}]{{/o}}", ctx, "[]");
    /* @index 0 is an integer, hence truthy. */
    check("{{#xs}}{{#@index}}i{{/@index}}{{/xs}}", ctx, "iii");
}

/* ---- partials --------------------------------------------------------- */

static void test_partials(void **state)
{
    (void)state;
    const char *names[] = {"page", "row", "tree", "missing_ref"};
    const char *srcs[] = {
        "<table>{{#rows}}{{> row}}{{/rows}}</table>{{>row}}",
        "<tr><td>{{@number}}</td><td>{{name}}</td><td>{{title}}</td></tr>",
        "{{name}}{{#kids}}({{>tree}}){{/kids}}",
        "before{{> nope}}after",
    };
    struct tmpl_set *ts = load_n(4, names, srcs);
    assert_true(tmpl_exists(ts, "page"));
    assert_true(tmpl_exists(ts, "row"));
    assert_false(tmpl_exists(ts, "nope"));
    assert_false(tmpl_exists(ts, "Page"));
    assert_false(tmpl_exists(ts, ""));

    char *got = render_ts(ts, "page", "{\"title\": \"T\", \"name\": \"outer\","
                                      " \"rows\": [{\"name\": \"a\"}, {\"name\": \"<b>\", \"title\": \"own\"}]}");
    assert_string_equal(got, "<table><tr><td>1</td><td>a</td><td>T</td></tr>"
                             "<tr><td>2</td><td>&lt;b&gt;</td><td>own</td></tr></table>"
                             "<tr><td></td><td>outer</td><td>T</td></tr>");
    free(got);

    /* Recursion that ends because the data ends is fine (leaves need an
     * empty "kids", or the lookup would find the parent's). */
    got = render_ts(ts, "tree", "{\"name\": \"r\", \"kids\": [{\"name\": \"a\", \"kids\": [{\"name\": \"b\", \"kids\": []}]},"
                                " {\"name\": \"c\", \"kids\": []}]}");
    assert_string_equal(got, "r(a(b))(c)");
    free(got);

    /* An unknown partial fails at render time, and the output is restored. */
    struct buf out = BUF_INIT;
    buf_puts(&out, "keep");
    char err[256] = "";
    assert_int_equal(tmpl_render(ts, "missing_ref", NULL, &out, err, sizeof err), -1);
    assert_string_equal(err, "unknown partial 'nope'");
    assert_string_equal(buf_str(&out), "keep");
    assert_int_equal(out.len, 4);
    buf_free(&out);
    tmpl_free(ts);
}

static void test_partial_depth(void **state)
{
    (void)state;
    /* p0 includes p1 ... p17 (the last is plain text). */
    enum { N = 18 };
    char namebuf[N][16], srcbuf[N][48];
    const char *names[N], *srcs[N];
    for (int i = 0; i < N; i++) {
        snprintf(namebuf[i], sizeof namebuf[i], "p%d", i);
        if (i < N - 1)
            snprintf(srcbuf[i], sizeof srcbuf[i], "%d{{> p%d}}", i, i + 1);
        else
            snprintf(srcbuf[i], sizeof srcbuf[i], "end");
        names[i] = namebuf[i];
        srcs[i] = srcbuf[i];
    }
    struct tmpl_set *ts = load_n(N, names, srcs);
    /* From p1: 16 partials deep, allowed.  From p0: 17, refused. */
    char *got = render_ts(ts, "p1", "{}");
    assert_string_equal(got, "12345678910111213141516end");
    free(got);

    struct buf out = BUF_INIT;
    char err[256] = "";
    assert_int_equal(tmpl_render(ts, "p0", NULL, &out, err, sizeof err), -1);
    assert_string_equal(err, "partials nested deeper than 16 (at 'p17')");
    assert_int_equal(out.len, 0);
    tmpl_free(ts);

    /* Endless self-inclusion is stopped. */
    ts = load1("x{{>t}}");
    err[0] = '\0';
    assert_int_equal(tmpl_render(ts, "t", NULL, &out, err, sizeof err), -1);
    assert_non_null(strstr(err, "deeper than 16"));
    assert_int_equal(out.len, 0);
    buf_free(&out);
    tmpl_free(ts);
}

/* Sections nested in sections multiply: eight levels over a 10-item list
 * visit 10^8 nodes, which is stopped with an error instead of holding the
 * worker (the fuzzer found such a template taking 74 s). */
static void test_step_budget(void **state)
{
    (void)state;
    struct tmpl_set *ts = load1("{{#r}}{{#r}}{{#r}}{{#r}}{{#r}}{{#r}}{{#r}}{{#r}}x"
                                "{{/r}}{{/r}}{{/r}}{{/r}}{{/r}}{{/r}}{{/r}}{{/r}}");
    json_t *ctx = json_loads("{\"r\":[0,1,2,3,4,5,6,7,8,9]}", 0, NULL);
    assert_non_null(ctx);
    struct buf out = BUF_INIT;
    buf_puts(&out, "keep");
    char err[256] = "";
    assert_int_equal(tmpl_render(ts, "t", ctx, &out, err, sizeof err), -1);
    assert_non_null(strstr(err, "more than 2000000 steps"));
    assert_string_equal(buf_str(&out), "keep");
    json_decref(ctx);

    /* Five levels (10^5 values, about 2.2 x 10^5 steps) are fine. */
    tmpl_free(ts);
    ts = load1("{{#r}}{{#r}}{{#r}}{{#r}}{{#r}}x{{/r}}{{/r}}{{/r}}{{/r}}{{/r}}");
    ctx = json_loads("{\"r\":[0,1,2,3,4,5,6,7,8,9]}", 0, NULL);
    buf_reset(&out);
    assert_int_equal(tmpl_render(ts, "t", ctx, &out, err, sizeof err), 0);
    assert_int_equal(out.len, 100000);
    json_decref(ctx);
    buf_free(&out);
    tmpl_free(ts);
}

/* ---- load-time errors ------------------------------------------------- */

static void test_syntax_errors(void **state)
{
    (void)state;
    static const struct { const char *src, *err; } cases[] = {
        {"a\nb {{x", "templates/bad.html:2: unclosed {{"},
        {"a\nb {{x}\n}", "templates/bad.html:2: unclosed {{"},
        {"{{", "templates/bad.html:1: unclosed {{"},
        {"\n\n{{{x_html}}", "templates/bad.html:3: {{{ must be closed by }}}"},
        {"{{#a}}\n\n{{/b}}", "templates/bad.html:3: {{/b}} does not match {{#a}} opened on line 1"},
        {"{{#a}}\n{{^b}}\n{{/a}}\n{{/b}}", "templates/bad.html:3: {{/a}} does not match {{^b}} opened on line 2"},
        {"x\n{{#a}}\ny\n", "templates/bad.html:2: unclosed section {{#a}}"},
        {"x\n{{^a}}{{#b}}{{/b}}\n", "templates/bad.html:2: unclosed section {{^a}}"},
        {"ok\n{{/a}}", "templates/bad.html:2: {{/a}} closes no open section"},
        {"\n\n{{%x}}", "templates/bad.html:3: unknown tag type '%'"},
        {"a\n{{! inside {{#x}} it ends }}", "templates/bad.html:2: a comment cannot hold a tag ({{ inside {{!)"},
        {"{{<x}}", "templates/bad.html:1: unknown tag type '<'"},
        {"{{$x}}", "templates/bad.html:1: unknown tag type '$'"},
        {"a\n{{=<% %>=}}", "templates/bad.html:2: delimiter changes are not supported"},
        {"{{}}", "templates/bad.html:1: empty name"},
        {"\n{{  }}", "templates/bad.html:2: empty name"},
        {"{{#}}{{/}}", "templates/bad.html:1: empty name"},
        {"{{> }}", "templates/bad.html:1: empty name"},
        {"{{&}}", "templates/bad.html:1: empty name"},
        {"{{a..b}}", "templates/bad.html:1: empty segment in name 'a..b'"},
        {"{{.a}}", "templates/bad.html:1: empty segment in name '.a'"},
        {"{{a.}}", "templates/bad.html:1: empty segment in name 'a.'"},
        {"{{a b}}", "templates/bad.html:1: bad character in name 'a b'"},
        {"{{a{{b}}", "templates/bad.html:1: bad character in name 'a{{b'"},
        {"{{> a b}}", "templates/bad.html:1: bad character in partial name 'a b'"},
        {"{{@foo}}", "templates/bad.html:1: unknown name '@foo' (only @index, @number, @first, @last)"},
        {"{{! multi\nline\ncomment }}\n{{#x}}\n{{/y}}",
         "templates/bad.html:5: {{/y}} does not match {{#x}} opened on line 4"},
        {"a\r\nb\r\n{{", "templates/bad.html:3: unclosed {{"},
    };
    for (size_t i = 0; i < COUNT(cases); i++)
        check_load_error(cases[i].src, cases[i].err);

    /* The error names the failing file, and a truncated buffer is safe. */
    const char *names[] = {"good", "other"};
    const char *srcs[] = {"{{fine}}", "\n\n\n{{#x}}"};
    char err[256] = "";
    assert_null(tmpl_load(2, names, srcs, err, sizeof err));
    assert_string_equal(err, "templates/other.html:4: unclosed section {{#x}}");
    char small[10];
    memset(small, 'X', sizeof small);
    assert_null(tmpl_load(2, names, srcs, small, sizeof small));
    assert_string_equal(small, "templates");
    assert_null(tmpl_load(2, names, srcs, NULL, 0));

    const char *dup_names[] = {"a", "a"};
    const char *dup_srcs[] = {"1", "2"};
    assert_null(tmpl_load(2, dup_names, dup_srcs, err, sizeof err));
    assert_string_equal(err, "templates/a.html:1: duplicate template");
}

static void test_unknown_template(void **state)
{
    (void)state;
    struct tmpl_set *ts = load1("x");
    struct buf out = BUF_INIT;
    char err[256] = "";
    assert_int_equal(tmpl_render(ts, "nope", NULL, &out, err, sizeof err), -1);
    assert_string_equal(err, "unknown template 'nope'");
    assert_int_equal(out.len, 0);
    assert_false(tmpl_exists(ts, "nope"));
    assert_true(tmpl_exists(ts, "t"));
    tmpl_free(ts);

    /* An empty set is valid. */
    ts = tmpl_load(0, NULL, NULL, err, sizeof err);
    assert_non_null(ts);
    assert_false(tmpl_exists(ts, "t"));
    assert_int_equal(tmpl_render(ts, "t", NULL, &out, err, sizeof err), -1);
    tmpl_free(ts);
    tmpl_free(NULL);
    buf_free(&out);
}

/* ---- standalone lines ------------------------------------------------- */

static void test_standalone(void **state)
{
    (void)state;
    const char *items = "{\"items\": [\"a\", \"b\"], \"t\": true}";
    check("<ul>\n  {{#items}}\n  <li>{{.}}</li>\n  {{/items}}\n</ul>\n", items,
          "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n");
    check("<ul>\n\t{{^items}}  \n<li>none</li>\n {{/items}}\t\n</ul>\n", items, "<ul>\n</ul>\n");
    check("a\n  {{! note }}  \nb\n", items, "a\nb\n");
    check("a\n{{! multi\n  line }}\nb\n", items, "a\nb\n");
    check("{{#t}}\nfirst line\n{{/t}}", items, "first line\n");
    check("a\n{{#t}}b\n{{/t}}", items, "a\nb\n");
    check("a\r\n{{#t}}\r\nb\r\n{{/t}}\r\n", items, "a\r\nb\r\n");
    /* Not standalone: other text or another tag on the line, a value tag. */
    check("a {{#t}}b{{/t}} c\n", items, "a b c\n");
    check("{{#t}}{{/t}}\nx", items, "\nx");
    check("  {{#t}}\n  {{/t}}\n", "{\"t\": false}", "");
    check("  {{items.0}}  \n", items, "  a  \n");
    check("x{{! c }}\ny", items, "x\ny");
    check("x\n{{#t}} y\n{{/t}}", items, "x\n y\n");
    check("a\n\r{{#t}}\nb{{/t}}", items, "a\n\r\nb");

    const char *names[] = {"t", "p"};
    const char *srcs[] = {"<div>\n  {{> p}}\n</div>\n", "<p>{{items.1}}</p>\n"};
    struct tmpl_set *ts = load_n(2, names, srcs);
    char *got = render_ts(ts, "t", items);
    assert_string_equal(got, "<div>\n<p>b</p>\n</div>\n");
    free(got);
    tmpl_free(ts);
}

/* ---- embedded --------------------------------------------------------- */

static void test_embedded(void **state)
{
    (void)state;
    char err[256] = "";
    struct tmpl_set *ts = tmpl_load_embedded(err, sizeof err);
    if (!ts)
        fail_msg("embedded templates do not load: %s", err);
    if (embedded_find("templates/zz-tmpl-test.html")) {
        assert_true(tmpl_exists(ts, "zz-tmpl-test"));
        assert_true(tmpl_exists(ts, "zz-tmpl-test-row"));
        assert_false(tmpl_exists(ts, "templates/zz-tmpl-test.html"));
        assert_false(tmpl_exists(ts, "0001_x"));
        char *got = render_ts(ts, "zz-tmpl-test", "{\"title\": \"T&C\", \"rows\": [\"x\", \"<y>\"]}");
        assert_string_equal(got, "<h1>T&amp;C</h1>\n<p>1. x</p>\n<p>2. &lt;y&gt;</p>\n");
        free(got);
    } else {
        print_message("real embedded files linked: checked that all templates parse\n");
    }
    tmpl_free(ts);
}

/* ---- concurrency and size --------------------------------------------- */

static const char table_src[] =
    "<table class=\"govuk-table\">\n"
    "  <caption>{{caption}}</caption>\n"
    "  {{#rows}}\n"
    "  <tr class=\"{{#@first}}first{{/@first}}{{#@last}}last{{/@last}}\">\n"
    "    <td>{{@number}}</td><td>{{name}}</td><td>{{email}}</td><td>{{score}}</td>\n"
    "    <td>{{#tags}}{{.}}{{^@last}}, {{/@last}}{{/tags}}{{^tags}}none{{/tags}}</td>\n"
    "    <td>{{> cell}}</td>\n"
    "  </tr>\n"
    "  {{/rows}}\n"
    "</table>\n";
static const char cell_src[] = "{{#active}}yes{{/active}}{{^active}}no{{/active}} {{school.name}}";

static json_t *make_rows(int n)
{
    json_t *rows = json_array();
    for (int i = 0; i < n; i++) {
        char name[64], email[64];
        snprintf(name, sizeof name, "Pupil <%d> & \"co\"", i);
        snprintf(email, sizeof email, "p%d@example.org", i);
        json_t *tags = json_array();
        for (int k = 0; k < i % 3; k++)
            json_array_append_new(tags, json_sprintf("t%d'", k));
        json_array_append_new(rows, json_pack("{s:s, s:s, s:f, s:b, s:o}", "name", name, "email", email,
                                              "score", i + 0.5, "active", i % 2, "tags", tags));
    }
    return json_pack("{s:s, s:o, s:{s:s}}", "caption", "Pupils", "rows", rows, "school", "name", "Hill & Dale");
}

/* The table's expected HTML, written out by hand. */
static void expected_table(struct buf *b, int n)
{
    buf_puts(b, "<table class=\"govuk-table\">\n  <caption>Pupils</caption>\n");
    for (int i = 0; i < n; i++) {
        buf_printf(b, "  <tr class=\"%s%s\">\n", i == 0 ? "first" : "", i == n - 1 ? "last" : "");
        buf_printf(b, "    <td>%d</td><td>Pupil &lt;%d&gt; &amp; &quot;co&quot;</td>"
                      "<td>p%d@example.org</td><td>%d.5</td>\n    <td>", i + 1, i, i, i);
        for (int k = 0; k < i % 3; k++)
            buf_printf(b, "%st%d&#39;", k ? ", " : "", k);
        if (i % 3 == 0)
            buf_puts(b, "none");
        buf_printf(b, "</td>\n    <td>%s Hill &amp; Dale</td>\n  </tr>\n", i % 2 ? "yes" : "no");
    }
    buf_puts(b, "</table>\n");
}

static struct tmpl_set *load_table(void)
{
    const char *names[] = {"table", "cell"};
    const char *srcs[] = {table_src, cell_src};
    return load_n(2, names, srcs);
}

static void test_large(void **state)
{
    (void)state;
    enum { ROWS = 5000 };
    struct tmpl_set *ts = load_table();
    json_t *ctx = make_rows(ROWS);
    struct buf out = BUF_INIT, want = BUF_INIT;
    char err[256] = "";
    assert_int_equal(tmpl_render(ts, "table", ctx, &out, err, sizeof err), 0);
    expected_table(&want, ROWS);
    assert_false(out.failed);
    assert_true(out.len > 500000);
    assert_int_equal(out.len, want.len);
    assert_string_equal(buf_str(&out), buf_str(&want));

    /* Rendering appends. */
    size_t len = out.len;
    assert_int_equal(tmpl_render(ts, "table", ctx, &out, err, sizeof err), 0);
    assert_int_equal(out.len, 2 * len);
    assert_memory_equal(out.data + len, want.data, len);
    buf_free(&out);
    buf_free(&want);
    json_decref(ctx);
    tmpl_free(ts);
}

struct thread_arg {
    const struct tmpl_set *ts;
    const json_t *ctx;
    const char *want;
    int mismatches;
};

static void *render_thread(void *p)
{
    struct thread_arg *a = p;
    struct buf out = BUF_INIT;
    char err[256];
    for (int i = 0; i < 100; i++) {
        buf_reset(&out);
        if (tmpl_render(a->ts, "table", a->ctx, &out, err, sizeof err) != 0 ||
            strcmp(buf_str(&out), a->want) != 0)
            a->mismatches++;
    }
    buf_free(&out);
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    enum { THREADS = 8 };
    struct tmpl_set *ts = load_table();
    json_t *ctx = make_rows(200);
    struct buf want = BUF_INIT;
    expected_table(&want, 200);

    pthread_t th[THREADS];
    struct thread_arg args[THREADS];
    for (int i = 0; i < THREADS; i++) {
        args[i] = (struct thread_arg){ts, ctx, buf_str(&want), 0};
        assert_int_equal(pthread_create(&th[i], NULL, render_thread, &args[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(pthread_join(th[i], NULL), 0);
        assert_int_equal(args[i].mismatches, 0);
    }
    buf_free(&want);
    json_decref(ctx);
    tmpl_free(ts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_raw_html),
        cmocka_unit_test(test_value_types),
        cmocka_unit_test(test_dot),
        cmocka_unit_test(test_sections),
        cmocka_unit_test(test_inverted),
        cmocka_unit_test(test_nesting_and_lookup),
        cmocka_unit_test(test_dotted_paths),
        cmocka_unit_test(test_loop_variables),
        cmocka_unit_test(test_partials),
        cmocka_unit_test(test_partial_depth),
        cmocka_unit_test(test_step_budget),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_unknown_template),
        cmocka_unit_test(test_standalone),
        cmocka_unit_test(test_embedded),
        cmocka_unit_test(test_large),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
