/* Subject access: everything tas holds about one pupil, and who saw it. */
#ifndef TAS_SERVICE_SVC_SAR_H
#define TAS_SERVICE_SVC_SAR_H

#include "service/svc.h"
#include "store/q_audit.h"
#include "store/q_pupils.h"
#include "store/q_sar.h"

/* One entry of "who has seen or changed these records", as the subject
 * reads it: the person by name and roles (never only a user number), what
 * they did in words, a refused attempt said to be refused. */
struct sar_access {
    const struct audit_entry *e;
    const char *who;        /* display name; "tas (automatic)" for the system */
    const char *roles;      /* "Case Coordinator, Data protection officer"; "" when none is left */
    char what[128];         /* audit_describe: "Viewed the pupil's record", "Tried to ...: refused" */
    bool refused, break_glass;
};

struct sar_sink {
    void *arg;
    sar_row_fn row;                                                /* each stored row */
    void (*audit)(void *arg, const struct sar_access *a);         /* each audit entry, oldest first */
};

/* Allowed to those the policy lets export the pupil (RES_PUPIL,
 * ACT_EXPORT: the DPO and administrators in scope).  Recorded as an
 * export before the rows are read, so the answer includes itself.
 * A pupil missing or hidden (not even ACT_VIEW): SVC_NOT_FOUND; visible but not exportable:
 * SVC_FORBIDDEN. */
enum svc_status svc_subject_access(struct svc_ctx *c, int64_t pupil_id, struct pupil_row *p,
                                   const struct sar_sink *sink);

#endif
