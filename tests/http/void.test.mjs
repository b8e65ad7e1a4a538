// Mistakes can be put right (issue 10, item 3).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, csrfFrom, nowSeconds, runTas } from './harness.mjs';
import { api, fieldErrors, openCase, signedIn, sql, summaryMessages } from './case_fixture.mjs';

let srv;
let coord; let head;
let ids = {};

before(async () => {
  srv = await startServer({ extraArgs: ['--quiet'] });
  [coord, head] = await Promise.all(['coordinator', 'head'].map((u) => signedIn(srv, u)));
  ids = await openCase(coord, head.me.roles[0].scope_id, { teamName: 'Void test TAS', services: ['ep'] });
  // The case was presented at a held meeting in October 2025, so its
  // actions count on that month's dashboard.
  const now = nowSeconds();
  sql(srv, `UPDATE cases SET opened_on = '2025-10-01' WHERE id = ${ids.case};`);
  ids.meeting = Number(sql(srv, `INSERT INTO meetings (team_id, meeting_date, start_time, status, created_at, updated_at)
    VALUES (${ids.team}, '2025-10-08', '13:30', 'held', ${now}, ${now}) RETURNING id;`));
  sql(srv, `INSERT INTO discussions (meeting_id, case_id, kind, created_at, updated_at)
    VALUES (${ids.meeting}, ${ids.case}, 'new', ${now}, ${now});`);
});

after(async () => {
  await srv?.stop({ expectExitZero: true });
});

const actionCount = async () => (await api(coord, 'GET', `/api/v1/cases/${ids.case}/actions`)).body.actions.length;

/** The new-action page's csrf and one-time form token, and the fields of one action. */
async function actionForm(description) {
  const { html } = await coord.getHtml(`/cases/${ids.case}/actions/new`);
  const token = html.match(/name="form_token" value="([0-9a-f]{32})"/);
  assert.ok(token, 'the create form carries a one-time token');
  return {
    csrf: csrfFrom(html), form_token: token[1], description, owner_name: 'Class teacher', setting: 'school',
    nature: 'advice', 'due_on-day': '', 'due_on-month': '', 'due_on-year': '',
  };
}

test('a create form sent twice with the same token makes one record, and answers with it', async () => {
  const before = await actionCount();
  const fields = await actionForm('Class teacher to keep a daily diary');
  const first = await coord.postForm(`/cases/${ids.case}/actions`, fields);
  assert.equal(first.status, 303);
  const second = await coord.postForm(`/cases/${ids.case}/actions`, fields);
  assert.equal(second.status, 303);
  assert.equal(second.headers.get('location'), first.headers.get('location'));
  assert.equal(await actionCount(), before + 1);
  // A new rendering of the form has a new token, and makes a new record.
  const again = await actionForm('Class teacher to keep a daily diary');
  assert.notEqual(again.form_token, fields.form_token);
  assert.equal((await coord.postForm(`/cases/${ids.case}/actions`, again)).status, 303);
  assert.equal(await actionCount(), before + 2);
});

test('two concurrent POSTs with the same token make one record', async () => {
  const before = await actionCount();
  const fields = await actionForm('Pastoral lead to meet the family');
  const answers = await Promise.all([1, 2, 3].map(() => coord.postForm(`/cases/${ids.case}/actions`, fields)));
  for (const a of answers) assert.equal(a.status, 303);
  assert.equal(new Set(answers.map((a) => a.headers.get('location'))).size, 1);
  assert.equal(await actionCount(), before + 1);
});

test('the same mechanism serves every create form: a guest added twice is added once', async () => {
  const guests = async () => (await api(coord, 'GET', `/api/v1/meetings/${ids.meeting}`)).body.guests.length;
  const before = await guests();
  const { html } = await coord.getHtml(`/meetings/${ids.meeting}`);
  const token = html.match(/name="form_token" value="([0-9a-f]{32})"/)[1];
  const fields = { csrf: csrfFrom(html), form_token: token, guest_name: 'Sam Visitor', guest_role: 'Social Worker',
    guest_status: 'present' };
  const answers = await Promise.all([1, 2].map(() => coord.postForm(`/meetings/${ids.meeting}/guests`, fields)));
  for (const a of answers) assert.equal(a.status, 303);
  assert.equal(await guests(), before + 1);
});

