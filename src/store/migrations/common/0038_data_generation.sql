-- 0038: the records' generation (issue 16 item 1).  Portable as written
-- (PostgreSQL: the same table).
--
-- One number that goes up, inside the same transaction, whenever a
-- transaction changes records (store.c bumps it at commit, or after a
-- write made outside a transaction).  Pages kept in memory are keyed by it
-- (web/page_cache.h): read before the page is made, a number that still
-- stands means nothing the page shows has changed, whichever process or
-- server wrote.  Writes that reading itself makes (the audit log, the
-- session's last use) and the dashboard's rollup leave it alone, or
-- nothing kept would outlive the next page view.
CREATE TABLE data_generation (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    n   INTEGER NOT NULL
);
INSERT INTO data_generation (id, n) VALUES (1, 1);
