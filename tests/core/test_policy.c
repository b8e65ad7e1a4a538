/* Access policy.  The core is a matrix written out by hand from the rules
 * in the brief (not derived from policy.c): for each grant fixture and
 * resource kind, which actions are allowed on a resource
 *   in    in school 11 of authority 1 (inside every fixture's scope)
 *   same  in school 12 of authority 1 (outside school and team scopes)
 *   other in school 21 of authority 2 (another authority)
 *   any   with no id, school or authority ("anywhere"; for the other
 *         actions that means an installation-level object)
 * as a string of letters L V C E D X (list view create edit delete export).
 * Everything not listed must be denied. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/policy.h"
#include "lib/count.h"

enum { A1 = 1, A2 = 2, S11 = 11, S12 = 12, S21 = 21 };

static struct role_grant grant(enum role r, enum scope_kind s, int64_t scope_id, int64_t auth)
{
    struct role_grant g;
    memset(&g, 0, sizeof g);
    g.role = r;
    g.scope = s;
    g.scope_id = scope_id;
    g.authority_id = auth;
    return g;
}

static struct role_grant team(enum role r, int64_t team_id, int64_t auth, size_t n,
                              const int64_t *schools)
{
    struct role_grant g = grant(r, SCOPE_TEAM, team_id, auth);
    g.nschools = n;
    for (size_t i = 0; i < n; i++)
        g.school_ids[i] = schools[i];
    return g;
}

static struct principal principal(size_t n, const struct role_grant *g)
{
    struct principal p;
    memset(&p, 0, sizeof p);
    p.user_id = 42;
    p.ngrants = n;
    for (size_t i = 0; i < n; i++)
        p.grants[i] = g[i];
    return p;
}

static struct principal one(struct role_grant g)
{
    return principal(1, &g);
}

enum fixture {
    ADMIN_SYS, ADMIN_A, DPO_A, DPO_SCH, SL_A, SL_T, CC_A, CC_T, SCH_11, PR_T, PR_SVC,
    EV_A, ST_A, FIXTURE__COUNT
};

static const char *const fixture_names[FIXTURE__COUNT] = {
    "admin/system", "admin/authority 1", "dpo/authority 1", "dpo/school 11",
    "strategic_lead/authority 1", "strategic_lead/team {11}", "case_coordinator/authority 1",
    "case_coordinator/team {11}", "school_lead/school 11", "practitioner/team {11}",
    "practitioner/service", "evaluator/authority 1", "steering/authority 1",
};

static struct principal fixture(enum fixture f)
{
    static const int64_t team11[] = {S11};
    switch (f) {
    case ADMIN_SYS: return one(grant(ROLE_ADMIN, SCOPE_SYSTEM, 0, 0));
    case ADMIN_A: return one(grant(ROLE_ADMIN, SCOPE_AUTHORITY, A1, A1));
    case DPO_A: return one(grant(ROLE_DPO, SCOPE_AUTHORITY, A1, A1));
    case DPO_SCH: return one(grant(ROLE_DPO, SCOPE_SCHOOL, S11, A1));
    case SL_A: return one(grant(ROLE_STRATEGIC_LEAD, SCOPE_AUTHORITY, A1, A1));
    case SL_T: return one(team(ROLE_STRATEGIC_LEAD, 5, A1, 1, team11));
    case CC_A: return one(grant(ROLE_CASE_COORDINATOR, SCOPE_AUTHORITY, A1, A1));
    case CC_T: return one(team(ROLE_CASE_COORDINATOR, 5, A1, 1, team11));
    case SCH_11: return one(grant(ROLE_SCHOOL_LEAD, SCOPE_SCHOOL, S11, A1));
    case PR_T: return one(team(ROLE_PRACTITIONER, 7, A1, 1, team11));
    case PR_SVC: return one(grant(ROLE_PRACTITIONER, SCOPE_SERVICE, 3, A1));
    case EV_A: return one(grant(ROLE_EVALUATOR, SCOPE_AUTHORITY, A1, A1));
    case ST_A: return one(grant(ROLE_STEERING, SCOPE_AUTHORITY, A1, A1));
    case FIXTURE__COUNT: break;
    }
    return principal(0, NULL);
}

enum pos { IN, SAME, OTHER, ANY, POS__COUNT };
static const char *const pos_names[POS__COUNT] = {"in", "same", "other", "any"};
static const char action_letters[ACT__COUNT] = {'L', 'V', 'C', 'E', 'D', 'X'};

/* LIST and CREATE carry no id (where = school/authority); the rest name
 * one object. */
static struct resource res(enum resource_kind k, enum pos p, enum action a)
{
    static const int64_t school[POS__COUNT] = {S11, S12, S21, 0};
    static const int64_t auth[POS__COUNT] = {A1, A1, A2, 0};
    bool where = a == ACT_LIST || a == ACT_CREATE;
    struct resource r = {.kind = k, .id = 0, .authority_id = auth[p], .school_id = school[p]};
    if (k == RES_AUTHORITY) {
        r.school_id = 0;
        r.id = where ? 0 : auth[p];
    } else if (k == RES_SCHOOL) {
        r.school_id = 0;
        r.id = where ? 0 : school[p];
    } else {
        r.id = where || p == ANY ? 0 : 100 + p;
    }
    return r;
}

struct row {
    enum fixture f;
    enum resource_kind k;
    const char *allowed[POS__COUNT];
};

