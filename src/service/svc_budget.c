#include "service/svc_budget.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/casefile.h"
#include "core/validate.h"
#include "service/svc_actions.h"
#include "service/svc_audit.h"
#include "service/svc_dashboard.h"
#include "service/svc_outcomes.h"
#include "store/q_dashboard.h"

static struct resource budget_res(int64_t id, int64_t authority_id, int64_t team_id)
{
    struct resource r = {.kind = RES_BUDGET, .id = id, .authority_id = authority_id, .team_id = team_id};
    return r;
}

bool svc_budget_may(const struct svc_ctx *c, enum action a, int64_t authority_id, int64_t team_id)
{
    struct resource r = budget_res(0, authority_id, team_id);
    return authority_id > 0 && policy_decide(c->who, a, &r).allow;
}

static bool may(const struct svc_ctx *c, enum action a, int64_t id, int64_t authority_id, int64_t team_id)
{
    struct resource r = budget_res(id, authority_id, team_id);
    return authority_id > 0 && policy_decide(c->who, a, &r).allow;
}

/* Every change and approval is recorded: what, which record, where. */
static enum svc_status audit(struct svc_ctx *c, const char *action, const char *kind, int64_t id,
                             int64_t authority_id, const char *detail)
{
    struct audit_event ev = {.action = action, .kind = kind, .resource_id = id, .authority_id = authority_id,
                             .detail = detail};
    return svc_audit_record(c, &ev);
}

/* A change and its audit entry, together or not at all. */
static enum svc_status end_change(struct svc_ctx *c, enum svc_status st)
{
    enum store_rc rc = store_end_write(c->db, st == SVC_OK ? STORE_OK : STORE_ERROR);
    return st == SVC_OK && rc != STORE_OK ? SVC_ERROR : st;
}

static int amount_field(const char *in, const char *field, const char *what, bool zero_ok, int64_t *out,
                        struct field_errors *errs)
{
    char msg[160];
    if (!in || !*in) {
        snprintf(msg, sizeof msg, "Enter %s", what);
        field_errors_add(errs, field, msg);
        return -1;
    }
    if (budget_parse_pounds(in, out) != 0) {
        snprintf(msg, sizeof msg, "Enter %s in pounds and pence, like 1,250.00", what);
        field_errors_add(errs, field, msg);
        return -1;
    }
    if (!zero_ok && *out == 0) {
        snprintf(msg, sizeof msg, "Enter %s of more than 0", what);
        field_errors_add(errs, field, msg);
        return -1;
    }
    return 0;
}


/* ---- limits ---- */

static int64_t limit_of(struct svc_ctx *c, int64_t authority_id, enum role role)
{
    int64_t v = 0;
    if (role == ROLE_BUDGET_HOLDER || role == ROLE_BUDGET_APPROVER) {
        if (q_budget_pence_get(c->db, BUDGET_PENCE_LIMIT, authority_id, role_code(role), &v) != STORE_OK)
            v = role == ROLE_BUDGET_HOLDER ? BUDGET_DEFAULT_COMMIT_LIMIT : BUDGET_DEFAULT_APPROVE_LIMIT;
    }
    return v;
}

/* The largest limit of the user's roles that allow a on r: only a budget
 * holder's role carries a commitment limit and only an approver's an
 * approval limit, so an administrator's commitments all need approval
 * and an administrator approves nothing (they keep the system, not the
 * money).  *role: the role the limit belongs to. */
static int64_t user_limit(struct svc_ctx *c, enum action a, const struct resource *r, enum role want,
                          enum role *role)
{
    unsigned roles = policy_roles_allowing(c->who, a, r);
    *role = ROLE__COUNT;
    if (roles & (1u << want)) {
        *role = want;
        return limit_of(c, r->authority_id, want);
    }
    for (int k = 0; k < ROLE__COUNT && *role == ROLE__COUNT; k++)
        if (roles & (1u << k))
            *role = (enum role)k;
    return 0;
}

enum svc_status svc_budget_limits(struct svc_ctx *c, int64_t authority_id, int64_t *holder, int64_t *approver)
{
    if (!may(c, ACT_VIEW, 0, authority_id, 0))
        return SVC_FORBIDDEN;
    *holder = limit_of(c, authority_id, ROLE_BUDGET_HOLDER);
    *approver = limit_of(c, authority_id, ROLE_BUDGET_APPROVER);
    return SVC_OK;
}

enum svc_status svc_budget_limits_set(struct svc_ctx *c, int64_t authority_id, const char *holder,
                                      const char *approver, struct field_errors *errs)
{
    if (!may(c, ACT_EDIT, 0, authority_id, 0))
        return SVC_FORBIDDEN;
    int64_t h = 0, a = 0;
    amount_field(holder, "holder_limit", "the budget holder's limit", true, &h, errs);
    amount_field(approver, "approver_limit", "the approver's limit", true, &a, errs);
    if (errs->count)
        return SVC_INVALID;
    enum store_rc rc = store_begin_write(c->db);
    if (rc == STORE_OK)
        rc = q_budget_pence_set(c->db, BUDGET_PENCE_LIMIT, authority_id, "budget_holder", h, c->who->user_id, c->now);
    if (rc == STORE_OK)
        rc = q_budget_pence_set(c->db, BUDGET_PENCE_LIMIT, authority_id, "budget_approver", a, c->who->user_id, c->now);
    enum svc_status st = svc_from_store(rc);
    if (st == SVC_OK)
        st = audit(c, "edit", "budget_limits", authority_id, authority_id, "budget.limits");
    return end_change(c, st);
}

/* ---- years ---- */

static bool year_visible(struct svc_ctx *c, const struct budget_year_row *r)
{
    return may(c, ACT_VIEW, r->id, r->authority_id, 0);
}

SVC_ROW_FILTER(overview, struct budget_year_row, year_visible)

enum svc_status svc_budget_overview(struct svc_ctx *c,
                                    void (*year_fn)(void *arg, const struct budget_year_row *r),
                                    void (*alloc_fn)(void *arg, const struct budget_allocation_row *r), void *arg)
{
    struct visibility v;
    enum svc_status st = svc_list_visible(c, RES_BUDGET, &v);
    if (st != SVC_OK)
        return st;
    struct overview o = {.c = c, .fn = year_fn, .arg = arg};
    st = svc_from_store(q_budget_year_list(c->db, &v, overview_row, &o));
    if (st == SVC_OK)
        st = svc_from_store(q_budget_allocation_list(c->db, 0, &v, alloc_fn, arg));
    return st;
}

enum svc_status svc_budget_year_create(struct svc_ctx *c, int64_t authority_id, const char *start_year,
                                       struct field_errors *errs, int64_t *id)
{
    if (!may(c, ACT_EDIT, 0, authority_id, 0))
        return SVC_FORBIDDEN;
    long y = 0;
    char label[8], first[11], last[11];
    if (!start_year || !*start_year)
        field_errors_add(errs, "start_year", "Enter the year the budget year starts in");
    else if (parse_int_strict(start_year, 2000, 2099, &y) != 0 || budget_year_bounds((int)y, label, first, last))
        field_errors_add(errs, "start_year", "Enter a year from 2000 to 2099, like 2026");
    if (errs->count)
        return SVC_INVALID;
    enum store_rc rc = store_begin_write(c->db);
    if (rc == STORE_OK)
        rc = q_budget_year_insert(c->db, authority_id, (int)y, label, first, last, c->who->user_id, c->now, id);
    if (rc == STORE_CONSTRAINT) {
        store_end_write(c->db, STORE_ERROR);
        field_errors_add(errs, "start_year", "This budget year already exists");
        return SVC_INVALID;
    }
    enum svc_status st = svc_from_store(rc);
    if (st == SVC_OK)
        st = audit(c, "create", "budget_year", *id, authority_id, "budget.year.create");
    return end_change(c, st);
}

enum svc_status svc_budget_year_get(struct svc_ctx *c, int64_t id, struct budget_year_row *out)
{
    enum store_rc rc = q_budget_year_get(c->db, id, out);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    return may(c, ACT_VIEW, out->id, out->authority_id, 0) ? SVC_OK : SVC_NOT_FOUND;
}

/* ---- contributions ---- */

/* The year, for someone who keeps its pool. */
static enum svc_status year_for_edit(struct svc_ctx *c, int64_t id, struct budget_year_row *y)
{
    enum svc_status st = svc_budget_year_get(c, id, y);
    if (st == SVC_OK && !may(c, ACT_EDIT, y->id, y->authority_id, 0))
        st = SVC_FORBIDDEN;
    return st;
}

/* What a contribution's form says, into r: as added and as corrected. */
static void contribution_fields(const struct contribution_form *f, struct budget_contribution_row *r,
                                struct field_errors *errs)
{
    const struct code_entry *p = code_find(&codes_budget_partner, f->partner);
    if (!p)
        field_errors_add(errs, "partner", "Select the partner who paid in");
    else
        snprintf(r->partner, sizeof r->partner, "%s", p->code);
    if (case_text(f->partner_name, r->partner_name, sizeof r->partner_name, "partner_name", "The name of the partner",
                  errs) == 0 && !r->partner_name[0] && p)
        snprintf(r->partner_name, sizeof r->partner_name, "%s", p->label);
    amount_field(f->amount, "amount", "the amount", false, &r->amount, errs);
    svc_date_parts(f->day, f->month, f->year, "received_on", "the money was received", r->received_on, errs);
}

