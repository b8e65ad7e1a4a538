// Consent, cases and agendas: the consent rule, the case summary, agenda
// order (reviews first), minutes and feedback, closure and re-opening.
// Teams and meetings are set up directly in the database (their own tests
// cover the pages that make them).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, TODAY, addDays, nowSeconds } from './harness.mjs';
import { dbSql } from './harness.mjs';

let srv, coord, head, headJson;
const PAST1 = addDays(TODAY, -60), PAST2 = addDays(TODAY, -20), FUTURE = addDays(TODAY, 10);
let pupilA, pupilB, pupilC, otherPupil, team, m1, m2, m3;

function sql(q) {
  return dbSql(srv.db, q);
}

async function apiClient(user) {
  const c = new Client(srv.base);
  const res = await c.postJson('/api/v1/sign-in', { username: user, password: 'demo-password' });
  assert.equal(res.status, 200);
  const body = await res.json();
  c.csrf = body.csrf;
  return c;
}

function api(c, method, path, obj) {
  if (method === 'GET') return c.request(path, { method });
  return c.request(path, {
    method,
    headers: { 'content-type': 'application/json', 'x-csrf-token': c.csrf },
    body: JSON.stringify(obj ?? {}),
  });
}

before(async () => {
  srv = await startServer({ seed: 11 });
  // School 1 is the head's school in the demo.  A team there, three meetings.
  const now = nowSeconds();
  team = Number(sql(`INSERT INTO teams (authority_id, host_school_id, name, cadence, created_at, updated_at)
    SELECT authority_id, id, name || ' TAS', 'three_weekly', ${now}, ${now} FROM schools WHERE id = 1 RETURNING id;`));
  sql(`INSERT INTO team_schools VALUES (${team}, 1);`);
  m1 = Number(sql(`INSERT INTO meetings (team_id, meeting_date, start_time, status, created_at, updated_at)
    VALUES (${team}, '${PAST1}', '13:30', 'held', ${now}, ${now}) RETURNING id;`));
  m2 = Number(sql(`INSERT INTO meetings (team_id, meeting_date, start_time, status, created_at, updated_at)
    VALUES (${team}, '${PAST2}', '13:30', 'held', ${now}, ${now}) RETURNING id;`));
  m3 = Number(sql(`INSERT INTO meetings (team_id, meeting_date, start_time, status, created_at, updated_at)
    VALUES (${team}, '${FUTURE}', '13:30', 'planned', ${now}, ${now}) RETURNING id;`));
  [pupilA, pupilB, pupilC] = sql('SELECT id FROM pupils WHERE school_id = 1 ORDER BY id LIMIT 3').split('\n').map(Number);
  otherPupil = Number(sql('SELECT id FROM pupils WHERE school_id = 2 ORDER BY id LIMIT 1'));
  coord = await apiClient('coordinator');
  headJson = await apiClient('head');
  head = new Client(srv.base);
  assert.equal((await head.signIn('head')).status, 303);
});

after(async () => { await srv?.stop(); });

async function giveConsent(c, pupil, extra = {}) {
  const res = await api(c, 'POST', `/api/v1/pupils/${pupil}/consents`,
    { given_by: 'Jo Example', relationship: 'mother', given_on: PAST1, covers_discussion: 'yes', ...extra });
  const text = await res.text();
  assert.equal(res.status, 201, text);
  return JSON.parse(text).consent;
}

test('no case without consent: the form says why and what to do, and nothing is saved', async () => {
  const page = await head.getHtml(`/pupils/${pupilA}/cases/new`);
  assert.equal(page.status, 200);
  assert.match(page.html, /no record of parental consent/i);
  assert.match(page.html, new RegExp(`/pupils/${pupilA}/consent/new`));
  const res = await head.submitForm(`/pupils/${pupilA}/cases/new`,
    { team_id: team, need_semh: 'Withdrawn in class', strengths: 'Art' }, { action: `/pupils/${pupilA}/cases` });
  assert.equal(res.status, 400);
  const html = await res.text();
  assert.match(html, /govuk-error-summary/);
  assert.match(html, /Withdrawn in class/, 'typed text kept');
  assert.equal(sql(`SELECT count(*) FROM cases WHERE pupil_id = ${pupilA}`), '0');
  const js = await api(coord, 'POST', `/api/v1/pupils/${pupilA}/cases`, { team_id: team, need_semh: 'x' });
  assert.equal(js.status, 422);
  assert.match(JSON.stringify(await js.json()), /consent/);
});

