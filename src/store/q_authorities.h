/* SQL for local authorities. */
#ifndef TAS_STORE_Q_AUTHORITIES_H
#define TAS_STORE_Q_AUTHORITIES_H

#include "core/records.h"
#include "store/q_common.h"

enum store_rc q_authority_insert(struct store *s, struct authority *a, int64_t now);
enum store_rc q_authority_update(struct store *s, const struct authority *a, int64_t now);
/* STORE_ROW found, STORE_DONE not found */
enum store_rc q_authority_get(struct store *s, int64_t id, struct authority *out);
/* How many authorities the database holds (none: a new, empty one). */
enum store_rc q_authority_count(struct store *s, int64_t *n);
/* Calls fn for each visible authority in name order; counts via *total. */
enum store_rc q_authority_list(struct store *s, const struct visibility *v,
                               void (*fn)(void *arg, const struct authority *a), void *arg);
#endif
