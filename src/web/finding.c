/* The list filters (see finding.h). */
#include "web/finding.h"
#include "lib/count.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/calendar.h"
#include "service/svc_dashboard.h"
#include "service/svc_finding.h"
#include "service/svc_places.h"
#include "service/svc_teams.h"
#include "web/form.h"
#include "web/listing.h"

void finding_read(struct req *rq, struct svc_ctx *c, struct finding *f)
{
    memset(f, 0, sizeof *f);
    f->team_id = parse_id(req_query(rq, "team"));
    f->school_id = parse_id(req_query(rq, "school"));
    const char *q = req_query(rq, "q");
    if (q) {
        while (isspace((unsigned char)*q))
            q++;
        snprintf(f->name, sizeof f->name, "%s", q);
        size_t n = strlen(f->name);
        while (n && isspace((unsigned char)f->name[n - 1]))
            f->name[--n] = '\0';
        /* Cut at a character's start, never inside one. */
        while (n && ((unsigned char)f->name[n - 1] & 0xC0) == 0x80 && strlen(q) > n)
            f->name[--n] = '\0';
    }
    if (f->school_id && svc_teams_serving(c, f->school_id, f->serving, COUNT(f->serving),
                                          &f->nserving) != SVC_OK)
        f->nserving = 0;
    const char *term = req_query(rq, "term");
    if (term && strcmp(term, "this") == 0 &&
        svc_this_term(c, f->from, f->to, f->term_label, sizeof f->term_label) == SVC_OK)
        f->this_term = true;
}

void finding_query(const struct finding *f, struct buf *b)
{
    if (f->team_id)
        buf_printf(b, "&team=%lld", (long long)f->team_id);
    if (f->school_id)
        buf_printf(b, "&school=%lld", (long long)f->school_id);
    if (f->this_term)
        buf_puts(b, "&term=this");
    if (f->name[0]) {
        buf_puts(b, "&q=");
        buf_urlenc(b, f->name);
    }
}

bool finding_any(const struct finding *f)
{
    return f->team_id || f->school_id || f->this_term || f->name[0];
}

static void team_option(void *arg, const struct team_row *r)
{
    fld_choice_add(arg, r->t.id, r->t.name);
}

static void school_option(void *arg, const struct school *s)
{
    fld_choice_add(arg, s->id, s->name);
}

void finding_fields(struct svc_ctx *c, const struct finding *f, json_t *ctx, const char *name_label,
                    const char *name_hint)
{
    char cur[24];
    struct page_req all = {1, 200};
    int64_t n;

    snprintf(cur, sizeof cur, "%lld", (long long)f->team_id);
    json_t *tf = fld_select_blank("team", "Team", NULL, NULL, "All teams", f->team_id ? cur : "");
    struct fld_choice to = {tf, cur};
    struct team_filter tfl = {c->today, -1};
    (void)svc_team_list(c, &tfl, &all, &n, team_option, &to);
    json_object_set_new(ctx, "team_filter", tf);

    snprintf(cur, sizeof cur, "%lld", (long long)f->school_id);
    json_t *sf = fld_select_blank("school", "School", NULL, NULL, "All schools", f->school_id ? cur : "");
    struct fld_choice so = {sf, cur};
    if (svc_school_list(c, "", &all, &n, school_option, &so) == SVC_OK)
        json_object_set_new(ctx, "school_filter", sf);
    else
        json_decref(sf);

    json_t *term = json_pack("{s:s, s:s, s:s, s:[{s:s, s:s, s:b}]}", "name", "term", "id", "f-term", "legend",
                             "When", "items", "value", "this", "label", "This term", "checked", f->this_term);
    if (f->this_term)
        fld_set(term, "hint", f->term_label);
    json_object_set_new(ctx, "term_filter", term);

    json_t *nf = fld_input("q", name_label, f->name, NULL, name_hint);
    fld_set(nf, "width_class", "govuk-!-width-one-half");
    json_object_set_new(ctx, "name_filter", nf);
    if (finding_any(f))
        json_object_set_new(ctx, "filtered", json_true());
}

