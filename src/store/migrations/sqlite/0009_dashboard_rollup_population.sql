-- 0009: the pupil population of the TAS schools (the census figures the
-- dashboard sets its "who is reached" tables against) joins the rollup.
-- It has no month: its rows carry the month '0000-00', which no range
-- holds, and go stale when a school's census figures, membership, phase or
-- authority change.
CREATE TRIGGER dash_stale_population_ins AFTER INSERT ON school_population BEGIN
    INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
        SELECT authority_id, '0000-00' FROM schools WHERE id = NEW.school_id;
END;
CREATE TRIGGER dash_stale_population_upd AFTER UPDATE ON school_population BEGIN
    INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
        SELECT authority_id, '0000-00' FROM schools WHERE id IN (OLD.school_id, NEW.school_id);
END;
CREATE TRIGGER dash_stale_population_del AFTER DELETE ON school_population BEGIN
    INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
        SELECT authority_id, '0000-00' FROM schools WHERE id = OLD.school_id;
END;
CREATE TRIGGER dash_stale_population_school AFTER UPDATE OF tas_member, phase, authority_id ON schools
    WHEN OLD.tas_member IS NOT NEW.tas_member OR OLD.phase IS NOT NEW.phase
      OR OLD.authority_id IS NOT NEW.authority_id BEGIN
    INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
        VALUES (OLD.authority_id, '0000-00'), (NEW.authority_id, '0000-00');
END;

INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
    SELECT DISTINCT s.authority_id, '0000-00' FROM school_population sp JOIN schools s ON s.id = sp.school_id;
