// Work reaches its owner (issue 10, item 2): an action owned by the school
// is on the work list of that school's staff, and an action or referral
// given to a service the family's consent does not cover, or to a
// practitioner who cannot see the case, is refused on the form.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, decodeHtml, nowSeconds } from './harness.mjs';
import { api, fieldErrors, openCase, serviceIds, signedIn, sql, summaryMessages } from './case_fixture.mjs';

let srv;
let coord; let head; let senco;
let ids = {};
let svc = {};

before(async () => {
  srv = await startServer({ extraArgs: ['--quiet'] });
  [coord, head, senco] = await Promise.all(['coordinator', 'head', 'senco'].map((u) => signedIn(srv, u)));
  ids = await openCase(coord, head.me.roles[0].scope_id, { teamName: 'Owners test TAS', services: ['ep'] });
  svc = await serviceIds(coord);
});

after(async () => {
  await srv?.stop({ expectExitZero: true });
});

test("an action owned by the school is on that school's staff work list, not another school's", async () => {
  const r = await api(coord, 'POST', `/api/v1/cases/${ids.case}/actions`, {
    description: 'SENCO to put a quiet space in place after lunch', owner_service_id: svc.school,
    owner_name: 'SENCO', setting: 'school', nature: 'school_adjustment',
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  ids.schoolAction = r.body.action.id;

  const w = await api(head, 'GET', '/api/v1/work');
  assert.equal(w.status, 200);
  assert.ok(w.body.school_actions, 'the head has a list of the school\'s actions');
  const item = w.body.school_actions.items.find((x) => x.id === ids.schoolAction);
  assert.ok(item, 'the school-owned action is listed');
  assert.equal(item.owner_label, 'SENCO (School)');
  const page = await head.getHtml('/work');
  assert.equal(page.status, 200);
  assert.match(page.html, /Actions owned by your school \(1\)/);
  assert.match(page.html, new RegExp(`href="/actions/${ids.schoolAction}"`));
  assert.doesNotMatch(page.html, /There is nothing on your work list/);

  const other = await api(senco, 'GET', '/api/v1/work');
  assert.equal(other.status, 200);
  assert.ok(!(other.body.school_actions?.items || []).some((x) => x.id === ids.schoolAction));
  // The coordinator is nobody's school staff.
  assert.equal((await api(coord, 'GET', '/api/v1/work')).body.school_actions, undefined);

  // Done, it leaves the list.
  const done = await api(coord, 'PUT', `/api/v1/actions/${ids.schoolAction}/status`, { status: 'done', outcome: 'In place' });
  assert.equal(done.status, 200);
  const after = await api(head, 'GET', '/api/v1/work');
  assert.ok(!after.body.school_actions.items.some((x) => x.id === ids.schoolAction));
});

test('an owner the consent does not cover is refused, on the form and in JSON; a covered one is not', async () => {
  const refused = await api(coord, 'POST', `/api/v1/cases/${ids.case}/actions`, {
    description: 'Early Help to visit the family', owner_service_id: svc.early_help, setting: 'home', nature: 'advice',
  });
  assert.equal(refused.status, 422);
  assert.equal(fieldErrors(refused.body).owner_service_id,
    "The family's consent does not cover sharing information with Early Help: choose another owner, "
    + 'or record consent that covers Early Help first');

  const res = await coord.submitForm(`/cases/${ids.case}/actions/new`, {
    description: 'Early Help to visit the family', owner_service_id: String(svc.early_help), owner_name: '',
    setting: 'home', nature: 'advice', 'due_on-day': '', 'due_on-month': '', 'due_on-year': '',
  }, { action: `/cases/${ids.case}/actions` });
  assert.equal(res.status, 400);
  const html = await res.text();
  assert.ok(summaryMessages(html).some((m) => m.startsWith("The family's consent does not cover sharing information with Early Help")),
    summaryMessages(html).join('|'));
  assert.match(html, /href="#f-owner_service_id"/);
  assert.match(decodeHtml(html), />Early Help to visit the family<\/textarea>/);

  const ok = await api(coord, 'POST', `/api/v1/cases/${ids.case}/actions`, {
    description: 'EP to observe in class', owner_service_id: svc.ep, setting: 'school', nature: 'assessment',
  });
  assert.equal(ok.status, 201, JSON.stringify(ok.body));

  const referral = await api(coord, 'POST', `/api/v1/cases/${ids.case}/referrals`,
    { service_id: svc.camhs, referred_on: '2025-10-01' });
  assert.equal(referral.status, 422);
  assert.match(fieldErrors(referral.body).service_id, /consent does not cover sharing information with CAMHS/);
  const covered = await api(coord, 'POST', `/api/v1/cases/${ids.case}/referrals`,
    { service_id: svc.ep, referred_on: '2025-10-01' });
  assert.equal(covered.status, 201, JSON.stringify(covered.body));
});

test('a practitioner whose account cannot see the case is refused as owner', async () => {
  const now = nowSeconds();
  // The demo practitioner account works for the EP service, not for this
  // team: it cannot see the case, though the consent covers EP.
  const pracUser = Number(sql(srv, "SELECT id FROM users WHERE username = 'practitioner';"));
  assert.ok(pracUser > 0);
  const prac = Number(sql(srv, `INSERT INTO practitioners (authority_id, service_id, user_id, name, created_at, updated_at)
    VALUES (${coord.me.roles[0].scope_id}, ${svc.ep}, ${pracUser}, 'Fatima Qureshi', ${now}, ${now}) RETURNING id;`));
  const r = await api(coord, 'POST', `/api/v1/cases/${ids.case}/actions`, {
    description: 'EP consultation', owner_practitioner_id: prac, setting: 'school', nature: 'advice',
  });
  assert.equal(r.status, 422);
  assert.equal(fieldErrors(r.body).owner_practitioner_id,
    'Fatima Qureshi cannot see this case: choose another owner, or add them to the team first');
  // Once the team has them (a practitioner grant for this team and their
  // service, which the consent covers), the work may go to them, and it is
  // on their work list.
  sql(srv, `INSERT INTO user_roles (user_id, role, scope_kind, scope_id, authority_id, detail)
    VALUES (${pracUser}, 'practitioner', 'team', ${ids.team}, ${coord.me.roles[0].scope_id}, 'ep');`);
  const given = await api(coord, 'POST', `/api/v1/cases/${ids.case}/actions`, {
    description: 'EP consultation with the class teacher', owner_practitioner_id: prac, setting: 'school',
    nature: 'advice',
  });
  assert.equal(given.status, 201, JSON.stringify(given.body));
  const fatima = await signedIn(srv, 'practitioner');
  const work = await api(fatima, 'GET', '/api/v1/work');
  assert.equal(work.status, 200);
  assert.deepEqual(work.body.my_actions.items.map((x) => x.id), [given.body.action.id]);
  // Without an account the practitioner is reached through the service.
  const noAccount = Number(sql(srv, `INSERT INTO practitioners (authority_id, service_id, name, created_at, updated_at)
    VALUES (${coord.me.roles[0].scope_id}, ${svc.ep}, 'Lee Park', ${now}, ${now}) RETURNING id;`));
  const ok = await api(coord, 'POST', `/api/v1/cases/${ids.case}/actions`, {
    description: 'EP consultation', owner_practitioner_id: noAccount, setting: 'school', nature: 'advice',
  });
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
});

test('an accepted referral can close the action it came from; no other outcome can', async () => {
  const a = await api(coord, 'POST', `/api/v1/cases/${ids.case}/actions`, {
    description: 'Refer to EP for an assessment', owner_service_id: svc.ep, setting: 'school', nature: 'referral',
  });
  assert.equal(a.status, 201, JSON.stringify(a.body));
  const r = await api(coord, 'POST', `/api/v1/cases/${ids.case}/referrals`,
    { service_id: svc.ep, referred_on: '2025-10-01', action_id: a.body.action.id });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const rid = r.body.referral.id;
  const page = await coord.getHtml(`/referrals/${rid}`);
  assert.match(page.html, /name="close_action" type="checkbox" value="yes"/);

  const declined = await api(coord, 'PUT', `/api/v1/referrals/${rid}`,
    { outcome: 'declined', outcome_on: '2025-10-20', close_action: 'yes' });
  assert.equal(declined.status, 422);
  assert.equal(fieldErrors(declined.body).close_action, 'Only an accepted referral closes the action it came from');
  assert.equal((await api(coord, 'GET', `/api/v1/actions/${a.body.action.id}`)).body.action.status, 'open');

  const res = await coord.submitForm(`/referrals/${rid}`, {
    outcome: 'accepted', 'outcome_on-day': '20', 'outcome_on-month': '10', 'outcome_on-year': '2025', notes: '',
    close_action: 'yes',
  });
  assert.equal(res.status, 303);
  const action = (await api(coord, 'GET', `/api/v1/actions/${a.body.action.id}`)).body.action;
  assert.equal(action.status, 'done');
  assert.equal(action.closed_on, '2025-10-20');
  assert.equal(action.outcome, 'Referral to Educational Psychology accepted');
  // Closed, it is not offered again.
  assert.doesNotMatch((await coord.getHtml(`/referrals/${rid}`)).html, /name="close_action"/);
});

test('consent withdrawn: the case lists its open actions with a prompt to close or reassign each', async () => {
  const other = await openCase(coord, head.me.roles[0].scope_id,
    { teamName: 'Owners withdrawal TAS', services: ['ep'], pupilIndex: 1 });
  const open = await api(coord, 'POST', `/api/v1/cases/${other.case}/actions`, {
    description: 'EP to observe at lunchtime', owner_service_id: svc.ep, setting: 'school', nature: 'assessment',
  });
  assert.equal(open.status, 201, JSON.stringify(open.body));
  const closed = await api(coord, 'POST', `/api/v1/cases/${other.case}/actions`, {
    description: 'Class teacher to call home', owner_name: 'Class teacher', setting: 'home', nature: 'coordination',
  });
  await api(coord, 'PUT', `/api/v1/actions/${closed.body.action.id}/status`, { status: 'done' });

  let view = await api(coord, 'GET', `/api/v1/cases/${other.case}`);
  assert.equal(view.body.consent.withdrawn, false);
  assert.doesNotMatch((await coord.getHtml(`/cases/${other.case}`)).html, /Consent withdrawn/);

  const w = await api(coord, 'POST', `/api/v1/consents/${other.consent}/withdraw`,
    { withdrawn_on: '2025-11-01', reason: 'Family asked to stop' });
  assert.equal(w.status, 200, JSON.stringify(w.body));
  view = await api(coord, 'GET', `/api/v1/cases/${other.case}`);
  assert.equal(view.body.consent.withdrawn, true);
  assert.deepEqual(view.body.consent.actions.map((x) => x.id), [open.body.action.id]);
  const page = await coord.getHtml(`/cases/${other.case}`);
  assert.match(page.html, /Consent withdrawn/);
  assert.match(page.html, /Close or reassign each open action/);
  assert.match(page.html, new RegExp(`href="/actions/${open.body.action.id}/status"`));
  assert.match(page.html, new RegExp(`href="/actions/${open.body.action.id}/edit"`));
  assert.doesNotMatch(page.html, new RegExp(`href="/actions/${closed.body.action.id}/status"`));
  // Reassigned, it may go only where the withdrawal leaves someone able to act: the school.
  const toEp = await api(coord, 'PUT', `/api/v1/actions/${open.body.action.id}`, {
    description: 'Observe at lunchtime', owner_service_id: svc.early_help, setting: 'school', nature: 'assessment',
  });
  assert.equal(toEp.status, 422);
  assert.match(fieldErrors(toEp.body).owner_service_id, /consent does not cover/);
  const toSchool = await api(coord, 'PUT', `/api/v1/actions/${open.body.action.id}`, {
    description: 'Observe at lunchtime', owner_service_id: svc.school, owner_name: 'SENCO', setting: 'school',
    nature: 'assessment',
  });
  assert.equal(toSchool.status, 200, JSON.stringify(toSchool.body));
});
