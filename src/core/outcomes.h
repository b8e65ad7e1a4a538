/* Outcomes over time: the dated records kept about a pupil (attendance per
 * term, suspensions, lunchtime exclusions, exclusion, part-time timetable, EHC steps, social care,
 * alternative provision, post-16 destination, FSM, pupil premium, EAL), their
 * validation, and the before/after comparison around the day a case was
 * presented at TAS.  Pure: dates are day numbers (core/calendar.h). */
#ifndef TAS_CORE_OUTCOMES_H
#define TAS_CORE_OUTCOMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/calendar.h"
#include "core/errors.h"

enum outcome_kind {
    OUT_ATTENDANCE = 0,   /* one term: starts, ends, sessions possible and missed */
    OUT_SUSPENSION,       /* starts, length in sessions, reason code */
    OUT_EXCLUSION,        /* permanent: the date (starts), reason code */
    OUT_PART_TIME,        /* part-time timetable: starts, ends (0 = still on it) */
    OUT_EHC_ASSESSMENT,   /* the date (starts), code requested | refused | issued */
    OUT_EHC_PLAN,         /* starts, ends (0 = in force) */
    OUT_SOCIAL_CARE,      /* starts, ends (0 = open), code CIN | CP | LAC */
    OUT_AP_PLACEMENT,     /* starts, ends = return to mainstream (0 = still in AP) */
    OUT_POST16,           /* the date known (starts), code EET | NEET */
    OUT_FSM,              /* eligible from starts to ends (0 = still) */
    OUT_PUPIL_PREMIUM,    /* eligible from starts to ends (0 = still) */
    OUT_EAL,              /* recorded as having English as an additional language from starts */
    OUT_LUNCHTIME,        /* a lunchtime exclusion: the day (starts), sessions (1 a lunchtime), reason code */
    OUT__COUNT
};

/* Field names used in errors (and by the import's columns): "starts",
 * "ends", "code", "sessions_possible", "sessions_missed", "sessions". */
struct outcome_record {
    enum outcome_kind kind;
    int32_t starts;              /* day number; required */
    int32_t ends;                /* day number; 0 = none or still going */
    char code[12];               /* reason or status code; "" when the kind has none */
    int64_t sessions_possible;   /* attendance */
    int64_t sessions_missed;     /* attendance */
    int64_t sessions;            /* suspension length (2 sessions a day) */
};

const char *outcome_kind_code(enum outcome_kind k);   /* "attendance", "suspension", ... */
const char *outcome_kind_label(enum outcome_kind k);  /* "Attendance (one term)", ... */
int outcome_kind_from_code(const char *s, enum outcome_kind *out);  /* 0 ok */
/* The code list a kind's code must come from; NULL when it has no code. */
const struct code_list *outcome_kind_codes(enum outcome_kind k);
/* Whether the kind has an end date (optional) and sessions. */
bool outcome_kind_has_end(enum outcome_kind k);
/* Suspensions, permanent exclusions and lunchtime exclusions: a DfE reason code. */
bool outcome_kind_is_exclusion(enum outcome_kind k);
/* Suspensions and lunchtime exclusions: a length in sessions. */
bool outcome_kind_has_sessions(enum outcome_kind k);

/* Checks one record against its kind's rules, adding an error per bad field;
 * today (day number) bounds the dates (nothing in the future).  0 if valid. */
int outcome_validate(const struct outcome_record *r, int32_t today, struct field_errors *errs);

/* Attendance: percentage of possible sessions attended (0..100), and
 * persistent absence as DfE defines it: missing 10% or more of the possible
 * sessions (so attendance at or under 90%).  DfE, "Pupil absence in schools
 * in England", methodology. */
double attendance_pct(int64_t possible, int64_t missed);
bool persistent_absence(int64_t possible, int64_t missed);

/* A school term (autumn, spring, summer): its first and last days. */
struct term_span {
    int32_t starts;
    int32_t ends;
};

/* Turns half-terms (any number of years, in date order) into terms: half
 * terms 1+2, 3+4 and 5+6 of the same year, when both are present.  Returns
 * how many were written (at most max). */
size_t terms_from_half_terms(const struct half_term *ht, size_t n, struct term_span *out, size_t max);

/* The windows around the day a case was presented: `nterms` whole terms
 * before and as many after.  The term the day falls in is in neither (it is
 * partly before and partly after); a day in a holiday splits cleanly, so the
 * next term is the first after.  complete is false when the term list does
 * not reach far enough either side (the windows are then empty). */
struct outcome_windows {
    bool complete;
    int32_t before_starts, before_ends;
    int32_t after_starts, after_ends;
};
struct outcome_windows outcome_windows_for(int32_t presented, int nterms, const struct term_span *terms,
                                           size_t nt);

/* The indicators over one window. */
struct outcome_indicators {
    int64_t sessions_possible, sessions_missed;  /* attendance records starting in the window */
    int attendance_terms;                        /* how many attendance records counted */
    int suspensions;                             /* suspensions starting in the window */
    int64_t suspension_sessions;
    bool excluded;                               /* a permanent exclusion in the window */
    bool part_time;                              /* a part-time timetable overlapping it */
    bool in_ap;                                  /* an AP placement overlapping it */
    bool mainstream_at_end;                      /* not excluded (ever, up to the end) nor in AP on the last day */
};

/* Fills the indicators of [from, to] from a pupil's records. */
void outcome_indicators_for(const struct outcome_record *recs, size_t n, int32_t from, int32_t to,
                            struct outcome_indicators *out);

enum outcome_change { CHANGE_UNKNOWN = 0, CHANGE_ROSE, CHANGE_FELL, CHANGE_SAME };
const char *outcome_change_code(enum outcome_change c);  /* "unknown", "rose", "fell", "same" */

/* Before and after, and what changed. */
struct outcome_compare {
    struct outcome_windows w;
    struct outcome_indicators before, after;
    enum outcome_change attendance;   /* by attendance %, unknown without both windows' terms */
    enum outcome_change suspensions;  /* by the number of suspensions */
    bool stayed_in_mainstream;        /* in mainstream at the end of the before window and the after one */
};
void outcome_compare_for(const struct outcome_record *recs, size_t n, int32_t presented, int nterms,
                         const struct term_span *terms, size_t nt, struct outcome_compare *out);

#endif
