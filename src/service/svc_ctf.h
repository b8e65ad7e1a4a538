/* Pupils from a Common Transfer File (CTF, core/ctf.h): the school's MIS
 * export of its pupils, read as a stream and imported all or nothing.
 *
 * The file's source school must be one of the schools here: found by
 * Header/SourceSchool/URN (its LEA and Estab, when given, checked against
 * the school's authority and establishment number), or, without a URN, by
 * LEA and Estab (the school's LA number and DfE establishment number); and
 * the user must be allowed to create pupils there (the policy: RES_PUPIL,
 * ACT_CREATE at that school); otherwise nothing is read further.  The
 * destination school (DestSchool) is looked up the same way and reported.
 * A transfer in (transfer_in) turns this round: the file is one a school
 * sent with pupils who are joining the destination school, so the
 * destination must be a school here where the user may create pupils, the
 * pupils are added or updated there, and the source school need not be
 * recorded here; a pupil of the source school here (which the user may
 * change) is moved to the destination, and their outcome records from the
 * file are kept, as their history.  Otherwise pupils are imported at the
 * source school.  Each
 * Pupil is matched by UPN (check letter as core/upn.c): a new UPN is a new
 * pupil at the school, unless its FormerUPN (BasicDetails/FormerUPN) is a
 * pupil there, who is then given the new UPN (audited, and noted in the
 * report); a pupil already there has their identity and
 * characteristics (names, date of birth, gender, ethnicity, NC year, SEN
 * provision) brought up to date; a UPN held by a pupil of another school
 * (or one the user may not see) is refused.  Attendance years, exclusions
 * and free school meals periods become outcome records through
 * svc_outcome_import_one (the outcome import's rules); a record already
 * stored is left as it is, so importing the same file again changes
 * nothing, except an attendance year an import stored that the file brings
 * with more sessions possible, which is updated; one with fewer is kept
 * and noted.  Lunchtime exclusions are records of their own kind
 * (lunchtime), not suspensions.  docs/outcomes.md has the mapping.
 *
 * Everything happens in one write transaction: on a dry run, with any
 * refused pupil, or when the XML turns out malformed part-way, it is all
 * rolled back and nothing is written.  Each pupil created or changed and
 * each record stored has its audit entry, and the import one more; no
 * name of a child is logged or put in a reason. */
#ifndef TAS_SERVICE_SVC_CTF_H
#define TAS_SERVICE_SVC_CTF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/ctf.h"
#include "core/errors.h"
#include "service/svc.h"

#define CTF_REJECTS_MAX 200   /* refused pupils listed (all are counted) */
#define CTF_NOTES_MAX 200     /* notes listed (all are counted) */

/* What is said about a pupil of the file: why it was refused, or a note
 * of something the import did or left that is not a refusal (a pupil found
 * by its FormerUPN and given the file's UPN, an attendance year updated or
 * kept as stored, a pupil moved on a transfer in).  Never a name. */
struct ctf_entry {
    size_t index;         /* the n-th Pupil of the file */
    long line;            /* the line of its <Pupil> tag */
    char upn[14];         /* "" when the UPN itself is what is wrong */
    char field[24];       /* upn, former_upn, attendance, exclusion, ... */
    char text[200];
};

/* A school the file's header names (SourceSchool or DestSchool). */
struct ctf_named_school {
    struct ctf_school_id given;   /* as the file gives it */
    int64_t id;                   /* the school here; 0: none (or not looked for) */
    int64_t authority_id;
    char urn[8], estab[5], la_code[4];   /* as recorded here */
    char name[161];
    bool by_laestab;              /* found by LA and establishment number, the file giving no URN */
};

struct ctf_report {
    char version[16];
    bool transfer_in;                 /* the pupils go to the destination school */
    struct ctf_named_school source;   /* where the file comes from: the pupils' school, unless a transfer in */
    struct ctf_named_school dest;     /* where it is addressed: the pupils' school on a transfer in, else reported only */
    size_t pupils;            /* Pupil elements read */
    size_t added, changed, unchanged, rejected;
    size_t upn_replaced;      /* pupils found by FormerUPN, given the file's UPN (among changed) */
    size_t moved;             /* on a transfer in: pupils of the source school moved to the destination (among changed) */
    size_t outcomes_added, outcomes_kept;   /* records new / already stored (kept as they are) */
    size_t outcomes_updated;  /* attendance years stored by an import, now with more sessions */
    size_t lunchtimes;        /* lunchtime exclusions read (kept as records of their own kind) */
    bool written;             /* committed */
    bool malformed;           /* the XML (or its structure) was refused */
    long error_line;
    char error[160];
    size_t nrejects;          /* listed, at most CTF_REJECTS_MAX */
    struct ctf_entry rejects[CTF_REJECTS_MAX];
    size_t notes, nnotes;     /* notes made (of pupils not refused), and listed */
    struct ctf_entry notelist[CTF_NOTES_MAX];
};

/* Imports the file read from in (as it is read: one pupil at a time is
 * held).  SVC_OK: imported (or, on a dry
 * run, would be: nothing written).  SVC_INVALID: refused pupils (listed in
 * rep) or a malformed file (rep->malformed, error, error_line), or errs
 * ("file": the source school is not named, not one here, or more than one
 * by its LA and establishment number; or the header's numbers for the
 * source or destination school contradict each other);
 * nothing written.  SVC_FORBIDDEN: the user may not create pupils at the
 * source school (or anywhere).  SVC_ERROR: storage failed; nothing written.
 * rep may be large: allocate it.  progress (may be NULL) is called every
 * CTF_PROGRESS_EVERY pupils with the pupils read. */
#define CTF_PROGRESS_EVERY 100
enum svc_status svc_ctf_import(struct svc_ctx *c, FILE *in, bool dry_run, bool transfer_in,
                               void (*progress)(void *arg, size_t pupils), void *arg, struct ctf_report *rep,
                               struct field_errors *errs);

#endif
