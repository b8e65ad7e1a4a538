/* tas rollup: rebuild the dashboard's rollup (derived data), or check it
 * against the records it is derived from. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/calendar.h"
#include "lib/grow.h"
#include "service/svc_dashboard.h"
#include "store/q_dash_rollup.h"

static void usage(FILE *f)
{
    fputs("Usage: tas rollup [--db PATH] rebuild\n"
          "       tas rollup [--db PATH] verify [--from YYYY-MM-DD --to YYYY-MM-DD]\n"
          "The dashboard's rollup holds its figures per authority and month; it is kept\n"
          "up to date by the database and by `tas serve`.\n"
          "  rebuild   rebuild every month of every authority\n"
          "  verify    bring it up to date, then compare the dashboard from the rollup with\n"
          "            the dashboard from the records, for each authority and for all of\n"
          "            them; names the first difference and exits 1 if there is one\n"
          "  --db PATH             database file (default tas.db)\n"
          "  --from, --to          whole months to compare (default: every month with a\n"
          "                        meeting)\n", f);
}

struct ids {
    int64_t *id;
    size_t n, cap;
};

static void on_authority(void *arg, int64_t id, const char *name)
{
    (void)name;
    struct ids *a = arg;
    int64_t *x = array_grow(a->id, a->n, &a->cap, sizeof *x, 64);
    if (!x)
        return;
    a->id = x;
    a->id[a->n++] = id;
}

static void ignore_team(void *arg, int64_t id, const char *name)
{
    (void)arg, (void)id, (void)name;
}

static void ignore_school(void *arg, int64_t id, const char *name, const char *phase)
{
    (void)arg, (void)id, (void)name, (void)phase;
}

/* Compares the two roads for one authority (0: all); 0 same, 1 different,
 * -1 could not build. */
static int compare(struct svc_ctx *c, int64_t authority_id, const char *from, const char *to,
                   struct dashboard *x, struct dashboard *y)
{
    char auth[24] = "";
    if (authority_id)
        snprintf(auth, sizeof auth, "%lld", (long long)authority_id);
    struct dash_filter_form in = {.from = from, .to = to, .authority_id = auth};
    struct field_errors errs = {0};
    if (svc_dashboard(c, &in, ACT_VIEW, x, &errs) != SVC_OK)
        return -1;
    in.from_records = true;
    if (svc_dashboard(c, &in, ACT_VIEW, y, &errs) != SVC_OK)
        return -1;
    char where[400];
    const char *what = authority_id ? auth : "all authorities";
    if (dashboard_same(x, y, where, sizeof where)) {
        printf("rollup: %s%s: the same figures as the records\n", authority_id ? "authority " : "", what);
        return 0;
    }
    printf("rollup: %s%s: DIFFERENT from the records: %s\n", authority_id ? "authority " : "", what, where);
    return 1;
}

int cli_rollup_verify(struct svc_ctx *c, const char *from, const char *to)
{
    char first[8], last[8], f[32], t[32];
    if (!from) {
        if (q_rollup_span(c->db, first, last) != STORE_OK)
            return -1;
        if (!first[0]) {
            printf("rollup: no meetings, nothing to compare\n");
            return 0;
        }
        int y, m;
        sscanf(last, "%4d-%2d", &y, &m);
        int32_t end = (m == 12 ? day_from_ymd(y + 1, 1, 1) : day_from_ymd(y, m + 1, 1)) - 1;
        snprintf(f, sizeof f, "%s-01", first);
        snprintf(t, sizeof t, "%s-%02d", last, (int)(end - day_from_ymd(y, m, 1) + 1));
        from = f;
        to = t;
    }
    printf("rollup: comparing %s to %s\n", from, to);
    struct ids a = {0};
    struct dash_choices_sink sink = {.arg = &a, .authority = on_authority, .team = ignore_team,
                                     .school = ignore_school};
    if (svc_dashboard_choices(c, &sink) != SVC_OK) {
        free(a.id);
        return -1;
    }
    struct dashboard *x = malloc(sizeof *x), *y = malloc(sizeof *y);
    int worst = x && y ? 0 : -1;
    for (size_t i = 0; worst >= 0 && i <= a.n; i++) {
        int r = compare(c, i < a.n ? a.id[i] : 0, from, to, x, y);
        worst = r < 0 ? r : r > worst ? r : worst;
    }
    free(x);
    free(y);
    free(a.id);
    return worst;
}

int cli_rollup(int argc, char **argv)
{
    const char *db = "tas.db", *from = NULL, *to = NULL;
    const struct cli_opt opts[] = {{"db", &db, NULL}, {"from", &from, NULL}, {"to", &to, NULL}, {0}};
    int done = cli_options(argc, argv, 1, opts, usage);
    if (done >= 0)
        return done;
    const char *cmd = optind < argc ? argv[optind] : "";
    bool rebuild = !strcmp(cmd, "rebuild"), check = !strcmp(cmd, "verify");
    int32_t d1, d2;
    if (optind + 1 != argc || (!rebuild && !check) || (rebuild && (from || to)) || (!from != !to) ||
        (from && (day_parse(from, &d1) != 0 || day_parse(to, &d2) != 0 || d1 > d2)))
        return cli_usage(usage);
    struct svc_ctx ctx;
    struct store *s = cli_open_system(db, &ctx);
    if (!s)
        return CLI_FAIL;
    int rc;
    if (rebuild) {
        time_t t0 = time(NULL);
        rc = svc_dashboard_rebuild(&ctx) == SVC_OK ? 0 : -1;
        if (rc == 0)
            printf("rollup: rebuilt in %lds\n", (long)(time(NULL) - t0));
    } else {
        rc = cli_rollup_verify(&ctx, from, to);
    }
    if (rc < 0)
        cli_fail("rollup %s failed: %s", cmd, store_errmsg(s));
    store_close(s);
    return rc < 0 ? CLI_FAIL : rc > 0 ? CLI_FAIL : CLI_OK;
}
