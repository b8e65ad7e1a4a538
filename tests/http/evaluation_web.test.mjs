// The evaluation pages and API (issue 14) against "Evalshire"
// (evaluation_fixture.mjs): importing counts (a dry run first, bad rows named
// by line, nothing half-imported), entering one school-year, counts computed
// from tas's records, the Bedford report's Figure 5d difference-in-differences
// on the page, in JSON and in the CSV, disclosure control, and who is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, Client, decodeHtml, runTas, dbScript } from './harness.mjs';
import { A, SCHOOLS, URN, FIG5D_CSV, evaluationFixture } from './evaluation_fixture.mjs';

let srv;
const as = {};
const FIG5D = `authority_id=${A}&kind=community_paediatrics&phase=primary&pre=2023&post=2024`;

function sql(statement) {
  return dbScript(srv.db, statement).trim();
}

async function signIn(username) {
  const c = new Client(srv.base);
  const res = await c.signIn(username);
  assert.equal(res.status, 303, `sign in as ${username}`);
  await c.useApiToken();
  as[username] = c;
}

const api = (c, method, p, body) => c.api(method, p, body);
const near = (got, want, tol = 1e-9) => assert.ok(Math.abs(got - want) <= tol, `got ${got}, want ${want}`);
const countsOf = (kind) => Number(sql(`SELECT count(*) FROM school_year_counts WHERE kind = '${kind}';`));

before(async () => {
  srv = await startServer({ seed: 5 });
  sql(evaluationFixture());
  for (const u of ['admin', 'evaluator', 'lead', 'steering', 'head', 'coordinator', 'practitioner']) await signIn(u);
});

after(async () => { await srv?.stop(); });

