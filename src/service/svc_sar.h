/* Subject access: everything tas holds about one pupil, and who saw it. */
#ifndef TAS_SERVICE_SVC_SAR_H
#define TAS_SERVICE_SVC_SAR_H

#include "service/svc.h"
#include "store/q_audit.h"
#include "store/q_pupils.h"
#include "store/q_sar.h"

struct sar_sink {
    void *arg;
    sar_row_fn row;                                           /* each stored row */
    void (*audit)(void *arg, const struct audit_entry *e);    /* each audit entry, oldest first */
};

/* Allowed to those the policy lets export the pupil (RES_PUPIL,
 * ACT_EXPORT: the DPO and administrators in scope).  Recorded as an
 * export before the rows are read, so the answer includes itself.
 * A pupil missing or hidden (not even ACT_VIEW): SVC_NOT_FOUND; visible but not exportable:
 * SVC_FORBIDDEN. */
enum svc_status svc_subject_access(struct svc_ctx *c, int64_t pupil_id, struct pupil_row *p,
                                   const struct sar_sink *sink);

#endif
