/* A file import read on a thread of its own, so that the page which sent
 * the file answers at once (a redirect to the job's page) and that page
 * can then show how far the reading has got, a progress bar rather than a
 * browser spinning for the whole file.
 *
 * Jobs live in this process's memory only: the last IMPORT_JOBS_KEPT, for
 * IMPORT_JOB_KEEP_SECONDS after they start (their reports can name pupils
 * by UPN; the memory is wiped when they go), each seen only by the user
 * who started it.  One runs at a time (it holds one
 * of the pool's connections for as long as it reads, and an import writes
 * in one transaction anyway); a second start while one runs is refused.
 * A server stopped while a job runs waits for it (import_jobs_stop), and a
 * server killed mid-import leaves nothing half-written, as the import is
 * one transaction. */
#ifndef TAS_WEB_IMPORT_JOB_H
#define TAS_WEB_IMPORT_JOB_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "service/svc.h"
#include "store/store.h"

#define IMPORT_JOBS_KEPT 16
#define IMPORT_JOB_PARAMS_MAX 64
#define IMPORT_JOB_KEEP_SECONDS 3600

struct import_job;

/* Reads in (to its end) as the service does; calls import_job_progress now
 * and then.  params is the job's copy of what import_job_start was given;
 * result is the job's own zeroed buffer of the size given there. */
typedef enum svc_status (*import_job_fn)(struct svc_ctx *c, FILE *in, bool dry_run, const void *params,
                                         struct import_job *job, void *result);

/* From inside fn: rows read so far; the bytes read are taken from the
 * file's position, for the percentage.  Shaped as the services' progress
 * callback (job, a struct import_job, as its argument), so fn passes it
 * to the service as it is. */
void import_job_progress(void *job, size_t rows);
/* Then, for an import that checks and writes the rows it has read in a
 * second pass (outcomes): how far that has got, shaped as
 * svc_outcomes_import's checked callback.  The bar starts again from 0
 * for it: checking, then writing (a dry run only checks). */
void import_job_checked(void *job, size_t checked, size_t written, size_t n);

/* Starts fn on a thread with a context like c (same principal, clock and
 * origin, its own connection from pool), reading in, which the job takes
 * (it closes it, whatever happens), size bytes long.  kind names the
 * import ("gias"): a job is looked up only with its own kind.  mark is
 * kept with it (the file's check mark); params (params_size bytes, at
 * most IMPORT_JOB_PARAMS_MAX) are copied for fn.  Returns the job's id
 * (> 0); 0 when another job is still running (in is closed); -1 when the
 * job could not be started (no file, no memory, no thread; in is closed). */
int64_t import_job_start(struct store_pool *pool, const struct svc_ctx *c, const char *kind, FILE *in,
                         int64_t size, bool dry_run, const char *mark, const void *params, size_t params_size,
                         size_t result_size, import_job_fn fn);

enum import_job_state { IMPORT_JOB_NONE, IMPORT_JOB_RUNNING, IMPORT_JOB_DONE };

struct import_job_view {
    enum import_job_state state;
    size_t rows;               /* read so far */
    int percent;               /* of the file's bytes, 0-100; in the second pass, of its work */
    bool checking;             /* in the second pass (import_job_checked) */
    size_t checked, written;   /* there: rows checked, then written, of rows */
    bool dry_run;
    char mark[100];
    enum svc_status status;    /* once done: what fn answered */
};

/* Job id of kind as user_id sees it at now (the clock of the context the
 * job was started with): IMPORT_JOB_NONE (no such job, not theirs,
 * another kind, or forgotten: a job done is forgotten once it started
 * more than IMPORT_JOB_KEEP_SECONDS before now), RUNNING, or DONE with the
 * result copied into result (result_size bytes, which must be the size the
 * job was started with). */
enum import_job_state import_job_look(int64_t id, int64_t user_id, const char *kind, int64_t now,
                                      struct import_job_view *v, void *result, size_t result_size);

/* The pages' side (h_gias.c, h_ctf.c). */
struct req;
struct resp;
struct field_errors;

/* The page's import of in, the file the request sent (its check mark
 * sha), started as a job of kind (import_job_start; the request gives the
 * job its file) and answered: a redirect to page?job=N, or an error page
 * when it could not start.  Returns false, having answered nothing, when
 * another file is being read: the caller shows its form again with
 * IMPORT_JOB_BUSY on the file (409). */
bool import_job_answer_start(struct req *rq, struct resp *rs, const struct svc_ctx *c, const char *kind,
                             const char *page, FILE *in, bool dry_run, const char *sha, const void *params,
                             size_t params_size, size_t result_size, import_job_fn fn);
#define IMPORT_JOB_BUSY "Another file is being imported at the moment. Try again in a minute"

/* page?job=N, the job of kind the request names, as the signed-in user
 * sees it.  No such job (or no memory): answered here (404, with what to
 * do), and IMPORT_JOB_NONE.  Still running: *running is the {{#running}}
 * of templates/import_progress.html (unit: what the rows are, "rows" or
 * "pupils"), for the caller's page.  Done: v says how, and *result (the
 * request's, result_size bytes) holds what the job's work made. */
enum import_job_state import_job_page(struct req *rq, struct resp *rs, const char *kind, const char *page,
                                      const char *unit, struct import_job_view *v, void **result,
                                      size_t result_size, json_t **running);

/* Whether a check or an import was asked for: a dry run unless the page's
 * step is "import" or the API's dry_run is "no" or "false". */
bool import_page_dry_run(struct req *rq);

/* An import page's file input ("file"): the label and hint given or,
 * after a clean check (checked), the same file asked for again, as the
 * server keeps none between requests. */
json_t *import_page_file_field(const struct field_errors *e, bool checked, const char *label, const char *hint,
                               const char *accept);
/* An import page rendered from ctx (tmpl, status) with what it may show
 * below its form, each NULL when there is none: the mark of the file
 * checked, to send again; the result of a check or an import; a job's
 * progress bar (result and running: the references taken). */
void import_page_render(struct req *rq, struct resp *rs, int status, const char *tmpl, json_t *ctx,
                        const char *checked, json_t *result, json_t *running);

/* An import page's GET, the same for each kind of file. */
struct import_page {
    const char *kind, *page, *unit;   /* as import_job_page takes them */
    size_t result_size;               /* the job's result, as import_job_answer_start was given it */
    /* The page's empty form; with a job still reading, running (the
     * reference taken) is its progress bar, else NULL. */
    void (*form)(struct req *rq, struct resp *rs, json_t *running);
    /* What the finished job v came to: its result, the job's own. */
    void (*done)(struct req *rq, struct resp *rs, const struct import_job_view *v, void *result);
};
/* Refused (403) unless allowed; with ?job=N, the job as import_job_page
 * sees it (not there: answered there); otherwise the empty form. */
void import_page_get(struct req *rq, struct resp *rs, bool allowed, const struct import_page *p);

/* Waits for a running job to finish and forgets every job.  The server
 * calls it after it stops taking requests and before it closes the pool. */
void import_jobs_stop(void);

#endif
