-- 0008: the rollup goes stale a month at a time.  Rebuilding a whole
-- authority after each change cost about 0.25 s for a large one; most
-- changes touch one month (this month's meetings, or the month a case was
-- presented), and rebuilding one month costs a tenth of that.  A row in
-- dash_rollup_stale says an (authority, month) must be rebuilt before the
-- rollup is read for it; the rows are fresh otherwise.  The triggers name
-- the months a change can alter; when unsure they name more, never fewer.
DROP TRIGGER dash_stale_meeting_ins;
DROP TRIGGER dash_stale_meeting_upd;
DROP TRIGGER dash_stale_meeting_del;
DROP TRIGGER dash_stale_attendance_ins;
DROP TRIGGER dash_stale_attendance_upd;
DROP TRIGGER dash_stale_attendance_del;
DROP TRIGGER dash_stale_discussion_ins;
DROP TRIGGER dash_stale_discussion_upd;
DROP TRIGGER dash_stale_discussion_del;
DROP TRIGGER dash_stale_case_upd;
DROP TRIGGER dash_stale_case_del;
DROP TRIGGER dash_stale_pupil_upd;
DROP TRIGGER dash_stale_action_ins;
DROP TRIGGER dash_stale_action_upd;
DROP TRIGGER dash_stale_action_del;
DROP TRIGGER dash_stale_member_ins;
DROP TRIGGER dash_stale_member_upd;
DROP TRIGGER dash_stale_member_del;
DROP TRIGGER dash_stale_school_upd;
DROP TRIGGER dash_stale_team_upd;
DROP TRIGGER dash_stale_service_upd;
DROP TRIGGER dash_stale_practitioner_upd;
DROP TABLE dash_rollup_fresh;
DELETE FROM dash_rollup;

CREATE TABLE dash_rollup_stale (
    authority_id  INTEGER NOT NULL,
    month         TEXT    NOT NULL,       -- YYYY-MM
    PRIMARY KEY (authority_id, month)
) WITHOUT ROWID;
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

CREATE TRIGGER dash_stale_meeting_ins AFTER INSERT ON meetings BEGIN
    INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
        SELECT authority_id, substr(NEW.meeting_date, 1, 7) FROM teams WHERE id = NEW.team_id;
END;
-- A meeting moved, held or cancelled: its months, and the cases discussed at
-- it (their presentation may now be another meeting).
CREATE TRIGGER dash_stale_meeting_upd AFTER UPDATE OF team_id, meeting_date, status, mode ON meetings
    WHEN OLD.team_id IS NOT NEW.team_id OR OLD.meeting_date IS NOT NEW.meeting_date
      OR OLD.status IS NOT NEW.status OR OLD.mode IS NOT NEW.mode BEGIN
    INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
        SELECT authority_id, substr(OLD.meeting_date, 1, 7) FROM teams WHERE id = OLD.team_id
        UNION SELECT authority_id, substr(NEW.meeting_date, 1, 7) FROM teams WHERE id = NEW.team_id
        UNION SELECT cm.authority_id, cm.month FROM dash_case_months cm
              WHERE cm.case_id IN (SELECT case_id FROM discussions WHERE meeting_id = NEW.id);
END;
CREATE TRIGGER dash_stale_meeting_del AFTER DELETE ON meetings BEGIN
    INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
        SELECT authority_id, substr(OLD.meeting_date, 1, 7) FROM teams WHERE id = OLD.team_id;
END;

CREATE TRIGGER dash_stale_attendance_ins AFTER INSERT ON attendance BEGIN
    INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
        SELECT t.authority_id, substr(m.meeting_date, 1, 7) FROM meetings m JOIN teams t ON t.id = m.team_id
        WHERE m.id = NEW.meeting_id;
END;
CREATE TRIGGER dash_stale_attendance_upd AFTER UPDATE ON attendance BEGIN
    INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
        SELECT t.authority_id, substr(m.meeting_date, 1, 7) FROM meetings m JOIN teams t ON t.id = m.team_id
        WHERE m.id IN (OLD.meeting_id, NEW.meeting_id);
