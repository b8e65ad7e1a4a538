/* The evidence Annex A of the Bedford report plans: a closed case's place
 * in the outcomes matrix (the coordinator's), and change stories: drafted
 * beside a case, approved or returned by the coordinator, read by
 * evaluators without identifiers.  HTML and JSON; data from
 * service/svc_evidence.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/evidence.h"
#include "lib/count.h"
#include "service/svc_cases.h"
#include "service/svc_evidence.h"
#include "web/form.h"
#include "web/records_json.h"
#include "web/router.h"
#include "web/view.h"

static const struct code_entry yes_no_entries[] = {{"yes", "Yes", NULL}, {"no", "No", NULL}};
static const struct code_list yes_no = {"yes_no", yes_no_entries, 2};
static const struct code_entry decision_entries[] = {{"approve", "Approve and release to evaluators", NULL},
                                                     {"return", "Return with a comment", NULL}};
static const struct code_list decisions = {"decision", decision_entries, 2};

static const char *tri(int v)
{
    return v == 1 ? "yes" : v == 0 ? "no" : "";
}

/* ---- the outcomes matrix ---- */

static void render_outcome(struct req *rq, struct resp *rs, int status, const struct case_row *cr, const char *ei,
                           const char *referral, const struct field_errors *e)
{
    json_t *ctx = view_page(rq, "Classify the outcome", "cases");
    char back[64];
    snprintf(back, sizeof back, "/cases/%lld", (long long)cr->id);
    view_breadcrumbs(ctx, "/", "Home", "/cases", "Cases", back, cr->pupil_name, NULL);
    json_object_set_new(ctx, "case", json_case(cr));
    json_object_set_new(ctx, "cancel_href", json_string(back));
    view_set_errors(ctx, e);
    json_t *fields = json_object();
    json_object_set_new(fields, "ei_appropriate",
                        fld_radios_codes("ei_appropriate", "Was early intervention appropriate for this pupil?", ei, e,
                                         &yes_no, 1));
    json_object_set_new(fields, "referral_made",
                        fld_radios_codes("referral_made", "Was a referral made to a specialist service?", referral,
                                         e, &yes_no, 1));
    json_object_set_new(ctx, "fields", fields);
    view_render(rq, rs, status, "case_outcome", ctx);
}

/* The case, if the user may classify it. */
static enum svc_status classifiable(struct svc_ctx *c, int64_t id, struct case_row *cr)
{
    enum svc_status st = cr ? svc_case_get(c, id, cr) : SVC_ERROR;
    if (st == SVC_OK && !svc_case_outcome_allowed(c, cr->id, cr->team_id, cr->authority_id, cr->school_id))
        st = SVC_FORBIDDEN;
    return st;
}

static void h_outcome_form(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct case_row *cr = req_alloc(rq, sizeof *cr);
    if (view_failed(rq, rs, classifiable(&c, rq->id, cr)))
        return;
    render_outcome(rq, rs, 200, cr, tri(cr->ei_appropriate), tri(cr->referral_made), NULL);
}

static void h_outcome_save(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    const char *ei = req_param(rq, "ei_appropriate"), *referral = req_param(rq, "referral_made");
    struct field_errors e = {0};
    enum svc_status st = svc_case_outcome_set(&c, rq->id, ei, referral, &e);
    struct case_row *cr = req_alloc(rq, sizeof *cr);
    if ((st == SVC_OK || st == SVC_INVALID) && (!cr || svc_case_get(&c, rq->id, cr) != SVC_OK))
        st = SVC_ERROR;
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK)
        view_saved(rq, rs, 200, "case", json_case(cr), "/cases/%lld?saved=outcome", (long long)rq->id);
    else if (n == SAVE_FORM)
        render_outcome(rq, rs, 400, cr, ei, referral, &e);
}

/* ---- drafting a story ---- */

static const struct req_field story_fields[] = {
    REQ_FIELD(struct story_form, pattern), REQ_FIELD(struct story_form, situation),
    REQ_FIELD(struct story_form, what_tas_did), REQ_FIELD(struct story_form, what_changed),
};

/* The form for a new story (s NULL) or an existing one; the review form
 * too when the user may approve it. */
