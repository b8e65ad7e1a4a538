/* SQL for what a TAS case leads to: actions agreed for it, referrals made,
 * the follow-up work lists (overdue actions, cases due for review, meetings
 * without minutes, feedback to families not yet recorded, a practitioner's
 * own actions) and a pupil's chronology.  Service files:
 * service/svc_actions.c and service/svc_worklist.c. */
#ifndef TAS_STORE_Q_ACTIONS_H
#define TAS_STORE_Q_ACTIONS_H

#include "store/q_common.h"

#define ACTION_TEXT_MAX 2001      /* description, outcome: bytes with NUL */
#define ACTION_REASON_MAX 1001    /* why an action was not done */
#define ACTION_OWNER_MAX 121      /* owner name as typed ("School SENCO") */
#define REFERRAL_NOTES_MAX 2001

/* The few facts about a case that actions and referrals need (the policy's
 * place, whether it is open, when it opened). */
struct case_ref {
    int64_t id;
    int64_t pupil_id;
    int64_t team_id;
    char status[8];               /* open | closed */
    char opened_on[11];
    char closed_on[11];           /* "" when open */
    int64_t school_id;
    int64_t authority_id;
    char pupil_name[203];
    char team_name[161];
};

/* STORE_ROW found, STORE_DONE no such case. */
enum store_rc q_case_ref_get(struct store *s, int64_t case_id, struct case_ref *out);

/* An action.  Ids 0 and dates "" mean none (stored as NULL). */
struct action_row {
    int64_t id;
    int64_t case_id;
    int64_t discussion_id;
    char description[ACTION_TEXT_MAX];
    int64_t owner_service_id;
    int64_t owner_practitioner_id;
    char owner_name[ACTION_OWNER_MAX];
    char setting[16];             /* school home health social_care other */
    char nature[24];              /* coordination ... other */
    int64_t resource_id;
    char due_on[11];
    char status[12];              /* open done not_done */
    char not_done_reason[ACTION_REASON_MAX];
    char outcome[ACTION_TEXT_MAX];
    char closed_on[11];
    int64_t created_at;
    int64_t updated_at;
    /* joined, read only */
    char owner_service_name[120];
    char owner_practitioner_name[120];
    char resource_title[160];
    char resource_url[400];
    int64_t meeting_id;           /* of the discussion; 0 none */
    char meeting_date[11];        /* "" none */
    int64_t voided_at;            /* 0: not voided (entered by mistake otherwise) */
    char void_reason[ACTION_REASON_MAX];
};

/* Insert sets a->id.  Update saves what the action form edits (not the
 * status).  set_status saves status, reason, outcome and closed_on. */
enum store_rc q_action_insert(struct store *s, struct action_row *a, int64_t now);
enum store_rc q_action_update(struct store *s, const struct action_row *a, int64_t now);
enum store_rc q_action_set_status(struct store *s, int64_t id, const char *status, const char *reason,
                                  const char *outcome, const char *closed_on, int64_t now);
enum store_rc q_action_get(struct store *s, int64_t id, struct action_row *out);
/* A case's actions: open first (earliest due first, no due date last),
 * then closed ones, most recently closed first. */
enum store_rc q_action_list(struct store *s, int64_t case_id,
                            void (*fn)(void *arg, const struct action_row *a), void *arg);

/* A referral.  outcome_on "" while pending. */
struct referral_row {
    int64_t id;
    int64_t case_id;
    int64_t action_id;            /* 0 none */
    int64_t service_id;
    char referred_on[11];
    char outcome[12];             /* pending accepted declined redirected */
    char outcome_on[11];
    char notes[REFERRAL_NOTES_MAX];
    int64_t created_at;
    int64_t updated_at;
    /* joined */
    char service_name[120];
    char action_description[ACTION_TEXT_MAX];
    int64_t voided_at;            /* 0: not voided */
    char void_reason[ACTION_REASON_MAX];
};

enum store_rc q_referral_insert(struct store *s, struct referral_row *r, int64_t now);
enum store_rc q_referral_set_outcome(struct store *s, int64_t id, const char *outcome,
                                     const char *outcome_on, const char *notes, int64_t now);
enum store_rc q_referral_get(struct store *s, int64_t id, struct referral_row *out);
/* A case's referrals, most recent first. */
enum store_rc q_referral_list(struct store *s, int64_t case_id,
                              void (*fn)(void *arg, const struct referral_row *r), void *arg);

/* Records entered by mistake are voided, never deleted: kept (and shown
 * as voided, with the reason) but left out of every count and work list. */
enum void_kind { VOID_ACTION, VOID_REFERRAL, VOID_DISCUSSION, VOID_MEETING, VOID__COUNT };
/* STORE_OK voided; STORE_DONE no such record, or already voided. */
enum store_rc q_void(struct store *s, enum void_kind k, int64_t id, int64_t by, const char *reason, int64_t now);

