// The evidence Annex A of the Bedford report plans (issue 15): families'
// voice on the feedback step, the feedback-given rate and the outcomes
// matrix on the dashboard, and change stories (drafted beside a case,
// approved or returned by the coordinator, released to evaluators without
// identifiers).  Teams and meetings are set up in the database, as in
// cases.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, TODAY, addDays, nowSeconds, runTas } from './harness.mjs';
import { dbSql, dbColumns } from './harness.mjs';

let srv, coord, headJson, head, coordHtml, senco, evaluator, admin, practitioner;
const PAST1 = addDays(TODAY, -60), PAST2 = addDays(TODAY, -20);
// Two ranges over the same cases: one the records answer (it ends today), and
// whole calendar months, which the dashboard's rollup answers.
const RANGE = `from=${addDays(TODAY, -300)}&to=${TODAY}`;
const MONTHS = `from=${addDays(TODAY, -300).slice(0, 8)}01&to=${lastDayOfMonth(TODAY)}`;

function lastDayOfMonth(iso) {
  const [y, m] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}
let team, m1, m2, pupilA, pupilB, pupilC, caseA, caseB, caseC, discA, discB, pupil;

function sql(q) {
  return dbSql(srv.db, q);
}

async function apiClient(user) {
  const c = new Client(srv.base);
  const res = await c.postJson('/api/v1/sign-in', { username: user, password: 'demo-password' });
  assert.equal(res.status, 200);
  c.csrf = (await res.json()).csrf;
  return c;
}

