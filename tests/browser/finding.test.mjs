// Finding things and putting mistakes right, in a browser (issue 10, items 3,
// 5 and 7): a deep link survives signing in; the meetings list's filters are
// on the page; "held" is confirmed before it is recorded and undone the same
// day with a reason (an error first); a closure day on a planned meeting is
// flagged on the term dates page with a button that moves the meeting.
// axe-core runs on every page visited; no console or CSP errors allowed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, checkA11y, startServer, collectPageErrors, signInPage } from './harness.mjs';
import { api, openCase, signedIn, sql } from '../http/case_fixture.mjs';
import { DEMO_PASSWORD, TODAY, addDays, nowSeconds, academicYearOf } from '../http/harness.mjs';

let srv, browser;
const ids = {};
before(async () => {
  srv = await startServer({ seed: 5 });
  browser = await launchBrowser();
  const [coord, head] = await Promise.all([signedIn(srv, 'coordinator'), signedIn(srv, 'head')]);
  const a = await openCase(coord, head.me.roles[0].scope_id, { teamName: 'Browser finding TAS' });
  ids.team = a.team;
  const now = nowSeconds();
  // A meeting last week still planned (to mark held) and one a few weeks on (to clash with a closure).
  let past = addDays(TODAY, -7);
  while ([0, 6].includes(new Date(`${past}T00:00:00Z`).getUTCDay())) past = addDays(past, -1);
  ids.past = Number(sql(srv, `INSERT INTO meetings (team_id, meeting_date, start_time, status, created_at, updated_at)
    VALUES (${ids.team}, '${past}', '13:30', 'planned', ${now}, ${now}) RETURNING id;`));
  // A school day a week or more ahead, in a half-term (closure days are only in term).
  const terms = sql(srv, `SELECT starts_on || ' ' || ends_on FROM term_dates WHERE authority_id =
    (SELECT authority_id FROM teams WHERE id = ${ids.team}) ORDER BY starts_on;`).split('\n').map((l) => l.split(' '));
  let ahead = null;
  for (const [starts, ends] of terms) {
    let d = starts > addDays(TODAY, 7) ? starts : addDays(TODAY, 7);
    while (d <= ends && [0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay())) d = addDays(d, 1);
    if (d <= ends) { ahead = d; break; }
  }
  assert.ok(ahead, 'a school day ahead');
  ids.ahead = Number(sql(srv, `INSERT INTO meetings (team_id, meeting_date, start_time, status, created_at, updated_at)
    VALUES (${ids.team}, '${ahead}', '13:30', 'planned', ${now}, ${now}) RETURNING id;`));
  ids.aheadDate = ahead;
  ids.coord = coord;
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

test('a deep link leads through signing in to the page asked for; the meetings filters are on the page', async () => {
  const page = await browser.newPage();
  const errors = collectPageErrors(page);
  await page.goto(`${srv.base}/meetings?order=oldest&status=planned`);
  assert.equal(new URL(page.url()).pathname, '/sign-in');
  await clean(page, 'the sign-in page from a deep link');
  await page.fill('input[name="username"]', 'coordinator');
  await page.fill('input[name="password"]', DEMO_PASSWORD);
  await click(page, page.locator('form[action="/sign-in"] [type="submit"]').first());
  const at = new URL(page.url());
  assert.equal(at.pathname + at.search, '/meetings?order=oldest&status=planned');
  await clean(page, 'the meetings list');
  // Filter by the team on the page.
  await page.getByLabel('Team', { exact: true }).selectOption(String(ids.team));
  await page.getByLabel('Status', { exact: true }).selectOption('');
  await click(page, page.getByRole('button', { name: 'Show meetings' }));
  assert.equal(new URL(page.url()).searchParams.get('team'), String(ids.team));
  const hrefs = await page.locator('tbody a[href^="/meetings/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(hrefs.sort(), [`/meetings/${ids.past}`, `/meetings/${ids.ahead}`].sort());
  assert.match(await page.locator('main').textContent(), /Clear filters/);
  await clean(page, 'the meetings list, filtered');
  assert.deepEqual(errors, []);
  await page.close();
});

test('"held" is confirmed first, and undone the same day with a reason', async () => {
  const page = await browser.newPage();
  const errors = collectPageErrors(page);
  await signInPage(page, srv.base, 'coordinator');
  await page.goto(`${srv.base}/meetings/${ids.past}`);
  await page.getByRole('radio', { name: 'In person', exact: true }).check();
  await click(page, page.getByRole('button', { name: 'Mark as held' }));
  await clean(page, 'the confirmation before marking held');
  assert.equal((await api(ids.coord, 'GET', `/api/v1/meetings/${ids.past}`)).body.meeting.status, 'planned');
  await click(page, page.getByRole('button', { name: 'Yes, mark as held' }));
  assert.equal((await api(ids.coord, 'GET', `/api/v1/meetings/${ids.past}`)).body.meeting.status, 'held');
  await page.locator('.govuk-details__summary-text', { hasText: 'Marked as held by mistake?' }).click();
  await click(page, page.getByRole('button', { name: 'Undo "held"' }));
  assert.match(await page.locator('.govuk-error-summary').textContent(), /Enter why the meeting was marked as held by mistake/);
  await clean(page, 'the undo with an error');
  await page.getByLabel('Why was it marked as held by mistake?').fill('Wrong meeting ticked');
  await click(page, page.getByRole('button', { name: 'Undo "held"' }));
  assert.equal((await api(ids.coord, 'GET', `/api/v1/meetings/${ids.past}`)).body.meeting.status, 'planned');
  await clean(page, 'the meeting, planned again');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a closure day on a planned meeting is flagged on the term dates page, and the meeting moved', async () => {
  const page = await browser.newPage();
  const errors = collectPageErrors(page);
  await signInPage(page, srv.base, 'coordinator');
  await page.goto(`${srv.base}/term-dates/${academicYearOf(ids.aheadDate)}/edit`);
  await clean(page, 'the term dates page');
  const [y, m, d] = ids.aheadDate.split('-').map((x) => String(Number(x)));
  await page.locator('[name="closed_on-day"]').fill(d);
  await page.locator('[name="closed_on-month"]').fill(m);
  await page.locator('[name="closed_on-year"]').fill(y);
  await page.locator('[name="reason"]').fill('Staff training day');
  await click(page, page.locator('button[name="action"][value="add_closure"]'));
  const main = await page.locator('main').textContent();
  assert.match(main, /Planned meetings fall on closure days/);
  await clean(page, 'the term dates page with a clash');
  const form = page.locator(`form[action="/meetings/${ids.ahead}/move"]`).first();
  await click(page, form.locator('button[type="submit"]'));
  const moved = (await api(ids.coord, 'GET', `/api/v1/meetings/${ids.ahead}`)).body.meeting.date;
  assert.ok(moved > ids.aheadDate, `moved later: ${moved}`);
  assert.deepEqual(errors, []);
  await page.close();
});
