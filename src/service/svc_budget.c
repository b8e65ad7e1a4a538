#include "service/svc_budget.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/casefile.h"
#include "core/validate.h"
#include "service/svc_audit.h"

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

static int date_field(const char *d, const char *m, const char *y, const char *field, const char *what,
                      char out[11], struct field_errors *errs)
{
    char msg[160];
    if ((!d || !*d) && (!m || !*m) && (!y || !*y)) {
        snprintf(msg, sizeof msg, "Enter the date %s", what);
        field_errors_add(errs, field, msg);
        return -1;
    }
    if (parse_date_parts(d, m, y, out) != 0) {
        snprintf(msg, sizeof msg, "The date %s must be a real date", what);
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
        if (q_budget_limit_get(c->db, authority_id, role_code(role), &v) != STORE_OK)
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
        rc = q_budget_limit_set(c->db, authority_id, "budget_holder", h, c->who->user_id, c->now);
    if (rc == STORE_OK)
        rc = q_budget_limit_set(c->db, authority_id, "budget_approver", a, c->who->user_id, c->now);
    enum svc_status st = svc_from_store(rc);
    if (st == SVC_OK)
        st = audit(c, "edit", "budget_limits", authority_id, authority_id, "budget.limits");
    return end_change(c, st);
}

/* ---- years ---- */

struct overview {
    struct svc_ctx *c;
    void (*year_fn)(void *arg, const struct budget_year_row *r);
    void *arg;
};

static void year_if_visible(void *arg, const struct budget_year_row *r)
{
    struct overview *o = arg;
    if (may(o->c, ACT_VIEW, r->id, r->authority_id, 0))
        o->year_fn(o->arg, r);
}

enum svc_status svc_budget_overview(struct svc_ctx *c,
                                    void (*year_fn)(void *arg, const struct budget_year_row *r),
                                    void (*alloc_fn)(void *arg, const struct budget_allocation_row *r), void *arg)
{
    struct visibility v;
    enum svc_status st = svc_list_visible(c, RES_BUDGET, &v);
    if (st != SVC_OK)
        return st;
    struct overview o = {c, year_fn, arg};
    st = svc_from_store(q_budget_year_list(c->db, &v, year_if_visible, &o));
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

enum svc_status svc_budget_contribution_add(struct svc_ctx *c, int64_t year_id, const struct contribution_form *f,
                                            struct field_errors *errs, struct budget_contribution_row *out)
{
    struct budget_year_row y;
    enum svc_status st = svc_budget_year_get(c, year_id, &y);
    if (st != SVC_OK)
        return st;
    if (!may(c, ACT_EDIT, y.id, y.authority_id, 0))
        return SVC_FORBIDDEN;
    struct budget_contribution_row r = {.year_id = year_id, .created_by = c->who->user_id};
    const struct budget_partner *p = budget_partner_find(f->partner);
    if (!p)
        field_errors_add(errs, "partner", "Select the partner who paid in");
    else
        snprintf(r.partner, sizeof r.partner, "%s", p->code);
    if (case_text(f->partner_name, r.partner_name, sizeof r.partner_name, "partner_name", "The name of the partner",
                  errs) == 0 && !r.partner_name[0] && p)
        snprintf(r.partner_name, sizeof r.partner_name, "%s", p->label);
    amount_field(f->amount, "amount", "the amount", false, &r.amount, errs);
    date_field(f->day, f->month, f->year, "received_on", "the money was received", r.received_on, errs);
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

enum svc_status svc_budget_allocation_set(struct svc_ctx *c, int64_t year_id, int64_t team_id, const char *amount,
                                          struct field_errors *errs, int64_t *id)
{
    struct budget_year_row y;
    enum svc_status st = svc_budget_year_get(c, year_id, &y);
    if (st != SVC_OK)
        return st;
    if (!may(c, ACT_EDIT, y.id, y.authority_id, 0))
        return SVC_FORBIDDEN;
    struct budget_team t;
    bool team_ok = team_id > 0 && q_budget_team_get(c->db, team_id, &t) == STORE_ROW &&
                   t.authority_id == y.authority_id && t.active;
    if (!team_ok)
        field_errors_add(errs, "team_id", "Select a team of this authority");
    int64_t v = 0;
    if (amount_field(amount, "amount", "the amount", true, &v, errs) == 0 && team_ok) {
        int64_t others = 0;
        if (q_budget_allocated_others(c->db, year_id, team_id, &others) != STORE_OK)
            return SVC_ERROR;
        if (budget_allocate_check(y.pool, others, v) != 0) {
            char left[40], msg[200];
            budget_format_pence(y.pool - others, left, sizeof left);
            snprintf(msg, sizeof msg, "The allocations would add up to more than the pool: %s is left to allocate",
                     left);
            field_errors_add(errs, "amount", msg);
        }
    }
    if (errs->count)
        return SVC_INVALID;
    enum store_rc rc = store_begin_write(c->db);
    if (rc == STORE_OK)
        rc = q_budget_allocation_set(c->db, year_id, team_id, v, c->who->user_id, c->now, id);
    /* Not below what is already spent from it (read inside the write, so
     * a commitment made meanwhile counts). */
    struct budget_allocation_row a;
    if (rc == STORE_OK && q_budget_allocation_get(c->db, *id, &a) == STORE_ROW && a.committed + a.paid > v) {
        store_end_write(c->db, STORE_ERROR);
        char spent[40], msg[200];
        budget_format_pence(a.committed + a.paid, spent, sizeof spent);
        snprintf(msg, sizeof msg, "The allocation cannot be less than what is committed and paid from it: %s", spent);
        field_errors_add(errs, "amount", msg);
        return SVC_INVALID;
    }
    st = svc_from_store(rc);
    if (st == SVC_OK)
        st = audit(c, "edit", "budget_allocation", *id, y.authority_id, "budget.allocation");
    return end_change(c, st);
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
    if (case_text(f->description, cm->description, sizeof cm->description, "description", "The description",
                  errs) == 0 && !cm->description[0])
        field_errors_add(errs, "description", "Enter what the money is for");
    amount_field(f->amount, "amount", "the amount", false, &cm->amount, errs);
    if (date_field(f->day, f->month, f->year, "committed_on", "of the commitment", cm->committed_on, errs) == 0 &&
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
            if (ok != BUDGET_APPROVE_OK)
                field_errors_add(errs, "decision", budget_approval_text(ok));
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
    if (date_field(f->day, f->month, f->year, "paid_on", "of the payment", p.paid_on, errs) == 0 &&
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