END;
CREATE TRIGGER dash_stale_attendance_del AFTER DELETE ON attendance BEGIN
    INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
        SELECT t.authority_id, substr(m.meeting_date, 1, 7) FROM meetings m JOIN teams t ON t.id = m.team_id
        WHERE m.id = OLD.meeting_id;
END;

-- A discussion: its own meeting's month (it may now be the presentation)
-- and the months of the case's other 'new' discussions (one may have been).
CREATE TRIGGER dash_stale_discussion_ins AFTER INSERT ON discussions BEGIN
    INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
        SELECT t.authority_id, substr(m.meeting_date, 1, 7) FROM meetings m JOIN teams t ON t.id = m.team_id
        WHERE m.id = NEW.meeting_id
        UNION SELECT authority_id, month FROM dash_case_months WHERE case_id = NEW.case_id;
END;
CREATE TRIGGER dash_stale_discussion_upd AFTER UPDATE OF meeting_id, case_id, kind ON discussions BEGIN
    INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
        SELECT t.authority_id, substr(m.meeting_date, 1, 7) FROM meetings m JOIN teams t ON t.id = m.team_id
        WHERE m.id IN (OLD.meeting_id, NEW.meeting_id)
        UNION SELECT authority_id, month FROM dash_case_months WHERE case_id IN (OLD.case_id, NEW.case_id);
END;
CREATE TRIGGER dash_stale_discussion_del AFTER DELETE ON discussions BEGIN
    INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
        SELECT t.authority_id, substr(m.meeting_date, 1, 7) FROM meetings m JOIN teams t ON t.id = m.team_id
        WHERE m.id = OLD.meeting_id
        UNION SELECT authority_id, month FROM dash_case_months WHERE case_id = OLD.case_id;
END;

CREATE TRIGGER dash_stale_case_upd AFTER UPDATE OF pupil_id, summary_before_meeting, ect_completed,
    prior_paediatrics, prior_mhst_camhs, prior_early_help, prior_cin, prior_cp, prior_lac,
    prior_sen_support, prior_ehcna, prior_ehcp, prior_suspensions, risk_pex ON cases
    WHEN OLD.pupil_id IS NOT NEW.pupil_id OR OLD.summary_before_meeting IS NOT NEW.summary_before_meeting
      OR OLD.ect_completed IS NOT NEW.ect_completed OR OLD.prior_paediatrics IS NOT NEW.prior_paediatrics
      OR OLD.prior_mhst_camhs IS NOT NEW.prior_mhst_camhs OR OLD.prior_early_help IS NOT NEW.prior_early_help
      OR OLD.prior_cin IS NOT NEW.prior_cin OR OLD.prior_cp IS NOT NEW.prior_cp OR OLD.prior_lac IS NOT NEW.prior_lac
      OR OLD.prior_sen_support IS NOT NEW.prior_sen_support OR OLD.prior_ehcna IS NOT NEW.prior_ehcna
      OR OLD.prior_ehcp IS NOT NEW.prior_ehcp OR OLD.prior_suspensions IS NOT NEW.prior_suspensions
      OR OLD.risk_pex IS NOT NEW.risk_pex BEGIN
    INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
        SELECT authority_id, month FROM dash_case_months WHERE case_id = NEW.id;
END;
CREATE TRIGGER dash_stale_case_del AFTER DELETE ON cases BEGIN
    INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
        SELECT authority_id, month FROM dash_case_months WHERE case_id = OLD.id;
END;

CREATE TRIGGER dash_stale_pupil_upd AFTER UPDATE OF school_id, gender, nc_year, ethnicity, sen_provision ON pupils
    WHEN OLD.school_id IS NOT NEW.school_id OR OLD.gender IS NOT NEW.gender OR OLD.nc_year IS NOT NEW.nc_year
      OR OLD.ethnicity IS NOT NEW.ethnicity OR OLD.sen_provision IS NOT NEW.sen_provision BEGIN
    INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
        SELECT cm.authority_id, cm.month FROM cases c JOIN dash_case_months cm ON cm.case_id = c.id
        WHERE c.pupil_id = NEW.id;
END;

