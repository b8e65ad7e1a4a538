/* SQL for TAS teams: the team, its schools (host plus cluster or feeder
 * schools), its core membership by service, the people who can be picked
 * for it, and the term dates its schedule is planned from.
 * Service file: service/svc_teams.c. */
#ifndef TAS_STORE_Q_TEAMS_H
#define TAS_STORE_Q_TEAMS_H

#include "core/calendar.h"
#include "core/records.h"
#include "store/q_common.h"

#define TEAM_MAX_SCHOOLS POLICY_MAX_TEAM_SCHOOLS   /* host included */
#define TEAM_MAX_SERVICES 32
#define TEAM_LOCATION_MAX 161

struct team {
    int64_t id;
    int64_t authority_id;
    int64_t host_school_id;
    char name[TAS_TITLE_MAX];
    char chair_name[TAS_NAME_MAX];
    int64_t strategic_lead_user_id;     /* 0: none */
    int64_t case_coordinator_user_id;   /* 0: none */
    char cadence[20];                   /* cadence_code() */
    int weekday;                        /* 1 Monday .. 5 Friday */
    char start_time[6];                 /* "HH:MM" */
    int duration_minutes;
    char location[TEAM_LOCATION_MAX];
    bool active;
    size_t nschools;                    /* host first */
    int64_t school_ids[TEAM_MAX_SCHOOLS];
    size_t nservices;
    int64_t service_ids[TEAM_MAX_SERVICES];
};

/* A team as read back, with the names a page shows. */
struct team_row {
    struct team t;
    char host_school_name[TAS_TITLE_MAX];
    char strategic_lead_name[128];
    char case_coordinator_name[128];
    char next_meeting[11];              /* next planned meeting on or after today; "" none */
};

struct team_filter {
    const char *today;                  /* "YYYY-MM-DD", for next_meeting */
    int active;                         /* -1 all, 0 inactive, 1 active */
};

/* A school of a team or of an authority (pick lists). */
struct team_school {
    int64_t id;
    char name[TAS_TITLE_MAX];
    char phase[16];
    bool host;
};

/* A core member of a team: a service, and optionally its named practitioner. */
struct team_member {
    int64_t service_id;
    char service_name[120];
    int64_t practitioner_id;            /* 0: none named */
    char practitioner_name[120];
};

/* A user who may be picked as Strategic Lead or Case Coordinator. */
struct team_person {
    int64_t id;
    char display_name[128];
};

/* Insert sets t->id; writes team_schools and team_members too (call
 * inside a transaction).  Update replaces schools and members. */
enum store_rc q_team_insert(struct store *s, struct team *t, int64_t now);
enum store_rc q_team_update(struct store *s, const struct team *t, int64_t now);
/* STORE_ROW found (with schools and services), STORE_DONE not found. */
enum store_rc q_team_get(struct store *s, int64_t id, const char *today, struct team_row *out);
enum store_rc q_team_list(struct store *s, const struct visibility *v, const struct team_filter *f,
                          const struct page_req *pg, int64_t *total,
                          void (*fn)(void *arg, const struct team_row *r), void *arg);
/* The team's schools, host first then by name. */
enum store_rc q_team_schools(struct store *s, int64_t team_id,
                             void (*fn)(void *arg, const struct team_school *r), void *arg);
enum store_rc q_team_members(struct store *s, int64_t team_id,
                             void (*fn)(void *arg, const struct team_member *r), void *arg);
/* Every school of an authority, by name. */
enum store_rc q_team_authority_schools(struct store *s, int64_t authority_id,
                                       void (*fn)(void *arg, const struct team_school *r), void *arg);
/* Enabled users holding role (a role_code) in the authority, by name. */
enum store_rc q_team_people(struct store *s, int64_t authority_id, const char *role,
                            void (*fn)(void *arg, const struct team_person *r), void *arg);
/* STORE_ROW when user_id is enabled and holds role in the authority. */
enum store_rc q_team_person_get(struct store *s, int64_t authority_id, const char *role,
                                int64_t user_id, struct team_person *out);

/* For resolving a SCOPE_TEAM grant: the team's authority and its schools
 * (at most max).  STORE_ROW found, STORE_DONE no such team. */
enum store_rc q_team_scope(struct store *s, int64_t team_id, int64_t *authority_id,
                           int64_t *school_ids, size_t max, size_t *n);

/* Term dates of an authority for one academic year: fills out (up to 6,
 * in order) and *n.  Closure days between from and to ("YYYY-MM-DD"). */
enum store_rc q_team_terms(struct store *s, int64_t authority_id, int academic_year,
                           struct half_term out[6], size_t *n);
enum store_rc q_team_closures(struct store *s, int64_t authority_id, const char *from,
                              const char *to, int32_t *out, size_t max, size_t *n);

/* The ids of the teams (active or not) whose schools include school_id. */
enum store_rc q_teams_serving_school(struct store *s, int64_t school_id, void (*fn)(void *arg, int64_t id),
                                     void *arg);

#endif
