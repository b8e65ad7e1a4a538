// The HTTP layer: security headers, body limits and parsing errors, 404,
// 405, HEAD, static files, the access log, graceful shutdown; and schools
// and authorities through the JSON API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { spawnSync } from 'node:child_process';
import {
  startServer, Client, tasBin, DEMO_PASSWORD, birthDateFor, rawRequest as rawBytes,
} from './harness.mjs';

const MIB = 1024 * 1024;
let srv;
let admin; // Client signed in as the (authority) administrator, with .csrf
let root;  // Client signed in as a system administrator, with .csrf

async function apiClient(username, password = DEMO_PASSWORD) {
  const c = new Client(srv.base);
  const res = await c.postJson('/api/v1/sign-in', { username, password });
  assert.equal(res.status, 200, `sign-in of ${username}`);
  const body = await res.json();
  c.csrf = body.csrf;
  c.me = body.user;
  return c;
}

/** A JSON request with the session's CSRF token: {status, body, text, res}. */
async function api(c, method, path, body, { token = c.csrf, headers = {} } = {}) {
  const h = { ...headers };
  if (body !== undefined && !h['content-type']) h['content-type'] = 'application/json';
  if (token) h['x-csrf-token'] = token;
  const payload = body === undefined || typeof body === 'string' || body instanceof Uint8Array
    ? body : JSON.stringify(body);
  const res = await c.request(path, { method, headers: h, body: payload });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, body: json, text, res };
}

/** Sends raw bytes on a new connection; resolves the whole response text. */
const rawRequest = (head, body = '') => rawBytes(srv.base, head, body);

function assertSecurityHeaders(res, what, { dynamic = true } = {}) {
  const h = res.headers;
  const csp = h.get('content-security-policy');
  assert.ok(csp, `${what}: Content-Security-Policy`);
  assert.match(csp, /default-src 'none'/, what);
  assert.match(csp, /frame-ancestors 'none'/, what);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, what);
  assert.equal(h.get('x-content-type-options'), 'nosniff', what);
  assert.ok(h.get('referrer-policy'), `${what}: Referrer-Policy`);
  assert.match(h.get('referrer-policy'), /^(no-referrer|same-origin|strict-origin)/, what);
  if (dynamic) assert.match(h.get('cache-control') || '', /no-store/, `${what}: Cache-Control`);
}

before(async () => {
  srv = await startServer();
  // A system administrator (the demo's administrator works within one authority).
  const add = spawnSync(tasBin(), ['user', 'add', 'root', '--name', 'Root Admin', '--role', 'admin',
    '--scope', 'system', '--db', srv.db], { input: 'keys-to-the-kingdom-42\n', encoding: 'utf8', timeout: 60000 });
  assert.equal(add.status, 0, add.stderr);
  [admin, root] = await Promise.all([apiClient('admin'), apiClient('root', 'keys-to-the-kingdom-42')]);
});

after(async () => {
  await srv?.stop({ expectExitZero: true });
});

test('security headers on HTML, JSON, redirects and errors', async () => {
  const anon = new Client(srv.base);
  const checks = [
    ['HTML page', await anon.get('/sign-in'), 200, /^text\/html; charset=utf-8/],
    ['HTML page, signed in', await admin.get('/'), 200, /^text\/html/],
    ['redirect', await anon.get('/pupils'), 303, null],
    ['JSON', await admin.get('/api/v1/me'), 200, /^application\/json/],
    ['JSON 401', await anon.get('/api/v1/me'), 401, /^application\/json/],
    ['HTML 404', await anon.get('/no/such/page'), 404, /^text\/html/],
    ['JSON 404', await admin.get('/api/v1/pupils/99999999'), 404, /^application\/json/],
    ['405', await anon.request('/healthz', { method: 'DELETE' }), 405, null],
    ['415', await admin.request('/api/v1/pupils', { method: 'POST', headers: { 'content-type': 'text/plain', 'x-csrf-token': admin.csrf }, body: 'x' }), 415, /^application\/json/],
    ['403', await admin.request('/api/v1/pupils', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }), 403, /^application\/json/],
    ['health', await anon.get('/healthz'), 200, /^text\/plain/],
  ];
  for (const [what, res, status, type] of checks) {
    await res.arrayBuffer();
    assert.equal(res.status, status, what);
    if (type) assert.match(res.headers.get('content-type'), type, what);
    assertSecurityHeaders(res, what);
  }
  const css = await anon.get('/assets/tas.css');
  await css.arrayBuffer();
  assertSecurityHeaders(css, 'stylesheet', { dynamic: false });
});

