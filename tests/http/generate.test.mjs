// tas generate: the generated England used to measure the dashboard at
// scale, here at one authority's size: the same seed gives the same data,
// the dashboard's figures match a direct count, and misuse is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runTas, startServer, Client, tasBin, ON_POSTGRES, pgDatabase, dbSql } from './harness.mjs';
import { readdir } from 'node:fs/promises';
import { attack, hiddenCells } from './disclosure_attack.mjs';
import { classSizes } from './extract_classes.mjs';

const GENERATE_MS = 600000;

function sql(db, statement) {
  const r = spawnSync('sqlite3', ['-cmd', '.timeout 10000', '-batch', '-bail', db, statement], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

// Every row tas generate stores, column by column (the columns its bulk
// inserts set, so a later migration adding a column leaves this alone), in
// key order, SQL-quoted so NULL and '' differ.
const GENERATED_ROWS = `
  SELECT id, la_code, name FROM authorities ORDER BY id;
  SELECT id, authority_id, code, name, org_kind FROM services ORDER BY id;
  SELECT id, authority_id, title, kind, audience FROM resources ORDER BY id;
  SELECT id, authority_id, urn, name, phase, tas_member FROM schools ORDER BY id;
  SELECT school_id, dimension, category, pupils FROM school_population ORDER BY school_id, dimension, category;
  SELECT id, authority_id, host_school_id, name, cadence FROM teams ORDER BY id;
  SELECT team_id, school_id FROM team_schools ORDER BY team_id, school_id;
  SELECT team_id, service_id FROM team_members ORDER BY team_id, service_id;
  SELECT id, team_id, meeting_date, start_time, status, mode FROM meetings ORDER BY id;
  SELECT meeting_id, service_id, role, status, guest FROM attendance ORDER BY meeting_id, service_id;
  SELECT id, school_id, upn, forenames, surname, date_of_birth, gender, ethnicity, nc_year, sen_provision
    FROM pupils ORDER BY id;
  SELECT id, pupil_id, team_id, opened_on, summary_before_meeting, ect_completed, prior_sen_support,
    prior_paediatrics, prior_early_help FROM cases ORDER BY id;
  SELECT id, meeting_id, case_id, kind FROM discussions ORDER BY id;
  SELECT id, case_id, discussion_id, description, owner_service_id, setting, nature, resource_id
    FROM actions ORDER BY id;`;

// The SHA-256 of those rows for --scale authority --seed 5, as made by the
// generator before its bulk load was sped up (commit 9b99b1d: every index,
// trigger and check in place during the load).  The faster load must store
// exactly the same rows; a deliberate change to the generator's output
// changes this, and says so in its commit.
const AUTHORITY_SEED5_ROWS = 'ce0a9f66b7ec7b825e4f304375b9a46f2c0dff0747b5c38e924d3a20fe9c7f69';

function rowsDigest(db) {
  const r = spawnSync('sqlite3', ['-cmd', '.timeout 10000', '-batch', '-bail', '-quote', db, GENERATED_ROWS],
    { encoding: 'utf8', maxBuffer: 256 << 20 });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stdout.split('\n').length > 80000, 'every generated row read');
  return createHash('sha256').update(r.stdout).digest('hex');
}

// The whole database as SQL (every table and the planner's statistics),
// less the migrations' own timestamps.
function dumpDigest(db) {
  const r = spawnSync('sqlite3', ['-cmd', '.timeout 10000', '-batch', '-bail', db, '.dump'], { encoding: 'utf8', maxBuffer: 256 << 20 });
  assert.equal(r.status, 0, r.stderr);
  const rows = r.stdout.split('\n').filter((l) => l.startsWith('INSERT INTO') && !l.startsWith('INSERT INTO schema_migrations'));
  assert.ok(rows.length > 80000, `rows in the dump (${rows.length})`);
  return createHash('sha256').update(rows.join('\n')).digest('hex');
}

test('one authority, deterministic, with every kind of record', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'tas-gen-'));
  try {
    const a = path.join(dir, 'a.db');
    // A whole authority: minutes under the sanitised build on a busy
    // machine, so a generous limit (this test is not a timing).
    const r = await runTas(['generate', '--db', a, '--scale', 'authority', '--seed', '5'], { timeoutMs: GENERATE_MS });
    assert.equal(r.code, 0, r.stderr);
    const m = /1 authorities, (\d+) schools, (\d+) meetings, (\d+) cases, (\d+) discussions, (\d+) actions/.exec(r.stdout);
    assert.ok(m, r.stdout);
    const [schools, meetings, cases, discussions, actions] = m.slice(1).map(Number);
    assert.equal(schools, 131);
    assert.equal(meetings, 131 * 12);
    assert.ok(cases >= 131 * 50 && cases <= 131 * 100, `cases ${cases}`);
    assert.ok(actions >= cases && actions <= cases * 6, `actions ${actions}`);
    assert.equal(Number(sql(a, 'SELECT count(*) FROM cases')), cases);
    assert.equal(Number(sql(a, 'SELECT count(*) FROM actions')), actions);
    assert.equal(Number(sql(a, 'SELECT count(*) FROM discussions')), discussions);
    // Outcome records as a school's MIS export gives them, at the generator's
    // rates (gen_case_outcomes): most schools' pupils have five terms of
    // attendance around the day presented, some schools none at all.
    const outcomes = Number(/, (\d+) outcome records/.exec(r.stdout)[1]);
    assert.equal(Number(sql(a, 'SELECT count(*) FROM outcome_records')), outcomes);
    const share = (where) => Number(sql(a, `SELECT count(DISTINCT pupil_id) FROM outcome_records WHERE ${where}`)) / cases;
    const attended = share("kind = 'attendance'");
    assert.ok(attended > 0.65 && attended < 0.95, `pupils with attendance records ${attended}`);
    assert.equal(sql(a, `SELECT count(*) FROM (SELECT pupil_id FROM outcome_records WHERE kind = 'attendance'
      GROUP BY pupil_id HAVING count(*) != 5)`), '0');
    const absence = Number(sql(a, `SELECT 1.0 * sum(sessions_missed) / sum(sessions_possible) FROM outcome_records
      WHERE kind = 'attendance'`));
    assert.ok(absence > 0.07 && absence < 0.15, `share of sessions missed ${absence}`);
    const suspended = share("kind = 'suspension'");
    assert.ok(suspended > 0.03 && suspended < 0.15, `pupils suspended ${suspended}`);
    const fsm = share("kind = 'fsm'");
    assert.ok(fsm > 0.2 && fsm < 0.4, `pupils eligible for free school meals ${fsm}`);
    // Every generated record is one the outcomes import would accept.
    assert.equal(sql(a, `SELECT count(*) FROM outcome_records WHERE (kind = 'attendance') != (sessions_possible IS NOT NULL)
      OR sessions_missed > sessions_possible OR (kind = 'suspension') != (sessions IS NOT NULL)
      OR (ends_on IS NOT NULL AND ends_on < starts_on)`), '0');
    // Every case is brought as new to a held meeting of its own team, once.
    assert.equal(sql(a, `SELECT count(*) FROM cases c WHERE (SELECT count(*) FROM discussions d JOIN meetings m
      ON m.id = d.meeting_id WHERE d.case_id = c.id AND d.kind = 'new' AND m.status = 'held' AND m.team_id = c.team_id) != 1`), '0');
    // The dashboard's rollup is built, no month left stale, and its count
    // of cases presented is the records' count.
    assert.equal(sql(a, 'SELECT count(*) FROM dash_rollup_stale'), '0');
    assert.equal(Number(sql(a, "SELECT sum(n1) FROM dash_rollup WHERE dim = 'cases' AND authority_id > 0")), cases);
    // England's own rows (authority 0) add up the authorities' (here one).
    assert.equal(Number(sql(a, "SELECT sum(n1) FROM dash_rollup WHERE dim = 'cases' AND authority_id = 0")), cases);
    // The benchmark's own checks at this scale: the dashboard from the
    // rollup, from the records and a plain scan agree figure for figure.
    const bench = spawnSync('build/release/bench/dashboard_bench', [a, '1', '2024-09-01', '2025-08-31', 'authority'],
      { encoding: 'utf8' });
    assert.equal(bench.status, 0, bench.stdout + bench.stderr);
    assert.match(bench.stdout, /\(figures agree\)/);
    assert.doesNotMatch(bench.stderr, /MISMATCH/);
    // tas rollup verify compares the two roads; a rollup row edited behind
    // the triggers' back is found and named, and rebuild puts it right.
    const verify = await runTas(['rollup', '--db', a, 'verify'], { timeoutMs: GENERATE_MS });
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    assert.match(verify.stdout, /authority 1: the same figures as the records/);
    assert.match(verify.stdout, /all authorities: the same figures as the records/);
    sql(a, `UPDATE dash_rollup SET n1 = n1 + 1 WHERE dim = 'gender' AND k1 = 'F'
      AND month = (SELECT min(month) FROM dash_rollup WHERE dim = 'gender')`);
    const broken = await runTas(['rollup', '--db', a, 'verify'], { timeoutMs: GENERATE_MS });
    assert.equal(broken.code, 1);
    assert.match(broken.stdout, /authority 1: DIFFERENT from the records: table gender, row "Female"/);
    assert.equal((await runTas(['rollup', '--db', a, 'rebuild'])).code, 0);
    const mended = await runTas(['rollup', '--db', a, 'verify', '--from', '2024-10-01', '--to', '2025-03-31']);
    assert.equal(mended.code, 0, mended.stdout);
    assert.match(mended.stdout, /comparing 2024-10-01 to 2025-03-31/);
    for (const bad of [['verify', '--from', '2025-01-01'], ['verify', '--from', '2025-02-01', '--to', '2025-01-31'],
      ['rebuild', '--from', '2025-01-01', '--to', '2025-01-31'], ['mend'], []]) {
      assert.equal((await runTas(['rollup', '--db', a, ...bad])).code, 2, bad.join(' '));
    }
    await publishedTablesGiveNothingAway(a);
    const b = path.join(dir, 'b.db');
    assert.equal((await runTas(['generate', '--db', b, '--scale', 'authority', '--seed', '5'],
      { timeoutMs: GENERATE_MS })).code, 0);
    const digest = (db) => sql(db, `SELECT group_concat(x, ',') FROM (SELECT phase || count(*) AS x FROM schools GROUP BY phase)
      UNION ALL SELECT sum(length(setting) * id) FROM actions UNION ALL SELECT sum(coalesce(prior_sen_support, 7) * id) FROM cases`);
    assert.equal(digest(a), digest(b));
    // Byte for byte: the rows are the ones made before the load was sped up,
    // the same in both runs, and the whole of b (rollup and statistics
    // included) is what a fresh run gives again.
    assert.equal(rowsDigest(b), AUTHORITY_SEED5_ROWS);
    assert.equal(rowsDigest(a), rowsDigest(b));
    const c = path.join(dir, 'c.db');
    assert.equal((await runTas(['generate', '--db', c, '--scale', 'authority', '--seed', '5'],
      { timeoutMs: GENERATE_MS })).code, 0);
    assert.equal(dumpDigest(c), dumpDigest(b));
    // Loaded without checks, journal or syncs, but whole: integrity and
    // foreign keys hold, the file is back in WAL mode, no temporary is left.
    assert.equal(sql(b, 'PRAGMA integrity_check'), 'ok');
    assert.equal(sql(b, 'PRAGMA foreign_key_check'), '');
    assert.equal(sql(b, 'PRAGMA journal_mode'), 'wal');
    assert.equal(existsSync(`${b}.generating`), false);
    const again = await runTas(['generate', '--db', a, '--scale', 'authority']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already holds data/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

// tas generate --db postgresql://...: the same authority generated into a
// SQLite file and into PostgreSQL gives the same dashboard figures and rows
// (the benchmark's checksums over both), the rollup verifies there, and the
// temporary file it was made in is gone.  In the PostgreSQL group only.
test('generated into PostgreSQL: the same figures and rows as in SQLite', {
  skip: !ON_POSTGRES && 'runs in the PostgreSQL group (TAS_TEST_DB=postgresql)',
}, async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'tas-gen-pg-'));
  const pg = pgDatabase();
  try {
    const file = path.join(dir, 'g.db');
    const temp = path.join(dir, 'tmp');
    await import('node:fs/promises').then((fs) => fs.mkdir(temp));
    const a = await runTas(['generate', '--db', file, '--scale', 'authority', '--seed', '5'], { timeoutMs: GENERATE_MS });
    assert.equal(a.code, 0, a.stderr);
    const b = await runTas(['generate', '--db', pg.url, '--scale', 'authority', '--seed', '5'],
      { timeoutMs: GENERATE_MS, env: { TMPDIR: temp } });
    assert.equal(b.code, 0, b.stderr);
    assert.match(b.stdout, /copied to postgresql:\/\/[^ ]+: \d+ tables, \d+ rows, each table's rows and checksum the same/);
    assert.deepEqual(await readdir(temp), [], 'the temporary SQLite file is removed');
    const cases = Number(/(\d+) cases/.exec(a.stdout)[1]);
    assert.equal(Number(dbSql(pg.url, 'SELECT count(*) FROM cases')), cases);
    const sums = (db) => {
      const r = spawnSync('build/release/bench/dashboard_bench', [db, '1', '2024-09-01', '2025-08-31', 'authority'],
        { encoding: 'utf8', env: process.env });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /\(figures agree\)/);
      return /checksums: figures (\w+), rows (\w+)/.exec(r.stdout).slice(1);
    };
    assert.deepEqual(sums(pg.url), sums(file));
    const verify = await runTas(['rollup', '--db', pg.url, 'verify'], { timeoutMs: GENERATE_MS });
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    assert.match(verify.stdout, /all authorities: the same figures as the records/);
    // Into a database that holds data already: refused, nothing changed.
    const again = await runTas(['generate', '--db', pg.url, '--scale', 'authority', '--seed', '6'],
      { timeoutMs: GENERATE_MS, env: { TMPDIR: temp } });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /nothing was committed/);
    assert.equal(Number(dbSql(pg.url, 'SELECT count(*) FROM cases')), cases);
    assert.deepEqual(await readdir(temp), []);
  } finally {
    pg.drop();
    await rm(dir, { recursive: true, force: true });
  }
});

