// The evidence pages in a browser: what the family said on the feedback
// step, the coordinator's outcome classification, a change story drafted
// by a school lead, approved by the coordinator and read by an evaluator;
// and a fast feedback questionnaire from its definition to its results,
// answered without signing in.  axe-core on every page, errors included.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, checkA11y, startServer, signInPage, Client, dbSql } from './harness.mjs';
import { TODAY, addDays, nowSeconds } from '../http/harness.mjs';

let srv, browser, caseId, discussion, firstName, meeting;
const PAST1 = addDays(TODAY, -60), PAST2 = addDays(TODAY, -20);

function sql(q) {
  return dbSql(srv.db, q);
}

async function api(c, method, path, obj) {
  const res = await c.request(path, {
    method,
    headers: { 'content-type': 'application/json', 'x-csrf-token': c.csrf },
    body: JSON.stringify(obj ?? {}),
  });
  const text = await res.text();
  assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

before(async () => {
  srv = await startServer({ seed: 16 });
  browser = await launchBrowser();
  const now = nowSeconds();
  const team = Number(sql(`INSERT INTO teams (authority_id, host_school_id, name, cadence, created_at, updated_at)
    SELECT authority_id, id, 'North cluster TAS', 'three_weekly', ${now}, ${now} FROM schools WHERE id = 1 RETURNING id;`));
  sql(`INSERT INTO team_schools VALUES (${team}, 1);`);
  meeting = Number(sql(`INSERT INTO meetings (team_id, meeting_date, start_time, status, created_at, updated_at)
    VALUES (${team}, '${PAST1}', '13:30', 'held', ${now}, ${now}) RETURNING id;`));
  const pupil = Number(sql('SELECT id FROM pupils WHERE school_id = 1 ORDER BY id LIMIT 1'));
  firstName = sql(`SELECT forenames FROM pupils WHERE id = ${pupil}`).split(' ')[0];
  const coord = new Client(srv.base);
  const res = await coord.postJson('/api/v1/sign-in', { username: 'coordinator', password: 'demo-password' });
  coord.csrf = (await res.json()).csrf;
  await api(coord, 'POST', `/api/v1/pupils/${pupil}/consents`,
    { given_by: 'Jo Example', relationship: 'mother', given_on: PAST1, covers_discussion: 'yes' });
  caseId = (await api(coord, 'POST', `/api/v1/pupils/${pupil}/cases`, { team_id: team, need_semh: 'Anxious' })).case.id;
  await api(coord, 'POST', `/api/v1/meetings/${meeting}/agenda`, { case_id: caseId });
  const ag = await (await coord.get(`/api/v1/meetings/${meeting}/agenda`)).json();
  discussion = ag.items.find((i) => i.case_id === caseId).id;
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

test("evidence: the family's words, the outcome, and a change story from draft to evaluator", async () => {
  // The feedback step, with what the parent and the child said.
  const head = await (await browser.newContext()).newPage();
  await signInPage(head, srv.base, 'head');
  await head.goto(`${srv.base}/discussions/${discussion}`);
  await head.getByLabel('What was discussed and agreed').fill('Quiet room at lunch');
  await head.getByLabel('What the parent or carer said (optional)').fill('Relieved there is a plan');
  await submit(head, 'Save');
  assert.match(await head.locator('.govuk-error-summary').textContent(), /Enter the date the family was told/);
  await clean(head, 'discussion form with an error');
  await head.locator('#f-feedback_on-day').fill(PAST2.slice(8));
  await head.locator('#f-feedback_on-month').fill(PAST2.slice(5, 7));
  await head.locator('#f-feedback_on-year').fill(PAST2.slice(0, 4));
  await head.getByLabel('How the family was told').selectOption('phone');
  await head.getByLabel('Who told the family').fill('School SENCO');
  await head.getByLabel('What the child said (optional)').fill('I like the quiet room');
  await submit(head, 'Save');
  assert.match(head.url(), /agenda\?saved=minutes/);
  await head.goto(`${srv.base}/discussions/${discussion}`);
  assert.equal(await head.getByLabel('What the child said (optional)').inputValue(), 'I like the quiet room');
  await clean(head, 'discussion form');

  // The coordinator closes the case and classifies its outcome.
  const coord = await (await browser.newContext()).newPage();
  await signInPage(coord, srv.base, 'coordinator');
  await coord.goto(`${srv.base}/cases/${caseId}/close`);
  await coord.getByLabel(/Needs are being met/).check();
  await submit(coord, 'Close the case');
  await Promise.all([coord.waitForLoadState('load'), coord.getByRole('link', { name: 'Classify the outcome' }).click()]);
  await clean(coord, 'outcome form');
  await submit(coord, 'Save the outcome');
  assert.match(await coord.locator('.govuk-error-summary').textContent(), /Select whether early intervention was appropriate/);
  await clean(coord, 'outcome form with errors');
  await coord.getByRole('group', { name: /early intervention appropriate/ }).getByLabel('Yes').check();
  await coord.getByRole('group', { name: /referral made/ }).getByLabel('No').check();
  await submit(coord, 'Save the outcome');
  assert.match(await coord.content(), /As intended: early intervention, no referral/);
  await clean(coord, 'case with its outcome');

  // The school lead drafts a story; naming the pupil is refused.
  await head.goto(`${srv.base}/cases/${caseId}`);
  await Promise.all([head.waitForLoadState('load'), head.getByRole('link', { name: 'Write a change story' }).click()]);
  await clean(head, 'new story form');
  await head.getByLabel('Early intervention').check();
  await head.getByLabel('The situation').fill(`${firstName} missed school most mornings.`);
  await head.getByLabel('What TAS did').fill('A gradual return with a key adult.');
  await head.getByLabel('What changed').fill('Attendance rose over the term.');
  await submit(head, 'Send for approval');
  assert.match(await head.locator('.govuk-error-summary').textContent(), /first name/);
  await clean(head, 'story form with an error');
  await head.getByLabel('The situation').fill('The pupil missed school most mornings.');
  await submit(head, 'Send for approval');
  assert.match(head.url(), /\/stories\/\d+\?saved=1$/);
  assert.match(await head.content(), /Awaiting approval/);
  await clean(head, 'story page');

  // The coordinator finds it in the queue and approves it.
  await coord.goto(`${srv.base}/`);
  await Promise.all([coord.waitForLoadState('load'), coord.getByRole('link', { name: 'Change stories', exact: true }).first().click()]);
  await clean(coord, 'released stories (none yet)');
  await Promise.all([coord.waitForLoadState('load'), coord.getByRole('link', { name: 'Stories waiting for your approval' }).click()]);
  await clean(coord, 'approval queue');
  await Promise.all([coord.waitForLoadState('load'), coord.getByRole('link', { name: /^Story \d+$/ }).first().click()]);
  await clean(coord, 'story with the review form');
  await coord.getByLabel('Approve and release to evaluators').check();
  await submit(coord, 'Save the decision');
  assert.match(await coord.content(), /Story approved and released/);
  await clean(coord, 'approval queue after approving');

  // The evaluator reads it, without the pupil's name.
  const ev = await (await browser.newContext()).newPage();
  await signInPage(ev, srv.base, 'evaluator');
  await Promise.all([ev.waitForLoadState('load'), ev.getByRole('link', { name: 'Change stories', exact: true }).first().click()]);
  const html = await ev.content();
  assert.match(html, /The pupil missed school most mornings/);
  assert.ok(!new RegExp(`\\b${firstName}\\b`).test(await ev.locator('main').textContent()));
  await clean(ev, 'released stories');
});

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
