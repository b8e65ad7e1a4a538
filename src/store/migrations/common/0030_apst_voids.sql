-- An APST intervention-log entry or cost entry recorded by mistake is
-- voided with a reason, as budget payments are (migration 0029): kept,
-- marked, left out of every sum (hours, costs, the MI return), with its
-- audit entry.
ALTER TABLE apst_interventions ADD COLUMN voided_at INTEGER;
ALTER TABLE apst_interventions ADD COLUMN voided_by INTEGER REFERENCES users(id);
ALTER TABLE apst_interventions ADD COLUMN void_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE apst_costs ADD COLUMN voided_at INTEGER;
ALTER TABLE apst_costs ADD COLUMN voided_by INTEGER REFERENCES users(id);
ALTER TABLE apst_costs ADD COLUMN void_reason TEXT NOT NULL DEFAULT '';
