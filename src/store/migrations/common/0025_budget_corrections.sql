-- Putting the pooled budget's mistakes right (issue 20): contributions,
-- interventions, commitments and placements are corrected or voided with
-- a reason, never deleted.  A voided row is kept (voided_at, voided_by,
-- void_reason) and left out of every sum; each correction is one row of
-- budget_corrections (what was there, what it became, why) besides its
-- audit entry.  Rules in core/budget.c and service/svc_budget.c.
-- voided_at is Unix seconds (NULL: not voided), as migration 0017.
ALTER TABLE budget_contributions ADD COLUMN voided_at INTEGER;
ALTER TABLE budget_contributions ADD COLUMN voided_by INTEGER REFERENCES users(id);
ALTER TABLE budget_contributions ADD COLUMN void_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE interventions ADD COLUMN voided_at INTEGER;
ALTER TABLE interventions ADD COLUMN voided_by INTEGER REFERENCES users(id);
ALTER TABLE interventions ADD COLUMN void_reason TEXT NOT NULL DEFAULT '';
-- A voided commitment's status is 'cancelled' (migration 0019's CHECK).
ALTER TABLE budget_commitments ADD COLUMN voided_at INTEGER;
ALTER TABLE budget_commitments ADD COLUMN voided_by INTEGER REFERENCES users(id);
ALTER TABLE budget_commitments ADD COLUMN void_reason TEXT NOT NULL DEFAULT '';
-- Who last changed the amount (nobody approves their own change).
ALTER TABLE budget_commitments ADD COLUMN changed_by INTEGER REFERENCES users(id);
ALTER TABLE placements ADD COLUMN voided_at INTEGER;
ALTER TABLE placements ADD COLUMN voided_by INTEGER REFERENCES users(id);
ALTER TABLE placements ADD COLUMN void_reason TEXT NOT NULL DEFAULT '';

CREATE TABLE budget_corrections (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL CHECK (kind IN ('contribution', 'intervention', 'commitment', 'placement')),
    record_id   INTEGER NOT NULL,
    action      TEXT    NOT NULL CHECK (action IN ('correct', 'void')),
    before      TEXT    NOT NULL DEFAULT '',
    after       TEXT    NOT NULL DEFAULT '',
    reason      TEXT    NOT NULL,
    made_by     INTEGER REFERENCES users(id),
    made_at     INTEGER NOT NULL
);
CREATE INDEX budget_corrections_record ON budget_corrections(kind, record_id);
