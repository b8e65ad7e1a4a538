// Shared helpers for the HTTP tests (node:test, Node 18+ built-ins only).
//
//   import { startServer, Client, DEMO_PASSWORD } from './harness.mjs';
//   const srv = await startServer();            // demo database + server
//   const srv = await startServer({ year: true }); // ... with last year's TAS work (slower)
//   const c = new Client(srv.base);
//   const res = await c.signIn('coordinator');  // 303 on success
//   const { status, html } = await c.getHtml('/');
//   await srv.stop({ expectExitZero: true });
//
// The binary is $TAS_BIN (default build/release/tas in the repository).

import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkResponse } from './openapi.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// ---- the day the tests run on ---------------------------------------------
// No test depends on the day it is run: TAS_TODAY pins tas's calendar to a
// day (see src/lib/clock.h) and TAS_TODAY_FROM anchors it, so the servers
// and commands these tests start, and the tests themselves, agree on the
// time to the second.  scripts/run-tests.sh runs the suite on two days; a
// test file run alone takes DEFAULT_TODAY.  Children inherit process.env.
const DEFAULT_TODAY = '2026-11-18';
if (!process.env.TAS_TODAY) process.env.TAS_TODAY = DEFAULT_TODAY;
if (!process.env.TAS_TODAY_FROM) process.env.TAS_TODAY_FROM = String(Math.floor(Date.now() / 1000));

/** The tests' today, "YYYY-MM-DD" (UTC), as every tas process sees it. */
export const TODAY = process.env.TAS_TODAY;
const CLOCK_OFFSET_MS = Date.parse(`${TODAY}T12:00:00Z`) - Number(process.env.TAS_TODAY_FROM) * 1000;
if (Number.isNaN(CLOCK_OFFSET_MS)) throw new Error(`TAS_TODAY=${TODAY} is not a YYYY-MM-DD date`);

/** Milliseconds since 1970 on tas's clock (use instead of Date.now()). */
export function nowMs() {
  return Date.now() + CLOCK_OFFSET_MS;
}

/** Whole seconds since 1970 on tas's clock, as tas stores times. */
export function nowSeconds() {
  return Math.floor(nowMs() / 1000);
}

/** "YYYY-MM-DD" n days from `iso` (UTC). */
export function addDays(iso, n) {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);
}

/** The school year (starting 1 August) a day falls in: 2026 for 2026/27. */
export function academicYearOf(iso) {
  const y = Number(iso.slice(0, 4));
  return Number(iso.slice(5, 7)) >= 8 ? y : y - 1;
}

/**
 * A date of birth ("YYYY-MM-DD") for a pupil in National Curriculum year
 * ncYear ('N1', 'N2', 'R', '1'..'14') in today's school year: the DfE
 * places a child by the academic year, 1 September to 31 August, they were
 * born in (a Year 4 pupil in 2026/27 was born 1 September 2017 to 31 August
 * 2018).  mmdd picks the day in that year ('03-04' when left out); years
 * moves the birth that many years later (-1: a year older).
 */
export function birthDateFor(ncYear, mmdd = '03-04', years = 0) {
  const offset = { N1: -2, N2: -1, R: 0 }[ncYear] ?? Number(ncYear);
  if (!Number.isInteger(offset)) throw new Error(`no year group ${ncYear}`);
  const born = academicYearOf(TODAY) - offset - 5 + (Number(mmdd.slice(0, 2)) >= 9 ? 0 : 1) + years;
  return `${born}-${mmdd}`;
}

/** Password of every demo user. */
export const DEMO_PASSWORD = 'demo-password';

/** Demo user names created by `tas demo`. */
export const DEMO_USERS = Object.freeze([
  'admin', 'dpo', 'lead', 'coordinator', 'head', 'senco', 'practitioner', 'evaluator', 'steering',
]);

/** Absolute path of the binary under test. */
export function tasBin() {
  const bin = process.env.TAS_BIN || 'build/release/tas';
  return path.isAbsolute(bin) ? bin : path.join(REPO, bin);
}

