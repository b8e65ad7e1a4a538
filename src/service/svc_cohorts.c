#include "service/svc_cohorts.h"
#include "lib/count.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/casefile.h"
#include "core/codes.h"
#include "core/validate.h"
#include "core/workflow.h"
#include "service/svc_users.h"

/* Who may change a meeting's agenda: as svc_agenda.c decides it (those who
 * may edit the authority's cases, or add cases at the host school). */
static bool may_change_agenda(const struct svc_ctx *c, const struct meeting_brief *m)
{
    return svc_allowed(c, ACT_EDIT, RES_CASE, 0, m->authority_id, 0) ||
           svc_allowed(c, ACT_CREATE, RES_CASE, 0, m->authority_id, m->host_school_id);
}

static enum svc_status meeting_for(struct svc_ctx *c, int64_t id, bool edit, struct meeting_brief *m)
{
    enum store_rc rc = q_meeting_brief(c->db, id, m);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    if (!svc_allowed(c, ACT_VIEW, RES_TEAM, m->team_id, m->authority_id, m->host_school_id))
        return SVC_NOT_FOUND;
    if (edit && !may_change_agenda(c, m))
        return SVC_FORBIDDEN;
    return SVC_OK;
}

/* ---- the running order ---- */

struct grow {
    void *rows;
    size_t n, cap, size;
    bool failed;
};

static void *grow_push(struct grow *g)
{
    g->rows = svc_room(g->rows, g->n, &g->cap, g->size, 8, &g->failed);
    if (g->failed)
        return NULL;
    return (char *)g->rows + g->size * g->n++;
}

static void push_disc(void *arg, const struct agenda_row *r)
{
    struct agenda_row *d = grow_push(arg);
    if (d)
        *d = *r;
}

static void push_cohort(void *arg, const struct cohort_row *r)
{
    struct cohort_row *d = grow_push(arg);
    if (d)
        *d = *r;
}

static void push_slot(void *arg, const struct running_slot *r)
{
    struct running_slot *d = grow_push(arg);
    if (d)
        *d = *r;
}

static int32_t day_or_zero(const char *s)
{
    int32_t d = 0;
    return s && *s && day_parse(s, &d) == 0 ? d : 0;
}

/* Everything on the meeting's agenda (voided items left out), in running
 * order: *items (free it) indexes into discs and cohorts by id. */
struct agenda_all {
    struct grow discs, cohorts;
    struct agenda_item *items;
    size_t n;
};

static void agenda_all_free(struct agenda_all *a)
{
    free(a->discs.rows);
    free(a->cohorts.rows);
    free(a->items);
    memset(a, 0, sizeof *a);
}

static enum svc_status agenda_all_load(struct svc_ctx *c, const struct meeting_brief *m, struct agenda_all *a)
{
    memset(a, 0, sizeof *a);
    a->discs.size = sizeof(struct agenda_row);
    a->cohorts.size = sizeof(struct cohort_row);
    struct grow slots = {NULL, 0, 0, sizeof(struct running_slot), false};
    enum store_rc rc = q_agenda_list(c->db, m->id, c->today, push_disc, &a->discs);
    if (rc == STORE_OK)
        rc = q_cohort_list(c->db, m->id, push_cohort, &a->cohorts);
    if (rc == STORE_OK)
        rc = q_running_discussions(c->db, m->id, push_slot, &slots);
    size_t nd = a->discs.n, nc = a->cohorts.n;
    struct agenda_entry *e = calloc(nd ? nd : 1, sizeof *e);
    a->items = calloc(nd + nc ? nd + nc : 1, sizeof *a->items);
    if (rc != STORE_OK || a->discs.failed || a->cohorts.failed || slots.failed || !e || !a->items) {
        free(e);
        free(slots.rows);
        agenda_all_free(a);
        return SVC_ERROR;
    }
    /* The workflow rule's order of the case discussions. */
    const struct agenda_row *dr = a->discs.rows;
    for (size_t i = 0; i < nd; i++) {
        e[i].case_id = (int64_t)i;
        e[i].review = strcmp(dr[i].kind, "review") == 0;
        e[i].overdue_actions = (int)dr[i].overdue_actions;
        e[i].open_actions = (int)dr[i].open_actions;
        e[i].first_discussed = day_or_zero(dr[i].first_discussed);
        e[i].created = dr[i].case_created;
    }
    agenda_order(e, nd);
    const struct running_slot *sl = slots.rows;
    for (size_t r = 0; r < nd; r++) {
        const struct agenda_row *d = &dr[e[r].case_id];
        if (d->voided_at)
            continue;
        struct agenda_item *it = &a->items[a->n++];
        it->kind = strcmp(d->kind, "review") == 0 ? AGENDA_REVIEW : AGENDA_NEW;
        it->id = d->id;
        it->rule_rank = (int)r;
        for (size_t k = 0; k < slots.n; k++)
            if (sl[k].id == d->id) {
                it->position = sl[k].position;
                it->minutes = sl[k].slot_minutes;
            }
    }
    const struct cohort_row *cr = a->cohorts.rows;
    for (size_t i = 0; i < nc; i++) {
        if (cr[i].voided_at)
            continue;
        struct agenda_item *it = &a->items[a->n++];
        it->kind = AGENDA_COHORT;
        it->id = cr[i].id;
        it->position = cr[i].position;
        it->minutes = cr[i].slot_minutes;
        it->rule_rank = (int)(nd + i);
    }
    free(e);
    free(slots.rows);
    agenda_running_order(a->items, a->n);
    return SVC_OK;
}

