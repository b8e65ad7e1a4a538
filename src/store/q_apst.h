/* SQL of the AP specialist taskforces (migration 0020): taskforces (a team
 * hosted by an AP school), specialists, agreements, referrals, the
 * decisions of weekly case meetings, the intervention log and the figures
 * of the MI return.  Used by service/svc_apst.c. */
#ifndef TAS_STORE_Q_APST_H
#define TAS_STORE_Q_APST_H

#include <stdint.h>

#include "core/policy.h"
#include "core/records.h"
#include "store/q_common.h"
#include "store/store.h"

struct apst_taskforce_row {
    int64_t id, team_id, authority_id, school_id;
    char name[TAS_TITLE_MAX];          /* the team's name */
    char school_name[TAS_TITLE_MAX];   /* the AP school */
    char manager_name[TAS_NAME_MAX];
    int64_t manager_fte;               /* hundredths */
    char started_on[11];
    bool active;
};

struct apst_specialist_row {
    int64_t id, taskforce_id;
    char kind[16];
    char name[TAS_NAME_MAX];
    int64_t fte;                       /* hundredths */
    int64_t days_on_site;
    char home_service[121];
    char funding[12];
    char supervision[16];
    char starts_on[11], ends_on[11];   /* ends_on "" while in post */
    int64_t user_id;                   /* the specialist's account (0: none linked) */
};

struct apst_agreement_row {
    int64_t id, taskforce_id;
    char kind[16];
    char party[121];
    char signed_on[11], review_on[11];
};

struct apst_referral_row {
    int64_t id, taskforce_id, team_id, authority_id, ap_school_id;
    int64_t pupil_id, pupil_school_id;
    char forenames[TAS_NAME_MAX], surname[TAS_NAME_MAX], upn[14];
    char pupil_school_name[TAS_TITLE_MAX];
    char taskforce_name[TAS_TITLE_MAX];
    char sen_provision[2];
    char route[16];
    char referred_on[11];
    char referrer[121];
    char reason[1001];
    int threshold_met;                 /* 1, 0, -1 not recorded */
    char triage[16];
    char triaged_on[11];
    char tier[12];
    int64_t lead_specialist_id;
    char lead_name[TAS_NAME_MAX];
    char engagement[12];
    char closed_on[11];
    /* Consent to the taskforce's work (migration 0026): basis "" (none
     * recorded), family, young_person, safeguarding or withdrawn; kinds: one
     * bit per entry of codes_apst_specialist. */
    char consent_basis[16];
    char consent_by[121];
    char consent_on[11];
    int64_t consent_kinds;
    char consent_note[1001];
};

struct apst_item_row {
    int64_t id, meeting_id, referral_id;
    char pupil_name[2 * TAS_NAME_MAX + 2];
    char kind[20];
    char event_kind[16];
    char decision[1001];
    char decided_by[16];
    char decided_by_name[121];
};

struct apst_intervention_row {
    int64_t id, taskforce_id, specialist_id, referral_id;
    char specialist_name[TAS_NAME_MAX];
    char specialist_kind[16];
    char pupil_name[2 * TAS_NAME_MAX + 2];
    char delivered_on[11];
    char activity[16];
    int64_t minutes;
    bool voided;                 /* migration 0030: kept, left out of every sum */
    char void_reason[201];
};

/* Taskforces */
enum store_rc q_apst_insert(struct store *s, struct apst_taskforce_row *t, int64_t by, int64_t now);
enum store_rc q_apst_get(struct store *s, int64_t id, struct apst_taskforce_row *out);
/* The taskforce whose team is team_id (STORE_DONE: none). */
enum store_rc q_apst_by_team(struct store *s, int64_t team_id, struct apst_taskforce_row *out);
/* Those visible (VIS_TEAM_FILTER), by name. */
enum store_rc q_apst_list(struct store *s, const struct visibility *v,
                          void (*fn)(void *arg, const struct apst_taskforce_row *r), void *arg);

/* Specialists, by kind then name */
enum store_rc q_apst_specialist_insert(struct store *s, struct apst_specialist_row *r, int64_t now);
/* Sets the last day in post (NULL for "" : in post again). */
enum store_rc q_apst_specialist_end(struct store *s, int64_t id, const char *ends_on, int64_t now);
enum store_rc q_apst_specialist_get(struct store *s, int64_t id, struct apst_specialist_row *out);
enum store_rc q_apst_specialists(struct store *s, int64_t taskforce_id,
                                 void (*fn)(void *arg, const struct apst_specialist_row *r), void *arg);

/* Agreements, by review date */
enum store_rc q_apst_agreement_insert(struct store *s, struct apst_agreement_row *r, int64_t now);
enum store_rc q_apst_agreements(struct store *s, int64_t taskforce_id,
                                void (*fn)(void *arg, const struct apst_agreement_row *r), void *arg);

