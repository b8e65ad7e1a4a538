#include "core/budget.h"
#include "lib/count.h"

#include "core/outcomes.h"

#include <stdio.h>
#include <string.h>

static const struct code_entry partner_codes[] = {
    {"la", "Local authority", NULL},
    {"health", "Health (integrated care board)", NULL},
    {"police", "Police", NULL},
    {"schools", "Schools", NULL},
};
const struct code_list codes_budget_partner = {"partner", partner_codes, COUNT(partner_codes)};

/* Digits of |pence| / 100 with a comma every three, then ".pp". */
static int format(int64_t pence, bool symbol, bool commas, char *out, size_t outsz)
{
    if (!out || outsz == 0)
        return -1;
    out[0] = 0;
    /* Work in unsigned so INT64_MIN has a magnitude too. */
    uint64_t mag = pence < 0 ? (uint64_t)0 - (uint64_t)pence : (uint64_t)pence;
    uint64_t pounds = mag / 100, p = mag % 100;
    char digits[32];
    int nd = snprintf(digits, sizeof digits, "%llu", (unsigned long long)pounds);
    char buf[48];
    size_t n = 0;
    if (pence < 0)
        buf[n++] = '-';
    if (symbol) {
        memcpy(buf + n, "\xc2\xa3", 2);   /* U+00A3 POUND SIGN in UTF-8 */
        n += 2;
    }
    for (int i = 0; i < nd; i++) {
        if (commas && i > 0 && (nd - i) % 3 == 0)
            buf[n++] = ',';
        buf[n++] = digits[i];
    }
    n += (size_t)snprintf(buf + n, sizeof buf - n, ".%02llu", (unsigned long long)p);
    if (n + 1 > outsz)
        return -1;
    memcpy(out, buf, n + 1);
    return (int)n;
}

int budget_format_pence(int64_t pence, char *out, size_t outsz)
{
    return format(pence, true, true, out, outsz);
}

int budget_plain_pence(int64_t pence, char *out, size_t outsz)
{
    return format(pence, false, false, out, outsz);
}

int budget_parse_pounds(const char *s, int64_t *pence)
{
    if (!s || !pence)
        return -1;
    while (*s == ' ')
        s++;
    if (strncmp(s, "\xc2\xa3", 2) == 0)
        s += 2;
    int64_t pounds = 0, frac = 0;
    int ndig = 0, group = 0, nfrac = 0;
    bool comma = false;
    const char *q = s;
    for (; *q && *q != '.' && *q != ' '; q++) {
        if (*q == ',') {
            /* a comma after 1-3 digits, then after exactly 3 */
            if (ndig == 0 || (comma ? group != 3 : group > 3))
                return -1;
            comma = true;
            group = 0;
            continue;
        }
        if (*q < '0' || *q > '9')
            return -1;
        if (pounds > BUDGET_MAX_PENCE / 100)
            return -1;
        pounds = pounds * 10 + (*q - '0');
        ndig++;
        group++;
    }
    if (ndig == 0 || (comma && group != 3))
        return -1;
    if (*q == '.') {
        for (q++; *q >= '0' && *q <= '9'; q++) {
            if (++nfrac > 2)
                return -1;
            frac = frac * 10 + (*q - '0');
        }
        if (nfrac == 0)
            return -1;
        if (nfrac == 1)
            frac *= 10;
    }
    while (*q == ' ')
        q++;
    if (*q)
        return -1;
    if (pounds > BUDGET_MAX_PENCE / 100)
        return -1;
    int64_t v = pounds * 100 + frac;
    if (v > BUDGET_MAX_PENCE)
        return -1;
    *pence = v;
    return 0;
}

static bool amount_ok(int64_t v)
{
    return v >= 0 && v <= BUDGET_MAX_PENCE * 1000000;
}

int64_t budget_remaining(const struct budget_position *p)
{
    return p->allocated - p->committed - p->paid;
}

int budget_commit_needs(const struct budget_position *p, int64_t amount, int64_t limit)
{
    if (!p || amount <= 0 || amount > BUDGET_MAX_PENCE || limit < 0 || !amount_ok(p->allocated) ||
        !amount_ok(p->committed) || !amount_ok(p->paid))
        return -1;
    int need = BUDGET_NEED_NONE;
    if (amount > budget_remaining(p))
        need |= BUDGET_NEED_OVER_ALLOCATION;
    if (amount > limit)
        need |= BUDGET_NEED_OVER_LIMIT;
    return need;
}

enum budget_approval budget_approve_check(int64_t amount, int64_t approver_limit, int64_t requester_id,
                                          int64_t approver_id)
{
    if (amount <= 0 || amount > BUDGET_MAX_PENCE || approver_limit < 0 || approver_id <= 0)
        return BUDGET_APPROVE_INVALID;
    if (requester_id == approver_id)
        return BUDGET_APPROVE_OWN;
    if (approver_limit == 0)
        return BUDGET_APPROVE_NO_LIMIT;
    if (amount > approver_limit)
        return BUDGET_APPROVE_OVER_LIMIT;
    return BUDGET_APPROVE_OK;
}

