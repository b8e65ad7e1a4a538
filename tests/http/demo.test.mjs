// The demonstration authority's year of TAS work (`tas demo` without
// --without-year), seen through the JSON API as the coordinator and the
// practitioner see it: about the pilot's scale, work lists with something
// in them, the same data for the same seed, and nothing at all without it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServers, Client, DEMO_PASSWORD, dbSql } from './harness.mjs';
import { attack, hiddenCells } from './disclosure_attack.mjs';

const SEED = 4;
let srv; // with the year
let twin; // the same seed again
let bare; // --without-year

async function signedIn(s, username) {
  const c = new Client(s.base);
  const res = await c.postJson('/api/v1/sign-in', { username, password: DEMO_PASSWORD });
  assert.equal(res.status, 200, `sign-in of ${username}`);
  await res.arrayBuffer();
  return c;
}

async function json(c, p) {
  const res = await c.get(p);
  assert.equal(res.status, 200, p);
  return res.json();
}

/** Every item of a paged list (200 a page). */
async function all(c, p, key) {
  const items = [];
  for (let page = 1; ; page++) {
    const sep = p.includes('?') ? '&' : '?';
    const body = await json(c, `${p}${sep}per_page=200&page=${page}`);
    items.push(...body[key]);
    if (page >= body.pages) return { items, total: body.total };
  }
}

/** The last complete school year before today ("YYYY-MM-DD"): years start on 1 August. */
function lastYear(today) {
  const y = Number(today.slice(0, 4));
  const start = Number(today.slice(5, 7)) >= 8 ? y - 1 : y - 2;
  return { from: `${start}-08-01`, to: `${start + 1}-07-31` };
}

before(async () => {
  [srv, twin, bare] = await startServers(
    { seed: SEED, year: true, extraArgs: ['--rollup-every', '1'] },
    { seed: SEED, year: true },
    { seed: SEED },
  );
});

after(async () => {
  await Promise.all([srv, twin, bare].filter(Boolean).map((s) => s.stop()));
});

test('last year is at the pilot\'s scale, as the coordinator sees it', async () => {
  const c = await signedIn(srv, 'coordinator');
  const work = await json(c, '/api/v1/work');
  const { from, to } = lastYear(work.today);
  const meetings = (await all(c, `/api/v1/meetings?from=${from}&to=${to}&order=oldest`, 'meetings')).items;
  const held = meetings.filter((m) => m.status === 'held');
  const cancelled = meetings.filter((m) => m.status === 'cancelled');
  assert.ok(meetings.length >= 170 && meetings.length <= 210, `meetings planned: ${meetings.length}`);
  assert.ok(held.length >= 95 && held.length <= 125, `meetings held: ${held.length}`);
  assert.equal(held.length + cancelled.length, meetings.length, 'every past meeting was held or cancelled');
  assert.ok(cancelled.every((m) => m.cancel_reason.length > 0), 'cancellations give a reason');
  const online = held.filter((m) => m.mode === 'online').length;
  assert.ok(online > 0 && online < held.length * 0.2, `held online: ${online}`);
  assert.ok(held.every((m) => m.date <= work.today), 'nothing held in the future');

  // This year's meetings from today on stay planned.
  const ahead = (await all(c, `/api/v1/meetings?from=${work.today}&order=oldest`, 'meetings')).items;
  assert.ok(ahead.length > 0 && ahead.every((m) => m.status === 'planned'), 'future meetings are planned');

  const cases = (await all(c, '/api/v1/cases', 'cases')).items;
  assert.ok(cases.length >= 230 && cases.length <= 290, `pupils discussed: ${cases.length}`);
  assert.ok(cases.every((k) => k.discussions >= 1), 'every case was discussed');
  assert.equal(new Set(cases.map((k) => k.pupil_id)).size, cases.length, 'one case per pupil');
  const returning = cases.filter((k) => k.discussions >= 2).length;
  assert.ok(returning > cases.length * 0.4 && returning < cases.length * 0.75, `returning cases: ${returning}`);
  const closed = cases.filter((k) => k.status === 'closed').length;
  assert.ok(closed > cases.length / 2 && closed < cases.length, `closed cases: ${closed}`);

  let actions = 0;
  let bySchool = 0;
  let signposting = 0;
  const statuses = {};
  for (const k of cases) {
    const list = (await json(c, `/api/v1/cases/${k.id}/actions`)).actions;
    actions += list.length;
    for (const a of list) {
      statuses[a.status] = (statuses[a.status] ?? 0) + 1;
      if (a.owner_service_name === 'School') bySchool++;
      if (a.nature.startsWith('signposting')) {
        signposting++;
        assert.ok(a.resource_id, 'signposting names a playbook resource');
      }
    }
  }
  assert.ok(actions >= 750 && actions <= 930, `actions: ${actions}`);
  // Mostly the school's to do (figure 5c); a fifth signposting (4b).
  assert.ok(bySchool > actions * 0.65 && bySchool < actions * 0.9, `school-owned: ${bySchool}`);
  assert.ok(signposting > actions * 0.12 && signposting < actions * 0.28, `signposting: ${signposting}`);
  assert.ok(statuses.done > actions / 2 && statuses.not_done > 0 && statuses.open > 0,
    `action statuses: ${JSON.stringify(statuses)}`);

  // The work list has something in each coordination list.
  assert.ok(work.overdue_actions.count > 0, 'overdue actions');
  assert.ok(work.cases_due_for_review.count > 0, 'cases due for review');
  assert.ok(work.meetings_without_minutes.count >= 0);
  assert.ok(work.feedback_not_recorded.count > 0, 'feedback not recorded');
});

