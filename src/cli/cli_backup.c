/* tas backup | restore: a consistent copy of a database taken while it
 * serves, and putting one back.
 *
 * The server key (DB.key) is a file of its own: it seals the audit chain
 * and encrypts second-factor secrets, so a backup without it restores data
 * whose audit log cannot be verified.  Keeping the key apart from the data
 * is the point of having one, so it is copied only when asked
 * (--with-key). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "service/secrets.h"
#include "service/svc_audit.h"
#include "store/store.h"

static void backup_usage(FILE *f)
{
    fputs("Usage: tas backup [--db PATH] --to FILE [--with-key]\n"
          "Copies the whole database, as it stands at one moment, to FILE (which must not\n"
          "exist), while tas serve goes on reading and writing it.  The copy is checked\n"
          "and readable only by its owner.\n"
          "  --db PATH    database file (default tas.db)\n"
          "  --to FILE    where the copy goes\n"
          "  --with-key   also copy the server key PATH.key to FILE.key.  Without it, keep\n"
          "               the key safe apart: the audit log of a restored copy is verified\n"
          "               with it, and second-factor secrets are encrypted with it.\n", f);
}

static void restore_usage(FILE *f)
{
    fputs("Usage: tas restore --from FILE [--db PATH] [--force]\n"
          "Puts a copy made by 'tas backup' back as the database PATH (default tas.db),\n"
          "then brings its schema up to date and verifies its audit log.  Stop tas serve\n"
          "first.  FILE.key, when there is one, becomes PATH.key (refused if PATH.key\n"
          "exists and differs).\n"
          "  --from FILE  the copy\n"
          "  --db PATH    database file to write (default tas.db)\n"
          "  --force      replace PATH when it exists\n"
          "Exit 0 when restored and the audit log verifies; 1 otherwise, saying why.\n", f);
}

/* A database server has its own, better tools; this command copies a
 * SQLite file.  True (and says so) when db is a server's url. */
static bool refused_server(const char *db)
{
    if (store_sqlite_path(db))
        return false;
    cli_fail("%s is a database server, not a file: use its own tools (pg_dump, pg_basebackup; "
             "see docs/operations.md)", db);
    return true;
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Reads a small file whole (a key: 65 bytes); -1 when missing or larger. */
static ssize_t read_small(const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, cap);
    char extra;
    if (n >= 0 && (size_t)n == cap && read(fd, &extra, 1) > 0)
        n = -1;
    close(fd);
    return n;
}

/* Copies the key file from to to (created owner-only, never over one). */
static int copy_key(const char *from, const char *to)
{
    char buf[256];
    ssize_t n = read_small(from, buf, sizeof buf);
    if (n <= 0) {
        cli_fail("cannot read %s", from);
        return -1;
    }
    int fd = open(to, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        cli_fail("cannot create %s: %s", to, strerror(errno));
        return -1;
    }
    bool ok = write(fd, buf, (size_t)n) == n && fsync(fd) == 0;
    if (close(fd) != 0 || !ok) {
        cli_fail("cannot write %s", to);
        unlink(to);
        return -1;
    }
    return 0;
}

int cli_backup(int argc, char **argv)
{
    const char *db = "tas.db", *to = NULL;
    bool with_key = false;
    const struct cli_opt opts[] = {{"db", &db, NULL}, {"to", &to, NULL}, {"with-key", NULL, &with_key}, {0}};
    int done = cli_options(argc, argv, 1, opts, backup_usage);
    if (done >= 0)
        return done;
    if (optind != argc || !to)
        return cli_usage(backup_usage);
    if (refused_server(db))
        return CLI_FAIL;
    char key[4200], to_key[4200];
    snprintf(key, sizeof key, "%s.key", db);
    snprintf(to_key, sizeof to_key, "%s.key", to);
    if (!exists(db)) {
        cli_fail("no database %s", db);
        return CLI_FAIL;
    }
    if (with_key && !exists(key)) {
        cli_fail("no server key %s to copy (is it given by TAS_SECRET_KEY?)", key);
        return CLI_FAIL;
    }
    char err[512];
    struct store *s = store_open(db, err, sizeof err);
    if (!s) {
        cli_fail("%s", err);
        return CLI_FAIL;
    }
    int64_t pages = 0;
    enum store_rc rc = store_backup(s, to, &pages, err, sizeof err);
    store_close(s);
    if (rc != STORE_OK) {
        cli_fail("backup of %s failed: %s", db, err);
        return CLI_FAIL;
    }
    if (with_key && copy_key(key, to_key) != 0) {
        unlink(to);
        return CLI_FAIL;
    }
    printf("tas: backed up %s to %s (%" PRId64 " pages, checked)%s\n", db, to, pages,
           with_key ? "; the server key is in its .key file beside it" : "");
    if (!with_key)
        fprintf(stderr, "tas: the server key %s is not in the copy: keep it safe apart\n", key);
    return CLI_OK;
}

