#include "cli/demo_budget_load.h"
#include "lib/count.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/budget.h"
#include "core/calendar.h"
#include "service/svc_actions.h"
#include "service/svc_budget.h"
#include "service/svc_cases.h"
#include "service/svc_users.h"

static int failed(const char *what, enum svc_status st, const struct field_errors *e)
{
    char w[80];
    snprintf(w, sizeof w, "demo budget: %s", what);
    return cli_svc_failed(w, st, e);
}

/* A date of the financial year starting 1 April of fy, by its month (4 =
 * April ... 15 = March of the next calendar year) and day. */
static void fy_day(int fy, int month, int day, char y[12], char m[12], char d[12])
{
    snprintf(y, 12, "%d", month > 12 ? fy + 1 : fy);
    snprintf(m, 12, "%d", month > 12 ? month - 12 : month);
    snprintf(d, 12, "%d", day);
}

/* The catalogue: made-up providers, prices of the kind such services
 * charge, capacity and aims (core/budget.h's codes). */
static const struct demo_intervention {
    const char *name, *provider, *unit, *unit_cost, *capacity, *eligibility, *aims[2];
} catalogue[] = {
    {"Speech and language group sessions", "Brightwater Speech and Language CIC", "session", "85", "8",
     "Pupils in Reception to Year 6 with emerging speech, language and communication needs, not yet seen by the "
     "NHS service", {"attendance", NULL}},
    {"Family support worker", "Cranford Family Support Trust", "week", "240", "12",
     "Families of pupils whose attendance is below 90% where Early Help has not opened an assessment",
     {"attendance", "suspension"}},
    {"Mentoring for pupils at risk of exclusion", "Pathways Youth Mentoring", "term", "1150", "10",
     "Pupils in Years 5 to 11 at risk of suspension or permanent exclusion", {"suspension", "exclusion"}},
    {"Therapeutic play", "Willow Therapy Partnership", "session", "65", "6",
     "Primary pupils with social, emotional and mental health needs on a part-time timetable",
     {"attendance", "part_time"}},
};
#define NCATALOGUE (COUNT(catalogue))

#define DEMO_BUDGET_TEAMS 32
struct teams {
    int64_t id[DEMO_BUDGET_TEAMS];
    size_t n;
};

static void team_fn(void *arg, const struct budget_team *r)
{
    struct teams *t = arg;
    if (r->active && t->n < DEMO_BUDGET_TEAMS)
        t->id[t->n++] = r->id;
}

struct actions {
    int64_t id[16];
    int64_t pupil[16];
    size_t n;
};

struct case_pick {
    const char *day;
    int64_t action;
};

/* A case's first action agreed at a meeting on or before the day. */
static void action_fn(void *arg, const struct action_row *r)
{
    struct case_pick *k = arg;
    if (!k->action && !r->voided_at && r->meeting_date[0] && strcmp(r->meeting_date, k->day) <= 0)
        k->action = r->id;
}

struct case_ids {
    int64_t id[16];
    int64_t pupil[16];
    size_t n;
};

static void case_fn(void *arg, const struct case_brief *b)
{
    struct case_ids *k = arg;
    for (size_t i = 0; i < k->n; i++)
        if (k->pupil[i] == b->pupil_id)
            return;
    if (k->n < 16) {
        k->id[k->n] = b->id;
        k->pupil[k->n++] = b->pupil_id;
    }
}

/* Up to 16 pupils of the team's cases open on the day, one action each
 * (agreed at a meeting by then): whom a placement starting that day can
 * come from. */
static int team_actions(struct svc_ctx *sys, int64_t team, const char *day, struct actions *a)
{
    memset(a, 0, sizeof *a);
    struct case_filter f = {.team_id = team, .status = "", .from = day, .to = day};
    struct page_req pg = {1, 200};
    struct case_ids k = {0};
    int64_t total = 0;
    if (svc_case_list(sys, &f, &pg, &total, case_fn, &k) != SVC_OK)
        return -1;
    for (size_t i = 0; i < k.n; i++) {
        struct case_pick pick = {day, 0};
        if (svc_action_list(sys, k.id[i], NULL, action_fn, &pick) != SVC_OK)
            return -1;
        if (pick.action) {
            a->id[a->n] = pick.action;
            a->pupil[a->n++] = k.pupil[i];
        }
    }
    return 0;
}

/* Keeps the three teams with the most pupils of open actions, most
 * first (ties by id): the ones with pupils to place. */
static int busiest_teams(struct svc_ctx *sys, const char *day, struct teams *t)
{
    size_t pupils[DEMO_BUDGET_TEAMS] = {0};
    for (size_t i = 0; i < t->n; i++) {
        struct actions a;
        if (team_actions(sys, t->id[i], day, &a) != 0)
            return -1;
        pupils[i] = a.n;
    }
    for (size_t i = 1; i < t->n; i++)   /* insertion sort: a few dozen teams */
        for (size_t j = i; j > 0 && pupils[j] > pupils[j - 1]; j--) {
            size_t p = pupils[j];
            pupils[j] = pupils[j - 1];
            pupils[j - 1] = p;
            int64_t id = t->id[j];
            t->id[j] = t->id[j - 1];
            t->id[j - 1] = id;
        }
    if (t->n > 3)
        t->n = 3;
    return 0;
}