test('a body over 1 MiB gets 413 (declared or chunked); the server stays up', async () => {
  // Raw sockets, sending no more than the server reads: a client that goes
  // on writing after a 413 can have its connection reset before it reads
  // the answer (that race made this test fail now and then with fetch).
  const headersOf = (raw) => new Headers(raw.split('\r\n\r\n')[0].split('\r\n').slice(1)
    .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
  // Refused on the declared length alone, before any of the body is sent.
  for (const path of ['/pupils', '/api/v1/pupils']) {
    const early = await rawRequest(
      `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${MIB + 1}\r\nConnection: close\r\n\r\n`);
    assert.match(early, /^HTTP\/1\.1 413 /, path);
    assertSecurityHeaders({ headers: headersOf(early) }, `413 for ${path}`);
  }

  // Chunked: the size is only known while reading (the server reads to the
  // end, keeping nothing past the limit).  Sixteen 64 KiB chunks are
  // exactly 1 MiB; one byte more is over.
  const chunk = `10000\r\n${'b'.repeat(64 * 1024)}\r\n`;
  const chunked = await rawRequest(
    'POST /api/v1/pupils HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
    'Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n', `${chunk.repeat(16)}1\r\nb\r\n0\r\n\r\n`);
  assert.match(chunked, /^HTTP\/1\.1 413 /);

  // Exactly 1 MiB is read (and here fails validation, not the size check).
  const pad = JSON.stringify({ upn: '' }).length;
  const exact = JSON.stringify({ upn: 'x'.repeat(MIB - pad) });
  assert.equal(Buffer.byteLength(exact), MIB);
  const ok = await api(admin, 'POST', '/api/v1/pupils', exact);
  assert.equal(ok.status, 422);
  assert.equal(ok.body.errors[0].field, 'upn');

  const health = await fetch(`${srv.base}/healthz`);
  assert.equal(health.status, 200);
  assert.equal(await health.text(), 'ok\n');
  assert.equal((await admin.get('/api/v1/me')).status, 200);
});

test('malformed JSON gets 400 with a JSON error; nothing is created', async () => {
  const before = (await api(admin, 'GET', '/api/v1/pupils?per_page=1')).body.total;
  for (const body of ['{"upn":', '{"upn": "A"} trailing', '[1, 2]', '"text"', 'nul', '{"a":1,"a":2}']) {
    const r = await api(admin, 'POST', '/api/v1/pupils', body);
    assert.equal(r.status, 400, body);
    assert.match(r.res.headers.get('content-type'), /^application\/json/, body);
    assert.equal(typeof r.body.error, 'string', body);
  }
  const anon = await new Client(srv.base).request('/api/v1/sign-in', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username": "admin", "password": ',
  });
  assert.equal(anon.status, 400);
  assert.equal(typeof (await anon.json()).error, 'string');
  assert.equal((await api(admin, 'GET', '/api/v1/pupils?per_page=1')).body.total, before);
});

test('a form with bad percent-encoding gets 400', async () => {
  for (const body of [`csrf=${admin.csrf}&surname=%zz`, `csrf=${admin.csrf}&surname=ab%4`, `csrf=${admin.csrf}&surname=a%00b`, `csrf=${admin.csrf}&sur%GGname=x`]) {
    const res = await admin.request('/pupils', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body,
    });
    const html = await res.text();
    assert.equal(res.status, 400, body);
    assert.match(res.headers.get('content-type'), /^text\/html/);
    assert.match(html, /the form could not be read/i, body);
  }
});

