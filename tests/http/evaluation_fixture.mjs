// "Evalshire": a small authority for the evaluation pages (issue 14), used by
// tests/http/evaluation_web.test.mjs and the browser test.  SQL for sqlite3,
// ids from 9500 up.
// Schools: P1, P2 primary TAS (in team T1, not marked members: team_schools
// alone makes them TAS schools), C1, C2 primary comparison, X1 secondary
// comparison.  Users (demo users given roles here): admin, evaluator,
// strategic lead (lead) and steering for the authority.
export const A = 950;
export const SCHOOLS = { P1: 9501, P2: 9502, C1: 9503, C2: 9504, X1: 9505 };
export const URN = (id) => String(950000 + id);

export function evaluationFixture() {
  const s = [];
  s.push(`INSERT INTO authorities VALUES (${A}, '950', 'Evalshire', 0, 0);`);
  // [id, name, phase, % FSM, % SEN]
  const schools = [[SCHOOLS.P1, 'P1', 'primary', 20, 15], [SCHOOLS.P2, 'P2', 'primary', 30, 12],
    [SCHOOLS.C1, 'C1', 'primary', 22, 14], [SCHOOLS.C2, 'C2', 'primary', 40, 20],
    [SCHOOLS.X1, 'X1', 'secondary', 25, 13]];
  for (const [id, name, phase, fsm, sen] of schools) {
    s.push(`INSERT INTO schools (id, authority_id, urn, name, phase, pupils_on_roll, fsm_pct, sen_pct, tas_member,
              created_at, updated_at) VALUES (${id}, ${A}, '${URN(id)}', 'Evalshire ${name}', '${phase}', 400, ${fsm},
              ${sen}, 0, 0, 0);`);
  }
  s.push(`INSERT INTO services (id, authority_id, code, name, org_kind, created_at, updated_at)
          VALUES (9511, ${A}, 'paed', 'Community Paediatrics', 'health', 0, 0);`);
  s.push(`INSERT INTO teams (id, authority_id, host_school_id, name, cadence, created_at, updated_at)
          VALUES (9521, ${A}, ${SCHOOLS.P1}, 'T1 primary cluster', 'three_weekly', 0, 0);`);
  s.push(`INSERT INTO team_schools VALUES (9521, ${SCHOOLS.P1}), (9521, ${SCHOOLS.P2});`);
  for (const [user, role] of [['admin', 'admin'], ['evaluator', 'evaluator'], ['lead', 'strategic_lead'],
    ['steering', 'steering']]) {
    s.push(`INSERT INTO user_roles (user_id, role, scope_kind, scope_id, authority_id)
            SELECT id, '${role}', 'authority', ${A}, ${A} FROM users WHERE username = '${user}';`);
  }
  return s.join('\n');
}

// The Bedford report's Figure 5d (community paediatrics referrals): pilot
// 1.43 -> 1.35, non-pilot 1.61 -> 1.93 per 100 pupils.  10,000 pupils a group
// and year: TAS 143 (70 + 73) -> 135 (60 + 75); comparison 161 (64 + 97) ->
// 193 (80 + 113).  The DiD is (1.35 - 1.43) - (1.93 - 1.61) = -0.40 per 100.
export const FIG5D_CSV = [
  'school,year,group,pupils,count',
  `${URN(SCHOOLS.P1)},2023,tas,5000,70`, `${URN(SCHOOLS.P2)},2023,tas,5000,73`,
  `${URN(SCHOOLS.P1)},2024,tas,5000,60`, `${URN(SCHOOLS.P2)},2024,tas,5000,75`,
  `${URN(SCHOOLS.C1)},2023,comparison,4000,64`, `${URN(SCHOOLS.C2)},2023,comparison,6000,97`,
  `${URN(SCHOOLS.C1)},2024,comparison,4000,80`, `${URN(SCHOOLS.C2)},2024,comparison,6000,113`,
].join('\n') + '\n';
