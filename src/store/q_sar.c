#include "store/q_sar.h"
#include "lib/count.h"

#include <string.h>

#define CASE_OF_PUPIL "case_id IN (SELECT id FROM cases WHERE pupil_id = ?)"

struct section_sql {
    struct sar_section sec;
    const char *sql;           /* one '?' : the pupil id */
    const char *cols[SAR_MAX_COLS];
};

static const struct section_sql sections[] = {
    {{"pupil", "Pupil record"},
     "SELECT p.id, p.upn, p.former_upn, p.forenames, p.surname, p.date_of_birth, p.gender, p.ethnicity,"
     " p.nc_year, p.sen_provision, s.name, p.created_at, p.updated_at FROM pupils p"
     " JOIN schools s ON s.id = p.school_id WHERE p.id = ?",
     {"id", "upn", "former_upn", "forenames", "surname", "date_of_birth", "gender", "ethnicity", "nc_year",
      "sen_provision", "school", "created_at", "updated_at", NULL}},
    {{"consents", "Consent"},
     "SELECT id, given_by, relationship, given_on, covers_discussion, recorded_by, withdrawn_on,"
     " withdrawal_reason, withdrawn_by, created_at, updated_at FROM consents WHERE pupil_id = ? ORDER BY id",
     {"id", "given_by", "relationship", "given_on", "covers_discussion", "recorded_by", "withdrawn_on",
      "withdrawal_reason", "withdrawn_by", "created_at", "updated_at", NULL}},
    {{"consent_services", "Services the consent covers"},
     "SELECT cs.consent_id, v.name FROM consent_services cs JOIN services v ON v.id = cs.service_id"
     " WHERE cs.consent_id IN (SELECT id FROM consents WHERE pupil_id = ?) ORDER BY cs.consent_id, v.name",
     {"consent_id", "service", NULL}},
    {{"cases", "Cases"},
     "SELECT c.id, t.name, c.status, c.opened_on, c.closed_on, c.closure_reason, c.strengths, c.tried,"
     " c.child_voice, c.parent_voice, c.hoped_outcomes, c.prior_paediatrics, c.prior_mhst_camhs,"
     " c.prior_early_help, c.prior_cin, c.prior_cp, c.prior_lac, c.prior_sen_support, c.prior_ehcna,"
     " c.prior_ehcp, c.prior_suspensions, c.risk_pex, c.summary_before_meeting, c.ect_completed,"
     " c.created_by, c.created_at, c.updated_at FROM cases c JOIN teams t ON t.id = c.team_id"
     " WHERE c.pupil_id = ? ORDER BY c.id",
     {"id", "team", "status", "opened_on", "closed_on", "closure_reason", "strengths", "tried",
      "child_voice", "parent_voice", "hoped_outcomes", "prior_paediatrics", "prior_mhst_camhs",
      "prior_early_help", "prior_cin", "prior_cp", "prior_lac", "prior_sen_support", "prior_ehcna",
      "prior_ehcp", "prior_suspensions", "risk_pex", "summary_before_meeting", "ect_completed",
      "created_by", "created_at", "updated_at", NULL}},
    {{"case_needs", "Presenting needs"},
     "SELECT case_id, area, description FROM case_needs WHERE " CASE_OF_PUPIL " ORDER BY case_id, area",
     {"case_id", "area", "description", NULL}},
    {{"discussions", "Discussions at meetings (minutes)"},
     "SELECT d.id, d.case_id, m.meeting_date, d.kind, d.minutes, d.feedback_on, d.feedback_method,"
     " d.feedback_by, d.parent_said, d.child_said, d.created_at, d.updated_at FROM discussions d"
     " JOIN meetings m ON m.id = d.meeting_id WHERE d." CASE_OF_PUPIL " ORDER BY m.meeting_date, d.id",
     {"id", "case_id", "meeting_date", "kind", "minutes", "feedback_on", "feedback_method", "feedback_by",
      "parent_said", "child_said", "created_at", "updated_at", NULL}},
    {{"change_stories", "Change stories"},
     "SELECT id, case_id, pattern, situation, what_tas_did, what_changed, status, review_comment, approved_on,"
     " created_at, updated_at FROM change_stories WHERE " CASE_OF_PUPIL " ORDER BY id",
     {"id", "case_id", "pattern", "situation", "what_tas_did", "what_changed", "status", "review_comment",
      "approved_on", "created_at", "updated_at", NULL}},
    {{"actions", "Actions"},
     "SELECT id, case_id, discussion_id, description, owner_service_id, owner_practitioner_id, owner_name,"
     " setting, nature, resource_id, due_on, status, not_done_reason, outcome, closed_on, created_at,"
     " updated_at FROM actions WHERE " CASE_OF_PUPIL " ORDER BY id",
     {"id", "case_id", "discussion_id", "description", "owner_service_id", "owner_practitioner_id",
      "owner_name", "setting", "nature", "resource_id", "due_on", "status", "not_done_reason", "outcome",
      "closed_on", "created_at", "updated_at", NULL}},
    {{"referrals", "Referrals"},
     "SELECT r.id, r.case_id, r.action_id, v.name, r.referred_on, r.outcome, r.outcome_on, r.notes,"
     " r.created_at, r.updated_at FROM referrals r JOIN services v ON v.id = r.service_id"
     " WHERE r." CASE_OF_PUPIL " ORDER BY r.id",
     {"id", "case_id", "action_id", "service", "referred_on", "outcome", "outcome_on", "notes",
      "created_at", "updated_at", NULL}},
    {{"outcome_records", "Outcome records (attendance, suspensions and the rest)"},
     "SELECT id, kind, starts_on, ends_on, code, sessions_possible, sessions_missed, sessions, source,"
     " recorded_by, created_at FROM outcome_records WHERE pupil_id = ? ORDER BY starts_on, id",
     {"id", "kind", "starts_on", "ends_on", "code", "sessions_possible", "sessions_missed", "sessions", "source",
      "recorded_by", "created_at", NULL}},
    {{"retention", "Retention already applied"},
     "SELECT record_type, record_id, done_at FROM retention_done WHERE (record_type = 'pupil' AND record_id = ?)"
     " OR (record_type = 'case' AND record_id IN (SELECT id FROM cases WHERE pupil_id = ?))",
     {"record_type", "record_id", "done_at", NULL}},
};

