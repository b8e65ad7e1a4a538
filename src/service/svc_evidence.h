/* Use cases for the evidence Annex A of the Bedford report plans: the
 * coordinator's classification of a closed case in the outcomes matrix,
 * and change stories (drafted by someone who may change the case,
 * approved or returned by the coordinator, released to evaluators without
 * identifiers).  Policy: RES_CASE for drafting and reading a story beside
 * its case; RES_EVIDENCE (edit) for classifying and reviewing; RES_EVIDENCE
 * (view) for the released stories.  SQL: store/q_evidence.c. */
#ifndef TAS_SERVICE_SVC_EVIDENCE_H
#define TAS_SERVICE_SVC_EVIDENCE_H

#include <stdbool.h>

#include "core/errors.h"
#include "core/evidence.h"
#include "service/svc.h"
#include "store/q_evidence.h"

/* Sets the case's place in the outcomes matrix; ei and referral are "yes"
 * or "no".  Checks the case is visible (SVC_NOT_FOUND), RES_EVIDENCE edit
 * on its team (SVC_FORBIDDEN), that it is closed and both answers given
 * (field errors ei_appropriate, referral_made). */
enum svc_status svc_case_outcome_set(struct svc_ctx *c, int64_t case_id, const char *ei, const char *referral,
                                     struct field_errors *errs);
/* Whether the user may classify this case (and review its stories). */
bool svc_case_outcome_allowed(const struct svc_ctx *c, int64_t case_id, int64_t team_id, int64_t authority_id,
                              int64_t school_id);

struct story_form {
    const char *pattern, *situation, *what_tas_did, *what_changed;
};
/* Drafts a story for a case and puts it in the coordinator's queue; sets
 * *id.  Checks the case is visible (SVC_NOT_FOUND) and editable
 * (SVC_FORBIDDEN); every field is required, and no text may name the pupil
 * or the school (field errors). */
enum svc_status svc_story_create(struct svc_ctx *c, int64_t case_id, const struct story_form *f,
                                 struct field_errors *errs, int64_t *id);
/* Changes a story (any status) and puts it back in the queue, unreleased.
 * Checks as svc_story_get, then the case editable (SVC_FORBIDDEN), then
 * the fields as svc_story_create. */
enum svc_status svc_story_update(struct svc_ctx *c, int64_t id, const struct story_form *f,
                                 struct field_errors *errs);
/* The whole story, for those who may view its case (else SVC_NOT_FOUND). */
enum svc_status svc_story_get(struct svc_ctx *c, int64_t id, struct story_row *out);
/* decision "approve" (released to evaluators; audited) or "return" (with
 * a comment).  Checks as svc_story_get, then RES_EVIDENCE edit
 * (SVC_FORBIDDEN), then that it awaits review, and refuses approval of a
 * text naming the pupil (first or last name, UPN) or the school (field
 * errors on decision). */
enum svc_status svc_story_review(struct svc_ctx *c, int64_t id, const char *decision, const char *comment,
                                 struct field_errors *errs);
/* The stories of a case the user may view, any status (else SVC_NOT_FOUND). */
enum svc_status svc_story_list_case(struct svc_ctx *c, int64_t case_id,
                                    void (*fn)(void *arg, const struct story_row *r), void *arg);
/* Stories awaiting review that the user may approve, newest first
 * (SVC_FORBIDDEN when they may approve none). */
enum svc_status svc_story_queue(struct svc_ctx *c, void (*fn)(void *arg, const struct story_row *r), void *arg);

/* A released story as evaluators see it: nothing that names the pupil,
 * the school or the case. */
struct story_released {
    int64_t id;
    char team_name[161];
    char phase[16];
    int academic_year;             /* starting year of the case's opening */
    char pattern[24];
    char situation[STORY_TEXT_MAX];
    char what_tas_did[STORY_TEXT_MAX];
    char what_changed[STORY_TEXT_MAX];
};
/* Approved stories in the user's RES_EVIDENCE scope, newest first
 * (SVC_FORBIDDEN when none may be seen). */
enum svc_status svc_story_released_list(struct svc_ctx *c, void (*fn)(void *arg, const struct story_released *r),
                                        void *arg);
/* One approved story (else SVC_NOT_FOUND, as for one out of scope). */
enum svc_status svc_story_released_get(struct svc_ctx *c, int64_t id, struct story_released *out);

#endif
