// tas migrate-store (docs/postgresql.md, "Moving an installation"): a demo
// authority with its year in SQLite, and records added through the API,
// moved to a new PostgreSQL database; every table's rows the same on both;
// the copy served, signed in to and written to (its ids follow the copied
// ones); its audit chain and rollup verified.  Then the refusals: a
// destination that holds data, a source not at the newest migration, and
// a destination that changes what is loaded into it (nothing committed).
//
// Needs the PostgreSQL server of TAS_TEST_PG_URL (scripts/run-tests.sh
// starts one); skipped, saying why, without it.  Each test makes its own
// databases on it and drops them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, readFile, copyFile, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  runTas, startServer, dbSql, pgDatabase, apiClient, apiCall, newPupilJson, Client,
} from './harness.mjs';

const skip = process.env.TAS_TEST_PG_URL ? false
  : 'TAS_TEST_PG_URL is not set (scripts/run-tests.sh sets it when scripts/pg.sh finds PostgreSQL)';
// The SQLite side keeps its key in tas.db.key, as an installation does
// (an empty TAS_SECRET_KEY is none); the copy is served with that key.
const FILE_KEY = { TAS_SECRET_KEY: '' };
const SLOW = { timeoutMs: 300000 };  // the sanitised build is slow

let dir;
let src;           // the SQLite database
let key;           // its server key
let added;         // the pupil added through the API before the move
const made = [];   // PostgreSQL databases to drop

function newPg() {
  const pg = pgDatabase();
  made.push(pg);
  return pg;
}

