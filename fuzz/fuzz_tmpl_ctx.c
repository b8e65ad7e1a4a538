/* libFuzzer harness: the real templates (embedded in the binary) rendered
 * with a fuzzed JSON context.  The first byte picks the template; the rest
 * is the context, parsed by jansson (non-objects are wrapped as {"x": v}
 * so arrays and scalars reach sections too).  Rendering must not fail on
 * any context: every template and partial exists and nests shallowly. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/embedded.h"
#include "web/tmpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct tmpl_set *set;
static char names[256][96];
static size_t nnames;

static void load_once(void)
{
    char err[256] = "";
    set = tmpl_load_embedded(err, sizeof err);
    if (!set) {
        fprintf(stderr, "fuzz_tmpl_ctx: %s\n", err);
        abort();
    }
    const char pre[] = "templates/", suf[] = ".html";
    for (size_t i = 0; i < embedded_count && nnames < 256; i++) {
        const char *n = embedded_files[i].name;
        size_t len = strlen(n);
        if (strncmp(n, pre, sizeof pre - 1) != 0 || len < sizeof pre + sizeof suf - 2 ||
            strcmp(n + len - (sizeof suf - 1), suf) != 0)
            continue;
        snprintf(names[nnames], sizeof names[0], "%.*s", (int)(len - (sizeof pre - 1) - (sizeof suf - 1)),
                 n + sizeof pre - 1);
        nnames++;
    }
    if (nnames == 0) {
        fprintf(stderr, "fuzz_tmpl_ctx: no embedded templates\n");
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!set)
        load_once();
    if (size < 1)
        return 0;
    const char *name = names[data[0] % nnames];
    json_error_t je;
    json_t *ctx = json_loadb((const char *)data + 1, size - 1, JSON_DECODE_ANY, &je);
    if (!ctx)
        return 0;
    if (!json_is_object(ctx))
        ctx = json_pack("{s:o}", "x", ctx);
    struct buf out = BUF_INIT;
    char err[256] = "";
    if (tmpl_render(set, name, ctx, &out, err, sizeof err) != 0) {
        fprintf(stderr, "fuzz_tmpl_ctx: %s: %s\n", name, err);
        abort();
    }
    buf_free(&out);
    json_decref(ctx);
    return 0;
}
