/* Follow-up pages: the work lists at /work (what is overdue, due for
 * review, without minutes, without feedback; a practitioner's own actions)
 * and a pupil's chronology.  HTML and JSON.  Data comes from
 * service/svc_worklist.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "lib/count.h"
#include "core/casefile.h"
#include "service/svc_actions.h"
#include "service/svc_toolkits.h"
#include "service/svc_worklist.h"
#include "web/finding.h"
#include "web/records_json.h"
#include "web/router.h"
#include "web/running.h"
#include "web/view.h"


static const char *plural(int64_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* ---- work lists ---- */

struct work_json {
    const struct svc_ctx *c;
    bool html;
    json_t *overdue, *review, *minutes, *feedback, *mine, *school;
    const struct finding *find;   /* the filters: team, school, this term (by due or meeting date), name */
};

static json_t *work_action(const struct work_json *w, const struct work_action *a)
{
    char owner[400];
    json_owner_label(a->owner_practitioner_name, a->owner_name, a->owner_service_name, owner, sizeof owner);
    json_t *o = json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:o}", "id", (json_int_t)a->id, "case_id",
                          (json_int_t)a->case_id, "pupil_id", (json_int_t)a->pupil_id, "pupil_name", a->pupil_name,
                          "team_name", a->team_name, "description", a->description, "owner_label", owner,
                          "due_on", json_opt_str(a->due_on));
    bool overdue = svc_action_is_overdue(w->c, "open", a->due_on);
    json_object_set_new(o, "overdue", json_boolean(overdue));
    json_object_set_new(o, "days_overdue", json_integer(overdue ? (json_int_t)svc_days_between(a->due_on, w->c->today)
                                                                : 0));
    json_object_set_new(o, "case_open", json_boolean(!strcmp(a->case_status, "open")));
    if (w->html) {
        view_set_date_label(o, "due_on_label", a->due_on);
        int64_t n = overdue ? svc_days_between(a->due_on, w->c->today) : 0;
        char t[48];
        snprintf(t, sizeof t, "%lld %s late", (long long)n, plural(n, "day", "days"));
        json_object_set_new(o, "days_overdue_text", json_string(t));
    }
    return o;
}

static void on_overdue(void *arg, const struct work_action *a)
{
    struct work_json *w = arg;
    if (!finding_keeps(w->find, a->team_id, a->school_id, a->pupil_name, a->due_on))
        return;
    json_array_append_new(w->overdue, work_action(w, a));
}

static void on_mine(void *arg, const struct work_action *a)
{
    struct work_json *w = arg;
    if (!finding_keeps(w->find, a->team_id, a->school_id, a->pupil_name, a->due_on))
        return;
    json_array_append_new(w->mine, work_action(w, a));
}

static void on_school(void *arg, const struct work_action *a)
{
    struct work_json *w = arg;
    if (!finding_keeps(w->find, a->team_id, a->school_id, a->pupil_name, a->due_on))
        return;
    json_array_append_new(w->school, work_action(w, a));
}

static void on_review(void *arg, const struct work_case *wc)
{
    struct work_json *w = arg;
    /* Due for review now: not judged by term. */
    if (!finding_keeps(w->find, wc->team_id, wc->school_id, wc->pupil_name, NULL))
        return;
    char why[160];
    int64_t since = wc->last_discussed[0] ? svc_days_between(wc->last_discussed, w->c->today) : -1;
    if (wc->overdue_actions > 0)
        snprintf(why, sizeof why, "%lld overdue %s", (long long)wc->overdue_actions,
                 plural(wc->overdue_actions, "action", "actions"));
    else
        snprintf(why, sizeof why, "Last discussed %lld days ago, with %lld open %s", (long long)since,
                 (long long)wc->open_actions, plural(wc->open_actions, "action", "actions"));
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:I, s:I, s:o, s:s}", "case_id", (json_int_t)wc->case_id,
                          "pupil_id", (json_int_t)wc->pupil_id, "pupil_name", wc->pupil_name, "team_name",
                          wc->team_name, "open_actions", (json_int_t)wc->open_actions, "overdue_actions",
                          (json_int_t)wc->overdue_actions, "last_discussed", json_opt_str(wc->last_discussed),
                          "reason", why);
    json_object_set_new(o, "days_since_discussed", since >= 0 ? json_integer((json_int_t)since) : json_null());
    if (w->html)
        view_set_date_label(o, "last_discussed_label", wc->last_discussed);
    json_array_append_new(w->review, o);
}

