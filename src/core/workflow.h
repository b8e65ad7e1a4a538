/* The rules of the TAS workflow that do not need a database: consent,
 * agenda order, action states and what is overdue or due for review. */
#ifndef TAS_CORE_WORKFLOW_H
#define TAS_CORE_WORKFLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Consent ---- */

/* One consent record as stored: dates are day numbers (calendar.h);
 * withdrawn_on is 0 when not withdrawn. */
struct consent_fact {
    int32_t given_on;
    bool covers_discussion;
    int32_t withdrawn_on;
    size_t nservices;
    const int64_t *service_ids;   /* services information may be shared with */
};

enum consent_verdict {
    CONSENT_OK = 0,
    CONSENT_NONE,          /* nothing recorded */
    CONSENT_NOT_YET,       /* given with a date after today */
    CONSENT_WITHDRAWN,     /* the latest consent was withdrawn */
    CONSENT_NO_DISCUSSION, /* recorded, but not for discussion at TAS */
    CONSENT_NOT_SERVICE    /* discussion agreed, but not sharing with this service */
};

/* May the pupil be discussed today (service_id 0), or may their
 * information be shared with service_id?  Looks at the most recent consent
 * given on or before today (latest given_on; later in the array wins a
 * tie); NOT_YET only when every record is dated after today.  A withdrawal
 * counts from its date on.  Sharing needs consent to discussion too. */
enum consent_verdict consent_check(const struct consent_fact *f, size_t n, int32_t today,
                                   int64_t service_id);
/* What to tell the person: why not, and what to do (never NULL). */
const char *consent_message(enum consent_verdict v);

/* ---- Agenda ---- */

struct agenda_entry {
    int64_t case_id;
    bool review;            /* discussed at an earlier meeting */
    int overdue_actions;
    int open_actions;
    int32_t first_discussed;  /* day number; 0 for new cases */
    int64_t created;          /* when the case was brought (seconds), orders new cases */
};

/* Orders an agenda in place: reviews of cases already discussed first
 * (most overdue actions first, then most open actions, then the longest
 * known, first_discussed 0 last), then new cases in the order they were
 * brought; ties by case id. */
void agenda_order(struct agenda_entry *e, size_t n);

/* ---- Actions ---- */

enum action_status { ACTION_OPEN = 0, ACTION_DONE, ACTION_NOT_DONE, ACTION_STATUS__COUNT };

const char *action_status_code(enum action_status s);  /* "open", "done", "not_done" */
int action_status_from_code(const char *s, enum action_status *out);
/* NULL if the change is allowed, else why not.  Any status may move to
 * another (a closed action can be re-opened; "moving" to the same status is
 * allowed, e.g. to edit the reason); moving to not_done needs a non-blank
 * reason.  Recording the day it closed is the caller's job. */
const char *action_transition_check(enum action_status from, enum action_status to,
                                    const char *reason);
/* An open action whose due day has passed (due 0 = no due day: never overdue). */
bool action_overdue(enum action_status s, int32_t due, int32_t today);

/* ---- Follow-up ---- */

/* A case is due for review when it is open and either it has overdue
 * actions, or it was last discussed more than review_after_days ago and
 * still has open actions (last_discussed 0: never discussed, so not by
 * this second rule). */
bool case_due_for_review(bool open, int overdue_actions, int open_actions, int32_t last_discussed,
                         int32_t today, int review_after_days);

#endif
