/* A year of TAS work for the demonstration authority: teams, their
 * meetings (held, cancelled, online), attendance by service, the pupils
 * brought (consent first), case summaries, reviews, actions, referrals,
 * closures.  Pure and deterministic like core/demo: the same seed, the
 * same authority plan and the same today give the same year.
 *
 * The year planned is the last complete academic year before today's
 * (calendar.h: years start on 1 August), from the first TAS meetings in
 * October to the end of the summer term, so all of it lies in the past.
 * Proportions follow the Bedford TAS pilot's Data Dashboard and figures
 * 3a-5c (about 190 meetings planned, 110 held, 260 pupils, 840 actions).
 *
 * Everything refers to other things by index: schools and pupils into the
 * demo_plan, teams, meetings, cases, discussions and actions into this
 * plan.  The lead (the CLI loader) maps indexes to stored ids. */
#ifndef TAS_CORE_DEMO_YEAR_H
#define TAS_CORE_DEMO_YEAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/calendar.h"
#include "core/casefile.h"
#include "core/demo.h"

/* The services a team's members come from, as seeded for every authority
 * (svc_reference_seed_defaults codes). */
enum dy_service {
    DY_SCHOOL = 0, DY_STRATEGIC_LEAD, DY_CASE_COORDINATOR, DY_EARLY_HELP, DY_EP, DY_SALT, DY_MHST,
    DY_PAEDIATRICS, DY_SCHOOL_NURSE, DY_CSC, DY_CAMHS, DY_SERVICE__COUNT
};
const char *dy_service_code(enum dy_service s);

#define DY_MAX_TEAMS 16
#define DY_TEAM_SCHOOLS 3
#define DY_MAX_MEETINGS 400
#define DY_MAX_PRACTITIONERS 16
#define DY_MAX_RESOURCES 12
#define DY_EXTRA_RESOURCES 6

struct dy_team {
    char name[96];
    char chair_name[64];
    size_t nschools;
    int schools[DY_TEAM_SCHOOLS];       /* plan.schools indexes, host first */
    bool secondary;                     /* host is a secondary school */
    enum cadence cadence;
    int weekday;                        /* 1..5 */
    char start_time[6];
    int duration_minutes;
    char location[64];
    int32_t created_on;                 /* team set up and its year planned from this day */
    size_t nservices;
    enum dy_service services[8];        /* core members, in the order given to the form */
    size_t first_meeting, nmeetings;    /* its meetings: meetings[first .. first+n) */
};

enum dy_meeting_status { DY_PLANNED = 0, DY_HELD, DY_CANCELLED };
enum dy_attend { DY_PRESENT = 0, DY_APOLOGIES, DY_ABSENT };

struct dy_meeting {
    int team;
    int32_t day;                        /* as the team's cadence plans it */
    enum dy_meeting_status status;
    int32_t decided_on;                 /* day it was marked held or cancelled */
    bool online;
    const char *cancel_reason;
    /* Held: the standing rows of the sheet: school, strategic lead, case
     * coordinator, then the team's services in order. */
    enum dy_attend attend[3 + 8];
    bool guest;                         /* a social worker came as a guest */
};

struct dy_practitioner {
    enum dy_service service;
    char name[64];
    char job_title[64];
    bool demo_user;                     /* linked to the demo "practitioner" account */
};

struct dy_resource {
    const char *title, *kind, *audience, *description;
};

struct dy_case {
    int pupil;                          /* plan.pupils index */
    int team;
    int32_t consent_on;
    char consent_by[64];
    const char *relationship;
    int32_t opened_on;
    const char *needs[CASE_NEED_AREAS]; /* NULL: nothing said in that area */
    const char *strengths, *tried, *child_voice, *parent_voice, *hoped_outcomes;
    signed char prior[CASE_PRIOR_FLAGS];/* 1 yes, 0 no, -1 not known */
    bool summary_ready;
    bool ect_completed;
    int follow_ups_wanted;              /* reviews the team meant to hold */
    int32_t withdrawn_on;               /* 0: consent not withdrawn */
    int32_t closed_on;                  /* 0: open at the end of the year */
    const char *closure_reason;
    const char *closure_note;
    int32_t reopened_on;                /* 0: never re-opened; else after closed_on */
    int32_t last_discussed;
    int discussions;                    /* how many times it was discussed */
};

