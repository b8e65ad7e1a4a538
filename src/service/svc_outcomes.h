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
#include <stdio.h>

#include "core/errors.h"
#include "core/outcomes.h"
#include "service/svc.h"
#include "store/q_outcomes.h"
#include "store/q_pupils.h"

/* Records one outcome typed by hand.  SVC_INVALID with errs (fields of
 * outcome_validate), SVC_NOT_FOUND for a pupil the user may not see,
 * SVC_FORBIDDEN when they see but may not record. */
enum svc_status svc_outcome_add(struct svc_ctx *c, int64_t pupil_id, const struct outcome_record *r,
                                struct field_errors *errs, int64_t *id);

/* A record as typed on the page (a GOV.UK date input for each date) or
 * sent as JSON; any member may be NULL.  The numbers are text. */
struct outcome_form {
    const char *kind;
    const char *starts_day, *starts_month, *starts_year;
    const char *ends_day, *ends_month, *ends_year;   /* all blank: no end date */
    const char *code;
    const char *sessions_possible, *sessions_missed, *sessions;
};

/* svc_outcome_add from a form: the access checks first, then the text is
 * read (fields "kind", "starts", "ends", "code", "sessions_possible",
 * "sessions_missed", "sessions") and the record checked, every problem
 * reported at once. */
enum svc_status svc_outcome_record(struct svc_ctx *c, int64_t pupil_id, const struct outcome_form *f,
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

/* The terms of the years around one school year of an authority, kept
 * between comparisons (zeroed before the first). */
#define OUTCOME_TERMS_MAX 21
struct outcome_terms {
    bool loaded;
    int64_t authority_id;
    int year;
    size_t nt;
    struct term_span terms[OUTCOME_TERMS_MAX];
};

/* The same for a pupil, a day presented and the authority whose term
 * dates count, with no policy check: for aggregates (svc_dashboard.c),
 * whose caller has checked RES_AGGREGATE and shows counts only.  cache
 * (or NULL) keeps the terms read for the next call with the same
 * authority and school year. */
enum svc_status svc_outcome_compare_pupil(struct svc_ctx *c, int64_t pupil_id, int64_t authority_id,
                                          const char *presented, int nterms, struct outcome_terms *cache,
                                          struct outcome_compare *out);

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
 * them all (SVC_ERROR).  checked (may be NULL) is told, with arg, how far
 * it has got: every OUTCOME_IMPORT_STEP rows and at the end of each pass,
 * the rows checked and the rows written so far, of n. */
#define OUTCOME_IMPORT_STEP 500
typedef void (*outcome_checked_fn)(void *arg, size_t checked, size_t written, size_t n);
enum svc_status svc_outcomes_import(struct svc_ctx *c, const struct outcome_import_row *rows, size_t n,
                                    bool dry_run,
                                    void (*bad)(void *arg, size_t line, const char *field, const char *why),
                                    void *arg, outcome_checked_fn checked, void *checked_arg,
                                    struct outcome_import_report *rep);

/* The header line of a kind's CSV file (docs/outcomes.md). */
const char *svc_outcome_csv_header(enum outcome_kind k);

/* One problem of a CSV import: its line (0 for the file as a whole). */
struct outcome_problem {
    size_t line;
    size_t seq;                  /* the order found: on one line, the file's checks come first */
    char field[24];
    char why[200];
};

struct outcome_csv_result {
    size_t lines;                    /* data lines read (blank lines not counted) */
    struct outcome_import_report rep;
    struct outcome_problem *problems;   /* in line order; free with svc_outcome_csv_free */
    size_t nproblems;
};

/* Reads a kind's CSV file (header, then one record a line), checks every
 * line (the file's own columns and fields, then svc_outcomes_import's
 * checks) and imports all or nothing as svc_outcomes_import does; with any
 * problem, or on a dry run, nothing is written.  SVC_INVALID with the
 * problems; SVC_ERROR when the file could not be read.  progress (may be
 * NULL) is called every 1,000 lines read, and once they are all read;
 * then checked (may be NULL) as svc_outcomes_import calls it, with the
 * same arg. */
enum svc_status svc_outcomes_import_csv(struct svc_ctx *c, FILE *in, enum outcome_kind k, bool dry_run,
                                        void (*progress)(void *arg, size_t lines), outcome_checked_fn checked,
                                        void *arg, struct outcome_csv_result *out);
void svc_outcome_csv_free(struct outcome_csv_result *r);


/* What svc_outcome_import_one did with a record. */
enum outcome_import {
    OUTCOME_ADDED,       /* stored, new */
    OUTCOME_KEPT,        /* already stored, the same */
    OUTCOME_UPDATED,     /* an attendance year an import stored, now with more sessions */
    OUTCOME_KEPT_FEWER,  /* ... the file has fewer sessions: the stored one kept */
    OUTCOME_KEPT_OTHER   /* ... the same sessions but other absences, or one entered by
                          * hand that differs: the stored one kept */
};
struct outcome_import_result {
    enum outcome_import what;
    struct outcome_row stored;   /* the record found (all but ADDED) */
};

/* One record of an import that brings whole pupils (the Common Transfer
 * File, svc_ctf.c), inside the caller's write transaction: the same rules
 * as svc_outcomes_import's rows (the user may record for the pupil, else
 * SVC_FORBIDDEN; outcome_validate, else SVC_INVALID with errs).  A record
 * not yet stored (same kind, start and code) is stored (source "import")
 * with its audit entry.  One already stored is left as it is, except an
 * attendance year stored by an import that the file brings with more
 * sessions possible: the year went on, so its sessions and end are
 * updated, with an audit entry ("edit", detail "import: more sessions").
 * res says which. */
enum svc_status svc_outcome_import_one(struct svc_ctx *c, const struct pupil_row *p,
                                       const struct outcome_record *r, struct field_errors *errs,
                                       struct outcome_import_result *res);

#endif
