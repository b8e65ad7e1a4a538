/* One request's path through tas: route, parse the body, find the
 * session, check the CSRF token on anything that changes state, then the
 * handler.  Access decisions are not made here but in the services, through
 * the policy point. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/contention.h"
#include "core/nextpath.h"
#include "web/audit_trail.h"
#include "web/router.h"
#include "web/server.h"
#include "web/view.h"

/* Here, with the pipeline that opens the request's database and session,
 * not in request.c: that file only reads what was sent (and is fuzzed on
 * its own, without the services). */
struct svc_ctx req_svc_ctx(struct req *rq)
{
    struct svc_ctx c;
    svc_ctx_init(&c, rq->db, &rq->sess.who, rq->now);
    return c;
}

static bool changes_state(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

static bool token_equal(const char *a, const char *b)
{
    if (!a || !b)
        return false;
    size_t n = strlen(a);
    return n == 64 && strlen(b) == n && sodium_memcmp(a, b, n) == 0;
}

static int parse_body(struct req *rq, struct resp *rs)
{
    if (rq->body.len == 0)
        return 0;
    const char *ct = req_header(rq, "Content-Type");
    if (ct && strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0) {
        if (parse_urlencoded(rq->body.data, rq->body.len, &rq->form) != 0) {
            view_error(rq, rs, 400, "Sorry, the form could not be read",
                       "The form was not sent correctly. Go back and try again.");
            return -1;
        }
        return 0;
    }
    if (ct && strncasecmp(ct, "application/json", 16) == 0) {
        json_error_t je;
        rq->json = json_loadb(rq->body.data, rq->body.len, JSON_REJECT_DUPLICATES, &je);
        if (!rq->json || !json_is_object(rq->json)) {
            rq->api = true;
            view_error(rq, rs, 400, "Bad request", "The body is not a JSON object.");
            return -1;
        }
        return 0;
    }
    view_error(rq, rs, 415, "Unsupported content",
               "Send forms as application/x-www-form-urlencoded or data as application/json.");
    return -1;
}

/* Signed in: the session's token must come back in the form or a header.
 * Not signed in (the sign-in form): the token in the form must match the
 * one set in a cookie when the form was shown (double submit); a JSON
 * sign-in cannot be sent cross-site without a CORS preflight. */
static bool csrf_ok(struct req *rq)
{
    const char *sent = req_header(rq, "X-CSRF-Token");
    if (!sent)
        sent = kvlist_get(&rq->form, "csrf");
    if (rq->signed_in)
        return token_equal(sent, rq->sess.csrf);
    if (rq->api)
        return rq->json != NULL;
    return token_equal(sent, req_cookie(rq, CSRF_COOKIE(rq->app)));
}

/* Not signed in: to the sign-in page, naming the page asked for (a GET
 * only) as next, so signing in returns there (h_auth.c checks it again). */
static void redirect_to_sign_in(struct req *rq, struct resp *rs)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, rq->session_expired ? "/sign-in?expired=1" : "/sign-in");
    if (strcmp(rq->method, "GET") == 0 && strcmp(rq->path, "/") != 0) {
        struct buf next = BUF_INIT;
        for (const char *seg = rq->path; *seg;) {   /* each segment encoded, the slashes kept */
            const char *slash = strchr(seg + 1, '/');
            size_t len = slash ? (size_t)(slash - seg) : strlen(seg);
            char part[512];
            snprintf(part, sizeof part, "%.*s", (int)(len - 1), seg + 1);
            buf_putc(&next, '/');
            buf_urlenc(&next, part);
            seg += len;
        }
        for (size_t i = 0; i < rq->query.n; i++) {
            buf_puts(&next, i ? "&" : "?");
            buf_urlenc(&next, rq->query.items[i].key);
            buf_puts(&next, "=");
            buf_urlenc(&next, rq->query.items[i].val ? rq->query.items[i].val : "");
        }
        if (next_path_safe(buf_str(&next))) {
            buf_puts(&b, rq->session_expired ? "&next=" : "?next=");
            buf_urlenc(&b, buf_str(&next));
        }
        buf_free(&next);
    }
    resp_redirect(rs, buf_str(&b));
    buf_free(&b);
}

/* GET /pupils.csv: the list route /api/v1/pupils when it offers CSV
 * (ROUTE_CSV).  The request becomes that one, for the whole list, and
 * view_json writes its rows as CSV (web/list_csv.h). */
