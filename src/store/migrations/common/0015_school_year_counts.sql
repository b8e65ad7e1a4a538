-- 0015: the data "did it work?" (issue 14) is computed from: per school and
-- academic year (2024 for 2024/25), the pupils on roll and counts of events
-- by kind (referrals to a service, suspensions, permanent exclusions, any
-- kind an authority names), entered on /evaluation/data or imported from
-- CSV.  Counts computed from tas's own records (referrals, outcome records)
-- are not stored: they are counted when asked for.  No child data.
-- ON CONFLICT ... DO UPDATE (the writes) is the same in PostgreSQL.
CREATE TABLE school_years (
    school_id      INTEGER NOT NULL REFERENCES schools(id),
    academic_year  INTEGER NOT NULL CHECK (academic_year BETWEEN 1990 AND 2100),
    pupils         INTEGER NOT NULL CHECK (pupils > 0),
    source         TEXT    NOT NULL DEFAULT 'hand' CHECK (source IN ('hand', 'import')),
    recorded_by    INTEGER REFERENCES users(id),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    PRIMARY KEY (school_id, academic_year)
);

CREATE TABLE school_year_counts (
    school_id      INTEGER NOT NULL REFERENCES schools(id),
    academic_year  INTEGER NOT NULL CHECK (academic_year BETWEEN 1990 AND 2100),
    kind           TEXT    NOT NULL,
    count          INTEGER NOT NULL CHECK (count >= 0),
    source         TEXT    NOT NULL DEFAULT 'hand' CHECK (source IN ('hand', 'import')),
    recorded_by    INTEGER REFERENCES users(id),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    PRIMARY KEY (school_id, academic_year, kind),
    FOREIGN KEY (school_id, academic_year) REFERENCES school_years(school_id, academic_year)
);
CREATE INDEX school_year_counts_kind ON school_year_counts(kind, academic_year);
