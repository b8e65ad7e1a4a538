#include "web/budget_json.h"

#include <stdio.h>
#include <string.h>

#include "core/budget.h"
#include "core/calendar.h"
#include "core/policy.h"

void bj_money(json_t *obj, const char *name, int64_t pence)
{
    char text[40], key[64];
    budget_format_pence(pence, text, sizeof text);
    json_object_set_new(obj, name, json_string(text));
    snprintf(key, sizeof key, "%s_pence", name);
    json_object_set_new(obj, key, json_integer(pence));
}

static void day(json_t *obj, const char *name, const char *iso)
{
    char label[40], key[64];
    json_object_set_new(obj, name, json_string(iso));
    date_label(iso, label, sizeof label);
    snprintf(key, sizeof key, "%s_label", name);
    json_object_set_new(obj, key, json_string(label));
}

json_t *json_budget_year(const struct budget_year_row *r)
{
    json_t *o = json_pack("{s:I, s:I, s:i, s:s}", "id", (json_int_t)r->id, "authority_id",
                          (json_int_t)r->authority_id, "start_year", r->start_year, "label", r->label);
    day(o, "starts_on", r->starts_on);
    day(o, "ends_on", r->ends_on);
    bj_money(o, "pool", r->pool);
    bj_money(o, "allocated", r->allocated);
    bj_money(o, "unallocated", r->pool - r->allocated);
    bj_money(o, "committed", r->committed);
    bj_money(o, "paid", r->paid);
    bj_money(o, "pending", r->pending);
    bj_money(o, "remaining", r->allocated - r->committed - r->paid);
    return o;
}

/* A record corrected or voided (migration 0025): voided rows are kept. */
static void voided(json_t *o, bool v, const char *reason)
{
    json_object_set_new(o, "voided", json_boolean(v));
    if (v)
        json_object_set_new(o, "void_reason", json_string(reason));
}

/* The day of a moment (seconds since 1970), as day() gives it. */
static void day_of(json_t *obj, const char *name, int64_t at)
{
    char iso[11];
    day_format((int32_t)(at / 86400), iso);
    day(obj, name, iso);
}

json_t *json_budget_correction(const struct budget_correction_row *r)
{
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:I, s:s}", "id", (json_int_t)r->id, "record_id",
                          (json_int_t)r->record_id, "action", r->action, "before", r->before, "after", r->after,
                          "reason", r->reason, "made_by", (json_int_t)r->made_by, "made_by_name", r->made_by_name);
    day_of(o, "made_on", r->made_at);
    json_object_set_new(o, "is_void", json_boolean(!strcmp(r->action, "void")));
    return o;
}

json_t *json_budget_allocation_change(const struct budget_allocation_change_row *r)
{
    json_t *o = json_pack("{s:I, s:I, s:s, s:I, s:s, s:I}", "id", (json_int_t)r->id, "allocation_id",
                          (json_int_t)r->allocation_id, "reason", r->reason, "changed_by", (json_int_t)r->changed_by,
                          "changed_by_name", r->changed_by_name, "changed_at", (json_int_t)r->changed_at);
    day_of(o, "changed_on", r->changed_at);
    if (r->had_old)
        bj_money(o, "old_amount", r->old_amount);
    else {
        json_object_set_new(o, "old_amount", json_null());
        json_object_set_new(o, "old_amount_pence", json_null());
    }
    bj_money(o, "new_amount", r->new_amount);
    return o;
}

json_t *json_budget_contribution(const struct budget_contribution_row *r)
{
    const char *partner = code_label(&codes_budget_partner, r->partner);
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s}", "id", (json_int_t)r->id, "year_id", (json_int_t)r->year_id,
                          "partner", r->partner, "partner_label", partner ? partner : r->partner, "partner_name",
                          r->partner_name);
    bj_money(o, "amount", r->amount);
    day(o, "received_on", r->received_on);
    voided(o, r->voided, r->void_reason);
    return o;
}

json_t *json_budget_allocation(const struct budget_allocation_row *r)
{
    json_t *o = json_pack("{s:I, s:I, s:I, s:s, s:I, s:s}", "id", (json_int_t)r->id, "year_id",
                          (json_int_t)r->year_id, "team_id", (json_int_t)r->team_id, "team_name", r->team_name,
                          "authority_id", (json_int_t)r->authority_id, "year_label", r->year_label);
    bj_money(o, "amount", r->amount);
    bj_money(o, "committed", r->committed);
    bj_money(o, "paid", r->paid);
    bj_money(o, "pending", r->pending);
    struct budget_position pos = {r->amount, r->committed, r->paid};
    int64_t left = budget_remaining(&pos);
    bj_money(o, "remaining", left);
    json_object_set_new(o, "overspent", json_boolean(left < 0));
    return o;
}

static const char *status_label(const char *s)
{
    if (!strcmp(s, "pending"))
        return "Awaiting approval";
    if (!strcmp(s, "committed"))
        return "Committed";
    if (!strcmp(s, "refused"))
        return "Refused";
    return "Cancelled";
}

static const char *status_colour(const char *s)
{
    if (!strcmp(s, "pending"))
        return "govuk-tag--yellow";
    if (!strcmp(s, "committed"))
        return "govuk-tag--green";
    return "govuk-tag--grey";
}

