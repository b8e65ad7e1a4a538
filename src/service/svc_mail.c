#include "service/svc_mail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/email.h"
#include "lib/embedded.h"
#include "service/password.h"
#include "service/svc_audit.h"
#include "service/svc_calendar.h"
#include "service/svc_cohorts.h"
#include "service/svc_meetings.h"
#include "service/svc_users.h"
#include "store/q_actions.h"
#include "store/q_mail.h"
#include "store/q_meetings.h"
#include "store/q_sessions.h"
#include "store/q_teams.h"

static char site_base[256] = "http://127.0.0.1:8080";
static char site_from[256] = "tas@localhost";

void svc_mail_setup(const char *base_url, const char *from)
{
    if (base_url && *base_url) {
        snprintf(site_base, sizeof site_base, "%s", base_url);
        size_t n = strlen(site_base);
        while (n > 0 && site_base[n - 1] == '/')
            site_base[--n] = '\0';
    }
    if (from && *from)
        snprintf(site_from, sizeof site_from, "%s", from);
}

enum svc_status svc_mail_queue(struct svc_ctx *c, const char *kind, const char *to, const char *name,
                               const char *const *keys, const char *const *vals, size_t n, const char *calendar,
                               const char *calendar_method)
{
    char path[96];
    snprintf(path, sizeof path, "templates/email/%s.txt", name);
    const struct embedded_file *f = embedded_find(path);
    if (!f)
        return SVC_ERROR;
    if (!mail_address_ok(to))
        return SVC_INVALID;
    struct buf subject = BUF_INIT, body = BUF_INIT, whole = BUF_INIT;
    enum svc_status st = SVC_INVALID;
    char rnd[33], mid[160];
    random_hex(rnd, 16);
    const char *at = strrchr(site_from, '@');
    snprintf(mid, sizeof mid, "<%s@%s>", rnd, at ? at + 1 : "localhost");
    if (mail_template((const char *)f->data, keys, vals, n, &subject, &body) == 0 && !subject.failed &&
        !body.failed && body.len < OUTBOX_BODY_MAX && subject.len < 512) {
        /* Built once now, so a message that could never be sent is refused
         * here rather than retried for days. */
        struct mail_message m = {mail_address_ok(site_from) ? site_from : "tas@localhost", to, buf_str(&subject),
                                 mid, c->now, buf_str(&body), calendar, calendar_method};
        if (mail_build(&m, &whole) == 0 && (!calendar || strlen(calendar) < OUTBOX_CALENDAR_MAX)) {
            int64_t id = 0;
            struct outbox_new o = {kind, to, buf_str(&subject), buf_str(&body), calendar, calendar_method, mid};
            st = svc_from_store(q_outbox_add(c->db, &o, c->now, &id));
        }
    }
    buf_free(&subject);
    buf_free(&body);
    buf_free(&whole);
    return st;
}

/* ---- invitations ------------------------------------------------------------ */

struct invite {
    struct svc_ctx *c;
    int64_t meeting_id;
    const char *kind;            /* invitation invitation_update invitation_cancel agenda_pack */
    bool calendar;               /* with the meeting as iCalendar */
    const char *const *keys;
    const char *const *vals;
    size_t n;
    int64_t queued;
    enum svc_status st;
};

static void invite_one(void *arg, const char *email)
{
    struct invite *iv = arg;
    if (iv->st != SVC_OK)
        return;
    struct buf ics = BUF_INIT;
    bool cancelled = false;
    enum svc_status st = iv->calendar ? svc_meeting_ics_for(iv->c, iv->meeting_id, email, &ics, &cancelled) : SVC_OK;
    if (st == SVC_OK && ics.failed)
        st = SVC_ERROR;
    if (st == SVC_OK)
        st = svc_mail_queue(iv->c, iv->kind, email, iv->kind, iv->keys, iv->vals, iv->n,
                            iv->calendar ? buf_str(&ics) : NULL, cancelled ? "CANCEL" : "REQUEST");
    buf_free(&ics);
    if (st == SVC_OK)
        iv->queued++;
    else if (st != SVC_INVALID) /* an address we cannot write to is skipped */
        iv->st = st;
}

/* Queues message `kind` about a meeting to everyone its invitation goes
 * to; no policy (the callers decide).  The message names the team, school,
 * date, time and place, and links to the page (`page`: "" the meeting's,
 * or a path under it); never a child. */
