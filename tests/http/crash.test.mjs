// Whole after a crash: audited reads answered while the server is killed
// (SIGKILL, no chance to tidy up) each left their audit entry, the log's
// chain verifies afterwards, and the server starts again on the same file.
// Audit entries of concurrent requests are group-committed
// (service/svc_audit.c); a response may only go out once its entry is
// durable, so no answered view can be missing from the log.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { startServer, Client, tasBin } from './harness.mjs';

let srv;
after(async () => { if (srv) await srv.stop(); });

function sql(q) {
  return execFileSync('sqlite3', ['-batch', srv.db, q], { encoding: 'utf8' }).trim();
}

test('every audited view answered before a SIGKILL is in the log, and the chain verifies', async () => {
  srv = await startServer({ seed: 9, extraArgs: ['--quiet', '--threads', '8'] });
  const c = new Client(srv.base);
  const res = await c.postJson('/api/v1/sign-in', { username: 'coordinator', password: 'demo-password' });
  assert.equal(res.status, 200);
  const list = await (await c.request('/api/v1/pupils?per_page=50')).json();
  const ids = list.pupils.map((p) => p.id);
  assert.ok(ids.length >= 10, 'the demo authority has pupils');
  const before = Number(sql("SELECT coalesce(max(id), 0) FROM audit_log"));

  // 400 views in flight at once; the server is killed once 100 have been
  // answered, so some are answered, some cut off.
  const N = 400;
  let answered = 0;
  let killed = false;
  const ok = [];
  await Promise.allSettled(Array.from({ length: N }, (_, i) =>
    c.request(`/api/v1/pupils/${ids[i % ids.length]}`).then(async (r) => {
      await r.arrayBuffer();
      if (r.status === 200) ok.push(i);
      if (++answered === 100 && !killed) {
        killed = true;
        srv.proc.kill('SIGKILL');
      }
    })));
  assert.ok(killed, 'the server was killed mid-load');
  assert.ok(ok.length >= 100, `answered ${ok.length}`);
  await new Promise((resolve) => (srv.proc.exitCode !== null || srv.proc.signalCode
    ? resolve() : srv.proc.once('close', resolve)));

  const views = Number(sql(`SELECT count(*) FROM audit_log WHERE id > ${before} AND action = 'view'`
    + " AND resource_kind = 'pupil'"));
  assert.ok(views >= ok.length, `${ok.length} views answered but only ${views} in the log`);
  const ids2 = sql(`SELECT id FROM audit_log WHERE id > ${before} ORDER BY id`).split('\n').map(Number);
  assert.deepEqual(ids2, Array.from({ length: ids2.length }, (_, i) => before + 1 + i), 'no gaps');
  const v = spawnSync(tasBin(), ['audit', 'verify', '--db', srv.db], { encoding: 'utf8' });
  assert.equal(v.status, 0, v.stderr);
  assert.match(v.stdout, /intact/);

  // The same file serves again.
  const again = await startServer({ db: srv.db, extraArgs: ['--quiet'] });
  try {
    const c2 = new Client(again.base);
    const r2 = await c2.postJson('/api/v1/sign-in', { username: 'coordinator', password: 'demo-password' });
    assert.equal(r2.status, 200);
    assert.equal((await c2.request(`/api/v1/pupils/${ids[0]}`)).status, 200);
  } finally {
    await again.stop();
  }
});
