// The meeting (issue 10, item 6): actions added from the minutes page with
// the meeting chosen, the running order with time slots, the location, and
// the printable agenda and minutes-and-actions packs, which show nobody a
// pupil they may not see (the family's consent decides for practitioners).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, csrfFrom, decodeHtml, nowSeconds, tasBin, TODAY, Client, DEMO_PASSWORD } from './harness.mjs';
import { api, openCase, serviceIds, signedIn, sql } from './case_fixture.mjs';

let srv;
let coord; let head; let prEp; let prCamhs;
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
  return c;
}

before(async () => {
  srv = await startServer({ extraArgs: ['--quiet'] });
  [coord, head] = await Promise.all(['coordinator', 'head'].map((u) => signedIn(srv, u)));
  const school = head.me.roles[0].scope_id;
  // Pupil A: consent covers EP and CAMHS; pupil B: EP only.
  const a = await openCase(coord, school, { teamName: 'Packs TAS', services: ['ep', 'camhs'] });
  ids.team = a.team;
  ids.caseA = a.case;
  ids.pupilA = a.pupil;
  const svc = await serviceIds(coord);
  ids.svc = svc;
  const pupils = (await api(coord, 'GET', `/api/v1/pupils?school=${school}&per_page=5`)).body.pupils
    .filter((p) => p.school.id === school);
  const b = pupils[1];
  ids.pupilB = b.id;
  const consent = await api(coord, 'POST', `/api/v1/pupils/${b.id}/consents`, {
    given_by: 'Jo Example', relationship: 'father', given_on: '2025-09-10', covers_discussion: 'yes',
    service_ids: [String(svc.ep)],
  });
  assert.equal(consent.status, 201, JSON.stringify(consent.body));
  const kase = await api(coord, 'POST', `/api/v1/pupils/${b.id}/cases`, { team_id: ids.team, need_semh: 'Withdrawn.' });
  assert.equal(kase.status, 201, JSON.stringify(kase.body));
  ids.caseB = kase.body.case.id;
  ids.nameA = `${pupils[0].forenames} ${pupils[0].surname}`;
  ids.nameB = `${b.forenames} ${b.surname}`;
  const now = nowSeconds();
  ids.meeting = Number(sql(srv, `INSERT INTO meetings (team_id, meeting_date, start_time, status, created_at, updated_at)
    VALUES (${ids.team}, '${TODAY}', '13:30', 'held', ${now}, ${now}) RETURNING id;`));
  for (const c of [ids.caseA, ids.caseB]) {
    const r = await api(coord, 'POST', `/api/v1/meetings/${ids.meeting}/agenda`, { case_id: c });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const items = (await api(coord, 'GET', `/api/v1/meetings/${ids.meeting}/agenda`)).body.items;
  ids.discA = items.find((i) => i.case_id === ids.caseA).id;
  ids.discB = items.find((i) => i.case_id === ids.caseB).id;
  for (const [d, text] of [[ids.discA, 'Agreed a reduced timetable review.'], [ids.discB, 'Agreed a home visit.']]) {
    const r = await api(coord, 'PUT', `/api/v1/discussions/${d}`, { minutes: text });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  }
  // Two practitioners of the team: one for EP (both consents cover it), one
  // for CAMHS (only pupil A's consent covers it).
  const team = ['--scope', 'team', '--scope-id', String(ids.team), '--authority-id', String(coord.me.roles[0].scope_id)];
  cliUser('pack.ep', 'practitioner-pw-ep1', ['--role', 'practitioner', ...team, '--detail', 'ep']);
  cliUser('pack.camhs', 'practitioner-pw-cm1', ['--role', 'practitioner', ...team, '--detail', 'camhs']);
  prEp = await signInAs('pack.ep', 'practitioner-pw-ep1');
  prCamhs = await signInAs('pack.camhs', 'practitioner-pw-cm1');
});

after(async () => {
  await srv?.stop({ expectExitZero: true });
});

test('the minutes page adds an action with its meeting chosen, and the form returns to the minutes', async () => {
  const minutes = await coord.getHtml(`/discussions/${ids.discA}`);
  assert.equal(minutes.status, 200);
  const href = `/cases/${ids.caseA}/actions/new?discussion_id=${ids.discA}`;
  assert.ok(minutes.html.includes(`href="${href.replace('&', '&amp;')}"`) || minutes.html.includes(`href="${href}"`),
    'the minutes page links to a new action for this discussion');
  const form = await coord.getHtml(href);
  assert.equal(form.status, 200);
  assert.match(form.html, new RegExp(`<option value="${ids.discA}" selected>`), 'the meeting is chosen already');
  assert.match(form.html, /name="return_to" value="minutes"/);
  const token = form.html.match(/name="form_token" value="([0-9a-f]{32})"/)[1];
  const res = await coord.postForm(`/cases/${ids.caseA}/actions`, {
    csrf: csrfFrom(form.html), form_token: token, return_to: 'minutes', discussion_id: String(ids.discA),
    description: 'Class teacher to keep a lunchtime diary', owner_name: 'Class teacher', setting: 'school',
    nature: 'school_adjustment', 'due_on-day': '', 'due_on-month': '', 'due_on-year': '',
  });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `/discussions/${ids.discA}?saved=action`);
  const actions = (await api(coord, 'GET', `/api/v1/cases/${ids.caseA}/actions`)).body.actions;
  const made = actions.find((x) => x.description === 'Class teacher to keep a lunchtime diary');
  assert.equal(made.discussion_id, ids.discA);
  const again = await coord.getHtml(`/discussions/${ids.discA}?saved=action`);
  assert.ok(again.html.includes('Class teacher to keep a lunchtime diary'), 'listed under the minutes');
  // Without the minutes page the form is as before: no meeting chosen, back to the case.
  const plain = await coord.getHtml(`/cases/${ids.caseA}/actions/new`);
  assert.doesNotMatch(plain.html, /name="return_to"/);
  assert.doesNotMatch(plain.html, new RegExp(`<option value="${ids.discA}" selected>`));
});

