/* Schools from the DfE's "Get Information about Schools" (GIAS)
 * establishment file (core/gias.h has the columns read), matched by URN:
 * a school not yet recorded is added, a recorded one changed where the
 * file differs, closed when the file says Closed.  SQL: store/q_gias.c.
 *
 * A row is imported only in an authority the user may import for
 * (RES_GIAS: ACT_CREATE to add, ACT_EDIT to change, at the school's
 * authority as stored and as the file gives it); rows of an LA not
 * recorded in tas, or outside the user's scope, are counted and left
 * alone.  Rows that cannot be read are rejected with their line and the
 * reason and left out; every other row is written in one write
 * transaction, so a failure part-way leaves nothing changed. */
#ifndef TAS_SERVICE_SVC_GIAS_H
#define TAS_SERVICE_SVC_GIAS_H

#include <stdbool.h>
#include <stdio.h>

#include "core/gias.h"
#include "service/svc.h"

#define GIAS_MAX_PROBLEMS 200     /* rejected rows listed (all are counted) */
#define GIAS_LINE_MAX 65536       /* longest line read (the file's are about 2 KB) */

struct gias_problem {
    size_t line;                  /* in the file (1 is the header) */
    char urn[8];                  /* "" when it could not be read */
    char why[200];
};

struct gias_report {
    size_t lines;                 /* data lines read */
    size_t added, changed, closed, unchanged;
    size_t skipped;               /* not a phase TAS works with, or closed and never recorded */
    size_t outside;               /* an LA not in tas, or outside the user's scope */
    size_t rejected;              /* rows that could not be read */
    size_t nproblems;             /* listed in problems (at most GIAS_MAX_PROBLEMS) */
    struct gias_problem problems[GIAS_MAX_PROBLEMS];
    bool written;                 /* the changes were committed */
    char missing[256];            /* required columns missing from the header ("" if none) */
};

/* Reads the file (UTF-8, or Windows-1252 as GIAS publishes it) and imports
 * it, or on a dry run only counts what it would do.  progress (may be
 * NULL) is called every 1,000 lines and at the end with the data lines
 * read.  Checks ACT_CREATE on RES_GIAS anywhere (SVC_FORBIDDEN), then each
 * row's authority as above.  SVC_INVALID when the header lacks a required
 * column (rep->missing says which) or the file is empty: nothing is
 * written; SVC_ERROR when reading or storing failed (nothing written).
 * SVC_OK otherwise, with the counts; the import is audited as one entry. */
enum svc_status svc_gias_import(struct svc_ctx *c, FILE *in, bool dry_run,
                                void (*progress)(void *arg, size_t lines), void *arg, struct gias_report *rep);

/* Whether the user may import a GIAS file for some authority. */
bool svc_gias_may_import(struct svc_ctx *c);

#endif
