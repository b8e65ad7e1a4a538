/* Reading GIAS establishment rows (core/gias.c): the header by name, each
 * row's checks, phases and statuses, and the file's encoding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/gias.h"
#include "lib/count.h"

static const char *const header[] = {"URN", "LA (code)", "LA (name)", "EstablishmentName",
                                     "TypeOfEstablishment (code)", "TypeOfEstablishment (name)",
                                     "EstablishmentStatus (name)", "OpenDate", "CloseDate",
                                     "PhaseOfEducation (name)", "NumberOfPupils", "PercentageFSM", "Postcode"};
#define NH (int)(COUNT(header))

/* Fields as the reader takes them (writable, like a split line). */
static int read_fields(const char *const *names, int n, struct gias_header *h, char *missing, size_t msz)
{
    static char buf[32][64];
    char *f[32];
    for (int i = 0; i < n && i < 32; i++) {
        snprintf(buf[i], sizeof buf[i], "%s", names[i]);
        f[i] = buf[i];
    }
    return gias_header_read(f, n, h, missing, msz);
}

static struct gias_header read_header(void)
{
    struct gias_header h;
    char missing[200];
    assert_int_equal(read_fields(header, NH, &h, missing, sizeof missing), 0);
    assert_string_equal(missing, "");
    return h;
}

/* A row: the values in header order, copied so the reader may trim them. */
static enum gias_verdict row(const char *const v[NH], struct gias_school *g, char *why, size_t wsz)
{
    static char buf[NH][200];
    char *f[NH];
    for (int i = 0; i < NH; i++) {
        snprintf(buf[i], sizeof buf[i], "%s", v[i]);
        f[i] = buf[i];
    }
    struct gias_header h = read_header();
    return gias_row_read(&h, f, NH, g, why, wsz);
}

static void test_header(void **state)
{
    (void)state;
    struct gias_header h = read_header();
    assert_int_equal(h.pos[GC_URN], 0);
    assert_int_equal(h.pos[GC_NAME], 3);
    assert_int_equal(h.pos[GC_POSTCODE], 12);
    const char *short_header[] = {"URN", "EstablishmentName", "Postcode"};
    char missing[200];
    assert_int_equal(read_fields(short_header, 3, &h, missing, sizeof missing), -1);
    assert_string_equal(missing, "LA (code), PhaseOfEducation (name), EstablishmentStatus (name)");
    assert_int_equal(h.pos[GC_OPEN], -1);
}

static void test_good_row(void **state)
{
    (void)state;
    const char *v[NH] = {"123456", "804", "X", "St Mary's & St John's CE Primary", "3",
                         "Voluntary controlled school", "Open", "01-09-1975", "", "Primary", "212", "15.3",
                         "ZZ9 9ZZ"};
    struct gias_school g;
    char why[200];
    assert_int_equal(row(v, &g, why, sizeof why), GIAS_ROW_OK);
    assert_string_equal(g.urn, "123456");
    assert_string_equal(g.name, "St Mary's & St John's CE Primary");
    assert_string_equal(g.la_code, "804");
    assert_string_equal(g.phase, "primary");
    assert_string_equal(g.status, "open");
    assert_string_equal(g.open_date, "1975-09-01");
    assert_string_equal(g.close_date, "");
    assert_int_equal(g.pupils_on_roll, 212);
    assert_true(g.fsm_pct > 15.29 && g.fsm_pct < 15.31);
    assert_string_equal(g.type, "Voluntary controlled school");
}

static void test_phases_and_status(void **state)
{
    (void)state;
    struct gias_school g;
    char why[200];
    /* A special school's phase is "Not applicable": its type decides. */
    const char *special[NH] = {"123457", "804", "", "Ysgol Gymraeg Arbennig", "7", "Community special school",
                               "Closed", "01-09-1990", "31/08/2024", "Not applicable", "", "", ""};
    assert_int_equal(row(special, &g, why, sizeof why), GIAS_ROW_OK);
    assert_string_equal(g.phase, "special");
    assert_string_equal(g.status, "closed");
    assert_string_equal(g.close_date, "2024-08-31");
    assert_int_equal(g.pupils_on_roll, -1);
    const char *pru[NH] = {"123458", "804", "", "Short Stay", "14", "Pupil referral unit",
                           "Open, but proposed to close", "", "", "Not applicable", "", "", ""};
    assert_int_equal(row(pru, &g, why, sizeof why), GIAS_ROW_OK);
    assert_string_equal(g.phase, "ap");
    assert_string_equal(g.status, "proposed_to_close");
    const char *college[NH] = {"123459", "804", "", "Sixth Form College", "18", "Further education",
                               "Open", "", "", "16 plus", "", "", ""};
    assert_int_equal(row(college, &g, why, sizeof why), GIAS_ROW_SKIP);
    assert_non_null(strstr(why, "16 plus"));
}

struct bad {
    int col;
    const char *value;
    const char *reason;   /* the start of why */
};

