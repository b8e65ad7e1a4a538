#include "core/gen_national.h"

#include <stdio.h>
#include <string.h>

#include "core/calendar.h"
#include "core/codes.h"

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

/* Outcome records of a pupil brought to TAS.  The pupils are those whose
 * needs are emerging, so the rates sit above England's for all pupils (DfE,
 * "Pupil absence in schools in England" 2023/24: 7.1% of sessions missed,
 * 20.0% persistently absent; "Suspensions and permanent exclusions in
 * England" 2022/23: 9.33 suspensions and 0.11 permanent exclusions per 100
 * pupils; "Schools, pupils and their characteristics": about a quarter
 * eligible for free school meals, about a fifth with English as an
 * additional language).  The figures are invented to be plausible, not
 * estimates of anything. */

struct outcome_sink {
    struct outcome_record *out;
    size_t n, max;
};

static struct outcome_record *add_outcome(struct outcome_sink *k, enum outcome_kind kind, int32_t starts,
                                          int32_t ends, const char *code)
{
    if (k->n == k->max)
        return NULL;
    struct outcome_record *o = &k->out[k->n++];
    memset(o, 0, sizeof *o);
    o->kind = kind;
    o->starts = starts;
    o->ends = ends;
    snprintf(o->code, sizeof o->code, "%s", code ? code : "");
    return o;
}

static int32_t weekdays(int32_t from, int32_t to)
{
    int32_t n = 0;
    for (int32_t d = from; d <= to; d++)
        n += day_weekday(d) <= 5;
    return n;
}

/* Attendance for the term holding `day` (or the next, in a holiday) and the
 * two either side; the pupil's absence rate changes once, after the day. */
static void gen_attendance(struct demo_rng *r, int32_t day, struct outcome_sink *k)
{
    int year = academic_year_of(day);
    struct half_term ht[18];
    int32_t closures[8];
    for (int y = 0; y < 3; y++)
        english_default_terms(year - 1 + y, &ht[6 * y], closures, 8);
    struct term_span terms[9];
    size_t nt = terms_from_half_terms(ht, 18, terms, 9);
    size_t at = 0;
    while (at < nt && terms[at].ends < day)
        at++;
    static const unsigned band_w[] = {60, 30, 10};
    static const unsigned lo[] = {20, 90, 200}, hi[] = {90, 200, 450};   /* per mille of sessions */
    int band = pick(r, band_w, 3);
    unsigned before = lo[band] + demo_rng_below(r, hi[band] - lo[band]);
    unsigned after = before * (60 + demo_rng_below(r, 71)) / 100;          /* 0.6 to 1.3 times */
    for (size_t t = at >= 2 ? at - 2 : 0; t < nt && t <= at + 2; t++) {
        /* Two sessions a school day; the half-term week is a holiday. */
        int64_t possible = 2 * (weekdays(terms[t].starts, terms[t].ends) - 5);
        unsigned rate = terms[t].starts > day ? after : before;
        rate = rate * (80 + demo_rng_below(r, 41)) / 100;                   /* 0.8 to 1.2 from term to term */
        struct outcome_record *o = add_outcome(k, OUT_ATTENDANCE, terms[t].starts, terms[t].ends, NULL);
        if (!o)
            return;
        o->sessions_possible = possible;
        o->sessions_missed = possible * rate / 1000;
    }
}

static const char *pick_code(struct demo_rng *r, const struct code_list *l, const char *usual)
{
    /* The usual reason half the time (persistent disruptive behaviour is
     * the commonest), else any on the list. */
    if (usual && demo_rng_below(r, 2) == 0 && code_find(l, usual))
        return usual;
    return l->entries[demo_rng_below(r, (uint32_t)l->count)].code;
}

size_t gen_case_outcomes(struct demo_rng *r, const char *presented, bool secondary, struct outcome_record *out,
                         size_t max)
{
    struct outcome_sink k = {out, 0, max};
    int32_t day;
    if (day_parse(presented, &day) != 0)
        return 0;
    gen_attendance(r, day, &k);
    /* Suspensions: one to three, across the year either side, for 18% of
     * secondary pupils and 6% of others; one to five days each. */
    if (demo_rng_below(r, 100) < (secondary ? 18u : 6u)) {
        int n = 1 + (int)demo_rng_below(r, 3);
        for (int i = 0; i < n; i++) {
            int32_t on = day - 300 + (int32_t)demo_rng_below(r, 600);
            while (day_weekday(on) > 5)
                on++;
            struct outcome_record *o = add_outcome(&k, OUT_SUSPENSION, on, 0,
                                                   pick_code(r, &codes_exclusion_reason, "DB"));
            if (o)
                o->sessions = 2 * (1 + (int)demo_rng_below(r, 5));
        }
    }
    /* Permanent exclusion after the day: 0.8% of secondary pupils, 0.1% of others. */
    if (demo_rng_below(r, 1000) < (secondary ? 8u : 1u)) {
        int32_t on = day + 30 + (int32_t)demo_rng_below(r, 200);
        while (day_weekday(on) > 5)
            on++;
        add_outcome(&k, OUT_EXCLUSION, on, 0, pick_code(r, &codes_exclusion_reason, "DB"));
    }
    if (demo_rng_below(r, 100) < 3)
        add_outcome(&k, OUT_PART_TIME, day - 60 + (int32_t)demo_rng_below(r, 120),
                    demo_rng_below(r, 2) ? day + 90 + (int32_t)demo_rng_below(r, 60) : 0, NULL);
    if (demo_rng_below(r, 100) < 7) {
        int32_t asked = day + 20 + (int32_t)demo_rng_below(r, 100);
        add_outcome(&k, OUT_EHC_ASSESSMENT, asked, 0, "requested");
        if (demo_rng_below(r, 10) < 6) {
            add_outcome(&k, OUT_EHC_ASSESSMENT, asked + 140, 0, "issued");
            add_outcome(&k, OUT_EHC_PLAN, asked + 140, 0, NULL);
        } else {
            add_outcome(&k, OUT_EHC_ASSESSMENT, asked + 42, 0, "refused");
        }
    }
    static const char *const care[] = {"CIN", "CP", "LAC"};
    static const unsigned care_w[] = {5, 2, 1};
    if (demo_rng_below(r, 100) < 8)
        add_outcome(&k, OUT_SOCIAL_CARE, day - 200 + (int32_t)demo_rng_below(r, 400), 0, care[pick(r, care_w, 3)]);
    if (secondary && demo_rng_below(r, 1000) < 15) {
        int32_t from = day + 60 + (int32_t)demo_rng_below(r, 120);
        add_outcome(&k, OUT_AP_PLACEMENT, from, demo_rng_below(r, 2) ? from + 84 : 0, NULL);
    }
    if (demo_rng_below(r, 100) < 38) {
        int32_t from = day - 365 * (1 + (int32_t)demo_rng_below(r, 4));
        add_outcome(&k, OUT_FSM, from, 0, NULL);
        add_outcome(&k, OUT_PUPIL_PREMIUM, from, 0, NULL);
    } else if (demo_rng_below(r, 100) < 5) {
        add_outcome(&k, OUT_PUPIL_PREMIUM, day - 365, 0, NULL);
    }
    if (demo_rng_below(r, 100) < 17)
        add_outcome(&k, OUT_EAL, day - 365 * (2 + (int32_t)demo_rng_below(r, 5)), 0, NULL);
    return k.n;
}
