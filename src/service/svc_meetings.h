/* Use cases for TAS meetings: list and view, add one, mark held (in
 * person or online), cancel with a reason, reinstate, move, notes, and
 * attendance (standing rows for the school, Strategic Lead, Case
 * Coordinator and each core service, plus guests).  SQL:
 * store/q_meetings.c.  A meeting is part of its team: the policy is asked
 * about RES_TEAM at the team's host school; changes need ACT_EDIT.
 *
 * Rules: a meeting on a later day than today cannot be marked held; a
 * cancelled meeting must be reinstated before it can be marked held; a
 * held meeting cannot be cancelled; attendance (and guests) only for a
 * held meeting. */
#ifndef TAS_SERVICE_SVC_MEETINGS_H
#define TAS_SERVICE_SVC_MEETINGS_H

#include "core/errors.h"
#include "service/svc.h"
#include "store/q_meetings.h"
#include "store/q_teams.h"

#define SHEET_MAX 48

/* One standing row of the attendance sheet: expected from the team and
 * filled with what was recorded. */
struct sheet_line {
    char key[24];                       /* "school", "strategic_lead", "case_coordinator", "svc-ID" */
    char label[160];                    /* "School (Hillside Primary)", "Early Help", ... */
    char role[24];                      /* stored role: the key, or "" for a service */
    int64_t service_id;
    int64_t practitioner_id;
    char person_name[TAS_NAME_MAX];     /* recorded, else the name the team gives */
    char status[12];                    /* recorded status; "" when not recorded */
};

struct attendance_input {
    const char *key;
    const char *status;                 /* present, apologies, absent */
    const char *person_name;            /* optional */
};

/* Returns the meeting with its team.  Checks ACT_VIEW on the team; hidden: SVC_NOT_FOUND. */
enum svc_status svc_meeting_get(struct svc_ctx *c, int64_t id, struct meeting_row *out);
/* Calls fn for one page of the meetings of teams the user may list that match f, in the order f
 * asks (upcoming first, by date, or latest first).  SVC_FORBIDDEN when they may list none. */
enum svc_status svc_meeting_list(struct svc_ctx *c, const struct meeting_filter *f,
                                 const struct page_req *pg, int64_t *total,
                                 void (*fn)(void *arg, const struct meeting_row *r), void *arg);
/* True if the policy allows a on the meeting's team; no storage. */
bool svc_meeting_may(const struct svc_ctx *c, enum action a, const struct meeting_row *m);

/* A one-off meeting for a team: date "YYYY-MM-DD" or "D/M/YYYY"; time
 * "HH:MM" (NULL or "": the team's usual start time).
 * Sets *id (may be NULL).  Checks ACT_VIEW (hidden: SVC_NOT_FOUND) then ACT_EDIT
 * (SVC_FORBIDDEN) on the team, then the date and time; another meeting of the team at that date
 * and time is a field error. */
enum svc_status svc_meeting_add(struct svc_ctx *c, int64_t team_id, const char *date, const char *time,
                                struct field_errors *errs, int64_t *id);
/* Each change below checks ACT_VIEW on the meeting's team (hidden: SVC_NOT_FOUND), then
 * ACT_EDIT (SVC_FORBIDDEN), then its fields and the rules above (SVC_INVALID).  Marking held
 * takes the mode (in_person, online). */
enum svc_status svc_meeting_mark_held(struct svc_ctx *c, int64_t id, const char *mode,
                                      struct field_errors *errs);
/* What svc_meeting_mark_held checks, changing nothing (the page that asks
 * to confirm); out (may be NULL) receives the meeting. */
enum svc_status svc_meeting_held_check(struct svc_ctx *c, int64_t id, const char *mode,
                                       struct field_errors *errs, struct meeting_row *out);
/* "Held" recorded by mistake is undone (planned again) by whoever may
 * mark it held (the team's coordinators: ACT_EDIT on the team), on the day
 * it was marked only, with the reason (field "undo_reason"). */
enum svc_status svc_meeting_undo_held(struct svc_ctx *c, int64_t id, const char *reason,
                                      struct field_errors *errs);
/* True when m is held and was marked held today (c->today). */
bool svc_meeting_held_undoable(const struct svc_ctx *c, const struct meeting_row *m);
/* The reason is required. */
enum svc_status svc_meeting_cancel(struct svc_ctx *c, int64_t id, const char *reason,
                                   struct field_errors *errs);
/* Only a cancelled meeting. */
enum svc_status svc_meeting_reinstate(struct svc_ctx *c, int64_t id, struct field_errors *errs);
/* A held meeting's new date may not be after today; the team may not already meet at the new
 * date and time. */
enum svc_status svc_meeting_move(struct svc_ctx *c, int64_t id, const char *date, const char *time,
                                 struct field_errors *errs);
/* Notes of up to 4,000 characters, without special characters. */
enum svc_status svc_meeting_set_notes(struct svc_ctx *c, int64_t id, const char *notes,
                                      struct field_errors *errs);

/* The attendance sheet of a meeting already read with svc_meeting_get.
 * Checks ACT_VIEW on the meeting's team (hidden: SVC_NOT_FOUND); fills out[0..max) and *n. */
enum svc_status svc_meeting_sheet(struct svc_ctx *c, const struct meeting_row *m,
                                  struct sheet_line *out, size_t max, size_t *n);
/* Calls fn for the meeting's guests.  Checks ACT_VIEW on its team; hidden: SVC_NOT_FOUND. */
enum svc_status svc_meeting_guests(struct svc_ctx *c, const struct meeting_row *m,
                                   void (*fn)(void *arg, const struct attendance_row *r), void *arg);
/* Every line of the sheet needs a status; in holds them by key.
 * Checks as the changes above, that the meeting is held and each line's status. */
enum svc_status svc_meeting_attendance_save(struct svc_ctx *c, int64_t id,
                                            const struct attendance_input *in, size_t n,
                                            struct field_errors *errs);
/* Sets *guest_id (may be NULL).  Checks as the changes above, that the meeting is held, the
 * name, role and status. */
enum svc_status svc_meeting_guest_add(struct svc_ctx *c, int64_t id, const char *name, const char *role,
                                      const char *status, struct field_errors *errs, int64_t *guest_id);
/* Checks as the changes above; a guest not of this meeting: SVC_NOT_FOUND. */
enum svc_status svc_meeting_guest_remove(struct svc_ctx *c, int64_t id, int64_t guest_id);

/* Labels for the pages. */
const char *meeting_status_label(const char *status);   /* "Planned", "Held", "Cancelled" */
const char *meeting_mode_label(const char *mode);       /* "In person", "Online" */
const char *attendance_status_label(const char *status);/* "Present", "Apologies", "Absent" */

#endif
