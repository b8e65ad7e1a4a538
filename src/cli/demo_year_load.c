/* Replays a planned demo year through the services (see demo_year_load.h). */
#include "cli/demo_year_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/calendar.h"
#include "core/gen_national.h"
#include "service/svc_actions.h"
#include "service/svc_agenda.h"
#include "service/svc_cases.h"
#include "service/svc_meetings.h"
#include "service/svc_outcomes.h"
#include "service/svc_reference.h"
#include "service/svc_teams.h"
#include "service/svc_users.h"

struct loader {
    struct store *s;
    const struct demo_plan *plan;
    const struct demo_year *y;
    struct demo_year_ids *ids;
    struct principal who;
    struct svc_ctx c;
    int32_t day;
    int64_t seq;
    int64_t lead_id, coordinator_id;
    int64_t resources[DY_MAX_RESOURCES];
    int64_t *meetings, *cases, *consents, *discussions, *actions, *referrals;
};

int64_t demo_year_clock(int32_t day, int64_t seq)
{
    return (int64_t)day * 86400 + 8 * 3600 + seq;
}

/* The services' today becomes the event's day. */
static void on_day(struct loader *L, int32_t day)
{
    if (day != L->day) {
        L->day = day;
        L->seq = 0;
    }
    svc_ctx_init(&L->c, L->s, &L->who, demo_year_clock(day, L->seq++));
}

static int failed(struct loader *L, const char *what, int index, enum svc_status st,
                  const struct field_errors *e)
{
    cli_fail("demo year: %s %d on %s: %s%s%s%s", what, index, L->c.today, svc_status_text(st),
             e && e->count ? " (" : "", e && e->count ? e->items[0].message : "", e && e->count ? ")" : "");
    return -1;
}

static void id_text(int64_t id, char out[24])
{
    if (id > 0)
        snprintf(out, 24, "%lld", (long long)id);
    else
        out[0] = '\0';
}

struct date_text {
    char d[4], m[4], y[8];
};

static void split_day(int32_t day, struct date_text *t)
{
    int y, m, d;
    ymd_from_day(day, &y, &m, &d);
    snprintf(t->d, sizeof t->d, "%d", d);
    snprintf(t->m, sizeof t->m, "%d", m);
    snprintf(t->y, sizeof t->y, "%d", y);
}

/* ---- reference data ---------------------------------------------------------- */

static void map_service(void *arg, const void *row)
{
    const struct service_row *r = row;
    struct loader *L = arg;
    for (int i = 0; i < DY_SERVICE__COUNT; i++)
        if (strcmp(r->code, dy_service_code((enum dy_service)i)) == 0)
            L->ids->services[i] = r->id;
}

static void map_resource(void *arg, const void *row)
{
    const struct resource_row *r = row;
    struct loader *L = arg;
    for (size_t i = 0; i < L->y->ndefault_resources; i++)
        if (strcmp(r->title, L->y->resources[i].title) == 0)
            L->resources[i] = r->id;
}

static int load_reference(struct loader *L)
{
    const struct demo_year *y = L->y;
    int64_t a = L->plan->authority.id;
    on_day(L, y->setup_on);
    enum svc_status st = svc_ref_list(&L->c, Q_REF_SERVICE, a, true, 0, map_service, L);
    if (st != SVC_OK)
        return failed(L, "services", 0, st, NULL);
    for (int i = 0; i < DY_SERVICE__COUNT; i++)
        if (!L->ids->services[i]) {
            cli_fail("demo year: the authority has no service coded %s", dy_service_code((enum dy_service)i));
            return -1;
        }
    st = svc_ref_list(&L->c, Q_REF_RESOURCE, a, true, 0, map_resource, L);
    if (st != SVC_OK)
        return failed(L, "playbook", 0, st, NULL);
    for (size_t i = 0; i < y->nresources; i++) {
        if (i < y->ndefault_resources) {
            if (!L->resources[i]) {
                cli_fail("demo year: the default playbook has no \"%s\"", y->resources[i].title);
                return -1;
            }
            continue;
        }
        struct resource_form f = {y->resources[i].title, y->resources[i].kind, y->resources[i].audience, "",
                                  y->resources[i].description, "yes"};
        struct field_errors e = {0};
        struct resource_row *r = malloc(sizeof *r);
        if (!r)
            return -1;
        st = svc_ref_create(&L->c, Q_REF_RESOURCE, a, &f, &e, r);
        L->resources[i] = r->id;
        free(r);
        if (st != SVC_OK)
            return failed(L, "playbook entry", (int)i, st, &e);
    }
    for (size_t i = 0; i < y->npractitioners; i++) {
        const struct dy_practitioner *p = &y->practitioners[i];
        char sid[24];
        id_text(L->ids->services[p->service], sid);
        struct practitioner_form f = {p->name, p->job_title, "", sid, "", "", "yes"};
        struct field_errors e = {0};
        struct practitioner_row r;
        st = svc_ref_create(&L->c, Q_REF_PRACTITIONER, a, &f, &e, &r);
        if (st != SVC_OK)
            return failed(L, "practitioner", (int)i, st, &e);
        L->ids->practitioners[i] = r.id;
    }
    return 0;
}