async function api(c, method, path, obj) {
  const res = method === 'GET' ? await c.request(path, { method }) : await c.request(path, {
    method,
    headers: { 'content-type': 'application/json', 'x-csrf-token': c.csrf },
    body: JSON.stringify(obj ?? {}),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, text, res };
}

async function openCase(p) {
  let r = await api(coord, 'POST', `/api/v1/pupils/${p}/consents`,
    { given_by: 'Jo Example', relationship: 'mother', given_on: PAST1, covers_discussion: 'yes' });
  assert.equal(r.status, 201, r.text);
  r = await api(coord, 'POST', `/api/v1/pupils/${p}/cases`, { team_id: team, need_semh: 'Anxious in class' });
  assert.equal(r.status, 201, r.text);
  const id = r.json.case.id;
  r = await api(coord, 'POST', `/api/v1/meetings/${m1}/agenda`, { case_id: id });
  assert.equal(r.status, 201, r.text);
  return { id, discussion: r.json.discussion?.id ?? r.json.item?.id };
}

before(async () => {
  srv = await startServer({ seed: 15 });
  const now = nowSeconds();
  // A team named for its cluster, not its school: evaluators see team names.
  team = Number(sql(`INSERT INTO teams (authority_id, host_school_id, name, cadence, created_at, updated_at)
    SELECT authority_id, id, 'North cluster TAS', 'three_weekly', ${now}, ${now} FROM schools WHERE id = 1 RETURNING id;`));
  sql(`INSERT INTO team_schools VALUES (${team}, 1);`);
  m1 = Number(sql(`INSERT INTO meetings (team_id, meeting_date, start_time, status, created_at, updated_at)
    VALUES (${team}, '${PAST1}', '13:30', 'held', ${now}, ${now}) RETURNING id;`));
  m2 = Number(sql(`INSERT INTO meetings (team_id, meeting_date, start_time, status, created_at, updated_at)
    VALUES (${team}, '${PAST2}', '13:30', 'held', ${now}, ${now}) RETURNING id;`));
  [pupilA, pupilB, pupilC] = sql('SELECT id FROM pupils WHERE school_id = 1 ORDER BY id LIMIT 3').split('\n').map(Number);
  [coord, headJson, senco, evaluator, admin, practitioner] = await Promise.all(
    ['coordinator', 'head', 'senco', 'evaluator', 'admin', 'practitioner'].map(apiClient));
  head = new Client(srv.base);
  assert.equal((await head.signIn('head')).status, 303);
  coordHtml = new Client(srv.base);
  assert.equal((await coordHtml.signIn('coordinator')).status, 303);
  ({ id: caseA, discussion: discA } = await openCase(pupilA));
  ({ id: caseB, discussion: discB } = await openCase(pupilB));
  ({ id: caseC } = await openCase(pupilC));
  if (!discA || !discB) {
    const ag = (await api(coord, 'GET', `/api/v1/meetings/${m1}/agenda`)).json;
    discA = ag.items.find((i) => i.case_id === caseA).id;
    discB = ag.items.find((i) => i.case_id === caseB).id;
  }
  const [forenames, surname, upn, dob] = sql(`SELECT forenames, surname, upn, date_of_birth FROM pupils WHERE id = ${pupilA}`).split('|');
  const school = sql('SELECT name FROM schools WHERE id = 1');
  pupil = { forenames, surname, upn, dob, school, first: forenames.split(' ')[0] };
});

after(async () => { await srv?.stop(); });

function hasWord(text, word) {
  const esc = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}])${esc}(?![\\p{L}])`, 'iu').test(text);
}

/* The dashboard from the records, checked against the rollup's for the evidence tables. */
async function dashboard(extra = '') {
  const records = await api(admin, 'GET', `/api/v1/dashboard?${RANGE}${extra}`);
  assert.equal(records.status, 200, records.text);
  const rollup = await api(admin, 'GET', `/api/v1/dashboard?${MONTHS}${extra}`);
  assert.equal(rollup.status, 200, rollup.text);
  for (const key of ['feedback_given', 'outcomes_matrix'])
    assert.deepEqual(table(rollup.json, key).rows, table(records.json, key).rows, `${key}: rollup and records agree`);
  return records;
}

function table(d, key) {
  const t = d.tables.find((x) => x.key === key);
  assert.ok(t, `table ${key}`);
  return t;
}

function total(t, label) {
  const r = t.rows.find((x) => x.label === label);
  assert.ok(r, `row ${label} in ${t.key}`);
  return r.cells.find((c) => c.column === 'Total');
}

test("families' voice: what the parent and the child said is kept with the feedback", async () => {
  let r = await api(coord, 'PUT', `/api/v1/discussions/${discA}`, {
    minutes: 'Quiet room at lunch agreed', feedback_on: PAST2, feedback_method: 'phone', feedback_by: 'School SENCO',
    parent_said: 'Relieved that school has a plan', child_said: 'I like the quiet room',
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.discussion.feedback.parent_said, 'Relieved that school has a plan');
  assert.equal(r.json.discussion.feedback.child_said, 'I like the quiet room');
  // Shown on the page to someone who may see the case, escaped.
  const page = await head.getHtml(`/discussions/${discA}`);
  assert.equal(page.status, 200);
  assert.match(page.html, /Relieved that school has a plan/);
  assert.match(page.html, /What the child said/);
  // What they said is heard when they are told: not without a date.
  r = await api(coord, 'PUT', `/api/v1/discussions/${discB}`, { minutes: 'Reading plan', parent_said: 'Fine' });
  assert.equal(r.status, 422, r.text);
  assert.ok(r.text.includes('feedback_on'), r.text);
  assert.equal(sql(`SELECT parent_said FROM discussions WHERE id = ${discB}`), '');
  // Only those who may see the case: another school's lead and evaluators get not found.
  for (const c of [senco, evaluator, practitioner]) {
    r = await api(c, 'GET', `/api/v1/discussions/${discA}`);
    assert.equal(r.status, 404);
    assert.ok(!r.text.includes('Relieved'));
  }
});

test('dashboard: the feedback-given rate of closed or reviewed cases, suppressed when published', async () => {
  // B has minutes only; both are closed, C stays open and unreviewed.
  let r = await api(coord, 'PUT', `/api/v1/discussions/${discB}`, { minutes: 'Reading plan' });
  assert.equal(r.status, 200, r.text);
  for (const id of [caseA, caseB]) {
    r = await api(coord, 'POST', `/api/v1/cases/${id}/close`, { reason: 'needs_met' });
    assert.equal(r.status, 200, r.text);
  }
  // C, still open, comes back for review at the second meeting: reviewed counts too.
  r = await api(coord, 'POST', `/api/v1/meetings/${m2}/agenda`, { case_id: caseC });
  assert.equal(r.status, 201, r.text);
  r = await dashboard();
  const t = table(r.json, 'feedback_given');
  assert.equal(total(t, 'Cases closed or reviewed').value, 3);
  const given = total(t, 'Feedback to the family recorded');
  assert.equal(given.value, 1);
  assert.equal(given.percent, 33);
  assert.equal(total(t, 'No feedback recorded').value, 2);
  // Feedback recorded later is counted at once (the rollup's month is rebuilt).
  r = await api(coord, 'PUT', `/api/v1/discussions/${discB}`, { minutes: 'Reading plan', feedback_on: PAST2,
    feedback_method: 'letter_email', feedback_by: 'Class teacher' });
  assert.equal(r.status, 200, r.text);
  assert.equal(total(table((await dashboard()).json, 'feedback_given'), 'Feedback to the family recorded').value, 2);
  assert.ok(Number(sql("SELECT count(*) FROM dash_rollup WHERE dim = 'evidence'")) > 0, 'the months came from the rollup');
  // Marked for publication, counts under the threshold are "c".
  r = await dashboard('&publish=yes');
  const pub = table(r.json, 'feedback_given');
  for (const row of pub.rows) {
    const cell = row.cells.find((c) => c.column === 'Total');
    assert.equal(cell.suppressed, true, row.label);
    assert.equal(cell.value, null);
  }
  // The HTML dashboard shows the section.
  const page = await coordHtml.getHtml(`/dashboard?${RANGE}`);
  assert.match(page.html, /Feedback to families/);
});

test('outcomes matrix: the coordinator classifies closed cases; counted on the dashboard', async () => {
  // Only once closed.
  let r = await api(coord, 'PUT', `/api/v1/cases/${caseC}/outcome`, { ei_appropriate: 'yes', referral_made: 'no' });
  assert.equal(r.status, 422, r.text);
  // Both answers needed.
  r = await api(coord, 'PUT', `/api/v1/cases/${caseA}/outcome`, { ei_appropriate: 'yes' });
  assert.equal(r.status, 422, r.text);
  assert.ok(r.text.includes('referral_made'));
  // A school lead sees the case but does not classify it; another school's lead does not see it.
  r = await api(headJson, 'PUT', `/api/v1/cases/${caseA}/outcome`, { ei_appropriate: 'yes', referral_made: 'no' });
  assert.equal(r.status, 403, r.text);
  r = await api(senco, 'PUT', `/api/v1/cases/${caseA}/outcome`, { ei_appropriate: 'yes', referral_made: 'no' });
  assert.equal(r.status, 404, r.text);
  assert.equal(sql(`SELECT CASE WHEN ei_appropriate IS NULL THEN 1 ELSE 0 END FROM cases WHERE id = ${caseA}`), '1');
  // The page, as a coordinator: the GOV.UK radios, then a redirect to the case.
  const form = await coordHtml.getHtml(`/cases/${caseA}/outcome`);
  assert.equal(form.status, 200);
  assert.match(form.html, /Was early intervention appropriate/);
  const res = await coordHtml.submitForm(`/cases/${caseA}/outcome`, { ei_appropriate: 'yes', referral_made: 'no' });
  assert.equal(res.status, 303);
  assert.match(res.headers.get('location'), new RegExp(`/cases/${caseA}\\?saved=outcome`));
  r = await api(coord, 'GET', `/api/v1/cases/${caseA}`);
  assert.equal(r.json.case.outcome.cell, 'as_intended_early_intervention');
  r = await api(coord, 'PUT', `/api/v1/cases/${caseB}/outcome`, { ei_appropriate: 'no', referral_made: 'no' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.case.outcome.cell, 'missed_opportunity');
  assert.equal(r.json.case.outcome.label, 'Missed opportunities');

  r = await dashboard();
  const t = table(r.json, 'outcomes_matrix');
  assert.equal(total(t, 'Closed cases').value, 2);
  assert.equal(total(t, 'As intended: early intervention, no referral').value, 1);
  assert.equal(total(t, 'Missed opportunities').value, 1);
  assert.equal(total(t, 'Inappropriate referrals').value, 0);
  assert.equal(total(t, 'Not yet classified').value, 0);
  r = await dashboard('&publish=yes');
  const pub = table(r.json, 'outcomes_matrix');
  assert.equal(total(pub, 'Missed opportunities').suppressed, true);
  assert.equal(total(pub, 'Missed opportunities').value, null);
});

const STORY = {
  pattern: 'early_intervention',
  situation: 'A Year 5 pupil was missing school most mornings because of anxiety.',
  what_tas_did: 'The team agreed a gradual return with a key adult and parenting support.',
  what_changed: 'Attendance rose over the term and the family felt heard.',
};

let storyId;

test('change stories: drafted beside the case; a text naming the pupil is refused', async () => {
  // The pupil's first name in the text: refused, with the field in error and what was typed kept.
  let res = await head.submitForm(`/cases/${caseA}/stories/new`,
    { ...STORY, situation: `${pupil.first} was missing school most mornings.` }, { action: `/cases/${caseA}/stories` });
  assert.equal(res.status, 400);
  let html = await res.text();
  assert.match(html, /govuk-error-summary/);
  assert.match(html, /the pupil&#39;s first name|the pupil's first name/);
  // Every field is required.
  let r = await api(headJson, 'POST', `/api/v1/cases/${caseA}/stories`, { pattern: 'early_intervention' });
  assert.equal(r.status, 422);
  for (const f of ['situation', 'what_tas_did', 'what_changed']) assert.ok(r.text.includes(f), f);
  res = await head.submitForm(`/cases/${caseA}/stories/new`, STORY, { action: `/cases/${caseA}/stories` });
  assert.equal(res.status, 303);
  storyId = Number(/\/stories\/(\d+)/.exec(res.headers.get('location'))[1]);
  r = await api(headJson, 'GET', `/api/v1/stories/${storyId}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.story.status, 'submitted');
  // Another school's lead, a practitioner outside the team and an evaluator: not found, and
  // none may draft for the case.
  for (const c of [senco, practitioner, evaluator]) {
    assert.equal((await api(c, 'GET', `/api/v1/stories/${storyId}`)).status, 404);
    assert.equal((await api(c, 'POST', `/api/v1/cases/${caseA}/stories`, STORY)).status, 404);
  }
  // The case page lists it.
  html = (await head.getHtml(`/cases/${caseA}`)).html;
  assert.match(html, new RegExp(`/stories/${storyId}`));
});

