-- 0035: a pupil's former UPN (issue 17 item 2).  Portable as written
-- (PostgreSQL: the same ADD COLUMN and partial index).
--
-- The UPN a pupil had before their current one: a temporary UPN replaced
-- by the permanent one (a Common Transfer File's FormerUPN, or a change on
-- the pupil's form), or a UPN corrected.  Kept so that a later file, a
-- search or a subject access request that still carries the old number
-- finds the pupil, rather than making a second record of the same child
-- (DfE, "Unique Pupil Numbers (UPN): a guide for schools and local
-- authorities").  '' when the UPN has never been replaced.  Not unique: a
-- file naming a former UPN that two pupils share is refused, not guessed.
ALTER TABLE pupils ADD COLUMN former_upn TEXT NOT NULL DEFAULT '';
CREATE INDEX pupils_former_upn ON pupils(former_upn) WHERE former_upn <> '';
