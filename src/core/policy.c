/* Access policy: one table of rules, deny by default.
 *
 * A rule says: a grant of ROLE, held in one of SCOPES, permits ACTIONS on
 * resources of KIND that lie within its REACH.  A request is allowed when
 * some grant of the principal matches some rule; otherwise it is refused.
 * There are no deny rules, so the order of the table does not matter.
 *
 * Reach:
 *   REACH_SCOPE      the resource lies inside the grant's scope:
 *                    system: everything; authority: resources of that
 *                    authority; school: resources of that school; team:
 *                    resources of the team's schools; service: nothing
 *                    (practitioners reach pupils only through teams).
 *   REACH_AUTHORITY  the resource lies in the authority that contains the
 *                    grant's scope.  Used only for schools and authorities,
 *                    which are public information.
 *   REACH_TEAM_CONSENT  a case record of the grant's team (team scope),
 *                    and only while the pupil's consent covers the
 *                    grant's service (grant.detail = service code): so
 *                    withdrawing consent ends a practitioner's access at
 *                    once.  Records about the pupil as a whole (team_id 0)
 *                    are out of reach, except a list, which is filtered.
 *   REACH_TEAM       as REACH_SCOPE, except that a team-scope grant reaches
 *                    only its own team: the team record itself, and case
 *                    records held by that team (not other teams' cases at
 *                    the same schools).  Records that name no team (a
 *                    pupil's consents, a new case) go by the team's schools.
 *   REACH_PUPIL      the one pupil of a break-glass grant (pupil scope).
 *   REACH_APST_MEMBER  a taskforce specialist (team scope on the
 *                    taskforce's team) reading: the taskforce itself (no
 *                    pupil named); a record about a pupil only when the
 *                    user is among its staff (lead or assigned) AND the
 *                    referral's consent covers the grant's specialist type
 *                    (grant.detail), as TAS practitioners' cases go by
 *                    consent; a record with staff only when theirs.
 *   REACH_APST_OWN   a specialist changing: only records that name staff
 *                    and the user among them (their own intervention, a
 *                    referral they work on), with the same consent rule
 *                    when a pupil is named.  The taskforce as a whole
 *                    (staff, agreements, triage, meetings) is the
 *                    Taskforce Manager's.
 *
 * Pupil-scope grants exist only as break-glass: loaded from the
 * break_glass table while unexpired, never from user_roles.  They match
 * only the rules that name S(SCOPE_PUPIL): read-only, that pupil alone.
 *
 * Evaluators and the steering group never see a name, UPN, date of birth
 * or free text about a child: whatever the table says, their grants reach
 * only authorities, schools (public directory data), aggregates and
 * evidence (approved change stories: pseudonymised text, checked for the
 * pupil's names and UPN before approval, released without identifiers).
 *
 * Whatever the reach, a resource that names an authority must be in the
 * grant's authority: nothing crosses authorities except system grants.
 * A resource inside an authority must say so (authority_id), or only
 * school and team grants, which can check its school, can reach it. */
#include "core/policy.h"
#include "lib/count.h"

#include "core/codes.h"

#include <string.h>

#define A(x) (1u << (x))
#define A_READ (A(ACT_LIST) | A(ACT_VIEW))
#define A_ALL ((1u << ACT__COUNT) - 1u)
#define S(x) (1u << (x))
/* Every scope a role can be given; break-glass pupil grants are named
 * explicitly by the rules they match. */
#define S_ANY (((1u << SCOPE__COUNT) - 1u) & ~S(SCOPE_PUPIL))

enum reach { REACH_SCOPE, REACH_AUTHORITY, REACH_TEAM, REACH_TEAM_CONSENT, REACH_PUPIL, REACH_APST_MEMBER,
             REACH_APST_OWN };

struct rule {
    enum role role;
    enum resource_kind kind;
    unsigned actions;          /* A() bits */
    unsigned scopes;           /* S() bits: grant scopes the rule applies to */
    enum reach reach;
    const char *reason;
};

