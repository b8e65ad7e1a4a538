// Screening toolkits on the web: starting one from the pupil and the case,
// drafts, completing (every item required, errors linked to the items,
// answers kept), score, band and change, read-only once completed, the
// pupil's list and chart, the threshold flag on the coordinator's work list
// and "Considered", the referral form's warning, and who may not see them.
// The demo database has the built-in toolkits loaded by `tas toolkit load`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  startServer, runTas, Client, TODAY, addDays, nowSeconds, decodeHtml, apiClient, apiCall as api,
} from './harness.mjs';
import { dbSql } from './harness.mjs';

let dir, srv, coord, head, headJson, coordHtml, prac;
let pupil, pupil2, otherPupil, team, caseId;
const PAST = addDays(TODAY, -30);

// The early concerns checklist's 24 items (6 in each of 4 sections).
const EC = ['ci', 'cl', 'semh', 'sp'].flatMap((s) => [1, 2, 3, 4, 5, 6].map((n) => `${s}${n}`));

function sql(q) {
  return dbSql(srv.db, q);
}


async function htmlClient(user) {
  const c = new Client(srv.base);
  assert.equal((await c.signIn(user)).status, 303);
  return c;
}

/** Starts a toolkit for a pupil through the API; resolves the completion id. */
async function startApi(c, p, toolkit = 'early-concerns', extra = {}) {
  const res = await api(c, 'POST', `/api/v1/pupils/${p}/toolkits`, { toolkit, ...extra });
  const text = await res.text();
  assert.equal(res.status, 201, text);
  return JSON.parse(text).completion.id;
}

/** "ci1=v,..." with every early-concerns item at value v (first n items at hi). */
function ecAnswers(v, n = 0, hi = 2) {
  return EC.map((id, i) => `${id}=${i < n ? hi : v}`).join(',');
}

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tas-tk-'));
  const db = path.join(dir, 'tas.db');
  const demo = await runTas(['demo', '--db', db, '--seed', '5', '--without-year']);
  assert.equal(demo.code, 0, demo.stderr);
  const load = await runTas(['toolkit', 'load', '--db', db, '--builtin']);
  assert.equal(load.code, 0, load.stderr);
  srv = await startServer({ db });
  [pupil, pupil2] = sql('SELECT id FROM pupils WHERE school_id = 1 ORDER BY id LIMIT 2').split('\n').map(Number);
  otherPupil = Number(sql('SELECT id FROM pupils WHERE school_id = 2 ORDER BY id LIMIT 1'));
  const now = nowSeconds();
  team = Number(sql(`INSERT INTO teams (authority_id, host_school_id, name, cadence, created_at, updated_at)
    SELECT authority_id, id, name || ' TAS', 'three_weekly', ${now}, ${now} FROM schools WHERE id = 1 RETURNING id;`));
  sql(`INSERT INTO team_schools VALUES (${team}, 1);`);
  coord = await apiClient(srv.base, 'coordinator');
  headJson = await apiClient(srv.base, 'head');
  head = await htmlClient('head');
  coordHtml = await htmlClient('coordinator');
  prac = await htmlClient('practitioner');
  // Consent covers sharing with community paediatrics: the referral below goes there.
  const paediatrics = sql("SELECT id FROM services WHERE code = 'paediatrics' AND authority_id = 1");
  const consent = await api(coord, 'POST', `/api/v1/pupils/${pupil}/consents`,
    { given_by: 'Jo Example', relationship: 'mother', given_on: PAST, covers_discussion: 'yes',
      service_ids: [paediatrics] });
  assert.equal(consent.status, 201, await consent.text());
  const c = await api(coord, 'POST', `/api/v1/pupils/${pupil}/cases`, { team_id: team, need_semh: 'Withdrawn' });
  const text = await c.text();
  assert.equal(c.status, 201, text);
  caseId = JSON.parse(text).case.id;
});

