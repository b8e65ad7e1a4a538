-- PostgreSQL dialect of ../sqlite/0038_data_generation.sql (the same history: same tables,
-- columns and number; docs/postgresql.md says what differs and why).
-- 0038: the records' generation, bumped by store.c in every transaction
-- that changes records; pages kept in memory are keyed by it.  See the
-- SQLite twin for the whole account.
CREATE TABLE data_generation (
    id  BIGINT PRIMARY KEY CHECK (id = 1),
    n   BIGINT NOT NULL
);
INSERT INTO data_generation (id, n) VALUES (1, 1);
