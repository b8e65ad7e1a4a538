/* Teams and meetings through the service layer (svc_teams.c,
 * svc_meetings.c) on a fresh database: validation, planning from term
 * dates, the meeting rules, and team grants resolved by
 * svc_principal_load.  "Today" is fixed at Monday 23 November 2026, in
 * the second half of the autumn term. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/calendar.h"
#include "service/svc_meetings.h"
#include "service/svc_teams.h"
#include "service/svc_users.h"
#include "store/store.h"

#define TODAY_UNIX 1795425600   /* 2026-11-23 09:20 UTC */
#define YEAR 2026

struct fx {
    char dir[64];
    struct store *db;
    struct svc_ctx admin;
    int64_t a1, a2;                  /* authorities */
    int64_t s[5];                    /* schools of a1: 0..3; s[4] is in a2 */
    int64_t lead, coord, other;      /* users */
    int64_t svc_eh, svc_ep, svc_school;
};

static void exec(struct store *db, const char *sql)
{
    struct store_stmt *st = store_prepare(db, sql);
    assert_non_null(st);
    assert_int_equal(store_exec_stmt(st), STORE_OK);
    store_done(st);
}

static int64_t insert_id(struct store *db, const char *sql, const char *text, int64_t n)
{
    struct store_stmt *st = store_prepare(db, sql);
    assert_non_null(st);
    if (text)
        store_bind_text(st, 1, text);
    if (n)
        store_bind_int(st, text ? 2 : 1, n);
    assert_int_equal(store_step(st), STORE_ROW);
    int64_t id = store_col_int(st, 0);
    store_done(st);
    return id;
}

static int64_t school(struct store *db, int64_t authority, const char *name)
{
    static int urn = 100000;
    struct store_stmt *st = store_prepare(db,
        "INSERT INTO schools (authority_id, urn, name, phase, tas_member, created_at, updated_at) "
        "VALUES (?, ?, ?, 'primary', 1, 0, 0) RETURNING id");
    assert_non_null(st);
    char u[16];
    snprintf(u, sizeof u, "%d", ++urn);
    store_bind_int(st, 1, authority);
    store_bind_text(st, 2, u);
    store_bind_text(st, 3, name);
    assert_int_equal(store_step(st), STORE_ROW);
    int64_t id = store_col_int(st, 0);
    store_done(st);
    return id;
}

static int64_t user(struct store *db, const char *name, const char *role, int64_t authority)
{
    int64_t id = insert_id(db,
                           "INSERT INTO users (username, display_name, password_hash, created_at, updated_at) "
                           "VALUES (lower(replace(?1, ' ', '.')), ?1, 'x', 0, 0) RETURNING id",
                           name, 0);
    struct role_grant g;
    memset(&g, 0, sizeof g);
    assert_int_equal(role_from_code(role, &g.role), 0);
    g.scope = SCOPE_AUTHORITY;
    g.scope_id = authority;
    g.authority_id = authority;
    assert_int_equal(q_role_add(db, id, &g), STORE_OK);
    return id;
}

static int64_t service(struct store *db, int64_t authority, const char *code, const char *name)
{
    struct store_stmt *st = store_prepare(db,
        "INSERT INTO services (authority_id, code, name, org_kind, created_at, updated_at) "
        "VALUES (?, ?, ?, 'local_authority', 0, 0) RETURNING id");
    assert_non_null(st);
    store_bind_int(st, 1, authority);
    store_bind_text(st, 2, code);
    store_bind_text(st, 3, name);
    assert_int_equal(store_step(st), STORE_ROW);
    int64_t id = store_col_int(st, 0);
    store_done(st);
    return id;
}

