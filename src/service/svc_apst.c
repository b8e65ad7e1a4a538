#include "service/svc_apst.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/casefile.h"
#include "service/svc_audit.h"
#include "service/svc_dashboard.h"
#include "service/svc_meetings.h"
#include "service/svc_places.h"
#include "service/svc_pupils.h"
#include "service/svc_teams.h"
#include "store/q_dashboard.h"
#include "store/q_pupils.h"
#include "store/q_teams.h"
#include "store/q_users.h"

static bool referral_visible(struct svc_ctx *c, int64_t referral_id);
static void consent_fields(struct svc_ctx *c, const struct apst_consent_form *f, bool required,
                           struct apst_referral_row *r, struct field_errors *errs);

/* A taskforce as the policy sees it. */
static struct resource taskforce_res(const struct apst_taskforce_row *t)
{
    return (struct resource){.kind = RES_APST, .id = t->id, .authority_id = t->authority_id,
                             .school_id = t->school_id, .team_id = t->team_id};
}

static bool may(const struct svc_ctx *c, enum action a, const struct apst_taskforce_row *t)
{
    struct resource r = taskforce_res(t);
    return svc_decide(c, a, &r);
}

bool svc_apst_may(const struct svc_ctx *c, enum action a, const struct apst_taskforce_row *t)
{
    return may(c, a, t);
}

enum svc_status svc_apst_get(struct svc_ctx *c, int64_t id, struct apst_taskforce_row *out)
{
    enum store_rc rc = q_apst_get(c->db, id, out);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    return may(c, ACT_VIEW, out) ? SVC_OK : SVC_NOT_FOUND;
}

/* Every change to a taskforce's records and its audit entry, together or
 * not at all: change_begin before the write, change_end after it (the
 * entry when st is SVC_OK, then commit or roll back). */
static enum svc_status change_begin(struct svc_ctx *c)
{
    return store_begin_write(c->db) == STORE_OK ? SVC_OK : SVC_ERROR;
}

/* change_begin once a form has been checked: SVC_INVALID while errs holds any. */
static enum svc_status change_begin_valid(struct svc_ctx *c, const struct field_errors *errs)
{
    return errs->count ? SVC_INVALID : change_begin(c);
}

static enum svc_status change_end(struct svc_ctx *c, enum svc_status st, const char *action, const char *kind,
                                  int64_t id, int64_t pupil_id, const struct apst_taskforce_row *t)
{
    if (st == SVC_OK) {
        char detail[48];
        snprintf(detail, sizeof detail, "apst.%s.%s", kind, action);
        struct audit_event ev = {.action = action, .kind = kind, .resource_id = id, .pupil_id = pupil_id,
                                 .school_id = t->school_id, .authority_id = t->authority_id, .detail = detail};
        st = svc_audit_record(c, &ev);
    }
    enum store_rc rc = store_end_write(c->db, st == SVC_OK ? STORE_OK : STORE_ERROR);
    return st == SVC_OK && rc != STORE_OK ? SVC_ERROR : st;
}

/* change_end for a record of kind just inserted: rc is the insert's and
 * new_id the id it gave (so the caller reads it only after the insert);
 * *id, when asked for, is set once the change is committed. */
static enum svc_status created(struct svc_ctx *c, enum store_rc rc, const char *kind, int64_t new_id,
                               int64_t pupil_id, const struct apst_taskforce_row *t, int64_t *id)
{
    enum svc_status st = change_end(c, svc_from_store(rc), "create", kind, new_id, pupil_id, t);
    if (st == SVC_OK && id)
        *id = new_id;
    return st;
}

/* The taskforce, if the user may view it, and then do a (SVC_FORBIDDEN). */
static enum svc_status get_for(struct svc_ctx *c, int64_t id, enum action a, struct apst_taskforce_row *t)
{
    enum svc_status st = svc_apst_get(c, id, t);
    if (st == SVC_OK && a != ACT_VIEW && !may(c, a, t))
        st = SVC_FORBIDDEN;
    return st;
}

enum svc_status svc_apst_list(struct svc_ctx *c, void (*fn)(void *arg, const struct apst_taskforce_row *r),
                              void *arg)
{
    struct visibility v;
    enum svc_status st = svc_list_visible(c, RES_APST, &v);
    if (st != SVC_OK)
        return st;
    return svc_from_store(q_apst_list(c->db, &v, fn, arg));
}

/* The error "What must be ...": what is the field's words ("the date
 * they started"), here starting a sentence. */
static void date_error(struct field_errors *e, const char *field, const char *what, const char *must)
{
    char msg[160];
    snprintf(msg, sizeof msg, "%c%s must be %s", what[0] == 't' ? 'T' : what[0], what + 1, must);
    field_errors_add(e, field, msg);
}

/* A date typed by a person, required (field error otherwise); not after
 * today unless future_ok.  Writes YYYY-MM-DD into out; 0 or -1. */
static int date_field(struct svc_ctx *c, const char *in, bool required, bool future_ok, const char *field,
                      const char *what, char out[11], struct field_errors *e)
{
    out[0] = '\0';
    if (!in || !*in) {
        if (!required)
            return 0;
        char msg[160];
        snprintf(msg, sizeof msg, "Enter %s", what);
        field_errors_add(e, field, msg);
        return -1;
    }
    int32_t d, today = 0;
    if (svc_parse_day(in, &d) != 0) {
        date_error(e, field, what, "a real date");
        return -1;
    }
    day_parse(c->today, &today);
    if (!future_ok && d > today) {
        date_error(e, field, what, "today or in the past");
        return -1;
    }
    day_format(d, out);
    return 0;
}

/* date_field (future dates allowed) for a date that may not come before
 * from (YYYY-MM-DD, "" when not known): before is the error when it does. */
static void date_from(struct svc_ctx *c, const char *in, bool required, const char *from, const char *field,
                      const char *what, const char *before, char out[11], struct field_errors *e)
{
    if (date_field(c, in, required, true, field, what, out, e) == 0 && out[0] && from[0] && strcmp(out, from) < 0)
        field_errors_add(e, field, before);
}

/* A code from l, required, into out ("" and the error missing otherwise). */
static void code_field(const struct code_list *l, const char *in, char *out, size_t outsz, const char *field,
                       const char *missing, struct field_errors *e)
{
    const struct code_entry *x = in && *in ? code_find(l, in) : NULL;
    if (!x)
        field_errors_add(e, field, missing);
    snprintf(out, outsz, "%s", x ? x->code : "");
}

/* Whole number lo..hi; -1 (and the error) otherwise. */
static int64_t int_field(const char *in, int64_t lo, int64_t hi, const char *field, const char *msg,
                         struct field_errors *e)
{
    char *end = NULL;
    long long v = in && *in ? strtoll(in, &end, 10) : -1;
    if (!in || !*in || !end || *end || v < lo || v > hi) {
        field_errors_add(e, field, msg);
        return -1;
    }
    return v;
}

/* Optional id: 0 when blank, -1 when not a number. */
static int64_t opt_id(const char *in)
{
    if (!in || !*in)
        return 0;
    char *end = NULL;
    long long v = strtoll(in, &end, 10);
    return end && !*end && v > 0 ? v : -1;
}

/* ---- taskforces ---- */

