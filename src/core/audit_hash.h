/* The audit trail's tamper evidence, as pure functions.
 *
 * Each entry's hash is HMAC-SHA256, under a key derived from the server
 * key (never stored in the database), over its canonical form, which
 * includes the previous entry's hash, so the entries form a keyed chain:
 * changing, removing or inserting one breaks every link after it, and
 * nobody without the key can recompute the links.
 *
 * Only the canonical serialisation lives here.  The HMAC itself is
 * libsodium's (crypto_auth_hmacsha256, in service/svc_audit.c): a vetted
 * implementation already linked in is better than a second one written
 * for this, and it keeps core free of any library. */
#ifndef TAS_CORE_AUDIT_HASH_H
#define TAS_CORE_AUDIT_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AUDIT_HASH_HEX 64
/* The first entry's prev_hash. */
#define AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* Flags, stored as bits. */
enum audit_flag {
    AUDIT_FLAG_BREAK_GLASS = 1,  /* access beyond the normal scope, with a reason */
    AUDIT_FLAG_REFUSED = 2,      /* the policy refused (403/404 on a record that exists) */
    AUDIT_FLAG_SYSTEM = 4,       /* done by tas itself (retention), not a person */
};

struct audit_entry {
    int64_t id;
    int64_t at;
    int64_t user_id;
    char username[64];
    char remote_addr[64];
    char action[24];          /* view, list, create, edit, status, close, delete, export, sign-in, ... */
    char resource_kind[24];   /* pupil, case, consent, action, referral, discussion, audit, ... */
    int64_t resource_id;
    int64_t pupil_id;         /* 0: none */
    int64_t school_id;
    int64_t authority_id;
    char detail[96];          /* route pattern or use-case name: never typed text */
    unsigned flags;
    char prev_hash[AUDIT_HASH_HEX + 1];
    char hash[AUDIT_HASH_HEX + 1];
};

/* Writes the canonical form of e (every field but hash, prev_hash last) to
 * out: "tas-audit-1\n" then one "name=LEN:value\n" per field, so no value
 * can imitate a field boundary.  Returns the length, or 0 when it does not
 * fit (out is then "").  The same entry always gives the same bytes. */
size_t audit_canonical(const struct audit_entry *e, char *out, size_t outsz);

/* Where a chain breaks. */
enum audit_link {
    AUDIT_LINK_OK = 0,
    AUDIT_LINK_PREV,          /* prev_hash is not the hash of the entry before */
    AUDIT_LINK_HASH,          /* hash is not the hash of this entry's content */
    AUDIT_LINK_PRUNE,         /* the record of a pruning does not carry tas's seal */
    AUDIT_LINK_ANCHOR,        /* the entry of an anchor kept elsewhere is missing or different */
};

/* Checks one link: e's prev_hash against expected_prev (the hash before
 * it), and e's stored hash against recomputed (the hash of its canonical
 * form).  Comparison is of full lower-case hex. */
enum audit_link audit_check_link(const struct audit_entry *e, const char *expected_prev,
                                 const char *recomputed);

/* Lower-case hex of n bytes into out (2n+1 bytes). */
void audit_hex(const unsigned char *bytes, size_t n, char *out);

/* True if s is 64 lower-case hex digits. */
bool audit_hash_wellformed(const char *s);

#endif
