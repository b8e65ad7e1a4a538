#include "core/retention.h"

#include <stdio.h>
#include <string.h>

#include "core/calendar.h"
#include "core/codes.h"
#include "core/validate.h"

static const char *const codes[RET__COUNT] = {"case", "consent", "pupil", "outcome", "audit",
                                                "session"};
static const char *const labels[RET__COUNT] = {
    "Case records (case, discussions, actions, referrals)", "Consent records", "Pupil records",
    "Outcome records and toolkit completions", "Audit entries", "Sign-in sessions"};
static const char *const effects[RET__COUNT] = {"anonymise", "erase", "anonymise", "erase", "erase",
                                                  "erase"};

ENUM_CODES(retention, enum retention_type, codes, "unknown")

const char *retention_label(enum retention_type t)
{
    return (unsigned)t < RET__COUNT ? labels[t] : "Unknown";
}

const char *retention_effect(enum retention_type t)
{
    return (unsigned)t < RET__COUNT ? effects[t] : "unknown";
}

static int month_days(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

int32_t day_add_months(int32_t day, int months)
{
    int y, m, d;
    ymd_from_day(day, &y, &m, &d);
    int total = y * 12 + (m - 1) + months;
    y = total / 12;
    m = total % 12 + 1;
    if (m < 1) {   /* total negative: not a date tas deals in, but stay defined */
        m += 12;
        y -= 1;
    }
    int md = month_days(y, m);
    return day_from_ymd(y, m, d > md ? md : d);
}

int32_t retention_due_day(int32_t anchor, const struct retention_rule *r, bool has_dob, int32_t dob)
{
    int32_t due = day_add_months(anchor, r->months);
    if (r->until_age > 0 && has_dob) {
        int32_t birthday = day_add_months(dob, 12 * r->until_age);
        if (birthday > due)
            due = birthday;
    }
    return due;
}

bool retention_rule_parse(const char *months, const char *until_age, struct retention_rule *out,
                          const char *field_prefix, struct field_errors *errs)
{
    long mo = 0, age = 0;
    bool ok = true;
    char field[32];
    snprintf(field, sizeof field, "%s-months", field_prefix);
    if (!months || parse_int_strict(months, 1, 1200, &mo) != 0) {
        field_errors_add(errs, field, "Enter a whole number of months from 1 to 1200");
        ok = false;
    }
    snprintf(field, sizeof field, "%s-age", field_prefix);
    if (until_age && *until_age && parse_int_strict(until_age, 0, 100, &age) != 0) {
        field_errors_add(errs, field, "Enter an age from 0 to 100, or 0 for none");
        ok = false;
    }
    if (ok) {
        out->months = (int)mo;
        out->until_age = (int)age;
    }
    return ok;
}
