#include "store/q_budget.h"
#include "lib/count.h"
#include "store/q_map.h"
#include "store/q_params.h"

#include <stdlib.h>
#include <string.h>

/* Budget visibility: everything, the authorities, or whole teams. */
#define BUDGET_VIS(auth_col, team_col) \
    "(? = 1 OR " auth_col " IN (" VIS_SLOTS8 ") OR " team_col " IN (" VIS_SLOTS8 "))"

static int bind_budget_vis(struct store_stmt *st, int idx, const struct visibility *v)
{
    if (v->nauthorities > VIS_AUTH_SLOTS || v->nwhole_teams > 8)
        return -1;
    store_bind_int(st, idx++, v->all ? 1 : 0);
    idx = q_bind_slots(st, idx, v->authority_ids, v->nauthorities, VIS_AUTH_SLOTS);
    return q_bind_slots(st, idx, v->whole_team_ids, v->nwhole_teams, 8);
}

/* What an allocation (alias a) holds: committed less paid, paid, pending. */
#define ALLOC_PAID \
    "(SELECT coalesce(sum(bp.amount_pence), 0) FROM budget_payments bp JOIN budget_commitments bc " \
    "ON bc.id = bp.commitment_id WHERE bc.allocation_id = a.id AND bp.voided_at IS NULL)"
#define ALLOC_COMMITTED \
    "((SELECT coalesce(sum(bc.amount_pence), 0) FROM budget_commitments bc WHERE bc.allocation_id = a.id " \
    "AND bc.status = 'committed') - " ALLOC_PAID ")"
#define ALLOC_PENDING \
    "(SELECT coalesce(sum(bc.amount_pence), 0) FROM budget_commitments bc WHERE bc.allocation_id = a.id " \
    "AND bc.status = 'pending')"

/* ---- years ---- */

#define YEAR_COLS \
    "y.id, y.authority_id, y.start_year, y.label, y.starts_on, y.ends_on, " \
    "(SELECT coalesce(sum(amount_pence), 0) FROM budget_contributions WHERE year_id = y.id AND voided_at IS NULL), " \
    "(SELECT coalesce(sum(amount_pence), 0) FROM budget_allocations WHERE year_id = y.id), " \
    "(SELECT coalesce(sum(" ALLOC_COMMITTED "), 0) FROM budget_allocations a WHERE a.year_id = y.id), " \
    "(SELECT coalesce(sum(" ALLOC_PAID "), 0) FROM budget_allocations a WHERE a.year_id = y.id), " \
    "(SELECT coalesce(sum(" ALLOC_PENDING "), 0) FROM budget_allocations a WHERE a.year_id = y.id)"
Q_READER(read_year, struct budget_year_row, id, authority_id, start_year, label, starts_on, ends_on, pool,
         allocated, committed, paid, pending)

Q_SINK(year, struct budget_year_row, read_year)

enum store_rc q_budget_year_insert(struct store *s, int64_t authority_id, int start_year, const char *label,
                                   const char *starts_on, const char *ends_on, int64_t by, int64_t now,
                                   int64_t *id)
{
    return q_int(s,
        "INSERT INTO budget_years (authority_id, start_year, label, starts_on, ends_on, created_by, created_at, "
        "updated_at) VALUES (?,?,?,?,?,?,?,?) RETURNING id",
        Q_PARAMS(QP_INT(authority_id), QP_INT(start_year), QP_TEXT(label), QP_TEXT(starts_on), QP_TEXT(ends_on),
                 QP_ID(by), QP_INT(now), QP_INT(now)), id);
}

enum store_rc q_budget_year_get(struct store *s, int64_t id, struct budget_year_row *out)
{
    return q_get_id(s, "SELECT " YEAR_COLS " FROM budget_years y WHERE y.id = ?", id, read_year, out);
}

enum store_rc q_budget_year_list(struct store *s, const struct visibility *v,
                                 void (*fn)(void *arg, const struct budget_year_row *r), void *arg)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT " YEAR_COLS " FROM budget_years y WHERE " BUDGET_VIS("y.authority_id", "-1") " OR EXISTS ("
        "SELECT 1 FROM budget_allocations va WHERE va.year_id = y.id AND va.team_id IN (" VIS_SLOTS8 ")) "
        "ORDER BY y.start_year DESC, y.id DESC LIMIT 200");
    int i = bind_budget_vis(st, 1, v);
    if (i < 0)
        return q_refuse(st);
    q_bind_slots(st, i, v->whole_team_ids, v->nwhole_teams, 8);
    return store_each_row(st, year_each, &(struct year_sink){fn, arg});
}

