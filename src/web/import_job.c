/* Imports read on a thread of their own (import_job.h). */
#include "web/import_job.h"

#include "web/form.h"
#include "web/http.h"
#include "web/view.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

struct import_job {
    int64_t id;                 /* 0: an empty slot */
    int64_t user_id;
    char kind[16];
    bool dry_run;
    char mark[100];
    /* what the thread reads and writes */
    struct store_pool *pool;
    struct svc_ctx c;           /* c.who points at who below */
    struct principal who;
    FILE *in;
    int64_t size;
    import_job_fn fn;
    unsigned char params[IMPORT_JOB_PARAMS_MAX];
    void *result;
    size_t result_size;
    pthread_t thread;
    bool joinable;              /* a thread was started and not yet joined */
    uint64_t started;           /* order of starting, to forget the oldest first */
    int64_t started_at;         /* the starting context's clock, to forget old ones */
    /* under lock */
    enum import_job_state state;
    size_t rows;
    int percent;
    bool checking;
    size_t checked, written;
    enum svc_status status;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct import_job jobs[IMPORT_JOBS_KEPT];
static int64_t next_id;
static uint64_t starts;

void import_job_progress(void *arg, size_t rows)
{
    struct import_job *job = arg;
    long pos = ftell(job->in);
    int pct = job->size > 0 && pos > 0 ? (int)(100.0 * (double)pos / (double)job->size) : 0;
    pthread_mutex_lock(&lock);
    job->rows = rows;
    job->percent = pct < 0 ? 0 : pct > 100 ? 100 : pct;
    pthread_mutex_unlock(&lock);
}

void import_job_checked(void *arg, size_t checked, size_t written, size_t n)
{
    struct import_job *job = arg;
    size_t work = job->dry_run ? n : 2 * n;
    int pct = work ? (int)(100.0 * (double)(checked + written) / (double)work) : 100;
    pthread_mutex_lock(&lock);
    job->checking = true;
    job->checked = checked;
    job->written = written;
    job->rows = n;
    job->percent = pct < 0 ? 0 : pct > 100 ? 100 : pct;
    pthread_mutex_unlock(&lock);
}

static void *run(void *arg)
{
    struct import_job *job = arg;
    struct store *db = store_pool_acquire(job->pool);
    job->c.db = db;
    job->c.who = &job->who;
    enum svc_status st = job->fn(&job->c, job->in, job->dry_run, job->params, job, job->result);
    store_pool_release(job->pool, db);
    fclose(job->in);
    job->in = NULL;
    pthread_mutex_lock(&lock);
    job->status = st;
    if (st == SVC_OK)
        job->percent = 100;
    job->state = IMPORT_JOB_DONE;
    pthread_mutex_unlock(&lock);
    return NULL;
}

/* Empties a slot whose job is done (lock held): its thread joined (at
 * once), its result wiped before it is freed. */
static void forget(struct import_job *j)
{
    if (j->joinable)
        pthread_join(j->thread, NULL);
    if (j->result)
        sodium_memzero(j->result, j->result_size);
    free(j->result);
    sodium_memzero(j, sizeof *j);
}

/* The slot to use (lock held): an empty one, else the oldest job done; a
 * finished thread in it is joined first.  NULL while a job runs. */
static struct import_job *free_slot(void)
{
    struct import_job *pick = NULL;
    for (size_t i = 0; i < IMPORT_JOBS_KEPT; i++) {
        struct import_job *j = &jobs[i];
        if (j->id && j->state == IMPORT_JOB_RUNNING)
            return NULL;
        if (!pick || (pick->id && (!j->id || j->started < pick->started)))
            pick = j;
    }
    forget(pick);
    return pick;
}

int64_t import_job_start(struct store_pool *pool, const struct svc_ctx *c, const char *kind, FILE *in,
                         int64_t size, bool dry_run, const char *mark, const void *params, size_t params_size,
                         size_t result_size, import_job_fn fn)
{
    if (!in)
        return -1;
    void *result = params_size <= IMPORT_JOB_PARAMS_MAX ? calloc(1, result_size ? result_size : 1) : NULL;
    if (!result) {
        fclose(in);
        return -1;
    }
    pthread_mutex_lock(&lock);
    struct import_job *job = free_slot();
    if (!job) {
        pthread_mutex_unlock(&lock);
        free(result);
        fclose(in);
        return 0;
    }
    /* Ids start somewhere random, so one left in a browser's history from
     * before a restart does not name a new job. */
    if (next_id == 0)
        next_id = 1 + (int64_t)randombytes_uniform(1u << 30);
    job->id = next_id++;
    job->user_id = c->who->user_id;
    snprintf(job->kind, sizeof job->kind, "%s", kind);
    job->dry_run = dry_run;
    snprintf(job->mark, sizeof job->mark, "%s", mark ? mark : "");
    job->pool = pool;
    job->c = *c;
    job->who = *c->who;
    job->in = in;
    job->size = size;
    job->fn = fn;
    if (params_size)
        memcpy(job->params, params, params_size);
    job->result = result;
    job->result_size = result_size;
    job->started = ++starts;
    job->started_at = c->now;
    job->state = IMPORT_JOB_RUNNING;
    int64_t id = job->id;
    if (pthread_create(&job->thread, NULL, run, job) != 0) {
        free(result);
        memset(job, 0, sizeof *job);
        pthread_mutex_unlock(&lock);
        fclose(in);
        return -1;
    }
    job->joinable = true;
    pthread_mutex_unlock(&lock);
    return id;
}

enum import_job_state import_job_look(int64_t id, int64_t user_id, const char *kind, int64_t now,
                                      struct import_job_view *v, void *result, size_t result_size)
{
    memset(v, 0, sizeof *v);
    pthread_mutex_lock(&lock);
    for (size_t i = 0; id > 0 && i < IMPORT_JOBS_KEPT; i++) {
        struct import_job *j = &jobs[i];
        if (j->id != id || j->user_id != user_id || strcmp(j->kind, kind) != 0 || j->result_size != result_size)
            continue;
        if (j->state == IMPORT_JOB_DONE && now - j->started_at > IMPORT_JOB_KEEP_SECONDS) {
            forget(j);
            break;
        }
        v->state = j->state;
        v->rows = j->rows;
        v->percent = j->percent;
        v->checking = j->checking;
        v->checked = j->checked;
        v->written = j->written;
        v->dry_run = j->dry_run;
        memcpy(v->mark, j->mark, sizeof v->mark);
        v->status = j->status;
        if (j->state == IMPORT_JOB_DONE)
            memcpy(result, j->result, result_size);
        break;
    }
    pthread_mutex_unlock(&lock);
    return v->state;
}

void import_jobs_stop(void)
{
    /* Joined without the lock: the running thread takes it to finish. */
    for (size_t i = 0; i < IMPORT_JOBS_KEPT; i++)
        if (jobs[i].joinable) {
            pthread_join(jobs[i].thread, NULL);
            jobs[i].joinable = false;
        }
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < IMPORT_JOBS_KEPT; i++)
        forget(&jobs[i]);
    pthread_mutex_unlock(&lock);
}

