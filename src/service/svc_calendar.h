/* Meetings in people's calendars (RFC 5545, core/ical.c): an invitation
 * for one meeting, and a per-user subscription feed reached by a secret
 * address.  SQL: store/q_calendar.c.
 *
 * What a calendar is told: the team's name, the host school's name, the
 * date, time and length, the place (the team's location, or "Online") and
 * the kind of meeting.  Never the agenda, minutes or anything about a child.
 * Each meeting's UID is stable (meeting-ID@laCODE.tas.invalid) and its
 * SEQUENCE (meetings.ics_sequence, raised by the triggers of migration
 * 0018) grows when its date, time, mode, team's place or length change or
 * it is cancelled or voided, so calendars replace the event. */
#ifndef TAS_SERVICE_SVC_CALENDAR_H
#define TAS_SERVICE_SVC_CALENDAR_H

#include <stdbool.h>

#include "lib/buf.h"
#include "service/svc.h"

#define CAL_TOKEN_HEX 64   /* a feed's secret: 256 random bits as hex */

/* The meeting's invitation into out: METHOD:REQUEST, or METHOD:CANCEL with
 * STATUS:CANCELLED when it was cancelled or voided.  Checks ACT_VIEW on the
 * meeting's team (hidden or missing: SVC_NOT_FOUND). */
enum svc_status svc_meeting_ics(struct svc_ctx *c, int64_t meeting_id, struct buf *out);
/* The same for an e-mailed invitation to attendee: no policy (the caller
 * has decided who is invited); *cancelled when it is a CANCEL. */
enum svc_status svc_meeting_ics_for(struct svc_ctx *c, int64_t meeting_id, const char *attendee, struct buf *out,
                                    bool *cancelled);

/* The feed whose secret is token, into out (METHOD:PUBLISH): the meetings
 * its user may see now (their grants read afresh, none while they are
 * disabled or must still set up a second factor), from 60 days before today
 * to a year after.  SVC_NOT_FOUND for a token that is not a live feed's
 * (wrong, revoked or malformed); no policy beyond the user's own. */
enum svc_status svc_calendar_feed(struct store *db, const char *token, int64_t now, struct buf *out);

/* Makes the user's feed, or replaces its secret (the old address stops
 * working); token receives the new secret, shown once: only its SHA-256 is
 * kept.  Any signed-in user with an account (SVC_FORBIDDEN otherwise). */
enum svc_status svc_calendar_feed_new(struct svc_ctx *c, char token[CAL_TOKEN_HEX + 1]);
/* Revokes it: SVC_OK, or SVC_NOT_FOUND when the user had none. */
enum svc_status svc_calendar_feed_revoke(struct svc_ctx *c);
/* Whether the user has a feed, and since when. */
enum svc_status svc_calendar_feed_state(struct svc_ctx *c, bool *has, int64_t *created_at);

#endif