/* ---- contributions ---- */

#define CONTRIB_COLS \
    "id, year_id, partner, partner_name, amount_pence, received_on, coalesce(created_by, 0), " \
    "voided_at IS NOT NULL, void_reason"

Q_READER(read_contribution, struct budget_contribution_row, id, year_id, partner, partner_name, amount, received_on,
         created_by, voided, void_reason)

Q_BINDER(bind_contribution, struct budget_contribution_row, Q_IN(year_id), Q_IN(partner), Q_IN(partner_name),
         Q_IN(amount), Q_IN(received_on), Q_OPT(created_by))

enum store_rc q_budget_contribution_insert(struct store *s, const struct budget_contribution_row *r, int64_t now,
                                           int64_t *id)
{
    return q_insert_rec(s,
        "INSERT INTO budget_contributions (year_id, partner, partner_name, amount_pence, received_on, created_by, "
        "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?) RETURNING id",
        bind_contribution, r, now, id);
}

enum store_rc q_budget_contribution_get(struct store *s, int64_t id, struct budget_contribution_row *out)
{
    return q_get_id(s, "SELECT " CONTRIB_COLS " FROM budget_contributions WHERE id = ?", id, read_contribution, out);
}

enum store_rc q_budget_contribution_update(struct store *s, const struct budget_contribution_row *r, int64_t now)
{
    return q_run_changed(s,
        "UPDATE budget_contributions SET partner = ?, partner_name = ?, amount_pence = ?, received_on = ?, "
        "updated_at = ? WHERE id = ? AND voided_at IS NULL",
        Q_PARAMS(QP_TEXT(r->partner), QP_TEXT(r->partner_name), QP_INT(r->amount), QP_TEXT(r->received_on),
                 QP_INT(now), QP_INT(r->id)));
}

enum store_rc q_budget_void(struct store *s, enum budget_kind kind, int64_t id, const char *reason, int64_t by,
                            int64_t now)
{
    static const struct q_void_sql sql[] = {
        [BUDGET_KIND_CONTRIBUTION] = Q_VOID_SQL("budget_contributions", ""),
        [BUDGET_KIND_INTERVENTION] = Q_VOID_SQL("interventions", ", active = 0"),
        [BUDGET_KIND_COMMITMENT] = Q_VOID_SQL("budget_commitments", ", status = 'cancelled'"),
        [BUDGET_KIND_PLACEMENT] = Q_VOID_SQL("placements", ""),
        [BUDGET_KIND_PAYMENT] = Q_VOID_SQL_ONLY("budget_payments"),  /* a payment has no updated_at */
    };
    return Q_EXEC_VOID_OF(s, sql, kind, id, reason, by, now);
}

/* budget_corrections.kind, by enum budget_kind. */
static const char *const kinds[] = {"contribution", "intervention", "commitment", "placement", "payment"};

enum store_rc q_budget_correction_insert(struct store *s, const struct budget_correction_row *r)
{
    if ((int)r->kind < 0 || (size_t)r->kind >= COUNT(kinds))
        return STORE_ERROR;
    return q_run(s,
        "INSERT INTO budget_corrections (kind, record_id, action, before, after, reason, made_by, made_at) "
        "VALUES (?,?,?,?,?,?,?,?)",
        Q_PARAMS(QP_TEXT(kinds[r->kind]), QP_INT(r->record_id), QP_TEXT(r->action), QP_TEXT(r->before),
                 QP_TEXT(r->after), QP_TEXT(r->reason), QP_ID(r->made_by), QP_INT(r->made_at)));
}

Q_READER(read_correction, struct budget_correction_row, id, record_id, action, before, after, reason, made_by,
         made_by_name, made_at)

Q_SINK(correction, struct budget_correction_row, read_correction)

enum store_rc q_budget_correction_list(struct store *s, enum budget_kind kind, int64_t record_id,
                                       void (*fn)(void *arg, const struct budget_correction_row *r), void *arg)
{
    if ((int)kind < 0 || (size_t)kind >= COUNT(kinds))
        return STORE_ERROR;
    return q_rows(s,
        "SELECT b.id, b.record_id, b.action, b.before, b.after, b.reason, coalesce(b.made_by, 0), "
        "coalesce(u.display_name, ''), b.made_at FROM budget_corrections b LEFT JOIN users u ON u.id = b.made_by "
        "WHERE b.kind = ? AND b.record_id = ? ORDER BY b.made_at, b.id LIMIT 200",
        Q_PARAMS(QP_TEXT(kinds[kind]), QP_INT(record_id)), correction_each, &(struct correction_sink){fn, arg});
}

