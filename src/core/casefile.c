#include "core/casefile.h"
#include "lib/count.h"

#include <stdio.h>
#include <string.h>

#include "core/validate.h"

#define N(a) (COUNT(a))

/* The four broad areas of need of the SEND Code of Practice, and the two
 * other things TAS case summaries most often described. */
static const struct code_entry need_areas[] = {
    {"communication_interaction", "Communication and interaction", NULL},
    {"cognition_learning", "Cognition and learning", NULL},
    {"semh", "Social, emotional and mental health", NULL},
    {"sensory_physical", "Sensory and physical", NULL},
    {"attendance", "Attendance and engagement with school", NULL},
    {"family", "Home and family circumstances", NULL},
};
const struct code_list codes_need_area = {"need_area", need_areas, N(need_areas)};

/* Codes are the cases table's column names; group holds the report's
 * grouping (health, local authority, school). */
static const struct code_entry prior[] = {
    {"prior_paediatrics", "Community Paediatrics", "Health"},
    {"prior_mhst_camhs", "Mental Health Support Team or CAMHS", "Health"},
    {"prior_early_help", "Early Help", "Local authority"},
    {"prior_cin", "Children's Social Care: child in need", "Local authority"},
    {"prior_cp", "Children's Social Care: child protection plan", "Local authority"},
    {"prior_lac", "Children's Social Care: looked after child", "Local authority"},
    {"prior_sen_support", "SEN support in school", "School"},
    {"prior_ehcna", "EHC needs assessment requested", "Local authority"},
    {"prior_ehcp", "EHC plan", "Local authority"},
    {"prior_suspensions", "Previous suspensions", "School"},
    {"risk_pex", "At risk of permanent exclusion", "School"},
};
const struct code_list codes_prior_contact = {"prior_contact", prior, N(prior)};

static const struct code_entry closure[] = {
    {"needs_met", "Needs are being met; no further TAS support needed", NULL},
    {"service_involved", "A service is now leading the support", NULL},
    {"ehcp", "Moved to the EHC needs assessment or plan process", NULL},
    {"social_care", "Referred to Children's Social Care", NULL},
    {"left_school", "Left the school", NULL},
    {"consent_withdrawn", "Parental consent withdrawn", NULL},
    {"other", "Other reason", NULL},
};
const struct code_list codes_case_closure = {"case_closure", closure, N(closure)};

static const struct code_entry relationship[] = {
    {"mother", "Mother", NULL},
    {"father", "Father", NULL},
    {"parent", "Parent", NULL},
    {"carer", "Carer or guardian", NULL},
    {"foster_carer", "Foster carer", NULL},
    {"social_worker", "Social worker (for a looked after child)", NULL},
    {"young_person", "The young person (aged 16 or over)", NULL},
    {"other", "Other", NULL},
};
const struct code_list codes_consent_relationship = {"consent_relationship", relationship, N(relationship)};

int tristate_parse(const char *s)
{
    if (!s || !*s || strcmp(s, "unknown") == 0)
        return -1;
    if (strcmp(s, "yes") == 0)
        return 1;
    if (strcmp(s, "no") == 0)
        return 0;
    return -2;
}

const char *tristate_code(int v)
{
    return v == 1 ? "yes" : v == 0 ? "no" : "unknown";
}

const char *tristate_label(int v)
{
    return v == 1 ? "Yes" : v == 0 ? "No" : "Not known";
}

int case_text(const char *in, char *out, size_t outsz, const char *field, const char *label,
              struct field_errors *errs)
{
    char msg[160];
    out[0] = '\0';
    if (!in)
        return 0;
    if (trim_copy(in, out, outsz) < 0) {
        out[0] = '\0';
        snprintf(msg, sizeof msg, "%s must be %zu characters or fewer", label, outsz - 1);
        field_errors_add(errs, field, msg);
        return -1;
    }
    if (!text_is_clean(out, 1)) {
        out[0] = '\0';
        snprintf(msg, sizeof msg, "%s must only include letters, numbers, spaces and punctuation", label);
        field_errors_add(errs, field, msg);
        return -1;
    }
    return 0;
}

int case_text_required(const char *in, char *out, size_t outsz, const char *field, const char *label,
                       const char *missing, struct field_errors *errs)
{
    if (case_text(in, out, outsz, field, label, errs) != 0)
        return -1;
    if (!out[0]) {
        field_errors_add(errs, field, missing);
        return -1;
    }
    return 0;
}
