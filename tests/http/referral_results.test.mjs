// Referral results (issue 15, item 5): referrals built by hand in the
// database for one team, with every figure worked out by hand below;
// suppression for an evaluator; access for each role; the CSV.
//
// The referrals (S = 1 September of the current school year; days waited
// from referral to decision in brackets):
//   R1 Educational Psychology   S+0  accepted    S+2   (2)
//   R2 Speech and Language      S+3  accepted    S+12  (9)
//   R3 Community Paediatrics    S+5  accepted    S+35  (30)  toolkit completed S-10: on file
//   R4 CAMHS                    S+6  declined    S+11  (5)
//   R5 Community Paediatrics    S+7  redirected  S+21  (14)  toolkit completed S+20: after, so not
//   R6 Community Paediatrics    S+8  pending                 only a draft toolkit: not
//   R7 Educational Psychology   S+9  pending
//   R8 Educational Psychology   S+1  accepted, voided: not counted
//   R9 Educational Psychology   15 July before S (last school year): not counted
// Referrals 7; decided 5 (accepted 3, declined 1, redirected 1); pending 2.
// Conversion rate 3 / 5 = 60%.
// Waits sorted: 2 5 9 14 30.  R type 7: median h = 4 x 0.5 = 2 -> 9;
// p90 h = 4 x 0.9 = 3.6 -> 14 + 0.6 x (30 - 14) = 23.6.
// Community paediatrics waits 14 30: median 22, p90 14 + 0.9 x 16 = 28.4.
// Community paediatrics: 3 referrals, 2 without a toolkit beforehand (67%).
// Professionals: P1 and P2 present at held M1, P1 again at held M3, P3
// sent apologies, P4 present only at cancelled M2; guest "Dr Guest" at M1
// and " dr guest " at M3 (one person); P5 owns an action agreed at M1, P1
// another; P6 owns a voided one; "Ms Named" (no practitioner record) owns
// an action made outside a meeting in the range.  Distinct: P1, P2, Dr
// Guest, P5, Ms Named = 5.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, TODAY, addDays, nowSeconds, academicYearOf, decodeHtml } from './harness.mjs';
import { dbSql } from './harness.mjs';

let srv, team, auth, clients = {};
const Y = academicYearOf(TODAY);
const S = `${Y}-09-01`;
const d = (n) => addDays(S, n);
const RANGE = `from=${Y}-08-01&to=${TODAY}`;

function sql(q) {
  return dbSql(srv.db, q);
}

async function signedIn(user) {
  const c = new Client(srv.base);
  assert.equal((await c.signIn(user)).status, 303, user);
  return c;
}

async function getJson(c, p) {
  const res = await c.request(p);
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, text, res };
}

