// The dashboard's reads on a streaming replica (tas serve --read-db, issue
// 18 item 6).  A hot standby of the test server (scripts/pg.sh standby:
// pg_basebackup -R, WAL streamed) serves a second tas's dashboards while it
// holds every change the primary does (the records' and the rollup's
// generations), and the primary serves them otherwise.  X-Read-From says
// which.  The figures are the primary's exactly, and a standby whose replay
// is paused is not read.  PostgreSQL only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startServer, Client, dbSql, ON_POSTGRES } from './harness.mjs';

const skip = ON_POSTGRES ? false : 'a streaming replica is PostgreSQL\'s';
let srv, twin, standbyDb, clusterDir;
let seq = 0;

// The same database on the standby: the URL with the standby's port.
function onStandby(url, standbyBase) {
  const port = new URL(standbyBase).port;
  const u = new URL(url);
  u.port = port;
  return u.toString();
}

async function until(what, fn) {
  for (let i = 0; i < 300; i++) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function signIn(server, username) {
  const c = new Client(server.base);
  const res = await c.postJson('/api/v1/sign-in', { username, password: 'demo-password' });
  assert.equal(res.status, 200);
  c.csrf = (await res.json()).csrf;
  return c;
}

// A dashboard not asked for before (a cache would answer a repeat without
// reading anything): the whole school year, ending a day earlier each time.
function freshQuery() {
  seq += 1;
  const to = new Date(Date.UTC(2025, 7, 31 - seq)).toISOString().slice(0, 10);
  return `/api/v1/dashboard?from=2024-09-01&to=${to}`;
}

async function dashboard(c, q) {
  const res = await c.get(q);
  const text = await res.text();
  assert.equal(res.status, 200, text.slice(0, 300));
  return { from: res.headers.get('x-read-from'), text };
}

before(async () => {
  if (skip) return;
  srv = await startServer({ extraArgs: ['--rollup-every', '0'] });
  clusterDir = path.dirname(process.env.PGPASSFILE);
  const base = execFileSync('scripts/pg.sh', ['standby', clusterDir], { encoding: 'utf8' }).trim();
  standbyDb = onStandby(srv.db, base);
  // The standby has the test's database once it has replayed its creation.
  await until('the standby to hold the database', () => {
    try { return Number(dbSql(standbyDb, 'SELECT count(*) FROM users')) > 0; } catch { return false; }
  });
  twin = await startServer({ db: srv.db, extraArgs: ['--read-db', standbyDb, '--rollup-every', '0'] });
});

after(async () => {
  if (standbyDb) {
    try { dbSql(standbyDb, 'SELECT pg_wal_replay_resume()'); } catch { /* already running */ }
  }
  await Promise.all([twin, srv].filter(Boolean).map((s) => s.stop()));
  // Not left replaying the tests that follow.
  if (clusterDir) execFileSync('scripts/pg.sh', ['standby-stop', clusterDir]);
});

test('a current replica answers the dashboard, with the primary\'s figures exactly', { skip }, async () => {
  const c = await signIn(twin, 'coordinator');
  const p = await signIn(srv, 'coordinator');
  let q;
  let got;
  await until('the replica to be read', async () => {
    q = freshQuery();
    got = await dashboard(c, q);
    return got.from === 'replica';
  });
  const primary = await dashboard(p, q);
  assert.equal(primary.from, null, 'a server without --read-db says nothing');
  assert.equal(got.text, primary.text, 'the same JSON, byte for byte');
});

test('a replica behind the primary is not read, and is again once it has caught up', { skip }, async () => {
  const c = await signIn(twin, 'coordinator');
  await until('the replica to be read', async () => (await dashboard(c, freshQuery())).from === 'replica');
  dbSql(standbyDb, 'SELECT pg_wal_replay_pause()');
  await until('replay to pause', () => dbSql(standbyDb, 'SELECT pg_get_wal_replay_pause_state()').trim() === 'paused');
  // A change made through tas: the standby does not have it.
  const list = await c.get('/api/v1/pupils?per_page=1');
  const pupil = (await list.json()).pupils[0];
  const put = await c.request(`/api/v1/pupils/${pupil.id}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', 'x-csrf-token': c.csrf },
    body: JSON.stringify({ ...pupil, school_id: pupil.school.id, forenames: 'Replayed' }),
  });
  assert.equal(put.status, 200, await put.text());
  for (let i = 0; i < 3; i++) assert.equal((await dashboard(c, freshQuery())).from, 'primary');
  dbSql(standbyDb, 'SELECT pg_wal_replay_resume()');
  await until('the replica to be read again', async () => (await dashboard(c, freshQuery())).from === 'replica');
  assert.equal(dbSql(standbyDb, `SELECT forenames FROM pupils WHERE id = ${Number(pupil.id)}`).trim(), 'Replayed');
});