enum svc_status svc_budget_contribution_add(struct svc_ctx *c, int64_t year_id, const struct contribution_form *f,
                                            struct field_errors *errs, struct budget_contribution_row *out)
{
    struct budget_year_row y;
    enum svc_status st = year_for_edit(c, year_id, &y);
    if (st != SVC_OK)
        return st;
    struct budget_contribution_row r = {.year_id = year_id, .created_by = c->who->user_id};
    contribution_fields(f, &r, errs);
    if (errs->count)
        return SVC_INVALID;
    enum store_rc rc = store_begin_write(c->db);
    if (rc == STORE_OK)
        rc = q_budget_contribution_insert(c->db, &r, c->now, &r.id);
    st = svc_from_store(rc);
    if (st == SVC_OK)
        st = audit(c, "create", "budget_contribution", r.id, y.authority_id, "budget.contribution");
    st = end_change(c, st);
    if (st == SVC_OK)
        *out = r;
    return st;
}

enum svc_status svc_budget_contribution_list(struct svc_ctx *c, int64_t year_id,
                                             void (*fn)(void *arg, const struct budget_contribution_row *r),
                                             void *arg)
{
    struct budget_year_row y;
    enum svc_status st = svc_budget_year_get(c, year_id, &y);
    return st != SVC_OK ? st : svc_from_store(q_budget_contribution_list(c->db, year_id, fn, arg));
}

/* ---- allocations ---- */

/* Each setting of an allocation is kept (migration 0033); lowering one
 * says why.  Read inside the write, so a commitment made meanwhile counts. */
static enum store_rc allocation_record(struct svc_ctx *c, int64_t year_id, int64_t team_id, int64_t v,
                                       struct budget_allocation_change_row *h, struct field_errors *errs, int64_t *id)
{
    struct budget_allocation_row a;
    enum store_rc rc = q_budget_allocation_of(c->db, year_id, team_id, &a);
    if (rc != STORE_ROW && rc != STORE_DONE)
        return STORE_ERROR;
    h->had_old = rc == STORE_ROW;
    h->old_amount = h->had_old ? a.amount : 0;
    if (h->had_old && a.committed + a.paid > v) {
        char spent[40], msg[200];
        budget_format_pence(a.committed + a.paid, spent, sizeof spent);
        snprintf(msg, sizeof msg, "The allocation cannot be less than what is committed and paid from it: %s", spent);
        field_errors_add(errs, "amount", msg);
    } else if (h->had_old && v < a.amount && !h->reason[0]) {
        field_errors_add(errs, "reason", "Say why the allocation is lowered");
    }
    if (errs->count)
        return STORE_ERROR;
    rc = q_budget_allocation_set(c->db, year_id, team_id, v, c->who->user_id, c->now, id);
    h->allocation_id = *id;
    h->new_amount = v;
    h->changed_by = c->who->user_id;
    h->changed_at = c->now;
    return rc == STORE_OK ? q_budget_allocation_change_insert(c->db, h) : rc;
}

enum svc_status svc_budget_allocation_set(struct svc_ctx *c, int64_t year_id, int64_t team_id, const char *amount,
                                          const char *reason, struct field_errors *errs, int64_t *id)
{
    struct budget_year_row y;
    enum svc_status st = year_for_edit(c, year_id, &y);
    if (st != SVC_OK)
        return st;
    struct budget_team t;
    bool team_ok = team_id > 0 && q_budget_team_get(c->db, team_id, &t) == STORE_ROW &&
                   t.authority_id == y.authority_id && t.active;
    if (!team_ok)
        field_errors_add(errs, "team_id", "Select a team of this authority");
    struct budget_allocation_change_row *h = calloc(1, sizeof *h);
    if (!h)
        return SVC_ERROR;
    case_text(reason, h->reason, sizeof h->reason, "reason", "The reason", errs);
    int64_t v = 0;
    if (amount_field(amount, "amount", "the amount", true, &v, errs) == 0 && team_ok) {
        int64_t others = 0;
        if (q_budget_allocated_others(c->db, year_id, team_id, &others) != STORE_OK) {
            free(h);
            return SVC_ERROR;
        }
        if (budget_allocate_check(y.pool, others, v) != 0) {
            char left[40], msg[200];
            budget_format_pence(y.pool - others, left, sizeof left);
            snprintf(msg, sizeof msg, "The allocations would add up to more than the pool: %s is left to allocate",
                     left);
            field_errors_add(errs, "amount", msg);
        }
    }
    if (errs->count) {
        free(h);
        return SVC_INVALID;
    }
    enum store_rc rc = store_begin_write(c->db);
    if (rc == STORE_OK)
        rc = allocation_record(c, year_id, team_id, v, h, errs, id);
    free(h);
    if (errs->count) {
        store_end_write(c->db, STORE_ERROR);
        return SVC_INVALID;
    }
    st = svc_from_store(rc);
    if (st == SVC_OK)
        st = audit(c, "edit", "budget_allocation", *id, y.authority_id, "budget.allocation");
    return end_change(c, st);
}

enum svc_status svc_budget_allocation_changes(struct svc_ctx *c, int64_t id,
                                              void (*fn)(void *arg, const struct budget_allocation_change_row *r),
                                              void *arg)
{
    struct budget_allocation_row a;
    enum svc_status st = svc_budget_allocation_get(c, id, &a);
    return st != SVC_OK ? st : svc_from_store(q_budget_allocation_change_list(c->db, id, fn, arg));
}

enum svc_status svc_budget_team_list(struct svc_ctx *c, int64_t authority_id,
                                     void (*fn)(void *arg, const struct budget_team *r), void *arg)
{
    if (!may(c, ACT_EDIT, 0, authority_id, 0))
        return SVC_FORBIDDEN;
    return svc_from_store(q_budget_team_list(c->db, authority_id, fn, arg));
}

enum svc_status svc_budget_allocation_get(struct svc_ctx *c, int64_t id, struct budget_allocation_row *out)
{
    enum store_rc rc = q_budget_allocation_get(c->db, id, out);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    return may(c, ACT_VIEW, out->id, out->authority_id, out->team_id) ? SVC_OK : SVC_NOT_FOUND;
}

enum svc_status svc_budget_allocation_list(struct svc_ctx *c, int64_t year_id,
                                           void (*fn)(void *arg, const struct budget_allocation_row *r), void *arg)
{
    struct budget_year_row y;
    enum svc_status st = svc_budget_year_get(c, year_id, &y);
    if (st != SVC_OK)
        return st;
    struct visibility v;
    st = svc_list_visible(c, RES_BUDGET, &v);
    return st != SVC_OK ? st : svc_from_store(q_budget_allocation_list(c->db, year_id, &v, fn, arg));
}

/* ---- commitments ---- */

enum svc_status svc_budget_commit(struct svc_ctx *c, int64_t allocation_id, const struct commitment_form *f,
                                  struct field_errors *errs, int64_t *id, int *needs)
{
    struct budget_allocation_row a;
    enum svc_status st = svc_budget_allocation_get(c, allocation_id, &a);
    if (st != SVC_OK)
        return st;
    struct resource r = budget_res(0, a.authority_id, a.team_id);
    if (!svc_decide(c, ACT_CREATE, &r))
        return SVC_FORBIDDEN;
    struct budget_year_row y;
    if (q_budget_year_get(c->db, a.year_id, &y) != STORE_ROW)
        return SVC_ERROR;
    struct budget_commitment_row *cm = calloc(1, sizeof *cm);
    if (!cm)
        return SVC_ERROR;
    cm->allocation_id = allocation_id;
    cm->requested_by = c->who->user_id;
    int desc_ok = case_text(f->description, cm->description, sizeof cm->description, "description",
                            "The description", errs);
    if (f->intervention_id && *f->intervention_id) {
        /* A commissioning decision: units of an intervention, at its unit cost. */
        long iid = 0, units = 0;
        struct intervention_row *iv = calloc(1, sizeof *iv);
        if (!iv) {
            free(cm);
            return SVC_ERROR;
        }
        if (parse_int_strict(f->intervention_id, 1, INT32_MAX, &iid) != 0 ||
            q_intervention_get(c->db, iid, c->today, iv) != STORE_ROW || iv->authority_id != a.authority_id ||
            !iv->active)
            field_errors_add(errs, "intervention_id", "Select an intervention from the catalogue");
        else if (!f->units || parse_int_strict(f->units, 1, 100000, &units) != 0 ||
                 budget_commission_amount(iv->unit_cost, units, &cm->amount) != 0)
            field_errors_add(errs, "units", "Enter the number of units, a whole number from 1 to 100,000");
        else {
            cm->intervention_id = iid;
            cm->units = units;
            const char *unit = code_label(&codes_budget_unit, iv->unit);
            if (desc_ok == 0 && !cm->description[0])
                snprintf(cm->description, sizeof cm->description, "%.160s (%.160s): %ld x %s", iv->name,
                         iv->provider, units, unit ? unit : "unit");
        }
        free(iv);
    } else {
        if (desc_ok == 0 && !cm->description[0])
            field_errors_add(errs, "description", "Enter what the money is for");
        amount_field(f->amount, "amount", "the amount", false, &cm->amount, errs);
    }
    if (svc_date_parts(f->day, f->month, f->year, "committed_on", "of the commitment", cm->committed_on, errs) == 0 &&
        (strcmp(cm->committed_on, y.starts_on) < 0 || strcmp(cm->committed_on, y.ends_on) > 0)) {
        char msg[160];
        snprintf(msg, sizeof msg, "The date of the commitment must be in the budget year %s", y.label);
        field_errors_add(errs, "committed_on", msg);
    }
    if (errs->count) {
        free(cm);
        return SVC_INVALID;
    }
    enum role role;
    int64_t limit = user_limit(c, ACT_CREATE, &r, ROLE_BUDGET_HOLDER, &role);
    enum store_rc rc = store_begin_write(c->db);
    /* The position is read inside the write transaction, so two
     * commitments at once cannot both fit the same remainder. */
    if (rc == STORE_OK && q_budget_allocation_get(c->db, allocation_id, &a) != STORE_ROW)
        rc = STORE_ERROR;
    int need = -1;
    if (rc == STORE_OK) {
        struct budget_position pos = {a.amount, a.committed, a.paid};
        need = budget_commit_needs(&pos, cm->amount, limit);
        if (need < 0)
            rc = STORE_ERROR;
    }
    if (rc == STORE_OK) {
        cm->needs = need;
        snprintf(cm->status, sizeof cm->status, "%s", need ? "pending" : "committed");
        rc = q_budget_commitment_insert(c->db, cm, c->now, id);
    }
    st = svc_from_store(rc);
    if (st == SVC_OK)
        st = audit(c, "create", "budget_commitment", *id, a.authority_id,
                   need ? "budget.commit.pending" : "budget.commit");
    free(cm);
    st = end_change(c, st);
    if (st == SVC_OK && needs)
        *needs = need;
    return st;
}

