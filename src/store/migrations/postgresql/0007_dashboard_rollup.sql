-- PostgreSQL dialect of ../sqlite/0007_dashboard_rollup.sql (the same history: same tables,
-- columns and number; docs/postgresql.md says what differs and why).
-- 0007: the dashboard's figures per authority and month, so that a whole
-- authority's or all of England's dashboard over whole months reads a few
-- thousand rows instead of millions of cases and actions.  The rows are
-- derived data: store/q_dash_rollup.c rebuilds an authority's rows when
-- dash_rollup_fresh has no row for it, and the triggers below delete that
-- row whenever something the figures depend on changes.  Views filtered by
-- team or school, or over part of a month, read the records themselves.
CREATE TABLE dash_rollup_fresh (
    authority_id  BIGINT PRIMARY KEY REFERENCES authorities(id),
    built_at      BIGINT NOT NULL
);
CREATE TABLE dash_rollup (
    authority_id      BIGINT NOT NULL,   -- the authority of the meeting's team
    vis_authority_id  BIGINT NOT NULL,   -- what visibility is tested on: the team's
                                          -- authority (meetings), the pupil's school's (cases)
    phase             TEXT    NOT NULL,   -- the host school's (meetings), the pupil's school's (cases)
    month             TEXT    NOT NULL,   -- YYYY-MM of the meeting, or of the case's presentation
    dim               TEXT    NOT NULL,   -- what the row counts (q_dash_rollup.h)
    k1                TEXT    NOT NULL DEFAULT '',
    k2                TEXT    NOT NULL DEFAULT '',
    k3                TEXT    NOT NULL DEFAULT '',
    n1                BIGINT NOT NULL DEFAULT 0,
    n2                BIGINT NOT NULL DEFAULT 0,
    n3                BIGINT NOT NULL DEFAULT 0,
    n4                BIGINT NOT NULL DEFAULT 0,
    -- n1 is part of the key where it names something (a guest, an owner, a
    -- resource); elsewhere it is a count and the other columns are unique.
    PRIMARY KEY (dim, authority_id, month, phase, vis_authority_id, k1, k2, k3, n1)
);   -- stored in key order: a reader's rows lie together
CREATE INDEX dash_rollup_authority ON dash_rollup(authority_id);

-- What makes an authority's rows stale.  A case counts for the authority of
-- the team whose meeting presented it, so changes to a case, its pupil or
-- its actions mark the authorities of the meetings that discussed it.
CREATE FUNCTION dash_stale_meeting_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    DELETE FROM dash_rollup_fresh WHERE authority_id = (SELECT authority_id FROM teams WHERE id = NEW.team_id);
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_meeting_ins AFTER INSERT ON meetings FOR EACH ROW EXECUTE FUNCTION dash_stale_meeting_ins();
CREATE FUNCTION dash_stale_meeting_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    DELETE FROM dash_rollup_fresh WHERE authority_id IN
        (SELECT authority_id FROM teams WHERE id IN (OLD.team_id, NEW.team_id));
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_meeting_upd AFTER UPDATE OF team_id, meeting_date, status, mode ON meetings FOR EACH ROW EXECUTE FUNCTION dash_stale_meeting_upd();
CREATE FUNCTION dash_stale_meeting_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    DELETE FROM dash_rollup_fresh WHERE authority_id = (SELECT authority_id FROM teams WHERE id = OLD.team_id);
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_meeting_del AFTER DELETE ON meetings FOR EACH ROW EXECUTE FUNCTION dash_stale_meeting_del();

