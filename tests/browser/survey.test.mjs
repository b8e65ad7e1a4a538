// Fast feedback in a browser: a coordinator adds a questionnaire and makes
// links for a meeting; an attendee answers without signing in (an error
// first); an evaluator reads the results.  axe-core on every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { launchBrowser, checkA11y, startServer, signInPage } from './harness.mjs';
import { TODAY, addDays, nowSeconds } from '../http/harness.mjs';

let srv, browser, meeting;

function sql(q) {
  return execFileSync('sqlite3', ['-batch', '-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
}

before(async () => {
  srv = await startServer({ seed: 17 });
  browser = await launchBrowser();
  const now = nowSeconds();
  const team = Number(sql(`INSERT INTO teams (authority_id, host_school_id, name, cadence, created_at, updated_at)
    SELECT authority_id, id, 'North cluster TAS', 'three_weekly', ${now}, ${now} FROM schools WHERE id = 1 RETURNING id;`));
  sql(`INSERT INTO team_schools VALUES (${team}, 1);`);
  meeting = Number(sql(`INSERT INTO meetings (team_id, meeting_date, start_time, status, created_at, updated_at)
    VALUES (${team}, '${addDays(TODAY, -7)}', '13:30', 'held', ${now}, ${now}) RETURNING id;`));
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

test('fast feedback: questionnaire, links, an anonymous answer and the results', async () => {
  const coord = await (await browser.newContext()).newPage();
  await signInPage(coord, srv.base, 'coordinator');
  await coord.goto(`${srv.base}/questionnaires`);
  await clean(coord, 'questionnaires');
  await submit(coord, 'Add the questionnaire');
  assert.match(await coord.locator('.govuk-error-summary').textContent(), /Enter a title/);
  await clean(coord, 'questionnaire form with errors');
  await coord.getByLabel('Title').fill('TAS meeting feedback');
  await coord.getByLabel('Statements to agree or disagree with').fill('TAS helped me act earlier\nI know who to ask');
  await coord.getByLabel('Sentiment question').fill('How do you feel about TAS overall?');
  await coord.getByLabel('Open question').fill('What one thing would improve TAS?');
  await submit(coord, 'Add the questionnaire');
  assert.match(await coord.content(), /TAS meeting feedback/);

  await coord.goto(`${srv.base}/meetings/${meeting}`);
  await Promise.all([coord.waitForLoadState('load'), coord.getByRole('link', { name: /Feedback links/ }).click()]);
  await clean(coord, 'feedback links form');
  await coord.getByLabel('Questionnaire').selectOption({ label: 'TAS meeting feedback' });
  await coord.getByLabel('How many links').fill('2');
  await submit(coord, 'Make the links');
  const link = (await coord.locator('code.tas-link').first().textContent()).trim();
  assert.match(link, /^\/feedback\?t=[0-9a-f]{64}$/);
  await clean(coord, 'links made');

  // An attendee, not signed in.
  const guest = await (await browser.newContext()).newPage();
  await guest.goto(`${srv.base}${link}`);
  await clean(guest, 'answer form');
  await submit(guest, 'Send your answers');
  assert.match(await guest.locator('.govuk-error-summary').textContent(), /Select the kind of organisation/);
  await clean(guest, 'answer form with an error');
  await guest.getByRole('group', { name: 'Where do you work?' }).getByLabel('Health').check();
  await guest.getByRole('group', { name: 'TAS helped me act earlier' }).getByLabel('Strongly agree').check();
  await guest.getByRole('group', { name: /How do you feel/ }).getByLabel('Positive', { exact: true }).check();
  await submit(guest, 'Send your answers');
  assert.match(await guest.locator('h1').textContent(), /Thank you/);
  await clean(guest, 'thank you');

  const ev = await (await browser.newContext()).newPage();
  await signInPage(ev, srv.base, 'evaluator');
  const q = Number(sql("SELECT id FROM questionnaires WHERE title = 'TAS meeting feedback'"));
  await ev.goto(`${srv.base}/questionnaires/${q}/results`);
  assert.match(await ev.content(), /Mean score by statement/);
  await clean(ev, 'results');
});
