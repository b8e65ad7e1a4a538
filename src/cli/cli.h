/* The tas command line.  Every command returns 0 on success, 1 on a
 * runtime failure (after printing one line saying why) and 2 on a usage
 * error. */
#ifndef TAS_CLI_CLI_H
#define TAS_CLI_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "lib/clock.h"  /* clock_now(): every command's "now" */
#include "service/svc.h"  /* enum svc_status, struct field_errors */

#define TAS_VERSION "0.1.0"
#define CLI_OK 0
#define CLI_FAIL 1
#define CLI_USAGE 2

int cli_serve(int argc, char **argv);
int cli_migrate(int argc, char **argv);
int cli_demo(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_audit(int argc, char **argv);
int cli_retention(int argc, char **argv);
int cli_generate(int argc, char **argv);
int cli_rollup(int argc, char **argv);
int cli_evaluate(int argc, char **argv);
int cli_import(int argc, char **argv);
int cli_toolkit(int argc, char **argv);
int cli_backup(int argc, char **argv);
int cli_restore(int argc, char **argv);
int cli_mail(int argc, char **argv);
int cli_migrate_store(int argc, char **argv);
/* tas import ctf (cli_ctf.c), reached through cli_import. */
int cli_import_ctf(int argc, char **argv);

/* tas rollup verify (cli_rollup.c): brings the rollup up to date, then
 * compares the dashboard from it with the dashboard from the records,
 * for each authority and all together, over from..to (YYYY-MM-DD; both
 * NULL: every month with a meeting), printing a line for each.  0 the
 * same, 1 a difference (the first named), -1 could not compare. */
struct svc_ctx;
int cli_rollup_verify(struct svc_ctx *c, const char *from, const char *to);

/* Shared by the commands. */
struct store;
/* Opens the database and applies migrations; prints the reason and returns NULL on failure. */
struct store *cli_open_db(const char *path);
/* Its first steps, for a database a command makes itself (made: the
 * failure to migrate is said as making the schema): open, then migrate. */
struct store *cli_open_migrated(const char *path, bool made);
/* Its last step: s with the server key of path loaded; NULL when s is
 * NULL or the key cannot be loaded (then said, and s closed). */
struct store *cli_load_key(struct store *s, const char *path);
/* The same, and ctx set for the system acting now (clock_now()): the
 * start of a command that calls the services. */
struct svc_ctx;
struct store *cli_open_system(const char *path, struct svc_ctx *ctx);
/* The start of an import: cli_open_system (the store in *s), and a zeroed
 * report of size bytes for the service to fill (free it).  NULL when
 * either fails, the database then left closed. */
void *cli_open_import(const char *path, struct svc_ctx *ctx, size_t size, struct store **s);
/* The same for an import read from the file at path: first the file,
 * opened with fopen's mode into *in ("cannot read" said when it cannot
 * be), then cli_open_import.  NULL when either fails, nothing left open. */
void *cli_open_file_import(const char *db, const char *path, const char *mode, FILE **in,
                           struct svc_ctx *ctx, size_t size, struct store **s);
/* Prints "tas: <message>" to stderr. */
void cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "tas: <what>: <status>; <field>: <message>..." for a service
 * that refused (every field error, never a value typed); returns -1. */
int cli_svc_failed(const char *what, enum svc_status st, const struct field_errors *e);
/* How far a file being imported has been read, on standard error: "tas:
 * <what>:  42% (21000 <unit>)" each time the percentage moves (without
 * it, when the size is not known: a pipe).  cli_progress_start sets p up
 * for in; cli_progress is the services' progress callback, with p. */
struct cli_progress {
    const char *what, *unit;
    FILE *in;
    long long size;   /* bytes in the file, 0 when unknown */
    int last;         /* the last percentage printed */
};
void cli_progress_start(struct cli_progress *p, const char *what, const char *unit, FILE *in);
void cli_progress(void *p, size_t n);
/* Then how far the rows read have been checked and written (the outcomes
 * import's second pass, svc_outcomes_import's checked callback): "tas:
 * <what>: 4000 of 20000 <unit> checked", then "... written", a line each
 * tenth of the way and at the end. */
void cli_progress_checked(void *p, size_t checked, size_t written, size_t n);
/* Parses a whole decimal number in [min, max]; 0 ok. */
int cli_number(const char *s, long min, long max, long *out);
/* The whole file, NUL-terminated (free it), or NULL when it cannot be read,
 * is longer than max bytes or holds a NUL. */
char *cli_slurp(const char *path, size_t max);

/* One option of a command (src/cli/cli_opts.c): with a value, which goes to
 * *text; or without one, which sets *flag. */
struct cli_opt {
    const char *name;
    const char **text;
    bool *flag;
};
/* Reads argv's options from index first against opts (ended by {0}) and
 * --help.  Returns -1 to go on (optind at the first operand), CLI_OK after
 * --help printed usage on stdout, CLI_USAGE after an unknown option or a
 * missing value printed it on stderr. */
int cli_options(int argc, char **argv, int first, const struct cli_opt *opts, void (*usage)(FILE *f));
/* Prints usage on stderr and returns CLI_USAGE: a command called wrongly. */
int cli_usage(void (*usage)(FILE *f));

#endif