enum svc_status svc_apst_create(struct svc_ctx *c, const struct apst_form *f, struct field_errors *errs,
                                int64_t *id)
{
    struct school sch;
    memset(&sch, 0, sizeof sch);
    int64_t school_id = opt_id(f->school_id);
    bool have_school = school_id > 0 && svc_school_get(c, school_id, &sch) == SVC_OK;
    if (!svc_allowed(c, ACT_CREATE, RES_APST, 0, have_school ? sch.authority_id : 0, have_school ? school_id : 0))
        return SVC_FORBIDDEN;
    struct apst_taskforce_row t;
    memset(&t, 0, sizeof t);
    char name[TAS_TITLE_MAX];
    case_text_required(f->name, name, sizeof name, "name", "The taskforce's name", "Enter the taskforce's name", errs);
    if (!have_school)
        field_errors_add(errs, "school_id", "Select the AP school the taskforce is based in");
    else if (strcmp(sch.phase, "ap") != 0)
        field_errors_add(errs, "school_id", "Select an alternative provision school: taskforces are based in AP schools");
    case_text_required(f->manager_name, t.manager_name, sizeof t.manager_name, "manager_name", "The manager's name",
                       "Enter the Taskforce Manager's name", errs);
    int fte = 0;
    if (apst_fte_parse(f->manager_fte, 100, &fte) != 0)
        field_errors_add(errs, "manager_fte", "Enter the manager's FTE as a number from 0.01 to 1, like 0.6");
    t.manager_fte = fte;
    date_field(c, f->started_on, true, true, "started_on", "the date the taskforce started", t.started_on, errs);
    const char *weekday = f->weekday && *f->weekday ? f->weekday : "3";
    if (int_field(weekday, 1, 5, "weekday", "Select the day of the weekly case meeting", errs) < 0)
        weekday = "3";
    if (errs->count)
        return SVC_INVALID;
    if (!svc_allowed(c, ACT_CREATE, RES_APST, 0, sch.authority_id, school_id))
        return SVC_FORBIDDEN;
    /* The team: the AP school alone; the weekly case meeting's day. */
    struct team_form tf;
    memset(&tf, 0, sizeof tf);
    char school_s[24];
    snprintf(school_s, sizeof school_s, "%lld", (long long)school_id);
    tf.name = name;
    tf.host_school_id = school_s;
    tf.chair_name = t.manager_name;
    tf.cadence = "fortnightly";   /* no weekly cadence: weekly meetings are added one by one */
    tf.weekday = weekday;
    tf.start_time = "09:00";
    tf.duration_minutes = "60";
    tf.location = "Taskforce hub";
    tf.active = "yes";
    struct team_saved saved;
    memset(&saved, 0, sizeof saved);
    enum svc_status st = svc_team_create(c, &tf, errs, &saved);
    if (st != SVC_OK)
        return st;
    t.team_id = saved.id;
    if ((st = change_begin(c)) != SVC_OK)
        return st;
    enum store_rc rc = q_apst_insert(c->db, &t, c->who->user_id, c->now);
    return created(c, rc, "apst_taskforce", t.id, 0, &t, id);
}

struct pick_ctx {
    struct svc_ctx *c;
    int64_t authority_id;
    void (*fn)(void *arg, int64_t id, const char *name);
    void *arg;
};

static void pick_school(void *arg, const struct team_school *s)
{
    struct pick_ctx *p = arg;
    if (strcmp(s->phase, "ap") == 0 && svc_allowed(p->c, ACT_CREATE, RES_APST, 0, p->authority_id, s->id))
        p->fn(p->arg, s->id, s->name);
}

static void pick_authority(void *arg, int64_t id, const char *name)
{
    (void)name;
    struct pick_ctx *p = arg;
    p->authority_id = id;
    q_team_authority_schools(p->c->db, id, pick_school, p);
}

enum svc_status svc_apst_pick_schools(struct svc_ctx *c, void (*fn)(void *arg, int64_t id, const char *name),
                                      void *arg)
{
    if (!svc_allowed(c, ACT_CREATE, RES_APST, 0, 0, 0))
        return SVC_FORBIDDEN;
    struct pick_ctx p = {c, 0, fn, arg};
    size_t n = 0;
    enum svc_status st = svc_team_create_authorities(c, pick_authority, &p, &n);
    return st;
}

/* ---- specialists ---- */

/* The account of a specialist of kind in taskforce t: it must hold the
 * specialist role on the taskforce's team with that type as its detail
 * (what the referrals' consent is checked against).  0 and a field error
 * otherwise; the same error whether or not the account exists. */
static int64_t specialist_account(struct svc_ctx *c, const struct apst_taskforce_row *t, const char *kind,
                                  const char *username, struct field_errors *errs)
{
    struct user_row *u = malloc(sizeof *u);
    struct principal *p = malloc(sizeof *p);
    int64_t id = 0;
    if (u && p && q_user_by_username(c->db, username, u) == STORE_ROW && q_roles_load(c->db, u->id, p) == STORE_OK) {
        for (size_t i = 0; i < p->ngrants && i < POLICY_MAX_GRANTS; i++) {
            const struct role_grant *g = &p->grants[i];
            if (g->role == ROLE_APST_SPECIALIST && g->scope == SCOPE_TEAM && g->scope_id == t->team_id &&
                strcmp(g->detail, kind) == 0)
                id = u->id;
        }
    }
    free(u);
    free(p);
    if (!id)
        field_errors_add(errs, "username",
                         "Enter the user name of an account with the taskforce specialist role on this taskforce, "
                         "for this type of specialist");
    return id;
}

enum svc_status svc_apst_specialist_add(struct svc_ctx *c, int64_t taskforce_id, const struct apst_specialist_form *f,
                                        struct field_errors *errs, int64_t *id)
{
    struct apst_taskforce_row t;
    enum svc_status st = get_for(c, taskforce_id, ACT_EDIT, &t);
    if (st != SVC_OK)
        return st;
    struct apst_specialist_row r;
    memset(&r, 0, sizeof r);
    r.taskforce_id = t.id;
    code_field(&codes_apst_specialist, f->kind, r.kind, sizeof r.kind, "kind", "Select the type of specialist", errs);
    case_text_required(f->name, r.name, sizeof r.name, "name", "The name", "Enter the specialist's name", errs);
    int fte = 0;
    if (apst_fte_parse(f->fte, 100, &fte) != 0)
        field_errors_add(errs, "fte", "Enter the FTE as a number from 0.01 to 1, like 0.6");
    r.fte = fte;
    r.days_on_site = int_field(f->days_on_site, 0, 5, "days_on_site", "Enter the days on site each week, 0 to 5",
                               errs);
    case_text(f->home_service, r.home_service, sizeof r.home_service, "home_service", "The home service", errs);
    code_field(&codes_apst_funding, f->funding, r.funding, sizeof r.funding, "funding",
               "Select how the post is funded", errs);
    code_field(&codes_apst_supervision, f->supervision, r.supervision, sizeof r.supervision, "supervision",
               "Select the supervision arrangement", errs);
    date_field(c, f->starts_on, true, true, "starts_on", "the date they started", r.starts_on, errs);
    date_from(c, f->ends_on, false, r.starts_on, "ends_on", "the date they left",
              "The date they left must be on or after the date they started", r.ends_on, errs);
    if (f->username && *f->username)
        r.user_id = specialist_account(c, &t, r.kind, f->username, errs);
    if ((st = change_begin_valid(c, errs)) != SVC_OK)
        return st;
    enum store_rc rc = q_apst_specialist_insert(c->db, &r, c->now);
    return created(c, rc, "apst_specialist", r.id, 0, &t, id);
}

/* Specialist id and its taskforce, to change: the user must see it and
 * may edit the taskforce (SVC_FORBIDDEN). */
static enum svc_status specialist_for_edit(struct svc_ctx *c, int64_t id, struct apst_specialist_row *r,
                                           struct apst_taskforce_row *t)
{
    enum svc_status st = svc_apst_specialist_get(c, id, r, t);
    if (st == SVC_OK && !may(c, ACT_EDIT, t))
        st = SVC_FORBIDDEN;
    return st;
}

