/* Arrays that grow by doubling: see grow.h. */
#include "lib/grow.h"

#include <stdlib.h>

void *array_grow(void *items, size_t n, size_t *cap, size_t size, size_t first)
{
    if (n < *cap)
        return items;
    size_t more = *cap ? 2 * *cap : first;
    void *x = realloc(items, more * size);
    if (x)
        *cap = more;
    return x;
}
