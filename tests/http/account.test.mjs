// Account security: two-factor authentication (set-up, the two-step
// sign-in, replayed codes, recovery codes), roles that require it, the
// password policy, disabling accounts, the live-session list with revoke,
// and CSRF on every new form.  Codes are computed here from the secret the
// set-up page shows (RFC 6238 in a few lines of node:crypto).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { startServer, Client, dbSql, decodeHtml, DEMO_PASSWORD, nowMs } from './harness.mjs';

let srv;
let thr; // its own server for the throttling test: failures count per address too
let held; // and one whose clock stands still, for the password page's delays

before(async () => {
  [srv, thr, held] = await Promise.all([
    startServer({ extraArgs: ['--quiet'] }),
    // A 3 s first delay: a loaded machine cannot outlast it between two tries.
    startServer({ seed: 3, extraArgs: ['--first-delay', '3', '--quiet'] }),
    startServer({ seed: 6, clock: true, extraArgs: ['--first-delay', '3', '--quiet'] }),
  ]);
});

after(async () => {
  await Promise.all([srv?.stop({ expectExitZero: true }), thr?.stop({ expectExitZero: true }),
    held?.stop({ expectExitZero: true })]);
});

// ---- TOTP in node ---------------------------------------------------------

function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let acc = 0;
  const out = [];
  for (const ch of s.replace(/[\s=-]/g, '').toUpperCase()) {
    const v = alphabet.indexOf(ch);
    if (v < 0) throw new Error(`not base32: ${ch}`);
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((acc >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The 6-digit code for a step (default: now). */
function totp(secret, step = Math.floor(nowMs() / 30000)) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(msg).digest();
  const off = mac[19] & 0xf;
  const bin = (mac.readUInt32BE(off) & 0x7fffffff) % 1000000;
  return String(bin).padStart(6, '0');
}

const nowStep = () => Math.floor(nowMs() / 30000);

// ---- helpers --------------------------------------------------------------

function summaryMessages(html) {
  const start = html.indexOf('govuk-error-summary__list');
  if (start < 0) return [];
  const list = html.slice(start, html.indexOf('</ul>', start));
  return [...list.matchAll(/<a href="([^"]*)">([^<]*)<\/a>/g)].map((m) => `${m[1]} ${decodeHtml(m[2]).trim()}`);
}

function fieldError(html, id) {
  const m = new RegExp(`id="${id}-error"[^>]*>\\s*<span[^>]*>Error:</span>([^<]*)<`).exec(html);
  return m ? decodeHtml(m[1]).trim() : null;
}

async function signedIn(username, password = DEMO_PASSWORD, server = srv) {
  const c = new Client(server.base);
  const res = await c.signIn(username, password);
  await res.arrayBuffer();
  assert.equal(res.status, 303, `sign-in of ${username}`);
  return c;
}

/** A client signed in through the JSON API; api() sends its CSRF header. */
async function apiClient(username, password = DEMO_PASSWORD) {
  const c = new Client(srv.base);
  const res = await c.postJson('/api/v1/sign-in', { username, password });
  const body = await res.json();
  assert.equal(res.status, 200, `${username}: ${JSON.stringify(body)}`);
  assert.ok(body.csrf, `${username}: signed in`);
  c.csrf = body.csrf;
  return c;
}

async function api(c, method, path, body) {
  const headers = { 'x-csrf-token': c.csrf ?? '' };
  const res = body === undefined
    ? await c.request(path, { method, headers })
    : await c.request(path, { method, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, text, res };
}

async function userId(admin, username) {
  const r = await api(admin, 'GET', '/api/v1/users');
  assert.equal(r.status, 200);
  const u = r.json.users.find((x) => x.username === username);
  assert.ok(u, `user ${username} listed`);
  return u.id;
}

/** Sets up two-factor authentication for c's user through the pages.
 *  Resolves {secret, codes, step} (step: the one the set-up code used). */
async function enrol(c) {
  const { status, html } = await c.getHtml('/account/two-factor');
  assert.equal(status, 200);
  const m = /id="totp-secret">([A-Z2-7 ]+)</.exec(html);
  assert.ok(m, 'the set-up page shows the key');
  const secret = m[1];
  assert.match(decodeHtml(html), new RegExp(`otpauth://totp/[^"<]*secret=${secret.replace(/ /g, '')}&amp;|otpauth://totp/[^"<]*secret=${secret.replace(/ /g, '')}&`));
  // A wrong code first: refused with the field's message, no codes shown.
  const wrongCode = totp(secret, nowStep() + 5);
  let res = await c.submitForm('/account/two-factor', { code: wrongCode });
  let body = await res.text();
  assert.equal(res.status, 400);
  assert.match(fieldError(body, 'f-code') ?? '', /not right/);
  assert.doesNotMatch(body, /recovery-codes/);
  // Reloading shows the same key (what was scanned stays valid).
  assert.match((await c.getHtml('/account/two-factor')).html, new RegExp(secret));
  const step = nowStep();
  res = await c.submitForm('/account/two-factor', { code: totp(secret, step) });
  body = await res.text();
  assert.equal(res.status, 200, body.slice(0, 500));
  const list = body.slice(body.indexOf('id="recovery-codes"'), body.indexOf('</ul>', body.indexOf('id="recovery-codes"')));
  const codes = [...list.matchAll(/<code>([a-z0-9-]+)<\/code>/g)].map((x) => x[1]);
  assert.equal(codes.length, 10, 'ten recovery codes');
  assert.equal(new Set(codes).size, 10);
  // Shown once: the page now says it is on, and shows no codes.
  const again = await c.getHtml('/account/two-factor');
  assert.match(again.html, /Two-factor authentication is on/);
  for (const code of codes) assert.ok(!again.html.includes(code));
  return { secret, codes, step };
}

/** Password step of a two-step sign-in: resolves the client (pending). */
async function passwordStep(username, password = DEMO_PASSWORD, server = srv) {
  const c = new Client(server.base);
  const res = await c.signIn(username, password);
  await res.arrayBuffer();
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/sign-in/code');
  assert.ok(c.cookies.has('tas_pending'), 'a pending sign-in cookie');
  assert.ok(!c.cookies.has('tas_session'), 'no session yet');
  return c;
}

async function codeStep(c, code) {
  const res = await c.submitForm('/sign-in/code', { code });
  return { status: res.status, location: res.headers.get('location'), html: await res.text() };
}

// ---- tests ----------------------------------------------------------------

test('two-factor set-up, two-step sign-in, replay refused, recovery codes used once', async () => {
  // A session opened elsewhere with the password alone (perhaps not by the
  // head) does not outlive the second factor being set up.
  const elsewhere = await signedIn('head');
  assert.equal((await elsewhere.get('/api/v1/me')).status, 200);
  const head = await signedIn('head');
  const { secret, codes, step } = await enrol(head);
  assert.equal((await elsewhere.get('/api/v1/me')).status, 401, 'the other session ended');
  assert.equal((await head.get('/api/v1/me')).status, 200, 'the one that set it up goes on');

  // The password alone now leads to the code step, which grants nothing
  // and is not yet a sign-in in the audit trail.
  const signIns = () => Number(dbSql(srv.db,
    "SELECT count(*) FROM audit_log WHERE action = 'sign-in' AND username = 'head'"));
  const signInsBefore = signIns();
  const c = await passwordStep('head');
  assert.equal(signIns(), signInsBefore, 'the password step alone is not recorded as a sign-in');
  const me = await c.get('/api/v1/me');
  assert.equal(me.status, 401, 'a pending sign-in is not a session');
  const home = await c.get('/');
  assert.equal(home.status, 303);
  assert.match(home.headers.get('location'), /^\/sign-in/);
  const form = await c.getHtml('/sign-in/code');
  assert.equal(form.status, 200);
  assert.match(form.html, /Enter your security code/);

  // The code used for the set-up cannot be used again.
  let r = await codeStep(c, totp(secret, step));
  assert.equal(r.status, 401);
  assert.match(fieldError(r.html, 'f-code') ?? '', /not right, or it has been used/);
  // The next step's code (within the one-step window) works, once.
  const next = totp(secret, step + 1);
  r = await codeStep(c, next);
  assert.equal(r.status, 303, r.html.slice(0, 400));
  assert.equal(r.location, '/');
  assert.ok(c.cookies.has('tas_session'));
  assert.ok(!c.cookies.has('tas_pending'));
  assert.equal((await c.get('/api/v1/me')).status, 200);
  assert.equal(signIns(), signInsBefore + 1, 'the sign-in is recorded once the code is accepted');

  const d = await passwordStep('head');
  r = await codeStep(d, next);
  assert.equal(r.status, 401, 'a code is refused the second time');

  // A recovery code works once (typed in capitals, without the dash).
  r = await codeStep(d, codes[0].replace('-', '').toUpperCase());
  assert.equal(r.status, 303);
  assert.equal((await d.get('/api/v1/me')).status, 200);
  const e = await passwordStep('head');
  r = await codeStep(e, codes[0]);
  assert.equal(r.status, 401, 'a recovery code works once');
  r = await codeStep(e, codes[1]);
  assert.equal(r.status, 303);
  const acct = await e.getHtml('/account');
  assert.match(acct.html, /8 recovery codes left/);

  // The JSON sign-in has the same two steps.
  const j = new Client(srv.base);
  let res = await j.postJson('/api/v1/sign-in', { username: 'head', password: DEMO_PASSWORD });
  let body = await res.json();
  assert.equal(res.status, 200);
  assert.equal(body.second_factor_required, true);
  assert.equal(body.csrf, undefined, 'no session token before the code');
  res = await j.postJson('/api/v1/sign-in/code', { code: '000000' === totp(secret) ? '111111' : '000000' });
  assert.equal(res.status, 401);
  res = await j.postJson('/api/v1/sign-in/code', { code: codes[2] });
  body = await res.json();
  assert.equal(res.status, 200);
  assert.equal(body.user.username, 'head');

  // An administrator resets it: the user's sessions end and the password
  // alone signs in again.
  const admin = await apiClient('admin');
  const id = await userId(admin, 'head');
  const st = await api(admin, 'GET', `/api/v1/users/${id}`);
  assert.equal(st.json.user.two_factor.enabled, true);
  const reset = await api(admin, 'POST', `/api/v1/users/${id}/two-factor/reset`, {});
  assert.equal(reset.status, 200);
  assert.equal(reset.json.user.two_factor.enabled, false);
  assert.equal((await j.get('/api/v1/me')).status, 401);
  await signedIn('head');
});

test('wrong codes are throttled like passwords, and a pending sign-in expires after 5 tries', async () => {
  const lead = await signedIn('lead', DEMO_PASSWORD, thr);
  const { secret } = await enrol(lead);
  const c = await passwordStep('lead', DEMO_PASSWORD, thr);
  const wrong = (i) => String((Number(totp(secret)) + 500000 + i * 7919) % 1000000).padStart(6, '0');
  const statuses = [];
  for (let i = 0; i < 5; i++) statuses.push((await codeStep(c, wrong(i))).status);
  // Three free failures, the fourth starts a delay, so the fifth waits.
  assert.deepEqual(statuses, [401, 401, 401, 401, 429]);
  await new Promise((r) => setTimeout(r, 3200));
  assert.equal((await codeStep(c, wrong(5))).status, 401, 'after the delay, a fifth try');
  // Five tries spent: the password must be given again (even a right code).
  const r = await codeStep(c, totp(secret, nowStep() + 1));
  assert.equal(r.status, 303);
  assert.equal(r.location, '/sign-in?restart=1');
  assert.ok(!c.cookies.has('tas_pending'));
  const page = await c.getHtml('/sign-in?restart=1');
  assert.match(page.html, /timed out before the code was entered/);
});

test('a role that requires two-factor sends its holders to set it up, and allows nothing else', async () => {
  const admin = await signedIn('admin');
  // Required for school leads in the admin's authority (checkboxes kept on error).
  let res = await admin.submitForm('/settings/security', { require_totp: ['school_lead', 'no_such_role'] });
  let html = await res.text();
  assert.equal(res.status, 400);
  assert.match(html, /value="school_lead" checked/);
  res = await admin.submitForm('/settings/security', { require_totp: ['school_lead'] });
  assert.equal(res.status, 303);
  const page = await admin.getHtml('/settings/security');
  assert.match(page.html, /value="school_lead" checked/);

  const senco = new Client(srv.base);
  res = await senco.signIn('senco');
  assert.equal(res.status, 303);
  res = await senco.get('/');
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/account/two-factor');
  for (const p of ['/pupils', '/cases', '/account/password', '/users']) {
    const r = await senco.get(p);
    assert.equal(r.status, 303, p);
    assert.equal(r.headers.get('location'), '/account/two-factor', p);
  }
  const me = await senco.get('/api/v1/me');
  const meBody = await me.json();
  assert.equal(me.status, 200);
  assert.equal(meBody.two_factor_setup_required, true);
  assert.deepEqual(meBody.user.roles, [], 'no rights until set up');
  assert.equal((await senco.get('/api/v1/pupils')).status, 403);
  const setup = await senco.getHtml('/account/two-factor');
  assert.match(setup.html, /Your role requires two-factor authentication/);
  await enrol(senco);
  assert.equal((await senco.get('/pupils')).status, 200, 'set up: the service opens');
  assert.equal((await (await senco.get('/api/v1/me')).json()).two_factor_setup_required, false);

  // The JSON twin; non-administrators may not change it.
  const a = await apiClient('admin');
  let r = await api(a, 'GET', '/api/v1/settings/security');
  assert.deepEqual(r.json.require_two_factor, ['school_lead']);
  r = await api(a, 'PUT', '/api/v1/settings/security', { require_two_factor: [] });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.require_two_factor, []);
  const coord = await apiClient('coordinator');
  r = await api(coord, 'PUT', '/api/v1/settings/security', { require_two_factor: ['admin'] });
  assert.equal(r.status, 403);
  assert.equal((await api(coord, 'GET', '/api/v1/settings/security')).status, 403);
});

test('password policy: length, common passwords, the user name, on every page that sets one', async () => {
  const c = await signedIn('coordinator');
  const other = await signedIn('coordinator');
  const cases = [
    [{ current_password: DEMO_PASSWORD, new_password: 'short', confirm_password: 'short' }, 'new_password', /12 characters or more/],
    [{ current_password: DEMO_PASSWORD, new_password: 'Password1234', confirm_password: 'Password1234' }, 'new_password', /too common/],
    [{ current_password: DEMO_PASSWORD, new_password: 'qwertyuiop!!', confirm_password: 'qwertyuiop!!' }, 'new_password', /too common/],
    [{ current_password: DEMO_PASSWORD, new_password: 'zzzzzzzzzzzzzz', confirm_password: 'zzzzzzzzzzzzzz' }, 'new_password', /repeats or runs along the keyboard/],
    [{ current_password: DEMO_PASSWORD, new_password: 'asdfghjkl;\'#', confirm_password: 'asdfghjkl;\'#' }, 'new_password', /repeats or runs along the keyboard/],
    [{ current_password: DEMO_PASSWORD, new_password: DEMO_PASSWORD, confirm_password: DEMO_PASSWORD }, 'new_password', /demonstration's/],
    [{ current_password: DEMO_PASSWORD, new_password: 'i-am-the-coordinator', confirm_password: 'i-am-the-coordinator' }, 'new_password', /user name/],
    [{ current_password: DEMO_PASSWORD, new_password: 'x'.repeat(257), confirm_password: 'x'.repeat(257) }, 'new_password', /256 characters or fewer/],
    [{ current_password: 'not-my-password', new_password: 'violet tractor marmalade', confirm_password: 'violet tractor marmalade' }, 'current_password', /current password is not right/],
    [{ current_password: DEMO_PASSWORD, new_password: 'violet tractor marmalade', confirm_password: 'violet tractor marmelade' }, 'confirm_password', /do not match/],
  ];
  for (const [fields, field, msg] of cases) {
    const res = await c.submitForm('/account/password', fields);
    const html = await res.text();
    assert.equal(res.status, 400, `${field} ${msg}`);
    assert.match(fieldError(html, `f-${field}`) ?? '', msg);
    assert.ok(summaryMessages(html).some((s) => s.startsWith(`#f-${field} `)), 'the summary links to the field');
    // The form is there to try again; passwords are never sent back.
    for (const f of ['current_password', 'new_password', 'confirm_password']) {
      assert.match(html, new RegExp(`<input[^>]*id="f-${f}"[^>]*type="password"`));
    }
    assert.ok(!html.includes(fields.new_password.slice(0, 50)) || fields.new_password === 'short', 'no password in the page');
  }
  // No composition rules: lower-case words are fine.  Other sessions end.
  const res = await c.submitForm('/account/password', {
    current_password: DEMO_PASSWORD, new_password: 'violet tractor marmalade', confirm_password: 'violet tractor marmalade',
  });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/account?saved=password');
  assert.equal((await c.get('/api/v1/me')).status, 200, 'this session goes on');
  assert.equal((await other.get('/api/v1/me')).status, 401, 'the other session ended');
  await signedIn('coordinator', 'violet tractor marmalade');

  // The JSON twin gives field errors.
  const j = await apiClient('coordinator', 'violet tractor marmalade');
  const r = await api(j, 'POST', '/api/v1/account/password', {
    current_password: 'violet tractor marmalade', new_password: 'letmein12345', confirm_password: 'letmein12345',
  });
  assert.equal(r.status, 422);
  assert.match(JSON.stringify(r.json), /too common/);

  // An administrator setting someone's password meets the same policy.
  const admin = await signedIn('admin');
  const a = await apiClient('admin');
  const id = await userId(a, 'dpo');
  const page = await admin.getHtml(`/users/${id}/password`);
  assert.equal(page.status, 200);
  let p = await admin.submitForm(`/users/${id}/password`, { password: 'dpo-password-2024' });
  let html = await p.text();
  assert.equal(p.status, 400);
  assert.match(fieldError(html, 'f-password') ?? '', /user name/);
  p = await admin.submitForm(`/users/${id}/password`, { password: 'iloveyou2024' });
  html = await p.text();
  assert.equal(p.status, 400);
  assert.match(fieldError(html, 'f-password') ?? '', /too common/);
  const q = await api(a, 'PUT', `/api/v1/users/${id}/password`, { password: 'sunshine1234' });
  assert.equal(q.status, 422);
  p = await admin.submitForm(`/users/${id}/password`, { password: 'copper kettle lantern' });
  assert.equal(p.status, 303);
  await signedIn('dpo', 'copper kettle lantern');
});

test('guesses at the current password on the password page are throttled like sign-in', async () => {
  // On a server whose clock stands still: the delay is exactly 3 s.
  const c = await signedIn('steering', DEMO_PASSWORD, held);
  const wrong = { current_password: 'not-it-at-all', new_password: 'violet tractor marmalade',
    confirm_password: 'violet tractor marmalade' };
  const messages = [];
  for (let i = 0; i < 5; i++) {
    const res = await c.submitForm('/account/password', wrong);
    assert.equal(res.status, 400);
    messages.push(fieldError(await res.text(), 'f-current_password'));
  }
  // Three free failures; the 4th starts the delay; the 5th is held.
  assert.deepEqual(messages.slice(0, 4), Array(4).fill('Your current password is not right'), messages.join(' | '));
  assert.equal(messages[4], 'Too many tries. Wait 3 seconds before trying again', messages.join(' | '));
  // Even the right password waits while held: guessing cannot go faster.
  const right = await c.submitForm('/account/password', { ...wrong, current_password: DEMO_PASSWORD });
  assert.equal(right.status, 400);
  assert.match(fieldError(await right.text(), 'f-current_password'), /^Too many tries/);
  // Other users are not held.
  const other = await signedIn('evaluator', DEMO_PASSWORD, held);
  const fine = await other.submitForm('/account/password', { ...wrong, current_password: 'still-wrong' });
  assert.equal(fieldError(await fine.text(), 'f-current_password'), 'Your current password is not right');
  // Two seconds on, one is left (and said so in the singular); then the
  // held user may try again.
  held.clock.advance(2);
  const still = await c.submitForm('/account/password', wrong);
  assert.equal(fieldError(await still.text(), 'f-current_password'),
    'Too many tries. Wait 1 second before trying again');
  held.clock.advance(1);
  const again = await c.submitForm('/account/password', wrong);
  assert.equal(fieldError(await again.text(), 'f-current_password'), 'Your current password is not right');
});

test('over TLS (behind a proxy): Secure cookies, a __Host- sign-in cookie and HSTS', async () => {
  const tls = await startServer({ seed: 4, extraArgs: ['--quiet', '--secure-cookies'] });
  try {
    const form = await fetch(`${tls.base}/sign-in`);
    await form.arrayBuffer();
    assert.match(form.headers.get('strict-transport-security') ?? '', /^max-age=31536000/);
    const set = form.headers.getSetCookie();
    const csrf = set.find((l) => l.startsWith('__Host-tas_csrf='));
    assert.ok(csrf, set.join(' | '));
    assert.match(csrf, /; Path=\/;/);
    assert.match(csrf, /; Secure/);
    assert.doesNotMatch(csrf, /Domain=/i);
    assert.ok(!set.some((l) => l.startsWith('tas_csrf=')), 'no cookie without the prefix');
    // Signing in works with it, and the session cookie is Secure.
    const c = new Client(tls.base);
    const res = await c.signIn('coordinator');
    assert.equal(res.status, 303);
    assert.match(res.headers.getSetCookie().find((l) => l.startsWith('tas_session=')) ?? '', /; Secure/);
  } finally {
    await tls.stop();
  }
  // Plain HTTP (no --secure-cookies): no HSTS, no prefix a browser would refuse.
  const plain = await fetch(`${srv.base}/sign-in`);
  await plain.arrayBuffer();
  assert.equal(plain.headers.get('strict-transport-security'), null);
  assert.ok(plain.headers.getSetCookie().some((l) => l.startsWith('tas_csrf=')));
});

test('adding a user: the password policy applies, and nothing typed is lost', async () => {
  const admin = await signedIn('admin');
  const page = await admin.getHtml('/users/new');
  assert.equal(page.status, 200);
  const school = /<option value="(school:\d+)"/.exec(page.html)?.[1];
  assert.ok(school, 'schools to choose from');
  assert.match(page.html, /<option value="authority:\d+"/);
  assert.doesNotMatch(page.html, /value="system"/, 'an authority administrator cannot grant system-wide roles');
  const typed = { display_name: 'Morgan Newstarter', username: 'm.newstarter', email: 'morgan@example.org',
    role: 'school_lead', place: school, detail: 'senco' };
  let res = await admin.submitForm('/users/new', { ...typed, password: 'Football2024' }, { action: '/users' });
  let html = await res.text();
  assert.equal(res.status, 400);
  assert.match(fieldError(html, 'f-password') ?? '', /too common/);
  for (const v of ['Morgan Newstarter', 'm.newstarter', 'morgan@example.org', 'senco']) {
    assert.match(html, new RegExp(`value="${v}"`), `${v} kept`);
  }
  assert.match(html, /<option value="school_lead" selected/);
  assert.match(html, new RegExp(`<option value="${school}" selected`));
  assert.ok(!html.includes('Football2024'), 'the password is not sent back');
  res = await admin.submitForm('/users/new', { ...typed, role: '', password: 'm.newstarter-2025' }, { action: '/users' });
  html = await res.text();
  assert.equal(res.status, 400);
  assert.match(fieldError(html, 'f-role') ?? '', /Select the person's role/);
  assert.match(fieldError(html, 'f-password') ?? '', /user name/);
  res = await admin.submitForm('/users/new', { ...typed, password: 'orange bicycle thunder' }, { action: '/users' });
  assert.equal(res.status, 303);
  assert.match(res.headers.get('location'), /^\/users\/\d+\?saved=added$/);
  const view = await admin.getHtml(res.headers.get('location'));
  assert.match(view.html, /School lead/);
  await signedIn('m.newstarter', 'orange bicycle thunder');

  const a = await apiClient('admin');
  let r = await api(a, 'POST', '/api/v1/users', { ...typed, username: 'second.one', password: 'short' });
  assert.equal(r.status, 422);
  assert.match(JSON.stringify(r.json), /12 characters/);
  r = await api(a, 'POST', '/api/v1/users', { ...typed, username: 'third.one', place: 'system', password: 'orange bicycle thunder' });
  assert.equal(r.status, 403, 'no system-wide role from an authority administrator');
  r = await api(a, 'POST', '/api/v1/users', { ...typed, username: 'second.one', password: 'orange bicycle thunder' });
  assert.equal(r.status, 201);
  assert.equal(r.json.user.username, 'second.one');
  const coord = await signedIn('coordinator', 'violet tractor marmalade');
  assert.equal((await coord.get('/users/new')).status, 403);
});

test('disabling an account ends its sessions and stops sign-in; enabling lets it back', async () => {
  const admin = await signedIn('admin');
  const a = await apiClient('admin');
  const id = await userId(a, 'steering');
  const s1 = await signedIn('steering');
  const s2 = await apiClient('steering');
  const res = await admin.submitForm(`/users/${id}`, {}, { action: `/users/${id}/disable` });
  assert.equal(res.status, 303);
  const view = await admin.getHtml(res.headers.get('location'));
  assert.match(view.html, /has been disabled/);
  assert.equal((await s1.get('/api/v1/me')).status, 401);
  assert.equal((await s2.get('/api/v1/me')).status, 401);
  const again = await new Client(srv.base).signIn('steering');
  assert.equal(again.status, 401);
  const list = await api(a, 'GET', '/api/v1/users');
  assert.equal(list.json.users.find((u) => u.username === 'steering').disabled, true);
  const en = await api(a, 'POST', `/api/v1/users/${id}/enable`, {});
  assert.equal(en.status, 200);
  assert.equal(en.json.user.disabled, false);
  await signedIn('steering');
  // Nobody disables their own account.
  const self = await api(a, 'POST', `/api/v1/users/${await userId(a, 'admin')}/disable`, {});
  assert.equal(self.status, 409);
  // Only administrators.
  const dpo = await apiClient('dpo', 'copper kettle lantern').catch(() => apiClient('dpo'));
  assert.equal((await api(dpo, 'POST', `/api/v1/users/${id}/disable`, {})).status, 403);
});

test('live sessions: listed for administrators without ids, and revoked', async () => {
  const admin = await signedIn('admin');
  const victim = await signedIn('evaluator');
  const cookie = victim.cookies.get('tas_session');
  const hash = createHash('sha256').update(cookie).digest('hex');
  const { status, html } = await admin.getHtml('/sessions');
  assert.equal(status, 200);
  assert.match(html, /Chris Lindqvist/);
  assert.match(html, /This is you/);
  assert.ok(!html.includes(cookie) && !html.includes(hash), 'no session id or hash in the page');
  const a = await apiClient('admin');
  const j = await api(a, 'GET', '/api/v1/sessions');
  assert.equal(j.status, 200);
  assert.ok(!j.text.includes(cookie) && !j.text.includes(hash), 'nor in the JSON');
  const mine = j.json.sessions.filter((s) => s.user.username === 'evaluator');
  assert.ok(mine.length >= 1);
  for (const s of j.json.sessions) {
    assert.deepEqual(Object.keys(s).sort(), ['created_at', 'created_text', 'current', 'handle', 'last_seen_at', 'last_seen_text', 'user']);
  }
  // Revoke through the page's form: the evaluator is signed out.
  const m = new RegExp(`Chris Lindqvist[\\s\\S]*?name="handle" value="([0-9a-f]{32})"`).exec(html);
  assert.ok(m, 'a revoke form for the evaluator');
  const res = await admin.submitForm('/sessions', { handle: m[1] }, { action: '/sessions/revoke' });
  assert.equal(res.status, 303);
  assert.equal((await victim.get('/api/v1/me')).status, 401);
  const gone = await api(a, 'POST', '/api/v1/sessions/revoke', { handle: m[1] });
  assert.equal(gone.status, 404);
  // Administrators only.
  let checked = 0;
  for (const u of ['coordinator', 'evaluator', 'lead', 'steering']) {
    let c;
    try { c = await apiClient(u); } catch { continue; } // (some have a second factor or a new password by now)
    checked++;
    assert.equal((await api(c, 'GET', '/api/v1/sessions')).status, 403, u);
    assert.equal((await api(c, 'POST', '/api/v1/sessions/revoke', { handle: mine[0].handle })).status, 403, u);
    assert.equal((await c.get('/sessions')).status, 403, u);
    assert.equal((await api(c, 'GET', '/api/v1/users')).status, 403, u);
  }
  assert.ok(checked >= 3, `checked ${checked} non-administrators`);
});

test('every new form refuses a request without its CSRF token', async () => {
  const admin = await signedIn('admin');
  const a = await apiClient('admin');
  const id = await userId(a, 'practitioner');
  const forms = ['/users', '/account/two-factor', '/account/password', `/users/${id}/disable`, `/users/${id}/enable`,
    `/users/${id}/password`, `/users/${id}/two-factor/reset`, '/sessions/revoke', '/settings/security'];
  for (const p of forms) {
    const none = await admin.postForm(p, { password: 'violet tractor marmalade', handle: 'x' });
    assert.equal(none.status, 403, `${p} without a token`);
    const wrong = await admin.postForm(p, { csrf: 'f'.repeat(64) });
    assert.equal(wrong.status, 403, `${p} with a wrong token`);
  }
  // The JSON twins need the header.
  for (const [m, p] of [['POST', `/api/v1/users/${id}/disable`], ['PUT', '/api/v1/settings/security'],
    ['POST', '/api/v1/sessions/revoke'], ['POST', '/api/v1/account/password'], ['POST', '/api/v1/account/two-factor']]) {
    const r = await a.request(p, { method: m, headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(r.status, 403, `${m} ${p} without the header`);
  }
  // The code step checks the sign-in form's double-submit token.
  const c = new Client(srv.base);
  c.cookies.set('tas_pending', 'a'.repeat(64));
  assert.equal((await c.postForm('/sign-in/code', { code: '123456' })).status, 403);
  // The practitioner is still enabled: none of these took effect.
  const u = await api(a, 'GET', `/api/v1/users/${id}`);
  assert.equal(u.json.user.disabled, false);
});
