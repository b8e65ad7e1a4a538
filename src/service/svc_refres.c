/* Referral results: see svc_refres.h. */
#include "service/svc_refres.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/policy.h"
#include "service/svc_dashboard.h"
#include "service/svc_toolkits.h"
#include "store/q_refres.h"

/* One referral, as counted. */
struct ref {
    size_t svc;             /* index into the services seen */
    enum stat_col col;
    int outcome;            /* enum refres_outcome */
    int32_t days;           /* referral to decision; -1 unknown */
    bool paediatrics, toolkit_before;
};

struct collect {
    struct ref *v;
    size_t n, cap;
    int64_t svc_id[REFRES_MAX_SERVICES + 1];
    char svc_name[REFRES_MAX_SERVICES + 1][128];
    bool paediatrics[REFRES_MAX_SERVICES + 1];   /* the service holds referrals to community paediatrics */
    size_t nsvc;
    bool oom;
};

static void on_referral(void *arg, const struct refres_row *r)
{
    struct collect *k = arg;
    int o = refres_outcome_of(r->outcome);
    if (k->oom || o < 0)
        return;
    k->v = svc_room(k->v, k->n, &k->cap, sizeof *k->v, 64, &k->oom);
    if (k->oom)
        return;
    /* Rows come ordered by service: a new service is the last one or new. */
    size_t s = k->nsvc;
    for (size_t i = 0; i < k->nsvc; i++)
        if (k->svc_id[i] == r->service_id)
            s = i;
    if (s == k->nsvc) {
        if (k->nsvc == REFRES_MAX_SERVICES) {
            s = REFRES_MAX_SERVICES;   /* the rest, together */
            k->svc_id[s] = -1;
            snprintf(k->svc_name[s], sizeof k->svc_name[s], "Other services");
            k->nsvc = REFRES_MAX_SERVICES + 1;
        } else if (k->nsvc > REFRES_MAX_SERVICES) {
            s = REFRES_MAX_SERVICES;
        } else {
            k->svc_id[s] = r->service_id;
            snprintf(k->svc_name[s], sizeof k->svc_name[s], "%s", r->service_name);
            k->nsvc++;
        }
    }
    struct ref *x = &k->v[k->n++];
    x->svc = s;
    x->col = stat_col_of_phase(r->phase);
    x->outcome = o;
    x->days = -1;
    int32_t a, b;
    if (refres_decided((enum refres_outcome)o) && r->outcome_on[0] && day_parse(r->referred_on, &a) == 0 &&
        day_parse(r->outcome_on, &b) == 0 && b >= a)
        x->days = b - a;
    x->paediatrics = !strcmp(r->service_code, TK_CHECKLIST_SERVICE);
    x->toolkit_before = r->toolkit_before != 0;
    k->paediatrics[s] |= x->paediatrics;
}

static struct stat_table *table(struct referral_results *d, enum refres_table id, const char *key,
                                const char *title, const char *figure, const char *description)
{
    return svc_stat_table_head(&d->t[id], key, title, figure, CHART_NONE, description);
}

static void base_to(struct stat_row *r, const struct stat_row *b)
{
    if (r && b)
        stat_set_base(r, b);
}

/* The days waited of the referrals to service s (SIZE_MAX: all). */
static bool wait_row(struct referral_results *d, const struct collect *k, size_t s, const char *label)
{
    int32_t *days = malloc((k->n ? k->n : 1) * sizeof *days);
    if (!days)
        return false;
    size_t n = 0;
    for (size_t i = 0; i < k->n; i++)
        if ((s == SIZE_MAX || k->v[i].svc == s) && k->v[i].days >= 0)
            days[n++] = k->v[i].days;
    struct refres_wait_row *w = &d->waits[d->nwaits++];
    snprintf(w->label, sizeof w->label, "%s", label);
    refres_wait_summary(days, n, &w->w);
    /* A median or percentile of a handful of waits tells each one: below
     * the threshold it is withheld, as a count would be. */
    w->withheld = !d->s.exact && n < (size_t)d->s.threshold;
    free(days);
    return true;
}

