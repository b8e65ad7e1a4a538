/* Files sent from forms (upload.h): libmicrohttpd's post processor reads
 * the multipart body as it arrives; the file goes to a temporary file. */
#define _GNU_SOURCE   /* O_TMPFILE (Linux) */
#include "web/upload.h"

#include "core/errors.h"

#include <fcntl.h>
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define UPLOAD_KEY_MAX 64
/* The post processor's buffer: a part's headers must fit in it. */
#define UPLOAD_PP_BUFFER (16 * 1024)

struct upload {
    struct MHD_PostProcessor *pp;
    /* the part being read */
    char key[UPLOAD_KEY_MAX];
    bool is_file, started;
    size_t len;                 /* its bytes so far */
    struct buf value;           /* a text field's value */
    /* the file */
    FILE *file;
    char file_key[UPLOAD_KEY_MAX];
    int64_t file_size;
    size_t nfields;
    bool failed;
};

bool upload_is_multipart(const struct req *rq)
{
    const char *ct = req_header(rq, MHD_HTTP_HEADER_CONTENT_TYPE);
    return ct && strncasecmp(ct, MHD_HTTP_POST_ENCODING_MULTIPART_FORMDATA,
                             strlen(MHD_HTTP_POST_ENCODING_MULTIPART_FORMDATA)) == 0;
}

/* An unnamed file only this process can read, in TMPDIR (or /tmp): made
 * with O_TMPFILE, so it never has a name and nothing is left behind,
 * whatever happens.  A file system without O_TMPFILE gets C's tmpfile(),
 * also unnamed. */
static FILE *temp_file(void)
{
    const char *dir = getenv("TMPDIR");
    int fd = open(dir && *dir ? dir : "/tmp", O_RDWR | O_TMPFILE | O_EXCL, 0600);
    if (fd < 0)
        return tmpfile();
    FILE *f = fdopen(fd, "w+b");
    if (!f)
        close(fd);
    return f;
}

/* The end of a part: a text field joins the form. */
static void end_part(struct req *rq)
{
    struct upload *u = rq->upload;
    if (u->started && !u->is_file) {
        if (u->nfields++ < UPLOAD_FIELDS_MAX)
            kvlist_add(&rq->form, u->key, strlen(u->key), buf_str(&u->value), u->value.len);
        else
            u->failed = true;
    }
    buf_reset(&u->value);
    u->started = false;
    u->len = 0;
}

/* libmicrohttpd calls this with each piece of each part: at least once a
 * part with off 0 (perhaps with no bytes, then again with off 0), then at
 * growing offsets. */
static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
                               const char *content_type, const char *encoding, const char *data, uint64_t off,
                               size_t size)
{
    (void)kind;
    (void)content_type;
    (void)encoding;
    struct req *rq = cls;
    struct upload *u = rq->upload;
    bool is_file = filename != NULL;
    if (!key || strlen(key) >= UPLOAD_KEY_MAX) {
        u->failed = true;
        return MHD_NO;
    }
    if (off == 0 && (!u->started || u->len > 0 || u->is_file != is_file || strcmp(u->key, key) != 0)) {
        end_part(rq);
        u->started = true;
        u->is_file = is_file;
        snprintf(u->key, sizeof u->key, "%s", key);
        if (is_file) {
            if (u->file) {   /* one file a request */
                u->failed = true;
                return MHD_NO;
            }
            u->file = temp_file();
            snprintf(u->file_key, sizeof u->file_key, "%s", key);
            if (!u->file) {
                u->failed = true;
                return MHD_NO;
            }
        }
    }
    if (size == 0)
        return MHD_YES;
    if (is_file) {
        if (fwrite(data, 1, size, u->file) != size) {
            u->failed = true;
            return MHD_NO;
        }
        u->file_size += (int64_t)size;
    } else {
        if (u->len + size > UPLOAD_FIELD_MAX) {
            u->failed = true;
            return MHD_NO;
        }
        buf_append(&u->value, data, size);
    }
    u->len += size;
    return MHD_YES;
}

int upload_begin(struct req *rq)
{
    struct upload *u = calloc(1, sizeof *u);
    if (!u)
        return -1;
    rq->upload = u;
    u->pp = MHD_create_post_processor(rq->conn, UPLOAD_PP_BUFFER, on_part, rq);
    return u->pp ? 0 : -1;
}

int upload_feed(struct req *rq, const char *data, size_t n)
{
    struct upload *u = rq->upload;
    if (u->failed || MHD_post_process(u->pp, data, n) != MHD_YES)
        u->failed = true;
    return u->failed ? -1 : 0;
}

int upload_end(struct req *rq)
{
    struct upload *u = rq->upload;
    /* MHD_NO: the body stopped before its closing boundary. */
    if (MHD_destroy_post_processor(u->pp) != MHD_YES)
        u->failed = true;
    u->pp = NULL;
    end_part(rq);
    if (u->file && (fflush(u->file) != 0 || ferror(u->file)))
        u->failed = true;
    return u->failed || u->value.failed ? -1 : 0;
}

void upload_free(struct req *rq)
{
    struct upload *u = rq->upload;
    if (!u)
        return;
    if (u->pp)
        MHD_destroy_post_processor(u->pp);
    if (u->file)
        fclose(u->file);
    buf_free(&u->value);
    free(u);
    rq->upload = NULL;
}

FILE *req_upload(struct req *rq, const char *name, int64_t *size)
{
    struct upload *u = rq->upload;
    *size = 0;
    if (!u || !u->file || u->file_size == 0 || strcmp(u->file_key, name) != 0)
        return NULL;
    rewind(u->file);
    *size = u->file_size;
    return u->file;
}

FILE *req_upload_take(struct req *rq, FILE *f)
{
    struct upload *u = rq->upload;
    if (!u || !f || u->file != f)
        return NULL;
    u->file = NULL;
    rewind(f);
    return f;
}

int req_upload_sha256(FILE *in, char hex[65])
{
    crypto_hash_sha256_state h;
    unsigned char buf[16384], out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&h);
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        crypto_hash_sha256_update(&h, buf, n);
    crypto_hash_sha256_final(&h, out);
    sodium_bin2hex(hex, 65, out, sizeof out);
    int rc = ferror(in) ? -1 : 0;
    rewind(in);
    return rc;
}

FILE *req_import_source(struct req *rq, const char *text_name, const char *suffix, bool importing,
                        const char *missing, char mark[100], bool *own, const char **text,
                        struct field_errors *e)
{
    int64_t size;
    FILE *up = req_upload(rq, "file", &size);
    const char *csv = req_param(rq, text_name);
    *own = false;
    *text = csv ? csv : "";
    mark[0] = '\0';
    if (up) {
        char sha[65];
        *text = "";   /* the file, not the box */
        if (req_upload_sha256(up, sha) != 0) {
            field_errors_add(e, "file", "The file could not be read. Choose it again");
            return NULL;
        }
        snprintf(mark, 100, "%s%s", sha, suffix ? suffix : "");
        const char *checked = req_param(rq, "checked");
        if (importing && (!checked || strcmp(checked, mark) != 0)) {
            field_errors_add(e, "file", "This is not the file that was checked. Check it before importing it");
            return NULL;
        }
        return up;
    }
    if (!csv || !csv[strspn(csv, " \t\r\n")]) {
        field_errors_add(e, "file", missing);
        return NULL;
    }
    size_t len = strlen(csv);
    char *copy = req_alloc(rq, len + 1);
    FILE *in = copy ? fmemopen(memcpy(copy, csv, len + 1), len, "r") : NULL;
    *own = in != NULL;
    return in;
}