/* Every published table of the generated authority (the year, each phase,
 * and the first teams, where counts are small): the server's audit and the
 * reader's subtraction (disclosure_attack.mjs) find nothing; and its
 * evaluator's extract is k-anonymous. */
async function publishedTablesGiveNothingAway(db) {
  const add = spawnSync(tasBin(), ['user', 'add', 'auditor', '--db', db, '--name', 'Audit Reader',
    '--role', 'admin', '--scope', 'system'], { input: 'generated-tables-77\n', encoding: 'utf8' });
  assert.equal(add.status, 0, add.stderr);
  const srv = await startServer({ db, extraArgs: ['--quiet', '--rollup-every', '0'] });
  try {
    const c = new Client(srv.base);
    assert.equal((await c.signIn('auditor', 'generated-tables-77')).status, 303);
    let hidden = 0;
    const views = ['', '&phase=primary', '&phase=secondary', ...[1, 2, 3, 4, 5, 6].map((t) => `&team_id=${t}`)];
    for (const extra of views) {
      const res = await c.get(`/api/v1/dashboard?from=2024-09-01&to=2025-08-31&publish=yes${extra}`);
      assert.equal(res.status, 200, extra);
      const pub = await res.json();
      assert.equal(pub.disclosure_check.hidden_cells_worked_out, 0, extra);
      assert.deepEqual(attack(pub), [], `worked out from the published tables${extra}`);
      hidden += hiddenCells(pub).length;
      if (extra === '') {
        // The outcomes table reads the generated outcome records.
        const out = pub.tables.find((t) => t.key === 'outcomes');
        const total = (label) => out.rows.find((r) => r.label === label).cells.find((x) => x.column === 'Total').value;
        assert.ok(total('Cases compared') > 1000, `cases compared ${total('Cases compared')}`);
        const rose = total('Attendance rose') / total('Attendance recorded before and after');
        assert.ok(rose > 0.4 && rose < 0.75, `attendance rose for ${rose}`);
      }
    }
    assert.ok(hidden > 0, 'the team views hide small counts');
    // The evaluator's extract of the whole authority: no group of cases an
    // outsider could single out holds fewer than k.
    const x = await (await c.get('/api/v1/extract/pseudonymised')).json();
    assert.ok(x.count > 1000, `the authority's cases (${x.count})`);
    assert.ok(x.protection.k_achieved >= x.protection.k_requested);
    assert.equal(Math.min(...classSizes(x.rows).values()), x.protection.k_achieved);
  } finally {
    await srv.stop();
  }
}

