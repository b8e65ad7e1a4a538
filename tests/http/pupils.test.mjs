// Pupils: list, search, paging, add and edit (form and JSON), validation
// with GOV.UK error summaries that keep what was typed, hostile input
// (SQL and HTML metacharacters), CSRF, and who may see which pupils.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, csrfFrom, decodeHtml, TODAY, birthDateFor } from './harness.mjs';

// Dates of birth follow the year group in the tests' school year (harness).
const Y4 = birthDateFor('4');                 // 4 March, in Year 4
const Y4_YEAR = Y4.slice(0, 4);
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
  'November', 'December'];
/** "2015-12-09" as the pages show it: "9 December 2015". */
const longDate = (iso) => `${Number(iso.slice(8))} ${MONTHS[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}`;

let srv;
const as = {}; // username -> signed-in Client with .csrf and .me
let headSchool; // id of the head's school
let otherSchool; // a school the head cannot see pupils of
let schoolName; // id -> name

// ---- helpers ---------------------------------------------------------------

const UPN_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';

/** The check letter for the 12 characters after it (DfE UPN guide, Annex A). */
function upnCheckLetter(body12) {
  let sum = 0;
  for (let i = 0; i < 12; i++) {
    const c = body12[i];
    const v = /[0-9]/.test(c) ? Number(c) : UPN_LETTERS.indexOf(c);
    sum += v * (i + 2);
  }
  return UPN_LETTERS[sum % 23];
}

let upnSeq = Math.floor(Math.random() * 1e8);
/** A valid UPN no demo pupil has (demo UPNs carry a real LA number, never 999). */
function freshUpn() {
  upnSeq += 1;
  const body = `999${String(upnSeq % 1e9).padStart(9, '0')}`;
  return upnCheckLetter(body) + body;
}

/** The same UPN with a wrong check letter. */
function wrongCheckLetter(upn) {
  const good = upn[0];
  return UPN_LETTERS[(UPN_LETTERS.indexOf(good) + 1) % 23] + upn.slice(1);
}

/** YYYY-MM-DD for a date relative to today (UTC), as the server counts days. */
function isoDay(offsetDays = 0, offsetYears = 0) {
  const d = new Date(`${TODAY}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + offsetYears);
  d.setUTCDate(d.getUTCDate() + offsetDays);
  return d.toISOString().slice(0, 10);
}

async function signIn(username) {
  const c = new Client(srv.base);
  const res = await c.postJson('/api/v1/sign-in', { username, password: 'demo-password' });
  assert.equal(res.status, 200, `sign-in of ${username}`);
  const body = await res.json();
  c.csrf = body.csrf;
  c.me = body.user;
  return c;
}

/** A JSON request with the session's CSRF token: {status, body, res}. */
async function api(c, method, path, body, { token = c.csrf } = {}) {
  const headers = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers['x-csrf-token'] = token;
  const res = await c.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, body: json, text, res };
}

function pupilJson(over = {}) {
  return {
    upn: freshUpn(), forenames: 'Test', surname: 'Pupil', date_of_birth: Y4,
    gender: 'F', ethnicity: 'WBRI', nc_year: '4', sen_provision: 'K', school_id: headSchool,
    ...over,
  };
}

function pupilForm(over = {}) {
  return {
    upn: freshUpn(), forenames: 'Ada', surname: 'Lovelace', 'dob-day': '4', 'dob-month': '3',
    'dob-year': Y4_YEAR, gender: 'F', ethnicity: 'WBRI', nc_year: '4', sen_provision: 'K',
    school_id: String(headSchool), ...over,
  };
}

/** Creates a pupil through the API as the coordinator; returns the record. */
async function createPupil(over = {}) {
  const r = await api(as.coordinator, 'POST', '/api/v1/pupils', pupilJson(over));
  assert.equal(r.status, 201, r.text);
  return r.body.pupil;
}

/** GETs the add form and posts fields with its token: {status, html, res}. */
async function submitNew(c, fields) {
  const res = await c.submitForm('/pupils/new', fields, { action: '/pupils' });
  return { status: res.status, html: await res.text(), res };
}

async function countByUpn(c, upn) {
  const r = await api(c, 'GET', `/api/v1/pupils?q=${encodeURIComponent(upn)}`);
  assert.equal(r.status, 200);
  return r.body.total;
}

async function totalPupils(c) {
  const r = await api(c, 'GET', '/api/v1/pupils?per_page=1');
  assert.equal(r.status, 200);
  return r.body.total;
}

/** Links and texts of the GOV.UK error summary: [{href, text}]. */
function summary(html) {
  const start = html.indexOf('<div class="govuk-error-summary"');
  if (start < 0) return [];
  const list = html.slice(start, html.indexOf('</ul>', start));
  return [...list.matchAll(/<a href="([^"]*)">([^<]*)<\/a>/g)]
    .map((m) => ({ href: m[1], text: decodeHtml(m[2]).trim() }));
}

/** All tags <input ...> with the given name. */
function inputs(html, name) {
  return [...html.matchAll(/<input\b[^>]*>/g)].map((m) => m[0])
    .filter((t) => t.includes(` name="${name}"`));
}

function attr(tag, a) {
  const m = new RegExp(`\\s${a}="([^"]*)"`).exec(tag);
  return m ? decodeHtml(m[1]) : undefined;
}

/** The value of the text input called name ('' when it has no value). */
function inputValue(html, name) {
  const tags = inputs(html, name);
  assert.equal(tags.length, 1, `one input named ${name}`);
  return attr(tags[0], 'value') ?? '';
}

