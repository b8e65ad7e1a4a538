// The access matrix (issue 4, item 2): every role against every route and
// action, checked against the table below, which is written from the
// rules in src/core/policy.c (not from what the server answers).
//
// Outcomes:
//   Y  allowed: 2xx or 303, or 422 (the policy let it through and only
//      validation refused it: change requests are sent empty on purpose,
//      so nothing is changed by the matrix itself)
//   N  refused: 403 (you may see it but not do this) or 404
//   H  hidden: exactly 404.  A record that exists but is not yours is
//      reported as not found (docs/architecture.md), so ids of another
//      school's or authority's records (IDOR) cannot be told from ids that
//      do not exist
//   -  no such route for anybody: 404 or 405.  tas deletes nothing from
//      the web (erasure is `tas retention`'s job); exports are the subject
//      access export (pupils.export), the dashboard's CSV/XLSX and the
//      evaluators' pseudonymised extract
//
// Rows are route x action (the table is easier to read that way round);
// columns are the users.  The demo users, then users made for this test:
//   pr.ep   practitioner, team T1 (school 1), service ep
//   pr.oth  practitioner, team T1, another service (the consent does not cover it)
//   two     two roles: school lead of school 2 AND practitioner of T1 for ep
//   la.b    case coordinator of another authority, B
//   root    platform administrator (system scope), who made authority B
//   tf.mgr  Taskforce Manager of the AP taskforce TF (apst_manager, team scope on its team)
//   tf.spec specialist of TF (apst_specialist, detail salt), linked to the post TFS, assigned
//           to TFR (consent covers salt) and TFR2 (no consent recorded)
// The demo "practitioner" is a service-scope grant alone: it reaches no
// pupil or case (practitioners reach children only through a team).
//
// Records: pA (school 1; consent covers ep; caseA in T1, actA, refA, M1),
// pB (school 2; caseB in T2), pX in authority B (caseX in TX, actX, MX).
//
// The CLI runs as the system principal (svc_system_principal: administrator
// with system scope): whoever can run `tas` on the server already holds the
// database file.  It goes through the same services and policy, so it is
// refused only what nobody may do (see the CLI test at the end).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, Client, tasBin, DEMO_PASSWORD, csrfFrom, decodeHtml, TODAY, addDays, nowSeconds, birthDateFor } from './harness.mjs';
import { dbSql } from './harness.mjs';

const USERS = ['admin', 'dpo', 'lead', 'coord', 'head', 'senco', 'prac', 'eval', 'steer',
  'pr.ep', 'pr.oth', 'two', 'la.b', 'root', 'tf.mgr', 'tf.spec'];

