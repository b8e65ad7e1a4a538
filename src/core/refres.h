/* Referral results (issue 15, item 5; Annex A of the Bedford report): how
 * the referrals a TAS makes turn out, by service and outcome; the
 * conversion rate; the days waited from referral to decision, as a median
 * and a 90th percentile.  Pure: no I/O, SQL or HTML. */
#ifndef TAS_CORE_REFRES_H
#define TAS_CORE_REFRES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The four results the report asks for, in its order.  The referral
 * statuses the project records (migration 0002, referrals.outcome) map one
 * to one: 'accepted', 'declined', 'redirected' (shown as "Redirected back
 * to TAS", svc_actions.c) and 'pending'. */
enum refres_outcome { RO_ACCEPTED = 0, RO_DECLINED, RO_REDIRECTED, RO_PENDING, RO__COUNT };

/* The result a recorded status counts under; -1 for anything else. */
int refres_outcome_of(const char *status);
/* "Accepted", "Declined", "Redirected back to TAS", "Pending". */
const char *refres_outcome_label(enum refres_outcome o);
/* "accepted", "declined", "redirected", "pending" (keys for JSON and CSV). */
const char *refres_outcome_key(enum refres_outcome o);
/* A decision has been made: accepted, declined or redirected. */
bool refres_decided(enum refres_outcome o);

/* The conversion rate: accepted / decided, from 0 to 1; -1 when nothing
 * has been decided (no rate, rather than a rate of 0). */
double refres_conversion(int64_t accepted, int64_t decided);

/* Quantile p (0..1) of n values sorted ascending, by the method R calls
 * type 7 (its default; Hyndman and Fan, "Sample quantiles in statistical
 * packages", The American Statistician 50(4), 1996, definition 7):
 *   h = (n - 1) p,  Q(p) = x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h])
 * with x indexed from 0, i.e. linear interpolation between the order
 * statistics, so Q(0) is the least value, Q(1) the greatest and Q(0.5) the
 * usual median.  NAN when n is 0. */
double refres_quantile7(const int32_t *sorted, size_t n, double p);

/* Days waited from referral to decision, summarised. */
struct refres_wait {
    size_t n;            /* decisions with both dates, decision not before referral */
    double median, p90;  /* R type 7; NAN when n is 0 */
};
/* Sorts days[0..n) in place (ascending) and summarises them. */
void refres_wait_summary(int32_t *days, size_t n, struct refres_wait *out);

#endif