static void on_minutes(void *arg, const struct work_meeting *m)
{
    struct work_json *w = arg;
    if (!finding_keeps(w->find, m->team_id, 0, m->team_name, m->meeting_date))
        return;
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:I, s:I}", "meeting_id", (json_int_t)m->meeting_id, "team_id",
                          (json_int_t)m->team_id, "team_name", m->team_name, "meeting_date", m->meeting_date,
                          "discussions", (json_int_t)m->discussions, "without_minutes",
                          (json_int_t)m->without_minutes);
    if (w->html) {
        view_set_date_label(o, "meeting_date_label", m->meeting_date);
        json_object_set_new(o, "has_discussions", json_boolean(m->discussions > 0));
    }
    json_array_append_new(w->minutes, o);
}

static void on_feedback(void *arg, const struct work_feedback *f)
{
    struct work_json *w = arg;
    if (!finding_keeps(w->find, f->team_id, f->school_id, f->pupil_name, f->meeting_date))
        return;
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:I, s:I, s:s, s:I}", "discussion_id", (json_int_t)f->discussion_id,
                          "meeting_id", (json_int_t)f->meeting_id, "meeting_date", f->meeting_date, "team_name",
                          f->team_name, "case_id", (json_int_t)f->case_id, "pupil_id", (json_int_t)f->pupil_id,
                          "pupil_name", f->pupil_name, "days_since_meeting",
                          (json_int_t)svc_days_between(f->meeting_date, w->c->today));
    if (w->html)
        view_set_date_label(o, "meeting_date_label", f->meeting_date);
    json_array_append_new(w->feedback, o);
}

struct flag_json {
    json_t *items;
    bool html;
    const struct finding *find;
};

static void on_flag(void *arg, const struct worklist_flag_row *f)
{
    struct flag_json *fj = arg;
    /* A pupil to consider has no team yet: judged by school, term (when raised) and name. */
    if (!finding_keeps(fj->find, 0, f->school_id, f->pupil_name, f->raised_on))
        return;
    json_t *o = json_worklist_flag(f);
    if (fj->html)
        view_set_date_label(o, "raised_on_label", f->raised_on);
    json_array_append_new(fj->items, o);
}

/* "Considered": the coordinator clears a pupil's flag. */
static void h_flag_considered(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    if (view_failed(rq, rs, svc_toolkit_flag_clear(&c, rq->id)))
        return;
    if (rq->api) {
        view_json(rs, 200, json_pack("{s:I, s:s}", "id", (json_int_t)rq->id, "cleared_on", c.today));
        return;
    }
    resp_redirect(rs, "/work?saved=considered#flags");
}

/* A page shows at most this many rows per list unless asked for all
 * (?all=1): a year's unrecorded feedback can run to hundreds.  The JSON
 * always has every row. */
#define WORK_SHOWN 50

/* {count, items[, shown, more]}, taking the reference to items; with
 * show > 0, items is cut to the first show rows. */
static json_t *listed(json_t *items, size_t show)
{
    size_t n = json_array_size(items);
    json_t *o = json_pack("{s:I}", "count", (json_int_t)n);
    if (show && n > show) {
        while (json_array_size(items) > show)
            json_array_remove(items, json_array_size(items) - 1);
        json_object_set_new(o, "shown", json_integer((json_int_t)show));
        json_object_set_new(o, "more", json_integer((json_int_t)(n - show)));
    }
    json_object_set_new(o, "items", items);
    return o;
}

