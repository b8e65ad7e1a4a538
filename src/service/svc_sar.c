#include "service/svc_sar.h"

#include "service/svc_audit.h"

enum svc_status svc_subject_access(struct svc_ctx *c, int64_t pupil_id, struct pupil_row *p,
                                   const struct sar_sink *sink)
{
    enum store_rc rc = q_pupil_get(c->db, pupil_id, p);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    if (!svc_allowed(c, ACT_EXPORT, RES_PUPIL, pupil_id, p->authority_id, p->p.school_id))
        return svc_allowed(c, ACT_VIEW, RES_PUPIL, pupil_id, p->authority_id, p->p.school_id)
                   ? SVC_FORBIDDEN : SVC_NOT_FOUND;
    /* One transaction: the export's entry and the rows it read agree. */
    if (store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    struct audit_event ev = {.action = "export", .kind = "pupil", .resource_id = pupil_id,
                             .pupil_id = pupil_id, .school_id = p->p.school_id,
                             .authority_id = p->authority_id, .detail = "subject access"};
    enum svc_status st = svc_audit_record(c, &ev);
    if (st == SVC_OK)
        st = svc_from_store(q_sar_rows(c->db, pupil_id, sink->row, sink->arg));
    if (st == SVC_OK)
        st = svc_from_store(q_audit_for_pupil(c->db, pupil_id, sink->audit, sink->arg));
    if (st != SVC_OK || store_commit(c->db) != STORE_OK) {
        store_rollback(c->db);
        return st == SVC_OK ? SVC_ERROR : st;
    }
    return SVC_OK;
}