enum svc_status svc_running_get(struct svc_ctx *c, int64_t meeting_id, struct running_view *out)
{
    memset(out, 0, sizeof *out);
    enum svc_status st = meeting_for(c, meeting_id, false, &out->meeting);
    if (st != SVC_OK)
        return st;
    struct agenda_all a;
    if ((st = agenda_all_load(c, &out->meeting, &a)) != SVC_OK)
        return st;
    out->may_edit = may_change_agenda(c, &out->meeting) && strcmp(out->meeting.status, "cancelled") != 0;
    svc_meeting_location(c, meeting_id, out->location, sizeof out->location);
    bool own = false;
    char loc[MEETING_LOCATION_MAX];
    if (q_meeting_location(c->db, meeting_id, loc, sizeof loc, &own) == STORE_ROW)
        out->location_own = own;
    out->items = calloc(a.n ? a.n : 1, sizeof *out->items);
    if (!out->items) {
        agenda_all_free(&a);
        return SVC_ERROR;
    }
    bool timed = agenda_schedule(a.items, a.n, out->meeting.start_time) == 0;
    const struct agenda_row *dr = a.discs.rows;
    const struct cohort_row *cr = a.cohorts.rows;
    for (size_t i = 0; i < a.n; i++) {
        const struct agenda_item *it = &a.items[i];
        struct running_item *ri = &out->items[out->n++];
        ri->kind = it->kind;
        ri->id = it->id;
        ri->minutes_set = it->minutes > 0;
        ri->minutes = it->minutes > 0 ? it->minutes : agenda_default_minutes(it->kind);
        if (timed) {
            agenda_clock(it->start_min, ri->start);
            agenda_clock(it->end_min, ri->end);
            snprintf(out->end, sizeof out->end, "%s", ri->end);
        }
        if (it->kind == AGENDA_COHORT) {
            for (size_t k = 0; k < a.cohorts.n; k++)
                if (cr[k].id == it->id)
                    ri->cohort = &cr[k];
            ri->visible = true;
        } else {
            for (size_t k = 0; k < a.discs.n; k++)
                if (dr[k].id == it->id &&
                    svc_allowed(c, ACT_VIEW, RES_CASE, dr[k].case_id, dr[k].authority_id, dr[k].school_id))
                    ri->disc = &dr[k];
            ri->visible = ri->disc != NULL;
            if (!ri->visible)
                out->hidden++;
        }
    }
    /* The view keeps the rows its items point at. */
    out->discs = a.discs.rows;
    out->ndiscs = a.discs.n;
    out->cohorts = a.cohorts.rows;
    out->ncohorts = a.cohorts.n;
    free(a.items);
    return SVC_OK;
}

void svc_running_free(struct running_view *v)
{
    free(v->items);
    free(v->discs);
    free(v->cohorts);
    memset(v, 0, sizeof *v);
}

/* "d-12" or "c-3": the kind (cohort or not) and id; -1 when neither. */
static int parse_item(const char *s, int64_t *id)
{
    if (!s || (s[0] != 'd' && s[0] != 'c') || s[1] != '-')
        return -1;
    long v = 0;
    if (parse_int_strict(s + 2, 1, 2147483647L, &v) != 0)
        return -1;
    *id = v;
    return s[0] == 'c';
}

