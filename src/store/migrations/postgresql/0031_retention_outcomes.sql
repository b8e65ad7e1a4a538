-- Retention of outcome records and toolkit completions (issue 13): see the
-- SQLite twin.  The type's CHECK is replaced to allow 'outcome'.
ALTER TABLE retention_settings DROP CONSTRAINT retention_settings_record_type_check;
ALTER TABLE retention_settings ADD CONSTRAINT retention_settings_record_type_check
    CHECK (record_type IN ('case', 'consent', 'pupil', 'outcome', 'audit', 'session'));
INSERT INTO retention_settings (record_type, months, until_age) VALUES ('outcome', 72, 25);
