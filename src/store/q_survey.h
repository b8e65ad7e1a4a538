/* SQL for fast feedback questionnaires: definitions, single-use links
 * (kept as token hashes) and anonymous answers. */
#ifndef TAS_STORE_Q_SURVEY_H
#define TAS_STORE_Q_SURVEY_H

#include "core/policy.h"
#include "store/q_common.h"

struct questionnaire {
    int64_t id;
    int64_t authority_id;
    char title[201];
    char statements[1300];
    char sentiment[201];
    char open_question[201];
};

enum store_rc q_questionnaire_insert(struct store *s, struct questionnaire *q, int64_t now);
enum store_rc q_questionnaire_get(struct store *s, int64_t id, struct questionnaire *out);
/* An authority's questionnaires (0: those of the authorities v shows), by title. */
enum store_rc q_questionnaire_list(struct store *s, const struct visibility *v,
                                   void (*fn)(void *arg, const struct questionnaire *q), void *arg);

/* Stores one link's token hash for a meeting. */
enum store_rc q_feedback_link_insert(struct store *s, int64_t meeting_id, int64_t questionnaire_id,
                                     const char *token_hash, int64_t now);
/* The meeting and questionnaire of an unused link (STORE_DONE: none). */
enum store_rc q_feedback_link_find(struct store *s, const char *token_hash, int64_t *meeting_id,
                                   int64_t *questionnaire_id);
/* Marks the link used and stores the answer and its scores (scores[i] 0:
 * not answered), in one write; STORE_DONE when the link was already used. */
enum store_rc q_feedback_answer(struct store *s, const char *token_hash, const char *org_kind, const int *scores,
                                int nscores, int sentiment, const char *comment);
/* The scores given: org kind, item, score, count; then, as item -1, the
 * respondents (score 0) and sentiments (score 1..5) per org kind. */
enum store_rc q_feedback_results(struct store *s, int64_t questionnaire_id,
                                 void (*fn)(void *arg, const char *org, int item, int score, int64_t n), void *arg);

#endif
