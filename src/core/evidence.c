#include "core/evidence.h"
#include "lib/count.h"

#include "core/text_words.h"

#include <ctype.h>
#include <string.h>

enum outcome_cell outcome_cell_of(int ei_appropriate, int referral_made)
{
    if ((ei_appropriate != 0 && ei_appropriate != 1) || (referral_made != 0 && referral_made != 1))
        return OC_UNCLASSIFIED;
    if (ei_appropriate)
        return referral_made ? OC_INAPPROPRIATE_REFERRAL : OC_AS_INTENDED_EARLY;
    return referral_made ? OC_AS_INTENDED_REFERRAL : OC_MISSED_OPPORTUNITY;
}

static const char *const cell_codes[OC__COUNT] = {
    [OC_UNCLASSIFIED] = "unclassified",
    [OC_INAPPROPRIATE_REFERRAL] = "inappropriate_referral",
    [OC_AS_INTENDED_EARLY] = "as_intended_early_intervention",
    [OC_AS_INTENDED_REFERRAL] = "as_intended_referral",
    [OC_MISSED_OPPORTUNITY] = "missed_opportunity",
};

static const char *const cell_labels[OC__COUNT] = {
    [OC_UNCLASSIFIED] = "Not yet classified",
    [OC_INAPPROPRIATE_REFERRAL] = "Inappropriate referrals",
    [OC_AS_INTENDED_EARLY] = "As intended: early intervention, no referral",
    [OC_AS_INTENDED_REFERRAL] = "As intended: referral where early intervention was not appropriate",
    [OC_MISSED_OPPORTUNITY] = "Missed opportunities",
};

const char *outcome_cell_code(enum outcome_cell c)
{
    return (unsigned)c < OC__COUNT ? cell_codes[c] : "unclassified";
}

const char *outcome_cell_label(enum outcome_cell c)
{
    return (unsigned)c < OC__COUNT ? cell_labels[c] : cell_labels[OC_UNCLASSIFIED];
}

static const struct code_entry story_patterns[] = {
    {"early_intervention", "Early intervention", NULL},
    {"referral_avoided", "Inappropriate referral avoided", NULL},
    {"missed_opportunity", "Missed opportunity", NULL},
};
const struct code_list codes_story_pattern = {"story_pattern", story_patterns,
                                              COUNT(story_patterns)};

/* needle in hay, any case, spaces in either ignored. */
static bool has_squeezed(const char *hay, const char *needle)
{
    char h[8192], nd[256];
    size_t hn = 0, nn = 0;
    for (const char *p = hay; *p && hn + 1 < sizeof h; p++)
        if (!isspace((unsigned char)*p))
            h[hn++] = (char)tolower((unsigned char)*p);
    for (const char *p = needle; *p && nn + 1 < sizeof nd; p++)
        if (!isspace((unsigned char)*p))
            nd[nn++] = (char)tolower((unsigned char)*p);
    h[hn] = nd[nn] = '\0';
    return nn >= 2 && strstr(h, nd) != NULL;
}

enum story_identifier story_find_identifier(const char *text, const char *forenames, const char *surname,
                                            const char *upn, const char *school)
{
    if (!text || !*text)
        return STORY_ID_NONE;
    if (text_has_name_part(text, forenames))
        return STORY_ID_FIRST_NAME;
    if (text_has_name_part(text, surname))
        return STORY_ID_LAST_NAME;
    if (upn && *upn && has_squeezed(text, upn))
        return STORY_ID_UPN;
    if (school && *school && text_has_word(text, school, strlen(school), false))
        return STORY_ID_SCHOOL;
    return STORY_ID_NONE;
}

const char *story_identifier_label(enum story_identifier id)
{
    switch (id) {
    case STORY_ID_FIRST_NAME: return "the pupil's first name";
    case STORY_ID_LAST_NAME: return "the pupil's last name";
    case STORY_ID_UPN: return "the pupil's UPN";
    case STORY_ID_SCHOOL: return "the school's name";
    case STORY_ID_NONE: break;
    }
    return "";
}
