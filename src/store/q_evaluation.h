/* SQL for the evaluation data (issue 14, migration 0015): pupils on roll
 * and counts by kind per school and academic year, entered or imported,
 * and the same counts computed from tas's own records. */
#ifndef TAS_STORE_Q_EVALUATION_H
#define TAS_STORE_Q_EVALUATION_H

#include "store/q_common.h"

struct eval_school_row {
    int64_t id;
    char urn[16];
    char name[128];
    char phase[24];
    int tas;                  /* in a TAS team (team_schools) or marked a TAS member */
    int64_t pupils_on_roll;   /* the school record's figure; 0 when not recorded */
    double fsm_pct, sen_pct;  /* -1 when not recorded */
};

/* One figure of one school in one academic year. */
struct eval_value_row {
    int64_t school_id;
    int year;
    int64_t n;
};

/* The authority's schools, by id. */
enum store_rc q_eval_schools(struct store *s, int64_t authority_id,
                             void (*fn)(void *arg, const struct eval_school_row *r), void *arg);
/* Pupils on roll entered per school-year (n = pupils). */
enum store_rc q_eval_pupils(struct store *s, int64_t authority_id,
                            void (*fn)(void *arg, const struct eval_value_row *r), void *arg);
/* Where a count comes from, by school and academic year. */
enum eval_count_source {
    EVAL_COUNT_ENTERED,    /* counts of the kind code, entered or imported */
    EVAL_COUNT_OUTCOMES,   /* outcome records of the kind code ('suspension', 'exclusion'), by the pupil's
                            * school and the academic year of starts_on */
    EVAL_COUNT_REFERRALS,  /* referrals to the service of that code, by the pupil's school and the
                            * academic year of referred_on */
};
/* The counts of code from one source for the authority's schools. */
enum store_rc q_eval_counts(struct store *s, enum eval_count_source from, int64_t authority_id, const char *code,
                            void (*fn)(void *arg, const struct eval_value_row *r), void *arg);
/* The kinds entered for the authority's schools (fn gets the code as text). */
enum store_rc q_eval_kinds_entered(struct store *s, int64_t authority_id,
                                   void (*fn)(void *arg, const char *code, const char *name), void *arg);
/* The authority's services outside schools, by name (code, name). */
enum store_rc q_eval_services(struct store *s, int64_t authority_id,
                              void (*fn)(void *arg, const char *code, const char *name), void *arg);
/* Sets a school-year's pupils on roll (insert or replace); source 'hand'
 * or 'import'. */
enum store_rc q_eval_year_put(struct store *s, int64_t school_id, int year, int64_t pupils, const char *source,
                              int64_t user_id, int64_t now);
/* Sets a school-year's count of a kind (the school-year must exist). */
enum store_rc q_eval_count_put(struct store *s, int64_t school_id, int year, const char *kind, int64_t count,
                               const char *source, int64_t user_id, int64_t now);

#endif