test('the dashboard shows last year\'s work, and by default the current school year', async () => {
  const c = await signedIn(srv, 'coordinator');
  const today = (await json(c, '/api/v1/work')).today;
  const { from, to } = lastYear(today);
  const row = (d, label) => d.tables.find((t) => t.key === 'meetings').rows.find((r) => r.label === label);
  const total = (r) => r.cells.find((x) => x.column === 'Total').value;
  const d = await json(c, `/api/v1/dashboard?from=${from}&to=${to}`);
  assert.ok(total(row(d, 'Meetings planned')) >= 170 && total(row(d, 'Meetings planned')) <= 210);
  assert.ok(total(row(d, 'Meetings held')) >= 95 && total(row(d, 'Meetings held')) <= 125);
  // Default: the current school year (from 1 August), whatever the day (issue 10).
  const y = Number(today.slice(0, 4)) - (Number(today.slice(5, 7)) >= 8 ? 0 : 1);
  const dflt = await json(c, '/api/v1/dashboard');
  assert.equal(dflt.filter.from, `${y}-08-01`);
  assert.equal(dflt.filter.to, `${y + 1}-07-31`);
});

test('the dashboard\'s rollup gives the records\' figures for the demonstration year', async () => {
  // The server (--rollup-every 1) builds every month in the background;
  // then a whole-months range reads the rollup, and the same range from a
  // day earlier (in the summer holiday: no meetings) reads the records.
  const stale = () => dbSql(srv.db, 'SELECT count(*) FROM dash_rollup_stale');
  const start = Date.now();
  while (stale() !== '0' && Date.now() - start < 30000) await new Promise((r) => setTimeout(r, 250));
  assert.equal(stale(), '0', 'the refresher built every month');
  const today = (await json(await signedIn(srv, 'coordinator'), '/api/v1/work')).today;
  const c = await signedIn(srv, 'admin');
  const { from, to } = lastYear(today);
  const earlier = new Date(Date.parse(`${from}T00:00:00Z`) - 86400000).toISOString().slice(0, 10);
  for (const extra of ['', '&phase=primary', '&phase=secondary', '&publish=yes']) {
    const rollup = await json(c, `/api/v1/dashboard?from=${from}&to=${to}${extra}`);
    const records = await json(c, `/api/v1/dashboard?from=${earlier}&to=${to}${extra}`);
    assert.deepEqual(rollup.tables, records.tables, `the same figures${extra}`);
  }
  const held = (await json(c, `/api/v1/dashboard?from=${from}&to=${to}`)).tables
    .find((t) => t.key === 'meetings').rows.find((r) => r.label === 'Meetings held');
  assert.ok(held.cells.find((x) => x.column === 'Total').value > 0, 'a year with meetings in it');
});

