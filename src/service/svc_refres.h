/* Referral results (issue 15, item 5; Annex A of the Bedford report):
 * for an authority (and a team) over a date range, the referrals made
 * (referred_on in the range) by result and by service, the conversion
 * rate, the days waited from referral to decision (median and 90th
 * percentile), how many referrals to community paediatrics had no
 * early-concerns toolkit on file beforehand, and the distinct professionals
 * engaged.  Policy: RES_AGGREGATE (ACT_VIEW to see, ACT_EXPORT for CSV),
 * with the dashboard's disclosure control (svc_dashboard_scope): exact
 * only for those who may list the cases counted, otherwise counts from 1
 * to threshold-1 are "c", with what would reveal them, and a quantile of
 * fewer than threshold waits is withheld.
 *
 * Computed from the records on each request, not from the dashboard's
 * rollup: the rollup holds whole months of meetings, cases and actions,
 * and referrals are few (one row each, counted here).
 * SQL: store/q_refres.c. */
#ifndef TAS_SERVICE_SVC_REFRES_H
#define TAS_SERVICE_SVC_REFRES_H

#include <stdbool.h>
#include <stddef.h>

#include "core/errors.h"
#include "core/refres.h"
#include "core/stats.h"
#include "service/svc.h"
#include "service/svc_dashboard.h"

enum refres_table { RT_RESULTS = 0, RT_SERVICES, RT_TOOLKIT, RT__COUNT };

/* Services named one by one; the rest together as "Other services" (four
 * rows each in the by-service table, STAT_MAX_ROWS in all). */
#define REFRES_MAX_SERVICES 15

struct refres_wait_row {
    char label[128];                    /* "All services", or the service */
    struct refres_wait w;
    bool withheld;                      /* fewer than threshold waits, and not exact */
};

struct referral_results {
    struct dash_scope s;                /* filters, exact, threshold */
    int disclosed;                      /* hidden cells a reader could work out (stat_audit): 0 */
    struct stat_table t[RT__COUNT];
    double conversion;                  /* accepted / decided; -1 none or withheld */
    struct refres_wait_row waits[REFRES_MAX_SERVICES + 2];  /* [0] all services */
    size_t nwaits;
    int64_t professionals;              /* distinct professionals engaged (staff, not suppressed) */
};

/* Validates the filters (errs; blank dates: the current school year, 1
 * August to 31 July, from the project's clock), checks the policy and builds
 * everything.  SVC_INVALID with field errors; SVC_FORBIDDEN when aggregates
 * may not be seen with action a (or a filter names something outside the
 * viewer's scope). */
enum svc_status svc_referral_results(struct svc_ctx *c, const struct dash_filter_form *in, enum action a,
                                     struct referral_results *out, struct field_errors *errs);
/* Table by key ("referral_results", "referral_services",
 * "paediatrics_toolkit"), or NULL. */
const struct stat_table *referral_results_table(const struct referral_results *r, const char *key);

#endif
