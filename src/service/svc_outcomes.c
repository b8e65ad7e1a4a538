#include "service/svc_outcomes.h"
#include "lib/count.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/validate.h"
#include "lib/csv.h"
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

static bool blank(const char *s)
{
    return !s || !s[strspn(s, " \t")];
}

/* A GOV.UK date input into a day number: 0 when all three are blank. */
static void form_day(const char *d, const char *m, const char *y, const char *field, const char *what,
                     int32_t *out, struct field_errors *errs)
{
    char iso[11], msg[96];
    *out = 0;
    if (blank(d) && blank(m) && blank(y))
        return;
    int rc = parse_date_parts(d, m, y, iso);
    if (rc == DATE_BAD_YEAR) {
        field_errors_add(errs, field, "Year must include 4 numbers");
        return;
    }
    if (rc != DATE_OK || day_parse(iso, out) != 0) {
        *out = 0;
        snprintf(msg, sizeof msg, "The %s must be a real date", what);
        field_errors_add(errs, field, msg);
    }
}

static void form_number(const char *s, const char *field, int64_t *out, struct field_errors *errs)
{
    long n = 0;
    *out = 0;
    if (blank(s))
        return;
    if (parse_int_strict(s, 0, 100000, &n) != 0)
        field_errors_add(errs, field, "Enter a whole number");
    else
        *out = n;
}

enum svc_status svc_outcome_record(struct svc_ctx *c, int64_t pupil_id, const struct outcome_form *f,
                                   struct field_errors *errs, int64_t *id)
{
    struct pupil_row p;
    enum svc_status st = pupil_for(c, pupil_id, ACT_CREATE, &p);
    if (st != SVC_OK)
        return st;
    struct outcome_record r = {0};
    if (outcome_kind_from_code(f->kind, &r.kind) != 0) {
        field_errors_add(errs, "kind", "Choose the kind of record");
        return SVC_INVALID;
    }
    struct field_errors typed = {0};
    form_day(f->starts_day, f->starts_month, f->starts_year, "starts", "start date", &r.starts, &typed);
    form_day(f->ends_day, f->ends_month, f->ends_year, "ends", "end date", &r.ends, &typed);
    if (f->code)
        snprintf(r.code, sizeof r.code, "%s", f->code);
    form_number(f->sessions_possible, "sessions_possible", &r.sessions_possible, &typed);
    form_number(f->sessions_missed, "sessions_missed", &r.sessions_missed, &typed);
    form_number(f->sessions, "sessions", &r.sessions, &typed);
    struct field_errors rules = {0};
    (void)outcome_validate(&r, today_day(c), &rules);
    /* What could not be read is said once, as typed; the rules speak for the rest. */
    for (size_t i = 0; i < typed.count; i++)
        field_errors_add(errs, typed.items[i].field, typed.items[i].message);
    for (size_t i = 0; i < rules.count; i++)
        if (!field_errors_get(&typed, rules.items[i].field))
            field_errors_add(errs, rules.items[i].field, rules.items[i].message);
    if (errs->count)
        return SVC_INVALID;
    return svc_outcome_add(c, pupil_id, &r, errs, id);
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

_Static_assert(OUTCOME_TERMS_MAX == 3 * (2 * YEARS_AROUND + 1), "the terms of the years around one");

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
    *nt = terms_from_half_terms(ht, n, out, OUTCOME_TERMS_MAX);
    return SVC_OK;
}