bool import_job_answer_start(struct req *rq, struct resp *rs, const struct svc_ctx *c, const char *kind,
                             const char *page, FILE *in, bool dry_run, const char *sha, const void *params,
                             size_t params_size, size_t result_size, import_job_fn fn)
{
    int64_t size;
    req_upload(rq, "file", &size);
    int64_t id = import_job_start(rq->app->pool, c, kind, req_upload_take(rq, in), size, dry_run, sha, params,
                                  params_size, result_size, fn);
    if (id == 0)
        return false;
    if (id < 0) {
        view_svc_error(rq, rs, SVC_ERROR);
    } else {
        char to[160];
        snprintf(to, sizeof to, "%s?job=%lld", page, (long long)id);
        resp_redirect(rs, to);
    }
    return true;
}

enum import_job_state import_job_page(struct req *rq, struct resp *rs, const char *kind, const char *page,
                                      const char *unit, struct import_job_view *v, void **result,
                                      size_t result_size, json_t **running)
{
    const char *job = req_query(rq, "job");
    char *end = NULL;
    long long id = job ? strtoll(job, &end, 10) : 0;
    *result = req_alloc(rq, result_size);
    *running = NULL;
    memset(v, 0, sizeof *v);
    if (!*result) {
        view_svc_error(rq, rs, SVC_ERROR);
        return IMPORT_JOB_NONE;
    }
    bool named = job && *job && !*end && id > 0;
    enum import_job_state state =
        named ? import_job_look(id, rq->sess.who.user_id, kind, rq->now, v, *result, result_size) : IMPORT_JOB_NONE;
    if (state == IMPORT_JOB_NONE) {
        view_error(rq, rs, 404, "This import is not here any more",
                   "Imports are kept until the service restarts, and only the last few. Choose the file again "
                   "on the import page: if it was imported, checking it again shows nothing left to change.");
    } else if (state == IMPORT_JOB_RUNNING) {
        char url[160];
        snprintf(url, sizeof url, "%s?job=%lld", page, id);
        *running = json_pack("{s:I, s:i, s:i, s:I, s:s, s:s, s:b, s:b, s:I, s:I}", "job", (json_int_t)id, "percent",
                             v->percent, "band", v->percent / 10 * 10, "rows", (json_int_t)v->rows, "unit", unit,
                             "url", url, "dry_run", v->dry_run, "checking", v->checking, "checked",
                             (json_int_t)v->checked, "written", (json_int_t)v->written);
    }
    return state;
}

bool import_page_dry_run(struct req *rq)
{
    const char *step = req_param(rq, "step"), *dry = req_param(rq, "dry_run");
    return rq->api ? !dry || (strcmp(dry, "no") != 0 && strcmp(dry, "false") != 0)
                   : !step || strcmp(step, "import") != 0;
}

json_t *import_page_file_field(const struct field_errors *e, bool checked, const char *label, const char *hint,
                               const char *accept)
{
    if (checked)
        return fld_file("file", "Choose the same file again to import it", e,
                        "The file was checked but is not kept here, so it is sent again. A different file must be "
                        "checked first.", accept);
    return fld_file("file", label, e, hint, accept);
}

void import_page_render(struct req *rq, struct resp *rs, int status, const char *tmpl, json_t *ctx,
                        const char *checked, json_t *result, json_t *running)
{
    if (checked)
        json_object_set_new(ctx, "checked", json_string(checked));
    if (result)
        json_object_set_new(ctx, "result", result);
    if (running)
        json_object_set_new(ctx, "running", running);
    view_render(rq, rs, status, tmpl, ctx);
}

void import_page_get(struct req *rq, struct resp *rs, bool allowed, const struct import_page *p)
{
    if (view_denied(rq, rs, allowed))
        return;
    if (!req_query(rq, "job")) {
        p->form(rq, rs, NULL);
        return;
    }
    struct import_job_view v;
    void *result;
    json_t *running;
    switch (import_job_page(rq, rs, p->kind, p->page, p->unit, &v, &result, p->result_size, &running)) {
    case IMPORT_JOB_RUNNING:
        p->form(rq, rs, running);
        break;
    case IMPORT_JOB_DONE:
        p->done(rq, rs, &v, result);
        break;
    case IMPORT_JOB_NONE:
        break;   /* answered */
    }
}
