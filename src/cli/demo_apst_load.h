/* The demonstration authority's AP specialist taskforce (issue 19): an AP
 * school with pupils on its roll, a taskforce there with its specialists,
 * agreements (one review overdue), referrals (two of them outreach to a
 * mainstream secondary school), a case meeting's decisions and a term of
 * the intervention log, entered through the services as the system. */
#ifndef TAS_CLI_DEMO_APST_LOAD_H
#define TAS_CLI_DEMO_APST_LOAD_H

#include "core/demo.h"
#include "service/svc.h"

/* plan: the authority, schools and pupils already loaded (ids filled).
 * c: the day the demo is made.  0 ok; -1 after printing what failed. */
/* The demo taskforce's two accounts (password: the demo password). */
#define DEMO_APST_MANAGER "taskforce.manager"
#define DEMO_APST_SPECIALIST "taskforce.specialist"
int demo_apst_load(struct svc_ctx *c, const struct demo_plan *plan, const char *password);

#endif
