// The demo authority's AP specialist taskforce (issue 19, item 7): its
// Taskforce Manager and one specialist have accounts, with the demo
// password.  The manager runs the whole taskforce; the specialist (the
// mental health therapist) sees only the referrals they lead whose consent
// covers their type, and cannot export the MI return.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, DEMO_PASSWORD, dbSql } from './harness.mjs';

let srv;

// The test's own SQL runs on SQLite and on PostgreSQL (harness.mjs, dbSql).
function sql(q) {
  return dbSql(srv.db, q);
}

async function signIn(user) {
  const c = new Client(srv.base);
  const res = await c.postJson('/api/v1/sign-in', { username: user, password: DEMO_PASSWORD });
  assert.equal(res.status, 200, `sign-in of ${user}`);
  c.csrf = (await res.json()).csrf;
  c.get = async (p) => {
    const r = await c.request(p, { headers: { accept: 'application/json' } });
    const text = await r.text();
    return { status: r.status, json: text.startsWith('{') ? JSON.parse(text) : null };
  };
  return c;
}

before(async () => { srv = await startServer({ seed: 19, year: true }); });
after(async () => { await srv?.stop({ expectExitZero: true }); });

test('the demo taskforce\'s manager and specialist', async () => {
  assert.equal(sql(`SELECT u.username || ':' || r.role || ':' || r.scope_kind || ':' || r.detail
    FROM users u JOIN user_roles r ON r.user_id = u.id WHERE u.username LIKE 'taskforce.%'
    ORDER BY u.username, r.role`).split('\n').join(' '),
  'taskforce.manager:apst_manager:team: taskforce.specialist:apst_specialist:team:mental_health');
  const mgr = await signIn('taskforce.manager');
  const list = (await mgr.get('/api/v1/apst')).json.taskforces;
  assert.equal(list.length, 1);
  const tf = list[0].id;
  const all = (await mgr.get(`/api/v1/apst/${tf}/referrals`)).json.referrals;
  assert.equal(all.length, 10);
  assert.equal((await mgr.request(`/apst/${tf}/return.csv`)).status, 200);
  const spec = await signIn('taskforce.specialist');
  assert.equal((await spec.get(`/api/v1/apst/${tf}`)).status, 200);
  const mine = (await spec.get(`/api/v1/apst/${tf}/referrals`)).json.referrals;
  // Those the mental health therapist leads, with consent covering mental health.
  const want = all.filter((r) => r.lead_specialist?.name === 'Priya Shah' && r.consent.kinds.includes('mental_health'));
  assert.ok(want.length >= 1);
  assert.deepEqual(mine.map((r) => r.id).sort(), want.map((r) => r.id).sort());
  // Not a referral whose consent leaves mental health out.
  const other = all.find((r) => r.consent.recorded && !r.consent.kinds.includes('mental_health'));
  assert.ok(other, 'the demo has one');
  assert.equal((await spec.get(`/api/v1/apst/referrals/${other.id}`)).status, 404);
  assert.equal((await spec.request(`/apst/${tf}/return.csv`)).status, 403);
  // The return's costs, planned against actual.
  const ret = (await mgr.get(`/api/v1/apst/${tf}/return`)).json.return;
  const specialists = ret.compare.rows.find((r) => r.line === 'specialists');
  assert.ok(specialists.planned_pence > 0 && specialists.actual_pence > 0);
  // Nobody else of the demo is a member.
  assert.equal((await (await signIn('practitioner')).get(`/api/v1/apst/${tf}`)).status, 404);
});
