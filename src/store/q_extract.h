/* SQL for the pseudonymised extract: coded columns only.  No query here
 * selects a name, a full date of birth or any free-text column; the UPN is
 * read only to be keyed-hashed by the service (svc_extract.c), never kept. */
#ifndef TAS_STORE_Q_EXTRACT_H
#define TAS_STORE_Q_EXTRACT_H

#include "core/policy.h"
#include "store/store.h"

struct extract_case_row {
    int64_t case_id;
    char upn[16];              /* input to the keyed hash only */
    char birth_ym[8];          /* YYYY-MM: the day is never read */
    char gender[4];
    char ethnicity[8];
    char nc_year[4];
    char sen_provision[4];
    char la_code[8];
    char school_urn[12];
    char school_phase[24];
    char status[8];
    char opened_on[11];
    char closed_on[11];
    char closure_reason[40];
    int prior[11];             /* the prior-contact columns: -1 not recorded, 0, 1 */
};

/* Cases visible under v, in case id order. */
enum store_rc q_extract_cases(struct store *s, const struct visibility *v,
                              void (*fn)(void *arg, const struct extract_case_row *r), void *arg);
/* Grouped counts for the same cases: fn(arg, case_id, a, b, c, n) where
 * a, b, c are codes (NULL when the query has fewer). */
enum extract_count { EXTRACT_NEEDS, EXTRACT_DISCUSSIONS, EXTRACT_ACTIONS, EXTRACT_REFERRALS };
enum store_rc q_extract_counts(struct store *s, const struct visibility *v, enum extract_count kind,
                               void (*fn)(void *arg, int64_t case_id, const char *a, const char *b,
                                          const char *c, int64_t n),
                               void *arg);

/* The k set for the extract: the largest set for any authority visible
 * under v (an extract over several authorities meets the strictest), or
 * dflt when none has one. */
enum store_rc q_extract_k_get(struct store *s, const struct visibility *v, int64_t dflt, int64_t *k);
enum store_rc q_extract_k_put(struct store *s, int64_t authority_id, int64_t k, int64_t user_id, int64_t now);

#endif
