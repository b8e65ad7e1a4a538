/* SQL for a pupil's outcome records (migration 0010) and the work-list
 * flags raised when a toolkit's threshold is crossed. */
#ifndef TAS_STORE_Q_OUTCOMES_H
#define TAS_STORE_Q_OUTCOMES_H

#include "core/outcomes.h"
#include "store/q_common.h"

struct outcome_row {
    int64_t id;
    int64_t pupil_id;
    char kind[16];               /* outcome_kind_code */
    char starts_on[11];
    char ends_on[11];            /* "" none */
    char code[12];
    int64_t sessions_possible;   /* 0 when the kind has none */
    int64_t sessions_missed;
    int64_t sessions;
    char source[8];              /* hand | import */
    int64_t recorded_by;
    int64_t created_at;
};

enum store_rc q_outcome_insert(struct store *s, struct outcome_row *r);
/* A pupil's records, oldest first (by start, then id). */
enum store_rc q_outcome_list(struct store *s, int64_t pupil_id,
                             void (*fn)(void *arg, const struct outcome_row *r), void *arg);
/* The pupil's first record of this kind starting that day with this code
 * (an import run twice must not double the figures): STORE_ROW, or
 * STORE_DONE when there is none. */
enum store_rc q_outcome_find(struct store *s, int64_t pupil_id, const char *kind, const char *starts_on,
                             const char *code, struct outcome_row *out);
/* An attendance record's sessions and end, from a later import (r->id). */
enum store_rc q_outcome_update_sessions(struct store *s, const struct outcome_row *r);
/* The day a case was presented: its first "new" discussion at a held
 * meeting (as the dashboard counts it); "" when it has not been. */
enum store_rc q_case_presented_on(struct store *s, int64_t case_id, char out[11]);

struct worklist_flag_row {
    int64_t id;
    int64_t pupil_id;
    char reason[24];             /* toolkit_threshold */
    int64_t completion_id;
    char raised_on[11];
    char cleared_on[11];         /* "" while open */
    /* joined, read only */
    int64_t school_id;
    int64_t authority_id;
    char pupil_name[203];
    char toolkit_title[241];
    int64_t score;
    char band[24];
};

enum store_rc q_worklist_flag_insert(struct store *s, struct worklist_flag_row *r, int64_t now);
enum store_rc q_worklist_flag_get(struct store *s, int64_t id, struct worklist_flag_row *out);
/* Open flags of the pupils a visibility covers (by the pupil's school and
 * authority), oldest first. */
enum store_rc q_worklist_flags_open(struct store *s, const struct visibility *v,
                                    void (*fn)(void *arg, const struct worklist_flag_row *r), void *arg);
enum store_rc q_worklist_flag_clear(struct store *s, int64_t id, const char *on, int64_t by);

#endif
