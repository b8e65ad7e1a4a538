// The TAS dashboard against a small authority ("Testshire") whose every
// figure was worked out by hand (the comments say how).  Checks each table
// exactly as an administrator (exact counts), then disclosure control for
// publication (counts below the threshold are "c", and so are those that
// would reveal them), the threshold's edge, empty filters, a school with
// no meetings, CSV and XLSX downloads, the report page, the cost model
// settings, and who may see what.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, dbScript, dbSql } from './harness.mjs';
import { dashboardFixture } from './dashboard_fixture.mjs';

let srv;
const as = {};
const A = 900; // Testshire
const FROM = '2024-08-01';
const TO = '2025-07-31';
const RANGE = `from=${FROM}&to=${TO}&authority_id=${A}`;

function sql(statement) {
  return dbScript(srv.db, statement);
}

async function signIn(username) {
  const c = new Client(srv.base);
  const res = await c.signIn(username);
  assert.equal(res.status, 303, `sign in as ${username}`);
  const me = await c.get('/api/v1/me');
  c.csrf = (await me.json()).csrf;
  as[username] = c;
  return c;
}

async function api(c, method, path, body) {
  const res = await c.request(path, {
    method,
    headers: { 'content-type': 'application/json', origin: c.base, 'x-csrf-token': c.csrf },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, text, res };
}

async function dash(user, query = RANGE) {
  const r = await api(as[user], 'GET', `/api/v1/dashboard?${query}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

function table(d, key) {
  const t = d.tables.find((x) => x.key === key);
  assert.ok(t, `table ${key}`);
  return t;
}

/** "label" or "group::label" -> [Primary, Secondary, Total] as shown ("7 (70%)"). */
function shown(t, label) {
  const [group, lab] = label.includes('::') ? label.split('::') : [null, label];
  const r = t.rows.find((x) => x.label === lab && (group === null || x.group === group));
  assert.ok(r, `row ${label} in ${t.key}`);
  assert.deepEqual(t.columns, ['Primary', 'Secondary', 'Total'], `${t.key} columns`);
  return r.cells.map((c) => (c.pct_text ? `${c.text} (${c.pct_text})` : c.text));
}

function check(t, expected) {
  for (const [label, want] of Object.entries(expected)) {
    assert.deepEqual(shown(t, label), want, `${t.key}: ${label}`);
  }
}

before(async () => {
  // The rollup is brought up to date only when a dashboard asks, so the
  // tests below see each stale month (the refresher has its own test).
  srv = await startServer({ extraArgs: ['--rollup-every', '0'] });
  sql(dashboardFixture(A));
  for (const u of ['admin', 'steering', 'evaluator', 'head']) await signIn(u);
});

after(async () => {
  await srv?.stop({ expectExitZero: true });
});

test('meetings: schools, planned, held, online, cancelled', async () => {
  const d = await dash('admin');
  assert.equal(d.exact, true);
  assert.deepEqual(d.filter, { from: FROM, to: TO, phase: '', publish: false, authority_id: A, team_id: null, school_id: null });
  check(table(d, 'meetings'), {
    'Number of schools in TAS': ['3', '1', '4'],          // P1 P2 P3 | S1; N1 is not a TAS school
    'Meetings planned': ['6', '2', '8'],                  // M7 is outside the range
    'Meetings held': ['4 (67%)', '1 (50%)', '5 (63%)'],   // 4/6, 1/2, 5/8 = 62.5% -> 63%
    'Meetings held online': ['1 (25%)', '0 (0%)', '1 (20%)'],
    'Meetings cancelled': ['1 (17%)', '1 (50%)', '2 (25%)'],
  });
});

test('cases presented, new cases per meeting and reviews', async () => {
  const d = await dash('admin');
  check(table(d, 'cases'), {
    "Pupils' cases presented": ['7', '3', '10'],
    'New cases per meeting (average)': ['1.8', '3.0', '2.0'], // 7/4 = 1.75, 3/1, 10/5
    'Returning cases (documented reviews)::Not reviewed': ['2 (29%)', '3 (100%)', '5 (50%)'],
    'Returning cases (documented reviews)::1 review': ['3 (43%)', '0 (0%)', '3 (30%)'], // c1, c5, c6 (M7 outside)
    'Returning cases (documented reviews)::2 reviews': ['1 (14%)', '0 (0%)', '1 (10%)'],
    'Returning cases (documented reviews)::3 or more reviews': ['1 (14%)', '0 (0%)', '1 (10%)'],
    'Review discussions': ['8', '0', '8'],
  });
  check(table(d, 'procedures'), {
    'Case summary available before the meeting::Yes': ['5 (71%)', '2 (67%)', '7 (70%)'],
    'Case summary available before the meeting::No': ['1 (14%)', '0 (0%)', '1 (10%)'],
    'Case summary available before the meeting::Not recorded': ['1 (14%)', '1 (33%)', '2 (20%)'],
    'Early Concerns Toolkit complete::Yes': ['1 (14%)', '0 (0%)', '1 (10%)'],
    'Early Concerns Toolkit complete::No': ['5 (71%)', '3 (100%)', '8 (80%)'],
    'Early Concerns Toolkit complete::Not recorded': ['1 (14%)', '0 (0%)', '1 (10%)'],
    'After a TAS meeting::Actions recorded': ['6', '4', '10'],
    'After a TAS meeting::Actions per pupil (average)': ['0.9', '1.3', '1.0'],
  });
});

test('attendance by service as a share of meetings held', async () => {
  const d = await dash('admin');
  const t = table(d, 'attendance');
  check(t, {
    'Meetings held': ['4', '1', '5'],
    'Agreed TAS membership::School': ['2 (50%)', '1 (100%)', '3 (60%)'],
    'Agreed TAS membership::TAS Strategic Lead': ['1 (25%)', '1 (100%)', '2 (40%)'],
    'Agreed TAS membership::TAS Case Coordinator': ['1 (25%)', '1 (100%)', '2 (40%)'],
    'Agreed TAS membership::Educational Psychology': ['1 (25%)', '1 (100%)', '2 (40%)'],
    'Agreed TAS membership::Speech and Language Therapy': ['0 (0%)', '1 (100%)', '1 (20%)'],
    'Guest members::Social Worker (Adoption Team)': ['1 (25%)', '0 (0%)', '1 (20%)'],
  });
  assert.equal(t.rows.length, 7);
});

test('who is reached: gender, year group, ethnicity, SEN, prior contact', async () => {
  const d = await dash('admin');
  check(table(d, 'gender'), {
    Male: ['4 (57%)', '1 (33%)', '5 (50%)'],
    Female: ['2 (29%)', '2 (67%)', '4 (40%)'],
    'Non-binary or other': ['0 (0%)', '0 (0%)', '0 (0%)'],
    'Not recorded': ['1 (14%)', '0 (0%)', '1 (10%)'],
  });
  const y = table(d, 'year_group');
  assert.deepEqual(y.rows.map((r) => r.label), ['Reception', 'Year 2', 'Year 5', 'Year 6', 'Year 7', 'Year 9', 'Not recorded']);
  check(y, { 'Year 2': ['3 (43%)', '0 (0%)', '3 (30%)'], 'Year 7': ['0 (0%)', '2 (67%)', '2 (20%)'] });
  check(table(d, 'ethnicity'), {
    'Asian / Asian British': ['1 (14%)', '0 (0%)', '1 (10%)'],
    'Black / African / Caribbean / Black British': ['0 (0%)', '1 (33%)', '1 (10%)'],
    'Mixed / Multiple ethnic groups': ['1 (14%)', '0 (0%)', '1 (10%)'],
    White: ['4 (57%)', '1 (33%)', '5 (50%)'], // WENG rolls up to White British
    'Other ethnic group': ['0 (0%)', '1 (33%)', '1 (10%)'],
    'Not recorded': ['1 (14%)', '0 (0%)', '1 (10%)'], // NOBT
  });
  check(table(d, 'sen'), {
    'No special educational need': ['4 (57%)', '0 (0%)', '4 (40%)'],
    'SEN support': ['2 (29%)', '2 (67%)', '4 (40%)'],
    'EHC plan': ['1 (14%)', '1 (33%)', '2 (20%)'],
    'Not recorded': ['0 (0%)', '0 (0%)', '0 (0%)'],
  });
  const p = table(d, 'prior_contact');
  check(p, {
    'CDC / Community Paediatrics::Yes': ['2 (29%)', '1 (33%)', '3 (30%)'],
    'CDC / Community Paediatrics::No': ['5 (71%)', '1 (33%)', '6 (60%)'],
    'CDC / Community Paediatrics::Not recorded': ['0 (0%)', '1 (33%)', '1 (10%)'],
    "Children's social care (CIN, CP, LAC)::Yes": ['0 (0%)', '1 (33%)', '1 (10%)'],
    "Children's social care (CIN, CP, LAC)::No": ['0 (0%)', '1 (33%)', '1 (10%)'],
    "Children's social care (CIN, CP, LAC)::Not recorded": ['7 (100%)', '1 (33%)', '8 (80%)'],
    'In-school SEN support::Yes': ['3 (43%)', '2 (67%)', '5 (50%)'],
    'In-school SEN support::Not recorded': ['1 (14%)', '0 (0%)', '1 (10%)'],
    'Early Help::Not recorded': ['7 (100%)', '3 (100%)', '10 (100%)'],
  });
  check(table(d, 'sen_by_gender'), {
    'Male::Existing SEN support': ['2 (50%)', '1 (100%)', '3 (60%)'],
    'Male::No previous SEN support': ['2 (50%)', '0 (0%)', '2 (40%)'],
    'Female::Existing SEN support': ['1 (50%)', '1 (50%)', '2 (50%)'],
    'Not recorded::Not recorded': ['1 (100%)', '0', '1 (100%)'], // no secondary pupil without a gender: no base
  });
});

test('who is reached against the pupil population of the same schools', async () => {
  let d = await dash('admin');
  assert.equal(d.population_recorded, false);
  check(table(d, 'gender_population'), { 'All pupils on roll': ['0', '0', '0'], Male: ['0', '0', '0'] });
  const put = (id, dimension, counts, who = 'admin') =>
    api(as[who], 'PUT', `/api/v1/schools/${id}/population`, { dimension, counts });
  assert.equal((await put(9001, 'gender', { M: 100, F: 98, '': 2 })).status, 200);
  assert.equal((await put(9004, 'gender', { M: 500, F: 520 })).status, 200);
  assert.equal((await put(9005, 'gender', { M: 999 })).status, 200); // N1 is not a TAS school
  assert.equal((await put(9004, 'ethnicity', { WBRI: 700, WENG: 10, AIND: 300, NOBT: 10 })).status, 200);
  assert.equal((await put(9004, 'gender', { Q: 1 })).status, 422);
  assert.equal((await put(9004, 'height', { M: 1 })).status, 422);
  assert.equal((await put(9004, 'gender', { M: 1 }, 'steering')).status, 403);
  d = await dash('admin');
  assert.equal(d.population_recorded, true);
  check(table(d, 'gender_population'), {
    'All pupils on roll': ['200', '1,020', '1,220'],
    Male: ['100 (50%)', '500 (49%)', '600 (49%)'],
    Female: ['98 (49%)', '520 (51%)', '618 (51%)'],
    'Not recorded': ['2 (1%)', '0 (0%)', '2 (0%)'],
  });
  const got = await api(as.admin, 'GET', '/api/v1/schools/9004/population');
  assert.equal(got.status, 200);
  assert.deepEqual(got.json.counts.gender, { F: 520, M: 500 });
  assert.equal((await api(as.head, 'GET', '/api/v1/schools/9004/population')).status, 404);
  // The form: a person types the figures of one dimension; others are kept.
  const page = await as.admin.getHtml('/schools/9001/population');
  assert.equal(page.status, 200);
  assert.match(page.html, /name="gender-M"[^>]* value="100"/);
  const bad = await as.admin.submitForm('/schools/9001/population', { 'gender-M': 'many' });
  assert.equal(bad.status, 400);
  const ok = await as.admin.submitForm('/schools/9001/population', { 'gender-M': '100', 'gender-F': '98', 'gender-none': '2', 'sen_provision-K': '30' });
  assert.equal(ok.status, 303);
  const after = await api(as.admin, 'GET', '/api/v1/schools/9001/population');
  assert.deepEqual(after.json.counts, { gender: { '': 2, F: 98, M: 100 }, sen_provision: { K: 30 } });
  check(table(d, 'ethnicity_population'), {
    'All pupils on roll': ['0', '1,020', '1,020'],
    White: ['0', '710 (70%)', '710 (70%)'],
    'Asian / Asian British': ['0', '300 (29%)', '300 (29%)'],
    'Not recorded': ['0', '10 (1%)', '10 (1%)'],
  });
});

test('what is done: actions by setting, nature, owner, and signposting by resource', async () => {
  const d = await dash('admin');
  check(table(d, 'action_setting'), {
    'In school': ['3 (50%)', '2 (50%)', '5 (50%)'],
    'At home': ['2 (33%)', '1 (25%)', '3 (30%)'],
    'Health service': ['1 (17%)', '0 (0%)', '1 (10%)'],
    'Social care': ['0 (0%)', '1 (25%)', '1 (10%)'],
    Other: ['0 (0%)', '0 (0%)', '0 (0%)'],
  });
  check(table(d, 'action_nature'), {
    'Coordination or information sharing': ['1 (17%)', '1 (25%)', '2 (20%)'],
    'Signposting to parents or carers': ['2 (33%)', '1 (25%)', '3 (30%)'],
    'Signposting to the school': ['0 (0%)', '1 (25%)', '1 (10%)'],
    'Formal referral': ['1 (17%)', '0 (0%)', '1 (10%)'],
  });
  check(table(d, 'action_owner'), {
    School: ['3 (50%)', '2 (50%)', '5 (50%)'],
    'Educational Psychology': ['1 (17%)', '2 (50%)', '3 (30%)'],
    'Speech and Language Therapy': ['1 (17%)', '0 (0%)', '1 (10%)'], // through the owning practitioner
    'Not recorded': ['1 (17%)', '0 (0%)', '1 (10%)'],
  });
  check(table(d, 'action_owner_group'), {
    School: ['3 (50%)', '2 (50%)', '5 (50%)'],
    'Local authority': ['1 (17%)', '2 (50%)', '3 (30%)'],
    Health: ['1 (17%)', '0 (0%)', '1 (10%)'],
    'Not recorded': ['1 (17%)', '0 (0%)', '1 (10%)'],
  });
  check(table(d, 'signposting'), {
    'All signposting actions': ['2', '2', '4'],
    'Triple P': ['2 (100%)', '0 (0%)', '2 (50%)'],
    'Sleep guidance': ['0 (0%)', '1 (50%)', '1 (25%)'],
    'No resource recorded': ['0 (0%)', '1 (50%)', '1 (25%)'],
  });
});

test('costs from the cost model an administrator keeps', async () => {
  const rates = [
    { role_key: 'school', label: 'School staff', org_group: 'school', hourly: '50', prep: 60, meeting: 90, followup: 30, travel: 0 },
    { role_key: 'strategic_lead', label: 'Strategic Lead', org_group: 'la', hourly: '40', prep: 30, meeting: 90, followup: 30, travel: 30 },
    { role_key: 'case_coordinator', label: 'Case Coordinator', org_group: 'la', hourly: '30', prep: 0, meeting: 90, followup: 90, travel: 0 },
    { role_key: 'ep', label: 'Educational Psychologist', org_group: 'la', hourly: '60.00', prep: 30, meeting: 90, followup: 30, travel: 30 },
  ];
  for (const r of rates) {
    const res = await api(as.admin, 'PUT', `/api/v1/settings/costs?authority_id=${A}`, r);
    assert.equal(res.status, 200, res.text);
  }
  const bad = await api(as.admin, 'PUT', `/api/v1/settings/costs?authority_id=${A}`, { ...rates[0], hourly: 'lots' });
  assert.equal(bad.status, 422);
  const denied = await api(as.steering, 'PUT', `/api/v1/settings/costs?authority_id=${A}`, rates[0]);
  assert.equal(denied.status, 403);
  const d = await dash('admin');
  // Per person per meeting: school 3h x 50 = 150; SL 3h x 40 = 120; CC 3h x 30 = 90; EP 3h x 60 = 180.
  // Planned: primary 6 x (150+120+90+180) = 3,240; secondary 2 x (150+120+90+180) = 1,080 (SALT: no rate).
  // Actual: primary 2x150 + 120 + 90 + 180 = 690; secondary 150+120+90+180 = 540 (SALT: no rate).
  check(table(d, 'cost_summary'), {
    'Planned programme cost': ['£3,240', '£1,080', '£4,320'],
    'Actual cost of meetings held': ['£690', '£540', '£1,230'],
    'Average cost per meeting held': ['£173', '£540', '£246'], // 172.50 rounds up
  });
  check(table(d, 'cost_planned'), { School: ['£900', '£300', '£1,200'], 'Local authority': ['£2,340', '£780', '£3,120'], Health: ['£0', '£0', '£0'] });
  check(table(d, 'cost_actual'), { School: ['£300', '£150', '£450'], 'Local authority': ['£390', '£390', '£780'] });
  assert.match(d.missing_cost_rates, /Speech and Language Therapy/);
});

test('filters: phase, team, school; a school with no meetings; an empty range', async () => {
  let d = await dash('admin', `${RANGE}&phase=secondary`);
  check(table(d, 'meetings'), { 'Meetings planned': ['0', '2', '2'], 'Meetings held': ['0', '1 (50%)', '1 (50%)'] });
  check(table(d, 'cases'), { "Pupils' cases presented": ['0', '3', '3'] });

  d = await dash('admin', `${RANGE}&team_id=9201`);
  check(table(d, 'meetings'), { 'Number of schools in TAS': ['2', '0', '2'], 'Meetings planned': ['6', '0', '6'] });
  check(table(d, 'cases'), { "Pupils' cases presented": ['7', '0', '7'] });

  d = await dash('admin', `${RANGE}&school_id=9002`); // P2: meets through T1; one case (c7)
  check(table(d, 'meetings'), { 'Number of schools in TAS': ['1', '0', '1'], 'Meetings held': ['4 (67%)', '0', '4 (67%)'] });
  check(table(d, 'cases'), { "Pupils' cases presented": ['1', '0', '1'] });

  d = await dash('admin', `${RANGE}&school_id=9003`); // P3: in no team, no meetings
  check(table(d, 'meetings'), { 'Number of schools in TAS': ['1', '0', '1'], 'Meetings planned': ['0', '0', '0'], 'Meetings held': ['0', '0', '0'] });
  check(table(d, 'cases'), { "Pupils' cases presented": ['0', '0', '0'], 'New cases per meeting (average)': ['z', 'z', 'z'] });
  check(table(d, 'gender'), { Male: ['0', '0', '0'], 'Not recorded': ['0', '0', '0'] });
  assert.equal(table(d, 'attendance').rows.length, 1);

  d = await dash('admin', `from=2023-01-01&to=2023-12-31&authority_id=${A}`);
  check(table(d, 'meetings'), { 'Meetings planned': ['0', '0', '0'] });
  check(table(d, 'action_setting'), { 'In school': ['0', '0', '0'] });

  const bad = await api(as.admin, 'GET', `/api/v1/dashboard?from=2025-02-30&to=2024-01-01&phase=tertiary&team_id=x`);
  assert.equal(bad.status, 422);
  assert.deepEqual(bad.json.errors.map((e) => e.field).sort(), ['from', 'phase', 'team_id']);
  const order = await api(as.admin, 'GET', `/api/v1/dashboard?from=2025-02-01&to=2024-01-01`);
  assert.equal(order.status, 422);
  assert.equal(order.json.errors[0].field, 'to');
  const foreign = await api(as.steering, 'GET', `/api/v1/dashboard?school_id=1`);
  assert.equal(foreign.status, 200, 'the steering group reaches the demo authority too');
});

test('disclosure control: marked for publication, counts below 5 are c', async () => {
  const d = await dash('admin', `${RANGE}&publish=yes`);
  assert.equal(d.exact, false);
  assert.equal(d.threshold, 5);
  // Secondary 3 is below 5; Total 10 - Primary would reveal it, so Primary goes too.
  check(table(d, 'cases'), {
    "Pupils' cases presented": ['c', 'c', '10'],
    'New cases per meeting (average)': ['c', 'c', '2.0'],
  });
  // Total Male 5 is at the threshold (shown); Female 4 is below it.
  check(table(d, 'gender'), {
    Male: ['c', 'c', '5 (50%)'],
    Female: ['c', 'c', 'c'],
    'Non-binary or other': ['0', '0', '0 (0%)'],
    'Not recorded': ['c', '0', 'c'],
  });
  // Meetings are not about children: never suppressed.
  check(table(d, 'meetings'), { 'Meetings held': ['4 (67%)', '1 (50%)', '5 (63%)'] });
  // The total of a partition reveals a single hidden row: the next smallest goes too.
  check(table(d, 'action_setting'), {
    'In school': ['c', 'c', '5 (50%)'],
    'At home': ['c', 'c', 'c'],
    'Health service': ['c', '0', 'c'],
  });
});

test('the threshold is configurable, and its edge is exact', async () => {
  const set = await api(as.admin, 'PUT', `/api/v1/settings/disclosure?authority_id=${A}`, { threshold: '4' });
  assert.equal(set.status, 200, set.text);
  const d = await dash('steering', RANGE); // the steering group always sees published figures
  assert.equal(d.exact, false);
  assert.equal(d.threshold, 4);
  // Secondary actions (4) sit exactly at the threshold: shown now, "c" at 5.
  check(table(d, 'procedures'), { 'After a TAS meeting::Actions recorded': ['6', '4', '10'] });
  // Male primary 4 is not small any more, but Total 5 minus it would reveal
  // secondary's 1: it goes too.
  check(table(d, 'gender'), { Male: ['c', 'c', '5 (50%)'] });
  const bad = await api(as.admin, 'PUT', `/api/v1/settings/disclosure?authority_id=${A}`, { threshold: '1' });
  assert.equal(bad.status, 422);
  await api(as.admin, 'PUT', `/api/v1/settings/disclosure?authority_id=${A}`, { threshold: '5' });
});

test('CSV and XLSX downloads', async () => {
  const res = await as.evaluator.get(`/dashboard.csv?table=cases&${RANGE}`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/csv/);
  assert.match(res.headers.get('content-disposition'), /attachment; filename="tas-cases.csv"/);
  const lines = (await res.text()).trim().split('\r\n');
  assert.equal(lines[0], 'Group,Measure,Primary,Primary %,Secondary,Secondary %,Total,Total %');
  assert.equal(lines[1], ",Pupils' cases presented,c,,c,,10,");
  assert.ok(lines.includes('Returning cases (documented reviews),Not reviewed,c,,c,,5,50'), lines.join('\n'));

  const exact = await as.admin.get(`/dashboard.csv?table=cost_summary&${RANGE}`);
  const text = await exact.text();
  assert.ok(text.includes(',Planned programme cost,3240.00,,1080.00,,4320.00,'), text);

  const x = await as.admin.get(`/dashboard.xlsx?${RANGE}`);
  assert.equal(x.status, 200);
  assert.equal(x.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const buf = Buffer.from(await x.arrayBuffer());
  assert.equal(buf.subarray(0, 4).toString('binary'), 'PK\x03\x04');
  assert.ok(buf.includes(Buffer.from('xl/worksheets/sheet2.xml')));

  // A name a spreadsheet would run as a formula stays text, whatever its
  // first character (no exception for "-" before a digit).
  const owners = async () => (await (await as.admin.get(`/dashboard.csv?table=action_owner&${RANGE}`)).text())
    .trim().split('\r\n');
  const label = owners().then((l) => l[1].split(',')[1]);
  const name = await label;
  for (const payload of ['-1+1|cmd', '=HYPERLINK("x")', '+1', '@SUM(A1)']) {
    sql(`UPDATE services SET name = '${payload.replace(/'/g, "''")}' || ' ' || name WHERE name = '${name.replace(/'/g, "''")}';`);
    const line = (await owners()).find((l) => l.includes(name));
    assert.ok(line.startsWith(`,"'${payload.replace(/"/g, '""')} ${name}"`), line);
    sql(`UPDATE services SET name = '${name.replace(/'/g, "''")}' WHERE name LIKE '%' || '${name.replace(/'/g, "''")}';`);
  }

  const missing = await as.admin.get(`/dashboard.csv?table=nope&${RANGE}`);
  assert.equal(missing.status, 404);
  const steering = await as.steering.get(`/dashboard.csv?table=cases&${RANGE}`);
  assert.equal(steering.status, 403, 'the steering group reads figures but does not export them');
});