bool finding_name_matches(const struct finding *f, const char *text)
{
    if (!f->name[0])
        return true;
    if (!text)
        return false;
    size_t n = strlen(f->name);
    for (const char *p = text; *p; p++) {
        size_t i = 0;
        while (i < n && p[i] && tolower((unsigned char)p[i]) == tolower((unsigned char)f->name[i]))
            i++;
        if (i == n)
            return true;
    }
    return false;
}

bool finding_in_term(const struct finding *f, const char *day)
{
    if (!f->this_term)
        return true;
    return day && day[0] && strcmp(day, f->from) >= 0 && strcmp(day, f->to) <= 0;
}

json_t *finding_term_json(const struct finding *f)
{
    if (!f->this_term)
        return NULL;
    return json_pack("{s:s, s:s, s:s}", "from", f->from, "to", f->to, "label", f->term_label);
}

json_t *finding_term_answer(const struct finding *f)
{
    return f->this_term ? json_pack("{s:o}", "term", finding_term_json(f)) : NULL;
}

bool finding_keeps(const struct finding *f, int64_t team_id, int64_t school_id, const char *name,
                   const char *day)
{
    if (f->team_id && team_id && team_id != f->team_id)
        return false;
    if (f->school_id) {
        if (school_id && school_id != f->school_id)
            return false;
        if (!school_id) {
            bool serves = false;
            for (size_t i = 0; i < f->nserving && !serves; i++)
                serves = f->serving[i] == team_id;
            if (!serves)
                return false;
        }
    }
    if (day && !finding_in_term(f, day))
        return false;
    return finding_name_matches(f, name);
}

/* A whole number of up to six digits, as typed (spaces around allowed). */
static bool small_number(const char *s, int *out)
{
    while (*s == ' ')
        s++;
    int n = 0, digits = 0;
    for (; *s >= '0' && *s <= '9' && digits < 7; s++, digits++)
        n = n * 10 + (*s - '0');
    while (*s == ' ')
        s++;
    if (!digits || digits > 6 || *s)
        return false;
    *out = n;
    return true;
}

void finding_query_date(struct req *rq, const char *name, struct query_date *q)
{
    char k[48];
    memset(q, 0, sizeof *q);
    snprintf(k, sizeof k, "%s-day", name);
    q->day = req_query(rq, k);
    snprintf(k, sizeof k, "%s-month", name);
    q->month = req_query(rq, k);
    snprintf(k, sizeof k, "%s-year", name);
    q->year = req_query(rq, k);
    bool parts = (q->day && *q->day) || (q->month && *q->month) || (q->year && *q->year);
    if (parts) {
        int d, m, y;
        int32_t day;
        char iso[11];
        if (small_number(q->day ? q->day : "", &d) && small_number(q->month ? q->month : "", &m) &&
            small_number(q->year ? q->year : "", &y) && y >= 1000 && y <= 9999 && m >= 1 && m <= 12 &&
            d >= 1 && d <= 31) {
            day = day_from_ymd(y, m, d);
            day_format(day, iso);
            int yy, mm, dd;
            ymd_from_day(day, &yy, &mm, &dd);
            if (yy == y && mm == m && dd == d) {
                snprintf(q->text, sizeof q->text, "%s", iso);
                return;
            }
        }
        snprintf(q->text, sizeof q->text, "not a date");
        return;
    }
    const char *v = req_query(rq, name);
    if (!v || !*v)
        return;
    snprintf(q->text, sizeof q->text, "%s", strlen(v) < sizeof q->text ? v : "not a date");
    int32_t day;
    if (svc_parse_day(q->text, &day) == 0) {
        /* Shown again in the date input as its three parts. */
        req_day_text(rq, day, &q->day, &q->month, &q->year);
        day_format(day, q->text);
    }
}

json_t *finding_date_field(const char *name, const char *legend, const struct query_date *q,
                           const struct field_errors *e, const char *hint)
{
    json_t *f = fld_date(name, legend, q->day ? q->day : "", q->month ? q->month : "", q->year ? q->year : "",
                         e, hint);
    fld_set(f, "legend_class", "govuk-fieldset__legend--s");
    return f;
}