/** The values of the checked radios called name. */
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

function selected(html, name) {
  return options(html, name).filter((o) => o.selected).map((o) => o.value);
}

/** Pupil ids linked from a list page. */
function listedIds(html) {
  return [...html.matchAll(/<a class="govuk-link" href="\/pupils\/(\d+)">/g)].map((m) => Number(m[1]));
}

function errorMessageCount(html) {
  return (html.match(/class="govuk-error-message"/g) || []).length;
}

// ---- setup -----------------------------------------------------------------

before(async () => {
  srv = await startServer({ extraArgs: ['--quiet'] });
  const users = ['coordinator', 'head', 'lead', 'evaluator', 'steering', 'practitioner'];
  const clients = await Promise.all(users.map(signIn));
  users.forEach((u, i) => { as[u] = clients[i]; });
  const role = as.head.me.roles.find((r) => r.role === 'school_lead');
  assert.ok(role && role.scope === 'school', 'head is a school lead of one school');
  headSchool = role.scope_id;
  const schools = await api(as.coordinator, 'GET', '/api/v1/schools?per_page=200');
  assert.equal(schools.status, 200);
  schoolName = new Map(schools.body.schools.map((s) => [s.id, s.name]));
  // Another school that has pupils.
  for (const s of schools.body.schools) {
    if (s.id === headSchool) continue;
    const r = await api(as.coordinator, 'GET', `/api/v1/pupils?school=${s.id}&per_page=1`);
    if (r.body.total > 0) { otherSchool = s.id; break; }
  }
  assert.ok(otherSchool, 'another school with pupils');
});

after(async () => {
  await srv?.stop({ expectExitZero: true });
});

// ---- listing and search ------------------------------------------------------

test('the list in HTML and JSON, with consistent paging', async () => {
  const c = as.coordinator;
  const first = await api(c, 'GET', '/api/v1/pupils');
  assert.equal(first.status, 200);
  assert.match(first.res.headers.get('content-type'), /^application\/json/);
  const { total } = first.body;
  assert.ok(total > 300, `the demo has a few hundred pupils (${total})`);
  assert.equal(first.body.page, 1);
  assert.equal(first.body.per_page, 25);
  assert.equal(first.body.pages, Math.ceil(total / 25));
  assert.equal(first.body.pupils.length, 25);
  for (const p of first.body.pupils) {
    for (const k of ['id', 'upn', 'forenames', 'surname', 'date_of_birth', 'gender', 'ethnicity', 'nc_year', 'sen_provision']) {
      assert.ok(k in p, `pupil has ${k}`);
    }
    assert.match(p.upn, /^[A-Z][0-9]{11}[0-9A-Z]$/);
    assert.equal(typeof p.school.name, 'string');
  }

  const html = await c.getHtml('/pupils');
  assert.equal(html.status, 200);
  assert.match(html.html, new RegExp(`${total} pupils found`));
  assert.deepEqual(listedIds(html.html), first.body.pupils.map((p) => p.id), 'same rows, same order');

  const p1 = await api(c, 'GET', '/api/v1/pupils?per_page=10&page=1');
  const p2 = await api(c, 'GET', '/api/v1/pupils?per_page=10&page=2');
  const p20 = await api(c, 'GET', '/api/v1/pupils?per_page=20');
  for (const r of [p1, p2]) {
    assert.equal(r.status, 200);
    assert.equal(r.body.total, total);
    assert.equal(r.body.per_page, 10);
    assert.equal(r.body.pages, Math.ceil(total / 10));
    assert.equal(r.body.pupils.length, 10);
  }
  assert.equal(p2.body.page, 2);
  const ids1 = p1.body.pupils.map((p) => p.id);
  const ids2 = p2.body.pupils.map((p) => p.id);
  assert.equal(ids1.filter((id) => ids2.includes(id)).length, 0, 'pages 1 and 2 share no pupil');
  assert.deepEqual([...ids1, ...ids2], p20.body.pupils.map((p) => p.id));

  const pages = Math.ceil(total / 10);
  const last = await api(c, 'GET', `/api/v1/pupils?per_page=10&page=${pages}`);
  assert.equal(last.body.pupils.length, total - 10 * (pages - 1));
  const beyond = await api(c, 'GET', `/api/v1/pupils?per_page=10&page=${pages + 1}`);
  assert.equal(beyond.status, 200);
  assert.equal(beyond.body.pupils.length, 0);

  // Every pupil exactly once over all pages.
  const seen = new Set();
  for (let page = 1; page <= Math.ceil(total / 200); page++) {
    const r = await api(c, 'GET', `/api/v1/pupils?per_page=200&page=${page}`);
    for (const p of r.body.pupils) seen.add(p.id);
  }
  assert.equal(seen.size, total);

  // HTML page 2 shows other pupils and links back to page 1.
  const h2 = await c.getHtml('/pupils?page=2');
  assert.equal(h2.status, 200);
  const hids = listedIds(h2.html);
  assert.equal(hids.length, 25);
  assert.equal(hids.filter((id) => listedIds(html.html).includes(id)).length, 0);
  assert.match(h2.html, /href="\/pupils\?q=(&amp;)?[^"]*page=1"/);
  assert.match(h2.html, /href="\/pupils\?q=(&amp;)?[^"]*page=3"/);
});