static void terms(struct store *db, int64_t authority)
{
    static const char *const t[6][2] = {
        {"2026-09-03", "2026-10-23"}, {"2026-11-02", "2026-12-18"}, {"2027-01-05", "2027-02-12"},
        {"2027-02-22", "2027-03-26"}, {"2027-04-12", "2027-05-28"}, {"2027-06-07", "2027-07-21"},
    };
    for (int i = 0; i < 6; i++) {
        struct store_stmt *st = store_prepare(db,
            "INSERT INTO term_dates (authority_id, academic_year, half_term, starts_on, ends_on) "
            "VALUES (?, ?, ?, ?, ?)");
        store_bind_int(st, 1, authority);
        store_bind_int(st, 2, YEAR);
        store_bind_int(st, 3, i + 1);
        store_bind_text(st, 4, t[i][0]);
        store_bind_text(st, 5, t[i][1]);
        assert_int_equal(store_exec_stmt(st), STORE_OK);
        store_done(st);
    }
    struct store_stmt *st = store_prepare(db,
        "INSERT INTO closure_days (authority_id, closed_on, reason) VALUES (?, '2027-05-05', 'INSET')");
    store_bind_int(st, 1, authority);
    assert_int_equal(store_exec_stmt(st), STORE_OK);
    store_done(st);
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/tas-svc-teams-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    char path[96], err[256];
    snprintf(path, sizeof path, "%s/t.db", f->dir);
    f->db = store_open(path, err, sizeof err);
    assert_non_null(f->db);
    assert_int_equal(store_migrate(f->db, err, sizeof err), STORE_OK);
    f->a1 = insert_id(f->db, "INSERT INTO authorities (la_code, name, created_at, updated_at) "
                             "VALUES ('990', ?, 0, 0) RETURNING id", "Testshire", 0);
    f->a2 = insert_id(f->db, "INSERT INTO authorities (la_code, name, created_at, updated_at) "
                             "VALUES ('991', ?, 0, 0) RETURNING id", "Elsewhere", 0);
    f->s[0] = school(f->db, f->a1, "Hillside Primary");
    f->s[1] = school(f->db, f->a1, "Brookside Primary");
    f->s[2] = school(f->db, f->a1, "Meadow Infants");
    f->s[3] = school(f->db, f->a1, "Riverside Academy");
    f->s[4] = school(f->db, f->a2, "Faraway Primary");
    f->lead = user(f->db, "Lee Lead", "strategic_lead", f->a1);
    f->coord = user(f->db, "Cat Coord", "case_coordinator", f->a1);
    f->other = user(f->db, "Oona Other", "strategic_lead", f->a2);
    f->svc_eh = service(f->db, f->a1, "early_help", "Early Help");
    f->svc_ep = service(f->db, f->a1, "ep", "Educational Psychology");
    f->svc_school = service(f->db, f->a1, "school", "School");
    svc_ctx_init(&f->admin, f->db, svc_system_principal(), TODAY_UNIX);
    assert_string_equal(f->admin.today, "2026-11-23");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    store_close(f->db);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", f->dir);
    free(f);
    return 0;
}

static const char *id_text(char *buf, int64_t id)
{
    snprintf(buf, 24, "%lld", (long long)id);
    return buf;
}

/* A valid three-weekly Wednesday team at s[0] with s[1], Early Help and
 * Educational Psychology. */
static int64_t make_team(struct fx *f, struct svc_ctx *c, enum svc_status want)
{
    char host[24], sch[24], lead[24], coord[24], eh[24], ep[24];
    struct team_form tf;
    memset(&tf, 0, sizeof tf);
    tf.host_school_id = id_text(host, f->s[0]);
    tf.school_ids[tf.nschools++] = id_text(sch, f->s[1]);
    tf.chair_name = "Mrs Head";
    tf.strategic_lead_user_id = id_text(lead, f->lead);
    tf.case_coordinator_user_id = id_text(coord, f->coord);
    tf.cadence = "three_weekly";
    tf.weekday = "3";
    tf.start_time = "13:30";
    tf.duration_minutes = "90";
    tf.service_ids[tf.nservices++] = id_text(eh, f->svc_eh);
    tf.service_ids[tf.nservices++] = id_text(ep, f->svc_ep);
    struct field_errors e = {0};
    struct team_saved sv;
    enum svc_status st = svc_team_create(c, &tf, &e, &sv);
    assert_int_equal(st, want);
    return st == SVC_OK ? sv.id : 0;
}