const LISTEN_RE = /listening on (http:\/\/127\.0\.0\.1:\d+)/;
// TAS_SERVE_WRAP runs tas serve (only: the CLI's demo and tools run as
// they are) under a checker, e.g. "valgrind --error-exitcode=99 ...":
// scripts/run-tests.sh runs some HTTP tests under memcheck this way.  A
// server so wrapped is given longer to start and stop, and its checker's
// verdict (exit code 99) always fails the test that stops it.
const WRAP = (process.env.TAS_SERVE_WRAP || '').split(' ').filter(Boolean);
const WRAP_ERROR = 99;
const START_TIMEOUT_MS = WRAP.length ? 120000 : 15000;
const STOP_TIMEOUT_MS = WRAP.length ? 120000 : 10000;
const LOG_LIMIT = 64 * 1024;

function keepTail(s, add) {
  s += add;
  return s.length > LOG_LIMIT ? s.slice(s.length - LOG_LIMIT) : s;
}

/** Runs the binary to completion; resolves {code, signal, stdout, stderr}. */
export function runTas(args, { timeoutMs = 60000, env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const proc = spawn(tasBin(), args, {
      cwd: REPO,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.setEncoding('utf8').on('data', (d) => { stdout = keepTail(stdout, d); });
    proc.stderr.setEncoding('utf8').on('data', (d) => { stderr = keepTail(stderr, d); });
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`tas ${args.join(' ')} timed out after ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    proc.on('error', (e) => { clearTimeout(timer); reject(e); });
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

// ---- PostgreSQL (issue 18, work in progress) -------------------------------
// With TAS_TEST_DB=postgresql and TAS_TEST_PG_URL (a server of
// scripts/pg.sh; PGPASSFILE its password file), each startServer makes a
// fresh database on that server instead of a file, and drops it at stop.
// Off by default: tests that read the database with the sqlite3 program
// cannot run this way.  TAS_SECRET_KEY is set (a server has no key file).
const PG_URL = process.env.TAS_TEST_DB === 'postgresql' ? process.env.TAS_TEST_PG_URL : '';
if (process.env.TAS_TEST_DB === 'postgresql' && !PG_URL) {
  throw new Error('TAS_TEST_DB=postgresql needs TAS_TEST_PG_URL (scripts/pg.sh run ...)');
}
if (PG_URL && !process.env.TAS_SECRET_KEY) process.env.TAS_SECRET_KEY = randomBytes(32).toString('hex');

function pgAdmin(sql, server = PG_URL) {
  execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', server, '-c', sql], { stdio: 'pipe' });
}

function pgCreateDatabase(server = PG_URL) {
  const name = `t_${randomBytes(8).toString('hex')}`;  // our own name, never input
  pgAdmin(`CREATE DATABASE ${name}`, server);
  return { name, url: server.replace(/\/[^/?]*(\?.*)?$/, `/${name}`) };
}

/**
 * A new, empty database on the server of TAS_TEST_PG_URL, whatever
 * TAS_TEST_DB says (for a test that needs PostgreSQL beside its SQLite
 * files): returns { name, url, drop() }; null when TAS_TEST_PG_URL is
 * unset (skip the test then, saying why).
 */
export function pgDatabase() {
  const server = process.env.TAS_TEST_PG_URL;
  if (!server) return null;
  const db = pgCreateDatabase(server);
  return { ...db, drop: () => pgAdmin(`DROP DATABASE IF EXISTS ${db.name} WITH (FORCE)`, server) };
}

/** True when the tests run on PostgreSQL (TAS_TEST_DB=postgresql). */
export const ON_POSTGRES = Boolean(PG_URL);

/** True for a PostgreSQL URL rather than a SQLite file. */
export function isPostgres(db) {
  return /^postgres(ql)?:\/\//.test(db);
}

/**
 * Why a test is skipped on PostgreSQL, for the few that are about SQLite's
 * file itself (its online backup, a copy of the file tampered with): pass
 * it as node:test's { skip } option.  Everything else runs on both.
 */
export function sqliteFileOnly(what) {
  return ON_POSTGRES ? `about SQLite's database file (${what}); PostgreSQL has its own tools` : false;
}

/**
 * Runs a script of several statements (set-up data, triggers) on a test
 * database in one go, stopping at the first error: sqlite3 -bail, or psql
 * with ON_ERROR_STOP in one transaction.  Resolves to what the last
 * statement printed.  Keep the SQL portable (see docs/style.md).
 */
export function dbScript(db, text) {
  const [cmd, args] = isPostgres(db)
    ? ['psql', ['-X', '-q', '-t', '-A', '-F', '|', '-v', 'ON_ERROR_STOP=1', '-1', '-d', db, '-f', '-']]
    : ['sqlite3', ['-cmd', '.timeout 10000', '-batch', '-bail', db]];
  const r = spawnSync(cmd, args, { input: text, encoding: 'utf8', timeout: 60000 });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.error}`);
  return r.stdout;
}

/**
 * Makes every INSERT into table whose column equals value fail, as a full
 * disk or a crash part-way would, on either engine (a trigger).  Returns
 * the function that takes the trigger away again.  Names are ours, never
 * input; value is a test's own constant.
 */
export function dbFailOnInsert(db, table, column, value) {
  const name = `test_fail_${table}`;
  if (isPostgres(db)) {
    dbScript(db, `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.${column} = '${value}' THEN RAISE EXCEPTION 'test failure'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}();`);
    return () => dbScript(db, `DROP TRIGGER ${name} ON ${table}; DROP FUNCTION ${name}();`);
  }
  dbScript(db, `CREATE TRIGGER ${name} BEFORE INSERT ON ${table}
    WHEN NEW.${column} = '${value}' BEGIN SELECT RAISE(ABORT, 'test failure'); END;`);
  return () => dbScript(db, `DROP TRIGGER ${name};`);
}

/**
 * Everything a database holds, as bytes, for tests that a secret is stored
 * nowhere: the SQLite file after a checkpoint of its write-ahead log, or a
 * pg_dump of the PostgreSQL database.
 */
export function dbBytes(db) {
  if (isPostgres(db)) return execFileSync('pg_dump', ['-d', db], { maxBuffer: 512 << 20 });
  dbSql(db, 'PRAGMA wal_checkpoint(TRUNCATE)');
  return readFileSync(db);
}

/**
 * A copy of a test database taken while it serves, for tests that tamper
 * with one: SQLite's VACUUM INTO a file in dir, or a new PostgreSQL
 * database loaded from pg_dump.  Returns what `--db` takes.  A server's
 * key is not copied (a SQLite key file is the caller's to copy).
 */
export function dbClone(db, dir, name) {
  if (!isPostgres(db)) {
    const copy = path.join(dir, name);
    dbSql(db, `VACUUM INTO '${copy}'`);
    return copy;
  }
  const { url } = pgCreateDatabase();
  const dump = execFileSync('pg_dump', ['-d', db], { maxBuffer: 512 << 20 });
  execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url], { input: dump, stdio: ['pipe', 'pipe', 'pipe'] });
  return url;
}

/** SQL that drops a trigger of table, in the dialect of db. */
export function dropTriggerSql(db, trigger, table) {
  return isPostgres(db) ? `DROP TRIGGER ${trigger} ON ${table};` : `DROP TRIGGER ${trigger};`;
}

/** A table's column names, in order, from either engine's catalogue. */
export function dbColumns(db, table) {
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`not a table name: ${table}`);
  const q = isPostgres(db)
    ? `SELECT column_name FROM information_schema.columns WHERE table_name = '${table}' AND table_schema = current_schema() ORDER BY ordinal_position`
    : `SELECT name FROM pragma_table_info('${table}')`;
  return dbSql(db, q).split('\n').filter(Boolean);
}

/**
 * Runs SQL on a test database, as the sqlite3 program would (no header,
 * columns joined by separator, one row a line), through psql when the
 * database is a PostgreSQL URL.  For setting up and peeking at what the
 * API cannot: SQLite-only SQL (PRAGMA, DROP TRIGGER without a table)
 * still needs sqlite3.  Throws on an error.
 */
export function dbSql(db, text, { separator = '|' } = {}) {
  if (isPostgres(db)) {
    return execFileSync('psql', ['-X', '-q', '-t', '-A', '-F', separator, '-v', 'ON_ERROR_STOP=1', '-d', db, '-c', text],
      { encoding: 'utf8' }).trim();
  }
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', '-batch', '-separator', separator, db, text],
    { encoding: 'utf8' }).trim();
}

/**
 * Creates a demo database in a fresh temporary directory and starts
 * `tas serve` on a free loopback port.  The demo year (teams, meetings,
 * cases, actions) only with { year: true }: most tests want an empty year.
 * With { db }, serves that database as it is instead (the caller owns it).
 * With { clock: true }, the server's clock stands still (TAS_CLOCK_FILE,
 * see src/lib/clock.h) at the time it starts, and moves only by
 * srv.clock.advance(seconds); srv.clock.now() is its time in seconds.
 * Resolves { base, proc, dir, db, clock, logs(), stop({expectExitZero}) }.
 */
export async function startServer({ seed = 1, extraArgs = [], env = {}, year = false, db: given,
  clock: held = false } = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), 'tas-test-'));
  const pg = !given && PG_URL ? pgCreateDatabase() : null;
  const db = given || (pg ? pg.url : path.join(dir, 'tas.db'));
  const dropPg = () => { if (pg) pgAdmin(`DROP DATABASE IF EXISTS ${pg.name} WITH (FORCE)`); };
  if (!given) try {
    // PostgreSQL's demo year is round trips, slower on a loaded machine.
    const demo = await runTas(['demo', '--db', db, '--seed', String(seed), ...(year ? [] : ['--without-year'])],
      { env, timeoutMs: pg ? 240000 : 60000 });
    if (demo.code !== 0) {
      throw new Error(`tas demo exited with ${demo.code ?? demo.signal}\n` +
        `--- stdout ---\n${demo.stdout}\n--- stderr ---\n${demo.stderr}`);
    }
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    dropPg();
    throw e;
  }

  let clock = null;
  const serveEnv = { ...process.env, ...env };
  if (held) {
    const file = path.join(dir, 'clock');
    let t = nowSeconds();
    const put = () => {
      writeFileSync(`${file}.new`, `${t}\n`);
      renameSync(`${file}.new`, file);
    };
    put();
    clock = { now: () => t, advance: (secs) => { t += secs; put(); } };
    serveEnv.TAS_CLOCK_FILE = file;
  }
  const serveArgs = ['serve', '--db', db, '--listen', '127.0.0.1:0', ...extraArgs];
  const proc = spawn(WRAP.length ? WRAP[0] : tasBin(), WRAP.length ? [...WRAP.slice(1), tasBin(), ...serveArgs] : serveArgs, {
    cwd: REPO,
    env: serveEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let exited = null; // {code, signal} once the process has gone
  const exitPromise = new Promise((resolve) => {
    proc.on('close', (code, signal) => { exited = { code, signal }; resolve(exited); });
  });

  let base;
  try {
    base = await new Promise((resolve, reject) => {
      let pending = '';
      const timer = setTimeout(() => {
        reject(new Error(`tas serve did not report "listening on" within ${START_TIMEOUT_MS} ms`));
      }, START_TIMEOUT_MS);
      proc.on('error', (e) => { clearTimeout(timer); reject(e); });
      proc.stdout.setEncoding('utf8').on('data', (d) => {
        stdout = keepTail(stdout, d);
        pending += d;
        const m = LISTEN_RE.exec(pending);
        if (m) {
          clearTimeout(timer);
          pending = '';
          resolve(m[1]);
        } else if (pending.length > LOG_LIMIT) {
          pending = pending.slice(-256);
        }
      });
      proc.stderr.setEncoding('utf8').on('data', (d) => { stderr = keepTail(stderr, d); });
      exitPromise.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`tas serve exited (${code ?? signal}) before listening`));
      });
    });
  } catch (e) {
    if (!exited) {
      proc.kill('SIGKILL');
      await exitPromise;
    }
    await rm(dir, { recursive: true, force: true });
    dropPg();
    e.message += `\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`;
    throw e;
  }

  let stopped = false;
  return {
    base,
    proc,
    dir,
    db,
    clock,
    /** What the server printed so far (tails of stdout and stderr). */
    logs: () => ({ stdout, stderr }),
    /**
     * SIGTERM, wait for exit (SIGKILL after 10 s), remove the directory.
     * With expectExitZero, throws unless the server exited with code 0.
     */
    async stop({ expectExitZero = false } = {}) {
      if (stopped) return exited;
      stopped = true;
      let killedHard = false;
      if (!exited) {
        proc.kill('SIGTERM');
        const timer = setTimeout(() => { killedHard = true; proc.kill('SIGKILL'); }, STOP_TIMEOUT_MS);
        await exitPromise;
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true });
      dropPg();
      if (WRAP.length && exited.code === WRAP_ERROR) {
        throw new Error(`${WRAP[0]} found errors in tas serve\n--- stderr ---\n${stderr}`);
      }
      if (expectExitZero && (exited.code !== 0 || killedHard)) {
        throw new Error(`tas serve exited with ${exited.code ?? exited.signal}` +
          `${killedHard ? ' (killed after SIGTERM timeout)' : ''}, expected 0\n` +
          `--- stderr ---\n${stderr}`);
      }
      return exited;
    },
  };
}

/**
 * Starts several servers at once (startServer options each).  If any fails
 * to start, the others are stopped before the error is thrown, so a failed
 * `before` does not leave a server holding the test file open.
 */
export async function startServers(...options) {
  const got = await Promise.allSettled(options.map((o) => startServer(o)));
  const failed = got.find((g) => g.status === 'rejected');
  if (failed) {
    await Promise.all(got.filter((g) => g.status === 'fulfilled').map((g) => g.value.stop()));
    throw failed.reason;
  }
  return got.map((g) => g.value);
}

/**
 * A page less what every request makes afresh (the layout's tokens and the
 * signed-in name): from the first heading to the end of <main>.  For tests
 * that a page kept in memory is the one computed.
 */
export function pageMain(html) {
  const start = html.indexOf('<h1');
  const end = html.indexOf('</main>');
  if (!(start > 0 && end > start)) throw new Error('not a page with a heading');
  return html.slice(start, end);
}

/** Decodes the HTML character references our templates produce. */
export function decodeHtml(s) {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (m, e) => {
    const k = e.toLowerCase();
    if (k === 'amp') return '&';
    if (k === 'lt') return '<';
    if (k === 'gt') return '>';
    if (k === 'quot') return '"';
    if (k === 'apos') return "'";
    if (k.startsWith('#x')) return String.fromCodePoint(parseInt(k.slice(2), 16));
    return String.fromCodePoint(parseInt(k.slice(1), 10));
  });
}

/** Splits a combined Set-Cookie header (fallback when getSetCookie is missing). */
function splitSetCookie(header) {
  if (!header) return [];
  // Commas also occur in Expires dates ("Wed, 21 Oct ..."): split only on a
  // comma followed by a token and "=".
  return header.split(/,(?=\s*[^;,=\s]+=)/).map((s) => s.trim()).filter(Boolean);
}

/**
 * An HTTP client with a cookie jar (one site, so paths and domains are not
 * tracked). Requests never follow redirects unless asked with {follow: true}.
 */
/**
 * fetch, and for a GET or HEAD once more when a kept-alive connection
 * turns out closed (the keep-alive race browsers also retry): a test that
 * blocked its event loop past the server's 30 s idle time-out (a long
 * execFileSync) finds its pooled socket closed before the pool's own timer
 * could drop it.  Anything else, and every other method, fails as it came.
 */
async function fetchOnce(url, opts) {
  try {
    return await fetch(url, opts);
  } catch (e) {
    const idempotent = opts.method === 'GET' || opts.method === 'HEAD';
    if (!idempotent || e?.cause?.code !== 'UND_ERR_SOCKET') throw e;
    return fetch(url, opts);
  }
}

export class Client {
  constructor(base) {
    this.base = base.replace(/\/$/, '');
    /** name -> value */
    this.cookies = new Map();
  }

  /** Stores the cookies a response sets (removing expired ones). */
  storeCookies(res) {
    const list = typeof res.headers.getSetCookie === 'function'
      ? res.headers.getSetCookie()
      : splitSetCookie(res.headers.get('set-cookie'));
    for (const line of list) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let expired = false;
      for (const a of attrs) {
        const [k, v = ''] = a.split('=');
        const key = k.trim().toLowerCase();
        if (key === 'max-age' && Number(v.trim()) <= 0) expired = true;
        if (key === 'expires') {
          const t = Date.parse(v.trim());
          if (!Number.isNaN(t) && t <= nowMs()) expired = true;
        }
      }
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  url(p) {
    return /^https?:/.test(p) ? p : this.base + (p.startsWith('/') ? p : `/${p}`);
  }

  /**
   * fetch with the jar. opts: method, headers, body, follow (follow
   * redirects by hand, storing cookies at each hop; at most 10).
   */
  async request(p, { method = 'GET', headers = {}, body, follow = false } = {}) {
    let url = this.url(p);
    for (let hop = 0; ; hop++) {
      const h = { ...headers };
      const cookie = this.cookieHeader();
      if (cookie) h.cookie = cookie;
      const res = await fetchOnce(url, { method, headers: h, body, redirect: 'manual' });
      this.storeCookies(res);
      // Every answer from /api/v1/ must match docs/openapi.json (openapi.mjs).
      await checkResponse(method, url, res, body);
      const loc = res.headers.get('location');
      if (!follow || !loc || res.status < 300 || res.status > 399 || hop >= 10) return res;
      await res.arrayBuffer(); // drain
      url = new URL(loc, url).href;
      if (res.status !== 307 && res.status !== 308) {
        method = 'GET';
        body = undefined;
        headers = Object.fromEntries(Object.entries(headers)
          .filter(([k]) => k.toLowerCase() !== 'content-type'));
      }
    }
  }

  /** GET; does not follow redirects unless {follow: true}. */
  get(p, opts = {}) {
    return this.request(p, { ...opts, method: 'GET' });
  }

  /** GET and read the body: resolves {status, headers, html, res}. */
  async getHtml(p, opts = {}) {
    const res = await this.get(p, opts);
    const html = await res.text();
    return { status: res.status, headers: res.headers, html, res };
  }

  /**
   * POST application/x-www-form-urlencoded. fields: an object (array
   * values repeat the name) or an array of [name, value] pairs. Sends an
   * Origin header as a browser would.
   */
  postForm(p, fields = {}, { headers = {}, follow = false } = {}) {
    const params = new URLSearchParams();
    const entries = Array.isArray(fields) ? fields : Object.entries(fields);
    for (const [k, v] of entries) {
      if (Array.isArray(v)) for (const x of v) params.append(k, String(x));
      else if (v !== undefined && v !== null) params.append(k, String(v));
    }
    return this.request(p, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: this.base,
        ...headers,
      },
      body: params.toString(),
      follow,
    });
  }

  /** POST a JSON body. */
  postJson(p, obj, { headers = {}, follow = false } = {}) {
    return this.request(p, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: this.base, ...headers },
      body: JSON.stringify(obj),
      follow,
    });
  }

  /** The CSRF token of the first `<input type="hidden" name="csrf" value="...">`, or null. */
  csrfFrom(html) {
    return csrfFrom(html);
  }

  /**
   * GETs pagePath, takes the CSRF token from it and posts fields (plus csrf)
   * to action (default pagePath). Resolves the POST response.
   */
  async submitForm(pagePath, fields = {}, { action = pagePath, headers = {}, follow = false } = {}) {
    const { status, html } = await this.getHtml(pagePath);
    const csrf = csrfFrom(html);
    if (!csrf) throw new Error(`no csrf token on ${pagePath} (status ${status})`);
    const all = Array.isArray(fields) ? [...fields, ['csrf', csrf]] : { ...fields, csrf };
    return this.postForm(action, all, { headers, follow });
  }

  /**
   * A JSON request carrying the CSRF token in this.csrf (see useApiToken).
   * Resolves {status, json (null when the body is not JSON), text, res}.
   */
  async api(method, p, body) {
    const res = await this.request(p, {
      method,
      headers: { 'content-type': 'application/json', origin: this.base, 'x-csrf-token': this.csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, json, text, res };
  }

  /** Takes the session's CSRF token from /api/v1/me into this.csrf, for api(). */
  async useApiToken() {
    this.csrf = (await (await this.get('/api/v1/me')).json()).csrf;
  }

  /** GET /sign-in, then POST username, password and csrf to /sign-in. */
  async signIn(username, password = DEMO_PASSWORD) {
    const { status, html } = await this.getHtml('/sign-in');
    const csrf = csrfFrom(html);
    if (!csrf) throw new Error(`no csrf token on /sign-in (status ${status})\n${html.slice(0, 2000)}`);
    return this.postForm('/sign-in', { username, password, csrf });
  }
}

/**
 * Sends raw bytes to the server at base on a new connection (for what
 * fetch will not send: a body declared larger than it is, two lengths, no
 * Host); resolves the whole response text.
 */
export function rawRequest(base, head, body = '') {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(u.port), u.hostname);
    let data = '';
    sock.setEncoding('latin1');
    sock.on('data', (d) => { data += d; });
    sock.on('error', (e) => (data ? resolve(data) : reject(e)));
    sock.on('close', () => resolve(data));
    sock.on('connect', () => { sock.write(head); if (body) sock.write(body); });
    sock.setTimeout(15000, () => { sock.destroy(); reject(new Error('timeout')); });
  });
}

/** The CSRF token of the first hidden input named csrf in html, or null. */
export function csrfFrom(html) {
  const re = /<input\b[^>]*>/gi;
  for (let m; (m = re.exec(html));) {
    const tag = m[0];
    if (!/\bname\s*=\s*["']?csrf["'\s>]/i.test(tag)) continue;
    if (!/\btype\s*=\s*["']?hidden["'\s>]/i.test(tag)) continue;
    const v = /\bvalue\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(tag);
    if (v) return decodeHtml(v[1] ?? v[2] ?? v[3]);
  }
  return null;
}

const UPN_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';

/**
 * A well-formed UPN (DfE check letter over the 12 characters after it)
 * made from n: the same n gives the same UPN, so a test's pupils do not
 * depend on the run.  The 999 prefix is no local authority's.
 */
export function upnFor(n) {
  const body = `999${String(n % 1e9).padStart(9, '0')}`;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body[i]) * (i + 2);
  return UPN_LETTERS[sum % 23] + body;
}

/**
 * The JSON of a new pupil at school for POST /api/v1/pupils (n picks the
 * UPN): in Year 4 of today's school year, with a date of birth to match.
 */
export function newPupilJson(n, schoolId) {
  return {
    upn: upnFor(n), forenames: 'Load', surname: `Pupil${n}`, date_of_birth: birthDateFor('4'),
    gender: 'F', ethnicity: 'WBRI', nc_year: '4', sen_provision: 'K', school_id: schoolId,
  };
}

/**
 * Signs `user` in through the API: resolves a Client whose `csrf` is the
 * token the API answered with, for apiCall.
 */
export async function apiClient(base, user, password = DEMO_PASSWORD) {
  const c = new Client(base);
  const res = await c.postJson('/api/v1/sign-in', { username: user, password });
  if (res.status !== 200) throw new Error(`API sign-in of ${user}: ${res.status}`);
  c.csrf = (await res.json()).csrf;
  return c;
}

/** An API request from an apiClient: GET, or a JSON body with its CSRF header. */
export function apiCall(c, method, p, obj) {
  if (method === 'GET') return c.request(p, { method });
  return c.request(p, {
    method,
    headers: { 'content-type': 'application/json', 'x-csrf-token': c.csrf },
    body: JSON.stringify(obj ?? {}),
  });
}
