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
