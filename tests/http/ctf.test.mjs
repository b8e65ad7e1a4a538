// Pupils from a Common Transfer File (issue 17 item 2): the CTF XML a
// school MIS exports, uploaded on /pupils/ctf (multipart/form-data, up to
// 16 MiB) or sent to /api/v1/pupils/ctf (the same upload, or JSON), and
// `tas import ctf`.  A check first with its report, then the import of that
// same file; pupils matched by UPN at the source school, added or changed;
// attendance, exclusions and FSM into the outcome records; importing again
// changes nothing; a bad UPN refused with its place in the file; malformed
// XML, an entity bomb or an external entity import nothing; another
// school's file is refused.  The files are made here, with synthetic
// pupils only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  startServer, Client, csrfFrom, decodeHtml, TODAY, addDays, academicYearOf, upnFor, runTas,
  rawRequest as rawBytes,
} from './harness.mjs';

// A temporary UPN (DfE, UPN guide: 11 digits then a letter, the last
// letter's value its place in the check-letter table), made from n.
const UPN_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';
function tempUpnFor(n) {
  const body = `999${String(n % 1e8).padStart(8, '0')}A`;
  let sum = UPN_LETTERS.indexOf('A') * 13;
  for (let i = 0; i < 11; i++) sum += Number(body[i]) * (i + 2);
  return UPN_LETTERS[sum % 23] + body;
}
import { dbSql } from './harness.mjs';

let srv, head, headJson, senco, prac, school1, school2;

function sql(q) {
  return dbSql(srv.db, q);
}

async function apiClient(user) {
  const c = new Client(srv.base);
  const res = await c.postJson('/api/v1/sign-in', { username: user, password: 'demo-password' });
  assert.equal(res.status, 200, `sign-in of ${user}`);
  c.csrf = (await res.json()).csrf;
  return c;
}

async function api(c, body) {
  const res = await c.request('/api/v1/pupils/ctf', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': c.csrf },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, body: json, text };
}

// The page's form sent as a browser sends it: multipart/form-data, the
// file in the field "file" (fields: the other fields, csrf among them).
// The page reads a file in the background and answers with the job's page
// (303 to /pupils/ctf?job=N), which is followed to its end unless raw.
async function sendFile(c, p, xml, fields = {}, headers = {}, { raw = false } = {}) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) form.append(k, String(v));
  if (xml !== undefined) form.append('file', new Blob([xml], { type: 'text/xml' }), 'ctf.xml');
  const res = await c.request(p, { method: 'POST', headers: { origin: c.base, ...headers }, body: form });
  const to = res.headers.get('location') ?? '';
  if (raw || res.status !== 303) return res;
  assert.match(to, /^\/pupils\/ctf\?job=\d+$/);
  return followJob(c, to);
}

// The job's page, looked at until the file has been read (the progress
// region gone); its last answer, with .job its address.
async function followJob(c, to) {
  for (let i = 0; i < 3000; i++) {
    const r = await c.request(to);
    const text = await r.clone().text();
    if (!text.includes('data-tas-refresh')) {
      r.job = to;
      return r;
    }
    assert.match(text, /<progress id="import-read" max="100" value="\d+">/);
    assert.match(text, /<span id="import-rows">\d+ pupils<\/span>/);
    await new Promise((ok) => setTimeout(ok, 10));
  }
  assert.fail(`${to}: the file was still being read after 3,000 looks`);
}

// The value of the hidden input named `name` on a page, or null.
function hidden(html, name) {
  const m = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`).exec(html);
  return m ? m[1] : null;
}

// The page's two steps: the check, then the import of the same file.
async function checkThenImport(c, xml) {
  const form = await c.getHtml('/pupils/ctf');
  const csrf = csrfFrom(form.html);
  const check = await sendFile(c, '/pupils/ctf', xml, { csrf, step: 'check' });
  const html = await check.text();
  return { csrf, check, html, checked: hidden(html, 'checked'), formToken: hidden(html, 'form_token') };
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/'/g, '&apos;');

// One synthetic pupil as a CTF Pupil element (CTF 25 element names).
function pupilXml(p) {
  const year = academicYearOf(TODAY);
  const att = p.attendance === false ? '' : `
      <Attendance><YearData><Year>${year - 1}</Year><LEA>${p.lea ?? ''}</LEA>
        <SessionsPossible>${p.possible ?? 380}</SessionsPossible><SessionsAuthorised>${p.auth ?? 12}</SessionsAuthorised>
        <SessionsUnauthorised>6</SessionsUnauthorised></YearData></Attendance>`;
  const exc = p.exclusion ? `
      <Exclusions><Exclusion><StartDate>${p.exclusion}</StartDate><Category>${p.category ?? 'SUSP'}</Category>
        <Reason>DB</Reason><Sessions>4</Sessions></Exclusion></Exclusions>` : '';
  const former = p.former ? `<FormerUPN>${p.former}</FormerUPN>` : '';
  return `
    <Pupil>
      <UPN>${p.upn}</UPN>
      <Surname>${esc(p.surname)}</Surname>
      <Forename>${esc(p.forename)}</Forename>
      <DOB>${year - 8}-03-04</DOB>
      <Sex>${p.sex ?? 'F'}</Sex>
      <BasicDetails>${former}<NCyearActual>4</NCyearActual><Ethnicity>${p.ethnicity ?? 'WIRI'}</Ethnicity></BasicDetails>
      <SENhistory><SEN><StartDate>${addDays(TODAY, -400)}</StartDate><SENprovision>K</SENprovision></SEN>
        <SEN><StartDate>${addDays(TODAY, -100)}</StartDate><SENprovision>${p.sen ?? 'E'}</SENprovision></SEN></SENhistory>
      <FSMhistory><FSMinstance><FSMstartDate>${addDays(TODAY, -300)}</FSMstartDate></FSMinstance></FSMhistory>${att}${exc}
    </Pupil>`;
}

// A file of pupils from the school with that URN ('' for none) and LA
// number; estab its establishment number in the header, dest a DestSchool.
function ctf(urn, lea, pupils, { doctype = '', estab = '2001', dest = null } = {}) {
  const destXml = dest ? `\n    <DestSchool>${dest.lea ? `<LEA>${dest.lea}</LEA>` : ''}${dest.estab ? `<Estab>${dest.estab}</Estab>` : ''}` +
    `${dest.urn ? `<URN>${dest.urn}</URN>` : ''}</DestSchool>` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>${doctype}
<CTfile>
  <Header>
    <DocumentName>Common Transfer File</DocumentName>
    <CTFversion>25.0</CTFversion>
    <DateTime>${TODAY}T09:00:00</DateTime>
    <DocumentQualifier>full</DocumentQualifier>
    <SourceSchool><LEA>${lea}</LEA><Estab>${estab}</Estab>${urn ? `<URN>${urn}</URN>` : ''}<SchoolName>Synthetic</SchoolName>
      <AcademicYear>${academicYearOf(TODAY)}</AcademicYear></SourceSchool>${destXml}
  </Header>
  <CTFpupilData>${pupils.map(pupilXml).join('')}
  </CTFpupilData>
</CTfile>
`;
}