test('consent form validates and records; the pupil page shows it', async () => {
  let res = await head.submitForm(`/pupils/${pupilA}/consent/new`, { given_by: '', relationship: 'mother',
    'given_on-day': '31', 'given_on-month': '2', 'given_on-year': '2025', covers_discussion: 'yes' },
    { action: `/pupils/${pupilA}/consent` });
  assert.equal(res.status, 400);
  let html = await res.text();
  assert.match(html, /Enter the name of the person who gave consent/);
  assert.match(html, /must be a real date/);
  // The error summary links to the date's first box, and to the name's input.
  assert.match(html, /<a href="#f-given_on-day">[^<]*must be a real date<\/a>/);
  assert.match(html, /<a href="#f-given_by">Enter the name of the person who gave consent<\/a>/);
  assert.match(html, /id="f-given_on-day"/);
  assert.match(html, /value="31"/);
  const [y, m, d] = PAST1.split('-');
  res = await head.submitForm(`/pupils/${pupilA}/consent/new`, { given_by: 'Sam Parent', relationship: 'father',
    'given_on-day': d, 'given_on-month': m, 'given_on-year': y, covers_discussion: 'yes' },
    { action: `/pupils/${pupilA}/consent` });
  assert.equal(res.status, 303);
  html = (await head.getHtml(`/pupils/${pupilA}`)).html;
  assert.match(html, /Consent current/);
  assert.match(html, /Sam Parent/);
});

let caseA;
test('a case is opened with the standard summary; not-recorded stays distinct from no', async () => {
  const res = await head.submitForm(`/pupils/${pupilA}/cases/new`, {
    team_id: team, need_semh: 'Anxious at transitions', need_communication_interaction: '',
    strengths: 'Kind to peers', tried: 'Visual timetable', child_voice: 'Likes drawing',
    parent_voice: 'Worried about mornings', hoped_outcomes: 'Settled starts',
    prior_early_help: 'yes', prior_sen_support: 'no', summary_before_meeting: 'yes', ect_completed: 'no',
  }, { action: `/pupils/${pupilA}/cases` });
  assert.equal(res.status, 303, await res.text());
  caseA = Number(/\/cases\/(\d+)/.exec(res.headers.get('location'))[1]);
  const js = await (await api(coord, 'GET', `/api/v1/cases/${caseA}`)).json();
  assert.equal(js.case.status, 'open');
  assert.equal(js.case.needs.length, 1);
  const prior = Object.fromEntries(js.case.prior_contact.map((p) => [p.code, p.value]));
  assert.equal(prior.prior_early_help, 'yes');
  assert.equal(prior.prior_sen_support, 'no');
  assert.equal(prior.prior_cp, 'unknown');
  assert.equal(sql(`SELECT CASE WHEN prior_cp IS NULL THEN 1 ELSE 0 END FROM cases WHERE id = ${caseA}`), '1');
  const page = await head.getHtml(`/cases/${caseA}`);
  assert.match(page.html, /Anxious at transitions/);
  assert.match(page.html, /Not known/);
});

test('a case needs at least one area of need, and a team that covers the school', async () => {
  await giveConsent(coord, pupilB);
  let res = await api(coord, 'POST', `/api/v1/pupils/${pupilB}/cases`, { team_id: team });
  assert.equal(res.status, 422);
  assert.match(JSON.stringify(await res.json()), /at least one area/);
  res = await api(coord, 'POST', `/api/v1/pupils/${pupilB}/cases`, { team_id: 999999, need_semh: 'x' });
  assert.equal(res.status, 422);
  assert.match(JSON.stringify(await res.json()), /team_id/);
});

let caseB;
test('agenda: reviews of cases already discussed come first, then new cases', async () => {
  // Case A was discussed at the first meeting and has an overdue action.
  let res = await api(coord, 'POST', `/api/v1/meetings/${m1}/agenda`, { case_id: caseA });
  assert.equal(res.status, 201, await res.text());
  const now = nowSeconds();
  sql(`INSERT INTO actions (case_id, description, setting, nature, due_on, status, created_at, updated_at)
       VALUES (${caseA}, 'School to try a calm start', 'school', 'school_adjustment', '${addDays(TODAY, -5)}', 'open', ${now}, ${now});`);
  res = await api(coord, 'POST', `/api/v1/pupils/${pupilB}/cases`, { team_id: team, need_cognition_learning: 'Reading' });
  assert.equal(res.status, 201);
  caseB = (await res.json()).case.id;
  // New case first added, then the review: the agenda still opens with the review.
  assert.equal((await api(coord, 'POST', `/api/v1/meetings/${m3}/agenda`, { case_id: caseB })).status, 201);
  res = await api(coord, 'POST', `/api/v1/meetings/${m3}/agenda/reviews`, {});
  assert.equal(res.status, 200);
  assert.equal((await res.json()).added, 1);
  const ag = await (await api(coord, 'GET', `/api/v1/meetings/${m3}/agenda`)).json();
  assert.deepEqual(ag.items.map((i) => [i.case_id, i.kind]), [[caseA, 'review'], [caseB, 'new']]);
  assert.equal(ag.items[0].overdue_actions, 1);
  const html = (await head.getHtml(`/meetings/${m3}/agenda`)).html;
  assert.ok(html.indexOf('Review of cases already discussed') < html.indexOf('New cases'));
  // Adding the same case twice is refused.
  res = await api(coord, 'POST', `/api/v1/meetings/${m3}/agenda`, { case_id: caseB });
  assert.equal(res.status, 422);
});