#define NSECTIONS (COUNT(sections))

size_t q_sar_sections(const struct sar_section **out)
{
    static struct sar_section list[NSECTIONS];
    for (size_t i = 0; i < NSECTIONS; i++)
        list[i] = sections[i].sec;
    *out = list;
    return NSECTIONS;
}

struct section_sink {
    const struct section_sql *sec;
    size_t ncols;
    sar_row_fn fn;
    void *arg;
};

static void section_each(struct store_stmt *st, void *sink)
{
    const struct section_sink *k = sink;
    const char *vals[SAR_MAX_COLS];
    for (size_t c = 0; c < k->ncols; c++)
        vals[c] = store_col_is_null(st, (int)c) ? NULL : store_col_text(st, (int)c);
    k->fn(k->arg, k->sec->sec.name, k->ncols, k->sec->cols, vals);
}

enum store_rc q_sar_rows(struct store *s, int64_t pupil_id, sar_row_fn fn, void *arg)
{
    for (size_t i = 0; i < NSECTIONS; i++) {
        const struct section_sql *sec = &sections[i];
        size_t n = 0, nparams = 0;
        while (n < SAR_MAX_COLS && sec->cols[n])
            n++;
        struct store_stmt *st = store_prepare(s, sec->sql);
        /* Each section's SQL asks for the pupil's id at every '?'. */
        for (const char *q = sec->sql; (q = strchr(q, '?')) != NULL; q++)
            store_bind_int(st, (int)(++nparams), pupil_id);
        enum store_rc rc = store_each_row(st, section_each, &(struct section_sink){sec, n, fn, arg});
        if (rc != STORE_OK)
            return rc;
    }
    return STORE_OK;
}