Q_LIST_OF_ID(q_budget_contribution_list, struct budget_contribution_row, read_contribution,
    "SELECT " CONTRIB_COLS " FROM budget_contributions WHERE year_id = ? ORDER BY received_on, id")

/* ---- allocations ---- */

#define ALLOC_COLS \
    "a.id, a.year_id, a.team_id, t.name, a.amount_pence, " ALLOC_COMMITTED ", " ALLOC_PAID ", " ALLOC_PENDING \
    ", y.authority_id, y.label"
#define ALLOC_FROM " FROM budget_allocations a JOIN teams t ON t.id = a.team_id JOIN budget_years y ON y.id = a.year_id "
Q_READER(read_allocation, struct budget_allocation_row, id, year_id, team_id, team_name, amount, committed, paid,
         pending, authority_id, year_label)

Q_SINK(allocation, struct budget_allocation_row, read_allocation)

enum store_rc q_budget_allocation_set(struct store *s, int64_t year_id, int64_t team_id, int64_t amount, int64_t by,
                                      int64_t now, int64_t *id)
{
    return q_int(s,
        "INSERT INTO budget_allocations (year_id, team_id, amount_pence, created_by, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?) ON CONFLICT (year_id, team_id) DO UPDATE SET amount_pence = excluded.amount_pence, "
        "updated_at = excluded.updated_at RETURNING id",
        Q_PARAMS(QP_INT(year_id), QP_INT(team_id), QP_INT(amount), QP_ID(by), QP_INT(now), QP_INT(now)), id);
}

enum store_rc q_budget_allocation_get(struct store *s, int64_t id, struct budget_allocation_row *out)
{
    return q_get_id(s, "SELECT " ALLOC_COLS ALLOC_FROM "WHERE a.id = ?", id, read_allocation, out);
}

enum store_rc q_budget_allocation_list(struct store *s, int64_t year_id, const struct visibility *v,
                                       void (*fn)(void *arg, const struct budget_allocation_row *r), void *arg)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT " ALLOC_COLS ALLOC_FROM "WHERE (? = 0 OR a.year_id = ?) AND " BUDGET_VIS("y.authority_id", "a.team_id")
        " ORDER BY y.start_year DESC, t.name, a.id LIMIT 500");
    store_bind_int(st, 1, year_id);
    store_bind_int(st, 2, year_id);
    if (bind_budget_vis(st, 3, v) < 0)
        return q_refuse(st);
    return store_each_row(st, allocation_each, &(struct allocation_sink){fn, arg});
}

enum store_rc q_budget_allocation_of(struct store *s, int64_t year_id, int64_t team_id,
                                     struct budget_allocation_row *out)
{
    return q_row(s, "SELECT " ALLOC_COLS ALLOC_FROM "WHERE a.year_id = ? AND a.team_id = ?",
        Q_PARAMS(QP_INT(year_id), QP_INT(team_id)), read_allocation, out);
}

enum store_rc q_budget_allocation_change_insert(struct store *s, const struct budget_allocation_change_row *r)
{
    return q_run(s,
        "INSERT INTO budget_allocation_changes (allocation_id, old_pence, new_pence, reason, changed_by, changed_at) "
        "VALUES (?,?,?,?,?,?)",
        Q_PARAMS(QP_INT(r->allocation_id), QP_INT_IF(r->had_old, r->old_amount), QP_INT(r->new_amount),
                 QP_TEXT(r->reason), QP_ID(r->changed_by), QP_INT(r->changed_at)));
}

static void read_allocation_change(struct store_stmt *st, void *row)
{
    struct budget_allocation_change_row *r = row;
    memset(r, 0, sizeof *r);
    r->id = store_col_int(st, 0);
    r->allocation_id = store_col_int(st, 1);
    r->had_old = !store_col_is_null(st, 2);
    r->old_amount = store_col_int(st, 2);
    r->new_amount = store_col_int(st, 3);
    store_col_copy(st, 4, r->reason, sizeof r->reason);
    r->changed_by = store_col_int(st, 5);
    store_col_copy(st, 6, r->changed_by_name, sizeof r->changed_by_name);
    r->changed_at = store_col_int(st, 7);
}

Q_LIST_OF_ID(q_budget_allocation_change_list, struct budget_allocation_change_row, read_allocation_change,
    "SELECT h.id, h.allocation_id, h.old_pence, h.new_pence, h.reason, coalesce(h.changed_by, 0), "
    "coalesce(u.display_name, ''), h.changed_at FROM budget_allocation_changes h "
    "LEFT JOIN users u ON u.id = h.changed_by WHERE h.allocation_id = ? ORDER BY h.changed_at, h.id LIMIT 500")

