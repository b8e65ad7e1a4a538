/* The DfE's "Get Information about Schools" (GIAS) establishment file
 * (edubasealldataYYYYMMDD.csv, or an extract of it from
 * get-information-schools.service.gov.uk/Downloads), read by its own
 * headers: which columns tas takes, how a row becomes a school, and the
 * text's encoding.  Pure: the caller reads the file and splits the lines.
 *
 * Columns read (exact GIAS header names; the file has about 139, in any
 * order, and the rest are ignored):
 *   required  URN, EstablishmentName, LA (code), PhaseOfEducation (name),
 *             EstablishmentStatus (name)
 *   optional  TypeOfEstablishment (code), TypeOfEstablishment (name),
 *             Postcode, OpenDate, CloseDate, NumberOfPupils, PercentageFSM,
 *             EstablishmentNumber
 * Dates are dd-mm-yyyy (GIAS) or dd/mm/yyyy. */
#ifndef TAS_CORE_GIAS_H
#define TAS_CORE_GIAS_H

#include <stddef.h>
#include <stdint.h>

#include "core/records.h"

enum gias_col {
    GC_URN = 0, GC_NAME, GC_LA_CODE, GC_PHASE, GC_STATUS,          /* required */
    GC_TYPE_CODE, GC_TYPE_NAME, GC_POSTCODE, GC_OPEN, GC_CLOSE, GC_PUPILS, GC_FSM_PCT, GC_ESTAB,
    GC__COUNT
};
#define GC_REQUIRED 5

/* Where each column is in the file (-1 when absent). */
struct gias_header {
    int pos[GC__COUNT];
    int ncols;
};

/* Reads the header line's fields.  0, or -1 when a required column is
 * missing: missing receives their names, comma-separated (truncated to
 * msz). */
int gias_header_read(char *const *fields, int n, struct gias_header *h, char *missing, size_t msz);

#define GIAS_TYPE_MAX 81
#define GIAS_POSTCODE_MAX 11

/* One establishment as tas keeps it. */
struct gias_school {
    char urn[8];
    char name[TAS_TITLE_MAX];
    char la_code[4];
    char estab[5];                  /* EstablishmentNumber (4 digits), "" when not given */
    char phase[16];                 /* tas phase code (codes.h) */
    char status[20];                /* open, closed, proposed_to_close, proposed_to_open */
    char type[GIAS_TYPE_MAX];       /* TypeOfEstablishment (name), "" when absent */
    char postcode[GIAS_POSTCODE_MAX];
    char open_date[11];             /* YYYY-MM-DD or "" */
    char close_date[11];
    int32_t pupils_on_roll;         /* -1 when not given */
    double fsm_pct;                 /* -1 when not given */
};

enum gias_verdict {
    GIAS_ROW_OK = 0,
    GIAS_ROW_SKIP,                  /* a valid row of a kind tas does not hold (why says which) */
    GIAS_ROW_BAD                    /* a row that cannot be read (why says what is wrong) */
};

/* Reads one data line's fields (already UTF-8) into out.  why receives the
 * reason for SKIP and BAD, naming the column, never more than wsz bytes. */
enum gias_verdict gias_row_read(const struct gias_header *h, char *const *f, int n, struct gias_school *out,
                                char *why, size_t wsz);

/* GIAS status name -> code ("Open, but proposed to close" ->
 * "proposed_to_close"); NULL when unknown. */
const char *gias_status_code(const char *name);

/* The line as UTF-8: text that is valid UTF-8 is copied as it is; anything
 * else is read as Windows-1252, which is how the published file is
 * encoded.  Returns the length written, or (size_t)-1 when out (osz bytes,
 * NUL included) is too small. */
size_t gias_to_utf8(const char *in, char *out, size_t osz);

#endif