/* The running order of a meeting the user may change the agenda of (as
 * meeting_for), with the item named by item ("d-12", "c-3") found in it:
 * *at is its index in a->items, (size_t)-1 when it names none of them.
 * On SVC_OK the caller frees a. */
static enum svc_status running_item(struct svc_ctx *c, int64_t meeting_id, const char *item, struct agenda_all *a,
                                    size_t *at)
{
    struct meeting_brief m;
    enum svc_status st = meeting_for(c, meeting_id, true, &m);
    if (st != SVC_OK || (st = agenda_all_load(c, &m, a)) != SVC_OK)
        return st;
    int64_t id = 0;
    int cohort = parse_item(item, &id);
    *at = (size_t)-1;
    for (size_t i = 0; cohort >= 0 && i < a->n && *at == (size_t)-1; i++)
        if (a->items[i].id == id && (a->items[i].kind == AGENDA_COHORT) == (cohort == 1))
            *at = i;
    return SVC_OK;
}

enum svc_status svc_running_move(struct svc_ctx *c, int64_t meeting_id, const char *item, const char *dir,
                                 struct field_errors *errs)
{
    int d = dir && !strcmp(dir, "up") ? -1 : dir && !strcmp(dir, "down") ? 1 : 0;
    struct agenda_all a;
    size_t i;
    enum svc_status st = running_item(c, meeting_id, item, &a, &i);
    if (st != SVC_OK)
        return st;
    if (i == (size_t)-1 || d == 0)
        field_errors_add(errs, "item", "Choose an item on this agenda to move up or down");
    else if (!agenda_move(a.items, a.n, i, d))
        field_errors_add(errs, "item", d < 0 ? "This item is already first" : "This item is already last");
    enum store_rc rc = STORE_OK;
    for (size_t k = 0; !errs->count && rc == STORE_OK && k < a.n; k++)
        rc = q_running_set_position(c->db, a.items[k].kind == AGENDA_COHORT, meeting_id, a.items[k].id,
                                    a.items[k].position);
    agenda_all_free(&a);
    if (errs->count)
        return SVC_INVALID;
    return svc_from_store(rc);
}

enum svc_status svc_running_minutes(struct svc_ctx *c, int64_t meeting_id, const char *item, const char *minutes,
                                    struct field_errors *errs)
{
    struct agenda_all a;
    size_t i;
    enum svc_status st = running_item(c, meeting_id, item, &a, &i);
    if (st != SVC_OK)
        return st;
    struct agenda_item found = i != (size_t)-1 ? a.items[i] : (struct agenda_item){0};
    agenda_all_free(&a);
    long v = 0;
    if (i == (size_t)-1)
        field_errors_add(errs, "item", "Choose an item on this agenda");
    else if (minutes && *minutes && parse_int_strict(minutes, AGENDA_SLOT_MIN, AGENDA_SLOT_MAX, &v) != 0)
        field_errors_add(errs, "minutes", "Enter the minutes for the item as a whole number from 1 to 240");
    if (errs->count)
        return SVC_INVALID;
    return svc_from_store(
        q_running_set_minutes(c->db, found.kind == AGENDA_COHORT, meeting_id, found.id, (int)v, c->now));
}

enum svc_status svc_meeting_location_set(struct svc_ctx *c, int64_t meeting_id, const char *location,
                                         struct field_errors *errs)
{
    struct meeting_brief m;
    enum store_rc rc = q_meeting_brief(c->db, meeting_id, &m);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    if (!svc_allowed(c, ACT_VIEW, RES_TEAM, m.team_id, m.authority_id, m.host_school_id))
        return SVC_NOT_FOUND;
    if (!svc_allowed(c, ACT_EDIT, RES_TEAM, m.team_id, m.authority_id, m.host_school_id))
        return SVC_FORBIDDEN;
    char loc[MEETING_LOCATION_MAX] = "";
    if (location && (trim_copy(location, loc, sizeof loc) < 0 || !text_is_clean(loc, 0))) {
        field_errors_add(errs, "location", "Enter a location of 200 characters or fewer, on one line");
        return SVC_INVALID;
    }
    return svc_from_store(q_meeting_set_location(c->db, meeting_id, loc, c->now));
}

