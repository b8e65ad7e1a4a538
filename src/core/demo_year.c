/* The demonstration authority's year of TAS work.  Rates follow the
 * Bedford TAS pilot learning report (Data Dashboard, figures 3d, 4a-4c,
 * 5c); every text is invented.  One splitmix64 stream, drawn in a fixed
 * order, so the year depends only on (seed, today, the authority plan). */
#include "core/demo_year.h"
#include "lib/count.h"

#include "core/codes.h"
#include "core/order.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* ---- small helpers -------------------------------------------------------- */

static int between(struct demo_rng *r, int lo, int hi)
{
    return hi <= lo ? lo : lo + (int)demo_rng_below(r, (uint32_t)(hi - lo + 1));
}

/* True with probability pct in 100. */
static bool chance(struct demo_rng *r, unsigned pct)
{
    return demo_rng_below(r, 100) < pct;
}

/* A string from a weighted table. */
struct wstr {
    const char *s;
    unsigned w;
};

static const char *wpick(struct demo_rng *r, const struct wstr *t, size_t n)
{
    unsigned w[16];
    for (size_t i = 0; i < n && i < 16; i++)
        w[i] = t[i].w;
    return t[demo_rng_weighted(r, w, n < 16 ? n : 16)].s;
}

#define WPICK(r, t) wpick((r), (t), COUNT(t))
#define PICK(r, list) ((list)[demo_rng_below((r), (uint32_t)COUNT(list))])

static int32_t max32(int32_t a, int32_t b) { return a > b ? a : b; }
static int32_t min32(int32_t a, int32_t b) { return a < b ? a : b; }

/* ---- services --------------------------------------------------------------- */

static const char *const service_codes[DY_SERVICE__COUNT] = {
    "school", "strategic_lead", "case_coordinator", "early_help", "ep", "salt", "mhst",
    "paediatrics", "school_nurse", "csc", "camhs",
};

const char *dy_service_code(enum dy_service s)
{
    return (unsigned)s < DY_SERVICE__COUNT ? service_codes[s] : "";
}

/* ---- terms ------------------------------------------------------------------ */

size_t demo_year_terms(int year, struct half_term terms[6], int32_t *closures, size_t max_closures)
{
    return english_default_terms(year, terms, closures, max_closures);
}

/* ---- people ------------------------------------------------------------------- */

static const char *const women[] = {
    "Claire", "Sarah", "Emma", "Rachel", "Nadia", "Joanne", "Aisha", "Karen", "Laura", "Sinead",
    "Priya", "Gemma", "Hannah", "Agnieszka", "Michelle", "Yasmin", "Lucy", "Funmi", "Tracey", "Mei",
};
static const char *const men[] = {
    "David", "Mark", "Imran", "Paul", "Tomasz", "Gareth", "Kwame", "Richard", "Sunil", "Liam",
    "Andrew", "Darren", "Hassan", "Neil", "Marco", "Stuart", "Ade", "Simon", "Craig", "Rajesh",
};
static const char *const surnames[] = {
    "Bennett", "Hughes", "Okafor", "Patel", "Kowalski", "Doherty", "Ahmed", "Clarke", "Mensah", "Fraser",
    "Lloyd", "Rahman", "Turner", "Walsh", "Chen", "Gill", "Harper", "Nowak", "Osei", "Sutton",
    "Barker", "Iqbal", "Marsh", "Reid", "Tan", "Quinn", "Baptiste", "Foster", "Kaur", "Webb",
};

static void adult_name(struct demo_rng *r, char *out, size_t n)
{
    const char *first = chance(r, 65) ? PICK(r, women) : PICK(r, men);
    snprintf(out, n, "%s %s", first, PICK(r, surnames));
}

/* ---- teams ------------------------------------------------------------------ */

/* Schools 0..11 are TAS primaries, 12..17 TAS secondaries (core/demo.h).
 * Two pairs of small primaries and two secondaries meet as clusters, as in
 * the Somerset model; the rest meet alone.  Most primaries meet every three
 * weeks and most secondaries fortnightly (report 2.1), starting in October,
 * a few in the first week of November. */
static const struct team_def {
    int schools[DY_TEAM_SCHOOLS];
    size_t n;
    enum cadence cadence;
    int weekday;
    const char *time;
    int start;              /* days after 1 October the team is set up */
} team_defs[] = {
    {{0}, 1, CADENCE_THREE_WEEKLY, 2, "13:30", 0},
    {{1}, 1, CADENCE_THREE_WEEKLY, 3, "09:00", 6},
    {{2}, 1, CADENCE_THREE_WEEKLY, 4, "13:30", 13},
    {{3}, 1, CADENCE_TWICE_HALF_TERMLY, 1, "15:45", 2},
    {{4}, 1, CADENCE_THREE_WEEKLY, 5, "09:15", 23},
    {{5}, 1, CADENCE_THREE_WEEKLY, 2, "09:00", 20},
    {{6}, 1, CADENCE_THREE_WEEKLY, 3, "13:30", 33},
    {{7, 8}, 2, CADENCE_THREE_WEEKLY, 4, "09:30", 16},
    {{9}, 1, CADENCE_TWICE_HALF_TERMLY, 3, "15:30", 4},
    {{10, 11}, 2, CADENCE_THREE_WEEKLY, 1, "13:00", 34},
    {{12}, 1, CADENCE_FORTNIGHTLY, 2, "10:00", 27},
    {{13}, 1, CADENCE_FORTNIGHTLY, 4, "14:00", 20},
    {{14}, 1, CADENCE_THREE_WEEKLY, 3, "10:30", 7},
    {{15}, 1, CADENCE_THREE_WEEKLY, 1, "11:00", 33},
    {{16, 17}, 2, CADENCE_THREE_WEEKLY, 5, "10:00", 10},
};

static const enum dy_service primary_members[] = {DY_EARLY_HELP, DY_EP, DY_PAEDIATRICS, DY_SALT};
static const enum dy_service secondary_members[] = {DY_EARLY_HELP, DY_EP, DY_PAEDIATRICS, DY_SALT, DY_MHST};

/* Share of held meetings each standing row attended (Data Dashboard). */
static unsigned attend_pct(bool secondary, int row, enum dy_service s)
{
    if (row == 0 || row == 2)
        return 100;                     /* school, case coordinator */
    if (row == 1)
        return secondary ? 60 : 77;     /* strategic lead */
    switch (s) {
    case DY_EARLY_HELP: return secondary ? 83 : 75;
    case DY_EP: return secondary ? 70 : 75;
    case DY_PAEDIATRICS: return secondary ? 43 : 86;
    case DY_SALT: return secondary ? 80 : 11;
    case DY_MHST: return secondary ? 35 : 0;
    default: return 50;
    }
}

static const char *const locations[] = {"School meeting room", "Library", "SENCO's office",
                                        "Conference room", "Family room"};

