// Actions, referrals, work lists and the chronology.  One server; the demo
// authority has pupils, services and a playbook but no teams, consent or
// cases, so the setup makes them through the API.  What the API cannot
// make yet (a case opened in the past, a held meeting with a discussion, a
// practitioner linked to an account) is written with the sqlite3 command
// line into the test database: setup only, never checked that way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, decodeHtml, TODAY, nowSeconds, addDays } from './harness.mjs';
import * as fx from './case_fixture.mjs';

let srv;
let coord; // case coordinator (authority)
let head; // school lead of the pupil's school
let senco; // school lead of another school
const ids = {};
const sql = (text) => fx.sql(srv, text);
const signedIn = (username) => fx.signedIn(srv, username);
const { api, summaryMessages, fieldErrors } = fx;

function daysBetween(a, b) {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400000);
}

const today = () => TODAY;

/** value of the <option> of select name whose label starts with label. */
function optionValue(html, name, label) {
  const start = html.indexOf(`name="${name}"`);
  assert.ok(start > 0, `select ${name} on the page`);
  const sel = html.slice(start, html.indexOf('</select>', start));
  for (const m of sel.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)) {
    if (decodeHtml(m[2]).startsWith(label)) return m[1];
  }
  assert.fail(`no option "${label}" in ${name}`);
}

before(async () => {
  srv = await startServer({ extraArgs: ['--quiet'] });
  [coord, head, senco] = await Promise.all([signedIn('coordinator'), signedIn('head'), signedIn('senco')]);
  const schoolA = head.me.roles[0].scope_id;
  const schoolB = senco.me.roles[0].scope_id;
  assert.notEqual(schoolA, schoolB);
  ids.authority = coord.me.roles[0].scope_id;

  // The family agreed to sharing with the services the actions below are
  // given to (work may go only where consent reaches).
  Object.assign(ids, await fx.openCase(coord, schoolA, { teamName: 'Actions test TAS', services: ['ep', 'early_help'] }));
  // The case was brought last September (so actions can be overdue), and
  // discussed at a held meeting whose minutes and feedback are not written.
  sql(`UPDATE cases SET opened_on = '2025-09-15' WHERE id = ${ids.case};`);
  const now = nowSeconds();
  ids.meeting = Number(sql(`INSERT INTO meetings (team_id, meeting_date, start_time, status, created_at, updated_at)
    VALUES (${ids.team}, '2025-09-24', '13:30', 'held', ${now}, ${now}) RETURNING id;`));
  ids.discussion = Number(sql(`INSERT INTO discussions (meeting_id, case_id, kind, created_at, updated_at)
    VALUES (${ids.meeting}, ${ids.case}, 'new', ${now}, ${now}) RETURNING id;`));
});

after(async () => {
  await srv?.stop({ expectExitZero: true });
});

test('the action form lists services, the playbook and the meeting; adding one redirects to the list', async () => {
  const { status, html } = await coord.getHtml(`/cases/${ids.case}/actions/new`);
  assert.equal(status, 200);
  ids.ep = optionValue(html, 'owner_service_id', 'Educational Psychology');
  ids.earlyHelp = optionValue(html, 'owner_service_id', 'Early Help');
  ids.tripleP = optionValue(html, 'resource_id', 'Triple P');
  assert.equal(optionValue(html, 'discussion_id', '24 September 2025'), String(ids.discussion));
  assert.match(html, /Signposting to parents or carers/);
  assert.match(html, /href="\/playbook"/);

  const res = await coord.submitForm(`/cases/${ids.case}/actions/new`, {
    description: 'School to share the EP report with Speech and Language Therapy',
    owner_service_id: ids.ep, owner_name: 'School SENCO', setting: 'school', nature: 'coordination',
    'due_on-day': '', 'due_on-month': '', 'due_on-year': '', discussion_id: ids.discussion,
  }, { action: `/cases/${ids.case}/actions` });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `/cases/${ids.case}/actions?saved=added`);
  const list = await coord.getHtml(res.headers.get('location'));
  assert.match(list.html, /Action added/);
  assert.match(list.html, /School to share the EP report/);
  assert.match(decodeHtml(list.html), /School SENCO \(Educational Psychology\)/);
});

