#include "store/q_apst.h"
#include "store/q_map.h"
#include "store/q_params.h"

#include <string.h>

/* ---- taskforces ---- */

#define TF_COLS \
    "f.id, f.team_id, t.authority_id, t.host_school_id, t.name, s.name, f.manager_name, f.manager_fte, " \
    "f.started_on, t.active"
#define TF_FROM " FROM apst_taskforces f JOIN teams t ON t.id = f.team_id JOIN schools s ON s.id = t.host_school_id "
Q_READER(read_tf, struct apst_taskforce_row, id, team_id, authority_id, school_id, name, school_name, manager_name,
         manager_fte, started_on, active)
Q_SINK(tf, struct apst_taskforce_row, read_tf)

Q_BINDER(bind_tf, struct apst_taskforce_row, Q_IN(team_id), Q_IN(manager_name), Q_IN(manager_fte), Q_IN(started_on))

struct tf_new {
    const struct apst_taskforce_row *r;
    int64_t by;
};
static int bind_tf_new(struct store_stmt *st, const void *rec)
{
    const struct tf_new *n = rec;
    int i = bind_tf(st, n->r);
    q_bind_opt_id(st, i++, n->by);
    return i;
}

enum store_rc q_apst_insert(struct store *s, struct apst_taskforce_row *t, int64_t by, int64_t now)
{
    struct tf_new n = {t, by};
    return q_insert_rec(s,
        "INSERT INTO apst_taskforces (team_id, manager_name, manager_fte, started_on, created_by, created_at, "
        "updated_at) VALUES (?,?,?,?,?,?,?) RETURNING id",
        bind_tf_new, &n, now, &t->id);
}

enum store_rc q_apst_get(struct store *s, int64_t id, struct apst_taskforce_row *out)
{
    return q_get_id(s, "SELECT " TF_COLS TF_FROM "WHERE f.id = ?", id, read_tf, out);
}

enum store_rc q_apst_by_team(struct store *s, int64_t team_id, struct apst_taskforce_row *out)
{
    return q_get_id(s, "SELECT " TF_COLS TF_FROM "WHERE f.team_id = ?", team_id, read_tf, out);
}

enum store_rc q_apst_list(struct store *s, const struct visibility *v,
                          void (*fn)(void *arg, const struct apst_taskforce_row *r), void *arg)
{
    return q_rows(s,
        "SELECT " TF_COLS TF_FROM "WHERE " VIS_TEAM_FILTER("t.id", "t.authority_id", "t.host_school_id")
        " ORDER BY t.active DESC, lower(t.name), f.id LIMIT 500",
        Q_PARAMS(QP_TEAM_VIS(v)), tf_each, &(struct tf_sink){fn, arg});
}

/* ---- specialists ---- */

#define SP_COLS \
    "id, taskforce_id, kind, name, fte, days_on_site, home_service, funding, supervision, starts_on, " \
    "coalesce(ends_on, ''), coalesce(user_id, 0)"
Q_READER(read_sp, struct apst_specialist_row, id, taskforce_id, kind, name, fte, days_on_site, home_service,
         funding, supervision, starts_on, ends_on, user_id)
Q_BINDER(bind_sp, struct apst_specialist_row, Q_IN(taskforce_id), Q_IN(kind), Q_IN(name), Q_IN(fte),
         Q_IN(days_on_site), Q_IN(home_service), Q_IN(funding), Q_IN(supervision), Q_IN(starts_on), Q_OPT(ends_on),
         Q_OPT(user_id))

enum store_rc q_apst_specialist_insert(struct store *s, struct apst_specialist_row *r, int64_t now)
{
    return q_insert_rec(s,
        "INSERT INTO apst_specialists (taskforce_id, kind, name, fte, days_on_site, home_service, funding, "
        "supervision, starts_on, ends_on, user_id, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
        bind_sp, r, now, &r->id);
}

enum store_rc q_apst_specialist_end(struct store *s, int64_t id, const char *ends_on, int64_t now)
{
    return q_run(s, "UPDATE apst_specialists SET ends_on = ?, updated_at = ? WHERE id = ?",
        Q_PARAMS(QP_OPT_TEXT(ends_on), QP_INT(now), QP_INT(id)));
}

