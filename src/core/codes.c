/* DfE code lists.  Sources: the DfE Common Basic Data Set (CBDS), the
 * Children in Need census (the ethnicity codes of its validation rule
 * 4220) and the GSS harmonised standard for ethnicity (its top-level
 * groups, as DfE publishes them). */
#include "core/codes.h"
#include "lib/count.h"

#include <string.h>


/* GSS top-level groups: DfE guidance is to publish these five (plus
 * Unknown), not "BAME". */
#define G_WHITE "White"
#define G_MIXED "Mixed / Multiple ethnic groups"
#define G_ASIAN "Asian / Asian British"
#define G_BLACK "Black / African / Caribbean / Black British"
#define G_OTHER "Other ethnic group"
#define G_UNKNOWN "Unknown"

static const struct code_entry ethnicity[] = {
    {"WBRI", "White British", G_WHITE},
    {"WIRI", "White Irish", G_WHITE},
    {"WIRT", "Traveller of Irish heritage", G_WHITE},
    {"WROM", "Gypsy / Roma", G_WHITE},
    {"WOTH", "Any other White background", G_WHITE},
    {"MWBC", "White and Black Caribbean", G_MIXED},
    {"MWBA", "White and Black African", G_MIXED},
    {"MWAS", "White and Asian", G_MIXED},
    {"MOTH", "Any other Mixed background", G_MIXED},
    {"AIND", "Indian", G_ASIAN},
    {"APKN", "Pakistani", G_ASIAN},
    {"ABAN", "Bangladeshi", G_ASIAN},
    {"AOTH", "Any other Asian background", G_ASIAN},
    /* GSS puts Chinese under Asian although older DfE files list it apart. */
    {"CHNE", "Chinese", G_ASIAN},
    {"BCRB", "Black Caribbean", G_BLACK},
    {"BAFR", "Black African", G_BLACK},
    {"BOTH", "Any other Black background", G_BLACK},
    {"OOTH", "Any other ethnic group", G_OTHER},
    {"REFU", "Refused", G_UNKNOWN},
    {"NOBT", "Information not yet obtained", G_UNKNOWN},
};

static const struct code_entry sen_provision[] = {
    {"N", "No special educational need", NULL},
    {"K", "SEN support", NULL},
    {"E", "EHC plan", NULL},
};

static const struct code_entry nc_year[] = {
    {"N1", "Nursery 1", NULL},
    {"N2", "Nursery 2", NULL},
    {"R", "Reception", NULL},
    {"1", "Year 1", NULL},
    {"2", "Year 2", NULL},
    {"3", "Year 3", NULL},
    {"4", "Year 4", NULL},
    {"5", "Year 5", NULL},
    {"6", "Year 6", NULL},
    {"7", "Year 7", NULL},
    {"8", "Year 8", NULL},
    {"9", "Year 9", NULL},
    {"10", "Year 10", NULL},
    {"11", "Year 11", NULL},
    {"12", "Year 12", NULL},
    {"13", "Year 13", NULL},
    {"14", "Year 14", NULL},
    {"X", "Not following the National Curriculum", NULL},
};

static const struct code_entry gender[] = {
    {"M", "Male", NULL},
    {"F", "Female", NULL},
    {"X", "Non-binary or other", NULL},
    {"U", "Not recorded", NULL},
};

static const struct code_entry phase[] = {
    {"nursery", "Nursery", NULL},
    {"primary", "Primary", NULL},
    {"middle", "Middle", NULL},
    {"secondary", "Secondary", NULL},
    {"all-through", "All-through", NULL},
    {"special", "Special", NULL},
    {"ap", "Alternative provision", NULL},
};

static const struct code_entry sen_need[] = {
    {"SPLD", "Specific learning difficulty", NULL},
    {"MLD", "Moderate learning difficulty", NULL},
    {"SLD", "Severe learning difficulty", NULL},
    {"PMLD", "Profound and multiple learning difficulty", NULL},
    {"SEMH", "Social, emotional and mental health", NULL},
    {"SLCN", "Speech, language and communication needs", NULL},
    {"HI", "Hearing impairment", NULL},
    {"VI", "Vision impairment", NULL},
    {"MSI", "Multi-sensory impairment", NULL},
    {"PD", "Physical disability", NULL},
    {"ASD", "Autistic spectrum disorder", NULL},
    {"DS", "Down syndrome", NULL},
    {"OTH", "Other difficulty or disability", NULL},
    {"NSA", "SEN support but no specialist assessment of type of need", NULL},
};

/* Suspension and permanent exclusion reasons of the school census
 * exclusions module, in force from 2020/21 (DfE, "Suspensions and permanent
 * exclusions in England", methodology; Complete Biographical Data Set).  The
 * labels are ours, written short for forms and tables. */
