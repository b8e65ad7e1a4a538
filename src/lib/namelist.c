#include "lib/namelist.h"

#include <string.h>

void namelist_add(char *list, size_t cap, const char *name)
{
    size_t len = strlen(name), n = strlen(list);
    if (!len)
        return;
    char *at = list;   /* where name goes: before the first item after it */
    while (*at) {
        char *end = strstr(at, ", ");
        size_t item = end ? (size_t)(end - at) : strlen(at);
        int cmp = strncmp(at, name, item < len ? item : len);
        if (cmp == 0 && item == len)
            return;   /* already there */
        if (cmp > 0 || (cmp == 0 && item > len))
            break;
        at = end ? end + 2 : at + item;
    }
    size_t add = n ? len + 2 : len;   /* the name, and ", " when not alone */
    if (n + add >= cap)
        return;
    if (!n) {
        memcpy(list, name, len + 1);
    } else if (!*at) {   /* last: ", name" */
        memcpy(list + n, ", ", 2);
        memcpy(list + n + 2, name, len + 1);
    } else {   /* before the item at: "name, " */
        memmove(at + add, at, strlen(at) + 1);
        memcpy(at, name, len);
        memcpy(at + len, ", ", 2);
    }
}
