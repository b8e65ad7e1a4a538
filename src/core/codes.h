/* DfE and local code lists: ethnicity (with GSS category), SEN provision,
 * NC year, gender, school phase.  Tables are static; lookups are pure. */
#ifndef TAS_CORE_CODES_H
#define TAS_CORE_CODES_H

#include <stddef.h>

struct code_entry {
    const char *code;
    const char *label;
    const char *group;   /* ethnicity: GSS ethnicity_major; else NULL */
};

struct code_list {
    const char *name;                 /* "ethnicity", "sen_provision", ... */
    const struct code_entry *entries;
    size_t count;
};

extern const struct code_list codes_ethnicity;     /* 20 DfE main codes */
extern const struct code_list codes_sen_provision; /* N, K, E */
extern const struct code_list codes_nc_year;       /* N1 N2 R 1..14 X */
extern const struct code_list codes_gender;        /* M F X U */
extern const struct code_list codes_phase;         /* nursery primary middle secondary all-through special ap */
extern const struct code_list codes_sen_need;      /* SPLD MLD ... NSA (census SENtype) */
/* Outcome records (core/outcomes.c). */
extern const struct code_list codes_exclusion_reason; /* PP PA ... PH (census, from 2020/21) */
extern const struct code_list codes_social_care;      /* CIN CP LAC */
extern const struct code_list codes_ehc_assessment;   /* requested refused issued */
extern const struct code_list codes_post16;           /* EET NEET */

/* NULL when code is not in the list (exact, case-sensitive match). */
const struct code_entry *code_find(const struct code_list *l, const char *code);
/* Label for code, or NULL. */
const char *code_label(const struct code_list *l, const char *code);

/* Extended ethnicity codes roll up to a main code ("WENG" -> "WBRI");
 * returns the main code, or NULL if unknown. Main codes map to themselves. */
const char *ethnicity_main_code(const char *code);

#endif
