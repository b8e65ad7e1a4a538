// The dashboard's rollup rebuilt without holding writers up (issue 18 item
// 4, migration 0037), on PostgreSQL: a slice is claimed in a short write,
// built in a transaction that takes no write lock, then released.  A
// trigger made for the test holds the build until the test opens a gate
// (no timing: the order is forced); meanwhile
// an audited request (its audit entry a write under the write lock) is
// answered, and a change to the slice's records marks it stale again, so
// the change is not lost when the build ends.  SQLite has one writer at a
// time: there the rebuild is one write transaction, as before.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, dbScript, dbSql, runTas, ON_POSTGRES } from './harness.mjs';
import { dashboardFixture } from './dashboard_fixture.mjs';

const skip = ON_POSTGRES ? false : 'SQLite runs one writer at a time: its rebuild is one write transaction';
const A = 900;   // Testshire, as in dashboard_cache.test.mjs
let srv;

before(async () => {
  if (skip) return;
  srv = await startServer({ extraArgs: ['--rollup-every', '0'] });
  dbScript(srv.db, dashboardFixture(A));
  // Held, once per token in tas_test_hold, at the first statement of a
  // slice's build (its old rows deleted) until the gate opens: the gate is
  // a sequence, whose value a transaction sees change whatever its
  // snapshot.  Two minutes at most, so a broken test cannot hang.
  dbScript(srv.db, `
    CREATE TABLE tas_test_hold (token INTEGER PRIMARY KEY);
    CREATE SEQUENCE tas_test_gate;
    CREATE FUNCTION tas_test_hold() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM tas_test_hold) THEN
        DELETE FROM tas_test_hold;
        FOR i IN 1..2400 LOOP
          EXIT WHEN (SELECT last_value FROM tas_test_gate) > 1;
          PERFORM pg_sleep(0.05);
        END LOOP;
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER tas_test_hold AFTER DELETE ON dash_rollup FOR EACH STATEMENT EXECUTE FUNCTION tas_test_hold();`);
});

after(async () => { await srv?.stop(); });

const count = (sql) => Number(dbSql(srv.db, sql));

// Waits until sql counts at least one row (the claim committed), up to 20 s.
async function until(sql) {
  for (let i = 0; i < 400; i++) {
    if (count(sql) > 0) return;
    await new Promise((ok) => setTimeout(ok, 50));
  }
  assert.fail(`never: ${sql}`);
}

test('a rebuild holds no writer up, and a change made while it runs leaves its slice stale', { skip }, async () => {
  const month = dbSql(srv.db, `SELECT min(substr(m.meeting_date, 1, 7)) FROM meetings m JOIN teams t ON t.id = m.team_id
                               WHERE t.authority_id = ${A} AND m.status = 'held'`);
  assert.match(month, /^\d{4}-\d{2}$/);
  const [y, m] = month.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const range = `from=${month}-01&to=${month}-${last}&authority_id=${A}`;
  const viewer = new Client(srv.base);
  assert.equal((await viewer.signIn('steering')).status, 303);
  const writer = new Client(srv.base);
  assert.equal((await writer.signIn('coordinator')).status, 303);
  // The slice fresh, then stale; its build held.
  assert.equal((await viewer.get(`/dashboard?${range}`)).status, 200);
  dbScript(srv.db, `INSERT INTO dash_rollup_stale (authority_id, month) VALUES (${A}, '${month}') ON CONFLICT DO NOTHING;
                    INSERT INTO tas_test_hold (token) VALUES (1);
                    SELECT setval('tas_test_gate', 1);`);
  let viewDone = false;
  const view = viewer.get(`/dashboard?${range}`).then(async (r) => { viewDone = true; return [r.status, await r.text()]; });
  await until(`SELECT count(*) FROM dash_rollup_building WHERE authority_id = ${A} AND month = '${month}'`);
  // While it builds: an audited list (its audit entry takes the write lock)
  // is answered, and a change to the slice's records (here its mark, as a
  // trigger on them would make it) lands.
  const listed = await writer.get('/api/v1/pupils?per_page=1');
  assert.equal(listed.status, 200);
  const building = count(`SELECT count(*) FROM dash_rollup_building WHERE authority_id = ${A}`);
  assert.equal(viewDone, false, 'the audited request was answered only after the rebuild');
  assert.equal(building, 1, 'the rebuild was still running when the audited request was answered');
  // A meeting of the slice cancelled meanwhile (its trigger marks the slice).
  dbScript(srv.db, `UPDATE meetings SET status = 'cancelled' WHERE id = (SELECT min(m.id) FROM meetings m
                      JOIN teams t ON t.id = m.team_id WHERE t.authority_id = ${A} AND m.status = 'held'
                      AND substr(m.meeting_date, 1, 7) = '${month}');`);
  assert.equal(viewDone, false);
  dbScript(srv.db, "SELECT setval('tas_test_gate', 2);");   // the build goes on
  const [status, html] = await view;
  assert.equal(status, 200, html.slice(0, 300));
  assert.equal(count('SELECT count(*) FROM dash_rollup_building'), 0, 'the claim released');
  // The next view builds the slice with the change (the build that was
  // running read the records before it), or finds it built so already.
  assert.equal((await viewer.get(`/dashboard?${range}`)).status, 200);
  assert.equal(count(`SELECT count(*) FROM dash_rollup_stale WHERE authority_id = ${A} AND month = '${month}'`), 0);
  const cancelled = (from) => count(from === 'rollup'
    ? `SELECT coalesce(sum(n4), 0) FROM dash_rollup WHERE dim = 'meetings' AND authority_id = ${A} AND month = '${month}'`
    : `SELECT count(*) FROM meetings m JOIN teams t ON t.id = m.team_id WHERE t.authority_id = ${A}
         AND m.status = 'cancelled' AND m.voided_at IS NULL AND substr(m.meeting_date, 1, 7) = '${month}'`);
  assert.ok(cancelled('records') >= 1);
  assert.equal(cancelled('rollup'), cancelled('records'), 'the change made during the rebuild is in the rollup');
  // The rollup agrees with the records after all this.
  const verify = await runTas(['rollup', '--db', srv.db, 'verify', '--from', `${month}-01`, '--to', `${month}-${last}`]);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  assert.match(verify.stdout, /all authorities: the same figures as the records/);
});
