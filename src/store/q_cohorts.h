/* SQL for a meeting's running order (positions, time slots, location) and
 * for cohort discussions and their actions (migrations 0021, 0022).
 * Service files: service/svc_cohorts.c (and svc_agenda.c's order). */
#ifndef TAS_STORE_Q_COHORTS_H
#define TAS_STORE_Q_COHORTS_H

#include "store/q_common.h"

#define COHORT_DESC_MAX 201
#define COHORT_MINUTES_MAX 4001
#define COHORT_ACTION_TEXT_MAX 2001
#define COHORT_REASON_MAX 1001
#define COHORT_OWNER_MAX 121
#define MEETING_LOCATION_MAX 201

/* ---- running order ---- */

/* A case discussion's place on its meeting's agenda. */
struct running_slot {
    int64_t id;
    int position;          /* 0: not placed by hand */
    int slot_minutes;      /* 0: the default for its kind */
};
enum store_rc q_running_discussions(struct store *s, int64_t meeting_id,
                                    void (*fn)(void *arg, const struct running_slot *r), void *arg);
/* cohort 0: a discussion, 1: a cohort discussion; only of that meeting
 * (STORE_OK whether or not a row changed: see store_changes). */
enum store_rc q_running_set_position(struct store *s, int cohort, int64_t meeting_id, int64_t id, int position);
enum store_rc q_running_set_minutes(struct store *s, int cohort, int64_t meeting_id, int64_t id, int minutes,
                                    int64_t now);
/* Where the meeting is held: its own location, else its team's; *own
 * tells which ("" both: not recorded). */
enum store_rc q_meeting_location(struct store *s, int64_t meeting_id, char *out, size_t outsz, bool *own);
enum store_rc q_meeting_set_location(struct store *s, int64_t meeting_id, const char *location, int64_t now);

/* ---- cohort discussions ---- */

struct cohort_row {
    int64_t id;
    int64_t meeting_id;
    char year_group[4];                 /* NC year code, "" several or all */
    int64_t school_id;                  /* 0: every school of the team */
    char school_name[121];
    char description[COHORT_DESC_MAX];
    char minutes[COHORT_MINUTES_MAX];
    int position;
    int slot_minutes;
    int64_t created_at;
    int64_t voided_at;                  /* 0: not voided */
    char void_reason[COHORT_REASON_MAX];
    /* the meeting's, for the policy and the pages */
    int64_t team_id;
    int64_t authority_id;
    int64_t host_school_id;
    char meeting_date[11];
    char meeting_status[12];
    char team_name[161];
    int64_t open_actions;
};

enum store_rc q_cohort_insert(struct store *s, const struct cohort_row *r, int64_t by, int64_t now, int64_t *id);
enum store_rc q_cohort_get(struct store *s, int64_t id, struct cohort_row *out);
/* A meeting's cohort discussions, voided ones included, by id. */
enum store_rc q_cohort_list(struct store *s, int64_t meeting_id,
                            void (*fn)(void *arg, const struct cohort_row *r), void *arg);
enum store_rc q_cohort_save_minutes(struct store *s, int64_t id, const char *minutes, int64_t now);
/* A cohort discussion or a cohort action voided: STORE_OK voided;
 * STORE_DONE no such record or already voided. */
enum cohort_voidable { COHORT_VOID_DISCUSSION, COHORT_VOID_ACTION };
enum store_rc q_cohort_void(struct store *s, enum cohort_voidable kind, int64_t id, int64_t by, const char *reason,
                            int64_t now);
/* Pupils of the team's schools (or of one school), for the check that a
 * description names no child: fn(arg, forenames, surname). */
enum store_rc q_cohort_pupil_names(struct store *s, int64_t team_id, int64_t school_id,
                                   void (*fn)(void *arg, const char *forenames, const char *surname), void *arg);
/* Whether school_id is one of the team's schools. */
enum store_rc q_cohort_team_school(struct store *s, int64_t team_id, int64_t school_id, bool *yes);
/* Non-voided cohort discussions at held, non-voided meetings of the team
 * between from and to (inclusive, "YYYY-MM-DD"). */
enum store_rc q_cohort_count(struct store *s, int64_t team_id, const char *from, const char *to, int64_t *n);

/* ---- cohort actions ---- */

struct cohort_action_row {
    int64_t id;
    int64_t cohort_id;
    char description[COHORT_ACTION_TEXT_MAX];
    int64_t owner_service_id;
    int64_t owner_practitioner_id;
    char owner_name[COHORT_OWNER_MAX];
    char due_on[11];
    char status[12];
    char not_done_reason[COHORT_REASON_MAX];
    char outcome[COHORT_ACTION_TEXT_MAX];
    char closed_on[11];
    int64_t created_at;
    int64_t voided_at;
    char void_reason[COHORT_REASON_MAX];
    /* joined */
    char owner_service_name[120];
    char owner_service_kind[20];        /* services.org_kind */
    char owner_practitioner_name[120];
    int64_t owner_user_id;              /* the practitioner's account, 0 none */
    char cohort_description[COHORT_DESC_MAX];
    int64_t cohort_school_id;
    int64_t meeting_id;
    char meeting_date[11];
    int64_t team_id;
    int64_t authority_id;
    int64_t host_school_id;
    char team_name[161];
};

enum store_rc q_cohort_action_insert(struct store *s, const struct cohort_action_row *a, int64_t now, int64_t *id);
enum store_rc q_cohort_action_get(struct store *s, int64_t id, struct cohort_action_row *out);
enum store_rc q_cohort_action_list(struct store *s, int64_t cohort_id,
                                   void (*fn)(void *arg, const struct cohort_action_row *a), void *arg);
enum store_rc q_cohort_action_set_status(struct store *s, int64_t id, const char *status, const char *reason,
                                         const char *outcome, const char *closed_on, int64_t now);
/* Description, owners and due date of a non-voided action. */
enum store_rc q_cohort_action_update(struct store *s, int64_t id, const struct cohort_action_row *a, int64_t now);
/* Open, non-voided cohort actions of non-voided discussions and meetings in
 * the authority that are owned by a practitioner linked to user_id, or by a
 * school-kind service, or due before today; earliest due first (the
 * service keeps those the user may see and should be given). */
enum store_rc q_cohort_work(struct store *s, int64_t authority_id, int64_t user_id, const char *today,
                            void (*fn)(void *arg, const struct cohort_action_row *a), void *arg);

#endif
