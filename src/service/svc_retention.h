/* Retention: the settings page's use cases and the run that erases or
 * anonymises what is due (tas retention). */
#ifndef TAS_SERVICE_SVC_RETENTION_H
#define TAS_SERVICE_SVC_RETENTION_H

#include "core/retention.h"
#include "service/svc.h"

/* Reading the settings: those who may read the audit trail (DPO,
 * administrators).  Changing them: only those who may erase any pupil's
 * records anywhere in the installation (a system administrator), since the
 * schedule is installation-wide and decides what is erased.
 * ACT_LIST on RES_AUDIT (SVC_FORBIDDEN); *may_edit says whether svc_retention_set would be
 * allowed. */
enum svc_status svc_retention_get(struct svc_ctx *c, struct retention_rule rules[RET__COUNT],
                                  bool *may_edit);
/* ACT_DELETE on every RES_PUPIL (SVC_FORBIDDEN), then each value a whole number of months or
 * years in range (field errors); recorded in the audit trail. */
enum svc_status svc_retention_set(struct svc_ctx *c, const char *const months[RET__COUNT],
                                  const char *const ages[RET__COUNT], struct field_errors *errs,
                                  struct retention_rule rules[RET__COUNT]);

/* One thing a run did or would do.  id is the record's (0 for counted
 * kinds: sessions, audit entries, where count says how many). */
struct retention_item {
    enum retention_type type;
    int64_t id;
    int64_t count;
    char due_on[11];
};

struct retention_report {
    int64_t done[RET__COUNT];     /* records (or entries) per type */
};

/* Finds what is due on today (YYYY-MM-DD) and, unless dry_run, erases or anonymises it in one
 * transaction, recording each step in the audit trail (flag SYSTEM).  fn (may be NULL) hears of
 * each item. Checks ACT_DELETE on every RES_PUPIL (SVC_FORBIDDEN): tas retention runs as the
 * system principal. */
enum svc_status svc_retention_run(struct svc_ctx *c, const char *today, bool dry_run,
                                  void (*fn)(void *arg, const struct retention_item *it), void *arg,
                                  struct retention_report *out);

#endif
