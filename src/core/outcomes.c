/* Outcome records and the before/after comparison.  Sources for the rules:
 * DfE, "Pupil absence in schools in England" (methodology: sessions,
 * persistent absence at 10% or more of possible sessions missed); DfE,
 * "Suspensions and permanent exclusions in England" (methodology: length
 * counted in sessions, reason codes); DfE, "School attendance guidance"
 * (two sessions a day). */
#include "core/outcomes.h"

#include <stdio.h>
#include <string.h>

#include "core/codes.h"

struct kind_info {
    const char *code;
    const char *label;
    const struct code_list *codes;
    bool has_end;
};

static const struct kind_info *kind_info(enum outcome_kind k)
{
    static const struct kind_info info[OUT__COUNT] = {
        [OUT_ATTENDANCE] = {"attendance", "Attendance (one term)", NULL, true},
        [OUT_SUSPENSION] = {"suspension", "Suspension", &codes_exclusion_reason, false},
        [OUT_EXCLUSION] = {"exclusion", "Permanent exclusion", &codes_exclusion_reason, false},
        [OUT_PART_TIME] = {"part_time", "Part-time timetable", NULL, true},
        [OUT_EHC_ASSESSMENT] = {"ehc_assessment", "EHC needs assessment", &codes_ehc_assessment, false},
        [OUT_EHC_PLAN] = {"ehc_plan", "EHC plan", NULL, true},
        [OUT_SOCIAL_CARE] = {"social_care", "Children's social care", &codes_social_care, true},
        [OUT_AP_PLACEMENT] = {"ap_placement", "Alternative provision placement", NULL, true},
        [OUT_POST16] = {"post16", "Post-16 destination", &codes_post16, false},
        [OUT_FSM] = {"fsm", "Free school meals eligibility", NULL, true},
        [OUT_PUPIL_PREMIUM] = {"pupil_premium", "Pupil premium eligibility", NULL, true},
        [OUT_EAL] = {"eal", "English as an additional language", NULL, false},
        /* The school census's own exclusion category (LNCH): kept apart
         * from suspensions, so they do not change the suspension figures. */
        [OUT_LUNCHTIME] = {"lunchtime", "Lunchtime exclusion", &codes_exclusion_reason, false},
    };
    return (unsigned)k < OUT__COUNT ? &info[k] : NULL;
}

const char *outcome_kind_code(enum outcome_kind k)
{
    const struct kind_info *i = kind_info(k);
    return i ? i->code : "";
}

const char *outcome_kind_label(enum outcome_kind k)
{
    const struct kind_info *i = kind_info(k);
    return i ? i->label : "";
}

int outcome_kind_from_code(const char *s, enum outcome_kind *out)
{
    for (int k = 0; s && k < OUT__COUNT; k++)
        if (strcmp(s, kind_info((enum outcome_kind)k)->code) == 0) {
            *out = (enum outcome_kind)k;
            return 0;
        }
    return -1;
}

const struct code_list *outcome_kind_codes(enum outcome_kind k)
{
    const struct kind_info *i = kind_info(k);
    return i ? i->codes : NULL;
}

bool outcome_kind_is_exclusion(enum outcome_kind k)
{
    return k == OUT_SUSPENSION || k == OUT_EXCLUSION || k == OUT_LUNCHTIME;
}

bool outcome_kind_has_sessions(enum outcome_kind k)
{
    return k == OUT_SUSPENSION || k == OUT_LUNCHTIME;
}

bool outcome_kind_has_end(enum outcome_kind k)
{
    const struct kind_info *i = kind_info(k);
    return i && i->has_end;
}

/* A term holds at most 16 weeks of school days: 160 sessions; a year 380.
 * Anything over a year's worth in one record is a typing or export error. */
#define MAX_TERM_SESSIONS 400
/* A suspension may not exceed 45 school days in a school year (DfE,
 * "Suspension and permanent exclusion" guidance): 90 sessions. */
#define MAX_SUSPENSION_SESSIONS 90