/* What a page says about a list of actions (templates/worklist_actions.html). */
struct actions_text {
    const char *anchor, *heading, *caption, *none;
    bool with_owner;
};

static const struct actions_text mine_text = {"mine", "Actions you own", "Open actions you own, earliest due first",
                                              "You have no open actions.", false};
static const struct actions_text school_text = {"school", "Actions owned by your school",
                                                "Open actions owned by your school, earliest due first",
                                                "Your school has no open actions.", true};

static json_t *actions_listed(json_t *items, size_t show, const struct actions_text *t)
{
    json_t *o = listed(items, show);
    if (t) {
        json_object_set_new(o, "anchor", json_string(t->anchor));
        json_object_set_new(o, "heading", json_string(t->heading));
        json_object_set_new(o, "caption", json_string(t->caption));
        json_object_set_new(o, "none", json_string(t->none));
        json_object_set_new(o, "with_owner", json_boolean(t->with_owner));
    }
    return o;
}

static void h_work(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct finding find;
    finding_read(rq, &c, &find);
    struct work_json w = {&c,           !rq->api,     json_array(), json_array(),
                          json_array(), json_array(), json_array(), json_array(), &find};
    struct work_sink sink = {&w, on_overdue, on_review, on_minutes, on_feedback, on_mine, on_school};
    struct work_which which;
    enum svc_status st = svc_work_lists(&c, &sink, &which);
    if (view_failed_drop(rq, rs, st, w.overdue, w.review, w.minutes, w.feedback, w.mine, w.school))
        return;
    json_t *out = rq->api ? json_object() : view_page(rq, "My work", "work");
    const char *all = req_query(rq, "all");
    size_t show = rq->api || (all && !strcmp(all, "1")) ? 0 : WORK_SHOWN;
    json_object_set_new(out, "today", json_string(c.today));
    if (which.coordination) {
        json_object_set_new(out, "overdue_actions", listed(w.overdue, show));
        json_object_set_new(out, "cases_due_for_review", listed(w.review, show));
        json_object_set_new(out, "meetings_without_minutes", listed(w.minutes, show));
        json_object_set_new(out, "feedback_not_recorded", listed(w.feedback, show));
        json_object_set_new(out, "review_after_days", json_integer(WORK_REVIEW_AFTER_DAYS));
    } else {
        json_decref(w.overdue);
        json_decref(w.review);
        json_decref(w.minutes);
        json_decref(w.feedback);
    }
    if (which.mine)
        json_object_set_new(out, "my_actions", actions_listed(w.mine, show, rq->api ? NULL : &mine_text));
    else
        json_decref(w.mine);
    if (which.school)
        json_object_set_new(out, "school_actions", actions_listed(w.school, show, rq->api ? NULL : &school_text));
    else
        json_decref(w.school);
    /* Pupils whose toolkit score crossed a threshold, for those who run
     * meetings (anyone else is refused: no list). */
    json_t *flags = json_array();
    struct flag_json fj = {flags, !rq->api, &find};
    if (svc_toolkit_flags(&c, on_flag, &fj) == SVC_OK)
        json_object_set_new(out, "toolkit_flags", listed(flags, show));
    else
        json_decref(flags);
    /* Actions agreed for a year group or cohort (h_cohorts.c). */
    bool cohort_work = cohort_work_json(rq, &c, out);
    if (rq->api) {
        if (find.this_term)
            json_object_set_new(out, "term", finding_term_json(&find));
        view_json(rs, 200, out);
        return;
    }
    finding_fields(&c, &find, out, "Pupil name", "All or part of the pupil's name (or a team's, for meetings)");
    struct buf fq = BUF_INIT;
    finding_query(&find, &fq);
    json_object_set_new(out, "filter_query", json_string(buf_str(&fq)));
    buf_free(&fq);
    char today[32];
    date_label(c.today, today, sizeof today);
    json_object_set_new(out, "today_label", json_string(today));
    json_object_set_new(out, "nothing", json_boolean(!which.coordination && !which.mine && !which.school && !cohort_work));
    static const struct view_note saved[] = {{"considered", "Taken off the list to consider"}, {NULL, NULL}};
    view_flash(out, view_note(rq, "saved", saved));
    view_breadcrumbs(out, "/", "Home", NULL);
    view_render(rq, rs, 200, "worklist", out);
}

