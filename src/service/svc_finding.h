/* Finding things in the lists: the window of "this term" the meetings,
 * cases and work lists filter by.  SQL: store/q_reference.c (term dates). */
#ifndef TAS_SERVICE_SVC_FINDING_H
#define TAS_SERVICE_SVC_FINDING_H

#include <stddef.h>
#include <stdint.h>

#include "service/svc.h"

/* "This term" on c's today (core/termwin.h): from the half-terms recorded
 * for the authority of the user's first role that has one, else England's
 * default term dates.  Writes from and to ("YYYY-MM-DD") and a label
 * ("Autumn term: 1 August to 18 December 2026").  Term dates are no one's
 * personal data, so no policy question is asked; SVC_ERROR on a storage
 * error. */
enum svc_status svc_this_term(struct svc_ctx *c, char from[11], char to[11], char *label, size_t labelsz);

/* Up to max ids of the teams serving school_id (its schools include it)
 * into ids, *n how many: which meetings a school filter keeps.  Team
 * membership of a school is no one's personal data; no policy question. */
enum svc_status svc_teams_serving(struct svc_ctx *c, int64_t school_id, int64_t *ids, size_t max, size_t *n);

#endif
