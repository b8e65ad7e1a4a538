/* Validation of what a person typed.  Forms arrive as raw strings (kept
 * verbatim so a failed submission can be shown again unchanged); valid
 * input becomes a record.  Messages follow the GOV.UK error-message style. */
#ifndef TAS_CORE_VALIDATE_H
#define TAS_CORE_VALIDATE_H

#include "core/errors.h"
#include "core/records.h"

/* Raw form input; any pointer may be NULL (treated as empty). */
struct pupil_form {
    const char *upn, *forenames, *surname;
    const char *dob_day, *dob_month, *dob_year;  /* GOV.UK date input */
    const char *gender, *ethnicity, *nc_year, *sen_provision;
    const char *school_id;                         /* decimal id */
};

struct school_form {
    const char *urn, *establishment_number, *name, *phase, *pupils_on_roll, *fsm_pct, *sen_pct;
    const char *tas_member;                        /* "yes" | "no" */
    const char *authority_id;
};

struct authority_form {
    const char *la_code, *name;
};

/* today is "YYYY-MM-DD", used to reject future or implausible birth dates
 * (a pupil is 2 to 25 years old).  Returns the number of errors (0 = ok). */
int validate_pupil(const struct pupil_form *in, const char *today,
                   struct pupil *out, struct field_errors *errs);
int validate_school(const struct school_form *in, struct school *out,
                    struct field_errors *errs);
int validate_authority(const struct authority_form *in, struct authority *out,
                       struct field_errors *errs);

/* Results of parse_date_parts and parse_date_iso: 0 ok, else which part
 * is wrong, so a form can say "Year must include 4 numbers" or "must be a
 * real date" as GOV.UK date inputs do. */
enum date_parse_result {
    DATE_OK = 0,
    DATE_BAD_DAY = -1,       /* missing or not a whole number 1..31 */
    DATE_BAD_MONTH = -2,     /* missing or not a whole number 1..12 */
    DATE_BAD_YEAR = -3,      /* missing or not 4 digits */
    DATE_OUT_OF_RANGE = -4,  /* year before 1900 or after 2100 */
    DATE_NOT_REAL = -5,      /* no such day, e.g. 31 April, 29 February 2023 */
    DATE_BAD_FORMAT = -6     /* parse_date_iso: not exactly YYYY-MM-DD */
};

/* Helpers used by the above, exposed for tests and other forms. */
int parse_date_parts(const char *d, const char *m, const char *y, char out[11]);
int parse_date_iso(const char *s, int *y, int *m, int *d);   /* 0 ok */
int parse_int_strict(const char *s, long min, long max, long *out); /* 0 ok */
/* Trims leading/trailing white space into out; -1 if too long. */
int trim_copy(const char *s, char *out, size_t outsz);
/* The characters of UTF-8 text s (not its bytes). */
size_t utf8_chars(const char *s);
/* True if s is valid UTF-8 with no control characters (tab allowed if allow_tab). */
int text_is_clean(const char *s, int allow_newlines);

#endif
