#include "web/server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lib/clock.h"
#include "web/router.h"
#include "web/upload.h"

struct server {
    struct MHD_Daemon *d;
    struct app *app;
    uint16_t port;
    atomic_int in_flight;
};

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    (void)kind;
    struct kvlist *l = cls;
    if (key)
        kvlist_add(l, key, strlen(key), value ? value : "", value ? strlen(value) : 0);
    return MHD_YES;
}

/* Joins the request's X-Forwarded-For lines with commas, in order, as
 * one list (RFC 9110 section 5.3). */
static enum MHD_Result join_forwarded(void *cls, enum MHD_ValueKind kind, const char *key,
                                      const char *value)
{
    (void)kind;
    struct buf *b = cls;
    if (key && value && !strcasecmp(key, "X-Forwarded-For")) {
        if (b->len)
            buf_append(b, ",", 1);
        buf_append(b, value, strlen(value));
    }
    return MHD_YES;
}

/* The TCP peer's address, or the client's behind a trusted proxy
 * (--trust-proxy; core/proxy.h says which entry is believed). */
static void client_addr(struct MHD_Connection *c, const struct app *app, char *out, size_t outsz)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    out[0] = '\0';
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    char peer[INET6_ADDRSTRLEN] = "";
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, peer, sizeof peer);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, peer, sizeof peer);
    struct buf xff = {0};
    if (proxy_trusted(&app->proxies, peer))
        MHD_get_connection_values(c, MHD_HEADER_KIND, join_forwarded, &xff);
    proxy_client_addr(&app->proxies, peer, xff.len ? buf_str(&xff) : NULL, out, outsz);
    buf_free(&xff);
}

/* Headers every response carries.  No inline script or style is ever
 * needed, so the policy can forbid them. */
static void security_headers(struct MHD_Response *r, const struct resp *rs, bool tls)
{
    /* Behind a TLS proxy (--secure-cookies): browsers keep to HTTPS for a
     * year (RFC 6797).  Never sent over plain HTTP, where it means nothing. */
    if (tls)
        MHD_add_response_header(r, "Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'none'; style-src 'self'; img-src 'self' data:; "
                            "font-src 'self'; script-src 'self'; connect-src 'self'; form-action 'self'; "
                            "base-uri 'none'; frame-ancestors 'none'");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
    MHD_add_response_header(r, "Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    MHD_add_response_header(r, "Cache-Control", rs->cache_control ? rs->cache_control : "no-store");
    if (rs->served_from)
        MHD_add_response_header(r, "X-Served-From", rs->served_from);
    if (rs->read_from)
        MHD_add_response_header(r, "X-Read-From", rs->read_from);
}

static void access_log(const struct req *rq, int status, size_t bytes)
{
    if (rq->app->quiet)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double ms = (double)(now.tv_sec - rq->started.tv_sec) * 1e3 +
                (double)(now.tv_nsec - rq->started.tv_nsec) / 1e6;
    time_t t = (time_t)clock_now();
    struct tm tm;
    char ts[32];
    gmtime_r(&t, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    /* Path only: query strings can hold names typed into a search box.
     * Spaces and control characters (a decoded %0A) are re-encoded so
     * nobody can write a made-up line or field into the log. */
    char path[sizeof rq->path * 3];
    size_t o = 0;
    /* A calendar feed's path is its secret: never logged. */
    const char *logged = strncmp(rq->path, "/calendar/", 10) == 0 ? "/calendar/(secret).ics" : rq->path;
    for (size_t i = 0; logged[i] && o < sizeof path - 4; i++) {
        unsigned char ch = (unsigned char)logged[i];
        if (ch <= 0x20 || ch == 0x7f)
            o += (size_t)snprintf(path + o, sizeof path - o, "%%%02X", ch);
        else
            path[o++] = (char)ch;
    }
    path[o] = '\0';
    fprintf(stderr, "%s %s %s %d %zu %.1fms\n", ts, rq->method, path, status, bytes, ms);
}

static enum MHD_Result send_resp(struct MHD_Connection *c, struct req *rq, struct resp *rs)
{
    size_t len = 0;
    char *body = buf_steal(&rs->body, &len);
    struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    security_headers(r, rs, rq->app->secure_cookies);
    MHD_add_response_header(r, "Content-Type",
                            rs->content_type ? rs->content_type : "text/html; charset=utf-8");
    if (rs->location)
        MHD_add_response_header(r, "Location", rs->location);
    if (rs->allow[0])
        MHD_add_response_header(r, "Allow", rs->allow);
    if (rs->disposition[0])
        MHD_add_response_header(r, "Content-Disposition", rs->disposition);
    if (rs->retry_after > 0) {
        char ra[24];
        snprintf(ra, sizeof ra, "%lld", (long long)rs->retry_after);
        MHD_add_response_header(r, "Retry-After", ra);
    }
    for (size_t i = 0; i < rs->ncookies; i++)
        MHD_add_response_header(r, "Set-Cookie", rs->cookies[i]);
    int status = rs->status ? rs->status : 200;
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)status, r);
    MHD_destroy_response(r);
    access_log(rq, status, len);
    return ok;
}

