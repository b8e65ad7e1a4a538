/* Unique Pupil Number: 13 characters, check letter first (DfE UPN guide,
 * Annex A).  Pure functions, no I/O. */
#ifndef TAS_CORE_UPN_H
#define TAS_CORE_UPN_H

enum upn_status {
    UPN_OK = 0,          /* valid permanent UPN */
    UPN_OK_TEMPORARY,    /* valid temporary UPN (last char a letter) */
    UPN_EMPTY,
    UPN_BAD_LENGTH,      /* not 13 characters */
    UPN_BAD_CHARACTER,   /* wrong kind of character in some position, or I/O/S */
    UPN_BAD_CHECK_LETTER /* well formed but check letter does not match */
};

/* Check letter for the 12 characters after it (positions 2..13).
 * Returns the letter, or 0 when body is not 11 digits + digit/letter. */
char upn_check_letter(const char *body12);

/* Validates s (must be upper case already; callers normalise). */
enum upn_status upn_validate(const char *s);

/* A short, plain-English reason for a status, for form errors. */
const char *upn_status_message(enum upn_status st);

/* Copies s into out (size outsz) removing spaces and upper-casing.
 * Returns 0, or -1 if it does not fit. */
int upn_normalise(const char *s, char *out, unsigned outsz);

#endif
