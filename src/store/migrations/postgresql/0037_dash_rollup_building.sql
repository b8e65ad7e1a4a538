-- PostgreSQL dialect of ../sqlite/0037_dash_rollup_building.sql (the same history: same tables,
-- columns and number; docs/postgresql.md says what differs and why).
-- 0037: a slice of the dashboard's rollup being rebuilt: claimed in a short
-- write (its stale mark goes), built in a REPEATABLE READ transaction that
-- takes no write lock, so writers go on meanwhile, then released.  Until
-- released the slice counts as stale.  See the SQLite twin for the whole
-- account.
CREATE TABLE dash_rollup_building (
    authority_id  BIGINT NOT NULL,
    month         TEXT   NOT NULL,
    claimed_at    BIGINT NOT NULL,
    PRIMARY KEY (authority_id, month)
);