static void test_parsers(void **state)
{
    (void)state;
    int32_t d;
    char s[11], t[6];
    assert_int_equal(svc_parse_day("2027-01-14", &d), 0);
    day_format(d, s);
    assert_string_equal(s, "2027-01-14");
    assert_int_equal(svc_parse_day(" 14/1/2027 ", &d), 0);
    day_format(d, s);
    assert_string_equal(s, "2027-01-14");
    assert_int_equal(svc_parse_day("14.01.2027", &d), 0);
    assert_int_equal(svc_parse_day("31/4/2027", &d), -1);
    assert_int_equal(svc_parse_day("14/1/27", &d), -1);
    assert_int_equal(svc_parse_day("14/1/2027/3", &d), -1);
    assert_int_equal(svc_parse_day("", &d), -1);
    assert_int_equal(svc_parse_day(NULL, &d), -1);
    assert_int_equal(svc_parse_time("9:05", t), 0);
    assert_string_equal(t, "09:05");
    assert_int_equal(svc_parse_time("13.30", t), 0);
    assert_string_equal(t, "13:30");
    assert_int_equal(svc_parse_time("24:00", t), -1);
    assert_int_equal(svc_parse_time("12:5", t), -1);
    assert_int_equal(svc_parse_time("noon", t), -1);
    char long_day[48];
    svc_day_long(day_from_ymd(2027, 1, 14), long_day, sizeof long_day);
    assert_string_equal(long_day, "Thursday 14 January 2027");
}

