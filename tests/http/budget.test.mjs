// The pooled budget (issue 20): budget years, partners' contributions,
// allocations to teams, commitments against an allocation (never over
// without an approval), approvals within limits per role, payments, the
// figures on the pages, who may do what, and the audit trail.  The budget
// roles are users made with `tas user add` (the demo has none).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, Client, tasBin, DEMO_PASSWORD, csrfFrom, decodeHtml, TODAY, addDays } from './harness.mjs';
import { dbSql, dbScript, ON_POSTGRES } from './harness.mjs';

let srv;
const as = {};
const ids = {};
// The budget year (1 April to 31 March) holding today.
const START = Number(TODAY.slice(5, 7)) >= 4 ? Number(TODAY.slice(0, 4)) : Number(TODAY.slice(0, 4)) - 1;
const LABEL = `${START}-${String((START + 1) % 100).padStart(2, '0')}`;
const POUND = '\u00a3';

function sql(q) {
  return dbSql(srv.db, q);
}

function cliUser(username, password, args) {
  const r = spawnSync(tasBin(), ['user', 'add', username, '--db', srv.db, '--name', `Test ${username}`, ...args],
    { input: `${password}\n`, encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, r.stderr);
}

async function signIn(username, password = DEMO_PASSWORD) {
  const c = new Client(srv.base);
  const res = await c.postJson('/api/v1/sign-in', { username, password });
  const text = await res.text();
  assert.equal(res.status, 200, `sign-in of ${username}: ${text}`);
  c.csrf = JSON.parse(text).csrf;
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

function errorsOf(r) {
  return Object.fromEntries((r.body.errors ?? []).map((e) => [e.field, e.message]));
}

const day = (n) => addDays(TODAY, n);

before(async () => {
  srv = await startServer({ seed: 5, extraArgs: ['--quiet'] });
  const coord = await signIn('coordinator');
  as.coord = coord;
  const me = (await api(coord, 'GET', '/api/v1/me')).body;
  ids.A = me.user?.roles?.[0]?.scope_id ?? me.roles?.[0]?.scope_id;
  assert.ok(ids.A > 0, JSON.stringify(me).slice(0, 300));
  const schools = (await api(coord, 'GET', '/api/v1/schools?per_page=5')).body.schools;
  const teamBody = (host, name) => ({ name, host_school_id: host, cadence: 'fortnightly', weekday: 3,
    start_time: '13:30', duration_minutes: 90 });
  const made = async (p, body) => {
    const r = await api(coord, 'POST', p, body);
    assert.equal(r.status, 201, r.text);
    return r.body;
  };
  ids.T1 = (await made('/api/v1/teams', teamBody(schools[0].id, 'Budget Team North'))).team.id;
  ids.T2 = (await made('/api/v1/teams', teamBody(schools[1].id, 'Budget Team South'))).team.id;

  cliUser('approver', 'pool-keeper-pass-9', ['--role', 'budget_approver', '--scope', 'authority',
    '--scope-id', String(ids.A)]);
  cliUser('holder', 'team-spender-pass-9', ['--role', 'budget_holder', '--scope', 'team', '--scope-id', String(ids.T1),
    '--authority-id', String(ids.A)]);
  cliUser('holder.la', 'la-spender-pass-9', ['--role', 'budget_holder', '--scope', 'authority',
    '--scope-id', String(ids.A)]);
  cliUser('both', 'dual-duty-pass-99', ['--role', 'budget_holder', '--scope', 'authority', '--scope-id', String(ids.A)]);
  sql(`INSERT INTO user_roles (user_id, role, scope_kind, scope_id, authority_id, detail)
    SELECT id, 'budget_approver', 'authority', ${ids.A}, ${ids.A}, '' FROM users WHERE username = 'both';`);
  cliUser('root', 'platform-key-7788', ['--role', 'admin', '--scope', 'system']);
  // Placing a pupil needs both the budget and the case: a team's budget
  // holder who is also its case coordinator.
  cliUser('placer', 'places-pupils-99', ['--role', 'budget_holder', '--scope', 'team', '--scope-id', String(ids.T1),
    '--authority-id', String(ids.A)]);
  sql(`INSERT INTO user_roles (user_id, role, scope_kind, scope_id, authority_id, detail)
    SELECT id, 'case_coordinator', 'team', ${ids.T1}, ${ids.A}, '' FROM users WHERE username = 'placer';`);
  sql(`INSERT INTO user_roles (user_id, role, scope_kind, scope_id, authority_id, detail)
    SELECT id, 'case_coordinator', 'authority', ${ids.A}, ${ids.A}, '' FROM users WHERE username = 'both';`);
  // A case with an open action in each team.
  const pupilIn = async (school, nth = 0) => (await api(coord, 'GET', `/api/v1/pupils?school=${school}&per_page=5`))
    .body.pupils.filter((p) => p.school.id === school)[nth].id;
  const openCase = async (pupil, teamId) => {
    await made(`/api/v1/pupils/${pupil}/consents`, { given_by: 'Jo Example', relationship: 'mother',
      given_on: day(-30), covers_discussion: 'yes' });
    const kase = (await made(`/api/v1/pupils/${pupil}/cases`, { team_id: teamId, need_semh: 'Struggles at lunch' })).case;
    const act = (await made(`/api/v1/cases/${kase.id}/actions`, { description: 'Mentoring with the Youth Trust',
      owner_name: 'Pastoral lead', setting: 'school', nature: 'coordination', due_on: day(14) })).action;
    return { pupil, case: kase.id, action: act.id };
  };
  ids.k1 = await openCase(await pupilIn(schools[0].id), ids.T1);
  ids.k2 = await openCase(await pupilIn(schools[1].id), ids.T2);
  ids.k3 = await openCase(await pupilIn(schools[0].id, 1), ids.T1);

  as.approver = await signIn('approver', 'pool-keeper-pass-9');
  as.holder = await signIn('holder', 'team-spender-pass-9');
  as.holderLa = await signIn('holder.la', 'la-spender-pass-9');
  as.both = await signIn('both', 'dual-duty-pass-99');
  as.root = await signIn('root', 'platform-key-7788');
  as.placer = await signIn('placer', 'places-pupils-99');
  as.admin = await signIn('admin');
  as.lead = await signIn('lead');
  as.steer = await signIn('steering');
  as.eval = await signIn('evaluator');
  as.head = await signIn('head');
});

after(async () => { await srv?.stop({ expectExitZero: true }); });

test('budget years: the approver adds one; the year is checked; others may not', async () => {
  for (const [start, msg] of [['', /Enter the year/], ['26', /from 2000 to 2099/], ['2100', /from 2000 to 2099/],
    ['20x6', /from 2000 to 2099/]]) {
    const r = await api(as.approver, 'POST', '/api/v1/budget/years', { start_year: start, authority_id: ids.A });
    assert.equal(r.status, 422, r.text);
    assert.match(errorsOf(r).start_year, msg);
  }
  for (const u of ['holder', 'holderLa', 'lead', 'head', 'coord']) {
    const r = await api(as[u], 'POST', '/api/v1/budget/years', { start_year: String(START), authority_id: ids.A });
    assert.equal(r.status, 403, `${u}: ${r.text}`);
  }
  const r = await api(as.approver, 'POST', '/api/v1/budget/years', { start_year: String(START), authority_id: ids.A });
  assert.equal(r.status, 201, r.text);
  const y = r.body.year;
  ids.Y = y.id;
  assert.equal(y.label, LABEL);
  assert.equal(y.starts_on, `${START}-04-01`);
  assert.equal(y.ends_on, `${START + 1}-03-31`);
  assert.equal(y.starts_on_label, `1 April ${START}`);
  assert.equal(y.pool_pence, 0);
  assert.equal(y.pool, `${POUND}0.00`);
  const again = await api(as.approver, 'POST', '/api/v1/budget/years', { start_year: String(START), authority_id: ids.A });
  assert.equal(again.status, 422);
  assert.match(errorsOf(again).start_year, /already exists/);
  // A year of another authority is not the approver's to see.
  const B = (await api(as.root, 'POST', '/api/v1/authorities', { la_code: '996', name: 'Farshire Council' })).body.authority.id;
  const yb = await api(as.root, 'POST', '/api/v1/budget/years', { start_year: String(START), authority_id: B });
  assert.equal(yb.status, 201, yb.text);
  ids.YB = yb.body.year.id;
  assert.equal((await api(as.approver, 'GET', `/api/v1/budget/years/${ids.YB}`)).status, 404);
  assert.equal((await api(as.approver, 'GET', '/api/v1/budget/years/999999')).status, 404);
  assert.equal((await api(as.approver, 'POST', `/api/v1/budget/years/${ids.YB}/contributions`,
    { partner: 'la', amount: '10.00', received_on: TODAY })).status, 404);
  const list = (await api(as.approver, 'GET', '/api/v1/budget')).body.years.map((x) => x.id);
  assert.deepEqual(list, [ids.Y]);
});

test('contributions: by partner, in pounds and pence, dated; the pool adds them up', async () => {
  const bad = [
    [{ partner: 'parish', amount: '10', received_on: TODAY }, 'partner', /Select the partner/],
    [{ partner: 'la', amount: '12.345', received_on: TODAY }, 'amount', /pounds and pence/],
    [{ partner: 'la', amount: '-5', received_on: TODAY }, 'amount', /pounds and pence/],
    [{ partner: 'la', amount: '0', received_on: TODAY }, 'amount', /more than 0/],
    [{ partner: 'la', amount: '', received_on: TODAY }, 'amount', /Enter the amount/],
    [{ partner: 'la', amount: '5', received_on: '2026-02-30' }, 'received_on', /real date/],
    [{ partner: 'la', amount: '5', received_on: '2026-02-30' }, 'received_on',
      /^The date the money was received must be a real date$/],
    [{ partner: 'la', amount: '5', received_on: '' }, 'received_on', /^Enter the date the money was received$/],
  ];
  for (const [body, field, msg] of bad) {
    const r = await api(as.approver, 'POST', `/api/v1/budget/years/${ids.Y}/contributions`, body);
    assert.equal(r.status, 422, r.text);
    assert.match(errorsOf(r)[field], msg, JSON.stringify(body));
  }
  const paid = [['la', 'Northshire County Council', '50,000.00'], ['health', '', '20000'],
    ['police', 'Northshire Police', '5,000.5'], ['schools', 'Schools forum', '24999.50']];
  for (const [partner, name, amount] of paid) {
    const r = await api(as.approver, 'POST', `/api/v1/budget/years/${ids.Y}/contributions`,
      { partner, partner_name: name, amount, received_on: `${START}-04-15` });
    assert.equal(r.status, 201, r.text);
  }
  const { body } = await api(as.approver, 'GET', `/api/v1/budget/years/${ids.Y}`);
  assert.equal(body.contributions.length, 4);
  const health = body.contributions.find((c) => c.partner === 'health');
  assert.equal(health.partner_name, 'Health (integrated care board)', 'the partner\'s label when no name is given');
  assert.equal(health.amount_pence, 2000000);
  assert.equal(body.contributions.find((c) => c.partner === 'police').amount, `${POUND}5,000.50`);
  const sum = body.contributions.reduce((s, c) => s + c.amount_pence, 0);
  assert.equal(sum, 10000000);
  assert.equal(body.year.pool_pence, sum);
  assert.equal(body.year.pool, `${POUND}100,000.00`);
  assert.equal(body.contributions[0].received_on_label, `15 April ${START}`);
  // Only those who keep the pool record money in.
  for (const u of ['holder', 'holderLa', 'lead']) {
    const r = await api(as[u], 'POST', `/api/v1/budget/years/${ids.Y}/contributions`,
      { partner: 'la', amount: '1.00', received_on: TODAY });
    assert.equal(r.status, u === 'holder' ? 404 : 403, `${u}: ${r.text}`);
  }
});

test('allocations: devolved to teams, never more than the pool', async () => {
  let r = await api(as.approver, 'PUT', `/api/v1/budget/years/${ids.Y}/allocations`, { team_id: ids.T1, amount: '60,000' });
  assert.equal(r.status, 200, r.text);
  ids.A1 = r.body.allocation.id;
  r = await api(as.approver, 'PUT', `/api/v1/budget/years/${ids.Y}/allocations`, { team_id: ids.T2, amount: '40000.01' });
  assert.equal(r.status, 422);
  assert.match(errorsOf(r).amount, new RegExp(`more than the pool: ${POUND}40,000.00 is left`));
  r = await api(as.approver, 'PUT', `/api/v1/budget/years/${ids.Y}/allocations`, { team_id: ids.T2, amount: '40000' });
  assert.equal(r.status, 200, r.text);
  ids.A2 = r.body.allocation.id;
  // Changing one replaces it (the same allocation); lowering one says why.
  r = await api(as.approver, 'PUT', `/api/v1/budget/years/${ids.Y}/allocations`, { team_id: ids.T2, amount: '39,999.99' });
  assert.equal(r.status, 422);
  assert.match(errorsOf(r).reason, /Say why the allocation is lowered/);
  r = await api(as.approver, 'PUT', `/api/v1/budget/years/${ids.Y}/allocations`,
    { team_id: ids.T2, amount: '39,999.99', reason: 'A penny back to the pool' });
  assert.equal(r.status, 200);
  assert.equal(r.body.allocation.id, ids.A2);
  assert.equal(r.body.allocation.amount_pence, 3999999);
  r = await api(as.approver, 'PUT', `/api/v1/budget/years/${ids.Y}/allocations`, { team_id: 999999, amount: '1' });
  assert.equal(r.status, 422);
  assert.match(errorsOf(r).team_id, /Select a team/);
  for (const u of ['holder', 'holderLa', 'lead']) {
    r = await api(as[u], 'PUT', `/api/v1/budget/years/${ids.Y}/allocations`, { team_id: ids.T1, amount: '1' });
    assert.equal(r.status, u === 'holder' ? 404 : 403, u);
  }
  const y = (await api(as.approver, 'GET', `/api/v1/budget/years/${ids.Y}`)).body.year;
  assert.equal(y.allocated_pence, 9999999);
  assert.equal(y.unallocated, `${POUND}0.01`);
});

test('commitments: within the limit and the allocation at once; anything over waits for an approver', async () => {
  const commit = (c, alloc, description, amount, on = TODAY) =>
    api(c, 'POST', `/api/v1/budget/allocations/${alloc}/commitments`, { description, amount, committed_on: on });
  // The default limit of a budget holder is £2,500.00.
  let r = await commit(as.holder, ids.A1, 'Mentoring, 10 sessions', '2,500.00');
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.commitment.status, 'committed');
  ids.C1 = r.body.commitment.id;
  r = await commit(as.holder, ids.A1, 'Family support worker, one term', '2500.01');
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.commitment.status, 'pending');
  assert.equal(r.body.commitment.needs_over_limit, true);
  assert.equal(r.body.commitment.needs_over_allocation, false);
  ids.C2 = r.body.commitment.id;
  // Not another team's allocation, not outside the year, nothing nonsensical.
  assert.equal((await commit(as.holder, ids.A2, 'Not ours', '10')).status, 404);
  r = await commit(as.holder, ids.A1, 'Out of year', '10', `${START + 1}-04-01`);
  assert.equal(r.status, 422);
  assert.match(errorsOf(r).committed_on, new RegExp(`budget year ${LABEL}`));
  r = await commit(as.holder, ids.A1, '', '0');
  assert.equal(r.status, 422);
  assert.deepEqual(Object.keys(errorsOf(r)).sort(), ['amount', 'description']);
  // The approver keeps the pool but does not spend it.
  assert.equal((await commit(as.approver, ids.A1, 'Approver spending', '10')).status, 403);
  assert.equal((await commit(as.lead, ids.A1, 'Lead spending', '10')).status, 403);

  // A limit raised by the approver; then the allocation is what binds.
  r = await api(as.holder, 'PUT', `/api/v1/budget/limits?authority_id=${ids.A}`, { holder_limit: '1', approver_limit: '1' });
  assert.equal(r.status, 403);
  r = await api(as.approver, 'PUT', `/api/v1/budget/limits?authority_id=${ids.A}`,
    { holder_limit: '100,000.00', approver_limit: '30,000.00' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.holder_limit_pence, 10000000);
  assert.equal(r.body.approver_limit, `${POUND}30,000.00`);
  const a1 = (await api(as.holder, 'GET', `/api/v1/budget/allocations/${ids.A1}`)).body.allocation;
  assert.equal(a1.remaining_pence, 6000000 - 250000);
  r = await commit(as.holder, ids.A1, 'Alternative provision, two terms', (a1.remaining_pence / 100).toFixed(2));
  assert.equal(r.body.commitment.status, 'committed', 'exactly what is left');
  ids.C3 = r.body.commitment.id;
  r = await commit(as.holder, ids.A1, 'One penny more', '0.01');
  assert.equal(r.body.commitment.status, 'pending');
  assert.equal(r.body.commitment.needs_over_allocation, true);
  assert.equal(r.body.commitment.needs_over_limit, false);
  ids.C4 = r.body.commitment.id;
  r = await commit(as.holderLa, ids.A2, 'Speech and language therapy block', '40,000.00');
  assert.equal(r.body.commitment.status, 'pending');
  ids.C5 = r.body.commitment.id;
  r = await commit(as.both, ids.A2, 'Asked by someone who also approves', '0.02');
  assert.equal(r.body.commitment.status, 'committed');
  r = await commit(as.both, ids.A2, 'Over their own holder limit', '100,000.01');
  assert.equal(r.body.commitment.status, 'pending');
  ids.C6 = r.body.commitment.id;
  // The administrator keeps the system: their every commitment waits.
  r = await commit(as.admin, ids.A2, 'Administrator spending', '1.00');
  assert.equal(r.body.commitment.status, 'pending');
  ids.C7 = r.body.commitment.id;
  // The team holder sees their own team's allocation only.
  const mine = (await api(as.holder, 'GET', '/api/v1/budget')).body;
  assert.deepEqual(mine.years, []);
  assert.deepEqual(mine.allocations.map((a) => a.id), [ids.A1]);
  assert.equal((await api(as.holder, 'GET', `/api/v1/budget/allocations/${ids.A2}`)).status, 404);
  assert.equal((await api(as.holder, 'GET', `/api/v1/budget/commitments/${ids.C5}`)).status, 404);
  assert.equal((await api(as.holder, 'GET', `/api/v1/budget/years/${ids.Y}`)).status, 404);
});

test('approvals: not one\'s own, within the role\'s limit, a refusal says why; each decided once', async () => {
  const decide = (c, id, decision, note) => api(c, 'POST', `/api/v1/budget/commitments/${id}/decision`, { decision, note });
  const queue = (await api(as.approver, 'GET', '/api/v1/budget/approvals')).body.commitments.map((c) => c.id);
  assert.deepEqual(queue, [ids.C2, ids.C4, ids.C5, ids.C6, ids.C7], 'oldest first');
  assert.equal((await api(as.holder, 'GET', '/api/v1/budget/approvals')).status, 403);
  assert.equal((await decide(as.holder, ids.C2, 'approve')).status, 403, 'a holder does not approve');
  let r = await decide(as.approver, ids.C5, 'approve');
  assert.equal(r.status, 422);
  assert.match(errorsOf(r).decision, /above your approval limit/);
  r = await decide(as.both, ids.C6, 'approve');
  assert.equal(r.status, 422);
  assert.match(errorsOf(r).decision, /You asked for this commitment/);
  r = await decide(as.admin, ids.C6, 'approve');
  assert.equal(r.status, 422);
  assert.match(errorsOf(r).decision, /no approval limit/);
  r = await decide(as.admin, ids.C7, 'approve');
  assert.match(errorsOf(r).decision, /You asked for this commitment/);
  r = await decide(as.approver, ids.C7, 'maybe');
  assert.equal(r.status, 422);
  r = await decide(as.approver, ids.C7, 'refuse', '');
  assert.equal(r.status, 422);
  assert.match(errorsOf(r).note, /Say why/);
  r = await decide(as.approver, ids.C7, 'refuse', 'Administrators do not commission');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.commitment.status, 'refused');
  r = await decide(as.approver, ids.C2, 'approve');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.commitment.status, 'committed');
  r = await decide(as.approver, ids.C4, 'approve', 'Over the allocation by a penny: agreed');
  assert.equal(r.body.commitment.status, 'committed');
  r = await decide(as.approver, ids.C2, 'refuse', 'Changed my mind');
  assert.equal(r.status, 422);
  assert.match(errorsOf(r).decision, /no longer awaiting approval/);
  r = await decide(as.both, ids.C5, 'approve');
  assert.equal(r.status, 422, 'the other approver has the same limit');
  const detail = (await api(as.holder, 'GET', `/api/v1/budget/commitments/${ids.C2}`)).body;
  assert.equal(detail.approvals.length, 1);
  assert.equal(detail.approvals[0].role, 'budget_approver');
  assert.equal(detail.approvals[0].limit_pence, 3000000);
  assert.equal(detail.approvals[0].amount_pence, 250001);
  assert.equal(detail.approvals[0].decided_by_name, 'Test approver');
  // Approved over the allocation: the allocation shows it, as approved.
  const a1 = (await api(as.holder, 'GET', `/api/v1/budget/allocations/${ids.A1}`)).body.allocation;
  assert.equal(a1.remaining_pence, -250002);
  assert.equal(a1.overspent, true);
});

