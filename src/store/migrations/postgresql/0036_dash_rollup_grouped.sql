-- PostgreSQL dialect of ../sqlite/0036_dash_rollup_grouped.sql (the same history: same tables,
-- columns and number; docs/postgresql.md says what differs and why).
-- 0036: the dashboard's rollup held in the order its readers group by
-- (authority, phase, keys, then month) with the counts they add, so a
-- national read need not sort (see the SQLite twin for the figures).
CREATE INDEX dash_rollup_grouped ON dash_rollup(dim, authority_id, phase, k1, k2, k3, n1, month, n2, n3, n4);
