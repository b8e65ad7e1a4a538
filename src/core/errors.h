/* Field-level validation errors, in the order the fields appear on the
 * form, so the GOV.UK error summary lists them top to bottom. */
#ifndef TAS_CORE_ERRORS_H
#define TAS_CORE_ERRORS_H

#include <stddef.h>

#define FIELD_ERRORS_MAX 24

struct field_error {
    char field[32];     /* form field name, e.g. "upn"; HTML id is "f-" + field */
    char message[256];  /* GOV.UK style: "Enter the pupil's surname"; room for two names in one */
};

struct field_errors {
    size_t count;
    struct field_error items[FIELD_ERRORS_MAX];
};

void field_errors_add(struct field_errors *e, const char *field, const char *message);
/* NULL if field has no error. */
const char *field_errors_get(const struct field_errors *e, const char *field);

#endif
