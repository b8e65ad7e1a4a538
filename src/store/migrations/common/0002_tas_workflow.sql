-- 0002: the Team Around the School workflow: services and practitioners,
-- term dates, teams and their schedule, parental consent, cases with their
-- standard summary, meetings (attendance, agenda, minutes), actions, the
-- signposting playbook, referrals.
-- Optional yes/no facts are NULL when not recorded, so gaps stay visible.

CREATE TABLE services (
    id            INTEGER PRIMARY KEY,
    authority_id  INTEGER NOT NULL REFERENCES authorities(id),
    code          TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    org_kind      TEXT    NOT NULL CHECK (org_kind IN ('school', 'local_authority', 'health', 'other')),
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    UNIQUE (authority_id, code)
);

CREATE TABLE practitioners (
    id            INTEGER PRIMARY KEY,
    authority_id  INTEGER NOT NULL REFERENCES authorities(id),
    service_id    INTEGER NOT NULL REFERENCES services(id),
    school_id     INTEGER REFERENCES schools(id),
    user_id       INTEGER REFERENCES users(id),
    name          TEXT    NOT NULL,
    job_title     TEXT    NOT NULL DEFAULT '',
    email         TEXT    NOT NULL DEFAULT '',
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX practitioners_service ON practitioners(service_id);
CREATE INDEX practitioners_user ON practitioners(user_id);

-- Six half-terms a year; the gaps between them are holidays.
CREATE TABLE term_dates (
    id             INTEGER PRIMARY KEY,
    authority_id   INTEGER NOT NULL REFERENCES authorities(id),
    academic_year  INTEGER NOT NULL,
    half_term      INTEGER NOT NULL CHECK (half_term BETWEEN 1 AND 6),
    starts_on      TEXT    NOT NULL,
    ends_on        TEXT    NOT NULL,
    UNIQUE (authority_id, academic_year, half_term)
);

-- Days inside a half-term when schools are closed (bank holidays, training days).
CREATE TABLE closure_days (
    id            INTEGER PRIMARY KEY,
    authority_id  INTEGER NOT NULL REFERENCES authorities(id),
    closed_on     TEXT    NOT NULL,
    reason        TEXT    NOT NULL DEFAULT '',
    UNIQUE (authority_id, closed_on)
);

CREATE TABLE teams (
    id                        INTEGER PRIMARY KEY,
    authority_id              INTEGER NOT NULL REFERENCES authorities(id),
    host_school_id            INTEGER NOT NULL REFERENCES schools(id),
    name                      TEXT    NOT NULL,
    chair_name                TEXT    NOT NULL DEFAULT '',
    strategic_lead_user_id    INTEGER REFERENCES users(id),
    case_coordinator_user_id  INTEGER REFERENCES users(id),
    cadence                   TEXT    NOT NULL CHECK (cadence IN
                                  ('fortnightly', 'three_weekly', 'half_termly', 'twice_half_termly', 'dates')),
    weekday                   INTEGER NOT NULL DEFAULT 3 CHECK (weekday BETWEEN 1 AND 5),
    start_time                TEXT    NOT NULL DEFAULT '13:30',
    duration_minutes          INTEGER NOT NULL DEFAULT 90,
    location                  TEXT    NOT NULL DEFAULT '',
    active                    INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at                INTEGER NOT NULL,
    updated_at                INTEGER NOT NULL
);
CREATE INDEX teams_authority ON teams(authority_id);

-- The host school and any cluster or feeder schools.
CREATE TABLE team_schools (
    team_id    INTEGER NOT NULL REFERENCES teams(id),
    school_id  INTEGER NOT NULL REFERENCES schools(id),
    PRIMARY KEY (team_id, school_id)
);
CREATE INDEX team_schools_school ON team_schools(school_id);

-- Core membership by service, optionally naming the practitioner.
CREATE TABLE team_members (
    id               INTEGER PRIMARY KEY,
    team_id          INTEGER NOT NULL REFERENCES teams(id),
    service_id       INTEGER NOT NULL REFERENCES services(id),
    practitioner_id  INTEGER REFERENCES practitioners(id),
    UNIQUE (team_id, service_id)
);

CREATE TABLE consents (
    id                 INTEGER PRIMARY KEY,
    pupil_id           INTEGER NOT NULL REFERENCES pupils(id),
    given_by           TEXT    NOT NULL,
    relationship       TEXT    NOT NULL,
    given_on           TEXT    NOT NULL,
    covers_discussion  INTEGER NOT NULL DEFAULT 1 CHECK (covers_discussion IN (0, 1)),
    recorded_by        INTEGER REFERENCES users(id),
    withdrawn_on       TEXT,
    withdrawal_reason  TEXT    NOT NULL DEFAULT '',
    withdrawn_by       INTEGER REFERENCES users(id),
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);
CREATE INDEX consents_pupil ON consents(pupil_id);

-- Services the family agreed information may be shared with.
CREATE TABLE consent_services (
    consent_id  INTEGER NOT NULL REFERENCES consents(id),
    service_id  INTEGER NOT NULL REFERENCES services(id),
    PRIMARY KEY (consent_id, service_id)
);

CREATE TABLE cases (
    id                       INTEGER PRIMARY KEY,
    pupil_id                 INTEGER NOT NULL REFERENCES pupils(id),
    team_id                  INTEGER NOT NULL REFERENCES teams(id),
    status                   TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    opened_on                TEXT    NOT NULL,
    closed_on                TEXT,
    closure_reason           TEXT    NOT NULL DEFAULT '',
    strengths                TEXT    NOT NULL DEFAULT '',
    tried                    TEXT    NOT NULL DEFAULT '',
    child_voice              TEXT    NOT NULL DEFAULT '',
    parent_voice             TEXT    NOT NULL DEFAULT '',
    hoped_outcomes           TEXT    NOT NULL DEFAULT '',
    prior_paediatrics        INTEGER CHECK (prior_paediatrics IN (0, 1)),
    prior_mhst_camhs         INTEGER CHECK (prior_mhst_camhs IN (0, 1)),
    prior_early_help         INTEGER CHECK (prior_early_help IN (0, 1)),
    prior_cin                INTEGER CHECK (prior_cin IN (0, 1)),
    prior_cp                 INTEGER CHECK (prior_cp IN (0, 1)),
    prior_lac                INTEGER CHECK (prior_lac IN (0, 1)),
    prior_sen_support        INTEGER CHECK (prior_sen_support IN (0, 1)),
    prior_ehcna              INTEGER CHECK (prior_ehcna IN (0, 1)),
    prior_ehcp               INTEGER CHECK (prior_ehcp IN (0, 1)),
    prior_suspensions        INTEGER CHECK (prior_suspensions IN (0, 1)),
    risk_pex                 INTEGER CHECK (risk_pex IN (0, 1)),
    summary_before_meeting   INTEGER CHECK (summary_before_meeting IN (0, 1)),
    ect_completed            INTEGER CHECK (ect_completed IN (0, 1)),
    created_by               INTEGER REFERENCES users(id),
    created_at               INTEGER NOT NULL,
    updated_at               INTEGER NOT NULL
);
CREATE INDEX cases_pupil ON cases(pupil_id);
CREATE INDEX cases_team ON cases(team_id, status);

-- Presenting needs, one text per area of need.
CREATE TABLE case_needs (
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    area         TEXT    NOT NULL,
    description  TEXT    NOT NULL,
    PRIMARY KEY (case_id, area)
);

CREATE TABLE meetings (
    id             INTEGER PRIMARY KEY,
    team_id        INTEGER NOT NULL REFERENCES teams(id),
    meeting_date   TEXT    NOT NULL,
    start_time     TEXT    NOT NULL,
    status         TEXT    NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'held', 'cancelled')),
    cancel_reason  TEXT    NOT NULL DEFAULT '',
    mode           TEXT    NOT NULL DEFAULT 'in_person' CHECK (mode IN ('in_person', 'online')),
    notes          TEXT    NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    UNIQUE (team_id, meeting_date, start_time)
);
CREATE INDEX meetings_date ON meetings(meeting_date);

