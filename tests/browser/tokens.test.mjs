// The API tokens page in a browser (no JavaScript of its own): a form sent
// with nothing chosen, a token made and shown once, used, then revoked.
// axe-core on every state of the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, checkA11y, startServer, signInPage } from './harness.mjs';

let srv, browser;

before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function clean(page, what) {
  const v = await checkA11y(page);
  assert.deepEqual(v, [], `accessibility problems on ${what} (${page.url()}):\n${v.join('\n')}`);
}

async function submit(page, name) {
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name }).click()]);
}

test('API tokens: errors, a token made and shown once, used, revoked', async () => {
  const page = await (await browser.newContext()).newPage();
  await signInPage(page, srv.base, 'coordinator');
  await page.goto(`${srv.base}/account`);
  await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: /your API tokens/ }).click()]);
  assert.match(await page.locator('h1').textContent(), /API tokens/);
  await clean(page, 'tokens page');
  await submit(page, 'Make token');
  const summary = await page.locator('.govuk-error-summary').textContent();
  assert.match(summary, /Enter a name for the token/);
  assert.match(summary, /Select what the token may do/);
  assert.match(summary, /Select how long the token lasts/);
  await clean(page, 'tokens page with errors');
  await page.getByLabel('Name').fill('Nightly report');
  await page.getByLabel('Read only').check();
  await page.getByLabel('90 days').check();
  await submit(page, 'Make token');
  const token = await page.getByLabel('Your new token').inputValue();
  assert.match(token, /^tas_[0-9a-f]{64}$/);
  await clean(page, 'token made');
  const res = await fetch(`${srv.base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  await page.goto(`${srv.base}/account/tokens`);
  assert.equal(await page.getByLabel('Your new token').count(), 0);
  assert.ok(!(await page.content()).includes(token));
  await submit(page, 'Revoke token Nightly report');
  assert.match(await page.locator('.govuk-notification-banner').textContent(), /revoked/);
  assert.match(await page.locator('table').textContent(), /Revoked/);
  await clean(page, 'token revoked');
  assert.equal((await fetch(`${srv.base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status, 401);
});
