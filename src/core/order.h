/* Ordering records by several keys, most significant first. */
#ifndef TAS_CORE_ORDER_H
#define TAS_CORE_ORDER_H

#include <stddef.h>
#include <stdint.h>

/* -1, 0 or 1 as keys x[0..n) sort before, with or after y[0..n): the one
 * comparison behind the qsort comparators that order by several integer
 * keys, so each of them only lists its keys. */
int order_keys(const int64_t *x, const int64_t *y, size_t n);

#endif
