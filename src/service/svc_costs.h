/* The dashboard's settings, kept by administrators (ACT_EDIT on
 * RES_AGGREGATE; ACT_VIEW to read them): the cost model (hourly cost with
 * on-costs and the minutes of preparation, meeting, follow-up and travel of
 * each role at one meeting), the disclosure-control threshold, and the
 * school census figures the dashboard compares TAS cases with.
 * SQL: store/q_dashboard.c. */
#ifndef TAS_SERVICE_SVC_COSTS_H
#define TAS_SERVICE_SVC_COSTS_H

#include "core/errors.h"
#include "core/records.h"
#include "service/svc.h"
#include "store/q_dashboard.h"

#define COST_ROLES_MAX 64
struct cost_settings {
    int64_t authority_id;
    int64_t threshold;                  /* 0: default */
    size_t n;
    struct cost_rate rates[COST_ROLES_MAX];  /* one per role key, with defaults where unset */
    bool set[COST_ROLES_MAX];           /* a rate has been saved */
};

struct cost_form {
    const char *role_key, *label, *org_group;
    const char *hourly, *prep, *meeting, *followup, *travel;   /* pounds; minutes */
};

/* The role keys of the authority (standing roles and its services) with
 * their rates.  ACT_VIEW on RES_AGGREGATE.
 * SVC_FORBIDDEN without it (or for authority 0). */
enum svc_status svc_cost_settings(struct svc_ctx *c, int64_t authority_id, struct cost_settings *out);
/* ACT_EDIT on RES_AGGREGATE (administrators).
 * SVC_FORBIDDEN without it; a role key not of the authority, an amount not in pounds or minutes
 * out of range are field errors. */
enum svc_status svc_cost_rate_save(struct svc_ctx *c, int64_t authority_id, const struct cost_form *in,
                                   struct field_errors *errs);
/* ACT_EDIT on RES_AGGREGATE (SVC_FORBIDDEN); the threshold must be a whole number in range
 * (field error). */
enum svc_status svc_disclosure_save(struct svc_ctx *c, int64_t authority_id, const char *threshold,
                                    struct field_errors *errs);
/* A school's census figures, through fn (k0 dimension, k1 category, n0
 * pupils); the school itself in *out.  ACT_VIEW on RES_AGGREGATE.
 * A school that is missing, or whose figures the user may not view: SVC_NOT_FOUND. */
enum svc_status svc_population_get(struct svc_ctx *c, int64_t school_id, struct school *out,
                                   void (*fn)(void *arg, const struct dash_row *r), void *arg);
/* Census figures for one school: dimension gender|nc_year|ethnicity|sen_provision,
 * categories are codes ("" = not recorded).  ACT_EDIT on RES_AGGREGATE.
 * A missing school: SVC_NOT_FOUND; the dimension, codes and counts are checked (field errors). */
enum svc_status svc_population_save(struct svc_ctx *c, int64_t school_id, const char *dimension,
                                    const char *const *categories, const int64_t *pupils, size_t n,
                                    struct field_errors *errs);

#endif
