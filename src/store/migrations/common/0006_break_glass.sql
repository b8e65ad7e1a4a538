-- 0006: break-glass.  Emergency, time-limited, read-only access to one
-- pupil outside a user's normal scope, with the reason they gave; every
-- entry waits for the data protection officer's review.
CREATE TABLE break_glass (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    pupil_id      INTEGER NOT NULL REFERENCES pupils(id),
    authority_id  INTEGER NOT NULL REFERENCES authorities(id),
    school_id     INTEGER NOT NULL REFERENCES schools(id),
    role          TEXT    NOT NULL,   -- the duty-of-care role it was granted under
    reason        TEXT    NOT NULL,
    at            INTEGER NOT NULL,   -- when it was granted (Unix seconds)
    expires       INTEGER NOT NULL,
    reviewed_by   INTEGER REFERENCES users(id),
    reviewed_at   INTEGER
);
CREATE INDEX break_glass_user ON break_glass(user_id, expires);
CREATE INDEX break_glass_review ON break_glass(authority_id, reviewed_at, at);