test('an unsupported content type gets 415', async () => {
  for (const type of ['text/plain', 'multipart/form-data; boundary=x', 'application/xml']) {
    const r = await api(admin, 'POST', '/api/v1/pupils', '--x\r\n', { headers: { 'content-type': type } });
    assert.equal(r.status, 415, type);
    assert.equal(typeof r.body.error, 'string');
    const h = await admin.request('/pupils', { method: 'POST', headers: { 'content-type': type, 'x-csrf-token': admin.csrf }, body: 'csrf=x' });
    assert.equal(h.status, 415, `${type} to a form`);
    await h.arrayBuffer();
  }
});

test('unknown paths 404, wrong methods 405, in HTML or JSON', async () => {
  const anon = new Client(srv.base);
  for (const path of ['/nope', '/pupils/0', '/pupils/abc', '/pupils/007', '/pupils/1/', '/assets/other.css', '/pupils/1234567890123456']) {
    const res = await admin.get(path);
    const html = await res.text();
    assert.equal(res.status, 404, path);
    assert.match(res.headers.get('content-type'), /^text\/html/, path);
    assert.match(html, /Page not found/, path);
  }
  const j = await api(anon, 'GET', '/api/v1/nothing-here');
  assert.equal(j.status, 404);
  assert.equal(typeof j.body.error, 'string');
  for (const [method, path] of [['DELETE', '/pupils'], ['PUT', '/pupils/1'], ['POST', '/healthz'], ['PATCH', '/sign-in']]) {
    const res = await anon.request(path, { method });
    await res.arrayBuffer();
    assert.equal(res.status, 405, `${method} ${path}`);
  }
  const jm = await api(anon, 'GET', '/api/v1/sign-in');
  assert.equal(jm.status, 405);
  assert.equal(typeof jm.body.error, 'string');
  const del = await api(admin, 'DELETE', '/api/v1/pupils/1');
  assert.equal(del.status, 405);
});

test('a 405 names the methods that are allowed (Allow header)', async () => {
  const res = await fetch(`${srv.base}/pupils`, { method: 'DELETE' });
  await res.arrayBuffer();
  assert.equal(res.status, 405);
  const allow = (res.headers.get('allow') || '').split(',').map((m) => m.trim()).sort();
  assert.deepEqual(allow.filter((m) => m !== 'HEAD'), ['GET', 'POST']);
});

test('/healthz and the stylesheet', async () => {
  const h = await fetch(`${srv.base}/healthz`);
  assert.equal(h.status, 200);
  assert.equal(await h.text(), 'ok\n');
  const css = await fetch(`${srv.base}/assets/tas.css`);
  assert.equal(css.status, 200);
  assert.match(css.headers.get('content-type'), /^text\/css/);
  assert.doesNotMatch(css.headers.get('cache-control') || '', /no-store/);
  const text = await css.text();
  assert.ok(text.length > 1000, 'a real stylesheet');
  assert.match(text, /\.govuk-/);
  assert.ok(!text.includes('GDS Transport'), 'no GDS Transport font (only for GOV.UK)');
});

test('HEAD answers like GET, without a body', async () => {
  const anon = new Client(srv.base);
  for (const [path, status] of [['/healthz', 200], ['/sign-in', 200], ['/assets/tas.css', 200], ['/', 303], ['/api/v1/me', 401], ['/nope', 404]]) {
    const get = await anon.get(path);
    const getBody = await get.arrayBuffer();
    const head = await anon.request(path, { method: 'HEAD' });
    const body = await head.arrayBuffer();
    assert.equal(head.status, status, path);
    assert.equal(get.status, status, path);
    assert.equal(body.byteLength, 0, `${path}: no body`);
    assert.equal(head.headers.get('content-type'), get.headers.get('content-type'), path);
    assert.equal(head.headers.get('location'), get.headers.get('location'), path);
    if (path === '/healthz' || path === '/assets/tas.css') {
      assert.equal(Number(head.headers.get('content-length')), getBody.byteLength, `${path} length`);
    }
    assertSecurityHeaders(head, `HEAD ${path}`, { dynamic: path !== '/assets/tas.css' });
  }
  const post = await anon.request('/sign-out', { method: 'HEAD' });
  assert.equal(post.status, 405, 'HEAD of a POST-only address');
});

