-- PostgreSQL dialect of ../sqlite/0030_apst_voids.sql (the same history: same tables,
-- columns and number; docs/postgresql.md says what differs and why).
-- An APST intervention-log entry or cost entry recorded by mistake is
-- voided with a reason, as budget payments are (migration 0029).
ALTER TABLE apst_interventions ADD COLUMN voided_at BIGINT;
ALTER TABLE apst_interventions ADD COLUMN voided_by BIGINT REFERENCES users(id);
ALTER TABLE apst_interventions ADD COLUMN void_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE apst_costs ADD COLUMN voided_at BIGINT;
ALTER TABLE apst_costs ADD COLUMN voided_by BIGINT REFERENCES users(id);
ALTER TABLE apst_costs ADD COLUMN void_reason TEXT NOT NULL DEFAULT '';
