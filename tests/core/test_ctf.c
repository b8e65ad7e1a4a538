/* The Common Transfer File reader (core/ctf.c): fields by element path,
 * the latest SEN entry, attendance/exclusion/FSM lists, line numbers,
 * streaming in small reads, and what it refuses (DOCTYPE, entities,
 * malformed XML part-way, a root that is not CTfile). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctf.h"

struct src {
    const char *p;
    size_t len, off;
    int chunk;            /* bytes a read brings at most */
};

static int src_read(void *io, char *buf, int len)
{
    struct src *s = io;
    size_t n = s->len - s->off;
    if (len > s->chunk)
        len = s->chunk;
    if (n > (size_t)len)
        n = (size_t)len;
    memcpy(buf, s->p + s->off, n);
    s->off += n;
    return (int)n;
}

struct got {
    struct ctf_header h;
    int headers;
    size_t n;
    struct ctf_pupil first, last;
    int stop_after;       /* 0: never */
};

static int on_header(void *arg, const struct ctf_header *h)
{
    struct got *g = arg;
    g->h = *h;
    g->headers++;
    return 0;
}

static int on_pupil(void *arg, const struct ctf_pupil *p)
{
    struct got *g = arg;
    if (g->n == 0)
        g->first = *p;
    g->last = *p;
    g->n++;
    return g->stop_after && (int)g->n >= g->stop_after;
}

static enum ctf_result parse(const char *xml, int chunk, struct got *g, struct ctf_error *err)
{
    struct src s = {xml, strlen(xml), 0, chunk};
    struct ctf_handler h = {on_header, on_pupil, g, src_read, &s};
    return ctf_parse(&h, err);
}

