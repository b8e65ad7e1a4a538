#include "service/svc_extract.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/secrets.h"
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
    if (x->n == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 64;
        struct extract_row *rows = realloc(x->rows, cap * sizeof *rows);
        if (!rows) {
            b->oom = true;
            return;
        }
        x->rows = rows;
        x->cap = cap;
    }
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
    store_rollback(c->db);
    if (rc != STORE_OK || b.oom) {
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
