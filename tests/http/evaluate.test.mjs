// tas evaluate did: the panel in tests/core/data/evaluate_panel.csv gives
// the numbers R derived (tests/core/evaluate_reference.R: R 4.2.2, sandwich
// 3.0.2); a file with bad rows is refused as a whole, naming each line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runTas } from './harness.mjs';

const PANEL = 'tests/core/data/evaluate_panel.csv';
const YEARS = ['--pre', '2021,2022', '--post', '2023,2024'];
let dir;

before(async () => { dir = await mkdtemp(path.join(tmpdir(), 'tas-evaluate-')); });
after(async () => { await rm(dir, { recursive: true, force: true }); });

function near(got, want, rel = 1e-9) {
  assert.ok(Math.abs(got - want) <= rel * Math.abs(want), `got ${got}, want ${want}`);
}

test('the reference panel: rates, DiD and the regression as R gives them', async () => {
  const r = await runTas(['evaluate', 'did', '--csv', PANEL, ...YEARS]);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.label, 'association, not proof of cause');
  near(j.groups.tas.pre.rate_per_100, 1.7303532804614274);
  near(j.groups.tas.post.rate_per_100, 1.2435040831477358);
  near(j.groups.comparison.pre.rate_per_100, 1.6412213740458015);
  near(j.groups.comparison.post.rate_per_100, 2.0320303082486655);
  // TAS change minus comparison change
  near(j.did_per_100, (1.2435040831477358 - 1.7303532804614274) - (2.0320303082486655 - 1.6412213740458015));
  near(j.regression.estimate, -0.91713109987051977);
  near(j.regression.se_cluster, 0.14603987953178318);
  near(j.regression.ci95[0], -1.262460540711063);
  near(j.regression.ci95[1], -0.57180165902997659);
  assert.equal(j.regression.df, 7);
  assert.equal(j.schools, 8);
  assert.equal(j.pupils, 21983);
  assert.equal(j.school_years, 30);
  assert.equal(j.rows_left_out, 1);   // the 2020 row
});

test('the Poisson model on the reference panel as R gives it (glm + vcovCL HC0)', async () => {
  const r = await runTas(['evaluate', 'did', '--csv', PANEL, ...YEARS]);
  assert.equal(r.code, 0, r.stderr);
  const p = JSON.parse(r.stdout).poisson;
  near(p.estimate, -0.56350776018234583, 1e-12);
  near(p.se_cluster, 0.066439203246413253, 1e-12);
  near(p.ci95[0], -0.72061151143531665, 1e-12);
  near(p.ci95[1], -0.406404008929375, 1e-12);
  near(p.rate_ratio, 0.56920890952059455, 1e-12);
  near(p.rate_ratio_ci95[0], 0.48645469238032452, 1e-12);
  near(p.rate_ratio_ci95[1], 0.66604102653883479, 1e-12);
  assert.equal(p.df, 7);
  assert.equal(p.schools, 8);
  assert.equal(p.schools_all_zero_left_out, 0);
  assert.equal(p.school_years, 30);
  assert.equal(p.pupils, 21983);
  assert.match(p.se_type, /HC0/);
});

test('with three years before: the event study and its pre-trend test as R gives them', async () => {
  const r = await runTas(['evaluate', 'did', '--csv', PANEL, '--pre', '2021,2022,2023', '--post', '2024']);
  assert.equal(r.code, 0, r.stderr);
  const es = JSON.parse(r.stdout).event_study;
  assert.equal(es.reference_year, 2023);
  assert.deepEqual(es.years.map((y) => [y.year, y.period]), [[2021, 'pre'], [2022, 'pre'], [2024, 'post']]);
  near(es.years[0].estimate, 0.79821286082671894);
  near(es.years[1].se_cluster, 0.29498261732443865);
  near(es.pre_trend_test.F, 6.2267357874275344);
  near(es.pre_trend_test.p_value, 0.027948161135145724);
  // one year before: no trend to check, the rest is still there
  const one = JSON.parse((await runTas(['evaluate', 'did', '--csv', PANEL, '--pre', '2022', '--post', '2023'])).stdout);
  assert.match(one.event_study.error, /2 or more years before/);
  assert.equal(typeof one.regression.estimate, 'number');
});

