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
    ROLE__COUNT
};

enum scope_kind {
    SCOPE_SYSTEM = 0,        /* whole installation (platform administrator) */
    SCOPE_AUTHORITY,
    SCOPE_SCHOOL,
    SCOPE_TEAM,
    SCOPE_SERVICE,
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

/* What is being acted on.  For ACT_LIST and ACT_CREATE, id is 0 and
 * school_id / authority_id say where (0 = "anywhere I may see"). */
struct resource {
    enum resource_kind kind;
    int64_t id;
    int64_t authority_id;
    int64_t school_id;
};

struct decision {
    bool allow;
    const char *reason;        /* static text for logs; never child data */
};

struct decision policy_decide(const struct principal *p, enum action a,
                              const struct resource *r);

/* Visibility for list queries: which rows of a kind the principal may see,
 * so a list can be filtered in SQL instead of row by row.  all = every row
 * in the installation; otherwise the union of whole authorities and single
 * schools.  nothing visible when all is false and both counts are 0. */
#define POLICY_MAX_VISIBLE 64
struct visibility {
    bool all;
    size_t nauthorities;
    int64_t authority_ids[POLICY_MAX_VISIBLE];
    size_t nschools;
    int64_t school_ids[POLICY_MAX_VISIBLE];
};

void policy_visible(const struct principal *p, enum resource_kind k,
                    enum action a, struct visibility *out);

/* Names used in the database, the CLI and the UI. */
const char *role_code(enum role r);            /* "admin", "dpo", "strategic_lead", ... */
const char *role_label(enum role r);           /* "Administrator", ... */
int role_from_code(const char *s, enum role *out);        /* 0 ok */
const char *scope_code(enum scope_kind s);     /* "system", "authority", ... */
int scope_from_code(const char *s, enum scope_kind *out); /* 0 ok */
const char *action_code(enum action a);
const char *resource_code(enum resource_kind k);

#endif
