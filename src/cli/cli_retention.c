/* tas retention: report what is past its retention period and (without
 * --dry-run) erase or anonymise it. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/calendar.h"
#include "service/svc_retention.h"

static void usage(FILE *f)
{
    fputs("Usage: tas retention [--db PATH] [--dry-run] [--today YYYY-MM-DD]\n"
          "Finds the records past the retention periods set on the Retention page, lists\n"
          "them by type and number (never by name), and erases or anonymises them.\n"
          "Each step is recorded in the audit trail.\n"
          "  --db PATH            database file (default tas.db)\n"
          "  --dry-run            only report what would be done\n"
          "  --today YYYY-MM-DD   the date to judge by (default: today, UTC)\n", f);
}

static void report(void *arg, const struct retention_item *it)
{
    bool dry = *(const bool *)arg;
    const char *verb = retention_effect(it->type);
    if (it->type == RET_AUDIT || it->type == RET_SESSION)
        printf("%s %s %s: %lld older than %s\n", dry ? "would" : "did", verb,
               it->type == RET_AUDIT ? "audit entries" : "sessions", (long long)it->count, it->due_on);
    else if (it->type == RET_OUTCOME)
        printf("%s %s the outcome records of pupil %lld (due %s)\n", dry ? "would" : "did", verb,
               (long long)it->id, it->due_on);
    else
        printf("%s %s %s %lld (due %s)\n", dry ? "would" : "did", verb, retention_code(it->type),
               (long long)it->id, it->due_on);
}

int cli_retention(int argc, char **argv)
{
    const char *db = "tas.db";
    const char *today = NULL;
    bool dry = false;
    const struct cli_opt opts[] = {{"db", &db, NULL}, {"dry-run", NULL, &dry}, {"today", &today, NULL}, {0}};
    int done = cli_options(argc, argv, 1, opts, usage);
    if (done >= 0)
        return done;
    int32_t day;
    if (optind != argc || (today && day_parse(today, &day) != 0))
        return cli_usage(usage);
    struct svc_ctx ctx;
    struct store *s = cli_open_system(db, &ctx);
    if (!s)
        return CLI_FAIL;
    if (!today)
        today = ctx.today;
    struct retention_report rep;
    enum svc_status st = svc_retention_run(&ctx, today, dry, report, &dry, &rep);
    store_close(s);
    if (st != SVC_OK) {
        cli_fail("retention run failed (%s); nothing was changed", svc_status_text(st));
        return CLI_FAIL;
    }
    printf("tas: %s%lld case records to anonymise, %lld consent records to erase, %lld pupils to anonymise,"
           " %lld pupils' outcome records and toolkit completions, %lld audit entries and %lld sessions"
           " to erase (as of %s)\n",
           dry ? "dry run: " : "done: ", (long long)rep.done[RET_CASE], (long long)rep.done[RET_CONSENT],
           (long long)rep.done[RET_PUPIL], (long long)rep.done[RET_OUTCOME], (long long)rep.done[RET_AUDIT], (long long)rep.done[RET_SESSION],
           today);
    return CLI_OK;
}
