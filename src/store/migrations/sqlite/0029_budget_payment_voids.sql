-- A payment recorded by mistake (the wrong commitment, typed twice) is
-- voided with a reason, as the other budget records are (migration
-- 0025): kept, marked, left out of what was paid, with its correction
-- row and audit entry.  budget_corrections is rebuilt so its kind may
-- be 'payment' (SQLite cannot alter a CHECK).
ALTER TABLE budget_payments ADD COLUMN voided_at INTEGER;
ALTER TABLE budget_payments ADD COLUMN voided_by INTEGER REFERENCES users(id);
ALTER TABLE budget_payments ADD COLUMN void_reason TEXT NOT NULL DEFAULT '';

CREATE TABLE budget_corrections_new (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL CHECK (kind IN ('contribution', 'intervention', 'commitment', 'placement',
                                                 'payment')),
    record_id   INTEGER NOT NULL,
    action      TEXT    NOT NULL CHECK (action IN ('correct', 'void')),
    before      TEXT    NOT NULL DEFAULT '',
    after       TEXT    NOT NULL DEFAULT '',
    reason      TEXT    NOT NULL,
    made_by     INTEGER REFERENCES users(id),
    made_at     INTEGER NOT NULL
);
INSERT INTO budget_corrections_new (id, kind, record_id, action, before, after, reason, made_by, made_at)
    SELECT id, kind, record_id, action, before, after, reason, made_by, made_at FROM budget_corrections;
DROP TABLE budget_corrections;
ALTER TABLE budget_corrections_new RENAME TO budget_corrections;
CREATE INDEX budget_corrections_record ON budget_corrections(kind, record_id);
