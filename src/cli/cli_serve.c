/* tas serve: the web server. */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "service/password.h"
#include "service/svc_audit.h"
#include "service/svc_dashboard.h"
#include "service/secrets.h"
#include "core/email.h"
#include "service/mailer.h"
#include "service/svc_mail.h"
#include "store/q_sessions.h"
#include "web/import_job.h"
#include "web/server.h"
#include "web/tmpl.h"

static void usage(FILE *f)
{
    fputs("Usage: tas serve [options]\n"
          "Serves tas over HTTP until stopped with Ctrl-C or SIGTERM.\n"
          "  --db PATH               database file (default tas.db)\n"
          "  --listen ADDR:PORT      where to listen (default 127.0.0.1:8080; port 0 picks one)\n"
          "  --read-db URL           a streaming replica of --db (PostgreSQL hot standby):\n"
          "                          the dashboard's reads go to it while it holds every\n"
          "                          change the dashboard could show, else to --db\n"
          "  --threads N             worker threads, each with a database connection\n"
          "                          (default and at most 64)\n"
          "  --secure-cookies        mark cookies Secure (when served over HTTPS by a proxy)\n"
          "  --trust-proxy ADDR      a proxy's IP address (repeat, or ADDR,ADDR): from it,\n"
          "                          take the client's address from X-Forwarded-For\n"
          "  --idle-timeout SECS     sign out after this long unused (default 1800)\n"
          "  --absolute-timeout SECS sign out this long after signing in (default 43200)\n"
          "  --lock-after N          failed sign-ins that lock a user name (default 10)\n"
          "  --lock-seconds SECS     how long the lock lasts (default 900)\n"
          "  --first-delay SECS      wait after the first failure beyond the free ones,\n"
          "                          doubling with each further failure (default 1)\n"
          "  --rollup-every SECS     bring the dashboard's rollup up to date this often,\n"
          "                          at most 2 s of work each time; 0: only when a\n"
          "                          dashboard asks (default 30)\n"
          "  --max-upload MB         the largest file the import pages take (a Common\n"
          "                          Transfer File, a GIAS or outcomes file), 1 to 2048;\n"
          "                          it is read to a temporary file, never into memory\n"
          "                          (default 16; raise nginx's client_max_body_size too)\n"
          "  --quiet                 no access log\n"
          "  --writes-alone          run every change alone, one at a time, as on SQLite\n"
          "                          (PostgreSQL runs changes side by side, each run again\n"
          "                          if the server fails it for conflicting with another)\n"
          "  --smtp URL              send e-mail through this relay: smtp://HOST:PORT or\n"
          "                          smtps://HOST:PORT (user and password, if the relay\n"
          "                          wants them, from TAS_SMTP_USER and TAS_SMTP_PASSWORD);\n"
          "                          without it nothing is sent and messages wait in the outbox\n"
          "  --mail-from ADDR        the address e-mail comes from (default tas@localhost)\n"
          "  --base-url URL          the address people reach tas at, for links in e-mail\n"
          "                          (default http://the --listen address)\n"
          "  --remind-days N         remind action owners of actions due within N days\n"
          "                          and of overdue ones, once a day (default 3; -1: never)\n"
          "The server key (encrypts two-factor secrets, keys the extract's pupil ids) is\n"
          "TAS_SECRET_KEY (64 hex digits) if set, else the file DB.key beside the\n"
          "database, created with mode 0600 on first start.  Back it up apart from the data.\n", f);
}

static void close_pools(struct app *app)
{
    store_pool_close(app->pool);
    if (app->read_pool)
        store_pool_close(app->read_pool);
}

