/* The standard TAS case summary: areas of presenting need and the prior or
 * current contact with services that the pilot's case summaries counted.
 * Tables and small pure helpers; no I/O. */
#ifndef TAS_CORE_CASEFILE_H
#define TAS_CORE_CASEFILE_H

#include <stddef.h>

#include "core/codes.h"
#include "core/errors.h"

#define CASE_TEXT_MAX 4001   /* free text fields, bytes with NUL */
#define CASE_NEED_AREAS 6
#define CASE_PRIOR_FLAGS 11

extern const struct code_list codes_need_area;     /* communication_interaction ... family */
extern const struct code_list codes_prior_contact; /* prior_paediatrics ... risk_pex (column names) */
extern const struct code_list codes_case_closure;  /* needs_met, ..., other */
extern const struct code_list codes_consent_relationship; /* mother, father, carer, ... */

/* -1 not recorded, 0 no, 1 yes: from "yes" / "no" / "" or "unknown".
 * Returns -2 for anything else. */
int tristate_parse(const char *s);
const char *tristate_code(int v);   /* "yes", "no", "unknown" */
const char *tristate_label(int v);  /* "Yes", "No", "Not known" */

/* Checks a free-text field: valid UTF-8, no control characters except
 * newlines and tabs, at most CASE_TEXT_MAX-1 bytes after trimming.  Adds an
 * error "<label> must be ..." and returns -1 when not; copies into out. */
int case_text(const char *in, char *out, size_t outsz, const char *field, const char *label,
              struct field_errors *errs);
/* case_text for a field that must be filled in: -1 also, with the error
 * missing, when it is blank. */
int case_text_required(const char *in, char *out, size_t outsz, const char *field, const char *label,
                       const char *missing, struct field_errors *errs);

#endif
