#include "core/gen_national.h"

#include <stdio.h>
#include <string.h>

#include "core/calendar.h"

const char *const gen_service_codes[GEN_SERVICES] = {"school", "strategic_lead", "case_coordinator", "ep",
                                                     "early_help", "salt", "mhst", "paediatrics"};
const char *const gen_service_names[GEN_SERVICES] = {"School", "TAS Strategic Lead", "TAS Case Coordinator",
                                                     "Educational Psychology", "Early Help",
                                                     "Speech and Language Therapy", "Mental Health Support Team",
                                                     "Community Paediatrics"};
const char *const gen_service_kinds[GEN_SERVICES] = {"school", "local_authority", "local_authority", "local_authority",
                                                     "local_authority", "health", "health", "health"};
const char *const gen_resource_titles[GEN_RESOURCES] = {"Triple P positive parenting", "Strengthening Families",
                                                        "Sleep resources", "Early Support Workshop",
                                                        "Emotional literacy guidance", "Local offer website"};
const char *const gen_resource_kinds[GEN_RESOURCES] = {"course", "course", "guidance", "workshop", "guidance",
                                                       "website"};

int gen_scale_named(const char *name, struct gen_scale *out)
{
    if (!strcmp(name, "national")) {
        out->authorities = 153;          /* English local authorities with schools */
        out->schools_per_authority = 131; /* about 20,000 schools */
        return 0;
    }
    if (!strcmp(name, "authority")) {
        out->authorities = 1;
        out->schools_per_authority = 131;
        return 0;
    }
    return -1;
}

static int pick(struct demo_rng *r, const unsigned *w, size_t n)
{
    return (int)demo_rng_weighted(r, w, n);
}

/* 1 yes, 0 no, -1 not recorded, with per-mille weights. */
static int flag(struct demo_rng *r, unsigned yes, unsigned no, unsigned nr)
{
    const unsigned w[3] = {yes, no, nr};
    static const int v[3] = {1, 0, -1};
    return v[pick(r, w, 3)];
}

static void census_row(struct gen_school *s, const char *dimension, const char *category, int pupils)
{
    if (s->npopulation < GEN_MAX_POPULATION && pupils > 0) {
        struct gen_population *p = &s->population[s->npopulation++];
        p->dimension = dimension;
        snprintf(p->category, sizeof p->category, "%s", category);
        p->pupils = pupils;
    }
}

/* A share of the roll for each category (weights w), each within a few
 * per cent of its expected size. */
static void census_split(struct demo_rng *r, struct gen_school *s, int roll, const char *dimension,
                         const char *const *cats, const unsigned *w, size_t n)
{
    unsigned total = 0;
    for (size_t i = 0; i < n; i++)
        total += w[i];
    for (size_t i = 0; i < n; i++) {
        int expect = (int)((long)roll * w[i] / total);
        int jitter = expect / 10 + 1;
        census_row(s, dimension, cats[i], expect - jitter / 2 + (int)demo_rng_below(r, (uint32_t)jitter + 1));
    }
}