static const struct route *csv_route(struct req *rq, struct resp *rs)
{
    size_t n = strlen(rq->path);
    if (strcmp(rq->method, "GET") != 0 || rq->api || n < 6 || strcmp(rq->path + n - 4, ".csv") != 0)
        return NULL;
    char api[sizeof rq->path];
    if (snprintf(api, sizeof api, "/api/v1%.*s", (int)(n - 4), rq->path) >= (int)sizeof api)
        return NULL;
    int64_t id = 0;
    bool mismatch;
    const struct route *rt = route_find("GET", api, &id, &mismatch);
    if (!rt || !(rt->flags & ROUTE_CSV))
        return NULL;
    memcpy(rq->path, api, strlen(api) + 1);
    rq->id = id;
    rq->csv = true;
    rs->csv_list = strrchr(rq->path, '/') + 1;
    return rt;
}

/* The session a request comes with: an API token (Authorization: Bearer,
 * under /api/v1/ only; *bearer is then true), else the tas_session cookie. */
static enum session_result find_session(struct req *rq, bool *bearer)
{
    const char *token = rq->api ? req_header(rq, "Authorization") : NULL;
    *bearer = token != NULL;
    if (token)
        return svc_token_resume(rq->db, token, rq->now, &rq->sess, &rq->token_id);
    const char *cookie = req_cookie(rq, "tas_session");
    return cookie ? svc_session_resume(rq->db, &rq->app->auth, cookie, rq->now, &rq->sess) : SESSION_NONE;
}

/* A change runs in one write transaction (audit_trail_begin to _end),
 * which can be run again from its start: so it may run beside other
 * writers (store_write_side_by_side; PostgreSQL), where the server may
 * fail one that conflicted with another (store_conflicted), rolling all
 * of it back.  It then runs again, after a short random pause, so that two
 * that met do not meet again.  The last try runs alone, where nothing can
 * fail it that way, so every change ends saved or refused for its own
 * reasons, never for its neighbours'. */
enum { CHANGE_TRIES = 4 };

/* Whether changes run side by side or take turns: core/contention.h. */
static struct contention contention;
static _Atomic uint64_t n_side_by_side, n_again, n_alone;

void dispatch_stats(struct dispatch_stats *out)
{
    out->side_by_side = n_side_by_side;
    out->again = n_again;
    out->alone = n_alone;
    out->cooled = contention.cooled;
}

static void run_handler(struct req *rq, const struct route *rt, struct resp *rs)
{
    bool beside = !rq->app->writes_alone && !store_one_writer(rq->db) && contention_side_by_side(&contention);
    bool audited_change = false, ran_again = false;
    for (int attempt = 1;; attempt++) {
        /* Only the change's own transaction: any other the handler begins
         * (a sign-in's count) cannot be run again, so runs alone. */
        store_write_side_by_side(rq->db, beside && attempt < CHANGE_TRIES);
        audited_change = audit_trail_begin(rq, rt);
        store_write_side_by_side(rq->db, false);
        if (audited_change && beside && attempt == 1)
            n_side_by_side++;
        rt->fn(rq, rs);
        audit_trail_end(rq, rt, rs, audited_change);
        if (!audited_change || rs->status < 500 || !store_conflicted(rq->db) || attempt == CHANGE_TRIES)
            break;
        ran_again = true;
        n_again++;
        if (attempt + 1 == CHANGE_TRIES)
            n_alone++;
        resp_free(rs);
        uint32_t ms = 1 + randombytes_uniform(5u << attempt);
        nanosleep(&(struct timespec){ms / 1000, (long)(ms % 1000) * 1000000L}, NULL);
    }
    if (audited_change)
        contention_count(&contention, beside, ran_again);
}

bool dispatch_upload_allowed(struct req *rq)
{
    rq->api = strncmp(rq->path, "/api/", 5) == 0;
    rq->db = store_pool_acquire(rq->app->pool);
    bool bearer;
    bool ok = find_session(rq, &bearer) == SESSION_OK && !rq->sess.must_enrol && !rq->sess.who.read_only;
    store_pool_release(rq->app->pool, rq->db);
    rq->db = NULL;
    rq->token_id = 0;
    memset(&rq->sess, 0, sizeof rq->sess);
    return ok;
}