enum svc_status svc_budget_commitment_get(struct svc_ctx *c, int64_t id, struct budget_commitment_row *out)
{
    enum store_rc rc = q_budget_commitment_get(c->db, id, out);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    return may(c, ACT_VIEW, out->id, out->authority_id, out->team_id) ? SVC_OK : SVC_NOT_FOUND;
}

enum svc_status svc_budget_commitment_list(struct svc_ctx *c, int64_t allocation_id,
                                           void (*fn)(void *arg, const struct budget_commitment_row *r), void *arg)
{
    struct budget_allocation_row a;
    enum svc_status st = svc_budget_allocation_get(c, allocation_id, &a);
    return st != SVC_OK ? st : svc_from_store(q_budget_commitment_list(c->db, allocation_id, "", NULL, fn, arg));
}

enum svc_status svc_budget_approval_queue(struct svc_ctx *c,
                                          void (*fn)(void *arg, const struct budget_commitment_row *r), void *arg)
{
    struct visibility v;
    policy_visible(c->who, RES_BUDGET, ACT_EDIT, &v);
    if (policy_visible_none(&v))
        return SVC_FORBIDDEN;
    return svc_from_store(q_budget_commitment_list(c->db, 0, "pending", &v, fn, arg));
}

enum svc_status svc_budget_decide(struct svc_ctx *c, int64_t id, const char *decision, const char *note,
                                  struct field_errors *errs)
{
    struct budget_commitment_row *cm = calloc(1, sizeof *cm);
    struct budget_approval_row *ap = calloc(1, sizeof *ap);
    enum svc_status st = cm && ap ? svc_budget_commitment_get(c, id, cm) : SVC_ERROR;
    struct resource r = budget_res(id, cm ? cm->authority_id : 0, cm ? cm->team_id : 0);
    if (st == SVC_OK && !svc_decide(c, ACT_EDIT, &r))
        st = SVC_FORBIDDEN;
    bool approve = decision && !strcmp(decision, "approve"), refuse = decision && !strcmp(decision, "refuse");
    enum role role = ROLE__COUNT;
    int64_t limit = 0;
    if (st == SVC_OK) {
        limit = user_limit(c, ACT_EDIT, &r, ROLE_BUDGET_APPROVER, &role);
        if (strcmp(cm->status, "pending") != 0)
            field_errors_add(errs, "decision", "This commitment is no longer awaiting approval");
        else if (!approve && !refuse)
            field_errors_add(errs, "decision", "Select approve or refuse");
        else if (approve) {
            enum budget_approval ok = budget_approve_check(cm->amount, limit, cm->requested_by, c->who->user_id);
            /* Nor a commitment whose amount they last changed. */
            bool changed = false;
            if (ok == BUDGET_APPROVE_OK && cm->changed_by) {
                ok = budget_approve_check(cm->amount, limit, cm->changed_by, c->who->user_id);
                changed = ok == BUDGET_APPROVE_OWN;
            }
            if (ok != BUDGET_APPROVE_OK)
                field_errors_add(errs, "decision", changed ? "You changed this commitment: someone else must approve it"
                                                           : budget_approval_text(ok));
        }
        if (case_text(note, ap->note, sizeof ap->note, "note", "The note", errs) == 0 && refuse && !ap->note[0])
            field_errors_add(errs, "note", "Say why the commitment is refused");
        if (errs->count)
            st = SVC_INVALID;
    }
    if (st != SVC_OK) {
        free(cm);
        free(ap);
        return st;
    }
    ap->commitment_id = id;
    snprintf(ap->decision, sizeof ap->decision, "%s", approve ? "approved" : "refused");
    ap->amount = cm->amount;
    snprintf(ap->role, sizeof ap->role, "%s", role_code(role));
    ap->limit = limit;
    ap->decided_by = c->who->user_id;
    ap->decided_at = c->now;
    int64_t aid = 0;
    enum store_rc rc = store_begin_write(c->db);
    if (rc == STORE_OK)
        rc = q_budget_commitment_decide(c->db, id, approve ? "committed" : "refused", c->now);
    if (rc == STORE_DONE) {   /* decided by someone else meanwhile */
        store_end_write(c->db, STORE_ERROR);
        free(cm);
        free(ap);
        field_errors_add(errs, "decision", "This commitment is no longer awaiting approval");
        return SVC_INVALID;
    }
    if (rc == STORE_OK)
        rc = q_budget_approval_insert(c->db, ap, &aid);
    st = svc_from_store(rc);
    if (st == SVC_OK)
        st = audit(c, approve ? "approve" : "refuse", "budget_commitment", id, cm->authority_id,
                   approve ? "budget.approve" : "budget.refuse");
    free(cm);
    free(ap);
    return end_change(c, st);
}

enum svc_status svc_budget_approval_list(struct svc_ctx *c, int64_t commitment_id,
                                         void (*fn)(void *arg, const struct budget_approval_row *r), void *arg)
{
    struct budget_commitment_row *cm = malloc(sizeof *cm);
    enum svc_status st = cm ? svc_budget_commitment_get(c, commitment_id, cm) : SVC_ERROR;
    free(cm);
    return st != SVC_OK ? st : svc_from_store(q_budget_approval_list(c->db, commitment_id, fn, arg));
}

/* ---- payments ---- */

enum svc_status svc_budget_pay(struct svc_ctx *c, int64_t commitment_id, const struct payment_form *f,
                               struct field_errors *errs, int64_t *id)
{
    struct budget_commitment_row *cm = calloc(1, sizeof *cm);
    enum svc_status st = cm ? svc_budget_commitment_get(c, commitment_id, cm) : SVC_ERROR;
    struct resource r = budget_res(0, cm ? cm->authority_id : 0, cm ? cm->team_id : 0);
    if (st == SVC_OK && !svc_decide(c, ACT_CREATE, &r))
        st = SVC_FORBIDDEN;
    if (st != SVC_OK) {
        free(cm);
        return st;
    }
    struct budget_payment_row p = {.commitment_id = commitment_id, .recorded_by = c->who->user_id};
    if (strcmp(cm->status, "committed") != 0)
        field_errors_add(errs, "amount", !strcmp(cm->status, "pending")
                                             ? "The commitment is awaiting approval: it cannot be paid yet"
                                             : "The commitment was not approved: it cannot be paid");
    else if (amount_field(f->amount, "amount", "the amount paid", false, &p.amount, errs) == 0 &&
             budget_pay_check(cm->amount, cm->paid, p.amount) != 0) {
        char left[40], msg[200];
        budget_format_pence(cm->amount - cm->paid, left, sizeof left);
        snprintf(msg, sizeof msg, "The payment is more than is left of the commitment (%s): "
                 "commit the difference first", left);
        field_errors_add(errs, "amount", msg);
    }
    if (svc_date_parts(f->day, f->month, f->year, "paid_on", "of the payment", p.paid_on, errs) == 0 &&
        strcmp(p.paid_on, c->today) > 0)
        field_errors_add(errs, "paid_on", "The date of the payment must be today or in the past");
    case_text(f->reference, p.reference, sizeof p.reference, "reference", "The reference", errs);
    int64_t authority = cm->authority_id;
    free(cm);
    if (errs->count)
        return SVC_INVALID;
    enum store_rc rc = store_begin_write(c->db);
    if (rc == STORE_OK) {
        /* Checked again inside the write: two payments at once cannot
         * both take the last of a commitment. */
        struct budget_commitment_row *now = malloc(sizeof *now);
        if (!now || q_budget_commitment_get(c->db, commitment_id, now) != STORE_ROW)
            rc = STORE_ERROR;
        else if (budget_pay_check(now->amount, now->paid, p.amount) != 0)
            rc = STORE_CONSTRAINT;
        free(now);
    }
    if (rc == STORE_OK)
        rc = q_budget_payment_insert(c->db, &p, c->now, id);
    if (rc == STORE_CONSTRAINT) {
        store_end_write(c->db, STORE_ERROR);
        field_errors_add(errs, "amount", "The payment is more than is left of the commitment");
        return SVC_INVALID;
    }
    st = svc_from_store(rc);
    if (st == SVC_OK)
        st = audit(c, "create", "budget_payment", *id, authority, "budget.pay");
    return end_change(c, st);
}

enum svc_status svc_budget_payment_list(struct svc_ctx *c, int64_t commitment_id,
                                        void (*fn)(void *arg, const struct budget_payment_row *r), void *arg)
{
    struct budget_commitment_row *cm = malloc(sizeof *cm);
    enum svc_status st = cm ? svc_budget_commitment_get(c, commitment_id, cm) : SVC_ERROR;
    free(cm);
    return st != SVC_OK ? st : svc_from_store(q_budget_payment_list(c->db, commitment_id, fn, arg));
}

