// The audit trail, subject access and retention, against a real server:
// views, lists and changes are recorded with who and from where; the DPO
// filters; others are refused; the chain verifies and tampering is named;
// a subject access export holds the pupil's records and who saw them;
// retention reports, then anonymises and erases, and says so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { startServer, Client, tasBin, TODAY, addDays, nowSeconds, birthDateFor } from './harness.mjs';
import { dbSql, dbScript, dbClone, dropTriggerSql, ON_POSTGRES } from './harness.mjs';

let srv, coord, dpo, dpoHtml, head;
let pupilA, pupilB, team, caseA, consentA, upnA;
const FAR = `${Number(TODAY.slice(0, 4)) + 40}-01-01`;   // past any 25th birthday of a demo pupil

function sql(q) {
  return dbSql(srv.db, q);
}

/** The rows of a one-column query, in order. */
function lines(q) {
  return sql(q).split('\n').filter(Boolean);
}

function tas(args, input, env = process.env) {
  const r = spawnSync(tasBin(), args, { input: input ?? '', encoding: 'utf8', timeout: 60000, env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function apiClient(user, password = 'demo-password') {
  // Every sign-in counts against the address until it has been quiet a
  // while; this file signs in many times from one address.
  sql("DELETE FROM login_throttle WHERE key LIKE 'a:%'");
  const c = new Client(srv.base);
  const res = await c.postJson('/api/v1/sign-in', { username: user, password });
  assert.equal(res.status, 200);
  c.csrf = (await res.json()).csrf;
  return c;
}

function api(c, method, p, obj) {
  if (method === 'GET') return c.request(p, { method });
  return c.request(p, {
    method,
    headers: { 'content-type': 'application/json', 'x-csrf-token': c.csrf },
    body: JSON.stringify(obj ?? {}),
  });
}

async function entries(query) {
  const res = await api(dpo, 'GET', `/api/v1/audit?per_page=200&${query}`);
  assert.equal(res.status, 200);
  return (await res.json()).entries;
}

const maxId = () => Number(sql('SELECT coalesce(max(id), 0) FROM audit_log'));

before(async () => {
  srv = await startServer({ seed: 5, extraArgs: ['--quiet'] });
  const now = nowSeconds();
  team = Number(sql(`INSERT INTO teams (authority_id, host_school_id, name, cadence, created_at, updated_at)
    SELECT authority_id, id, name || ' TAS', 'three_weekly', ${now}, ${now} FROM schools WHERE id = 1 RETURNING id;`));
  sql(`INSERT INTO team_schools VALUES (${team}, 1);`);
  [pupilA, pupilB] = sql('SELECT id FROM pupils WHERE school_id = 1 ORDER BY id LIMIT 2').split('\n').map(Number);
  upnA = sql(`SELECT upn FROM pupils WHERE id = ${pupilA}`);
  coord = await apiClient('coordinator');
  dpo = await apiClient('dpo');
  dpoHtml = new Client(srv.base);
  assert.equal((await dpoHtml.signIn('dpo')).status, 303);
  head = new Client(srv.base);
  assert.equal((await head.signIn('head')).status, 303);
});

after(async () => { await srv?.stop(); });

test('a pupil view is recorded with the user, the address and the route', async () => {
  const before = maxId();
  assert.equal((await head.getHtml(`/pupils/${pupilA}`)).status, 200);
  assert.equal((await api(coord, 'GET', `/api/v1/pupils/${pupilA}`)).status, 200);
  const rows = sql(`SELECT username, remote_addr, action, resource_kind, resource_id, pupil_id, detail
    FROM audit_log WHERE id > ${before} ORDER BY id`).split('\n');
  assert.deepEqual(rows, [
    `head|127.0.0.1|view|pupil|${pupilA}|${pupilA}|/pupils/:id`,
    `coordinator|127.0.0.1|view|pupil|${pupilA}|${pupilA}|/pupils/:id`,
  ]);
});

test('sign-in and sign-out are recorded', async () => {
  sql("DELETE FROM login_throttle WHERE key LIKE 'a:%'");
  const before = maxId();
  const c = new Client(srv.base);
  assert.equal((await c.signIn('lead')).status, 303);
  const page = await c.getHtml('/');
  const res = await c.postForm('/sign-out', { csrf: c.csrfFrom(page.html) });
  assert.equal(res.status, 303);
  assert.equal(lines(`SELECT username || ':' || action FROM audit_log WHERE id > ${before} ORDER BY id`).join(' '),
    'lead:sign-in lead:sign-out');
});

test('a list of pupils is one entry, not one per row', async () => {
  const before = maxId();
  const res = await api(coord, 'GET', '/api/v1/pupils?per_page=50');
  assert.equal(res.status, 200);
  assert.ok((await res.json()).pupils.length > 1);
  assert.deepEqual(lines(`SELECT action || ' ' || resource_kind FROM audit_log WHERE id > ${before}`), ['list pupil']);
});

test('changes are recorded in the same transaction; failed validation records no change', async () => {
  let before = maxId();
  let res = await api(coord, 'POST', `/api/v1/pupils/${pupilA}/consents`, { given_by: '' });
  assert.equal(res.status, 422);
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE id > ${before}`), '0');
  res = await api(coord, 'POST', `/api/v1/pupils/${pupilA}/consents`,
    { given_by: 'Jo Example', relationship: 'mother', given_on: addDays(TODAY, -30), covers_discussion: 'yes' });
  assert.equal(res.status, 201, await res.clone().text());
  consentA = (await res.json()).consent.id;
  res = await api(coord, 'POST', `/api/v1/pupils/${pupilA}/cases`, { team_id: team, need_semh: 'Withdrawn', strengths: 'Art' });
  assert.equal(res.status, 201, await res.clone().text());
  caseA = (await res.json()).case.id;
  res = await api(coord, 'GET', `/api/v1/cases/${caseA}`);
  assert.equal(res.status, 200);
  const rows = sql(`SELECT username, action, resource_kind, resource_id, pupil_id, detail FROM audit_log
    WHERE id > ${before} ORDER BY id`).split('\n');
  assert.deepEqual(rows, [
    `coordinator|create|pupil|${pupilA}|${pupilA}|/pupils/:id/consents`,
    `coordinator|create|pupil|${pupilA}|${pupilA}|/pupils/:id/cases`,
    `coordinator|view|case|${caseA}|${pupilA}|/cases/:id`,
  ]);
  // Nothing changes without its entry: the consent row and its entry were committed together.
  assert.equal(sql(`SELECT count(*) FROM consents WHERE pupil_id = ${pupilA}`), '1');
});

test('a new record\'s entry names it, from the API and from a form', async () => {
  const upn = (body) => {
    const L = 'ABCDEFGHJKLMNPQRTUVWXYZ';
    let sum = 0;
    for (let i = 0; i < 12; i++) sum += Number(body[i]) * (i + 2);
    return L[sum % 23] + body;
  };
  const base = { forenames: 'Audit', surname: 'Testpupil', gender: 'F', ethnicity: 'WBRI', nc_year: '4',
    sen_provision: 'N', school_id: 1 };
  let before = maxId();
  const res = await api(coord, 'POST', '/api/v1/pupils', { ...base, upn: upn('999000000101'), date_of_birth: birthDateFor('4') });
  assert.equal(res.status, 201, await res.clone().text());
  const id = (await res.json()).pupil.id;
  assert.equal(sql(`SELECT action || ' ' || resource_kind || ' ' || resource_id || ' ' || pupil_id FROM audit_log WHERE id > ${before}`),
    `create pupil ${id} ${id}`);
  before = maxId();
  const form = await head.submitForm('/pupils/new', { ...base, upn: upn('999000000102'), 'dob-day': '4',
    'dob-month': '3', 'dob-year': birthDateFor('4').slice(0, 4) }, { action: '/pupils' });
  assert.equal(form.status, 303);
  const id2 = Number(/\/pupils\/(\d+)/.exec(form.headers.get('location'))[1]);
  assert.equal(sql(`SELECT action || ' ' || resource_id || ' ' || pupil_id FROM audit_log WHERE id > ${before} AND action = 'create'`),
    `create ${id2} ${id2}`);
});

test('refused access to an existing record is flagged; a missing id is not recorded', async () => {
  const senco = await apiClient('senco');   // school 2: cannot see school 1's pupils
  const before = maxId();
  assert.equal((await api(senco, 'GET', `/api/v1/pupils/${pupilA}`)).status, 404);
  assert.equal((await api(senco, 'GET', '/api/v1/pupils/99999999')).status, 404);
  assert.equal(sql(`SELECT username || ' ' || action || ' ' || pupil_id || ' ' || flags FROM audit_log WHERE id > ${before}`),
    `senco view ${pupilA} 2`);
  const flagged = await entries('flagged=yes&user=senco');
  assert.equal(flagged.length, 1);
  assert.equal(flagged[0].refused, true);
  assert.equal(flagged[0].break_glass, false);
});

test('the DPO filters by pupil (id or UPN), user and dates; looking is itself recorded', async () => {
  const byId = await entries(`pupil=${pupilA}`);
  const byUpn = await entries(`pupil=${encodeURIComponent(upnA.toLowerCase())}`);
  assert.ok(byId.length >= 5);
  assert.ok(byId.every((e) => e.pupil_id === pupilA));
  // The UPN filter finds the same entries about the pupil (searches of the
  // log itself differ: each search is recorded as it runs).
  const notAudit = (list) => list.filter((e) => e.resource_kind !== 'audit').map((e) => e.id);
  assert.deepEqual(notAudit(byUpn), notAudit(byId));
  assert.ok(byUpn.some((e) => e.username === 'head'));
  const byUser = await entries(`user=head&pupil=${pupilA}`);
  assert.ok(byUser.length >= 1 && byUser.every((e) => e.username === 'head'));
  assert.equal((await entries(`from=${addDays(TODAY, 1)}`)).length, 0);
  assert.ok((await entries(`from=${TODAY}&to=${TODAY}&pupil=${pupilA}`)).length >= 5);
  assert.equal((await entries(`to=${addDays(TODAY, -1)}`)).length, 0);
  const bad = await api(dpo, 'GET', '/api/v1/audit?from=yesterday');
  assert.equal(bad.status, 422);
  const self = sql("SELECT count(*) FROM audit_log WHERE username = 'dpo' AND action = 'list' AND resource_kind = 'audit'");
  assert.ok(Number(self) >= 6, self);
  const page = await dpoHtml.getHtml(`/audit?pupil=${pupilA}&flagged=yes`);
  assert.equal(page.status, 200);
  assert.match(page.html, /Audit log/);
});

test('only the DPO and administrators may read the log', async () => {
  for (const user of ['coordinator', 'head', 'practitioner', 'evaluator', 'lead']) {
    const c = await apiClient(user);
    const res = await api(c, 'GET', '/api/v1/audit');
    assert.equal(res.status, 403, user);
  }
  assert.equal((await head.getHtml('/audit')).status, 403);
  const admin = await apiClient('admin');
  assert.equal((await api(admin, 'GET', '/api/v1/audit')).status, 200);
});

test('subject access: every record about the pupil and who saw them, as JSON and a printable page', async () => {
  const before = maxId();
  const res = await api(dpo, 'GET', `/api/v1/pupils/${pupilA}/subject-access`);
  assert.equal(res.status, 200);
  const sar = await res.json();
  assert.equal(sar.pupil_id, pupilA);
  assert.equal(sar.records.pupil[0].upn, upnA);
  assert.equal(sar.records.consents.length, 1);
  assert.equal(sar.records.consents[0].given_by, 'Jo Example');
  assert.equal(sar.records.cases.length, 1);
  assert.equal(Number(sar.records.cases[0].id), caseA);
  assert.equal(sar.records.cases[0].strengths, 'Art');
  assert.ok(sar.records.case_needs.some((n) => n.description === 'Withdrawn'));
  // People by name and roles, what they did in words, dates as dates.
  const by = (u) => {
    const name = sql(`SELECT display_name FROM users WHERE username = '${u}'`);
    return sar.access_log.filter((e) => e.who === name);
  };
  assert.ok(by('head').some((e) => e.what === "Viewed the pupil's record" && !e.refused), JSON.stringify(by('head')));
  assert.ok(by('head').every((e) => e.roles.length > 0));
  // The senco was refused: said so, never shown as a view.
  assert.ok(by('senco').length >= 1);
  for (const e of by('senco')) {
    assert.equal(e.refused, true);
    assert.match(e.what, /^Tried to view the pupil's record: refused$/);
  }
  assert.ok(by('dpo').some((e) => e.what === "Exported the pupil's record"), 'the export itself is on the record');
  for (const e of sar.access_log) {
    assert.match(e.when, /^\d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2} UTC$/);
    assert.ok(!('remote_addr' in e) && !('hash' in e) && !('detail' in e), 'no staff addresses or engineering detail');
    assert.doesNotMatch(e.who, /^\d+$/);
  }
  // One entry: the export the use case recorded, and no generic "view" beside it.
  assert.deepEqual(lines(`SELECT action || ' ' || detail FROM audit_log WHERE id > ${before}`), ['export subject access']);
  // Not another pupil's data: exactly this pupil's entries.
  assert.equal(sar.access_log.length, Number(sql(`SELECT count(*) FROM audit_log WHERE pupil_id = ${pupilA} AND id <= ${before + 1}`)));
  const page = await dpoHtml.getHtml(`/pupils/${pupilA}/subject-access`);
  assert.equal(page.status, 200);
  assert.ok(page.html.includes(upnA));
  assert.match(page.html, /Who has seen or changed these records/);
  assert.match(page.html, /Tried to view the pupil&#39;s record: refused|Tried to view the pupil's record: refused/);
  assert.match(page.html, /govuk-tag--grey">Refused</);
  // Others may not export.
  assert.equal((await api(coord, 'GET', `/api/v1/pupils/${pupilA}/subject-access`)).status, 403);
  const senco = await apiClient('senco');
  assert.equal((await api(senco, 'GET', `/api/v1/pupils/${pupilA}/subject-access`)).status, 404);
});

test('appends racing from many connections lose nothing and keep the chain', async () => {
  const clients = [coord, dpo, await apiClient('head'), await apiClient('lead')];
  const before = maxId();
  const N = 60;
  const results = await Promise.all(Array.from({ length: N }, (_, i) =>
    api(clients[i % clients.length], 'GET', `/api/v1/pupils/${i % 2 ? pupilA : pupilB}`)
      .then(async (r) => { await r.arrayBuffer(); return r.status; })));
  assert.ok(results.every((s) => s === 200), results.join());
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE id > ${before} AND action = 'view'`), String(N));
  const ids = sql(`SELECT id FROM audit_log WHERE id > ${before} ORDER BY id`).split('\n').map(Number);
  assert.deepEqual(ids, Array.from({ length: ids.length }, (_, i) => before + 1 + i), 'no gaps');
  const r = tas(['audit', 'verify', '--db', srv.db]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, new RegExp(`intact: ${maxId()} entries verified`));
});

test('changes racing on one pupil are each on the trail once, chained, none left waiting for a seal', async () => {
  const clients = [coord, await apiClient('coordinator'), await apiClient('coordinator')];
  const before = maxId();
  const N = 24;
  const results = await Promise.all(Array.from({ length: N }, (_, i) =>
    api(clients[i % clients.length], 'POST', `/api/v1/pupils/${pupilB}/consents`,
      { given_by: `Parent ${i}`, relationship: 'mother', given_on: addDays(TODAY, -3), covers_discussion: 'yes' })
      .then(async (r) => { await r.arrayBuffer(); return r.status; })));
  assert.ok(results.every((st) => st === 201), results.join());
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE id > ${before} AND action = 'create'`
    + ` AND pupil_id = ${pupilB} AND detail = '/pupils/:id/consents'`), String(N));
  assert.equal(sql(`SELECT count(*) FROM consents WHERE pupil_id = ${pupilB} AND given_by LIKE 'Parent %'`), String(N));
  assert.equal(sql('SELECT count(*) FROM audit_pending'), '0');
  const r = tas(['audit', 'verify', '--db', srv.db]);
  assert.equal(r.code, 0, r.err);
  assert.doesNotMatch(r.out, /not yet sealed/);
});

/** A copy of the database, with its server key beside it (or without:
 * on PostgreSQL the key is TAS_SECRET_KEY, so then see KEYLESS). */
function dbCopy(name, { withKey = true } = {}) {
  const copy = dbClone(srv.db, srv.dir, name);
  if (withKey && !ON_POSTGRES) copyFileSync(`${srv.db}.key`, `${copy}.key`);
  return copy;
}

/** The environment of a tas that has no server key but a file would give. */
const KEYLESS = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'TAS_SECRET_KEY'));

/** Runs SQL on a copy, the audit log's guards dropped first. */
function tamper(copy, text, guards = ['audit_log_no_update', 'audit_log_no_delete']) {
  dbScript(copy, guards.map((g) => dropTriggerSql(copy, g, 'audit_log')).join('\n') + '\n' + text);
}

test('the log is append-only, and tampering is named by tas audit verify', () => {
  assert.throws(() => sql('UPDATE audit_log SET remote_addr = \'10.9.9.9\' WHERE id = 3;'), /append-only/);
  assert.throws(() => sql('DELETE FROM audit_log WHERE id = 3;'), /append-only/);
  const copy = dbCopy('tampered.db');
  tamper(copy, "UPDATE audit_log SET username = 'someone' WHERE id = 5;");
  let r = tas(['audit', 'verify', '--db', copy]);
  assert.equal(r.code, 1);
  assert.match(r.err, /broken at entry 5: its content does not match/);
  const copy2 = dbCopy('removed.db');
  tamper(copy2, 'DELETE FROM audit_log WHERE id = 7;');
  r = tas(['audit', 'verify', '--db', copy2]);
  assert.equal(r.code, 1);
  assert.match(r.err, /broken at entry 8: it does not follow/);
  assert.equal(tas(['audit', 'check', '--db', copy2]).code, 2);
  assert.equal(tas(['audit']).code, 2);
  for (const cmd of ['audit', 'retention']) {
    const h = tas([cmd, '--help']);
    assert.equal(h.code, 0, cmd);
    assert.match(h.out, new RegExp(`^Usage: tas ${cmd}`));
  }
});

test('an entry a crash left committed but not sealed is named by verify and sealed when tas serve starts', async () => {
  const copy = dbCopy('pending.db');
  const head = Number(dbSql(copy, 'SELECT max(id) FROM audit_log'));
  dbScript(copy, 'INSERT INTO audit_pending (at, user_id, username, action, resource_kind, resource_id, pupil_id)'
    + ` VALUES (${nowSeconds()}, 0, '', 'edit', 'pupil', ${pupilA}, ${pupilA});`);
  let r = tas(['audit', 'verify', '--db', copy]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, new RegExp(`intact: ${head} entries verified`));
  assert.match(r.out, /1 entries committed with their changes are not yet sealed/);
  const again = await startServer({ db: copy, extraArgs: ['--quiet'] });
  await again.stop();
  assert.equal(dbSql(copy, 'SELECT count(*) FROM audit_pending'), '0');
  assert.equal(dbSql(copy, `SELECT action || ' ' || resource_id FROM audit_log WHERE id = ${head + 1}`), `edit ${pupilA}`);
  r = tas(['audit', 'verify', '--db', copy]);
  assert.equal(r.code, 0, r.err);
  assert.doesNotMatch(r.out, /not yet sealed/);
});

test('someone holding the database file but not the key cannot forge the log', () => {
  // Without the key nothing can be checked, and no new key is made.
  const bare = dbCopy('bare.db', { withKey: false });
  let r = tas(['audit', 'verify', '--db', bare], '', KEYLESS);
  assert.equal(r.code, 1);
  assert.match(r.err, /no server key/);
  assert.throws(() => execFileSync('test', ['-e', `${bare}.key`]), 'no key file was made');

  // The whole chain recomputed with plain SHA-256 (what an unkeyed chain
  // allowed) after changing an entry: caught at the first entry.
  const rehashed = dbCopy('rehashed.db');
  const rows = dbSql(rehashed,
    'SELECT id, at, user_id, username, remote_addr, action, resource_kind, resource_id, pupil_id, school_id,' +
    ' authority_id, detail, flags FROM audit_log ORDER BY id', { separator: '\t' }).split('\n');
  const field = (n, v) => `${n}=${Buffer.byteLength(String(v))}:${v}\n`;
  let prev = '0'.repeat(64);
  const updates = [];
  for (const line of rows) {
    const [id, at, user, username, addr, action, kind, rid, pupil, school, authority, detail, flags] = line.split('\t');
    const who = id === '2' ? 'someone-else' : username;
    const canon = `tas-audit-1\n${field('id', id)}${field('at', at)}${field('user_id', user)}${field('username', who)}` +
      `${field('remote_addr', addr)}${field('action', action)}${field('resource_kind', kind)}${field('resource_id', rid)}` +
      `${field('pupil_id', pupil)}${field('school_id', school)}${field('authority_id', authority)}${field('detail', detail)}` +
      `${field('flags', flags)}${field('prev_hash', prev)}`;
    const hash = createHash('sha256').update(canon).digest('hex');
    updates.push(`UPDATE audit_log SET username = '${who.replace(/'/g, "''")}', prev_hash = '${prev}', hash = '${hash}' WHERE id = ${id};`);
    prev = hash;
  }
  tamper(rehashed, updates.join('\n'));
  r = tas(['audit', 'verify', '--db', rehashed]);
  assert.equal(r.code, 1);
  assert.match(r.err, /broken at entry 1: its content does not match its keyed hash/);

  // A pruning recorded by hand, and the history before it deleted.
  const pruned = dbCopy('pruned.db');
  tamper(pruned, "INSERT INTO audit_prune (at, up_to_id, anchor_hash, mac) SELECT 1, id, hash, '' FROM audit_log WHERE id = 6; " +
    'DELETE FROM audit_log WHERE id <= 6;');
  r = tas(['audit', 'verify', '--db', pruned]);
  assert.equal(r.code, 1);
  assert.match(r.err, /broken at entry 6: the record that entries up to it were removed does not carry tas's seal/);

  // The head kept elsewhere: the log cut short verifies alone, not against it.
  const anchor = tas(['audit', 'anchor', '--db', srv.db]);
  assert.equal(anchor.code, 0, anchor.err);
  const head = anchor.out.trim();
  assert.match(head, /^\d+:[0-9a-f]{64}$/);
  r = tas(['audit', 'verify', '--db', srv.db, '--anchor', head]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /the kept anchor matches/);
  const cut = dbCopy('cut.db');
  const last = Number(head.split(':')[0]);
  tamper(cut, `DELETE FROM audit_log WHERE id > ${last - 3};`);
  assert.equal(tas(['audit', 'verify', '--db', cut]).code, 0, 'a shorter chain holds on its own');
  r = tas(['audit', 'verify', '--db', cut, '--anchor', head]);
  assert.equal(r.code, 1);
  assert.match(r.err, new RegExp(`broken at entry ${last}: the anchor kept elsewhere does not match`));
  assert.equal(tas(['audit', 'verify', '--db', srv.db, '--anchor', 'nonsense']).code, 2);
});