const order = async (c = coord) => (await api(c, 'GET', `/api/v1/meetings/${ids.meeting}/agenda`)).body.running_order;

test('the running order: slots run from the start by each item\'s minutes; items move up and down by POST forms', async () => {
  let ro = await order();
  assert.equal(ro.length, 2);
  assert.deepEqual(ro.map((i) => [i.start, i.end, i.minutes]), [['13:30', '13:45', 15], ['13:45', '14:00', 15]]);
  const firstCase = ro[0].case_id;
  // The page's forms, without JavaScript: move the first item down.
  const page = await coord.getHtml(`/meetings/${ids.meeting}/agenda`);
  assert.equal(page.status, 200);
  assert.match(page.html, /action="\/meetings\/\d+\/agenda\/move"/);
  assert.ok(page.html.includes('13:30 to 13:45'));
  const moved = await coord.postForm(`/meetings/${ids.meeting}/agenda/move`,
    { csrf: csrfFrom(page.html), item: ro[0].item, dir: 'down' });
  assert.equal(moved.status, 303);
  ro = await order();
  assert.notEqual(ro[0].case_id, firstCase);
  assert.equal(ro[1].case_id, firstCase);
  // The first cannot go up.
  const refused = await api(coord, 'POST', `/api/v1/meetings/${ids.meeting}/agenda/move`, { item: ro[0].item, dir: 'up' });
  assert.equal(refused.status, 422);
  // Minutes per item: 25 for the first, so the second starts at 13:55.
  const set = await coord.postForm(`/meetings/${ids.meeting}/agenda/minutes`,
    { csrf: csrfFrom(page.html), item: ro[0].item, minutes: '25' });
  assert.equal(set.status, 303);
  ro = await order();
  assert.deepEqual(ro.map((i) => [i.start, i.end]), [['13:30', '13:55'], ['13:55', '14:10']]);
  assert.equal((await api(coord, 'POST', `/api/v1/meetings/${ids.meeting}/agenda/minutes`,
    { item: ro[0].item, minutes: '0' })).status, 422);
  assert.equal((await api(coord, 'POST', `/api/v1/meetings/${ids.meeting}/agenda/minutes`,
    { item: 'd-999999', minutes: '10' })).status, 422);
  // Moving back restores the first order; the positions are kept.
  assert.equal((await api(coord, 'POST', `/api/v1/meetings/${ids.meeting}/agenda/move`,
    { item: ro[1].item, dir: 'up' })).status, 200);
  ro = await order();
  assert.equal(ro[0].case_id, firstCase);
  assert.deepEqual(ro.map((i) => [i.start, i.end]), [['13:30', '13:45'], ['13:45', '14:10']]);
  // A practitioner of the team sees the order but may not change it.
  const r = await api(prEp, 'POST', `/api/v1/meetings/${ids.meeting}/agenda/move`, { item: ro[0].item, dir: 'down' });
  assert.equal(r.status, 403);
});

