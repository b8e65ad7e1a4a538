/* Retention: how long each kind of record is kept, and when one falls due
 * for erasure or anonymisation.  Pure date arithmetic; the records
 * themselves are found and changed by service/svc_retention.c. */
#ifndef TAS_CORE_RETENTION_H
#define TAS_CORE_RETENTION_H

#include <stdbool.h>
#include <stdint.h>

#include "core/errors.h"

enum retention_type {
    RET_CASE = 0,     /* a closed case with its discussions, actions, referrals: anonymised */
    RET_CONSENT,      /* consent records: erased */
    RET_PUPIL,        /* the pupil's identity: anonymised */
    RET_OUTCOME,      /* the pupil's outcome records and toolkit completions: erased */
    RET_AUDIT,        /* audit entries: removed, oldest first, behind a chain anchor */
    RET_SESSION,      /* sign-in sessions: erased */
    RET__COUNT
};

struct retention_rule {
    int months;       /* after the anchor date (1..1200) */
    int until_age;    /* 0, or also keep until the pupil's birthday of this age (1..100) */
};

const char *retention_code(enum retention_type t);    /* "case", "consent", ... */
const char *retention_label(enum retention_type t);   /* "Case records", ... */
const char *retention_effect(enum retention_type t);  /* "anonymise" or "erase" */
int retention_from_code(const char *s, enum retention_type *out);   /* 0 ok */

/* day + months, the day of month clamped to the end of a shorter month
 * (31 January + 1 month = 28 or 29 February).  months may be negative. */
int32_t day_add_months(int32_t day, int months);

/* The first day a record may go: months after anchor and, when until_age
 * is set and dob is known (>= 0... any day number; pass has_dob false when
 * not), not before the until_age birthday.  Whichever is later. */
int32_t retention_due_day(int32_t anchor, const struct retention_rule *r, bool has_dob, int32_t dob);

/* Reads a settings form's text: whole months 1..1200, age 0..100. */
bool retention_rule_parse(const char *months, const char *until_age, struct retention_rule *out,
                          const char *field_prefix, struct field_errors *errs);

#endif