static enum svc_status mail_meeting(struct svc_ctx *c, int64_t meeting_id, const char *kind, bool calendar,
                                    const char *page, int64_t *queued)
{
    *queued = 0;
    struct meeting_row *m = malloc(sizeof *m);
    struct team_row *t = malloc(sizeof *t);
    enum store_rc rc = m && t ? q_meeting_get(c->db, meeting_id, m) : STORE_ERROR;
    if (rc == STORE_ROW)
        rc = q_team_get(c->db, m->m.team_id, c->today, t);
    enum svc_status st = svc_from_get(rc);
    if (st == SVC_OK) {
        char date[48] = "", end[16] = "", link[400];
        int32_t day;
        if (day_parse(m->m.date, &day) == 0)
            day_label_long(day, date, sizeof date);
        int hh = 0, mm = 0;
        sscanf(m->m.start_time, "%d:%d", &hh, &mm);
        unsigned e = (unsigned)(hh * 60 + mm + (t->t.duration_minutes > 0 ? t->t.duration_minutes : 90));
        snprintf(end, sizeof end, "%02u:%02u", e / 60 % 24, e % 60);
        snprintf(link, sizeof link, "%s/meetings/%lld%s", site_base, (long long)m->m.id, page);
        /* The meeting's own place, else its team's, else the host school. */
        char place[MEETING_LOCATION_MAX + 1] = "";
        svc_meeting_location(c, m->m.id, place, sizeof place);
        const char *where = strcmp(m->m.mode, "online") == 0 ? "Online"
                            : place[0]                      ? place
                                                            : t->host_school_name;
        static const char *const keys[] = {"team", "date", "start", "end", "school", "location", "link"};
        const char *vals[] = {t->t.name, date, m->m.start_time, end, t->host_school_name, where, link};
        struct invite iv = {c, meeting_id, kind, calendar, keys, vals, 7, 0, SVC_OK};
        rc = q_invitation_recipients(c->db, t->t.id, t->t.host_school_id, invite_one, &iv);
        st = rc != STORE_OK ? SVC_ERROR : iv.st;
        if (st == SVC_OK)
            *queued = iv.queued;
    }
    free(m);
    free(t);
    return st;
}

/* A planned meeting still to come that the user may edit. */
static enum svc_status meeting_to_come(struct svc_ctx *c, int64_t meeting_id)
{
    struct meeting_row *m = malloc(sizeof *m);
    enum svc_status st = m ? svc_meeting_get(c, meeting_id, m) : SVC_ERROR;
    if (st == SVC_OK && !svc_meeting_may(c, ACT_EDIT, m))
        st = SVC_FORBIDDEN;
    if (st == SVC_OK && (strcmp(m->m.status, "planned") != 0 || m->m.voided_at || strcmp(m->m.date, c->today) < 0))
        st = SVC_CONFLICT;
    free(m);
    return st;
}

enum svc_status svc_meeting_invite(struct svc_ctx *c, int64_t meeting_id, int64_t *queued)
{
    *queued = 0;
    enum svc_status st = meeting_to_come(c, meeting_id);
    if (st == SVC_OK)
        st = mail_meeting(c, meeting_id, "invitation", true, "", queued);
    /* From now on a change to the meeting is sent to the same people. */
    if (st == SVC_OK)
        st = svc_from_store(q_meeting_invited(c->db, meeting_id));
    return st;
}

enum svc_status svc_meeting_send_pack(struct svc_ctx *c, int64_t meeting_id, int64_t *queued)
{
    *queued = 0;
    enum svc_status st = meeting_to_come(c, meeting_id);
    return st == SVC_OK ? mail_meeting(c, meeting_id, "agenda_pack", false, "/pack/agenda", queued) : st;
}

/* One changed meeting: its update, or its cancellation, to the people
 * invited; a meeting already past is only marked (nobody wants yesterday's
 * meeting moved). */
static enum svc_status follow_one(struct svc_ctx *c, int64_t meeting_id, int64_t *queued)
{
    struct meeting_row *m = malloc(sizeof *m);
    enum store_rc rc = m ? q_meeting_get(c->db, meeting_id, m) : STORE_ERROR;
    enum svc_status st = svc_from_get(rc);
    if (st == SVC_OK) {
        bool cancelled = m->m.voided_at || strcmp(m->m.status, "cancelled") == 0;
        int64_t n = 0;
        if (strcmp(m->m.date, c->today) >= 0 && (cancelled || strcmp(m->m.status, "planned") == 0))
            st = mail_meeting(c, meeting_id, cancelled ? "invitation_cancel" : "invitation_update", true, "", &n);
        *queued += n;
    }
    free(m);
    return st == SVC_OK ? svc_from_store(q_meeting_invited(c->db, meeting_id)) : st;
}

