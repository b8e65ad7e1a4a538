-- The evaluator's extract is k-anonymous: every combination of the columns
-- an outsider could know about a child (school, month of birth, gender,
-- ethnicity, year group, SEN provision, when the case opened) is shared by
-- at least k cases.  The data protection officer (or an administrator)
-- sets k for an authority; 10 when nobody has.
CREATE TABLE extract_settings (
    authority_id  INTEGER PRIMARY KEY REFERENCES authorities(id),
    k             INTEGER NOT NULL CHECK (k BETWEEN 2 AND 100),
    updated_by    INTEGER REFERENCES users(id),
    updated_at    INTEGER NOT NULL
);