test('payments: only of what was committed, up to what is left of it, not in the future', async () => {
  const pay = (c, id, amount, paid_on = TODAY, reference = '') =>
    api(c, 'POST', `/api/v1/budget/commitments/${id}/payments`, { amount, paid_on, reference });
  let r = await pay(as.holderLa, ids.C5, '10');
  assert.equal(r.status, 422);
  assert.match(errorsOf(r).amount, /awaiting approval/);
  r = await pay(as.holder, ids.C7 /* another team's */, '1');
  assert.equal(r.status, 404);
  r = await pay(as.holderLa, ids.C7, '1');
  assert.match(errorsOf(r).amount, /not approved/);
  r = await pay(as.holder, ids.C1, '1,000.00', TODAY, 'INV-0001');
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.commitment.paid_pence, 100000);
  assert.equal(r.body.commitment.outstanding, `${POUND}1,500.00`);
  r = await pay(as.holder, ids.C1, '1500.01');
  assert.equal(r.status, 422);
  assert.match(errorsOf(r).amount, new RegExp(`more than is left of the commitment \\(${POUND}1,500.00\\)`));
  r = await pay(as.holder, ids.C1, '10', day(1));
  assert.match(errorsOf(r).paid_on, /today or in the past/);
  r = await pay(as.approver, ids.C1, '10');
  assert.equal(r.status, 403, 'the approver does not pay');
  r = await pay(as.holder, ids.C1, '1,500.00', TODAY, 'INV-0002');
  assert.equal(r.status, 201);
  r = await pay(as.holder, ids.C1, '0.01');
  assert.equal(r.status, 422, 'nothing left');
  const detail = (await api(as.holder, 'GET', `/api/v1/budget/commitments/${ids.C1}`)).body;
  assert.deepEqual(detail.payments.map((p) => [p.amount_pence, p.reference]), [[100000, 'INV-0001'], [150000, 'INV-0002']]);
});

