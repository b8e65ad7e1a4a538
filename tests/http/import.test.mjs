// tas import outcomes and tas toolkit load: a file with bad rows is refused
// as a whole, naming each bad line and why; a dry run writes nothing; an
// import is all or nothing, and the same rows twice are refused; toolkit
// definitions load once per version.  Pupils' UPNs come from the demo
// authority through the JSON API (the server and the command share the
// database file).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startServer, Client, runTas } from './harness.mjs';

let srv;
let upns = [];

const ATT = 'upn,term_start,term_end,sessions_possible,sessions_missed';

async function csv(name, lines) {
  const file = path.join(srv.dir, name);
  await writeFile(file, `${lines.join('\r\n')}\r\n`);
  return file;
}

function importArgs(file, kind = 'attendance', extra = []) {
  return ['import', 'outcomes', '--db', srv.db, '--kind', kind, '--csv', file, ...extra];
}

before(async () => {
  srv = await startServer();
  const c = new Client(srv.base);
  await c.signIn('coordinator');
  const res = await c.request('/api/v1/pupils?per_page=3');
  assert.equal(res.status, 200);
  upns = (await res.json()).pupils.map((p) => p.upn);
  assert.equal(upns.length, 3);
});

after(async () => { await srv?.stop(); });

test('bad rows are named by line and reason, in line order, and nothing is imported', async () => {
  const file = await csv('bad.csv', [
    ATT,
    `${upns[0]},2025-09-03,2025-12-19,140,14`,
    `${upns[1]},2025-09-03,2025-12-19,140,141`,        // more missed than possible
    'Z999999999999,2025-09-03,2025-12-19,140,1',       // no such pupil
    `${upns[2]},2025-09-32,2025-12-19,140,1`,          // not a date
    `${upns[0]},2025-09-03,2025-12-19,140,14`,         // the same as line 2
    `${upns[2]},2025-09-03,2025-12-19`,                // too few columns
    `${upns[2]},2026-01-05,2026-03-27,120,"6`,         // a stray quote
  ]);
  const r = await runTas(importArgs(file));
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.deepEqual(lines.slice(0, 6).map((l) => l.match(/^line (\d+): (\S+):/).slice(1, 3)), [
    ['3', 'sessions_missed'], ['4', 'upn'], ['5', 'date'], ['6', 'row'], ['7', 'row'], ['8', 'row'],
  ]);
  assert.match(lines[0], /from 0 to the sessions possible/);
  assert.match(lines[3], /earlier line/);
  assert.match(lines.at(-1), /nothing was imported/);
});

test('a wrong header or an unknown kind is refused', async () => {
  const file = await csv('header.csv', ['upn,start,end', `${upns[0]},2025-09-03,2025-12-19`]);
  const r = await runTas(importArgs(file));
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^line 1: header:/m);
  const k = await runTas(importArgs(file, 'detentions'));
  assert.equal(k.code, 2);
  assert.match(k.stderr, /unknown kind detentions/);
});

test('a dry run writes nothing; the import writes every row; the same rows again are refused', async () => {
  const good = await csv('good.csv', [
    ATT,
    `${upns[0]},2025-09-03,2025-12-19,140,14`,
    `${upns[1]},03/09/2025,19/12/2025,140,30`,         // the UK date form MIS exports use
    `${upns[1]},2026-01-05,2026-03-27,120,6`,
  ]);
  // Nothing of the refused file above was written: the same first row is
  // not "already stored".
  for (let i = 0; i < 2; i++) {
    const dry = await runTas(importArgs(good, 'attendance', ['--dry-run']));
    assert.equal(dry.code, 0, dry.stdout + dry.stderr);
    assert.match(dry.stdout, /dry run: 3 attendance records for 2 pupils would be imported; nothing was written/);
    // How far it has got, on standard error: read, then checked; a dry run writes nothing.
    assert.match(dry.stderr, /^tas: outcomes: 100% \(3 rows\)$/m);
    assert.match(dry.stderr, /^tas: outcomes: 3 of 3 rows checked$/m);
    assert.doesNotMatch(dry.stderr, /written/);
  }
  const real = await runTas(importArgs(good));
  assert.equal(real.code, 0, real.stdout + real.stderr);
  assert.match(real.stdout, /imported 3 attendance records for 2 pupils/);
  assert.match(real.stderr, /^tas: outcomes: 3 of 3 rows checked\ntas: outcomes: 3 of 3 rows written$/m);
  const again = await runTas(importArgs(good));
  assert.equal(again.code, 1);
  assert.deepEqual([...again.stdout.matchAll(/^line (\d+): row: this record is already stored$/gm)].map((m) => m[1]),
    ['2', '3', '4']);
});

test('other kinds: suspensions with DfE reason codes, AP placements with an open end', async () => {
  const susp = await csv('susp.csv', [
    'upn,start_date,sessions,reason',
    `${upns[2]},2025-11-10,4,DB`,
    `${upns[2]},2025-12-01,2,OT`,                      // "Other" is no longer a DfE reason
  ]);
  const r = await runTas(importArgs(susp, 'suspension'));
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^line 3: code: The reason must be a DfE reason code/m);
  assert.doesNotMatch(r.stdout, /^line 2:/m);
  const ap = await csv('ap.csv', ['upn,start_date,return_date', `${upns[2]},2026-02-02,`]);
  const ok = await runTas(importArgs(ap, 'ap_placement'));
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
});

test('toolkit load: the built-in definitions once, a bad file named by line, versions only go up', async () => {
  const first = await runTas(['toolkit', 'load', '--db', srv.db, '--builtin']);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /built-in toolkits: 2 loaded/);
  const second = await runTas(['toolkit', 'load', '--db', srv.db, '--builtin', 'toolkits']);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /built-in toolkits: 0 loaded/);
  assert.match(second.stdout, /already loaded: early-concerns version 1/);
  const bad = path.join(srv.dir, 'bad.tk');
  await writeFile(bad, 'toolkit | mine | 1 | Mine\nscale | yn | 0 = No | 1 = Yes\nitem | a | yn | Before any section\n');
  const b = await runTas(['toolkit', 'load', '--db', srv.db, bad]);
  assert.equal(b.code, 1);
  assert.match(b.stdout, /bad\.tk: line 3: item: An item must follow a section line/);
  const older = path.join(srv.dir, 'older.tk');
  await writeFile(older, 'toolkit | early-concerns | 1 | Changed\nscale | yn | 0 = No | 1 = Yes\n'
    + 'section | s | S\nitem | a | yn | A\nband | 0 | low | Low\n');
  const o = await runTas(['toolkit', 'load', '--db', srv.db, older]);
  assert.equal(o.code, 1);
  assert.match(o.stderr, /raise its version/);
  const list = await runTas(['toolkit', 'list', '--db', srv.db]);
  assert.deepEqual(list.stdout.trim().split('\n').map((l) => l.split('\t').slice(0, 2)),
    [['behaviour-vulnerability', '1'], ['early-concerns', '1']]);
});