/* ---- teams and meetings ------------------------------------------------------ */

struct meeting_pick {
    size_t n;
    int64_t ids[DY_MAX_MEETINGS];
    char dates[DY_MAX_MEETINGS][11];
};

static void pick_meeting(void *arg, const struct meeting_row *r)
{
    struct meeting_pick *p = arg;
    if (p->n < DY_MAX_MEETINGS) {
        p->ids[p->n] = r->m.id;
        memcpy(p->dates[p->n], r->m.date, 11);
        p->n++;
    }
}

static int ev_team(struct loader *L, int i)
{
    const struct dy_team *t = &L->y->teams[i];
    char host[24], lead[24], coord[24], weekday[4], minutes[8];
    char school_ids[DY_TEAM_SCHOOLS][24], service_ids[8][24];
    id_text(L->plan->schools[t->schools[0]].id, host);
    id_text(L->lead_id, lead);
    id_text(L->coordinator_id, coord);
    snprintf(weekday, sizeof weekday, "%d", t->weekday);
    snprintf(minutes, sizeof minutes, "%d", t->duration_minutes);
    struct team_form f;
    memset(&f, 0, sizeof f);
    f.name = t->name;
    f.host_school_id = host;
    f.chair_name = t->chair_name;
    f.strategic_lead_user_id = lead;
    f.case_coordinator_user_id = coord;
    f.cadence = cadence_code(t->cadence);
    f.weekday = weekday;
    f.start_time = t->start_time;
    f.duration_minutes = minutes;
    f.location = t->location;
    f.active = "yes";
    for (size_t k = 0; k < t->nschools; k++) {
        id_text(L->plan->schools[t->schools[k]].id, school_ids[k]);
        f.school_ids[f.nschools++] = school_ids[k];
    }
    for (size_t k = 0; k < t->nservices; k++) {
        id_text(L->ids->services[t->services[k]], service_ids[k]);
        f.service_ids[f.nservices++] = service_ids[k];
    }
    struct field_errors e = {0};
    struct team_saved saved;
    enum svc_status st = svc_team_create(&L->c, &f, &e, &saved);
    if (st != SVC_OK)
        return failed(L, "team", i, st, &e);
    L->ids->teams[i] = saved.id;
    struct schedule_result sr;
    st = svc_team_plan(&L->c, saved.id, NULL, "no", &e, &sr);
    if (st != SVC_OK)
        return failed(L, "team schedule", i, st, &e);
    /* The service planned the days; they must be the plan's. */
    struct meeting_pick *p = calloc(1, sizeof *p);
    if (!p)
        return -1;
    struct meeting_filter mf = {saved.id, "", "", "", L->c.today, MEETING_OLDEST_FIRST, 0, NULL};
    struct page_req pg = {1, 200};
    int64_t total = 0;
    st = svc_meeting_list(&L->c, &mf, &pg, &total, pick_meeting, p);
    int rc = 0;
    if (st != SVC_OK) {
        rc = failed(L, "team meetings", i, st, NULL);
    } else if (p->n != t->nmeetings) {
        cli_fail("demo year: team %d has %zu meetings planned, the plan expected %zu", i, p->n, t->nmeetings);
        rc = -1;
    } else {
        for (size_t k = 0; k < p->n && rc == 0; k++) {
            char want[11];
            day_format(L->y->meetings[t->first_meeting + k].day, want);
            if (strcmp(want, p->dates[k]) != 0) {
                cli_fail("demo year: team %d meeting %zu is on %s, the plan expected %s", i, k, p->dates[k], want);
                rc = -1;
            }
            L->meetings[t->first_meeting + k] = p->ids[k];
        }
    }
    free(p);
    return rc;
}