void svc_meeting_location(struct svc_ctx *c, int64_t meeting_id, char *out, size_t outsz)
{
    bool own = false;
    if (q_meeting_location(c->db, meeting_id, out, outsz, &own) != STORE_ROW)
        out[0] = '\0';
}

/* ---- cohort discussions ---- */

struct name_scan {
    const char *text;
    bool named;
};

static void scan_name(void *arg, const char *forenames, const char *surname)
{
    struct name_scan *ns = arg;
    if (!ns->named && cohort_names_pupil(ns->text, forenames, surname))
        ns->named = true;
}

/* Adds a field error when text names a pupil of the team's schools, or
 * holds a UPN, or (dates true: a description, where a full date can only
 * be a child's) a full date; minutes and actions may give dates of what
 * happens.  -1 on a storage failure. */
static int check_no_child(struct svc_ctx *c, int64_t team_id, const char *text, const char *field, bool dates,
                          struct field_errors *errs)
{
    if (!text || !*text)
        return 0;
    enum cohort_text_problem p = dates ? cohort_text_check(text) : COHORT_TEXT_OK;
    if (cohort_text_has_upn(text))
        p = COHORT_TEXT_UPN;
    if (p == COHORT_TEXT_UPN || p == COHORT_TEXT_DATE) {
        field_errors_add(errs, field, cohort_text_message(p));
        return 0;
    }
    struct name_scan ns = {text, false};
    if (q_cohort_pupil_names(c->db, team_id, 0, scan_name, &ns) != STORE_OK)
        return -1;
    if (ns.named)
        field_errors_add(errs, field,
                         "Remove the child's name: a cohort discussion must not identify a child. Discuss a "
                         "child as a case of their own, with their family's consent");
    return 0;
}

enum svc_status svc_cohort_create(struct svc_ctx *c, int64_t meeting_id, const struct cohort_form *f,
                                  struct field_errors *errs, int64_t *id)
{
    struct meeting_brief m;
    enum svc_status st = meeting_for(c, meeting_id, true, &m);
    if (st != SVC_OK)
        return st;
    struct cohort_row *r = calloc(1, sizeof *r);
    if (!r)
        return SVC_ERROR;
    r->meeting_id = meeting_id;
    if (!strcmp(m.status, "cancelled"))
        field_errors_add(errs, "description", "This meeting was cancelled. Add the cohort to another meeting.");
    char desc[COHORT_DESC_MAX * 2];
    if (case_text(f->description, desc, sizeof desc, "description", "The cohort", errs) == 0) {
        enum cohort_text_problem p = strlen(desc) >= COHORT_DESC_MAX ? COHORT_TEXT_LONG : cohort_text_check(desc);
        if (p != COHORT_TEXT_OK)
            field_errors_add(errs, "description", cohort_text_message(p));
        else if (check_no_child(c, m.team_id, desc, "description", true, errs) < 0)
            st = SVC_ERROR;
        else
            snprintf(r->description, sizeof r->description, "%s", desc);
    }
    const char *yg = f->year_group ? f->year_group : "";
    if (*yg && !code_find(&codes_nc_year, yg))
        field_errors_add(errs, "year_group", "Select the year group from the list");
    else
        snprintf(r->year_group, sizeof r->year_group, "%s", yg);
    if (f->school_id && *f->school_id) {
        long v = 0;
        bool ok = false;
        if (parse_int_strict(f->school_id, 1, 2147483647L, &v) == 0 &&
            q_cohort_team_school(c->db, m.team_id, v, &ok) != STORE_OK)
            st = SVC_ERROR;
        if (!ok)
            field_errors_add(errs, "school_id", "Select one of the team's schools, or all of them");
        else
            r->school_id = v;
    }
    if (st == SVC_OK && errs->count)
        st = SVC_INVALID;
    if (st == SVC_OK)
        st = svc_from_store(q_cohort_insert(c->db, r, c->who->user_id, c->now, id));
    free(r);
    return st;
}

/* A record on a meeting's agenda of team_id (a cohort discussion, its
 * action): SVC_NOT_FOUND unless the user may see the team's meetings;
 * then *editor (when asked) whether they may change the agenda. */