enum store_rc q_budget_allocated_others(struct store *s, int64_t year_id, int64_t team_id, int64_t *sum)
{
    return q_int(s,
        "SELECT coalesce(sum(amount_pence), 0) FROM budget_allocations WHERE year_id = ? AND team_id <> ?",
        Q_PARAMS(QP_INT(year_id), QP_INT(team_id)), sum);
}

/* ---- limits ---- */

/* Each kind's table, key column and amount column, in one shape: the
 * authority and the key, then (to set) the amount, who set it and when. */
#define PENCE_SQL(table, key, value) \
    {"SELECT " value " FROM " table " WHERE authority_id = ? AND " key " = ?", \
     "INSERT INTO " table " (authority_id, " key ", " value ", updated_by, updated_at) VALUES (?,?,?,?,?) " \
     "ON CONFLICT (authority_id, " key ") DO UPDATE SET " value " = excluded." value ", " \
     "updated_by = excluded.updated_by, updated_at = excluded.updated_at"}
static const struct {
    const char *get, *set;
} pence_sql[] = {
    [BUDGET_PENCE_LIMIT] = PENCE_SQL("budget_limits", "role", "limit_pence"),
    [BUDGET_PENCE_UNIT_COST] = PENCE_SQL("budget_unit_costs", "cost_key", "pence"),
};
#undef PENCE_SQL

enum store_rc q_budget_pence_get(struct store *s, enum budget_pence what, int64_t authority_id, const char *key,
                                 int64_t *pence)
{
    if ((unsigned)what >= COUNT(pence_sql))
        return STORE_ERROR;
    return q_int(s, pence_sql[what].get, Q_PARAMS(QP_INT(authority_id), QP_TEXT(key)), pence);
}

enum store_rc q_budget_pence_set(struct store *s, enum budget_pence what, int64_t authority_id, const char *key,
                                 int64_t pence, int64_t by, int64_t now)
{
    if ((unsigned)what >= COUNT(pence_sql))
        return STORE_ERROR;
    return q_run(s, pence_sql[what].set,
        Q_PARAMS(QP_INT(authority_id), QP_TEXT(key), QP_INT(pence), QP_ID(by), QP_INT(now)));
}

/* ---- commitments ---- */

#define COMMIT_COLS \
    "c.id, c.allocation_id, c.description, c.amount_pence, c.committed_on, c.status, c.needs, " \
    "coalesce(c.intervention_id, 0), coalesce(i.name, ''), coalesce(c.units, 0), coalesce(c.requested_by, 0), " \
    "coalesce(u.display_name, ''), (SELECT coalesce(sum(amount_pence), 0) FROM budget_payments " \
    "WHERE commitment_id = c.id AND voided_at IS NULL), c.created_at, a.team_id, t.name, y.authority_id, y.id, y.label, " \
    "coalesce(c.changed_by, 0), c.voided_at IS NOT NULL, c.void_reason, " \
    "(SELECT count(*) FROM placements vp WHERE vp.commitment_id = c.id AND vp.voided_at IS NULL)"
#define COMMIT_FROM \
    " FROM budget_commitments c JOIN budget_allocations a ON a.id = c.allocation_id " \
    "JOIN teams t ON t.id = a.team_id JOIN budget_years y ON y.id = a.year_id " \
    "LEFT JOIN interventions i ON i.id = c.intervention_id LEFT JOIN users u ON u.id = c.requested_by "
Q_READER(read_commitment, struct budget_commitment_row, id, allocation_id, description, amount, committed_on,
         status, needs, intervention_id, intervention_name, units, requested_by, requested_by_name, paid,
         created_at, team_id, team_name, authority_id, year_id, year_label, changed_by, voided, void_reason,
         placements)

Q_SINK(commitment, struct budget_commitment_row, read_commitment)

Q_BINDER(bind_commitment, struct budget_commitment_row, Q_IN(allocation_id), Q_IN(description), Q_IN(amount),
         Q_IN(committed_on), Q_IN(status), Q_IN(needs), Q_OPT(intervention_id), Q_OPT(units), Q_OPT(requested_by))

enum store_rc q_budget_commitment_insert(struct store *s, const struct budget_commitment_row *r, int64_t now,
                                         int64_t *id)
{
    return q_insert_rec(s,
        "INSERT INTO budget_commitments (allocation_id, description, amount_pence, committed_on, status, needs, "
        "intervention_id, units, requested_by, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
        bind_commitment, r, now, id);
}

