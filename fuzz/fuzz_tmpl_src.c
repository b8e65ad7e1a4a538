/* libFuzzer harness: fuzzed template text, parsed by tmpl_load as template
 * "t" beside a fixed partial "p", then rendered with a fixed context.
 *
 * Escaping by default is checked: the context's "evil" value holds "<zq>";
 * unless the template text itself holds a '<', no "<zq" may appear in the
 * output (only an _html name may print raw, and none holds "<zq").  The
 * text's own '<' is excluded, not only "zq": "<z{{e}}q" renders "<zq" from
 * literal text around an empty value, which is not an escaping failure. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "web/tmpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static json_t *ctx;

static const char *skip_space(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

/* True when src includes itself ({{> t}}).  Depth is capped (TMPL_MAX_DEPTH)
 * but the work is not: a template including itself twice renders 2^16
 * times.  Templates are ours, not input, so such text is skipped rather
 * than reported as a time-out. */
static bool includes_itself(const char *src)
{
    for (const char *p = strstr(src, "{{"); p; p = strstr(p + 2, "{{")) {
        const char *q = skip_space(p + 2);
        if (*q != '>')
            continue;
        q = skip_space(q + 1);
        if (*q == 't' && strncmp(skip_space(q + 1), "}}", 2) == 0)
            return true;
    }
    return false;
}

static const char context_json[] =
    "{\"title\":\"T\",\"evil\":\"<zq>&\\\"'\",\"n\":0,\"r\":1.5,\"yes\":true,\"no\":false,"
    "\"nil\":null,\"ok_html\":\"<em>ok</em>\",\"rows\":[\"a\",{\"evil\":\"<zq>\",\"k\":[1,2]},3],"
    "\"o\":{\"evil\":\"<zq>\",\"inner\":{\"v\":\"w\"}},\"empty\":[],\"e\":\"\"}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ctx) {
        ctx = json_loads(context_json, 0, NULL);
        if (!ctx)
            abort();
    }
    if (size > 4096)
        return 0;
    char *src = malloc(size + 1);
    if (!src)
        return 0;
    memcpy(src, data, size);
    src[size] = '\0';
    if (includes_itself(src)) {
        free(src);
        return 0;
    }
    const char *names[] = {"t", "p"};
    const char *srcs[] = {src, "[{{evil}}|{{title}}|{{#rows}}{{.}}{{/rows}}]"};
    char err[256] = "";
    struct tmpl_set *ts = tmpl_load(2, names, srcs, err, sizeof err);
    if (ts) {
        struct buf out = BUF_INIT;
        if (tmpl_render(ts, "t", ctx, &out, err, sizeof err) == 0 && out.len &&
            !strchr(src, '<') && strstr(buf_str(&out), "<zq"))
            abort(); /* an unescaped value reached the page */
        buf_free(&out);
        tmpl_free(ts);
    }
    free(src);
    return 0;
}