static enum dy_attend attend_of(const struct dy_team *t, const struct dy_meeting *m, const struct sheet_line *l,
                                const int64_t *services)
{
    if (strcmp(l->key, "school") == 0)
        return m->attend[0];
    if (strcmp(l->key, "strategic_lead") == 0)
        return m->attend[1];
    if (strcmp(l->key, "case_coordinator") == 0)
        return m->attend[2];
    for (size_t k = 0; k < t->nservices; k++)
        if (services[t->services[k]] == l->service_id)
            return m->attend[3 + k];
    return DY_APOLOGIES;
}

static int ev_held(struct loader *L, int i)
{
    const struct dy_meeting *m = &L->y->meetings[i];
    const struct dy_team *t = &L->y->teams[m->team];
    int64_t id = L->meetings[i];
    struct field_errors e = {0};
    enum svc_status st = svc_meeting_mark_held(&L->c, id, m->online ? "online" : "in_person", &e);
    if (st != SVC_OK)
        return failed(L, "meeting held", i, st, &e);
    struct meeting_row row;
    st = svc_meeting_get(&L->c, id, &row);
    struct sheet_line lines[SHEET_MAX];
    size_t n = 0;
    if (st == SVC_OK)
        st = svc_meeting_sheet(&L->c, &row, lines, SHEET_MAX, &n);
    if (st != SVC_OK)
        return failed(L, "attendance sheet", i, st, NULL);
    static const char *const codes[] = {"present", "apologies", "absent"};
    struct attendance_input in[SHEET_MAX];
    for (size_t k = 0; k < n; k++) {
        enum dy_attend a = attend_of(t, m, &lines[k], L->ids->services);
        in[k].key = lines[k].key;
        in[k].status = codes[a];
        in[k].person_name = NULL;
        /* Who came for a service: its practitioner for this team. */
        for (int sv = 0; a == DY_PRESENT && sv < DY_SERVICE__COUNT; sv++) {
            if (L->ids->services[sv] != lines[k].service_id || !lines[k].service_id)
                continue;
            int p = demo_year_practitioner_for(L->y, (enum dy_service)sv, m->team);
            if (p >= 0)
                in[k].person_name = L->y->practitioners[p].name;
        }
    }
    st = svc_meeting_attendance_save(&L->c, id, in, n, &e);
    if (st != SVC_OK)
        return failed(L, "attendance", i, st, &e);
    if (m->guest) {
        int64_t gid;
        st = svc_meeting_guest_add(&L->c, id, "Sam Ellis", "Social Worker (Adoption Team)", "present", &e,
                                   &gid);
        if (st != SVC_OK)
            return failed(L, "guest", i, st, &e);
    }
    L->ids->meetings_held++;
    return 0;
}

static int ev_cancel(struct loader *L, int i)
{
    struct field_errors e = {0};
    enum svc_status st = svc_meeting_cancel(&L->c, L->meetings[i], L->y->meetings[i].cancel_reason, &e);
    if (st != SVC_OK)
        return failed(L, "meeting cancelled", i, st, &e);
    L->ids->meetings_cancelled++;
    return 0;
}

/* ---- cases ------------------------------------------------------------------- */

/* Adds s to the first n of set (no repeats, at most CONSENT_MAX_SERVICES). */
static size_t add_service(enum dy_service *set, size_t n, enum dy_service s)
{
    for (size_t k = 0; k < n; k++)
        if (set[k] == s)
            return n;
    if (n < CONSENT_MAX_SERVICES)
        set[n++] = s;
    return n;
}

