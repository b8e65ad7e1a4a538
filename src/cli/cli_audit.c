/* tas audit verify: walk the audit trail's hash chain. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "service/svc_audit.h"

static void usage(FILE *f)
{
    fputs("Usage: tas audit verify [--db PATH]\n"
          "Checks that no audit entry was changed, removed or inserted: each entry's hash\n"
          "must match its content and the entry before it. Exit 0 when intact, 1 naming\n"
          "the first broken entry.\n"
          "  --db PATH   database file (default tas.db)\n", f);
}

int cli_audit(int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(stdout);
        return CLI_OK;
    }
    if (argc < 2 || strcmp(argv[1], "verify") != 0) {
        usage(stderr);
        return CLI_USAGE;
    }
    const char *db = "tas.db";
    static const struct option opts[] = {{"db", required_argument, 0, 'd'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
        if (c == 'd') db = optarg;
        else if (c == 'h') { usage(stdout); return CLI_OK; }
        else { usage(stderr); return CLI_USAGE; }
    }
    if (optind != argc - 1) {
        usage(stderr);
        return CLI_USAGE;
    }
    struct store *s = cli_open_db(db);
    if (!s)
        return CLI_FAIL;
    struct audit_verify v;
    enum svc_status st = svc_audit_verify(s, &v);
    store_close(s);
    if (st != SVC_OK) {
        cli_fail("cannot read the audit log of %s", db);
        return CLI_FAIL;
    }
    if (v.first_bad_id) {
        cli_fail("audit log broken at entry %" PRId64 ": %s (%" PRId64 " entries before it verified)",
                 v.first_bad_id,
                 v.why == AUDIT_LINK_PREV ? "it does not follow the entry before it (an entry was removed or inserted)"
                                          : "its content does not match its hash (it was changed)",
                 v.checked);
        return CLI_FAIL;
    }
    if (v.anchor_id)
        printf("tas: audit log intact: %" PRId64 " entries verified (entries up to %" PRId64
               " were removed by retention; the chain starts from their recorded hash)\n",
               v.checked, v.anchor_id);
    else
        printf("tas: audit log intact: %" PRId64 " entries verified\n", v.checked);
    return CLI_OK;
}
