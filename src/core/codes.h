/* DfE and local code lists: ethnicity (with GSS category), SEN provision,
 * NC year, gender, school phase.  Tables are static; lookups are pure. */
#ifndef TAS_CORE_CODES_H
#define TAS_CORE_CODES_H

#include <stddef.h>
#include "lib/count.h"

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
/* Who employs someone, as the learning report groups them (survey answers,
 * the cost of a meeting by who pays for the time). */
extern const struct code_list codes_org_group;     /* school la health other */
/* Outcome records (core/outcomes.c). */
extern const struct code_list codes_exclusion_reason; /* PP PA ... PH (census, from 2020/21) */
extern const struct code_list codes_social_care;      /* CIN CP LAC */
extern const struct code_list codes_ehc_assessment;   /* requested refused issued */
extern const struct code_list codes_post16;           /* EET NEET */

/* NULL when code is not in the list (exact, case-sensitive match). */
const struct code_entry *code_find(const struct code_list *l, const char *code);
/* Label for code, or NULL. */
const char *code_label(const struct code_list *l, const char *code);
/* The index of s in names[0..n), or -1 when s is NULL or not there: the
 * one search behind each enum's *_from_code (exact, case-sensitive). */
int code_index_of(const char *const *names, size_t n, const char *s);

/* An enum kept as a code, from its table of codes indexed by the enum:
 * defines x_code (the code, or `unknown` when out of range) and
 * x_from_code (0 and *out set when out is not NULL, or -1), so the range
 * check and the search are written once for every such enum. */
#define ENUM_CODES(x, type, table, unknown)                                    \
    const char *x##_code(type v)                                               \
    {                                                                          \
        size_t n = COUNT(table);                         \
        return (unsigned)(v) < n ? (table)[v] : (unknown);                     \
    }                                                                          \
    int x##_from_code(const char *s, type *out)                                \
    {                                                                          \
        int i = code_index_of(table, COUNT(table), s);   \
        if (i >= 0 && out)                                                     \
            *out = (type)i;                                                    \
        return i < 0 ? -1 : 0;                                                 \
    }

/* Extended ethnicity codes roll up to a main code ("WENG" -> "WBRI");
 * returns the main code, or NULL if unknown. Main codes map to themselves. */
const char *ethnicity_main_code(const char *code);

#endif