static const struct rule rules[] = {
    /* Administrator: everything within scope.  Only a system administrator
     * creates or deletes authorities.  The audit trail is read-only, even
     * for administrators: it is how their own actions are checked. */
    {ROLE_ADMIN, RES_AUTHORITY, A_READ | A(ACT_EDIT) | A(ACT_EXPORT), S_ANY, REACH_SCOPE,
     "administrator: authority in scope"},
    {ROLE_ADMIN, RES_AUTHORITY, A(ACT_CREATE) | A(ACT_DELETE), S(SCOPE_SYSTEM), REACH_SCOPE,
     "system administrator: create or delete authorities"},
    {ROLE_ADMIN, RES_SCHOOL, A_ALL, S_ANY, REACH_SCOPE, "administrator: school in scope"},
    {ROLE_ADMIN, RES_PUPIL, A_ALL, S_ANY, REACH_SCOPE, "administrator: pupil in scope"},
    {ROLE_ADMIN, RES_USER, A_ALL, S_ANY, REACH_SCOPE, "administrator: user in scope"},
    {ROLE_ADMIN, RES_AGGREGATE, A_ALL, S_ANY, REACH_SCOPE, "administrator: statistics in scope"},
    {ROLE_ADMIN, RES_AUDIT, A_READ | A(ACT_EXPORT), S_ANY, REACH_SCOPE,
     "administrator: audit trail in scope"},

    /* Data protection officer: reads and exports (subject access requests,
     * breach investigation); never changes anything. */
    {ROLE_DPO, RES_AUTHORITY, A_READ | A(ACT_EXPORT), S_ANY, REACH_SCOPE, "DPO: authority in scope"},
    {ROLE_DPO, RES_SCHOOL, A_READ | A(ACT_EXPORT), S_ANY, REACH_SCOPE, "DPO: school in scope"},
    {ROLE_DPO, RES_PUPIL, A_READ | A(ACT_EXPORT), S_ANY, REACH_SCOPE, "DPO: pupil in scope"},
    {ROLE_DPO, RES_AUDIT, A_READ | A(ACT_EXPORT), S_ANY, REACH_SCOPE, "DPO: audit trail in scope"},
    {ROLE_DPO, RES_USER, A_READ, S_ANY, REACH_SCOPE, "DPO: user in scope"},

    /* Strategic Lead: reads pupils of their authority or team. */
    {ROLE_STRATEGIC_LEAD, RES_AUTHORITY, A_READ, S_ANY, REACH_AUTHORITY,
     "strategic lead: own authority"},
    {ROLE_STRATEGIC_LEAD, RES_SCHOOL, A_READ, S_ANY, REACH_AUTHORITY,
     "strategic lead: school in own authority"},
    {ROLE_STRATEGIC_LEAD, RES_PUPIL, A_READ, S(SCOPE_AUTHORITY) | S(SCOPE_TEAM), REACH_SCOPE,
     "strategic lead: pupil in scope"},
    {ROLE_STRATEGIC_LEAD, RES_AGGREGATE, A(ACT_VIEW), S_ANY, REACH_SCOPE,
     "strategic lead: statistics in scope"},

    /* Case Coordinator: keeps pupil records of their authority or team. */
    {ROLE_CASE_COORDINATOR, RES_AUTHORITY, A_READ, S_ANY, REACH_AUTHORITY,
     "case coordinator: own authority"},
    {ROLE_CASE_COORDINATOR, RES_SCHOOL, A_READ, S_ANY, REACH_AUTHORITY,
     "case coordinator: school in own authority"},
    {ROLE_CASE_COORDINATOR, RES_PUPIL, A_READ | A(ACT_CREATE) | A(ACT_EDIT),
     S(SCOPE_AUTHORITY) | S(SCOPE_TEAM), REACH_SCOPE, "case coordinator: pupil in scope"},
    {ROLE_CASE_COORDINATOR, RES_AGGREGATE, A(ACT_VIEW), S_ANY, REACH_SCOPE,
     "case coordinator: statistics in scope"},

    /* School lead: sees the schools of their authority, edits their own
     * school, and keeps the records of their own school's pupils. */
    {ROLE_SCHOOL_LEAD, RES_AUTHORITY, A_READ, S_ANY, REACH_AUTHORITY,
     "school lead: own authority"},
    {ROLE_SCHOOL_LEAD, RES_SCHOOL, A_READ, S_ANY, REACH_AUTHORITY,
     "school lead: school in own authority"},
    {ROLE_SCHOOL_LEAD, RES_SCHOOL, A(ACT_EDIT), S(SCOPE_SCHOOL), REACH_SCOPE,
     "school lead: own school"},
    {ROLE_SCHOOL_LEAD, RES_PUPIL, A_READ | A(ACT_CREATE) | A(ACT_EDIT), S(SCOPE_SCHOOL),
     REACH_SCOPE, "school lead: pupil in own school"},

    /* Service practitioner: pupils only of the schools in their teams. */
    {ROLE_PRACTITIONER, RES_AUTHORITY, A_READ, S_ANY, REACH_AUTHORITY,
     "practitioner: own authority"},
    {ROLE_PRACTITIONER, RES_SCHOOL, A_READ, S_ANY, REACH_AUTHORITY,
     "practitioner: school in own authority"},
    {ROLE_PRACTITIONER, RES_PUPIL, A_READ, S(SCOPE_TEAM), REACH_SCOPE,
     "practitioner: pupil in a school of own team"},

    /* Evaluator: statistics only, never pupils. */
    {ROLE_EVALUATOR, RES_AUTHORITY, A_READ, S_ANY, REACH_AUTHORITY, "evaluator: own authority"},
    {ROLE_EVALUATOR, RES_SCHOOL, A_READ, S_ANY, REACH_AUTHORITY,
     "evaluator: school in own authority"},
    {ROLE_EVALUATOR, RES_AGGREGATE, A_READ | A(ACT_EXPORT), S_ANY, REACH_SCOPE,
     "evaluator: statistics in scope"},

    /* Steering group: read-only statistics, never pupils. */
    {ROLE_STEERING, RES_AUTHORITY, A_READ, S_ANY, REACH_AUTHORITY, "steering group: own authority"},
    {ROLE_STEERING, RES_SCHOOL, A_READ, S_ANY, REACH_AUTHORITY,
     "steering group: school in own authority"},
    {ROLE_STEERING, RES_AGGREGATE, A_READ, S_ANY, REACH_SCOPE, "steering group: statistics in scope"},

    /* The TAS workflow.  Teams and meetings hold no child data (an agenda's
     * cases are checked as RES_CASE); a team lies at its host school.  Case
     * records follow the pupil's school.  Reference data (services,
     * practitioners, playbook, term dates) is shared across an authority. */
    {ROLE_ADMIN, RES_TEAM, A_ALL, S_ANY, REACH_SCOPE, "administrator: team in scope"},
    {ROLE_ADMIN, RES_CASE, A_ALL, S_ANY, REACH_SCOPE, "administrator: case in scope"},
    {ROLE_ADMIN, RES_REFERENCE, A_ALL, S_ANY, REACH_SCOPE, "administrator: reference data"},
    {ROLE_DPO, RES_TEAM, A_READ | A(ACT_EXPORT), S_ANY, REACH_SCOPE, "DPO: team in scope"},
    {ROLE_DPO, RES_CASE, A_READ | A(ACT_EXPORT), S_ANY, REACH_SCOPE, "DPO: case in scope"},
    {ROLE_DPO, RES_REFERENCE, A_READ, S_ANY, REACH_AUTHORITY, "DPO: reference data"},

    {ROLE_CASE_COORDINATOR, RES_TEAM, A_READ | A(ACT_CREATE) | A(ACT_EDIT) | A(ACT_EXPORT),
     S(SCOPE_AUTHORITY) | S(SCOPE_TEAM), REACH_TEAM, "case coordinator: team in scope (meeting lists as files)"},
    {ROLE_CASE_COORDINATOR, RES_CASE, A_READ | A(ACT_CREATE) | A(ACT_EDIT),
     S(SCOPE_AUTHORITY) | S(SCOPE_TEAM), REACH_TEAM, "case coordinator: case in scope"},
    {ROLE_CASE_COORDINATOR, RES_REFERENCE, A_READ | A(ACT_CREATE) | A(ACT_EDIT), S_ANY,
     REACH_AUTHORITY, "case coordinator: keeps the playbook and practitioners"},

    {ROLE_STRATEGIC_LEAD, RES_TEAM, A_READ | A(ACT_EDIT), S(SCOPE_AUTHORITY) | S(SCOPE_TEAM),
     REACH_TEAM, "strategic lead: team in scope"},
    {ROLE_STRATEGIC_LEAD, RES_CASE, A_READ | A(ACT_EDIT), S(SCOPE_AUTHORITY) | S(SCOPE_TEAM),
     REACH_TEAM, "strategic lead: case in scope"},
    {ROLE_STRATEGIC_LEAD, RES_REFERENCE, A_READ, S_ANY, REACH_AUTHORITY,
     "strategic lead: reference data"},

    {ROLE_SCHOOL_LEAD, RES_TEAM, A_READ, S(SCOPE_SCHOOL), REACH_SCOPE, "school lead: own school's team"},
    {ROLE_SCHOOL_LEAD, RES_CASE, A_READ | A(ACT_CREATE) | A(ACT_EDIT), S(SCOPE_SCHOOL), REACH_SCOPE,
     "school lead: cases of own school"},
    {ROLE_SCHOOL_LEAD, RES_REFERENCE, A_READ, S_ANY, REACH_AUTHORITY, "school lead: reference data"},

    {ROLE_PRACTITIONER, RES_TEAM, A_READ, S(SCOPE_TEAM), REACH_TEAM, "practitioner: own team"},
    {ROLE_PRACTITIONER, RES_CASE, A_READ | A(ACT_EDIT), S(SCOPE_TEAM), REACH_TEAM_CONSENT,
     "practitioner: case of own team, consent covers own service"},
    {ROLE_PRACTITIONER, RES_REFERENCE, A_READ, S_ANY, REACH_AUTHORITY, "practitioner: reference data"},

    /* The break-glass record: the DPO lists, reads and marks entries
     * reviewed; administrators may read it.  Nobody else, not even the
     * person who broke the glass. */
    {ROLE_DPO, RES_BREAK_GLASS, A_READ | A(ACT_EDIT) | A(ACT_EXPORT), S_ANY, REACH_SCOPE,
     "DPO: reviews emergency access"},
    {ROLE_ADMIN, RES_BREAK_GLASS, A_READ, S_ANY, REACH_SCOPE, "administrator: emergency access record"},

    /* Screening toolkit definitions serve every authority of the
     * installation, so only a platform administrator loads or revises them
     * (completions are case records, RES_CASE). */
    {ROLE_ADMIN, RES_TOOLKIT, A_ALL, S(SCOPE_SYSTEM), REACH_SCOPE,
     "system administrator: screening toolkit definitions"},

    /* Evidence for evaluation (Annex A of the Bedford report): the case
     * coordinator classifies closed cases in the outcomes matrix and
     * approves or returns change stories (edit); evaluators and strategic
     * leads read approved stories, which carry no identifiers.  Drafting a
     * story is a change to a case record (RES_CASE edit). */
    {ROLE_ADMIN, RES_EVIDENCE, A_ALL, S_ANY, REACH_SCOPE, "administrator: evidence in scope"},
    {ROLE_CASE_COORDINATOR, RES_EVIDENCE, A_READ | A(ACT_EDIT), S(SCOPE_AUTHORITY) | S(SCOPE_TEAM), REACH_TEAM,
     "case coordinator: classifies outcomes and approves change stories"},
    {ROLE_STRATEGIC_LEAD, RES_EVIDENCE, A_READ, S(SCOPE_AUTHORITY) | S(SCOPE_TEAM), REACH_TEAM,
     "strategic lead: approved change stories in scope"},
    {ROLE_EVALUATOR, RES_EVIDENCE, A_READ, S_ANY, REACH_SCOPE, "evaluator: approved change stories in scope"},

    /* Evaluation data (issue 14): pupils on roll and counts by kind per
     * school and academic year, from which "did it work?" is computed.
     * Authority-level evaluators and strategic leads enter and import it
     * and export the evaluation's tables; the steering group reads the
     * results; a team-scoped lead does not see other teams' schools.  No
     * child data, so the de-identified roles may reach it. */
    {ROLE_ADMIN, RES_EVALUATION, A_ALL, S_ANY, REACH_SCOPE, "administrator: evaluation data in scope"},
    {ROLE_EVALUATOR, RES_EVALUATION, A_READ | A(ACT_CREATE) | A(ACT_EDIT) | A(ACT_EXPORT),
     S(SCOPE_AUTHORITY), REACH_SCOPE, "evaluator: evaluation data of own authority"},
    {ROLE_STRATEGIC_LEAD, RES_EVALUATION, A_READ | A(ACT_CREATE) | A(ACT_EDIT) | A(ACT_EXPORT),
     S(SCOPE_AUTHORITY), REACH_SCOPE, "strategic lead: evaluation data of own authority"},
    {ROLE_STEERING, RES_EVALUATION, A_READ, S(SCOPE_AUTHORITY), REACH_SCOPE,
     "steering group: evaluation results of own authority"},

    /* The pooled budget (issue 20).  Deny by default: only these.  The
     * approver (authority scope) keeps the pool -- years, partners'
     * contributions, allocations to teams, limits -- and approves
     * commitments (edit); the budget holder commits and records payments
     * against allocations in their scope (create), a team-scoped holder
     * only their own team's; neither does the other's part, so no one
     * both spends and approves.  Strategic leads read and export the
     * figures for the safeguarding partnership board.  Money limits per
     * role are applied by the service (core/budget.c), not here. */
    {ROLE_ADMIN, RES_BUDGET, A_ALL, S_ANY, REACH_SCOPE, "administrator: pooled budget in scope"},
    {ROLE_BUDGET_APPROVER, RES_BUDGET, A_READ | A(ACT_EDIT) | A(ACT_EXPORT), S(SCOPE_AUTHORITY), REACH_SCOPE,
     "budget approver: keeps the pool and approves commitments in own authority"},
    {ROLE_BUDGET_HOLDER, RES_BUDGET, A_READ | A(ACT_CREATE) | A(ACT_EXPORT), S(SCOPE_AUTHORITY) | S(SCOPE_TEAM),
     REACH_TEAM, "budget holder: commits and pays against allocations in scope"},
    {ROLE_STRATEGIC_LEAD, RES_BUDGET, A_READ | A(ACT_EXPORT), S(SCOPE_AUTHORITY), REACH_SCOPE,
     "strategic lead: pooled budget reports of own authority"},
    /* Alternative Provision Specialist Taskforces (issue 19; DfE APST
     * implementation advice, March 2024).  A taskforce is a team hosted by
     * an AP school; its records go by that team (team_id), so its referrals
     * may be of pupils at other schools (outreach).  The authority's case
     * coordinators and strategic leads reach every taskforce there; the
     * DPO reads.  The Taskforce Manager and the specialists have roles of
     * their own (below), held in team scope on the taskforce's team; the
     * TAS roles in team scope (coordinator, practitioner) reach no
     * taskforce.  School leads, evaluators and the steering group: nothing
     * (the MI return is reached through the taskforce).  Writes inside a
     * taskforce are ACT_EDIT on it; ACT_CREATE makes a taskforce. */
    {ROLE_ADMIN, RES_APST, A_ALL, S_ANY, REACH_SCOPE, "administrator: taskforce in scope"},
    {ROLE_DPO, RES_APST, A_READ | A(ACT_EXPORT), S_ANY, REACH_SCOPE, "DPO: taskforce in scope"},
    {ROLE_CASE_COORDINATOR, RES_APST, A_READ | A(ACT_CREATE) | A(ACT_EDIT) | A(ACT_EXPORT),
     S(SCOPE_AUTHORITY), REACH_TEAM, "case coordinator: taskforces of own authority"},
    {ROLE_STRATEGIC_LEAD, RES_APST, A_READ | A(ACT_EXPORT), S(SCOPE_AUTHORITY) | S(SCOPE_TEAM), REACH_TEAM,
     "strategic lead: taskforce in scope"},
    /* The Taskforce Manager (team scope on the taskforce's team) runs it:
     * specialists, agreements, referrals and their triage and consent,
     * weekly meetings, the intervention log, the MI return and costs.  They
     * see the pupils of the AP school (to refer them) and the team's
     * meetings (the TAS meeting pages), and nothing of other teams. */
    {ROLE_APST_MANAGER, RES_APST, A_READ | A(ACT_EDIT) | A(ACT_EXPORT), S(SCOPE_TEAM), REACH_TEAM,
     "Taskforce Manager: own taskforce"},
    {ROLE_APST_MANAGER, RES_TEAM, A_READ | A(ACT_EDIT), S(SCOPE_TEAM), REACH_TEAM,
     "Taskforce Manager: the taskforce's team and its meetings"},
    {ROLE_APST_MANAGER, RES_PUPIL, A_READ, S(SCOPE_TEAM), REACH_SCOPE,
     "Taskforce Manager: pupils of the AP school"},
    {ROLE_APST_MANAGER, RES_AUTHORITY, A_READ, S_ANY, REACH_AUTHORITY, "Taskforce Manager: own authority"},
    {ROLE_APST_MANAGER, RES_SCHOOL, A_READ, S_ANY, REACH_AUTHORITY,
     "Taskforce Manager: school in own authority"},
    {ROLE_APST_MANAGER, RES_REFERENCE, A_READ, S_ANY, REACH_AUTHORITY, "Taskforce Manager: reference data"},
    /* A specialist of the taskforce: the taskforce's page; the referrals
     * they lead or are assigned to, and only while the referral's consent
     * covers their type (grant.detail); their own interventions.  No pupil
     * records of their own (RES_PUPIL): a pupil is seen through a referral. */
    {ROLE_APST_SPECIALIST, RES_APST, A_READ, S(SCOPE_TEAM), REACH_APST_MEMBER,
     "specialist: own taskforce, own referrals with consent"},
    {ROLE_APST_SPECIALIST, RES_APST, A(ACT_EDIT), S(SCOPE_TEAM), REACH_APST_OWN,
     "specialist: own work, with consent"},
    {ROLE_APST_SPECIALIST, RES_TEAM, A_READ, S(SCOPE_TEAM), REACH_TEAM, "specialist: the taskforce's team"},
    {ROLE_APST_SPECIALIST, RES_AUTHORITY, A_READ, S_ANY, REACH_AUTHORITY, "specialist: own authority"},
    {ROLE_APST_SPECIALIST, RES_SCHOOL, A_READ, S_ANY, REACH_AUTHORITY, "specialist: school in own authority"},
    {ROLE_APST_SPECIALIST, RES_REFERENCE, A_READ, S_ANY, REACH_AUTHORITY, "specialist: reference data"},

    /* Break-glass grants (duty-of-care roles only, see duty_of_care):
     * read the one pupil and their case records, change nothing. */
    {ROLE_SCHOOL_LEAD, RES_PUPIL, A(ACT_VIEW), S(SCOPE_PUPIL), REACH_PUPIL,
     "break-glass: school lead, one pupil"},
    {ROLE_SCHOOL_LEAD, RES_CASE, A_READ, S(SCOPE_PUPIL), REACH_PUPIL,
     "break-glass: school lead, one pupil's cases"},
    {ROLE_CASE_COORDINATOR, RES_PUPIL, A(ACT_VIEW), S(SCOPE_PUPIL), REACH_PUPIL,
     "break-glass: case coordinator, one pupil"},
    {ROLE_CASE_COORDINATOR, RES_CASE, A_READ, S(SCOPE_PUPIL), REACH_PUPIL,
     "break-glass: case coordinator, one pupil's cases"},
    {ROLE_STRATEGIC_LEAD, RES_PUPIL, A(ACT_VIEW), S(SCOPE_PUPIL), REACH_PUPIL,
     "break-glass: strategic lead, one pupil"},
    {ROLE_STRATEGIC_LEAD, RES_CASE, A_READ, S(SCOPE_PUPIL), REACH_PUPIL,
     "break-glass: strategic lead, one pupil's cases"},

    /* Importing the DfE's GIAS establishment file (issue 17): it adds and
     * changes schools of an authority (no child data), so administrators
     * in scope and case coordinators of a whole authority refresh their
     * directory from it; each row is checked against its authority. */
    {ROLE_ADMIN, RES_GIAS, A(ACT_CREATE) | A(ACT_EDIT), S_ANY, REACH_SCOPE, "administrator: GIAS import in scope"},
    {ROLE_CASE_COORDINATOR, RES_GIAS, A(ACT_CREATE) | A(ACT_EDIT), S(SCOPE_AUTHORITY), REACH_SCOPE,
     "case coordinator: GIAS import for own authority"},
};

