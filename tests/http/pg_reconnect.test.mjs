// A PostgreSQL connection lost under tas (the server restarted, failed over,
// or its backends terminated): one that sat unused in the pool is made again
// before it is lent (store_pg.c pg_begin_use); one in use fails its request
// and is made again when it goes back.  Before, every connection stayed
// dead until tas was restarted, and later one that sat unused failed the
// first request that drew it, however long after.  PostgreSQL only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, dbSql, ON_POSTGRES } from './harness.mjs';

const skip = ON_POSTGRES ? false : 'SQLite has no connection to lose';
let srv;

before(async () => {
  if (skip) return;
  srv = await startServer();
});

after(async () => { await srv?.stop({ expectExitZero: true }); });

test('connections the server dropped are made again, and tas goes on answering', { skip }, async () => {
  const c = new Client(srv.base);
  const res = await c.postJson('/api/v1/sign-in', { username: 'coordinator', password: 'demo-password' });
  assert.equal(res.status, 200);
  for (let i = 0; i < 5; i++) assert.equal((await c.get(`/api/v1/pupils?per_page=${i + 1}`)).status, 200);
  const others = `datname = current_database() AND pid <> pg_backend_pid()`;
  const pids = dbSql(srv.db, `SELECT string_agg(pid::text, ',') FROM pg_stat_activity WHERE ${others}`);
  assert.match(pids, /^\d+(,\d+)*$/, 'tas held connections to drop');
  const killed = Number(dbSql(srv.db, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
    WHERE pid IN (${pids})`));
  assert.ok(killed >= 1);
  // Until every one of those backends has gone, so its socket is closed.
  for (let i = 0; i < 200 && dbSql(srv.db, `SELECT count(*) FROM pg_stat_activity WHERE pid IN (${pids})`) !== '0'; i++)
    await new Promise((r) => setTimeout(r, 50));
  // Sixteen at a time, so that connections other than the first are lent.
  const statuses = [];
  for (let round = 0; round < 4; round++) {
    const batch = Array.from({ length: 16 }, (_, i) => c.get(`/api/v1/pupils?per_page=${((round * 16 + i) % 7) + 1}`));
    for (const r of await Promise.all(batch)) statuses.push(r.status);
  }
  assert.deepEqual(statuses, Array(64).fill(200), 'every connection the server ended while unused is made again before use');
  // Every connection the server holds is a live one again.
  const live = Number(dbSql(srv.db, `SELECT count(*) FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid()`));
  assert.ok(live >= 1);
});