static void test_team_validation(void **state)
{
    struct fx *f = *state;
    char host[24], far[24], lead[24], bad_svc[24];
    struct team_form tf;
    memset(&tf, 0, sizeof tf);
    struct field_errors e = {0};
    struct team_saved sv;
    assert_int_equal(svc_team_create(&f->admin, &tf, &e, &sv), SVC_INVALID);
    assert_non_null(field_errors_get(&e, "host_school_id"));
    assert_non_null(field_errors_get(&e, "cadence"));
    assert_non_null(field_errors_get(&e, "weekday"));
    assert_non_null(field_errors_get(&e, "start_time"));
    assert_non_null(field_errors_get(&e, "duration_minutes"));

    /* Schools, people and services from another authority are refused. */
    memset(&e, 0, sizeof e);
    tf.host_school_id = id_text(host, f->s[0]);
    tf.school_ids[tf.nschools++] = id_text(far, f->s[4]);
    tf.strategic_lead_user_id = id_text(lead, f->other);
    tf.cadence = "fortnightly";
    tf.weekday = "6";
    tf.start_time = "1:30pm";
    tf.duration_minutes = "600";
    tf.service_ids[tf.nservices++] = id_text(bad_svc, 99999);
    assert_int_equal(svc_team_create(&f->admin, &tf, &e, &sv), SVC_INVALID);
    assert_non_null(field_errors_get(&e, "school_ids"));
    assert_non_null(field_errors_get(&e, "strategic_lead_user_id"));
    assert_non_null(field_errors_get(&e, "weekday"));
    assert_non_null(field_errors_get(&e, "start_time"));
    assert_non_null(field_errors_get(&e, "duration_minutes"));
    assert_non_null(field_errors_get(&e, "service_ids"));
    assert_null(field_errors_get(&e, "host_school_id"));

    /* A good team: named after its host, host first among its schools. */
    int64_t id = make_team(f, &f->admin, SVC_OK);
    struct team_row r;
    assert_int_equal(svc_team_get(&f->admin, id, &r), SVC_OK);
    assert_string_equal(r.t.name, "Hillside Primary TAS");
    assert_int_equal(r.t.nschools, 2);
    assert_int_equal(r.t.school_ids[0], f->s[0]);
    assert_int_equal(r.t.nservices, 2);
    assert_string_equal(r.case_coordinator_name, "Cat Coord");
    assert_true(r.t.active);

    /* Listed dates: weekends always refused; holidays once term dates are
     * known; each date planned once. */
    char h2[24];
    struct team_form df;
    memset(&df, 0, sizeof df);
    df.host_school_id = id_text(h2, f->s[3]);
    df.cadence = "dates";
    df.start_time = "14:00";
    df.duration_minutes = "60";
    df.dates = "2027-01-13\n2027-01-16\n";
    memset(&e, 0, sizeof e);
    assert_int_equal(svc_team_create(&f->admin, &df, &e, &sv), SVC_INVALID);
    assert_non_null(strstr(field_errors_get(&e, "dates"), "Saturday 16 January 2027 is not a school day"));
    df.dates = "13 January";
    memset(&e, 0, sizeof e);
    assert_int_equal(svc_team_create(&f->admin, &df, &e, &sv), SVC_INVALID);
    assert_non_null(strstr(field_errors_get(&e, "dates"), "is not a date"));
    terms(f->db, f->a1);
    df.dates = "2027-01-13\n2026-12-23\n";
    memset(&e, 0, sizeof e);
    assert_int_equal(svc_team_create(&f->admin, &df, &e, &sv), SVC_INVALID);
    assert_non_null(strstr(field_errors_get(&e, "dates"), "Wednesday 23 December 2026"));
    df.dates = "2027-01-13\n\n20/1/2027, 13/1/2027";
    memset(&e, 0, sizeof e);
    assert_int_equal(svc_team_create(&f->admin, &df, &e, &sv), SVC_OK);
    assert_int_equal(sv.planned, 2);
    assert_int_equal(sv.existed, 0);

    /* The form's GOV.UK date inputs: each row's error on its own field
     * ("date<row>"), blank rows passed over, the text not read. */
    struct team_form rf = df;
    rf.dates = "not read";
    rf.ndate_rows = 5;
    rf.date_rows[0] = (struct team_date_input){"27", "1", "2027"};
    rf.date_rows[1] = (struct team_date_input){"", "", ""};
    rf.date_rows[2] = (struct team_date_input){"30", "2", "2027"};
    rf.date_rows[3] = (struct team_date_input){"23", "12", "2026"};
    rf.date_rows[4] = (struct team_date_input){"3", "", "2027"};
    memset(&e, 0, sizeof e);
    assert_int_equal(svc_team_create(&f->admin, &rf, &e, &sv), SVC_INVALID);
    assert_null(field_errors_get(&e, "date1"));
    assert_null(field_errors_get(&e, "date2"));
    assert_string_equal(field_errors_get(&e, "date3"), "Meeting date 3 must be a real date");
    assert_non_null(strstr(field_errors_get(&e, "date4"), "Wednesday 23 December 2026, is not a school day"));
    assert_string_equal(field_errors_get(&e, "date5"), "Meeting date 5 must include a month");
    rf.date_rows[0] = rf.date_rows[1];
    rf.date_rows[2] = rf.date_rows[1];
    rf.date_rows[3] = rf.date_rows[1];
    rf.date_rows[4] = rf.date_rows[1];
    memset(&e, 0, sizeof e);
    assert_int_equal(svc_team_create(&f->admin, &rf, &e, &sv), SVC_INVALID);
    assert_string_equal(field_errors_get(&e, "date1"), "Enter the dates the team will meet");
    rf.date_rows[1] = (struct team_date_input){" 27", "01", "2027 "};
    rf.date_rows[4] = (struct team_date_input){"3", "2", "2027"};
    memset(&e, 0, sizeof e);
    assert_int_equal(svc_team_create(&f->admin, &rf, &e, &sv), SVC_OK);
    assert_int_equal(sv.planned, 2);
}