static int ev_consent(struct loader *L, int i)
{
    const struct dy_case *c = &L->y->cases[i];
    const struct dy_team *t = &L->y->teams[c->team];
    struct date_text on;
    split_day(c->consent_on, &on);
    /* The team's services, and those the case's actions and referrals go
     * to: work may be given only where the family's consent reaches. */
    enum dy_service want[CONSENT_MAX_SERVICES];
    size_t n = 0;
    for (size_t k = 0; k < t->nservices; k++)
        n = add_service(want, n, t->services[k]);
    for (size_t k = 0; k < L->y->nactions; k++) {
        const struct dy_action *a = &L->y->actions[k];
        if (a->kase != i)
            continue;
        if (a->owner == DY_OWN_SERVICE || a->owner == DY_OWN_PRACTITIONER)
            n = add_service(want, n, a->owner_service);
        if (a->referral)
            n = add_service(want, n, a->referral_service);
    }
    char ids[CONSENT_MAX_SERVICES][24];
    const char *idp[CONSENT_MAX_SERVICES];
    for (size_t k = 0; k < n; k++) {
        id_text(L->ids->services[want[k]], ids[k]);
        idp[k] = ids[k];
    }
    struct consent_form f = {c->consent_by, c->relationship, on.d, on.m, on.y, "yes", n, idp};
    struct field_errors e = {0};
    struct consent_row r;
    enum svc_status st = svc_consent_record(&L->c, L->plan->pupils[c->pupil].id, &f, &e, &r);
    if (st != SVC_OK)
        return failed(L, "consent", i, st, &e);
    L->consents[i] = r.id;
    return 0;
}

static int ev_case_open(struct loader *L, int i)
{
    const struct dy_case *c = &L->y->cases[i];
    char team[24];
    id_text(L->ids->teams[c->team], team);
    struct case_form f;
    memset(&f, 0, sizeof f);
    f.team_id = team;
    for (int k = 0; k < CASE_NEED_AREAS; k++)
        f.needs[k] = c->needs[k] ? c->needs[k] : "";
    f.strengths = c->strengths;
    f.tried = c->tried;
    f.child_voice = c->child_voice ? c->child_voice : "";
    f.parent_voice = c->parent_voice ? c->parent_voice : "";
    f.hoped_outcomes = c->hoped_outcomes;
    for (int k = 0; k < CASE_PRIOR_FLAGS; k++)
        f.prior[k] = tristate_code(c->prior[k]);
    f.summary_before_meeting = c->summary_ready ? "yes" : "no";
    f.ect_completed = c->ect_completed ? "yes" : "no";
    struct field_errors e = {0};
    struct case_row *r = malloc(sizeof *r);
    if (!r)
        return -1;
    enum svc_status st = svc_case_open(&L->c, L->plan->pupils[c->pupil].id, &f, &e, r);
    L->cases[i] = r->id;
    free(r);
    if (st != SVC_OK)
        return failed(L, "case", i, st, &e);
    L->ids->pupils++;
    return 0;
}

static int ev_reopen(struct loader *L, int i)
{
    struct field_errors e = {0};
    enum svc_status st = svc_case_reopen(&L->c, L->cases[i], &e);
    return st == SVC_OK ? 0 : failed(L, "case re-opened", i, st, &e);
}

static int ev_withdraw(struct loader *L, int i)
{
    struct date_text on;
    split_day(L->y->cases[i].withdrawn_on, &on);
    struct withdrawal_form f = {on.d, on.m, on.y, "Parent asked that their child is no longer discussed at TAS"};
    struct field_errors e = {0};
    enum svc_status st = svc_consent_withdraw(&L->c, L->consents[i], &f, &e);
    return st == SVC_OK ? 0 : failed(L, "consent withdrawn", i, st, &e);
}

static int ev_close(struct loader *L, int i)
{
    const struct dy_case *c = &L->y->cases[i];
    struct field_errors e = {0};
    enum svc_status st = svc_case_close(&L->c, L->cases[i], c->closure_reason, c->closure_note, &e);
    return st == SVC_OK ? 0 : failed(L, "case closed", i, st, &e);
}

