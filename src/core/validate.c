/* Form validation.  Values are stored as typed (after trimming): names
 * may contain apostrophes, accents or text that looks like HTML, because
 * escaping is the output layer's job and "correcting" names loses data.
 * Errors are added in form order; each field gets at most one error. */
#include "core/validate.h"

#include "core/calendar.h"
#include "core/codes.h"
#include "core/upn.h"
#include "core/yeargroup.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#define MIN_PUPIL_AGE 2
#define MAX_PUPIL_AGE 25
#define MIN_YEAR 1900
#define MAX_YEAR 2100

/* parse_int_strict results */
#define INT_NOT_A_NUMBER (-1)
#define INT_OUT_OF_RANGE (-2)

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_blank(const char *s)
{
    if (!s)
        return 1;
    while (is_ws(*s))
        s++;
    return *s == '\0';
}

/* Codes arrive from selects and radios, but CSV imports and the CLI type
 * them by hand: fold case so "wbri" or "Primary" still match. */
static void ascii_upper(char *s)
{
    for (; *s; s++)
        if (*s >= 'a' && *s <= 'z')
            *s = (char)(*s - 'a' + 'A');
}

static void ascii_lower(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

int trim_copy(const char *s, char *out, size_t outsz)
{
    if (!out || outsz == 0)
        return -1;
    out[0] = '\0';
    if (!s)
        return 0;
    while (is_ws(*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && is_ws(s[n - 1]))
        n--;
    int rc = 0;
    if (n >= outsz) {
        /* Keep what fits, cut on a UTF-8 boundary, and say it was cut. */
        n = outsz - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        rc = -1;
    }
    memcpy(out, s, n);
    out[n] = '\0';
    return rc;
}

int text_is_clean(const char *s, int allow_newlines)
{
    if (!s)
        return 1;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7F) {
                if (!(allow_newlines && (c == '\n' || c == '\r' || c == '\t')))
                    return 0;
            }
            p++;
            continue;
        }
        int extra;
        unsigned cp;
        if (c >= 0xC2 && c <= 0xDF) {
            extra = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            extra = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3;
            cp = c & 0x07;
        } else {
            return 0;   /* continuation byte first, 0xC0/0xC1 overlong, > 0xF4 */
        }
        for (int i = 1; i <= extra; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return 0;   /* also stops at the terminating NUL */
            cp = (cp << 6) | (p[i] & 0x3Fu);
        }
        if ((extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000))
            return 0;   /* overlong encoding */
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;   /* beyond Unicode, or a UTF-16 surrogate */
        if (cp >= 0x80 && cp <= 0x9F)
            return 0;   /* C1 control characters */
        /* Bidirectional embeddings, overrides and isolates can make a name
         * display as something else in a list; nobody needs to type them. */
        if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
            return 0;
        p += extra + 1;
    }
    return 1;
}

