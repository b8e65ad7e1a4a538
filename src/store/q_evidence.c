#include "store/q_evidence.h"
#include "store/q_map.h"
#include "store/q_params.h"

#include <string.h>

enum store_rc q_case_set_outcome(struct store *s, int64_t case_id, int ei_appropriate, int referral_made,
                                 int64_t now)
{
    return q_run(s,
        "UPDATE cases SET ei_appropriate = ?, referral_made = ?, updated_at = ? WHERE id = ?",
        Q_PARAMS(QP_INT(ei_appropriate), QP_INT(referral_made), QP_INT(now), QP_INT(case_id)));
}

#define STORY_COLS \
    "y.id, y.case_id, y.pattern, y.situation, y.what_tas_did, y.what_changed, y.status, y.review_comment, " \
    "coalesce(y.drafted_by, 0), coalesce(y.approved_on, ''), y.created_at, y.updated_at, c.team_id, t.name, " \
    "s.authority_id, s.id, s.phase, c.opened_on, p.id, p.forenames, p.surname, p.upn, s.name"
#define STORY_FROM \
    " FROM change_stories y JOIN cases c ON c.id = y.case_id JOIN teams t ON t.id = c.team_id " \
    "JOIN pupils p ON p.id = c.pupil_id JOIN schools s ON s.id = p.school_id "
Q_READER(read_story, struct story_row, id, case_id, pattern, situation, what_tas_did, what_changed, status,
         review_comment, drafted_by, approved_on, created_at, updated_at, team_id, team_name, authority_id,
         school_id, phase, opened_on, pupil_id, forenames, surname, upn, school_name)

Q_SINK(story, struct story_row, read_story)

Q_BINDER(bind_story, struct story_row, Q_IN(pattern), Q_IN(situation), Q_IN(what_tas_did), Q_IN(what_changed))

/* A new story names its case and drafter after the texts. */
static int bind_new_story(struct store_stmt *st, const void *rec)
{
    const struct story_row *r = rec;
    int i = bind_story(st, rec);
    store_bind_int(st, i++, r->case_id);
    q_bind_opt_id(st, i++, r->drafted_by);
    return i;
}

enum store_rc q_story_insert(struct store *s, struct story_row *r, int64_t drafted_by, int64_t now)
{
    r->drafted_by = drafted_by;
    return q_insert_rec(s,
        "INSERT INTO change_stories (pattern, situation, what_tas_did, what_changed, case_id, drafted_by, "
        "status, created_at, updated_at) VALUES (?,?,?,?,?,?,'submitted',?,?) RETURNING id",
        bind_new_story, r, now, &r->id);
}

enum store_rc q_story_update(struct store *s, const struct story_row *r, int64_t now)
{
    return q_update_rec(s,
        "UPDATE change_stories SET pattern = ?, situation = ?, what_tas_did = ?, what_changed = ?, "
        "status = 'submitted', approved_on = NULL, updated_at = ? WHERE id = ?",
        bind_story, r, now, r->id);
}

enum store_rc q_story_review(struct store *s, int64_t id, const char *status, const char *comment,
                             const char *approved_on, int64_t by, int64_t now)
{
    return q_run(s,
        "UPDATE change_stories SET status = ?, review_comment = ?, approved_on = ?, reviewed_by = ?, "
        "updated_at = ? WHERE id = ?",
        Q_PARAMS(QP_TEXT(status), QP_TEXT(comment), QP_OPT_TEXT(approved_on), QP_ID(by), QP_INT(now), QP_INT(id)));
}

enum store_rc q_story_get(struct store *s, int64_t id, struct story_row *out)
{
    return q_get_id(s, "SELECT " STORY_COLS STORY_FROM "WHERE y.id = ?", id, read_story, out);
}

enum store_rc q_story_list(struct store *s, const struct visibility *v, const char *status, int64_t case_id,
                           void (*fn)(void *arg, const struct story_row *r), void *arg)
{
    return q_rows(s,
        "SELECT " STORY_COLS STORY_FROM "WHERE (? = '' OR y.status = ?) AND (? = 0 OR y.case_id = ?) AND "
        VIS_TEAM_FILTER("c.team_id", "s.authority_id", "s.id") " ORDER BY y.updated_at DESC, y.id DESC LIMIT 500",
        Q_PARAMS(QP_TEXT_TWICE(status), QP_INT_TWICE(case_id), QP_TEAM_VIS(v)), story_each,
        &(struct story_sink){fn, arg});
}

Q_READER(read_subject, struct story_row, forenames, surname, upn, school_name)

enum store_rc q_story_subject(struct store *s, int64_t case_id, struct story_row *out)
{
    return q_get_id(s,
        "SELECT p.forenames, p.surname, p.upn, s.name FROM cases c JOIN pupils p ON p.id = c.pupil_id "
        "JOIN schools s ON s.id = p.school_id WHERE c.id = ?",
        case_id, read_subject, out);
}
