// Schools from GIAS (issue 17, item 1): `tas import gias FILE` and
// /schools/import with GIAS-shaped files made by gias_fixture.mjs
// (synthetic names): a dry run writes nothing; bad rows are listed by line
// and reason and left out; names in UTF-8 and in Windows-1252 arrive
// intact; a re-import changes nothing; a closure marks the school closed;
// rows of another authority are left alone for a coordinator; the page
// answers who may not import with 403.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { startServer, Client, runTas, apiClient, apiCall, decodeHtml, tasBin, dbFailOnInsert } from './harness.mjs';
import { GIAS_HEADER, establishment, giasCsv, giasRow, field } from './gias_fixture.mjs';

let srv;
let la;            // the demo authority's LA number
let coord;         // coordinator (the demo authority)
let root;          // platform administrator
const OTHER_LA = '996';

async function file(name, text) {
  const f = path.join(srv.dir, name);
  await writeFile(f, text);
  return f;
}

async function schoolByUrn(urn) {
  const res = await apiCall(root, 'GET', `/api/v1/schools?q=${urn}`);
  assert.equal(res.status, 200);
  return (await res.json()).schools.find((s) => s.urn === urn);
}

/**
 * A file sent from the page is read on a thread of its own: the form
 * answers with the job's page (303), shown while it runs with a progress
 * bar and then with what it came to.  Follows it to the end, checking each
 * look at the running page (a bar that never goes back, a link to the same
 * page, the live status), and returns the last answer's status and HTML.
 */
async function throughJob(c, res) {
  assert.equal(res.status, 303, (await res.text()).slice(0, 300));
  const to = res.headers.get('location');
  assert.match(to, /^\/schools\/import\?job=\d+$/);
  let last = -1;
  for (let i = 0; i < 3000; i++) {
    const r = await c.request(to);
    const html = await r.text();
    if (!html.includes('data-tas-refresh')) return { status: r.status, html, to };
    assert.equal(r.status, 200);
    const pct = Number(html.match(/<progress id="import-read" max="100" value="(\d+)">\d+%<\/progress>/)[1]);
    assert.ok(pct >= last && pct <= 100, `${pct} after ${last}`);
    last = pct;
    assert.match(html, /<span id="import-rows">\d+ rows<\/span>/);
    assert.match(html, new RegExp(`role="status" id="import-band">About ${Math.floor(pct / 10) * 10}% of the file read`));
    assert.ok(html.includes(`href="${to.replace('?', '?')}"`), 'a link back to the same page, for browsers without JavaScript');
    assert.ok(!html.includes('name="step"'), 'no second import is offered while one runs');
    await new Promise((ok) => setTimeout(ok, 10));
  }
  assert.fail('the file was still being read after 3,000 looks');
}

/** The summary line's counts. */
function counts(stdout) {
  const m = stdout.match(/(\d+) rows: (\d+) added, (\d+) changed, (\d+) closed, (\d+) unchanged, (\d+) skipped .*?, (\d+) outside .*?, (\d+) rejected/);
  assert.ok(m, stdout);
  const [lines, added, changed, closed, unchanged, skipped, outside, rejected] = m.slice(1).map(Number);
  return { lines, added, changed, closed, unchanged, skipped, outside, rejected };
}

before(async () => {
  srv = await startServer();
  const made = spawnSync(tasBin(), ['user', 'add', 'gias.root', '--db', srv.db, '--name', 'Test root', '--role',
    'admin', '--scope', 'system'], { input: 'platform-key-7788\n', encoding: 'utf8', timeout: 60000 });
  assert.equal(made.status, 0, made.stderr);
  root = await apiClient(srv.base, 'gias.root', 'platform-key-7788');
  coord = await apiClient(srv.base, 'coordinator');
  const auths = await (await apiCall(root, 'GET', '/api/v1/authorities')).json();
  la = auths.authorities[0].la_code;
  const other = await apiCall(root, 'POST', '/api/v1/authorities', { la_code: OTHER_LA, name: 'Elsewhere Council' });
  assert.equal(other.status, 201);
});

after(async () => { await srv?.stop(); });