test('the figures: each year and allocation adds up from its commitments and payments', async () => {
  const y = (await api(as.approver, 'GET', `/api/v1/budget/years/${ids.Y}`)).body;
  let committed = 0, paid = 0, pending = 0;
  for (const a of y.allocations) {
    const { commitments } = (await api(as.approver, 'GET', `/api/v1/budget/allocations/${a.id}`)).body;
    let ac = 0, ap = 0, apend = 0;
    for (const c of commitments) {
      if (c.status === 'committed') { ac += c.amount_pence - c.paid_pence; ap += c.paid_pence; }
      if (c.status === 'pending') apend += c.amount_pence;
      if (c.status !== 'committed') assert.equal(c.paid_pence, 0, 'only committed spend is paid');
    }
    assert.equal(a.committed_pence, ac, a.team_name);
    assert.equal(a.paid_pence, ap, a.team_name);
    assert.equal(a.pending_pence, apend, a.team_name);
    assert.equal(a.remaining_pence, a.amount_pence - ac - ap);
    committed += ac; paid += ap; pending += apend;
  }
  assert.equal(y.year.committed_pence, committed);
  assert.equal(y.year.paid_pence, paid);
  assert.equal(y.year.pending_pence, pending);
  assert.equal(paid, 250000);
  assert.equal(pending, 4000000 + 10000001);
});