enum store_rc q_apst_specialist_get(struct store *s, int64_t id, struct apst_specialist_row *out)
{
    return q_get_id(s, "SELECT " SP_COLS " FROM apst_specialists WHERE id = ?", id, read_sp, out);
}

Q_LIST_OF_ID(q_apst_specialists, struct apst_specialist_row, read_sp,
    "SELECT " SP_COLS " FROM apst_specialists WHERE taskforce_id = ? ORDER BY kind, lower(name), id")

/* ---- agreements ---- */

Q_READER(read_ag, struct apst_agreement_row, id, taskforce_id, kind, party, signed_on, review_on)
Q_BINDER(bind_ag, struct apst_agreement_row, Q_IN(taskforce_id), Q_IN(kind), Q_IN(party), Q_IN(signed_on),
         Q_IN(review_on))

enum store_rc q_apst_agreement_insert(struct store *s, struct apst_agreement_row *r, int64_t now)
{
    return q_insert_rec(s,
        "INSERT INTO apst_agreements (taskforce_id, kind, party, signed_on, review_on, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?) RETURNING id",
        bind_ag, r, now, &r->id);
}

Q_LIST_OF_ID(q_apst_agreements, struct apst_agreement_row, read_ag,
    "SELECT id, taskforce_id, kind, party, signed_on, review_on FROM apst_agreements WHERE taskforce_id = ? "
    "ORDER BY review_on, id")

/* ---- referrals ---- */

#define RF_COLS \
    "r.id, r.taskforce_id, f.team_id, t.authority_id, t.host_school_id, r.pupil_id, p.school_id, p.forenames, " \
    "p.surname, p.upn, ps.name, t.name, p.sen_provision, r.route, r.referred_on, r.referrer, r.reason, " \
    "coalesce(r.threshold_met, -1), r.triage, coalesce(r.triaged_on, ''), coalesce(r.tier, ''), " \
    "coalesce(r.lead_specialist_id, 0), coalesce(sp.name, ''), r.engagement, coalesce(r.closed_on, ''), " \
    "r.consent_basis, r.consent_by, coalesce(r.consent_on, ''), r.consent_kinds, r.consent_note"
#define RF_FROM \
    " FROM apst_referrals r JOIN apst_taskforces f ON f.id = r.taskforce_id JOIN teams t ON t.id = f.team_id " \
    "JOIN pupils p ON p.id = r.pupil_id JOIN schools ps ON ps.id = p.school_id " \
    "LEFT JOIN apst_specialists sp ON sp.id = r.lead_specialist_id "
Q_READER(read_rf, struct apst_referral_row, id, taskforce_id, team_id, authority_id, ap_school_id, pupil_id,
         pupil_school_id, forenames, surname, upn, pupil_school_name, taskforce_name, sen_provision, route,
         referred_on, referrer, reason, threshold_met, triage, triaged_on, tier, lead_specialist_id, lead_name,
         engagement, closed_on, consent_basis, consent_by, consent_on, consent_kinds, consent_note)
Q_SINK(rf, struct apst_referral_row, read_rf)

enum store_rc q_apst_referral_insert(struct store *s, struct apst_referral_row *r, int64_t by, int64_t now)
{
    return q_int(s,
        "INSERT INTO apst_referrals (taskforce_id, pupil_id, route, referred_on, referrer, reason, created_by, "
        "consent_basis, consent_by, consent_on, consent_kinds, consent_note, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
        Q_PARAMS(QP_INT(r->taskforce_id), QP_INT(r->pupil_id), QP_TEXT(r->route), QP_TEXT(r->referred_on),
                 QP_TEXT(r->referrer), QP_TEXT(r->reason), QP_ID(by), QP_TEXT(r->consent_basis),
                 QP_TEXT(r->consent_by), QP_OPT_TEXT(r->consent_on), QP_INT(r->consent_kinds),
                 QP_TEXT(r->consent_note), QP_INT(now), QP_INT(now)), &r->id);
}

enum store_rc q_apst_referral_get(struct store *s, int64_t id, struct apst_referral_row *out)
{
    return q_get_id(s, "SELECT " RF_COLS RF_FROM "WHERE r.id = ?", id, read_rf, out);
}

