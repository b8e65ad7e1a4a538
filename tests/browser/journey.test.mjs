// A person's first journey: sign in, find the pupils page, add a pupil
// (first with a mistake, then corrected), and see the record, with
// axe-core run on every page visited and no CSP or console errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, checkA11y, startServer, signInPage, collectPageErrors, birthDateFor } from './harness.mjs';

let srv, browser;

before(async () => {
  srv = await startServer({ seed: 7 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

const ALPHABET = 'ABCDEFGHJKLMNPQRTUVWXYZ';
function upnFor(body12) {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body12[i]) * (i + 2);
  return ALPHABET[sum % 23] + body12;
}

async function expectClean(page, where) {
  const v = await checkA11y(page);
  assert.deepEqual(v, [], `accessibility problems on ${where}:\n${v.join('\n')}`);
}

test('sign in, add a pupil with a mistake, correct it, view it', async () => {
  const page = await browser.newPage();
  const errors = collectPageErrors(page);

  await page.goto(`${srv.base}/sign-in`);
  await expectClean(page, 'sign-in');
  await signInPage(page, srv.base, 'coordinator');
  assert.equal(new URL(page.url()).pathname, '/');
  assert.match(await page.textContent('h1'), /Team Around the School/);
  await expectClean(page, 'home');

  await page.getByRole('link', { name: 'Pupils', exact: true }).first().click();
  assert.equal(new URL(page.url()).pathname, '/pupils');
  await expectClean(page, 'pupil list');

  await page.getByRole('button', { name: 'Add a pupil' }).click();
  assert.equal(new URL(page.url()).pathname, '/pupils/new');
  await expectClean(page, 'add pupil form');

  const good = upnFor('899123426001');
  const wrongLetter = ALPHABET[(ALPHABET.indexOf(good[0]) + 1) % 23] + good.slice(1);
  await page.getByLabel('Unique pupil number (UPN)').fill(wrongLetter);
  await page.getByLabel('First names').fill('Robin');
  await page.getByLabel('Last name').fill('Testpupil-Ashworth');
  await page.getByLabel('Day', { exact: true }).fill('14');
  await page.getByLabel('Month', { exact: true }).fill('3');
  // In Year 4 of the tests' school year, whatever day they run on.
  const bornYear = birthDateFor('4', '03-14').slice(0, 4);
  await page.getByLabel('Year', { exact: true }).fill(bornYear);
  await page.getByLabel('Female').check();
  await page.getByLabel('Ethnicity').selectOption('WBRI');
  await page.getByLabel('National Curriculum year group').selectOption('4');
  await page.getByLabel('SEN support').check();
  const school = page.getByLabel('School', { exact: true });
  const firstSchool = await school.locator('option').nth(1).getAttribute('value');
  await school.selectOption(firstSchool);
  await page.getByRole('button', { name: 'Add pupil' }).click();

  // The mistake is reported at the top and by the field; nothing typed is lost.
  const summary = page.locator('.govuk-error-summary');
  await summary.waitFor();
  assert.match(await summary.textContent(), /check letter/i);
  assert.equal(await page.getByLabel('First names').inputValue(), 'Robin');
  assert.equal(await page.getByLabel('Year', { exact: true }).inputValue(), bornYear);
  assert.equal(await page.getByLabel('Female').isChecked(), true);
  assert.equal(await page.getByLabel('Ethnicity').inputValue(), 'WBRI');
  assert.match(await page.title(), /^Error: /);
  await expectClean(page, 'form with errors');
  // The summary's link takes keyboard users to the field.
  await summary.getByRole('link').first().click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-upn');

  await page.getByLabel('Unique pupil number (UPN)').fill(good);
  await page.getByRole('button', { name: 'Add pupil' }).click();
  await page.locator('.govuk-notification-banner--success').waitFor();
  assert.match(await page.textContent('h1'), /Robin Testpupil-Ashworth/);
  assert.match(await page.textContent('main'), new RegExp(good));
  await expectClean(page, 'pupil record');

  // GOV.UK Frontend moves focus to the success banner, so it is read out first.
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('govuk-notification-banner')), true);
  // Keyboard only: on a page without a banner, the skip link is the first thing Tab reaches.
  await page.goto(page.url().replace(/\?.*$/, ''));
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Skip to main content');

  assert.deepEqual(errors, [], `page errors:\n${errors.join('\n')}`);
  await page.close();
});
