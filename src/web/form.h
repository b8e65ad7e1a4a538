/* Builders for the field objects the field_* template partials render:
 * each carries its name, id, label, the value as typed and its error, so a
 * failed submission shows again exactly as it was sent. */
#ifndef TAS_WEB_FORM_H
#define TAS_WEB_FORM_H

#include <jansson.h>
#include <stdint.h>

#include "core/codes.h"
#include "core/errors.h"

/* {name, id: "f-"+name, label, value, error?, hint?, type: "text"} */
json_t *fld_input(const char *name, const char *label, const char *value,
                  const struct field_errors *e, const char *hint);
/* A select over a code list; with_blank adds a first "Select ..." option. */
json_t *fld_select_codes(const char *name, const char *label, const char *value,
                         const struct field_errors *e, const struct code_list *l,
                         const char *blank_label);
/* Radios with no answers yet (items [{value, label, checked}] added by the caller). */
json_t *fld_radios(const char *name, const char *legend, const struct field_errors *e, int inline_);
/* Radios over a code list. */
json_t *fld_radios_codes(const char *name, const char *legend, const char *value,
                         const struct field_errors *e, const struct code_list *l, int inline_);
/* GOV.UK date input: inputs NAME-day, NAME-month, NAME-year. */
json_t *fld_date(const char *name, const char *legend, const char *day, const char *month,
                 const char *year, const struct field_errors *e, const char *hint);
/* A file input (field_input as GOV.UK's file upload; the form must be
 * multipart/form-data): {name, id, label, error?, hint?, type: "file",
 * accept?, file: true}. */
json_t *fld_file(const char *name, const char *label, const struct field_errors *e, const char *hint,
                 const char *accept);
/* An empty select (options added with fld_add_option). */
json_t *fld_select(const char *name, const char *label, const struct field_errors *e, const char *hint);
/* A text area of four rows. */
json_t *fld_textarea(const char *name, const char *label, const char *value, const struct field_errors *e,
                     const char *hint);
/* A select whose first option is blank_label with the value "" (chosen when
 * current is NULL or ""); more options with fld_add_option. */
json_t *fld_select_blank(const char *name, const char *label, const struct field_errors *e, const char *hint,
                         const char *blank_label, const char *current);
/* Adds an option {value,label,selected} to a select field. */
void fld_add_option(json_t *field, const char *value, const char *label, const char *current);
/* Adds an option whose value is a record's id (as text). */
void fld_add_id_option(json_t *field, int64_t id, const char *label, const char *current);
/* A select that a list's callback fills, given as its void *arg: the
 * field and the value chosen now (that option is selected). */
struct fld_choice {
    json_t *field;
    const char *current;
};
/* Adds record id's option, labelled label, to o's select. */
void fld_choice_add(struct fld_choice *o, int64_t id, const char *label);
/* Sets a string member when s is non-NULL. */
void fld_set(json_t *field, const char *key, const char *s);
/* field made a box for a number: as wide as the GOV.UK class given
 * ("govuk-input--width-4") and with the keypad that fits (inputmode
 * "numeric" or "decimal"); returns field. */
json_t *fld_number(json_t *field, const char *width_class, const char *inputmode);

/* The advice beside every new-password field (core/pwpolicy.c's rules, after
 * the NCSC's "three random words"). */
#define PASSWORD_ADVICE "Use at least 12 characters. Three random words together make a good password. " \
                        "Common passwords, and passwords containing the user name, are not accepted."

#endif
