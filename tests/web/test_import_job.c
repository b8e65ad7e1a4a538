/* Tests for imports read on a thread of their own (src/web/import_job.c):
 * the job runs with the starter's principal, clock and origin on a
 * connection of its own; its page sees it running, with the rows and the
 * share of the file read, then done with the result; only its owner, and
 * only under its kind, sees it; one runs at a time; the oldest are
 * forgotten; a stop waits for the one running.  The job's work here waits
 * on the test, so "running" is seen for certain, not by luck of timing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "web/import_job.h"

#define NOW 1795000000

static const int seven = 7;   /* the parameter every job here is given */

struct fx {
    char dir[64];
    struct store_pool *pool;
    struct principal who;
    struct svc_ctx ctx;
};

struct result {
    int64_t user_id;
    int64_t now;
    char origin[64];
    bool had_db, dry_run;
    long read;
    int param;
};

/* The gate a job's work waits at until the test opens it. */
static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;
static bool gate_open, at_gate;
static enum svc_status answer = SVC_OK;

static void gate_reset(void)
{
    pthread_mutex_lock(&gate_lock);
    gate_open = false;
    at_gate = false;
    pthread_mutex_unlock(&gate_lock);
}

static void gate_release(void)
{
    pthread_mutex_lock(&gate_lock);
    gate_open = true;
    pthread_cond_broadcast(&gate_cond);
    pthread_mutex_unlock(&gate_lock);
}

/* From the job's work: says it is at the gate and waits for it to open. */
static void stop_at_gate(void)
{
    pthread_mutex_lock(&gate_lock);
    at_gate = true;
    while (!gate_open)
        pthread_cond_wait(&gate_cond, &gate_lock);
    pthread_mutex_unlock(&gate_lock);
}

static void wait_at_gate(void)
{
    for (;;) {
        pthread_mutex_lock(&gate_lock);
        bool there = at_gate;
        pthread_mutex_unlock(&gate_lock);
        if (there)
            return;
        usleep(1000);
    }
}

/* Reads half the file, says so, waits at the gate, reads the rest. */
static enum svc_status work(struct svc_ctx *c, FILE *in, bool dry_run, const void *params, struct import_job *job,
                            void *out)
{
    struct result *r = out;
    memcpy(&r->param, params, sizeof r->param);
    r->user_id = c->who->user_id;
    r->now = c->now;
    snprintf(r->origin, sizeof r->origin, "%s", c->remote_addr);
    r->had_db = c->db != NULL;
    r->dry_run = dry_run;
    char buf[50];
    r->read = (long)fread(buf, 1, sizeof buf, in);
    import_job_progress(job, 500);
    stop_at_gate();
    while (fgetc(in) != EOF)
        r->read++;
    import_job_progress(job, 1000);
    return answer;
}

/* Reads the whole file, then checks 30 of its 40 rows and waits at the
 * gate; then checks and writes them all (an outcomes import's second
 * pass). */
static enum svc_status work_checking(struct svc_ctx *c, FILE *in, bool dry_run, const void *params,
                                     struct import_job *job, void *out)
{
    (void)c;
    (void)dry_run;
    (void)params;
    (void)out;
    while (fgetc(in) != EOF)
        ;
    import_job_progress(job, 40);
    import_job_checked(job, 30, 0, 40);
    stop_at_gate();
    import_job_checked(job, 40, 40, 40);
    return answer;
}

/* A file of n bytes, as an upload would be. */
static FILE *file_of(size_t n)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    for (size_t i = 0; i < n; i++)
        fputc('x', f);
    rewind(f);
    return f;
}

static enum import_job_state wait_done(int64_t id, int64_t user, struct import_job_view *v, struct result *r)
{
    for (int i = 0; i < 10000; i++) {
        enum import_job_state s = import_job_look(id, user, "gias", NOW, v, r, sizeof *r);
        if (s != IMPORT_JOB_RUNNING)
            return s;
        usleep(1000);
    }
    return IMPORT_JOB_RUNNING;
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/tas-import-job-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    char path[96], err[256];
    snprintf(path, sizeof path, "%s/t.db", f->dir);
    f->pool = store_pool_open(path, 2, err, sizeof err);
    assert_non_null(f->pool);
    f->who.user_id = 42;
    svc_origin_set("192.0.2.7");
    svc_ctx_init(&f->ctx, NULL, &f->who, NOW);
    svc_origin_set(NULL);
    gate_reset();
    answer = SVC_OK;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    gate_release();
    import_jobs_stop();
    store_pool_close(f->pool);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        return -1;
    free(f);
    return 0;
}

