// The deployment: `tas serve --trust-proxy` (the client's address behind a
// proxy, for the audit log and the sign-in throttle), and deploy/nginx.conf
// and deploy/tas.service run for real: nginx with a self-signed
// certificate in front of tas, HTTP redirected to HTTPS, signing in with
// Secure cookies, and the audit log recording the address nginx saw.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import https from 'node:https';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, tasBin, csrfFrom, dbSql, DEMO_PASSWORD } from './harness.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const NGINX = '/usr/sbin/nginx';
const FORGED = '203.0.113.9';          // RFC 5737 documentation address
const CLIENT = '127.0.0.7';            // the test's own source address behind nginx

let trusting, plain;

before(async () => {
  trusting = await startServer({ extraArgs: ['--quiet', '--secure-cookies', '--trust-proxy', '127.0.0.1'] });
  try {
    plain = await startServer({ db: trusting.db, extraArgs: ['--quiet'] });
  } catch (e) {
    await trusting.stop();
    throw e;
  }
});

after(async () => {
  await plain?.stop();
  await trusting?.stop();
});

const maxId = (srv) => Number(dbSql(srv.db, 'SELECT coalesce(max(id), 0) FROM audit_log'));

/** The addresses of the audit entries after id, in order. */
function addressesAfter(srv, id) {
  return dbSql(srv.db, `SELECT remote_addr FROM audit_log WHERE id > ${id} ORDER BY id`).split('\n').filter(Boolean);
}

