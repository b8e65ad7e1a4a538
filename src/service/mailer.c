#include "service/mailer.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/email.h"
#include "lib/buf.h"
#include "lib/clock.h"
#include "service/svc_mail.h"
#include "store/q_mail.h"

/* Seconds libcurl may take to connect, and for the whole exchange. */
#define SMTP_CONNECT_TIMEOUT 10
#define SMTP_TIMEOUT 60
/* Messages sent per tick at most, so a stop is never kept waiting long. */
#define BATCH 20

/* Set by mailer_stop: a message being sent is abandoned (and tried again
 * after the restart), so a relay that hangs cannot hold up a shutdown. */
static atomic_bool stopping;

static int abandon_on_stop(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
    (void)arg, (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
    return atomic_load(&stopping) ? 1 : 0;
}

struct reader {
    const char *p;
    size_t left;
};

static size_t read_message(char *out, size_t size, size_t nitems, void *arg)
{
    struct reader *r = arg;
    size_t room = size * nitems;
    size_t n = r->left < room ? r->left : room;
    memcpy(out, r->p, n);
    r->p += n;
    r->left -= n;
    return n;
}

int mailer_send(const char *smtp_url, const char *user, const char *password, const char *from,
                const char *to, const char *message, size_t len, char *err, size_t errlen)
{
    CURL *curl = curl_easy_init();
    if (!curl) {
        snprintf(err, errlen, "cannot start libcurl");
        return -1;
    }
    char ebuf[CURL_ERROR_SIZE] = "";
    char env_from[300], env_to[300];
    snprintf(env_from, sizeof env_from, "<%s>", from);
    snprintf(env_to, sizeof env_to, "<%s>", to);
    struct curl_slist *rcpt = curl_slist_append(NULL, env_to);
    struct reader r = {message, len};
    curl_easy_setopt(curl, CURLOPT_URL, smtp_url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, env_from);
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_message);
    curl_easy_setopt(curl, CURLOPT_READDATA, &r);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, (long)SMTP_CONNECT_TIMEOUT);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)SMTP_TIMEOUT);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, ebuf);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, abandon_on_stop);
    if (user && *user) {
        curl_easy_setopt(curl, CURLOPT_USERNAME, user);
        curl_easy_setopt(curl, CURLOPT_PASSWORD, password ? password : "");
        /* Credentials only over TLS (smtps://, or STARTTLS on smtp://). */
        curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
    }
    CURLcode rc = rcpt ? curl_easy_perform(curl) : CURLE_OUT_OF_MEMORY;
    long reply = 0;
    if (rc != CURLE_OK) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply);
        snprintf(err, errlen, "%s%s", ebuf[0] ? ebuf : curl_easy_strerror(rc),
                 reply >= 500 && reply <= 599 ? " (refused for good)" : "");
    }
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(curl);
    if (rc == CURLE_OK)
        return 0;
    return reply >= 500 && reply <= 599 ? -2 : -1;
}

/* ---- the thread --------------------------------------------------------------- */

static struct {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool running, stop, woken;
    struct store_pool *pool;
    char *smtp_url, *from, *user, *password;
    int remind_days, keep_days;
    char reminded[11];    /* the last day the reminder pass completed */
    int64_t last_purge;
} M = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};

struct batch {
    struct outbox_row *rows;
    size_t n;
};

static void take_row(void *arg, const struct outbox_row *r)
{
    struct batch *b = arg;
    if (b->n < BATCH)
        b->rows[b->n++] = *r;
}

static void reminders(struct store *s, int64_t now)
{
    char today[11];
    clock_date_of(now, today);
    if (M.remind_days < 0 || strcmp(today, M.reminded) == 0)
        return;
    struct svc_ctx c;
    svc_ctx_init(&c, s, svc_system_principal(), now);
    int64_t queued = 0;
    if (svc_mail_reminders(&c, M.remind_days, &queued) == SVC_OK)
        memcpy(M.reminded, today, sizeof today);
    else
        fprintf(stderr, "tas: the reminder pass failed (it is tried again): %s\n", store_errmsg(s));
}

/* Sends what is due; a message's row is read, the connection given back
 * while the relay is talked to, and the result written after. */