enum svc_status svc_apst_specialist_link(struct svc_ctx *c, int64_t specialist_id, const char *username,
                                         struct field_errors *errs)
{
    struct apst_specialist_row r;
    struct apst_taskforce_row t;
    enum svc_status st = specialist_for_edit(c, specialist_id, &r, &t);
    if (st != SVC_OK)
        return st;
    int64_t user = 0;
    if (username && *username)
        user = specialist_account(c, &t, r.kind, username, errs);
    if ((st = change_begin_valid(c, errs)) != SVC_OK)
        return st;
    st = svc_from_get(q_apst_specialist_set_user(c->db, specialist_id, user, c->now));
    return change_end(c, st, "edit", "apst_specialist", specialist_id, 0, &t);
}

enum svc_status svc_apst_specialist_get(struct svc_ctx *c, int64_t id, struct apst_specialist_row *out,
                                        struct apst_taskforce_row *t)
{
    enum store_rc rc = q_apst_specialist_get(c->db, id, out);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    return svc_apst_get(c, out->taskforce_id, t);
}

enum svc_status svc_apst_specialist_end(struct svc_ctx *c, int64_t id, const char *ends_on,
                                        struct field_errors *errs)
{
    struct apst_specialist_row r;
    struct apst_taskforce_row t;
    enum svc_status st = specialist_for_edit(c, id, &r, &t);
    if (st != SVC_OK)
        return st;
    char ends[11];
    date_from(c, ends_on, true, r.starts_on, "ends_on", "the last day in post",
              "The last day in post must be on or after the date they started", ends, errs);
    if ((st = change_begin_valid(c, errs)) != SVC_OK)
        return st;
    st = svc_from_get(q_apst_specialist_end(c->db, id, ends, c->now));
    return change_end(c, st, "edit", "apst_specialist", id, 0, &t);
}

enum svc_status svc_apst_specialists(struct svc_ctx *c, const struct apst_taskforce_row *t,
                                     void (*fn)(void *arg, const struct apst_specialist_row *r), void *arg)
{
    if (!may(c, ACT_VIEW, t))
        return SVC_NOT_FOUND;
    return svc_from_store(q_apst_specialists(c->db, t->id, fn, arg));
}

#define MAX_POSTS 64
struct posts {
    struct apst_post p[MAX_POSTS];
    char kinds[MAX_POSTS][16];
    int64_t fte[MAX_POSTS];
    size_t n;
};

static void add_post(void *arg, const struct apst_specialist_row *r)
{
    struct posts *ps = arg;
    if (ps->n >= MAX_POSTS)
        return;
    size_t i = ps->n++;
    snprintf(ps->kinds[i], sizeof ps->kinds[i], "%s", r->kind);
    ps->p[i].kind = ps->kinds[i];
    day_parse(r->starts_on, &ps->p[i].starts);
    ps->p[i].ends = 0;
    if (r->ends_on[0])
        day_parse(r->ends_on, &ps->p[i].ends);
    ps->fte[i] = r->fte;
}

enum svc_status svc_apst_composition(struct svc_ctx *c, const struct apst_taskforce_row *t, const char *day,
                                     struct apst_composition *out)
{
    memset(out, 0, sizeof *out);
    struct posts *ps = calloc(1, sizeof *ps);
    if (!ps)
        return SVC_ERROR;
    enum svc_status st = svc_apst_specialists(c, t, add_post, ps);
    int32_t d = 0;
    if (st == SVC_OK && day_parse(day, &d) != 0)
        st = SVC_ERROR;
    if (st == SVC_OK) {
        out->types = apst_types_in_post(ps->p, ps->n, d, out->seen);
        out->below_minimum = apst_below_minimum(out->types);
        for (size_t i = 0; i < ps->n; i++)
            if (apst_in_post(&ps->p[i], d)) {
                out->fte += ps->fte[i];
                out->headcount++;
            }
    }
    free(ps);
    return st;
}

/* ---- agreements ---- */

enum svc_status svc_apst_agreement_add(struct svc_ctx *c, int64_t taskforce_id, const struct apst_agreement_form *f,
                                       struct field_errors *errs, int64_t *id)
{
    struct apst_taskforce_row t;
    enum svc_status st = get_for(c, taskforce_id, ACT_EDIT, &t);
    if (st != SVC_OK)
        return st;
    struct apst_agreement_row r;
    memset(&r, 0, sizeof r);
    r.taskforce_id = t.id;
    code_field(&codes_apst_agreement, f->kind, r.kind, sizeof r.kind, "kind", "Select the kind of agreement", errs);
    case_text_required(f->party, r.party, sizeof r.party, "party", "The partner",
                       "Enter the partner the agreement is with", errs);
    date_field(c, f->signed_on, true, false, "signed_on", "the date it was signed", r.signed_on, errs);
    date_from(c, f->review_on, true, r.signed_on, "review_on", "the date it is to be reviewed",
              "The review date must be on or after the date it was signed", r.review_on, errs);
    if ((st = change_begin_valid(c, errs)) != SVC_OK)
        return st;
    enum store_rc rc = q_apst_agreement_insert(c->db, &r, c->now);
    return created(c, rc, "apst_agreement", r.id, 0, &t, id);
}

enum svc_status svc_apst_agreements(struct svc_ctx *c, const struct apst_taskforce_row *t,
                                    void (*fn)(void *arg, const struct apst_agreement_row *r), void *arg)
{
    if (!may(c, ACT_VIEW, t))
        return SVC_NOT_FOUND;
    return svc_from_store(q_apst_agreements(c->db, t->id, fn, arg));
}

/* ---- referrals ---- */

enum svc_status svc_apst_referral_create(struct svc_ctx *c, int64_t taskforce_id,
                                         const struct apst_referral_form *f, struct field_errors *errs,
                                         int64_t *id)
{
    struct apst_taskforce_row t;
    enum svc_status st = get_for(c, taskforce_id, ACT_EDIT, &t);
    if (st != SVC_OK)
        return st;
    struct apst_referral_row *r = calloc(1, sizeof *r);
    struct pupil_row *p = calloc(1, sizeof *p);
    if (!r || !p) {
        free(r);
        free(p);
        return SVC_ERROR;
    }
    int64_t pupil = opt_id(f->pupil_id);
    if (pupil == 0 && f->upn && *f->upn) {
        char upn[16];
        snprintf(upn, sizeof upn, "%.15s", f->upn);
        for (char *q = upn; *q; q++)
            if (*q >= 'a' && *q <= 'z')
                *q = (char)(*q - 'a' + 'A');
        if (q_pupil_id_by_upn(c->db, upn, &pupil) != STORE_ROW)
            pupil = -1;
    }
    /* One answer for a pupil who does not exist, is hidden, or is of
     * another authority. */
    if (pupil == 0)
        field_errors_add(errs, "upn", "Enter the pupil's UPN");
    else if (pupil < 0 || svc_pupil_get(c, pupil, p) != SVC_OK || p->authority_id != t.authority_id)
        field_errors_add(errs, "upn", "Enter the UPN of a pupil of this authority whose record you can see");
    r->taskforce_id = t.id;
    r->pupil_id = pupil;
    code_field(&codes_apst_route, f->route, r->route, sizeof r->route, "route", "Select how the pupil was referred",
               errs);
    date_field(c, f->referred_on, true, false, "referred_on", "the date of the referral", r->referred_on, errs);
    case_text(f->referrer, r->referrer, sizeof r->referrer, "referrer", "Who referred", errs);
    case_text(f->reason, r->reason, sizeof r->reason, "reason", "The reason", errs);
    consent_fields(c, &f->consent, false, r, errs);
    st = change_begin_valid(c, errs);
    if (st == SVC_OK) {
        enum store_rc rc = q_apst_referral_insert(c->db, r, c->who->user_id, c->now);
        st = created(c, rc, "apst_referral", r->id, r->pupil_id, &t, id);
    }
    free(r);
    free(p);
    return st;
}