test('import: a dry run writes nothing; then Figure 5d reproduces in JSON, on the page and in the CSV', async () => {
  const dry = await api(as.evaluator, 'POST', `/api/v1/evaluation/import?authority_id=${A}`,
    { kind: 'community_paediatrics', csv: FIG5D_CSV, dry_run: 'yes' });
  assert.equal(dry.status, 200, dry.text);
  assert.deepEqual([dry.json.rows, dry.json.bad_rows, dry.json.dry_run, dry.json.written], [8, 0, true, false]);
  assert.equal(countsOf('community_paediatrics'), 0);

  const imp = await api(as.evaluator, 'POST', `/api/v1/evaluation/import?authority_id=${A}`,
    { kind: 'community_paediatrics', csv: FIG5D_CSV });
  assert.equal(imp.status, 200, imp.text);
  assert.equal(imp.json.written, true);
  assert.equal(countsOf('community_paediatrics'), 8);
  assert.equal(sql(`SELECT pupils || ' ' || source FROM school_years WHERE school_id = ${SCHOOLS.C2} AND academic_year = 2024;`),
    '6000 import');

  const r = await api(as.evaluator, 'GET', `/api/v1/evaluation?${FIG5D}`);
  assert.equal(r.status, 200, r.text);
  const j = r.json;
  near(j.groups.tas.pre.rate_per_100, 1.43);
  near(j.groups.tas.post.rate_per_100, 1.35);
  near(j.groups.comparison.pre.rate_per_100, 1.61);
  near(j.groups.comparison.post.rate_per_100, 1.93);
  near(j.did_per_100, -0.40);                 // TAS change minus comparison change
  assert.equal(Math.round(j.did_pct), -25);
  assert.equal(Math.round(j.groups.tas.pre.one_in), 70);
  assert.equal(Math.round(j.groups.comparison.post.one_in), 52);
  assert.match(j.sign_convention, /TAS change - comparison change/);
  assert.equal(j.label, 'association, not proof of cause');
  assert.equal(j.kind.source, 'entered or imported');
  assert.equal(j.exact, false);               // an evaluator never sees exact small counts
  assert.equal(j.schools, 4);                 // the secondary school is not in the primary phase
  near(j.regression.estimate, -0.40);         // two years, steady rolls: the regression is the DiD
  assert.equal(j.regression.schools_tas, 2);
  assert.match(j.event_study.error, /2 or more years before/);   // one year before: nothing to check

  // Matching: both TAS schools to a comparison school each, so the means
  // after are those before.  % FSM: TAS 20, 30; comparison 22, 40; pooled
  // SD sqrt((50 + 162) / 2); rates before: 1.40, 1.46 against 1.60, 1.6167.
  const m = j.matching;
  assert.deepEqual([m.tas, m.tas_matched, m.comparison, m.comparison_used, m.left_out], [2, 2, 2, 2, 0]);
  const fsm = m.balance.find((b) => b.covariate === 'fsm_pct');
  near(fsm.smd_before, (25 - 31) / Math.sqrt(106), 1e-12);
  near(fsm.smd_after, fsm.smd_before, 1e-12);
  // The schools' own rates before are withheld from an evaluator (with the
  // rolls they could give back one school's count); an administrator sees them.
  assert.equal(m.balance.find((b) => b.covariate === 'prior_rate').tas_before, 'c');
  const prior = (await api(as.admin, 'GET', `/api/v1/evaluation?${FIG5D}`)).json.matching.balance
    .find((b) => b.covariate === 'prior_rate');
  near(prior.tas_before, (1.4 + 1.46) / 2, 1e-12);
  near(prior.comparison_before, (1.6 + 9700 / 6000) / 2, 1e-12);

  const page = await as.evaluator.getHtml(`/evaluation?${FIG5D}`);
  assert.equal(page.status, 200);
  assert.match(decodeHtml(page.html), /<th scope="row" class="govuk-table__header">% FSM<\/th>\s*<td[^>]*>25\.0<\/td>\s*<td[^>]*>31\.0<\/td>\s*<td[^>]*>-0\.58<\/td>/);
  const html = decodeHtml(page.html);
  assert.match(html, /id="did-per-100">-0\.40</);
  assert.match(html, /id="did-pct">-25\.5</);
  for (const cell of ['1.43', '1.35', '1.61', '1.93', '1 in 70', '1 in 52', '-0.08', '+0.32'])
    assert.ok(html.includes(`>${cell}<`), `page shows ${cell}`);
  assert.match(html, /TAS schools' change minus the comparison schools' change/);
  assert.match(html, /entered or imported/);
  assert.ok(html.includes(`href="/evaluation.csv?authority_id=${A}&kind=community_paediatrics&phase=primary&pre=2023&post=2024"`));

  // Cost-effectiveness: £10,000 over the TAS schools' 10,000 pupil-years
  // after; 0.40 fewer per 100 is 40 events avoided, £250 each.
  const cost = await api(as.evaluator, 'GET', `/api/v1/evaluation?${FIG5D}&cost=10000`);
  assert.equal(cost.status, 200, cost.text);
  near(cost.json.cost_effectiveness.events_avoided, 40);
  near(cost.json.cost_effectiveness.cost_per_event_avoided, 250);
  assert.match(cost.json.cost_effectiveness.assumptions, /not proof of cause/);
  const costPage = await as.evaluator.getHtml(`/evaluation?${FIG5D}&cost=10000`);
  assert.match(decodeHtml(costPage.html), /<strong>£250 per event avoided<\/strong>/);
  const noCost = await api(as.evaluator, 'GET', `/api/v1/evaluation?${FIG5D}&cost=lots`);
  assert.equal(noCost.status, 422);
  assert.equal(noCost.json.errors[0].field, 'cost');

  const csv = await as.evaluator.getHtml(`/evaluation.csv?${FIG5D}`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /text\/csv/);
  assert.match(csv.html, /\r\ntas,pre,2,10000,143,1\.43,1 in 70,,\r\n/);
  assert.match(csv.html, /\r\ndid_per_100,-0\.40\r\n/);
  const costCsv = await as.evaluator.getHtml(`/evaluation.csv?${FIG5D}&cost=10000`);
  assert.match(costCsv.html, /\r\ncost per event avoided \(GBP\),250,events avoided,40\.0\r\n/);
});

