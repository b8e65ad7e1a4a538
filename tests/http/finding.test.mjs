// Finding things (issue 10 item 5) and consistency (item 7): the page asked
// for before signing in is where signing in leads (only paths on this
// site), list filters offered on the page, the dashboard's school year,
// export links for whoever may export, and the checks on what is typed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, csrfFrom, decodeHtml, DEMO_PASSWORD, birthDateFor, newPupilJson, upnFor, TODAY, academicYearOf, DEMO_USERS } from './harness.mjs';

let srv;

before(async () => {
  srv = await startServer({ seed: 11, year: true });
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

// ---- filters on the meetings, cases and work lists ------------------------------------

async function apiAs(user) {
  const c = new Client(srv.base);
  const r = await c.postJson('/api/v1/sign-in', { username: user, password: DEMO_PASSWORD });
  c.csrf = (await r.json()).csrf;
  return c;
}

async function everything(c, path, key) {
  const out = [];
  for (let page = 1; ; page++) {
    const r = await c.api('GET', `${path}${path.includes('?') ? '&' : '?'}per_page=200&page=${page}`);
    assert.equal(r.status, 200, r.text);
    out.push(...r.json[key]);
    if (page >= r.json.pages) return { rows: out, body: r.json };
  }
}

/** The fields of the first GET form on a page: {name: [tag, type]}. */
function getForm(html, action) {
  const m = new RegExp(`<form method="get" action="${action}"[\\s\\S]*?</form>`).exec(html);
  assert.ok(m, `a GET form to ${action}`);
  const fields = {};
  for (const f of m[0].matchAll(/<(select|input)[^>]*name="([^"]+)"[^>]*>/g)) {
    fields[f[2]] = [f[1], /type="([^"]+)"/.exec(f[0])?.[1] ?? ''];
  }
  return fields;
}

test('meetings: team, school, this term and name filters, offered on the page', async () => {
  const coord = await apiAs('coordinator');
  const web = await signedIn('coordinator');
  const page = await web.getHtml('/meetings');
  const form = getForm(page.html, '/meetings');
  for (const [name, tag] of [['team', 'select'], ['school', 'select'], ['q', 'input'], ['term', 'input']]) {
    assert.equal(form[name]?.[0], tag, `the form offers ${name}`);
  }
  assert.equal(form.term[1], 'checkbox');
  const all = (await everything(coord, '/api/v1/meetings?order=oldest', 'meetings')).rows;
  assert.ok(all.length > 10, 'the demonstration year has meetings');

  // This term: exactly the meetings dated in the term holding today.
  const term = await everything(coord, '/api/v1/meetings?order=oldest&term=this', 'meetings');
  const { from, to, label } = term.body.term;
  assert.ok(from <= TODAY && TODAY <= to, `${from}..${to} holds ${TODAY}`);
  assert.match(label, /^(Autumn|Spring|Summer) term: /);
  assert.deepEqual(term.rows.map((m) => m.id), all.filter((m) => m.date >= from && m.date <= to).map((m) => m.id));
  assert.ok(term.rows.length > 0 && term.rows.length < all.length);

  // A name: any part of the team's name, in any case.
  const teamName = all[0].team.name;
  const part = teamName.split(' ')[0].toUpperCase();
  const named = await everything(coord, `/api/v1/meetings?order=oldest&q=${encodeURIComponent(` ${part} `)}`, 'meetings');
  assert.deepEqual(named.rows.map((m) => m.id),
    all.filter((m) => m.team.name.toLowerCase().includes(part.toLowerCase())).map((m) => m.id));
  assert.equal((await everything(coord, '/api/v1/meetings?q=%25', 'meetings')).rows.length, 0, '% is a character, not a wildcard');

  // A school: the meetings of the teams serving it.
  const teams = (await coord.api('GET', '/api/v1/teams?per_page=200')).json.teams;
  const team = (await coord.api('GET', `/api/v1/teams/${teams[0].id}`)).json.team;
  const school = team.schools[0].id;
  const serving = new Set();
  for (const t of teams) {
    const full = (await coord.api('GET', `/api/v1/teams/${t.id}`)).json.team;
    if (full.schools.some((s) => s.id === school)) serving.add(t.id);
  }
  const bySchool = await everything(coord, `/api/v1/meetings?order=oldest&school=${school}`, 'meetings');
  assert.deepEqual(bySchool.rows.map((m) => m.id), all.filter((m) => serving.has(m.team.id)).map((m) => m.id));

  // Together, on the page, and kept in the form and the paging links.
  const html = decodeHtml((await web.getHtml(`/meetings?team=${teams[0].id}&school=${school}&term=this&q=${encodeURIComponent(part)}&per_page=1`)).html);
  assert.match(html, /<input class="govuk-checkboxes__input" id="f-term" name="term" type="checkbox" value="this" checked>/);
  assert.match(html, new RegExp(`<option value="${school}" selected>`));
  assert.match(html, /Clear filters/);
  const next = /href="([^"]*page=2[^"]*)"/.exec(html);
  if (next) for (const k of ['term=this', `school=${school}`, `team=${teams[0].id}`, 'q=']) assert.ok(next[1].includes(k), `${k} in ${next[1]}`);
});