const pupilsAt = (school) => Number(sql(`SELECT count(*) FROM pupils WHERE school_id = ${school.id}`));
const importedRecords = () => Number(sql("SELECT count(*) FROM outcome_records WHERE source = 'import'"));

before(async () => {
  srv = await startServer({ seed: 17 });
  const row = (id) => {
    const [urn, lea] = sql(`SELECT s.urn, a.la_code FROM schools s JOIN authorities a ON a.id = s.authority_id WHERE s.id = ${id}`).split('|');
    return { id, urn, lea };
  };
  school1 = row(1);
  school2 = row(2);
  head = new Client(srv.base);
  assert.equal((await head.signIn('head')).status, 303);
  headJson = await apiClient('head');
  senco = await apiClient('senco');
  prac = await apiClient('practitioner');
});

after(async () => { await srv?.stop({ expectExitZero: true }); });

test('a check reports without writing; the import adds pupils and outcome records; again changes nothing', async () => {
  // An existing pupil of school 1, whose file brings new characteristics.
  const [existingId, existingUpn] = sql('SELECT id, upn FROM pupils WHERE school_id = 1 ORDER BY id LIMIT 1').split('|');
  const file = ctf(school1.urn, school1.lea, [
    { upn: upnFor(170001), surname: "Ó'Brien", forename: 'Zoë', exclusion: addDays(TODAY, -40) },
    { upn: upnFor(170002), surname: 'Nguyễn', forename: 'Siân', sex: 'M', ethnicity: 'WENG' },
    { upn: existingUpn, surname: 'Kept', forename: 'Same', sen: 'E', attendance: false },
  ]);
  const p0 = pupilsAt(school1), r0 = importedRecords();

  const form = await head.getHtml('/pupils/ctf');
  assert.equal(form.status, 200);
  assert.match(form.html, /enctype="multipart\/form-data"/);
  assert.match(form.html, /<input class="govuk-file-upload" id="f-file" name="file" type="file"/);
  assert.ok(decodeHtml(form.html).includes('exported, up to 16 MB'), 'the page says its limit');
  const { csrf, check, html, checked, formToken } = await checkThenImport(head, file);
  assert.equal(check.status, 200);
  const text = decodeHtml(html);
  assert.match(html, /id="n-pupils">3</);
  assert.match(html, /id="n-added">2</);
  assert.match(html, /id="n-changed">1</);
  assert.ok(text.includes('The file can be imported. Nothing has been written yet.'));
  assert.match(html, /name="step" value="import"/);
  assert.match(checked, /^[0-9a-f]{64}$/, 'the check marks the file it checked');
  assert.ok(formToken, 'the import form has its one-time token');
  assert.equal(pupilsAt(school1), p0, 'a check writes nothing');
  assert.equal(importedRecords(), r0);

  // The import: 2 pupils added, 1 changed; records: 2 attendance years, 1 suspension, 3 FSM periods.
  const done = await sendFile(head, '/pupils/ctf', file, { csrf, step: 'import', checked, form_token: formToken });
  assert.equal(done.status, 200);
  const after = { html: await done.text() };
  assert.ok(decodeHtml(after.html).includes('Imported'));
  for (const [id, n] of [['pupils', 3], ['added', 2], ['changed', 1], ['unchanged', 0], ['rejected', 0]]) {
    assert.match(after.html, new RegExp(`id="n-${id}">${n}<`), id);
  }
  // The job's page shows the same again, for as long as it is kept.
  assert.equal((await head.getHtml(done.job)).html, after.html);
  assert.equal(pupilsAt(school1), p0 + 2);
  assert.equal(importedRecords(), r0 + 6);
  const zoe = sql(`SELECT forenames || '|' || surname || '|' || gender || '|' || ethnicity || '|' || sen_provision || '|' || nc_year FROM pupils WHERE upn = '${upnFor(170001)}'`);
  assert.equal(zoe, "Zoë|Ó'Brien|F|WIRI|E|4", 'names intact, latest SEN entry');
  assert.equal(sql(`SELECT ethnicity FROM pupils WHERE upn = '${upnFor(170002)}'`), 'WBRI', 'extended code rolled up');
  assert.equal(sql(`SELECT sen_provision || surname FROM pupils WHERE id = ${existingId}`), 'EKept');
  const zoeId = sql(`SELECT id FROM pupils WHERE upn = '${upnFor(170001)}'`);
  const att = sql(`SELECT starts_on || '|' || sessions_possible || '|' || sessions_missed FROM outcome_records WHERE pupil_id = ${zoeId} AND kind = 'attendance'`);
  assert.equal(att, `${academicYearOf(TODAY) - 1}-09-01|380|18`, 'missed = authorised + unauthorised');
  assert.equal(sql(`SELECT code || sessions FROM outcome_records WHERE pupil_id = ${zoeId} AND kind = 'suspension'`), 'DB4');
  // Audited: each pupil added or changed, each record, and the import.
  assert.equal(Number(sql(`SELECT count(*) FROM audit_log WHERE resource_kind = 'pupil' AND detail = 'ctf import'`)), 3);
  assert.equal(Number(sql(`SELECT count(*) FROM audit_log WHERE action = 'import' AND detail = 'ctf'`)), 1);
  // Read by the page's job, on a thread of its own, and still recorded as
  // the user's, from where they sent it.
  assert.equal(sql(`SELECT u.username || ' ' || a.remote_addr FROM audit_log a JOIN users u ON u.id = a.user_id
    WHERE a.action = 'import' AND a.detail = 'ctf'`), 'head 127.0.0.1');
  // No child's name in the audit trail.
  assert.equal(Number(sql("SELECT count(*) FROM audit_log WHERE detail LIKE '%Zoë%' OR detail LIKE '%Brien%'")), 0);

  // Again: everything unchanged, nothing written.
  const again = await api(headJson, { xml: file, dry_run: false });
  assert.equal(again.status, 200, again.text);
  assert.equal(again.body.added, 0);
  assert.equal(again.body.changed, 0);
  assert.equal(again.body.unchanged, 3);
  assert.equal(again.body.outcomes_added, 0);
  assert.equal(again.body.outcomes_already_stored, 6);
  assert.equal(importedRecords(), r0 + 6);
  assert.equal(pupilsAt(school1), p0 + 2);
});

