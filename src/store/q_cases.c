#include "store/q_cases.h"
#include "store/q_map.h"
#include "store/q_params.h"

#include <stdio.h>
#include <string.h>

/* ---- consent ---- */

static enum store_rc consent_services_save(struct store *s, const struct consent_row *r)
{
    for (size_t i = 0; i < r->nservices; i++) {
        enum store_rc rc = q_run(s,
            "INSERT INTO consent_services (consent_id, service_id) VALUES (?, ?)",
            Q_PARAMS(QP_INT(r->id), QP_INT(r->service_ids[i])));
        if (rc != STORE_DONE && rc != STORE_OK)
            return rc;
    }
    return STORE_OK;
}

enum store_rc q_consent_insert(struct store *s, struct consent_row *r, int64_t recorded_by, int64_t now)
{
    enum store_rc rc = q_int(s,
        "INSERT INTO consents (pupil_id, given_by, relationship, given_on, covers_discussion, "
        "recorded_by, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?) RETURNING id",
        Q_PARAMS(QP_INT(r->pupil_id), QP_TEXT(r->given_by), QP_TEXT(r->relationship), QP_TEXT(r->given_on),
                 QP_INT(r->covers_discussion ? 1 : 0), QP_ID(recorded_by), QP_INT(now), QP_INT(now)), &r->id);
    if (rc != STORE_OK)
        return rc;
    return consent_services_save(s, r);
}

enum store_rc q_consent_withdraw(struct store *s, int64_t id, const char *on, const char *reason,
                                 int64_t by, int64_t now)
{
    return q_run(s,
        "UPDATE consents SET withdrawn_on = ?, withdrawal_reason = ?, withdrawn_by = ?, "
        "updated_at = ? WHERE id = ? AND withdrawn_on IS NULL",
        Q_PARAMS(QP_TEXT(on), QP_TEXT(reason), QP_ID(by), QP_INT(now), QP_INT(id)));
}

#define CONSENT_COLS "id, pupil_id, given_by, relationship, given_on, covers_discussion, " \
                     "coalesce(withdrawn_on, ''), withdrawal_reason"

Q_READER(read_consent, struct consent_row, id, pupil_id, given_by, relationship, given_on, covers_discussion,
         withdrawn_on, withdrawal_reason)

static enum store_rc consent_services_load(struct store *s, struct consent_row *r)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT service_id FROM consent_services WHERE consent_id = ? ORDER BY service_id");
    store_bind_int(st, 1, r->id);
    r->nservices = 0;
    return store_each_row(st, q_read_id, &(struct q_ids){r->service_ids, CONSENT_MAX_SERVICES, &r->nservices});
}

enum store_rc q_consent_get(struct store *s, int64_t id, struct consent_row *out)
{
    enum store_rc rc = q_get_id(s, "SELECT " CONSENT_COLS " FROM consents WHERE id = ?", id, read_consent, out);
    if (rc == STORE_ROW && consent_services_load(s, out) != STORE_OK)
        return STORE_ERROR;
    return rc;
}

struct consents {
    struct consent_row *rows;
    size_t max, *n;
};

static void collect_consent(struct store_stmt *st, void *arg)
{
    const struct consents *c = arg;
    if (*c->n < c->max)
        read_consent(st, &c->rows[(*c->n)++]);
}

enum store_rc q_consent_list(struct store *s, int64_t pupil_id,
                             void (*fn)(void *arg, const struct consent_row *r), void *arg)
{
    /* Collect first: loading services needs the connection while the list
     * statement would still be open. A pupil has few consents. */
    struct consent_row rows[32];
    size_t n = 0;
    enum store_rc rc = q_each_id(s,
        "SELECT " CONSENT_COLS " FROM consents WHERE pupil_id = ? ORDER BY given_on DESC, id DESC", pupil_id,
        collect_consent, &(struct consents){rows, 32, &n});
    if (rc != STORE_OK)
        return rc;
    for (size_t i = 0; i < n; i++) {
        if (consent_services_load(s, &rows[i]) != STORE_OK)
            return STORE_ERROR;
        fn(arg, &rows[i]);
    }
    return STORE_OK;
}

/* ---- cases ---- */

#define PRIOR_COLS "prior_paediatrics, prior_mhst_camhs, prior_early_help, prior_cin, prior_cp, " \
                   "prior_lac, prior_sen_support, prior_ehcna, prior_ehcp, prior_suspensions, risk_pex"