test('retention settings: the DPO reads them; only a system administrator changes them', async () => {
  let res = await api(dpo, 'GET', '/api/v1/retention');
  assert.equal(res.status, 200);
  const got = await res.json();
  assert.equal(got.retention.case.months, 72);
  assert.equal(got.retention.case.until_age, 25);
  assert.equal(got.may_edit, false);
  const admin = await apiClient('admin');   // an authority's administrator
  assert.equal((await api(admin, 'PUT', '/api/v1/retention', {})).status, 403);
  const add = tas(['user', 'add', 'platform', '--db', srv.db, '--name', 'Platform Admin', '--role', 'admin',
    '--scope', 'system'], 'a-long-enough-password\n');
  assert.equal(add.code, 0, add.err);
  const root = await apiClient('platform', 'a-long-enough-password');
  const all = { 'case-months': 72, 'case-age': 25, 'consent-months': 72, 'consent-age': 25, 'pupil-months': 72,
    'pupil-age': 25, 'outcome-months': 72, 'outcome-age': 25, 'audit-months': 96, 'audit-age': 0, 'session-months': 3, 'session-age': 0 };
  res = await api(root, 'PUT', '/api/v1/retention', { ...all, 'case-months': 0 });
  assert.equal(res.status, 422);
  assert.match(JSON.stringify(await res.json()), /case-months/);
  res = await api(root, 'PUT', '/api/v1/retention', { ...all, 'session-months': 6 });
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal((await res.json()).retention.session.months, 6);
  assert.equal(sql("SELECT months FROM retention_settings WHERE record_type = 'session'"), '6');
  assert.equal(sql("SELECT count(*) FROM audit_log WHERE username = 'platform' AND resource_kind = 'retention'"), '1');
  const page = await dpoHtml.getHtml('/retention');
  assert.equal(page.status, 200);
  assert.match(page.html, /Only a system administrator can change these periods/);
});

