/* Alternative Provision Specialist Taskforces: code lists and rules of the
 * DfE implementation advice (March 2024).  See core/apst.h. */
#include "core/apst.h"
#include "lib/count.h"

#include <stdio.h>
#include <string.h>


static const struct code_entry specialist[] = {
    {"mental_health", "Mental health therapist", NULL},
    {"youth_family", "Youth and family worker", NULL},
    {"ed_psych", "Educational psychologist", NULL},
    {"salt", "Speech and language therapist", NULL},
    {"post16", "Post-16 transition coach", NULL},
    {"youth_justice", "Youth offending worker", NULL},
    {"other", "Other specialist", NULL},
};
static const struct code_entry funding[] = {
    {"secondment", "Secondment fully funded by the home service", NULL},
    {"joint", "Secondment funded jointly by the service and the school or LA", NULL},
    {"direct", "Direct funding and appointment", NULL},
};
static const struct code_entry supervision[] = {
    {"manager", "Line managed and supervised by the Taskforce Manager", NULL},
    {"home_clinical", "Clinical supervision by the home service", NULL},
    {"other", "Other arrangement", NULL},
};
static const struct code_entry agreement[] = {
    {"data_sharing", "Data sharing agreement", NULL},
    {"secondment", "Secondment or service level agreement", NULL},
};
static const struct code_entry route[] = {
    {"formal", "Formal referral (form)", NULL},
    {"conversation", "Informal: conversation or email from AP staff", NULL},
    {"self_family", "Informal: the pupil's or family's request", NULL},
    {"spotted", "Informal: identified by a specialist on site", NULL},
};
static const struct code_entry triage[] = {
    {"pending", "Awaiting triage", NULL},
    {"accepted", "Accepted for support", NULL},
    {"waiting_list", "On the waiting list", NULL},
    {"declined", "Not accepted", NULL},
    {"signposted", "Signposted elsewhere", NULL},
};
static const struct code_entry tier[] = {
    {"universal", "Universal (screening, group sessions, staff training)", NULL},
    {"targeted", "Targeted individual or group work", NULL},
    {"specialist", "Specialist assessment and intervention", NULL},
};
static const struct code_entry activity[] = {
    {"pupil", "One to one with the pupil", NULL},
    {"family", "With the family", NULL},
    {"professionals", "With other specialists and professionals", NULL},
    {"group", "Group work", NULL},
    {"staff_training", "Staff training and advice", NULL},
    {"out_of_hours", "Out of school hours", NULL},
    {"holiday", "Holiday provision", NULL},
};
static const struct code_entry engagement[] = {
    {"engaged", "Engaged with support", NULL},
    {"ended_early", "Stopped before the taskforce thought they were ready", NULL},
    {"refused", "Offered support but refused it", NULL},
};
static const struct code_entry item[] = {
    {"new_referral", "New referral", NULL},
    {"held_case", "Review of a held case", NULL},
    {"significant_event", "Significant event", NULL},
};
static const struct code_entry event[] = {
    {"safeguarding", "Safeguarding incident", NULL},
    {"exclusion", "Suspension or exclusion", NULL},
    {"missing", "Missing from home or education", NULL},
    {"police", "Police or youth justice contact", NULL},
    {"health", "Health crisis", NULL},
    {"other", "Other event", NULL},
};
static const struct code_entry decider[] = {
    {"lead_specialist", "The specialist(s) leading on the case", NULL},
    {"taskforce", "The taskforce together", NULL},
    {"manager", "The Taskforce Manager", NULL},
    {"manager_slt", "The Taskforce Manager with the school's SLT", NULL},
};

static const struct code_entry consent[] = {
    {"family", "The family (a parent or carer) agreed", NULL},
    {"young_person", "The young person agreed themselves (self-referral)", NULL},
    {"safeguarding", "Not needed: a safeguarding concern", NULL},
    {"withdrawn", "Consent withdrawn", NULL},
};
static const struct code_entry cost_line[] = {
    {"office", "Taskforce office and meeting space", NULL},
    {"equipment", "Equipment", NULL},
    {"manager", "Taskforce Manager", NULL},
    {"slt", "School SLT time", NULL},
    {"specialists", "Specialists", NULL},
    {"holiday", "Holiday provision", NULL},
};