static void running_then_done(void **state)
{
    struct fx *f = *state;
    int64_t id = import_job_start(f->pool, &f->ctx, "gias", file_of(100), 100, true, "abc123", &seven,
                                  sizeof seven, sizeof(struct result), work);
    assert_true(id > 0);
    wait_at_gate();
    struct import_job_view v;
    struct result r;
    assert_int_equal(import_job_look(id, 42, "gias", NOW, &v, &r, sizeof r), IMPORT_JOB_RUNNING);
    assert_int_equal(v.rows, 500);
    assert_int_equal(v.percent, 50);   /* 50 of 100 bytes read */
    assert_true(v.dry_run);
    assert_string_equal(v.mark, "abc123");
    /* Not another user's, not under another kind, not another id. */
    assert_int_equal(import_job_look(id, 43, "gias", NOW, &v, &r, sizeof r), IMPORT_JOB_NONE);
    assert_int_equal(import_job_look(id, 42, "ctf", NOW, &v, &r, sizeof r), IMPORT_JOB_NONE);
    assert_int_equal(import_job_look(id + 1, 42, "gias", NOW, &v, &r, sizeof r), IMPORT_JOB_NONE);
    assert_int_equal(import_job_look(0, 42, "gias", NOW, &v, &r, sizeof r), IMPORT_JOB_NONE);
    /* One at a time: a second is refused while the first runs. */
    assert_int_equal(
        import_job_start(f->pool, &f->ctx, "gias", file_of(10), 10, true, "", &seven, sizeof seven, sizeof r, work), 0);
    gate_release();
    assert_int_equal(wait_done(id, 42, &v, &r), IMPORT_JOB_DONE);
    assert_int_equal(v.status, SVC_OK);
    assert_int_equal(v.percent, 100);
    assert_int_equal(v.rows, 1000);
    assert_int_equal(r.read, 100);
    assert_int_equal(r.user_id, 42);
    assert_int_equal(r.now, NOW);
    assert_string_equal(r.origin, "192.0.2.7");
    assert_true(r.had_db);
    assert_true(r.dry_run);
    assert_int_equal(r.param, 7);
}

static void the_second_pass_shown(void **state)
{
    struct fx *f = *state;
    /* An import (not a dry run): checking is the first half of the work. */
    int64_t id = import_job_start(f->pool, &f->ctx, "gias", file_of(100), 100, false, "", &seven, sizeof seven,
                                  sizeof(struct result), work_checking);
    assert_true(id > 0);
    wait_at_gate();
    struct import_job_view v;
    struct result r;
    assert_int_equal(import_job_look(id, 42, "gias", NOW, &v, &r, sizeof r), IMPORT_JOB_RUNNING);
    assert_true(v.checking);
    assert_int_equal(v.checked, 30);
    assert_int_equal(v.written, 0);
    assert_int_equal(v.rows, 40);
    assert_int_equal(v.percent, 37);   /* 30 of 80 steps: 40 checks, then 40 writes */
    gate_release();
    assert_int_equal(wait_done(id, 42, &v, &r), IMPORT_JOB_DONE);
    assert_int_equal(v.percent, 100);
    assert_int_equal(v.written, 40);
    /* A dry run only checks: 30 of 40 is 75%. */
    gate_reset();
    id = import_job_start(f->pool, &f->ctx, "gias", file_of(100), 100, true, "", &seven, sizeof seven,
                          sizeof(struct result), work_checking);
    wait_at_gate();
    assert_int_equal(import_job_look(id, 42, "gias", NOW, &v, &r, sizeof r), IMPORT_JOB_RUNNING);
    assert_int_equal(v.percent, 75);
    gate_release();
    assert_int_equal(wait_done(id, 42, &v, &r), IMPORT_JOB_DONE);
}

static void a_failure_is_kept_as_answered(void **state)
{
    struct fx *f = *state;
    answer = SVC_INVALID;
    gate_release();
    int64_t id = import_job_start(f->pool, &f->ctx, "gias", file_of(40), 40, false, "", &seven, sizeof seven,
                                  sizeof(struct result), work);
    assert_true(id > 0);
    struct import_job_view v;
    struct result r;
    assert_int_equal(wait_done(id, 42, &v, &r), IMPORT_JOB_DONE);
    assert_int_equal(v.status, SVC_INVALID);
    assert_false(v.dry_run);
    /* Looked at with a buffer of another size: not this job's. */
    char small[4];
    assert_int_equal(import_job_look(id, 42, "gias", NOW, &v, small, sizeof small), IMPORT_JOB_NONE);
}

