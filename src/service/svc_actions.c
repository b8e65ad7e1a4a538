#include "service/svc_actions.h"
#include "lib/count.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/casefile.h"
#include "core/validate.h"
#include "service/svc_agenda.h"
#include "service/svc_cases.h"
#include "service/svc_meetings.h"
#include "service/svc_users.h"


static const struct code_entry settings[] = {
    {"school", "In school", NULL},
    {"home", "At home", NULL},
    {"health", "Health service", NULL},
    {"social_care", "Social care", NULL},
    {"other", "Other", NULL},
};

static const struct code_entry natures[] = {
    {"coordination", "Coordination or information sharing", NULL},
    {"signposting_school", "Signposting to the school", NULL},
    {"signposting_parents", "Signposting to parents or carers", NULL},
    {"school_adjustment", "School-based adjustment", NULL},
    {"advice", "Informal advice or consultation", NULL},
    {"referral", "Formal referral", NULL},
    {"assessment", "Assessment (for example an Early Help Assessment or an EHC needs assessment request)", NULL},
    {"other", "Other", NULL},
};

static const struct code_entry statuses[] = {
    {"open", "Open", NULL},
    {"done", "Done", NULL},
    {"not_done", "Not done", NULL},
};

static const struct code_entry outcomes[] = {
    {"pending", "Waiting for a decision", NULL},
    {"accepted", "Accepted", NULL},
    {"declined", "Declined", NULL},
    {"redirected", "Redirected back to TAS", NULL},
};

const struct code_list action_settings = {"action_setting", settings, COUNT(settings)};
const struct code_list action_natures = {"action_nature", natures, COUNT(natures)};
const struct code_list action_statuses = {"action_status", statuses, COUNT(statuses)};
const struct code_list referral_outcomes = {"referral_outcome", outcomes, COUNT(outcomes)};

bool action_nature_signposting(const char *nature)
{
    return nature && strncmp(nature, "signposting_", 12) == 0;
}

int64_t svc_days_between(const char *a, const char *b)
{
    int32_t da, db;
    if (!a || !b || day_parse(a, &da) != 0 || day_parse(b, &db) != 0)
        return 0;
    return (int64_t)db - da;
}

bool svc_action_is_overdue(const struct svc_ctx *c, const char *status, const char *due_on)
{
    enum action_status s;
    int32_t due = 0, today = 0;
    if (action_status_from_code(status, &s) != 0)
        return false;
    if (!due_on || !*due_on || day_parse(due_on, &due) != 0 || day_parse(c->today, &today) != 0)
        return false;
    return action_overdue(s, due, today);
}

enum svc_status svc_action_case(struct svc_ctx *c, int64_t case_id, enum action a, struct case_ref *out)
{
    struct case_ref local;
    if (!out)
        out = &local;
    enum store_rc rc = q_case_ref_get(c->db, case_id, out);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    if (!svc_allowed(c, ACT_VIEW, RES_CASE, out->id, out->authority_id, out->school_id))
        return SVC_NOT_FOUND;
    if (a != ACT_VIEW && !svc_allowed(c, a, RES_CASE, out->id, out->authority_id, out->school_id))
        return SVC_FORBIDDEN;
    return SVC_OK;
}

/* The open case an action or a referral (what: "actions") is added to:
 * svc_action_case for ACT_CREATE, then SVC_INVALID ("Re-open the case to
 * add ...") when it is closed. */
static enum svc_status case_to_add_to(struct svc_ctx *c, int64_t case_id, const char *what, struct case_ref *cr,
                                      struct field_errors *errs)
{
    enum svc_status st = svc_action_case(c, case_id, ACT_CREATE, cr);
    if (st != SVC_OK || strcmp(cr->status, "open") == 0)
        return st;
    char msg[64];
    snprintf(msg, sizeof msg, "Re-open the case to add %s", what);
    field_errors_add(errs, "case", msg);
    return SVC_INVALID;
}

/* ---- reading what was typed ---- */

static bool blank(const char *s)
{
    if (!s)
        return true;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            return false;
    return true;
}

/* An optional id: 0 when blank, -1 when not a number. */
static int64_t opt_id(const char *s)
{
    long v;
    if (blank(s))
        return 0;
    char t[24];
    if (trim_copy(s, t, sizeof t) != 0 || parse_int_strict(t, 1, 0x7fffffffL, &v) != 0)
        return -1;
    return v;
}