test('cases: team, school, this term and pupil name filters, offered on the page', async () => {
  const coord = await apiAs('coordinator');
  const web = await signedIn('coordinator');
  const form = getForm((await web.getHtml('/cases')).html, '/cases');
  for (const name of ['status', 'team', 'school', 'term', 'q']) assert.ok(form[name], `the form offers ${name}`);
  const all = (await everything(coord, '/api/v1/cases', 'cases')).rows;
  assert.ok(all.length > 5);
  // Name: part of the pupil's name, any case.
  const part = all[0].pupil_name.split(' ').at(-1).slice(0, 4).toLowerCase();
  const named = (await everything(coord, `/api/v1/cases?q=${encodeURIComponent(part.toUpperCase())}`, 'cases')).rows;
  assert.deepEqual(named.map((c) => c.id), all.filter((c) => c.pupil_name.toLowerCase().includes(part)).map((c) => c.id));
  // Team.
  const team = all[0].team_id;
  assert.deepEqual((await everything(coord, `/api/v1/cases?team=${team}`, 'cases')).rows.map((c) => c.id),
    all.filter((c) => c.team_id === team).map((c) => c.id));
  // This term: cases open at some time in the term.
  const t = await everything(coord, '/api/v1/cases?term=this', 'cases');
  const { from, to } = t.body.term;
  assert.deepEqual(t.rows.map((c) => c.id),
    all.filter((c) => c.opened_on <= to && (c.closed_on === null || c.closed_on >= from)).map((c) => c.id));
  // School: the pupils' school.
  const schoolOf = new Map();
  for (const c of all) {
    if (!schoolOf.has(c.pupil_id)) schoolOf.set(c.pupil_id, (await coord.api('GET', `/api/v1/pupils/${c.pupil_id}`)).json.pupil.school.id);
  }
  const school = schoolOf.get(all[0].pupil_id);
  assert.deepEqual((await everything(coord, `/api/v1/cases?school=${school}`, 'cases')).rows.map((c) => c.id),
    all.filter((c) => schoolOf.get(c.pupil_id) === school).map((c) => c.id));
  // The page shows dates as people write them, and says when nothing matches.
  const page = decodeHtml((await web.getHtml('/cases')).html);
  assert.doesNotMatch(page, /<td class="govuk-table__cell">\d{4}-\d\d-\d\d<\/td>/);
  const none = decodeHtml((await web.getHtml('/cases?q=zzzqqq')).html);
  assert.match(none, /No cases match/);
  assert.match(none, /value="zzzqqq"/);
});

