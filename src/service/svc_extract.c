#include "service/svc_extract.h"
#include "lib/count.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/kanon.h"
#include "core/validate.h"
#include "service/secrets.h"
#include "service/svc_audit.h"
#include "service/svc_actions.h"
#include "store/q_extract.h"

_Static_assert(EXTRACT_NATURES == 8 && EXTRACT_SETTINGS == 5 && EXTRACT_STATUSES == 3 &&
               EXTRACT_OUTCOMES == 4, "extract columns follow the code lists");

/* HMAC-SHA256 of "label:value" under the pseudonym key, as hex (hexlen
 * characters of it). */
static void keyed_hex(const unsigned char *key, const char *label, const char *value, char *out,
                      size_t hexlen)
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, key, crypto_auth_hmacsha256_KEYBYTES);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)label, strlen(label));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)":", 1);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)value, strlen(value));
    crypto_auth_hmacsha256_final(&st, mac);
    char hex[crypto_auth_hmacsha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    memcpy(out, hex, hexlen);
    out[hexlen] = '\0';
}

static int code_index(const struct code_list *l, const char *code)
{
    const struct code_entry *e = code ? code_find(l, code) : NULL;
    return e ? (int)(e - l->entries) : -1;
}

/* Copies a value only when it is a code of list l (never free text). */
static void coded(const struct code_list *l, const char *in, char *out, size_t n)
{
    snprintf(out, n, "%s", code_index(l, in) >= 0 ? in : "");
}

struct build {
    struct extract *x;
    const unsigned char *key;
    bool oom;
};

static void add_case(void *arg, const struct extract_case_row *r)
{
    struct build *b = arg;
    struct extract *x = b->x;
    if (b->oom)
        return;
    x->rows = svc_room(x->rows, x->n, &x->cap, sizeof *x->rows, 64, &b->oom);
    if (b->oom)
        return;
    struct extract_row *o = &x->rows[x->n++];
    memset(o, 0, sizeof *o);
    o->case_id = r->case_id;
    /* The UPN, in capitals, is the pupil's stable key across extracts. */
    char upn[16];
    size_t i = 0;
    for (; r->upn[i] && i < sizeof upn - 1; i++)
        upn[i] = (char)toupper((unsigned char)r->upn[i]);
    upn[i] = '\0';
    keyed_hex(b->key, "pupil", upn, o->pupil_pid, 64);
    char cid[24];
    snprintf(cid, sizeof cid, "%lld", (long long)r->case_id);
    keyed_hex(b->key, "case", cid, o->case_ref, 16);
    /* YYYY-MM only, and only if it looks like one. */
    if (strlen(r->birth_ym) == 7 && r->birth_ym[4] == '-')
        memcpy(o->birth_ym, r->birth_ym, 8);
    coded(&codes_gender, r->gender, o->gender, sizeof o->gender);
    coded(&codes_ethnicity, r->ethnicity, o->ethnicity, sizeof o->ethnicity);
    coded(&codes_nc_year, r->nc_year, o->nc_year, sizeof o->nc_year);
    coded(&codes_sen_provision, r->sen_provision, o->sen_provision, sizeof o->sen_provision);
    coded(&codes_phase, r->school_phase, o->school_phase, sizeof o->school_phase);
    coded(&codes_case_closure, r->closure_reason, o->closure_reason, sizeof o->closure_reason);
    snprintf(o->la_code, sizeof o->la_code, "%s", r->la_code);
    snprintf(o->school_urn, sizeof o->school_urn, "%s", r->school_urn);
    snprintf(o->status, sizeof o->status, "%s", strcmp(r->status, "closed") == 0 ? "closed" : "open");
    snprintf(o->opened_on, sizeof o->opened_on, "%s", r->opened_on);
    snprintf(o->closed_on, sizeof o->closed_on, "%s", r->closed_on);
    memcpy(o->prior, r->prior, sizeof o->prior);
}