struct days {
    int32_t days[64];
    size_t n;
};

static void collect(void *arg, const struct meeting_row *m)
{
    struct days *g = arg;
    int32_t d;
    if (g->n < 64 && day_parse(m->m.date, &d) == 0)
        g->days[g->n++] = d;
}

static void keep_first(void *arg, const struct meeting_row *m)
{
    *(struct meeting_row *)arg = *m;
}

static void test_plan(void **state)
{
    struct fx *f = *state;
    int64_t id = make_team(f, &f->admin, SVC_OK);
    struct field_errors e = {0};
    struct schedule_result res;
    assert_int_equal(svc_team_plan(&f->admin, id, "2026", "yes", &e, &res), SVC_INVALID);
    assert_true(res.no_terms);
    assert_non_null(field_errors_get(&e, "year"));

    terms(f->db, f->a1);
    memset(&e, 0, sizeof e);
    assert_int_equal(svc_team_plan(&f->admin, id, NULL, NULL, &e, &res), SVC_OK);
    assert_int_equal(res.year, YEAR);
    assert_string_equal(res.from, "2026-11-23");
    size_t from_today = res.planned;
    assert_true(from_today >= 8 && from_today <= 14);

    memset(&e, 0, sizeof e);
    assert_int_equal(svc_team_plan(&f->admin, id, "2026", "yes", &e, &res), SVC_OK);
    size_t earlier = res.planned;
    assert_true(earlier >= 3 && earlier <= 6);
    assert_int_equal(res.existed, from_today);

    /* Every meeting a Wednesday school day; planning again adds none. */
    struct half_term ht[6];
    size_t nt;
    assert_int_equal(q_team_terms(f->db, f->a1, YEAR, ht, &nt), STORE_OK);
    assert_int_equal(nt, 6);
    int32_t closed = day_from_ymd(2027, 5, 5);
    struct meeting_filter mf = {id, "", "", "", f->admin.today, MEETING_OLDEST_FIRST, 0, NULL};
    struct page_req pg = {1, 200};
    int64_t total;
    struct days got = {{0}, 0};
    assert_int_equal(svc_meeting_list(&f->admin, &mf, &pg, &total, collect, &got), SVC_OK);
    assert_int_equal((size_t)total, from_today + earlier);
    for (size_t i = 0; i < got.n; i++) {
        assert_int_equal(day_weekday(got.days[i]), 3);
        assert_true(school_day(got.days[i], ht, nt, &closed, 1));
    }
    memset(&e, 0, sizeof e);
    assert_int_equal(svc_team_plan(&f->admin, id, "2026", "yes", &e, &res), SVC_OK);
    assert_int_equal(res.planned, 0);
    assert_int_equal(res.existed, from_today + earlier);

    /* A meeting moved within its week is not planned again. */
    struct meeting_row first;
    struct page_req one = {1, 1};
    struct meeting_filter next = {id, "planned", f->admin.today, "", f->admin.today, MEETING_OLDEST_FIRST, 0, NULL};
    assert_int_equal(svc_meeting_list(&f->admin, &next, &one, &total, keep_first, &first), SVC_OK);
    int32_t d;
    assert_int_equal(day_parse(first.m.date, &d), 0);
    char moved[11];
    day_format(d + 1, moved);
    memset(&e, 0, sizeof e);
    assert_int_equal(svc_meeting_move(&f->admin, first.m.id, moved, "15:00", &e), SVC_OK);
    memset(&e, 0, sizeof e);
    assert_int_equal(svc_team_plan(&f->admin, id, "2026", "yes", &e, &res), SVC_OK);
    assert_int_equal(res.planned, 0);
}

/* Planning "from today" keeps the whole year's rhythm, whatever today is:
 * after the year is planned, a plan from any day of it adds nothing, and a
 * fresh plan from any day is the whole year's days from that day on.  (It
 * used to restart a three-weekly rhythm at today, adding an off-rhythm
 * meeting on two days in three.) */
