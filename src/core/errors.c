#include "core/errors.h"

#include <string.h>

/* Copies src into dst (size n), truncating on a UTF-8 character boundary
 * so a cut message never ends in half a character. */
static void copy_trunc(char *dst, size_t n, const char *src)
{
    if (!src)
        src = "";
    size_t len = strlen(src);
    if (len >= n) {
        len = n - 1;
        while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
            len--;   /* src[len] is a continuation byte: back off */
    }
    memcpy(dst, src, len);
    dst[len] = '\0';
}

void field_errors_add(struct field_errors *e, const char *field, const char *message)
{
    if (!e || e->count >= FIELD_ERRORS_MAX)
        return;  /* beyond the limit: the summary already has plenty */
    struct field_error *it = &e->items[e->count++];
    copy_trunc(it->field, sizeof it->field, field);
    copy_trunc(it->message, sizeof it->message, message);
}

const char *field_errors_get(const struct field_errors *e, const char *field)
{
    if (!e || !field)
        return NULL;
    size_t n = e->count < FIELD_ERRORS_MAX ? e->count : FIELD_ERRORS_MAX;
    for (size_t i = 0; i < n; i++)
        if (strcmp(e->items[i].field, field) == 0)
            return e->items[i].message;
    return NULL;
}
