/* The pooled budget's records as JSON, for the API and the templates
 * alike (docs/budget.md).  Every amount is given twice: "<name>_pence"
 * (an integer, for programs) and "<name>" ("£1,234.56", for people). */
#ifndef TAS_WEB_BUDGET_JSON_H
#define TAS_WEB_BUDGET_JSON_H

#include <jansson.h>

#include "store/q_budget.h"

/* Sets obj[name] = "£1,234.56" and obj[name_pence] = pence. */
void bj_money(json_t *obj, const char *name, int64_t pence);
json_t *json_budget_year(const struct budget_year_row *r);
json_t *json_budget_contribution(const struct budget_contribution_row *r);
json_t *json_budget_allocation(const struct budget_allocation_row *r);
json_t *json_budget_commitment(const struct budget_commitment_row *r);
json_t *json_budget_payment(const struct budget_payment_row *r);
json_t *json_budget_approval(const struct budget_approval_row *r);
json_t *json_intervention(const struct intervention_row *r);
json_t *json_placement(const struct placement_row *r);
/* Appends json_placement(r) to the array list: a row callback for lists. */
void json_placement_append(void *list, const struct placement_row *r);
/* A correction or void of a budget record (migration 0025). */
json_t *json_budget_correction(const struct budget_correction_row *r);
/* One setting of an allocation (migration 0033): old_amount null for the first. */
json_t *json_budget_allocation_change(const struct budget_allocation_change_row *r);

#endif
