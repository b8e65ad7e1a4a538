// The GIAS import page and the calendar subscription page in a browser:
// choose a file, check it (the counts, the rejected rows), import it, see
// the school; a large file read in the background, its progress page
// moving by itself with JavaScript and by its link without; make a
// calendar address and revoke it.  axe-core on every page, errors included.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, checkA11y, startServer, signInPage, Client, collectPageErrors } from './harness.mjs';
import { establishment, giasCsv } from '../http/gias_fixture.mjs';

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

test('GIAS import: nothing chosen, a file checked with a rejected row, chosen again and imported', async () => {
  const page = await (await browser.newContext()).newPage();
  await signInPage(page, srv.base, 'coordinator');
  await page.goto(`${srv.base}/schools`);
  await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: 'Import schools from GIAS' }).click()]);
  await clean(page, 'import page');
  await submit(page, 'Check the file');
  assert.match(await page.locator('.govuk-error-summary').textContent(), /Choose the GIAS file, or paste its text/);
  await clean(page, 'import page with an error');
  const api = new Client(srv.base);
  await api.signIn('coordinator');
  const la = (await (await api.get('/api/v1/authorities')).json()).authorities[0].la_code;
  const text = giasCsv([
    establishment(60, la, { EstablishmentName: "St Mary's & St John's CE Primary" }),
    establishment(61, la, { OpenDate: '30-02-2000' }),
  ]);
  const csvFile = { name: 'edubasealldata.csv', mimeType: 'text/csv', buffer: Buffer.from(text) };
  await page.getByLabel('The GIAS file', { exact: true }).setInputFiles(csvFile);
  await submit(page, 'Check the file');
  assert.equal(await page.locator('[data-count="added"]').textContent(), '1');
  assert.equal(await page.locator('[data-count="rejected"]').textContent(), '1');
  assert.match(await page.locator('table').first().textContent(), /OpenDate: "30-02-2000" is not a date/);
  await clean(page, 'check result');
  await page.getByLabel('Choose the same file again to import it').setInputFiles(csvFile);
  await submit(page, 'Import these changes');
  assert.match(await page.locator('.govuk-panel').textContent(), /1 added, 0 changed, 0 closed/);
  await clean(page, 'import result');
  await page.goto(`${srv.base}/schools?q=700060`);
  assert.match(await page.locator('table').textContent(), /St Mary's & St John's CE Primary/);
});

/** A GIAS file of n schools, one in five of an authority not in tas. */
async function largeFile(n) {
  const api = new Client(srv.base);
  await api.signIn('coordinator');
  const la = (await (await api.get('/api/v1/authorities')).json()).authorities[0].la_code;
  const rows = [];
  for (let i = 0; i < n; i++) rows.push(establishment(200000 + i, i % 5 ? la : '995'));
  return { name: 'edubasealldata.csv', mimeType: 'text/csv', buffer: Buffer.from(giasCsv(rows)) };
}

test('GIAS import of a large file: its page shows how far the reading has got and moves on by itself', async () => {
  const page = await (await browser.newContext()).newPage();
  const errors = collectPageErrors(page);
  await signInPage(page, srv.base, 'coordinator');
  await page.goto(`${srv.base}/schools/import`);
  await page.getByLabel('The GIAS file', { exact: true }).setInputFiles(await largeFile(60000));
  await Promise.all([page.waitForURL(/\/schools\/import\?job=\d+$/, { waitUntil: 'load' }),
    page.getByRole('button', { name: 'Check the file' }).click()]);
  const loads = [];
  page.on('load', () => loads.push(page.url()));
  const running = await page.locator('#import-job').count() === 1;
  if (running) {
    // The page's own fetches held back while axe reads it, so it cannot
    // move on underneath; let go, the script tries again and carries on.
    const job = page.url();
    const isJob = (u) => u.href === job;
    await page.route(isJob, (route) => route.abort());
    const bar = page.getByRole('progressbar', { name: 'Read so far' });
    const v = Number(await bar.getAttribute('value'));
    assert.ok(v >= 0 && v <= 100);
    assert.equal(await page.getByRole('status').textContent(), `About ${Math.floor(v / 10) * 10}% of the file read.`);
    await clean(page, 'the progress of a file being read');
    await page.unroute(isJob);
  }
  // Nothing is clicked or reloaded by the test: with the job still running
  // when the page came, only the page's script can bring the result.
  await page.locator('[data-count="added"]').waitFor({ timeout: 60000 });
  assert.equal(await page.locator('[data-count="added"]').textContent(), '48000');
  assert.equal(await page.locator('[data-count="outside"]').textContent(), '12000');
  if (running) assert.equal(loads.length, 1, 'the script loaded the page once, when the job was done: ' + loads.join(' '));
  assert.deepEqual(errors.filter((e) => !/ERR_FAILED|net::/.test(e)), [], 'only the fetches held back above failed');
  await clean(page, 'the check of a large file');
});

test('GIAS import of a large file without JavaScript: the page\'s link shows how far it has got', async () => {
  const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await signInPage(page, srv.base, 'coordinator');
  await page.goto(`${srv.base}/schools/import`);
  await page.getByLabel('The GIAS file', { exact: true }).setInputFiles(await largeFile(60000));
  await submit(page, 'Check the file');
  for (let i = 0; i < 600 && await page.locator('#import-job').count() === 1; i++) {
    assert.match(await page.locator('#import-band').textContent(), /^About \d+% of the file read\.$/);
    await page.waitForTimeout(50);
    await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: 'See how far it has got' }).click()]);
  }
  assert.equal(await page.locator('[data-count="added"]').textContent(), '48000');
});

test('calendar subscription: made, shown once, revoked', async () => {
  const page = await (await browser.newContext()).newPage();
  await signInPage(page, srv.base, 'lead');
  await page.goto(`${srv.base}/account`);
  await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: /Manage\s+your calendar/ }).click()]);
  await clean(page, 'calendar page');
  await submit(page, 'Make a calendar address');
  const url = await page.getByLabel('Address to subscribe to').inputValue();
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/calendar\/[0-9a-f]{64}\.ics$/);
  await clean(page, 'calendar address');
  const res = await fetch(url);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/calendar; charset=utf-8');
  await page.goto(`${srv.base}/account/calendar`);
  await submit(page, 'Revoke the subscription');
  assert.match(await page.locator('.govuk-notification-banner').textContent(), /revoked/);
  await clean(page, 'revoked');
  assert.equal((await fetch(url)).status, 404);
});