const struct code_list codes_apst_consent = {"apst_consent", consent, COUNT(consent)};
const struct code_list codes_apst_cost_line = {"apst_cost_line", cost_line, COUNT(cost_line)};
const struct code_list codes_apst_specialist = {"apst_specialist", specialist, COUNT(specialist)};
const struct code_list codes_apst_funding = {"apst_funding", funding, COUNT(funding)};
const struct code_list codes_apst_supervision = {"apst_supervision", supervision, COUNT(supervision)};
const struct code_list codes_apst_agreement = {"apst_agreement", agreement, COUNT(agreement)};
const struct code_list codes_apst_route = {"apst_route", route, COUNT(route)};
const struct code_list codes_apst_triage = {"apst_triage", triage, COUNT(triage)};
const struct code_list codes_apst_tier = {"apst_tier", tier, COUNT(tier)};
const struct code_list codes_apst_activity = {"apst_activity", activity, COUNT(activity)};
const struct code_list codes_apst_engagement = {"apst_engagement", engagement, COUNT(engagement)};
const struct code_list codes_apst_item = {"apst_item", item, COUNT(item)};
const struct code_list codes_apst_event = {"apst_event", event, COUNT(event)};
const struct code_list codes_apst_decider = {"apst_decider", decider, COUNT(decider)};

int apst_fte_parse(const char *s, int max, int *hundredths)
{
    if (!s)
        return -1;
    while (*s == ' ')
        s++;
    long whole = 0;
    int frac = 0, fdigits = 0, wdigits = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        if (++wdigits > 3)
            return -1;
        whole = whole * 10 + (*s - '0');
    }
    if (*s == '.') {
        s++;
        for (; *s >= '0' && *s <= '9'; s++) {
            if (++fdigits > 2)
                return -1;
            frac = frac * 10 + (*s - '0');
        }
        if (fdigits == 0 && wdigits == 0)
            return -1;
        if (fdigits == 1)
            frac *= 10;
    }
    while (*s == ' ')
        s++;
    if (*s || (wdigits == 0 && fdigits == 0))
        return -1;
    long h = whole * 100 + frac;
    if (h < 1 || h > max)
        return -1;
    if (hundredths)
        *hundredths = (int)h;
    return 0;
}

void apst_fte_text(int64_t h, char *out, size_t outsz)
{
    if (h < 0)
        h = 0;
    int64_t whole = h / 100, frac = h % 100;
    if (frac == 0)
        snprintf(out, outsz, "%lld", (long long)whole);
    else if (frac % 10 == 0)
        snprintf(out, outsz, "%lld.%lld", (long long)whole, (long long)(frac / 10));
    else
        snprintf(out, outsz, "%lld.%02lld", (long long)whole, (long long)frac);
}

void apst_hours_text(int64_t minutes, char *out, size_t outsz)
{
    if (minutes < 0)
        minutes = 0;
    /* tenths of an hour, half up: (minutes * 10 + 30) / 60 */
    int64_t tenths = (minutes * 10 + 30) / 60;
    if (tenths % 10 == 0)
        snprintf(out, outsz, "%lld", (long long)(tenths / 10));
    else
        snprintf(out, outsz, "%lld.%lld", (long long)(tenths / 10), (long long)(tenths % 10));
}

bool apst_in_post(const struct apst_post *p, int32_t day)
{
    return p && p->starts <= day && (p->ends == 0 || p->ends >= day);
}

size_t apst_types_in_post(const struct apst_post *posts, size_t n, int32_t day, bool *seen)
{
    bool here[COUNT(specialist)] = {false};
    for (size_t i = 0; i < n; i++) {
        if (!posts[i].kind || !apst_in_post(&posts[i], day))
            continue;
        for (size_t k = 0; k < COUNT(specialist); k++)
            if (strcmp(posts[i].kind, specialist[k].code) == 0)
                here[k] = true;
    }
    size_t types = 0;
    for (size_t k = 0; k < COUNT(specialist); k++) {
        if (seen)
            seen[k] = here[k];
        if (here[k] && strcmp(specialist[k].code, "other") != 0)
            types++;
    }
    return types;
}

