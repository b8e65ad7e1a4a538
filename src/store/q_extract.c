#include "store/q_extract.h"
#include "store/q_params.h"

#include "store/q_common.h"

#define EXTRACT_FROM " FROM cases c JOIN pupils p ON p.id = c.pupil_id " \
    "JOIN schools s ON s.id = p.school_id JOIN authorities la ON la.id = s.authority_id WHERE " \
    VIS_FILTER("s.authority_id", "p.school_id")

static int tristate(struct store_stmt *st, int col)
{
    return store_col_is_null(st, col) ? -1 : store_col_int(st, col) != 0;
}

enum extract_col {
    EX_CASE, EX_UPN, EX_BIRTH_YM, EX_GENDER, EX_ETHNICITY, EX_NC_YEAR, EX_SEN_PROVISION, EX_LA_CODE,
    EX_URN, EX_PHASE, EX_STATUS, EX_OPENED_ON, EX_CLOSED_ON, EX_CLOSURE_REASON,
    EX_PRIOR   /* 11 prior-involvement flags, in the order of the select */
};

static void read_extract_case(struct store_stmt *st, void *row)
{
    struct extract_case_row *r = row;
    r->case_id = store_col_int(st, EX_CASE);
    store_col_copy(st, EX_UPN, r->upn, sizeof r->upn);
    store_col_copy(st, EX_BIRTH_YM, r->birth_ym, sizeof r->birth_ym);
    store_col_copy(st, EX_GENDER, r->gender, sizeof r->gender);
    store_col_copy(st, EX_ETHNICITY, r->ethnicity, sizeof r->ethnicity);
    store_col_copy(st, EX_NC_YEAR, r->nc_year, sizeof r->nc_year);
    store_col_copy(st, EX_SEN_PROVISION, r->sen_provision, sizeof r->sen_provision);
    store_col_copy(st, EX_LA_CODE, r->la_code, sizeof r->la_code);
    store_col_copy(st, EX_URN, r->school_urn, sizeof r->school_urn);
    store_col_copy(st, EX_PHASE, r->school_phase, sizeof r->school_phase);
    store_col_copy(st, EX_STATUS, r->status, sizeof r->status);
    store_col_copy(st, EX_OPENED_ON, r->opened_on, sizeof r->opened_on);
    store_col_copy(st, EX_CLOSED_ON, r->closed_on, sizeof r->closed_on);
    store_col_copy(st, EX_CLOSURE_REASON, r->closure_reason, sizeof r->closure_reason);
    for (int i = 0; i < 11; i++)
        r->prior[i] = tristate(st, EX_PRIOR + i);
}

Q_SINK(extract_case, struct extract_case_row, read_extract_case)

enum store_rc q_extract_cases(struct store *s, const struct visibility *v,
                              void (*fn)(void *arg, const struct extract_case_row *r), void *arg)
{
    return q_rows(s,
        "SELECT c.id, p.upn, substr(p.date_of_birth, 1, 7), p.gender, p.ethnicity, p.nc_year, "
        "p.sen_provision, la.la_code, s.urn, s.phase, c.status, c.opened_on, coalesce(c.closed_on, ''), "
        "c.closure_reason, c.prior_paediatrics, c.prior_mhst_camhs, c.prior_early_help, c.prior_cin, "
        "c.prior_cp, c.prior_lac, c.prior_sen_support, c.prior_ehcna, c.prior_ehcp, c.prior_suspensions, "
        "c.risk_pex" EXTRACT_FROM " ORDER BY c.id",
        Q_PARAMS(QP_VIS(v)), extract_case_each, &(struct extract_case_sink){fn, arg});
}

struct count_sink {
    void (*fn)(void *arg, int64_t case_id, const char *a, const char *b, const char *c, int64_t n);
    void *arg;
};

static void count_each(struct store_stmt *st, void *sink)
{
    const struct count_sink *k = sink;
    k->fn(k->arg, store_col_int(st, 0), store_col_text(st, 1),
          store_col_is_null(st, 2) ? NULL : store_col_text(st, 2),
          store_col_is_null(st, 3) ? NULL : store_col_text(st, 3), store_col_int(st, 4));
}

