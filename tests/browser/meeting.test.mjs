// The meeting in a browser (issue 10, item 6; issue 13, item 5): the
// coordinator reorders the agenda and sets an item's time with plain POST
// forms, adds an action from the minutes page with the meeting chosen,
// adds a year group to the agenda and an action for it, and prints the
// packs.  axe-core runs on every page visited (zero violations); no
// console or CSP errors are allowed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, checkA11y, startServer, signInPage, collectPageErrors } from './harness.mjs';
import { api, openCase, signedIn, sql } from '../http/case_fixture.mjs';
import { nowSeconds, TODAY } from '../http/harness.mjs';

let srv, browser;
const ids = {};
before(async () => {
  srv = await startServer({ seed: 3 });
  browser = await launchBrowser();
  const [coord, head] = await Promise.all([signedIn(srv, 'coordinator'), signedIn(srv, 'head')]);
  const school = head.me.roles[0].scope_id;
  const a = await openCase(coord, school, { teamName: 'Browser meeting TAS', services: ['ep'] });
  Object.assign(ids, a);
  const b = (await api(coord, 'GET', `/api/v1/pupils?school=${school}&per_page=5`)).body.pupils
    .filter((p) => p.school.id === school)[1];
  assert.equal((await api(coord, 'POST', `/api/v1/pupils/${b.id}/consents`, { given_by: 'Jo Example',
    relationship: 'mother', given_on: '2025-09-10', covers_discussion: 'yes', service_ids: [] })).status, 201);
  const kb = await api(coord, 'POST', `/api/v1/pupils/${b.id}/cases`, { team_id: ids.team, need_semh: 'Quiet.' });
  assert.equal(kb.status, 201);
  ids.caseB = kb.body.case.id;
  ids.nameB = `${b.forenames} ${b.surname}`;
  sql(srv, `UPDATE teams SET location = 'Library, host school' WHERE id = ${ids.team};`);
  const now = nowSeconds();
  ids.meeting = Number(sql(srv, `INSERT INTO meetings (team_id, meeting_date, start_time, status, created_at, updated_at)
    VALUES (${ids.team}, '${TODAY}', '13:30', 'held', ${now}, ${now}) RETURNING id;`));
  for (const c of [ids.case, ids.caseB])
    assert.equal((await api(coord, 'POST', `/api/v1/meetings/${ids.meeting}/agenda`, { case_id: c })).status, 201);
  const items = (await api(coord, 'GET', `/api/v1/meetings/${ids.meeting}/agenda`)).body.items;
  ids.disc = items.find((i) => i.case_id === ids.case).id;
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function clean(page, what) {
  const v = await checkA11y(page);
  assert.deepEqual(v, [], `accessibility problems on ${what} (${page.url()}):\n${v.join('\n')}`);
}

async function click(page, locator) {
  await Promise.all([page.waitForLoadState('load'), locator.click()]);
}

test('the running order: move an item up and give it more time, without JavaScript', async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await signInPage(page, srv.base, 'coordinator');
  await page.goto(`${srv.base}/meetings/${ids.meeting}/agenda`);
  const table = page.getByRole('table', { name: 'Running order with times' });
  const rows = table.locator('tbody tr');
  assert.equal(await rows.count(), 2);
  assert.match(await page.locator('main').textContent(), /Location: Library, host school/);
  const second = (await rows.nth(1).locator('td').nth(1).textContent()).trim();
  await click(page, page.getByRole('button', { name: 'Move up item 2' }));
  assert.match(page.url(), /saved=moved/);
  assert.equal((await rows.nth(0).locator('td').nth(1).textContent()).trim().replace(/^1\. /, ''),
    second.replace(/^2\. /, ''));
  // The sections below list their cases in the same order as the running order.
  const newCases = page.getByRole('table', { name: 'New cases' }).locator('tbody tr td:first-child a');
  const runningNames = (await rows.locator('td:nth-child(2) a').allTextContents()).map((x) => x.trim());
  assert.deepEqual((await newCases.allTextContents()).map((x) => x.trim()), runningNames);
  await page.getByLabel('Minutes for item 1').fill('30');
  await click(page, page.getByRole('button', { name: 'Set the minutes for item 1' }));
  assert.match(await rows.nth(0).locator('td').nth(0).textContent(), /13:30 to 14:00/);
  assert.match(await rows.nth(1).locator('td').nth(0).textContent(), /14:00 to 14:15/);
  await ctx.close();
  // The same page with JavaScript, checked by axe.
  const p2 = await browser.newPage();
  const errors = collectPageErrors(p2);
  await signInPage(p2, srv.base, 'coordinator');
  await p2.goto(`${srv.base}/meetings/${ids.meeting}/agenda`);
  await clean(p2, 'the agenda with its running order');
  assert.deepEqual(errors, []);
  await p2.close();
});

test('an action added from the minutes page has the meeting chosen and returns to the minutes', async () => {
  const page = await browser.newPage();
  const errors = collectPageErrors(page);
  await signInPage(page, srv.base, 'coordinator');
  await page.goto(`${srv.base}/discussions/${ids.disc}`);
  await clean(page, 'the minutes page');
  await click(page, page.getByRole('link', { name: 'Add an action agreed at this meeting' }));
  await clean(page, 'the action form from the minutes');
  const chosen = await page.getByLabel('Meeting where it was agreed (optional)').inputValue();
  assert.equal(chosen, String(ids.disc));
  await page.getByLabel('What will be done').fill('Class teacher to check in each morning');
  await page.getByLabel('Person or role (optional)').fill('Class teacher');
  await page.getByRole('radio', { name: 'In school', exact: true }).check();
  await page.getByRole('radio', { name: 'Informal advice or consultation', exact: true }).check();
  await click(page, page.getByRole('button', { name: 'Add the action' }));
  assert.match(page.url(), new RegExp(`/discussions/${ids.disc}\\?saved=action$`));
  assert.match(await page.locator('main').textContent(), /Class teacher to check in each morning/);
  await clean(page, 'the minutes page with the new action');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a year group on the agenda, with an action; the packs print without the menus', async () => {
  const page = await browser.newPage();
  const errors = collectPageErrors(page);
  await signInPage(page, srv.base, 'coordinator');
  await page.goto(`${srv.base}/meetings/${ids.meeting}/agenda`);
  await click(page, page.getByRole('link', { name: 'Add a year group or cohort to the agenda' }));
  await clean(page, 'the cohort form');
  assert.match(await page.locator('main').textContent(), /Do not name children/);
  await page.getByLabel('Year group or cohort discussed').fill('Year 6 transition to secondary');
  await page.getByLabel('Year group (optional)').selectOption('6');
  await click(page, page.getByRole('button', { name: 'Add to the agenda' }));
  assert.match(page.url(), /\/cohort-discussions\/\d+\?saved=added/);
  await clean(page, 'the cohort discussion');
  await page.getByLabel('What was discussed and agreed').fill('Visits to the two secondary schools before June.');
  await click(page, page.getByRole('button', { name: 'Save minutes' }));
  await click(page, page.getByRole('link', { name: 'Add an action for this cohort' }));
  await clean(page, 'the cohort action form');
  await page.getByLabel('What will be done').fill('Year 6 lead to arrange the visits');
  await page.getByLabel('Person or role (optional)').fill('Year 6 lead');
  await click(page, page.getByRole('button', { name: 'Add the action' }));
  assert.match(await page.locator('main').textContent(), /Year 6 lead to arrange the visits/);
  await click(page, page.getByRole('link', { name: 'Year 6 lead to arrange the visits' }));
  await clean(page, 'the cohort action');
  await page.getByRole('radio', { name: 'Done', exact: true }).check();
  await click(page, page.getByRole('button', { name: 'Save' }));
  assert.match(await page.locator('main').textContent(), /Status saved/);
  // Changed like a pupil's action: the description, owner and due date, errors the GOV.UK way.
  await click(page, page.getByRole('link', { name: 'Change the action, its owner or due date' }));
  await clean(page, 'the cohort action change form');
  await page.getByLabel('What will be done').fill('Year 6 lead to arrange both visits');
  await page.locator('[name="due_on-day"]').fill('31');
  await page.locator('[name="due_on-month"]').fill('2');
  await page.locator('[name="due_on-year"]').fill('2027');
  await click(page, page.getByRole('button', { name: 'Save changes' }));
  assert.match(await page.locator('.govuk-error-summary').textContent(), /The due date must be a real date/);
  assert.equal(await page.getByLabel('What will be done').inputValue(), 'Year 6 lead to arrange both visits');
  await clean(page, 'the cohort action change form with an error');
  await page.locator('.govuk-error-summary a[href="#f-due_on-day"]').click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'f-due_on-day');
  await page.locator('[name="due_on-day"]').fill('26');
  await click(page, page.getByRole('button', { name: 'Save changes' }));
  const changed = await page.locator('main').textContent();
  assert.match(changed, /Action changed/);
  assert.match(changed, /Year 6 lead to arrange both visits/);
  assert.match(changed, /26 February 2027/);

  for (const [p, what] of [['agenda', 'the agenda pack'], ['minutes', 'the minutes-and-actions pack']]) {
    await page.goto(`${srv.base}/meetings/${ids.meeting}/pack/${p}`);
    await clean(page, what);
    const main = await page.locator('main').textContent();
    assert.match(main, /Library, host school/);
    assert.match(main, /Year 6 transition to secondary/);
    assert.ok(main.includes(ids.nameB));
    // Printed: no header, navigation or links' addresses; each item kept whole.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.govuk-service-navigation, .govuk-header, .govuk-generic-header').first()
      .evaluate((e) => getComputedStyle(e).display), 'none');
    assert.equal(await page.locator('.tas-pack__item').first().evaluate((e) => getComputedStyle(e).breakInside), 'avoid');
    await page.emulateMedia({ media: 'screen' });
  }
  await page.goto(`${srv.base}/meetings/${ids.meeting}`);
  assert.match(await page.locator('main').textContent(), /Library, host school/);
  await clean(page, 'the meeting page');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a team meeting on dates it lists: one GOV.UK date input a date, errors linked to their row', async () => {
  const page = await browser.newPage();
  const errors = collectPageErrors(page);
  await signInPage(page, srv.base, 'coordinator');
  await page.goto(`${srv.base}/teams/new`);
  await clean(page, 'the team form');
  assert.equal(await page.locator('textarea[name="dates"]').count(), 0);
  await page.getByLabel('Host school').selectOption({ index: 1 });
  await page.getByLabel('Team name').fill('Listed dates TAS');
  await page.getByRole('radio', { name: /dates/i }).first().check();
  const y = Number(TODAY.slice(0, 4)) + 1;
  await page.locator('[name="date1-day"]').fill('31');
  await page.locator('[name="date1-month"]').fill('2');
  await page.locator('[name="date1-year"]').fill(String(y));
  await page.locator('[name="date2-day"]').fill('3');
  await page.locator('[name="date2-year"]').fill(String(y));
  await click(page, page.getByRole('button', { name: 'Add team' }));
  const summary = page.locator('.govuk-error-summary');
  assert.match(await summary.textContent(), /Meeting date 1 must be a real date/);
  assert.match(await summary.textContent(), /Meeting date 2 must include a month/);
  assert.equal(await page.getByLabel('Team name').inputValue(), 'Listed dates TAS');
  assert.equal(await page.locator('[name="date1-day"]').inputValue(), '31');
  await clean(page, 'the team form with errors in its dates');
  await page.locator('.govuk-error-summary a[href="#f-date2-day"]').click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'f-date2-day');
  assert.deepEqual(errors, []);
  await page.close();
});
