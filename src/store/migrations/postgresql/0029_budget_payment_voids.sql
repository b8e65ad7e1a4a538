-- PostgreSQL dialect of ../sqlite/0029_budget_payment_voids.sql (the same history: same tables,
-- columns and number; docs/postgresql.md says what differs and why).
-- A payment recorded by mistake is voided with a reason, as the other
-- budget records are (migration 0025).  PostgreSQL alters the CHECK in
-- place where SQLite rebuilds the table; the columns come out the same.
ALTER TABLE budget_payments ADD COLUMN voided_at BIGINT;
ALTER TABLE budget_payments ADD COLUMN voided_by BIGINT REFERENCES users(id);
ALTER TABLE budget_payments ADD COLUMN void_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE budget_corrections DROP CONSTRAINT budget_corrections_kind_check;
ALTER TABLE budget_corrections ADD CONSTRAINT budget_corrections_kind_check
    CHECK (kind IN ('contribution', 'intervention', 'commitment', 'placement', 'payment'));