CREATE TABLE attendance (
    id               INTEGER PRIMARY KEY,
    meeting_id       INTEGER NOT NULL REFERENCES meetings(id),
    service_id       INTEGER REFERENCES services(id),
    practitioner_id  INTEGER REFERENCES practitioners(id),
    person_name      TEXT    NOT NULL DEFAULT '',
    role             TEXT    NOT NULL DEFAULT '',
    status           TEXT    NOT NULL CHECK (status IN ('present', 'apologies', 'absent')),
    guest            INTEGER NOT NULL DEFAULT 0 CHECK (guest IN (0, 1))
);
CREATE INDEX attendance_meeting ON attendance(meeting_id);

-- A case on a meeting's agenda, and what was said about it.
CREATE TABLE discussions (
    id               INTEGER PRIMARY KEY,
    meeting_id       INTEGER NOT NULL REFERENCES meetings(id),
    case_id          INTEGER NOT NULL REFERENCES cases(id),
    kind             TEXT    NOT NULL CHECK (kind IN ('new', 'review')),
    position         INTEGER NOT NULL DEFAULT 0,
    minutes          TEXT    NOT NULL DEFAULT '',
    feedback_on      TEXT,
    feedback_method  TEXT    NOT NULL DEFAULT '',
    feedback_by      TEXT    NOT NULL DEFAULT '',
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    UNIQUE (meeting_id, case_id)
);
CREATE INDEX discussions_case ON discussions(case_id);

