/* E-mail messages as pure functions: the checks on an address, RFC 2047
 * encoded words for non-ASCII header text, the RFC 5322 message itself
 * (headers and a text/plain UTF-8 body with CRLF line ends), the retry
 * schedule of the outbox, and the filling of the message templates
 * (the .txt files in templates/email).  Sending is service/mailer.c's; no I/O here. */
#ifndef TAS_CORE_EMAIL_H
#define TAS_CORE_EMAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"

/* Attempts after which a message is left unsent (about two days of tries). */
#define MAIL_MAX_ATTEMPTS 15
/* RFC 5322 section 2.1.1: a line is at most 998 characters before CRLF. */
#define MAIL_LINE_MAX 998

/* A plain addr-spec (RFC 5322 section 3.4.1) of the kind people are given
 * at work: local@domain, at most 254 characters, the local part made of
 * letters, digits and !#$%&'*+-/=?^_`{|}~ and dots (not first, last or
 * doubled), the domain of dot-separated labels of letters, digits and
 * hyphens.  No quoted strings, comments, spaces or control characters, so
 * an address can never carry a header or an SMTP command with it. */
bool mail_address_ok(const char *addr);

/* Appends value as header text.  Printable ASCII is copied as it is;
 * anything else becomes RFC 2047 encoded words ("=?UTF-8?B?...?="), each
 * holding whole UTF-8 characters, folded with CRLF SPACE so that no line
 * is longer than 76 characters (RFC 2047 section 2), counting prefix_len
 * characters already on the first line ("Subject: " is 9).  -1 (nothing
 * appended) when value has a control character (CR and LF included: no
 * header injection), is not valid UTF-8, or is longer than 900 bytes. */
int mail_encode_header(const char *value, size_t prefix_len, struct buf *out);

/* The date t (seconds since 1970, UTC) as RFC 5322 section 3.3 writes it:
 * "Sat, 05 Dec 2026 07:10:00 +0000". */
void mail_date(int64_t t, char out[32]);

struct mail_message {
    const char *from;        /* addr-spec */
    const char *to;          /* addr-spec */
    const char *subject;     /* UTF-8 */
    const char *message_id;  /* "<...@...>" */
    int64_t date;            /* seconds since 1970 */
    const char *body;        /* UTF-8, lines ended by LF or CRLF */
    /* An iCalendar object sent with the text (RFC 6047, iMIP): NULL none.
     * With it the message is multipart/mixed: the body as text/plain, then
     * this as text/calendar with its METHOD ("REQUEST" or "CANCEL"), as a
     * calendar program expects an invitation or its update. */
    const char *calendar;
    const char *calendar_method;
};

/* Appends the whole message: Date, From, To, Message-ID, Subject,
 * MIME-Version, Content-Type (text/plain; charset=utf-8),
 * Content-Transfer-Encoding (7bit, or 8bit when the body is not ASCII) and
 * Auto-Submitted (RFC 3834: auto-generated, so auto-replies stay quiet),
 * a blank line, then the body with every line ended by CRLF.  Dot-stuffing
 * is the SMTP client's (libcurl's) job.  -1 (out unchanged) when an address
 * is not mail_address_ok, the subject cannot be encoded, the Message-ID is
 * not "<x@y>" with printable ASCII, or the body is not UTF-8, has a control
 * character other than tab, CR or LF, or a line longer than MAIL_LINE_MAX. */
int mail_build(const struct mail_message *m, struct buf *out);
/* With a calendar, also -1 when it or its method is not valid (the same
 * rules as the body; METHOD one of REQUEST, CANCEL). */

/* Seconds to wait after the attempts-th failed attempt before the next:
 * 60 s, doubling each time, at most 6 hours; 0 for attempts < 1. */
int64_t mail_backoff(int attempts);

/* Fills a message template: "Subject: ...\n\n" then the body, {{name}}
 * replaced by vals[i] where keys[i] is name.  The subject goes to subject,
 * the body to body.  -1 when the template does not start with a subject
 * line and a blank line, names a key not given, or leaves a "{{" open. */
int mail_template(const char *tmpl, const char *const *keys, const char *const *vals, size_t n,
                  struct buf *subject, struct buf *body);

#endif
