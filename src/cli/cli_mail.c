/* tas mail: the e-mail outbox (what waits, what was sent, what was given
 * up) and the day's action reminders, for a database tas serve may be
 * serving meanwhile.  Sending is tas serve's (--smtp). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/email.h"
#include "service/svc_mail.h"
#include "store/q_mail.h"

static void usage(FILE *f)
{
    fputs("Usage: tas mail [--db PATH] status\n"
          "       tas mail [--db PATH] [--days N] [--base-url URL] remind\n"
          "  status      how many messages wait to be sent, were sent (kept 30 days),\n"
          "              and were given up (refused by the relay for good, or unsent\n"
          "              after every retry)\n"
          "  remind      queue today's reminders to action owners now (tas serve does it\n"
          "              once a day by itself); an owner already reminded today is not\n"
          "              reminded again\n"
          "  --db PATH   database file (default tas.db)\n"
          "  --days N    actions due within N days, and overdue ones (default 3)\n"
          "  --base-url URL  the address people reach tas at, for the link in a reminder\n"
          "                  (as tas serve --base-url; default http://127.0.0.1:8080)\n", f);
}

int cli_mail(int argc, char **argv)
{
    const char *db = "tas.db", *days_text = "3", *base_url = NULL;
    const struct cli_opt opts[] = {{"db", &db, NULL}, {"days", &days_text, NULL}, {"base-url", &base_url, NULL}, {0}};
    int done = cli_options(argc, argv, 1, opts, usage);
    if (done >= 0)
        return done;
    if (optind != argc - 1)
        return cli_usage(usage);
    const char *what = argv[optind];
    long days;
    if (cli_number(days_text, 0, 365, &days) != 0) {
        cli_fail("--days needs a whole number of days (0 to 365), not '%s'", days_text);
        return CLI_USAGE;
    }
    if (strcmp(what, "status") != 0 && strcmp(what, "remind") != 0)
        return cli_usage(usage);
    struct store *s = cli_open_db(db);
    if (!s)
        return CLI_FAIL;
    int rc = CLI_OK;
    if (!strcmp(what, "status")) {
        int64_t waiting, sent, given_up;
        if (q_outbox_counts(s, MAIL_MAX_ATTEMPTS, &waiting, &sent, &given_up) != STORE_OK) {
            cli_fail("cannot read the outbox: %s", store_errmsg(s));
            rc = CLI_FAIL;
        } else {
            printf("mail: %lld waiting, %lld sent, %lld given up\n", (long long)waiting, (long long)sent,
                   (long long)given_up);
        }
    } else {
        struct svc_ctx c;
        svc_mail_setup(base_url, NULL);
        svc_ctx_init(&c, s, svc_system_principal(), clock_now());
        int64_t queued = 0;
        if (svc_mail_reminders(&c, (int)days, &queued) != SVC_OK) {
            cli_fail("the reminders could not be queued: %s", store_errmsg(s));
            rc = CLI_FAIL;
        } else {
            printf("mail: %lld reminder%s queued for %s\n", (long long)queued, queued == 1 ? "" : "s", c.today);
        }
    }
    store_close(s);
    return rc;
}
