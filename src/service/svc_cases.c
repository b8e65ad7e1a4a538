#include "service/svc_cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/validate.h"
#include "service/svc_pupils.h"
#include "store/q_access.h"
#include "store/q_reference.h"

bool svc_case_allowed(const struct svc_ctx *c, enum action a, const struct pupil_row *p)
{
    struct resource r = {.kind = RES_CASE, .id = 0, .authority_id = p->authority_id, .school_id = p->p.school_id};
    r.pupil_id = p->p.id;
    return svc_decide(c, a, &r);
}

/* The pupil, if the user may see them at all (else not found). */
static enum svc_status pupil_for(struct svc_ctx *c, int64_t pupil_id, struct pupil_row *p)
{
    return svc_pupil_get(c, pupil_id, p);
}

/* The pupil, as pupil_for, whose case records the user may take action a
 * on (else SVC_FORBIDDEN). */
static enum svc_status pupil_records_for(struct svc_ctx *c, int64_t pupil_id, enum action a,
                                         struct pupil_row *p)
{
    enum svc_status st = pupil_for(c, pupil_id, p);
    if (st != SVC_OK)
        return st;
    return svc_case_allowed(c, a, p) ? SVC_OK : SVC_FORBIDDEN;
}

/* ---- consent ---- */

struct consent_collect {
    struct consent_fact facts[32];
    int64_t services[32][CONSENT_MAX_SERVICES];
    size_t n;
};

static void collect_fact(void *arg, const struct consent_row *r)
{
    struct consent_collect *cc = arg;
    if (cc->n >= 32)
        return;
    struct consent_fact *f = &cc->facts[cc->n];
    int32_t d = 0;
    f->given_on = day_parse(r->given_on, &d) == 0 ? d : 0;
    f->covers_discussion = r->covers_discussion;
    f->withdrawn_on = r->withdrawn_on[0] && day_parse(r->withdrawn_on, &d) == 0 ? d : 0;
    memcpy(cc->services[cc->n], r->service_ids, r->nservices * sizeof r->service_ids[0]);
    f->nservices = r->nservices;
    f->service_ids = cc->services[cc->n];
    cc->n++;
}

void svc_case_facts(const struct svc_ctx *c, struct resource *r)
{
    r->nconsent = 0;
    if (r->id > 0) {
        int64_t team = 0, pupil = 0;
        r->team_id = 0;
        r->pupil_id = 0;
        if (q_case_team_pupil(c->db, r->id, &team, &pupil) != STORE_ROW)
            return;
        r->team_id = team;
        r->pupil_id = pupil;
    }
    if (r->pupil_id <= 0)
        return;
    struct consent_collect *cc = calloc(1, sizeof *cc);
    if (!cc)
        return;
    int32_t today = 0;
    if (q_consent_list(c->db, r->pupil_id, collect_fact, cc) == STORE_OK &&
        day_parse(c->today, &today) == 0) {
        /* Every service named in any record, asked of the one rule that
         * says which record governs today. */
        for (size_t i = 0; i < cc->n; i++) {
            for (size_t j = 0; j < cc->facts[i].nservices; j++) {
                int64_t sid = cc->facts[i].service_ids[j];
                if (consent_check(cc->facts, cc->n, today, sid) != CONSENT_OK)
                    continue;
                struct service_row sv;
                if (q_service_get(c->db, sid, &sv) != STORE_ROW || r->nconsent >= POLICY_MAX_CONSENT)
                    continue;
                bool dup = false;
                for (size_t k = 0; k < r->nconsent; k++)
                    dup |= strcmp(r->consent[k], sv.code) == 0;
                size_t len = strlen(sv.code);
                if (!dup && len < POLICY_CODE_MAX)
                    memcpy(r->consent[r->nconsent++], sv.code, len + 1);
            }
        }
    }
    free(cc);
}

enum svc_status svc_consent_verdict(struct svc_ctx *c, int64_t pupil_id, int64_t service_id,
                                    enum consent_verdict *v)
{
    struct consent_collect *cc = calloc(1, sizeof *cc);
    if (!cc)
        return SVC_ERROR;
    enum store_rc rc = q_consent_list(c->db, pupil_id, collect_fact, cc);
    int32_t today = 0;
    (void)day_parse(c->today, &today);
    if (rc == STORE_OK)
        *v = consent_check(cc->facts, cc->n, today, service_id);
    free(cc);
    return rc == STORE_OK ? SVC_OK : SVC_ERROR;
}

