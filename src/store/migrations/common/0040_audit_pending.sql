-- 0040: audit entries committed with their change, waiting for their seal
-- (issue 18 item 4).  Portable as written (PostgreSQL: the same table).
--
-- Where many write transactions run side by side (PostgreSQL), an entry
-- cannot be chained inside its change's transaction: the chain's next
-- entry needs the newest one's hash, so every writer would queue at the
-- chain's head from its entry until its commit.  There, the entry is
-- written here instead, in the change's transaction (so it commits, or
-- not, with the change), and sealed into audit_log right after the commit,
-- by a short transaction that runs alone among the chain's appenders
-- (svc_audit.c).  An entry left here by a crash between the two is sealed
-- with the next entry appended.  Where one write runs at a time (SQLite)
-- nothing waits at the head, the entry is chained in its transaction and
-- this table stays empty.  The columns are audit_log's but for its place
-- in the chain (id, prev_hash, hash); seq keeps the order written.
CREATE TABLE audit_pending (
    seq            INTEGER PRIMARY KEY,
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
    flags          INTEGER NOT NULL DEFAULT 0
);
