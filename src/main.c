/* tas: Team Around the School.  One binary; the first word picks the
 * command (see cli/). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static void usage(FILE *f)
{
    fputs("Usage: tas COMMAND [options]\n"
          "  serve     run the web server\n"
          "  migrate   bring a database's schema up to date\n"
          "  migrate-store  move an installation from SQLite to PostgreSQL, checked table by table\n"
          "  demo      create a database holding a generated demonstration authority\n"
          "  user      add, list, disable users and set passwords\n"
          "  audit     verify the audit trail's hash chain\n"
          "  retention report, then erase or anonymise, records past their retention period\n"
          "  generate  create a generated England (or one authority) for benchmarks\n"
          "  rollup    rebuild the dashboard's rollup, or check it against the records\n"
          "  evaluate  did it work: rates per 100 pupils, difference-in-differences, panel regression\n"
          "  import    import pupils' outcome records (attendance, suspensions, ...) from CSV, or schools from GIAS\n"
          "  toolkit   load screening toolkit definitions, or list them\n"
          "  backup    copy the database, consistently, while it serves\n"
          "  restore   put a backup back, and verify its audit log\n"
          "  mail      the e-mail outbox: what waits, run the day's reminders\n"
          "Run 'tas COMMAND --help' for a command's options; 'tas --version' for the version.\n", f);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    const char *cmd = argv[1];
    char err[200];
    if (clock_init(err, sizeof err) != 0) {
        fprintf(stderr, "tas: %s\n", err);
        return CLI_USAGE;
    }
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return CLI_OK;
    }
    if (!strcmp(cmd, "--version")) {
        printf("tas %s\n", TAS_VERSION);
        return CLI_OK;
    }
    if (!strcmp(cmd, "serve")) return cli_serve(argc - 1, argv + 1);
    if (!strcmp(cmd, "migrate")) return cli_migrate(argc - 1, argv + 1);
    if (!strcmp(cmd, "migrate-store")) return cli_migrate_store(argc - 1, argv + 1);
    if (!strcmp(cmd, "demo")) return cli_demo(argc - 1, argv + 1);
    if (!strcmp(cmd, "user")) return cli_user(argc - 1, argv + 1);
    if (!strcmp(cmd, "audit")) return cli_audit(argc - 1, argv + 1);
    if (!strcmp(cmd, "retention")) return cli_retention(argc - 1, argv + 1);
    if (!strcmp(cmd, "generate")) return cli_generate(argc - 1, argv + 1);
    if (!strcmp(cmd, "rollup")) return cli_rollup(argc - 1, argv + 1);
    if (!strcmp(cmd, "evaluate")) return cli_evaluate(argc - 1, argv + 1);
    if (!strcmp(cmd, "import")) return cli_import(argc - 1, argv + 1);
    if (!strcmp(cmd, "toolkit")) return cli_toolkit(argc - 1, argv + 1);
    if (!strcmp(cmd, "backup")) return cli_backup(argc - 1, argv + 1);
    if (!strcmp(cmd, "restore")) return cli_restore(argc - 1, argv + 1);
    if (!strcmp(cmd, "mail")) return cli_mail(argc - 1, argv + 1);
    fprintf(stderr, "tas: unknown command '%s'\n", cmd);
    usage(stderr);
    return CLI_USAGE;
}
