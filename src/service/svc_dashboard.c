#include "service/svc_dashboard.h"
#include "lib/count.h"
#include "store/q_dash_rollup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/namelist.h"
#include "core/calendar.h"
#include "core/codes.h"
#include "core/evidence.h"
#include "core/validate.h"
#include "service/svc_actions.h"
#include "service/svc_outcomes.h"
#include "service/svc_reference.h"
#include "store/q_authorities.h"
#include "store/q_schools.h"
#include "store/q_teams.h"

#define NOT_RECORDED "Not recorded"

/* ---- filters and policy ---- */

static bool blank(const char *s)
{
    return !s || !*s;
}

static int id_field(const char *s, const char *field, const char *msg, int64_t *out,
                    struct field_errors *errs)
{
    long v;
    *out = 0;
    if (blank(s))
        return 0;
    if (parse_int_strict(s, 1, 999999999999L, &v) != 0) {
        field_errors_add(errs, field, msg);
        return -1;
    }
    *out = v;
    return 0;
}

static void date_field(const char *s, const char *field, const char *label, const char *dflt, char out[11],
                       struct field_errors *errs)
{
    int32_t day;
    if (blank(s)) {
        snprintf(out, 11, "%s", dflt);
        return;
    }
    if (day_parse(s, &day) != 0) {
        char msg[120];
        snprintf(msg, sizeof msg, "%s must be a real date, like 31 7 2025", label);
        field_errors_add(errs, field, msg);
        snprintf(out, 11, "%s", dflt);
        return;
    }
    day_format(day, out);
}

static bool yes(const char *s)
{
    return s && (!strcmp(s, "yes") || !strcmp(s, "on") || !strcmp(s, "1") || !strcmp(s, "true"));
}

/* Does the case visibility cover every place the aggregate one does? */
static bool covers(const struct visibility *cases, const struct visibility *agg)
{
    if (cases->all)
        return true;
    if (agg->all)
        return false;
    for (size_t i = 0; i < agg->nauthorities; i++) {
        bool found = false;
        for (size_t k = 0; k < cases->nauthorities; k++)
            found |= cases->authority_ids[k] == agg->authority_ids[i];
        if (!found)
            return false;
    }
    for (size_t i = 0; i < agg->nschools; i++) {
        bool found = false;
        for (size_t k = 0; k < cases->nschools; k++)
            found |= cases->school_ids[k] == agg->school_ids[i];
        if (!found)
            return false;
    }
    return true;
}

static enum svc_status read_filters(struct svc_ctx *c, const struct dash_filter_form *in, enum action a,
                                    struct dash_filter *f, struct field_errors *errs)
{
    memset(f, 0, sizeof *f);
    int32_t today;
    if (day_parse(c->today, &today) != 0)
        return SVC_ERROR;
    /* By default the current school year (1 August to 31 July, as in DfE
     * data): what people open the dashboard to see (issue 10). */
    int y = academic_year_of(today);
    char dfrom[11], dto[11];
    day_format(day_from_ymd(y, 8, 1), dfrom);
    day_format(day_from_ymd(y + 1, 7, 31), dto);
    date_field(in->from, "from", "Start date", dfrom, f->from, errs);
    date_field(in->to, "to", "End date", dto, f->to, errs);
    if (!field_errors_get(errs, "from") && !field_errors_get(errs, "to") && strcmp(f->from, f->to) > 0)
        field_errors_add(errs, "to", "End date must be the same as or after the start date");
    id_field(in->authority_id, "authority_id", "Select a local authority from the list", &f->authority_id, errs);
    id_field(in->team_id, "team_id", "Select a team from the list", &f->team_id, errs);
    id_field(in->school_id, "school_id", "Select a school from the list", &f->school_id, errs);
    if (!blank(in->phase)) {
        if (!code_find(&codes_phase, in->phase))
            field_errors_add(errs, "phase", "Select a phase from the list");
        else
            snprintf(f->phase, sizeof f->phase, "%s", in->phase);
    }
    f->publish = yes(in->publish);
    if (errs->count)
        return SVC_INVALID;
    /* Whatever the filters, the figures only ever count what the viewer's
     * aggregates reach (the SQL is limited to that visibility). */
    struct visibility vis;
    policy_visible(c->who, RES_AGGREGATE, a, &vis);
    if (!vis.all && !vis.nauthorities && !vis.nschools)
        return SVC_FORBIDDEN;
    /* A team or school named in the filters must be one the viewer reaches. */
    if (f->team_id) {
        struct team_row t;
        enum store_rc rc = q_team_get(c->db, f->team_id, c->today, &t);
        if (rc == STORE_ERROR || rc == STORE_BUSY)
            return SVC_ERROR;
        if (rc != STORE_ROW || (f->authority_id && t.t.authority_id != f->authority_id) ||
            !svc_allowed(c, a, RES_AGGREGATE, 0, t.t.authority_id, t.t.host_school_id)) {
            field_errors_add(errs, "team_id", "Select a team from the list");
            return SVC_INVALID;
        }
    }
    if (f->school_id) {
        struct school s;
        enum store_rc rc = q_school_get(c->db, f->school_id, &s);
        if (rc == STORE_ERROR || rc == STORE_BUSY)
            return SVC_ERROR;
        if (rc != STORE_ROW || (f->authority_id && s.authority_id != f->authority_id) ||
            !svc_allowed(c, a, RES_AGGREGATE, 0, s.authority_id, s.id)) {
            field_errors_add(errs, "school_id", "Select a school from the list");
            return SVC_INVALID;
        }
    }
    return SVC_OK;
}

/* ---- building the tables ---- */

struct stat_table *svc_stat_table_head(struct stat_table *t, const char *key, const char *title, const char *figure,
                                       enum chart_kind chart, const char *description)
{
    t->key = key;
    t->title = title;
    t->figure = figure;
    t->chart = chart;
    t->description = description;
    return t;
}

static struct stat_table *table(struct dashboard *d, enum dash_table id, const char *key, const char *title,
                                const char *figure, enum chart_kind chart, const char *description)
{
    return svc_stat_table_head(&d->t[id], key, title, figure, chart, description);
}

static struct stat_row *row(struct stat_table *t, const char *group, const char *label, enum stat_kind k,
                            bool controlled, int partition)
{
    struct stat_row *r = stat_find(t, group, label);
    return r ? r : stat_add_row(t, group, label, k, controlled, partition);
}

static enum stat_col col(const char *phase)
{
    return stat_col_of_phase(phase);
}

/* A case presented in the period, for the outcomes table. */
struct presented {
    int64_t authority_id, case_id, pupil_id;
    char phase[16];
    char on[11];
};

struct build {
    struct dashboard *d;
    struct stat_row *schools, *planned, *held, *online, *cancelled;
    struct stat_row *cases, *actions;
    struct named *services, *resources;   /* by id, for the actions' owners and resources */
    size_t nservices, capservices, nresources, capresources;
    /* rows the case scan adds to, resolved once */
    struct stat_row *review_rows[4], *review_count, *proc_rows[2][3], *prior_rows[DASH_PRIOR_FLAGS][3];
    struct stat_row *gender_rows[4], *sen_gender_rows[4][3], *year_rows[24], *sen_rows[4];
    char to_month[8];                     /* YYYY-MM of the range's end (rollup follow-ups) */
    /* cost inputs */
    struct cost_rate *rates;
    size_t nrates, caprates;
    int64_t planned_pence[3][5], actual_pence[3][5];  /* [col P,S,O][group] */
    int64_t meetings_planned;
    char *missing;                        /* roles without a rate, ", " between (DASH_MISSING_RATES_LEN) */
    struct stat_row *cost_rows_planned[5], *cost_rows_actual[5];
    /* evidence: closed or reviewed cases and those with feedback; closed cases by outcome cell */
    struct stat_row *ended, *fb_rows[2], *closed, *cell_rows[OC__COUNT];
    /* what changed: the cases presented, then the rows counted from them */
    struct presented *presented;
    size_t npresented, cappresented;
    bool no_memory;
    struct stat_row *out_rows[5];
};

/* The cost tables' rows: codes_org_group's, then the time of roles with no rate set. */
static const char *cost_group_label(int g)
{
    return g < (int)codes_org_group.count ? codes_org_group.entries[g].label : "No rate set";
}

static void on_school(void *arg, const struct dash_row *r)
{
    struct build *b = arg;
    stat_add(b->schools, col(r->phase), r->n[0]);
}

/* The rates are sorted by authority and role (rates_cmp) once read: a
 * national dashboard looks a rate up for every group of every authority. */
static int rates_cmp(const void *x, const void *y)
{
    const struct cost_rate *a = x, *b = y;
    if (a->authority_id != b->authority_id)
        return a->authority_id < b->authority_id ? -1 : 1;
    return strcmp(a->role_key, b->role_key);
}

static const struct cost_rate *rate_of(const struct build *b, int64_t authority, const char *key)
{
    struct cost_rate k;
    if (strlen(key) >= sizeof k.role_key)
        return NULL;
    k.authority_id = authority;
    snprintf(k.role_key, sizeof k.role_key, "%s", key);
    return b->nrates ? bsearch(&k, b->rates, b->nrates, sizeof *b->rates, rates_cmp) : NULL;
}

/* Pence for one person at one meeting: hourly cost times all the hours. */
static int64_t person_pence(const struct cost_rate *r)
{
    int64_t minutes = r->prep_minutes + r->meeting_minutes + r->followup_minutes + r->travel_minutes;
    return (r->hourly_pence * minutes + 30) / 60;
}