/* Every cell of a table hidden (percentages with them). */
static void hide_all(struct stat_table *t)
{
    for (size_t i = 0; i < t->nrows; i++)
        for (int c = 0; c < STAT_NCOLS; c++) {
            t->rows[i].cells[c].suppressed = true;
            t->rows[i].cells[c].pct_withheld = true;
        }
}

static bool any_hidden(const struct stat_row *r)
{
    for (int c = 0; c < STAT_NCOLS; c++)
        if (r->cells[c].suppressed)
            return true;
    return false;
}

enum svc_status svc_referral_results(struct svc_ctx *c, const struct dash_filter_form *in, enum action a,
                                     struct referral_results *d, struct field_errors *errs)
{
    memset(d, 0, sizeof *d);
    /* Blank dates: the current school year (1 August to 31 July, as
     * core/calendar.c academic_year_of), by the project's clock. */
    struct dash_filter_form f = *in;
    char dfrom[11], dto[11];
    int32_t today;
    if (day_parse(c->today, &today) != 0)
        return SVC_ERROR;
    int y = academic_year_of(today);
    day_format(day_from_ymd(y, 8, 1), dfrom);
    day_format(day_from_ymd(y + 1, 7, 31), dto);
    if (!f.from || !f.from[0])
        f.from = dfrom;
    if (!f.to || !f.to[0])
        f.to = dto;
    enum svc_status st = svc_dashboard_scope(c, &f, a, &d->s, errs);
    if (st != SVC_OK)
        return st;

    struct visibility vis;
    policy_visible(c->who, RES_AGGREGATE, a, &vis);
    struct dash_query q = {d->s.f.from, d->s.f.to, d->s.f.authority_id, d->s.f.team_id, d->s.f.school_id,
                           d->s.f.phase, &vis};
    struct collect k = {0};
    enum store_rc rc = q_refres_referrals(c->db, &q, TK_CHECKLIST, on_referral, &k);
    int32_t from_day = 0, to_day = 0;
    (void)day_parse(d->s.f.from, &from_day);
    (void)day_parse(d->s.f.to, &to_day);
    if (rc == STORE_OK && !k.oom)
        rc = q_refres_professionals(c->db, &q, (int64_t)from_day * 86400, (int64_t)to_day * 86400 + 86399,
                                    &d->professionals);
    if (rc != STORE_OK || k.oom) {
        free(k.v);
        return SVC_ERROR;
    }

    /* Table 1: every referral, decided or pending; those decided by result
     * (the Accepted row's percentage is the conversion rate). */
    struct stat_table *t1 = table(d, RT_RESULTS, "referral_results", "Referral results", "Table 1",
        "Referrals made in the period (by the date of the referral), by result. Decided means accepted, "
        "declined or redirected back to TAS; the percentage beside Accepted is the conversion rate "
        "(accepted as a share of those decided).");
    struct stat_row *all = stat_add_row(t1, "", "Referrals", STAT_COUNT, true, 0);
    struct stat_row *decided = stat_add_row(t1, "", "Decided", STAT_COUNT, true, 1);
    struct stat_row *pending = stat_add_row(t1, "", "Pending", STAT_COUNT, true, 1);
    struct stat_row *res[RO__COUNT] = {0};
    for (int o = 0; o < RO__COUNT; o++)
        if (o != RO_PENDING)
            res[o] = stat_add_row(t1, "Of those decided", refres_outcome_label((enum refres_outcome)o),
                                  STAT_COUNT, true, 2);
    res[RO_PENDING] = pending;
    base_to(decided, all);
    base_to(pending, all);
    for (int o = 0; o < RO__COUNT; o++)
        if (o != RO_PENDING)
            base_to(res[o], decided);