#define ALL6 "LVCEDX"
static const struct row matrix[] = {
    {ADMIN_SYS, RES_AUTHORITY, {ALL6, ALL6, ALL6, ALL6}},
    {ADMIN_SYS, RES_SCHOOL, {ALL6, ALL6, ALL6, ALL6}},
    {ADMIN_SYS, RES_PUPIL, {ALL6, ALL6, ALL6, ALL6}},
    {ADMIN_SYS, RES_USER, {ALL6, ALL6, ALL6, ALL6}},
    {ADMIN_SYS, RES_AGGREGATE, {ALL6, ALL6, ALL6, ALL6}},
    {ADMIN_SYS, RES_AUDIT, {"LVX", "LVX", "LVX", "LVX"}},   /* audit is read-only */

    {ADMIN_A, RES_AUTHORITY, {"LVEX", "LVEX", "", "L"}},   /* no create/delete */
    {ADMIN_A, RES_SCHOOL, {ALL6, ALL6, "", "LC"}},
    {ADMIN_A, RES_PUPIL, {ALL6, ALL6, "", "LC"}},
    {ADMIN_A, RES_USER, {ALL6, ALL6, "", "LC"}},
    {ADMIN_A, RES_AGGREGATE, {ALL6, ALL6, "", "LC"}},
    {ADMIN_A, RES_AUDIT, {"LVX", "LVX", "", "L"}},

    {DPO_A, RES_AUTHORITY, {"LVX", "LVX", "", "L"}},
    {DPO_A, RES_SCHOOL, {"LVX", "LVX", "", "L"}},
    {DPO_A, RES_PUPIL, {"LVX", "LVX", "", "L"}},
    {DPO_A, RES_USER, {"LV", "LV", "", "L"}},
    {DPO_A, RES_AGGREGATE, {"", "", "", ""}},
    {DPO_A, RES_AUDIT, {"LVX", "LVX", "", "L"}},

    {DPO_SCH, RES_AUTHORITY, {"", "", "", ""}},   /* a school holds no authority */
    {DPO_SCH, RES_SCHOOL, {"LVX", "L", "", "L"}},
    {DPO_SCH, RES_PUPIL, {"LVX", "", "", "L"}},
    {DPO_SCH, RES_USER, {"LV", "", "", "L"}},
    {DPO_SCH, RES_AGGREGATE, {"", "", "", ""}},
    {DPO_SCH, RES_AUDIT, {"LVX", "", "", "L"}},

    {SL_A, RES_AUTHORITY, {"LV", "LV", "", "L"}},
    {SL_A, RES_SCHOOL, {"LV", "LV", "", "L"}},
    {SL_A, RES_PUPIL, {"LV", "LV", "", "L"}},
    {SL_A, RES_USER, {"", "", "", ""}},
    {SL_A, RES_AGGREGATE, {"V", "V", "", ""}},
    {SL_A, RES_AUDIT, {"", "", "", ""}},

    {SL_T, RES_AUTHORITY, {"LV", "LV", "", "L"}},
    {SL_T, RES_SCHOOL, {"LV", "LV", "", "L"}},
    {SL_T, RES_PUPIL, {"LV", "", "", "L"}},
    {SL_T, RES_USER, {"", "", "", ""}},
    {SL_T, RES_AGGREGATE, {"V", "", "", ""}},
    {SL_T, RES_AUDIT, {"", "", "", ""}},

    {CC_A, RES_AUTHORITY, {"LV", "LV", "", "L"}},
    {CC_A, RES_SCHOOL, {"LV", "LV", "", "L"}},
    {CC_A, RES_PUPIL, {"LVCE", "LVCE", "", "LC"}},
    {CC_A, RES_USER, {"", "", "", ""}},
    {CC_A, RES_AGGREGATE, {"V", "V", "", ""}},
    {CC_A, RES_AUDIT, {"", "", "", ""}},

    {CC_T, RES_AUTHORITY, {"LV", "LV", "", "L"}},
    {CC_T, RES_SCHOOL, {"LV", "LV", "", "L"}},
    {CC_T, RES_PUPIL, {"LVCE", "", "", "LC"}},
    {CC_T, RES_USER, {"", "", "", ""}},
    {CC_T, RES_AGGREGATE, {"V", "", "", ""}},
    {CC_T, RES_AUDIT, {"", "", "", ""}},

    {SCH_11, RES_AUTHORITY, {"LV", "LV", "", "L"}},
    {SCH_11, RES_SCHOOL, {"LVE", "LV", "", "L"}},   /* edits only its own school */
    {SCH_11, RES_PUPIL, {"LVCE", "", "", "LC"}},
    {SCH_11, RES_USER, {"", "", "", ""}},
    {SCH_11, RES_AGGREGATE, {"", "", "", ""}},
    {SCH_11, RES_AUDIT, {"", "", "", ""}},

    {PR_T, RES_AUTHORITY, {"LV", "LV", "", "L"}},
    {PR_T, RES_SCHOOL, {"LV", "LV", "", "L"}},
    {PR_T, RES_PUPIL, {"LV", "", "", "L"}},
    {PR_T, RES_USER, {"", "", "", ""}},
    {PR_T, RES_AGGREGATE, {"", "", "", ""}},
    {PR_T, RES_AUDIT, {"", "", "", ""}},

    {PR_SVC, RES_AUTHORITY, {"LV", "LV", "", "L"}},
    {PR_SVC, RES_SCHOOL, {"LV", "LV", "", "L"}},
    {PR_SVC, RES_PUPIL, {"", "", "", ""}},   /* a service alone reaches no pupil */
    {PR_SVC, RES_USER, {"", "", "", ""}},
    {PR_SVC, RES_AGGREGATE, {"", "", "", ""}},
    {PR_SVC, RES_AUDIT, {"", "", "", ""}},

    {EV_A, RES_AUTHORITY, {"LV", "LV", "", "L"}},
    {EV_A, RES_SCHOOL, {"LV", "LV", "", "L"}},
    {EV_A, RES_PUPIL, {"", "", "", ""}},
    {EV_A, RES_USER, {"", "", "", ""}},
    {EV_A, RES_AGGREGATE, {"LVX", "LVX", "", "L"}},
    {EV_A, RES_AUDIT, {"", "", "", ""}},

    {ST_A, RES_AUTHORITY, {"LV", "LV", "", "L"}},
    {ST_A, RES_SCHOOL, {"LV", "LV", "", "L"}},
    {ST_A, RES_PUPIL, {"", "", "", ""}},
    {ST_A, RES_USER, {"", "", "", ""}},
    {ST_A, RES_AGGREGATE, {"LV", "LV", "", "L"}},
    {ST_A, RES_AUDIT, {"", "", "", ""}},

    /* The TAS workflow: teams and meetings, case records, reference data. */
    {ADMIN_SYS, RES_TEAM, {ALL6, ALL6, ALL6, ALL6}},
    {ADMIN_SYS, RES_CASE, {ALL6, ALL6, ALL6, ALL6}},
    {ADMIN_SYS, RES_REFERENCE, {ALL6, ALL6, ALL6, ALL6}},
    {ADMIN_A, RES_TEAM, {ALL6, ALL6, "", "LC"}},
    {ADMIN_A, RES_CASE, {ALL6, ALL6, "", "LC"}},
    {ADMIN_A, RES_REFERENCE, {ALL6, ALL6, "", "LC"}},
    {DPO_A, RES_TEAM, {"LVX", "LVX", "", "L"}},
    {DPO_A, RES_CASE, {"LVX", "LVX", "", "L"}},
    {DPO_A, RES_REFERENCE, {"LV", "LV", "", "L"}},
    {DPO_SCH, RES_TEAM, {"LVX", "", "", "L"}},
    {DPO_SCH, RES_CASE, {"LVX", "", "", "L"}},
    {DPO_SCH, RES_REFERENCE, {"LV", "LV", "", "L"}},
    {SL_A, RES_TEAM, {"LVE", "LVE", "", "L"}},
    {SL_A, RES_CASE, {"LVE", "LVE", "", "L"}},
    {SL_A, RES_REFERENCE, {"LV", "LV", "", "L"}},
    /* A team-scope grant reaches its own team only (test_own_team); the
     * team records here (id 100+) are other teams at the same schools. */
    {SL_T, RES_TEAM, {"L", "", "", "L"}},
    {SL_T, RES_CASE, {"LVE", "", "", "L"}},
    {SL_T, RES_REFERENCE, {"LV", "LV", "", "L"}},
    {CC_A, RES_TEAM, {"LVCEX", "LVCEX", "", "LC"}},
    {CC_A, RES_CASE, {"LVCE", "LVCE", "", "LC"}},
    {CC_A, RES_REFERENCE, {"LVCE", "LVCE", "", "LC"}},
    {CC_T, RES_TEAM, {"LC", "", "", "LC"}},   /* X only for its own team (test_own_team) */
    {CC_T, RES_CASE, {"LVCE", "", "", "LC"}},
    {CC_T, RES_REFERENCE, {"LVCE", "LVCE", "", "LC"}},
    {SCH_11, RES_TEAM, {"LV", "", "", "L"}},
    {SCH_11, RES_CASE, {"LVCE", "", "", "LC"}},
    {SCH_11, RES_REFERENCE, {"LV", "LV", "", "L"}},
    {PR_T, RES_TEAM, {"L", "", "", "L"}},
    /* Team practitioners reach a case only with its team and consent
     * (test_practitioner_consent); these resources name neither. */
    {PR_T, RES_CASE, {"L", "", "", "L"}},
    {PR_T, RES_REFERENCE, {"LV", "LV", "", "L"}},
    {PR_SVC, RES_TEAM, {"", "", "", ""}},
    {PR_SVC, RES_CASE, {"", "", "", ""}},
    {PR_SVC, RES_REFERENCE, {"LV", "LV", "", "L"}},
    {EV_A, RES_TEAM, {"", "", "", ""}},
    {EV_A, RES_CASE, {"", "", "", ""}},
    {EV_A, RES_REFERENCE, {"", "", "", ""}},
    {ST_A, RES_TEAM, {"", "", "", ""}},
    {ST_A, RES_CASE, {"", "", "", ""}},
    {ST_A, RES_REFERENCE, {"", "", "", ""}},

    /* The break-glass record: the DPO reviews (edit = mark reviewed),
     * administrators read, nobody else. */
    {ADMIN_SYS, RES_BREAK_GLASS, {"LV", "LV", "LV", "LV"}},
    {ADMIN_A, RES_BREAK_GLASS, {"LV", "LV", "", "L"}},
    {DPO_A, RES_BREAK_GLASS, {"LVEX", "LVEX", "", "L"}},
    {DPO_SCH, RES_BREAK_GLASS, {"LVEX", "", "", "L"}},
    {SL_A, RES_BREAK_GLASS, {"", "", "", ""}},
    {SL_T, RES_BREAK_GLASS, {"", "", "", ""}},
    {CC_A, RES_BREAK_GLASS, {"", "", "", ""}},
    {CC_T, RES_BREAK_GLASS, {"", "", "", ""}},
    {SCH_11, RES_BREAK_GLASS, {"", "", "", ""}},
    {PR_T, RES_BREAK_GLASS, {"", "", "", ""}},
    {PR_SVC, RES_BREAK_GLASS, {"", "", "", ""}},
    {EV_A, RES_BREAK_GLASS, {"", "", "", ""}},
    {ST_A, RES_BREAK_GLASS, {"", "", "", ""}},

    /* Screening toolkit definitions: a platform administrator alone, even
     * against an authority administrator or the coordinators who keep the
     * playbook (an authority's "anywhere" must not reach the installation). */
    {ADMIN_SYS, RES_TOOLKIT, {ALL6, ALL6, ALL6, ALL6}},
    {ADMIN_A, RES_TOOLKIT, {"", "", "", ""}},
    {DPO_A, RES_TOOLKIT, {"", "", "", ""}},
    {DPO_SCH, RES_TOOLKIT, {"", "", "", ""}},
    {SL_A, RES_TOOLKIT, {"", "", "", ""}},
    {SL_T, RES_TOOLKIT, {"", "", "", ""}},
    {CC_A, RES_TOOLKIT, {"", "", "", ""}},
    {CC_T, RES_TOOLKIT, {"", "", "", ""}},
    {SCH_11, RES_TOOLKIT, {"", "", "", ""}},
    {PR_T, RES_TOOLKIT, {"", "", "", ""}},
    {PR_SVC, RES_TOOLKIT, {"", "", "", ""}},
    {EV_A, RES_TOOLKIT, {"", "", "", ""}},
    {ST_A, RES_TOOLKIT, {"", "", "", ""}},

    /* Evidence for evaluation: the coordinator classifies and approves
     * (edit), evaluators and strategic leads read (approved stories only,
     * by the service); those who draft (school leads, practitioners) do so
     * as a case edit and never approve; the steering group, the DPO and
     * anyone else: nothing. */
    {ADMIN_SYS, RES_EVIDENCE, {ALL6, ALL6, ALL6, ALL6}},
    {ADMIN_A, RES_EVIDENCE, {ALL6, ALL6, "", "LC"}},
    {DPO_A, RES_EVIDENCE, {"", "", "", ""}},
    {DPO_SCH, RES_EVIDENCE, {"", "", "", ""}},
    {SL_A, RES_EVIDENCE, {"LV", "LV", "", "L"}},
    {SL_T, RES_EVIDENCE, {"LV", "", "", "L"}},
    {CC_A, RES_EVIDENCE, {"LVE", "LVE", "", "L"}},
    {CC_T, RES_EVIDENCE, {"LVE", "", "", "L"}},
    {SCH_11, RES_EVIDENCE, {"", "", "", ""}},
    {PR_T, RES_EVIDENCE, {"", "", "", ""}},
    {PR_SVC, RES_EVIDENCE, {"", "", "", ""}},
    {EV_A, RES_EVIDENCE, {"LV", "LV", "", "L"}},
    {ST_A, RES_EVIDENCE, {"", "", "", ""}},

    /* Evaluation data (issue 14): authority-level evaluators and strategic
     * leads enter, import and export it; the steering group reads; a
     * team-scoped lead, coordinators, schools, practitioners and the DPO
     * have no part in it. */
    {ADMIN_SYS, RES_EVALUATION, {ALL6, ALL6, ALL6, ALL6}},
    {ADMIN_A, RES_EVALUATION, {ALL6, ALL6, "", "LC"}},
    {DPO_A, RES_EVALUATION, {"", "", "", ""}},
    {DPO_SCH, RES_EVALUATION, {"", "", "", ""}},
    {SL_A, RES_EVALUATION, {"LVCEX", "LVCEX", "", "LC"}},
    {SL_T, RES_EVALUATION, {"", "", "", ""}},
    {CC_A, RES_EVALUATION, {"", "", "", ""}},
    {CC_T, RES_EVALUATION, {"", "", "", ""}},
    {SCH_11, RES_EVALUATION, {"", "", "", ""}},
    {PR_T, RES_EVALUATION, {"", "", "", ""}},
    {PR_SVC, RES_EVALUATION, {"", "", "", ""}},
    {EV_A, RES_EVALUATION, {"LVCEX", "LVCEX", "", "LC"}},
    {ST_A, RES_EVALUATION, {"LV", "LV", "", "L"}},

    /* The pooled budget: administrators, and strategic leads of an
     * authority reading it for the partnership board; nobody else of the
     * standing roles (the budget roles are tested in test_budget_roles). */
    {ADMIN_SYS, RES_BUDGET, {ALL6, ALL6, ALL6, ALL6}},
    {ADMIN_A, RES_BUDGET, {ALL6, ALL6, "", "LC"}},
    {DPO_A, RES_BUDGET, {"", "", "", ""}},
    {DPO_SCH, RES_BUDGET, {"", "", "", ""}},
    {SL_A, RES_BUDGET, {"LVX", "LVX", "", "L"}},
    {SL_T, RES_BUDGET, {"", "", "", ""}},
    {CC_A, RES_BUDGET, {"", "", "", ""}},
    {CC_T, RES_BUDGET, {"", "", "", ""}},
    {SCH_11, RES_BUDGET, {"", "", "", ""}},
    {PR_T, RES_BUDGET, {"", "", "", ""}},
    {PR_SVC, RES_BUDGET, {"", "", "", ""}},
    {EV_A, RES_BUDGET, {"", "", "", ""}},
    {ST_A, RES_BUDGET, {"", "", "", ""}},
    /* AP specialist taskforces (issue 19): the authority's coordinators
     * (who also make taskforces) and strategic leads; the DPO reads; the
     * Taskforce Manager and specialist roles (test_apst_own_taskforce,
     * test_apst_specialist_consent); nobody else. */
    {ADMIN_SYS, RES_APST, {ALL6, ALL6, ALL6, ALL6}},
    {ADMIN_A, RES_APST, {ALL6, ALL6, "", "LC"}},
    {DPO_A, RES_APST, {"LVX", "LVX", "", "L"}},
    {DPO_SCH, RES_APST, {"LVX", "", "", "L"}},
    {SL_A, RES_APST, {"LVX", "LVX", "", "L"}},
    {SL_T, RES_APST, {"LVX", "", "", "L"}},
    {CC_A, RES_APST, {"LVCEX", "LVCEX", "", "LC"}},
    {CC_T, RES_APST, {"", "", "", ""}},   /* TAS roles in team scope: no taskforce */
    {SCH_11, RES_APST, {"", "", "", ""}},
    {PR_T, RES_APST, {"", "", "", ""}},
    {PR_SVC, RES_APST, {"", "", "", ""}},
    {EV_A, RES_APST, {"", "", "", ""}},
    {ST_A, RES_APST, {"", "", "", ""}},
    /* The GIAS import (issue 17): administrators in scope and case
     * coordinators of a whole authority add and change its schools from
     * the file; nobody else, and nothing in another authority. */
    {ADMIN_SYS, RES_GIAS, {"CE", "CE", "CE", "CE"}},
    {ADMIN_A, RES_GIAS, {"CE", "CE", "", "C"}},
    {DPO_A, RES_GIAS, {"", "", "", ""}},
    {DPO_SCH, RES_GIAS, {"", "", "", ""}},
    {SL_A, RES_GIAS, {"", "", "", ""}},
    {SL_T, RES_GIAS, {"", "", "", ""}},
    {CC_A, RES_GIAS, {"CE", "CE", "", "C"}},
    {CC_T, RES_GIAS, {"", "", "", ""}},
    {SCH_11, RES_GIAS, {"", "", "", ""}},
    {PR_T, RES_GIAS, {"", "", "", ""}},
    {PR_SVC, RES_GIAS, {"", "", "", ""}},
    {EV_A, RES_GIAS, {"", "", "", ""}},
    {ST_A, RES_GIAS, {"", "", "", ""}},
};