CREATE FUNCTION dash_stale_attendance_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    DELETE FROM dash_rollup_fresh WHERE authority_id =
        (SELECT t.authority_id FROM meetings m JOIN teams t ON t.id = m.team_id WHERE m.id = NEW.meeting_id);
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_attendance_ins AFTER INSERT ON attendance FOR EACH ROW EXECUTE FUNCTION dash_stale_attendance_ins();
CREATE FUNCTION dash_stale_attendance_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    DELETE FROM dash_rollup_fresh WHERE authority_id IN
        (SELECT t.authority_id FROM meetings m JOIN teams t ON t.id = m.team_id
         WHERE m.id IN (OLD.meeting_id, NEW.meeting_id));
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_attendance_upd AFTER UPDATE ON attendance FOR EACH ROW EXECUTE FUNCTION dash_stale_attendance_upd();
CREATE FUNCTION dash_stale_attendance_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    DELETE FROM dash_rollup_fresh WHERE authority_id =
        (SELECT t.authority_id FROM meetings m JOIN teams t ON t.id = m.team_id WHERE m.id = OLD.meeting_id);
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_attendance_del AFTER DELETE ON attendance FOR EACH ROW EXECUTE FUNCTION dash_stale_attendance_del();

CREATE FUNCTION dash_stale_discussion_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    DELETE FROM dash_rollup_fresh WHERE authority_id IN
        (SELECT t.authority_id FROM discussions d JOIN meetings m ON m.id = d.meeting_id
         JOIN teams t ON t.id = m.team_id WHERE d.case_id = NEW.case_id);
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_discussion_ins AFTER INSERT ON discussions FOR EACH ROW EXECUTE FUNCTION dash_stale_discussion_ins();
CREATE FUNCTION dash_stale_discussion_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    DELETE FROM dash_rollup_fresh WHERE authority_id IN
        (SELECT t.authority_id FROM discussions d JOIN meetings m ON m.id = d.meeting_id
         JOIN teams t ON t.id = m.team_id WHERE d.case_id IN (OLD.case_id, NEW.case_id)
         UNION SELECT t.authority_id FROM meetings m JOIN teams t ON t.id = m.team_id
         WHERE m.id = OLD.meeting_id);
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_discussion_upd AFTER UPDATE OF meeting_id, case_id, kind ON discussions FOR EACH ROW EXECUTE FUNCTION dash_stale_discussion_upd();
CREATE FUNCTION dash_stale_discussion_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    DELETE FROM dash_rollup_fresh WHERE authority_id IN
        (SELECT t.authority_id FROM discussions d JOIN meetings m ON m.id = d.meeting_id
         JOIN teams t ON t.id = m.team_id WHERE d.case_id = OLD.case_id
         UNION SELECT t.authority_id FROM meetings m JOIN teams t ON t.id = m.team_id
         WHERE m.id = OLD.meeting_id);
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_discussion_del AFTER DELETE ON discussions FOR EACH ROW EXECUTE FUNCTION dash_stale_discussion_del();