/** Every tas table of the SQLite database, by name. */
function tables(db) {
  return dbSql(db, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name")
    .split('\n');
}

/** Each table's row count, read by one query that both backends run. */
function counts(db, names) {
  const sql = names.map((t) => `SELECT '${t}', count(*) FROM "${t}"`).join(' UNION ALL ');
  return Object.fromEntries(dbSql(db, sql).split('\n').map((l) => l.split('|')).map(([t, n]) => [t, Number(n)]));
}

function moveStore(from, to, env = FILE_KEY) {
  return runTas(['migrate-store', '--from', `sqlite:${from}`, '--to', to], { ...SLOW, env });
}

before(async () => {
  if (skip) return;
  dir = await mkdtemp(path.join(tmpdir(), 'tas-migrate-store-'));
  src = path.join(dir, 'tas.db');
  const demo = await runTas(['demo', '--db', src, '--seed', '1'], { ...SLOW, env: FILE_KEY });
  assert.equal(demo.code, 0, demo.stderr);
  key = (await readFile(`${src}.key`, 'utf8')).trim();
  // A few records through the API, so the audit log ends with entries of
  // their own (sign-in, the pupil's creation, a view).
  const srv = await startServer({ db: src, env: FILE_KEY });
  try {
    const admin = await apiClient(srv.base, 'admin');
    const school = Number(dbSql(src, 'SELECT min(id) FROM schools'));
    const res = await apiCall(admin, 'POST', '/api/v1/pupils', newPupilJson(424242, school));
    assert.equal(res.status, 201);
    added = (await res.json()).pupil.id;
    assert.equal((await apiCall(admin, 'GET', `/api/v1/pupils/${added}`)).status, 200);
  } finally {
    await srv.stop();
  }
});

after(async () => {
  for (const pg of made) pg.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('migrate-store: the demo year moved to a new PostgreSQL database, table for table', { skip }, async () => {
  const pg = newPg();
  const r = await moveStore(src, pg.url);
  assert.equal(r.code, 0, r.stderr);
  const out = r.stdout;
  assert.match(out, /schema_migrations is not copied/);

  // The table of the copy: every table but the migrations' record, each ok.
  const names = tables(src);
  const copied = names.filter((t) => t !== 'schema_migrations');
  const lines = new Map(out.split('\n').map((l) => l.trim().split(/\s+/)).filter((w) => w.length === 4)
    .map(([t, rows, sum, ok]) => [t, { rows: Number(rows), sum, ok }]));
  for (const t of copied) {
    assert.ok(lines.has(t), `no line for ${t}`);
    assert.equal(lines.get(t).ok, 'ok', t);
    assert.match(lines.get(t).sum, /^[0-9a-f]{16}$/);
  }
  assert.ok(!lines.has('schema_migrations'));
  assert.match(out, new RegExp(`${copied.length} tables, \\d+ rows copied`));

  // Both databases, counted by the same query: the same, table for table
  // (the migrations' own record too: the same history).
  const a = counts(src, names);
  const b = counts(pg.url, names);
  assert.deepEqual(b, a);
  for (const t of copied) assert.equal(lines.get(t).rows, a[t], t);
  assert.ok(a.audit_log > 100 && a.pupils > 100 && a.actions > 100, JSON.stringify(a));

  // The audit chain and the rollup were verified before the commit.
  assert.match(out, new RegExp(`audit log intact on the destination: ${a.audit_log} entries verified`));
  assert.match(out, /rollup: all authorities: the same figures as the records/);
  assert.doesNotMatch(out, /DIFFERENT/);
  // The key stays the source's: the copy is served with it.
  assert.match(out, /serve the destination with TAS_SECRET_KEY set to the 64 hex digits in .*tas\.db\.key/);

  // Table names and counts only: no pupil's name or UPN in any message.
  const said = out + r.stderr;
  for (const row of dbSql(src, 'SELECT upn, surname FROM pupils ORDER BY id LIMIT 50').split('\n')) {
    const [upn, surname] = row.split('|');
    assert.ok(!said.includes(upn), 'a UPN in the output');
    assert.ok(!new RegExp(`\\b${surname}\\b`).test(said), 'a surname in the output');
  }

  // Served from the copy: sign in, read the case list, add a pupil (its id
  // follows the copied ones: the identity sequences were moved).
  const env = { TAS_SECRET_KEY: key };
  const srv = await startServer({ db: pg.url, env });
  try {
    const coord = new Client(srv.base);
    const signIn = await coord.signIn('coordinator');
    await signIn.arrayBuffer();
    assert.equal(signIn.status, 303);
    const cases = await coord.getHtml('/cases');
    assert.equal(cases.status, 200);
    assert.match(cases.html, /href="\/cases\/\d+"/);
    const admin = await apiClient(srv.base, 'admin');
    const seen = await apiCall(admin, 'GET', `/api/v1/pupils/${added}`);
    assert.equal(seen.status, 200);
    assert.equal((await seen.json()).pupil.surname, 'Pupil424242');
    const school = Number(dbSql(pg.url, 'SELECT min(id) FROM schools'));
    const res = await apiCall(admin, 'POST', '/api/v1/pupils', newPupilJson(424243, school));
    assert.equal(res.status, 201);
    assert.equal((await res.json()).pupil.id, Number(dbSql(src, 'SELECT max(id) FROM pupils')) + 1);
  } finally {
    await srv.stop();
  }
  const audit = await runTas(['audit', 'verify', '--db', pg.url], { env });
  assert.equal(audit.code, 0, audit.stderr);
  const n = Number(/(\d+) entries verified/.exec(audit.stdout)[1]);
  assert.ok(n > a.audit_log, `${n} entries after serving, ${a.audit_log} copied`);
  const rollup = await runTas(['rollup', 'verify', '--db', pg.url], { ...SLOW, env });
  assert.equal(rollup.code, 0, rollup.stdout + rollup.stderr);

  // Moving again into the same database is refused, and changes nothing.
  const before2 = counts(pg.url, names);
  const again = await moveStore(src, pg.url);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /the destination already holds data \(table \w+: \d+ rows where a new database has \d+\)/);
  assert.match(again.stderr, /nothing was committed/);
  assert.deepEqual(counts(pg.url, names), before2);
});

test('migrate-store: a database with tables of its own is refused and left alone', { skip }, async () => {
  const pg = newPg();
  dbSql(pg.url, 'CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT); INSERT INTO notes VALUES (1, \'x\')');
  const r = await moveStore(src, pg.url);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /the destination already holds tables, not tas's/);
  assert.equal(dbSql(pg.url, "SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = 'public'"), 'notes');
});

test('migrate-store: a source not at the newest migration is refused; the destination untouched', { skip },
  async () => {
    const old = path.join(dir, 'old.db');
    dbSql(src, `VACUUM INTO '${old}'`);
    await copyFile(`${src}.key`, `${old}.key`);
    dbSql(old, 'DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)');
    const pg = newPg();
    const r = await moveStore(old, pg.url);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /the source is at schema version \d+ and this tas's is \d+: run tas migrate on it first/);
    assert.equal(dbSql(pg.url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), '0');

    // And the calls that are not a move at all.
    const usage = await runTas(['migrate-store', '--from', `sqlite:${src}`, '--to', old]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--to is a PostgreSQL database/);
    const none = await moveStore(path.join(dir, 'none.db'), pg.url);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no database at/);
  });

test('migrate-store: a copy that differs from the source is caught and nothing is committed', { skip }, async () => {
  // A destination migrated by tas migrate (so still empty), whose rules
  // then drop one audit entry and retouch every school's name as they are
  // loaded: the row count of one and the checksum of the other differ.
  const pg = newPg();
  const m = await runTas(['migrate', '--db', pg.url], { env: { TAS_SECRET_KEY: key } });
  assert.equal(m.code, 0, m.stderr);
  dbSql(pg.url, 'CREATE RULE drop_one AS ON INSERT TO audit_log WHERE NEW.id = 2 DO INSTEAD NOTHING');
  dbSql(pg.url, "CREATE RULE retouch AS ON INSERT TO schools DO ALSO UPDATE schools SET name = name || '.' "
    + 'WHERE id = NEW.id');
  const r = await moveStore(src, pg.url);
  assert.equal(r.code, 1, r.stdout);
  const schools = Number(dbSql(src, 'SELECT count(*) FROM schools'));
  const entries = Number(dbSql(src, 'SELECT count(*) FROM audit_log'));
  assert.match(r.stdout, new RegExp(`^audit_log +${entries} +[0-9a-f]{16} +DIFFERENT: the destination has `
    + `${entries - 1} rows`, 'm'));
  assert.match(r.stdout, new RegExp(`^schools +${schools} +[0-9a-f]{16} +DIFFERENT: the destination has `
    + `${schools} rows`, 'm'));
  assert.match(r.stdout, /^authorities +1 +[0-9a-f]{16} +ok$/m);
  assert.match(r.stderr, /2 of \d+ tables differ after the copy; nothing was committed/);
  assert.equal(dbSql(pg.url, 'SELECT (SELECT count(*) FROM audit_log) + (SELECT count(*) FROM schools) '
    + '+ (SELECT count(*) FROM pupils)'), '0');
});

test('migrate-store: the destination\'s owner need not be a superuser (as on a managed service)', { skip }, async () => {
  // An ordinary role that owns an empty database: the migrations make the
  // schema, the triggers are switched off and on as the tables' owner, and
  // the copy is checked as for a superuser.  Name and password are ours.
  const server = process.env.TAS_TEST_PG_URL;
  const role = `o_${randomBytes(6).toString('hex')}`;
  const password = randomBytes(18).toString('hex');
  const psql = (sql) => execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', server, '-c', sql],
    { stdio: 'pipe' });
  psql(`CREATE ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '${password}'`);
  psql(`CREATE DATABASE ${role} OWNER ${role}`);
  try {
    const u = new URL(server);
    const passfile = path.join(dir, 'owner.pgpass');
    const inherited = process.env.PGPASSFILE ? await readFile(process.env.PGPASSFILE, 'utf8') : '';
    await writeFile(passfile, `${inherited.trimEnd()}\n${u.hostname}:${u.port}:${role}:${role}:${password}\n`,
      { mode: 0o600 });
    const url = `postgresql://${role}@${u.host}/${role}`;
    assert.equal(dbSql(server, `SELECT rolsuper FROM pg_roles WHERE rolname = '${role}'`), 'f');
    const r = await moveStore(src, url, { ...FILE_KEY, PGPASSFILE: passfile });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const entries = Number(dbSql(src, 'SELECT count(*) FROM audit_log'));
    assert.match(r.stdout, new RegExp(`audit log intact on the destination: ${entries} entries verified`));
    assert.equal(dbSql(server.replace(/\/[^/?]*$/, `/${role}`), 'SELECT count(*) FROM pupils'),
      dbSql(src, 'SELECT count(*) FROM pupils'));
    assert.equal(dbSql(server.replace(/\/[^/?]*$/, `/${role}`), "SELECT tableowner FROM pg_tables WHERE tablename = 'pupils'"),
      role, 'the tables are the owner\'s');
  } finally {
    psql(`DROP DATABASE IF EXISTS ${role} WITH (FORCE)`);
    psql(`DROP ROLE IF EXISTS ${role}`);
  }
});
