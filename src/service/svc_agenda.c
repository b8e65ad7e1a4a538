#include "service/svc_agenda.h"
#include "lib/count.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/casefile.h"
#include "core/validate.h"
#include "core/workflow.h"
#include "service/svc_cases.h"
#include "service/svc_cohorts.h"
#include "store/q_cases.h"

static const struct code_entry feedback_methods[] = {
    {"phone", "Phone call", NULL},
    {"in_person", "Met in person", NULL},
    {"letter_email", "Letter or email", NULL},
    {"team_around_family", "At a Team Around the Family meeting", NULL},
    {"other", "Other", NULL},
};
const struct code_list codes_feedback_method = {"feedback_method", feedback_methods,
                                                COUNT(feedback_methods)};

static enum svc_status meeting_for(struct svc_ctx *c, int64_t id, enum action a, struct meeting_brief *m)
{
    enum store_rc rc = q_meeting_brief(c->db, id, m);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    if (!svc_allowed(c, ACT_VIEW, RES_TEAM, m->team_id, m->authority_id, m->host_school_id))
        return SVC_NOT_FOUND;
    if (a != ACT_VIEW && !svc_allowed(c, ACT_EDIT, RES_CASE, 0, m->authority_id, 0) &&
        !svc_allowed(c, ACT_CREATE, RES_CASE, 0, m->authority_id, m->host_school_id))
        return SVC_FORBIDDEN;
    return SVC_OK;
}

static int32_t day_or_zero(const char *s)
{
    int32_t d = 0;
    return s && *s && day_parse(s, &d) == 0 ? d : 0;
}

struct collect {
    struct svc_ctx *c;
    struct agenda_row *rows;
    size_t n, cap;
    size_t hidden;
    bool failed;
};

static void collect_row(void *arg, const struct agenda_row *r)
{
    struct collect *col = arg;
    if (!svc_allowed(col->c, ACT_VIEW, RES_CASE, r->case_id, r->authority_id, r->school_id)) {
        col->hidden++;
        return;
    }
    col->rows = svc_room(col->rows, col->n, &col->cap, sizeof *col->rows, 8, &col->failed);
    if (col->failed)
        return;
    col->rows[col->n++] = *r;
}

enum svc_status svc_agenda_get(struct svc_ctx *c, int64_t meeting_id, struct agenda_view *out)
{
    memset(out, 0, sizeof *out);
    enum svc_status st = meeting_for(c, meeting_id, ACT_VIEW, &out->meeting);
    if (st != SVC_OK)
        return st;
    struct collect col = {c, NULL, 0, 0, 0, false};
    enum store_rc rc = q_agenda_list(c->db, meeting_id, c->today, collect_row, &col);
    if (rc != STORE_OK || col.failed) {
        free(col.rows);
        return SVC_ERROR;
    }
    /* Order by the workflow rule, then lay the rows out in that order. */
    struct agenda_entry *e = calloc(col.n ? col.n : 1, sizeof *e);
    struct agenda_row *ordered = malloc((col.n ? col.n : 1) * sizeof *ordered);
    if (!e || !ordered) {
        free(e);
        free(ordered);
        free(col.rows);
        return SVC_ERROR;
    }
    for (size_t i = 0; i < col.n; i++) {
        e[i].case_id = (int64_t)i;   /* index: ties are broken by it, i.e. storage order */
        e[i].review = strcmp(col.rows[i].kind, "review") == 0;
        e[i].overdue_actions = (int)col.rows[i].overdue_actions;
        e[i].open_actions = (int)col.rows[i].open_actions;
        e[i].first_discussed = day_or_zero(col.rows[i].first_discussed);
        e[i].created = col.rows[i].case_created;
    }
    agenda_order(e, col.n);
    for (size_t i = 0; i < col.n; i++)
        ordered[i] = col.rows[e[i].case_id];
    free(e);
    free(col.rows);
    out->rows = ordered;
    out->n = col.n;
    out->hidden = col.hidden;
    out->number = calloc(col.n ? col.n : 1, sizeof *out->number);
    if (!out->number) {
        svc_agenda_free(out);
        return SVC_ERROR;
    }
    /* The order set by hand (the running order, which the packs follow)
     * decides, so the page's sections list their cases as the meeting
     * takes them; voided items, outside the running order, come last in
     * the rule's order. */
    struct running_view rv;
    if (svc_running_get(c, meeting_id, &rv) != SVC_OK) {
        svc_agenda_free(out);
        return SVC_ERROR;
    }
    for (size_t i = 0; i < out->n; i++)
        for (size_t k = 0; k < rv.n; k++)
            if (rv.items[k].kind != AGENDA_COHORT && rv.items[k].id == out->rows[i].id)
                out->number[i] = (int)k + 1;
    svc_running_free(&rv);
    /* Insertion sort: stable, and agendas are short. */
    for (size_t i = 1; i < out->n; i++) {
        struct agenda_row r = out->rows[i];
        int num = out->number[i];
        int key = num ? num : 1 << 30;
        size_t j = i;
        while (j > 0 && (out->number[j - 1] ? out->number[j - 1] : 1 << 30) > key) {
            out->rows[j] = out->rows[j - 1];
            out->number[j] = out->number[j - 1];
            j--;
        }
        out->rows[j] = r;
        out->number[j] = num;
    }
    return SVC_OK;
}