const TABLE = `
cell                          admin dpo lead coord head senco prac eval steer pr.ep pr.oth two la.b root tf.mgr tf.spec
pupils.list                   Y     Y   Y    Y     Y    Y     N    N    N     Y     Y      Y   Y    Y    Y      N
pupils.view                   Y     Y   Y    Y     Y    H     H    H    H     Y     Y      Y   H    Y    H      H
pupils.create                 Y     N   N    Y     Y    N     N    N    N     N     N      N   N    Y    N      N
pupils.edit                   Y     N   N    Y     Y    H     H    H    H     N     N      N   H    Y    N      N
pupils.delete                 -     -   -    -     -    -     -    -    -     -     -      -   -    -    -      -
pupils.export                 Y     Y   N    N     N    H     H    H    H     N     N      N   H    Y    N      N
pupils.export.other-la        H     H   H    H     H    H     H    H    H     H     H      H   N    Y    H      H
pupils.view.other-school      Y     Y   Y    Y     H    Y     H    H    H     H     H      Y   H    Y    H      H
pupils.view.other-la          H     H   H    H     H    H     H    H    H     H     H      H   Y    Y    H      H
pupils.edit.other-la          H     H   H    H     H    H     H    H    H     H     H      H   Y    Y    H      H
schools.list                  Y     Y   Y    Y     Y    Y     Y    Y    Y     Y     Y      Y   Y    Y    Y      Y
schools.view                  Y     Y   Y    Y     Y    Y     Y    Y    Y     Y     Y      Y   H    Y    Y      Y
schools.create                Y     N   N    N     N    N     N    N    N     N     N      N   N    Y    N      N
schools.edit                  Y     N   N    N     Y    N     N    N    N     N     N      N   H    Y    N      N
schools.delete                -     -   -    -     -    -     -    -    -     -     -      -   -    -    -      -
schools.view.other-la         H     H   H    H     H    H     H    H    H     H     H      H   Y    Y    H      H
authorities.list              Y     Y   Y    Y     Y    Y     Y    Y    Y     Y     Y      Y   Y    Y    Y      Y
authorities.view              Y     Y   Y    Y     Y    Y     Y    Y    Y     Y     Y      Y   H    Y    Y      Y
authorities.create            N     N   N    N     N    N     N    N    N     N     N      N   N    Y    N      N
authorities.edit              Y     N   N    N     N    N     N    N    N     N     N      N   H    Y    N      N
authorities.view.other-la     H     H   H    H     H    H     H    H    H     H     H      H   Y    Y    H      H
cases.list                    Y     Y   Y    Y     Y    Y     N    N    N     Y     Y      Y   Y    Y    N      N
cases.view                    Y     Y   Y    Y     Y    H     H    H    H     Y     H      Y   H    Y    H      H
cases.create                  Y     N   N    Y     Y    H     H    H    H     N     N      N   H    Y    N      N
cases.edit                    Y     N   Y    Y     Y    H     H    H    H     Y     H      Y   H    Y    H      H
cases.delete                  -     -   -    -     -    -     -    -    -     -     -      -   -    -    -      -
cases.export                  -     -   -    -     -    -     -    -    -     -     -      -   -    -    -      -
cases.view.other-school       Y     Y   Y    Y     H    Y     H    H    H     H     H      Y   H    Y    H      H
cases.view.other-la           H     H   H    H     H    H     H    H    H     H     H      H   Y    Y    H      H
cases.edit.other-la           H     H   H    H     H    H     H    H    H     H     H      H   Y    Y    H      H
consents.list                 Y     Y   Y    Y     Y    H     H    H    H     N     N      N   H    Y    N      N
consents.view                 -     -   -    -     -    -     -    -    -     -     -      -   -    -    -      -
consents.create               Y     N   N    Y     Y    H     H    H    H     N     N      N   H    Y    N      N
consents.edit                 Y     N   Y    Y     Y    H     H    H    H     H     H      H   H    Y    H      H
consents.list.other-la        H     H   H    H     H    H     H    H    H     H     H      H   Y    Y    H      H
chronology.view               Y     Y   Y    Y     Y    H     H    H    H     H     H      H   H    Y    H      H
actions.list                  Y     Y   Y    Y     Y    H     H    H    H     Y     H      Y   H    Y    H      H
actions.view                  Y     Y   Y    Y     Y    H     H    H    H     Y     H      Y   H    Y    H      H
actions.create                Y     N   N    Y     Y    H     H    H    H     N     H      N   H    Y    H      H
actions.edit                  Y     N   Y    Y     Y    H     H    H    H     Y     H      Y   H    Y    H      H
actions.view.other-la         H     H   H    H     H    H     H    H    H     H     H      H   Y    Y    H      H
referrals.list                Y     Y   Y    Y     Y    H     H    H    H     Y     H      Y   H    Y    H      H
referrals.view                Y     Y   Y    Y     Y    H     H    H    H     Y     H      Y   H    Y    H      H
referrals.create              Y     N   N    Y     Y    H     H    H    H     N     H      N   H    Y    H      H
referrals.edit                Y     N   Y    Y     Y    H     H    H    H     Y     H      Y   H    Y    H      H
teams.list                    Y     Y   Y    Y     Y    Y     N    N    N     Y     Y      Y   Y    Y    Y      Y
teams.view                    Y     Y   Y    Y     Y    H     H    H    H     Y     Y      Y   H    Y    H      H
teams.create                  Y     N   N    Y     N    N     N    N    N     N     N      N   Y    Y    N      N
teams.edit                    Y     N   Y    Y     N    H     H    H    H     N     N      N   H    Y    N      N
teams.view.other-la           H     H   H    H     H    H     H    H    H     H     H      H   Y    Y    H      H
meetings.list                 Y     Y   Y    Y     Y    Y     N    N    N     Y     Y      Y   Y    Y    Y      Y
meetings.view                 Y     Y   Y    Y     Y    H     H    H    H     Y     Y      Y   H    Y    H      H
meetings.create               Y     N   Y    Y     N    H     H    H    H     N     N      N   H    Y    N      N
meetings.edit                 Y     N   Y    Y     N    H     H    H    H     N     N      N   H    Y    N      N
meetings.view.other-la        H     H   H    H     H    H     H    H    H     H     H      H   Y    Y    H      H
meetings.agenda               Y     Y   Y    Y     Y    H     H    H    H     Y     Y      Y   H    Y    H      H
reference.list                Y     Y   Y    Y     Y    Y     Y    N    N     Y     Y      Y   N    Y    Y      Y
reference.view                Y     Y   Y    Y     Y    Y     Y    N    N     Y     Y      Y   H    Y    Y      Y
reference.create              Y     N   N    Y     N    N     N    N    N     N     N      N   N    Y    N      N
reference.edit                Y     N   N    Y     N    N     N    N    N     N     N      N   H    Y    N      N
reference.view.other-la       H     H   H    H     H    H     H    N    N     H     H      H   Y    Y    H      H
users.list                    Y     Y   N    N     N    N     N    N    N     N     N      N   N    Y    N      N
users.create                  Y     N   N    N     N    N     N    N    N     N     N      N   N    Y    N      N
sessions.list                 Y     N   N    N     N    N     N    N    N     N     N      N   N    Y    N      N
audit.list                    Y     Y   N    N     N    N     N    N    N     N     N      N   N    Y    N      N
dashboard.view                Y     N   Y    Y     N    N     N    Y    Y     N     N      N   Y    Y    N      N
dashboard.export              Y     N   N    N     N    N     N    Y    N     N     N      N   N    Y    N      N
extract.export                Y     N   N    N     N    N     N    Y    N     N     N      N   N    Y    N      N
evaluation.view               Y     N   Y    N     N    N     N    Y    Y     N     N      N   N    Y    N      N
evaluation.create             Y     N   Y    N     N    N     N    Y    N     N     N      N   N    Y    N      N
evaluation.export             Y     N   Y    N     N    N     N    Y    N     N     N      N   N    Y    N      N
users.me                      Y     Y   Y    Y     Y    Y     Y    Y    Y     Y     Y      Y   Y    Y    Y      Y
break-glass.list              Y     Y   N    N     N    N     N    N    N     N     N      N   N    Y    N      N
evidence.outcome              Y     N   N    Y     N    H     H    H    H     N     H      N   H    Y    H      H
evidence.story.create         Y     N   Y    Y     Y    H     H    H    H     Y     H      Y   H    Y    H      H
evidence.stories              Y     N   Y    Y     N    N     N    Y    N     N     N      N   Y    Y    N      N
evidence.review               Y     N   N    Y     N    N     N    N    N     N     N      N   Y    Y    N      N
survey.list                   Y     Y   Y    Y     Y    Y     Y    N    N     Y     Y      Y   Y    Y    Y      Y
survey.create                 Y     N   N    Y     N    N     N    N    N     N     N      N   N    Y    N      N
survey.links                  Y     N   Y    Y     N    H     H    H    H     N     N      N   H    Y    N      N
meetings.pack                 Y     Y   Y    Y     Y    H     H    H    H     Y     Y      Y   H    Y    H      H
meetings.order                Y     N   Y    Y     Y    H     H    H    H     N     N      N   H    Y    N      N
meetings.location             Y     N   Y    Y     N    H     H    H    H     N     N      N   H    Y    N      N
cohorts.create                Y     N   Y    Y     Y    H     H    H    H     N     N      N   H    Y    N      N
cohorts.view                  Y     Y   Y    Y     Y    H     H    H    H     Y     Y      Y   H    Y    H      H
cohorts.edit                  Y     N   Y    Y     Y    H     H    H    H     N     N      N   H    Y    N      N
cohorts.view.other-la         H     H   H    H     H    H     H    H    H     H     H      H   Y    Y    H      H
cohort-actions.view           Y     Y   Y    Y     Y    H     H    H    H     Y     Y      Y   H    Y    H      H
cohort-actions.status         Y     N   Y    Y     Y    H     H    H    H     N     N      N   H    Y    N      N
cohort-actions.void           Y     N   Y    Y     Y    H     H    H    H     N     N      N   H    Y    N      N
budget.list                   Y     N   Y    N     N    N     N    N    N     N     N      N   N    Y    N      N
budget.view                   Y     H   Y    H     H    H     H    H    H     H     H      H   H    Y    H      H
budget.create                 Y     H   N    H     H    H     H    H    H     H     H      H   H    Y    H      H
budget.edit                   Y     H   N    H     H    H     H    H    H     H     H      H   H    Y    H      H
budget.approvals              Y     N   N    N     N    N     N    N    N     N     N      N   N    Y    N      N
budget.export                 Y     H   Y    H     H    H     H    H    H     H     H      H   H    Y    H      H
budget.catalogue              Y     N   Y    N     N    N     N    N    N     N     N      N   N    Y    N      N
apst.list                     Y     Y   Y    Y     N    N     N    N    N     N     N      N   Y    Y    Y      Y
apst.view                     Y     Y   Y    Y     H    H     H    H    H     H     H      H   H    Y    Y      Y
apst.create                   Y     N   N    Y     N    N     N    N    N     N     N      N   Y    Y    N      N
apst.edit                     Y     N   N    Y     H    H     H    H    H     H     H      H   H    Y    Y      N
apst.referral.view            Y     Y   Y    Y     H    H     H    H    H     H     H      H   H    Y    Y      Y
apst.referral.edit            Y     N   N    Y     H    H     H    H    H     H     H      H   H    Y    Y      N
apst.export                   Y     Y   Y    Y     H    H     H    H    H     H     H      H   H    Y    Y      N
apst.export.xlsx              Y     Y   Y    Y     H    H     H    H    H     H     H      H   H    Y    Y      N
apst.specialist.end           Y     N   N    Y     H    H     H    H    H     H     H      H   H    Y    Y      N
mail.invite                   Y     N   Y    Y     N    H     H    H    H     N     N      N   H    Y    N      N
mail.user-email               Y     N   N    N     N    N     N    N    N     N     N      N   H    Y    N      N
mail.forgot                   Y     Y   Y    Y     Y    Y     Y    Y    Y     Y     Y      Y   Y    Y    Y      Y
referral-results.view         Y     N   Y    Y     N    N     N    Y    Y     N     N      N   Y    Y    N      N
referral-results.export       Y     N   N    N     N    N     N    Y    N     N     N      N   N    Y    N      N
schools.import                Y     N   N    Y     N    N     N    N    N     N     N      N   Y    Y    N      N
calendar.invite               Y     Y   Y    Y     Y    H     H    H    H     Y     Y      Y   H    Y    H      H
calendar.invite.other-la      H     H   H    H     H    H     H    H    H     H     H      H   Y    Y    H      H
calendar.feed.wrong           H     H   H    H     H    H     H    H    H     H     H      H   H    H    H      H
calendar.account              Y     Y   Y    Y     Y    Y     Y    Y    Y     Y     Y      Y   Y    Y    Y      Y
pupils.ctf                    Y     N   N    Y     Y    Y     N    N    N     N     N      Y   Y    Y    N      N
apst.referral.view.no-consent Y     Y   Y    Y     H    H     H    H    H     H     H      H   H    Y    Y      H
apst.consent                  Y     N   N    Y     H    H     H    H    H     H     H      H   H    Y    Y      N
apst.staff                    Y     N   N    Y     H    H     H    H    H     H     H      H   H    Y    Y      N
apst.account                  Y     N   N    Y     H    H     H    H    H     H     H      H   H    Y    Y      N
apst.costs                    Y     N   N    Y     H    H     H    H    H     H     H      H   H    Y    Y      N
apst.interventions.create     Y     N   N    Y     H    H     H    H    H     H     H      H   H    Y    Y      Y
`;