int parse_int_strict(const char *s, long min, long max, long *out)
{
    if (!s || !*s)
        return INT_NOT_A_NUMBER;
    const char *p = s;
    int neg = 0;
    if (*p == '-') {
        neg = 1;
        p++;
    }
    if (!*p)
        return INT_NOT_A_NUMBER;
    /* Accumulate negatively: the negative range is the larger one. */
    long v = 0;
    int overflow = 0;
    for (; *p; p++) {
        if (!is_digit(*p))
            return INT_NOT_A_NUMBER;
        int d = *p - '0';
        if (overflow)
            continue;
        if (v < (LONG_MIN + d) / 10)
            overflow = 1;
        else
            v = v * 10 - d;
    }
    if (overflow || (!neg && v == LONG_MIN))
        return INT_OUT_OF_RANGE;
    if (!neg)
        v = -v;
    if (v < min || v > max)
        return INT_OUT_OF_RANGE;
    if (out)
        *out = v;
    return 0;
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

static int check_ymd(int y, int m, int d)
{
    if (m < 1 || m > 12)
        return DATE_BAD_MONTH;
    if (y < MIN_YEAR || y > MAX_YEAR)
        return DATE_OUT_OF_RANGE;
    if (d < 1 || d > days_in_month(y, m))
        return DATE_NOT_REAL;
    return DATE_OK;
}

int parse_date_parts(const char *d, const char *m, const char *y, char out[11])
{
    char bd[8], bm[8], by[8];
    long day, month, year;
    if (out)
        out[0] = '\0';
    if (trim_copy(d, bd, sizeof bd) != 0 || parse_int_strict(bd, 1, 31, &day) != 0)
        return DATE_BAD_DAY;
    if (trim_copy(m, bm, sizeof bm) != 0 || parse_int_strict(bm, 1, 12, &month) != 0)
        return DATE_BAD_MONTH;
    /* Four digits: "24" would otherwise be taken as the year 24. */
    if (trim_copy(y, by, sizeof by) != 0 || strlen(by) != 4 ||
        !is_digit(by[0]) || !is_digit(by[1]) || !is_digit(by[2]) || !is_digit(by[3]))
        return DATE_BAD_YEAR;
    year = (by[0] - '0') * 1000 + (by[1] - '0') * 100 + (by[2] - '0') * 10 + (by[3] - '0');
    int rc = check_ymd((int)year, (int)month, (int)day);
    if (rc != DATE_OK)
        return rc;
    if (out)
        day_format(day_from_ymd((int)year, (int)month, (int)day), out);
    return DATE_OK;
}

int parse_date_iso(const char *s, int *y, int *m, int *d)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return DATE_BAD_FORMAT;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !is_digit(s[i]))
            return DATE_BAD_FORMAT;
    int yy = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int mm = (s[5] - '0') * 10 + (s[6] - '0');
    int dd = (s[8] - '0') * 10 + (s[9] - '0');
    int rc = check_ymd(yy, mm, dd);
    if (rc != DATE_OK)
        return rc;
    if (y)
        *y = yy;
    if (m)
        *m = mm;
    if (d)
        *d = dd;
    return DATE_OK;
}

/* Adds an error and counts it, so the return value stays right even when
 * the error list is full or absent. */
static void fail(struct field_errors *errs, int *n, const char *field, const char *msg)
{
    field_errors_add(errs, field, msg);
    (*n)++;
}

/* A required single-line text field: trimmed, 1..outsz-1 bytes, clean.
 * label starts the messages ("Surname must be ..."). */
static void text_field(const char *in, char *out, size_t outsz, const char *field,
                       const char *label, const char *empty_msg,
                       struct field_errors *errs, int *n)
{
    char msg[160];
    if (trim_copy(in, out, outsz) != 0) {
        snprintf(msg, sizeof msg, "%s must be %zu characters or fewer", label, outsz - 1);
        fail(errs, n, field, msg);
    } else if (out[0] == '\0') {
        fail(errs, n, field, empty_msg);
    } else if (!text_is_clean(out, 0)) {
        snprintf(msg, sizeof msg,
                 "%s must only include letters, numbers, spaces and punctuation", label);
        fail(errs, n, field, msg);
    }
}

/* A code from a list.  Returns the entry or NULL after adding an error:
 * empty_msg when nothing was chosen, bad_msg when the value is not in the
 * list (a tampered form or a mistyped import). */
static const struct code_entry *code_field(const char *in, const struct code_list *l,
                                           int upper, const char *field,
                                           const char *empty_msg, const char *bad_msg,
                                           struct field_errors *errs, int *n)
{
    char v[24];
    int rc = trim_copy(in, v, sizeof v);
    if (rc == 0 && v[0] == '\0') {
        fail(errs, n, field, empty_msg);
        return NULL;
    }
    if (upper)
        ascii_upper(v);
    else
        ascii_lower(v);
    const struct code_entry *e = rc == 0 ? code_find(l, v) : NULL;
    if (!e)
        fail(errs, n, field, bad_msg);
    return e;
}