enum store_rc q_budget_commitment_get(struct store *s, int64_t id, struct budget_commitment_row *out)
{
    return q_get_id(s, "SELECT " COMMIT_COLS COMMIT_FROM "WHERE c.id = ?", id, read_commitment, out);
}

enum store_rc q_budget_commitment_list(struct store *s, int64_t allocation_id, const char *status,
                                       const struct visibility *v,
                                       void (*fn)(void *arg, const struct budget_commitment_row *r), void *arg)
{
    struct store_stmt *st;
    if (allocation_id) {
        st = store_prepare(s, "SELECT " COMMIT_COLS COMMIT_FROM "WHERE c.allocation_id = ? "
                              "ORDER BY c.committed_on DESC, c.id DESC LIMIT 500");
        store_bind_int(st, 1, allocation_id);
    } else {
        st = store_prepare(s, "SELECT " COMMIT_COLS COMMIT_FROM "WHERE c.status = ? AND "
                              BUDGET_VIS("y.authority_id", "a.team_id") " ORDER BY c.created_at, c.id LIMIT 500");
        store_bind_text(st, 1, status);
        if (bind_budget_vis(st, 2, v) < 0)
            return q_refuse(st);
    }
    return store_each_row(st, commitment_each, &(struct commitment_sink){fn, arg});
}

enum store_rc q_budget_commitment_decide(struct store *s, int64_t id, const char *status, int64_t now)
{
    return q_run(s,
        "UPDATE budget_commitments SET status = ?, updated_at = ? WHERE id = ? AND status = 'pending'",
        Q_PARAMS(QP_TEXT(status), QP_INT(now), QP_INT(id)));
}

enum store_rc q_budget_commitment_correct(struct store *s, const struct budget_commitment_row *r, int64_t by,
                                          int64_t now)
{
    return q_run_changed(s,
        "UPDATE budget_commitments SET description = ?, amount_pence = ?, committed_on = ?, units = ?, status = ?, "
        "needs = ?, changed_by = ?, updated_at = ? WHERE id = ? AND voided_at IS NULL "
        "AND status IN ('pending', 'committed')",
        Q_PARAMS(QP_TEXT(r->description), QP_INT(r->amount), QP_TEXT(r->committed_on), QP_ID(r->units),
                 QP_TEXT(r->status), QP_INT(r->needs), QP_ID(by), QP_INT(now), QP_INT(r->id)));
}

/* ---- payments ---- */

#define PAYMENT_COLS \
    "p.id, p.commitment_id, p.amount_pence, p.paid_on, p.reference, coalesce(p.recorded_by, 0), " \
    "coalesce(u.display_name, ''), p.voided_at IS NOT NULL, p.void_reason " \
    "FROM budget_payments p LEFT JOIN users u ON u.id = p.recorded_by"

Q_READER(read_payment, struct budget_payment_row, id, commitment_id, amount, paid_on, reference, recorded_by,
         recorded_by_name, voided, void_reason)

enum store_rc q_budget_payment_insert(struct store *s, const struct budget_payment_row *r, int64_t now, int64_t *id)
{
    return q_int(s,
        "INSERT INTO budget_payments (commitment_id, amount_pence, paid_on, reference, recorded_by, created_at) "
        "VALUES (?,?,?,?,?,?) RETURNING id",
        Q_PARAMS(QP_INT(r->commitment_id), QP_INT(r->amount), QP_TEXT(r->paid_on), QP_TEXT(r->reference),
                 QP_ID(r->recorded_by), QP_INT(now)), id);
}

Q_LIST_OF_ID(q_budget_payment_list, struct budget_payment_row, read_payment,
    "SELECT " PAYMENT_COLS " WHERE p.commitment_id = ? ORDER BY p.paid_on, p.id")

enum store_rc q_budget_payment_get(struct store *s, int64_t id, struct budget_payment_row *out)
{
    return q_get_id(s, "SELECT " PAYMENT_COLS " WHERE p.id = ?", id, read_payment, out);
}

/* ---- approvals ---- */

Q_READER(read_approval, struct budget_approval_row, id, commitment_id, decision, amount, role, limit, note,
         decided_by, decided_by_name, decided_at)

enum store_rc q_budget_approval_insert(struct store *s, const struct budget_approval_row *r, int64_t *id)
{
    return q_int(s,
        "INSERT INTO budget_approvals (commitment_id, decision, amount_pence, role, limit_pence, note, decided_by, "
        "decided_at) VALUES (?,?,?,?,?,?,?,?) RETURNING id",
        Q_PARAMS(QP_INT(r->commitment_id), QP_TEXT(r->decision), QP_INT(r->amount), QP_TEXT(r->role), QP_INT(r->limit),
                 QP_TEXT(r->note), QP_ID(r->decided_by), QP_INT(r->decided_at)), id);
}

