/* Use cases for a meeting's agenda: which cases are discussed (reviews of
 * cases already discussed first, then new cases), the minutes of each
 * discussion, and the feedback given to the family afterwards.  No pupil is
 * put on an agenda or discussed without current parental consent. */
#ifndef TAS_SERVICE_SVC_AGENDA_H
#define TAS_SERVICE_SVC_AGENDA_H

#include "core/codes.h"
#include "core/errors.h"
#include "service/svc.h"
#include "store/q_agenda.h"

struct agenda_view {
    struct meeting_brief meeting;
    size_t n;
    struct agenda_row *rows;    /* in the running order (as moved by hand), voided last; only those the
                                   user may see */
    int *number;                /* each row's number in the running order (0: voided, not in it) */
    size_t hidden;              /* items the user may not see */
};

extern const struct code_list codes_feedback_method;

/* Fills out (free with svc_agenda_free).  Checks ACT_VIEW on the meeting's team (hidden:
 * SVC_NOT_FOUND); items whose case the user may not view are left out and counted in
 * out->hidden.  The rows follow the running order (svc_running_get), as the packs do. */
enum svc_status svc_agenda_get(struct svc_ctx *c, int64_t meeting_id, struct agenda_view *out);
void svc_agenda_free(struct agenda_view *v);
/* Calls fn for the team's cases not yet on the agenda that the user may view, by pupil name.
 * Checks ACT_VIEW on the meeting's team (hidden: SVC_NOT_FOUND). */
enum svc_status svc_agenda_candidates(struct svc_ctx *c, int64_t meeting_id,
                                      void (*fn)(void *arg, const struct agenda_candidate *a), void *arg);
/* Adds one case; a refusal (no consent, closed case, other team, cancelled
 * meeting) is a field error on "case_id" saying why and what to do.
 * Sets *discussion_id (may be NULL).  Checks ACT_VIEW on the meeting's team (hidden:
 * SVC_NOT_FOUND), the right to change the agenda (SVC_FORBIDDEN), that the case is one the user
 * may view (else a field error) and edit (SVC_FORBIDDEN). */
enum svc_status svc_agenda_add(struct svc_ctx *c, int64_t meeting_id, int64_t case_id,
                               struct field_errors *errs, int64_t *discussion_id);
/* Adds every open case of the team that was discussed before and has open
 * actions; counts what was added and what was skipped for lack of consent.
 * Checks the meeting as svc_agenda_add; cases the user may not edit are passed over. */
enum svc_status svc_agenda_add_reviews(struct svc_ctx *c, int64_t meeting_id, int *added,
                                       int *skipped_no_consent);

struct discussion_form {
    const char *minutes;
    const char *fb_day, *fb_month, *fb_year;
    const char *fb_method, *fb_by;
    const char *parent_said, *child_said;   /* families' voice, optional */
};
/* Returns the discussion and its meeting.  Checks ACT_VIEW on the case and on the meeting's
 * team; either hidden: SVC_NOT_FOUND. */
enum svc_status svc_discussion_get(struct svc_ctx *c, int64_t id, struct agenda_row *out,
                                   struct meeting_brief *m);
/* Checks the discussion as svc_discussion_get, then ACT_EDIT on the case (SVC_FORBIDDEN), then
 * minutes (only for a held meeting and with consent today) and the feedback (all three parts,
 * dated between the meeting and today; what the parent or carer and the child said, optional,
 * only once the feedback is dated). */
enum svc_status svc_discussion_save(struct svc_ctx *c, int64_t id, const struct discussion_form *f,
                                    struct field_errors *errs);
/* Checks as svc_discussion_save; a discussion with minutes or actions stays (field error). */
enum svc_status svc_discussion_remove(struct svc_ctx *c, int64_t id, struct field_errors *errs);

#endif
