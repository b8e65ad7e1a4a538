#include "service/svc_costs.h"

#include <stdio.h>
#include <string.h>

#include "core/codes.h"
#include "core/validate.h"
#include "store/q_reference.h"
#include "store/q_schools.h"

static bool blank(const char *s)
{
    return !s || !*s;
}

static bool standing_key(const char *k)
{
    return !strcmp(k, "school") || !strcmp(k, "strategic_lead") || !strcmp(k, "case_coordinator");
}

struct settings_build {
    struct cost_settings *out;
};

static struct cost_rate *settings_slot(struct cost_settings *s, const char *key, bool *fresh)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->rates[i].role_key, key)) {
            *fresh = false;
            return &s->rates[i];
        }
    if (s->n >= COST_ROLES_MAX)
        return NULL;
    *fresh = true;
    struct cost_rate *r = &s->rates[s->n++];
    memset(r, 0, sizeof *r);
    r->authority_id = s->authority_id;
    snprintf(r->role_key, sizeof r->role_key, "%s", key);
    return r;
}

static const char *group_of_kind(const char *org_kind)
{
    if (!strcmp(org_kind, "school"))
        return "school";
    if (!strcmp(org_kind, "local_authority"))
        return "la";
    if (!strcmp(org_kind, "health"))
        return "health";
    return "other";
}

static void settings_service(void *arg, const struct service_row *r)
{
    struct cost_settings *s = arg;
    bool fresh;
    struct cost_rate *x = settings_slot(s, r->code, &fresh);
    if (x && fresh) {
        snprintf(x->label, sizeof x->label, "%s", r->name);
        snprintf(x->org_group, sizeof x->org_group, "%s", group_of_kind(r->org_kind));
    }
}

static void settings_rate(void *arg, const struct cost_rate *r)
{
    struct cost_settings *s = arg;
    bool fresh;
    struct cost_rate *x = settings_slot(s, r->role_key, &fresh);
    if (x) {
        *x = *r;
        s->set[x - s->rates] = true;
    }
}

enum svc_status svc_cost_settings(struct svc_ctx *c, int64_t authority_id, struct cost_settings *out)
{
    memset(out, 0, sizeof *out);
    if (authority_id <= 0 || !svc_allowed(c, ACT_VIEW, RES_AGGREGATE, 0, authority_id, 0))
        return SVC_FORBIDDEN;
    out->authority_id = authority_id;
    static const char *const standing[][3] = {{"school", "School", "school"},
                                              {"strategic_lead", "TAS Strategic Lead", "la"},
                                              {"case_coordinator", "TAS Case Coordinator", "la"}};
    for (int i = 0; i < 3; i++) {
        bool fresh;
        struct cost_rate *x = settings_slot(out, standing[i][0], &fresh);
        snprintf(x->label, sizeof x->label, "%s", standing[i][1]);
        snprintf(x->org_group, sizeof x->org_group, "%s", standing[i][2]);
    }
    enum store_rc rc = q_service_list(c->db, authority_id, true, settings_service, out);
    if (rc == STORE_OK || rc == STORE_DONE)
        rc = q_cost_rates(c->db, authority_id, settings_rate, out);
    if (rc == STORE_OK || rc == STORE_DONE)
        rc = q_disclosure_get(c->db, authority_id, &out->threshold);
    return rc == STORE_OK || rc == STORE_DONE ? SVC_OK : SVC_ERROR;
}

/* "12", "12.5", "12.50" pounds -> pence; -1 when not money. */
static int64_t pounds_to_pence(const char *s)
{
    if (blank(s))
        return -1;
    if (*s == '\xc2' && s[1] == '\xa3')
        s += 2;
    int64_t whole = 0, frac = 0;
    int digits = 0, fd = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9'; p++, digits++) {
        if (digits > 7)
            return -1;
        whole = whole * 10 + (*p - '0');
    }
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++, fd++) {
            if (fd >= 2)
                return -1;
            frac = frac * 10 + (*p - '0');
        }
        if (fd == 0)
            return -1;
        if (fd == 1)
            frac *= 10;
    }
    if (*p || digits == 0)
        return -1;
    return whole * 100 + frac;
}

static int64_t minutes_field(const char *s, const char *field, const char *label, struct field_errors *errs)
{
    long v;
    if (blank(s))
        return 0;
    if (parse_int_strict(s, 0, 24 * 60, &v) != 0) {
        char msg[120];
        snprintf(msg, sizeof msg, "%s must be a whole number of minutes from 0 to 1440", label);
        field_errors_add(errs, field, msg);
        return 0;
    }
    return v;
}

