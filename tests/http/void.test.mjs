// Mistakes can be put right (issue 10, item 3).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, csrfFrom } from './harness.mjs';
import { api, openCase, signedIn } from './case_fixture.mjs';

let srv;
let coord; let head;
let ids = {};

before(async () => {
  srv = await startServer({ extraArgs: ['--quiet'] });
  [coord, head] = await Promise.all(['coordinator', 'head'].map((u) => signedIn(srv, u)));
  ids = await openCase(coord, head.me.roles[0].scope_id, { teamName: 'Void test TAS', services: ['ep'] });
});

after(async () => {
  await srv?.stop({ expectExitZero: true });
});

const actionCount = async () => (await api(coord, 'GET', `/api/v1/cases/${ids.case}/actions`)).body.actions.length;

/** The new-action page's csrf and one-time form token, and the fields of one action. */
async function actionForm(description) {
  const { html } = await coord.getHtml(`/cases/${ids.case}/actions/new`);
  const token = html.match(/name="form_token" value="([0-9a-f]{32})"/);
  assert.ok(token, 'the create form carries a one-time token');
  return {
    csrf: csrfFrom(html), form_token: token[1], description, owner_name: 'Class teacher', setting: 'school',
    nature: 'advice', 'due_on-day': '', 'due_on-month': '', 'due_on-year': '',
  };
}

test('a create form sent twice with the same token makes one record, and answers with it', async () => {
  const before = await actionCount();
  const fields = await actionForm('Class teacher to keep a daily diary');
  const first = await coord.postForm(`/cases/${ids.case}/actions`, fields);
  assert.equal(first.status, 303);
  const second = await coord.postForm(`/cases/${ids.case}/actions`, fields);
  assert.equal(second.status, 303);
  assert.equal(second.headers.get('location'), first.headers.get('location'));
  assert.equal(await actionCount(), before + 1);
  // A new rendering of the form has a new token, and makes a new record.
  const again = await actionForm('Class teacher to keep a daily diary');
  assert.notEqual(again.form_token, fields.form_token);
  assert.equal((await coord.postForm(`/cases/${ids.case}/actions`, again)).status, 303);
  assert.equal(await actionCount(), before + 2);
});

test('two concurrent POSTs with the same token make one record', async () => {
  const before = await actionCount();
  const fields = await actionForm('Pastoral lead to meet the family');
  const answers = await Promise.all([1, 2, 3].map(() => coord.postForm(`/cases/${ids.case}/actions`, fields)));
  for (const a of answers) assert.equal(a.status, 303);
  assert.equal(new Set(answers.map((a) => a.headers.get('location'))).size, 1);
  assert.equal(await actionCount(), before + 1);
});

test('a form with errors keeps nothing of its token: corrected, it saves', async () => {
  const before = await actionCount();
  const fields = await actionForm('');
  const bad = await coord.postForm(`/cases/${ids.case}/actions`, fields);
  assert.equal(bad.status, 400);
  const ok = await coord.postForm(`/cases/${ids.case}/actions`, { ...fields, description: 'Now described' });
  assert.equal(ok.status, 303);
  assert.equal(await actionCount(), before + 1);
});
