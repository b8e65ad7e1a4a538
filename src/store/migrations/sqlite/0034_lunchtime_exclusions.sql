-- Lunchtime exclusions as outcome records of their own kind (issue 17):
-- the school census's exclusion category LNCH, kept apart from suspensions
-- so that they do not change the suspension figures.  SQLite cannot alter a
-- CHECK, so outcome_records is rebuilt with the same columns in the same
-- order, its rows and ids kept; its index and the rollup's triggers on it
-- (migration 0027) are made again.  The triggers on term_dates that read
-- outcome_records are dropped first and made again after, so that no
-- trigger names a table missing while it is rebuilt.
DROP TRIGGER dash_stale_terms_ins;
DROP TRIGGER dash_stale_terms_upd;
DROP TRIGGER dash_stale_terms_del;

CREATE TABLE outcome_records_new (
    id                 INTEGER PRIMARY KEY,
    pupil_id           INTEGER NOT NULL REFERENCES pupils(id),
    kind               TEXT    NOT NULL CHECK (kind IN ('attendance', 'suspension', 'exclusion',
                           'part_time', 'ehc_assessment', 'ehc_plan', 'social_care', 'ap_placement',
                           'post16', 'fsm', 'pupil_premium', 'eal', 'lunchtime')),
    starts_on          TEXT    NOT NULL,
    ends_on            TEXT,
    code               TEXT    NOT NULL DEFAULT '',
    sessions_possible  INTEGER,
    sessions_missed    INTEGER,
    sessions           INTEGER,
    source             TEXT    NOT NULL DEFAULT 'hand' CHECK (source IN ('hand', 'import')),
    recorded_by        INTEGER REFERENCES users(id),
    created_at         INTEGER NOT NULL
);
INSERT INTO outcome_records_new (id, pupil_id, kind, starts_on, ends_on, code, sessions_possible, sessions_missed,
                                 sessions, source, recorded_by, created_at)
    SELECT id, pupil_id, kind, starts_on, ends_on, code, sessions_possible, sessions_missed, sessions, source,
           recorded_by, created_at FROM outcome_records;
DROP TABLE outcome_records;
ALTER TABLE outcome_records_new RENAME TO outcome_records;
CREATE INDEX outcome_records_pupil ON outcome_records(pupil_id, kind, starts_on);

CREATE TRIGGER dash_stale_outcome_ins AFTER INSERT ON outcome_records BEGIN
    INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
        SELECT cm.authority_id, cm.month FROM dash_case_months cm
        WHERE cm.case_id IN (SELECT id FROM cases WHERE pupil_id = NEW.pupil_id);
END;
CREATE TRIGGER dash_stale_outcome_upd AFTER UPDATE ON outcome_records BEGIN
    INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
        SELECT cm.authority_id, cm.month FROM dash_case_months cm
        WHERE cm.case_id IN (SELECT id FROM cases WHERE pupil_id IN (OLD.pupil_id, NEW.pupil_id));
END;
CREATE TRIGGER dash_stale_outcome_del AFTER DELETE ON outcome_records BEGIN
    INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
        SELECT cm.authority_id, cm.month FROM dash_case_months cm
        WHERE cm.case_id IN (SELECT id FROM cases WHERE pupil_id = OLD.pupil_id);
END;
CREATE TRIGGER dash_stale_terms_ins AFTER INSERT ON term_dates BEGIN
    INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
        SELECT cm.authority_id, cm.month FROM dash_case_months cm JOIN cases c ON c.id = cm.case_id
        JOIN pupils p ON p.id = c.pupil_id JOIN schools s ON s.id = p.school_id
        WHERE s.authority_id = NEW.authority_id AND EXISTS (SELECT 1 FROM outcome_records o WHERE o.pupil_id = p.id);
END;
CREATE TRIGGER dash_stale_terms_upd AFTER UPDATE ON term_dates BEGIN
    INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
        SELECT cm.authority_id, cm.month FROM dash_case_months cm JOIN cases c ON c.id = cm.case_id
        JOIN pupils p ON p.id = c.pupil_id JOIN schools s ON s.id = p.school_id
        WHERE s.authority_id IN (OLD.authority_id, NEW.authority_id)
          AND EXISTS (SELECT 1 FROM outcome_records o WHERE o.pupil_id = p.id);
END;
CREATE TRIGGER dash_stale_terms_del AFTER DELETE ON term_dates BEGIN
    INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
        SELECT cm.authority_id, cm.month FROM dash_case_months cm JOIN cases c ON c.id = cm.case_id
        JOIN pupils p ON p.id = c.pupil_id JOIN schools s ON s.id = p.school_id
        WHERE s.authority_id = OLD.authority_id AND EXISTS (SELECT 1 FROM outcome_records o WHERE o.pupil_id = p.id);
END;
