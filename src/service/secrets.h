/* The server's own secret, from which the keys for data it protects are
 * derived: the key that encrypts second-factor secrets at rest, and the
 * key of the pseudonymised extract's pupil ids.
 *
 * The audit log's chain is keyed with it too, so someone holding the
 * database file but not this secret cannot rewrite the log and recompute
 * the chain: to make that hold against whoever holds the server's files,
 * keep the secret in TAS_SECRET_KEY (not beside the database) and keep
 * `tas audit anchor`'s output elsewhere.
 *
 * Where it comes from, in order:
 *   1. TAS_SECRET_KEY in the environment: 64 hex digits (32 bytes), for
 *      deployments that keep secrets in a vault or the service manager;
 *   2. the file next to the database, DB.key (e.g. tas.db.key): 64 hex
 *      digits, created with 0600 permissions on first start; refused if
 *      anyone but its owner may read it.
 * Keep it out of database backups (restore both together: without it,
 * enrolled authenticators must be set up again and extract ids change). */
#ifndef TAS_SERVICE_SECRETS_H
#define TAS_SERVICE_SECRETS_H

#include <stdbool.h>
#include <stddef.h>

#define SECRET_KEY_BYTES 32

enum secret_purpose {
    SECRET_TOTP = 0,        /* crypto_secretbox key for TOTP secrets */
    SECRET_PSEUDONYM,       /* HMAC-SHA256 key for extract pupil ids */
    SECRET_AUDIT,           /* HMAC-SHA256 key of the audit chain and its prune records */
    SECRET__COUNT
};

/* Loads (or creates) the secret for the database at db (a path or
 * "sqlite:PATH").  0 ok; -1 with a reason in err. */
int secrets_load(const char *db, char *err, size_t errlen);
/* True when a secret exists for db (TAS_SECRET_KEY set, or DB.key
 * present): checking the audit chain must not make a new one. */
bool secrets_exist(const char *db);
/* The derived key for a purpose, or NULL before secrets_load. */
const unsigned char *secrets_key(enum secret_purpose p);

#endif