test('the meeting\'s location: the team\'s, or its own; shown on the meeting, agenda and packs', async () => {
  sql(srv, `UPDATE teams SET location = 'Main hall, host school' WHERE id = ${ids.team};`);
  let page = await coord.getHtml(`/meetings/${ids.meeting}`);
  assert.ok(page.html.includes('Main hall, host school'));
  const set = await api(coord, 'PUT', `/api/v1/meetings/${ids.meeting}/location`, { location: 'Library, room 4' });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  assert.equal(set.body.location, 'Library, room 4');
  for (const p of [`/meetings/${ids.meeting}`, `/meetings/${ids.meeting}/agenda`, `/meetings/${ids.meeting}/pack/agenda`,
    `/meetings/${ids.meeting}/pack/minutes`]) {
    page = await coord.getHtml(p);
    assert.equal(page.status, 200, p);
    assert.ok(page.html.includes('Library, room 4'), p);
  }
  assert.equal((await api(coord, 'GET', `/api/v1/meetings/${ids.meeting}`)).body.meeting.location, 'Library, room 4');
  assert.equal((await api(prEp, 'PUT', `/api/v1/meetings/${ids.meeting}/location`, { location: 'Elsewhere' })).status, 403);
  assert.equal((await api(coord, 'PUT', `/api/v1/meetings/${ids.meeting}/location`, { location: 'a\u0001b' })).status, 422);
});

test('the agenda page\'s case sections follow the running order set by hand, as the packs do', async () => {
  const sectionNames = (html) => {
    const m = /<h2 class="govuk-heading-m">2\. New cases<\/h2>([\s\S]*?)<h2 class="govuk-heading-m">3\./.exec(html);
    assert.ok(m, 'the new cases section');
    return [...m[1].matchAll(/href="\/cases\/(\d+)"/g)].map((x) => Number(x[1]));
  };
  let ro = await order();
  const before = ro.map((i) => i.case_id);
  assert.deepEqual(sectionNames((await coord.getHtml(`/meetings/${ids.meeting}/agenda`)).html), before);
  assert.equal((await api(coord, 'POST', `/api/v1/meetings/${ids.meeting}/agenda/move`,
    { item: ro[0].item, dir: 'down' })).status, 200);
  ro = await order();
  const after = ro.map((i) => i.case_id);
  assert.deepEqual(after, [...before].reverse());
  // The page's section, the API's items and their numbers, and the pack: one order.
  assert.deepEqual(sectionNames((await coord.getHtml(`/meetings/${ids.meeting}/agenda`)).html), after);
  const items = (await api(coord, 'GET', `/api/v1/meetings/${ids.meeting}/agenda`)).body.items;
  assert.deepEqual(items.map((i) => i.case_id), after);
  assert.deepEqual(items.map((i) => i.number), [1, 2]);
  const pack = decodeHtml((await coord.getHtml(`/meetings/${ids.meeting}/pack/agenda`)).html);
  const [first, second] = after[0] === ids.caseA ? [ids.nameA, ids.nameB] : [ids.nameB, ids.nameA];
  assert.ok(pack.indexOf(first) >= 0 && pack.indexOf(first) < pack.indexOf(second), 'the pack in the same order');
  // Back as it was for the tests that follow.
  assert.equal((await api(coord, 'POST', `/api/v1/meetings/${ids.meeting}/agenda/move`,
    { item: ro[1].item, dir: 'up' })).status, 200);
  assert.deepEqual((await order()).map((i) => i.case_id), before);
});

