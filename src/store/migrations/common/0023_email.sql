-- 0023: e-mail (issue 17, item 5).
-- Users already have an e-mail address (users.email, 0001); practitioners
-- theirs (practitioners.email, 0002).  Times are Unix seconds.  Written
-- once for both backends (src/store/sql_dialect.h: PostgreSQL reads
-- INTEGER as BIGINT and a lone INTEGER PRIMARY KEY as an identity).

-- Messages waiting to be sent, and those sent (kept 30 days, then removed
-- by tas serve).  A message is written in full when it is queued, from
-- templates/email/*.txt, and never names a child: invitations give the
-- team, school, date, time and place; reminders a count and a link.  The
-- background sender of tas serve takes those whose next_attempt_at has
-- come, and after a failure waits longer each time (core/email.c,
-- mail_backoff) up to MAIL_MAX_ATTEMPTS.  message_id is made once, so a
-- message retried after a lost answer keeps its Message-ID.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    kind             TEXT    NOT NULL CHECK (kind IN ('invitation', 'reminder', 'password_reset')),
    recipient        TEXT    NOT NULL,
    subject          TEXT    NOT NULL,
    body             TEXT    NOT NULL,
    message_id       TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    sent_at          INTEGER,
    last_error       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox(sent_at, next_attempt_at);

-- The daily reminder pass: one row per user and day a reminder was queued
-- for, so a second pass on the same day (a restart, two servers) queues
-- nothing.
CREATE TABLE reminder_days (
    user_id  INTEGER NOT NULL REFERENCES users(id),
    day      TEXT    NOT NULL,
    PRIMARY KEY (user_id, day)
);

-- Password reset links: only the SHA-256 of the token is kept; a link
-- works once (used_at), until expires_at, and only while it is the user's
-- newest.
CREATE TABLE password_resets (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    token_hash  TEXT    NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
);
CREATE INDEX password_resets_user ON password_resets(user_id, created_at);

-- "Forgot password" requests as typed, waiting for the mail thread: the
-- request itself only writes this row, the same for every name, so the
-- answer's timing does not tell whether the account exists.  Removed as
-- soon as handled.
CREATE TABLE password_reset_requests (
    id          INTEGER PRIMARY KEY,
    username    TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);