after(async () => {
  await srv?.stop({ expectExitZero: true });
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('start from the pupil page and the case page: choose a toolkit, a draft of the newest version', async () => {
  let page = await head.getHtml(`/pupils/${pupil}`);
  assert.equal(page.status, 200);
  assert.match(page.html, new RegExp(`href="/pupils/${pupil}/toolkits/new"`));
  assert.match(page.html, /No toolkit has been completed for this pupil/);
  page = await head.getHtml(`/cases/${caseId}`);
  assert.match(page.html, new RegExp(`href="/pupils/${pupil}/toolkits/new\\?case=${caseId}"`));

  page = await head.getHtml(`/pupils/${pupil}/toolkits/new?case=${caseId}`);
  assert.equal(page.status, 200);
  assert.match(page.html, /Early concerns checklist/);
  assert.match(page.html, /Behaviour and vulnerability profile/);
  assert.match(page.html, new RegExp(`name="case_id" value="${caseId}"`));

  // Nothing chosen: an error linked to the radios, nothing started.
  let res = await head.submitForm(`/pupils/${pupil}/toolkits/new?case=${caseId}`, { case_id: caseId },
    { action: `/pupils/${pupil}/toolkits` });
  assert.equal(res.status, 400);
  const html = await res.text();
  assert.match(html, /href="#f-toolkit">Select a toolkit/);
  assert.equal(sql(`SELECT count(*) FROM toolkit_completions WHERE pupil_id = ${pupil}`), '0');

  res = await head.submitForm(`/pupils/${pupil}/toolkits/new?case=${caseId}`,
    { toolkit: 'early-concerns', case_id: caseId }, { action: `/pupils/${pupil}/toolkits` });
  assert.equal(res.status, 303, await res.text());
  const id = Number(/\/toolkit-completions\/(\d+)/.exec(res.headers.get('location'))[1]);
  assert.equal(sql(`SELECT status || ' ' || case_id || ' ' || version FROM toolkit_completions WHERE id = ${id}`),
    `draft ${caseId} 1`);
  page = await head.getHtml(`/toolkit-completions/${id}`);
  assert.equal(page.status, 200);
  // Each item a fieldset of radios with the scale's answers, grouped by section.
  assert.equal((page.html.match(/<fieldset class="govuk-fieldset"/g) || []).length, 24);
  assert.match(page.html, /<h2 class="govuk-heading-m">Communication and interaction<\/h2>/);
  assert.match(page.html, /name="item_ci1" type="radio" value="2"/);
  assert.match(page.html, /Noticed most days/);
  assert.match(page.html, />Save draft</);
  assert.match(page.html, />Complete</);
});

test('draft saved, complete with items missing refused with linked errors and answers kept', async () => {
  const id = await startApi(coord, pupil2);
  const form = `/toolkit-completions/${id}`;
  let res = await head.submitForm(form, { item_ci1: '2', item_cl3: '1', action: 'draft' });
  assert.equal(res.status, 303, await res.text());
  assert.equal(sql(`SELECT answers || ' ' || status FROM toolkit_completions WHERE id = ${id}`), 'ci1=2,cl3=1 draft');
  let page = await head.getHtml(form);
  assert.match(page.html, /id="f-item_ci1-2" name="item_ci1" type="radio" value="2" checked/);

  res = await head.submitForm(form, { item_ci1: '2', item_ci2: '1', action: 'complete' });
  assert.equal(res.status, 400);
  const html = decodeHtml(await res.text());
  assert.match(html, /govuk-error-summary/);
  assert.match(html, /href="#f-item_ci3">Answer every item to complete the toolkit \(2 of 24 answered\)/);
  assert.match(html, /href="#f-item_ci3">Select an answer for "Struggles to join in/);
  assert.match(html, /href="#f-item_cl1">Select an answer for/);
  assert.doesNotMatch(html, /href="#f-item_ci1"/, 'an answered item has no error');
  assert.match(html, /id="f-item_ci2-1" name="item_ci2" type="radio" value="1" checked/, 'answers kept');
  assert.match(html, /id="f-item_ci3-error"/);
  assert.equal(sql(`SELECT status FROM toolkit_completions WHERE id = ${id}`), 'draft');

  // The API says the same with per-item fields.
  const js = await api(coord, 'PUT', `/api/v1/toolkit-completions/${id}`, { answers: 'ci1=1', complete: true });
  assert.equal(js.status, 422);
  const fields = (await js.json()).errors.map((e) => e.field);
  assert.ok(fields.includes('answers'));
  assert.ok(fields.includes('item_sp6') || fields.length === 24, fields.join());
  assert.ok(fields.includes('item_ci2'));
  assert.ok(!fields.includes('item_ci1'));
});

let firstId;
test('complete: score, band, change since the last one, version; completed is read only', async () => {
  // First: 6 items at 2, the rest 0 -> 12, "emerging concerns"; nothing before.
  firstId = await startApi(coord, pupil2, 'early-concerns');
  let res = await api(coord, 'PUT', `/api/v1/toolkit-completions/${firstId}`,
    { answers: ecAnswers(0, 6), complete: true, completed_on: addDays(TODAY, -40) });
  let body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  assert.equal(body.completion.status, 'complete');
  assert.equal(body.result.score, 12);
  assert.equal(body.result.band, 'emerging');
  assert.equal(body.result.previous, null);
  assert.equal(body.result.sections[0].score, 12);

  // Through the page: every item answered, 2 items at 2 -> 4, "few concerns", down 8.
  const id = await startApi(coord, pupil2, 'early-concerns');
  const fields = Object.fromEntries(EC.map((k, i) => [`item_${k}`, i < 2 ? '2' : '0']));
  res = await head.submitForm(`/toolkit-completions/${id}`, { ...fields, action: 'complete' });
  assert.equal(res.status, 303, await res.text());
  assert.equal(res.headers.get('location'), `/toolkit-completions/${id}?saved=complete`);
  const page = decodeHtml((await head.getHtml(res.headers.get('location'))).html);
  assert.match(page, /Toolkit completed/);
  assert.match(page, /id="score">4</);
  assert.match(page, /id="band">Few concerns/);
  assert.match(page, /id="change">Down 8 from 12 at the last completion</);
  assert.match(page, /Version answered<\/dt><dd class="govuk-summary-list__value">1</);
  assert.doesNotMatch(page, /type="radio"/, 'read only: no form');
  assert.doesNotMatch(page, />Save draft</);
  assert.match(page, /Noticed most days/, 'answers shown');
  const tk = sql(`SELECT score || ' ' || band || ' ' || completed_on FROM toolkit_completions WHERE id = ${id}`);
  assert.equal(tk, `4 few ${TODAY}`);

  // A completed one cannot be changed, by page or API.
  res = await head.postForm(`/toolkit-completions/${id}`,
    { ...fields, action: 'complete', csrf: head.csrfFrom((await head.getHtml(`/pupils/${pupil2}`)).html) });
  assert.equal(res.status, 409);
  res = await api(coord, 'PUT', `/api/v1/toolkit-completions/${id}`, { answers: ecAnswers(1), complete: true });
  assert.equal(res.status, 409);
  assert.equal(sql(`SELECT score FROM toolkit_completions WHERE id = ${id}`), '4');

  // Seeing a completion is on the audit trail against the pupil.
  // (the form was read once before it was sent, the result once after)
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE action = 'view' AND resource_kind = 'toolkit_completion'
    AND resource_id = ${id} AND pupil_id = ${pupil2}`), '2');
  // The API read answers the same result.
  body = await (await api(coord, 'GET', `/api/v1/toolkit-completions/${id}`)).json();
  assert.equal(body.result.score, 4);
  assert.deepEqual(body.result.previous, { score: 12, version: 1, change: -8 });
  // With the version answered, so a program can show the questions.
  assert.equal(body.definition.version, 1);
  assert.deepEqual(body.definition.sections.map((x) => x.items.length), [6, 6, 6, 6]);
  assert.deepEqual(body.definition.sections[0].items[0].answers.map((a) => a.value), [0, 1, 2]);
  assert.deepEqual(body.definition.bands.map((b) => [b.min, b.flag]), [[0, false], [8, false], [16, true]]);
});

test('the pupil page lists completions and charts scores with the thresholds', async () => {
  const html = decodeHtml((await head.getHtml(`/pupils/${pupil2}`)).html);
  assert.match(html, /Screening toolkits/);
  const rows = [...html.matchAll(/<tr class="govuk-table__row">\s*<td class="govuk-table__cell">([^<]*)<\/td>\s*<td class="govuk-table__cell"><a class="govuk-link" href="\/toolkit-completions\/\d+">Early concerns checklist<\/a><\/td>\s*<td[^>]*>1<\/td>\s*<td[^>]*>(\d+)<\/td>\s*<td[^>]*>([^<]*)</g)];
  assert.deepEqual(rows.map((r) => [r[2], r[3]]), [['4', 'Few concerns noted: keep observing'], ['12', 'Emerging concerns: plan and review support in school']],
    'newest first, version, score and band');
  // One chart: an SVG with its title, two points, and the two thresholds (8, and 16 which flags).
  assert.equal((html.match(/<svg xmlns="http:\/\/www.w3.org\/2000\/svg" role="img"/g) || []).length, 1);
  assert.match(html, /<title id="tk-early-concerns-title">Early concerns checklist: scores over time<\/title>/);
  const svg = /<svg[^]*?<\/svg>/.exec(html.slice(html.indexOf('<figure class="tas-chart">')))[0];
  assert.equal((svg.match(/<circle /g) || []).length, 2);
  assert.equal((svg.match(/stroke-dasharray/g) || []).length, 2);
  assert.match(svg, /stroke="#d4351c"[^>]*\/>\s*<text[^>]*>Concerns in several areas \(16\)/);
  // The table alternative has each score with its date.
  assert.match(html, /<caption[^>]*>Early concerns checklist: scores over time \(threshold 16\)<\/caption>/);
  assert.ok(html.includes('>4</td><td class="govuk-table__cell">Few concerns noted'));
  // API list, oldest first.
  const body = await (await api(coord, 'GET', `/api/v1/pupils/${pupil2}/toolkits`)).json();
  assert.deepEqual(body.completions.filter((c) => c.status === 'complete').map((c) => c.score), [12, 4]);
});

test('crossing the threshold puts the pupil on the work list; Considered clears it', async () => {
  let work = decodeHtml((await coordHtml.getHtml('/work')).html);
  assert.match(work, /To consider for the next TAS meeting \(0\)/);
  // 24 items at 1 = 24 >= 16: crossed (the last was 4).
  const id = await startApi(coord, pupil2);
  const res = await api(coord, 'PUT', `/api/v1/toolkit-completions/${id}`, { answers: ecAnswers(1), complete: true });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.result.band, 'significant');
  assert.equal(body.result.over_threshold, true);
  const flag = Number(sql(`SELECT id FROM worklist_flags WHERE completion_id = ${id} AND cleared_on IS NULL`));
  assert.ok(flag > 0);
  // Staying over it does not flag again.
  const again = await startApi(coord, pupil2);
  await api(coord, 'PUT', `/api/v1/toolkit-completions/${again}`, { answers: ecAnswers(1, 2), complete: true });
  assert.equal(sql(`SELECT count(*) FROM worklist_flags WHERE pupil_id = ${pupil2}`), '1');

  work = decodeHtml((await coordHtml.getHtml('/work')).html);
  assert.match(work, /To consider for the next TAS meeting \(1\)/);
  assert.match(work, new RegExp(`href="/pupils/${pupil2}#toolkits"`));
  assert.match(work, new RegExp(`action="/work/flags/${flag}/considered"`));
  const js = await (await api(coord, 'GET', '/api/v1/work')).json();
  assert.deepEqual(js.toolkit_flags.items.map((f) => [f.id, f.pupil_id, f.score]), [[flag, pupil2, 24]]);

  // Without a CSRF token nothing happens.
  let r = await coordHtml.postForm(`/work/flags/${flag}/considered`, {});
  assert.equal(r.status, 403);
  r = await coordHtml.submitForm('/work', {}, { action: `/work/flags/${flag}/considered` });
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), /\/work\?saved=considered/);
  assert.equal(sql(`SELECT cleared_on FROM worklist_flags WHERE id = ${flag}`), TODAY);
  work = decodeHtml((await coordHtml.getHtml('/work?saved=considered')).html);
  assert.match(work, /To consider for the next TAS meeting \(0\)/);
  assert.match(work, /Taken off the list to consider/);
  r = await api(coord, 'POST', `/api/v1/work/flags/${flag}/considered`);
  assert.equal(r.status, 409, 'already cleared');
});

test('referral form: warns when no early concerns checklist is on file, not when one is', async () => {
  // pupil (with the case) has only a draft so far.
  let page = decodeHtml((await head.getHtml(`/cases/${caseId}/referrals/new`)).html);
  assert.equal(page.includes('govuk-warning-text'), true, 'warning shown');
  assert.match(page, /No early concerns checklist has been completed for this pupil/);
  assert.match(page, /Community Paediatrics/);
  // It warns, it does not block: the referral is recorded.
  const svcId = Number(sql("SELECT id FROM services WHERE code = 'paediatrics' AND authority_id = 1"));
  const r = await api(coord, 'POST', `/api/v1/cases/${caseId}/referrals`,
    { service_id: svcId, referred_on: addDays(TODAY, -1) });
  assert.equal(r.status, 201, await r.text());

  const id = await startApi(coord, pupil, 'early-concerns', { case_id: caseId });
  const done = await api(coord, 'PUT', `/api/v1/toolkit-completions/${id}`, { answers: ecAnswers(0), complete: true });
  assert.equal(done.status, 200);
  page = decodeHtml((await head.getHtml(`/cases/${caseId}/referrals/new`)).html);
  assert.doesNotMatch(page, /govuk-warning-text/);
  assert.doesNotMatch(page, /No early concerns checklist/);
});

test('another school, a practitioner and an evaluator get not found; no start without access', async () => {
  const id = await startApi(coord, otherPupil);
  const otherUrl = `/toolkit-completions/${id}`;
  assert.equal((await head.getHtml(otherUrl)).status, 404);
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE action = 'view' AND resource_kind = 'toolkit_completion'
    AND resource_id = ${id} AND pupil_id = ${otherPupil} AND flags <> 0`), '1', 'the refusal is recorded');
  assert.equal((await api(headJson, 'GET', `/api/v1${otherUrl}`)).status, 404);
  assert.equal((await api(headJson, 'GET', `/api/v1/pupils/${otherPupil}/toolkits`)).status, 404);
  assert.equal((await api(headJson, 'PUT', `/api/v1${otherUrl}`, { answers: 'ci1=1' })).status, 404);
  assert.equal((await api(headJson, 'POST', `/api/v1/pupils/${otherPupil}/toolkits`,
    { toolkit: 'early-concerns' })).status, 404);
  assert.equal((await head.getHtml(`/pupils/${otherPupil}/toolkits/new`)).status, 404);
  // A case must be the pupil's own.
  for (const bad of [caseId, 'abc']) {
    const r = await api(headJson, 'POST', `/api/v1/pupils/${pupil2}/toolkits`, { toolkit: 'early-concerns', case_id: bad });
    assert.equal(r.status, 404, `case ${bad}`);
  }
  // Practitioners do not reach toolkit completions at all.
  const mine = Number(sql(`SELECT max(id) FROM toolkit_completions WHERE pupil_id = ${pupil2}`));
  assert.equal((await prac.getHtml(`/toolkit-completions/${mine}`)).status, 404);
  const evaluator = await htmlClient('evaluator');
  assert.equal((await evaluator.getHtml(`/toolkit-completions/${mine}`)).status, 404);
  // The coordinator's flags are not a practitioner's to clear.
  const flag = Number(sql('SELECT max(id) FROM worklist_flags'));
  const r = await prac.postForm(`/work/flags/${flag}/considered`,
    { csrf: prac.csrfFrom((await prac.getHtml('/')).html) });
  assert.equal(r.status, 404);
  // Nothing of it shows on the head's view of another school's pupil.
  assert.equal((await head.getHtml(`/pupils/${otherPupil}`)).status, 404);
});
