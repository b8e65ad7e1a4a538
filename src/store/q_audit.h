/* SQL for the audit trail (audit_log, audit_prune). */
#ifndef TAS_STORE_Q_AUDIT_H
#define TAS_STORE_Q_AUDIT_H

#include "core/audit_hash.h"
#include "store/q_common.h"

/* The id and hash the next entry chains to: the newest entry, or the
 * newest prune anchor, or (0, AUDIT_GENESIS).  Call inside a write
 * transaction so no other append can come between. */
enum store_rc q_audit_tail(struct store *s, int64_t *last_id, char prev_hash[AUDIT_HASH_HEX + 1]);
/* Inserts e as it is (id and hashes already set). */
enum store_rc q_audit_insert(struct store *s, const struct audit_entry *e);
/* Entries committed with their change and not yet in the chain (where
 * writers run side by side; migration 0040 says why).  q_audit_pend writes
 * e but for its place in the chain.  q_audit_take_pending removes up to
 * max of the oldest and hands each to fn, in no set order, with its
 * number in the order written as its id (prev_hash and hash empty): the
 * caller chains them, in the same transaction, in that order. */
enum store_rc q_audit_pend(struct store *s, const struct audit_entry *e);
enum store_rc q_audit_take_pending(struct store *s, int64_t max,
                                   void (*fn)(void *arg, const struct audit_entry *e), void *arg);
enum store_rc q_audit_pending_count(struct store *s, int64_t *n);
/* The user name to copy into an entry ("" if none). */
enum store_rc q_audit_username(struct store *s, int64_t user_id, char *out, size_t outsz);
/* Where a record lies: its pupil, school and authority.  kind is
 * "pupil", "case", "consent", "action", "referral" or "discussion";
 * anything else (or a missing record) gives STORE_DONE. */
enum store_rc q_audit_subject(struct store *s, const char *kind, int64_t id, int64_t *pupil_id,
                              int64_t *school_id, int64_t *authority_id);

struct audit_filter {
    int64_t pupil_id;      /* 0: any */
    const char *upn;       /* "": any; matched against the pupil's current UPN */
    const char *username;  /* "": any */
    int64_t from_at;       /* Unix seconds, 0: open */
    int64_t to_at;         /* exclusive; 0: open */
    bool flagged_only;     /* break-glass or refused entries (not system ones) */
};

/* Entries visible under v (by their authority and school; entries with
 * no place, such as sign-ins, only to installation-wide grants), newest
 * first. */
enum store_rc q_audit_list(struct store *s, const struct visibility *v, const struct audit_filter *f,
                           const struct page_req *pg, int64_t *total,
                           void (*fn)(void *arg, const struct audit_entry *e), void *arg);
/* Every entry about one pupil, oldest first (for subject access), those
 * not yet chained (q_audit_pend) last. */
enum store_rc q_audit_for_pupil(struct store *s, int64_t pupil_id,
                                void (*fn)(void *arg, const struct audit_entry *e), void *arg);
/* A pruning's record: entries up to up_to_id were removed; hash is entry
 * up_to_id's (where the chain now starts); mac is the service's keyed
 * seal over the three (svc_audit_prune_mac), so only tas can make one. */
struct audit_anchor {
    int64_t up_to_id;
    char hash[AUDIT_HASH_HEX + 1];
    int64_t at;
    char mac[AUDIT_HASH_HEX + 1];
};
/* The newest prune record: up_to_id 0 and AUDIT_GENESIS when never pruned. */
enum store_rc q_audit_anchor(struct store *s, struct audit_anchor *a);
/* Entry id's hash: STORE_ROW, or STORE_DONE when there is no such entry. */
enum store_rc q_audit_hash_of(struct store *s, int64_t id, char hash[AUDIT_HASH_HEX + 1]);
/* Every entry after after_id in id order; fn returns non-zero to stop. */
enum store_rc q_audit_walk(struct store *s, int64_t after_id,
                           int (*fn)(void *arg, const struct audit_entry *e), void *arg);
/* Records a (sealed by the caller) and removes entries with id <= its
 * up_to_id, provided entry up_to_id still has a's hash; how many went in
 * *removed (0 when nothing matched). */
enum store_rc q_audit_prune(struct store *s, const struct audit_anchor *a, int64_t *removed);

#endif