static void test_plan_from_any_day(void **state)
{
    struct fx *f = *state;
    terms(f->db, f->a1);
    int64_t id = make_team(f, &f->admin, SVC_OK);
    struct field_errors e = {0};
    struct schedule_result res;
    assert_int_equal(svc_team_plan(&f->admin, id, "2026", "yes", &e, &res), SVC_OK);
    size_t whole = res.planned;
    assert_true(whole >= 12 && whole <= 20);
    struct meeting_filter mf = {id, "", "", "", f->admin.today, MEETING_OLDEST_FIRST, 0, NULL};
    struct page_req pg = {1, 200};
    int64_t total;
    struct days year = {{0}, 0};
    assert_int_equal(svc_meeting_list(&f->admin, &mf, &pg, &total, collect, &year), SVC_OK);
    assert_int_equal(year.n, whole);

    int32_t first = day_from_ymd(2026, 9, 1), last = day_from_ymd(2027, 7, 21);
    for (int32_t d = first; d <= last; d += 4) {
        struct svc_ctx c = f->admin;
        c.now = ((int64_t)d) * 86400 + 9 * 3600;
        day_format(d, c.today);
        memset(&e, 0, sizeof e);
        assert_int_equal(svc_team_plan(&c, id, "2026", NULL, &e, &res), SVC_OK);
        if (res.planned != 0)
            fail_msg("planning from %s added %zu meetings", c.today, res.planned);
        size_t left = 0;
        for (size_t i = 0; i < year.n; i++)
            left += year.days[i] >= d;
        assert_int_equal(res.existed, left);
    }

    /* A second team planned only from a day in the spring term meets on
     * the whole year's days from then on. */
    int64_t id2 = make_team(f, &f->admin, SVC_OK);
    struct svc_ctx c = f->admin;
    int32_t spring = day_from_ymd(2027, 2, 3);
    c.now = ((int64_t)spring) * 86400 + 9 * 3600;
    day_format(spring, c.today);
    memset(&e, 0, sizeof e);
    assert_int_equal(svc_team_plan(&c, id2, "2026", NULL, &e, &res), SVC_OK);
    struct meeting_filter mf2 = {id2, "", "", "", f->admin.today, MEETING_OLDEST_FIRST, 0, NULL};
    struct days later = {{0}, 0};
    assert_int_equal(svc_meeting_list(&f->admin, &mf2, &pg, &total, collect, &later), SVC_OK);
    size_t k = 0;
    for (size_t i = 0; i < year.n; i++)
        if (year.days[i] >= spring) {
            assert_true(k < later.n);
            assert_int_equal(later.days[k++], year.days[i]);
        }
    assert_int_equal(k, later.n);
}

static int64_t add_meeting(struct fx *f, int64_t team, const char *date)
{
    struct field_errors e = {0};
    int64_t id = 0;
    assert_int_equal(svc_meeting_add(&f->admin, team, date, NULL, &e, &id), SVC_OK);
    return id;
}