static int bind_triage(struct store_stmt *st, const void *rec)
{
    const struct apst_referral_row *r = rec;
    store_bind_text(st, 1, r->triage);
    q_bind_opt_text(st, 2, r->triaged_on);
    if (r->threshold_met == 0 || r->threshold_met == 1)
        store_bind_int(st, 3, r->threshold_met);
    else
        store_bind_null(st, 3);
    q_bind_opt_text(st, 4, r->tier);
    q_bind_opt_id(st, 5, r->lead_specialist_id);
    store_bind_text(st, 6, r->engagement);
    q_bind_opt_text(st, 7, r->closed_on);
    return 8;
}

enum store_rc q_apst_referral_triage(struct store *s, const struct apst_referral_row *r, int64_t now)
{
    return q_update_rec(s,
        "UPDATE apst_referrals SET triage = ?, triaged_on = ?, threshold_met = ?, tier = ?, lead_specialist_id = ?, "
        "engagement = ?, closed_on = ?, updated_at = ? WHERE id = ?",
        bind_triage, r, now, r->id);
}

enum store_rc q_apst_referrals(struct store *s, int64_t taskforce_id, const char *triage,
                               void (*fn)(void *arg, const struct apst_referral_row *r), void *arg)
{
    return q_rows(s,
        "SELECT " RF_COLS RF_FROM "WHERE r.taskforce_id = ? AND (? = '' OR r.triage = ?) "
        "ORDER BY CASE r.triage WHEN 'pending' THEN 0 ELSE 1 END, r.referred_on DESC, r.id DESC LIMIT 500",
        Q_PARAMS(QP_INT(taskforce_id), QP_TEXT(triage ? triage : ""),
                 QP_TEXT(triage ? triage : "")), rf_each, &(struct rf_sink){fn, arg});
}

/* ---- meeting decisions ---- */

Q_READER(read_item, struct apst_item_row, id, meeting_id, referral_id, pupil_name, kind, event_kind, decision,
         decided_by, decided_by_name)

enum store_rc q_apst_item_insert(struct store *s, struct apst_item_row *r, int64_t by, int64_t now)
{
    return q_int(s,
        "INSERT INTO apst_meeting_items (meeting_id, referral_id, kind, event_kind, decision, decided_by, "
        "decided_by_name, recorded_by, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING id",
        Q_PARAMS(QP_INT(r->meeting_id), QP_ID(r->referral_id), QP_TEXT(r->kind), QP_TEXT(r->event_kind),
                 QP_TEXT(r->decision), QP_TEXT(r->decided_by), QP_TEXT(r->decided_by_name), QP_ID(by), QP_INT(now),
                 QP_INT(now)), &r->id);
}

Q_LIST_OF_ID(q_apst_items, struct apst_item_row, read_item,
    "SELECT i.id, i.meeting_id, coalesce(i.referral_id, 0), coalesce(p.forenames || ' ' || p.surname, ''), "
    "i.kind, i.event_kind, i.decision, i.decided_by, i.decided_by_name FROM apst_meeting_items i "
    "LEFT JOIN apst_referrals r ON r.id = i.referral_id LEFT JOIN pupils p ON p.id = r.pupil_id "
    "WHERE i.meeting_id = ? ORDER BY CASE i.kind WHEN 'new_referral' THEN 0 WHEN 'held_case' THEN 1 "
    "ELSE 2 END, i.id")

Q_BINDER(bind_consent, struct apst_referral_row, Q_IN(consent_basis), Q_IN(consent_by), Q_OPT(consent_on),
         Q_IN(consent_kinds), Q_IN(consent_note))

enum store_rc q_apst_referral_consent(struct store *s, const struct apst_referral_row *r, int64_t now)
{
    return q_update_rec(s,
        "UPDATE apst_referrals SET consent_basis = ?, consent_by = ?, consent_on = ?, consent_kinds = ?, "
        "consent_note = ?, updated_at = ? WHERE id = ?",
        bind_consent, r, now, r->id);
}

enum store_rc q_apst_referral_staff_add(struct store *s, int64_t referral_id, int64_t specialist_id, int64_t now)
{
    return q_run(s,
        "INSERT INTO apst_referral_staff (referral_id, specialist_id, created_at) VALUES (?,?,?) "
        "ON CONFLICT (referral_id, specialist_id) DO NOTHING",
        Q_PARAMS(QP_INT(referral_id), QP_INT(specialist_id), QP_INT(now)));
}

