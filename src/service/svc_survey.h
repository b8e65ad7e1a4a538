/* Use cases for fast feedback questionnaires (docs/evidence.md): an
 * authority defines them (RES_REFERENCE create, as the playbook); a
 * coordinator makes single-use links for a meeting's attendees (RES_TEAM
 * edit on its team); anyone holding a link answers once, without signing
 * in, and nothing ties the answer to a person; results by kind of
 * organisation are aggregates (RES_AGGREGATE view, export for CSV), small
 * groups withheld.  SQL: store/q_survey.c. */
#ifndef TAS_SERVICE_SVC_SURVEY_H
#define TAS_SERVICE_SVC_SURVEY_H

#include <stdbool.h>

#include "core/errors.h"
#include "core/survey.h"
#include "service/svc.h"
#include "store/q_survey.h"

#define SURVEY_MAX_LINKS 40
#define SURVEY_TOKEN_HEX 64

struct questionnaire_form {
    const char *authority_id, *title, *statements, *sentiment, *open_question;
};
/* Checks RES_REFERENCE create in the authority (SVC_FORBIDDEN), then the
 * fields (title; 1 to 6 statements of 200 characters or fewer; the two
 * questions). */
enum svc_status svc_questionnaire_create(struct svc_ctx *c, const struct questionnaire_form *f,
                                         struct field_errors *errs, int64_t *id);
/* Those of the authorities the user may list reference data of (SVC_FORBIDDEN: none). */
enum svc_status svc_questionnaire_list(struct svc_ctx *c, void (*fn)(void *arg, const struct questionnaire *q),
                                       void *arg);

/* Whether the user may make links for the meeting: SVC_NOT_FOUND when it is
 * hidden, SVC_FORBIDDEN without RES_TEAM edit on its team; *authority_id
 * (may be NULL) its team's authority. */
enum svc_status svc_feedback_links_allowed(struct svc_ctx *c, int64_t meeting_id, int64_t *authority_id);
/* Makes n (1..SURVEY_MAX_LINKS) links for a meeting and writes their
 * tokens (SURVEY_TOKEN_HEX hex characters each, shown once, stored only
 * hashed) to tokens.  Checks the meeting is visible (SVC_NOT_FOUND), RES_TEAM
 * edit (SVC_FORBIDDEN), a questionnaire of the team's authority and n
 * (field errors questionnaire_id, count). */
enum svc_status svc_feedback_links(struct svc_ctx *c, int64_t meeting_id, const char *questionnaire_id,
                                   const char *count, struct field_errors *errs,
                                   char tokens[][SURVEY_TOKEN_HEX + 1], int *n);

/* The questionnaire a link opens: SVC_NOT_FOUND when the token is unknown
 * or spent (the caller counts that against the address).  No policy: the
 * token is the permission. */
enum svc_status svc_feedback_open(struct svc_ctx *c, const char *token, struct questionnaire *out);
struct feedback_form {
    const char *org_kind;
    const char *scores[SURVEY_MAX_ITEMS];   /* "1".."5" or empty */
    const char *sentiment, *comment;
};
/* Answers through a link, once: SVC_NOT_FOUND when unknown or spent; field
 * errors for the organisation (required) and out-of-range answers.  Stores
 * no user, address or time. */
enum svc_status svc_feedback_answer(struct svc_ctx *c, const char *token, const struct feedback_form *f,
                                    struct field_errors *errs);

/* Whether the address must wait before trying another link (*wait
 * seconds), and recording a wrong or spent link against it. */
bool svc_feedback_throttled(struct svc_ctx *c, int64_t *wait);
void svc_feedback_refused(struct svc_ctx *c);

/* Results of a questionnaire by kind of organisation, withheld below the
 * authority's disclosure threshold (SVC_NOT_FOUND when the questionnaire
 * is outside what the user may see aggregates of). */
enum svc_status svc_feedback_results(struct svc_ctx *c, int64_t questionnaire_id, enum action a,
                                     struct questionnaire *q, struct survey_results *out, int *threshold);

#endif
