-- PostgreSQL dialect of ../sqlite/0027_dashcache_rollup_outcomes.sql (the same history: same tables,
-- columns and number; docs/postgresql.md says what differs and why).
-- The dashboard's rollup also holds the outcomes table ("What changed for
-- the pupils supported", q_dash_rollup.h dim "outcome"): per presented case
-- whose compare windows are complete and hold outcome records, the day its
-- after window ends and what changed.  It depends on the pupil's outcome
-- records and on the term dates of the pupil's school's authority, so a
-- change to either marks the months the pupil's cases were presented stale.
CREATE FUNCTION dash_stale_outcome_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO dash_rollup_stale (authority_id, month)
        SELECT cm.authority_id, cm.month FROM dash_case_months cm
        WHERE cm.case_id IN (SELECT id FROM cases WHERE pupil_id = NEW.pupil_id)
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_outcome_ins AFTER INSERT ON outcome_records FOR EACH ROW EXECUTE FUNCTION dash_stale_outcome_ins();
CREATE FUNCTION dash_stale_outcome_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO dash_rollup_stale (authority_id, month)
        SELECT cm.authority_id, cm.month FROM dash_case_months cm
        WHERE cm.case_id IN (SELECT id FROM cases WHERE pupil_id IN (OLD.pupil_id, NEW.pupil_id))
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_outcome_upd AFTER UPDATE ON outcome_records FOR EACH ROW EXECUTE FUNCTION dash_stale_outcome_upd();
CREATE FUNCTION dash_stale_outcome_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO dash_rollup_stale (authority_id, month)
        SELECT cm.authority_id, cm.month FROM dash_case_months cm
        WHERE cm.case_id IN (SELECT id FROM cases WHERE pupil_id = OLD.pupil_id)
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_outcome_del AFTER DELETE ON outcome_records FOR EACH ROW EXECUTE FUNCTION dash_stale_outcome_del();
CREATE FUNCTION dash_stale_terms_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO dash_rollup_stale (authority_id, month)
        SELECT cm.authority_id, cm.month FROM dash_case_months cm JOIN cases c ON c.id = cm.case_id
        JOIN pupils p ON p.id = c.pupil_id JOIN schools s ON s.id = p.school_id
        WHERE s.authority_id = NEW.authority_id AND EXISTS (SELECT 1 FROM outcome_records o WHERE o.pupil_id = p.id)
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_terms_ins AFTER INSERT ON term_dates FOR EACH ROW EXECUTE FUNCTION dash_stale_terms_ins();
CREATE FUNCTION dash_stale_terms_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO dash_rollup_stale (authority_id, month)
        SELECT cm.authority_id, cm.month FROM dash_case_months cm JOIN cases c ON c.id = cm.case_id
        JOIN pupils p ON p.id = c.pupil_id JOIN schools s ON s.id = p.school_id
        WHERE s.authority_id IN (OLD.authority_id, NEW.authority_id)
          AND EXISTS (SELECT 1 FROM outcome_records o WHERE o.pupil_id = p.id)
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_terms_upd AFTER UPDATE ON term_dates FOR EACH ROW EXECUTE FUNCTION dash_stale_terms_upd();
CREATE FUNCTION dash_stale_terms_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO dash_rollup_stale (authority_id, month)
        SELECT cm.authority_id, cm.month FROM dash_case_months cm JOIN cases c ON c.id = cm.case_id
        JOIN pupils p ON p.id = c.pupil_id JOIN schools s ON s.id = p.school_id
        WHERE s.authority_id = OLD.authority_id AND EXISTS (SELECT 1 FROM outcome_records o WHERE o.pupil_id = p.id)
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_terms_del AFTER DELETE ON term_dates FOR EACH ROW EXECUTE FUNCTION dash_stale_terms_del();
-- Rows built before: the months of cases whose pupils have outcome records.
INSERT INTO dash_rollup_stale (authority_id, month)
    SELECT cm.authority_id, cm.month FROM dash_case_months cm JOIN cases c ON c.id = cm.case_id
    WHERE EXISTS (SELECT 1 FROM outcome_records o WHERE o.pupil_id = c.pupil_id)
    ON CONFLICT DO NOTHING;
-- England's rows (authority 0, q_dash_rollup.h DASH_NATIONAL_DIMS): built
-- for every month the authorities' rows cover.
INSERT INTO dash_rollup_stale (authority_id, month)
    SELECT DISTINCT 0, month FROM dash_rollup WHERE authority_id > 0
    ON CONFLICT DO NOTHING;