json_t *finding_iso_date_field(const char *name, const char *legend, const char *iso, const struct field_errors *e,
                               const char *hint)
{
    char d[8] = "", m[8] = "", y[8] = "";
    int32_t day;
    if (iso && day_parse(iso, &day) == 0) {
        int yy, mm, dd;
        ymd_from_day(day, &yy, &mm, &dd);
        snprintf(d, sizeof d, "%d", dd);
        snprintf(m, sizeof m, "%d", mm);
        snprintf(y, sizeof y, "%d", yy);
    }
    return finding_date_field(name, legend, &(struct query_date){.day = d, .month = m, .year = y}, e, hint);
}

void finding_dash_read(struct req *rq, bool schools, struct dash_filter_form *f)
{
    memset(f, 0, sizeof *f);
    struct query_date *qf = req_alloc(rq, sizeof *qf), *qt = req_alloc(rq, sizeof *qt);
    if (qf && qt) {
        finding_query_date(rq, "from", qf);
        finding_query_date(rq, "to", qt);
        f->from = qf->text[0] ? qf->text : NULL;
        f->to = qt->text[0] ? qt->text : NULL;
    }
    f->authority_id = req_query(rq, "authority_id");
    f->team_id = req_query(rq, "team_id");
    if (schools) {
        f->school_id = req_query(rq, "school_id");
        f->phase = req_query(rq, "phase");
    }
    f->publish = req_query(rq, "publish");
}

void finding_dash_query(const struct dash_filter *f, bool schools, bool publish, struct buf *b)
{
    buf_puts(b, "from=");
    buf_urlenc(b, f->from);
    buf_puts(b, "&to=");
    buf_urlenc(b, f->to);
    if (f->authority_id)
        buf_printf(b, "&authority_id=%lld", (long long)f->authority_id);
    if (f->team_id)
        buf_printf(b, "&team_id=%lld", (long long)f->team_id);
    if (schools && f->school_id)
        buf_printf(b, "&school_id=%lld", (long long)f->school_id);
    if (schools && f->phase[0]) {
        buf_puts(b, "&phase=");
        buf_urlenc(b, f->phase);
    }
    if (publish)
        buf_puts(b, "&publish=yes");
}

/* The filter's choices, each select with what is chosen now. */
struct dash_choices {
    json_t *authority, *team, *school;
    char cur_a[24], cur_t[24], cur_s[24];
};

static void ch_authority(void *arg, int64_t id, const char *name)
{
    struct dash_choices *c = arg;
    fld_add_id_option(c->authority, id, name, c->cur_a);
}

static void ch_team(void *arg, int64_t id, const char *name)
{
    struct dash_choices *c = arg;
    fld_add_id_option(c->team, id, name, c->cur_t);
}

static void ch_school(void *arg, int64_t id, const char *name, const char *phase)
{
    struct dash_choices *c = arg;
    (void)phase;
    if (c->school)
        fld_add_id_option(c->school, id, name, c->cur_s);
}

static json_t *choice_select(const char *name, const char *label, char *cur, size_t cursz, const char *in,
                             const struct field_errors *e)
{
    snprintf(cur, cursz, "%s", in ? in : "");
    return fld_select_codes(name, label, cur, e, &(struct code_list){"none", NULL, 0}, "All");
}

void finding_dash_show(struct dash_filter_form *in, const struct dash_filter *f, struct dash_shown *ids)
{
    in->from = f->from;
    in->to = f->to;
    snprintf(ids->authority, sizeof ids->authority, "%lld", (long long)f->authority_id);
    snprintf(ids->team, sizeof ids->team, "%lld", (long long)f->team_id);
    snprintf(ids->school, sizeof ids->school, "%lld", (long long)f->school_id);
    if (f->authority_id)
        in->authority_id = ids->authority;
    if (f->team_id)
        in->team_id = ids->team;
    if (f->school_id)
        in->school_id = ids->school;
    in->phase = f->phase;
}

