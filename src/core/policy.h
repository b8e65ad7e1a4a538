/* The one policy point.  Every access decision in tas (HTML, JSON, CLI,
 * exports) is made here, by a pure function over a principal (who), an
 * action (what) and a resource (on what).  Deny by default: anything not
 * granted by a rule is refused.  Handlers never test roles themselves. */
#ifndef TAS_CORE_POLICY_H
#define TAS_CORE_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum role {
    ROLE_ADMIN = 0,          /* administrator */
    ROLE_DPO,                /* data protection officer */
    ROLE_STRATEGIC_LEAD,
    ROLE_CASE_COORDINATOR,
    ROLE_SCHOOL_LEAD,        /* head, deputy, SENCO, pastoral (grant.detail) */
    ROLE_PRACTITIONER,       /* service practitioner (grant.detail = service) */
    ROLE_EVALUATOR,
    ROLE_STEERING,           /* steering group: read-only aggregates */
    ROLE_BUDGET_HOLDER,      /* commits and pays against a team's allocation of the pooled budget */
    ROLE_BUDGET_APPROVER,    /* keeps the pooled budget and approves commitments over limits */
    ROLE_APST_MANAGER,       /* runs one AP specialist taskforce (team scope: the taskforce's team) */
    ROLE_APST_SPECIALIST,    /* a specialist of one taskforce (team scope; grant.detail = specialist
                              * type, which the referral's consent must cover) */
    ROLE__COUNT
};

enum scope_kind {
    SCOPE_SYSTEM = 0,        /* whole installation (platform administrator) */
    SCOPE_AUTHORITY,
    SCOPE_SCHOOL,
    SCOPE_TEAM,
    SCOPE_SERVICE,
    SCOPE_PUPIL,             /* one pupil, for a limited time: break-glass only,
                              * never stored in user_roles (see policy.c) */
    SCOPE__COUNT
};

enum action {
    ACT_LIST = 0, ACT_VIEW, ACT_CREATE, ACT_EDIT, ACT_DELETE, ACT_EXPORT,
    ACT__COUNT
};

enum resource_kind {
    RES_AUTHORITY = 0,
    RES_SCHOOL,
    RES_PUPIL,
    RES_USER,
    RES_AGGREGATE,           /* dashboards and statistics: no identifiers */
    RES_AUDIT,
    RES_TEAM,                /* TAS teams, their meetings and attendance: no child data */
    RES_CASE,                /* a pupil's TAS record: consent, case, discussions, actions, referrals */
    RES_REFERENCE,           /* services, practitioners, the signposting playbook, term dates */
    RES_BREAK_GLASS,         /* the record of emergency access, reviewed by the DPO */
    RES_TOOLKIT,             /* screening toolkit definitions: installation-wide, no child data */
    RES_EVIDENCE,            /* evidence for evaluation about a case (its team): the outcomes matrix
                              * classification and change stories; reading is of approved,
                              * de-identified stories only (the service keeps to that) */
    RES_EVALUATION,          /* evaluation data: pupils on roll and counts per school and year, no child data */
    RES_BUDGET,              /* the pooled budget (issue 20): years, contributions, allocations to
                              * teams, commitments and payments, approvals; team_id: the allocation's team */
    RES_APST,                /* an AP specialist taskforce (team_id: its team) and its referrals,
                              * case meetings' decisions, intervention log and MI return */
    RES_GIAS,                /* the schools directory refreshed from GIAS (issue 17): create = import */
    RES__COUNT
};

#define POLICY_MAX_GRANTS 16
#define POLICY_MAX_TEAM_SCHOOLS 32

/* One role held in one scope.  A team grant arrives with the schools of
 * that team already resolved, so the decision needs no I/O. */
struct role_grant {
    enum role role;
    enum scope_kind scope;
    int64_t scope_id;          /* authority/school/team/service id; 0 for SYSTEM */
    int64_t authority_id;      /* authority that contains the scope; 0 for SYSTEM */
    char detail[24];           /* "senco", "head", a service code, ... */
    size_t nschools;           /* SCOPE_TEAM only: schools in the team */
    int64_t school_ids[POLICY_MAX_TEAM_SCHOOLS];
};

struct principal {
    int64_t user_id;
    size_t ngrants;
    struct role_grant grants[POLICY_MAX_GRANTS];
};

#define POLICY_MAX_CONSENT 16
#define POLICY_CODE_MAX 24