test('no figure hidden in a published table of the demonstration year can be worked out from the others', async () => {
  const c = await signedIn(srv, 'admin');
  const { from, to } = lastYear((await json(c, '/api/v1/work')).today);
  let hiddenInAll = 0, naiveFound = 0;
  for (const extra of ['', '&phase=primary', '&phase=secondary', `&team_id=1`]) {
    const q = `/api/v1/dashboard?from=${from}&to=${to}${extra}`;
    const exact = await json(c, q);
    const pub = await json(c, `${q}&publish=yes`);
    assert.equal(exact.exact, true);
    assert.equal(pub.exact, false);
    assert.equal(pub.disclosure_check.hidden_cells_worked_out, 0, `the server's own audit${extra}`);
    const hidden = hiddenCells(pub);
    hiddenInAll += hidden.length;
    // The reader's subtraction finds nothing, even assuming "c" is never 0.
    assert.deepEqual(attack(pub), [], `worked out from ${extra || 'the whole year'}`);
    const truth = new Map();
    for (const t of exact.tables) for (const r of t.rows) for (const x of r.cells) {
      truth.set(`${t.key}|${r.group}|${r.label}|${x.column}`, x.value);
    }
    const right = attack(pub, { atLeastOne: true })
      .filter((f) => truth.get(`${f.table}|${f.group}|${f.row}|${f.column}`) === f.value);
    assert.deepEqual(right, [], `worked out (assuming c is at least 1) from ${extra || 'the whole year'}`);
    // The same tables with only the small counts hidden (no secondary
    // suppression) do give figures away: the reader has teeth.
    const naive = structuredClone(exact);
    for (const t of naive.tables) for (const r of t.rows) for (const x of r.cells) {
      const pubRow = pub.tables.find((u) => u.key === t.key).rows.find((u) => u.label === r.label && u.group === r.group);
      if (pubRow?.part_of) r.part_of = pubRow.part_of;
      x.suppressed = r.kind === 'count' && x.value > 0 && x.value < pub.threshold &&
        pubRow.cells.find((u) => u.column === x.column).suppressed;
    }
    naiveFound += attack(naive).length;
  }
  assert.ok(hiddenInAll > 20, `published tables hide figures (${hiddenInAll})`);
  assert.ok(naiveFound > 0, 'small counts alone, hidden without their complements, can be worked out');
});

test('a long work list shows its first 50 rows, and all of them when asked', async () => {
  const c = await signedIn(srv, 'coordinator');
  const n = (await json(c, '/api/v1/work')).feedback_not_recorded.count;
  assert.ok(n > 50, `enough unrecorded feedback to cut (${n})`);
  const section = (html) => html.split('id="feedback"')[1].split('<h2')[0];
  const rows = (html) => (section(html).match(/<tr class="govuk-table__row">/g) || []).length - 1;  // less the header
  const page = await c.getHtml('/work');
  assert.equal(page.status, 200);
  assert.equal(rows(page.html), 50);
  assert.match(section(page.html), new RegExp(`Showing the first 50 of ${n}\\.`));
  assert.match(section(page.html), /href="\/work\?all=1#feedback"/);
  const full = await c.getHtml('/work?all=1');
  assert.equal(rows(full.html), n);
  assert.doesNotMatch(section(full.html), /Showing the first/);
});

test('a held meeting has its attendance, agenda and minutes', async () => {
  const c = await signedIn(srv, 'coordinator');
  const { from, to } = lastYear((await json(c, '/api/v1/work')).today);
  const held = (await json(c, `/api/v1/meetings?from=${from}&to=${to}&status=held&per_page=5`)).meetings;
  assert.ok(held.length > 0);
  for (const m of held) {
    assert.ok(m.attendance_count >= 5, `attendance recorded (${m.attendance_count})`);
    const { items } = await json(c, `/api/v1/meetings/${m.id}/agenda`);
    assert.ok(items.length > 0, `agenda of meeting ${m.id}`);
    assert.ok(items.every((d) => d.pupil_name && (d.kind === 'new' || d.kind === 'review')));
    assert.ok(items.some((d) => d.has_minutes), `minutes of meeting ${m.id}`);
  }
});