const char *budget_approval_text(enum budget_approval a)
{
    switch (a) {
    case BUDGET_APPROVE_OK: return "Approved";
    case BUDGET_APPROVE_OWN: return "You asked for this commitment: someone else must approve it";
    case BUDGET_APPROVE_OVER_LIMIT: return "The amount is above your approval limit";
    case BUDGET_APPROVE_NO_LIMIT: return "You have no approval limit";
    case BUDGET_APPROVE_INVALID: break;
    }
    return "This commitment cannot be approved";
}

int budget_pay_check(int64_t committed, int64_t already_paid, int64_t payment)
{
    if (committed <= 0 || committed > BUDGET_MAX_PENCE || already_paid < 0 || already_paid > committed)
        return -1;
    return payment > 0 && payment <= committed - already_paid ? 0 : -1;
}

int budget_allocate_check(int64_t pool, int64_t others, int64_t amount)
{
    if (!amount_ok(pool) || !amount_ok(others) || amount < 0 || amount > BUDGET_MAX_PENCE)
        return -1;
    return others + amount <= pool ? 0 : -1;
}

int budget_year_bounds(int start_year, char label[8], char first[11], char last[11])
{
    if (start_year < 2000 || start_year > 2099)
        return -1;
    snprintf(label, 8, "%04d-%02d", start_year, (start_year + 1) % 100);
    snprintf(first, 11, "%04d-04-01", start_year);
    snprintf(last, 11, "%04d-03-31", start_year + 1);
    return 0;
}