static void check_dates(const struct outcome_record *r, int32_t today, struct field_errors *errs)
{
    if (r->starts <= 0)
        field_errors_add(errs, "starts", "Enter the start date");
    else if (r->starts > today)
        field_errors_add(errs, "starts", "The start date must be today or in the past");
    if (r->ends == 0)
        return;
    if (!outcome_kind_has_end(r->kind))
        field_errors_add(errs, "ends", "This kind of record has no end date");
    else if (r->starts > 0 && r->ends < r->starts)
        field_errors_add(errs, "ends", "The end date must be on or after the start date");
}

static void check_code(const struct outcome_record *r, struct field_errors *errs)
{
    const struct code_list *l = outcome_kind_codes(r->kind);
    if (!l) {
        if (r->code[0])
            field_errors_add(errs, "code", "This kind of record has no code");
        return;
    }
    if (!r->code[0])
        field_errors_add(errs, "code", outcome_kind_is_exclusion(r->kind)
                                           ? "Enter the DfE reason code"
                                           : "Enter the code");
    else if (!code_find(l, r->code))
        field_errors_add(errs, "code", outcome_kind_is_exclusion(r->kind)
                                           ? "The reason must be a DfE reason code, like DB"
                                           : "The code is not one of the allowed codes");
}

static void check_sessions(const struct outcome_record *r, struct field_errors *errs)
{
    if (r->kind == OUT_ATTENDANCE) {
        if (r->ends == 0)
            field_errors_add(errs, "ends", "Enter the last day of the term");
        if (r->sessions_possible <= 0 || r->sessions_possible > MAX_TERM_SESSIONS)
            field_errors_add(errs, "sessions_possible", "Sessions possible must be a whole number from 1 to 400");
        else if (r->sessions_missed < 0 || r->sessions_missed > r->sessions_possible)
            field_errors_add(errs, "sessions_missed",
                             "Sessions missed must be a whole number from 0 to the sessions possible");
    } else if (r->sessions_possible || r->sessions_missed) {
        field_errors_add(errs, "sessions_possible", "Only attendance records have sessions possible or missed");
    }
    if (r->kind == OUT_SUSPENSION) {
        if (r->sessions < 1 || r->sessions > MAX_SUSPENSION_SESSIONS)
            field_errors_add(errs, "sessions", "The length must be from 1 to 90 sessions (2 a day)");
    } else if (r->kind == OUT_LUNCHTIME) {
        if (r->sessions < 1 || r->sessions > MAX_SUSPENSION_SESSIONS)
            field_errors_add(errs, "sessions", "The length must be from 1 to 90 sessions (1 a lunchtime)");
    } else if (r->sessions) {
        field_errors_add(errs, "sessions", "Only suspensions and lunchtime exclusions have a length in sessions");
    }
}

int outcome_validate(const struct outcome_record *r, int32_t today, struct field_errors *errs)
{
    size_t before = errs->count;
    if (!kind_info(r->kind)) {
        field_errors_add(errs, "kind", "Choose the kind of record");
        return -1;
    }
    check_dates(r, today, errs);
    check_code(r, errs);
    check_sessions(r, errs);
    return errs->count == before ? 0 : -1;
}

double attendance_pct(int64_t possible, int64_t missed)
{
    if (possible <= 0)
        return 0.0;
    return 100.0 * (double)(possible - missed) / (double)possible;
}

bool persistent_absence(int64_t possible, int64_t missed)
{
    /* Integer test, so exactly 10% missed counts without rounding doubt. */
    return possible > 0 && missed * 10 >= possible;
}

size_t terms_from_half_terms(const struct half_term *ht, size_t n, struct term_span *out, size_t max)
{
    size_t k = 0;
    for (size_t i = 0; i + 1 < n && k < max; i++) {
        int a = ht[i].number, b = ht[i + 1].number;
        if (a % 2 == 1 && b == a + 1 && ht[i + 1].starts > ht[i].ends) {
            out[k].starts = ht[i].starts;
            out[k].ends = ht[i + 1].ends;
            k++;
            i++;
        }
    }
    return k;
}