static int group_index(const struct cost_rate *r)
{
    const struct code_entry *e = r ? code_find(&codes_org_group, r->org_group) : NULL;
    return e ? (int)(e - codes_org_group.entries) : (int)codes_org_group.count;
}

static const char *standing_label(const char *key)
{
    if (!strcmp(key, "school"))
        return "School";
    if (!strcmp(key, "strategic_lead"))
        return "Strategic Lead";
    if (!strcmp(key, "case_coordinator"))
        return "Case Coordinator";
    return NULL;
}

static void cost_add(struct build *b, int64_t (*acc)[5], int64_t authority, const char *phase, const char *key,
                     const char *label, int64_t people)
{
    const struct cost_rate *rt = rate_of(b, authority, key);
    enum stat_col cl = col(phase);
    if (!rt) {
        const char *standing = standing_label(key);
        namelist_add(b->missing, DASH_MISSING_RATES_LEN, standing ? standing : label && *label ? label : key);
        return;
    }
    acc[cl][group_index(rt)] += people * person_pence(rt);
}

/* Planned cost: every meeting, with the school, the Strategic Lead and the
 * Case Coordinator present. */
static void on_meetings_planned(void *arg, const struct dash_row *r)
{
    struct build *b = arg;
    static const char *const standing[3] = {"school", "strategic_lead", "case_coordinator"};
    b->meetings_planned += r->n[0];
    for (int i = 0; i < 3; i++)
        cost_add(b, b->planned_pence, r->authority_id, r->phase, standing[i], standing_label(standing[i]), r->n[0]);
}

static void on_meetings(void *arg, const struct dash_row *r)
{
    struct build *b = arg;
    enum stat_col cl = col(r->phase);
    stat_add(b->planned, cl, r->n[0]);
    stat_add(b->held, cl, r->n[1]);
    stat_add(b->online, cl, r->n[2]);
    stat_add(b->cancelled, cl, r->n[3]);
    on_meetings_planned(arg, r);
}

static void on_planned_member(void *arg, const struct dash_row *r)
{
    struct build *b = arg;
    cost_add(b, b->planned_pence, r->authority_id, r->phase, r->k[0], r->k[1], r->n[0]);
}

static void on_month(void *arg, const struct dash_row *r)
{
    struct build *b = arg;
    struct stat_table *t = &b->d->t[DT_MONTHS];
    int y = 0, m = 0;
    char label[160];
    if (sscanf(r->k[0], "%4d-%2d", &y, &m) == 2 && m >= 1 && m <= 12)
        snprintf(label, sizeof label, "%s %d", month_abbr(m), y);
    else
        snprintf(label, sizeof label, "%s", r->k[0]);
    struct stat_row *rw = row(t, "", label, STAT_COUNT, false, 0);
    stat_add(rw, col(r->phase), r->n[1]);
}

static void on_attendance(void *arg, const struct dash_row *r)
{
    struct build *b = arg;
    struct stat_table *t = &b->d->t[DT_ATTENDANCE];
    bool guest = r->n[0] != 0;
    const char *label = guest ? (r->k[0][0] ? r->k[0] : "Guest") : (r->k[1][0] ? r->k[1] : standing_label(r->k[0]));
    if (!label)
        label = r->k[0][0] ? r->k[0] : NOT_RECORDED;
    struct stat_row *rw = row(t, guest ? "Guest members" : "Agreed TAS membership", label, STAT_COUNT, false, 0);
    if (!rw)
        return;
    stat_set_base(rw, b->held);
    stat_add(rw, col(r->phase), r->n[1]);
    if (!guest)
        cost_add(b, b->actual_pence, r->authority_id, r->phase, r->k[0], label, r->n[2]);
}

static const char *ethnic_group(const char *code)
{
    const char *main = ethnicity_main_code(code);
    const struct code_entry *e = main ? code_find(&codes_ethnicity, main) : NULL;
    if (!e || !e->group || !strcmp(e->group, "Unknown"))
        return NOT_RECORDED;
    return e->group;
}

static const char *gender_label(const char *code)
{
    const char *l = code_label(&codes_gender, code);
    return l && strcmp(code, "U") != 0 ? l : NOT_RECORDED;
}

static const char *year_label(const char *code)
{
    const char *l = code_label(&codes_nc_year, code);
    return l ? l : NOT_RECORDED;
}

static const char *sen_label(const char *code)
{
    const char *l = code_label(&codes_sen_provision, code);
    return l ? l : NOT_RECORDED;
}

static const char *const prior_labels[DASH_PRIOR_FLAGS] = {
    "CDC / Community Paediatrics", "MHST or CAMHS", "Early Help", "Children's social care (CIN, CP, LAC)",
    "In-school SEN support", "EHC needs assessment request", "EHC plan in place", "Prior suspensions",
    "At risk of permanent exclusion",
};

static int yn_index(int64_t v)
{
    return v == 1 ? 0 : v == 0 ? 1 : 2;   /* Yes, No, Not recorded */
}

/* The case tables' counts, each for w cases (one, or a rollup's count),
 * so the records (on_case_row) and the rollup (on_case_dim) count alike. */
static int gender_index(const char *code)
{
    switch (code[0] && !code[1] ? code[0] : 0) {
    case 'M': return 0;
    case 'F': return 1;
    case 'X': return 2;
    default: return 3;
    }
}

static void add_gender(struct build *b, enum stat_col cl, const char *code, int64_t w)
{
    stat_add(b->gender_rows[gender_index(code)], cl, w);
}

/* Gender crossed with the in-school SEN support flag (1, 0, -1). */
static void add_sen_gender(struct build *b, enum stat_col cl, const char *code, int64_t sen_support, int64_t w)
{
    int v = yn_index(sen_support);
    stat_add(b->sen_gender_rows[gender_index(code)][v == 0 ? 1 : v == 1 ? 0 : 2], cl, w);
}

static void add_year(struct build *b, enum stat_col cl, const char *code, int64_t w)
{
    size_t y = 0;
    while (y < codes_nc_year.count && strcmp(codes_nc_year.entries[y].code, code) != 0)
        y++;
    stat_add(b->year_rows[y], cl, w);   /* [count]: not recorded */
}

static void add_ethnicity(struct build *b, enum stat_col cl, const char *code, int64_t w)
{
    stat_add(row(&b->d->t[DT_ETHNICITY], "", ethnic_group(code), STAT_COUNT, true, 1), cl, w);
}

static void add_sen(struct build *b, enum stat_col cl, const char *code, int64_t w)
{
    int sn;
    switch (code[0] && !code[1] ? code[0] : 0) {
    case 'N': sn = 0; break;
    case 'K': sn = 1; break;
    case 'E': sn = 2; break;
    default: sn = 3; break;
    }
    stat_add(b->sen_rows[sn], cl, w);
}

/* Flag i: 0 summary before the meeting, 1 toolkit complete, 2.. prior contact. */
static void add_flag(struct build *b, enum stat_col cl, int i, int64_t v, int64_t w)
{
    if (i < 2)
        stat_add(b->proc_rows[i][yn_index(v)], cl, w);
    else if (i < 2 + DASH_PRIOR_FLAGS)
        stat_add(b->prior_rows[i - 2][yn_index(v)], cl, w);
}

/* w cases with fu follow-ups each in the range. */
static void add_follow_ups(struct build *b, enum stat_col cl, int64_t fu, int64_t w)
{
    stat_add(b->review_rows[fu >= 3 ? 3 : fu], cl, w);
}

/* One case presented, from the records: every case table in one pass,
 * through row pointers resolved before the scan (the rows do not move
 * until it is over). */
static void on_case_row(void *arg, const struct dash_row *r)
{
    struct build *b = arg;
    enum stat_col cl = col(r->phase);
    stat_add(b->cases, cl, 1);
    int64_t fu = r->n[2 + DASH_PRIOR_FLAGS];
    add_follow_ups(b, cl, fu, 1);
    stat_add(b->review_count, cl, fu);
    for (int i = 0; i < 2 + DASH_PRIOR_FLAGS; i++)
        add_flag(b, cl, i, r->n[i], 1);
    add_gender(b, cl, r->k[0], 1);
    add_sen_gender(b, cl, r->k[0], r->n[2 + 4], 1);
    add_year(b, cl, r->k[1], 1);
    add_ethnicity(b, cl, r->k[2], 1);
    add_sen(b, cl, r->k[3], 1);
}

/* Months up to the end of the range: a follow-up in month m counts when
 * m <= the range's last month (the rollup answers whole months only). */
static bool in_range_month(const struct build *b, const char *m)
{
    return m[0] && strcmp(m, b->to_month) <= 0;
}

/* The evidence tables' counts for w cases alike (one from the records, or
 * a rollup row): closed, reviewed by the range's end, feedback recorded,
 * and their place in the outcomes matrix. */
static void add_evidence(struct build *b, enum stat_col cl, bool closed, bool reviewed, bool feedback, int ei,
                         int referral, int64_t w)
{
    if (closed || reviewed) {
        stat_add(b->ended, cl, w);
        stat_add(b->fb_rows[feedback ? 0 : 1], cl, w);
    }
    if (closed) {
        stat_add(b->closed, cl, w);
        stat_add(b->cell_rows[outcome_cell_of(ei, referral)], cl, w);
    }
}

/* One presented case's evidence (q_dash_evidence). */
static void on_evidence(void *arg, const struct dash_row *r)
{
    add_evidence(arg, col(r->phase), r->n[1] != 0, r->n[0] > 0, r->n[2] != 0, (int)r->n[3], (int)r->n[4], 1);
}

