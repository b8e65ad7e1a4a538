-- 0020: Alternative Provision Specialist Taskforces (DfE, "Alternative
-- provision specialist taskforces (APST): implementation advice", March
-- 2024).  A taskforce is a team (teams, team_schools) hosted by an AP
-- school, so its weekly case meetings are the team's meetings and access
-- goes by the team; the rows below are what only a taskforce has.
-- Codes are those of core/apst.c.  FTE is kept in hundredths (0.6 FTE = 60)
-- and time in minutes, so every figure is a whole number.

CREATE TABLE apst_taskforces (
    id             INTEGER PRIMARY KEY,
    team_id        INTEGER NOT NULL UNIQUE REFERENCES teams(id),
    manager_name   TEXT    NOT NULL,
    manager_fte    INTEGER NOT NULL DEFAULT 0 CHECK (manager_fte BETWEEN 0 AND 100),
    started_on     TEXT    NOT NULL,
    created_by     INTEGER REFERENCES users(id),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);

CREATE TABLE apst_specialists (
    id             INTEGER PRIMARY KEY,
    taskforce_id   INTEGER NOT NULL REFERENCES apst_taskforces(id),
    kind           TEXT    NOT NULL CHECK (kind IN ('mental_health', 'youth_family', 'ed_psych',
                       'salt', 'post16', 'youth_justice', 'other')),
    name           TEXT    NOT NULL,
    fte            INTEGER NOT NULL CHECK (fte BETWEEN 1 AND 100),
    days_on_site   INTEGER NOT NULL CHECK (days_on_site BETWEEN 0 AND 5),
    home_service   TEXT    NOT NULL DEFAULT '',
    funding        TEXT    NOT NULL CHECK (funding IN ('secondment', 'joint', 'direct')),
    supervision    TEXT    NOT NULL CHECK (supervision IN ('manager', 'home_clinical', 'other')),
    starts_on      TEXT    NOT NULL,
    ends_on        TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX apst_specialists_taskforce ON apst_specialists(taskforce_id);

CREATE TABLE apst_agreements (
    id             INTEGER PRIMARY KEY,
    taskforce_id   INTEGER NOT NULL REFERENCES apst_taskforces(id),
    kind           TEXT    NOT NULL CHECK (kind IN ('data_sharing', 'secondment')),
    party          TEXT    NOT NULL,
    signed_on      TEXT    NOT NULL,
    review_on      TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX apst_agreements_taskforce ON apst_agreements(taskforce_id);

-- A referral of an existing pupil (any school of the authority: a pupil
-- of a mainstream school is outreach).  triage is 'pending' until decided.
CREATE TABLE apst_referrals (
    id                  INTEGER PRIMARY KEY,
    taskforce_id        INTEGER NOT NULL REFERENCES apst_taskforces(id),
    pupil_id            INTEGER NOT NULL REFERENCES pupils(id),
    route               TEXT    NOT NULL CHECK (route IN ('formal', 'conversation', 'self_family', 'spotted')),
    referred_on         TEXT    NOT NULL,
    referrer            TEXT    NOT NULL DEFAULT '',
    reason              TEXT    NOT NULL DEFAULT '',
    threshold_met       INTEGER CHECK (threshold_met IN (0, 1)),
    triage              TEXT    NOT NULL DEFAULT 'pending' CHECK (triage IN ('pending', 'accepted',
                            'waiting_list', 'declined', 'signposted')),
    triaged_on          TEXT,
    tier                TEXT    CHECK (tier IN ('universal', 'targeted', 'specialist')),
    lead_specialist_id  INTEGER REFERENCES apst_specialists(id),
    engagement          TEXT    NOT NULL DEFAULT '' CHECK (engagement IN ('', 'engaged', 'ended_early', 'refused')),
    closed_on           TEXT,
    created_by          INTEGER REFERENCES users(id),
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);
CREATE INDEX apst_referrals_taskforce ON apst_referrals(taskforce_id, triage);
CREATE INDEX apst_referrals_pupil ON apst_referrals(pupil_id);

-- What a weekly case meeting (a meeting of the taskforce's team) decided:
-- a new referral, a held case, or a significant event, and who decided.
CREATE TABLE apst_meeting_items (
    id             INTEGER PRIMARY KEY,
    meeting_id     INTEGER NOT NULL REFERENCES meetings(id),
    referral_id    INTEGER REFERENCES apst_referrals(id),
    kind           TEXT    NOT NULL CHECK (kind IN ('new_referral', 'held_case', 'significant_event')),
    event_kind     TEXT    NOT NULL DEFAULT '' CHECK (event_kind IN ('', 'safeguarding', 'exclusion',
                       'missing', 'police', 'health', 'other')),
    decision       TEXT    NOT NULL,
    decided_by     TEXT    NOT NULL CHECK (decided_by IN ('lead_specialist', 'taskforce', 'manager', 'manager_slt')),
    decided_by_name TEXT   NOT NULL DEFAULT '',
    recorded_by    INTEGER REFERENCES users(id),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX apst_meeting_items_meeting ON apst_meeting_items(meeting_id);

-- Time spent, in minutes, by one specialist on one activity; about one
-- referred pupil or none (group work, staff training).
CREATE TABLE apst_interventions (
    id             INTEGER PRIMARY KEY,
    taskforce_id   INTEGER NOT NULL REFERENCES apst_taskforces(id),
    specialist_id  INTEGER NOT NULL REFERENCES apst_specialists(id),
    referral_id    INTEGER REFERENCES apst_referrals(id),
    delivered_on   TEXT    NOT NULL,
    activity       TEXT    NOT NULL CHECK (activity IN ('pupil', 'family', 'professionals', 'group',
                       'staff_training', 'out_of_hours', 'holiday')),
    minutes        INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
    recorded_by    INTEGER REFERENCES users(id),
    created_at     INTEGER NOT NULL
);
CREATE INDEX apst_interventions_taskforce ON apst_interventions(taskforce_id, delivered_on);
