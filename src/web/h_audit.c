/* The data protection officer's pages: the audit log with its filters,
 * a pupil's subject access export, and the retention settings.  HTML and
 * JSON.  Data comes from service/svc_audit.c, svc_sar.c, svc_retention.c. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/calendar.h"
#include "service/svc_audit.h"
#include "service/svc_retention.h"
#include "service/svc_sar.h"
#include "web/finding.h"
#include "web/form.h"
#include "web/listing.h"
#include "web/records_json.h"
#include "web/router.h"
#include "web/view.h"


static void time_text(int64_t at, char out[32])
{
    time_t t = (time_t)at;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

static void collect_entry(void *arg, const struct audit_entry *e)
{
    json_array_append_new((json_t *)arg, json_audit_entry(e));
}

/* A date box of the filter: "" when empty, the day's start (Unix) when a
 * date; -1 when not a date. */
static int64_t filter_day(const char *s, int add_days)
{
    if (!s || !*s)
        return 0;
    int32_t d;
    if (day_parse(s, &d) != 0)
        return -1;
    return ((int64_t)d + add_days) * 86400;
}

static void h_audit_list(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct page_req pg;
    listing_page(rq, &pg);
    const char *pupil = req_query(rq, "pupil");
    const char *user = req_query(rq, "user");
    /* GOV.UK date inputs (from-day, ...), or one value from a link or the API. */
    struct query_date qfrom, qto;
    finding_query_date(rq, "from", &qfrom);
    finding_query_date(rq, "to", &qto);
    const char *from = qfrom.text, *to = qto.text;
    const char *flagged = req_query(rq, "flagged");
    pupil = pupil ? pupil : "";
    user = user ? user : "";
    from = from ? from : "";
    to = to ? to : "";
    struct audit_filter f = {0};
    /* A number is the pupil's id; anything else is taken as a UPN. */
    f.pupil_id = parse_id(pupil);
    f.upn = f.pupil_id ? "" : pupil;
    f.username = user;
    f.from_at = filter_day(from, 0);
    f.to_at = filter_day(to, 1);   /* "to" includes the whole day */
    f.flagged_only = flagged && (strcmp(flagged, "yes") == 0 || strcmp(flagged, "1") == 0);
    struct field_errors e = {0};
    if (f.from_at < 0)
        field_errors_add(&e, "from", "The start date must be a real date, like 1 9 2026");
    if (f.to_at < 0)
        field_errors_add(&e, "to", "The end date must be a real date, like 30 9 2026");
    if (e.count) {
        if (rq->api) {
            view_invalid_json(rs, &e);
            return;
        }
        f.from_at = f.to_at = -1;   /* shows nothing until the dates are right */
    }
    json_t *rows = json_array();
    int64_t total = 0;
    enum svc_status st = SVC_OK;
    if (!e.count)
        st = svc_audit_list(&c, &f, &pg, &total, collect_entry, rows);
    else if (!svc_allowed(&c, ACT_LIST, RES_AUDIT, 0, 0, 0))
        st = SVC_FORBIDDEN;
    if (view_failed_drop(rq, rs, st, rows))
        return;
    struct buf base = BUF_INIT;
    buf_puts(&base, rq->api ? "/api/v1/audit?pupil=" : "/audit?pupil=");
    buf_urlenc(&base, pupil);
    buf_puts(&base, "&user=");
    buf_urlenc(&base, user);
    buf_puts(&base, "&from=");
    buf_urlenc(&base, from);
    buf_puts(&base, "&to=");
    buf_urlenc(&base, to);
    if (f.flagged_only)
        buf_puts(&base, "&flagged=yes");
    json_t *paging = json_paging(pg.page, pg.per_page, total, buf_str(&base));
    buf_free(&base);
    if (rq->api) {
        json_object_del(paging, "pagination");
        json_object_set_new(paging, "entries", rows);
        view_json(rs, 200, paging);
        return;
    }
    json_t *ctx = view_page(rq, "Audit log", "audit");
    view_breadcrumbs(ctx, "/", "Home", NULL);
    json_object_set_new(ctx, "entries", rows);
    char count[64];
    snprintf(count, sizeof count, "%lld %s found", (long long)total, total == 1 ? "entry" : "entries");
    json_object_set_new(ctx, "count_text", json_string(count));
    json_t *fields = json_object();
    json_t *fp = fld_input("pupil", "Pupil (UPN or record number)", pupil, &e, NULL);
    fld_set(fp, "width_class", "govuk-input--width-20");
    json_object_set_new(fp, "spellcheck_off", json_true());
    json_object_set_new(fields, "pupil", fp);
    json_t *fu = fld_input("user", "User name", user, &e, NULL);
    fld_set(fu, "width_class", "govuk-input--width-20");
    json_object_set_new(fu, "spellcheck_off", json_true());
    json_object_set_new(fields, "user", fu);
    json_object_set_new(fields, "from", finding_date_field("from", "From", &qfrom, &e, "For example, 1 9 2026"));
    json_object_set_new(fields, "to", finding_date_field("to", "To", &qto, &e, "For example, 30 9 2026 (included)"));
    json_object_set_new(ctx, "fields", fields);
    json_object_set_new(ctx, "flagged", json_boolean(f.flagged_only));
    if (e.count)
        json_object_set_new(ctx, "errors", view_errors(&e));
    json_t *links = json_object_get(paging, "pagination");
    if (links)
        json_object_set(ctx, "pagination", links);
    json_object_set_new(ctx, "paging", paging);
    view_render(rq, rs, 200, "audit_list", ctx);
}