static void render_story(struct req *rq, struct resp *rs, int status, struct svc_ctx *c, const struct case_row *cr,
                         const struct story_row *s, const struct story_form *f, const struct field_errors *e)
{
    if (rq->api && s) {
        view_json(rs, status, json_pack("{s:o}", "story", json_story(s)));
        return;
    }
    json_t *ctx = view_page(rq, s ? "Change story" : "Write a change story", "cases");
    char back[64];
    snprintf(back, sizeof back, "/cases/%lld", (long long)(s ? s->case_id : cr->id));
    view_breadcrumbs(ctx, "/", "Home", "/cases", "Cases", back, "Case", NULL);
    json_object_set_new(ctx, "cancel_href", json_string(back));
    if (s) {
        json_object_set_new(ctx, "story", json_story(s));
        json_object_set_new(ctx, "action", json_sprintf("/stories/%lld", (long long)s->id));
        bool may_review = svc_case_outcome_allowed(c, s->case_id, s->team_id, s->authority_id, s->school_id);
        if (may_review && !strcmp(s->status, "submitted")) {
            json_t *decision = fld_radios_codes("decision", "Your decision", req_param(rq, "decision"), e,
                                                &decisions, 0);
            json_t *comment = fld_textarea("comment", "Comment for the author (needed to return the story)",
                                           req_param(rq, "comment"), e, NULL);
            json_object_set_new(ctx, "review", json_pack("{s:o, s:o}", "decision", decision, "comment", comment));
        }
    } else {
        json_object_set_new(ctx, "action", json_sprintf("/cases/%lld/stories", (long long)cr->id));
    }
    view_set_errors(ctx, e);
    json_t *fields = json_object();
    json_object_set_new(fields, "pattern", fld_radios_codes("pattern", "Which pattern does the story show?",
                                                            f->pattern, e, &codes_story_pattern, 0));
    static const char *const hint = "Do not use the pupil's name, UPN, date of birth or school: the story goes to "
                                    "evaluators. Say \"the pupil\" or use a made-up first name.";
    json_object_set_new(fields, "situation", fld_textarea("situation", "The situation", f->situation, e, hint));
    json_object_set_new(fields, "what_tas_did", fld_textarea("what_tas_did", "What TAS did", f->what_tas_did, e,
                                                             NULL));
    json_object_set_new(fields, "what_changed", fld_textarea("what_changed", "What changed", f->what_changed, e,
                                                             NULL));
    json_object_set_new(ctx, "fields", fields);
    view_render(rq, rs, status, "story_form", ctx);
}

/* The form for a new story of a case (create) or a story as it stands. */
static void story_page(struct req *rq, struct resp *rs, bool create)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct case_row *cr = create ? req_alloc(rq, sizeof *cr) : NULL;
    struct story_row *s = create ? NULL : req_alloc(rq, sizeof *s);
    if (view_failed(rq, rs, cr ? svc_case_get_editable(&c, rq->id, cr) : s ? svc_story_get(&c, rq->id, s) : SVC_ERROR))
        return;
    struct story_form f = {0};
    if (s)
        f = (struct story_form){s->pattern, s->situation, s->what_tas_did, s->what_changed};
    render_story(rq, rs, 200, &c, cr, s, &f, NULL);
}

static void h_story_new(struct req *rq, struct resp *rs)
{
    story_page(rq, rs, true);
}

/* Create (case id in the path) or update (story id): one shape. */
static void story_save(struct req *rq, struct resp *rs, bool create)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct story_form f = {0};
    req_fields(rq, story_fields, COUNT(story_fields), &f);
    struct field_errors e = {0};
    int64_t id = create ? 0 : rq->id;
    enum svc_status st = create ? svc_story_create(&c, rq->id, &f, &e, &id) : svc_story_update(&c, id, &f, &e);
    struct story_row *s = req_alloc(rq, sizeof *s);
    struct case_row *cr = req_alloc(rq, sizeof *cr);
    if (st == SVC_OK && (!s || svc_story_get(&c, id, s) != SVC_OK))
        st = SVC_ERROR;
    if (st == SVC_INVALID && (!s || !cr || (create ? svc_case_get(&c, rq->id, cr) : svc_story_get(&c, id, s)) != SVC_OK))
        st = SVC_ERROR;
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK)
        view_saved(rq, rs, create ? 201 : 200, "story", json_story(s), "/stories/%lld?saved=1", (long long)id);
    else if (n == SAVE_FORM)
        render_story(rq, rs, 400, &c, cr, create ? NULL : s, &f, &e);
}

static void h_story_create(struct req *rq, struct resp *rs)
{
    story_save(rq, rs, true);
}