struct loader {
    struct svc_ctx approver, holder, system;
    struct principal approver_who, holder_who;
    int64_t interventions[NCATALOGUE];
    size_t contributions, commitments, payments, placements, pending;
};

static int year_with_pool(struct loader *L, int64_t authority_id, int fy, const char *const *amounts,
                          const int *teams_share, const struct teams *t, int64_t *year_id, int64_t *alloc)
{
    struct field_errors e = {0};
    char start[8];
    snprintf(start, sizeof start, "%d", fy);
    enum svc_status st = svc_budget_year_create(&L->approver, authority_id, start, &e, year_id);
    if (st != SVC_OK)
        return failed("budget year", st, &e);
    /* The partners pay in over the first quarter (amounts[i] NULL: not yet). */
    static const int when[][2] = {{4, 14}, {5, 2}, {5, 20}, {6, 3}};
    for (size_t i = 0; i < codes_budget_partner.count && i < 4; i++) {
        if (!amounts[i])
            continue;
        char y[12], m[12], d[12];
        fy_day(fy, when[i][0], when[i][1], y, m, d);
        struct contribution_form f = {codes_budget_partner.entries[i].code, "", amounts[i], d, m, y};
        struct budget_contribution_row row;
        memset(&e, 0, sizeof e);
        if ((st = svc_budget_contribution_add(&L->approver, *year_id, &f, &e, &row)) != SVC_OK)
            return failed("contribution", st, &e);
        L->contributions++;
    }
    for (size_t i = 0; i < t->n; i++) {
        char amount[16];
        snprintf(amount, sizeof amount, "%d", teams_share[i]);
        memset(&e, 0, sizeof e);
        if ((st = svc_budget_allocation_set(&L->approver, *year_id, t->id[i], amount, "", &e, &alloc[i])) != SVC_OK)
            return failed("allocation", st, &e);
    }
    return 0;
}

/* A commissioning decision by the holder: units of catalogue entry k on
 * (fy, month, day).  Sets *id and *needs. */
static int commission(struct loader *L, int64_t alloc, size_t k, const char *units, int fy, int month, int day,
                      int64_t *id, int *needs)
{
    struct field_errors e = {0};
    char y[12], m[12], d[12], iv[24];
    fy_day(fy, month, day, y, m, d);
    snprintf(iv, sizeof iv, "%lld", (long long)L->interventions[k]);
    struct commitment_form f = {.description = "", .amount = "", .day = d, .month = m, .year = y,
                                .intervention_id = iv, .units = units};
    enum svc_status st = svc_budget_commit(&L->holder, alloc, &f, &e, id, needs);
    if (st != SVC_OK)
        return failed("commissioning decision", st, &e);
    L->commitments++;
    return 0;
}

static int pay(struct loader *L, int64_t commitment, const char *amount, const char *ref, int fy, int month, int day)
{
    struct field_errors e = {0};
    char y[12], m[12], d[12];
    fy_day(fy, month, day, y, m, d);
    struct payment_form f = {amount, ref, d, m, y};
    int64_t id = 0;
    enum svc_status st = svc_budget_pay(&L->holder, commitment, &f, &e, &id);
    if (st != SVC_OK)
        return failed("payment", st, &e);
    L->payments++;
    return 0;
}

/* Up to max pupils of the team's open actions on a decision, each for
 * units, from (fy, month, day) to 12 weeks later. */
static int place(struct loader *L, int64_t team, int64_t commitment, size_t skip, size_t max, const char *units,
                 int fy, int month, int day)
{
    char sy[12], sm[12], sd[12], ey[12], em[12], ed[12], iso[11];
    fy_day(fy, month, day, sy, sm, sd);
    day_format(day_from_ymd(month > 12 ? fy + 1 : fy, month > 12 ? month - 12 : month, day), iso);
    struct actions a;
    enum svc_status st = SVC_OK;
    if (team_actions(&L->system, team, iso, &a) != 0) {
        struct field_errors none = {0};
        return failed("actions to place from", SVC_ERROR, &none);
    }
    fy_day(fy, month + 3, day, ey, em, ed);
    for (size_t i = skip; i < a.n && i < skip + max; i++) {
        char aid[24];
        snprintf(aid, sizeof aid, "%lld", (long long)a.id[i]);
        struct placement_form f = {aid, units, sd, sm, sy, ed, em, ey};
        struct field_errors e = {0};
        struct placement_row out;
        if ((st = svc_placement_create(&L->system, commitment, &f, &e, &out)) != SVC_OK)
            return failed("placement", st, &e);
        L->placements++;
    }
    return 0;
}

