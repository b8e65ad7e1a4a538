/* tas audit verify | anchor: check the audit trail's keyed chain, and
 * print its head to keep somewhere the database's holders cannot change. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "service/secrets.h"
#include "service/svc_audit.h"

static void usage(FILE *f)
{
    fputs("Usage: tas audit verify [--db PATH] [--anchor ID:HASH]\n"
          "       tas audit anchor [--db PATH]\n"
          "verify: checks that no audit entry was changed, removed or inserted: each entry's\n"
          "  keyed hash must match its content and the entry before it, and a record of\n"
          "  entries removed by retention must carry tas's own seal.  With --anchor (a line\n"
          "  printed earlier by 'tas audit anchor'), also that the log still holds that\n"
          "  entry unchanged.  Exit 0 when intact, 1 naming the first broken entry.\n"
          "anchor: prints the newest entry as ID:HASH.  Keep it where whoever holds the\n"
          "  database cannot change it (a ticket, a signed e-mail, another system).\n"
          "  --db PATH   database file (default tas.db); its key is read from TAS_SECRET_KEY\n"
          "              or PATH.key\n", f);
}

/* "123:<64 hex>" */
static int parse_head(const char *s, struct audit_head *h)
{
    char *end;
    long long id = strtoll(s, &end, 10);
    if (id <= 0 || *end != ':' || !audit_hash_wellformed(end + 1))
        return -1;
    h->id = id;
    memcpy(h->hash, end + 1, AUDIT_HASH_HEX + 1);
    return 0;
}

static const char *why_text(enum audit_link why)
{
    switch (why) {
    case AUDIT_LINK_PREV: return "it does not follow the entry before it (an entry was removed or inserted)";
    case AUDIT_LINK_HASH: return "its content does not match its keyed hash (it was changed, or written without the key)";
    case AUDIT_LINK_PRUNE: return "the record that entries up to it were removed does not carry tas's seal (it was made by hand)";
    case AUDIT_LINK_ANCHOR: return "the anchor kept elsewhere does not match: the log was cut short or rewritten";
    default: return "unknown";
    }
}

int cli_audit(int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(stdout);
        return CLI_OK;
    }
    bool anchor = argc >= 2 && strcmp(argv[1], "anchor") == 0;
    if (argc < 2 || (!anchor && strcmp(argv[1], "verify") != 0)) {
        usage(stderr);
        return CLI_USAGE;
    }
    const char *db = "tas.db", *expect_text = NULL;
    static const struct option opts[] = {{"db", required_argument, 0, 'd'}, {"anchor", required_argument, 0, 'a'},
                                         {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
        if (c == 'd') db = optarg;
        else if (c == 'a' && !anchor) expect_text = optarg;
        else if (c == 'h') { usage(stdout); return CLI_OK; }
        else { usage(stderr); return CLI_USAGE; }
    }
    struct audit_head expect;
    if (optind != argc - 1 || (expect_text && parse_head(expect_text, &expect) != 0)) {
        usage(stderr);
        return CLI_USAGE;
    }
    if (!secrets_exist(db)) {
        cli_fail("no server key for %s (TAS_SECRET_KEY, or %s.key): the keyed chain cannot be checked without it",
                 db, db);
        return CLI_FAIL;
    }
    struct store *s = cli_open_db(db);
    if (!s)
        return CLI_FAIL;
    struct audit_verify v;
    enum svc_status st = svc_audit_verify(s, expect_text ? &expect : NULL, &v);
    store_close(s);
    if (st != SVC_OK) {
        cli_fail("cannot read the audit log of %s", db);
        return CLI_FAIL;
    }
    if (v.first_bad_id) {
        cli_fail("audit log broken at entry %" PRId64 ": %s (%" PRId64 " entries before it verified)",
                 v.first_bad_id, why_text(v.why), v.checked);
        return CLI_FAIL;
    }
    if (anchor) {
        /* Only a verified head is worth keeping. */
        printf("%" PRId64 ":%s\n", v.head.id, v.head.hash);
        fprintf(stderr, "tas: keep this line where the database's holders cannot change it; check later with\n"
                        "     tas audit verify --db %s --anchor %" PRId64 ":%s\n", db, v.head.id, v.head.hash);
        return CLI_OK;
    }
    if (v.anchor_id)
        printf("tas: audit log intact: %" PRId64 " entries verified (entries up to %" PRId64
               " were removed by retention; the chain starts from their sealed record)%s\n",
               v.checked, v.anchor_id, expect_text ? "; the kept anchor matches" : "");
    else
        printf("tas: audit log intact: %" PRId64 " entries verified%s\n", v.checked,
               expect_text ? "; the kept anchor matches" : "");
    if (v.pending)
        printf("tas: %" PRId64 " entries committed with their changes are not yet sealed into the chain"
               " (tas serve seals them when it starts and with its next entry); this check does not cover them\n",
               v.pending);
    return CLI_OK;
}
