#include "service/svc_reference.h"
#include "lib/count.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/validate.h"
#include "store/q_authorities.h"
#include "store/q_schools.h"
#include "store/q_users.h"


static const struct code_entry org_kinds[] = {
    {"school", "School", NULL},
    {"local_authority", "Local authority", NULL},
    {"health", "Health", NULL},
    {"other", "Other (voluntary or community)", NULL},
};
static const struct code_entry resource_kinds[] = {
    {"course", "Course", NULL},
    {"workshop", "Workshop", NULL},
    {"guidance", "Guidance", NULL},
    {"website", "Website", NULL},
    {"service", "Service", NULL},
    {"other", "Other", NULL},
};
static const struct code_entry audiences[] = {
    {"school", "School staff", NULL},
    {"parents", "Parents and carers", NULL},
    {"both", "School staff and parents", NULL},
};
static const struct code_entry active_values[] = {
    {"yes", "Active", NULL},
    {"no", "Inactive (kept for past records)", NULL},
};

const struct code_list ref_org_kinds = {"org_kind", org_kinds, COUNT(org_kinds)};
const struct code_list ref_resource_kinds = {"resource_kind", resource_kinds, COUNT(resource_kinds)};
const struct code_list ref_audiences = {"audience", audiences, COUNT(audiences)};
const struct code_list ref_active = {"active", active_values, COUNT(active_values)};

/* ---- which authority, and may I ---------------------------------------- */

static int64_t grant_authority(const struct role_grant *g)
{
    if (g->authority_id > 0)
        return g->authority_id;
    if (g->scope == SCOPE_AUTHORITY && g->scope_id > 0)
        return g->scope_id;
    return 0;
}

struct only_one {
    int64_t id;
    int count;
};

static void count_authority(void *arg, const struct authority *a)
{
    struct only_one *o = arg;
    o->id = a->id;
    o->count++;
}

int64_t svc_reference_authority(struct svc_ctx *c, int64_t requested)
{
    if (requested > 0)
        return requested;
    for (size_t i = 0; i < c->who->ngrants && i < POLICY_MAX_GRANTS; i++) {
        int64_t a = grant_authority(&c->who->grants[i]);
        if (a > 0)
            return a;
    }
    /* A system grant: every authority is in reach; pick the only one. */
    struct visibility v;
    policy_visible(c->who, RES_AUTHORITY, ACT_LIST, &v);
    if (!v.all)
        return 0;
    struct only_one o = {0, 0};
    if (q_authority_list(c->db, &v, count_authority, &o) != STORE_OK)
        return 0;
    return o.count == 1 ? o.id : 0;
}

bool svc_reference_may(const struct svc_ctx *c, enum action a, int64_t authority_id)
{
    if (authority_id <= 0)
        return false;
    return svc_allowed(c, a, RES_REFERENCE, 0, authority_id, 0) != 0;
}

/* The authority must exist (a system administrator may name any id). */
static enum svc_status authority_checks(struct svc_ctx *c, enum action a, int64_t authority_id)
{
    if (authority_id <= 0)
        return SVC_NOT_FOUND;
    if (!svc_reference_may(c, a, authority_id))
        return SVC_FORBIDDEN;
    struct authority la;
    enum store_rc rc = q_authority_get(c->db, authority_id, &la);
    if (rc == STORE_DONE)
        return SVC_NOT_FOUND;
    return rc == STORE_ROW ? SVC_OK : SVC_ERROR;
}

/* ---- validation helpers ------------------------------------------------ */

static void fail(struct field_errors *e, int *n, const char *field, const char *msg)
{
    field_errors_add(e, field, msg);
    (*n)++;
}

/* Single-line text: trimmed, at most outsz-1 bytes, clean.  required: the
 * message when empty (NULL: optional). */
static void text_field(const char *in, char *out, size_t outsz, const char *field, const char *label,
                       const char *required, int multiline, struct field_errors *e, int *n)
{
    char msg[320];
    if (trim_copy(in, out, outsz) != 0) {
        snprintf(msg, sizeof msg, "%s must be %zu characters or fewer", label, outsz - 1);
        fail(e, n, field, msg);
    } else if (out[0] == '\0') {
        if (required)
            fail(e, n, field, required);
    } else if (!text_is_clean(out, multiline)) {
        snprintf(msg, sizeof msg, "%s must only include letters, numbers, spaces and punctuation", label);
        fail(e, n, field, msg);
    }
}

static const struct code_entry *code_field(const char *in, const struct code_list *l, const char *field,
                                           const char *msg, struct field_errors *e, int *n)
{
    char v[32];
    const struct code_entry *ce = NULL;
    if (trim_copy(in, v, sizeof v) == 0)
        ce = code_find(l, v);
    if (!ce)
        fail(e, n, field, msg);
    return ce;
}