static enum svc_status agenda_record_access(const struct svc_ctx *c, int64_t team_id, int64_t authority_id,
                                            int64_t host_school_id, bool *editor)
{
    if (!svc_allowed(c, ACT_VIEW, RES_TEAM, team_id, authority_id, host_school_id))
        return SVC_NOT_FOUND;
    struct meeting_brief m = {0};
    m.authority_id = authority_id;
    m.host_school_id = host_school_id;
    if (editor)
        *editor = may_change_agenda(c, &m);
    return SVC_OK;
}

static enum svc_status cohort_for(struct svc_ctx *c, int64_t id, struct cohort_row *out, bool *may_edit)
{
    enum store_rc rc = q_cohort_get(c->db, id, out);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    return agenda_record_access(c, out->team_id, out->authority_id, out->host_school_id, may_edit);
}

enum svc_status svc_cohort_get(struct svc_ctx *c, int64_t id, struct cohort_row *out, bool *may_edit)
{
    return cohort_for(c, id, out, may_edit);
}

/* The cohort discussion, for a change: visible, editable, not voided. */
static enum svc_status cohort_for_edit(struct svc_ctx *c, int64_t id, struct cohort_row *k, struct field_errors *errs,
                                       const char *field)
{
    bool may = false;
    enum svc_status st = cohort_for(c, id, k, &may);
    if (st != SVC_OK)
        return st;
    if (!may)
        return SVC_FORBIDDEN;
    if (k->voided_at) {
        field_errors_add(errs, field, "This cohort discussion was voided: it was entered by mistake");
        return SVC_INVALID;
    }
    return SVC_OK;
}

enum svc_status svc_cohort_minutes(struct svc_ctx *c, int64_t id, const char *minutes, struct field_errors *errs)
{
    struct cohort_row *k = malloc(sizeof *k);
    char *text = malloc(COHORT_MINUTES_MAX);
    if (!k || !text) {
        free(k);
        free(text);
        return SVC_ERROR;
    }
    enum svc_status st = cohort_for_edit(c, id, k, errs, "minutes");
    if (st == SVC_OK && case_text(minutes, text, COHORT_MINUTES_MAX, "minutes", "The minutes", errs) == 0 && text[0]) {
        if (strcmp(k->meeting_status, "held") != 0)
            field_errors_add(errs, "minutes", "Mark the meeting as held before recording minutes");
        else if (check_no_child(c, k->team_id, text, "minutes", false, errs) < 0)
            st = SVC_ERROR;
    }
    if (st == SVC_OK && errs->count)
        st = SVC_INVALID;
    if (st == SVC_OK)
        st = svc_from_store(q_cohort_save_minutes(c->db, id, text, c->now));
    free(k);
    free(text);
    return st;
}

static enum svc_status void_reason(const char *reason, char *why, size_t whysz, struct field_errors *errs)
{
    case_text_required(reason, why, whysz, "void_reason", "The reason",
                       "Give the reason the record was entered by mistake", errs);
    return errs->count ? SVC_INVALID : SVC_OK;
}

enum svc_status svc_cohort_void(struct svc_ctx *c, int64_t id, const char *reason, struct field_errors *errs)
{
    struct cohort_row *k = malloc(sizeof *k);
    if (!k)
        return SVC_ERROR;
    enum svc_status st = cohort_for_edit(c, id, k, errs, "void_reason");
    free(k);
    char why[COHORT_REASON_MAX];
    if (st == SVC_OK)
        st = void_reason(reason, why, sizeof why, errs);
    if (st != SVC_OK)
        return st;
    enum store_rc rc = q_cohort_void(c->db, COHORT_VOID_DISCUSSION, id, c->who->user_id, why, c->now);
    return rc == STORE_OK ? SVC_OK : rc == STORE_DONE ? SVC_CONFLICT : SVC_ERROR;
}

/* ---- cohort actions ---- */

enum svc_status svc_cohort_actions(struct svc_ctx *c, int64_t cohort_id,
                                   void (*fn)(void *arg, const struct cohort_action_row *a), void *arg)
{
    struct cohort_row *k = malloc(sizeof *k);
    if (!k)
        return SVC_ERROR;
    enum svc_status st = cohort_for(c, cohort_id, k, NULL);
    free(k);
    if (st != SVC_OK)
        return st;
    return svc_from_store(q_cohort_action_list(c->db, cohort_id, fn, arg));
}

static int64_t opt_id(const char *s)
{
    long v = 0;
    if (!s || !*s)
        return 0;
    return parse_int_strict(s, 1, 2147483647L, &v) == 0 ? v : -1;
}