json_t *finding_dash_fields(const struct svc_ctx *c, const struct dash_filter_form *in, bool schools,
                            const char *from_hint, const struct field_errors *e)
{
    struct dash_choices ch = {0};
    ch.authority = choice_select("authority_id", "Local authority", ch.cur_a, sizeof ch.cur_a, in->authority_id, e);
    ch.team = choice_select("team_id", "Team", ch.cur_t, sizeof ch.cur_t, in->team_id, e);
    if (schools)
        ch.school = choice_select("school_id", "School", ch.cur_s, sizeof ch.cur_s, in->school_id, e);
    struct dash_choices_sink sink = {&ch, ch_authority, ch_team, ch_school};
    struct svc_ctx cc = *c;
    svc_dashboard_choices(&cc, &sink);
    json_t *from = finding_iso_date_field("from", "From", in->from, e, from_hint);
    json_t *to = finding_iso_date_field("to", "To", in->to, e, "For example, 31 7 2027");
    json_t *o = json_pack("{s:o, s:o, s:o, s:o}", "from", from, "to", to, "authority", ch.authority, "team", ch.team);
    if (schools)
        json_object_set_new(o, "school", ch.school);
    return o;
}

static bool date_key(const char *k)
{
    size_t n = strlen(k);
    return strcmp(k, "date") == 0 || (n > 3 && strcmp(k + n - 3, "_on") == 0) ||
           (n > 10 && strcmp(k + n - 10, "_discussed") == 0);
}

static void date_labels(json_t *v, int depth)
{
    if (depth > 12)
        return;
    if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x)
            date_labels(x, depth + 1);
        return;
    }
    if (!json_is_object(v))
        return;
    const char *k;
    json_t *x;
    void *tmp;
    json_t *add = NULL;
    json_object_foreach_safe(v, tmp, k, x) {
        if (json_is_string(x) && date_key(k)) {
            char lk[96], label[32];
            int32_t day;
            snprintf(lk, sizeof lk, "%s_label", k);
            if (!json_object_get(v, lk) && day_parse(json_string_value(x), &day) == 0) {
                day_label(day, label, sizeof label);
                if (!add)
                    add = json_object();
                json_object_set_new(add, lk, json_string(label));
            }
        } else if (json_is_object(x) || json_is_array(x)) {
            date_labels(x, depth + 1);
        }
    }
    if (add) {
        json_object_update(v, add);
        json_decref(add);
    }
}

void finding_date_labels(json_t *ctx)
{
    date_labels(ctx, 0);
}

const char *finding_form_date(struct req *rq, const char *name)
{
    if (rq->json)
        return NULL;
    char k[48];
    const char *v[3];
    static const char *const part[] = {"day", "month", "year"};
    bool any = false, all_blank = true;
    for (int i = 0; i < 3; i++) {
        snprintf(k, sizeof k, "%s-%s", name, part[i]);
        v[i] = req_param(rq, k);
        any = any || v[i];
        const char *p = v[i] ? v[i] : "";
        while (*p == ' ')
            p++;
        all_blank = all_blank && !*p;
    }
    if (!any)
        return NULL;
    if (all_blank)
        return "";
    char s[64];
    snprintf(s, sizeof s, "%.12s/%.12s/%.12s", v[0] ? v[0] : "", v[1] ? v[1] : "", v[2] ? v[2] : "");
    return req_keep(rq, s);
}

json_t *finding_form_date_field(struct req *rq, const char *name, const char *legend, const char *value,
                                const struct field_errors *e, const char *hint)
{
    char k[48];
    const char *d = NULL, *m = NULL, *y = NULL;
    if (!rq->json) {
        snprintf(k, sizeof k, "%s-day", name);
        d = req_param(rq, k);
        snprintf(k, sizeof k, "%s-month", name);
        m = req_param(rq, k);
        snprintf(k, sizeof k, "%s-year", name);
        y = req_param(rq, k);
    }
    if (!d && !m && !y && value && *value) {
        int32_t day;
        if (svc_parse_day(value, &day) == 0) {
            req_day_text(rq, day, &d, &m, &y);
        } else {
            /* Not a date: kept as typed, in the first box. */
            d = value;
        }
    }
    return fld_date(name, legend, d, m, y, e, hint);
}
