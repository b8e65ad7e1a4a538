#include "service/svc_outcomes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "service/svc_audit.h"
#include "service/svc_cases.h"
#include "service/svc_pupils.h"
#include "store/q_reference.h"

/* The pupil, if the user may see them (else not found), and whether they
 * may act on the pupil's case records (else forbidden). */
static enum svc_status pupil_for(struct svc_ctx *c, int64_t pupil_id, enum action a, struct pupil_row *p)
{
    enum svc_status st = svc_pupil_get(c, pupil_id, p);
    if (st != SVC_OK)
        return st;
    if (!svc_case_allowed(c, a, p))
        return a == ACT_VIEW || a == ACT_LIST ? SVC_NOT_FOUND : SVC_FORBIDDEN;
    return SVC_OK;
}

static void to_row(const struct outcome_record *r, int64_t pupil_id, const char *source, const struct svc_ctx *c,
                   struct outcome_row *out)
{
    memset(out, 0, sizeof *out);
    out->pupil_id = pupil_id;
    snprintf(out->kind, sizeof out->kind, "%s", outcome_kind_code(r->kind));
    day_format(r->starts, out->starts_on);
    if (r->ends)
        day_format(r->ends, out->ends_on);
    snprintf(out->code, sizeof out->code, "%s", r->code);
    out->sessions_possible = r->sessions_possible;
    out->sessions_missed = r->sessions_missed;
    out->sessions = r->sessions;
    snprintf(out->source, sizeof out->source, "%s", source);
    out->recorded_by = c->who->user_id;
    out->created_at = c->now;
}

int svc_outcome_from_row(const struct outcome_row *row, struct outcome_record *out)
{
    memset(out, 0, sizeof *out);
    if (outcome_kind_from_code(row->kind, &out->kind) != 0 || day_parse(row->starts_on, &out->starts) != 0)
        return -1;
    if (row->ends_on[0] && day_parse(row->ends_on, &out->ends) != 0)
        return -1;
    snprintf(out->code, sizeof out->code, "%s", row->code);
    out->sessions_possible = row->sessions_possible;
    out->sessions_missed = row->sessions_missed;
    out->sessions = row->sessions;
    return 0;
}

/* Stores one checked record with its audit entry. */
static enum svc_status store_one(struct svc_ctx *c, const struct pupil_row *p, const struct outcome_record *r,
                                 const char *source, int64_t *id)
{
    struct outcome_row row;
    to_row(r, p->p.id, source, c, &row);
    enum store_rc rc = q_outcome_insert(c->db, &row);
    if (rc != STORE_OK)
        return svc_from_store(rc);
    if (id)
        *id = row.id;
    struct audit_event ev = {.action = "create", .kind = "outcome", .resource_id = row.id,
                             .pupil_id = p->p.id, .school_id = p->p.school_id,
                             .authority_id = p->authority_id, .detail = source};
    return svc_audit_record(c, &ev);
}

static int32_t today_day(const struct svc_ctx *c)
{
    int32_t t = 0;
    return day_parse(c->today, &t) == 0 ? t : 0;
}

