/* Alternative Provision Specialist Taskforces: the rules of the DfE's
 * implementation advice ("Alternative provision specialist taskforces
 * (APST): implementation advice on introducing a multi-disciplinary
 * specialist taskforce within an AP school", March 2024), its code lists
 * and the figures it publishes.  Pure: no I/O; dates are day numbers
 * (core/calendar.h), FTE whole hundredths, time whole minutes. */
#ifndef TAS_CORE_APST_H
#define TAS_CORE_APST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/codes.h"
#include "core/errors.h"

/* "Key to the APST model is having at least four of these specialist
 * types working as one multi-disciplinary team" (advice, Overview). */
#define APST_MIN_SPECIALIST_TYPES 4

/* The recommended specialists ("Recommended specialists"), plus other
 * staff (e.g. pastoral) whom pilots added beyond the minimum: "other"
 * never counts towards the four. */
extern const struct code_list codes_apst_specialist;   /* mental_health, youth_family, ed_psych, salt,
                                                        * post16, youth_justice, other */
/* "Possible funding arrangements for specialists" ("Costs"). */
extern const struct code_list codes_apst_funding;      /* secondment, joint, direct */
/* "Training and supervision": the Taskforce Manager supervises
 * non-clinical specialists; clinical specialists use their home service. */
extern const struct code_list codes_apst_supervision;  /* manager, home_clinical, other */
extern const struct code_list codes_apst_agreement;    /* data_sharing, secondment */
/* "Referrals into the taskforce": formal (form-based) or informal (a
 * conversation or email, a child's or family's request), or spotted by a
 * specialist on site. */
extern const struct code_list codes_apst_route;        /* formal, conversation, self_family, spotted */
/* Triage: "thresholds ... or simply by operating a waiting list". */
extern const struct code_list codes_apst_triage;       /* pending, accepted, waiting_list, declined, signposted */
/* "Who they work with": a tiered approach. */
extern const struct code_list codes_apst_tier;         /* universal, targeted, specialist */
/* The activities the MI breaks time down by ("Annex": one to one support,
 * work with professionals, out of school hours, with families) and "How
 * they work with children" (group work, advice and training for staff),
 * and holiday provision. */
extern const struct code_list codes_apst_activity;     /* pupil, family, professionals, group,
                                                        * staff_training, out_of_hours, holiday */
/* Annex: pupils who "stopped working with the taskforce before the
 * taskforce thought they were ready" and those who "refused support". */
extern const struct code_list codes_apst_engagement;   /* engaged, ended_early, refused */
extern const struct code_list codes_apst_item;         /* new_referral, held_case, significant_event */
extern const struct code_list codes_apst_event;        /* safeguarding, exclusion, missing, police, health, other */
/* "Case discussions and decisions": decisions may be made by the lead
 * specialist(s), collectively, or by the Taskforce Manager (sometimes with
 * the school's SLT). */
extern const struct code_list codes_apst_decider;      /* lead_specialist, taskforce, manager, manager_slt */

/* The basis of a taskforce referral's consent (migration 0026).  The
 * advice asks for data sharing agreements between the services and takes
 * referrals from the child or family themselves; as in TAS, a specialist
 * sees a pupil only with consent that covers them.  family: a parent or
 * carer agreed; young_person: the pupil's own agreement (a young person
 * able to give it, e.g. on a self-referral); safeguarding: a concern about
 * the child, when information is shared to protect them without waiting
 * for consent (covers every specialist type); withdrawn: consent ended. */
extern const struct code_list codes_apst_consent;      /* family, young_person, safeguarding, withdrawn */
/* Whether a referral's consent (basis, kinds: one bit per entry of
 * codes_apst_specialist) covers specialist type kind.  "" and "withdrawn"
 * cover nothing; safeguarding covers every type. */
bool apst_consent_covers(const char *basis, int64_t kinds, const char *kind);
/* Bits for the given type codes; -1 if one is not a type. */
int64_t apst_consent_bits(const char *const *kinds, size_t n);
/* Checks a consent record; field errors "consent_basis", "consent_by",
 * "consent_on" (have_date: a valid date was given), "consent_kinds",
 * "consent_note".  family and young_person need who, when and at least one
 * type; safeguarding needs the concern (note); withdrawn needs the date.
 * Returns the number of errors added. */
int apst_consent_check(const char *basis, const char *by, bool have_date, int64_t kinds, const char *note,
                       struct field_errors *e);

/* FTE typed as a decimal ("0.6", "1", ".75", "1.0") into whole hundredths
 * (60, 100, 75).  0 ok (1..max hundredths); -1 when not such a number,
 * has more than two decimal places, or is out of range. */
int apst_fte_parse(const char *s, int max, int *hundredths);
/* Hundredths back as the shortest decimal: 60 -> "0.6", 75 -> "0.75",
 * 100 -> "1", 250 -> "2.5". */
void apst_fte_text(int64_t hundredths, char *out, size_t outsz);
/* Minutes as hours with one decimal place, rounded half up: 90 -> "1.5",
 * 20 -> "0.3", 0 -> "0". */
void apst_hours_text(int64_t minutes, char *out, size_t outsz);

/* A specialist post: kind code, first day and last day (0 = open). */
struct apst_post {
    const char *kind;
    int32_t starts;
    int32_t ends;
};
/* Whether the post is filled on day. */
bool apst_in_post(const struct apst_post *p, int32_t day);
/* How many of the recommended specialist types (not "other") have at least
 * one post filled on day; seen (may be NULL) gets, per entry of
 * codes_apst_specialist, whether it does. */