/* ---- agendas and minutes ------------------------------------------------------ */

static int ev_agenda(struct loader *L, int i)
{
    const struct dy_discussion *d = &L->y->discussions[i];
    struct field_errors e = {0};
    enum svc_status st = svc_agenda_add(&L->c, L->meetings[d->meeting], L->cases[d->kase], &e, &L->discussions[i]);
    return st == SVC_OK ? 0 : failed(L, "agenda item", i, st, &e);
}

static int ev_minutes(struct loader *L, int i, bool feedback)
{
    const struct dy_discussion *d = &L->y->discussions[i];
    struct discussion_form f;
    memset(&f, 0, sizeof f);
    f.minutes = d->minutes ? d->minutes : "";
    struct date_text on;
    if (feedback) {
        split_day(d->feedback_on, &on);
        f.fb_day = on.d;
        f.fb_month = on.m;
        f.fb_year = on.y;
        f.fb_method = d->feedback_method;
        f.fb_by = d->feedback_by;
    }
    struct field_errors e = {0};
    enum svc_status st = svc_discussion_save(&L->c, L->discussions[i], &f, &e);
    return st == SVC_OK ? 0 : failed(L, feedback ? "feedback" : "minutes", i, st, &e);
}

/* ---- actions and referrals ----------------------------------------------------- */

static int ev_action(struct loader *L, int i)
{
    const struct dy_action *a = &L->y->actions[i];
    char svc[24] = "", prac[24] = "", res[24] = "", disc[24];
    if (a->owner == DY_OWN_SCHOOL || a->owner == DY_OWN_SERVICE || a->owner == DY_OWN_PRACTITIONER)
        id_text(L->ids->services[a->owner_service], svc);
    if (a->owner == DY_OWN_PRACTITIONER)
        id_text(L->ids->practitioners[a->practitioner], prac);
    if (a->resource >= 0)
        id_text(L->resources[a->resource], res);
    id_text(L->discussions[a->discussion], disc);
    struct date_text due = {"", "", ""};
    if (a->due_on)
        split_day(a->due_on, &due);
    struct action_form f = {a->description, svc, prac, a->owner_name ? a->owner_name : "", a->setting, a->nature,
                            res, due.d, due.m, due.y, disc};
    struct field_errors e = {0};
    struct action_row *r = malloc(sizeof *r);
    if (!r)
        return -1;
    enum svc_status st = svc_action_create(&L->c, L->cases[a->kase], &f, &e, r);
    L->actions[i] = r->id;
    free(r);
    if (st != SVC_OK)
        return failed(L, "action", i, st, &e);
    L->ids->actions++;
    if (!a->referral)
        return 0;
    char to[24], act[24];
    id_text(L->ids->services[a->referral_service], to);
    id_text(L->actions[i], act);
    struct date_text on;
    split_day(a->referred_on, &on);
    struct referral_form rf = {to, on.d, on.m, on.y, act, ""};
    struct referral_row *rr = malloc(sizeof *rr);
    if (!rr)
        return -1;
    st = svc_referral_create(&L->c, L->cases[a->kase], &rf, &e, rr);
    L->referrals[i] = rr->id;
    free(rr);
    return st == SVC_OK ? 0 : failed(L, "referral", i, st, &e);
}

static int ev_action_status(struct loader *L, int i)
{
    const struct dy_action *a = &L->y->actions[i];
    struct action_status_form f = {a->status, a->not_done_reason ? a->not_done_reason : "", a->outcome};
    struct field_errors e = {0};
    struct action_row *r = malloc(sizeof *r);
    if (!r)
        return -1;
    enum svc_status st = svc_action_set_status(&L->c, L->actions[i], &f, &e, r);
    free(r);
    return st == SVC_OK ? 0 : failed(L, "action status", i, st, &e);
}

static int ev_referral_outcome(struct loader *L, int i)
{
    const struct dy_action *a = &L->y->actions[i];
    struct date_text on;
    split_day(a->outcome_on, &on);
    struct referral_outcome_form f = {a->referral_outcome, on.d, on.m, on.y, NULL, NULL};
    struct field_errors e = {0};
    struct referral_row *r = malloc(sizeof *r);
    if (!r)
        return -1;
    enum svc_status st = svc_referral_set_outcome(&L->c, L->referrals[i], &f, &e, r);
    free(r);
    return st == SVC_OK ? 0 : failed(L, "referral outcome", i, st, &e);
}