#define NRULES (COUNT(rules))


/* Where a resource is.  any: a LIST or CREATE with no id, where a zero
 * school or authority means "anywhere I may act" (the list is then
 * filtered by policy_visible, the create checked again with a place). */
struct place {
    int64_t authority;
    int64_t school;
    bool any;
};

/* False when the resource contradicts itself, e.g. a school whose id and
 * school_id differ: refused rather than guessed at. */
static bool locate(enum action a, const struct resource *r, struct place *pl)
{
    pl->authority = r->authority_id;
    pl->school = r->school_id;
    pl->any = (a == ACT_LIST || a == ACT_CREATE) && r->id == 0;
    if (r->id < 0 || r->authority_id < 0 || r->school_id < 0)
        return false;
    if (r->kind == RES_AUTHORITY) {
        if (r->school_id != 0)
            return false;
        if (r->id != 0) {
            if (pl->authority != 0 && pl->authority != r->id)
                return false;
            pl->authority = r->id;
        }
    } else if (r->kind == RES_SCHOOL && r->id != 0) {
        if (pl->school != 0 && pl->school != r->id)
            return false;
        pl->school = r->id;
    }
    return true;
}

/* Grants come from the database; treat any out-of-range field as no grant. */
static bool grant_ok(const struct role_grant *g)
{
    return (unsigned)g->role < ROLE__COUNT && (unsigned)g->scope < SCOPE__COUNT &&
           g->nschools <= POLICY_MAX_TEAM_SCHOOLS;
}