/* ---- chronology ---- */

struct chron_json {
    const struct svc_ctx *c;
    json_t *events;
    bool html;
    int64_t pupil_id;
    char *detail;   /* CHRON_DETAIL_MAX bytes, reused for each event's text */
};

#define CHRON_DETAIL_MAX (2 * ACTION_TEXT_MAX + 400)

static const char *event_label(const char *kind)
{
    static const struct { const char *kind, *label; } labels[] = {
        {"consent_given", "Consent given"},
        {"consent_withdrawn", "Consent withdrawn"},
        {"case_opened", "Case opened"},
        {"case_closed", "Case closed"},
        {"discussed", "Discussed at a meeting"},
        {"action_agreed", "Action agreed"},
        {"action_done", "Action done"},
        {"action_not_done", "Action not done"},
        {"referral_made", "Referral made"},
        {"referral_outcome", "Referral outcome"},
        {"action_voided", "Action voided (entered by mistake)"},
        {"referral_voided", "Referral voided (entered by mistake)"},
        {"discussion_voided", "Discussion voided (entered by mistake)"},
    };
    for (size_t i = 0; i < COUNT(labels); i++)
        if (!strcmp(kind, labels[i].kind))
            return labels[i].label;
    return kind;
}

static void on_event(void *arg, const struct chron_event *e)
{
    struct chron_json *cj = arg;
    size_t dn = CHRON_DETAIL_MAX;
    char *detail = cj->detail;
    char href[80] = "";
    const char *k = e->kind;
    if (!strcmp(k, "consent_given")) {
        const char *rel = code_label(&codes_consent_relationship, e->text2);
        snprintf(detail, dn, "Given by %s (%s). Discussion at TAS %s.", e->text1, rel ? rel : e->text2,
                 !strcmp(e->text3, "yes") ? "agreed" : "not agreed");
        snprintf(href, sizeof href, "/pupils/%lld", (long long)cj->pupil_id);
    } else if (!strcmp(k, "consent_withdrawn")) {
        snprintf(detail, dn, "Consent given by %s withdrawn%s%s", e->text1, e->text2[0] ? ": " : ".", e->text2);
        snprintf(href, sizeof href, "/pupils/%lld", (long long)cj->pupil_id);
    } else if (!strcmp(k, "case_opened")) {
        snprintf(detail, dn, "Brought to %s", e->text1);
        snprintf(href, sizeof href, "/cases/%lld", (long long)e->case_id);
    } else if (!strcmp(k, "case_closed")) {
        snprintf(detail, dn, "%s%s%s", e->text1, e->text2[0] ? ": " : "", e->text2);
        snprintf(href, sizeof href, "/cases/%lld", (long long)e->case_id);
    } else if (!strcmp(k, "discussed")) {
        snprintf(detail, dn, "%s (%s)", e->text1, !strcmp(e->text2, "review") ? "review" : "new case");
        snprintf(href, sizeof href, "/meetings/%lld", (long long)e->meeting_id);
    } else if (!strcmp(k, "action_agreed")) {
        if (e->text2[0] && e->text3[0])
            snprintf(detail, dn, "%s (owner: %s, %s)", e->text1, e->text2, e->text3);
        else if (e->text2[0] || e->text3[0])
            snprintf(detail, dn, "%s (owner: %s)", e->text1, e->text2[0] ? e->text2 : e->text3);
        else
            snprintf(detail, dn, "%s", e->text1);
        snprintf(href, sizeof href, "/actions/%lld", (long long)e->ref_id);
    } else if (!strcmp(k, "action_done") || !strcmp(k, "action_not_done")) {
        bool done = !strcmp(k, "action_done");
        if (e->text2[0])
            snprintf(detail, dn, "%s (%s: %s)", e->text1, done ? "outcome" : "reason", e->text2);
        else
            snprintf(detail, dn, "%s", e->text1);
        snprintf(href, sizeof href, "/actions/%lld", (long long)e->ref_id);
    } else if (!strcmp(k, "action_voided") || !strcmp(k, "referral_voided")) {
        bool action = k[0] == 'a';
        snprintf(detail, dn, "%s%s (reason: %s)", action ? "" : "To ", e->text1, e->text2);
        snprintf(href, sizeof href, action ? "/actions/%lld" : "/referrals/%lld", (long long)e->ref_id);
    } else if (!strcmp(k, "discussion_voided")) {
        snprintf(detail, dn, "At %s (reason: %s)", e->text1, e->text2);
        snprintf(href, sizeof href, "/discussions/%lld", (long long)e->ref_id);
    } else if (!strcmp(k, "referral_made")) {
        snprintf(detail, dn, "To %s", e->text1);
        snprintf(href, sizeof href, "/referrals/%lld", (long long)e->ref_id);
    } else if (!strcmp(k, "referral_outcome")) {
        const char *lab = code_label(&referral_outcomes, e->text2);
        snprintf(detail, dn, "%s: %s", e->text1, lab ? lab : e->text2);
        snprintf(href, sizeof href, "/referrals/%lld", (long long)e->ref_id);
    } else {
        snprintf(detail, dn, "%s", e->text1);
    }
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:I}", "on", e->on, "kind", k, "label", event_label(k), "detail",
                          detail, "ref_id", (json_int_t)e->ref_id);
    json_object_set_new(o, "case_id", e->case_id > 0 ? json_integer((json_int_t)e->case_id) : json_null());
    json_object_set_new(o, "href", json_opt_str(href));
    if (cj->html)
        view_set_date_label(o, "on_label", e->on);
    json_array_append_new(cj->events, o);
}