test('CLI: dry run, bad rows by line, UTF-8 names, re-import unchanged, closure', async () => {
  const rows = [
    establishment(1, la, { EstablishmentName: "St Mary's & St John's CE Primary School" }),
    establishment(2, la, { EstablishmentName: 'Ysgol Gymraeg Zoë' }),
    establishment(3, la, { URN: '12AB56' }),                                  // line 4: bad URN
    establishment(4, la, { OpenDate: '31-02-2001' }),                        // line 5: bad date
    establishment(5, la, { 'PhaseOfEducation (name)': '16 plus', 'TypeOfEstablishment (code)': '18' }), // skipped
    establishment(6, '999'),                                                  // an LA not in tas
    establishment(7, la, { 'EstablishmentStatus (name)': 'Closed', CloseDate: '31-08-2020' }), // closed, never recorded
    establishment(1, la),                                                     // line 9: URN repeated
  ];
  const f = await file('gias1.csv', giasCsv(rows));
  const dry = await runTas(['import', 'gias', f, '--db', srv.db, '--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.deepEqual(counts(dry.stdout), { lines: 8, added: 2, changed: 0, closed: 0, unchanged: 0, skipped: 2,
    outside: 1, rejected: 3 });
  assert.match(dry.stdout, /nothing was written/);
  assert.match(dry.stderr, /100% \(8 rows\)/);
  assert.equal(await schoolByUrn('700001'), undefined);

  const lines = dry.stdout.split('\n').filter((l) => l.startsWith('line '));
  assert.deepEqual(lines.map((l) => Number(l.match(/^line (\d+)/)[1])), [4, 5, 9]);
  assert.match(lines[0], /URN: "12AB56" is not a URN/);
  assert.match(lines[1], /^line 5: 700004: OpenDate: "31-02-2001" is not a date/);
  assert.match(lines[2], /repeated in the file/);

  const real = await runTas(['import', 'gias', f, '--db', srv.db]);
  assert.equal(real.code, 0, real.stderr);
  assert.equal(counts(real.stdout).added, 2);
  const s1 = await schoolByUrn('700001');
  assert.equal(s1.name, "St Mary's & St John's CE Primary School");
  assert.equal(s1.phase, 'secondary');
  assert.equal(s1.pupils_on_roll, 101);
  assert.equal((await schoolByUrn('700002')).name, 'Ysgol Gymraeg Zoë');
  assert.equal(await schoolByUrn('700007'), undefined);

  // The same file again: nothing to do.
  const again = await runTas(['import', 'gias', f, '--db', srv.db]);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(counts(again.stdout), { lines: 8, added: 0, changed: 0, closed: 0, unchanged: 2, skipped: 2,
    outside: 1, rejected: 3 });

  // The next day's file: one renamed, one closed.
  const next = await file('gias2.csv', giasCsv([
    establishment(1, la, { EstablishmentName: "St Mary's & St John's CE Primary Academy" }),
    establishment(2, la, { 'EstablishmentStatus (name)': 'Closed', CloseDate: '31-12-2025' }),
  ]));
  const r2 = await runTas(['import', 'gias', next, '--db', srv.db]);
  assert.equal(r2.code, 0, r2.stderr);
  assert.deepEqual(counts(r2.stdout), { lines: 2, added: 0, changed: 1, closed: 1, unchanged: 0, skipped: 0,
    outside: 0, rejected: 0 });
  assert.equal((await schoolByUrn('700001')).name, "St Mary's & St John's CE Primary Academy");
  assert.equal((await schoolByUrn('700002')).status, 'closed');
});

test('CLI: a failure part-way leaves nothing changed (one transaction)', async () => {
  // A trigger refuses the third school, as a full disk or a crash would.
  const undo = dbFailOnInsert(srv.db, 'schools', 'urn', '700073');
  try {
    const f = await file('fail.csv', giasCsv([
      establishment(71, la), establishment(1, la, { EstablishmentName: 'Renamed Before The Failure' }),
      establishment(73, la), establishment(74, la),
    ]));
    const before = await schoolByUrn('700001');
    const r = await runTas(['import', 'gias', f, '--db', srv.db]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /nothing was imported/);
    assert.equal(await schoolByUrn('700071'), undefined);
    assert.equal((await schoolByUrn('700001')).name, before.name);
  } finally {
    undo();
  }
});

test('CLI: a header without the required columns imports nothing', async () => {
  const header = GIAS_HEADER.filter((h) => h !== 'URN' && h !== 'PhaseOfEducation (name)');
  const f = await file('nourn.csv', giasCsv([establishment(20, la)], header));
  const r = await runTas(['import', 'gias', f, '--db', srv.db]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /missing columns: URN, PhaseOfEducation \(name\); nothing was imported/);
  const u = await runTas(['import', 'gias', '--db', srv.db]);
  assert.equal(u.code, 2);
});