/* A GOV.UK date input.  Returns 1 when all blank (out ""), 0 for a real
 * date, -1 (error added) otherwise. */
static int date_input(const char *d, const char *m, const char *y, const char *field, const char *label,
                      bool required, char out[11], struct field_errors *errs)
{
    char msg[160];
    out[0] = '\0';
    if (blank(d) && blank(m) && blank(y)) {
        if (!required)
            return 1;
        snprintf(msg, sizeof msg, "Enter the %s", label);
        field_errors_add(errs, field, msg);
        return -1;
    }
    int rc = parse_date_parts(d, m, y, out);
    if (rc == DATE_BAD_YEAR) {
        field_errors_add(errs, field, "Year must include 4 numbers");
        return -1;
    }
    if (rc != DATE_OK) {
        out[0] = '\0';
        /* Capitalise the label: "Due date must be a real date". */
        snprintf(msg, sizeof msg, "%s must be a real date", label);
        if (msg[0] >= 'a' && msg[0] <= 'z')
            msg[0] = (char)(msg[0] - 'a' + 'A');
        field_errors_add(errs, field, msg);
        return -1;
    }
    return 0;
}

struct disc_pick {
    int64_t want;
    bool found;
};

static void pick_discussion(void *arg, const struct case_discussion *d)
{
    struct disc_pick *p = arg;
    if (d->id == p->want)
        p->found = true;
}

/* Work must reach whoever owns it (issue 10).  A service other than the
 * school (whose own pupil it is) may be given the work only when the
 * family's current consent covers sharing with it; a practitioner with an
 * account only when the policy lets that account see the case.  Adds the
 * error at field and returns 1 when refused, -1 on a storage failure. */
static int owner_unreachable(struct svc_ctx *c, const struct case_ref *cr, int64_t service_id,
                             const struct practitioner_row *pr, const char *field, struct field_errors *errs)
{
    char msg[400];
    if (service_id > 0) {
        struct service_row sr;
        enum consent_verdict v = CONSENT_NONE;
        if (q_service_get(c->db, service_id, &sr) != STORE_ROW ||
            svc_consent_verdict(c, cr->pupil_id, service_id, &v) != SVC_OK)
            return -1;
        if (strcmp(sr.org_kind, "school") != 0 && v != CONSENT_OK) {
            snprintf(msg, sizeof msg,
                     "The family's consent does not cover sharing information with %s: choose another owner, "
                     "or record consent that covers %s first", sr.name, sr.name);
            field_errors_add(errs, field, msg);
            return 1;
        }
    }
    if (pr && pr->user_id > 0) {
        struct principal *them = calloc(1, sizeof *them);
        if (!them)
            return -1;
        struct svc_ctx as = *c;
        as.who = them;
        bool sees = svc_principal_load(c->db, pr->user_id, them) == SVC_OK &&
                    svc_allowed(&as, ACT_VIEW, RES_CASE, cr->id, cr->authority_id, cr->school_id);
        free(them);
        if (!sees) {
            snprintf(msg, sizeof msg,
                     "%s cannot see this case: choose another owner, or add them to the team first", pr->name);
            field_errors_add(errs, field, msg);
            return 1;
        }
    }
    return 0;
}

/* Validates the action form into out (whose id, case_id and status are
 * the caller's).  cur: the action being edited, or NULL.  -1 on a storage
 * failure. */
