/* Outcomes and toolkits through the service layer (svc_outcomes.c,
 * svc_toolkits.c) on a fresh database: a threshold crossed puts the pupil
 * on the coordinator's work list, and only then; roles that may not see the
 * pupil's case records are refused; outcome records, before and after a
 * case, and an import that writes all or nothing.  "Today" is Monday 23
 * November 2026. */
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
#include "service/secrets.h"
#include "service/svc_outcomes.h"
#include "service/svc_toolkits.h"
#include "store/store.h"

#define TODAY_UNIX 1795425600   /* 2026-11-23 09:20 UTC */

struct fx {
    char dir[64];
    struct store *db;
    struct svc_ctx admin;
    int64_t a1, a2, s0, s1, s2;
    int64_t p1, p2;              /* p1 at s0 (authority a1); p2 at s2 (a2) */
    int64_t team, case1;
    int64_t u_coord, u_lead, u_eval, u_prac, u_far;
    struct principal coord, school_lead, evaluator, practitioner, far_coord;
};

static int64_t insert_id(struct store *db, const char *sql, int64_t a, int64_t b, const char *text)
{
    struct store_stmt *st = store_prepare(db, sql);
    assert_non_null(st);
    int i = 1;
    if (a)
        store_bind_int(st, i++, a);
    if (b)
        store_bind_int(st, i++, b);
    if (text)
        store_bind_text(st, i, text);
    assert_int_equal(store_step(st), STORE_ROW);
    int64_t id = store_col_int(st, 0);
    store_done(st);
    return id;
}

static int64_t school(struct fx *f, int64_t authority, const char *urn)
{
    return insert_id(f->db, "INSERT INTO schools (authority_id, urn, name, phase, tas_member, created_at, updated_at) "
                            "VALUES (?, ?, 'A School', 'primary', 1, 0, 0) RETURNING id", authority, 0, urn);
}

static int64_t pupil(struct fx *f, int64_t school_id, const char *upn)
{
    return insert_id(f->db, "INSERT INTO pupils (school_id, upn, forenames, surname, date_of_birth, gender, "
                            "ethnicity, nc_year, sen_provision, created_at, updated_at) "
                            "VALUES (?, ?, 'Sam', 'Pupil', '2017-05-01', 'F', 'WBRI', '4', 'N', 0, 0) RETURNING id",
                     school_id, 0, upn);
}

static int64_t user(struct fx *f, const char *name)
{
    return insert_id(f->db, "INSERT INTO users (username, display_name, password_hash, created_at, updated_at) "
                            "VALUES (?1, ?1, 'x', 0, 0) RETURNING id", 0, 0, name);
}

