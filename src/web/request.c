/* Request values and response helpers shared by every handler. */
#include "web/http.h"

#include <microhttpd.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"

void kvlist_add(struct kvlist *l, const char *k, size_t kn, const char *v, size_t vn)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        struct kv *p = realloc(l->items, cap * sizeof *p);
        if (!p)
            return;
        l->items = p;
        l->cap = cap;
    }
    char *ks = strndup(k, kn);
    char *vs = strndup(v, vn);
    if (!ks || !vs) {
        free(ks);
        free(vs);
        return;
    }
    l->items[l->n].key = ks;
    l->items[l->n].val = vs;
    l->n++;
}

const char *kvlist_get(const struct kvlist *l, const char *k)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i].key, k) == 0)
            return l->items[i].val;
    return NULL;
}

void kvlist_free(struct kvlist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].key);
        free(l->items[i].val);
    }
    free(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes %XX and '+' in place; returns the new length or -1. */
static long url_decode(char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            s[o++] = ' ';
        } else if (s[i] == '%') {
            if (i + 2 >= n)
                return -1;
            int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
            if (h < 0 || l < 0)
                return -1;
            s[o++] = (char)(h * 16 + l);
            i += 2;
        } else {
            s[o++] = s[i];
        }
    }
    return (long)o;
}

int parse_urlencoded(const char *s, size_t n, struct kvlist *l)
{
    char *copy = malloc(n + 1);
    if (!copy)
        return -1;
    memcpy(copy, s, n);
    copy[n] = '\0';
    int rc = 0;
    char *p = copy, *end = copy + n;
    while (p < end) {
        char *amp = memchr(p, '&', (size_t)(end - p));
        char *stop = amp ? amp : end;
        char *eq = memchr(p, '=', (size_t)(stop - p));
        if (stop > p) {
            char *kend = eq ? eq : stop;
            long kn = url_decode(p, (size_t)(kend - p));
            long vn = 0;
            char *v = eq ? eq + 1 : stop;
            if (eq)
                vn = url_decode(v, (size_t)(stop - v));
            if (kn < 0 || vn < 0 || memchr(p, '\0', (size_t)kn) || (vn && memchr(v, '\0', (size_t)vn))) {
                rc = -1;
                break;
            }
            kvlist_add(l, p, (size_t)kn, v, (size_t)vn);
        }
        p = stop + 1;
    }
    free(copy);
    return rc;
}

const char *req_query(const struct req *rq, const char *name)
{
    return kvlist_get(&rq->query, name);
}

const char *req_keep(struct req *rq, const char *s)
{
    kvlist_add(&rq->scratch, "", 0, s, strlen(s));
    return rq->scratch.n ? rq->scratch.items[rq->scratch.n - 1].val : NULL;
}

const char *req_id_text(struct req *rq, int64_t id)
{
    char b[24];
    if (id <= 0)
        return "";
    snprintf(b, sizeof b, "%lld", (long long)id);
    return req_keep(rq, b);
}

/* One req_alloc block: a header, then the caller's bytes. */
struct req_block {
    struct req_block *next;
    max_align_t data[];
};

void *req_alloc(struct req *rq, size_t n)
{
    struct req_block *b = calloc(1, sizeof *b + n);
    if (!b)
        return NULL;
    b->next = rq->arena;
    rq->arena = b;
    return b->data;
}

void req_arena_free(struct req *rq)
{
    while (rq->arena) {
        struct req_block *b = rq->arena;
        rq->arena = b->next;
        free(b);
    }
}

void req_fields(struct req *rq, const struct req_field *fields, size_t n, void *form)
{
    for (size_t i = 0; i < n; i++)
        *(const char **)((char *)form + fields[i].at) = req_param(rq, fields[i].name);
}

const char *req_param(struct req *rq, const char *name)
{
    if (!rq->json)
        return kvlist_get(&rq->form, name);
    json_t *v = json_object_get(rq->json, name);
    char tmp[64];
    switch (v ? json_typeof(v) : JSON_NULL) {
    case JSON_STRING: return json_string_value(v);
    case JSON_INTEGER:
        snprintf(tmp, sizeof tmp, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return req_keep(rq, tmp);
    case JSON_REAL:
        snprintf(tmp, sizeof tmp, "%.15g", json_real_value(v));
        return req_keep(rq, tmp);
    case JSON_TRUE: return "yes";
    case JSON_FALSE: return "no";
    default: return NULL;
    }
}

size_t req_param_all(struct req *rq, const char *name, const char **out, size_t max)
{
    size_t n = 0;
    if (!rq->json) {
        for (size_t i = 0; i < rq->form.n && n < max; i++)
            if (strcmp(rq->form.items[i].key, name) == 0)
                out[n++] = rq->form.items[i].val;
        return n;
    }
    json_t *arr = json_object_get(rq->json, name);
    size_t i;
    json_t *v;
    char tmp[32];
    json_array_foreach(arr, i, v) {
        if (n >= max)
            break;
        if (json_is_string(v)) {
            out[n++] = json_string_value(v);
        } else if (json_is_integer(v)) {
            snprintf(tmp, sizeof tmp, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
            out[n++] = req_keep(rq, tmp);
        } else {
            out[n++] = "x";   /* neither: no field takes it, so validation says so */
        }
    }
    return n;
}

void req_date_parts(struct req *rq, const char *name, const char *json_name, const char **day,
                    const char **month, const char **year)
{
    char key[64];
    if (!rq->json) {
        snprintf(key, sizeof key, "%s-day", name);
        *day = req_param(rq, key);
        snprintf(key, sizeof key, "%s-month", name);
        *month = req_param(rq, key);
        snprintf(key, sizeof key, "%s-year", name);
        *year = req_param(rq, key);
        return;
    }
    const char *d = req_param(rq, json_name);
    char y[8] = "", m[4] = "", dd[4] = "";
    if (d && strlen(d) == 10 && d[4] == '-' && d[7] == '-') {
        memcpy(y, d, 4);
        memcpy(m, d + 5, 2);
        memcpy(dd, d + 8, 2);
    } else if (d && *d) {
        snprintf(y, sizeof y, "x");
    }
    *year = req_keep(rq, y);
    *month = req_keep(rq, m);
    *day = req_keep(rq, dd);
}

void req_day_text(struct req *rq, int32_t day, const char **d, const char **m, const char **y)
{
    int yy, mm, dd;
    char b[12];
    ymd_from_day(day, &yy, &mm, &dd);
    snprintf(b, sizeof b, "%d", dd);
    *d = req_keep(rq, b);
    snprintf(b, sizeof b, "%d", mm);
    *m = req_keep(rq, b);
    snprintf(b, sizeof b, "%d", yy);
    *y = req_keep(rq, b);
}

const char *req_header(const struct req *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

const char *req_cookie(const struct req *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, name);
}

void resp_add_cookie(struct resp *rs, const char *fmt, ...)
{
    if (rs->ncookies >= RESP_MAX_COOKIES)
        return;
    struct buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    if (b.failed)
        buf_free(&b);
    else
        rs->cookies[rs->ncookies++] = buf_steal(&b, NULL);
}

void resp_redirect(struct resp *rs, const char *location)
{
    free(rs->location);
    rs->location = strdup(location);
    rs->status = 303;
}

void resp_free(struct resp *rs)
{
    buf_free(&rs->body);
    free(rs->location);
    for (size_t i = 0; i < rs->ncookies; i++)
        free(rs->cookies[i]);
    *rs = (struct resp){0};
}
