// Pupils from a Common Transfer File (issue 17 item 2): the CTF XML a
// school MIS exports, pasted on /pupils/ctf or sent to /api/v1/pupils/ctf
// (and `tas import ctf`).  A check first with its report; pupils matched by
// UPN at the source school, added or changed; attendance, exclusions and
// FSM into the outcome records; importing again changes nothing; a bad UPN
// refused with its place in the file; malformed XML, an entity bomb or an
// external entity import nothing; another school's file is refused.
// The files are made here, with synthetic pupils only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  startServer, Client, csrfFrom, decodeHtml, TODAY, addDays, academicYearOf, upnFor, runTas,
} from './harness.mjs';
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

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/'/g, '&apos;');

// One synthetic pupil as a CTF Pupil element (CTF 25 element names).
function pupilXml(p) {
  const year = academicYearOf(TODAY);
  const att = p.attendance === false ? '' : `
      <Attendance><YearData><Year>${year - 1}</Year><LEA>${p.lea ?? ''}</LEA>
        <SessionsPossible>380</SessionsPossible><SessionsAuthorised>${p.auth ?? 12}</SessionsAuthorised>
        <SessionsUnauthorised>6</SessionsUnauthorised></YearData></Attendance>`;
  const exc = p.exclusion ? `
      <Exclusions><Exclusion><StartDate>${p.exclusion}</StartDate><Category>SUSP</Category>
        <Reason>DB</Reason><Sessions>4</Sessions></Exclusion></Exclusions>` : '';
  return `
    <Pupil>
      <UPN>${p.upn}</UPN>
      <Surname>${esc(p.surname)}</Surname>
      <Forename>${esc(p.forename)}</Forename>
      <DOB>${year - 8}-03-04</DOB>
      <Sex>${p.sex ?? 'F'}</Sex>
      <BasicDetails><NCyearActual>4</NCyearActual><Ethnicity>${p.ethnicity ?? 'WIRI'}</Ethnicity></BasicDetails>
      <SENhistory><SEN><StartDate>${addDays(TODAY, -400)}</StartDate><SENprovision>K</SENprovision></SEN>
        <SEN><StartDate>${addDays(TODAY, -100)}</StartDate><SENprovision>${p.sen ?? 'E'}</SENprovision></SEN></SENhistory>
      <FSMhistory><FSMinstance><FSMstartDate>${addDays(TODAY, -300)}</FSMstartDate></FSMinstance></FSMhistory>${att}${exc}
    </Pupil>`;
}

function ctf(urn, lea, pupils, { doctype = '' } = {}) {
  return `<?xml version="1.0" encoding="UTF-8"?>${doctype}
<CTfile>
  <Header>
    <DocumentName>Common Transfer File</DocumentName>
    <CTFversion>25.0</CTFversion>
    <DateTime>${TODAY}T09:00:00</DateTime>
    <DocumentQualifier>full</DocumentQualifier>
    <SourceSchool><LEA>${lea}</LEA><Estab>2001</Estab><URN>${urn}</URN><SchoolName>Synthetic</SchoolName>
      <AcademicYear>${academicYearOf(TODAY)}</AcademicYear></SourceSchool>
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
  const csrf = csrfFrom(form.html);
  const check = await head.postForm('/pupils/ctf', { csrf, xml: file, step: 'check' });
  assert.equal(check.status, 200);
  const html = await check.text();
  const text = decodeHtml(html);
  assert.match(html, /id="n-pupils">3</);
  assert.match(html, /id="n-added">2</);
  assert.match(html, /id="n-changed">1</);
  assert.ok(text.includes('The file can be imported. Nothing has been written yet.'));
  assert.match(html, /name="step" value="import"/);
  assert.equal(pupilsAt(school1), p0, 'a check writes nothing');
  assert.equal(importedRecords(), r0);

  // The import: 2 pupils added, 1 changed; records: 2 attendance years, 1 suspension, 3 FSM periods.
  const done = await head.postForm('/pupils/ctf', { csrf, xml: file, step: 'import' });
  assert.equal(done.status, 200);
  const dtext = decodeHtml(await done.text());
  assert.ok(dtext.includes('Imported'));
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
  const form = await head.getHtml('/pupils/ctf');
  const page = await head.postForm('/pupils/ctf', { csrf: csrfFrom(form.html), xml: file, step: 'import' });
  assert.equal(page.status, 400);
  const html = await page.text();
  assert.ok(decodeHtml(html).includes('Nothing was imported'));
  assert.ok(!/name="step" value="import"/.test(html));
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
    assert.match(dry.stdout, /2 pupils read: 2 added, 0 changed, 0 unchanged, 0 refused/);
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