test('JSON: create an overdue action and a signposting one; signposting needs a resource', async () => {
  const due = '2025-10-01';
  const r = await api(coord, 'POST', `/api/v1/cases/${ids.case}/actions`, {
    description: 'Early Help to find a contact in the CAMHS looked after team', owner_service_id: Number(ids.earlyHelp),
    setting: 'home', nature: 'coordination', due_on: due,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const a = r.body.action;
  assert.equal(a.status, 'open');
  assert.equal(a.due_on, due);
  assert.equal(a.overdue, true);
  assert.equal(a.owner_service_name, 'Early Help');
  assert.equal(a.setting_label, 'At home');
  ids.overdue = a.id;

  const bad = await api(coord, 'POST', `/api/v1/cases/${ids.case}/actions`, {
    description: 'Signpost parents to the Triple P courses', owner_name: 'School', setting: 'home',
    nature: 'signposting_parents', due_on: '2025-09-01',
  });
  assert.equal(bad.status, 422);
  const errs = fieldErrors(bad.body);
  assert.equal(errs.resource_id, 'Choose the resource from the playbook, or add it to the playbook first');
  assert.match(errs.due_on, /on or after the day the case was opened/);

  const ok = await api(coord, 'POST', `/api/v1/cases/${ids.case}/actions`, {
    description: 'Signpost parents to the Triple P courses', owner_name: 'School', setting: 'home',
    nature: 'signposting_parents', resource_id: ids.tripleP, due_on: addDays(today(), 30),
  });
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  assert.match(ok.body.action.resource_title, /Triple P/);
  assert.equal(ok.body.action.overdue, false);
  ids.signpost = ok.body.action.id;

  const nodesc = await api(coord, 'POST', `/api/v1/cases/${ids.case}/actions`, { setting: 'nowhere' });
  assert.equal(nodesc.status, 422);
  const e2 = fieldErrors(nodesc.body);
  assert.ok(e2.description && e2.setting && e2.nature && e2.owner_service_id, JSON.stringify(e2));
});

test('HTML: signposting without a resource shows the error and keeps what was typed', async () => {
  const res = await coord.submitForm(`/cases/${ids.case}/actions/new`, {
    description: 'Signpost to the sleep resources', owner_name: 'Class teacher', setting: 'home',
    nature: 'signposting_parents', resource_id: '', 'due_on-day': '31', 'due_on-month': '2', 'due_on-year': '2026',
  }, { action: `/cases/${ids.case}/actions` });
  assert.equal(res.status, 400);
  const html = await res.text();
  const msgs = summaryMessages(html);
  assert.ok(msgs.includes('Choose the resource from the playbook, or add it to the playbook first'), msgs.join('|'));
  assert.ok(msgs.includes('Due date must be a real date'), msgs.join('|'));
  assert.match(html, /href="#f-due_on-day"/);
  assert.match(html, />Signpost to the sleep resources<\/textarea>/);
  assert.match(html, /name="owner_name" type="text" value="Class teacher"/);
  assert.match(html, /value="signposting_parents" checked/);
  assert.match(html, /name="due_on-day" type="text" value="31"/);
});

test('not done needs a reason: the form shows again with what was typed', async () => {
  const page = `/actions/${ids.signpost}/status`;
  const res = await coord.submitForm(page, { status: 'not_done', not_done_reason: '  ', outcome: 'Family moved away' });
  assert.equal(res.status, 400);
  const html = await res.text();
  assert.deepEqual(summaryMessages(html), ['Give the reason the action was not done']);
  assert.match(html, /value="not_done" checked/);
  assert.match(html, />Family moved away<\/textarea>/);

  const j = await api(coord, 'PUT', `/api/v1/actions/${ids.signpost}/status`, { status: 'not_done' });
  assert.equal(j.status, 422);
  assert.equal(fieldErrors(j.body).not_done_reason, 'Give the reason the action was not done');

  const done = await api(coord, 'PUT', `/api/v1/actions/${ids.signpost}/status`,
    { status: 'not_done', not_done_reason: 'Parents declined the course' });
  assert.equal(done.status, 200);
  assert.equal(done.body.action.status, 'not_done');
  assert.equal(done.body.action.closed_on, today());
  const reopened = await api(coord, 'PUT', `/api/v1/actions/${ids.signpost}/status`, { status: 'open' });
  assert.equal(reopened.body.action.closed_on, null);
  assert.equal(reopened.body.action.not_done_reason, '');
  const list = await coord.getHtml(`/cases/${ids.case}/actions`);
  assert.match(list.html, /govuk-tag--red">Overdue/);
});

test('the overdue action is on the work list, and leaves it when done', async () => {
  const w = await api(coord, 'GET', '/api/v1/work');
  assert.equal(w.status, 200);
  const overdue = w.body.overdue_actions;
  assert.equal(overdue.count, overdue.items.length);
  const item = overdue.items.find((x) => x.id === ids.overdue);
  assert.ok(item, 'overdue action listed');
  assert.equal(item.case_id, ids.case);
  assert.equal(item.days_overdue, daysBetween('2025-10-01', today()));
  assert.ok(w.body.cases_due_for_review.items.some((x) => x.case_id === ids.case));
  assert.ok(w.body.meetings_without_minutes.items.some((x) => x.meeting_id === ids.meeting && x.without_minutes === 1));
  assert.ok(w.body.feedback_not_recorded.items.some((x) => x.discussion_id === ids.discussion));
  assert.equal(w.body.my_actions, undefined, 'coordinator is not linked to a practitioner');

  const html = await coord.getHtml('/work');
  assert.equal(html.status, 200);
  assert.match(html.html, /Overdue actions \(\d+\)/);
  assert.match(html.html, new RegExp(`href="/actions/${ids.overdue}"`));
  assert.match(html.html, new RegExp(`href="/meetings/${ids.meeting}/agenda"`));
  assert.match(html.html, /href="\/work"/, 'My work in the navigation');

  const done = await api(coord, 'PUT', `/api/v1/actions/${ids.overdue}/status`,
    { status: 'done', outcome: 'Contact passed to school' });
  assert.equal(done.status, 200);
  assert.equal(done.body.action.overdue, false);
  const after = await api(coord, 'GET', '/api/v1/work');
  assert.ok(!after.body.overdue_actions.items.some((x) => x.id === ids.overdue));
});

test('a practitioner linked to an account sees the actions they own', async () => {
  const now = nowSeconds();
  const prac = Number(sql(`INSERT INTO practitioners (authority_id, service_id, user_id, name, created_at, updated_at)
    VALUES (${ids.authority}, ${ids.ep}, ${coord.me.id}, 'Sam Okonjo', ${now}, ${now}) RETURNING id;`));
  const r = await api(coord, 'POST', `/api/v1/cases/${ids.case}/actions`, {
    description: 'EP drop-in with the class teacher', owner_practitioner_id: prac, setting: 'school', nature: 'advice',
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.action.owner_service_id, Number(ids.ep), 'service taken from the practitioner');
  const w = await api(coord, 'GET', '/api/v1/work');
  assert.deepEqual(w.body.my_actions.items.map((x) => x.id), [r.body.action.id]);
  const wrong = await api(coord, 'POST', `/api/v1/cases/${ids.case}/actions`, {
    description: 'x', owner_practitioner_id: prac, owner_service_id: Number(ids.earlyHelp), setting: 'school',
    nature: 'advice',
  });
  assert.equal(wrong.status, 422);
  assert.ok(fieldErrors(wrong.body).owner_practitioner_id);
});

test('referrals: made, waiting, then an outcome with the days waited', async () => {
  const r = await api(coord, 'POST', `/api/v1/cases/${ids.case}/referrals`, {
    service_id: Number(ids.ep), referred_on: '2025-10-01', action_id: ids.overdue, notes: 'EHCNA advice',
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const ref = r.body.referral;
  assert.equal(ref.outcome, 'pending');
  assert.equal(ref.days_waited, daysBetween('2025-10-01', today()));
  ids.referral = ref.id;

  const future = await api(coord, 'POST', `/api/v1/cases/${ids.case}/referrals`,
    { service_id: Number(ids.ep), referred_on: addDays(today(), 2) });
  assert.equal(future.status, 422);
  assert.ok(fieldErrors(future.body).referred_on);

  const nodate = await api(coord, 'PUT', `/api/v1/referrals/${ids.referral}`, { outcome: 'accepted' });
  assert.equal(nodate.status, 422);
  assert.equal(fieldErrors(nodate.body).outcome_on, 'Enter the date of the outcome');
  const before = await api(coord, 'PUT', `/api/v1/referrals/${ids.referral}`, { outcome: 'accepted', outcome_on: '2025-09-30' });
  assert.equal(before.status, 422);
  assert.match(fieldErrors(before.body).outcome_on, /on or after the date of the referral/);

  const res = await coord.submitForm(`/referrals/${ids.referral}`, {
    outcome: 'redirected', 'outcome_on-day': '12', 'outcome_on-month': '11', 'outcome_on-year': '2025', notes: 'Back to TAS',
  });
  assert.equal(res.status, 303);
  const got = await api(coord, 'GET', `/api/v1/referrals/${ids.referral}`);
  assert.equal(got.body.referral.outcome, 'redirected');
  assert.equal(got.body.referral.outcome_on, '2025-11-12');
  assert.equal(got.body.referral.days_waited, 42);
  const list = await coord.getHtml(`/cases/${ids.case}/referrals`);
  assert.match(list.html, /Redirected back to TAS/);
  assert.match(list.html, /numeric">42</);
  const all = await api(coord, 'GET', `/api/v1/cases/${ids.case}/referrals`);
  assert.equal(all.body.referrals.length, 1);
});

test('the chronology lists every event newest first', async () => {
  const r = await api(coord, 'GET', `/api/v1/pupils/${ids.pupil}/chronology`);
  assert.equal(r.status, 200);
  const ev = r.body.events;
  for (let i = 1; i < ev.length; i++) assert.ok(ev[i - 1].on >= ev[i].on, `${ev[i - 1].on} before ${ev[i].on}`);
  const kinds = ev.map((e) => e.kind);
  for (const k of ['consent_given', 'case_opened', 'discussed', 'action_agreed', 'action_done', 'referral_made',
    'referral_outcome']) assert.ok(kinds.includes(k), `${k} in ${kinds.join(',')}`);
  assert.equal(kinds.at(-1), 'consent_given', 'the oldest event is the consent');
  assert.equal(ev.find((e) => e.kind === 'case_opened').on, '2025-09-15');
  const agreed = ev.find((e) => e.kind === 'action_agreed' && e.ref_id === ids.overdue);
  assert.match(agreed.detail, /CAMHS looked after team/);
  assert.equal(agreed.href, `/actions/${ids.overdue}`);
  const html = await coord.getHtml(`/pupils/${ids.pupil}/chronology`);
  assert.equal(html.status, 200);
  const text = decodeHtml(html.html);
  assert.ok(text.indexOf('Referral outcome') < text.indexOf('Case opened'));
  assert.ok(text.indexOf('Case opened') < text.indexOf('Consent given'));
  assert.match(text, /Given by Jane Example \(Mother\)/);
});

test('a school lead of another school sees none of it', async () => {
  for (const p of [`/cases/${ids.case}/actions`, `/pupils/${ids.pupil}/chronology`, `/actions/${ids.overdue}`,
    `/referrals/${ids.referral}`, `/cases/${ids.case}/referrals`]) {
    assert.equal((await senco.getHtml(p)).status, 404, p);
    assert.equal((await api(senco, 'GET', `/api/v1${p}`)).status, 404, `/api/v1${p}`);
  }
  const post = await api(senco, 'POST', `/api/v1/cases/${ids.case}/actions`,
    { description: 'x', owner_name: 'y', setting: 'school', nature: 'advice' });
  assert.equal(post.status, 404);
  const w = await api(senco, 'GET', '/api/v1/work');
  assert.equal(w.status, 200);
  assert.equal(w.body.overdue_actions, undefined);
  // The pupil's own school lead does see them.
  assert.equal((await head.getHtml(`/cases/${ids.case}/actions`)).status, 200);
  assert.equal((await api(head, 'GET', `/api/v1/pupils/${ids.pupil}/chronology`)).status, 200);
});

test('many writers on one case at once: every action kept and audited, every change of status recorded', async () => {
  // Three coordinators' sessions write to the same case together (issue 18,
  // point 4: no lost updates; run on both backends).
  const writers = await Promise.all([signedIn('coordinator'), signedIn('coordinator'), signedIn('coordinator')]);
  const count = () => Number(sql(`SELECT count(*) FROM actions WHERE case_id = ${ids.case}`));
  const before = count();
  const audit0 = Number(sql('SELECT max(id) FROM audit_log'));
  const N = 24;
  const made = await Promise.all(Array.from({ length: N }, (_, i) =>
    api(writers[i % writers.length], 'POST', `/api/v1/cases/${ids.case}/actions`, {
      description: `Written at once ${i}`, owner_name: 'School', setting: 'school', nature: 'coordination',
      due_on: addDays(today(), 7 + i),
    })));
  for (const r of made) assert.equal(r.status, 201, JSON.stringify(r.body));
  const madeIds = made.map((r) => r.body.action.id);
  assert.equal(new Set(madeIds).size, N, 'each its own record');
  assert.equal(count(), before + N);
  const kept = sql(`SELECT description FROM actions WHERE id IN (${madeIds.join(',')}) ORDER BY id`).split('\n');
  assert.deepEqual([...kept].sort(), Array.from({ length: N }, (_, i) => `Written at once ${i}`).sort());
  assert.equal(Number(sql(`SELECT count(*) FROM audit_log WHERE id > ${audit0} AND action = 'create'`)), N,
    'one audit entry each');
  // The same action's status changed by all three at once, again and again:
  // each change is answered, and the action ends in one of the states sent.
  const target = madeIds[0];
  const changes = await Promise.all(Array.from({ length: 12 }, (_, i) =>
    api(writers[i % writers.length], 'PUT', `/api/v1/actions/${target}/status`,
      i % 2 ? { status: 'open' } : { status: 'done', outcome: `Done by writer ${i}` })));
  for (const r of changes) assert.equal(r.status, 200, JSON.stringify(r.body));
  const final = (await api(coord, 'GET', `/api/v1/actions/${target}`)).body.action;
  assert.ok(['open', 'done'].includes(final.status), final.status);
  assert.equal(Number(sql(`SELECT count(*) FROM audit_log WHERE id > ${audit0} AND action = 'status'`)), 12,
    'every change of status on the audit trail');
});

test('nothing is added to a closed case', async () => {
  const close = await api(coord, 'POST', `/api/v1/cases/${ids.case}/close`, { reason: 'needs_met' });
  assert.equal(close.status, 200, JSON.stringify(close.body));
  const r = await api(coord, 'POST', `/api/v1/cases/${ids.case}/actions`,
    { description: 'x', owner_name: 'y', setting: 'school', nature: 'advice' });
  assert.equal(r.status, 422);
  assert.equal(fieldErrors(r.body).case, 'Re-open the case to add actions');
  const page = await coord.getHtml(`/cases/${ids.case}/actions/new`);
  assert.equal(page.status, 409);
  assert.match(page.html, /Re-open the case to add actions/);
  const list = await coord.getHtml(`/cases/${ids.case}/actions`);
  assert.doesNotMatch(list.html, /Add an action/);
  const chron = await api(coord, 'GET', `/api/v1/pupils/${ids.pupil}/chronology`);
  assert.equal(chron.body.events[0].kind, 'case_closed');
});