/* A referral as the policy sees it: the taskforce's team, the pupil, the
 * specialist types its consent covers, and -- when staffed -- the accounts
 * of its lead and assigned specialists.  Without staff it is the
 * taskforce's decision about the pupil (triage, consent, assignment):
 * specialists are refused it (core/policy.c, REACH_APST_*). */
static bool referral_res(struct svc_ctx *c, const struct apst_referral_row *r, bool staffed, struct resource *res)
{
    memset(res, 0, sizeof *res);
    res->kind = RES_APST;
    res->id = r->taskforce_id;
    res->authority_id = r->authority_id;
    res->school_id = r->ap_school_id;
    res->team_id = r->team_id;
    res->pupil_id = r->pupil_id;
    for (size_t k = 0; k < codes_apst_specialist.count && res->nconsent < POLICY_MAX_CONSENT; k++) {
        const char *kind = codes_apst_specialist.entries[k].code;
        if (apst_consent_covers(r->consent_basis, r->consent_kinds, kind))
            snprintf(res->consent[res->nconsent++], POLICY_CODE_MAX, "%s", kind);
    }
    if (staffed && q_apst_referral_staff_users(c->db, r->id, res->staff, POLICY_MAX_STAFF, &res->nstaff) != STORE_OK)
        return false;
    return true;
}

static bool referral_may_as(struct svc_ctx *c, enum action a, const struct apst_referral_row *r, bool staffed)
{
    struct resource res;
    return referral_res(c, r, staffed, &res) && svc_decide(c, a, &res);
}

/* Viewing a referral goes by its staff; changing its triage, consent or
 * staff is the taskforce's (the manager's) decision. */
/* change_begin for a referral, with its taskforce (for the entry's place). */
static enum svc_status referral_change_begin(struct svc_ctx *c, const struct apst_referral_row *r,
                                             struct apst_taskforce_row *t)
{
    return svc_from_get(q_apst_get(c->db, r->taskforce_id, t)) == SVC_OK ? change_begin(c) : SVC_ERROR;
}

static bool referral_may(struct svc_ctx *c, enum action a, const struct apst_referral_row *r)
{
    return referral_may_as(c, a, r, a == ACT_VIEW || a == ACT_LIST);
}

/* Referral id into r (NULL: SVC_ERROR), to change: the user must see it
 * and may change it (SVC_FORBIDDEN). */
static enum svc_status referral_for_edit(struct svc_ctx *c, int64_t id, struct apst_referral_row *r)
{
    enum svc_status st = r ? svc_apst_referral_get(c, id, r) : SVC_ERROR;
    if (st == SVC_OK && !referral_may(c, ACT_EDIT, r))
        st = SVC_FORBIDDEN;
    return st;
}

/* Referral r, its form checked into it, saved by update (its consent or
 * its triage) with the entry "edit" on kind; SVC_INVALID while errs
 * holds any. */
static enum svc_status referral_update(struct svc_ctx *c, const struct apst_referral_row *r,
                                       const struct field_errors *errs,
                                       enum store_rc (*update)(struct store *s, const struct apst_referral_row *r,
                                                               int64_t now),
                                       const char *kind)
{
    struct apst_taskforce_row t;
    enum svc_status st = errs->count ? SVC_INVALID : referral_change_begin(c, r, &t);
    if (st == SVC_OK) {
        st = svc_from_get(update(c->db, r, c->now));
        st = change_end(c, st, "edit", kind, r->id, r->pupil_id, &t);
    }
    return st;
}

/* Whether specialist id is a post of taskforce taskforce_id. */
static bool own_specialist(struct svc_ctx *c, int64_t id, int64_t taskforce_id)
{
    struct apst_specialist_row sp;
    return id > 0 && q_apst_specialist_get(c->db, id, &sp) == STORE_ROW && sp.taskforce_id == taskforce_id;
}

enum svc_status svc_apst_referral_get(struct svc_ctx *c, int64_t id, struct apst_referral_row *out)
{
    enum store_rc rc = q_apst_referral_get(c->db, id, out);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    return referral_may(c, ACT_VIEW, out) ? SVC_OK : SVC_NOT_FOUND;
}

enum svc_status svc_apst_referral_view(struct svc_ctx *c, int64_t id, struct apst_referral_row *out)
{
    enum svc_status st = svc_apst_referral_get(c, id, out);
    if (st != SVC_OK)
        return st;
    struct audit_event ev = {.action = "view", .kind = "apst_referral", .resource_id = id, .pupil_id = out->pupil_id,
                             .school_id = out->pupil_school_id, .authority_id = out->authority_id,
                             .detail = "/apst/referrals/:id"};
    return svc_audit_record(c, &ev);
}

static bool rf_visible(struct svc_ctx *c, const struct apst_referral_row *r)
{
    return referral_may(c, ACT_VIEW, r);
}

SVC_ROW_FILTER(rf_filter, struct apst_referral_row, rf_visible)

enum svc_status svc_apst_referrals(struct svc_ctx *c, const struct apst_taskforce_row *t, const char *triage,
                                   void (*fn)(void *arg, const struct apst_referral_row *r), void *arg)
{
    if (!may(c, ACT_VIEW, t))
        return SVC_NOT_FOUND;
    /* Each referral as the user may see it: a specialist, those they lead
     * or are assigned to, with consent covering them. */
    struct rf_filter f = {.c = c, .fn = fn, .arg = arg};
    enum svc_status st = svc_from_store(q_apst_referrals(c->db, t->id, triage, rf_filter_row, &f));
    if (st != SVC_OK)
        return st;
    struct audit_event ev = {.action = "list", .kind = "apst_referral", .resource_id = t->id,
                             .school_id = t->school_id, .authority_id = t->authority_id, .detail = "/apst/:id"};
    return svc_audit_record(c, &ev);
}

/* The consent fields of a form into r (basis "" and nothing else given:
 * none recorded, allowed when creating). */
static void consent_fields(struct svc_ctx *c, const struct apst_consent_form *f, bool required,
                           struct apst_referral_row *r, struct field_errors *errs)
{
    const char *basis = f->basis && *f->basis ? f->basis : "";
    if (!*basis && !required)
        return;
    char on[11] = "";
    /* A date typed but wrong has its own error (date_field); none typed is
     * apst_consent_check's. */
    bool have_date = f->on && *f->on;
    if (have_date)
        date_field(c, f->on, false, false, "consent_on", "the date of the consent", on, errs);
    int64_t kinds = apst_consent_bits(f->kinds, f->nkinds);   /* -1: an unknown type, refused as none */
    char by[121] = "", note[1001] = "";
    case_text(f->by, by, sizeof by, "consent_by", "Who gave consent", errs);
    case_text(f->note, note, sizeof note, "consent_note", "The concern", errs);
    apst_consent_check(basis, by, have_date, kinds < 0 ? 0 : kinds, note, errs);
    snprintf(r->consent_basis, sizeof r->consent_basis, "%s", code_find(&codes_apst_consent, basis) ? basis : "");
    snprintf(r->consent_by, sizeof r->consent_by, "%s", by);
    snprintf(r->consent_on, sizeof r->consent_on, "%s", on);
    /* A safeguarding concern covers every type (core apst_consent_covers);
     * withdrawal covers none. */
    r->consent_kinds = (!strcmp(basis, "family") || !strcmp(basis, "young_person")) && kinds > 0 ? kinds : 0;
    snprintf(r->consent_note, sizeof r->consent_note, "%s", note);
}

enum svc_status svc_apst_referral_consent(struct svc_ctx *c, int64_t id, const struct apst_consent_form *f,
                                          struct field_errors *errs)
{
    struct apst_referral_row *r = malloc(sizeof *r);
    enum svc_status st = referral_for_edit(c, id, r);
    if (st == SVC_OK) {
        consent_fields(c, f, true, r, errs);
        st = referral_update(c, r, errs, q_apst_referral_consent, "apst_consent");
    }
    free(r);
    return st;
}