enum svc_status svc_budget_payment_get(struct svc_ctx *c, int64_t id, struct budget_payment_row *out,
                                       struct budget_commitment_row *cm)
{
    enum store_rc rc = q_budget_payment_get(c->db, id, out);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    struct budget_commitment_row *own = cm ? cm : malloc(sizeof *own);
    enum svc_status st = own ? svc_budget_commitment_get(c, out->commitment_id, own) : SVC_ERROR;
    if (!cm)
        free(own);
    return st;
}

/* ---- the interventions catalogue ---- */

/* What an intervention's form says, into r, in the form's order: as
 * created and as corrected (what it is bought by is fixed once created). */
static void intervention_fields(const struct intervention_form *f, bool with_unit, struct intervention_row *r,
                                struct field_errors *errs)
{
    case_text_required(f->name, r->name, sizeof r->name, "name", "The name", "Enter the name of the intervention",
                       errs);
    case_text_required(f->provider, r->provider, sizeof r->provider, "provider", "The provider", "Enter the provider",
                       errs);
    if (with_unit) {
        const struct code_entry *u = code_find(&codes_budget_unit, f->unit);
        if (!u)
            field_errors_add(errs, "unit", "Select what it is bought by");
        else
            snprintf(r->unit, sizeof r->unit, "%s", u->code);
    }
    amount_field(f->unit_cost, "unit_cost", "the cost of one unit", false, &r->unit_cost, errs);
    long cap = 0;
    if (!f->capacity || parse_int_strict(f->capacity, 1, 10000, &cap) != 0)
        field_errors_add(errs, "capacity", "Enter how many pupils it takes at once, from 1 to 10,000");
    r->capacity = cap;
    case_text(f->eligibility, r->eligibility, sizeof r->eligibility, "eligibility", "Eligibility", errs);
}

enum svc_status svc_intervention_create(struct svc_ctx *c, int64_t authority_id, const struct intervention_form *f,
                                        struct field_errors *errs, struct intervention_row *out)
{
    if (!may(c, ACT_EDIT, 0, authority_id, 0))
        return SVC_FORBIDDEN;
    struct intervention_row *r = calloc(1, sizeof *r);
    if (!r)
        return SVC_ERROR;
    r->authority_id = authority_id;
    intervention_fields(f, true, r, errs);
    for (size_t i = 0; i < f->naims && i < BUDGET_AIMS_MAX; i++) {
        const struct code_entry *aim = code_find(&codes_budget_aim, f->aims[i]);
        bool dup = false;
        for (size_t k = 0; aim && k < r->naims; k++)
            dup |= strcmp(r->aims[k], aim->code) == 0;
        if (aim && !dup)
            snprintf(r->aims[r->naims++], sizeof r->aims[0], "%s", aim->code);
        else if (!aim)
            r->naims = BUDGET_AIMS_MAX + 1;   /* an unknown aim: refused below */
        if (r->naims > BUDGET_AIMS_MAX)
            break;
    }
    if (r->naims == 0 || r->naims > BUDGET_AIMS_MAX)
        field_errors_add(errs, "aims", "Select the outcomes it aims at");
    if (errs->count) {
        free(r);
        return SVC_INVALID;
    }
    enum store_rc rc = store_begin_write(c->db);
    if (rc == STORE_OK)
        rc = q_intervention_insert(c->db, r, c->now);
    if (rc == STORE_CONSTRAINT) {
        store_end_write(c->db, STORE_ERROR);
        free(r);
        field_errors_add(errs, "name", "The catalogue already has this intervention from this provider");
        return SVC_INVALID;
    }
    enum svc_status st = svc_from_store(rc);
    if (st == SVC_OK)
        st = audit(c, "create", "intervention", r->id, authority_id, "budget.intervention");
    st = end_change(c, st);
    if (st == SVC_OK)
        *out = *r;
    free(r);
    return st;
}

enum svc_status svc_intervention_list(struct svc_ctx *c, int64_t authority_id,
                                      void (*fn)(void *arg, const struct intervention_row *r), void *arg)
{
    if (!may(c, ACT_LIST, 0, authority_id, 0))
        return SVC_FORBIDDEN;
    return svc_from_store(q_intervention_list(c->db, authority_id, c->today, fn, arg));
}

enum svc_status svc_intervention_get(struct svc_ctx *c, int64_t id, struct intervention_row *out)
{
    enum store_rc rc = q_intervention_get(c->db, id, c->today, out);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    return may(c, ACT_LIST, 0, out->authority_id, 0) ? SVC_OK : SVC_NOT_FOUND;
}

/* ---- placements ---- */

/* Whether the user may see the placement's pupil: its action's case. */
static bool pupil_visible(struct svc_ctx *c, int64_t action_id, struct case_ref *cr)
{
    struct action_row *ar = malloc(sizeof *ar);
    bool ok = ar && action_id > 0 && svc_action_get(c, action_id, ar, cr) == SVC_OK;
    free(ar);
    return ok;
}

static enum svc_status audit_pupil(struct svc_ctx *c, const char *action, int64_t id, const struct placement_row *p,
                                   const char *detail)
{
    struct audit_event ev = {.action = action, .kind = "placement", .resource_id = id, .pupil_id = p->pupil_id,
                             .authority_id = p->authority_id, .detail = detail};
    return svc_audit_record(c, &ev);
}

/* The most placements overlapping one period that are read to check it:
 * more than any intervention's capacity (at most 10,000). */
#define PLACEMENT_PERIODS_MAX 20000

/* Reads dates and units into p and checks the placement against its
 * commitment (cm) and intervention; except_id: the placement itself when
 * it is changed. */
static void placement_check(struct svc_ctx *c, const struct placement_form *f, const struct budget_commitment_row *cm,
                            struct placement_row *p, int64_t except_id, struct field_errors *errs)
{
    if (svc_date_parts(f->sday, f->smonth, f->syear, "starts_on", "the placement starts", p->starts_on, errs) != 0)
        p->starts_on[0] = 0;
    p->ends_on[0] = 0;
    bool any_end = (f->eday && *f->eday) || (f->emonth && *f->emonth) || (f->eyear && *f->eyear);
    if (any_end && svc_date_parts(f->eday, f->emonth, f->eyear, "ends_on", "the placement ends", p->ends_on, errs) != 0)
        p->ends_on[0] = 0;
    long units = 0;
    if (!f->units_used || !*f->units_used)
        units = 0;
    else if (parse_int_strict(f->units_used, 0, 100000, &units) != 0)
        field_errors_add(errs, "units_used", "Enter the units used, a whole number (0 when none yet)");
    p->units_used = units;
    if (errs->count)
        return;
    int64_t others = 0, current = 0;
    size_t nper = 0;
    struct intervention_row *iv = calloc(1, sizeof *iv);
    struct budget_period *per = calloc(PLACEMENT_PERIODS_MAX, sizeof *per);
    /* Capacity over the whole period: the most other pupils on the
     * intervention on any one day from the start to the end (to any day
     * after the start while it has no end), not only on the start day.  A
     * changed placement is checked the same way, itself left out. */
    if (!iv || !per || q_intervention_get(c->db, cm->intervention_id, c->today, iv) != STORE_ROW ||
        q_placement_units(c->db, cm->id, except_id, &others) != STORE_OK ||
        q_placement_periods(c->db, cm->intervention_id, p->starts_on, p->ends_on, except_id, per,
                            PLACEMENT_PERIODS_MAX, &nper) != STORE_OK ||
        (current = budget_capacity_peak(per, nper, p->starts_on, p->ends_on)) < 0) {
        free(iv);
        free(per);
        field_errors_add(errs, "starts_on", "The placement could not be checked: try again");
        return;
    }
    free(per);
    switch (budget_placement_check(p->units_used, others, cm->units, current, iv->capacity, p->starts_on, p->ends_on)) {
    case BUDGET_PLACE_OK: break;
    case BUDGET_PLACE_UNITS: {
        char msg[160];
        snprintf(msg, sizeof msg, "More units than were commissioned: %lld of %lld are left",
                 (long long)(cm->units - others), (long long)cm->units);
        field_errors_add(errs, "units_used", msg);
        break;
    }
    case BUDGET_PLACE_FULL:
        field_errors_add(errs, "starts_on", p->ends_on[0]
                                                ? "The intervention is full on a day of this placement: it takes "
                                                  "no more pupils at once between these dates"
                                                : "The intervention is full on that day or after it: it takes no "
                                                  "more pupils at once");
        break;
    case BUDGET_PLACE_DATES:
        field_errors_add(errs, "ends_on", "The placement cannot end before it starts");
        break;
    case BUDGET_PLACE_INVALID:
        field_errors_add(errs, "starts_on", "The date the placement starts must be a real date");
        break;
    }
    free(iv);
}

enum svc_status svc_placement_create(struct svc_ctx *c, int64_t commitment_id, const struct placement_form *f,
                                     struct field_errors *errs, struct placement_row *out)
{
    struct budget_commitment_row *cm = calloc(1, sizeof *cm);
    enum svc_status st = cm ? svc_budget_commitment_get(c, commitment_id, cm) : SVC_ERROR;
    if (st == SVC_OK && !may(c, ACT_CREATE, 0, cm->authority_id, cm->team_id))
        st = SVC_FORBIDDEN;
    if (st != SVC_OK) {
        free(cm);
        return st;
    }
    struct placement_row p = {.commitment_id = commitment_id, .created_by = c->who->user_id};
    if (!cm->intervention_id)
        field_errors_add(errs, "action_id", "Only a commissioning decision (an intervention bought) takes placements");
    else if (strcmp(cm->status, "committed") != 0)
        field_errors_add(errs, "action_id", "The commissioning decision is not approved: nobody can be placed yet");
    long aid = 0;
    struct case_ref cr = {0};
    if (!errs->count) {
        if (!f->action_id || parse_int_strict(f->action_id, 1, INT32_MAX, &aid) != 0 ||
            !pupil_visible(c, aid, &cr))
            field_errors_add(errs, "action_id", "Select the TAS action the placement comes from");
        else if (cr.team_id != cm->team_id)
            field_errors_add(errs, "action_id", "The action is another team's: place pupils of this team's cases");
        p.action_id = aid;
        p.pupil_id = cr.pupil_id;
        placement_check(c, f, cm, &p, 0, errs);
    }
    if (errs->count) {
        free(cm);
        return SVC_INVALID;
    }
    enum store_rc rc = store_begin_write(c->db);
    if (rc == STORE_OK)
        rc = q_placement_insert(c->db, &p, c->now, &p.id);
    st = svc_from_store(rc);
    if (st == SVC_OK && q_placement_get(c->db, p.id, out) != STORE_ROW)
        st = SVC_ERROR;
    if (st == SVC_OK)
        st = audit_pupil(c, "create", p.id, out, "budget.placement");
    free(cm);
    return end_change(c, st);
}

