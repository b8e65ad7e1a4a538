/* SQL for schools as the GIAS import sees them (service/svc_gias.c):
 * found by URN, added and changed with the columns of migration 0018. */
#ifndef TAS_STORE_Q_GIAS_H
#define TAS_STORE_Q_GIAS_H

#include "core/gias.h"
#include "store/q_common.h"

/* A stored school with what GIAS says about it (g.la_code is left ""). */
struct gias_stored {
    int64_t id;
    int64_t authority_id;
    struct gias_school g;
};

/* The school with that URN: STORE_ROW, or STORE_DONE when there is none. */
enum store_rc q_gias_get(struct store *s, const char *urn, struct gias_stored *out);
/* The authority with that LA number: STORE_ROW with *id, or STORE_DONE. */
enum store_rc q_gias_authority(struct store *s, const char *la_code, int64_t *id);
/* Adds the school (not a TAS school); sets rec->id.  STORE_CONSTRAINT when
 * the URN is taken. */
enum store_rc q_gias_insert(struct store *s, struct gias_stored *rec, int64_t now);
/* Changes the school's GIAS columns and authority; a roll or FSM figure of
 * -1 or an establishment number of "" (not in the file) keeps what is
 * stored. */
enum store_rc q_gias_update(struct store *s, const struct gias_stored *rec, int64_t now);
#endif
