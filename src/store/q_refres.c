/* Referral results: see q_refres.h. */
#include "store/q_refres.h"

#include <stdint.h>

#include "store/q_common.h"
#include "store/q_map.h"

Q_READER(read_referral, struct refres_row, authority_id, phase, service_id, service_code, service_name, outcome,
         referred_on, outcome_on, toolkit_before)

Q_SINK(referral, struct refres_row, read_referral)

enum store_rc q_refres_referrals(struct store *s, const struct dash_query *q, const char *toolkit,
                                 void (*fn)(void *arg, const struct refres_row *r), void *arg)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT ps.authority_id, ps.phase, sv.id, sv.code, sv.name, r.outcome, r.referred_on, "
        "coalesce(r.outcome_on, ''), "
        "CASE WHEN EXISTS (SELECT 1 FROM toolkit_completions tc JOIN toolkit_definitions td "
        "  ON td.id = tc.definition_id WHERE tc.pupil_id = c.pupil_id AND td.name = ? "
        "  AND tc.status = 'complete' AND tc.completed_on <= r.referred_on) THEN 1 ELSE 0 END "
        "FROM referrals r JOIN cases c ON c.id = r.case_id JOIN services sv ON sv.id = r.service_id "
        "JOIN pupils p ON p.id = c.pupil_id JOIN schools ps ON ps.id = p.school_id "
        "WHERE r.voided_at IS NULL AND r.referred_on >= ? AND r.referred_on <= ? "
        "AND ps.authority_id BETWEEN ? AND ? AND (? = 0 OR c.team_id = ?) "
        "AND (? = '' OR ps.phase = ?) AND (? = 0 OR ps.id = ?) AND " VIS_FILTER("ps.authority_id", "ps.id")
        " ORDER BY sv.name, sv.id, r.id");
    store_bind_text(st, 1, toolkit);
    store_bind_text(st, 2, q->from);
    store_bind_text(st, 3, q->to);
    if (q_dash_bind_by_team(st, 4, q) < 0)
        return q_refuse(st);
    return store_each_row(st, referral_each, &(struct referral_sink){fn, arg});
}

/* The meetings a row counts from: held, not voided, in the range, of a
 * team the filters reach (phase: the host school's; school: one of the
 * team's schools). */
#define HELD_MEETING(M, T) \
    M ".status = 'held' AND " M ".voided_at IS NULL AND " M ".meeting_date >= ? AND " M ".meeting_date <= ? " \
    "AND " T ".authority_id BETWEEN ? AND ? AND (? = 0 OR " T ".id = ?) " \
    "AND (? = '' OR EXISTS (SELECT 1 FROM schools hs WHERE hs.id = " T ".host_school_id AND hs.phase = ?)) " \
    "AND (? = 0 OR EXISTS (SELECT 1 FROM team_schools ts WHERE ts.team_id = " T ".id AND ts.school_id = ?)) " \
    "AND " VIS_FILTER(T ".authority_id", T ".host_school_id")

enum store_rc q_refres_professionals(struct store *s, const struct dash_query *q, int64_t from_epoch,
                                     int64_t to_epoch, int64_t *n)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT count(*) FROM ("
        /* present at a held meeting */
        " SELECT coalesce(a.practitioner_id, 0) AS pid, "
        "  CASE WHEN a.practitioner_id IS NULL THEN lower(trim(a.person_name)) ELSE '' END AS nm "
        " FROM attendance a JOIN meetings m ON m.id = a.meeting_id JOIN teams t ON t.id = m.team_id "
        " WHERE a.status = 'present' AND (a.practitioner_id IS NOT NULL OR trim(a.person_name) <> '') "
        " AND " HELD_MEETING("m", "t")
        /* owner of an action agreed at such a meeting */
        " UNION SELECT coalesce(x.owner_practitioner_id, 0), "
        "  CASE WHEN x.owner_practitioner_id IS NULL THEN lower(trim(x.owner_name)) ELSE '' END "
        " FROM actions x JOIN discussions d ON d.id = x.discussion_id AND d.voided_at IS NULL "
        " JOIN meetings m ON m.id = d.meeting_id JOIN teams t ON t.id = m.team_id "
        " WHERE x.voided_at IS NULL AND (x.owner_practitioner_id IS NOT NULL OR trim(x.owner_name) <> '') "
        " AND " HELD_MEETING("m", "t")
        /* owner of an action made outside a meeting, in the range */
        " UNION SELECT coalesce(x.owner_practitioner_id, 0), "
        "  CASE WHEN x.owner_practitioner_id IS NULL THEN lower(trim(x.owner_name)) ELSE '' END "
        " FROM actions x JOIN cases c ON c.id = x.case_id JOIN teams t ON t.id = c.team_id "
        " WHERE x.voided_at IS NULL AND x.discussion_id IS NULL "
        " AND (x.owner_practitioner_id IS NOT NULL OR trim(x.owner_name) <> '') "
        " AND x.created_at >= ? AND x.created_at <= ? "
        " AND t.authority_id BETWEEN ? AND ? AND (? = 0 OR t.id = ?) "
        " AND (? = '' OR EXISTS (SELECT 1 FROM schools hs WHERE hs.id = t.host_school_id AND hs.phase = ?)) "
        " AND (? = 0 OR EXISTS (SELECT 1 FROM team_schools ts WHERE ts.team_id = t.id AND ts.school_id = ?)) "
        " AND " VIS_FILTER("t.authority_id", "t.host_school_id")
        ") pe");
    int idx = 1;
    for (int part = 0; part < 3; part++) {
        if (part < 2) {
            store_bind_text(st, idx++, q->from);
            store_bind_text(st, idx++, q->to);
        } else {
            store_bind_int(st, idx++, from_epoch);
            store_bind_int(st, idx++, to_epoch);
        }
        idx = q_dash_bind_by_team(st, idx, q);
        if (idx < 0)
            return q_refuse(st);
    }
    return store_get_int(st, n);
}
