// The evaluation pages in a browser (issue 14): enter a school-year, check
// and import a CSV file, then compare TAS and comparison schools and read
// the event study's chart beside its table, with axe-core on every page and
// no CSP or console errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, checkA11y, startServer, signInPage, collectPageErrors, dbScript } from './harness.mjs';
import { A, SCHOOLS, URN, evaluationFixture } from '../http/evaluation_fixture.mjs';

let srv, browser;

before(async () => {
  srv = await startServer({ seed: 4 });
  dbScript(srv.db, evaluationFixture());
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function expectClean(page, where) {
  const v = await checkA11y(page);
  assert.deepEqual(v, [], `accessibility problems on ${where}:\n${v.join('\n')}`);
}

test('enter, check and import evaluation data, then compare with the event study', async () => {
  const page = await browser.newPage();
  const errors = collectPageErrors(page);
  await signInPage(page, srv.base, 'evaluator');
  await page.goto(`${srv.base}/evaluation?authority_id=${A}`);
  await expectClean(page, 'evaluation (no query)');

  await page.getByRole('link', { name: 'Enter or import the evaluation data' }).click();
  await page.waitForLoadState('load');
  await expectClean(page, 'evaluation data');
  await page.getByLabel('School').selectOption(String(SCHOOLS.X1));
  await page.getByLabel('Academic year').fill('2024');
  await page.getByLabel('Pupils on roll').fill('none');
  await page.getByRole('button', { name: 'Save figures' }).click();
  await page.waitForLoadState('load');
  await expectClean(page, 'evaluation data with an error');
  assert.match(await page.locator('.govuk-error-summary').textContent(), /Enter the pupils on roll/);
  await page.getByLabel('Pupils on roll').fill('900');
  await page.getByRole('button', { name: 'Save figures' }).click();
  await page.waitForLoadState('load');
  assert.match(await page.locator('.govuk-notification-banner').textContent(), /Figures saved/);

  await page.goto(`${srv.base}/evaluation/import?authority_id=${A}`);
  await expectClean(page, 'import');
  const rows = ['school,year,group,pupils,count'];
  for (const [y, t, c] of [[2021, 50, 50], [2022, 50, 50], [2023, 30, 50]]) {
    rows.push(`${URN(SCHOOLS.P1)},${y},tas,5000,${t}`, `${URN(SCHOOLS.P2)},${y},tas,5000,${t + 2}`);
    rows.push(`${URN(SCHOOLS.C1)},${y},comparison,5000,${c}`, `${URN(SCHOOLS.C2)},${y},comparison,5000,${c + 4}`);
  }
  await page.getByLabel('Kind of count', { exact: true }).selectOption('early_help');
  await page.getByLabel('CSV file').fill(`${rows.join('\n')}\n${URN(SCHOOLS.C1)},2023,tas,5000,1\n`);
  await page.getByRole('button', { name: 'Check the file' }).click();
  await page.waitForLoadState('load');
  await expectClean(page, 'import with a bad row');
  assert.match(await page.locator('#bad-rows').textContent(), /14\s+the school is in no TAS team/);
  await page.getByLabel('CSV file').fill(rows.join('\n'));
  await page.getByRole('button', { name: 'Check the file' }).click();
  await page.waitForLoadState('load');
  assert.match(await page.locator('#import-checked').textContent(), /12 rows/);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.waitForLoadState('load');
  assert.equal(new URL(page.url()).pathname, '/evaluation/data');
  assert.match(await page.locator('.govuk-notification-banner').textContent(), /File imported/);

  await page.goto(`${srv.base}/evaluation?authority_id=${A}`);
  await page.getByLabel('Kind of count', { exact: true }).selectOption('early_help');
  await page.getByLabel('Academic years before TAS').fill('2021,2022');
  await page.getByLabel('Academic years after TAS began').fill('2023');
  await page.getByRole('button', { name: 'Compare' }).click();
  await page.waitForLoadState('load');
  assert.equal((await page.locator('#did-per-100').textContent()).trim(), '-0.40');
  assert.equal(await page.getByRole('img', { name: /Event study/ }).count(), 1);
  assert.equal(await page.locator('#event-study tbody tr').count(), 3);
  await expectClean(page, 'evaluation with the event study');

  // The same over the matched comparison schools only, by the form's radios.
  assert.equal(await page.getByLabel('All', { exact: true }).isChecked(), true);
  await page.getByLabel('Matched only').check();
  await page.getByRole('button', { name: 'Compare' }).click();
  await page.waitForLoadState('load');
  assert.match(page.url(), /comparison=matched/);
  assert.equal(await page.getByLabel('Matched only').isChecked(), true);
  assert.match((await page.locator('#comparison-schools').textContent()).replace(/\s+/g, ' '),
    /Comparison schools: matched only, \d+ of the phase's \d+ comparison schools/);
  await expectClean(page, 'evaluation over the matched comparison');

  // The matching's options: two matches each, with replacement, a caliper.
  await page.getByLabel('Number of matches for each TAS school').fill('2');
  await page.getByLabel('Caliper in pooled standard deviations (optional)').fill('1');
  await page.getByLabel('With replacement').check();
  await page.getByRole('button', { name: 'Compare' }).click();
  await page.waitForLoadState('load');
  const url = new URL(page.url());
  assert.deepEqual([url.searchParams.get('k'), url.searchParams.get('caliper'), url.searchParams.get('replace')],
    ['2', '1', 'yes']);
  assert.equal(await page.getByLabel('Number of matches for each TAS school').inputValue(), '2');
  assert.equal(await page.getByLabel('With replacement').isChecked(), true);
  assert.match((await page.locator('#tas-matched').textContent()).replace(/\s+/g, ' '),
    /^\d of 2 TAS schools matched\./);
  assert.match((await page.locator('#matching-method').textContent()).replace(/\s+/g, ' '),
    /2 nearest comparison schools of the same phase, with replacement, within 1 pooled SDs/);
  // No meeting is planned in Evalshire: no programme cost, and why.
  assert.match((await page.locator('#programme-cost').textContent()).replace(/\s+/g, ' '),
    /No programme cost: none was typed, and the cost model gives none\./);
  assert.match((await page.locator('#cost-model').textContent()).replace(/\s+/g, ' '),
    /The cost model gives no figure: no TAS meeting of this phase is scheduled in the years after\./);
  await expectClean(page, 'evaluation with matching options');

  // A caliper that is not one of the steps: the error summary links to the field.
  await page.getByLabel('Number of matches for each TAS school').fill('9');
  await page.getByLabel('Caliper in pooled standard deviations (optional)').fill('0.3');
  await page.getByRole('button', { name: 'Compare' }).click();
  await page.waitForLoadState('load');
  const summary = (await page.locator('.govuk-error-summary').textContent()).replace(/\s+/g, ' ');
  assert.match(summary, /Enter the number of matches for each TAS school as a whole number from 1 to 5/);
  assert.match(summary, /Enter a caliper of 0\.1, 0\.2, 0\.25, 0\.5 or 1/);
  await expectClean(page, 'evaluation with errors in the matching options');
  await page.getByRole('link', { name: /Enter the number of matches/ }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-k');
  assert.deepEqual(errors, []);
  await page.close();
});
