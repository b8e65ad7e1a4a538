/* SQL for the evidence Annex A of the Bedford report plans: a closed
 * case's place in the outcomes matrix and change stories. */
#ifndef TAS_STORE_Q_EVIDENCE_H
#define TAS_STORE_Q_EVIDENCE_H

#include "core/policy.h"
#include "store/q_common.h"

/* ei, referral: 1 yes, 0 no (both set together). */
enum store_rc q_case_set_outcome(struct store *s, int64_t case_id, int ei_appropriate, int referral_made,
                                 int64_t now);

#define STORY_TEXT_MAX 4001

/* A change story with what is needed to decide who sees it, and (for those
 * who may see the case only) whom it is about.  Large: allocate. */
struct story_row {
    int64_t id;
    int64_t case_id;
    char pattern[24];
    char situation[STORY_TEXT_MAX];
    char what_tas_did[STORY_TEXT_MAX];
    char what_changed[STORY_TEXT_MAX];
    char status[12];               /* submitted | returned | approved */
    char review_comment[1001];
    int64_t drafted_by;
    char approved_on[11];          /* "" not approved */
    int64_t created_at, updated_at;
    /* joined, read only */
    int64_t team_id;
    char team_name[161];
    int64_t authority_id;
    int64_t school_id;
    char phase[16];                /* the pupil's school's phase */
    char opened_on[11];            /* the case's */
    int64_t pupil_id;
    char forenames[101], surname[101], upn[14], school_name[201];
};

/* The case's pupil (names, UPN) and school name into out's joined
 * fields, out cleared first: what a story must not name. */
enum store_rc q_story_subject(struct store *s, int64_t case_id, struct story_row *out);
/* Saves pattern and the three texts; a new story is "submitted". */
enum store_rc q_story_insert(struct store *s, struct story_row *r, int64_t drafted_by, int64_t now);
/* Saves the texts and puts the story back in the queue ("submitted"). */
enum store_rc q_story_update(struct store *s, const struct story_row *r, int64_t now);
/* "approved" (with approved_on) or "returned" (with the comment). */
enum store_rc q_story_review(struct store *s, int64_t id, const char *status, const char *comment,
                             const char *approved_on, int64_t by, int64_t now);
enum store_rc q_story_get(struct store *s, int64_t id, struct story_row *out);
/* Stories of one status (submitted, approved, ...; "" any) among the cases whose
 * team, school or authority v shows (RES_EVIDENCE visibility), newest
 * first, at most 500; case_id 0: any case. */
enum store_rc q_story_list(struct store *s, const struct visibility *v, const char *status, int64_t case_id,
                           void (*fn)(void *arg, const struct story_row *r), void *arg);

#endif
