/* E-mail use cases: meeting invitations, the daily reminders to action
 * owners, password reset links, and a user's e-mail address.  Each only
 * queues messages in the outbox (store/q_mail.c); service/mailer.c sends
 * them.  No message names a child: invitations give team, school, date,
 * time and place; reminders a count and a link.  Bodies come from
 * templates/email/NAME.txt (core/email.c fills them). */
#ifndef TAS_SERVICE_SVC_MAIL_H
#define TAS_SERVICE_SVC_MAIL_H

#include "core/errors.h"
#include "service/svc.h"

/* How long a password reset link works, in seconds. */
#define MAIL_RESET_SECONDS 3600
/* At most this many reset links for one account in an hour, and this many
 * for everyone together; requests beyond are answered the same and
 * send nothing. */
#define MAIL_RESET_PER_USER_HOUR 3
#define MAIL_RESET_ALL_HOUR 200
/* Requests kept waiting for the mail thread in an hour, at most. */
#define MAIL_RESET_REQUESTS_HOUR 2000

/* Where links in messages point ("https://tas.example.org", no trailing
 * slash) and the address messages come from (its domain names the
 * Message-IDs).  Set once by tas serve before any request; the defaults
 * are "http://127.0.0.1:8080" and "tas@localhost". */
void svc_mail_setup(const char *base_url, const char *from);

/* Queues one message from template name (keys/vals fill it) to `to`,
 * with an iCalendar part when calendar is not NULL (method REQUEST or
 * CANCEL).
 * No policy (callers have decided); SVC_INVALID when the address is not
 * one core/email.c accepts or the filled template does not make a
 * sendable message; SVC_ERROR when the template is missing or storage
 * fails. */
enum svc_status svc_mail_queue(struct svc_ctx *c, const char *kind, const char *to, const char *name,
                               const char *const *keys, const char *const *vals, size_t n, const char *calendar,
                               const char *calendar_method);

/* Queues an invitation to the meeting for each address of the team
 * (store/q_mail.c, q_invitation_recipients); *queued receives how many.
 * Hidden or missing meeting: SVC_NOT_FOUND; without ACT_EDIT on it:
 * SVC_FORBIDDEN; a meeting not planned, or before today: SVC_CONFLICT. */
enum svc_status svc_meeting_invite(struct svc_ctx *c, int64_t meeting_id, int64_t *queued);
/* Each invitation carries the meeting as iCalendar (METHOD:REQUEST, one
 * ATTENDEE: the recipient), and marks the meeting invited: from then on,
 * svc_mail_meeting_changes (the mail thread, as the system) sends the same
 * people the update when the date, time, place or mode changes, or the
 * cancellation (METHOD:CANCEL) when it is cancelled or voided, once per
 * change, for meetings not yet past.  *queued: messages queued. */
enum svc_status svc_mail_meeting_changes(struct svc_ctx *c, int64_t *queued);

/* The agenda pack of a planned meeting to come, as a link to its printable
 * page (the page shows each reader only what they may see; the e-mail
 * names no child), to everyone its invitation goes to.  Answers as
 * svc_meeting_invite. */
enum svc_status svc_meeting_send_pack(struct svc_ctx *c, int64_t meeting_id, int64_t *queued);

/* The daily pass, as the system: for each user owning open actions due
 * within `days` days of today (overdue ones included), queues one reminder
 * for today unless one was already queued today (reminder_days), counting
 * only the actions that user's own work list shows.  *queued receives how
 * many were queued. */
enum svc_status svc_mail_reminders(struct svc_ctx *c, int days, int64_t *queued);

/* "Forgot password": records the request (the same work whatever the
 * name, so neither the answer nor its time tells which accounts exist; at
 * most MAIL_RESET_REQUESTS_HOUR an hour are kept).  SVC_OK whatever the
 * name; SVC_ERROR only when storage fails. */
enum svc_status svc_password_forgot(struct svc_ctx *c, const char *username);
/* The mail thread's part, for up to max waiting requests, oldest first
 * (*done receives how many): when the name is an enabled account with an
 * e-mail address, and fewer than MAIL_RESET_PER_USER_HOUR links were made
 * for it in the last hour (MAIL_RESET_ALL_HOUR for all), queues a link
 * valid MAIL_RESET_SECONDS.  Each request is removed once handled. */
enum svc_status svc_mail_reset_requests(struct svc_ctx *c, int max, int *done);
/* SVC_OK when token is a working reset link (*username receives the
 * account's name, for the password policy), SVC_NOT_FOUND otherwise. */
enum svc_status svc_password_reset_check(struct svc_ctx *c, const char *token, char username[64]);
/* Sets the password of the link's account (core/pwpolicy.c rules:
 * SVC_INVALID with the field "password"), uses up the link and every other
 * link of the account, ends all its sessions and records the change in the
 * audit log.  A link that does not work: SVC_NOT_FOUND. */
enum svc_status svc_password_reset(struct svc_ctx *c, const char *token, const char *password,
                                   struct field_errors *errs);

/* Sets a user's e-mail address ("" removes it).  Hidden or missing user:
 * SVC_NOT_FOUND; without ACT_EDIT on the user: SVC_FORBIDDEN; an address
 * core/email.c does not accept: SVC_INVALID (field "email"). */
enum svc_status svc_user_set_email(struct svc_ctx *c, int64_t user_id, const char *email,
                                   struct field_errors *errs);

#endif
