#include "store/q_survey.h"
#include "store/q_map.h"
#include "store/q_params.h"

#include <string.h>

Q_READER(read_questionnaire, struct questionnaire, id, authority_id, title, statements, sentiment, open_question)

Q_SINK(questionnaire, struct questionnaire, read_questionnaire)

#define QUESTIONNAIRE_COLS "id, authority_id, title, statements, sentiment, open_question"

Q_BINDER(bind_questionnaire, struct questionnaire, Q_IN(authority_id), Q_IN(title), Q_IN(statements),
         Q_IN(sentiment), Q_IN(open_question))

enum store_rc q_questionnaire_insert(struct store *s, struct questionnaire *q, int64_t now)
{
    return q_insert_rec(s,
        "INSERT INTO questionnaires (authority_id, title, statements, sentiment, open_question, created_at, "
        "updated_at) VALUES (?,?,?,?,?,?,?) RETURNING id",
        bind_questionnaire, q, now, &q->id);
}

enum store_rc q_questionnaire_get(struct store *s, int64_t id, struct questionnaire *out)
{
    return q_get_id(s, "SELECT " QUESTIONNAIRE_COLS " FROM questionnaires WHERE id = ?", id, read_questionnaire,
                    out);
}

enum store_rc q_questionnaire_list(struct store *s, const struct visibility *v,
                                   void (*fn)(void *arg, const struct questionnaire *q), void *arg)
{
    return q_rows(s,
        "SELECT " QUESTIONNAIRE_COLS " FROM questionnaires WHERE " VIS_FILTER("authority_id", "0")
        " ORDER BY title, id",
        Q_PARAMS(QP_VIS(v)), questionnaire_each, &(struct questionnaire_sink){fn, arg});
}

enum store_rc q_feedback_link_insert(struct store *s, int64_t meeting_id, int64_t questionnaire_id,
                                     const char *token_hash, int64_t now)
{
    return q_run(s,
        "INSERT INTO feedback_links (meeting_id, questionnaire_id, token_hash, created_at) VALUES (?,?,?,?)",
        Q_PARAMS(QP_INT(meeting_id), QP_INT(questionnaire_id), QP_TEXT(token_hash), QP_INT(now)));
}

enum store_rc q_feedback_link_find(struct store *s, const char *token_hash, int64_t *meeting_id,
                                   int64_t *questionnaire_id)
{
    return q_row(s,
        "SELECT meeting_id, questionnaire_id FROM feedback_links WHERE token_hash = ? AND used = 0",
        Q_PARAMS(QP_TEXT(token_hash)), q_read_ints, (int64_t *[]){meeting_id, questionnaire_id, NULL});
}

enum store_rc q_feedback_answer(struct store *s, const char *token_hash, const char *org_kind, const int *scores,
                                int nscores, int sentiment, const char *comment)
{
    enum store_rc rc = store_begin_write(s);
    int64_t meeting = 0, questionnaire = 0, answer = 0;
    if (rc == STORE_OK) {
        /* The link is spent first: a second answer through it finds nothing. */
        rc = q_row(s,
            "UPDATE feedback_links SET used = 1 WHERE token_hash = ? AND used = 0 "
            "RETURNING meeting_id, questionnaire_id",
            Q_PARAMS(QP_TEXT(token_hash)), q_read_ints, (int64_t *[]){&meeting, &questionnaire, NULL});
        rc = rc == STORE_ROW ? STORE_OK : rc;   /* STORE_DONE: spent or unknown, nothing written */
    }
    if (rc == STORE_OK) {
        rc = q_int(s,
            "INSERT INTO feedback_answers (meeting_id, questionnaire_id, org_kind, sentiment, comment) "
            "VALUES (?,?,?,?,?) RETURNING id",
            Q_PARAMS(QP_INT(meeting), QP_INT(questionnaire), QP_TEXT(org_kind),
                     QP_INT_IF(sentiment >= 1 && sentiment <= 5, sentiment), QP_TEXT(comment)), &answer);
    }
    for (int i = 0; rc == STORE_OK && i < nscores; i++) {
        if (scores[i] < 1)
            continue;
        rc = q_run(s, "INSERT INTO feedback_scores (answer_id, item, score) VALUES (?,?,?)",
            Q_PARAMS(QP_INT(answer), QP_INT(i), QP_INT(scores[i])));
    }
    return store_end_write(s, rc);
}

struct result_sink {
    void (*fn)(void *arg, const char *org, int item, int score, int64_t n);
    void *arg;
};

static void result_each(struct store_stmt *st, void *sink)
{
    const struct result_sink *k = sink;
    k->fn(k->arg, store_col_text(st, 0), (int)store_col_int(st, 1), (int)store_col_int(st, 2), store_col_int(st, 3));
}

enum store_rc q_feedback_results(struct store *s, int64_t questionnaire_id,
                                 void (*fn)(void *arg, const char *org, int item, int score, int64_t n), void *arg)
{
    return q_rows(s,
        "SELECT a.org_kind, x.item, x.score, count(*) FROM feedback_answers a "
        "JOIN feedback_scores x ON x.answer_id = a.id WHERE a.questionnaire_id = ? "
        "GROUP BY a.org_kind, x.item, x.score "
        "UNION ALL SELECT a.org_kind, -1, coalesce(a.sentiment, 0), count(*) FROM feedback_answers a "
        "WHERE a.questionnaire_id = ? GROUP BY a.org_kind, coalesce(a.sentiment, 0)",
        Q_PARAMS(QP_INT(questionnaire_id), QP_INT(questionnaire_id)), result_each, &(struct result_sink){fn, arg});
}
