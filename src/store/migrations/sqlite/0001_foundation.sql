-- 0001: authorities, schools, pupils, users, roles, sessions.
-- Never edit a migration once it has landed: add a new one.
-- Times are Unix seconds (INTEGER); booleans are 0/1; dates are 'YYYY-MM-DD'.

CREATE TABLE authorities (
    id          INTEGER PRIMARY KEY,
    la_code     TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE schools (
    id              INTEGER PRIMARY KEY,
    authority_id    INTEGER NOT NULL REFERENCES authorities(id),
    urn             TEXT    NOT NULL UNIQUE,
    name            TEXT    NOT NULL,
    phase           TEXT    NOT NULL,
    pupils_on_roll  INTEGER,
    fsm_pct         REAL,
    sen_pct         REAL,
    tas_member      INTEGER NOT NULL DEFAULT 0 CHECK (tas_member IN (0, 1)),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX schools_authority ON schools(authority_id, name);

CREATE TABLE pupils (
    id              INTEGER PRIMARY KEY,
    school_id       INTEGER NOT NULL REFERENCES schools(id),
    upn             TEXT    NOT NULL UNIQUE,
    forenames       TEXT    NOT NULL,
    surname         TEXT    NOT NULL,
    date_of_birth   TEXT    NOT NULL,
    gender          TEXT    NOT NULL,
    ethnicity       TEXT    NOT NULL,
    nc_year         TEXT    NOT NULL,
    sen_provision   TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX pupils_school ON pupils(school_id, surname, forenames);
CREATE INDEX pupils_surname ON pupils(surname);

CREATE TABLE users (
    id               INTEGER PRIMARY KEY,
    username         TEXT    NOT NULL UNIQUE,
    display_name     TEXT    NOT NULL,
    email            TEXT,
    password_hash    TEXT    NOT NULL,
    disabled         INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);

-- A user may hold several roles, each in its own scope.
CREATE TABLE user_roles (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    role          TEXT    NOT NULL,
    scope_kind    TEXT    NOT NULL,
    scope_id      INTEGER NOT NULL DEFAULT 0,
    authority_id  INTEGER NOT NULL DEFAULT 0,
    detail        TEXT    NOT NULL DEFAULT '',
    UNIQUE (user_id, role, scope_kind, scope_id, detail)
);
CREATE INDEX user_roles_user ON user_roles(user_id);

-- Server-side sessions.  Only a hash of the cookie value is kept, so a copy
-- of the database does not hand out live sessions.
CREATE TABLE sessions (
    id_hash       TEXT    PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    csrf_token    TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    remote_addr   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Failed sign-ins, keyed by user name as typed ("u:name") and by remote
-- address ("a:addr"), whether or not the user exists, so throttling does
-- not reveal which user names are real.
CREATE TABLE login_throttle (
    key              TEXT    PRIMARY KEY,
    failures         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL DEFAULT 0,
    locked_until     INTEGER NOT NULL DEFAULT 0,
    updated_at       INTEGER NOT NULL
);