static void test_matrix(void **state)
{
    (void)state;
    int failures = 0, checked = 0;
    bool covered[FIXTURE__COUNT][RES__COUNT] = {{false}};
    for (size_t i = 0; i < COUNT(matrix); i++) {
        const struct row *row = &matrix[i];
        struct principal p = fixture(row->f);
        covered[row->f][row->k] = true;
        for (int pos = 0; pos < POS__COUNT; pos++) {
            for (int a = 0; a < ACT__COUNT; a++) {
                struct resource r = res(row->k, (enum pos)pos, (enum action)a);
                struct decision d = policy_decide(&p, (enum action)a, &r);
                bool want = strchr(row->allowed[pos], action_letters[a]) != NULL;
                checked++;
                assert_non_null(d.reason);
                if (d.allow != want) {
                    failures++;
                    print_error("%s: %s %s (%s): want %s, got %s (%s)\n",
                                fixture_names[row->f], action_code((enum action)a),
                                resource_code(row->k), pos_names[pos],
                                want ? "allow" : "deny", d.allow ? "allow" : "deny", d.reason);
                }
            }
        }
    }
    /* The table covers every fixture and kind. */
    for (int f = 0; f < FIXTURE__COUNT; f++)
        for (int k = 0; k < RES__COUNT; k++)
            if (!covered[f][k])
                fail_msg("matrix lacks %s x %s", fixture_names[f], resource_code((enum resource_kind)k));
    assert_int_equal(checked, FIXTURE__COUNT * RES__COUNT * POS__COUNT * ACT__COUNT);
    assert_int_equal(failures, 0);
}

static bool allowed(const struct principal *p, enum action a, struct resource r)
{
    return policy_decide(p, a, &r).allow;
}

/* Every role in every kind of scope, each grant covering school 11 of
 * authority 1, acting on pupils and on school 11 itself: catches rules
 * that apply in the wrong kind of scope. */
struct sweep_row {
    enum role role;
    enum resource_kind kind;
    const char *allowed[SCOPE__COUNT];   /* system, authority, school, team, service, pupil */
};

static const struct sweep_row sweep[] = {
    {ROLE_ADMIN, RES_PUPIL, {ALL6, ALL6, ALL6, ALL6, "", ""}},
    {ROLE_DPO, RES_PUPIL, {"LVX", "LVX", "LVX", "LVX", "", ""}},
    {ROLE_STRATEGIC_LEAD, RES_PUPIL, {"", "LV", "", "LV", "", "V"}},
    {ROLE_CASE_COORDINATOR, RES_PUPIL, {"", "LVCE", "", "LVCE", "", "V"}},
    {ROLE_SCHOOL_LEAD, RES_PUPIL, {"", "", "LVCE", "", "", "V"}},
    {ROLE_PRACTITIONER, RES_PUPIL, {"", "", "", "LV", "", ""}},
    {ROLE_EVALUATOR, RES_PUPIL, {"", "", "", "", "", ""}},
    {ROLE_STEERING, RES_PUPIL, {"", "", "", "", "", ""}},
    {ROLE_ADMIN, RES_SCHOOL, {ALL6, ALL6, ALL6, ALL6, "", ""}},
    {ROLE_DPO, RES_SCHOOL, {"LVX", "LVX", "LVX", "LVX", "", ""}},
    {ROLE_STRATEGIC_LEAD, RES_SCHOOL, {"LV", "LV", "LV", "LV", "LV", ""}},
    {ROLE_CASE_COORDINATOR, RES_SCHOOL, {"LV", "LV", "LV", "LV", "LV", ""}},
    {ROLE_SCHOOL_LEAD, RES_SCHOOL, {"LV", "LV", "LVE", "LV", "LV", ""}},
    {ROLE_PRACTITIONER, RES_SCHOOL, {"LV", "LV", "LV", "LV", "LV", ""}},
    {ROLE_EVALUATOR, RES_SCHOOL, {"LV", "LV", "LV", "LV", "LV", ""}},
    {ROLE_STEERING, RES_SCHOOL, {"LV", "LV", "LV", "LV", "LV", ""}},
};

static struct role_grant grant_in(enum role r, enum scope_kind s)
{
    static const int64_t team11[] = {S11};
    switch (s) {
    case SCOPE_SYSTEM: return grant(r, s, 0, 0);
    case SCOPE_AUTHORITY: return grant(r, s, A1, A1);
    case SCOPE_SCHOOL: return grant(r, s, S11, A1);
    case SCOPE_TEAM: return team(r, 3, A1, 1, team11);
    case SCOPE_SERVICE: return grant(r, s, 3, A1);
    case SCOPE_PUPIL: {   /* break-glass on pupil 100, the pupil res() names */
        struct role_grant g = grant(r, s, 100, A1);
        g.nschools = 1;
        g.school_ids[0] = S11;
        return g;
    }
    case SCOPE__COUNT: break;
    }
    return grant(r, s, 0, 0);
}

static void test_role_scope_sweep(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < COUNT(sweep); i++) {
        const struct sweep_row *row = &sweep[i];
        for (int s = 0; s < SCOPE__COUNT; s++) {
            struct principal p = one(grant_in(row->role, (enum scope_kind)s));
            for (int a = 0; a < ACT__COUNT; a++) {
                struct resource r = res(row->kind, IN, (enum action)a);
                bool want = strchr(row->allowed[s], action_letters[a]) != NULL;
                struct decision d = policy_decide(&p, (enum action)a, &r);
                if (d.allow != want) {
                    failures++;
                    print_error("%s/%s: %s %s: want %s, got %s (%s)\n", role_code(row->role),
                                scope_code((enum scope_kind)s), action_code((enum action)a),
                                resource_code(row->kind), want ? "allow" : "deny",
                                d.allow ? "allow" : "deny", d.reason);
                }
            }
        }
    }
    assert_int_equal(failures, 0);
}

static void test_null_and_empty_principals(void **state)
{
    (void)state;
    struct principal empty = principal(0, NULL);
    for (int k = 0; k < RES__COUNT; k++)
        for (int a = 0; a < ACT__COUNT; a++)
            for (int pos = 0; pos < POS__COUNT; pos++) {
                struct resource r = res((enum resource_kind)k, (enum pos)pos, (enum action)a);
                struct decision d = policy_decide(NULL, (enum action)a, &r);
                assert_false(d.allow);
                assert_non_null(d.reason);
                d = policy_decide(&empty, (enum action)a, &r);
                assert_false(d.allow);
                assert_non_null(d.reason);
            }
    struct principal admin = fixture(ADMIN_SYS);
    assert_false(policy_decide(&admin, ACT_VIEW, NULL).allow);
}

/* Out-of-range counts and enums come from bad data: refuse, never read on. */
static void test_malformed_input(void **state)
{
    (void)state;
    struct principal p = fixture(CC_A);
    struct resource pupil = {.kind = RES_PUPIL, .id = 5, .authority_id = A1, .school_id = S11};
    assert_true(allowed(&p, ACT_VIEW, pupil));

    /* Zeroed grants past the count would read as system administrators. */
    p.ngrants = POLICY_MAX_GRANTS + 1;
    assert_false(allowed(&p, ACT_VIEW, pupil));
    p.ngrants = (size_t)-1;
    assert_false(allowed(&p, ACT_VIEW, pupil));

    struct principal t = fixture(CC_T);
    assert_true(allowed(&t, ACT_VIEW, pupil));
    t.grants[0].nschools = POLICY_MAX_TEAM_SCHOOLS + 1;
    assert_false(allowed(&t, ACT_VIEW, pupil));

    struct principal bad_role = one(grant((enum role)99, SCOPE_SYSTEM, 0, 0));
    assert_false(allowed(&bad_role, ACT_VIEW, pupil));
    struct principal bad_scope = one(grant(ROLE_ADMIN, (enum scope_kind)99, A1, A1));
    assert_false(allowed(&bad_scope, ACT_VIEW, pupil));

    struct principal admin = fixture(ADMIN_SYS);
    assert_false(allowed(&admin, (enum action)ACT__COUNT, pupil));
    assert_false(allowed(&admin, (enum action)-1, pupil));
    struct resource bad_kind = {.kind = (enum resource_kind)RES__COUNT, .id = 5, .authority_id = A1, .school_id = S11};
    assert_false(allowed(&admin, ACT_VIEW, bad_kind));

    /* Self-contradictory resources are refused, even to a system admin. */
    assert_false(allowed(&admin, ACT_VIEW, (struct resource){.kind = RES_SCHOOL, .id = S11, .authority_id = A1, .school_id = S12}));
    assert_true(allowed(&admin, ACT_VIEW, (struct resource){.kind = RES_SCHOOL, .id = S11, .authority_id = A1, .school_id = S11}));
    assert_false(allowed(&admin, ACT_VIEW, (struct resource){.kind = RES_AUTHORITY, .id = A1, .authority_id = A2, .school_id = 0}));
    assert_true(allowed(&admin, ACT_VIEW, (struct resource){.kind = RES_AUTHORITY, .id = A1, .authority_id = A1, .school_id = 0}));
    assert_false(allowed(&admin, ACT_VIEW, (struct resource){.kind = RES_AUTHORITY, .id = A1, .authority_id = 0, .school_id = S11}));
    assert_false(allowed(&admin, ACT_VIEW, (struct resource){.kind = RES_PUPIL, .id = -5, .authority_id = A1, .school_id = S11}));
    assert_false(allowed(&admin, ACT_VIEW, (struct resource){.kind = RES_PUPIL, .id = 5, .authority_id = -1, .school_id = S11}));
    assert_false(allowed(&admin, ACT_VIEW, (struct resource){.kind = RES_PUPIL, .id = 5, .authority_id = A1, .school_id = -11}));

    /* Grants whose ids disagree or are missing reach nothing. */
    struct principal mixed = one(grant(ROLE_CASE_COORDINATOR, SCOPE_AUTHORITY, A2, A1));
    assert_false(allowed(&mixed, ACT_VIEW, pupil));
    assert_false(allowed(&mixed, ACT_VIEW, (struct resource){.kind = RES_PUPIL, .id = 5, .authority_id = A2, .school_id = S21}));
    struct principal scope_only = one(grant(ROLE_CASE_COORDINATOR, SCOPE_AUTHORITY, A1, 0));
    assert_true(allowed(&scope_only, ACT_VIEW, pupil));
    struct principal no_auth = one(grant(ROLE_SCHOOL_LEAD, SCOPE_SCHOOL, S11, 0));
    assert_false(allowed(&no_auth, ACT_VIEW, pupil));
    assert_false(allowed(&no_auth, ACT_LIST, (struct resource){.kind = RES_PUPIL, .id = 0, .authority_id = 0, .school_id = 0}));
    struct principal no_school = one(grant(ROLE_SCHOOL_LEAD, SCOPE_SCHOOL, 0, A1));
    assert_false(allowed(&no_school, ACT_VIEW, (struct resource){.kind = RES_PUPIL, .id = 5, .authority_id = A1, .school_id = S11}));
    assert_false(allowed(&no_school, ACT_LIST, (struct resource){.kind = RES_PUPIL, .id = 0, .authority_id = 0, .school_id = 0}));
}

/* A resource naming another authority is refused even when its school is
 * in scope: ids in requests are not trusted to agree. */
