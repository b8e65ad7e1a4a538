-- An allocation's history (issue 20): setting a team's allocation again no
-- longer only replaces it; each setting is a row here (who, when, the
-- amount before and after, in pence, and why: required when it is
-- lowered).  The first setting has no amount before (NULL).
CREATE TABLE budget_allocation_changes (
    id             INTEGER PRIMARY KEY,
    allocation_id  INTEGER NOT NULL REFERENCES budget_allocations(id),
    old_pence      INTEGER CHECK (old_pence >= 0),
    new_pence      INTEGER NOT NULL CHECK (new_pence >= 0),
    reason         TEXT    NOT NULL DEFAULT '',
    changed_by     INTEGER REFERENCES users(id),
    changed_at     INTEGER NOT NULL
);
CREATE INDEX budget_allocation_changes_allocation ON budget_allocation_changes(allocation_id, id);

-- Backfill: each existing allocation gets one row, its amount as it stands
-- (what it was before is not known).
INSERT INTO budget_allocation_changes (allocation_id, old_pence, new_pence, reason, changed_by, changed_at)
    SELECT id, NULL, amount_pence, '', created_by, updated_at FROM budget_allocations ORDER BY id;