/* Validates the action form for the cohort discussion k into a (whose
 * cohort_id is the caller's).  cur: the action being changed, or NULL: an
 * owner kept from before may have become inactive, and is not asked about
 * again.  SVC_ERROR on a storage failure, else SVC_OK (errors in errs). */
static enum svc_status caction_read(struct svc_ctx *c, const struct cohort_row *k, const struct cohort_action_form *f,
                                    const struct cohort_action_row *cur, struct cohort_action_row *a,
                                    struct field_errors *errs)
{
    enum svc_status st = SVC_OK;
    if (case_text(f->description, a->description, sizeof a->description, "description", "Description", errs) == 0) {
        if (!a->description[0])
            field_errors_add(errs, "description", "Enter a description of the action");
        else if (check_no_child(c, k->team_id, a->description, "description", false, errs) < 0)
            st = SVC_ERROR;
    }
    int64_t svc = opt_id(f->owner_service_id), prac = opt_id(f->owner_practitioner_id);
    struct service_row sr;
    struct practitioner_row pr;
    if (svc < 0 || (svc > 0 && (q_service_get(c->db, svc, &sr) != STORE_ROW || sr.authority_id != k->authority_id ||
                                (!sr.active && !(cur && cur->owner_service_id == svc)))))
        field_errors_add(errs, "owner_service_id", "Select the service from the list");
    else
        a->owner_service_id = svc;
    if (prac < 0 || (prac > 0 && (q_practitioner_get(c->db, prac, &pr) != STORE_ROW ||
                                  pr.authority_id != k->authority_id ||
                                  (!pr.active && !(cur && cur->owner_practitioner_id == prac))))) {
        field_errors_add(errs, "owner_practitioner_id", "Select the practitioner from the list");
    } else if (prac > 0 && a->owner_service_id && pr.service_id != a->owner_service_id) {
        field_errors_add(errs, "owner_practitioner_id",
                         "Select a practitioner who works for the service chosen, or leave the service blank");
    } else if (prac > 0) {
        a->owner_practitioner_id = prac;
        if (!a->owner_service_id && svc == 0)
            a->owner_service_id = pr.service_id;
        /* Work reaches its owner: a practitioner with an account must
         * be able to see the meeting the action came from (asked again
         * only when the practitioner changes). */
        if (pr.user_id > 0 && !(cur && cur->owner_practitioner_id == prac)) {
            struct principal *them = calloc(1, sizeof *them);
            if (!them) {
                st = SVC_ERROR;
            } else {
                struct svc_ctx as = *c;
                as.who = them;
                bool sees = svc_principal_load(c->db, pr.user_id, them) == SVC_OK &&
                            svc_allowed(&as, ACT_VIEW, RES_TEAM, k->team_id, k->authority_id, k->host_school_id);
                free(them);
                if (!sees) {
                    char msg[300];
                    snprintf(msg, sizeof msg,
                             "%s cannot see this team's meetings: choose another owner, or add them to the "
                             "team first", pr.name);
                    field_errors_add(errs, "owner_practitioner_id", msg);
                }
            }
        }
    }
    char name[COHORT_OWNER_MAX];
    if (case_text(f->owner_name, name, sizeof name, "owner_name", "Owner", errs) == 0)
        snprintf(a->owner_name, sizeof a->owner_name, "%s", name);
    if (!a->owner_service_id && !a->owner_practitioner_id && !a->owner_name[0] &&
        !field_errors_get(errs, "owner_service_id") && !field_errors_get(errs, "owner_practitioner_id") &&
        !field_errors_get(errs, "owner_name"))
        field_errors_add(errs, "owner_service_id",
                         "Select who will do the action: a service, a practitioner, or enter a name");
    bool any = (f->due_day && *f->due_day) || (f->due_month && *f->due_month) || (f->due_year && *f->due_year);
    if (any && parse_date_parts(f->due_day, f->due_month, f->due_year, a->due_on) != 0) {
        field_errors_add(errs, "due_on", "The due date must be a real date");
        a->due_on[0] = '\0';
    }
    return st;
}

