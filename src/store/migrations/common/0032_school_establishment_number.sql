-- 0032: a school's DfE establishment number (issue 17 item 2).  Portable as
-- written (PostgreSQL: the same ADD COLUMN and partial index).
--
-- The 4-digit number of an establishment within its local authority, as
-- GIAS gives it (its EstablishmentNumber column); with the authority's LA
-- number it is the LAESTAB that names a school in a Common Transfer File's
-- header (SourceSchool/LEA and Estab).  '' when not known (schools typed in
-- by hand until someone adds it).  Not unique: GIAS keeps closed schools,
-- and a number can pass from a closed school to its successor, so a file
-- is matched to the open one (service/svc_ctf.c).
ALTER TABLE schools ADD COLUMN establishment_number TEXT NOT NULL DEFAULT '';
CREATE INDEX schools_laestab ON schools(authority_id, establishment_number) WHERE establishment_number <> '';