void svc_agenda_free(struct agenda_view *v)
{
    free(v->rows);
    free(v->number);
    v->number = NULL;
    v->rows = NULL;
    v->n = 0;
}

static bool candidate_visible(struct svc_ctx *c, const struct agenda_candidate *a)
{
    return svc_allowed(c, ACT_VIEW, RES_CASE, a->case_id, a->authority_id, a->school_id);
}

SVC_ROW_FILTER(cand_filter, struct agenda_candidate, candidate_visible)

enum svc_status svc_agenda_candidates(struct svc_ctx *c, int64_t meeting_id,
                                      void (*fn)(void *arg, const struct agenda_candidate *a), void *arg)
{
    struct meeting_brief m;
    enum svc_status st = meeting_for(c, meeting_id, ACT_VIEW, &m);
    if (st != SVC_OK)
        return st;
    struct cand_filter cf = {.c = c, .fn = fn, .arg = arg};
    return svc_from_store(q_agenda_candidates(c->db, meeting_id, c->today, cand_filter_row, &cf));
}

enum svc_status svc_agenda_add(struct svc_ctx *c, int64_t meeting_id, int64_t case_id,
                               struct field_errors *errs, int64_t *discussion_id)
{
    struct meeting_brief m;
    enum svc_status st = meeting_for(c, meeting_id, ACT_EDIT, &m);
    if (st != SVC_OK)
        return st;
    struct case_row *cr = malloc(sizeof *cr);
    if (!cr)
        return SVC_ERROR;
    st = case_id > 0 ? svc_case_get(c, case_id, cr) : SVC_NOT_FOUND;
    if (st == SVC_NOT_FOUND) {
        field_errors_add(errs, "case_id", "Select a case from the list");
        st = SVC_INVALID;
    } else if (st == SVC_OK) {
        if (!svc_allowed(c, ACT_EDIT, RES_CASE, cr->id, cr->authority_id, cr->school_id))
            st = SVC_FORBIDDEN;
        else if (strcmp(m.status, "cancelled") == 0)
            field_errors_add(errs, "case_id", "This meeting was cancelled. Add the case to another meeting.");
        else if (cr->team_id != m.team_id)
            field_errors_add(errs, "case_id", "This case belongs to another team");
        else if (strcmp(cr->status, "open") != 0)
            field_errors_add(errs, "case_id", "This case is closed. Re-open it to discuss the pupil again.");
        else {
            enum consent_verdict v;
            if (svc_consent_verdict(c, cr->pupil_id, 0, &v) != SVC_OK)
                st = SVC_ERROR;
            else if (v != CONSENT_OK)
                field_errors_add(errs, "case_id", consent_message(v));
        }
    }
    free(cr);
    if (st != SVC_OK)
        return st;
    if (errs->count)
        return SVC_INVALID;
    /* A review when the case was discussed at an earlier meeting. */
    int64_t before = 0;
    if (q_case_discussions_before(c->db, case_id, m.meeting_date, &before) != STORE_OK)
        return SVC_ERROR;
    enum store_rc rc = q_discussion_add(c->db, meeting_id, case_id, before > 0 ? "review" : "new", c->now,
                                        discussion_id);
    return svc_from_save(rc, errs, "case_id", "This case is already on the agenda");
}

struct review_ctx {
    int64_t ids[256];
    size_t n;
};

static void pick_review(void *arg, const struct agenda_candidate *a)
{
    struct review_ctx *rc = arg;
    if (a->discussed_before && (a->open_actions > 0 || a->overdue_actions > 0) && rc->n < 256)
        rc->ids[rc->n++] = a->case_id;
}

enum svc_status svc_agenda_add_reviews(struct svc_ctx *c, int64_t meeting_id, int *added,
                                       int *skipped_no_consent)
{
    *added = *skipped_no_consent = 0;
    struct review_ctx *r = calloc(1, sizeof *r);
    if (!r)
        return SVC_ERROR;
    enum svc_status st = svc_agenda_candidates(c, meeting_id, pick_review, r);
    for (size_t i = 0; st == SVC_OK && i < r->n; i++) {
        struct field_errors e = {0};
        int64_t id;
        enum svc_status one = svc_agenda_add(c, meeting_id, r->ids[i], &e, &id);
        if (one == SVC_OK)
            (*added)++;
        else if (one == SVC_INVALID)
            (*skipped_no_consent)++;
        else if (one != SVC_FORBIDDEN)
            st = one;
    }
    free(r);
    return st;
}

enum svc_status svc_discussion_get(struct svc_ctx *c, int64_t id, struct agenda_row *out,
                                   struct meeting_brief *m)
{
    enum store_rc rc = q_discussion_get(c->db, id, c->today, out);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    if (!svc_allowed(c, ACT_VIEW, RES_CASE, out->case_id, out->authority_id, out->school_id))
        return SVC_NOT_FOUND;
    return meeting_for(c, out->meeting_id, ACT_VIEW, m);
}

