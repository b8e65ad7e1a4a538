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
    char birth_ym[12];               /* YYYY-MM, or generalised: YYYY, YYYY-YYYY, "" */
    char gender[4], ethnicity[40], nc_year[16], sen_provision[4];   /* or their generalised forms */
    char la_code[8], school_urn[12], school_phase[24];
    char status[8], opened_on[11], closed_on[11];
    char closure_reason[40];         /* a code from codes_case_closure, or "" */
    int prior[CASE_PRIOR_FLAGS];     /* -1 not recorded, 0 no, 1 yes */
    bool needs[CASE_NEED_AREAS];
    int64_t discussions_new, discussions_review;
    int64_t by_nature[EXTRACT_NATURES], by_setting[EXTRACT_SETTINGS], by_status[EXTRACT_STATUSES];
    int64_t referrals[EXTRACT_OUTCOMES];
};

/* The columns an outsider could know about a child, generalised until
 * every combination is shared by k cases (core/kanon.h), in this order. */
enum extract_qi { XQ_SCHOOL, XQ_BIRTH, XQ_GENDER, XQ_ETHNICITY, XQ_YEAR, XQ_SEN, XQ_OPENED, XQ__COUNT };

struct extract {
    struct extract_row *rows;
    size_t n, cap;
    char key_id[17];                 /* names the key: extracts with the same key_id link */
    int64_t k_requested;             /* set by the DPO (extract_settings), 10 by default */
    int64_t k_achieved;              /* the smallest class: >= k_requested, or 0 with no rows */
    int level[XQ__COUNT];            /* the rung each column was generalised to */
    int64_t flags_withheld;          /* sensitive flags blanked in small or uniform classes */
};

/* The rung names of each column, for the file's description:
 * extract_level_name(XQ_SCHOOL, 1) is "phase". */
const char *extract_qi_name(enum extract_qi q);
const char *extract_level_name(enum extract_qi q, int level);
/* The same in words for the page: "the school's phase only". */
const char *extract_level_label(enum extract_qi q, int level);

/* The extract, k-anonymous: the rows' quasi-identifiers generalised (a
 * school's URN to its phase, a month of birth to a year or a band of
 * years, an ethnicity code to its GSS group, a year group to its key
 * stage, dates to months or school years) as little as makes every
 * combination hold k cases; the social-care and mental-health flags
 * blanked in a class where few or all of its cases have them.  With fewer
 * than k cases in scope there is no safe extract: no rows, k_achieved 0.
 * Every download is on the audit trail.  Fills out (free with
 * extract_free) from every authority and school where the user may export
 * aggregates (RES_AGGREGATE, ACT_EXPORT); SVC_FORBIDDEN where there are
 * none. */
enum svc_status svc_extract_pseudonymised(struct svc_ctx *c, struct extract *out);

/* Sets k for an authority's extracts (2 to 100): the DPO's or an
 * administrator's (policy_sets_extract_k); SVC_INVALID with a field error
 * on "k"; recorded on the audit trail. */
enum svc_status svc_extract_k_save(struct svc_ctx *c, int64_t authority_id, const char *k,
                                   struct field_errors *errs);
void extract_free(struct extract *x);

#endif
