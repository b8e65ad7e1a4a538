// Putting the pooled budget's mistakes right (issue 20): contributions,
// interventions, commitments and placements are corrected or voided with
// a reason, never deleted (voided rows kept, audited, left out of every
// sum), under the rules that made them (no overspend without approval,
// nobody approves their own change, limits per role); a form sent twice
// makes one record; an intervention's capacity holds over the whole of a
// placement, not only on its first day.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, Client, tasBin, csrfFrom, decodeHtml, TODAY, addDays, dbSql } from './harness.mjs';

let srv;
const as = {};
const ids = {};
const START = Number(TODAY.slice(5, 7)) >= 4 ? Number(TODAY.slice(0, 4)) : Number(TODAY.slice(0, 4)) - 1;
const POUND = '\u00a3';
const day = (n) => addDays(TODAY, n);

// The test's own SQL runs on SQLite and on PostgreSQL (harness.mjs, dbSql).
function sql(q) {
  return dbSql(srv.db, q);
}

function cliUser(username, password, args) {
  const r = spawnSync(tasBin(), ['user', 'add', username, '--db', srv.db, '--name', `Test ${username}`, ...args],
    { input: `${password}\n`, encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, r.stderr);
}

async function signIn(username, password) {
  const c = new Client(srv.base);
  const res = await c.postJson('/api/v1/sign-in', { username, password });
  const text = await res.text();
  assert.equal(res.status, 200, `sign-in of ${username}: ${text}`);
  c.csrf = JSON.parse(text).csrf;
  c.user = { username, password };
  return c;
}

async function api(c, method, p, obj) {
  const headers = { origin: c.base, 'x-csrf-token': c.csrf };
  if (obj !== undefined) headers['content-type'] = 'application/json';
  const res = await c.request(p, { method, headers, body: obj === undefined ? undefined : JSON.stringify(obj) });
  const text = await res.text();
  let body = null;
  try { body = JSON.parse(text); } catch { body = text; }
  return { status: res.status, body, text };
}

const errorsOf = (r) => Object.fromEntries((r.body.errors ?? []).map((e) => [e.field, e.message]));
const ok = (r, status = 200) => { assert.equal(r.status, status, r.text); return r.body; };

before(async () => {
  srv = await startServer({ seed: 5, extraArgs: ['--quiet'] });
  const coord = await signIn('coordinator', 'demo-password');
  const me = (await api(coord, 'GET', '/api/v1/me')).body;
  ids.A = me.user?.roles?.[0]?.scope_id ?? me.roles?.[0]?.scope_id;
  const schools = (await api(coord, 'GET', '/api/v1/schools?per_page=5')).body.schools;
  ids.T1 = ok(await api(coord, 'POST', '/api/v1/teams', { name: 'Fix Team', host_school_id: schools[0].id,
    cadence: 'fortnightly', weekday: 3, start_time: '13:30', duration_minutes: 90 }), 201).team.id;
  cliUser('approver', 'pool-keeper-pass-9', ['--role', 'budget_approver', '--scope', 'authority',
    '--scope-id', String(ids.A)]);
  cliUser('holder', 'team-spender-pass-9', ['--role', 'budget_holder', '--scope', 'team', '--scope-id', String(ids.T1),
    '--authority-id', String(ids.A)]);
  // A budget holder who is also an approver, and places pupils of the team's cases.
  cliUser('both', 'dual-duty-pass-99', ['--role', 'budget_holder', '--scope', 'authority', '--scope-id', String(ids.A)]);
  sql(`INSERT INTO user_roles (user_id, role, scope_kind, scope_id, authority_id, detail)
    SELECT id, 'budget_approver', 'authority', ${ids.A}, ${ids.A}, '' FROM users WHERE username = 'both';
    INSERT INTO user_roles (user_id, role, scope_kind, scope_id, authority_id, detail)
    SELECT id, 'case_coordinator', 'authority', ${ids.A}, ${ids.A}, '' FROM users WHERE username = 'both';`);
  const pupil = (await api(coord, 'GET', `/api/v1/pupils?school=${schools[0].id}&per_page=5`))
    .body.pupils.filter((p) => p.school.id === schools[0].id)[0].id;
  ok(await api(coord, 'POST', `/api/v1/pupils/${pupil}/consents`, { given_by: 'Jo Example', relationship: 'mother',
    given_on: day(-30), covers_discussion: 'yes' }), 201);
  const kase = ok(await api(coord, 'POST', `/api/v1/pupils/${pupil}/cases`,
    { team_id: ids.T1, need_semh: 'Struggles at lunch' }), 201).case;
  ids.action = ok(await api(coord, 'POST', `/api/v1/cases/${kase.id}/actions`, { description: 'Mentoring',
    owner_name: 'Pastoral lead', setting: 'school', nature: 'coordination', due_on: day(14) }), 201).action.id;
  ids.pupil = pupil;
  as.approver = await signIn('approver', 'pool-keeper-pass-9');
  as.holder = await signIn('holder', 'team-spender-pass-9');
  as.both = await signIn('both', 'dual-duty-pass-99');
  as.lead = await signIn('lead', 'demo-password');

  ids.Y = ok(await api(as.approver, 'POST', '/api/v1/budget/years', { start_year: String(START), authority_id: ids.A }),
    201).year.id;
  for (const amount of ['6,000.00', '4,000.00'])
    ok(await api(as.approver, 'POST', `/api/v1/budget/years/${ids.Y}/contributions`,
      { partner: 'la', amount, received_on: `${START}-04-15` }), 201);
  ids.A1 = ok(await api(as.approver, 'PUT', `/api/v1/budget/years/${ids.Y}/allocations`,
    { team_id: ids.T1, amount: '8,000' })).allocation.id;
});

after(async () => { await srv?.stop({ expectExitZero: true }); });

const year = async () => ok(await api(as.approver, 'GET', `/api/v1/budget/years/${ids.Y}`));
const alloc = async () => ok(await api(as.approver, 'GET', `/api/v1/budget/allocations/${ids.A1}`)).allocation;

test('contributions: corrected or voided with a reason by who keeps the pool; the pool never below the allocations', async () => {
  const [c1, c2] = (await year()).contributions;
  const p = `/api/v1/budget/contributions/${c1.id}`;
  const fixed = { partner: 'health', partner_name: 'Northshire ICB', amount: '6,500.00', received_on: `${START}-04-16` };
  let r = await api(as.approver, 'PUT', p, fixed);
  assert.equal(r.status, 422);
  assert.match(errorsOf(r).reason, /Say why/);
  for (const u of ['holder', 'lead'])
    assert.ok([403, 404].includes((await api(as[u], 'PUT', p, { ...fixed, reason: 'x' })).status), u);
  r = await api(as.approver, 'PUT', p, { ...fixed, amount: '3,999.99', reason: 'Typed wrong' });
  assert.equal(r.status, 422, 'the pool (3,999.99 + 4,000) would be less than the 8,000 allocated');
  assert.match(errorsOf(r).amount, /less than the .8,000.00 allocated/);
  r = await api(as.approver, 'PUT', p, { ...fixed, reason: 'The ICB paid it, a day later' });
  assert.equal(ok(r).contribution.partner, 'health');
  let y = await year();
  assert.equal(y.year.pool_pence, 1050000);
  // Voiding: not while the allocations need it; then kept, voided, out of the pool.
  r = await api(as.approver, 'POST', `/api/v1/budget/contributions/${c2.id}/void`, { reason: 'Entered twice' });
  assert.equal(r.status, 422);
  assert.match(errorsOf(r).amount, /lower an allocation first/);
  ok(await api(as.approver, 'PUT', `/api/v1/budget/years/${ids.Y}/allocations`, { team_id: ids.T1, amount: '6,500',
    reason: 'The pool was entered twice' }));
  r = await api(as.approver, 'POST', `/api/v1/budget/contributions/${c2.id}/void`, {});
  assert.match(errorsOf(r).reason, /Say why/);
  r = await api(as.approver, 'POST', `/api/v1/budget/contributions/${c2.id}/void`, { reason: 'Entered twice' });
  assert.equal(ok(r).contribution.voided, true);
  assert.equal(r.body.contribution.void_reason, 'Entered twice');
  y = await year();
  assert.equal(y.contributions.length, 2, 'the voided row is kept');
  assert.equal(y.year.pool_pence, 650000, 'and left out of the pool');
  r = await api(as.approver, 'POST', `/api/v1/budget/contributions/${c2.id}/void`, { reason: 'Again' });
  assert.match(errorsOf(r).reason, /already voided/);
  r = await api(as.approver, 'PUT', `/api/v1/budget/contributions/${c2.id}`, { ...fixed, reason: 'Too late' });
  assert.match(errorsOf(r).reason, /voided/);
  const fixes = ok(await api(as.approver, 'GET', p)).corrections;
  assert.equal(fixes.length, 1);
  assert.match(fixes[0].before, /Local authority .*6,000\.00/);
  assert.match(fixes[0].after, /Health .*Northshire ICB.*6,500\.00/);
  assert.equal(fixes[0].reason, 'The ICB paid it, a day later');
  assert.equal(Number(sql("SELECT count(*) FROM budget_contributions")), 2, 'nothing deleted');
  assert.equal(sql(`SELECT action || ' ' || detail FROM audit_log WHERE resource_kind = 'budget_contribution'
    AND action IN ('edit', 'void') ORDER BY id`), 'edit budget.contribution.correct\nvoid budget.contribution.void');
  // The page: the year links to it; the voided one is marked; the forms are the approver's.
  const web = new Client(srv.base);
  assert.equal((await web.signIn('approver', 'pool-keeper-pass-9')).status, 303);
  const yp = await web.getHtml(`/budget/years/${ids.Y}`);
  assert.match(yp.html, new RegExp(`href="/budget/contributions/${c2.id}"`));
  assert.match(yp.html, /Voided/);
  const page = await web.getHtml(`/budget/contributions/${c1.id}`);
  assert.equal(page.status, 200);
  assert.match(decodeHtml(page.html), /Correct this contribution/);
  assert.match(decodeHtml(page.html), /The ICB paid it, a day later/);
  const gone = await web.getHtml(`/budget/contributions/${c2.id}`);
  assert.match(decodeHtml(gone.html), /Voided: Entered twice/);
  assert.doesNotMatch(gone.html, /Correct this contribution/);
});

test('a form sent twice makes one record (one-time form tokens)', async () => {
  const web = new Client(srv.base);
  assert.equal((await web.signIn('approver', 'pool-keeper-pass-9')).status, 303);
  const c1 = (await year()).contributions.find((c) => !c.voided);
  const page = await web.getHtml(`/budget/contributions/${c1.id}`);
  const token = page.html.match(/name="form_token" value="([0-9a-f]{32})"/)[1];
  const form = { csrf: csrfFrom(page.html), form_token: token, partner: 'health', partner_name: 'Northshire ICB',
    amount: '6,600.00', 'received_on-day': '16', 'received_on-month': '4', 'received_on-year': String(START),
    reason: 'Sent twice by a double click' };
  const first = await web.postForm(`/budget/contributions/${c1.id}`, form);
  const second = await web.postForm(`/budget/contributions/${c1.id}`, form);
  assert.equal(first.status, 303);
  assert.equal(second.status, 303);
  assert.equal(second.headers.get('location'), first.headers.get('location'));
  assert.equal(Number(sql(`SELECT count(*) FROM budget_corrections WHERE reason = 'Sent twice by a double click'`)), 1);
  // A commitment sent twice from the allocation's page: one commitment.
  const holderWeb = new Client(srv.base);
  assert.equal((await holderWeb.signIn('holder', 'team-spender-pass-9')).status, 303);
  const ap = await holderWeb.getHtml(`/budget/allocations/${ids.A1}`);
  const t2 = ap.html.match(/name="form_token" value="([0-9a-f]{32})"/)[1];
  const before = Number(sql('SELECT count(*) FROM budget_commitments'));
  const commit = { csrf: csrfFrom(ap.html), form_token: t2, description: 'Double-clicked commitment', amount: '10.00',
    'committed_on-day': TODAY.slice(8), 'committed_on-month': TODAY.slice(5, 7), 'committed_on-year': TODAY.slice(0, 4) };
  const a = await holderWeb.postForm(`/budget/allocations/${ids.A1}/commitments`, commit);
  const b = await holderWeb.postForm(`/budget/allocations/${ids.A1}/commitments`, commit);
  assert.equal(a.status, 303, await a.text());
  assert.equal(b.status, 303);
  assert.equal(Number(sql('SELECT count(*) FROM budget_commitments')), before + 1);
  ids.Cdouble = Number(sql("SELECT id FROM budget_commitments WHERE description = 'Double-clicked commitment'"));
});

test('commitments: corrected under the rules that made them; voided ones out of every sum', async () => {
  const commit = async (c, amount) => ok(await api(c, 'POST', `/api/v1/budget/allocations/${ids.A1}/commitments`,
    { description: 'Family support', amount, committed_on: TODAY }), 201).commitment;
  const fix = (c, id, body) => api(c, 'PUT', `/api/v1/budget/commitments/${id}`,
    { description: 'Family support', committed_on: TODAY, reason: 'Quote revised', ...body });
  const cm = await commit(as.holder, '1,000.00');
  assert.equal(cm.status, 'committed');
  const left = (await alloc()).remaining_pence;
  let r = await fix(as.holder, cm.id, { amount: '900.00', reason: '' });
  assert.match(errorsOf(r).reason, /Say why/);
  assert.equal((await fix(as.approver, cm.id, { amount: '900.00' })).status, 403, 'the approver does not commit');
  r = await fix(as.holder, cm.id, { amount: '900.00' });
  assert.equal(ok(r).commitment.status, 'committed', 'smaller: still committed');
  assert.equal((await alloc()).remaining_pence, left + 10000);
  // Above the holder's own limit (£2,500): waits for an approver again.
  r = await fix(as.holder, cm.id, { amount: '2,500.01' });
  assert.equal(ok(r).commitment.status, 'pending');
  assert.equal(r.body.commitment.needs_over_limit, true);
  assert.equal((await alloc()).remaining_pence, left + 100000, 'a pending amount is not spent');
  // Over what is left of the allocation: needs approval too.
  r = await fix(as.holder, cm.id, { amount: ((left + 100000 + 1) / 100).toFixed(2) });
  assert.equal(ok(r).commitment.needs_over_allocation, true);
  // Nobody approves their own change: "both" changes it, the approver decides.
  r = await fix(as.both, cm.id, { amount: '2,600.00' });
  assert.equal(ok(r).commitment.status, 'pending');
  r = await api(as.both, 'POST', `/api/v1/budget/commitments/${cm.id}/decision`, { decision: 'approve' });
  assert.equal(r.status, 422);
  assert.match(errorsOf(r).decision, /You changed this commitment/);
  r = await api(as.approver, 'POST', `/api/v1/budget/commitments/${cm.id}/decision`, { decision: 'approve' });
  assert.equal(ok(r).commitment.status, 'committed');
  // Not below what is paid; with payments, an increase that needs approval is refused.
  ok(await api(as.holder, 'POST', `/api/v1/budget/commitments/${cm.id}/payments`,
    { amount: '100.00', paid_on: TODAY }), 201);
  r = await fix(as.holder, cm.id, { amount: '99.99' });
  assert.match(errorsOf(r).amount, /100\.00 is already paid/);
  r = await fix(as.holder, cm.id, { amount: '2,600.01' });
  assert.match(errorsOf(r).amount, /has payments/);
  r = await api(as.holder, 'POST', `/api/v1/budget/commitments/${cm.id}/void`, { reason: 'Mistake' });
  assert.match(errorsOf(r).reason, /has payments/);
  // Void: kept, cancelled, out of the allocation's sums; no more corrections or payments.
  const before = await alloc();
  const small = await commit(as.holder, '250.00');
  assert.equal((await alloc()).remaining_pence, before.remaining_pence - 25000);
  r = await api(as.holder, 'POST', `/api/v1/budget/commitments/${small.id}/void`, { reason: '' });
  assert.match(errorsOf(r).reason, /Say why/);
  r = await api(as.holder, 'POST', `/api/v1/budget/commitments/${small.id}/void`, { reason: 'Against the wrong team' });
  const v = ok(r).commitment;
  assert.equal(v.status, 'cancelled');
  assert.equal(v.voided, true);
  assert.equal(v.status_label, 'Voided');
  assert.deepEqual(await alloc(), before);
  assert.match(errorsOf(await fix(as.holder, small.id, { amount: '1.00' })).reason, /voided/);
  r = await api(as.holder, 'POST', `/api/v1/budget/commitments/${small.id}/payments`, { amount: '1.00', paid_on: TODAY });
  assert.equal(r.status, 422);
  const list = ok(await api(as.holder, 'GET', `/api/v1/budget/allocations/${ids.A1}`)).commitments;
  assert.ok(list.some((c) => c.id === small.id && c.voided), 'the voided commitment is still listed');
  const fixes = ok(await api(as.holder, 'GET', `/api/v1/budget/commitments/${cm.id}`)).corrections;
  assert.equal(fixes.length, 4);
  assert.match(fixes[0].before, /1,000\.00/);
  assert.match(fixes[0].after, /900\.00/);
  assert.equal(sql(`SELECT detail FROM audit_log WHERE resource_kind = 'budget_commitment'
    AND resource_id = ${cm.id} AND action = 'edit' ORDER BY id`).split('\n').join(' '), 'budget.commit.correct budget.commit.correct.pending '
    + 'budget.commit.correct.pending budget.commit.correct.pending');
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE action = 'void' AND resource_kind = 'budget_commitment'`), '1');
  // The page offers the correction with its reason, and the void when nothing is paid.
  const web = new Client(srv.base);
  assert.equal((await web.signIn('holder', 'team-spender-pass-9')).status, 303);
  const page = decodeHtml((await web.getHtml(`/budget/commitments/${ids.Cdouble}`)).html);
  assert.match(page, /Correct this commitment/);
  assert.match(page, /Void this commitment/);
  const sent = await web.submitForm(`/budget/commitments/${ids.Cdouble}`, { correct_amount: '', description: 'x',
    'committed_on-day': TODAY.slice(8), 'committed_on-month': TODAY.slice(5, 7), 'committed_on-year': TODAY.slice(0, 4),
    reason: 'r' });
  assert.equal(sent.status, 400);
  assert.match(decodeHtml(await sent.text()), /href="#f-correct_amount">Enter the amount/);
});

test('payments: one recorded by mistake is voided with a reason, kept, and no longer counted as paid', async () => {
  const cm = ok(await api(as.holder, 'POST', `/api/v1/budget/allocations/${ids.A1}/commitments`,
    { description: 'Speech sessions', amount: '300.00', committed_on: TODAY }), 201).commitment;
  const pay = async (amount) => ok(await api(as.holder, 'POST', `/api/v1/budget/commitments/${cm.id}/payments`,
    { amount, paid_on: TODAY, reference: 'INV-77' }), 201);
  await pay('200.00');
  const paid = async () => ok(await api(as.holder, 'GET', `/api/v1/budget/commitments/${cm.id}`));
  let d = await paid();
  const payment = d.payments[0];
  assert.equal(d.commitment.paid_pence, 20000);
  const allocBefore = await alloc();
  // Typed twice: the second is refused (more than is left), so the first is the mistake.
  let r = await api(as.holder, 'POST', `/api/v1/budget/commitments/${cm.id}/payments`,
    { amount: '200.00', paid_on: TODAY });
  assert.match(errorsOf(r).amount, /more than is left/);
  // Who may not record payments for the team may not void them; nobody without a reason.
  assert.equal((await api(as.approver, 'POST', `/api/v1/budget/payments/${payment.id}/void`, { reason: 'x' })).status,
    403);
  assert.equal((await api(as.lead, 'POST', `/api/v1/budget/payments/${payment.id}/void`, { reason: 'x' })).status, 403);
  r = await api(as.holder, 'POST', `/api/v1/budget/payments/${payment.id}/void`, { reason: '' });
  assert.match(errorsOf(r).reason, /Say why the payment is voided/);
  r = await api(as.holder, 'POST', `/api/v1/budget/payments/${payment.id}/void`, { reason: 'Paid against the wrong commitment' });
  assert.equal(ok(r).payment.voided, true);
  assert.equal(r.body.payment.void_reason, 'Paid against the wrong commitment');
  r = await api(as.holder, 'POST', `/api/v1/budget/payments/${payment.id}/void`, { reason: 'Again' });
  assert.match(errorsOf(r).reason, /already voided/);
  d = await paid();
  assert.equal(d.commitment.paid_pence, 0, 'a voided payment is not paid');
  assert.equal(d.payments.length, 1, 'the voided payment is kept');
  assert.equal(d.payments[0].voided, true);
  const allocAfter = await alloc();
  assert.equal(allocAfter.paid_pence, allocBefore.paid_pence - 20000);
  assert.equal(allocAfter.committed_pence, allocBefore.committed_pence + 20000, 'committed, not yet paid, again');
  assert.equal(allocAfter.remaining_pence, allocBefore.remaining_pence);
  // The whole commitment can be paid again, and, with nothing paid, voided.
  await pay('300.00');
  assert.equal((await paid()).commitment.paid_pence, 30000);
  const fixes = ok(await api(as.holder, 'GET', `/api/v1/budget/payments/${payment.id}`)).corrections;
  assert.equal(fixes.length, 1);
  assert.equal(fixes[0].action, 'void');
  assert.match(fixes[0].before, /200\.00 paid on .*INV-77/);
  assert.equal(sql(`SELECT action || ' ' || detail FROM audit_log WHERE resource_kind = 'budget_payment'
    AND resource_id = ${payment.id} ORDER BY id`), 'create budget.pay\nvoid budget.pay.void');
  // The pages: the commitment links each payment and marks the voided one; the payment page has the void form.
  const web = new Client(srv.base);
  assert.equal((await web.signIn('holder', 'team-spender-pass-9')).status, 303);
  const cp = decodeHtml((await web.getHtml(`/budget/commitments/${cm.id}`)).html);
  assert.match(cp, new RegExp(`href="/budget/payments/${payment.id}"`));
  assert.match(cp, /<s>£200\.00<\/s> <strong class="govuk-tag govuk-tag--grey">Voided<\/strong>/);
  const voided = decodeHtml((await web.getHtml(`/budget/payments/${payment.id}`)).html);
  assert.match(voided, /Voided: Paid against the wrong commitment/);
  assert.doesNotMatch(voided, /Void this payment/);
  const live = d.payments.length === 1 ? ok(await api(as.holder, 'GET', `/api/v1/budget/commitments/${cm.id}`))
    .payments.find((p) => !p.voided) : null;
  const pp = await web.getHtml(`/budget/payments/${live.id}`);
  assert.match(decodeHtml(pp.html), /Void this payment/);
  const sent = await web.postForm(`/budget/payments/${live.id}/void`, { csrf: csrfFrom(pp.html), void_reason: '' });
  assert.equal(sent.status, 400);
  assert.match(await sent.text(), /href="#f-void_reason"/);
});

test('interventions: corrected or voided by the approver; the capacity not below who is on it', async () => {
  const mk = async (name, capacity) => ok(await api(as.approver, 'POST', `/api/v1/budget/interventions?authority_id=${ids.A}`,
    { name, provider: 'Youth Trust', unit: 'session', unit_cost: '40.00', capacity, aims: ['attendance'] }), 201)
    .intervention;
  const iv = await mk('Mentoring', '1');
  const spare = await mk('Typo Mentoring', '3');
  const fix = (c, id, body) => api(c, 'PUT', `/api/v1/budget/interventions/${id}`, { name: 'Mentoring',
    provider: 'Youth Trust', unit_cost: '40.00', capacity: '1', eligibility: '', reason: 'Price list', ...body });
  assert.equal((await fix(as.holder, iv.id, {})).status, 403);
  assert.match(errorsOf(await fix(as.approver, iv.id, { reason: '' })).reason, /Say why/);
  assert.match(errorsOf(await fix(as.approver, iv.id, { name: 'Typo Mentoring' })).name, /already has/);
  let r = await fix(as.approver, iv.id, { unit_cost: '45.00', capacity: '2' });
  assert.equal(ok(r).intervention.unit_cost, `${POUND}45.00`);
  assert.equal(r.body.intervention.capacity, 2);
  ids.I = iv.id;
  // A decision keeps the cost it was bought at; the intervention is then not voidable.
  const cm = ok(await api(as.holder, 'POST', `/api/v1/budget/allocations/${ids.A1}/commitments`,
    { intervention_id: String(iv.id), units: '10', committed_on: TODAY }), 201).commitment;
  assert.equal(cm.amount_pence, 45000);
  ids.C = cm.id;
  r = await api(as.approver, 'POST', `/api/v1/budget/interventions/${iv.id}/void`, { reason: 'Mistake' });
  assert.match(errorsOf(r).reason, /commissioning decisions/);
  ok(await fix(as.approver, iv.id, { unit_cost: '50.00', capacity: '2' }));
  assert.equal(ok(await api(as.holder, 'GET', `/api/v1/budget/commitments/${cm.id}`)).commitment.amount_pence, 45000);
  // Correcting the decision's units keeps its unit cost (£45).
  r = await api(as.holder, 'PUT', `/api/v1/budget/commitments/${cm.id}`,
    { units: '12', committed_on: TODAY, description: cm.description, reason: 'Two more sessions' });
  assert.equal(ok(r).commitment.amount_pence, 54000);
  assert.equal(r.body.commitment.units, 12);
  // The spare one: voided, kept, out of the catalogue for new decisions.
  r = await api(as.approver, 'POST', `/api/v1/budget/interventions/${spare.id}/void`, { reason: 'Entered by mistake' });
  assert.equal(ok(r).intervention.voided, true);
  assert.equal(r.body.intervention.active, false);
  // Its record answers the void with its reason, as the corrected one its corrections.
  const voidedOne = ok(await api(as.approver, 'GET', `/api/v1/budget/interventions/${spare.id}`));
  assert.equal(voidedOne.intervention.void_reason, 'Entered by mistake');
  assert.deepEqual(voidedOne.corrections.map((c) => [c.action, c.is_void, c.reason]),
    [['void', true, 'Entered by mistake']]);
  const fixedOne = ok(await api(as.approver, 'GET', `/api/v1/budget/interventions/${iv.id}`));
  assert.equal(fixedOne.intervention.voided, false);
  assert.deepEqual(fixedOne.corrections.map((c) => c.action), ['correct', 'correct']);
  r = await api(as.holder, 'POST', `/api/v1/budget/allocations/${ids.A1}/commitments`,
    { intervention_id: String(spare.id), units: '1', committed_on: TODAY });
  assert.match(errorsOf(r).intervention_id, /catalogue/);
  const list = ok(await api(as.holder, 'GET', `/api/v1/budget/interventions?authority_id=${ids.A}`)).interventions;
  assert.ok(list.some((i) => i.id === spare.id && i.voided));
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE resource_kind = 'intervention' AND action IN ('edit', 'void')`),
    '3');
});