enum svc_status svc_cohort_action_create(struct svc_ctx *c, int64_t cohort_id, const struct cohort_action_form *f,
                                         struct field_errors *errs, int64_t *id)
{
    struct cohort_row *k = malloc(sizeof *k);
    struct cohort_action_row *a = calloc(1, sizeof *a);
    if (!k || !a) {
        free(k);
        free(a);
        return SVC_ERROR;
    }
    enum svc_status st = cohort_for_edit(c, cohort_id, k, errs, "description");
    a->cohort_id = cohort_id;
    if (st == SVC_OK)
        st = caction_read(c, k, f, NULL, a, errs);
    if (st == SVC_OK && errs->count)
        st = SVC_INVALID;
    if (st == SVC_OK)
        st = svc_from_store(q_cohort_action_insert(c->db, a, c->now, id));
    free(k);
    free(a);
    return st;
}

static enum svc_status caction_for(struct svc_ctx *c, int64_t id, struct cohort_action_row *out, bool *may_edit,
                                   bool *may_void)
{
    enum store_rc rc = q_cohort_action_get(c->db, id, out);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    bool editor = false;
    enum svc_status st = agenda_record_access(c, out->team_id, out->authority_id, out->host_school_id, &editor);
    if (st != SVC_OK)
        return st;
    if (may_edit)
        *may_edit = editor || (out->owner_user_id > 0 && out->owner_user_id == c->who->user_id);
    if (may_void)
        *may_void = editor;
    return SVC_OK;
}

enum svc_status svc_cohort_action_get(struct svc_ctx *c, int64_t id, struct cohort_action_row *out, bool *may_edit)
{
    return caction_for(c, id, out, may_edit, NULL);
}

enum svc_status svc_cohort_action_status(struct svc_ctx *c, int64_t id, const char *status, const char *reason,
                                         const char *outcome, struct field_errors *errs)
{
    struct cohort_action_row *a = malloc(sizeof *a);
    if (!a)
        return SVC_ERROR;
    bool may = false;
    enum svc_status st = caction_for(c, id, a, &may, NULL);
    if (st == SVC_OK && !may)
        st = SVC_FORBIDDEN;
    enum action_status from = ACTION_OPEN, to = ACTION_OPEN;
    char why[COHORT_REASON_MAX] = "", *out_text = malloc(COHORT_ACTION_TEXT_MAX);
    if (!out_text)
        st = SVC_ERROR;
    if (st == SVC_OK) {
        if (a->voided_at)
            field_errors_add(errs, "status", "This action was voided: it was entered by mistake");
        action_status_from_code(a->status, &from);
        if (!status || action_status_from_code(status, &to) != 0) {
            field_errors_add(errs, "status", "Select the status of the action");
        } else {
            case_text(reason, why, sizeof why, "not_done_reason", "The reason", errs);
            const char *bad = action_transition_check(from, to, why);
            if (bad)
                field_errors_add(errs, "not_done_reason", bad);
        }
        out_text[0] = '\0';
        if (outcome)
            case_text(outcome, out_text, COHORT_ACTION_TEXT_MAX, "outcome", "What happened", errs);
        else
            snprintf(out_text, COHORT_ACTION_TEXT_MAX, "%s", a->outcome);
        if (!errs->count && check_no_child(c, a->team_id, out_text, "outcome", false, errs) < 0)
            st = SVC_ERROR;
        if (st == SVC_OK && errs->count)
            st = SVC_INVALID;
    }
    if (st == SVC_OK) {
        const char *closed = to == ACTION_OPEN ? "" : from == to && a->closed_on[0] ? a->closed_on : c->today;
        st = svc_from_store(q_cohort_action_set_status(c->db, id, action_status_code(to),
                                                       to == ACTION_NOT_DONE ? why : "", out_text, closed, c->now));
    }
    free(a);
    free(out_text);
    return st;
}

enum svc_status svc_cohort_action_void(struct svc_ctx *c, int64_t id, const char *reason, struct field_errors *errs)
{
    struct cohort_action_row *a = malloc(sizeof *a);
    if (!a)
        return SVC_ERROR;
    bool may = false;
    enum svc_status st = caction_for(c, id, a, NULL, &may);
    bool voided = a->voided_at > 0;
    free(a);
    if (st != SVC_OK)
        return st;
    if (!may)
        return SVC_FORBIDDEN;
    if (voided) {
        field_errors_add(errs, "void_reason", "This record has already been voided");
        return SVC_INVALID;
    }
    char why[COHORT_REASON_MAX];
    if ((st = void_reason(reason, why, sizeof why, errs)) != SVC_OK)
        return st;
    enum store_rc rc = q_cohort_void(c->db, COHORT_VOID_ACTION, id, c->who->user_id, why, c->now);
    return rc == STORE_OK ? SVC_OK : rc == STORE_DONE ? SVC_CONFLICT : SVC_ERROR;
}

