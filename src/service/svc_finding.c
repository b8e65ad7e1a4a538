/* Finding things in the lists (see svc_finding.h). */
#include "service/svc_finding.h"
#include "lib/count.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/calendar.h"
#include "core/termwin.h"
#include "store/q_reference.h"
#include "store/q_meetings.h"
#include "store/q_teams.h"
#include "service/svc_reference.h"

enum svc_status svc_this_term(struct svc_ctx *c, char from[11], char to[11], char *label, size_t labelsz)
{
    int32_t today;
    if (day_parse(c->today, &today) != 0)
        return SVC_ERROR;
    int year = academic_year_of(today);
    int64_t authority = 0;
    for (size_t i = 0; i < c->who->ngrants && !authority; i++)
        authority = c->who->grants[i].authority_id;
    struct half_term t[6];
    size_t n = 0;
    if (authority) {
        struct term_row rows[6];
        enum store_rc rc = q_terms_get(c->db, authority, year, rows, &n);
        if (rc != STORE_OK)
            return SVC_ERROR;
        for (size_t i = 0; i < n && i < 6; i++) {
            t[i].number = rows[i].half_term;
            if (day_parse(rows[i].starts_on, &t[i].starts) != 0 || day_parse(rows[i].ends_on, &t[i].ends) != 0)
                n = 0;
        }
    }
    if (n != 6) {
        int32_t closures[8];
        english_default_terms(year, t, closures, 8);
    }
    int32_t f, e;
    int term;
    if (term_window(today, t, 6, &f, &e, &term) != 0)
        return SVC_ERROR;
    day_format(f, from);
    day_format(e, to);
    char a[32], b[32];
    day_label(f, a, sizeof a);
    day_label(e, b, sizeof b);
    snprintf(label, labelsz, "%s: %s to %s", term_name(term), a, b);
    return SVC_OK;
}

struct id_list {
    int64_t *ids;
    size_t max, n;
};

static void add_id(void *arg, int64_t id)
{
    struct id_list *l = arg;
    if (l->n < l->max)
        l->ids[l->n++] = id;
}

enum svc_status svc_teams_serving(struct svc_ctx *c, int64_t school_id, int64_t *ids, size_t max, size_t *n)
{
    struct id_list l = {ids, max, 0};
    enum store_rc rc = q_teams_serving_school(c->db, school_id, add_id, &l);
    *n = l.n;
    return svc_from_store(rc);
}

struct clash_ctx {
    struct half_term t[6];
    size_t nt;
    int32_t closures[128];
    size_t nclosures;
    void (*fn)(void *arg, const struct meeting_row *m, const char *suggested);
    void *arg;
};

static void add_closure(void *arg, const struct closure_row *r)
{
    struct clash_ctx *k = arg;
    int32_t d;
    if (k->nclosures < COUNT(k->closures) && day_parse(r->closed_on, &d) == 0)
        k->closures[k->nclosures++] = d;
}

static void clash(void *arg, const struct meeting_row *m)
{
    struct clash_ctx *k = arg;
    char suggested[11] = "";
    int32_t d;
    if (day_parse(m->m.date, &d) == 0) {
        for (int w = 1; w <= 8; w++) {
            if (school_day(d + 7 * w, k->t, k->nt, k->closures, k->nclosures)) {
                day_format(d + 7 * w, suggested);
                break;
            }
        }
    }
    k->fn(k->arg, m, suggested);
}

enum svc_status svc_closure_clashes(struct svc_ctx *c, int64_t authority_id, int year,
                                    void (*fn)(void *arg, const struct meeting_row *m, const char *suggested),
                                    void *arg)
{
    if (!svc_reference_may(c, ACT_EDIT, authority_id))
        return SVC_FORBIDDEN;
    struct clash_ctx *k = calloc(1, sizeof *k);
    if (!k)
        return SVC_ERROR;
    k->fn = fn;
    k->arg = arg;
    struct term_row rows[6];
    size_t n = 0;
    enum svc_status st = svc_terms_get(c, authority_id, year, rows, &n, add_closure, k);
    for (size_t i = 0; st == SVC_OK && i < n && i < 6; i++) {
        if (day_parse(rows[i].starts_on, &k->t[k->nt].starts) == 0 &&
            day_parse(rows[i].ends_on, &k->t[k->nt].ends) == 0) {
            k->t[k->nt].number = rows[i].half_term;
            k->nt++;
        }
    }
    if (st == SVC_OK && k->nt > 0) {
        char from[11], to[11];
        day_format(day_from_ymd(year, 8, 1), from);
        day_format(day_from_ymd(year + 1, 7, 31), to);
        st = svc_from_store(q_meetings_on_closures(c->db, authority_id, from, to, clash, k));
    }
    free(k);
    return st;
}