/* A required positive database id chosen from a list. */
static int64_t id_field(const char *in, const char *field, const char *empty_msg,
                        const char *bad_msg, struct field_errors *errs, int *n)
{
    char v[32];
    long id;
    int rc = trim_copy(in, v, sizeof v);
    if (rc == 0 && v[0] == '\0') {
        fail(errs, n, field, empty_msg);
        return 0;
    }
    if (rc != 0 || parse_int_strict(v, 1, LONG_MAX, &id) != 0) {
        fail(errs, n, field, bad_msg);
        return 0;
    }
    return (int64_t)id;
}

static void copy_code(char *dst, size_t dstsz, const char *code)
{
    /* Code list entries are short and known; snprintf guards the size. */
    snprintf(dst, dstsz, "%s", code);
}

static void validate_dob(const struct pupil_form *in, const char *today,
                         char out[11], struct field_errors *errs, int *n)
{
    static const char *const missing[8] = {
        NULL,                                   /* nothing missing */
        "Date of birth must include a day",
        "Date of birth must include a month",
        "Date of birth must include a day and month",
        "Date of birth must include a year",
        "Date of birth must include a day and year",
        "Date of birth must include a month and year",
        "Enter the pupil's date of birth",
    };
    const char *age_msg = "The pupil must be aged between 2 and 25 – check the date of birth";
    int gaps = (is_blank(in->dob_day) ? 1 : 0) | (is_blank(in->dob_month) ? 2 : 0) |
               (is_blank(in->dob_year) ? 4 : 0);
    if (gaps) {
        fail(errs, n, "dob", missing[gaps]);
        return;
    }
    int rc = parse_date_parts(in->dob_day, in->dob_month, in->dob_year, out);
    if (rc == DATE_BAD_YEAR) {
        fail(errs, n, "dob", "Year must include 4 numbers");
        return;
    }
    if (rc == DATE_OUT_OF_RANGE) {
        fail(errs, n, "dob", age_msg);
        return;
    }
    if (rc != DATE_OK) {
        fail(errs, n, "dob", "Date of birth must be a real date");
        return;
    }
    int ty, tm, td, by = 0, bm = 0, bd = 0;
    if (parse_date_iso(today, &ty, &tm, &td) != 0) {
        /* A caller bug, not the user's: refuse rather than skip the check. */
        fail(errs, n, "dob", "Date of birth could not be checked – try again");
        return;
    }
    (void)parse_date_iso(out, &by, &bm, &bd);
    if (by * 10000 + bm * 100 + bd >= ty * 10000 + tm * 100 + td) {
        fail(errs, n, "dob", "Date of birth must be in the past");
        return;
    }
    int age = ty - by - ((tm < bm || (tm == bm && td < bd)) ? 1 : 0);
    if (age < MIN_PUPIL_AGE || age > MAX_PUPIL_AGE)
        fail(errs, n, "dob", age_msg);
}

int validate_pupil(const struct pupil_form *in, const char *today,
                   struct pupil *out, struct field_errors *errs)
{
    static const struct pupil_form empty_form;
    struct pupil p;
    int n = 0;
    memset(&p, 0, sizeof p);
    if (!in)
        in = &empty_form;

    /* UPN: trimmed, spaces removed, upper-cased, then checked. */
    char raw[64], upn[32];
    int rc = trim_copy(in->upn, raw, sizeof raw);
    enum upn_status st;
    if (rc != 0 || upn_normalise(raw, upn, sizeof upn) != 0)
        st = UPN_BAD_LENGTH;
    else
        st = upn_validate(upn);
    if (st == UPN_OK || st == UPN_OK_TEMPORARY)
        memcpy(p.upn, upn, sizeof p.upn);   /* exactly 13 chars + NUL */
    else
        fail(errs, &n, "upn", upn_status_message(st));

    text_field(in->forenames, p.forenames, sizeof p.forenames, "forenames", "First names",
               "Enter the pupil's first names", errs, &n);
    text_field(in->surname, p.surname, sizeof p.surname, "surname", "Last name",
               "Enter the pupil's last name", errs, &n);

    int before_dob = n;
    validate_dob(in, today, p.date_of_birth, errs, &n);
    bool dob_ok = n == before_dob;