static void grant(struct principal *p, int64_t user_id, enum role r, enum scope_kind s, int64_t scope_id,
                  int64_t authority)
{
    memset(p, 0, sizeof *p);
    p->user_id = user_id;
    p->ngrants = 1;
    p->grants[0] = (struct role_grant){.role = r, .scope = s, .scope_id = scope_id, .authority_id = authority};
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/tas-svc-outcomes-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    char path[96], err[256];
    snprintf(path, sizeof path, "%s/t.db", f->dir);
    f->db = store_open(path, err, sizeof err);
    assert_non_null(f->db);
    assert_int_equal(store_migrate(f->db, err, sizeof err), STORE_OK);
    /* The audit chain is keyed: a server key for these tests. */
    assert_int_equal(setenv("TAS_SECRET_KEY", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", 1), 0);
    assert_int_equal(secrets_load("/nonexistent/only-the-env-is-read.db", err, sizeof err), 0);
    f->a1 = insert_id(f->db, "INSERT INTO authorities (la_code, name, created_at, updated_at) "
                             "VALUES ('990', ?, 0, 0) RETURNING id", 0, 0, "Testshire");
    f->a2 = insert_id(f->db, "INSERT INTO authorities (la_code, name, created_at, updated_at) "
                             "VALUES ('991', ?, 0, 0) RETURNING id", 0, 0, "Elsewhere");
    f->s0 = school(f, f->a1, "100001");
    f->s1 = school(f, f->a1, "100002");
    f->s2 = school(f, f->a2, "100003");
    f->p1 = pupil(f, f->s0, "A123456789012");
    f->p2 = pupil(f, f->s2, "B123456789012");
    f->team = insert_id(f->db, "INSERT INTO teams (authority_id, host_school_id, name, cadence, created_at, "
                               "updated_at) VALUES (?, ?, 'Hillside TAS', 'half_termly', 0, 0) RETURNING id",
                        f->a1, f->s0, NULL);
    f->case1 = insert_id(f->db, "INSERT INTO cases (pupil_id, team_id, opened_on, created_at, updated_at) "
                                "VALUES (?, ?, '2026-01-20', 0, 0) RETURNING id", f->p1, f->team, NULL);
    f->u_coord = user(f, "coord");
    f->u_lead = user(f, "lead");
    f->u_eval = user(f, "eval");
    f->u_prac = user(f, "prac");
    f->u_far = user(f, "far");
    grant(&f->coord, f->u_coord, ROLE_CASE_COORDINATOR, SCOPE_AUTHORITY, f->a1, f->a1);
    grant(&f->school_lead, f->u_lead, ROLE_SCHOOL_LEAD, SCOPE_SCHOOL, f->s1, f->a1);  /* another school */
    grant(&f->evaluator, f->u_eval, ROLE_EVALUATOR, SCOPE_AUTHORITY, f->a1, f->a1);
    grant(&f->practitioner, f->u_prac, ROLE_PRACTITIONER, SCOPE_TEAM, f->team, f->a1);
    f->practitioner.grants[0].nschools = 1;
    f->practitioner.grants[0].school_ids[0] = f->s0;
    snprintf(f->practitioner.grants[0].detail, sizeof f->practitioner.grants[0].detail, "ep");
    grant(&f->far_coord, f->u_far, ROLE_CASE_COORDINATOR, SCOPE_AUTHORITY, f->a2, f->a2);
    svc_ctx_init(&f->admin, f->db, svc_system_principal(), TODAY_UNIX);
    assert_string_equal(f->admin.today, "2026-11-23");
    size_t loaded = 0;
    assert_int_equal(svc_toolkit_load_builtin(&f->admin, &loaded), SVC_OK);
    assert_int_equal(loaded, 2);
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

static struct svc_ctx as(struct fx *f, const struct principal *p)
{
    struct svc_ctx c;
    svc_ctx_init(&c, f->db, p, TODAY_UNIX);
    return c;
}

static int64_t count(struct fx *f, const char *sql, int64_t id)
{
    struct store_stmt *st = store_prepare(f->db, sql);
    assert_non_null(st);
    if (id)
        store_bind_int(st, 1, id);
    assert_int_equal(store_step(st), STORE_ROW);
    int64_t n = store_col_int(st, 0);
    store_done(st);
    return n;
}

/* Answers giving every item of the early-concerns checklist the value v. */
static void all_answers(struct fx *f, int v, char *out, size_t outsz)
{
    struct toolkit_def_row row;
    char *body = NULL;
    assert_int_equal(q_toolkit_def_latest(f->db, "early-concerns", &row, &body), STORE_ROW);
    struct toolkit_def *d = malloc(sizeof *d);
    struct tk_errors e;
    assert_int_equal(toolkit_parse(body, d, &e), 0);
    int ans[TK_MAX_ITEMS];
    for (size_t i = 0; i < d->nitems; i++)
        ans[i] = v;
    assert_int_equal(toolkit_answers_format(d, ans, out, outsz), 0);
    free(d);
    free(body);
}

struct flags {
    size_t n;
    int64_t pupil;
    int64_t score;
};

static void flag_seen(void *arg, const struct worklist_flag_row *r)
{
    struct flags *fl = arg;
    fl->n++;
    fl->pupil = r->pupil_id;
    fl->score = r->score;
}

static void complete_with(struct fx *f, struct svc_ctx *c, int v, const char *on, struct tk_result *res)
{
    int64_t id = 0;
    assert_int_equal(svc_toolkit_start(c, f->p1, f->case1, "early-concerns", &id), SVC_OK);
    char answers[TK_ANSWERS_MAX];
    all_answers(f, v, answers, sizeof answers);
    struct field_errors e = {0};
    assert_int_equal(svc_toolkit_save(c, id, answers, true, on, &e, res), SVC_OK);
}

static void test_threshold_flags_pupil(void **state)
{
    struct fx *f = *state;
    struct svc_ctx c = as(f, &f->coord);
    int64_t id = 0;
    assert_int_equal(svc_toolkit_start(&c, f->p1, f->case1, "early-concerns", &id), SVC_OK);
    /* A draft keeps partial answers; completing needs them all. */
    struct field_errors e = {0};
    struct tk_result res;
    assert_int_equal(svc_toolkit_save(&c, id, "ci1=2,cl1=1", false, NULL, &e, &res), SVC_OK);
    assert_false(res.crossed);
    assert_int_equal(svc_toolkit_save(&c, id, "ci1=2,cl1=1", true, NULL, &e, &res), SVC_INVALID);
    assert_non_null(field_errors_get(&e, "answers"));
    memset(&e, 0, sizeof e);
    assert_int_equal(svc_toolkit_save(&c, id, "ci1=7", false, NULL, &e, &res), SVC_INVALID);

    /* No checklist on file until one is completed (a draft does not count). */
    bool on_file = true;
    assert_int_equal(svc_toolkit_on_file(&c, f->p1, "early-concerns", &on_file), SVC_OK);
    assert_false(on_file);

    /* First completion below the threshold (24 items x 0 = 0): no flag. */
    complete_with(f, &c, 0, "2026-10-01", &res);
    assert_int_equal(svc_toolkit_on_file(&c, f->p1, "early-concerns", &on_file), SVC_OK);
    assert_true(on_file);
    assert_int_equal(svc_toolkit_on_file(&c, f->p1, "behaviour-vulnerability", &on_file), SVC_OK);
    assert_false(on_file);
    assert_false(res.crossed);
    assert_false(res.has_previous);
    assert_string_equal(res.band_code, "few");
    struct flags fl = {0};
    assert_int_equal(svc_toolkit_flags(&c, flag_seen, &fl), SVC_OK);
    assert_int_equal(fl.n, 0);

    /* Then every item "sometimes" (24): over the threshold of 16, crossed. */
    complete_with(f, &c, 1, "2026-11-20", &res);
    assert_true(res.has_previous);
    assert_int_equal(res.previous_score, 0);
    assert_int_equal(res.change, 24);
    assert_true(res.crossed);
    assert_string_equal(res.band_code, "significant");
    assert_int_equal(svc_toolkit_flags(&c, flag_seen, &fl), SVC_OK);
    assert_int_equal(fl.n, 1);
    assert_int_equal(fl.pupil, f->p1);
    assert_int_equal(fl.score, 24);

    /* Still over it next time: not crossed again, no second flag. */
    complete_with(f, &c, 2, "2026-11-23", &res);
    assert_false(res.crossed);
    assert_int_equal(res.change, 24);
    memset(&fl, 0, sizeof fl);
    assert_int_equal(svc_toolkit_flags(&c, flag_seen, &fl), SVC_OK);
    assert_int_equal(fl.n, 1);

    /* A completed toolkit cannot be changed. */
    assert_int_equal(svc_toolkit_save(&c, id, "ci1=1", false, NULL, &e, &res), SVC_OK);
    int64_t done = count(f, "SELECT max(id) FROM toolkit_completions", 0);
    assert_int_equal(svc_toolkit_save(&c, done, "ci1=1", false, NULL, &e, &res), SVC_CONFLICT);

    /* Each change is in the audit log, with the pupil. */
    assert_true(count(f, "SELECT count(*) FROM audit_log WHERE resource_kind = 'worklist_flag' AND pupil_id = ?",
                      f->p1) == 1);
    assert_true(count(f, "SELECT count(*) FROM audit_log WHERE resource_kind = 'toolkit_completion' "
                         "AND pupil_id = ?", f->p1) >= 7);

    /* Clearing the flag takes the pupil off the list. */
    int64_t flag = count(f, "SELECT max(id) FROM worklist_flags", 0);
    assert_int_equal(svc_toolkit_flag_clear(&c, flag), SVC_OK);
    memset(&fl, 0, sizeof fl);
    assert_int_equal(svc_toolkit_flags(&c, flag_seen, &fl), SVC_OK);
    assert_int_equal(fl.n, 0);
}

static void test_versions_kept(void **state)
{
    struct fx *f = *state;
    struct svc_ctx c = as(f, &f->coord);
    int64_t id = 0;
    assert_int_equal(svc_toolkit_start(&c, f->p1, 0, "behaviour-vulnerability", &id), SVC_OK);
    /* A revision: version 2 with one more item.  The draft keeps version 1. */
    struct toolkit_def_row row;
    char *body = NULL;
    assert_int_equal(q_toolkit_def_latest(f->db, "behaviour-vulnerability", &row, &body), STORE_ROW);
    size_t len = strlen(body);
    char *v2 = malloc(len + 200);
    char *at = strstr(body, "| 1 |");
    assert_non_null(at);
    memcpy(v2, body, (size_t)(at - body));
    snprintf(v2 + (at - body), len + 200 - (size_t)(at - body), "| 2 |%s\nsection | x | Extra\n"
             "item | x1 | level | Something else\n", at + 5);
    struct tk_errors errs;
    bool unchanged = true;
    struct svc_ctx coord_ctx = as(f, &f->coord);
    assert_int_equal(svc_toolkit_load(&coord_ctx, v2, &errs, &row, &unchanged), SVC_FORBIDDEN);
    assert_int_equal(svc_toolkit_load(&f->admin, v2, &errs, &row, &unchanged), SVC_OK);
    assert_false(unchanged);
    assert_int_equal(row.version, 2);
    /* Loading the same version with other text is refused; the same text is a no-op. */
    assert_int_equal(svc_toolkit_load(&f->admin, body, &errs, &row, &unchanged), SVC_CONFLICT);
    assert_int_equal(svc_toolkit_load(&f->admin, v2, &errs, &row, &unchanged), SVC_OK);
    assert_true(unchanged);
    struct toolkit_completion_row *cr = malloc(sizeof *cr);
    assert_int_equal(svc_toolkit_completion_get(&c, id, cr), SVC_OK);
    assert_int_equal(cr->version, 1);
    struct field_errors e = {0};
    struct tk_result res;
    /* x1 is not in version 1. */
    assert_int_equal(svc_toolkit_save(&c, id, "x1=1", false, NULL, &e, &res), SVC_INVALID);
    int64_t id2 = 0;
    assert_int_equal(svc_toolkit_start(&c, f->p1, 0, "behaviour-vulnerability", &id2), SVC_OK);
    assert_int_equal(svc_toolkit_completion_get(&c, id2, cr), SVC_OK);
    assert_int_equal(cr->version, 2);
    free(cr);
    free(v2);
    free(body);
}

static void noop_outcome(void *arg, const struct outcome_row *r)
{
    (*(size_t *)arg)++;
    (void)r;
}

static void noop_completion(void *arg, const struct toolkit_completion_row *r)
{
    (*(size_t *)arg)++;
    (void)r;
}

static void test_access_refused(void **state)
{
    struct fx *f = *state;
    struct svc_ctx c = as(f, &f->coord);
    int64_t id = 0;
    assert_int_equal(svc_toolkit_start(&c, f->p1, 0, "early-concerns", &id), SVC_OK);
    struct outcome_record r = {.kind = OUT_EAL, .starts = 0};
    assert_int_equal(day_parse("2025-09-01", &r.starts), 0);
    struct field_errors e = {0};
    int64_t oid = 0;
    assert_int_equal(svc_outcome_add(&c, f->p1, &r, &e, &oid), SVC_OK);

    const struct principal *refused[] = {&f->school_lead, &f->evaluator, &f->practitioner, &f->far_coord};
    for (size_t i = 0; i < 4; i++) {
        struct svc_ctx o = as(f, refused[i]);
        size_t n = 0;
        assert_int_equal(svc_outcome_list(&o, f->p1, noop_outcome, &n), SVC_NOT_FOUND);
        assert_int_equal(svc_toolkit_completions(&o, f->p1, noop_completion, &n), SVC_NOT_FOUND);
        bool on_file = false;
        assert_int_equal(svc_toolkit_on_file(&o, f->p1, "early-concerns", &on_file), SVC_NOT_FOUND);
        assert_int_equal(n, 0);
        struct toolkit_completion_row *cr = malloc(sizeof *cr);
        assert_int_equal(svc_toolkit_completion_get(&o, id, cr), SVC_NOT_FOUND);
        free(cr);
        int64_t nid = 0;
        assert_true(svc_toolkit_start(&o, f->p1, 0, "early-concerns", &nid) != SVC_OK);
        struct tk_result res;
        assert_true(svc_toolkit_save(&o, id, "ci1=1", false, NULL, &e, &res) != SVC_OK);
        assert_true(svc_outcome_add(&o, f->p1, &r, &e, &oid) != SVC_OK);
        struct outcome_compare cmp;
        char presented[11];
        assert_int_equal(svc_outcome_compare(&o, f->case1, 1, &cmp, presented), SVC_NOT_FOUND);
        struct flags fl = {0};
        enum svc_status st = svc_toolkit_flags(&o, flag_seen, &fl);
        assert_true(st == SVC_FORBIDDEN || (st == SVC_OK && fl.n == 0));
    }
    /* The coordinator of one authority does not reach another's pupil. */
    size_t n = 0;
    assert_int_equal(svc_outcome_list(&c, f->p2, noop_outcome, &n), SVC_NOT_FOUND);
    assert_int_equal(count(f, "SELECT count(*) FROM outcome_records", 0), 1);
}

static void test_outcomes_and_before_after(void **state)
{
    struct fx *f = *state;
    struct svc_ctx c = as(f, &f->coord);
    struct half_term ht[12];
    int32_t cl[8];
    english_default_terms(2024, ht, cl, 8);
    english_default_terms(2025, ht + 6, cl, 8);
    struct term_span t[6];
    assert_int_equal(terms_from_half_terms(ht, 12, t, 6), 6);
    /* The case opened on 2026-01-20 (spring 2025/26, t[4]), never presented:
     * one term either side is autumn 2025 (t[3]) and summer 2026 (t[5]). */
    struct outcome_record recs[3] = {
        {.kind = OUT_ATTENDANCE, .starts = t[3].starts, .ends = t[3].ends, .sessions_possible = 140,
         .sessions_missed = 28},
        {.kind = OUT_ATTENDANCE, .starts = t[5].starts, .ends = t[5].ends, .sessions_possible = 120,
         .sessions_missed = 6},
        {.kind = OUT_SUSPENSION, .starts = t[3].starts + 14, .sessions = 2, .code = "DB"},
    };
    struct field_errors e = {0};
    int64_t id = 0;
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(svc_outcome_add(&c, f->p1, &recs[i], &e, &id), SVC_OK);
    struct outcome_record badr = {.kind = OUT_SUSPENSION, .starts = t[3].starts, .sessions = 2, .code = "XX"};
    assert_int_equal(svc_outcome_add(&c, f->p1, &badr, &e, &id), SVC_INVALID);
    assert_non_null(field_errors_get(&e, "code"));

    struct outcome_compare cmp;
    char presented[11];
    assert_int_equal(svc_outcome_compare(&c, f->case1, 1, &cmp, presented), SVC_OK);
    assert_string_equal(presented, "2026-01-20");
    assert_true(cmp.w.complete);
    assert_int_equal(cmp.before.sessions_possible, 140);
    assert_int_equal(cmp.after.sessions_possible, 120);
    assert_int_equal(cmp.attendance, CHANGE_ROSE);
    assert_int_equal(cmp.suspensions, CHANGE_FELL);
    assert_true(cmp.stayed_in_mainstream);
    struct svc_ctx o = as(f, &f->school_lead);
    assert_int_equal(svc_outcome_compare(&o, f->case1, 1, &cmp, presented), SVC_NOT_FOUND);
}

static size_t nbad;
static void count_bad(void *arg, size_t line, const char *field, const char *why)
{
    (void)arg;
    (void)line;
    (void)field;
    (void)why;
    nbad++;
}

/* What svc_outcomes_import said of how far it had got, call by call. */
static char told[256];
static void record_checked(void *arg, size_t checked, size_t written, size_t n)
{
    (void)arg;
    size_t len = strlen(told);
    snprintf(told + len, sizeof told - len, "%zu/%zu/%zu ", checked, written, n);
}

static void test_import_all_or_nothing(void **state)
{
    struct fx *f = *state;
    struct svc_ctx c = as(f, &f->coord);
    struct outcome_import_row rows[3] = {
        {.line = 2, .upn = "A123456789012", .rec = {.kind = OUT_FSM}},
        {.line = 3, .upn = "B123456789012", .rec = {.kind = OUT_FSM}},   /* another authority's pupil */
        {.line = 4, .upn = "A123456789012", .rec = {.kind = OUT_EAL}},
    };
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(day_parse("2026-09-01", &rows[i].rec.starts), 0);
    struct outcome_import_report rep;
    nbad = 0;
    assert_int_equal(svc_outcomes_import(&c, rows, 3, false, count_bad, NULL, NULL, NULL, &rep), SVC_INVALID);
    assert_int_equal(nbad, 1);
    assert_int_equal(rep.written, 0);
    assert_int_equal(count(f, "SELECT count(*) FROM outcome_records", 0), 0);
    /* Without the bad row: a dry run writes nothing, then the import both. */
    rows[1] = rows[2];
    told[0] = '\0';
    assert_int_equal(svc_outcomes_import(&c, rows, 2, true, count_bad, NULL, record_checked, NULL, &rep), SVC_OK);
    assert_string_equal(told, "2/0/2 ");   /* a dry run: checked, nothing written */
    assert_int_equal(rep.pupils, 1);
    assert_int_equal(count(f, "SELECT count(*) FROM outcome_records", 0), 0);
    told[0] = '\0';
    assert_int_equal(svc_outcomes_import(&c, rows, 2, false, count_bad, NULL, record_checked, NULL, &rep), SVC_OK);
    assert_string_equal(told, "2/0/2 2/2/2 ");   /* checked, then written */
    assert_int_equal(rep.written, 2);
    assert_int_equal(count(f, "SELECT count(*) FROM outcome_records WHERE source = 'import'", 0), 2);
    assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE resource_kind = 'outcome'", 0), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_threshold_flags_pupil, setup, teardown),
        cmocka_unit_test_setup_teardown(test_versions_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_access_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outcomes_and_before_after, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_all_or_nothing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