/* One rollup row of the case dimensions (q_dash_rollup.h). */
static void on_case_dim(void *arg, const struct dash_row *r)
{
    struct build *b = arg;
    enum stat_col cl = col(r->phase);
    const char *dim = r->k[0];
    int64_t w = r->n[0];
    if (!strcmp(dim, "cases"))
        stat_add(b->cases, cl, w);
    else if (!strcmp(dim, "gender"))
        add_gender(b, cl, r->k[1], w);
    else if (!strcmp(dim, "nc_year"))
        add_year(b, cl, r->k[1], w);
    else if (!strcmp(dim, "ethnicity"))
        add_ethnicity(b, cl, r->k[1], w);
    else if (!strcmp(dim, "sen"))
        add_sen(b, cl, r->k[1], w);
    else if (!strcmp(dim, "sen_gender"))
        add_sen_gender(b, cl, r->k[1], strtoll(r->k[2], NULL, 10), w);
    else if (!strcmp(dim, "flag"))
        add_flag(b, cl, atoi(r->k[1]), strtoll(r->k[2], NULL, 10), w);
    else if (!strcmp(dim, "fu3"))
        add_follow_ups(b, cl, in_range_month(b, r->k[1]) + in_range_month(b, r->k[2]) + in_range_month(b, r->k[3]),
                       w);
    else if (!strcmp(dim, "fu") && in_range_month(b, r->k[1]))
        stat_add(b->review_count, cl, w);
    else if (!strcmp(dim, "evidence"))   /* k1 "<closed><feedback>", k2 "<ei> <referral>", k3 first follow-up */
        add_evidence(b, cl, r->k[1][0] == '1', in_range_month(b, r->k[3]), r->k[1][0] && r->k[1][1] == '1',
                     atoi(r->k[2]), atoi(strchr(r->k[2], ' ') ? strchr(r->k[2], ' ') + 1 : "-1"), w);
}

static const char *owner_group_label(const char *org_kind)
{
    if (!*org_kind)
        return NOT_RECORDED;
    const char *l = code_label(&ref_org_kinds, org_kind);
    return l ? l : "Other";
}

struct named {
    int64_t id;
    char name[128], org_kind[20];
};

static void on_name(void *arg, const struct dash_row *r)
{
    struct build *b = arg;
    bool service = !strcmp(r->phase, "service");
    struct named **arr = service ? &b->services : &b->resources;
    size_t *n = service ? &b->nservices : &b->nresources, *cap = service ? &b->capservices : &b->capresources;
    if (*n == *cap) {
        size_t c = *cap ? 2 * *cap : 64;
        struct named *x = realloc(*arr, c * sizeof *x);
        if (!x)
            return;
        *arr = x;
        *cap = c;
    }
    struct named *e = &(*arr)[(*n)++];
    e->id = r->authority_id;
    snprintf(e->name, sizeof e->name, "%s", r->k[1]);
    snprintf(e->org_kind, sizeof e->org_kind, "%.19s", r->k[2]);
}