static const char good[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<CTfile>\n"
    "<Header><CTFversion>25.0</CTFversion><DateTime>2026-11-01T10:00:00</DateTime>\n"
    "<SourceSchool><LEA>804</LEA><Estab>2001</Estab><URN>130048</URN><AcademicYear>2026</AcademicYear></SourceSchool>\n"
    "<DestSchool><LEA>999</LEA><Estab>9999</Estab></DestSchool></Header>\n"
    "<CTFpupilData>\n"
    "<Pupil>\n"
    "<UPN> A999000000017 </UPN><Surname>\xc3\x93'Brien</Surname><Forename>Zo\xc3\xab</Forename>\n"
    "<DOB>2018-03-04</DOB><Sex>F</Sex>\n"
    "<BasicDetails><FormerUPN>M80120000500A</FormerUPN><NCyearActual>4</NCyearActual><Ethnicity>WIRI</Ethnicity>"
    "</BasicDetails>\n"
    "<SENhistory><SEN><StartDate>2026-01-01</StartDate><SENprovision>E</SENprovision></SEN>"
    "<SEN><StartDate>2025-01-01</StartDate><SENprovision>K</SENprovision></SEN></SENhistory>\n"
    "<Attendance><YearData><Year>2025</Year><SessionsPossible>380</SessionsPossible>"
    "<SessionsAuthorised>10</SessionsAuthorised><SessionsUnauthorised>4</SessionsUnauthorised></YearData></Attendance>\n"
    "<Exclusions><Exclusion><StartDate>2026-03-02</StartDate><Category>SUSP</Category><Reason>DB</Reason>"
    "<Sessions>4</Sessions></Exclusion></Exclusions>\n"
    "<FSMhistory><FSMinstance><FSMstartDate>2025-09-01</FSMstartDate><FSMendDate/></FSMinstance></FSMhistory>\n"
    "<SchoolHistory><School><LEA>111</LEA><Estab>1111</Estab></School></SchoolHistory>\n"
    "</Pupil>\n"
    "<Pupil><UPN>B999000000017</UPN><Gender>M</Gender><Surname><![CDATA[Smith & Co]]></Surname></Pupil>\n"
    "</CTFpupilData>\n"
    "</CTfile>\n";

static void test_fields(void **state)
{
    (void)state;
    /* The same result whether the bytes come all at once or 7 at a time. */
    int chunks[] = {1 << 16, 7};
    for (size_t k = 0; k < 2; k++) {
        struct got g = {0};
        struct ctf_error err;
        assert_int_equal(parse(good, chunks[k], &g, &err), CTF_OK);
        assert_int_equal(g.headers, 1);
        assert_string_equal(g.h.version, "25.0");
        assert_string_equal(g.h.export_date, "2026-11-01");
        assert_string_equal(g.h.source.lea, "804");
        assert_string_equal(g.h.source.estab, "2001");
        assert_string_equal(g.h.source.urn, "130048");
        assert_string_equal(g.h.dest.lea, "999");
        assert_string_equal(g.h.dest.estab, "9999");
        assert_string_equal(g.h.dest.urn, "");
        assert_int_equal(g.h.academic_year, 2026);
        assert_int_equal(g.n, 2);
        const struct ctf_pupil *p = &g.first;
        assert_int_equal(p->index, 1);
        assert_int_equal(p->line, 7);
        assert_string_equal(p->upn, "A999000000017");
        assert_string_equal(p->former_upn, "M80120000500A");
        assert_string_equal(g.last.former_upn, "");
        assert_string_equal(p->surname, "\xc3\x93'Brien");
        assert_string_equal(p->forename, "Zo\xc3\xab");
        assert_string_equal(p->dob, "2018-03-04");
        assert_string_equal(p->gender, "F");
        assert_string_equal(p->nc_year, "4");
        assert_string_equal(p->ethnicity, "WIRI");
        assert_string_equal(p->sen_provision, "E");   /* the latest, not the last */
        assert_int_equal(p->nattendance, 1);
        assert_int_equal(p->attendance[0].year, 2025);
        assert_int_equal(p->attendance[0].possible, 380);
        assert_int_equal(p->attendance[0].authorised, 10);
        assert_int_equal(p->attendance[0].unauthorised, 4);
        assert_int_equal(p->nexclusions, 1);
        assert_string_equal(p->exclusions[0].category, "SUSP");
        assert_string_equal(p->exclusions[0].reason, "DB");
        assert_int_equal(p->exclusions[0].sessions, 4);
        assert_int_equal(p->nfsm, 1);
        assert_string_equal(p->fsm[0].start_date, "2025-09-01");
        assert_string_equal(p->fsm[0].end_date, "");
        assert_false(p->too_many);
        assert_string_equal(p->too_long, "");
        assert_int_equal(g.last.index, 2);
        assert_int_equal(g.last.line, 17);
        assert_string_equal(g.last.gender, "M");
        assert_string_equal(g.last.surname, "Smith & Co");
        assert_string_equal(g.last.sen_provision, "");
    }
}

static void test_stop(void **state)
{
    (void)state;
    struct got g = {.stop_after = 1};
    struct ctf_error err;
    assert_int_equal(parse(good, 1 << 16, &g, &err), CTF_STOPPED);
    assert_int_equal(g.n, 1);
}

static void test_refused(void **state)
{
    (void)state;
    struct ctf_error err;
    struct got g = {0};
    const char *bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE CTfile [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;\">]>\n"
                       "<CTfile><CTFpupilData><Pupil><UPN>&b;</UPN></Pupil></CTFpupilData></CTfile>";
    assert_int_equal(parse(bomb, 1 << 16, &g, &err), CTF_REFUSED);
    assert_int_equal(g.n, 0);
    const char *xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE CTfile [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
                      "<CTfile><CTFpupilData><Pupil><UPN>&x;</UPN></Pupil></CTFpupilData></CTfile>";
    memset(&g, 0, sizeof g);
    assert_int_equal(parse(xxe, 1 << 16, &g, &err), CTF_REFUSED);
    assert_int_equal(g.n, 0);
    /* An undeclared entity is not well-formed. */
    memset(&g, 0, sizeof g);
    assert_int_equal(parse("<CTfile><CTFpupilData><Pupil><UPN>&x;</UPN></Pupil></CTFpupilData></CTfile>", 64, &g,
                           &err),
                     CTF_MALFORMED);
    assert_int_equal(g.n, 0);
}

static void test_malformed(void **state)
{
    (void)state;
    struct ctf_error err;
    struct got g = {0};
    /* Broken at line 3: the pupils before it were handed on, the error has the line. */
    const char *cut = "<CTfile><CTFpupilData>\n<Pupil><UPN>A</UPN></Pupil>\n<Pupil><UPN>B</UPN></Pupl>\n"
                      "</CTFpupilData></CTfile>";
    assert_int_equal(parse(cut, 1 << 16, &g, &err), CTF_MALFORMED);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.message, "not well-formed"));
    memset(&g, 0, sizeof g);
    assert_int_equal(parse("<Other/>", 64, &g, &err), CTF_MALFORMED);
    assert_non_null(strstr(err.message, "CTfile"));
    /* The admissions variant is named, not taken for any XML. */
    memset(&g, 0, sizeof g);
    assert_int_equal(parse("<ATfile><Header/><ATFpupilData/></ATfile>", 64, &g, &err), CTF_MALFORMED);
    assert_non_null(strstr(err.message, "admissions transfer file (ATfile), which is not imported"));
    assert_int_equal(g.n, 0);
    memset(&g, 0, sizeof g);
    assert_int_equal(parse("<CTfile><Header/></CTfile>", 64, &g, &err), CTF_MALFORMED);
    assert_non_null(strstr(err.message, "CTFpupilData"));
    memset(&g, 0, sizeof g);
    assert_int_equal(parse("", 64, &g, &err), CTF_MALFORMED);
    memset(&g, 0, sizeof g);
    assert_int_equal(parse("<CTfile><CTFpupilData>", 64, &g, &err), CTF_MALFORMED);
}

static void test_limits(void **state)
{
    (void)state;
    /* A surname longer than its field is flagged, not cut; too many years flagged. */
    size_t cap = 64 * 1024;
    char *x = malloc(cap);
    assert_non_null(x);
    int n = snprintf(x, cap, "<CTfile><CTFpupilData><Pupil><Surname>");
    for (int i = 0; i < 150; i++)
        x[n++] = 'a';
    n += snprintf(x + n, cap - (size_t)n, "</Surname><Attendance>");
    for (int i = 0; i < CTF_MAX_YEARS + 1; i++)
        n += snprintf(x + n, cap - (size_t)n, "<YearData><Year>2020</Year></YearData>");
    snprintf(x + n, cap - (size_t)n, "</Attendance></Pupil></CTFpupilData></CTfile>");
    struct got g = {0};
    struct ctf_error err;
    assert_int_equal(parse(x, 1 << 16, &g, &err), CTF_OK);
    assert_string_equal(g.first.too_long, "Surname");
    assert_string_equal(g.first.surname, "");
    assert_true(g.first.too_many);
    assert_int_equal(g.first.nattendance, CTF_MAX_YEARS);
    /* Nesting deeper than the reader keeps is refused. */
    n = snprintf(x, cap, "<CTfile>");
    for (int i = 0; i < 60; i++)
        n += snprintf(x + n, cap - (size_t)n, "<a>");
    for (int i = 0; i < 60; i++)
        n += snprintf(x + n, cap - (size_t)n, "</a>");
    snprintf(x + n, cap - (size_t)n, "</CTfile>");
    memset(&g, 0, sizeof g);
    assert_int_equal(parse(x, 1 << 16, &g, &err), CTF_MALFORMED);
    free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_stop),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
