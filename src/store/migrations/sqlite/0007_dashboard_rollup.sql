-- 0007: the dashboard's figures per authority and month, so that a whole
-- authority's or all of England's dashboard over whole months reads a few
-- thousand rows instead of millions of cases and actions.  The rows are
-- derived data: store/q_dash_rollup.c rebuilds an authority's rows when
-- dash_rollup_fresh has no row for it, and the triggers below delete that
-- row whenever something the figures depend on changes.  Views filtered by
-- team or school, or over part of a month, read the records themselves.
CREATE TABLE dash_rollup_fresh (
    authority_id  INTEGER PRIMARY KEY REFERENCES authorities(id),
    built_at      INTEGER NOT NULL
);
CREATE TABLE dash_rollup (
    authority_id      INTEGER NOT NULL,   -- the authority of the meeting's team
    vis_authority_id  INTEGER NOT NULL,   -- what visibility is tested on: the team's
                                          -- authority (meetings), the pupil's school's (cases)
    phase             TEXT    NOT NULL,   -- the host school's (meetings), the pupil's school's (cases)
    month             TEXT    NOT NULL,   -- YYYY-MM of the meeting, or of the case's presentation
    dim               TEXT    NOT NULL,   -- what the row counts (q_dash_rollup.h)
    k1                TEXT    NOT NULL DEFAULT '',
    k2                TEXT    NOT NULL DEFAULT '',
    k3                TEXT    NOT NULL DEFAULT '',
    n1                INTEGER NOT NULL DEFAULT 0,
    n2                INTEGER NOT NULL DEFAULT 0,
    n3                INTEGER NOT NULL DEFAULT 0,
    n4                INTEGER NOT NULL DEFAULT 0,
    -- n1 is part of the key where it names something (a guest, an owner, a
    -- resource); elsewhere it is a count and the other columns are unique.
    PRIMARY KEY (dim, authority_id, month, phase, vis_authority_id, k1, k2, k3, n1)
) WITHOUT ROWID;   -- stored in key order: a reader's rows lie together
CREATE INDEX dash_rollup_authority ON dash_rollup(authority_id);

-- What makes an authority's rows stale.  A case counts for the authority of
-- the team whose meeting presented it, so changes to a case, its pupil or
-- its actions mark the authorities of the meetings that discussed it.
CREATE TRIGGER dash_stale_meeting_ins AFTER INSERT ON meetings BEGIN
    DELETE FROM dash_rollup_fresh WHERE authority_id = (SELECT authority_id FROM teams WHERE id = NEW.team_id);
END;
CREATE TRIGGER dash_stale_meeting_upd AFTER UPDATE OF team_id, meeting_date, status, mode ON meetings BEGIN
    DELETE FROM dash_rollup_fresh WHERE authority_id IN
        (SELECT authority_id FROM teams WHERE id IN (OLD.team_id, NEW.team_id));
END;
CREATE TRIGGER dash_stale_meeting_del AFTER DELETE ON meetings BEGIN
    DELETE FROM dash_rollup_fresh WHERE authority_id = (SELECT authority_id FROM teams WHERE id = OLD.team_id);
END;

CREATE TRIGGER dash_stale_attendance_ins AFTER INSERT ON attendance BEGIN
    DELETE FROM dash_rollup_fresh WHERE authority_id =
        (SELECT t.authority_id FROM meetings m JOIN teams t ON t.id = m.team_id WHERE m.id = NEW.meeting_id);
END;
CREATE TRIGGER dash_stale_attendance_upd AFTER UPDATE ON attendance BEGIN
    DELETE FROM dash_rollup_fresh WHERE authority_id IN
        (SELECT t.authority_id FROM meetings m JOIN teams t ON t.id = m.team_id
         WHERE m.id IN (OLD.meeting_id, NEW.meeting_id));
END;
CREATE TRIGGER dash_stale_attendance_del AFTER DELETE ON attendance BEGIN
    DELETE FROM dash_rollup_fresh WHERE authority_id =
        (SELECT t.authority_id FROM meetings m JOIN teams t ON t.id = m.team_id WHERE m.id = OLD.meeting_id);
END;

CREATE TRIGGER dash_stale_discussion_ins AFTER INSERT ON discussions BEGIN
    DELETE FROM dash_rollup_fresh WHERE authority_id IN
        (SELECT t.authority_id FROM discussions d JOIN meetings m ON m.id = d.meeting_id
         JOIN teams t ON t.id = m.team_id WHERE d.case_id = NEW.case_id);
END;
CREATE TRIGGER dash_stale_discussion_upd AFTER UPDATE OF meeting_id, case_id, kind ON discussions BEGIN
    DELETE FROM dash_rollup_fresh WHERE authority_id IN
        (SELECT t.authority_id FROM discussions d JOIN meetings m ON m.id = d.meeting_id
         JOIN teams t ON t.id = m.team_id WHERE d.case_id IN (OLD.case_id, NEW.case_id)
         UNION SELECT t.authority_id FROM meetings m JOIN teams t ON t.id = m.team_id
         WHERE m.id = OLD.meeting_id);
