/* tas user add|passwd|list|disable|enable: user accounts from the shell,
 * acting as the platform administrator. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "service/password.h"
#include "service/svc_account.h"
#include "service/svc_users.h"
#include "store/q_schools.h"

/* Up to PASSWORD_MAX_LEN characters of up to 4 bytes each, newline, NUL. */
#define PASSWORD_BUF (PASSWORD_MAX_LEN * 4 + 2)

static void usage(FILE *f)
{
    fputs("Usage: tas user COMMAND [--db PATH] ...\n"
          "  add USERNAME --name NAME --role ROLE --scope SCOPE [--scope-id N]\n"
          "      [--authority-id N] [--detail TEXT] [--email ADDRESS]\n"
          "                     create a user; the password is read from standard input\n"
          "  passwd USERNAME    set a new password (read from standard input); ends their sessions\n"
          "  list               list users and their roles\n"
          "  disable USERNAME   stop a user signing in; ends their sessions\n"
          "  enable USERNAME    let a disabled user sign in again\n"
          "  reset-two-factor USERNAME\n"
          "                     remove a user's authenticator and recovery codes (a lost\n"
          "                     phone); they set it up again; ends their sessions\n"
          "Roles: admin dpo strategic_lead case_coordinator school_lead practitioner evaluator steering\n"
          "       budget_holder budget_approver apst_manager apst_specialist (the last two: --scope team\n"
          "       --scope-id TEAM, the taskforce's team; a specialist's --detail is their type, e.g.\n"
          "       mental_health, which a referral's consent must cover)\n"
          "Scopes: system authority school team service\n"
          "  --db PATH   database file (default tas.db)\n", f);
}

/* Reads a password: prompted twice without echo at a terminal, else one line. */
static int read_password(char *out, size_t n)
{
    bool tty = isatty(STDIN_FILENO);
    struct termios old, quiet;
    if (tty) {
        tcgetattr(STDIN_FILENO, &old);
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
        fputs("Password: ", stderr);
    }
    int ok = fgets(out, (int)n, stdin) != NULL;
    if (ok && tty) {
        char again[PASSWORD_BUF];
        fputs("\nAgain: ", stderr);
        ok = fgets(again, sizeof again, stdin) != NULL && strcmp(again, out) == 0;
        if (!ok)
            fputs("\n", stderr), cli_fail("the passwords do not match");
    }
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        fputs("\n", stderr);
    }
    if (!ok)
        return -1;
    /* A line longer than the buffer is refused, never cut short. */
    if (!strchr(out, '\n') && strlen(out) == n - 1 && !feof(stdin))
        snprintf(out, n, "%*s", PASSWORD_MAX_LEN + 1, "");
    out[strcspn(out, "\r\n")] = '\0';
    return 0;
}

static void print_errors(const struct field_errors *e)
{
    for (size_t i = 0; i < e->count; i++)
        cli_fail("%s: %s", e->items[i].field, e->items[i].message);
}

static int finish(enum svc_status st, const struct field_errors *e, const char *what, const char *who)
{
    if (st == SVC_OK) {
        printf("tas: %s %s\n", what, who);
        return CLI_OK;
    }
    if (st == SVC_INVALID)
        print_errors(e);
    else if (st == SVC_NOT_FOUND)
        cli_fail("no user called %s", who);
    else
        cli_fail("could not %s %s: %s", what, who, svc_status_text(st));
    return CLI_FAIL;
}

struct list_ctx {
    struct store *db;
};

static void print_user(void *arg, const struct user_row *u)
{
    struct list_ctx *lc = arg;
    struct principal p;
    printf("%-20s %-32s %s", u->username, u->display_name, u->disabled ? "disabled" : "active");
    if (svc_principal_load(lc->db, u->id, &p) == SVC_OK)
        for (size_t i = 0; i < p.ngrants; i++)
            printf(" %s@%s:%lld%s%s", role_code(p.grants[i].role), scope_code(p.grants[i].scope),
                   (long long)p.grants[i].scope_id, p.grants[i].detail[0] ? "/" : "", p.grants[i].detail);
    printf("\n");
}

