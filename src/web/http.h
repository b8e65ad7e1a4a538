/* What a handler sees: the parsed request, a response to fill, and the
 * application it runs in.  One request is handled by one thread. */
#ifndef TAS_WEB_HTTP_H
#define TAS_WEB_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "core/proxy.h"
#include "lib/buf.h"
#include "service/svc.h"
#include "service/svc_auth.h"
#include "store/store.h"

struct tmpl_set;
struct MHD_Connection;
struct upload;

struct app {
    struct store_pool *pool;
    struct store_pool *read_pool;   /* a replica for the dashboard's reads (--read-db), or NULL */
    struct tmpl_set *tmpl;
    struct auth_config auth;
    bool secure_cookies;       /* served over TLS (behind a proxy): Secure cookies, HSTS, __Host- */
    size_t max_body;           /* bytes of request body accepted */
    size_t max_upload;         /* ... by a route that takes a file (ROUTE_UPLOAD), from a
                                  signed-in user (web/upload.h) */
    bool quiet;                /* no access log */
    bool writes_alone;         /* --writes-alone: no change runs beside another */
    struct proxy_list proxies; /* --trust-proxy: peers whose X-Forwarded-For is believed */
};

/* The sign-in forms' double-submit cookie.  Over TLS it takes the
 * __Host- prefix, so a browser accepts it only from this host, over a
 * secure connection, for the whole site (RFC 6265bis 4.1.3.2); without TLS
 * a browser would refuse that prefix. */
#define CSRF_COOKIE(app) ((app)->secure_cookies ? "__Host-tas_csrf" : "tas_csrf")

struct kv {
    char *key;
    char *val;
};

struct kvlist {
    size_t n, cap;
    struct kv *items;
};

struct req {
    struct app *app;
    struct MHD_Connection *conn;
    const char *method;
    char path[512];            /* URL path without the query */
    struct buf body;
    size_t received;           /* bytes of body read so far */
    size_t limit;              /* bytes of body accepted: max_body, or max_upload */
    bool too_large;
    struct upload *upload;     /* a multipart body being read (web/upload.h), or NULL */
    bool bad_upload;           /* ... that could not be read */
    struct kvlist query;
    struct kvlist form;
    struct kvlist scratch;     /* strings made for this request, freed with it */
    struct req_block *arena;   /* req_alloc's blocks, freed with the request */
    json_t *json;              /* JSON body, when one was sent */
    bool api;                  /* under /api/v1/: answer in JSON */
    bool csv;                  /* /<list>.csv: the whole list, answered as CSV */
    int64_t id;                /* numeric route parameter, 0 if none */
    struct store *db;
    bool signed_in;
    bool session_expired;
    int64_t token_id;          /* signed in by an API token (Authorization: Bearer, /api/v1/ only); 0: not */
    struct session_info sess;
    char remote_addr[64];
    int64_t now;
    struct timespec started;
    char form_token[65];       /* a one-time form token this POST claimed; "" none (view.c) */
};

#define RESP_MAX_COOKIES 4

struct resp {
    int status;
    struct buf body;
    const char *content_type;
    char *location;            /* redirect target, malloc'd */
    size_t ncookies;
    char *cookies[RESP_MAX_COOKIES];
    const char *cache_control; /* default: no-store */
    const char *served_from;   /* X-Served-From: "cache" or "computed" (the dashboard); NULL none */
    const char *read_from;     /* X-Read-From: "replica" or "primary" (--read-db); NULL none */
    char allow[64];            /* Allow header for 405 responses */
    int64_t retry_after;       /* seconds, for 429 responses; 0 none */
    char disposition[128];     /* Content-Disposition for downloads; "" none */
    const char *csv_list;      /* a list asked for as CSV (web/list_csv.h): the
                                  JSON member holding its rows; NULL: JSON */
};

typedef void (*handler_fn)(struct req *rq, struct resp *rs);

/* Request values: query string, form body, or JSON body member (numbers
 * and booleans are given as text: true -> "yes").  NULL when absent. */
const char *req_query(const struct req *rq, const char *name);
const char *req_param(struct req *rq, const char *name);
/* A form's text fields read through one table: each parameter's name and
 * where its text goes (REQ_FIELD(struct pupil_form, upn) is "upn" into
 * the form's const char *upn).  req_fields sets each (NULL when absent)
 * and leaves the rest of the form as it is. */
