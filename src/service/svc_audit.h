/* The audit trail: recording who saw or changed what, listing it for the
 * data protection officer, and verifying its hash chain. */
#ifndef TAS_SERVICE_SVC_AUDIT_H
#define TAS_SERVICE_SVC_AUDIT_H

#include "core/audit_hash.h"
#include "service/svc.h"
#include "store/q_audit.h"

/* One thing to record.  who, when and from where come from the ctx. */
struct audit_event {
    const char *action;      /* "view", "list", "create", "edit", "export", "sign-in", ... */
    const char *kind;        /* "pupil", "case", "consent", "action", "referral", "discussion", ... */
    int64_t resource_id;
    /* Where it lies.  All 0: looked up from kind and resource_id when the
     * kind is one q_audit_subject knows. */
    int64_t pupil_id, school_id, authority_id;
    const char *detail;      /* route or use-case name; never text a person typed */
    unsigned flags;          /* enum audit_flag bits, e.g. AUDIT_FLAG_BREAK_GLASS */
};

/* Appends one entry, chained to the one before.  Inside the caller's
 * transaction it is a savepoint of it (so a change and its entry commit
 * together).  Otherwise the entries that threads of this process record at
 * the same moment share one write transaction and one sync (group commit);
 * either way it returns only once the entry is durable.  Appends are
 * serialised by the write lock.
 * No policy: recording is not a choice the user makes.  SVC_ERROR when the entry could not be
 * written (the caller then rolls its change back). */
enum svc_status svc_audit_record(struct svc_ctx *c, const struct audit_event *ev);
/* Seals into the chain every entry committed with its change but not yet
 * chained (where writers run side by side, svc_audit.c), sharing the group
 * commit (none wait where entries are chained in their transaction).  Called
 * after each such commit, and at start-up for any a crash left. */
enum svc_status svc_audit_seal(struct store *db);

/* How many group commits wrote how many entries in this process (for
 * the benchmarks: entries / groups is the sharing achieved). */
void svc_audit_group_stats(uint64_t *groups, uint64_t *entries);

/* Whether svc_audit_record has succeeded on this thread since the last
 * reset: the request path resets it per request and, when a use case has
 * recorded its own entry, adds no generic one. */
void svc_audit_mark_reset(void);
bool svc_audit_marked(void);

/* The DPO's view: entries the user may see (RES_AUDIT), newest first.
 * Looking is itself recorded.
 * Checks ACT_LIST on RES_AUDIT (SVC_FORBIDDEN when the user may see no entries). */
enum svc_status svc_audit_list(struct svc_ctx *c, const struct audit_filter *f,
                               const struct page_req *pg, int64_t *total,
                               void (*fn)(void *arg, const struct audit_entry *e), void *arg);

/* The entry's seal: HMAC-SHA256, under the audit key derived from the
 * server key (service/secrets.h), of its canonical form, which holds the
 * hash of the entry before (so the entries form a keyed chain).  0, or -1
 * before secrets_load: nothing is appended or verified without the key. */
int svc_audit_hash(const struct audit_entry *e, char out[AUDIT_HASH_HEX + 1]);
/* The seal of a pruning's record (its up_to_id, anchor hash and time). */
int svc_audit_prune_mac(const struct audit_anchor *a, char out[AUDIT_HASH_HEX + 1]);
/* Removes the entries up to up_to_id behind a sealed record of where the
 * chain now starts (inside the caller's write transaction).  No policy
 * check: retention calls it, and records the run itself. */
enum svc_status svc_audit_prune(struct svc_ctx *c, int64_t up_to_id, int64_t *removed);

/* The newest entry (its id and hash): what `tas audit anchor` prints, to
 * be kept somewhere the database's holders cannot change. */
struct audit_head {
    int64_t id;
    char hash[AUDIT_HASH_HEX + 1];
};

/* Whether db holds an audit trail (entries, or a pruning's record): it
 * was keyed with the server's secret, which must then be restored, never
 * made anew (a new one would leave every entry unverifiable). */
bool svc_audit_trail_exists(struct store *db);
struct audit_verify {
    int64_t checked;         /* entries whose links held */
    int64_t first_bad_id;    /* 0 when the chain is intact */
    enum audit_link why;
    int64_t anchor_id;       /* entries up to here were pruned by retention */
    struct audit_head head;  /* the last entry verified */
    bool expected_seen;      /* the kept anchor's entry was reached */
    int64_t pending;         /* committed, not yet chained (svc_audit_seal) */
};
/* Walks the whole chain from the newest (sealed) prune record, checking
 * each entry's seal and link; with expect, also that the entry with its id
 * is there with its hash (a log cut short or rewritten before it fails).
 * SVC_OK when it could be read (look at out->first_bad_id and out->why),
 * SVC_ERROR otherwise.  No policy check: it is an operator's command-line
 * tool reading only hashes. */
enum svc_status svc_audit_verify(struct store *db, const struct audit_head *expect, struct audit_verify *out);

#endif