test('Figure 5d of the Bedford report from counts', async () => {
  const csv = path.join(dir, 'fig5d.csv');
  await writeFile(csv, 'school,year,group,pupils,count\r\n' +
    'a,2023,tas,5000,70\r\nb,2023,tas,5000,73\r\na,2024,tas,5000,60\r\nb,2024,tas,5000,75\r\n' +
    'c,2023,comparison,4000,64\r\nd,2023,comparison,6000,97\r\nc,2024,comparison,4000,80\r\n' +
    'd,2024,comparison,6000,113\r\n');
  const r = await runTas(['evaluate', 'did', '--csv', csv, '--pre', '2023', '--post', '2024']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  near(j.groups.tas.pre.rate_per_100, 1.43);
  near(j.groups.comparison.post.rate_per_100, 1.93);
  near(j.did_per_100, -0.40);
  assert.equal(Math.round(j.did_pct), -25);
  assert.equal(Math.round(j.groups.tas.post.one_in), 74);
  // rolls steady from year to year: the regression's estimate is the table's DiD
  near(j.regression.estimate, -0.40);
  assert.equal(j.regression.schools, 4);
  assert.equal(j.pupils, 40000);
});

test('--cost: the cost per event avoided on Figure 5d, and why there is none when the DiD is not negative', async () => {
  const csv = path.join(dir, 'fig5d-cost.csv');
  const rows = 'a,2023,tas,5000,70\nb,2023,tas,5000,73\na,2024,tas,5000,60\nb,2024,tas,5000,75\n' +
    'c,2023,comparison,4000,64\nd,2023,comparison,6000,97\nc,2024,comparison,4000,80\nd,2024,comparison,6000,113\n';
  await writeFile(csv, 'school,year,group,pupils,count\n' + rows);
  const args = ['evaluate', 'did', '--csv', csv, '--pre', '2023', '--post', '2024'];
  let j = JSON.parse((await runTas([...args, '--cost', '20000'])).stdout);
  near(j.cost_effectiveness.cost, 20000);
  assert.equal(j.cost_effectiveness.pupils_after, 10000);
  near(j.cost_effectiveness.events_avoided, 40);
  near(j.cost_effectiveness.cost_per_event_avoided, 500);
  assert.match(j.cost_effectiveness.assumptions, /not proof of cause/);
  assert.equal(j.cost_effectiveness.not_defined, undefined);
  // without --cost: no cost_effectiveness
  j = JSON.parse((await runTas(args)).stdout);
  assert.equal(j.cost_effectiveness, undefined);
  // the groups swapped: the DiD is +0.40, nothing avoided
  const swapped = path.join(dir, 'fig5d-swapped.csv');
  await writeFile(swapped, 'school,year,group,pupils,count\n' +
    rows.replace(/,tas,/g, ',x,').replace(/,comparison,/g, ',tas,').replace(/,x,/g, ',comparison,'));
  j = JSON.parse((await runTas(['evaluate', 'did', '--csv', swapped, '--pre', '2023', '--post', '2024', '--cost', '20000'])).stdout);
  near(j.did_per_100, 0.40);
  assert.equal(j.cost_effectiveness.cost_per_event_avoided, null);
  assert.match(j.cost_effectiveness.not_defined, /not negative/);
  for (const bad of ['-5', 'lots', '', 'inf', '1e400']) {
    assert.equal((await runTas([...args, '--cost', bad])).code, 2, `--cost ${bad}`);
  }
});

test('bad rows: every one named by its line, nothing computed, exit 1', async () => {
  const csv = path.join(dir, 'bad.csv');
  await writeFile(csv, [
    'school,year,group,pupils,count',
    'S01,2021,tas,420,7',
    'S02,2021,tas,0,3',            // line 3: no pupils
    'S03,2021,control,300,2',      // line 4: unknown group
    '',
    'S04,twenty,comparison,300,2', // line 6: year
    'S05,2021,comparison,300',     // line 7: four fields
    'S06,2021,comparison,300,-1',  // line 8: negative count
  ].join('\n') + '\n');
  const r = await runTas(['evaluate', 'did', '--csv', csv, ...YEARS]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /5 bad rows, nothing computed/);
  for (const [line, why] of [[3, /pupils/], [4, /group/], [6, /year/], [7, /5 fields/], [8, /count/]]) {
    const m = r.stderr.match(new RegExp(`line ${line}: ([^;]*)`));
    assert.ok(m, `line ${line} named: ${r.stderr}`);
    assert.match(m[1], why);
  }
  assert.doesNotMatch(r.stderr, /line 2:|line 5:/);
});

test('a school twice in one year, and a wrong header, are refused by line', async () => {
  const dup = path.join(dir, 'dup.csv');
  await writeFile(dup, 'school,year,group,pupils,count\nA,2021,tas,10,1\nB,2021,comparison,10,1\n' +
    'A,2023,tas,10,1\nB,2023,comparison,10,1\nA,2021,tas,11,1\n');
  let r = await runTas(['evaluate', 'did', '--csv', dup, ...YEARS]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /line 6: a school with two rows for one year/);
  const hdr = path.join(dir, 'hdr.csv');
  await writeFile(hdr, 'school,year,group,count,pupils\nA,2021,tas,10,1\n');
  r = await runTas(['evaluate', 'did', '--csv', hdr, ...YEARS]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /line 1: the header must be school,year,group,pupils,count/);
});

test('usage: --help exits 0; missing or overlapping years exit 2', async () => {
  const h = await runTas(['evaluate', '--help']);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /^Usage: tas evaluate did/);
  assert.equal((await runTas(['evaluate', 'did', '--csv', PANEL, '--pre', '2021'])).code, 2);
  assert.equal((await runTas(['evaluate', 'did', '--csv', PANEL, '--pre', '2023', '--post', '2023,2024'])).code, 2);
  assert.equal((await runTas(['evaluate', 'did', '--csv', PANEL, '--pre', '2024', '--post', '2023'])).code, 2);
  assert.equal((await runTas(['evaluate', 'frob', '--csv', PANEL, ...YEARS])).code, 2);
  const missing = await runTas(['evaluate', 'did', '--csv', path.join(dir, 'none.csv'), ...YEARS]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^tas: cannot open/);
});