static void test_meeting_rules(void **state)
{
    struct fx *f = *state;
    int64_t team = make_team(f, &f->admin, SVC_OK);
    int64_t past = add_meeting(f, team, "2026-11-18");
    int64_t future = add_meeting(f, team, "9/12/2026");
    struct field_errors e = {0};
    int64_t dup;
    assert_int_equal(svc_meeting_add(&f->admin, team, "2026-11-18", "13:30", &e, &dup), SVC_INVALID);
    assert_non_null(field_errors_get(&e, "date"));
    memset(&e, 0, sizeof e);
    assert_int_equal(svc_meeting_add(&f->admin, team, "2026-11-21", "13:30", &e, &dup), SVC_INVALID);  /* Saturday */

    /* Attendance waits for the meeting to be held. */
    struct attendance_input in[] = {{"school", "present", "Mrs Head"}, {"strategic_lead", "apologies", NULL},
                                    {"case_coordinator", "present", NULL}};
    memset(&e, 0, sizeof e);
    assert_int_equal(svc_meeting_attendance_save(&f->admin, past, in, 3, &e), SVC_INVALID);
    assert_non_null(field_errors_get(&e, "attendance"));

    memset(&e, 0, sizeof e);
    assert_int_equal(svc_meeting_mark_held(&f->admin, future, "in_person", &e), SVC_INVALID);
    assert_non_null(strstr(field_errors_get(&e, "mode"), "Wednesday 9 December 2026"));
    memset(&e, 0, sizeof e);
    assert_int_equal(svc_meeting_mark_held(&f->admin, past, "by_pigeon", &e), SVC_INVALID);
    memset(&e, 0, sizeof e);
    assert_int_equal(svc_meeting_mark_held(&f->admin, past, "in_person", &e), SVC_OK);

    /* The sheet: school (as the "school" service), lead, coordinator, members. */
    struct meeting_row m;
    assert_int_equal(svc_meeting_get(&f->admin, past, &m), SVC_OK);
    struct sheet_line lines[SHEET_MAX];
    size_t n;
    assert_int_equal(svc_meeting_sheet(&f->admin, &m, lines, SHEET_MAX, &n), SVC_OK);
    assert_int_equal(n, 5);
    assert_string_equal(lines[0].key, "school");
    assert_int_equal(lines[0].service_id, f->svc_school);
    assert_string_equal(lines[0].person_name, "Mrs Head");
    assert_string_equal(lines[1].person_name, "Lee Lead");
    assert_string_equal(lines[3].label, "Early Help");

    memset(&e, 0, sizeof e);
    assert_int_equal(svc_meeting_attendance_save(&f->admin, past, in, 3, &e), SVC_INVALID);
    assert_int_equal(e.count, 2);   /* the two services */
    char k3[24], k4[24];
    snprintf(k3, sizeof k3, "svc-%lld", (long long)f->svc_eh);
    snprintf(k4, sizeof k4, "svc-%lld", (long long)f->svc_ep);
    struct attendance_input all[] = {in[0], in[1], in[2], {k3, "absent", NULL}, {k4, "present", "Dr Psych"}};
    memset(&e, 0, sizeof e);
    assert_int_equal(svc_meeting_attendance_save(&f->admin, past, all, 5, &e), SVC_OK);
    int64_t g;
    memset(&e, 0, sizeof e);
    assert_int_equal(svc_meeting_guest_add(&f->admin, past, "Pat", "", NULL, &e, &g), SVC_INVALID);
    memset(&e, 0, sizeof e);
    assert_int_equal(svc_meeting_guest_add(&f->admin, past, "Pat", "Social Worker (Adoption Team)", NULL, &e, &g),
                     SVC_OK);
    /* Saving again replaces the standing rows and keeps the guest. */
    memset(&e, 0, sizeof e);
    assert_int_equal(svc_meeting_attendance_save(&f->admin, past, all, 5, &e), SVC_OK);
    assert_int_equal(svc_meeting_get(&f->admin, past, &m), SVC_OK);
    assert_int_equal(m.attendance_count, 6);
    assert_int_equal(svc_meeting_guest_remove(&f->admin, past, g), SVC_OK);
    assert_int_equal(svc_meeting_guest_remove(&f->admin, past, g), SVC_NOT_FOUND);

    /* Cancelling needs a reason; a held meeting cannot be cancelled; a
     * cancelled one is reinstated before it can be held. */
    memset(&e, 0, sizeof e);
    assert_int_equal(svc_meeting_cancel(&f->admin, past, "School closure", &e), SVC_INVALID);
    int64_t other = add_meeting(f, team, "2026-11-11");
    memset(&e, 0, sizeof e);
    assert_int_equal(svc_meeting_cancel(&f->admin, other, "   ", &e), SVC_INVALID);
    assert_string_equal(field_errors_get(&e, "cancel_reason"), "Enter why the meeting was cancelled");
    memset(&e, 0, sizeof e);
    assert_int_equal(svc_meeting_cancel(&f->admin, other, "Key staff unavailable", &e), SVC_OK);
    memset(&e, 0, sizeof e);
    assert_int_equal(svc_meeting_mark_held(&f->admin, other, "online", &e), SVC_INVALID);
    memset(&e, 0, sizeof e);
    assert_int_equal(svc_meeting_reinstate(&f->admin, other, &e), SVC_OK);
    memset(&e, 0, sizeof e);
    assert_int_equal(svc_meeting_mark_held(&f->admin, other, "online", &e), SVC_OK);
    struct meeting_counts mc;
    struct team_row tr;
    assert_int_equal(svc_team_get(&f->admin, team, &tr), SVC_OK);
    assert_int_equal(svc_team_meeting_counts(&f->admin, &tr, &mc), SVC_OK);
    assert_int_equal(mc.held, 2);
    assert_int_equal(mc.online, 1);
    assert_int_equal(mc.planned, 1);
    assert_int_equal(mc.unrecorded, 0);   /* the planned one is in December */
}