static enum MHD_Result plain_status(struct MHD_Connection *c, struct req *rq, int status,
                                    const char *text)
{
    struct resp rs = {.status = status, .content_type = "text/plain; charset=utf-8"};
    buf_puts(&rs.body, text);
    enum MHD_Result ok = send_resp(c, rq, &rs);
    resp_free(&rs);
    return ok;
}

/* Unescapes a path or query value as libmicrohttpd would, except that an
 * encoded NUL (%00) becomes DEL, which the request check refuses: a NUL
 * would otherwise cut the string short unseen. */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    for (char *p = strstr(s, "%00"); p; p = strstr(p + 3, "%00")) {
        p[1] = '7';
        p[2] = 'F';
    }
    return MHD_http_unescape(s);
}

static enum MHD_Result count_length(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    const char **first = cls;
    if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) != 0)
        return MHD_YES;
    if (!*first) {
        *first = value ? value : "";
        return MHD_YES;
    }
    if (strcmp(*first, value ? value : "") != 0) {
        *first = NULL;   /* two different lengths: stop and say so */
        return MHD_NO;
    }
    return MHD_YES;
}

/* What RFC 9112 says a server must not guess at: a path with a control
 * character in it (a decoded NUL or line break), an HTTP/1.1 request with
 * no Host, or two different Content-Lengths (the classic request smuggling
 * set-up).  NULL when the request may go on, else why not. */
