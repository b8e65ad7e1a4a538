// The evaluation's matched comparison (issue 14): with comparison=matched the
// rates, the DiD and the models use only the comparison schools the matching
// chose.  Evalshire (evaluation_fixture.mjs) with a third primary comparison
// school, C3, far from both TAS schools (% FSM 80, % SEN 40, a rate before
// of 5 per 100): matching pairs P1 with C1 and P2 with C2 and leaves C3 out,
// so the matched figures are Figure 5d's and the "all" figures are not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, decodeHtml, dbScript } from './harness.mjs';
import { A, SCHOOLS, URN, FIG5D_CSV, evaluationFixture } from './evaluation_fixture.mjs';

let srv;
const as = {};
const C3 = 9506;
const Q = `authority_id=${A}&kind=community_paediatrics&phase=primary&pre=2023&post=2024`;

function sql(statement) {
  return dbScript(srv.db, statement).trim();
}

const near = (got, want, tol = 1e-9) => assert.ok(Math.abs(got - want) <= tol, `got ${got}, want ${want}`);

async function importKind(kind, c3pre, c3post) {
  const csv = FIG5D_CSV + `${URN(C3)},2023,comparison,2000,${c3pre}\n${URN(C3)},2024,comparison,2000,${c3post}\n`;
  const r = await as.evaluator.api('POST', `/api/v1/evaluation/import?authority_id=${A}`, { kind, csv });
  assert.equal(r.status, 200, r.text);
}

before(async () => {
  srv = await startServer({ seed: 5 });
  sql(evaluationFixture());
  sql(`INSERT INTO schools (id, authority_id, urn, name, phase, pupils_on_roll, fsm_pct, sen_pct, tas_member,
         created_at, updated_at) VALUES (${C3}, ${A}, '${URN(C3)}', 'Evalshire C3', 'primary', 400, 80, 40, 0, 0, 0);`);
  for (const u of ['admin', 'evaluator']) {
    const c = new Client(srv.base);
    assert.equal((await c.signIn(u)).status, 303);
    await c.useApiToken();
    as[u] = c;
  }
  await importKind('community_paediatrics', 100, 40);
  // C3 with 3 referrals before: small, though the comparison schools' 164 is not.
  await importKind('educational_psychology', 3, 40);
});

after(async () => { await srv?.stop(); });

test('API: comparison=matched gives the matched schools\' rates and DiD; all gives every school\'s', async () => {
  const all = await as.evaluator.api('GET', `/api/v1/evaluation?${Q}`);
  assert.equal(all.status, 200, all.text);
  // All: comparison (64 + 97 + 100) / 12,000 -> (80 + 113 + 40) / 12,000.
  near(all.json.groups.comparison.pre.rate_per_100, 100 * 261 / 12000);
  near(all.json.groups.comparison.post.rate_per_100, 100 * 233 / 12000);
  near(all.json.did_per_100, (1.35 - 1.43) - (100 * 233 / 12000 - 100 * 261 / 12000));
  assert.deepEqual(all.json.comparison, { schools: 'all', matched_only: false, used: 3, of: 3,
    weighting: 'every comparison school of the phase' });
  assert.equal(all.json.groups.comparison.pre.schools, 3);

  const m = await as.evaluator.api('GET', `/api/v1/evaluation?${Q}&comparison=matched`);
  assert.equal(m.status, 200, m.text);
  const j = m.json;
  assert.deepEqual([j.matching.tas_matched, j.matching.comparison, j.matching.comparison_used], [2, 3, 2]);
  assert.equal(j.comparison.schools, 'matched');
  assert.equal(j.comparison.used, 2);
  assert.equal(j.comparison.of, 3);
  assert.equal(j.groups.comparison.pre.schools, 2);
  assert.equal(j.groups.comparison.pre.count, 161);
  near(j.groups.comparison.pre.rate_per_100, 1.61);   // C1 and C2 only: Figure 5d's non-pilot schools
  near(j.groups.comparison.post.rate_per_100, 1.93);
  near(j.groups.tas.pre.rate_per_100, 1.43);          // the TAS schools are the same in both
  near(j.groups.tas.post.rate_per_100, 1.35);
  near(j.did_per_100, -0.40);
  near(j.regression.estimate, -0.40);                 // two years, steady rolls: the regression is the DiD
  assert.equal(j.regression.schools_comparison, 2);

  const bad = await as.evaluator.api('GET', `/api/v1/evaluation?${Q}&comparison=some`);
  assert.equal(bad.status, 422, bad.text);
});

