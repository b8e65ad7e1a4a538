#include "service/svc_gias.h"

#include <stdlib.h>
#include <string.h>

#include "lib/csv.h"
#include "service/svc_audit.h"
#include "store/q_gias.h"

#define GIAS_FIELDS_MAX 400       /* the file has about 139 columns */
#define URN_LIMIT 10000000        /* URNs have at most 7 digits */

struct import {
    struct svc_ctx *c;
    bool dry_run;
    struct gias_report *rep;
    struct gias_header h;
    bool header_ok;
    enum store_rc failed;         /* STORE_OK until a statement fails */
    unsigned char *seen;          /* a bit per URN met in the file */
    int64_t la_ids[1000];         /* authority of an LA number: 0 not looked up, -1 none */
    char *utf8;
    char **fields;
    void (*progress)(void *arg, size_t lines);
    void *arg;
};

bool svc_gias_may_import(struct svc_ctx *c)
{
    return svc_allowed(c, ACT_CREATE, RES_GIAS, 0, 0, 0);
}

static void reject(struct import *im, size_t line, const char *urn, const char *why)
{
    struct gias_report *r = im->rep;
    r->rejected++;
    if (r->nproblems >= GIAS_MAX_PROBLEMS)
        return;
    struct gias_problem *p = &r->problems[r->nproblems++];
    p->line = line;
    snprintf(p->urn, sizeof p->urn, "%s", urn ? urn : "");
    snprintf(p->why, sizeof p->why, "%s", why);
}

static int on_header(void *arg, const char *s)
{
    struct import *im = arg;
    if (gias_to_utf8(s, im->utf8, GIAS_LINE_MAX) == (size_t)-1) {
        snprintf(im->rep->missing, sizeof im->rep->missing, "%s", "the header line is too long");
        return -1;
    }
    int n = csv_split(im->utf8, im->fields, GIAS_FIELDS_MAX);
    if (n < 0 || n > GIAS_FIELDS_MAX ||
        gias_header_read(im->fields, n, &im->h, im->rep->missing, sizeof im->rep->missing) != 0) {
        if (!im->rep->missing[0])
            snprintf(im->rep->missing, sizeof im->rep->missing, "%s", "the header line is not CSV");
        return -1;
    }
    im->header_ok = true;
    return 0;
}

/* The authority of an LA number (0 when tas has none). */
static int64_t authority_of(struct import *im, const char *la)
{
    int i = atoi(la);
    if (i < 0 || i >= 1000)
        return 0;
    if (im->la_ids[i] == 0) {
        int64_t id = 0;
        enum store_rc rc = q_gias_authority(im->c->db, la, &id);
        if (rc != STORE_OK && rc != STORE_DONE)
            im->failed = rc;
        im->la_ids[i] = rc == STORE_OK ? id : -1;
    }
    return im->la_ids[i] > 0 ? im->la_ids[i] : 0;
}

/* What the file says differs from what is stored (a figure the file does
 * not give is not a difference). */
static bool differs(const struct gias_stored *cur, int64_t authority, const struct gias_school *g)
{
    const struct gias_school *o = &cur->g;
    return cur->authority_id != authority || strcmp(o->name, g->name) || strcmp(o->phase, g->phase) ||
           strcmp(o->status, g->status) || strcmp(o->type, g->type) || strcmp(o->postcode, g->postcode) ||
           strcmp(o->open_date, g->open_date) || strcmp(o->close_date, g->close_date) ||
           (g->pupils_on_roll >= 0 && g->pupils_on_roll != o->pupils_on_roll) ||
           (g->fsm_pct >= 0 && g->fsm_pct != o->fsm_pct) || (g->estab[0] && strcmp(g->estab, o->estab));
}