static const struct wstr cancel_reasons[] = {
    {"Not enough new cases to discuss", 30},
    {"Key school staff unavailable", 18},
    {"Service representatives unavailable", 14},
    {"Clash with a school event", 10},
    {"Staff illness", 10},
    {"Ofsted inspection", 4},
    {"Moved to the next meeting at the school's request", 10},
    {"Strike day", 4},
};

/* ---- case summaries --------------------------------------------------------- */

static const char *const need_text[CASE_NEED_AREAS][5] = {
    {"Limited expressive language; finds it hard to follow instructions given to the whole class.",
     "Struggles to take turns in conversation and to join in play with other children.",
     "Speech is unclear to unfamiliar adults; becomes frustrated when not understood.",
     "Literal understanding of language; distressed by changes to routine.",
     "Rarely speaks in class although talks at home."},
    {"Working well below age-related expectations in reading and writing.",
     "Difficulty retaining number facts despite small-group support.",
     "Short attention span; rarely completes independent tasks.",
     "Slow processing; needs instructions repeated and broken down.",
     "Progress has stalled since the last academic year."},
    {"Anxious on arrival; separation from parent is difficult most mornings.",
     "Frequent angry outbursts at lunchtime; several incidents with peers.",
     "Withdrawn and tearful in lessons; low self-esteem.",
     "Masking at school, with distress and meltdowns at home after school.",
     "Has disclosed low mood; self-harm concern raised by a friend."},
    {"Sensory sensitivities: covers ears in assembly and the dining hall.",
     "Toileting accidents in school; drinks very little during the day.",
     "Poor fine motor skills; handwriting is effortful and slow.",
     "Hearing loss suspected; sits close to the board.",
     "Very low energy; frequently complains of headaches."},
    {"Attendance below 85% this term, mostly Mondays.",
     "Refuses to come into school on some days; parent struggles to get them in.",
     "Frequently late; misses the start of the day.",
     "Part-time timetable agreed after a period of absence.",
     "Avoids particular lessons and is found out of class."},
    {"Recent family separation; moves between two homes.",
     "Parent has health difficulties; young carer responsibilities.",
     "Family recently rehoused; sharing one room.",
     "Sleep routine is poor; parent asks for advice.",
     "Bereavement in the family this year."},
};
static const unsigned need_w_primary[CASE_NEED_AREAS] = {30, 25, 35, 8, 6, 15};
static const unsigned need_w_secondary[CASE_NEED_AREAS] = {12, 15, 45, 5, 25, 20};

static const char *const strengths[] = {
    "Kind to younger children; loves art and building models.",
    "Good sense of humour; enjoys helping adults in class.",
    "Strong in maths; enjoys football at lunchtime.",
    "Creative writer when interested in the topic.",
    "Good relationship with the class teaching assistant.",
    "Enjoys music and has started learning an instrument.",
};
static const char *const tried[] = {
    "Visual timetable, a quiet space to go to and a daily check-in with a trusted adult.",
    "Small-group phonics and precision teaching three times a week.",
    "Meet and greet in the morning; reduced timetable for two weeks.",
    "Zones of Regulation in class; movement breaks.",
    "Home-school communication book; meeting with parents every half term.",
    "Referral to the school's ELSA for six sessions.",
};
static const char *const child_voices[] = {
    "\"I don't like it when it's noisy.\"",
    "\"I want to have more friends.\"",
    "\"Lessons are too hard and everyone looks at me.\"",
    "Says they like school but not playtimes.",
    "Would like to sit nearer the front.",
    "\"I get angry and then I can't stop.\"",
};
static const char *const parent_voices[] = {
    "Parent is worried and would welcome advice on managing evenings.",
    "Parent sees the same behaviour at home and has asked the GP for help.",
    "Parent feels school is the only place that listens.",
    "Parent is not sure the difficulties are as large as school describes.",
    "Parent would like to know about parenting courses.",
};
static const char *const hoped[] = {
    "Settles into class calmly most mornings within half a term.",
    "Makes expected progress in reading by the end of the year.",
    "Fewer incidents at lunchtime; a plan everyone follows.",
    "Attendance back above 90%.",
    "Family know where to go for support.",
    "A clear picture of needs, so the right service is involved.",
};

/* Prior contact with services, % of cases (figure 3d), primary/secondary.
 * SEN support and EHC plan come from the pupil's SEN provision instead. */
static const unsigned prior_pct[CASE_PRIOR_FLAGS][2] = {
    {25, 44}, /* prior_paediatrics */
    {14, 39}, /* prior_mhst_camhs */
    {31, 59}, /* prior_early_help */
    {5, 13},  /* prior_cin */
    {1, 4},   /* prior_cp */
    {1, 2},   /* prior_lac */
    {0, 0},   /* prior_sen_support: pupil */
    {3, 3},   /* prior_ehcna */
    {0, 0},   /* prior_ehcp: pupil */
    {1, 22},  /* prior_suspensions */
    {1, 15},  /* risk_pex */
};
#define PRIOR_SEN 6
#define PRIOR_EHCP 8

static const struct wstr relationships[] = {
    {"mother", 60}, {"father", 24}, {"parent", 6}, {"carer", 6}, {"foster_carer", 4},
};

/* ---- actions ---------------------------------------------------------------- */

static const struct wstr natures[] = {
    {"coordination", 21}, {"signposting_parents", 13}, {"signposting_school", 7},
    {"school_adjustment", 15}, {"advice", 14}, {"referral", 7}, {"assessment", 8}, {"other", 15},
};

struct nature_def {
    const char *nature;
    struct wstr settings[4];
    const char *text[6];
};