static void test_cross_authority(void **state)
{
    (void)state;
    struct resource spoof = {.kind = RES_PUPIL, .id = 5, .authority_id = A2, .school_id = S11};
    for (int f = 0; f < FIXTURE__COUNT; f++) {
        struct principal p = fixture((enum fixture)f);
        for (int a = 0; a < ACT__COUNT; a++)
            assert_int_equal(allowed(&p, (enum action)a, spoof), f == ADMIN_SYS);
    }
    /* Without an authority, school and team grants check the school ... */
    struct resource bare = {.kind = RES_PUPIL, .id = 5, .authority_id = 0, .school_id = S11};
    struct principal sl = fixture(SCH_11), pr = fixture(PR_T), cc = fixture(CC_A);
    assert_true(allowed(&sl, ACT_VIEW, bare));
    assert_true(allowed(&pr, ACT_VIEW, bare));
    /* ... but an authority grant cannot tell, so it refuses. */
    assert_false(allowed(&cc, ACT_VIEW, bare));
    /* Public school details still need the authority to be known. */
    assert_false(allowed(&sl, ACT_VIEW, (struct resource){.kind = RES_SCHOOL, .id = S12, .authority_id = 0, .school_id = 0}));
    assert_true(allowed(&sl, ACT_VIEW, (struct resource){.kind = RES_SCHOOL, .id = S12, .authority_id = A1, .school_id = 0}));
}

/* An API token of scope "read" (service/svc_tokens.h): whatever its user
 * may list or view it may, and nothing else, for every role and resource. */
static void test_read_only_token(void **state)
{
    (void)state;
    int granted_reads = 0;
    for (int f = 0; f < FIXTURE__COUNT; f++) {
        struct principal full = fixture((enum fixture)f);
        struct principal ro = full;
        ro.read_only = true;
        for (int k = 0; k < RES__COUNT; k++)
            for (int a = 0; a < ACT__COUNT; a++) {
                struct resource r = {.kind = (enum resource_kind)k, .id = a == ACT_LIST || a == ACT_CREATE ? 0 : 5,
                                     .authority_id = A1, .school_id = S11};
                bool want = (a == ACT_LIST || a == ACT_VIEW) && allowed(&full, (enum action)a, r);
                assert_int_equal(allowed(&ro, (enum action)a, r), want);
                granted_reads += want;
            }
        /* The per-role answers keep the limit too. */
        struct resource any = {.kind = RES_PUPIL, .authority_id = A1, .school_id = S11};
        assert_int_equal(policy_roles_allowing(&ro, ACT_CREATE, &any), 0);
    }
    assert_true(granted_reads > 0);
}

static void test_multi_role(void **state)
{
    (void)state;
    static const int64_t team12[] = {S12};
    struct role_grant g[2] = {grant(ROLE_SCHOOL_LEAD, SCOPE_SCHOOL, S11, A1),
                              team(ROLE_PRACTITIONER, 9, A1, 1, team12)};
    struct resource p11 = {.kind = RES_PUPIL, .id = 5, .authority_id = A1, .school_id = S11}, p12 = {.kind = RES_PUPIL, .id = 6, .authority_id = A1, .school_id = S12},
                    p21 = {.kind = RES_PUPIL, .id = 7, .authority_id = A2, .school_id = S21};
    for (int order = 0; order < 2; order++) {
        struct role_grant gg[2] = {g[order], g[1 - order]};
        struct principal p = principal(2, gg);
        assert_true(allowed(&p, ACT_VIEW, p11));
        assert_true(allowed(&p, ACT_EDIT, p11));
        assert_true(allowed(&p, ACT_VIEW, p12));
        assert_false(allowed(&p, ACT_EDIT, p12));    /* practitioner: read only */
        assert_false(allowed(&p, ACT_CREATE, (struct resource){.kind = RES_PUPIL, .id = 0, .authority_id = A1, .school_id = S12}));
        assert_true(allowed(&p, ACT_CREATE, (struct resource){.kind = RES_PUPIL, .id = 0, .authority_id = A1, .school_id = S11}));
        assert_false(allowed(&p, ACT_VIEW, p21));
        assert_false(allowed(&p, ACT_DELETE, p11));
        assert_false(allowed(&p, ACT_EXPORT, p11));
    }

    /* DPO in authority 2 and case coordinator in authority 1: each grant
     * keeps its own actions; they do not combine across authorities. */
    struct role_grant h[2] = {grant(ROLE_DPO, SCOPE_AUTHORITY, A2, A2),
                              grant(ROLE_CASE_COORDINATOR, SCOPE_AUTHORITY, A1, A1)};
    struct principal q = principal(2, h);
    assert_true(allowed(&q, ACT_VIEW, p21));
    assert_true(allowed(&q, ACT_EXPORT, p21));
    assert_false(allowed(&q, ACT_EDIT, p21));
    assert_true(allowed(&q, ACT_EDIT, p11));
    assert_false(allowed(&q, ACT_EXPORT, p11));
    assert_true(allowed(&q, ACT_VIEW, (struct resource){.kind = RES_AUDIT, .id = 3, .authority_id = A2, .school_id = 0}));
    assert_false(allowed(&q, ACT_VIEW, (struct resource){.kind = RES_AUDIT, .id = 3, .authority_id = A1, .school_id = 0}));

    /* Evaluator + steering never add up to pupil access. */
    struct role_grant e[2] = {grant(ROLE_EVALUATOR, SCOPE_SYSTEM, 0, 0),
                              grant(ROLE_STEERING, SCOPE_SYSTEM, 0, 0)};
    struct principal es = principal(2, e);
    for (int a = 0; a < ACT__COUNT; a++)
        assert_false(allowed(&es, (enum action)a, p11));
    assert_true(allowed(&es, ACT_EXPORT, (struct resource){.kind = RES_AGGREGATE, .id = 0, .authority_id = A2, .school_id = 0}));
    assert_false(allowed(&es, ACT_EDIT, (struct resource){.kind = RES_AGGREGATE, .id = 0, .authority_id = A2, .school_id = 0}));
}

static void test_team_scope(void **state)
{
    (void)state;
    static const int64_t schools[] = {S11, S12};
    struct principal p = one(team(ROLE_CASE_COORDINATOR, 4, A1, 2, schools));
    assert_true(allowed(&p, ACT_EDIT, (struct resource){.kind = RES_PUPIL, .id = 5, .authority_id = A1, .school_id = S11}));
    assert_true(allowed(&p, ACT_EDIT, (struct resource){.kind = RES_PUPIL, .id = 6, .authority_id = A1, .school_id = S12}));
    assert_false(allowed(&p, ACT_EDIT, (struct resource){.kind = RES_PUPIL, .id = 7, .authority_id = A1, .school_id = 13}));
    assert_false(allowed(&p, ACT_EDIT, (struct resource){.kind = RES_PUPIL, .id = 8, .authority_id = A1, .school_id = 0}));
    /* Listing across the whole authority is allowed (then filtered). */
    assert_true(allowed(&p, ACT_LIST, (struct resource){.kind = RES_PUPIL, .id = 0, .authority_id = A1, .school_id = 0}));
    assert_false(allowed(&p, ACT_LIST, (struct resource){.kind = RES_PUPIL, .id = 0, .authority_id = A2, .school_id = 0}));
    assert_true(allowed(&p, ACT_LIST, (struct resource){.kind = RES_PUPIL, .id = 0, .authority_id = A1, .school_id = S12}));
    assert_false(allowed(&p, ACT_LIST, (struct resource){.kind = RES_PUPIL, .id = 0, .authority_id = A1, .school_id = 13}));

    /* The last slot of a full team counts; nothing past nschools does. */
    struct role_grant full = grant(ROLE_PRACTITIONER, SCOPE_TEAM, 4, A1);
    full.nschools = POLICY_MAX_TEAM_SCHOOLS;
    for (size_t i = 0; i < POLICY_MAX_TEAM_SCHOOLS; i++)
        full.school_ids[i] = 1000 + (int64_t)i;
    struct principal fp = one(full);
    assert_true(allowed(&fp, ACT_VIEW,
                        (struct resource){.kind = RES_PUPIL, .id = 1, .authority_id = A1, .school_id = 1000 + POLICY_MAX_TEAM_SCHOOLS - 1}));
    fp.grants[0].nschools = 3;
    assert_true(allowed(&fp, ACT_VIEW, (struct resource){.kind = RES_PUPIL, .id = 1, .authority_id = A1, .school_id = 1002}));
    assert_false(allowed(&fp, ACT_VIEW, (struct resource){.kind = RES_PUPIL, .id = 1, .authority_id = A1, .school_id = 1003}));

    /* An empty team reaches no pupil, not even "anywhere". */
    struct principal none = one(team(ROLE_PRACTITIONER, 4, A1, 0, NULL));
    assert_false(allowed(&none, ACT_LIST, (struct resource){.kind = RES_PUPIL, .id = 0, .authority_id = 0, .school_id = 0}));
    assert_false(allowed(&none, ACT_VIEW, (struct resource){.kind = RES_PUPIL, .id = 1, .authority_id = A1, .school_id = 0}));
    assert_true(allowed(&none, ACT_LIST, (struct resource){.kind = RES_SCHOOL, .id = 0, .authority_id = 0, .school_id = 0}));
}

/* Every role, in every scope, on pupils and users. */
static void test_delete_and_users_admin_only(void **state)
{
    (void)state;
    static const int64_t team11[] = {S11};
    struct resource pupil = {.kind = RES_PUPIL, .id = 5, .authority_id = A1, .school_id = S11};
    struct resource user = {.kind = RES_USER, .id = 9, .authority_id = A1, .school_id = S11};
    for (int r = 0; r < ROLE__COUNT; r++) {
        struct role_grant gs[] = {
            grant((enum role)r, SCOPE_SYSTEM, 0, 0),
            grant((enum role)r, SCOPE_AUTHORITY, A1, A1),
            grant((enum role)r, SCOPE_SCHOOL, S11, A1),
            team((enum role)r, 3, A1, 1, team11),
            grant((enum role)r, SCOPE_SERVICE, 3, A1),
        };
        for (size_t s = 0; s < COUNT(gs); s++) {
            struct principal p = one(gs[s]);
            bool admin = r == ROLE_ADMIN;
            bool dpo = r == ROLE_DPO;
            bool in_scope = gs[s].scope != SCOPE_SERVICE;
            assert_int_equal(allowed(&p, ACT_DELETE, pupil), admin && in_scope);
            assert_int_equal(allowed(&p, ACT_EDIT, user), admin && in_scope);
            /* "Somewhere in authority 1": a school or team admin may too. */
            assert_int_equal(allowed(&p, ACT_CREATE, (struct resource){.kind = RES_USER, .id = 0, .authority_id = A1, .school_id = 0}),
                             admin && in_scope);
            assert_int_equal(allowed(&p, ACT_CREATE, (struct resource){.kind = RES_USER, .id = 0, .authority_id = A1, .school_id = S12}),
                             admin && (gs[s].scope == SCOPE_SYSTEM ||
                                       gs[s].scope == SCOPE_AUTHORITY));
            assert_int_equal(allowed(&p, ACT_VIEW, user), (admin || dpo) && in_scope);
            /* Only a system administrator creates authorities. */
            assert_int_equal(allowed(&p, ACT_CREATE, (struct resource){.kind = RES_AUTHORITY, .id = 0, .authority_id = 0, .school_id = 0}),
                             admin && gs[s].scope == SCOPE_SYSTEM);
            assert_int_equal(allowed(&p, ACT_DELETE, (struct resource){.kind = RES_AUTHORITY, .id = A1, .authority_id = A1, .school_id = 0}),
                             admin && gs[s].scope == SCOPE_SYSTEM);
            /* Nobody rewrites the audit trail. */
            assert_false(allowed(&p, ACT_EDIT, (struct resource){.kind = RES_AUDIT, .id = 1, .authority_id = A1, .school_id = S11}));
            assert_false(allowed(&p, ACT_DELETE, (struct resource){.kind = RES_AUDIT, .id = 1, .authority_id = A1, .school_id = S11}));
            /* Service scope alone reaches no pupil, whatever the role. */
            if (!in_scope)
                for (int a = 0; a < ACT__COUNT; a++)
                    assert_false(allowed(&p, (enum action)a, pupil));
        }
    }
}