/* What is being acted on.  For ACT_LIST and ACT_CREATE, id is 0 and
 * school_id / authority_id say where (0 = "anywhere I may see").
 * The facts after school_id are what the policy cannot look up itself;
 * the service fills them from the database (left zero they grant
 * nothing, so a forgotten fact denies):
 *   pupil_id   RES_CASE: the pupil the record is about (RES_PUPIL: id)
 *   team_id    RES_CASE: the team holding the case; 0 for records about
 *              the pupil as a whole (consents, chronology)
 *   consent    RES_CASE: codes of the services the pupil's consent covers
 *              today (none when there is no current consent); RES_APST
 *              about a pupil (pupil_id set): the specialist types the
 *              taskforce referral's consent covers
 *   staff      RES_APST: the accounts a record belongs to -- a referral's
 *              lead and assigned specialists, an intervention's specialist;
 *              none for the taskforce as a whole (specialists then read
 *              and change only what is theirs, see policy.c) */
#define POLICY_MAX_STAFF 16
struct resource {
    enum resource_kind kind;
    int64_t id;
    int64_t authority_id;
    int64_t school_id;
    int64_t pupil_id;
    int64_t team_id;
    size_t nconsent;
    char consent[POLICY_MAX_CONSENT][POLICY_CODE_MAX];
    size_t nstaff;
    int64_t staff[POLICY_MAX_STAFF];
};

struct decision {
    bool allow;
    const char *reason;        /* static text for logs; never child data */
};

struct decision policy_decide(const struct principal *p, enum action a,
                              const struct resource *r);

/* Visibility for list queries: which rows of a kind the principal may see,
 * so a list can be filtered in SQL instead of row by row.  all = every row
 * in the installation; otherwise the union of whole authorities, single
 * schools, whole teams (teams and case records of a team-scoped grant),
 * and, for case records only, (team, service) pairs -- cases of that team
 * whose pupil's current consent covers that service -- and single pupils
 * (break-glass).  Nothing is visible when all is false and
 * every count is 0 (policy_visible_none). */
#define POLICY_MAX_VISIBLE 64
#define POLICY_MAX_VISIBLE_TEAMS 8
struct visibility {
    bool all;
    size_t nauthorities;
    int64_t authority_ids[POLICY_MAX_VISIBLE];
    size_t nschools;
    int64_t school_ids[POLICY_MAX_VISIBLE];
    size_t nteams;
    int64_t team_ids[POLICY_MAX_VISIBLE_TEAMS];
    char team_services[POLICY_MAX_VISIBLE_TEAMS][POLICY_CODE_MAX];
    size_t npupils;
    int64_t pupil_ids[POLICY_MAX_VISIBLE_TEAMS];
    size_t nwhole_teams;       /* teams the user belongs to: all their records */
    int64_t whole_team_ids[POLICY_MAX_VISIBLE_TEAMS];
};

void policy_visible(const struct principal *p, enum resource_kind k,
                    enum action a, struct visibility *out);
bool policy_visible_none(const struct visibility *v);
/* Whether every record that inner lets through, outer lets through too,
 * judged on the ids alone (an authority in inner must be in outer, not
 * merely hold inner's schools): what may be listed may also be exported
 * only when the export's visibility covers the list's. */
bool policy_visible_covers(const struct visibility *outer, const struct visibility *inner);

/* Break-glass.  A user holding a duty-of-care role (school lead, case
 * coordinator, strategic lead) may ask for emergency, read-only access to
 * one pupil they are refused, inside the authority of that role.  Allowed
 * when they may ask; *role says the role the access is granted under.
 * r is the pupil (RES_PUPIL, id and authority_id set). */
bool policy_duty_of_care(const struct principal *p);
struct decision policy_break_glass(const struct principal *p, const struct resource *r,
                                   enum role *role);
/* Who sets k for the evaluator's extract (a data-protection control): a
 * data protection officer or an administrator whose scope is the whole
 * installation or that authority. */
bool policy_sets_extract_k(const struct principal *p, int64_t authority_id);

/* Roles that never see a name, UPN, date of birth or free text (other than
 * approved, pseudonymised change stories). */
bool policy_role_deidentified(enum role r);

/* The schools whose staff the principal is: a school lead's grant scoped
 * to one school, whose case records it may edit.  Work owned by "the
 * school" (an action owned by a school service) reaches these people.
 * Fills ids (at most max, no repeats) and returns how many. */
size_t policy_staff_schools(const struct principal *p, int64_t *ids, size_t max);

/* The roles among the principal's grants that allow action a on r (bit
 * 1u << role for each), so a use case can apply a limit that belongs to the
 * role, not to the person (the pooled budget's approval limits). */
unsigned policy_roles_allowing(const struct principal *p, enum action a, const struct resource *r);

/* Names used in the database, the CLI and the UI. */
const char *role_code(enum role r);            /* "admin", "dpo", "strategic_lead", ... */
const char *role_label(enum role r);           /* "Administrator", ... */
int role_from_code(const char *s, enum role *out);        /* 0 ok */
const char *scope_code(enum scope_kind s);     /* "system", "authority", ... */
int scope_from_code(const char *s, enum scope_kind *out); /* 0 ok */
const char *action_code(enum action a);
const char *resource_code(enum resource_kind k);

#endif
