-- PostgreSQL dialect of ../sqlite/0017_void_and_form_tokens.sql (the same history: same tables,
-- columns and number; docs/postgresql.md says what differs and why).
-- 0017: mistakes put right (issue 10).
-- A record entered by mistake is voided, never deleted: it stays in the
-- chronology and the audit trail, shown as voided with the reason, and is
-- left out of every count (dashboard, rollup, work lists, extracts).
-- voided_at is Unix seconds (NULL: not voided).  Portable as written
-- (PostgreSQL: ADD COLUMN ... BIGINT / TEXT, the same defaults).
ALTER TABLE actions ADD COLUMN voided_at BIGINT;
ALTER TABLE actions ADD COLUMN voided_by BIGINT REFERENCES users(id);
ALTER TABLE actions ADD COLUMN void_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN voided_at BIGINT;
ALTER TABLE referrals ADD COLUMN voided_by BIGINT REFERENCES users(id);
ALTER TABLE referrals ADD COLUMN void_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE discussions ADD COLUMN voided_at BIGINT;
ALTER TABLE discussions ADD COLUMN voided_by BIGINT REFERENCES users(id);
ALTER TABLE discussions ADD COLUMN void_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN voided_at BIGINT;
ALTER TABLE meetings ADD COLUMN voided_by BIGINT REFERENCES users(id);
ALTER TABLE meetings ADD COLUMN void_reason TEXT NOT NULL DEFAULT '';
-- The day a meeting was marked held (YYYY-MM-DD): "held" may be undone,
-- with a reason, on that day only.
ALTER TABLE meetings ADD COLUMN held_marked_on TEXT;
ALTER TABLE meetings ADD COLUMN held_undo_reason TEXT NOT NULL DEFAULT '';

-- One-time tokens of rendered forms: the first POST carrying a token
-- records where its record is; a second POST with the same token is
-- answered with that record instead of making another.  The primary key
-- makes the first of two concurrent POSTs the only one that claims it.
CREATE TABLE form_tokens (
    user_id     BIGINT NOT NULL REFERENCES users(id),
    token       TEXT    NOT NULL,
    location    TEXT    NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (user_id, token)
);
CREATE INDEX form_tokens_created ON form_tokens(created_at);

-- A voided action leaves the dashboard's counts: its case's months are
-- rebuilt (as the triggers of 0008 do for other changes; PostgreSQL: a
-- trigger function doing the same INSERT ... ON CONFLICT DO NOTHING).
CREATE FUNCTION dash_stale_action_void() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.voided_at IS DISTINCT FROM NEW.voided_at THEN
        INSERT INTO dash_rollup_stale (authority_id, month)
            SELECT authority_id, month FROM dash_case_months WHERE case_id = NEW.case_id
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_action_void AFTER UPDATE OF voided_at ON actions FOR EACH ROW EXECUTE FUNCTION dash_stale_action_void();

-- A voided discussion or meeting presents no case: the months a case's
-- figures may sit in leave them out (the view of 0008, redefined).
DROP VIEW dash_case_months;
CREATE VIEW dash_case_months AS
    SELECT d.case_id AS case_id, t.authority_id AS authority_id, substr(m.meeting_date, 1, 7) AS month
    FROM discussions d JOIN meetings m ON m.id = d.meeting_id JOIN teams t ON t.id = m.team_id
    WHERE d.kind = 'new' AND d.voided_at IS NULL AND m.voided_at IS NULL;

-- Voiding a discussion or a meeting: its month and its cases' months are
-- rebuilt (fired after the row changed, so the view no longer names the
-- voided one: its own month is named directly).
CREATE FUNCTION dash_stale_discussion_void() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.voided_at IS DISTINCT FROM NEW.voided_at THEN
        INSERT INTO dash_rollup_stale (authority_id, month)
            SELECT t.authority_id, substr(m.meeting_date, 1, 7) FROM meetings m JOIN teams t ON t.id = m.team_id
            WHERE m.id = NEW.meeting_id
            UNION SELECT authority_id, month FROM dash_case_months WHERE case_id = NEW.case_id
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_discussion_void AFTER UPDATE OF voided_at ON discussions FOR EACH ROW EXECUTE FUNCTION dash_stale_discussion_void();
CREATE FUNCTION dash_stale_meeting_void() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.voided_at IS DISTINCT FROM NEW.voided_at THEN
        INSERT INTO dash_rollup_stale (authority_id, month)
            SELECT authority_id, substr(NEW.meeting_date, 1, 7) FROM teams WHERE id = NEW.team_id
            UNION SELECT cm.authority_id, cm.month FROM dash_case_months cm
                  WHERE cm.case_id IN (SELECT case_id FROM discussions WHERE meeting_id = NEW.id)
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_meeting_void AFTER UPDATE OF voided_at ON meetings FOR EACH ROW EXECUTE FUNCTION dash_stale_meeting_void();
