// An AP specialist taskforce in a browser (issue 19): the coordinator sets
// one up in an AP school, adds specialists until the four-types warning
// goes, records an overdue agreement, refers a pupil, triages the
// referral, holds a case meeting with a safeguarding decision, logs time
// and reads the MI return.  axe-core on every page, errors included.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, checkA11y, startServer, signInPage, Client, dbSql } from './harness.mjs';
import { TODAY, addDays } from '../http/harness.mjs';

let srv, browser, apSchool, upn;
const PAST = addDays(TODAY, -20);
/** Types iso ("" to clear) into a GOV.UK date input's day, month and year boxes. */
async function fillDate(page, name, iso) {
  const [y, m, d] = iso ? iso.split('-').map((x) => String(Number(x))) : ['', '', ''];
  await page.locator(`[name="${name}-day"]`).fill(d);
  await page.locator(`[name="${name}-month"]`).fill(m);
  await page.locator(`[name="${name}-year"]`).fill(y);
}

function sql(q) {
  return dbSql(srv.db, q);
}

before(async () => {
  srv = await startServer({ seed: 20 });
  browser = await launchBrowser();
  const admin = new Client(srv.base);
  const res = await admin.postJson('/api/v1/sign-in', { username: 'admin', password: 'demo-password' });
  admin.csrf = (await res.json()).csrf;
  const authority = sql("SELECT authority_id FROM schools ORDER BY id LIMIT 1");
  const r = await admin.request('/api/v1/schools', {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': admin.csrf },
    body: JSON.stringify({ urn: '190101', name: 'Brookside AP Academy', phase: 'ap', pupils_on_roll: 60,
      tas_member: 'yes', authority_id: Number(authority) }),
  });
  const text = await r.text();
  assert.equal(r.status, 201, text);
  apSchool = JSON.parse(text).school.id;
  upn = sql('SELECT upn FROM pupils ORDER BY id LIMIT 1');
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

test('a taskforce from set-up to its MI return', async () => {
  const page = await (await browser.newContext()).newPage();
  await signInPage(page, srv.base, 'coordinator');
  await page.goto(`${srv.base}/apst`);
  await clean(page, 'taskforce list (empty)');
  await page.getByRole('link', { name: 'Set up a taskforce' }).click();
  await submit(page, 'Set up the taskforce');
  assert.match(await page.locator('.govuk-error-summary').textContent(), /Enter the taskforce's name/);
  await clean(page, 'set-up form with errors');
  await page.getByLabel('Name of the taskforce').fill('Brookside taskforce');
  await page.getByLabel('AP school it is based in').selectOption(String(apSchool));
  await page.getByLabel('Taskforce Manager').fill('Sam Okafor');
  await page.getByLabel("Manager's FTE").fill('0.6');
  await fillDate(page, 'started_on', addDays(TODAY, -100));
  await submit(page, 'Set up the taskforce');
  assert.match(await page.locator('h1').textContent(), /Brookside taskforce/);
  assert.match(await page.locator('.govuk-warning-text').textContent(), /0 of the recommended specialist types/);
  await clean(page, 'taskforce page with the warning');
  const home = page.url().split('?')[0];

  for (const [kind, name] of [['Mental health therapist', 'Ada Reyes'], ['Speech and language therapist', 'Ben Ito'],
    ['Youth and family worker', 'Cal Moss'], ['Post-16 transition coach', 'Dee Hart']]) {
    await page.getByRole('link', { name: 'Add a specialist' }).click();
    await page.getByLabel('Type of specialist').selectOption({ label: kind });
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('FTE', { exact: true }).fill('0.8');
    await page.getByLabel('Days on site each week').fill('4');
    await page.getByLabel('Secondment fully funded by the home service').check();
    await page.getByLabel('Line managed and supervised by the Taskforce Manager').check();
    await fillDate(page, 'starts_on', addDays(TODAY, -90));
    if (name === 'Ada Reyes') {
      await fillDate(page, 'ends_on', addDays(TODAY, -95));
      await submit(page, 'Add the specialist');
      assert.match(await page.locator('.govuk-error-summary').textContent(), /on or after the date they started/);
      await clean(page, 'specialist form with an error');
      await fillDate(page, 'ends_on', '');
    }
    await submit(page, 'Add the specialist');
  }
  assert.equal(await page.locator('.govuk-warning-text').count(), 0);
  await clean(page, 'taskforce page with four types');

  await page.getByRole('link', { name: 'Record an agreement' }).click();
  await page.getByLabel('Data sharing agreement').check();
  await page.getByLabel('Partner').fill('NHS CAMHS');
  await fillDate(page, 'signed_on', addDays(TODAY, -400));
  await fillDate(page, 'review_on', addDays(TODAY, -35));
  await submit(page, 'Save the agreement');
  assert.match(await page.locator('table').filter({ hasText: 'NHS CAMHS' }).textContent(), /Review overdue/);

  await page.getByRole('link', { name: 'Record a referral' }).click();
  await clean(page, 'referral form');
  await page.getByLabel("Pupil's UPN").fill(upn);
  await page.getByLabel('Informal: conversation or email from AP staff').check();
  await fillDate(page, 'referred_on', PAST);
  await submit(page, 'Save the referral');
  assert.match(await page.locator('.govuk-summary-list').textContent(), /Outreach/);
  await page.getByLabel('Accepted for support').check();
  await submit(page, 'Save the decision');
  assert.match(await page.locator('.govuk-error-summary').textContent(), /Select the tier of support/);
  await clean(page, 'triage with errors');
  await page.getByLabel('Targeted individual or group work').check();
  await page.getByLabel('Lead specialist').selectOption({ label: 'Cal Moss (Youth and family worker)' });
  await submit(page, 'Save the decision');
  assert.match(await page.locator('.govuk-notification-banner').textContent(), /Triage decision saved/);
  await clean(page, 'referral page');
  // Consent, as the family gave it: for the youth worker.
  await page.getByLabel('The family (a parent or carer) agreed').check();
  await submit(page, 'Save the consent');
  assert.match(await page.locator('.govuk-error-summary').textContent(), /Enter who gave consent/);
  await clean(page, 'consent with errors');
  await page.getByLabel('Who gave consent').fill('Jo Example, mother');
  await fillDate(page, 'consent_on', PAST);
  await page.getByLabel('Youth and family worker', { exact: true }).check();
  await submit(page, 'Save the consent');
  assert.match(await page.locator('.govuk-notification-banner').textContent(), /Consent saved/);
  assert.match(await page.locator('.govuk-summary-list').textContent(), /Covers: Youth and family worker/);
  await clean(page, 'referral page with consent');

  await page.goto(home);
  await fillDate(page, 'date', TODAY);
  await submit(page, 'Add a case meeting');
  await clean(page, 'case meeting');
  await page.getByLabel('Significant event', { exact: true }).check();
  await page.getByLabel('Kind of significant event').selectOption({ label: 'Safeguarding incident' });
  await page.getByLabel('Decision and actions').fill('DSL informed; family visit by the youth worker');
  await page.getByLabel('The Taskforce Manager', { exact: true }).check();
  await submit(page, 'Save the decision');
  assert.match(await page.locator('.govuk-summary-list').textContent(), /Safeguarding incident/);
  await clean(page, 'case meeting with a decision');

  await page.goto(`${home}/interventions/new`);
  await page.getByLabel('Specialist', { exact: true }).selectOption({ label: 'Cal Moss (Youth and family worker)' });
  await page.getByLabel('Out of school hours').check();
  await fillDate(page, 'delivered_on', PAST);
  await page.getByLabel('Time in minutes').fill('120');
  await submit(page, 'Save the time');
  await page.goto(`${home}/interventions`);
  assert.match(await page.locator('table').textContent(), /Out of school hours/);
  await clean(page, 'intervention log');

  await page.goto(`${home}/return`);
  assert.match(await page.locator('table').first().textContent(), /Pupils supported\s*c/);
  assert.match(await page.locator('body').textContent(), /Youth and family worker\s*2/);
  await clean(page, 'MI return');

  // Money actually spent, against the plan.
  await page.getByRole('link', { name: 'Record money spent' }).click();
  await page.getByLabel('Taskforce Manager', { exact: true }).check();
  await fillDate(page, 'period_from', addDays(TODAY, -30));
  await fillDate(page, 'period_to', TODAY);
  await page.getByLabel('Amount spent, in pounds').fill('a lot');
  await submit(page, 'Save the cost');
  assert.match(await page.locator('.govuk-error-summary').textContent(), /Enter the amount in pounds/);
  await clean(page, 'cost form with an error');
  await page.getByLabel('Amount spent, in pounds').fill('3000');
  await submit(page, 'Save the cost');
  await page.goto(`${home}/return`);
  const cmp = await page.locator('#planned-actual').textContent();
  assert.match(cmp, /Taskforce Manager\s*£[\d,]+\s*£3,000\s*[+-]£[\d,]+\s*entered/);
  await clean(page, 'MI return with costs planned and actual');

  // Entered by mistake: voided with a reason, kept in the list, out of the actual figure.
  await page.locator('#cost-entries').getByRole('link', { name: /^Void/ }).first().click();
  await submit(page, 'Void the entry');
  assert.match(await page.locator('.govuk-error-summary').textContent(), /Say why the entry is voided/);
  await clean(page, 'void form with an error');
  await page.getByLabel('Why is it voided?').fill('Entered for the wrong month');
  await submit(page, 'Void the entry');
  assert.match(await page.locator('body').textContent(), /Entry voided/);
  assert.match(await page.locator('#cost-entries').textContent(), /Voided\s*Entered for the wrong month/);
  assert.match(await page.locator('#planned-actual').textContent(), /Taskforce Manager\s*£[\d,]+\s*Not entered/);
  await clean(page, 'MI return with a voided cost');

  // Time logged by mistake, from the log.
  await page.goto(`${home}/interventions`);
  await page.getByRole('link', { name: /^Void/ }).first().click();
  await page.getByLabel('Why is it voided?').fill('Logged twice');
  await submit(page, 'Void the entry');
  assert.match(await page.locator('table').textContent(), /Voided\s*Logged twice/);
  await clean(page, 'intervention log with a voided entry');
});