before(async () => {
  srv = await startServer({ seed: 25 });
  const now = nowSeconds();
  auth = Number(sql('SELECT authority_id FROM schools WHERE id = 1'));
  team = Number(sql(`INSERT INTO teams (authority_id, host_school_id, name, cadence, created_at, updated_at)
    VALUES (${auth}, 1, 'Referral results TAS', 'three_weekly', ${now}, ${now}) RETURNING id;`));
  sql(`INSERT INTO team_schools VALUES (${team}, 1);`);
  const meeting = (date, status) => Number(sql(`INSERT INTO meetings (team_id, meeting_date, start_time, status,
    created_at, updated_at) VALUES (${team}, '${date}', '13:30', '${status}', ${now}, ${now}) RETURNING id;`));
  const m1 = meeting(d(0), 'held'), m2 = meeting(d(7), 'cancelled'), m3 = meeting(d(14), 'held');
  const pupils = sql('SELECT id FROM pupils WHERE school_id = 1 ORDER BY id LIMIT 7').split('\n').map(Number);
  const cases = pupils.map((p) => Number(sql(`INSERT INTO cases (pupil_id, team_id, opened_on, created_at, updated_at)
    VALUES (${p}, ${team}, '${d(-20)}', ${now}, ${now}) RETURNING id;`)));
  const svc = (code) => Number(sql(`SELECT id FROM services WHERE authority_id = ${auth} AND code = '${code}'`));
  const ep = svc('ep'), salt = svc('salt'), paed = svc('paediatrics'), camhs = svc('camhs');
  const referral = (k, service, on, outcome, outOn, voided = false) => sql(`INSERT INTO referrals (case_id, service_id,
    referred_on, outcome, outcome_on, created_at, updated_at, voided_at) VALUES (${cases[k]}, ${service}, '${on}',
    '${outcome}', ${outOn ? `'${outOn}'` : 'NULL'}, ${now}, ${now}, ${voided ? now : 'NULL'});`);
  referral(0, ep, d(0), 'accepted', d(2));
  referral(1, salt, d(3), 'accepted', d(12));
  referral(2, paed, d(5), 'accepted', d(35));
  referral(3, camhs, d(6), 'declined', d(11));
  referral(4, paed, d(7), 'redirected', d(21));
  referral(5, paed, d(8), 'pending', null);
  referral(6, ep, d(9), 'pending', null);
  referral(0, ep, d(1), 'accepted', d(3), true);
  referral(1, ep, `${Y}-07-15`, 'accepted', `${Y}-07-20`);
  // Only the toolkit's name matters here (its questions are toolkits.test.mjs's).
  const def = Number(sql(`INSERT INTO toolkit_definitions (name, version, title, body, loaded_at)
    VALUES ('early-concerns', 1, 'Early concerns', '', ${now}) RETURNING id;`)), ver = 1;
  const toolkit = (k, status, on) => sql(`INSERT INTO toolkit_completions (pupil_id, definition_id, version, status,
    completed_on, created_at, updated_at) VALUES (${pupils[k]}, ${def}, ${ver}, '${status}', '${on}', ${now}, ${now});`);
  toolkit(2, 'complete', d(-10));
  toolkit(4, 'complete', d(20));
  toolkit(5, 'draft', d(-5));
  const prac = (name) => Number(sql(`INSERT INTO practitioners (authority_id, service_id, name, created_at, updated_at)
    VALUES (${auth}, ${ep}, '${name}', ${now}, ${now}) RETURNING id;`));
  const [p1, p2, p3, p4, p5, p6] = ['P One', 'P Two', 'P Three', 'P Four', 'P Five', 'P Six'].map(prac);
  const attend = (m, p, name, status, guest = 0) => sql(`INSERT INTO attendance (meeting_id, practitioner_id,
    person_name, role, status, guest) VALUES (${m}, ${p ?? 'NULL'}, '${name}', '', '${status}', ${guest});`);
  attend(m1, p1, '', 'present');
  attend(m1, p2, '', 'present');
  attend(m1, p3, '', 'apologies');
  attend(m2, p4, '', 'present');
  attend(m3, p1, '', 'present');
  attend(m1, null, 'Dr Guest', 'present', 1);
  attend(m3, null, ' dr guest ', 'present', 1);
  const disc = Number(sql(`INSERT INTO discussions (meeting_id, case_id, kind, created_at, updated_at)
    VALUES (${m1}, ${cases[0]}, 'new', ${now}, ${now}) RETURNING id;`));
  const action = (p, name, discussion, created, voided = false) => sql(`INSERT INTO actions (case_id, discussion_id,
    description, owner_practitioner_id, owner_name, setting, nature, created_at, updated_at, voided_at)
    VALUES (${cases[0]}, ${discussion ?? 'NULL'}, 'Something to do', ${p ?? 'NULL'}, '${name}', 'school', 'advice',
    ${created}, ${created}, ${voided ? now : 'NULL'});`);
  const inRange = Date.parse(`${d(10)}T12:00:00Z`) / 1000;
  action(p5, '', disc, now);
  action(p1, '', disc, now);
  action(p6, '', disc, now, true);
  action(null, 'Ms Named', null, inRange);
  for (const u of ['admin', 'dpo', 'lead', 'coordinator', 'head', 'senco', 'practitioner', 'evaluator', 'steering'])
    clients[u] = await signedIn(u);
});

after(async () => { await srv?.stop(); });

const row = (t, label, group) => t.rows.find((r) => r.label === label && (group === undefined || r.group === group));
const total = (r) => r.cells.find((c) => c.column === 'Total');
const table = (j, key) => j.tables.find((t) => t.key === key);

