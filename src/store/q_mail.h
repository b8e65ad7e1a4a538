/* SQL for e-mail (migration 0023): the outbox, the daily reminders'
 * record, password reset links, and who a meeting's invitation and the
 * action reminders go to. */
#ifndef TAS_STORE_Q_MAIL_H
#define TAS_STORE_Q_MAIL_H

#include "store/store.h"

#define OUTBOX_BODY_MAX 8192
#define OUTBOX_CALENDAR_MAX 8192

struct outbox_row {
    int64_t id;
    char kind[16];
    char recipient[256];
    char subject[512];
    char body[OUTBOX_BODY_MAX];
    char calendar[OUTBOX_CALENDAR_MAX];   /* "" none */
    char calendar_method[8];              /* REQUEST CANCEL; "" none */
    char message_id[160];
    int64_t created_at;
    int64_t attempts;
    int64_t next_attempt_at;
    int64_t sent_at;            /* 0: not sent */
    char last_error[256];
};

/* A message to queue: calendar and calendar_method NULL when it has no
 * calendar part. */
struct outbox_new {
    const char *kind, *recipient, *subject, *body, *calendar, *calendar_method, *message_id;
};
/* Queues a message, due at now.  *id receives its id. */
enum store_rc q_outbox_add(struct store *s, const struct outbox_new *m, int64_t now, int64_t *id);

/* A meeting's invitations were sent as it is now: its invited_sequence
 * becomes its ics_sequence. */
enum store_rc q_meeting_invited(struct store *s, int64_t meeting_id);
/* Meetings changed since their invitations went out (ics_sequence above
 * invited_sequence): up to max ids, in id order, *n of them. */
enum store_rc q_meetings_changed(struct store *s, size_t max, int64_t *ids, size_t *n);
/* Unsent messages due by now with fewer than max_attempts attempts, oldest
 * first, at most limit. */
enum store_rc q_outbox_due(struct store *s, int64_t now, int max_attempts, int limit,
                           void (*fn)(void *arg, const struct outbox_row *r), void *arg);
/* Sent at now.  A password reset's body (it holds the link) is not kept. */
enum store_rc q_outbox_sent(struct store *s, int64_t id, int64_t now);
/* One more failed attempt, the next at next_at; with give_up_at > 0 the
 * attempts are counted as at least give_up_at (the message is given up). */
enum store_rc q_outbox_failed(struct store *s, int64_t id, int64_t next_at, int give_up_at, const char *error);
/* Removes messages sent before `before`, reset links that expired before
 * it, and the reminder record of days before `before_day`. */
enum store_rc q_outbox_purge(struct store *s, int64_t before, const char *before_day);
/* Messages waiting (unsent, attempts left), sent, and given up (unsent
 * after max_attempts). */
enum store_rc q_outbox_counts(struct store *s, int max_attempts, int64_t *waiting, int64_t *sent,
                              int64_t *given_up);
/* Messages of kind queued since `since`. */
enum store_rc q_outbox_count_since(struct store *s, const char *kind, int64_t since, int64_t *n);

/* Records that user_id's reminder for day is queued: STORE_OK the first
 * time, STORE_DONE when it already was. */
enum store_rc q_reminder_claim(struct store *s, int64_t user_id, const char *day);
/* Users (enabled, with an e-mail address) linked to an active
 * practitioner owning an open, unvoided action due on or before `by`, or
 * school leads of a school whose pupil's case has such an action owned by
 * a school service: fn(arg, user id, address), by id, each once. */
enum store_rc q_reminder_owners(struct store *s, const char *by,
                                void (*fn)(void *arg, int64_t user_id, const char *email), void *arg);

/* The addresses a meeting's invitation goes to: the team's members (the
 * practitioner's address, else their account's), its strategic lead and
 * case coordinator, and the school leads of its host school; enabled
 * accounts only, each address once (compared without case). */
enum store_rc q_invitation_recipients(struct store *s, int64_t team_id, int64_t host_school_id,
                                      void (*fn)(void *arg, const char *email), void *arg);

/* A new reset link for user_id (only token_hash stored); earlier unused
 * links of the user stop working. */
enum store_rc q_reset_add(struct store *s, int64_t user_id, const char *token_hash, int64_t now,
                          int64_t expires_at);
/* The user of an unused, unexpired link: STORE_ROW with *user_id, or
 * STORE_DONE. */
enum store_rc q_reset_find(struct store *s, const char *token_hash, int64_t now, int64_t *user_id);
/* Marks the link used: STORE_OK, or STORE_DONE when it was used (or expired)
 * meanwhile.  Every other link of the user ends too. */
enum store_rc q_reset_use(struct store *s, const char *token_hash, int64_t now);
/* Links made for user_id since `since`. */
enum store_rc q_reset_count_since(struct store *s, int64_t user_id, int64_t since, int64_t *n);

/* A "forgot password" request waiting for the mail thread. */
enum store_rc q_reset_request_add(struct store *s, const char *username, int64_t now);
/* Requests waiting, made since `since`. */
enum store_rc q_reset_request_count(struct store *s, int64_t since, int64_t *n);
/* The oldest waiting request, removed: STORE_ROW with username (64
 * bytes), or STORE_DONE when none waits. */
enum store_rc q_reset_request_take(struct store *s, char username[64]);

/* Sets a user's e-mail address ("" stores NULL). */
enum store_rc q_user_set_email(struct store *s, int64_t user_id, const char *email, int64_t now);

#endif
