// Reference data of an authority: services, practitioners, the signposting
// playbook and term dates (with closure days), in HTML and JSON, through the
// policy point.  A new authority starts with defaults; case coordinators add
// and change; practitioners only read; evaluators see none of it; another
// authority's records are not found.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, Client, tasBin, decodeHtml, TODAY, academicYearOf } from './harness.mjs';

let srv;
const as = {}; // username -> signed-in Client with .csrf and .me
let year; // the current academic year, as the server counts it
let other; // { authority, service } of a second authority

// ---- helpers ---------------------------------------------------------------

async function signIn(username, password = 'demo-password') {
  const c = new Client(srv.base);
  const res = await c.postJson('/api/v1/sign-in', { username, password });
  assert.equal(res.status, 200, `sign-in of ${username}`);
  const body = await res.json();
  c.csrf = body.csrf;
  c.me = body.user;
  return c;
}

/** A JSON request with the session's CSRF token: {status, body, text, res}. */
async function api(c, method, path, body) {
  const headers = { 'x-csrf-token': c.csrf };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await c.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, body: json, text, res };
}

/** GETs page, posts fields with its CSRF token to action: {status, html, res}. */
async function submit(c, page, fields, action = page) {
  const res = await c.submitForm(page, fields, { action });
  return { status: res.status, html: await res.text(), res };
}

/** [{href, text}] of the GOV.UK error summary. */
function summary(html) {
  const start = html.indexOf('<div class="govuk-error-summary"');
  if (start < 0) return [];
  const list = html.slice(start, html.indexOf('</ul>', start));
  return [...list.matchAll(/<a href="([^"]*)">([^<]*)<\/a>/g)]
    .map((m) => ({ href: m[1], text: decodeHtml(m[2]).trim() }));
}

function attr(tag, a) {
  const m = new RegExp(`\\s${a}="([^"]*)"`).exec(tag);
  return m ? decodeHtml(m[1]) : undefined;
}

function inputs(html, name) {
  return [...html.matchAll(/<input\b[^>]*>/g)].map((m) => m[0]).filter((t) => t.includes(` name="${name}"`));
}

/** Value of the one input called name ('' when none). */
function inputValue(html, name) {
  const tags = inputs(html, name);
  assert.equal(tags.length, 1, `one input named ${name}`);
  return attr(tags[0], 'value') ?? '';
}

function checked(html, name) {
  return inputs(html, name).filter((t) => /\schecked\b/.test(t)).map((t) => attr(t, 'value'));
}

/** [{value, label, selected}] of the select called name. */
function options(html, name) {
  const m = new RegExp(`<select\\b[^>]*name="${name}"[^>]*>([\\s\\S]*?)</select>`).exec(html);
  assert.ok(m, `a select named ${name}`);
  return [...m[1].matchAll(/<option value="([^"]*)"( selected)?>([^<]*)<\/option>/g)]
    .map((o) => ({ value: decodeHtml(o[1]), selected: Boolean(o[2]), label: decodeHtml(o[3]) }));
}

