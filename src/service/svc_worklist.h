/* Follow-up: the work lists at /work and a pupil's chronology.
 * SQL: store/q_actions.c.
 *
 * Work lists need permission to list cases (RES_CASE, ACT_LIST), and show
 * only the cases that visibility covers.  Who gets which list is decided
 * by the policy, not by role names:
 *  - people who run TAS meetings (may edit teams: RES_TEAM, ACT_EDIT) get
 *    the coordination lists: overdue actions, cases due for review,
 *    meetings without minutes (teams they may see), and discussions whose
 *    feedback to the family is not recorded;
 *  - a user linked to a practitioner record (practitioners.user_id) gets
 *    the open actions that practitioner owns;
 *  - the staff of a school (policy_staff_schools: head, SENCO, pastoral
 *    lead) get the open actions owned by the school (an owner service of
 *    the school kind) on their school's cases. */
#ifndef TAS_SERVICE_SVC_WORKLIST_H
#define TAS_SERVICE_SVC_WORKLIST_H

#include "service/svc.h"
#include "store/q_actions.h"
#include "store/q_pupils.h"

/* A case last discussed more than this many days ago, with open actions,
 * is due for review. */
#define WORK_REVIEW_AFTER_DAYS 42

struct work_sink {
    void *arg;
    void (*overdue)(void *arg, const struct work_action *a);
    void (*review)(void *arg, const struct work_case *c);
    void (*minutes)(void *arg, const struct work_meeting *m);
    void (*feedback)(void *arg, const struct work_feedback *f);
    void (*mine)(void *arg, const struct work_action *a);
    void (*school)(void *arg, const struct work_action *a);
};

struct work_which {
    bool coordination;   /* overdue, review, minutes and feedback were listed */
    bool mine;           /* the user's own actions were listed */
    bool school;         /* the actions owned by the user's school were listed */
};

/* SVC_FORBIDDEN without ACT_LIST on RES_CASE; *which says which lists were filled. */
enum svc_status svc_work_lists(struct svc_ctx *c, const struct work_sink *sink, struct work_which *which);

/* A pupil's chronology, newest first; p receives the pupil.  Not found
 * unless the user may see the pupil's case records.
 * A pupil missing or hidden, or whose case records are hidden: SVC_NOT_FOUND. */
enum svc_status svc_chronology(struct svc_ctx *c, int64_t pupil_id, struct pupil_row *p,
                               void (*fn)(void *arg, const struct chron_event *e), void *arg);

#endif