bool apst_below_minimum(size_t types)
{
    return types < APST_MIN_SPECIALIST_TYPES;
}

bool apst_review_overdue(int32_t review_on, int32_t day)
{
    return review_on < day;
}

bool apst_route_formal(const char *r)
{
    return r && strcmp(r, "formal") == 0;
}

bool apst_outreach(int64_t pupil_school_id, int64_t ap_school_id)
{
    return pupil_school_id > 0 && ap_school_id > 0 && pupil_school_id != ap_school_id;
}

int apst_triage_check(const char *t, const char *tr, int64_t lead, int threshold, struct field_errors *e)
{
    size_t before = e->count;
    const struct code_entry *d = t && *t ? code_find(&codes_apst_triage, t) : NULL;
    if (!d || strcmp(d->code, "pending") == 0)
        field_errors_add(e, "triage", "Select the triage decision");
    if (threshold < -1 || threshold > 1)
        field_errors_add(e, "threshold_met", "Select whether the referral meets the threshold");
    bool has_tier = tr && *tr && code_find(&codes_apst_tier, tr);
    if (tr && *tr && !has_tier)
        field_errors_add(e, "tier", "Select the tier of support");
    if (d && (!strcmp(d->code, "accepted") || !strcmp(d->code, "waiting_list")) && !has_tier && !(tr && *tr))
        field_errors_add(e, "tier", "Select the tier of support the pupil is accepted for");
    if (d && !strcmp(d->code, "accepted") && lead <= 0)
        field_errors_add(e, "lead_specialist_id", "Select the specialist who will lead");
    return (int)(e->count - before);
}

int apst_pct(int64_t n, int64_t base)
{
    if (base <= 0)
        return -1;
    return (int)((n * 200 + base) / (2 * base));
}

void apst_cost_plan(int64_t specialist_fte, int64_t holiday_pupils, struct apst_cost_plan *out)
{
    if (specialist_fte < 0)
        specialist_fte = 0;
    if (holiday_pupils < 0)
        holiday_pupils = 0;
    out->office = APST_COST_OFFICE;
    out->equipment = APST_COST_EQUIPMENT;
    out->setup_total = out->office + out->equipment;
    out->manager = APST_COST_MANAGER;
    out->slt = APST_COST_SLT;
    out->specialists = (APST_COST_SPECIALIST_FTE * specialist_fte + 50) / 100;
    out->holiday = APST_COST_HOLIDAY_PUPIL * holiday_pupils;
    out->year_total = out->manager + out->slt + out->specialists + out->holiday;
}

void apst_money_text(int64_t pence, char *out, size_t outsz)
{
    bool neg = pence < 0;
    uint64_t p = neg ? (uint64_t)0 - (uint64_t)pence : (uint64_t)pence;
    uint64_t pounds = (p + 50) / 100;
    char digits[32], grouped[48];
    int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)pounds);
    size_t g = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            grouped[g++] = ',';
        grouped[g++] = digits[i];
    }
    grouped[g] = '\0';
    snprintf(out, outsz, "%s\xc2\xa3%s", neg ? "-" : "", grouped);
}

static int kind_index(const char *kind)
{
    for (size_t i = 0; kind && i < codes_apst_specialist.count && i < 62; i++)
        if (strcmp(codes_apst_specialist.entries[i].code, kind) == 0)
            return (int)i;
    return -1;
}

bool apst_consent_covers(const char *basis, int64_t kinds, const char *kind)
{
    int k = kind_index(kind);
    if (!basis || k < 0)
        return false;
    if (strcmp(basis, "safeguarding") == 0)
        return true;
    if (strcmp(basis, "family") != 0 && strcmp(basis, "young_person") != 0)
        return false;
    return (kinds >> k) & 1;
}

int64_t apst_consent_bits(const char *const *kinds, size_t n)
{
    int64_t bits = 0;
    for (size_t i = 0; i < n; i++) {
        int k = kind_index(kinds[i]);
        if (k < 0)
            return -1;
        bits |= (int64_t)1 << k;
    }
    return bits;
}

