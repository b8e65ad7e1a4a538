/* A pupil's outcomes over time: recording and importing outcome records,
 * listing them, and the before/after comparison around a case's
 * presentation.  SQL: store/q_outcomes.c.
 *
 * Outcome records are as sensitive as the case file, so the policy is asked
 * as for a pupil's case records about the pupil as a whole (RES_CASE with no
 * team, like consents): whoever may create them records, whoever may view
 * them reads; a practitioner does not reach them; anyone else is told "not
 * found" or refused, never shown.  Every change is written to the audit log. */
#ifndef TAS_SERVICE_SVC_OUTCOMES_H
#define TAS_SERVICE_SVC_OUTCOMES_H

#include <stdbool.h>

#include "core/errors.h"
#include "core/outcomes.h"
#include "service/svc.h"
#include "store/q_outcomes.h"

/* Records one outcome typed by hand.  SVC_INVALID with errs (fields of
 * outcome_validate), SVC_NOT_FOUND for a pupil the user may not see,
 * SVC_FORBIDDEN when they see but may not record. */
enum svc_status svc_outcome_add(struct svc_ctx *c, int64_t pupil_id, const struct outcome_record *r,
                                struct field_errors *errs, int64_t *id);

/* The pupil's records, oldest first. */
enum svc_status svc_outcome_list(struct svc_ctx *c, int64_t pupil_id,
                                 void (*fn)(void *arg, const struct outcome_row *r), void *arg);

/* Converts a stored row to the core record (0, or -1 if a field is bad). */
int svc_outcome_from_row(const struct outcome_row *row, struct outcome_record *out);

/* Before and after for a case: nterms whole terms either side of the day
 * it was presented (its first "new" discussion at a held meeting; the day
 * it was opened when it has not been presented), from the authority's term
 * dates (the English defaults for a year with none recorded).  *presented
 * receives the day used. */
enum svc_status svc_outcome_compare(struct svc_ctx *c, int64_t case_id, int nterms,
                                    struct outcome_compare *out, char presented[11]);

/* One row of an import: the pupil's UPN and the record. */
struct outcome_import_row {
    size_t line;                 /* in the file, for errors */
    char upn[14];
    struct outcome_record rec;
};

struct outcome_import_report {
    size_t rows;                 /* rows given */
    size_t bad;                  /* rows refused */
    size_t pupils;               /* distinct pupils */
    size_t written;              /* records stored (0 on a dry run or when any row is bad) */
};

/* Imports rows all or nothing: every row is checked first (a pupil the user
 * may see and record for, a valid record, not already recorded nor repeated
 * in the file), each bad row reported through bad(line, field, reason);
 * with any bad row nothing is written (SVC_INVALID).  A dry run stops
 * there (SVC_OK, nothing written).  Otherwise all rows are stored in one
 * write transaction with their audit entries; a storage failure undoes
 * them all (SVC_ERROR). */
enum svc_status svc_outcomes_import(struct svc_ctx *c, const struct outcome_import_row *rows, size_t n,
                                    bool dry_run,
                                    void (*bad)(void *arg, size_t line, const char *field, const char *why),
                                    void *arg, struct outcome_import_report *rep);

#endif