test('pages: the pool, an allocation and a commitment for people; forms with CSRF and GOV.UK errors', async () => {
  const web = new Client(srv.base);
  assert.equal((await web.signIn('approver', 'pool-keeper-pass-9')).status, 303);
  let page = await web.getHtml('/budget');
  assert.equal(page.status, 200);
  assert.match(page.html, /href="\/budget"/, 'in the navigation');
  assert.match(page.html, new RegExp(`href="/budget/years/${ids.Y}">${LABEL}<`));
  page = await web.getHtml(`/budget/years/${ids.Y}`);
  assert.equal(page.status, 200);
  const text = decodeHtml(page.html);
  assert.match(text, /Paid into the pool<\/dt><dd class="govuk-summary-list__value">£100,000.00/);
  assert.match(text, /Northshire Police/);
  assert.match(text, new RegExp(`15 April ${START}`));
  assert.match(text, /Budget Team North/);
  // A form without its token changes nothing.
  assert.equal((await web.postForm(`/budget/years/${ids.Y}/contributions`,
    { partner: 'la', amount: '1', 'received_on-day': '1', 'received_on-month': '5', 'received_on-year': String(START) })).status, 403);
  const csrf = csrfFrom(page.html);
  let res = await web.postForm(`/budget/years/${ids.Y}/contributions`, { csrf, partner: 'la', amount: 'lots',
    'received_on-day': '1', 'received_on-month': '5', 'received_on-year': String(START) });
  assert.equal(res.status, 400);
  const err = await res.text();
  assert.match(err, /govuk-error-summary/);
  assert.match(err, /href="#f-amount"/);
  assert.match(err, /value="lots"/, 'what was typed is kept');
  res = await web.postForm(`/budget/years/${ids.Y}/contributions`, { csrf, partner: 'la', amount: '0.01',
    'received_on-day': '1', 'received_on-month': '5', 'received_on-year': String(START) });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `/budget/years/${ids.Y}?saved=contribution`);
  res = await web.postForm(`/budget/years/${ids.Y}/allocations`, { csrf, team_id: String(ids.T2), allocation: '99999999' });
  assert.equal(res.status, 400);
  assert.match(await res.text(), /href="#f-allocation"/);
  page = await web.getHtml(`/budget/commitments/${ids.C5}`);
  assert.equal(page.status, 200);
  assert.match(page.html, /name="decision"/);
  assert.match(decodeHtml(page.html), /More than was left of the allocation/);
  page = await web.getHtml('/budget/approvals');
  assert.match(page.html, new RegExp(`href="/budget/commitments/${ids.C5}"`));

  const holder = new Client(srv.base);
  assert.equal((await holder.signIn('holder', 'team-spender-pass-9')).status, 303);
  page = await holder.getHtml(`/budget/allocations/${ids.A1}`);
  assert.equal(page.status, 200);
  assert.match(page.html, /Commit the spend/);
  assert.doesNotMatch(page.html, /The whole pool/, 'a team holder is not shown the pool');
  res = await holder.postForm(`/budget/allocations/${ids.A1}/commitments`, { csrf: csrfFrom(page.html),
    description: 'Play therapy', amount: '12.50', 'committed_on-day': TODAY.slice(8), 'committed_on-month': TODAY.slice(5, 7),
    'committed_on-year': TODAY.slice(0, 4) });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `/budget/allocations/${ids.A1}?saved=pending`, 'the allocation is spent');
  page = await holder.getHtml(`/budget/commitments/${ids.C1}`);
  assert.doesNotMatch(page.html, /name="decision"/);
  assert.match(decodeHtml(page.html), /INV-0002/);
});

