// Outcomes in a browser: the head records a term's attendance from the
// pupil page (a mistake first, shown in the error summary), sees it in the
// pupil's outcomes, and checks then imports a CSV file of suspensions.
// axe-core on every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, checkA11y, startServer, signInPage, dbSql } from './harness.mjs';
import { TODAY, addDays } from '../http/harness.mjs';

let srv, browser;
before(async () => {
  srv = await startServer({ seed: 17 });
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

const go = (page, action) => Promise.all([page.waitForLoadState('load'), action]);

test('the pupil\'s outcomes: add a term\'s attendance, then import suspensions from CSV', async () => {
  const [pupil, upn] = sql(`SELECT id, upn FROM pupils WHERE school_id = 1 ORDER BY id LIMIT 1`).split('|');
  const page = await (await browser.newContext()).newPage();
  await signInPage(page, srv.base, 'head');
  await page.goto(`${srv.base}/pupils/${pupil}`);
  assert.match(await page.content(), /No outcome records yet/);
  await clean(page, 'pupil page without outcomes');

  await page.goto(`${srv.base}/pupils/${pupil}/outcomes/new`);
  await clean(page, 'choice of kind');
  await go(page, page.getByRole('button', { name: 'Continue' }).click());
  assert.match(await page.locator('.govuk-error-summary').textContent(), /Select the kind of outcome record/);
  await clean(page, 'choice of kind with an error');
  await page.goto(`${srv.base}/pupils/${pupil}`);
  await go(page, page.getByRole('link', { name: 'Attendance (one term)' }).click());
  await clean(page, 'attendance form');
  const [sy, sm, sd] = addDays(TODAY, -120).split('-');
  const [ey, em, ed] = addDays(TODAY, -40).split('-');
  const starts = page.getByRole('group', { name: 'First day of the term' });
  await starts.getByLabel('Day').fill(sd);
  await starts.getByLabel('Month').fill(sm);
  await starts.getByLabel('Year').fill(sy);
  const ends = page.getByRole('group', { name: 'Last day of the term' });
  await ends.getByLabel('Day').fill(ed);
  await ends.getByLabel('Month').fill(em);
  await ends.getByLabel('Year').fill(ey);
  await page.getByLabel('Sessions possible').fill('110');
  await page.getByLabel('Sessions missed').fill('120');
  await go(page, page.getByRole('button', { name: 'Add record' }).click());
  assert.match(await page.locator('.govuk-error-summary').textContent(), /Sessions missed must be/);
  assert.equal(await page.getByLabel('Sessions possible').inputValue(), '110');
  await clean(page, 'attendance form with an error');
  await page.getByLabel('Sessions missed').fill('11');
  await go(page, page.getByRole('button', { name: 'Add record' }).click());
  assert.match(page.url(), new RegExp(`/pupils/${pupil}\\?saved=outcome`));
  const table = page.locator('table', { has: page.locator('caption', { hasText: 'Attendance (one term)' }) });
  assert.match(await table.textContent(), /90\.0%/);
  assert.match(await table.textContent(), /Persistently absent/);
  await clean(page, 'pupil page with outcomes');

  // The case page's before and after: table, chart and inset text pass axe.
  const team = Number(sql(`INSERT INTO teams (authority_id, host_school_id, name, cadence, created_at, updated_at)
    SELECT authority_id, id, 'Browser TAS', 'three_weekly', 1, 1 FROM schools WHERE id = 1 RETURNING id;`));
  sql(`INSERT INTO team_schools VALUES (${team}, 1);`);
  const kase = Number(sql(`INSERT INTO cases (pupil_id, team_id, opened_on, created_at, updated_at)
    VALUES (${pupil}, ${team}, '${addDays(TODAY, -60)}', 1, 1) RETURNING id;`));
  await page.goto(`${srv.base}/cases/${kase}`);
  assert.match(await page.locator('#before-after').textContent(), /Before and after/);
  assert.equal(await page.locator('svg[role="img"] title').first().textContent(), 'Attendance before and after');
  await clean(page, 'case page with before and after');

  await page.goto(`${srv.base}/pupils`);
  await go(page, page.getByRole('link', { name: 'Import outcome records from a CSV file' }).click());
  await clean(page, 'import page');
  await page.getByLabel('Kind of record').selectOption('suspension');
  // Pasted text, with a bad row.
  await page.getByLabel('Or paste the file\'s text').fill(
    `upn,start_date,sessions,reason\n${upn},${addDays(TODAY, -30)},4,PP\n${upn},${addDays(TODAY, -20)},200,XX\n`);
  await go(page, page.getByRole('button', { name: 'Check the file' }).click());
  assert.match(await page.locator('#progress').textContent(), /2 of 2 rows checked/);
  assert.match(await page.locator('table').first().textContent(), /3\s*code/);
  await clean(page, 'import page with problems');
  // Then the file itself, chosen: checked, chosen again, imported.
  const csvFile = { name: 'suspensions.csv', mimeType: 'text/csv',
    buffer: Buffer.from(`upn,start_date,sessions,reason\r\n${upn},${addDays(TODAY, -30)},4,PP\r\n`) };
  await page.getByLabel('Or paste the file\'s text').fill('');
  await page.getByLabel('The CSV file', { exact: true }).setInputFiles(csvFile);
  await go(page, page.getByRole('button', { name: 'Check the file' }).click());
  assert.match(await page.locator('#progress').textContent(), /1 of 1 rows checked.*1 record for 1 pupil can be imported/s);
  await clean(page, 'import page after a clean check');
  await page.getByLabel('Choose the same file again to import it').setInputFiles(csvFile);
  await go(page, page.getByRole('button', { name: 'Import 1 record for 1 pupil' }).click());
  assert.match(await page.locator('.govuk-panel').textContent(), /1 record for 1 pupil: Suspension/);
  await clean(page, 'import page after the import');
  assert.equal(sql(`SELECT count(*) FROM outcome_records WHERE pupil_id = ${pupil} AND kind = 'suspension'`), '1');
});