static void test_reasons(void **state)
{
    (void)state;
    struct principal cc = fixture(CC_A);
    struct resource pupil = {.kind = RES_PUPIL, .id = 5, .authority_id = A1, .school_id = S11};
    struct decision yes = policy_decide(&cc, ACT_VIEW, &pupil);
    struct decision no_role = policy_decide(&cc, ACT_DELETE, &pupil);
    struct resource far = {.kind = RES_PUPIL, .id = 5, .authority_id = A2, .school_id = S21};
    struct decision no_scope = policy_decide(&cc, ACT_VIEW, &far);
    assert_true(yes.allow);
    assert_false(no_role.allow);
    assert_false(no_scope.allow);
    assert_non_null(yes.reason);
    assert_non_null(no_role.reason);
    assert_non_null(no_scope.reason);
    assert_string_not_equal(yes.reason, no_role.reason);
    assert_string_not_equal(no_role.reason, no_scope.reason);
    assert_non_null(strstr(yes.reason, "case coordinator"));
    assert_non_null(policy_decide(NULL, ACT_VIEW, &pupil).reason);
}

/* ---------- item 1 of the access issue, table-driven ---------- */

/* A case record of team 7 (schools 11 and 12) about pupil 100 at school
 * 11, and what the pupil's consent covers today. */
static struct resource case_res(int64_t id, int64_t team_id, const char *const *consent, size_t n)
{
    struct resource r = {.kind = RES_CASE, .id = id, .authority_id = A1, .school_id = S11};
    r.pupil_id = 100;
    r.team_id = team_id;
    r.nconsent = n;
    for (size_t i = 0; i < n; i++)
        snprintf(r.consent[i], POLICY_CODE_MAX, "%s", consent[i]);
    return r;
}

struct consent_case {
    const char *who;           /* the grant, in words */
    enum role role;
    enum scope_kind scope;
    int64_t scope_id;
    const char *detail;        /* the practitioner's service */
    int64_t team_id;           /* the case's team */
    const char *consent;       /* services covered, comma-separated ("" none) */
    const char *allowed;       /* letters, on the case (with id) */
};

static const struct consent_case consent_cases[] = {
    /* member of the team, consent covers the service */
    {"ep practitioner, team 7", ROLE_PRACTITIONER, SCOPE_TEAM, 7, "ep", 7, "ep,camhs", "LVE"},
    /* consent withdrawn (or never given): nothing covered */
    {"ep practitioner, team 7, consent withdrawn", ROLE_PRACTITIONER, SCOPE_TEAM, 7, "ep", 7, "", ""},
    /* consent covers other services only */
    {"ep practitioner, team 7, consent for camhs", ROLE_PRACTITIONER, SCOPE_TEAM, 7, "ep", 7, "camhs", ""},
    /* another team's case, same schools */
    {"ep practitioner, team 8", ROLE_PRACTITIONER, SCOPE_TEAM, 8, "ep", 7, "ep", ""},
    /* a grant without a service never matches */
    {"practitioner without service", ROLE_PRACTITIONER, SCOPE_TEAM, 7, "", 7, "ep", ""},
    /* a service grant alone reaches no case */
    {"ep practitioner, service scope", ROLE_PRACTITIONER, SCOPE_SERVICE, 3, "ep", 7, "ep", ""},
    /* prefix of a code is not the code */
    {"e practitioner", ROLE_PRACTITIONER, SCOPE_TEAM, 7, "e", 7, "ep", ""},
    /* coordinators and school leads do not depend on consent to see the record */
    {"coordinator, authority", ROLE_CASE_COORDINATOR, SCOPE_AUTHORITY, A1, "", 7, "", "LVCE"},
    {"school lead, school 11", ROLE_SCHOOL_LEAD, SCOPE_SCHOOL, S11, "", 7, "", "LVCE"},
    {"strategic lead, authority", ROLE_STRATEGIC_LEAD, SCOPE_AUTHORITY, A1, "", 7, "", "LVE"},
    {"evaluator, system", ROLE_EVALUATOR, SCOPE_SYSTEM, 0, "", 7, "ep", ""},
    {"steering, system", ROLE_STEERING, SCOPE_SYSTEM, 0, "", 7, "ep", ""},
};

static void test_practitioner_consent(void **state)
{
    (void)state;
    static const int64_t team_schools[] = {S11, S12};
    int failures = 0;
    for (size_t i = 0; i < COUNT(consent_cases); i++) {
        const struct consent_case *cc = &consent_cases[i];
        struct role_grant g = cc->scope == SCOPE_TEAM ? team(cc->role, cc->scope_id, A1, 2, team_schools)
                                                      : grant(cc->role, cc->scope, cc->scope_id,
                                                              cc->scope == SCOPE_SYSTEM ? 0 : A1);
        snprintf(g.detail, sizeof g.detail, "%s", cc->detail);
        struct principal p = one(g);
        const char *codes[POLICY_MAX_CONSENT];
        char buf[64];
        snprintf(buf, sizeof buf, "%s", cc->consent);
        size_t n = 0;
        for (char *tok = strtok(buf, ","); tok && n < POLICY_MAX_CONSENT; tok = strtok(NULL, ","))
            codes[n++] = tok;
        for (int a = 0; a < ACT__COUNT; a++) {
            /* LIST and CREATE name no case; the rest name case 55. */
            bool where = a == ACT_LIST || a == ACT_CREATE;
            struct resource r = case_res(where ? 0 : 55, where ? 0 : cc->team_id, codes, n);
            bool want = strchr(cc->allowed, action_letters[a]) != NULL;
            if (where && cc->role == ROLE_PRACTITIONER && cc->scope == SCOPE_TEAM)
                want = a == ACT_LIST;   /* a list, filtered by (team, service) in SQL */
            struct decision d = policy_decide(&p, (enum action)a, &r);
            if (d.allow != want) {
                failures++;
                print_error("%s: %s: want %s, got %s (%s)\n", cc->who, action_code((enum action)a),
                            want ? "allow" : "deny", d.allow ? "allow" : "deny", d.reason);
            }
        }
    }
    assert_int_equal(failures, 0);

    /* Records about the pupil as a whole (consents, chronology) name no
     * team: out of a practitioner's reach even with consent. */
    struct role_grant g = team(ROLE_PRACTITIONER, 7, A1, 2, team_schools);
    snprintf(g.detail, sizeof g.detail, "ep");
    struct principal p = one(g);
    static const char *const ep[] = {"ep"};
    struct resource whole = case_res(0, 0, ep, 1);
    assert_false(allowed(&p, ACT_VIEW, whole));
    /* A case in another authority, same ids otherwise, is refused. */
    struct resource far = case_res(55, 7, ep, 1);
    far.authority_id = A2;
    assert_false(allowed(&p, ACT_VIEW, far));
    /* Out-of-range consent counts are refused, never read on. */
    struct resource bad = case_res(55, 7, ep, 1);
    bad.nconsent = POLICY_MAX_CONSENT + 1;
    assert_false(allowed(&p, ACT_VIEW, bad));

    /* The list filter carries (team, service) pairs, not schools. */
    struct visibility v;
    policy_visible(&p, RES_CASE, ACT_LIST, &v);
    assert_false(v.all);
    assert_int_equal(v.nschools, 0);
    assert_int_equal(v.nauthorities, 0);
    assert_int_equal(v.nteams, 1);
    assert_int_equal(v.team_ids[0], 7);
    assert_string_equal(v.team_services[0], "ep");
    assert_false(policy_visible_none(&v));
    /* ... and the pupil register still by the team's schools. */
    policy_visible(&p, RES_PUPIL, ACT_LIST, &v);
    assert_int_equal(v.nschools, 2);
    assert_int_equal(v.nteams, 0);
}

/* Several roles, each in its own scope: the union, never more. */
static void test_union_of_roles(void **state)
{
    (void)state;
    static const int64_t t11[] = {S11};
    struct role_grant g[2] = {grant(ROLE_SCHOOL_LEAD, SCOPE_SCHOOL, S12, A1),
                              team(ROLE_PRACTITIONER, 7, A1, 1, t11)};
    snprintf(g[1].detail, sizeof g[1].detail, "ep");
    struct principal p = principal(2, g);
    static const char *const ep[] = {"ep"};
    struct resource c11 = case_res(55, 7, ep, 1);            /* team 7, school 11 */
    struct resource c11_none = case_res(55, 7, NULL, 0);     /* consent withdrawn */
    struct resource c12 = case_res(56, 9, NULL, 0);          /* school 12: own school */
    c12.school_id = S12;
    assert_true(allowed(&p, ACT_VIEW, c11));
    assert_true(allowed(&p, ACT_EDIT, c11));
    assert_false(allowed(&p, ACT_CREATE, c11));              /* practitioners do not open cases */
    assert_false(allowed(&p, ACT_VIEW, c11_none));
    assert_true(allowed(&p, ACT_VIEW, c12));                 /* as school lead, no consent needed */
    assert_true(allowed(&p, ACT_CREATE, c12));
    struct visibility v;
    policy_visible(&p, RES_CASE, ACT_LIST, &v);
    assert_int_equal(v.nschools, 1);
    assert_int_equal(v.school_ids[0], S12);
    assert_int_equal(v.nteams, 1);
}

/* Evaluators and the steering group: no identifying record in any scope,
 * alone or together, whatever the action. */
static void test_deidentified(void **state)
{
    (void)state;
    static const int64_t t11[] = {S11};
    static const enum resource_kind identifying[] = {RES_PUPIL, RES_USER, RES_AUDIT, RES_TEAM,
                                                     RES_CASE, RES_REFERENCE, RES_BREAK_GLASS};
    static const char *const ep[] = {"ep"};
    for (int role = ROLE_EVALUATOR; role <= ROLE_STEERING; role++) {
        assert_true(policy_role_deidentified((enum role)role));
        struct role_grant gs[] = {grant((enum role)role, SCOPE_SYSTEM, 0, 0),
                                  grant((enum role)role, SCOPE_AUTHORITY, A1, A1),
                                  grant((enum role)role, SCOPE_SCHOOL, S11, A1),
                                  team((enum role)role, 7, A1, 1, t11)};
        for (size_t s = 0; s < COUNT(gs); s++) {
            snprintf(gs[s].detail, sizeof gs[s].detail, "ep");
            struct principal p = one(gs[s]);
            for (size_t k = 0; k < COUNT(identifying); k++) {
                for (int a = 0; a < ACT__COUNT; a++) {
                    struct resource r = res(identifying[k], IN, (enum action)a);
                    assert_false(allowed(&p, (enum action)a, r));
                    struct resource c = case_res(55, 7, ep, 1);
                    assert_false(allowed(&p, (enum action)a, c));
                }
                struct visibility v;
                policy_visible(&p, identifying[k], ACT_LIST, &v);
                assert_true(policy_visible_none(&v));
            }
            /* Steering: aggregates only (plus the public school directory). */
            assert_true(allowed(&p, ACT_VIEW, (struct resource){.kind = RES_AGGREGATE, .authority_id = A1}) ||
                        gs[s].scope != SCOPE_AUTHORITY);
        }
    }
    for (int role = 0; role < ROLE__COUNT; role++)
        assert_int_equal(policy_role_deidentified((enum role)role),
                         role == ROLE_EVALUATOR || role == ROLE_STEERING);
}

/* "Strategic Leads see their teams": a team-scope grant reaches its own
 * team and that team's cases, not another team meeting at the same school. */
