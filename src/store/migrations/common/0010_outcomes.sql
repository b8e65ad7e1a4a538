-- 0010: outcomes over time and screening toolkits.
-- Outcome records are dated facts about a pupil (attendance per term,
-- suspensions, exclusion, EHC steps, social care, AP, post-16, FSM, pupil
-- premium, EAL): one table, the columns a kind does not use left NULL
-- (core/outcomes.h says which kind uses which).
CREATE TABLE outcome_records (
    id                 INTEGER PRIMARY KEY,
    pupil_id           INTEGER NOT NULL REFERENCES pupils(id),
    kind               TEXT    NOT NULL CHECK (kind IN ('attendance', 'suspension', 'exclusion',
                           'part_time', 'ehc_assessment', 'ehc_plan', 'social_care', 'ap_placement',
                           'post16', 'fsm', 'pupil_premium', 'eal')),
    starts_on          TEXT    NOT NULL,
    ends_on            TEXT,
    code               TEXT    NOT NULL DEFAULT '',
    sessions_possible  INTEGER,
    sessions_missed    INTEGER,
    sessions           INTEGER,
    source             TEXT    NOT NULL DEFAULT 'hand' CHECK (source IN ('hand', 'import')),
    recorded_by        INTEGER REFERENCES users(id),
    created_at         INTEGER NOT NULL
);
CREATE INDEX outcome_records_pupil ON outcome_records(pupil_id, kind, starts_on);

-- A toolkit definition, one row per version; the body is the text it was
-- loaded from, so a completion can always be read against its version.
CREATE TABLE toolkit_definitions (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    title       TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    loaded_by   INTEGER REFERENCES users(id),
    loaded_at   INTEGER NOT NULL,
    UNIQUE (name, version)
);

-- A completion answers one version; drafts have no score until completed.
CREATE TABLE toolkit_completions (
    id             INTEGER PRIMARY KEY,
    pupil_id       INTEGER NOT NULL REFERENCES pupils(id),
    case_id        INTEGER REFERENCES cases(id),
    definition_id  INTEGER NOT NULL REFERENCES toolkit_definitions(id),
    version        INTEGER NOT NULL,
    answers        TEXT    NOT NULL DEFAULT '',
    status         TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'complete')),
    score          INTEGER,
    band           TEXT,
    completed_on   TEXT,
    created_by     INTEGER REFERENCES users(id),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX toolkit_completions_pupil ON toolkit_completions(pupil_id, status, completed_on);

-- Pupils to consider for the next TAS meeting, raised when a completion
-- crosses its toolkit's threshold; cleared by the coordinator.
CREATE TABLE worklist_flags (
    id             INTEGER PRIMARY KEY,
    pupil_id       INTEGER NOT NULL REFERENCES pupils(id),
    reason         TEXT    NOT NULL CHECK (reason IN ('toolkit_threshold')),
    completion_id  INTEGER REFERENCES toolkit_completions(id),
    raised_on      TEXT    NOT NULL,
    cleared_on     TEXT,
    cleared_by     INTEGER REFERENCES users(id),
    created_at     INTEGER NOT NULL
);
CREATE INDEX worklist_flags_open ON worklist_flags(cleared_on, pupil_id);
