/* Fast feedback questionnaires (Annex A of the Bedford report): the
 * statements of a questionnaire, and its results by the respondents' kind
 * of organisation (school, local authority, health, other; the report's
 * Figures 5a-5b), with groups below a minimum size withheld.  Pure. */
#ifndef TAS_CORE_SURVEY_H
#define TAS_CORE_SURVEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/codes.h"

#define SURVEY_MAX_ITEMS 6
#define SURVEY_ITEM_MAX 201
#define SURVEY_GROUPS 4          /* school, la, health, other: codes_org_group's order */

extern const struct code_list codes_survey_likert;  /* "1" Strongly disagree .. "5" Strongly agree */
extern const struct code_list codes_survey_sentiment; /* "1" Very negative .. "5" Very positive */

/* Splits statements, one a line, trimmed, blank lines skipped, into
 * items; returns how many (1..SURVEY_MAX_ITEMS), or -1 when there are none,
 * too many, or one is longer than SURVEY_ITEM_MAX-1 bytes. */
int survey_items(const char *text, char items[SURVEY_MAX_ITEMS][SURVEY_ITEM_MAX]);

struct survey_results {
    int nitems;
    int64_t respondents[SURVEY_GROUPS];
    int64_t sum[SURVEY_GROUPS][SURVEY_MAX_ITEMS];     /* of the scores given */
    int64_t answered[SURVEY_GROUPS][SURVEY_MAX_ITEMS];/* scores given */
    int64_t agree[SURVEY_GROUPS][SURVEY_MAX_ITEMS];   /* 4 or 5 */
    int64_t sentiment_sum[SURVEY_GROUPS], sentiment_n[SURVEY_GROUPS];
    bool withheld[SURVEY_GROUPS];                     /* fewer respondents than the minimum */
};

/* Adds one score (1..5) of a respondent of group g to item i; out of range: ignored. */
void survey_add_score(struct survey_results *r, int g, int item, int score);
/* Withholds every group with fewer than min respondents but more than 0
 * (min < 2: none); when exactly one group is withheld and others are shown,
 * the smallest shown group is withheld too, so a reader who knows how many
 * answered cannot work the one out.  Withheld groups' figures are zeroed. */
void survey_suppress(struct survey_results *r, int min);
/* Mean score of item i in group g, times 10 and rounded (e.g. 43 for 4.3);
 * -1 when none or withheld. */
int survey_mean10(const struct survey_results *r, int g, int item);

#endif
