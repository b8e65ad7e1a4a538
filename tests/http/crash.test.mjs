// Whole after a crash: audited reads answered while the server is killed
// (SIGKILL, no chance to tidy up) each left their audit entry, the log's
// chain verifies afterwards, and the server starts again on the same file;
// under a write load, every acknowledged write is there after the kill,
// nothing unacknowledged is half there, and the rollup still verifies; a
// file import killed while its job reads it leaves all of it or none.
// Audit entries of concurrent requests are group-committed
// (service/svc_audit.c); a response may only go out once its entry is
// durable, so no answered view can be missing from the log.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, Client, tasBin, newPupilJson, dbSql } from './harness.mjs';
import { establishment, giasCsv } from './gias_fixture.mjs';

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
    // has the audit entry of its creation (they commit together; where
    // writers run side by side the entry may still wait for its seal,
    // which the next start gives it).
    const orphans = (entries) => sqlW(`SELECT count(*) FROM pupils p WHERE p.id > ${before} AND NOT EXISTS`
      + ` (SELECT 1 FROM ${entries} a WHERE a.resource_kind = 'pupil' AND a.resource_id = p.id`
      + " AND a.action = 'create')");
    assert.equal(orphans('(SELECT resource_kind, resource_id, action FROM audit_log UNION ALL'
      + ' SELECT resource_kind, resource_id, action FROM audit_pending)'), '0');
    let r = tas(['audit', 'verify', '--db', w.db]);
    assert.equal(r.status, 0, r.stderr);
    r = tas(['rollup', '--db', w.db, 'verify']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const again = await startServer({ db: w.db, extraArgs: ['--quiet'] });
    await again.stop();
    assert.equal(sqlW('SELECT count(*) FROM audit_pending'), '0');
    assert.equal(orphans('audit_log'), '0');
    r = tas(['audit', 'verify', '--db', w.db]);
    assert.equal(r.status, 0, r.stderr);
  } finally {
    await w.stop();
  }
});

test('a GIAS import killed while its job reads the file leaves all of the file or none of it', async () => {
  const w = await startServer({ extraArgs: ['--quiet'] });
  try {
    const c = new Client(w.base);
    await c.signIn('coordinator');
    const la = (await (await c.request('/api/v1/authorities')).json()).authorities[0].la_code;
    const N = 60000;
    const rows = [];
    for (let i = 0; i < N; i++) rows.push(establishment(150000 + i, la));
    const text = giasCsv(rows);
    const page = await c.getHtml('/schools/import');
    const csrf = page.html.match(/name="csrf" value="([^"]+)"/)[1];
    const send = (fields) => {
      const form = new FormData();
      for (const [k, v] of Object.entries({ csrf, ...fields })) form.append(k, v);
      form.append('file', new Blob([text], { type: 'text/csv' }), 'edubasealldata.csv');
      return c.request('/schools/import', { method: 'POST', headers: { origin: c.base }, body: form });
    };
    // Checked first, as the page asks, then imported, and the server killed
    // as soon as the import's job has been started.
    const check = await send({ step: 'check' });
    assert.equal(check.status, 303);
    let html;
    for (let i = 0; i < 3000; i++) {
      html = await (await c.request(check.headers.get('location'))).text();
      if (!html.includes('data-tas-refresh')) break;
      await new Promise((ok) => setTimeout(ok, 10));
    }
    const mark = html.match(/name="checked" value="([0-9a-f]{64})"/)[1];
    const started = await send({ step: 'import', checked: mark });
    assert.equal(started.status, 303);
    w.proc.kill('SIGKILL');
    await gone(w);
    const sqlW = (q) => dbSql(w.db, q);
    const added = Number(sqlW("SELECT count(*) FROM schools WHERE urn >= '850000' AND urn < '910000'"));
    assert.ok(added === 0 || added === N, `${added} of the file's ${N} schools: half an import`);
    const entry = Number(sqlW("SELECT count(*) FROM audit_log WHERE action = 'import' AND detail LIKE 'gias import:%'"));
    assert.equal(entry, added ? 1 : 0, 'the import and its audit entry are one');
    const r = tas(['audit', 'verify', '--db', w.db]);
    assert.equal(r.status, 0, r.stderr);
  } finally {
    await w.stop();
  }
});