static void apply(struct import *im, size_t line, const struct gias_school *g)
{
    struct gias_report *r = im->rep;
    struct svc_ctx *c = im->c;
    unsigned long u = strtoul(g->urn, NULL, 10);
    if (u < URN_LIMIT) {
        if (im->seen[u / 8] & (1u << (u % 8))) {
            reject(im, line, g->urn, "URN: repeated in the file (the first row with it is used)");
            return;
        }
        im->seen[u / 8] |= (unsigned char)(1u << (u % 8));
    }
    int64_t authority = authority_of(im, g->la_code);
    struct gias_stored cur;
    enum store_rc rc = q_gias_get(c->db, g->urn, &cur);
    if (rc != STORE_ROW && rc != STORE_DONE) {
        im->failed = rc;
        return;
    }
    if (!authority) {
        r->outside++;
        return;
    }
    if (rc == STORE_DONE) {
        if (!strcmp(g->status, "closed")) {
            r->skipped++;
            return;
        }
        if (!svc_allowed(c, ACT_CREATE, RES_GIAS, 0, authority, 0)) {
            r->outside++;
            return;
        }
        r->added++;
        struct gias_stored rec = {0, authority, *g};
        if (!im->dry_run && (rc = q_gias_insert(c->db, &rec, c->now)) != STORE_OK)
            im->failed = rc;
        return;
    }
    if (!svc_allowed(c, ACT_EDIT, RES_GIAS, 0, cur.authority_id, 0) ||
        !svc_allowed(c, ACT_EDIT, RES_GIAS, 0, authority, 0)) {
        r->outside++;
        return;
    }
    if (!differs(&cur, authority, g)) {
        r->unchanged++;
        return;
    }
    if (!strcmp(g->status, "closed") && strcmp(cur.g.status, "closed"))
        r->closed++;
    else
        r->changed++;
    struct gias_stored rec = {cur.id, authority, *g};
    if (!im->dry_run && (rc = q_gias_update(c->db, &rec, c->now)) != STORE_OK)
        im->failed = rc;
}

static int on_row(void *arg, char *s, size_t line)
{
    struct import *im = arg;
    struct gias_report *r = im->rep;
    r->lines++;
    if (im->progress && r->lines % 1000 == 0)
        im->progress(im->arg, r->lines);
    if (gias_to_utf8(s, im->utf8, GIAS_LINE_MAX) == (size_t)-1) {
        reject(im, line, NULL, "the line is too long");
        return 0;
    }
    int n = csv_split(im->utf8, im->fields, GIAS_FIELDS_MAX);
    if (n < 0 || n > GIAS_FIELDS_MAX) {
        reject(im, line, NULL, n < 0 ? "not CSV: a stray or unclosed quote" : "too many columns");
        return 0;
    }
    struct gias_school g;
    char why[200];
    enum gias_verdict v = gias_row_read(&im->h, im->fields, n, &g, why, sizeof why);
    if (v == GIAS_ROW_BAD)
        reject(im, line, g.urn, why);
    else if (v == GIAS_ROW_SKIP)
        r->skipped++;
    else
        apply(im, line, &g);
    return im->failed == STORE_OK ? 0 : -1;
}

enum svc_status svc_gias_import(struct svc_ctx *c, FILE *in, bool dry_run,
                                void (*progress)(void *arg, size_t lines), void *arg, struct gias_report *rep)
{
    memset(rep, 0, sizeof *rep);
    if (!svc_gias_may_import(c))
        return SVC_FORBIDDEN;
    struct import *im = calloc(1, sizeof *im);
    if (!im)
        return SVC_ERROR;
    im->c = c;
    im->dry_run = dry_run;
    im->rep = rep;
    im->progress = progress;
    im->arg = arg;
    im->failed = STORE_OK;
    im->seen = calloc(URN_LIMIT / 8 + 1, 1);
    im->utf8 = malloc(GIAS_LINE_MAX);
    im->fields = malloc(sizeof *im->fields * (GIAS_FIELDS_MAX + 1));
    enum svc_status st = SVC_ERROR;
    if (!im->seen || !im->utf8 || !im->fields)
        goto out;
    if (!dry_run && store_begin_write(c->db) != STORE_OK)
        goto out;
    size_t lines = 0;
    int rc = csv_each_line(in, on_header, on_row, im, &lines);
    if (!im->header_ok) {
        if (!rep->missing[0])
            snprintf(rep->missing, sizeof rep->missing, "%s", "the file is empty");
        st = SVC_INVALID;
    } else if (rc != 0 || im->failed != STORE_OK) {
        st = SVC_ERROR;
    } else {
        st = SVC_OK;
    }
    if (progress && st == SVC_OK)
        progress(arg, rep->lines);
    if (!dry_run) {
        if (st == SVC_OK) {
            char detail[120];
            snprintf(detail, sizeof detail, "gias import: %zu added, %zu changed, %zu closed", rep->added,
                     rep->changed, rep->closed);
            struct audit_event ev = {"import", "school", 0, 0, 0, 0, detail, 0};
            if (svc_audit_record(c, &ev) != SVC_OK)
                st = SVC_ERROR;
        }
        enum store_rc end = store_end_write(c->db, st == SVC_OK ? STORE_OK : STORE_ERROR);
        if (st == SVC_OK && end != STORE_OK)
            st = SVC_ERROR;
        rep->written = st == SVC_OK;
    }
out:
    free(im->seen);
    free(im->utf8);
    free(im->fields);
    free(im);
    return st;
}