enum svc_status svc_outcome_compare_pupil(struct svc_ctx *c, int64_t pupil_id, int64_t authority_id,
                                          const char *presented, int nterms, struct outcome_terms *cache,
                                          struct outcome_compare *out)
{
    memset(out, 0, sizeof *out);
    int32_t day = 0;
    if (day_parse(presented, &day) != 0 || nterms < 1 || nterms > YEARS_AROUND * 3)
        return SVC_INVALID;
    struct outcome_terms own = {0}, *t = cache ? cache : &own;
    int year = academic_year_of(day);
    if (!t->loaded || t->authority_id != authority_id || t->year != year) {
        t->loaded = false;
        enum svc_status st = terms_around(c, authority_id, year, t->terms, &t->nt);
        if (st != SVC_OK)
            return st;
        t->authority_id = authority_id;
        t->year = year;
        t->loaded = true;
    }
    const struct term_span *terms = t->terms;
    size_t nt = t->nt;
    struct collect cl = {calloc(MAX_RECORDS, sizeof *cl.recs), 0};
    if (!cl.recs)
        return SVC_ERROR;
    enum store_rc rc = q_outcome_list(c->db, pupil_id, collect_row, &cl);
    if (rc == STORE_OK)
        outcome_compare_for(cl.recs, cl.n, day, nterms, terms, nt, out);
    free(cl.recs);
    return svc_from_store(rc);
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
    /* The case may be the user's (a practitioner of its team) while the
     * pupil's outcome records are not: those answer as not found. */
    struct pupil_row p;
    if ((st = pupil_for(c, pupil_id, ACT_VIEW, &p)) != SVC_OK)
        return st;
    char first[11] = "";
    if (q_case_presented_on(c->db, case_id, first) != STORE_OK)
        return SVC_ERROR;
    if (first[0])
        snprintf(presented, 11, "%s", first);
    return svc_outcome_compare_pupil(c, pupil_id, authority_id, presented, nterms, NULL, out);
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
    struct outcome_row row, stored;
    to_row(&r->rec, pid, "import", c, &row);
    if (q_outcome_find(c->db, pid, row.kind, row.starts_on, row.code, &stored) != STORE_DONE) {
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
                                    void *arg, outcome_checked_fn checked, void *checked_arg,
                                    struct outcome_import_report *rep)
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
        if (checked && (i + 1) % OUTCOME_IMPORT_STEP == 0)
            checked(checked_arg, i + 1, 0, n);
    }
    free(repeat);
    if (checked)
        checked(checked_arg, n, 0, n);
    rep->pupils = rep->bad ? 0 : distinct_pupils(ck, n);
    enum svc_status st = rep->bad ? SVC_INVALID : SVC_OK;
    if (st == SVC_OK && !dry_run && n > 0) {
        if (store_begin_write(c->db) != STORE_OK) {
            free(ck);
            return SVC_ERROR;
        }
        for (size_t i = 0; i < n && st == SVC_OK; i++) {
            st = store_one(c, &ck[i].p, &rows[i].rec, "import", NULL);
            if (checked && ((i + 1) % OUTCOME_IMPORT_STEP == 0 || i + 1 == n))
                checked(checked_arg, n, i + 1, n);
        }
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

/* ---- import from CSV ---- */

/* What a column holds. */
enum col { C_UPN, C_START, C_END, C_CODE, C_POSSIBLE, C_MISSED, C_SESSIONS };

#define MAX_COLS 5

struct layout {
    enum outcome_kind kind;
    const char *header;
    size_t ncols;
    enum col cols[MAX_COLS];
};

/* The header of each kind's file, column for column. */
static const struct layout layouts[] = {
    {OUT_ATTENDANCE, "upn,term_start,term_end,sessions_possible,sessions_missed", 5,
     {C_UPN, C_START, C_END, C_POSSIBLE, C_MISSED}},
    {OUT_SUSPENSION, "upn,start_date,sessions,reason", 4, {C_UPN, C_START, C_SESSIONS, C_CODE}},
    {OUT_EXCLUSION, "upn,date,reason", 3, {C_UPN, C_START, C_CODE}},
    {OUT_PART_TIME, "upn,start_date,end_date", 3, {C_UPN, C_START, C_END}},
    {OUT_EHC_ASSESSMENT, "upn,date,status", 3, {C_UPN, C_START, C_CODE}},
    {OUT_EHC_PLAN, "upn,start_date,end_date", 3, {C_UPN, C_START, C_END}},
    {OUT_SOCIAL_CARE, "upn,category,start_date,end_date", 4, {C_UPN, C_CODE, C_START, C_END}},
    {OUT_AP_PLACEMENT, "upn,start_date,return_date", 3, {C_UPN, C_START, C_END}},
    {OUT_POST16, "upn,date,destination", 3, {C_UPN, C_START, C_CODE}},
    {OUT_FSM, "upn,start_date,end_date", 3, {C_UPN, C_START, C_END}},
    {OUT_PUPIL_PREMIUM, "upn,start_date,end_date", 3, {C_UPN, C_START, C_END}},
    {OUT_EAL, "upn,date", 2, {C_UPN, C_START}},
    {OUT_LUNCHTIME, "upn,date,sessions,reason", 4, {C_UPN, C_START, C_SESSIONS, C_CODE}},
};

static const struct layout *layout_of(enum outcome_kind k)
{
    for (size_t i = 0; i < COUNT(layouts); i++)
        if (layouts[i].kind == k)
            return &layouts[i];
    return NULL;
}

const char *svc_outcome_csv_header(enum outcome_kind k)
{
    const struct layout *l = layout_of(k);
    return l ? l->header : "";
}

/* A date as MIS exports write them: YYYY-MM-DD or DD/MM/YYYY. */
static int parse_day(const char *s, int32_t *d)
{
    int dd, mm, yy;
    char tail;
    if (day_parse(s, d) == 0)
        return 0;
    if (strlen(s) != 10 || sscanf(s, "%2d/%2d/%4d%c", &dd, &mm, &yy, &tail) != 3)
        return -1;
    char iso[16];
    snprintf(iso, sizeof iso, "%04d-%02d-%02d", yy, mm, dd);
    return day_parse(iso, d);
}

struct csv_import {
    const struct layout *lay;
    struct outcome_import_row *rows;
    size_t n, cap;
    struct outcome_csv_result *out;
    size_t cap_problems;
    bool no_memory;
    void (*progress)(void *arg, size_t lines);
    void *arg;
};

static void problem(void *arg, size_t line, const char *field, const char *why)
{
    struct csv_import *im = arg;
    struct outcome_csv_result *o = im->out;
    o->problems =
        svc_room(o->problems, o->nproblems, &im->cap_problems, sizeof *o->problems, 64, &im->no_memory);
    if (im->no_memory)
        return;
    struct outcome_problem *p = &o->problems[o->nproblems];
    p->seq = o->nproblems++;
    p->line = line;
    snprintf(p->field, sizeof p->field, "%s", field);
    snprintf(p->why, sizeof p->why, "%s", why);
}

/* One field into the row; the reason it is bad, or NULL. */
static const char *csv_field(enum col c, const char *v, struct outcome_import_row *r, const char **name)
{
    long n = 0;
    static const char *names[] = {"upn", "date", "end date", "code", "sessions_possible", "sessions_missed",
                                  "sessions"};
    *name = names[c];
    switch (c) {
    case C_UPN:
        if (!*v || strlen(v) >= sizeof r->upn)
            return "enter the pupil's 13-character UPN";
        snprintf(r->upn, sizeof r->upn, "%s", v);
        return NULL;
    case C_START:
        return parse_day(v, &r->rec.starts) ? "must be a real date, YYYY-MM-DD or DD/MM/YYYY" : NULL;
    case C_END:
        return *v && parse_day(v, &r->rec.ends) ? "must be empty or a real date" : NULL;
    case C_CODE:
        if (strlen(v) >= sizeof r->rec.code)
            return "is not a known code";
        snprintf(r->rec.code, sizeof r->rec.code, "%s", v);
        return NULL;
    default:
        if (parse_int_strict(v, 0, 100000, &n) != 0)
            return "must be a whole number";
        if (c == C_POSSIBLE)
            r->rec.sessions_possible = n;
        else if (c == C_MISSED)
            r->rec.sessions_missed = n;
        else
            r->rec.sessions = n;
        return NULL;
    }
}

static int add_row(struct csv_import *im, const struct outcome_import_row *r)
{
    bool no_room = false;
    im->rows = svc_room(im->rows, im->n, &im->cap, sizeof *im->rows, 256, &no_room);
    if (no_room)
        return -1;
    im->rows[im->n++] = *r;
    return 0;
}

static int csv_header(void *arg, const char *s)
{
    struct csv_import *im = arg;
    if (strcmp(s, im->lay->header) != 0)
        problem(im, 1, "header", "the header must be the kind's columns");
    return 0;
}

static int csv_row(void *arg, char *s, size_t line)
{
    struct csv_import *im = arg;
    char *f[MAX_COLS];
    if (++im->out->lines % 1000 == 0 && im->progress)
        im->progress(im->arg, im->out->lines);
    int nf = csv_split(s, f, (int)im->lay->ncols);
    if (nf != (int)im->lay->ncols) {
        problem(im, line, "row", nf < 0 ? "a quote out of place" : "the columns must be those of the header");
        return 0;
    }
    struct outcome_import_row r = {.line = line, .rec = {.kind = im->lay->kind}};
    bool ok = true;
    for (size_t i = 0; i < im->lay->ncols; i++) {
        const char *name, *why = csv_field(im->lay->cols[i], f[i], &r, &name);
        if (why) {
            problem(im, line, name, why);
            ok = false;
        }
    }
    return ok ? add_row(im, &r) : 0;
}

static int by_line(const void *a, const void *b)
{
    const struct outcome_problem *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

enum svc_status svc_outcomes_import_csv(struct svc_ctx *c, FILE *in, enum outcome_kind k, bool dry_run,
                                        void (*progress)(void *arg, size_t lines), outcome_checked_fn checked,
                                        void *arg, struct outcome_csv_result *out)
{
    memset(out, 0, sizeof *out);
    struct csv_import im = {.lay = layout_of(k), .out = out, .progress = progress, .arg = arg};
    if (!im.lay)
        return SVC_INVALID;
    size_t lines = 0;
    if (csv_each_line(in, csv_header, csv_row, &im, &lines) != 0) {
        free(im.rows);
        return SVC_ERROR;
    }
    if (lines == 0)
        problem(&im, 1, "header", "the file is empty");
    if (progress)
        progress(arg, out->lines);
    /* Lines with bad fields are out already; the service checks the rest
     * (and, with any problem, writes nothing). */
    size_t file_problems = out->nproblems;
    enum svc_status st = svc_outcomes_import(c, im.rows, im.n, dry_run || file_problems > 0, problem, &im,
                                             checked, arg, &out->rep);
    free(im.rows);
    if (im.no_memory)
        return SVC_ERROR;
    /* In line order; on one line, in the order found (the file's own
     * checks before the service's). */
    if (out->nproblems > 1)
        qsort(out->problems, out->nproblems, sizeof *out->problems, by_line);
    if (out->nproblems > 0)
        return st == SVC_OK || st == SVC_INVALID ? SVC_INVALID : st;
    return st;
}

void svc_outcome_csv_free(struct outcome_csv_result *r)
{
    free(r->problems);
    r->problems = NULL;
    r->nproblems = 0;
}

/* What a later import does to an attendance year an import stored: more
 * sessions possible is the same year further on (updated); fewer, or the
 * same sessions with other absences, is kept as stored and said so. */
static enum outcome_import attendance_again(const struct outcome_row *stored, const struct outcome_row *row)
{
    if (strcmp(stored->source, "import") != 0)
        return stored->sessions_possible == row->sessions_possible &&
               stored->sessions_missed == row->sessions_missed ? OUTCOME_KEPT : OUTCOME_KEPT_OTHER;
    if (row->sessions_possible > stored->sessions_possible)
        return OUTCOME_UPDATED;
    if (row->sessions_possible < stored->sessions_possible)
        return OUTCOME_KEPT_FEWER;
    return row->sessions_missed == stored->sessions_missed ? OUTCOME_KEPT : OUTCOME_KEPT_OTHER;
}

enum svc_status svc_outcome_import_one(struct svc_ctx *c, const struct pupil_row *p,
                                       const struct outcome_record *r, struct field_errors *errs,
                                       struct outcome_import_result *res)
{
    memset(res, 0, sizeof *res);
    if (!svc_case_allowed(c, ACT_CREATE, p))
        return SVC_FORBIDDEN;
    if (outcome_validate(r, today_day(c), errs) != 0)
        return SVC_INVALID;
    struct outcome_row row;
    to_row(r, p->p.id, "import", c, &row);
    enum store_rc rc = q_outcome_find(c->db, p->p.id, row.kind, row.starts_on, row.code, &res->stored);
    if (rc == STORE_DONE) {
        res->what = OUTCOME_ADDED;
        return store_one(c, p, r, "import", NULL);
    }
    if (rc != STORE_ROW)
        return SVC_ERROR;
    res->what = r->kind == OUT_ATTENDANCE ? attendance_again(&res->stored, &row) : OUTCOME_KEPT;
    if (res->what != OUTCOME_UPDATED)
        return SVC_OK;
    row.id = res->stored.id;
    if (q_outcome_update_sessions(c->db, &row) != STORE_OK)
        return SVC_ERROR;
    struct audit_event ev = {.action = "edit", .kind = "outcome", .resource_id = row.id, .pupil_id = p->p.id,
                             .school_id = p->p.school_id, .authority_id = p->authority_id,
                             .detail = "import: more sessions"};
    return svc_audit_record(c, &ev);
}
