/* A synthetic demonstration local authority: schools, pupils known to TAS
 * and one user per role.  Pure and deterministic: the same seed and today
 * give a byte-identical plan on every platform (integer-only choices, no
 * rand(), no locale, no clock).  Nobody in it is real; the LA code is one
 * missing from the DfE list of LA numbers, so a demo UPN should never
 * equal a real child's. */
#ifndef TAS_CORE_DEMO_H
#define TAS_CORE_DEMO_H

#include <stddef.h>
#include <stdint.h>

#include "core/records.h"

/* splitmix64: tiny, full-period, identical output everywhere. */
struct demo_rng { uint64_t state; };
void demo_rng_seed(struct demo_rng *r, uint64_t seed);
uint64_t demo_rng_next(struct demo_rng *r);
/* Unbiased, 0..n-1 (0 when n is 0). */
uint32_t demo_rng_below(struct demo_rng *r, uint32_t n);
/* Index chosen with the given integer weights (0 when all are 0 or n is 0). */
size_t demo_rng_weighted(struct demo_rng *r, const unsigned *weights, size_t n);

struct demo_user {
    char username[32];
    char display_name[64];
    char role[24];        /* policy role code: admin dpo strategic_lead case_coordinator school_lead practitioner evaluator steering
                             budget_holder budget_approver */
    char scope[12];       /* "authority" or "school" or "service" */
    int school_index;     /* index into plan.schools for school scope, else -1 */
    char detail[24];      /* school_lead: "head"/"senco"; practitioner: service code e.g. "ep" */
};

#define DEMO_MAX_SCHOOLS 24
#define DEMO_MAX_USERS 16

/* Schools come in a fixed order: 0..11 TAS primaries, 12..17 TAS
 * secondaries, 18..21 comparison primaries, 22..23 comparison secondaries.
 * Pupils are grouped by school in that order. */
struct demo_plan {
    struct authority authority;          /* la_code, fictional name, id 0 */
    size_t nschools;
    struct school schools[DEMO_MAX_SCHOOLS]; /* authority_id/id 0; the lead fills ids */
    char estab[DEMO_MAX_SCHOOLS][5];     /* DfE establishment number per school ("2xxx" primary, "3xxx" church primary, "4xxx" secondary) */
    size_t npupils;
    struct pupil *pupils;                /* malloc'd; school_id holds the INDEX into schools[] (the lead maps it to ids) */
    size_t nusers;
    struct demo_user users[DEMO_MAX_USERS];
};

/* today "YYYY-MM-DD" decides the academic year (starts 1 September; age on
 * 31 August decides NC year).  0 ok; -1 on allocation failure or a
 * malformed today.  *out is always safe to pass to demo_plan_free. */
int demo_plan_authority(uint64_t seed, const char *today, struct demo_plan *out);
void demo_plan_free(struct demo_plan *p);

#endif