static void test_own_team(void **state)
{
    (void)state;
    static const int64_t schools[] = {S11};
    static const char *const ep[] = {"ep"};
    static const enum role roles[] = {ROLE_STRATEGIC_LEAD, ROLE_CASE_COORDINATOR, ROLE_PRACTITIONER};
    for (size_t i = 0; i < COUNT(roles); i++) {
        struct role_grant g = team(roles[i], 7, A1, 1, schools);
        snprintf(g.detail, sizeof g.detail, "ep");
        struct principal p = one(g);
        struct resource own = {.kind = RES_TEAM, .id = 7, .authority_id = A1, .school_id = S11};
        struct resource next_door = {.kind = RES_TEAM, .id = 8, .authority_id = A1, .school_id = S11};
        assert_true(allowed(&p, ACT_VIEW, own));
        assert_false(allowed(&p, ACT_VIEW, next_door));
        own.authority_id = A2;
        assert_false(allowed(&p, ACT_VIEW, own));
        struct resource c7 = case_res(55, 7, ep, 1), c8 = case_res(56, 8, ep, 1);
        assert_true(allowed(&p, ACT_VIEW, c7));
        assert_false(allowed(&p, ACT_VIEW, c8));
        struct visibility v;
        policy_visible(&p, RES_TEAM, ACT_LIST, &v);
        assert_int_equal(v.nwhole_teams, 1);
        assert_int_equal(v.whole_team_ids[0], 7);
        assert_int_equal(v.nschools, 0);
        /* An inactive team (no schools) reaches nothing. */
        p.grants[0].nschools = 0;
        struct resource again = {.kind = RES_TEAM, .id = 7, .authority_id = A1, .school_id = S11};
        assert_false(allowed(&p, ACT_VIEW, again));
        policy_visible(&p, RES_TEAM, ACT_LIST, &v);
        assert_true(policy_visible_none(&v));
    }
    /* Coordinators' records about the pupil as a whole go by the schools. */
    struct principal cc = one(team(ROLE_CASE_COORDINATOR, 7, A1, 1, schools));
    struct resource whole = case_res(0, 0, NULL, 0);
    assert_true(allowed(&cc, ACT_VIEW, whole));
    whole.school_id = S12;
    assert_false(allowed(&cc, ACT_VIEW, whole));
    /* Authority-scope grants are not narrowed. */
    struct principal sl = fixture(SL_A);
    assert_true(allowed(&sl, ACT_VIEW, (struct resource){.kind = RES_TEAM, .id = 8, .authority_id = A1, .school_id = S11}));
}

/* Evidence of a team's cases: a team coordinator approves only its own
 * team's stories; an evaluator reads but never approves, nor reaches
 * another authority; a practitioner who drafted the story cannot approve
 * it. */
static void test_evidence_own_team(void **state)
{
    (void)state;
    static const int64_t schools[] = {S11};
    struct principal cc = one(team(ROLE_CASE_COORDINATOR, 7, A1, 1, schools));
    struct resource own = {.kind = RES_EVIDENCE, .id = 9, .authority_id = A1, .school_id = S11, .team_id = 7};
    struct resource next_door = own;
    next_door.team_id = 8;
    assert_true(allowed(&cc, ACT_EDIT, own));
    assert_false(allowed(&cc, ACT_EDIT, next_door));
    assert_false(allowed(&cc, ACT_VIEW, next_door));
    struct visibility v;
    policy_visible(&cc, RES_EVIDENCE, ACT_LIST, &v);
    assert_int_equal(v.nwhole_teams, 1);
    assert_int_equal(v.whole_team_ids[0], 7);

    struct principal ev = fixture(EV_A);
    assert_true(allowed(&ev, ACT_VIEW, own));
    assert_false(allowed(&ev, ACT_EDIT, own));
    own.authority_id = A2;
    assert_false(allowed(&ev, ACT_VIEW, own));
    assert_true(policy_role_deidentified(ROLE_EVALUATOR));

    struct role_grant pg = team(ROLE_PRACTITIONER, 7, A1, 1, schools);
    snprintf(pg.detail, sizeof pg.detail, "ep");
    struct principal pr = one(pg);
    own.authority_id = A1;
    assert_false(allowed(&pr, ACT_EDIT, own));
    assert_false(allowed(&pr, ACT_VIEW, own));
    assert_string_equal(resource_code(RES_EVIDENCE), "evidence");
}

/* A taskforce's records go by its team, not by the pupil's school: its
 * manager and specialists reach its referrals of pupils at other schools
 * (outreach), never another taskforce at the same AP school; the
 * authority's coordinator reaches both, another authority's nothing. */
static void test_apst_own_taskforce(void **state)
{
    (void)state;
    static const int64_t ap[] = {S11};
    struct principal mgr = one(team(ROLE_APST_MANAGER, 7, A1, 1, ap));
    struct role_grant sg = team(ROLE_APST_SPECIALIST, 7, A1, 1, ap);
    snprintf(sg.detail, sizeof sg.detail, "mental_health");
    struct principal spec = one(sg);
    struct resource own = {.kind = RES_APST, .id = 9, .authority_id = A1, .school_id = S11, .team_id = 7};
    struct resource outreach = own;
    outreach.school_id = S12;
    outreach.pupil_id = 500;
    struct resource next_door = own;
    next_door.team_id = 8;
    assert_true(allowed(&mgr, ACT_EDIT, own));
    assert_true(allowed(&mgr, ACT_EXPORT, own));
    assert_true(allowed(&mgr, ACT_VIEW, outreach));
    assert_true(allowed(&mgr, ACT_EDIT, outreach));   /* triage: no consent needed by the manager */
    assert_false(allowed(&mgr, ACT_VIEW, next_door));
    assert_false(allowed(&mgr, ACT_CREATE, (struct resource){.kind = RES_APST, .authority_id = A1, .school_id = S11}));
    /* The manager: the AP school's pupils and the team's meetings; not a case record. */
    assert_true(allowed(&mgr, ACT_VIEW, (struct resource){.kind = RES_PUPIL, .id = 3, .authority_id = A1, .school_id = S11}));
    assert_false(allowed(&mgr, ACT_VIEW, (struct resource){.kind = RES_PUPIL, .id = 4, .authority_id = A1, .school_id = S12}));
    assert_true(allowed(&mgr, ACT_EDIT, (struct resource){.kind = RES_TEAM, .id = 7, .authority_id = A1, .school_id = S11}));
    assert_false(allowed(&mgr, ACT_VIEW, (struct resource){.kind = RES_CASE, .authority_id = A1, .school_id = S11,
                                                           .team_id = 7, .pupil_id = 3}));
    /* The specialist: the taskforce itself, read only; nothing of the taskforce as a whole to change. */
    assert_true(allowed(&spec, ACT_VIEW, own));
    assert_false(allowed(&spec, ACT_EDIT, own));
    assert_false(allowed(&spec, ACT_EXPORT, own));
    assert_false(allowed(&spec, ACT_VIEW, next_door));
    assert_false(allowed(&spec, ACT_VIEW, (struct resource){.kind = RES_PUPIL, .id = 3, .authority_id = A1, .school_id = S11}));
    struct visibility v;
    policy_visible(&spec, RES_APST, ACT_LIST, &v);
    assert_int_equal(v.nwhole_teams, 1);
    assert_int_equal(v.whole_team_ids[0], 7);
    assert_int_equal(v.nschools, 0);
    policy_visible(&mgr, RES_APST, ACT_LIST, &v);
    assert_int_equal(v.nwhole_teams, 1);

    struct principal cc = fixture(CC_A);
    assert_true(allowed(&cc, ACT_EDIT, next_door));
    next_door.authority_id = A2;
    assert_false(allowed(&cc, ACT_VIEW, next_door));
    /* Another authority's taskforce with the same team id: nobody of A1. */
    assert_false(allowed(&mgr, ACT_VIEW, (struct resource){.kind = RES_APST, .id = 9, .authority_id = A2, .team_id = 7}));
    /* A school lead of the AP school is not a member. */
    struct principal head = fixture(SCH_11);
    assert_false(allowed(&head, ACT_VIEW, own));
    assert_string_equal(resource_code(RES_APST), "apst");
}

/* A specialist and a referral: they must be among its staff (lead or
 * assigned) and its consent must cover their type; their own time only. */
static void test_apst_specialist_consent(void **state)
{
    (void)state;
    static const int64_t ap[] = {S11};
    struct role_grant sg = team(ROLE_APST_SPECIALIST, 7, A1, 1, ap);
    snprintf(sg.detail, sizeof sg.detail, "salt");
    struct principal spec = one(sg);   /* user 42 */
    struct resource r = {.kind = RES_APST, .id = 9, .authority_id = A1, .school_id = S11, .team_id = 7,
                         .pupil_id = 500};
    /* No staff named: refused (a forgotten fact denies), whatever the consent. */
    snprintf(r.consent[r.nconsent++], POLICY_CODE_MAX, "salt");
    assert_false(allowed(&spec, ACT_VIEW, r));
    /* Among the staff, consent covers salt: read it, and record their own work on it. */
    r.staff[r.nstaff++] = 42;
    assert_true(allowed(&spec, ACT_VIEW, r));
    assert_true(allowed(&spec, ACT_EDIT, r));
    /* Someone else's post. */
    r.staff[0] = 43;
    assert_false(allowed(&spec, ACT_VIEW, r));
    assert_false(allowed(&spec, ACT_EDIT, r));
    r.staff[0] = 42;
    /* Consent for other types only, or none: refused at once. */
    snprintf(r.consent[0], POLICY_CODE_MAX, "mental_health");
    assert_false(allowed(&spec, ACT_VIEW, r));
    r.nconsent = 0;
    assert_false(allowed(&spec, ACT_VIEW, r));
    /* Their own time with no pupil (group work): allowed; another's: not. */
    struct resource own_time = {.kind = RES_APST, .id = 9, .authority_id = A1, .school_id = S11, .team_id = 7,
                                .nstaff = 1, .staff = {42}};
    assert_true(allowed(&spec, ACT_EDIT, own_time));
    own_time.staff[0] = -1;
    assert_false(allowed(&spec, ACT_EDIT, own_time));
    /* Another taskforce's referral, even with staff and consent. */
    r.team_id = 8;
    snprintf(r.consent[r.nconsent++], POLICY_CODE_MAX, "salt");
    assert_false(allowed(&spec, ACT_VIEW, r));
    /* The type is the grant's detail: a specialist grant without one sees no pupil. */
    r.team_id = 7;
    spec.grants[0].detail[0] = '\0';
    assert_false(allowed(&spec, ACT_VIEW, r));
}

/* Break-glass: who may ask, and what the grant then reaches. */
struct bg_case {
    const char *who;
    enum fixture f;
    int64_t pupil_auth, pupil_school;
    bool may_ask;
};

static const struct bg_case bg_cases[] = {
    {"school lead 11, pupil at 12", SCH_11, A1, S12, true},
    {"school lead 11, own pupil (already sees)", SCH_11, A1, S11, false},
    {"school lead 11, other authority", SCH_11, A2, S21, false},
    {"team coordinator, pupil outside team", CC_T, A1, S12, true},
    {"authority coordinator (already sees)", CC_A, A1, S12, false},
    {"authority coordinator, other authority", CC_A, A2, S21, false},
    {"team strategic lead, outside team", SL_T, A1, S12, true},
    {"DPO (reviews, never asks)", DPO_SCH, A1, S12, false},
    {"administrator", ADMIN_A, A2, S21, false},
    {"team practitioner", PR_T, A1, S12, false},
    {"evaluator", EV_A, A1, S12, false},
    {"steering", ST_A, A1, S12, false},
};

