/* SQL for meeting agendas: the cases discussed at a meeting, their minutes
 * and the feedback given to the family afterwards. */
#ifndef TAS_STORE_Q_AGENDA_H
#define TAS_STORE_Q_AGENDA_H

#include "store/store.h"

struct meeting_brief {
    int64_t id;
    int64_t team_id;
    int64_t authority_id;
    int64_t host_school_id;
    char meeting_date[11];
    char start_time[6];
    char status[12];
    char team_name[161];
};

struct agenda_row {
    int64_t id;                 /* discussion id */
    int64_t meeting_id;
    int64_t case_id;
    char kind[8];               /* new | review */
    char minutes[4001];
    char feedback_on[11];       /* "" not yet */
    char feedback_method[32];
    char feedback_by[121];
    char parent_said[2001];     /* families' voice: "" not recorded */
    char child_said[2001];
    int64_t pupil_id;
    char pupil_name[203];
    int64_t school_id;
    int64_t authority_id;
    char case_status[8];
    int64_t case_created;
    int64_t open_actions;
    int64_t overdue_actions;
    char first_discussed[11];   /* earliest earlier meeting date, "" none */
    char meeting_date[11];
    char team_name[161];
    int64_t voided_at;          /* 0: not voided (entered by mistake otherwise) */
    char void_reason[1001];
};

enum store_rc q_meeting_brief(struct store *s, int64_t id, struct meeting_brief *out);
/* The agenda as stored (unordered); today decides what is overdue. */
enum store_rc q_agenda_list(struct store *s, int64_t meeting_id, const char *today,
                            void (*fn)(void *arg, const struct agenda_row *r), void *arg);
enum store_rc q_discussion_get(struct store *s, int64_t id, const char *today, struct agenda_row *out);
enum store_rc q_discussion_add(struct store *s, int64_t meeting_id, int64_t case_id, const char *kind,
                               int64_t now, int64_t *id);
/* How many of the case's discussions were at meetings before date
 * (YYYY-MM-DD): a case on an agenda is a review when there is one. */
enum store_rc q_case_discussions_before(struct store *s, int64_t case_id, const char *date, int64_t *n);
struct discussion_feedback {
    const char *on;             /* "" not yet */
    const char *method, *by;
    const char *parent_said, *child_said;
};
enum store_rc q_discussion_save(struct store *s, int64_t id, const char *minutes,
                                const struct discussion_feedback *fb, int64_t now);
enum store_rc q_discussion_remove(struct store *s, int64_t id);

/* Open cases of a team not yet on this meeting's agenda, with whether each
 * was discussed at an earlier meeting and its action counts. */
struct agenda_candidate {
    int64_t case_id;
    int64_t pupil_id;
    char pupil_name[203];
    int64_t school_id;
    int64_t authority_id;
    bool discussed_before;
    char last_discussed[11];
    int64_t open_actions;
    int64_t overdue_actions;
};
enum store_rc q_agenda_candidates(struct store *s, int64_t meeting_id, const char *today,
                                  void (*fn)(void *arg, const struct agenda_candidate *c), void *arg);

#endif
