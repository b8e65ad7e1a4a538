/* The audit trail's one place in the request path.  dispatch calls
 * audit_trail_begin before the handler and audit_trail_end after it:
 * every view of a pupil's record (and of anything belonging to it: consent,
 * case, action, referral, discussion), every list naming pupils, and every
 * change made by a signed-in user is recorded, with the route pattern as
 * the detail.  A change and its entry share one write transaction, so
 * neither is kept without the other.  A use case that records its own
 * entry during the request (svc_audit_record) replaces the generic one. */
#ifndef TAS_WEB_AUDIT_TRAIL_H
#define TAS_WEB_AUDIT_TRAIL_H

#include "web/http.h"
#include "web/router.h"

/* Returns true when it opened a transaction that audit_trail_end must close. */
bool audit_trail_begin(struct req *rq, const struct route *rt);
void audit_trail_end(struct req *rq, const struct route *rt, struct resp *rs, bool began);

#endif
