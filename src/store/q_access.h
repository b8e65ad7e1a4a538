/* What access decisions need from the database: the facts about a case
 * record the policy cannot look up itself, and the break-glass record. */
#ifndef TAS_STORE_Q_ACCESS_H
#define TAS_STORE_Q_ACCESS_H

#include "core/policy.h"
#include "store/store.h"

/* The team and pupil of a case: STORE_ROW, or STORE_DONE if none. */
enum store_rc q_case_team_pupil(struct store *s, int64_t case_id, int64_t *team_id, int64_t *pupil_id);

struct break_glass_row {
    int64_t id, user_id, pupil_id, authority_id, school_id;
    char role[24];
    char reason[501];
    int64_t at, expires;
    int64_t reviewed_by, reviewed_at;     /* 0 until reviewed */
    char user_name[121];                  /* display name of who asked */
    char reviewer_name[121];
};

enum store_rc q_break_glass_insert(struct store *s, struct break_glass_row *r);
enum store_rc q_break_glass_get(struct store *s, int64_t id, struct break_glass_row *out);
/* A user's unexpired grants, newest first. */
enum store_rc q_break_glass_active(struct store *s, int64_t user_id, int64_t now,
                                   void (*fn)(void *arg, const struct break_glass_row *r), void *arg);
/* Entries the visibility covers (by authority or school), unreviewed
 * first, then newest first; at most limit. */
enum store_rc q_break_glass_list(struct store *s, const struct visibility *v, int64_t limit,
                                 void (*fn)(void *arg, const struct break_glass_row *r), void *arg);
/* Marks reviewed unless it already is: STORE_OK, or STORE_DONE when it was. */
enum store_rc q_break_glass_review(struct store *s, int64_t id, int64_t by, int64_t at);

#endif