test('who reads the budget: the partnership\'s lead yes; de-identified and case roles no', async () => {
  assert.equal((await api(as.lead, 'GET', `/api/v1/budget/years/${ids.Y}`)).status, 200);
  assert.equal((await api(as.lead, 'GET', `/api/v1/budget/commitments/${ids.C1}`)).status, 200);
  for (const u of ['steer', 'eval', 'head', 'coord']) {
    assert.equal((await api(as[u], 'GET', '/api/v1/budget')).status, 403, u);
    assert.equal((await api(as[u], 'GET', `/api/v1/budget/years/${ids.Y}`)).status, 404, u);
    const page = await as[u].getHtml('/');
    assert.doesNotMatch(page.html, /href="\/budget"/, `${u}: not in the navigation`);
  }
});

test('the interventions catalogue: kept by the approver, read by those who commission', async () => {
  const body = { name: 'Mentoring', provider: 'Youth Trust', unit: 'session', unit_cost: '45.00', capacity: '2',
    eligibility: 'Years 5 to 9, attendance under 90%', aims: ['attendance', 'suspension'] };
  const bad = [
    [{ ...body, aims: [] }, 'aims'], [{ ...body, aims: ['fsm'] }, 'aims'], [{ ...body, unit: 'hour' }, 'unit'],
    [{ ...body, capacity: '0' }, 'capacity'], [{ ...body, unit_cost: '0' }, 'unit_cost'], [{ ...body, name: '' }, 'name'],
  ];
  for (const [b, field] of bad) {
    const r = await api(as.approver, 'POST', `/api/v1/budget/interventions?authority_id=${ids.A}`, b);
    assert.equal(r.status, 422, r.text);
    assert.ok(errorsOf(r)[field], `${field}: ${r.text}`);
  }
  assert.equal((await api(as.holder, 'POST', `/api/v1/budget/interventions?authority_id=${ids.A}`, body)).status, 403);
  let r = await api(as.approver, 'POST', `/api/v1/budget/interventions?authority_id=${ids.A}`, body);
  assert.equal(r.status, 201, r.text);
  ids.I1 = r.body.intervention.id;
  assert.deepEqual(r.body.intervention.aims.map((a) => a.code), ['attendance', 'suspension']);
  assert.equal(r.body.intervention.unit_cost, `${POUND}45.00`);
  r = await api(as.approver, 'POST', `/api/v1/budget/interventions?authority_id=${ids.A}`, body);
  assert.equal(r.status, 422);
  assert.match(errorsOf(r).name, /already has this intervention/);
  const list = (await api(as.holder, 'GET', `/api/v1/budget/interventions?authority_id=${ids.A}`)).body.interventions;
  assert.deepEqual(list.map((i) => i.id), [ids.I1], 'a team\'s budget holder reads the catalogue');
  assert.equal((await api(as.head, 'GET', `/api/v1/budget/interventions?authority_id=${ids.A}`)).status, 403);
});

test('commissioning: units of an intervention at its unit cost, under the same limits and approvals', async () => {
  // More money for team North, so the decision fits its allocation.
  let r = await api(as.approver, 'POST', `/api/v1/budget/years/${ids.Y}/contributions`,
    { partner: 'schools', amount: '10,000.00', received_on: TODAY });
  assert.equal(r.status, 201, r.text);
  const a1 = (await api(as.approver, 'GET', `/api/v1/budget/allocations/${ids.A1}`)).body.allocation;
  r = await api(as.approver, 'PUT', `/api/v1/budget/years/${ids.Y}/allocations`,
    { team_id: ids.T1, amount: ((a1.amount_pence + 1000000) / 100).toFixed(2) });
  assert.equal(r.status, 200, r.text);
  const commission = (c, body) => api(c, 'POST', `/api/v1/budget/allocations/${ids.A1}/commitments`,
    { committed_on: TODAY, ...body });
  r = await commission(as.holder, { intervention_id: String(ids.I1), units: '0' });
  assert.equal(r.status, 422);
  assert.match(errorsOf(r).units, /whole number/);
  r = await commission(as.holder, { intervention_id: '999999', units: '4' });
  assert.match(errorsOf(r).intervention_id, /catalogue/);
  r = await commission(as.holder, { intervention_id: String(ids.I1), units: '4' });
  assert.equal(r.status, 201, r.text);
  const cm = r.body.commitment;
  assert.equal(cm.status, 'committed');
  assert.equal(cm.amount_pence, 4 * 4500);
  assert.equal(cm.units, 4);
  assert.equal(cm.intervention_id, ids.I1);
  assert.equal(cm.description, 'Mentoring (Youth Trust): 4 x Session');
  ids.C8 = cm.id;
  // Units above the holder's limit wait for approval like any commitment.
  r = await commission(as.holder, { intervention_id: String(ids.I1), units: '100000', description: 'A year of it' });
  assert.equal(r.body.commitment.status, 'pending');
  assert.equal(r.body.commitment.amount_pence, 450000000);
  ids.C9 = r.body.commitment.id;
});