test('search by surname (any case, part of a name) and by UPN', async () => {
  const c = as.coordinator;
  const all = (await api(c, 'GET', '/api/v1/pupils?per_page=50')).body.pupils;
  const target = all.find((p) => p.surname.length >= 5);
  const s = target.surname;
  for (const q of [s, s.toLowerCase(), s.toUpperCase(), s.slice(1, -1)]) {
    const r = await api(c, 'GET', `/api/v1/pupils?per_page=200&q=${encodeURIComponent(q)}`);
    assert.equal(r.status, 200);
    assert.ok(r.body.total >= 1 && r.body.total < all.length * 10, `${q}: ${r.body.total}`);
    assert.ok(r.body.pupils.some((p) => p.id === target.id), `${q} finds ${s}`);
    for (const p of r.body.pupils) {
      assert.ok(`${p.forenames} ${p.surname}`.toLowerCase().includes(q.toLowerCase()), `${p.forenames} ${p.surname} matches ${q}`);
    }
  }
  for (const q of [target.upn, target.upn.toLowerCase()]) {
    const r = await api(c, 'GET', `/api/v1/pupils?q=${q}`);
    assert.equal(r.body.total, 1);
    assert.equal(r.body.pupils[0].id, target.id);
  }
  const html = await c.getHtml(`/pupils?q=${encodeURIComponent(s)}`);
  assert.equal(html.status, 200);
  assert.ok(listedIds(html.html).includes(target.id));
  assert.match(html.html, new RegExp(`value="${s}"`), 'the search box keeps the term');
  // LIKE wildcards are matched literally.
  for (const q of ['%', '_', '%%', '\\']) {
    const r = await api(c, 'GET', `/api/v1/pupils?q=${encodeURIComponent(q)}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.total, 0, `q=${q}`);
  }
  const none = await c.getHtml('/pupils?q=zzqqxxnomatch');
  assert.match(none.html, /0 pupils found/);
  assert.match(none.html, /No pupils match your search/);
});

test('a search too long to match any name finds nothing, not every pupil', async () => {
  for (const q of ['z'.repeat(101), 'z'.repeat(2000), '%'.repeat(100), '%_'.repeat(300)]) {
    const r = await api(as.coordinator, 'GET', `/api/v1/pupils?q=${encodeURIComponent(q)}`);
    assert.ok(r.status === 200 || r.status === 400, `${q.length} characters: status ${r.status}`);
    if (r.status === 200) assert.equal(r.body.total, 0, `${q.length} characters`);
    const html = await as.coordinator.getHtml(`/pupils?q=${encodeURIComponent(q)}`);
    assert.ok(html.status === 200 || html.status === 400, `HTML ${q.length} characters: status ${html.status}`);
    assert.equal(listedIds(html.html).length, 0);
    const s = await api(as.coordinator, 'GET', `/api/v1/schools?q=${encodeURIComponent(q)}`);
    assert.ok(s.status === 200 || s.status === 400, `schools ${q.length} characters: status ${s.status}`);
    if (s.status === 200) assert.equal(s.body.total, 0, `schools, ${q.length} characters`);
  }
});

test('HTML paging links keep per_page', async () => {
  const c = as.coordinator;
  const { html } = await c.getHtml('/pupils?per_page=10&page=2');
  const next = /<a [^>]*href="([^"]*page=3[^"]*)"/.exec(html);
  assert.ok(next, 'a link to page 3');
  const page3 = await c.getHtml(decodeHtml(next[1]));
  const want = (await api(c, 'GET', '/api/v1/pupils?per_page=10&page=3')).body.pupils.map((p) => p.id);
  assert.deepEqual(listedIds(page3.html), want);
});

// ---- adding and editing --------------------------------------------------------

test('adding a pupil with the form: 303 to the new record, which shows the values', async () => {
  const c = as.coordinator;
  const dob = birthDateFor('5', '12-09');
  const fields = pupilForm({ forenames: 'Grace Mary', surname: 'Hopper', 'dob-day': '9', 'dob-month': '12', 'dob-year': dob.slice(0, 4), gender: 'F', ethnicity: 'WIRI', nc_year: '5', sen_provision: 'E' });
  const r = await submitNew(c, fields);
  assert.equal(r.status, 303, r.html.slice(0, 500));
  const loc = r.res.headers.get('location');
  const m = /^\/pupils\/(\d+)\?saved=added$/.exec(loc);
  assert.ok(m, loc);
  const id = Number(m[1]);
  const view = await c.getHtml(loc);
  assert.equal(view.status, 200);
  const text = decodeHtml(view.html);
  for (const s of ['Pupil added', 'Grace Mary Hopper', fields.upn, longDate(dob), 'Female', 'White Irish', 'Year 5', 'EHC plan', schoolName.get(headSchool)]) {
    assert.ok(text.includes(s), `the page shows ${s}`);
  }
  const j = await api(c, 'GET', `/api/v1/pupils/${id}`);
  assert.equal(j.status, 200);
  assert.deepEqual(
    [j.body.pupil.upn, j.body.pupil.forenames, j.body.pupil.surname, j.body.pupil.date_of_birth, j.body.pupil.gender, j.body.pupil.ethnicity, j.body.pupil.nc_year, j.body.pupil.sen_provision, j.body.pupil.school.id],
    [fields.upn, 'Grace Mary', 'Hopper', dob, 'F', 'WIRI', '5', 'E', headSchool]);
});

test('adding a pupil with JSON: 201 with the record; the UPN is normalised', async () => {
  const c = as.coordinator;
  const upn = freshUpn();
  const spaced = `${upn.slice(0, 4)} ${upn.slice(4, 8)} ${upn.slice(8)}`.toLowerCase();
  const dob = birthDateFor('6', '06-23');
  const r = await api(c, 'POST', '/api/v1/pupils', pupilJson({ upn: spaced, forenames: 'Alan', surname: 'Turing', date_of_birth: dob, gender: 'M', ethnicity: 'WOTH', nc_year: '6', sen_provision: 'N', school_id: otherSchool }));
  assert.equal(r.status, 201, r.text);
  assert.match(r.res.headers.get('content-type'), /^application\/json/);
  const p = r.body.pupil;
  assert.equal(typeof p.id, 'number');
  assert.equal(p.upn, upn);
  assert.equal(p.forenames, 'Alan');
  assert.equal(p.surname, 'Turing');
  assert.equal(p.date_of_birth, dob);
  assert.equal(p.gender, 'M');
  assert.equal(p.ethnicity, 'WOTH');
  assert.equal(p.nc_year, '6');
  assert.equal(p.sen_provision, 'N');
  assert.equal(p.school.id, otherSchool);
  const g = await api(c, 'GET', `/api/v1/pupils/${p.id}`);
  assert.deepEqual(g.body.pupil, p);
  assert.equal(await countByUpn(c, upn), 1);
});

test('editing with the form and with PUT', async () => {
  const c = as.coordinator;
  const p = await createPupil({ forenames: 'Edith', surname: 'Clarke', date_of_birth: Y4, gender: 'F', ethnicity: 'WBRI', nc_year: '4', sen_provision: 'K' });
  const edit = await c.getHtml(`/pupils/${p.id}/edit`);
  assert.equal(edit.status, 200);
  assert.equal(inputValue(edit.html, 'upn'), p.upn);
  assert.equal(inputValue(edit.html, 'forenames'), 'Edith');
  assert.equal(inputValue(edit.html, 'surname'), 'Clarke');
  assert.equal(inputValue(edit.html, 'dob-day'), '4');
  assert.equal(inputValue(edit.html, 'dob-month'), '3');
  assert.equal(inputValue(edit.html, 'dob-year'), Y4_YEAR);
  assert.deepEqual(checked(edit.html, 'gender'), ['F']);
  assert.deepEqual(checked(edit.html, 'sen_provision'), ['K']);
  assert.deepEqual(selected(edit.html, 'ethnicity'), ['WBRI']);
  assert.deepEqual(selected(edit.html, 'nc_year'), ['4']);
  assert.deepEqual(selected(edit.html, 'school_id'), [String(headSchool)]);

  const y5 = birthDateFor('5', '03-05');
  const res = await c.postForm(`/pupils/${p.id}/edit`, {
    csrf: csrfFrom(edit.html), upn: p.upn, forenames: 'Edith', surname: 'Clarke-Jones', 'dob-day': '5',
    'dob-month': '3', 'dob-year': y5.slice(0, 4), gender: 'F', ethnicity: 'WBRI', nc_year: '5', sen_provision: 'E',
    school_id: String(headSchool),
  });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `/pupils/${p.id}?saved=updated`);
  const view = await c.getHtml(res.headers.get('location'));
  const text = decodeHtml(view.html);
  for (const s of ['Pupil details saved', 'Edith Clarke-Jones', longDate(y5), 'Year 5', 'EHC plan']) assert.ok(text.includes(s), s);

  const y6 = birthDateFor('6', '01-31');
  const put = await api(c, 'PUT', `/api/v1/pupils/${p.id}`, pupilJson({ upn: p.upn, forenames: 'Edie', surname: 'Clarke', date_of_birth: y6, nc_year: '6', sen_provision: 'N', school_id: otherSchool }));
  assert.equal(put.status, 200, put.text);
  assert.equal(put.body.pupil.id, p.id);
  assert.equal(put.body.pupil.forenames, 'Edie');
  const got = (await api(c, 'GET', `/api/v1/pupils/${p.id}`)).body.pupil;
  assert.deepEqual([got.forenames, got.surname, got.date_of_birth, got.nc_year, got.sen_provision, got.school.id],
    ['Edie', 'Clarke', y6, '6', 'N', otherSchool]);

  const bad = await api(c, 'PUT', `/api/v1/pupils/${p.id}`, pupilJson({ upn: wrongCheckLetter(p.upn), forenames: 'Changed' }));
  assert.equal(bad.status, 422);
  assert.deepEqual(bad.body.errors.map((e) => e.field), ['upn']);
  assert.equal((await api(c, 'GET', `/api/v1/pupils/${p.id}`)).body.pupil.forenames, 'Edie', 'unchanged');

  const missing = await api(c, 'PUT', '/api/v1/pupils/99999999', pupilJson());
  assert.equal(missing.status, 404);
});

// ---- validation ----------------------------------------------------------------

test('a wrong UPN check letter: 400, summary links to #f-upn, everything typed is kept', async () => {
  const c = as.coordinator;
  const reception = birthDateFor('R', '11-07').slice(0, 4);
  const fields = pupilForm({ upn: wrongCheckLetter(freshUpn()), forenames: 'Mary Ann', surname: "O'Neill-Smith", 'dob-day': '7', 'dob-month': '11', 'dob-year': reception, gender: 'X', ethnicity: 'MWAS', nc_year: 'R', sen_provision: 'E', school_id: String(otherSchool) });
  const r = await submitNew(c, fields);
  assert.equal(r.status, 400);
  assert.match(r.html, /<title>Error: /);
  assert.match(r.html, /class="govuk-error-summary"/);
  assert.deepEqual(summary(r.html), [{ href: '#f-upn', text: 'The UPN check letter is wrong – check the UPN and try again' }]);
  assert.equal(errorMessageCount(r.html), 1);
  assert.match(r.html, /id="f-upn-error" class="govuk-error-message"/);
  assert.match(inputs(r.html, 'upn')[0], /govuk-input--error/);
  assert.match(inputs(r.html, 'upn')[0], /\sid="f-upn"/, 'the summary link has a target');
  assert.equal(inputValue(r.html, 'upn'), fields.upn);
  assert.equal(inputValue(r.html, 'forenames'), 'Mary Ann');
  assert.equal(inputValue(r.html, 'surname'), "O'Neill-Smith");
  assert.equal(inputValue(r.html, 'dob-day'), '7');
  assert.equal(inputValue(r.html, 'dob-month'), '11');
  assert.equal(inputValue(r.html, 'dob-year'), reception);
  assert.deepEqual(checked(r.html, 'gender'), ['X']);
  assert.deepEqual(checked(r.html, 'sen_provision'), ['E']);
  assert.deepEqual(selected(r.html, 'ethnicity'), ['MWAS']);
  assert.deepEqual(selected(r.html, 'nc_year'), ['R']);
  assert.deepEqual(selected(r.html, 'school_id'), [String(otherSchool)]);
  assert.ok(csrfFrom(r.html), 'the form can be sent again');
  assert.equal(await countByUpn(c, fields.upn), 0, 'nothing saved');

  // Other malformed UPNs.
  for (const [upn, msg] of [['A12345', /13 characters/], ['1234567890123', /correct format/], ['I801200005001', /correct format/]]) {
    const x = await submitNew(c, pupilForm({ upn }));
    assert.equal(x.status, 400, upn);
    assert.deepEqual(summary(x.html).map((e) => e.href), ['#f-upn']);
    assert.match(summary(x.html)[0].text, msg);
    assert.equal(inputValue(x.html, 'upn'), upn);
  }
  // The API says the same in JSON.
  const j = await api(c, 'POST', '/api/v1/pupils', pupilJson({ upn: wrongCheckLetter(freshUpn()) }));
  assert.equal(j.status, 422);
  assert.equal(typeof j.body.error, 'string');
  assert.deepEqual(j.body.errors, [{ field: 'upn', message: 'The UPN check letter is wrong – check the UPN and try again' }]);
});

test('missing fields: one error for each, in form order, each linked to its field', async () => {
  const c = as.coordinator;
  const before = await totalPupils(c);
  const r = await submitNew(c, {});
  assert.equal(r.status, 400);
  const hrefs = summary(r.html).map((e) => e.href);
  assert.deepEqual(hrefs, ['#f-upn', '#f-forenames', '#f-surname', '#f-dob-day', '#f-gender', '#f-ethnicity', '#f-nc_year', '#f-sen_provision', '#f-school_id']);
  assert.equal(errorMessageCount(r.html), hrefs.length, 'an error message at every field');
  for (const h of hrefs) assert.match(r.html, new RegExp(`id="${h.slice(1)}"`), `${h} exists on the page`);
  for (const e of summary(r.html)) assert.ok(e.text.length > 5, e.text);

  // One missing part: one error, the rest kept.
  const fields = pupilForm({ 'dob-day': '' });
  const one = await submitNew(c, fields);
  assert.equal(one.status, 400);
  assert.deepEqual(summary(one.html), [{ href: '#f-dob-day', text: 'Date of birth must include a day' }]);
  assert.equal(inputValue(one.html, 'dob-month'), '3');
  assert.equal(inputValue(one.html, 'upn'), fields.upn);
  const j = await api(c, 'POST', '/api/v1/pupils', {});
  assert.equal(j.status, 422);
  assert.equal(j.body.errors.length, 9);
  assert.equal(await totalPupils(c), before, 'nothing saved');
});

test('dates of birth: in the future or today refused, and other impossible dates', async () => {
  const c = as.coordinator;
  const nextYear = String(Number(TODAY.slice(0, 4)) + 1);
  const cases = [
    [{ 'dob-day': '1', 'dob-month': '6', 'dob-year': nextYear }, 'Date of birth must be in the past'],
    [{ 'dob-day': '30', 'dob-month': '2', 'dob-year': Y4_YEAR }, 'Date of birth must be a real date'],
    [{ 'dob-day': '1', 'dob-month': '13', 'dob-year': Y4_YEAR }, null],
    [{ 'dob-day': '1', 'dob-month': '6', 'dob-year': '16' }, 'Year must include 4 numbers'],
    [{ 'dob-day': '1', 'dob-month': '6', 'dob-year': '1950' }, /aged between 2 and 25/],
  ];
  for (const [dob, msg] of cases) {
    const fields = pupilForm(dob);
    const r = await submitNew(c, fields);
    assert.equal(r.status, 400, JSON.stringify(dob));
    const s = summary(r.html);
    assert.equal(s.length, 1, JSON.stringify(s));
    assert.equal(s[0].href, '#f-dob-day');
    if (typeof msg === 'string') assert.equal(s[0].text, msg);
    else if (msg) assert.match(s[0].text, msg);
    assert.equal(inputValue(r.html, 'dob-year'), dob['dob-year'], 'typed year kept');
    assert.equal(await countByUpn(c, fields.upn), 0);
  }
  for (const dob of [isoDay(1), isoDay(0), isoDay(0, 5)]) {
    const body = pupilJson({ date_of_birth: dob });
    const j = await api(c, 'POST', '/api/v1/pupils', body);
    assert.equal(j.status, 422, dob);
    assert.equal(j.body.errors.length, 1);
    assert.ok(['dob', 'date_of_birth'].includes(j.body.errors[0].field), j.text);
    assert.equal(j.body.errors[0].message, 'Date of birth must be in the past');
    assert.equal(await countByUpn(c, body.upn), 0);
  }
  // Yesterday is in the past but too young; three years ago is fine (in Nursery 1).
  assert.equal((await api(c, 'POST', '/api/v1/pupils', pupilJson({ date_of_birth: isoDay(-1) }))).status, 422);
  assert.equal((await api(c, 'POST', '/api/v1/pupils', pupilJson({ date_of_birth: isoDay(0, -3), nc_year: 'N1' }))).status, 201);
});

test('JSON date errors name the field the API takes (date_of_birth)', async () => {
  const j = await api(as.coordinator, 'POST', '/api/v1/pupils', pupilJson({ date_of_birth: isoDay(1) }));
  assert.equal(j.status, 422);
  assert.deepEqual(j.body.errors.map((e) => e.field), ['date_of_birth']);
});

test('a UPN held at a school out of reach is not given away: the create is refused like any other', async () => {
  // A pupil at the other school, made by the coordinator.
  const elsewhere = await createPupil({ school_id: otherSchool, surname: 'Elsewhere' });
  // The head tries the same UPN at their own school, and (for comparison)
  // a fresh UPN at the school they cannot act for.
  const held = await api(as.head, 'POST', '/api/v1/pupils', pupilJson({ upn: elsewhere.upn }));
  const refused = await api(as.head, 'POST', '/api/v1/pupils', pupilJson({ school_id: otherSchool }));
  assert.equal(refused.status, 403);
  assert.equal(held.status, refused.status, held.text);
  assert.deepEqual(held.body, refused.body, 'the same answer, word for word');
  const page = await as.head.request('/pupils', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...pupilForm({ upn: elsewhere.upn }), csrf: as.head.csrf }).toString() });
  assert.equal(page.status, 403);
  assert.doesNotMatch(await page.text(), /already recorded/);
  // The coordinator, who reaches both schools, is told plainly.
  const c = await api(as.coordinator, 'POST', '/api/v1/pupils', pupilJson({ upn: elsewhere.upn }));
  assert.equal(c.status, 422);
  assert.deepEqual(c.body.errors, [{ field: 'upn', message: 'A pupil with this UPN is already recorded' }]);
});

test('a duplicate UPN is an error on the UPN field', async () => {
  const c = as.coordinator;
  const existing = (await api(c, 'GET', '/api/v1/pupils?per_page=1&page=3')).body.pupils[0];
  const fields = pupilForm({ upn: existing.upn, surname: 'Duplicate' });
  const r = await submitNew(c, fields);
  assert.equal(r.status, 400);
  assert.deepEqual(summary(r.html), [{ href: '#f-upn', text: 'A pupil with this UPN is already recorded' }]);
  assert.equal(inputValue(r.html, 'upn'), existing.upn);
  assert.equal(inputValue(r.html, 'surname'), 'Duplicate');
  // Case and spaces do not make a UPN new.
  const spaced = ` ${existing.upn.slice(0, 5).toLowerCase()} ${existing.upn.slice(5)} `;
  const j = await api(c, 'POST', '/api/v1/pupils', pupilJson({ upn: spaced }));
  assert.equal(j.status, 422);
  assert.deepEqual(j.body.errors, [{ field: 'upn', message: 'A pupil with this UPN is already recorded' }]);
  assert.equal(await countByUpn(c, existing.upn), 1);
  // Nor can an edit take another pupil's UPN.
  const mine = await createPupil();
  const put = await api(c, 'PUT', `/api/v1/pupils/${mine.id}`, pupilJson({ upn: existing.upn }));
  assert.equal(put.status, 422);
  assert.deepEqual(put.body.errors.map((e) => e.field), ['upn']);
  assert.equal((await api(c, 'GET', `/api/v1/pupils/${mine.id}`)).body.pupil.upn, mine.upn);
});

// ---- hostile input -----------------------------------------------------------

test('SQL metacharacters are stored and returned verbatim', async () => {
  const c = as.coordinator;
  const before = await totalPupils(c);
  const surname = `O'Brien"); DROP TABLE pupils;--`;
  const forenames = `Robert'); DELETE FROM pupils WHERE ('1'='1`;
  const p = await createPupil({ surname, forenames });
  assert.equal(p.surname, surname);
  assert.equal(p.forenames, forenames);
  const got = (await api(c, 'GET', `/api/v1/pupils/${p.id}`)).body.pupil;
  assert.equal(got.surname, surname);
  assert.equal(got.forenames, forenames);
  const found = await api(c, 'GET', `/api/v1/pupils?q=${encodeURIComponent(`O'Brien"); DROP`)}`);
  assert.equal(found.status, 200);
  assert.deepEqual(found.body.pupils.map((x) => x.id), [p.id]);
  assert.equal(await totalPupils(c), before + 1, 'the table is intact');
  // The same through the form.
  const r = await submitNew(c, pupilForm({ surname, forenames: "d'Artagnan; --" }));
  assert.equal(r.status, 303);
  const id = Number(/\/pupils\/(\d+)/.exec(r.res.headers.get('location'))[1]);
  const viaForm = (await api(c, 'GET', `/api/v1/pupils/${id}`)).body.pupil;
  assert.equal(viaForm.surname, surname);
  assert.equal(viaForm.forenames, "d'Artagnan; --");
  const view = await c.getHtml(`/pupils/${id}`);
  assert.ok(decodeHtml(view.html).includes(`d'Artagnan; -- ${surname}`));
  assert.equal(await totalPupils(c), before + 2);
});

test('HTML in a name is shown escaped, never as markup', async () => {
  const c = as.coordinator;
  const forenames = '<script>alert(1)</script>';
  const surname = 'Smith"><img src=x onerror=alert(2)>';
  const p = await createPupil({ forenames, surname });
  assert.equal(p.forenames, forenames, 'stored as typed');
  assert.equal(p.surname, surname);
  const pages = [
    await c.getHtml(`/pupils/${p.id}`),
    await c.getHtml(`/pupils?q=${encodeURIComponent('Smith">')}`),
    await c.getHtml(`/pupils/${p.id}/edit`),
  ];
  for (const { status, html } of pages) {
    assert.equal(status, 200);
    assert.doesNotMatch(html, /<script>alert\(1\)/);
    assert.doesNotMatch(html, /<img src=x/);
    assert.doesNotMatch(html.replace('<script type="module" src="/assets/tas-init.js"></script>', ''), /<script\b/i,
      'no script tags but the service\'s own module');
  }
  assert.ok(pages[0].html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(pages[0].html.includes('Smith&quot;&gt;&lt;img src=x onerror=alert(2)&gt;'));
  assert.match(pages[0].html, /<title>&lt;script&gt;alert\(1\)&lt;\/script&gt; Smith&quot;&gt;&lt;img/);
  assert.ok(listedIds(pages[1].html).includes(p.id));
  assert.equal(inputValue(pages[2].html, 'forenames'), forenames, 'attribute escaping round-trips');
  assert.equal(inputValue(pages[2].html, 'surname'), surname);
  // A form sent back with an error shows what was typed, escaped.
  const r = await submitNew(c, pupilForm({ upn: 'bad', surname }));
  assert.equal(r.status, 400);
  assert.doesNotMatch(r.html, /<img src=x/);
  assert.equal(inputValue(r.html, 'surname'), surname);
});

test('CSRF: a missing or wrong token changes nothing (403)', async () => {
  const c = as.coordinator;
  const before = await totalPupils(c);
  const fields = pupilForm();
  const noToken = await c.postForm('/pupils', fields);
  assert.equal(noToken.status, 403);
  assert.match(await noToken.text(), /This form has expired/);
  const wrong = await c.postForm('/pupils', { ...fields, csrf: 'a'.repeat(64) });
  assert.equal(wrong.status, 403);
  const j1 = await api(c, 'POST', '/api/v1/pupils', pupilJson({ upn: fields.upn }), { token: null });
  assert.equal(j1.status, 403);
  assert.equal(typeof j1.body.error, 'string');
  const j2 = await api(c, 'POST', '/api/v1/pupils', pupilJson({ upn: fields.upn }), { token: 'b'.repeat(64) });
  assert.equal(j2.status, 403);
  // Another user's token is not this session's token.
  const j3 = await api(c, 'POST', '/api/v1/pupils', pupilJson({ upn: fields.upn }), { token: as.head.csrf });
  assert.equal(j3.status, 403);
  assert.equal(await countByUpn(c, fields.upn), 0, 'nothing created');
  assert.equal(await totalPupils(c), before);

  const p = await createPupil({ surname: 'Unchanged' });
  const e1 = await c.postForm(`/pupils/${p.id}/edit`, pupilForm({ upn: p.upn, surname: 'Changed' }));
  assert.equal(e1.status, 403);
  const e2 = await api(c, 'PUT', `/api/v1/pupils/${p.id}`, pupilJson({ upn: p.upn, surname: 'Changed' }), { token: null });
  assert.equal(e2.status, 403);
  assert.equal((await api(c, 'GET', `/api/v1/pupils/${p.id}`)).body.pupil.surname, 'Unchanged');
});

// ---- who sees what ---------------------------------------------------------------

test("a school lead's lists hold only their own school's pupils", async () => {
  const h = as.head;
  const own = await api(as.coordinator, 'GET', `/api/v1/pupils?school=${headSchool}&per_page=200`);
  const r = await api(h, 'GET', '/api/v1/pupils?per_page=200');
  assert.equal(r.status, 200);
  assert.ok(r.body.total > 0);
  assert.equal(r.body.total, own.body.total);
  assert.ok(r.body.pupils.every((p) => p.school.id === headSchool));
  const other = await api(h, 'GET', `/api/v1/pupils?school=${otherSchool}`);
  assert.equal(other.body.total, 0);
  // Searching for another school's pupil finds nothing.
  const stranger = (await api(as.coordinator, 'GET', `/api/v1/pupils?school=${otherSchool}&per_page=1`)).body.pupils[0];
  assert.equal((await api(h, 'GET', `/api/v1/pupils?q=${stranger.upn}`)).body.total, 0);
  assert.equal((await api(h, 'GET', `/api/v1/pupils?q=${encodeURIComponent(stranger.surname)}`)).body.pupils
    .filter((p) => p.school.id !== headSchool).length, 0);
  // The HTML list and its school filter.
  const html = await h.getHtml('/pupils?per_page=200');
  assert.equal(html.status, 200);
  assert.match(html.html, new RegExp(`${r.body.total} pupils? found`));
  assert.deepEqual(new Set(listedIds(html.html)), new Set(r.body.pupils.map((p) => p.id)));
  assert.doesNotMatch(html.html, new RegExp(`href="/pupils/${stranger.id}"`));
  assert.deepEqual(options(html.html, 'school').map((o) => o.value).filter(Boolean), [String(headSchool)]);
});

test("another school's pupil is 404 for a school lead, like an id that does not exist", async () => {
  const h = as.head;
  const stranger = (await api(as.coordinator, 'GET', `/api/v1/pupils?school=${otherSchool}&per_page=1`)).body.pupils[0];
  const nothing = 99999999;
  const a = await api(h, 'GET', `/api/v1/pupils/${stranger.id}`);
  const b = await api(h, 'GET', `/api/v1/pupils/${nothing}`);
  assert.equal(a.status, 404);
  assert.equal(a.text, b.text, 'the same answer as for no pupil at all');
  assert.ok(!a.text.includes(stranger.surname));
  for (const path of [`/pupils/${stranger.id}`, `/pupils/${stranger.id}/edit`]) {
    const x = await h.getHtml(path);
    assert.equal(x.status, 404, path);
    assert.ok(!x.html.includes(stranger.upn), 'nothing of the pupil leaks');
    assert.ok(!decodeHtml(x.html).includes(stranger.surname));
  }
  const put = await api(h, 'PUT', `/api/v1/pupils/${stranger.id}`, pupilJson({ upn: stranger.upn, surname: 'Hijacked', school_id: headSchool }));
  assert.equal(put.status, 404);
  const { html } = await h.getHtml('/pupils');
  const post = await h.postForm(`/pupils/${stranger.id}/edit`, pupilForm({ csrf: csrfFrom(html), upn: stranger.upn, surname: 'Hijacked' }));
  assert.equal(post.status, 404);
  const still = (await api(as.coordinator, 'GET', `/api/v1/pupils/${stranger.id}`)).body.pupil;
  assert.equal(still.surname, stranger.surname);
  assert.equal(still.school.id, otherSchool);
  // Their own pupils they can open.
  const mine = (await api(h, 'GET', '/api/v1/pupils?per_page=1')).body.pupils[0];
  assert.equal((await api(h, 'GET', `/api/v1/pupils/${mine.id}`)).status, 200);
  assert.equal((await h.getHtml(`/pupils/${mine.id}`)).status, 200);
});

test('a school lead cannot add a pupil to, or move one into, another school', async () => {
  const h = as.head;
  const form = await h.getHtml('/pupils/new');
  assert.equal(form.status, 200);
  assert.deepEqual(options(form.html, 'school_id').map((o) => o.value).filter(Boolean), [String(headSchool)]);

  const fields = pupilForm({ school_id: String(otherSchool) });
  const r = await submitNew(h, fields);
  assert.ok([400, 403].includes(r.status), `form: ${r.status}`);
  const j = await api(h, 'POST', '/api/v1/pupils', pupilJson({ upn: fields.upn, school_id: otherSchool }));
  assert.ok([403, 422].includes(j.status), `api: ${j.status}`);
  assert.equal(await countByUpn(as.coordinator, fields.upn), 0, 'not created');

  // In their own school they can.
  const ok = await api(h, 'POST', '/api/v1/pupils', pupilJson({ school_id: headSchool }));
  assert.equal(ok.status, 201, ok.text);
  // But not move it away.
  const move = await api(h, 'PUT', `/api/v1/pupils/${ok.body.pupil.id}`, pupilJson({ upn: ok.body.pupil.upn, school_id: otherSchool }));
  assert.ok([403, 422].includes(move.status), `move: ${move.status}`);
  assert.equal((await api(as.coordinator, 'GET', `/api/v1/pupils/${ok.body.pupil.id}`)).body.pupil.school.id, headSchool);
});

test('evaluator, steering group and practitioner cannot reach pupils; a strategic lead only reads', async () => {
  const someone = (await api(as.coordinator, 'GET', '/api/v1/pupils?per_page=1')).body.pupils[0];
  for (const u of ['evaluator', 'steering', 'practitioner']) {
    const c = as[u];
    assert.equal((await c.getHtml('/pupils')).status, 403, `${u} /pupils`);
    const j = await api(c, 'GET', '/api/v1/pupils');
    assert.equal(j.status, 403, `${u} /api/v1/pupils`);
    assert.equal(j.body.pupils, undefined);
    assert.equal((await c.getHtml('/pupils/new')).status, 403, `${u} /pupils/new`);
    assert.ok([403, 404].includes((await api(c, 'GET', `/api/v1/pupils/${someone.id}`)).status), `${u} one pupil`);
    assert.ok([403, 404].includes((await c.getHtml(`/pupils/${someone.id}`)).status));
    const body = pupilJson();
    assert.equal((await api(c, 'POST', '/api/v1/pupils', body)).status, 403, `${u} create`);
    assert.equal(await countByUpn(as.coordinator, body.upn), 0);
    const home = await c.getHtml('/');
    assert.equal(home.status, 200);
    assert.doesNotMatch(home.html, /href="\/pupils"/, `${u}: no way to the pupils from home`);
  }
  const lead = as.lead;
  assert.equal((await api(lead, 'GET', '/api/v1/pupils')).status, 200);
  assert.equal((await api(lead, 'GET', `/api/v1/pupils/${someone.id}`)).status, 200);
  assert.equal((await lead.getHtml('/pupils/new')).status, 403);
  assert.equal((await lead.getHtml(`/pupils/${someone.id}/edit`)).status, 403);
  assert.equal((await api(lead, 'POST', '/api/v1/pupils', pupilJson())).status, 403);
  const put = await api(lead, 'PUT', `/api/v1/pupils/${someone.id}`, pupilJson({ upn: someone.upn, surname: 'Changed' }));
  assert.equal(put.status, 403);
});
