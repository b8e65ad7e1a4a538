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

/* The entry of a comma-separated list that ends just before *end (the end
 * of the text or a comma), without its spaces; moves *end to the comma
 * before it, or to the start (*more false) when it was the first. */
static void entry_before(const char *start, const char **end, const char **from, size_t *n,
                         bool *more)
{
    const char *e = *end, *b = e;
    while (b > start && b[-1] != ',')
        b--;
    *more = b > start;
    *end = *more ? b - 1 : start;
    while (b < e && is_space(*b))
        b++;
    while (e > b && is_space(e[-1]))
        e--;
    *from = b;
    *n = (size_t)(e - b);
}

int proxy_list_add(struct proxy_list *l, const char *spec)
{
    struct proxy_list t = *l;
    const char *end = spec + strlen(spec), *from;
    size_t n;
    bool more = true;
    while (more) {
        entry_before(spec, &end, &from, &n, &more);
        struct proxy_addr a;
        if (!parse_addr(from, n, &a) || t.n == PROXY_MAX)
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
    const char *end = xff + strlen(xff), *from;
    size_t n;
    bool more = true;
    while (more) {
        entry_before(xff, &end, &from, &n, &more);
        struct proxy_addr a;
        if (!parse_addr(from, n, &a))
            return;
        if (listed(l, &a))
            continue;
        char text[INET6_ADDRSTRLEN];
        if (inet_ntop(a.family, a.a, text, sizeof text))
            snprintf(out, outsz, "%s", text);
        return;
    }
}
