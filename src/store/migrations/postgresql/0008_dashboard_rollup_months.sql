-- PostgreSQL dialect of ../sqlite/0008_dashboard_rollup_months.sql (the same history: same tables,
-- columns and number; docs/postgresql.md says what differs and why).
-- 0008: the rollup goes stale a month at a time.  Rebuilding a whole
-- authority after each change cost about 0.25 s for a large one; most
-- changes touch one month (this month's meetings, or the month a case was
-- presented), and rebuilding one month costs a tenth of that.  A row in
-- dash_rollup_stale says an (authority, month) must be rebuilt before the
-- rollup is read for it; the rows are fresh otherwise.  The triggers name
-- the months a change can alter; when unsure they name more, never fewer.
DROP TRIGGER dash_stale_meeting_ins ON meetings;
DROP FUNCTION dash_stale_meeting_ins();
DROP TRIGGER dash_stale_meeting_upd ON meetings;
DROP FUNCTION dash_stale_meeting_upd();
DROP TRIGGER dash_stale_meeting_del ON meetings;
DROP FUNCTION dash_stale_meeting_del();
DROP TRIGGER dash_stale_attendance_ins ON attendance;
DROP FUNCTION dash_stale_attendance_ins();
DROP TRIGGER dash_stale_attendance_upd ON attendance;
DROP FUNCTION dash_stale_attendance_upd();
DROP TRIGGER dash_stale_attendance_del ON attendance;
DROP FUNCTION dash_stale_attendance_del();
DROP TRIGGER dash_stale_discussion_ins ON discussions;
DROP FUNCTION dash_stale_discussion_ins();
DROP TRIGGER dash_stale_discussion_upd ON discussions;
DROP FUNCTION dash_stale_discussion_upd();
DROP TRIGGER dash_stale_discussion_del ON discussions;
DROP FUNCTION dash_stale_discussion_del();
DROP TRIGGER dash_stale_case_upd ON cases;
DROP FUNCTION dash_stale_case_upd();
DROP TRIGGER dash_stale_case_del ON cases;
DROP FUNCTION dash_stale_case_del();
DROP TRIGGER dash_stale_pupil_upd ON pupils;
DROP FUNCTION dash_stale_pupil_upd();
DROP TRIGGER dash_stale_action_ins ON actions;
DROP FUNCTION dash_stale_action_ins();
DROP TRIGGER dash_stale_action_upd ON actions;
DROP FUNCTION dash_stale_action_upd();
DROP TRIGGER dash_stale_action_del ON actions;
DROP FUNCTION dash_stale_action_del();
DROP TRIGGER dash_stale_member_ins ON team_members;
DROP FUNCTION dash_stale_member_ins();
DROP TRIGGER dash_stale_member_upd ON team_members;
DROP FUNCTION dash_stale_member_upd();
DROP TRIGGER dash_stale_member_del ON team_members;
DROP FUNCTION dash_stale_member_del();
DROP TRIGGER dash_stale_school_upd ON schools;
DROP FUNCTION dash_stale_school_upd();
DROP TRIGGER dash_stale_team_upd ON teams;
DROP FUNCTION dash_stale_team_upd();
DROP TRIGGER dash_stale_service_upd ON services;
DROP FUNCTION dash_stale_service_upd();
DROP TRIGGER dash_stale_practitioner_upd ON practitioners;
DROP FUNCTION dash_stale_practitioner_upd();
DROP TABLE dash_rollup_fresh;
DELETE FROM dash_rollup;

CREATE TABLE dash_rollup_stale (
    authority_id  BIGINT NOT NULL,
    month         TEXT    NOT NULL,       -- YYYY-MM
    PRIMARY KEY (authority_id, month)
);
CREATE INDEX dash_rollup_stale_month ON dash_rollup_stale(month);

-- Every month that holds a meeting holds everything the rollup counts (a
-- case is presented at a meeting), so these are all the months to build.
INSERT INTO dash_rollup_stale (authority_id, month)
    SELECT DISTINCT t.authority_id, substr(m.meeting_date, 1, 7)
    FROM meetings m JOIN teams t ON t.id = m.team_id;

-- A case's figures sit in the month it was presented, which is the month of
-- one of its 'new' discussions; the months of all of them are named, since a
-- change may move the presentation from one to another.
CREATE VIEW dash_case_months AS
    SELECT d.case_id AS case_id, t.authority_id AS authority_id, substr(m.meeting_date, 1, 7) AS month
    FROM discussions d JOIN meetings m ON m.id = d.meeting_id JOIN teams t ON t.id = m.team_id
    WHERE d.kind = 'new';