static void the_oldest_are_forgotten(void **state)
{
    struct fx *f = *state;
    gate_release();
    int64_t ids[IMPORT_JOBS_KEPT + 1];
    struct import_job_view v;
    struct result r;
    for (int i = 0; i <= IMPORT_JOBS_KEPT; i++) {
        ids[i] =
            import_job_start(f->pool, &f->ctx, "gias", file_of(8), 8, true, "", &seven, sizeof seven, sizeof r, work);
        assert_true(ids[i] > 0);
        if (i > 0)
            assert_true(ids[i] > ids[i - 1]);
        assert_int_equal(wait_done(ids[i], 42, &v, &r), IMPORT_JOB_DONE);
    }
    assert_int_equal(import_job_look(ids[0], 42, "gias", NOW, &v, &r, sizeof r), IMPORT_JOB_NONE);
    for (int i = 1; i <= IMPORT_JOBS_KEPT; i++)
        assert_int_equal(import_job_look(ids[i], 42, "gias", NOW, &v, &r, sizeof r), IMPORT_JOB_DONE);
}

static void an_hour_after_it_started_a_job_done_is_forgotten(void **state)
{
    struct fx *f = *state;
    int64_t id = import_job_start(f->pool, &f->ctx, "gias", file_of(20), 20, true, "", &seven, sizeof seven,
                                  sizeof(struct result), work);
    assert_true(id > 0);
    wait_at_gate();
    struct import_job_view v;
    struct result r;
    /* Running, it is kept however long it takes. */
    assert_int_equal(import_job_look(id, 42, "gias", NOW + 5 * IMPORT_JOB_KEEP_SECONDS, &v, &r, sizeof r),
                     IMPORT_JOB_RUNNING);
    gate_release();
    assert_int_equal(wait_done(id, 42, &v, &r), IMPORT_JOB_DONE);
    assert_int_equal(import_job_look(id, 42, "gias", NOW + IMPORT_JOB_KEEP_SECONDS, &v, &r, sizeof r),
                     IMPORT_JOB_DONE);
    /* Not shown to another user even then, nor forgotten by their look. */
    assert_int_equal(import_job_look(id, 43, "gias", NOW + IMPORT_JOB_KEEP_SECONDS + 1, &v, &r, sizeof r),
                     IMPORT_JOB_NONE);
    assert_int_equal(import_job_look(id, 42, "gias", NOW + IMPORT_JOB_KEEP_SECONDS, &v, &r, sizeof r),
                     IMPORT_JOB_DONE);
    assert_int_equal(import_job_look(id, 42, "gias", NOW + IMPORT_JOB_KEEP_SECONDS + 1, &v, &r, sizeof r),
                     IMPORT_JOB_NONE);
    /* Gone for good: an earlier clock does not bring it back. */
    assert_int_equal(import_job_look(id, 42, "gias", NOW, &v, &r, sizeof r), IMPORT_JOB_NONE);
}

static void *open_gate_later(void *arg)
{
    (void)arg;
    wait_at_gate();
    usleep(20000);
    gate_release();
    return NULL;
}

static void a_stop_waits_for_the_running_job(void **state)
{
    struct fx *f = *state;
    int64_t id = import_job_start(f->pool, &f->ctx, "gias", file_of(30), 30, true, "", &seven, sizeof seven,
                                  sizeof(struct result), work);
    assert_true(id > 0);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, open_gate_later, NULL), 0);
    import_jobs_stop();   /* returns only once the job has finished */
    pthread_join(t, NULL);
    pthread_mutex_lock(&gate_lock);
    assert_true(gate_open);
    pthread_mutex_unlock(&gate_lock);
    struct import_job_view v;
    struct result r;
    assert_int_equal(import_job_look(id, 42, "gias", NOW, &v, &r, sizeof r), IMPORT_JOB_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(running_then_done, setup, teardown),
        cmocka_unit_test_setup_teardown(the_second_pass_shown, setup, teardown),
        cmocka_unit_test_setup_teardown(a_failure_is_kept_as_answered, setup, teardown),
        cmocka_unit_test_setup_teardown(the_oldest_are_forgotten, setup, teardown),
        cmocka_unit_test_setup_teardown(a_stop_waits_for_the_running_job, setup, teardown),
        cmocka_unit_test_setup_teardown(an_hour_after_it_started_a_job_done_is_forgotten, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
