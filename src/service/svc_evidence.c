#include "service/svc_evidence.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/casefile.h"
#include "service/svc_audit.h"
#include "service/svc_cases.h"
#include "store/q_cases.h"

static bool evidence_allowed(const struct svc_ctx *c, enum action a, int64_t id, int64_t team_id,
                             int64_t authority_id, int64_t school_id)
{
    struct resource r = {.kind = RES_EVIDENCE, .id = id, .authority_id = authority_id, .school_id = school_id,
                         .team_id = team_id};
    return svc_decide(c, a, &r);
}

bool svc_case_outcome_allowed(const struct svc_ctx *c, int64_t case_id, int64_t team_id, int64_t authority_id,
                              int64_t school_id)
{
    return evidence_allowed(c, ACT_EDIT, case_id, team_id, authority_id, school_id);
}

static int yes_no(const char *s)
{
    if (s && strcmp(s, "yes") == 0)
        return 1;
    if (s && strcmp(s, "no") == 0)
        return 0;
    return -1;
}

enum svc_status svc_case_outcome_set(struct svc_ctx *c, int64_t case_id, const char *ei, const char *referral,
                                     struct field_errors *errs)
{
    struct case_row *cr = malloc(sizeof *cr);
    if (!cr)
        return SVC_ERROR;
    enum svc_status st = svc_case_get(c, case_id, cr);
    if (st == SVC_OK && !svc_case_outcome_allowed(c, cr->id, cr->team_id, cr->authority_id, cr->school_id))
        st = SVC_FORBIDDEN;
    bool closed = st == SVC_OK && strcmp(cr->status, "closed") == 0;
    free(cr);
    if (st != SVC_OK)
        return st;
    int e = yes_no(ei), r = yes_no(referral);
    if (!closed)
        field_errors_add(errs, "ei_appropriate", "Close the case before classifying its outcome");
    else if (e < 0)
        field_errors_add(errs, "ei_appropriate", "Select whether early intervention was appropriate");
    if (closed && r < 0)
        field_errors_add(errs, "referral_made", "Select whether a referral was made");
    if (errs->count)
        return SVC_INVALID;
    return svc_from_get(q_case_set_outcome(c->db, case_id, e, r, c->now));
}

/* ---- change stories ---- */

/* The identifiers a story may not contain, checked field by field. */
static enum story_identifier story_names(const struct story_row *r, const char **field)
{
    const char *const texts[] = {r->situation, r->what_tas_did, r->what_changed};
    static const char *const names[] = {"situation", "what_tas_did", "what_changed"};
    for (size_t i = 0; i < 3; i++) {
        enum story_identifier id = story_find_identifier(texts[i], r->forenames, r->surname, r->upn, r->school_name);
        if (id != STORY_ID_NONE) {
            *field = names[i];
            return id;
        }
    }
    return STORY_ID_NONE;
}

/* Reads the form into r (whose pupil and school are known) and checks it. */
static void story_validate(const struct story_form *f, struct story_row *r, struct field_errors *errs)
{
    const struct code_entry *p = f->pattern && *f->pattern ? code_find(&codes_story_pattern, f->pattern) : NULL;
    if (!p)
        field_errors_add(errs, "pattern", "Select the pattern the story shows");
    else
        snprintf(r->pattern, sizeof r->pattern, "%s", p->code);
    struct {
        const char *in;
        char *out;
        const char *field, *label, *missing;
    } t[] = {
        {f->situation, r->situation, "situation", "The situation", "Describe the situation"},
        {f->what_tas_did, r->what_tas_did, "what_tas_did", "What TAS did", "Describe what TAS did"},
        {f->what_changed, r->what_changed, "what_changed", "What changed", "Describe what changed"},
    };
    for (size_t i = 0; i < 3; i++)
        case_text_required(t[i].in, t[i].out, STORY_TEXT_MAX, t[i].field, t[i].label, t[i].missing, errs);
    const char *field = NULL;
    enum story_identifier id = story_names(r, &field);
    if (id != STORY_ID_NONE) {
        char msg[200];
        snprintf(msg, sizeof msg, "Remove %s: stories go to evaluators without names, UPNs or schools",
                 story_identifier_label(id));
        field_errors_add(errs, field, msg);
    }
}

