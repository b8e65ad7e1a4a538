-- 0004: the dashboard's settings: the cost model an administrator keeps,
-- the disclosure-control threshold, and the pupil population of each
-- school (from the school census) to compare who TAS reaches against.

-- Direct staff cost of one person at one meeting: hourly cost with on-costs
-- times the hours of preparation, the meeting, follow-up and travel.
-- role_key is "school", "strategic_lead", "case_coordinator" or a service
-- code, as attendance records them.
CREATE TABLE cost_rates (
    id                INTEGER PRIMARY KEY,
    authority_id      INTEGER NOT NULL REFERENCES authorities(id),
    role_key          TEXT    NOT NULL,
    label             TEXT    NOT NULL,
    org_group         TEXT    NOT NULL CHECK (org_group IN ('school', 'la', 'health', 'other')),
    hourly_pence      INTEGER NOT NULL CHECK (hourly_pence >= 0),
    prep_minutes      INTEGER NOT NULL DEFAULT 0 CHECK (prep_minutes >= 0),
    meeting_minutes   INTEGER NOT NULL DEFAULT 0 CHECK (meeting_minutes >= 0),
    followup_minutes  INTEGER NOT NULL DEFAULT 0 CHECK (followup_minutes >= 0),
    travel_minutes    INTEGER NOT NULL DEFAULT 0 CHECK (travel_minutes >= 0),
    updated_at        INTEGER NOT NULL,
    UNIQUE (authority_id, role_key)
);

-- Counts below this are shown as "c" in anything marked for publication.
CREATE TABLE disclosure_settings (
    authority_id    INTEGER PRIMARY KEY REFERENCES authorities(id),
    suppress_below  INTEGER NOT NULL CHECK (suppress_below BETWEEN 2 AND 100),
    updated_at      INTEGER NOT NULL
);

-- Pupils on roll by characteristic (census codes; "" = not recorded).
CREATE TABLE school_population (
    school_id  INTEGER NOT NULL REFERENCES schools(id),
    dimension  TEXT    NOT NULL CHECK (dimension IN ('gender', 'nc_year', 'ethnicity', 'sen_provision')),
    category   TEXT    NOT NULL,
    pupils     INTEGER NOT NULL CHECK (pupils >= 0),
    PRIMARY KEY (school_id, dimension, category)
);

-- The dashboard goes from the meetings in a date range to their new cases,
-- each case's reviews, and its actions; these indexes cover those steps,
-- so the rows themselves are not read.
CREATE INDEX meetings_date_dash ON meetings(meeting_date, status, team_id, mode);
CREATE INDEX discussions_meeting_kind ON discussions(meeting_id, kind, case_id);
CREATE INDEX discussions_case_kind ON discussions(case_id, kind, meeting_id);
CREATE INDEX actions_case_dash ON actions(case_id, setting, nature, owner_service_id, owner_practitioner_id,
                                          resource_id);
