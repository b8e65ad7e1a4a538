// Teams and meetings: a Case Coordinator sets up teams (form and JSON),
// plans a three-weekly year from the term dates (school days only, never
// twice), records a held meeting with attendance and a guest, cancels one
// (a reason is required, and what was typed is kept); other roles cannot
// set up teams; a practitioner whose role is scoped to a team reaches that
// team's pupils and no others.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, Client, tasBin, decodeHtml, TODAY, dbSql } from './harness.mjs';

let srv;
const as = {}; // username -> signed-in Client with .csrf
let authorityId;
let picks; // GET /api/v1/teams/new as the coordinator
let primaryTeam; // the three-weekly team made with the form
let year; // current academic year (1 August start), UTC as the server
let terms = []; // [{starts, ends}] of that year, as recorded
let closures = new Set();
const today = TODAY;

// ---- helpers ---------------------------------------------------------------

function academicYearOf(iso) {
  const y = Number(iso.slice(0, 4));
  return Number(iso.slice(5, 7)) >= 8 ? y : y - 1;
}

// The test's own SQL runs on SQLite and on PostgreSQL (harness.mjs, dbSql).
function sql(statement) {
  return dbSql(srv.db, statement).split('\n').filter(Boolean).map((l) => l.split('|'));
}

function isoOf(d) {
  return d.toISOString().slice(0, 10);
}

function addDays(iso, n) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return isoOf(d);
}

function weekday(iso) {
  return new Date(`${iso}T00:00:00Z`).getUTCDay(); // 0 Sunday .. 6 Saturday
}

function inTerm(iso) {
  return terms.some((t) => iso >= t.starts && iso <= t.ends);
}

async function signIn(username) {
  const c = new Client(srv.base);
  const res = await c.signIn(username);
  assert.equal(res.status, 303, `sign in as ${username}`);
  const me = await c.get('/api/v1/me');
  c.csrf = (await me.json()).csrf;
  as[username] = c;
  return c;
}

/** A JSON request; resolves {status, json}. */
async function api(c, method, path, body) {
  const res = await c.request(path, {
    method,
    headers: { 'content-type': 'application/json', origin: c.base, 'x-csrf-token': c.csrf },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, text };
}

async function get(c, path) {
  const res = await c.get(path);
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* HTML */ }
  return { status: res.status, json, html: text };
}

/** Posts a form with the CSRF token of the page it belongs to. */
async function post(c, action, fields) {
  const all = Array.isArray(fields) ? [...fields, ['csrf', c.csrf]] : { ...fields, csrf: c.csrf };
  const res = await c.postForm(action, all);
  return { status: res.status, location: res.headers.get('location'), html: await res.text() };
}

function errorSummary(html) {
  const m = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html);
  return m ? decodeHtml(m[0]) : '';
}

async function allMeetings(c, teamId) {
  const r = await get(c, `/api/v1/meetings?team=${teamId}&order=oldest&per_page=200`);
  assert.equal(r.status, 200);
  return r.json.meetings;
}

// ---- set-up ----------------------------------------------------------------

