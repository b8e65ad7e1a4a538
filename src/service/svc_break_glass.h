/* Break-glass: emergency, time-limited, read-only access to one pupil
 * outside a user's normal scope.  The user states a reason; the access is
 * recorded and waits for the data protection officer's review. */
#ifndef TAS_SERVICE_SVC_BREAK_GLASS_H
#define TAS_SERVICE_SVC_BREAK_GLASS_H

#include "core/errors.h"
#include "service/svc.h"
#include "store/q_access.h"

#define BREAK_GLASS_SECONDS (60 * 60)   /* how long the access lasts */
#define BREAK_GLASS_REASON_MIN 10
#define BREAK_GLASS_REASON_MAX 500

/* Whether to offer the request form at all (a duty-of-care role held).
 * Says nothing about any pupil, so the offer reveals no record. */
bool svc_break_glass_offered(const struct svc_ctx *c);
/* Asks for access to pupil_id.  SVC_OK: granted until out->expires.
 * SVC_INVALID: reason missing or too long.  SVC_NOT_FOUND: no such
 * pupil.  SVC_FORBIDDEN: this user may not (no duty-of-care role in the
 * pupil's authority).  SVC_CONFLICT: the user can already see the pupil. */
enum svc_status svc_break_glass_request(struct svc_ctx *c, int64_t pupil_id, const char *reason,
                                        struct field_errors *errs, struct break_glass_row *out);
/* Entries the user may review, unreviewed first (at most 200).
 * Checks ACT_LIST on RES_BREAK_GLASS (SVC_FORBIDDEN when the user may review none). */
enum svc_status svc_break_glass_list(struct svc_ctx *c,
                                     void (*fn)(void *arg, const struct break_glass_row *r), void *arg);
/* Marks an entry reviewed by the user.  Nobody reviews their own.
 * SVC_CONFLICT when it was already reviewed.
 * Checks ACT_VIEW on the entry (hidden or missing: SVC_NOT_FOUND), then ACT_EDIT and not one's
 * own (SVC_FORBIDDEN). */
enum svc_status svc_break_glass_review(struct svc_ctx *c, int64_t id);
/* Adds the user's unexpired break-glass grants to p (at sign-in and on
 * every request, so access ends when it expires).
 * No policy: it builds the policy's input.  SVC_ERROR when storage fails. */
enum svc_status svc_break_glass_grants(struct store *db, int64_t user_id, int64_t now, struct principal *p);

#endif
