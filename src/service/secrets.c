#include "service/secrets.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned char keys[SECRET__COUNT][SECRET_KEY_BYTES];
static bool loaded;

static int from_hex(const char *hex, unsigned char out[SECRET_KEY_BYTES])
{
    size_t bin_len = 0;
    const char *end = NULL;
    if (sodium_hex2bin(out, SECRET_KEY_BYTES, hex, strlen(hex), " \r\n", &bin_len, &end) != 0 ||
        bin_len != SECRET_KEY_BYTES || (end && *end))
        return -1;
    return 0;
}

static int read_or_create(const char *path, unsigned char master[SECRET_KEY_BYTES], char *err,
                          size_t errlen)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
    if (fd >= 0) {
        char hex[SECRET_KEY_BYTES * 2 + 2];
        randombytes_buf(master, SECRET_KEY_BYTES);
        sodium_bin2hex(hex, sizeof hex, master, SECRET_KEY_BYTES);
        strcat(hex, "\n");
        size_t n = strlen(hex);
        bool ok = write(fd, hex, n) == (ssize_t)n && fsync(fd) == 0;
        sodium_memzero(hex, sizeof hex);
        if (close(fd) != 0 || !ok) {
            snprintf(err, errlen, "cannot write %s", path);
            unlink(path);
            return -1;
        }
        return 0;
    }
    if (errno != EEXIST) {
        snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
        return -1;
    }
    fd = open(path, O_RDONLY | O_NOFOLLOW);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(err, errlen, "cannot read %s", path);
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (st.st_mode & 077) {
        close(fd);
        snprintf(err, errlen, "%s may be read by others: chmod 600 it", path);
        return -1;
    }
    char buf[160];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) {
        snprintf(err, errlen, "%s is empty", path);
        return -1;
    }
    buf[n] = '\0';
    int rc = from_hex(buf, master);
    sodium_memzero(buf, sizeof buf);
    if (rc != 0)
        snprintf(err, errlen, "%s does not hold 64 hex digits", path);
    return rc;
}

int secrets_load(const char *db, char *err, size_t errlen)
{
    unsigned char master[SECRET_KEY_BYTES];
    const char *env = getenv("TAS_SECRET_KEY");
    if (env && *env) {
        if (from_hex(env, master) != 0) {
            snprintf(err, errlen, "TAS_SECRET_KEY must be 64 hex digits");
            return -1;
        }
    } else if (strstr(db, "://")) {
        /* A database server (postgresql://...): no file beside it. */
        snprintf(err, errlen, "a database server has no key file beside it: set TAS_SECRET_KEY (64 hex digits)");
        return -1;
    } else {
        if (strncmp(db, "sqlite:", 7) == 0)
            db += 7;
        char path[4096];
        if ((size_t)snprintf(path, sizeof path, "%s.key", db) >= sizeof path) {
            snprintf(err, errlen, "database path too long");
            return -1;
        }
        if (read_or_create(path, master, err, errlen) != 0)
            return -1;
    }
    /* One key per purpose, so no key is used for two jobs. */
    static const char *const ctx[SECRET__COUNT] = {"tas-totp", "tas-pid_", "tas-audt"};
    for (int i = 0; i < SECRET__COUNT; i++)
        crypto_kdf_derive_from_key(keys[i], SECRET_KEY_BYTES, (uint64_t)i + 1, ctx[i], master);
    sodium_memzero(master, sizeof master);
    loaded = true;
    return 0;
}

bool secrets_exist(const char *db)
{
    const char *env = getenv("TAS_SECRET_KEY");
    if (env && *env)
        return true;
    if (strstr(db, "://"))
        return false;
    if (strncmp(db, "sqlite:", 7) == 0)
        db += 7;
    char path[4096];
    return (size_t)snprintf(path, sizeof path, "%s.key", db) < sizeof path && access(path, F_OK) == 0;
}

const unsigned char *secrets_key(enum secret_purpose p)
{
    return loaded && (unsigned)p < SECRET__COUNT ? keys[p] : NULL;
}
