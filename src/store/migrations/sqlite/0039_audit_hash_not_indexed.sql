-- 0039: the audit log without the unique index on hash (issue 16 item 1).
--
-- No query looks an entry up by its hash (verification walks the chain by
-- id, a pruning anchors on an id and checks its hash), and the chain
-- itself is what shows an entry changed, removed or inserted: each hash
-- covers the one before.  The index only cost every audited request a
-- write to a random page of it (hashes are random), the largest single
-- share of the audit entry's cost after the sync.  SQLite cannot drop a
-- column's UNIQUE, so the table is made again, rows, indexes and triggers
-- as before (0003); the implicit delete of DROP TABLE fires no trigger.
CREATE TABLE audit_log_0039 (
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
    hash           TEXT    NOT NULL
);
INSERT INTO audit_log_0039 (id, at, user_id, username, remote_addr, action, resource_kind, resource_id,
                            pupil_id, school_id, authority_id, detail, flags, prev_hash, hash)
    SELECT id, at, user_id, username, remote_addr, action, resource_kind, resource_id,
           pupil_id, school_id, authority_id, detail, flags, prev_hash, hash
    FROM audit_log ORDER BY id;
DROP TABLE audit_log;
ALTER TABLE audit_log_0039 RENAME TO audit_log;
CREATE INDEX audit_log_pupil ON audit_log(pupil_id, id);
CREATE INDEX audit_log_user ON audit_log(user_id, id);
CREATE INDEX audit_log_at ON audit_log(at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN OLD.id > (SELECT coalesce(max(up_to_id), 0) FROM audit_prune)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