test('a form with errors keeps nothing of its token: corrected, it saves', async () => {
  const before = await actionCount();
  const fields = await actionForm('');
  const bad = await coord.postForm(`/cases/${ids.case}/actions`, fields);
  assert.equal(bad.status, 400);
  const ok = await coord.postForm(`/cases/${ids.case}/actions`, { ...fields, description: 'Now described' });
  assert.equal(ok.status, 303);
  assert.equal(await actionCount(), before + 1);
});

const OCTOBER = 'from=2025-10-01&to=2025-10-31';

/** The dashboard's "Actions recorded" after a TAS meeting, all schools. */
async function actionsRecorded(query) {
  const d = await api(coord, 'GET', `/api/v1/dashboard?${query}`);
  assert.equal(d.status, 200);
  const row = d.body.tables.find((t) => t.key === 'procedures').rows.find((r) => r.label === 'Actions recorded');
  return row.cells[2].n ?? Number(row.cells[2].text);
}

test('a voided action stays, labelled, and leaves the counts, the work lists and the dashboard', async () => {
  const made = await api(coord, 'POST', `/api/v1/cases/${ids.case}/actions`, {
    description: 'Added to the wrong pupil', owner_name: 'Class teacher', setting: 'school', nature: 'advice',
    due_on: '2025-10-20',
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const id = made.body.action.id;
  const before = await actionsRecorded(OCTOBER);
  const beforeRecords = await actionsRecorded('from=2025-09-30&to=2025-10-31');
  assert.equal(before, beforeRecords, 'rollup and records agree before');
  let work = await api(coord, 'GET', '/api/v1/work');
  assert.ok(work.body.overdue_actions.items.some((x) => x.id === id), 'overdue before it is voided');

  const noReason = await api(coord, 'POST', `/api/v1/actions/${id}/void`, { void_reason: ' ' });
  assert.equal(noReason.status, 422);
  assert.equal(fieldErrors(noReason.body).void_reason, 'Give the reason the record was entered by mistake');
  assert.equal((await api(head, 'POST', `/api/v1/actions/${id}/void`, { void_reason: 'x' })).status, 200,
    "the pupil's school lead may edit the case, so may void");

  const again = await api(coord, 'POST', `/api/v1/actions/${id}/void`, { void_reason: 'Twice' });
  assert.equal(again.status, 422);
  assert.equal(fieldErrors(again.body).void_reason, 'This record has already been voided');

  const got = await api(coord, 'GET', `/api/v1/actions/${id}`);
  assert.equal(got.body.action.voided, true);
  assert.equal(got.body.action.void_reason, 'x');
  assert.equal(got.body.action.overdue, false);
  const list = await api(coord, 'GET', `/api/v1/cases/${ids.case}/actions`);
  assert.equal(list.body.counts.voided, 1);
  assert.ok(list.body.actions.some((a) => a.id === id), 'kept in the case');
  work = await api(coord, 'GET', '/api/v1/work');
  assert.ok(!work.body.overdue_actions.items.some((x) => x.id === id), 'left out of the work list');
  assert.equal(await actionsRecorded(OCTOBER), before - 1, 'left out of the dashboard (rollup)');
  assert.equal(await actionsRecorded('from=2025-09-30&to=2025-10-31'), before - 1, 'and of the records');
  const verify = await runTas(['rollup', '--db', path.join(srv.dir, 'tas.db'), 'verify']);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);

  const page = await coord.getHtml(`/cases/${ids.case}/actions`);
  assert.match(page.html, /Voided actions/);
  assert.match(page.html, /<s>Added to the wrong pupil<\/s>/);
  const view = await coord.getHtml(`/actions/${id}`);
  assert.match(view.html, /govuk-tag--grey">Voided/);
  assert.doesNotMatch(view.html, new RegExp(`href="/actions/${id}/void"`), 'no second void');
  const chron = await api(coord, 'GET', `/api/v1/pupils/${ids.pupil}/chronology`);
  const kinds = chron.body.events.filter((e) => e.ref_id === id).map((e) => e.kind);
  assert.deepEqual(kinds.sort(), ['action_agreed', 'action_voided'], 'kept in the chronology, and the void too');
  const dpo = await signedIn(srv, 'dpo');
  const audit = await api(dpo, 'GET', '/api/v1/audit?per_page=200');
  assert.equal(audit.status, 200);
  assert.ok(audit.body.entries.some((e) => e.action === 'void' && e.resource_kind === 'action' && e.resource_id === id),
    'the void is in the audit trail');
});

test('the void page asks for the reason; a referral is voided the same way', async () => {
  const r = await api(coord, 'POST', `/api/v1/cases/${ids.case}/referrals`, { service_id: (await api(coord, 'GET', '/api/v1/services')).body.services.find((s) => s.code === 'ep').id, referred_on: '2025-10-09' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const id = r.body.referral.id;
  const form = await coord.getHtml(`/referrals/${id}/void`);
  assert.equal(form.status, 200);
  assert.match(form.html, /Void this referral/);
  const bad = await coord.submitForm(`/referrals/${id}/void`, { void_reason: '' });
  assert.equal(bad.status, 400);
  assert.deepEqual(summaryMessages(await bad.text()), ['Give the reason the record was entered by mistake']);
  const ok = await coord.submitForm(`/referrals/${id}/void`, { void_reason: 'Entered for the wrong service' });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get('location'), `/cases/${ids.case}/referrals?saved=voided`);
  const list = await coord.getHtml(ok.headers.get('location'));
  assert.match(list.html, /Entered by mistake: Entered for the wrong service/);
  const got = await api(coord, 'GET', `/api/v1/referrals/${id}`);
  assert.equal(got.body.referral.voided, true);
  // Someone who cannot see the case finds nothing to void.
  const senco = await signedIn(srv, 'senco');
  assert.equal((await senco.getHtml(`/referrals/${id}/void`)).status, 404);
  assert.equal((await api(senco, 'POST', `/api/v1/referrals/${id}/void`, { void_reason: 'x' })).status, 404);
});

test('"held" needs confirming on the page, and is undone by the coordinator on the same day only, with a reason', async () => {
  const now = nowSeconds();
  const mid = Number(sql(srv, `INSERT INTO meetings (team_id, meeting_date, start_time, status, created_at, updated_at)
    VALUES (${ids.team}, '2025-11-05', '13:30', 'planned', ${now}, ${now}) RETURNING id;`));
  const status = async () => (await api(coord, 'GET', `/api/v1/meetings/${mid}`)).body.meeting.status;
  const page = await coord.getHtml(`/meetings/${mid}`);
  const csrf = csrfFrom(page.html);
  const ask = await coord.postForm(`/meetings/${mid}/held`, { csrf, mode: 'in_person' });
  assert.equal(ask.status, 200);
  assert.match(await ask.text(), /Yes, mark as held/);
  assert.equal(await status(), 'planned', 'asking changes nothing');
  const held = await coord.postForm(`/meetings/${mid}/held`, { csrf, mode: 'in_person', confirm: 'yes' });
  assert.equal(held.status, 303);
  assert.equal(await status(), 'held');
  const view = await coord.getHtml(`/meetings/${mid}`);
  assert.match(view.html, /Marked as held by mistake\?/);

  // Not the head (who may not edit the team), not without a reason.
  assert.notEqual((await api(head, 'POST', `/api/v1/meetings/${mid}/unhold`, { undo_reason: 'Wrong meeting' })).status, 200);
  const noReason = await coord.postForm(`/meetings/${mid}/unhold`, { csrf, undo_reason: '' });
  assert.equal(noReason.status, 400);
  assert.deepEqual(summaryMessages(await noReason.text()), ['Enter why the meeting was marked as held by mistake']);
  assert.equal(await status(), 'held');
  const undone = await coord.postForm(`/meetings/${mid}/unhold`, { csrf, undo_reason: 'Wrong meeting ticked' });
  assert.equal(undone.status, 303);
  assert.equal(undone.headers.get('location'), `/meetings/${mid}?done=unheld`);
  assert.equal(await status(), 'planned');

  // Marked held on another day: too late to undo.
  assert.equal((await api(coord, 'POST', `/api/v1/meetings/${mid}/held`, { mode: 'online' })).status, 200);
  sql(srv, `UPDATE meetings SET held_marked_on = '2025-11-05' WHERE id = ${mid};`);
  const late = await api(coord, 'POST', `/api/v1/meetings/${mid}/unhold`, { undo_reason: 'Wrong meeting' });
  assert.equal(late.status, 422);
  assert.match(fieldErrors(late.body).undo_reason, /only be undone on the day it was recorded/);
  assert.equal(await status(), 'held');
  assert.doesNotMatch((await coord.getHtml(`/meetings/${mid}`)).html, /Marked as held by mistake\?/);
});

/** A row's total (all schools) in a table of the dashboard. */
async function figure(query, key, label) {
  const d = await api(coord, 'GET', `/api/v1/dashboard?${query}`);
  assert.equal(d.status, 200);
  const row = d.body.tables.find((t) => t.key === key).rows.find((r) => r.label === label);
  assert.ok(row, `${key}: ${label}`);
  return row.cells[2].n ?? Number(row.cells[2].text);
}

test('a voided discussion presents no case, and a voided meeting counts as no meeting', async () => {
  const disc = Number(sql(srv, `SELECT id FROM discussions WHERE meeting_id = ${ids.meeting};`));
  const presented = await figure(OCTOBER, 'cases', "Pupils' cases presented");
  const held = await figure(OCTOBER, 'meetings', 'Meetings held');
  assert.ok(presented >= 1 && held >= 1);
  const form = await coord.getHtml(`/discussions/${disc}/void`);
  assert.equal(form.status, 200);
  assert.match(form.html, /Void this discussion/);
  const d = await coord.submitForm(`/discussions/${disc}/void`, { void_reason: 'Wrong pupil on the agenda' });
  assert.equal(d.status, 303);
  assert.equal(d.headers.get('location'), `/discussions/${disc}`);
  assert.match((await coord.getHtml(`/discussions/${disc}`)).html, /govuk-tag--grey">Voided/);
  assert.equal(await figure(OCTOBER, 'cases', "Pupils' cases presented"), presented - 1, 'rollup');
  assert.equal(await figure('from=2025-09-30&to=2025-10-31', 'cases', "Pupils' cases presented"), presented - 1,
    'records');
  const chron = await api(coord, 'GET', `/api/v1/pupils/${ids.pupil}/chronology`);
  assert.ok(chron.body.events.some((e) => e.kind === 'discussed' && e.ref_id === disc), 'kept in the chronology');
  assert.ok(chron.body.events.some((e) => e.kind === 'discussion_voided' && e.ref_id === disc));

  const m = await api(coord, 'POST', `/api/v1/meetings/${ids.meeting}/void`, { void_reason: 'Entered twice' });
  assert.equal(m.status, 200, JSON.stringify(m.body));
  assert.equal(m.body.meeting.voided, true);
  assert.equal(await figure(OCTOBER, 'meetings', 'Meetings held'), held - 1, 'rollup');
  assert.equal(await figure('from=2025-09-30&to=2025-10-31', 'meetings', 'Meetings held'), held - 1, 'records');
  const page = await coord.getHtml(`/meetings/${ids.meeting}`);
  assert.match(page.html, /Entered by mistake: <span class="tas-pre">Entered twice<\/span>/);
  assert.equal((await api(head, 'POST', `/api/v1/meetings/${ids.meeting}/void`, { void_reason: 'x' })).status, 403,
    'only those who run the team void its meetings');
  assert.equal((await api(coord, 'POST', `/api/v1/meetings/${ids.meeting}/void`, { void_reason: 'x' })).status, 422,
    'already voided');
  const verify = await runTas(['rollup', '--db', path.join(srv.dir, 'tas.db'), 'verify']);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
});