/* The census of a school of this phase: the roll, then its split. */
static void census(struct demo_rng *r, struct gen_school *s)
{
    bool primary = !strcmp(s->phase, "primary"), secondary = !strcmp(s->phase, "secondary");
    int roll = primary ? 150 + (int)demo_rng_below(r, 300) : secondary ? 600 + (int)demo_rng_below(r, 900)
                                                                       : 80 + (int)demo_rng_below(r, 120);
    static const char *const g[] = {"M", "F"};
    static const unsigned gw[] = {51, 49};
    census_split(r, s, roll, "gender", g, gw, 2);
    static const char *const years[] = {"R", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"};
    static const unsigned yw[] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    if (primary)
        census_split(r, s, roll, "nc_year", years, yw, 7);
    else if (secondary)
        census_split(r, s, roll, "nc_year", years + 7, yw, 5);
    else
        census_split(r, s, roll, "nc_year", years, yw, 12);
    static const char *const e[] = {"WBRI", "WOTH", "AIND", "APKN", "BAFR", "BCRB", "MWBC", "MOTH", "CHNE",
                                    "OOTH", "NOBT", "REFU"};
    static const unsigned ew[] = {640, 70, 35, 35, 30, 12, 20, 25, 5, 15, 100, 13};
    census_split(r, s, roll, "ethnicity", e, ew, 12);
    static const char *const sen[] = {"N", "K", "E"};
    static const unsigned senw[] = {830, 130, 40};
    census_split(r, s, roll, "sen_provision", sen, senw, 3);
}

void gen_school_plan(struct demo_rng *r, int year, struct gen_school *s)
{
    memset(s, 0, sizeof *s);
    static const char *const phases[] = {"primary", "secondary", "special", "all-through"};
    static const unsigned phase_w[] = {80, 16, 3, 1};
    s->phase = phases[pick(r, phase_w, 4)];
    bool secondary = !strcmp(s->phase, "secondary");
    census(r, s);

    /* Twelve meetings, three weeks apart from early October. */
    int32_t day = day_from_ymd(year, 10, 2) + (int32_t)demo_rng_below(r, 10);
    int held[GEN_MAX_MEETINGS], nheld = 0;
    s->nmeetings = 12;
    for (int i = 0; i < s->nmeetings; i++, day += 21) {
        struct gen_meeting *m = &s->meetings[i];
        day_format(day, m->date);
        static const char *const st[] = {"held", "cancelled", "planned"};
        static const unsigned st_w[] = {60, 32, 8};
        m->status = st[pick(r, st_w, 3)];
        m->mode = demo_rng_below(r, 100) < 8 ? "online" : "in_person";
        if (!strcmp(m->status, "held")) {
            held[nheld++] = i;
            static const unsigned pct[GEN_SERVICES] = {100, 72, 98, 73, 77, 36, 15, 70};
            for (int k = 0; k < GEN_SERVICES; k++)
                if (demo_rng_below(r, 100) < pct[k])
                    m->present |= 1u << k;
        }
    }
    if (nheld == 0)
        return;

    /* About 75 cases a school: 1.5 million across England. */
    s->ncases = 50 + (int)demo_rng_below(r, 51);
    for (int c = 0; c < s->ncases; c++) {
        struct gen_case *k = &s->cases[c];
        static const char *const g[] = {"M", "F", "X", "U"};
        static const unsigned gw[] = {620, 355, 10, 15};
        snprintf(k->gender, sizeof k->gender, "%s", g[pick(r, gw, 4)]);
        static const char *const e[] = {"WBRI", "WOTH", "AIND", "APKN", "BAFR", "BCRB", "MWBC", "MOTH", "CHNE",
                                        "OOTH", "NOBT", "REFU"};
        static const unsigned ew[] = {520, 60, 40, 40, 30, 15, 40, 40, 5, 10, 180, 20};
        snprintf(k->ethnicity, sizeof k->ethnicity, "%s", e[pick(r, ew, 12)]);
        int ncy = secondary ? 7 + (int)demo_rng_below(r, 5) : (int)demo_rng_below(r, 7);
        if (ncy == 0)
            snprintf(k->nc_year, sizeof k->nc_year, "R");
        else
            snprintf(k->nc_year, sizeof k->nc_year, "%d", ncy);
        static const char *const sen[] = {"N", "K", "E"};
        static const unsigned senw[] = {55, 35, 10};
        snprintf(k->sen, sizeof k->sen, "%s", sen[pick(r, senw, 3)]);
        k->summary = flag(r, 860, 60, 80);
        k->ect = flag(r, 140, 700, 160);
        k->prior_sen = secondary ? flag(r, 700, 250, 50) : flag(r, 320, 620, 60);
        k->prior_paed = flag(r, 300, 500, 200);
        k->prior_eh = flag(r, 400, 400, 200);
        int first = (int)demo_rng_below(r, (uint32_t)nheld);
        k->new_meeting = held[first];
        int later = nheld - first - 1;
        static const unsigned rw[] = {40, 40, 12, 8};
        int want = pick(r, rw, 4);
        for (int i = 0; i < want && i < later && k->nreviews < GEN_MAX_REVIEWS; i++)
            k->reviews[k->nreviews++] = held[first + 1 + i];
        /* 5 million actions: about 3.3 a case. */
        k->nactions = 1 + (int)demo_rng_below(r, 6);
        for (int a = 0; a < k->nactions; a++) {
            struct gen_action *x = &k->actions[a];
            static const char *const set[] = {"school", "home", "health", "social_care", "other"};
            static const unsigned setw[] = {55, 25, 10, 5, 5};
            x->setting = set[pick(r, setw, 5)];
            static const char *const nat[] = {"coordination", "signposting_school", "signposting_parents",
                                              "school_adjustment", "advice", "referral", "assessment", "other"};
            static const unsigned natw[] = {21, 8, 12, 15, 14, 10, 10, 10};
            x->nature = nat[pick(r, natw, 8)];
            static const unsigned ow[] = {80, 2, 2, 5, 5, 2, 2, 2};
            x->owner = demo_rng_below(r, 100) < 5 ? -1 : pick(r, ow, GEN_SERVICES);
            x->resource = (!strncmp(x->nature, "signposting", 11) && demo_rng_below(r, 100) < 85)
                              ? (int)demo_rng_below(r, GEN_RESOURCES) : -1;
        }
    }
}