static const struct nature_def nature_defs[] = {
    {"coordination",
     {{"school", 64}, {"other", 25}, {"health", 4}, {"social_care", 7}},
     {"S|School to talk to the previous school to see which strategies worked there.",
      "E|Educational Psychology to email Speech and Language Therapy a copy of the EP report.",
      "H|Early Help to find a contact in the CAMHS team and pass it to school.",
      "S|School to share the case summary with the school nurse before the next review.",
      "C|Case Coordinator to check whether a referral is already open with the Child Development Centre.",
      "H|Early Help to follow up with social care about the earlier referral."}},
    {"signposting_parents",
     {{"home", 85}, {"school", 15}, {"", 0}, {"", 0}},
     {"S|School to signpost parents to the parenting course and explain how to book.",
      "S|School to share sleep resources with the family.",
      "S|School to signpost the family to the Early Support workshop.",
      "S|School to give parents information about the programme and complete an EHA if they want to attend.",
      "S|School to share the resource with parents at the next meeting.",
      "P|Parent to look at the resource and tell school if they would like help to book."}},
    {"signposting_school",
     {{"school", 100}, {"", 0}, {"", 0}, {"", 0}},
     {"S|School to use the resource for ideas on classroom strategies.",
      "S|Class teacher to look at the guidance and try one strategy before the review.",
      "S|SENCO to share the resource with the year group team.",
      "S|School to book a place for a teaching assistant on the training.",
      "S|Pastoral lead to use the resource in small-group sessions.",
      "S|School to look at the resource with the EP at the next visit."}},
    {"school_adjustment",
     {{"school", 100}, {"", 0}, {"", 0}, {"", 0}},
     {"S|Colour-code the timetable to remind them about drinking and going to the toilet.",
      "S|Consider an emotional literacy intervention this half term.",
      "S|Work with class teachers so that behaviour approaches are consistent.",
      "S|Agree a quiet space and a time-out card for lessons.",
      "S|Seat near the front and give instructions one at a time, with visual prompts.",
      "S|Trial a morning meet and greet with a trusted adult."}},
    {"advice",
     {{"school", 72}, {"home", 18}, {"health", 5}, {"other", 5}},
     {"S|School can book an EP drop-in to discuss needs further.",
      "L|Speech and Language Therapy to advise on strategies to support attention and listening.",
      "D|Community Paediatrics to advise school on what to observe before any referral.",
      "M|MHST to offer a consultation with the pastoral lead.",
      "S|Find out how the child sleeps; advice from the school nurse if needed.",
      "H|Early Help to talk the family through the support on offer."}},
    {"referral",
     {{"health", 55}, {"social_care", 20}, {"other", 25}, {"", 0}},
     {"S|School to make a referral to Community Paediatrics with the parent's agreement.",
      "S|School to refer to CAMHS; MHST to support while waiting.",
      "S|Referral to Speech and Language Therapy for an assessment.",
      "S|School to resubmit the referral to the children's services front door.",
      "S|Referral to Early Help for family support.",
      "S|Referral to the school nurse service for a health assessment."}},
    {"assessment",
     {{"school", 72}, {"social_care", 6}, {"health", 8}, {"other", 14}},
     {"S|School to complete an Early Help Assessment with the family.",
      "S|SENCO to gather evidence for an EHC needs assessment request.",
      "S|School to complete the Early Concerns Toolkit before the next meeting.",
      "E|EP to observe in class and report back to the review.",
      "S|School to complete a reading and spelling assessment.",
      "S|Start an attendance support plan with the family."}},
    {"other",
     {{"school", 55}, {"home", 35}, {"other", 10}, {"", 0}},
     {"P|Parent to keep a diary of sleep and behaviour for four weeks.",
      "P|Some work at home with mum to support routines, through Team Around the Family.",
      "S|School to update the case summary and bring it back to TAS.",
      "S|Review the part-time timetable after two weeks.",
      "S|Class teacher to meet parents to agree next steps.",
      "S|School to arrange a transition visit to the new school."}},
};

/* When a nature has no example for the owner: what that owner typically
 * agreed to do.  Tags: S school, P parent, E EP, H Early Help, L SALT,
 * M MHST, D paediatrics, N school nurse, C case coordinator. */
static const char *const owner_lines[] = {
    "P|Parent to talk to the GP about the worries raised at TAS.",
    "P|Parent to keep a diary of sleep and behaviour for four weeks.",
    "E|EP to observe in class and advise the class teacher on strategies.",
    "E|EP to offer a consultation to the class teacher and parents.",
    "E|EP to share a written summary of advice with school before the review.",
    "E|EP to look at the work sample and advise on next steps for learning.",
    "H|Early Help to contact the family and offer support.",
    "H|Early Help to check whether a family worker is already involved.",
    "L|SALT to send school strategies to support attention and listening.",
    "L|SALT to screen the pupil's language in school.",
    "M|MHST to offer a consultation with the pastoral lead.",
    "M|MHST to check whether the pupil is waiting for CAMHS.",
    "D|Community Paediatrics to check whether the child is known to the Child Development Centre.",
    "D|Community Paediatrics to advise school on what to observe before any referral.",
    "N|School nurse to arrange a health review with the family.",
    "C|Case Coordinator to check with services and report back to the next meeting.",
    "C|Case Coordinator to send the agreed actions to everyone involved.",
};

static char owner_tag(enum dy_owner o, enum dy_service s)
{
    if (o == DY_OWN_SCHOOL)
        return 'S';
    if (o == DY_OWN_PARENT)
        return 'P';
    switch (s) {
    case DY_EP: return 'E';
    case DY_EARLY_HELP: return 'H';
    case DY_SALT: return 'L';
    case DY_MHST: return 'M';
    case DY_PAEDIATRICS: return 'D';
    case DY_SCHOOL_NURSE: return 'N';
    case DY_CASE_COORDINATOR: return 'C';
    default: return 'S';
    }
}

/* A description that fits the owner: the nature's example for that owner,
 * else (signposting) sharing the resource, else the owner's usual line. */
static void describe(struct demo_rng *r, const struct demo_year *y, const struct nature_def *nd,
                     struct dy_action *a)
{
    char tag = owner_tag(a->owner, a->owner_service);
    static const char *const who[] = {"School", "Parent", "EP", "Early Help", "SALT", "MHST",
                                      "Community Paediatrics", "School nurse", "Case Coordinator"};
    static const char tags[] = "SPEHLMDNC";
    const char *w = a->owner == DY_OWN_SCHOOL && a->owner_name ? a->owner_name : who[strchr(tags, tag) - tags];
    /* Signposting names what was signposted. */
    if (strncmp(nd->nature, "signposting", 11) == 0 && a->resource >= 0) {
        const char *title = y->resources[a->resource].title;
        static const char *const to_parents[][2] = {
            {"signpost the family to ", " and explain how to book."},
            {"share details of ", " with parents."},
            {"give parents information about ", " and help them to take it up."},
        };
        static const char *const to_school[][2] = {
            {"use ", " for ideas on classroom strategies."},
            {"share ", " with the year group team."},
            {"look at ", " and try one idea before the review."},
        };
        bool parents = strcmp(nd->nature, "signposting_parents") == 0;
        const char *const *form = parents ? to_parents[demo_rng_below(r, 3)] : to_school[demo_rng_below(r, 3)];
        if (a->owner == DY_OWN_PARENT) {
            static const char *const own[2] = {"look at ", " and tell school if they would like help with it."};
            form = own;
        }
        snprintf(a->description, sizeof a->description, "%s to %s%s%s", w, form[0], title, form[1]);
        return;
    }
    const char *fit[6];
    size_t n = 0;
    for (size_t i = 0; i < 6; i++)
        if (nd->text[i][0] == tag)
            fit[n++] = nd->text[i] + 2;
    if (n) {
        snprintf(a->description, sizeof a->description, "%s", fit[demo_rng_below(r, (uint32_t)n)]);
        return;
    }
    const char *generic[8];
    for (size_t i = 0; i < COUNT(owner_lines); i++)
        if (owner_lines[i][0] == tag && n < 8)
            generic[n++] = owner_lines[i] + 2;
    if (n == 0) {
        snprintf(a->description, sizeof a->description, "%s to share the resource with %s and talk it through.",
                 w, strcmp(nd->nature, "signposting_school") == 0 ? "school staff" : "the family");
        return;
    }
    snprintf(a->description, sizeof a->description, "%s", generic[demo_rng_below(r, (uint32_t)n)]);
}