-- The playbook of signposting resources, written once and chosen from.
CREATE TABLE resources (
    id            INTEGER PRIMARY KEY,
    authority_id  INTEGER NOT NULL REFERENCES authorities(id),
    title         TEXT    NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('course', 'workshop', 'guidance', 'website', 'service', 'other')),
    audience      TEXT    NOT NULL CHECK (audience IN ('school', 'parents', 'both')),
    url           TEXT    NOT NULL DEFAULT '',
    description   TEXT    NOT NULL DEFAULT '',
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

CREATE TABLE actions (
    id                     INTEGER PRIMARY KEY,
    case_id                INTEGER NOT NULL REFERENCES cases(id),
    discussion_id          INTEGER REFERENCES discussions(id),
    description            TEXT    NOT NULL,
    owner_service_id       INTEGER REFERENCES services(id),
    owner_practitioner_id  INTEGER REFERENCES practitioners(id),
    owner_name             TEXT    NOT NULL DEFAULT '',
    setting                TEXT    NOT NULL CHECK (setting IN ('school', 'home', 'health', 'social_care', 'other')),
    nature                 TEXT    NOT NULL CHECK (nature IN ('coordination', 'signposting_school',
                               'signposting_parents', 'school_adjustment', 'advice', 'referral',
                               'assessment', 'other')),
    resource_id            INTEGER REFERENCES resources(id),
    due_on                 TEXT,
    status                 TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'not_done')),
    not_done_reason        TEXT    NOT NULL DEFAULT '',
    outcome                TEXT    NOT NULL DEFAULT '',
    closed_on              TEXT,
    created_at             INTEGER NOT NULL,
    updated_at             INTEGER NOT NULL
);
CREATE INDEX actions_case ON actions(case_id);
CREATE INDEX actions_owner ON actions(owner_practitioner_id, status);
CREATE INDEX actions_due ON actions(status, due_on);

CREATE TABLE referrals (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    action_id    INTEGER REFERENCES actions(id),
    service_id   INTEGER NOT NULL REFERENCES services(id),
    referred_on  TEXT    NOT NULL,
    outcome      TEXT    NOT NULL DEFAULT 'pending' CHECK (outcome IN ('pending', 'accepted', 'declined', 'redirected')),
    outcome_on   TEXT,
    notes        TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX referrals_case ON referrals(case_id);