static void test_team_grants(void **state)
{
    struct fx *f = *state;
    int64_t team = make_team(f, &f->admin, SVC_OK);
    struct role_grant g;
    memset(&g, 0, sizeof g);
    g.role = ROLE_PRACTITIONER;
    g.scope = SCOPE_TEAM;
    g.scope_id = team;
    g.authority_id = 0;   /* filled from the team */
    int64_t uid = insert_id(f->db, "INSERT INTO users (username, display_name, password_hash, created_at, "
                                   "updated_at) VALUES ('tp', ?, 'x', 0, 0) RETURNING id", "Team Prac", 0);
    assert_int_equal(q_role_add(f->db, uid, &g), STORE_OK);
    struct principal p;
    assert_int_equal(svc_principal_load(f->db, uid, &p), SVC_OK);
    assert_int_equal(p.ngrants, 1);
    assert_int_equal(p.grants[0].authority_id, f->a1);
    assert_int_equal(p.grants[0].nschools, 2);

    struct svc_ctx c;
    svc_ctx_init(&c, f->db, &p, TODAY_UNIX);
    struct team_row r;
    assert_int_equal(svc_team_get(&c, team, &r), SVC_OK);
    assert_false(svc_team_may(&c, ACT_EDIT, &r));
    assert_true(svc_allowed(&c, ACT_VIEW, RES_PUPIL, 0, f->a1, f->s[1]));
    assert_false(svc_allowed(&c, ACT_VIEW, RES_PUPIL, 0, f->a1, f->s[2]));
    struct field_errors e = {0};
    struct schedule_result res;
    assert_int_equal(svc_team_plan(&c, team, NULL, NULL, &e, &res), SVC_FORBIDDEN);
    make_team(f, &c, SVC_FORBIDDEN);

    /* A coordinator scoped to the team may edit it but not make others
     * elsewhere. */
    exec(f->db, "UPDATE user_roles SET role = 'case_coordinator'");
    assert_int_equal(svc_principal_load(f->db, uid, &p), SVC_OK);
    assert_true(svc_team_may(&c, ACT_EDIT, &r));

    /* An inactive team opens no schools. */
    exec(f->db, "UPDATE teams SET active = 0");
    assert_int_equal(svc_principal_load(f->db, uid, &p), SVC_OK);
    assert_int_equal(p.grants[0].nschools, 0);
    assert_false(svc_allowed(&c, ACT_VIEW, RES_PUPIL, 0, f->a1, f->s[1]));
    assert_int_equal(svc_team_get(&c, team, &r), SVC_NOT_FOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parsers),
        cmocka_unit_test_setup_teardown(test_team_validation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plan_from_any_day, setup, teardown),
        cmocka_unit_test_setup_teardown(test_meeting_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_team_grants, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
