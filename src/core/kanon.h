/* k-anonymity by full-domain generalisation, for the evaluator's extract.
 *
 * Each quasi-identifier (a column an outsider could know about a child:
 * school, month of birth, gender, ethnicity, year group, SEN provision,
 * when the case opened) has a ladder of levels, from as recorded (0) to
 * hidden (the top): e.g. school URN, then its phase, then nothing.  A
 * choice of one level per column generalises every row the same way
 * ("full-domain"); rows that then agree on every column form a class.  The
 * choice is k-anonymous when every class has at least k rows, so no child
 * can be told from fewer than k-1 others by those columns alone.
 *
 * kanon_search walks the choices from the least generalised up (by the sum
 * of each column's cost per level climbed; ties in a fixed order) and
 * returns the first k-anonymous one.  Generalising never splits a class,
 * so a choice above a k-anonymous one is k-anonymous too and the first
 * found is a least-cost answer (Samarati 2001; LeFevre et al. 2005,
 * "Incognito").  Pure: no I/O. */
#ifndef TAS_CORE_KANON_H
#define TAS_CORE_KANON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KANON_MAX_QI 8
#define KANON_MAX_LEVELS 5

struct kanon_input {
    size_t nrows, nqi;
    int levels[KANON_MAX_QI];      /* rungs of each ladder, 2..KANON_MAX_LEVELS; the top one hides */
    int cost[KANON_MAX_QI];        /* cost of climbing one rung (>= 1): what the evaluator loses */
    /* The value of row r, column q, at level l, as a number (equal numbers:
     * the same generalised value): values[(r * nqi + q) * KANON_MAX_LEVELS + l]. */
    const int32_t *values;
};

struct kanon_result {
    bool found;                    /* false only when even hiding every column leaves fewer than k rows */
    int level[KANON_MAX_QI];
    size_t min_class;              /* the k achieved: the smallest class */
    size_t nclasses;
    size_t tried;                  /* choices examined */
};

/* 0 (look at out->found), -1 bad input or no memory. */
int kanon_search(const struct kanon_input *in, size_t k, struct kanon_result *out);

/* The class of each row under a choice of levels (class ids 0..n-1, in
 * order of first row) into cls[nrows]; returns the number of classes, or
 * 0 on no memory.  Rows with equal ids share every generalised value. */
size_t kanon_classes(const struct kanon_input *in, const int *level, size_t *cls);

#endif