static const struct named *named_find(const struct named *arr, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;   /* sorted by id */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (arr[mid].id == id)
            return &arr[mid];
        if (arr[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* The action tables' counts, one dimension at a time, so the records
 * (on_actions: every dimension of a group of actions) and the rollup
 * (on_action_dim: one dimension per row) count alike. */
static void add_action_kind(struct build *b, enum stat_col cl, const char *setting, const char *nature, int64_t n)
{
    struct dashboard *d = b->d;
    stat_add(b->actions, cl, n);
    const char *s = code_label(&action_settings, setting);
    stat_add(row(&d->t[DT_SETTING], "", s ? s : NOT_RECORDED, STAT_COUNT, true, 1), cl, n);
    const char *nat = code_label(&action_natures, nature);
    stat_add(row(&d->t[DT_NATURE], "", nat ? nat : NOT_RECORDED, STAT_COUNT, true, 1), cl, n);
}

static void add_action_owner(struct build *b, enum stat_col cl, int64_t service_id, int64_t n)
{
    struct dashboard *d = b->d;
    const struct named *owner = service_id ? named_find(b->services, b->nservices, service_id) : NULL;
    stat_add(row(&d->t[DT_OWNER], "", owner ? owner->name : NOT_RECORDED, STAT_COUNT, true, 1), cl, n);
    stat_add(row(&d->t[DT_OWNER_GROUP], "", owner_group_label(owner ? owner->org_kind : ""), STAT_COUNT, true, 1),
             cl, n);
}

/* Signposting actions only. */
static void add_action_resource(struct build *b, enum stat_col cl, int64_t resource_id, int64_t n)
{
    struct stat_table *t = &b->d->t[DT_RESOURCES];
    const struct named *res = resource_id ? named_find(b->resources, b->nresources, resource_id) : NULL;
    stat_add(&t->rows[0], cl, n);   /* all signposting actions */
    stat_add(row(t, "", res ? res->name : "No resource recorded", STAT_COUNT, true, 1), cl, n);
}

static void on_actions(void *arg, const struct dash_row *r)
{
    struct build *b = arg;
    enum stat_col cl = col(r->phase);
    int64_t n = r->n[2];
    add_action_kind(b, cl, r->k[0], r->k[1], n);
    add_action_owner(b, cl, r->n[0], n);
    if (!strcmp(r->k[1], "signposting_school") || !strcmp(r->k[1], "signposting_parents"))
        add_action_resource(b, cl, r->n[1], n);
}

/* One rollup row of the actions' dimensions (q_dash_rollup.h). */
static void on_action_dim(void *arg, const struct dash_row *r)
{
    struct build *b = arg;
    enum stat_col cl = col(r->phase);
    if (!strcmp(r->k[0], "act_kind"))
        add_action_kind(b, cl, r->k[1], r->k[2], r->n[0]);
    else if (!strcmp(r->k[0], "act_owner"))
        add_action_owner(b, cl, r->n[0], r->n[1]);
    else if (!strcmp(r->k[0], "act_resource"))
        add_action_resource(b, cl, r->n[0], r->n[1]);
}

/* Rows named as they are met (owners, resources) in one order whatever
 * order they were met in: by name, the "not recorded" row last; rows
 * before `first` (a total) stay where they are. */
static bool last_row(const struct stat_row *r)
{
    return !strcmp(r->label, NOT_RECORDED) || !strcmp(r->label, "No resource recorded");
}

static int named_row_cmp(const void *x, const void *y)
{
    const struct stat_row *a = x, *b = y;
    if (last_row(a) != last_row(b))
        return last_row(a) ? 1 : -1;
    return strcmp(a->label, b->label);
}

static void order_named(struct stat_table *t, size_t first)
{
    if (t->nrows > first + 1)
        qsort(&t->rows[first], t->nrows - first, sizeof t->rows[0], named_row_cmp);
}

static void on_population(void *arg, const struct dash_row *r)
{
    struct build *b = arg;
    struct dashboard *d = b->d;
    enum stat_col cl = col(r->phase);
    enum dash_table id;
    const char *label;
    if (!strcmp(r->k[0], "gender")) {
        id = DT_GENDER_POP;
        label = gender_label(r->k[1]);
    } else if (!strcmp(r->k[0], "nc_year")) {
        id = DT_YEAR_POP;
        label = year_label(r->k[1]);
    } else if (!strcmp(r->k[0], "ethnicity")) {
        id = DT_ETHNICITY_POP;
        label = ethnic_group(r->k[1]);
    } else if (!strcmp(r->k[0], "sen_provision")) {
        id = DT_SEN_POP;
        label = sen_label(r->k[1]);
    } else {
        return;
    }
    d->population_recorded = true;
    stat_add(stat_find(&d->t[id], NULL, "All pupils on roll"), cl, r->n[0]);
    stat_add(row(&d->t[id], "", label, STAT_COUNT, true, 1), cl, r->n[0]);
}

static void on_rate(void *arg, const struct cost_rate *r)
{
    struct build *b = arg;
    bool no_room = false;   /* out of memory: this rate is left out */
    b->rates = svc_room(b->rates, b->nrates, &b->caprates, sizeof *b->rates, 32, &no_room);
    if (no_room)
        return;
    b->rates[b->nrates++] = *r;
}

/* Rows in a fixed order, so categories with no one in them still show
 * (and "Not recorded" always does). */
static void fixed_rows(struct stat_table *t, const struct code_list *l, const char *(*label)(const char *))
{
    for (size_t i = 0; i < l->count; i++)
        row(t, "", label(l->entries[i].code), STAT_COUNT, true, 1);
    row(t, "", NOT_RECORDED, STAT_COUNT, true, 1);
}

static void ethnic_rows(struct stat_table *t)
{
    static const char *const groups[] = {"Asian / Asian British", "Black / African / Caribbean / Black British",
                                         "Mixed / Multiple ethnic groups", "White", "Other ethnic group",
                                         NOT_RECORDED};
    for (size_t i = 0; i < COUNT(groups); i++)
        row(t, "", groups[i], STAT_COUNT, true, 1);
}

static void gender_rows(struct stat_table *t)
{
    static const char *const g[] = {"Male", "Female", "Non-binary or other", NOT_RECORDED};
    for (size_t i = 0; i < 4; i++)
        row(t, "", g[i], STAT_COUNT, true, 1);
}

static void sen_rows(struct stat_table *t)
{
    for (size_t i = 0; i < codes_sen_provision.count; i++)
        row(t, "", codes_sen_provision.entries[i].label, STAT_COUNT, true, 1);
    row(t, "", NOT_RECORDED, STAT_COUNT, true, 1);
}

/* NC years: only those with someone in them, in code order, then Not recorded. */
static void order_years(struct stat_table *t)
{
    struct stat_row *tmp = malloc(sizeof t->rows);
    if (!tmp)
        return;
    size_t n = 0;
    for (size_t i = 0; i < codes_nc_year.count; i++) {
        struct stat_row *r = stat_find(t, NULL, codes_nc_year.entries[i].label);
        if (r && r->cells[COL_TOTAL].n > 0)
            tmp[n++] = *r;
    }
    struct stat_row *nr = stat_find(t, NULL, NOT_RECORDED);
    for (size_t i = 0; i < t->nrows; i++)   /* a header row (a base) stays first */
        if (t->rows[i].partition == 0)
            memmove(&tmp[1], &tmp[0], n * sizeof *tmp), tmp[0] = t->rows[i], n++;
    if (nr)
        tmp[n++] = *nr;
    memcpy(t->rows, tmp, n * sizeof *tmp);
    t->nrows = n;
    free(tmp);
}

static void with_base(struct stat_table *t, const struct stat_row *base)
{
    for (size_t i = 0; i < t->nrows; i++)
        if (t->rows[i].partition)
            stat_set_base(&t->rows[i], base);
}

static void tables_init(struct build *b)
{
    struct dashboard *d = b->d;
    struct stat_table *t;

    t = table(d, DT_MEETINGS, "meetings", "In-school TAS meetings", "Data Dashboard", CHART_BAR,
              "TAS member schools, meetings in the schedule for the period (whatever became of them), "
              "meetings held (as a share of those planned), held online (share of those held), and cancelled.");
    b->schools = row(t, "", "Number of schools in TAS", STAT_COUNT, false, 0);
    b->planned = row(t, "", "Meetings planned", STAT_COUNT, false, 0);
    b->held = row(t, "", "Meetings held", STAT_COUNT, false, 0);
    stat_set_base(b->held, b->planned);
    b->online = row(t, "", "Meetings held online", STAT_COUNT, false, 0);
    stat_set_base(b->online, b->held);
    b->cancelled = row(t, "", "Meetings cancelled", STAT_COUNT, false, 0);
    stat_set_base(b->cancelled, b->planned);

    t = table(d, DT_CASES, "cases", "Pupils' cases presented at TAS", "Data Dashboard", CHART_NONE,
              "Cases first brought to a held meeting in the period, by the phase of the pupil's school; new "
              "cases per meeting held; and how often each came back for review at a held meeting after that, "
              "up to the end of the period (shares of the cases presented).");
    b->cases = row(t, "", "Pupils' cases presented", STAT_COUNT, true, 0);
    stat_set_ratio(row(t, "", "New cases per meeting (average)", STAT_RATIO, true, 0), b->cases, b->held);
    static const char *const reviews[] = {"Not reviewed", "1 review", "2 reviews", "3 or more reviews"};
    for (int i = 0; i < 4; i++) {
        b->review_rows[i] = row(t, "Returning cases (documented reviews)", reviews[i], STAT_COUNT, true, 1);
        stat_set_base(b->review_rows[i], b->cases);
    }
    b->review_count = row(t, "", "Review discussions", STAT_COUNT, true, 0);

    t = table(d, DT_PROCEDURES, "procedures", "TAS working procedures and outputs", "Data Dashboard", CHART_NONE,
              "For the cases presented: whether a case summary was available and the Early Concerns Toolkit "
              "complete before the meeting (shares of the cases presented), and the actions recorded for them.");
    static const char *const flags[] = {"Case summary available before the meeting", "Early Concerns Toolkit complete"};
    static const char *const yn[] = {"Yes", "No", NOT_RECORDED};
    for (int f = 0; f < 2; f++)
        for (int i = 0; i < 3; i++) {
            b->proc_rows[f][i] = row(t, flags[f], yn[i], STAT_COUNT, true, f + 1);
            stat_set_base(b->proc_rows[f][i], b->cases);
        }
    b->actions = row(t, "After a TAS meeting", "Actions recorded", STAT_COUNT, true, 0);
    stat_set_ratio(row(t, "After a TAS meeting", "Actions per pupil (average)", STAT_RATIO, true, 0), b->actions,
                   b->cases);

    t = table(d, DT_ATTENDANCE, "attendance", "School and service representation at TAS meetings",
              "Data Dashboard", CHART_BAR,
              "Held meetings each member of the team, and each guest role, was present at, as a share of the "
              "meetings held.");
    row(t, "", "Meetings held", STAT_COUNT, false, 0);   /* filled from the meetings table */

    table(d, DT_MONTHS, "months", "Meetings held by month", "Meetings over time", CHART_LINE,
          "Meetings held in each month of the period, by the phase of the host school.");

    t = table(d, DT_GENDER, "gender", "TAS cases by gender", "Figure 3a", CHART_BAR,
              "Pupils whose cases were presented, by gender, as shares of all cases presented; not recorded "
              "shown as its own category.");
    gender_rows(t);
    for (int g = 0; g < 4; g++)
        b->gender_rows[g] = &t->rows[g];
    t = table(d, DT_YEAR, "year_group", "TAS cases by year group", "Figure 3b", CHART_BAR,
              "Pupils whose cases were presented, by National Curriculum year group.");
    fixed_rows(t, &codes_nc_year, year_label);
    for (size_t y = 0; y <= codes_nc_year.count; y++)
        b->year_rows[y] = &t->rows[y];   /* the last: not recorded */
    t = table(d, DT_ETHNICITY, "ethnicity", "TAS cases by GSS ethnicity category", "Figure 3c", CHART_BAR,
              "Pupils whose cases were presented, by the GSS major ethnicity group of their DfE ethnicity code; "
              "refused, not yet obtained and missing codes are not recorded.");
    ethnic_rows(t);
    with_base(t, b->cases);
    t = table(d, DT_SEN, "sen", "TAS cases by SEN provision", "Figure 3e", CHART_BAR,
              "Pupils whose cases were presented, by SEN provision (census code: none, SEN support, EHC plan).");
    sen_rows(t);
    for (int i = 0; i < 4; i++)
        b->sen_rows[i] = &t->rows[i];

    struct {
        enum dash_table id;
        const char *key, *title;
        void (*rows)(struct stat_table *);
    } pops[] = {
        {DT_GENDER_POP, "gender_population", "Pupil population of the same schools by gender", gender_rows},
        {DT_YEAR_POP, "year_group_population", "Pupil population of the same schools by year group", NULL},
        {DT_ETHNICITY_POP, "ethnicity_population", "Pupil population of the same schools by GSS ethnicity category",
         ethnic_rows},
        {DT_SEN_POP, "sen_population", "Pupil population of the same schools by SEN provision", sen_rows},
    };
    for (size_t i = 0; i < COUNT(pops); i++) {
        t = table(d, pops[i].id, pops[i].key, pops[i].title, "Comparison", CHART_BAR,
                  "Pupils on roll of the TAS schools in scope (school census figures kept for each school), "
                  "as shares of all pupils on roll of the schools that have figures.");
        struct stat_row *all = row(t, "", "All pupils on roll", STAT_COUNT, true, 0);
        if (pops[i].rows)
            pops[i].rows(t);
        else
            fixed_rows(t, &codes_nc_year, year_label);
        with_base(t, all);
    }

    t = table(d, DT_PRIOR, "prior_contact", "TAS cases by prior contact with services", "Figure 3d", CHART_BAR,
              "Cases presented already known to each service before TAS (yes), and cases where the case "
              "summary does not say (not recorded), as shares of all cases presented.");
    t->chart_rows = "Yes";
    for (int i = 0; i < DASH_PRIOR_FLAGS; i++)
        for (int k = 0; k < 3; k++) {
            b->prior_rows[i][k] = row(t, prior_labels[i], yn[k], STAT_COUNT, true, i + 1);
            stat_set_base(b->prior_rows[i][k], b->cases);
        }

    t = table(d, DT_SEN_BY_GENDER, "sen_by_gender", "TAS cases and existing SEN support, by gender", "Figure 3e",
              CHART_NONE, "Cases presented with and without SEN support before TAS, as shares of the cases of "
              "pupils of each gender.");
    static const char *const genders[] = {"Male", "Female", "Non-binary or other", NOT_RECORDED};
    static const char *const sens[] = {"No previous SEN support", "Existing SEN support", NOT_RECORDED};
    for (int g = 0; g < 4; g++)
        for (int s = 0; s < 3; s++) {
            b->sen_gender_rows[g][s] = row(t, genders[g], sens[s], STAT_COUNT, true, g + 1);
            stat_set_base(b->sen_gender_rows[g][s], stat_find(&d->t[DT_GENDER], NULL, genders[g]));
        }

    static const struct {
        enum dash_table id;
        const char *key, *title, *fig, *desc;
    } acts[] = {
        {DT_SETTING, "action_setting", "Where were actions expected to happen?", "Figure 4a",
         "Actions recorded for the cases presented, by setting, as shares of all those actions."},
        {DT_NATURE, "action_nature", "Types of actions agreed at TAS", "Figure 4b",
         "Actions recorded for the cases presented, by nature, as shares of all those actions."},
        {DT_OWNER, "action_owner", "Who was responsible for actions identified by the TAS?", "Figure 5c",
         "Actions recorded for the cases presented, by the owner's service; not recorded when the action "
         "names no service."},
        {DT_OWNER_GROUP, "action_owner_group", "Responsibility for actions by kind of organisation", "Figure 5c",
         "The same actions by the kind of organisation of the owner's service."},
    };
    for (size_t i = 0; i < COUNT(acts); i++)
        table(d, acts[i].id, acts[i].key, acts[i].title, acts[i].fig, CHART_BAR, acts[i].desc);
    for (size_t i = 0; i < action_settings.count; i++)
        row(&d->t[DT_SETTING], "", action_settings.entries[i].label, STAT_COUNT, true, 1);
    for (size_t i = 0; i < action_natures.count; i++)
        row(&d->t[DT_NATURE], "", action_natures.entries[i].label, STAT_COUNT, true, 1);
    for (size_t i = 0; i < ref_org_kinds.count; i++)
        row(&d->t[DT_OWNER_GROUP], "", ref_org_kinds.entries[i].label, STAT_COUNT, true, 1);
    row(&d->t[DT_OWNER_GROUP], "", NOT_RECORDED, STAT_COUNT, true, 1);

    t = table(d, DT_RESOURCES, "signposting", "What resources were signposted?", "Figure 4c", CHART_BAR,
              "Signposting actions (to the school or to parents and carers) for the cases presented, by the "
              "playbook resource named, as shares of all signposting actions.");
    row(t, "", "All signposting actions", STAT_COUNT, true, 0);

    t = table(d, DT_FEEDBACK, "feedback_given", "Feedback to families", "Annex A", CHART_NONE,
              "Of the cases presented in the period that were closed or reviewed by its end, those whose "
              "family was told what the meeting agreed (the feedback step recorded, with the date).");
    b->ended = row(t, "", "Cases closed or reviewed", STAT_COUNT, true, 0);
    b->fb_rows[0] = row(t, "Feedback given rate", "Feedback to the family recorded", STAT_COUNT, true, 1);
    b->fb_rows[1] = row(t, "Feedback given rate", "No feedback recorded", STAT_COUNT, true, 1);
    for (int i = 0; i < 2; i++)
        stat_set_base(b->fb_rows[i], b->ended);

    t = table(d, DT_OUTCOMES_MATRIX, "outcomes_matrix", "Outcomes matrix for TAS cases", "Annex A", CHART_NONE,
              "Closed cases of those presented in the period, as their case coordinator classified them: "
              "was early intervention appropriate, and was a referral made?");
    b->closed = row(t, "", "Closed cases", STAT_COUNT, true, 0);
    static const enum outcome_cell order[OC__COUNT] = {OC_AS_INTENDED_EARLY, OC_AS_INTENDED_REFERRAL,
                                                       OC_INAPPROPRIATE_REFERRAL, OC_MISSED_OPPORTUNITY,
                                                       OC_UNCLASSIFIED};
    for (int i = 0; i < OC__COUNT; i++) {
        b->cell_rows[order[i]] = row(t, "Outcome", outcome_cell_label(order[i]), STAT_COUNT, true, 1);
        stat_set_base(b->cell_rows[order[i]], b->closed);
    }

    t = table(d, DT_COST_SUMMARY, "cost_summary", "Costs of TAS meetings", "Section 2.3", CHART_NONE,
              "Direct staff costs from the cost model: for each person, the hourly cost with on-costs times the "
              "hours of preparation, meeting, follow-up and travel.  Planned: every meeting in the schedule with "
              "the whole core team present.  Actual: the people present at the meetings held.");
    row(t, "", "Planned programme cost", STAT_MONEY, false, 0);
    row(t, "", "Actual cost of meetings held", STAT_MONEY, false, 0);
    row(t, "", "Average cost per meeting held", STAT_MONEY, false, 0);
    t = table(d, DT_COST_PLANNED, "cost_planned", "Planned direct staff costs by organisation", "Figure 2a",
              CHART_STACKED, "Planned direct staff costs split between school, local authority and health staff.");
    for (int g = 0; g < 4; g++)
        b->cost_rows_planned[g] = row(t, "", cost_group_label(g), STAT_MONEY, false, 0);
    t = table(d, DT_COST_ACTUAL, "cost_actual", "Actual direct staff costs by organisation", "Figure 2a",
              CHART_STACKED, "Direct staff costs of the meetings held, split between school, local authority and "
              "health staff.");
    for (int g = 0; g < 4; g++)
        b->cost_rows_actual[g] = row(t, "", cost_group_label(g), STAT_MONEY, false, 0);
}

/* ---- what changed for the pupils supported ---- */

enum { OUT_COMPARED, OUT_ATT_KNOWN, OUT_ATT_ROSE, OUT_SUSP_FELL, OUT_MAINSTREAM };

static void outcomes_init(struct build *b)
{
    struct stat_table *t = table(b->d, DT_OUTCOMES, "outcomes", "What changed for the pupils supported",
                                 "Outcomes", CHART_NONE,
                                 "Cases presented in the period whose two school terms before and two after "
                                 "the day presented are over, and whose pupil has outcome records in either, "
                                 "compared from those records: "
                                 "attendance rose (of those with attendance recorded in both), suspensions "
                                 "fell, and stayed in mainstream school (shares of the cases compared).");
    struct stat_row **r = b->out_rows;
    r[OUT_COMPARED] = row(t, "", "Cases compared", STAT_COUNT, true, 0);
    r[OUT_ATT_KNOWN] = row(t, "", "Attendance recorded before and after", STAT_COUNT, true, 0);
    r[OUT_ATT_ROSE] = row(t, "", "Attendance rose", STAT_COUNT, true, 0);
    r[OUT_SUSP_FELL] = row(t, "", "Suspensions fell", STAT_COUNT, true, 0);
    r[OUT_MAINSTREAM] = row(t, "", "Stayed in mainstream", STAT_COUNT, true, 0);
    stat_set_base(r[OUT_ATT_KNOWN], r[OUT_COMPARED]);
    stat_set_base(r[OUT_ATT_ROSE], r[OUT_ATT_KNOWN]);
    stat_set_base(r[OUT_SUSP_FELL], r[OUT_COMPARED]);
    stat_set_base(r[OUT_MAINSTREAM], r[OUT_COMPARED]);
}

static void on_presented(void *arg, const struct dash_row *r)
{
    struct build *b = arg;
    b->presented =
        svc_room(b->presented, b->npresented, &b->cappresented, sizeof *b->presented, 64, &b->no_memory);
    if (b->no_memory)
        return;
    struct presented *p = &b->presented[b->npresented++];
    p->authority_id = r->authority_id;
    p->case_id = r->n[0];
    p->pupil_id = r->n[1];
    snprintf(p->phase, sizeof p->phase, "%s", r->phase);
    snprintf(p->on, sizeof p->on, "%.10s", r->k[0]);
}

/* Whether a window holds any record the indicators read: a pupil with
 * none was not compared (no records is not "stayed in mainstream"). */
static bool recorded(const struct outcome_indicators *x)
{
    return x->attendance_terms || x->suspensions || x->excluded || x->part_time || x->in_ap;
}

/* Each case presented, compared as on its page; counted only when its
 * after window is over, so a share does not move as the terms go by. */
static enum store_rc count_outcomes(struct svc_ctx *c, struct build *b)
{
    int32_t today = 0;
    if (b->no_memory || day_parse(c->today, &today) != 0)
        return STORE_ERROR;
    struct stat_row **r = b->out_rows;
    struct outcome_terms terms = {0};   /* most cases share an authority and a school year */
    for (size_t i = 0; i < b->npresented; i++) {
        const struct presented *p = &b->presented[i];
        struct outcome_compare cmp;
        enum svc_status st = svc_outcome_compare_pupil(c, p->pupil_id, p->authority_id, p->on,
                                                       DASH_OUTCOME_TERMS, &terms, &cmp);
        if (st == SVC_INVALID)
            continue;
        if (st != SVC_OK)
            return STORE_ERROR;
        if (!cmp.w.complete || cmp.w.after_ends >= today || (!recorded(&cmp.before) && !recorded(&cmp.after)))
            continue;
        enum stat_col cl = col(p->phase);
        stat_add(r[OUT_COMPARED], cl, 1);
        stat_add(r[OUT_ATT_KNOWN], cl, cmp.attendance != CHANGE_UNKNOWN);
        stat_add(r[OUT_ATT_ROSE], cl, cmp.attendance == CHANGE_ROSE);
        stat_add(r[OUT_SUSP_FELL], cl, cmp.suspensions == CHANGE_FELL);
        stat_add(r[OUT_MAINSTREAM], cl, cmp.stayed_in_mainstream);
    }
    return STORE_OK;
}

/* One rollup row of the outcomes (q_rollup_outcomes): k0 the four flags. */
static void on_outcome_dim(void *arg, const struct dash_row *r)
{
    struct build *b = arg;
    struct stat_row **o = b->out_rows;
    enum stat_col cl = col(r->phase);
    const char *f = r->k[0];
    int64_t w = r->n[0];
    if (strlen(f) != 4)
        return;
    stat_add(o[OUT_COMPARED], cl, w);
    stat_add(o[OUT_ATT_KNOWN], cl, f[0] == '1' ? w : 0);
    stat_add(o[OUT_ATT_ROSE], cl, f[1] == '1' ? w : 0);
    stat_add(o[OUT_SUSP_FELL], cl, f[2] == '1' ? w : 0);
    stat_add(o[OUT_MAINSTREAM], cl, f[3] == '1' ? w : 0);
}

/* The rollup's outcome cells of one slice: the presented cases whose
 * pupil has outcome records, compared as count_outcomes does, except
 * "is the after window over" (today), which the reader asks. */
struct out_cell {
    int64_t vis;
    char phase[16], ends[11], flags[5];
    int64_t n;
};

struct out_cells {
    struct out_cell *c;
    size_t n, cap;
    bool oom;
};

static void on_outcome_case(void *arg, const struct dash_row *r)
{
    struct build *b = arg;
    on_presented(b, r);
}

static enum store_rc build_outcomes(struct svc_ctx *c, int64_t authority_id, const char *month)
{
    struct build b = {0};
    enum store_rc rc = q_rollup_outcome_cases(c->db, authority_id, month, on_outcome_case, &b);
    if (rc == STORE_OK && b.no_memory)
        rc = STORE_ERROR;
    struct out_cells oc = {0};
    struct outcome_terms terms = {0};
    for (size_t i = 0; rc == STORE_OK && i < b.npresented; i++) {
        const struct presented *p = &b.presented[i];
        struct outcome_compare cmp;
        enum svc_status st = svc_outcome_compare_pupil(c, p->pupil_id, p->authority_id, p->on,
                                                       DASH_OUTCOME_TERMS, &terms, &cmp);
        if (st == SVC_INVALID)
            continue;
        if (st != SVC_OK) {
            rc = STORE_ERROR;
            break;
        }
        if (!cmp.w.complete || (!recorded(&cmp.before) && !recorded(&cmp.after)))
            continue;
        struct out_cell k = {.vis = p->authority_id, .n = 1};
        snprintf(k.phase, sizeof k.phase, "%s", p->phase);
        day_format(cmp.w.after_ends, k.ends);
        snprintf(k.flags, sizeof k.flags, "%d%d%d%d", cmp.attendance != CHANGE_UNKNOWN,
                 cmp.attendance == CHANGE_ROSE, cmp.suspensions == CHANGE_FELL, cmp.stayed_in_mainstream ? 1 : 0);
        size_t j = 0;
        while (j < oc.n && !(oc.c[j].vis == k.vis && !strcmp(oc.c[j].phase, k.phase) &&
                             !strcmp(oc.c[j].ends, k.ends) && !strcmp(oc.c[j].flags, k.flags)))
            j++;
        if (j < oc.n) {
            oc.c[j].n++;
            continue;
        }
        bool no_room = false;
        oc.c = svc_room(oc.c, oc.n, &oc.cap, sizeof *oc.c, 16, &no_room);
        if (no_room) {
            rc = STORE_ERROR;
            break;
        }
        oc.c[oc.n++] = k;
    }
    for (size_t j = 0; rc == STORE_OK && j < oc.n; j++)
        rc = q_rollup_put(c->db, authority_id, oc.c[j].vis, oc.c[j].phase, month, "outcome", oc.c[j].ends,
                          oc.c[j].flags, oc.c[j].n);
    free(oc.c);
    free(b.presented);
    return rc;
}

static void finish_attendance(struct build *b)
{
    struct stat_table *t = &b->d->t[DT_ATTENDANCE];
    struct stat_row *held = stat_find(t, NULL, "Meetings held");
    for (int c = 0; c < STAT_NCOLS; c++)
        held->cells[c].n = b->held->cells[c].n;
    /* Membership first (as recorded, by name), guests after. */
    for (size_t i = 1; i < t->nrows; i++)
        for (size_t k = i + 1; k < t->nrows; k++) {
            struct stat_row *x = &t->rows[i], *y = &t->rows[k];
            int gx = !strcmp(x->group, "Guest members"), gy = !strcmp(y->group, "Guest members");
            if (gx > gy || (gx == gy && strcmp(x->label, y->label) > 0)) {
                struct stat_row tmp = *x;
                *x = *y;
                *y = tmp;
            }
        }
    /* Swapping moved rows: bases point at b->held, which did not move. */
}

static void finish_costs(struct build *b)
{
    struct dashboard *d = b->d;
    struct stat_table *s = &d->t[DT_COST_SUMMARY];
    struct stat_row *plan = stat_find(s, NULL, "Planned programme cost");
    struct stat_row *act = stat_find(s, NULL, "Actual cost of meetings held");
    struct stat_row *avg = stat_find(s, NULL, "Average cost per meeting held");
    for (int c = 0; c < COL_TOTAL; c++)
        for (int g = 0; g < 4; g++) {
            stat_add(b->cost_rows_planned[g], (enum stat_col)c, b->planned_pence[c][g]);
            stat_add(b->cost_rows_actual[g], (enum stat_col)c, b->actual_pence[c][g]);
            stat_add(plan, (enum stat_col)c, b->planned_pence[c][g]);
            stat_add(act, (enum stat_col)c, b->actual_pence[c][g]);
        }
    for (int c = 0; c < STAT_NCOLS; c++) {
        int64_t h = b->held->cells[c].n;
        avg->cells[c].n = h > 0 ? (act->cells[c].n + h / 2) / h : 0;
    }
}

/* Bases are set once the rows have stopped moving. */
static void finish_bases(struct build *b)
{
    struct dashboard *d = b->d;
    static const enum dash_table of_cases[] = {DT_GENDER, DT_YEAR, DT_ETHNICITY, DT_SEN};
    static const enum dash_table of_actions[] = {DT_SETTING, DT_NATURE, DT_OWNER, DT_OWNER_GROUP};
    static const enum dash_table of_first[] = {DT_GENDER_POP, DT_YEAR_POP, DT_ETHNICITY_POP, DT_SEN_POP,
                                               DT_RESOURCES};
    for (size_t i = 0; i < 4; i++) {
        with_base(&d->t[of_cases[i]], b->cases);
        with_base(&d->t[of_actions[i]], b->actions);
    }
    for (size_t i = 0; i < COUNT(of_first); i++)
        with_base(&d->t[of_first[i]], &d->t[of_first[i]].rows[0]);
}

static bool all_zero(const struct stat_table *t)
{
    for (size_t i = 0; i < t->nrows; i++)
        if (t->rows[i].cells[COL_TOTAL].n != 0)
            return false;
    return true;
}

static bool other_used(const struct stat_table *t)
{
    for (size_t i = 0; i < t->nrows; i++)
        if (t->rows[i].cells[COL_OTHER].n != 0)
            return true;
    return false;
}

/* Stale (authority, month) pairs of the rollup. */
struct stale {
    struct stale_pair {
        int64_t authority_id;
        char month[8];
    } *p;
    size_t n, cap;
    bool oom;
};

static void on_stale(void *arg, int64_t authority_id, const char *month)
{
    struct stale *s = arg;
    s->p = svc_room(s->p, s->n, &s->cap, sizeof *s->p, 64, &s->oom);
    if (s->oom)
        return;
    s->p[s->n].authority_id = authority_id;
    snprintf(s->p[s->n].month, sizeof s->p[s->n].month, "%s", month);
    s->n++;
}

/* The stale months a dashboard over q covers: of its one authority, or of
 * every one the viewer sees; within its months (all, when q has no dates). */
static enum store_rc stale_in_scope(struct svc_ctx *c, const struct dash_query *q, struct stale *s)
{
    char from[8] = "0000-00", to[8] = "9999-99";
    if (q->from && *q->from)
        snprintf(from, sizeof from, "%.7s", q->from);
    if (q->to && *q->to)
        snprintf(to, sizeof to, "%.7s", q->to);
    s->n = 0;
    if (q->authority_id || q->vis->all)
        return q_rollup_stale(c->db, q->authority_id, from, to, on_stale, s);
    enum store_rc rc = STORE_OK;
    for (size_t i = 0; rc == STORE_OK && i < q->vis->nauthorities; i++)
        rc = q_rollup_stale(c->db, q->vis->authority_ids[i], from, to, on_stale, s);
    return rc;
}

/* A view of one authority rebuilds at most this many stale months first
 * (tens of milliseconds each); with more it reads the records (about
 * 60 ms for a large authority's year) and leaves them for a wider view or
 * the server's refresher. */
#define REBUILD_FOR_ONE 2

static double mono_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

/* A claim older than this is a rebuild that died (migration 0037); a view
 * needing a slice another is rebuilding waits this long at most for it. */
#define ROLLUP_CLAIM_SECONDS 600
#define ROLLUP_WAIT_MS 30000

/* Rebuilds one slice (an authority's month, or England's: 0): claimed,
 * built, released.  Where writers run alongside each other (PostgreSQL)
 * these are three transactions and the build, the long part, takes no
 * write lock, so writers go on while it runs (a writer changing the slice
 * meanwhile marks it stale again); with one writer at a time (SQLite),
 * one transaction, as splitting it would only add syncs.  *busy: another
 * rebuild holds the slice, and nothing was done. */
static enum store_rc rebuild_slice(struct svc_ctx *c, int64_t authority_id, const char *month, bool *busy)
{
    struct store *db = c->db;
    bool one = store_one_writer(db), claimed = false;
    *busy = false;
    enum store_rc rc = store_begin_write(db);
    if (rc != STORE_OK)
        return rc;
    rc = q_rollup_claim(db, authority_id, month, c->now, ROLLUP_CLAIM_SECONDS, &claimed);
    if (rc != STORE_OK || !claimed) {
        store_rollback(db);
        *busy = rc == STORE_OK;
        return rc;
    }
    if (!one) {
        if ((rc = store_commit(db)) != STORE_OK)
            return rc;
        rc = store_begin_aside(db);
    }
    if (rc == STORE_OK)
        rc = q_rollup_build(db, authority_id, month);
    if (rc == STORE_OK && authority_id && strcmp(month, DASH_POPULATION_MONTH))
        rc = build_outcomes(c, authority_id, month);
    if (one) {
        if (rc == STORE_OK)
            rc = q_rollup_release(db, authority_id, month, true);
        return store_end_write(db, rc);
    }
    if (store_in_transaction(db))
        rc = store_end_write(db, rc);
    /* Released whatever happened: built, or stale again. */
    enum store_rc rel = store_begin_write(db);
    if (rel == STORE_OK)
        rel = store_end_write(db, q_rollup_release(db, authority_id, month, rc == STORE_OK));
    return rc != STORE_OK ? rc : rel;
}

/* Waits (up to ROLLUP_WAIT_MS) for another's rebuild of a slice to end;
 * false when it has not. */
static bool slice_released(struct svc_ctx *c, int64_t authority_id, const char *month)
{
    double t0 = mono_ms();
    for (;;) {
        bool held = true;
        if (q_rollup_claimed(c->db, authority_id, month, c->now - ROLLUP_CLAIM_SECONDS, &held) != STORE_OK)
            return false;
        if (!held)
            return true;
        if (mono_ms() - t0 > ROLLUP_WAIT_MS)
            return false;
        nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
    }
}

/* Brings the rollup up to date for what q covers, one month per write
 * transaction (so writers wait a month's rebuild at most; on PostgreSQL
 * not even that: rebuild_slice).  *use is set
 * false when the dashboard should read the records instead.  budget_ms > 0:
 * start no month after that long; *left (if given): the stale months not
 * rebuilt. */
static enum store_rc rollup_prepare(struct svc_ctx *c, const struct dash_query *q, bool one_is_enough, bool *use,
                                    double budget_ms, size_t *left)
{
    double t0 = mono_ms();
    /* Looked at first without the write lock: usually nothing is stale. */
    struct stale s = {0};
    enum store_rc rc = stale_in_scope(c, q, &s);
    if (rc == STORE_OK && s.oom)
        rc = STORE_ERROR;
    bool single = q->authority_id || (!q->vis->all && q->vis->nauthorities == 1);
    if (rc == STORE_OK && s.n > REBUILD_FOR_ONE && single && !one_is_enough) {
        *use = false;
        s.n = 0;
    }
    /* England's months (authority 0) are added up from the authorities':
     * built after them, and only for a view of England. */
    size_t kept = 0;
    for (size_t k = 0; k < s.n; k++)
        if (s.p[k].authority_id != 0)
            s.p[kept++] = s.p[k];
    s.n = kept;
    bool england = !q->authority_id && q->vis->all;
    size_t i = 0;
    for (int pass = 0; rc == STORE_OK && pass < (england ? 2 : 1); pass++) {
        if (pass == 1) {
            if (i < s.n)
                break;   /* out of time: England's months wait for the rest */
            char from[8] = "0000-00", to[8] = "9999-99";
            if (q->from && *q->from)
                snprintf(from, sizeof from, "%.7s", q->from);
            if (q->to && *q->to)
                snprintf(to, sizeof to, "%.7s", q->to);
            s.n = 0;
            i = 0;
            rc = q_rollup_stale_national(c->db, from, to, on_stale, &s);
            if (rc == STORE_OK && s.oom)
                rc = STORE_ERROR;
        }
        for (; rc == STORE_OK && i < s.n; i++) {
            if (budget_ms > 0 && mono_ms() - t0 > budget_ms)
                break;
            /* Built by another request meanwhile?  Then it is fresh: rebuild
             * anyway, the same rows again, rather than look twice.  Being
             * built by another now: wait for it, unless this is the
             * refresher on a budget (it moves on); a view that waited in
             * vain reads the records. */
            bool busy = false;
            rc = rebuild_slice(c, s.p[i].authority_id, s.p[i].month, &busy);
            if (rc == STORE_OK && busy && budget_ms <= 0 && !slice_released(c, s.p[i].authority_id, s.p[i].month))
                *use = false;
        }
    }
    if (left)
        *left = s.n - i;
    free(s.p);
    return rc;
}

enum svc_status svc_dashboard_refresh(struct svc_ctx *c, int64_t authority_id)
{
    struct visibility all = {.all = true};
    struct dash_query q = {"", "", authority_id, 0, 0, "", &all};
    bool use = true;
    return rollup_prepare(c, &q, true, &use, 0, NULL) == STORE_OK ? SVC_OK : SVC_ERROR;
}

enum svc_status svc_dashboard_rebuild(struct svc_ctx *c)
{
    if (store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    if (q_rollup_mark_all(c->db) != STORE_OK || store_commit(c->db) != STORE_OK) {
        store_rollback(c->db);
        return SVC_ERROR;
    }
    return svc_dashboard_refresh(c, 0);
}

bool svc_dashboard_replica_current(struct store *primary, struct store *replica)
{
    int64_t pd, pr, rd, rr;
    return q_rollup_generation(primary, &pd) == STORE_OK && store_records_generation(primary, &pr) == STORE_OK &&
           q_rollup_generation(replica, &rd) == STORE_OK && store_records_generation(replica, &rr) == STORE_OK &&
           pd == rd && pr == rr;
}

enum svc_status svc_dashboard_generation(struct svc_ctx *c, const struct dash_filter_form *in, enum action a,
                                         int64_t *generation)
{
    *generation = 0;
    struct dash_filter f;
    struct field_errors errs = {0};
    enum svc_status st = read_filters(c, in, a, &f, &errs);
    if (st != SVC_OK || in->from_records)
        return st;
    struct visibility vis;
    policy_visible(c->who, RES_AGGREGATE, a, &vis);
    struct dash_query q = {f.from, f.to, f.authority_id, f.team_id, f.school_id, f.phase, &vis};
    bool roll = q_rollup_answers(&q);
    if (roll && rollup_prepare(c, &q, false, &roll, 0, NULL) != STORE_OK)
        return SVC_ERROR;
    if (!roll)
        return SVC_OK;
    /* Read after the rebuild: what is computed from here on is at least
     * this new. */
    if (q_rollup_generation(c->db, generation) != STORE_OK)
        *generation = 0;
    return SVC_OK;
}

bool dashboard_same(const struct dashboard *a, const struct dashboard *b, char *where, size_t wherelen)
{
    for (int i = 0; i < DT__COUNT; i++) {
        const struct stat_table *x = &a->t[i], *y = &b->t[i];
        const char *key = x->key ? x->key : "?";
        if (x->nrows != y->nrows) {
            snprintf(where, wherelen, "table %s: %zu rows against %zu", key, x->nrows, y->nrows);
            return false;
        }
        for (size_t r = 0; r < x->nrows; r++) {
            const struct stat_row *p = &x->rows[r], *q = &y->rows[r];
            if (strcmp(p->label, q->label) || strcmp(p->group, q->group)) {
                snprintf(where, wherelen, "table %s, row %zu: \"%s\" against \"%s\"", key, r + 1, p->label,
                         q->label);
                return false;
            }
            for (int k = 0; k < STAT_NCOLS; k++)
                if (p->cells[k].n != q->cells[k].n || p->cells[k].suppressed != q->cells[k].suppressed) {
                    snprintf(where, wherelen, "table %s, row \"%s\", column %s: %lld against %lld", key, p->label,
                             stat_col_label((enum stat_col)k), (long long)p->cells[k].n, (long long)q->cells[k].n);
                    return false;
                }
        }
    }
    if (strcmp(a->missing_rates, b->missing_rates)) {
        snprintf(where, wherelen, "roles without a cost rate: \"%s\" against \"%s\"", a->missing_rates,
                 b->missing_rates);
        return false;
    }
    return true;
}

enum svc_status svc_dashboard_refresh_some(struct svc_ctx *c, int budget_ms, size_t *left)
{
    struct visibility all = {.all = true};
    struct dash_query q = {"", "", 0, 0, 0, "", &all};
    bool use = true;
    return rollup_prepare(c, &q, true, &use, budget_ms > 0 ? budget_ms : 1, left) == STORE_OK ? SVC_OK
                                                                                                : SVC_ERROR;
}

/* What a dashboard and its scope share (struct dash_scope's fields, each
 * given by the caller): the filters read, whether the counts may be exact
 * and the threshold, and what the viewer may see of aggregates (vis). */
static enum svc_status read_scope(struct svc_ctx *c, const struct dash_filter_form *in, enum action a,
                                  struct dash_filter *f, bool *exact, bool *may_see_exact, int *threshold,
                                  struct visibility *vis, struct field_errors *errs)
{
    enum svc_status st = read_filters(c, in, a, f, errs);
    if (st != SVC_OK)
        return st;
    struct visibility cases_vis;
    policy_visible(c->who, RES_AGGREGATE, a, vis);
    policy_visible(c->who, RES_CASE, ACT_LIST, &cases_vis);
    *may_see_exact = covers(&cases_vis, vis);
    *exact = *may_see_exact && !f->publish;
    int64_t t = 0;
    if (q_disclosure_get(c->db, f->authority_id, &t) != STORE_OK)
        return SVC_ERROR;
    *threshold = t >= 2 ? (int)t : DASH_DEFAULT_THRESHOLD;
    return SVC_OK;
}

enum svc_status svc_dashboard(struct svc_ctx *c, const struct dash_filter_form *in, enum action a,
                              struct dashboard *d, struct field_errors *errs)
{
    memset(d, 0, sizeof *d);
    struct visibility vis;
    enum svc_status st = read_scope(c, in, a, &d->f, &d->exact, &d->may_see_exact, &d->threshold, &vis, errs);
    if (st != SVC_OK)
        return st;

    struct dash_query q = {d->f.from, d->f.to, d->f.authority_id, d->f.team_id, d->f.school_id, d->f.phase, &vis};
    struct build b = {0};
    b.d = d;
    b.missing = d->missing_rates;
    tables_init(&b);
    outcomes_init(&b);
    snprintf(b.to_month, sizeof b.to_month, "%.7s", d->f.to);
    /* Whole months of whole authorities come from the rollup, brought up
     * to date first; anything narrower from the records. */
    bool roll = !in->from_records && q_rollup_answers(&q);
    enum store_rc rc = roll ? rollup_prepare(c, &q, false, &roll, 0, NULL) : STORE_OK;
    if (rc == STORE_OK)
        rc = q_cost_rates(c->db, d->f.authority_id, on_rate, &b);
    if (rc == STORE_OK && b.nrates)
        qsort(b.rates, b.nrates, sizeof *b.rates, rates_cmp);
    if (rc == STORE_OK)
        rc = q_dash_schools(c->db, &q, on_school, &b);
    if (rc == STORE_OK)
        rc = (roll ? q_rollup_meetings : q_dash_meetings)(c->db, &q, on_meetings, &b);
    if (rc == STORE_OK)
        rc = (roll ? q_rollup_planned_members : q_dash_planned_members)(c->db, &q, on_planned_member, &b);
    if (rc == STORE_OK)
        rc = (roll ? q_rollup_months : q_dash_months)(c->db, &q, on_month, &b);
    if (rc == STORE_OK)
        rc = (roll ? q_rollup_attendance : q_dash_attendance)(c->db, &q, on_attendance, &b);
    if (rc == STORE_OK)
        rc = roll ? q_rollup_case_dims(c->db, &q, on_case_dim, &b) : q_dash_case_rows(c->db, &q, on_case_row, &b);
    if (rc == STORE_OK && !roll)   /* the rollup's come with its case dimensions */
        rc = q_dash_evidence(c->db, &q, on_evidence, &b);
    if (rc == STORE_OK)
        rc = q_dash_names(c->db, d->f.authority_id, on_name, &b);
    if (rc == STORE_OK)
        rc = roll ? q_rollup_action_dims(c->db, &q, on_action_dim, &b) : q_dash_actions(c->db, &q, on_actions, &b);
    if (rc == STORE_OK)
        rc = (roll ? q_rollup_population : q_dash_population)(c->db, &q, on_population, &b);
    /* Outcomes: the rollup holds each slice's compared cases by the day
     * their after window ends; the records compare case by case. */
    if (rc == STORE_OK && roll)
        rc = q_rollup_outcomes(c->db, &q, c->today, on_outcome_dim, &b);
    if (rc == STORE_OK && !roll)
        rc = q_dash_case_presented(c->db, &q, on_presented, &b);
    if (rc == STORE_OK && !roll)
        rc = count_outcomes(c, &b);
    free(b.presented);
    free(b.rates);
    free(b.services);
    free(b.resources);
    if (rc != STORE_OK)
        return SVC_ERROR;
    order_named(&d->t[DT_OWNER], 0);
    order_named(&d->t[DT_RESOURCES], 1);
    finish_attendance(&b);
    finish_costs(&b);
    order_years(&d->t[DT_YEAR]);
    order_years(&d->t[DT_YEAR_POP]);
    finish_bases(&b);
    for (int i = 0; i < DT__COUNT; i++) {
        d->t[i].show_other = other_used(&d->t[i]);
        if (all_zero(&d->t[i]))
            d->t[i].chart = CHART_NONE;   /* no chart of nothing */
    }
    stat_suppress(d->t, DT__COUNT, d->exact ? 0 : d->threshold);
    /* stat_suppress goes on until the audit finds nothing to work out;
     * said with the tables so readers (and the tests) can see it. */
    d->disclosed = d->exact ? 0 : stat_audit(d->t, DT__COUNT, NULL);
    return SVC_OK;
}

enum svc_status svc_dashboard_planned_cost(struct svc_ctx *c, const struct dash_filter_form *in,
                                           struct dash_planned_cost *out, struct field_errors *errs)
{
    memset(out, 0, sizeof *out);
    struct dash_filter f;
    enum svc_status st = read_filters(c, in, ACT_VIEW, &f, errs);
    if (st != SVC_OK)
        return st;
    struct visibility vis;
    policy_visible(c->who, RES_AGGREGATE, ACT_VIEW, &vis);
    struct dash_query q = {f.from, f.to, f.authority_id, f.team_id, f.school_id, f.phase, &vis};
    /* The records' road only: the meetings and the teams' members, as
     * svc_dashboard reads them (the rollup holds the same figures). */
    struct build b = {0};
    b.missing = out->missing_rates;
    enum store_rc rc = q_cost_rates(c->db, f.authority_id, on_rate, &b);
    if (rc == STORE_OK && b.nrates)
        qsort(b.rates, b.nrates, sizeof *b.rates, rates_cmp);
    if (rc == STORE_OK)
        rc = q_dash_meetings(c->db, &q, on_meetings_planned, &b);
    if (rc == STORE_OK)
        rc = q_dash_planned_members(c->db, &q, on_planned_member, &b);
    free(b.rates);
    if (rc != STORE_OK)
        return SVC_ERROR;
    for (int col = 0; col < 3; col++)
        for (int g = 0; g < 5; g++)
            out->pence += b.planned_pence[col][g];
    out->meetings = b.meetings_planned;
    return SVC_OK;
}

bool dashboard_cell_at(const struct dashboard *d, const struct stat_cell *c, const struct stat_table **t,
                       const struct stat_row **r)
{
    for (int i = 0; c && i < DT__COUNT; i++)
        for (size_t k = 0; k < d->t[i].nrows; k++)
            if (c >= &d->t[i].rows[k].cells[0] && c < &d->t[i].rows[k].cells[STAT_NCOLS]) {
                *t = &d->t[i];
                *r = &d->t[i].rows[k];
                return true;
            }
    return false;
}

const struct stat_table *dashboard_table(const struct dashboard *d, const char *key)
{
    for (int i = 0; i < DT__COUNT; i++)
        if (d->t[i].key && key && !strcmp(d->t[i].key, key))
            return &d->t[i];
    return NULL;
}

/* ---- pick lists ---- */

static void choice_authority(void *arg, const struct authority *a)
{
    const struct dash_choices_sink *k = arg;
    k->authority(k->arg, a->id, a->name);
}

static void choice_team(void *arg, const struct team_row *t)
{
    const struct dash_choices_sink *k = arg;
    k->team(k->arg, t->t.id, t->t.name);
}

static void choice_school(void *arg, const struct school *s)
{
    const struct dash_choices_sink *k = arg;
    if (s->tas_member)
        k->school(k->arg, s->id, s->name, s->phase);
}

enum svc_status svc_dashboard_choices(struct svc_ctx *c, const struct dash_choices_sink *sink)
{
    struct visibility vis;
    policy_visible(c->who, RES_AGGREGATE, ACT_VIEW, &vis);
    if (!vis.all && !vis.nauthorities && !vis.nschools)
        return SVC_FORBIDDEN;
    struct visibility avis;
    policy_visible(c->who, RES_AUTHORITY, ACT_LIST, &avis);
    struct page_req pg = {1, 200};
    struct team_filter tf = {c->today, -1};
    int64_t total = 0;
    enum store_rc rc = q_authority_list(c->db, &avis, choice_authority, (void *)(uintptr_t)sink);
    if (rc == STORE_OK || rc == STORE_DONE)
        rc = q_team_list(c->db, &vis, &tf, &pg, &total, choice_team, (void *)(uintptr_t)sink);
    if (rc == STORE_OK || rc == STORE_DONE)
        rc = q_school_list(c->db, &vis, NULL, &pg, &total, choice_school, (void *)(uintptr_t)sink);
    return rc == STORE_OK || rc == STORE_DONE ? SVC_OK : SVC_ERROR;
}

int dashboard_section(enum dash_table t)
{
    if (t < DT_GENDER)
        return 2;
    if (t < DT_SETTING)
        return 3;
    if (t < DT_OWNER)
        return 4;
    if (t < DT_OUTCOMES)
        return 5;
    if (t < DT_FEEDBACK)
        return 6;
    return 7;
}

const char *dashboard_section_title(int section)
{
    switch (section) {
    case 2: return "Key facts and figures: delivery and costs of TAS meetings";
    case 3: return "Overview of TAS cases: who is reached";
    case 4: return "What is done: TAS actions";
    case 5: return "Who does it: responsibility for actions";
    case 6: return "What changed for the pupils supported";
    case 7: return "Evidence of outcomes: families' voice and the outcomes matrix";
    default: return "";
    }
}

enum svc_status svc_dashboard_scope(struct svc_ctx *c, const struct dash_filter_form *in, enum action a,
                                    struct dash_scope *out, struct field_errors *errs)
{
    memset(out, 0, sizeof *out);
    struct visibility vis;
    return read_scope(c, in, a, &out->f, &out->exact, &out->may_see_exact, &out->threshold, &vis, errs);
}

bool svc_dashboard_may(struct svc_ctx *c, const struct dash_filter_form *in, enum action a)
{
    struct dash_filter f;
    struct field_errors errs = {0};
    return read_filters(c, in, a, &f, &errs) == SVC_OK;
}
