/* SQL for TAS meetings and their attendance.  Service file:
 * service/svc_meetings.c.
 *
 * Attendance rows: a core service's row has service_id set and role "";
 * the other standing rows have no service and role "school",
 * "strategic_lead" or "case_coordinator"; guests have guest = 1 and the
 * role as typed ("Social Worker (Adoption Team)"). */
#ifndef TAS_STORE_Q_MEETINGS_H
#define TAS_STORE_Q_MEETINGS_H

#include "core/records.h"
#include "store/q_common.h"

#define MEETING_NOTES_MAX 4001
#define MEETING_REASON_MAX 201
#define ATTENDANCE_ROLE_MAX 121

struct meeting {
    int64_t id;
    int64_t team_id;
    char date[11];                      /* "YYYY-MM-DD" */
    char start_time[6];                 /* "HH:MM" */
    char status[12];                    /* planned, held, cancelled */
    char cancel_reason[MEETING_REASON_MAX];
    char mode[12];                      /* in_person, online */
    char notes[MEETING_NOTES_MAX];
    int64_t created_at;
    int64_t updated_at;
    char held_marked_on[11];            /* the day it was marked held; "" not held */
    int64_t voided_at;                  /* 0: not voided (entered by mistake otherwise) */
    char void_reason[MEETING_REASON_MAX];
};

/* A meeting with what the policy and the pages need about its team. */
struct meeting_row {
    struct meeting m;
    int64_t authority_id;
    int64_t host_school_id;
    char team_name[TAS_TITLE_MAX];
    int64_t attendance_count;           /* rows recorded (guests included) */
};

enum meeting_order { MEETING_UPCOMING_FIRST = 0, MEETING_OLDEST_FIRST, MEETING_NEWEST_FIRST };

struct meeting_filter {
    int64_t team_id;                    /* 0: every visible team */
    const char *status;                 /* "" or NULL: any */
    const char *from, *to;              /* "YYYY-MM-DD" or "" */
    const char *today;                  /* for MEETING_UPCOMING_FIRST */
    enum meeting_order order;
    int64_t school_id;                  /* 0 any; else teams serving that school */
    const char *name;                   /* "" or NULL any; else part of the team's name (any case) */
};

struct meeting_counts {
    int64_t planned, held, cancelled, online;
    int64_t unrecorded;                 /* planned, dated before today */
};

struct attendance_row {
    int64_t id;
    int64_t meeting_id;
    int64_t service_id;                 /* 0: not a service row */
    int64_t practitioner_id;            /* 0: none */
    char person_name[TAS_NAME_MAX];
    char role[ATTENDANCE_ROLE_MAX];
    char status[12];                    /* present, apologies, absent */
    bool guest;
    char service_name[120];             /* "" when no service */
};

/* Insert sets m->id; STORE_CONSTRAINT when the team already has a meeting
 * at that date and time. */
enum store_rc q_meeting_insert(struct store *s, struct meeting *m, int64_t now);
enum store_rc q_meeting_get(struct store *s, int64_t id, struct meeting_row *out);
enum store_rc q_meeting_list(struct store *s, const struct visibility *v, const struct meeting_filter *f,
                             const struct page_req *pg, int64_t *total,
                             void (*fn)(void *arg, const struct meeting_row *r), void *arg);
/* How many meetings the team has between from and to inclusive (any status). */
enum store_rc q_meeting_count_between(struct store *s, int64_t team_id, const char *from,
                                      const char *to, int64_t *n);
enum store_rc q_meeting_counts(struct store *s, int64_t team_id, const char *today,
                               struct meeting_counts *out);
/* Status, mode and cancel reason together. */
enum store_rc q_meeting_set_status(struct store *s, int64_t id, const char *status, const char *mode,
                                   const char *cancel_reason, int64_t now);
/* Marked held on the day on (for the undo, that day only). */
enum store_rc q_meeting_held_on(struct store *s, int64_t id, const char *on);
/* "Held" undone, with the reason: planned again.  STORE_DONE when it was not held. */
enum store_rc q_meeting_unhold(struct store *s, int64_t id, const char *reason, int64_t now);
/* STORE_CONSTRAINT when the new slot is taken. */
enum store_rc q_meeting_move(struct store *s, int64_t id, const char *date, const char *start_time,
                             int64_t now);
enum store_rc q_meeting_set_notes(struct store *s, int64_t id, const char *notes, int64_t now);

/* Rows in order: standing rows (school, Strategic Lead, Case Coordinator,
 * services by name), then guests in the order added. */
enum store_rc q_attendance_list(struct store *s, int64_t meeting_id,
                                void (*fn)(void *arg, const struct attendance_row *r), void *arg);
/* Replaces the meeting's non-guest rows with rows[0..n) (call inside a
 * transaction). */
enum store_rc q_attendance_replace(struct store *s, int64_t meeting_id,
                                   const struct attendance_row *rows, size_t n);
/* Adds one row (a guest); sets r->id. */
enum store_rc q_attendance_add(struct store *s, struct attendance_row *r);
/* Removes a guest row of that meeting; STORE_DONE when there was none. */
enum store_rc q_attendance_remove_guest(struct store *s, int64_t meeting_id, int64_t id);

/* Planned meetings (not voided) of the authority's teams dated on one of
 * its closure days between from and to inclusive, in date order. */
enum store_rc q_meetings_on_closures(struct store *s, int64_t authority_id, const char *from, const char *to,
                                     void (*fn)(void *arg, const struct meeting_row *r), void *arg);

#endif