static int read_action_form(struct svc_ctx *c, const struct case_ref *cr, const struct action_form *f,
                            const struct action_row *cur, struct action_row *out, struct field_errors *errs)
{
    if (case_text(f->description, out->description, sizeof out->description, "description", "Description",
                  errs) == 0 && !out->description[0])
        field_errors_add(errs, "description", "Enter a description of the action");

    /* Who does it: a service, a practitioner, a name, or some of these. */
    int64_t svc = opt_id(f->owner_service_id);
    int64_t prac = opt_id(f->owner_practitioner_id);
    struct service_row sr;
    struct practitioner_row pr;
    bool have_pr = false;
    if (svc < 0) {
        field_errors_add(errs, "owner_service_id", "Select the service from the list");
    } else if (svc > 0) {
        enum store_rc rc = q_service_get(c->db, svc, &sr);
        if (rc != STORE_ROW && rc != STORE_DONE)
            return -1;
        if (rc == STORE_DONE || sr.authority_id != cr->authority_id ||
            (!sr.active && !(cur && cur->owner_service_id == svc)))
            field_errors_add(errs, "owner_service_id", "Select the service from the list");
        else
            out->owner_service_id = svc;
    }
    if (prac < 0) {
        field_errors_add(errs, "owner_practitioner_id", "Select the practitioner from the list");
    } else if (prac > 0) {
        enum store_rc rc = q_practitioner_get(c->db, prac, &pr);
        if (rc != STORE_ROW && rc != STORE_DONE)
            return -1;
        if (rc == STORE_DONE || pr.authority_id != cr->authority_id ||
            (!pr.active && !(cur && cur->owner_practitioner_id == prac))) {
            field_errors_add(errs, "owner_practitioner_id", "Select the practitioner from the list");
        } else if (out->owner_service_id && pr.service_id != out->owner_service_id) {
            field_errors_add(errs, "owner_practitioner_id",
                             "Select a practitioner who works for the service chosen, or leave the service blank");
        } else {
            out->owner_practitioner_id = prac;
            have_pr = true;
            if (!out->owner_service_id && svc == 0)
                out->owner_service_id = pr.service_id;
        }
    }
    /* An owner kept from before is not asked again: editing other fields
     * of an action must not fail because consent has since changed. */
    bool new_owner = !cur || cur->owner_service_id != out->owner_service_id ||
                     cur->owner_practitioner_id != out->owner_practitioner_id;
    if (new_owner && !field_errors_get(errs, "owner_service_id") && !field_errors_get(errs, "owner_practitioner_id") &&
        owner_unreachable(c, cr, out->owner_service_id, have_pr ? &pr : NULL,
                          have_pr && svc == 0 ? "owner_practitioner_id" : "owner_service_id", errs) < 0)
        return -1;
    char name[ACTION_OWNER_MAX];
    if (case_text(f->owner_name, name, sizeof name, "owner_name", "Owner", errs) == 0)
        snprintf(out->owner_name, sizeof out->owner_name, "%s", name);
    if (svc == 0 && prac == 0 && !out->owner_name[0] && !field_errors_get(errs, "owner_name"))
        field_errors_add(errs, "owner_service_id",
                         "Select who will do the action: a service, a practitioner, or enter a name");

    const struct code_entry *e = f->setting ? code_find(&action_settings, f->setting) : NULL;
    if (!e)
        field_errors_add(errs, "setting", "Select where the action will happen");
    else
        snprintf(out->setting, sizeof out->setting, "%s", e->code);
    e = f->nature ? code_find(&action_natures, f->nature) : NULL;
    if (!e)
        field_errors_add(errs, "nature", "Select the kind of action");
    else
        snprintf(out->nature, sizeof out->nature, "%s", e->code);

    int64_t res = opt_id(f->resource_id);
    if (res < 0) {
        field_errors_add(errs, "resource_id", "Select the resource from the playbook");
    } else if (res > 0) {
        struct resource_row *rr = malloc(sizeof *rr);
        if (!rr)
            return -1;
        enum store_rc rc = q_resource_get(c->db, res, rr);
        bool ok = rc == STORE_ROW && rr->authority_id == cr->authority_id &&
                  (rr->active || (cur && cur->resource_id == res));
        free(rr);
        if (rc != STORE_ROW && rc != STORE_DONE)
            return -1;
        if (!ok)
            field_errors_add(errs, "resource_id", "Select the resource from the playbook");
        else
            out->resource_id = res;
    } else if (e && action_nature_signposting(e->code)) {
        field_errors_add(errs, "resource_id",
                         "Choose the resource from the playbook, or add it to the playbook first");
    }

    if (date_input(f->due_day, f->due_month, f->due_year, "due_on", "due date", false, out->due_on, errs) == 0 &&
        strcmp(out->due_on, cr->opened_on) < 0) {
        char msg[160];
        snprintf(msg, sizeof msg, "Due date must be on or after the day the case was opened (%s)", cr->opened_on);
        field_errors_add(errs, "due_on", msg);
    }

    int64_t disc = opt_id(f->discussion_id);
    if (disc < 0) {
        field_errors_add(errs, "discussion_id", "Select the meeting from the list");
    } else if (disc > 0) {
        struct disc_pick p = {disc, false};
        if (q_case_discussions(c->db, cr->id, pick_discussion, &p) != STORE_OK)
            return -1;
        if (!p.found)
            field_errors_add(errs, "discussion_id", "Select the meeting from the list");
        else
            out->discussion_id = disc;
    }
    return 0;
}

