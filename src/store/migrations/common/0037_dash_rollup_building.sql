-- 0037: a slice of the dashboard's rollup being rebuilt (issue 18 item 4).
-- Portable as written (PostgreSQL: the same table).
--
-- A rebuild first claims its slice (an authority's month, or England's: 0):
-- in one short write, its stale mark goes and a row here says who began
-- when.  It then builds the slice in a transaction of its own which, on
-- PostgreSQL, takes no write lock, so writers go on meanwhile; a writer
-- that changes the slice's records marks it stale again (its mark is gone,
-- so the triggers' insert lands), and the slice is rebuilt once more.  The
-- claim goes when the slice is written (or, if the build fails, becomes a
-- stale mark again).  Until then the slice counts as stale for the
-- dashboard, so no view reads a slice half rebuilt.  A claim older than
-- svc_dashboard.c's ROLLUP_CLAIM_SECONDS is a rebuild that died (its
-- server killed): the slice may be claimed again.  On SQLite, one writer
-- at a time, the claim, the build and the end are one transaction, so a
-- row here is never seen outside it.
CREATE TABLE dash_rollup_building (
    authority_id  INTEGER NOT NULL,
    month         TEXT    NOT NULL,       -- YYYY-MM, or the census's month
    claimed_at    INTEGER NOT NULL,       -- Unix seconds, the claimer's clock
    PRIMARY KEY (authority_id, month)
);
