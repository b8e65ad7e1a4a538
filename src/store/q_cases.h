/* SQL for parental consent and TAS cases (with their summary). */
#ifndef TAS_STORE_Q_CASES_H
#define TAS_STORE_Q_CASES_H

#include "core/casefile.h"
#include "store/q_common.h"

#define CONSENT_MAX_SERVICES 24

struct consent_row {
    int64_t id;
    int64_t pupil_id;
    char given_by[121];
    char relationship[32];
    char given_on[11];
    bool covers_discussion;
    char withdrawn_on[11];       /* "" when not withdrawn */
    char withdrawal_reason[401];
    size_t nservices;
    int64_t service_ids[CONSENT_MAX_SERVICES];
};

enum store_rc q_consent_insert(struct store *s, struct consent_row *r, int64_t recorded_by, int64_t now);
enum store_rc q_consent_withdraw(struct store *s, int64_t id, const char *on, const char *reason,
                                 int64_t by, int64_t now);
enum store_rc q_consent_get(struct store *s, int64_t id, struct consent_row *out);
/* A pupil's consents, newest first. */
enum store_rc q_consent_list(struct store *s, int64_t pupil_id,
                             void (*fn)(void *arg, const struct consent_row *r), void *arg);

/* A case with its summary.  Large (the free text): allocate, don't put on
 * a small stack. */
struct case_row {
    int64_t id;
    int64_t pupil_id;
    int64_t team_id;
    char status[8];              /* open | closed */
    char opened_on[11];
    char closed_on[11];
    char closure_reason[401];
    char strengths[CASE_TEXT_MAX];
    char tried[CASE_TEXT_MAX];
    char child_voice[CASE_TEXT_MAX];
    char parent_voice[CASE_TEXT_MAX];
    char hoped_outcomes[CASE_TEXT_MAX];
    signed char prior[CASE_PRIOR_FLAGS];  /* -1 not recorded, 0, 1: codes_prior_contact order */
    signed char summary_before_meeting;
    signed char ect_completed;
    /* the outcomes matrix (coordinator, once closed): -1 not classified, 0, 1 */
    signed char ei_appropriate, referral_made;
    char needs[CASE_NEED_AREAS][CASE_TEXT_MAX];  /* codes_need_area order; "" none */
    /* joined, read only */
    int64_t school_id;
    int64_t authority_id;
    char pupil_name[203];
    char upn[14];
    char team_name[161];
    int64_t created_at;
};

/* A line in a list of cases. */
struct case_brief {
    int64_t id;
    int64_t pupil_id;
    int64_t team_id;
    char status[8];
    char opened_on[11];
    char closed_on[11];
    int64_t school_id;
    int64_t authority_id;
    char pupil_name[203];
    char team_name[161];
    int64_t discussions;
    int64_t open_actions;
};

struct case_filter {
    int64_t team_id;      /* 0 any */
    int64_t pupil_id;     /* 0 any */
    const char *status;   /* "open", "closed" or "" */
    const char *today;    /* YYYY-MM-DD: whose consent counts (set by the service) */
    int64_t school_id;    /* 0 any; else the pupil's school */
    const char *name;     /* "" or NULL any; else part of the pupil's name (any case) */
    const char *from, *to;   /* "" or NULL any; else open at some time from..to (YYYY-MM-DD) */
};

enum store_rc q_case_insert(struct store *s, struct case_row *c, int64_t created_by, int64_t now);
/* Saves the summary fields and needs (not status). */
enum store_rc q_case_update(struct store *s, const struct case_row *c, int64_t now);
enum store_rc q_case_get(struct store *s, int64_t id, struct case_row *out);
enum store_rc q_case_set_status(struct store *s, int64_t id, const char *status, const char *closed_on,
                                const char *reason, int64_t now);
enum store_rc q_case_list(struct store *s, const struct visibility *v, const struct case_filter *f,
                          const struct page_req *pg, int64_t *total,
                          void (*fn)(void *arg, const struct case_brief *b), void *arg);
/* Team id for a case brought for a pupil: teams whose schools include the
 * pupil's school (fn gets id and name). */
enum store_rc q_teams_for_school(struct store *s, int64_t school_id,
                                 void (*fn)(void *arg, int64_t id, const char *name), void *arg);

#endif
