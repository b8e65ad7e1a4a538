// A PostgreSQL connection lost under tas (the server restarted, failed over,
// or its backends terminated): the request that meets the loss fails, the
// connection is made again when it goes back to the pool, and the requests
// after it are answered.  Before, every connection stayed dead until tas was
// restarted.  PostgreSQL only.
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
  const killed = Number(dbSql(srv.db, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid()`));
  assert.ok(killed >= 1, 'tas held connections to drop');
  const statuses = [];
  for (let i = 0; i < 60; i++) statuses.push((await c.get(`/api/v1/pupils?per_page=${(i % 7) + 1}`)).status);
  const failed = statuses.filter((s) => s !== 200);
  assert.ok(failed.every((s) => s === 500), `a lost connection is a server error, not a refusal: ${failed}`);
  assert.ok(failed.length <= killed, `${failed.length} failed of ${killed} connections dropped`);
  assert.deepEqual(statuses.slice(-20), Array(20).fill(200), 'answered again');
  // Every connection the server holds is a live one again.
  const live = Number(dbSql(srv.db, `SELECT count(*) FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid()`));
  assert.ok(live >= 1);
});
