// E-mail pages in a browser, with axe-core on each: "Forgotten your
// password?" from the sign-in page and its answer, the reset link's page
// with a refused and an accepted password, and an administrator changing a
// user's e-mail address.  The server has no SMTP relay, so the reset
// message waits in the outbox, where the test reads its link (setup only).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, checkA11y, startServer, signInPage, collectPageErrors } from './harness.mjs';
import { sql } from '../http/case_fixture.mjs';

let srv, browser;

before(async () => {
  srv = await startServer({ seed: 5 });
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

const path = (page) => new URL(page.url()).pathname;

test('administrator: a user\'s e-mail address, with an error first', async () => {
  const page = await browser.newPage();
  const errors = collectPageErrors(page);
  await signInPage(page, srv.base, 'admin');
  const id = Number(sql(srv, "SELECT id FROM users WHERE username = 'dpo';"));
  await page.goto(`${srv.base}/users/${id}`);
  await page.getByRole('link', { name: /Change the e-mail address/ }).click();
  assert.equal(path(page), `/users/${id}/email`);
  await expectClean(page, 'the e-mail address page');
  await page.getByLabel('E-mail address').fill('not an address');
  await page.getByRole('button', { name: 'Save' }).click();
  assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter an email address in the correct format/);
  await expectClean(page, 'the e-mail address page with an error');
  await page.getByLabel('E-mail address').fill('dpo@council.example');
  await page.getByRole('button', { name: 'Save' }).click();
  assert.equal(path(page), `/users/${id}`);
  assert.match(await page.locator('main').innerText(), /The e-mail address has been saved/);
  assert.match(await page.locator('main').innerText(), /dpo@council\.example/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('forgotten password: ask, the same answer, then the link sets a new password', async () => {
  const page = await browser.newPage();
  const errors = collectPageErrors(page);
  await page.goto(`${srv.base}/sign-in`);
  await page.getByRole('link', { name: 'Forgotten your password?' }).click();
  assert.equal(path(page), '/forgot-password');
  await expectClean(page, 'forgot password');
  await page.getByRole('button', { name: 'Send a reset link' }).click();
  assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter your user name/);
  await expectClean(page, 'forgot password with an error');
  await page.getByLabel('User name').fill('dpo');
  await page.getByRole('button', { name: 'Send a reset link' }).click();
  assert.equal(path(page), '/forgot-password');
  assert.match(await page.locator('h1').innerText(), /Check your e-mail/);
  await expectClean(page, 'the answer');

  // The mail thread turns the request into a message within a second or so.
  let body = '';
  for (const end = Date.now() + 20000; !body && Date.now() < end;) {
    body = sql(srv, "SELECT body FROM outbox WHERE kind = 'password_reset' AND recipient = 'dpo@council.example';");
    if (!body) await new Promise((r) => setTimeout(r, 50));
  }
  const link = /\/reset-password\?token=[0-9a-f]{64}/.exec(body)[0];
  await page.goto(`${srv.base}${link}`);
  await expectClean(page, 'choose a new password');
  await page.getByLabel('New password').fill('password1');
  await page.getByRole('button', { name: 'Set password' }).click();
  assert.equal(await page.locator('.govuk-error-summary').count(), 1);
  await expectClean(page, 'choose a new password with an error');
  await page.getByLabel('New password').fill('a browser-chosen passphrase 77');
  await page.getByRole('button', { name: 'Set password' }).click();
  assert.equal(path(page), '/sign-in');
  assert.match(await page.locator('main').innerText(), /Your password has been changed/);
  await signInPage(page, srv.base, 'dpo', 'a browser-chosen passphrase 77');
  assert.notEqual(path(page), '/sign-in');
  await page.goto(`${srv.base}${link}`);
  assert.match(await page.locator('h1').innerText(), /This link does not work/);
  await expectClean(page, 'a used link');
  assert.deepEqual(errors, []);
  await page.close();
});