/* STORE_DONE: the specialist was not assigned. */
enum store_rc q_apst_referral_staff_remove(struct store *s, int64_t referral_id, int64_t specialist_id)
{
    return q_run_changed(s, "DELETE FROM apst_referral_staff WHERE referral_id = ? AND specialist_id = ?",
        Q_PARAMS(QP_INT(referral_id), QP_INT(specialist_id)));
}

enum store_rc q_apst_referral_staff_users(struct store *s, int64_t referral_id, int64_t *users, size_t max,
                                          size_t *n)
{
    *n = 0;
    return q_rows(s,
        "SELECT sp.user_id FROM apst_referrals r JOIN apst_specialists sp ON sp.id = r.lead_specialist_id "
        "WHERE r.id = ? AND sp.user_id IS NOT NULL UNION "
        "SELECT sp.user_id FROM apst_referral_staff a JOIN apst_specialists sp ON sp.id = a.specialist_id "
        "WHERE a.referral_id = ? AND sp.user_id IS NOT NULL",
        Q_PARAMS(QP_INT_TWICE(referral_id)), q_read_id, &(struct q_ids){users, max, n});
}

Q_LIST_OF_ID(q_apst_referral_staff, struct apst_specialist_row, read_sp,
    "SELECT " SP_COLS " FROM apst_specialists WHERE id IN "
    "(SELECT specialist_id FROM apst_referral_staff WHERE referral_id = ?) ORDER BY lower(name), id")

enum store_rc q_apst_specialist_set_user(struct store *s, int64_t id, int64_t user_id, int64_t now)
{
    return q_run(s, "UPDATE apst_specialists SET user_id = ?, updated_at = ? WHERE id = ?",
        Q_PARAMS(QP_ID(user_id), QP_INT(now), QP_INT(id)));
}

/* ---- costs actually spent ---- */

Q_READER(read_cost, struct apst_cost_row, id, taskforce_id, line, period_from, period_to, amount_pence, note,
         voided, void_reason)
#define COST_COLS "id, taskforce_id, line, period_from, period_to, amount_pence, note, voided_at IS NOT NULL, void_reason "

Q_SINK(cost, struct apst_cost_row, read_cost)

enum store_rc q_apst_cost_insert(struct store *s, struct apst_cost_row *r, int64_t by, int64_t now)
{
    return q_int(s,
        "INSERT INTO apst_costs (taskforce_id, line, period_from, period_to, amount_pence, note, recorded_by, "
        "created_at) VALUES (?,?,?,?,?,?,?,?) RETURNING id",
        Q_PARAMS(QP_INT(r->taskforce_id), QP_TEXT(r->line), QP_TEXT(r->period_from), QP_TEXT(r->period_to),
                 QP_INT(r->amount_pence), QP_TEXT(r->note), QP_ID(by), QP_INT(now)), &r->id);
}

enum store_rc q_apst_costs(struct store *s, int64_t taskforce_id, const char *from, const char *to,
                           void (*fn)(void *arg, const struct apst_cost_row *r), void *arg)
{
    return q_rows(s,
        "SELECT " COST_COLS "FROM apst_costs "
        "WHERE taskforce_id = ? AND period_from >= ? AND period_to <= ? ORDER BY period_from, line, id LIMIT 500",
        Q_PARAMS(QP_INT(taskforce_id), QP_TEXT(from), QP_TEXT(to)), cost_each, &(struct cost_sink){fn, arg});
}

enum store_rc q_apst_cost_get(struct store *s, int64_t id, struct apst_cost_row *out)
{
    return q_row(s, "SELECT " COST_COLS "FROM apst_costs WHERE id = ?", Q_PARAMS(QP_INT(id)), read_cost, out);
}

/* The log's entries have no updated_at. */
enum store_rc q_apst_void(struct store *s, enum apst_voidable kind, int64_t id, const char *reason, int64_t by,
                          int64_t now)
{
    static const struct q_void_sql sql[] = {
        [APST_VOID_INTERVENTION] = Q_VOID_SQL_ONLY("apst_interventions"),
        [APST_VOID_COST] = Q_VOID_SQL_ONLY("apst_costs"),
    };
    return Q_EXEC_VOID_OF(s, sql, kind, id, reason, by, now);
}

/* ---- intervention log ---- */

Q_READER(read_iv, struct apst_intervention_row, id, taskforce_id, specialist_id, referral_id, specialist_name,
         specialist_kind, pupil_name, delivered_on, activity, minutes, voided, void_reason)