/** A sign-in through the API (a wrong password when bad), with extra headers. */
function apiSignIn(srv, headers, { bad = false } = {}) {
  return fetch(`${srv.base}/api/v1/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ username: 'coordinator', password: bad ? 'not the password' : DEMO_PASSWORD }),
  });
}

test('X-Forwarded-For is believed only from a trusted proxy, and only when it is an address', async () => {
  const cases = [
    [plain, FORGED, '127.0.0.1'],                         // no --trust-proxy: a forged header is ignored
    [trusting, FORGED, FORGED],                           // from 127.0.0.1, trusted
    [trusting, `${FORGED}, 198.51.100.4`, '198.51.100.4'], // the right-most entry
    [trusting, `198.51.100.4, 127.0.0.1`, '198.51.100.4'], // a trusted proxy in the chain is skipped
    [trusting, 'junk', '127.0.0.1'],                      // not an address: the peer
    [trusting, `${FORGED}, <script>`, '127.0.0.1'],
    [trusting, '203.0.113.9:4711', '127.0.0.1'],
  ];
  for (const [srv, xff, want] of cases) {
    const from = maxId(srv);
    const res = await apiSignIn(srv, { 'x-forwarded-for': xff });
    assert.equal(res.status, 200, `sign-in with X-Forwarded-For ${xff}`);
    assert.deepEqual(addressesAfter(srv, from), [want], `X-Forwarded-For ${xff}`);
  }
  // The sign-in throttle counts the client's address too, not the proxy's.
  dbSql(trusting.db, "DELETE FROM login_throttle WHERE key LIKE 'a:%'");
  assert.equal((await apiSignIn(trusting, { 'x-forwarded-for': '198.51.100.23' }, { bad: true })).status, 401);
  assert.equal(dbSql(trusting.db, "SELECT key FROM login_throttle WHERE key LIKE 'a:%'"), 'a:198.51.100.23');
});

test('tas serve refuses a --trust-proxy that is not an IP address', () => {
  for (const bad of ['localhost', '10.0.0.0/8', '127.0.0.1,', '[::1]']) {
    const r = spawnSync(tasBin(), ['serve', '--db', trusting.db, '--listen', '127.0.0.1:0', '--trust-proxy', bad],
      { encoding: 'utf8', timeout: 30000 });
    assert.equal(r.status, 2, `--trust-proxy ${bad}: ${r.stderr}`);
    assert.match(r.stderr, /--trust-proxy needs IP addresses/);
  }
});

// --- deploy/tas.service ------------------------------------------------------

const SYSTEMD_ANALYZE = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => existsSync(p));

test('deploy/tas.service passes systemd-analyze verify', { skip: !SYSTEMD_ANALYZE && 'systemd-analyze is not installed' },
  async () => {
    const unit = readFileSync(path.join(REPO, 'deploy/tas.service'), 'utf8');
    const exec = /^ExecStart=\/usr\/local\/bin\/tas serve (.*)$/m.exec(unit);
    assert.ok(exec, 'ExecStart runs /usr/local/bin/tas serve');
    for (const opt of ['--secure-cookies', '--trust-proxy 127.0.0.1', '--listen 127.0.0.1:8080'])
      assert.ok(exec[1].includes(opt), `ExecStart has ${opt}`);
    for (const line of ['NoNewPrivileges=yes', 'ProtectSystem=strict', 'ReadWritePaths=/var/lib/tas',
      'PrivateTmp=yes', 'ProtectHome=yes', 'Restart=on-failure', 'User=tas'])
      assert.match(unit, new RegExp(`^${line}$`, 'm'));
    // verify wants the binary to exist: point it at the one under test.
    const dir = await mkdtemp(path.join(tmpdir(), 'tas-unit-'));
    try {
      const file = path.join(dir, 'tas.service');
      writeFileSync(file, unit.replace('ExecStart=/usr/local/bin/tas ', `ExecStart=${path.resolve(tasBin())} `));
      const r = spawnSync(SYSTEMD_ANALYZE, ['verify', file], { encoding: 'utf8', timeout: 60000 });
      assert.equal(r.status, 0, r.stderr);
      // It says what it ignores (an unknown key, a bad value) on stderr yet exits 0.
      assert.equal(r.stderr.trim(), '', 'no warnings');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

// --- deploy/nginx.conf, in front of tas -------------------------------------

const OPENSSL = ['/usr/bin/openssl', '/bin/openssl'].find((p) => existsSync(p));
const noProxy = !existsSync(NGINX) ? `${NGINX} is not installed (Debian package nginx-light)`
  : !OPENSSL ? 'openssl is not installed' : false;

/** A port free on loopback now (the kernel's pick). */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Replaces each [from, to] of deploy/nginx.conf, failing when one is not there. */
function siteConf(pairs) {
  let conf = readFileSync(path.join(REPO, 'deploy/nginx.conf'), 'utf8');
  for (const [from, to] of pairs) {
    assert.ok(conf.includes(from), `deploy/nginx.conf has "${from}"`);
    conf = conf.replaceAll(from, to);
  }
  return conf;
}

/** Starts nginx with deploy/nginx.conf in dir; resolves {ports, stop}. */
async function startNginx(dir, tasPort) {
  const [plainPort, tlsPort] = [await freePort(), await freePort()];
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  const ssl = spawnSync(OPENSSL, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
    '-nodes', '-subj', '/CN=localhost', '-days', '2', '-keyout', key, '-out', cert], { encoding: 'utf8' });
  assert.equal(ssl.status, 0, ssl.stderr);
  writeFileSync(path.join(dir, 'site.conf'), siteConf([
    ['listen [::]:80;\n', ''],
    ['listen [::]:443 ssl http2;\n', ''],
    ['listen 80;', `listen 127.0.0.1:${plainPort};`],
    ['listen 443 ssl http2;', `listen 127.0.0.1:${tlsPort} ssl http2;`],
    ['server_name tas.example.org;', 'server_name localhost;'],
    ['/etc/ssl/tas/fullchain.pem', cert],
    ['/etc/ssl/tas/privkey.pem', key],
    ['proxy_pass http://127.0.0.1:8080;', `proxy_pass http://127.0.0.1:${tasPort};`],
  ]));
  const temps = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((t) => `${t}_temp_path ${path.join(dir, t)};`).join('\n  ');
  writeFileSync(path.join(dir, 'nginx.conf'), [
    // As root nginx would hand its workers to "nobody", who cannot enter dir.
    process.getuid?.() === 0 ? 'user root root;' : '',
    'worker_processes 1;',
    'events { worker_connections 64; }',
    `http {\n  ${temps}\n  include ${path.join(dir, 'site.conf')};\n}`,
  ].join('\n'));
  const proc = spawn(NGINX, ['-e', 'stderr', '-c', path.join(dir, 'nginx.conf'), '-p', dir,
    '-g', `daemon off; pid ${path.join(dir, 'nginx.pid')};`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => proc.on('close', resolve));
  const stop = async () => { proc.kill('SIGTERM'); await exited; };
  // Ready when the HTTPS port answers.
  for (let i = 0; ; i++) {
    const up = await new Promise((resolve) => {
      const s = net.connect(tlsPort, '127.0.0.1', () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (up) break;
    if (proc.exitCode !== null || i === 200) {
      await stop();
      throw new Error(`nginx did not start\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { plainPort, tlsPort, stop, stderr: () => stderr };
}

/** One request through nginx from CLIENT: resolves {status, headers, body}. */
function request(mod, port, p, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = mod.request({
      host: '127.0.0.1', port, path: p, method, localAddress: CLIENT, agent: false,
      servername: 'localhost', rejectUnauthorized: false,   // the test's self-signed certificate
      headers: { host: 'localhost', ...headers },
    }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { data += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const cookiePair = (setCookie) => setCookie.split(';')[0];

test('deploy/nginx.conf in front of tas: HTTPS, Secure cookies, the client address in the audit log',
  { skip: noProxy }, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tas-nginx-'));
    const tasPort = Number(new URL(trusting.base).port);
    let nginx;
    try {
      nginx = await startNginx(dir, tasPort);

      // Plain HTTP only redirects, to the same path over HTTPS.
      const redirect = await request(http, nginx.plainPort, '/sign-in?next=/pupils');
      assert.equal(redirect.status, 301);
      assert.equal(redirect.headers.location, 'https://localhost/sign-in?next=/pupils');

      // 1 MiB for a page: a 2 MiB body is refused by nginx.
      const big = `csrf=x&pad=${'a'.repeat(2 * 1024 * 1024)}`;
      assert.equal((await request(https, nginx.tlsPort, '/sign-in', {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: big })).status, 413);

      // Sign in over HTTPS, the browser's way: the form, its CSRF cookie, the post.
      const page = await request(https, nginx.tlsPort, '/sign-in');
      assert.equal(page.status, 200);
      assert.match(page.headers['strict-transport-security'] ?? '', /max-age=31536000/);
      const csrfCookie = (page.headers['set-cookie'] ?? []).find((c) => c.startsWith('__Host-tas_csrf='));
      assert.ok(csrfCookie, `a __Host- CSRF cookie: ${page.headers['set-cookie']}`);
      assert.match(csrfCookie, /; Secure/i);
      assert.match(csrfCookie, /; Path=\//i);

      const from = maxId(trusting);
      const form = new URLSearchParams({ username: 'coordinator', password: DEMO_PASSWORD, csrf: csrfFrom(page.body) });
      // The client claims to be someone else; nginx appends the address it
      // really came from (CLIENT), and that is what tas must record.
      const signIn = await request(https, nginx.tlsPort, '/sign-in', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookiePair(csrfCookie),
          'x-forwarded-for': FORGED },
        body: form.toString(),
      });
      assert.equal(signIn.status, 303, signIn.body);
      const cookies = signIn.headers['set-cookie'] ?? [];
      assert.ok(cookies.length > 0, 'a session cookie');
      for (const c of cookies) {
        assert.match(c, /; Secure/i, c);
        assert.match(c, /; HttpOnly/i, c);
      }
      assert.match(signIn.headers['strict-transport-security'] ?? '', /max-age=31536000/);

      // Signed in: the session works through the proxy.
      const session = cookies.map(cookiePair).join('; ');
      const home = await request(https, nginx.tlsPort, '/', { headers: { cookie: session } });
      assert.equal(home.status, 200);

      // 16 MiB for the import pages' files: a 2 MiB file from a signed-in
      // user passes nginx and is read by tas (which then refuses the form's
      // missing CSRF token: not 413, not a proxy error), on each of them.
      const boundary = 'tas-deploy-test';
      for (const page of ['/pupils/ctf', '/schools/import', '/outcomes/import']) {
        const upload = await request(https, nginx.tlsPort, page, {
          method: 'POST',
          headers: { cookie: session, 'content-type': `multipart/form-data; boundary=${boundary}` },
          body: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="f.xml"\r\n` +
            `Content-Type: application/xml\r\n\r\n<CTfile>${' '.repeat(2 * 1024 * 1024)}</CTfile>\r\n--${boundary}--\r\n`,
        });
        assert.ok(upload.status >= 400 && upload.status < 500 && upload.status !== 413,
          `the upload to ${page} reached tas and was read: ${upload.status} ${upload.body.slice(0, 200)}`);
      }

      assert.deepEqual(
        dbSql(trusting.db, `SELECT username || ' ' || action || ' ' || remote_addr FROM audit_log
          WHERE id > ${from} AND action = 'sign-in'`).split('\n'),
        [`coordinator sign-in ${CLIENT}`]);
    } finally {
      await nginx?.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