enum svc_status svc_outcome_add(struct svc_ctx *c, int64_t pupil_id, const struct outcome_record *r,
                                struct field_errors *errs, int64_t *id)
{
    struct pupil_row p;
    enum svc_status st = pupil_for(c, pupil_id, ACT_CREATE, &p);
    if (st != SVC_OK)
        return st;
    if (outcome_validate(r, today_day(c), errs) != 0)
        return SVC_INVALID;
    if (store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    st = store_one(c, &p, r, "hand", id);
    if (st != SVC_OK || store_commit(c->db) != STORE_OK) {
        store_rollback(c->db);
        return st != SVC_OK ? st : SVC_ERROR;
    }
    return SVC_OK;
}

enum svc_status svc_outcome_list(struct svc_ctx *c, int64_t pupil_id,
                                 void (*fn)(void *arg, const struct outcome_row *r), void *arg)
{
    struct pupil_row p;
    enum svc_status st = pupil_for(c, pupil_id, ACT_VIEW, &p);
    if (st != SVC_OK)
        return st;
    return svc_from_store(q_outcome_list(c->db, pupil_id, fn, arg));
}

/* ---- before and after ---- */

#define YEARS_AROUND 3
#define MAX_RECORDS 2048

struct collect {
    struct outcome_record *recs;
    size_t n;
};

static void collect_row(void *arg, const struct outcome_row *r)
{
    struct collect *cl = arg;
    if (cl->n < MAX_RECORDS && svc_outcome_from_row(r, &cl->recs[cl->n]) == 0)
        cl->n++;
}

/* The half-terms of the years around `year`: as recorded, else the
 * English defaults for a year with fewer than six. */
static enum svc_status terms_around(struct svc_ctx *c, int64_t authority_id, int year, struct term_span *out,
                                    size_t *nt)
{
    struct half_term ht[6 * (2 * YEARS_AROUND + 1)];
    size_t n = 0;
    for (int y = year - YEARS_AROUND; y <= year + YEARS_AROUND; y++) {
        struct term_row rows[6];
        size_t got = 0;
        if (q_terms_get(c->db, authority_id, y, rows, &got) != STORE_OK)
            return SVC_ERROR;
        bool ok = got == 6;
        for (size_t i = 0; ok && i < 6; i++) {
            ht[n + i].number = rows[i].half_term;
            ok = day_parse(rows[i].starts_on, &ht[n + i].starts) == 0 &&
                 day_parse(rows[i].ends_on, &ht[n + i].ends) == 0;
        }
        if (!ok) {
            int32_t closures[8];
            english_default_terms(y, &ht[n], closures, 8);
        }
        n += 6;
    }
    *nt = terms_from_half_terms(ht, n, out, 3 * (2 * YEARS_AROUND + 1));
    return SVC_OK;
}

enum svc_status svc_outcome_compare(struct svc_ctx *c, int64_t case_id, int nterms,
                                    struct outcome_compare *out, char presented[11])
{
    memset(out, 0, sizeof *out);
    struct case_row *cr = calloc(1, sizeof *cr);
    if (!cr)
        return SVC_ERROR;
    enum svc_status st = svc_case_get(c, case_id, cr);
    int64_t pupil_id = cr->pupil_id, authority_id = cr->authority_id;
    snprintf(presented, 11, "%s", cr->opened_on);
    free(cr);
    if (st != SVC_OK)
        return st;
    char first[11] = "";
    if (q_case_presented_on(c->db, case_id, first) != STORE_OK)
        return SVC_ERROR;
    if (first[0])
        snprintf(presented, 11, "%s", first);
    int32_t day = 0;
    if (day_parse(presented, &day) != 0 || nterms < 1 || nterms > YEARS_AROUND * 3)
        return SVC_INVALID;
    struct term_span terms[3 * (2 * YEARS_AROUND + 1)];
    size_t nt = 0;
    if ((st = terms_around(c, authority_id, academic_year_of(day), terms, &nt)) != SVC_OK)
        return st;
    struct collect cl = {calloc(MAX_RECORDS, sizeof *cl.recs), 0};
    if (!cl.recs)
        return SVC_ERROR;
    enum store_rc rc = q_outcome_list(c->db, pupil_id, collect_row, &cl);
    if (rc == STORE_OK)
        outcome_compare_for(cl.recs, cl.n, day, nterms, terms, nt, out);
    free(cl.recs);
    return svc_from_store(rc);
}

/* ---- import ---- */

struct checked {
    struct pupil_row p;
    bool ok;
};

static void report(void (*bad)(void *, size_t, const char *, const char *), void *arg, size_t line,
                   const char *field, const char *why)
{
    if (bad)
        bad(arg, line, field, why);
}

/* Rows repeated in the file: sorted by record, then by position, each row
 * equal to the one before it is a repeat (n log n, for large MIS exports). */
static int record_cmp(const struct outcome_import_row *a, const struct outcome_import_row *b)
{
    int c = strcmp(a->upn, b->upn);
    if (c == 0)
        c = (a->rec.kind > b->rec.kind) - (a->rec.kind < b->rec.kind);
    if (c == 0)
        c = (a->rec.starts > b->rec.starts) - (a->rec.starts < b->rec.starts);
    return c ? c : strcmp(a->rec.code, b->rec.code);
}

static int row_ptr_cmp(const void *x, const void *y)
{
    const struct outcome_import_row *a = *(const struct outcome_import_row *const *)x;
    const struct outcome_import_row *b = *(const struct outcome_import_row *const *)y;
    int c = record_cmp(a, b);
    return c ? c : (a > b) - (a < b);   /* same array: the earlier row first */
}

/* repeat[i] is true when row i repeats an earlier row; -1 out of memory. */
static int find_repeats(const struct outcome_import_row *rows, size_t n, bool *repeat)
{
    const struct outcome_import_row **p = malloc((n ? n : 1) * sizeof *p);
    if (!p)
        return -1;
    for (size_t i = 0; i < n; i++)
        p[i] = &rows[i];
    if (n > 1)
        qsort(p, n, sizeof *p, row_ptr_cmp);
    for (size_t k = 1; k < n; k++)
        repeat[p[k] - rows] = record_cmp(p[k], p[k - 1]) == 0;
    free(p);
    return 0;
}

/* Checks row i; returns true when it may be stored. */
static bool check_row(struct svc_ctx *c, const struct outcome_import_row *rows, size_t i, bool repeat,
                      struct checked *ck, void (*bad)(void *, size_t, const char *, const char *), void *arg)
{
    const struct outcome_import_row *r = &rows[i];
    int64_t pid = 0;
    enum store_rc rc = q_pupil_id_by_upn(c->db, r->upn, &pid);
    /* Not there and not visible read the same, so an import cannot be used
     * to find out which UPNs exist elsewhere. */
    if (rc != STORE_ROW || pupil_for(c, pid, ACT_CREATE, &ck->p) != SVC_OK) {
        report(bad, arg, r->line, "upn", "no pupil with this UPN that you may record outcomes for");
        return false;
    }
    struct field_errors errs = {0};
    if (outcome_validate(&r->rec, today_day(c), &errs) != 0) {
        for (size_t e = 0; e < errs.count; e++)
            report(bad, arg, r->line, errs.items[e].field, errs.items[e].message);
        return false;
    }
    if (repeat) {
        report(bad, arg, r->line, "row", "the same record appears on an earlier line");
        return false;
    }
    struct outcome_row row;
    to_row(&r->rec, pid, "import", c, &row);
    bool exists = false;
    if (q_outcome_exists(c->db, pid, row.kind, row.starts_on, row.code, &exists) != STORE_OK || exists) {
        report(bad, arg, r->line, "row", "this record is already stored");
        return false;
    }
    return true;
}

static int id_cmp(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

static size_t distinct_pupils(const struct checked *ck, size_t n)
{
    int64_t *ids = malloc((n ? n : 1) * sizeof *ids);
    if (!ids)
        return 0;
    for (size_t i = 0; i < n; i++)
        ids[i] = ck[i].p.p.id;
    if (n > 1)
        qsort(ids, n, sizeof *ids, id_cmp);
    size_t d = n > 0;
    for (size_t i = 1; i < n; i++)
        d += ids[i] != ids[i - 1];
    free(ids);
    return d;
}

enum svc_status svc_outcomes_import(struct svc_ctx *c, const struct outcome_import_row *rows, size_t n,
                                    bool dry_run,
                                    void (*bad)(void *arg, size_t line, const char *field, const char *why),
                                    void *arg, struct outcome_import_report *rep)
{
    memset(rep, 0, sizeof *rep);
    rep->rows = n;
    struct checked *ck = calloc(n ? n : 1, sizeof *ck);
    bool *repeat = calloc(n ? n : 1, sizeof *repeat);
    if (!ck || !repeat || find_repeats(rows, n, repeat) != 0) {
        free(ck);
        free(repeat);
        return SVC_ERROR;
    }
    for (size_t i = 0; i < n; i++) {
        ck[i].ok = check_row(c, rows, i, repeat[i], &ck[i], bad, arg);
        rep->bad += !ck[i].ok;
    }
    free(repeat);
    rep->pupils = rep->bad ? 0 : distinct_pupils(ck, n);
    enum svc_status st = rep->bad ? SVC_INVALID : SVC_OK;
    if (st == SVC_OK && !dry_run && n > 0) {
        if (store_begin_write(c->db) != STORE_OK) {
            free(ck);
            return SVC_ERROR;
        }
        for (size_t i = 0; i < n && st == SVC_OK; i++)
            st = store_one(c, &ck[i].p, &rows[i].rec, "import", NULL);
        if (st != SVC_OK || store_commit(c->db) != STORE_OK) {
            store_rollback(c->db);
            st = SVC_ERROR;
        } else {
            rep->written = n;
        }
    }
    free(ck);
    return st;
}