CREATE FUNCTION dash_stale_meeting_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    INSERT INTO dash_rollup_stale (authority_id, month)
        SELECT authority_id, substr(NEW.meeting_date, 1, 7) FROM teams WHERE id = NEW.team_id
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_meeting_ins AFTER INSERT ON meetings FOR EACH ROW EXECUTE FUNCTION dash_stale_meeting_ins();
-- A meeting moved, held or cancelled: its months, and the cases discussed at
-- it (their presentation may now be another meeting).
CREATE FUNCTION dash_stale_meeting_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.team_id IS DISTINCT FROM NEW.team_id OR OLD.meeting_date IS DISTINCT FROM NEW.meeting_date OR OLD.status IS DISTINCT FROM NEW.status OR OLD.mode IS DISTINCT FROM NEW.mode THEN
        INSERT INTO dash_rollup_stale (authority_id, month)
            SELECT authority_id, substr(OLD.meeting_date, 1, 7) FROM teams WHERE id = OLD.team_id
            UNION SELECT authority_id, substr(NEW.meeting_date, 1, 7) FROM teams WHERE id = NEW.team_id
            UNION SELECT cm.authority_id, cm.month FROM dash_case_months cm
                  WHERE cm.case_id IN (SELECT case_id FROM discussions WHERE meeting_id = NEW.id)
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_meeting_upd AFTER UPDATE OF team_id, meeting_date, status, mode ON meetings FOR EACH ROW EXECUTE FUNCTION dash_stale_meeting_upd();
CREATE FUNCTION dash_stale_meeting_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    INSERT INTO dash_rollup_stale (authority_id, month)
        SELECT authority_id, substr(OLD.meeting_date, 1, 7) FROM teams WHERE id = OLD.team_id
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_meeting_del AFTER DELETE ON meetings FOR EACH ROW EXECUTE FUNCTION dash_stale_meeting_del();

CREATE FUNCTION dash_stale_attendance_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    INSERT INTO dash_rollup_stale (authority_id, month)
        SELECT t.authority_id, substr(m.meeting_date, 1, 7) FROM meetings m JOIN teams t ON t.id = m.team_id
        WHERE m.id = NEW.meeting_id
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_attendance_ins AFTER INSERT ON attendance FOR EACH ROW EXECUTE FUNCTION dash_stale_attendance_ins();
CREATE FUNCTION dash_stale_attendance_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    INSERT INTO dash_rollup_stale (authority_id, month)
        SELECT t.authority_id, substr(m.meeting_date, 1, 7) FROM meetings m JOIN teams t ON t.id = m.team_id
        WHERE m.id IN (OLD.meeting_id, NEW.meeting_id)
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_attendance_upd AFTER UPDATE ON attendance FOR EACH ROW EXECUTE FUNCTION dash_stale_attendance_upd();
CREATE FUNCTION dash_stale_attendance_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    INSERT INTO dash_rollup_stale (authority_id, month)
        SELECT t.authority_id, substr(m.meeting_date, 1, 7) FROM meetings m JOIN teams t ON t.id = m.team_id
        WHERE m.id = OLD.meeting_id
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_attendance_del AFTER DELETE ON attendance FOR EACH ROW EXECUTE FUNCTION dash_stale_attendance_del();

-- A discussion: its own meeting's month (it may now be the presentation)
-- and the months of the case's other 'new' discussions (one may have been).
CREATE FUNCTION dash_stale_discussion_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    INSERT INTO dash_rollup_stale (authority_id, month)
        SELECT t.authority_id, substr(m.meeting_date, 1, 7) FROM meetings m JOIN teams t ON t.id = m.team_id
        WHERE m.id = NEW.meeting_id
        UNION SELECT authority_id, month FROM dash_case_months WHERE case_id = NEW.case_id
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_discussion_ins AFTER INSERT ON discussions FOR EACH ROW EXECUTE FUNCTION dash_stale_discussion_ins();
CREATE FUNCTION dash_stale_discussion_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    INSERT INTO dash_rollup_stale (authority_id, month)
        SELECT t.authority_id, substr(m.meeting_date, 1, 7) FROM meetings m JOIN teams t ON t.id = m.team_id
        WHERE m.id IN (OLD.meeting_id, NEW.meeting_id)
        UNION SELECT authority_id, month FROM dash_case_months WHERE case_id IN (OLD.case_id, NEW.case_id)
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_discussion_upd AFTER UPDATE OF meeting_id, case_id, kind ON discussions FOR EACH ROW EXECUTE FUNCTION dash_stale_discussion_upd();
CREATE FUNCTION dash_stale_discussion_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    INSERT INTO dash_rollup_stale (authority_id, month)
        SELECT t.authority_id, substr(m.meeting_date, 1, 7) FROM meetings m JOIN teams t ON t.id = m.team_id
        WHERE m.id = OLD.meeting_id
        UNION SELECT authority_id, month FROM dash_case_months WHERE case_id = OLD.case_id
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_discussion_del AFTER DELETE ON discussions FOR EACH ROW EXECUTE FUNCTION dash_stale_discussion_del();