static void h_story_update(struct req *rq, struct resp *rs)
{
    story_save(rq, rs, false);
}

static void h_story(struct req *rq, struct resp *rs)
{
    story_page(rq, rs, false);
}

static void h_story_review(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct field_errors e = {0};
    enum svc_status st = svc_story_review(&c, rq->id, req_param(rq, "decision"), req_param(rq, "comment"), &e);
    struct story_row *s = req_alloc(rq, sizeof *s);
    if ((st == SVC_OK || st == SVC_INVALID) && (!s || svc_story_get(&c, rq->id, s) != SVC_OK))
        st = SVC_ERROR;
    enum save_next n = view_answer_save(rq, rs, st, &e);
    if (n == SAVE_OK) {
        view_saved(rq, rs, 200, "story", json_story(s), "/stories/review?saved=%s", s->status);
    } else if (n == SAVE_FORM) {
        struct story_form f = {s->pattern, s->situation, s->what_tas_did, s->what_changed};
        render_story(rq, rs, 400, &c, NULL, s, &f, &e);
    }
}

/* ---- lists ---- */

static void add_story(void *arg, const struct story_row *r)
{
    json_array_append_new(arg, json_story(r));
}

static void add_released(void *arg, const struct story_released *r)
{
    json_array_append_new(arg, json_story_released(r));
}

static void h_case_stories(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    json_t *list = json_array();
    if (!view_failed_drop(rq, rs, svc_story_list_case(&c, rq->id, add_story, list), list))
        view_json(rs, 200, json_pack("{s:o}", "stories", list));
}

static void h_story_queue(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    json_t *list = json_array();
    if (view_failed_drop(rq, rs, svc_story_queue(&c, add_story, list), list))
        return;
    json_t *ctx = view_answer_page(rq, rs, json_pack("{s:o}", "stories", list), "Change stories to approve",
                                   "stories", "/", "Home", "/stories", "Change stories", NULL);
    if (!ctx)
        return;
    static const struct view_note saved[] = {{"approved", "Story approved and released"},
                                             {NULL, "Story returned to its author"}};
    view_flash(ctx, view_note(rq, "saved", saved));
    view_render(rq, rs, 200, "story_queue", ctx);
}

static void h_released(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    json_t *list = json_array();
    if (view_failed_drop(rq, rs, svc_story_released_list(&c, add_released, list), list))
        return;
    json_t *ctx = view_answer_page(rq, rs, json_pack("{s:o}", "stories", list), "Change stories", "stories", "/",
                                   "Home", NULL);
    if (!ctx)
        return;
    struct visibility v;
    policy_visible(c.who, RES_EVIDENCE, ACT_EDIT, &v);
    json_object_set_new(ctx, "may_review", json_boolean(!policy_visible_none(&v)));
    view_render(rq, rs, 200, "story_list", ctx);
}

static void h_released_one(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct story_released *r = req_alloc(rq, sizeof *r);
    if (view_failed(rq, rs, r ? svc_story_released_get(&c, rq->id, r) : SVC_ERROR))
        return;
    view_json(rs, 200, json_pack("{s:o}", "story", json_story_released(r)));
}

static const struct route routes[] = {
    {"GET", "/cases/:id/outcome", h_outcome_form, 0},
    {"POST", "/cases/:id/outcome", h_outcome_save, 0},
    {"GET", "/cases/:id/stories/new", h_story_new, 0},
    {"POST", "/cases/:id/stories", h_story_create, 0},
    {"GET", "/stories", h_released, 0},
    {"GET", "/stories/review", h_story_queue, 0},
    {"GET", "/stories/:id", h_story, 0},
    {"POST", "/stories/:id", h_story_update, 0},
    {"POST", "/stories/:id/review", h_story_review, 0},

    {"PUT", "/api/v1/cases/:id/outcome", h_outcome_save, 0},
    {"GET", "/api/v1/cases/:id/stories", h_case_stories, 0},
    {"POST", "/api/v1/cases/:id/stories", h_story_create, 0},
    {"GET", "/api/v1/stories", h_released, 0},
    {"GET", "/api/v1/stories/released/:id", h_released_one, 0},
    {"GET", "/api/v1/stories/review", h_story_queue, 0},
    {"GET", "/api/v1/stories/:id", h_story, 0},
    {"PUT", "/api/v1/stories/:id", h_story_update, 0},
    {"POST", "/api/v1/stories/:id/review", h_story_review, 0},
};

ROUTE_TABLE(evidence_table, routes);
