/* Year group against date of birth (see yeargroup.h). */
#include "core/yeargroup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"

int yeargroup_number(const char *nc_year, int *out)
{
    if (!nc_year)
        return -1;
    if (strcmp(nc_year, "N1") == 0)
        *out = -2;
    else if (strcmp(nc_year, "N2") == 0)
        *out = -1;
    else if (strcmp(nc_year, "R") == 0)
        *out = 0;
    else {
        char *end;
        long n = strtol(nc_year, &end, 10);
        if (end == nc_year || *end || n < 1 || n > 14 || nc_year[0] == '0')
            return -1;
        *out = (int)n;
    }
    return 0;
}

int yeargroup_birth_cohort(int32_t born)
{
    int y, m, d;
    ymd_from_day(born, &y, &m, &d);
    return m >= 9 ? y : y - 1;
}

int yeargroup_expected(int32_t born, int school_year)
{
    /* Born in cohort C (Sept C .. Aug C+1): Reception in the school year
     * starting C + 5. */
    return school_year - yeargroup_birth_cohort(born) - 5;
}

enum yeargroup_fit yeargroup_check(const char *nc_year, int32_t born, int school_year, int *expected)
{
    int want = yeargroup_expected(born, school_year), have;
    if (expected)
        *expected = want;
    if (yeargroup_number(nc_year, &have) != 0)
        return YEARGROUP_UNCHECKED;
    int off = abs(have - want);
    return off == 0 ? YEARGROUP_FITS : off == 1 ? YEARGROUP_ONE_OFF : YEARGROUP_REFUSED;
}

void yeargroup_label(int number, char *out, size_t outsz)
{
    if (number == -2)
        snprintf(out, outsz, "Nursery 1");
    else if (number == -1)
        snprintf(out, outsz, "Nursery 2");
    else if (number == 0)
        snprintf(out, outsz, "Reception");
    else if (number >= 1 && number <= 14)
        snprintf(out, outsz, "Year %d", number);
    else if (outsz)
        out[0] = '\0';
}