test('pages: dashboard and report render tables beside SVG charts', async () => {
  const page = await as.admin.getHtml(`/dashboard?${RANGE}`);
  assert.equal(page.status, 200);
  assert.match(page.html, /Internal view: exact counts/);
  assert.match(page.html, /<svg [^>]*role="img" aria-labelledby="chart-gender-title chart-gender-desc"/);
  assert.match(page.html, /<title id="chart-gender-title">TAS cases by gender<\/title>/);
  const rep = await as.admin.getHtml(`/dashboard/report?${RANGE}`);
  assert.equal(rep.status, 200);
  assert.match(rep.html, /Prepared for publication/);
  assert.doesNotMatch(rep.html, /Internal view/);
  assert.match(rep.html, /3\. Overview of TAS cases/);
});

test('access: steering and evaluators see aggregates, a head does not', async () => {
  assert.equal((await api(as.head, 'GET', `/api/v1/dashboard?${RANGE}`)).status, 403);
  assert.equal((await as.head.get(`/dashboard?${RANGE}`)).status, 403);
  const ev = await dash('evaluator');
  assert.equal(ev.exact, false, 'evaluators never see exact small counts');
  check(table(ev, 'cases'), { "Pupils' cases presented": ['c', 'c', '10'] });
});

// Whole months of whole authorities come from the rollup (migrations 0007,
// 0008), anything else from the records.  The same figures by both roads:
// RANGE is whole months; the same range starting a day earlier (a day with
// no meeting) is not, so it reads the records.  Months go stale one by one;
// a view of one authority rebuilds up to two stale months first and reads
// the records when more are stale; a view of several authorities (the
// administrator's two, unfiltered) rebuilds every stale month it covers.
const RECORDS_RANGE = `from=2024-07-31&to=${TO}&authority_id=${A}`;
const BOTH = `from=${FROM}&to=${TO}`;
const BOTH_RECORDS = `from=2024-07-31&to=${TO}`;
const staleMonths = () => Number(sql(`SELECT count(*) FROM dash_rollup_stale WHERE authority_id = ${A}
  AND (month BETWEEN '${FROM.slice(0, 7)}' AND '${TO.slice(0, 7)}' OR month = '0000-00');`).trim());