test('retention: a dry run reports and changes nothing; the real run anonymises, erases and records it', async () => {
  // An outcome record the school sent: erased with the rest once due.
  let res = await api(coord, 'POST', `/api/v1/pupils/${pupilA}/outcomes`, {
    kind: 'attendance', starts_on: addDays(TODAY, -200), ends_on: addDays(TODAY, -120), sessions_possible: 120,
    sessions_missed: 12,
  });
  assert.equal(res.status, 201, await res.clone().text());
  res = await api(coord, 'POST', `/api/v1/cases/${caseA}/close`, { reason: 'needs_met' });
  assert.equal(res.status, 200, await res.clone().text());
  // Today nothing of this pupil is due: the case has only just closed.
  let r = tas(['retention', '--db', srv.db, '--dry-run', '--today', TODAY]);
  assert.equal(r.code, 0, r.err);
  assert.doesNotMatch(r.out, new RegExp(`case ${caseA} `));
  const snapshot = () => sql(`SELECT strengths FROM cases WHERE id = ${caseA}; SELECT count(*) FROM consents WHERE pupil_id = ${pupilA};
    SELECT upn FROM pupils WHERE id = ${pupilA}; SELECT count(*) FROM outcome_records WHERE pupil_id = ${pupilA};
    SELECT count(*) FROM audit_log;`);
  const beforeRun = snapshot();
  r = tas(['retention', '--db', srv.db, '--dry-run', '--today', FAR]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, new RegExp(`would anonymise case ${caseA} \\(due \\d{4}-\\d\\d-\\d\\d\\)`));
  assert.match(r.out, new RegExp(`would erase consent ${consentA} `));
  assert.match(r.out, new RegExp(`would anonymise pupil ${pupilA} `));
  assert.match(r.out, new RegExp(`would erase the outcome records of pupil ${pupilA} `));
  assert.match(r.out, /dry run: /);
  assert.ok(!r.out.includes(upnA), 'reports name no pupil');
  assert.equal(snapshot(), beforeRun, 'a dry run changes nothing');

  // A former UPN (a temporary one replaced) is as identifying as the UPN.
  sql(`UPDATE pupils SET former_upn = 'T${String(pupilA).padStart(11, '0')}A' WHERE id = ${pupilA}`);
  r = tas(['retention', '--db', srv.db, '--today', FAR]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /done: /);
  assert.equal(sql(`SELECT former_upn FROM pupils WHERE id = ${pupilA}`), '', 'the former UPN goes too');
  assert.equal(sql(`SELECT strengths || '|' || status FROM cases WHERE id = ${caseA}`), '|closed');
  assert.equal(sql(`SELECT count(*) FROM case_needs WHERE case_id = ${caseA} AND description <> ''`), '0');
  assert.equal(sql(`SELECT count(*) FROM consents WHERE pupil_id = ${pupilA}`), '0');
  assert.equal(sql(`SELECT count(*) FROM outcome_records WHERE pupil_id = ${pupilA}`), '0');
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE resource_kind = 'outcome' AND resource_id = ${pupilA} AND action = 'erase' AND pupil_id = ${pupilA}`), '1');
  assert.equal(sql(`SELECT forenames || ' ' || surname || ' ' || upn FROM pupils WHERE id = ${pupilA}`),
    `Anonymised Pupil ANON${pupilA}`);
  // What it did is on the trail (and the old entries, past their own period, were removed behind an anchor).
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE resource_kind = 'case' AND resource_id = ${caseA} AND action = 'anonymise' AND flags = 4`), '1');
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE resource_kind = 'pupil' AND resource_id = ${pupilA} AND action = 'anonymise'`), '1');
  assert.match(sql("SELECT detail FROM audit_log WHERE action = 'retention'"), /^retention run: cases \d+, consents \d+/);
  assert.equal(sql('SELECT count(*) FROM audit_prune'), '1');
  // Sessions idle beyond their period went too: everyone signs in again.
  assert.equal(sql('SELECT count(*) FROM sessions'), '0');
  assert.equal((await api(dpo, 'GET', '/api/v1/audit')).status, 401);
  dpo = await apiClient('dpo');
  // The authority's DPO sees what retention did to this pupil's records.
  const seen = await entries(`pupil=${pupilA}`);
  assert.ok(seen.some((e) => e.action === 'anonymise' && e.resource_kind === 'case' && e.system), JSON.stringify(seen));
  assert.ok(seen.some((e) => e.action === 'erase' && e.resource_kind === 'consent' && e.resource_id === consentA));
  // "Flagged" means needing the DPO's attention: retention's own entries are not.
  const flagged = await entries(`flagged=yes&pupil=${pupilA}`);
  assert.equal(flagged.filter((e) => e.system).length, 0, JSON.stringify(flagged));
  const v = tas(['audit', 'verify', '--db', srv.db]);
  assert.equal(v.code, 0, v.err);
  assert.match(v.out, /were removed by retention/);
  // Done once: a second run finds nothing more of this case.
  r = tas(['retention', '--db', srv.db, '--dry-run', '--today', FAR]);
  assert.doesNotMatch(r.out, new RegExp(`case ${caseA} `));
  assert.equal(tas(['retention', '--db', srv.db, '--today', 'soon']).code, 2);
});

test('a failed sign-in leaves no audit entry (what was typed is never stored)', async () => {
  sql("DELETE FROM login_throttle WHERE key LIKE 'a:%'");
  const before = maxId();
  const c = new Client(srv.base);
  assert.equal((await c.signIn('lead', 'not-the-password')).status, 401);
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE id > ${before}`), '0');
  assert.equal(sql("SELECT count(*) FROM audit_log WHERE username LIKE '%not-the-password%' OR detail LIKE '%not-the%'"), '0');
});