/* The audit log's verdict on the restored database (the key is in place). */
static int verify_restored(struct store *s, const char *db)
{
    char err[256];
    if (secrets_load(db, err, sizeof err) != 0) {
        cli_fail("restored %s, but its server key: %s", db, err);
        return CLI_FAIL;
    }
    struct audit_verify v;
    if (svc_audit_verify(s, NULL, &v) != SVC_OK) {
        cli_fail("restored %s, but its audit log cannot be read", db);
        return CLI_FAIL;
    }
    if (v.first_bad_id) {
        cli_fail("restored %s, but its audit log does not verify from entry %" PRId64
                 " (%" PRId64 " before it did): was this the key used with the backup?", db, v.first_bad_id,
                 v.checked);
        return CLI_FAIL;
    }
    printf("tas: restored %s at schema version %d; audit log intact: %" PRId64 " entries verified\n", db,
           store_schema_version(s), v.checked);
    return CLI_OK;
}

/* Removes a database file made for a restore that failed (nothing of
 * anyone's is lost: it did not exist before). */
static void remove_db(const char *db)
{
    char side[4200];
    unlink(db);
    snprintf(side, sizeof side, "%s-wal", db);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", db);
    unlink(side);
}

int cli_restore(int argc, char **argv)
{
    const char *db = "tas.db", *from = NULL;
    bool force = false;
    const struct cli_opt opts[] = {{"db", &db, NULL}, {"from", &from, NULL}, {"force", NULL, &force}, {0}};
    int done = cli_options(argc, argv, 1, opts, restore_usage);
    if (done >= 0)
        return done;
    if (optind != argc || !from)
        return cli_usage(restore_usage);
    if (refused_server(db))
        return CLI_FAIL;
    char key[4200], from_key[4200];
    snprintf(key, sizeof key, "%s.key", db);
    snprintf(from_key, sizeof from_key, "%s.key", from);
    if (!exists(from)) {
        cli_fail("no backup %s", from);
        return CLI_FAIL;
    }
    if (exists(db) && !force) {
        cli_fail("%s exists: stop tas serve, then run again with --force to replace it", db);
        return CLI_FAIL;
    }
    if (!exists(from_key) && !secrets_exist(db)) {
        cli_fail("no server key to verify the restored audit log with: put the key kept with the backup "
                 "at %s.key or %s.key (or set TAS_SECRET_KEY)", from, db);
        return CLI_FAIL;
    }
    if (exists(from_key) && exists(key)) {
        char a[256], b[256];
        ssize_t na = read_small(from_key, a, sizeof a), nb = read_small(key, b, sizeof b);
        if (na <= 0 || na != nb || memcmp(a, b, (size_t)na) != 0) {
            cli_fail("%s and %s differ: the backup's audit log was sealed with %s; move %s away first",
                     from_key, key, from_key, key);
            return CLI_FAIL;
        }
    }
    char err[512];
    bool created = !exists(db);
    struct store *s = store_open(db, err, sizeof err);
    if (!s) {
        cli_fail("%s", err);
        return CLI_FAIL;
    }
    if (store_restore(s, from, err, sizeof err) != STORE_OK) {
        store_close(s);
        cli_fail("restore from %s failed: %s", from, err);
        if (created)
            remove_db(db);
        return CLI_FAIL;
    }
    if (store_migrate(s, err, sizeof err) != STORE_OK) {
        store_close(s);
        cli_fail("restored %s, but cannot bring it up to date: %s", db, err);
        return CLI_FAIL;
    }
    int rc = CLI_OK;
    if (exists(from_key) && !exists(key) && copy_key(from_key, key) != 0)
        rc = CLI_FAIL;
    if (rc == CLI_OK)
        rc = verify_restored(s, db);
    store_close(s);
    return rc;
}