test('the practitioner sees their own actions', async () => {
  const p = await signedIn(srv, 'practitioner');
  const work = await json(p, '/api/v1/work');
  assert.ok(work.my_actions && work.my_actions.count > 0, 'my actions listed');
  assert.ok(work.my_actions.items.every((a) => /Fatima Qureshi/.test(a.owner_label)), 'owned by the account\'s practitioner');
  // Team grants: the cases of the practitioner's teams, not the whole authority.
  const cases = await json(p, '/api/v1/cases?per_page=1');
  assert.ok(cases.total > 0 && cases.total < 100, `practitioner sees ${cases.total} cases`);
});

test('supported pupils have their schools\' outcome records, none dated after today, and a before and after', async () => {
  const sql = (q) => dbSql(srv.db, q);
  const c = await signedIn(srv, 'coordinator');
  const today = (await json(c, '/api/v1/work')).today;
  const withRecords = Number(sql('SELECT count(DISTINCT pupil_id) FROM outcome_records'));
  const supported = Number(sql('SELECT count(DISTINCT pupil_id) FROM cases'));
  assert.ok(withRecords >= supported * 0.9, `${withRecords} of ${supported} supported pupils have records`);
  assert.equal(sql(`SELECT count(*) FROM outcome_records o WHERE o.pupil_id NOT IN (SELECT pupil_id FROM cases)
    AND o.pupil_id NOT IN (SELECT pupil_id FROM apst_referrals)`), '0', 'records only for pupils someone supports');
  assert.equal(sql(`SELECT count(*) FROM outcome_records WHERE starts_on > '${today}' OR ends_on > '${today}'`), '0');
  assert.equal(sql(`SELECT count(*) FROM outcome_records WHERE kind = 'attendance' AND ends_on IS NULL`), '0');
  for (const kind of ['attendance', 'suspension', 'fsm', 'eal']) {
    assert.ok(Number(sql(`SELECT count(*) FROM outcome_records WHERE kind = '${kind}'`)) > 0, kind);
  }
  // A case presented early in the year has whole terms on both sides.
  const early = Number(sql(`SELECT min(id) FROM cases WHERE opened_on = (SELECT min(opened_on) FROM cases)`));
  const ba = (await json(c, `/api/v1/cases/${early}/outcomes`)).before_after;
  assert.ok(ba.before.attendance_terms > 0 && ba.after.attendance_terms > 0, JSON.stringify(ba));
  assert.match(ba.attendance, /^(rose|fell|same)$/);
});

test('the same seed gives the same data', async () => {
  const a = await signedIn(srv, 'coordinator');
  const b = await signedIn(twin, 'coordinator');
  const { from, to } = lastYear((await json(a, '/api/v1/work')).today);
  const cases = await json(a, '/api/v1/cases?per_page=200');
  const sample = [
    `/api/v1/meetings?from=${from}&to=${to}&per_page=200`,
    '/api/v1/cases?per_page=200',
    '/api/v1/work',
    '/api/v1/teams',
  ];
  for (const k of [cases.cases[0], cases.cases[57], cases.cases[150]]) {
    sample.push(`/api/v1/cases/${k.id}`, `/api/v1/cases/${k.id}/actions`, `/api/v1/cases/${k.id}/referrals`);
  }
  for (const p of sample) {
    assert.deepEqual(await json(b, p), await json(a, p), p);
  }
});

test('tas demo --without-year makes no teams, meetings or cases', async () => {
  const c = await signedIn(bare, 'coordinator');
  assert.equal((await json(c, '/api/v1/meetings')).total, 0);
  assert.equal((await json(c, '/api/v1/cases')).total, 0);
  const work = await json(c, '/api/v1/work');
  assert.equal(work.overdue_actions.count, 0);
  // Without teams the practitioner reaches no cases, so has no work list.
  const p = await signedIn(bare, 'practitioner');
  const res = await p.get('/api/v1/work');
  const mine = await res.json();
  assert.ok(res.status === 403 || !mine.my_actions || mine.my_actions.count === 0, `${res.status}`);
});

