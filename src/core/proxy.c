#include "core/proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

/* Parses one address of n bytes (no surrounding spaces) into *a. */
static bool parse_addr(const char *s, size_t n, struct proxy_addr *a)
{
    char text[INET6_ADDRSTRLEN];
    if (n == 0 || n >= sizeof text)
        return false;
    memcpy(text, s, n);
    text[n] = '\0';
    memset(a, 0, sizeof *a);
    if (inet_pton(AF_INET, text, a->a) == 1) {
        a->family = AF_INET;
        return true;
    }
    if (inet_pton(AF_INET6, text, a->a) != 1)
        return false;
    a->family = AF_INET6;
    /* ::ffff:a.b.c.d is the IPv4 peer of a dual-stack socket */
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (!memcmp(a->a, mapped, sizeof mapped)) {
        memmove(a->a, a->a + 12, 4);
        memset(a->a + 4, 0, 12);
        a->family = AF_INET;
    }
    return true;
}

static bool listed(const struct proxy_list *l, const struct proxy_addr *a)
{
    size_t len = a->family == AF_INET ? 4 : 16;
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i].family == a->family && !memcmp(l->items[i].a, a->a, len))
            return true;
    return false;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* Walks a comma-separated list from its end: reads the entry just before
 * *end (without its spaces) into *a and moves *end to the comma before it,
 * or to NULL after the first entry.  -1 when the list is done, 0 when the
 * entry is not an address, 1 when it is. */
static int entry_before(const char *start, const char **end, struct proxy_addr *a)
{
    if (!*end)
        return -1;
    const char *e = *end, *b = e;
    while (b > start && b[-1] != ',')
        b--;
    *end = b > start ? b - 1 : NULL;
    while (b < e && is_space(*b))
        b++;
    while (e > b && is_space(e[-1]))
        e--;
    return parse_addr(b, (size_t)(e - b), a);
}

int proxy_list_add(struct proxy_list *l, const char *spec)
{
    struct proxy_list t = *l;
    const char *end = spec + strlen(spec);
    struct proxy_addr a;
    int got;
    while ((got = entry_before(spec, &end, &a)) >= 0) {
        if (!got || t.n == PROXY_MAX)
            return -1;
        t.items[t.n++] = a;
    }
    *l = t;
    return 0;
}

bool proxy_trusted(const struct proxy_list *l, const char *addr)
{
    struct proxy_addr a;
    return addr && parse_addr(addr, strlen(addr), &a) && listed(l, &a);
}

void proxy_client_addr(const struct proxy_list *l, const char *peer, const char *xff,
                       char *out, size_t outsz)
{
    snprintf(out, outsz, "%s", peer ? peer : "");
    if (!xff || !proxy_trusted(l, peer))
        return;
    const char *end = xff + strlen(xff);
    struct proxy_addr a;
    while (entry_before(xff, &end, &a) > 0) {
        if (listed(l, &a))
            continue;
        char text[INET6_ADDRSTRLEN];
        if (inet_ntop(a.family, a.a, text, sizeof text))
            snprintf(out, outsz, "%s", text);
        return;
    }
}
