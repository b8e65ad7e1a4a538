/* The HTTP server: libmicrohttpd with a thread pool, request size limits,
 * security headers on every response, an access log without personal data,
 * and a graceful stop that lets requests in flight finish. */
#ifndef TAS_WEB_SERVER_H
#define TAS_WEB_SERVER_H

#include <stdint.h>

#include "web/http.h"

struct server;

/* listen: "ADDR:PORT" (IPv4, or [IPv6]:PORT); port 0 picks a free port. */
struct server *server_start(struct app *app, const char *listen, unsigned threads,
                            char *err, size_t errlen);
uint16_t server_port(const struct server *s);
/* Stops accepting, waits up to grace_seconds for requests in flight, stops. */
void server_stop(struct server *s, int grace_seconds);

/* Runs one parsed request through routing, session, CSRF and the handler
 * (dispatch.c). */
void dispatch(struct req *rq, struct resp *rs);
/* Since start: changes begun side by side with others (web/dispatch.c),
 * runs again after a conflict (each try counted), those runs that were the
 * last try, alone, and the times conflicts were so frequent that the
 * changes after took turns for a while. */
struct dispatch_stats {
    uint64_t side_by_side, again, alone, cooled;
};
void dispatch_stats(struct dispatch_stats *out);
/* Whether the request comes from a signed-in session (or an API token)
 * that may change things: only such a request may send an upload route
 * more than the general limit (dispatch.c; called before the body is read). */
bool dispatch_upload_allowed(struct req *rq);

#endif