enum svc_status svc_placement_get(struct svc_ctx *c, int64_t id, struct placement_row *out)
{
    enum store_rc rc = q_placement_get(c->db, id, out);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    struct case_ref cr;
    if (!may(c, ACT_VIEW, out->commitment_id, out->authority_id, out->team_id) || !pupil_visible(c, out->action_id, &cr))
        return SVC_NOT_FOUND;
    return audit_pupil(c, "view", id, out, "budget.placement");
}

/* The placement, for someone who may place pupils in its team. */
static enum svc_status placement_for_edit(struct svc_ctx *c, int64_t id, struct placement_row *p)
{
    enum svc_status st = svc_placement_get(c, id, p);
    if (st == SVC_OK && !may(c, ACT_CREATE, 0, p->authority_id, p->team_id))
        st = SVC_FORBIDDEN;
    return st;
}

enum svc_status svc_placement_update(struct svc_ctx *c, int64_t id, const struct placement_form *f,
                                     struct field_errors *errs, struct placement_row *out)
{
    struct placement_row p;
    enum svc_status st = placement_for_edit(c, id, &p);
    if (st != SVC_OK)
        return st;
    struct budget_commitment_row *cm = calloc(1, sizeof *cm);
    if (!cm || q_budget_commitment_get(c->db, p.commitment_id, cm) != STORE_ROW) {
        free(cm);
        return SVC_ERROR;
    }
    if (p.voided)
        field_errors_add(errs, "units_used", "This placement was voided: it cannot be changed");
    else
        placement_check(c, f, cm, &p, id, errs);
    free(cm);
    if (errs->count)
        return SVC_INVALID;
    enum store_rc rc = store_begin_write(c->db);
    if (rc == STORE_OK)
        rc = q_placement_update(c->db, &p, c->now);
    st = svc_from_store(rc);
    if (st == SVC_OK && q_placement_get(c->db, id, out) != STORE_ROW)
        st = SVC_ERROR;
    if (st == SVC_OK)
        st = audit_pupil(c, "edit", id, out, "budget.placement");
    return end_change(c, st);
}

static bool place_visible(struct svc_ctx *c, const struct placement_row *r)
{
    struct case_ref cr;
    return pupil_visible(c, r->action_id, &cr);
}

SVC_ROW_FILTER(place_filter, struct placement_row, place_visible)

enum svc_status svc_placement_list(struct svc_ctx *c, int64_t commitment_id,
                                   void (*fn)(void *arg, const struct placement_row *r), void *arg,
                                   int64_t *hidden)
{
    struct budget_commitment_row *cm = malloc(sizeof *cm);
    enum svc_status st = cm ? svc_budget_commitment_get(c, commitment_id, cm) : SVC_ERROR;
    int64_t authority = cm ? cm->authority_id : 0;
    free(cm);
    if (st != SVC_OK)
        return st;
    struct place_filter pf = {.c = c, .fn = fn, .arg = arg};
    st = svc_from_store(q_placement_list(c->db, commitment_id, 0, place_filter_row, &pf));
    if (hidden)
        *hidden = pf.hidden;
    if (st == SVC_OK && pf.shown) {
        /* A list naming pupils: one entry, as for the other lists. */
        struct audit_event ev = {.action = "list", .kind = "placement", .resource_id = commitment_id,
                                 .authority_id = authority, .detail = "budget.placements"};
        st = svc_audit_record(c, &ev);
    }
    return st;
}

/* The placements of one action's pupil whose budget the user may see. */
static bool place_budget_visible(struct svc_ctx *c, const struct placement_row *r)
{
    return may(c, ACT_VIEW, r->commitment_id, r->authority_id, r->team_id);
}

SVC_ROW_FILTER(place_budget_filter, struct placement_row, place_budget_visible)

enum svc_status svc_action_placements(struct svc_ctx *c, int64_t action_id,
                                      void (*fn)(void *arg, const struct placement_row *r), void *arg)
{
    struct case_ref cr;
    if (!pupil_visible(c, action_id, &cr))
        return SVC_NOT_FOUND;
    struct place_budget_filter pf = {.c = c, .fn = fn, .arg = arg};
    enum svc_status st = svc_from_store(q_placement_list(c->db, 0, action_id, place_budget_filter_row, &pf));
    if (st == SVC_OK && pf.shown) {
        struct audit_event ev = {.action = "list", .kind = "placement", .resource_id = action_id,
                                 .pupil_id = cr.pupil_id, .authority_id = cr.authority_id,
                                 .detail = "budget.action_placements"};
        st = svc_audit_record(c, &ev);
    }
    return st;
}

static bool action_visible(struct svc_ctx *c, const struct budget_action *r)
{
    struct case_ref cr;
    return pupil_visible(c, r->id, &cr);
}

SVC_ROW_FILTER(action_filter, struct budget_action, action_visible)

enum svc_status svc_placement_actions(struct svc_ctx *c, int64_t team_id,
                                      void (*fn)(void *arg, const struct budget_action *r), void *arg)
{
    struct action_filter af = {.c = c, .fn = fn, .arg = arg};
    enum svc_status st = svc_from_store(q_budget_team_actions(c->db, team_id, action_filter_row, &af));
    if (st == SVC_OK && af.shown) {
        struct audit_event ev = {.action = "list", .kind = "action", .resource_id = team_id,
                                 .detail = "budget.placement.actions"};
        st = svc_audit_record(c, &ev);
    }
    return st;
}

/* ---- putting mistakes right: corrections and voids ---- */

/* The reason a correction or void needs (field "reason"). */
static int reason_field(const char *in, char out[BUDGET_TEXT_MAX], const char *missing, struct field_errors *errs)
{
    return case_text_required(in, out, BUDGET_TEXT_MAX, "reason", "The reason", missing, errs);
}

/* One row of budget_corrections, inside the change's transaction. */
static enum store_rc correction(struct svc_ctx *c, enum budget_kind kind, int64_t id, const char *action,
                                const char *before, const char *after, const char *reason)
{
    struct budget_correction_row *r = calloc(1, sizeof *r);
    if (!r)
        return STORE_ERROR;
    r->kind = kind;
    r->record_id = id;
    snprintf(r->action, sizeof r->action, "%s", action);
    snprintf(r->before, sizeof r->before, "%s", before);
    snprintf(r->after, sizeof r->after, "%s", after);
    snprintf(r->reason, sizeof r->reason, "%s", reason);
    r->made_by = c->who->user_id;
    r->made_at = c->now;
    enum store_rc rc = q_budget_correction_insert(c->db, r);
    free(r);
    return rc;
}

/* The shared end of every void, inside the write the caller began (rc:
 * STORE_OK, or STORE_CONSTRAINT when the caller's re-check inside the
 * write failed, answered with `conflict`): the row marked voided, its
 * correction row and the audit entry ev, all or nothing.  A row voided
 * meanwhile is answered as already voided. */
static enum svc_status void_and_record(struct svc_ctx *c, enum store_rc rc, enum budget_kind kind, const char *what,
                                       const char *why, const char *before, const char *conflict,
                                       const struct audit_event *ev, struct field_errors *errs)
{
    if (rc == STORE_OK)
        rc = q_budget_void(c->db, kind, ev->resource_id, why, c->who->user_id, c->now);
    if (rc == STORE_CONSTRAINT || rc == STORE_DONE) {
        store_end_write(c->db, STORE_ERROR);
        char msg[96];
        snprintf(msg, sizeof msg, rc == STORE_DONE ? "This %s is already voided" : "This %s cannot be voided now",
                 what);
        field_errors_add(errs, "reason", rc == STORE_CONSTRAINT && conflict ? conflict : msg);
        return SVC_INVALID;
    }
    if (rc == STORE_OK)
        rc = correction(c, kind, ev->resource_id, "void", before, "", why);
    enum svc_status st = svc_from_store(rc);
    if (st == SVC_OK)
        st = svc_audit_record(c, ev);
    return end_change(c, st);
}

static void contribution_text(const struct budget_contribution_row *r, char *out, size_t n)
{
    char amount[40];
    budget_format_pence(r->amount, amount, sizeof amount);
    const char *partner = code_label(&codes_budget_partner, r->partner);
    snprintf(out, n, "%s (%.160s): %s received %s", partner ? partner : r->partner, r->partner_name, amount,
             r->received_on);
}

/* The contribution and its year, for someone who keeps the pool. */
static enum svc_status contribution_for_edit(struct svc_ctx *c, int64_t id, struct budget_contribution_row *r,
                                             struct budget_year_row *y)
{
    enum store_rc rc = q_budget_contribution_get(c->db, id, r);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    return year_for_edit(c, r->year_id, y);
}

/* The pool (less this contribution, plus what it becomes) still covers
 * the allocations: read inside the write transaction. */