static void test_break_glass(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(bg_cases); i++) {
        const struct bg_case *bc = &bg_cases[i];
        struct principal p = fixture(bc->f);
        struct resource r = {.kind = RES_PUPIL, .id = 100, .authority_id = bc->pupil_auth,
                             .school_id = bc->pupil_school};
        enum role role = ROLE__COUNT;
        struct decision d = policy_break_glass(&p, &r, &role);
        if (d.allow != bc->may_ask)
            fail_msg("%s: want %s, got %s (%s)", bc->who, bc->may_ask ? "allow" : "deny",
                     d.allow ? "allow" : "deny", d.reason);
        if (d.allow)
            assert_int_equal(role, p.grants[0].role);
    }
    assert_false(policy_break_glass(NULL, &(struct resource){.kind = RES_PUPIL, .id = 1, .authority_id = A1}, NULL).allow);

    /* With the grant: that pupil, read-only, and their case records. */
    struct role_grant g[2] = {grant(ROLE_SCHOOL_LEAD, SCOPE_SCHOOL, S11, A1),
                              grant(ROLE_SCHOOL_LEAD, SCOPE_PUPIL, 100, A1)};
    g[1].nschools = 1;
    g[1].school_ids[0] = S12;
    struct principal p = principal(2, g);
    assert_true(policy_duty_of_care(&p));
    struct resource pupil = {.kind = RES_PUPIL, .id = 100, .authority_id = A1, .school_id = S12};
    struct resource other = {.kind = RES_PUPIL, .id = 101, .authority_id = A1, .school_id = S12};
    assert_true(allowed(&p, ACT_VIEW, pupil));
    for (int a = 0; a < ACT__COUNT; a++)
        if (a != ACT_VIEW)
            assert_false(allowed(&p, (enum action)a, pupil));
    assert_false(allowed(&p, ACT_VIEW, other));
    struct resource cs = case_res(55, 7, NULL, 0);
    cs.school_id = S12;
    assert_true(allowed(&p, ACT_VIEW, cs));
    assert_false(allowed(&p, ACT_EDIT, cs));
    cs.pupil_id = 101;
    assert_false(allowed(&p, ACT_VIEW, cs));
    /* Not across authorities, even with the same ids. */
    pupil.authority_id = A2;
    assert_false(allowed(&p, ACT_VIEW, pupil));
    /* The school next door is not opened by it. */
    struct resource school = {.kind = RES_SCHOOL, .id = S12, .authority_id = A1, .school_id = S12};
    assert_false(allowed(&p, ACT_EDIT, school));
    /* Lists: the case list shows the pupil; the pupil register does not. */
    struct visibility v;
    policy_visible(&p, RES_CASE, ACT_LIST, &v);
    assert_int_equal(v.npupils, 1);
    assert_int_equal(v.pupil_ids[0], 100);
    policy_visible(&p, RES_PUPIL, ACT_LIST, &v);
    assert_int_equal(v.npupils, 0);
    /* A pupil grant of a role without a duty of care reaches nothing. */
    struct role_grant e = grant(ROLE_EVALUATOR, SCOPE_PUPIL, 100, A1);
    struct principal ep = one(e);
    assert_false(allowed(&ep, ACT_VIEW, (struct resource){.kind = RES_PUPIL, .id = 100, .authority_id = A1}));
    assert_false(policy_duty_of_care(&ep));
    /* A pupil grant alone is no duty of care (no chaining). */
    struct principal only = one(g[1]);
    assert_false(policy_duty_of_care(&only));
}

/* ---------- policy_visible ---------- */

