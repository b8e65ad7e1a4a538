// Signing in and out, sessions, CSRF on the sign-in form, throttling, and
// the JSON sign-in.  Two servers: one for sign-in (--lock-after 6
// --first-delay 3, so a name locks after 3 s and 6 s delays) and one with
// --idle-timeout 4 for session expiry.  The throttle is also keyed by
// address (5x the limits): every test here comes from 127.0.0.1, so tests
// that fail sign-ins clear the address count (resetAddressCount) after.
// Both servers' clocks stand still and move only when a test says
// (startServer's clock): "three seconds later" is exact, not a sleep that a
// slow machine could outlast.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, csrfFrom, dbSql, decodeHtml, DEMO_PASSWORD } from './harness.mjs';

const LOCK_AFTER = 6;
const FIRST_DELAY = 3;
const BAD_LOGIN = 'The user name or password is not right';

let srv;  // --lock-after 6
let idle; // --idle-timeout 4

before(async () => {
  [srv, idle] = await Promise.all([
    startServer({ clock: true,
      extraArgs: ['--lock-after', String(LOCK_AFTER), '--first-delay', String(FIRST_DELAY), '--quiet'] }),
    startServer({ clock: true, seed: 2, extraArgs: ['--idle-timeout', '4', '--quiet'] }),
  ]);
});

after(async () => {
  await Promise.all([srv?.stop({ expectExitZero: true }), idle?.stop({ expectExitZero: true })]);
});


function setCookies(res) {
  return res.headers.getSetCookie();
}

/** The Set-Cookie line for name, or undefined. */
function cookieLine(res, name) {
  return setCookies(res).find((l) => l.startsWith(`${name}=`));
}

function cookieValue(line) {
  return line.slice(line.indexOf('=') + 1).split(';')[0];
}

function attrs(line) {
  return line.split(';').slice(1).map((a) => a.trim().toLowerCase());
}