test('import: every bad row is named by its line and nothing is half-imported', async () => {
  const before = countsOf('salt');
  const bad = [
    'school,year,group,pupils,count',
    `${URN(SCHOOLS.P1)},2023,tas,500,7`,                // good
    `999999,2023,tas,500,7`,                            // line 3: no such school here
    `${URN(SCHOOLS.C1)},2023,tas,500,7`,                // line 4: a comparison school said to be tas
    `${URN(SCHOOLS.P2)},2023,tas,0,7`,                  // line 5: no pupils
    `${URN(SCHOOLS.C2)},2023,comparison,500,-1`,        // line 6: negative count
    `${URN(SCHOOLS.P1)},2023,tas,500,8`,                // line 7: the school-year again
    `${URN(SCHOOLS.C2)},2023,comparison,500`,           // line 8: a field short
  ].join('\n');
  const r = await api(as.lead, 'POST', `/api/v1/evaluation/import?authority_id=${A}`, { kind: 'salt', csv: bad });
  assert.equal(r.status, 422, r.text);
  assert.deepEqual(r.json.bad.map((b) => b.line), [3, 4, 5, 6, 7, 8]);
  assert.match(r.json.bad[1].reason, /not tas/);
  assert.match(r.json.bad[4].reason, /earlier line/);
  assert.equal(r.json.written, false);
  assert.equal(countsOf('salt'), before);     // not even the good row

  const header = await api(as.lead, 'POST', `/api/v1/evaluation/import?authority_id=${A}`,
    { kind: 'salt', csv: 'urn,year\n1,2\n' });
  assert.equal(header.status, 422);
  assert.equal(header.json.bad[0].line, 1);

  // The page: the bad rows in a table, the error summary linking to the field.
  const page = await as.lead.submitForm(`/evaluation/import?authority_id=${A}`, { kind: 'salt', csv: bad },
    { action: `/evaluation/import?authority_id=${A}` });
  assert.equal(page.status, 400);
  const html = decodeHtml(await page.text());
  assert.match(html, /href="#f-csv">The file has 6 bad rows: nothing was imported/);
  assert.match(html, /<td class="govuk-table__cell govuk-table__cell--numeric">4<\/td>/);
  assert.equal(countsOf('salt'), before);

  const check = await as.lead.submitForm(`/evaluation/import?authority_id=${A}`,
    { kind: 'salt', csv: FIG5D_CSV, dry_run: 'yes' }, { action: `/evaluation/import?authority_id=${A}` });
  assert.equal(check.status, 200);
  assert.match(await check.text(), /ready to import: 8 rows/);
  assert.equal(countsOf('salt'), before);
});

test('entry: one school-year by the form, with GOV.UK errors; a new kind joins the list', async () => {
  const path = `/evaluation/data?authority_id=${A}`;
  const bad = await as.lead.submitForm(path, { school_id: String(SCHOOLS.X1), year: '2024', pupils: '0',
    kind: 'suspensions', count: 'many' });
  assert.equal(bad.status, 400);
  const html = decodeHtml(await bad.text());
  assert.match(html, /href="#f-pupils">Enter the pupils on roll/);
  assert.match(html, /href="#f-count">Enter the count/);
  assert.equal(sql(`SELECT count(*) FROM school_years WHERE school_id = ${SCHOOLS.X1};`), '0');

  const ok = await as.lead.submitForm(path, { school_id: String(SCHOOLS.X1), year: '2024', pupils: '900',
    other_kind: 'camhs_referrals', count: '12' });
  assert.equal(ok.status, 303);
  assert.equal(sql(`SELECT y.pupils || ' ' || c.kind || ' ' || c.count || ' ' || c.source FROM school_years y
    JOIN school_year_counts c USING (school_id, academic_year) WHERE y.school_id = ${SCHOOLS.X1};`),
  '900 camhs_referrals 12 hand');
  const page = await as.evaluator.getHtml(`/evaluation?authority_id=${A}`);
  assert.match(page.html, /<option value="camhs_referrals">camhs_referrals \(entered\)<\/option>/);

  const other = await api(as.lead, 'POST', `/api/v1/evaluation/data?authority_id=${A}`,
    { school_id: '1', year: '2024', pupils: '100' });   // a school of another authority
  assert.equal(other.status, 422);
  assert.equal(other.json.errors[0].field, 'school_id');
});