/* The authority containing the grant's scope; 0 when unknown or
 * contradictory (such a grant then reaches nothing). */
static int64_t grant_authority(const struct role_grant *g)
{
    if (g->scope == SCOPE_AUTHORITY) {
        if (g->authority_id != 0 && g->scope_id != 0 && g->authority_id != g->scope_id)
            return 0;
        return g->authority_id ? g->authority_id : g->scope_id;
    }
    return g->authority_id > 0 ? g->authority_id : 0;
}

static bool team_has(const struct role_grant *g, int64_t school)
{
    for (size_t i = 0; i < g->nschools; i++)
        if (g->school_ids[i] == school)
            return true;
    return false;
}

static bool team_any(const struct role_grant *g)
{
    for (size_t i = 0; i < g->nschools; i++)
        if (g->school_ids[i] > 0)
            return true;
    return false;
}

static bool consent_covers(const struct resource *r, const char *service)
{
    if (!service[0] || r->nconsent > POLICY_MAX_CONSENT)
        return false;
    for (size_t i = 0; i < r->nconsent; i++)
        if (strncmp(r->consent[i], service, POLICY_CODE_MAX) == 0)
            return true;
    return false;
}

/* The pupil a resource is about, or 0. */
static int64_t pupil_of(const struct resource *r)
{
    if (r->kind == RES_PUPIL)
        return r->id != 0 && r->pupil_id != 0 && r->pupil_id != r->id ? -1 : r->id;
    return r->kind == RES_CASE ? r->pupil_id : 0;
}