enum svc_status svc_apst_referral_assign(struct svc_ctx *c, int64_t id, const char *specialist_id,
                                         struct field_errors *errs)
{
    struct apst_referral_row *r = malloc(sizeof *r);
    enum svc_status st = referral_for_edit(c, id, r);
    if (st == SVC_OK) {
        int64_t sp_id = opt_id(specialist_id);
        if (!own_specialist(c, sp_id, r->taskforce_id))
            field_errors_add(errs, "specialist_id", "Select a specialist of this taskforce");
        struct apst_taskforce_row t;
        st = errs->count ? SVC_INVALID : referral_change_begin(c, r, &t);
        if (st == SVC_OK) {
            st = svc_from_store(q_apst_referral_staff_add(c->db, id, sp_id, c->now));
            st = change_end(c, st, "assign", "apst_referral", r->id, r->pupil_id, &t);
        }
    }
    free(r);
    return st;
}

enum svc_status svc_apst_referral_unassign(struct svc_ctx *c, int64_t id, const char *specialist_id,
                                           struct field_errors *errs)
{
    struct apst_referral_row *r = malloc(sizeof *r);
    enum svc_status st = referral_for_edit(c, id, r);
    struct apst_taskforce_row t;
    int64_t sp_id = opt_id(specialist_id);
    if (st == SVC_OK)
        st = referral_change_begin(c, r, &t);
    if (st == SVC_OK) {
        enum store_rc rc = sp_id > 0 ? q_apst_referral_staff_remove(c->db, id, sp_id) : STORE_DONE;
        if (rc == STORE_DONE) {
            store_end_write(c->db, STORE_ERROR);
            field_errors_add(errs, "specialist_id", "Select a specialist who works with this pupil");
            st = SVC_INVALID;
        } else {
            st = change_end(c, svc_from_store(rc), "unassign", "apst_referral", r->id, r->pupil_id, &t);
        }
    }
    free(r);
    return st;
}

enum svc_status svc_apst_referral_staff(struct svc_ctx *c, const struct apst_referral_row *r,
                                        void (*fn)(void *arg, const struct apst_specialist_row *s), void *arg)
{
    if (!referral_may(c, ACT_VIEW, r))
        return SVC_NOT_FOUND;
    return svc_from_store(q_apst_referral_staff(c->db, r->id, fn, arg));
}

/* The triage form checked (field errors into errs) and, when right,
 * written into referral r. */
static void triage_fields(struct svc_ctx *c, const struct apst_triage_form *f, struct apst_referral_row *r,
                          struct field_errors *errs)
{
    int threshold = -1;
    if (f->threshold_met && *f->threshold_met) {
        threshold = tristate_parse(f->threshold_met);
        if (threshold == -2 || threshold < -1)
            threshold = 2;   /* refused by the check below */
    }
    int64_t lead = opt_id(f->lead_specialist_id);
    apst_triage_check(f->triage, f->tier, lead, threshold, errs);
    if (lead < 0 || (lead > 0 && !own_specialist(c, lead, r->taskforce_id)))
        field_errors_add(errs, "lead_specialist_id", "Select a specialist of this taskforce");
    const char *eng = f->engagement && *f->engagement ? f->engagement : "";
    if (*eng && !code_find(&codes_apst_engagement, eng))
        field_errors_add(errs, "engagement", "Select how the pupil engaged");
    char closed[11] = "";
    if (date_field(c, f->closed_on, false, false, "closed_on", "the date the work ended", closed, errs) == 0 &&
        closed[0] && strcmp(closed, r->referred_on) < 0)
        field_errors_add(errs, "closed_on", "The date the work ended must be on or after the referral");
    if (errs->count)
        return;
    const struct code_entry *d = code_find(&codes_apst_triage, f->triage);
    snprintf(r->triage, sizeof r->triage, "%s", d->code);
    snprintf(r->triaged_on, sizeof r->triaged_on, "%s", c->today);
    r->threshold_met = threshold;
    snprintf(r->tier, sizeof r->tier, "%s", f->tier && *f->tier ? f->tier : "");
    r->lead_specialist_id = lead;
    snprintf(r->engagement, sizeof r->engagement, "%s", eng);
    snprintf(r->closed_on, sizeof r->closed_on, "%s", closed);
}

enum svc_status svc_apst_referral_triage(struct svc_ctx *c, int64_t id, const struct apst_triage_form *f,
                                         struct field_errors *errs)
{
    struct apst_referral_row *r = malloc(sizeof *r);
    enum svc_status st = referral_for_edit(c, id, r);
    if (st == SVC_OK) {
        triage_fields(c, f, r, errs);
        st = referral_update(c, r, errs, q_apst_referral_triage, "apst_referral");
    }
    free(r);
    return st;
}

/* ---- weekly case meetings ---- */

enum svc_status svc_apst_meeting_add(struct svc_ctx *c, int64_t taskforce_id, const char *date, const char *time,
                                     struct field_errors *errs, int64_t *meeting_id)
{
    struct apst_taskforce_row t;
    enum svc_status st = get_for(c, taskforce_id, ACT_EDIT, &t);
    if (st != SVC_OK)
        return st;
    return svc_meeting_add(c, t.team_id, date, time, errs, meeting_id);
}

enum svc_status svc_apst_meetings(struct svc_ctx *c, const struct apst_taskforce_row *t,
                                  void (*fn)(void *arg, const struct meeting_row *r), void *arg)
{
    if (!may(c, ACT_VIEW, t))
        return SVC_NOT_FOUND;
    struct meeting_filter mf = {.team_id = t->team_id, .status = "", .from = "", .to = "", .today = c->today,
                                .order = MEETING_NEWEST_FIRST};
    struct page_req pg = {1, 100};
    int64_t total = 0;
    return svc_meeting_list(c, &mf, &pg, &total, fn, arg);
}

enum svc_status svc_apst_meeting_get(struct svc_ctx *c, int64_t meeting_id, struct meeting_row *m,
                                     struct apst_taskforce_row *t)
{
    enum svc_status st = svc_meeting_get(c, meeting_id, m);
    if (st != SVC_OK)
        return st;
    enum store_rc rc = q_apst_by_team(c->db, m->m.team_id, t);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    return may(c, ACT_VIEW, t) ? SVC_OK : SVC_NOT_FOUND;
}

/* A referral of taskforce t named by a form (0 none, -1 not one). */
static int64_t own_referral(struct svc_ctx *c, const char *in, const struct apst_taskforce_row *t)
{
    int64_t id = opt_id(in);
    if (id <= 0)
        return id;
    struct apst_referral_row *r = malloc(sizeof *r);
    bool ok = r && q_apst_referral_get(c->db, id, r) == STORE_ROW && r->taskforce_id == t->id;
    free(r);
    return ok ? id : -1;
}

/* The taskforce of case meeting meeting_id, when the user may see it. */
static enum svc_status meeting_taskforce(struct svc_ctx *c, int64_t meeting_id, struct apst_taskforce_row *t)
{
    struct meeting_row *m = malloc(sizeof *m);
    enum svc_status st = m ? svc_apst_meeting_get(c, meeting_id, m, t) : SVC_ERROR;
    free(m);
    return st;
}

