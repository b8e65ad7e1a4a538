#include "web/audit_trail.h"
#include "lib/count.h"

#include <stdlib.h>
#include <string.h>

#include "service/svc_audit.h"
#include "web/view.h"

/* The route pattern without the API prefix: HTML and JSON twins are
 * recorded alike. */
static const char *bare(const char *pattern)
{
    return strncmp(pattern, "/api/v1/", 8) == 0 ? pattern + 7 : pattern;
}

/* The kind of the record a pattern's first segment names, or NULL when
 * that area holds no child data.  Only these are recorded when viewed. */
static const char *child_kind(const char *p)
{
    static const struct { const char *seg; const char *kind; } areas[] = {
        {"pupils", "pupil"}, {"consents", "consent"}, {"cases", "case"}, {"actions", "action"},
        {"referrals", "referral"}, {"discussions", "discussion"}, {"toolkit-completions", "toolkit_completion"},
    };
    const char *end = strchr(p + 1, '/');
    size_t n = end ? (size_t)(end - p - 1) : strlen(p + 1);
    for (size_t i = 0; i < COUNT(areas); i++)
        if (strlen(areas[i].seg) == n && strncmp(p + 1, areas[i].seg, n) == 0)
            return areas[i].kind;
    return NULL;
}

/* Any area's kind, for changes: the first segment without a final 's'. */
static void area_kind(const char *p, char *out, size_t outsz)
{
    const char *end = strchr(p + 1, '/');
    size_t n = end ? (size_t)(end - p - 1) : strlen(p + 1);
    if (n > 1 && p[n] == 's')
        n--;
    if (n >= outsz)
        n = outsz - 1;
    memcpy(out, p + 1, n);
    out[n] = '\0';
}

/* Pages whose rows name pupils: one "list" entry each time, not one per row. */
static const struct { const char *pattern; const char *kind; } lists[] = {
    {"/pupils", "pupil"}, {"/cases", "case"}, {"/work", "pupil"}, {"/meetings/:id/agenda", "meeting"},
    {"/meetings/:id/pack/agenda", "meeting"}, {"/meetings/:id/pack/minutes", "meeting"},
};

/* The verb of a change, from the pattern's last segment. */
static const char *change_action(const char *p)
{
    const char *last = strrchr(p, '/');
    last = last ? last + 1 : p;
    if (!strchr(p, ':'))
        return strcmp(p, "/sign-out") == 0 ? "sign-out" : "create";
    if (strcmp(last, ":id") == 0 || strcmp(last, "edit") == 0)
        return "edit";
    static const char *const verbs[] = {"close", "reopen", "status", "withdraw", "held", "cancel",
                                        "reinstate", "move", "notes", "attendance", "plan", "void", "unhold"};
    for (size_t i = 0; i < COUNT(verbs); i++)
        if (strcmp(last, verbs[i]) == 0)
            return verbs[i];
    if (strcmp(last, "remove") == 0)
        return "delete";
    return "create";   /* a collection under a record: /pupils/:id/cases */
}

static bool is_sign_in(const char *p)
{
    return strcmp(p, "/sign-in") == 0 || strcmp(p, "/sign-in/code") == 0;
}