/* A discussion to change: visible (else not found) and its case editable
 * (else forbidden); m receives its meeting, *pupil_id its pupil. */
static enum svc_status discussion_for_edit(struct svc_ctx *c, int64_t id, struct meeting_brief *m,
                                           int64_t *pupil_id)
{
    struct agenda_row *r = malloc(sizeof *r);
    if (!r)
        return SVC_ERROR;
    enum svc_status st = svc_discussion_get(c, id, r, m);
    if (st == SVC_OK && !svc_allowed(c, ACT_EDIT, RES_CASE, r->case_id, r->authority_id, r->school_id))
        st = SVC_FORBIDDEN;
    if (st == SVC_OK)
        *pupil_id = r->pupil_id;
    free(r);
    return st;
}

enum svc_status svc_discussion_save(struct svc_ctx *c, int64_t id, const struct discussion_form *f,
                                    struct field_errors *errs)
{
    struct meeting_brief m;
    int64_t pupil = 0;
    enum svc_status st = discussion_for_edit(c, id, &m, &pupil);
    if (st != SVC_OK)
        return st;
    char minutes[4001];
    if (case_text(f->minutes, minutes, sizeof minutes, "minutes", "The minutes", errs) == 0 && minutes[0]) {
        if (strcmp(m.status, "held") != 0)
            field_errors_add(errs, "minutes", strcmp(m.status, "cancelled") == 0
                                                  ? "This meeting was cancelled, so there are no minutes to record"
                                                  : "Mark the meeting as held before recording minutes");
        /* Consent as it stood on the day of the meeting. */
        enum consent_verdict v = CONSENT_NONE;
        struct svc_ctx on_day = *c;
        snprintf(on_day.today, sizeof on_day.today, "%s", m.meeting_date);
        if (svc_consent_verdict(&on_day, pupil, 0, &v) != SVC_OK)
            return SVC_ERROR;
        if (v != CONSENT_OK)
            field_errors_add(errs, "minutes", consent_message(v));
    }
    char fb_on[11] = "";
    bool any_date = (f->fb_day && *f->fb_day) || (f->fb_month && *f->fb_month) || (f->fb_year && *f->fb_year);
    if (any_date) {
        if (parse_date_parts(f->fb_day, f->fb_month, f->fb_year, fb_on) != 0) {
            field_errors_add(errs, "feedback_on", "The date of the feedback must be a real date");
            fb_on[0] = '\0';
        } else if (strcmp(fb_on, m.meeting_date) < 0) {
            field_errors_add(errs, "feedback_on", "The feedback must be on or after the day of the meeting");
        } else if (strcmp(fb_on, c->today) > 0) {
            field_errors_add(errs, "feedback_on", "The date of the feedback must be today or in the past");
        }
    }
    const char *method = f->fb_method && *f->fb_method ? f->fb_method : "";
    if (*method && !code_find(&codes_feedback_method, method))
        field_errors_add(errs, "feedback_method", "Select how the family was told from the list");
    char by[121] = "";
    if (f->fb_by && (trim_copy(f->fb_by, by, sizeof by) < 0 || !text_is_clean(by, 0)))
        field_errors_add(errs, "feedback_by", "Enter a name of 120 characters or fewer");
    if (fb_on[0] && !*method)
        field_errors_add(errs, "feedback_method", "Select how the family was told");
    if (fb_on[0] && !by[0])
        field_errors_add(errs, "feedback_by", "Enter who gave the feedback");
    if (!any_date && (*method || by[0]))
        field_errors_add(errs, "feedback_on", "Enter the date the family was told");
    /* Families' voice: heard when they were told, so only with a date. */
    char *parent = malloc(2001), *child = malloc(2001);
    if (!parent || !child) {
        free(parent);
        free(child);
        return SVC_ERROR;
    }
    case_text(f->parent_said, parent, 2001, "parent_said", "What the parent or carer said", errs);
    case_text(f->child_said, child, 2001, "child_said", "What the child said", errs);
    if (!any_date && (parent[0] || child[0]))
        field_errors_add(errs, "feedback_on", "Enter the date the family was told what was agreed");
    enum svc_status saved = SVC_INVALID;
    if (!errs->count) {
        struct discussion_feedback fb = {fb_on, method, by, parent, child};
        saved = svc_from_store(q_discussion_save(c->db, id, minutes, &fb, c->now));
    }
    free(parent);
    free(child);
    return saved;
}

enum svc_status svc_discussion_remove(struct svc_ctx *c, int64_t id, struct field_errors *errs)
{
    struct meeting_brief m;
    int64_t pupil = 0;
    enum svc_status st = discussion_for_edit(c, id, &m, &pupil);
    if (st != SVC_OK)
        return st;
    enum store_rc rc = q_discussion_remove(c->db, id);
    if (rc != STORE_DONE && rc != STORE_OK)
        return SVC_ERROR;
    if (store_changes(c->db) == 0) {
        field_errors_add(errs, "case_id", "A discussion with minutes or actions cannot be taken off the agenda");
        return SVC_INVALID;
    }
    return SVC_OK;
}