test('placements: a pupil of a TAS action of the team, within the units bought and the capacity', async () => {
  const place = (c, commitment, body) => api(c, 'POST', `/api/v1/budget/commitments/${commitment}/placements`, body);
  const base = { action_id: String(ids.k1.action), starts_on: TODAY, units_used: '3' };
  // The budget alone does not show a pupil: the holder cannot name one.
  let r = await place(as.holder, ids.C8, base);
  assert.equal(r.status, 422);
  assert.match(errorsOf(r).action_id, /Select the TAS action/);
  r = await place(as.placer, ids.C9, base);
  assert.match(errorsOf(r).action_id, /not approved/);
  r = await place(as.placer, ids.C1, base);
  assert.match(errorsOf(r).action_id, /commissioning decision/);
  r = await place(as.both, ids.C8, { ...base, action_id: String(ids.k2.action) });
  assert.equal(r.status, 422);
  assert.match(errorsOf(r).action_id, /another team/);
  r = await place(as.placer, ids.C8, { ...base, ends_on: day(-1) });
  assert.match(errorsOf(r).ends_on, /cannot end before it starts/);
  r = await place(as.placer, ids.C8, { ...base, units_used: '5' });
  assert.match(errorsOf(r).units_used, /4 of 4 are left/);
  assert.equal((await place(as.approver, ids.C8, base)).status, 403, 'the approver does not place');
  r = await place(as.placer, ids.C8, base);
  assert.equal(r.status, 201, r.text);
  const p1 = r.body.placement;
  assert.equal(p1.pupil_id, ids.k1.pupil, 'the pupil of the action\'s case');
  assert.equal(p1.case_id, ids.k1.case);
  assert.equal(p1.ends_on, null);
  r = await place(as.placer, ids.C8, { ...base, units_used: '2' });
  assert.match(errorsOf(r).units_used, /1 of 4 are left/);
  r = await place(as.placer, ids.C8, { ...base, units_used: '1' });
  assert.equal(r.status, 201, 'the second of two places');
  const p2 = r.body.placement;
  r = await place(as.placer, ids.C8, { ...base, units_used: '0' });
  assert.match(errorsOf(r).starts_on, /full on that day/, 'capacity 2');
  // After the first ends, a place is free from the next day.
  r = await api(as.placer, 'PUT', `/api/v1/budget/placements/${p1.id}`, { units_used: '4', starts_on: TODAY });
  assert.match(errorsOf(r).units_used, /3 of 4 are left/);
  r = await api(as.placer, 'PUT', `/api/v1/budget/placements/${p1.id}`,
    { units_used: '3', starts_on: TODAY, ends_on: TODAY });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.placement.ends_on, TODAY);
  r = await place(as.placer, ids.C8, { ...base, starts_on: day(1), units_used: '0' });
  assert.equal(r.status, 201, r.text);
  // Who sees whom: the case decides, not the budget.
  let d = (await api(as.placer, 'GET', `/api/v1/budget/commitments/${ids.C8}`)).body;
  assert.deepEqual(d.placements.map((p) => p.id).sort(), [p1.id, p2.id, r.body.placement.id].sort());
  assert.equal(d.placements_hidden, 0);
  d = (await api(as.holder, 'GET', `/api/v1/budget/commitments/${ids.C8}`)).body;
  assert.deepEqual(d.placements, []);
  assert.equal(d.placements_hidden, 3);
  assert.ok(!JSON.stringify(d).includes('pupil_name'), 'no pupil named to the budget alone');
  assert.equal((await api(as.holder, 'GET', `/api/v1/budget/placements/${p1.id}`)).status, 404);
  assert.equal((await api(as.placer, 'GET', `/api/v1/budget/placements/${p1.id}`)).status, 200);
  assert.equal((await api(as.lead, 'GET', `/api/v1/budget/placements/${p1.id}`)).status, 200);
  // The page: a placement form listing only this team's actions the user can see.
  const web = new Client(srv.base);
  assert.equal((await web.signIn('placer', 'places-pupils-99')).status, 303);
  const page = await web.getHtml(`/budget/commitments/${ids.C8}`);
  assert.equal(page.status, 200);
  assert.match(page.html, new RegExp(`<option value="${ids.k1.action}"`));
  assert.doesNotMatch(page.html, new RegExp(`<option value="${ids.k2.action}"`));
  assert.match(page.html, new RegExp(`href="/budget/placements/${p1.id}"`));
  // Each placement, change and read naming the pupil is audited with the pupil.
  const rows = sql(`SELECT action FROM audit_log WHERE resource_kind = 'placement' AND pupil_id = ${ids.k1.pupil}
    ORDER BY id`).split('\n');
  assert.deepEqual(rows.filter((x) => x !== 'view'), ['create', 'create', 'edit', 'create']);
  assert.ok(rows.includes('view'));
  assert.ok(Number(sql("SELECT count(*) FROM audit_log WHERE action = 'list' AND resource_kind = 'placement'")) >= 1);
});

