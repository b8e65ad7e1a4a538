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

struct meeting_row;

/* Planned meetings of the authority's teams that fall on a closure day of
 * school year `year` (issue 10: a closure added after the plan clashes
 * with it), each with a suggested day to move it to: the next school day
 * on the same weekday (within the year's half-terms and not a closure),
 * "" when there is none in the next eight weeks.  Needs ACT_EDIT on the
 * authority's reference data (SVC_FORBIDDEN otherwise); no half-terms
 * recorded: nothing listed. */
enum svc_status svc_closure_clashes(struct svc_ctx *c, int64_t authority_id, int year,
                                    void (*fn)(void *arg, const struct meeting_row *m, const char *suggested),
                                    void *arg);

#endif
