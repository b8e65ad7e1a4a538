#include "service/svc_worklist.h"

#include "core/calendar.h"
#include "core/workflow.h"
#include "service/svc_cases.h"
#include "service/svc_pupils.h"

static bool any(const struct visibility *v)
{
    return !policy_visible_none(v);
}

struct review_filter {
    const struct work_sink *sink;
    int32_t today;
};

static void review_row(void *arg, const struct work_case *w)
{
    struct review_filter *rf = arg;
    int32_t last = 0;
    if (w->last_discussed[0] && day_parse(w->last_discussed, &last) != 0)
        last = 0;
    if (case_due_for_review(true, (int)w->overdue_actions, (int)w->open_actions, last, rf->today,
                            WORK_REVIEW_AFTER_DAYS))
        rf->sink->review(rf->sink->arg, w);
}

enum svc_status svc_work_lists(struct svc_ctx *c, const struct work_sink *sink, struct work_which *which)
{
    which->coordination = false;
    which->mine = false;
    which->school = false;
    struct visibility cases, teams, runs;
    policy_visible(c->who, RES_CASE, ACT_LIST, &cases);
    if (!any(&cases))
        return SVC_FORBIDDEN;
    policy_visible(c->who, RES_TEAM, ACT_LIST, &teams);
    policy_visible(c->who, RES_TEAM, ACT_EDIT, &runs);
    enum store_rc rc = STORE_OK;
    if (any(&runs)) {
        which->coordination = true;
        struct review_filter rf = {sink, 0};
        if (day_parse(c->today, &rf.today) != 0)
            return SVC_ERROR;
        if (sink->overdue)
            rc = q_work_overdue(c->db, &cases, c->today, sink->overdue, sink->arg);
        if (rc == STORE_OK && sink->review)
            rc = q_work_open_cases(c->db, &cases, c->today, review_row, &rf);
        if (rc == STORE_OK && sink->minutes)
            rc = q_work_minutes(c->db, &teams, c->today, sink->minutes, sink->arg);
        if (rc == STORE_OK && sink->feedback)
            rc = q_work_feedback(c->db, &cases, c->today, sink->feedback, sink->arg);
    }
    int64_t linked = 0;
    if (rc == STORE_OK && c->who->user_id > 0)
        rc = q_practitioners_of_user(c->db, c->who->user_id, &linked);
    if (rc == STORE_OK && linked > 0) {
        which->mine = true;
        if (sink->mine)
            rc = q_work_owned(c->db, &cases, c->today, c->who->user_id, sink->mine, sink->arg);
    }
    struct visibility staff = {0};
    staff.nschools = policy_staff_schools(c->who, staff.school_ids, POLICY_MAX_VISIBLE);
    if (rc == STORE_OK && staff.nschools > 0) {
        which->school = true;
        if (sink->school)
            rc = q_work_school(c->db, &staff, c->today, sink->school, sink->arg);
    }
    return svc_from_store(rc);
}

enum svc_status svc_chronology(struct svc_ctx *c, int64_t pupil_id, struct pupil_row *p,
                               void (*fn)(void *arg, const struct chron_event *e), void *arg)
{
    enum svc_status st = svc_pupil_get(c, pupil_id, p);
    if (st == SVC_FORBIDDEN)
        st = SVC_NOT_FOUND;
    if (st != SVC_OK)
        return st;
    if (!svc_case_allowed(c, ACT_VIEW, p))
        return SVC_NOT_FOUND;
    return svc_from_store(q_chronology(c->db, pupil_id, fn, arg));
}