struct req_field {
    const char *name;
    size_t at;
};
#define REQ_FIELD(type, member) {#member, offsetof(type, member)}
void req_fields(struct req *rq, const struct req_field *fields, size_t n, void *form);
/* Every value sent under name (repeated form fields, or a JSON array of
 * strings or whole numbers; any other member comes as "x", which no field
 * takes); returns how many, at most max. */
size_t req_param_all(struct req *rq, const char *name, const char **out, size_t max);
/* A date as three parts: from a form's GOV.UK date input (NAME-day,
 * NAME-month, NAME-year) or from JSON's one "YYYY-MM-DD" value under
 * json_name.  Something present but not shaped like a date comes back as
 * parts that fail validation, so the person is told. */
void req_date_parts(struct req *rq, const char *name, const char *json_name, const char **day,
                    const char **month, const char **year);
/* The other way: a day (core/calendar.h's day number) as a date input's
 * three boxes show it ("4", "12", "2026"), kept like req_keep. */
void req_day_text(struct req *rq, int32_t day, const char **d, const char **m, const char **y);
/* The file sent in the form field name (multipart/form-data, to a route
 * flagged ROUTE_UPLOAD), rewound to its start, with its size in bytes;
 * NULL when no file came in that field or it was empty.  The request
 * owns it (web/upload.h). */
FILE *req_upload(struct req *rq, const char *name, int64_t *size);
/* Takes f, the file req_upload answered, from the request: the caller
 * now closes it (it is still unnamed, and rewound).  NULL if f is not the
 * request's file. */
FILE *req_upload_take(struct req *rq, FILE *f);
/* The SHA-256 of a file sent (read to its end, then rewound) in hex: the
 * mark a check puts on the import form, so that only the file checked is
 * imported.  0, or -1 when it could not be read. */
int req_upload_sha256(FILE *in, char hex[65]);

/* What an import page or its API reads: the file sent in the field "file"
 * (multipart) or, when none came, the text of the field text_name.  For a
 * file, mark gets its SHA-256 and then suffix (the kind, say, that the
 * check was made as); on the page's import step (importing: not the API,
 * not a dry run) the form's "checked" must be that mark, so only the file
 * checked is imported.  Errors go on the field "file": none sent
 * (missing says what to do), unreadable, not the one checked.  Returns
 * the stream to read (*own: the caller closes it; a file sent is the
 * request's) and *text the text read ("" for a file), or NULL after
 * adding an error or on no memory (no error added). */
FILE *req_import_source(struct req *rq, const char *text_name, const char *suffix, bool importing,
                        const char *missing, char mark[100], bool *own, const char **text,
                        struct field_errors *e);
const char *req_header(const struct req *rq, const char *name);
const char *req_cookie(const struct req *rq, const char *name);
/* Keeps a copy of s alive until the request ends. */
const char *req_keep(struct req *rq, const char *s);
/* An id as text kept like req_keep ("" for none, id <= 0), for a form. */
const char *req_id_text(struct req *rq, int64_t id);
/* n zeroed bytes that live until the request ends (the server frees them;
 * the handler never does); NULL if memory ran out. */
void *req_alloc(struct req *rq, size_t n);
/* Frees every req_alloc block; the server calls it when the request ends. */
void req_arena_free(struct req *rq);
/* The service context for this request: its database, the signed-in
 * principal (an empty one before sign-in) and its clock. */
struct svc_ctx req_svc_ctx(struct req *rq);

void kvlist_add(struct kvlist *l, const char *k, size_t kn, const char *v, size_t vn);
const char *kvlist_get(const struct kvlist *l, const char *k);
void kvlist_free(struct kvlist *l);
/* Parses application/x-www-form-urlencoded text into l.  -1 on bad input. */
int parse_urlencoded(const char *s, size_t n, struct kvlist *l);

void resp_add_cookie(struct resp *rs, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void resp_redirect(struct resp *rs, const char *location);
/* Frees what rs holds and leaves it empty, as before anything was put in. */
void resp_free(struct resp *rs);

#endif
