-- Retention of outcome records and toolkit completions (issue 13): what a
-- school's MIS sent about a pupil (attendance, suspensions, plans, care)
-- and the screening answers are as sensitive as the case file, so they
-- have their own period.  They are erased, not anonymised: without the
-- pupil they describe nobody.  retention_settings is rebuilt so its type
-- may be 'outcome' (SQLite cannot alter a CHECK).
CREATE TABLE retention_settings_new (
    record_type  TEXT    PRIMARY KEY CHECK (record_type IN ('case', 'consent', 'pupil', 'outcome', 'audit', 'session')),
    months       INTEGER NOT NULL CHECK (months >= 1 AND months <= 1200),
    until_age    INTEGER NOT NULL DEFAULT 0 CHECK (until_age >= 0 AND until_age <= 100),
    updated_at   INTEGER NOT NULL DEFAULT 0,
    updated_by   INTEGER NOT NULL DEFAULT 0
);
INSERT INTO retention_settings_new (record_type, months, until_age, updated_at, updated_by)
    SELECT record_type, months, until_age, updated_at, updated_by FROM retention_settings;
DROP TABLE retention_settings;
ALTER TABLE retention_settings_new RENAME TO retention_settings;
INSERT INTO retention_settings (record_type, months, until_age) VALUES ('outcome', 72, 25);
