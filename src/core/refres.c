/* Referral results: see refres.h. */
#include "core/refres.h"

#include "core/codes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const keys[RO__COUNT] = {"accepted", "declined", "redirected", "pending"};
static const char *const labels[RO__COUNT] = {"Accepted", "Declined", "Redirected back to TAS", "Pending"};

int refres_outcome_of(const char *status)
{
    return code_index_of(keys, RO__COUNT, status);
}

const char *refres_outcome_label(enum refres_outcome o)
{
    return (unsigned)o < RO__COUNT ? labels[o] : "";
}

const char *refres_outcome_key(enum refres_outcome o)
{
    return (unsigned)o < RO__COUNT ? keys[o] : "";
}

bool refres_decided(enum refres_outcome o)
{
    return o == RO_ACCEPTED || o == RO_DECLINED || o == RO_REDIRECTED;
}

double refres_conversion(int64_t accepted, int64_t decided)
{
    if (decided <= 0 || accepted < 0 || accepted > decided)
        return -1;
    return (double)accepted / (double)decided;
}

double refres_quantile7(const int32_t *sorted, size_t n, double p)
{
    if (n == 0 || !(p >= 0 && p <= 1))
        return NAN;
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)floor(h);
    if (lo >= n - 1)
        return sorted[n - 1];
    double g = h - (double)lo;
    return sorted[lo] + g * ((double)sorted[lo + 1] - (double)sorted[lo]);
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

void refres_wait_summary(int32_t *days, size_t n, struct refres_wait *out)
{
    if (n > 1)
        qsort(days, n, sizeof *days, cmp_i32);
    out->n = n;
    out->median = refres_quantile7(days, n, 0.5);
    out->p90 = refres_quantile7(days, n, 0.9);
}
