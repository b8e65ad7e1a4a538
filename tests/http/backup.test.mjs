// tas backup and tas restore: a copy taken while the server takes writes
// is consistent (every write acknowledged before it began is in it, and
// every pupil in it has its audit entry), restores to a database that
// verifies and serves; and the refusals say why.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync, copyFileSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { startServer, Client, tasBin, newPupilJson, sqliteFileOnly, ON_POSTGRES } from './harness.mjs';

let srv;
before(async () => { srv = await startServer({ seed: 13, extraArgs: ['--quiet', '--threads', '8'] }); });
after(async () => { if (srv) await srv.stop(); });

const sqlOn = (db, q) => execFileSync('sqlite3', ['-cmd', '.timeout 10000', '-batch', db, q], { encoding: 'utf8' }).trim();
const tas = (args, env = {}) => spawnSync(tasBin(), args,
  { encoding: 'utf8', timeout: 120000, env: { ...process.env, ...env } });

/** Runs tas to completion without blocking the event loop (the load goes on). */
function tasAsync(args) {
  return new Promise((resolve) => {
    const p = spawn(tasBin(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    p.on('close', (status) => resolve({ status, stdout: out, stderr: err }));
  });
}

const FILE_ONLY = { skip: sqliteFileOnly('tas backup and restore copy a SQLite file') };

test('a backup taken under writes is consistent, and restores to a database that verifies and serves', FILE_ONLY, async () => {
  const c = new Client(srv.base);
  const res = await c.postJson('/api/v1/sign-in', { username: 'coordinator', password: 'demo-password' });
  assert.equal(res.status, 200);
  const csrf = (await res.json()).csrf;
  const school = Number(sqlOn(srv.db, 'SELECT min(id) FROM schools'));
  const backup = path.join(srv.dir, 'copy.db');

  const ackedAt = [];   // [id, ms when acknowledged]
  let answered = 0;
  let next = 0;
  let backupStarted = null;
  let backupRun = null;
  const N = 240;
  const worker = async () => {
    while (next < N) {
      const n = 800000 + next++;
      const r = await c.request('/api/v1/pupils', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify(newPupilJson(n, school)),
      });
      const j = await r.json();
      assert.equal(r.status, 201, JSON.stringify(j));
      ackedAt.push([j.pupil.id, performance.now()]);
      if (++answered === 80) {
        backupStarted = performance.now();
        backupRun = tasAsync(['backup', '--db', srv.db, '--to', backup, '--with-key']);
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  const b = await backupRun;
  assert.equal(b.status, 0, b.stderr);
  assert.match(b.stdout, /backed up .* pages, checked/);
  assert.equal(statSync(backup).mode & 0o777, 0o600);
  assert.equal(statSync(`${backup}.key`).mode & 0o777, 0o600);
  assert.ok(!existsSync(`${backup}-wal`), 'one self-contained file');

  // Everything acknowledged before the backup began is in it.
  const inCopy = new Set(sqlOn(backup, 'SELECT id FROM pupils').split('\n').map(Number));
  const ackedBefore = ackedAt.filter(([, t]) => t < backupStarted).map(([id]) => id);
  assert.ok(ackedBefore.length >= 80);
  for (const id of ackedBefore) assert.ok(inCopy.has(id), `pupil ${id} acknowledged before the backup`);
  // One moment's picture: no pupil without the audit entry of its creation.
  assert.equal(sqlOn(backup, "SELECT count(*) FROM pupils p WHERE NOT EXISTS (SELECT 1 FROM audit_log a"
    + " WHERE a.resource_kind = 'pupil' AND a.resource_id = p.id AND a.action = 'create')"
    + " AND p.id > (SELECT min(id) FROM pupils WHERE surname LIKE 'Pupil8%')"), '0');

  const restored = path.join(srv.dir, 'restored.db');
  const r = tas(['restore', '--from', backup, '--db', restored]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /restored .* audit log intact: \d+ entries verified/);
  assert.equal(sqlOn(restored, 'PRAGMA journal_mode'), 'wal');
  assert.equal(sqlOn(restored, 'SELECT count(*) FROM pupils'), String(inCopy.size));
  assert.equal(tas(['rollup', '--db', restored, 'verify']).status, 0);

  const again = await startServer({ db: restored, extraArgs: ['--quiet'] });
  try {
    const c2 = new Client(again.base);
    const r2 = await c2.postJson('/api/v1/sign-in', { username: 'coordinator', password: 'demo-password' });
    assert.equal(r2.status, 200);
    assert.equal((await c2.request(`/api/v1/pupils/${ackedBefore[0]}`)).status, 200);
  } finally {
    await again.stop();
  }
});

test('backup and restore refuse what would lose or mislead, and say why', FILE_ONLY, () => {
  const dir = srv.dir;
  const copy = path.join(dir, 'refusals.db');
  let r = tas(['backup', '--db', path.join(dir, 'missing.db'), '--to', copy]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no database/);
  assert.ok(!existsSync(path.join(dir, 'missing.db')), 'a missing database is not created');

  r = tas(['backup', '--db', srv.db, '--to', copy]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /not in the copy: keep it safe apart/);
  r = tas(['backup', '--db', srv.db, '--to', copy]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /File exists/);

  // Without any key the restored audit log could not be verified: refused first.
  const target = path.join(dir, 'target.db');
  r = tas(['restore', '--from', copy, '--db', target]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no server key/);
  assert.ok(!existsSync(target));

  // With the wrong key it restores but says the log does not verify.
  writeFileSync(`${copy}.key`, `${'ab'.repeat(32)}\n`, { mode: 0o600 });
  r = tas(['restore', '--from', copy, '--db', target]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /does not verify .* was this the key used with the backup/);

  // The right key beside the target, but a different one beside the copy: refused.
  unlinkSync(`${target}.key`);
  copyFileSync(`${srv.db}.key`, `${target}.key`);
  r = tas(['restore', '--from', copy, '--db', target, '--force']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /differ/);
  unlinkSync(`${copy}.key`);

  // An existing database is not replaced without --force; with it, it is.
  r = tas(['restore', '--from', copy, '--db', target]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /exists: stop tas serve/);
  r = tas(['restore', '--from', copy, '--db', target, '--force']);
  assert.equal(r.status, 0, r.stderr);

  // Not a database: refused, and nothing left behind.
  const junk = path.join(dir, 'junk.db');
  writeFileSync(junk, 'not a database');
  const t2 = path.join(dir, 't2.db');
  r = tas(['restore', '--from', junk, '--db', t2], { TAS_SECRET_KEY: 'ab'.repeat(32) });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /not a database/);
  assert.ok(!existsSync(t2));

  assert.equal(tas(['backup', '--db', srv.db]).status, 2);
  assert.equal(tas(['restore', '--db', target]).status, 2);
});

test('a database server is refused: its own tools back it up', { skip: !ON_POSTGRES && 'runs on PostgreSQL' }, () => {
  for (const args of [['backup', '--db', srv.db, '--to', path.join(srv.dir, 'pg.db')],
    ['restore', '--from', path.join(srv.dir, 'pg.db'), '--db', srv.db, '--force']]) {
    const r = tas(args);
    assert.equal(r.status, 1, args[0]);
    assert.match(r.stderr, /is a database server, not a file: use its own tools \(pg_dump/);
    assert.ok(!existsSync(path.join(srv.dir, 'pg.db')), 'no file made');
  }
});
