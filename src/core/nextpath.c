/* The safe "next" after sign-in (see nextpath.h). */
#include "core/nextpath.h"

#include <string.h>

#define NEXT_MAX 400

static bool starts(const char *s, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(s, prefix, n) == 0 && (s[n] == '\0' || s[n] == '?' || s[n] == '/');
}

bool next_path_safe(const char *s)
{
    if (!s || s[0] != '/' || s[1] == '/' || s[1] == '\\')
        return false;
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++, n++) {
        if (n >= NEXT_MAX || *p <= 0x20 || *p >= 0x7f || *p == '\\')
            return false;
    }
    /* "%2F%2F", "%5C" after the first slash are harmless in a path, but a
     * next that needs them is not one this service makes: refuse them too. */
    if (s[1] == '%' && (strncmp(s + 1, "%2f", 3) == 0 || strncmp(s + 1, "%2F", 3) == 0 ||
                        strncmp(s + 1, "%5c", 3) == 0 || strncmp(s + 1, "%5C", 3) == 0))
        return false;
    if (starts(s, "/sign-in") || starts(s, "/sign-out") || starts(s, "/api"))
        return false;
    return true;
}
