/* SQL for calendars (service/svc_calendar.c): a meeting with what an
 * invitation says about it, the meetings of a user's feed, and the feeds'
 * secrets (their SHA-256 only, migration 0018). */
#ifndef TAS_STORE_Q_CALENDAR_H
#define TAS_STORE_Q_CALENDAR_H

#include "core/records.h"
#include "store/q_common.h"
#include "store/q_cohorts.h"
#include "store/q_teams.h"

/* A meeting as a calendar sees it: no agenda, no minutes, nothing about a child. */
struct cal_meeting {
    int64_t id, team_id, authority_id, host_school_id;
    char date[11];                    /* YYYY-MM-DD */
    char start_time[6];               /* HH:MM */
    char status[12];                  /* planned, held, cancelled */
    char mode[12];                    /* in_person, online */
    bool voided;
    int64_t sequence;                 /* meetings.ics_sequence */
    int duration_minutes;             /* the team's */
    char team_name[TAS_TITLE_MAX];
    char location[MEETING_LOCATION_MAX > TEAM_LOCATION_MAX ? MEETING_LOCATION_MAX : TEAM_LOCATION_MAX]; /* the meeting's own, else the team's */
    char school_name[TAS_TITLE_MAX];  /* the host school */
    char la_code[4];
};

enum store_rc q_cal_meeting_get(struct store *s, int64_t id, struct cal_meeting *out);
/* The meetings of the teams v reaches dated from..to inclusive, by date
 * and time (voided and cancelled ones too: a feed says they are off). */
enum store_rc q_cal_meeting_list(struct store *s, const struct visibility *v, const char *from, const char *to,
                                 void (*fn)(void *arg, const struct cal_meeting *m), void *arg);

/* The user's feed: made or replaced with a new secret's hash. */
enum store_rc q_cal_feed_set(struct store *s, int64_t user_id, const char *token_hash, int64_t now);
/* Revoked: STORE_OK, or STORE_DONE when there was none. */
enum store_rc q_cal_feed_delete(struct store *s, int64_t user_id);
/* The user whose feed has that hash: STORE_OK with *user_id, or STORE_DONE. */
enum store_rc q_cal_feed_user(struct store *s, const char *token_hash, int64_t *user_id);
/* When the user's feed was made: STORE_OK with *created_at, or STORE_DONE (no feed). */
enum store_rc q_cal_feed_created(struct store *s, int64_t user_id, int64_t *created_at);
#endif