test('minutes need a held meeting; feedback to the family is validated and recorded', async () => {
  const ag = await (await api(coord, 'GET', `/api/v1/meetings/${m3}/agenda`)).json();
  const planned = ag.items[1].id;
  let res = await api(coord, 'PUT', `/api/v1/discussions/${planned}`, { minutes: 'Agreed reading support' });
  assert.equal(res.status, 422);
  assert.match(JSON.stringify(await res.json()), /held/);
  const first = (await (await api(coord, 'GET', `/api/v1/meetings/${m1}/agenda`)).json()).items[0].id;
  res = await head.submitForm(`/discussions/${first}`, { minutes: 'Calm start agreed', 'feedback_on-day': '1',
    'feedback_on-month': '1', 'feedback_on-year': '2001', feedback_method: 'phone', feedback_by: 'SENCO' });
  assert.equal(res.status, 400);
  const html = await res.text();
  assert.match(html, /on or after the day of the meeting/);
  assert.match(html, /Calm start agreed/);
  res = await api(coord, 'PUT', `/api/v1/discussions/${first}`, { minutes: 'Calm start agreed',
    feedback_on: PAST2, feedback_method: 'phone', feedback_by: 'School SENCO' });
  const text = await res.text();
  assert.equal(res.status, 200, text);
  const d = JSON.parse(text).discussion;
  assert.equal(d.feedback.method, 'phone');
  assert.equal(d.has_minutes, true);
});

test('withdrawn consent stops further discussion, and is itself recorded', async () => {
  const consents = await (await api(coord, 'GET', `/api/v1/pupils/${pupilB}/consents`)).json();
  assert.equal(consents.current, true);
  let res = await api(coord, 'POST', `/api/v1/consents/${consents.consents[0].id}/withdraw`,
    { withdrawn_on: TODAY, reason: 'Family moving away' });
  assert.equal(res.status, 200, await res.text());
  const after = await (await api(coord, 'GET', `/api/v1/pupils/${pupilB}/consents`)).json();
  assert.equal(after.current, false);
  assert.equal(after.consents[0].withdrawn_on, TODAY);
  assert.match(after.message, /withdrawn/);
  // Cannot be added to the earlier held meeting's agenda now.
  res = await api(coord, 'POST', `/api/v1/meetings/${m2}/agenda`, { case_id: caseB });
  assert.equal(res.status, 422);
  assert.match(JSON.stringify(await res.json()), /withdrawn/);
  // Withdrawing twice is refused.
  res = await api(coord, 'POST', `/api/v1/consents/${consents.consents[0].id}/withdraw`, { withdrawn_on: TODAY });
  assert.equal(res.status, 422);
});

test('consent for discussion only: the pupil can be discussed; "no" blocks the case', async () => {
  await giveConsent(coord, pupilC, { covers_discussion: 'no' });
  const res = await api(coord, 'POST', `/api/v1/pupils/${pupilC}/cases`, { team_id: team, need_semh: 'x' });
  assert.equal(res.status, 422);
  assert.match(JSON.stringify(await res.json()), /not agreed to the pupil being discussed/);
});

test('closing needs a reason; a closed case cannot be put on an agenda; re-opening works', async () => {
  let res = await head.submitForm(`/cases/${caseA}/close`, { reason: 'other', note: '' }, { action: `/cases/${caseA}/close` });
  assert.equal(res.status, 400);
  assert.match(await res.text(), /Say why the case is being closed/);
  res = await api(coord, 'POST', `/api/v1/cases/${caseA}/close`, { reason: 'needs_met' });
  assert.equal(res.status, 200);
  const c = (await res.json()).case;
  assert.equal(c.status, 'closed');
  assert.equal(c.closed_on, TODAY);
  res = await api(coord, 'POST', `/api/v1/meetings/${m2}/agenda`, { case_id: caseA });
  assert.equal(res.status, 422);
  assert.match(JSON.stringify(await res.json()), /closed/);
  res = await api(coord, 'POST', `/api/v1/cases/${caseA}/reopen`, {});
  assert.equal(res.status, 200);
  assert.equal((await res.json()).case.status, 'open');
});

test('scope: another school\'s lead sees nothing of these cases; evaluators see no cases', async () => {
  const senco = await apiClient('senco');
  assert.equal((await api(senco, 'GET', `/api/v1/cases/${caseA}`)).status, 404);
  assert.equal((await api(senco, 'GET', `/api/v1/meetings/${m3}/agenda`)).status, 404);
  assert.equal((await api(senco, 'POST', `/api/v1/pupils/${pupilA}/consents`, {})).status, 404);
  const list = await (await api(senco, 'GET', '/api/v1/cases')).json();
  assert.equal(list.cases.filter((c) => c.id === caseA).length, 0);
  const ev = await apiClient('evaluator');
  assert.equal((await api(ev, 'GET', '/api/v1/cases')).status, 403);
  assert.equal((await api(ev, 'GET', `/api/v1/cases/${caseA}`)).status, 404);
  // The head cannot open a case for a pupil of another school.
  assert.equal((await api(headJson, 'POST', `/api/v1/pupils/${otherPupil}/cases`, { team_id: team })).status, 404);
});