/** Messages in the GOV.UK error summary of a page. */
function summaryMessages(html) {
  const start = html.indexOf('govuk-error-summary__list');
  if (start < 0) return [];
  const list = html.slice(start, html.indexOf('</ul>', start));
  return [...list.matchAll(/<a href="[^"]*">([^<]*)<\/a>/g)].map((m) => decodeHtml(m[1]).trim());
}

/** POSTs the sign-in form (fetching a fresh form first). {status, html, res} */
async function formSignIn(c, username, password) {
  const res = await c.signIn(username, password);
  return { status: res.status, html: await res.text(), res };
}

/** POST /api/v1/sign-in. {status, body, res} */
async function apiSignIn(c, username, password = DEMO_PASSWORD) {
  const res = await c.postJson('/api/v1/sign-in', { username, password });
  return { status: res.status, body: await res.json(), res };
}

/** A fresh client signed in through the form. */
async function signedIn(server, username) {
  const c = new Client(server.base);
  const res = await c.signIn(username);
  await res.arrayBuffer();
  assert.equal(res.status, 303, `sign-in of ${username}`);
  return c;
}

/** Clears the address's failure count (a success from the address does). */
// Every test request comes from 127.0.0.1, so the per-address count would
// carry over from test to test.  A real sign-in no longer clears it (one
// account must not be able to wipe it between guesses at other names), and
// it fades only after a quiet spell, so the tests clear it in the database.
async function resetAddressCount() {
  dbSql(srv.db, "DELETE FROM login_throttle WHERE key LIKE 'a:%'");
}

// The two servers' tests run side by side (the idle ones mostly sleep);
// each group runs its tests one at a time.
describe('auth', { concurrency: true }, () => {
  describe('sign-in server (--lock-after 6)', { concurrency: false }, () => {
    test('the sign-in page sets a CSRF cookie equal to its hidden field', async () => {
      const c = new Client(srv.base);
      const { status, html, res } = await c.getHtml('/sign-in');
      assert.equal(status, 200);
      const line = cookieLine(res, 'tas_csrf');
      assert.ok(line, 'tas_csrf cookie set');
      assert.match(cookieValue(line), /^[0-9a-f]{64}$/);
      assert.ok(attrs(line).includes('httponly'));
      assert.ok(attrs(line).includes('samesite=strict'));
      assert.equal(csrfFrom(html), cookieValue(line));
      // A second visit keeps the same token (the cookie is sent back).
      const again = await c.getHtml('/sign-in');
      assert.equal(cookieLine(again.res, 'tas_csrf'), undefined);
      assert.equal(csrfFrom(again.html), cookieValue(line));
    });

    test('signing in: 303 to /, session cookie HttpOnly and SameSite=Strict, not Secure on http', async () => {
      const c = new Client(srv.base);
      const res = await c.signIn('coordinator');
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/');
      const line = cookieLine(res, 'tas_session');
      assert.ok(line, 'tas_session cookie set');
      assert.match(cookieValue(line), /^[0-9a-f]{64}$/);
      const a = attrs(line);
      assert.ok(a.includes('httponly'), line);
      assert.ok(a.includes('samesite=strict'), line);
      assert.ok(a.includes('path=/'), line);
      assert.ok(!a.includes('secure'), `no Secure over plain http: ${line}`);
      assert.ok(!a.some((x) => x.startsWith('domain=')), line);
      // The sign-in form's CSRF cookie is no longer needed.
      const csrfLine = cookieLine(res, 'tas_csrf');
      assert.ok(csrfLine && attrs(csrfLine).includes('max-age=0'), 'tas_csrf cleared');
      const home = await c.getHtml('/');
      assert.equal(home.status, 200);
      assert.match(home.html, /Sam Okonjo/);
      // Signed in, the sign-in page sends you home.
      const again = await c.get('/sign-in');
      assert.equal(again.status, 303);
      assert.equal(again.headers.get('location'), '/');
    });

    test('wrong password and unknown user name get the same 401 and message', async () => {
      const c = new Client(srv.base);
      const wrong = await formSignIn(c, 'admin', 'not-the-password');
      const unknown = await formSignIn(c, 'nobody-at-all', 'not-the-password');
      for (const r of [wrong, unknown]) {
        assert.equal(r.status, 401);
        assert.equal(cookieLine(r.res, 'tas_session'), undefined, 'no session');
        assert.deepEqual(summaryMessages(r.html), [BAD_LOGIN]);
        assert.match(r.html, /class="govuk-error-message"/);
      }
      // Apart from the name typed back into the box, the pages are the same.
      assert.equal(wrong.html.replace('value="admin"', 'value="X"'),
        unknown.html.replace('value="nobody-at-all"', 'value="X"'));
      // The password is never typed back.
      assert.doesNotMatch(wrong.html, /not-the-password/);

      const a1 = await apiSignIn(new Client(srv.base), 'admin', 'not-the-password');
      const a2 = await apiSignIn(new Client(srv.base), 'nobody-at-all', 'not-the-password');
      assert.equal(a1.status, 401);
      assert.equal(a2.status, 401);
      assert.equal(a1.body.error, BAD_LOGIN);
      assert.deepEqual(a1.body, a2.body);
      assert.equal(cookieLine(a1.res, 'tas_session'), undefined);
      await resetAddressCount();
    });

    test('the sign-in form without the right CSRF token gets 403 and no session', async () => {
      const c = new Client(srv.base);
      const { html } = await c.getHtml('/sign-in');
      const token = csrfFrom(html);
      const tries = [
        { username: 'coordinator', password: DEMO_PASSWORD },                    // missing
        { username: 'coordinator', password: DEMO_PASSWORD, csrf: '' },          // empty
        { username: 'coordinator', password: DEMO_PASSWORD, csrf: 'f'.repeat(64) }, // wrong
        { username: 'coordinator', password: DEMO_PASSWORD, csrf: token.slice(0, 63) }, // cut
      ];
      for (const fields of tries) {
        const res = await c.postForm('/sign-in', fields);
        const body = await res.text();
        assert.equal(res.status, 403, JSON.stringify(fields));
        assert.match(body, /This form has expired/);
        assert.equal(cookieLine(res, 'tas_session'), undefined);
      }
      // The right token without its cookie (another browser's form) is refused too.
      const other = new Client(srv.base);
      const res = await other.postForm('/sign-in', { username: 'coordinator', password: DEMO_PASSWORD, csrf: token });
      assert.equal(res.status, 403);
      assert.equal(cookieLine(res, 'tas_session'), undefined);
      // A form-encoded post to the JSON sign-in is refused as well.
      const api = await other.postForm('/api/v1/sign-in', { username: 'coordinator', password: DEMO_PASSWORD });
      assert.equal(api.status, 403);
      assert.match(api.headers.get('content-type'), /^application\/json/);
      assert.equal(cookieLine(api, 'tas_session'), undefined);
      // With the token it works (so the 403s above were about the token).
      const ok = await c.postForm('/sign-in', { username: 'coordinator', password: DEMO_PASSWORD, csrf: token });
      assert.equal(ok.status, 303);
    });

    test('every sign-in makes a new session id; a planted cookie is not adopted', async () => {
      const a = new Client(srv.base);
      const b = new Client(srv.base);
      const planted = 'ab'.repeat(32);
      a.cookies.set('tas_session', planted);
      const ra = await a.signIn('lead');
      const rb = await b.signIn('lead');
      assert.equal(ra.status, 303);
      assert.equal(rb.status, 303);
      const sa = a.cookies.get('tas_session');
      const sb = b.cookies.get('tas_session');
      assert.match(sa, /^[0-9a-f]{64}$/);
      assert.notEqual(sa, planted);
      assert.notEqual(sa, sb);
      // Both sessions work, each with its own CSRF token.
      const ma = await (await a.get('/api/v1/me')).json();
      const mb = await (await b.get('/api/v1/me')).json();
      assert.equal(ma.user.username, 'lead');
      assert.equal(mb.user.username, 'lead');
      assert.notEqual(ma.csrf, mb.csrf);
      // The planted value is still not a session.
      const p = new Client(srv.base);
      p.cookies.set('tas_session', planted);
      assert.equal((await p.get('/api/v1/me')).status, 401);
    });

    test('signing out ends the session; the old cookie no longer works', async () => {
      const c = await signedIn(srv, 'coordinator');
      const cookie = c.cookies.get('tas_session');
      const { status, html } = await c.getHtml('/');
      assert.equal(status, 200);
      const csrf = csrfFrom(html);
      assert.ok(csrf, 'the page has a sign-out form with a token');

      // Without the token: refused, still signed in.
      const refused = await c.postForm('/sign-out', {});
      assert.equal(refused.status, 403);
      assert.equal((await c.get('/api/v1/me')).status, 200);

      const res = await c.postForm('/sign-out', { csrf });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/sign-in?signed_out=1');
      const line = cookieLine(res, 'tas_session');
      assert.ok(line && attrs(line).includes('max-age=0'), 'session cookie cleared');
      const page = await c.getHtml('/sign-in?signed_out=1');
      assert.match(page.html, /You have signed out/);

      // Someone who kept the cookie gets nothing.
      const thief = new Client(srv.base);
      thief.cookies.set('tas_session', cookie);
      const home = await thief.get('/');
      assert.equal(home.status, 303);
      // A cookie with no session behind it is treated as expired (the server
      // cannot tell a kept cookie from one whose session was cleared away).
      assert.match(home.headers.get('location'), /^\/sign-in(\?expired=1)?$/);
      assert.equal((await thief.get('/api/v1/me')).status, 401);
      assert.equal((await thief.get('/pupils')).status, 303);
    });

    test('JSON API: sign in, /me, CSRF header on changes, sign out, 401 without a session', async () => {
      const anon = new Client(srv.base);
      const none = await anon.get('/api/v1/me');
      assert.equal(none.status, 401);
      assert.match(none.headers.get('content-type'), /^application\/json/);
      assert.equal(typeof (await none.json()).error, 'string');
      const html = await anon.get('/');
      assert.equal(html.status, 303);
      assert.equal(html.headers.get('location'), '/sign-in');

      const c = new Client(srv.base);
      const { status, body, res } = await apiSignIn(c, 'dpo');
      assert.equal(status, 200);
      assert.equal(body.user.username, 'dpo');
      assert.equal(typeof body.user.id, 'number');
      assert.match(body.user.display_name, /Priya Natarajan/);
      assert.ok(Array.isArray(body.user.roles) && body.user.roles.length >= 1);
      assert.equal(body.user.roles[0].role, 'dpo');
      assert.match(body.csrf, /^[0-9a-f]{64}$/);
      const line = cookieLine(res, 'tas_session');
      assert.ok(line);
      assert.ok(attrs(line).includes('httponly'));
      assert.ok(attrs(line).includes('samesite=strict'));

      const me = await c.get('/api/v1/me');
      assert.equal(me.status, 200);
      const mj = await me.json();
      assert.equal(mj.user.username, 'dpo');
      assert.equal(mj.csrf, body.csrf);

      // State changes need the header.
      const noToken = await c.request('/api/v1/sign-out', { method: 'POST' });
      assert.equal(noToken.status, 403);
      assert.match(noToken.headers.get('content-type'), /^application\/json/);
      const badToken = await c.request('/api/v1/sign-out', { method: 'POST', headers: { 'x-csrf-token': 'f'.repeat(64) } });
      assert.equal(badToken.status, 403);
      assert.equal((await c.get('/api/v1/me')).status, 200, 'still signed in');

      const out = await c.request('/api/v1/sign-out', { method: 'POST', headers: { 'x-csrf-token': body.csrf } });
      assert.equal(out.status, 200);
      assert.deepEqual(await out.json(), { signed_out: true });
      const gone = new Client(srv.base);
      gone.cookies.set('tas_session', cookieValue(line));
      assert.equal((await gone.get('/api/v1/me')).status, 401);
    });

    test('a successful sign-in clears the failure count of the name', async () => {
      const c = new Client(srv.base);
      for (let i = 0; i < 3; i++) assert.equal((await formSignIn(c, 'evaluator', `wrong-${i}`)).status, 401);
      assert.equal((await formSignIn(c, 'evaluator', DEMO_PASSWORD)).status, 303);
      // Had the count been kept, the next failure (the 4th) would start a delay
      // and the attempt straight after it would get 429.
      const c2 = new Client(srv.base);
      assert.equal((await formSignIn(c2, 'evaluator', 'wrong-again')).status, 401);
      assert.equal((await formSignIn(c2, 'evaluator', 'wrong-again')).status, 401);
      await resetAddressCount();
    });

    test('growing delays (429), then a lock-out, alike for a real and an unknown user name', async () => {
      await resetAddressCount();
      const names = ['steering', 'no-such-person'];
      const clients = names.map(() => new Client(srv.base));
      const both = (fn) => Promise.all(names.map((n, i) => fn(clients[i], n)));
      /** One attempt per name; asserts both got the same status and messages. */
      async function attempt(password, expectStatus) {
        const rs = await both((c, n) => formSignIn(c, n, password));
        for (const r of rs) assert.equal(r.status, expectStatus);
        const [a, b] = rs.map((r) => summaryMessages(r.html));
        assert.deepEqual(a, b);
        return a;
      }
      const waiting = (msgs, secs) =>
        assert.deepEqual(msgs, [`Wait ${secs} second${secs === 1 ? '' : 's'} before trying again.`]);
      /** One second before the delay ends, still held; then allowed. */
      async function attemptWhenAllowed(password, secs) {
        srv.clock.advance(secs - 1);
        waiting(await attempt(password, 429), 1);
        srv.clock.advance(1);
        const rs = await both((c, n) => formSignIn(c, n, password));
        for (const r of rs) assert.equal(r.status, 401, summaryMessages(r.html).join());
      }

      // Three free failures.
      for (let i = 0; i < 3; i++) assert.deepEqual(await attempt('wrong', 401), [BAD_LOGIN]);
      // The 4th failure starts a 3 s delay ...
      assert.deepEqual(await attempt('wrong', 401), [BAD_LOGIN]);
      waiting(await attempt('wrong', 429), 3);
      // ... which also holds back the right password.
      waiting(await attempt(DEMO_PASSWORD, 429), 3);
      // The 5th failure, once allowed, starts a delay twice as long.
      await attemptWhenAllowed('wrong', 3);
      waiting(await attempt('wrong', 429), 6);
      // The 6th failure locks the name.
      await attemptWhenAllowed('wrong', 6);
      const locked = 'Too many attempts to sign in. Try again in 15 minutes.';
      assert.deepEqual(await attempt('wrong', 429), [locked]);
      // Locked even with the right password, whatever the case of the name, and over the API.
      assert.deepEqual(await attempt(DEMO_PASSWORD, 429), [locked]);
      const upper = await formSignIn(new Client(srv.base), 'STEERING', DEMO_PASSWORD);
      assert.equal(upper.status, 429);
      assert.deepEqual(summaryMessages(upper.html), [locked]);
      const api = await apiSignIn(new Client(srv.base), 'steering');
      assert.equal(api.status, 429);
      assert.equal(api.body.error, locked);
      assert.equal(api.body.retry_after, 900);
      assert.equal(cookieLine(api.res, 'tas_session'), undefined);
      // Other names are not affected.
      await resetAddressCount();
    });

    test('the address is throttled too, at 5x the limits', async () => {
      await resetAddressCount();
      const c = new Client(srv.base);
      // 15 free failures (5 x 3), each under a different name so the name
      // limits never apply.
      const stamp = Date.now().toString(36);
      for (let i = 0; i < 15; i++) {
        assert.equal((await apiSignIn(c, `spray-${stamp}-${i}`, 'guess')).status, 401, `failure ${i + 1}`);
      }
      // The 16th failure starts a delay for the whole address.
      assert.equal((await apiSignIn(c, `spray-${stamp}-15`, 'guess')).status, 401);
      const held = await apiSignIn(c, 'head');
      assert.equal(held.status, 429, 'even a real user with the right password waits');
      assert.match(held.body.error, /^Wait 3 seconds/);
      await resetAddressCount();
    });

    test('concurrent failures are all counted (parallel guessing gets no extra tries)', async () => {
      await resetAddressCount();
      const name = `parallel-${Date.now().toString(36)}`;
      const statuses = await Promise.all(Array.from({ length: 40 }, () =>
        apiSignIn(new Client(srv.base), name, `guess-${Math.random()}`).then((r) => r.status)));
      const checked = statuses.filter((s) => s === 401).length;
      const next = await apiSignIn(new Client(srv.base), name, 'one-more-guess');
      await resetAddressCount();
      const why = `${checked} of 40 parallel guesses were checked (${statuses.join(' ')}); then ${next.status} ${next.body.error}`;
      // No more than the lock limit, plus the few already being checked
      // (4 worker threads) when the lock was recorded.
      assert.ok(checked <= LOCK_AFTER + 3, why);
      // Each checked guess was counted: as many as the lock limit lock the name.
      if (checked >= LOCK_AFTER) {
        assert.equal(next.status, 429, why);
        assert.match(next.body.error, /^Too many attempts/, why);
      } else {
        assert.doesNotMatch(next.body.error, /^Too many attempts/, why);
      }
    });
  });

  describe('idle-timeout server (--idle-timeout 4)', { concurrency: false }, () => {

    test('an idle session expires: HTML to /sign-in?expired=1, API 401 "expired"', async () => {
      const web = await signedIn(idle, 'coordinator');
      const api = new Client(idle.base);
      assert.equal((await apiSignIn(api, 'lead')).status, 200);
      assert.equal((await web.get('/')).status, 200);
      assert.equal((await api.get('/api/v1/me')).status, 200);
      idle.clock.advance(4);
      assert.equal((await api.get('/api/v1/me')).status, 200, 'four seconds idle: not yet');
      idle.clock.advance(5);
      const home = await web.get('/');
      assert.equal(home.status, 303);
      assert.equal(home.headers.get('location'), '/sign-in?expired=1');
      const page = await web.getHtml('/sign-in?expired=1');
      assert.equal(page.status, 200);
      assert.match(page.html, /You were signed out because you had not used the service for a while/);
      const me = await api.get('/api/v1/me');
      assert.equal(me.status, 401);
      assert.match((await me.json()).error, /expired/i);
      // The session is gone for good.
      assert.equal((await web.get('/api/v1/me')).status, 401);
    });

    test('a session in use does not expire (each request resets the idle timer)', async () => {
      const c = await signedIn(idle, 'coordinator');
      for (let i = 0; i < 5; i++) {
        idle.clock.advance(3);
        const res = await c.get('/');
        assert.equal(res.status, 200, `request ${i + 1}, ${(i + 1) * 3} s after signing in: ${res.headers.get('location')}`);
      }
    });
  });
});