/* "yes"/"no" (JSON true/false arrive as these); absent: keep dflt. */
static bool active_field(const char *in, bool dflt, const char *msg, struct field_errors *e, int *n)
{
    if (!in)
        return dflt;
    char v[8];
    if (trim_copy(in, v, sizeof v) == 0) {
        if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0)
            return true;
        if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0)
            return false;
    }
    fail(e, n, "active", msg);
    return dflt;
}

/* An optional id chosen from a list: 0 when blank, -1 when not a number. */
static int64_t opt_id(const char *in)
{
    char v[24];
    long id;
    if (trim_copy(in, v, sizeof v) != 0)
        return -1;
    if (v[0] == '\0')
        return 0;
    if (parse_int_strict(v, 1, 0x7fffffffL, &id) != 0)
        return -1;
    return id;
}

static bool email_ok(const char *s)
{
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@'))
        return false;
    const char *dot = strchr(at + 1, '.');
    if (!dot || dot == at + 1 || dot[1] == '\0' || s[strlen(s) - 1] == '.')
        return false;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == ',' || *p == ';' || *p == '<' || *p == '>' || *p == '"')
            return false;
    return true;
}

static bool url_ok(const char *s)
{
    size_t skip;
    if (strncasecmp(s, "https://", 8) == 0)
        skip = 8;
    else if (strncasecmp(s, "http://", 7) == 0)
        skip = 7;
    else
        return false;
    const char *host = s + skip;
    if (*host == '\0' || *host == '/' || *host == '.' || *host == ':')
        return false;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || (unsigned char)*p == 0x7f || *p == '"' || *p == '<' ||
            *p == '>' || *p == '\\')
            return false;
    return true;
}

/* An optional value ok must accept (an email or a web address): trimmed
 * into out (outsz), or field's error (too_long, or bad) and out left as
 * it was. */
static void checked_field(const char *in, char *out, size_t outsz, bool (*ok)(const char *s), const char *field,
                          const char *too_long, const char *bad, struct field_errors *e, int *n)
{
    char v[512];
    if (outsz > sizeof v || trim_copy(in, v, outsz) != 0)
        fail(e, n, field, too_long);
    else if (v[0] && !ok(v))
        fail(e, n, field, bad);
    else
        memcpy(out, v, strlen(v) + 1);
}

/* ---- services ---------------------------------------------------------- */

void svc_service_code_from_name(const char *name, char out[32])
{
    size_t o = 0;
    bool gap = false;
    for (const char *p = name ? name : ""; *p && o < 31; p++) {
        unsigned char ch = (unsigned char)*p;
        if (isalnum(ch) && ch < 0x80) {
            if (gap && o > 0) {
                out[o++] = '_';
                if (o >= 31)
                    break;
            }
            out[o++] = (char)tolower(ch);
            gap = false;
        } else if (ch != '\'') {   /* "Children's" -> "childrens" */
            gap = true;
        }
    }
    while (o > 0 && out[o - 1] == '_')
        o--;
    out[o] = '\0';
}

/* A typed code: a lower-case letter, then letters, digits or "_". */
static bool code_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 31 || !(s[0] >= 'a' && s[0] <= 'z'))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return false;
    return true;
}

/* A new service's code: as typed (checked, and free in the authority),
 * or "" to make one from the name once the rest is valid. */
