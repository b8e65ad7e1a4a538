// The pooled budget in a browser: the approver adds a budget year,
// records a partner's contribution (after a mistake) and allocates to a
// team; the team's budget holder commits spend above their limit, which
// waits; the approver approves it from the queue; the holder records the
// payment.  axe-core on every page, errors included.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { launchBrowser, checkA11y, startServer, signInPage, dbSql } from './harness.mjs';
import { TODAY, nowSeconds, tasBin } from '../http/harness.mjs';

let srv, browser, team;
const START = Number(TODAY.slice(5, 7)) >= 4 ? Number(TODAY.slice(0, 4)) : Number(TODAY.slice(0, 4)) - 1;
const LABEL = `${START}-${String((START + 1) % 100).padStart(2, '0')}`;

function sql(q) {
  return dbSql(srv.db, q);
}

function cliUser(username, password, args) {
  const r = spawnSync(tasBin(), ['user', 'add', username, '--db', srv.db, '--name', `Test ${username}`, ...args],
    { input: `${password}\n`, encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, r.stderr);
}

before(async () => {
  srv = await startServer({ seed: 21 });
  browser = await launchBrowser();
  const now = nowSeconds();
  team = Number(sql(`INSERT INTO teams (authority_id, host_school_id, name, cadence, created_at, updated_at)
    SELECT authority_id, id, 'Riverside TAS', 'three_weekly', ${now}, ${now} FROM schools WHERE id = 1 RETURNING id;`));
  sql(`INSERT INTO team_schools VALUES (${team}, 1);`);
  const authority = sql('SELECT authority_id FROM schools WHERE id = 1');
  cliUser('approver', 'pool-keeper-pass-9', ['--role', 'budget_approver', '--scope', 'authority', '--scope-id', authority]);
  cliUser('holder', 'team-spender-pass-9', ['--role', 'budget_holder', '--scope', 'team', '--scope-id', String(team),
    '--authority-id', authority]);
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

async function fillDate(page, name, iso) {
  await page.locator(`#f-${name}-day`).fill(iso.slice(8));
  await page.locator(`#f-${name}-month`).fill(iso.slice(5, 7));
  await page.locator(`#f-${name}-year`).fill(iso.slice(0, 4));
}

test('the pooled budget: a year, a contribution, an allocation, a commitment approved and paid', async () => {
  const ap = await (await browser.newContext()).newPage();
  await signInPage(ap, srv.base, 'approver', 'pool-keeper-pass-9');
  await ap.goto(`${srv.base}/`);
  await Promise.all([ap.waitForLoadState('load'), ap.getByRole('link', { name: 'Pooled budget' }).first().click()]);
  assert.match(await ap.locator('h1').textContent(), /Pooled budget/);
  await clean(ap, 'the budget overview, empty');
  await Promise.all([ap.waitForLoadState('load'), ap.getByRole('link', { name: 'Add a budget year' }).click()]);
  await ap.getByLabel('The year it starts in').fill('20');
  await submit(ap, 'Add the budget year');
  assert.match(await ap.locator('.govuk-error-summary').textContent(), /from 2000 to 2099/);
  await clean(ap, 'the year form with an error');
  await ap.getByLabel('The year it starts in').fill(String(START));
  await submit(ap, 'Add the budget year');
  assert.equal(await ap.locator('h1').textContent(), `Pooled budget ${LABEL}`);
  await clean(ap, 'a new budget year');

  await ap.getByLabel('Partner', { exact: true }).selectOption('police');
  await ap.getByLabel('Amount, in pounds').fill('12,50.00');
  await fillDate(ap, 'received_on', `${START}-05-02`);
  await submit(ap, 'Record the contribution');
  assert.match(await ap.locator('.govuk-error-summary').textContent(), /pounds and pence/);
  await clean(ap, 'the contribution form with an error');
  await ap.getByLabel('Amount, in pounds').fill('12,500.00');
  await submit(ap, 'Record the contribution');
  assert.match(await ap.locator('.govuk-notification-banner').textContent(), /Contribution recorded/);
  const pool = await ap.locator('.govuk-summary-list__row', { hasText: 'Paid into the pool' }).textContent();
  assert.match(pool, /£12,500\.00/);
  assert.match(await ap.locator('table', { hasText: 'Police' }).textContent(), new RegExp(`2 May ${START}`));

  await ap.getByLabel('Team').selectOption(String(team));
  await ap.getByLabel('Allocation, in pounds').fill('10000');
  await submit(ap, 'Save the allocation');
  assert.match(await ap.locator('.govuk-notification-banner').textContent(), /Allocation saved/);
  await clean(ap, 'the year with its allocation');

  // The holder commits more than their limit (£2,500.00 by default).
  const ho = await (await browser.newContext()).newPage();
  await signInPage(ho, srv.base, 'holder', 'team-spender-pass-9');
  await ho.goto(`${srv.base}/budget`);
  await clean(ho, 'the holder\'s overview');
  await Promise.all([ho.waitForLoadState('load'), ho.getByRole('link', { name: 'Riverside TAS' }).click()]);
  await ho.getByLabel('What the money is for').fill('Family support worker, one term');
  await ho.getByLabel('Amount, in pounds').fill('3,000');
  await fillDate(ho, 'committed_on', TODAY);
  await submit(ho, 'Commit the spend');
  assert.match(await ho.locator('.govuk-notification-banner').textContent(), /awaiting approval/);
  assert.match(await ho.getByRole('table', { name: /Commitments against this allocation/ }).textContent(),
    /Awaiting approval/);
  // The allocation's history: its one setting so far, with nothing before it.
  assert.match(await ho.getByRole('table', { name: /Each setting of this allocation/ }).textContent(), /Not set/);
  await clean(ho, 'the allocation with a pending commitment');

  await ap.goto(`${srv.base}/budget/approvals`);
  await clean(ap, 'the approvals queue');
  await Promise.all([ap.waitForLoadState('load'),
    ap.getByRole('link', { name: 'Family support worker, one term' }).click()]);
  await submit(ap, 'Save the decision');
  assert.match(await ap.locator('.govuk-error-summary').textContent(), /Select approve or refuse/);
  await clean(ap, 'the decision with an error');
  await ap.getByLabel('Approve').check();
  await submit(ap, 'Save the decision');
  assert.match(await ap.locator('.govuk-notification-banner').textContent(), /Commitment approved/);
  assert.match(await ap.locator('table', { hasText: 'Decision' }).textContent(), /Test approver \(Budget approver\)/);
  await clean(ap, 'an approved commitment');

  await ho.goto(ap.url().replace(/\?.*$/, ''));
  await ho.getByLabel('Amount paid, in pounds').fill('1000');
  await fillDate(ho, 'paid_on', TODAY);
  await ho.getByLabel('Invoice or payment reference').fill('INV-77');
  await submit(ho, 'Record the payment');
  assert.match(await ho.locator('.govuk-notification-banner').textContent(), /Payment recorded/);
  assert.match(await ho.locator('table', { hasText: 'INV-77' }).textContent(), /£1,000\.00/);
  assert.match(await ho.locator('p', { hasText: 'not yet paid' }).textContent(), /£2,000\.00/);
  await clean(ho, 'a commitment part paid');
  // Recorded by mistake: voided from its own page, with a reason.
  const commitmentUrl = ho.url().replace(/\?.*$/, '');
  await Promise.all([ho.waitForLoadState('load'),
    ho.locator('table', { hasText: 'INV-77' }).getByRole('link').first().click()]);
  await submit(ho, 'Void this payment');
  assert.match(await ho.locator('.govuk-error-summary').textContent(), /Say why the payment is voided/);
  await clean(ho, 'the payment page with an error');
  await ho.getByLabel('Why is it voided?').fill('Paid against the wrong commitment');
  await submit(ho, 'Void this payment');
  assert.match(await ho.locator('.govuk-notification-banner').textContent(), /Payment voided/);
  await clean(ho, 'a voided payment');
  await ho.goto(commitmentUrl);
  assert.match(await ho.locator('table', { hasText: 'INV-77' }).textContent(), /Voided/);
  assert.match(await ho.locator('p', { hasText: 'not yet paid' }).textContent(), /£3,000\.00/);
});

test('commissioning and the board\'s report: the catalogue, a decision, the report and its unit costs', async () => {
  const ap = await (await browser.newContext()).newPage();
  await signInPage(ap, srv.base, 'approver', 'pool-keeper-pass-9');
  await ap.goto(`${srv.base}/budget`);
  await Promise.all([ap.waitForLoadState('load'), ap.getByRole('link', { name: 'Interventions catalogue' }).click()]);
  await clean(ap, 'the empty catalogue');
  await ap.getByLabel('Name', { exact: true }).fill('Mentoring');
  await ap.getByLabel('Provider').fill('Youth Trust');
  await ap.getByLabel('Bought by the').selectOption('session');
  await ap.getByLabel('Cost of one unit, in pounds').fill('45');
  await ap.getByLabel('Pupils it takes at once').fill('6');
  await submit(ap, 'Add the intervention');
  assert.match(await ap.locator('.govuk-error-summary').textContent(), /Select the outcomes it aims at/);
  await clean(ap, 'the catalogue form with an error');
  await ap.getByLabel('Attendance').check();
  await submit(ap, 'Add the intervention');
  assert.match(await ap.locator('.govuk-notification-banner').textContent(), /Intervention added/);
  assert.match(await ap.locator('table').textContent(), /£45\.00/);
  await clean(ap, 'the catalogue');

  const ho = await (await browser.newContext()).newPage();
  await signInPage(ho, srv.base, 'holder', 'team-spender-pass-9');
  await ho.goto(`${srv.base}/budget`);
  await Promise.all([ho.waitForLoadState('load'), ho.getByRole('link', { name: 'Riverside TAS' }).click()]);
  await ho.getByLabel('Intervention').selectOption({ label: 'Mentoring (Youth Trust), £45.00 a session' });
  await ho.getByLabel('Number of units').fill('10');
  await fillDate(ho, 'commission_on', TODAY);
  await submit(ho, 'Commission it');
  assert.match(await ho.locator('.govuk-notification-banner').textContent(), /Spend committed/);
  assert.match(await ho.getByRole('table', { name: /Commitments against this allocation/ }).textContent(),
    /Mentoring \(Youth Trust\): 10 x Session/);
  await clean(ho, 'the allocation with a commissioning decision');

  await ap.goto(`${srv.base}/budget`);
  await Promise.all([ap.waitForLoadState('load'), ap.getByRole('link', { name: LABEL }).click()]);
  await Promise.all([ap.waitForLoadState('load'),
    ap.getByRole('link', { name: 'Report to the safeguarding partnership' }).click()]);
  assert.match(await ap.locator('h1').textContent(), /report to the safeguarding partnership/);
  assert.match(await ap.locator('table', { hasText: 'Unit costs and break-even' }).textContent(), /IPPR/);
  await clean(ap, 'the board\'s report');
  await ap.goto(`${srv.base}/budget/costs`);
  await clean(ap, 'the unit costs');
  await ap.getByLabel('Unit cost', { exact: true }).selectOption('paediatrics_referral');
  await ap.getByLabel('Cost, in pounds').fill('three hundred');
  await submit(ap, 'Save the unit cost');
  assert.match(await ap.locator('.govuk-error-summary').textContent(), /pounds and pence/);
  await clean(ap, 'the unit costs with an error');
  await ap.getByLabel('Cost, in pounds').fill('300');
  await submit(ap, 'Save the unit cost');
  assert.match(await ap.locator('.govuk-summary-list').textContent(), /£300\.00 \(set by the authority\)/);
});

test('putting mistakes right: a contribution corrected, a commissioning decision corrected then voided', async () => {
  const ap = await (await browser.newContext()).newPage();
  await signInPage(ap, srv.base, 'approver', 'pool-keeper-pass-9');
  await ap.goto(`${srv.base}/budget`);
  await Promise.all([ap.waitForLoadState('load'), ap.getByRole('link', { name: LABEL }).click()]);
  await Promise.all([ap.waitForLoadState('load'), ap.getByRole('link', { name: 'Police' }).click()]);
  await clean(ap, 'a contribution');
  await ap.getByLabel('Amount, in pounds').fill('12,600.00');
  await submit(ap, 'Save the correction');
  assert.match(await ap.locator('.govuk-error-summary').textContent(), /Say why the contribution is corrected/);
  await clean(ap, 'the contribution correction with an error');
  await ap.getByLabel('Why is it corrected?').fill('The remittance advice says £12,600');
  await submit(ap, 'Save the correction');
  assert.match(await ap.locator('.govuk-notification-banner').textContent(), /Contribution corrected/);
  assert.match(await ap.locator('table', { hasText: 'Why' }).textContent(), /remittance advice/);
  await clean(ap, 'a corrected contribution');

  const ho = await (await browser.newContext()).newPage();
  await signInPage(ho, srv.base, 'holder', 'team-spender-pass-9');
  await ho.goto(`${srv.base}/budget`);
  await Promise.all([ho.waitForLoadState('load'), ho.getByRole('link', { name: 'Riverside TAS' }).click()]);
  await Promise.all([ho.waitForLoadState('load'),
    ho.getByRole('link', { name: 'Mentoring (Youth Trust): 10 x Session' }).click()]);
  await ho.getByLabel('Number of units').fill('12');
  await ho.getByLabel('Why is it corrected?').fill('Two more sessions agreed');
  await submit(ho, 'Save the correction');
  assert.match(await ho.locator('.govuk-notification-banner').textContent(), /Commitment corrected/);
  assert.match(await ho.locator('.govuk-summary-list').textContent(), /£540\.00/);
  await clean(ho, 'a corrected commissioning decision');
  await submit(ho, 'Void this commitment');
  assert.match(await ho.locator('.govuk-error-summary').textContent(), /Say why the commitment is voided/);
  await clean(ho, 'the void form with an error');
  await ho.getByLabel('Why is it voided?').fill('Commissioned for the wrong team');
  await submit(ho, 'Void this commitment');
  assert.match(await ho.locator('.govuk-notification-banner').textContent(), /Commitment voided/);
  assert.match(await ho.locator('.govuk-warning-text').textContent(), /Voided: Commissioned for the wrong team/);
  await clean(ho, 'a voided commitment');
});
