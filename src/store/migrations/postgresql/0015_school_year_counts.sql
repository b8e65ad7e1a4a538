-- PostgreSQL dialect of ../sqlite/0015_school_year_counts.sql (the same history: same tables,
-- columns and number; docs/postgresql.md says what differs and why).
-- 0015: the data "did it work?" (issue 14) is computed from: per school and
-- academic year (2024 for 2024/25), the pupils on roll and counts of events
-- by kind (referrals to a service, suspensions, permanent exclusions, any
-- kind an authority names), entered on /evaluation/data or imported from
-- CSV.  Counts computed from tas's own records (referrals, outcome records)
-- are not stored: they are counted when asked for.  No child data.
-- ON CONFLICT ... DO UPDATE (the writes) is the same in PostgreSQL.
CREATE TABLE school_years (
    school_id      BIGINT NOT NULL REFERENCES schools(id),
    academic_year  BIGINT NOT NULL CHECK (academic_year BETWEEN 1990 AND 2100),
    pupils         BIGINT NOT NULL CHECK (pupils > 0),
    source         TEXT    NOT NULL DEFAULT 'hand' CHECK (source IN ('hand', 'import')),
    recorded_by    BIGINT REFERENCES users(id),
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    PRIMARY KEY (school_id, academic_year)
);

CREATE TABLE school_year_counts (
    school_id      BIGINT NOT NULL REFERENCES schools(id),
    academic_year  BIGINT NOT NULL CHECK (academic_year BETWEEN 1990 AND 2100),
    kind           TEXT    NOT NULL,
    count          BIGINT NOT NULL CHECK (count >= 0),
    source         TEXT    NOT NULL DEFAULT 'hand' CHECK (source IN ('hand', 'import')),
    recorded_by    BIGINT REFERENCES users(id),
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    PRIMARY KEY (school_id, academic_year, kind),
    FOREIGN KEY (school_id, academic_year) REFERENCES school_years(school_id, academic_year)
);
CREATE INDEX school_year_counts_kind ON school_year_counts(kind, academic_year);
