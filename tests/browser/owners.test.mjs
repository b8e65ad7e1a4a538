// A school's work list and a void, in a browser (issue 10): the head sees
// the action owned by the school; the coordinator voids an action entered
// by mistake and sees it kept, struck through and labelled.  axe-core runs
// on every page visited; no console or CSP errors are allowed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, checkA11y, startServer, signInPage, collectPageErrors } from './harness.mjs';
import { api, openCase, serviceIds, signedIn } from '../http/case_fixture.mjs';

let srv, browser;
let ids = {};
before(async () => {
  srv = await startServer({ seed: 3 });
  browser = await launchBrowser();
  const [coord, head] = await Promise.all([signedIn(srv, 'coordinator'), signedIn(srv, 'head')]);
  ids = await openCase(coord, head.me.roles[0].scope_id, { teamName: 'Browser owners TAS' });
  const svc = await serviceIds(coord);
  const school = await api(coord, 'POST', `/api/v1/cases/${ids.case}/actions`, {
    description: 'SENCO to set up a quiet space after lunch', owner_service_id: svc.school, owner_name: 'SENCO',
    setting: 'school', nature: 'school_adjustment',
  });
  assert.equal(school.status, 201, JSON.stringify(school.body));
  const wrong = await api(coord, 'POST', `/api/v1/cases/${ids.case}/actions`, {
    description: 'Entered for the wrong pupil', owner_name: 'Class teacher', setting: 'school', nature: 'advice',
  });
  assert.equal(wrong.status, 201, JSON.stringify(wrong.body));
  ids.wrong = wrong.body.action.id;
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
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name, exact: true }).click()]);
}

test("the head's work list shows the action the school owns", async () => {
  const page = await browser.newPage();
  const errors = collectPageErrors(page);
  await signInPage(page, srv.base, 'head');
  await page.goto(`${srv.base}/work`);
  await clean(page, "the school's work list");
  const section = page.locator('#school');
  assert.match(await section.textContent(), /Actions owned by your school \(1\)/);
  const table = page.getByRole('table', { name: /owned by your school/ });
  assert.match(await table.textContent(), /SENCO to set up a quiet space after lunch/);
  assert.match(await table.textContent(), /SENCO \(School\)/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the coordinator voids an action entered by mistake', async () => {
  const page = await browser.newPage();
  const errors = collectPageErrors(page);
  await signInPage(page, srv.base, 'coordinator');
  await page.goto(`${srv.base}/actions/${ids.wrong}`);
  await clean(page, 'the action');
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Void: entered by mistake' }).click()]);
  assert.match(await page.textContent('h1'), /Void this action/);
  await clean(page, 'the void form');
  await submit(page, 'Void the action');
  assert.match(await page.textContent('.govuk-error-summary'), /Give the reason the record was entered by mistake/);
  await clean(page, 'the void form with its error');
  await page.getByLabel('Why was it entered by mistake?').fill('Added to the wrong pupil');
  await submit(page, 'Void the action');
  assert.match(page.url(), new RegExp(`/cases/${ids.case}/actions\\?saved=voided`));
  await clean(page, 'the actions with a voided one');
  const voided = page.getByRole('table', { name: 'Voided actions' });
  assert.match(await voided.textContent(), /Entered for the wrong pupil/);
  assert.match(await voided.textContent(), /Added to the wrong pupil/);
  assert.equal(await voided.locator('s').count(), 1, 'struck through');
  assert.match(await page.getByRole('heading', { name: /Open actions/ }).textContent(), /\(1\)/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('consent withdrawn: the case page asks to close or reassign each open action', async () => {
  const coord = await signedIn(srv, 'coordinator');
  const w = await api(coord, 'POST', `/api/v1/consents/${ids.consent}/withdraw`,
    { withdrawn_on: '2025-11-01', reason: 'Family asked to stop' });
  assert.equal(w.status, 200, JSON.stringify(w.body));
  const page = await browser.newPage();
  const errors = collectPageErrors(page);
  await signInPage(page, srv.base, 'coordinator');
  await page.goto(`${srv.base}/cases/${ids.case}`);
  await clean(page, 'the case with consent withdrawn');
  const banner = page.getByRole('region', { name: 'Consent withdrawn' });
  assert.match(await banner.textContent(), /Close or reassign each open action/);
  assert.match(await banner.textContent(), /SENCO to set up a quiet space after lunch/);
  assert.doesNotMatch(await banner.textContent(), /Entered for the wrong pupil/, 'a voided action is not open work');
  await Promise.all([page.waitForLoadState('load'), banner.getByRole('link', { name: /^reassign/ }).first().click()]);
  assert.match(page.url(), /\/actions\/\d+\/edit$/);
  assert.deepEqual(errors, []);
  await page.close();
});