test('the access log has paths only: no query strings, names or user names', async () => {
  const surname = 'Quorlithwaite';
  const created = await api(admin, 'POST', '/api/v1/pupils', {
    upn: 'B801200005001', forenames: 'Logcheck', surname, date_of_birth: birthDateFor('5', '05-05'), gender: 'M',
    ethnicity: 'WBRI', nc_year: '5', sen_provision: 'N', school_id: 1,
  });
  assert.equal(created.status, 201, created.text);
  assert.equal((await admin.get(`/pupils?q=${surname}&school=1`)).status, 200);
  assert.equal((await api(admin, 'GET', `/api/v1/pupils?q=${surname.toLowerCase()}`)).body.total, 1);
  assert.equal((await admin.get(`/api/v1/pupils?q=${created.body.pupil.upn}`)).status, 200);
  const failed = await new Client(srv.base).postJson('/api/v1/sign-in', { username: 'logprobe-user', password: 'secret-guess-1' });
  assert.equal(failed.status, 401);
  await new Promise((r) => setTimeout(r, 200));
  const log = srv.logs().stderr;
  assert.match(log, /^\S+Z GET \/pupils 200 \d+ [\d.]+ms$/m, 'the search was logged, by path');
  assert.match(log, /^\S+Z GET \/api\/v1\/pupils 200 /m);
  assert.match(log, /^\S+Z POST \/api\/v1\/sign-in 401 /m);
  for (const secret of [surname, surname.toLowerCase(), 'Logcheck', created.body.pupil.upn, 'logprobe', 'secret-guess', 'q=', 'school=', '?']) {
    assert.ok(!log.includes(secret), `the log does not contain ${secret}`);
  }
});