enum store_rc q_extract_counts(struct store *s, const struct visibility *v, enum extract_count kind,
                               void (*fn)(void *arg, int64_t case_id, const char *a, const char *b,
                                          const char *c, int64_t n),
                               void *arg)
{
    static const char *const sql[] = {
        [EXTRACT_NEEDS] = "SELECT n.case_id, n.area, NULL, NULL, 1 FROM case_needs n "
                          "JOIN cases c ON c.id = n.case_id JOIN pupils p ON p.id = c.pupil_id "
                          "JOIN schools s ON s.id = p.school_id WHERE " VIS_FILTER("s.authority_id", "p.school_id"),
        [EXTRACT_DISCUSSIONS] = "SELECT d.case_id, d.kind, NULL, NULL, count(*) FROM discussions d "
                                "JOIN meetings m ON m.id = d.meeting_id AND m.voided_at IS NULL "
                                "JOIN cases c ON c.id = d.case_id JOIN pupils p ON p.id = c.pupil_id "
                                "JOIN schools s ON s.id = p.school_id WHERE d.voided_at IS NULL AND "
                                VIS_FILTER("s.authority_id", "p.school_id") " GROUP BY d.case_id, d.kind",
        [EXTRACT_ACTIONS] = "SELECT a.case_id, a.nature, a.setting, a.status, count(*) FROM actions a "
                            "JOIN cases c ON c.id = a.case_id JOIN pupils p ON p.id = c.pupil_id "
                            "JOIN schools s ON s.id = p.school_id WHERE a.voided_at IS NULL AND "
                            VIS_FILTER("s.authority_id", "p.school_id")
                            " GROUP BY a.case_id, a.nature, a.setting, a.status",
        [EXTRACT_REFERRALS] = "SELECT r.case_id, r.outcome, NULL, NULL, count(*) FROM referrals r "
                              "JOIN cases c ON c.id = r.case_id JOIN pupils p ON p.id = c.pupil_id "
                              "JOIN schools s ON s.id = p.school_id WHERE r.voided_at IS NULL AND "
                              VIS_FILTER("s.authority_id", "p.school_id") " GROUP BY r.case_id, r.outcome",
    };
    if ((unsigned)kind > EXTRACT_REFERRALS)
        return STORE_ERROR;
    return q_rows(s, sql[kind], Q_PARAMS(QP_VIS(v)), count_each, &(struct count_sink){fn, arg});
}

struct k_pick {
    const struct visibility *v;
    int64_t best;
};

static void pick_k(struct store_stmt *st, void *arg)
{
    struct k_pick *p = arg;
    int64_t a = store_col_int(st, 0), k = store_col_int(st, 1);
    /* A viewer of single schools only meets the strictest k there is. */
    bool seen = p->v->all || p->v->nauthorities == 0;
    for (size_t i = 0; !seen && i < p->v->nauthorities; i++)
        seen = p->v->authority_ids[i] == a;
    if (seen && k > p->best)
        p->best = k;
}

enum store_rc q_extract_k_get(struct store *s, const struct visibility *v, int64_t dflt, int64_t *k)
{
    struct k_pick p = {v, 0};
    enum store_rc rc = store_each_row(store_prepare(s, "SELECT authority_id, k FROM extract_settings"), pick_k, &p);
    *k = p.best > 0 ? p.best : dflt;
    return rc;
}

enum store_rc q_extract_k_put(struct store *s, int64_t authority_id, int64_t k, int64_t user_id, int64_t now)
{
    return q_run(s,
        "INSERT INTO extract_settings (authority_id, k, updated_by, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (authority_id) DO UPDATE SET k = excluded.k, updated_by = excluded.updated_by, "
        "updated_at = excluded.updated_at",
        Q_PARAMS(QP_INT(authority_id), QP_INT(k), QP_INT(user_id), QP_INT(now)));
}
