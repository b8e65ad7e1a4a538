// Account security in a browser, with axe-core on every new page: an
// administrator requires two-factor authentication for school leads and
// looks at users and sessions; a head teacher is sent to set it up, saves
// the recovery codes, and signs in again in two steps; the password pages
// with their errors; the evaluators' extract page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { launchBrowser, checkA11y, startServer, signInPage, collectPageErrors } from './harness.mjs';
import { nowMs } from '../http/harness.mjs';

let srv, browser;

before(async () => {
  srv = await startServer({ seed: 11 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

function totp(secret, step) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let acc = 0;
  const key = [];
  for (const ch of secret.replace(/\s/g, '')) {
    acc = (acc << 5) | alphabet.indexOf(ch);
    bits += 5;
    if (bits >= 8) { key.push((acc >>> (bits - 8)) & 0xff); bits -= 8; }
  }
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', Buffer.from(key)).update(msg).digest();
  const off = mac[19] & 0xf;
  return String((mac.readUInt32BE(off) & 0x7fffffff) % 1000000).padStart(6, '0');
}

async function expectClean(page, where) {
  const v = await checkA11y(page);
  assert.deepEqual(v, [], `accessibility problems on ${where}:\n${v.join('\n')}`);
}

const path = (page) => new URL(page.url()).pathname;

test('administrator: security settings, users, one user, sessions', async () => {
  const page = await browser.newPage();
  const errors = collectPageErrors(page);
  await signInPage(page, srv.base, 'admin');
  await page.getByRole('link', { name: 'Users', exact: true }).first().click();
  assert.equal(path(page), '/users');
  await expectClean(page, 'user list');

  await page.getByRole('button', { name: 'Add a user' }).click();
  assert.equal(path(page), '/users/new');
  await expectClean(page, 'add a user');
  await page.getByLabel('Full name').fill('Nia Browser');
  await page.getByLabel('User name').fill('n.browser');
  await page.getByLabel('Password').fill('password');
  await page.getByRole('button', { name: 'Add user' }).click();
  assert.match(await page.locator('.govuk-error-summary').textContent(), /Select the person's role/);
  assert.equal(await page.getByLabel('Full name').inputValue(), 'Nia Browser');
  await expectClean(page, 'add a user with errors');
  await page.goto(`${srv.base}/users`);

  await page.getByRole('link', { name: 'Security settings' }).click();
  await expectClean(page, 'security settings');
  await page.getByLabel('School lead').check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  assert.equal(path(page), '/settings/security');
  assert.equal(await page.getByLabel('School lead').isChecked(), true);
  await expectClean(page, 'security settings saved');

  await page.goto(`${srv.base}/users`);
  await page.getByRole('link', { name: /Dan|SENCO/ }).first().click();
  assert.match(path(page), /^\/users\/\d+$/);
  await expectClean(page, 'one user');
  await page.getByRole('link', { name: /Set a new password/ }).click();
  await page.getByLabel('New password').fill('password123456');
  await page.getByRole('button', { name: 'Set password' }).click();
  assert.match(await page.locator('.govuk-error-summary').textContent(), /too common/);
  await expectClean(page, 'set password with an error');

  await page.goto(`${srv.base}/sessions`);
  assert.match(await page.textContent('main'), /This is you/);
  await expectClean(page, 'sessions');
  assert.deepEqual(errors, [], `page errors:\n${errors.join('\n')}`);
  await page.close();
});

test('a head teacher sets up two-factor authentication, then signs in in two steps', async () => {
  const page = await browser.newPage();
  const errors = collectPageErrors(page);
  await signInPage(page, srv.base, 'head');
  assert.equal(path(page), '/account/two-factor', 'required for school leads: sent to set it up');
  await expectClean(page, 'two-factor set-up');
  await page.goto(`${srv.base}/pupils`);
  assert.equal(path(page), '/account/two-factor', 'nothing else until set up');

  const secret = (await page.textContent('#totp-secret')).trim();
  await page.getByLabel('Code from the app').fill('12345');
  await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
  assert.match(await page.locator('.govuk-error-summary').textContent(), /Enter the code as 6 digits/);
  await expectClean(page, 'two-factor set-up with an error');
  const step = Math.floor(nowMs() / 30000);
  await page.getByLabel('Code from the app').fill(totp(secret, step));
  await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
  assert.equal(await page.locator('#recovery-codes li').count(), 10);
  await expectClean(page, 'recovery codes');
  await Promise.all([page.waitForURL(`${srv.base}/`, { waitUntil: 'load' }),
    page.getByRole('button', { name: 'I have saved my codes' }).click()]);
  assert.equal(path(page), '/');

  await page.goto(`${srv.base}/account`);
  await expectClean(page, 'your account');
  await page.getByRole('link', { name: /Change/ }).click();
  await page.getByLabel('Current password').fill('demo-password');
  await page.getByLabel('New password', { exact: true }).fill('headteacher');
  await page.getByLabel('Confirm new password').fill('headteacher');
  await page.getByRole('button', { name: 'Change password' }).click();
  assert.match(await page.locator('.govuk-error-summary').textContent(), /12 characters or more/);
  await expectClean(page, 'change password with an error');

  await Promise.all([page.waitForURL(/\/sign-in\?signed_out=1$/, { waitUntil: 'load' }),
    page.getByRole('button', { name: 'Sign out' }).click()]);
  await signInPage(page, srv.base, 'head');
  assert.equal(path(page), '/sign-in/code');
  await expectClean(page, 'security code');
  await page.getByLabel('Security code').fill('000000' === totp(secret, step + 1) ? '111111' : '000000');
  await page.getByRole('button', { name: 'Continue' }).click();
  assert.match(await page.locator('.govuk-error-summary').textContent(), /not right/);
  await expectClean(page, 'security code with an error');
  await page.getByLabel('Security code').fill(totp(secret, step + 1));
  await Promise.all([page.waitForURL(`${srv.base}/`, { waitUntil: 'load' }),
    page.getByRole('button', { name: 'Continue' }).click()]);
  assert.equal(path(page), '/');
  assert.deepEqual(errors, [], `page errors:\n${errors.join('\n')}`);
  await page.close();
});

test('an evaluator finds the pseudonymised extract', async () => {
  const page = await browser.newPage();
  const errors = collectPageErrors(page);
  await signInPage(page, srv.base, 'evaluator');
  await page.getByRole('link', { name: 'Extract', exact: true }).first().click();
  assert.equal(path(page), '/extract');
  await expectClean(page, 'extract');
  assert.deepEqual(errors, [], `page errors:\n${errors.join('\n')}`);
  await page.close();
});