function textarea(html, name) {
  const m = new RegExp(`<textarea\\b[^>]*name="${name}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html);
  assert.ok(m, `a textarea named ${name}`);
  return decodeHtml(m[1]);
}

/** The six half-terms as form fields: t1_starts-day ... t6_ends-year. */
function termFields(terms) {
  const f = {};
  terms.forEach(([s, e], i) => {
    for (const [which, iso] of [['starts', s], ['ends', e]]) {
      const [y, m, d] = iso.split('-');
      f[`t${i + 1}_${which}-day`] = String(Number(d));
      f[`t${i + 1}_${which}-month`] = String(Number(m));
      f[`t${i + 1}_${which}-year`] = y;
    }
  });
  return f;
}

/** Reads the six half-terms back out of the edit form as ISO dates. */
function termsFromForm(html) {
  const out = [];
  for (let i = 1; i <= 6; i++) {
    const pair = [];
    for (const which of ['starts', 'ends']) {
      const d = inputValue(html, `t${i}_${which}-day`);
      const m = inputValue(html, `t${i}_${which}-month`);
      const y = inputValue(html, `t${i}_${which}-year`);
      pair.push(`${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`);
    }
    out.push(pair);
  }
  return out;
}

// ---- setup -------------------------------------------------------------------

before(async () => {
  srv = await startServer({ extraArgs: ['--quiet'] });
  year = academicYearOf(TODAY);
  // A platform administrator, to create a second authority (which gets its
  // defaults from svc_authority_create, like the demo's).
  const add = spawnSync(tasBin(), ['user', 'add', 'platform', '--db', srv.db, '--name', 'Pat Platform',
    '--role', 'admin', '--scope', 'system'], { input: 'windmill-harbour-77\n', encoding: 'utf8', timeout: 30000 });
  assert.equal(add.status, 0, add.stderr);
  const users = ['coordinator', 'practitioner', 'evaluator', 'admin'];
  const clients = await Promise.all(users.map((u) => signIn(u)));
  users.forEach((u, i) => { as[u] = clients[i]; });
});

after(async () => {
  await srv?.stop({ expectExitZero: true });
});

// ---- defaults ------------------------------------------------------------------

test('a new authority starts with the default services, playbook and term dates', async () => {
  const c = as.coordinator;
  const s = await api(c, 'GET', '/api/v1/services');
  assert.equal(s.status, 200, s.text);
  const codes = new Map(s.body.services.map((x) => [x.code, x]));
  for (const [code, name, kind] of [
    ['school', 'School', 'school'], ['strategic_lead', 'TAS Strategic Lead', 'local_authority'],
    ['case_coordinator', 'TAS Case Coordinator', 'local_authority'], ['early_help', 'Early Help', 'local_authority'],
    ['ep', 'Educational Psychology', 'local_authority'], ['salt', 'Speech and Language Therapy', 'health'],
    ['mhst', 'Mental Health Support Team', 'health'], ['paediatrics', 'Community Paediatrics', 'health'],
    ['school_nurse', 'School nurse', 'health'], ['csc', "Children's Social Care", 'local_authority'],
    ['camhs', 'CAMHS', 'health'], ['youth_justice', 'Youth Justice', 'local_authority']]) {
    const x = codes.get(code);
    assert.ok(x, `service ${code}`);
    assert.equal(x.name, name);
    assert.equal(x.org_kind, kind);
    assert.equal(x.active, true);
  }

  const p = await api(c, 'GET', '/api/v1/playbook');
  assert.equal(p.status, 200);
  const titles = p.body.resources.map((r) => r.title);
  for (const t of ['Triple P positive parenting courses', 'Strengthening Families programme',
    'Early Support workshop (Child Development Centre)', 'Sleep resources (Child Development Centre website)']) {
    assert.ok(titles.includes(t), t);
  }
  assert.ok(p.body.resources.every((r) => r.url === ''), 'no made-up web addresses');

  for (const y of [year, year + 1]) {
    const t = await api(c, 'GET', `/api/v1/term-dates/${y}`);
    assert.equal(t.status, 200, t.text);
    assert.equal(t.body.academic_year, y);
    assert.deepEqual(t.body.half_terms.map((h) => h.label),
      ['Autumn 1', 'Autumn 2', 'Spring 1', 'Spring 2', 'Summer 1', 'Summer 2']);
    assert.ok(t.body.half_terms[0].starts_on.startsWith(`${y}-09-`), 'autumn starts in September');
    assert.ok(t.body.half_terms[5].ends_on.startsWith(`${y + 1}-07-`), 'summer ends in July');
  }
  const none = await api(c, 'GET', `/api/v1/term-dates/${year + 3}`);
  assert.equal(none.status, 200);
  assert.equal(none.body.half_terms.length, 0);

  // The pages.
  const home = await c.getHtml('/');
  assert.match(home.html, /href="\/settings"/, 'Settings in the navigation');
  const settings = await c.getHtml('/settings');
  assert.equal(settings.status, 200);
  for (const href of ['/services', '/practitioners', '/playbook', '/term-dates']) {
    assert.ok(settings.html.includes(`href="${href}"`), href);
  }
  const list = await c.getHtml('/services');
  assert.equal(list.status, 200);
  assert.match(list.html, /Speech and Language Therapy/);
  const terms = await c.getHtml(`/term-dates?year=${year}`);
  assert.equal(terms.status, 200);
  assert.match(terms.html, /Autumn 1/);
  assert.match(terms.html, /Summer 2/);
  const pb = await c.getHtml('/playbook');
  assert.match(decodeHtml(pb.html), /Triple P positive parenting courses/);
});

// ---- practitioners and the playbook --------------------------------------------

test('the coordinator adds a practitioner by form and by JSON', async () => {
  const c = as.coordinator;
  const page = await c.getHtml('/practitioners/new');
  assert.equal(page.status, 200);
  const ep = options(page.html, 'service_id').find((o) => o.label === 'Educational Psychology');
  assert.ok(ep, 'services to choose from');
  const school = options(page.html, 'school_id').find((o) => o.value !== '');
  assert.ok(school, 'schools to choose from');
  const account = options(page.html, 'user_id').find((o) => o.label.startsWith('practitioner ('));
  assert.ok(account, 'the authority\'s accounts to link');

  const r = await submit(c, '/practitioners/new', {
    name: 'Robin Ashdown', job_title: 'Educational Psychologist', email: 'robin.ashdown@example.org',
    service_id: ep.value, school_id: '', user_id: account.value,
  }, '/practitioners');
  assert.equal(r.status, 303, r.html.slice(0, 500));
  const loc = r.res.headers.get('location');
  assert.match(loc, /^\/practitioners\/\d+\?saved=added$/);
  const view = await c.getHtml(loc);
  assert.equal(view.status, 200);
  assert.match(view.html, /Robin Ashdown/);
  assert.match(view.html, /Practitioner added/);
  assert.match(view.html, /Educational Psychology/);
  assert.match(view.html, />practitioner</, 'linked account shown');

  const j = await api(c, 'POST', '/api/v1/practitioners', {
    name: 'Morgan Ellery', job_title: 'SENCO', service_id: Number(ep.value), school_id: Number(school.value),
  });
  assert.equal(j.status, 201, j.text);
  assert.equal(j.body.practitioner.name, 'Morgan Ellery');
  assert.equal(j.body.practitioner.service.name, 'Educational Psychology');
  assert.equal(j.body.practitioner.school_id, Number(school.value));
  assert.equal(j.body.practitioner.active, true);

  const list = await api(c, 'GET', `/api/v1/practitioners?service=${ep.value}`);
  const names = list.body.practitioners.map((x) => x.name);
  assert.ok(names.includes('Robin Ashdown') && names.includes('Morgan Ellery'));

  // Made inactive, never deleted.
  const put = await api(c, 'PUT', `/api/v1/practitioners/${j.body.practitioner.id}`, {
    name: 'Morgan Ellery', job_title: 'SENCO', service_id: Number(ep.value), school_id: '', active: false,
  });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.body.practitioner.active, false);
  assert.equal(put.body.practitioner.school_id, null);
  const active = await api(c, 'GET', `/api/v1/practitioners?service=${ep.value}&active=yes`);
  assert.ok(!active.body.practitioners.some((x) => x.name === 'Morgan Ellery'));
  const del = await api(c, 'DELETE', `/api/v1/practitioners/${j.body.practitioner.id}`);
  assert.ok(del.status === 404 || del.status === 405, `no deleting (${del.status})`);
});

test('the coordinator adds a playbook resource by form and by JSON', async () => {
  const c = as.coordinator;
  const r = await submit(c, '/playbook/new', {
    title: 'Anxiety workshop for parents', kind: 'workshop', audience: 'parents',
    url: 'https://www.example.org/anxiety', description: 'Two evening sessions.\nBook through the school office.',
  }, '/playbook');
  assert.equal(r.status, 303, r.html.slice(0, 500));
  const view = await c.getHtml(r.res.headers.get('location'));
  assert.match(view.html, /Anxiety workshop for parents/);
  assert.match(view.html, /href="https:\/\/www\.example\.org\/anxiety"/);

  const j = await api(c, 'POST', '/api/v1/playbook', {
    title: 'Classroom strategies for attention', kind: 'guidance', audience: 'school',
  });
  assert.equal(j.status, 201, j.text);
  assert.equal(j.body.resource.kind_label, 'Guidance');
  assert.equal(j.body.resource.url, '');
  const edit = await submit(c, `/playbook/${j.body.resource.id}/edit`, {
    title: 'Classroom strategies for attention', kind: 'guidance', audience: 'both', url: '', description: '',
    active: 'no',
  });
  assert.equal(edit.status, 303);
  const got = await api(c, 'GET', `/api/v1/playbook/${j.body.resource.id}`);
  assert.equal(got.body.resource.audience, 'both');
  assert.equal(got.body.resource.active, false);
});

test('services: added with a code made from the name, renamed and made inactive', async () => {
  const c = as.coordinator;
  const j = await api(c, 'POST', '/api/v1/services', { name: 'Young Carers Service', org_kind: 'other' });
  assert.equal(j.status, 201, j.text);
  assert.equal(j.body.service.code, 'young_carers_service');
  const again = await api(c, 'POST', '/api/v1/services', { name: 'Young Carers-Service', org_kind: 'other' });
  assert.equal(again.status, 201);
  assert.equal(again.body.service.code, 'young_carers_service_2');
  // The same name again, in other case or with spaces around it: refused at the name.
  for (const name of ['Young Carers Service', '  young carers SERVICE ']) {
    const same = await api(c, 'POST', '/api/v1/services', { name, org_kind: 'other' });
    assert.equal(same.status, 422, name);
    assert.deepEqual(same.body.errors, [{ field: 'name',
      message: 'There is already a service called Young Carers Service – use that service or choose another name' }]
      .map((e) => ({ ...e, message: e.message.replace('Young Carers Service', name.trim()) })));
  }
  const form1 = await submit(c, '/services/new', { name: 'YOUNG CARERS SERVICE', org_kind: 'other' }, '/services');
  assert.match(decodeHtml(form1.html), /href="#f-name">There is already a service called YOUNG CARERS SERVICE/);
  assert.equal(form1.status, 400);
  // Renaming another service to the name is refused too; keeping its own name is not.
  const rename = await api(c, 'PUT', `/api/v1/services/${again.body.service.id}`, { name: 'young carers service', org_kind: 'other' });
  assert.equal(rename.status, 422, rename.text);
  const keep = await api(c, 'PUT', `/api/v1/services/${j.body.service.id}`, { name: 'Young Carers Service', org_kind: 'other' });
  assert.equal(keep.status, 200, keep.text);
  const dup = await api(c, 'POST', '/api/v1/services', { name: 'Another EP', code: 'ep', org_kind: 'local_authority' });
  assert.equal(dup.status, 422);
  assert.deepEqual(dup.body.errors.map((e) => e.field), ['code']);

  const id = j.body.service.id;
  const form = await c.getHtml(`/services/${id}/edit`);
  assert.equal(form.status, 200);
  assert.deepEqual(checked(form.html, 'org_kind'), ['other']);
  const r = await submit(c, `/services/${id}/edit`, { name: 'Young Carers', org_kind: 'local_authority', active: 'no' });
  assert.equal(r.status, 303);
  const got = await api(c, 'GET', `/api/v1/services/${id}`);
  assert.equal(got.body.service.name, 'Young Carers');
  assert.equal(got.body.service.code, 'young_carers_service', 'the code never changes');
  assert.equal(got.body.service.active, false);
  const active = await api(c, 'GET', '/api/v1/services?active=yes');
  assert.ok(!active.body.services.some((s) => s.id === id));
  const all = await api(c, 'GET', '/api/v1/services');
  assert.ok(all.body.services.some((s) => s.id === id));
});

// ---- validation ------------------------------------------------------------------

test('validation errors say what to fix and keep what was typed', async () => {
  const c = as.coordinator;
  let r = await submit(c, '/practitioners/new', {
    name: '', job_title: 'Family <Worker>', email: 'not an email', service_id: '', school_id: '', user_id: '',
  }, '/practitioners');
  assert.equal(r.status, 400);
  assert.deepEqual(summary(r.html).map((e) => e.href), ['#f-name', '#f-email', '#f-service_id']);
  assert.deepEqual(summary(r.html).map((e) => e.text), [
    "Enter the practitioner's name",
    'Enter an email address in the correct format, like name@example.com',
    "Select the practitioner's service",
  ]);
  assert.equal(inputValue(r.html, 'job_title'), 'Family <Worker>');
  assert.equal(inputValue(r.html, 'email'), 'not an email');
  assert.match(r.html, /<title>Error: /);

  r = await submit(c, '/playbook/new', {
    title: 'Sleep clinic', kind: 'service', audience: '', url: 'www.example.org/sleep', description: 'Line one\nLine two',
  }, '/playbook');
  assert.equal(r.status, 400);
  assert.deepEqual(summary(r.html).map((e) => e.text), [
    'Select who the resource is for',
    'Enter a web address starting with https:// or http://, like https://www.example.org',
  ]);
  assert.equal(inputValue(r.html, 'title'), 'Sleep clinic');
  assert.equal(inputValue(r.html, 'url'), 'www.example.org/sleep');
  assert.deepEqual(checked(r.html, 'kind'), ['service']);
  assert.equal(textarea(r.html, 'description'), 'Line one\nLine two');

  r = await submit(c, '/services/new', { name: 'Virtual School', code: 'Virtual School!', org_kind: '' }, '/services');
  assert.equal(r.status, 400);
  assert.deepEqual(summary(r.html).map((e) => e.href), ['#f-code', '#f-org_kind']);
  assert.equal(inputValue(r.html, 'name'), 'Virtual School');
  assert.equal(inputValue(r.html, 'code'), 'Virtual School!');

  const j = await api(c, 'POST', '/api/v1/playbook', { title: '', kind: 'leaflet', audience: 'both', url: 'ftp://x' });
  assert.equal(j.status, 422);
  assert.deepEqual(j.body.errors.map((e) => e.field), ['title', 'kind', 'url']);
});

// ---- who may do what ----------------------------------------------------------------

test('practitioners read but cannot change; evaluators see none of it', async () => {
  const p = as.practitioner;
  assert.equal((await p.getHtml('/services')).status, 200);
  assert.equal((await p.getHtml('/playbook')).status, 200);
  const svc = (await api(p, 'GET', '/api/v1/services')).body.services[0];
  assert.equal((await p.getHtml('/services/new')).status, 403);
  assert.equal((await p.getHtml(`/services/${svc.id}/edit`)).status, 403);
  assert.equal((await p.getHtml('/practitioners/new')).status, 403);
  assert.equal((await p.getHtml(`/term-dates/${year}/edit`)).status, 403);
  assert.equal((await api(p, 'POST', '/api/v1/services', { name: 'X', org_kind: 'other' })).status, 403);
  assert.equal((await api(p, 'PUT', `/api/v1/services/${svc.id}`, { name: 'X', org_kind: 'other' })).status, 403);
  assert.equal((await api(p, 'POST', '/api/v1/playbook', { title: 'X', kind: 'other', audience: 'both' })).status, 403);
  assert.equal((await api(p, 'PUT', `/api/v1/term-dates/${year}`, { use_english_defaults: true })).status, 403);
  const view = await p.getHtml(`/services/${svc.id}`);
  assert.equal(view.status, 200);
  assert.ok(!view.html.includes(`/services/${svc.id}/edit`), 'no change button');

  const e = as.evaluator;
  assert.equal((await api(e, 'GET', '/api/v1/services')).status, 403);
  assert.equal((await api(e, 'POST', '/api/v1/services', { name: 'X', org_kind: 'other' })).status, 403);
  assert.equal((await api(e, 'POST', '/api/v1/practitioners', { name: 'X', service_id: svc.id })).status, 403);
  assert.equal((await e.getHtml('/settings')).status, 403);
  assert.ok(!(await e.getHtml('/')).html.includes('href="/settings"'), 'no Settings for evaluators');
});

test("another authority's reference data is not found", async () => {
  const sys = await signIn('platform', 'windmill-harbour-77');
  const la = await api(sys, 'POST', '/api/v1/authorities', { la_code: '998', name: 'Testshire County Council' });
  assert.equal(la.status, 201, la.text);
  const aid = la.body.authority.id;
  // Several authorities now: the platform administrator names one.
  assert.equal((await api(sys, 'GET', '/api/v1/services')).status, 400);
  const choose = await sys.getHtml('/settings');
  assert.equal(choose.status, 200);
  assert.ok(choose.html.includes(`/settings?authority=${aid}`));
  const theirs = await api(sys, 'GET', `/api/v1/services?authority=${aid}`);
  assert.equal(theirs.status, 200);
  assert.equal(theirs.body.services.length, 12, 'defaults for an authority made on the web too');
  const terms = await api(sys, 'GET', `/api/v1/term-dates/${year}?authority=${aid}`);
  assert.equal(terms.body.half_terms.length, 6);
  const svc = theirs.body.services.find((s) => s.code === 'ep');
  const res = (await api(sys, 'GET', `/api/v1/playbook?authority=${aid}`)).body.resources[0];
  other = { authority: aid, service: svc.id };

  const c = as.coordinator;
  assert.equal((await api(c, 'GET', `/api/v1/services/${svc.id}`)).status, 404);
  assert.equal((await c.getHtml(`/services/${svc.id}`)).status, 404);
  assert.equal((await c.getHtml(`/services/${svc.id}/edit`)).status, 404);
  assert.equal((await api(c, 'PUT', `/api/v1/services/${svc.id}`, { name: 'Mine', org_kind: 'health' })).status, 404);
  assert.equal((await api(c, 'GET', `/api/v1/playbook/${res.id}`)).status, 404);
  assert.equal((await api(c, 'GET', `/api/v1/services?authority=${aid}`)).status, 403);
  assert.equal((await api(c, 'GET', `/api/v1/term-dates/${year}?authority=${aid}`)).status, 403);
  const j = await api(c, 'POST', '/api/v1/practitioners', { name: 'Sam Cross', service_id: svc.id });
  assert.equal(j.status, 422);
  assert.deepEqual(j.body.errors.map((e) => e.field), ['service_id']);
  const unchanged = await api(sys, 'GET', `/api/v1/services/${svc.id}`);
  assert.equal(unchanged.body.service.name, 'Educational Psychology');
});

// ---- term dates -------------------------------------------------------------------------

test('term dates: overlapping half-terms are refused, with what was typed kept', async () => {
  const c = as.coordinator;
  const y = year + 2;
  const terms = [
    [`${y}-09-03`, `${y}-10-23`], [`${y}-11-02`, `${y}-12-18`],
    [`${y}-12-14`, `${y + 1}-02-12`], // Spring 1 starts before Autumn 2 ends
    [`${y + 1}-02-22`, `${y + 1}-03-26`], [`${y + 1}-04-12`, `${y + 1}-05-28`], [`${y + 1}-06-07`, `${y + 1}-07-20`],
  ];
  const fields = termFields(terms);
  fields['t6_ends-day'] = ''; // and one date left incomplete
  const r = await submit(c, `/term-dates/${y}/edit`, { ...fields, action: 'save' });
  assert.equal(r.status, 400);
  const errs = summary(r.html);
  assert.deepEqual(errs.map((e) => e.href), ['#f-t6_ends-day', '#f-t3_starts-day']);
  assert.equal(errs[0].text, 'Last day of Summer 2 must include a day');
  assert.equal(errs[1].text, 'Spring 1 must start after Autumn 2 ends');
  assert.equal(inputValue(r.html, 't3_starts-day'), '14');
  assert.equal(inputValue(r.html, 't3_starts-month'), '12');
  assert.equal(inputValue(r.html, 't6_ends-month'), '7');
  assert.equal(inputValue(r.html, 't6_ends-day'), '');
  assert.equal((await api(c, 'GET', `/api/v1/term-dates/${y}`)).body.half_terms.length, 0, 'nothing saved');

  const half = terms.map(([s, e], i) => ({ number: i + 1, starts_on: s, ends_on: e }));
  const j = await api(c, 'PUT', `/api/v1/term-dates/${y}`, { half_terms: half });
  assert.equal(j.status, 422, j.text);
  assert.deepEqual(j.body.errors.map((e) => e.field), ['t3_starts']);
  half[2].starts_on = `${y + 1}-01-05`;
  half[3].ends_on = `${y + 1}-03-26`;
  const ok = await api(c, 'PUT', `/api/v1/term-dates/${y}`, {
    half_terms: half, closure_days: [{ date: `${y}-09-04`, reason: 'Staff training day' }],
  });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.half_terms[2].starts_on, `${y + 1}-01-05`);
  assert.deepEqual(ok.body.closure_days.map((d) => [d.date, d.reason]), [[`${y}-09-04`, 'Staff training day']]);
  const outside = await api(c, 'PUT', `/api/v1/term-dates/${y}`, { half_terms: half, closure_days: [`${y}-08-20`] });
  assert.equal(outside.status, 422);
  assert.deepEqual(outside.body.errors.map((e) => e.field), ['closure_days']);
});

test('term dates: "Use the usual English dates" fills the form, and saving keeps them', async () => {
  const c = as.coordinator;
  // The usual dates for this year are what a new authority was given.
  const seeded = (await api(c, 'GET', `/api/v1/term-dates/${year}`)).body;
  let r = await submit(c, `/term-dates/${year}/edit`, { action: 'defaults' });
  assert.equal(r.status, 200);
  assert.deepEqual(termsFromForm(r.html), seeded.half_terms.map((h) => [h.starts_on, h.ends_on]));

  const y = year + 3;
  r = await submit(c, `/term-dates/${y}/edit`, { action: 'defaults' });
  assert.equal(r.status, 200);
  assert.match(r.html, /usual dates in England/);
  const filled = termsFromForm(r.html);
  assert.ok(filled[0][0].startsWith(`${y}-09-`));
  assert.equal(inputValue(r.html, 'add_default_closures'), 'yes');
  const save = await submit(c, `/term-dates/${y}/edit`, {
    ...termFields(filled), add_default_closures: 'yes', action: 'save',
  });
  assert.equal(save.status, 303, save.html.slice(0, 300));
  assert.match(save.res.headers.get('location'), new RegExp(`^/term-dates\\?year=${y}&saved=1`));
  const got = (await api(c, 'GET', `/api/v1/term-dates/${y}`)).body;
  assert.deepEqual(got.half_terms.map((h) => [h.starts_on, h.ends_on]), filled);
  assert.ok(got.closure_days.some((d) => d.date.startsWith(`${y + 1}-05-`)), 'early May bank holiday');

  const j = await api(c, 'PUT', `/api/v1/term-dates/${y + 1}`, { use_english_defaults: true });
  assert.equal(j.status, 200, j.text);
  assert.equal(j.body.half_terms.length, 6);
});

test('term dates: closure days are added and removed', async () => {
  const c = as.coordinator;
  const t = (await api(c, 'GET', `/api/v1/term-dates/${year + 1}`)).body;
  // A weekday inside Spring 1, and a Saturday.
  let day = new Date(`${t.half_terms[2].starts_on}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 7);
  while ([0, 6].includes(day.getUTCDay())) day.setUTCDate(day.getUTCDate() + 1);
  const sat = new Date(day);
  while (sat.getUTCDay() !== 6) sat.setUTCDate(sat.getUTCDate() + 1);
  const parts = (d) => ({
    'closed_on-day': String(d.getUTCDate()), 'closed_on-month': String(d.getUTCMonth() + 1),
    'closed_on-year': String(d.getUTCFullYear()),
  });
  const page = `/term-dates/${year + 1}/edit`;
  let r = await submit(c, page, { ...parts(sat), reason: 'Weekend', action: 'add_closure' });
  assert.equal(r.status, 400);
  assert.deepEqual(summary(r.html).map((e) => [e.href, e.text]), [['#f-closed_on-day', 'Closure day must be a weekday']]);
  assert.equal(inputValue(r.html, 'reason'), 'Weekend');

  r = await submit(c, page, { ...parts(day), reason: 'Staff training day', action: 'add_closure' });
  assert.equal(r.status, 303, r.html.slice(0, 300));
  const iso = day.toISOString().slice(0, 10);
  let got = (await api(c, 'GET', `/api/v1/term-dates/${year + 1}`)).body.closure_days;
  const added = got.find((d) => d.date === iso);
  assert.ok(added, 'closure day recorded');
  assert.equal(added.reason, 'Staff training day');
  r = await submit(c, page, { ...parts(day), action: 'add_closure' });
  assert.equal(r.status, 400);
  assert.equal(summary(r.html)[0].text, 'This day is already a closure day');

  r = await submit(c, page, { closure_id: String(added.id), action: 'remove_closure' });
  assert.equal(r.status, 303);
  got = (await api(c, 'GET', `/api/v1/term-dates/${year + 1}`)).body.closure_days;
  assert.ok(!got.some((d) => d.date === iso));
  // Another authority's closure day cannot be removed from here.
  const theirs = (await api(await signIn('platform', 'windmill-harbour-77'), 'GET',
    `/api/v1/term-dates/${year}?authority=${other.authority}`)).body.closure_days;
  if (theirs.length) {
    r = await submit(c, page, { closure_id: String(theirs[0].id), action: 'remove_closure' });
    assert.equal(r.status, 404);
  }
});