static const struct wstr school_owners[] = {
    {"SENCO", 52}, {"Class teacher", 16}, {"Pastoral lead", 12}, {"Head teacher", 8},
    {"Assistant head", 7}, {"Teaching assistant", 5},
};
static const struct wstr school_owners_secondary[] = {
    {"SENCO", 46}, {"Head of year", 20}, {"Pastoral lead", 16}, {"Deputy head", 8},
    {"Form tutor", 6}, {"Attendance officer", 4},
};

static const char *const not_done_reasons[] = {
    "The family did not take up the offer",
    "Waiting list for the service is longer than expected",
    "No longer needed after the review",
    "Superseded by an EHC needs assessment",
    "Staff change at school; not picked up",
    "Family moved house",
};
static const char *const outcomes_done[] = {
    "Done; parents attended.",
    "Done and shared at the review.",
    "Completed; strategies in place in class.",
    "Done; the service has been in touch with the family.",
    "",
    "",
};

/* Default playbook (svc_reference_seed_defaults), then what the demo adds. */
static const struct dy_resource default_resources[] = {
    {"Triple P positive parenting courses", "course", "parents", NULL},
    {"Strengthening Families programme", "course", "parents", NULL},
    {"Early Support workshop (Child Development Centre)", "workshop", "parents", NULL},
    {"Sleep resources (Child Development Centre website)", "website", "parents", NULL},
    {"Emotional literacy support (ELSA)", "service", "school", NULL},
};
static const struct dy_resource extra_resources[DY_EXTRA_RESOURCES] = {
    {"Family Hub drop-in", "service", "parents",
     "Weekly drop-in at the Family Hub for advice on routines, benefits and local activities."},
    {"Speech and language activities pack", "guidance", "both",
     "Activities for home and class to build attention, listening and vocabulary (SALT)."},
    {"Educational Psychology drop-in consultation", "service", "school",
     "A half-hour consultation a school can book with the link EP."},
    {"Zones of Regulation classroom guidance", "guidance", "school",
     "Guidance for staff on teaching children to recognise and manage their feelings."},
    {"Online counselling for young people", "website", "parents",
     "Free, anonymous online counselling and self-help for young people aged 11 and over."},
    {"Young carers support", "service", "both",
     "Support, breaks and a school champion for children who care for someone at home."},
};
/* How often each resource is signposted (figure 4c shape: parenting
 * courses and CDC resources most, then ELSA and EP drop-ins). */
static const unsigned resource_w[DY_MAX_RESOURCES] = {22, 12, 14, 10, 12, 8, 6, 8, 7, 5, 4};

/* ---- the plan ---------------------------------------------------------------- */

struct gen {
    struct demo_rng *r;
    const struct demo_plan *base;
    struct demo_year *y;
    size_t cap_cases, cap_disc, cap_actions;
    int32_t year_end;        /* last day of the summer term */
    bool guest_done;         /* the year's one guest is placed */
};

static int grow(void **p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 256;
    void *q = realloc(*p, nc * size);
    if (!q)
        return -1;
    memset((char *)q + *cap * size, 0, (nc - *cap) * size);
    *p = q;
    *cap = nc;
    return 0;
}

static void make_teams(struct gen *g, const struct half_term *terms, const int32_t *closures, size_t nclos)
{
    struct demo_year *y = g->y;
    int32_t oct1 = day_from_ymd(y->year, 10, 1);
    for (size_t i = 0; i < COUNT(team_defs) && i < DY_MAX_TEAMS; i++) {
        const struct team_def *d = &team_defs[i];
        struct dy_team *t = &y->teams[y->nteams++];
        t->nschools = d->n;
        memcpy(t->schools, d->schools, sizeof t->schools);
        const struct school *host = &g->base->schools[d->schools[0]];
        t->secondary = strcmp(host->phase, "secondary") == 0;
        if (d->n > 1)
            snprintf(t->name, sizeof t->name, "%.70s cluster TAS", host->name);
        else
            snprintf(t->name, sizeof t->name, "%.70s TAS", host->name);
        adult_name(g->r, t->chair_name, sizeof t->chair_name);
        t->cadence = d->cadence;
        t->weekday = d->weekday;
        snprintf(t->start_time, sizeof t->start_time, "%s", d->time);
        t->duration_minutes = t->secondary ? 60 : 90;
        snprintf(t->location, sizeof t->location, "%s", PICK(g->r, locations));
        t->created_on = oct1 + d->start;
        if (t->secondary) {
            t->nservices = COUNT(secondary_members);
            memcpy(t->services, secondary_members, sizeof secondary_members);
        } else {
            t->nservices = COUNT(primary_members);
            memcpy(t->services, primary_members, sizeof primary_members);
        }
        int32_t days[DY_MAX_MEETINGS];
        size_t room = DY_MAX_MEETINGS - y->nmeetings;
        /* As svc_team_plan plans from a day: the year's rhythm, less the
         * days before the team was set up.  A team is set up in the week
         * of its first meeting (on the rhythm), as the pilot's teams were. */
        size_t n = schedule_generate(t->cadence, t->weekday, terms[0].starts, terms[5].ends, terms, 6,
                                     closures, nclos, NULL, 0, days, DY_MAX_MEETINGS);
        size_t near = 0;
        for (size_t k = 1; k < n; k++)
            if (llabs((long long)days[k] - t->created_on) < llabs((long long)days[near] - t->created_on))
                near = k;
        if (n && days[near] < t->created_on)
            t->created_on = days[near];
        n = schedule_drop_before(days, n, t->created_on);
        if (n > room)
            n = room;
        t->first_meeting = y->nmeetings;
        t->nmeetings = n;
        for (size_t k = 0; k < n; k++) {
            struct dy_meeting *m = &y->meetings[y->nmeetings++];
            m->team = (int)i;
            m->day = days[k];
        }
    }
}

static void make_practitioners(struct gen *g)
{
    static const struct { enum dy_service s; const char *title; } roles[] = {
        {DY_EP, "Educational Psychologist"},   /* index 0: the demo account */
        {DY_EP, "Educational Psychologist"},
        {DY_EARLY_HELP, "Early Help Practitioner"},
        {DY_EARLY_HELP, "Early Help Practitioner"},
        {DY_SALT, "Speech and Language Therapist"},
        {DY_SALT, "Speech and Language Therapist"},
        {DY_PAEDIATRICS, "Community Paediatrician"},
        {DY_PAEDIATRICS, "Specialist Nurse, Child Development Centre"},
        {DY_MHST, "Education Mental Health Practitioner"},
        {DY_SCHOOL_NURSE, "School Nurse"},
    };
    struct demo_year *y = g->y;
    for (size_t i = 0; i < COUNT(roles); i++) {
        struct dy_practitioner *p = &y->practitioners[y->npractitioners++];
        p->service = roles[i].s;
        snprintf(p->job_title, sizeof p->job_title, "%s", roles[i].title);
        if (i == 0) {
            /* The demo account's display name (core/demo.c users). */
            snprintf(p->name, sizeof p->name, "Fatima Qureshi");
            p->demo_user = true;
        } else {
            adult_name(g->r, p->name, sizeof p->name);
        }
    }
    y->practitioner_teams[0] = 0;
    y->practitioner_teams[1] = 2;
}