static enum svc_status typed_code(struct svc_ctx *c, const char *in, struct service_row *r,
                                  struct field_errors *e, int *n)
{
    char code[40];
    int toolong = trim_copy(in, code, sizeof code);
    for (char *p = code; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    if (toolong != 0 || (code[0] && !code_ok(code))) {
        fail(e, n, "code", "Code must be 2 to 31 characters: lower case letters, numbers and "
                           "underscores, starting with a letter");
    } else if (code[0]) {
        enum store_rc rc = q_service_by_code(c->db, r->authority_id, code, NULL);
        if (rc == STORE_ROW)
            fail(e, n, "code", "A service with this code already exists – choose another code");
        else if (rc != STORE_DONE)
            return SVC_ERROR;
        snprintf(r->code, sizeof r->code, "%s", code);
    }
    return SVC_OK;
}

/* A code made from the name; numbered when taken ("early_help_2"). */
static enum svc_status made_code(struct svc_ctx *c, struct service_row *r)
{
    char base[32];
    svc_service_code_from_name(r->name, base);
    if (base[0] == '\0' || !(base[0] >= 'a' && base[0] <= 'z')) {
        char tmp[32];
        snprintf(tmp, sizeof tmp, "s_%.28s", base);
        snprintf(base, sizeof base, "%s", tmp);
    }
    base[27] = '\0';
    snprintf(r->code, sizeof r->code, "%.31s", base);
    for (int i = 2; i < 1000; i++) {
        enum store_rc rc = q_service_by_code(c->db, r->authority_id, r->code, NULL);
        if (rc == STORE_DONE)
            break;
        if (rc != STORE_ROW)
            return SVC_ERROR;
        snprintf(r->code, sizeof r->code, "%.26s_%d", base, i % 1000);
    }
    return SVC_OK;
}

/* Fields in form order: name, code (on create only: codes never change),
 * kind, active. */
static enum svc_status validate_service(struct svc_ctx *c, const void *form, const void *current, void *row,
                                        struct field_errors *e)
{
    const struct service_form *f = form;
    const struct service_row *cur = current;
    struct service_row *r = row;
    int n = 0;
    text_field(f->name, r->name, sizeof r->name, "name", "Name", "Enter the name of the service", 0, e, &n);
    if (r->name[0]) {
        /* Two services of one name cannot be told apart in a list of
         * services, a referral or a consent form. */
        enum store_rc rc = q_service_name_taken(c->db, r->authority_id, r->name, cur ? cur->id : 0);
        if (rc == STORE_ROW) {
            char msg[256];
            snprintf(msg, sizeof msg, "There is already a service called %.120s – use that service or "
                     "choose another name", r->name);
            fail(e, &n, "name", msg);
        } else if (rc != STORE_DONE) {
            return SVC_ERROR;
        }
    }
    if (!cur && typed_code(c, f->code, r, e, &n) != SVC_OK)
        return SVC_ERROR;
    const struct code_entry *k = code_field(f->org_kind, &ref_org_kinds, "org_kind",
                                            "Select the kind of organisation", e, &n);
    if (k)
        snprintf(r->org_kind, sizeof r->org_kind, "%s", k->code);
    r->active = active_field(f->active, cur ? cur->active : true, "Select whether the service is active", e, &n);
    if (n)
        return SVC_INVALID;
    return !cur && !r->code[0] ? made_code(c, r) : SVC_OK;
}

/* ---- practitioners ----------------------------------------------------- */

/* A practitioner's optional link to a school or an account of the
 * authority: find answers STORE_ROW when id is one there. */
struct link {
    const char *typed;
    enum store_rc (*find)(struct svc_ctx *c, int64_t id, int64_t authority_id);
    const char *field, *msg;
};

static enum store_rc school_in(struct svc_ctx *c, int64_t id, int64_t authority_id)
{
    struct school sc;
    enum store_rc rc = q_school_get(c->db, id, &sc);
    return rc == STORE_ROW && sc.authority_id != authority_id ? STORE_DONE : rc;
}

static enum store_rc user_in(struct svc_ctx *c, int64_t id, int64_t authority_id)
{
    return q_user_in_authority(c->db, id, authority_id);
}

/* *out: 0 when l's id is blank, the id when found; otherwise 0 and the
 * field's error.  False on a store failure. */
static bool opt_link(struct svc_ctx *c, const struct link *l, int64_t authority_id, int64_t *out,
                     struct field_errors *e, int *n)
{
    int64_t id = opt_id(l->typed);
    enum store_rc rc = id > 0 ? l->find(c, id, authority_id) : STORE_DONE;
    *out = 0;
    if (rc != STORE_ROW && rc != STORE_DONE)
        return false;
    if (id < 0 || (id > 0 && rc != STORE_ROW))
        fail(e, n, l->field, l->msg);
    else
        *out = id;
    return true;
}

static enum svc_status validate_practitioner(struct svc_ctx *c, const void *form, const void *current,
                                             void *row, struct field_errors *e)
{
    const struct practitioner_form *f = form;
    const struct practitioner_row *cur = current;
    struct practitioner_row *r = row;
    int n = 0;
    text_field(f->name, r->name, sizeof r->name, "name", "Name", "Enter the practitioner's name", 0, e, &n);
    text_field(f->job_title, r->job_title, sizeof r->job_title, "job_title", "Job title", NULL, 0, e, &n);
    checked_field(f->email, r->email, sizeof r->email, email_ok, "email",
                  "Email address must be 159 characters or fewer",
                  "Enter an email address in the correct format, like name@example.com", e, &n);

    /* The service: one of the authority's, active unless it is the one
     * already recorded. */
    int64_t sid = opt_id(f->service_id);
    struct service_row s;
    enum store_rc rc = sid > 0 ? q_service_get(c->db, sid, &s) : STORE_DONE;
    if (rc != STORE_ROW && rc != STORE_DONE)
        return SVC_ERROR;
    if (sid == 0)
        fail(e, &n, "service_id", "Select the practitioner's service");
    else if (rc != STORE_ROW || s.authority_id != r->authority_id ||
             (!s.active && !(cur && cur->service_id == sid)))
        fail(e, &n, "service_id", "Select the practitioner's service from the list");
    else
        r->service_id = sid;

    struct link school = {f->school_id, school_in, "school_id", "Select a school from the list"};
    struct link user = {f->user_id, user_in, "user_id", "Select a user account from the list"};
    if (!opt_link(c, &school, r->authority_id, &r->school_id, e, &n) ||
        !opt_link(c, &user, r->authority_id, &r->user_id, e, &n))
        return SVC_ERROR;
    r->active = active_field(f->active, cur ? cur->active : true,
                             "Select whether the practitioner is active", e, &n);
    return n ? SVC_INVALID : SVC_OK;
}

enum svc_status svc_reference_users(struct svc_ctx *c, int64_t authority_id,
                                    void (*fn)(void *arg, const struct ref_user_row *r), void *arg)
{
    if (!svc_reference_may(c, ACT_CREATE, authority_id) && !svc_reference_may(c, ACT_EDIT, authority_id))
        return SVC_FORBIDDEN;
    return svc_from_store(q_authority_users(c->db, authority_id, fn, arg));
}

enum svc_status svc_reference_username(struct svc_ctx *c, int64_t authority_id, int64_t user_id,
                                       char out[64])
{
    out[0] = '\0';
    if (!svc_reference_may(c, ACT_VIEW, authority_id))
        return SVC_FORBIDDEN;
    enum store_rc rc = q_user_in_authority(c->db, user_id, authority_id);
    if (rc == STORE_DONE)
        return SVC_NOT_FOUND;
    if (rc != STORE_ROW)
        return SVC_ERROR;
    struct user_row u;
    rc = q_user_get(c->db, user_id, &u);
    if (rc == STORE_DONE)
        return SVC_NOT_FOUND;
    if (rc != STORE_ROW)
        return SVC_ERROR;
    snprintf(out, 64, "%s", u.username);
    return SVC_OK;
}

/* ---- the signposting playbook ------------------------------------------ */

static enum svc_status validate_resource(struct svc_ctx *c, const void *form, const void *current, void *row,
                                         struct field_errors *e)
{
    (void)c;
    const struct resource_form *f = form;
    const struct resource_row *cur = current;
    struct resource_row *r = row;
    bool dflt_active = cur ? cur->active : true;
    int n = 0;
    text_field(f->title, r->title, sizeof r->title, "title", "Title", "Enter a title", 0, e, &n);
    const struct code_entry *k = code_field(f->kind, &ref_resource_kinds, "kind",
                                            "Select what kind of resource this is", e, &n);
    if (k)
        snprintf(r->kind, sizeof r->kind, "%s", k->code);
    k = code_field(f->audience, &ref_audiences, "audience", "Select who the resource is for", e, &n);
    if (k)
        snprintf(r->audience, sizeof r->audience, "%s", k->code);
    checked_field(f->url, r->url, sizeof r->url, url_ok, "url", "Web address must be 399 characters or fewer",
                  "Enter a web address starting with https:// or http://, like https://www.example.org", e, &n);
    text_field(f->description, r->description, sizeof r->description, "description", "Description",
               NULL, 1, e, &n);
    r->active = active_field(f->active, dflt_active, "Select whether the resource is active", e, &n);
    return n ? SVC_INVALID : SVC_OK;
}

/* ---- services, practitioners and playbook entries, one way -------------
 *
 * The three kinds share their use cases: get (hidden as not found), list,
 * create in an authority and update; what differs is in ref_kinds: the
 * storage kind, the row's size and where its authority is, and how a form
 * is checked into a row (validate: cur is the record as stored, NULL on
 * create; SVC_OK, SVC_INVALID with errors, or SVC_ERROR). */

struct ref_kind {
    enum q_ref_kind q;
    size_t size;
    size_t authority_at;   /* offsetof the row's authority_id */
    enum svc_status (*validate)(struct svc_ctx *c, const void *f, const void *cur, void *row,
                                struct field_errors *e);
};

static const struct ref_kind ref_kinds[] = {
    [Q_REF_SERVICE] = {Q_REF_SERVICE, sizeof(struct service_row), offsetof(struct service_row, authority_id),
                       validate_service},
    [Q_REF_PRACTITIONER] = {Q_REF_PRACTITIONER, sizeof(struct practitioner_row),
                            offsetof(struct practitioner_row, authority_id), validate_practitioner},
    [Q_REF_RESOURCE] = {Q_REF_RESOURCE, sizeof(struct resource_row), offsetof(struct resource_row, authority_id),
                        validate_resource},
};

union ref_any {
    struct service_row service;
    struct practitioner_row practitioner;
    struct resource_row resource;
};

static int64_t authority_of(const struct ref_kind *k, const void *row)
{
    int64_t a;
    memcpy(&a, (const char *)row + k->authority_at, sizeof a);
    return a;
}

enum svc_status svc_ref_get(struct svc_ctx *c, enum q_ref_kind q, int64_t id, void *out)
{
    enum store_rc rc = q_ref_get(c->db, q, id, out);
    if (rc == STORE_DONE)
        return SVC_NOT_FOUND;
    if (rc != STORE_ROW)
        return SVC_ERROR;
    if (!svc_allowed(c, ACT_VIEW, RES_REFERENCE, id, authority_of(&ref_kinds[q], out), 0))
        return SVC_NOT_FOUND;
    return SVC_OK;
}

enum svc_status svc_ref_create(struct svc_ctx *c, enum q_ref_kind q, int64_t authority_id, const void *f,
                               struct field_errors *errs, void *out)
{
    const struct ref_kind *k = &ref_kinds[q];
    enum svc_status st = authority_checks(c, ACT_CREATE, authority_id);
    if (st != SVC_OK)
        return st;
    memset(out, 0, k->size);
    memcpy((char *)out + k->authority_at, &authority_id, sizeof authority_id);
    st = k->validate(c, f, NULL, out, errs);
    if (st != SVC_OK)
        return st;
    enum store_rc rc = q_ref_insert(c->db, q, out, c->now);
    if (rc == STORE_CONSTRAINT && q == Q_REF_SERVICE) {
        field_errors_add(errs, "code", "A service with this code already exists – choose another code");
        return SVC_INVALID;
    }
    return svc_from_store(rc);
}

enum svc_status svc_ref_update(struct svc_ctx *c, enum q_ref_kind q, int64_t id, const void *f,
                               struct field_errors *errs, void *out)
{
    const struct ref_kind *k = &ref_kinds[q];
    union ref_any cur;
    enum svc_status st = svc_ref_get(c, q, id, &cur);
    if (st != SVC_OK)
        return st;
    if (!svc_allowed(c, ACT_EDIT, RES_REFERENCE, id, authority_of(k, &cur), 0))
        return SVC_FORBIDDEN;
    memcpy(out, &cur, k->size);
    st = k->validate(c, f, &cur, out, errs);
    if (st != SVC_OK)
        return st;
    return svc_from_store(q_ref_update(c->db, q, out, c->now));
}

enum svc_status svc_ref_list(struct svc_ctx *c, enum q_ref_kind q, int64_t authority_id, bool active_only,
                             int64_t service_id, void (*each)(void *arg, const void *row), void *arg)
{
    if (!svc_reference_may(c, ACT_LIST, authority_id))
        return SVC_FORBIDDEN;
    return svc_from_store(q_ref_list(c->db, q, authority_id, active_only, service_id, each, arg));
}

/* ---- term dates -------------------------------------------------------- */

const char *svc_half_term_label(int number)
{
    static const char *const labels[6] = {"Autumn 1", "Autumn 2", "Spring 1",
                                          "Spring 2", "Summer 1", "Summer 2"};
    return number >= 1 && number <= 6 ? labels[number - 1] : "";
}

static bool year_ok(int year)
{
    return year >= REF_YEAR_MIN && year <= REF_YEAR_MAX;
}

/* The academic year's bounds: 1 August to 31 July. */
static void year_bounds(int year, int32_t *from, int32_t *to)
{
    *from = day_from_ymd(year, 8, 1);
    *to = day_from_ymd(year + 1, 7, 31);
}

/* One GOV.UK date input.  what: "the first day of Autumn 1" style text for
 * "Enter ..."; name: "First day of Autumn 1" for the other messages.  Returns
 * 0 with *day set, or -1 after adding an error. */
static int date_field(const struct date_parts *p, const char *field, const char *what, const char *name,
                      int32_t *day, struct field_errors *e, int *n)
{
    static const char *const parts[8] = {NULL, "a day", "a month", "a day and month", "a year",
                                         "a day and year", "a month and year", NULL};
    char msg[320];
    int gaps = (svc_blank(p->day) ? 1 : 0) | (svc_blank(p->month) ? 2 : 0) | (svc_blank(p->year) ? 4 : 0);
    if (gaps == 7) {
        snprintf(msg, sizeof msg, "Enter %s", what);
        fail(e, n, field, msg);
        return -1;
    }
    if (gaps) {
        snprintf(msg, sizeof msg, "%s must include %s", name, parts[gaps]);
        fail(e, n, field, msg);
        return -1;
    }
    char iso[11];
    int rc = parse_date_parts(p->day, p->month, p->year, iso);
    if (rc == DATE_BAD_YEAR) {
        snprintf(msg, sizeof msg, "%s: the year must include 4 numbers", name);
        fail(e, n, field, msg);
        return -1;
    }
    if (rc != DATE_OK || day_parse(iso, day) != 0) {
        snprintf(msg, sizeof msg, "%s must be a real date", name);
        fail(e, n, field, msg);
        return -1;
    }
    return 0;
}

static int in_year_field(int32_t day, int year, const char *field, const char *name,
                         struct field_errors *e, int *n)
{
    int32_t from, to;
    year_bounds(year, &from, &to);
    if (day >= from && day <= to)
        return 0;
    char msg[320], a[32], b[32];
    day_label(from, a, sizeof a);
    day_label(to, b, sizeof b);
    snprintf(msg, sizeof msg, "%s must be in the %d to %d school year, between %s and %s", name, year,
             year + 1, a, b);
    fail(e, n, field, msg);
    return -1;
}

/* Validates the six half-terms; fills t[0..5] when the result is 0. */
static int validate_terms(const struct terms_form *f, int year, struct half_term t[6],
                          struct field_errors *e)
{
    int n = 0;
    bool ok[6][2];
    memset(t, 0, 6 * sizeof *t);
    for (int i = 0; i < 6; i++) {
        const char *label = svc_half_term_label(i + 1);
        char field[16], what[64], name[64];
        t[i].number = i + 1;
        for (int end = 0; end < 2; end++) {
            snprintf(field, sizeof field, "t%d_%s", i + 1, end ? "ends" : "starts");
            snprintf(what, sizeof what, "the %s day of %s", end ? "last" : "first", label);
            snprintf(name, sizeof name, "%s day of %s", end ? "Last" : "First", label);
            int32_t *day = end ? &t[i].ends : &t[i].starts;
            const struct date_parts *p = end ? &f->ends[i] : &f->starts[i];
            ok[i][end] = date_field(p, field, what, name, day, e, &n) == 0 &&
                         in_year_field(*day, year, field, name, e, &n) == 0;
        }
    }
    /* Order, one half-term and one pair at a time, so the error sits on the
     * date to change. */
    for (int i = 0; i < 6; i++) {
        char field[16], msg[320];
        if (ok[i][0] && ok[i][1] && terms_check(&t[i], 1)) {
            snprintf(field, sizeof field, "t%d_ends", i + 1);
            snprintf(msg, sizeof msg, "Last day of %s must be the same as or after its first day",
                     svc_half_term_label(i + 1));
            fail(e, &n, field, msg);
            ok[i][1] = false;
        }
        /* The pair's order only: this half-term's own end is checked above. */
        struct half_term pair[2];
        if (i > 0) {
            pair[0] = t[i - 1];
            pair[1] = t[i];
            pair[1].ends = pair[1].starts;
        }
        if (i > 0 && ok[i][0] && ok[i - 1][1] && ok[i - 1][0] && t[i - 1].ends >= t[i - 1].starts &&
            terms_check(pair, 2)) {
            snprintf(field, sizeof field, "t%d_starts", i + 1);
            snprintf(msg, sizeof msg, "%s must start after %s ends", svc_half_term_label(i + 1),
                     svc_half_term_label(i));
            fail(e, &n, field, msg);
        }
    }
    if (n == 0) {
        const char *why = terms_check(t, 6);
        if (why)
            fail(e, &n, "t1_starts", why);
    }
    return n;
}

static bool in_terms(int32_t day, const struct half_term *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (day >= t[i].starts && day <= t[i].ends)
            return true;
    return false;
}

/* Validates a closure day; 0 and r filled (authority_id aside) when fine. */
static int validate_closure(const struct closure_form *f, int year, const struct half_term *t, size_t nt,
                            const char *field, struct closure_row *r, struct field_errors *e)
{
    int n = 0;
    int32_t day;
    if (date_field(&f->on, field, "the date schools are closed", "Closure day", &day, e, &n) != 0 ||
        in_year_field(day, year, field, "Closure day", e, &n) != 0)
        return n;
    if (day_weekday(day) >= 6) {
        fail(e, &n, field, "Closure day must be a weekday");
        return n;
    }
    if (nt && !in_terms(day, t, nt)) {
        fail(e, &n, field, "Closure day must be during a half-term – schools are already closed in the holidays");
        return n;
    }
    day_format(day, r->closed_on);
    text_field(f->reason, r->reason, sizeof r->reason, "reason", "Reason", NULL, 0, e, &n);
    return n;
}

enum svc_status svc_terms_get(struct svc_ctx *c, int64_t authority_id, int year,
                              struct term_row terms[6], size_t *n,
                              void (*fn)(void *arg, const struct closure_row *r), void *arg)
{
    *n = 0;
    if (!year_ok(year))
        return SVC_NOT_FOUND;
    if (!svc_reference_may(c, ACT_VIEW, authority_id))
        return SVC_FORBIDDEN;
    enum store_rc rc = q_terms_get(c->db, authority_id, year, terms, n);
    if (rc != STORE_OK || !fn)
        return svc_from_store(rc);
    int32_t from, to;
    char a[11], b[11];
    year_bounds(year, &from, &to);
    day_format(from, a);
    day_format(to, b);
    return svc_from_store(q_closure_list(c->db, authority_id, a, b, fn, arg));
}

static void count_resource(void *arg, const struct resource_row *r)
{
    (void)r;
    (*(size_t *)arg)++;
}

/* Closure days of one year: far fewer than this in practice. */
#define MAX_YEAR_CLOSURES 400

struct closure_ids {
    int64_t ids[MAX_YEAR_CLOSURES];
    size_t n;
};

static void collect_closure_id(void *arg, const struct closure_row *r)
{
    struct closure_ids *l = arg;
    if (l->n < MAX_YEAR_CLOSURES)
        l->ids[l->n++] = r->id;
}

static enum store_rc add_default_closures(struct store *db, int64_t authority_id, int year)
{
    struct half_term t[6];
    int32_t days[8];
    size_t nd = english_default_terms(year, t, days, 8);
    for (size_t i = 0; i < nd; i++) {
        struct closure_row r = {0, authority_id, "", "Bank holiday"};
        day_format(days[i], r.closed_on);
        enum store_rc rc = q_closure_insert(db, &r);
        if (rc != STORE_OK && rc != STORE_CONSTRAINT)
            return rc;
    }
    return STORE_OK;
}

enum svc_status svc_terms_save(struct svc_ctx *c, int64_t authority_id, int year,
                               const struct terms_form *f, bool add_defaults,
                               const struct closure_form *closures, size_t nclosures,
                               bool replace_closures, struct field_errors *errs)
{
    if (!year_ok(year))
        return SVC_NOT_FOUND;
    enum svc_status st = authority_checks(c, ACT_EDIT, authority_id);
    if (st != SVC_OK)
        return st;
    struct half_term t[6];
    int n = validate_terms(f, year, t, errs);
    struct closure_row cl[64];
    if (replace_closures) {
        if (nclosures > 64) {
            fail(errs, &n, "closure_days", "Enter 64 closure days or fewer");
            nclosures = 0;
        }
        for (size_t i = 0; i < nclosures; i++) {
            struct field_errors one = {0};
            memset(&cl[i], 0, sizeof cl[i]);
            cl[i].authority_id = authority_id;
            if (validate_closure(&closures[i], year, n ? NULL : t, n ? 0 : 6, "closure_days", &cl[i], &one)) {
                char msg[320];
                snprintf(msg, sizeof msg, "Closure day %zu: %s", i + 1, one.items[0].message);
                fail(errs, &n, "closure_days", msg);
                continue;
            }
            for (size_t j = 0; j < i; j++)
                if (strcmp(cl[j].closed_on, cl[i].closed_on) == 0) {
                    char msg[320];
                    snprintf(msg, sizeof msg, "Closure day %zu: %s is listed twice", i + 1, cl[i].closed_on);
                    fail(errs, &n, "closure_days", msg);
                    break;
                }
        }
    }
    if (n)
        return SVC_INVALID;

    struct term_row rows[6];
    for (int i = 0; i < 6; i++) {
        rows[i].half_term = i + 1;
        day_format(t[i].starts, rows[i].starts_on);
        day_format(t[i].ends, rows[i].ends_on);
    }
    if (store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    enum store_rc rc = q_terms_replace(c->db, authority_id, year, rows, 6);
    if (rc == STORE_OK && replace_closures) {
        int32_t from, to;
        char a[11], b[11];
        year_bounds(year, &from, &to);
        day_format(from, a);
        day_format(to, b);
        struct closure_ids old;
        old.n = 0;
        rc = q_closure_list(c->db, authority_id, a, b, collect_closure_id, &old);
        for (size_t i = 0; rc == STORE_OK && i < old.n; i++)
            rc = q_closure_delete(c->db, old.ids[i]);
        for (size_t i = 0; rc == STORE_OK && i < nclosures; i++)
            rc = q_closure_insert(c->db, &cl[i]);
    } else if (rc == STORE_OK && add_defaults) {
        rc = add_default_closures(c->db, authority_id, year);
    }
    rc = store_end_write(c->db, rc);
    if (rc != STORE_OK)
        return rc == STORE_CONSTRAINT ? SVC_CONFLICT : SVC_ERROR;
    return SVC_OK;
}

/* The recorded half-terms of a year as day numbers. */
static enum svc_status load_terms(struct svc_ctx *c, int64_t authority_id, int year, struct half_term t[6],
                                  size_t *nt)
{
    struct term_row rows[6];
    size_t n = 0;
    *nt = 0;
    if (q_terms_get(c->db, authority_id, year, rows, &n) != STORE_OK)
        return SVC_ERROR;
    for (size_t i = 0; i < n; i++) {
        if (day_parse(rows[i].starts_on, &t[*nt].starts) != 0 || day_parse(rows[i].ends_on, &t[*nt].ends) != 0)
            continue;
        t[*nt].number = rows[i].half_term;
        (*nt)++;
    }
    return SVC_OK;
}

enum svc_status svc_closure_add(struct svc_ctx *c, int64_t authority_id, int year,
                                const struct closure_form *f, struct field_errors *errs,
                                struct closure_row *out)
{
    if (!year_ok(year))
        return SVC_NOT_FOUND;
    enum svc_status st = authority_checks(c, ACT_EDIT, authority_id);
    if (st != SVC_OK)
        return st;
    struct half_term t[6];
    size_t nt;
    st = load_terms(c, authority_id, year, t, &nt);
    if (st != SVC_OK)
        return st;
    memset(out, 0, sizeof *out);
    out->authority_id = authority_id;
    if (validate_closure(f, year, t, nt, "closed_on", out, errs))
        return SVC_INVALID;
    enum store_rc rc = q_closure_insert(c->db, out);
    if (rc == STORE_CONSTRAINT) {
        field_errors_add(errs, "closed_on", "This day is already a closure day");
        return SVC_INVALID;
    }
    return svc_from_store(rc);
}

enum svc_status svc_closure_remove(struct svc_ctx *c, int64_t authority_id, int64_t closure_id)
{
    struct closure_row r;
    enum store_rc rc = q_closure_get(c->db, closure_id, &r);
    if (rc == STORE_DONE || (rc == STORE_ROW && r.authority_id != authority_id))
        return SVC_NOT_FOUND;
    if (rc != STORE_ROW)
        return SVC_ERROR;
    if (!svc_reference_may(c, ACT_VIEW, r.authority_id))
        return SVC_NOT_FOUND;
    if (!svc_reference_may(c, ACT_EDIT, r.authority_id))
        return SVC_FORBIDDEN;
    return svc_from_store(q_closure_delete(c->db, closure_id));
}

/* ---- defaults for a new authority -------------------------------------- */

static const struct {
    const char *code, *name, *org_kind;
} default_services[] = {
    {"school", "School", "school"},
    {"strategic_lead", "TAS Strategic Lead", "local_authority"},
    {"case_coordinator", "TAS Case Coordinator", "local_authority"},
    {"early_help", "Early Help", "local_authority"},
    {"ep", "Educational Psychology", "local_authority"},
    {"salt", "Speech and Language Therapy", "health"},
    {"mhst", "Mental Health Support Team", "health"},
    {"paediatrics", "Community Paediatrics", "health"},
    {"school_nurse", "School nurse", "health"},
    {"csc", "Children's Social Care", "local_authority"},
    {"camhs", "CAMHS", "health"},
    {"youth_justice", "Youth Justice", "local_authority"},
};

/* The playbook's entries as the rows inserted (the authority and the id
 * set then). */
static const struct resource_row default_resources[] = {
    {.title = "Triple P positive parenting courses", .kind = "course", .audience = "parents", .active = true,
     .description = "Group and online parenting courses. Parents can book onto a course themselves; the school "
                    "can share the information."},
    {.title = "Strengthening Families programme", .kind = "course", .audience = "parents", .active = true,
     .description = "A programme for parents and children together. The school completes an Early Help "
                    "Assessment if the family want to attend."},
    {.title = "Early Support workshop (Child Development Centre)",
     .kind = "workshop", .audience = "parents", .active = true,
     .description = "A workshop for parents and carers of children with emerging needs, run at the Child "
                    "Development Centre."},
    {.title = "Sleep resources (Child Development Centre website)",
     .kind = "website", .audience = "parents", .active = true,
     .description = "Advice and resources on children's sleep, on the Child Development Centre website."},
    {.title = "Emotional literacy support (ELSA)", .kind = "service", .audience = "school", .active = true,
     .description = "Emotional literacy support delivered in school by a trained teaching assistant."},
};

enum svc_status svc_reference_seed_defaults(struct svc_ctx *c, int64_t authority_id)
{
    if (!svc_reference_may(c, ACT_CREATE, authority_id))
        return SVC_FORBIDDEN;
    enum store_rc rc = STORE_OK;
    for (size_t i = 0; rc == STORE_OK && i < COUNT(default_services); i++) {
        rc = q_service_by_code(c->db, authority_id, default_services[i].code, NULL);
        if (rc == STORE_ROW) {
            rc = STORE_OK;
            continue;
        }
        if (rc != STORE_DONE)
            break;
        struct service_row s = {.authority_id = authority_id, .active = true};
        svc_copy(s.code, sizeof s.code, default_services[i].code);
        svc_copy(s.name, sizeof s.name, default_services[i].name);
        svc_copy(s.org_kind, sizeof s.org_kind, default_services[i].org_kind);
        rc = q_service_insert(c->db, &s, c->now);
    }
    if (rc != STORE_OK)
        return svc_from_store(rc);

    /* The playbook only when the authority has none yet. */
    size_t have = 0;
    rc = q_resource_list(c->db, authority_id, false, count_resource, &have);
    for (size_t i = 0; rc == STORE_OK && have == 0 && i < COUNT(default_resources); i++) {
        struct resource_row r = default_resources[i];
        r.authority_id = authority_id;
        rc = q_resource_insert(c->db, &r, c->now);
    }
    if (rc != STORE_OK)
        return svc_from_store(rc);

    /* Term dates for this academic year and the next, where none are set. */
    int32_t today;
    if (day_parse(c->today, &today) != 0)
        return SVC_ERROR;
    int first = academic_year_of(today);
    for (int year = first; rc == STORE_OK && year <= first + 1; year++) {
        struct term_row rows[6];
        size_t n = 0;
        rc = q_terms_get(c->db, authority_id, year, rows, &n);
        if (rc != STORE_OK || n > 0)
            continue;
        struct half_term t[6];
        english_default_terms(year, t, NULL, 0);
        for (int i = 0; i < 6; i++) {
            rows[i].half_term = i + 1;
            day_format(t[i].starts, rows[i].starts_on);
            day_format(t[i].ends, rows[i].ends_on);
        }
        rc = q_terms_replace(c->db, authority_id, year, rows, 6);
        if (rc == STORE_OK)
            rc = add_default_closures(c->db, authority_id, year);
    }
    return svc_from_store(rc);
}