before(async () => {
  srv = await startServer({ seed: 3 });
  const coord = await signIn('coordinator');
  const r = await get(coord, '/api/v1/teams/new');
  assert.equal(r.status, 200, r.html);
  picks = r.json;
  authorityId = picks.authority_id;
  year = academicYearOf(today);

  // Term dates and services belong to another area: make sure the year has
  // them (the demo may already), then read back what is recorded.
  const y1 = year + 1;
  const defaults = [
    [1, `${year}-09-03`, `${year}-10-23`], [2, `${year}-11-02`, `${year}-12-18`],
    [3, `${y1}-01-05`, `${y1}-02-12`], [4, `${y1}-02-22`, `${y1}-03-26`],
    [5, `${y1}-04-12`, `${y1}-05-28`], [6, `${y1}-06-07`, `${y1}-07-21`],
  ];
  const stmts = defaults.map(([n, s, e]) =>
    `INSERT INTO term_dates (authority_id, academic_year, half_term, starts_on, ends_on) ` +
    `VALUES (${authorityId}, ${year}, ${n}, '${s}', '${e}') ON CONFLICT DO NOTHING;`);
  stmts.push(`INSERT INTO closure_days (authority_id, closed_on, reason) VALUES (${authorityId}, '${y1}-05-05', 'Test closure') ON CONFLICT DO NOTHING;`);
  for (const [code, name, kind] of [['early_help', 'Early Help', 'local_authority'],
    ['ep', 'Educational Psychology', 'local_authority'], ['salt', 'Speech and Language Therapy', 'health']]) {
    stmts.push(`INSERT INTO services (authority_id, code, name, org_kind, active, created_at, updated_at) ` +
      `VALUES (${authorityId}, '${code}', '${name}', '${kind}', 1, 0, 0) ON CONFLICT DO NOTHING;`);
  }
  sql(stmts.join('\n'));
  terms = sql(`SELECT starts_on, ends_on FROM term_dates WHERE authority_id = ${authorityId} ` +
    `AND academic_year = ${year} ORDER BY half_term`).map(([starts, ends]) => ({ starts, ends }));
  closures = new Set(sql(`SELECT closed_on FROM closure_days WHERE authority_id = ${authorityId}`).map((r0) => r0[0]));
  picks = (await get(coord, '/api/v1/teams/new')).json;
  assert.ok(picks.services.length >= 3, 'services to choose from');
  assert.ok(picks.strategic_leads.length >= 1 && picks.case_coordinators.length >= 1);
});

after(async () => {
  if (srv) await srv.stop({ expectExitZero: true });
});

// ---- tests -----------------------------------------------------------------