static bool staff_has(const struct resource *r, int64_t user_id)
{
    if (user_id <= 0 || r->nstaff > POLICY_MAX_STAFF)
        return false;
    for (size_t i = 0; i < r->nstaff; i++)
        if (r->staff[i] == user_id)
            return true;
    return false;
}

/* A taskforce specialist: own team only; a record about a pupil needs
 * the user among its staff and consent covering their type; a record
 * with staff needs the user among them; own (for changes) needs staff. */
static bool apst_member_reaches(const struct role_grant *g, enum reach reach, const struct resource *r,
                                int64_t user_id)
{
    if (r->kind != RES_APST || g->scope != SCOPE_TEAM || g->scope_id <= 0 || !team_any(g))
        return false;
    if (r->team_id != g->scope_id)
        return false;
    if (reach == REACH_APST_OWN && r->nstaff == 0)
        return false;
    if (r->nstaff > 0 && !staff_has(r, user_id))
        return false;
    if (r->pupil_id != 0)
        return r->nstaff > 0 && consent_covers(r, g->detail);
    return true;
}

static bool reaches(const struct role_grant *g, enum reach reach, const struct resource *r,
                    const struct place *pl, int64_t user_id)
{
    enum resource_kind k = r->kind;
    if (reach == REACH_PUPIL) {
        /* One pupil, in its authority, named by the resource itself. */
        int64_t pupil = pupil_of(r);
        return g->scope == SCOPE_PUPIL && g->scope_id > 0 && pupil == g->scope_id &&
               g->authority_id > 0 && pl->authority == g->authority_id;
    }
    if (g->scope == SCOPE_SYSTEM)
        return true;
    int64_t ga = grant_authority(g);
    if (ga <= 0)
        return false;
    if (pl->authority != 0 && pl->authority != ga)
        return false;   /* never across authorities */
    /* Below: the place is in the grant's authority, or does not say. */
    bool anywhere_in_authority = pl->authority != 0 || (pl->any && pl->school == 0);
    if (reach == REACH_AUTHORITY)
        return anywhere_in_authority;
    if (reach == REACH_TEAM && g->scope == SCOPE_TEAM) {
        int64_t t = k == RES_TEAM                                                                     ? r->id
                    : k == RES_CASE || k == RES_EVIDENCE || k == RES_BUDGET || k == RES_APST ? r->team_id
                                                                                               : 0;
        if (t != 0)   /* an inactive team (no schools) reaches nothing */
            return g->scope_id > 0 && t == g->scope_id && team_any(g);
        /* no team named: by the team's schools, below */
    }
    if (reach == REACH_APST_MEMBER || reach == REACH_APST_OWN)
        return apst_member_reaches(g, reach, r, user_id);
    if (reach == REACH_TEAM_CONSENT) {
        if (g->scope != SCOPE_TEAM || g->scope_id <= 0)
            return false;
        if (r->team_id == 0)   /* a list, filtered by (team, service) */
            return pl->any && r->id == 0 &&
                   (pl->school != 0 ? team_has(g, pl->school) : team_any(g));
        return r->team_id == g->scope_id && consent_covers(r, g->detail);
    }
    switch (g->scope) {
    case SCOPE_AUTHORITY:
        return anywhere_in_authority;
    case SCOPE_SCHOOL:
        if (k == RES_AUTHORITY || g->scope_id <= 0)
            return false;
        return pl->school != 0 ? pl->school == g->scope_id : pl->any;
    case SCOPE_TEAM:
        if (k == RES_AUTHORITY)
            return false;
        return pl->school != 0 ? team_has(g, pl->school) : pl->any && team_any(g);
    case SCOPE_SERVICE:
    case SCOPE_PUPIL:
    case SCOPE_SYSTEM:
    case SCOPE__COUNT:
        break;
    }
    return false;
}

