-- PostgreSQL dialect of ../sqlite/0018_gias_calendar.sql (the same history: same tables,
-- columns and number; docs/postgresql.md says what differs and why).
-- 0018: schools from GIAS, meetings in calendars (issue 17, items 1 and 4).
-- Portable as written except the triggers (PostgreSQL: ADD COLUMN with the
-- same types and defaults; each trigger a trigger function doing the same
-- UPDATE).

-- What the DfE's "Get Information about Schools" establishment file says
-- about a school beyond name, phase and roll: its status ('open', 'closed',
-- 'proposed_to_close', 'proposed_to_open'), type of establishment (the
-- file's name for it), postcode, and opening and closing dates
-- (YYYY-MM-DD, NULL when not given).  Schools typed in by hand are open.
ALTER TABLE schools ADD COLUMN status TEXT NOT NULL DEFAULT 'open';
ALTER TABLE schools ADD COLUMN establishment_type TEXT NOT NULL DEFAULT '';
ALTER TABLE schools ADD COLUMN postcode TEXT NOT NULL DEFAULT '';
ALTER TABLE schools ADD COLUMN open_date TEXT;
ALTER TABLE schools ADD COLUMN close_date TEXT;

-- The iCalendar SEQUENCE of a meeting's invitation (RFC 5545, 3.8.7.4):
-- raised whenever what an invitation says changes: the date, the time,
-- the mode (in person or online), cancelled or voided, or the team's
-- location or length.  Calendars replace an event only by a higher one.
ALTER TABLE meetings ADD COLUMN ics_sequence BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION ics_meeting_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.meeting_date IS DISTINCT FROM NEW.meeting_date OR OLD.start_time IS DISTINCT FROM NEW.start_time OR OLD.mode IS DISTINCT FROM NEW.mode OR OLD.voided_at IS DISTINCT FROM NEW.voided_at OR (OLD.status IS DISTINCT FROM NEW.status AND (OLD.status = 'cancelled' OR NEW.status = 'cancelled')) THEN
        UPDATE meetings SET ics_sequence = ics_sequence + 1 WHERE id = NEW.id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER ics_meeting_changed AFTER UPDATE OF meeting_date, start_time, status, mode, voided_at ON meetings FOR EACH ROW EXECUTE FUNCTION ics_meeting_changed();

CREATE FUNCTION ics_team_place_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.location IS DISTINCT FROM NEW.location OR OLD.duration_minutes IS DISTINCT FROM NEW.duration_minutes OR OLD.name IS DISTINCT FROM NEW.name THEN
        UPDATE meetings SET ics_sequence = ics_sequence + 1 WHERE team_id = NEW.id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER ics_team_place_changed AFTER UPDATE OF location, duration_minutes, name ON teams FOR EACH ROW EXECUTE FUNCTION ics_team_place_changed();

-- A user's calendar subscription: the feed /calendar/SECRET.ics.  Only the
-- SHA-256 of the secret is kept (as for sessions); one feed a user, made
-- again (a new secret) or revoked (the row deleted) on the account page.
CREATE TABLE calendar_feeds (
    user_id     BIGINT PRIMARY KEY REFERENCES users(id),
    token_hash  TEXT    NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL
);