test('exact figures for the coordinator, worked by hand', async () => {
  const { status, json: j, text } = await getJson(clients.coordinator, `/api/v1/referral-results?${RANGE}&team_id=${team}`);
  assert.equal(status, 200, text);
  assert.equal(j.exact, true);
  const t1 = table(j, 'referral_results');
  assert.equal(total(row(t1, 'Referrals')).value, 7);
  assert.equal(total(row(t1, 'Decided')).value, 5);
  assert.equal(total(row(t1, 'Pending')).value, 2);
  assert.equal(total(row(t1, 'Accepted')).value, 3);
  assert.equal(total(row(t1, 'Accepted')).percent, 60);
  assert.equal(total(row(t1, 'Declined')).value, 1);
  assert.equal(total(row(t1, 'Redirected back to TAS')).value, 1);
  assert.equal(j.conversion_rate, 0.6);
  const t2 = table(j, 'referral_services');
  assert.equal(total(row(t2, 'Community Paediatrics', 'Accepted')).value, 1);
  assert.equal(total(row(t2, 'Community Paediatrics', 'Redirected back to TAS')).value, 1);
  assert.equal(total(row(t2, 'Community Paediatrics', 'Pending')).value, 1);
  assert.equal(total(row(t2, 'Community Paediatrics', 'Declined')).value, 0);
  assert.equal(total(row(t2, 'Educational Psychology', 'Accepted')).value, 1);
  assert.equal(total(row(t2, 'Educational Psychology', 'Pending')).value, 1);
  assert.equal(total(row(t2, 'CAMHS', 'Declined')).value, 1);
  assert.equal(total(row(t2, 'Speech and Language Therapy', 'Accepted')).value, 1);
  const all = j.days_waited.find((w) => w.service === 'All services');
  assert.deepEqual([all.decisions, all.median_days, all.p90_days], [5, 9, 23.6]);
  const paed = j.days_waited.find((w) => w.service === 'Community Paediatrics');
  assert.deepEqual([paed.decisions, paed.median_days, paed.p90_days], [2, 22, 28.4]);
  const t3 = table(j, 'paediatrics_toolkit');
  assert.equal(total(row(t3, 'Referrals to community paediatrics')).value, 3);
  assert.equal(total(row(t3, 'With a toolkit on file beforehand')).value, 1);
  assert.equal(total(row(t3, 'Without a toolkit on file beforehand')).value, 2);
  assert.equal(j.paediatrics_without_toolkit.count, 2);
  assert.ok(Math.abs(j.paediatrics_without_toolkit.share - 2 / 3) < 1e-9);
  assert.equal(j.professionals_engaged, 5);
  assert.match(j.quantile_method, /type 7/);
});

test('the default range is the current school year', async () => {
  const { json: j } = await getJson(clients.coordinator, `/api/v1/referral-results?team_id=${team}`);
  assert.equal(j.filter.from, `${Y}-08-01`);
  assert.equal(j.filter.to, `${Y + 1}-07-31`);
  assert.equal(total(row(table(j, 'referral_results'), 'Referrals')).value, 7);
  // Last school year holds R9 alone.
  const { json: last } = await getJson(clients.coordinator,
    `/api/v1/referral-results?from=${Y - 1}-08-01&to=${Y}-07-31&team_id=${team}`);
  assert.equal(total(row(table(last, 'referral_results'), 'Referrals')).value, 1);
  assert.equal(total(row(table(last, 'referral_results'), 'Accepted')).value, 1);
  assert.equal(last.professionals_engaged, 0);
});