struct dy_discussion {
    int meeting;
    int kase;
    bool review;
    int32_t added_on;                   /* put on the agenda */
    const char *minutes;                /* NULL: minutes not written */
    int32_t feedback_on;                /* 0: no feedback recorded */
    const char *feedback_method;
    const char *feedback_by;
};

enum dy_owner { DY_OWN_SCHOOL = 0, DY_OWN_PARENT, DY_OWN_SERVICE, DY_OWN_PRACTITIONER };

struct dy_action {
    int kase;
    int discussion;
    int32_t created_on;
    char description[200];
    const char *setting;
    const char *nature;
    enum dy_owner owner;
    enum dy_service owner_service;      /* DY_OWN_SERVICE / PRACTITIONER, and SCHOOL (DY_SCHOOL) */
    int practitioner;                   /* DY_OWN_PRACTITIONER: practitioners index */
    const char *owner_name;             /* "" when none */
    int resource;                       /* resources index (default playbook first); -1 none */
    int32_t due_on;                     /* 0: no due date */
    const char *status;                 /* final: open done not_done */
    int32_t status_on;                  /* day it was closed (done / not done) */
    const char *not_done_reason;
    const char *outcome;
    /* A referral made from this action. */
    bool referral;
    enum dy_service referral_service;
    int32_t referred_on;
    const char *referral_outcome;       /* pending accepted declined redirected */
    int32_t outcome_on;
};

struct demo_year {
    int year;                           /* academic year planned, e.g. 2025 for 2025/26 */
    int32_t setup_on;                   /* the authority is set up (before the year's work) */
    int32_t horizon;                    /* nothing happens after this day */
    size_t nteams;
    struct dy_team teams[DY_MAX_TEAMS];
    size_t nmeetings;
    struct dy_meeting meetings[DY_MAX_MEETINGS];
    size_t npractitioners;
    struct dy_practitioner practitioners[DY_MAX_PRACTITIONERS];
    size_t nresources;                  /* the default playbook, then the extras the demo adds */
    struct dy_resource resources[DY_MAX_RESOURCES];
    size_t ndefault_resources;
    int practitioner_teams[2];          /* teams the demo practitioner account is granted */
    size_t ncases, ndiscussions, nactions;
    struct dy_case *cases;
    struct dy_discussion *discussions;
    struct dy_action *actions;
};

/* Events in the order they happen (the loader replays them). */
enum dy_event_kind {
    DY_EV_TEAM = 0,         /* create the team and plan its year from that day */
    DY_EV_CONSENT,
    DY_EV_CASE_OPEN,
    DY_EV_CASE_REOPEN,
    DY_EV_AGENDA,
    DY_EV_MEETING_CANCEL,
    DY_EV_MEETING_HELD,     /* marked held, attendance recorded */
    DY_EV_MINUTES,
    DY_EV_ACTION,           /* agreed at a discussion (with its referral, if any) */
    DY_EV_ACTION_STATUS,
    DY_EV_REFERRAL_OUTCOME,
    DY_EV_FEEDBACK,
    DY_EV_WITHDRAW,
    DY_EV_CASE_CLOSE,
    DY_EV__COUNT
};

struct dy_event {
    int32_t day;
    enum dy_event_kind kind;
    int index;              /* team, case, discussion, meeting or action index */
};

/* Plans the year for an authority planned by demo_plan_authority with the
 * same today.  0 ok; -1 on a malformed today or allocation failure.  *out
 * is always safe to pass to demo_year_free. */
int demo_year_plan(uint64_t seed, const char *today, const struct demo_plan *base, struct demo_year *out);
void demo_year_free(struct demo_year *y);

/* The practitioner (index) of a service who works with a team, -1 none. */
int demo_year_practitioner_for(const struct demo_year *y, enum dy_service s, int team);

/* Every event of the year, sorted by day, then kind, then index.  *ev is
 * malloc'd (the caller frees it).  0 ok, -1 out of memory. */
int demo_year_events(const struct demo_year *y, struct dy_event **ev, size_t *n);

/* The default English term dates and closure days of the planned year, as
 * seeded for a new authority (what the teams' schedules are planned on). */
size_t demo_year_terms(int year, struct half_term terms[6], int32_t *closures, size_t max_closures);

#endif
