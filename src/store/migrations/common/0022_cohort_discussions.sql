-- 0022: cohort discussions (issue 13, item 5).  A meeting may discuss a
-- year group or cohort ("Year 6 transition to secondary") with no
-- identified pupil, and agree actions about it.  Nothing here is about one
-- child: the description is checked to be a cohort's (core/cohort.c) and
-- the page asks people not to name children, so these rows are not case
-- records: whoever may see the meeting may see them (docs/access.md), and
-- they are in no pupil's figure on the dashboard.
--
-- Entered by mistake: voided with a reason, never deleted, as in 0017.
-- Portable as written (PostgreSQL: INTEGER ids as BIGINT / identity).
CREATE TABLE cohort_discussions (
    id            INTEGER PRIMARY KEY,
    meeting_id    INTEGER NOT NULL REFERENCES meetings(id),
    year_group    TEXT    NOT NULL DEFAULT '',     -- NC year code (codes_nc_year), '' several or all
    school_id     INTEGER REFERENCES schools(id),  -- one of the team's schools, NULL all of them
    description   TEXT    NOT NULL,
    minutes       TEXT    NOT NULL DEFAULT '',
    position      INTEGER NOT NULL DEFAULT 0,      -- as discussions.position (0021)
    slot_minutes  INTEGER CHECK (slot_minutes IS NULL OR slot_minutes BETWEEN 1 AND 240),
    created_by    INTEGER REFERENCES users(id),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    voided_at     INTEGER,
    voided_by     INTEGER REFERENCES users(id),
    void_reason   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX cohort_discussions_meeting ON cohort_discussions(meeting_id);

-- What was agreed for a cohort: owned, dated and followed up as a case's
-- actions are (open, done, not done with a reason).
CREATE TABLE cohort_actions (
    id                     INTEGER PRIMARY KEY,
    cohort_discussion_id   INTEGER NOT NULL REFERENCES cohort_discussions(id),
    description            TEXT    NOT NULL,
    owner_service_id       INTEGER REFERENCES services(id),
    owner_practitioner_id  INTEGER REFERENCES practitioners(id),
    owner_name             TEXT    NOT NULL DEFAULT '',
    due_on                 TEXT,
    status                 TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'not_done')),
    not_done_reason        TEXT    NOT NULL DEFAULT '',
    outcome                TEXT    NOT NULL DEFAULT '',
    closed_on              TEXT,
    created_at             INTEGER NOT NULL,
    updated_at             INTEGER NOT NULL,
    voided_at              INTEGER,
    voided_by              INTEGER REFERENCES users(id),
    void_reason            TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX cohort_actions_discussion ON cohort_actions(cohort_discussion_id);
CREATE INDEX cohort_actions_owner ON cohort_actions(owner_practitioner_id, status);