static void test_bad_rows(void **state)
{
    (void)state;
    static const struct bad bad[] = {
        {0, "12345", "URN: \"12345\" is not a URN"},
        {0, "12345X", "URN: \"12345X\" is not a URN"},
        {0, "", "URN: missing"},
        {0, "0123456", "URN:"},
        {1, "80", "LA (code): \"80\" is not a 3-digit"},
        {3, "", "EstablishmentName: missing"},
        {6, "Shut", "EstablishmentStatus (name): \"Shut\""},
        {7, "31-02-2020", "OpenDate: \"31-02-2020\" is not a date"},
        {7, "2020-09-01", "OpenDate: \"2020-09-01\" is not a date"},
        {8, "01-01-1970", "CloseDate: before OpenDate"},
        {9, "Tertiary", "PhaseOfEducation (name): \"Tertiary\" is not a GIAS phase"},
        {10, "2.5", "NumberOfPupils: \"2.5\""},
        {11, "101", "PercentageFSM: \"101\""},
        {12, "ZZ9;9ZZ", "Postcode: \"ZZ9;9ZZ\""},
    };
    for (size_t i = 0; i < COUNT(bad); i++) {
        const char *v[NH] = {"123456", "804", "X", "A School", "1", "Community school", "Open", "01-09-1975", "",
                             "Primary", "", "", ""};
        v[bad[i].col] = bad[i].value;
        struct gias_school g;
        char why[200];
        assert_int_equal(row(v, &g, why, sizeof why), GIAS_ROW_BAD);
        if (strncmp(why, bad[i].reason, strlen(bad[i].reason)) != 0)
            fail_msg("row %zu: \"%s\" does not start \"%s\"", i, why, bad[i].reason);
    }
}

/* EstablishmentNumber (optional): the school's number within its LA. */
static void test_establishment_number(void **state)
{
    (void)state;
    static const char *const names[] = {"URN", "LA (code)", "EstablishmentNumber", "EstablishmentName",
                                        "EstablishmentStatus (name)", "PhaseOfEducation (name)"};
    struct gias_header h;
    char missing[200];
    assert_int_equal(read_fields(names, 6, &h, missing, sizeof missing), 0);
    assert_int_equal(h.pos[GC_ESTAB], 2);
    static const struct {
        const char *value, *estab;   /* estab NULL: the row is refused */
    } cases[] = {
        {"2001", "2001"}, {" 7001 ", "7001"}, {"", ""}, {"201", NULL}, {"20011", NULL}, {"20a1", NULL},
        {"-201", NULL},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        char buf[6][64];
        const char *v[6] = {"123456", "804", cases[i].value, "A School", "Open", "Primary"};
        char *f[6];
        for (int k = 0; k < 6; k++) {
            snprintf(buf[k], sizeof buf[k], "%s", v[k]);
            f[k] = buf[k];
        }
        struct gias_school g;
        char why[200];
        enum gias_verdict got = gias_row_read(&h, f, 6, &g, why, sizeof why);
        if (cases[i].estab) {
            assert_int_equal(got, GIAS_ROW_OK);
            assert_string_equal(g.estab, cases[i].estab);
        } else {
            assert_int_equal(got, GIAS_ROW_BAD);
            assert_non_null(strstr(why, "EstablishmentNumber: "));
            assert_non_null(strstr(why, "is not a 4-digit establishment number"));
        }
    }
    /* A file without the column gives none. */
    struct gias_header plain = read_header();
    assert_int_equal(plain.pos[GC_ESTAB], -1);
}

static void test_encoding(void **state)
{
    (void)state;
    char out[64];
    /* UTF-8 stays as it is. */
    assert_int_equal(gias_to_utf8("Zo\xc3\xab", out, sizeof out), 4);
    assert_string_equal(out, "Zo\xc3\xab");
    /* Windows-1252: e-diaeresis, a right single quote, the euro sign. */
    assert_int_equal(gias_to_utf8("Zo\xeb \x92 \x80", out, sizeof out), strlen("Zo\xc3\xab \xe2\x80\x99 \xe2\x82\xac"));
    assert_string_equal(out, "Zo\xc3\xab \xe2\x80\x99 \xe2\x82\xac");
    /* An overlong or cut sequence is not UTF-8, so read as Windows-1252. */
    assert_int_equal(gias_to_utf8("\xc0\xaf", out, sizeof out), 4);
    assert_string_equal(out, "\xc3\x80\xc2\xaf");
    /* Too small for the result. */
    assert_int_equal(gias_to_utf8("\xeb\xeb\xeb", out, 6), (size_t)-1);
    assert_int_equal(gias_to_utf8("abc", out, 3), (size_t)-1);
}

static void test_reason_is_utf8(void **state)
{
    (void)state;
    /* A 20-byte clip of a quoted value may cut a character in half. */
    const char *v[NH] = {"123456", "804", "X", "A School", "1", "Community school", "Open",
                         "\xc3\xab\xc3\xab\xc3\xab\xc3\xab\xc3\xab\xc3\xab\xc3\xab\xc3\xab\xc3\xab\xc3\xab\xc3\xab", "",
                         "Primary", "", "", ""};
    struct gias_school g;
    char why[200];
    assert_int_equal(row(v, &g, why, sizeof why), GIAS_ROW_BAD);
    char copy[400];
    assert_true(gias_to_utf8(why, copy, sizeof copy) == strlen(why));
    assert_string_equal(copy, why);   /* valid UTF-8: copied unchanged */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header),          cmocka_unit_test(test_good_row),
        cmocka_unit_test(test_phases_and_status), cmocka_unit_test(test_bad_rows),
        cmocka_unit_test(test_establishment_number),
        cmocka_unit_test(test_encoding),        cmocka_unit_test(test_reason_is_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
