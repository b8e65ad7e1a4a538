-- The dashboard's rollup also holds the outcomes table ("What changed for
-- the pupils supported", q_dash_rollup.h dim "outcome"): per presented case
-- whose compare windows are complete and hold outcome records, the day its
-- after window ends and what changed.  It depends on the pupil's outcome
-- records and on the term dates of the pupil's school's authority, so a
-- change to either marks the months the pupil's cases were presented stale.
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
-- Rows built before: the months of cases whose pupils have outcome records.
INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
    SELECT cm.authority_id, cm.month FROM dash_case_months cm JOIN cases c ON c.id = cm.case_id
    WHERE EXISTS (SELECT 1 FROM outcome_records o WHERE o.pupil_id = c.pupil_id);
-- England's rows (authority 0, q_dash_rollup.h DASH_NATIONAL_DIMS): built
-- for every month the authorities' rows cover.
INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
    SELECT DISTINCT 0, month FROM dash_rollup WHERE authority_id > 0;

-- The dashboard's generation (web/dash_cache.c keys its cached pages by
-- it): bumped whenever a month of the rollup goes stale or is rebuilt, and
-- whenever something else a dashboard from the rollup reads changes: the
-- TAS schools, the services' and resources' names, the cost model and the
-- disclosure threshold.
CREATE TABLE dash_generation (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    n   INTEGER NOT NULL
);
INSERT INTO dash_generation (id, n) VALUES (1, 1);
CREATE TRIGGER dash_gen_stale_ins AFTER INSERT ON dash_rollup_stale BEGIN
    UPDATE dash_generation SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER dash_gen_stale_del AFTER DELETE ON dash_rollup_stale BEGIN
    UPDATE dash_generation SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER dash_gen_schools_ins AFTER INSERT ON schools BEGIN UPDATE dash_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER dash_gen_schools_upd AFTER UPDATE ON schools BEGIN UPDATE dash_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER dash_gen_schools_del AFTER DELETE ON schools BEGIN UPDATE dash_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER dash_gen_services_ins AFTER INSERT ON services BEGIN UPDATE dash_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER dash_gen_services_upd AFTER UPDATE ON services BEGIN UPDATE dash_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER dash_gen_services_del AFTER DELETE ON services BEGIN UPDATE dash_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER dash_gen_resources_ins AFTER INSERT ON resources BEGIN UPDATE dash_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER dash_gen_resources_upd AFTER UPDATE ON resources BEGIN UPDATE dash_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER dash_gen_resources_del AFTER DELETE ON resources BEGIN UPDATE dash_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER dash_gen_rates_ins AFTER INSERT ON cost_rates BEGIN UPDATE dash_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER dash_gen_rates_upd AFTER UPDATE ON cost_rates BEGIN UPDATE dash_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER dash_gen_rates_del AFTER DELETE ON cost_rates BEGIN UPDATE dash_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER dash_gen_disclosure_ins AFTER INSERT ON disclosure_settings BEGIN UPDATE dash_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER dash_gen_disclosure_upd AFTER UPDATE ON disclosure_settings BEGIN UPDATE dash_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER dash_gen_disclosure_del AFTER DELETE ON disclosure_settings BEGIN UPDATE dash_generation SET n = n + 1 WHERE id = 1; END;