    const struct code_entry *e;
    e = code_field(in->gender, &codes_gender, 1, "gender", "Select the pupil's gender",
                   "Select the pupil's gender from the list", errs, &n);
    if (e)
        copy_code(p.gender, sizeof p.gender, e->code);

    /* Extended ethnicity codes are accepted and stored as their main code:
     * the main code is what the census and the statistics use. */
    char eth[24];
    rc = trim_copy(in->ethnicity, eth, sizeof eth);
    if (rc == 0 && eth[0] == '\0') {
        fail(errs, &n, "ethnicity", "Select the pupil's ethnicity");
    } else {
        ascii_upper(eth);
        const char *main_code = rc == 0 ? ethnicity_main_code(eth) : NULL;
        if (main_code)
            copy_code(p.ethnicity, sizeof p.ethnicity, main_code);
        else
            fail(errs, &n, "ethnicity", "Select an ethnicity from the list");
    }

    e = code_field(in->nc_year, &codes_nc_year, 1, "nc_year",
                   "Select the pupil's year group", "Select a year group from the list",
                   errs, &n);
    if (e)
        copy_code(p.nc_year, sizeof p.nc_year, e->code);
    int32_t born, now;
    if (e && dob_ok && day_parse(p.date_of_birth, &born) == 0 && day_parse(today, &now) == 0) {
        int want;
        if (yeargroup_check(p.nc_year, born, academic_year_of(now), &want) == YEARGROUP_REFUSED) {
            char have_l[24], want_l[24], msg[200];
            int have = 0;
            (void)yeargroup_number(p.nc_year, &have);
            yeargroup_label(have, have_l, sizeof have_l);
            yeargroup_label(want, want_l, sizeof want_l);
            if (want_l[0])
                snprintf(msg, sizeof msg, "%s is more than one year from %s, the year group for this "
                         "date of birth – check the year group and the date of birth", have_l, want_l);
            else
                snprintf(msg, sizeof msg, "%s does not fit this date of birth – check the year group "
                         "and the date of birth", have_l);
            fail(errs, &n, "nc_year", msg);
        }
    }

    e = code_field(in->sen_provision, &codes_sen_provision, 1, "sen_provision",
                   "Select the pupil's SEN provision", "Select SEN provision from the list",
                   errs, &n);
    if (e)
        copy_code(p.sen_provision, sizeof p.sen_provision, e->code);

    p.school_id = id_field(in->school_id, "school_id", "Select the pupil's school",
                           "Select a school from the list", errs, &n);

    if (out)
        *out = p;
    return n;
}

/* Optional percentage: digits with an optional decimal part and an
 * optional "%", 0..100.  Empty means not recorded (-1).  Returns 0 ok. */
static int parse_pct(const char *s, double *out)
{
    const char *p = s;
    long whole = 0, frac = 0, scale = 1;
    int ndigits = 0;
    for (; is_digit(*p); p++, ndigits++)
        if (whole <= 1000)   /* anything bigger is out of range anyway */
            whole = whole * 10 + (*p - '0');
    if (ndigits == 0)
        return -1;
    if (*p == '.') {
        p++;
        int nfrac = 0;
        for (; is_digit(*p); p++, nfrac++) {
            if (nfrac >= 6)
                return -1;   /* more precision than any source has */
            frac = frac * 10 + (*p - '0');
            scale *= 10;
        }
        if (nfrac == 0)
            return -1;
    }
    if (*p == '%')
        p++;
    if (*p != '\0')
        return -1;
    double v = (double)whole + (double)frac / (double)scale;
    if (v > 100.0)
        return -1;
    *out = v;
    return 0;
}

static double pct_field(const char *in, const char *field, const char *msg,
                        struct field_errors *errs, int *n)
{
    char v[24];
    double pct = -1;
    int rc = trim_copy(in, v, sizeof v);
    if (rc == 0 && v[0] == '\0')
        return -1;
    if (rc != 0 || parse_pct(v, &pct) != 0) {
        fail(errs, n, field, msg);
        return -1;
    }
    return pct;
}

static int all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!is_digit(*s))
            return 0;
    return 1;
}

