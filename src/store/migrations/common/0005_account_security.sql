-- 0005: account security.  A second sign-in factor (TOTP) with recovery
-- codes; which roles must use it; sign-ins waiting for their second step;
-- and a handle for each session, so administrators can list and end
-- sessions without ever seeing a session's id or its hash.

-- One authenticator per user.  The secret is kept encrypted under the
-- server key (hex of nonce || crypto_secretbox): a copy of the database
-- alone does not yield the codes.  confirmed_at is NULL until the user has
-- typed a first code; last_step stops a code being used twice.
CREATE TABLE user_totp (
    user_id       INTEGER PRIMARY KEY REFERENCES users(id),
    secret_box    TEXT    NOT NULL,
    confirmed_at  INTEGER,
    last_step     INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
);

-- Single-use codes for when the authenticator is lost; only hashes kept.
CREATE TABLE recovery_codes (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    code_hash   TEXT    NOT NULL,
    used_at     INTEGER,
    created_at  INTEGER NOT NULL
);
CREATE INDEX recovery_codes_user ON recovery_codes(user_id, code_hash);

-- Per role, in one authority (authority_id 0: the whole installation):
-- must holders of the role there use a second factor?
CREATE TABLE role_security (
    authority_id  INTEGER NOT NULL DEFAULT 0,
    role          TEXT    NOT NULL,
    require_totp  INTEGER NOT NULL DEFAULT 0 CHECK (require_totp IN (0, 1)),
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (authority_id, role)
);

-- A password accepted, the code not yet: this grants nothing.  Keyed by the
-- hash of its cookie, like sessions.
CREATE TABLE sign_in_pending (
    id_hash     TEXT    PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sign_in_pending_user ON sign_in_pending(user_id);

ALTER TABLE sessions ADD COLUMN handle TEXT NOT NULL DEFAULT '';
-- Sessions from before handles existed cannot be listed or revoked one by
-- one: end them (their users sign in again).
DELETE FROM sessions;
CREATE INDEX sessions_handle ON sessions(handle);
