// The pseudonymised extract for evaluators: keyed-hash pupil ids that are
// stable across extracts and change with the key, year and month of birth
// only, coded fields and counts only.  Two servers hold the same data (the
// same demo seed and the same cases made here): one keeps its key in the
// file next to its database, the other takes another key from
// TAS_SECRET_KEY.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, readFileSync } from 'node:fs';
import { startServer, Client, DEMO_PASSWORD, nowSeconds, dbScript, sqliteFileOnly } from './harness.mjs';
import { classSizes } from './extract_classes.mjs';

const OTHER_KEY = 'ab'.repeat(32);
let a; // key file
let b; // TAS_SECRET_KEY
const made = new Map(); // server -> {pupils: [...], texts: [...]}

function sql(server, text) {
  return dbScript(server.db, text).trim();
}

async function apiClient(server, username) {
  const c = new Client(server.base);
  const res = await c.postJson('/api/v1/sign-in', { username, password: DEMO_PASSWORD });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  c.csrf = body.csrf;
  c.me = body.user;
  return c;
}

async function api(c, method, p, obj) {
  const headers = { 'x-csrf-token': c.csrf };
  const res = obj === undefined ? await c.request(p, { method, headers })
    : await c.request(p, { method, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(obj) });
  const text = await res.text();
  let body = text;
  try { body = JSON.parse(text); } catch { /* CSV */ }
  return { status: res.status, body, text, type: res.headers.get('content-type') };
}

/** Two cases with free text everywhere it can be typed; identical on both servers. */
async function makeCases(server) {
  const coord = await apiClient(server, 'coordinator');
  const head = await apiClient(server, 'head');
  const school = head.me.roles[0].scope_id;
  const authority = coord.me.roles[0].scope_id;
  const list = await api(coord, 'GET', `/api/v1/pupils?school=${school}&per_page=2`);
  assert.equal(list.status, 200);
  const pupils = list.body.pupils.slice(0, 2);
  assert.equal(pupils.length, 2);
  const now = nowSeconds();
  const team = Number(sql(server, `INSERT INTO teams (authority_id, host_school_id, name, cadence, created_at, updated_at)
    VALUES (${authority}, ${school}, 'Extract test TAS', 'fortnightly', ${now}, ${now}) RETURNING id;`));
  sql(server, `INSERT INTO team_schools (team_id, school_id) VALUES (${team}, ${school});`);
  const texts = [];
  const cases = [];
  for (const [i, p] of pupils.entries()) {
    const full = (await api(coord, 'GET', `/api/v1/pupils/${p.id}`)).body.pupil;
    p.full = full;
    const consent = await api(coord, 'POST', `/api/v1/pupils/${p.id}/consents`, {
      given_by: `Consenting Parent${i}`, relationship: 'mother', given_on: '2025-09-10', covers_discussion: 'yes',
    });
    assert.equal(consent.status, 201, JSON.stringify(consent.body));
    const t = { need: `FREETEXT-need-${i} worries at lunch`, strengths: `FREETEXT-strengths-${i} loves art`,
      voice: `FREETEXT-voice-${i} wants a quiet space`, action: `FREETEXT-action-${i} call the nurse`,
      outcome: `FREETEXT-outcome-${i}`, minutes: `FREETEXT-minutes-${i}`, notes: `FREETEXT-notes-${i}` };
    texts.push(...Object.values(t), `Consenting Parent${i}`);
    const kase = await api(coord, 'POST', `/api/v1/pupils/${p.id}/cases`, {
      team_id: team, need_semh: t.need, need_family: t.need, strengths: t.strengths, child_voice: t.voice,
      prior_early_help: 'yes', prior_cin: 'no',
    });
    assert.equal(kase.status, 201, JSON.stringify(kase.body));
    const id = kase.body.case.id;
    cases.push(id);
    sql(server, `UPDATE cases SET opened_on = '2025-09-15' WHERE id = ${id};`);
    const meeting = Number(sql(server, `INSERT INTO meetings (team_id, meeting_date, start_time, status, notes, created_at, updated_at)
      VALUES (${team}, '2025-09-2${i + 4}', '13:30', 'held', '${t.notes}', ${now}, ${now}) RETURNING id;`));
    sql(server, `INSERT INTO discussions (meeting_id, case_id, kind, minutes, created_at, updated_at)
      VALUES (${meeting}, ${id}, 'new', '${t.minutes}', ${now}, ${now});`);
    const act = await api(coord, 'POST', `/api/v1/cases/${id}/actions`, {
      description: t.action, owner_name: 'School nurse', setting: 'health', nature: 'advice',
    });
    assert.equal(act.status, 201, JSON.stringify(act.body));
    const svc = sql(server, `SELECT id FROM services WHERE authority_id = ${authority} LIMIT 1;`);
    sql(server, `INSERT INTO referrals (case_id, service_id, referred_on, outcome, notes, created_at, updated_at)
      VALUES (${id}, ${svc}, '2025-10-01', 'accepted', '${t.outcome}', ${now}, ${now});`);
  }
  // The second case closed, with a coded reason.
  sql(server, `UPDATE cases SET status = 'closed', closed_on = '2025-12-01', closure_reason = 'needs_met' WHERE id = ${cases[1]};`);
  made.set(server, { pupils, texts, cases });
}