static void bind_tristate(struct store_stmt *st, int idx, signed char v)
{
    if (v < 0)
        store_bind_null(st, idx);
    else
        store_bind_int(st, idx, v);
}

static signed char col_tristate(struct store_stmt *st, int col)
{
    return store_col_is_null(st, col) ? -1 : (signed char)(store_col_int(st, col) != 0);
}

/* Binds strengths .. ect_completed at idx (18 values); returns next index. */
static int bind_summary(struct store_stmt *st, int idx, const struct case_row *c)
{
    store_bind_text(st, idx++, c->strengths);
    store_bind_text(st, idx++, c->tried);
    store_bind_text(st, idx++, c->child_voice);
    store_bind_text(st, idx++, c->parent_voice);
    store_bind_text(st, idx++, c->hoped_outcomes);
    for (int i = 0; i < CASE_PRIOR_FLAGS; i++)
        bind_tristate(st, idx++, c->prior[i]);
    bind_tristate(st, idx++, c->summary_before_meeting);
    bind_tristate(st, idx++, c->ect_completed);
    return idx;
}

static enum store_rc needs_save(struct store *s, const struct case_row *c)
{
    enum store_rc rc = q_run(s, "DELETE FROM case_needs WHERE case_id = ?", Q_PARAMS(QP_INT(c->id)));
    if (rc != STORE_DONE && rc != STORE_OK)
        return rc;
    for (int i = 0; i < CASE_NEED_AREAS; i++) {
        if (!c->needs[i][0])
            continue;
        rc = q_run(s, "INSERT INTO case_needs (case_id, area, description) VALUES (?,?,?)",
            Q_PARAMS(QP_INT(c->id), QP_TEXT(codes_need_area.entries[i].code), QP_TEXT(c->needs[i])));
        if (rc != STORE_DONE && rc != STORE_OK)
            return rc;
    }
    return STORE_OK;
}

enum store_rc q_case_insert(struct store *s, struct case_row *c, int64_t created_by, int64_t now)
{
    struct store_stmt *st = store_prepare(s,
        "INSERT INTO cases (pupil_id, team_id, status, opened_on, strengths, tried, child_voice, "
        "parent_voice, hoped_outcomes, " PRIOR_COLS ", summary_before_meeting, ect_completed, "
        "created_by, created_at, updated_at) VALUES (?,?,'open',?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
        "?,?,?,?,?) RETURNING id");
    store_bind_int(st, 1, c->pupil_id);
    store_bind_int(st, 2, c->team_id);
    store_bind_text(st, 3, c->opened_on);
    int idx = bind_summary(st, 4, c);
    q_bind_opt_id(st, idx++, created_by);
    store_bind_int(st, idx++, now);
    store_bind_int(st, idx, now);
    enum store_rc rc = store_get_int(st, &c->id);
    if (rc != STORE_OK)
        return rc;
    return needs_save(s, c);
}

enum store_rc q_case_update(struct store *s, const struct case_row *c, int64_t now)
{
    struct store_stmt *st = store_prepare(s,
        "UPDATE cases SET strengths = ?, tried = ?, child_voice = ?, parent_voice = ?, "
        "hoped_outcomes = ?, prior_paediatrics = ?, prior_mhst_camhs = ?, prior_early_help = ?, "
        "prior_cin = ?, prior_cp = ?, prior_lac = ?, prior_sen_support = ?, prior_ehcna = ?, "
        "prior_ehcp = ?, prior_suspensions = ?, risk_pex = ?, summary_before_meeting = ?, "
        "ect_completed = ?, team_id = ?, updated_at = ? WHERE id = ?");
    int idx = bind_summary(st, 1, c);
    store_bind_int(st, idx++, c->team_id);
    store_bind_int(st, idx++, now);
    store_bind_int(st, idx, c->id);
    enum store_rc rc = store_exec_done(st);
    if (rc != STORE_DONE && rc != STORE_OK)
        return rc;
    return needs_save(s, c);
}

#define CASE_COLS "c.id, c.pupil_id, c.team_id, c.status, c.opened_on, coalesce(c.closed_on, ''), " \
    "c.closure_reason, c.strengths, c.tried, c.child_voice, c.parent_voice, c.hoped_outcomes, " \
    "c.prior_paediatrics, c.prior_mhst_camhs, c.prior_early_help, c.prior_cin, c.prior_cp, " \
    "c.prior_lac, c.prior_sen_support, c.prior_ehcna, c.prior_ehcp, c.prior_suspensions, " \
    "c.risk_pex, c.summary_before_meeting, c.ect_completed, p.school_id, s.authority_id, " \
    "p.forenames || ' ' || p.surname, p.upn, t.name, c.created_at, c.ei_appropriate, c.referral_made"
