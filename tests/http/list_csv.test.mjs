// Every list as a file (GET /<list>.csv): the whole list the API would give
// the same user, as RFC 4180 CSV in UTF-8 with formula-like cells made
// inert, only to those the policy lets export it, each download on the
// audit trail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, apiClient, apiCall, dbSql } from './harness.mjs';

let srv;
const as = {};

// The test's own SQL runs on SQLite and on PostgreSQL (harness.mjs, dbSql).
function sql(q) {
  return dbSql(srv.db, q);
}

/** RFC 4180: fields, quotes doubled inside quoted fields, CRLF rows. */
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false, i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (ch === '"') { quoted = false; i++; continue; }
      field += ch; i++; continue;
    }
    if (ch === '"') { quoted = true; i++; continue; }
    if (ch === ',') { row.push(field); field = ''; i++; continue; }
    if (ch === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i += 2; continue; }
    assert.notEqual(ch, '\n', 'a bare LF ends no row in RFC 4180');
    field += ch; i++;
  }
  assert.equal(field, '', 'the file ends with CRLF');
  return rows;
}

async function csvOf(c, p) {
  const res = await c.request(p, { method: 'GET' });
  const text = await res.text();
  return { status: res.status, res, text, rows: res.status === 200 ? parseCsv(text) : null };
}

async function json(c, p) {
  const res = await apiCall(c, 'GET', p);
  assert.equal(res.status, 200, p);
  return res.json();
}

before(async () => {
  srv = await startServer({ year: true });
  for (const u of ['admin', 'dpo', 'coordinator', 'evaluator', 'head'])
    as[u] = await apiClient(srv.base, u);
});

after(async () => { await srv?.stop({ expectExitZero: true }); });

test('the whole list, not a page: the same rows and fields as the JSON', async () => {
  const all = await json(as.dpo, '/api/v1/pupils?per_page=200');
  assert.ok(all.total > 25, `a list longer than a page (${all.total})`);
  const got = await csvOf(as.dpo, '/pupils.csv?per_page=5&page=3');
  assert.equal(got.status, 200, got.text);
  assert.match(got.res.headers.get('content-type'), /^text\/csv; charset=utf-8/);
  assert.equal(got.res.headers.get('content-disposition'), 'attachment; filename="tas-pupils.csv"');
  const [head, ...rows] = got.rows;
  assert.equal(rows.length, all.total, 'every pupil the DPO may list, whatever the paging asked');
  for (const col of ['id', 'upn', 'surname', 'school.name']) assert.ok(head.includes(col), `column ${col}: ${head}`);
  const byId = new Map(rows.map((r) => [r[head.indexOf('id')], r]));
  for (const p of all.pupils) {
    const r = byId.get(String(p.id));
    assert.ok(r, `pupil ${p.id} in the file`);
    assert.equal(r[head.indexOf('surname')], p.surname);
    assert.equal(r[head.indexOf('upn')], p.upn);
    assert.equal(r[head.indexOf('school.name')], p.school.name);
  }
});

test('names as typed (UTF-8) and cells that a spreadsheet would run made inert', async () => {
  const names = ['Zoë Ó\'Brien service', '=HYPERLINK("http://x","y")', '+44 help line', '@SUM(A1) team', 'Says "hello", twice'];
  for (const name of names) {
    const r = await apiCall(as.admin, 'POST', '/api/v1/services', { name, org_kind: 'other' });
    assert.ok([200, 201].includes(r.status), `${name}: ${r.status} ${await r.text()}`);
  }
  const got = await csvOf(as.admin, '/services.csv');
  assert.equal(got.status, 200, got.text);
  const [head, ...rows] = got.rows;
  const cells = rows.map((r) => r[head.indexOf('name')]);
  assert.ok(cells.includes('Zoë Ó\'Brien service'), cells.join(' | '));
  assert.ok(cells.includes('Says "hello", twice'));
  for (const bad of ['=HYPERLINK("http://x","y")', '+44 help line', '@SUM(A1) team']) {
    assert.ok(!cells.includes(bad), `${bad} left live`);
    assert.ok(cells.includes(`'${bad}`), `${bad} neutralised with a leading quote`);
  }
  assert.ok(!/^[=+@-]/m.test(got.text.split('\r\n').map((l) => l.replace(/^"/, '')).join('\n')), 'no line starts live');
});

test('only those who may export: listing is not exporting', async () => {
  // The coordinator lists pupils but may not take them away; meetings (no
  // child data) they may.
  assert.equal((await apiCall(as.coordinator, 'GET', '/api/v1/pupils')).status, 200);
  const refused = await csvOf(as.coordinator, '/pupils.csv');
  assert.equal(refused.status, 403);
  assert.match(refused.text, /cannot download this list/);
  assert.doesNotMatch(refused.text, /[A-HJ-NPR-Z][0-9]{11}[0-9A-Z]/, 'no UPN on the refusal');
  const meetings = await json(as.coordinator, '/api/v1/meetings?per_page=200');
  const m = await csvOf(as.coordinator, '/meetings.csv');
  assert.equal(m.status, 200, m.text);
  assert.equal(m.rows.length - 1, meetings.total);
  for (const [who, p] of [['evaluator', '/meetings.csv'], ['evaluator', '/pupils.csv'], ['head', '/pupils.csv'],
    ['head', '/cases.csv'], ['coordinator', '/users.csv']])
    assert.equal((await csvOf(as[who], p)).status, 403, `${who} ${p}`);
  // Not signed in: to the sign-in page, as for the list itself.
  const anon = await fetch(`${srv.base}/pupils.csv`, { redirect: 'manual' });
  assert.equal(anon.status, 303);
  // Only lists: no record, no made-up list, no API path with .csv.
  for (const p of ['/pupils/1.csv', '/nothing.csv', '/api/v1/pupils.csv', '/sign-in.csv'])
    assert.equal((await csvOf(as.dpo, p)).status, 404, p);
});

test('each download is on the audit trail as an export by its user; refusals export nothing', async () => {
  const before = Number(sql('SELECT coalesce(max(id), 0) FROM audit_log'));
  assert.equal((await csvOf(as.dpo, '/cases.csv')).status, 200);
  assert.equal((await csvOf(as.coordinator, '/cases.csv')).status, 403);
  const rows = sql(`SELECT username || ' ' || action || ' ' || resource_kind FROM audit_log WHERE id > ${before}
    ORDER BY id`).split('\n');
  assert.deepEqual(rows, ['dpo export case']);
});

test('the list pages offer the file to those who may take it, with the page\'s filters', async () => {
  const { Client } = await import('./harness.mjs');
  const page = async (u, p) => {
    const c = new Client(srv.base);
    await c.signIn(u);
    return (await c.getHtml(p)).html;
  };
  const link = /href="([^"]*\.csv[^"]*)" download>Download this list/;
  assert.equal(link.exec(await page('dpo', '/pupils?q=a&page=2'))?.[1], '/pupils.csv?q=a');
  assert.equal(link.exec(await page('coordinator', '/pupils')), null, 'not offered where refused');
  assert.equal(link.exec(await page('coordinator', '/meetings'))?.[1], '/meetings.csv');
  for (const p of ['/cases', '/teams', '/schools', '/authorities', '/users', '/services', '/practitioners', '/playbook'])
    assert.equal(link.exec(await page('admin', p))?.[1], `${p}.csv`, p);
  // What the link gives is the file.
  const got = await csvOf(as.admin, '/playbook.csv');
  assert.equal(got.status, 200, got.text);
  assert.ok(got.rows.length >= 1);
});
