// The dashboard's pages kept in memory (web/page_cache.c, issue 16): a
// page answered from the rollup is kept under a key naming the rollup's
// generation, the filters, the viewer's grants (the scope, not the user)
// and today.  X-Served-From says which ("cache" or "computed").  A kept
// answer is the one computed; a change to a figure makes the next page
// show it; a viewer with other grants never gets another's page, and one
// with the same grants shares it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, Client, dbScript, pageMain as body } from './harness.mjs';
import { dashboardFixture } from './dashboard_fixture.mjs';

let srv;
const as = {};
const A = 900; // Testshire
const RANGE = `from=2024-08-01&to=2025-07-31&authority_id=${A}`;   // whole months: the rollup

function sql(statement) {
  return dbScript(srv.db, statement);
}

async function signIn(username) {
  const c = new Client(srv.base);
  const res = await c.signIn(username);
  assert.equal(res.status, 303, `sign in as ${username}`);
  as[username] = c;
  return c;
}

async function get(user, path) {
  const res = await as[user].get(path);
  const text = await res.text();
  assert.equal(res.status, 200, text.slice(0, 500));
  return { from: res.headers.get('x-served-from'), text };
}

function total(json, key, label) {
  const t = json.tables.find((x) => x.key === key);
  const r = t.rows.find((x) => x.label === label);
  return r.cells[r.cells.length - 1].text;
}

before(async () => {
  srv = await startServer({ extraArgs: ['--rollup-every', '0'] });
  sql(dashboardFixture(A));
  // A second steering group member holding exactly the first one's grants.
  sql(`INSERT INTO users (username, display_name, password_hash, created_at, updated_at)
         SELECT 'steering2', 'Second steering member', password_hash, created_at, updated_at FROM users WHERE username = 'steering';
       INSERT INTO user_roles (user_id, role, scope_kind, scope_id, authority_id, detail)
         SELECT (SELECT id FROM users WHERE username = 'steering2'), role, scope_kind, scope_id, authority_id, detail
         FROM user_roles WHERE user_id = (SELECT id FROM users WHERE username = 'steering');`);
  for (const u of ['admin', 'steering', 'steering2', 'evaluator']) await signIn(u);
  // A view of both the administrator's authorities builds every stale
  // month (one authority's view with many stale reads the records).
  await get('admin', '/api/v1/dashboard?from=2024-08-01&to=2025-07-31');
});

after(async () => {
  await srv?.stop({ expectExitZero: true });
});

