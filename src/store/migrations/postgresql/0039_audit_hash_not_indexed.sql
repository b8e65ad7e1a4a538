-- PostgreSQL dialect of ../sqlite/0039_audit_hash_not_indexed.sql (the same history: same tables,
-- columns and number; docs/postgresql.md says what differs and why).
-- 0039: the audit log without the unique index on hash: no query looks an
-- entry up by it, the chain shows any change, and every audited request
-- paid a write to a random page of it.  PostgreSQL drops the constraint
-- in place (its name as PostgreSQL gave it in 0003).
ALTER TABLE audit_log DROP CONSTRAINT audit_log_hash_key;
