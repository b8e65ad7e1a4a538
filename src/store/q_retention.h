/* SQL for retention: the settings, the records that may be due, and the
 * statements that erase or anonymise them. */
#ifndef TAS_STORE_Q_RETENTION_H
#define TAS_STORE_Q_RETENTION_H

#include "core/retention.h"
#include "store/store.h"

enum store_rc q_retention_rules(struct store *s, struct retention_rule rules[RET__COUNT]);
enum store_rc q_retention_set(struct store *s, enum retention_type t, const struct retention_rule *r,
                              int64_t now, int64_t user_id);

/* A record that may be due: its id, the pupil, the anchor date (case
 * closure or, for a pupil with no case, the day recorded), the pupil's
 * date of birth.  anchor_at is used when anchor is "" (Unix seconds). */
struct retention_candidate {
    int64_t id;
    int64_t pupil_id;
    char anchor[11];
    int64_t anchor_at;
    char dob[11];
};
typedef void (*retention_fn)(void *arg, const struct retention_candidate *c);

/* Closed cases not yet anonymised; anchor = closed_on. */
enum store_rc q_retention_cases(struct store *s, retention_fn fn, void *arg);
/* Consents of pupils with no open case; anchor = the latest case closure,
 * or (no case) the consent's withdrawal or else its date. */
enum store_rc q_retention_consents(struct store *s, retention_fn fn, void *arg);
/* Pupils not yet anonymised with no open case; anchor = the latest case
 * closure, or (no case) the day the pupil was recorded (anchor_at). */
enum store_rc q_retention_pupils(struct store *s, retention_fn fn, void *arg);

/* Pupils with outcome records or toolkit completions and no open case;
 * anchor as for q_retention_pupils; id is the pupil's. */
enum store_rc q_retention_outcomes(struct store *s, retention_fn fn, void *arg);

enum store_rc q_retention_anonymise_case(struct store *s, int64_t case_id, int64_t now);
enum store_rc q_retention_erase_consent(struct store *s, int64_t consent_id);
enum store_rc q_retention_anonymise_pupil(struct store *s, int64_t pupil_id, int64_t now);
/* Erases a pupil's outcome records, toolkit completions and the
 * work-list flags those completions raised. */
enum store_rc q_retention_erase_outcomes(struct store *s, int64_t pupil_id);
/* Sessions last used before cutoff: counted, or erased. */
enum store_rc q_retention_sessions(struct store *s, int64_t cutoff, bool erase, int64_t *count);
/* Audit entries older than cutoff: how many, and the newest such id. */
enum store_rc q_retention_audit_count(struct store *s, int64_t cutoff, int64_t *count, int64_t *up_to_id);

#endif