int apst_consent_check(const char *basis, const char *by, bool have_date, int64_t kinds, const char *note,
                       struct field_errors *e)
{
    size_t before = e->count;
    if (!basis || !code_find(&codes_apst_consent, basis)) {
        field_errors_add(e, "consent_basis", "Select whether the family consented, or why consent is not needed");
        return (int)(e->count - before);
    }
    bool agreed = !strcmp(basis, "family") || !strcmp(basis, "young_person");
    if (agreed && (!by || !*by))
        field_errors_add(e, "consent_by", "Enter who gave consent");
    if (!have_date)
        field_errors_add(e, "consent_on", !strcmp(basis, "withdrawn") ? "Enter the date consent was withdrawn"
                                                                      : "Enter the date, like 27/3/2026");
    if (agreed && kinds <= 0)
        field_errors_add(e, "consent_kinds", "Select the specialists the consent covers");
    if (!strcmp(basis, "safeguarding") && (!note || !*note))
        field_errors_add(e, "consent_note", "Enter the safeguarding concern");
    return (int)(e->count - before);
}

static int64_t share(int64_t amount, int64_t num, int64_t den)
{
    if (den <= 0 || amount <= 0 || num <= 0)
        return 0;
    return (amount * num + den / 2) / den;
}

void apst_cost_compare(const struct apst_cost_inputs *in, struct apst_cost_compare *out)
{
    memset(out, 0, sizeof *out);
    int64_t days = in->to >= in->from ? (int64_t)in->to - in->from + 1 : 0;
    out->days = days;
    struct apst_cost_cmp_line *l = out->line;
    bool started_in = in->started >= in->from && in->started <= in->to;
    l[0].planned = started_in ? APST_COST_OFFICE : 0;
    l[1].planned = started_in ? APST_COST_EQUIPMENT : 0;
    l[2].planned = share(APST_COST_MANAGER, days, 365);
    l[3].planned = share(APST_COST_SLT, days, 365);
    l[4].planned = share(APST_COST_SPECIALIST_FTE, in->fte_last_day * days, 36500);
    l[5].planned = APST_COST_HOLIDAY_PUPIL * (in->holiday_pupils > 0 ? in->holiday_pupils : 0);
    l[5].planned_withheld = in->holiday_withheld;
    for (int i = 0; i < APST_COST_LINE_COUNT; i++) {
        if (in->have_entered[i]) {
            l[i].actual = in->entered[i];
            l[i].source = APST_COST_ENTERED;
        } else if (i == 4) {
            l[i].actual = share(APST_COST_SPECIALIST_FTE, in->fte_days, 36500);
            l[i].source = APST_COST_DERIVED;
        } else if (i == 5) {
            l[i].actual = l[5].planned;
            l[i].actual_withheld = in->holiday_withheld;
            l[i].source = APST_COST_DERIVED;
        }
        l[i].variance = l[i].actual - l[i].planned;
        out->total.planned += l[i].planned;
        if (l[i].source != APST_COST_NONE)
            out->total.actual += l[i].actual;
        out->total.planned_withheld |= l[i].planned_withheld;
        out->total.actual_withheld |= l[i].actual_withheld;
    }
    out->total.source = APST_COST_DERIVED;
    out->total.variance = out->total.actual - out->total.planned;
}

int apst_money_parse(const char *s, int64_t *pence)
{
    if (!s)
        return -1;
    while (*s == ' ')
        s++;
    if (strncmp(s, "\xc2\xa3", 2) == 0)
        s += 2;
    int64_t whole = 0, frac = 0;
    int digits = 0, fdigits = 0;
    bool point = false;
    for (; *s && *s != ' '; s++) {
        if (*s == ',' && !point && digits > 0)
            continue;
        if (*s == '.' && !point) {
            point = true;
            continue;
        }
        if (*s < '0' || *s > '9')
            return -1;
        if (point) {
            if (++fdigits > 2)
                return -1;
            frac = frac * 10 + (*s - '0');
        } else {
            if (++digits > 8)
                return -1;
            whole = whole * 10 + (*s - '0');
        }
    }
    while (*s == ' ')
        s++;
    if (*s || (digits == 0 && fdigits == 0))
        return -1;
    if (fdigits == 1)
        frac *= 10;
    int64_t v = whole * 100 + frac;
    if (v > 1000000000)
        return -1;
    *pence = v;
    return 0;
}
