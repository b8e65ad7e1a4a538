// A small authority whose every dashboard figure is known by hand: used by
// tests/http/dashboard.test.mjs (which works the figures out in its
// comments) and by the browser test.  SQL for sqlite3, ids from 9001 up.
// ---- the dataset ------------------------------------------------------------
// Schools: P1, P2, P3 primary (P3 in no team: no meetings), S1 secondary, all
// TAS members; N1 primary, not a TAS school.
// Teams: T1 hosted by P1 (P1, P2; core member EP), T2 hosted by S1 (S1; EP, SALT).
// T1 meetings in range: M1 2024-10-02 held, M2 2024-10-23 held online,
//   M3 2024-11-13 cancelled, M4 2024-12-04 planned, M8 2025-01-15 held,
//   M9 2025-02-05 held; M7 2025-09-10 held is outside the range.
// T2: M5 2024-10-09 held, M6 2024-10-30 cancelled.
export function dashboardFixture(A) {
  const s = [];
  s.push(`INSERT INTO authorities VALUES (${A}, '990', 'Testshire', 0, 0);`);
  const schools = [[9001, 'P1', 'primary', 1], [9002, 'P2', 'primary', 1], [9003, 'P3', 'primary', 1],
    [9004, 'S1', 'secondary', 1], [9005, 'N1', 'primary', 0]];
  for (const [id, name, phase, tas] of schools) {
    s.push(`INSERT INTO schools (id, authority_id, urn, name, phase, tas_member, created_at, updated_at)
            VALUES (${id}, ${A}, '${990000 + id}', 'Testshire ${name}', '${phase}', ${tas}, 0, 0);`);
  }
  const services = [[9101, 'school', 'School', 'school'], [9102, 'strategic_lead', 'TAS Strategic Lead', 'local_authority'],
    [9103, 'case_coordinator', 'TAS Case Coordinator', 'local_authority'], [9104, 'ep', 'Educational Psychology', 'local_authority'],
    [9105, 'salt', 'Speech and Language Therapy', 'health']];
  for (const [id, code, name, kind] of services) {
    s.push(`INSERT INTO services (id, authority_id, code, name, org_kind, created_at, updated_at)
            VALUES (${id}, ${A}, '${code}', '${name}', '${kind}', 0, 0);`);
  }
  s.push(`INSERT INTO practitioners (id, authority_id, service_id, name, created_at, updated_at)
          VALUES (9151, ${A}, 9105, 'A Therapist', 0, 0);`);
  s.push(`INSERT INTO teams (id, authority_id, host_school_id, name, cadence, created_at, updated_at) VALUES
          (9201, ${A}, 9001, 'T1 primary cluster', 'three_weekly', 0, 0), (9202, ${A}, 9004, 'T2 secondary', 'fortnightly', 0, 0);`);
  s.push(`INSERT INTO team_schools VALUES (9201, 9001), (9201, 9002), (9202, 9004);`);
  s.push(`INSERT INTO team_members (team_id, service_id) VALUES (9201, 9104), (9202, 9104), (9202, 9105);`);
  const meetings = [[9301, 9201, '2024-10-02', 'held', 'in_person'], [9302, 9201, '2024-10-23', 'held', 'online'],
    [9303, 9201, '2024-11-13', 'cancelled', 'in_person'], [9304, 9201, '2024-12-04', 'planned', 'in_person'],
    [9308, 9201, '2025-01-15', 'held', 'in_person'], [9309, 9201, '2025-02-05', 'held', 'in_person'],
    [9307, 9201, '2025-09-10', 'held', 'in_person'],
    [9305, 9202, '2024-10-09', 'held', 'in_person'], [9306, 9202, '2024-10-30', 'cancelled', 'in_person']];
  for (const [id, team, date, status, mode] of meetings) {
    s.push(`INSERT INTO meetings (id, team_id, meeting_date, start_time, status, mode, created_at, updated_at)
            VALUES (${id}, ${team}, '${date}', '13:30', '${status}', '${mode}', 0, 0);`);
  }
  // Attendance: M1 school, SL, EP present, CC apologies, a guest; M2 school, CC
  // present, EP absent; M5 everyone present; M8, M9 nothing recorded.
  const att = [[9301, 9101, 'school', 'present', 0], [9301, 9102, 'strategic_lead', 'present', 0],
    [9301, 9103, 'case_coordinator', 'apologies', 0], [9301, 9104, '', 'present', 0],
    [9301, null, 'Social Worker (Adoption Team)', 'present', 1],
    [9302, 9101, 'school', 'present', 0], [9302, 9103, 'case_coordinator', 'present', 0], [9302, 9104, '', 'absent', 0],
    [9305, 9101, 'school', 'present', 0], [9305, 9102, 'strategic_lead', 'present', 0],
    [9305, 9103, 'case_coordinator', 'present', 0], [9305, 9104, '', 'present', 0], [9305, 9105, '', 'present', 0],
    [9307, 9101, 'school', 'present', 0]];
  for (const [m, sv, role, st, guest] of att) {
    s.push(`INSERT INTO attendance (meeting_id, service_id, role, status, guest)
            VALUES (${m}, ${sv ?? 'NULL'}, '${role}', '${st}', ${guest});`);
  }
  // Pupils and cases c1..c10: [school, gender, ethnicity, nc year, SEN,
  //   summary, ect, prior SEN support, paediatrics, cin, cp, lac]
  const N = 'NULL';
  const kids = [
    [9001, 'M', 'WBRI', '2', 'N', 1, 1, 1, 1, N, N, N],
    [9001, 'M', 'WBRI', '2', 'N', 1, 0, 1, 1, N, N, N],
    [9001, 'F', 'WENG', '2', 'K', 1, 0, 1, 0, N, N, N],
    [9001, 'M', 'AIND', '5', 'N', 1, 0, 0, 0, N, N, N],
    [9001, 'F', 'MWBC', '5', 'K', 1, 0, 0, 0, N, N, N],
    [9001, 'M', 'WBRI', 'R', 'E', 0, 0, 0, 0, N, N, N],
    [9002, 'U', 'NOBT', '6', 'N', N, N, N, 0, N, N, N],
    [9004, 'M', 'BAFR', '7', 'K', 1, 0, 1, 1, 1, N, N],
    [9004, 'F', 'WBRI', '7', 'K', 1, 0, 1, N, 0, 0, 0],
    [9004, 'F', 'OOTH', '9', 'E', N, 0, 0, 0, N, N, N],
  ];
  kids.forEach((k, i) => {
    const id = 9401 + i;
    const [school, g, eth, ncy, sen, summ, ect, psen, paed, cin, cp, lac] = k;
    s.push(`INSERT INTO pupils (id, school_id, upn, forenames, surname, date_of_birth, gender, ethnicity, nc_year,
              sen_provision, created_at, updated_at) VALUES (${id}, ${school}, 'T99000000${String(i).padStart(4, '0')}',
              'Test', 'Pupil${i + 1}', '2015-01-01', '${g}', '${eth}', '${ncy}', '${sen}', 0, 0);`);
    s.push(`INSERT INTO cases (id, pupil_id, team_id, opened_on, summary_before_meeting, ect_completed,
              prior_sen_support, prior_paediatrics, prior_cin, prior_cp, prior_lac, created_at, updated_at)
            VALUES (${9501 + i}, ${id}, ${school === 9004 ? 9202 : 9201}, '2024-10-01', ${summ}, ${ect}, ${psen},
              ${paed}, ${cin}, ${cp}, ${lac}, 0, 0);`);
  });
  // Discussions: c1-c4 new at M1, c5-c7 new at M2, c8-c10 new at M5.
  // Reviews: c1 M2; c2 M2, M8; c3 M2, M8, M9; c5 M8; c6 M9 and M7 (outside).
  const disc = [[9301, 1, 'new'], [9301, 2, 'new'], [9301, 3, 'new'], [9301, 4, 'new'],
    [9302, 5, 'new'], [9302, 6, 'new'], [9302, 7, 'new'], [9305, 8, 'new'], [9305, 9, 'new'], [9305, 10, 'new'],
    [9302, 1, 'review'], [9302, 2, 'review'], [9308, 2, 'review'], [9302, 3, 'review'], [9308, 3, 'review'],
    [9309, 3, 'review'], [9308, 5, 'review'], [9309, 6, 'review'], [9307, 6, 'review']];
  disc.forEach(([m, c, kind], i) => {
    s.push(`INSERT INTO discussions (id, meeting_id, case_id, kind, created_at, updated_at)
            VALUES (${9601 + i}, ${m}, ${9500 + c}, '${kind}', 0, 0);`);
  });
  s.push(`INSERT INTO resources (id, authority_id, title, kind, audience, created_at, updated_at) VALUES
          (9701, ${A}, 'Triple P', 'course', 'parents', 0, 0), (9702, ${A}, 'Sleep guidance', 'guidance', 'both', 0, 0);`);
  // Actions: [case, setting, nature, owner service, owner practitioner, resource]
  const acts = [[1, 'school', 'school_adjustment', 9101, N, N], [1, 'home', 'signposting_parents', 9101, N, 9701],
    [1, 'school', 'coordination', 9104, N, N], [2, 'home', 'signposting_parents', 9101, N, 9701],
    [2, 'health', 'referral', N, 9151, N], [3, 'school', 'advice', N, N, N],
    [8, 'school', 'signposting_school', 9104, N, 9702], [8, 'school', 'school_adjustment', 9101, N, N],
    [9, 'social_care', 'coordination', 9104, N, N], [9, 'home', 'signposting_parents', 9101, N, N]];
  for (const [c, setting, nature, sv, pr, res] of acts) {
    s.push(`INSERT INTO actions (case_id, description, owner_service_id, owner_practitioner_id, setting, nature,
              resource_id, created_at, updated_at) VALUES (${9500 + c}, 'Test action', ${sv}, ${pr}, '${setting}',
              '${nature}', ${res}, 0, 0);`);
  }
  // Who sees Testshire: admin (exact counts), steering and evaluator
  // (aggregates only), a head of P1 (no aggregates).
  s.push(`INSERT INTO user_roles (user_id, role, scope_kind, scope_id, authority_id)
          SELECT id, 'admin', 'authority', ${A}, ${A} FROM users WHERE username = 'admin';`);
  s.push(`INSERT INTO user_roles (user_id, role, scope_kind, scope_id, authority_id)
          SELECT id, 'steering', 'authority', ${A}, ${A} FROM users WHERE username = 'steering';`);
  s.push(`INSERT INTO user_roles (user_id, role, scope_kind, scope_id, authority_id)
          SELECT id, 'evaluator', 'authority', ${A}, ${A} FROM users WHERE username = 'evaluator';`);
  return s.join('\n');
}