static const struct code_entry exclusion_reason[] = {
    {"PP", "Physical assault against a pupil", NULL},
    {"PA", "Physical assault against an adult", NULL},
    {"VP", "Verbal abuse or threats against a pupil", NULL},
    {"VA", "Verbal abuse or threats against an adult", NULL},
    {"OW", "Offensive weapon or prohibited item, used or threatened", NULL},
    {"BU", "Bullying", NULL},
    {"RA", "Racist abuse", NULL},
    {"LG", "Abuse about sexual orientation or gender identity", NULL},
    {"DS", "Abuse about disability", NULL},
    {"SM", "Sexual misconduct", NULL},
    {"DA", "Drugs or alcohol", NULL},
    {"DM", "Damage to property", NULL},
    {"TH", "Theft", NULL},
    {"DB", "Persistent or general disruptive behaviour", NULL},
    {"MT", "Misuse of social media or online technology", NULL},
    {"PH", "Repeatedly breaking public health measures", NULL},
};

/* Children's social care involvement, as the children in need census
 * counts it (DfE, "Children in need census" guide). */
static const struct code_entry social_care[] = {
    {"CIN", "Child in need", NULL},
    {"CP", "Child protection plan", NULL},
    {"LAC", "Looked after", NULL},
};

/* Steps of an EHC needs assessment (Children and Families Act 2014, s.36). */
static const struct code_entry ehc_assessment[] = {
    {"requested", "Assessment requested", NULL},
    {"refused", "Assessment refused", NULL},
    {"issued", "EHC plan issued", NULL},
};

/* Post-16 destination: in education, employment or training, or not
 * (DfE, "Participation in education, training and employment age 16 to 18"). */
static const struct code_entry post16[] = {
    {"EET", "In education, employment or training", NULL},
    {"NEET", "Not in education, employment or training", NULL},
};

const struct code_list codes_exclusion_reason = {"exclusion_reason", exclusion_reason,
                                                 COUNT(exclusion_reason)};
const struct code_list codes_social_care = {"social_care", social_care, COUNT(social_care)};
const struct code_list codes_ehc_assessment = {"ehc_assessment", ehc_assessment, COUNT(ehc_assessment)};
const struct code_list codes_post16 = {"post16", post16, COUNT(post16)};
const struct code_list codes_ethnicity = {"ethnicity", ethnicity, COUNT(ethnicity)};
const struct code_list codes_sen_provision = {"sen_provision", sen_provision, COUNT(sen_provision)};
const struct code_list codes_nc_year = {"nc_year", nc_year, COUNT(nc_year)};
const struct code_list codes_gender = {"gender", gender, COUNT(gender)};
const struct code_list codes_phase = {"phase", phase, COUNT(phase)};
const struct code_list codes_sen_need = {"sen_need", sen_need, COUNT(sen_need)};

static const struct code_entry org_group[] = {
    {"school", "School", NULL}, {"la", "Local authority", NULL}, {"health", "Health", NULL}, {"other", "Other", NULL}};
const struct code_list codes_org_group = {"org_group", org_group, COUNT(org_group)};

const struct code_entry *code_find(const struct code_list *l, const char *code)
{
    if (!l || !code)
        return NULL;
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->entries[i].code, code) == 0)
            return &l->entries[i];
    return NULL;
}

const char *code_label(const struct code_list *l, const char *code)
{
    const struct code_entry *e = code_find(l, code);
    return e ? e->label : NULL;
}

int code_index_of(const char *const *names, size_t n, const char *s)
{
    for (size_t i = 0; s && i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return (int)i;
    return -1;
}

/* Extended codes we know (the CBDS extended ethnicity list).  The Asian, Black, Chinese and
 * Other sub-codes were not available when this was written, and the MOTH
 * family is incomplete; unknown extended codes are refused rather than
 * guessed. */
static const struct {
    const char *ext, *main;
} ethnicity_ext[] = {
    {"WCOR", "WBRI"}, {"WENG", "WBRI"}, {"WNIR", "WBRI"},
    {"WSCO", "WBRI"}, {"WWEL", "WBRI"}, {"WOWB", "WBRI"},
    {"WALB", "WOTH"}, {"WBOS", "WOTH"}, {"WCRO", "WOTH"},
    {"WGRE", "WOTH"}, {"WGRK", "WOTH"}, {"WGRC", "WOTH"},
    {"WITA", "WOTH"}, {"WKOS", "WOTH"}, {"WPOR", "WOTH"},
    {"WSER", "WOTH"}, {"WTUR", "WOTH"}, {"WTUK", "WOTH"},
    {"WTUC", "WOTH"}, {"WEUR", "WOTH"}, {"WEEU", "WOTH"},
    {"WWEU", "WOTH"}, {"WOTW", "WOTH"},
    {"WROG", "WROM"}, {"WROR", "WROM"}, {"WROO", "WROM"},
    {"MWAP", "MWAS"}, {"MWAI", "MWAS"}, {"MWAO", "MWAS"},
    {"MAOE", "MOTH"}, {"MABL", "MOTH"},
};

const char *ethnicity_main_code(const char *code)
{
    const struct code_entry *e = code_find(&codes_ethnicity, code);
    if (e)
        return e->code;
    if (!code)
        return NULL;
    for (size_t i = 0; i < COUNT(ethnicity_ext); i++)
        if (strcmp(ethnicity_ext[i].ext, code) == 0)
            return ethnicity_ext[i].main;
    return NULL;
}