test('a bad UPN refuses the file, naming the pupil by place and line, never by name', async () => {
  const good = upnFor(170010);
  const bad = `${good[0] === 'A' ? 'B' : 'A'}${good.slice(1)}`;   // a wrong check letter
  const file = ctf(school1.urn, school1.lea, [
    { upn: upnFor(170011), surname: 'Able', forename: 'Ann' },
    { upn: bad, surname: 'Secretname', forename: 'Hidden' },
  ]);
  const p0 = pupilsAt(school1), r0 = importedRecords();
  const r = await api(headJson, { xml: file, dry_run: false });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.body.rejected, 1);
  assert.equal(r.body.added, 1, 'the good pupil counted, the refused one not');
  const [x] = r.body.rejects;
  assert.equal(x.pupil, 2);
  const line = file.split('\n').findIndex((l) => l.includes(`<UPN>${bad}`));   // 0-based: the line before the UPN's
  assert.equal(x.line, line, 'the line of the <Pupil> tag');
  assert.equal(x.field, 'upn');
  assert.match(x.reason, /check letter/);
  assert.ok(!r.text.includes('Secretname') && !r.text.includes('Hidden'), 'no name in the report');
  assert.equal(pupilsAt(school1), p0, 'the good pupil is not half-imported');
  assert.equal(importedRecords(), r0);
  // The page shows it too, without an Import button.
  const { check, html } = await checkThenImport(head, file);
  assert.equal(check.status, 400);
  assert.ok(decodeHtml(html).includes('Nothing was imported'));
  assert.ok(!/name="step" value="import"/.test(html));
  assert.equal(hidden(html, 'checked'), null);
});

test('an exclusion the outcome rules refuse refuses its pupil, by the record', async () => {
  const file = ctf(school1.urn, school1.lea, [
    { upn: upnFor(170060), surname: 'Rule', forename: 'Check', exclusion: addDays(TODAY, -10) },
  ]).replace('<Reason>DB</Reason>', '<Reason>ZZ</Reason>');
  const r = await api(headJson, { xml: file, dry_run: true });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.body.added, 0);
  assert.equal(r.body.rejects[0].field, 'suspension');
  assert.match(r.body.rejects[0].reason, /DfE reason code/, 'the words of core/outcomes.c');
});

test('XML malformed part-way imports nothing, with the line', async () => {
  // Enough pupils that the stream hands some on before the fault is reached.
  const many = Array.from({ length: 300 }, (_, i) => ({ upn: upnFor(171000 + i), surname: `Many${i}`, forename: 'Fine' }));
  const file = ctf(school1.urn, school1.lea, [...many,
    { upn: upnFor(170021), surname: 'Second', forename: 'Fine' },
  ]);
  const cut = file.replace('<Surname>Second</Surname>', '<Surname>Second</Surnam>');
  const p0 = pupilsAt(school1), r0 = importedRecords();
  const r = await api(headJson, { xml: cut, dry_run: false });
  assert.equal(r.status, 422, r.text);
  assert.match(r.body.error.reason, /not well-formed/);
  assert.equal(r.body.error.line, cut.split('\n').findIndex((l) => l.includes('</Surnam>')) + 1);
  assert.ok(r.body.pupils > 0 && r.body.pupils <= 300, `pupils were read before the fault (${r.body.pupils})`);
  assert.equal(pupilsAt(school1), p0, 'but not kept');
  assert.equal(importedRecords(), r0);
});

test('an entity bomb and an external entity are refused and inert', async () => {
  const lol = '<!DOCTYPE CTfile [<!ENTITY a "aaaaaaaaaa">' +
    Array.from({ length: 8 }, (_, i) => {
      const me = String.fromCharCode(98 + i), prev = String.fromCharCode(97 + i);
      return `<!ENTITY ${me} "${`&${prev};`.repeat(10)}">`;
    }).join('') + ']>';
  const bomb = ctf(school1.urn, school1.lea, [{ upn: '&i;', surname: 'Bomb', forename: 'Lol' }], { doctype: lol });
  const xxe = ctf(school1.urn, school1.lea, [{ upn: upnFor(170030), surname: 'X', forename: 'Y' }],
    { doctype: '<!DOCTYPE CTfile [<!ENTITY x SYSTEM "file:///etc/passwd">]>' })
    .replace('<Surname>X</Surname>', '<Surname>&x;</Surname>');
  const p0 = pupilsAt(school1);
  for (const xml of [bomb, xxe]) {
    const r = await api(headJson, { xml, dry_run: false });
    assert.equal(r.status, 422, r.text);
    assert.match(r.body.error.reason, /DOCTYPE or entity is not accepted/);
    assert.ok(!r.text.includes('root:'), 'nothing of /etc/passwd');
  }
  assert.equal(pupilsAt(school1), p0);
});

test('another school\'s file, an unknown school or a mismatched LA is refused; a practitioner may not import', async () => {
  const other = ctf(school2.urn, school2.lea, [{ upn: upnFor(170040), surname: 'Other', forename: 'School' }]);
  const p2 = pupilsAt(school2);
  const r = await api(headJson, { xml: other, dry_run: true });
  assert.equal(r.status, 403, 'the head of school 1 may not create pupils at school 2');
  assert.equal(Number(sql("SELECT count(*) FROM audit_log WHERE action = 'import' AND detail = 'ctf' AND flags != 0")) >= 1, true,
    'the refusal is audited');
  // The SENCO of school 2 may.
  const ok = await api(senco, { xml: other, dry_run: true });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.added, 1);
  assert.equal(pupilsAt(school2), p2, 'a dry run');
  const unknown = await api(headJson, { xml: ctf('999999', school1.lea, []), dry_run: true });
  assert.equal(unknown.status, 422);
  assert.match(unknown.text, /not one of the schools recorded here/);
  const la = await api(headJson, { xml: ctf(school1.urn, '999', []), dry_run: true });
  assert.equal(la.status, 422);
  assert.match(la.text, /LA number does not match/);
  // A pupil of another school, by UPN, is refused without saying where.
  const held = sql('SELECT upn FROM pupils WHERE school_id = 2 ORDER BY id LIMIT 1');
  const moved = await api(headJson, { xml: ctf(school1.urn, school1.lea, [{ upn: held, surname: 'M', forename: 'N' }]), dry_run: true });
  assert.equal(moved.status, 422);
  assert.match(moved.body.rejects[0].reason, /cannot be added or updated at this school/);
  const pr = await api(prac, { xml: other, dry_run: true });
  assert.equal(pr.status, 403);
  assert.equal((await new Client(srv.base).getHtml('/pupils/ctf')).status === 200, false);
});

