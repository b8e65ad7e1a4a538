// The dashboard in a browser: filter by the form, read tables beside SVG
// charts, open the printable learning report and the cost settings, with
// axe-core on every page and no CSP or console errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, checkA11y, startServer, signInPage, collectPageErrors, dbScript } from './harness.mjs';
import { dashboardFixture } from '../http/dashboard_fixture.mjs';

let srv, browser;
const A = 900;

before(async () => {
  srv = await startServer({ seed: 3 });
  dbScript(srv.db, dashboardFixture(A));
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

test('filter the dashboard, read the report, keep the cost model', async () => {
  const page = await browser.newPage();
  const errors = collectPageErrors(page);
  await signInPage(page, srv.base, 'admin');
  await page.getByRole('link', { name: 'Dashboard', exact: true }).first().click();
  assert.equal(new URL(page.url()).pathname, '/dashboard');
  await expectClean(page, 'dashboard (defaults)');

  // GOV.UK date inputs: day, month and year.
  for (const [legend, [d, m, y]] of [['From', ['1', '8', '2024']], ['To', ['31', '7', '2025']]]) {
    const group = page.getByRole('group', { name: legend, exact: true });
    await group.getByLabel('Day').fill(d);
    await group.getByLabel('Month').fill(m);
    await group.getByLabel('Year').fill(y);
  }
  await page.getByLabel('Local authority').selectOption(String(A));
  await page.getByRole('button', { name: 'Show figures' }).click();
  await page.waitForLoadState('load');
  const cases = page.locator('section[aria-labelledby="t-cases"] tbody tr').first();
  assert.deepEqual((await cases.locator('td').allTextContents()).map((s) => s.trim()), ['7', '3', '10']);
  const chart = page.getByRole('img', { name: 'TAS cases by gender' });
  assert.equal(await chart.count(), 1);
  await expectClean(page, 'dashboard (Testshire)');

  await page.getByLabel('Prepare for publication').check();
  await page.getByRole('button', { name: 'Show figures' }).click();
  await page.waitForLoadState('load');
  assert.deepEqual((await cases.locator('td').allTextContents()).map((s) => s.trim()), ['c', 'c', '10']);

  await page.getByRole('link', { name: /Printable learning report/ }).click();
  await page.waitForLoadState('load');
  assert.equal(new URL(page.url()).pathname, '/dashboard/report');
  await page.emulateMedia({ media: 'print' });
  // Printed: the figures only, without the service's navigation.
  assert.equal(await page.locator('.govuk-service-navigation').isVisible(), false);
  assert.equal(await page.getByRole('img', { name: 'TAS cases by gender' }).isVisible(), true);
  await page.emulateMedia({ media: 'screen' });
  await expectClean(page, 'learning report');

  await page.goto(`${srv.base}/settings/costs?authority_id=${A}`);
  await expectClean(page, 'cost settings');
  await page.getByLabel('Role', { exact: true }).selectOption('ep');
  await page.getByLabel('Name shown in the tables').fill('Educational Psychologist');
  await page.getByLabel('Employed by').selectOption('la');
  await page.getByLabel('Hourly cost with on-costs, in pounds').fill('sixty');
  await page.getByRole('button', { name: 'Save rate' }).click();
  await page.waitForLoadState('load');
  await expectClean(page, 'cost settings with an error');
  assert.match(await page.locator('.govuk-error-summary').textContent(), /Hourly cost must be an amount in pounds/);
  await page.getByLabel('Hourly cost with on-costs, in pounds').fill('60');
  await page.getByLabel('Meeting, in minutes').fill('90');
  await page.getByRole('button', { name: 'Save rate' }).click();
  await page.waitForLoadState('load');
  assert.match(await page.locator('table').first().textContent(), /Educational Psychologist\s+Local authority\s+60\.00\s+0, 90, 0, 0\s+90\.00/);

  await page.goto(`${srv.base}/schools/9004/population`);
  await expectClean(page, 'census figures');
  await page.getByLabel('Male', { exact: true }).fill('lots');
  await page.getByRole('button', { name: 'Save census figures' }).click();
  await page.waitForLoadState('load');
  await expectClean(page, 'census figures with an error');
  await page.getByLabel('Male', { exact: true }).fill('500');
  await page.getByLabel('Female', { exact: true }).fill('520');
  await page.getByRole('button', { name: 'Save census figures' }).click();
  await page.waitForLoadState('load');
  assert.match(await page.locator('.govuk-notification-banner').textContent(), /Census figures saved/);

  assert.deepEqual(errors, []);
});