bool policy_sets_extract_k(const struct principal *p, int64_t authority_id)
{
    for (size_t i = 0; p && authority_id > 0 && i < p->ngrants && i < POLICY_MAX_GRANTS; i++) {
        const struct role_grant *g = &p->grants[i];
        if (g->role != ROLE_DPO && g->role != ROLE_ADMIN)
            continue;
        if (g->scope == SCOPE_SYSTEM || (g->scope == SCOPE_AUTHORITY && g->scope_id == authority_id))
            return true;
    }
    return false;
}

bool policy_role_deidentified(enum role r)
{
    return r == ROLE_EVALUATOR || r == ROLE_STEERING;
}

/* What a de-identified role may ever reach: public directory data and
 * statistics.  Checked apart from the table, so no rule added later can
 * show them a child. */
static bool deidentified_may(enum resource_kind k)
{
    return k == RES_AUTHORITY || k == RES_SCHOOL || k == RES_AGGREGATE || k == RES_EVIDENCE ||
           k == RES_EVALUATION;
}

static bool rule_matches(const struct rule *ru, const struct role_grant *g,
                         enum resource_kind k, enum action a)
{
    return ru->role == g->role && ru->kind == k && (ru->actions & A(a)) &&
           (ru->scopes & S(g->scope));
}

static struct decision deny(const char *reason)
{
    struct decision d = {false, reason};
    return d;
}

static bool principal_ok(const struct principal *p)
{
    return p && p->ngrants > 0 && p->ngrants <= POLICY_MAX_GRANTS;
}

struct decision policy_decide(const struct principal *p, enum action a,
                              const struct resource *r)
{
    if (!p)
        return deny("denied: not signed in");
    if (!r || (unsigned)a >= ACT__COUNT || (unsigned)r->kind >= RES__COUNT)
        return deny("denied: unknown action or resource");
    if (p->ngrants == 0)
        return deny("denied: user has no roles");
    if (p->read_only && a != ACT_LIST && a != ACT_VIEW)
        return deny("denied: a read-only token");
    /* A count beyond the array would read zeroed grants, which look like
     * system administrators (both enums start at 0). */
    if (!principal_ok(p))
        return deny("denied: malformed principal");
    struct place pl;
    if (!locate(a, r, &pl))
        return deny("denied: inconsistent resource");

    bool role_permits = false;
    for (size_t i = 0; i < p->ngrants; i++) {
        const struct role_grant *g = &p->grants[i];
        if (!grant_ok(g))
            continue;
        if (policy_role_deidentified(g->role) && !deidentified_may(r->kind))
            continue;
        for (size_t j = 0; j < NRULES; j++) {
            if (!rule_matches(&rules[j], g, r->kind, a))
                continue;
            role_permits = true;
            if (reaches(g, rules[j].reach, r, &pl, p->user_id)) {
                struct decision d = {true, rules[j].reason};
                return d;
            }
        }
    }
    return deny(role_permits ? "denied: outside the scope of the user's roles"
                             : "denied: no role permits this action");
}

unsigned policy_roles_allowing(const struct principal *p, enum action a, const struct resource *r)
{
    unsigned roles = 0;
    if (!principal_ok(p))
        return 0;
    for (size_t i = 0; i < p->ngrants; i++) {
        if (!grant_ok(&p->grants[i]))
            continue;
        struct principal one = {.user_id = p->user_id, .read_only = p->read_only, .ngrants = 1,
                                .grants = {p->grants[i]}};
        if (policy_decide(&one, a, r).allow)
            roles |= 1u << p->grants[i].role;
    }
    return roles;
}

static void add_id(int64_t *ids, size_t *n, int64_t id)
{
    if (id <= 0)
        return;
    for (size_t i = 0; i < *n; i++)
        if (ids[i] == id)
            return;
    if (*n < POLICY_MAX_VISIBLE)   /* beyond the cap: shows less, never more */
        ids[(*n)++] = id;
}

size_t policy_staff_schools(const struct principal *p, int64_t *ids, size_t max)
{
    size_t n = 0;
    if (!principal_ok(p) || !ids)
        return 0;
    for (size_t i = 0; i < p->ngrants && n < max; i++) {
        const struct role_grant *g = &p->grants[i];
        if (!grant_ok(g) || g->role != ROLE_SCHOOL_LEAD || g->scope != SCOPE_SCHOOL || g->scope_id <= 0)
            continue;
        struct resource r = {.kind = RES_CASE, .authority_id = grant_authority(g), .school_id = g->scope_id};
        struct principal one = {.user_id = p->user_id, .read_only = p->read_only, .ngrants = 1, .grants = {*g}};
        if (!policy_decide(&one, ACT_EDIT, &r).allow)
            continue;
        bool dup = false;
        for (size_t k = 0; k < n; k++)
            dup |= ids[k] == g->scope_id;
        if (!dup)
            ids[n++] = g->scope_id;
    }
    return n;
}