test('computed: referrals and suspensions counted from tas records per school and academic year', async () => {
  // Pupils at P1 (TAS) and C1 (comparison); referrals to paediatrics and
  // suspensions dated either side of 1 September 2023.
  const s = [];
  const pupils = [[9531, SCHOOLS.P1], [9532, SCHOOLS.P1], [9533, SCHOOLS.C1], [9534, SCHOOLS.C2]];
  for (const [id, school] of pupils) {
    s.push(`INSERT INTO pupils (id, school_id, upn, forenames, surname, date_of_birth, gender, ethnicity, nc_year,
      sen_provision, created_at, updated_at) VALUES (${id}, ${school}, 'E95000000${id}', 'Test', 'Pupil', '2015-01-01',
      'F', 'WBRI', '4', 'N', 0, 0);`);
    s.push(`INSERT INTO cases (id, pupil_id, team_id, opened_on, created_at, updated_at)
      VALUES (${id + 100}, ${id}, 9521, '2023-01-10', 0, 0);`);
  }
  // referrals: P1 in 2022/23: 2 (2023-03-01, 2023-08-31); in 2023/24: 1 (2023-09-01);
  // C1 2022/23: 1; C2 2023/24: 3.
  const refs = [[9631, '2023-03-01'], [9632, '2023-08-31'], [9631, '2023-09-01'], [9633, '2022-10-01'],
    [9634, '2023-11-01'], [9634, '2024-01-01'], [9634, '2024-06-30']];
  for (const [kase, on] of refs) {
    s.push(`INSERT INTO referrals (case_id, service_id, referred_on, created_at, updated_at)
      VALUES (${kase}, 9511, '${on}', 0, 0);`);
  }
  s.push(`INSERT INTO outcome_records (pupil_id, kind, starts_on, created_at) VALUES
    (9531, 'suspension', '2023-10-02', 0), (9532, 'suspension', '2024-02-02', 0), (9533, 'exclusion', '2023-05-05', 0);`);
  sql(s.join('\n'));

  const r = await api(as.evaluator, 'GET',
    `/api/v1/evaluation?authority_id=${A}&kind=records:referral:paed&phase=primary&pre=2022&post=2023`);
  assert.equal(r.status, 200, r.text);
  const g = r.json.groups;
  assert.equal(r.json.kind.source, 'computed from tas records');
  // Pupils: the school record's 400 where none was entered for 2022; the
  // 2023 figures entered by the Figure 5d import (5000, 5000, 4000, 6000).
  // Counts of 1 to 4 (the default threshold 5) are "c" for an evaluator.
  assert.deepEqual([g.tas.pre.count, g.tas.post.count, g.comparison.pre.count, g.comparison.post.count],
    ['c', 'c', 'c', 'c']);
  assert.equal(g.tas.pre.rate_per_100, 'c');
  assert.equal(r.json.did_per_100, 'c');      // small counts: withheld for an evaluator

  const admin = await api(as.admin, 'GET',
    `/api/v1/evaluation?authority_id=${A}&kind=records:referral:paed&phase=primary&pre=2022&post=2023`);
  assert.equal(admin.json.exact, true);       // an administrator sees exact counts ...
  const ga = admin.json.groups;
  assert.deepEqual([ga.tas.pre.count, ga.tas.post.count, ga.comparison.pre.count, ga.comparison.post.count],
    [2, 1, 1, 3]);
  assert.deepEqual([ga.tas.pre.pupils, ga.tas.post.pupils, ga.comparison.pre.pupils, ga.comparison.post.pupils],
    [800, 10000, 800, 10000]);
  near(ga.tas.pre.rate_per_100, 0.25);
  const pub = await api(as.admin, 'GET',
    `/api/v1/evaluation?authority_id=${A}&kind=records:referral:paed&phase=primary&pre=2022&post=2023&publish=yes`);
  assert.equal(pub.json.groups.tas.pre.count, 'c');   // ... unless preparing for publication

  const susp = await api(as.admin, 'GET',
    `/api/v1/evaluation?authority_id=${A}&kind=records:suspension&phase=all&pre=2022&post=2023`);
  assert.equal(susp.status, 200, susp.text);
  assert.equal(susp.json.groups.tas.post.count, 2);
  assert.equal(susp.json.groups.comparison.post.count, 0);
  const excl = await api(as.admin, 'GET',
    `/api/v1/evaluation?authority_id=${A}&kind=records:exclusion&phase=all&pre=2022&post=2023`);
  assert.equal(excl.json.groups.comparison.pre.count, 1);
});