CREATE FUNCTION dash_stale_case_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.pupil_id IS DISTINCT FROM NEW.pupil_id OR OLD.summary_before_meeting IS DISTINCT FROM NEW.summary_before_meeting OR OLD.ect_completed IS DISTINCT FROM NEW.ect_completed OR OLD.prior_paediatrics IS DISTINCT FROM NEW.prior_paediatrics OR OLD.prior_mhst_camhs IS DISTINCT FROM NEW.prior_mhst_camhs OR OLD.prior_early_help IS DISTINCT FROM NEW.prior_early_help OR OLD.prior_cin IS DISTINCT FROM NEW.prior_cin OR OLD.prior_cp IS DISTINCT FROM NEW.prior_cp OR OLD.prior_lac IS DISTINCT FROM NEW.prior_lac OR OLD.prior_sen_support IS DISTINCT FROM NEW.prior_sen_support OR OLD.prior_ehcna IS DISTINCT FROM NEW.prior_ehcna OR OLD.prior_ehcp IS DISTINCT FROM NEW.prior_ehcp OR OLD.prior_suspensions IS DISTINCT FROM NEW.prior_suspensions OR OLD.risk_pex IS DISTINCT FROM NEW.risk_pex THEN
        INSERT INTO dash_rollup_stale (authority_id, month)
            SELECT authority_id, month FROM dash_case_months WHERE case_id = NEW.id
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_case_upd AFTER UPDATE OF pupil_id, summary_before_meeting, ect_completed, prior_paediatrics, prior_mhst_camhs, prior_early_help, prior_cin, prior_cp, prior_lac, prior_sen_support, prior_ehcna, prior_ehcp, prior_suspensions, risk_pex ON cases FOR EACH ROW EXECUTE FUNCTION dash_stale_case_upd();
CREATE FUNCTION dash_stale_case_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    INSERT INTO dash_rollup_stale (authority_id, month)
        SELECT authority_id, month FROM dash_case_months WHERE case_id = OLD.id
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_case_del AFTER DELETE ON cases FOR EACH ROW EXECUTE FUNCTION dash_stale_case_del();

CREATE FUNCTION dash_stale_pupil_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.school_id IS DISTINCT FROM NEW.school_id OR OLD.gender IS DISTINCT FROM NEW.gender OR OLD.nc_year IS DISTINCT FROM NEW.nc_year OR OLD.ethnicity IS DISTINCT FROM NEW.ethnicity OR OLD.sen_provision IS DISTINCT FROM NEW.sen_provision THEN
        INSERT INTO dash_rollup_stale (authority_id, month)
            SELECT cm.authority_id, cm.month FROM cases c JOIN dash_case_months cm ON cm.case_id = c.id
            WHERE c.pupil_id = NEW.id
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_pupil_upd AFTER UPDATE OF school_id, gender, nc_year, ethnicity, sen_provision ON pupils FOR EACH ROW EXECUTE FUNCTION dash_stale_pupil_upd();

CREATE FUNCTION dash_stale_action_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    INSERT INTO dash_rollup_stale (authority_id, month)
        SELECT authority_id, month FROM dash_case_months WHERE case_id = NEW.case_id
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_action_ins AFTER INSERT ON actions FOR EACH ROW EXECUTE FUNCTION dash_stale_action_ins();
CREATE FUNCTION dash_stale_action_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.case_id IS DISTINCT FROM NEW.case_id OR OLD.owner_service_id IS DISTINCT FROM NEW.owner_service_id OR OLD.owner_practitioner_id IS DISTINCT FROM NEW.owner_practitioner_id OR OLD.setting IS DISTINCT FROM NEW.setting OR OLD.nature IS DISTINCT FROM NEW.nature OR OLD.resource_id IS DISTINCT FROM NEW.resource_id THEN
        INSERT INTO dash_rollup_stale (authority_id, month)
            SELECT authority_id, month FROM dash_case_months WHERE case_id IN (OLD.case_id, NEW.case_id)
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_action_upd AFTER UPDATE OF case_id, owner_service_id, owner_practitioner_id, setting, nature, resource_id ON actions FOR EACH ROW EXECUTE FUNCTION dash_stale_action_upd();
CREATE FUNCTION dash_stale_action_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    INSERT INTO dash_rollup_stale (authority_id, month)
        SELECT authority_id, month FROM dash_case_months WHERE case_id = OLD.case_id
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_action_del AFTER DELETE ON actions FOR EACH ROW EXECUTE FUNCTION dash_stale_action_del();

