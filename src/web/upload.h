/* A file sent from a form (multipart/form-data, RFC 7578) to a route that
 * takes one (ROUTE_UPLOAD in router.h).  The body is parsed as it arrives
 * by libmicrohttpd's post processor: the file's bytes go straight to an
 * unnamed temporary file (mode 0600 in TMPDIR, else /tmp; its name is
 * removed the moment it is made, so it is gone when the request ends or
 * the process dies), never into memory whole; the other fields go into the
 * request's form, where req_param and the CSRF check find them as for any
 * form.  One file a request; text fields up to UPLOAD_FIELD_MAX bytes. */
#ifndef TAS_WEB_UPLOAD_H
#define TAS_WEB_UPLOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "web/http.h"

#define UPLOAD_FIELD_MAX (64 * 1024)   /* a text field of the form */
#define UPLOAD_FIELDS_MAX 32

/* Whether the request's body is multipart/form-data. */
bool upload_is_multipart(const struct req *rq);
/* Starts reading the body as multipart: 0, or -1 (no boundary, no memory). */
int upload_begin(struct req *rq);
/* The next bytes of the body: 0, or -1 when they cannot be read (not
 * multipart, a second file, a text field too long, the disk full). */
int upload_feed(struct req *rq, const char *data, size_t n);
/* The whole body has arrived: 0, or -1 when it was not complete multipart
 * or the file could not be written. */
int upload_end(struct req *rq);
/* Frees what upload_begin made, the temporary file with it. */
void upload_free(struct req *rq);

#endif
