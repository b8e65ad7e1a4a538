/* Ordering records by several keys: see order.h. */
#include "core/order.h"

int order_keys(const int64_t *x, const int64_t *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    return 0;
}
