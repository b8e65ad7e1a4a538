-- 0028: API tokens (docs/api.md): bearer credentials for system-to-system
-- use of /api/v1/.  A token acts as the user who made it, limited by its
-- scope ('read': list and view only; 'write': everything the user may do);
-- only the SHA-256 of the token is kept, so a copy of the database does not
-- hand out working tokens.  Revoked tokens are kept (revoked_at) so the
-- audit log's "token N" stays explained.
CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    name          TEXT    NOT NULL,
    token_hash    TEXT    NOT NULL UNIQUE,
    scope         TEXT    NOT NULL CHECK (scope IN ('read', 'write')),
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    last_used_at  INTEGER,
    revoked_at    INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);