/* The practitioner of a service who works with a team (-1 none): the demo
 * EP covers the demo account's teams, the other EP the rest; two-person
 * services split the teams odd/even. */
int demo_year_practitioner_for(const struct demo_year *y, enum dy_service s, int team)
{
    if (s == DY_EP)
        return team == y->practitioner_teams[0] || team == y->practitioner_teams[1] ? 0 : 1;
    int first = -1, count = 0;
    for (size_t i = 0; i < y->npractitioners; i++) {
        if (y->practitioners[i].service == s) {
            if (first < 0)
                first = (int)i;
            count++;
        }
    }
    return first < 0 ? -1 : first + team % count;
}

static int new_case(struct gen *g, int pupil, int team, int32_t meeting_day)
{
    struct demo_year *y = g->y;
    if (grow((void **)&y->cases, &g->cap_cases, y->ncases, sizeof *y->cases) != 0)
        return -1;
    struct demo_rng *r = g->r;
    const struct dy_team *t = &y->teams[team];
    const struct pupil *pu = &g->base->pupils[pupil];
    struct dy_case *c = &y->cases[y->ncases];
    memset(c, 0, sizeof *c);
    c->pupil = pupil;
    c->team = team;
    c->consent_on = max32(meeting_day - between(r, 4, 21), y->setup_on + 1);
    c->relationship = WPICK(r, relationships);
    const char *first;
    if (strcmp(c->relationship, "mother") == 0)
        first = PICK(r, women);
    else if (strcmp(c->relationship, "father") == 0)
        first = PICK(r, men);
    else
        first = chance(r, 70) ? PICK(r, women) : PICK(r, men);
    const char *sur = strcmp(c->relationship, "foster_carer") == 0 || chance(r, 10) ? PICK(r, surnames)
                                                                                     : pu->surname;
    snprintf(c->consent_by, sizeof c->consent_by, "%s %.40s", first, sur);
    c->opened_on = min32(max32(c->consent_on, t->created_on) + between(r, 0, 2), meeting_day);

    bool sec = t->secondary;
    const unsigned *nw = sec ? need_w_secondary : need_w_primary;
    int areas = between(r, 1, 3);
    for (int k = 0; k < areas; k++) {
        size_t a = demo_rng_weighted(r, nw, CASE_NEED_AREAS);
        c->needs[a] = need_text[a][demo_rng_below(r, 5)];
    }
    c->strengths = PICK(r, strengths);
    c->tried = PICK(r, tried);
    c->child_voice = chance(r, 70) ? PICK(r, child_voices) : NULL;
    c->parent_voice = chance(r, 80) ? PICK(r, parent_voices) : NULL;
    c->hoped_outcomes = PICK(r, hoped);
    for (int k = 0; k < CASE_PRIOR_FLAGS; k++) {
        if (k == PRIOR_SEN)
            c->prior[k] = pu->sen_provision[0] == 'K';
        else if (k == PRIOR_EHCP)
            c->prior[k] = pu->sen_provision[0] == 'E';
        else if (chance(r, 8))
            c->prior[k] = -1;
        else
            c->prior[k] = chance(r, prior_pct[k][sec]);
    }
    /* A case summary before the meeting: 89% primary, 82% secondary; the
     * Early Concerns Toolkit: 19% and 5%. */
    c->summary_ready = chance(r, sec ? 82 : 89);
    c->ect_completed = chance(r, sec ? 5 : 19);
    static const unsigned fu_primary[] = {22, 40, 20, 12, 6};
    static const unsigned fu_secondary[] = {64, 26, 10, 0, 0};
    c->follow_ups_wanted = (int)demo_rng_weighted(r, sec ? fu_secondary : fu_primary, 5);
    return (int)y->ncases++;
}

static int add_discussion(struct gen *g, int meeting, int kase, bool review, int32_t added_on)
{
    struct demo_year *y = g->y;
    if (grow((void **)&y->discussions, &g->cap_disc, y->ndiscussions, sizeof *y->discussions) != 0)
        return -1;
    struct dy_discussion *d = &y->discussions[y->ndiscussions];
    memset(d, 0, sizeof *d);
    d->meeting = meeting;
    d->kase = kase;
    d->review = review;
    d->added_on = added_on;
    struct dy_case *c = &y->cases[kase];
    c->last_discussed = y->meetings[meeting].day;
    c->discussions++;
    return (int)y->ndiscussions++;
}