enum case_col {
    CC_ID, CC_PUPIL, CC_TEAM, CC_STATUS, CC_OPENED_ON, CC_CLOSED_ON, CC_CLOSURE_REASON, CC_STRENGTHS,
    CC_TRIED, CC_CHILD_VOICE, CC_PARENT_VOICE, CC_HOPED_OUTCOMES,
    CC_PRIOR, /* CASE_PRIOR_FLAGS columns, in PRIOR_COLS order */
    CC_SUMMARY_BEFORE_MEETING = CC_PRIOR + CASE_PRIOR_FLAGS, CC_ECT_COMPLETED, CC_SCHOOL,
    CC_AUTHORITY, CC_PUPIL_NAME, CC_UPN, CC_TEAM_NAME, CC_CREATED_AT, CC_EI_APPROPRIATE, CC_REFERRAL_MADE
};

static void read_case(struct store_stmt *st, void *row)
{
    struct case_row *c = row;
    memset(c, 0, sizeof *c);
    c->id = store_col_int(st, CC_ID);
    c->pupil_id = store_col_int(st, CC_PUPIL);
    c->team_id = store_col_int(st, CC_TEAM);
    store_col_copy(st, CC_STATUS, c->status, sizeof c->status);
    store_col_copy(st, CC_OPENED_ON, c->opened_on, sizeof c->opened_on);
    store_col_copy(st, CC_CLOSED_ON, c->closed_on, sizeof c->closed_on);
    store_col_copy(st, CC_CLOSURE_REASON, c->closure_reason, sizeof c->closure_reason);
    store_col_copy(st, CC_STRENGTHS, c->strengths, sizeof c->strengths);
    store_col_copy(st, CC_TRIED, c->tried, sizeof c->tried);
    store_col_copy(st, CC_CHILD_VOICE, c->child_voice, sizeof c->child_voice);
    store_col_copy(st, CC_PARENT_VOICE, c->parent_voice, sizeof c->parent_voice);
    store_col_copy(st, CC_HOPED_OUTCOMES, c->hoped_outcomes, sizeof c->hoped_outcomes);
    for (int i = 0; i < CASE_PRIOR_FLAGS; i++)
        c->prior[i] = col_tristate(st, CC_PRIOR + i);
    c->summary_before_meeting = col_tristate(st, CC_SUMMARY_BEFORE_MEETING);
    c->ect_completed = col_tristate(st, CC_ECT_COMPLETED);
    c->school_id = store_col_int(st, CC_SCHOOL);
    c->authority_id = store_col_int(st, CC_AUTHORITY);
    store_col_copy(st, CC_PUPIL_NAME, c->pupil_name, sizeof c->pupil_name);
    store_col_copy(st, CC_UPN, c->upn, sizeof c->upn);
    store_col_copy(st, CC_TEAM_NAME, c->team_name, sizeof c->team_name);
    c->created_at = store_col_int(st, CC_CREATED_AT);
    c->ei_appropriate = col_tristate(st, CC_EI_APPROPRIATE);
    c->referral_made = col_tristate(st, CC_REFERRAL_MADE);
}

/* A need's description goes to the slot of its area code. */
static void read_need(struct store_stmt *st, void *row)
{
    struct case_row *c = row;
    const char *area = store_col_text(st, 0);
    for (int i = 0; i < CASE_NEED_AREAS; i++)
        if (strcmp(area, codes_need_area.entries[i].code) == 0)
            store_col_copy(st, 1, c->needs[i], sizeof c->needs[i]);
}

enum store_rc q_case_get(struct store *s, int64_t id, struct case_row *c)
{
    enum store_rc rc = q_get_id(s, "SELECT " CASE_COLS
        " FROM cases c JOIN pupils p ON p.id = c.pupil_id JOIN schools s ON s.id = p.school_id "
        "JOIN teams t ON t.id = c.team_id WHERE c.id = ?", id, read_case, c);
    if (rc != STORE_ROW)
        return rc;
    return q_each_id(s, "SELECT area, description FROM case_needs WHERE case_id = ?", id, read_need, c) == STORE_OK
               ? STORE_ROW
               : STORE_ERROR;
}

