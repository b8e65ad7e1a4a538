#include "lib/clock.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int64_t offset;        /* added to the real clock */
static bool pinned;
static const char *held_file; /* TAS_CLOCK_FILE, with TAS_TODAY only */
static char init_err[160];

/* Noon UTC of a YYYY-MM-DD date, or -1. */
static int64_t noon_of(const char *s)
{
    int y, m, d;
    char tail;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return -1;
    if (y < 1970 || y > 2999 || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12};
    time_t t = timegm(&tm);
    if (t == (time_t)-1)
        return -1;
    /* timegm turns 31 February into 3 March: refuse what it moved. */
    struct tm back;
    gmtime_r(&t, &back);
    if (back.tm_mday != d || back.tm_mon != m - 1)
        return -1;
    return (int64_t)t;
}

int clock_offset_for(const char *today, const char *from, int64_t real_now, int64_t *off,
                     char *err, size_t errlen)
{
    *off = 0;
    if (!today || !*today)
        return 0;
    int64_t noon = noon_of(today);
    if (noon < 0) {
        snprintf(err, errlen, "TAS_TODAY must be a date written YYYY-MM-DD, not '%.20s'", today);
        return -1;
    }
    int64_t anchor = real_now;
    if (from && *from) {
        char *end;
        long long v = strtoll(from, &end, 10);
        if (*end || v <= 0) {
            snprintf(err, errlen, "TAS_TODAY_FROM must be whole seconds since 1970, not '%.20s'", from);
            return -1;
        }
        anchor = (int64_t)v;
    }
    *off = noon - anchor;
    return 1;
}

static void read_env(void)
{
    int rc = clock_offset_for(getenv("TAS_TODAY"), getenv("TAS_TODAY_FROM"), (int64_t)time(NULL), &offset,
                              init_err, sizeof init_err);
    pinned = rc == 1;
    if (rc < 0)
        offset = 0;
    const char *f = getenv("TAS_CLOCK_FILE");
    if (pinned && f && *f)
        held_file = f;
}

/* The time a test has written in held_file (whole seconds since 1970), or
 * -1 when it cannot be read.  Read at every call: the test moves it by
 * replacing the file (a rename, so it is never seen half written). */
static int64_t held_time(void)
{
    FILE *fp = fopen(held_file, "r");
    if (!fp)
        return -1;
    long long v = -1;
    if (fscanf(fp, "%lld", &v) != 1 || v <= 0)
        v = -1;
    fclose(fp);
    return (int64_t)v;
}

int clock_init(char *err, size_t errlen)
{
    pthread_once(&once, read_env);
    if (init_err[0]) {
        if (err && errlen)
            snprintf(err, errlen, "%s", init_err);
        return -1;
    }
    return 0;
}

int64_t clock_now(void)
{
    pthread_once(&once, read_env);
    if (held_file) {
        int64_t t = held_time();
        if (t > 0)
            return t;
    }
    return (int64_t)time(NULL) + offset;
}

void clock_date_of(int64_t t, char out[11])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    if (strftime(out, 11, "%Y-%m-%d", &tm) == 0)
        out[0] = '\0';
}

bool clock_pinned(void)
{
    pthread_once(&once, read_env);
    return pinned;
}
