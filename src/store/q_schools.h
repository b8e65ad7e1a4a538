/* SQL for schools. */
#ifndef TAS_STORE_Q_SCHOOLS_H
#define TAS_STORE_Q_SCHOOLS_H

#include "core/records.h"
#include "store/q_common.h"

enum store_rc q_school_insert(struct store *s, struct school *sc, int64_t now);
enum store_rc q_school_update(struct store *s, const struct school *sc, int64_t now);
enum store_rc q_school_get(struct store *s, int64_t id, struct school *out);
/* Visible schools matching the optional search (name or URN), name order. */
enum store_rc q_school_list(struct store *s, const struct visibility *v, const char *search,
                            const struct page_req *pg, int64_t *total,
                            void (*fn)(void *arg, const struct school *sc), void *arg);
#endif