enum svc_status svc_mail_meeting_changes(struct svc_ctx *c, int64_t *queued)
{
    *queued = 0;
    /* Looked for with a read: the mail thread asks every second. */
    int64_t ids[50];
    size_t n = 0;
    if (q_meetings_changed(c->db, 50, ids, &n) != STORE_OK)
        return SVC_ERROR;
    for (size_t i = 0; i < n; i++) {
        if (store_begin_write(c->db) != STORE_OK)
            return SVC_ERROR;
        enum svc_status st = follow_one(c, ids[i], queued);
        if (store_end_write(c->db, st == SVC_OK ? STORE_OK : STORE_ERROR) != STORE_OK || st != SVC_OK)
            return SVC_ERROR;
    }
    return SVC_OK;
}

/* ---- reminders -------------------------------------------------------------- */

struct owner {
    int64_t user_id;
    char email[256];
};

struct owners {
    struct owner *v;
    size_t n, cap;
    bool failed;
};

static void add_owner(void *arg, int64_t user_id, const char *email)
{
    struct owners *o = arg;
    o->v = svc_room(o->v, o->n, &o->cap, sizeof *o->v, 16, &o->failed);
    if (o->failed)
        return;
    o->v[o->n].user_id = user_id;
    snprintf(o->v[o->n].email, sizeof o->v[o->n].email, "%s", email);
    o->n++;
}

#define REMIND_SEEN_MAX 512

struct due_count {
    const char *today, *by;
    int64_t due, overdue;
    int64_t seen[REMIND_SEEN_MAX];   /* an action on both lists counts once */
    size_t nseen;
};

static void count_due(void *arg, const struct work_action *a)
{
    struct due_count *d = arg;
    if (!a->due_on[0] || strcmp(a->due_on, d->by) > 0)
        return;
    for (size_t i = 0; i < d->nseen; i++)
        if (d->seen[i] == a->id)
            return;
    if (d->nseen < REMIND_SEEN_MAX)
        d->seen[d->nseen++] = a->id;
    d->due++;
    if (strcmp(a->due_on, d->today) < 0)
        d->overdue++;
}