test('a kept answer is the computed one, for the JSON and the page', async () => {
  const first = await get('admin', `/api/v1/dashboard?${RANGE}`);
  assert.equal(first.from, 'computed');
  const again = await get('admin', `/api/v1/dashboard?${RANGE}`);
  assert.equal(again.from, 'cache');
  assert.equal(again.text, first.text, 'the same JSON, byte for byte');
  const page = await get('admin', `/dashboard?${RANGE}`);
  assert.equal(page.from, 'computed', 'the page is kept apart from the JSON');
  const page2 = await get('admin', `/dashboard?${RANGE}`);
  assert.equal(page2.from, 'cache');
  assert.equal(body(page2.text), body(page.text), 'the same page');
  assert.match(page2.text, /Pupils&#39; cases presented|Pupils' cases presented/);
  const report = await get('admin', `/dashboard/report?${RANGE}`);
  assert.equal(report.from, 'computed', 'the report is another page');
  assert.equal(body((await get('admin', `/dashboard/report?${RANGE}`)).text), body(report.text));
  // Other filters are another key; part months read the records and are not kept.
  assert.equal((await get('admin', `/api/v1/dashboard?${RANGE}&phase=primary`)).from, 'computed');
  const part = `from=2024-08-02&to=2025-07-31&authority_id=${A}`;
  assert.equal((await get('admin', `/api/v1/dashboard?${part}`)).from, null);
  assert.equal((await get('admin', `/api/v1/dashboard?${part}`)).from, null);
});

test('a change to a figure shows on the next page', async () => {
  const before = JSON.parse((await get('admin', `/api/v1/dashboard?${RANGE}`)).text);
  const beforePage = body((await get('admin', `/dashboard?${RANGE}`)).text);
  const caseId = sql(`SELECT d.case_id FROM discussions d JOIN meetings m ON m.id = d.meeting_id
    JOIN teams t ON t.id = m.team_id WHERE t.authority_id = ${A} AND d.kind = 'new' AND m.status = 'held'
    AND m.meeting_date BETWEEN '2024-08-01' AND '2025-07-31' ORDER BY d.case_id LIMIT 1;`).trim();
  sql(`INSERT INTO actions (id, case_id, description, setting, nature, created_at, updated_at)
       VALUES (99101, ${caseId}, 'Cache test', 'home', 'advice', 0, 0);`);
  try {
    const after = await get('admin', `/api/v1/dashboard?${RANGE}`);
    assert.equal(after.from, 'computed', 'the write changed the generation');
    const n = Number(total(before, 'procedures', 'Actions recorded'));
    assert.equal(total(JSON.parse(after.text), 'procedures', 'Actions recorded'), String(n + 1));
    const page = await get('admin', `/dashboard?${RANGE}`);
    assert.equal(page.from, 'computed');
    assert.notEqual(body(page.text), beforePage, 'the page shows the new figure');
    assert.equal((await get('admin', `/api/v1/dashboard?${RANGE}`)).from, 'cache', 'then kept again');
  } finally {
    sql('DELETE FROM actions WHERE id = 99101;');
  }
  const undone = await get('admin', `/api/v1/dashboard?${RANGE}`);
  assert.equal(undone.from, 'computed');
  assert.deepEqual(JSON.parse(undone.text).tables, before.tables, 'back to the figures before');
  // The disclosure threshold is a setting the page depends on too.
  sql(`INSERT INTO disclosure_settings (authority_id, suppress_below, updated_at) VALUES (${A}, 7, 0)
       ON CONFLICT (authority_id) DO UPDATE SET suppress_below = excluded.suppress_below;`);
  assert.equal((await get('admin', `/api/v1/dashboard?${RANGE}&publish=yes`)).from, 'computed');
  const t7 = JSON.parse((await get('admin', `/api/v1/dashboard?${RANGE}&publish=yes`)).text);
  assert.equal(t7.threshold, 7);
  sql(`DELETE FROM disclosure_settings WHERE authority_id = ${A};`);
  const t5 = await get('admin', `/api/v1/dashboard?${RANGE}&publish=yes`);
  assert.equal(t5.from, 'computed');
  assert.equal(JSON.parse(t5.text).threshold, 5);
});

test('viewers with other grants never share a page; the same grants do', async () => {
  // The administrator (exact figures) has the page kept; the evaluator
  // (suppressed figures) gets their own.
  await get('admin', `/api/v1/dashboard?${RANGE}`);
  const admin = await get('admin', `/api/v1/dashboard?${RANGE}`);
  assert.equal(admin.from, 'cache');
  const evaluator = await get('evaluator', `/api/v1/dashboard?${RANGE}`);
  assert.equal(evaluator.from, 'computed', 'not the administrator\'s page');
  assert.notEqual(evaluator.text, admin.text);
  assert.equal(JSON.parse(evaluator.text).exact, false, 'the evaluator\'s own, suppressed figures');
  assert.equal((await get('evaluator', `/api/v1/dashboard?${RANGE}`)).from, 'cache');
  await get('admin', `/dashboard?${RANGE}`);
  const adPage = await get('admin', `/dashboard?${RANGE}`);
  assert.equal(adPage.from, 'cache');
  const evPage = await get('evaluator', `/dashboard?${RANGE}`);
  assert.equal(evPage.from, 'computed');
  assert.notEqual(body(evPage.text), body(adPage.text));
  // The steering group member (suppressed figures too, other grants):
  // computed for them, never the evaluator's.
  const steering = await get('steering', `/api/v1/dashboard?${RANGE}`);
  assert.equal(steering.from, 'computed', 'other grants, another key');
  const stPage = await get('steering', `/dashboard?${RANGE}`);
  assert.equal(stPage.from, 'computed');
  // The same grants: the same figures, kept once.
  const twin = await get('steering2', `/api/v1/dashboard?${RANGE}`);
  assert.equal(twin.from, 'cache', 'a user with the same scope shares the kept answer');
  assert.equal(twin.text, (await get('steering', `/api/v1/dashboard?${RANGE}`)).text);
  const twinPage = await get('steering2', `/dashboard?${RANGE}`);
  assert.equal(twinPage.from, 'cache');
  assert.equal(body(twinPage.text), body(stPage.text));
});

// The rollup's outcome rows and England's rows (migration 0027): the
// outcomes table from the rollup equals the one compared case by case from
// the records, before and after outcome records arrive, and `tas rollup
// verify` (which compares every authority and England as a whole, the
// view that reads England's rows) finds no difference.
test('outcomes and England from the rollup give the records\' figures', async () => {
  const RECORDS = `from=2024-07-31&to=2025-07-31&authority_id=${A}`;   // a day early: the records
  const outcomes = async (q) => JSON.parse((await get('admin', `/api/v1/dashboard?${q}`)).text)
    .tables.find((t) => t.key === 'outcomes').rows.map((r) => [r.label, r.cells.map((c) => c.text)]);
  assert.deepEqual(await outcomes(RANGE), await outcomes(RECORDS), 'no outcome records yet');
  const pupils = sql(`SELECT DISTINCT c.pupil_id FROM cases c JOIN discussions d ON d.case_id = c.id
    JOIN meetings m ON m.id = d.meeting_id JOIN teams t ON t.id = m.team_id WHERE t.authority_id = ${A}
    AND d.kind = 'new' AND m.status = 'held' ORDER BY 1;`).trim().split('\n');
  assert.ok(pupils.length >= 3);
  const rec = (pupil, starts, ends, possible, missed) => `INSERT INTO outcome_records (pupil_id, kind, starts_on,
    ends_on, code, sessions_possible, sessions_missed, source, created_at) VALUES (${pupil}, 'attendance',
    '${starts}', '${ends}', '', ${possible}, ${missed}, 'hand', 0);`;
  sql(pupils.map((p, i) => rec(p, '2023-09-04', '2024-07-19', 380, 40 + i)
    + rec(p, '2024-09-02', '2024-12-20', 140, 20) + rec(p, '2025-01-06', '2025-07-18', 240, i % 2 ? 10 : 60)
    + rec(p, '2025-09-01', '2026-07-17', 380, 30 + 3 * i)).join('\n'));
  assert.ok(Number(sql(`SELECT count(*) FROM dash_rollup_stale WHERE authority_id = ${A};`).trim()) > 0,
    'outcome records mark the months their pupils\' cases were presented stale');
  await get('admin', '/api/v1/dashboard?from=2024-08-01&to=2025-07-31');   // rebuilds them
  const fromRollup = await outcomes(RANGE);
  assert.deepEqual(fromRollup, await outcomes(RECORDS), 'the same outcomes by both roads');
  assert.ok(Number(fromRollup[0][1][2]) > 0, `cases were compared: ${JSON.stringify(fromRollup)}`);
  assert.ok(Number(sql(`SELECT count(*) FROM dash_rollup WHERE dim = 'outcome' AND authority_id = ${A};`).trim()) > 0);
  // Term dates move the windows: a change marks the months stale again.
  sql(`INSERT INTO term_dates (authority_id, academic_year, half_term, starts_on, ends_on)
       VALUES (${A}, 2030, 1, '2030-09-02', '2030-10-25');`);
  assert.ok(Number(sql(`SELECT count(*) FROM dash_rollup_stale WHERE authority_id = ${A};`).trim()) > 0);
  const verify = spawnSync(process.env.TAS_BIN || 'build/release/tas', ['rollup', '--db', srv.db, 'verify'],
    { encoding: 'utf8', timeout: 60000, env: { ...process.env } });
  assert.equal(verify.status, 0, verify.stdout + verify.stderr);
  assert.match(verify.stdout, /rollup: all authorities?[^\n]*: the same figures as the records/i, verify.stdout);
  assert.ok(Number(sql("SELECT count(*) FROM dash_rollup WHERE authority_id = 0 AND dim = 'cases';").trim()) > 0,
    'England\'s rows were built');
  assert.equal(sql('SELECT count(*) FROM dash_rollup_stale WHERE authority_id = 0;').trim(), '0');
});