test('the board\'s report: who improved on which indicator, at what cost, small counts suppressed; CSV', async () => {
  // Two pupils placed from January to March 2025 (a whole term either
  // side, all in the past, whatever today is; ended, so they do not
  // overlap the places running now), with outcome records: both attend
  // better in the summer term than in the autumn; one had a suspension
  // before and none after.
  const now = 1700000000;
  const rec = (pupil, kind, starts, ends, possible, missed, sessions) => sql(`INSERT INTO outcome_records
    (pupil_id, kind, starts_on, ends_on, code, sessions_possible, sessions_missed, sessions, source, created_at)
    VALUES (${pupil}, '${kind}', '${starts}', ${ends ? `'${ends}'` : 'NULL'}, '', ${possible ?? 'NULL'},
    ${missed ?? 'NULL'}, ${sessions ?? 'NULL'}, 'hand', ${now});`);
  for (const k of [ids.k1, ids.k3]) {
    rec(k.pupil, 'attendance', '2024-09-09', '2024-12-13', 140, 30);
    rec(k.pupil, 'attendance', '2025-04-28', '2025-07-18', 120, 6);
    const r = await api(as.placer, 'POST', `/api/v1/budget/commitments/${ids.C8}/placements`,
      { action_id: String(k.action), starts_on: '2025-01-20', ends_on: '2025-03-28', units_used: '0' });
    assert.equal(r.status, 201, r.text);
  }
  rec(ids.k1.pupil, 'suspension', '2024-11-05', null, null, null, 2);
  // A second intervention whose provider a spreadsheet would run as a formula.
  let r = await api(as.approver, 'POST', `/api/v1/budget/interventions?authority_id=${ids.A}`, { name: 'Parenting course',
    provider: '=2+3', unit: 'term', unit_cost: '300', capacity: '10', aims: ['exclusion'] });
  assert.equal(r.status, 201, r.text);
  r = await api(as.holder, 'POST', `/api/v1/budget/allocations/${ids.A1}/commitments`,
    { intervention_id: String(r.body.intervention.id), units: '1', committed_on: TODAY });
  assert.equal(r.body.commitment.status, 'committed');
  sql(`INSERT INTO disclosure_settings (authority_id, suppress_below, updated_at) VALUES (${ids.A}, 2, ${now})
    ON CONFLICT (authority_id) DO UPDATE SET suppress_below = 2;`);

  const rep = (await api(as.approver, 'GET', `/api/v1/budget/years/${ids.Y}/report`)).body;
  assert.equal(rep.threshold, 2);
  const mentoring = rep.interventions.find((i) => i.id === ids.I1);
  const total = Object.fromEntries(mentoring.rows.map((row) => [row.measure, row.cells.total.text]));
  assert.deepEqual(total, { placed: '2', attendance_rose: '2', suspensions_fell: 'c', stayed_mainstream: '2',
    improved: '3' });
  assert.equal(mentoring.rows.find((row) => row.measure === 'attendance_rose').cells.total.pct, '100%');
  assert.equal(mentoring.committed, `${POUND}180.00`);
  assert.equal(mentoring.cost_per_pupil, `${POUND}90.00`);
  assert.equal(mentoring.cost_per_improvement, `${POUND}60.00`);
  const parenting = rep.interventions.find((i) => i.name === 'Parenting course');
  assert.equal(parenting.rows[0].cells.total.text, '0');
  assert.equal(parenting.cost_per_pupil, 'z');
  assert.equal(rep.spend_pence, 18000 + 30000);
  // The unit costs: published defaults with their sources, one the authority sets.
  const cost = (key) => rep.unit_costs.find((u) => u.key === key);
  assert.equal(cost('permanent_exclusion').cost, `${POUND}370,000.00`);
  assert.match(cost('permanent_exclusion').source, /IPPR/);
  assert.equal(cost('ap_place_year').cost_pence, 1236364);
  assert.equal(cost('paediatrics_referral').set, false);
  assert.equal((await api(as.holder, 'PUT', `/api/v1/budget/costs?authority_id=${ids.A}`,
    { key: 'paediatrics_referral', amount: '300.00' })).status, 403);
  r = await api(as.approver, 'PUT', `/api/v1/budget/costs?authority_id=${ids.A}`, { key: 'nope', amount: 'x' });
  assert.deepEqual(Object.keys(errorsOf(r)).sort(), ['amount', 'key']);
  r = await api(as.approver, 'PUT', `/api/v1/budget/costs?authority_id=${ids.A}`,
    { key: 'paediatrics_referral', amount: '400.00' });
  assert.equal(r.status, 200, r.text);
  const after = (await api(as.lead, 'GET', `/api/v1/budget/years/${ids.Y}/report`)).body;
  assert.equal(after.unit_costs.find((u) => u.key === 'paediatrics_referral').break_even, '1.2', '£480.00 of commissioning is 1.2 referrals at £400.00');

  // The page, printable, with the sources; the CSV, formula-safe.
  const page = await as.lead.getHtml(`/budget/years/${ids.Y}/report`);
  assert.equal(page.status, 200);
  const text = decodeHtml(page.html);
  assert.match(text, /Prepared for publication/);
  assert.match(text, /https:\/\/www\.ippr\.org\/publications\/making-the-difference/);
  assert.match(page.html, /class="govuk-body tas-no-print"/);
  const csv = await as.lead.get(`/budget/years/${ids.Y}/report.csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /text\/csv/);
  const body = await csv.text();
  const lines = body.trim().split('\r\n');
  assert.equal(lines[0], 'Year,Intervention,Provider,Measure,Primary,Secondary,Other phases,Total');
  assert.ok(lines.includes(`${LABEL},Mentoring,Youth Trust,Pupils placed,2,0,0,2`) ||
    lines.some((l) => l.startsWith(`${LABEL},Mentoring,Youth Trust,Pupils placed,`) && l.endsWith(',2')), body);
  assert.ok(lines.some((l) => /,Fewer suspensions,.*,c$/.test(l)), body);
  assert.ok(lines.includes(`${LABEL},Mentoring,Youth Trust,Cost per pupil placed,,,,90.00`), body);
  assert.ok(body.includes(`"'=2+3"`), 'a formula is written as text');
  assert.ok(!/,=2\+3/.test(body));
  const x = await as.lead.get(`/budget/years/${ids.Y}/report.xlsx`);
  assert.equal(x.status, 200);
  assert.equal(x.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const xb = Buffer.from(await x.arrayBuffer());
  assert.equal(xb.subarray(0, 4).toString('binary'), 'PK\x03\x04');
  assert.ok(xb.includes(Buffer.from('xl/worksheets/sheet2.xml')), 'interventions and unit costs');
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE action = 'export' AND resource_kind = 'budget_report'
    AND username = 'lead'`), '2', 'each file is an export');
  // Who may: the year's readers; not a team's holder, nor the de-identified roles' (no budget rights).
  assert.equal((await api(as.holder, 'GET', `/api/v1/budget/years/${ids.Y}/report`)).status, 404);
  assert.equal((await as.holder.get(`/budget/years/${ids.Y}/report.csv`)).status, 404);
  assert.equal((await as.holder.get(`/budget/years/${ids.Y}/report.xlsx`)).status, 404);
  assert.equal((await api(as.steer, 'GET', `/api/v1/budget/years/${ids.Y}/report`)).status, 404);
  assert.equal((await api(as.approver, 'GET', `/api/v1/budget/years/${ids.YB}/report`)).status, 404);
});

test('every change and every decision is in the audit trail', () => {
  const rows = sql(`SELECT username || ' ' || action || ' ' || resource_kind || ' ' || detail FROM audit_log
    WHERE resource_kind LIKE 'budget%' ORDER BY id`).split('\n');
  const has = (re) => rows.some((r) => re.test(r));
  assert.ok(has(/^approver create budget_year budget.year.create$/), rows.join('\n'));
  assert.ok(has(/^approver create budget_contribution budget.contribution$/));
  assert.ok(has(/^approver edit budget_allocation budget.allocation$/));
  assert.ok(has(/^approver edit budget_limits budget.limits$/));
  assert.ok(has(/^holder create budget_commitment budget.commit$/));
  assert.ok(has(/^holder create budget_commitment budget.commit.pending$/));
  assert.ok(has(/^approver approve budget_commitment budget.approve$/));
  assert.ok(has(/^approver refuse budget_commitment budget.refuse$/));
  assert.ok(has(/^holder create budget_payment budget.pay$/));
  // One entry per change: as many commitments as commitment entries.
  const commitments = Number(sql('SELECT count(*) FROM budget_commitments'));
  assert.equal(rows.filter((r) => / create budget_commitment /.test(r)).length, commitments);
  const decisions = Number(sql('SELECT count(*) FROM budget_approvals'));
  assert.equal(rows.filter((r) => / (approve|refuse) budget_commitment /.test(r)).length, decisions);
  // Refused attempts changed nothing.
  assert.equal(sql(`SELECT count(*) FROM budget_approvals WHERE commitment_id IN (${ids.C5}, ${ids.C6})`), '0');
});