size_t apst_types_in_post(const struct apst_post *posts, size_t n, int32_t day, bool *seen);
/* True when the taskforce falls short of the model's minimum. */
bool apst_below_minimum(size_t types);

/* An agreement's review is overdue on day when its review date has passed. */
bool apst_review_overdue(int32_t review_on, int32_t day);
/* True for a formal (form-based) referral; informal otherwise. */
bool apst_route_formal(const char *route);
/* Outreach: the pupil's own school is not the AP school hosting the
 * taskforce (Figure 1, tier 1: targeted support in mainstream schools). */
bool apst_outreach(int64_t pupil_school_id, int64_t ap_school_id);

/* Checks a triage decision; adds field errors to e (fields "triage",
 * "tier", "lead_specialist_id", "threshold_met").  Accepted support needs
 * a tier and a lead specialist; a waiting list needs a tier; "pending" is
 * not a decision.  threshold: 1 met, 0 not met, -1 not recorded (allowed:
 * informal routes have no fixed thresholds), anything else an error.
 * Returns the number of errors added. */
int apst_triage_check(const char *triage, const char *tier, int64_t lead_specialist_id, int threshold,
                      struct field_errors *e);

/* Percentage n of base as a whole number, half up; -1 when base is 0. */
int apst_pct(int64_t n, int64_t base);

/* The advice's published figures, shown beside a return for comparison.
 * Annex, MI provided to DfE to October 2023 (over 4,000 pupils): */
#define APST_PILOT_SEND_PCT 79
#define APST_PILOT_FSM_PCT 54
#define APST_PILOT_SOCIAL_CARE_PCT 25
/* First half of autumn term 2023: of 1,420 pupils, 20 ended early, 13
 * refused; "the large majority (98%) ... engaged". */
#define APST_PILOT_SUPPORTED_HT1 1420
#define APST_PILOT_ENDED_EARLY_HT1 20
#define APST_PILOT_REFUSED_HT1 13
#define APST_PILOT_ENGAGED_PCT 98
/* England, pupils in state place-funded AP (2022/23): SEN 83%, FSM 58%;
 * sustained post-16 destination 59% (2021/22, against 94% from mainstream). */
#define APST_AP_SEN_PCT 83
#define APST_AP_FSM_PCT 58
#define APST_AP_POST16_SUSTAINED_PCT 59

/* Costs at the advice's averages ("Costs": simple means over the 22 pilot
 * schools; salaries with on-costs, 2023/24 prices; holiday provision
 * 2022/23 prices), in pence.  Set-up: office and meeting space £4,700,
 * equipment £6,000 (recruitment is "variable": not estimated).  A year:
 * the Taskforce Manager £36,000 (the total, not an FTE cost: most work part
 * time), SLT time £11,000, £46,000 per specialist FTE, holiday provision
 * £350 per pupil. */
#define APST_COST_OFFICE 470000
#define APST_COST_EQUIPMENT 600000
#define APST_COST_MANAGER 3600000
#define APST_COST_SLT 1100000
#define APST_COST_SPECIALIST_FTE 4600000
#define APST_COST_HOLIDAY_PUPIL 35000
struct apst_cost_plan {
    int64_t office, equipment, setup_total;
    int64_t manager, slt, specialists, holiday, year_total;
};
/* For specialist FTE (hundredths, rounded to the penny) and pupils given
 * holiday provision. */
void apst_cost_plan(int64_t specialist_fte, int64_t holiday_pupils, struct apst_cost_plan *out);
/* Planned against actual (issue 19, item 6), for a period of days.
 * Lines in the order of codes_apst_cost_line: office, equipment, manager,
 * slt, specialists, holiday.  Planned: the advice's averages -- set-up in
 * full when the taskforce started in the period, yearly lines for the
 * period's share of a year (days / 365), specialists at the FTE in post on
 * the last day, holiday provision at £350 for each pupil given it.  Actual:
 * what was entered for the line (periods inside this one), else for
 * specialists the FTE actually in post day by day at the average salary,
 * and for holiday provision the pupils given it at £350; else not known.
 * Variance: actual less planned (over budget is positive). */
extern const struct code_list codes_apst_cost_line;    /* office, equipment, manager, slt, specialists, holiday */
#define APST_COST_LINE_COUNT 6
enum apst_cost_source { APST_COST_NONE = 0, APST_COST_ENTERED, APST_COST_DERIVED };
struct apst_cost_inputs {
    int32_t from, to, started;         /* day numbers */
    int64_t fte_last_day;              /* hundredths in post on the last day */
    int64_t fte_days;                  /* sum over the period's days of hundredths in post */
    int64_t holiday_pupils;
    bool holiday_withheld;             /* the pupils are too few to show */
    int64_t entered[APST_COST_LINE_COUNT];
    bool have_entered[APST_COST_LINE_COUNT];
};
struct apst_cost_cmp_line {
    int64_t planned, actual, variance;
    enum apst_cost_source source;
    bool planned_withheld, actual_withheld;   /* shown as "c" */
};
struct apst_cost_compare {
    int64_t days;
    struct apst_cost_cmp_line line[APST_COST_LINE_COUNT];
    struct apst_cost_cmp_line total;   /* actual: the lines whose actual is known */
};
void apst_cost_compare(const struct apst_cost_inputs *in, struct apst_cost_compare *out);
/* Money typed in pounds ("1200", "1,200.50", "£36000") into pence;
 * 0 ok, -1 when not such an amount (negative, more than two decimal
 * places, over £10,000,000). */
int apst_money_parse(const char *s, int64_t *pence);

/* Pence as whole pounds with thousands separators, rounded half up:
 * 18400000 -> "£184,000". */
void apst_money_text(int64_t pence, char *out, size_t outsz);

#endif
