/* The pseudonymised extract for evaluators: one row per case, with a keyed
 * hash for the pupil (HMAC-SHA256 of the UPN under the server's pseudonym
 * key: the same pupil gets the same id in every extract, and nobody
 * without the key can link it back), the year and month of birth, and
 * coded fields and counts only: never a name, a UPN, a full date of birth
 * or any free text.  Evaluators and administrators (export of statistics,
 * RES_AGGREGATE), within their scope. */
#ifndef TAS_SERVICE_SVC_EXTRACT_H
#define TAS_SERVICE_SVC_EXTRACT_H

#include "core/casefile.h"
#include "service/svc.h"

#define EXTRACT_NATURES 8
#define EXTRACT_SETTINGS 5
#define EXTRACT_STATUSES 3
#define EXTRACT_OUTCOMES 4

struct extract_row {
    int64_t case_id;                 /* for merging counts; never output */
    char pupil_pid[65];              /* hex HMAC-SHA256 */
    char case_ref[17];               /* keyed too: stable, not the database id */
    char birth_ym[8];
    char gender[4], ethnicity[8], nc_year[4], sen_provision[4];
    char la_code[8], school_urn[12], school_phase[24];
    char status[8], opened_on[11], closed_on[11];
    char closure_reason[40];         /* a code from codes_case_closure, or "" */
    int prior[CASE_PRIOR_FLAGS];     /* -1 not recorded, 0 no, 1 yes */
    bool needs[CASE_NEED_AREAS];
    int64_t discussions_new, discussions_review;
    int64_t by_nature[EXTRACT_NATURES], by_setting[EXTRACT_SETTINGS], by_status[EXTRACT_STATUSES];
    int64_t referrals[EXTRACT_OUTCOMES];
};

struct extract {
    struct extract_row *rows;
    size_t n, cap;
    char key_id[17];                 /* names the key: extracts with the same key_id link */
};

/* Fills out (free with extract_free) with the cases of every authority and school where the
 * user may export aggregates (RES_AGGREGATE, ACT_EXPORT); SVC_FORBIDDEN where there are none. */
enum svc_status svc_extract_pseudonymised(struct svc_ctx *c, struct extract *out);
void extract_free(struct extract *x);

#endif
