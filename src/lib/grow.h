/* Arrays that grow by doubling as elements are appended. */
#ifndef TAS_LIB_GROW_H
#define TAS_LIB_GROW_H

#include <stddef.h>

/* Room for element n of the array items (elements of size bytes, *cap of
 * them allocated): when n has reached *cap the array is reallocated to
 * first elements, or twice *cap, and *cap set.  The array (items itself
 * when there was room), or NULL when out of memory, items and *cap then
 * left as they were.  The one growth behind every append to such an array. */
void *array_grow(void *items, size_t n, size_t *cap, size_t size, size_t first);

#endif