/* A number of lo to hi digits (a URN, an LA number), trimmed into out (hi
 * + 1 bytes at least): blank is missing's error (NULL: optional, and ""
 * kept), anything else not such a number wrong's. */
static void digits_field(const char *in, size_t lo, size_t hi, char *out, const char *field, const char *missing,
                         const char *wrong, struct field_errors *errs, int *n)
{
    char v[16];
    int rc = trim_copy(in, v, sizeof v);
    size_t len = strlen(v);
    if (rc == 0 && len == 0 && missing)
        fail(errs, n, field, missing);
    else if (rc != 0 || (len && (len < lo || len > hi || !all_digits(v))))
        fail(errs, n, field, wrong);
    else
        memcpy(out, v, len + 1);
}

int validate_school(const struct school_form *in, struct school *out,
                    struct field_errors *errs)
{
    static const struct school_form empty_form;
    struct school s;
    int n = 0;
    memset(&s, 0, sizeof s);
    if (!in)
        in = &empty_form;

    digits_field(in->urn, 6, 7, s.urn, "urn", "Enter the school's URN", "URN must be 6 or 7 numbers, like 123456",
                 errs, &n);
    /* Optional: the number within the LA of DfE's LAESTAB (GIAS's
     * EstablishmentNumber), 4 digits. */
    digits_field(in->establishment_number, 4, 4, s.estab, "establishment_number", NULL,
                 "Establishment number must be 4 numbers, like 2001", errs, &n);

    text_field(in->name, s.name, sizeof s.name, "name", "School name",
               "Enter the school name", errs, &n);

    const struct code_entry *e =
        code_field(in->phase, &codes_phase, 0, "phase", "Select the school's phase",
                   "Select a phase from the list", errs, &n);
    if (e)
        copy_code(s.phase, sizeof s.phase, e->code);

    char roll[24];
    long on_roll = -1;
    int rc = trim_copy(in->pupils_on_roll, roll, sizeof roll);
    if (rc == 0 && roll[0] == '\0') {
        on_roll = -1;
    } else {
        int prc = rc != 0 ? INT_NOT_A_NUMBER : parse_int_strict(roll, 0, 5000, &on_roll);
        if (prc == INT_OUT_OF_RANGE)
            fail(errs, &n, "pupils_on_roll", "Pupils on roll must be between 0 and 5000");
        else if (prc != 0)
            fail(errs, &n, "pupils_on_roll", "Pupils on roll must be a whole number, like 420");
        if (prc != 0)
            on_roll = -1;
    }
    s.pupils_on_roll = (int32_t)on_roll;

    s.fsm_pct = pct_field(in->fsm_pct, "fsm_pct",
                          "Free school meals percentage must be a number from 0 to 100, like 15.3",
                          errs, &n);
    s.sen_pct = pct_field(in->sen_pct, "sen_pct",
                          "SEN percentage must be a number from 0 to 100, like 12.5", errs, &n);

    char member[8];
    rc = trim_copy(in->tas_member, member, sizeof member);
    ascii_lower(member);
    if (rc == 0 && strcmp(member, "yes") == 0)
        s.tas_member = true;
    else if (rc == 0 && strcmp(member, "no") == 0)
        s.tas_member = false;
    else
        fail(errs, &n, "tas_member", "Select yes if the school takes part in TAS");

    s.authority_id = id_field(in->authority_id, "authority_id", "Select the local authority",
                              "Select a local authority from the list", errs, &n);

    if (out)
        *out = s;
    return n;
}

int validate_authority(const struct authority_form *in, struct authority *out,
                       struct field_errors *errs)
{
    static const struct authority_form empty_form;
    struct authority a;
    int n = 0;
    memset(&a, 0, sizeof a);
    if (!in)
        in = &empty_form;

    digits_field(in->la_code, 3, 3, a.la_code, "la_code", "Enter the local authority number",
                 "Local authority number must be 3 numbers, like 822", errs, &n);

    text_field(in->name, a.name, sizeof a.name, "name", "Local authority name",
               "Enter the local authority name", errs, &n);

    if (out)
        *out = a;
    return n;
}