// tas evaluate match: tests/core/data/matching_schools.csv gives the pairs
// and standardised mean differences R computes from the definitions
// (tests/core/evaluate_reference.R).
const SCHOOLS = 'tests/core/data/matching_schools.csv';

function smds(j, when) {
  return Object.fromEntries(j.balance.map((b) => [b.covariate, b[when].smd]));
}

test('match: pairs and balance before and after as R computes them', async () => {
  let r = await runTas(['evaluate', 'match', '--csv', SCHOOLS]);
  assert.equal(r.code, 0, r.stderr);
  let j = JSON.parse(r.stdout);
  assert.deepEqual(j.pairs.map((p) => `${p.tas}-${p.comparison}`), ['P01-C01', 'P02-C02', 'P03-C04', 'S01-C07', 'S02-C09']);
  near(j.pairs[2].distance, 0.72967946559007146, 1e-12);
  const before = smds(j, 'before');
  near(before.pupils, -0.20427452859184533, 1e-12);
  near(before.fsm_pct, 0.91547479933963349, 1e-12);
  near(before.sen_pct, 0.83411075841164284, 1e-12);
  near(before.prior_rate, 0.78818925317933075, 1e-12);
  near(j.balance[1].sd_pooled, 8.8697143884870009, 1e-12);
  let after = smds(j, 'after');
  near(after.pupils, 0.02334566041049661, 1e-12);
  near(after.fsm_pct, 0.024803504415605714, 1e-12);
  near(after.sen_pct, -0.044401333147388027, 1e-12);
  near(after.prior_rate, -0.015454691238810082, 1e-12);
  assert.deepEqual(j.unmatched_tas, []);
  assert.equal(j.comparison_used, 5);

  r = await runTas(['evaluate', 'match', '--csv', SCHOOLS, '--k', '2', '--replace']);
  j = JSON.parse(r.stdout);
  assert.equal(j.pairs.length, 10);
  assert.deepEqual(j.pairs.filter((p) => p.tas === 'P01').map((p) => [p.comparison, p.rank]), [['C01', 1], ['C05', 2]]);
  after = smds(j, 'after');
  near(after.sen_pct, 0.26957952268056951, 1e-12);
  near(after.prior_rate, 0.15145597414034184, 1e-12);
});