/* One owner's reminder for today, in its own write transaction. */
static enum svc_status remind_one(struct svc_ctx *c, const struct owner *o, const char *by, int64_t *queued)
{
    if (store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    enum store_rc rc = q_reminder_claim(c->db, o->user_id, c->today);
    if (rc == STORE_DONE) {
        store_rollback(c->db);
        return SVC_OK;
    }
    enum svc_status st = rc == STORE_OK ? SVC_OK : SVC_ERROR;
    struct principal *p = malloc(sizeof *p);
    struct user_row *u = malloc(sizeof *u);
    if (!p || !u)
        st = SVC_ERROR;
    if (st == SVC_OK)
        st = svc_principal_load(c->db, o->user_id, p);
    if (st == SVC_OK && q_user_get(c->db, o->user_id, u) != STORE_ROW)
        st = SVC_ERROR;
    struct due_count *d = calloc(1, sizeof *d);
    if (!d)
        st = SVC_ERROR;
    else
        d->today = c->today, d->by = by;
    if (st == SVC_OK) {
        /* What the owner's own work list shows them (svc_worklist.c: their
         * own actions, and those of their school; consent withdrawn since,
         * a case out of their reach: not counted). */
        struct visibility v;
        policy_visible(p, RES_CASE, ACT_LIST, &v);
        if (!policy_visible_none(&v) && q_work_owned(c->db, &v, c->today, o->user_id, count_due, d) != STORE_OK)
            st = SVC_ERROR;
        struct visibility staff = {0};
        staff.nschools = policy_staff_schools(p, staff.school_ids, POLICY_MAX_VISIBLE);
        if (st == SVC_OK && staff.nschools > 0 && q_work_school(c->db, &staff, c->today, count_due, d) != STORE_OK)
            st = SVC_ERROR;
    }
    if (st == SVC_OK && d->due > 0) {
        char count[24], overdue[48] = "", bylabel[40], link[300];
        snprintf(count, sizeof count, "%lld", (long long)d->due);
        if (d->overdue > 0)
            snprintf(overdue, sizeof overdue, ", %lld of them overdue", (long long)d->overdue);
        date_label(by, bylabel, sizeof bylabel);
        snprintf(link, sizeof link, "%s/work", site_base);
        static const char *const keys[] = {"name", "count", "actions", "by", "overdue", "link"};
        const char *vals[] = {u->display_name, count, d->due == 1 ? "action" : "actions", bylabel, overdue, link};
        st = svc_mail_queue(c, "reminder", o->email, "reminder", keys, vals, 6, NULL, NULL);
        if (st == SVC_OK)
            (*queued)++;
        else if (st == SVC_INVALID) /* an address that cannot be written to: nothing to send */
            st = SVC_OK;
    }
    free(d);
    free(p);
    free(u);
    if (store_end_write(c->db, st == SVC_OK ? STORE_OK : STORE_ERROR) != STORE_OK)
        return SVC_ERROR;
    return st;
}

enum svc_status svc_mail_reminders(struct svc_ctx *c, int days, int64_t *queued)
{
    *queued = 0;
    int32_t today;
    if (day_parse(c->today, &today) != 0)
        return SVC_ERROR;
    char by[11];
    day_format(today + (days > 0 ? days : 0), by);
    struct owners o = {0};
    enum store_rc rc = q_reminder_owners(c->db, by, add_owner, &o);
    enum svc_status st = rc != STORE_OK || o.failed ? SVC_ERROR : SVC_OK;
    for (size_t i = 0; st == SVC_OK && i < o.n; i++)
        st = remind_one(c, &o.v[i], by, queued);
    free(o.v);
    return st;
}

/* ---- password reset ---------------------------------------------------------- */

enum svc_status svc_password_forgot(struct svc_ctx *c, const char *username)
{
    if (!username || !*username || strlen(username) >= 64)
        return SVC_OK;
    int64_t waiting = 0;
    if (q_reset_request_count(c->db, c->now - 3600, &waiting) != STORE_OK)
        return SVC_ERROR;
    if (waiting >= MAIL_RESET_REQUESTS_HOUR)
        return SVC_OK;
    return svc_from_store(q_reset_request_add(c->db, username, c->now));
}

/* One request: the link, when the name is an account that may have one. */
static enum svc_status forgot_one(struct svc_ctx *c, const char *username)
{
    struct user_row *u = malloc(sizeof *u);
    if (!u)
        return SVC_ERROR;
    enum svc_status st = SVC_OK;
    enum store_rc rc = username && *username && strlen(username) < 64 ? q_user_by_username(c->db, username, u)
                                                                       : STORE_DONE;
    if (rc != STORE_ROW || u->disabled || !mail_address_ok(u->email)) {
        free(u);
        return rc == STORE_ROW || rc == STORE_DONE ? SVC_OK : SVC_ERROR;
    }
    if (store_begin_write(c->db) != STORE_OK) {
        free(u);
        return SVC_ERROR;
    }
    int64_t mine = 0, all = 0;
    rc = q_reset_count_since(c->db, u->id, c->now - 3600, &mine);
    if (rc == STORE_OK)
        rc = q_outbox_count_since(c->db, "password_reset", c->now - 3600, &all);
    if (rc == STORE_OK && mine < MAIL_RESET_PER_USER_HOUR && all < MAIL_RESET_ALL_HOUR) {
        char token[65], hash[65], link[400];
        random_hex(token, 32);
        sha256_hex(token, hash);
        rc = q_reset_add(c->db, u->id, hash, c->now, c->now + MAIL_RESET_SECONDS);
        if (rc == STORE_OK) {
            snprintf(link, sizeof link, "%s/reset-password?token=%s", site_base, token);
            static const char *const keys[] = {"username", "link"};
            const char *vals[] = {u->username, link};
            st = svc_mail_queue(c, "password_reset", u->email, "password_reset", keys, vals, 2, NULL, NULL);
            if (st == SVC_INVALID)
                st = SVC_OK;
            rc = st == SVC_OK ? STORE_OK : STORE_ERROR;
        }
    }
    explicit_bzero(u->password_hash, sizeof u->password_hash);
    free(u);
    return store_end_write(c->db, rc) == STORE_OK ? SVC_OK : SVC_ERROR;
}

/* The hash of a token that has the shape of ours (64 hex digits), or -1. */
static int token_hash(const char *token, char hash[65])
{
    if (!token || strlen(token) != 64 || strspn(token, "0123456789abcdef") != 64)
        return -1;
    sha256_hex(token, hash);
    return 0;
}

enum svc_status svc_password_reset_check(struct svc_ctx *c, const char *token, char username[64])
{
    char hash[65];
    int64_t user_id = 0;
    if (token_hash(token, hash) != 0)
        return SVC_NOT_FOUND;
    enum store_rc rc = q_reset_find(c->db, hash, c->now, &user_id);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    struct user_row *u = malloc(sizeof *u);
    if (!u)
        return SVC_ERROR;
    rc = q_user_get(c->db, user_id, u);
    enum svc_status st = rc != STORE_ROW ? svc_from_get(rc) : u->disabled ? SVC_NOT_FOUND : SVC_OK;
    if (st == SVC_OK)
        snprintf(username, 64, "%s", u->username);
    explicit_bzero(u->password_hash, sizeof u->password_hash);
    free(u);
    return st;
}

enum svc_status svc_password_reset(struct svc_ctx *c, const char *token, const char *password,
                                   struct field_errors *errs)
{
    char username[64], hash[65];
    enum svc_status st = svc_password_reset_check(c, token, username);
    if (st != SVC_OK)
        return st;
    const char *msg = password_check(password ? password : "", username);
    if (msg) {
        field_errors_add(errs, "password", msg);
        return SVC_INVALID;
    }
    char pw[PASSWORD_HASH_MAX];
    if (password_hash(password, pw) != 0 || token_hash(token, hash) != 0)
        return SVC_ERROR;
    if (store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    int64_t user_id = 0;
    enum store_rc rc = q_reset_find(c->db, hash, c->now, &user_id);
    if (rc == STORE_ROW)
        rc = q_reset_use(c->db, hash, c->now);
    else if (rc == STORE_DONE)
        st = SVC_NOT_FOUND; /* used by a request that got in first */
    if (rc == STORE_OK)
        rc = q_user_set_password(c->db, user_id, pw, c->now);
    /* Someone else may have had the old password: every session ends. */
    if (rc == STORE_OK)
        rc = q_session_delete_user(c->db, user_id);
    if (rc == STORE_OK) {
        struct principal self = {.user_id = user_id};
        struct svc_ctx as = *c;
        as.who = &self;
        struct audit_event ev = {.action = "edit", .kind = "user", .resource_id = user_id,
                                 .detail = "/reset-password"};
        if (svc_audit_record(&as, &ev) != SVC_OK)
            rc = STORE_ERROR;
    }
    explicit_bzero(pw, sizeof pw);
    rc = store_end_write(c->db, rc);
    if (st == SVC_NOT_FOUND)
        return st;
    return rc == STORE_OK ? SVC_OK : SVC_ERROR;
}

/* ---- a user's address ----------------------------------------------------------- */

enum svc_status svc_user_set_email(struct svc_ctx *c, int64_t user_id, const char *email,
                                   struct field_errors *errs)
{
    struct user_row *u = malloc(sizeof *u);
    if (!u)
        return SVC_ERROR;
    enum svc_status st = svc_user_get(c, user_id, u);
    free(u);
    if (st == SVC_OK)
        st = svc_user_may(c, ACT_EDIT, user_id);
    if (st != SVC_OK)
        return st;
    char clean[256] = "";
    if (email) {
        while (*email == ' ' || *email == '\t')
            email++;
        snprintf(clean, sizeof clean, "%s", email);
        size_t n = strlen(clean);
        while (n > 0 && (clean[n - 1] == ' ' || clean[n - 1] == '\t'))
            clean[--n] = '\0';
    }
    if (clean[0] && (strlen(clean) >= 128 || !mail_address_ok(clean))) {
        field_errors_add(errs, "email", "Enter an email address in the correct format, like name@example.org");
        return SVC_INVALID;
    }
    return svc_from_store(q_user_set_email(c->db, user_id, clean, c->now));
}

enum svc_status svc_mail_reset_requests(struct svc_ctx *c, int max, int *done)
{
    *done = 0;
    /* Looked at with a read first: the mail thread comes by every second,
     * and an empty queue must not take the database's write lock. */
    int64_t waiting = 0;
    if (q_reset_request_count(c->db, 0, &waiting) != STORE_OK)
        return SVC_ERROR;
    for (int i = 0; i < max && waiting > 0; i++) {
        if (store_begin_write(c->db) != STORE_OK)
            return SVC_ERROR;
        char username[64];
        enum store_rc rc = q_reset_request_take(c->db, username);
        if (rc == STORE_DONE) {
            store_rollback(c->db);
            return SVC_OK;
        }
        enum svc_status st = rc == STORE_ROW ? forgot_one(c, username) : SVC_ERROR;
        explicit_bzero(username, sizeof username);
        if (store_end_write(c->db, st == SVC_OK ? STORE_OK : STORE_ERROR) != STORE_OK)
            return SVC_ERROR;
        (*done)++;
    }
    return SVC_OK;
}