before(async () => {
  [a, b] = await Promise.all([
    startServer({ seed: 7, extraArgs: ['--quiet'] }),
    startServer({ seed: 7, extraArgs: ['--quiet'], env: { TAS_SECRET_KEY: OTHER_KEY } }),
  ]);
  await makeCases(a);
  await makeCases(b);
});

after(async () => {
  await Promise.all([a?.stop({ expectExitZero: true }), b?.stop({ expectExitZero: true })]);
});

test('the server key is created next to the database, readable by its owner only',
  { skip: sqliteFileOnly('the key file beside it') }, () => {
  const st = statSync(`${a.db}.key`);
  assert.equal(st.mode & 0o777, 0o600);
  assert.match(readFileSync(`${a.db}.key`, 'utf8'), /^[0-9a-f]{64}\n$/);
  assert.throws(() => statSync(`${b.db}.key`), 'with TAS_SECRET_KEY no file is made');
});

const KEY_STAGE = { N1: 'early_years', N2: 'early_years', R: 'early_years', 1: 'ks1', 2: 'ks1', 3: 'ks2', 4: 'ks2',
  5: 'ks2', 6: 'ks2', 7: 'ks3', 8: 'ks3', 9: 'ks3', 10: 'ks4', 11: 'ks4', 12: 'ks5', 13: 'ks5', 14: 'ks5' };

/** What a pupil's facts become at the rungs the extract says it used
 *  (written apart from the server's ladders in svc_extract.c). */
function generalised(p, g) {
  const y = Number(p.date_of_birth.slice(0, 4));
  const band = y - (y % 3);
  return {
    birth_year_month: { year_month: p.date_of_birth.slice(0, 7), year: String(y), three_years: `${band}-${band + 2}`,
      withheld: null }[g.birth],
    gender: g.gender === 'code' ? p.gender : '',
    nc_year: { year_group: p.nc_year, key_stage: KEY_STAGE[p.nc_year], withheld: '' }[g.nc_year],
    sen_provision: { code: p.sen_provision, any_sen: p.sen_provision === 'N' ? 'no' : 'yes', withheld: '' }[g.sen_provision],
  };
}


test('with fewer cases than k (10 unless the DPO says otherwise) there is no extract to give', async () => {
  const ev = await apiClient(a, 'evaluator');
  const json = await api(ev, 'GET', '/api/v1/extract/pseudonymised');
  assert.equal(json.status, 200);
  assert.equal(json.body.count, 0);
  assert.deepEqual([json.body.protection.k_requested, json.body.protection.k_achieved], [10, 0]);
  const csv = await api(ev, 'GET', '/api/v1/extract/pseudonymised.csv');
  assert.equal(csv.text.trim().split('\r\n').length, 1, 'the header only');
});