enum svc_status svc_cohort_action_update(struct svc_ctx *c, int64_t id, const struct cohort_action_form *f,
                                         struct field_errors *errs)
{
    struct cohort_action_row *cur = malloc(sizeof *cur), *a = calloc(1, sizeof *a);
    struct cohort_row *k = malloc(sizeof *k);
    if (!cur || !a || !k) {
        free(cur);
        free(a);
        free(k);
        return SVC_ERROR;
    }
    bool editor = false;
    enum svc_status st = caction_for(c, id, cur, NULL, &editor);
    if (st == SVC_OK && !editor)
        st = SVC_FORBIDDEN;
    if (st == SVC_OK && cur->voided_at) {
        field_errors_add(errs, "description", "This action was voided: it was entered by mistake");
        st = SVC_INVALID;
    }
    if (st == SVC_OK)
        st = cohort_for_edit(c, cur->cohort_id, k, errs, "description");
    if (st == SVC_OK) {
        a->cohort_id = cur->cohort_id;
        st = caction_read(c, k, f, cur, a, errs);
    }
    if (st == SVC_OK && errs->count)
        st = SVC_INVALID;
    if (st == SVC_OK)
        st = svc_from_store(q_cohort_action_update(c->db, id, a, c->now));
    free(cur);
    free(a);
    free(k);
    return st;
}

enum svc_status svc_cohort_action_choices(struct svc_ctx *c, const struct cohort_row *k,
                                          void (*svc_fn)(void *arg, const struct service_row *r),
                                          void (*prac_fn)(void *arg, const struct practitioner_row *r), void *arg)
{
    enum store_rc rc = STORE_OK;
    if (svc_fn)
        rc = q_service_list(c->db, k->authority_id, true, svc_fn, arg);
    if (rc == STORE_OK && prac_fn)
        rc = q_practitioner_list(c->db, k->authority_id, 0, true, prac_fn, arg);
    return svc_from_store(rc);
}

struct work_filter {
    struct svc_ctx *c;
    int64_t staff[32];
    size_t nstaff;
    void (*fn)(void *arg, const struct cohort_action_row *a);
    void *arg;
};

static void filter_work(void *arg, const struct cohort_action_row *a)
{
    struct work_filter *w = arg;
    if (!svc_allowed(w->c, ACT_VIEW, RES_TEAM, a->team_id, a->authority_id, a->host_school_id))
        return;
    bool mine = a->owner_user_id > 0 && a->owner_user_id == w->c->who->user_id;
    bool school = false;
    if (!strcmp(a->owner_service_kind, "school")) {
        int64_t where = a->cohort_school_id ? a->cohort_school_id : a->host_school_id;
        for (size_t i = 0; i < w->nstaff; i++)
            if (w->staff[i] == where)
                school = true;
    }
    bool overdue = a->due_on[0] && strcmp(a->due_on, w->c->today) < 0 &&
                   svc_allowed(w->c, ACT_EDIT, RES_TEAM, a->team_id, a->authority_id, a->host_school_id);
    if (mine || school || overdue)
        w->fn(w->arg, a);
}

enum svc_status svc_cohort_work(struct svc_ctx *c, void (*fn)(void *arg, const struct cohort_action_row *a),
                                void *arg)
{
    struct visibility v;
    if (svc_list_visible(c, RES_TEAM, &v) != SVC_OK)
        return SVC_FORBIDDEN;
    struct work_filter w = {c, {0}, 0, fn, arg};
    w.nstaff = policy_staff_schools(c->who, w.staff, COUNT(w.staff));
    return svc_from_store(q_cohort_work(c->db, 0, c->who->user_id, c->today, filter_work, &w));
}

enum svc_status svc_cohort_count(struct svc_ctx *c, int64_t team_id, int64_t authority_id, int64_t host_school_id,
                                 const char *from, const char *to, int64_t *n)
{
    if (!svc_allowed(c, ACT_VIEW, RES_TEAM, team_id, authority_id, host_school_id))
        return SVC_NOT_FOUND;
    return svc_from_store(q_cohort_count(c->db, team_id, from, to, n));
}