Q_LIST_OF_ID(q_budget_approval_list, struct budget_approval_row, read_approval,
    "SELECT b.id, b.commitment_id, b.decision, b.amount_pence, b.role, b.limit_pence, b.note, "
    "coalesce(b.decided_by, 0), coalesce(u.display_name, ''), b.decided_at FROM budget_approvals b "
    "LEFT JOIN users u ON u.id = b.decided_by WHERE b.commitment_id = ? ORDER BY b.decided_at, b.id")

/* ---- teams ---- */

Q_READER(read_team, struct budget_team, id, name, authority_id, active)

enum store_rc q_budget_team_get(struct store *s, int64_t id, struct budget_team *out)
{
    return q_get_id(s, "SELECT id, name, authority_id, active FROM teams WHERE id = ?", id, read_team, out);
}

Q_LIST_OF_ID(q_budget_team_list, struct budget_team, read_team,
    "SELECT id, name, authority_id, active FROM teams WHERE authority_id = ? AND active = 1 ORDER BY name, id")

/* ---- interventions ---- */

#define INT_COLS \
    "i.id, i.authority_id, i.name, i.provider, i.unit, i.unit_cost_pence, i.capacity, i.eligibility, i.active, " \
    "(SELECT count(*) FROM placements p JOIN budget_commitments c ON c.id = p.commitment_id " \
    "WHERE c.intervention_id = i.id AND p.voided_at IS NULL AND c.status = 'committed' " \
    "AND p.starts_on <= ? AND (p.ends_on IS NULL OR p.ends_on >= ?)), i.voided_at IS NOT NULL, i.void_reason, " \
    "(SELECT count(*) FROM budget_commitments c WHERE c.intervention_id = i.id AND c.voided_at IS NULL " \
    "AND c.status IN ('pending', 'committed'))"

Q_READER(read_intervention, struct intervention_row, id, authority_id, name, provider, unit, unit_cost, capacity,
         eligibility, active, current, voided, void_reason, decisions)

static void read_aim(struct store_stmt *st, void *row)
{
    struct intervention_row *r = row;
    if (r->naims < BUDGET_AIMS_MAX)
        store_col_copy(st, 0, r->aims[r->naims++], sizeof r->aims[0]);
}

static enum store_rc load_aims(struct store *s, struct intervention_row *r)
{
    r->naims = 0;
    return q_each_id(s, "SELECT indicator FROM intervention_aims WHERE intervention_id = ? ORDER BY indicator",
                     r->id, read_aim, r);
}

Q_BINDER(bind_intervention, struct intervention_row, Q_IN(authority_id), Q_IN(name), Q_IN(provider), Q_IN(unit),
         Q_IN(unit_cost), Q_IN(capacity), Q_IN(eligibility))

enum store_rc q_intervention_insert(struct store *s, struct intervention_row *r, int64_t now)
{
    enum store_rc rc = q_insert_rec(s,
        "INSERT INTO interventions (authority_id, name, provider, unit, unit_cost_pence, capacity, eligibility, "
        "active, created_at, updated_at) VALUES (?,?,?,?,?,?,?,1,?,?) RETURNING id",
        bind_intervention, r, now, &r->id);
    for (size_t i = 0; rc == STORE_OK && i < r->naims && i < BUDGET_AIMS_MAX; i++) {
        rc = q_run(s, "INSERT INTO intervention_aims (intervention_id, indicator) VALUES (?,?)",
            Q_PARAMS(QP_INT(r->id), QP_TEXT(r->aims[i])));
    }
    return rc;
}

enum store_rc q_intervention_update(struct store *s, const struct intervention_row *r, int64_t now)
{
    return q_run_changed(s,
        "UPDATE interventions SET name = ?, provider = ?, unit_cost_pence = ?, capacity = ?, eligibility = ?, "
        "updated_at = ? WHERE id = ? AND voided_at IS NULL",
        Q_PARAMS(QP_TEXT(r->name), QP_TEXT(r->provider), QP_INT(r->unit_cost), QP_INT(r->capacity),
                 QP_TEXT(r->eligibility), QP_INT(now), QP_INT(r->id)));
}

/* INT_COLS counts the places current today: its two '?' come first, then
 * the one id of the WHERE. */
