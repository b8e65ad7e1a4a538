// Break-glass in a browser: a school lead refused a pupil of another
// school asks for emergency access with a reason, reads the record, and
// the data protection officer reviews it.  axe-core on every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, checkA11y, startServer, signInPage, dbSql } from './harness.mjs';

let srv, browser;
before(async () => {
  srv = await startServer({ seed: 5 });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

function sql(q) {
  return dbSql(srv.db, q);
}

async function clean(page, what) {
  const v = await checkA11y(page);
  assert.deepEqual(v, [], `accessibility problems on ${what} (${page.url()}):\n${v.join('\n')}`);
}

test('emergency access: asked for with a reason, then reviewed by the DPO', async () => {
  const pupil = Number(sql(`SELECT p.id FROM pupils p JOIN user_roles r ON r.scope_id = p.school_id
    JOIN users u ON u.id = r.user_id WHERE u.username = 'senco' AND r.scope_kind = 'school' LIMIT 1`));
  const head = await (await browser.newContext()).newPage();
  await signInPage(head, srv.base, 'head');
  const refused = await head.goto(`${srv.base}/pupils/${pupil}`);
  assert.equal(refused.status(), 404);
  await clean(head, 'refusal page');
  await Promise.all([head.waitForLoadState('load'),
    head.getByRole('link', { name: 'request emergency access' }).click()]);
  assert.match(head.url(), new RegExp(`/pupils/${pupil}/break-glass$`));
  await clean(head, 'break-glass form');
  const submit = () => Promise.all([head.waitForLoadState('load'),
    head.getByRole('button', { name: /Open the record for 60 minutes/ }).click()]);
  await submit();
  assert.match(await head.locator('.govuk-error-summary').textContent(), /Say why you need emergency access/);
  await clean(head, 'break-glass form with an error');
  await head.getByLabel('Why do you need access now?').fill('Pupil disclosed harm to a member of our staff');
  await submit();
  assert.match(head.url(), new RegExp(`/pupils/${pupil}$`));
  assert.match(await head.locator('h1').textContent(), /\S/);

  const dpo = await (await browser.newContext()).newPage();
  await signInPage(dpo, srv.base, 'dpo');
  // The menu's link (the home page has a card for it too).
  await dpo.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Emergency access' }).click();
  await dpo.waitForLoadState('load');
  assert.match(await dpo.content(), /Pupil disclosed harm to a member of our staff/);
  await clean(dpo, 'DPO review list');
  await Promise.all([dpo.waitForLoadState('load'), dpo.getByRole('button', { name: /Mark reviewed/ }).click()]);
  assert.match(await dpo.locator('.govuk-notification-banner, .govuk-panel, body').first().textContent(), /Marked as reviewed/);
  assert.match(await dpo.content(), /Nothing is waiting for review/);
  await clean(dpo, 'DPO review list after review');
});