enum svc_status svc_story_create(struct svc_ctx *c, int64_t case_id, const struct story_form *f,
                                 struct field_errors *errs, int64_t *id)
{
    struct case_row *cr = malloc(sizeof *cr);
    struct story_row *r = calloc(1, sizeof *r);
    enum svc_status st = cr && r ? svc_case_get_editable(c, case_id, cr) : SVC_ERROR;
    free(cr);
    if (st == SVC_OK && q_story_subject(c->db, case_id, r) != STORE_ROW)
        st = SVC_ERROR;
    if (st == SVC_OK) {
        r->case_id = case_id;
        story_validate(f, r, errs);
        if (errs->count)
            st = SVC_INVALID;
        else
            st = svc_from_store(q_story_insert(c->db, r, c->who->user_id, c->now));
        if (st == SVC_OK && id)
            *id = r->id;
    }
    free(r);
    return st;
}

enum svc_status svc_story_get(struct svc_ctx *c, int64_t id, struct story_row *out)
{
    enum store_rc rc = q_story_get(c->db, id, out);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    if (!svc_allowed(c, ACT_VIEW, RES_CASE, out->case_id, out->authority_id, out->school_id))
        return SVC_NOT_FOUND;
    return SVC_OK;
}

enum svc_status svc_story_update(struct svc_ctx *c, int64_t id, const struct story_form *f,
                                 struct field_errors *errs)
{
    struct story_row *r = malloc(sizeof *r);
    enum svc_status st = r ? svc_story_get(c, id, r) : SVC_ERROR;
    if (st == SVC_OK && !svc_allowed(c, ACT_EDIT, RES_CASE, r->case_id, r->authority_id, r->school_id))
        st = SVC_FORBIDDEN;
    if (st == SVC_OK) {
        story_validate(f, r, errs);
        st = errs->count ? SVC_INVALID : svc_from_get(q_story_update(c->db, r, c->now));
    }
    free(r);
    return st;
}

enum svc_status svc_story_review(struct svc_ctx *c, int64_t id, const char *decision, const char *comment,
                                 struct field_errors *errs)
{
    struct story_row *r = malloc(sizeof *r);
    enum svc_status st = r ? svc_story_get(c, id, r) : SVC_ERROR;
    if (st == SVC_OK && !evidence_allowed(c, ACT_EDIT, r->id, r->team_id, r->authority_id, r->school_id))
        st = SVC_FORBIDDEN;
    if (st != SVC_OK) {
        free(r);
        return st;
    }
    bool approve = decision && strcmp(decision, "approve") == 0;
    bool ret = decision && strcmp(decision, "return") == 0;
    char note[1001] = "";
    if (strcmp(r->status, "submitted") != 0)
        field_errors_add(errs, "decision", strcmp(r->status, "approved") == 0
                                               ? "This story has already been approved"
                                               : "This story was returned; it comes back when it is changed");
    else if (!approve && !ret)
        field_errors_add(errs, "decision", "Select whether to approve the story or return it");
    if (case_text(comment, note, sizeof note, "comment", "The comment", errs) == 0 && ret && !note[0])
        field_errors_add(errs, "comment", "Say what should change before the story can be approved");
    const char *field = NULL;
    enum story_identifier who = approve ? story_names(r, &field) : STORY_ID_NONE;
    if (who != STORY_ID_NONE) {
        char msg[200];
        snprintf(msg, sizeof msg, "The story contains %s. Return it to be rewritten without it",
                 story_identifier_label(who));
        field_errors_add(errs, "decision", msg);
    }
    if (errs->count) {
        free(r);
        return SVC_INVALID;
    }
    enum store_rc rc = store_begin_write(c->db);
    if (rc == STORE_OK)
        rc = q_story_review(c->db, id, approve ? "approved" : "returned", note, approve ? c->today : NULL,
                            c->who->user_id, c->now);
    if (rc == STORE_OK && approve) {
        /* Releasing a story to evaluators is a disclosure. */
        struct audit_event ev = {.action = "release", .kind = "change_story", .resource_id = id,
                                 .pupil_id = r->pupil_id, .school_id = r->school_id,
                                 .authority_id = r->authority_id, .detail = "story.approve"};
        if (svc_audit_record(c, &ev) != SVC_OK)
            rc = STORE_ERROR;
    }
    free(r);
    return svc_from_store(store_end_write(c->db, rc));
}