int demo_budget_load(struct svc_ctx *c, int64_t authority_id, int64_t holder_id, int64_t approver_id, char *summary,
                     size_t summarysz)
{
    struct loader *L = calloc(1, sizeof *L);
    if (!L)
        return -1;
    int rc = -1;
    struct field_errors e = {0};
    enum svc_status st;
    if (svc_principal_load(c->db, approver_id, &L->approver_who) != SVC_OK ||
        svc_principal_load(c->db, holder_id, &L->holder_who) != SVC_OK) {
        fprintf(stderr, "tas: demo budget: cannot load the budget accounts' roles\n");
        goto out;
    }
    svc_ctx_init(&L->approver, c->db, &L->approver_who, c->now);
    svc_ctx_init(&L->holder, c->db, &L->holder_who, c->now);
    L->system = *c;
    int fy = budget_year_of(c->today);   /* this financial year; last year is fy - 1 */
    if (fy < 2001)
        goto out;
    char first_placement[11];   /* the speech and language group's start: 12 January */
    day_format(day_from_ymd(fy, 1, 12), first_placement);
    struct teams t = {0};
    if ((st = svc_budget_team_list(&L->approver, authority_id, team_fn, &t)) != SVC_OK || t.n == 0 ||
        busiest_teams(&L->system, first_placement, &t) != 0) {
        failed("teams", st == SVC_OK ? SVC_NOT_FOUND : st, &e);
        goto out;
    }
    for (size_t k = 0; k < NCATALOGUE; k++) {
        const struct demo_intervention *d = &catalogue[k];
        struct intervention_form f = {d->name, d->provider, d->unit, d->unit_cost, d->capacity, d->eligibility,
                                      {d->aims[0], d->aims[1]}, d->aims[1] ? 2 : 1};
        struct intervention_row row;
        memset(&e, 0, sizeof e);
        if ((st = svc_intervention_create(&L->approver, authority_id, &f, &e, &row)) != SVC_OK) {
            failed("intervention", st, &e);
            goto out;
        }
        L->interventions[k] = row.id;
    }

    /* Last year: the whole pool paid in, three teams' allocations spent. */
    static const char *const last_in[] = {"60000", "40000", "10000", "30000"};
    static const int last_share[] = {30000, 25000, 20000};
    int64_t last_year = 0, last_alloc[3] = {0};
    if (year_with_pool(L, authority_id, fy - 1, last_in, last_share, &t, &last_year, last_alloc) != 0)
        goto out;
    int64_t slt = 0, mentoring = 0, family = 0;
    int needs = 0;
    /* Under the holder's limit: committed at once. */
    if (commission(L, last_alloc[0], 0, "24", fy - 1, 12, 8, &slt, &needs) != 0)
        goto out;
    /* Over it: waits for the approver, who approves.  Another team's, so
     * its pupils are not the speech and language group's. */
    size_t mt = t.n > 2 ? 2 : 0;
    if (commission(L, last_alloc[mt], 2, "3", fy - 1, 12, 15, &mentoring, &needs) != 0)
        goto out;
    memset(&e, 0, sizeof e);
    if (needs && (st = svc_budget_decide(&L->approver, mentoring, "approve", "", &e)) != SVC_OK) {
        failed("approval", st, &e);
        goto out;
    }
    if (t.n > 1 && commission(L, last_alloc[1], 1, "8", fy - 1, 13, 5, &family, &needs) != 0)
        goto out;
    if (pay(L, slt, "1020", "INV-BSL-0117", fy - 1, 14, 20) != 0 ||
        pay(L, slt, "1020", "INV-BSL-0142", fy - 1, 15, 20) != 0 ||
        pay(L, mentoring, "1150", "PYM-2291", fy - 1, 14, 16) != 0 ||
        (family && pay(L, family, "1920", "CFST-7734", fy - 1, 15, 27) != 0))
        goto out;
    if (place(L, t.id[0], slt, 0, 6, "4", fy - 1, 13, 12) != 0 ||
        place(L, t.id[mt], mentoring, mt ? 0 : 6, 3, "1", fy - 1, 14, 2) != 0 ||
        (family && place(L, t.id[1], family, 0, 4, "2", fy - 1, 13, 19) != 0))
        goto out;

    /* This year: the police's share not yet in; one decision over the
     * holder's limit waits in the approver's queue. */
    static const char *const this_in[] = {"62000", "40000", NULL, "32000"};
    static const int this_share[] = {28000, 28000, 20000};
    int64_t this_year = 0, this_alloc[3] = {0}, queued = 0;
    if (year_with_pool(L, authority_id, fy, this_in, this_share, &t, &this_year, this_alloc) != 0)
        goto out;
    /* Early in the year, so it is in the past whatever day the demo is made. */
    if (commission(L, this_alloc[0], 3, "40", fy, 4, 20, &queued, &needs) != 0)
        goto out;
    L->pending += needs != 0;
    snprintf(summary, summarysz,
             "tas: demo budget: 2 years, %zu contributions, %zu interventions, %zu commissioning decisions "
             "(%zu awaiting approval), %zu payments, %zu placements",
             L->contributions, NCATALOGUE, L->commitments, L->pending, L->payments, L->placements);
    rc = 0;
out:
    free(L);
    return rc;
}