test('a coordinator adds teams with the form and with JSON; errors keep what was typed', async () => {
  const c = as.coordinator;
  const page = await get(c, '/teams/new');
  assert.equal(page.status, 200);
  assert.match(page.html, /name="host_school_id"/);
  assert.match(page.html, /name="cadence"[^>]*value="three_weekly"/);

  // A primary with pupils hosts; two others join it.
  const primaries = picks.schools.filter((s) => s.phase === 'primary');
  let host = null;
  for (const s of primaries) {
    const p = await get(c, `/api/v1/pupils?school=${s.id}&per_page=1`);
    if (p.json.total > 0) { host = s; break; }
  }
  assert.ok(host, 'a primary school with pupils');
  const cluster = primaries.filter((s) => s.id !== host.id).slice(0, 2);
  const lead = picks.strategic_leads[0];
  const cc = picks.case_coordinators[0];
  const [sv1, sv2] = picks.services;

  // Nothing chosen: the errors, and the typed chair's name, come back.
  const bad = await post(c, '/teams', [['chair_name', "Ms O'Brien <b>"], ['start_time', '25:99'],
    ['duration_minutes', '90'], ['school_ids', String(cluster[0].id)]]);
  assert.equal(bad.status, 400);
  const summary = errorSummary(bad.html);
  assert.match(summary, /Select the school that hosts the team/);
  assert.match(summary, /Select how often the team meets/);
  assert.match(summary, /Start time must be a real time/);
  assert.match(bad.html, /value="Ms O&#39;Brien &lt;b&gt;"|value="Ms O&#x27;Brien &lt;b&gt;"/);
  assert.match(bad.html, /value="25:99"/);
  assert.match(bad.html, new RegExp(`value="${cluster[0].id}" checked`));

  const res = await post(c, '/teams', [
    ['host_school_id', String(host.id)], ['name', ''],
    ['school_ids', String(cluster[0].id)], ['school_ids', String(cluster[1].id)],
    ['chair_name', 'Ms Ada Lovelace'], ['strategic_lead_user_id', String(lead.id)],
    ['case_coordinator_user_id', String(cc.id)], ['cadence', 'three_weekly'], ['weekday', '3'],
    ['start_time', '13:30'], ['duration_minutes', '90'], ['location', 'Library'],
    ['service_ids', String(sv1.id)], ['service_ids', String(sv2.id)], ['active', 'yes'],
  ]);
  assert.equal(res.status, 303, errorSummary(res.html));
  const m = /^\/teams\/(\d+)\?saved=added$/.exec(res.location);
  assert.ok(m, res.location);
  const view = await get(c, res.location);
  assert.equal(view.status, 200);
  const text = decodeHtml(view.html);
  assert.match(text, new RegExp(`${host.name} TAS`), 'default name from the host school');
  assert.match(text, /Team added/);
  for (const s of cluster) assert.ok(text.includes(s.name));
  assert.match(text, /Every 3 weeks/);

  const j = await get(c, `/api/v1/teams/${m[1]}`);
  assert.equal(j.status, 200);
  primaryTeam = j.json.team;
  assert.equal(primaryTeam.schools.length, 3);
  assert.equal(primaryTeam.schools[0].id, host.id);
  assert.equal(primaryTeam.schools[0].host, true);
  assert.deepEqual(primaryTeam.members.map((x) => x.service_id).sort(), [sv1.id, sv2.id].sort());
  assert.equal(primaryTeam.strategic_lead.id, lead.id);
  assert.equal(primaryTeam.cadence, 'three_weekly');
  assert.equal(primaryTeam.weekday, 3);

  // JSON: a secondary meeting fortnightly on Tuesdays.
  const secondary = picks.schools.find((s) => s.phase === 'secondary');
  const created = await api(c, 'POST', '/api/v1/teams', {
    host_school_id: secondary.id, cadence: 'fortnightly', weekday: 2, start_time: '9:15',
    duration_minutes: 60, service_ids: [picks.services[2].id], chair_name: 'Mr Deputy',
  });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.json.team.start_time, '09:15');
  assert.equal(created.json.team.schools.length, 1);
  const upd = await api(c, 'PUT', `/api/v1/teams/${created.json.team.id}`, {
    host_school_id: secondary.id, cadence: 'fortnightly', weekday: 4, start_time: '09:15',
    duration_minutes: 60, name: 'Secondary TAS', active: false,
  });
  assert.equal(upd.status, 200, upd.text);
  assert.equal(upd.json.team.name, 'Secondary TAS');
  assert.equal(upd.json.team.active, false);
  assert.equal(upd.json.team.members.length, 0);

  // A team meeting on listed dates: holidays are refused; dates are planned.
  const inTermDays = [];
  for (let d = terms[2].starts; d <= terms[2].ends && inTermDays.length < 2; d = addDays(d, 1))
    if (weekday(d) >= 1 && weekday(d) <= 5 && !closures.has(d)) inTermDays.push(d);
  const holiday = addDays(terms[1].ends, 3);
  const other = picks.schools.find((s) => s.id !== host.id && s.id !== secondary.id && !cluster.includes(s));
  const datesBad = await api(c, 'POST', '/api/v1/teams', {
    host_school_id: other.id, cadence: 'dates', start_time: '14:00', duration_minutes: 60,
    dates: [inTermDays[0], holiday],
  });
  assert.equal(datesBad.status, 422);
  assert.equal(datesBad.json.errors[0].field, 'dates');
  // A list's errors name the item, not a line typed; an empty list asks for a list.
  const byList = { host_school_id: other.id, cadence: 'dates', start_time: '14:00', duration_minutes: 60 };
  for (const [dates, message] of [
    [[inTermDays[0], 20260114], 'Item 2 of dates is not a date: give each as text like "2026-01-14"'],
    [[inTermDays[0], `${inTermDays[1]}\n${inTermDays[0]}`], 'Item 2 of dates is not a date: give each as text like "2026-01-14"'],
    [['', inTermDays[0]], 'Item 1 of dates is not a date: give each as text like "2026-01-14"'],
    [[], 'Give the dates the team will meet as a list, like ["2026-01-14"]'],
  ]) {
    const r = await api(c, 'POST', '/api/v1/teams', { ...byList, dates });
    assert.equal(r.status, 422, JSON.stringify(dates));
    assert.deepEqual(r.json.errors.map((e) => [e.field, e.message]), [['dates', message]], JSON.stringify(dates));
  }
  const [y, mo, d] = inTermDays[1].split('-').map(Number);
  const datesOk = await api(c, 'POST', '/api/v1/teams', {
    host_school_id: other.id, cadence: 'dates', start_time: '14:00', duration_minutes: 60,
    dates: `${inTermDays[0]}\n${d}/${mo}/${y}\n${inTermDays[0]}`,
  });
  assert.equal(datesOk.status, 201, datesOk.text);
  assert.deepEqual(datesOk.json.plan, { planned: 2, existed: 0 });

  // Lists show the teams with their schools and next meeting.
  const list = await get(c, '/api/v1/teams');
  assert.equal(list.status, 200);
  assert.equal(list.json.total, 3);
  const listed = list.json.teams.find((t) => t.id === primaryTeam.id);
  assert.equal(listed.schools.length, 3);
  const html = await get(c, '/teams');
  assert.equal(html.status, 200);
  assert.ok(decodeHtml(html.html).includes(primaryTeam.name));
});