static const char *malformed(struct MHD_Connection *c, const char *url, const char *version)
{
    for (const unsigned char *p = (const unsigned char *)url; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return "The address holds a character that is not allowed.\n";
    if (version && !strcmp(version, MHD_HTTP_VERSION_1_1) &&
        !MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST))
        return "An HTTP/1.1 request must name its Host.\n";
    const char *first = NULL;
    int n = MHD_get_connection_values(c, MHD_HEADER_KIND, count_length, &first);
    if (n > 0 && !first && MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH))
        return "The request gives two different lengths.\n";
    return NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
    struct server *srv = cls;
    struct req *rq = *con_cls;
    if (!rq) {
        rq = calloc(1, sizeof *rq);
        if (!rq)
            return MHD_NO;
        atomic_fetch_add(&srv->in_flight, 1);
        *con_cls = rq;
        rq->app = srv->app;
        rq->conn = c;
        rq->method = method;
        clock_gettime(CLOCK_MONOTONIC, &rq->started);
        rq->now = clock_now();
        client_addr(c, srv->app, rq->remote_addr, sizeof rq->remote_addr);
        if (strlen(url) >= sizeof rq->path) {
            snprintf(rq->path, sizeof rq->path, "/");
            return plain_status(c, rq, 414, "The address is too long.\n");
        }
        snprintf(rq->path, sizeof rq->path, "%s", url);
        const char *bad = malformed(c, url, version);
        if (bad)
            return plain_status(c, rq, 400, bad);
        /* A file sent to a route that takes one is read as it comes
         * (web/upload.h), up to the larger limit once the sender is known
         * to be signed in: nobody else can have the server write a large
         * file to disk. */
        rq->limit = srv->app->max_body;
        int64_t id;
        bool mismatch;
        const struct route *rt = route_find(method, rq->path, &id, &mismatch);
        if (rt && (rt->flags & ROUTE_UPLOAD) && upload_is_multipart(rq)) {
            if (upload_begin(rq) != 0)
                return plain_status(c, rq, 400, "The form could not be read.\n");
            if (dispatch_upload_allowed(rq))
                rq->limit = srv->app->max_upload;
        }
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > rq->limit)
            return plain_status(c, rq, 413, "The request is too large.\n");
        return MHD_YES;
    }
    if (*upload_size) {
        if (rq->received + *upload_size > rq->limit)
            rq->too_large = true;
        else if (rq->upload)
            rq->bad_upload = rq->bad_upload || upload_feed(rq, upload_data, *upload_size) != 0;
        else
            buf_append(&rq->body, upload_data, *upload_size);
        rq->received += *upload_size;
        *upload_size = 0;
        return MHD_YES;
    }
    if (rq->too_large)
        return plain_status(c, rq, 413, "The request is too large.\n");
    if (rq->upload && (upload_end(rq) != 0 || rq->bad_upload))
        return plain_status(c, rq, 400, "The form could not be read: send one file, with the page's own fields.\n");
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_arg, &rq->query);
    struct resp rs = {0};
    dispatch(rq, &rs);
    enum MHD_Result ok = send_resp(c, rq, &rs);
    resp_free(&rs);
    return ok;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)c;
    (void)toe;
    struct server *srv = cls;
    struct req *rq = *con_cls;
    if (!rq)
        return;
    buf_free(&rq->body);
    upload_free(rq);
    kvlist_free(&rq->query);
    kvlist_free(&rq->form);
    kvlist_free(&rq->scratch);
    req_arena_free(rq);
    if (rq->json)
        json_decref(rq->json);
    free(rq);
    *con_cls = NULL;
    atomic_fetch_sub(&srv->in_flight, 1);
}

static int parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *len)
{
    char host[128];
    const char *colon = strrchr(listen, ':');
    if (!colon || (size_t)(colon - listen) >= sizeof host)
        return -1;
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535 || colon[1] == '\0')
        return -1;
    memset(ss, 0, sizeof *ss);
    size_t hl = strlen(host);
    if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
        host[hl - 1] = '\0';
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host + 1, &a6->sin6_addr) != 1)
            return -1;
        *len = sizeof *a6;
        return AF_INET6;
    }
    struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
    a4->sin_family = AF_INET;
    a4->sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &a4->sin_addr) != 1)
        return -1;
    *len = sizeof *a4;
    return AF_INET;
}

struct server *server_start(struct app *app, const char *listen, unsigned threads,
                            char *err, size_t errlen)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    int family = parse_listen(listen, &ss, &sl);
    if (family < 0) {
        snprintf(err, errlen, "cannot understand listen address '%s' (want ADDR:PORT)", listen);
        return NULL;
    }
    struct server *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->app = app;
    atomic_init(&s->in_flight, 0);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC;
    if (family == AF_INET6)
        flags |= MHD_USE_IPv6;
    s->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
                            MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                            MHD_OPTION_THREAD_POOL_SIZE, threads ? threads : 4u,
                            MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
                            MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
                            /* caps the request line and headers of a connection */
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
                            MHD_OPTION_CONNECTION_LIMIT, 512u,
                            MHD_OPTION_CONNECTION_TIMEOUT, 30u,
                            MHD_OPTION_END);
    if (!s->d) {
        snprintf(err, errlen, "cannot listen on %s (in use, or not allowed)", listen);
        free(s);
        return NULL;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port : 0;
    return s;
}

uint16_t server_port(const struct server *s)
{
    return s->port;
}

void server_stop(struct server *s, int grace_seconds)
{
    if (!s)
        return;
    MHD_socket fd = MHD_quiesce_daemon(s->d);
    for (int i = 0; i < grace_seconds * 20 && atomic_load(&s->in_flight) > 0; i++)
        usleep(50 * 1000);
    MHD_stop_daemon(s->d);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    free(s);
}