/* ---- actions ---- */

enum svc_status svc_action_list(struct svc_ctx *c, int64_t case_id, struct case_ref *cr,
                                void (*fn)(void *arg, const struct action_row *a), void *arg)
{
    enum svc_status st = svc_action_case(c, case_id, ACT_VIEW, cr);
    if (st != SVC_OK)
        return st;
    return svc_from_store(q_action_list(c->db, case_id, fn, arg));
}

static enum svc_status write_one(struct svc_ctx *c, enum store_rc (*op)(struct store *, struct action_row *, int64_t),
                                 struct action_row *a)
{
    if (store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    enum store_rc rc = store_end_write(c->db, op(c->db, a, c->now));
    if (rc != STORE_OK)
        return rc == STORE_CONSTRAINT ? SVC_CONFLICT : SVC_ERROR;
    return SVC_OK;
}

static enum store_rc do_update(struct store *s, struct action_row *a, int64_t now)
{
    return q_action_update(s, a, now);
}

enum svc_status svc_action_create(struct svc_ctx *c, int64_t case_id, const struct action_form *f,
                                  struct field_errors *errs, struct action_row *out)
{
    struct case_ref cr;
    enum svc_status st = case_to_add_to(c, case_id, "actions", &cr, errs);
    if (st != SVC_OK)
        return st;
    memset(out, 0, sizeof *out);
    out->case_id = case_id;
    snprintf(out->status, sizeof out->status, "open");
    if (read_action_form(c, &cr, f, NULL, out, errs) != 0)
        return SVC_ERROR;
    if (errs->count)
        return SVC_INVALID;
    st = write_one(c, q_action_insert, out);
    if (st != SVC_OK)
        return st;
    return q_action_get(c->db, out->id, out) == STORE_ROW ? SVC_OK : SVC_ERROR;
}

enum svc_status svc_action_get(struct svc_ctx *c, int64_t id, struct action_row *out, struct case_ref *cr)
{
    enum store_rc rc = q_action_get(c->db, id, out);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    return svc_action_case(c, out->case_id, ACT_VIEW, cr);
}

/* The action and its case, when the user may change it. */
static enum svc_status editable(struct svc_ctx *c, int64_t id, struct action_row *cur, struct case_ref *cr)
{
    enum svc_status st = svc_action_get(c, id, cur, cr);
    if (st != SVC_OK)
        return st;
    return svc_allowed(c, ACT_EDIT, RES_CASE, cr->id, cr->authority_id, cr->school_id) ? SVC_OK : SVC_FORBIDDEN;
}

enum svc_status svc_action_update(struct svc_ctx *c, int64_t id, const struct action_form *f,
                                  struct field_errors *errs, struct action_row *out)
{
    struct case_ref cr;
    struct action_row *cur = malloc(sizeof *cur);
    if (!cur)
        return SVC_ERROR;
    enum svc_status st = editable(c, id, cur, &cr);
    if (st == SVC_OK) {
        memset(out, 0, sizeof *out);
        out->id = cur->id;
        out->case_id = cur->case_id;
        snprintf(out->status, sizeof out->status, "%s", cur->status);
        if (read_action_form(c, &cr, f, cur, out, errs) != 0)
            st = SVC_ERROR;
        else if (errs->count)
            st = SVC_INVALID;
    }
    free(cur);
    if (st != SVC_OK)
        return st;
    st = write_one(c, do_update, out);
    if (st != SVC_OK)
        return st;
    return q_action_get(c->db, id, out) == STORE_ROW ? SVC_OK : SVC_ERROR;
}

enum svc_status svc_action_set_status(struct svc_ctx *c, int64_t id, const struct action_status_form *f,
                                      struct field_errors *errs, struct action_row *out)
{
    struct case_ref cr;
    enum svc_status st = editable(c, id, out, &cr);
    if (st != SVC_OK)
        return st;
    enum action_status from = ACTION_OPEN, to = ACTION_STATUS__COUNT;
    (void)action_status_from_code(out->status, &from);
    if (!f->status || action_status_from_code(f->status, &to) != 0)
        to = ACTION_STATUS__COUNT;
    char reason[ACTION_REASON_MAX] = "", outcome[ACTION_TEXT_MAX] = "";
    case_text(f->not_done_reason, reason, sizeof reason, "not_done_reason", "The reason", errs);
    if (f->outcome)
        case_text(f->outcome, outcome, sizeof outcome, "outcome", "The outcome", errs);
    else
        snprintf(outcome, sizeof outcome, "%s", out->outcome);   /* not sent: unchanged */
    const char *why = action_transition_check(from, to, reason);
    if (why)
        field_errors_add(errs, to == ACTION_NOT_DONE ? "not_done_reason" : "status", why);
    if (errs->count)
        return SVC_INVALID;
    char closed_on[11] = "";
    if (to != ACTION_OPEN)
        snprintf(closed_on, sizeof closed_on, "%s", from == to && out->closed_on[0] ? out->closed_on : c->today);
    if (to != ACTION_NOT_DONE)
        reason[0] = '\0';
    enum store_rc rc = q_action_set_status(c->db, id, action_status_code(to), reason, outcome, closed_on, c->now);
    if (rc != STORE_OK)
        return SVC_ERROR;
    return q_action_get(c->db, id, out) == STORE_ROW ? SVC_OK : SVC_ERROR;
}

enum svc_status svc_action_choices(struct svc_ctx *c, const struct case_ref *cr, const struct action_choices *ch)
{
    if (!svc_allowed(c, ACT_VIEW, RES_CASE, cr->id, cr->authority_id, cr->school_id))
        return SVC_NOT_FOUND;
    enum store_rc rc = STORE_OK;
    if (ch->service)
        rc = q_service_list(c->db, cr->authority_id, true, ch->service, ch->arg);
    if (rc == STORE_OK && ch->practitioner)
        rc = q_practitioner_list(c->db, cr->authority_id, 0, true, ch->practitioner, ch->arg);
    if (rc == STORE_OK && ch->resource)
        rc = q_resource_list(c->db, cr->authority_id, true, ch->resource, ch->arg);
    if (rc == STORE_OK && ch->discussion)
        rc = q_case_discussions(c->db, cr->id, ch->discussion, ch->arg);
    if (rc == STORE_OK && ch->action)
        rc = q_action_list(c->db, cr->id, ch->action, ch->arg);
    return svc_from_store(rc);
}

/* ---- referrals ---- */

static int date_not_future(const struct svc_ctx *c, const char *on, const char *field, const char *what,
                           struct field_errors *errs)
{
    if (on[0] && strcmp(on, c->today) > 0) {
        char msg[160];
        snprintf(msg, sizeof msg, "%s must be today or in the past", what);
        field_errors_add(errs, field, msg);
        return -1;
    }
    return 0;
}

enum svc_status svc_referral_list(struct svc_ctx *c, int64_t case_id, struct case_ref *cr,
                                  void (*fn)(void *arg, const struct referral_row *r), void *arg)
{
    enum svc_status st = svc_action_case(c, case_id, ACT_VIEW, cr);
    if (st != SVC_OK)
        return st;
    return svc_from_store(q_referral_list(c->db, case_id, fn, arg));
}

enum svc_status svc_referral_create(struct svc_ctx *c, int64_t case_id, const struct referral_form *f,
                                    struct field_errors *errs, struct referral_row *out)
{
    struct case_ref cr;
    enum svc_status st = case_to_add_to(c, case_id, "referrals", &cr, errs);
    if (st != SVC_OK)
        return st;
    memset(out, 0, sizeof *out);
    out->case_id = case_id;
    int64_t svc = opt_id(f->service_id);
    if (svc == 0) {
        field_errors_add(errs, "service_id", "Select the service the pupil was referred to");
    } else {
        struct service_row sr;
        enum store_rc rc = svc > 0 ? q_service_get(c->db, svc, &sr) : STORE_DONE;
        if (rc != STORE_ROW && rc != STORE_DONE)
            return SVC_ERROR;
        if (rc == STORE_DONE || sr.authority_id != cr.authority_id || !sr.active)
            field_errors_add(errs, "service_id", "Select the service from the list");
        else if (owner_unreachable(c, &cr, svc, NULL, "service_id", errs) < 0)
            return SVC_ERROR;
        else
            out->service_id = svc;
    }
    if (date_input(f->day, f->month, f->year, "referred_on", "date of the referral", true, out->referred_on,
                   errs) == 0)
        date_not_future(c, out->referred_on, "referred_on", "The date of the referral", errs);
    int64_t act = opt_id(f->action_id);
    if (act < 0) {
        field_errors_add(errs, "action_id", "Select the action from the list");
    } else if (act > 0) {
        struct action_row *a = malloc(sizeof *a);
        if (!a)
            return SVC_ERROR;
        enum store_rc rc = q_action_get(c->db, act, a);
        bool ok = rc == STORE_ROW && a->case_id == case_id;
        free(a);
        if (rc != STORE_ROW && rc != STORE_DONE)
            return SVC_ERROR;
        if (!ok)
            field_errors_add(errs, "action_id", "Select the action from the list");
        else
            out->action_id = act;
    }
    case_text(f->notes, out->notes, sizeof out->notes, "notes", "Notes", errs);
    if (errs->count)
        return SVC_INVALID;
    if (store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    enum store_rc rc = store_end_write(c->db, q_referral_insert(c->db, out, c->now));
    if (rc != STORE_OK)
        return SVC_ERROR;
    return q_referral_get(c->db, out->id, out) == STORE_ROW ? SVC_OK : SVC_ERROR;
}

enum svc_status svc_referral_get(struct svc_ctx *c, int64_t id, struct referral_row *out, struct case_ref *cr)
{
    enum store_rc rc = q_referral_get(c->db, id, out);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    return svc_action_case(c, out->case_id, ACT_VIEW, cr);
}

enum svc_status svc_referral_set_outcome(struct svc_ctx *c, int64_t id, const struct referral_outcome_form *f,
                                         struct field_errors *errs, struct referral_row *out)
{
    struct case_ref cr;
    enum svc_status st = svc_referral_get(c, id, out, &cr);
    if (st != SVC_OK)
        return st;
    if (!svc_allowed(c, ACT_EDIT, RES_CASE, cr.id, cr.authority_id, cr.school_id))
        return SVC_FORBIDDEN;
    const struct code_entry *e = f->outcome ? code_find(&referral_outcomes, f->outcome) : NULL;
    if (!e)
        field_errors_add(errs, "outcome", "Select the outcome of the referral");
    char on[11] = "";
    if (e && strcmp(e->code, "pending") != 0 &&
        date_input(f->day, f->month, f->year, "outcome_on", "date of the outcome", true, on, errs) == 0 &&
        date_not_future(c, on, "outcome_on", "The date of the outcome", errs) == 0 &&
        strcmp(on, out->referred_on) < 0) {
        char msg[160];
        snprintf(msg, sizeof msg, "The date of the outcome must be on or after the date of the referral (%s)",
                 out->referred_on);
        field_errors_add(errs, "outcome_on", msg);
    }
    char notes[REFERRAL_NOTES_MAX];
    snprintf(notes, sizeof notes, "%s", out->notes);
    if (f->notes)
        case_text(f->notes, notes, sizeof notes, "notes", "Notes", errs);
    if (out->voided_at)
        field_errors_add(errs, "outcome", "This referral was voided: its outcome cannot be recorded");
    bool close = f->close_action && strcmp(f->close_action, "yes") == 0;
    if (close && (!e || strcmp(e->code, "accepted") != 0))
        field_errors_add(errs, "close_action", "Only an accepted referral closes the action it came from");
    else if (close && !svc_referral_action_open(c, out))
        field_errors_add(errs, "close_action", "This referral did not come from an open action");
    if (errs->count)
        return SVC_INVALID;
    char done[ACTION_TEXT_MAX];
    snprintf(done, sizeof done, "Referral to %s accepted", out->service_name);
    if (store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    enum store_rc rc = q_referral_set_outcome(c->db, id, e->code, on, notes, c->now);
    if (rc == STORE_OK && close)
        rc = q_action_set_status(c->db, out->action_id, "done", "", done, on, c->now);
    if (store_end_write(c->db, rc) != STORE_OK)
        return SVC_ERROR;
    return q_referral_get(c->db, id, out) == STORE_ROW ? SVC_OK : SVC_ERROR;
}

bool svc_referral_action_open(struct svc_ctx *c, const struct referral_row *r)
{
    if (r->action_id <= 0)
        return false;
    struct action_row *a = malloc(sizeof *a);
    bool open = a && q_action_get(c->db, r->action_id, a) == STORE_ROW && a->case_id == r->case_id &&
                !a->voided_at && strcmp(a->status, "open") == 0;
    free(a);
    return open;
}

int64_t svc_referral_days_waited(const struct svc_ctx *c, const struct referral_row *r)
{
    int32_t from, to;
    const char *end = r->outcome_on[0] ? r->outcome_on : c->today;
    if (day_parse(r->referred_on, &from) != 0 || day_parse(end, &to) != 0)
        return -1;
    return (int64_t)to - from;
}

/* The facts a void needs about record k id, if the user may see it:
 * when it was voided, and the case (0 for a meeting) whose edit right, or
 * the meeting whose team's, lets them void it. */
static enum svc_status void_target(struct svc_ctx *c, enum void_kind k, int64_t id, int64_t *voided_at,
                                   bool *may, int64_t *case_id)
{
    union {
        struct action_row a;
        struct referral_row r;
        struct agenda_row d;
        struct meeting_row m;
    } *rec = malloc(sizeof *rec);
    if (!rec)
        return SVC_ERROR;
    struct case_ref cr = {0};
    struct meeting_brief mb;
    enum svc_status st = SVC_NOT_FOUND;
    *case_id = 0;
    if (k == VOID_ACTION && (st = svc_action_get(c, id, &rec->a, &cr)) == SVC_OK)
        *voided_at = rec->a.voided_at;
    else if (k == VOID_REFERRAL && (st = svc_referral_get(c, id, &rec->r, &cr)) == SVC_OK)
        *voided_at = rec->r.voided_at;
    else if (k == VOID_DISCUSSION && (st = svc_discussion_get(c, id, &rec->d, &mb)) == SVC_OK) {
        *voided_at = rec->d.voided_at;
        cr.id = rec->d.case_id;
        cr.authority_id = rec->d.authority_id;
        cr.school_id = rec->d.school_id;
    } else if (k == VOID_MEETING && (st = svc_meeting_get(c, id, &rec->m)) == SVC_OK) {
        *voided_at = rec->m.m.voided_at;
        *may = svc_meeting_may(c, ACT_EDIT, &rec->m);
    }
    free(rec);
    if (st == SVC_OK && k != VOID_MEETING) {
        *case_id = cr.id;
        *may = svc_allowed(c, ACT_EDIT, RES_CASE, cr.id, cr.authority_id, cr.school_id);
    }
    return st;
}

enum svc_status svc_record_void_check(struct svc_ctx *c, enum void_kind k, int64_t id, int64_t *case_id)
{
    int64_t voided_at = 0;
    bool may = false;
    enum svc_status st = void_target(c, k, id, &voided_at, &may, case_id);
    if (st != SVC_OK)
        return st;
    return !may ? SVC_FORBIDDEN : voided_at ? SVC_CONFLICT : SVC_OK;
}

enum svc_status svc_record_void(struct svc_ctx *c, enum void_kind k, int64_t id, const char *reason,
                                struct field_errors *errs, int64_t *case_id)
{
    enum svc_status st = svc_record_void_check(c, k, id, case_id);
    if (st != SVC_OK && st != SVC_CONFLICT)
        return st;
    /* A meeting's reason is kept as its other reasons are (200 characters). */
    char why[ACTION_REASON_MAX] = "";
    size_t max = k == VOID_MEETING ? MEETING_REASON_MAX : sizeof why;
    if (st == SVC_CONFLICT)
        field_errors_add(errs, "void_reason", "This record has already been voided");
    else
        case_text_required(reason, why, max, "void_reason", "The reason",
                           "Give the reason the record was entered by mistake", errs);
    if (errs->count)
        return SVC_INVALID;
    if (store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    enum store_rc rc = store_end_write(c->db, q_void(c->db, k, id, c->who->user_id, why, c->now));
    return rc == STORE_OK ? SVC_OK : rc == STORE_DONE ? SVC_CONFLICT : SVC_ERROR;
}
