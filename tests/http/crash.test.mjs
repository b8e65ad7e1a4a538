// Whole after a crash: audited reads answered while the server is killed
// (SIGKILL, no chance to tidy up) each left their audit entry, the log's
// chain verifies afterwards, and the server starts again on the same file;
// under a write load, every acknowledged write is there after the kill,
// nothing unacknowledged is half there, and the rollup still verifies.
// Audit entries of concurrent requests are group-committed
// (service/svc_audit.c); a response may only go out once its entry is
// durable, so no answered view can be missing from the log.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, Client, tasBin, newPupilJson, dbSql } from './harness.mjs';

let srv;
after(async () => { if (srv) await srv.stop(); });

function tas(args) {
  return spawnSync(tasBin(), args, { encoding: 'utf8', timeout: 120000 });
}

/** Waits until the killed server has gone. */
function gone(s) {
  return new Promise((resolve) => (s.proc.exitCode !== null || s.proc.signalCode
    ? resolve() : s.proc.once('close', resolve)));
}

function sql(q) {
  return dbSql(srv.db, q);
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
  await gone(srv);

  const views = Number(sql(`SELECT count(*) FROM audit_log WHERE id > ${before} AND action = 'view'`
    + " AND resource_kind = 'pupil'"));
  assert.ok(views >= ok.length, `${ok.length} views answered but only ${views} in the log`);
  const ids2 = sql(`SELECT id FROM audit_log WHERE id > ${before} ORDER BY id`).split('\n').map(Number);
  assert.deepEqual(ids2, Array.from({ length: ids2.length }, (_, i) => before + 1 + i), 'no gaps');
  const v = tas(['audit', 'verify', '--db', srv.db]);
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

test('under a write load, every acknowledged write survives a SIGKILL, whole, and the rollup verifies', async () => {
  const w = await startServer({ seed: 11, year: true, extraArgs: ['--quiet', '--threads', '8'] });
  try {
    const c = new Client(w.base);
    const res = await c.postJson('/api/v1/sign-in', { username: 'coordinator', password: 'demo-password' });
    assert.equal(res.status, 200);
    const csrf = (await res.json()).csrf;
    const school = Number(dbSql(w.db, 'SELECT min(id) FROM schools'));
    const sqlW = (q) => dbSql(w.db, q);
    const before = Number(sqlW('SELECT coalesce(max(id), 0) FROM pupils'));

    // 300 creates, 16 at a time; the kill comes after the 120th answer.
    const acked = new Map();   // upn -> id
    let answered = 0;
    let next = 0;
    const N = 300;
    const worker = async () => {
      while (next < N) {
        const n = 700000 + next++;
        const body = newPupilJson(n, school);
        try {
          const r = await c.request('/api/v1/pupils', {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
            body: JSON.stringify(body),
          });
          const j = await r.json();
          if (r.status === 201) acked.set(body.upn, j.pupil.id);
          if (++answered === 120) w.proc.kill('SIGKILL');
        } catch {
          return;   // the connection died with the server
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    await gone(w);
    assert.ok(acked.size >= 100, `acknowledged ${acked.size}`);

    for (const [upn, id] of acked) {
      assert.equal(sqlW(`SELECT upn FROM pupils WHERE id = ${Number(id)}`), upn, `acknowledged pupil ${id}`);
    }
    // Whatever was written, acknowledged or not, is whole: every new pupil
    // has the audit entry of its creation (they commit together).
    const orphans = sqlW(`SELECT count(*) FROM pupils p WHERE p.id > ${before} AND NOT EXISTS`
      + " (SELECT 1 FROM audit_log a WHERE a.resource_kind = 'pupil' AND a.resource_id = p.id"
      + " AND a.action = 'create')");
    assert.equal(orphans, '0');
    let r = tas(['audit', 'verify', '--db', w.db]);
    assert.equal(r.status, 0, r.stderr);
    r = tas(['rollup', '--db', w.db, 'verify']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
  } finally {
    await w.stop();
  }
});