json_t *json_budget_commitment(const struct budget_commitment_row *r)
{
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:i, s:b, s:b, s:s, s:I, s:s, s:I, s:I, s:s}", "id",
                          (json_int_t)r->id, "allocation_id", (json_int_t)r->allocation_id, "description",
                          r->description, "status", r->status, "status_label", status_label(r->status), "status_tag",
                          status_colour(r->status), "needs", r->needs, "needs_over_allocation",
                          (r->needs & BUDGET_NEED_OVER_ALLOCATION) != 0, "needs_over_limit",
                          (r->needs & BUDGET_NEED_OVER_LIMIT) != 0, "requested_by_name", r->requested_by_name,
                          "team_id", (json_int_t)r->team_id, "team_name", r->team_name, "authority_id",
                          (json_int_t)r->authority_id, "year_id", (json_int_t)r->year_id, "year_label",
                          r->year_label);
    json_object_set_new(o, "requested_by", json_integer(r->requested_by));
    json_object_set_new(o, "changed_by", json_integer(r->changed_by));
    json_object_set_new(o, "placements", json_integer(r->placements));
    voided(o, r->voided, r->void_reason);
    if (r->voided) {
        json_object_set_new(o, "status_label", json_string("Voided"));
        json_object_set_new(o, "may_correct", json_false());
    } else {
        json_object_set_new(o, "may_correct", json_boolean(!strcmp(r->status, "pending") ||
                                                           !strcmp(r->status, "committed")));
    }
    bj_money(o, "amount", r->amount);
    bj_money(o, "paid", r->paid);
    bj_money(o, "outstanding", !strcmp(r->status, "committed") ? r->amount - r->paid : 0);
    day(o, "committed_on", r->committed_on);
    if (r->intervention_id) {
        json_object_set_new(o, "intervention_id", json_integer(r->intervention_id));
        json_object_set_new(o, "intervention_name", json_string(r->intervention_name));
        json_object_set_new(o, "units", json_integer(r->units));
    }
    return o;
}

json_t *json_budget_payment(const struct budget_payment_row *r)
{
    json_t *o = json_pack("{s:I, s:I, s:s, s:s}", "id", (json_int_t)r->id, "commitment_id",
                          (json_int_t)r->commitment_id, "reference", r->reference, "recorded_by_name",
                          r->recorded_by_name);
    bj_money(o, "amount", r->amount);
    day(o, "paid_on", r->paid_on);
    voided(o, r->voided, r->void_reason);
    return o;
}

json_t *json_budget_approval(const struct budget_approval_row *r)
{
    enum role role;
    const char *role_text = role_from_code(r->role, &role) == 0 ? role_label(role) : r->role;
    char at[11], label[40];
    day_format((int32_t)(r->decided_at / 86400), at);
    date_label(at, label, sizeof label);
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:I, s:s, s:s}", "id", (json_int_t)r->id,
                          "commitment_id", (json_int_t)r->commitment_id, "decision", r->decision, "role", r->role,
                          "role_label", role_text, "note", r->note, "decided_by", (json_int_t)r->decided_by,
                          "decided_by_name", r->decided_by_name, "decided_at", (json_int_t)r->decided_at,
                          "decided_on", at, "decided_on_label", label);
    json_object_set_new(o, "approved", json_boolean(!strcmp(r->decision, "approved")));
    bj_money(o, "amount", r->amount);
    bj_money(o, "limit", r->limit);
    return o;
}

json_t *json_intervention(const struct intervention_row *r)
{
    const char *unit = code_label(&codes_budget_unit, r->unit);
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:b}", "id", (json_int_t)r->id,
                          "authority_id", (json_int_t)r->authority_id, "name", r->name, "provider", r->provider, "unit",
                          r->unit, "unit_label", unit ? unit : r->unit, "capacity", (json_int_t)r->capacity, "current",
                          (json_int_t)r->current, "eligibility", r->eligibility, "active", r->active != 0);
    bj_money(o, "unit_cost", r->unit_cost);
    json_t *aims = json_array();
    for (size_t i = 0; i < r->naims && i < BUDGET_AIMS_MAX; i++) {
        const char *aim = code_label(&codes_budget_aim, r->aims[i]);
        json_array_append_new(aims, json_pack("{s:s, s:s}", "code", r->aims[i], "label", aim ? aim : r->aims[i]));
    }
    json_object_set_new(o, "aims", aims);
    voided(o, r->voided, r->void_reason);
    json_object_set_new(o, "decisions", json_integer(r->decisions));
    return o;
}

json_t *json_placement(const struct placement_row *r)
{
    json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:I, s:s, s:I, s:s, s:I}", "id", (json_int_t)r->id, "commitment_id",
                          (json_int_t)r->commitment_id, "pupil_id", (json_int_t)r->pupil_id, "action_id",
                          (json_int_t)r->action_id, "case_id", (json_int_t)r->case_id, "pupil_name", r->pupil_name,
                          "intervention_id", (json_int_t)r->intervention_id, "intervention_name",
                          r->intervention_name, "units_used", (json_int_t)r->units_used);
    day(o, "starts_on", r->starts_on);
    if (r->ends_on[0])
        day(o, "ends_on", r->ends_on);
    else
        json_object_set_new(o, "ends_on", json_null());
    voided(o, r->voided, r->void_reason);
    return o;
}

void json_placement_append(void *list, const struct placement_row *r)
{
    json_array_append_new(list, json_placement(r));
}