static struct store_stmt *prepare_interventions(struct store *s, const char *sql, const char *today, int64_t id)
{
    struct store_stmt *st = store_prepare(s, sql);
    store_bind_text(st, 1, today);
    store_bind_text(st, 2, today);
    store_bind_int(st, 3, id);
    return st;
}

enum store_rc q_intervention_get(struct store *s, int64_t id, const char *today, struct intervention_row *out)
{
    struct store_stmt *st = prepare_interventions(s, "SELECT " INT_COLS " FROM interventions i WHERE i.id = ?",
                                                  today, id);
    enum store_rc rc = store_get_row(st, read_intervention, out);
    if (rc == STORE_ROW && load_aims(s, out) != STORE_OK)
        rc = STORE_ERROR;
    return rc;
}

struct int_list {
    struct store *s;
    void (*fn)(void *arg, const struct intervention_row *r);
    void *arg;
    size_t n;
    struct intervention_row rows[200];
};

static void int_collect(struct store_stmt *st, void *arg)
{
    struct int_list *l = arg;
    if (l->n < COUNT(l->rows))
        read_intervention(st, &l->rows[l->n++]);
}

enum store_rc q_intervention_list(struct store *s, int64_t authority_id, const char *today,
                                  void (*fn)(void *arg, const struct intervention_row *r), void *arg)
{
    /* Read the rows first, then each one's aims (one statement at a time). */
    struct int_list *l = calloc(1, sizeof *l);
    if (!l)
        return STORE_ERROR;
    struct store_stmt *st = prepare_interventions(s, "SELECT " INT_COLS " FROM interventions i "
                                                  "WHERE i.authority_id = ? ORDER BY i.active DESC, i.name, i.provider, i.id LIMIT 200",
                                                  today, authority_id);
    enum store_rc rc = store_each_row(st, int_collect, l);
    for (size_t i = 0; rc == STORE_OK && i < l->n; i++)
        rc = load_aims(s, &l->rows[i]);
    for (size_t i = 0; rc == STORE_OK && i < l->n; i++)
        fn(arg, &l->rows[i]);
    free(l);
    return rc;
}

/* ---- placements ---- */

#define PLACE_COLS \
    "p.id, p.commitment_id, p.pupil_id, coalesce(p.action_id, 0), p.starts_on, coalesce(p.ends_on, ''), " \
    "p.units_used, coalesce(p.created_by, 0), c.intervention_id, i.name, pu.forenames || ' ' || pu.surname, " \
    "coalesce(ac.case_id, 0), a.team_id, y.authority_id, p.voided_at IS NOT NULL, p.void_reason"
#define PLACE_FROM \
    " FROM placements p JOIN budget_commitments c ON c.id = p.commitment_id " \
    "JOIN budget_allocations a ON a.id = c.allocation_id JOIN budget_years y ON y.id = a.year_id " \
    "JOIN interventions i ON i.id = c.intervention_id JOIN pupils pu ON pu.id = p.pupil_id " \
    "LEFT JOIN actions ac ON ac.id = p.action_id "

Q_READER(read_placement, struct placement_row, id, commitment_id, pupil_id, action_id, starts_on, ends_on,
         units_used, created_by, intervention_id, intervention_name, pupil_name, case_id, team_id, authority_id,
         voided, void_reason)

Q_SINK(placement, struct placement_row, read_placement)

Q_BINDER(bind_placement, struct placement_row, Q_IN(commitment_id), Q_IN(pupil_id), Q_OPT(action_id),
         Q_IN(starts_on), Q_OPT(ends_on), Q_IN(units_used), Q_OPT(created_by))

enum store_rc q_placement_insert(struct store *s, const struct placement_row *r, int64_t now, int64_t *id)
{
    return q_insert_rec(s,
        "INSERT INTO placements (commitment_id, pupil_id, action_id, starts_on, ends_on, units_used, created_by, "
        "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
        bind_placement, r, now, id);
}

enum store_rc q_placement_update(struct store *s, const struct placement_row *r, int64_t now)
{
    return q_run(s,
        "UPDATE placements SET units_used = ?, ends_on = ?, starts_on = ?, updated_at = ? WHERE id = ? "
        "AND voided_at IS NULL",
        Q_PARAMS(QP_INT(r->units_used), QP_OPT_TEXT(r->ends_on), QP_TEXT(r->starts_on), QP_INT(now), QP_INT(r->id)));
}

enum store_rc q_placement_get(struct store *s, int64_t id, struct placement_row *out)
{
    return q_get_id(s, "SELECT " PLACE_COLS PLACE_FROM "WHERE p.id = ?", id, read_placement, out);
}

