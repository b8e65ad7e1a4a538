#include "service/svc_survey.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/casefile.h"
#include "core/validate.h"
#include "service/password.h"
#include "service/svc_meetings.h"
#include "core/throttle.h"
#include "store/q_dashboard.h"
#include "store/q_sessions.h"

static const char *sv(const char *s)
{
    return s ? s : "";
}

enum svc_status svc_questionnaire_create(struct svc_ctx *c, const struct questionnaire_form *f,
                                         struct field_errors *errs, int64_t *id)
{
    struct questionnaire q = {0};
    q.authority_id = strtoll(sv(f->authority_id), NULL, 10);
    if (q.authority_id <= 0 || !svc_allowed(c, ACT_CREATE, RES_REFERENCE, 0, q.authority_id, 0))
        return SVC_FORBIDDEN;
    char items[SURVEY_MAX_ITEMS][SURVEY_ITEM_MAX];
    if (trim_copy(sv(f->title), q.title, sizeof q.title) < 0 || !text_is_clean(q.title, 0) || !q.title[0])
        field_errors_add(errs, "title", "Enter a title of 200 characters or fewer");
    if (case_text(f->statements, q.statements, sizeof q.statements, "statements", "The statements", errs) == 0 &&
        survey_items(q.statements, items) < 0)
        field_errors_add(errs, "statements", "Enter 1 to 6 statements, one a line, each 200 characters or fewer");
    if (trim_copy(sv(f->sentiment), q.sentiment, sizeof q.sentiment) < 0 || !text_is_clean(q.sentiment, 0) ||
        !q.sentiment[0])
        field_errors_add(errs, "sentiment", "Enter the sentiment question, 200 characters or fewer");
    if (trim_copy(sv(f->open_question), q.open_question, sizeof q.open_question) < 0 ||
        !text_is_clean(q.open_question, 0) || !q.open_question[0])
        field_errors_add(errs, "open_question", "Enter the open question, 200 characters or fewer");
    if (errs->count)
        return SVC_INVALID;
    enum svc_status st = svc_from_store(q_questionnaire_insert(c->db, &q, c->now));
    if (st == SVC_OK && id)
        *id = q.id;
    return st;
}

enum svc_status svc_questionnaire_list(struct svc_ctx *c, void (*fn)(void *arg, const struct questionnaire *q),
                                       void *arg)
{
    struct visibility v;
    enum svc_status st = svc_list_visible(c, RES_REFERENCE, &v);
    return st != SVC_OK ? st : svc_from_store(q_questionnaire_list(c->db, &v, fn, arg));
}

enum svc_status svc_feedback_links_allowed(struct svc_ctx *c, int64_t meeting_id, int64_t *authority_id)
{
    struct meeting_row *m = malloc(sizeof *m);
    enum svc_status st = m ? svc_meeting_get(c, meeting_id, m) : SVC_ERROR;
    if (st == SVC_OK && !svc_allowed(c, ACT_EDIT, RES_TEAM, m->m.team_id, m->authority_id, m->host_school_id))
        st = SVC_FORBIDDEN;
    if (st == SVC_OK && authority_id)
        *authority_id = m->authority_id;
    free(m);
    return st;
}

enum svc_status svc_feedback_links(struct svc_ctx *c, int64_t meeting_id, const char *questionnaire_id,
                                   const char *count, struct field_errors *errs,
                                   char tokens[][SURVEY_TOKEN_HEX + 1], int *n)
{
    *n = 0;
    int64_t authority = 0;
    enum svc_status st = svc_feedback_links_allowed(c, meeting_id, &authority);
    if (st != SVC_OK)
        return st;
    struct questionnaire q;
    int64_t qid = strtoll(sv(questionnaire_id), NULL, 10);
    if (qid <= 0 || q_questionnaire_get(c->db, qid, &q) != STORE_ROW || q.authority_id != authority)
        field_errors_add(errs, "questionnaire_id", "Select a questionnaire of this authority");
    long want = strtol(sv(count), NULL, 10);
    if (want < 1 || want > SURVEY_MAX_LINKS)
        field_errors_add(errs, "count", "Enter how many links, from 1 to 40: one for each person at the meeting");
    if (errs->count)
        return SVC_INVALID;
    enum store_rc rc = store_begin_write(c->db);
    for (long i = 0; rc == STORE_OK && i < want; i++) {
        char hash[65];
        random_hex(tokens[i], SURVEY_TOKEN_HEX / 2);   /* 256 bits from libsodium's randombytes */
        sha256_hex(tokens[i], hash);
        rc = q_feedback_link_insert(c->db, meeting_id, qid, hash, c->now);
    }
    rc = store_end_write(c->db, rc);
    if (rc == STORE_OK)
        *n = (int)want;
    return svc_from_store(rc);
}