test('work lists: team, school, this term and name filters, offered on the page', async () => {
  const coord = await apiAs('coordinator');
  const web = await signedIn('coordinator');
  const form = getForm((await web.getHtml('/work')).html, '/work');
  for (const name of ['team', 'school', 'term', 'q']) assert.ok(form[name], `the form offers ${name}`);
  const items = (x) => (Array.isArray(x) ? x : x?.items ?? []);
  const all = (await coord.api('GET', '/api/v1/work')).json;
  const overdue = items(all.overdue_actions), minutes = items(all.meetings_without_minutes);
  const review = items(all.cases_due_for_review), feedback = items(all.feedback_not_recorded);
  assert.ok(overdue.length > 3 && minutes.length + feedback.length > 0, 'the demonstration year leaves work to do');

  // A name: the pupil's (a meeting's team's).
  const part = overdue[0].pupil_name.split(' ')[0].slice(0, 3).toLowerCase();
  const named = (await coord.api('GET', `/api/v1/work?q=${encodeURIComponent(part.toUpperCase())}`)).json;
  const has = (s) => s.toLowerCase().includes(part);
  assert.deepEqual(items(named.overdue_actions).map((a) => a.id), overdue.filter((a) => has(a.pupil_name)).map((a) => a.id));
  assert.deepEqual(items(named.cases_due_for_review).map((c) => c.case_id), review.filter((c) => has(c.pupil_name)).map((c) => c.case_id));
  assert.deepEqual(items(named.meetings_without_minutes).map((m) => m.meeting_id), minutes.filter((m) => has(m.team_name)).map((m) => m.meeting_id));

  // This term: actions due and meetings held in it.
  const t = (await coord.api('GET', '/api/v1/work?term=this')).json;
  const { from, to } = t.term;
  const inTerm = (d) => d && d >= from && d <= to;
  assert.deepEqual(items(t.overdue_actions).map((a) => a.id), overdue.filter((a) => inTerm(a.due_on)).map((a) => a.id));
  assert.deepEqual(items(t.meetings_without_minutes).map((m) => m.meeting_id), minutes.filter((m) => inTerm(m.meeting_date)).map((m) => m.meeting_id));
  assert.deepEqual(items(t.feedback_not_recorded).map((f) => f.discussion_id), feedback.filter((f) => inTerm(f.meeting_date)).map((f) => f.discussion_id));

  // A team.
  const teamName = overdue[0].team_name;
  const teams = (await coord.api('GET', '/api/v1/teams?per_page=200')).json.teams;
  const team = teams.find((x) => x.name === teamName).id;
  const byTeam = (await coord.api('GET', `/api/v1/work?team=${team}`)).json;
  assert.deepEqual(items(byTeam.overdue_actions).map((a) => a.id), overdue.filter((a) => a.team_name === teamName).map((a) => a.id));
  assert.deepEqual(items(byTeam.meetings_without_minutes).map((m) => m.meeting_id), minutes.filter((m) => m.team_id === team).map((m) => m.meeting_id));

  // A school: actions on its pupils' cases.
  const schoolOf = async (pupil) => (await coord.api('GET', `/api/v1/pupils/${pupil}`)).json.pupil.school.id;
  const school = await schoolOf(overdue[0].pupil_id);
  const want = [];
  for (const a of overdue) if (await schoolOf(a.pupil_id) === school) want.push(a.id);
  const bySchool = (await coord.api('GET', `/api/v1/work?school=${school}`)).json;
  assert.deepEqual(items(bySchool.overdue_actions).map((a) => a.id), want);
  assert.ok(want.length < overdue.length || overdue.length === want.length);

  // The page keeps the filters in its "Show all" links.
  const page = decodeHtml((await web.getHtml(`/work?school=${school}&term=this`)).html);
  for (const m of page.matchAll(/href="(\/work\?all=1[^"]*)"/g)) assert.match(m[1], new RegExp(`school=${school}&term=this`));
  assert.match(page, /Clear filters/);
});

