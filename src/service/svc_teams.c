#include "service/svc_teams.h"
#include "lib/count.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/validate.h"
#include "service/svc_places.h"
#include "store/q_meetings.h"
#include "store/q_schools.h"

#define MAX_CLOSURES 64
#define MAX_PLANNED 200

/* ---- Small parsers shared with the meeting use cases ---- */

static bool all_digits(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

int svc_parse_day(const char *s, int32_t *day)
{
    char t[32];
    if (!s || trim_copy(s, t, sizeof t) < 0 || !t[0])
        return -1;
    if (day_parse(t, day) == 0)
        return 0;
    /* D/M/YYYY, as people write dates in England (also with - or .). */
    const char *parts[3];
    size_t lens[3];
    size_t np = 0;
    const char *p = t;
    while (np < 3) {
        const char *q = p;
        while (*q && *q != '/' && *q != '-' && *q != '.')
            q++;
        parts[np] = p;
        lens[np++] = (size_t)(q - p);
        if (!*q)
            break;
        p = q + 1;
    }
    if (np != 3 || *p == '\0' || strpbrk(parts[2], "/-."))
        return -1;
    if (!all_digits(parts[0], lens[0]) || lens[0] > 2 || !all_digits(parts[1], lens[1]) ||
        lens[1] > 2 || !all_digits(parts[2], lens[2]) || lens[2] != 4)
        return -1;
    int d = atoi(parts[0]), m = atoi(parts[1]), y = atoi(parts[2]);
    char iso[40];
    snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
    return day_parse(iso, day);
}

int svc_parse_time(const char *s, char out[6])
{
    char t[16];
    if (!s || trim_copy(s, t, sizeof t) < 0)
        return -1;
    const char *sep = strpbrk(t, ":.");
    if (!sep)
        return -1;
    size_t hn = (size_t)(sep - t), mn = strlen(sep + 1);
    if (!all_digits(t, hn) || hn > 2 || !all_digits(sep + 1, mn) || mn != 2)
        return -1;
    int h = atoi(t), m = atoi(sep + 1);
    if (h > 23 || m > 59)
        return -1;
    out[0] = (char)('0' + h / 10);
    out[1] = (char)('0' + h % 10);
    out[2] = ':';
    out[3] = (char)('0' + m / 10);
    out[4] = (char)('0' + m % 10);
    out[5] = '\0';
    return 0;
}

void svc_day_long(int32_t day, char *out, size_t outsz)
{
    day_label_long(day, out, outsz);
}

/* ---- Policy ---- */

bool svc_team_may(const struct svc_ctx *c, enum action a, const struct team_row *t)
{
    return svc_allowed(c, a, RES_TEAM, t->t.id, t->t.authority_id, t->t.host_school_id);
}

/* ---- Validation ---- */

/* Optional one-line text: false (with the error added) when too long or
 * holding control characters. */
static bool text_ok(const char *in, char *out, size_t outsz, struct field_errors *errs,
                    const char *field, const char *too_long)
{
    if (trim_copy(in ? in : "", out, outsz) < 0) {
        field_errors_add(errs, field, too_long);
        return false;
    }
    if (!text_is_clean(out, 0)) {
        field_errors_add(errs, field, "Remove the special characters");
        return false;
    }
    return true;
}

static int64_t id_of(const char *s)
{
    long v;
    if (!s || parse_int_strict(s, 1, 0x7fffffffL, &v) != 0)
        return 0;
    return v;
}

static bool add_unique(int64_t *ids, size_t *n, size_t max, int64_t id)
{
    for (size_t i = 0; i < *n; i++)
        if (ids[i] == id)
            return true;
    if (*n >= max)
        return false;
    ids[(*n)++] = id;
    return true;
}

/* A list of records a team form ticks by id (its schools, its services):
 * the field, its errors, the most a team holds, and how a ticked id's
 * authority is read (STORE_ROW with *authority_id, STORE_DONE when the
 * record is not there). */
struct ticked_kind {
    const char *field, *not_listed, *too_many;
    size_t max;
    enum store_rc (*authority_of)(struct store *db, int64_t id, int64_t *authority_id);
};

static enum store_rc school_authority(struct store *db, int64_t id, int64_t *authority_id)
{
    struct school s;
    enum store_rc rc = q_school_get(db, id, &s);
    *authority_id = rc == STORE_ROW ? s.authority_id : 0;
    return rc;
}

static enum store_rc service_authority(struct store *db, int64_t id, int64_t *authority_id)
{
    struct service_row s;
    enum store_rc rc = q_service_get(db, id, &s);
    *authority_id = rc == STORE_ROW ? s.authority_id : 0;
    return rc;
}

static const struct ticked_kind team_schools = {"school_ids", "Select the team's other schools from the list",
                                                "A team can have up to 32 schools", TEAM_MAX_SCHOOLS,
                                                school_authority};
static const struct ticked_kind team_services = {"service_ids", "Select the team's core services from the list",
                                                 "Select the team's core services from the list", TEAM_MAX_SERVICES,
                                                 service_authority};

/* The n ids ticked of kind k (blanks skipped), each added once to ids
 * (NULL: only checked): each must be a record of host_authority (of any
 * while it is 0, the form naming no host yet).  The first that is not, or
 * does not fit in k->max, is k's error and the rest are not read.
 * SVC_ERROR on storage failure, else SVC_OK. */
static enum svc_status ticked_ids(struct svc_ctx *c, const struct ticked_kind *k, const char *const *ticked, size_t n,
                                  int64_t host_authority, int64_t *ids, size_t *nids, struct field_errors *errs)
{
    for (size_t i = 0; i < n; i++) {
        if (svc_blank(ticked[i]))
            continue;
        int64_t id = id_of(ticked[i]), authority = 0;
        enum store_rc rc = id ? k->authority_of(c->db, id, &authority) : STORE_DONE;
        if (rc != STORE_ROW && rc != STORE_DONE)
            return SVC_ERROR;
        const char *why = NULL;
        if (rc == STORE_DONE || (host_authority && authority != host_authority))
            why = k->not_listed;
        else if (ids && !add_unique(ids, nids, k->max, id))
            why = k->too_many;
        if (why) {
            field_errors_add(errs, k->field, why);
            break;
        }
    }
    return SVC_OK;
}

/* Terms of the academic years a list of dates touches, loaded once each. */
struct term_cache {
    int year[4];
    size_t nterms[4];
    struct half_term terms[4][6];
    size_t nclosures[4];
    int32_t closures[4][MAX_CLOSURES];
    size_t n;
};

static enum store_rc load_year(struct store *db, int64_t authority_id, int year,
                               struct half_term terms[6], size_t *nterms, int32_t *closures,
                               size_t *nclosures)
{
    *nclosures = 0;
    enum store_rc rc = q_team_terms(db, authority_id, year, terms, nterms);
    if (rc != STORE_OK || *nterms == 0)
        return rc;
    char from[11], to[11];
    day_format(terms[0].starts, from);
    day_format(terms[*nterms - 1].ends, to);
    return q_team_closures(db, authority_id, from, to, closures, MAX_CLOSURES, nclosures);
}

/* -1 storage error, 0 not a school day, 1 a school day, 2 unknown (no
 * term dates for that year: only weekends are ruled out). */
static int school_day_known(struct store *db, int64_t authority_id, struct term_cache *tc, int32_t day)
{
    int year = academic_year_of(day);
    size_t k;
    for (k = 0; k < tc->n; k++)
        if (tc->year[k] == year)
            break;
    if (k == tc->n) {
        if (tc->n == 4)
            k = 3;
        else
            tc->n++;
        tc->year[k] = year;
        if (load_year(db, authority_id, year, tc->terms[k], &tc->nterms[k], tc->closures[k],
                      &tc->nclosures[k]) != STORE_OK)
            return -1;
    }
    if (tc->nterms[k] == 0)
        return day_weekday(day) <= 5 ? 2 : 0;
    return school_day(day, tc->terms[k], tc->nterms[k], tc->closures[k], tc->nclosures[k]) ? 1 : 0;
}

/* Whether day d is among the n days: a date given twice counts once. */
static bool day_listed(const int32_t *days, size_t n, int32_t d)
{
    for (size_t i = 0; i < n; i++)
        if (days[i] == d)
            return true;
    return false;
}

/* The dates of cadence "dates": one a line (commas and semicolons also
 * separate them).  listed: they came as a JSON list, one item a line, so
 * an error names the item by its place rather than as a line typed. */
static int parse_dates(struct svc_ctx *c, int64_t authority_id, const char *text, bool listed, int32_t *out,
                       size_t *n, struct field_errors *errs)
{
    *n = 0;
    struct term_cache tc;
    memset(&tc, 0, sizeof tc);
    const char *p = text ? text : "";
    for (size_t at = 1; *p; at++) {
        size_t len = strcspn(p, listed ? "\n" : "\n,;");
        char item[64];
        bool too_long = len >= sizeof item;
        if (!too_long) {
            memcpy(item, p, len);
            item[len] = '\0';
        }
        p += len;
        if (*p)
            p++;
        if (!listed && !too_long && svc_blank(item))
            continue;
        char msg[160];
        int32_t d;
        if (listed && (too_long || svc_parse_day(item, &d) != 0)) {
            snprintf(msg, sizeof msg, "Item %zu of dates is not a date: give each as text like \"2026-01-14\"", at);
            field_errors_add(errs, "dates", msg);
            return -1;
        }
        if (too_long || svc_parse_day(item, &d) != 0) {
            char shown[24];
            snprintf(shown, sizeof shown, "%.20s", too_long ? "" : item);
            snprintf(msg, sizeof msg,
                     "Enter each date on its own line, like 14/1/2026 or 2026-01-14 (\"%s\" is not a date)",
                     shown);
            field_errors_add(errs, "dates", msg);
            return -1;
        }
        int known = school_day_known(c->db, authority_id, &tc, d);
        if (known < 0)
            return -2;
        if (known == 0) {
            char when[40];
            svc_day_long(d, when, sizeof when);
            snprintf(msg, sizeof msg, "%s is not a school day: choose days in term time", when);
            field_errors_add(errs, "dates", msg);
            return -1;
        }
        if (day_listed(out, *n, d))
            continue;
        if (*n >= TEAM_MAX_DATES) {
            field_errors_add(errs, "dates", "Enter 100 dates or fewer at a time");
            return -1;
        }
        out[(*n)++] = d;
    }
    if (*n == 0) {
        field_errors_add(errs, "dates", listed ? "Give the dates the team will meet as a list, like [\"2026-01-14\"]"
                                               : "Enter the dates the team will meet, one on each line");
        return -1;
    }
    return 0;
}

/* The dates of cadence "dates" from the form's GOV.UK date inputs: row i
 * (from 1) has its errors on field "date<i>", so the summary links to that
 * row's first box; blank rows are passed over, a date given twice counts
 * once. */
static int parse_date_rows(struct svc_ctx *c, int64_t authority_id, const struct team_form *f, int32_t *out,
                           size_t *n, struct field_errors *errs)
{
    *n = 0;
    struct term_cache tc;
    memset(&tc, 0, sizeof tc);
    bool bad = false;
    for (size_t i = 0; i < f->ndate_rows && i < TEAM_MAX_DATES; i++) {
        const struct team_date_input *r = &f->date_rows[i];
        bool nd = svc_blank(r->day), nm = svc_blank(r->month), ny = svc_blank(r->year);
        if (nd && nm && ny)
            continue;
        char field[16], msg[200], iso[11];
        snprintf(field, sizeof field, "date%zu", i + 1);
        if (nd || nm || ny) {
            const char *missing = nd && nm ? "a day and month" : nd && ny ? "a day and year"
                                : nm && ny ? "a month and year" : nd ? "a day" : nm ? "a month" : "a year";
            snprintf(msg, sizeof msg, "Meeting date %zu must include %s", i + 1, missing);
            field_errors_add(errs, field, msg);
            bad = true;
            continue;
        }
        int rc = parse_date_parts(r->day, r->month, r->year, iso);
        int32_t d;
        if (rc == DATE_BAD_YEAR) {
            snprintf(msg, sizeof msg, "Year of meeting date %zu must include 4 numbers", i + 1);
            field_errors_add(errs, field, msg);
            bad = true;
            continue;
        }
        if (rc != DATE_OK || day_parse(iso, &d) != 0) {
            snprintf(msg, sizeof msg, "Meeting date %zu must be a real date", i + 1);
            field_errors_add(errs, field, msg);
            bad = true;
            continue;
        }
        int known = school_day_known(c->db, authority_id, &tc, d);
        if (known < 0)
            return -2;
        if (known == 0) {
            char when[40];
            svc_day_long(d, when, sizeof when);
            snprintf(msg, sizeof msg, "Meeting date %zu, %s, is not a school day: choose a day in term time", i + 1,
                     when);
            field_errors_add(errs, field, msg);
            bad = true;
            continue;
        }
        if (!day_listed(out, *n, d))
            out[(*n)++] = d;
    }
    if (bad)
        return -1;
    if (*n == 0) {
        field_errors_add(errs, "date1", "Enter the dates the team will meet");
        return -1;
    }
    return 0;
}

struct checked_team {
    struct team t;
    int32_t dates[TEAM_MAX_DATES];
    size_t ndates;
};

/* Validates f into out.  cur is the team being edited (NULL when new).
 * SVC_INVALID with errors, SVC_FORBIDDEN when the host school is one where
 * the user may not act, SVC_ERROR on storage failure. */
static enum svc_status validate_team(struct svc_ctx *c, const struct team_form *f,
                                     const struct team_row *cur, struct checked_team *out,
                                     struct field_errors *errs)
{
    memset(out, 0, sizeof *out);
    struct team *t = &out->t;
    enum action act = cur ? ACT_EDIT : ACT_CREATE;

    /* Host school first: it decides the authority and the default name. */
    struct school host;
    bool have_host = false;
    int64_t host_id = id_of(f->host_school_id);
    if (!host_id) {
        field_errors_add(errs, "host_school_id", "Select the school that hosts the team");
    } else {
        enum store_rc rc = q_school_get(c->db, host_id, &host);
        if (rc == STORE_DONE)
            field_errors_add(errs, "host_school_id", "Select the school that hosts the team from the list");
        else if (rc != STORE_ROW)
            return SVC_ERROR;
        else if (cur && host.authority_id != cur->t.authority_id)
            field_errors_add(errs, "host_school_id",
                             "Select a school in the same local authority as the team");
        else if (!svc_allowed(c, act, RES_TEAM, cur ? cur->t.id : 0, host.authority_id, host.id))
            return SVC_FORBIDDEN;
        else
            have_host = true;
    }
    if (have_host) {
        t->authority_id = host.authority_id;
        t->host_school_id = host.id;
        t->school_ids[t->nschools++] = host.id;
    }

    if (text_ok(f->name, t->name, sizeof t->name, errs, "name", "Team name must be 160 characters or fewer") &&
        !t->name[0] && have_host) {
        char dflt[TAS_TITLE_MAX + 8];
        snprintf(dflt, sizeof dflt, "%s TAS", host.name);
        svc_copy(t->name, sizeof t->name, dflt);
    }

    /* Cluster or feeder schools: the authority's, the host always in. */
    int64_t host_authority = have_host ? host.authority_id : 0;
    if (ticked_ids(c, &team_schools, f->school_ids, f->nschools, host_authority, have_host ? t->school_ids : NULL,
                   &t->nschools, errs) != SVC_OK)
        return SVC_ERROR;

    text_ok(f->chair_name, t->chair_name, sizeof t->chair_name, errs, "chair_name",
            "Chair's name must be 100 characters or fewer");

    struct {
        const char *value, *field, *role, *message;
        int64_t *dst;
    } people[] = {
        {f->strategic_lead_user_id, "strategic_lead_user_id", "strategic_lead",
         "Select a Strategic Lead from the list", &t->strategic_lead_user_id},
        {f->case_coordinator_user_id, "case_coordinator_user_id", "case_coordinator",
         "Select a Case Coordinator from the list", &t->case_coordinator_user_id},
    };
    for (size_t i = 0; i < COUNT(people); i++) {
        if (svc_blank(people[i].value) || !have_host)
            continue;   /* without a host there is no authority to check against */
        int64_t uid = id_of(people[i].value);
        struct team_person p;
        enum store_rc rc = uid ? q_team_person_get(c->db, host.authority_id, people[i].role, uid, &p) : STORE_DONE;
        if (rc == STORE_ROW)
            *people[i].dst = uid;
        else if (rc == STORE_DONE)
            field_errors_add(errs, people[i].field, people[i].message);
        else
            return SVC_ERROR;
    }

    enum cadence cad = CADENCE_THREE_WEEKLY;
    bool have_cadence = false;
    if (svc_blank(f->cadence) || cadence_from_code(f->cadence, &cad) != 0)
        field_errors_add(errs, "cadence", "Select how often the team meets");
    else {
        have_cadence = true;
        svc_copy(t->cadence, sizeof t->cadence, cadence_code(cad));
    }
    if (have_cadence && cad == CADENCE_DATES && have_host) {
        int r = f->ndate_rows ? parse_date_rows(c, host.authority_id, f, out->dates, &out->ndates, errs)
                              : parse_dates(c, host.authority_id, f->dates, f->dates_listed, out->dates,
                                            &out->ndates, errs);
        if (r == -2)
            return SVC_ERROR;
    }

    long v;
    t->weekday = 3;
    if (f->weekday && !svc_blank(f->weekday) && parse_int_strict(f->weekday, 1, 5, &v) == 0)
        t->weekday = (int)v;
    else if (!(have_cadence && cad == CADENCE_DATES))
        field_errors_add(errs, "weekday", "Select the day of the week the team meets");

    if (svc_blank(f->start_time))
        field_errors_add(errs, "start_time", "Enter the time meetings start, like 13:30");
    else if (svc_parse_time(f->start_time, t->start_time) != 0)
        field_errors_add(errs, "start_time", "Start time must be a real time in the format HH:MM, like 13:30");

    if (svc_blank(f->duration_minutes))
        field_errors_add(errs, "duration_minutes", "Enter how long meetings last, in minutes");
    else if (parse_int_strict(f->duration_minutes, 15, 480, &v) != 0)
        field_errors_add(errs, "duration_minutes", "Length of meetings must be a whole number of minutes from 15 to 480");
    else
        t->duration_minutes = (int)v;

    text_ok(f->location, t->location, sizeof t->location, errs, "location",
            "Location must be 160 characters or fewer");

    if (ticked_ids(c, &team_services, f->service_ids, f->nservices, host_authority, t->service_ids, &t->nservices,
                   errs) != SVC_OK)
        return SVC_ERROR;

    t->active = true;
    if (f->active && !svc_blank(f->active)) {
        if (strcmp(f->active, "no") == 0 || strcmp(f->active, "false") == 0)
            t->active = false;
        else if (strcmp(f->active, "yes") != 0 && strcmp(f->active, "true") != 0)
            field_errors_add(errs, "active", "Select whether the team is meeting");
    }
    return errs->count ? SVC_INVALID : SVC_OK;
}

/* ---- Planning meetings ---- */

/* Inserts a planned meeting on each day not already covered.  A day is
 * covered by any meeting of the team that day or, when same_week, in the
 * same Monday-to-Sunday week (so a meeting moved by a day or two is not
 * planned again). */
static enum store_rc plan_days(struct svc_ctx *c, const struct team *t, const int32_t *days, size_t n,
                               bool same_week, size_t *planned, size_t *existed)
{
    for (size_t i = 0; i < n; i++) {
        int32_t lo = days[i], hi = days[i];
        if (same_week) {
            lo = days[i] - (day_weekday(days[i]) - 1);
            hi = lo + 6;
        }
        char from[11], to[11];
        day_format(lo, from);
        day_format(hi, to);
        int64_t count;
        enum store_rc rc = q_meeting_count_between(c->db, t->id, from, to, &count);
        if (rc != STORE_OK)
            return rc;
        if (count > 0) {
            (*existed)++;
            continue;
        }
        struct meeting m;
        memset(&m, 0, sizeof m);
        m.team_id = t->id;
        day_format(days[i], m.date);
        svc_copy(m.start_time, sizeof m.start_time, t->start_time);
        snprintf(m.status, sizeof m.status, "planned");
        snprintf(m.mode, sizeof m.mode, "in_person");
        rc = q_meeting_insert(c->db, &m, c->now);
        if (rc != STORE_OK)
            return rc;
        (*planned)++;
    }
    return STORE_OK;
}

static enum svc_status save_team(struct svc_ctx *c, struct checked_team *ct, bool create,
                                 struct team_saved *out)
{
    memset(out, 0, sizeof *out);
    if (store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    enum store_rc rc = create ? q_team_insert(c->db, &ct->t, c->now) : q_team_update(c->db, &ct->t, c->now);
    if (rc == STORE_OK && strcmp(ct->t.cadence, "dates") == 0)
        rc = plan_days(c, &ct->t, ct->dates, ct->ndates, false, &out->planned, &out->existed);
    rc = store_end_write(c->db, rc);
    if (rc != STORE_OK)
        return svc_from_store(rc);
    out->id = ct->t.id;
    return SVC_OK;
}

enum svc_status svc_team_create(struct svc_ctx *c, const struct team_form *f,
                                struct field_errors *errs, struct team_saved *out)
{
    if (!svc_allowed(c, ACT_CREATE, RES_TEAM, 0, 0, 0))
        return SVC_FORBIDDEN;
    struct checked_team *ct = malloc(sizeof *ct);
    if (!ct)
        return SVC_ERROR;
    enum svc_status st = validate_team(c, f, NULL, ct, errs);
    if (st == SVC_OK)
        st = save_team(c, ct, true, out);
    free(ct);
    return st;
}

/* Reads the team for a change: found, visible and editable. */
static enum svc_status team_for_edit(struct svc_ctx *c, int64_t id, struct team_row *t)
{
    enum svc_status st = svc_team_get(c, id, t);
    if (st != SVC_OK)
        return st;
    return svc_team_may(c, ACT_EDIT, t) ? SVC_OK : SVC_FORBIDDEN;
}

enum svc_status svc_team_update(struct svc_ctx *c, int64_t id, const struct team_form *f,
                                struct field_errors *errs, struct team_saved *out)
{
    struct team_row cur;
    enum svc_status st = team_for_edit(c, id, &cur);
    if (st != SVC_OK)
        return st;
    struct checked_team *ct = malloc(sizeof *ct);
    if (!ct)
        return SVC_ERROR;
    st = validate_team(c, f, &cur, ct, errs);
    if (st == SVC_OK) {
        ct->t.id = id;
        st = save_team(c, ct, false, out);
    }
    free(ct);
    return st;
}

enum svc_status svc_team_get(struct svc_ctx *c, int64_t id, struct team_row *out)
{
    enum store_rc rc = q_team_get(c->db, id, c->today, out);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    return svc_team_may(c, ACT_VIEW, out) ? SVC_OK : SVC_NOT_FOUND;
}

enum svc_status svc_team_list(struct svc_ctx *c, const struct team_filter *f,
                              const struct page_req *pg, int64_t *total,
                              void (*fn)(void *arg, const struct team_row *r), void *arg)
{
    struct visibility v;
    if (svc_list_visible(c, RES_TEAM, &v) != SVC_OK)
        return SVC_FORBIDDEN;
    struct team_filter tf = *f;
    if (!tf.today)
        tf.today = c->today;
    return svc_from_store(q_team_list(c->db, &v, &tf, pg, total, fn, arg));
}

enum svc_status svc_team_schools(struct svc_ctx *c, const struct team_row *t,
                                 void (*fn)(void *arg, const struct team_school *r), void *arg)
{
    if (!svc_team_may(c, ACT_VIEW, t))
        return SVC_NOT_FOUND;
    return svc_from_store(q_team_schools(c->db, t->t.id, fn, arg));
}

enum svc_status svc_team_members(struct svc_ctx *c, const struct team_row *t,
                                 void (*fn)(void *arg, const struct team_member *r), void *arg)
{
    if (!svc_team_may(c, ACT_VIEW, t))
        return SVC_NOT_FOUND;
    return svc_from_store(q_team_members(c->db, t->t.id, fn, arg));
}

enum svc_status svc_team_meeting_counts(struct svc_ctx *c, const struct team_row *t,
                                        struct meeting_counts *out)
{
    memset(out, 0, sizeof *out);
    if (!svc_team_may(c, ACT_VIEW, t))
        return SVC_NOT_FOUND;
    return svc_from_store(q_meeting_counts(c->db, t->t.id, c->today, out));
}

/* The pick lists serve the team form: whoever may create a team in the
 * authority, or edit the team being edited, may see them. */
static bool may_pick(const struct svc_ctx *c, int64_t authority_id, const struct team_row *editing)
{
    if (authority_id <= 0)
        return false;
    if (editing)
        return editing->t.authority_id == authority_id && svc_team_may(c, ACT_EDIT, editing);
    return svc_allowed(c, ACT_CREATE, RES_TEAM, 0, authority_id, 0);
}

enum svc_status svc_team_pick_schools(struct svc_ctx *c, int64_t authority_id, const struct team_row *editing,
                                      void (*fn)(void *arg, const struct team_school *r), void *arg)
{
    if (!may_pick(c, authority_id, editing))
        return SVC_FORBIDDEN;
    return svc_from_store(q_team_authority_schools(c->db, authority_id, fn, arg));
}

enum svc_status svc_team_pick_people(struct svc_ctx *c, int64_t authority_id, const struct team_row *editing,
                                     enum role role,
                                     void (*fn)(void *arg, const struct team_person *r), void *arg)
{
    if (!may_pick(c, authority_id, editing))
        return SVC_FORBIDDEN;
    return svc_from_store(q_team_people(c->db, authority_id, role_code(role), fn, arg));
}

struct service_pick {
    void (*fn)(void *arg, const struct service_row *r);
    void *arg;
};

/* The school, the Strategic Lead and the Case Coordinator have a row at
 * every meeting anyway (svc_meetings.c), so they are not offered. */
static void pick_member_service(void *arg, const struct service_row *r)
{
    const struct service_pick *p = arg;
    if (strcmp(r->code, "school") == 0 || strcmp(r->code, "strategic_lead") == 0 ||
        strcmp(r->code, "case_coordinator") == 0)
        return;
    p->fn(p->arg, r);
}

enum svc_status svc_team_pick_services(struct svc_ctx *c, int64_t authority_id, const struct team_row *editing,
                                       void (*fn)(void *arg, const struct service_row *r), void *arg)
{
    if (!may_pick(c, authority_id, editing))
        return SVC_FORBIDDEN;
    struct service_pick p = {fn, arg};
    return svc_from_store(q_service_list(c->db, authority_id, false, pick_member_service, &p));
}

struct auth_pick {
    struct svc_ctx *c;
    void (*fn)(void *arg, int64_t id, const char *name);
    void *arg;
    size_t n;
};

static void pick_authority(void *arg, const struct authority *a)
{
    struct auth_pick *p = arg;
    if (!svc_allowed(p->c, ACT_CREATE, RES_TEAM, 0, a->id, 0))
        return;
    p->n++;
    if (p->fn)
        p->fn(p->arg, a->id, a->name);
}

enum svc_status svc_team_create_authorities(struct svc_ctx *c,
                                            void (*fn)(void *arg, int64_t id, const char *name),
                                            void *arg, size_t *n)
{
    struct auth_pick p = {c, fn, arg, 0};
    *n = 0;
    if (!svc_allowed(c, ACT_CREATE, RES_TEAM, 0, 0, 0))
        return SVC_FORBIDDEN;
    enum svc_status st = svc_authority_list(c, pick_authority, &p);
    *n = p.n;
    return st;
}

int64_t svc_team_school_authority(struct svc_ctx *c, int64_t school_id)
{
    struct school s;
    if (school_id <= 0 || q_school_get(c->db, school_id, &s) != STORE_ROW)
        return 0;
    return s.authority_id;
}

enum svc_status svc_team_plan(struct svc_ctx *c, int64_t team_id, const char *year_s,
                              const char *from_start, struct field_errors *errs,
                              struct schedule_result *out)
{
    memset(out, 0, sizeof *out);
    struct team_row tr;
    enum svc_status st = team_for_edit(c, team_id, &tr);
    if (st != SVC_OK)
        return st;
    int32_t today;
    if (day_parse(c->today, &today) != 0)
        return SVC_ERROR;
    out->year = academic_year_of(today);
    long v;
    if (year_s && !svc_blank(year_s)) {
        if (parse_int_strict(year_s, 2000, 2100, &v) != 0) {
            field_errors_add(errs, "year", "Select the school year to plan");
            return SVC_INVALID;
        }
        out->year = (int)v;
    }
    enum cadence cad;
    if (cadence_from_code(tr.t.cadence, &cad) != 0)
        return SVC_ERROR;
    if (cad == CADENCE_DATES) {
        field_errors_add(errs, "year",
                         "This team meets on dates you list: add dates by changing the team's details");
        return SVC_INVALID;
    }
    bool whole_year = from_start && (strcmp(from_start, "yes") == 0 || strcmp(from_start, "true") == 0);

    if (store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    struct half_term terms[6];
    size_t nterms = 0, nclosures = 0;
    int32_t closures[MAX_CLOSURES];
    enum store_rc rc = load_year(c->db, tr.t.authority_id, out->year, terms, &nterms, closures, &nclosures);
    if (rc == STORE_OK && nterms == 0) {
        store_rollback(c->db);
        out->no_terms = true;
        char msg[160];
        snprintf(msg, sizeof msg,
                 "No term dates are recorded for %d to %d: add them before planning meetings",
                 out->year, out->year + 1);
        field_errors_add(errs, "year", msg);
        return SVC_INVALID;
    }
    size_t ndays = 0;
    int32_t days[MAX_PLANNED];
    if (rc == STORE_OK) {
        /* The rhythm is the whole year's (a three-weekly team meets on the
         * same weeks whichever day it is planned): "from today" only drops
         * the days already past, so planning again adds nothing. */
        int32_t from = terms[0].starts, to = terms[nterms - 1].ends;
        ndays = schedule_generate(cad, tr.t.weekday, from, to, terms, nterms, closures, nclosures,
                                  NULL, 0, days, MAX_PLANNED);
        if (!whole_year && today > from) {
            from = today;
            ndays = schedule_drop_before(days, ndays, today);
        }
        day_format(from, out->from);
        day_format(to, out->to);
        rc = plan_days(c, &tr.t, days, ndays, true, &out->planned, &out->existed);
    }
    rc = store_end_write(c->db, rc);
    if (rc != STORE_OK)
        return svc_from_store(rc);
    return SVC_OK;
}