int budget_year_of(const char *iso)
{
    int y, m, d;
    char tail;
    if (!iso || sscanf(iso, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    int start = m >= 4 ? y : y - 1;
    return start >= 2000 && start <= 2099 ? start : -1;
}

/* ---- commissioning ---- */

static const struct code_entry unit_codes[] = {
    {"session", "Session", NULL},   {"week", "Week", NULL},         {"term", "Term", NULL},
    {"place_year", "Place for a year", NULL}, {"assessment", "Assessment", NULL},
};
const struct code_list codes_budget_unit = {"unit", unit_codes, COUNT(unit_codes)};

/* The outcome records (migration 0010) an intervention can move: the same
 * kinds the case page compares before and after. */
static const struct code_entry aim_codes[] = {
    {"attendance", "Attendance", NULL},
    {"suspension", "Suspensions", NULL},
    {"exclusion", "Permanent exclusion", NULL},
    {"part_time", "Part-time timetable", NULL},
    {"ap_placement", "Alternative provision", NULL},
    {"social_care", "Children's social care", NULL},
};
const struct code_list codes_budget_aim = {"aim", aim_codes, COUNT(aim_codes)};

int budget_commission_amount(int64_t unit_cost, int64_t units, int64_t *amount)
{
    if (unit_cost <= 0 || units <= 0 || unit_cost > BUDGET_MAX_PENCE || units > BUDGET_MAX_PENCE / unit_cost)
        return -1;
    *amount = unit_cost * units;
    return 0;
}

enum budget_place budget_placement_check(int64_t units, int64_t used_by_others, int64_t commissioned,
                                         int64_t current, int64_t capacity, const char *starts, const char *ends)
{
    if (units < 0 || used_by_others < 0 || commissioned <= 0 || current < 0 || capacity <= 0 || !starts ||
        budget_year_of(starts) < 0 || (ends && *ends && budget_year_of(ends) < 0))
        return BUDGET_PLACE_INVALID;
    if (ends && *ends && strcmp(ends, starts) < 0)
        return BUDGET_PLACE_DATES;
    if (units > commissioned - used_by_others)
        return BUDGET_PLACE_UNITS;
    if (current >= capacity)
        return BUDGET_PLACE_FULL;
    return BUDGET_PLACE_OK;
}

/* Whether period o runs on day d (o's own days included). */
static bool runs_on(const struct budget_period *o, const char *d)
{
    if (budget_year_of(o->starts) < 0)
        return true;
    return strcmp(o->starts, d) <= 0 && (!o->ends[0] || strcmp(o->ends, d) >= 0);
}

int64_t budget_capacity_peak(const struct budget_period *others, size_t n, const char *starts, const char *ends)
{
    if (!starts || budget_year_of(starts) < 0)
        return -1;
    bool open = !ends || !*ends;
    /* The count only rises on a day some period starts, so the peak is on
     * this period's first day or on a first day of another inside it. */
    int64_t peak = 0;
    for (size_t i = 0; i <= n; i++) {
        const char *d = i == n ? starts : others[i].starts;
        if (i < n && (budget_year_of(d) < 0 || strcmp(d, starts) < 0 || (!open && strcmp(d, ends) > 0)))
            continue;
        int64_t k = 0;
        for (size_t j = 0; j < n; j++)
            k += runs_on(&others[j], d);
        if (k > peak)
            peak = k;
    }
    return peak;
}

/* ---- what it achieved ---- */

static bool aims_at(const char *const *aims, size_t naims, const char *code)
{
    for (size_t i = 0; aims && i < naims; i++)
        if (aims[i] && strcmp(aims[i], code) == 0)
            return true;
    return false;
}

void budget_outcomes_add(struct budget_outcomes *t, const struct outcome_compare *c, const char *const *aims,
                         size_t naims)
{
    t->placed++;
    if (!c->w.complete)
        return;   /* no terms either side: nothing is known to have changed */
    bool att_known = c->attendance != CHANGE_UNKNOWN;
    bool att_rose = c->attendance == CHANGE_ROSE;
    bool susp_fell = c->suspensions == CHANGE_FELL;
    t->attendance_known += att_known;
    t->attendance_rose += att_rose;
    t->suspensions_fell += susp_fell;
    t->stayed_mainstream += c->stayed_in_mainstream;
    t->improved += aims_at(aims, naims, "attendance") && att_rose;
    t->improved += aims_at(aims, naims, "suspension") && susp_fell;
    t->improved += aims_at(aims, naims, "exclusion") && !c->before.excluded && !c->after.excluded &&
                   c->after.mainstream_at_end;
    t->improved += aims_at(aims, naims, "part_time") && c->before.part_time && !c->after.part_time;
    t->improved += aims_at(aims, naims, "ap_placement") && c->before.in_ap && c->after.mainstream_at_end;
}

int budget_cost_per(int64_t spend, int64_t n, int64_t *out)
{
    if (n <= 0 || spend < 0 || !out)
        return -1;
    *out = spend / n + (spend % n * 2 >= n ? 1 : 0);
    return 0;
}

/* The defaults.  Each figure is the published one, not adjusted for
 * inflation; an authority replaces it with its own (budget_unit_costs).
 *  - An alternative provision place for a year: Schools Week's
 *    investigation of 26 councils (2019) found £23.8 million spent on
 *    1,925 pupils in private alternative provision in 2018/19, the figure
 *    the TAS proposal quotes: £23,800,000 / 1,925 = £12,363.64 a pupil.
 *  - A permanent exclusion: IPPR, "Making the Difference: breaking the
 *    link between school exclusion and social exclusion" (Gill,
 *    Quilter-Pinner and Swift, 2017): about £370,000 per young person in
 *    education, health, benefits and criminal justice costs over a
 *    lifetime, also quoted by the proposal.
 *  - A community paediatrics referral: no figure is built in; the NHS
 *    England National Cost Collection publishes outpatient unit costs by
 *    treatment function (290, community paediatrics), and the integrated
 *    care board's own price is better still.  No figure from either could
 *    be read and checked against its publication when this was written
 *    (issue 20), so none is built in: until an authority sets one the
 *    view says "enter your local figure" rather than guess. */
const struct budget_cost_default budget_cost_defaults[BUDGET_COST__COUNT] = {
    [BUDGET_COST_AP_PLACE] = {"ap_place_year", "An alternative provision place for a year", 1236364,
                              "Schools Week investigation of 26 councils: \xc2\xa3" "23.8 million for 1,925 pupils in "
                              "private alternative provision in 2018/19 (\xc2\xa3" "12,363.64 a pupil)",
                              "https://schoolsweek.co.uk/investigation-number-of-pupils-in-private-alternative-"
                              "provision-soars/"},
    [BUDGET_COST_EXCLUSION] = {"permanent_exclusion", "A permanent exclusion", 37000000,
                               "IPPR, Making the Difference (2017): about \xc2\xa3" "370,000 per excluded young person "
                               "in education, health, benefits and criminal justice costs over a lifetime",
                               "https://www.ippr.org/publications/making-the-difference"},
    [BUDGET_COST_PAEDIATRICS] = {"paediatrics_referral", "A community paediatrics referral", 0,
                                 "Enter your local figure: no published figure is built in (none could be "
                                 "checked against its source). Use the integrated care board's price, or the NHS "
                                 "England National Cost Collection's outpatient unit cost for community "
                                 "paediatrics (treatment function 290), first attendance",
                                 "https://www.england.nhs.uk/costing-in-the-nhs/national-cost-collection/"},
};

const struct budget_cost_default *budget_cost_find(const char *key)
{
    for (size_t i = 0; key && i < BUDGET_COST__COUNT; i++)
        if (strcmp(key, budget_cost_defaults[i].key) == 0)
            return &budget_cost_defaults[i];
    return NULL;
}