test('tas import ctf: a dry run, then the import, from a file', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tas-ctf-'));
  try {
    const f = path.join(dir, 'ctf.xml');
    fs.writeFileSync(f, ctf(school1.urn, school1.lea, [
      { upn: upnFor(170050), surname: 'Cli', forename: 'Zoë' },
      { upn: upnFor(170051), surname: 'Cli', forename: 'Two' },
    ]));
    const p0 = pupilsAt(school1);
    const dry = await runTas(['import', 'ctf', '--db', srv.db, f, '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr + dry.stdout);
    assert.match(dry.stdout, /2 pupils read: 2 added, 0 changed \(0 by their former UPN, 0 moved from the source school\), 0 unchanged, 0 refused/);
    assert.match(dry.stdout, /dry run: nothing was written/);
    assert.equal(pupilsAt(school1), p0);
    const real = await runTas(['import', 'ctf', '--db', srv.db, f]);
    assert.equal(real.code, 0, real.stderr + real.stdout);
    assert.equal(pupilsAt(school1), p0 + 2);
    assert.ok(!real.stdout.includes('Zoë') && !real.stderr.includes('Zoë'), 'no name on the console');
    const bad = await runTas(['import', 'ctf', '--db', srv.db, path.join(dir, 'missing.xml')]);
    assert.equal(bad.code, 1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// A request head alone on a raw socket: a body declared larger than the
// limit is refused on its length alone, before it is sent.
const rawRequest = (head) => rawBytes(srv.base, head);

const MIB = 1024 * 1024;

test('upload: a file over 1 MiB is taken by the page and the API; over 16 MiB, or before signing in, it is refused', async () => {
  // 1.3 MiB: the pupils, and an XML comment a school's MIS might carry.
  const pad = `<!-- ${'synthetic padding '.repeat(Math.ceil(1.3 * MIB / 18))} -->`;
  const file = ctf(school1.urn, school1.lea, [{ upn: upnFor(172001), surname: 'Large', forename: 'File' }])
    .replace('<CTFpupilData>', `${pad}\n<CTFpupilData>`);
  assert.ok(Buffer.byteLength(file) > 1.25 * MIB);
  const p0 = pupilsAt(school1);
  const { check, html, checked, formToken, csrf } = await checkThenImport(head, file);
  assert.equal(check.status, 200, html.slice(0, 500));
  assert.match(html, /id="n-added">1</);
  const done = await sendFile(head, '/pupils/ctf', file, { csrf, step: 'import', checked, form_token: formToken });
  assert.equal(done.status, 200);
  assert.equal(pupilsAt(school1), p0 + 1);

  // The API takes the same upload (a field dry_run, and the file).
  const api1 = await sendFile(headJson, '/api/v1/pupils/ctf', file, { dry_run: 'true' }, { 'x-csrf-token': headJson.csrf });
  assert.equal(api1.status, 200);
  const body = await api1.json();
  assert.equal(body.unchanged, 1);
  assert.equal(body.dry_run, true);

  // Declared over 16 MiB: refused before the body is read.
  const cookie = head.cookieHeader();
  const boundary = 'x'.repeat(20);
  const big = await rawRequest(`POST /pupils/ctf HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\n` +
    `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${16 * MIB + 1}\r\nConnection: close\r\n\r\n`);
  assert.match(big, /^HTTP\/1\.1 413 /);
  // Not signed in, the general 1 MiB limit holds, so nothing large is written to disk.
  const anon = await rawRequest('POST /pupils/ctf HTTP/1.1\r\nHost: x\r\n' +
    `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${MIB + 1}\r\nConnection: close\r\n\r\n`);
  assert.match(anon, /^HTTP\/1\.1 413 /);
  // Other routes keep the 1 MiB limit, signed in or not.
  const other = await rawRequest(`POST /pupils HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\n` +
    `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${MIB + 1}\r\nConnection: close\r\n\r\n`);
  assert.match(other, /^HTTP\/1\.1 413 /);
});

test('upload: without the CSRF token, or with a wrong one, nothing is read into the import', async () => {
  const file = ctf(school1.urn, school1.lea, [{ upn: upnFor(172010), surname: 'Csrf', forename: 'Check' }]);
  const { checked, formToken, csrf } = await checkThenImport(head, file);
  assert.ok(checked);
  const p0 = pupilsAt(school1);
  const audit0 = Number(sql("SELECT count(*) FROM audit_log WHERE action = 'import' AND detail = 'ctf'"));
  for (const token of [undefined, 'f'.repeat(64), `${csrf}x`]) {
    const r = await sendFile(head, '/pupils/ctf', file, { csrf: token, step: 'import', checked, form_token: formToken });
    assert.equal(r.status, 403, `csrf ${token}`);
    assert.match(decodeHtml(await r.text()), /This form has expired/);
  }
  // The API's upload needs the token too (as a header or a field).
  const api1 = await sendFile(headJson, '/api/v1/pupils/ctf', file, { dry_run: 'false' });
  assert.equal(api1.status, 403);
  assert.equal(pupilsAt(school1), p0);
  assert.equal(Number(sql("SELECT count(*) FROM audit_log WHERE action = 'import' AND detail = 'ctf'")), audit0);
});

test('upload: only the file checked is imported, and pressing Import twice imports once', async () => {
  const file = ctf(school1.urn, school1.lea, [{ upn: upnFor(172020), surname: 'Twice', forename: 'Pressed' }]);
  const other = ctf(school1.urn, school1.lea, [{ upn: upnFor(172021), surname: 'Not', forename: 'Checked' }]);
  const { checked, formToken, csrf } = await checkThenImport(head, file);
  const p0 = pupilsAt(school1);
  // Another file than the one checked, or no mark of a check at all.
  for (const [xml, mark] of [[other, checked], [file, undefined], [file, '0'.repeat(64)]]) {
    const r = await sendFile(head, '/pupils/ctf', xml, { csrf, step: 'import', checked: mark, form_token: formToken });
    assert.equal(r.status, 400);
    const html = await r.text();
    assert.match(decodeHtml(html), /This is not the file that was checked/);
    assert.match(html, /href="#f-file"/, 'the error summary links to the file input');
  }
  // No file chosen.
  const none = await sendFile(head, '/pupils/ctf', undefined, { csrf, step: 'check' });
  assert.equal(none.status, 400);
  assert.match(decodeHtml(await none.text()), /Choose the Common Transfer File/);
  assert.equal(pupilsAt(school1), p0);

  const audit0 = Number(sql("SELECT count(*) FROM audit_log WHERE action = 'import' AND detail = 'ctf'"));
  const send = () => sendFile(head, '/pupils/ctf', file, { csrf, step: 'import', checked, form_token: formToken }, {},
    { raw: true });
  const [a, b] = await Promise.all([send(), send()]);
  assert.equal(a.status, 303);
  assert.equal(b.status, 303);
  assert.equal(a.headers.get('location'), b.headers.get('location'), 'the second press lands where the first did');
  const again = await send();
  assert.equal(again.status, 303);
  assert.equal(again.headers.get('location'), a.headers.get('location'));
  assert.match(decodeHtml(await (await followJob(head, a.headers.get('location'))).text()), /Imported/);
  assert.equal(pupilsAt(school1), p0 + 1);
  assert.equal(Number(sql("SELECT count(*) FROM audit_log WHERE action = 'import' AND detail = 'ctf'")), audit0 + 1,
    'one import on the audit trail');
});

test('upload: a body that is not whole multipart is refused', async () => {
  const form = await head.getHtml('/pupils/ctf');
  const csrf = csrfFrom(form.html);
  const boundary = 'tasboundary';
  const cut = `--${boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${csrf}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.xml"\r\n\r\n` +
    ctf(school1.urn, school1.lea, [{ upn: upnFor(172030), surname: 'Cut', forename: 'Short' }]);
  const r = await head.request('/pupils/ctf', {
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, origin: head.base },
    body: cut,
  });
  assert.equal(r.status, 400);
  assert.match(await r.text(), /The form could not be read/, 'the body ends before its closing boundary');
  // Two files in one form.
  const two = new FormData();
  two.append('csrf', csrf);
  two.append('file', new Blob(['<a/>']), 'a.xml');
  two.append('file', new Blob(['<b/>']), 'b.xml');
  const r2 = await head.request('/pupils/ctf', { method: 'POST', headers: { origin: head.base }, body: two });
  assert.equal(r2.status, 400);
  assert.match(await r2.text(), /send one file/);
});

test('schools by LA and establishment number: the source found without a URN, a mismatch refused with both numbers, the destination reported', async () => {
  sql(`UPDATE schools SET establishment_number = '2101' WHERE id = ${school1.id}`);
  sql(`UPDATE schools SET establishment_number = '2102' WHERE id = ${school2.id}`);
  const [name1, name2] = [school1, school2].map((x) => sql(`SELECT name FROM schools WHERE id = ${x.id}`));
  try {
    // No URN: LA and Estab find school 1.
    const pupil = [{ upn: upnFor(173001), surname: 'Laestab', forename: 'Found' }];
    const byNumbers = ctf('', school1.lea, pupil, { estab: '2101', dest: { lea: school2.lea, estab: '2102' } });
    const r = await api(headJson, { xml: byNumbers, dry_run: true });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.school.id, school1.id);
    assert.equal(r.body.school.by_la_estab, true);
    assert.equal(r.body.school.establishment_number, '2101');
    assert.equal(r.body.added, 1);
    // The destination is reported: a school here, not where the pupils go.
    assert.deepEqual(r.body.destination, { lea: school2.lea, estab: '2102', urn: '', recorded: true,
      school: { id: school2.id, urn: school2.urn, name: name2, same_as_source: false } });
    const { html } = await checkThenImport(head, byNumbers);
    const text = decodeHtml(html);
    assert.ok(text.includes(`Source school: ${name1} (URN ${school1.urn}, DfE number ${school1.lea}/2101), found by the file's LA and establishment numbers.`), text);
    assert.ok(text.includes(`The file is addressed to ${name2} (URN ${school2.urn}): its pupils are added or updated at the source school`));

    // A destination not recorded here is said to be so.
    const away = await api(headJson, { xml: ctf(school1.urn, school1.lea, pupil, { estab: '2101', dest: { lea: '999', estab: '9999' } }), dry_run: true });
    assert.equal(away.status, 200, away.text);
    assert.equal(away.body.school.by_la_estab, false);
    assert.deepEqual(away.body.destination, { lea: '999', estab: '9999', urn: '', recorded: false });

    // The URN and the establishment number name different schools: refused, saying both.
    const clash = await api(headJson, { xml: ctf(school1.urn, school1.lea, pupil, { estab: '2102' }), dry_run: true });
    assert.equal(clash.status, 422);
    assert.equal(clash.body.file_errors[0].field, 'file');
    assert.equal(clash.body.file_errors[0].message, `The file's source establishment number does not match the school's: URN ${school1.urn} is ${name1}, establishment number 2101, but the file gives 2102`);
    const destClash = await api(headJson, { xml: ctf(school1.urn, school1.lea, pupil, { estab: '2101', dest: { urn: school2.urn, lea: school2.lea, estab: '2101' } }), dry_run: true });
    assert.equal(destClash.status, 422);
    assert.match(destClash.body.file_errors[0].message, /^The file's destination establishment number does not match the school's: /);
    // Numbers recorded nowhere, numbers of the wrong shape, no school named at all.
    const none = await api(headJson, { xml: ctf('', school1.lea, pupil, { estab: '2999' }), dry_run: true });
    assert.equal(none.status, 422);
    assert.equal(none.body.file_errors[0].message, `The file's source school (LA ${school1.lea}, establishment number 2999) is not one of the schools recorded here: record the establishment number in the school's details, or import the schools from GIAS`);
    const shape = await api(headJson, { xml: ctf('', school1.lea, pupil, { estab: '21' }), dry_run: true });
    assert.equal(shape.status, 422);
    assert.match(shape.body.file_errors[0].message, /an LEA is 3 numbers and an Estab 4/);
    const unnamed = await api(headJson, { xml: ctf('', '', pupil, { estab: '' }), dry_run: true });
    assert.equal(unnamed.status, 422);
    assert.match(unnamed.body.file_errors[0].message, /does not name its source school/);

    // Two open schools with the same numbers: which is meant cannot be told.
    sql(`UPDATE schools SET establishment_number = '2101' WHERE id = ${school2.id}`);
    const two = await api(headJson, { xml: byNumbers, dry_run: true });
    assert.equal(two.status, 422);
    assert.match(two.body.file_errors[0].message, /matches more than one school recorded here/);
    // One of them closed: the open one is meant.
    sql(`UPDATE schools SET status = 'closed' WHERE id = ${school2.id}`);
    const open = await api(headJson, { xml: byNumbers, dry_run: true });
    assert.equal(open.status, 200, open.text);
    assert.equal(open.body.school.id, school1.id);
    // The school the numbers find must still be one the user may create pupils at.
    sql(`UPDATE schools SET status = 'open', establishment_number = '' WHERE id = ${school1.id}`);
    const other = await api(headJson, { xml: byNumbers, dry_run: true });
    assert.equal(other.status, 403, 'school 2 is not the head\'s');
  } finally {
    sql(`UPDATE schools SET establishment_number = '', status = 'open' WHERE id IN (${school1.id}, ${school2.id})`);
  }
});

test('FormerUPN: a temporary UPN replaced by a permanent one is the same pupil, given the new UPN and audited', async () => {
  const temp = tempUpnFor(174001), perm = upnFor(174001);
  assert.match(temp, /^[A-Z]\d{11}A$/);
  const first = await api(headJson, { xml: ctf(school1.urn, school1.lea, [{ upn: temp, surname: 'Former', forename: 'Temp' }]), dry_run: false });
  assert.equal(first.status, 200, first.text);
  assert.equal(first.body.added, 1);
  const id = sql(`SELECT id FROM pupils WHERE upn = '${temp}'`);
  const records = () => Number(sql(`SELECT count(*) FROM outcome_records WHERE pupil_id = ${id}`));
  const r0 = records();
  const p0 = pupilsAt(school1);

  // The permanent UPN, with the temporary one as FormerUPN: the same pupil.
  const file = ctf(school1.urn, school1.lea, [{ upn: perm, former: temp, surname: 'Former', forename: 'Temp' }]);
  const dry = await api(headJson, { xml: file, dry_run: true });
  assert.equal(dry.status, 200, dry.text);
  assert.equal(dry.body.added, 0);
  assert.equal(dry.body.changed, 1);
  assert.equal(dry.body.upn_replaced, 1);
  assert.deepEqual(dry.body.notes, [{ pupil: 1, line: dry.body.notes[0].line, upn: perm, field: 'former_upn',
    note: `the pupil recorded with the FormerUPN ${temp} now has this UPN` }]);
  assert.equal(sql(`SELECT upn FROM pupils WHERE id = ${id}`), temp, 'a check writes nothing');
  const done = await api(headJson, { xml: file, dry_run: false });
  assert.equal(done.status, 200, done.text);
  assert.equal(sql(`SELECT upn FROM pupils WHERE id = ${id}`), perm);
  assert.equal(pupilsAt(school1), p0, 'no new pupil');
  assert.equal(records(), r0, 'the same records, already stored');
  assert.equal(Number(sql(`SELECT count(*) FROM audit_log WHERE pupil_id = ${id} AND action = 'edit' AND detail = 'ctf import: UPN replaced (FormerUPN)'`)), 1);
  assert.equal(Number(sql(`SELECT count(*) FROM audit_log WHERE detail LIKE '%${temp}%' OR detail LIKE '%${perm}%'`)), 0, 'no UPN in the audit trail');
  // Again: the UPN is now stored, so the FormerUPN changes nothing.
  const again = await api(headJson, { xml: file, dry_run: true });
  assert.equal(again.body.unchanged, 1);
  assert.equal(again.body.upn_replaced, 0);
  // The temporary UPN is kept as the pupil's former UPN: on the record, the
  // page, and found by the list's search and the audit log's UPN filter.
  const rec = await (await head.request(`/api/v1/pupils/${id}`)).json();
  assert.equal(rec.pupil.former_upn, temp);
  const view = await head.getHtml(`/pupils/${id}`);
  assert.match(view.html, new RegExp(`<dd class="govuk-summary-list__value tas-mono" id="former-upn">${temp}</dd>`));
  const found = await (await head.request(`/api/v1/pupils?q=${temp.toLowerCase()}`)).json();
  assert.deepEqual(found.pupils.map((p) => p.id), [Number(id)], 'a search by the former UPN finds the pupil');
  // A file older than the change, still with the temporary UPN alone: the
  // same pupil, whose permanent UPN stays, said in a note; no second record.
  const old = ctf(school1.urn, school1.lea, [{ upn: temp, surname: 'Former', forename: 'Temp' }]);
  const stale = await api(headJson, { xml: old, dry_run: false });
  assert.equal(stale.status, 200, stale.text);
  assert.equal(stale.body.added, 0);
  assert.equal(stale.body.unchanged + stale.body.changed, 1);
  assert.deepEqual(stale.body.notes.map((n) => [n.upn, n.field, n.note]),
    [[temp, 'upn', `this UPN is the pupil's former UPN: their UPN here, ${perm}, is kept`]]);
  assert.equal(sql(`SELECT upn || '|' || former_upn FROM pupils WHERE id = ${id}`), `${perm}|${temp}`);
  assert.equal(pupilsAt(school1), p0, 'no second record of the same child');
  // A UPN corrected by hand (the API's PUT, as the form does) keeps the one
  // it replaces in the same way; the temporary one goes.
  const p = rec.pupil;
  const corrected = upnFor(174011);
  const put = await headJson.request(`/api/v1/pupils/${id}`, {
    method: 'PUT', headers: { 'content-type': 'application/json', 'x-csrf-token': headJson.csrf },
    body: JSON.stringify({ upn: corrected, forenames: p.forenames, surname: p.surname, date_of_birth: p.date_of_birth,
      gender: p.gender, ethnicity: p.ethnicity, nc_year: p.nc_year, sen_provision: p.sen_provision, school_id: p.school.id }),
  });
  assert.equal(put.status, 200, await put.text());
  assert.equal(sql(`SELECT upn || '|' || former_upn FROM pupils WHERE id = ${id}`), `${corrected}|${perm}`);

  // A FormerUPN held at another school is refused, without saying where.
  const held = sql('SELECT upn FROM pupils WHERE school_id = 2 ORDER BY id LIMIT 1');
  const away = await api(headJson, { xml: ctf(school1.urn, school1.lea, [{ upn: upnFor(174002), former: held, surname: 'A', forename: 'B' }]), dry_run: true });
  assert.equal(away.status, 422);
  assert.deepEqual([away.body.rejects[0].field, away.body.rejects[0].reason], ['former_upn', 'a pupil with this FormerUPN cannot be updated at this school']);
  // A FormerUPN that fails its check letter.
  const badFormer = `${temp[0] === 'A' ? 'B' : 'A'}${temp.slice(1)}`;
  const bad = await api(headJson, { xml: ctf(school1.urn, school1.lea, [{ upn: upnFor(174003), former: badFormer, surname: 'A', forename: 'B' }]), dry_run: true });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.rejects[0].field, 'former_upn');
  assert.match(bad.body.rejects[0].reason, /^the FormerUPN: .*check letter/);
  // One pupil's FormerUPN another's UPN in the same file: which is whose cannot be told.
  const clash = await api(headJson, { xml: ctf(school1.urn, school1.lea, [
    { upn: upnFor(174004), surname: 'A', forename: 'B' },
    { upn: upnFor(174005), former: upnFor(174004), surname: 'C', forename: 'D' },
  ]), dry_run: true });
  assert.equal(clash.status, 422);
  assert.deepEqual([clash.body.rejects[0].pupil, clash.body.rejects[0].field], [2, 'former_upn']);
  assert.equal(clash.body.notes.length, 0);
  // A pupil refused after being found by its FormerUPN (a record the outcome
  // rules refuse) leaves no note: its refusal is what is said.
  const temp2 = tempUpnFor(174006);
  assert.equal((await api(headJson, { xml: ctf(school1.urn, school1.lea, [{ upn: temp2, surname: 'E', forename: 'F' }]), dry_run: false })).status, 200);
  const late = await api(headJson, { xml: ctf(school1.urn, school1.lea, [{ upn: upnFor(174006), former: temp2, surname: 'E',
    forename: 'F', exclusion: addDays(TODAY, -5) }]).replace('<Reason>DB</Reason>', '<Reason>ZZ</Reason>'), dry_run: true });
  assert.equal(late.status, 422);
  assert.equal(late.body.rejects[0].field, 'suspension');
  assert.deepEqual(late.body.notes, [], 'a refused pupil leaves no note');
  assert.equal(late.body.upn_replaced, 0);
});

test('attendance: a later file with more sessions updates the year (audited); fewer, or other absences, keep it and say so; lunchtime exclusions are kept as their own kind, not suspensions', async () => {
  const upn = upnFor(175001);
  const year = academicYearOf(TODAY) - 1;
  const file = (possible, auth, more = {}) => ctf(school1.urn, school1.lea, [{ upn, surname: 'Attend', forename: 'Ance', possible, auth, ...more }]);
  const first = await api(headJson, { xml: file(200, 4), dry_run: false });
  assert.equal(first.status, 200, first.text);
  const id = sql(`SELECT id FROM pupils WHERE upn = '${upn}'`);
  const stored = () => sql(`SELECT sessions_possible || '/' || sessions_missed FROM outcome_records WHERE pupil_id = ${id} AND kind = 'attendance'`);
  assert.equal(stored(), '200/10');

  // More sessions: the same year further on.
  const more = await api(headJson, { xml: file(380, 12), dry_run: false });
  assert.equal(more.status, 200, more.text);
  assert.equal(more.body.outcomes_updated, 1);
  assert.equal(more.body.outcomes_added, 0);
  assert.equal(stored(), '380/18');
  assert.deepEqual(more.body.notes.map((n) => [n.field, n.note]), [['attendance',
    `attendance from ${year}-09-01: updated from 200 to 380 sessions possible (18 missed)`]]);
  assert.equal(Number(sql(`SELECT count(*) FROM audit_log WHERE pupil_id = ${id} AND resource_kind = 'outcome' AND action = 'edit' AND detail = 'import: more sessions'`)), 1);

  // Fewer sessions: never silently; the stored year is kept.
  const fewer = await api(headJson, { xml: file(300, 2), dry_run: false });
  assert.equal(fewer.status, 200, fewer.text);
  assert.equal(fewer.body.outcomes_updated, 0);
  assert.equal(fewer.body.outcomes_already_stored, 2, 'the attendance year and the FSM period');
  assert.deepEqual(fewer.body.notes.map((n) => n.note), [
    `attendance from ${year}-09-01: the file has 300 sessions possible, 8 missed; the record stored (380 possible, 18 missed) is kept`]);
  assert.equal(stored(), '380/18');
  // The same sessions with other absences: kept, and said.
  const other = await api(headJson, { xml: file(380, 20), dry_run: true });
  assert.match(other.body.notes[0].note, /the file has 380 sessions possible, 26 missed; the record stored \(380 possible, 18 missed\) is kept/);
  // The same again: nothing to say.
  const same = await api(headJson, { xml: file(380, 12), dry_run: true });
  assert.deepEqual(same.body.notes, []);

  // A lunchtime exclusion: a record of its own kind, not a suspension, so the
  // suspension figures are as they were; on the page too.
  const lunch = file(380, 12, { exclusion: addDays(TODAY, -20), category: 'LNCH' });
  const l = await api(headJson, { xml: lunch, dry_run: true });
  assert.equal(l.status, 200, l.text);
  assert.equal(l.body.lunchtime_exclusions, 1);
  assert.equal(l.body.outcomes_added, 1);
  assert.deepEqual(l.body.notes, []);
  const { html } = await checkThenImport(head, lunch);
  assert.match(html, /id="n-lunchtime">1</);
  const suspensions = () => sql(`SELECT count(*) FROM outcome_records WHERE pupil_id = ${id} AND kind = 'suspension'`);
  const s0 = suspensions();
  const kept = await api(headJson, { xml: lunch, dry_run: false });
  assert.equal(kept.status, 200, kept.text);
  assert.equal(sql(`SELECT starts_on || '|' || code || '|' || sessions || '|' || source FROM outcome_records
    WHERE pupil_id = ${id} AND kind = 'lunchtime'`), `${addDays(TODAY, -20)}|DB|4|import`, 'its sessions as the file gives them (one a lunchtime)');
  assert.equal(suspensions(), s0, 'not counted among the suspensions');
  // The pupil's outcome records list it under its own kind.
  const recs = await (await headJson.get(`/api/v1/pupils/${id}/outcomes`)).json();
  const lunchRec = (recs.records ?? recs.outcomes ?? []).find((r) => r.kind === 'lunchtime');
  assert.ok(lunchRec, JSON.stringify(recs).slice(0, 300));
  assert.equal(lunchRec.sessions, 4);
  // Again: already stored, kept as it is.
  const again = await api(headJson, { xml: lunch, dry_run: true });
  assert.equal(again.body.outcomes_added, 0);
  // The command says the same.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tas-ctf-'));
  try {
    const f = path.join(dir, 'lunch.xml');
    fs.writeFileSync(f, lunch);
    const cli = await runTas(['import', 'ctf', '--db', srv.db, f, '--dry-run']);
    assert.equal(cli.code, 0, cli.stdout + cli.stderr);
    assert.match(cli.stdout, /1 lunchtime exclusions \(kept as their own records\)/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a transfer in: the pupils join the destination school; one of the source school here is moved, with their records', async () => {
  const admin = await apiClient('admin');
  const [name1, name2] = [school1, school2].map((x) => sql(`SELECT name FROM schools WHERE id = ${x.id}`));
  const joining = [{ upn: upnFor(176001), surname: 'Joins', forename: 'New' }, { upn: upnFor(176002), surname: 'Joins', forename: 'Too' }];
  const file = ctf(school2.urn, school2.lea, joining, { dest: { urn: school1.urn } });
  // As the school's own file it is school 2's, which the head of school 1 may not import.
  assert.equal((await api(headJson, { xml: file, dry_run: true })).status, 403);
  const p1 = pupilsAt(school1), p2 = pupilsAt(school2);
  const check = await api(headJson, { xml: file, dry_run: true, transfer_in: true });
  assert.equal(check.status, 200, check.text);
  assert.equal(check.body.transfer_in, true);
  assert.equal(check.body.school.id, school1.id, 'the pupils go to the destination');
  assert.deepEqual(check.body.source, { lea: school2.lea, estab: '2001', urn: school2.urn, recorded: true,
    school: { id: school2.id, urn: school2.urn, name: name2, same_as_source: false } });
  assert.equal(check.body.added, 2);
  assert.equal(pupilsAt(school1), p1, 'a check writes nothing');
  const done = await api(headJson, { xml: file, dry_run: false, transfer_in: true });
  assert.equal(done.status, 200, done.text);
  assert.equal(pupilsAt(school1), p1 + 2);
  assert.equal(pupilsAt(school2), p2);
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE action = 'import' AND detail = 'ctf transfer in'
    AND school_id = ${school1.id}`), '1');

  // From a school not recorded here (another authority's): still a transfer in.
  const away = ctf('999998', '999', [{ upn: upnFor(176003), surname: 'Far', forename: 'Away' }], { estab: '4001', dest: { urn: school1.urn } });
  const fromAway = await api(headJson, { xml: away, dry_run: true, transfer_in: true });
  assert.equal(fromAway.status, 200, fromAway.text);
  assert.deepEqual(fromAway.body.source, { lea: '999', estab: '4001', urn: '999998', recorded: false });
  // Without a destination, or with the source as destination: refused, nothing read further.
  const noDest = await api(headJson, { xml: ctf(school2.urn, school2.lea, joining), dry_run: true, transfer_in: true });
  assert.equal(noDest.status, 422);
  assert.match(noDest.body.file_errors[0].message, /does not name its destination school/);
  const same = await api(headJson, { xml: ctf(school1.urn, school1.lea, joining, { dest: { urn: school1.urn } }),
    dry_run: true, transfer_in: true });
  assert.equal(same.status, 422);
  assert.match(same.body.file_errors[0].message, /same school: it is not a transfer in/);

  // A pupil recorded at the source school: the head of school 1 may not change
  // school 2's pupils, so the pupil is refused without saying where they are ...
  const [movingId, movingUpn] = sql(`SELECT id, upn FROM pupils WHERE school_id = ${school2.id} ORDER BY id LIMIT 1`).split('|');
  const moving = ctf(school2.urn, school2.lea, [{ upn: movingUpn, surname: 'Moves', forename: 'Over', exclusion: addDays(TODAY, -30) }],
    { dest: { urn: school1.urn } });
  const refused = await api(headJson, { xml: moving, dry_run: true, transfer_in: true });
  assert.equal(refused.status, 422);
  assert.match(refused.body.rejects[0].reason, /cannot be added or updated at this school/);
  // ... while someone who may change pupils at both moves them, with the file's records kept.
  const recs = Number(sql(`SELECT count(*) FROM outcome_records WHERE pupil_id = ${movingId}`));
  const moved = await api(admin, { xml: moving, dry_run: false, transfer_in: true });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.body.moved, 1);
  assert.equal(moved.body.changed, 1);
  assert.equal(moved.body.notes[0].field, 'school');
  assert.equal(moved.body.notes[0].note, `moved from ${name2} (URN ${school2.urn}) to this school`);
  assert.equal(sql(`SELECT school_id FROM pupils WHERE id = ${movingId}`), String(school1.id));
  assert.ok(Number(sql(`SELECT count(*) FROM outcome_records WHERE pupil_id = ${movingId}`)) > recs, 'the file\'s records kept');
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE resource_kind = 'pupil' AND pupil_id = ${movingId}
    AND detail = 'ctf import: transfer in'`), '1');

  // The page: whose pupils, asked; a check as a transfer in imports only as one.
  const form = await head.getHtml('/pupils/ctf');
  assert.match(form.html, /name="transfer_in" type="radio" value="yes"/);
  const page = await head.getHtml('/pupils/ctf');
  const csrf = csrfFrom(page.html);
  const again = ctf(school2.urn, school2.lea, [{ upn: upnFor(176004), surname: 'Page', forename: 'Joiner' }], { dest: { urn: school1.urn } });
  const checked = await sendFile(head, '/pupils/ctf', again, { csrf, step: 'check', transfer_in: 'yes' });
  const html = await checked.text();
  assert.equal(checked.status, 200, html);
  const text = decodeHtml(html);
  assert.ok(text.includes(`Destination school, which the pupils join: ${name1}`), text);
  assert.ok(text.includes(`The file comes from ${name2} (URN ${school2.urn})`));
  assert.match(hidden(html, 'checked'), /^[0-9a-f]{64}:in$/);
  const asOwn = await sendFile(head, '/pupils/ctf', again, { csrf, step: 'import', checked: hidden(html, 'checked'),
    form_token: hidden(html, 'form_token'), transfer_in: 'no' });
  assert.equal(asOwn.status, 400, 'checked as a transfer in, not as the school\'s own file');
  const imported = await sendFile(head, '/pupils/ctf', again, { csrf, step: 'import', checked: hidden(html, 'checked'),
    form_token: hidden(html, 'form_token'), transfer_in: 'yes' });
  assert.equal(imported.status, 200);
  const importedText = decodeHtml(await imported.text());
  assert.ok(importedText.includes('Imported'));
  assert.ok(importedText.includes(`Destination school, which the pupils join: ${name1}`));
  assert.equal(sql(`SELECT school_id FROM pupils WHERE upn = '${upnFor(176004)}'`), String(school1.id));
});
