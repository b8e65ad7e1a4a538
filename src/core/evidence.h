/* The evidence Annex A of the Bedford report plans beyond counts of
 * meetings: the outcomes matrix of a closed case, the patterns of change
 * stories, and the check that a story released to evaluators does not
 * name its pupil.  Pure: no I/O. */
#ifndef TAS_CORE_EVIDENCE_H
#define TAS_CORE_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/codes.h"

/* The report's outcomes matrix for TAS cases: "early intervention
 * appropriate" (rows) by "referral made" (columns).
 *                       referral made     no referral
 *   EI appropriate      inappropriate     as intended
 *   EI not appropriate  as intended       missed opportunity */
enum outcome_cell {
    OC_UNCLASSIFIED = 0,
    OC_INAPPROPRIATE_REFERRAL,     /* early intervention would have done; referred anyway */
    OC_AS_INTENDED_EARLY,          /* early intervention appropriate, no referral */
    OC_AS_INTENDED_REFERRAL,       /* early intervention not appropriate, referred */
    OC_MISSED_OPPORTUNITY,         /* early intervention not appropriate, not referred */
    OC__COUNT
};

/* ei, referral: 1 yes, 0 no, -1 not recorded (then OC_UNCLASSIFIED). */
enum outcome_cell outcome_cell_of(int ei_appropriate, int referral_made);
const char *outcome_cell_code(enum outcome_cell c);   /* "inappropriate_referral", ... */
const char *outcome_cell_label(enum outcome_cell c);  /* the report's words */

/* A change story's pattern: early_intervention, referral_avoided,
 * missed_opportunity. */
extern const struct code_list codes_story_pattern;

/* What a story may not contain, because it goes to evaluators. */
enum story_identifier {
    STORY_ID_NONE = 0,
    STORY_ID_FIRST_NAME,   /* any one of the forenames */
    STORY_ID_LAST_NAME,    /* the surname, or any part of a double-barrelled one */
    STORY_ID_UPN,
    STORY_ID_SCHOOL
};
/* The first identifier of the pupil found in text: a name as a whole
 * word, any case (so "Sam" is found in "Sam's" but not in "Samples"); the
 * UPN anywhere, any case, ignoring spaces; the school's name as a phrase,
 * any case.  Names shorter than two letters are not looked for.  NULL or
 * empty identifiers are skipped. */
enum story_identifier story_find_identifier(const char *text, const char *forenames, const char *surname,
                                            const char *upn, const char *school);
/* "the pupil's first name", ... for messages (never the identifier itself). */
const char *story_identifier_label(enum story_identifier id);

#endif
