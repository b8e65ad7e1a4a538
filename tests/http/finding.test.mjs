// Finding things (issue 10 item 5) and consistency (item 7): the page asked
// for before signing in is where signing in leads (only paths on this
// site), list filters offered on the page, the dashboard's school year,
// export links for whoever may export, and the checks on what is typed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, csrfFrom, decodeHtml, DEMO_PASSWORD, birthDateFor, newPupilJson, upnFor } from './harness.mjs';

let srv;

before(async () => {
  srv = await startServer({ seed: 11 });
});

after(async () => {
  await srv?.stop();
});

async function signedIn(user) {
  const c = new Client(srv.base);
  const r = await c.signIn(user);
  assert.equal(r.status, 303, `sign-in of ${user}`);
  return c;
}

// ---- after sign-in, the page asked for ------------------------------------------

test('a deep link signs in and returns to the page asked for, query and all', async () => {
  const c = new Client(srv.base);
  const asked = '/meetings?status=planned&order=oldest';
  const r = await c.get(asked);
  assert.equal(r.status, 303);
  const loc = r.headers.get('location');
  assert.equal(new URL(loc, srv.base).pathname, '/sign-in');
  assert.equal(new URL(loc, srv.base).searchParams.get('next'), asked);
  const form = await c.getHtml(loc);
  assert.equal(form.status, 200);
  const hidden = /<input type="hidden" name="next" value="([^"]*)">/.exec(form.html);
  assert.ok(hidden, 'the form carries next');
  assert.equal(decodeHtml(hidden[1]), asked);
  const done = await c.postForm('/sign-in', { username: 'coordinator', password: DEMO_PASSWORD,
    csrf: csrfFrom(form.html), next: decodeHtml(hidden[1]) });
  assert.equal(done.status, 303);
  assert.equal(done.headers.get('location'), asked);
  assert.equal((await c.get(asked)).status, 200);
  // Without next, the home page as before.
  const plain = new Client(srv.base);
  assert.equal((await plain.signIn('coordinator')).headers.get('location'), '/');
});

test('a hostile next is never followed: home instead, and not carried into the form', async () => {
  const hostile = ['//evil.example/x', '///evil.example', '/\\evil.example', '\\\\evil.example', 'https://evil.example/',
    'http:evil.example', 'javascript:alert(1)', ' /meetings', '/\t/evil.example', '/%2F%2Fevil.example',
    'meetings', '/sign-out', '/sign-in?next=//evil.example', `/${'a'.repeat(600)}`];
  for (const next of hostile) {
    const c = new Client(srv.base);
    const form = await c.getHtml(`/sign-in?next=${encodeURIComponent(next)}`);
    assert.equal(form.status, 200, next);
    assert.doesNotMatch(form.html, /name="next"/, `not carried: ${JSON.stringify(next)}`);
    const r = await c.postForm('/sign-in', { username: 'coordinator', password: DEMO_PASSWORD,
      csrf: csrfFrom(form.html), next });
    assert.equal(r.status, 303, next);
    assert.equal(r.headers.get('location'), '/', `next ${JSON.stringify(next)} refused`);
    // Signed in already: the sign-in page with that next still goes home.
    const again = await c.get(`/sign-in?next=${encodeURIComponent(next)}`);
    assert.equal(again.headers.get('location'), '/', next);
  }
});

// ---- a pupil's date of birth against the year group ---------------------------------

test('date of birth and year group: one year either side saved with a warning, further refused', async () => {
  const c = new Client(srv.base);
  const me = await c.postJson('/api/v1/sign-in', { username: 'coordinator', password: DEMO_PASSWORD });
  c.csrf = (await me.json()).csrf;
  const school = (await c.api('GET', '/api/v1/schools')).json.schools[0].id;
  let n = 880000;
  const pupil = (over) => ({ ...newPupilJson(n++, school), ...over });
  // Fits: no warning on the page.
  const fits = await c.api('POST', '/api/v1/pupils', pupil({}));
  assert.equal(fits.status, 201, fits.text);
  const web = await signedIn('coordinator');
  const page = decodeHtml((await web.getHtml(`/pupils/${fits.json.pupil.id}`)).html);
  assert.doesNotMatch(page, /would be in/);
  assert.match(page, new RegExp(`Date of birth</dt>\\s*<dd[^>]*>${Number(birthDateFor('4').slice(8))} March ${birthDateFor('4').slice(0, 4)}<`));
  // One year younger or older than the date of birth's year group: saved, and the page warns.
  for (const y of ['3', '5']) {
    const r = await c.api('POST', '/api/v1/pupils', pupil({ nc_year: y }));
    assert.equal(r.status, 201, r.text);
    const html = decodeHtml((await web.getHtml(`/pupils/${r.json.pupil.id}`)).html);
    assert.match(html, /govuk-warning-text[\s\S]*By date of birth this pupil would be in Year 4\./);
  }
  // Two years or more: refused, at the year group, in words.
  for (const y of ['2', '6', 'R', '11']) {
    const r = await c.api('POST', '/api/v1/pupils', pupil({ nc_year: y }));
    assert.equal(r.status, 422, `${y}: ${r.text}`);
    assert.deepEqual(r.json.errors.map((e) => e.field), ['nc_year']);
    assert.match(r.json.errors[0].message, /more than one year from Year 4, the year group for this date of birth/);
  }
  // The form says the same beside the field, keeping what was typed.
  const born = birthDateFor('4');
  const form = await web.submitForm('/pupils/new', {
    upn: upnFor(n++), forenames: 'Yeargroup', surname: 'Testpupil', 'dob-day': born.slice(8), 'dob-month': born.slice(5, 7),
    'dob-year': born.slice(0, 4), gender: 'M', ethnicity: 'WBRI', nc_year: '8', sen_provision: 'N', school_id: String(school),
  }, { action: '/pupils' });
  assert.equal(form.status, 400);
  const html = decodeHtml(await form.text());
  assert.match(html, /href="#f-nc_year">Year 8 is more than one year from Year 4/);
  // Not following the National Curriculum: not judged.
  assert.equal((await c.api('POST', '/api/v1/pupils', pupil({ nc_year: 'X' }))).status, 201);
});