static void send_due(int64_t now)
{
    struct batch b = {calloc(BATCH, sizeof *b.rows), 0};
    if (!b.rows)
        return;
    struct store *s = store_pool_acquire(M.pool);
    (void)q_outbox_due(s, now, MAIL_MAX_ATTEMPTS, BATCH, take_row, &b);
    store_pool_release(M.pool, s);
    for (size_t i = 0; i < b.n; i++) {
        pthread_mutex_lock(&M.lock);
        bool stop = M.stop;
        pthread_mutex_unlock(&M.lock);
        if (stop)
            break;
        const struct outbox_row *r = &b.rows[i];
        struct buf msg = BUF_INIT;
        struct mail_message m = {M.from, r->recipient, r->subject, r->message_id, clock_now(), r->body,
                                 r->calendar[0] ? r->calendar : NULL, r->calendar_method};
        char err[256] = "";
        int ok = -1;
        if (mail_build(&m, &msg) != 0 || msg.failed) {
            snprintf(err, sizeof err, "the message cannot be written as e-mail");
            ok = -3;
        }
        else
            ok = mailer_send(M.smtp_url, M.user, M.password, M.from, r->recipient, msg.data, msg.len, err,
                             sizeof err);
        buf_free(&msg);
        int64_t t = clock_now();
        s = store_pool_acquire(M.pool);
        /* A message the relay refused for good (or that cannot be written
         * as e-mail) is given up at once: retrying cannot change it. */
        enum store_rc rc = ok == 0 ? q_outbox_sent(s, r->id, t)
                                   : q_outbox_failed(s, r->id, t + mail_backoff((int)r->attempts + 1),
                                                     ok == -1 ? 0 : MAIL_MAX_ATTEMPTS, err);
        store_pool_release(M.pool, s);
        if (rc != STORE_OK)
            fprintf(stderr, "tas: e-mail %lld: the outbox could not be updated\n", (long long)r->id);
        if (ok != 0)
            /* The reason, never the address or the subject. */
            fprintf(stderr, "tas: e-mail %lld not sent (attempt %lld): %s\n", (long long)r->id,
                    (long long)r->attempts + 1, err);
    }
    free(b.rows);
}

static void *run(void *arg)
{
    (void)arg;
    for (;;) {
        int64_t now = clock_now();
        struct store *s = store_pool_acquire(M.pool);
        reminders(s, now);
        if (now - M.last_purge >= 3600) {
            char day[11];
            clock_date_of(now - (int64_t)M.keep_days * 86400, day);
            (void)q_outbox_purge(s, now - (int64_t)M.keep_days * 86400, day);
            M.last_purge = now;
        }
        struct svc_ctx c;
        svc_ctx_init(&c, s, svc_system_principal(), now);
        int handled = 0;
        if (svc_mail_reset_requests(&c, 50, &handled) != SVC_OK)
            fprintf(stderr, "tas: password reset requests could not be handled: %s\n", store_errmsg(s));
        int64_t followed = 0;
        if (svc_mail_meeting_changes(&c, &followed) != SVC_OK)
            fprintf(stderr, "tas: changed meetings' invitations could not be queued: %s\n", store_errmsg(s));
        store_pool_release(M.pool, s);
        if (M.smtp_url)
            send_due(now);

        pthread_mutex_lock(&M.lock);
        if (!M.stop && !M.woken) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_sec += 1;
            pthread_cond_timedwait(&M.cond, &M.lock, &until);
        }
        M.woken = false;
        bool stop = M.stop;
        pthread_mutex_unlock(&M.lock);
        if (stop)
            break;
    }
    return NULL;
}

static char *dup_or_null(const char *s)
{
    return s && *s ? strdup(s) : NULL;
}

int mailer_start(struct store_pool *pool, const struct mailer_config *cfg, char *err, size_t errlen)
{
    if (M.running) {
        snprintf(err, errlen, "the mailer is already running");
        return -1;
    }
    if (cfg->smtp_url && *cfg->smtp_url &&
        strncmp(cfg->smtp_url, "smtp://", 7) != 0 && strncmp(cfg->smtp_url, "smtps://", 8) != 0) {
        snprintf(err, errlen, "the SMTP relay must be given as smtp://HOST:PORT or smtps://HOST:PORT");
        return -1;
    }
    if (!cfg->from || !mail_address_ok(cfg->from)) {
        snprintf(err, errlen, "the sender's address is not a plain e-mail address like tas@example.org");
        return -1;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(err, errlen, "cannot initialise libcurl");
        return -1;
    }
    M.pool = pool;
    M.smtp_url = dup_or_null(cfg->smtp_url);
    M.from = strdup(cfg->from);
    M.user = dup_or_null(cfg->user);
    M.password = dup_or_null(cfg->password);
    M.remind_days = cfg->remind_days;
    M.keep_days = cfg->keep_days > 0 ? cfg->keep_days : 30;
    M.reminded[0] = '\0';
    M.last_purge = 0;
    M.stop = false;
    M.woken = false;
    atomic_store(&stopping, false);
    if (pthread_create(&M.thread, NULL, run, NULL) != 0) {
        snprintf(err, errlen, "cannot start the mail thread");
        curl_global_cleanup();
        return -1;
    }
    M.running = true;
    return 0;
}

void mailer_wake(void)
{
    pthread_mutex_lock(&M.lock);
    M.woken = true;
    pthread_cond_signal(&M.cond);
    pthread_mutex_unlock(&M.lock);
}

void mailer_stop(void)
{
    if (!M.running)
        return;
    atomic_store(&stopping, true);
    pthread_mutex_lock(&M.lock);
    M.stop = true;
    pthread_cond_signal(&M.cond);
    pthread_mutex_unlock(&M.lock);
    pthread_join(M.thread, NULL);
    M.running = false;
    free(M.smtp_url);
    free(M.from);
    free(M.user);
    if (M.password)
        explicit_bzero(M.password, strlen(M.password));
    free(M.password);
    M.smtp_url = M.from = M.user = M.password = NULL;
    curl_global_cleanup();
}
