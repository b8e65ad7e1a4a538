// The evaluation's matched comparison (issue 14): with comparison=matched the
// rates, the DiD and the models use only the schools the matching chose.
// Evalshire (evaluation_fixture.mjs) with a third primary comparison
// school, C3, far from both TAS schools (% FSM 80, % SEN 40, a rate before
// of 5 per 100): matching pairs P1 with C1 and P2 with C2 and leaves C3 out,
// so the matched figures are Figure 5d's and the "all" figures are not.
// Then the matching's options (k, caliper, replacement) and the weights
// they give, the cost model's programme cost, and a hostile reader who
// differences option settings to find a suppressed count.
//
// Distances on community paediatrics (pooled SDs: % FSM 21.6, % SEN 9.74,
// rate before 1.39; pupils on roll are all 400, so they do not enter):
// P1-C1 0.200, P2-C1 0.436, P2-C2 0.950, P1-C2 1.07, P2-C3 4.49, P1-C3 4.59.
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

// The cost model: school 1 h at £40, Strategic Lead 1 h at £60, Case
// Coordinator 2 h at £30: £160 a meeting.  T1 has 10 meetings from
// 1 September 2024 to 31 August 2025 (one cancelled: planned all the same),
// so £1,600 for 2024/25; those either side and the voided one do not count.
// T1's paediatrician has no rate.
const RATES = [
  { role_key: 'school', label: 'School staff', org_group: 'school', hourly: '40', prep: 0, meeting: 60, followup: 0, travel: 0 },
  { role_key: 'strategic_lead', label: 'Strategic Lead', org_group: 'la', hourly: '60', prep: 0, meeting: 60, followup: 0, travel: 0 },
  { role_key: 'case_coordinator', label: 'Case Coordinator', org_group: 'la', hourly: '30', prep: 30, meeting: 60, followup: 30, travel: 0 },
];
const MEETINGS = [['2024-08-31'], ['2024-09-01'], ['2024-10-01'], ['2024-11-05'], ['2024-12-03'], ['2025-01-14'],
  ['2025-02-11', 'cancelled'], ['2025-03-11'], ['2025-05-06'], ['2025-06-10', 'planned', 'voided'], ['2025-07-08'],
  ['2025-08-31'], ['2025-09-01']];

function costModelSql() {
  const s = [`INSERT INTO team_members (team_id, service_id) VALUES (9521, 9511);`];
  MEETINGS.forEach(([day, status = 'held', voided], i) => {
    s.push(`INSERT INTO meetings (id, team_id, meeting_date, start_time, status, created_at, updated_at, voided_at)
            VALUES (${9540 + i}, 9521, '${day}', '16:00', '${status}', 0, 0, ${voided ? 1 : 'NULL'});`);
  });
  return s.join('\n');
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
  sql(costModelSql());
  for (const r of RATES) {
    const res = await as.admin.api('PUT', `/api/v1/settings/costs?authority_id=${A}`, r);
    assert.equal(res.status, 200, res.text);
  }
});

after(async () => { await srv?.stop(); });