-- Core members count at every meeting of their team.
CREATE FUNCTION dash_stale_member_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    INSERT INTO dash_rollup_stale (authority_id, month)
        SELECT DISTINCT t.authority_id, substr(m.meeting_date, 1, 7) FROM meetings m JOIN teams t ON t.id = m.team_id
        WHERE m.team_id = NEW.team_id
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_member_ins AFTER INSERT ON team_members FOR EACH ROW EXECUTE FUNCTION dash_stale_member_ins();
CREATE FUNCTION dash_stale_member_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    INSERT INTO dash_rollup_stale (authority_id, month)
        SELECT DISTINCT t.authority_id, substr(m.meeting_date, 1, 7) FROM meetings m JOIN teams t ON t.id = m.team_id
        WHERE m.team_id IN (OLD.team_id, NEW.team_id)
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_member_upd AFTER UPDATE OF team_id, service_id ON team_members FOR EACH ROW EXECUTE FUNCTION dash_stale_member_upd();
CREATE FUNCTION dash_stale_member_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    INSERT INTO dash_rollup_stale (authority_id, month)
        SELECT DISTINCT t.authority_id, substr(m.meeting_date, 1, 7) FROM meetings m JOIN teams t ON t.id = m.team_id
        WHERE m.team_id = OLD.team_id
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_member_del AFTER DELETE ON team_members FOR EACH ROW EXECUTE FUNCTION dash_stale_member_del();

-- Rare changes that can move rows between authorities or phases, or rename
-- what the rows are keyed by: every month of every authority.
CREATE FUNCTION dash_stale_school_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.authority_id IS DISTINCT FROM NEW.authority_id OR OLD.phase IS DISTINCT FROM NEW.phase THEN
        INSERT INTO dash_rollup_stale (authority_id, month)
            SELECT DISTINCT t.authority_id, substr(m.meeting_date, 1, 7) FROM meetings m JOIN teams t ON t.id = m.team_id
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_school_upd AFTER UPDATE OF authority_id, phase ON schools FOR EACH ROW EXECUTE FUNCTION dash_stale_school_upd();
CREATE FUNCTION dash_stale_team_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.authority_id IS DISTINCT FROM NEW.authority_id OR OLD.host_school_id IS DISTINCT FROM NEW.host_school_id THEN
        INSERT INTO dash_rollup_stale (authority_id, month)
            SELECT DISTINCT t.authority_id, substr(m.meeting_date, 1, 7) FROM meetings m JOIN teams t ON t.id = m.team_id
            UNION SELECT OLD.authority_id, substr(m.meeting_date, 1, 7) FROM meetings m WHERE m.team_id = OLD.id
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_team_upd AFTER UPDATE OF authority_id, host_school_id ON teams FOR EACH ROW EXECUTE FUNCTION dash_stale_team_upd();
CREATE FUNCTION dash_stale_service_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.code IS DISTINCT FROM NEW.code OR OLD.name IS DISTINCT FROM NEW.name OR OLD.org_kind IS DISTINCT FROM NEW.org_kind THEN
        INSERT INTO dash_rollup_stale (authority_id, month)
            SELECT DISTINCT t.authority_id, substr(m.meeting_date, 1, 7) FROM meetings m JOIN teams t ON t.id = m.team_id
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_service_upd AFTER UPDATE OF code, name, org_kind ON services FOR EACH ROW EXECUTE FUNCTION dash_stale_service_upd();
CREATE FUNCTION dash_stale_practitioner_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.service_id IS DISTINCT FROM NEW.service_id THEN
        INSERT INTO dash_rollup_stale (authority_id, month)
            SELECT DISTINCT t.authority_id, substr(m.meeting_date, 1, 7) FROM meetings m JOIN teams t ON t.id = m.team_id
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_practitioner_upd AFTER UPDATE OF service_id ON practitioners FOR EACH ROW EXECUTE FUNCTION dash_stale_practitioner_upd();

DROP INDEX dash_rollup_authority;
CREATE INDEX dash_rollup_authority_month ON dash_rollup(authority_id, month);
