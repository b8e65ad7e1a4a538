#include "service/svc_calendar.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/calendar.h"
#include "core/ical.h"
#include "service/password.h"
#include "service/svc_users.h"
#include "store/q_account.h"
#include "store/q_calendar.h"
#include "store/q_users.h"

static void to_buf(void *arg, const char *s, size_t n)
{
    buf_append(arg, s, n);
}

/* The event of a meeting: names, time and place only. */
static void meeting_event(const struct ical_out *o, const struct cal_meeting *m, int64_t now, bool organizer,
                          const char *attendee)
{
    char uid[96], mail[96], summary[240], description[600];
    snprintf(uid, sizeof uid, "meeting-%lld@la%s.tas.invalid", (long long)m->id, m->la_code);
    snprintf(mail, sizeof mail, "no-reply@la%s.tas.invalid", m->la_code);
    bool online = strcmp(m->mode, "online") == 0;
    bool cancelled = m->voided || strcmp(m->status, "cancelled") == 0;
    snprintf(summary, sizeof summary, "TAS meeting: %s", m->team_name);
    const char *place = online ? "Online" : m->location[0] ? m->location : m->school_name;
    snprintf(description, sizeof description, "Team Around the School meeting of %s, hosted by %s (%s).%s",
             m->team_name, m->school_name, online ? "online" : "in person",
             cancelled ? " This meeting is cancelled." : "");
    struct ical_event e = {
        .uid = uid, .sequence = m->sequence, .stamp = now, .date = m->date, .start_time = m->start_time,
        .duration_minutes = m->duration_minutes > 0 ? m->duration_minutes : 90, .summary = summary,
        .location = place, .description = description, .organizer_name = organizer ? m->team_name : NULL,
        .organizer_mail = mail, .attendee_mail = attendee, .cancelled = cancelled,
    };
    (void)ical_event(o, &e);
}

/* The invitation (REQUEST) or its cancellation (CANCEL) of one meeting. */
static void meeting_ics(const struct cal_meeting *m, int64_t now, const char *attendee, struct buf *out,
                        bool *cancelled)
{
    *cancelled = m->voided || strcmp(m->status, "cancelled") == 0;
    struct ical_out o = {to_buf, out};
    ical_begin(&o, *cancelled ? "CANCEL" : "REQUEST", NULL);
    meeting_event(&o, m, now, true, attendee);
    ical_end(&o);
}

enum svc_status svc_meeting_ics(struct svc_ctx *c, int64_t meeting_id, struct buf *out)
{
    struct cal_meeting m;
    enum store_rc rc = q_cal_meeting_get(c->db, meeting_id, &m);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    if (!svc_allowed(c, ACT_VIEW, RES_TEAM, m.team_id, m.authority_id, m.host_school_id))
        return SVC_NOT_FOUND;
    bool cancelled;
    meeting_ics(&m, c->now, NULL, out, &cancelled);
    return SVC_OK;
}

enum svc_status svc_meeting_ics_for(struct svc_ctx *c, int64_t meeting_id, const char *attendee, struct buf *out,
                                    bool *cancelled)
{
    struct cal_meeting m;
    enum store_rc rc = q_cal_meeting_get(c->db, meeting_id, &m);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    meeting_ics(&m, c->now, attendee, out, cancelled);
    return SVC_OK;
}

struct feed {
    const struct ical_out *o;
    int64_t now;
};

static void feed_each(void *arg, const struct cal_meeting *m)
{
    const struct feed *f = arg;
    meeting_event(f->o, m, f->now, false, NULL);
}

enum svc_status svc_calendar_feed(struct store *db, const char *token, int64_t now, struct buf *out)
{
    if (!token || strlen(token) != CAL_TOKEN_HEX)
        return SVC_NOT_FOUND;
    for (const char *p = token; *p; p++)
        if (!isxdigit((unsigned char)*p) || isupper((unsigned char)*p))
            return SVC_NOT_FOUND;
    char hash[65];
    sha256_hex(token, hash);
    int64_t user_id = 0;
    enum store_rc rc = q_cal_feed_user(db, hash, &user_id);
    if (rc != STORE_OK)
        return rc == STORE_DONE ? SVC_NOT_FOUND : SVC_ERROR;
    struct user_row u;
    rc = q_user_get(db, user_id, &u);
    if (rc != STORE_ROW)
        return svc_from_get(rc);
    sodium_memzero(u.password_hash, sizeof u.password_hash);
    struct principal who = {0};
    bool required = false, enrolled = false;
    if (!u.disabled) {
        if (svc_principal_load(db, user_id, &who) != SVC_OK || q_totp_required(db, user_id, &required, &enrolled) != STORE_OK)
            return SVC_ERROR;
        if (required && !enrolled)
            who.ngrants = 0;
    }
    struct svc_ctx c;
    svc_ctx_init(&c, db, &who, now);
    int32_t today;
    if (day_parse(c.today, &today) != 0)
        return SVC_ERROR;
    char from[11], to[11];
    day_format(today - 60, from);
    day_format(today + 366, to);
    struct ical_out o = {to_buf, out};
    ical_begin(&o, "PUBLISH", "TAS meetings");
    struct visibility v;
    if (svc_list_visible(&c, RES_TEAM, &v) == SVC_OK) {
        struct feed f = {&o, now};
        if (q_cal_meeting_list(db, &v, from, to, feed_each, &f) != STORE_OK)
            return SVC_ERROR;
    }
    ical_end(&o);
    return SVC_OK;
}

enum svc_status svc_calendar_feed_new(struct svc_ctx *c, char token[CAL_TOKEN_HEX + 1])
{
    if (c->who->user_id <= 0)
        return SVC_FORBIDDEN;
    random_hex(token, CAL_TOKEN_HEX / 2);
    char hash[65];
    sha256_hex(token, hash);
    return svc_from_store(q_cal_feed_set(c->db, c->who->user_id, hash, c->now));
}

enum svc_status svc_calendar_feed_revoke(struct svc_ctx *c)
{
    if (c->who->user_id <= 0)
        return SVC_FORBIDDEN;
    return svc_from_get(q_cal_feed_delete(c->db, c->who->user_id));
}

enum svc_status svc_calendar_feed_state(struct svc_ctx *c, bool *has, int64_t *created_at)
{
    *has = false;
    *created_at = 0;
    if (c->who->user_id <= 0)
        return SVC_FORBIDDEN;
    enum store_rc rc = q_cal_feed_created(c->db, c->who->user_id, created_at);
    if (rc != STORE_OK && rc != STORE_DONE)
        return SVC_ERROR;
    *has = rc == STORE_OK;
    return SVC_OK;
}