enum svc_status svc_story_list_case(struct svc_ctx *c, int64_t case_id,
                                    void (*fn)(void *arg, const struct story_row *r), void *arg)
{
    struct case_row *cr = malloc(sizeof *cr);
    enum svc_status st = cr ? svc_case_get(c, case_id, cr) : SVC_ERROR;
    free(cr);
    if (st != SVC_OK)
        return st;
    struct visibility all = {.all = true};   /* the case is visible, so are its stories */
    return svc_from_store(q_story_list(c->db, &all, "", case_id, fn, arg));
}

static bool queue_editable(struct svc_ctx *c, const struct story_row *r)
{
    return evidence_allowed(c, ACT_EDIT, r->id, r->team_id, r->authority_id, r->school_id);
}

SVC_ROW_FILTER(queue_filter, struct story_row, queue_editable)

enum svc_status svc_story_queue(struct svc_ctx *c, void (*fn)(void *arg, const struct story_row *r), void *arg)
{
    struct visibility v;
    policy_visible(c->who, RES_EVIDENCE, ACT_EDIT, &v);
    if (policy_visible_none(&v))
        return SVC_FORBIDDEN;
    struct queue_filter q = {.c = c, .fn = fn, .arg = arg};
    return svc_from_store(q_story_list(c->db, &v, "submitted", 0, queue_filter_row, &q));
}

/* Copies what evaluators may see; nothing else leaves this function. */
static void released_of(const struct story_row *r, struct story_released *out)
{
    memset(out, 0, sizeof *out);
    out->id = r->id;
    snprintf(out->team_name, sizeof out->team_name, "%s", r->team_name);
    snprintf(out->phase, sizeof out->phase, "%s", r->phase);
    int32_t d = 0;
    out->academic_year = day_parse(r->opened_on, &d) == 0 ? academic_year_of(d) : 0;
    snprintf(out->pattern, sizeof out->pattern, "%s", r->pattern);
    memcpy(out->situation, r->situation, sizeof out->situation);
    memcpy(out->what_tas_did, r->what_tas_did, sizeof out->what_tas_did);
    memcpy(out->what_changed, r->what_changed, sizeof out->what_changed);
}

struct released_filter {
    struct svc_ctx *c;
    void (*fn)(void *arg, const struct story_released *r);
    void *arg;
    struct story_released *buf;
};

static void released_row(void *arg, const struct story_row *r)
{
    struct released_filter *f = arg;
    if (!evidence_allowed(f->c, ACT_VIEW, r->id, r->team_id, r->authority_id, r->school_id))
        return;
    released_of(r, f->buf);
    f->fn(f->arg, f->buf);
}

enum svc_status svc_story_released_list(struct svc_ctx *c, void (*fn)(void *arg, const struct story_released *r),
                                        void *arg)
{
    struct visibility v;
    enum svc_status st = svc_list_visible(c, RES_EVIDENCE, &v);
    if (st != SVC_OK)
        return st;
    struct released_filter f = {c, fn, arg, malloc(sizeof(struct story_released))};
    if (!f.buf)
        return SVC_ERROR;
    st = svc_from_store(q_story_list(c->db, &v, "approved", 0, released_row, &f));
    free(f.buf);
    return st;
}

enum svc_status svc_story_released_get(struct svc_ctx *c, int64_t id, struct story_released *out)
{
    struct story_row *r = malloc(sizeof *r);
    if (!r)
        return SVC_ERROR;
    enum store_rc rc = q_story_get(c->db, id, r);
    enum svc_status st = rc == STORE_ROW ? SVC_OK : svc_from_get(rc);
    if (st == SVC_OK && (strcmp(r->status, "approved") != 0 ||
                         !evidence_allowed(c, ACT_VIEW, r->id, r->team_id, r->authority_id, r->school_id)))
        st = SVC_NOT_FOUND;
    if (st == SVC_OK)
        released_of(r, out);
    free(r);
    return st;
}
