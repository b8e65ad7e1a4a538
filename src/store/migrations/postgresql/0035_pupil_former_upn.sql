-- PostgreSQL dialect of ../sqlite/0035_pupil_former_upn.sql (the same history: same tables,
-- columns and number; docs/postgresql.md says what differs and why).
-- 0035: a pupil's former UPN (issue 17 item 2): the UPN they had before
-- their current one (a temporary one replaced, or one corrected), kept so
-- that what still carries it finds the pupil.  '' when never replaced.
-- Not unique (see the SQLite twin).
ALTER TABLE pupils ADD COLUMN former_upn TEXT NOT NULL DEFAULT '';
CREATE INDEX pupils_former_upn ON pupils(former_upn) WHERE former_upn <> '';