test('disclosure: a small count of a left-out school hides the matched comparison as the "all" view would', async () => {
  const q = Q.replace('community_paediatrics', 'educational_psychology');
  // All: the comparison schools' 164 before is not small, and is shown.
  const all = (await as.evaluator.api('GET', `/api/v1/evaluation?${q}`)).json;
  assert.equal(all.groups.comparison.pre.count, 164);
  // Matched: 161, which with the 164 would give C3's 3 back, so it is hidden,
  // and so are the change and the DiD.
  const m = (await as.evaluator.api('GET', `/api/v1/evaluation?${q}&comparison=matched`)).json;
  assert.equal(m.groups.comparison.pre.count, 'c');
  assert.equal(m.groups.comparison.pre.rate_per_100, 'c');
  assert.equal(m.groups.comparison.change_per_100, 'c');
  assert.equal(m.did_per_100, 'c');
  assert.equal(m.regression, 'c');
  assert.equal(m.groups.comparison.post.count, 193);
  // Those who may see exact counts see them.
  const exact = (await as.admin.api('GET', `/api/v1/evaluation?${q}&comparison=matched`)).json;
  assert.equal(exact.groups.comparison.pre.count, 161);
  near(exact.did_per_100, -0.40);
  const published = (await as.admin.api('GET', `/api/v1/evaluation?${q}&comparison=matched&publish=yes`)).json;
  assert.equal(published.did_per_100, 'c');
});

test('matching fails: why, and no figures, never all the schools instead', async () => {
  // No TAS school is secondary: nothing to match.
  const q = Q.replace('phase=primary', 'phase=secondary');
  const r = await as.admin.api('GET', `/api/v1/evaluation?${q}&comparison=matched`);
  assert.equal(r.status, 200, r.text);
  assert.match(r.json.error, /^the matching failed: /);
  assert.equal(r.json.groups, undefined);
  assert.equal(r.json.did_per_100, undefined);
  assert.equal(r.json.comparison.used, 0);
  const page = decodeHtml((await as.admin.getHtml(`/evaluation?${q}&comparison=matched`)).html);
  assert.match(page, /These figures cannot be compared: the matching failed: /);
  assert.doesNotMatch(page, /id="rates"/);
  assert.doesNotMatch(page, /id="did-per-100"/);
});

test('page: a GET form with the radios, no JavaScript needed; the number of comparison schools used', async () => {
  const first = await as.evaluator.getHtml(`/evaluation?${Q}`);
  assert.equal(first.status, 200);
  const form = first.html.match(/<form method="get" action="\/evaluation"[\s\S]*?<\/form>/);
  assert.ok(form, 'a GET form');
  assert.match(form[0], /<input[^>]*name="comparison"[^>]*value="all"[^>]*checked/);
  assert.match(form[0], /<input[^>]*name="comparison"[^>]*value="matched"/);
  assert.doesNotMatch(form[0], /value="matched"[^>]*checked/);
  assert.match(decodeHtml(first.html), /id="comparison-schools">\s*Comparison schools: <strong>all<\/strong>, 3 comparison schools\./);

  // What the browser sends for the form with "Matched only" chosen.
  const fields = new URLSearchParams(Q);
  fields.set('comparison', 'matched');
  const page = await as.evaluator.getHtml(`/evaluation?${fields}`);
  assert.equal(page.status, 200);
  const html = decodeHtml(page.html);
  assert.match(html, /<input[^>]*name="comparison"[^>]*value="matched"[^>]*checked/);
  assert.match(html, /id="comparison-schools">\s*Comparison schools: <strong>matched only<\/strong>, 2 of the phase's 3 comparison schools/);
  assert.match(html, /Comparison schools \(2 schools, 10000 then 10000 pupils\)/);
  assert.match(html, /id="did-per-100">-0\.40</);
  // The CSV link keeps the choice, and the CSV says which schools.
  assert.match(html, /href="\/evaluation\.csv\?[^"]*comparison=matched/);
  const csv = await as.evaluator.getHtml(`/evaluation.csv?${fields}`);
  assert.match(csv.html, /comparison schools,matched only,used,2,of,3/);
});
