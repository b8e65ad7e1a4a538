-- PostgreSQL dialect of ../sqlite/0032_school_establishment_number.sql (the same history: same tables,
-- columns and number; docs/postgresql.md says what differs and why).
-- 0032: a school's DfE establishment number (issue 17 item 2): the 4-digit
-- number within its local authority (GIAS's EstablishmentNumber), which
-- with the LA number names a school in a Common Transfer File's header.
-- '' when not known.  Not unique (see the SQLite twin).
ALTER TABLE schools ADD COLUMN establishment_number TEXT NOT NULL DEFAULT '';
CREATE INDEX schools_laestab ON schools(authority_id, establishment_number) WHERE establishment_number <> '';
