/* What a reader can work out about hidden cells of published tables by
 * linear arithmetic: the interval each hidden count must lie in, given the
 * counts shown and the identities the tables obey (a row's phases add up to
 * its Total; a partition's rows add up to its base).  A hidden cell whose
 * lowest and highest possible values are equal is disclosed.
 *
 * This is the "interval" (or "audit") check of statistical disclosure
 * control: each bound is a small linear programme, min and max x_k subject
 * to A x = b and x >= 0, solved here by the two-phase simplex method with
 * Bland's rule (no cycling) in double precision.  The counts are whole
 * numbers well below 2^50, so a bound within 1e-6 of a whole number is
 * taken as that number.  Pure: no I/O. */
#ifndef TAS_CORE_DISCLOSURE_H
#define TAS_CORE_DISCLOSURE_H

#include <stdbool.h>
#include <stddef.h>

#define DISCLOSURE_MAX_TERMS 80   /* unknowns in one identity */

/* sum over terms of coef[t] * x[var[t]] = rhs */
struct lin_eq {
    size_t nterms;
    size_t var[DISCLOSURE_MAX_TERMS];
    double coef[DISCLOSURE_MAX_TERMS];
    double rhs;
};

/* For each unknown x_0..x_{n-1} (each >= 0), its lowest and highest value
 * over every solution of the identities: lo[k], hi[k] (hi[k] is HUGE_VAL
 * when nothing bounds it above).  Unknowns are split into groups linked by
 * identities and each group solved alone, so large sets of small tables
 * stay cheap.  0 ok; -1 when the identities have no solution with x >= 0
 * (they do not describe the tables: a caller's mistake) or memory ran out. */
int disclosure_bounds(size_t n, const struct lin_eq *eqs, size_t neq, double *lo, double *hi);

/* True when bounds lo..hi leave one whole number. */
bool disclosure_pinned(double lo, double hi);

#endif