static int date_field(const char *d, const char *m, const char *y, const char *field, const char *what,
                      const char *today, char out[11], struct field_errors *errs)
{
    if (svc_date_parts(d, m, y, field, what, out, errs) != 0)
        return -1;
    if (strcmp(out, today) > 0) {
        char msg[160];
        snprintf(msg, sizeof msg, "The date %s must be today or in the past", what);
        field_errors_add(errs, field, msg);
        return -1;
    }
    return 0;
}

enum svc_status svc_consent_record(struct svc_ctx *c, int64_t pupil_id, const struct consent_form *f,
                                   struct field_errors *errs, struct consent_row *out)
{
    struct pupil_row p;
    enum svc_status st = pupil_records_for(c, pupil_id, ACT_CREATE, &p);
    if (st != SVC_OK)
        return st;
    memset(out, 0, sizeof *out);
    out->pupil_id = pupil_id;
    if (!f->given_by || trim_copy(f->given_by, out->given_by, sizeof out->given_by) < 0 ||
        !out->given_by[0] || !text_is_clean(out->given_by, 0))
        field_errors_add(errs, "given_by", "Enter the name of the person who gave consent");
    if (!f->relationship || !code_find(&codes_consent_relationship, f->relationship))
        field_errors_add(errs, "relationship", "Select their relationship to the pupil");
    else
        snprintf(out->relationship, sizeof out->relationship, "%s", f->relationship);
    date_field(f->given_day, f->given_month, f->given_year, "given_on", "consent was given", c->today,
               out->given_on, errs);
    int cov = tristate_parse(f->covers_discussion);
    if (cov < 0)
        field_errors_add(errs, "covers_discussion", "Select whether the family agreed to discussion at TAS");
    out->covers_discussion = cov == 1;
    for (size_t i = 0; i < f->nservices && out->nservices < CONSENT_MAX_SERVICES; i++) {
        long id;
        if (parse_int_strict(f->service_ids[i], 1, 0x7fffffffL, &id) != 0) {
            field_errors_add(errs, "services", "Select services from the list");
            break;
        }
        out->service_ids[out->nservices++] = id;
    }
    if (errs->count)
        return SVC_INVALID;
    if (store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    enum store_rc rc = store_end_write(c->db, q_consent_insert(c->db, out, c->who->user_id, c->now));
    if (rc != STORE_OK) {
        if (rc == STORE_CONSTRAINT) {
            field_errors_add(errs, "services", "Select services from the list");
            return SVC_INVALID;
        }
        return SVC_ERROR;
    }
    return SVC_OK;
}

enum svc_status svc_consent_get(struct svc_ctx *c, int64_t consent_id, struct consent_row *out,
                                struct pupil_row *pupil)
{
    enum store_rc rc = q_consent_get(c->db, consent_id, out);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    enum svc_status st = pupil_for(c, out->pupil_id, pupil);
    if (st != SVC_OK)
        return st;
    return svc_case_allowed(c, ACT_VIEW, pupil) ? SVC_OK : SVC_NOT_FOUND;
}

enum svc_status svc_consent_withdraw(struct svc_ctx *c, int64_t consent_id,
                                     const struct withdrawal_form *f, struct field_errors *errs)
{
    struct consent_row r;
    struct pupil_row p;
    enum svc_status st = svc_consent_get(c, consent_id, &r, &p);
    if (st != SVC_OK)
        return st;
    if (!svc_case_allowed(c, ACT_EDIT, &p))
        return SVC_FORBIDDEN;
    if (r.withdrawn_on[0]) {
        field_errors_add(errs, "withdrawn_on", "This consent has already been withdrawn");
        return SVC_INVALID;
    }
    char on[11] = "";
    date_field(f->day, f->month, f->year, "withdrawn_on", "consent was withdrawn", c->today, on, errs);
    if (on[0] && strcmp(on, r.given_on) < 0)
        field_errors_add(errs, "withdrawn_on", "The date consent was withdrawn must be on or after the date it was given");
    char reason[401] = "";
    if (f->reason && (trim_copy(f->reason, reason, sizeof reason) < 0 || !text_is_clean(reason, 1)))
        field_errors_add(errs, "reason", "The reason must be 400 characters or fewer");
    if (errs->count)
        return SVC_INVALID;
    enum store_rc rc = q_consent_withdraw(c->db, consent_id, on, reason, c->who->user_id, c->now);
    return rc == STORE_DONE || rc == STORE_OK ? SVC_OK : SVC_ERROR;
}

enum svc_status svc_consent_list(struct svc_ctx *c, int64_t pupil_id,
                                 void (*fn)(void *arg, const struct consent_row *r), void *arg)
{
    struct pupil_row p;
    enum svc_status st = pupil_records_for(c, pupil_id, ACT_VIEW, &p);
    if (st != SVC_OK)
        return st;
    return svc_from_store(q_consent_list(c->db, pupil_id, fn, arg));
}

/* ---- cases ---- */

struct team_pick {
    int64_t want;
    bool found;
};

static void pick_team(void *arg, int64_t id, const char *name)
{
    (void)name;
    struct team_pick *tp = arg;
    if (id == tp->want)
        tp->found = true;
}

static int read_case_form(struct svc_ctx *c, const struct case_form *f, int64_t school_id,
                          struct case_row *out, struct field_errors *errs)
{
    long team;
    if (!f->team_id || parse_int_strict(f->team_id, 1, 0x7fffffffL, &team) != 0) {
        field_errors_add(errs, "team_id", "Select the team that will discuss the pupil");
    } else {
        struct team_pick tp = {team, false};
        if (q_teams_for_school(c->db, school_id, pick_team, &tp) != STORE_OK)
            return -1;
        if (!tp.found)
            field_errors_add(errs, "team_id", "Select a team that includes the pupil's school");
        out->team_id = team;
    }
    int any_need = 0;
    for (int i = 0; i < CASE_NEED_AREAS; i++) {
        char field[48];
        snprintf(field, sizeof field, "need_%s", codes_need_area.entries[i].code);
        case_text(f->needs[i], out->needs[i], sizeof out->needs[i], field,
                  codes_need_area.entries[i].label, errs);
        any_need |= out->needs[i][0] != '\0';
    }
    if (!any_need && !field_errors_get(errs, "need_communication_interaction"))
        field_errors_add(errs, "need_communication_interaction",
                         "Describe the pupil's needs in at least one area");
    case_text(f->strengths, out->strengths, sizeof out->strengths, "strengths", "Strengths", errs);
    case_text(f->tried, out->tried, sizeof out->tried, "tried", "What has been tried", errs);
    case_text(f->child_voice, out->child_voice, sizeof out->child_voice, "child_voice",
              "The child's voice", errs);
    case_text(f->parent_voice, out->parent_voice, sizeof out->parent_voice, "parent_voice",
              "The parent or carer's voice", errs);
    case_text(f->hoped_outcomes, out->hoped_outcomes, sizeof out->hoped_outcomes, "hoped_outcomes",
              "Hoped-for outcomes", errs);
    for (int i = 0; i < CASE_PRIOR_FLAGS; i++) {
        int v = tristate_parse(f->prior[i]);
        if (v == -2) {
            field_errors_add(errs, codes_prior_contact.entries[i].code, "Select yes, no or not known");
            v = -1;
        }
        out->prior[i] = (signed char)v;
    }
    int v = tristate_parse(f->summary_before_meeting);
    if (v == -2)
        field_errors_add(errs, "summary_before_meeting", "Select yes, no or not known");
    out->summary_before_meeting = (signed char)(v < 0 ? -1 : v);
    v = tristate_parse(f->ect_completed);
    if (v == -2)
        field_errors_add(errs, "ect_completed", "Select yes, no or not known");
    out->ect_completed = (signed char)(v < 0 ? -1 : v);
    return 0;
}

enum svc_status svc_case_open(struct svc_ctx *c, int64_t pupil_id, const struct case_form *f,
                              struct field_errors *errs, struct case_row *out)
{
    struct pupil_row p;
    enum svc_status st = pupil_records_for(c, pupil_id, ACT_CREATE, &p);
    if (st != SVC_OK)
        return st;
    enum consent_verdict v;
    if (svc_consent_verdict(c, pupil_id, 0, &v) != SVC_OK)
        return SVC_ERROR;
    memset(out, 0, sizeof *out);
    out->pupil_id = pupil_id;
    snprintf(out->opened_on, sizeof out->opened_on, "%s", c->today);
    if (v != CONSENT_OK)
        field_errors_add(errs, "consent", consent_message(v));
    if (read_case_form(c, f, p.p.school_id, out, errs) != 0)
        return SVC_ERROR;
    if (errs->count)
        return SVC_INVALID;
    if (store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    enum store_rc rc = store_end_write(c->db, q_case_insert(c->db, out, c->who->user_id, c->now));
    if (rc != STORE_OK)
        return SVC_ERROR;
    return SVC_OK;
}

enum svc_status svc_case_get(struct svc_ctx *c, int64_t id, struct case_row *out)
{
    enum store_rc rc = q_case_get(c->db, id, out);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    if (!svc_allowed(c, ACT_VIEW, RES_CASE, id, out->authority_id, out->school_id))
        return SVC_NOT_FOUND;
    return SVC_OK;
}

enum svc_status svc_case_get_editable(struct svc_ctx *c, int64_t id, struct case_row *cur)
{
    enum svc_status st = svc_case_get(c, id, cur);
    if (st != SVC_OK)
        return st;
    return svc_allowed(c, ACT_EDIT, RES_CASE, id, cur->authority_id, cur->school_id) ? SVC_OK
                                                                                    : SVC_FORBIDDEN;
}

enum svc_status svc_case_update(struct svc_ctx *c, int64_t id, const struct case_form *f,
                                struct field_errors *errs, struct case_row *out)
{
    enum svc_status st = svc_case_get_editable(c, id, out);
    if (st != SVC_OK)
        return st;
    if (read_case_form(c, f, out->school_id, out, errs) != 0)
        return SVC_ERROR;
    if (errs->count)
        return SVC_INVALID;
    if (store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    enum store_rc rc = store_end_write(c->db, q_case_update(c->db, out, c->now));
    if (rc != STORE_OK)
        return SVC_ERROR;
    return SVC_OK;
}

enum svc_status svc_case_close(struct svc_ctx *c, int64_t id, const char *reason_code,
                               const char *note, struct field_errors *errs)
{
    struct case_row *cur = malloc(sizeof *cur);
    if (!cur)
        return SVC_ERROR;
    enum svc_status st = svc_case_get_editable(c, id, cur);
    if (st == SVC_OK && strcmp(cur->status, "closed") == 0) {
        field_errors_add(errs, "reason", "This case is already closed");
        st = SVC_INVALID;
    }
    free(cur);
    if (st != SVC_OK)
        return st;
    const struct code_entry *e = reason_code ? code_find(&codes_case_closure, reason_code) : NULL;
    if (!e)
        field_errors_add(errs, "reason", "Select why the case is being closed");
    char text[401];
    int n = snprintf(text, sizeof text, "%s", e ? e->label : "");
    char extra[300] = "";
    if (note && (trim_copy(note, extra, sizeof extra) < 0 || !text_is_clean(extra, 1)))
        field_errors_add(errs, "note", "The note must be 299 characters or fewer");
    else if (e && strcmp(e->code, "other") == 0 && !extra[0])
        field_errors_add(errs, "note", "Say why the case is being closed");
    if (errs->count)
        return SVC_INVALID;
    if (extra[0] && n >= 0 && (size_t)n < sizeof text)
        snprintf(text + n, sizeof text - (size_t)n, ": %s", extra);
    return svc_from_store(q_case_set_status(c->db, id, "closed", c->today, text, c->now));
}

enum svc_status svc_case_reopen(struct svc_ctx *c, int64_t id, struct field_errors *errs)
{
    struct case_row *cur = malloc(sizeof *cur);
    if (!cur)
        return SVC_ERROR;
    enum svc_status st = svc_case_get_editable(c, id, cur);
    int64_t pupil = cur->pupil_id;
    bool open = strcmp(cur->status, "open") == 0;
    free(cur);
    if (st != SVC_OK)
        return st;
    if (open) {
        field_errors_add(errs, "reason", "This case is already open");
        return SVC_INVALID;
    }
    /* Re-opening means discussing again: the family must still agree. */
    enum consent_verdict v;
    if (svc_consent_verdict(c, pupil, 0, &v) != SVC_OK)
        return SVC_ERROR;
    if (v != CONSENT_OK) {
        field_errors_add(errs, "consent", consent_message(v));
        return SVC_INVALID;
    }
    return svc_from_store(q_case_set_status(c->db, id, "open", NULL, "", c->now));
}

enum svc_status svc_case_list(struct svc_ctx *c, const struct case_filter *f, const struct page_req *pg,
                              int64_t *total, void (*fn)(void *arg, const struct case_brief *b), void *arg)
{
    struct visibility v;
    if (svc_list_visible(c, RES_CASE, &v) != SVC_OK)
        return SVC_FORBIDDEN;
    struct case_filter cf = *f;
    cf.today = c->today;
    return svc_from_store(q_case_list(c->db, &v, &cf, pg, total, fn, arg));
}
