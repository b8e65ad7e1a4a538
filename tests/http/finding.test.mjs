// Finding things (issue 10 item 5) and consistency (item 7): the page asked
// for before signing in is where signing in leads (only paths on this
// site), list filters offered on the page, the dashboard's school year,
// export links for whoever may export, and the checks on what is typed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, csrfFrom, decodeHtml, DEMO_PASSWORD } from './harness.mjs';

let srv;

before(async () => {
  srv = await startServer({ seed: 11 });
});

after(async () => {
  await srv?.stop();
});

async function signedIn(user) {
  const c = new Client(srv.base);
  const r = await c.signIn(user);
  assert.equal(r.status, 303, `sign-in of ${user}`);
  return c;
}

// ---- after sign-in, the page asked for ------------------------------------------

test('a deep link signs in and returns to the page asked for, query and all', async () => {
  const c = new Client(srv.base);
  const asked = '/meetings?status=planned&order=oldest';
  const r = await c.get(asked);
  assert.equal(r.status, 303);
  const loc = r.headers.get('location');
  assert.equal(new URL(loc, srv.base).pathname, '/sign-in');
  assert.equal(new URL(loc, srv.base).searchParams.get('next'), asked);
  const form = await c.getHtml(loc);
  assert.equal(form.status, 200);
  const hidden = /<input type="hidden" name="next" value="([^"]*)">/.exec(form.html);
  assert.ok(hidden, 'the form carries next');
  assert.equal(decodeHtml(hidden[1]), asked);
  const done = await c.postForm('/sign-in', { username: 'coordinator', password: DEMO_PASSWORD,
    csrf: csrfFrom(form.html), next: decodeHtml(hidden[1]) });
  assert.equal(done.status, 303);
  assert.equal(done.headers.get('location'), asked);
  assert.equal((await c.get(asked)).status, 200);
  // Without next, the home page as before.
  const plain = new Client(srv.base);
  assert.equal((await plain.signIn('coordinator')).headers.get('location'), '/');
});

test('a hostile next is never followed: home instead, and not carried into the form', async () => {
  const hostile = ['//evil.example/x', '///evil.example', '/\\evil.example', '\\\\evil.example', 'https://evil.example/',
    'http:evil.example', 'javascript:alert(1)', ' /meetings', '/\t/evil.example', '/%2F%2Fevil.example',
    'meetings', '/sign-out', '/sign-in?next=//evil.example', `/${'a'.repeat(600)}`];
  for (const next of hostile) {
    const c = new Client(srv.base);
    const form = await c.getHtml(`/sign-in?next=${encodeURIComponent(next)}`);
    assert.equal(form.status, 200, next);
    assert.doesNotMatch(form.html, /name="next"/, `not carried: ${JSON.stringify(next)}`);
    const r = await c.postForm('/sign-in', { username: 'coordinator', password: DEMO_PASSWORD,
      csrf: csrfFrom(form.html), next });
    assert.equal(r.status, 303, next);
    assert.equal(r.headers.get('location'), '/', `next ${JSON.stringify(next)} refused`);
    // Signed in already: the sign-in page with that next still goes home.
    const again = await c.get(`/sign-in?next=${encodeURIComponent(next)}`);
    assert.equal(again.headers.get('location'), '/', next);
  }
});
