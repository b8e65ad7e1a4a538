// The data protection officer's pages in a browser: the audit log (with
// filters, and with a filter error), the subject access page reached from
// the pupil's record, and the retention page; axe-core on each, no CSP or
// console errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { launchBrowser, checkA11y, startServer, signInPage, collectPageErrors } from './harness.mjs';
import { tasBin } from '../http/harness.mjs';

let srv, browser;

before(async () => {
  srv = await startServer({ seed: 9 });
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

test('a coordinator looks at a pupil; the DPO finds it in the audit log and exports the record', async () => {
  const coord = await browser.newContext();
  const cp = await coord.newPage();
  await signInPage(cp, srv.base, 'coordinator');
  await cp.goto(`${srv.base}/pupils/1`);
  assert.equal(new URL(cp.url()).pathname, '/pupils/1');
  // Coordinators are not offered the export.
  assert.equal(await cp.getByRole('link', { name: /subject access/ }).count(), 0);
  await coord.close();

  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const errors = collectPageErrors(page);
  await signInPage(page, srv.base, 'dpo');
  await page.getByRole('link', { name: 'Audit log', exact: true }).first().click();
  assert.equal(new URL(page.url()).pathname, '/audit');
  await expectClean(page, 'audit log');

  await page.getByLabel('Pupil (UPN or record number)').fill('1');
  await page.getByLabel('User name').fill('coordinator');
  await page.getByRole('button', { name: 'Filter' }).click();
  assert.match(await page.textContent('[role=status]'), /^[1-9]\d* entr/);
  assert.match(await page.textContent('table'), /coordinator/);
  await expectClean(page, 'audit log, filtered');

  const from = page.getByRole('group', { name: 'From', exact: true });
  await from.getByLabel('Day').fill('31');
  await from.getByLabel('Month').fill('2');
  await from.getByLabel('Year').fill('2026');
  await page.getByRole('button', { name: 'Filter' }).click();
  assert.match(await page.textContent('.govuk-error-summary'), /The start date must be a real date/);
  assert.equal(await from.getByLabel('Day').inputValue(), '31', 'what was typed is kept');
  await expectClean(page, 'audit log, filter error');

  for (const part of ['Day', 'Month', 'Year']) await from.getByLabel(part).fill('');
  await page.getByLabel(/Only flagged entries/).check();
  await page.getByRole('button', { name: 'Filter' }).click();
  await expectClean(page, 'audit log, flagged only');

  await page.goto(`${srv.base}/pupils/1`);
  await page.getByRole('link', { name: /subject access/ }).click();
  assert.equal(new URL(page.url()).pathname, '/pupils/1/subject-access');
  assert.match(await page.textContent('h1'), /Everything held about/);
  assert.match(await page.textContent('main'), /Who has seen or changed these records/);
  await expectClean(page, 'subject access');

  await page.goto(`${srv.base}/retention`);
  assert.match(await page.textContent('h1'), /Retention/);
  await expectClean(page, 'retention');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a system administrator changes a retention period, with a mistake first', async () => {
  const add = spawnSync(tasBin(), ['user', 'add', 'platform', '--db', srv.db, '--name', 'Platform Admin',
    '--role', 'admin', '--scope', 'system'], { input: 'a-long-enough-password\n', encoding: 'utf8' });
  assert.equal(add.status, 0, add.stderr);
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const errors = collectPageErrors(page);
  await signInPage(page, srv.base, 'platform', 'a-long-enough-password');
  await page.goto(`${srv.base}/retention`);
  assert.match(await page.textContent('main'), /Save retention periods/, await page.textContent('body'));
  await expectClean(page, 'retention form');
  const months = page.getByLabel(/Sign-in sessions: months to keep/);
  await months.fill('0');
  await page.getByRole('button', { name: 'Save retention periods' }).click();
  assert.match(await page.textContent('.govuk-error-summary'), /whole number of months from 1 to 1200/);
  await expectClean(page, 'retention form with an error');
  await page.getByLabel(/Sign-in sessions: months to keep/).fill('6');
  await page.getByRole('button', { name: 'Save retention periods' }).click();
  assert.equal(new URL(page.url()).pathname, '/retention');
  assert.match(await page.textContent('.govuk-notification-banner'), /Retention periods saved/);
  assert.equal(await page.getByLabel(/Sign-in sessions: months to keep/).inputValue(), '6');
  await expectClean(page, 'retention saved');
  assert.deepEqual(errors, []);
  await ctx.close();
});