static bool has(const int64_t *ids, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

static void expect_visible(const struct principal *p, enum resource_kind k, enum action a,
                           bool all, size_t nauth, const int64_t *auths, size_t nsch,
                           const int64_t *schools)
{
    struct visibility v;
    memset(&v, 0x5a, sizeof v);   /* must be fully overwritten */
    policy_visible(p, k, a, &v);
    assert_int_equal(v.all, all);
    assert_int_equal(v.nauthorities, nauth);
    assert_int_equal(v.nschools, nsch);
    for (size_t i = 0; i < nauth; i++)
        assert_true(has(v.authority_ids, v.nauthorities, auths[i]));
    for (size_t i = 0; i < nsch; i++)
        assert_true(has(v.school_ids, v.nschools, schools[i]));
}

static void test_visible(void **state)
{
    (void)state;
    static const int64_t a1[] = {A1}, s11[] = {S11}, s11_12[] = {S11, S12};
    static const int64_t a1_a2[] = {A1, A2};
    struct principal p;

    p = fixture(ADMIN_SYS);
    expect_visible(&p, RES_PUPIL, ACT_LIST, true, 0, NULL, 0, NULL);
    expect_visible(&p, RES_AUDIT, ACT_EDIT, false, 0, NULL, 0, NULL);

    p = fixture(CC_A);
    expect_visible(&p, RES_PUPIL, ACT_LIST, false, 1, a1, 0, NULL);
    expect_visible(&p, RES_PUPIL, ACT_DELETE, false, 0, NULL, 0, NULL);
    expect_visible(&p, RES_SCHOOL, ACT_LIST, false, 1, a1, 0, NULL);
    expect_visible(&p, RES_AGGREGATE, ACT_LIST, false, 0, NULL, 0, NULL);
    expect_visible(&p, RES_AGGREGATE, ACT_VIEW, false, 1, a1, 0, NULL);

    p = fixture(SCH_11);
    expect_visible(&p, RES_PUPIL, ACT_LIST, false, 0, NULL, 1, s11);
    expect_visible(&p, RES_PUPIL, ACT_EDIT, false, 0, NULL, 1, s11);
    expect_visible(&p, RES_SCHOOL, ACT_LIST, false, 1, a1, 0, NULL);   /* public */
    expect_visible(&p, RES_SCHOOL, ACT_EDIT, false, 0, NULL, 1, s11);   /* own only */
    expect_visible(&p, RES_AUTHORITY, ACT_VIEW, false, 1, a1, 0, NULL);
    expect_visible(&p, RES_USER, ACT_LIST, false, 0, NULL, 0, NULL);

    p = fixture(PR_T);
    expect_visible(&p, RES_PUPIL, ACT_LIST, false, 0, NULL, 1, s11);
    expect_visible(&p, RES_PUPIL, ACT_EDIT, false, 0, NULL, 0, NULL);
    expect_visible(&p, RES_SCHOOL, ACT_LIST, false, 1, a1, 0, NULL);

    p = fixture(PR_SVC);
    expect_visible(&p, RES_PUPIL, ACT_LIST, false, 0, NULL, 0, NULL);
    expect_visible(&p, RES_SCHOOL, ACT_VIEW, false, 1, a1, 0, NULL);

    p = fixture(EV_A);
    expect_visible(&p, RES_PUPIL, ACT_LIST, false, 0, NULL, 0, NULL);
    expect_visible(&p, RES_AGGREGATE, ACT_EXPORT, false, 1, a1, 0, NULL);

    p = fixture(DPO_SCH);
    expect_visible(&p, RES_AUTHORITY, ACT_LIST, false, 0, NULL, 0, NULL);
    expect_visible(&p, RES_PUPIL, ACT_EXPORT, false, 0, NULL, 1, s11);

    /* Union and de-duplication across grants. */
    static const int64_t t11_12[] = {S11, S12}, t12[] = {S12};
    struct role_grant g[4] = {grant(ROLE_SCHOOL_LEAD, SCOPE_SCHOOL, S11, A1),
                              team(ROLE_PRACTITIONER, 7, A1, 2, t11_12),
                              team(ROLE_PRACTITIONER, 8, A1, 1, t12),
                              grant(ROLE_DPO, SCOPE_AUTHORITY, A2, A2)};
    p = principal(4, g);
    expect_visible(&p, RES_PUPIL, ACT_VIEW, false, 1, (const int64_t[]){A2}, 2, s11_12);
    expect_visible(&p, RES_PUPIL, ACT_EDIT, false, 0, NULL, 1, s11);
    expect_visible(&p, RES_SCHOOL, ACT_LIST, false, 2, a1_a2, 0, NULL);
    /* A system grant anywhere makes everything visible, lists empty. */
    g[3] = grant(ROLE_DPO, SCOPE_SYSTEM, 0, 0);
    p = principal(4, g);
    expect_visible(&p, RES_PUPIL, ACT_VIEW, true, 0, NULL, 0, NULL);

    /* NULL or malformed principals see nothing. */
    expect_visible(NULL, RES_PUPIL, ACT_LIST, false, 0, NULL, 0, NULL);
    struct principal empty = principal(0, NULL);
    expect_visible(&empty, RES_SCHOOL, ACT_LIST, false, 0, NULL, 0, NULL);
    p = fixture(ADMIN_SYS);
    p.ngrants = POLICY_MAX_GRANTS + 1;
    expect_visible(&p, RES_PUPIL, ACT_LIST, false, 0, NULL, 0, NULL);
    p = fixture(ADMIN_SYS);
    expect_visible(&p, (enum resource_kind)RES__COUNT, ACT_LIST, false, 0, NULL, 0, NULL);
    policy_visible(&p, RES_PUPIL, ACT_LIST, NULL);   /* must not crash */
}

static void test_visible_cap(void **state)
{
    (void)state;
    /* 16 teams x 32 schools = 512 distinct schools, and 16 authorities
     * repeated: capped at POLICY_MAX_VISIBLE, no duplicates. */
    struct principal p;
    memset(&p, 0, sizeof p);
    p.ngrants = POLICY_MAX_GRANTS;
    for (size_t i = 0; i < POLICY_MAX_GRANTS; i++) {
        struct role_grant *g = &p.grants[i];
        *g = grant(ROLE_PRACTITIONER, SCOPE_TEAM, (int64_t)i + 1, (int64_t)(i % 3) + 1);
        g->nschools = POLICY_MAX_TEAM_SCHOOLS;
        for (size_t s = 0; s < POLICY_MAX_TEAM_SCHOOLS; s++)
            g->school_ids[s] = (int64_t)(i * POLICY_MAX_TEAM_SCHOOLS + s) + 1;
    }
    struct visibility v;
    policy_visible(&p, RES_PUPIL, ACT_LIST, &v);
    assert_false(v.all);
    assert_int_equal(v.nschools, POLICY_MAX_VISIBLE);
    for (size_t i = 0; i < v.nschools; i++)
        for (size_t j = i + 1; j < v.nschools; j++)
            assert_true(v.school_ids[i] != v.school_ids[j]);
    policy_visible(&p, RES_SCHOOL, ACT_LIST, &v);
    assert_int_equal(v.nauthorities, 3);
    assert_int_equal(v.nschools, 0);
}

/* ---------- names ---------- */

static void test_codes(void **state)
{
    (void)state;
    static const char *const roles[ROLE__COUNT][2] = {
        {"admin", "Administrator"}, {"dpo", "Data protection officer"},
        {"strategic_lead", "Strategic Lead"}, {"case_coordinator", "Case Coordinator"},
        {"school_lead", "School lead"}, {"practitioner", "Service practitioner"},
        {"evaluator", "Evaluator"}, {"steering", "Steering group"},
        {"budget_holder", "Budget holder"}, {"budget_approver", "Budget approver"},
        {"apst_manager", "Taskforce Manager"}, {"apst_specialist", "Taskforce specialist"},
    };
    for (int r = 0; r < ROLE__COUNT; r++) {
        enum role back = ROLE__COUNT;
        assert_string_equal(role_code((enum role)r), roles[r][0]);
        assert_string_equal(role_label((enum role)r), roles[r][1]);
        assert_int_equal(role_from_code(roles[r][0], &back), 0);
        assert_int_equal(back, r);
    }
    enum role rr;
    assert_int_not_equal(role_from_code("Admin", &rr), 0);
    assert_int_not_equal(role_from_code("", &rr), 0);
    assert_int_not_equal(role_from_code(NULL, &rr), 0);
    assert_int_not_equal(role_from_code(role_code((enum role)99), &rr), 0);
    assert_non_null(role_label((enum role)99));

    static const char *const scopes[SCOPE__COUNT] = {"system", "authority", "school", "team",
                                                     "service", "pupil"};
    for (int s = 0; s < SCOPE__COUNT; s++) {
        enum scope_kind back = SCOPE__COUNT;
        assert_string_equal(scope_code((enum scope_kind)s), scopes[s]);
        assert_int_equal(scope_from_code(scopes[s], &back), 0);
        assert_int_equal(back, s);
    }
    enum scope_kind sk;
    assert_int_not_equal(scope_from_code("systemx", &sk), 0);
    assert_int_not_equal(scope_from_code(NULL, &sk), 0);
    assert_non_null(scope_code((enum scope_kind)99));

    static const char *const actions[ACT__COUNT] = {"list", "view", "create", "edit", "delete",
                                                    "export"};
    for (int a = 0; a < ACT__COUNT; a++)
        assert_string_equal(action_code((enum action)a), actions[a]);
    static const char *const kinds[RES__COUNT] = {"authority", "school", "pupil", "user",
                                                  "aggregate", "audit", "team", "case",
                                                  "reference", "break_glass", "toolkit", "evidence",
                                                  "evaluation", "budget", "apst", "gias"};
    for (int k = 0; k < RES__COUNT; k++)
        assert_string_equal(resource_code((enum resource_kind)k), kinds[k]);
    assert_non_null(action_code((enum action)99));
    assert_non_null(resource_code((enum resource_kind)99));
}

/* Who sets the extract's k: a DPO or an administrator of the authority
 * (or of the whole installation); nobody else, and not for another one. */
static void extract_k_setters(void **state)
{
    (void)state;
    for (int f = 0; f < FIXTURE__COUNT; f++) {
        struct principal p = fixture((enum fixture)f);
        bool want = f == ADMIN_SYS || f == ADMIN_A || f == DPO_A;
        if (policy_sets_extract_k(&p, A1) != want)
            fail_msg("%s for authority 1: %s", fixture_names[f], want ? "refused" : "allowed");
        bool other = f == ADMIN_SYS;
        if (policy_sets_extract_k(&p, A2) != other)
            fail_msg("%s for authority 2: %s", fixture_names[f], other ? "refused" : "allowed");
        assert_false(policy_sets_extract_k(&p, 0));
    }
    assert_false(policy_sets_extract_k(NULL, A1));
}

/* Work owned by a school reaches the school's own leads, once per school,
 * and nobody else's grant makes a school "theirs". */
static void staff_schools(void **state)
{
    (void)state;
    struct principal p = {.user_id = 7, .ngrants = 4};
    p.grants[0] = grant(ROLE_SCHOOL_LEAD, SCOPE_SCHOOL, S11, A1);
    p.grants[1] = grant(ROLE_SCHOOL_LEAD, SCOPE_SCHOOL, S11, A1);
    p.grants[2] = grant(ROLE_CASE_COORDINATOR, SCOPE_AUTHORITY, A1, A1);
    p.grants[3] = grant(ROLE_SCHOOL_LEAD, SCOPE_SCHOOL, S12, A1);
    int64_t ids[4] = {0};
    assert_int_equal(policy_staff_schools(&p, ids, 4), 2);
    assert_int_equal(ids[0], S11);
    assert_int_equal(ids[1], S12);
    assert_int_equal(policy_staff_schools(&p, ids, 1), 1);
    struct principal coord = {.user_id = 8, .ngrants = 1};
    coord.grants[0] = grant(ROLE_CASE_COORDINATOR, SCOPE_AUTHORITY, A1, A1);
    assert_int_equal(policy_staff_schools(&coord, ids, 4), 0);
    struct principal prac = {.user_id = 9, .ngrants = 1};
    prac.grants[0] = grant(ROLE_PRACTITIONER, SCOPE_SCHOOL, S11, A1);
    assert_int_equal(policy_staff_schools(&prac, ids, 4), 0);
    assert_int_equal(policy_staff_schools(NULL, ids, 4), 0);
}

/* An export must cover what may be listed, id for id. */
static void visible_covers(void **state)
{
    (void)state;
    struct visibility all = {.all = true}, a1 = {.nauthorities = 1, .authority_ids = {A1}},
                      a12 = {.nauthorities = 2, .authority_ids = {A2, A1}}, none = {0};
    assert_true(policy_visible_covers(&all, &all));
    assert_true(policy_visible_covers(&all, &a1));
    assert_false(policy_visible_covers(&a1, &all));
    assert_true(policy_visible_covers(&a12, &a1));
    assert_false(policy_visible_covers(&a1, &a12));
    assert_true(policy_visible_covers(&none, &none));
    struct visibility s = {.nschools = 1, .school_ids = {S11}};
    assert_false(policy_visible_covers(&a1, &s));   /* judged on ids alone */
    struct visibility t_ep = {.nteams = 1, .team_ids = {7}}, t_salt = {.nteams = 1, .team_ids = {7}},
                      whole = {.nwhole_teams = 1, .whole_team_ids = {7}};
    strcpy(t_ep.team_services[0], "ep");
    strcpy(t_salt.team_services[0], "salt");
    assert_true(policy_visible_covers(&t_ep, &t_ep));
    assert_false(policy_visible_covers(&t_salt, &t_ep));   /* another service of the same team */
    assert_true(policy_visible_covers(&whole, &t_ep));   /* the whole team covers each service */
    assert_false(policy_visible_covers(&t_ep, &whole));
    struct visibility p9 = {.npupils = 1, .pupil_ids = {9}};
    assert_false(policy_visible_covers(&a1, &p9));
    assert_true(policy_visible_covers(&p9, &p9));
}

/* The pooled budget's roles: the approver keeps the pool and approves
 * (edit) in their authority; the budget holder commits (create) against
 * allocations in scope, a team-scoped holder only their own team's; they
 * never reach anything but the budget, and neither does the other's part. */
static void test_budget_roles(void **state)
{
    (void)state;
    static const int64_t t11[] = {S11};
    struct principal appr = one(grant(ROLE_BUDGET_APPROVER, SCOPE_AUTHORITY, A1, A1));
    struct principal hold_a = one(grant(ROLE_BUDGET_HOLDER, SCOPE_AUTHORITY, A1, A1));
    struct principal hold_t = one(team(ROLE_BUDGET_HOLDER, 5, A1, 1, t11));
    struct resource own = {.kind = RES_BUDGET, .id = 9, .authority_id = A1, .team_id = 5};
    struct resource other_team = {.kind = RES_BUDGET, .id = 10, .authority_id = A1, .team_id = 6};
    struct resource pool = {.kind = RES_BUDGET, .id = 11, .authority_id = A1};
    struct resource other_la = {.kind = RES_BUDGET, .id = 12, .authority_id = A2, .team_id = 8};
    struct resource create = {.kind = RES_BUDGET, .authority_id = A1, .team_id = 5};
    struct resource create_other = {.kind = RES_BUDGET, .authority_id = A1, .team_id = 6};
    const struct {
        const char *who;
        const struct resource *r;
        const char *allowed[3];   /* approver, holder (authority), holder (team 5) */
    } t[] = {
        {"own team's allocation", &own, {"LVEX", "LVCX", "LVCX"}},
        {"another team's", &other_team, {"LVEX", "LVCX", ""}},
        {"the pool", &pool, {"LVEX", "LVCX", ""}},
        {"another authority's", &other_la, {"", "", ""}},
        {"anywhere in own team", &create, {"LVEX", "LVCX", "LVCX"}},
        {"anywhere in another team", &create_other, {"LVEX", "LVCX", ""}},
    };
    const struct principal *ps[3] = {&appr, &hold_a, &hold_t};
    int failures = 0;
    for (size_t i = 0; i < COUNT(t); i++)
        for (int w = 0; w < 3; w++)
            for (int a = 0; a < ACT__COUNT; a++) {
                bool want = strchr(t[i].allowed[w], action_letters[a]) != NULL;
                bool got = policy_decide(ps[w], (enum action)a, t[i].r).allow;
                if (got != want) {
                    failures++;
                    print_error("%s, %d: %s: want %d got %d\n", t[i].who, w, action_code((enum action)a), want, got);
                }
            }
    assert_int_equal(failures, 0);
    /* A budget holder in a school or service scope, or an approver in a
     * team or school scope, reaches nothing. */
    struct principal odd[] = {one(grant(ROLE_BUDGET_HOLDER, SCOPE_SCHOOL, S11, A1)),
                              one(grant(ROLE_BUDGET_HOLDER, SCOPE_SERVICE, 3, A1)),
                              one(team(ROLE_BUDGET_APPROVER, 5, A1, 1, t11)),
                              one(grant(ROLE_BUDGET_APPROVER, SCOPE_SCHOOL, S11, A1))};
    for (size_t i = 0; i < COUNT(odd); i++)
        for (int a = 0; a < ACT__COUNT; a++)
            assert_false(policy_decide(&odd[i], (enum action)a, &own).allow);
    /* The budget roles reach nothing else: no pupil, case, team, school
     * edit, statistics or audit. */
    for (int w = 0; w < 3; w++)
        for (int k = 0; k < RES__COUNT; k++) {
            if (k == RES_BUDGET || k == RES_AUTHORITY || k == RES_SCHOOL)
                continue;
            for (int a = 0; a < ACT__COUNT; a++)
                for (int pos = 0; pos < POS__COUNT; pos++)
                    assert_false(policy_decide(ps[w], (enum action)a,
                                               &(struct resource){.kind = (enum resource_kind)k,
                                                                  .id = a == ACT_LIST ? 0 : 100 + pos,
                                                                  .authority_id = pos == 2 ? A2 : A1,
                                                                  .school_id = S11, .team_id = 5})
                                     .allow);
        }
    /* Which roles allow what, for the limits the service applies. */
    struct principal both = principal(2, (struct role_grant[]){grant(ROLE_BUDGET_APPROVER, SCOPE_AUTHORITY, A1, A1),
                                                               team(ROLE_BUDGET_HOLDER, 5, A1, 1, t11)});
    assert_int_equal(policy_roles_allowing(&both, ACT_EDIT, &own), 1u << ROLE_BUDGET_APPROVER);
    assert_int_equal(policy_roles_allowing(&both, ACT_VIEW, &own),
                     (1u << ROLE_BUDGET_APPROVER) | (1u << ROLE_BUDGET_HOLDER));
    assert_int_equal(policy_roles_allowing(&both, ACT_CREATE, &create), 1u << ROLE_BUDGET_HOLDER);
    assert_int_equal(policy_roles_allowing(&both, ACT_CREATE, &create_other), 0);
    assert_int_equal(policy_roles_allowing(&both, ACT_VIEW, &other_la), 0);
    assert_int_equal(policy_roles_allowing(NULL, ACT_VIEW, &own), 0);
    /* Lists: the approver sees the authority; a team holder its own team. */
    struct visibility v;
    policy_visible(&hold_t, RES_BUDGET, ACT_LIST, &v);
    assert_int_equal(v.nwhole_teams, 1);
    assert_int_equal(v.whole_team_ids[0], 5);
    assert_int_equal(v.nauthorities, 0);
    policy_visible(&appr, RES_BUDGET, ACT_LIST, &v);
    assert_int_equal(v.nauthorities, 1);
    assert_int_equal(v.authority_ids[0], A1);
    policy_visible(&appr, RES_PUPIL, ACT_LIST, &v);
    assert_true(policy_visible_none(&v));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matrix),
        cmocka_unit_test(test_role_scope_sweep),
        cmocka_unit_test(test_null_and_empty_principals),
        cmocka_unit_test(test_malformed_input),
        cmocka_unit_test(test_cross_authority),
        cmocka_unit_test(test_read_only_token),
        cmocka_unit_test(test_multi_role),
        cmocka_unit_test(test_team_scope),
        cmocka_unit_test(test_delete_and_users_admin_only),
        cmocka_unit_test(test_reasons),
        cmocka_unit_test(test_practitioner_consent),
        cmocka_unit_test(test_union_of_roles),
        cmocka_unit_test(test_deidentified),
        cmocka_unit_test(test_own_team),
        cmocka_unit_test(test_break_glass),
        cmocka_unit_test(test_visible),
        cmocka_unit_test(test_visible_cap),
        cmocka_unit_test(test_evidence_own_team),
        cmocka_unit_test(test_apst_own_taskforce),
        cmocka_unit_test(test_apst_specialist_consent),
        cmocka_unit_test(test_codes),
        cmocka_unit_test(extract_k_setters),
        cmocka_unit_test(staff_schools),
        cmocka_unit_test(visible_covers),
        cmocka_unit_test(test_budget_roles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