enum svc_status svc_apst_item_add(struct svc_ctx *c, int64_t meeting_id, const struct apst_item_form *f,
                                  struct field_errors *errs, int64_t *id)
{
    struct apst_taskforce_row t;
    enum svc_status st = meeting_taskforce(c, meeting_id, &t);
    if (st == SVC_OK && !may(c, ACT_EDIT, &t))
        st = SVC_FORBIDDEN;
    if (st != SVC_OK)
        return st;
    struct apst_item_row *r = calloc(1, sizeof *r);
    if (!r)
        return SVC_ERROR;
    r->meeting_id = meeting_id;
    code_field(&codes_apst_item, f->kind, r->kind, sizeof r->kind, "kind", "Select what the item is about", errs);
    const char *kind = r->kind;
    r->referral_id = own_referral(c, f->referral_id, &t);
    if (r->referral_id < 0)
        field_errors_add(errs, "referral_id", "Select a referral of this taskforce");
    else if (r->referral_id == 0 && (!strcmp(kind, "new_referral") || !strcmp(kind, "held_case")))
        field_errors_add(errs, "referral_id", "Select the pupil's referral");
    if (!strcmp(kind, "significant_event"))
        code_field(&codes_apst_event, f->event_kind, r->event_kind, sizeof r->event_kind, "event_kind",
                   "Select the kind of event", errs);
    case_text_required(f->decision, r->decision, sizeof r->decision, "decision", "The decision",
                       "Enter what was decided", errs);
    code_field(&codes_apst_decider, f->decided_by, r->decided_by, sizeof r->decided_by, "decided_by",
               "Select who made the decision", errs);
    case_text(f->decided_by_name, r->decided_by_name, sizeof r->decided_by_name, "decided_by_name",
              "The names of who decided", errs);
    st = change_begin_valid(c, errs);
    if (st == SVC_OK) {
        enum store_rc rc = q_apst_item_insert(c->db, r, c->who->user_id, c->now);
        st = created(c, rc, "apst_meeting_item", r->id, 0, &t, id);
    }
    free(r);
    return st;
}

static bool item_visible(struct svc_ctx *c, const struct apst_item_row *r)
{
    return referral_visible(c, r->referral_id);
}

SVC_ROW_FILTER(item_filter, struct apst_item_row, item_visible)

enum svc_status svc_apst_items(struct svc_ctx *c, int64_t meeting_id,
                               void (*fn)(void *arg, const struct apst_item_row *r), void *arg)
{
    struct apst_taskforce_row t;
    enum svc_status st = meeting_taskforce(c, meeting_id, &t);
    if (st != SVC_OK)
        return st;
    /* Decisions about a pupil the user may not see are left out. */
    struct item_filter f = {.c = c, .fn = fn, .arg = arg, .all = may(c, ACT_EDIT, &t)};
    return svc_from_store(q_apst_items(c->db, meeting_id, item_filter_row, &f));
}

/* ---- intervention log ---- */

/* Whether the user may log time for specialist sp (about referral rf, or
 * none): the policy with the post's account as the record's staff and, for
 * a referral, its pupil and consent; and the referral itself visible. */
static bool may_log(struct svc_ctx *c, const struct apst_taskforce_row *t, const struct apst_specialist_row *sp,
                    const struct apst_referral_row *rf)
{
    struct resource res;
    if (rf) {
        if (!referral_may(c, ACT_VIEW, rf) || !referral_res(c, rf, false, &res))
            return false;
    } else {
        res = taskforce_res(t);
    }
    res.nstaff = 0;
    if (sp->user_id > 0)
        res.staff[res.nstaff++] = sp->user_id;
    else
        res.staff[res.nstaff++] = -1;   /* no account: nobody's own work */
    return svc_decide(c, ACT_EDIT, &res);
}

struct own_post {
    int64_t user_id;
    bool found;
};
static void find_own(void *arg, const struct apst_specialist_row *r)
{
    struct own_post *o = arg;
    o->found |= r->user_id > 0 && r->user_id == o->user_id;
}

/* may_log about referral_id (0: none), read here; false when it cannot be. */
static bool may_log_about(struct svc_ctx *c, const struct apst_taskforce_row *t, const struct apst_specialist_row *sp,
                          int64_t referral_id)
{
    struct apst_referral_row *rf = NULL;
    bool ok = true;
    if (referral_id > 0) {
        rf = malloc(sizeof *rf);
        ok = rf && q_apst_referral_get(c->db, referral_id, rf) == STORE_ROW;
    }
    ok = ok && may_log(c, t, sp, rf);
    free(rf);
    return ok;
}

/* Whether the user holds a post of their own in taskforce t: SVC_OK, else
 * SVC_FORBIDDEN (or SVC_ERROR when the posts cannot be read). */
static enum svc_status own_post_in(struct svc_ctx *c, const struct apst_taskforce_row *t)
{
    struct own_post o = {c->who->user_id, false};
    if (q_apst_specialists(c->db, t->id, find_own, &o) != STORE_OK)
        return SVC_ERROR;
    return o.found ? SVC_OK : SVC_FORBIDDEN;
}

bool svc_apst_may_log(struct svc_ctx *c, const struct apst_taskforce_row *t)
{
    if (may(c, ACT_EDIT, t))
        return true;
    if (!may(c, ACT_VIEW, t))
        return false;
    return own_post_in(c, t) == SVC_OK;
}

enum svc_status svc_apst_intervention_add(struct svc_ctx *c, int64_t taskforce_id,
                                          const struct apst_intervention_form *f, struct field_errors *errs,
                                          int64_t *id)
{
    struct apst_taskforce_row t;
    enum svc_status st = svc_apst_get(c, taskforce_id, &t);
    if (st != SVC_OK)
        return st;
    bool whole = may(c, ACT_EDIT, &t);
    /* Not the taskforce's manager: only someone with a post of their own
     * here may log (their own) time. */
    if (!whole && (st = own_post_in(c, &t)) != SVC_OK)
        return st;
    struct apst_intervention_row r;
    memset(&r, 0, sizeof r);
    r.taskforce_id = t.id;
    r.specialist_id = opt_id(f->specialist_id);
    struct apst_specialist_row sp;
    memset(&sp, 0, sizeof sp);
    bool sp_ok = r.specialist_id > 0 && q_apst_specialist_get(c->db, r.specialist_id, &sp) == STORE_ROW &&
                 sp.taskforce_id == t.id;
    if (!sp_ok)
        field_errors_add(errs, "specialist_id", "Select the specialist who did the work");
    code_field(&codes_apst_activity, f->activity, r.activity, sizeof r.activity, "activity", "Select the activity",
               errs);
    const char *act = r.activity;
    r.referral_id = own_referral(c, f->referral_id, &t);
    if (r.referral_id < 0)
        field_errors_add(errs, "referral_id", "Select a referral of this taskforce");
    else if (r.referral_id == 0 && (!strcmp(act, "pupil") || !strcmp(act, "family")))
        field_errors_add(errs, "referral_id", "Select the pupil the work was with");
    date_field(c, f->delivered_on, true, false, "delivered_on", "the date of the work", r.delivered_on, errs);
    r.minutes = int_field(f->minutes, 1, 1440, "minutes", "Enter the time in minutes, from 1 to 1440", errs);
    if (!whole && sp_ok && r.referral_id >= 0 && !may_log_about(c, &t, &sp, r.referral_id))
        return SVC_FORBIDDEN;
    if ((st = change_begin_valid(c, errs)) != SVC_OK)
        return st;
    enum store_rc rc = q_apst_intervention_insert(c->db, &r, c->who->user_id, c->now);
    return created(c, rc, "apst_intervention", r.id, 0, &t, id);
}

/* Rows about a pupil the user may not see (a specialist not on the
 * referral, or without consent) are left out. */
static bool referral_visible(struct svc_ctx *c, int64_t referral_id)
{
    if (referral_id <= 0)
        return true;
    struct apst_referral_row *rf = malloc(sizeof *rf);
    bool ok = rf && q_apst_referral_get(c->db, referral_id, rf) == STORE_ROW && referral_may(c, ACT_VIEW, rf);
    free(rf);
    return ok;
}

static bool iv_visible(struct svc_ctx *c, const struct apst_intervention_row *r)
{
    return referral_visible(c, r->referral_id);
}