static int add_actions(struct gen *g, int disc)
{
    struct demo_year *y = g->y;
    struct demo_rng *r = g->r;
    const struct dy_discussion *d = &y->discussions[disc];
    const struct dy_meeting *m = &y->meetings[d->meeting];
    const struct dy_team *t = &y->teams[m->team];
    static const unsigned n_new[] = {0, 18, 45, 27, 10};
    static const unsigned n_review[] = {26, 50, 24};
    int n = d->review ? (int)demo_rng_weighted(r, n_review, COUNT(n_review))
                      : (int)demo_rng_weighted(r, n_new, COUNT(n_new));
    for (int k = 0; k < n; k++) {
        if (grow((void **)&y->actions, &g->cap_actions, y->nactions, sizeof *y->actions) != 0)
            return -1;
        struct dy_action *a = &y->actions[y->nactions];
        memset(a, 0, sizeof *a);
        a->kase = d->kase;
        a->discussion = disc;
        a->created_on = m->day;
        a->nature = WPICK(r, natures);
        const struct nature_def *nd = &nature_defs[0];
        for (size_t i = 0; i < COUNT(nature_defs); i++)
            if (strcmp(nature_defs[i].nature, a->nature) == 0)
                nd = &nature_defs[i];
        a->setting = WPICK(r, nd->settings);
        a->resource = -1;
        bool parents = strcmp(a->nature, "signposting_parents") == 0;
        if (parents || strcmp(a->nature, "signposting_school") == 0) {
            unsigned w[DY_MAX_RESOURCES];
            for (size_t i = 0; i < y->nresources; i++) {
                const char *aud = y->resources[i].audience;
                bool fits = strcmp(aud, "both") == 0 || strcmp(aud, parents ? "parents" : "school") == 0;
                w[i] = fits ? resource_w[i] : 0;
            }
            a->resource = (int)demo_rng_weighted(r, w, y->nresources);
        }
        /* Who: around 80% the school (mostly the SENCO), under 5% each
         * for health and local authority services (figure 5c). */
        static const unsigned own_w[] = {72, 8, 14, 6};
        bool school_only = strcmp(a->nature, "school_adjustment") == 0 || strcmp(a->nature, "referral") == 0 ||
                           strcmp(a->nature, "signposting_school") == 0;
        size_t own = parents ? (chance(r, 85) ? 0 : 1) : school_only ? 0 : demo_rng_weighted(r, own_w, COUNT(own_w));
        /* The demo practitioner's teams see a little more of the EP. */
        bool ep_team = m->team == y->practitioner_teams[0] || m->team == y->practitioner_teams[1];
        if (ep_team && own == 0 && !school_only && chance(r, 5))
            own = 2;
        if (own == 0) {
            a->owner = DY_OWN_SCHOOL;
            a->owner_service = DY_SCHOOL;
            a->owner_name = t->secondary ? WPICK(r, school_owners_secondary) : WPICK(r, school_owners);
        } else if (own == 1) {
            a->owner = DY_OWN_PARENT;
            a->owner_name = "Parent or carer";
        } else if (own == 2) {
            enum dy_service s = ep_team && chance(r, 50) ? DY_EP : t->services[demo_rng_below(r, (uint32_t)t->nservices)];
            a->owner_service = s;
            int p = demo_year_practitioner_for(y, s, m->team);
            if (p >= 0 && (s == DY_EP || chance(r, 50))) {
                a->owner = DY_OWN_PRACTITIONER;
                a->practitioner = p;
            } else {
                a->owner = DY_OWN_SERVICE;
            }
            a->owner_name = "";
        } else {
            a->owner = DY_OWN_SERVICE;
            a->owner_service = DY_CASE_COORDINATOR;
            a->owner_name = "";
        }
        describe(r, y, nd, a);
        if (!chance(r, 15)) {
            static const int due_days[] = {14, 21, 28, 35, 42, 56, 70};
            a->due_on = m->day + PICK(r, due_days);
        }
        if (strcmp(a->nature, "referral") == 0) {
            a->referral = true;
            a->referred_on = a->created_on;
            if (strcmp(a->setting, "health") == 0) {
                static const enum dy_service hs[] = {DY_PAEDIATRICS, DY_PAEDIATRICS, DY_CAMHS, DY_SALT, DY_SCHOOL_NURSE};
                a->referral_service = PICK(r, hs);
            } else if (strcmp(a->setting, "social_care") == 0) {
                a->referral_service = DY_CSC;
            } else {
                a->referral_service = chance(r, 50) ? DY_EARLY_HELP : DY_EP;
            }
        }
        y->nactions++;
    }
    return 0;
}

