// API tokens (docs/api.md): made on the account page, shown once, stored
// hashed, sent as "Authorization: Bearer" to /api/v1/ only; scope enforced,
// revocable at once, expiring, audited with the token's number, and every
// wrong token answered alike.  Every /api/v1 answer here is also checked
// against docs/openapi.json by the harness.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, newPupilJson, decodeHtml, csrfFrom, dbSql, dbBytes } from './harness.mjs';

let srv;
let coord;        // the coordinator's browser session
let headSchool;

function sql(q) {
  return dbSql(srv.db, q);
}

/** A client with no cookies that sends the token. */
function bearer(token) {
  const c = new Client(srv.base);
  c.bearerHeaders = { authorization: `Bearer ${token}` };
  return c;
}
async function call(c, method, p, body) {
  const res = await c.request(p, {
    method,
    headers: { ...c.bearerHeaders, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, text, res };
}

/** Makes a token on the account page; resolves {token, id, html}. */
async function makeToken(c, fields) {
  const res = await c.submitForm('/account/tokens', fields);
  const html = await res.text();
  assert.equal(res.status, 201, html.slice(0, 500));
  const m = /id="new-token"[^>]*value="(tas_[0-9a-f]{64})"/.exec(html);
  assert.ok(m, 'the new token is shown');
  const id = Number(sql(`SELECT max(id) FROM api_tokens`));
  return { token: m[1], id, html };
}

before(async () => {
  srv = await startServer({ clock: true });
  coord = new Client(srv.base);
  assert.equal((await coord.signIn('coordinator')).status, 303);
  const head = new Client(srv.base);
  assert.equal((await head.signIn('head')).status, 303);
  const me = await (await head.get('/api/v1/me')).json();
  headSchool = (me.user ?? me).roles.find((r) => r.role === 'school_lead').scope_id;
});

after(async () => { await srv?.stop(); });

test('the page makes a token only with a name, a scope and a lifetime chosen', async () => {
  const page = await coord.getHtml('/account/tokens');
  assert.equal(page.status, 200);
  assert.match(page.html, /You have no API tokens/);
  const res = await coord.submitForm('/account/tokens', { name: '  ', days: '30' });
  const html = await res.text();
  assert.equal(res.status, 400);
  assert.match(html, /govuk-error-summary/);
  assert.match(html, /Enter a name for the token/);
  assert.match(html, /Select what the token may do/);
  assert.doesNotMatch(html, /tas_[0-9a-f]{64}/);
  const bad = await coord.submitForm('/account/tokens', { name: 'x', scope: 'admin', days: '9999' });
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /Select how long the token lasts/);
  for (const name of ['x'.repeat(81), 'é'.repeat(81), 'y'.repeat(2000)]) {
    const long = await coord.submitForm('/account/tokens', { name, scope: 'read', days: '30' });
    assert.equal(long.status, 400);
    assert.match(await long.text(), /80 characters or fewer/);
  }
  assert.equal(sql('SELECT count(*) FROM api_tokens'), '0');
});

test('a read-only token reads through the API, cannot change anything, and is audited by number', async () => {
  const { token, id } = await makeToken(coord, { name: 'Reporting system', scope: 'read', days: '30' });
  const c = bearer(token);
  const me = await call(c, 'GET', '/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal((me.json.user ?? me.json).username, 'coordinator');
  const list = await call(c, 'GET', '/api/v1/pupils?per_page=3');
  assert.equal(list.status, 200);
  const pupilId = list.json.pupils[0].id;
  const one = await call(c, 'GET', `/api/v1/pupils/${pupilId}`);
  assert.equal(one.status, 200);
  // No CSRF token, no cookie: refused for the scope, not for CSRF.
  const post = await call(c, 'POST', '/api/v1/pupils', newPupilJson(101, headSchool));
  assert.equal(post.status, 403);
  assert.match(post.json.error, /read-only/);
  const put = await call(c, 'PUT', `/api/v1/pupils/${pupilId}`, { surname: 'Changed' });
  assert.equal(put.status, 403);
  assert.equal(sql(`SELECT count(*) FROM pupils WHERE surname = 'Changed'`), '0');
  // The audit log names the token (never its secret) on the view of the pupil.
  const rows = sql(`SELECT remote_addr FROM audit_log WHERE action = 'view' AND resource_kind = 'pupil' ` +
    `AND resource_id = ${pupilId}`).split('\n');
  assert.ok(rows.some((r) => r.endsWith(` token ${id}`)), rows.join('|'));
  // The list shows it, used today, and not its secret.
  const page = await coord.getHtml('/account/tokens');
  assert.match(decodeHtml(page.html), /Reporting system/);
  assert.match(page.html, /Read only/);
  assert.match(page.html, /Active/);
  assert.doesNotMatch(page.html, /Never/);
  assert.ok(!page.html.includes(token));
});

test('a write token changes what its user may change, without a CSRF token, and no more', async () => {
  const { token } = await makeToken(coord, { name: 'MIS link', scope: 'write', days: '90' });
  const c = bearer(token);
  const made = await call(c, 'POST', '/api/v1/pupils', newPupilJson(102, headSchool));
  assert.equal(made.status, 201, made.text);
  // Beyond the coordinator's own rights: the policy still refuses.
  const users = await call(c, 'POST', '/api/v1/users', { username: 'robot', display_name: 'Robot' });
  assert.equal(users.status, 403);
  // The account's own security is the person's, not a token's.
  assert.equal((await call(c, 'GET', '/api/v1/account/two-factor')).status, 403);
  assert.equal((await call(c, 'POST', '/api/v1/account/password', { current_password: 'x' })).status, 403);
  assert.equal((await call(c, 'POST', '/api/v1/sign-out', {})).status, 403);
});

test('a token is never accepted for the HTML pages', async () => {
  const { token } = await makeToken(coord, { name: 'Pages', scope: 'write', days: '30' });
  const c = bearer(token);
  for (const p of ['/pupils', '/account/tokens', '/']) {
    const res = await c.request(p, { headers: c.bearerHeaders });
    assert.equal(res.status, 303, p);
    assert.match(res.headers.get('location'), /^\/sign-in/);
  }
  // Nor can a token make tokens: the page is not under /api/v1/.
  const res = await c.request('/account/tokens', {
    method: 'POST', headers: { ...c.bearerHeaders, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'name=x&scope=write&days=30',
  });
  assert.notEqual(res.status, 201);
  assert.equal(sql(`SELECT count(*) FROM api_tokens WHERE name = 'x'`), '0');
});

test('a revoked token is refused at once', async () => {
  const { token, id } = await makeToken(coord, { name: 'Short lived', scope: 'read', days: '30' });
  const c = bearer(token);
  assert.equal((await call(c, 'GET', '/api/v1/me')).status, 200);
  const page = await coord.getHtml('/account/tokens');
  const res = await coord.postForm(`/account/tokens/${id}/revoke`, { csrf: csrfFrom(page.html) });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/account/tokens?revoked=1');
  const after = await call(c, 'GET', '/api/v1/me');
  assert.equal(after.status, 401);
  // Another user cannot revoke the coordinator's token (nor see it).
  const { id: other } = await makeToken(coord, { name: 'Keep', scope: 'read', days: '30' });
  const head = new Client(srv.base);
  await head.signIn('head');
  const hp = await head.getHtml('/account/tokens');
  assert.doesNotMatch(hp.html, /Keep/);
  const r2 = await head.postForm(`/account/tokens/${other}/revoke`, { csrf: csrfFrom(hp.html) });
  assert.equal(r2.status, 404);
  assert.equal(sql(`SELECT CASE WHEN revoked_at IS NULL THEN 1 ELSE 0 END FROM api_tokens WHERE id = ${other}`), '1');
});

test('wrong tokens all answer 401 alike, whatever their shape', async () => {
  const { token } = await makeToken(coord, { name: 'Real', scope: 'read', days: '30' });
  const wrong = [
    `tas_${'0'.repeat(64)}`, `tas_${token.slice(4).toUpperCase()}`, token.slice(0, -1), `${token}0`,
    token.slice(4), 'tas_', '', `Basic ${token}`,
  ];
  for (let i = 0; i < 40; i++) wrong.push(`tas_${[...Array(64)].map((_, k) => ((i * 7 + k * 13) % 16).toString(16)).join('')}`);
  const answers = new Set();
  for (const w of wrong) {
    const res = await fetch(`${srv.base}/api/v1/me`, { headers: { authorization: w.startsWith('Basic') ? w : `Bearer ${w}` } });
    answers.add(`${res.status} ${await res.text()}`);
  }
  assert.deepEqual([...answers], ['401 {"error":"The token is not valid.","status":401}']);
  // A wrong token is refused even on a public route, and on a cookie's request.
  const signIn = await call(bearer(wrong[0]), 'POST', '/api/v1/sign-in', { username: 'coordinator', password: 'x' });
  assert.equal(signIn.status, 401);
  const both = await coord.request('/api/v1/me', { headers: { authorization: `Bearer ${wrong[0]}` } });
  assert.equal(both.status, 401);
});

test('no token is kept or written anywhere after it is shown', async () => {
  const { token } = await makeToken(coord, { name: 'Secret', scope: 'read', days: '30' });
  assert.equal((await call(bearer(token), 'GET', '/api/v1/pupils')).status, 200);
  const logs = srv.logs();
  assert.ok(!logs.stdout.includes(token.slice(4)) && !logs.stderr.includes(token.slice(4)), 'not in the server\'s logs');
  // The database holds its SHA-256 only.
  const db = dbBytes(srv.db);
  assert.ok(!db.includes(Buffer.from(token.slice(4))), 'not in the database');
  assert.equal(sql('SELECT count(*) FROM api_tokens WHERE length(token_hash) = 64'),
    sql('SELECT count(*) FROM api_tokens'));
  const dump = sql('SELECT * FROM audit_log');
  assert.ok(!dump.includes(token.slice(4)), 'not in the audit log');
  const page = await coord.getHtml('/account/tokens');
  assert.ok(!page.html.includes(token.slice(4)), 'not in the list');
});

test('an expired token is refused', async () => {
  const { token, id } = await makeToken(coord, { name: 'Month', scope: 'read', days: '30' });
  const c = bearer(token);
  assert.equal((await call(c, 'GET', '/api/v1/me')).status, 200);
  srv.clock.advance(30 * 86400 + 1);
  assert.equal((await call(c, 'GET', '/api/v1/me')).status, 401);
  const coord2 = new Client(srv.base);
  await coord2.signIn('coordinator');
  const page = await coord2.getHtml('/account/tokens');
  const row = decodeHtml(page.html).split('<tr').find((r) => r.includes('>Month<'));
  assert.match(row, /Expired/);
  assert.equal(sql(`SELECT CASE WHEN revoked_at IS NULL THEN 1 ELSE 0 END FROM api_tokens WHERE id = ${id}`), '1');
});