static bool changes(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

bool audit_trail_begin(struct req *rq, const struct route *rt)
{
    svc_audit_mark_reset();
    if (!changes(rq->method) || !rq->signed_in || (rt->flags & ROUTE_PUBLIC))
        return false;
    return store_begin_write(rq->db) == STORE_OK;
}

/* The id a create answered with: the redirect's last number before any
 * query ("/pupils/12?saved=added"), or the JSON body's record
 * ({"pupil": {"id": 12, ...}} or {"id": 12}). */
static int64_t created_id(const struct resp *rs)
{
    if (rs->location) {
        const char *end = strchr(rs->location, '?');
        if (!end)
            end = rs->location + strlen(rs->location);
        const char *q = end;
        while (q > rs->location && q[-1] >= '0' && q[-1] <= '9')
            q--;
        return q < end ? strtoll(q, NULL, 10) : 0;
    }
    json_t *j = json_loadb(rs->body.data ? rs->body.data : "", rs->body.len, 0, NULL);
    int64_t id = 0;
    json_t *rec = j;
    if (json_is_object(j) && json_object_size(j) == 1) {
        json_t *only = json_object_iter_value(json_object_iter(j));
        if (json_is_object(only))
            rec = only;
    }
    if (json_is_object(rec) && json_is_integer(json_object_get(rec, "id")))
        id = json_integer_value(json_object_get(rec, "id"));
    json_decref(j);
    return id;
}

/* Refusals are recorded only for records that exist: a probe of a
 * missing id says nothing about anyone. */
static bool refused(int status)
{
    return status == 403 || status == 404;
}

/* True when the principal holds a break-glass grant (one pupil, for a
 * limited time): its reads of that pupil are flagged for the DPO. */
static bool holds_break_glass(const struct principal *who)
{
    for (size_t i = 0; i < who->ngrants; i++)
        if (who->grants[i].scope == SCOPE_PUPIL)
            return true;
    return false;
}

static bool via_break_glass(const struct principal *who, int64_t pupil)
{
    for (size_t i = 0; pupil > 0 && i < who->ngrants; i++)
        if (who->grants[i].scope == SCOPE_PUPIL && who->grants[i].scope_id == pupil)
            return true;
    return false;
}

static enum svc_status record(struct req *rq, const struct principal *who, struct audit_event *ev)
{
    struct svc_ctx c;
    svc_ctx_init(&c, rq->db, who, rq->now);
    if (!(ev->flags & AUDIT_FLAG_REFUSED) && ev->resource_id > 0 && holds_break_glass(who)) {
        int64_t pupil = 0, school = 0, authority = 0;
        if (q_audit_subject(rq->db, ev->kind, ev->resource_id, &pupil, &school, &authority) == STORE_ROW &&
            via_break_glass(who, pupil))
            ev->flags |= AUDIT_FLAG_BREAK_GLASS;
    }
    if (ev->flags & AUDIT_FLAG_REFUSED) {
        int64_t pupil = 0, school = 0, authority = 0;
        if (q_audit_subject(rq->db, ev->kind, ev->resource_id, &pupil, &school, &authority) != STORE_ROW)
            return SVC_OK;
    }
    return svc_audit_record(&c, ev);
}

/* Ends the change's transaction: committed if ok, else rolled back.  A
 * commit that fails (on PostgreSQL, a writer side by side the server
 * failed: web/dispatch.c runs it again) turns the answer into an error:
 * nothing it said was done stands. */
static void finish(struct req *rq, struct resp *rs, bool ok)
{
    if (ok && store_commit(rq->db) == STORE_OK)
        return;
    store_rollback(rq->db);
    if (rs->status < 500) {
        free(rs->location);
        rs->location = NULL;
        view_svc_error(rq, rs, SVC_ERROR);
    }
}

void audit_trail_end(struct req *rq, const struct route *rt, struct resp *rs, bool began)
{
    const char *p = bare(rt->pattern);
    int st = rs->status;
    struct audit_event ev = {.detail = p, .resource_id = rq->id};
    char kind[24];

    if (is_sign_in(p)) {
        if (changes(rq->method) && st < 400 && rq->sess.user_id > 0) {
            ev.action = "sign-in";
            ev.kind = "user";
            ev.resource_id = rq->sess.user_id;
            record(rq, &rq->sess.who, &ev);
        }
        return;
    }
    if (!rq->signed_in)
        return;   /* public pages: nothing of a pupil's (and began is false) */
    if (svc_audit_marked()) {
        /* The use case recorded its own entry (an export, a search of the
         * log, a break-glass access with its reason), inside this
         * transaction: keep both, and add no generic entry. */
        if (began)
            finish(rq, rs, st < 500);
        return;
    }
    if (!changes(rq->method) && rq->csv) {
        /* A whole list taken away as a file: one "export" entry. */
        if (st != 200)
            return;
        area_kind(p, kind, sizeof kind);
        ev.kind = kind;
        ev.action = "export";
        if (record(rq, &rq->sess.who, &ev) != SVC_OK) {
            rs->csv_list = NULL;
            rs->disposition[0] = '\0';
            view_svc_error(rq, rs, SVC_ERROR);
        }
        return;
    }
    if (!changes(rq->method)) {
        ev.kind = child_kind(p);
        ev.action = "view";
        if (!ev.kind || !strchr(p, ':')) {
            ev.kind = NULL;
            for (size_t i = 0; i < COUNT(lists); i++)
                if (strcmp(p, lists[i].pattern) == 0)
                    ev.kind = lists[i].kind, ev.action = "list";
        }
        if (!ev.kind)
            return;
        if (refused(st) && ev.resource_id > 0)
            ev.flags |= AUDIT_FLAG_REFUSED;
        else if (st != 200)
            return;
        if (record(rq, &rq->sess.who, &ev) != SVC_OK) {
            /* Unaccountable access is not allowed to stand: answer with an
             * error rather than the record. */
            view_svc_error(rq, rs, SVC_ERROR);
        }
        return;
    }
    if (!began)
        return;
    area_kind(p, kind, sizeof kind);
    ev.kind = kind;
    ev.action = change_action(p);
    if (ev.resource_id == 0 && st < 400)
        ev.resource_id = created_id(rs);
    bool keep = st < 400 || refused(st);
    if (refused(st))
        ev.flags |= AUDIT_FLAG_REFUSED;
    finish(rq, rs, st < 500 && (!keep || record(rq, &rq->sess.who, &ev) == SVC_OK));
}