/* One team's year: which meetings are held, who is brought, reviews. */
static int run_team(struct gen *g, int team)
{
    struct demo_year *y = g->y;
    struct demo_rng *r = g->r;
    struct dy_team *t = &y->teams[team];

    /* The pupils of the team's schools, in a random order. */
    int pool[400];
    size_t npool = 0;
    for (size_t i = 0; i < g->base->npupils && npool < COUNT(pool); i++)
        for (size_t s = 0; s < t->nschools; s++)
            if (g->base->pupils[i].school_id == t->schools[s])
                pool[npool++] = (int)i;
    for (size_t i = npool; i > 1; i--) {
        size_t j = demo_rng_below(r, (uint32_t)i);
        int tmp = pool[i - 1];
        pool[i - 1] = pool[j];
        pool[j] = tmp;
    }
    /* Not every pupil known to the school comes to TAS. */
    size_t keep = npool * (t->secondary ? 84 : 90) / 100;
    size_t used = 0;
    size_t first_case = y->ncases;
    bool first = true;

    /* Which meetings go ahead: about 58% in primary and 55% in secondary
     * (59% and 56% in the pilot, less the few with nothing to discuss),
     * the first always (the charter and triage meeting). */
    bool go[DY_MAX_MEETINGS] = {false};
    size_t order[DY_MAX_MEETINGS];
    size_t past = 0;
    for (size_t k = 0; k < t->nmeetings; k++)
        if (y->meetings[t->first_meeting + k].day <= y->horizon)
            order[past++] = k;
    if (past) {
        int want = (int)((past * (t->secondary ? 55u : 58u) + 50) / 100) + between(r, -1, 1);
        want = want < 1 ? 1 : want > (int)past ? (int)past : want;
        go[order[0]] = true;
        for (size_t i = past - 1; i > 1; i--) {
            size_t j = 1 + demo_rng_below(r, (uint32_t)i);
            size_t tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        for (int i = 1; i < want; i++)
            go[order[i]] = true;
    }

    for (size_t k = 0; k < t->nmeetings; k++) {
        int mi = (int)(t->first_meeting + k);
        struct dy_meeting *m = &y->meetings[mi];
        if (m->day > y->horizon) {
            m->status = DY_PLANNED;
            continue;
        }
        bool held = go[k] || first;
        if (!held) {
            m->status = DY_CANCELLED;
            m->decided_on = max32(m->day - between(r, 0, 6), t->created_on);
            m->cancel_reason = WPICK(r, cancel_reasons);
            continue;
        }
        size_t before = y->ndiscussions;
        /* Reviews first: cases discussed before and still followed up. */
        for (size_t ci = first_case; ci < y->ncases; ci++) {
            struct dy_case *c = &y->cases[ci];
            if (c->withdrawn_on || c->discussions - 1 >= c->follow_ups_wanted ||
                m->day - c->last_discussed < 14 || !chance(r, 80))
                continue;
            if (add_discussion(g, mi, (int)ci, true, m->day - between(r, 0, 3)) < 0)
                return -1;
        }
        /* New cases: about 2.5 a meeting in primary, 2.2 in secondary;
         * the first (triage) meeting takes a few more. */
        static const unsigned n_primary[] = {0, 12, 34, 34, 20};
        static const unsigned n_secondary[] = {0, 22, 40, 28, 10};
        int n = (int)demo_rng_weighted(r, t->secondary ? n_secondary : n_primary, 5) + (first ? 1 : 0);
        for (int j = 0; j < n && used < keep; j++) {
            int ci = new_case(g, pool[used++], team, m->day);
            if (ci < 0)
                return -1;
            struct dy_case *c = &y->cases[ci];
            int32_t added = max32(c->opened_on, m->day - between(r, 0, 3));
            if (add_discussion(g, mi, ci, false, added) < 0)
                return -1;
            /* A few families withdraw consent after the first discussion. */
            if (chance(r, 2)) {
                c->follow_ups_wanted = 0;
                c->withdrawn_on = min32(m->day + between(r, 5, 20), y->horizon - 3);
            }
        }
        if (y->ndiscussions == before) {
            /* Nothing to discuss: the meeting was called off. */
            m->status = DY_CANCELLED;
            m->decided_on = max32(m->day - between(r, 1, 5), t->created_on);
            m->cancel_reason = "No cases ready to discuss";
            continue;
        }
        first = false;
        m->status = DY_HELD;
        m->decided_on = m->day;
        m->online = chance(r, 10);
        /* One guest all year: a social worker from the adoption team. */
        if (team == 2 && !g->guest_done && m->day > day_from_ymd(y->year + 1, 1, 1)) {
            m->guest = true;
            g->guest_done = true;
        }
        m->attend[0] = DY_PRESENT;
        for (int row = 1; row < 3 + (int)t->nservices; row++) {
            enum dy_service s = row >= 3 ? t->services[row - 3] : DY_SCHOOL;
            if (chance(r, attend_pct(t->secondary, row, s)))
                m->attend[row] = DY_PRESENT;
            else
                m->attend[row] = chance(r, 80) ? DY_APOLOGIES : DY_ABSENT;
        }
        for (size_t di = before; di < y->ndiscussions; di++)
            if (add_actions(g, (int)di) != 0)
                return -1;
    }
    return 0;
}

/* Minutes and feedback for every discussion. */
static void write_up(struct gen *g)
{
    struct demo_year *y = g->y;
    struct demo_rng *r = g->r;
    static const char *const minutes[] = {
        "Discussed the case summary. Agreed the actions below; school to update parents.",
        "Update from school: some progress since the last meeting. Actions reviewed and new ones agreed.",
        "Services shared what they know of the family. Agreed to try school-based strategies first.",
        "Needs discussed with EP and Early Help input. Agreed next steps and a review date.",
        "Progress noted. Parents engaged. Remaining actions carried forward.",
    };
    static const struct wstr methods[] = {
        {"phone", 40}, {"in_person", 35}, {"letter_email", 15}, {"team_around_family", 10},
    };
    static const char *const by[] = {"SENCO", "Class teacher", "Head teacher", "Pastoral lead",
                                     "Early Help practitioner"};
    for (size_t i = 0; i < y->ndiscussions; i++) {
        struct dy_discussion *d = &y->discussions[i];
        const struct dy_meeting *m = &y->meetings[d->meeting];
        /* A handful of late-summer meetings still have minutes to write. */
        bool missing = m->day > g->year_end - 40 && chance(r, 6);
        d->minutes = missing ? NULL : PICK(r, minutes);
        /* Feedback to families was intended but sparsely recorded. */
        if (chance(r, 45)) {
            d->feedback_on = min32(m->day + between(r, 1, 10), y->horizon);
            d->feedback_method = WPICK(r, methods);
            d->feedback_by = PICK(r, by);
        }
    }
}

static const struct wstr closure_reasons[] = {
    {"needs_met", 52}, {"service_involved", 20}, {"ehcp", 9}, {"social_care", 4}, {"other", 5},
};

/* What a closed case's note says, by its closure reason (code_label finds it). */
static const struct code_entry closure_note_entries[] = {
    {"needs_met", "Strategies in place and working; school will bring the pupil back if needed.", NULL},
    {"service_involved", "The service now leads the support.", NULL},
    {"ehcp", "EHC needs assessment requested.", NULL},
    {"social_care", "Children's Social Care now involved.", NULL},
    {"consent_withdrawn", "Parent asked that TAS no longer discusses their child.", NULL},
    {"left_school", "Left at the end of the year.", NULL},
};
static const struct code_list closure_notes = {
    "closure_note", closure_note_entries, COUNT(closure_note_entries)};

static const char *closure_note(const char *reason)
{
    const char *note = code_label(&closure_notes, reason);
    return note ? note : "Closed at the end of the year.";
}

/* Which cases close, when, and why; one closed case is re-opened. */
static int close_cases(struct gen *g)
{
    struct demo_year *y = g->y;
    struct demo_rng *r = g->r;
    /* The demo practitioner's first team keeps its two newest cases open,
     * so that account has work of its own to see. */
    int keep_a = -1, keep_b = -1;
    for (size_t i = 0; i < y->ncases; i++) {
        if (y->cases[i].team != y->practitioner_teams[0] || y->cases[i].withdrawn_on)
            continue;
        keep_b = keep_a;
        keep_a = (int)i;
    }
    for (size_t i = 0; i < y->ncases; i++) {
        struct dy_case *c = &y->cases[i];
        if (c->withdrawn_on) {
            c->closed_on = c->withdrawn_on + between(r, 0, 3);
            c->closure_reason = "consent_withdrawn";
        } else if ((int)i == keep_a || (int)i == keep_b) {
            continue;
        } else {
            bool recent = c->last_discussed > g->year_end - 42;
            if (!chance(r, recent ? 45 : 90) || c->last_discussed >= g->year_end - 1)
                continue;
            c->closed_on = min32(c->last_discussed + between(r, 14, 50), g->year_end);
            const struct pupil *pu = &g->base->pupils[c->pupil];
            bool leaving = strcmp(pu->nc_year, "6") == 0 || strcmp(pu->nc_year, "11") == 0;
            c->closure_reason = leaving && c->closed_on > g->year_end - 30 ? "left_school"
                                                                           : WPICK(r, closure_reasons);
        }
        c->closure_note = closure_note(c->closure_reason);
    }
    /* One closed case comes back: the school raised a new worry, the
     * coordinator re-opened it and the team discussed it again. */
    for (size_t i = 0; i < y->ncases; i++) {
        struct dy_case *c = &y->cases[i];
        if (!c->closed_on || c->withdrawn_on || strcmp(c->closure_reason, "needs_met") != 0 ||
            y->teams[c->team].secondary)
            continue;
        const struct dy_team *t = &y->teams[c->team];
        for (size_t k = 0; k < t->nmeetings; k++) {
            int mi = (int)(t->first_meeting + k);
            const struct dy_meeting *m = &y->meetings[mi];
            if (m->status != DY_HELD || m->day < c->closed_on + 21)
                continue;
            c->reopened_on = m->day - 4;
            int d = add_discussion(g, mi, (int)i, true, m->day - 3);
            if (d < 0)
                return -1;
            y->discussions[d].minutes = "Re-opened: new worries raised by school since the case was closed. "
                                        "Agreed fresh actions.";
            if (add_actions(g, d) != 0)
                return -1;
            return 0;
        }
    }
    return 0;
}

/* Final state of every action and referral. */
static void settle_actions(struct gen *g)
{
    struct demo_year *y = g->y;
    struct demo_rng *r = g->r;
    for (size_t i = 0; i < y->nactions; i++) {
        struct dy_action *a = &y->actions[i];
        const struct dy_case *c = &y->cases[a->kase];
        /* The case closes after this action: it must be settled by then. */
        bool closes = c->closed_on && a->created_on <= c->closed_on;
        int32_t limit = closes ? c->closed_on : y->horizon;
        bool recent = a->created_on > g->year_end - 60;
        unsigned roll = demo_rng_below(r, 100);
        unsigned open_pct = closes ? 0 : recent ? 55 : 16;
        if (roll < open_pct) {
            a->status = "open";
        } else {
            bool done = roll < open_pct + (100 - open_pct) * 84 / 100;
            a->status = done ? "done" : "not_done";
            int32_t span = a->due_on ? a->due_on - a->created_on + 10 : 40;
            a->status_on = max32(min32(a->created_on + between(r, 5, span), limit), a->created_on);
            if (done)
                a->outcome = PICK(r, outcomes_done);
            else
                a->not_done_reason = PICK(r, not_done_reasons);
        }
        if (a->referral) {
            static const struct wstr outs[] = {
                {"accepted", 55}, {"declined", 15}, {"redirected", 15}, {"pending", 15},
            };
            a->referral_outcome = WPICK(r, outs);
            a->outcome_on = a->referred_on + between(r, 10, 70);
            if (a->outcome_on > y->horizon)
                a->referral_outcome = "pending";
            if (strcmp(a->referral_outcome, "pending") == 0)
                a->outcome_on = 0;
        }
    }
}

/* The demo practitioner account must have open actions of its own: the
 * newest actions of the open cases in its first team become the demo
 * EP's, still open. */
static void practitioner_work(struct demo_year *y)
{
    int have = 0;
    for (size_t i = 0; i < y->nactions; i++) {
        const struct dy_action *a = &y->actions[i];
        if (a->owner == DY_OWN_PRACTITIONER && a->practitioner == 0 && strcmp(a->status, "open") == 0 &&
            !y->cases[a->kase].closed_on)
            have++;
    }
    for (size_t i = y->nactions; i-- > 0 && have < 3;) {
        struct dy_action *a = &y->actions[i];
        const struct dy_case *c = &y->cases[a->kase];
        if (c->team != y->practitioner_teams[0] || c->closed_on || a->referral ||
            (a->owner == DY_OWN_PRACTITIONER && a->practitioner == 0))
            continue;
        a->owner = DY_OWN_PRACTITIONER;
        a->owner_service = DY_EP;
        a->practitioner = 0;
        a->owner_name = "";
        snprintf(a->description, sizeof a->description, "%s",
                 a->resource >= 0 ? "EP to share the resource with school staff and talk it through."
                                  : owner_lines[2 + i % 4] + 2);
        a->status = "open";
        a->status_on = 0;
        a->outcome = NULL;
        a->not_done_reason = NULL;
        have++;
    }
}

int demo_year_plan(uint64_t seed, const char *today, const struct demo_plan *base, struct demo_year *out)
{
    memset(out, 0, sizeof *out);
    int32_t now;
    if (!today || day_parse(today, &now) != 0 || !base)
        return -1;
    out->year = academic_year_of(now) - 1;
    out->setup_on = day_from_ymd(out->year, 9, 1);
    out->horizon = min32(now - 1, day_from_ymd(out->year + 1, 7, 31));

    struct half_term terms[6];
    int32_t closures[8];
    size_t nclos = demo_year_terms(out->year, terms, closures, COUNT(closures));

    struct demo_rng rng;
    demo_rng_seed(&rng, seed ^ UINT64_C(0x5EA5011D7EA12024));
    struct gen g = {&rng, base, out, 0, 0, 0, terms[5].ends, false};

    for (size_t i = 0; i < COUNT(default_resources); i++)
        out->resources[out->nresources++] = default_resources[i];
    out->ndefault_resources = out->nresources;
    for (size_t i = 0; i < COUNT(extra_resources); i++)
        out->resources[out->nresources++] = extra_resources[i];

    make_practitioners(&g);
    make_teams(&g, terms, closures, nclos);
    for (size_t t = 0; t < out->nteams; t++)
        if (run_team(&g, (int)t) != 0)
            return -1;
    write_up(&g);
    if (close_cases(&g) != 0)
        return -1;
    settle_actions(&g);
    practitioner_work(out);
    return 0;
}

void demo_year_free(struct demo_year *y)
{
    if (!y)
        return;
    free(y->cases);
    free(y->discussions);
    free(y->actions);
    y->cases = NULL;
    y->discussions = NULL;
    y->actions = NULL;
    y->ncases = y->ndiscussions = y->nactions = 0;
}

/* ---- events ------------------------------------------------------------------ */

static int event_cmp(const void *a, const void *b)
{
    const struct dy_event *x = a, *y = b;
    const int64_t kx[] = {x->day, x->kind, x->index};
    const int64_t ky[] = {y->day, y->kind, y->index};
    return order_keys(kx, ky, COUNT(kx));
}

int demo_year_events(const struct demo_year *y, struct dy_event **ev, size_t *n)
{
    size_t cap = y->nteams + y->nmeetings + 5 * y->ncases + 3 * y->ndiscussions + 3 * y->nactions + 1;
    struct dy_event *e = malloc(cap * sizeof *e);
    *ev = e;
    *n = 0;
    if (!e)
        return -1;
    size_t k = 0;
#define ADD(d, kd, i) (e[k].day = (d), e[k].kind = (kd), e[k].index = (int)(i), k++)
    for (size_t i = 0; i < y->nteams; i++)
        ADD(y->teams[i].created_on, DY_EV_TEAM, i);
    for (size_t i = 0; i < y->nmeetings; i++) {
        const struct dy_meeting *m = &y->meetings[i];
        if (m->status == DY_HELD)
            ADD(m->decided_on, DY_EV_MEETING_HELD, i);
        else if (m->status == DY_CANCELLED)
            ADD(m->decided_on, DY_EV_MEETING_CANCEL, i);
    }
    for (size_t i = 0; i < y->ncases; i++) {
        const struct dy_case *c = &y->cases[i];
        ADD(c->consent_on, DY_EV_CONSENT, i);
        ADD(c->opened_on, DY_EV_CASE_OPEN, i);
        if (c->withdrawn_on)
            ADD(c->withdrawn_on, DY_EV_WITHDRAW, i);
        if (c->closed_on)
            ADD(c->closed_on, DY_EV_CASE_CLOSE, i);
        if (c->reopened_on)
            ADD(c->reopened_on, DY_EV_CASE_REOPEN, i);
    }
    for (size_t i = 0; i < y->ndiscussions; i++) {
        const struct dy_discussion *d = &y->discussions[i];
        ADD(d->added_on, DY_EV_AGENDA, i);
        if (d->minutes)
            ADD(y->meetings[d->meeting].day, DY_EV_MINUTES, i);
        if (d->feedback_on)
            ADD(d->feedback_on, DY_EV_FEEDBACK, i);
    }
    for (size_t i = 0; i < y->nactions; i++) {
        const struct dy_action *a = &y->actions[i];
        ADD(a->created_on, DY_EV_ACTION, i);
        if (strcmp(a->status, "open") != 0)
            ADD(a->status_on, DY_EV_ACTION_STATUS, i);
        if (a->referral && a->outcome_on)
            ADD(a->outcome_on, DY_EV_REFERRAL_OUTCOME, i);
    }
#undef ADD
    qsort(e, k, sizeof *e, event_cmp);
    *n = k;
    return 0;
}
