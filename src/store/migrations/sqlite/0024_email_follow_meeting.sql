-- 0024: invitations that follow their meeting (issue 17, item 5).
-- An invitation carries the meeting as an iCalendar object (RFC 6047), and
-- when the meeting changes after its invitations went out (date, time,
-- place, mode, cancelled or voided: whatever raises its ics_sequence,
-- 0018) the same people are sent the update or the cancellation.  The
-- agenda pack goes out as a link only (no child's name in any e-mail).

-- The meeting's SEQUENCE when its invitations were last sent; NULL: never.
ALTER TABLE meetings ADD COLUMN invited_sequence INTEGER;

-- The meeting's own place (0021) changes its invitation too.
DROP TRIGGER ics_meeting_changed;
CREATE TRIGGER ics_meeting_changed AFTER UPDATE OF meeting_date, start_time, status, mode, voided_at, location
    ON meetings
    WHEN OLD.meeting_date IS NOT NEW.meeting_date OR OLD.start_time IS NOT NEW.start_time
      OR OLD.mode IS NOT NEW.mode OR OLD.voided_at IS NOT NEW.voided_at OR OLD.location IS NOT NEW.location
      OR (OLD.status IS NOT NEW.status AND (OLD.status = 'cancelled' OR NEW.status = 'cancelled'))
BEGIN
    UPDATE meetings SET ics_sequence = ics_sequence + 1 WHERE id = NEW.id;
END;

-- The outbox made again with the new kinds and the calendar part (a CHECK
-- cannot be altered in place in SQLite; nothing refers to this table).
CREATE TABLE outbox_0024 (
    id               INTEGER PRIMARY KEY,
    kind             TEXT    NOT NULL CHECK (kind IN ('invitation', 'invitation_update', 'invitation_cancel',
                                                      'agenda_pack', 'reminder', 'password_reset')),
    recipient        TEXT    NOT NULL,
    subject          TEXT    NOT NULL,
    body             TEXT    NOT NULL,
    calendar         TEXT,
    calendar_method  TEXT    CHECK (calendar_method IN ('REQUEST', 'CANCEL')),
    message_id       TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    sent_at          INTEGER,
    last_error       TEXT    NOT NULL DEFAULT ''
);
INSERT INTO outbox_0024 (id, kind, recipient, subject, body, message_id, created_at, attempts, next_attempt_at,
                         sent_at, last_error)
    SELECT id, kind, recipient, subject, body, message_id, created_at, attempts, next_attempt_at, sent_at, last_error
    FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_0024 RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(sent_at, next_attempt_at);
