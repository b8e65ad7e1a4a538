/* The client's address behind a reverse proxy.  Behind nginx every
 * connection comes from the proxy, so the audit log and the sign-in
 * throttle would see one address for everyone; the proxy names the client
 * in X-Forwarded-For.  Only a proxy tas was told to trust may do so:
 * anyone else could write any address there.  Pure: no I/O. */
#ifndef TAS_CORE_PROXY_H
#define TAS_CORE_PROXY_H

#include <stdbool.h>
#include <stddef.h>

#define PROXY_MAX 16

/* Exact addresses (no ranges), kept in binary so "::1" and "0::1" are one. */
struct proxy_list {
    size_t n;
    struct proxy_addr {
        int family;                 /* AF_INET or AF_INET6 */
        unsigned char a[16];
    } items[PROXY_MAX];
};

/* Adds "ADDR" or "ADDR,ADDR,..." (IPv4 or IPv6, spaces around commas
 * allowed) to l.  0, or -1 when an entry is not an IP address or there
 * would be more than PROXY_MAX (l is then unchanged). */
int proxy_list_add(struct proxy_list *l, const char *spec);

/* True when addr is an IP address in l (an IPv4-mapped IPv6 address counts
 * as its IPv4 one). */
bool proxy_trusted(const struct proxy_list *l, const char *addr);

/* Writes to out the address to record for a request whose TCP peer is
 * peer and whose X-Forwarded-For (all its header lines joined by commas, in
 * order) is xff, or NULL:
 *  - the peer, unless it is in l: an untrusted peer's header is ignored;
 *  - else the right-most entry of xff that is not itself in l, when it is
 *    an IP address (written in its canonical form); each proxy appends the
 *    address it received the request from, so entries to the left of the
 *    first untrusted one were written by the client and prove nothing
 *    (RFC 7239: section 4, each proxy appends; section 8.1, a value is only
 *    as good as the proxies that wrote it; section 7.4, X-Forwarded-For is
 *    the older form of its "for" parameter);
 *  - else the peer (the header is missing, names only trusted proxies, or
 *    its right-most untrusted entry is not an address).
 * out is always terminated; outsz of 46 (INET6_ADDRSTRLEN) or more holds
 * any address. */
void proxy_client_addr(const struct proxy_list *l, const char *peer, const char *xff,
                       char *out, size_t outsz);

#endif