CREATE FUNCTION dash_stale_case_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    DELETE FROM dash_rollup_fresh WHERE authority_id IN
        (SELECT t.authority_id FROM discussions d JOIN meetings m ON m.id = d.meeting_id
         JOIN teams t ON t.id = m.team_id WHERE d.case_id = NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_case_upd AFTER UPDATE OF pupil_id, summary_before_meeting, ect_completed, prior_paediatrics, prior_mhst_camhs, prior_early_help, prior_cin, prior_cp, prior_lac, prior_sen_support, prior_ehcna, prior_ehcp, prior_suspensions, risk_pex ON cases FOR EACH ROW EXECUTE FUNCTION dash_stale_case_upd();
CREATE FUNCTION dash_stale_case_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    DELETE FROM dash_rollup_fresh WHERE authority_id IN
        (SELECT t.authority_id FROM discussions d JOIN meetings m ON m.id = d.meeting_id
         JOIN teams t ON t.id = m.team_id WHERE d.case_id = OLD.id);
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_case_del AFTER DELETE ON cases FOR EACH ROW EXECUTE FUNCTION dash_stale_case_del();

CREATE FUNCTION dash_stale_pupil_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    DELETE FROM dash_rollup_fresh WHERE authority_id IN
        (SELECT t.authority_id FROM cases c JOIN discussions d ON d.case_id = c.id
         JOIN meetings m ON m.id = d.meeting_id JOIN teams t ON t.id = m.team_id WHERE c.pupil_id = NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_pupil_upd AFTER UPDATE OF school_id, gender, nc_year, ethnicity, sen_provision ON pupils FOR EACH ROW EXECUTE FUNCTION dash_stale_pupil_upd();

CREATE FUNCTION dash_stale_action_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    DELETE FROM dash_rollup_fresh WHERE authority_id IN
        (SELECT t.authority_id FROM discussions d JOIN meetings m ON m.id = d.meeting_id
         JOIN teams t ON t.id = m.team_id WHERE d.case_id = NEW.case_id AND d.kind = 'new');
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_action_ins AFTER INSERT ON actions FOR EACH ROW EXECUTE FUNCTION dash_stale_action_ins();
CREATE FUNCTION dash_stale_action_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    DELETE FROM dash_rollup_fresh WHERE authority_id IN
        (SELECT t.authority_id FROM discussions d JOIN meetings m ON m.id = d.meeting_id
         JOIN teams t ON t.id = m.team_id WHERE d.case_id IN (OLD.case_id, NEW.case_id) AND d.kind = 'new');
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_action_upd AFTER UPDATE OF case_id, owner_service_id, owner_practitioner_id, setting, nature, resource_id ON actions FOR EACH ROW EXECUTE FUNCTION dash_stale_action_upd();
CREATE FUNCTION dash_stale_action_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    DELETE FROM dash_rollup_fresh WHERE authority_id IN
        (SELECT t.authority_id FROM discussions d JOIN meetings m ON m.id = d.meeting_id
         JOIN teams t ON t.id = m.team_id WHERE d.case_id = OLD.case_id AND d.kind = 'new');
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_action_del AFTER DELETE ON actions FOR EACH ROW EXECUTE FUNCTION dash_stale_action_del();

CREATE FUNCTION dash_stale_member_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    DELETE FROM dash_rollup_fresh WHERE authority_id = (SELECT authority_id FROM teams WHERE id = NEW.team_id);
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_member_ins AFTER INSERT ON team_members FOR EACH ROW EXECUTE FUNCTION dash_stale_member_ins();
CREATE FUNCTION dash_stale_member_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    DELETE FROM dash_rollup_fresh WHERE authority_id IN
        (SELECT authority_id FROM teams WHERE id IN (OLD.team_id, NEW.team_id));
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_member_upd AFTER UPDATE OF team_id, service_id ON team_members FOR EACH ROW EXECUTE FUNCTION dash_stale_member_upd();
CREATE FUNCTION dash_stale_member_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    DELETE FROM dash_rollup_fresh WHERE authority_id = (SELECT authority_id FROM teams WHERE id = OLD.team_id);
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_member_del AFTER DELETE ON team_members FOR EACH ROW EXECUTE FUNCTION dash_stale_member_del();

-- Rare changes that can move rows between authorities or phases, or
-- rename what the rows are keyed by: every authority is rebuilt.
CREATE FUNCTION dash_stale_school_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    DELETE FROM dash_rollup_fresh;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_school_upd AFTER UPDATE OF authority_id, phase ON schools FOR EACH ROW EXECUTE FUNCTION dash_stale_school_upd();
CREATE FUNCTION dash_stale_team_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    DELETE FROM dash_rollup_fresh;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_team_upd AFTER UPDATE OF authority_id, host_school_id ON teams FOR EACH ROW EXECUTE FUNCTION dash_stale_team_upd();
CREATE FUNCTION dash_stale_service_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    DELETE FROM dash_rollup_fresh;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_service_upd AFTER UPDATE OF code, name, org_kind ON services FOR EACH ROW EXECUTE FUNCTION dash_stale_service_upd();
CREATE FUNCTION dash_stale_practitioner_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN

    DELETE FROM dash_rollup_fresh;
    RETURN NULL;
END $$;
CREATE TRIGGER dash_stale_practitioner_upd AFTER UPDATE OF service_id ON practitioners FOR EACH ROW EXECUTE FUNCTION dash_stale_practitioner_upd();
