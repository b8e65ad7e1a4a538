/* "This term" (see termwin.h). */
#include "core/termwin.h"

int term_window(int32_t day, const struct half_term *t, size_t n, int32_t *from, int32_t *to, int *term)
{
    if (!t || n != 6)
        return -1;
    int y, m, d;
    ymd_from_day(t[0].starts, &y, &m, &d);
    int year = m >= 8 ? y : y - 1;                       /* the school year's first calendar year */
    int32_t start = day_from_ymd(year, 8, 1), end = day_from_ymd(year + 1, 7, 31);
    int32_t bounds[4] = {start, t[1].ends + 1, t[3].ends + 1, end + 1};
    for (int k = 0; k < 3; k++) {
        if (day >= bounds[k] && day < bounds[k + 1]) {
            *from = bounds[k];
            *to = bounds[k + 1] - 1;
            *term = k;
            return 0;
        }
    }
    /* A day outside this school year: its own year's window is another
     * set of half-terms; the caller passed the wrong year. */
    return -1;
}

const char *term_name(int term)
{
    static const char *const names[3] = {"Autumn term", "Spring term", "Summer term"};
    return term >= 0 && term < 3 ? names[term] : "";
}
