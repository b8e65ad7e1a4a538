/* The demonstration authority's pooled budget (issue 20): last financial
 * year's pool, paid in by the partners and devolved to three teams, with
 * an interventions catalogue, commissioning decisions (one approved over
 * the holder's limit), payments and pupils of TAS actions placed on what
 * was bought; and this year's pool with one decision waiting in the
 * approver's queue.  Entered through the services, as the demo's budget
 * holder and approver (placements as the system: they name pupils the
 * budget roles do not see). */
#ifndef TAS_CLI_DEMO_BUDGET_LOAD_H
#define TAS_CLI_DEMO_BUDGET_LOAD_H

#include <stdint.h>

#include "service/svc.h"

/* c: the system's context on the day the demo is made; holder_id and
 * approver_id: the demo's budget.holder and budget.approver accounts.
 * summary gets a one-line report.  0 ok; -1 after printing what failed. */
int demo_budget_load(struct svc_ctx *c, int64_t authority_id, int64_t holder_id, int64_t approver_id, char *summary,
                     size_t summarysz);

#endif