void dispatch(struct req *rq, struct resp *rs)
{
    rq->api = strncmp(rq->path, "/api/", 5) == 0;
    bool mismatch;
    const struct route *rt = route_find(rq->method, rq->path, &rq->id, &mismatch);
    if (!rt && (rt = csv_route(rq, rs)) != NULL)
        mismatch = false;
    if (!rt) {
        if (mismatch) {
            route_allowed(rq->path, rs->allow, sizeof rs->allow);
            view_error(rq, rs, 405, "Method not allowed", "This address does not accept that method.");
        }
        else
            view_error(rq, rs, 404, "Page not found",
                       "If you typed the web address, check it is correct.");
        return;
    }
    if (parse_body(rq, rs) != 0)
        return;
    if (rt->flags & ROUTE_NO_DB) {
        rt->fn(rq, rs);
        return;
    }
    rq->db = store_pool_acquire(rq->app->pool);
    bool bearer = false;
    enum session_result sr = find_session(rq, &bearer);
    if (bearer) {
        /* An API token (docs/api.md): for /api/v1/ only (a page ignores the
         * header), instead of any cookie.  A wrong, revoked or expired token
         * is one answer, whatever the route. */
        if (sr == SESSION_ERROR) {
            view_svc_error(rq, rs, SVC_ERROR);
            goto out;
        }
        if (sr != SESSION_OK) {
            view_error(rq, rs, 401, "Sign in", "The token is not valid.");
            goto out;
        }
        rq->signed_in = true;
        /* Not for the account's own security (password, second factor,
         * calendar address, sign-out): those are the person's. */
        if (strncmp(rq->path, "/api/v1/account/", 16) == 0 || strcmp(rq->path, "/api/v1/sign-out") == 0 ||
            strncmp(rq->path, "/api/v1/sign-in", 15) == 0) {
            view_error(rq, rs, 403, "You cannot do this", "An API token cannot be used for this.");
            goto out;
        }
        /* A read-only token changes nothing, whatever the route (the policy
         * point also grants it only list and view). */
        if (rq->sess.who.read_only && changes_state(rq->method)) {
            view_error(rq, rs, 403, "You cannot do this", "This token is read-only.");
            goto out;
        }
    } else if (req_cookie(rq, "tas_session")) {
        rq->signed_in = sr == SESSION_OK;
        /* Sign-out clears the cookie, so a cookie with no session behind it
         * is one that expired (and may already have been cleared away). */
        rq->session_expired = sr == SESSION_EXPIRED || sr == SESSION_NONE;
        if (sr == SESSION_ERROR) {
            view_svc_error(rq, rs, SVC_ERROR);
            goto out;
        }
    }
    if (!(rt->flags & ROUTE_PUBLIC) && !rq->signed_in) {
        if (rq->api)
            view_error(rq, rs, 401, "Sign in", rq->session_expired ? "Your session has expired."
                                                                   : "Sign in first.");
        else
            redirect_to_sign_in(rq, rs);
        goto out;
    }
    /* A bearer token is not sent by browsers on their own, as a cookie is:
     * no cross-site request can carry it, so it needs no CSRF token. */
    if (changes_state(rq->method) && !rq->token_id && !csrf_ok(rq)) {
        view_error(rq, rs, 403, "This form has expired",
                   "For your security, the form could not be used. Go back, reload the page and try again.");
        goto out;
    }
    /* A role of this user needs a second factor they have not set up: the
     * session can do nothing else until they have (its grants are empty too). */
    if (rq->signed_in && rq->sess.must_enrol && !(rt->flags & (ROUTE_ENROL | ROUTE_PUBLIC))) {
        if (rq->api)
            view_error(rq, rs, 403, "Set up two-factor authentication",
                       "Set up two-factor authentication first (/api/v1/account/two-factor).");
        else
            resp_redirect(rs, "/account/two-factor");
        goto out;
    }
    if (rq->csv) {
        /* Listing is not exporting: the policy says who may take a list away. */
        struct svc_ctx c = req_svc_ctx(rq);
        if (svc_list_exportable(&c, ROUTE_CSV_RES(rt->flags)) != SVC_OK) {
            rs->csv_list = NULL;
            view_error(rq, rs, 403, "You cannot download this list",
                       "Your role does not let you take this list away as a file. You can still read it on its page.");
            goto out;
        }
        rq->api = true;   /* the list's JSON, which view_json writes as CSV */
    }
    if (strcmp(rq->method, "POST") == 0 && form_once_begin(rq, rs))
        goto out;
    /* The audit log's origin names the token a request came with. */
    char origin[sizeof rq->remote_addr];
    if (rq->token_id)
        snprintf(origin, sizeof origin, "%.40s token %lld", rq->remote_addr, (long long)rq->token_id);
    else
        snprintf(origin, sizeof origin, "%s", rq->remote_addr);
    svc_origin_set(origin);
    run_handler(rq, rt, rs);
    form_once_end(rq, rs);
    svc_origin_set(NULL);
out:
    store_pool_release(rq->app->pool, rq->db);
    rq->db = NULL;
}