test('two years before: the event study, its chart and the table beside it', async () => {
  // Early help, 10,000 pupils a group and year: TAS schools 102 in 2021/22 and
  // 2022/23, then 62; comparison 104 each year.  The gap is 0 before and
  // -0.40 per 100 after.
  const rows = ['school,year,group,pupils,count'];
  for (const [y, t, c] of [[2021, 50, 50], [2022, 50, 50], [2023, 30, 50]]) {
    rows.push(`${URN(SCHOOLS.P1)},${y},tas,5000,${t}`, `${URN(SCHOOLS.P2)},${y},tas,5000,${t + 2}`);
    rows.push(`${URN(SCHOOLS.C1)},${y},comparison,5000,${c}`, `${URN(SCHOOLS.C2)},${y},comparison,5000,${c + 4}`);
  }
  const imp = await api(as.evaluator, 'POST', `/api/v1/evaluation/import?authority_id=${A}`,
    { kind: 'early_help', csv: rows.join('\n') });
  assert.equal(imp.status, 200, imp.text);
  const q = `authority_id=${A}&kind=early_help&phase=all&pre=2021,2022&post=2023`;
  const r = await api(as.evaluator, 'GET', `/api/v1/evaluation?${q}`);
  assert.equal(r.status, 200, r.text);
  const es = r.json.event_study;
  assert.equal(es.reference_year, 2022);
  assert.deepEqual(es.years.map((y) => [y.year, y.period]), [[2021, 'pre'], [2023, 'post']]);
  near(es.years[0].estimate, 0);               // parallel before
  near(es.years[1].estimate, -0.4);
  near(r.json.did_per_100, -0.4);
  const page = await as.evaluator.getHtml(`/evaluation?${q}`);
  const html = decodeHtml(page.html);
  assert.match(html, /<svg[^>]*role="img"[^>]*aria-labelledby="event-title event-desc"/);
  assert.match(html, /<table class="govuk-table" id="event-study">/);
  assert.match(html, /<th scope="row" class="govuk-table__header">2023\/24<\/th>\s*<td class="govuk-table__cell">after<\/td>\s*<td class="govuk-table__cell govuk-table__cell--numeric">-0\.400<\/td>/);
});