/* ---- the year ------------------------------------------------------------------ */

static int replay(struct loader *L, const struct dy_event *ev)
{
    on_day(L, ev->day);
    switch (ev->kind) {
    case DY_EV_TEAM: return ev_team(L, ev->index);
    case DY_EV_CONSENT: return ev_consent(L, ev->index);
    case DY_EV_CASE_OPEN: return ev_case_open(L, ev->index);
    case DY_EV_CASE_REOPEN: return ev_reopen(L, ev->index);
    case DY_EV_AGENDA: return ev_agenda(L, ev->index);
    case DY_EV_MEETING_CANCEL: return ev_cancel(L, ev->index);
    case DY_EV_MEETING_HELD: return ev_held(L, ev->index);
    case DY_EV_MINUTES: return ev_minutes(L, ev->index, false);
    case DY_EV_ACTION: return ev_action(L, ev->index);
    case DY_EV_ACTION_STATUS: return ev_action_status(L, ev->index);
    case DY_EV_REFERRAL_OUTCOME: return ev_referral_outcome(L, ev->index);
    case DY_EV_FEEDBACK: return ev_minutes(L, ev->index, true);
    case DY_EV_WITHDRAW: return ev_withdraw(L, ev->index);
    case DY_EV_CASE_CLOSE: return ev_close(L, ev->index);
    case DY_EV__COUNT: break;
    }
    return -1;
}

static int coordinator_principal(struct store *s, int64_t coordinator_id, struct principal *who)
{
    memset(who, 0, sizeof *who);
    if (svc_principal_load(s, coordinator_id, who) != SVC_OK || who->ngrants == 0) {
        cli_fail("demo year: cannot load the coordinator's roles");
        return -1;
    }
    return 0;
}

int demo_year_load(struct store *s, const struct demo_plan *plan, const struct demo_year *y,
                   int64_t coordinator_id, int64_t lead_id, struct demo_year_ids *out)
{
    memset(out, 0, sizeof *out);
    struct loader *L = calloc(1, sizeof *L);
    if (!L)
        return -1;
    L->s = s;
    L->plan = plan;
    L->y = y;
    L->ids = out;
    L->lead_id = lead_id;
    L->coordinator_id = coordinator_id;
    L->day = -1;
    int rc = coordinator_principal(s, coordinator_id, &L->who);
    L->meetings = calloc(y->nmeetings + 1, sizeof *L->meetings);
    L->cases = calloc(y->ncases + 1, sizeof *L->cases);
    L->consents = calloc(y->ncases + 1, sizeof *L->consents);
    L->discussions = calloc(y->ndiscussions + 1, sizeof *L->discussions);
    L->actions = calloc(y->nactions + 1, sizeof *L->actions);
    L->referrals = calloc(y->nactions + 1, sizeof *L->referrals);
    struct dy_event *ev = NULL;
    size_t nev = 0;
    if (rc == 0 && (!L->meetings || !L->cases || !L->consents || !L->discussions || !L->actions ||
                    !L->referrals || demo_year_events(y, &ev, &nev) != 0)) {
        cli_fail("demo year: out of memory");
        rc = -1;
    }
    if (rc == 0)
        rc = load_reference(L);
    for (size_t i = 0; rc == 0 && i < nev; i++)
        rc = replay(L, &ev[i]);
    free(ev);
    free(L->meetings);
    free(L->cases);
    free(L->consents);
    free(L->discussions);
    free(L->actions);
    free(L->referrals);
    free(L);
    return rc;
}

/* What each supported pupil's school would have sent by now: the outcome
 * records of the generated England (gen_case_outcomes) around the day the
 * pupil was first brought, entered as a school user would.  Nothing dated
 * after today: a term not yet over is left out, and a spell that would end
 * later is still going.  Its own rng, so the rest of the demo is as it was. */