static bool pool_covers(struct svc_ctx *c, int64_t year_id, int64_t old_amount, int64_t new_amount,
                        struct field_errors *errs)
{
    struct budget_year_row y;
    if (q_budget_year_get(c->db, year_id, &y) != STORE_ROW)
        return false;
    int64_t pool = y.pool - old_amount + new_amount;
    if (budget_allocate_check(pool, 0, y.allocated) == 0)
        return true;
    char alloc[40], msg[240];
    budget_format_pence(y.allocated, alloc, sizeof alloc);
    snprintf(msg, sizeof msg, "The pool would be less than the %s allocated to teams: lower an allocation first",
             alloc);
    field_errors_add(errs, "amount", msg);
    return false;
}

/* Begins the write of a change to a contribution of old_amount that
 * makes it new_amount, once the pool still covers the allocations
 * (pool_covers): SVC_OK with the transaction open, otherwise none open
 * and SVC_INVALID (the amount's error) or SVC_ERROR. */
static enum svc_status pool_change_begin(struct svc_ctx *c, int64_t year_id, int64_t old_amount, int64_t new_amount,
                                         struct field_errors *errs)
{
    if (store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    if (pool_covers(c, year_id, old_amount, new_amount, errs))
        return SVC_OK;
    store_end_write(c->db, STORE_ERROR);
    return errs->count ? SVC_INVALID : SVC_ERROR;
}

enum svc_status svc_budget_contribution_correct(struct svc_ctx *c, int64_t id, const struct contribution_form *f,
                                                const char *reason, struct field_errors *errs,
                                                struct budget_contribution_row *out)
{
    struct budget_contribution_row old, r;
    struct budget_year_row y;
    enum svc_status st = contribution_for_edit(c, id, &old, &y);
    if (st != SVC_OK)
        return st;
    char why[BUDGET_TEXT_MAX];
    if (old.voided)
        field_errors_add(errs, "reason", "This contribution was voided: it cannot be corrected");
    r = old;
    contribution_fields(f, &r, errs);
    reason_field(reason, why, "Say why the contribution is corrected", errs);
    if (errs->count)
        return SVC_INVALID;
    char before[BUDGET_TEXT_MAX], after[BUDGET_TEXT_MAX];
    contribution_text(&old, before, sizeof before);
    contribution_text(&r, after, sizeof after);
    if ((st = pool_change_begin(c, old.year_id, old.amount, r.amount, errs)) != SVC_OK)
        return st;
    enum store_rc rc = q_budget_contribution_update(c->db, &r, c->now);
    if (rc == STORE_DONE) {   /* voided meanwhile */
        store_end_write(c->db, STORE_ERROR);
        field_errors_add(errs, "reason", "This contribution was voided: it cannot be corrected");
        return SVC_INVALID;
    }
    if (rc == STORE_OK)
        rc = correction(c, BUDGET_KIND_CONTRIBUTION, id, "correct", before, after, why);
    st = svc_from_store(rc);
    if (st == SVC_OK)
        st = audit(c, "edit", "budget_contribution", id, y.authority_id, "budget.contribution.correct");
    st = end_change(c, st);
    if (st == SVC_OK && out)
        *out = r;
    return st;
}

enum svc_status svc_budget_contribution_void(struct svc_ctx *c, int64_t id, const char *reason,
                                             struct field_errors *errs)
{
    struct budget_contribution_row old;
    struct budget_year_row y;
    enum svc_status st = contribution_for_edit(c, id, &old, &y);
    if (st != SVC_OK)
        return st;
    char why[BUDGET_TEXT_MAX], before[BUDGET_TEXT_MAX];
    if (old.voided)
        field_errors_add(errs, "reason", "This contribution is already voided");
    reason_field(reason, why, "Say why the contribution is voided", errs);
    if (errs->count)
        return SVC_INVALID;
    contribution_text(&old, before, sizeof before);
    if ((st = pool_change_begin(c, old.year_id, old.amount, 0, errs)) != SVC_OK)
        return st;
    struct audit_event ev = {.action = "void", .kind = "budget_contribution", .resource_id = id,
                             .authority_id = y.authority_id, .detail = "budget.contribution.void"};
    return void_and_record(c, STORE_OK, BUDGET_KIND_CONTRIBUTION, "contribution", why, before, NULL, &ev, errs);
}

enum svc_status svc_budget_contribution_get(struct svc_ctx *c, int64_t id, struct budget_contribution_row *out)
{
    enum store_rc rc = q_budget_contribution_get(c->db, id, out);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    struct budget_year_row y;
    return svc_budget_year_get(c, out->year_id, &y);
}

static void intervention_text(const struct intervention_row *r, char *out, size_t n)
{
    char cost[40];
    budget_format_pence(r->unit_cost, cost, sizeof cost);
    snprintf(out, n, "%.160s (%.160s): %s a unit, %lld at once", r->name, r->provider, cost, (long long)r->capacity);
}

static enum svc_status intervention_for_edit(struct svc_ctx *c, int64_t id, struct intervention_row *r)
{
    enum store_rc rc = q_intervention_get(c->db, id, c->today, r);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    if (!may(c, ACT_LIST, 0, r->authority_id, 0))
        return SVC_NOT_FOUND;
    return may(c, ACT_EDIT, 0, r->authority_id, 0) ? SVC_OK : SVC_FORBIDDEN;
}

enum svc_status svc_intervention_update(struct svc_ctx *c, int64_t id, const struct intervention_form *f,
                                        const char *reason, struct field_errors *errs, struct intervention_row *out)
{
    struct intervention_row *old = calloc(1, sizeof *old), *r = calloc(1, sizeof *r);
    struct budget_period *per = calloc(PLACEMENT_PERIODS_MAX, sizeof *per);
    enum svc_status st = old && r && per ? intervention_for_edit(c, id, old) : SVC_ERROR;
    if (st != SVC_OK)
        goto done;
    char why[BUDGET_TEXT_MAX], before[BUDGET_TEXT_MAX], after[BUDGET_TEXT_MAX];
    if (old->voided)
        field_errors_add(errs, "reason", "This intervention was voided: it cannot be corrected");
    *r = *old;
    intervention_fields(f, false, r, errs);
    reason_field(reason, why, "Say why the intervention is corrected", errs);
    if (errs->count) {
        st = SVC_INVALID;
        goto done;
    }
    intervention_text(old, before, sizeof before);
    intervention_text(r, after, sizeof after);
    enum store_rc rc = store_begin_write(c->db);
    /* Not fewer places than pupils already on it at once, today or later. */
    size_t nper = 0;
    int64_t peak = 0;
    if (rc == STORE_OK &&
        (q_placement_periods(c->db, id, c->today, "", 0, per, PLACEMENT_PERIODS_MAX, &nper) != STORE_OK ||
         (peak = budget_capacity_peak(per, nper, c->today, "")) < 0))
        rc = STORE_ERROR;
    if (rc == STORE_OK && r->capacity < peak) {
        store_end_write(c->db, STORE_ERROR);
        char msg[160];
        snprintf(msg, sizeof msg, "%lld pupils are placed on it at once: the capacity cannot be less",
                 (long long)peak);
        field_errors_add(errs, "capacity", msg);
        st = SVC_INVALID;
        goto done;
    }
    if (rc == STORE_OK)
        rc = q_intervention_update(c->db, r, c->now);
    if (rc == STORE_CONSTRAINT || rc == STORE_DONE) {
        store_end_write(c->db, STORE_ERROR);
        field_errors_add(errs, rc == STORE_DONE ? "reason" : "name",
                         rc == STORE_DONE ? "This intervention was voided: it cannot be corrected"
                                          : "The catalogue already has this intervention from this provider");
        st = SVC_INVALID;
        goto done;
    }
    if (rc == STORE_OK)
        rc = correction(c, BUDGET_KIND_INTERVENTION, id, "correct", before, after, why);
    st = svc_from_store(rc);
    if (st == SVC_OK)
        st = audit(c, "edit", "intervention", id, old->authority_id, "budget.intervention.correct");
    st = end_change(c, st);
    if (st == SVC_OK && out && q_intervention_get(c->db, id, c->today, out) != STORE_ROW)
        st = SVC_ERROR;
done:
    free(old);
    free(r);
    free(per);
    return st;
}

enum svc_status svc_intervention_void(struct svc_ctx *c, int64_t id, const char *reason, struct field_errors *errs)
{
    struct intervention_row *old = calloc(1, sizeof *old);
    enum svc_status st = old ? intervention_for_edit(c, id, old) : SVC_ERROR;
    if (st != SVC_OK) {
        free(old);
        return st;
    }
    char why[BUDGET_TEXT_MAX], before[BUDGET_TEXT_MAX];
    if (old->voided)
        field_errors_add(errs, "reason", "This intervention is already voided");
    else if (old->decisions)
        field_errors_add(errs, "reason", "It has commissioning decisions: void or refuse them first");
    reason_field(reason, why, "Say why the intervention is voided", errs);
    intervention_text(old, before, sizeof before);
    int64_t authority = old->authority_id;
    free(old);
    if (errs->count)
        return SVC_INVALID;
    enum store_rc rc = store_begin_write(c->db);
    /* Read again inside the write: a decision made meanwhile counts. */
    struct intervention_row *now = calloc(1, sizeof *now);
    if (rc == STORE_OK && (!now || q_intervention_get(c->db, id, c->today, now) != STORE_ROW))
        rc = STORE_ERROR;
    if (rc == STORE_OK && now->decisions)
        rc = STORE_CONSTRAINT;
    free(now);
    struct audit_event ev = {.action = "void", .kind = "intervention", .resource_id = id, .authority_id = authority,
                             .detail = "budget.intervention.void"};
    return void_and_record(c, rc, BUDGET_KIND_INTERVENTION, "intervention", why, before,
                           "It has commissioning decisions: void or refuse them first", &ev, errs);
}

static void commitment_text(const struct budget_commitment_row *r, char *out, size_t n)
{
    char amount[40];
    budget_format_pence(r->amount, amount, sizeof amount);
    if (r->intervention_id)
        snprintf(out, n, "%.300s: %lld units, %s on %s", r->description, (long long)r->units, amount, r->committed_on);
    else
        snprintf(out, n, "%.300s: %s on %s", r->description, amount, r->committed_on);
}

/* The commitment, for someone who may commit against its allocation. */
static enum svc_status commitment_for_change(struct svc_ctx *c, int64_t id, struct budget_commitment_row *cm)
{
    enum svc_status st = svc_budget_commitment_get(c, id, cm);
    if (st != SVC_OK)
        return st;
    struct resource r = budget_res(0, cm->authority_id, cm->team_id);
    return svc_decide(c, ACT_CREATE, &r) ? SVC_OK : SVC_FORBIDDEN;
}

enum svc_status svc_budget_commitment_correct(struct svc_ctx *c, int64_t id, const struct commitment_form *f,
                                              const char *reason, struct field_errors *errs, int *needs)
{
    struct budget_commitment_row *old = calloc(1, sizeof *old), *cm = calloc(1, sizeof *cm);
    enum svc_status st = old && cm ? commitment_for_change(c, id, old) : SVC_ERROR;
    if (st != SVC_OK)
        goto done;
    char why[BUDGET_TEXT_MAX], before[BUDGET_TEXT_MAX], after[BUDGET_TEXT_MAX];
    *cm = *old;
    if (old->voided || (strcmp(old->status, "pending") != 0 && strcmp(old->status, "committed") != 0))
        field_errors_add(errs, "reason", old->voided ? "This commitment was voided: it cannot be corrected"
                                                     : "This commitment was refused: it cannot be corrected");
    struct budget_year_row y;
    if (q_budget_year_get(c->db, old->year_id, &y) != STORE_ROW) {
        st = SVC_ERROR;
        goto done;
    }
    int desc_ok = case_text(f->description, cm->description, sizeof cm->description, "description",
                            "The description", errs);
    if (desc_ok == 0 && !cm->description[0])
        field_errors_add(errs, "description", "Enter what the money is for");
    if (old->intervention_id) {
        /* A commissioning decision: its units, at the unit cost it was bought at. */
        long units = 0;
        int64_t per_unit = old->units > 0 ? old->amount / old->units : 0;
        int64_t used = 0;
        if (!f->units || parse_int_strict(f->units, 1, 100000, &units) != 0 ||
            budget_commission_amount(per_unit, units, &cm->amount) != 0)
            field_errors_add(errs, "units", "Enter the number of units, a whole number from 1 to 100,000");
        else if (q_placement_units(c->db, id, 0, &used) != STORE_OK || units < used) {
            char msg[160];
            snprintf(msg, sizeof msg, "Its placements have used %lld units: it cannot buy fewer", (long long)used);
            field_errors_add(errs, "units", msg);
        } else
            cm->units = units;
    } else {
        amount_field(f->amount, "amount", "the amount", false, &cm->amount, errs);
    }
    if (!errs->count && cm->amount < old->paid) {
        char paid[40], msg[200];
        budget_format_pence(old->paid, paid, sizeof paid);
        snprintf(msg, sizeof msg, "%s is already paid: the commitment cannot be less", paid);
        field_errors_add(errs, old->intervention_id ? "units" : "amount", msg);
    }
    if (svc_date_parts(f->day, f->month, f->year, "committed_on", "of the commitment", cm->committed_on, errs) == 0 &&
        (strcmp(cm->committed_on, y.starts_on) < 0 || strcmp(cm->committed_on, y.ends_on) > 0)) {
        char msg[160];
        snprintf(msg, sizeof msg, "The date of the commitment must be in the budget year %s", y.label);
        field_errors_add(errs, "committed_on", msg);
    }
    reason_field(reason, why, "Say why the commitment is corrected", errs);
    if (errs->count) {
        st = SVC_INVALID;
        goto done;
    }
    struct resource r = budget_res(0, old->authority_id, old->team_id);
    enum role role;
    int64_t limit = user_limit(c, ACT_CREATE, &r, ROLE_BUDGET_HOLDER, &role);
    enum store_rc rc = store_begin_write(c->db);
    struct budget_allocation_row a;
    /* Read again inside the write: the allocation's position without this
     * commitment, as if it were asked for anew at its corrected amount. */
    if (rc == STORE_OK && (q_budget_commitment_get(c->db, id, old) != STORE_ROW ||
                           q_budget_allocation_get(c->db, old->allocation_id, &a) != STORE_ROW))
        rc = STORE_ERROR;
    int need = 0;
    if (rc == STORE_OK) {
        struct budget_position pos = {a.amount, a.committed, a.paid};
        bool was_committed = strcmp(old->status, "committed") == 0;
        if (was_committed) {
            pos.committed -= old->amount - old->paid;
            pos.paid -= old->paid;
        }
        if (was_committed && cm->amount <= old->amount)
            need = 0;   /* less than was approved or fitted: nothing more is spent */
        else
            need = budget_commit_needs(&pos, cm->amount, limit);
        if (need < 0 || cm->amount < old->paid)
            rc = STORE_ERROR;
        else if (need && old->paid > 0)
            rc = STORE_CONSTRAINT;   /* paid money stays committed */
    }
    if (rc == STORE_CONSTRAINT) {
        store_end_write(c->db, STORE_ERROR);
        field_errors_add(errs, old->intervention_id ? "units" : "amount",
                         "The increase needs an approval but the commitment has payments: commit the difference "
                         "as a new commitment");
        st = SVC_INVALID;
        goto done;
    }
    if (rc == STORE_OK) {
        cm->needs = need;
        snprintf(cm->status, sizeof cm->status, "%s", need ? "pending" : "committed");
        commitment_text(old, before, sizeof before);
        commitment_text(cm, after, sizeof after);
        rc = q_budget_commitment_correct(c->db, cm, c->who->user_id, c->now);
    }
    if (rc == STORE_DONE) {
        store_end_write(c->db, STORE_ERROR);
        field_errors_add(errs, "reason", "This commitment was refused or voided meanwhile: it cannot be corrected");
        st = SVC_INVALID;
        goto done;
    }
    if (rc == STORE_OK)
        rc = correction(c, BUDGET_KIND_COMMITMENT, id, "correct", before, after, why);
    st = svc_from_store(rc);
    if (st == SVC_OK)
        st = audit(c, "edit", "budget_commitment", id, old->authority_id,
                   need ? "budget.commit.correct.pending" : "budget.commit.correct");
    st = end_change(c, st);
    if (st == SVC_OK && needs)
        *needs = need;
done:
    free(old);
    free(cm);
    return st;
}

enum svc_status svc_budget_commitment_void(struct svc_ctx *c, int64_t id, const char *reason,
                                           struct field_errors *errs)
{
    struct budget_commitment_row *old = calloc(1, sizeof *old);
    enum svc_status st = old ? commitment_for_change(c, id, old) : SVC_ERROR;
    if (st != SVC_OK) {
        free(old);
        return st;
    }
    char why[BUDGET_TEXT_MAX], before[BUDGET_TEXT_MAX];
    if (old->voided)
        field_errors_add(errs, "reason", "This commitment is already voided");
    else if (strcmp(old->status, "refused") == 0)
        field_errors_add(errs, "reason", "This commitment was refused: nothing is committed to void");
    else if (old->paid > 0)
        field_errors_add(errs, "reason", "This commitment has payments: it cannot be voided");
    else if (old->placements > 0)
        field_errors_add(errs, "reason", "Pupils are placed under this commissioning decision: void the placements first");
    reason_field(reason, why, "Say why the commitment is voided", errs);
    commitment_text(old, before, sizeof before);
    int64_t authority = old->authority_id;
    if (errs->count) {
        free(old);
        return SVC_INVALID;
    }
    enum store_rc rc = store_begin_write(c->db);
    /* Again inside the write: a payment or a placement made meanwhile counts. */
    if (rc == STORE_OK && q_budget_commitment_get(c->db, id, old) != STORE_ROW)
        rc = STORE_ERROR;
    if (rc == STORE_OK && (old->paid > 0 || old->placements > 0 || !strcmp(old->status, "refused")))
        rc = STORE_CONSTRAINT;
    free(old);
    struct audit_event ev = {.action = "void", .kind = "budget_commitment", .resource_id = id,
                             .authority_id = authority, .detail = "budget.commit.void"};
    return void_and_record(c, rc, BUDGET_KIND_COMMITMENT, "commitment", why, before,
                           "This commitment was paid, placed or refused meanwhile: it cannot be voided", &ev, errs);
}

enum svc_status svc_placement_void(struct svc_ctx *c, int64_t id, const char *reason, struct field_errors *errs)
{
    struct placement_row p;
    enum svc_status st = placement_for_edit(c, id, &p);
    if (st != SVC_OK)
        return st;
    char why[BUDGET_TEXT_MAX], before[BUDGET_TEXT_MAX];
    if (p.voided)
        field_errors_add(errs, "reason", "This placement is already voided");
    reason_field(reason, why, "Say why the placement is voided", errs);
    if (errs->count)
        return SVC_INVALID;
    /* No name in the correction row: the pupil is in the audit entry. */
    snprintf(before, sizeof before, "%.160s from %s%s%s, %lld units used", p.intervention_name, p.starts_on,
             p.ends_on[0] ? " to " : "", p.ends_on, (long long)p.units_used);
    enum store_rc rc = store_begin_write(c->db);
    struct audit_event ev = {.action = "void", .kind = "placement", .resource_id = id, .pupil_id = p.pupil_id,
                             .authority_id = p.authority_id, .detail = "budget.placement.void"};
    return void_and_record(c, rc, BUDGET_KIND_PLACEMENT, "placement", why, before, NULL, &ev, errs);
}

enum svc_status svc_budget_payment_void(struct svc_ctx *c, int64_t id, const char *reason, struct field_errors *errs)
{
    struct budget_payment_row p;
    struct budget_commitment_row *cm = malloc(sizeof *cm);
    enum svc_status st = cm ? svc_budget_payment_get(c, id, &p, cm) : SVC_ERROR;
    if (st == SVC_OK && !may(c, ACT_CREATE, 0, cm->authority_id, cm->team_id))
        st = SVC_FORBIDDEN;
    int64_t authority = cm ? cm->authority_id : 0;
    free(cm);
    if (st != SVC_OK)
        return st;
    char why[BUDGET_TEXT_MAX], before[BUDGET_TEXT_MAX], amount[40];
    if (p.voided)
        field_errors_add(errs, "reason", "This payment is already voided");
    reason_field(reason, why, "Say why the payment is voided", errs);
    if (errs->count)
        return SVC_INVALID;
    budget_format_pence(p.amount, amount, sizeof amount);
    snprintf(before, sizeof before, "%s paid on %s%s%.100s", amount, p.paid_on, p.reference[0] ? ", reference " : "",
             p.reference);
    struct audit_event ev = {.action = "void", .kind = "budget_payment", .resource_id = id, .authority_id = authority,
                             .detail = "budget.pay.void"};
    return void_and_record(c, store_begin_write(c->db), BUDGET_KIND_PAYMENT, "payment", why, before, NULL, &ev,
                           errs);
}

enum svc_status svc_budget_correction_list(struct svc_ctx *c, enum budget_kind kind, int64_t id,
                                           void (*fn)(void *arg, const struct budget_correction_row *r), void *arg)
{
    /* The caller has read the record itself (and so may see it). */
    return svc_from_store(q_budget_correction_list(c->db, kind, id, fn, arg));
}

/* ---- unit costs ---- */

enum svc_status svc_budget_unit_costs(struct svc_ctx *c, int64_t authority_id, struct budget_unit_costs *out)
{
    if (!may(c, ACT_VIEW, 0, authority_id, 0))
        return SVC_FORBIDDEN;
    memset(out, 0, sizeof *out);
    for (int i = 0; i < BUDGET_COST__COUNT; i++) {
        int64_t v = 0;
        enum store_rc rc =
            q_budget_pence_get(c->db, BUDGET_PENCE_UNIT_COST, authority_id, budget_cost_defaults[i].key, &v);
        if (rc != STORE_OK && rc != STORE_DONE)
            return SVC_ERROR;
        out->own[i] = rc == STORE_OK;
        out->pence[i] = rc == STORE_OK ? v : budget_cost_defaults[i].pence;
    }
    return SVC_OK;
}

enum svc_status svc_budget_unit_cost_set(struct svc_ctx *c, int64_t authority_id, const char *key,
                                         const char *amount, struct field_errors *errs)
{
    if (!may(c, ACT_EDIT, 0, authority_id, 0))
        return SVC_FORBIDDEN;
    const struct budget_cost_default *d = budget_cost_find(key);
    if (!d)
        field_errors_add(errs, "key", "Select the unit cost to set");
    int64_t v = 0;
    amount_field(amount, "amount", "the cost", true, &v, errs);
    if (errs->count)
        return SVC_INVALID;
    enum store_rc rc = store_begin_write(c->db);
    if (rc == STORE_OK)
        rc = q_budget_pence_set(c->db, BUDGET_PENCE_UNIT_COST, authority_id, d->key, v, c->who->user_id, c->now);
    enum svc_status st = svc_from_store(rc);
    if (st == SVC_OK)
        st = audit(c, "edit", "budget_unit_cost", authority_id, authority_id, "budget.unit_cost");
    return end_change(c, st);
}

/* ---- the report ---- */

static struct budget_report_item *report_item(struct budget_report *r, int64_t intervention_id)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->items[i].iv.id == intervention_id)
            return &r->items[i];
    if (r->n >= BUDGET_REPORT_MAX) {
        r->truncated = true;
        return NULL;
    }
    struct budget_report_item *it = &r->items[r->n++];
    memset(it, 0, sizeof *it);
    it->iv.id = intervention_id;
    return it;
}