test('the demo has a budget holder and a budget approver who reach the pooled budget', async () => {
  for (const username of ['budget.holder', 'budget.approver']) {
    const c = await signedIn(srv, username);
    const me = await json(c, '/api/v1/me');
    const roles = (me.user?.roles ?? me.roles).map((r) => r.role);
    assert.deepEqual(roles, [username === 'budget.holder' ? 'budget_holder' : 'budget_approver'], username);
    const budget = await json(c, '/api/v1/budget');
    assert.ok(Array.isArray(budget.years), username);
    const page = await c.get('/budget');
    assert.equal(page.status, 200, username);
    assert.match(await page.text(), /Pooled budget/);
  }
  // Only the approver keeps the pool: its limits page.
  assert.equal((await (await signedIn(srv, 'budget.approver')).get('/budget/limits')).status, 200);
  // Others of the demo still see no budget (deny by default).
  const res = await (await signedIn(srv, 'practitioner')).get('/api/v1/budget');
  assert.equal(res.status, 403);
  await res.arrayBuffer();
});

test('the demo has last year\'s pooled budget spent and this year\'s with one decision awaiting approval', async () => {
  const sql = (q) => dbSql(srv.db, q);
  const approver = await signedIn(srv, 'budget.approver');
  const { years } = await json(approver, '/api/v1/budget');
  const today = (await json(await signedIn(srv, 'coordinator'), '/api/v1/work')).today;
  // Financial years start on 1 April: this one and the one before.
  const fy = Number(today.slice(0, 4)) - (today.slice(5) < '04-01' ? 1 : 0);
  assert.deepEqual(years.map((y) => y.start_year), [fy, fy - 1]);
  for (const y of years) {
    // The pool and what was paid, against the records added up here.
    assert.equal(y.pool_pence, Number(sql(`SELECT coalesce(sum(amount_pence), 0) FROM budget_contributions
      WHERE year_id = ${y.id} AND voided_at IS NULL`)), y.label);
    assert.equal(y.paid_pence, Number(sql(`SELECT coalesce(sum(p.amount_pence), 0) FROM budget_payments p
      JOIN budget_commitments c ON c.id = p.commitment_id JOIN budget_allocations a ON a.id = c.allocation_id
      WHERE a.year_id = ${y.id}`)), y.label);
    assert.ok(y.allocated_pence > 0 && y.allocated_pence <= y.pool_pence, y.label);
  }
  const [current, last] = years;
  assert.ok(last.paid_pence > 0, 'last year has payments');
  assert.equal(current.paid_pence, 0);
  // One commissioning decision over the holder's limit waits for the approver.
  const queue = (await json(approver, '/api/v1/budget/approvals')).commitments;
  assert.equal(queue.length, 1);
  assert.equal(queue[0].status, 'pending');
  assert.equal(queue[0].needs_over_limit, true);
  assert.equal(queue[0].year_id, current.id);
  // Another decision over the limit was approved last year, by the approver, not the holder.
  assert.equal(sql(`SELECT count(*) FROM budget_approvals a JOIN users u ON u.id = a.decided_by
    WHERE a.decision = 'approved' AND u.username = 'budget.approver'`), '1');
  // Last year's report: pupils of TAS actions placed on what was bought, each count either
  // shown as it is in the records or suppressed (1 to 4), and at least one shown.
  const report = await json(approver, `/api/v1/budget/years/${last.id}/report`);
  assert.ok(report.interventions.length >= 3);
  let shown = 0;
  for (const iv of report.interventions) {
    const placed = Number(sql(`SELECT count(*) FROM placements p JOIN budget_commitments c ON c.id = p.commitment_id
      JOIN budget_allocations a ON a.id = c.allocation_id WHERE a.year_id = ${last.id} AND c.intervention_id = ${iv.id}`));
    const cell = iv.rows.find((r) => r.measure === 'placed').cells.total.text;
    if (cell === 'c') assert.ok(placed >= 1 && placed < report.threshold, `${iv.name}: ${placed}`);
    else {
      assert.equal(Number(cell), placed, iv.name);
      shown += placed > 0;
    }
  }
  assert.ok(shown >= 1);
  // Every placement comes from an action of a case of the team whose allocation paid for it.
  assert.equal(sql(`SELECT count(*) FROM placements p JOIN actions x ON x.id = p.action_id JOIN cases k ON k.id = x.case_id
    JOIN budget_commitments c ON c.id = p.commitment_id JOIN budget_allocations a ON a.id = c.allocation_id
    WHERE k.team_id <> a.team_id OR k.pupil_id <> p.pupil_id`), '0');
  assert.ok(Number(sql('SELECT count(*) FROM placements')) >= 5);
});