test('the DPO sets k; others may not; bad values are refused', async () => {
  const authority = (await apiClient(a, 'coordinator')).me.roles[0].scope_id;
  for (const u of ['evaluator', 'coordinator', 'steering']) {
    const c = await apiClient(a, u);
    assert.equal((await api(c, 'PUT', '/api/v1/settings/extract', { authority_id: authority, k: 2 })).status, 403, u);
  }
  const dpo = await apiClient(a, 'dpo');
  for (const bad of [1, 101, 'ten', '']) {
    const r = await api(dpo, 'PUT', '/api/v1/settings/extract', { authority_id: authority, k: bad });
    assert.equal(r.status, 422, String(bad));
    assert.equal(r.body.errors[0].field, 'k');
  }
  for (const server of [a, b]) {
    const d = await apiClient(server, 'dpo');
    assert.equal((await api(d, 'PUT', '/api/v1/settings/extract', { authority_id: authority, k: 2 })).status, 200);
  }
  // The change is on the audit trail.
  assert.ok(Number(sql(a, "SELECT count(*) FROM audit_log WHERE resource_kind = 'settings' AND detail = 'extract k'")) >= 1);
});

test('rows hold codes, counts, and generalised facts; never names, UPNs, dates of birth or free text', async () => {
  const ev = await apiClient(a, 'evaluator');
  const { pupils, texts } = made.get(a);
  const json = await api(ev, 'GET', '/api/v1/extract/pseudonymised');
  const csv = await api(ev, 'GET', '/api/v1/extract/pseudonymised.csv');
  assert.equal(json.status, 200);
  assert.equal(csv.status, 200);
  assert.match(csv.type, /^text\/csv/);
  assert.equal(json.body.count, 2);
  const rows = json.body.rows;
  const prot = json.body.protection;
  assert.equal(prot.k_requested, 2);
  assert.ok(prot.k_achieved >= 2);
  for (const size of classSizes(rows).values()) assert.ok(size >= 2, 'the two cases cannot be told apart');
  for (const [i, p] of pupils.entries()) {
    const row = rows[i];
    assert.match(row.pupil_pid, /^[0-9a-f]{64}$/);
    const want = generalised(p.full, prot.generalised);
    for (const k of Object.keys(want)) assert.equal(row[k], want[k], `${k} at ${JSON.stringify(prot.generalised)}`);
    assert.deepEqual(row.needs.sort(), ['family', 'semh']);
    assert.equal(row.prior_contact.prior_early_help, 'yes');
    assert.equal(row.prior_contact.prior_cin, 'no');
    assert.equal(row.prior_contact.prior_lac, null);
    assert.deepEqual(row.discussions, { new: 1, review: 0 });
    assert.equal(row.actions.by_nature.advice, 1);
    assert.equal(row.actions.by_setting.health, 1);
    assert.equal(row.actions.by_status.open, 1);
    assert.equal(row.referrals.accepted, 1);
    assert.equal(row.case.opened_on, { month: '2025-09', school_year: '2025/26', withheld: '' }[prot.generalised.case_dates]);
    for (const out of [json.text, csv.text]) {
      for (const s of [p.full.forenames, p.full.surname, p.full.upn, p.full.date_of_birth]) {
        assert.ok(!out.includes(s), `"${s}" must not appear`);
      }
      assert.ok(!out.toLowerCase().includes(p.full.upn.toLowerCase()));
    }
  }
  assert.equal(rows[0].case.status, 'open');
  assert.deepEqual([rows[1].case.status, rows[1].case.closed_on, rows[1].case.closure_reason],
    ['closed', { month: '2025-12', school_year: '2025/26', withheld: null }[prot.generalised.case_dates], 'needs_met']);
  for (const out of [json.text, csv.text]) {
    for (const t of texts) assert.ok(!out.includes(t), `free text "${t}" must not appear`);
    assert.ok(!/FREETEXT|Extract test TAS|School nurse/.test(out));
    assert.ok(!/"(forenames|surname|upn|date_of_birth|name|description|minutes|notes)"/.test(out));
  }
  // The CSV has the same rows, one line each, and a fixed header.
  const lines = csv.text.trim().split('\r\n');
  assert.equal(lines.length, 3);
  const head = lines[0].split(',');
  assert.equal(head[1], 'pupil_pid');
  assert.ok(!head.some((h) => /name|upn|date_of_birth|description|text/.test(h)));
  const first = lines[1].split(',');
  assert.equal(first.length, head.length);
  assert.equal(first[head.indexOf('pupil_pid')], rows[0].pupil_pid);
  assert.equal(first[head.indexOf('birth_year_month')], rows[0].birth_year_month ?? '');
  assert.deepEqual([first[head.indexOf('k_requested')], first[head.indexOf('k_achieved')]], ['2', String(prot.k_achieved)]);
  assert.equal(first[head.indexOf('actions_nature_advice')], '1');
  assert.equal(first[head.indexOf('need_semh')], '1');
});