struct report_build {
    struct svc_ctx *c;
    struct budget_report *r;
    enum svc_status st;
    struct outcome_terms terms;
    int64_t last_intervention, last_pupil;
};

static void report_spend(void *arg, const struct budget_report_spend *s)
{
    struct report_build *b = arg;
    struct budget_report_item *it = report_item(b->r, s->intervention_id);
    if (it) {
        it->committed += s->committed;
        it->paid += s->paid;
    }
    b->r->spend += s->committed;
}

static void report_place(void *arg, const struct budget_report_place *p)
{
    struct report_build *b = arg;
    /* Each pupil once per intervention, from their first placement on it. */
    if (p->intervention_id == b->last_intervention && p->pupil_id == b->last_pupil)
        return;
    b->last_intervention = p->intervention_id;
    b->last_pupil = p->pupil_id;
    struct budget_report_item *it = report_item(b->r, p->intervention_id);
    if (!it || b->st != SVC_OK)
        return;
    size_t idx = (size_t)(it - b->r->items);
    if (!it->iv.name[0] && q_intervention_get(b->c->db, p->intervention_id, b->c->today, &it->iv) != STORE_ROW) {
        b->st = SVC_ERROR;
        return;
    }
    struct outcome_compare oc;
    /* No policy here: the caller checked the report, which shows counts only. */
    enum svc_status st = svc_outcome_compare_pupil(b->c, p->pupil_id, b->r->year.authority_id, p->starts_on, 1,
                                                   &b->terms, &oc);
    if (st != SVC_OK) {
        b->st = st;
        return;
    }
    const char *aims[BUDGET_AIMS_MAX];
    for (size_t k = 0; k < it->iv.naims && k < BUDGET_AIMS_MAX; k++)
        aims[k] = it->iv.aims[k];
    struct budget_outcomes one = {0};
    budget_outcomes_add(&one, &oc, aims, it->iv.naims);
    budget_outcomes_add(&it->totals, &oc, aims, it->iv.naims);
    enum stat_col col = stat_col_of_phase(p->phase);
    struct stat_table *t = &b->r->tables[idx];
    const int64_t v[BR_SPEND] = {one.placed, one.attendance_rose, one.suspensions_fell, one.stayed_mainstream,
                                 one.improved};
    for (int k = 0; k < BR_SPEND; k++)
        stat_add(&t->rows[k], col, v[k]);
}

