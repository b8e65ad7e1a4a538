-- The evidence Annex A of the Bedford report plans beyond counts of
-- meetings (issue 15).
--
-- Families' voice: what the parent or carer and the child said when they
-- were told what the meeting agreed (free text, optional; a case record).
ALTER TABLE discussions ADD COLUMN parent_said TEXT NOT NULL DEFAULT '';
ALTER TABLE discussions ADD COLUMN child_said TEXT NOT NULL DEFAULT '';

-- The outcomes matrix: the coordinator's judgement on a closed case,
-- "early intervention appropriate" x "referral made" (NULL: not yet
-- classified).
ALTER TABLE cases ADD COLUMN ei_appropriate INTEGER CHECK (ei_appropriate IN (0, 1));
ALTER TABLE cases ADD COLUMN referral_made INTEGER CHECK (referral_made IN (0, 1));

-- Change stories: a pseudonymised account of one case, drafted by someone
-- who may see the case, approved (released to evaluators) or returned
-- with a comment by the coordinator.  The text must not name the pupil;
-- evaluators see the story with its team, phase and academic year only.
CREATE TABLE change_stories (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases(id),
    pattern         TEXT    NOT NULL CHECK (pattern IN ('early_intervention', 'referral_avoided',
                                                        'missed_opportunity')),
    situation       TEXT    NOT NULL,
    what_tas_did    TEXT    NOT NULL,
    what_changed    TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'returned', 'approved')),
    review_comment  TEXT    NOT NULL DEFAULT '',
    drafted_by      INTEGER REFERENCES users(id),
    reviewed_by     INTEGER REFERENCES users(id),
    approved_on     TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX change_stories_case ON change_stories(case_id);
CREATE INDEX change_stories_status ON change_stories(status);

-- The dashboard's rollup (0007, 0008) counts the evidence of the cases
-- presented in a month too (dim "evidence"): what it depends on marks the
-- month of the case's presentation stale, and every month is rebuilt once.
CREATE TRIGGER dash_stale_case_evidence AFTER UPDATE OF status, ei_appropriate, referral_made ON cases
    WHEN OLD.status IS NOT NEW.status OR OLD.ei_appropriate IS NOT NEW.ei_appropriate
      OR OLD.referral_made IS NOT NEW.referral_made BEGIN
    INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
        SELECT authority_id, month FROM dash_case_months WHERE case_id = NEW.id;
END;
CREATE TRIGGER dash_stale_discussion_feedback AFTER UPDATE OF feedback_on ON discussions
    WHEN (OLD.feedback_on IS NULL) IS NOT (NEW.feedback_on IS NULL) BEGIN
    INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
        SELECT authority_id, month FROM dash_case_months WHERE case_id = NEW.case_id;
END;
INSERT OR IGNORE INTO dash_rollup_stale (authority_id, month)
    SELECT DISTINCT t.authority_id, substr(m.meeting_date, 1, 7)
    FROM meetings m JOIN teams t ON t.id = m.team_id;

-- Fast feedback questionnaires: an authority's short questionnaire
-- (Likert statements, one a line; a sentiment question; an open question),
-- answered through single-use links handed out at a meeting.  Anonymous: a
-- link is kept only as the hash of its token, and an answer records no
-- user, address, time or link: only the meeting, the respondent's kind of
-- organisation and what they said.
CREATE TABLE questionnaires (
    id              INTEGER PRIMARY KEY,
    authority_id    INTEGER NOT NULL REFERENCES authorities(id),
    title           TEXT    NOT NULL,
    statements      TEXT    NOT NULL,
    sentiment       TEXT    NOT NULL,
    open_question   TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE TABLE feedback_links (
    id                INTEGER PRIMARY KEY,
    meeting_id        INTEGER NOT NULL REFERENCES meetings(id),
    questionnaire_id  INTEGER NOT NULL REFERENCES questionnaires(id),
    token_hash        TEXT    NOT NULL UNIQUE,
    used              INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1)),
    created_at        INTEGER NOT NULL
);
CREATE TABLE feedback_answers (
    id                INTEGER PRIMARY KEY,
    meeting_id        INTEGER NOT NULL REFERENCES meetings(id),
    questionnaire_id  INTEGER NOT NULL REFERENCES questionnaires(id),
    org_kind          TEXT    NOT NULL CHECK (org_kind IN ('school', 'la', 'health', 'other')),
    sentiment         INTEGER CHECK (sentiment BETWEEN 1 AND 5),
    comment           TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX feedback_answers_questionnaire ON feedback_answers(questionnaire_id);
CREATE TABLE feedback_scores (
    answer_id  INTEGER NOT NULL REFERENCES feedback_answers(id),
    item       INTEGER NOT NULL,
    score      INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    PRIMARY KEY (answer_id, item)
);
