/* A growable byte buffer, always NUL-terminated.  Used to build responses,
 * JSON and HTML.  On allocation failure the buffer latches an error flag
 * and further appends are ignored, so callers check once at the end. */
#ifndef TAS_LIB_BUF_H
#define TAS_LIB_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct buf {
    char *data;      /* NUL-terminated; NULL until the first append */
    size_t len;
    size_t cap;
    bool failed;     /* an allocation failed */
};

#define BUF_INIT {NULL, 0, 0, false}

void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Appends s with HTML special characters escaped (& < > " ' and `). */
void buf_html(struct buf *b, const char *s);
void buf_html_n(struct buf *b, const char *s, size_t n);
/* Appends s percent-encoded for a URL query component. */
void buf_urlenc(struct buf *b, const char *s);
void buf_reset(struct buf *b);              /* len = 0, keeps memory */
/* Hands the data to the caller (free() it); the buffer becomes empty. */
char *buf_steal(struct buf *b, size_t *len);
void buf_free(struct buf *b);
/* Never NULL: "" for an empty buffer. */
const char *buf_str(const struct buf *b);

#endif