#define IV_SELECT \
    "SELECT i.id, i.taskforce_id, i.specialist_id, coalesce(i.referral_id, 0), sp.name, sp.kind, " \
    "coalesce(p.forenames || ' ' || p.surname, ''), i.delivered_on, i.activity, i.minutes, " \
    "i.voided_at IS NOT NULL, i.void_reason " \
    "FROM apst_interventions i JOIN apst_specialists sp ON sp.id = i.specialist_id " \
    "LEFT JOIN apst_referrals r ON r.id = i.referral_id LEFT JOIN pupils p ON p.id = r.pupil_id "

Q_SINK(iv, struct apst_intervention_row, read_iv)

enum store_rc q_apst_intervention_insert(struct store *s, struct apst_intervention_row *r, int64_t by, int64_t now)
{
    /* created_at only: the log is not edited (a mistake is a new entry). */
    return q_int(s,
        "INSERT INTO apst_interventions (taskforce_id, specialist_id, referral_id, delivered_on, activity, minutes, "
        "recorded_by, created_at) VALUES (?,?,?,?,?,?,?,?) RETURNING id",
        Q_PARAMS(QP_INT(r->taskforce_id), QP_INT(r->specialist_id), QP_ID(r->referral_id), QP_TEXT(r->delivered_on),
                 QP_TEXT(r->activity), QP_INT(r->minutes), QP_ID(by), QP_INT(now)), &r->id);
}

enum store_rc q_apst_interventions(struct store *s, int64_t taskforce_id, const char *from, const char *to,
                                   void (*fn)(void *arg, const struct apst_intervention_row *r), void *arg)
{
    return q_rows(s,
        IV_SELECT "WHERE i.taskforce_id = ? AND i.delivered_on >= ? AND i.delivered_on <= ? "
        "ORDER BY i.delivered_on DESC, i.id DESC LIMIT 500",
        Q_PARAMS(QP_INT(taskforce_id), QP_TEXT(from), QP_TEXT(to)), iv_each, &(struct iv_sink){fn, arg});
}

enum store_rc q_apst_intervention_get(struct store *s, int64_t id, struct apst_intervention_row *out)
{
    return q_row(s, IV_SELECT "WHERE i.id = ?", Q_PARAMS(QP_INT(id)), read_iv, out);
}

/* ---- the MI return ---- */

/* Accepted referrals open at some time from ?from to ?to. */
#define MI_SUPPORTED \
    "SELECT r.pupil_id FROM apst_referrals r WHERE r.taskforce_id = ? AND r.triage = 'accepted' " \
    "AND r.referred_on <= ? AND (r.closed_on IS NULL OR r.closed_on >= ?)"

Q_READER(read_mi_pupil, struct apst_mi_pupil, pupil_id, sen_provision, engagement, fsm, social_care, outreach)
Q_SINK(mip, struct apst_mi_pupil, read_mi_pupil)

enum store_rc q_apst_mi_pupils(struct store *s, int64_t taskforce_id, const char *from, const char *to,
                               void (*fn)(void *arg, const struct apst_mi_pupil *r), void *arg)
{
    /* FSM and social care: a record of the kind in force at some time in
     * the period (started by its end, not ended before its start). */
    return q_rows(s,
        "SELECT r.pupil_id, p.sen_provision, r.engagement, "
        "EXISTS (SELECT 1 FROM outcome_records o WHERE o.pupil_id = r.pupil_id AND o.kind = 'fsm' "
        "AND o.starts_on <= ? AND (o.ends_on IS NULL OR o.ends_on >= ?)), "
        "EXISTS (SELECT 1 FROM outcome_records o WHERE o.pupil_id = r.pupil_id AND o.kind = 'social_care' "
        "AND o.starts_on <= ? AND (o.ends_on IS NULL OR o.ends_on >= ?)), "
        "CASE WHEN p.school_id <> t.host_school_id THEN 1 ELSE 0 END "
        "FROM apst_referrals r JOIN pupils p ON p.id = r.pupil_id JOIN apst_taskforces f ON f.id = r.taskforce_id "
        "JOIN teams t ON t.id = f.team_id WHERE r.taskforce_id = ? AND r.triage = 'accepted' "
        "AND r.referred_on <= ? AND (r.closed_on IS NULL OR r.closed_on >= ?) ORDER BY r.pupil_id, r.id",
        Q_PARAMS(QP_TEXT(to), QP_TEXT(from), QP_TEXT(to), QP_TEXT(from), QP_INT(taskforce_id), QP_TEXT(to),
                 QP_TEXT(from)), mip_each, &(struct mip_sink){fn, arg});
}