enum svc_status svc_budget_report(struct svc_ctx *c, int64_t year_id, enum action a, struct budget_report *out)
{
    memset(out, 0, sizeof *out);
    enum svc_status st = svc_budget_year_get(c, year_id, &out->year);
    if (st != SVC_OK)
        return st;
    if (!may(c, a, out->year.id, out->year.authority_id, 0))
        return SVC_FORBIDDEN;
    if ((st = svc_budget_unit_costs(c, out->year.authority_id, &out->costs)) != SVC_OK)
        return st;
    int64_t th = 0;
    if (q_disclosure_get(c->db, out->year.authority_id, &th) != STORE_OK)
        return SVC_ERROR;
    out->threshold = th > 0 ? (int)th : DASH_DEFAULT_THRESHOLD;
    /* Every table gets its rows before any count goes in. */
    for (size_t i = 0; i < BUDGET_REPORT_MAX; i++) {
        struct stat_table *t = &out->tables[i];
        static const char *const labels[BR__ROWS] = {"Pupils placed", "Attendance rose", "Fewer suspensions",
                                                     "Stayed in mainstream", "Improvements on its aims",
                                                     "Committed spend"};
        for (int k = 0; k < BR__ROWS; k++) {
            struct stat_row *row = stat_add_row(t, "", labels[k], k == BR_SPEND ? STAT_MONEY : STAT_COUNT,
                                                k != BR_SPEND, 0);
            if (row && k >= BR_ATTENDANCE && k <= BR_MAINSTREAM)
                stat_set_base(row, &t->rows[BR_PLACED]);
        }
    }
    struct report_build b = {c, out, SVC_OK, {0}, 0, 0};
    st = svc_from_store(q_budget_report_spend(c->db, year_id, report_spend, &b));
    if (st == SVC_OK)
        st = svc_from_store(q_budget_report_places(c->db, year_id, report_place, &b));
    if (st == SVC_OK)
        st = b.st;
    for (size_t i = 0; st == SVC_OK && i < out->n; i++) {
        struct budget_report_item *it = &out->items[i];
        if (!it->iv.name[0] && q_intervention_get(c->db, it->iv.id, c->today, &it->iv) != STORE_ROW)
            st = SVC_ERROR;
        snprintf(it->key, sizeof it->key, "intervention-%lld", (long long)it->iv.id);
        struct stat_table *t = &out->tables[i];
        t->key = it->key;
        t->title = it->iv.name;
        t->description = "Pupils placed on the intervention in the year and how their outcome records changed "
                         "from the whole term before the placement started to the whole term after.";
        t->show_other = true;
        t->rows[BR_SPEND].cells[COL_TOTAL].n = it->committed;
    }
    if (st != SVC_OK)
        return st;
    stat_suppress(out->tables, out->n, out->threshold);
    if (a == ACT_EXPORT) {
        struct audit_event ev = {.action = "export", .kind = "budget_report", .resource_id = year_id,
                                 .authority_id = out->year.authority_id, .detail = "budget.report"};
        st = svc_audit_record(c, &ev);
    }
    return st;
}