// ---- the dashboard: this school year, export links for whoever may export --------------

test('the dashboard opens on the current school year', async () => {
  const c = await apiAs('evaluator');
  const d = (await c.api('GET', '/api/v1/dashboard')).json;
  const y = academicYearOf(TODAY);
  assert.equal(d.filter.from, `${y}-08-01`);
  assert.equal(d.filter.to, `${y + 1}-07-31`);
  const web = await signedIn('evaluator');
  const html = (await web.getHtml('/dashboard')).html;
  // Shown in a GOV.UK date input: day, month and year.
  for (const [n, v] of [['from-day', '1'], ['from-month', '8'], ['from-year', String(y)], ['to-day', '31'], ['to-month', '7'], ['to-year', String(y + 1)]]) {
    assert.match(html, new RegExp(`name="${n}"[^>]*value="${v}"`), n);
  }
});

test('export links: shown to every role that may export, in every view, and only to them', async () => {
  for (const user of DEMO_USERS) {
    const web = await signedIn(user);
    for (const view of ['/dashboard', '/dashboard/report']) {
      const page = await web.getHtml(view);
      if (page.status !== 200) continue;
      const xlsx = (await web.get('/dashboard.xlsx')).status === 200;
      const csv = (await web.get('/dashboard.csv?table=meetings')).status === 200;
      const html = decodeHtml(page.html);
      assert.equal(/href="\/dashboard\.xlsx\?/.test(html), xlsx, `${user} ${view}: the XLSX link iff the export is allowed`);
      assert.equal(/href="\/dashboard\.csv\?table=/.test(html), csv, `${user} ${view}: CSV links iff allowed`);
    }
  }
});

test('dashboard figures are numbered once each, in order, on the dashboard and the report', async () => {
  const web = await signedIn('evaluator');
  for (const view of ['/dashboard', '/dashboard/report']) {
    const html = decodeHtml((await web.getHtml(view)).html);
    const numbers = [...html.matchAll(/Figure (\d+)/g)].map((m) => Number(m[1]));
    assert.ok(numbers.length >= 5, `${view}: figures labelled`);
    assert.deepEqual(numbers, numbers.map((_, i) => i + 1), `${view}: Figure 1, 2, 3, ... in order, none twice`);
    assert.doesNotMatch(html, /Figure \d+[a-z]/, 'no lettered figures left over');
  }
});

test('a chart whose values are all hidden says so instead of drawing empty axes', async () => {
  const coord = await apiAs('evaluator');
  const web = await signedIn('evaluator');
  const schools = (await coord.api('GET', '/api/v1/schools?per_page=200')).json.schools;
  let seen = 0, drawn = 0;
  const y = academicYearOf(TODAY) - 1;   // the demonstration year: last school year
  for (const s of schools.slice(0, 30)) {
    const q = `publish=yes&school_id=${s.id}&from=${y}-08-01&to=${y + 1}-07-31`;
    const d = await coord.api('GET', `/api/v1/dashboard?${q}`);
    if (d.status !== 200) continue;
    const html = decodeHtml((await web.getHtml(`/dashboard?${q}`)).html);
    for (const t of d.json.tables) {
      if (!t.chart) continue;
      const cells = t.rows.flatMap((r) => r.cells);
      const hidden = cells.some((c) => c.suppressed) && cells.every((c) => c.suppressed || !c.value);
      assert.equal(t.chart.all_suppressed === true, hidden, `${s.id} ${t.key}`);
      if (hidden) {
        seen++;
        assert.match(html, new RegExp(`id="chart-${t.key}-none">No chart: every value in this table is hidden or zero`));
        assert.doesNotMatch(html, new RegExp(`id="chart-${t.key}-title"`), `${t.key}: no empty axes`);
      } else {
        drawn++;
        assert.match(html, new RegExp(`id="chart-${t.key}-title"`));
      }
    }
    if (seen && drawn) break;
  }
  assert.ok(seen > 0, 'some published school view hides a whole chart');
});

// ---- pages that read correctly ---------------------------------------------------------

test('every home page offers a card for each place its menu offers, and nothing contradicts it', async () => {
  for (const user of DEMO_USERS) {
    const web = await signedIn(user);
    const html = decodeHtml((await web.getHtml('/')).html);
    const menu = [...html.matchAll(/class="govuk-service-navigation__link" href="([^"]+)"/g)].map((m) => m[1]).filter((h) => h !== '/');
    const cards = [...html.matchAll(/<h2 class="govuk-heading-m"><a class="govuk-link" href="([^"]+)">/g)].map((m) => m[1]);
    assert.deepEqual(cards, menu, `${user}: a card for each menu item, in the menu's order`);
    assert.doesNotMatch(html, /does not give access to any records/, user);
    if (user === 'practitioner') assert.ok(cards.includes('/work'), 'a practitioner is shown their work');
  }
});

test('the retention page reads as sentences', async () => {
  for (const user of ['dpo', 'admin']) {
    const web = await signedIn(user);
    const r = await web.getHtml('/retention');
    assert.equal(r.status, 200, user);
    const text = decodeHtml(r.html).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    assert.doesNotMatch(text, /\)\s*\(|\((anonymise|erase)\)|: from the day|pupil is \d/, `${user}: ${text.slice(0, 300)}`);
    assert.match(text, /For case, consent, pupil and outcome records, the time starts when the pupil's last case is closed/);
    assert.match(text, /Outcome records and toolkit completions Erased after \d+ months/);
    assert.match(text, /Anonymised after \d+ months, and not before the pupil turns 25|Case records \(case, discussions, actions, referrals\): anonymised/);
    assert.doesNotMatch(text, /turns 0/, 'no age, no age condition');
  }
});

test('one password advice sentence wherever a new password is chosen', async () => {
  const advice = 'Use at least 12 characters. Three random words together make a good password. Common passwords, and passwords containing the user name, are not accepted.';
  const admin = await signedIn('admin');
  const pages = [[await signedIn('coordinator'), '/account/password'], [admin, '/users/new']];
  const users = (await (await apiAs('admin')).api('GET', '/api/v1/users')).json.users;
  pages.push([admin, `/users/${users[0].id}/password`]);
  for (const [c, p] of pages) {
    const r = await c.getHtml(p);
    assert.equal(r.status, 200, p);
    assert.ok(decodeHtml(r.html).includes(advice), `${p} gives the advice`);
  }
});

// ---- closure days that clash with planned meetings ----------------------------------------

test('a closure day on a planned meeting warns on the term dates page and offers to move it', async () => {
  const coord = await apiAs('coordinator');
  const web = await signedIn('coordinator');
  const planned = (await everything(coord, '/api/v1/meetings?status=planned&order=oldest', 'meetings')).rows
    .filter((m) => m.date > TODAY);
  assert.ok(planned.length > 0, 'planned meetings ahead');
  const m = planned[0];
  const year = academicYearOf(m.date);
  const edit = `/term-dates/${year}/edit`;
  const before = decodeHtml((await web.getHtml(edit)).html);
  assert.equal(before.includes(`href="/meetings/${m.id}"`), false, 'no clash yet');
  const [y, mo, d] = m.date.split('-').map(Number);
  const add = await web.submitForm(edit, { action: 'add_closure', 'closed_on-day': d, 'closed_on-month': mo,
    'closed_on-year': y, reason: 'Staff training day' });
  assert.equal(add.status, 303, await add.text());
  const page = decodeHtml((await web.getHtml(edit)).html);
  assert.match(page, /Planned meetings fall on closure days/);
  const li = new RegExp(`<a class="govuk-link" href="/meetings/${m.id}">[^<]*</a>\\s*<form method="post" action="/meetings/${m.id}/move"[\\s\\S]*?</form>`).exec(page);
  assert.ok(li, 'the clashing meeting, with a button to move it');
  const field = (n) => new RegExp(`name="${n}" value="([^"]*)"`).exec(li[0])[1];
  const to = `${field('date-year')}-${field('date-month').padStart(2, '0')}-${field('date-day').padStart(2, '0')}`;
  assert.ok(to > m.date, `moved later: ${to}`);
  assert.match(li[0], /Move to \w+day \d+ \w+ \d{4}/);
  const moved = await web.postForm(`/meetings/${m.id}/move`, { csrf: field('csrf'), 'date-day': field('date-day'),
    'date-month': field('date-month'), 'date-year': field('date-year'), start_time: field('start_time') });
  assert.equal(moved.status, 303, await moved.text());
  assert.equal((await coord.api('GET', `/api/v1/meetings/${m.id}`)).json.meeting.date, to);
  const after = decodeHtml((await web.getHtml(edit)).html);
  assert.equal(after.includes(`href="/meetings/${m.id}"`), false, 'the clash is gone');
});

// ---- one date pattern in, one date format out --------------------------------------------------

test('date filters are GOV.UK date inputs (day, month, year) and accept what they send', async () => {
  const coord = await apiAs('coordinator');
  const y = academicYearOf(TODAY);
  for (const [user, page] of [['coordinator', '/meetings'], ['evaluator', '/dashboard'], ['dpo', '/audit']]) {
    const web = await signedIn(user);
    const html = (await web.getHtml(page)).html;
    for (const n of ['from', 'to']) {
      assert.doesNotMatch(html, new RegExp(`<input[^>]*name="${n}"`), `${page}: no one-box ${n} date`);
      for (const part of ['day', 'month', 'year']) assert.match(html, new RegExp(`name="${n}-${part}"`), `${page}: ${n}-${part}`);
    }
  }
  // The meetings list filtered by parts: the same as by one value.
  const parts = `from-day=1&from-month=9&from-year=${y}&to-day=31&to-month=12&to-year=${y}`;
  const byParts = await everything(coord, `/api/v1/meetings?order=oldest&${parts}`, 'meetings');
  const byIso = await everything(coord, `/api/v1/meetings?order=oldest&from=${y}-09-01&to=${y}-12-31`, 'meetings');
  assert.deepEqual(byParts.rows.map((m) => m.id), byIso.rows.map((m) => m.id));
  assert.ok(byParts.rows.every((m) => m.date >= `${y}-09-01` && m.date <= `${y}-12-31`));
  // A date that is not real is refused, with what was typed kept.
  const web = await signedIn('coordinator');
  const bad = decodeHtml((await web.getHtml(`/meetings?from-day=31&from-month=2&from-year=${y}`)).html);
  assert.match(bad, /From must be a real date/);
  assert.match(bad, /name="from-day"[^>]*value="31"/);
  const dash = await (await apiAs('evaluator')).api('GET', `/api/v1/dashboard?from-day=1&from-month=8&from-year=${y - 1}&to-day=31&to-month=7&to-year=${y}`);
  assert.equal(dash.status, 200, dash.text);
  assert.deepEqual([dash.json.filter.from, dash.json.filter.to], [`${y - 1}-08-01`, `${y}-07-31`]);
});

// The sweep of every page: each role signs in and follows every link on
// this site from its home page and the main lists (one page of each kind,
// ids put aside), and every page it reaches must show dates one way
// ("4 December 2026": never YYYY-MM-DD or 14/1/2027) and take them only
// through GOV.UK day, month and year boxes (no single box, no type="date").
const SWEEP_SEEDS = ['/', '/cases', '/meetings', '/work', '/dashboard', '/pupils', '/teams', '/schools', '/audit',
  '/account'];
const SWEEP_SKIP = /^\/(assets|api)\/|^\/sign-(in|out)|\.(csv|xlsx|ics|json|txt|pdf)(\?|$)|[?&](format|export)=|\/export\b|\/download\b|\/calendar\b/;
const DATE_NAME = /(^|_)(date|dates|dob)($|_)|_on$|^(from|to)$|_(from|to)$|birth/;

function pageKind(path) {
  return path.split('?')[0].split('/').map((seg) => (/^\d+$/.test(seg) ? ':id' : seg)).join('/');
}

function dateProblems(html) {
  const out = [];
  // What a file holds (<code>: the import's column formats) is not a date shown.
  const visible = html.replace(/<(script|style|textarea|code)\b[\s\S]*?<\/\1>/g, ' ').replace(/<[^>]+>/g, ' ');
  const iso = visible.match(/\b(19|20)\d\d-\d\d-\d\d\b/g);
  if (iso) out.push(`shows ${[...new Set(iso)].slice(0, 3).join(', ')}`);
  const slash = visible.match(/\b\d{1,2}\/\d{1,2}\/(19|20)\d\d\b/g);
  if (slash) out.push(`shows ${[...new Set(slash)].slice(0, 3).join(', ')}`);
  for (const m of html.matchAll(/<(input|textarea)\b([^>]*)>/g)) {
    const attrs = m[2];
    const type = (/\btype="([^"]*)"/.exec(attrs) || [])[1] || (m[1] === 'textarea' ? 'textarea' : 'text');
    const name = (/\bname="([^"]*)"/.exec(attrs) || [])[1] || '';
    if (type === 'date' || type === 'datetime-local') out.push(`${name}: type="${type}"`);
    if (['hidden', 'checkbox', 'radio', 'submit', 'button', 'file', 'password'].includes(type)) continue;
    if (/-(day|month|year)$/.test(name)) continue;
    if (DATE_NAME.test(name)) out.push(`takes ${name} as one box`);
  }
  return out;
}

test('dates are shown as "4 December 2026" and taken as day, month and year on every page, for every role', async () => {
  const problems = [];
  const kindsSeen = new Set();
  let pages = 0;
  for (const user of DEMO_USERS) {
    const web = await signedIn(user);
    const seen = new Set();
    const queue = [...SWEEP_SEEDS];
    while (queue.length && seen.size < 400) {
      const path = queue.shift();
      const kind = pageKind(path);
      if (seen.has(kind)) continue;
      seen.add(kind);
      const r = await web.getHtml(path);
      if (r.status !== 200 || !/<html/i.test(r.html)) continue;
      pages++;
      kindsSeen.add(kind);
      for (const p of dateProblems(decodeHtml(r.html))) problems.push(`${user} ${path}: ${p}`);
      for (const m of r.html.matchAll(/href="(\/[^"]*)"/g)) {
        const href = decodeHtml(m[1]).split('#')[0];
        if (!href || href.startsWith('//') || SWEEP_SKIP.test(href)) continue;
        if (!seen.has(pageKind(href))) queue.push(href);
      }
    }
  }
  if (process.env.TAS_SWEEP_LIST) console.log([...kindsSeen].sort().join('\n'));
  assert.deepEqual(problems, [], problems.join('\n'));
  // The sweep reached the pages that show and take dates, not only the lists.
  for (const k of ['/cases/:id', '/meetings/:id', '/pupils/:id', '/cases/:id/actions/new', '/pupils/new', '/teams/new',
    '/teams/:id/meetings/new', '/audit', '/term-dates', '/meetings/:id/agenda', '/discussions/:id', '/dashboard'])
    assert.ok(kindsSeen.has(k), `the sweep reached ${k} (reached ${kindsSeen.size} kinds of page)`);
  assert.ok(pages > 60, `pages swept: ${pages}`);
});
