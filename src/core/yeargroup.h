/* A pupil's year group against their date of birth.  In England a child
 * is placed by the academic year they were born in, 1 September to
 * 31 August: one born in that year starts Reception in the September after
 * their fourth birthday's year and is in Year N, N years later (DfE,
 * "Advice on the admission of summer born children", and the School
 * Admissions Code 2021, section 2.16).  Children taught out of their
 * chronological year group (summer born, accelerated) are usually one year
 * off; more than that is a typing mistake. */
#ifndef TAS_CORE_YEARGROUP_H
#define TAS_CORE_YEARGROUP_H

#include <stddef.h>
#include <stdint.h>

enum yeargroup_fit {
    YEARGROUP_FITS = 0,      /* the year group of the date of birth */
    YEARGROUP_ONE_OFF,       /* one year either side: allowed, with a warning */
    YEARGROUP_REFUSED,       /* further: refused */
    YEARGROUP_UNCHECKED,     /* "X" (not following the National Curriculum) or not a year group */
};

/* Reception is 0, Nursery 1 and 2 are -2 and -1, Year N is N; *out set and
 * 0 returned, or -1 for "X" and anything else. */
int yeargroup_number(const char *nc_year, int *out);
/* The academic year (its starting calendar year) a date of birth falls
 * in, 1 September to 31 August: 2018-03-04 -> 2017. */
int yeargroup_birth_cohort(int32_t born);
/* The year group (as yeargroup_number) a child born on `born` is in during
 * the school year that starts in calendar year school_year. */
int yeargroup_expected(int32_t born, int school_year);
/* How nc_year fits a date of birth in school_year; *expected (may be NULL)
 * gets the year group the date of birth gives. */
enum yeargroup_fit yeargroup_check(const char *nc_year, int32_t born, int school_year, int *expected);
/* "Reception", "Nursery 1", "Year 4" for a year group number ("" out of range). */
void yeargroup_label(int number, char *out, size_t outsz);

#endif