int cli_user(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage(usage);
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return CLI_OK;
    }
    const char *db = "tas.db", *name = NULL, *role = NULL, *scope = NULL, *detail = "", *email = NULL;
    const char *scope_id_text = NULL, *authority_id_text = NULL;
    long scope_id = 0, authority_id = 0;
    const struct cli_opt opts[] = {{"db", &db, NULL}, {"name", &name, NULL}, {"role", &role, NULL},
                                   {"scope", &scope, NULL}, {"scope-id", &scope_id_text, NULL},
                                   {"authority-id", &authority_id_text, NULL}, {"detail", &detail, NULL},
                                   {"email", &email, NULL}, {0}};
    int done = cli_options(argc, argv, 2, opts, usage);
    if (done >= 0)
        return done;
    const char *bad = scope_id_text && cli_number(scope_id_text, 0, 0x7fffffffL, &scope_id) != 0 ? "scope-id"
                      : authority_id_text && cli_number(authority_id_text, 0, 0x7fffffffL, &authority_id) != 0
                          ? "authority-id"
                          : NULL;
    if (bad) {
        cli_fail("--%s needs a whole number", bad);
        return CLI_USAGE;
    }
    bool is_list = strcmp(cmd, "list") == 0;
    bool known = is_list || !strcmp(cmd, "add") || !strcmp(cmd, "passwd") || !strcmp(cmd, "disable") ||
                 !strcmp(cmd, "enable") || !strcmp(cmd, "reset-two-factor");
    if (!known || (is_list ? optind != argc : optind != argc - 1))
        return cli_usage(usage);
    const char *username = is_list ? NULL : argv[optind];
    struct role_grant g;
    memset(&g, 0, sizeof g);
    if (!strcmp(cmd, "add")) {
        if (!name || !role || !scope) {
            cli_fail("user add needs --name, --role and --scope");
            return CLI_USAGE;
        }
        if (role_from_code(role, &g.role) != 0 || scope_from_code(scope, &g.scope) != 0) {
            cli_fail("unknown role '%s' or scope '%s' (see tas user --help)", role, scope);
            return CLI_USAGE;
        }
        if (g.scope != SCOPE_SYSTEM && scope_id <= 0) {
            cli_fail("--scope-id is needed for scope %s", scope);
            return CLI_USAGE;
        }
        g.scope_id = scope_id;
        snprintf(g.detail, sizeof g.detail, "%s", detail);
    }
    if (password_init() != 0) {
        cli_fail("cannot initialise libsodium");
        return CLI_FAIL;
    }
    struct svc_ctx ctx;
    struct store *s = cli_open_system(db, &ctx);
    if (!s)
        return CLI_FAIL;
    struct field_errors e = {0};
    int rc = CLI_FAIL;
    char pw[PASSWORD_BUF];
    if (is_list) {
        struct list_ctx lc = {s};
        rc = svc_user_list(&ctx, print_user, &lc) == SVC_OK ? CLI_OK : CLI_FAIL;
    } else if (!strcmp(cmd, "add")) {
        /* The grant's authority: the scope itself, the school's, or given. */
        g.authority_id = authority_id;
        if (g.scope == SCOPE_AUTHORITY)
            g.authority_id = scope_id;
        if (g.scope == SCOPE_SCHOOL) {
            struct school sc;
            if (q_school_get(s, scope_id, &sc) != STORE_ROW) {
                cli_fail("no school with id %ld", scope_id);
                goto out;
            }
            g.authority_id = sc.authority_id;
        }
        if (read_password(pw, sizeof pw) != 0) {
            cli_fail("no password given on standard input");
            goto out;
        }
        struct user_form uf = {username, name, email, pw};
        rc = finish(svc_user_create(&ctx, &uf, &g, 1, &e, NULL), &e, "added", username);
    } else if (!strcmp(cmd, "passwd")) {
        if (read_password(pw, sizeof pw) != 0) {
            cli_fail("no password given on standard input");
            goto out;
        }
        rc = finish(svc_user_set_password(&ctx, username, pw, &e), &e, "new password set for", username);
    } else if (!strcmp(cmd, "reset-two-factor")) {
        struct user_row u;
        enum store_rc urc = q_user_by_username(s, username, &u);
        enum svc_status st = urc == STORE_ROW ? svc_user_totp_reset(&ctx, u.id)
                             : urc == STORE_DONE ? SVC_NOT_FOUND : SVC_ERROR;
        rc = finish(st, &e, "two-factor authentication reset for", username);
    } else {
        bool disable = !strcmp(cmd, "disable");
        rc = finish(svc_user_set_disabled(&ctx, username, disable), &e,
                    disable ? "disabled" : "enabled", username);
    }
out:
    memset(pw, 0, sizeof pw);
    store_close(s);
    return rc;
}