-- The dashboard's generation (web/dash_cache.c keys its cached pages by
-- it): bumped whenever a month of the rollup goes stale or is rebuilt, and
-- whenever something else a dashboard from the rollup reads changes: the
-- TAS schools, the services' and resources' names, the cost model and the
-- disclosure threshold.  One function a trigger, as elsewhere (each named
-- as its trigger).
CREATE TABLE dash_generation (
    id  BIGINT PRIMARY KEY CHECK (id = 1),
    n   BIGINT NOT NULL
);
INSERT INTO dash_generation (id, n) VALUES (1, 1);
CREATE FUNCTION dash_gen_stale_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE dash_generation SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_gen_stale_ins AFTER INSERT ON dash_rollup_stale FOR EACH ROW EXECUTE FUNCTION dash_gen_stale_ins();
CREATE FUNCTION dash_gen_stale_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE dash_generation SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_gen_stale_del AFTER DELETE ON dash_rollup_stale FOR EACH ROW EXECUTE FUNCTION dash_gen_stale_del();
CREATE FUNCTION dash_gen_schools_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE dash_generation SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_gen_schools_ins AFTER INSERT ON schools FOR EACH ROW EXECUTE FUNCTION dash_gen_schools_ins();
CREATE FUNCTION dash_gen_schools_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE dash_generation SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_gen_schools_upd AFTER UPDATE ON schools FOR EACH ROW EXECUTE FUNCTION dash_gen_schools_upd();
CREATE FUNCTION dash_gen_schools_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE dash_generation SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_gen_schools_del AFTER DELETE ON schools FOR EACH ROW EXECUTE FUNCTION dash_gen_schools_del();
CREATE FUNCTION dash_gen_services_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE dash_generation SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_gen_services_ins AFTER INSERT ON services FOR EACH ROW EXECUTE FUNCTION dash_gen_services_ins();
CREATE FUNCTION dash_gen_services_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE dash_generation SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_gen_services_upd AFTER UPDATE ON services FOR EACH ROW EXECUTE FUNCTION dash_gen_services_upd();
CREATE FUNCTION dash_gen_services_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE dash_generation SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_gen_services_del AFTER DELETE ON services FOR EACH ROW EXECUTE FUNCTION dash_gen_services_del();
CREATE FUNCTION dash_gen_resources_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE dash_generation SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_gen_resources_ins AFTER INSERT ON resources FOR EACH ROW EXECUTE FUNCTION dash_gen_resources_ins();
CREATE FUNCTION dash_gen_resources_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE dash_generation SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_gen_resources_upd AFTER UPDATE ON resources FOR EACH ROW EXECUTE FUNCTION dash_gen_resources_upd();
CREATE FUNCTION dash_gen_resources_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE dash_generation SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_gen_resources_del AFTER DELETE ON resources FOR EACH ROW EXECUTE FUNCTION dash_gen_resources_del();
CREATE FUNCTION dash_gen_rates_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE dash_generation SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_gen_rates_ins AFTER INSERT ON cost_rates FOR EACH ROW EXECUTE FUNCTION dash_gen_rates_ins();
CREATE FUNCTION dash_gen_rates_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE dash_generation SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_gen_rates_upd AFTER UPDATE ON cost_rates FOR EACH ROW EXECUTE FUNCTION dash_gen_rates_upd();
CREATE FUNCTION dash_gen_rates_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE dash_generation SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_gen_rates_del AFTER DELETE ON cost_rates FOR EACH ROW EXECUTE FUNCTION dash_gen_rates_del();
CREATE FUNCTION dash_gen_disclosure_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE dash_generation SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_gen_disclosure_ins AFTER INSERT ON disclosure_settings FOR EACH ROW EXECUTE FUNCTION dash_gen_disclosure_ins();
CREATE FUNCTION dash_gen_disclosure_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE dash_generation SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_gen_disclosure_upd AFTER UPDATE ON disclosure_settings FOR EACH ROW EXECUTE FUNCTION dash_gen_disclosure_upd();
CREATE FUNCTION dash_gen_disclosure_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE dash_generation SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_gen_disclosure_del AFTER DELETE ON disclosure_settings FOR EACH ROW EXECUTE FUNCTION dash_gen_disclosure_del();
