/* A generated England for measuring the dashboard at scale: every
 * authority, about 20,000 schools, 1.5 million cases and 5 million actions.
 * Pure and deterministic (demo_rng): this plans one school at a time and
 * the caller (cli/cli_generate.c) stores it.  Nobody in it is real. */
#ifndef TAS_CORE_GEN_NATIONAL_H
#define TAS_CORE_GEN_NATIONAL_H

#include <stdint.h>

#include "core/demo.h"
#include "core/outcomes.h"

#define GEN_SERVICES 8          /* school, strategic_lead, case_coordinator, ep, early_help, salt, mhst, paediatrics */
#define GEN_RESOURCES 6
#define GEN_MAX_MEETINGS 16
#define GEN_MAX_CASES 160
#define GEN_MAX_ACTIONS 8
#define GEN_MAX_REVIEWS 4

extern const char *const gen_service_codes[GEN_SERVICES];
extern const char *const gen_service_names[GEN_SERVICES];
extern const char *const gen_service_kinds[GEN_SERVICES];
extern const char *const gen_resource_titles[GEN_RESOURCES];
extern const char *const gen_resource_kinds[GEN_RESOURCES];

struct gen_meeting {
    char date[11];
    const char *status;          /* held cancelled planned */
    const char *mode;            /* in_person online */
    unsigned present;            /* held: bit i = service i present */
};

struct gen_action {
    const char *setting, *nature;
    int owner;                   /* service index, -1 none */
    int resource;                /* resource index, -1 none */
};

struct gen_case {
    char gender[2], ethnicity[5], nc_year[3], sen[2];
    int summary, ect, prior_sen, prior_paed, prior_eh;   /* 1, 0, -1 not recorded */
    int new_meeting;             /* index of a held meeting */
    int nreviews;
    int reviews[GEN_MAX_REVIEWS];
    int nactions;
    struct gen_action actions[GEN_MAX_ACTIONS];
};

/* The school's census: pupils on roll by dimension and category, as a
 * school would record them for the dashboard's population figures. */
#define GEN_MAX_POPULATION 40
struct gen_population {
    const char *dimension;       /* gender nc_year ethnicity sen_provision */
    char category[6];
    int pupils;
};

struct gen_school {
    const char *phase;
    int npopulation;
    struct gen_population population[GEN_MAX_POPULATION];
    int nmeetings;
    struct gen_meeting meetings[GEN_MAX_MEETINGS];
    int ncases;
    struct gen_case cases[GEN_MAX_CASES];
};

/* Scale: number of authorities and schools per authority. */
struct gen_scale { int authorities, schools_per_authority; };
int gen_scale_named(const char *name, struct gen_scale *out);   /* "national" | "authority"; 0 ok */

/* Plans the next school (its phase and census, a year of meetings from
 * October with attendance, its cases with reviews and actions) for the academic year
 * starting in year; the rng carries on from school to school. */
void gen_school_plan(struct demo_rng *r, int year, struct gen_school *out);

/* The outcome records a school's MIS export would give for one pupil
 * brought to TAS on `presented` (YYYY-MM-DD): attendance for the term the
 * day falls in and the two either side (English default term dates), and at
 * the rates below the other kinds (suspensions, permanent exclusion, part-time
 * timetable, EHC steps, social care, AP, FSM, pupil premium, EAL), dated
 * around that day.  Uses its own rng so that adding it left every other
 * generated row as it was.  Returns how many were written (at most max). */
#define GEN_MAX_OUTCOMES 24
size_t gen_case_outcomes(struct demo_rng *r, const char *presented, bool secondary, struct outcome_record *out,
                         size_t max);

#endif
