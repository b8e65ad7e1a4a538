// The pupil list kept in memory (web/listing.h, issue 16): the page's main
// part and the API's answer are kept under the records' generation (read
// before the list is made), the path and query, today and the viewer's
// scope.  X-Served-From says "cache" or "computed".  Tested as a hostile
// reader would: a kept list never outlives a change made through tas (by
// this server or another on the same database), never reaches a viewer of
// another scope, does not survive the loss of a grant, and a view from the
// cache is still on the audit trail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServers, Client, dbScript, pageMain as main } from './harness.mjs';

let srv, twin;
const as = {};

async function signIn(server, username) {
  const c = new Client(server.base);
  const res = await c.postJson('/api/v1/sign-in', { username, password: 'demo-password' });
  assert.equal(res.status, 200, `sign-in of ${username}`);
  c.csrf = (await res.json()).csrf;
  return c;
}

async function get(c, path, status = 200) {
  const res = await c.get(path);
  const text = await res.text();
  assert.equal(res.status, status, text.slice(0, 300));
  return { from: res.headers.get('x-served-from'), text };
}

// Renames pupil p through the API as client c.
async function rename(c, p, surname) {
  const res = await c.request(`/api/v1/pupils/${p.id}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', 'x-csrf-token': c.csrf },
    body: JSON.stringify({ ...p, school_id: p.school.id, surname }),
  });
  assert.equal(res.status, 200, await res.text());
}

function sql(text) {
  return dbScript(srv.db, text).trim();
}

before(async () => {
  [srv] = await startServers({ seed: 3 });
  [twin] = await startServers({ db: srv.db });
  as.coordinator = await signIn(srv, 'coordinator');
  as.head = await signIn(srv, 'head');
  as.twinCoordinator = await signIn(twin, 'coordinator');
});

after(async () => {
  await Promise.all([twin, srv].filter(Boolean).map((s) => s.stop()));
});

test('a kept list is the one computed, page and JSON, and each view is still audited', async () => {
  const first = await get(as.coordinator, '/pupils?per_page=10');
  assert.equal(first.from, 'computed');
  const again = await get(as.coordinator, '/pupils?per_page=10');
  assert.equal(again.from, 'cache');
  assert.equal(main(again.text), main(first.text));
  const j1 = await get(as.coordinator, '/api/v1/pupils?per_page=10');
  assert.equal(j1.from, 'computed', 'the JSON is kept apart from the page');
  const j2 = await get(as.coordinator, '/api/v1/pupils?per_page=10');
  assert.equal(j2.from, 'cache');
  assert.equal(j2.text, j1.text);
  // Another query is another list.
  assert.equal((await get(as.coordinator, '/pupils?per_page=10&page=2')).from, 'computed');
  // Views from the cache are on the trail like any other.
  const before = Number(sql("SELECT count(*) FROM audit_log WHERE action = 'list'"));
  for (let i = 0; i < 3; i++) assert.equal((await get(as.coordinator, '/pupils?per_page=10')).from, 'cache');
  const after = Number(sql("SELECT count(*) FROM audit_log WHERE action = 'list'"));
  assert.equal(after - before, 3, 'three list views, three entries');
});

test('a change through tas shows at once, made by this server or another on the same database', async () => {
  const list = JSON.parse((await get(as.coordinator, '/api/v1/pupils?per_page=5')).text);
  const p = list.pupils[0];
  assert.equal((await get(as.coordinator, '/api/v1/pupils?per_page=5')).from, 'cache');
  // Changed here.
  await rename(as.coordinator, p, 'Aardvarkson');
  const now = await get(as.coordinator, '/api/v1/pupils?per_page=5');
  assert.equal(now.from, 'computed');
  assert.equal(JSON.parse(now.text).pupils[0].surname, 'Aardvarkson');
  const page = await get(as.coordinator, '/pupils?per_page=5');
  assert.match(page.text, /Aardvarkson/);
  assert.equal((await get(as.coordinator, '/pupils?per_page=5')).from, 'cache');
  // Changed by the other server: this one's kept page is not served.
  await rename(as.twinCoordinator, p, 'Aaronsdottir');
  const seen = await get(as.coordinator, '/pupils?per_page=5');
  assert.equal(seen.from, 'computed');
  assert.match(seen.text, /Aaronsdottir/);
  assert.doesNotMatch(seen.text, /Aardvarkson/);
});

test('a viewer of another scope never gets a kept list, and one who loses a grant loses the list', async () => {
  const all = JSON.parse((await get(as.coordinator, '/api/v1/pupils?per_page=200')).text);
  assert.equal((await get(as.coordinator, '/api/v1/pupils?per_page=200')).from, 'cache');
  const mine = await get(as.head, '/api/v1/pupils?per_page=200');
  assert.equal(mine.from, 'computed', "the head's scope is not the coordinator's");
  const theirs = JSON.parse(mine.text);
  assert.ok(theirs.total > 0 && theirs.total < all.total, `${theirs.total} of ${all.total}`);
  const schools = new Set(theirs.pupils.map((x) => x.school.id));
  assert.equal(schools.size, 1, 'one school only');
  const page = await get(as.head, '/pupils?per_page=200');
  const others = all.pupils.filter((x) => !schools.has(x.school.id));
  assert.ok(others.length > 0);
  for (const x of others) assert.ok(!page.text.includes(`/pupils/${x.id}"`), `pupil ${x.id} of another school`);
  assert.equal((await get(as.head, '/pupils?per_page=200')).from, 'cache');
  // The grant taken away behind tas's back (no generation changes): the
  // scope is read afresh with every request, so the kept list is not served.
  sql("DELETE FROM user_roles WHERE user_id = (SELECT id FROM users WHERE username = 'head')");
  const gone = await as.head.get('/api/v1/pupils?per_page=200');
  assert.equal(gone.status, 403, 'no grant, no list');
  const gonePage = await as.head.get('/pupils?per_page=200');
  assert.equal(gonePage.status, 403);
  assert.notEqual(gonePage.headers.get('x-served-from'), 'cache');
});