enum store_rc q_placement_list(struct store *s, int64_t commitment_id, int64_t action_id,
                               void (*fn)(void *arg, const struct placement_row *r), void *arg)
{
    return q_rows(s,
        "SELECT " PLACE_COLS PLACE_FROM "WHERE p.commitment_id = ? OR p.action_id = ? ORDER BY p.starts_on, p.id "
        "LIMIT 500",
        Q_PARAMS(QP_INT(commitment_id), QP_INT(action_id)), placement_each, &(struct placement_sink){fn, arg});
}

enum store_rc q_placement_units(struct store *s, int64_t commitment_id, int64_t except_id, int64_t *units)
{
    return q_int(s,
        "SELECT coalesce(sum(units_used), 0) FROM placements WHERE commitment_id = ? AND id <> ? "
        "AND voided_at IS NULL",
        Q_PARAMS(QP_INT(commitment_id), QP_INT(except_id)), units);
}

struct period_sink {
    struct budget_period *out;
    size_t max, n;
    bool over;
};

static void period_each(struct store_stmt *st, void *arg)
{
    struct period_sink *k = arg;
    if (k->n >= k->max) {
        k->over = true;
        return;
    }
    store_col_copy(st, 0, k->out[k->n].starts, sizeof k->out[0].starts);
    store_col_copy(st, 1, k->out[k->n].ends, sizeof k->out[0].ends);
    k->n++;
}

enum store_rc q_placement_periods(struct store *s, int64_t intervention_id, const char *starts, const char *ends,
                                  int64_t except_id, struct budget_period *out, size_t max, size_t *n)
{
    struct period_sink k = {out, max, 0, false};
    enum store_rc rc = q_rows(s,
        "SELECT p.starts_on, coalesce(p.ends_on, '') FROM placements p "
        "JOIN budget_commitments c ON c.id = p.commitment_id "
        "WHERE c.intervention_id = ? AND p.id <> ? AND p.voided_at IS NULL AND c.status = 'committed' "
        "AND (p.ends_on IS NULL OR p.ends_on >= ?) AND (? = '' OR p.starts_on <= ?) ORDER BY p.starts_on, p.id",
        Q_PARAMS(QP_INT(intervention_id), QP_INT(except_id), QP_TEXT(starts), QP_TEXT_TWICE(ends ? ends : "")),
        period_each, &k);
    *n = k.n;
    return rc == STORE_OK && k.over ? STORE_ERROR : rc;
}

Q_READER(read_action, struct budget_action, id, description, case_id, pupil_id, pupil_name)

Q_LIST_OF_ID(q_budget_team_actions, struct budget_action, read_action,
    "SELECT ac.id, substr(ac.description, 1, 120), c.id, p.id, p.forenames || ' ' || p.surname "
    "FROM actions ac JOIN cases c ON c.id = ac.case_id JOIN pupils p ON p.id = c.pupil_id "
    "WHERE c.team_id = ? AND c.status = 'open' AND ac.status = 'open' AND ac.voided_at IS NULL "
    "ORDER BY ac.id DESC LIMIT 200")

/* ---- the report ---- */

Q_READER(read_report_place, struct budget_report_place, placement_id, pupil_id, intervention_id, phase, starts_on)

Q_LIST_OF_ID(q_budget_report_places, struct budget_report_place, read_report_place,
    "SELECT p.id, p.pupil_id, c.intervention_id, sc.phase, p.starts_on FROM placements p "
    "JOIN budget_commitments c ON c.id = p.commitment_id JOIN budget_allocations a ON a.id = c.allocation_id "
    "JOIN pupils pu ON pu.id = p.pupil_id JOIN schools sc ON sc.id = pu.school_id "
    "WHERE a.year_id = ? AND c.status = 'committed' AND p.voided_at IS NULL "
    "ORDER BY c.intervention_id, p.pupil_id, p.starts_on, p.id")

Q_READER(read_report_spend, struct budget_report_spend, intervention_id, committed, paid)

Q_LIST_OF_ID(q_budget_report_spend, struct budget_report_spend, read_report_spend,
    "SELECT c.intervention_id, sum(c.amount_pence), coalesce(sum((SELECT sum(bp.amount_pence) "
    "FROM budget_payments bp WHERE bp.commitment_id = c.id AND bp.voided_at IS NULL)), 0) FROM budget_commitments c "
    "JOIN budget_allocations a ON a.id = c.allocation_id WHERE a.year_id = ? AND c.status = 'committed' "
    "AND c.intervention_id IS NOT NULL GROUP BY c.intervention_id ORDER BY c.intervention_id")