static int load_outcomes(struct svc_ctx *c, const struct demo_plan *plan, const struct demo_year *y,
                         struct demo_year_ids *ids)
{
    int32_t today;
    bool *seen = calloc(plan->npupils + 1, sizeof *seen);
    if (!seen || day_parse(c->today, &today) != 0) {
        free(seen);
        cli_fail("demo year: outcome records: out of memory");
        return -1;
    }
    struct demo_rng rng;
    demo_rng_seed(&rng, 0x6f7574636f6d65ULL ^ (uint64_t)y->year);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < y->ncases; i++) {
        const struct dy_case *k = &y->cases[i];
        if (k->pupil < 0 || (size_t)k->pupil >= plan->npupils || seen[k->pupil])
            continue;
        seen[k->pupil] = true;
        const struct pupil *p = &plan->pupils[k->pupil];
        char presented[11];
        day_format(k->opened_on, presented);
        bool secondary = atoi(p->nc_year) >= 7;
        struct outcome_record o[GEN_MAX_OUTCOMES];
        size_t n = gen_case_outcomes(&rng, presented, secondary, o, GEN_MAX_OUTCOMES);
        for (size_t j = 0; rc == 0 && j < n; j++) {
            if (o[j].starts > today || (o[j].kind == OUT_ATTENDANCE && o[j].ends > today))
                continue;
            if (o[j].ends > today)
                o[j].ends = 0;
            struct field_errors e = {0};
            int64_t id;
            enum svc_status st = svc_outcome_add(c, p->id, &o[j], &e, &id);
            if (st != SVC_OK) {
                cli_fail("demo year: outcome record of case %zu: %s%s%s", i, svc_status_text(st),
                         e.count ? ": " : "", e.count ? e.items[0].message : "");
                rc = -1;
            } else {
                ids->outcomes++;
            }
        }
    }
    free(seen);
    return rc;
}

int demo_year_finish(struct store *s, const struct demo_plan *plan, const struct demo_year *y,
                     int64_t coordinator_id, int64_t practitioner_user_id, int64_t now,
                     struct demo_year_ids *ids)
{
    struct principal who;
    if (coordinator_principal(s, coordinator_id, &who) != 0)
        return -1;
    struct svc_ctx c;
    svc_ctx_init(&c, s, &who, now);
    /* Term dates for next year too, as a new authority would have now. */
    enum svc_status st = svc_reference_seed_defaults(&c, plan->authority.id);
    if (st != SVC_OK) {
        cli_fail("demo year: term dates: %s", svc_status_text(st));
        return -1;
    }
    for (size_t i = 0; practitioner_user_id > 0 && i < y->npractitioners; i++) {
        if (!y->practitioners[i].demo_user)
            continue;
        struct practitioner_row r;
        st = svc_ref_get(&c, Q_REF_PRACTITIONER, ids->practitioners[i], &r);
        char sid[24], uid[24];
        id_text(r.service_id, sid);
        id_text(practitioner_user_id, uid);
        struct practitioner_form f = {r.name, r.job_title, r.email, sid, "", uid, "yes"};
        struct field_errors e = {0};
        struct practitioner_row saved;
        if (st == SVC_OK)
            st = svc_ref_update(&c, Q_REF_PRACTITIONER, r.id, &f, &e, &saved);
        if (st != SVC_OK) {
            cli_fail("demo year: linking the practitioner account: %s%s%s", svc_status_text(st),
                     e.count ? ": " : "", e.count ? e.items[0].message : "");
            return -1;
        }
    }
    if (load_outcomes(&c, plan, y, ids) != 0)
        return -1;
    /* This year's meetings, from today on, stay planned. */
    for (size_t i = 0; i < y->nteams; i++) {
        struct field_errors e = {0};
        struct schedule_result sr;
        st = svc_team_plan(&c, ids->teams[i], NULL, "no", &e, &sr);
        if (st != SVC_OK) {
            cli_fail("demo year: planning this year for team %zu: %s%s%s", i, svc_status_text(st),
                     e.count ? ": " : "", e.count ? e.items[0].message : "");
            return -1;
        }
        ids->meetings_planned += sr.planned;
    }
    return 0;
}
