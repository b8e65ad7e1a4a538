-- The audit chain is keyed (HMAC-SHA256 under a key derived from the
-- server key, which is never in the database), and so is each record of a
-- pruning: mac = HMAC over its id, up_to_id, anchor_hash and time, so a
-- prune record inserted by someone holding only the database file is
-- found by `tas audit verify`.  Records from before this migration have
-- no mac and do not verify.
ALTER TABLE audit_prune ADD COLUMN mac TEXT NOT NULL DEFAULT '';