test('the banner after a save: each page says what ?saved= names, and nothing without it', async () => {
  const web = new Client(srv.base);
  assert.equal((await web.signIn('approver', 'pool-keeper-pass-9')).status, 303);
  const placer = new Client(srv.base);
  assert.equal((await placer.signIn('placer', 'places-pupils-99')).status, 303);
  const one = (q) => Number(sql(q));
  const contribution = one('SELECT min(id) FROM budget_contributions');
  const commitment = one('SELECT min(id) FROM budget_commitments');
  const placement = one('SELECT min(id) FROM placements');
  const intervention = one('SELECT min(id) FROM interventions');
  const payment = one('SELECT min(id) FROM budget_payments');
  // Placements are read by those who place pupils.
  const banner = async (p) => {
    const page = await (p.startsWith('/budget/placements/') ? placer : web).getHtml(p);
    assert.equal(page.status, 200, p);
    const m = /govuk-notification-banner__heading[^>]*>\s*([^<]*?)\s*</.exec(page.html);
    return m ? decodeHtml(m[1]) : null;
  };
  const A = `authority_id=${ids.A}`;
  const cases = [
    ['/budget?saved=1', 'Budget year added'],
    [`/budget/years/${ids.Y}?saved=contribution`, 'Contribution recorded'],
    [`/budget/years/${ids.Y}?saved=allocation`, 'Allocation saved'],
    [`/budget/years/${ids.Y}?saved=year`, 'Budget year added'],
    [`/budget/commitments/${commitment}?saved=void`, 'Commitment voided'],
    [`/budget/commitments/${commitment}?saved=corrected`, 'Commitment corrected'],
    [`/budget/commitments/${commitment}?saved=corrected_pending`, 'Commitment corrected: it is awaiting approval'],
    [`/budget/commitments/${commitment}?saved=placed`, 'Pupil placed'],
    [`/budget/commitments/${commitment}?saved=paid`, 'Payment recorded'],
    [`/budget/commitments/${commitment}?saved=committed`, 'Commitment approved'],
    [`/budget/commitments/${commitment}?saved=refused`, 'Commitment refused'],
    [`/budget/placements/${placement}?saved=void`, 'Placement voided'],
    [`/budget/placements/${placement}?saved=1`, 'Placement saved'],
    [`/budget/interventions?${A}&saved=1`, 'Intervention added'],
    [`/budget/costs?${A}&saved=1`, 'Unit cost saved'],
    [`/budget/limits?${A}&saved=1`, 'Limits saved'],
    [`/budget/contributions/${contribution}?saved=void`, 'Contribution voided'],
    [`/budget/contributions/${contribution}?saved=1`, 'Contribution corrected'],
    [`/budget/interventions/${intervention}?saved=void`, 'Intervention voided'],
    [`/budget/interventions/${intervention}?saved=1`, 'Intervention corrected'],
    [`/budget/payments/${payment}?saved=1`, 'Payment voided'],
  ];
  for (const [p, text] of cases) assert.equal(await banner(p), text, p);
  for (const p of ['/budget', `/budget/years/${ids.Y}`, `/budget/commitments/${commitment}`,
    `/budget/placements/${placement}`, `/budget/limits?${A}`, `/budget/payments/${payment}`]) {
    assert.equal(await banner(p), null, p);
  }
});

test('commitments sent at once never spend past the allocation: those that fit are committed, the rest wait', async () => {
  // Writers are serialised (docs/postgresql.md, "How the backend is built"):
  // each commitment checks what is left and records itself in one write
  // transaction, so ten at once cannot each see the same room.
  let r = await api(as.approver, 'PUT', `/api/v1/budget/limits?authority_id=${ids.A}`,
    { holder_limit: '100,000.00', approver_limit: '30,000.00' });
  assert.equal(r.status, 200, r.text);
  const alloc = async () => {
    const a = await api(as.holderLa, 'GET', `/api/v1/budget/allocations/${ids.A2}`);
    assert.equal(a.status, 200, a.text);
    return a.body.allocation;
  };
  const before = await alloc();
  // Room for three commitments of £300.00, and £1.00 over that fits no fourth.
  const room = before.committed_pence + 3 * 30000 + 100;
  r = await api(as.approver, 'PUT', `/api/v1/budget/years/${ids.Y}/allocations`,
    { team_id: ids.T2, amount: (room / 100).toFixed(2), reason: 'Room for three placements only' });
  assert.equal(r.status, 200, r.text);
  const sent = await Promise.all(Array.from({ length: 10 }, (_, i) =>
    api(as.holderLa, 'POST', `/api/v1/budget/allocations/${ids.A2}/commitments`,
      { description: `Sent at once ${i}`, amount: '300.00', committed_on: TODAY })));
  for (const s of sent) assert.equal(s.status, 201, s.text);
  const made = sent.map((s) => s.body.commitment);
  assert.equal(made.filter((c) => c.status === 'committed').length, 3);
  const waiting = made.filter((c) => c.status === 'pending');
  assert.equal(waiting.length, 7);
  for (const c of waiting) assert.equal(c.needs_over_allocation, true);
  const after = await alloc();
  assert.equal(after.committed_pence, before.committed_pence + 3 * 30000);
  assert.equal(after.remaining_pence, 100);
  assert.equal(after.overspent, false);
  assert.equal(Number(sql(`SELECT count(*) FROM budget_commitments WHERE description LIKE 'Sent at once %'`)), 10);
});

test('a change the database fails as it commits is answered as an error, run again, and nothing of it stands', {
  skip: ON_POSTGRES ? false : 'about PostgreSQL, whose server can fail a transaction at its commit',
}, async () => {
  // A deferred trigger fails the commit as a serialization failure would
  // (40001); a sequence, which no rollback undoes, counts the tries.
  dbScript(srv.db, `
    CREATE SEQUENCE t_commit_tries;
    CREATE FUNCTION t_fail_commit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM nextval('t_commit_tries');
      RAISE EXCEPTION 'failed at commit' USING ERRCODE = '40001';
    END $$;
    CREATE CONSTRAINT TRIGGER t_fail_commit AFTER INSERT ON budget_commitments
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
      WHEN (NEW.description = 'Fails at its commit') EXECUTE FUNCTION t_fail_commit();`);
  try {
    const entries = Number(sql('SELECT count(*) FROM audit_log')) + Number(sql('SELECT count(*) FROM audit_pending'));
    const r = await api(as.holderLa, 'POST', `/api/v1/budget/allocations/${ids.A2}/commitments`,
      { description: 'Fails at its commit', amount: '1.00', committed_on: TODAY });
    assert.equal(r.status, 500, r.text);
    assert.equal(r.body.commitment, undefined);
    assert.equal(Number(sql(`SELECT count(*) FROM budget_commitments WHERE description = 'Fails at its commit'`)), 0);
    assert.equal(Number(sql('SELECT last_value FROM t_commit_tries')), 4, 'tried four times (web/dispatch.c)');
    assert.equal(Number(sql('SELECT count(*) FROM audit_log')) + Number(sql('SELECT count(*) FROM audit_pending')),
      entries, 'no entry for a change that did not happen');
  } finally {
    dbScript(srv.db, 'DROP TRIGGER t_fail_commit ON budget_commitments; DROP FUNCTION t_fail_commit(); DROP SEQUENCE t_commit_tries;');
  }
});
