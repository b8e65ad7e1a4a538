#include "store/q_evaluation.h"
#include "lib/count.h"
#include "store/q_map.h"
#include "store/q_params.h"

/* The academic year (England: from 1 September) of a 'YYYY-MM-DD' column:
 * 2024 for 2024-09-01 to 2025-08-31.  Plain substr and CASE, the same in
 * PostgreSQL. */
#define ACADEMIC_YEAR(col) \
    "(CAST(substr(" col ", 1, 4) AS INTEGER) - CASE WHEN substr(" col ", 6, 2) < '09' THEN 1 ELSE 0 END)"

enum eval_school_col { ES_ID, ES_URN, ES_NAME, ES_PHASE, ES_TAS, ES_PUPILS, ES_FSM, ES_SEN };

static void read_school(struct store_stmt *st, void *row)
{
    struct eval_school_row *r = row;
    r->id = store_col_int(st, ES_ID);
    store_col_copy(st, ES_URN, r->urn, sizeof r->urn);
    store_col_copy(st, ES_NAME, r->name, sizeof r->name);
    store_col_copy(st, ES_PHASE, r->phase, sizeof r->phase);
    r->tas = store_col_int(st, ES_TAS) != 0;
    r->pupils_on_roll = store_col_int(st, ES_PUPILS);
    r->fsm_pct = store_col_is_null(st, ES_FSM) ? -1 : store_col_double(st, ES_FSM);
    r->sen_pct = store_col_is_null(st, ES_SEN) ? -1 : store_col_double(st, ES_SEN);
}

Q_LIST_OF_ID(q_eval_schools, struct eval_school_row, read_school,
    "SELECT s.id, s.urn, s.name, s.phase, "
    "CASE WHEN s.tas_member = 1 OR EXISTS (SELECT 1 FROM team_schools ts WHERE ts.school_id = s.id) "
    "THEN 1 ELSE 0 END, COALESCE(s.pupils_on_roll, 0), s.fsm_pct, s.sen_pct "
    "FROM schools s WHERE s.authority_id = ? ORDER BY s.id")

Q_READER(read_value, struct eval_value_row, school_id, year, n)

Q_SINK(value, struct eval_value_row, read_value)

Q_LIST_OF_ID(q_eval_pupils, struct eval_value_row, read_value,
    "SELECT y.school_id, y.academic_year, y.pupils FROM school_years y "
    "JOIN schools s ON s.id = y.school_id WHERE s.authority_id = ?")

/* Each source's query of (school, year, n), the authority at ? 1 and the
 * code at ? 2: a fixed list, never text from input. */
enum store_rc q_eval_counts(struct store *s, enum eval_count_source from, int64_t authority_id, const char *code,
                            void (*fn)(void *arg, const struct eval_value_row *r), void *arg)
{
    static const char *const sql[] = {
        [EVAL_COUNT_ENTERED] =
            "SELECT c.school_id, c.academic_year, c.count FROM school_year_counts c "
            "JOIN schools s ON s.id = c.school_id WHERE s.authority_id = ? AND c.kind = ?",
        [EVAL_COUNT_OUTCOMES] =
            "SELECT p.school_id, " ACADEMIC_YEAR("o.starts_on") ", count(*) FROM outcome_records o "
            "JOIN pupils p ON p.id = o.pupil_id JOIN schools s ON s.id = p.school_id "
            "WHERE s.authority_id = ? AND o.kind = ? GROUP BY 1, 2",
        [EVAL_COUNT_REFERRALS] =
            "SELECT p.school_id, " ACADEMIC_YEAR("r.referred_on") ", count(*) FROM referrals r "
            "JOIN cases c ON c.id = r.case_id JOIN pupils p ON p.id = c.pupil_id "
            "JOIN schools s ON s.id = p.school_id JOIN services v ON v.id = r.service_id "
            "WHERE s.authority_id = ? AND v.code = ? GROUP BY 1, 2",
    };
    if ((unsigned)from >= COUNT(sql))
        return STORE_ERROR;
    return q_rows(s, sql[from], Q_PARAMS(QP_INT(authority_id), QP_TEXT(code)), value_each,
                  &(struct value_sink){fn, arg});
}

struct pair_sink {
    void (*fn)(void *arg, const char *code, const char *name);
    void *arg;
};

static void pair_each(struct store_stmt *st, void *sink)
{
    const struct pair_sink *k = sink;
    k->fn(k->arg, store_col_text(st, 0), store_col_text(st, 1));
}

static enum store_rc pairs(struct store *s, const char *sql, int64_t authority_id,
                           void (*fn)(void *arg, const char *code, const char *name), void *arg)
{
    return q_rows(s, sql, Q_PARAMS(QP_INT(authority_id)), pair_each, &(struct pair_sink){fn, arg});
}

enum store_rc q_eval_kinds_entered(struct store *s, int64_t authority_id,
                                   void (*fn)(void *arg, const char *code, const char *name), void *arg)
{
    return pairs(s,
        "SELECT DISTINCT c.kind, c.kind FROM school_year_counts c JOIN schools s ON s.id = c.school_id "
        "WHERE s.authority_id = ? ORDER BY c.kind",
        authority_id, fn, arg);
}

enum store_rc q_eval_services(struct store *s, int64_t authority_id,
                              void (*fn)(void *arg, const char *code, const char *name), void *arg)
{
    return pairs(s,
        "SELECT code, name FROM services WHERE authority_id = ? AND org_kind <> 'school' ORDER BY name, code",
        authority_id, fn, arg);
}

enum store_rc q_eval_year_put(struct store *s, int64_t school_id, int year, int64_t pupils, const char *source,
                              int64_t user_id, int64_t now)
{
    return q_run(s,
        "INSERT INTO school_years (school_id, academic_year, pupils, source, recorded_by, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?) ON CONFLICT (school_id, academic_year) DO UPDATE SET "
        "pupils = excluded.pupils, source = excluded.source, recorded_by = excluded.recorded_by, "
        "updated_at = excluded.updated_at",
        Q_PARAMS(QP_INT(school_id), QP_INT(year), QP_INT(pupils), QP_TEXT(source), QP_ID(user_id), QP_INT(now),
                 QP_INT(now)));
}

enum store_rc q_eval_count_put(struct store *s, int64_t school_id, int year, const char *kind, int64_t count,
                               const char *source, int64_t user_id, int64_t now)
{
    return q_run(s,
        "INSERT INTO school_year_counts (school_id, academic_year, kind, count, source, recorded_by, "
        "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (school_id, academic_year, kind) "
        "DO UPDATE SET count = excluded.count, source = excluded.source, recorded_by = excluded.recorded_by, "
        "updated_at = excluded.updated_at",
        Q_PARAMS(QP_INT(school_id), QP_INT(year), QP_TEXT(kind), QP_INT(count), QP_TEXT(source), QP_ID(user_id),
                 QP_INT(now), QP_INT(now)));
}