/* A token as sent: exactly SURVEY_TOKEN_HEX lower-case hex characters. */
static bool token_ok(const char *t)
{
    if (!t || strlen(t) != SURVEY_TOKEN_HEX)
        return false;
    for (const char *p = t; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return false;
    return true;
}

enum svc_status svc_feedback_open(struct svc_ctx *c, const char *token, struct questionnaire *out)
{
    if (!token_ok(token))
        return SVC_NOT_FOUND;
    char hash[65];
    sha256_hex(token, hash);
    int64_t meeting = 0, qid = 0;
    enum store_rc rc = q_feedback_link_find(c->db, hash, &meeting, &qid);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    return svc_from_get(q_questionnaire_get(c->db, qid, out));
}

static int score_of(const char *s, struct field_errors *errs, const char *field)
{
    if (!s || !*s)
        return 0;
    if (strlen(s) != 1 || s[0] < '1' || s[0] > '5') {
        field_errors_add(errs, field, "Choose one of the answers");
        return 0;
    }
    return s[0] - '0';
}

enum svc_status svc_feedback_answer(struct svc_ctx *c, const char *token, const struct feedback_form *f,
                                    struct field_errors *errs)
{
    struct questionnaire q;
    enum svc_status st = svc_feedback_open(c, token, &q);
    if (st != SVC_OK)
        return st;
    char items[SURVEY_MAX_ITEMS][SURVEY_ITEM_MAX];
    int nitems = survey_items(q.statements, items);
    if (!f->org_kind || !code_find(&codes_org_group, f->org_kind))
        field_errors_add(errs, "org_kind", "Select the kind of organisation you work for");
    int scores[SURVEY_MAX_ITEMS] = {0};
    for (int i = 0; i < nitems; i++) {
        char field[16];
        snprintf(field, sizeof field, "s%d", i);
        scores[i] = score_of(f->scores[i], errs, field);
    }
    int sentiment = score_of(f->sentiment, errs, "sentiment");
    char comment[2001];
    case_text(f->comment, comment, sizeof comment, "comment", "Your answer", errs);
    if (errs->count)
        return SVC_INVALID;
    char hash[65];
    sha256_hex(token, hash);
    return svc_from_get(q_feedback_answer(c->db, hash, f->org_kind, scores, nitems, sentiment, comment));
}

static void tally(void *arg, const char *org, int item, int score, int64_t n)
{
    struct survey_results *r = arg;
    int g = -1;
    for (size_t i = 0; i < codes_org_group.count; i++)
        if (!strcmp(codes_org_group.entries[i].code, org))
            g = (int)i;
    if (g < 0)
        return;
    if (item < 0) {
        r->respondents[g] += n;
        if (score >= 1 && score <= 5) {
            r->sentiment_sum[g] += score * n;
            r->sentiment_n[g] += n;
        }
        return;
    }
    for (int64_t k = 0; k < n; k++)
        survey_add_score(r, g, item, score);
}

enum svc_status svc_feedback_results(struct svc_ctx *c, int64_t questionnaire_id, enum action a,
                                     struct questionnaire *q, struct survey_results *out, int *threshold)
{
    memset(out, 0, sizeof *out);
    enum store_rc rc = q_questionnaire_get(c->db, questionnaire_id, q);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    if (!svc_allowed(c, ACT_VIEW, RES_AGGREGATE, 0, q->authority_id, 0))
        return SVC_NOT_FOUND;
    if (a != ACT_VIEW && !svc_allowed(c, a, RES_AGGREGATE, 0, q->authority_id, 0))
        return SVC_FORBIDDEN;
    char items[SURVEY_MAX_ITEMS][SURVEY_ITEM_MAX];
    out->nitems = survey_items(q->statements, items);
    int64_t t = 0;
    if (q_disclosure_get(c->db, q->authority_id, &t) != STORE_OK ||
        q_feedback_results(c->db, questionnaire_id, tally, out) != STORE_OK)
        return SVC_ERROR;
    *threshold = t >= 2 ? (int)t : 5;
    survey_suppress(out, *threshold);
    return SVC_OK;
}

/* Wrong or spent tokens count against the address, as wrong passwords do
 * at sign-in (the same rules and table, key "f:" and the address). */
static void throttle_key(const struct svc_ctx *c, char key[80])
{
    snprintf(key, 80, "f:%s", c->remote_addr);
}

bool svc_feedback_throttled(struct svc_ctx *c, int64_t *wait)
{
    char key[80];
    throttle_key(c, key);
    struct throttle_row r;
    *wait = 0;
    if (q_throttle_get(c->db, key, &r) == STORE_ERROR)
        return true;
    struct throttle_state ts = {r.failures, r.next_attempt_at, r.locked_until, r.updated_at};
    return throttle_check(&ts, c->now, wait) != THROTTLE_ALLOW;
}

void svc_feedback_refused(struct svc_ctx *c)
{
    char key[80];
    throttle_key(c, key);
    struct throttle_row r;
    if (q_throttle_get(c->db, key, &r) == STORE_ERROR)
        return;
    struct throttle_state ts = {r.failures, r.next_attempt_at, r.locked_until, r.updated_at};
    throttle_fail(&throttle_default_rules, &ts, c->now);
    struct throttle_row w = {ts.failures, ts.next_attempt_at, ts.locked_until, c->now};
    (void)q_throttle_put(c->db, key, &w, c->now);
}