static struct extract_row *find_row(struct extract *x, int64_t case_id)
{
    size_t lo = 0, hi = x->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->rows[mid].case_id == case_id)
            return &x->rows[mid];
        if (x->rows[mid].case_id < case_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static void add_need(void *arg, int64_t case_id, const char *area, const char *b, const char *c, int64_t n)
{
    (void)b, (void)c, (void)n;
    struct extract_row *r = find_row(((struct build *)arg)->x, case_id);
    int i = code_index(&codes_need_area, area);
    if (r && i >= 0 && i < CASE_NEED_AREAS)
        r->needs[i] = true;
}

static void add_discussions(void *arg, int64_t case_id, const char *kind, const char *b, const char *c,
                            int64_t n)
{
    (void)b, (void)c;
    struct extract_row *r = find_row(((struct build *)arg)->x, case_id);
    if (!r || !kind)
        return;
    if (strcmp(kind, "new") == 0)
        r->discussions_new += n;
    else if (strcmp(kind, "review") == 0)
        r->discussions_review += n;
}

static void add_actions(void *arg, int64_t case_id, const char *nature, const char *setting,
                        const char *status, int64_t n)
{
    struct extract_row *r = find_row(((struct build *)arg)->x, case_id);
    if (!r)
        return;
    int i = code_index(&action_natures, nature), j = code_index(&action_settings, setting),
        k = code_index(&action_statuses, status);
    if (i >= 0 && i < EXTRACT_NATURES)
        r->by_nature[i] += n;
    if (j >= 0 && j < EXTRACT_SETTINGS)
        r->by_setting[j] += n;
    if (k >= 0 && k < EXTRACT_STATUSES)
        r->by_status[k] += n;
}

static void add_referrals(void *arg, int64_t case_id, const char *outcome, const char *b, const char *c,
                          int64_t n)
{
    (void)b, (void)c;
    struct extract_row *r = find_row(((struct build *)arg)->x, case_id);
    int i = code_index(&referral_outcomes, outcome);
    if (r && i >= 0 && i < EXTRACT_OUTCOMES)
        r->referrals[i] += n;
}

/* ---- k-anonymity ---------------------------------------------------------- */

#define EXTRACT_K_DEFAULT 10

static const char *const qi_names[XQ__COUNT] = {"school", "birth", "gender", "ethnicity", "nc_year",
                                                "sen_provision", "case_dates"};
/* Rungs of each ladder, the top one hiding the column; and what a rung
 * costs the evaluator (school and year group matter most to them). */
static const char *const rungs[XQ__COUNT][KANON_MAX_LEVELS] = {
    [XQ_SCHOOL] = {"urn", "phase", "withheld"},
    [XQ_BIRTH] = {"year_month", "year", "three_years", "withheld"},
    [XQ_GENDER] = {"code", "withheld"},
    [XQ_ETHNICITY] = {"code", "gss_group", "withheld"},
    [XQ_YEAR] = {"year_group", "key_stage", "withheld"},
    [XQ_SEN] = {"code", "any_sen", "withheld"},
    [XQ_OPENED] = {"month", "school_year", "withheld"},
};
static const char *const rung_labels[XQ__COUNT][KANON_MAX_LEVELS] = {
    [XQ_SCHOOL] = {"the school's URN", "the school's phase only", "nothing"},
    [XQ_BIRTH] = {"the year and month", "the year only", "a band of three years", "nothing"},
    [XQ_GENDER] = {"as recorded", "nothing"},
    [XQ_ETHNICITY] = {"the DfE code", "the GSS group only", "nothing"},
    [XQ_YEAR] = {"the year group", "the key stage only", "nothing"},
    [XQ_SEN] = {"the census code", "whether there is any SEN provision", "nothing"},
    [XQ_OPENED] = {"the months", "the school years only", "nothing"},
};
static const int rung_cost[XQ__COUNT] = {3, 1, 2, 1, 3, 2, 1};

const char *extract_qi_name(enum extract_qi q)
{
    return (unsigned)q < XQ__COUNT ? qi_names[q] : "";
}

const char *extract_level_name(enum extract_qi q, int level)
{
    if ((unsigned)q >= XQ__COUNT || level < 0 || level >= KANON_MAX_LEVELS || !rungs[q][level])
        return "";
    return rungs[q][level];
}

const char *extract_level_label(enum extract_qi q, int level)
{
    if ((unsigned)q >= XQ__COUNT || level < 0 || level >= KANON_MAX_LEVELS || !rung_labels[q][level])
        return "";
    return rung_labels[q][level];
}

static int nrungs(enum extract_qi q)
{
    int n = 0;
    while (n < KANON_MAX_LEVELS && rungs[q][n])
        n++;
    return n;
}

static const char *key_stage(const char *y)
{
    static const char *const ks[][2] = {{"N1", "early_years"}, {"N2", "early_years"}, {"R", "early_years"},
                                        {"1", "ks1"}, {"2", "ks1"}, {"3", "ks2"}, {"4", "ks2"}, {"5", "ks2"},
                                        {"6", "ks2"}, {"7", "ks3"}, {"8", "ks3"}, {"9", "ks3"}, {"10", "ks4"},
                                        {"11", "ks4"}, {"12", "ks5"}, {"13", "ks5"}, {"14", "ks5"}};
    for (size_t i = 0; i < COUNT(ks); i++)
        if (!strcmp(ks[i][0], y))
            return ks[i][1];
    return "";
}

/* "2025/26" for a YYYY-MM-DD (or YYYY-MM) in that school year. */
static void school_year(const char *d, char *out, size_t n)
{
    int y = 0, m = 0;
    if (sscanf(d, "%4d-%2d", &y, &m) != 2) {
        snprintf(out, n, "%s", "");
        return;
    }
    int start = m >= 8 ? y : y - 1;
    snprintf(out, n, "%d/%02d", start, (start + 1) % 100);
}

/* Column q of row r at rung l, as text ("" when withheld). */
static void rung_text(const struct extract_row *r, enum extract_qi q, int l, char *out, size_t n)
{
    out[0] = '\0';
    if (l >= nrungs(q) - 1)
        return;
    int y;
    switch (q) {
    case XQ_SCHOOL:
        snprintf(out, n, "%s", l == 0 ? r->school_urn : r->school_phase);
        break;
    case XQ_BIRTH:
        if (l == 0)
            snprintf(out, n, "%s", r->birth_ym);
        else if (sscanf(r->birth_ym, "%4d", &y) == 1)
            snprintf(out, n, l == 1 ? "%d" : "%d-%d", l == 1 ? y : y - y % 3, y - y % 3 + 2);
        break;
    case XQ_GENDER:
        snprintf(out, n, "%s", r->gender);
        break;
    case XQ_ETHNICITY: {
        const struct code_entry *e = code_find(&codes_ethnicity, r->ethnicity);
        snprintf(out, n, "%s", l == 0 ? r->ethnicity : e && e->group ? e->group : "");
        break;
    }
    case XQ_YEAR:
        snprintf(out, n, "%s", l == 0 ? r->nc_year : key_stage(r->nc_year));
        break;
    case XQ_SEN:
        snprintf(out, n, "%s", l == 0 ? r->sen_provision : !r->sen_provision[0] ? "" :
                               strcmp(r->sen_provision, "N") == 0 ? "no" : "yes");
        break;
    case XQ_OPENED:
        if (l == 0)
            snprintf(out, n, "%.7s|%.7s", r->opened_on, r->closed_on);
        else {
            char a[8], b[8];
            school_year(r->opened_on, a, sizeof a);
            school_year(r->closed_on, b, sizeof b);
            snprintf(out, n, "%s|%s", a, b);
        }
        break;
    default:
        break;
    }
}

/* Numbers standing for the texts of one column at one rung: equal texts,
 * equal numbers. */
struct textid {
    char text[48];
    size_t row;
};

static int cmp_textid(const void *a, const void *b)
{
    return strcmp(((const struct textid *)a)->text, ((const struct textid *)b)->text);
}

static int ids_for(const struct extract *x, enum extract_qi q, int l, int32_t *values)
{
    struct textid *t = malloc(x->n * sizeof *t);
    if (!t)
        return -1;
    for (size_t r = 0; r < x->n; r++) {
        rung_text(&x->rows[r], q, l, t[r].text, sizeof t[r].text);
        t[r].row = r;
    }
    qsort(t, x->n, sizeof *t, cmp_textid);
    int32_t id = 0;
    for (size_t i = 0; i < x->n; i++) {
        if (i > 0 && strcmp(t[i - 1].text, t[i].text) != 0)
            id++;
        values[(t[i].row * XQ__COUNT + (size_t)q) * KANON_MAX_LEVELS + (size_t)l] = id;
    }
    free(t);
    return 0;
}

/* Writes the chosen rung of every column into the rows themselves. */
static void apply_levels(struct extract *x)
{
    for (size_t i = 0; i < x->n; i++) {
        struct extract_row *r = &x->rows[i];
        char v[48];
        rung_text(r, XQ_BIRTH, x->level[XQ_BIRTH], v, sizeof v);
        snprintf(r->birth_ym, sizeof r->birth_ym, "%.10s", v);
        rung_text(r, XQ_ETHNICITY, x->level[XQ_ETHNICITY], v, sizeof v);
        snprintf(r->ethnicity, sizeof r->ethnicity, "%s", v);
        if (x->level[XQ_GENDER])
            r->gender[0] = '\0';
        rung_text(r, XQ_YEAR, x->level[XQ_YEAR], v, sizeof v);
        snprintf(r->nc_year, sizeof r->nc_year, "%s", v);
        rung_text(r, XQ_SEN, x->level[XQ_SEN], v, sizeof v);
        snprintf(r->sen_provision, sizeof r->sen_provision, "%s", v);
        if (x->level[XQ_SCHOOL] >= 1)
            r->school_urn[0] = '\0';
        if (x->level[XQ_SCHOOL] >= 2)
            r->school_phase[0] = '\0';
        char a[8] = "", b[8] = "";
        if (x->level[XQ_OPENED] == 0) {
            snprintf(a, sizeof a, "%.7s", r->opened_on);
            snprintf(b, sizeof b, "%.7s", r->closed_on);
        } else if (x->level[XQ_OPENED] == 1) {
            school_year(r->opened_on, a, sizeof a);
            if (r->closed_on[0])
                school_year(r->closed_on, b, sizeof b);
        }
        snprintf(r->opened_on, sizeof r->opened_on, "%s", a);
        snprintf(r->closed_on, sizeof r->closed_on, "%s", b);
    }
}

/* Social care and mental health: a flag every case of a class shares says
 * it of each of them, and one only a few share marks them out. */
static const int sensitive_flags[] = {1, 3, 4, 5};   /* mhst_camhs, cin, cp, lac in codes_prior_contact */
#define FEW_IN_CLASS 3

static void withhold_flags(struct extract *x, const size_t *cls, size_t nclasses)
{
    size_t *yes = calloc(nclasses, sizeof *yes), *size = calloc(nclasses, sizeof *size);
    if (!yes || !size) {
        free(yes);
        free(size);
        for (size_t i = 0; i < x->n; i++)   /* cannot check: withhold them all */
            for (size_t f = 0; f < COUNT(sensitive_flags); f++)
                x->rows[i].prior[sensitive_flags[f]] = -1;
        return;
    }
    for (size_t f = 0; f < COUNT(sensitive_flags); f++) {
        int k = sensitive_flags[f];
        memset(yes, 0, nclasses * sizeof *yes);
        memset(size, 0, nclasses * sizeof *size);
        for (size_t i = 0; i < x->n; i++) {
            size[cls[i]]++;
            yes[cls[i]] += x->rows[i].prior[k] == 1;
        }
        for (size_t i = 0; i < x->n; i++) {
            size_t y = yes[cls[i]];
            if (y > 0 && (y < FEW_IN_CLASS || y == size[cls[i]]) && x->rows[i].prior[k] != -1) {
                x->rows[i].prior[k] = -1;
                x->flags_withheld++;
            }
        }
    }
    free(yes);
    free(size);
}

static int protect(struct extract *x)
{
    struct kanon_input in = {.nrows = x->n, .nqi = XQ__COUNT};
    for (int q = 0; q < XQ__COUNT; q++) {
        in.levels[q] = nrungs((enum extract_qi)q);
        in.cost[q] = rung_cost[q];
    }
    if (x->n == 0)
        return 0;
    int32_t *values = calloc(x->n * XQ__COUNT * KANON_MAX_LEVELS, sizeof *values);
    size_t *cls = malloc(x->n * sizeof *cls);
    int rc = values && cls ? 0 : -1;
    for (int q = 0; rc == 0 && q < XQ__COUNT; q++)
        for (int l = 0; rc == 0 && l < in.levels[q]; l++)
            rc = ids_for(x, (enum extract_qi)q, l, values);
    in.values = values;
    struct kanon_result res;
    if (rc == 0)
        rc = kanon_search(&in, (size_t)x->k_requested, &res);
    if (rc == 0 && !res.found) {
        x->n = 0;   /* fewer than k cases in all: no safe extract */
    } else if (rc == 0) {
        memcpy(x->level, res.level, sizeof x->level);
        x->k_achieved = (int64_t)res.min_class;
        size_t nc = kanon_classes(&in, res.level, cls);
        rc = nc ? 0 : -1;
        if (rc == 0)
            withhold_flags(x, cls, nc);
        apply_levels(x);
    }
    free(values);
    free(cls);
    return rc;
}

enum svc_status svc_extract_k_save(struct svc_ctx *c, int64_t authority_id, const char *k,
                                   struct field_errors *errs)
{
    if (!policy_sets_extract_k(c->who, authority_id))
        return SVC_FORBIDDEN;
    long v;
    if (!k || parse_int_strict(k, 2, 100, &v) != 0) {
        field_errors_add(errs, "k", "k must be a whole number from 2 to 100");
        return SVC_INVALID;
    }
    if (store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    enum store_rc rc = q_extract_k_put(c->db, authority_id, v, c->who->user_id, c->now);
    struct audit_event ev = {.action = "edit", .kind = "settings", .authority_id = authority_id,
                             .detail = "extract k"};
    if (rc != STORE_OK || svc_audit_record(c, &ev) != SVC_OK || store_commit(c->db) != STORE_OK) {
        store_rollback(c->db);
        return SVC_ERROR;
    }
    return SVC_OK;
}

enum svc_status svc_extract_pseudonymised(struct svc_ctx *c, struct extract *out)
{
    memset(out, 0, sizeof *out);
    /* Export of statistics, within scope: the rows come only from the
     * authorities and schools the policy makes visible. */
    struct visibility v;
    policy_visible(c->who, RES_AGGREGATE, ACT_EXPORT, &v);
    if (!v.all && v.nauthorities == 0 && v.nschools == 0)
        return SVC_FORBIDDEN;
    const unsigned char *key = secrets_key(SECRET_PSEUDONYM);
    if (!key)
        return SVC_ERROR;
    keyed_hex(key, "key-id", "tas", out->key_id, 16);
    struct build b = {out, key, false};
    /* One read transaction, so the counts match the cases. */
    if (store_begin(c->db) != STORE_OK)
        return SVC_ERROR;
    enum store_rc rc = q_extract_cases(c->db, &v, add_case, &b);
    if (rc == STORE_OK && !b.oom)
        rc = q_extract_counts(c->db, &v, EXTRACT_NEEDS, add_need, &b);
    if (rc == STORE_OK)
        rc = q_extract_counts(c->db, &v, EXTRACT_DISCUSSIONS, add_discussions, &b);
    if (rc == STORE_OK)
        rc = q_extract_counts(c->db, &v, EXTRACT_ACTIONS, add_actions, &b);
    if (rc == STORE_OK)
        rc = q_extract_counts(c->db, &v, EXTRACT_REFERRALS, add_referrals, &b);
    if (rc == STORE_OK)
        rc = q_extract_k_get(c->db, &v, EXTRACT_K_DEFAULT, &out->k_requested);
    store_rollback(c->db);
    if (rc != STORE_OK || b.oom || protect(out) != 0) {
        extract_free(out);
        return SVC_ERROR;
    }
    /* Every download is on the trail, with the k it met. */
    char detail[64];
    snprintf(detail, sizeof detail, "pseudonymised extract: %zu rows, k %lld", out->n,
             (long long)out->k_achieved);
    struct audit_event ev = {.action = "export", .kind = "extract", .detail = detail};
    if (svc_audit_record(c, &ev) != SVC_OK) {
        extract_free(out);
        return SVC_ERROR;
    }
    return SVC_OK;
}

void extract_free(struct extract *x)
{
    free(x->rows);
    x->rows = NULL;
    x->n = x->cap = 0;
}