test('a three-weekly year is planned on school days only, and planning again adds nothing', async () => {
  const c = as.coordinator;
  assert.ok(primaryTeam, 'team from the previous test');
  const r = await api(c, 'POST', `/api/v1/teams/${primaryTeam.id}/plan`, { year, from_start: 'yes' });
  assert.equal(r.status, 200, r.text);
  const planned = r.json.plan.planned;
  assert.ok(planned >= 12 && planned <= 20, `three-weekly over a school year: ${planned}`);
  assert.equal(r.json.plan.existed, 0);

  const meetings = await allMeetings(c, primaryTeam.id);
  assert.equal(meetings.length, planned);
  for (const mt of meetings) {
    assert.equal(weekday(mt.date), 3, `${mt.date} is a Wednesday`);
    assert.ok(inTerm(mt.date), `${mt.date} is in term`);
    assert.ok(!closures.has(mt.date), `${mt.date} is not a closure day`);
    assert.equal(mt.status, 'planned');
    assert.equal(mt.start_time, '13:30');
  }
  for (let i = 1; i < meetings.length; i++) {
    const gap = (Date.parse(meetings[i].date) - Date.parse(meetings[i - 1].date)) / 86400000;
    assert.ok(gap >= 7, `meetings at least a week apart (${meetings[i - 1].date} ${meetings[i].date})`);
  }

  const again = await api(c, 'POST', `/api/v1/teams/${primaryTeam.id}/plan`, { year, from_start: 'yes' });
  assert.equal(again.status, 200);
  assert.deepEqual([again.json.plan.planned, again.json.plan.existed], [0, planned]);
  assert.equal((await allMeetings(c, primaryTeam.id)).length, planned);

  // The form: from today, nothing new, and the page says how many existed.
  const form = await get(c, `/teams/${primaryTeam.id}/plan`);
  assert.equal(form.status, 200);
  const viaForm = await post(c, `/teams/${primaryTeam.id}/plan`, { year: String(year) });
  assert.equal(viaForm.status, 303);
  assert.match(viaForm.location, /planned=0&existed=\d+/);
  const shown = await get(c, viaForm.location);
  assert.match(decodeHtml(shown.html), /0 meetings planned, \d+ already existed/);

  // A year with no term dates: said plainly, with the way to fix it.
  const none = await post(c, `/teams/${primaryTeam.id}/plan`, { year: String(year + 5) });
  assert.equal(none.status, 400);
  assert.match(errorSummary(none.html), /No term dates are recorded/);
  assert.match(none.html, /href="\/term-dates"/);
});

