/* Common Transfer File (CTF) reading: the DfE's XML transfer format that
 * school MIS export ("Common transfer file NN: specification", gov.uk
 * collection "Common transfer file (CTF) and co-ordinated admissions
 * data").  Root CTfile, Header (SourceSchool with LEA, Estab, URN), then
 * CTFpupilData with one Pupil after another.
 *
 * Streaming (libxml2's xmlTextReader): one pupil at a time is held, so a
 * file of any size needs only a few kilobytes; the text comes through a
 * read callback.  Safe against hostile files: no network (XML_PARSE_NONET),
 * no DTD loading, no entity substitution, and a DOCTYPE is refused outright
 * (so internal entity bombs and external entities are never expanded).
 * No I/O of its own: the caller's read callback brings the bytes. */
#ifndef TAS_CORE_CTF_H
#define TAS_CORE_CTF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CTF_MAX_YEARS 12        /* Attendance/YearData kept per pupil */
#define CTF_MAX_EXCLUSIONS 32   /* Exclusions/Exclusion */
#define CTF_MAX_FSM 16          /* FSMhistory/FSMinstance */

/* A school as the header names it: its LA number and establishment number
 * (DfE's LAESTAB), and in newer files its URN; "" for what is absent. */
struct ctf_school_id {
    char lea[8];                /* LEA: 3-digit LA number */
    char estab[8];              /* Estab: 4 digits */
    char urn[12];               /* URN */
};

struct ctf_header {
    char version[16];           /* CTFversion, e.g. "25.0" */
    char export_date[11];       /* Header/DateTime's date, YYYY-MM-DD ("" if absent) */
    struct ctf_school_id source;   /* Header/SourceSchool */
    struct ctf_school_id dest;     /* Header/DestSchool */
    int academic_year;          /* SourceSchool/AcademicYear (the year it starts), 0 if absent */
};

struct ctf_attendance {
    int year;                   /* YearData/Year: the academic year's start, e.g. 2025 */
    char start_date[11];        /* AttendanceStartDate, "" if absent */
    int64_t possible, authorised, unauthorised;   /* -1 when absent */
};

struct ctf_exclusion {
    char start_date[11];
    char category[8];           /* PERM | SUSP | FIXD | LNCH */
    char reason[8];             /* census reason code, e.g. DB */
    int64_t sessions;           /* -1 when absent */
};

struct ctf_fsm {
    char start_date[11];
    char end_date[11];          /* "" when still eligible */
};

/* One Pupil.  Text is as in the file (trimmed), UTF-8; a field too long
 * for its buffer is flagged in too_long (the first such element's name). */
struct ctf_pupil {
    size_t index;               /* 1 for the file's first Pupil */
    long line;                  /* line of the <Pupil> tag */
    char upn[32];
    char former_upn[32];        /* BasicDetails/FormerUPN (or Pupil/FormerUPN): a UPN the pupil had
                                 * before this one (a temporary UPN replaced), "" if none */
    char surname[101], forename[101];
    char dob[16];
    char gender[4];             /* Gender, or Sex (CTF 25) */
    char ethnicity[8];          /* BasicDetails/Ethnicity (or Pupil/Ethnicity) */
    char nc_year[4];            /* BasicDetails/NCyearActual (or Pupil/NCyearActual) */
    char sen_provision[4];      /* the SENhistory/SEN with the latest StartDate; "" if none */
    size_t nattendance, nexclusions, nfsm;
    struct ctf_attendance attendance[CTF_MAX_YEARS];
    struct ctf_exclusion exclusions[CTF_MAX_EXCLUSIONS];
    struct ctf_fsm fsm[CTF_MAX_FSM];
    bool too_many;              /* more YearData, Exclusion or FSMinstance than kept */
    char too_long[24];          /* "" or the element whose text did not fit */
    /* working state of the latest SEN entry */
    char sen_date_[16], sen_cur_date_[16], sen_cur_prov_[4];
};

/* The callbacks answer 0 to go on, anything else to stop (ctf_parse then
 * returns CTF_STOPPED). */
struct ctf_handler {
    int (*header)(void *arg, const struct ctf_header *h);   /* once, before the first pupil */
    int (*pupil)(void *arg, const struct ctf_pupil *p);
    void *arg;
    /* Brings up to len bytes into buf: how many, 0 at the end, -1 on error. */
    int (*read)(void *io, char *buf, int len);
    void *io;
};

enum ctf_result {
    CTF_OK = 0,
    CTF_MALFORMED,      /* not well-formed XML, or not a CTF (root, structure) */
    CTF_REFUSED,        /* a DOCTYPE (DTDs and entities are not accepted) */
    CTF_STOPPED,        /* a callback said stop */
    CTF_NO_MEMORY
};

struct ctf_error {
    long line;          /* 0 when unknown */
    char message[160];  /* plain words; never the file's text */
};

/* Reads the whole file, calling header then pupil for each Pupil. */
enum ctf_result ctf_parse(const struct ctf_handler *h, struct ctf_error *err);

#endif
