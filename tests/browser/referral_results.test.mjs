// Referral results in a browser: reached from the dashboard, filtered by
// the form, exact for a coordinator and suppressed for an evaluator, with
// axe-core on every page and no CSP or console errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, checkA11y, startServer, signInPage, collectPageErrors, dbSql } from './harness.mjs';
import { TODAY, addDays, nowSeconds, academicYearOf } from '../http/harness.mjs';

let srv, browser, team;
const Y = academicYearOf(TODAY);
const S = `${Y}-09-01`;

function sql(q) {
  return dbSql(srv.db, q);
}

before(async () => {
  srv = await startServer({ seed: 26 });
  const now = nowSeconds();
  team = Number(sql(`INSERT INTO teams (authority_id, host_school_id, name, cadence, created_at, updated_at)
    SELECT authority_id, id, 'Browser referrals TAS', 'three_weekly', ${now}, ${now} FROM schools WHERE id = 1
    RETURNING id;`));
  sql(`INSERT INTO team_schools VALUES (${team}, 1);`);
  const pupils = sql('SELECT id FROM pupils WHERE school_id = 1 ORDER BY id LIMIT 6').split('\n').map(Number);
  const svc = (code) => Number(sql(`SELECT s.id FROM services s JOIN schools k ON k.authority_id = s.authority_id
    WHERE k.id = 1 AND s.code = '${code}'`));
  // Six referrals: four accepted (waits 3, 4, 10, 20), one declined (6), one pending.
  const made = [['ep', 'accepted', 3], ['salt', 'accepted', 4], ['paediatrics', 'accepted', 10],
    ['camhs', 'accepted', 20], ['ep', 'declined', 6], ['paediatrics', 'pending', null]];
  made.forEach(([code, outcome, wait], k) => {
    const c = Number(sql(`INSERT INTO cases (pupil_id, team_id, opened_on, created_at, updated_at)
      VALUES (${pupils[k]}, ${team}, '${addDays(S, -10)}', ${now}, ${now}) RETURNING id;`));
    const on = addDays(S, k);
    sql(`INSERT INTO referrals (case_id, service_id, referred_on, outcome, outcome_on, created_at, updated_at)
      VALUES (${c}, ${svc(code)}, '${on}', '${outcome}', ${wait === null ? 'NULL' : `'${addDays(on, wait)}'`},
      ${now}, ${now});`);
  });
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

test('a coordinator reaches referral results from the dashboard and filters them', async () => {
  const page = await browser.newPage();
  const errors = collectPageErrors(page);
  await signInPage(page, srv.base, 'coordinator');
  await page.goto(`${srv.base}/dashboard`);
  await page.getByRole('link', { name: /^Referral results/ }).click();
  await page.waitForLoadState('load');
  assert.equal(new URL(page.url()).pathname, '/referral-results');
  // GOV.UK day, month and year boxes, as every date on the site.
  const dateBoxes = async (id, d, m, y) => {
    await page.locator(`#${id}-day`).fill(d);
    await page.locator(`#${id}-month`).fill(m);
    await page.locator(`#${id}-year`).fill(y);
  };
  await dateBoxes('f-from', '1', '8', String(Y));
  await dateBoxes('f-to', '31', '7', String(Y + 1));
  await page.getByLabel('Team').selectOption(String(team));
  await page.getByRole('button', { name: 'Show figures' }).click();
  await page.waitForLoadState('load');
  // Accepted 4 of 5 decided: 80%.  Waits 3 4 6 10 20: median 6, p90 16.
  assert.equal((await page.locator('#conversion').textContent()).trim(), '80%');
  const all = page.locator('section[aria-labelledby="t-days"] tbody tr').first();
  assert.deepEqual((await all.locator('td').allTextContents()).map((s) => s.trim()), ['6.0', '16.0']);
  await expectClean(page, 'referral results (coordinator)');

  await dateBoxes('f-from', '31', '2', String(Y));
  await page.getByRole('button', { name: 'Show figures' }).click();
  await page.waitForLoadState('load');
  assert.match(await page.locator('.govuk-error-summary').textContent(), /Start date must be a real date/);
  await expectClean(page, 'referral results with an error');
  assert.deepEqual(errors, []);
});

test('an evaluator sees the figures prepared for publication', async () => {
  const page = await browser.newPage();
  const errors = collectPageErrors(page);
  await signInPage(page, srv.base, 'evaluator');
  await page.goto(`${srv.base}/referral-results?team_id=${team}`);
  assert.equal((await page.locator('#conversion').textContent()).trim(), 'c');
  assert.match(await page.locator('.govuk-inset-text').first().textContent(), /prepared for publication/);
  await expectClean(page, 'referral results (evaluator)');
  assert.deepEqual(errors, []);
});