test('a past meeting is marked held, with attendance and a guest', async () => {
  const c = as.coordinator;
  const meetings = await allMeetings(c, primaryTeam.id);
  const past = meetings.filter((m) => m.date < today);
  const future = meetings.filter((m) => m.date > today);
  assert.ok(past.length >= 2, 'the year has begun: some meetings are past');
  const mt = past[0];

  // Attendance before it is held: refused, saying why.
  const early = await post(c, `/meetings/${mt.id}/attendance`, { 'status-school': 'present' });
  assert.equal(early.status, 400);
  assert.match(errorSummary(early.html), /Attendance can only be recorded for a meeting that was held/);

  if (future.length) {
    const f = await api(c, 'POST', `/api/v1/meetings/${future[0].id}/held`, { mode: 'in_person' });
    assert.equal(f.status, 422);
    assert.match(f.json.errors[0].message, /cannot be marked as held before then/);
  }

  // A page asks first, saying what will be recorded; nothing changes yet.
  const ask = await post(c, `/meetings/${mt.id}/held`, { mode: 'online' });
  assert.equal(ask.status, 200);
  assert.match(ask.html, /Mark the meeting on .* as held\?/);
  assert.match(ask.html, /name="confirm" value="yes"/);
  assert.equal((await get(c, `/api/v1/meetings/${mt.id}`)).json.meeting.status, 'planned');
  const held = await post(c, `/meetings/${mt.id}/held`, { mode: 'online', confirm: 'yes' });
  assert.equal(held.status, 303);
  assert.equal(held.location, `/meetings/${mt.id}?done=held`);

  const sheet = (await get(c, `/api/v1/meetings/${mt.id}`)).json;
  assert.equal(sheet.meeting.status, 'held');
  assert.equal(sheet.meeting.mode, 'online');
  const keys = sheet.attendance.map((a) => a.key);
  assert.deepEqual(keys.slice(0, 3), ['school', 'strategic_lead', 'case_coordinator']);
  assert.equal(keys.length, 3 + primaryTeam.members.length);
  assert.equal(sheet.attendance[0].person_name, 'Ms Ada Lovelace', 'the chair is pre-filled for the school');
  assert.equal(sheet.attendance[1].person_name, primaryTeam.strategic_lead.name);

  // One status missing: the others stay as chosen.
  const statuses = ['present', 'apologies', 'present', 'absent', 'present'];
  const fields = keys.map((k, i) => [`status-${k}`, statuses[i % statuses.length]]);
  const missing = await post(c, `/meetings/${mt.id}/attendance`, [...fields.slice(1), ['name-school', 'Mr Stand-in']]);
  assert.equal(missing.status, 400);
  assert.match(errorSummary(missing.html), /Select whether the school attended/);
  assert.match(missing.html, /value="Mr Stand-in"/);
  assert.match(missing.html, /id="f-status-strategic_lead-apologies"[^>]*checked/);

  const saved = await post(c, `/meetings/${mt.id}/attendance`, [...fields, ['name-school', 'Mr Stand-in']]);
  assert.equal(saved.status, 303, errorSummary(saved.html));
  const guest = await post(c, `/meetings/${mt.id}/guests`,
    { guest_name: 'Pat Example', guest_role: 'Social Worker (Adoption Team)' });
  assert.equal(guest.status, 303, errorSummary(guest.html));
  const noRole = await api(c, 'POST', `/api/v1/meetings/${mt.id}/guests`, { person_name: 'Nameless role' });
  assert.equal(noRole.status, 422);

  const after1 = (await get(c, `/api/v1/meetings/${mt.id}`)).json;
  assert.deepEqual(after1.attendance.map((a) => a.status), keys.map((k, i) => statuses[i % statuses.length]));
  assert.equal(after1.attendance[0].person_name, 'Mr Stand-in');
  assert.equal(after1.guests.length, 1);
  assert.equal(after1.guests[0].role, 'Social Worker (Adoption Team)');
  assert.equal(after1.guests[0].status, 'present');
  // Each status shown in words.
  const words = { present: 'Present', apologies: 'Apologies', absent: 'Absent' };
  assert.deepEqual(after1.attendance.map((a) => a.status_label), keys.map((k, i) => words[statuses[i % statuses.length]]));
  assert.equal(after1.guests[0].status_label, 'Present');
  assert.equal(after1.meeting.attendance_count, keys.length + 1);

  // JSON attendance replaces the standing rows, never the guests.
  const rows = keys.map((k) => ({ key: k, status: 'present' }));
  const viaJson = await api(c, 'POST', `/api/v1/meetings/${mt.id}/attendance`, { rows });
  assert.equal(viaJson.status, 200, viaJson.text);
  assert.ok(viaJson.json.attendance.every((a) => a.status === 'present'));
  assert.equal(viaJson.json.guests.length, 1);

  const page = await get(c, `/meetings/${mt.id}`);
  assert.equal(page.status, 200);
  assert.match(page.html, /govuk-tag--green">Held</);
  const shown = (await get(c, `/api/v1/meetings/${mt.id}`)).json.meeting;
  assert.equal(shown.status_label, 'Held');
  assert.equal(shown.mode_label, 'Online');
  assert.match(page.html, new RegExp(`href="/meetings/${mt.id}/agenda"`));
  assert.ok(decodeHtml(page.html).includes('Social Worker (Adoption Team)'));
});

test('a meeting is cancelled only with a reason, and must be reinstated before it is held', async () => {
  const c = as.coordinator;
  const meetings = await allMeetings(c, primaryTeam.id);
  const mt = meetings.filter((m) => m.date < today && m.status === 'planned')[0];
  assert.ok(mt, 'a past planned meeting');

  const nothing = await post(c, `/meetings/${mt.id}/cancel`, {});
  assert.equal(nothing.status, 400);
  assert.match(errorSummary(nothing.html), /Select why the meeting was cancelled/);
  const blank = await post(c, `/meetings/${mt.id}/cancel`, { reason_choice: 'other', cancel_reason: '  ' });
  assert.equal(blank.status, 400);
  assert.match(errorSummary(blank.html), /Enter why the meeting was cancelled/);
  assert.match(blank.html, /value="other" checked/, 'the choice made is kept');
  assert.equal((await get(c, `/api/v1/meetings/${mt.id}`)).json.meeting.status, 'planned');

  const ok = await post(c, `/meetings/${mt.id}/cancel`, { reason_choice: 'school_closure' });
  assert.equal(ok.status, 303);
  let j = (await get(c, `/api/v1/meetings/${mt.id}`)).json.meeting;
  assert.equal(j.status, 'cancelled');
  assert.equal(j.cancel_reason, 'School closure');
  const page = await get(c, `/meetings/${mt.id}`);
  assert.match(page.html, /govuk-tag--grey">Cancelled</);

  const heldNow = await api(c, 'POST', `/api/v1/meetings/${mt.id}/held`, { mode: 'in_person' });
  assert.equal(heldNow.status, 422);
  assert.match(heldNow.json.errors[0].message, /reinstate it/);
  const att = await api(c, 'POST', `/api/v1/meetings/${mt.id}/attendance`, { rows: [] });
  assert.equal(att.status, 422);

  const back = await api(c, 'POST', `/api/v1/meetings/${mt.id}/reinstate`, {});
  assert.equal(back.status, 200);
  assert.equal(back.json.meeting.status, 'planned');
  const free = await api(c, 'POST', `/api/v1/meetings/${mt.id}/cancel`, { cancel_reason: 'Key staff unavailable' });
  assert.equal(free.status, 200);
  assert.equal(free.json.meeting.cancel_reason, 'Key staff unavailable');

  // Moving: the slot must be free; the list filters by status.
  const target = meetings.find((m) => m.id !== mt.id && m.status === 'planned' && m.date > today);
  if (target) {
    const clash = await api(c, 'POST', `/api/v1/meetings/${target.id}/move`,
      { date: meetings.find((m) => m.id !== target.id).date, start_time: '13:30' });
    assert.equal(clash.status, 422);
    assert.match(clash.json.errors[0].message, /already has a meeting/);
  }
  const cancelled = await get(c, `/api/v1/meetings?team=${primaryTeam.id}&status=cancelled`);
  assert.equal(cancelled.json.total, 1);
  const counts = (await get(c, `/api/v1/teams/${primaryTeam.id}`)).json.meeting_counts;
  assert.equal(counts.held, 1);
  assert.equal(counts.cancelled, 1);
  assert.equal(counts.due, counts.held + counts.cancelled + counts.unrecorded);
  const listPage = await get(c, `/meetings?team=${primaryTeam.id}`);
  assert.equal(listPage.status, 200);
  assert.match(listPage.html, /govuk-tag--blue">Planned</);
  assert.match(listPage.html, new RegExp(`href="/teams/${primaryTeam.id}"`), 'the team column');
});

test('practitioners and evaluators cannot set up teams', async () => {
  for (const user of ['practitioner', 'evaluator']) {
    const c = await signIn(user);
    const r = await api(c, 'POST', '/api/v1/teams', {
      host_school_id: primaryTeam.host_school.id, cadence: 'fortnightly', weekday: 1,
      start_time: '10:00', duration_minutes: 60,
    });
    assert.equal(r.status, 403, user);
    assert.equal((await get(c, '/teams/new')).status, 403, user);
    const plan = await api(c, 'POST', `/api/v1/teams/${primaryTeam.id}/plan`, {});
    assert.ok(plan.status === 403 || plan.status === 404, `${user} cannot plan (${plan.status})`);
  }
});

test('a practitioner scoped to a team sees that team and its pupils only', async () => {
  const add = spawnSync(tasBin(), ['user', 'add', 'team.practitioner', '--db', srv.db, '--name', 'Tam Teamwork',
    '--role', 'practitioner', '--scope', 'team', '--scope-id', String(primaryTeam.id),
    '--authority-id', String(authorityId)], { input: 'team-practitioner-password\n', encoding: 'utf8', timeout: 60000 });
  assert.equal(add.status, 0, add.stderr);
  const c = new Client(srv.base);
  assert.equal((await c.signIn('team.practitioner', 'team-practitioner-password')).status, 303);
  c.csrf = (await (await c.get('/api/v1/me')).json()).csrf;

  const team = await get(c, `/api/v1/teams/${primaryTeam.id}`);
  assert.equal(team.status, 200);
  assert.equal(team.json.can_edit, false);
  const home = await get(c, '/teams');
  assert.equal(home.status, 200);
  assert.match(home.html, /href="\/meetings"/, 'Meetings in the navigation');

  const schoolIds = new Set(primaryTeam.schools.map((s) => s.id));
  const pupils = await get(c, '/api/v1/pupils?per_page=200');
  assert.equal(pupils.status, 200);
  assert.ok(pupils.json.total > 0, 'pupils of the team\'s schools');
  for (const p of pupils.json.pupils) assert.ok(schoolIds.has(p.school.id), `pupil at ${p.school.name}`);
  const one = await get(c, `/api/v1/pupils/${pupils.json.pupils[0].id}`);
  assert.equal(one.status, 200);

  const everyone = await get(as.coordinator, '/api/v1/pupils?per_page=200');
  const outsider = everyone.json.pupils.find((p) => !schoolIds.has(p.school.id));
  assert.ok(outsider);
  assert.equal((await get(c, `/api/v1/pupils/${outsider.id}`)).status, 404);

  const edit = await api(c, 'PUT', `/api/v1/teams/${primaryTeam.id}`, { name: 'Renamed' });
  assert.equal(edit.status, 403);
  const held = await api(c, 'POST', `/api/v1/meetings/1/held`, { mode: 'online' });
  assert.ok(held.status === 403 || held.status === 404);
});

test('a team meeting on listed dates: GOV.UK date inputs, errors linked to the row, nothing typed lost', async () => {
  const c = as.coordinator;
  const page = await get(c, '/teams/new');
  assert.equal(page.status, 200);
  assert.doesNotMatch(page.html, /<textarea[^>]*name="dates"/, 'no free-text box for dates');
  for (const part of ['day', 'month', 'year']) assert.match(page.html, new RegExp(`name="date1-${part}"`));
  assert.match(page.html, /name="date6-day"/, 'several dates at a time');

  // School days in the summer half-term (after either test day), and a holiday.
  const days = [];
  for (let d = terms[5].starts; d <= terms[5].ends && days.length < 2; d = addDays(d, 1))
    if (weekday(d) >= 1 && weekday(d) <= 5 && !closures.has(d)) days.push(d);
  const holiday = addDays(terms[4].ends, 3);
  const parts = (iso) => iso.split('-').map(Number).reverse().map(String);
  const host = picks.schools.find((s) => s.phase === 'primary');
  const base = [['host_school_id', String(host.id)], ['name', 'Listed Dates TAS'], ['cadence', 'dates'],
    ['start_time', '10:00'], ['duration_minutes', '60'], ['active', 'yes']];
  const row = (i, [d, m, y]) => [[`date${i}-day`, d], [`date${i}-month`, m], [`date${i}-year`, y]];
  const [, , y0] = parts(days[0]);

  const bad = await post(c, '/teams', [...base, ...row(1, parts(days[0])), ...row(2, ['31', '2', y0]),
    ...row(3, parts(holiday)), ...row(4, ['12', '', y0]), ...row(5, ['', '', '']), ...row(6, ['3', '4', '27'])]);
  assert.equal(bad.status, 400);
  const summary = errorSummary(bad.html);
  assert.match(summary, /Meeting date 2 must be a real date/);
  assert.match(summary, /Meeting date 3, [A-Za-z]+ \d+ [A-Za-z]+ \d{4}, is not a school day/);
  assert.match(summary, /Meeting date 4 must include a month/);
  assert.match(summary, /Year of meeting date 6 must include 4 numbers/);
  assert.doesNotMatch(summary, /Meeting date [15]\b/);
  for (const i of [2, 3, 4, 6]) assert.match(bad.html, new RegExp(`href="#f-date${i}-day"`), `row ${i} linked`);
  assert.match(bad.html, /id="f-date2-day" name="date2-day" type="text" value="31"/);
  assert.match(bad.html, new RegExp(`name="date1-day" type="text" value="${parts(days[0])[0]}"`));
  assert.match(bad.html, /name="date4-year" type="text" value="\d{4}"/);
  assert.match(bad.html, /name="date6-year" type="text" value="27"/);
  assert.match(bad.html, /value="Listed Dates TAS"/);
  assert.match(bad.html, /class="govuk-form-group govuk-form-group--error">\s*<fieldset[^>]*aria-describedby="f-date2-error"/);
  assert.equal(sql(`SELECT count(*) FROM teams WHERE name = 'Listed Dates TAS'`)[0][0], '0', 'nothing saved');

  const none = await post(c, '/teams', [...base, ...row(1, ['', '', ''])]);
  assert.equal(none.status, 400);
  assert.match(errorSummary(none.html), /Enter the dates the team will meet/);
  assert.match(none.html, /href="#f-date1-day"/);

  const ok = await post(c, '/teams', [...base, ...row(1, parts(days[0])), ...row(2, ['', '', '']),
    ...row(3, parts(days[1])), ...row(4, parts(days[0]))]);
  assert.equal(ok.status, 303, errorSummary(ok.html));
  assert.match(ok.location, /planned=2&existed=0/);
  const id = Number(/\/teams\/(\d+)/.exec(ok.location)[1]);
  assert.deepEqual((await allMeetings(c, id)).map((m) => m.date), days);

  // Changing the team shows its coming dates in the boxes, to add to.
  const edit = await get(c, `/teams/${id}/edit`);
  assert.equal(edit.status, 200);
  const [d1, m1, yy1] = parts(days[0]);
  assert.match(edit.html, new RegExp(`name="date1-day" type="text" value="${d1}"`));
  assert.match(edit.html, new RegExp(`name="date1-month" type="text" value="${m1}"`));
  assert.match(edit.html, new RegExp(`name="date1-year" type="text" value="${yy1}"`));
  assert.match(edit.html, new RegExp(`name="date2-day" type="text" value="${parts(days[1])[0]}"`));
  assert.match(edit.html, /name="date3-day" type="text" inputmode/, 'a blank box after them');
});