enum store_rc q_case_set_status(struct store *s, int64_t id, const char *status, const char *closed_on,
                                const char *reason, int64_t now)
{
    return q_run(s,
        "UPDATE cases SET status = ?, closed_on = ?, closure_reason = ?, updated_at = ? WHERE id = ?",
        Q_PARAMS(QP_TEXT(status), QP_TEXT(closed_on && *closed_on ? closed_on : NULL), QP_TEXT(reason ? reason : ""),
                 QP_INT(now), QP_INT(id)));
}

#define CASE_WHERE " FROM cases c JOIN pupils p ON p.id = c.pupil_id " \
    "JOIN schools s ON s.id = p.school_id JOIN teams t ON t.id = c.team_id WHERE " \
    VIS_CASE_FILTER("c.team_id", "c.pupil_id", "s.authority_id", "p.school_id") \
    " AND (? = 0 OR c.team_id = ?) AND (? = 0 OR c.pupil_id = ?) AND (? = '' OR c.status = ?)" \
    " AND (? = 0 OR p.school_id = ?)" \
    " AND (? = '' OR lower(p.forenames || ' ' || p.surname) LIKE ? ESCAPE '\\')" \
    " AND (? = '' OR c.opened_on <= ?) AND (? = '' OR c.closed_on IS NULL OR c.closed_on >= ?)"

static int bind_case_filter(struct store_stmt *st, const struct visibility *v, const void *filter, bool page)
{
    (void)page;
    const struct case_filter *f = filter;
    const char *status = f->status ? f->status : "";
    const char *from = f->from ? f->from : "", *to = f->to ? f->to : "";
    int idx = q_bind_params(st, 1,
        Q_PARAMS(QP_CASE_VIS(v, f->today ? f->today : ""), QP_INT_TWICE(f->team_id), QP_INT_TWICE(f->pupil_id),
                 QP_TEXT_TWICE(status), QP_INT_TWICE(f->school_id)));
    idx = q_bind_like_filter(st, idx, f->name, 203);
    return q_bind_params(st, idx, Q_PARAMS(QP_TEXT_TWICE(to), QP_TEXT_TWICE(from)));
}

Q_READER(read_case_brief, struct case_brief, id, pupil_id, team_id, status, opened_on, closed_on, school_id,
         authority_id, pupil_name, team_name, discussions, open_actions)

Q_SINK(case, struct case_brief, read_case_brief)

enum store_rc q_case_list(struct store *s, const struct visibility *v, const struct case_filter *f,
                          const struct page_req *pg, int64_t *total,
                          void (*fn)(void *arg, const struct case_brief *b), void *arg)
{
    struct case_sink k = {fn, arg};
    struct q_list l = {"SELECT count(*)" CASE_WHERE,
        "SELECT c.id, c.pupil_id, c.team_id, c.status, c.opened_on, coalesce(c.closed_on, ''), "
        "p.school_id, s.authority_id, p.forenames || ' ' || p.surname, t.name, "
        "(SELECT count(*) FROM discussions d WHERE d.case_id = c.id AND d.voided_at IS NULL), "
        "(SELECT count(*) FROM actions a WHERE a.case_id = c.id AND a.status = 'open' AND a.voided_at IS NULL)"
        CASE_WHERE " ORDER BY c.status DESC, c.opened_on DESC, c.id DESC LIMIT ? OFFSET ?",
        bind_case_filter, v, f, case_each, &k};
    return q_list_page(s, &l, pg, total);
}

struct id_name_sink {
    void (*fn)(void *arg, int64_t id, const char *name);
    void *arg;
};

static void id_name_each(struct store_stmt *st, void *sink)
{
    const struct id_name_sink *k = sink;
    k->fn(k->arg, store_col_int(st, 0), store_col_text(st, 1));
}

enum store_rc q_teams_for_school(struct store *s, int64_t school_id,
                                 void (*fn)(void *arg, int64_t id, const char *name), void *arg)
{
    return q_each_id(s,
        "SELECT t.id, t.name FROM teams t JOIN team_schools ts ON ts.team_id = t.id "
        "WHERE ts.school_id = ? AND t.active = 1 ORDER BY t.name, t.id",
        school_id, id_name_each, &(struct id_name_sink){fn, arg});
}