END;
CREATE TRIGGER dash_stale_discussion_del AFTER DELETE ON discussions BEGIN
    DELETE FROM dash_rollup_fresh WHERE authority_id IN
        (SELECT t.authority_id FROM discussions d JOIN meetings m ON m.id = d.meeting_id
         JOIN teams t ON t.id = m.team_id WHERE d.case_id = OLD.case_id
         UNION SELECT t.authority_id FROM meetings m JOIN teams t ON t.id = m.team_id
         WHERE m.id = OLD.meeting_id);
END;

CREATE TRIGGER dash_stale_case_upd AFTER UPDATE OF pupil_id, summary_before_meeting, ect_completed,
    prior_paediatrics, prior_mhst_camhs, prior_early_help, prior_cin, prior_cp, prior_lac,
    prior_sen_support, prior_ehcna, prior_ehcp, prior_suspensions, risk_pex ON cases BEGIN
    DELETE FROM dash_rollup_fresh WHERE authority_id IN
        (SELECT t.authority_id FROM discussions d JOIN meetings m ON m.id = d.meeting_id
         JOIN teams t ON t.id = m.team_id WHERE d.case_id = NEW.id);
END;
CREATE TRIGGER dash_stale_case_del AFTER DELETE ON cases BEGIN
    DELETE FROM dash_rollup_fresh WHERE authority_id IN
        (SELECT t.authority_id FROM discussions d JOIN meetings m ON m.id = d.meeting_id
         JOIN teams t ON t.id = m.team_id WHERE d.case_id = OLD.id);
END;

CREATE TRIGGER dash_stale_pupil_upd AFTER UPDATE OF school_id, gender, nc_year, ethnicity, sen_provision
    ON pupils BEGIN
    DELETE FROM dash_rollup_fresh WHERE authority_id IN
        (SELECT t.authority_id FROM cases c JOIN discussions d ON d.case_id = c.id
         JOIN meetings m ON m.id = d.meeting_id JOIN teams t ON t.id = m.team_id WHERE c.pupil_id = NEW.id);
END;

CREATE TRIGGER dash_stale_action_ins AFTER INSERT ON actions BEGIN
    DELETE FROM dash_rollup_fresh WHERE authority_id IN
        (SELECT t.authority_id FROM discussions d JOIN meetings m ON m.id = d.meeting_id
         JOIN teams t ON t.id = m.team_id WHERE d.case_id = NEW.case_id AND d.kind = 'new');
END;
CREATE TRIGGER dash_stale_action_upd AFTER UPDATE OF case_id, owner_service_id, owner_practitioner_id,
    setting, nature, resource_id ON actions BEGIN
    DELETE FROM dash_rollup_fresh WHERE authority_id IN
        (SELECT t.authority_id FROM discussions d JOIN meetings m ON m.id = d.meeting_id
         JOIN teams t ON t.id = m.team_id WHERE d.case_id IN (OLD.case_id, NEW.case_id) AND d.kind = 'new');
END;
CREATE TRIGGER dash_stale_action_del AFTER DELETE ON actions BEGIN
    DELETE FROM dash_rollup_fresh WHERE authority_id IN
        (SELECT t.authority_id FROM discussions d JOIN meetings m ON m.id = d.meeting_id
         JOIN teams t ON t.id = m.team_id WHERE d.case_id = OLD.case_id AND d.kind = 'new');
END;

CREATE TRIGGER dash_stale_member_ins AFTER INSERT ON team_members BEGIN
    DELETE FROM dash_rollup_fresh WHERE authority_id = (SELECT authority_id FROM teams WHERE id = NEW.team_id);
END;
CREATE TRIGGER dash_stale_member_upd AFTER UPDATE OF team_id, service_id ON team_members BEGIN
    DELETE FROM dash_rollup_fresh WHERE authority_id IN
        (SELECT authority_id FROM teams WHERE id IN (OLD.team_id, NEW.team_id));
END;
CREATE TRIGGER dash_stale_member_del AFTER DELETE ON team_members BEGIN
    DELETE FROM dash_rollup_fresh WHERE authority_id = (SELECT authority_id FROM teams WHERE id = OLD.team_id);
END;

-- Rare changes that can move rows between authorities or phases, or
-- rename what the rows are keyed by: every authority is rebuilt.
CREATE TRIGGER dash_stale_school_upd AFTER UPDATE OF authority_id, phase ON schools BEGIN
    DELETE FROM dash_rollup_fresh;
END;
CREATE TRIGGER dash_stale_team_upd AFTER UPDATE OF authority_id, host_school_id ON teams BEGIN
    DELETE FROM dash_rollup_fresh;
END;
CREATE TRIGGER dash_stale_service_upd AFTER UPDATE OF code, name, org_kind ON services BEGIN
    DELETE FROM dash_rollup_fresh;
END;
CREATE TRIGGER dash_stale_practitioner_upd AFTER UPDATE OF service_id ON practitioners BEGIN
    DELETE FROM dash_rollup_fresh;
END;
