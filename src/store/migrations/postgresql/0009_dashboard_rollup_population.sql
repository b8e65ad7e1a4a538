-- PostgreSQL dialect of ../sqlite/0009_dashboard_rollup_population.sql (the same history: same tables,
-- columns and number; docs/postgresql.md says what differs and why).
-- 0009: the pupil population of the TAS schools (the census figures the
-- dashboard sets its "who is reached" tables against) joins the rollup.
-- It has no month: its rows carry the month '0000-00', which no range
-- holds, and go stale when a school's census figures, membership, phase or
-- authority change.
CREATE FUNCTION dash_stale_population_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    INSERT INTO dash_rollup_stale (authority_id, month)
        SELECT authority_id, '0000-00' FROM schools WHERE id = NEW.school_id
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_population_ins AFTER INSERT ON school_population FOR EACH ROW EXECUTE FUNCTION dash_stale_population_ins();
CREATE FUNCTION dash_stale_population_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    INSERT INTO dash_rollup_stale (authority_id, month)
        SELECT authority_id, '0000-00' FROM schools WHERE id IN (OLD.school_id, NEW.school_id)
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_population_upd AFTER UPDATE ON school_population FOR EACH ROW EXECUTE FUNCTION dash_stale_population_upd();
CREATE FUNCTION dash_stale_population_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    INSERT INTO dash_rollup_stale (authority_id, month)
        SELECT authority_id, '0000-00' FROM schools WHERE id = OLD.school_id
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_population_del AFTER DELETE ON school_population FOR EACH ROW EXECUTE FUNCTION dash_stale_population_del();
CREATE FUNCTION dash_stale_population_school() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.tas_member IS DISTINCT FROM NEW.tas_member OR OLD.phase IS DISTINCT FROM NEW.phase OR OLD.authority_id IS DISTINCT FROM NEW.authority_id THEN
        INSERT INTO dash_rollup_stale (authority_id, month)
            VALUES (OLD.authority_id, '0000-00'), (NEW.authority_id, '0000-00')
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_population_school AFTER UPDATE OF tas_member, phase, authority_id ON schools FOR EACH ROW EXECUTE FUNCTION dash_stale_population_school();

INSERT INTO dash_rollup_stale (authority_id, month)
    SELECT DISTINCT s.authority_id, '0000-00' FROM school_population sp JOIN schools s ON s.id = sp.school_id
        ON CONFLICT DO NOTHING;