test('voiding from a page: no reason shows the form again with the error; a reason voids and returns to the record', async () => {
  const iv = ok(await api(as.approver, 'POST', `/api/v1/budget/interventions?authority_id=${ids.A}`,
    { name: 'Page-voided mentoring', provider: 'Youth Trust', unit: 'session', unit_cost: '10.00', capacity: '1',
      aims: ['attendance'] }), 201).intervention;
  const web = new Client(srv.base);
  assert.equal((await web.signIn('approver', 'pool-keeper-pass-9')).status, 303);
  let page = await web.getHtml(`/budget/interventions/${iv.id}`);
  assert.match(page.html, new RegExp(`action="/budget/interventions/${iv.id}/void"`));
  let r = await web.postForm(`/budget/interventions/${iv.id}/void`, { csrf: csrfFrom(page.html), void_reason: '' });
  assert.equal(r.status, 400);
  const again = await r.text();
  assert.match(again, /href="#f-void_reason"/, 'the error summary points at the void form\'s reason');
  assert.match(again, /<textarea[^>]*id="f-void_reason"/);
  assert.match(decodeHtml(again), /Say why the intervention is voided/);
  assert.equal(sql(`SELECT count(*) FROM interventions WHERE id = ${iv.id} AND voided_at IS NULL`), '1');
  r = await web.postForm(`/budget/interventions/${iv.id}/void`, { csrf: csrfFrom(again), void_reason: 'Typed twice' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/budget/interventions/${iv.id}?saved=void`);
  page = await web.getHtml(`/budget/interventions/${iv.id}?saved=void`);
  assert.match(decodeHtml(page.html), /Intervention voided/);
  assert.match(decodeHtml(page.html), /Voided: Typed twice/);
});

test('capacity holds over the whole placement: overlapping periods refused, adjacent ones not; voided placements free it', async () => {
  // Capacity 1 for this test.
  ok(await api(as.approver, 'PUT', `/api/v1/budget/interventions/${ids.I}`, { name: 'Mentoring', provider: 'Youth Trust',
    unit_cost: '50.00', capacity: '1', eligibility: '', reason: 'One mentor left' }));
  const place = (starts, ends, units = '1') => api(as.both, 'POST', `/api/v1/budget/commitments/${ids.C}/placements`,
    { action_id: String(ids.action), starts_on: starts, ends_on: ends, units_used: units });
  const a = ok(await place(day(10), day(20)), 201).placement;
  // Starts on a free day but runs into the first: the start day alone would allow it.
  let r = await place(day(0), day(15));
  assert.equal(r.status, 422, r.text);
  assert.match(errorsOf(r).starts_on, /full on a day of this placement/);
  r = await place(day(0), day(10));
  assert.equal(r.status, 422, 'ending the day the other starts overlaps it');
  r = await place(day(-5), '');
  assert.match(errorsOf(r).starts_on, /full on that day or after it/, 'open-ended overlaps everything after');
  r = await place(day(21), day(25));
  assert.equal(r.status, 201, `starting the day after the other ends: ${r.text}`);
  r = await place(day(0), day(9));
  assert.equal(r.status, 201, `ending the day before the other starts: ${r.text}`);
  r = await place(day(12), day(12));
  assert.equal(r.status, 422, 'inside the other');
  // A changed placement is checked the same way: extending the first into the third is refused.
  r = await api(as.both, 'PUT', `/api/v1/budget/placements/${a.id}`, { starts_on: day(10), ends_on: day(22), units_used: '1' });
  assert.equal(r.status, 422, r.text);
  assert.match(errorsOf(r).starts_on, /full/);
  ok(await api(as.both, 'PUT', `/api/v1/budget/placements/${a.id}`, { starts_on: day(10), ends_on: day(20), units_used: '2' }));
  // The capacity cannot be set below who is on it at once from today.
  r = await api(as.approver, 'PUT', `/api/v1/budget/interventions/${ids.I}`, { name: 'Mentoring', provider: 'Youth Trust',
    unit_cost: '50.00', capacity: '1', eligibility: '', reason: 'Same' });
  assert.equal(r.status, 200, r.text);
  // Voiding a placement: with a reason, by those who place; kept, out of units and capacity.
  r = await api(as.holder, 'POST', `/api/v1/budget/placements/${a.id}/void`, { reason: 'Wrong pupil' });
  assert.equal(r.status, 404, 'the budget alone does not see the pupil');
  r = await api(as.both, 'POST', `/api/v1/budget/placements/${a.id}/void`, { reason: '' });
  assert.match(errorsOf(r).reason, /Say why/);
  r = await api(as.both, 'POST', `/api/v1/budget/placements/${a.id}/void`, { reason: 'Placed on the wrong dates' });
  assert.equal(ok(r).placement.voided, true);
  r = await place(day(12), day(14), '10');
  assert.equal(r.status, 201, `the voided placement's days and units are free again: ${r.text}`);
  r = await api(as.both, 'PUT', `/api/v1/budget/placements/${a.id}`, { starts_on: day(10), ends_on: day(20), units_used: '0' });
  assert.match(errorsOf(r).units_used, /voided/);
  const d = ok(await api(as.both, 'GET', `/api/v1/budget/commitments/${ids.C}`));
  assert.equal(d.placements.length, 4, 'the voided placement is kept');
  assert.equal(d.placements.filter((p) => p.voided).length, 1);
  r = await api(as.both, 'POST', `/api/v1/budget/commitments/${ids.C}/void`, { reason: 'x' });
  assert.match(errorsOf(r).reason, /void the placements first/);
  assert.equal(sql(`SELECT action FROM audit_log WHERE resource_kind = 'placement' AND action = 'void'
    AND pupil_id = ${ids.pupil}`), 'void');
  const web = new Client(srv.base);
  assert.equal((await web.signIn('both', 'dual-duty-pass-99')).status, 303);
  const page = decodeHtml((await web.getHtml(`/budget/placements/${a.id}`)).html);
  assert.match(page, /Voided: Placed on the wrong dates/);
  assert.doesNotMatch(page, /Void this placement/);
});

test('the cost-benefit unit costs: no community paediatrics figure is invented; the page asks for the local one', async () => {
  const costs = ok(await api(as.approver, 'GET', `/api/v1/budget/costs?authority_id=${ids.A}`)).unit_costs;
  const paed = costs.find((u) => u.key === 'paediatrics_referral');
  assert.equal(paed.set, false);
  assert.match(paed.source, /^Enter your local figure/);
  assert.match(paed.source, /National Cost Collection/);
  for (const key of ['ap_place_year', 'permanent_exclusion']) {
    const u = costs.find((x) => x.key === key);
    assert.equal(u.set, true, key);
    assert.match(u.url, /^https:\/\//, key);
  }
  const web = new Client(srv.base);
  assert.equal((await web.signIn('approver', 'pool-keeper-pass-9')).status, 303);
  const page = decodeHtml((await web.getHtml(`/budget/costs?authority_id=${ids.A}`)).html);
  assert.match(page, /A community paediatrics referral<\/dt>\s*<dd[^>]*>Not set: enter your local figure/);
  const report = decodeHtml((await web.getHtml(`/budget/years/${ids.Y}/report`)).html);
  assert.match(report, /Not set: enter your local figure/);
});

test('an allocation keeps its history; lowering says why and never goes below what is spent', async () => {
  const a = await alloc();
  const spent = a.committed_pence + a.paid_pence;
  assert.ok(spent > 0 && a.amount_pence > spent, `spent ${spent} of ${a.amount_pence}`);
  const put = (amount_pence, extra = {}) => api(as.approver, 'PUT', `/api/v1/budget/years/${ids.Y}/allocations`,
    { team_id: ids.T1, amount: (amount_pence / 100).toFixed(2), ...extra });
  const rows = () => Number(sql(`SELECT count(*) FROM budget_allocation_changes WHERE allocation_id = ${ids.A1}`));
  const before = rows();
  // Lowered without a reason, or below what is committed and paid: refused, nothing kept.
  let r = await put(a.amount_pence - 1);
  assert.equal(r.status, 422);
  assert.match(errorsOf(r).reason, /Say why the allocation is lowered/);
  r = await put(spent - 1, { reason: 'Too far' });
  assert.equal(r.status, 422);
  assert.match(errorsOf(r).amount, /cannot be less than what is committed and paid from it/);
  assert.equal(rows(), before);
  assert.equal((await alloc()).amount_pence, a.amount_pence);

  // From the year's page: below what is spent shows the error beside the box; a form sent twice (at once, with
  // the same one-time token) lowers it once.
  const web = new Client(srv.base);
  assert.equal((await web.signIn('approver', 'pool-keeper-pass-9')).status, 303);
  let page = await web.getHtml(`/budget/years/${ids.Y}`);
  const form = (amount_pence, reason) => ({ csrf: csrfFrom(page.html),
    form_token: page.html.match(/name="form_token" value="([0-9a-f]{32})"/)[1], team_id: String(ids.T1),
    allocation: (amount_pence / 100).toFixed(2), reason });
  let res = await web.postForm(`/budget/years/${ids.Y}/allocations`, form(spent - 1, 'Too far'));
  assert.equal(res.status, 400);
  const html = decodeHtml(await res.text());
  assert.match(html, /govuk-error-summary/);
  assert.match(html, /The allocation cannot be less than what is committed and paid from it/);
  page = await web.getHtml(`/budget/years/${ids.Y}`);
  const twice = form(spent, 'Sent twice: the team\'s plans shrank');
  const [f1, f2] = await Promise.all([web.postForm(`/budget/years/${ids.Y}/allocations`, twice),
    web.postForm(`/budget/years/${ids.Y}/allocations`, twice)]);
  assert.equal(f1.status, 303);
  assert.equal(f2.status, 303);
  assert.equal(rows(), before + 1);
  // Raised again: no reason needed, kept too.
  ok(await put(a.amount_pence));
  assert.equal(rows(), before + 2);

  const h = ok(await api(as.holder, 'GET', `/api/v1/budget/allocations/${ids.A1}`)).history;
  assert.deepEqual(h.map((x) => x.new_amount_pence), [800000, 650000, spent, a.amount_pence]);
  assert.deepEqual(h.map((x) => x.old_amount_pence), [null, 800000, 650000, spent]);
  assert.deepEqual(h.map((x) => x.reason), ['', 'The pool was entered twice', "Sent twice: the team's plans shrank", '']);
  assert.ok(h.every((x) => x.changed_by_name === 'Test approver'));
  assert.equal(h[2].old_amount, `${POUND}6,500.00`);
  // Each setting audited.
  assert.equal(Number(sql(`SELECT count(*) FROM audit_log WHERE resource_kind = 'budget_allocation' AND resource_id = ${ids.A1}`)),
    h.length);
  // Shown on the allocation's page as a table, oldest first.
  const hp = (await web.getHtml(`/budget/allocations/${ids.A1}`)).html;
  assert.match(hp, /History of the allocation/);
  const cells = [...hp.matchAll(/<td class="govuk-table__cell govuk-table__cell--numeric">([^<]*)<\/td>\s*<td class="govuk-table__cell govuk-table__cell--numeric">([^<]*)<\/td>\s*<td class="govuk-table__cell">([^<]*)<\/td>/g)]
    .map((m) => [m[1], m[2], decodeHtml(m[3])]);
  assert.deepEqual(cells.map((c) => c[0]), ['Not set', `${POUND}8,000.00`, `${POUND}6,500.00`,
    h[3].old_amount]);
  assert.equal(cells[2][2], "Sent twice: the team's plans shrank");
});

test("an action's page shows its budget placements to who may see the budget, and nothing to others", async () => {
  const places = ok(await api(as.both, 'GET', `/api/v1/budget/commitments/${ids.C}`)).placements
    .filter((p) => p.action_id === ids.action);
  assert.ok(places.length >= 2, 'the capacity test made placements from the action');
  // Both a case role and the budget: every placement, by start, voided ones marked.
  const seen = ok(await api(as.both, 'GET', `/api/v1/actions/${ids.action}`)).placements;
  const byStart = [...places].sort((x, y) => x.starts_on.localeCompare(y.starts_on) || x.id - y.id);
  assert.deepEqual(seen.map((p) => p.id), byStart.map((p) => p.id));
  assert.ok(seen.every((p) => p.intervention_name === 'Mentoring' && p.action_id === ids.action));
  const audited = () => Number(sql(`SELECT count(*) FROM audit_log WHERE detail = 'budget.action_placements'
    AND resource_id = ${ids.action} AND pupil_id = ${ids.pupil}`));
  assert.equal(audited(), 1);
  const web = new Client(srv.base);
  assert.equal((await web.signIn('both', 'dual-duty-pass-99')).status, 303);
  const page = decodeHtml((await web.getHtml(`/actions/${ids.action}`)).html);
  assert.match(page, /Placements paid from the pooled budget/);
  const first = byStart[0];
  assert.match(page, new RegExp(`<a class="govuk-link" href="/budget/placements/${first.id}">Mentoring</a>`));
  assert.match(page, new RegExp(first.starts_on_label));
  assert.match(page, /Voided/);
  // The case's coordinator without a budget role sees the action and none of its placements.
  const coord = await signIn('coordinator', 'demo-password');
  const plain = ok(await api(coord, 'GET', `/api/v1/actions/${ids.action}`));
  assert.equal(plain.action.id, ids.action);
  assert.deepEqual(plain.placements, []);
  const cweb = new Client(srv.base);
  assert.equal((await cweb.signIn('coordinator', 'demo-password')).status, 303);
  const cpage = decodeHtml((await cweb.getHtml(`/actions/${ids.action}`)).html);
  assert.doesNotMatch(cpage, /pooled budget|\/budget\/placements\//);
  // The team's budget holder without a case role does not see the action at all.
  assert.equal((await api(as.holder, 'GET', `/api/v1/actions/${ids.action}`)).status, 404);
  assert.equal(audited(), 2, 'only the reads that showed placements are audited');
});
