// The TAS workflow in a browser, from scheduling meetings to closing a
// case: create a team, plan its year, add and hold a meeting, record a
// family's consent, bring the pupil to the team, put the case on the
// agenda, write the minutes and the feedback to the family, agree an
// action and complete it, and close the case.  axe-core runs on every page
// visited; no console or CSP errors are allowed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, checkA11y, startServer, signInPage, collectPageErrors } from './harness.mjs';
import { TODAY } from '../http/harness.mjs';

let srv, browser;
before(async () => {
  srv = await startServer({ seed: 21 });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

const visited = [];
async function clean(page, what) {
  visited.push(what);
  const v = await checkA11y(page);
  assert.deepEqual(v, [], `accessibility problems on ${what} (${page.url()}):\n${v.join('\n')}`);
}

async function submit(page, name) {
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name, exact: true }).click()]);
}

function today() {
  const d = new Date(`${TODAY}T00:00:00Z`);
  return [d.getUTCDate(), d.getUTCMonth() + 1, d.getUTCFullYear()];
}

test('from scheduling a meeting to closing a case', async () => {
  const page = await browser.newPage();
  const errors = collectPageErrors(page);
  await signInPage(page, srv.base, 'coordinator');

  // A team at the first school, meeting every three weeks.
  await page.goto(`${srv.base}/teams`);
  await clean(page, 'team list');
  await page.goto(`${srv.base}/teams/new`);
  await clean(page, 'new team form');
  const host = page.locator('select[name=host_school_id]');
  await host.selectOption({ index: 1 });
  const hostName = (await host.locator('option:checked').textContent()).trim();
  await page.locator('input[name=cadence][value=three_weekly]').check();
  await page.locator('input[name=weekday][value="3"]').check();
  await page.locator('input[name=service_ids]').first().check();
  await submit(page, 'Add team');
  assert.match(page.url(), /\/teams\/\d+/);
  const teamUrl = page.url().replace(/\?.*$/, '');
  await clean(page, 'team page');

  // Plan the year's meetings from the authority's term dates.
  await page.goto(`${teamUrl}/plan`);
  await clean(page, 'plan meetings');
  await submit(page, 'Plan meetings');
  assert.match(await page.textContent('main'), /meetings? planned/);
  await clean(page, 'after planning');

  // A meeting today, held.
  await page.goto(`${teamUrl}/meetings/new`);
  await clean(page, 'add meeting');
  const [d, m, y] = today();
  await page.locator('input[name=date-day]').fill(String(d));
  await page.locator('input[name=date-month]').fill(String(m));
  await page.locator('input[name=date-year]').fill(String(y));
  await page.locator('input[name=start_time]').fill('08:00');
  await submit(page, 'Add meeting');
  assert.match(page.url(), /\/meetings\/\d+/);
  const meetingUrl = page.url().replace(/\?.*$/, '');
  await clean(page, 'meeting page');
  await submit(page, 'Mark as held');
  assert.match(await page.textContent('h1'), /as held\?/);
  await clean(page, 'confirm the meeting was held');
  await submit(page, 'Yes, mark as held');
  assert.match(await page.textContent('main'), /Held/);
  await clean(page, 'held meeting');

  // A pupil of the host school: consent, then bring them to the team.
  await page.goto(`${srv.base}/pupils`);
  await page.locator('select[name=school]').selectOption({ label: hostName });
  await submit(page, 'Search');
  await clean(page, 'pupils of the school');
  await page.locator('table a').first().click();
  const pupilUrl = page.url().replace(/\?.*$/, '');
  await clean(page, 'pupil page without consent');
  assert.match(await page.textContent('main'), /no record of parental consent/i);
  await page.getByRole('link', { name: 'Record parental consent' }).click();
  await clean(page, 'consent form');
  await page.getByLabel('Name of the person giving consent').fill('Alex Carer');
  await page.getByLabel('Mother', { exact: true }).check();
  await page.getByLabel('Day').fill(String(d));
  await page.getByLabel('Month').fill(String(m));
  await page.getByLabel('Year').fill(String(y));
  await page.locator('input[name=covers_discussion][value=yes]').check();
  await submit(page, 'Record consent');
  assert.match(await page.textContent('main'), /Consent current/);
  await clean(page, 'pupil page with consent');
  await page.getByRole('button', { name: 'Bring to a Team Around the School' }).click();
  await clean(page, 'case form');
  await page.locator('select[name=team_id]').selectOption({ index: 1 });
  await page.getByLabel('Social, emotional and mental health').fill('Finds the start of the day hard');
  await page.getByLabel('Strengths').fill('Loves football');
  await page.locator('input[name=summary_before_meeting][value=yes]').check();
  await submit(page, 'Open the case');
  assert.match(page.url(), /\/cases\/\d+/);
  const caseUrl = page.url().replace(/\?.*$/, '');
  await clean(page, 'case page');

  // On the agenda, minutes and feedback.
  await page.goto(`${meetingUrl}/agenda`);
  await clean(page, 'agenda');
  await page.locator('select[name=case_id]').selectOption({ index: 1 });
  await submit(page, 'Add to the agenda');
  await clean(page, 'agenda with the case');
  await page.getByRole('link', { name: /Record minutes/ }).first().click();
  await clean(page, 'minutes form');
  await page.getByLabel('What was discussed and agreed').fill('School to offer a calm start; Early Help to call the family.');
  await page.getByLabel('Day').fill(String(d));
  await page.getByLabel('Month').fill(String(m));
  await page.getByLabel('Year').fill(String(y));
  await page.getByLabel('How the family was told').selectOption('phone');
  await page.getByLabel('Who told the family').fill('School SENCO');
  await submit(page, 'Save');
  assert.match(await page.textContent('main'), /Minutes recorded/);

  // An action, then done.
  await page.goto(`${caseUrl}/actions`);
  await clean(page, 'actions');
  await page.goto(`${caseUrl}/actions/new`);
  await clean(page, 'new action form');
  await page.locator('textarea[name=description], input[name=description]').first().fill('Offer a calm start in the nurture room');
  await page.locator('input[name=setting][value=school]').check();
  await page.locator('input[name=nature][value=school_adjustment]').check();
  const owner = page.locator('select[name=owner_service_id]');
  // The school: the family's consent here names no other service, and an
  // owner outside it is refused.
  if (await owner.count()) await owner.selectOption({ label: 'School' });
  const ownerName = page.locator('input[name=owner_name]');
  if (await ownerName.count()) await ownerName.fill('School SENCO');
  await page.locator('form button[type=submit]').last().click();
  await page.waitForLoadState('load');
  await clean(page, 'after adding an action');
  await page.goto(`${caseUrl}/actions`);
  await page.getByRole('link', { name: /calm start in the nurture room/ }).click();
  await clean(page, 'action page');
  await page.getByRole('button', { name: 'Update the status' }).click();
  await clean(page, 'action status form');
  await page.locator('input[name=status][value=done]').check();
  await page.locator('form button[type=submit]').last().click();
  await page.waitForLoadState('load');
  assert.match(await page.textContent('main'), /Done/);

  // Close the case.
  await page.goto(caseUrl);
  await page.getByRole('button', { name: 'Close the case' }).click();
  await clean(page, 'close case form');
  await page.getByLabel('Needs are being met; no further TAS support needed').check();
  await submit(page, 'Close the case');
  assert.match(await page.textContent('main'), /Closed/);
  await clean(page, 'closed case');

  // The pupil's chronology tells the story, newest first.
  await page.goto(`${pupilUrl}/chronology`);
  await clean(page, 'chronology');
  const story = await page.textContent('main');
  for (const bit of [/consent/i, /opened/i, /closed/i]) assert.match(story, bit);

  assert.deepEqual(errors, [], `page errors:\n${errors.join('\n')}`);
  assert.ok(visited.length >= 20, `visited ${visited.length} pages`);
  await page.close();
});