// Killed part way, generate leaves nothing at the path it was given (the
// half-made database is under a temporary name), and the next run clears
// that temporary away and makes the database.
test('a generate killed part way leaves no database behind', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'tas-gen-kill-'));
  try {
    const db = path.join(dir, 'k.db');
    const child = spawn(tasBin(), ['generate', '--db', db, '--scale', 'national', '--seed', '3'],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    // Killed once the first authorities are in, mid-load.
    await new Promise((resolve, reject) => {
      let err = '';
      child.stderr.on('data', (d) => {
        err += d;
        if (/10\/153 authorities/.test(err))
          resolve();
      });
      child.on('exit', () => reject(new Error(`generate ended before it was killed: ${err}`)));
    });
    child.kill('SIGKILL');
    assert.equal((await exited).signal, 'SIGKILL');
    assert.equal(existsSync(db), false, 'no half-made database at the path');
    assert.equal(existsSync(`${db}.generating`), true);
    const r = await runTas(['generate', '--db', db, '--scale', 'authority', '--seed', '5'], { timeoutMs: GENERATE_MS });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(existsSync(`${db}.generating`), false);
    assert.equal(rowsDigest(db), AUTHORITY_SEED5_ROWS);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('usage errors', async () => {
  assert.equal((await runTas(['generate', '--scale', 'national'])).code, 2);
  assert.equal((await runTas(['generate', '--db', '/nonexistent/x.db', '--scale', 'planet'])).code, 2);
  assert.equal((await runTas(['generate', '--db', 'x.db', '--seed', 'abc'])).code, 2);
  const help = await runTas(['generate', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: tas generate/);
});
