-- 0003: the audit trail (who saw or changed which pupil's data, when, from
-- where) and the retention settings.
--
-- The audit log is append-only and tamper-evident: each entry carries the
-- SHA-256 of its own canonical form (core/audit_hash.c) which includes the
-- hash of the entry before it, so changing, removing or inserting an entry
-- anywhere breaks the chain from there on (`tas audit verify`).
--
-- No personal data about children is kept here: pupil_id is the internal
-- number only (no foreign key, so an entry outlives a pupil's erasure and
-- then points at nothing), and detail is a route or use-case name, never
-- text someone typed.  user_id 0 is the system (command line, retention).
CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY,
    at             INTEGER NOT NULL,
    user_id        INTEGER NOT NULL DEFAULT 0,
    username       TEXT    NOT NULL DEFAULT '',
    remote_addr    TEXT    NOT NULL DEFAULT '',
    action         TEXT    NOT NULL,
    resource_kind  TEXT    NOT NULL,
    resource_id    INTEGER NOT NULL DEFAULT 0,
    pupil_id       INTEGER NOT NULL DEFAULT 0,
    school_id      INTEGER NOT NULL DEFAULT 0,
    authority_id   INTEGER NOT NULL DEFAULT 0,
    detail         TEXT    NOT NULL DEFAULT '',
    flags          INTEGER NOT NULL DEFAULT 0,
    prev_hash      TEXT    NOT NULL,
    hash           TEXT    NOT NULL UNIQUE
);
CREATE INDEX audit_log_pupil ON audit_log(pupil_id, id);
CREATE INDEX audit_log_user ON audit_log(user_id, id);
CREATE INDEX audit_log_at ON audit_log(at);

-- Entries older than the audit retention period may be removed, oldest
-- first, only after a prune record says up to which id and what the last
-- removed entry's hash was: verification then starts from that anchor.
-- Prune records are themselves append-only.
CREATE TABLE audit_prune (
    id           INTEGER PRIMARY KEY,
    at           INTEGER NOT NULL,
    up_to_id     INTEGER NOT NULL,
    anchor_hash  TEXT    NOT NULL
);

-- Append-only in the database itself, not only in the code.  PostgreSQL
-- equivalent: a BEFORE UPDATE OR DELETE trigger function that RAISEs
-- EXCEPTION (allowing DELETE only for id <= max(audit_prune.up_to_id)),
-- plus REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM the app role.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN OLD.id > (SELECT coalesce(max(up_to_id), 0) FROM audit_prune)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_prune_no_update BEFORE UPDATE ON audit_prune
BEGIN
    SELECT RAISE(ABORT, 'audit_prune is append-only');
END;

CREATE TRIGGER audit_prune_no_delete BEFORE DELETE ON audit_prune
BEGIN
    SELECT RAISE(ABORT, 'audit_prune is append-only');
END;

-- How long each kind of record is kept.  months counts from the anchor
-- (case closure for case records, consents and pupils; the entry's own
-- date for audit entries; the last activity for sessions); until_age, when
-- not 0, also keeps the record until the pupil reaches that age.
CREATE TABLE retention_settings (
    record_type  TEXT    PRIMARY KEY CHECK (record_type IN ('case', 'consent', 'pupil', 'audit', 'session')),
    months       INTEGER NOT NULL CHECK (months >= 1 AND months <= 1200),
    until_age    INTEGER NOT NULL DEFAULT 0 CHECK (until_age >= 0 AND until_age <= 100),
    updated_at   INTEGER NOT NULL DEFAULT 0,
    updated_by   INTEGER NOT NULL DEFAULT 0
);
INSERT INTO retention_settings (record_type, months, until_age) VALUES
    ('case', 72, 25),
    ('consent', 72, 25),
    ('pupil', 72, 25),
    ('audit', 96, 0),
    ('session', 3, 0);

-- Pupils and cases whose personal content retention has removed; kept so
-- the same record is not processed twice and the SAR can say so.
CREATE TABLE retention_done (
    record_type  TEXT    NOT NULL,
    record_id    INTEGER NOT NULL,
    done_at      INTEGER NOT NULL,
    PRIMARY KEY (record_type, record_id)
);
