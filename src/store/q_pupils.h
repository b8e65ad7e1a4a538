/* SQL for pupils. */
#ifndef TAS_STORE_Q_PUPILS_H
#define TAS_STORE_Q_PUPILS_H

#include "core/records.h"
#include "store/q_common.h"

/* A pupil with the school and authority it belongs to (for the policy). */
struct pupil_row {
    struct pupil p;
    int64_t authority_id;
    char school_name[TAS_TITLE_MAX];
};

struct pupil_filter {
    const char *search;   /* name or UPN; "" for all */
    int64_t school_id;    /* 0 for all visible schools */
};

enum store_rc q_pupil_insert(struct store *s, struct pupil *p, int64_t now);
enum store_rc q_pupil_update(struct store *s, const struct pupil *p, int64_t now);
enum store_rc q_pupil_get(struct store *s, int64_t id, struct pupil_row *out);
/* The pupil holding a UPN (any case): STORE_ROW with *id, or STORE_DONE. */
enum store_rc q_pupil_id_by_upn(struct store *s, const char *upn, int64_t *id);
/* The pupil whose former UPN (the one before their current UPN) is upn:
 * STORE_ROW with *id, STORE_DONE (none), or STORE_CONSTRAINT when more
 * than one pupil had it (which one is meant cannot be told). */
enum store_rc q_pupil_id_by_former_upn(struct store *s, const char *upn, int64_t *id);
enum store_rc q_pupil_list(struct store *s, const struct visibility *v, const struct pupil_filter *f,
                           const struct page_req *pg, int64_t *total,
                           void (*fn)(void *arg, const struct pupil_row *r), void *arg);
#endif