    /* Table 2: each result by service.  Grouped by result so each group
     * adds up to table 1's row (an identity the disclosure check knows);
     * a service's own total is not shown, so no identity is left unknown. */
    struct stat_table *t2 = table(d, RT_SERVICES, "referral_services", "Referral results by service", "Table 2",
        "Each result of table 1 split by the service referred to; the percentage is the service's share of "
        "that result.");
    struct stat_row *by[RO__COUNT][REFRES_MAX_SERVICES + 1] = {{0}};
    for (int o = 0; o < RO__COUNT; o++)
        for (size_t s = 0; s < k.nsvc; s++) {
            by[o][s] = stat_add_row(t2, refres_outcome_label((enum refres_outcome)o), k.svc_name[s], STAT_COUNT,
                                    true, o + 1);
            base_to(by[o][s], res[o]);
        }

    /* Table 3: the early-concerns toolkit before a referral to community
     * paediatrics (the referral form warns when none is on file:
     * svc_toolkit_on_file).  "Beforehand": a complete one dated on or
     * before the day of the referral. */
    struct stat_table *t3 = table(d, RT_TOOLKIT, "paediatrics_toolkit",
        "Early-concerns toolkit before a referral to community paediatrics", "Table 3",
        "Referrals to community paediatrics in the period, and whether a completed early-concerns toolkit "
        "was on file for the pupil on or before the day of the referral.");
    struct stat_row *paed = stat_add_row(t3, "", "Referrals to community paediatrics", STAT_COUNT, true, 0);
    struct stat_row *with = stat_add_row(t3, "", "With a toolkit on file beforehand", STAT_COUNT, true, 1);
    struct stat_row *without = stat_add_row(t3, "", "Without a toolkit on file beforehand", STAT_COUNT, true, 1);
    base_to(with, paed);
    base_to(without, paed);

    for (size_t i = 0; i < k.n; i++) {
        const struct ref *x = &k.v[i];
        stat_add(all, x->col, 1);
        if (refres_decided((enum refres_outcome)x->outcome))
            stat_add(decided, x->col, 1);
        stat_add(res[x->outcome], x->col, 1);
        stat_add(by[x->outcome][x->svc], x->col, 1);
        if (x->paediatrics) {
            stat_add(paed, x->col, 1);
            stat_add(x->toolkit_before ? with : without, x->col, 1);
        }
    }

    /* Days waited: all services, then each. */
    bool ok = wait_row(d, &k, SIZE_MAX, "All services");
    for (size_t s = 0; ok && s < k.nsvc; s++)
        ok = wait_row(d, &k, s, k.svc_name[s]);

    stat_suppress(d->t, RT__COUNT, d->s.exact ? 0 : d->s.threshold);
    /* Table 3's referrals are also the sum of community paediatrics' rows in
     * table 2, an identity across tables the check above does not know: when
     * any of those, or any cell of table 3, is hidden, all of table 3 is. */
    if (!d->s.exact) {
        bool hide = false;
        for (size_t s = 0; s < k.nsvc; s++)
            for (int o = 0; o < RO__COUNT; o++)
                hide |= k.paediatrics[s] && any_hidden(by[o][s]);
        for (size_t i = 0; i < t3->nrows; i++)
            hide |= any_hidden(&t3->rows[i]);
        if (hide)
            hide_all(t3);
    }
    d->disclosed = d->s.exact ? 0 : stat_audit(d->t, RT__COUNT, NULL);
    const struct stat_cell *acc = &res[RO_ACCEPTED]->cells[COL_TOTAL];
    d->conversion = acc->suppressed || acc->pct_withheld || !acc->base || acc->base->suppressed
                        ? -1 : refres_conversion(acc->n, acc->base->n);
    free(k.v);
    return ok ? SVC_OK : SVC_ERROR;
}

const struct stat_table *referral_results_table(const struct referral_results *r, const char *key)
{
    for (int i = 0; key && i < RT__COUNT; i++)
        if (r->t[i].key && !strcmp(r->t[i].key, key))
            return &r->t[i];
    return NULL;
}