static void h_chronology(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct pupil_row p;
    char *detail = req_alloc(rq, CHRON_DETAIL_MAX);
    if (!detail) {
        view_svc_error(rq, rs, SVC_ERROR);
        return;
    }
    struct chron_json cj = {&c, json_array(), !rq->api, rq->id, detail};
    enum svc_status st = svc_chronology(&c, rq->id, &p, on_event, &cj);
    if (view_failed_drop(rq, rs, st, cj.events))
        return;
    if (rq->api) {
        view_json(rs, 200, json_pack("{s:o, s:o}", "pupil", json_pupil(&p), "events", cj.events));
        return;
    }
    char title[300], back[64];
    snprintf(title, sizeof title, "Chronology: %s %s", p.p.forenames, p.p.surname);
    snprintf(back, sizeof back, "/pupils/%lld", (long long)p.p.id);
    json_t *ctx = view_page(rq, title, "pupils");
    view_breadcrumbs(ctx, "/", "Home", "/pupils", "Pupils", back, title + 13, NULL);
    json_object_set_new(ctx, "pupil", json_pupil(&p));
    json_object_set_new(ctx, "event_count", json_integer((json_int_t)json_array_size(cj.events)));
    json_object_set_new(ctx, "events", cj.events);
    view_render(rq, rs, 200, "chronology", ctx);
}

static const struct route routes[] = {
    {"GET", "/work", h_work, 0},
    {"GET", "/pupils/:id/chronology", h_chronology, 0},
    {"POST", "/work/flags/:id/considered", h_flag_considered, 0},
    {"GET", "/api/v1/work", h_work, 0},
    {"POST", "/api/v1/work/flags/:id/considered", h_flag_considered, 0},
    {"GET", "/api/v1/pupils/:id/chronology", h_chronology, 0},
};

ROUTE_TABLE(worklist_table, routes);
