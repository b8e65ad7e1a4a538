/* libFuzzer harness: the pure input checks of src/core that take what a
 * person typed: the UPN (normalise, validate, check letter), the DfE and
 * local code lists, dates (ISO, GOV.UK parts, day numbers), strict
 * integers, tristates and the text cleanliness check.
 *
 * Properties: a valid UPN's first letter is its check letter; a date that
 * parses prints back as the same text; a parsed integer is in range and
 * prints back as the (trimmed) text; a code found is the code asked for. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "lib/count.h"
#include "core/casefile.h"
#include "core/codes.h"
#include "core/upn.h"
#include "core/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_upn(const char *s)
{
    char norm[32];
    if (upn_normalise(s, norm, sizeof norm) != 0)
        return;
    enum upn_status st = upn_validate(norm);
    if (!upn_status_message(st))
        abort();
    if (st == UPN_OK || st == UPN_OK_TEMPORARY) {
        if (strlen(norm) != 13 || upn_check_letter(norm + 1) != norm[0])
            abort();
    }
    char letter = upn_check_letter(s);
    if (letter && !strchr("ABCDEFGHJKLMNPQRTUVWXYZ", letter))
        abort();
}

static const struct code_list *const lists[] = {
    &codes_ethnicity, &codes_sen_provision, &codes_nc_year, &codes_gender,
    &codes_phase, &codes_sen_need, &codes_need_area, &codes_prior_contact,
    &codes_case_closure, &codes_consent_relationship,
};

static void check_codes(const char *s)
{
    for (size_t i = 0; i < COUNT(lists); i++) {
        const struct code_entry *e = code_find(lists[i], s);
        if (e && strcmp(e->code, s) != 0)
            abort();
        const char *label = code_label(lists[i], s);
        if ((label != NULL) != (e != NULL))
            abort();
    }
    const char *main = ethnicity_main_code(s);
    if (main && !code_find(&codes_ethnicity, main))
        abort();
}

static void check_dates(const char *s, const char *a, const char *b, const char *c)
{
    int y, m, d;
    if (parse_date_iso(s, &y, &m, &d) == 0) {
        char back[16];
        snprintf(back, sizeof back, "%04d-%02d-%02d", y, m, d);
        if (strcmp(back, s) != 0)
            abort();
    }
    int32_t day;
    if (day_parse(s, &day) == 0) {
        char back[11];
        day_format(day, back);
        if (strcmp(back, s) != 0)
            abort();
    }
    char out[11];
    if (parse_date_parts(a, b, c, out) == 0 && parse_date_iso(out, &y, &m, &d) != 0)
        abort();
}

static void check_numbers(const char *s)
{
    long v;
    if (parse_int_strict(s, -1000, 1000000, &v) == 0 && (v < -1000 || v > 1000000))
        abort();
    int t = tristate_parse(s);
    if (t < -2 || t > 1)
        abort();
    (void)text_is_clean(s, 0);
    (void)text_is_clean(s, 1);
    char trimmed[64];
    (void)trim_copy(s, trimmed, sizeof trimmed);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256)
        return 0;
    char s[257];
    memcpy(s, data, size);
    s[size] = '\0';
    /* The same bytes, cut at '/', serve as a date's day, month and year. */
    char parts[257];
    memcpy(parts, s, size + 1);
    char *a = parts, *b = "", *c = "";
    char *slash = strchr(a, '/');
    if (slash) {
        *slash = '\0';
        b = slash + 1;
        if ((slash = strchr(b, '/'))) {
            *slash = '\0';
            c = slash + 1;
        }
    }
    check_upn(s);
    check_codes(s);
    check_dates(s, a, b, c);
    check_numbers(s);
    return 0;
}
