/* libFuzzer harness: the request pipeline's form and query decoder
 * (parse_urlencoded in src/web/request.c, which the dispatcher runs on
 * every application/x-www-form-urlencoded body and query string).
 *
 * Checks beyond "no crash": a decoded key or value never holds a NUL (it
 * would cut a value short further on), every pair is reachable through
 * kvlist_get, and a body made only of safe characters decodes to itself. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int all_plain(const uint8_t *d, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (d[i] == '%' || d[i] == '+' || d[i] == '&' || d[i] == '=' || d[i] == '\0')
            return 0;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct kvlist l = {0};
    int rc = parse_urlencoded((const char *)data, size, &l);
    for (size_t i = 0; i < l.n; i++) {
        /* strlen stops at the first NUL: each string must be whole. */
        if (!l.items[i].key || !l.items[i].val)
            abort();
        if (!kvlist_get(&l, l.items[i].key))
            abort();
    }
    if (size > 0 && all_plain(data, size)) {
        /* One bare key, no value: decodes to exactly the input. */
        if (rc != 0 || l.n != 1 || strlen(l.items[0].key) != size ||
            memcmp(l.items[0].key, data, size) != 0 || l.items[0].val[0] != '\0')
            abort();
    }
    kvlist_free(&l);
    return 0;
}
