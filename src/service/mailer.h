/* The background sender of tas serve: one thread that, about once a
 * second, runs the daily reminder pass when the day (lib/clock.c) has
 * changed, and sends the outbox's due messages over SMTP with libcurl to
 * the configured relay, each failure putting the message back for later
 * (core/email.c, mail_backoff).  Requests only queue (svc_mail.h), so no
 * request ever waits for a mail server.  Without an SMTP URL nothing is
 * sent and the queue just holds the messages.
 *
 * Delivery is at least once: a message whose relay accepted it but whose
 * "sent" mark was lost (the process killed between the two) is sent
 * again, with the same Message-ID. */
#ifndef TAS_SERVICE_MAILER_H
#define TAS_SERVICE_MAILER_H

#include <stddef.h>

#include "store/store.h"

struct mailer_config {
    const char *smtp_url;     /* "smtp://host:port" or "smtps://..."; NULL or "": send nothing */
    const char *from;         /* envelope and header From */
    const char *user, *password;  /* SMTP AUTH, or NULL */
    int remind_days;          /* reminders for actions due within this many days; < 0: no reminders */
    int keep_days;            /* sent messages are removed after this many days */
};

/* Starts the thread (it takes connections from pool as it needs them,
 * one at a time, never while talking to the relay).  0, or -1 with a
 * reason in err. */
int mailer_start(struct store_pool *pool, const struct mailer_config *cfg, char *err, size_t errlen);
/* Asks the thread to look at the outbox now rather than at its next tick. */
void mailer_wake(void);
/* Stops the thread; a message being sent is abandoned (it stays in the
 * outbox, to be sent after the next start). */
void mailer_stop(void);

/* Sends one message (the full RFC 5322 text) to one recipient, for the
 * thread and for tests.  0; -1 with libcurl's reason in err; or -2 when
 * the relay refused it for good (a 5xx reply, RFC 5321 section 4.2.1:
 * "permanent negative completion"), which no retry will change. */
int mailer_send(const char *smtp_url, const char *user, const char *password, const char *from,
                const char *to, const char *message, size_t len, char *err, size_t errlen);

#endif