/* A case's discussions (for "agreed at" pick lists), newest meeting first. */
struct case_discussion {
    int64_t id;
    int64_t meeting_id;
    char meeting_date[11];
    char meeting_status[12];
    char team_name[161];
};
enum store_rc q_case_discussions(struct store *s, int64_t case_id,
                                 void (*fn)(void *arg, const struct case_discussion *d), void *arg);

/* ---- work lists ---- */

/* An action in a work list, with its case. */
struct work_action {
    int64_t id;
    int64_t case_id;
    int64_t pupil_id;
    char pupil_name[203];
    char team_name[161];
    char description[ACTION_TEXT_MAX];
    char owner_service_name[120];
    char owner_practitioner_name[120];
    char owner_name[ACTION_OWNER_MAX];
    char due_on[11];              /* "" none */
    char case_status[8];
    int64_t team_id;              /* the case's team */
    int64_t school_id;            /* the pupil's school */
};

/* Open actions due before today on cases the visibility covers, oldest due
 * first. */
enum store_rc q_work_overdue(struct store *s, const struct visibility *v, const char *today,
                             void (*fn)(void *arg, const struct work_action *a), void *arg);
/* Open actions owned by a practitioner linked to user_id (practitioners.
 * user_id), on visible cases; earliest due first, no due date last. */
enum store_rc q_work_owned(struct store *s, const struct visibility *v, const char *today, int64_t user_id,
                           void (*fn)(void *arg, const struct work_action *a), void *arg);
/* Open actions owned by a school (a service whose org_kind is school) on
 * cases the visibility covers; earliest due first, no due date last.  The
 * caller narrows v to the schools whose staff the user is. */
enum store_rc q_work_school(struct store *s, const struct visibility *v, const char *today,
                            void (*fn)(void *arg, const struct work_action *a), void *arg);
/* How many active practitioner records are linked to the user. */
enum store_rc q_practitioners_of_user(struct store *s, int64_t user_id, int64_t *n);

/* An open case that has open actions, with what decides whether it is due
 * for review. */
struct work_case {
    int64_t case_id;
    int64_t pupil_id;
    char pupil_name[203];
    char team_name[161];
    char opened_on[11];
    int64_t open_actions;
    int64_t overdue_actions;
    char last_discussed[11];      /* latest meeting (held or planned, not cancelled) on or before today; "" never */
    int64_t team_id;
    int64_t school_id;            /* the pupil's school */
};
enum store_rc q_work_open_cases(struct store *s, const struct visibility *v, const char *today,
                                void (*fn)(void *arg, const struct work_case *c), void *arg);

/* A held meeting before today whose minutes are not written: some of its
 * discussions have no minutes, or it has no discussions.  Visibility is
 * of teams (the team's authority and host school). */
struct work_meeting {
    int64_t meeting_id;
    int64_t team_id;
    char team_name[161];
    char meeting_date[11];
    int64_t discussions;
    int64_t without_minutes;
};
enum store_rc q_work_minutes(struct store *s, const struct visibility *teams, const char *today,
                             void (*fn)(void *arg, const struct work_meeting *m), void *arg);

/* A discussion in a held meeting whose feedback to the family is not
 * recorded, on visible cases; oldest meeting first. */
struct work_feedback {
    int64_t discussion_id;
    int64_t meeting_id;
    char meeting_date[11];
    char team_name[161];
    int64_t case_id;
    int64_t pupil_id;
    char pupil_name[203];
    int64_t team_id;              /* the meeting's team */
    int64_t school_id;            /* the pupil's school */
};
enum store_rc q_work_feedback(struct store *s, const struct visibility *v, const char *today,
                              void (*fn)(void *arg, const struct work_feedback *f), void *arg);

/* ---- chronology ---- */

/* One event in a pupil's record.  kind: consent_given, consent_withdrawn,
 * case_opened, case_closed, discussed, action_agreed, action_done,
 * action_not_done, referral_made, referral_outcome.  ref_id is the
 * consent, case, discussion, action or referral; text1/text2 carry the
 * detail (see q_actions.c for which is which). */
struct chron_event {
    char on[11];
    char kind[20];
    int64_t ref_id;
    int64_t case_id;              /* 0 for consent */
    int64_t meeting_id;           /* discussed, action_agreed: 0 none */
    char text1[ACTION_TEXT_MAX];
    char text2[ACTION_TEXT_MAX];
    char text3[200];
};

#define CHRONOLOGY_MAX 1000

/* Every event for the pupil, newest first (same day: the later step of the
 * workflow first), at most CHRONOLOGY_MAX. */
enum store_rc q_chronology(struct store *s, int64_t pupil_id,
                           void (*fn)(void *arg, const struct chron_event *e), void *arg);

#endif