/* Subject access: rows grouped by section, in the order of q_sar_sections. */
struct sar_collect {
    json_t *sections;   /* name -> array of row objects */
    json_t *audit;
};

static void sar_row(void *arg, const char *section, size_t n, const char *const *names,
                    const char *const *values)
{
    struct sar_collect *sc = arg;
    json_t *arr = json_object_get(sc->sections, section);
    if (!arr) {
        arr = json_array();
        json_object_set_new(sc->sections, section, arr);
    }
    json_t *o = json_object();
    for (size_t i = 0; i < n; i++)
        json_object_set_new(o, names[i], values[i] ? json_string(values[i]) : json_null());
    json_array_append_new(arr, o);
}

/* An entry as the subject reads it: a date and time in words, a person by
 * name and roles, what they did in words, refusals called refusals.  No
 * staff addresses or route names: those are for the DPO's own log. */
static void sar_audit(void *arg, const struct sar_access *a)
{
    struct sar_collect *sc = arg;
    char day[32], when[48], iso[24];
    int64_t t = a->e->at;
    day_label((int32_t)(t / 86400), day, sizeof day);
    snprintf(when, sizeof when, "%s at %02d:%02d UTC", day, (int)(t % 86400 / 3600), (int)(t % 3600 / 60));
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_array_append_new(sc->audit, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:s, s:s}", "at", iso, "when",
                                               when, "who", a->who, "roles", a->roles, "what", a->what,
                                               "refused", a->refused, "break_glass", a->break_glass, "action",
                                               a->e->action, "kind", a->e->resource_kind));
}

static void h_subject_access(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct sar_collect sc = {json_object(), json_array()};
    struct sar_sink sink = {&sc, sar_row, sar_audit};
    struct pupil_row p;
    enum svc_status st = svc_subject_access(&c, rq->id, &p, &sink);
    if (view_failed_drop(rq, rs, st, sc.sections, sc.audit))
        return;
    char when[32];
    time_text(rq->now, when);
    if (rq->api) {
        json_t *out = json_pack("{s:I, s:s, s:s, s:o, s:o}", "pupil_id", (json_int_t)rq->id,
                                "produced_at", when, "produced_by", rq->sess.username,
                                "records", sc.sections, "access_log", sc.audit);
        view_json(rs, 200, out);
        return;
    }
    /* For the page: every section in order, each row as label/value pairs. */
    const struct sar_section *secs;
    size_t ns = q_sar_sections(&secs);
    json_t *list = json_array();
    for (size_t i = 0; i < ns; i++) {
        json_t *rows = json_object_get(sc.sections, secs[i].name);
        json_t *recs = json_array();
        size_t k;
        json_t *row;
        json_array_foreach(rows, k, row) {
            json_t *pairs = json_array();
            const char *key;
            json_t *v;
            json_object_foreach(row, key, v) {
                /* A date as every date is shown; the JSON keeps it as stored. */
                const char *val = json_is_string(v) ? json_string_value(v) : "";
                char label[32];
                int32_t d;
                if (strlen(val) == 10 && day_parse(val, &d) == 0) {
                    day_label(d, label, sizeof label);
                    val = label;
                }
                json_array_append_new(pairs, json_pack("{s:s, s:s}", "label", key, "value", val));
            }
            json_array_append_new(recs, json_pack("{s:o}", "fields", pairs));
        }
        json_array_append_new(list, json_pack("{s:s, s:s, s:o, s:b}", "name", secs[i].name, "heading",
                                              secs[i].heading, "records", recs,
                                              "empty", json_array_size(recs) == 0));
    }
    json_decref(sc.sections);
    json_t *ctx = view_page(rq, "Subject access: everything held about a pupil", "audit");
    char href[48];
    snprintf(href, sizeof href, "/pupils/%lld", (long long)rq->id);
    view_breadcrumbs(ctx, "/", "Home", "/pupils", "Pupils", href, "Pupil", NULL);
    json_object_set_new(ctx, "pupil_name", json_pack("{s:s, s:s, s:s}", "forenames", p.p.forenames,
                                                      "surname", p.p.surname, "upn", p.p.upn));
    json_object_set_new(ctx, "pupil_id", json_integer(rq->id));
    char produced[48], pday[32];
    day_label((int32_t)(rq->now / 86400), pday, sizeof pday);
    snprintf(produced, sizeof produced, "%s at %02d:%02d UTC", pday, (int)(rq->now % 86400 / 3600),
             (int)(rq->now % 3600 / 60));
    json_object_set_new(ctx, "produced_at", json_string(produced));
    json_object_set_new(ctx, "produced_by", json_string(rq->sess.username));
    json_object_set_new(ctx, "sections", list);
    json_object_set_new(ctx, "access_log", sc.audit);
    view_render(rq, rs, 200, "subject_access", ctx);
}