test('the pupil id is stable across extracts and differs under another key', async () => {
  const ev = await apiClient(a, 'evaluator');
  const one = (await api(ev, 'GET', '/api/v1/extract/pseudonymised')).body;
  const two = (await api(await apiClient(a, 'admin'), 'GET', '/api/v1/extract/pseudonymised')).body;
  assert.deepEqual(two.rows.map((r) => r.pupil_pid), one.rows.map((r) => r.pupil_pid));
  assert.equal(two.key_id, one.key_id);
  const other = (await api(await apiClient(b, 'evaluator'), 'GET', '/api/v1/extract/pseudonymised')).body;
  // The same pupils (same seed, same cases) with the same coded facts...
  assert.deepEqual(other.rows.map((r) => [r.birth_year_month, r.gender, r.ethnicity]),
    one.rows.map((r) => [r.birth_year_month, r.gender, r.ethnicity]));
  assert.deepEqual(made.get(b).pupils.map((p) => p.full.upn), made.get(a).pupils.map((p) => p.full.upn));
  // ...but other ids, and another key id.
  assert.notEqual(other.key_id, one.key_id);
  for (const r of other.rows) {
    assert.ok(!one.rows.some((x) => x.pupil_pid === r.pupil_pid || x.case_ref === r.case_ref));
  }
});

test('evaluators and administrators only', async () => {
  for (const u of ['coordinator', 'head', 'practitioner', 'lead', 'steering', 'dpo']) {
    const c = await apiClient(a, u);
    assert.equal((await api(c, 'GET', '/api/v1/extract/pseudonymised')).status, 403, u);
    assert.equal((await api(c, 'GET', '/api/v1/extract/pseudonymised.csv')).status, 403, u);
    assert.equal((await c.get('/extract')).status, 403, u);
  }
  const ev = new Client(a.base);
  await (await ev.signIn('evaluator')).arrayBuffer();
  const page = await ev.getHtml('/extract');
  assert.equal(page.status, 200);
  assert.match(page.html, /2 cases/);
  assert.match(page.html, /href="\/extract"/, 'in the navigation');
  assert.equal((await new Client(a.base).get('/api/v1/extract/pseudonymised')).status, 401);
});

test('a year of TAS work: every combination an outsider could know holds 10 cases or more', async () => {
  const y = await startServer({ seed: 3, year: true, extraArgs: ['--quiet'] });
  try {
    const ev = await apiClient(y, 'evaluator');
    const res = await api(ev, 'GET', '/api/v1/extract/pseudonymised');
    assert.equal(res.status, 200);
    const { rows, protection } = res.body;
    assert.ok(rows.length > 200, `a year's cases (${rows.length})`);
    assert.equal(protection.k_requested, 10);
    const sizes = [...classSizes(rows).values()];
    assert.equal(Math.min(...sizes), protection.k_achieved);
    assert.ok(protection.k_achieved >= 10);
    // The flags about social care and mental health are never shared by
    // just one or two cases of a group, nor by all of it.
    const groups = new Map();
    for (const r of rows) {
      const key = JSON.stringify([r.birth_year_month, r.gender, r.ethnicity, r.nc_year, r.sen_provision, r.school.urn,
        r.school.phase, r.case.opened_on, r.case.closed_on]);
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(r);
    }
    for (const flag of ['prior_cin', 'prior_cp', 'prior_lac', 'prior_mhst_camhs']) {
      for (const g of groups.values()) {
        const yes = g.filter((r) => r.prior_contact[flag] === 'yes').length;
        assert.ok(yes === 0 || (yes >= 3 && yes < g.length), `${flag}: ${yes} of ${g.length}`);
      }
    }
    // Downloads are on the audit trail.
    assert.ok(Number(sql(y, "SELECT count(*) FROM audit_log WHERE action = 'export' AND resource_kind = 'extract'")) >= 1);
  } finally {
    await y.stop();
  }
});