test('API: comparison=matched gives the matched schools\' rates and DiD; all gives every school\'s', async () => {
  const all = await as.evaluator.api('GET', `/api/v1/evaluation?${Q}`);
  assert.equal(all.status, 200, all.text);
  // All: comparison (64 + 97 + 100) / 12,000 -> (80 + 113 + 40) / 12,000.
  near(all.json.groups.comparison.pre.rate_per_100, 100 * 261 / 12000);
  near(all.json.groups.comparison.post.rate_per_100, 100 * 233 / 12000);
  near(all.json.did_per_100, (1.35 - 1.43) - (100 * 233 / 12000 - 100 * 261 / 12000));
  assert.deepEqual(all.json.comparison, { schools: 'all', matched_only: false, used: 3, of: 3, tas_used: 2,
    tas_of: 2, weighted: false, weighting: 'every school of the phase, once' });
  assert.equal(all.json.groups.comparison.pre.schools, 3);

  const m = await as.evaluator.api('GET', `/api/v1/evaluation?${Q}&comparison=matched`);
  assert.equal(m.status, 200, m.text);
  const j = m.json;
  assert.deepEqual([j.matching.tas_matched, j.matching.comparison, j.matching.comparison_used], [2, 3, 2]);
  assert.equal(j.comparison.schools, 'matched');
  assert.equal(j.comparison.used, 2);
  assert.equal(j.comparison.of, 3);
  assert.deepEqual([j.comparison.tas_used, j.comparison.tas_of, j.comparison.weighted], [2, 2, false]);
  assert.deepEqual(j.matching.options, { k: 1, caliper: null, replace: false });
  assert.equal(j.groups.comparison.pre.weighted_count, 161);   // weight 1 each: the same
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

const matched = (opts = '') => as.evaluator.api('GET', `/api/v1/evaluation?${Q}&comparison=matched${opts}`);

test('options on the API: with replacement a school chosen twice counts twice; k = 2; a caliper', async () => {
  // With replacement C1 is both TAS schools' nearest: chosen twice, weight 2;
  // C2 and C3 are left out.  Comparison 2 x 64 / (2 x 4,000) -> 2 x 80 / 8,000:
  // 1.6 -> 2.0, change +0.4; DiD -0.08 - 0.4 = -0.48.
  let r = await matched('&replace=yes');
  assert.equal(r.status, 200, r.text);
  let j = r.json;
  assert.deepEqual(j.matching.options, { k: 1, caliper: null, replace: true });
  assert.match(j.matching.method, /nearest comparison school of the same phase, with replacement, no caliper/);
  assert.deepEqual([j.comparison.used, j.comparison.tas_used, j.comparison.weighted], [1, 2, true]);
  assert.equal(j.groups.comparison.pre.count, 64);             // as the school's rows hold it
  assert.equal(j.groups.comparison.pre.weighted_count, 128);   // what the rate is made of
  assert.equal(j.groups.comparison.pre.weighted_pupils, 8000);
  assert.equal(j.groups.comparison.pre.schools, 1);
  near(j.groups.comparison.pre.rate_per_100, 1.6);
  near(j.groups.comparison.post.rate_per_100, 2.0);
  near(j.did_per_100, -0.48);
  near(j.regression.estimate, -0.48);   // two years, steady rolls: the weighted regression is the weighted DiD
  assert.equal(j.regression.schools_comparison, 1);
  assert.equal(j.groups.tas.pre.weighted_count, 143);

  // k = 2 without replacement: P1 keeps C1 alone (C2 went to P2 first), P2
  // gets C2 and C3: C1 weighs 1, C2 and C3 a half each.  Before: (64 + 48.5 +
  // 50) / (4,000 + 3,000 + 1,000) = 2.03125 per 100; after (80 + 56.5 + 20) /
  // 8,000 = 1.95625.
  j = (await matched('&k=2')).json;
  assert.deepEqual(j.matching.options, { k: 2, caliper: null, replace: false });
  assert.deepEqual([j.matching.tas_matched, j.matching.comparison_used, j.comparison.used], [2, 3, 3]);
  assert.equal(j.groups.comparison.pre.weighted_count, 162.5);
  near(j.groups.comparison.pre.rate_per_100, 2.03125);
  near(j.groups.comparison.post.rate_per_100, 1.95625);
  near(j.did_per_100, -0.08 - (1.95625 - 2.03125));

  // A caliper of 0.25 SD keeps P1-C1 (0.20) and leaves P2 without a match:
  // the matched view has 1 of the 2 TAS schools.  P1 1.4 -> 1.2, C1 1.6 -> 2.0.
  j = (await matched('&caliper=0.25')).json;
  assert.deepEqual(j.matching.options, { k: 1, caliper: 0.25, replace: false });
  assert.deepEqual([j.comparison.tas_used, j.comparison.tas_of, j.comparison.used], [1, 2, 1]);
  assert.deepEqual([j.groups.tas.pre.schools, j.groups.tas.pre.count, j.groups.tas.pre.pupils], [1, 70, 5000]);
  near(j.did_per_100, -0.6);
  // Two schools over two years: as many parameters as school-years.
  assert.match(j.regression.error, /^as many parameters as school-years/);
  // The "all" view with the same options: every school, and the balance
  // table of that matching.
  const all = (await as.evaluator.api('GET', `/api/v1/evaluation?${Q}&caliper=0.25`)).json;
  assert.deepEqual([all.comparison.tas_used, all.comparison.used, all.matching.tas_matched], [2, 3, 1]);
  // 0.1 SD: no pair is that close, so no figures at all.
  r = await matched('&caliper=0.1');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.error, 'the matching chose no comparison school (none is of a TAS school\'s phase and within the caliper)');
  assert.equal(r.json.groups, undefined);
  assert.deepEqual([r.json.comparison.used, r.json.comparison.tas_used], [0, 0]);
});

test('options are checked: k a whole number from 1 to 5, a caliper above 0, with or without replacement', async () => {
  const field = async (opts, name, message) => {
    const r = await matched(opts);
    assert.equal(r.status, 422, `${opts}: ${r.text}`);
    const e = r.json.errors.find((x) => x.field === name);
    assert.ok(e, `${opts}: an error on ${name}: ${r.text}`);
    assert.equal(e.message, message);
  };
  const K = 'Enter the number of matches for each TAS school as a whole number from 1 to 5';
  for (const k of ['0', '6', '1.5', 'two', '-1']) await field(`&k=${k}`, 'k', K);
  const CAL = 'Enter the caliper as a number above 0, like 0.2, or leave it blank for no caliper';
  for (const c of ['0', '-0.2', 'abc', '0.2.1', '1e3', '101']) await field(`&caliper=${encodeURIComponent(c)}`, 'caliper', CAL);
  await field('&replace=maybe', 'replace', 'Choose with replacement or without replacement');
  // Under disclosure control only a few steps, so that a reader cannot move
  // the caliper until a pair comes or goes and so measure its distance;
  // exact figures take any.
  const STEP = 'Enter a caliper of 0.1, 0.2, 0.25, 0.5 or 1, or leave it blank for no caliper: figures prepared for publication take no other';
  await field('&caliper=0.3', 'caliper', STEP);
  for (const c of ['0.1', '0.2', '0.25', '0.50', '1']) assert.equal((await matched(`&caliper=${c}`)).status, 200, c);
  const exact = await as.admin.api('GET', `/api/v1/evaluation?${Q}&comparison=matched&caliper=0.3`);
  assert.equal(exact.status, 200, exact.text);
  assert.equal(exact.json.matching.options.caliper, 0.3);
  const published = await as.admin.api('GET', `/api/v1/evaluation?${Q}&comparison=matched&caliper=0.3&publish=yes`);
  assert.equal(published.status, 422, published.text);
  // Blank is the default: k 1, no caliper, without replacement.
  const blank = await matched('&k=&caliper=&replace=');
  assert.equal(blank.status, 200, blank.text);
  assert.deepEqual(blank.json.matching.options, { k: 1, caliper: null, replace: false });
});

test('page: the options as GOV.UK fields, kept when sent; "N of M TAS schools matched"; errors in the summary', async () => {
  const fields = new URLSearchParams(Q);
  fields.set('comparison', 'matched');
  fields.set('k', '2');
  fields.set('caliper', '0.25');
  fields.set('replace', 'yes');
  const page = await as.evaluator.getHtml(`/evaluation?${fields}`);
  assert.equal(page.status, 200);
  const html = decodeHtml(page.html);
  const form = html.match(/<form method="get" action="\/evaluation"[\s\S]*?<\/form>/)[0];
  assert.match(form, /<label class="govuk-label" for="f-k">\s*Number of matches for each TAS school\s*<\/label>/);
  assert.match(form, /<input class="govuk-input govuk-input--width-2" id="f-k" name="k" type="text" value="2"/);
  assert.match(form, /<label class="govuk-label" for="f-caliper">\s*Caliper in pooled standard deviations \(optional\)/);
  assert.match(form, /id="f-caliper" name="caliper" type="text" value="0.25"/);
  assert.match(form, /<input class="govuk-radios__input" id="f-replace-yes" name="replace" type="radio" value="yes" checked>/);
  assert.match(form, /<input class="govuk-radios__input" id="f-replace" name="replace" type="radio" value="no">/);
  // P2 is 0.44 from C1: outside the caliper, so unmatched and left out.
  assert.match(html, /id="tas-matched"><strong>1 of 2 TAS schools matched\.<\/strong> Only the matched TAS schools are in these figures/);
  assert.match(html, /TAS schools \(1 schools, 5000 then 5000 pupils\)/);
  assert.match(html, /id="matching-method">Matching: each TAS school's 2 nearest comparison schools of the same phase, with replacement, within 0\.25 pooled SDs \(the caliper\)/);
  assert.match(html, /The figures above use the matched schools only\.<\/p>/);
  assert.doesNotMatch(html, /id="weighted-note"/);   // C1 alone, once: nothing weighs other than 1
  assert.match(html, /href="\/evaluation\.csv\?[^"]*comparison=matched&amp;k=2&amp;caliper=0\.25&amp;replace=yes"|href="\/evaluation\.csv\?[^"]*comparison=matched&k=2&caliper=0\.25&replace=yes"/);
  const csv = await as.evaluator.getHtml(`/evaluation.csv?${fields}`);
  assert.match(csv.html, /\r\ntas schools,matched only,used,1,of,2\r\n/);
  assert.match(csv.html, /\r\nmatching,"each TAS school's 2 nearest comparison schools of the same phase, with replacement, within 0\.25 pooled SDs/);

  // With replacement alone: C1 counts twice, and the page says the figures are weighted.
  fields.delete('k');
  fields.delete('caliper');
  const weighted = decodeHtml((await as.evaluator.getHtml(`/evaluation?${fields}`)).html);
  assert.match(weighted, /Comparison schools \(1 schools, 8000 then 8000 pupils\)/);
  assert.match(weighted, /, those the matching below chose, each weighted by the number of TAS schools it stands for\./);
  assert.match(weighted, /id="weighted-note">The comparison schools' counts and pupils are weighted/);
  assert.match(weighted, /<td class="govuk-table__cell govuk-table__cell--numeric">128<\/td>/);
  assert.match(weighted, /2 of 2 TAS schools matched\./);
  const all = decodeHtml((await as.evaluator.getHtml(`/evaluation?${Q}&replace=yes`)).html);
  assert.match(all, /The figures above use every school of the phase, not only the matched ones\.<\/p>/);
  assert.doesNotMatch(all, /id="tas-matched"|id="weighted-note"/);

  // Errors: 400, the summary links to each field, the field says it too,
  // and what was typed is kept.
  fields.set('k', '9');
  fields.set('caliper', 'wide');
  const bad = await as.evaluator.getHtml(`/evaluation?${fields}`);
  assert.equal(bad.status, 400);
  const b = decodeHtml(bad.html);
  assert.match(b, /<a href="#f-k">Enter the number of matches for each TAS school as a whole number from 1 to 5<\/a>/);
  assert.match(b, /<a href="#f-caliper">Enter the caliper as a number above 0, like 0\.2, or leave it blank for no caliper<\/a>/);
  assert.match(b, /<p id="f-k-error" class="govuk-error-message">\s*<span class="govuk-visually-hidden">Error:<\/span> Enter the number of matches/);
  assert.match(b, /id="f-k" name="k" type="text" value="9"/);
  assert.match(b, /id="f-caliper" name="caliper" type="text" value="wide"/);
});

test('cost: the cost model\'s planned cost by default, said on the page with how it is worked out; a typed cost instead', async () => {
  // Matched, Figure 5d: DiD -0.40 per 100 over the TAS schools' 10,000
  // pupils after: 40 events avoided; £1,600 / 40 = £40 each.
  let j = (await matched()).json;
  assert.equal(j.programme_cost.source, 'cost model');
  assert.equal(j.programme_cost.pounds, 1600);
  const m = j.programme_cost.cost_model;
  assert.deepEqual([m.available, m.pounds, m.share, m.pounds_used, m.meetings, m.from, m.to],
    [true, 1600, 1, 1600, 10, '2024-09-01', '2025-08-31']);
  assert.equal(m.roles_without_rate, 'Community Paediatrics');
  assert.match(m.method, /^the dashboard's planned programme cost: every meeting in the schedule/);
  assert.equal(j.cost_effectiveness.cost, 1600);
  near(j.cost_effectiveness.events_avoided, 40);
  near(j.cost_effectiveness.cost_per_event_avoided, 40);
  // The same figure as the dashboard's for the year and phase.
  const d = await as.evaluator.api('GET', `/api/v1/dashboard?authority_id=${A}&phase=primary&from=2024-09-01&to=2025-08-31`);
  assert.equal(d.status, 200, d.text);
  const plan = d.json.tables.find((t) => t.key === 'cost_summary').rows.find((r) => r.label === 'Planned programme cost');
  assert.match(JSON.stringify(plan), /£1,600/);

  // Typed: used instead, and said so; the cost model's figure is still given.
  j = (await matched('&cost=10000')).json;
  assert.equal(j.programme_cost.source, 'typed');
  assert.equal(j.programme_cost.pounds, 10000);
  assert.equal(j.programme_cost.cost_model.pounds, 1600);
  near(j.cost_effectiveness.cost_per_event_avoided, 250);

  // The caliper leaves P2 out: the cost model's figure is for every TAS
  // school of the phase, so it is scaled to P1's 5,000 of the 10,000
  // pupil-years after: £800, for 0.6 / 100 x 5,000 = 30 events avoided.
  j = (await matched('&caliper=0.25')).json;
  assert.deepEqual([j.programme_cost.cost_model.share, j.programme_cost.cost_model.pounds_used, j.programme_cost.pounds],
    [0.5, 800, 800]);
  near(j.cost_effectiveness.events_avoided, 30);
  near(j.cost_effectiveness.cost_per_event_avoided, 800 / 30);

  // No TAS team hosted by a secondary school: no cost, and why.
  j = (await as.evaluator.api('GET', `/api/v1/evaluation?${Q.replace('phase=primary', 'phase=secondary')}`)).json;
  assert.equal(j.programme_cost.source, 'none');
  assert.equal(j.programme_cost.pounds, null);
  assert.equal(j.programme_cost.cost_model.not_available, 'no TAS meeting of this phase is scheduled in the years after');
  // All comparison schools: the DiD is positive, so no cost per event avoided, and why.
  j = (await as.evaluator.api('GET', `/api/v1/evaluation?${Q}`)).json;
  assert.equal(j.cost_effectiveness.cost_per_event_avoided, null);
  assert.match(j.cost_effectiveness.not_defined, /not negative/);

  // The page says which cost was used and how the cost model's is worked out.
  const page = decodeHtml((await as.evaluator.getHtml(`/evaluation?${Q}&comparison=matched`)).html);
  assert.match(page, /id="programme-cost">\s*Programme cost: <strong>£1600, from the cost model<\/strong>/);
  assert.match(page, /The cost model's figure: £1600, the planned cost of the 10 meetings in the schedule of the TAS teams of this phase from 1 September 2024 to 31 August 2025/);
  assert.match(page, /The cost model has no rate for: Community Paediatrics; their time is not counted\./);
  assert.match(page, /<strong>£40 per event avoided<\/strong>/);
  const typed = decodeHtml((await as.evaluator.getHtml(`/evaluation?${Q}&comparison=matched&cost=10000`)).html);
  assert.match(typed, /Programme cost: <strong>£10000, as typed<\/strong>, used in place of the cost model's figure\./);
  assert.match(typed, /<strong>£250 per event avoided<\/strong>/);
  const scaled = decodeHtml((await as.evaluator.getHtml(`/evaluation?${Q}&comparison=matched&caliper=0.25`)).html);
  assert.match(scaled, /times 50\.0%, the share of the TAS schools' pupil-years after that these figures use, giving £800/);
  // Hidden with the DiD, though the programme's cost (money) is shown.
  j = (await as.evaluator.api('GET', `/api/v1/evaluation?${Q.replace('community_paediatrics', 'educational_psychology')}&comparison=matched`)).json;
  assert.equal(j.did_per_100, 'c');
  assert.equal(j.cost_effectiveness, 'c');
  assert.equal(j.programme_cost.pounds, 1600);
});

// The hostile reader.  Two worlds that differ only in how the comparison
// schools' small count before TAS is split: in A, C3 had 3 referrals and C1
// 82; in B, C3 had 2 and C1 83 (everything else alike).  C3's count is small,
// so in every view it is hidden, and so is anything that would give it
// back: a view that keeps C1 but not C3 (or weighs them apart) shown beside
// the "all" view would give C3's count by subtraction.  The reader asks for
// every option setting there is a point in (k 1-3, with and without
// replacement, every caliper step and none) and the "all" view, and
// differences every pair of answers.  Under disclosure control no answer
// differs between A and B (the models aside: docs/evaluation.md), so no
// difference of any of them, nor any other sum, can tell 3 from 2; with
// exact figures the same attack finds C3's 3 at once, so it is a real one.
// Distances here (C1's rate before is 2.05 per 100): P1-C1 0.933, P2-C1
// 0.938 (0.942 in B), P2-C2 0.969, P1-C2 1.10, the rest over 4: no caliper
// step falls between A's and B's.
const WORLDS = { A: ['early_help', 82, 3], B: ['salt', 83, 2] };
const SETTINGS = [''];
for (const k of [1, 2, 3]) {
  for (const replace of ['no', 'yes']) {
    for (const caliper of ['', '0.1', '0.2', '0.25', '0.5', '1']) {
      SETTINGS.push(`&comparison=matched&k=${k}&replace=${replace}${caliper ? `&caliper=${caliper}` : ''}`);
    }
  }
}

async function world(user, name) {
  const [kind] = WORLDS[name];
  const out = [];
  for (const s of SETTINGS) {
    const r = await as[user].api('GET', `/api/v1/evaluation?${Q.replace('community_paediatrics', kind)}${s}`);
    assert.equal(r.status, 200, `${s}: ${r.text}`);
    out.push(r.json);
  }
  return out;
}

/** Every small difference (1 to 4) between two shown comparison counts before. */
function smallDifferences(answers) {
  const v = answers.map((j) => j.groups?.comparison.pre.weighted_count ?? j.groups?.comparison.pre.count)
    .filter((x) => typeof x === 'number');
  const found = new Set();
  for (const a of v) for (const b of v) if (a - b >= 1 && a - b < 5) found.add(a - b);
  return found;
}

test('disclosure: differencing any two option settings cannot isolate a left-out school\'s small count', async () => {
  for (const [name, [kind, c1, c3]] of Object.entries(WORLDS)) {
    const csv = FIG5D_CSV.replace(`${URN(SCHOOLS.C1)},2023,comparison,4000,64`, `${URN(SCHOOLS.C1)},2023,comparison,4000,${c1}`)
      + `${URN(C3)},2023,comparison,2000,${c3}\n${URN(C3)},2024,comparison,2000,40\n`;
    assert.notEqual(csv, FIG5D_CSV, name);
    const r = await as.evaluator.api('POST', `/api/v1/evaluation/import?authority_id=${A}`, { kind, csv });
    assert.equal(r.status, 200, r.text);
  }
  // Exact figures: the attack works (all less k = 1 without replacement is C3).
  const exact = await world('admin', 'A');
  assert.equal(exact[0].groups.comparison.pre.count, 182);
  assert.equal(exact[1].groups.comparison.pre.count, 179);
  assert.ok(smallDifferences(exact).has(3), 'with exact figures the reader finds C3\'s 3');

  // Under disclosure control: A and B answer alike, setting by setting.
  const a = await world('evaluator', 'A');
  const b = await world('evaluator', 'B');
  const strip = (j) => {
    const { kind, regression, event_study: es, poisson, ...rest } = j;
    return rest;
  };
  let shown = 0;
  for (let i = 0; i < SETTINGS.length; i++) {
    assert.deepEqual(strip(a[i]), strip(b[i]), `setting "${SETTINGS[i]}" tells A from B`);
    if (typeof a[i].groups?.comparison.pre.count === 'number') shown++;
  }
  assert.equal(smallDifferences(a).size, 0);
  // What the attack needs is hidden: k = 1 keeps C1 and leaves C3 out.
  assert.equal(a[1].groups.comparison.pre.count, 'c');
  assert.equal(a[1].did_per_100, 'c');
  // Not everything is hidden: the "all" view, and settings that weigh C1
  // and C3 alike (k = 3 with replacement: every school once), are shown.
  assert.equal(a[0].groups.comparison.pre.count, 182);
  assert.ok(shown >= 2, `${shown} settings show the comparison schools before`);
});