enum svc_status svc_cost_rate_save(struct svc_ctx *c, int64_t authority_id, const struct cost_form *in,
                                   struct field_errors *errs)
{
    if (authority_id <= 0 || !svc_allowed(c, ACT_EDIT, RES_AGGREGATE, 0, authority_id, 0))
        return SVC_FORBIDDEN;
    struct cost_rate r = {0};
    r.authority_id = authority_id;
    if (blank(in->role_key) || strlen(in->role_key) >= sizeof r.role_key)
        field_errors_add(errs, "role_key", "Select a role");
    else
        snprintf(r.role_key, sizeof r.role_key, "%s", in->role_key);
    if (!errs->count && !standing_key(r.role_key)) {
        struct service_row sv;
        enum store_rc rc = q_service_by_code(c->db, authority_id, r.role_key, &sv);
        if (rc == STORE_ERROR || rc == STORE_BUSY)
            return SVC_ERROR;
        if (rc != STORE_ROW)
            field_errors_add(errs, "role_key", "Select a role");
    }
    if (blank(in->label) || trim_copy(in->label, r.label, sizeof r.label) != 0 || !text_is_clean(r.label, 0) ||
        !r.label[0])
        field_errors_add(errs, "label", "Enter a name for the role, up to 127 characters");
    if (blank(in->org_group) || !code_find(&codes_org_group, in->org_group))
        field_errors_add(errs, "org_group", "Select who employs this role");
    else
        snprintf(r.org_group, sizeof r.org_group, "%s", in->org_group);
    r.hourly_pence = pounds_to_pence(in->hourly);
    if (r.hourly_pence < 0)
        field_errors_add(errs, "hourly", "Hourly cost must be an amount in pounds, like 42.50");
    r.prep_minutes = minutes_field(in->prep, "prep", "Preparation", errs);
    r.meeting_minutes = minutes_field(in->meeting, "meeting", "Meeting", errs);
    r.followup_minutes = minutes_field(in->followup, "followup", "Follow-up", errs);
    r.travel_minutes = minutes_field(in->travel, "travel", "Travel", errs);
    if (errs->count)
        return SVC_INVALID;
    return svc_from_store(q_cost_rate_put(c->db, &r, c->now));
}

enum svc_status svc_disclosure_save(struct svc_ctx *c, int64_t authority_id, const char *threshold,
                                    struct field_errors *errs)
{
    if (authority_id <= 0 || !svc_allowed(c, ACT_EDIT, RES_AGGREGATE, 0, authority_id, 0))
        return SVC_FORBIDDEN;
    long v;
    if (blank(threshold) || parse_int_strict(threshold, 2, 100, &v) != 0) {
        field_errors_add(errs, "threshold", "Threshold must be a whole number from 2 to 100");
        return SVC_INVALID;
    }
    return svc_from_store(q_disclosure_put(c->db, authority_id, v, c->now));
}

enum svc_status svc_population_save(struct svc_ctx *c, int64_t school_id, const char *dimension,
                                    const char *const *categories, const int64_t *pupils, size_t n,
                                    struct field_errors *errs)
{
    struct school s;
    enum store_rc rc = q_school_get(c->db, school_id, &s);
    if (rc == STORE_ERROR || rc == STORE_BUSY)
        return SVC_ERROR;
    if (rc != STORE_ROW)
        return SVC_NOT_FOUND;
    if (!svc_allowed(c, ACT_EDIT, RES_AGGREGATE, 0, s.authority_id, s.id))
        return SVC_FORBIDDEN;
    const struct code_list *l = NULL;
    if (dimension && !strcmp(dimension, "gender"))
        l = &codes_gender;
    else if (dimension && !strcmp(dimension, "nc_year"))
        l = &codes_nc_year;
    else if (dimension && !strcmp(dimension, "ethnicity"))
        l = &codes_ethnicity;
    else if (dimension && !strcmp(dimension, "sen_provision"))
        l = &codes_sen_provision;
    else
        field_errors_add(errs, "dimension", "Dimension must be gender, nc_year, ethnicity or sen_provision");
    for (size_t i = 0; l && i < n; i++) {
        if (categories[i][0] && !code_find(l, categories[i]) &&
            !(l == &codes_ethnicity && ethnicity_main_code(categories[i]))) {
            field_errors_add(errs, "counts", "Every category must be a census code, or empty for not recorded");
            break;
        }
        if (pupils[i] < 0 || pupils[i] > 100000) {
            field_errors_add(errs, "counts", "Every count must be a whole number from 0 to 100,000");
            break;
        }
    }
    if (errs->count)
        return SVC_INVALID;
    if (store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    rc = q_population_put(c->db, school_id, dimension, categories, pupils, n);
    if (rc != STORE_OK) {
        store_rollback(c->db);
        return svc_from_store(rc);
    }
    return svc_from_store(store_commit(c->db));
}

enum svc_status svc_population_get(struct svc_ctx *c, int64_t school_id, struct school *out,
                                   void (*fn)(void *arg, const struct dash_row *r), void *arg)
{
    enum store_rc rc = q_school_get(c->db, school_id, out);
    if (rc == STORE_ERROR || rc == STORE_BUSY)
        return SVC_ERROR;
    if (rc != STORE_ROW || !svc_allowed(c, ACT_VIEW, RES_AGGREGATE, 0, out->authority_id, out->id))
        return SVC_NOT_FOUND;
    return svc_from_store(q_population_list(c->db, school_id, fn, arg));
}
