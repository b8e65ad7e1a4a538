/* Referral results (service/svc_refres.c): the referrals made in a date
 * range, one row each, and the distinct professionals engaged.  Filters
 * as the dashboard's (store/q_dashboard.h, struct dash_query: dates,
 * authority, team; phase and school too), limited to the caller's
 * visibility of statistics. */
#ifndef TAS_STORE_Q_REFRES_H
#define TAS_STORE_Q_REFRES_H

#include "store/q_dashboard.h"
#include "store/store.h"

struct refres_row {
    int64_t authority_id, service_id;
    char phase[16];                 /* the pupil's school's phase */
    char service_code[48], service_name[128];
    char outcome[12];               /* pending accepted declined redirected */
    char referred_on[11], outcome_on[11];   /* outcome_on "" when not recorded */
    int toolkit_before;             /* 1: a complete early-concerns toolkit dated on or before referred_on */
};

/* Referrals not voided, referred_on in [from, to], of cases of the team
 * (team_id), of pupils at schools the filters and the visibility reach;
 * toolkit names the toolkit looked for (core's TK_CHECKLIST).  Ordered
 * by service name, then referral. */
enum store_rc q_refres_referrals(struct store *s, const struct dash_query *q, const char *toolkit,
                                 void (*fn)(void *arg, const struct refres_row *r), void *arg);

/* Distinct professionals engaged in [from, to]: practitioners present at a
 * held meeting of a team the filters reach, or owning an action (not voided)
 * agreed at such a meeting or, when not agreed at a meeting, made in the
 * range (created_at from from_epoch to to_epoch inclusive); a person recorded
 * by name only (a guest, an owner without a practitioner record) counts once
 * per distinct name (case and surrounding spaces ignored). */
enum store_rc q_refres_professionals(struct store *s, const struct dash_query *q, int64_t from_epoch,
                                     int64_t to_epoch, int64_t *n);

#endif