SVC_ROW_FILTER(iv_filter, struct apst_intervention_row, iv_visible)

enum svc_status svc_apst_interventions(struct svc_ctx *c, const struct apst_taskforce_row *t, const char *from,
                                       const char *to,
                                       void (*fn)(void *arg, const struct apst_intervention_row *r), void *arg)
{
    if (!may(c, ACT_VIEW, t))
        return SVC_NOT_FOUND;
    struct iv_filter f = {.c = c, .fn = fn, .arg = arg, .all = may(c, ACT_EDIT, t)};
    return svc_from_store(q_apst_interventions(c->db, t->id, from, to, iv_filter_row, &f));
}

/* ---- costs actually spent ---- */

enum svc_status svc_apst_cost_add(struct svc_ctx *c, int64_t taskforce_id, const struct apst_cost_form *f,
                                  struct field_errors *errs, int64_t *id)
{
    struct apst_taskforce_row t;
    enum svc_status st = get_for(c, taskforce_id, ACT_EDIT, &t);
    if (st != SVC_OK)
        return st;
    struct apst_cost_row r;
    memset(&r, 0, sizeof r);
    r.taskforce_id = t.id;
    code_field(&codes_apst_cost_line, f->line, r.line, sizeof r.line, "line", "Select what the money was spent on",
               errs);
    date_field(c, f->period_from, true, true, "period_from", "the first day of the period", r.period_from, errs);
    date_from(c, f->period_to, true, r.period_from, "period_to", "the last day of the period",
              "The last day must be on or after the first day", r.period_to, errs);
    if (apst_money_parse(f->amount, &r.amount_pence) != 0)
        field_errors_add(errs, "amount", "Enter the amount in pounds, like 1200 or 1200.50");
    case_text(f->note, r.note, sizeof r.note, "note", "The note", errs);
    if ((st = change_begin_valid(c, errs)) != SVC_OK)
        return st;
    enum store_rc rc = q_apst_cost_insert(c->db, &r, c->who->user_id, c->now);
    return created(c, rc, "apst_cost", r.id, 0, &t, id);
}

enum svc_status svc_apst_costs(struct svc_ctx *c, const struct apst_taskforce_row *t, const char *from,
                               const char *to, void (*fn)(void *arg, const struct apst_cost_row *r), void *arg)
{
    if (!may(c, ACT_VIEW, t))
        return SVC_NOT_FOUND;
    return svc_from_store(q_apst_costs(c->db, t->id, from, to, fn, arg));
}

/* ---- voiding an entry made by mistake (migration 0030) ---- */

/* Who may void an entry: whoever may make it.  A cost is the manager's;
 * time logged is the manager's or, for their own post, the specialist's
 * (as svc_apst_intervention_add). */
enum svc_status svc_apst_may_void(struct svc_ctx *c, enum apst_voidable kind, int64_t id, struct apst_taskforce_row *t,
                                  bool *voided)
{
    int64_t taskforce_id = 0, specialist_id = 0, referral_id = 0;
    enum store_rc rc;
    if (kind == APST_VOID_COST) {
        struct apst_cost_row r = {0};
        rc = q_apst_cost_get(c->db, id, &r);
        taskforce_id = r.taskforce_id, *voided = r.voided;
    } else {
        struct apst_intervention_row r = {0};
        rc = q_apst_intervention_get(c->db, id, &r);
        taskforce_id = r.taskforce_id, *voided = r.voided;
        specialist_id = r.specialist_id, referral_id = r.referral_id;
    }
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    enum svc_status st = svc_apst_get(c, taskforce_id, t);
    if (st != SVC_OK || may(c, ACT_EDIT, t))
        return st;
    if (kind == APST_VOID_COST || !may(c, ACT_VIEW, t))
        return SVC_FORBIDDEN;
    struct apst_specialist_row sp;
    bool ok = q_apst_specialist_get(c->db, specialist_id, &sp) == STORE_ROW && may_log_about(c, t, &sp, referral_id);
    return ok ? SVC_OK : SVC_FORBIDDEN;
}

enum svc_status svc_apst_void(struct svc_ctx *c, enum apst_voidable kind, int64_t id, const char *reason,
                              struct field_errors *errs, int64_t *taskforce_id)
{
    struct apst_taskforce_row t;
    bool voided = false;
    enum svc_status st = svc_apst_may_void(c, kind, id, &t, &voided);
    if (st != SVC_OK)
        return st;
    if (taskforce_id)
        *taskforce_id = t.id;
    char why[201];   /* apst_*_row.void_reason */
    if (voided)
        field_errors_add(errs, "reason", "This entry is already voided");
    case_text_required(reason, why, sizeof why, "reason", "The reason", "Say why the entry is voided", errs);
    if (errs->count)
        return SVC_INVALID;
    if ((st = change_begin(c)) != SVC_OK)
        return st;
    enum store_rc rc = q_apst_void(c->db, kind, id, why, c->who->user_id, c->now);
    /* Voided meanwhile by someone else: refused, as voiding twice is. */
    st = rc == STORE_DONE ? SVC_INVALID : svc_from_store(rc);
    if (rc == STORE_DONE)
        field_errors_add(errs, "reason", "This entry is already voided");
    return change_end(c, st, "void", kind == APST_VOID_COST ? "apst_cost" : "apst_intervention", id, 0, &t);
}

/* ---- the MI return ---- */

#define MI_MAX_PUPILS 4000
struct mi_pupils {
    struct apst_mi_pupil *p;
    size_t n;
    bool overflow;
};

static void add_mi_pupil(void *arg, const struct apst_mi_pupil *r)
{
    struct mi_pupils *m = arg;
    /* Rows come by pupil: a pupil with two referrals counts once, with the
     * gravest engagement outcome (refused, then ended early). */
    if (m->n > 0 && m->p[m->n - 1].pupil_id == r->pupil_id) {
        struct apst_mi_pupil *last = &m->p[m->n - 1];
        if (!strcmp(r->engagement, "refused") ||
            (!strcmp(r->engagement, "ended_early") && strcmp(last->engagement, "refused") != 0))
            snprintf(last->engagement, sizeof last->engagement, "%s", r->engagement);
        return;
    }
    if (m->n >= MI_MAX_PUPILS) {
        m->overflow = true;
        return;
    }
    m->p[m->n++] = *r;
}

static void add_minutes(void *arg, const struct apst_mi_minutes *r)
{
    struct apst_mi *mi = arg;
    for (size_t k = 0; k < codes_apst_specialist.count && k < APST_MI_KINDS; k++)
        if (!strcmp(codes_apst_specialist.entries[k].code, r->kind))
            mi->minutes_by_kind[k] += r->minutes;
    for (size_t k = 0; k < codes_apst_activity.count && k < APST_MI_KINDS; k++)
        if (!strcmp(codes_apst_activity.entries[k].code, r->activity))
            mi->minutes_by_activity[k] += r->minutes;
    mi->minutes_total += r->minutes;
}

static struct stat_row *count_row(struct stat_table *t, const char *label, int partition, const struct stat_row *base,
                                  enum stat_col col, int64_t n)
{
    struct stat_row *r = stat_add_row(t, NULL, label, STAT_COUNT, true, partition);
    if (!r)
        return NULL;
    stat_add(r, col, n);
    if (base)
        stat_set_base(r, base);
    return r;
}