Q_READER(read_mi_minutes, struct apst_mi_minutes, kind, activity, minutes)
Q_SINK(mim, struct apst_mi_minutes, read_mi_minutes)

enum store_rc q_apst_mi_minutes(struct store *s, int64_t taskforce_id, const char *from, const char *to,
                                void (*fn)(void *arg, const struct apst_mi_minutes *r), void *arg)
{
    return q_rows(s,
        "SELECT sp.kind, i.activity, sum(i.minutes) FROM apst_interventions i "
        "JOIN apst_specialists sp ON sp.id = i.specialist_id WHERE i.taskforce_id = ? AND i.voided_at IS NULL "
        "AND i.delivered_on >= ? AND i.delivered_on <= ? GROUP BY sp.kind, i.activity ORDER BY sp.kind, i.activity",
        Q_PARAMS(QP_INT(taskforce_id), QP_TEXT(from), QP_TEXT(to)), mim_each, &(struct mim_sink){fn, arg});
}

enum store_rc q_apst_mi_holiday_pupils(struct store *s, int64_t taskforce_id, const char *from, const char *to,
                                       int64_t *out)
{
    return q_int(s,
        "SELECT count(DISTINCT r.pupil_id) FROM apst_interventions i JOIN apst_referrals r ON r.id = i.referral_id "
        "WHERE i.taskforce_id = ? AND i.voided_at IS NULL AND i.activity = 'holiday' AND i.delivered_on >= ? "
        "AND i.delivered_on <= ?",
        Q_PARAMS(QP_INT(taskforce_id), QP_TEXT(from), QP_TEXT(to)), out);
}

enum store_rc q_apst_mi_outcomes(struct store *s, int64_t taskforce_id, const char *from, const char *to,
                                 struct apst_mi_outcomes *out)
{
    memset(out, 0, sizeof *out);
    struct store_stmt *st = store_prepare(s,
        "SELECT coalesce(sum(o.sessions_possible), 0), coalesce(sum(o.sessions_missed), 0), "
        "count(DISTINCT o.pupil_id) FROM outcome_records o WHERE o.kind = 'attendance' "
        "AND o.starts_on >= ? AND o.starts_on <= ? AND o.pupil_id IN (" MI_SUPPORTED ")");
    store_bind_text(st, 1, from);
    store_bind_text(st, 2, to);
    store_bind_int(st, 3, taskforce_id);
    store_bind_text(st, 4, to);
    store_bind_text(st, 5, from);
    enum store_rc rc = store_get_row(st, q_read_ints,
                                     (int64_t *[]){&out->sessions_possible, &out->sessions_missed,
                                                   &out->attendance_pupils, NULL});
    if (rc != STORE_ROW)
        return rc;
    st = store_prepare(s,
        "SELECT count(DISTINCT CASE WHEN o.kind = 'ap_placement' THEN o.pupil_id END), "
        "count(DISTINCT CASE WHEN o.kind = 'post16' AND o.code = 'EET' THEN o.pupil_id END), "
        "count(DISTINCT CASE WHEN o.kind = 'post16' AND o.code = 'NEET' THEN o.pupil_id END) "
        "FROM outcome_records o WHERE ((o.kind = 'ap_placement' AND o.ends_on >= ? AND o.ends_on <= ?) OR "
        "(o.kind = 'post16' AND o.starts_on >= ? AND o.starts_on <= ?)) AND o.pupil_id IN (" MI_SUPPORTED ")");
    store_bind_text(st, 1, from);
    store_bind_text(st, 2, to);
    store_bind_text(st, 3, from);
    store_bind_text(st, 4, to);
    store_bind_int(st, 5, taskforce_id);
    store_bind_text(st, 6, to);
    store_bind_text(st, 7, from);
    rc = store_get_row(st, q_read_ints, (int64_t *[]){&out->reintegrated, &out->eet, &out->neet, NULL});
    return rc == STORE_ROW ? STORE_OK : rc;
}
