/* "This term" for the list filters: the school term (autumn, spring or
 * summer, each two half-terms) a day falls in.  The three windows tile the
 * school year, 1 August to 31 July: a holiday belongs to the term after
 * it, so "this term" on a day of the Christmas holiday is the spring term
 * (with the holiday before it), and the summer holiday is the next
 * autumn's. */
#ifndef TAS_CORE_TERMWIN_H
#define TAS_CORE_TERMWIN_H

#include <stddef.h>
#include <stdint.h>

#include "core/calendar.h"

/* From the half-terms of the school year containing `day` (six, numbered
 * 1..6 in order, as english_default_terms writes them) finds the term
 * holding day: *from is the day after the previous term ends (1 August
 * for autumn), *to the last day of the term (31 July for summer); *term is
 * 0 autumn, 1 spring, 2 summer.  -1 when there are not six half-terms. */
int term_window(int32_t day, const struct half_term *t, size_t n, int32_t *from, int32_t *to, int *term);
/* "Autumn term", "Spring term", "Summer term" ("" otherwise). */
const char *term_name(int term);

#endif