static void build_tables(struct apst_mi *mi, const struct mi_pupils *mp, const struct apst_mi_outcomes *o,
                         enum stat_col col)
{
    int64_t send = 0, fsm = 0, sc = 0, outreach = 0, ended = 0, refused = 0;
    for (size_t i = 0; i < mp->n; i++) {
        const struct apst_mi_pupil *p = &mp->p[i];
        send += !strcmp(p->sen_provision, "K") || !strcmp(p->sen_provision, "E");
        fsm += p->fsm;
        sc += p->social_care;
        outreach += p->outreach;
        ended += !strcmp(p->engagement, "ended_early");
        refused += !strcmp(p->engagement, "refused");
    }
    struct stat_table *t = &mi->t[APST_MI_PUPILS];
    t->key = "pupils";
    t->title = "Pupils supported";
    t->description = "Pupils with an accepted referral open at some time in the period";
    struct stat_row *all = count_row(t, "Pupils supported", 0, NULL, col, (int64_t)mp->n);
    count_row(t, "With special educational needs (SEN support or EHC plan)", 0, all, col, send);
    count_row(t, "Eligible for free school meals", 0, all, col, fsm);
    count_row(t, "Known to children's social care", 0, all, col, sc);
    count_row(t, "Outreach: pupils of mainstream schools", 0, all, col, outreach);
    count_row(t, "Engaged with support", 1, all, col, (int64_t)mp->n - ended - refused);
    count_row(t, "Stopped before the taskforce thought they were ready", 1, all, col, ended);
    count_row(t, "Offered support but refused it", 1, all, col, refused);

    struct stat_table *u = &mi->t[APST_MI_OUTCOMES];
    u->key = "outcomes";
    u->title = "Outcomes of the pupils supported";
    u->description = "From the outcome records: attendance in terms starting in the period, returns to mainstream "
                     "and post-16 destinations known in it";
    struct stat_row *att = count_row(u, "Pupils with attendance records", 0, all, col, o->attendance_pupils);
    (void)att;
    struct stat_row *poss = stat_add_row(u, NULL, "Possible sessions", STAT_COUNT, false, 0);
    struct stat_row *went = stat_add_row(u, NULL, "Sessions attended", STAT_COUNT, false, 0);
    if (poss && went) {
        stat_add(poss, col, o->sessions_possible);
        stat_add(went, col, o->sessions_possible - o->sessions_missed);
        stat_set_base(went, poss);
    }
    count_row(u, "Returned to mainstream school", 0, all, col, o->reintegrated);
    struct stat_row *known = count_row(u, "Post-16 destination known", 0, all, col, o->eet + o->neet);
    count_row(u, "In education, employment or training", 2, known, col, o->eet);
    count_row(u, "Not in education, employment or training", 2, known, col, o->neet);
    /* Sessions of fewer pupils than the threshold would show their
     * attendance: withheld with the count itself. */
    if (o->attendance_pupils > 0 && o->attendance_pupils < mi->threshold && poss && went) {
        mi->attendance_withheld = true;
        for (int k = 0; k < STAT_NCOLS; k++) {
            poss->cells[k].suppressed = true;
            went->cells[k].suppressed = true;
            went->cells[k].pct_withheld = true;
        }
    }
}

static void add_entered(void *arg, const struct apst_cost_row *r)
{
    struct apst_cost_inputs *in = arg;
    if (r->voided)
        return;
    for (size_t i = 0; i < codes_apst_cost_line.count && i < APST_COST_LINE_COUNT; i++)
        if (!strcmp(codes_apst_cost_line.entries[i].code, r->line)) {
            in->entered[i] += r->amount_pence;
            in->have_entered[i] = true;
        }
}

/* Planned against actual for the period (core apst_cost_compare). */
static enum svc_status cost_compare(struct svc_ctx *c, const struct apst_taskforce_row *t, struct apst_mi *mi)
{
    struct apst_cost_inputs in;
    memset(&in, 0, sizeof in);
    if (day_parse(mi->from, &in.from) != 0 || day_parse(mi->to, &in.to) != 0)
        return SVC_ERROR;
    in.started = 0;
    if (day_parse(t->started_on, &in.started) != 0)
        in.started = in.from - 1;
    in.fte_last_day = mi->staff.fte;
    in.holiday_pupils = mi->holiday_pupils;
    in.holiday_withheld = mi->holiday_pupils > 0 && mi->holiday_pupils < mi->threshold;
    struct posts *ps = calloc(1, sizeof *ps);
    if (!ps)
        return SVC_ERROR;
    enum svc_status st = svc_from_store(q_apst_specialists(c->db, t->id, add_post, ps));
    /* FTE actually in post, day by day: each post's days inside the period. */
    for (size_t i = 0; st == SVC_OK && i < ps->n; i++) {
        int32_t a = ps->p[i].starts > in.from ? ps->p[i].starts : in.from;
        int32_t b = ps->p[i].ends && ps->p[i].ends < in.to ? ps->p[i].ends : in.to;
        if (b >= a)
            in.fte_days += ps->fte[i] * ((int64_t)b - a + 1);
    }
    free(ps);
    if (st == SVC_OK)
        st = svc_from_store(q_apst_costs(c->db, t->id, mi->from, mi->to, add_entered, &in));
    if (st == SVC_OK)
        apst_cost_compare(&in, &mi->compare);
    return st;
}

enum svc_status svc_apst_mi(struct svc_ctx *c, int64_t taskforce_id, const char *from, const char *to, bool export_,
                            struct field_errors *errs, struct apst_mi *out)
{
    struct apst_taskforce_row t;
    enum svc_status st = get_for(c, taskforce_id, export_ ? ACT_EXPORT : ACT_VIEW, &t);
    if (st != SVC_OK)
        return st;
    memset(out, 0, sizeof *out);
    date_field(c, from, true, true, "from", "the first day of the period", out->from, errs);
    date_field(c, to, true, true, "to", "the last day of the period", out->to, errs);
    if (!errs->count && strcmp(out->from, out->to) > 0)
        field_errors_add(errs, "to", "The last day must be on or after the first day");
    if (errs->count)
        return SVC_INVALID;
    int64_t threshold = 0;
    if (q_disclosure_get(c->db, t.authority_id, &threshold) != STORE_OK)
        return SVC_ERROR;
    out->threshold = threshold >= 2 ? (int)threshold : DASH_DEFAULT_THRESHOLD;
    st = svc_apst_composition(c, &t, out->to, &out->staff);
    if (st != SVC_OK)
        return st;
    st = svc_from_store(q_apst_mi_minutes(c->db, t.id, out->from, out->to, add_minutes, out));
    struct mi_pupils mp = {calloc(MI_MAX_PUPILS, sizeof *mp.p), 0, false};
    struct apst_mi_outcomes o;
    if (st == SVC_OK && !mp.p)
        st = SVC_ERROR;
    if (st == SVC_OK)
        st = svc_from_store(q_apst_mi_pupils(c->db, t.id, out->from, out->to, add_mi_pupil, &mp));
    if (st == SVC_OK)
        st = svc_from_store(q_apst_mi_outcomes(c->db, t.id, out->from, out->to, &o));
    if (st == SVC_OK && mp.overflow)
        st = SVC_ERROR;
    if (st == SVC_OK)
        st = svc_from_store(q_apst_mi_holiday_pupils(c->db, t.id, out->from, out->to, &out->holiday_pupils));
    if (st == SVC_OK)
        apst_cost_plan(out->staff.fte, out->holiday_pupils, &out->costs);
    if (st == SVC_OK)
        st = cost_compare(c, &t, out);
    if (st == SVC_OK) {
        struct school sch;
        enum stat_col col = COL_OTHER;
        if (svc_school_get(c, t.school_id, &sch) == SVC_OK)
            col = stat_col_of_phase(sch.phase);
        build_tables(out, &mp, &o, col);
        stat_suppress(out->t, APST_MI__COUNT, out->threshold);
    }
    free(mp.p);
    if (st == SVC_OK && export_) {
        struct audit_event ev = {.action = "export", .kind = "apst", .resource_id = t.id, .school_id = t.school_id,
                                 .authority_id = t.authority_id, .detail = "apst MI return"};
        st = svc_audit_record(c, &ev);
    }
    return st;
}