test('match: a caliper of 0.5 SD leaves out the schools too far from any comparison school', async () => {
  const r = await runTas(['evaluate', 'match', '--csv', SCHOOLS, '--caliper', '0.5']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(j.unmatched_tas, ['P03', 'S02']);
  assert.equal(j.tas_matched, 3);
  assert.equal(j.options.caliper_sd, 0.5);
  near(smds(j, 'after').fsm_pct, 0.22548640377823492, 1e-12);
});

test('match: ties in file order, or ordered by a seed, the same every time', async () => {
  // A and B are both 1 % FSM point from C: a tie only the order settles.
  const csv = path.join(dir, 'ties.csv');
  await writeFile(csv, 'school,group,phase,pupils,fsm_pct,sen_pct,prior_rate\n' +
    'A,tas,primary,200,20,10,1\nB,tas,primary,200,22,10,1\nC,comparison,primary,200,21,10,1\n' +
    'D,comparison,primary,200,28,10,1\nE,comparison,primary,200,40,10,1\n');
  const pairs = async (...extra) => {
    const r = await runTas(['evaluate', 'match', '--csv', csv, ...extra]);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout).pairs.map((p) => `${p.tas}-${p.comparison}`).join(' ');
  };
  assert.equal(await pairs(), 'A-C B-D');
  const seen = new Set();
  for (const seed of ['1', '2', '3', '4', '5', '6']) {
    const first = await pairs('--seed', seed);
    assert.equal(await pairs('--seed', seed), first, `seed ${seed} twice`);
    seen.add(first);
  }
  assert.deepEqual([...seen].sort(), ['A-C B-D', 'A-D B-C']);
});

test('match: bad rows named by line, nothing matched; bad options exit 2', async () => {
  const csv = path.join(dir, 'bad-schools.csv');
  await writeFile(csv, [
    'school,group,phase,pupils,fsm_pct,sen_pct,prior_rate',
    'A,tas,primary,200,20,10,1',
    'B,pilot,primary,200,22,10,1',       // line 3: group
    'C,comparison,primary,200,121,10,1', // line 4: fsm_pct over 100
    'A,comparison,primary,200,21,10,1',  // line 5: A again
    'D,comparison,primary,200,28,10',    // line 6: six fields
    'E,comparison,,200,28,10,1',         // line 7: no phase
  ].join('\n') + '\n');
  const r = await runTas(['evaluate', 'match', '--csv', csv]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /5 bad rows, nothing computed/);
  for (const [line, why] of [[3, /group/], [4, /fsm_pct/], [5, /twice/], [6, /7 fields/], [7, /phase/]]) {
    const m = r.stderr.match(new RegExp(`line ${line}: ([^;]*)`));
    assert.ok(m, `line ${line} named: ${r.stderr}`);
    assert.match(m[1], why);
  }
  const none = path.join(dir, 'no-comparison.csv');
  await writeFile(none, 'school,group,phase,pupils,fsm_pct,sen_pct,prior_rate\nA,tas,primary,200,20,10,1\n');
  const n = await runTas(['evaluate', 'match', '--csv', none]);
  assert.equal(n.code, 1);
  assert.match(n.stderr, /no comparison school/);
  for (const bad of [['--k', '0'], ['--caliper', '0'], ['--caliper', 'wide'], ['--seed', '-1'], ['--pre', '2021']]) {
    assert.equal((await runTas(['evaluate', 'match', '--csv', SCHOOLS, ...bad])).code, 2, bad.join(' '));
  }
  assert.equal((await runTas(['evaluate', 'did', '--csv', PANEL, ...YEARS, '--k', '2'])).code, 2);
});