function parseTable(text) {
  const lines = text.trim().split('\n').map((l) => l.trim().split(/\s+/));
  const [head, ...rows] = lines;
  assert.deepEqual(head.slice(1), USERS, 'table columns');
  const out = new Map();
  for (const r of rows) {
    assert.equal(r.length, USERS.length + 1, `row ${r[0]} has one outcome per user`);
    out.set(r[0], Object.fromEntries(USERS.map((u, i) => [u, r[i + 1]])));
  }
  return out;
}
const EXPECT = parseTable(TABLE);

let srv;
const as = {};   // user -> Client with .csrf
const ids = {};
const PAST = addDays(TODAY, -40);

function sql(q) {
  return dbSql(srv.db, q);
}

function cliUser(username, password, args) {
  const r = spawnSync(tasBin(), ['user', 'add', username, '--db', srv.db, '--name', `Test ${username}`, ...args],
    { input: `${password}\n`, encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, r.stderr);
}

async function signIn(username, password = DEMO_PASSWORD) {
  const c = new Client(srv.base);
  const res = await c.postJson('/api/v1/sign-in', { username, password });
  const text = await res.text();
  assert.equal(res.status, 200, `sign-in of ${username}: ${text}`);
  const body = JSON.parse(text);
  c.csrf = body.csrf;
  c.me = body.user;
  return c;
}

async function api(c, method, p, obj) {
  const headers = { origin: c.base, 'x-csrf-token': c.csrf };
  if (obj !== undefined) headers['content-type'] = 'application/json';
const                        res   =     await c.request(p, {     method, headers, body: obj   ===   undefined ?     undefined :     JSON.stringify(obj) });
  const text = await res.text();
  let body = null;
  try { body = JSON.parse(text); } catch { body = text; }
  return { status: res.status, body, text };
}

async function made(c, method, p, obj, what) {
  const r = await api(c, method, p, obj);
  assert.equal(r.status, 201, `${what}: ${r.text}`);
  return r.body;
}

const UPN_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';
let upnSeq = Math.floor(Math.random() * 1e8);
function freshUpn() {
  upnSeq += 1;
  const body = `999${String(upnSeq % 1e9).padStart(9, '0')}`;
  let sum = 0;
  for (let i = 0; i < 12; i++) {
    const ch = body[i];
    sum += (/[0-9]/.test(ch) ? Number(ch) : UPN_LETTERS.indexOf(ch)) * (i + 2);
  }
  return UPN_LETTERS[sum % 23] + body;
}
const pupilJson = (school) => ({
  upn: freshUpn(), forenames: 'Matrix', surname: 'Testpupil', date_of_birth: birthDateFor('4'), gender: 'F',
  ethnicity: 'WBRI', nc_year: '4', sen_provision: 'K', school_id: school,
});

function meeting(team, date) {
  const now = nowSeconds();
  return Number(sql(`INSERT INTO meetings (team_id, meeting_date, start_time, status, created_at, updated_at)
    VALUES (${team}, '${date}', '13:30', 'planned', ${now}, ${now}) RETURNING id;`));
}

before(async () => {
  srv = await startServer({ seed: 3, extraArgs: ['--quiet'] });
  const coord = await signIn('coordinator');
  as.coord = coord;
  as.head = await signIn('head');
  as.senco = await signIn('senco');
  ids.A = coord.me.roles[0].scope_id;
  ids.school1 = as.head.me.roles[0].scope_id;
  ids.school2 = as.senco.me.roles[0].scope_id;

  const services = (await api(coord, 'GET', '/api/v1/services')).body.services;
  ids.ep = services.find((s) => s.code === 'ep').id;
  ids.otherService = services.find((s) => s.code !== 'ep');
  const teamBody = (host, name) => ({ name, host_school_id: host, cadence: 'fortnightly', weekday: 3,
    start_time: '13:30', duration_minutes: 90 });
  const t1 = (await made(coord, 'POST', '/api/v1/teams', teamBody(ids.school1, 'Matrix T1'), 'team T1')).team;
  const t2 = (await made(coord, 'POST', '/api/v1/teams', teamBody(ids.school2, 'Matrix T2'), 'team T2')).team;
  ids.T1 = t1.id;
  ids.T2 = t2.id;
  // Another team meeting at school 1: not T1's members' business.
  ids.T3 = (await made(coord, 'POST', '/api/v1/teams', teamBody(ids.school1, 'Matrix T3'), 'team T3')).team.id;
  assert.ok(!t1.schools.some((s) => s.id === ids.school2), 'T1 does not cover school 2');

  const first = async (school) => (await api(coord, 'GET', `/api/v1/pupils?school=${school}&per_page=5`))
    .body.pupils.find((p) => p.school.id === school).id;
  ids.pA = await first(ids.school1);
  ids.pB = await first(ids.school2);
  const consent = (serviceIds) => ({ given_by: 'Jo Example', relationship: 'mother', given_on: PAST,
    covers_discussion: 'yes', service_ids: serviceIds });
  ids.cA = (await made(coord, 'POST', `/api/v1/pupils/${ids.pA}/consents`, consent([ids.ep]), 'consent A')).consent.id;
  await made(coord, 'POST', `/api/v1/pupils/${ids.pB}/consents`, consent([ids.ep]), 'consent B');
  ids.caseA = (await made(coord, 'POST', `/api/v1/pupils/${ids.pA}/cases`,
    { team_id: ids.T1, need_semh: 'Anxious at transitions' }, 'case A')).case.id;
  ids.caseB = (await made(coord, 'POST', `/api/v1/pupils/${ids.pB}/cases`,
    { team_id: ids.T2, need_semh: 'Struggles after lunch' }, 'case B')).case.id;
  const action = (svc) => ({ description: 'Early Help to call the family', owner_service_id: svc, setting: 'home',
    nature: 'coordination', due_on: TODAY });
  ids.actA = (await made(coord, 'POST', `/api/v1/cases/${ids.caseA}/actions`, action(ids.ep), 'action A')).action.id;
  ids.refA = (await made(coord, 'POST', `/api/v1/cases/${ids.caseA}/referrals`,
    { service_id: ids.ep, referred_on: TODAY }, 'referral A')).referral.id;
  ids.M1 = meeting(ids.T1, TODAY);

  // Another authority, made through the API by a platform administrator.
  cliUser('root', 'platform-key-7788', ['--role', 'admin', '--scope', 'system']);
  const root = await signIn('root', 'platform-key-7788');
  as.root = root;
  ids.B = (await made(root, 'POST', '/api/v1/authorities', { la_code: '997', name: 'Otherside Borough Council' },
    'authority B')).authority.id;
  ids.schoolX = (await made(root, 'POST', '/api/v1/schools', { urn: '700001', name: 'Otherside Primary School',
    phase: 'primary', pupils_on_roll: 200, fsm_pct: 10, sen_pct: 12, tas_member: 'yes', authority_id: ids.B },
  'school X')).school.id;
  ids.pX = (await made(root, 'POST', '/api/v1/pupils', pupilJson(ids.schoolX), 'pupil X')).pupil.id;
  ids.svcX = (await api(root, 'GET', `/api/v1/services?authority=${ids.B}`)).body.services
    .find((s) => s.code === 'ep').id;
  ids.TX = (await made(root, 'POST', '/api/v1/teams', teamBody(ids.schoolX, 'Matrix TX'), 'team X')).team.id;
  await made(root, 'POST', `/api/v1/pupils/${ids.pX}/consents`, consent([ids.svcX]), 'consent X');
  ids.caseX = (await made(root, 'POST', `/api/v1/pupils/${ids.pX}/cases`,
    { team_id: ids.TX, need_semh: 'Other authority' }, 'case X')).case.id;
  ids.actX = (await made(root, 'POST', `/api/v1/cases/${ids.caseX}/actions`, action(ids.svcX), 'action X')).action.id;
  ids.MX = meeting(ids.TX, TODAY);
  // Cohort discussions (no child data) at M1 and MX, and an action for M1's.
  const cohort = (m) => Number(sql(`INSERT INTO cohort_discussions (meeting_id, year_group, description, created_at,
    updated_at) VALUES (${m}, '6', 'Year 6 transition', ${nowSeconds()}, ${nowSeconds()}) RETURNING id;`));
  ids.K1 = cohort(ids.M1);
  ids.KX = cohort(ids.MX);
  ids.KA1 = Number(sql(`INSERT INTO cohort_actions (cohort_discussion_id, description, owner_name, created_at, updated_at)
    VALUES (${ids.K1}, 'Year 6 lead to plan visits', 'Year 6 lead', ${nowSeconds()}, ${nowSeconds()}) RETURNING id;`));

  // An AP specialist taskforce in authority A (issue 19), with an outreach
  // referral of pupil A.  Its manager and specialists are tested in apst.test.mjs.
  const ap = (await made(root, 'POST', '/api/v1/schools', { urn: '700019', name: 'Matrix AP Academy', phase: 'ap',
    pupils_on_roll: 50, tas_member: 'yes', authority_id: ids.A }, 'AP school')).school.id;
  ids.TF = (await made(coord, 'POST', '/api/v1/apst', { name: 'Matrix taskforce', school_id: ap,
    manager_name: 'Matrix Manager', manager_fte: '0.6', started_on: PAST }, 'taskforce')).taskforce.id;
  ids.TFR = (await made(coord, 'POST', `/api/v1/apst/${ids.TF}/referrals`, { pupil_id: ids.pA, route: 'formal',
    referred_on: PAST }, 'taskforce referral')).referral.id;
  ids.TFS = (await made(coord, 'POST', `/api/v1/apst/${ids.TF}/specialists`, { kind: 'salt', name: 'Matrix SaLT',
    fte: '0.4', days_on_site: '2', funding: 'secondment', supervision: 'home_clinical', starts_on: PAST },
  'taskforce specialist')).specialist.id;
  // Its manager and a specialist (the SaLT's account): TFR's consent covers salt, TFR2 has none yet.
  ids.TFteam = Number(sql(`SELECT team_id FROM apst_taskforces WHERE id = ${ids.TF}`));
  const tfScope = ['--scope', 'team', '--scope-id', String(ids.TFteam), '--authority-id', String(ids.A)];
  cliUser('tf.mgr', 'taskforce-manager-1', ['--role', 'apst_manager', ...tfScope]);
  cliUser('tf.spec', 'taskforce-special-1', ['--role', 'apst_specialist', ...tfScope, '--detail', 'salt']);
  const linked = await api(coord, 'POST', `/api/v1/apst/specialists/${ids.TFS}/account`, { username: 'tf.spec' });
  assert.equal(linked.status, 200, linked.text);
  const consented = await api(coord, 'POST', `/api/v1/apst/referrals/${ids.TFR}/consent`, { consent_basis: 'family',
    consent_by: 'Parent', consent_on: PAST, consent_kinds: ['salt'] });
  assert.equal(consented.status, 200, consented.text);
  ids.TFR2 = (await made(coord, 'POST', `/api/v1/apst/${ids.TF}/referrals`, { pupil_id: ids.pB, route: 'spotted',
    referred_on: PAST }, 'taskforce referral without consent')).referral.id;
  for (const r of [ids.TFR, ids.TFR2]) {
    assert.equal((await api(coord, 'POST', `/api/v1/apst/referrals/${r}/staff`, { specialist_id: String(ids.TFS) })).status, 200);
  }

  // Users with other scopes.
  const team = ['--scope', 'team', '--scope-id', String(ids.T1), '--authority-id', String(ids.A)];
  cliUser('pr.ep', 'practitioner-pw-1', ['--role', 'practitioner', ...team, '--detail', 'ep']);
  cliUser('pr.oth', 'practitioner-pw-2', ['--role', 'practitioner', ...team, '--detail', ids.otherService.code]);
  cliUser('two', 'dual-grant-pass-1', ['--role', 'school_lead', '--scope', 'school', '--scope-id', String(ids.school2),
    '--detail', 'senco']);
  // The CLI adds one role per user; the second goes straight into the table.
  sql(`INSERT INTO user_roles (user_id, role, scope_kind, scope_id, authority_id, detail)
    SELECT id, 'practitioner', 'team', ${ids.T1}, ${ids.A}, 'ep' FROM users WHERE username = 'two';`);
  cliUser('la.b', 'la-b-password-1', ['--role', 'case_coordinator', '--scope', 'authority', '--scope-id', String(ids.B)]);

  // A budget year of authority A with an allocation to T1 (the pool is
  // empty, so the allocation is nothing: enough to be reached or refused).
  const admin = await signIn('admin');
  const by = await made(admin, 'POST', '/api/v1/budget/years', { start_year: '2030', authority_id: ids.A }, 'budget year');
  ids.budgetYear = by.year.id;
  const ba = await api(admin, 'PUT', `/api/v1/budget/years/${ids.budgetYear}/allocations`, { team_id: ids.T1, amount: '0' });
  assert.equal(ba.status, 200, ba.text);
  ids.budgetAlloc = ba.body.allocation.id;

  // Sign-ins share one address, whose failure count only fades with time:
  // one session per user for the whole file.
  as.admin = admin;
  as.dpo = await signIn('dpo');
  as.lead = await signIn('lead');
  as.prac = await signIn('practitioner');
  as.eval = await signIn('evaluator');
  as.steer = await signIn('steering');
  as['pr.ep'] = await signIn('pr.ep', 'practitioner-pw-1');
  as['pr.oth'] = await signIn('pr.oth', 'practitioner-pw-2');
  as.two = await signIn('two', 'dual-grant-pass-1');
  as['la.b'] = await signIn('la.b', 'la-b-password-1');
  as['tf.mgr'] = await signIn('tf.mgr', 'taskforce-manager-1');
  as['tf.spec'] = await signIn('tf.spec', 'taskforce-special-1');
});

after(async () => { await srv?.stop({ expectExitZero: true }); });

// What each cell sends.  html: the page twin to check too (GET only).
function requests() {
  const i = ids;
  return {
    'pupils.list': ['GET', '/api/v1/pupils', undefined, '/pupils'],
    'pupils.view': ['GET', `/api/v1/pupils/${i.pA}`, undefined, `/pupils/${i.pA}`],
    'pupils.create': ['POST', '/api/v1/pupils', () => pupilJson(i.school1)],
    'pupils.edit': ['PUT', `/api/v1/pupils/${i.pA}`, {}],
    'pupils.delete': ['DELETE', `/api/v1/pupils/${i.pA}`],
    'pupils.export': ['GET', `/api/v1/pupils/${i.pA}/subject-access`, undefined, `/pupils/${i.pA}/subject-access`],
    'pupils.export.other-la': ['GET', `/api/v1/pupils/${i.pX}/subject-access`],
    'pupils.view.other-school': ['GET', `/api/v1/pupils/${i.pB}`, undefined, `/pupils/${i.pB}`],
    'pupils.view.other-la': ['GET', `/api/v1/pupils/${i.pX}`, undefined, `/pupils/${i.pX}`],
    'pupils.edit.other-la': ['PUT', `/api/v1/pupils/${i.pX}`, {}],
    'schools.list': ['GET', '/api/v1/schools', undefined, '/schools'],
    'schools.view': ['GET', `/api/v1/schools/${i.school1}`, undefined, `/schools/${i.school1}`],
    'schools.create': ['POST', '/api/v1/schools', {}],
    'schools.edit': ['PUT', `/api/v1/schools/${i.school1}`, {}],
    'schools.delete': ['DELETE', `/api/v1/schools/${i.school1}`],
    'schools.view.other-la': ['GET', `/api/v1/schools/${i.schoolX}`, undefined, `/schools/${i.schoolX}`],
    'authorities.list': ['GET', '/api/v1/authorities', undefined, '/authorities'],
    'authorities.view': ['GET', `/api/v1/authorities/${i.A}`, undefined, `/authorities/${i.A}`],
    'authorities.create': ['POST', '/api/v1/authorities', {}],
    'authorities.edit': ['PUT', `/api/v1/authorities/${i.A}`, {}],
    'authorities.view.other-la': ['GET', `/api/v1/authorities/${i.B}`, undefined, `/authorities/${i.B}`],
    'cases.list': ['GET', '/api/v1/cases', undefined, '/cases'],
    'cases.view': ['GET', `/api/v1/cases/${i.caseA}`, undefined, `/cases/${i.caseA}`],
    'cases.create': ['POST', `/api/v1/pupils/${i.pA}/cases`, { team_id: i.T1, need_semh: 'Matrix' }],
    'cases.edit': ['PUT', `/api/v1/cases/${i.caseA}`, {}],
    'cases.delete': ['DELETE', `/api/v1/cases/${i.caseA}`],
    'cases.export': ['GET', `/api/v1/cases/${i.caseA}/export`],
    'cases.view.other-school': ['GET', `/api/v1/cases/${i.caseB}`, undefined, `/cases/${i.caseB}`],
    'cases.view.other-la': ['GET', `/api/v1/cases/${i.caseX}`, undefined, `/cases/${i.caseX}`],
    'cases.edit.other-la': ['PUT', `/api/v1/cases/${i.caseX}`, {}],
    'consents.list': ['GET', `/api/v1/pupils/${i.pA}/consents`],
    'consents.view': ['GET', `/api/v1/consents/${i.cA}`],
    'consents.create': ['POST', `/api/v1/pupils/${i.pA}/consents`, {}],
    'consents.edit': ['POST', `/api/v1/consents/${i.cA}/withdraw`, {}],
    'consents.list.other-la': ['GET', `/api/v1/pupils/${i.pX}/consents`],
    'chronology.view': ['GET', `/api/v1/pupils/${i.pA}/chronology`, undefined, `/pupils/${i.pA}/chronology`],
    'actions.list': ['GET', `/api/v1/cases/${i.caseA}/actions`, undefined, `/cases/${i.caseA}/actions`],
    'actions.view': ['GET', `/api/v1/actions/${i.actA}`, undefined, `/actions/${i.actA}`],
    'actions.create': ['POST', `/api/v1/cases/${i.caseA}/actions`, {}],
    'actions.edit': ['PUT', `/api/v1/actions/${i.actA}`, {}],
    'actions.view.other-la': ['GET', `/api/v1/actions/${i.actX}`, undefined, `/actions/${i.actX}`],
    'referrals.list': ['GET', `/api/v1/cases/${i.caseA}/referrals`, undefined, `/cases/${i.caseA}/referrals`],
    'referrals.view': ['GET', `/api/v1/referrals/${i.refA}`, undefined, `/referrals/${i.refA}`],
    'referrals.create': ['POST', `/api/v1/cases/${i.caseA}/referrals`, {}],
    'referrals.edit': ['PUT', `/api/v1/referrals/${i.refA}`, {}],
    'teams.list': ['GET', '/api/v1/teams', undefined, '/teams'],
    'teams.view': ['GET', `/api/v1/teams/${i.T1}`, undefined, `/teams/${i.T1}`],
    'teams.create': ['POST', '/api/v1/teams', {}],
    'teams.edit': ['PUT', `/api/v1/teams/${i.T1}`, {}],
    'teams.view.other-la': ['GET', `/api/v1/teams/${i.TX}`, undefined, `/teams/${i.TX}`],
    'meetings.list': ['GET', '/api/v1/meetings', undefined, '/meetings'],
    'meetings.view': ['GET', `/api/v1/meetings/${i.M1}`, undefined, `/meetings/${i.M1}`],
    'meetings.create': ['POST', `/api/v1/teams/${i.T1}/meetings`, {}],
    'meetings.edit': ['POST', `/api/v1/meetings/${i.M1}/move`, {}],
    'meetings.view.other-la': ['GET', `/api/v1/meetings/${i.MX}`, undefined, `/meetings/${i.MX}`],
    'meetings.agenda': ['GET', `/api/v1/meetings/${i.M1}/agenda`, undefined, `/meetings/${i.M1}/agenda`],
    'reference.list': ['GET', `/api/v1/services?authority=${i.A}`, undefined, `/services?authority=${i.A}`],
    'reference.view': ['GET', `/api/v1/services/${i.ep}`, undefined, `/services/${i.ep}`],
    'reference.create': ['POST', `/api/v1/services?authority=${i.A}`, {}],
    'reference.edit': ['PUT', `/api/v1/services/${i.ep}`, {}],
    'reference.view.other-la': ['GET', `/api/v1/services/${i.svcX}`, undefined, `/services/${i.svcX}`],
    'users.list': ['GET', '/api/v1/users', undefined, '/users'],
    'users.create': ['POST', '/api/v1/users', {}],
    'sessions.list': ['GET', '/api/v1/sessions', undefined, '/sessions'],
    'audit.list': ['GET', '/api/v1/audit', undefined, '/audit'],
    'dashboard.view': ['GET', '/api/v1/dashboard', undefined, '/dashboard'],
    'dashboard.export': ['GET', '/dashboard.xlsx'],
    'extract.export': ['GET', '/api/v1/extract/pseudonymised', undefined, '/extract'],
    'evaluation.view': ['GET', `/api/v1/evaluation?authority_id=${i.A}`, undefined, `/evaluation?authority_id=${i.A}`],
    'evaluation.create': ['POST', `/api/v1/evaluation/import?authority_id=${i.A}`, {}],
    'evaluation.export': ['GET', `/evaluation.csv?authority_id=${i.A}&kind=salt&phase=all&pre=2023&post=2024`],
    'users.me': ['GET', '/api/v1/me'],
    'break-glass.list': ['GET', '/api/v1/break-glass', undefined, '/break-glass'],
    'evidence.outcome': ['PUT', `/api/v1/cases/${i.caseA}/outcome`, {}, `/cases/${i.caseA}/outcome`],
    'evidence.story.create': ['POST', `/api/v1/cases/${i.caseA}/stories`, {}, `/cases/${i.caseA}/stories/new`],
    'evidence.stories': ['GET', '/api/v1/stories', undefined, '/stories'],
    'evidence.review': ['GET', '/api/v1/stories/review', undefined, '/stories/review'],
    'survey.list': ['GET', '/api/v1/questionnaires', undefined, '/questionnaires'],
    'survey.create': ['POST', '/api/v1/questionnaires', () => ({ authority_id: i.A })],
    'survey.links': ['POST', `/api/v1/meetings/${i.M1}/feedback-links`, {}, `/meetings/${i.M1}/feedback-links`],
    'meetings.pack': ['GET', `/api/v1/meetings/${i.M1}/pack/minutes`, undefined, `/meetings/${i.M1}/pack/agenda`],
    'meetings.order': ['POST', `/api/v1/meetings/${i.M1}/agenda/move`, {}],
    'meetings.location': ['PUT', `/api/v1/meetings/${i.M1}/location`, {}],
    'cohorts.create': ['POST', `/api/v1/meetings/${i.M1}/cohorts`, {}, `/meetings/${i.M1}/cohorts/new`],
    'cohorts.view': ['GET', `/api/v1/cohort-discussions/${i.K1}`, undefined, `/cohort-discussions/${i.K1}`],
    'cohorts.edit': ['PUT', `/api/v1/cohort-discussions/${i.K1}`, {}],
    'cohorts.view.other-la': ['GET', `/api/v1/cohort-discussions/${i.KX}`, undefined, `/cohort-discussions/${i.KX}`],
    'cohort-actions.view': ['GET', `/api/v1/cohort-actions/${i.KA1}`, undefined, `/cohort-actions/${i.KA1}`],
    'cohort-actions.status': ['PUT', `/api/v1/cohort-actions/${i.KA1}/status`, {}],
    'cohort-actions.void': ['POST', `/api/v1/cohort-actions/${i.KA1}/void`, {}, `/cohort-actions/${i.KA1}/void`],
    // The pooled budget (issue 20): the budget roles themselves are tested
    // in budget.test.mjs; here every standing role meets its routes.
    'budget.list': ['GET', '/api/v1/budget', undefined, '/budget'],
    'budget.view': ['GET', `/api/v1/budget/years/${i.budgetYear}`, undefined, `/budget/years/${i.budgetYear}`],
    'budget.create': ['POST', `/api/v1/budget/allocations/${i.budgetAlloc}/commitments`, {}],
    'budget.edit': ['POST', `/api/v1/budget/years/${i.budgetYear}/contributions`, {}],
    'budget.approvals': ['GET', '/api/v1/budget/approvals', undefined, '/budget/approvals'],
    'budget.export': ['GET', `/budget/years/${i.budgetYear}/report.csv`],
    'budget.catalogue': ['GET', `/api/v1/budget/interventions?authority_id=${i.A}`, undefined,
      `/budget/interventions?authority_id=${i.A}`],
    'apst.list': ['GET', '/api/v1/apst', undefined, '/apst'],
    'apst.view': ['GET', `/api/v1/apst/${i.TF}`, undefined, `/apst/${i.TF}`],
    'apst.create': ['POST', '/api/v1/apst', {}],
    'apst.edit': ['POST', `/api/v1/apst/${i.TF}/specialists`, {}, `/apst/${i.TF}/specialists/new`],
    'apst.referral.view': ['GET', `/api/v1/apst/referrals/${i.TFR}`, undefined, `/apst/referrals/${i.TFR}`],
    'apst.referral.edit': ['POST', `/api/v1/apst/referrals/${i.TFR}/triage`, {}],
    'apst.export': ['GET', `/apst/${i.TF}/return.csv`],
    'apst.export.xlsx': ['GET', `/apst/${i.TF}/return.xlsx`],
    'apst.specialist.end': ['POST', `/api/v1/apst/specialists/${i.TFS}/end`, {}, `/apst/specialists/${i.TFS}/end`],
    'apst.referral.view.no-consent': ['GET', `/api/v1/apst/referrals/${i.TFR2}`, undefined, `/apst/referrals/${i.TFR2}`],
    'apst.consent': ['POST', `/api/v1/apst/referrals/${i.TFR}/consent`, {}],
    'apst.staff': ['POST', `/api/v1/apst/referrals/${i.TFR}/staff`, {}],
    'apst.account': ['POST', `/api/v1/apst/specialists/${i.TFS}/account`, { username: '-' },
      `/apst/specialists/${i.TFS}/account`],
    'apst.costs': ['POST', `/api/v1/apst/${i.TF}/costs`, {}, `/apst/${i.TF}/costs/new`],
    'apst.interventions.create': ['POST', `/api/v1/apst/${i.TF}/interventions`, {}, `/apst/${i.TF}/interventions/new`],
    'mail.invite': ['POST', `/api/v1/meetings/${i.M1}/invitations`, {}],
    'mail.user-email': ['PUT', `/api/v1/users/${as.coord.me.id}/email`, {}, `/users/${as.coord.me.id}/email`],
    'mail.forgot': ['POST', '/api/v1/forgot-password', {}],
    'referral-results.view': ['GET', '/api/v1/referral-results', undefined, '/referral-results'],
    'referral-results.export': ['GET', '/referral-results.csv?table=referral_results'],
    'schools.import': ['POST', '/api/v1/schools/import', {}, '/schools/import'],
    'calendar.invite': ['GET', `/meetings/${i.M1}/invite.ics`],
    'calendar.invite.other-la': ['GET', `/meetings/${i.MX}/invite.ics`],
    'calendar.feed.wrong': ['GET', `/calendar/${'0'.repeat(64)}.ics`],
    'calendar.account': ['GET', '/api/v1/account/calendar', undefined, '/account/calendar'],
    'pupils.ctf': ['POST', '/api/v1/pupils/ctf', {}, '/pupils/ctf'],
  };
}

function outcomeOk(want, status) {
  switch (want) {
    case 'Y': return (status >= 200 && status < 300) || status === 303 || status === 422;
    case 'N': return status === 403 || status === 404;
    case 'H': return status === 404;
    case '-': return status === 404 || status === 405;
    default: throw new Error(`unknown outcome ${want}`);
  }
}

const seen = { eval: [], steer: [] };   // every JSON body the de-identified roles were given

test('the table covers every user on every cell, and each cell has a request', () => {
  const req = requests();
  assert.deepEqual([...EXPECT.keys()].sort(), Object.keys(req).sort());
  for (const [cell, row] of EXPECT) {
    for (const u of USERS) assert.ok(['Y', 'N', 'H', '-'].includes(row[u]), `${cell} ${u}`);
    // A route either exists for somebody or for nobody.
    const none = USERS.filter((u) => row[u] === '-').length;
    assert.ok(none === 0 || none === USERS.length, `${cell}: "-" is all or nothing`);
  }
});

test('every role x route x action gives the outcome in the table (JSON and HTML alike)', async () => {
  const req = requests();
  const failures = [];
  for (const [cell, row] of EXPECT) {
    const [method, p, body, html] = req[cell];
    for (const u of USERS) {
      const c = as[u];
      const payload = typeof body === 'function' ? body() : body;
      const r = await api(c, method, p, payload);
      if (!outcomeOk(row[u], r.status)) failures.push(`${cell} as ${u}: want ${row[u]}, got ${r.status} ${r.text.slice(0, 120)}`);
      if ((u === 'eval' || u === 'steer') && typeof r.body === 'object') seen[u].push(r.text);
      if (html && row[u] !== '-') {
        const page = await c.getHtml(html);
        const want = row[u] === 'Y' ? 'Y' : 'N';
        if (!outcomeOk(want, page.status)) failures.push(`${cell} page ${html} as ${u}: want ${want}, got ${page.status}`);
      }
    }
  }
  assert.deepEqual(failures, []);
});

test('lists show only what may be seen: a practitioner sees the case only with consent for their service', async () => {
  const caseIds = async (u) => (await api(as[u], 'GET', '/api/v1/cases?per_page=200')).body.cases.map((c) => c.id);
  assert.ok((await caseIds('pr.ep')).includes(ids.caseA));
  assert.ok(!(await caseIds('pr.ep')).includes(ids.caseB), 'not another team\'s case');
  assert.deepEqual(await caseIds('pr.oth'), [], 'consent does not cover their service');
  assert.ok((await caseIds('two')).includes(ids.caseA), 'two roles: through the team');
  assert.ok((await caseIds('two')).includes(ids.caseB), 'two roles: through the school');
  assert.ok(!(await caseIds('head')).includes(ids.caseB));
  assert.ok(!(await caseIds('coord')).includes(ids.caseX), 'never another authority');
  assert.deepEqual(await caseIds('la.b'), [ids.caseX]);
  // A team-scoped user sees their own team, not another team at the same school.
  const teamIds = async (u) => (await api(as[u], 'GET', '/api/v1/teams?per_page=200')).body.teams.map((t) => t.id);
  assert.deepEqual(await teamIds('pr.ep'), [ids.T1]);
  assert.ok((await teamIds('coord')).includes(ids.T3));
  assert.equal((await api(as['pr.ep'], 'GET', `/api/v1/teams/${ids.T3}`)).status, 404);
  const m3 = meeting(ids.T3, TODAY);
  assert.equal((await api(as['pr.ep'], 'GET', `/api/v1/meetings/${m3}`)).status, 404);
  const meetings = (await api(as['pr.ep'], 'GET', '/api/v1/meetings?per_page=200')).body.meetings;
  assert.ok(meetings.length > 0 && meetings.every((m) => m.team_id === ids.T1 || m.team?.id === ids.T1),
    JSON.stringify(meetings[0]));
  const pupils = (await api(as.head, 'GET', '/api/v1/pupils?per_page=200')).body.pupils;
  assert.ok(pupils.length > 0 && pupils.every((p) => p.school.id === ids.school1), 'head: own school only');
});

test('consent withdrawn mid-case: the practitioner is refused at once, the coordinator still sees it', async () => {
  const ep = as['pr.ep'];
  assert.equal((await api(ep, 'GET', `/api/v1/cases/${ids.caseA}`)).status, 200);
  assert.equal((await api(ep, 'GET', `/api/v1/actions/${ids.actA}`)).status, 200);
  const w = await api(as.coord, 'POST', `/api/v1/consents/${ids.cA}/withdraw`, { withdrawn_on: TODAY, reason: 'Family asked' });
  assert.equal(w.status, 200, w.text);
  for (const p of [`/api/v1/cases/${ids.caseA}`, `/api/v1/actions/${ids.actA}`, `/api/v1/referrals/${ids.refA}`,
    `/api/v1/cases/${ids.caseA}/actions`, `/cases/${ids.caseA}`]) {
    assert.equal((await ep.get(p)).status, 404, `practitioner: ${p}`);
  }
  assert.equal((await api(ep, 'PUT', `/api/v1/actions/${ids.actA}`, {})).status, 404);
  const list = (await api(ep, 'GET', '/api/v1/cases?per_page=200')).body.cases.map((c) => c.id);
  assert.ok(!list.includes(ids.caseA), 'gone from the list too');
  assert.equal((await api(as.coord, 'GET', `/api/v1/cases/${ids.caseA}`)).status, 200, 'coordinator');
  assert.equal((await api(as.head, 'GET', `/api/v1/cases/${ids.caseA}`)).status, 200, 'school lead');
  // The two-role user loses the team route but keeps nothing else here.
  assert.equal((await api(as.two, 'GET', `/api/v1/cases/${ids.caseA}`)).status, 404);
  // New consent covering ep restores it.
  await made(as.coord, 'POST', `/api/v1/pupils/${ids.pA}/consents`, { given_by: 'Jo Example', relationship: 'mother',
    given_on: TODAY, covers_discussion: 'yes', service_ids: [ids.ep] }, 'new consent');
  assert.equal((await api(ep, 'GET', `/api/v1/cases/${ids.caseA}`)).status, 200);
});

// The case list filters on consent in SQL; a single case is decided by
// core/workflow.c consent_check through the policy.  The two must agree on
// every kind of consent record, or a list would show what a page refuses.
test('the case list and the case page agree on consent, whatever its dates', async () => {
  const now = nowSeconds();
  const day = (n) => addDays(TODAY, n);
  const other = ids.otherService.id;
  const pupils = sql(`SELECT id FROM pupils WHERE school_id = ${ids.school1} AND id <> ${ids.pA} ORDER BY id LIMIT 8`)
    .split('\n').map(Number);
  const consent = (pupil, given, { withdrawn = null, discuss = 1, services = [ids.ep] } = {}) => {
    const id = Number(sql(`INSERT INTO consents (pupil_id, given_by, relationship, given_on, covers_discussion,
      withdrawn_on, created_at, updated_at) VALUES (${pupil}, 'X', 'mother', '${given}', ${discuss},
      ${withdrawn ? `'${withdrawn}'` : 'NULL'}, ${now}, ${now}) RETURNING id;`));
    for (const sv of services) sql(`INSERT INTO consent_services VALUES (${id}, ${sv});`);
  };
  const kase = (pupil, team = ids.T1) => Number(sql(`INSERT INTO cases (pupil_id, team_id, opened_on, created_at,
    updated_at) VALUES (${pupil}, ${team}, '${TODAY}', ${now}, ${now}) RETURNING id;`));
  const cases = [
    ['current consent for ep', true, (p) => consent(p, day(-5))],
    ['consent starts tomorrow', false, (p) => consent(p, day(1))],
    ['withdrawal dated tomorrow', true, (p) => consent(p, day(-5), { withdrawn: day(1) })],
    ['withdrawn today', false, (p) => consent(p, day(-5), { withdrawn: TODAY })],
    ['no discussion agreed', false, (p) => consent(p, day(-5), { discuss: 0 })],
    ['newer consent leaves ep out', false, (p) => { consent(p, day(-9)); consent(p, day(-2), { services: [other] }); }],
    ['two on one day, as consent_check reads them', null, (p) => { consent(p, day(-3)); consent(p, day(-3), { services: [other] }); }],
    ['consent for ep, another team\'s case', false, (p) => consent(p, day(-5)), ids.T3],
  ];
  const made = cases.map(([what, want, give, team], i) => {
    give(pupils[i]);
    return { what, want, id: kase(pupils[i], team) };
  });
  const ep = as['pr.ep'];
  const listed = new Set((await api(ep, 'GET', '/api/v1/cases?per_page=200')).body.cases.map((c) => c.id));
  for (const m of made) {
    const page = (await api(ep, 'GET', `/api/v1/cases/${m.id}`)).status;
    assert.equal(listed.has(m.id), page === 200, `${m.what}: list and page disagree (page ${page})`);
    if (m.want !== null) assert.equal(page === 200, m.want, m.what);
  }
});

test('evaluators and the steering group are never given a name, UPN or date of birth', async () => {
  // Everything they were answered in the matrix, plus their home pages.
  for (const u of ['eval', 'steer']) {
    for (const p of ['/api/v1/me', '/api/v1/schools?per_page=200', '/api/v1/authorities', '/api/v1/work']) {
      const r = await api(as[u], 'GET', p);
      if (typeof r.body === 'object') seen[u].push(r.text);
    }
    const home = await as[u].getHtml('/');
    seen[u].push(decodeHtml(home.html));
    assert.ok(seen[u].length > 20, `${u}: answers were collected`);
  }
  const people = [];
  for (let page = 1; ; page++) {
    const r = await api(as.root, 'GET', `/api/v1/pupils?per_page=200&page=${page}`);
    people.push(...r.body.pupils);
    if (people.length >= r.body.total || r.body.pupils.length === 0) break;
  }
  assert.ok(people.length > 300);
  for (const u of ['eval', 'steer']) {
    const all = seen[u].join('\n');
    for (const key of ['"upn"', '"forenames"', '"surname"', '"date_of_birth"', '"pupil_name"', '"given_by"']) {
      assert.ok(!all.includes(key), `${u} was sent ${key}`);
    }
    for (const p of people) {
      assert.ok(!all.includes(p.upn), `${u} was sent a UPN`);
      assert.ok(!all.includes(`${p.forenames} ${p.surname}`), `${u} was sent a pupil's name`);
    }
  }
});

test('break-glass: a reason, time-limited read-only access, flagged for the DPO', async () => {
  const head = as.head;
  // The refusal page offers it (without saying whether the record exists).
  const refused = await head.getHtml(`/pupils/${ids.pB}`);
  assert.equal(refused.status, 404);
  assert.match(refused.html, new RegExp(`href="/pupils/${ids.pB}/break-glass"`));
  const missing = await head.getHtml('/pupils/999999');
  assert.equal(missing.status, 404);
  assert.match(missing.html, /request emergency access/);
  const apiRefused = await api(head, 'GET', `/api/v1/pupils/${ids.pB}`);
  assert.equal(apiRefused.status, 404);
  assert.equal(apiRefused.body.break_glass, true, 'the JSON twin of the offer');
  assert.equal(apiRefused.text, (await api(head, 'GET', '/api/v1/pupils/999999')).text, 'the same for any id');
  assert.equal((await api(as.eval, 'GET', `/api/v1/pupils/${ids.pB}`)).body.break_glass, undefined);
  // Roles without a duty of care are not offered it and may not ask.
  for (const u of ['eval', 'steer', 'prac', 'pr.ep', 'dpo']) {
    assert.ok(!(await as[u].getHtml(`/pupils/${ids.pB}`)).html.includes(`/pupils/${ids.pB}/break-glass`), u);
    assert.equal((await as[u].getHtml(`/pupils/${ids.pB}/break-glass`)).status, 403, u);
    assert.equal((await api(as[u], 'POST', `/api/v1/pupils/${ids.pB}/break-glass`,
      { reason: 'I would like to see this record please' })).status, 403, u);
  }
  // A reason is required.
  const form = await head.getHtml(`/pupils/${ids.pB}/break-glass`);
  assert.equal(form.status, 200);
  const csrf = csrfFrom(form.html);
  const empty = await head.postForm(`/pupils/${ids.pB}/break-glass`, { csrf, reason: '' });
  assert.equal(empty.status, 400);
  assert.match(await empty.text(), /govuk-error-summary/);
  assert.equal(sql('SELECT count(*) FROM break_glass'), '0');
  // Without a reason the answer is the same whether or not the pupil exists.
  assert.equal((await api(head, 'POST', '/api/v1/pupils/999999/break-glass', { reason: '' })).status, 422);
  assert.equal((await api(head, 'POST', `/api/v1/pupils/${ids.pX}/break-glass`, { reason: '' })).status, 422);
  // Not across authorities, and without CSRF nothing happens.
  assert.equal((await api(head, 'POST', `/api/v1/pupils/${ids.pX}/break-glass`,
    { reason: 'Safeguarding concern reported this morning' })).status, 404);
  // A missing pupil and one out of reach answer alike, with a reason too.
  const asked = async (id) => api(head, 'POST', `/api/v1/pupils/${id}/break-glass`,
    { reason: 'Safeguarding concern reported this morning' });
  const [gone, away] = [await asked(999999), await asked(ids.pX)];
  assert.deepEqual([gone.status, gone.text], [away.status, away.text], 'no hint that the record exists');
  assert.equal((await head.postForm(`/pupils/${ids.pB}/break-glass`,
    { reason: 'Safeguarding concern reported this morning' })).status, 403);
  // Granted.
  const ok = await head.postForm(`/pupils/${ids.pB}/break-glass`,
    { csrf, reason: 'Safeguarding concern reported this morning' });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get('location'), `/pupils/${ids.pB}`);
  assert.equal((await head.getHtml(`/pupils/${ids.pB}`)).status, 200);
  assert.equal((await api(head, 'GET', `/api/v1/pupils/${ids.pB}`)).status, 200);
  assert.equal((await api(head, 'GET', `/api/v1/cases/${ids.caseB}`)).status, 200, 'their case records too');
  assert.equal((await api(head, 'PUT', `/api/v1/pupils/${ids.pB}`, {})).status, 403, 'read-only');
  assert.equal((await api(head, 'PUT', `/api/v1/cases/${ids.caseB}`, {})).status, 403, 'read-only');
  // The grant and every read under it are flagged for the DPO in the audit trail (flag 1).
  const flaggedRows = sql(`SELECT action || ' ' || resource_kind FROM audit_log WHERE username = 'head'
    AND pupil_id = ${ids.pB} AND (flags & 1) = 1 ORDER BY id`).split('\n');
  assert.equal(flaggedRows[0], 'break-glass break_glass');
  for (const row of ['view pupil', 'view case'])
    assert.ok(flaggedRows.includes(row), `${row} flagged: ${flaggedRows.join(', ')}`);
  const otherPupil = Number(sql(`SELECT id FROM pupils WHERE school_id = ${ids.school2} AND id <> ${ids.pB} LIMIT 1`));
  assert.equal((await api(head, 'GET', `/api/v1/pupils/${otherPupil}`)).status, 404, 'that pupil only');
  // Already in scope: nothing recorded.
  assert.equal((await api(head, 'POST', `/api/v1/pupils/${ids.pA}/break-glass`,
    { reason: 'Safeguarding concern reported this morning' })).status, 409);
  assert.equal(sql('SELECT count(*) FROM break_glass'), '1');
  // The JSON twin.
  const js = await api(as.lead, 'POST', `/api/v1/pupils/${ids.pX}/break-glass`, { reason: 'Across authorities' });
  assert.equal(js.status, 404);
  const t = await api(as.two, 'POST', `/api/v1/pupils/${ids.pX}/break-glass`, { reason: 'Across authorities' });
  assert.equal(t.status, 404);

  // The DPO sees it, unreviewed first, and marks it reviewed (with CSRF).
  const list = await api(as.dpo, 'GET', '/api/v1/break-glass');
  assert.equal(list.status, 200);
  assert.equal(list.body.unreviewed, 1);
  const entry = list.body.break_glass[0];
  assert.equal(entry.pupil_id, ids.pB);
  assert.equal(entry.reason, 'Safeguarding concern reported this morning');
  assert.equal(entry.role, 'school_lead');
  assert.equal(entry.reviewed, false);
  assert.equal(entry.expires - entry.at, 3600);
  const page = await as.dpo.getHtml('/break-glass');
  assert.equal(page.status, 200);
  assert.match(page.html, /Safeguarding concern reported this morning/);
  assert.match(page.html, /href="\/break-glass"/, 'in the navigation');
  assert.equal((await as.dpo.postForm(`/break-glass/${entry.id}/review`, {})).status, 403, 'no CSRF, no change');
  assert.equal((await api(as.head, 'POST', `/api/v1/break-glass/${entry.id}/review`, {})).status, 404, 'not theirs');
  assert.equal((await api(as.admin, 'POST', `/api/v1/break-glass/${entry.id}/review`, {})).status, 403, 'admin reads only');
  const rv = await as.dpo.postForm(`/break-glass/${entry.id}/review`, { csrf: csrfFrom(page.html) });
  assert.equal(rv.status, 303);
  const after = await api(as.dpo, 'GET', '/api/v1/break-glass');
  assert.equal(after.body.unreviewed, 0);
  assert.equal(after.body.break_glass[0].reviewed, true);
  assert.equal((await api(as.dpo, 'POST', `/api/v1/break-glass/${entry.id}/review`, {})).status, 409);
  // A newer, unreviewed entry comes first; older reviewed ones after.
  const g2 = await api(as.senco, 'POST', `/api/v1/pupils/${ids.pA}/break-glass`, { reason: 'Sibling at our school disclosed' });
  assert.equal(g2.status, 201, g2.text);
  assert.equal(g2.body.break_glass.role, 'school_lead');
  const both = (await api(as.dpo, 'GET', '/api/v1/break-glass')).body;
  assert.deepEqual(both.break_glass.map((b) => [b.id, b.reviewed]), [[g2.body.break_glass.id, false], [entry.id, true]]);
  assert.equal(both.unreviewed, 1);
  assert.equal((await api(as['la.b'], 'GET', '/api/v1/break-glass')).status, 403);

  // Expired: the access ends.
  sql(`UPDATE break_glass SET expires = ${nowSeconds() - 1}`);
  assert.equal((await api(head, 'GET', `/api/v1/pupils/${ids.pB}`)).status, 404);
  assert.equal((await api(head, 'GET', `/api/v1/cases/${ids.caseB}`)).status, 404);
});

test('the CLI acts as the system principal: it reaches every authority, and is refused what nobody may do', () => {
  const list = spawnSync(tasBin(), ['user', 'list', '--db', srv.db], { encoding: 'utf8', timeout: 60000 });
  assert.equal(list.status, 0, list.stderr);
  assert.match(list.stdout, /la\.b .*case_coordinator@authority/);
  assert.match(list.stdout, /two .*school_lead@school.*practitioner@team/);
  // A user in authority B, made from the shell.
  cliUser('head.b', 'head-b-password-1', ['--role', 'school_lead', '--scope', 'school', '--scope-id', String(ids.schoolX)]);
  // One-pupil access is break-glass only: never a standing role, not even from the shell.
  const r = spawnSync(tasBin(), ['user', 'add', 'sneaky', '--db', srv.db, '--name', 'Sneaky', '--role', 'school_lead',
    '--scope', 'pupil', '--scope-id', String(ids.pB), '--authority-id', String(ids.A)],
  { input: 'sneaky-password-1\n', encoding: 'utf8', timeout: 60000 });
  assert.notEqual(r.status, 0);
  assert.equal(sql("SELECT count(*) FROM users WHERE username = 'sneaky'"), '0');
});