/* Referrals */
enum store_rc q_apst_referral_insert(struct store *s, struct apst_referral_row *r, int64_t by, int64_t now);
enum store_rc q_apst_referral_get(struct store *s, int64_t id, struct apst_referral_row *out);
/* triage, triaged_on, threshold_met, tier, lead_specialist_id, engagement, closed_on of r. */
enum store_rc q_apst_referral_triage(struct store *s, const struct apst_referral_row *r, int64_t now);
/* A taskforce's referrals: triage "" any; pending first, then newest. */
enum store_rc q_apst_referrals(struct store *s, int64_t taskforce_id, const char *triage,
                               void (*fn)(void *arg, const struct apst_referral_row *r), void *arg);

/* Sets the referral's consent (basis, by, on "" = NULL, kinds, note). */
enum store_rc q_apst_referral_consent(struct store *s, const struct apst_referral_row *r, int64_t now);
/* Assigns a specialist to a referral (no error if already). */
enum store_rc q_apst_referral_staff_add(struct store *s, int64_t referral_id, int64_t specialist_id, int64_t now);
/* Ends an assignment (STORE_DONE: there was none); the audit log keeps it. */
enum store_rc q_apst_referral_staff_remove(struct store *s, int64_t referral_id, int64_t specialist_id);
/* The accounts of the referral's lead and assigned specialists (those
 * with an account), at most max, into users; *n how many. */
enum store_rc q_apst_referral_staff_users(struct store *s, int64_t referral_id, int64_t *users, size_t max,
                                          size_t *n);
/* The assigned specialists (not the lead), by name. */
enum store_rc q_apst_referral_staff(struct store *s, int64_t referral_id,
                                    void (*fn)(void *arg, const struct apst_specialist_row *r), void *arg);
/* Links (or unlinks, user_id 0) a specialist's account. */
enum store_rc q_apst_specialist_set_user(struct store *s, int64_t id, int64_t user_id, int64_t now);

/* Costs actually spent (migration 0026) */
struct apst_cost_row {
    int64_t id, taskforce_id;
    char line[16];
    char period_from[11], period_to[11];
    int64_t amount_pence;
    char note[201];
    bool voided;                 /* migration 0030: kept, left out of every sum */
    char void_reason[201];
};
enum store_rc q_apst_cost_insert(struct store *s, struct apst_cost_row *r, int64_t by, int64_t now);
/* Entries whose period lies within from..to, by period. */
enum store_rc q_apst_costs(struct store *s, int64_t taskforce_id, const char *from, const char *to,
                           void (*fn)(void *arg, const struct apst_cost_row *r), void *arg);
enum store_rc q_apst_cost_get(struct store *s, int64_t id, struct apst_cost_row *out);

/* Meeting decisions */
enum store_rc q_apst_item_insert(struct store *s, struct apst_item_row *r, int64_t by, int64_t now);
enum store_rc q_apst_items(struct store *s, int64_t meeting_id,
                           void (*fn)(void *arg, const struct apst_item_row *r), void *arg);

/* Intervention log, newest first (at most 500) */
enum store_rc q_apst_intervention_insert(struct store *s, struct apst_intervention_row *r, int64_t by, int64_t now);
enum store_rc q_apst_interventions(struct store *s, int64_t taskforce_id, const char *from, const char *to,
                                   void (*fn)(void *arg, const struct apst_intervention_row *r), void *arg);
enum store_rc q_apst_intervention_get(struct store *s, int64_t id, struct apst_intervention_row *out);

/* Void an intervention-log or cost entry (STORE_DONE: none, or already voided). */
enum apst_voidable { APST_VOID_INTERVENTION, APST_VOID_COST };
enum store_rc q_apst_void(struct store *s, enum apst_voidable kind, int64_t id, const char *reason, int64_t by,
                          int64_t now);

/* The MI return's raw figures for one taskforce, from..to inclusive. */
struct apst_mi_pupil {
    int64_t pupil_id;
    char sen_provision[2];
    char engagement[12];
    bool fsm, social_care, outreach;
};
/* One row per accepted referral open at some time in the period. */
enum store_rc q_apst_mi_pupils(struct store *s, int64_t taskforce_id, const char *from, const char *to,
                               void (*fn)(void *arg, const struct apst_mi_pupil *r), void *arg);
/* Minutes by specialist kind and activity over the period. */
struct apst_mi_minutes {
    char kind[16];
    char activity[16];
    int64_t minutes;
};
enum store_rc q_apst_mi_minutes(struct store *s, int64_t taskforce_id, const char *from, const char *to,
                                void (*fn)(void *arg, const struct apst_mi_minutes *r), void *arg);
/* Pupils given holiday provision in the period (a "holiday" entry of the
 * log naming their referral). */
enum store_rc q_apst_mi_holiday_pupils(struct store *s, int64_t taskforce_id, const char *from, const char *to,
                                       int64_t *out);
/* The outcome records of the taskforce's supported pupils (as above) in
 * the period: attendance sessions possible and missed (terms starting in
 * it), pupils returned to mainstream (an AP placement ending in it), and
 * post-16 destinations known in it (EET, NEET). */
struct apst_mi_outcomes {
    int64_t sessions_possible, sessions_missed, attendance_pupils;
    int64_t reintegrated;
    int64_t eet, neet;
};
enum store_rc q_apst_mi_outcomes(struct store *s, int64_t taskforce_id, const char *from, const char *to,
                                 struct apst_mi_outcomes *out);

#endif