struct outcome_windows outcome_windows_for(int32_t presented, int nterms, const struct term_span *terms,
                                           size_t nt)
{
    struct outcome_windows w = {0};
    if (nterms < 1 || nt == 0)
        return w;
    /* k: the first term that does not end before the day. */
    size_t k = 0;
    while (k < nt && terms[k].ends < presented)
        k++;
    if (k == nt)
        return w;
    size_t first_after = terms[k].starts <= presented ? k + 1 : k;
    if (k < (size_t)nterms || first_after + (size_t)nterms > nt)
        return w;
    w.complete = true;
    w.before_starts = terms[k - (size_t)nterms].starts;
    w.before_ends = terms[k - 1].ends;
    w.after_starts = terms[first_after].starts;
    w.after_ends = terms[first_after + (size_t)nterms - 1].ends;
    return w;
}

static bool overlaps(const struct outcome_record *r, int32_t from, int32_t to)
{
    return r->starts <= to && (r->ends == 0 || r->ends >= from);
}

void outcome_indicators_for(const struct outcome_record *recs, size_t n, int32_t from, int32_t to,
                            struct outcome_indicators *out)
{
    memset(out, 0, sizeof *out);
    bool excluded_by_end = false, ap_at_end = false;
    for (size_t i = 0; i < n; i++) {
        const struct outcome_record *r = &recs[i];
        bool starts_in = r->starts >= from && r->starts <= to;
        switch (r->kind) {
        case OUT_ATTENDANCE:
            if (starts_in) {
                out->sessions_possible += r->sessions_possible;
                out->sessions_missed += r->sessions_missed;
                out->attendance_terms++;
            }
            break;
        case OUT_SUSPENSION:
            if (starts_in) {
                out->suspensions++;
                out->suspension_sessions += r->sessions;
            }
            break;
        case OUT_EXCLUSION:
            out->excluded |= starts_in;
            excluded_by_end |= r->starts <= to;
            break;
        case OUT_PART_TIME:
            out->part_time |= overlaps(r, from, to);
            break;
        case OUT_AP_PLACEMENT:
            out->in_ap |= overlaps(r, from, to);
            ap_at_end |= overlaps(r, to, to);
            break;
        default:
            break;
        }
    }
    out->mainstream_at_end = !excluded_by_end && !ap_at_end;
}

const char *outcome_change_code(enum outcome_change c)
{
    switch (c) {
    case CHANGE_ROSE: return "rose";
    case CHANGE_FELL: return "fell";
    case CHANGE_SAME: return "same";
    default: return "unknown";
    }
}

static enum outcome_change compare_pct(const struct outcome_indicators *b, const struct outcome_indicators *a)
{
    if (b->sessions_possible <= 0 || a->sessions_possible <= 0)
        return CHANGE_UNKNOWN;
    /* Compare attended/possible exactly by cross-multiplying. */
    int64_t lhs = (a->sessions_possible - a->sessions_missed) * b->sessions_possible;
    int64_t rhs = (b->sessions_possible - b->sessions_missed) * a->sessions_possible;
    return lhs > rhs ? CHANGE_ROSE : lhs < rhs ? CHANGE_FELL : CHANGE_SAME;
}

void outcome_compare_for(const struct outcome_record *recs, size_t n, int32_t presented, int nterms,
                         const struct term_span *terms, size_t nt, struct outcome_compare *out)
{
    memset(out, 0, sizeof *out);
    out->w = outcome_windows_for(presented, nterms, terms, nt);
    if (!out->w.complete)
        return;
    outcome_indicators_for(recs, n, out->w.before_starts, out->w.before_ends, &out->before);
    outcome_indicators_for(recs, n, out->w.after_starts, out->w.after_ends, &out->after);
    out->attendance = compare_pct(&out->before, &out->after);
    int sb = out->before.suspensions, sa = out->after.suspensions;
    out->suspensions = sa > sb ? CHANGE_ROSE : sa < sb ? CHANGE_FELL : CHANGE_SAME;
    out->stayed_in_mainstream = out->before.mainstream_at_end && out->after.mainstream_at_end;
}