static void render_retention(struct req *rq, struct resp *rs, int status, const struct retention_rule *rules,
                             const char *const *months, const char *const *ages, bool may_edit,
                             const struct field_errors *e, bool saved)
{
    json_t *ctx = view_page(rq, "Retention", "audit");
    view_breadcrumbs(ctx, "/", "Home", "/audit", "Audit log", NULL);
    json_t *rows = json_array();
    for (int t = 0; t < RET__COUNT; t++) {
        enum retention_type ty = (enum retention_type)t;
        char mname[32], aname[32], mv[16], av[16];
        snprintf(mname, sizeof mname, "%s-months", retention_code(ty));
        snprintf(aname, sizeof aname, "%s-age", retention_code(ty));
        snprintf(mv, sizeof mv, "%d", rules[t].months);
        snprintf(av, sizeof av, "%d", rules[t].until_age);
        char label[160];
        snprintf(label, sizeof label, "%s: months to keep", retention_label(ty));
        json_t *fm = fld_input(mname, label, months ? months[t] : mv, e, NULL);
        fld_number(fm, "govuk-input--width-4", "numeric");
        snprintf(label, sizeof label, "%s: also keep until the pupil is this age (0 for none)",
                 retention_label(ty));
        json_t *fa = fld_input(aname, label, ages ? ages[t] : av, e, NULL);
        fld_number(fa, "govuk-input--width-4", "numeric");
        /* "Anonymised" or "Erased", as a sentence starts; lower case inside one. */
        bool anon = strcmp(retention_effect(ty), "anonymise") == 0;
        json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:b, s:s, s:i, s:i, s:o, s:o}", "label", retention_label(ty),
                                              "effect_label", anon ? "Anonymised" : "Erased", "effect_text",
                                              anon ? "anonymised" : "erased", "age_set", rules[t].until_age > 0,
                                              "effect", retention_effect(ty), "months", rules[t].months,
                                              "until_age", rules[t].until_age, "months_field", fm,
                                              "age_field", fa));
    }
    json_object_set_new(ctx, "rules", rows);
    json_object_set_new(ctx, "may_edit", json_boolean(may_edit));
    view_set_errors(ctx, e);
    if (saved)
        view_flash(ctx, "Retention periods saved");
    view_render(rq, rs, status, "retention", ctx);
}

static void h_retention(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    struct retention_rule rules[RET__COUNT];
    bool may_edit = false;
    if (view_failed(rq, rs, svc_retention_get(&c, rules, &may_edit)))
        return;
    if (rq->api) {
        view_json(rs, 200, json_pack("{s:o, s:b}", "retention", json_retention_rules(rules), "may_edit", may_edit));
        return;
    }
    const char *saved = req_query(rq, "saved");
    render_retention(rq, rs, 200, rules, NULL, NULL, may_edit, NULL, saved != NULL);
}

static void h_retention_update(struct req *rq, struct resp *rs)
{
    struct svc_ctx c = req_svc_ctx(rq);
    const char *months[RET__COUNT], *ages[RET__COUNT];
    for (int t = 0; t < RET__COUNT; t++) {
        char mname[32], aname[32];
        snprintf(mname, sizeof mname, "%s-months", retention_code((enum retention_type)t));
        snprintf(aname, sizeof aname, "%s-age", retention_code((enum retention_type)t));
        months[t] = req_param(rq, mname);
        ages[t] = req_param(rq, aname);
    }
    struct field_errors e = {0};
    struct retention_rule rules[RET__COUNT];
    enum svc_status st = svc_retention_set(&c, months, ages, &e, rules);
    enum save_next n = view_answer_save(rq, rs, st, &e);
    struct retention_rule cur[RET__COUNT];
    if (n == SAVE_FORM && svc_retention_get(&c, cur, NULL) != SVC_OK)
        view_svc_error(rq, rs, SVC_ERROR);
    else if (n == SAVE_FORM)
        render_retention(rq, rs, 422, cur, months, ages, true, &e, false);
    if (n != SAVE_OK)
        return;
    if (rq->api) {
        view_json(rs, 200, json_pack("{s:o, s:b}", "retention", json_retention_rules(rules), "may_edit", 1));
        return;
    }
    resp_redirect(rs, "/retention?saved=1");
}

static const struct route audit_routes[] = {
    {"GET", "/audit", h_audit_list, 0},
    {"GET", "/pupils/:id/subject-access", h_subject_access, 0},
    {"GET", "/retention", h_retention, 0},
    {"POST", "/retention", h_retention_update, 0},
    {"GET", "/api/v1/audit", h_audit_list, 0},
    {"GET", "/api/v1/pupils/:id/subject-access", h_subject_access, 0},
    {"GET", "/api/v1/retention", h_retention, 0},
    {"PUT", "/api/v1/retention", h_retention_update, 0},
};

ROUTE_TABLE(audit_table, audit_routes);