test('an evaluator sees small counts suppressed and nothing worked out', async () => {
  const { status, json: j, text } = await getJson(clients.evaluator, `/api/v1/referral-results?${RANGE}&team_id=${team}`);
  assert.equal(status, 200, text);
  assert.equal(j.exact, false);
  assert.equal(j.threshold, 5);
  for (const t of j.tables)
    for (const r of t.rows)
      for (const c of r.cells) {
        if (c.suppressed) assert.equal(c.value, null);
        else assert.ok(c.value === 0 || c.value >= j.threshold, `${t.key} ${r.label} ${c.column} ${c.value}`);
      }
  assert.equal(total(row(table(j, 'referral_results'), 'Pending')).suppressed, true);
  assert.equal(total(row(table(j, 'referral_results'), 'Accepted')).suppressed, true);
  assert.equal(j.conversion_rate, null);
  // Three community paediatrics referrals: the whole toolkit table is hidden.
  for (const r of table(j, 'paediatrics_toolkit').rows) assert.equal(total(r).suppressed, true);
  assert.equal(j.paediatrics_without_toolkit.count, null);
  assert.equal(j.paediatrics_without_toolkit.share, null);
  // Five waits in all: shown; two for community paediatrics: withheld.
  const all = j.days_waited.find((w) => w.service === 'All services');
  assert.deepEqual([all.withheld, all.median_days, all.p90_days, all.decisions], [false, 9, 23.6, null]);
  const paed = j.days_waited.find((w) => w.service === 'Community Paediatrics');
  assert.deepEqual([paed.withheld, paed.median_days, paed.p90_days], [true, null, null]);
  assert.equal(j.professionals_engaged, 5);   // staff, not children
  assert.equal(j.disclosure_check.hidden_cells_worked_out, 0);
  // Marked for publication, the coordinator's figures are the evaluator's.
  const { json: pub } = await getJson(clients.coordinator,
    `/api/v1/referral-results?${RANGE}&team_id=${team}&publish=yes`);
  assert.equal(pub.exact, false);
  assert.deepEqual(pub.tables, j.tables);
});

test('access for each role: page, JSON and CSV', async () => {
  const want = {
    admin: [200, 200], lead: [200, 403], coordinator: [200, 403], evaluator: [200, 200], steering: [200, 403],
    dpo: [403, 403], head: [403, 403], senco: [403, 403], practitioner: [403, 403],
  };
  for (const [u, [view, csv]] of Object.entries(want)) {
    const c = clients[u];
    assert.equal((await c.request(`/api/v1/referral-results?${RANGE}`)).status, view, `${u} JSON`);
    const page = await c.getHtml(`/referral-results?${RANGE}`);
    assert.equal(page.status, view, `${u} page`);
    assert.equal(page.html.includes('/referral-results.csv?table='), csv === 200 && view === 200, `${u} CSV links`);
    const res = await c.request(`/referral-results.csv?table=referral_results&${RANGE}`);
    assert.equal(res.status, csv, `${u} CSV`);
    await res.text();
  }
  const anon = new Client(srv.base);
  assert.equal((await anon.request('/api/v1/referral-results')).status, 401);
});

test('the CSV holds what the page shows', async () => {
  let res = await clients.evaluator.request(`/referral-results.csv?table=referral_results&${RANGE}&team_id=${team}`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /text\/csv/);
  let csv = await res.text();
  assert.match(csv, /^Group,Measure/);
  assert.match(csv, /Referrals,7/);
  assert.match(csv, /Pending,c/);
  res = await clients.admin.request(`/referral-results.csv?table=paediatrics_toolkit&${RANGE}&team_id=${team}`);
  csv = await res.text();
  assert.match(csv, /Without a toolkit on file beforehand,2,67,/);
  res = await clients.admin.request(`/referral-results.csv?table=nothing&${RANGE}`);
  assert.equal(res.status, 404);
  await res.text();
});

test('the page: summary, tables, filters; linked from the dashboard', async () => {
  const { status, html } = await clients.coordinator.getHtml(`/referral-results?${RANGE}&team_id=${team}`);
  assert.equal(status, 200);
  const text = decodeHtml(html);
  assert.match(text, /id="conversion">60%</);
  assert.match(text, /id="without-toolkit">2 \(67%\)</);
  assert.match(text, /id="professionals">5</);
  assert.match(text, /<td[^>]*>9\.0<\/td>\s*<td[^>]*>23\.6<\/td>/);
  assert.match(text, /Internal view: exact counts/);
  const bad = await clients.coordinator.getHtml('/referral-results?from=2026-13-01');
  assert.equal(bad.status, 400);
  assert.match(bad.html, /govuk-error-summary/);
  const dash = await clients.coordinator.getHtml('/dashboard');
  assert.match(dash.html, /href="\/referral-results\?/);
  const ev = await clients.evaluator.getHtml(`/referral-results?${RANGE}&team_id=${team}`);
  assert.match(decodeHtml(ev.html), /id="conversion">c</);
});