test('CLI: a Windows-1252 file (as GIAS publishes it) is read as such', async () => {
  const text = giasCsv([establishment(30, la, { EstablishmentName: 'Ysgol Gymraeg Dewi Sant – Zoë’s' })]);
  const bytes = Buffer.from(text, 'latin1');
  // latin1 keeps é-like letters; the dash and the quote are Windows-1252's 0x96 and 0x92.
  const cp = Buffer.from(text.replace('–', '\x96').replace('’', '\x92'), 'latin1');
  assert.notEqual(bytes.length, 0);
  const f = await file('cp1252.csv', cp);
  const r = await runTas(['import', 'gias', f, '--db', srv.db]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await schoolByUrn('700030')).name, 'Ysgol Gymraeg Dewi Sant – Zoë’s');
});

test('page: check then import; another authority is left alone; a re-import changes nothing', async () => {
  const c = new Client(srv.base);
  await c.signIn('coordinator');
  const page = await c.getHtml('/schools/import');
  assert.equal(page.status, 200);
  assert.match(page.html, /Import schools from GIAS/);
  const text = giasCsv([
    establishment(40, la, { EstablishmentName: 'Ysgol Gymraeg & Friends' }),
    establishment(41, OTHER_LA),
    establishment(42, la, { URN: '' }),
  ]);
  const check = await c.submitForm('/schools/import', { csv: text, step: 'check' });
  assert.equal(check.status, 200);
  const html = await check.text();
  const count = (name) => Number(html.match(new RegExp(`data-count="${name}">(\\d+)<`))[1]);
  assert.equal(count('added'), 1);
  assert.equal(count('outside'), 1);
  assert.equal(count('rejected'), 1);
  assert.match(html, /<progress id="rows-done" max="3" value="3">/);
  assert.match(decodeHtml(html), /URN: missing/);
  assert.match(html, /Import these changes/);
  assert.equal(await schoolByUrn('700040'), undefined);

  const done = await c.submitForm('/schools/import', { csv: text, step: 'import' });
  assert.equal(done.status, 200);
  assert.match(await done.text(), /govuk-panel__body">1 added, 0 changed, 0 closed/);
  assert.equal((await schoolByUrn('700040')).name, 'Ysgol Gymraeg & Friends');
  assert.equal(await schoolByUrn('700041'), undefined);   // another authority: not the coordinator's

  // The API twin: a dry run by default; the same text again changes nothing.
  const api = await apiCall(coord, 'POST', '/api/v1/schools/import', { csv: text });
  assert.equal(api.status, 200);
  const js = await api.json();
  assert.equal(js.dry_run, true);
  assert.equal(js.unchanged, 1);
  assert.equal(js.added, 0);
  assert.deepEqual(js.problems, [{ line: 4, urn: '', reason: 'URN: missing' }]);

  // The platform administrator reaches the other authority.
  const byRoot = await apiCall(root, 'POST', '/api/v1/schools/import', { csv: text, dry_run: 'no' });
  assert.equal((await byRoot.json()).added, 1);
  assert.equal((await schoolByUrn('700041')).name, 'Synthetic School 41');
});

test('page: a file chosen, checked, then chosen again to import; only the file checked is imported', async () => {
  const c = new Client(srv.base);
  await c.signIn('coordinator');
  const page = await c.getHtml('/schools/import');
  assert.match(page.html, /enctype="multipart\/form-data"/);
  assert.match(page.html, /<input class="govuk-file-upload" id="f-file" name="file" type="file"/);
  const csrf = page.html.match(/name="csrf" value="([^"]+)"/)[1];
  const send = (fields, text) => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ csrf, ...fields })) form.append(k, String(v));
    if (text !== undefined) form.append('file', new Blob([text], { type: 'text/csv' }), 'edubasealldata.csv');
    return c.request('/schools/import', { method: 'POST', headers: { origin: c.base }, body: form });
  };
  const text = giasCsv([establishment(70, la, { EstablishmentName: 'Uploaded Primary – Zoë’s' }), establishment(71, la)]);
  // Nothing chosen: said, on the file.
  const none = await send({ step: 'check' });
  assert.equal(none.status, 400);
  assert.ok(decodeHtml(await none.text()).includes('Choose the GIAS file, or paste its text'));
  const check = await throughJob(c, await send({ step: 'check' }, text));
  const html = check.html;
  assert.equal(check.status, 200, html.slice(0, 300));
  assert.equal(Number(html.match(/data-count="added">(\d+)</)[1]), 2);
  const mark = html.match(/<input type="hidden" name="checked" value="([0-9a-f]{64})">/)?.[1];
  assert.ok(mark, 'the check marks the file it checked');
  assert.ok(decodeHtml(html).includes('Choose the same file again to import it'));
  assert.equal(await schoolByUrn('700070'), undefined, 'a check writes nothing');
  // Another file is not the one checked; without the mark, neither.
  const notIt = await send({ step: 'import', checked: mark }, giasCsv([establishment(72, la)]));
  assert.equal(notIt.status, 400);
  assert.ok(decodeHtml(await notIt.text()).includes('This is not the file that was checked'));
  assert.equal((await send({ step: 'import' }, text)).status, 400);
  assert.equal(await schoolByUrn('700072'), undefined);
  const done = await throughJob(c, await send({ step: 'import', checked: mark }, text));
  assert.equal(done.status, 200);
  assert.match(done.html, /govuk-panel__body">2 added, 0 changed, 0 closed/);
  // The job's page is its starter's alone; an id made up, or gone, is not found.
  const other = new Client(srv.base);
  await other.signIn('gias.root', 'platform-key-7788');
  assert.equal((await other.get(done.to)).status, 404);
  assert.equal((await c.get('/schools/import?job=0')).status, 404);
  assert.equal((await c.get('/schools/import?job=12x')).status, 404);
  const gone = await c.get('/schools/import?job=99999999999');
  assert.equal(gone.status, 404);
  assert.ok(decodeHtml(await gone.text()).includes('This import is not here any more'));
  assert.equal((await schoolByUrn('700070')).name, 'Uploaded Primary – Zoë’s');
  // The API takes the file as multipart too: the same file again changes nothing.
  const form = new FormData();
  form.append('dry_run', 'no');
  form.append('file', new Blob([text], { type: 'text/csv' }), 'edubasealldata.csv');
  const api = await coord.request('/api/v1/schools/import', { method: 'POST', headers: { 'x-csrf-token': coord.csrf }, body: form });
  const js = await api.json();
  assert.equal(api.status, 200, JSON.stringify(js));
  assert.equal(js.unchanged, 2);
  assert.equal(js.added + js.changed + js.closed, 0);
});