test('strict HTTP: two different lengths, a NUL or control character in the path, no Host on HTTP/1.1', async () => {
  const status = (raw) => Number(/^HTTP\/1\.[01] (\d{3})/.exec(raw)?.[1]);
  const body = JSON.stringify({ username: 'dpo', password: 'x' });
  const two = await rawRequest('POST /api/v1/sign-in HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
    `Content-Length: ${body.length}\r\nContent-Length: ${body.length + 5}\r\nConnection: close\r\n\r\n`, body);
  assert.equal(status(two), 400, two);
  for (const p of ['/pupils%00.json', '/healthz%00', '/x%0d%0aSet-Cookie:%20a=b', '/a%7Fb', '/%09']) {
    const r = await rawRequest(`GET ${p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.equal(status(r), 400, `${p}: ${r.slice(0, 80)}`);
    assert.doesNotMatch(r, /set-cookie: a=b/i);
  }
  const noHost = await rawRequest('GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n');
  assert.equal(status(noHost), 400, noHost);
  // What is allowed still works: HTTP/1.0 needs no Host; the same length
  // twice is one length.
  assert.equal(status(await rawRequest('GET /healthz HTTP/1.0\r\n\r\n')), 200);
  assert.equal(status(await rawRequest('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')), 200);
  const same = await rawRequest('POST /api/v1/sign-in HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
    `Content-Length: ${body.length}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`, body);
  assert.notEqual(status(same), 400, same.slice(0, 80));
  // The server is still up.
  assert.equal((await fetch(`${srv.base}/healthz`)).status, 200);
});

test('an encoded line break in a path cannot forge access log lines', async () => {
  const res = await fetch(`${srv.base}/x%0A2026-01-01T00:00:00Z%20GET%20/FORGED%20200%200%200.1ms`);
  await res.arrayBuffer();
  await new Promise((r) => setTimeout(r, 200));
  const log = srv.logs().stderr;
  assert.doesNotMatch(log, /^2026-01-01T00:00:00Z GET \/FORGED/m);
  for (const line of log.trim().split('\n')) {
    assert.match(line, /^(tas: .*|\S+Z [A-Z]+ \S+ \d{3} \d+ [\d.]+ms)$/, `a line not written by the server: ${JSON.stringify(line)}`);
  }
});

// ---- schools and authorities through the API -------------------------------------

test('schools: create, list, view, edit through the API, with field errors', async () => {
  const school = {
    urn: '654321', name: 'Test Lane Primary School', phase: 'primary', pupils_on_roll: 210,
    fsm_pct: 18.5, sen_pct: '12%', tas_member: 'yes', authority_id: 1,
  };
  const c = await api(admin, 'POST', '/api/v1/schools', school);
  assert.equal(c.status, 201, c.text);
  const s = c.body.school;
  assert.equal(typeof s.id, 'number');
  assert.deepEqual([s.urn, s.name, s.phase, s.pupils_on_roll, s.fsm_pct, s.sen_pct, s.tas_member, s.authority_id],
    ['654321', 'Test Lane Primary School', 'primary', 210, 18.5, 12, true, 1]);
  assert.deepEqual((await api(admin, 'GET', `/api/v1/schools/${s.id}`)).body.school, s);
  const list = await api(admin, 'GET', '/api/v1/schools?q=test%20lane');
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.schools.map((x) => x.id), [s.id]);
  assert.equal((await api(admin, 'GET', '/api/v1/schools?q=654321')).body.total, 1, 'search by URN');
  const all = await api(admin, 'GET', '/api/v1/schools?per_page=200');
  assert.ok(all.body.total >= 25);
  assert.ok(all.body.schools.some((x) => x.id === s.id));
  const view = await admin.getHtml(`/schools/${s.id}`);
  assert.equal(view.status, 200);
  assert.match(view.html, /Test Lane Primary School/);

  const put = await api(admin, 'PUT', `/api/v1/schools/${s.id}`, { ...school, name: 'Test Lane Academy', pupils_on_roll: '', tas_member: false });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.body.school.name, 'Test Lane Academy');
  assert.equal(put.body.school.pupils_on_roll, null, 'empty means not recorded');
  assert.equal(put.body.school.tas_member, false);
  assert.equal((await api(admin, 'GET', `/api/v1/schools/${s.id}`)).body.school.name, 'Test Lane Academy');

  const bad = await api(admin, 'POST', '/api/v1/schools', { ...school, urn: '12345', phase: 'college', fsm_pct: '101', tas_member: 'maybe' });
  assert.equal(bad.status, 422);
  assert.equal(typeof bad.body.error, 'string');
  assert.deepEqual(bad.body.errors.map((e) => e.field), ['urn', 'phase', 'fsm_pct', 'tas_member']);
  assert.match(bad.body.errors[0].message, /URN must be 6 or 7 numbers/);
  for (const urn of ['12345a', '12345678', '']) {
    const r = await api(admin, 'POST', '/api/v1/schools', { ...school, urn });
    assert.equal(r.status, 422, `urn ${JSON.stringify(urn)}`);
    assert.deepEqual(r.body.errors.map((e) => e.field), ['urn']);
  }
  const dup = await api(admin, 'POST', '/api/v1/schools', { ...school, name: 'Another' });
  assert.equal(dup.status, 422);
  assert.deepEqual(dup.body.errors, [{ field: 'urn', message: 'A school with this URN is already recorded' }]);
  const noLa = await api(admin, 'POST', '/api/v1/schools', { ...school, urn: '7654321', authority_id: 999 });
  assert.equal(noLa.status, 422);
  assert.deepEqual(noLa.body.errors.map((e) => e.field), ['authority_id']);
  const badPut = await api(admin, 'PUT', `/api/v1/schools/${s.id}`, { ...school, urn: 'abc' });
  assert.equal(badPut.status, 422);
  assert.equal((await api(admin, 'GET', `/api/v1/schools/${s.id}`)).body.school.urn, '654321', 'unchanged');
  assert.equal((await api(admin, 'GET', '/api/v1/schools/99999999')).status, 404);
});

test('authorities: list, view, edit; only a system administrator adds one; field errors', async () => {
  const list = await api(admin, 'GET', '/api/v1/authorities');
  assert.equal(list.status, 200);
  assert.equal(list.body.authorities.length, 1, 'an authority administrator sees their own');
  const la = list.body.authorities[0];
  assert.match(la.la_code, /^\d{3}$/);
  assert.deepEqual((await api(admin, 'GET', `/api/v1/authorities/${la.id}`)).body.authority, la);

  const put = await api(admin, 'PUT', `/api/v1/authorities/${la.id}`, { la_code: la.la_code, name: `${la.name} (renamed)` });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.body.authority.name, `${la.name} (renamed)`);
  assert.equal((await api(admin, 'GET', `/api/v1/authorities/${la.id}`)).body.authority.name, `${la.name} (renamed)`);
  for (const code of ['80', '8044', 'abc', '']) {
    const r = await api(admin, 'PUT', `/api/v1/authorities/${la.id}`, { la_code: code, name: la.name });
    assert.equal(r.status, 422, `la_code ${JSON.stringify(code)}`);
    assert.deepEqual(r.body.errors.map((e) => e.field), ['la_code']);
  }
  const noName = await api(admin, 'PUT', `/api/v1/authorities/${la.id}`, { la_code: la.la_code, name: '  ' });
  assert.deepEqual(noName.body.errors.map((e) => e.field), ['name']);

  const refused = await api(admin, 'POST', '/api/v1/authorities', { la_code: '990', name: 'Not Allowed Council' });
  assert.equal(refused.status, 403);
  const created = await api(root, 'POST', '/api/v1/authorities', { la_code: '990', name: 'Testshire County Council' });
  assert.equal(created.status, 201, created.text);
  const other = created.body.authority;
  assert.deepEqual([other.la_code, other.name], ['990', 'Testshire County Council']);
  assert.equal((await api(root, 'GET', '/api/v1/authorities')).body.authorities.length, 2);
  const dup = await api(root, 'POST', '/api/v1/authorities', { la_code: '990', name: 'Again' });
  assert.equal(dup.status, 422);
  assert.deepEqual(dup.body.errors.map((e) => e.field), ['la_code']);
  const bad = await api(root, 'POST', '/api/v1/authorities', { la_code: '99', name: '' });
  assert.equal(bad.status, 422);
  assert.deepEqual(bad.body.errors.map((e) => e.field), ['la_code', 'name']);

  // The authority administrator cannot see or act in the new authority.
  assert.equal((await api(admin, 'GET', `/api/v1/authorities/${other.id}`)).status, 404);
  assert.equal((await api(admin, 'GET', '/api/v1/authorities')).body.authorities.length, 1);
  const cross = await api(admin, 'POST', '/api/v1/schools', {
    urn: '1112223', name: 'Elsewhere School', phase: 'secondary', tas_member: 'no', authority_id: other.id,
  });
  assert.equal(cross.status, 403);
  const rootSchool = await api(root, 'POST', '/api/v1/schools', {
    urn: '1112223', name: 'Elsewhere School', phase: 'secondary', tas_member: 'no', authority_id: other.id,
  });
  assert.equal(rootSchool.status, 201, rootSchool.text);
  assert.equal((await api(admin, 'GET', `/api/v1/schools/${rootSchool.body.school.id}`)).status, 404);
  assert.equal((await api(admin, 'GET', '/api/v1/schools?q=Elsewhere')).body.total, 0);
});

// Last: stops the server.
test('SIGTERM: a request in flight is answered, then the server exits 0', async () => {
  const u = new URL(srv.base);
  const body = JSON.stringify({ username: 'dpo', password: DEMO_PASSWORD });
  const sock = net.connect(Number(u.port), u.hostname);
  await new Promise((r, j) => { sock.once('connect', r); sock.once('error', j); });
  let data = '';
  sock.setEncoding('utf8').on('data', (d) => { data += d; });
  const closed = new Promise((r) => sock.on('close', r));
  // Headers and half the body now, the rest after SIGTERM.
  sock.write(`POST /api/v1/sign-in HTTP/1.1\r\nHost: ${u.host}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`);
  await new Promise((r) => setTimeout(r, 200));
  const exited = new Promise((r) => srv.proc.once('close', (code, signal) => r({ code, signal })));
  srv.proc.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(srv.proc.exitCode, null, 'still running while a request is in flight');
  sock.write(body.slice(10));
  await closed;
  assert.match(data, /^HTTP\/1\.1 200 /, 'the request in flight got its answer');
  assert.match(data, /"username":"dpo"/);
  const { code, signal } = await exited;
  assert.equal(signal, null);
  assert.equal(code, 0);
  assert.match(srv.logs().stderr, /tas: stopping\n(.*\n)*tas: stopped/);
});