test('the agenda pack: times, location and each pupil the viewer may see; consent decides for practitioners', async () => {
  const full = decodeHtml((await coord.getHtml(`/meetings/${ids.meeting}/pack/agenda`)).html);
  assert.ok(full.includes(ids.nameA) && full.includes(ids.nameB));
  assert.ok(full.includes('13:30 to 13:45'));
  assert.ok(full.includes('class="tas-pack"'));
  // EP: both consents cover EP.
  const ep = decodeHtml((await prEp.getHtml(`/meetings/${ids.meeting}/pack/agenda`)).html);
  assert.ok(ep.includes(ids.nameA) && ep.includes(ids.nameB));
  // CAMHS: only pupil A's consent covers CAMHS, so B is not in the pack.
  const camhs = await prCamhs.getHtml(`/meetings/${ids.meeting}/pack/agenda`);
  assert.equal(camhs.status, 200);
  const text = decodeHtml(camhs.html);
  assert.ok(text.includes(ids.nameA), 'pupil A is shown');
  assert.ok(!text.includes(ids.nameB), 'pupil B is not shown');
  assert.ok(!text.includes('Agreed a home visit.'));
  assert.match(text, /1 item\(s\) on this agenda are about pupils you do not have access to/);
  const json = await api(prCamhs, 'GET', `/api/v1/meetings/${ids.meeting}/pack/agenda`);
  assert.equal(json.status, 200);
  assert.ok(!JSON.stringify(json.body).includes(ids.nameB));
  assert.equal(json.body.hidden, 1);
  // Not a member of the team: not found.
  assert.equal((await api(await signedIn(srv, 'practitioner'), 'GET', `/api/v1/meetings/${ids.meeting}/pack/agenda`)).status, 404);
});

test('the minutes-and-actions pack: attendance, minutes and the actions agreed, within the same limits', async () => {
  const full = decodeHtml((await coord.getHtml(`/meetings/${ids.meeting}/pack/minutes`)).html);
  assert.ok(full.includes('Agreed a reduced timetable review.'));
  assert.ok(full.includes('Agreed a home visit.'));
  assert.ok(full.includes('Class teacher to keep a lunchtime diary'), 'the action agreed at the meeting');
  const camhs = decodeHtml((await prCamhs.getHtml(`/meetings/${ids.meeting}/pack/minutes`)).html);
  assert.ok(camhs.includes('Agreed a reduced timetable review.'));
  assert.ok(!camhs.includes('Agreed a home visit.') && !camhs.includes(ids.nameB));
  // Viewing a pack names pupils: it is in the audit log as a list view.
  const n = Number(sql(srv, `SELECT count(*) FROM audit_log WHERE resource_kind = 'meeting' AND action = 'list'
    AND resource_id = ${ids.meeting};`));
  assert.ok(n > 0, 'audited');
});

test('the packs print with the print stylesheet built by Sass (no PDF)', async () => {
  const page = await coord.getHtml(`/meetings/${ids.meeting}/pack/minutes`);
  const css = page.html.match(/<link[^>]+href="([^"]+\.css[^"]*)"/);
  assert.ok(css, 'the page links the stylesheet');
  const res = await coord.get(css[1]);
  assert.equal(res.status, 200);
  const text = await res.text();
  // Each item kept on one page, on A4, and links printed as text without their addresses.
  assert.ok(/@media print\{@page\{size:A4[^}]*\}[^@]*\.tas-pack__item\{break-inside:avoid/.test(text),
    'the packs\' print rules are in the stylesheet');
  assert.ok(text.includes('.tas-pack a::after{content:none'), 'no addresses after printed links');
  // No PDF route.
  assert.equal((await coord.get(`/meetings/${ids.meeting}/pack/minutes.pdf`)).status, 404);
});
