// Alternative Provision Specialist Taskforces (issue 19): a taskforce in
// an AP school with its specialists and the four-types warning, agreements
// with overdue reviews, referrals (formal and informal, outreach to a
// mainstream pupil) and their triage, weekly case meetings kept as the
// team's meetings, the intervention log, and the MI return (page, JSON and
// CSV) with small counts suppressed.  Who may see a taskforce: its manager
// and specialists (team-scope grants on its team), the authority's
// coordinator and lead, the DPO; nobody else.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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
  cliUser('tf.manager', 'manager-pass-0019', ['--role', 'case_coordinator', ...scope(ids.team)]);
  cliUser('tf.spec', 'specialist-pass-19', ['--role', 'practitioner', ...scope(ids.team), '--detail', 'camhs']);
  cliUser('tf.other', 'other-taskforce-19', ['--role', 'case_coordinator', ...scope(team2)]);
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
  for (const [k, f] of [['mental_health', '0.6'], ['salt', '0.4'], ['other', '1']]) {
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
    route: 'formal', referred_on: PAST, referrer: 'Form tutor', reason: 'Low mood, missing lessons' }, 'formal');
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
  t = await spec.api('POST', `/api/v1/apst/referrals/${ids.ref1}/triage`, { triage: 'accepted', tier: 'specialist',
    threshold_met: 'yes', lead_specialist_id: String(ids.specMH) });
  assert.equal(t.status, 200, t.text);
  assert.equal(t.json.referral.lead_specialist.id, ids.specMH);
  assert.equal(t.json.referral.threshold_met, true);
  assert.equal(t.json.referral.triaged_on.date, TODAY);
  t = await manager.api('POST', `/api/v1/apst/referrals/${ids.ref2}/triage`, { triage: 'waiting_list',
    tier: 'targeted' });
  assert.equal(t.status, 200);
  const pend = (await spec.api('GET', `/api/v1/apst/${ids.tf}/referrals?triage=waiting_list`)).json.referrals;
  assert.deepEqual(pend.map((r) => r.id), [ids.ref2]);
  // The page: outreach tag, the pupil's school.
  const page = await spec.html.getHtml(`/apst/referrals/${ids.ref2}`);
  assert.equal(page.status, 200);
  assert.match(page.html, /Outreach/);
});

test('who sees a taskforce: its manager and specialists, the authority\'s coordinator and lead, the DPO', async () => {
  const see = async (c, p) => (await c.api('GET', p)).status;
  for (const p of [`/api/v1/apst/${ids.tf}`, `/api/v1/apst/referrals/${ids.ref2}`, `/api/v1/apst/${ids.tf}/referrals`]) {
    assert.equal(await see(manager, p), 200, p);
    assert.equal(await see(spec, p), 200, p);
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
  assert.ok(n >= 5, `audited views: ${n}`);
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
  const item = (body) => spec.api('POST', `/api/v1/apst/meetings/${ids.meeting}/items`, body);
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
  const page = await spec.html.getHtml(`/apst/meetings/${ids.meeting}`);
  assert.match(page.html, /Safeguarding incident/);
  assert.match(decodeHtml(page.html), /The Taskforce Manager with the school's SLT/);
});

test('intervention log: minutes by specialist and activity; the pupil for one-to-one work', async () => {
  const log = (body) => spec.api('POST', `/api/v1/apst/${ids.tf}/interventions`, { delivered_on: PAST, ...body });
  assert.equal((await log({ specialist_id: String(ids.specMH), referral_id: String(ids.ref1), activity: 'pupil',
    minutes: '90' })).status, 201);
  assert.equal((await log({ specialist_id: String(ids.specYF), referral_id: String(ids.ref1), activity: 'out_of_hours',
    minutes: '45' })).status, 201);
  assert.equal((await log({ specialist_id: String(ids.specYF), activity: 'staff_training', minutes: '60' })).status, 201);
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
  assert.equal((await spec.api('POST', `/api/v1/apst/${ids.tf}/interventions`, { specialist_id: String(ids.specYF),
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
  res = await c.submitForm(`/apst/${ids.tf}/agreements/new`, { kind: 'secondment', party: 'Early Help',
    signed_on: '1/9/2024', review_on: '1/9/2030' }, { action: `/apst/${ids.tf}/agreements` });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `/apst/${ids.tf}?saved=agreement`);
  const view = await c.getHtml(`/apst/${ids.tf}?saved=agreement`);
  assert.match(view.html, /Agreement recorded/);
  assert.match(view.html, /1 September 2030/);
  // The case meeting form on the taskforce page: an error comes back on that page.
  res = await c.submitForm(`/apst/${ids.tf}`, { date: '31/2/2026' }, { action: `/apst/${ids.tf}/meetings` });
  assert.equal(res.status, 400);
  const back = decodeHtml(await res.text());
  assert.match(back, /govuk-error-summary/);
  assert.match(back, /href="#f-date"/);
  assert.match(back, /value="31\/2\/2026"/);
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
  let r = await spec.api('POST', p, { ends_on: addDays(TODAY, -365) });
  assert.equal(r.status, 422);
  assert.deepEqual(r.json.errors.map((e) => e.field), ['ends_on']);
  // Notice given: still in post until the day after their last day.
  r = await spec.api('POST', p, { ends_on: addDays(TODAY, 20) });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.specialist.in_post, true);
  r = await spec.api('POST', p, { ends_on: addDays(TODAY, -1) });
  assert.equal(r.json.specialist.in_post, false);
  const t = (await manager.api('GET', `/api/v1/apst/${ids.tf}`)).json.taskforce;
  assert.equal(t.composition.fte, '2.2');
  assert.equal(t.composition.types, 4, '"other" staff never counted');
  // The page: a form with the GOV.UK error summary.
  const res = await manager.html.submitForm(`/apst/specialists/${otherStaff.id}/end`, { ends_on: 'never' });
  assert.equal(res.status, 400);
  assert.match(decodeHtml(await res.text()), /Enter the last day in post as a date/);
});
