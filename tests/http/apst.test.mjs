// Alternative Provision Specialist Taskforces (issue 19): a taskforce in
// an AP school with its specialists and the four-types warning, agreements
// with overdue reviews, referrals (formal and informal, outreach to a
// mainstream pupil) and their triage, weekly case meetings kept as the
// team's meetings, the intervention log, and the MI return (page, JSON and
// CSV) with small counts suppressed.  Who may see a taskforce: its manager
// and specialists (the apst_manager and apst_specialist roles in team scope
// on its team), the authority's coordinator and lead, the DPO; nobody else.
// A specialist sees only the referrals they lead or are assigned to, and
// only while the referral's consent covers their type; they log their own
// time.  Costs: planned at the advice's averages against actual.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { inflateRawSync } from 'node:zlib';
import { startServer, Client, TODAY, addDays, tasBin, upnFor, newPupilJson, birthDateFor, decodeHtml } from './harness.mjs';
import { dbSql } from './harness.mjs';

let srv, coord, lead, head, manager, spec, other, admin, dpo;
const ids = {};
const PAST = addDays(TODAY, -30);

function sql(q) {
  return dbSql(srv.db, q);
}

function cliUser(username, password, args) {
  const r = spawnSync(tasBin(), ['user', 'add', username, '--db', srv.db, '--name', `Test ${username}`, ...args],
    { input: `${password}\n`, encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, r.stderr);
}

async function signIn(user, password = 'demo-password') {
  const c = new Client(srv.base);
  const res = await c.postJson('/api/v1/sign-in', { username: user, password });
  assert.equal(res.status, 200, `sign-in of ${user}`);
  c.csrf = (await res.json()).csrf;
  const html = new Client(srv.base);
  assert.equal((await html.signIn(user, password)).status, 303);
  c.html = html;
  return c;
}

async function made(c, p, body, what) {
  const r = await c.api('POST', p, body);
  assert.equal(r.status, 201, `${what}: ${r.text}`);
  return r.json;
}

before(async () => {
  srv = await startServer({ seed: 19 });
  [coord, lead, head, admin, dpo] = await Promise.all(['coordinator', 'lead', 'head', 'admin', 'dpo'].map((u) => signIn(u)));
  ids.A = Number(sql("SELECT authority_id FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.username = 'coordinator'"));
  ids.mainstream = Number(sql("SELECT scope_id FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.username = 'head'"));
  // An AP school in the demo authority, and a second one for another taskforce.
  ids.ap = (await made(admin, '/api/v1/schools', { urn: '190001', name: 'Riverside Alternative Provision Academy',
    phase: 'ap', pupils_on_roll: 60, fsm_pct: 58, sen_pct: 83, tas_member: 'yes', authority_id: ids.A }, 'AP school')).school.id;
  ids.ap2 = (await made(admin, '/api/v1/schools', { urn: '190002', name: 'Hillside Pupil Referral Unit',
    phase: 'ap', pupils_on_roll: 40, tas_member: 'yes', authority_id: ids.A }, 'AP school 2')).school.id;
  const tf = await made(coord, '/api/v1/apst', { name: 'Riverside taskforce', school_id: ids.ap,
    manager_name: 'Sam Okafor', manager_fte: '0.6', started_on: addDays(TODAY, -200) }, 'taskforce');
  ids.tf = tf.taskforce.id;
  ids.team = tf.taskforce.team_id;
  ids.tf2 = (await made(coord, '/api/v1/apst', { name: 'Hillside taskforce', school_id: ids.ap2,
    manager_name: 'Jo Bell', manager_fte: '1', started_on: PAST }, 'taskforce 2')).taskforce.id;
  const team2 = Number(sql(`SELECT team_id FROM apst_taskforces WHERE id = ${ids.tf2}`));
  const scope = (team) => ['--scope', 'team', '--scope-id', String(team), '--authority-id', String(ids.A)];
  cliUser('tf.manager', 'manager-pass-0019', ['--role', 'apst_manager', ...scope(ids.team)]);
  cliUser('tf.spec', 'specialist-pass-19', ['--role', 'apst_specialist', ...scope(ids.team), '--detail', 'mental_health']);
  cliUser('tf.other', 'other-taskforce-19', ['--role', 'apst_manager', ...scope(team2)]);
  manager = await signIn('tf.manager', 'manager-pass-0019');
  spec = await signIn('tf.spec', 'specialist-pass-19');
  other = await signIn('tf.other', 'other-taskforce-19');
  // Pupils on the AP school's roll (the manager sees them) and one of a mainstream school.
  ids.pupils = [];
  for (let i = 0; i < 7; i++) {
    const p = newPupilJson(1900 + i, ids.ap);
    p.nc_year = '10';
    p.date_of_birth = birthDateFor('10');
    p.sen_provision = i < 5 ? 'K' : 'N';
    ids.pupils.push((await made(coord, '/api/v1/pupils', p, `AP pupil ${i}`)).pupil.id);
  }
  ids.mainPupil = Number(sql(`SELECT id FROM pupils WHERE school_id = ${ids.mainstream} ORDER BY id LIMIT 1`));
  ids.mainUpn = sql(`SELECT upn FROM pupils WHERE id = ${ids.mainPupil}`);
});

after(async () => { await srv?.stop({ expectExitZero: true }); });

test('a taskforce needs an AP school and a manager; it is a team whose meetings are the case meetings', async () => {
  const bad = await coord.api('POST', '/api/v1/apst', { name: 'Wrong', school_id: ids.mainstream, manager_name: '',
    manager_fte: '1.5', started_on: 'soon' });
  assert.equal(bad.status, 422);
  const fields = bad.json.errors.map((e) => e.field).sort();
  assert.deepEqual(fields, ['manager_fte', 'manager_name', 'school_id', 'started_on']);
  assert.match(bad.json.errors.find((e) => e.field === 'school_id').message, /alternative provision/);
  // The team exists with the AP school as host, and the manager's FTE is whole hundredths.
  const t = (await coord.api('GET', `/api/v1/apst/${ids.tf}`)).json.taskforce;
  assert.equal(t.manager_fte_hundredths, 60);
  assert.equal(t.manager_fte, '0.6');
  assert.equal(t.school.id, ids.ap);
  const team = await coord.api('GET', `/api/v1/teams/${ids.team}`);
  assert.equal(team.status, 200);
  // Only coordinators of the authority (and administrators) make taskforces.
  for (const c of [manager, spec, head, lead]) {
    const r = await c.api('POST', '/api/v1/apst', { name: 'X', school_id: ids.ap, manager_name: 'Y',
      manager_fte: '1', started_on: PAST });
    assert.equal(r.status, 403);
  }
  const form = await coord.html.getHtml('/apst/new');
  assert.equal(form.status, 200);
  assert.match(form.html, /Riverside Alternative Provision Academy/);
  const mainName = sql(`SELECT name FROM schools WHERE id = ${ids.mainstream}`);
  assert.doesNotMatch(decodeHtml(form.html), new RegExp(`>${mainName}<`), 'mainstream schools are not offered');
});

test('specialists: the warning while fewer than four recommended types are in post', async () => {
  const add = (kind, fte, extra = {}) => manager.api('POST', `/api/v1/apst/${ids.tf}/specialists`, {
    kind, name: `${kind} worker`, fte, days_on_site: '3', home_service: 'Home service', funding: 'secondment',
    supervision: 'home_clinical', starts_on: addDays(TODAY, -100), ...extra });
  // The mental health therapist's post is linked to their account.
  assert.equal((await add('mental_health', '0.6', { username: 'tf.spec' })).status, 201);
  for (const [k, f] of [['salt', '0.4'], ['other', '1']]) {
    assert.equal((await add(k, f)).status, 201);
  }
  // A youth offending worker who has left, and one who starts next month, do not count.
  assert.equal((await add('youth_justice', '1', { starts_on: addDays(TODAY, -90), ends_on: addDays(TODAY, -1) })).status, 201);
  assert.equal((await add('youth_justice', '1', { starts_on: addDays(TODAY, 30) })).status, 201);
  let t = (await manager.api('GET', `/api/v1/apst/${ids.tf}`)).json.taskforce;
  assert.equal(t.composition.types, 2);
  assert.equal(t.composition.below_minimum, true);
  assert.equal(t.composition.fte, '2');   // 0.6 + 0.4 + 1 (other staff count in FTE)
  let page = await manager.html.getHtml(`/apst/${ids.tf}`);
  assert.match(decodeHtml(page.html), /2 of the recommended specialist types are in post/);
  assert.equal((await add('ed_psych', '0.2')).status, 201);
  assert.equal((await add('youth_family', '1', { funding: 'direct', supervision: 'manager' })).status, 201);
  t = (await manager.api('GET', `/api/v1/apst/${ids.tf}`)).json.taskforce;
  assert.equal(t.composition.types, 4);
  assert.equal(t.composition.below_minimum, false);
  page = await manager.html.getHtml(`/apst/${ids.tf}`);
  assert.doesNotMatch(page.html, /govuk-warning-text/);
  const bad = await add('astrologer', '0', { days_on_site: '6', funding: 'gift', starts_on: addDays(TODAY, -1),
    ends_on: addDays(TODAY, -2) });
  assert.equal(bad.status, 422);
  assert.deepEqual(bad.json.errors.map((e) => e.field).sort(), ['days_on_site', 'ends_on', 'fte', 'funding', 'kind']);
  const list = (await spec.api('GET', `/api/v1/apst/${ids.tf}/specialists`)).json.specialists;
  ids.specMH = list.find((s) => s.kind === 'mental_health').id;
  ids.specYF = list.find((s) => s.kind === 'youth_family').id;
  assert.equal(list.find((s) => s.kind === 'youth_family').funding, 'direct');
});

test('agreements: an overdue review is flagged', async () => {
  const add = (kind, party, signed, review) => manager.api('POST', `/api/v1/apst/${ids.tf}/agreements`,
    { kind, party, signed_on: signed, review_on: review });
  assert.equal((await add('data_sharing', 'NHS CAMHS', addDays(TODAY, -400), addDays(TODAY, -35))).status, 201);
  assert.equal((await add('secondment', 'Youth justice service', addDays(TODAY, -100), addDays(TODAY, 265))).status, 201);
  assert.equal((await add('data_sharing', 'Today', addDays(TODAY, -10), TODAY)).status, 201);
  const bad = await add('secondment', '', addDays(TODAY, 5), addDays(TODAY, 1));
  assert.equal(bad.status, 422);
  assert.deepEqual(bad.json.errors.map((e) => e.field).sort(), ['party', 'signed_on']);
  const ag = (await manager.api('GET', `/api/v1/apst/${ids.tf}/agreements`)).json.agreements;
  assert.deepEqual(ag.map((a) => [a.party, a.review_overdue]),
    [['NHS CAMHS', true], ['Today', false], ['Youth justice service', false]]);
  const t = (await manager.api('GET', `/api/v1/apst/${ids.tf}`)).json.taskforce;
  assert.equal(t.reviews_overdue, 1);
  const page = await manager.html.getHtml(`/apst/${ids.tf}`);
  assert.equal((page.html.match(/Review overdue/g) || []).length, 1);
});

test('referrals: formal and informal, outreach, triage with a lead specialist', async () => {
  const upn = (id) => sql(`SELECT upn FROM pupils WHERE id = ${id}`);
  const r1 = await made(manager, `/api/v1/apst/${ids.tf}/referrals`, { upn: upn(ids.pupils[0]).toLowerCase(),
    route: 'formal', referred_on: PAST, referrer: 'Form tutor', reason: 'Low mood, missing lessons',
    consent_basis: 'family', consent_by: 'Jo Example, mother', consent_on: PAST,
    consent_kinds: ['mental_health', 'youth_family'] }, 'formal');
  assert.deepEqual(r1.referral.consent.kinds, ['mental_health', 'youth_family']);
  assert.equal(r1.referral.formal, true);
  assert.equal(r1.referral.outreach, false);
  assert.equal(r1.referral.triage, 'pending');
  ids.ref1 = r1.referral.id;
  // The manager cannot see the mainstream pupil: the same answer as a UPN that does not exist.
  const hidden = await manager.api('POST', `/api/v1/apst/${ids.tf}/referrals`, { upn: ids.mainUpn, route: 'spotted',
    referred_on: PAST });
  const missing = await manager.api('POST', `/api/v1/apst/${ids.tf}/referrals`, { upn: upnFor(999999), route: 'spotted',
    referred_on: PAST });
  assert.equal(hidden.status, 422);
  assert.deepEqual(hidden.json.errors, missing.json.errors);
  // The authority's coordinator records an outreach referral of a mainstream pupil.
  const r2 = await made(coord, `/api/v1/apst/${ids.tf}/referrals`, { pupil_id: ids.mainPupil, route: 'conversation',
    referred_on: PAST }, 'outreach');
  assert.equal(r2.referral.outreach, true);
  assert.equal(r2.referral.formal, false);
  ids.ref2 = r2.referral.id;
  const future = await manager.api('POST', `/api/v1/apst/${ids.tf}/referrals`, { upn: upn(ids.pupils[1]),
    route: 'self_family', referred_on: addDays(TODAY, 1) });
  assert.equal(future.status, 422);
  // Triage: accepting needs a tier and a lead of this taskforce.
  let t = await manager.api('POST', `/api/v1/apst/referrals/${ids.ref1}/triage`, { triage: 'accepted' });
  assert.equal(t.status, 422);
  assert.deepEqual(t.json.errors.map((e) => e.field).sort(), ['lead_specialist_id', 'tier']);
  const foreign = await made(coord, `/api/v1/apst/${ids.tf2}/specialists`, { kind: 'salt', name: 'Elsewhere',
    fte: '1', days_on_site: '5', funding: 'direct', supervision: 'manager', starts_on: PAST }, 'foreign');
  t = await manager.api('POST', `/api/v1/apst/referrals/${ids.ref1}/triage`, { triage: 'accepted', tier: 'specialist',
    lead_specialist_id: String(foreign.specialist.id) });
  assert.equal(t.status, 422);
  // Triage is the taskforce's decision: not a specialist's.
  const triage1 = { triage: 'accepted', tier: 'specialist', threshold_met: 'yes', lead_specialist_id: String(ids.specMH) };
  assert.equal((await spec.api('POST', `/api/v1/apst/referrals/${ids.ref1}/triage`, triage1)).status, 404,
    'not yet the specialist\'s referral');
  t = await manager.api('POST', `/api/v1/apst/referrals/${ids.ref1}/triage`, triage1);
  assert.equal(t.status, 200, t.text);
  assert.equal((await spec.api('POST', `/api/v1/apst/referrals/${ids.ref1}/triage`, triage1)).status, 403,
    'their referral now, but triage is the manager\'s');
  assert.equal(t.json.referral.lead_specialist.id, ids.specMH);
  assert.equal(t.json.referral.threshold_met, true);
  assert.equal(t.json.referral.triaged_on.date, TODAY);
  t = await manager.api('POST', `/api/v1/apst/referrals/${ids.ref2}/triage`, { triage: 'waiting_list',
    tier: 'targeted' });
  assert.equal(t.status, 200);
  const pend = (await manager.api('GET', `/api/v1/apst/${ids.tf}/referrals?triage=waiting_list`)).json.referrals;
  assert.deepEqual(pend.map((r) => r.id), [ids.ref2]);
  // The specialist's list: only the referral they lead (with consent).
  assert.deepEqual((await spec.api('GET', `/api/v1/apst/${ids.tf}/referrals`)).json.referrals.map((r) => r.id), [ids.ref1]);
  // The page: outreach tag, the pupil's school.
  const page = await manager.html.getHtml(`/apst/referrals/${ids.ref2}`);
  assert.equal(page.status, 200);
  assert.match(page.html, /Outreach/);
});

test('who sees a taskforce: its manager and specialists, the authority\'s coordinator and lead, the DPO', async () => {
  const see = async (c, p) => (await c.api('GET', p)).status;
  for (const p of [`/api/v1/apst/${ids.tf}`, `/api/v1/apst/referrals/${ids.ref2}`, `/api/v1/apst/${ids.tf}/referrals`]) {
    assert.equal(await see(manager, p), 200, p);
    // The specialist: the taskforce and its list, not a referral they have no part in.
    assert.equal(await see(spec, p), p.includes('/referrals/') ? 404 : 200, p);
    assert.equal(await see(coord, p), 200, p);
    assert.equal(await see(lead, p), 200, p);
    assert.equal(await see(dpo, p), 200, p);
    assert.equal(await see(other, p), 404, p);   // another taskforce's manager
    assert.equal(await see(head, p), 404, p);    // the mainstream pupil's own head teacher is not a member
  }
  // The list: each sees only what is theirs.
  assert.deepEqual((await manager.api('GET', '/api/v1/apst')).json.taskforces.map((t) => t.id), [ids.tf]);
  assert.deepEqual((await other.api('GET', '/api/v1/apst')).json.taskforces.map((t) => t.id), [ids.tf2]);
  assert.equal((await coord.api('GET', '/api/v1/apst')).json.taskforces.length, 2);
  assert.equal((await head.api('GET', '/api/v1/apst')).status, 403);
  // Read-only roles may not change anything.
  const tri = { triage: 'declined' };
  assert.equal((await lead.api('POST', `/api/v1/apst/referrals/${ids.ref2}/triage`, tri)).status, 403);
  assert.equal((await dpo.api('POST', `/api/v1/apst/referrals/${ids.ref2}/triage`, tri)).status, 403);
  assert.equal((await other.api('POST', `/api/v1/apst/referrals/${ids.ref2}/triage`, tri)).status, 404);
  // Views of a referral are in the audit log, with the pupil.
  const n = Number(sql(`SELECT count(*) FROM audit_log WHERE resource_kind = 'apst_referral' AND action = 'view'
    AND resource_id = ${ids.ref2} AND pupil_id = ${ids.mainPupil}`));
  assert.ok(n >= 4, `audited views: ${n}`);
});

test('weekly case meetings are the team\'s meetings, with decisions and who made them', async () => {
  const m = await made(manager, `/api/v1/apst/${ids.tf}/meetings`, { date: TODAY }, 'meeting');
  ids.meeting = m.meeting.id;
  // The TAS meeting machinery holds it: the same meeting under /meetings.
  const tas = await manager.api('GET', `/api/v1/meetings/${ids.meeting}`);
  assert.equal(tas.status, 200);
  assert.equal(tas.json.meeting.team.id, ids.team);
  const dup = await manager.api('POST', `/api/v1/apst/${ids.tf}/meetings`, { date: TODAY });
  assert.equal(dup.status, 422);
  assert.equal((await spec.api('POST', `/api/v1/apst/${ids.tf}/meetings`, { date: addDays(TODAY, 7) })).status, 403);
  assert.equal((await spec.api('POST', `/api/v1/apst/meetings/${ids.meeting}/items`, { kind: 'held_case',
    referral_id: String(ids.ref1), decision: 'x', decided_by: 'manager' })).status, 403);
  const item = (body) => manager.api('POST', `/api/v1/apst/meetings/${ids.meeting}/items`, body);
  let r = await item({ kind: 'new_referral', referral_id: String(ids.ref2), decision: 'Offer outreach sessions',
    decided_by: 'taskforce' });
  assert.equal(r.status, 201, r.text);
  r = await item({ kind: 'significant_event', event_kind: 'safeguarding', referral_id: String(ids.ref1),
    decision: 'DSL informed; strategy discussion requested', decided_by: 'manager_slt', decided_by_name: 'Taskforce Manager and deputy head' });
  assert.equal(r.status, 201);
  r = await item({ kind: 'held_case', decision: 'Keep going', decided_by: 'boss' });
  assert.equal(r.status, 422);
  assert.deepEqual(r.json.errors.map((e) => e.field).sort(), ['decided_by', 'referral_id']);
  r = await item({ kind: 'significant_event', decision: 'x', decided_by: 'manager' });
  assert.deepEqual(r.json.errors.map((e) => e.field), ['event_kind']);
  // Another taskforce's referral cannot be put on this meeting.
  r = await other.api('POST', `/api/v1/apst/meetings/${ids.meeting}/items`, { kind: 'held_case',
    referral_id: String(ids.ref1), decision: 'x', decided_by: 'manager' });
  assert.equal(r.status, 404);
  const got = (await lead.api('GET', `/api/v1/apst/meetings/${ids.meeting}`)).json.meeting;
  assert.deepEqual(got.items.map((i) => [i.kind, i.decided_by]),
    [['new_referral', 'taskforce'], ['significant_event', 'manager_slt']]);
  assert.equal(got.items[1].event_kind, 'safeguarding');
  // A plain TAS team's meeting is not a taskforce's.
  const tasMeeting = sql('SELECT m.id FROM meetings m WHERE m.team_id NOT IN (SELECT team_id FROM apst_taskforces) LIMIT 1');
  if (tasMeeting) assert.equal((await coord.api('GET', `/api/v1/apst/meetings/${tasMeeting}`)).status, 404);
  const page = await manager.html.getHtml(`/apst/meetings/${ids.meeting}`);
  assert.match(page.html, /Safeguarding incident/);
  // The specialist sees the decision about their own referral, not the outreach pupil's.
  const mine = (await spec.api('GET', `/api/v1/apst/meetings/${ids.meeting}`)).json.meeting.items;
  assert.deepEqual(mine.map((i) => i.referral_id), [ids.ref1]);
  assert.match(decodeHtml(page.html), /The Taskforce Manager with the school's SLT/);
});

test('intervention log: minutes by specialist and activity; the pupil for one-to-one work', async () => {
  const logAs = (c, body) => c.api('POST', `/api/v1/apst/${ids.tf}/interventions`, { delivered_on: PAST, ...body });
  const log = (body) => logAs(spec, body);
  // The specialist logs their own time, about the referral they lead.
  assert.equal((await log({ specialist_id: String(ids.specMH), referral_id: String(ids.ref1), activity: 'pupil',
    minutes: '90' })).status, 201);
  // Not someone else's time, and not about a pupil they have no part in.
  assert.equal((await log({ specialist_id: String(ids.specYF), referral_id: String(ids.ref1), activity: 'out_of_hours',
    minutes: '45' })).status, 403);
  assert.equal((await log({ specialist_id: String(ids.specMH), referral_id: String(ids.ref2), activity: 'family',
    minutes: '45' })).status, 403);
  // The manager logs anyone's.
  assert.equal((await logAs(manager, { specialist_id: String(ids.specYF), referral_id: String(ids.ref1),
    activity: 'out_of_hours', minutes: '45' })).status, 201);
  assert.equal((await logAs(manager, { specialist_id: String(ids.specYF), activity: 'staff_training',
    minutes: '60' })).status, 201);
  const bad = await log({ specialist_id: '999999', activity: 'pupil', minutes: '0' });
  assert.equal(bad.status, 422);
  assert.deepEqual(bad.json.errors.map((e) => e.field).sort(), ['minutes', 'referral_id', 'specialist_id']);
  const list = (await manager.api('GET', `/api/v1/apst/${ids.tf}/interventions`)).json.interventions;
  assert.equal(list.length, 3);
  assert.equal(list.reduce((s, i) => s + i.minutes, 0), 195);
  assert.equal(list.find((i) => i.minutes === 90).hours, '1.5');
});

test('the MI return: suppressed while the pupils are few, then the figures', async () => {
  const mi = async (c = manager, q = `from=${addDays(TODAY, -60)}&to=${TODAY}`) =>
    (await c.api('GET', `/api/v1/apst/${ids.tf}/return?${q}`)).json.return;
  let r = await mi();
  const rows = (ret, key) => Object.fromEntries(ret.tables.find((t) => t.key === key).rows.map((x) => [x.label, x]));
  // One accepted referral (ref2 waits): 1 pupil, below the threshold of 5.
  assert.equal(rows(r, 'pupils')['Pupils supported'].value, 'c');
  assert.equal(r.hours.by_specialist.find((k) => k.code === 'mental_health').hours, '1.5');
  assert.equal(r.hours.by_activity.find((k) => k.code === 'out_of_hours').minutes, 45);
  assert.equal(r.hours.total_minutes, 195);
  assert.equal(r.staffing.types, 4);
  // Costs at the advice's averages for 3.2 FTE in post today (0.6 + 0.4 + 1 + 0.2 + 1).
  let cost = Object.fromEntries(r.costs.rows.map((x) => [x.label, x.amount]));
  assert.equal(cost['Specialists (3.2 FTE at £46,000)'], '£147,200');
  assert.equal(cost['Total set-up'], '£10,700');
  assert.equal(cost['Total a year'], '£194,200');   // 36,000 + 11,000 + 147,200
  // One pupil on holiday provision: fewer than the threshold, so its cost (and the total) is hidden.
  assert.equal((await manager.api('POST', `/api/v1/apst/${ids.tf}/interventions`, { specialist_id: String(ids.specYF),
    referral_id: String(ids.ref1), activity: 'holiday', minutes: '60', delivered_on: PAST })).status, 201);
  r = await mi();
  cost = Object.fromEntries(r.costs.rows.map((x) => [x.label, x.amount]));
  assert.equal(cost['Holiday provision (£350 a pupil)'], 'c');
  assert.equal(cost['Total a year'], 'c');
  assert.equal(r.costs.holiday_pupils, 'c');
  assert.equal(r.hours.total_minutes, 255);
  // Six more pupils accepted; two eligible for FSM, one known to social care.
  const upn = (id) => sql(`SELECT upn FROM pupils WHERE id = ${id}`);
  for (let i = 1; i < 7; i++) {
    const ref = await made(manager, `/api/v1/apst/${ids.tf}/referrals`, { upn: upn(ids.pupils[i]), route: 'formal',
      referred_on: PAST }, `referral ${i}`);
    const eng = i === 6 ? 'refused' : i === 5 ? 'ended_early' : '';
    const t = await manager.api('POST', `/api/v1/apst/referrals/${ref.referral.id}/triage`, { triage: 'accepted',
      tier: 'targeted', lead_specialist_id: String(ids.specYF), engagement: eng });
    assert.equal(t.status, 200, t.text);
  }
  for (const p of ids.pupils.slice(0, 2)) {
    assert.equal((await coord.api('POST', `/api/v1/pupils/${p}/outcomes`, { kind: 'fsm', starts_on: addDays(TODAY, -300) })).status, 201);
  }
  assert.equal((await coord.api('POST', `/api/v1/pupils/${ids.pupils[2]}/outcomes`, { kind: 'social_care', code: 'CIN',
    starts_on: addDays(TODAY, -100) })).status, 201);
  r = await mi();
  const p = rows(r, 'pupils');
  assert.equal(p['Pupils supported'].value, '7');
  assert.equal(p['With special educational needs (SEN support or EHC plan)'].value, '5');
  assert.equal(p['With special educational needs (SEN support or EHC plan)'].pct, '71%');
  // 2 and 1 are below the threshold: hidden, and so is what would give them away.
  assert.equal(p['Eligible for free school meals'].value, 'c');
  assert.equal(p['Known to children\'s social care'].value, 'c');
  // Engaged 5 of 7: the two hidden cells add up to 2, but neither is pinned.
  assert.equal(p['Engaged with support'].value, '5');
  assert.equal(p['Stopped before the taskforce thought they were ready'].value, 'c');
  assert.equal(p['Offered support but refused it'].value, 'c');
  // A period before any referral: nothing supported.
  r = await mi(manager, `from=${addDays(TODAY, -400)}&to=${addDays(TODAY, -300)}`);
  assert.equal(rows(r, 'pupils')['Pupils supported'].value, '0');
  const bad = await manager.api('GET', `/api/v1/apst/${ids.tf}/return?from=${TODAY}&to=${addDays(TODAY, -1)}`);
  assert.equal(bad.status, 422);
  assert.equal((await other.api('GET', `/api/v1/apst/${ids.tf}/return`)).status, 404);
  const page = await manager.html.getHtml(`/apst/${ids.tf}/return?from=${addDays(TODAY, -60)}&to=${TODAY}`);
  assert.equal(page.status, 200);
  assert.match(page.html, /79% with recorded SEND/);
});

test('the MI return as CSV: the manager exports it, formula-safe, audited; a specialist may not', async () => {
  sql(`UPDATE teams SET name = '=HYPERLINK("http://x")' WHERE id = ${ids.team}`);
  const q = `from=${addDays(TODAY, -60)}&to=${TODAY}`;
  const res = await manager.html.request(`/apst/${ids.tf}/return.csv?${q}`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /text\/csv/);
  const text = await res.text();
  assert.match(text, /^section,measure,value,percent\r\n/);
  assert.match(text, /taskforce,"'=HYPERLINK\(""http:\/\/x""\)"\r\n/);
  assert.match(text, /pupils,Pupils supported,7,\r\n/);
  assert.match(text, /hours by specialist type,Mental health therapist,1\.5,35%\r\n/);   // 90 of 255 minutes
  assert.match(text, /cost at the advice's averages \(GBP\),Total set-up \(set-up\),10700,\r\n/);
  assert.match(text, /cost at the advice's averages \(GBP\),Total a year \(a year\),c,\r\n/);
  assert.match(text, /pupils,Eligible for free school meals,c,\r\n/);
  const x = await manager.html.request(`/apst/${ids.tf}/return.xlsx?${q}`);
  assert.equal(x.status, 200);
  assert.equal(x.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const buf = Buffer.from(await x.arrayBuffer());
  assert.equal(buf.subarray(0, 4).toString('binary'), 'PK\x03\x04');
  assert.ok(buf.includes(Buffer.from('xl/worksheets/sheet1.xml')));
  assert.equal((await spec.html.request(`/apst/${ids.tf}/return.xlsx?${q}`)).status, 403);
  assert.equal((await spec.html.request(`/apst/${ids.tf}/return.csv?${q}`)).status, 403);
  assert.equal((await other.html.request(`/apst/${ids.tf}/return.csv?${q}`)).status, 404);
  const n = Number(sql(`SELECT count(*) FROM audit_log WHERE resource_kind = 'apst' AND action = 'export' AND resource_id = ${ids.tf}`));
  assert.equal(n, 2, 'the CSV and the XLSX');
  sql(`UPDATE teams SET name = 'Riverside taskforce' WHERE id = ${ids.team}`);
});

test('pages: forms show errors in the GOV.UK way and work without JavaScript', async () => {
  const c = manager.html;
  let res = await c.submitForm(`/apst/${ids.tf}/specialists/new`, { kind: 'salt', name: '', fte: 'lots' },
    { action: `/apst/${ids.tf}/specialists` });
  assert.equal(res.status, 400);
  const html = decodeHtml(await res.text());
  assert.match(html, /govuk-error-summary/);
  assert.match(html, /Enter the specialist's name/);
  assert.match(html, /Enter the FTE as a number from 0.01 to 1/);
  // Dates in GOV.UK day, month and year boxes.
  const form = await c.getHtml(`/apst/${ids.tf}/agreements/new`);
  for (const n of ['signed_on', 'review_on'])
    for (const part of ['day', 'month', 'year']) assert.match(form.html, new RegExp(`name="${n}-${part}"`));
  assert.doesNotMatch(form.html, /name="signed_on"/);
  res = await c.submitForm(`/apst/${ids.tf}/agreements/new`, { kind: 'secondment', party: 'Early Help',
    'signed_on-day': '1', 'signed_on-month': '9', 'signed_on-year': '2024',
    'review_on-day': '1', 'review_on-month': '9', 'review_on-year': '2030' }, { action: `/apst/${ids.tf}/agreements` });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `/apst/${ids.tf}?saved=agreement`);
  const view = await c.getHtml(`/apst/${ids.tf}?saved=agreement`);
  assert.match(view.html, /Agreement recorded/);
  assert.match(view.html, /1 September 2030/);
  // The case meeting form on the taskforce page: an error comes back on that page.
  res = await c.submitForm(`/apst/${ids.tf}`, { 'date-day': '31', 'date-month': '2', 'date-year': '2026' },
    { action: `/apst/${ids.tf}/meetings` });
  assert.equal(res.status, 400);
  const back = decodeHtml(await res.text());
  assert.match(back, /govuk-error-summary/);
  assert.match(back, /href="#f-date-day"/);
  assert.match(back, /The date of the case meeting must be a real date|must be a real date/);
  assert.match(back, /name="date-day" type="text" value="31"/);
  assert.match(back, /name="date-month" type="text" value="2"/);
  for (const p of ['/apst', `/apst/${ids.tf}/interventions`, `/apst/${ids.tf}/interventions/new`,
    `/apst/${ids.tf}/referrals/new`, `/apst/meetings/${ids.meeting}`]) {
    assert.equal((await c.getHtml(p)).status, 200, p);
  }
  assert.equal((await spec.html.getHtml('/apst/new')).status, 403);
});

test('a specialist leaves: the last day in post, then they no longer count', async () => {
  const list = (await manager.api('GET', `/api/v1/apst/${ids.tf}/specialists`)).json.specialists;
  const otherStaff = list.find((s) => s.kind === 'other');
  const p = `/api/v1/apst/specialists/${otherStaff.id}/end`;
  assert.equal((await lead.api('POST', p, { ends_on: TODAY })).status, 403);
  assert.equal((await other.api('POST', p, { ends_on: TODAY })).status, 404);
  assert.equal((await spec.api('POST', p, { ends_on: TODAY })).status, 403);
  let r = await manager.api('POST', p, { ends_on: addDays(TODAY, -365) });
  assert.equal(r.status, 422);
  assert.deepEqual(r.json.errors.map((e) => e.field), ['ends_on']);
  // Notice given: still in post until the day after their last day.
  r = await manager.api('POST', p, { ends_on: addDays(TODAY, 20) });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.specialist.in_post, true);
  r = await manager.api('POST', p, { ends_on: addDays(TODAY, -1) });
  assert.equal(r.json.specialist.in_post, false);
  const t = (await manager.api('GET', `/api/v1/apst/${ids.tf}`)).json.taskforce;
  assert.equal(t.composition.fte, '2.2');
  assert.equal(t.composition.types, 4, '"other" staff never counted');
  // The page: a form with the GOV.UK error summary.
  const res = await manager.html.submitForm(`/apst/specialists/${otherStaff.id}/end`,
    { 'ends_on-day': 'never', 'ends_on-month': '', 'ends_on-year': '' });
  assert.equal(res.status, 400);
  const html = decodeHtml(await res.text());
  assert.match(html, /The last day in post must be a real date/);
  assert.match(html, /href="#f-ends_on-day"/);
  assert.match(html, /name="ends_on-day" type="text" value="never"/);
});

// The entries of a zip file (an XLSX), by name: stored or deflated.
function unzip(buf) {
  const files = {};
  let at = 0;
  while (buf.readUInt32LE(at) === 0x04034b50) {
    const method = buf.readUInt16LE(at + 8);
    const size = buf.readUInt32LE(at + 18);
    const nameLen = buf.readUInt16LE(at + 26);
    const extra = buf.readUInt16LE(at + 28);
    const name = buf.subarray(at + 30, at + 30 + nameLen).toString();
    const start = at + 30 + nameLen + extra;
    assert.ok(!(buf.readUInt16LE(at + 6) & 8), 'sizes in the local header');
    const data = buf.subarray(start, start + size);
    files[name] = (method === 8 ? inflateRawSync(data) : data).toString();
    at = start + size;
  }
  return files;
}

test('consent: a specialist sees a referral only when assigned and the consent covers their type', async () => {
  const see = async () => (await spec.api('GET', `/api/v1/apst/referrals/${ids.ref2}`)).status;
  const listed = async () => (await spec.api('GET', `/api/v1/apst/${ids.tf}/referrals`)).json.referrals.map((r) => r.id);
  const consent = (c, body) => c.api('POST', `/api/v1/apst/referrals/${ids.ref2}/consent`, body);
  // Time about ref2 logged by the manager; the specialist's log leaves it out while ref2 is hidden from them.
  assert.equal((await manager.api('POST', `/api/v1/apst/${ids.tf}/interventions`, { specialist_id: String(ids.specYF),
    referral_id: String(ids.ref2), activity: 'family', minutes: '30', delivered_on: PAST })).status, 201);
  const logged = async (c) => (await c.api('GET', `/api/v1/apst/${ids.tf}/interventions`)).json.interventions
    .filter((i) => i.referral_id === ids.ref2).length;
  assert.equal(await logged(manager), 1);
  assert.equal(await logged(spec), 0);
  // Assigned, but no consent recorded: still hidden.
  assert.equal((await spec.api('POST', `/api/v1/apst/referrals/${ids.ref2}/staff`, { specialist_id: String(ids.specMH) })).status, 404);
  const as = await manager.api('POST', `/api/v1/apst/referrals/${ids.ref2}/staff`, { specialist_id: String(ids.specMH) });
  assert.equal(as.status, 200, as.text);
  assert.deepEqual(as.json.referral.staff.map((s) => s.id), [ids.specMH]);
  assert.equal(await see(), 404);
  assert.ok(!(await listed()).includes(ids.ref2));
  // A consent needs who, when and whom it covers; a safeguarding basis, the concern.
  let r = await consent(manager, { consent_basis: 'family', consent_on: PAST });
  assert.equal(r.status, 422);
  assert.deepEqual(r.json.errors.map((e) => e.field).sort(), ['consent_by', 'consent_kinds']);
  r = await consent(manager, { consent_basis: 'safeguarding', consent_on: PAST });
  assert.deepEqual(r.json.errors.map((e) => e.field), ['consent_note']);
  r = await consent(manager, { consent_basis: 'maybe' });
  assert.deepEqual(r.json.errors.map((e) => e.field), ['consent_basis']);
  // The family agrees to the youth worker only: the mental health therapist still cannot see it.
  r = await consent(manager, { consent_basis: 'family', consent_by: 'Sam Example, father', consent_on: PAST,
    consent_kinds: ['youth_family'] });
  assert.equal(r.status, 200, r.text);
  assert.equal(await see(), 404);
  // Consent covering their type: now they do, in the list and in the log too.
  r = await consent(manager, { consent_basis: 'family', consent_by: 'Sam Example, father', consent_on: PAST,
    consent_kinds: ['youth_family', 'mental_health'] });
  assert.equal(r.status, 200);
  assert.equal(await see(), 200);
  assert.ok((await listed()).includes(ids.ref2));
  assert.equal(await logged(spec), 1);
  // They may not change the consent themselves.
  assert.equal((await consent(spec, { consent_basis: 'withdrawn', consent_on: TODAY })).status, 403);
  // Withdrawn: their access ends at once.
  r = await consent(manager, { consent_basis: 'withdrawn', consent_on: TODAY });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.referral.consent.basis, 'withdrawn');
  assert.equal(await see(), 404);
  // A safeguarding concern: shared with the taskforce without waiting for consent.
  r = await consent(manager, { consent_basis: 'safeguarding', consent_on: TODAY,
    consent_note: 'Disclosure to the form tutor; DSL informed' });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.referral.consent.kinds, ['mental_health', 'youth_family', 'ed_psych', 'salt', 'post16',
    'youth_justice', 'other']);
  assert.equal(await see(), 200);
  // The page shows the consent, and the forms only to the manager.
  const page = decodeHtml((await manager.html.getHtml(`/apst/referrals/${ids.ref2}`)).html);
  assert.match(page, /Not needed: a safeguarding concern/);
  assert.match(page, /action="\/apst\/referrals\/\d+\/consent"/);
  const specPage = decodeHtml((await spec.html.getHtml(`/apst/referrals/${ids.ref2}`)).html);
  assert.doesNotMatch(specPage, /\/consent"/);
  // A referral recorded without consent says so.
  const fresh = await made(manager, `/api/v1/apst/${ids.tf}/referrals`, { pupil_id: ids.pupils[6], route: 'spotted',
    referred_on: TODAY }, 'no consent yet');
  assert.equal(fresh.referral.consent.recorded, false);
  const fp = decodeHtml((await manager.html.getHtml(`/apst/referrals/${fresh.referral.id}`)).html);
  assert.match(fp, /Specialists cannot see this referral until it is/);
});

test('roles: given from the users page and the shell; a specialist\'s account is linked to their post', async () => {
  // The users page offers the taskforce's team as a place, and the two roles.
  const form = await admin.html.getHtml('/users/new');
  assert.match(form.html, new RegExp(`value="team:${ids.team}"`));
  assert.match(form.html, /value="apst_manager"/);
  assert.match(form.html, /value="apst_specialist"/);
  const made1 = await admin.api('POST', '/api/v1/users', { username: 'tf.yf', display_name: 'Youth worker',
    password: 'youth-family-worker-19', role: 'apst_specialist', place: `team:${ids.team}`, detail: 'youth_family' });
  assert.equal(made1.status, 201, made1.text);
  const grant = sql(`SELECT role || ' ' || scope_kind || ' ' || scope_id || ' ' || authority_id || ' ' || detail
    FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.username = 'tf.yf'`);
  assert.equal(grant, `apst_specialist team ${ids.team} ${ids.A} youth_family`);
  // The link needs the specialist role on this taskforce, for this type.
  const link = (sp, username) => manager.api('POST', `/api/v1/apst/specialists/${sp}/account`, { username });
  const wrongType = await link(ids.specYF, 'tf.spec');
  assert.equal(wrongType.status, 422);
  assert.deepEqual(wrongType.json.errors.map((e) => e.field), ['username']);
  assert.deepEqual((await link(ids.specYF, 'tf.other')).json.errors, wrongType.json.errors);
  assert.deepEqual((await link(ids.specYF, 'nobody-at-all')).json.errors, wrongType.json.errors);
  // The page: the same refusal in the GOV.UK error summary, the name kept in its box.
  const accountForm = await manager.html.getHtml(`/apst/specialists/${ids.specYF}/account`);
  assert.equal(accountForm.status, 200);
  assert.match(accountForm.html, /name="username"/);
  const refused = await manager.html.submitForm(`/apst/specialists/${ids.specYF}/account`, { username: 'nobody-at-all' });
  assert.equal(refused.status, 400);
  const refusedPage = decodeHtml(await refused.text());
  assert.match(refusedPage, /href="#f-username"/);
  assert.match(refusedPage, /value="nobody-at-all"/);
  assert.equal((await spec.api('POST', `/api/v1/apst/specialists/${ids.specYF}/account`, { username: 'tf.yf' })).status, 403);
  const ok = await link(ids.specYF, 'tf.yf');
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.specialist.has_account, true);
  // The youth worker now sees ref1 (the lead, consent covers youth_family) and logs their own time.
  const yf = await signIn('tf.yf', 'youth-family-worker-19');
  assert.equal((await yf.api('GET', `/api/v1/apst/referrals/${ids.ref1}`)).status, 404, 'neither lead nor assigned');
  assert.equal((await manager.api('POST', `/api/v1/apst/referrals/${ids.ref1}/staff`, { specialist_id: String(ids.specYF) })).status, 200);
  assert.equal((await yf.api('GET', `/api/v1/apst/referrals/${ids.ref1}`)).status, 200);
  assert.equal((await yf.html.getHtml(`/apst/${ids.tf}/interventions/new`)).status, 200);
  assert.equal((await yf.api('POST', `/api/v1/apst/${ids.tf}/interventions`, { specialist_id: String(ids.specYF),
    activity: 'group', minutes: '40', delivered_on: TODAY })).status, 201);
  // The assignment ends: the worker no longer reaches the pupil; both changes are in the audit log.
  const stop = (c, sp) => c.api('POST', `/api/v1/apst/referrals/${ids.ref1}/staff/remove`, { specialist_id: String(sp) });
  assert.equal((await stop(yf, ids.specYF)).status, 403, 'a specialist does not end their own assignment');
  const notThere = await stop(manager, 999999);
  assert.equal(notThere.status, 422);
  assert.deepEqual(notThere.json.errors.map((e) => e.field), ['specialist_id']);
  const stopped = await stop(manager, ids.specYF);
  assert.equal(stopped.status, 200, stopped.text);
  assert.ok(!stopped.json.referral.staff.some((x) => x.id === ids.specYF));
  assert.equal((await yf.api('GET', `/api/v1/apst/referrals/${ids.ref1}`)).status, 404);
  assert.equal(sql(`SELECT action FROM audit_log WHERE resource_kind = 'apst_referral'
    AND resource_id = ${ids.ref1} AND action IN ('assign', 'unassign') ORDER BY id`).split('\n').join(' '), 'assign unassign');
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE resource_kind = 'apst_referral' AND resource_id = ${ids.ref1}
    AND action = 'unassign' AND pupil_id = (SELECT pupil_id FROM apst_referrals WHERE id = ${ids.ref1})`), '1');
  // Every change to the taskforce's records is in the log, with the pupil where there is one.
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE action = 'create' AND resource_kind = 'apst_referral'
    AND resource_id = ${ids.ref1} AND pupil_id > 0`), '1');
  for (const kind of ['apst_taskforce', 'apst_specialist', 'apst_intervention']) {
    assert.ok(Number(sql(`SELECT count(*) FROM audit_log WHERE action = 'create' AND resource_kind = '${kind}'`)) > 0, kind);
  }
  assert.ok(Number(sql(`SELECT count(*) FROM audit_log WHERE action = 'edit' AND resource_kind = 'apst_consent'`)) > 0);
  // On the page: only when someone is assigned, with the GOV.UK error summary.
  await manager.api('POST', `/api/v1/apst/referrals/${ids.ref1}/staff`, { specialist_id: String(ids.specYF) });
  const rp = decodeHtml((await manager.html.getHtml(`/apst/referrals/${ids.ref1}`)).html);
  assert.match(rp, /Stop a specialist's work with the pupil/);
  const bad = await manager.html.submitForm(`/apst/referrals/${ids.ref1}`, { remove_specialist_id: '' },
    { action: `/apst/referrals/${ids.ref1}/staff/remove` });
  assert.equal(bad.status, 400);
  assert.match(decodeHtml(await bad.text()), /href="#f-remove_specialist_id">Select a specialist who works with this pupil/);
  const good = await manager.html.submitForm(`/apst/referrals/${ids.ref1}`,
    { remove_specialist_id: String(ids.specYF) }, { action: `/apst/referrals/${ids.ref1}/staff/remove` });
  assert.equal(good.status, 303);
  // A TAS practitioner on the taskforce's team is not a specialist: nothing.
  cliUser('tas.prac', 'tas-practitioner-19', ['--role', 'practitioner', '--scope', 'team', '--scope-id', String(ids.team),
    '--authority-id', String(ids.A), '--detail', 'mental_health']);
  const prac = await signIn('tas.prac', 'tas-practitioner-19');
  assert.equal((await prac.api('GET', `/api/v1/apst/${ids.tf}`)).status, 404);
});

test('costs: planned at the advice\'s averages against actual, on the page, in the CSV and the XLSX', async () => {
  const from = addDays(TODAY, -60);
  const q = `from=${from}&to=${TODAY}`;
  const cmp = async () => Object.fromEntries((await manager.api('GET', `/api/v1/apst/${ids.tf}/return?${q}`))
    .json.return.compare.rows.map((r) => [r.line, r]));
  let c = await cmp();
  // 61 days.  The taskforce started before them: no set-up planned.
  assert.equal(c.office.planned_pence, 0);
  assert.equal(c.manager.planned_pence, 601644);        // £36,000 x 61 / 365
  assert.equal(c.slt.planned_pence, 183836);            // £11,000 x 61 / 365
  // Specialists planned at the 2.2 FTE in post today; actual from the FTE in post day by day:
  // 2.2 all 61 days, and two posts of 1 FTE that ended yesterday (60 days each).
  assert.equal(c.specialists.planned_pence, 1691288);   // £46,000 x 2.2 x 61 / 365
  assert.equal(c.specialists.actual_pence, 3203616);    // £46,000 x (2.2 x 61 + 2 x 60) / 365
  assert.equal(c.specialists.variance, '+£15,123');
  assert.equal(c.specialists.source, 'from the staff in post and the log');
  assert.equal(c.manager.actual_pence, null);
  assert.equal(c.manager.actual, '');
  // One pupil on holiday provision: planned and actual withheld, and the totals' planned figure.
  assert.equal(c.holiday.planned, 'c');
  assert.equal(c.holiday.actual, 'c');
  assert.equal(c.total.planned, 'c');
  assert.equal(c.total.variance, 'c');
  // Entering actuals: the manager's salary for a period inside this one; SLT time for one reaching outside it.
  const add = (body) => manager.api('POST', `/api/v1/apst/${ids.tf}/costs`, body);
  const bad = await add({ line: 'wages', period_from: TODAY, period_to: addDays(TODAY, -1), amount: '-5' });
  assert.equal(bad.status, 422);
  assert.deepEqual(bad.json.errors.map((e) => e.field).sort(), ['amount', 'line', 'period_to']);
  assert.equal((await spec.api('POST', `/api/v1/apst/${ids.tf}/costs`, { line: 'slt', period_from: from,
    period_to: TODAY, amount: '1' })).status, 403);
  assert.equal((await add({ line: 'manager', period_from: addDays(TODAY, -59), period_to: addDays(TODAY, -30),
    amount: '£10,500' })).status, 201);
  assert.equal((await add({ line: 'manager', period_from: addDays(TODAY, -29), period_to: TODAY,
    amount: '10500.00' })).status, 201);
  assert.equal((await add({ line: 'slt', period_from: addDays(TODAY, -100), period_to: TODAY, amount: '5000' })).status, 201);
  assert.equal((await add({ line: 'holiday', period_from: from, period_to: TODAY, amount: '500.5' })).status, 201);
  c = await cmp();
  assert.equal(c.manager.actual_pence, 2100000);
  assert.equal(c.manager.source, 'entered');
  assert.equal(c.manager.variance_pence, 2100000 - 601644);
  assert.equal(c.slt.actual_pence, null, 'a period reaching outside the return\'s is not counted');
  assert.equal(c.holiday.actual, '£501');               // money entered is not a count of pupils
  assert.equal(c.holiday.variance, 'c');
  assert.equal(c.total.actual_pence, 2100000 + 3203616 + 50050);
  const costs = (await manager.api('GET', `/api/v1/apst/${ids.tf}/costs`)).json.costs;
  assert.equal(costs.length, 4);
  // The page.
  const page = decodeHtml((await manager.html.getHtml(`/apst/${ids.tf}/return?${q}`)).html);
  assert.match(page, /Costs planned and actual, 61 days/);
  assert.match(page, /\+£15,123/);
  assert.match(page, /href="\/apst\/\d+\/costs\/new"/);
  // The CSV: planned, actual and variance in whole pounds.
  const text = await (await manager.html.request(`/apst/${ids.tf}/return.csv?${q}`)).text();
  assert.match(text, /cost planned and actual \(GBP\),Specialists \(planned\),16913,\r\n/);
  assert.match(text, /cost planned and actual \(GBP\),Specialists \(actual\),32036,\r\n/);
  assert.match(text, /cost planned and actual \(GBP\),Specialists \(variance\),15123,\r\n/);
  assert.match(text, /cost planned and actual \(GBP\),Taskforce Manager \(variance\),14984,\r\n/);
  assert.match(text, /cost planned and actual \(GBP\),School SLT time \(actual\),,\r\n/);
  assert.match(text, /cost planned and actual \(GBP\),Holiday provision \(planned\),c,\r\n/);
  assert.match(text, /cost planned and actual \(GBP\),Total \(planned\),c,\r\n/);
  // The XLSX: the same rows, numbers as numbers.
  const x = Buffer.from(await (await manager.html.request(`/apst/${ids.tf}/return.xlsx?${q}`)).arrayBuffer());
  const files = unzip(x);
  assert.match(files['xl/sharedStrings.xml'], /Specialists \(variance\)/);
  assert.match(files['xl/worksheets/sheet1.xml'], /<v>15123<\/v>/);
  // The form page, with errors the GOV.UK way.
  const res = await manager.html.submitForm(`/apst/${ids.tf}/costs/new`, { line: 'office', amount: 'lots' },
    { action: `/apst/${ids.tf}/costs` });
  assert.equal(res.status, 400);
  assert.match(decodeHtml(await res.text()), /Enter the amount in pounds/);
});

test('voids: time logged or money entered by mistake is kept, marked and left out of every sum', async () => {
  const q = `from=${addDays(TODAY, -60)}&to=${TODAY}`;
  const mi = async () => (await manager.api('GET', `/api/v1/apst/${ids.tf}/return?${q}`)).json.return;
  const training = (r) => r.hours.by_activity.find((k) => k.code === 'staff_training')?.minutes ?? 0;
  const before = await mi();
  const logged = await manager.api('POST', `/api/v1/apst/${ids.tf}/interventions`, { specialist_id: String(ids.specYF),
    activity: 'staff_training', minutes: '120', delivered_on: PAST });
  assert.equal(logged.status, 201, logged.text);
  const ivId = Number(sql(`SELECT max(id) FROM apst_interventions WHERE taskforce_id = ${ids.tf}`));
  let r = await mi();
  assert.equal(r.hours.total_minutes, before.hours.total_minutes + 120);
  assert.equal(training(r), training(before) + 120);
  const voidIv = (c, body) => c.api('POST', `/api/v1/apst/interventions/${ivId}/void`, body);
  // Only those who may log it: not the DPO (who may see it), nor another taskforce's manager.
  assert.equal((await voidIv(dpo, { reason: 'Typed twice' })).status, 403);
  assert.equal((await voidIv(spec, { reason: 'Typed twice' })).status, 403, 'not the specialist\'s own post');
  assert.equal((await voidIv(other, { reason: 'Typed twice' })).status, 404);
  // The reason is required.
  const noReason = await voidIv(manager, { reason: '  ' });
  assert.equal(noReason.status, 422);
  assert.deepEqual(noReason.json.errors.map((e) => e.field), ['reason']);
  const ok = await voidIv(manager, { reason: 'Typed twice' });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.json.voided, { kind: 'intervention', id: ivId, taskforce_id: ids.tf, voided: true });
  // Voiding twice is refused.
  const again = await voidIv(manager, { reason: 'Again' });
  assert.equal(again.status, 422);
  assert.match(again.json.errors[0].message, /already voided/);
  // Left out of the hours; kept in the log, marked.
  r = await mi();
  assert.equal(r.hours.total_minutes, before.hours.total_minutes);
  assert.equal(training(r), training(before));
  const row = (await manager.api('GET', `/api/v1/apst/${ids.tf}/interventions`)).json.interventions.find((i) => i.id === ivId);
  assert.equal(row.voided, true);
  assert.equal(row.void_reason, 'Typed twice');
  assert.equal(sql(`SELECT CASE WHEN voided_by IS NULL THEN 'no' ELSE 'yes' END || ' ' || void_reason FROM apst_interventions
    WHERE id = ${ivId}`), 'yes Typed twice');
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE action = 'void' AND resource_kind = 'apst_intervention'
    AND resource_id = ${ivId}`), '1');
  let page = decodeHtml((await manager.html.getHtml(`/apst/${ids.tf}/interventions`)).html);
  assert.match(page, /Voided<\/strong> <span class="govuk-body-s">Typed twice<\/span>/);

  // A cost entered by mistake: out of the actual figure, the CSV and the XLSX.
  const cmp = async () => Object.fromEntries((await mi()).compare.rows.map((x) => [x.line, x]));
  assert.equal((await cmp()).office.actual_pence, null);
  assert.equal((await manager.api('POST', `/api/v1/apst/${ids.tf}/costs`, { line: 'office', period_from: PAST,
    period_to: PAST, amount: '1234' })).status, 201);
  const costId = Number(sql(`SELECT max(id) FROM apst_costs WHERE taskforce_id = ${ids.tf}`));
  assert.equal((await cmp()).office.actual_pence, 123400);
  const csv = async () => (await manager.html.request(`/apst/${ids.tf}/return.csv?${q}`)).text();
  assert.match(await csv(), /office and meeting space \(actual\),1234,/i);
  const voidCost = (c, body) => c.api('POST', `/api/v1/apst/costs/${costId}/void`, body);
  assert.equal((await voidCost(spec, { reason: 'Wrong taskforce' })).status, 403);
  assert.equal((await voidCost(dpo, { reason: 'Wrong taskforce' })).status, 403);
  assert.equal((await voidCost(manager, {})).status, 422);
  assert.equal((await voidCost(manager, { reason: 'Wrong taskforce' })).status, 200);
  assert.equal((await voidCost(manager, { reason: 'Wrong taskforce' })).status, 422);
  assert.equal((await cmp()).office.actual_pence, null);
  assert.doesNotMatch(await csv(), /office and meeting space \(actual\),1234,/i);
  const entry = (await manager.api('GET', `/api/v1/apst/${ids.tf}/costs`)).json.costs.find((x) => x.id === costId);
  assert.equal(entry.voided, true);
  assert.equal(entry.void_reason, 'Wrong taskforce');
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE action = 'void' AND resource_kind = 'apst_cost'
    AND resource_id = ${costId}`), '1');
  page = decodeHtml((await manager.html.getHtml(`/apst/${ids.tf}/return?${q}`)).html);
  assert.match(page, /Voided<\/strong> Wrong taskforce/);

  // A specialist voids time of their own post (which they may log), as the manager may.
  const own = await spec.api('POST', `/api/v1/apst/${ids.tf}/interventions`, { specialist_id: String(ids.specMH),
    activity: 'staff_training', minutes: '15', delivered_on: PAST });
  assert.equal(own.status, 201, own.text);
  const ownId = Number(sql(`SELECT max(id) FROM apst_interventions WHERE taskforce_id = ${ids.tf}`));
  // The log offers them a Void link on that entry only, not on the manager's entries of other posts.
  const specLog = (await spec.html.getHtml(`/apst/${ids.tf}/interventions`)).html;
  assert.match(specLog, new RegExp(`href="/apst/interventions/${ownId}/void"`));
  const yfEntry = sql(`SELECT min(id) FROM apst_interventions WHERE specialist_id = ${ids.specYF}
    AND referral_id IS NULL AND voided_at IS NULL`);
  assert.match(decodeHtml((await manager.html.getHtml(`/apst/${ids.tf}/interventions`)).html),
    new RegExp(`href="/apst/interventions/${yfEntry}/void"`));
  assert.doesNotMatch(specLog, new RegExp(`href="/apst/interventions/${yfEntry}/void"`));
  assert.equal((await spec.api('POST', `/api/v1/apst/interventions/${ownId}/void`, { reason: 'Wrong day' })).status, 200);
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE action = 'void' AND resource_kind = 'apst_intervention'
    AND resource_id = ${ownId}`), '1');

  // The page form: a token, the error on the page, then back to the log.
  assert.equal((await manager.api('POST', `/api/v1/apst/${ids.tf}/interventions`, { specialist_id: String(ids.specYF),
    activity: 'group', minutes: '30', delivered_on: PAST })).status, 201);
  const id2 = Number(sql(`SELECT max(id) FROM apst_interventions WHERE taskforce_id = ${ids.tf}`));
  assert.equal((await dpo.html.getHtml(`/apst/interventions/${id2}/void`)).status, 403);
  const bad = await manager.html.submitForm(`/apst/interventions/${id2}/void`, { reason: '' });
  assert.equal(bad.status, 400);
  assert.match(decodeHtml(await bad.text()), /Say why the entry is voided/);
  const good = await manager.html.submitForm(`/apst/interventions/${id2}/void`, { reason: 'Not this pupil\'s week' });
  assert.equal(good.status, 303);
  assert.match(good.headers.get('location'), new RegExp(`^/apst/${ids.tf}/interventions\\?saved=void$`));
  assert.equal(sql(`SELECT void_reason FROM apst_interventions WHERE id = ${id2}`), 'Not this pupil\'s week');
});