test('page: a large file is read in the background and comes to the counts the API gives for it', async () => {
  const c = new Client(srv.base);
  await c.signIn('coordinator');
  const page = await c.getHtml('/schools/import');
  const csrf = page.html.match(/name="csrf" value="([^"]+)"/)[1];
  const rows = [];
  for (let i = 0; i < 40000; i++) rows.push(establishment(100000 + i, i % 5 ? la : OTHER_LA));
  rows.push({ ...establishment(99999, la), URN: 'x1' });
  const text = giasCsv(rows);
  const form = new FormData();
  form.append('csrf', csrf);
  form.append('step', 'check');
  form.append('file', new Blob([text], { type: 'text/csv' }), 'edubasealldata.csv');
  const res = await c.request('/schools/import', { method: 'POST', headers: { origin: c.base }, body: form });
  const done = await throughJob(c, res);
  assert.equal(done.status, 200, done.html.slice(0, 300));
  const got = (k) => Number(done.html.match(new RegExp(`data-count="${k}">(\\d+)<`))[1]);
  assert.match(done.html, /<progress id="rows-done" max="40001" value="40001">/);
  const apiForm = new FormData();
  apiForm.append('file', new Blob([text], { type: 'text/csv' }), 'edubasealldata.csv');
  const api = await coord.request('/api/v1/schools/import', { method: 'POST', headers: { 'x-csrf-token': coord.csrf }, body: apiForm });
  const js = await api.json();
  assert.equal(api.status, 200);
  for (const k of ['added', 'changed', 'closed', 'unchanged', 'skipped', 'outside', 'rejected']) assert.equal(got(k), js[k], k);
  assert.equal(js.added, 32000);
  assert.equal(js.outside, 8000);
  assert.equal(js.rejected, 1);
  assert.match(done.html, /<td class="govuk-table__cell govuk-table__cell--numeric">40002<\/td>/, 'the rejected row by its line');
  assert.equal(await schoolByUrn('800001'), undefined, 'a check writes nothing');
});

test('page: empty text and a wrong header are field errors; others may not import', async () => {
  const empty = await apiCall(coord, 'POST', '/api/v1/schools/import', { csv: '' });
  assert.equal(empty.status, 422);
  const wrong = await apiCall(coord, 'POST', '/api/v1/schools/import', { csv: 'Name,Town\r\nA,B\r\n' });
  assert.equal(wrong.status, 422);
  assert.match(await wrong.text(), /URN, EstablishmentName, LA \(code\)/);
  for (const user of ['head', 'lead', 'practitioner', 'evaluator']) {
    const c = new Client(srv.base);
    await c.signIn(user);
    assert.equal((await c.get('/schools/import')).status, 403, user);
  }
  const row = giasRow(establishment(50, la));
  assert.ok(row.startsWith('700050,'));
  assert.equal(field('a,b'), '"a,b"');
});