bool policy_visible_none(const struct visibility *v)
{
    return !v->all && !v->nauthorities && !v->nschools && !v->nteams && !v->npupils && !v->nwhole_teams;
}

static bool has_id(const int64_t *ids, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

bool policy_visible_covers(const struct visibility *outer, const struct visibility *inner)
{
    if (outer->all)
        return true;
    if (inner->all)
        return false;
    for (size_t i = 0; i < inner->nauthorities; i++)
        if (!has_id(outer->authority_ids, outer->nauthorities, inner->authority_ids[i]))
            return false;
    for (size_t i = 0; i < inner->nschools; i++)
        if (!has_id(outer->school_ids, outer->nschools, inner->school_ids[i]))
            return false;
    for (size_t i = 0; i < inner->npupils; i++)
        if (!has_id(outer->pupil_ids, outer->npupils, inner->pupil_ids[i]))
            return false;
    for (size_t i = 0; i < inner->nwhole_teams; i++)
        if (!has_id(outer->whole_team_ids, outer->nwhole_teams, inner->whole_team_ids[i]))
            return false;
    /* A team seen through one service: covered by the whole team, or by
     * the same team and service. */
    for (size_t i = 0; i < inner->nteams; i++) {
        bool found = has_id(outer->whole_team_ids, outer->nwhole_teams, inner->team_ids[i]);
        for (size_t k = 0; !found && k < outer->nteams; k++)
            found = outer->team_ids[k] == inner->team_ids[i] &&
                    strcmp(outer->team_services[k], inner->team_services[i]) == 0;
        if (!found)
            return false;
    }
    return true;
}

static void add_whole_team(struct visibility *out, int64_t team)
{
    for (size_t i = 0; i < out->nwhole_teams; i++)
        if (out->whole_team_ids[i] == team)
            return;
    if (out->nwhole_teams < POLICY_MAX_VISIBLE_TEAMS)   /* beyond the cap: shows less */
        out->whole_team_ids[out->nwhole_teams++] = team;
}

static void add_team(struct visibility *out, int64_t team, const char *service)
{
    if (team <= 0 || !service[0])
        return;
    for (size_t i = 0; i < out->nteams; i++)
        if (out->team_ids[i] == team && strncmp(out->team_services[i], service, POLICY_CODE_MAX) == 0)
            return;
    if (out->nteams < POLICY_MAX_VISIBLE_TEAMS) {   /* beyond the cap: shows less */
        out->team_ids[out->nteams] = team;
        char *dst = out->team_services[out->nteams];
        size_t n = strnlen(service, POLICY_CODE_MAX - 1);
        memcpy(dst, service, n);
        dst[n] = '\0';
        out->nteams++;
    }
}

void policy_visible(const struct principal *p, enum resource_kind k,
                    enum action a, struct visibility *out)
{
    if (!out)
        return;
    memset(out, 0, sizeof *out);
    if (!principal_ok(p) || (unsigned)k >= RES__COUNT || (unsigned)a >= ACT__COUNT)
        return;
    for (size_t i = 0; i < p->ngrants; i++) {
        const struct role_grant *g = &p->grants[i];
        if (!grant_ok(g))
            continue;
        if (policy_role_deidentified(g->role) && !deidentified_may(k))
            continue;
        for (size_t j = 0; j < NRULES; j++) {
            const struct rule *ru = &rules[j];
            if (!rule_matches(ru, g, k, a))
                continue;
            if (ru->reach == REACH_PUPIL) {
                if (g->scope == SCOPE_PUPIL && g->scope_id > 0 && g->authority_id > 0 &&
                    out->npupils < POLICY_MAX_VISIBLE_TEAMS) {
                    bool dup = false;
                    for (size_t q = 0; q < out->npupils; q++)
                        dup |= out->pupil_ids[q] == g->scope_id;
                    if (!dup)
                        out->pupil_ids[out->npupils++] = g->scope_id;
                }
                continue;
            }
            if ((ru->reach == REACH_APST_MEMBER || ru->reach == REACH_APST_OWN) && k == RES_APST) {
                /* The taskforces a specialist belongs to; their referrals
                 * are then checked one by one (svc_apst). */
                if (g->scope == SCOPE_TEAM && g->scope_id > 0 && team_any(g) && grant_authority(g) > 0)
                    add_whole_team(out, g->scope_id);
                continue;
            }
            if (ru->reach == REACH_APST_MEMBER || ru->reach == REACH_APST_OWN)
                continue;
            if (ru->reach == REACH_TEAM && g->scope == SCOPE_TEAM &&
                (k == RES_TEAM || k == RES_CASE || k == RES_EVIDENCE || k == RES_BUDGET || k == RES_APST)) {
                if (g->scope_id > 0 && team_any(g) && grant_authority(g) > 0)
                    add_whole_team(out, g->scope_id);
                continue;
            }
            if (ru->reach == REACH_TEAM_CONSENT) {
                if (g->scope == SCOPE_TEAM && grant_authority(g) > 0)
                    add_team(out, g->scope_id, g->detail);
                continue;
            }
            if (g->scope == SCOPE_SYSTEM) {
                out->all = true;
                continue;
            }
            int64_t ga = grant_authority(g);
            if (ga <= 0)
                continue;
            if (ru->reach == REACH_AUTHORITY || g->scope == SCOPE_AUTHORITY) {
                add_id(out->authority_ids, &out->nauthorities, ga);
            } else if (k != RES_AUTHORITY && g->scope == SCOPE_SCHOOL) {
                add_id(out->school_ids, &out->nschools, g->scope_id);
            } else if (k != RES_AUTHORITY && g->scope == SCOPE_TEAM) {
                for (size_t s = 0; s < g->nschools; s++)
                    add_id(out->school_ids, &out->nschools, g->school_ids[s]);
            }
            /* SCOPE_SERVICE under REACH_SCOPE: nothing */
        }
    }
    if (out->all) {
        /* Keep "everything" unambiguous for the SQL that uses it. */
        out->nauthorities = 0;
        out->nschools = 0;
        out->nteams = 0;
        out->npupils = 0;
        out->nwhole_teams = 0;
    }
}

/* Who may break the glass: roles with a duty of care to the child, whose
 * normal scope can leave out a pupil they must help in an emergency.
 * Not administrators or the DPO (they already read the whole authority,
 * and the DPO reviews the record: nobody reviews their own), not
 * practitioners (they act through a team and the family's consent), never
 * evaluators or the steering group. */
static bool duty_of_care(enum role r)
{
    return r == ROLE_SCHOOL_LEAD || r == ROLE_CASE_COORDINATOR || r == ROLE_STRATEGIC_LEAD;
}

bool policy_duty_of_care(const struct principal *p)
{
    if (!principal_ok(p))
        return false;
    for (size_t i = 0; i < p->ngrants; i++)
        if (grant_ok(&p->grants[i]) && p->grants[i].scope != SCOPE_PUPIL &&
            duty_of_care(p->grants[i].role))
            return true;
    return false;
}

struct decision policy_break_glass(const struct principal *p, const struct resource *r,
                                   enum role *role)
{
    if (!principal_ok(p))
        return deny("denied: not signed in");
    if (!r || r->kind != RES_PUPIL || r->id <= 0 || r->authority_id <= 0)
        return deny("denied: break-glass is for one pupil");
    if (policy_decide(p, ACT_VIEW, r).allow)
        return deny("denied: already within the user's scope");
    for (size_t i = 0; i < p->ngrants; i++) {
        const struct role_grant *g = &p->grants[i];
        if (!grant_ok(g) || g->scope == SCOPE_PUPIL || !duty_of_care(g->role))
            continue;
        int64_t ga = g->scope == SCOPE_SYSTEM ? r->authority_id : grant_authority(g);
        if (ga > 0 && ga == r->authority_id) {
            if (role)
                *role = g->role;
            struct decision d = {true, "break-glass: duty of care, same authority"};
            return d;
        }
    }
    return deny("denied: no duty-of-care role in the pupil's authority");
}

static const char *const role_codes[ROLE__COUNT] = {
    [ROLE_ADMIN] = "admin",
    [ROLE_DPO] = "dpo",
    [ROLE_STRATEGIC_LEAD] = "strategic_lead",
    [ROLE_CASE_COORDINATOR] = "case_coordinator",
    [ROLE_SCHOOL_LEAD] = "school_lead",
    [ROLE_PRACTITIONER] = "practitioner",
    [ROLE_EVALUATOR] = "evaluator",
    [ROLE_STEERING] = "steering",
    [ROLE_BUDGET_HOLDER] = "budget_holder",
    [ROLE_BUDGET_APPROVER] = "budget_approver",
    [ROLE_APST_MANAGER] = "apst_manager",
    [ROLE_APST_SPECIALIST] = "apst_specialist",
};

static const char *const role_labels[ROLE__COUNT] = {
    [ROLE_ADMIN] = "Administrator",
    [ROLE_DPO] = "Data protection officer",
    [ROLE_STRATEGIC_LEAD] = "Strategic Lead",
    [ROLE_CASE_COORDINATOR] = "Case Coordinator",
    [ROLE_SCHOOL_LEAD] = "School lead",
    [ROLE_PRACTITIONER] = "Service practitioner",
    [ROLE_EVALUATOR] = "Evaluator",
    [ROLE_STEERING] = "Steering group",
    [ROLE_BUDGET_HOLDER] = "Budget holder",
    [ROLE_BUDGET_APPROVER] = "Budget approver",
    [ROLE_APST_MANAGER] = "Taskforce Manager",
    [ROLE_APST_SPECIALIST] = "Taskforce specialist",
};

static const char *const scope_codes[SCOPE__COUNT] = {
    [SCOPE_SYSTEM] = "system",
    [SCOPE_AUTHORITY] = "authority",
    [SCOPE_SCHOOL] = "school",
    [SCOPE_TEAM] = "team",
    [SCOPE_SERVICE] = "service",
    [SCOPE_PUPIL] = "pupil",
};

static const char *const action_codes[ACT__COUNT] = {
    [ACT_LIST] = "list",
    [ACT_VIEW] = "view",
    [ACT_CREATE] = "create",
    [ACT_EDIT] = "edit",
    [ACT_DELETE] = "delete",
    [ACT_EXPORT] = "export",
};

static const char *const resource_codes[RES__COUNT] = {
    [RES_AUTHORITY] = "authority",
    [RES_SCHOOL] = "school",
    [RES_PUPIL] = "pupil",
    [RES_USER] = "user",
    [RES_AGGREGATE] = "aggregate",
    [RES_AUDIT] = "audit",
    [RES_TEAM] = "team",
    [RES_CASE] = "case",
    [RES_REFERENCE] = "reference",
    [RES_BREAK_GLASS] = "break_glass",
    [RES_TOOLKIT] = "toolkit",
    [RES_EVIDENCE] = "evidence",
    [RES_EVALUATION] = "evaluation",
    [RES_BUDGET] = "budget",
    [RES_APST] = "apst",
    [RES_GIAS] = "gias",
};

/* Out-of-range values give "unknown", never NULL, so logging them is
 * safe; "unknown" does not parse back, so it cannot be stored as a role. */
ENUM_CODES(role, enum role, role_codes, "unknown")

const char *role_label(enum role r)
{
    return (unsigned)r < ROLE__COUNT ? role_labels[r] : "Unknown role";
}

ENUM_CODES(scope, enum scope_kind, scope_codes, "unknown")

const char *action_code(enum action a)
{
    return (unsigned)a < ACT__COUNT ? action_codes[a] : "unknown";
}

const char *resource_code(enum resource_kind k)
{
    return (unsigned)k < RES__COUNT ? resource_codes[k] : "unknown";
}
