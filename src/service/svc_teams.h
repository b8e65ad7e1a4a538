/* Use cases for TAS teams: create and edit a team (host and cluster
 * schools, chair, Strategic Lead, Case Coordinator, cadence, core
 * membership by service), list and view teams, and plan a year's meetings
 * from the authority's term dates.  SQL: store/q_teams.c (and
 * store/q_meetings.c for the meetings a schedule creates).
 *
 * A team lies at its host school: every decision asks the policy about
 * RES_TEAM with the team's authority and host school. */
#ifndef TAS_SERVICE_SVC_TEAMS_H
#define TAS_SERVICE_SVC_TEAMS_H

#include "core/errors.h"
#include "service/svc.h"
#include "store/q_meetings.h"
#include "store/q_reference.h"
#include "store/q_teams.h"

#define TEAM_FORM_MAX_IDS 64
#define TEAM_MAX_DATES 100

/* Raw input, kept verbatim so a failed submission shows again unchanged. */
struct team_form {
    const char *name, *host_school_id, *chair_name;
    const char *strategic_lead_user_id, *case_coordinator_user_id;
    const char *cadence, *weekday, *start_time, *duration_minutes, *location;
    const char *active;                 /* "yes" | "no"; NULL or "" counts as yes */
    const char *dates;                  /* cadence "dates" through the API: one date a line */
    bool dates_listed;                  /* dates came as a JSON list: an error names the item */
    /* cadence "dates" through the form: GOV.UK date inputs date1 .. dateN
     * (blank ones skipped); when ndate_rows is 0, dates is read instead. */
    size_t ndate_rows;
    struct team_date_input {
        const char *day, *month, *year;
    } date_rows[TEAM_MAX_DATES];
    size_t nschools;                    /* cluster or feeder schools ticked */
    const char *school_ids[TEAM_FORM_MAX_IDS];
    size_t nservices;                   /* core member services ticked */
    const char *service_ids[TEAM_FORM_MAX_IDS];
};

/* What a save did besides the team itself (cadence "dates" plans the
 * dates listed). */
struct team_saved {
    int64_t id;
    size_t planned;
    size_t existed;
};

/* Fills out.  Checks ACT_CREATE on RES_TEAM (SVC_FORBIDDEN), the fields (name, cadence,
 * weekday, time, duration, dates), that the host and cluster schools, people and services are
 * of one authority and active, and ACT_CREATE at the host school (SVC_FORBIDDEN). */
enum svc_status svc_team_create(struct svc_ctx *c, const struct team_form *f,
                                struct field_errors *errs, struct team_saved *out);
/* Fills out.  Checks ACT_VIEW (hidden: SVC_NOT_FOUND) then ACT_EDIT (SVC_FORBIDDEN) on the team
 * as it is, then the form as svc_team_create with ACT_EDIT at the new host school. */
enum svc_status svc_team_update(struct svc_ctx *c, int64_t id, const struct team_form *f,
                                struct field_errors *errs, struct team_saved *out);
/* Not found also when the user may not view it. */
enum svc_status svc_team_get(struct svc_ctx *c, int64_t id, struct team_row *out);
/* Calls fn for one page of the teams the user may list that match f, active first, by name.
 * SVC_FORBIDDEN when they may list none. */
enum svc_status svc_team_list(struct svc_ctx *c, const struct team_filter *f,
                              const struct page_req *pg, int64_t *total,
                              void (*fn)(void *arg, const struct team_row *r), void *arg);
/* Schools and members of a team already read with svc_team_get.
 * Each checks ACT_VIEW on the team (SVC_NOT_FOUND); schools host first, then by name; members
 * by service name. */
enum svc_status svc_team_schools(struct svc_ctx *c, const struct team_row *t,
                                 void (*fn)(void *arg, const struct team_school *r), void *arg);
enum svc_status svc_team_members(struct svc_ctx *c, const struct team_row *t,
                                 void (*fn)(void *arg, const struct team_member *r), void *arg);
/* Meetings of the team by status (and held online).
 * Checks ACT_VIEW on the team (SVC_NOT_FOUND). */
enum svc_status svc_team_meeting_counts(struct svc_ctx *c, const struct team_row *t,
                                        struct meeting_counts *out);
/* True when the user may do a on this team. */
bool svc_team_may(const struct svc_ctx *c, enum action a, const struct team_row *t);

/* Pick lists for the team form, within one authority: for a new team
 * (editing NULL) the user must be able to create one there, else edit the
 * team being edited.
 * Each answers SVC_FORBIDDEN when the user may not pick there; lists are by name. */
enum svc_status svc_team_pick_schools(struct svc_ctx *c, int64_t authority_id, const struct team_row *editing,
                                      void (*fn)(void *arg, const struct team_school *r), void *arg);
enum svc_status svc_team_pick_people(struct svc_ctx *c, int64_t authority_id, const struct team_row *editing,
                                     enum role role,
                                     void (*fn)(void *arg, const struct team_person *r), void *arg);
/* Services offered as core members: all of the authority's but those
 * coded school, strategic_lead and case_coordinator (standing rows). */
enum svc_status svc_team_pick_services(struct svc_ctx *c, int64_t authority_id, const struct team_row *editing,
                                       void (*fn)(void *arg, const struct service_row *r), void *arg);
/* Authorities where the user may create a team (fn per authority id and
 * name); *n is how many.
 * Checks ACT_CREATE on RES_TEAM somewhere (SVC_FORBIDDEN); lists only authorities where it
 * holds. */
enum svc_status svc_team_create_authorities(struct svc_ctx *c,
                                            void (*fn)(void *arg, int64_t id, const char *name),
                                            void *arg, size_t *n);
/* The authority of a school (for the form: the host school decides). 0 if none. */
int64_t svc_team_school_authority(struct svc_ctx *c, int64_t school_id);

/* Planning a year's meetings. */
struct schedule_result {
    int year;                           /* academic year, e.g. 2026 for 2026/27 */
    bool no_terms;                      /* no term dates recorded for the year */
    size_t planned;                     /* meetings added */
    size_t existed;                     /* dates already covered by a meeting */
    char from[11], to[11];              /* the span planned */
};

/* year_s: "2026" (NULL or "": the current academic year); from_start
 * "yes": plan from the first day of the year rather than from today.
 * Reads term dates and closure days, generates the days for the team's
 * cadence and weekday, and inserts the planned meetings not already there,
 * all in one transaction.  SVC_INVALID with an error on "year" when no term
 * dates are recorded (out->no_terms) or the year is not a year.
 * Checks ACT_VIEW (hidden: SVC_NOT_FOUND) then ACT_EDIT (SVC_FORBIDDEN) on the team. */
enum svc_status svc_team_plan(struct svc_ctx *c, int64_t team_id, const char *year_s,
                              const char *from_start, struct field_errors *errs,
                              struct schedule_result *out);

/* Shared by the meeting use cases: a date typed "YYYY-MM-DD" or "D/M/YYYY"
 * (also with - or . between the parts), and a time "HH:MM" (or "H:MM",
 * "HH.MM") written back as "HH:MM".  0 ok, -1 otherwise. */
int svc_parse_day(const char *s, int32_t *day);
int svc_parse_time(const char *s, char out[6]);
/* "Wednesday 14 January 2026" (out needs 40 bytes). */
void svc_day_long(int32_t day, char *out, size_t outsz);

#endif
