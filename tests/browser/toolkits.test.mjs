// Screening toolkits in a browser: start one from the pupil page, try to
// complete it unanswered (error summary linked to the items), answer and
// complete it, read the result, the pupil's toolkit section with its chart
// and table, and the coordinator's work list with "Considered"; axe-core on
// every page and no CSP or console errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchBrowser, checkA11y, startServer, signInPage, collectPageErrors } from './harness.mjs';
import { runTas } from '../http/harness.mjs';

let dir, srv, browser, pupil;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tas-tkb-'));
  const db = path.join(dir, 'tas.db');
  assert.equal((await runTas(['demo', '--db', db, '--seed', '6', '--without-year'])).code, 0);
  assert.equal((await runTas(['toolkit', 'load', '--db', db, '--builtin'])).code, 0);
  srv = await startServer({ db });
  pupil = Number(execFileSync('sqlite3', ['-cmd', '.timeout 10000', '-batch', db, 'SELECT min(id) FROM pupils WHERE school_id = 1'],
    { encoding: 'utf8' }).trim());
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function expectClean(page, where) {
  const v = await checkA11y(page);
  assert.deepEqual(v, [], `accessibility problems on ${where}:\n${v.join('\n')}`);
}

test('complete a toolkit, see the chart, consider the flag', async () => {
  const page = await browser.newPage();
  const errors = collectPageErrors(page);
  await signInPage(page, srv.base, 'coordinator');
  await page.goto(`${srv.base}/pupils/${pupil}`);
  await page.getByRole('button', { name: 'Complete a toolkit' }).click();
  await page.waitForLoadState('load');
  await expectClean(page, 'choose a toolkit');
  await page.getByLabel('Early concerns checklist').check();
  await page.getByRole('button', { name: 'Start the toolkit' }).click();
  await page.waitForLoadState('load');
  assert.match(new URL(page.url()).pathname, /^\/toolkit-completions\/\d+$/);
  await expectClean(page, 'the toolkit form');

  // Two answers, then Complete: refused, the summary links to the items.
  const first = page.getByRole('group', { name: 'Finds it hard to follow spoken instructions given to the whole class' });
  await first.getByLabel('Noticed most days').check();
  await page.getByRole('group', { name: 'Seems worried, low or withdrawn' }).getByLabel('Noticed sometimes').check();
  await page.getByRole('button', { name: 'Complete' }).click();
  await page.waitForLoadState('load');
  const summary = page.locator('.govuk-error-summary');
  assert.match(await summary.textContent(), /Answer every item to complete the toolkit \(2 of 24 answered\)/);
  await expectClean(page, 'the toolkit form with errors');
  assert.equal(await first.getByLabel('Noticed most days').isChecked(), true, 'answers kept');
  await summary.getByRole('link', { name: /Is hard for adults or other children to understand/ }).click();
  // GOV.UK Frontend's error summary moves focus to the field (the address stays as it was).
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-item_ci2');

  // Everything else "Noticed sometimes": 2 + 23 = 25, over the threshold of 16.
  const groups = page.locator('fieldset.govuk-fieldset');
  for (let i = 0; i < await groups.count(); i++) {
    const g = groups.nth(i);
    if (await g.locator('input:checked').count() === 0) await g.getByLabel('Noticed sometimes').check();
  }
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.waitForLoadState('load');
  assert.match(await page.locator('.govuk-notification-banner').textContent(), /Draft saved/);
  await page.getByRole('button', { name: 'Complete' }).click();
  await page.waitForLoadState('load');
  assert.equal(await page.locator('#score').textContent(), '25');
  assert.match(await page.locator('#band').textContent(), /Concerns in several areas/);
  assert.match(await page.locator('#change').textContent(), /first completion/);
  assert.equal(await page.locator('input[type="radio"]').count(), 0, 'read only');
  await expectClean(page, 'the completed toolkit');

  await page.getByRole('link', { name: 'Back to the pupil' }).click();
  await page.waitForLoadState('load');
  const chart = page.getByRole('img', { name: /Early concerns checklist: scores over time/ });
  assert.equal(await chart.count(), 1);
  const table = page.getByRole('table', { name: /Early concerns checklist: scores over time/ });
  assert.match(await table.locator('tbody').textContent(), /25\s*Concerns in several areas/);
  await expectClean(page, 'the pupil page with toolkits');

  await page.getByRole('link', { name: 'My work' }).first().click();
  await page.waitForLoadState('load');
  const flags = page.getByRole('table', { name: /Pupils to consider for the next TAS meeting/ });
  assert.equal(await flags.locator('tbody tr').count(), 1);
  await expectClean(page, 'the work list with a flag');
  await flags.getByRole('button', { name: /Considered/ }).click();
  await page.waitForLoadState('load');
  assert.match(await page.locator('#flags').textContent(), /\(0\)/);
  await expectClean(page, 'the work list after Considered');
  assert.deepEqual(errors, []);
});