CREATE TRIGGER dash_stale_action_ins AFTER INSERT ON actions BEGIN
    INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
        SELECT authority_id, month FROM dash_case_months WHERE case_id = NEW.case_id;
END;
CREATE TRIGGER dash_stale_action_upd AFTER UPDATE OF case_id, owner_service_id, owner_practitioner_id,
    setting, nature, resource_id ON actions
    WHEN OLD.case_id IS NOT NEW.case_id OR OLD.owner_service_id IS NOT NEW.owner_service_id
      OR OLD.owner_practitioner_id IS NOT NEW.owner_practitioner_id OR OLD.setting IS NOT NEW.setting
      OR OLD.nature IS NOT NEW.nature OR OLD.resource_id IS NOT NEW.resource_id BEGIN
    INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
        SELECT authority_id, month FROM dash_case_months WHERE case_id IN (OLD.case_id, NEW.case_id);
END;
CREATE TRIGGER dash_stale_action_del AFTER DELETE ON actions BEGIN
    INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
        SELECT authority_id, month FROM dash_case_months WHERE case_id = OLD.case_id;
END;

-- Core members count at every meeting of their team.
CREATE TRIGGER dash_stale_member_ins AFTER INSERT ON team_members BEGIN
    INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
        SELECT DISTINCT t.authority_id, substr(m.meeting_date, 1, 7) FROM meetings m JOIN teams t ON t.id = m.team_id
        WHERE m.team_id = NEW.team_id;
END;
CREATE TRIGGER dash_stale_member_upd AFTER UPDATE OF team_id, service_id ON team_members BEGIN
    INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
        SELECT DISTINCT t.authority_id, substr(m.meeting_date, 1, 7) FROM meetings m JOIN teams t ON t.id = m.team_id
        WHERE m.team_id IN (OLD.team_id, NEW.team_id);
END;
CREATE TRIGGER dash_stale_member_del AFTER DELETE ON team_members BEGIN
    INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
        SELECT DISTINCT t.authority_id, substr(m.meeting_date, 1, 7) FROM meetings m JOIN teams t ON t.id = m.team_id
        WHERE m.team_id = OLD.team_id;
END;

-- Rare changes that can move rows between authorities or phases, or rename
-- what the rows are keyed by: every month of every authority.
CREATE TRIGGER dash_stale_school_upd AFTER UPDATE OF authority_id, phase ON schools
    WHEN OLD.authority_id IS NOT NEW.authority_id OR OLD.phase IS NOT NEW.phase BEGIN
    INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
        SELECT DISTINCT t.authority_id, substr(m.meeting_date, 1, 7) FROM meetings m JOIN teams t ON t.id = m.team_id;
END;
CREATE TRIGGER dash_stale_team_upd AFTER UPDATE OF authority_id, host_school_id ON teams
    WHEN OLD.authority_id IS NOT NEW.authority_id OR OLD.host_school_id IS NOT NEW.host_school_id BEGIN
    INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
        SELECT DISTINCT t.authority_id, substr(m.meeting_date, 1, 7) FROM meetings m JOIN teams t ON t.id = m.team_id
        UNION SELECT OLD.authority_id, substr(m.meeting_date, 1, 7) FROM meetings m WHERE m.team_id = OLD.id;
END;
CREATE TRIGGER dash_stale_service_upd AFTER UPDATE OF code, name, org_kind ON services
    WHEN OLD.code IS NOT NEW.code OR OLD.name IS NOT NEW.name OR OLD.org_kind IS NOT NEW.org_kind BEGIN
    INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
        SELECT DISTINCT t.authority_id, substr(m.meeting_date, 1, 7) FROM meetings m JOIN teams t ON t.id = m.team_id;
END;
CREATE TRIGGER dash_stale_practitioner_upd AFTER UPDATE OF service_id ON practitioners
    WHEN OLD.service_id IS NOT NEW.service_id BEGIN
    INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
        SELECT DISTINCT t.authority_id, substr(m.meeting_date, 1, 7) FROM meetings m JOIN teams t ON t.id = m.team_id;
END;

DROP INDEX dash_rollup_authority;
CREATE INDEX dash_rollup_authority_month ON dash_rollup(authority_id, month);
