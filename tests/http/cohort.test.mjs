// Cohort discussions (issue 13, item 5): a meeting discusses a year group or
// cohort with no identified pupil; actions hang off it, reach their owners'
// work lists, are followed up and voided like a case's; whoever may see the
// meeting may see it; its text may not identify a child; the dashboard's
// figures for pupils do not move.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, csrfFrom, decodeHtml, nowSeconds, tasBin, TODAY, addDays, Client } from './harness.mjs';
import { api, fieldErrors, openCase, serviceIds, signedIn, sql, summaryMessages } from './case_fixture.mjs';

let srv;
let coord; let head; let senco; let prTeam; let prOther; let dpo; let evaluator;
const ids = {};

function cliUser(username, password, args) {
  const r = spawnSync(tasBin(), ['user', 'add', username, '--db', srv.db, '--name', `Test ${username}`, ...args],
    { input: `${password}\n`, encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, r.stderr);
}

async function signInAs(username, password) {
  const c = new Client(srv.base);
  const res = await c.postJson('/api/v1/sign-in', { username, password });
  const body = await res.json();
  assert.equal(res.status, 200, `sign-in of ${username}`);
  c.csrf = body.csrf;
  c.me = body.user;
  return c;
}

before(async () => {
  srv = await startServer({ extraArgs: ['--quiet'] });
  [coord, head, senco, dpo, evaluator] = await Promise.all(['coordinator', 'head', 'senco', 'dpo', 'evaluator']
    .map((u) => signedIn(srv, u)));
  ids.authority = coord.me.roles[0].scope_id;
  const school = head.me.roles[0].scope_id;
  ids.school = school;
  const c = await openCase(coord, school, { teamName: 'Cohort TAS', services: ['ep'] });
  Object.assign(ids, c);
  // Another team at another school, for a practitioner who is not in this one.
  const other = await api(coord, 'POST', '/api/v1/teams', { name: 'Other TAS', host_school_id: senco.me.roles[0].scope_id,
    cadence: 'fortnightly', weekday: 3, start_time: '13:30', duration_minutes: 90 });
  assert.equal(other.status, 201);
  ids.otherTeam = other.body.team.id;
  ids.svc = await serviceIds(coord);
  const now = nowSeconds();
  ids.meeting = Number(sql(srv, `INSERT INTO meetings (team_id, meeting_date, start_time, status, created_at, updated_at)
    VALUES (${ids.team}, '${TODAY}', '09:00', 'held', ${now}, ${now}) RETURNING id;`));
  assert.equal((await api(coord, 'POST', `/api/v1/meetings/${ids.meeting}/agenda`, { case_id: ids.case })).status, 201);
  // A CAMHS practitioner of the team (the pupil's consent does not cover
  // CAMHS), linked to a practitioner record, and an EP practitioner of the
  // other team.
  cliUser('cohort.pr', 'practitioner-pw-co1', ['--role', 'practitioner', '--scope', 'team', '--scope-id',
    String(ids.team), '--authority-id', String(ids.authority), '--detail', 'camhs']);
  cliUser('cohort.other', 'practitioner-pw-co2', ['--role', 'practitioner', '--scope', 'team', '--scope-id',
    String(ids.otherTeam), '--authority-id', String(ids.authority), '--detail', 'ep']);
  prTeam = await signInAs('cohort.pr', 'practitioner-pw-co1');
  prOther = await signInAs('cohort.other', 'practitioner-pw-co2');
  ids.pracTeam = Number(sql(srv, `INSERT INTO practitioners (authority_id, service_id, user_id, name, created_at, updated_at)
    VALUES (${ids.authority}, ${ids.svc.camhs}, ${prTeam.me.id}, 'Kim Harlow', ${now}, ${now}) RETURNING id;`));
  ids.pracOther = Number(sql(srv, `INSERT INTO practitioners (authority_id, service_id, user_id, name, created_at, updated_at)
    VALUES (${ids.authority}, ${ids.svc.ep}, ${prOther.me.id}, 'Lou Marsh', ${now}, ${now}) RETURNING id;`));
  const pupil = (await api(coord, 'GET', `/api/v1/pupils/${ids.pupil}`)).body.pupil;
  ids.forenames = pupil.forenames;
  ids.surname = pupil.surname;
  ids.upn = pupil.upn;
});

after(async () => {
  await srv?.stop({ expectExitZero: true });
});

const dashboard = async () => {
  const r = await api(coord, 'GET', '/api/v1/dashboard');
  assert.equal(r.status, 200);
  return r.body;
};

test('a meeting discusses a year group with no pupil; it joins the running order after the cases', async () => {
  ids.dashBefore = await dashboard();
  const r = await api(coord, 'POST', `/api/v1/meetings/${ids.meeting}/cohorts`,
    { description: 'Year 6 transition to secondary', year_group: '6' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  ids.cohort = r.body.cohort_discussion.id;
  assert.equal(r.body.cohort_discussion.year_group_label, 'Year 6');
  const ro = (await api(coord, 'GET', `/api/v1/meetings/${ids.meeting}/agenda`)).body.running_order;
  assert.deepEqual(ro.map((i) => i.kind), ['new', 'cohort']);
  assert.equal(ro[1].label, 'Year 6 transition to secondary');
  assert.deepEqual([ro[1].start, ro[1].end], ['09:15', '09:30']);
  // Through the page, without JavaScript: the form says not to name children.
  const page = await coord.getHtml(`/meetings/${ids.meeting}/agenda`);
  assert.ok(page.html.includes(`href="/meetings/${ids.meeting}/cohorts/new"`));
  const form = await coord.getHtml(`/meetings/${ids.meeting}/cohorts/new`);
  assert.equal(form.status, 200);
  assert.match(decodeHtml(form.html), /Do not name children/);
  const token = form.html.match(/name="form_token" value="([0-9a-f]{32})"/)[1];
  const sent = await coord.postForm(`/meetings/${ids.meeting}/cohorts`, { csrf: csrfFrom(form.html), form_token: token,
    description: 'Reception starters with speech and language needs', year_group: 'R' });
  assert.equal(sent.status, 303);
  assert.match(sent.headers.get('location'), /^\/cohort-discussions\/\d+\?saved=added$/);
  ids.cohort2 = Number(sent.headers.get('location').match(/\d+/)[0]);
});

test('the description must describe a group and must not identify a child', async () => {
  const refused = async (description) => {
    const r = await api(coord, 'POST', `/api/v1/meetings/${ids.meeting}/cohorts`, { description });
    assert.equal(r.status, 422, `${description}: ${JSON.stringify(r.body)}`);
    return fieldErrors(r.body).description;
  };
  assert.match(await refused(`Year 6, especially ${ids.forenames} ${ids.surname}`), /Remove the child's name/);
  assert.match(await refused(`Year 6 pupils, ${ids.forenames.toLowerCase()} ${ids.surname.toUpperCase()}`), /child's name/);
  assert.match(await refused(`Year 6 pupil ${ids.upn}`), /pupil number/);
  assert.match(await refused('Year 6 pupil born 04/12/2015'), /date/);
  assert.match(await refused('Worried about her behaviour at lunch'), /Describe a group of pupils/);
  assert.match(await refused(''), /Enter the year group or cohort/);
  assert.equal((await api(coord, 'POST', `/api/v1/meetings/${ids.meeting}/cohorts`,
    { description: 'Year 5 girls', year_group: '99' })).status, 422);
  // A school, if given, is one of the team's.
  const elsewhere = await api(coord, 'POST', `/api/v1/meetings/${ids.meeting}/cohorts`,
    { description: 'Year 5 girls', school_id: String(senco.me.roles[0].scope_id) });
  assert.equal(elsewhere.status, 422);
  assert.match(fieldErrors(elsewhere.body).school_id, /one of the team's schools/);
  // The page says so too.
  const form = await coord.getHtml(`/meetings/${ids.meeting}/cohorts/new`);
  const token = form.html.match(/name="form_token" value="([0-9a-f]{32})"/)[1];
  const bad = await coord.postForm(`/meetings/${ids.meeting}/cohorts`, { csrf: csrfFrom(form.html), form_token: token,
    description: `Year 6: ${ids.forenames} ${ids.surname}` });
  assert.equal(bad.status, 400);
  assert.match(decodeHtml(await bad.text()), /Remove the child&#39;s name|Remove the child's name/);
});

test('whoever may see the meeting may see its cohort discussions; only the agenda\'s editors change them', async () => {
  // A CAMHS practitioner of the team: the pupil's consent does not cover
  // CAMHS, so the case is hidden, but the cohort is not.
  const seen = await api(prTeam, 'GET', `/api/v1/cohort-discussions/${ids.cohort}`);
  assert.equal(seen.status, 200);
  assert.equal(seen.body.can_edit, false);
  const ro = (await api(prTeam, 'GET', `/api/v1/meetings/${ids.meeting}/agenda`)).body.running_order;
  assert.deepEqual(ro.map((i) => [i.kind, i.visible]), [['new', false], ['cohort', true], ['cohort', true]]);
  assert.ok(!JSON.stringify(ro).includes(ids.surname));
  assert.equal((await api(dpo, 'GET', `/api/v1/cohort-discussions/${ids.cohort}`)).status, 200);
  for (const c of [prOther, senco, evaluator])
    assert.equal((await api(c, 'GET', `/api/v1/cohort-discussions/${ids.cohort}`)).status, 404);
  assert.equal((await api(prTeam, 'POST', `/api/v1/meetings/${ids.meeting}/cohorts`,
    { description: 'Year 4 boys' })).status, 403);
  assert.equal((await api(prOther, 'POST', `/api/v1/meetings/${ids.meeting}/cohorts`,
    { description: 'Year 4 boys' })).status, 404);
  // The host school's head may change the agenda, so may add a cohort.
  assert.equal((await api(head, 'POST', `/api/v1/meetings/${ids.meeting}/cohorts`,
    { description: 'Year 3 class with a supply teacher' })).status, 201);
});

test('minutes of a cohort discussion, checked like its description', async () => {
  const ok = await api(coord, 'PUT', `/api/v1/cohort-discussions/${ids.cohort}`,
    { minutes: 'Transition visits to the two secondary schools; extra visit for anxious pupils.' });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.match(ok.body.cohort_discussion.minutes, /Transition visits/);
  const named = await api(coord, 'PUT', `/api/v1/cohort-discussions/${ids.cohort}`,
    { minutes: `Extra visit for ${ids.forenames} ${ids.surname}.` });
  assert.equal(named.status, 422);
  assert.match(fieldErrors(named.body).minutes, /child's name/);
  // Minutes may give the dates of what happens; never a pupil's number.
  assert.equal((await api(coord, 'PUT', `/api/v1/cohort-discussions/${ids.cohort}`,
    { minutes: 'Visits on 12/05/2027 and 19/05/2027.' })).status, 200);
  assert.equal((await api(coord, 'PUT', `/api/v1/cohort-discussions/${ids.cohort}`,
    { minutes: `Visits on 12/05/2027; see ${ids.upn.toLowerCase()}.` })).status, 422);
  assert.equal((await api(coord, 'PUT', `/api/v1/cohort-discussions/${ids.cohort}`,
    { minutes: 'Transition visits to the two secondary schools; extra visit for anxious pupils.' })).status, 200);
});

const work = async (c) => {
  const r = await api(c, 'GET', '/api/v1/work');
  assert.equal(r.status, 200);
  return (r.body.cohort_actions?.items || []).map((x) => x.id);
};

test('actions hang off a cohort discussion and reach their owners\' work lists', async () => {
  const add = (body) => api(coord, 'POST', `/api/v1/cohort-discussions/${ids.cohort}/actions`, body);
  const mine = await add({ description: 'CAMHS to run a transition worry workshop', owner_practitioner_id: ids.pracTeam,
    due_on: addDays(TODAY, 20) });
  assert.equal(mine.status, 201, JSON.stringify(mine.body));
  ids.actMine = mine.body.cohort_action.id;
  const school = await add({ description: 'Year 6 team to share transition booklets', owner_service_id: ids.svc.school,
    owner_name: 'Year 6 lead' });
  assert.equal(school.status, 201, JSON.stringify(school.body));
  ids.actSchool = school.body.cohort_action.id;
  const late = await add({ description: 'Coordinator to collect secondary school open days', owner_name: 'Coordinator',
    due_on: addDays(TODAY, -3) });
  assert.equal(late.status, 201, JSON.stringify(late.body));
  ids.actLate = late.body.cohort_action.id;
  // Refused: no owner; a practitioner who cannot see this team's meetings; a child named.
  assert.equal((await add({ description: 'Someone to do something for Year 6' })).status, 422);
  const unreachable = await add({ description: 'EP to advise Year 6 staff', owner_practitioner_id: ids.pracOther });
  assert.equal(unreachable.status, 422);
  assert.match(fieldErrors(unreachable.body).owner_practitioner_id, /Lou Marsh cannot see this team's meetings/);
  assert.equal((await add({ description: `Call ${ids.forenames} ${ids.surname}'s family`, owner_name: 'SENCO' })).status, 422);

  assert.deepEqual(await work(prTeam), [ids.actMine], 'the practitioner who owns it');
  assert.deepEqual(await work(head), [ids.actSchool], 'the school\'s staff, for a school-owned action');
  assert.deepEqual(await work(senco), [], 'not another school\'s staff');
  assert.deepEqual(await work(coord), [ids.actLate], 'the coordinator: what is overdue');
  const page = await prTeam.getHtml('/work');
  assert.match(decodeHtml(page.html), /Actions for year groups and cohorts \(1\)/);
  assert.ok(page.html.includes(`href="/cohort-actions/${ids.actMine}"`));
});

test('a cohort action is changed like a pupil\'s: description, owner and due date, checked the same, audited', async () => {
  const id = ids.actLate;
  // The link is the agenda's editors'; the owner of another action changes only its status.
  const view = await coord.getHtml(`/cohort-actions/${id}`);
  assert.ok(view.html.includes(`href="/cohort-actions/${id}/edit"`), 'the editor is offered the change');
  assert.ok(!(await prTeam.getHtml(`/cohort-actions/${ids.actMine}`)).html.includes(`/cohort-actions/${ids.actMine}/edit`));
  assert.equal((await api(prTeam, 'PUT', `/api/v1/cohort-actions/${ids.actMine}`,
    { description: 'Changed by the owner', owner_name: 'Me' })).status, 403);
  // The form, filled in with what the action says.
  const form = await coord.getHtml(`/cohort-actions/${id}/edit`);
  assert.equal(form.status, 200);
  const due = addDays(TODAY, -3).split('-').map(Number);
  assert.match(form.html, /Coordinator to collect secondary school open days/);
  assert.match(form.html, new RegExp(`name="due_on-day"[^>]*value="${due[2]}"`));
  assert.match(form.html, new RegExp(`name="due_on-year"[^>]*value="${due[0]}"`));
  const token = () => form.html.match(/name="form_token" value="([0-9a-f]{32})"/)?.[1] || '';
  // Errors in GOV.UK style, linked to their fields, nothing typed lost.
  const bad = await coord.postForm(`/cohort-actions/${id}/edit`, { csrf: csrfFrom(form.html), form_token: token(),
    description: '', owner_service_id: '', owner_practitioner_id: String(ids.pracOther), owner_name: 'Year 6 lead',
    'due_on-day': '31', 'due_on-month': '2', 'due_on-year': String(due[0] + 1) });
  assert.equal(bad.status, 400);
  const badHtml = await bad.text();
  const msgs = summaryMessages(badHtml);
  assert.ok(msgs.includes('Enter a description of the action'), msgs.join(' | '));
  assert.ok(msgs.some((m) => /Lou Marsh cannot see this team's meetings/.test(m)), msgs.join(' | '));
  assert.ok(msgs.includes('The due date must be a real date'), msgs.join(' | '));
  assert.match(badHtml, /href="#f-due_on-day"/);
  assert.match(badHtml, /href="#f-description"/);
  assert.match(badHtml, /name="owner_name"[^>]*value="Year 6 lead"/);
  assert.match(badHtml, /name="due_on-day"[^>]*value="31"/);
  // A child named is refused as on adding.
  const named = await api(coord, 'PUT', `/api/v1/cohort-actions/${id}`,
    { description: `Call ${ids.forenames} ${ids.surname}'s family`, owner_name: 'SENCO' });
  assert.equal(named.status, 422);
  assert.equal((await api(coord, 'PUT', `/api/v1/cohort-actions/${id}`, { description: 'Something' })).status, 422,
    'an owner is needed');
  // Given to the school, due later: it leaves the coordinator's overdue list and reaches the school's staff.
  const later = addDays(TODAY, 14).split('-').map(Number);
  const ok = await coord.postForm(`/cohort-actions/${id}/edit`, { csrf: csrfFrom(form.html), form_token: token(),
    description: 'Coordinator and school to collect open days', owner_service_id: String(ids.svc.school),
    owner_practitioner_id: '', owner_name: '', 'due_on-day': String(later[2]), 'due_on-month': String(later[1]),
    'due_on-year': String(later[0]) });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get('location'), `/cohort-actions/${id}?saved=changed`);
  const got = (await api(coord, 'GET', `/api/v1/cohort-actions/${id}`)).body.cohort_action;
  assert.equal(got.description, 'Coordinator and school to collect open days');
  assert.equal(got.due_on, addDays(TODAY, 14));
  assert.equal(got.owner_service_id, ids.svc.school);
  assert.deepEqual(await work(coord), [], 'no longer overdue');
  assert.deepEqual((await work(head)).sort(), [ids.actSchool, id].sort(), 'now the school\'s');
  assert.match(decodeHtml((await coord.getHtml(ok.headers.get('location'))).html), /Action changed/);
  // In the audit log as a change of that record.
  const audit = await api(dpo, 'GET', '/api/v1/audit?per_page=200');
  assert.equal(audit.status, 200);
  assert.ok(audit.body.entries.some((e) => e.action === 'edit' && e.resource_id === id && /cohort/.test(e.resource_kind)),
    'the change is in the audit trail');
  // Back as it was for what follows (through the API).
  const back = await api(coord, 'PUT', `/api/v1/cohort-actions/${id}`,
    { description: 'Coordinator to collect secondary school open days', owner_name: 'Coordinator', due_on: addDays(TODAY, -3) });
  assert.equal(back.status, 200, JSON.stringify(back.body));
  assert.deepEqual(await work(coord), [id]);
});

test('follow-up and void work as for other discussions', async () => {
  // The owner marks theirs done; a reason is needed for "not done".
  assert.equal((await api(prTeam, 'PUT', `/api/v1/cohort-actions/${ids.actMine}/status`,
    { status: 'not_done', not_done_reason: '' })).status, 422);
  const done = await api(prTeam, 'PUT', `/api/v1/cohort-actions/${ids.actMine}/status`,
    { status: 'done', outcome: 'Workshop held for the year group' });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.equal(done.body.cohort_action.closed_on, TODAY);
  assert.deepEqual(await work(prTeam), []);
  // Someone who neither owns it nor edits the agenda may not; voiding is the editors'.
  assert.equal((await api(prTeam, 'PUT', `/api/v1/cohort-actions/${ids.actSchool}/status`, { status: 'done' })).status, 403);
  assert.equal((await api(prTeam, 'POST', `/api/v1/cohort-actions/${ids.actSchool}/void`,
    { void_reason: 'Entered twice' })).status, 403);
  assert.equal((await api(coord, 'POST', `/api/v1/cohort-actions/${ids.actSchool}/void`, { void_reason: '' })).status, 422);
  const voided = await api(coord, 'POST', `/api/v1/cohort-actions/${ids.actSchool}/void`, { void_reason: 'Entered twice' });
  assert.equal(voided.status, 200, JSON.stringify(voided.body));
  assert.equal(voided.body.cohort_action.voided, true);
  assert.deepEqual(await work(head), [], 'a voided action leaves the work list');
  assert.equal((await api(coord, 'POST', `/api/v1/cohort-actions/${ids.actSchool}/void`,
    { void_reason: 'Again' })).status, 422, 'already voided');
  // It stays on the discussion's page, marked.
  const page = decodeHtml((await coord.getHtml(`/cohort-discussions/${ids.cohort}`)).html);
  assert.ok(page.includes('Year 6 team to share transition booklets') && page.includes('Voided'));
  // Voiding the discussion takes it off the running order and its actions off every work list.
  const v = await coord.getHtml(`/cohort-discussions/${ids.cohort}/void`);
  assert.equal(v.status, 200);
  const gone = await coord.postForm(`/cohort-discussions/${ids.cohort}/void`,
    { csrf: csrfFrom(v.html), void_reason: 'Added to the wrong meeting' });
  assert.equal(gone.status, 303);
  assert.deepEqual(await work(coord), []);
  const ro = (await api(coord, 'GET', `/api/v1/meetings/${ids.meeting}/agenda`)).body.running_order;
  assert.ok(!ro.some((i) => i.kind === 'cohort' && i.id === ids.cohort));
  const after = await api(coord, 'GET', `/api/v1/cohort-discussions/${ids.cohort}`);
  assert.equal(after.body.cohort_discussion.voided, true);
  assert.equal((await api(coord, 'POST', `/api/v1/cohort-discussions/${ids.cohort}/actions`,
    { description: 'More for Year 6', owner_name: 'Coordinator' })).status, 422);
});

test('cohort discussions are in the packs and in no pupil figure of the dashboard', async () => {
  const agenda = decodeHtml((await coord.getHtml(`/meetings/${ids.meeting}/pack/agenda`)).html);
  assert.ok(agenda.includes('Reception starters with speech and language needs'));
  assert.ok(!agenda.includes('Year 6 transition to secondary'), 'voided: left out');
  const camhs = decodeHtml((await prTeam.getHtml(`/meetings/${ids.meeting}/pack/agenda`)).html);
  assert.ok(camhs.includes('Reception starters with speech and language needs'));
  assert.ok(!camhs.includes(ids.surname));
  // The team page counts them (held meetings, voided ones left out): the
  // Reception and Year 3 cohorts, not the voided Year 6 one.
  const team = await api(coord, 'GET', `/api/v1/teams/${ids.team}`);
  assert.equal(team.body.meeting_counts.cohort_discussions, 2);
  assert.match(decodeHtml((await coord.getHtml(`/teams/${ids.team}`)).html),
    /Year groups and cohorts discussed at its meetings so far: 2\./);
  // Cohort discussions and their actions change no dashboard figure.
  assert.deepEqual(await dashboard(), ids.dashBefore);
});
