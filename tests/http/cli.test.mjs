// The command line: help, version, exit codes (0 ok, 1 failure, 2 usage),
// and the user commands, run against a scratch database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const BIN = process.env.TAS_BIN || 'build/release/tas';
let dir;

function tas(args, input) {
  const r = spawnSync(BIN, args, { input: input ?? '', encoding: 'utf8', timeout: 60000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

before(() => { dir = mkdtempSync(path.join(tmpdir(), 'tas-cli-')); });
after(() => { rmSync(dir, { recursive: true, force: true }); });

test('version and help', () => {
  assert.match(tas(['--version']).out, /^tas \d+\.\d+\.\d+/);
  for (const cmd of ['serve', 'migrate', 'migrate-store', 'demo', 'user']) {
    const r = tas([cmd, '--help']);
    assert.equal(r.code, 0, cmd);
    assert.match(r.out, /^Usage: tas /, cmd);
  }
  assert.equal(tas(['--help']).code, 0);
});

test('usage errors exit 2, with a reason on stderr', () => {
  assert.equal(tas([]).code, 2);
  const r = tas(['frobnicate']);
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown command 'frobnicate'/);
  assert.equal(tas(['serve', '--threads', 'many']).code, 2);
  assert.equal(tas(['serve', '--no-such-flag']).code, 2);
  assert.equal(tas(['demo', '--seed', '-3']).code, 2);
  assert.equal(tas(['migrate-store', '--from', path.join(dir, 'a.db')]).code, 2);
  assert.equal(tas(['migrate-store', '--from', 'postgresql://x/y', '--to', 'postgresql://x/z']).code, 2);
  assert.equal(tas(['user', 'add', 'x', '--db', path.join(dir, 'u.db')]).code, 2);
  assert.equal(tas(['user', 'add', 'x', '--name', 'X', '--role', 'wizard', '--scope', 'system']).code, 2);
});

test('runtime failures exit 1 with one line', () => {
  const r = tas(['migrate', '--db', path.join(dir, 'no', 'such', 'dir', 'x.db')]);
  assert.equal(r.code, 1);
  assert.equal(r.err.trim().split('\n').length, 1);
  assert.match(r.err, /^tas: cannot open database/);
  const busy = tas(['serve', '--db', path.join(dir, 's.db'), '--listen', 'not-an-address']);
  assert.equal(busy.code, 1);
});

test('migrate, demo (deterministic), and demo refuses a database with data', () => {
  const db = path.join(dir, 'demo.db');
  const m = tas(['migrate', '--db', db]);
  assert.equal(m.code, 0, m.err);
  assert.match(m.out, /schema version [1-9]\d*\n/);
  assert.equal((statSync(db).mode & 0o077), 0, 'database file is private to its owner');
  const d = tas(['demo', '--db', db, '--seed', '5']);
  assert.equal(d.code, 0, d.err);
  const counted = d.out.match(/24 schools, \d{3} pupils, (\d+) users/);
  assert.ok(counted, d.out);
  const listed = d.out.match(/demo users: (.*)\n/)[1].split(' ');
  assert.equal(Number(counted[1]), listed.length, 'the user count is the users listed');
  for (const role of ['coordinator', 'dpo', 'evaluator', 'budget.holder', 'budget.approver', 'taskforce.manager'])
    assert.ok(listed.includes(role), role);
  const again = tas(['demo', '--db', db, '--seed', '5']);
  assert.equal(again.code, 1);
  assert.match(again.err, /already holds data/);
  const d2 = tas(['demo', '--db', path.join(dir, 'demo2.db'), '--seed', '5']);
  assert.equal(d2.out.replace(/demo2\.db/, 'demo.db'), d.out, 'same seed, same authority');
});

test('a database whose audit trail was sealed is not given a new key when its own is missing', () => {
  const db = path.join(dir, 'keyed.db');
  assert.equal(tas(['demo', '--db', db, '--seed', '2']).code, 0);   // its year leaves a trail
  renameSync(`${db}.key`, `${db}.key.kept`);
  for (const args of [['serve', '--db', db, '--listen', '127.0.0.1:0'], ['user', 'list', '--db', db],
    ['migrate', '--db', db]]) {
    const r = tas(args);
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.err, /server key .* is missing .* restore the key/, args.join(' '));
  }
  assert.throws(() => statSync(`${db}.key`), 'no new key was made');
  renameSync(`${db}.key.kept`, `${db}.key`);
  const v = tas(['audit', 'verify', '--db', db]);
  assert.equal(v.code, 0, v.err);
  // A database with no trail yet still gets its key on first use.
  const fresh = path.join(dir, 'fresh.db');
  assert.equal(tas(['migrate', '--db', fresh]).code, 0);
  assert.equal(statSync(`${fresh}.key`).mode & 0o777, 0o600);
});

test('user add, list, passwd, disable, enable', () => {
  const db = path.join(dir, 'users.db');
  let r = tas(['user', 'add', 'Platform.Admin', '--db', db, '--name', 'Pat Admin', '--role', 'admin',
               '--scope', 'system'], 'a-long-enough-password\n');
  assert.equal(r.code, 0, r.err);
  r = tas(['user', 'add', 'platform.admin', '--db', db, '--name', 'Again', '--role', 'admin',
           '--scope', 'system'], 'a-long-enough-password\n');
  assert.equal(r.code, 1, 'user names are case-insensitive and unique');
  assert.match(r.err, /already taken/);
  r = tas(['user', 'add', 'shorty', '--db', db, '--name', 'S', '--role', 'admin', '--scope', 'system'], 'short\n');
  assert.equal(r.code, 1);
  assert.match(r.err, /12 characters or more/);
  // The password policy: block-listed (also with digits added), or the user name.
  r = tas(['user', 'add', 'common', '--db', db, '--name', 'C', '--role', 'admin', '--scope', 'system'],
          'Password1234\n');
  assert.equal(r.code, 1);
  assert.match(r.err, /too common/);
  r = tas(['user', 'passwd', 'platform.admin', '--db', db], 'my platform.admin secret\n');
  assert.equal(r.code, 1);
  assert.match(r.err, /must not contain the user name/);
  r = tas(['user', 'passwd', 'platform.admin', '--db', db], `${'x'.repeat(300)}\n`);
  assert.equal(r.code, 1);
  assert.match(r.err, /256 characters or fewer/);
  r = tas(['user', 'list', '--db', db]);
  assert.equal(r.code, 0);
  assert.match(r.out, /platform\.admin\s+Pat Admin\s+active admin@system/);
  assert.doesNotMatch(r.out, /argon2/, 'no password hashes in listings');
  assert.equal(tas(['user', 'passwd', 'platform.admin', '--db', db], 'another-long-password\n').code, 0);
  assert.equal(tas(['user', 'disable', 'platform.admin', '--db', db]).code, 0);
  assert.match(tas(['user', 'list', '--db', db]).out, /disabled/);
  assert.equal(tas(['user', 'enable', 'platform.admin', '--db', db]).code, 0);
  assert.equal(tas(['user', 'disable', 'nobody', '--db', db]).code, 1);
  // Resetting two-factor authentication (a lost phone) removes the authenticator.
  const sqlite = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 10000', db, q], { encoding: 'utf8' }).trim();
  sqlite("INSERT INTO user_totp (user_id, secret_box, confirmed_at, last_step, created_at) " +
         "SELECT id, 'sealed', 1, 0, 1 FROM users WHERE username = 'platform.admin'");
  assert.equal(sqlite('SELECT count(*) FROM user_totp'), '1');
  r = tas(['user', 'reset-two-factor', 'platform.admin', '--db', db]);
  assert.equal(r.code, 0, r.err);
  assert.equal(sqlite('SELECT count(*) FROM user_totp'), '0');
  assert.match(r.out, /two-factor authentication reset for platform\.admin/);
  assert.equal(tas(['user', 'reset-two-factor', 'nobody', '--db', db]).code, 1);
});