test('change stories: the coordinator returns with a comment or approves; a school lead cannot', async () => {
  let r = await api(headJson, 'POST', `/api/v1/stories/${storyId}/review`, { decision: 'approve' });
  assert.equal(r.status, 403, r.text);
  r = await api(coord, 'GET', '/api/v1/stories/review');
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.stories.some((s) => s.id === storyId));
  assert.equal((await api(headJson, 'GET', '/api/v1/stories/review')).status, 403);
  // Returning needs a comment.
  r = await api(coord, 'POST', `/api/v1/stories/${storyId}/review`, { decision: 'return' });
  assert.equal(r.status, 422, r.text);
  r = await api(coord, 'POST', `/api/v1/stories/${storyId}/review`, { decision: 'return', comment: 'Say how long it took' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.story.status, 'returned');
  // Returned is not approved: nothing for evaluators, and no second decision until it is changed.
  assert.equal((await api(evaluator, 'GET', `/api/v1/stories/released/${storyId}`)).status, 404);
  r = await api(coord, 'POST', `/api/v1/stories/${storyId}/review`, { decision: 'approve' });
  assert.equal(r.status, 422, r.text);
  // The author changes it: back in the queue.
  r = await api(headJson, 'PUT', `/api/v1/stories/${storyId}`, { ...STORY, what_changed: 'Over one term attendance rose.' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.story.status, 'submitted');
  // A text that came to name the pupil (here written straight to the database) is refused approval.
  sql(`UPDATE change_stories SET what_changed = 'Later ' || (SELECT surname FROM pupils WHERE id = ${pupilA}) || ' settled.' WHERE id = ${storyId}`);
  r = await api(coord, 'POST', `/api/v1/stories/${storyId}/review`, { decision: 'approve' });
  assert.equal(r.status, 422, r.text);
  assert.match(r.text, /last name/);
  assert.ok(!r.text.includes(pupil.surname), 'the refusal does not repeat the name');
  sql(`UPDATE change_stories SET what_changed = 'Over one term attendance rose. ${pupil.upn}' WHERE id = ${storyId}`);
  r = await api(coord, 'POST', `/api/v1/stories/${storyId}/review`, { decision: 'approve' });
  assert.equal(r.status, 422, r.text);
  assert.match(r.text, /UPN/);
  sql(`UPDATE change_stories SET what_changed = 'Over one term attendance rose.' WHERE id = ${storyId}`);
  const before = Number(sql("SELECT count(*) FROM audit_log WHERE resource_kind = 'change_story'"));
  r = await api(coord, 'POST', `/api/v1/stories/${storyId}/review`, { decision: 'approve' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.story.status, 'approved');
  assert.equal(r.json.story.approved_on, TODAY);
  // Releasing is a disclosure: audited.
  assert.equal(Number(sql("SELECT count(*) FROM audit_log WHERE resource_kind = 'change_story' AND action = 'release'")), before + 1);
});

test('change stories: evaluators read approved stories with no name, UPN, date of birth or school', async () => {
  // A second story, never approved, must not reach them.
  let r = await api(coord, 'POST', `/api/v1/cases/${caseB}/stories`, { ...STORY, pattern: 'missed_opportunity' });
  assert.equal(r.status, 201, r.text);
  const pending = r.json.story.id;
  r = await api(evaluator, 'GET', '/api/v1/stories');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.stories.map((s) => s.id), [storyId]);
  const s = r.json.stories[0];
  assert.deepEqual(Object.keys(s).sort(), ['academic_year', 'id', 'pattern', 'pattern_label', 'phase', 'phase_label',
    'situation', 'team_name', 'what_changed', 'what_tas_did']);
  assert.equal(s.team_name, 'North cluster TAS');
  assert.equal(s.pattern_label, 'Early intervention');
  assert.match(s.academic_year, /^\d{4}\/\d{2}$/);
  const one = await api(evaluator, 'GET', `/api/v1/stories/released/${storyId}`);
  assert.equal(one.status, 200);
  assert.equal((await api(evaluator, 'GET', `/api/v1/stories/released/${pending}`)).status, 404);
  // Nothing identifying anywhere in what they receive: the list, the one story, the page.
  const page = await new Client(srv.base);
  assert.equal((await page.signIn('evaluator')).status, 303);
  const html = (await page.getHtml('/stories')).html;
  assert.match(html, /Story \d+: Early intervention/);
  const names = [...pupil.forenames.split(/[ -]/), ...pupil.surname.split(/[ -]/)].filter((n) => n.length >= 2);
  for (const text of [r.text, one.text, html]) {
    for (const id of [pupil.upn, pupil.dob, pupil.school]) assert.ok(!text.includes(id), `evaluator must not receive ${id}`);
    for (const n of names) assert.ok(!hasWord(text, n), `evaluator must not receive the name ${n}`);
  }
  for (const text of [r.text, one.text]) assert.ok(!/"(case_id|pupil_id|pupil_name|upn|school_id)"/.test(text));
  // They never reach the whole story or the queue.
  assert.equal((await api(evaluator, 'GET', `/api/v1/stories/${storyId}`)).status, 404);
  assert.equal((await api(evaluator, 'GET', '/api/v1/stories/review')).status, 403);
  assert.equal((await api(evaluator, 'POST', `/api/v1/stories/${storyId}/review`, { decision: 'return', comment: 'x' })).status, 404);
  // Markup in a story is text: escaped on the evaluators' page.
  r = await api(coord, 'PUT', `/api/v1/stories/${pending}`, { ...STORY, what_changed: '<script>alert(1)</script> & more' });
  assert.equal(r.status, 200, r.text);
  r = await api(coord, 'POST', `/api/v1/stories/${pending}/review`, { decision: 'approve' });
  assert.equal(r.status, 200, r.text);
  const escaped = (await page.getHtml('/stories')).html;
  assert.ok(!escaped.includes('<script>alert(1)</script>'));
  assert.match(escaped, /&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; more/);
  // The steering group and school leads have no released list.
  const steering = await apiClient('steering');
  assert.equal((await api(steering, 'GET', '/api/v1/stories')).status, 403);
  assert.equal((await api(headJson, 'GET', '/api/v1/stories')).status, 403);
});

// ---- fast feedback questionnaires ----

let questionnaire, links;

test('fast feedback: an authority defines a questionnaire; a coordinator makes single-use links for a meeting', async () => {
  const authority = Number(sql('SELECT authority_id FROM schools WHERE id = 1'));
  const q = { authority_id: authority, title: 'TAS meeting feedback', statements: 'TAS helped me act earlier\nI know who to ask for help',
    sentiment: 'How do you feel about TAS overall?', open_question: 'What one thing would improve TAS?' };
  let r = await api(coord, 'POST', '/api/v1/questionnaires', { ...q, statements: 'a\nb\nc\nd\ne\nf\ng' });
  assert.equal(r.status, 422, r.text);
  assert.ok(r.text.includes('statements'));
  assert.equal((await api(headJson, 'POST', '/api/v1/questionnaires', q)).status, 403);
  r = await api(coord, 'POST', '/api/v1/questionnaires', q);
  assert.equal(r.status, 201, r.text);
  questionnaire = r.json.questionnaire.id;
  assert.deepEqual(r.json.questionnaire.statements.map((s) => s.text), ['TAS helped me act earlier', 'I know who to ask for help']);
  // Links: only for someone who may change the meeting's team; another school's lead does not see it.
  assert.equal((await api(headJson, 'POST', `/api/v1/meetings/${m1}/feedback-links`, { questionnaire_id: questionnaire, count: 2 })).status, 403);
  assert.equal((await api(senco, 'POST', `/api/v1/meetings/${m1}/feedback-links`, { questionnaire_id: questionnaire, count: 2 })).status, 404);
  r = await api(coord, 'POST', `/api/v1/meetings/${m1}/feedback-links`, { questionnaire_id: questionnaire, count: 41 });
  assert.equal(r.status, 422, r.text);
  r = await api(coord, 'POST', `/api/v1/meetings/${m1}/feedback-links`, { questionnaire_id: questionnaire, count: 13 });
  assert.equal(r.status, 201, r.text);
  links = r.json.links;
  assert.equal(links.length, 13);
  assert.equal(new Set(links.map((l) => l.token)).size, 13);
  for (const l of links) assert.match(l.token, /^[0-9a-f]{64}$/);
  // Only hashes are kept.
  assert.equal(sql(`SELECT count(*) FROM feedback_links WHERE token_hash IN (${links.map((l) => `'${l.token}'`).join(',')})`), '0');
  assert.equal(sql('SELECT count(*) FROM feedback_links WHERE used = 0'), '13');
});

async function answer(link, fields) {
  const c = new Client(srv.base);
  return c.submitForm(`/feedback?t=${link.token}`, { t: link.token, ...fields }, { action: '/feedback' });
}

test('fast feedback: answered without signing in, once per link, anonymously', async () => {
  const auditBefore = sql('SELECT count(*) FROM audit_log');
  // Organisation required.
  let res = await answer(links[0], { s0: '4' });
  assert.equal(res.status, 400);
  assert.match(await res.text(), /Select the kind of organisation you work for/);
  // 6 from schools, 5 from health, 1 from the local authority.
  const kinds = [...Array(6).fill('school'), ...Array(5).fill('health'), 'la'];
  for (let i = 0; i < kinds.length; i++) {
    res = await answer(links[i], { org_kind: kinds[i], s0: kinds[i] === 'school' ? '5' : '3', s1: '4', sentiment: '4',
      comment: i === 0 ? 'More time for each pupil' : '' });
    assert.equal(res.status, 200, `answer ${i}`);
    assert.match(await res.text(), /Thank you/);
  }
  // A link answered twice is refused, and cannot be opened again.
  res = await answer(links[12], { org_kind: 'school', s0: '1' });
  assert.equal(res.status, 200);
  const again = new Client(srv.base);
  assert.equal((await again.getHtml(`/feedback?t=${links[12].token}`)).status, 404);
  // Without the form's token (CSRF) nothing is taken.
  const bare = new Client(srv.base);
  const post = await bare.postForm('/feedback', { t: links[12].token, org_kind: 'school' });
  assert.equal(post.status, 403);
  assert.equal(sql('SELECT count(*) FROM feedback_answers'), '13');
  // Nothing ties an answer to a person, an address, a time or its link.
  const cols = dbColumns(srv.db, 'feedback_answers');
  assert.deepEqual(cols.sort(), ['comment', 'id', 'meeting_id', 'org_kind', 'questionnaire_id', 'sentiment']);
  assert.equal(sql('SELECT count(*) FROM audit_log'), auditBefore, 'answering writes no trail about the person');
});

test('fast feedback: results by kind of organisation, small groups withheld, as JSON and CSV', async () => {
  let r = await api(admin, 'GET', `/api/v1/questionnaires/${questionnaire}/results`);
  assert.equal(r.status, 200, r.text);
  const g = Object.fromEntries(r.json.groups.map((x) => [x.code, x]));
  assert.equal(g.school.respondents, 7);
  assert.equal(g.school.sentiment, 4);      // six 4s; the seventh gave none
  assert.equal(g.la.sentiment, null);
  // LA (1) is below 5; health (5) goes with it so the one cannot be worked out from the total.
  assert.equal(g.la.withheld, true);
  assert.equal(g.la.respondents, null);
  assert.equal(g.health.withheld, true);
  const first = r.json.statements[0].cells;
  assert.equal(first[0].text, '4.4');   // schools: six 5s and a 1 = 31/7
  assert.equal(first[1].text, 'c');
  assert.ok(!r.text.includes('More time for each pupil'), 'open answers are not published with the figures');
  // Evaluators read aggregates and export them; school leads see none.
  assert.equal((await api(evaluator, 'GET', `/api/v1/questionnaires/${questionnaire}/results`)).status, 200);
  assert.equal((await api(headJson, 'GET', `/api/v1/questionnaires/${questionnaire}/results`)).status, 404);
  const ev = new Client(srv.base);
  assert.equal((await ev.signIn('evaluator')).status, 303);
  const csv = await ev.getHtml(`/questionnaires/${questionnaire}/results.csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /text\/csv/);
  assert.match(csv.html, /TAS helped me act earlier,School,7,4\.4,6/);
  assert.match(csv.html, /TAS helped me act earlier,Local authority,c,c,c/);
  const page = await ev.getHtml(`/questionnaires/${questionnaire}/results`);
  assert.match(page.html, /<svg[^>]*role="img"/);
  assert.match(page.html, /<caption[^>]*>Mean score by statement/);
});

test('fast feedback: wrong links are rate-limited like sign-in', async () => {
  const c = new Client(srv.base);
  const statuses = [];
  for (let i = 0; i < 6; i++) statuses.push((await c.getHtml(`/feedback?t=${'0'.repeat(64)}`)).status);
  assert.equal(statuses[0], 404);
  assert.ok(statuses.includes(429), statuses.join(' '));
  // Even a good link waits while the address is held back.
  assert.equal((await c.getHtml(`/feedback?t=${links[12].token}`)).status, 429);
  sql("DELETE FROM login_throttle WHERE key LIKE 'f:%'");
});

test("subject access carries the family's words and the change stories; retention removes them", async () => {
  const dpo = await apiClient('dpo');
  const r = await api(dpo, 'GET', `/api/v1/pupils/${pupilA}/subject-access`);
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.records.discussions.some((d) => d.child_said === 'I like the quiet room'));
  assert.ok(r.json.records.change_stories.some((s) => Number(s.id) === storyId && s.status === 'approved'));
  // Anonymising the case under the retention schedule blanks what they said and removes its stories.
  const far = `${Number(TODAY.slice(0, 4)) + 40}-01-01`;
  const run = await runTas(['retention', '--db', srv.db, '--today', far]);
  assert.equal(run.code, 0, run.err ?? run.stderr);
  assert.equal(sql(`SELECT count(*) FROM discussions WHERE case_id = ${caseA} AND (parent_said <> '' OR child_said <> '')`), '0');
  assert.equal(sql(`SELECT count(*) FROM change_stories WHERE case_id = ${caseA}`), '0');
  // (The run also ended the idle sessions: sign in again.)
  assert.deepEqual((await api(await apiClient('evaluator'), 'GET', '/api/v1/stories')).json.stories, []);
});