int cli_serve(int argc, char **argv)
{
    const char *db = "tas.db", *listen = "127.0.0.1:8080", *read_db = NULL;
    /* Audited requests wait for their entry's shared sync (svc_audit.c):
     * threads that wait are not working, and more of them waiting makes
     * larger groups per sync.  64 (a thread for each of 64 busy
     * connections) measured best on 2 cores: the audited list's p99 at 64
     * connections 12 to 22 ms against 15 to 29 with 32 (README). */
    long threads = 64, v;
    /* Request bodies: 1 MiB; a file sent to an upload route (the import
     * pages) 16 MiB by default, a large school's file with room to spare,
     * or --max-upload (the file goes to a temporary file as it arrives). */
    struct app app = {.auth = auth_default_config, .max_body = 1024 * 1024, .max_upload = 16 * 1024 * 1024};
    enum { O_DB = 1, O_LISTEN, O_THREADS, O_SECURE, O_IDLE, O_ABS, O_LOCK_AFTER, O_LOCK_SECS, O_QUIET, O_HELP, O_FIRST_DELAY,
           O_ROLLUP, O_SMTP, O_MAIL_FROM, O_BASE_URL, O_REMIND, O_TRUST_PROXY, O_MAX_UPLOAD, O_READ_DB, O_WRITES_ALONE };
    const char *smtp = NULL, *mail_from = "tas@localhost", *base_url = NULL;
    long remind_days = 3;
    long rollup_every = 30;
    static const struct option opts[] = {
        {"db", required_argument, 0, O_DB}, {"listen", required_argument, 0, O_LISTEN},
        {"threads", required_argument, 0, O_THREADS}, {"secure-cookies", no_argument, 0, O_SECURE},
        {"idle-timeout", required_argument, 0, O_IDLE}, {"absolute-timeout", required_argument, 0, O_ABS},
        {"lock-after", required_argument, 0, O_LOCK_AFTER}, {"lock-seconds", required_argument, 0, O_LOCK_SECS},
        {"quiet", no_argument, 0, O_QUIET}, {"help", no_argument, 0, O_HELP},
        {"first-delay", required_argument, 0, O_FIRST_DELAY}, {"rollup-every", required_argument, 0, O_ROLLUP},
        {"smtp", required_argument, 0, O_SMTP}, {"mail-from", required_argument, 0, O_MAIL_FROM},
        {"base-url", required_argument, 0, O_BASE_URL}, {"remind-days", required_argument, 0, O_REMIND},
        {"trust-proxy", required_argument, 0, O_TRUST_PROXY}, {"max-upload", required_argument, 0, O_MAX_UPLOAD},
        {"read-db", required_argument, 0, O_READ_DB}, {"writes-alone", no_argument, 0, O_WRITES_ALONE},
        {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case O_DB: db = optarg; break;
        case O_READ_DB: read_db = optarg; break;
        case O_LISTEN: listen = optarg; break;
        case O_SECURE: app.secure_cookies = true; break;
        case O_QUIET: app.quiet = true; break;
        case O_WRITES_ALONE: app.writes_alone = true; break;
        case O_HELP: usage(stdout); return CLI_OK;
        case O_ROLLUP:
            if (cli_number(optarg, 0, 86400, &rollup_every) != 0) {
                cli_fail("--rollup-every needs a whole number of seconds (0 to 86400), not '%s'", optarg);
                return CLI_USAGE;
            }
            break;
        case O_TRUST_PROXY:
            if (proxy_list_add(&app.proxies, optarg) != 0) {
                cli_fail("--trust-proxy needs IP addresses like 127.0.0.1 or ::1 (at most %d), not '%s'",
                         PROXY_MAX, optarg);
                return CLI_USAGE;
            }
            break;
        case O_MAX_UPLOAD:
            if (cli_number(optarg, 1, 2048, &v) != 0) {
                cli_fail("--max-upload needs a whole number of megabytes (1 to 2048), not '%s'", optarg);
                return CLI_USAGE;
            }
            app.max_upload = (size_t)v * 1024 * 1024;
            break;
        case O_SMTP: smtp = optarg; break;
        case O_MAIL_FROM: mail_from = optarg; break;
        case O_BASE_URL: base_url = optarg; break;
        case O_REMIND:
            if (cli_number(optarg, -1, 365, &remind_days) != 0) {
                cli_fail("--remind-days needs a whole number of days (-1 to 365), not '%s'", optarg);
                return CLI_USAGE;
            }
            break;
        case O_THREADS: case O_IDLE: case O_ABS: case O_LOCK_AFTER: case O_LOCK_SECS: case O_FIRST_DELAY:
            if (cli_number(optarg, 1, 10000000, &v) != 0) {
                cli_fail("--%s needs a whole number, not '%s'", opts[c - 1].name, optarg);
                return CLI_USAGE;
            }
            if (c == O_THREADS) threads = v > 64 ? 64 : v;
            if (c == O_IDLE) app.auth.idle_timeout = v;
            if (c == O_ABS) app.auth.absolute_timeout = v;
            if (c == O_LOCK_AFTER) app.auth.throttle.lock_after = (int)v;
            if (c == O_LOCK_SECS) app.auth.throttle.lock_seconds = (int)v;
            if (c == O_FIRST_DELAY) app.auth.throttle.first_delay = v > 60 ? 60 : (int)v;
            break;
        default: usage(stderr); return CLI_USAGE;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return CLI_USAGE;
    }
    if (!mail_address_ok(mail_from)) {
        cli_fail("--mail-from needs a plain e-mail address like tas@example.org, not '%s'", mail_from);
        return CLI_USAGE;
    }
    if (smtp && strncmp(smtp, "smtp://", 7) != 0 && strncmp(smtp, "smtps://", 8) != 0) {
        cli_fail("--smtp needs smtp://HOST:PORT or smtps://HOST:PORT, not '%s'", smtp);
        return CLI_USAGE;
    }
    if (password_init() != 0) {
        cli_fail("cannot initialise libsodium");
        return CLI_FAIL;
    }
    struct store *first = cli_open_db(db);
    if (!first)
        return CLI_FAIL;
    store_close(first);
    char kerr[256];
    if (secrets_load(db, kerr, sizeof kerr) != 0) {
        cli_fail("server key: %s", kerr);
        return CLI_FAIL;
    }

    char err[256];
    app.tmpl = tmpl_load_embedded(err, sizeof err);
    if (!app.tmpl) {
        cli_fail("templates: %s", err);
        return CLI_FAIL;
    }
    /* One connection per worker, one for the loop below, one for the mail
     * thread, one for an import read in the background (web/import_job.h). */
    app.pool = store_pool_open(db, (int)threads + 3, err, sizeof err);
    if (!app.pool) {
        cli_fail("cannot open database %s: %s", db, err);
        tmpl_free(app.tmpl);
        return CLI_FAIL;
    }
    /* Audit entries a crash left committed but not chained (svc_audit.h). */
    struct store *one = store_pool_acquire(app.pool);
    if (svc_audit_seal(one) != SVC_OK)
        fprintf(stderr, "tas: warning: audit entries waiting for their seal could not be sealed yet: %s\n",
                store_errmsg(one));
    store_pool_release(app.pool, one);
    /* The replica: read only, never migrated (it replays the primary's
     * schema); one connection per worker at most. */
    if (read_db) {
        app.read_pool = store_pool_open(read_db, (int)threads, err, sizeof err);
        if (!app.read_pool) {
            cli_fail("cannot open the replica --read-db: %s", err);
            close_pools(&app);
            tmpl_free(app.tmpl);
            return CLI_FAIL;
        }
    }
    /* Signals go to this thread only: block them before the server's
     * threads start (they inherit the mask), then wait for them here. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct server *srv = server_start(&app, listen, (unsigned)threads, err, sizeof err);
    if (!srv) {
        cli_fail("%s", err);
        close_pools(&app);
        tmpl_free(app.tmpl);
        return CLI_FAIL;
    }
    char host[128];
    snprintf(host, sizeof host, "%s", listen);
    char *colon = strrchr(host, ':');
    if (colon)
        *colon = '\0';
    if (clock_pinned()) {
        char day[11];
        clock_date_of(clock_now(), day);
        fprintf(stderr, "tas: TAS_TODAY is set: this server's today is %s (a test setting, not for real use)\n", day);
    }
    char own_url[200];
    snprintf(own_url, sizeof own_url, "http://%s:%u", host, (unsigned)server_port(srv));
    svc_mail_setup(base_url ? base_url : own_url, mail_from);
    struct mailer_config mc = {smtp, mail_from, getenv("TAS_SMTP_USER"), getenv("TAS_SMTP_PASSWORD"),
                               (int)remind_days, 30};
    if (mailer_start(app.pool, &mc, err, sizeof err) != 0) {
        cli_fail("e-mail: %s", err);
        server_stop(srv, 0);
        close_pools(&app);
        tmpl_free(app.tmpl);
        return CLI_FAIL;
    }
    printf("tas: listening on http://%s:%u\n", host, (unsigned)server_port(srv));
    fflush(stdout);

    /* Between signals: clear out expired sessions once a minute, and keep
     * the dashboard's rollup current (2 s of work at most each time, so a
     * signal waits no longer than that). */
    int64_t last_purge = clock_now();
    for (;;) {
        struct timespec tick = {rollup_every > 0 && rollup_every < 60 ? rollup_every : 60, 0};
        int sig = sigtimedwait(&set, NULL, &tick);
        if (sig == SIGINT || sig == SIGTERM)
            break;
        struct store *s = store_pool_acquire(app.pool);
        int64_t now = clock_now();
        if (now - last_purge >= 60) {
            (void)q_session_purge(s, now - app.auth.idle_timeout, now - app.auth.absolute_timeout);
            last_purge = now;
        }
        if (rollup_every > 0) {
            struct svc_ctx ctx;
            svc_ctx_init(&ctx, s, svc_system_principal(), now);
            size_t left = 0;
            if (svc_dashboard_refresh_some(&ctx, 2000, &left) != SVC_OK)
                fprintf(stderr, "tas: the dashboard's rollup could not be brought up to date: %s\n",
                        store_errmsg(s));
        }
        store_pool_release(app.pool, s);
    }
    fprintf(stderr, "tas: stopping\n");
    server_stop(srv, 10);
    struct dispatch_stats ds;
    dispatch_stats(&ds);
    if (ds.side_by_side)
        fprintf(stderr, "tas: %" PRIu64 " changes ran side by side; %" PRIu64 " runs again after a conflict,"
                " %" PRIu64 " of them on the last try, alone; %" PRIu64 " times, conflicts were frequent enough"
                " for the next changes to take turns\n", ds.side_by_side, ds.again, ds.alone, ds.cooled);
    import_jobs_stop();
    mailer_stop();
    close_pools(&app);
    tmpl_free(app.tmpl);
    fprintf(stderr, "tas: stopped\n");
    return CLI_OK;
}