test('EstablishmentNumber: stored by the import, kept when a file leaves it empty, shown and edited on the school', async () => {
  const f = await file('estab.csv', giasCsv([
    establishment(60, la, { EstablishmentNumber: '2460' }),
    establishment(61, la, { EstablishmentNumber: '24X1' }),   // line 3: refused
  ]));
  const r = await runTas(['import', 'gias', f, '--db', srv.db]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /line 3: 700061: EstablishmentNumber: "24X1" is not a 4-digit establishment number/);
  const s = await schoolByUrn('700060');
  assert.equal(s.establishment_number, '2460');
  // A later file: a new number is a change; an empty one keeps what is stored.
  const moved = await runTas(['import', 'gias', await file('estab2.csv', giasCsv([
    establishment(60, la, { EstablishmentNumber: '2461' })])), '--db', srv.db]);
  assert.equal(counts(moved.stdout).changed, 1);
  assert.equal((await schoolByUrn('700060')).establishment_number, '2461');
  const blank = await runTas(['import', 'gias', await file('estab3.csv', giasCsv([
    establishment(60, la, { EstablishmentNumber: '' })])), '--db', srv.db]);
  assert.equal(counts(blank.stdout).unchanged, 1);
  assert.equal((await schoolByUrn('700060')).establishment_number, '2461');

  // The school's page shows it; its form edits it, 4 numbers or nothing.
  const c = new Client(srv.base);
  await c.signIn('admin');
  const view = await c.getHtml(`/schools/${s.id}`);
  assert.match(decodeHtml(view.html), /Establishment number<\/dt><dd class="govuk-summary-list__value">2461</);
  const form = await c.getHtml(`/schools/${s.id}/edit`);
  assert.match(form.html, /name="establishment_number" type="text" value="2461"/);
  const cur = await (await apiCall(root, 'GET', `/api/v1/schools/${s.id}`)).json();
  const body = { urn: cur.school.urn, name: cur.school.name, phase: cur.school.phase,
    tas_member: cur.school.tas_member ? 'yes' : 'no', authority_id: cur.school.authority_id };
  const bad = await apiCall(root, 'PUT', `/api/v1/schools/${s.id}`, { ...body, establishment_number: '246' });
  assert.equal(bad.status, 422);
  assert.equal((await bad.json()).errors[0].field, 'establishment_number');
  const ok = await apiCall(root, 'PUT', `/api/v1/schools/${s.id}`, { ...body, establishment_number: '2462' });
  assert.equal(ok.status, 200);
  assert.equal((await ok.json()).school.establishment_number, '2462');
});

test('tas serve --max-upload: the import pages say the limit set, take a file within it and refuse one over it', async () => {
  const small = await startServer({ extraArgs: ['--max-upload', '2', '--quiet'] });
  try {
    const c = new Client(small.base);
    await c.signIn('coordinator');
    for (const p of ['/schools/import', '/pupils/ctf']) {
      const page = await c.getHtml(p);
      assert.equal(page.status, 200, p);
      assert.match(decodeHtml(page.html), /up to 2 MB/, p);
    }
    const page = await c.getHtml('/schools/import');
    const csrf = page.html.match(/name="csrf" value="([^"]+)"/)[1];
    const send = (bytes) => {
      const form = new FormData();
      form.append('csrf', csrf);
      form.append('step', 'check');
      const rows = [];
      const one = giasRow(establishment(300000, la));
      while (rows.length * (one.length + 2) < bytes) rows.push(establishment(300000 + rows.length, la));
      form.append('file', new Blob([giasCsv(rows)], { type: 'text/csv' }), 'edubasealldata.csv');
      return c.request('/schools/import', { method: 'POST', headers: { origin: c.base }, body: form });
    };
    const within = await send(1.5 * 1024 * 1024);
    assert.equal(within.status, 303, 'a file within the limit is taken');
    await within.arrayBuffer();
    let over;
    try {
      over = await send(2.5 * 1024 * 1024);
      assert.equal(over.status, 413);
    } catch (e) {
      // The server may answer 413 and close before the whole body is sent.
      assert.match(String(e.cause ?? e), /ECONNRESET|EPIPE|other side closed|fetch failed/);
    }
    const bad = spawnSync(tasBin(), ['serve', '--db', small.db, '--max-upload', '0'], { encoding: 'utf8', timeout: 10000 });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--max-upload needs a whole number of megabytes \(1 to 2048\), not '0'/);
  } finally {
    await small.stop();
  }
});