async function bothRoads(user, what) {
  const wide = (await dash('admin', BOTH)).tables;   // rebuilds what is stale
  assert.equal(staleMonths(), 0, `rebuilt ${what}`);
  assert.deepEqual(wide, (await dash('admin', BOTH_RECORDS)).tables, `both authorities agree ${what}`);
  const rollup = (await dash(user)).tables;
  const records = (await dash(user, RECORDS_RANGE)).tables;
  assert.deepEqual(rollup, records, `rollup and records agree ${what}`);
  return rollup;
}

function total(tables, key, label) {
  const r = tables.find((t) => t.key === key).rows.find((x) => x.label === label);
  return r.cells[2].n ?? Number(r.cells[2].text);
}

test('the rollup gives the records\' figures, and follows every kind of change', async () => {
  assert.ok(staleMonths() > 0, 'the fixture, loaded by SQL, left months to build');
  for (const u of ['admin', 'evaluator', 'steering']) await bothRoads(u, `as ${u}`);
  const caseId = sql(`SELECT d.case_id FROM discussions d JOIN meetings m ON m.id = d.meeting_id
    JOIN teams t ON t.id = m.team_id WHERE t.authority_id = ${A} AND d.kind = 'new' AND m.status = 'held'
    AND m.meeting_date BETWEEN '${FROM}' AND '${TO}' ORDER BY d.case_id LIMIT 1;`).trim();
  const before = await bothRoads('admin', 'before the changes');
  // Months a change names: a cancelled meeting, its own and those its
  // cases were presented in; a core member, every month its team met in.
  const monthsOf = (q) => Number(sql(`SELECT count(DISTINCT month) FROM (${q}) AS m WHERE month BETWEEN
    '${FROM.slice(0, 7)}' AND '${TO.slice(0, 7)}';`).trim());
  const MEETING_MONTHS = monthsOf(`SELECT substr(meeting_date, 1, 7) AS month FROM meetings WHERE id = 9302
    UNION SELECT month FROM dash_case_months WHERE case_id IN (SELECT case_id FROM discussions WHERE meeting_id = 9302)`);
  const POP_SCHOOL = sql(`SELECT sp.school_id FROM school_population sp JOIN schools s ON s.id = sp.school_id
    WHERE s.authority_id = ${A} AND s.tas_member = 1 AND sp.dimension = 'gender' AND sp.category = 'F'
    ORDER BY sp.school_id LIMIT 1;`).trim();
  assert.ok(POP_SCHOOL, 'a TAS school with census figures');
  const TEAM_MONTHS = monthsOf(`SELECT substr(meeting_date, 1, 7) AS month FROM meetings WHERE team_id = 9201`);
  assert.ok(TEAM_MONTHS > 2, 'a core member added makes more than two months stale');
  const changes = [
    // [what, change, undo, table, row, difference in its total]
    ['an action recorded', `INSERT INTO actions (id, case_id, description, setting, nature, created_at, updated_at)
       VALUES (99001, ${caseId}, 'Rollup test', 'home', 'advice', 0, 0);`,
     'DELETE FROM actions WHERE id = 99001;', 'procedures', 'Actions recorded', 1, 1],
    ['a pupil\'s gender corrected', `UPDATE pupils SET gender = 'X' WHERE id = (SELECT pupil_id FROM cases WHERE id = ${caseId});`,
     null, 'gender', 'Non-binary or other', 1, 1],
    ['a held meeting cancelled', `UPDATE meetings SET status = 'cancelled' WHERE id = 9302;`,
     `UPDATE meetings SET status = 'held' WHERE id = 9302;`, 'meetings', 'Meetings held', -1, MEETING_MONTHS],
    ['a case\'s prior contact recorded', `UPDATE cases SET prior_ehcp = 1 WHERE id = ${caseId} AND coalesce(prior_ehcp, 0) = 0;`,
     null, null, null, 0, 1],
    ['a school\'s census corrected', `UPDATE school_population SET pupils = pupils + 7 WHERE school_id = ${POP_SCHOOL}
       AND dimension = 'gender' AND category = 'F';`,
     `UPDATE school_population SET pupils = pupils - 7 WHERE school_id = ${POP_SCHOOL}
       AND dimension = 'gender' AND category = 'F';`, 'gender_population', 'Female', 7, 1],
    ['a core member added', `INSERT INTO team_members (id, team_id, service_id) VALUES (99002, 9201, 9105);`,
     'DELETE FROM team_members WHERE id = 99002;', null, null, 0, TEAM_MONTHS],
  ];
  const gender = sql(`SELECT gender FROM pupils WHERE id = (SELECT pupil_id FROM cases WHERE id = ${caseId});`).trim();
  const ehcp = sql(`SELECT CASE WHEN prior_ehcp IS NULL THEN 'NULL' ELSE CAST(prior_ehcp AS TEXT) END FROM cases WHERE id = ${caseId};`).trim();
  for (const [what, change, , key, label, diff, months] of changes) {
    sql(change);
    assert.equal(staleMonths(), months, `${what} marks ${months} month(s) stale`);
    const mine = (await dash('admin')).tables;
    assert.equal(staleMonths(), months > 2 ? months : 0,
      months > 2 ? 'with more than two stale months, one authority\'s view reads the records'
        : 'one authority\'s view rebuilds up to two stale months');
    const after = await bothRoads('admin', `after ${what}`);
    assert.deepEqual(mine, after, `${what}: the same figures before and after the rebuild`);
    if (key) assert.equal(total(after, key, label), total(before, key, label) + diff, what);
  }
  for (const [, , undo] of changes.slice().reverse()) if (undo) sql(undo);
  sql(`UPDATE pupils SET gender = '${gender}' WHERE id = (SELECT pupil_id FROM cases WHERE id = ${caseId});
       UPDATE cases SET prior_ehcp = ${ehcp} WHERE id = ${caseId};`);
  assert.deepEqual(await bothRoads('admin', 'after undoing them'), before);
});

test('the server brings stale months up to date between requests', async () => {
  const bg = await startServer({ year: true, extraArgs: ['--rollup-every', '1', '--quiet'] });
  try {
    const stale = () => dbSql(bg.db, 'SELECT count(*) FROM dash_rollup_stale');
    // The demo year's months are all stale when the server starts.
    const start = Date.now();
    while (stale() !== '0' && Date.now() - start < 20000) await new Promise((r) => setTimeout(r, 250));
    assert.equal(stale(), '0', 'every month built without a dashboard being asked for');
    const built = dbSql(bg.db, "SELECT count(*) FROM dash_rollup WHERE dim = 'meetings'");
    assert.ok(Number(built) > 0, 'meetings rows were written');
  } finally {
    await bg.stop({ expectExitZero: true });
  }
});