test('tas import school-counts: the same import from the command line, a dry run first', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'tas-school-counts-'));
  try {
    const good = path.join(dir, 'good.csv');
    const bad = path.join(dir, 'bad.csv');
    await writeFile(good, FIG5D_CSV);
    await writeFile(bad, FIG5D_CSV + `${URN(SCHOOLS.C1)},2025,tas,10,1\n`);
    const args = ['import', 'school-counts', '--db', srv.db, '--authority', String(A), '--kind', 'mhst'];
    const dry = await runTas([...args, '--csv', good, '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /dry run: 8 school-years of mhst would be imported/);
    assert.equal(countsOf('mhst'), 0);
    const refused = await runTas([...args, '--csv', bad]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stdout, /line 10: the school is in no TAS team/);
    assert.equal(countsOf('mhst'), 0);
    const done = await runTas([...args, '--csv', good]);
    assert.equal(done.code, 0, done.stderr);
    assert.equal(countsOf('mhst'), 8);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('disclosure: a small count in one year or one phase hides every total it is in', async () => {
  // Suspensions: the secondary school has 3 in 2024 (below 5); the primary
  // schools have 40 or more.  Shown alone, "all" less "primary" would give 3.
  const rows = ['school,year,group,pupils,count'];
  for (const y of [2023, 2024]) {
    rows.push(`${URN(SCHOOLS.P1)},${y},tas,500,40`, `${URN(SCHOOLS.P2)},${y},tas,500,41`);
    rows.push(`${URN(SCHOOLS.C1)},${y},comparison,500,42`, `${URN(SCHOOLS.C2)},${y},comparison,500,43`);
  }
  rows.push(`${URN(SCHOOLS.X1)},2023,comparison,900,44`, `${URN(SCHOOLS.X1)},2024,comparison,900,3`);
  const imp = await api(as.lead, 'POST', `/api/v1/evaluation/import?authority_id=${A}`,
    { kind: 'suspensions', csv: rows.join('\n') });
  assert.equal(imp.status, 200, imp.text);
  const q = (phase, pre = '2023') => `/api/v1/evaluation?authority_id=${A}&kind=suspensions&phase=${phase}&pre=${pre}&post=2024`;
  const all = (await api(as.evaluator, 'GET', q('all'))).json;
  assert.equal(all.groups.comparison.post.count, 'c');       // 85 + 3: holds the 3
  assert.equal(all.groups.comparison.pre.count, 129);
  assert.equal(all.did_per_100, 'c');
  assert.equal(all.regression, 'c');
  const primary = (await api(as.evaluator, 'GET', q('primary'))).json;
  assert.equal(primary.groups.comparison.post.count, 85);    // no small count in it
  near(primary.did_per_100, 0);
  const secondary = await api(as.evaluator, 'GET', q('secondary'));
  assert.equal(secondary.status, 200);                       // no TAS school: the table is refused
  assert.match(secondary.json.error, /no school/);
  const exact = (await api(as.admin, 'GET', q('all'))).json;
  assert.equal(exact.groups.comparison.post.count, 88);
});

test('the query is checked: kind, phase and periods in order', async () => {
  const r = await api(as.evaluator, 'GET',
    `/api/v1/evaluation?authority_id=${A}&kind=nonsense&phase=tertiary&pre=2024&post=2023`);
  assert.equal(r.status, 422);
  assert.deepEqual(r.json.errors.map((e) => e.field).sort(), ['kind', 'phase', 'post']);
  const page = await as.evaluator.getHtml(`/evaluation?authority_id=${A}&kind=community_paediatrics&pre=x&post=2024`);
  assert.equal(page.status, 400);
  assert.match(decodeHtml(page.html), /href="#f-pre">Enter the academic years before TAS/);
});

test('refused: roles without evaluation data, and steering may read but not enter or export', async () => {
  // The evaluator's home: a card and a navigation link for those who may see it, none for others.
  assert.match((await as.evaluator.getHtml('/')).html, /<a class="govuk-link" href="\/evaluation">Evaluation<\/a><\/h2>\s*<p class="govuk-body">Did it work\?/);
  assert.match((await as.evaluator.getHtml('/')).html, /href="\/evaluation"[^>]*>\s*Evaluation/);
  assert.doesNotMatch((await as.head.getHtml('/')).html, /href="\/evaluation"/);
  for (const who of ['head', 'coordinator', 'practitioner']) {
    assert.equal((await api(as[who], 'GET', `/api/v1/evaluation?${FIG5D}`)).status, 403, who);
    assert.equal((await as[who].getHtml(`/evaluation?authority_id=${A}`)).status, 403, who);
    assert.equal((await api(as[who], 'POST', `/api/v1/evaluation/import?authority_id=${A}`,
      { kind: 'salt', csv: FIG5D_CSV })).status, 403, who);
  }
  assert.equal((await api(as.steering, 'GET', `/api/v1/evaluation?${FIG5D}`)).status, 200);
  assert.equal((await api(as.steering, 'POST', `/api/v1/evaluation/import?authority_id=${A}`,
    { kind: 'salt', csv: FIG5D_CSV })).status, 403);
  assert.equal((await api(as.steering, 'POST', `/api/v1/evaluation/data?authority_id=${A}`,
    { school_id: String(SCHOOLS.P1), year: '2024', pupils: '1' })).status, 403);
  assert.equal((await as.steering.getHtml(`/evaluation.csv?${FIG5D}`)).status, 403);
  assert.equal(countsOf('salt'), 0);
});
