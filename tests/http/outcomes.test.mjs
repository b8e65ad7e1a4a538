// Outcomes over time (issue 13): a pupil's outcome records on the pupil
// page and through /api/v1/pupils/{id}/outcomes, the form that adds one
// (errors keep what was typed), who is refused, and the CSV import page:
// a check first, each bad row by line, nothing written with any problem,
// then everything in one go.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, csrfFrom, decodeHtml, TODAY, addDays, academicYearOf, upnFor } from './harness.mjs';
import { dbSql } from './harness.mjs';

let srv, coord, headJson, head, prac, pupilA, pupilB, otherPupil, upnA, upnB, upnOther;

function sql(q) {
  return dbSql(srv.db, q);
}

async function apiClient(user) {
  const c = new Client(srv.base);
  const res = await c.postJson('/api/v1/sign-in', { username: user, password: 'demo-password' });
  assert.equal(res.status, 200, `sign-in of ${user}`);
  c.csrf = (await res.json()).csrf;
  return c;
}

async function api(c, method, path, obj) {
  const res = method === 'GET' ? await c.request(path) : await c.request(path, {
    method,
    headers: { 'content-type': 'application/json', 'x-csrf-token': c.csrf },
    body: JSON.stringify(obj ?? {}),
  });
  const text = await res.text();
  let body;
  try { body = JSON.parse(text); } catch { body = undefined; }
  return { status: res.status, body, text };
}

const count = (pupil) => Number(sql(`SELECT count(*) FROM outcome_records WHERE pupil_id = ${pupil}`));

before(async () => {
  srv = await startServer({ seed: 13 });
  [pupilA, pupilB] = sql('SELECT id FROM pupils WHERE school_id = 1 ORDER BY id LIMIT 2').split('\n').map(Number);
  otherPupil = Number(sql('SELECT id FROM pupils WHERE school_id = 2 ORDER BY id LIMIT 1'));
  upnA = sql(`SELECT upn FROM pupils WHERE id = ${pupilA}`);
  upnB = sql(`SELECT upn FROM pupils WHERE id = ${pupilB}`);
  upnOther = sql(`SELECT upn FROM pupils WHERE id = ${otherPupil}`);
  coord = await apiClient('coordinator');
  headJson = await apiClient('head');
  prac = await apiClient('practitioner');
  head = new Client(srv.base);
  assert.equal((await head.signIn('head')).status, 303);
});

after(async () => { await srv?.stop({ expectExitZero: true }); });

test('API: an attendance term is added, listed with its percentage and persistent absence, and audited', async () => {
  const starts = addDays(TODAY, -200), ends = addDays(TODAY, -120);
  const r = await api(coord, 'POST', `/api/v1/pupils/${pupilA}/outcomes`, {
    kind: 'attendance', starts_on: starts, ends_on: ends, sessions_possible: 120, sessions_missed: 12,
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.outcome.kind, 'attendance');
  assert.equal(r.body.outcome.attendance_pct, 90);
  assert.equal(r.body.outcome.persistent_absence, true, 'exactly 90% is persistent absence');
  const list = await api(coord, 'GET', `/api/v1/pupils/${pupilA}/outcomes`);
  assert.equal(list.status, 200);
  const rec = list.body.outcomes.find((o) => o.id === r.body.outcome.id);
  assert.equal(rec.starts_on, starts);
  assert.equal(rec.sessions_missed, 12);
  const pj = await api(coord, 'GET', `/api/v1/pupils/${pupilA}`);
  assert.ok(pj.body.outcomes.some((o) => o.id === rec.id), 'the pupil\'s JSON carries the records');
  assert.equal(Number(sql(`SELECT count(*) FROM audit_log WHERE resource_kind = 'outcome' AND resource_id = ${rec.id} AND action = 'create'`)), 1);
  // The rules of core/outcomes.c answer the API with 422 and the fields.
  const bad = await api(coord, 'POST', `/api/v1/pupils/${pupilA}/outcomes`, {
    kind: 'attendance', starts_on: starts, ends_on: ends, sessions_possible: 120, sessions_missed: 130,
  });
  assert.equal(bad.status, 422);
  assert.ok(bad.text.includes('sessions_missed'));
  const future = await api(coord, 'POST', `/api/v1/pupils/${pupilA}/outcomes`, {
    kind: 'eal', starts_on: addDays(TODAY, 1),
  });
  assert.equal(future.status, 422, 'no record in the future');
});

test('page: the add form per kind, errors keep what was typed, then the pupil page lists it by kind', async () => {
  const form = await head.getHtml(`/pupils/${pupilB}/outcomes/new?kind=suspension`);
  assert.equal(form.status, 200);
  assert.ok(form.html.includes('name="starts-day"'), 'a GOV.UK date input');
  const before = count(pupilB);
  const csrf = csrfFrom(form.html);
  const d = addDays(TODAY, -30);
  const [y, m, dd] = d.split('-').map(Number);
  const bad = await head.postForm(`/pupils/${pupilB}/outcomes`, {
    csrf, kind: 'suspension', 'starts-day': dd, 'starts-month': m, 'starts-year': '26', sessions: '7', code: '',
  });
  assert.equal(bad.status, 400);
  const html = await bad.text();
  assert.ok(html.includes('govuk-error-summary'));
  assert.ok(html.includes('Year must include 4 numbers'));
  assert.ok(html.includes('Enter the DfE reason code'));
  assert.match(html, /id="f-sessions"[^>]*value="7"/, 'the length typed is kept');
  assert.match(html, /href="#f-starts-day"/, 'the summary links to the day box');
  assert.equal(count(pupilB), before, 'nothing written');
  const ok = await head.postForm(`/pupils/${pupilB}/outcomes`, {
    csrf, kind: 'suspension', 'starts-day': dd, 'starts-month': m, 'starts-year': y, sessions: '6', code: 'DB',
  });
  assert.equal(ok.status, 303);
  assert.match(ok.headers.get('location'), new RegExp(`^/pupils/${pupilB}\\?saved=outcome`));
  assert.equal(count(pupilB), before + 1);
  const page = await head.getHtml(`/pupils/${pupilB}`);
  const text = decodeHtml(page.html);
  assert.ok(text.includes('Outcomes over time'));
  assert.ok(text.includes('Suspension'));
  assert.ok(text.includes('6 sessions'));
  assert.ok(text.includes('(DB)'));
  assert.ok(page.html.includes(`/pupils/${pupilB}/outcomes/new?kind=attendance`), 'an add link per kind');
  // The choice of kind: a GET form; sent without a choice, an error.
  const choice = await head.getHtml(`/pupils/${pupilB}/outcomes/new`);
  assert.equal(choice.status, 200);
  assert.match(choice.html, /name="kind" type="radio" value="ap_placement"/);
  const none = await head.getHtml(`/pupils/${pupilB}/outcomes/new?choose=1`);
  assert.equal(none.status, 400);
  assert.match(none.html, /<a href="#f-kind">Select the kind of outcome record<\/a>/);
  // Without the form's token nothing is written.
  const forged = await head.postForm(`/pupils/${pupilB}/outcomes`, {
    kind: 'eal', 'starts-day': dd, 'starts-month': m, 'starts-year': y,
  });
  assert.equal(forged.status, 403);
  assert.equal(count(pupilB), before + 1);
});

test('the add form carries a one-time token: sent twice, it makes one record (issue 10, item 3)', async () => {
  const form = await head.getHtml(`/pupils/${pupilB}/outcomes/new?kind=eal`);
  assert.equal(form.status, 200);
  const token = form.html.match(/name="form_token" value="([0-9a-f]{32})"/)?.[1];
  assert.ok(token, 'the form has a token');
  const before = count(pupilB);
  const [y, m, d] = addDays(TODAY, -10).split('-').map(Number);
  const body = { csrf: csrfFrom(form.html), form_token: token, kind: 'eal', 'starts-day': d, 'starts-month': m,
    'starts-year': y };
  const first = await head.postForm(`/pupils/${pupilB}/outcomes`, body);
  assert.equal(first.status, 303);
  const again = await head.postForm(`/pupils/${pupilB}/outcomes`, body);
  assert.equal(again.status, 303);
  assert.equal(again.headers.get('location'), first.headers.get('location'), 'answered with what the first made');
  assert.equal(count(pupilB), before + 1, 'one record');
});

test('refused: a practitioner and another school\'s head are told "not found"', async () => {
  const rec = { kind: 'eal', starts_on: addDays(TODAY, -3) };
  for (const [c, pupil] of [[prac, pupilA], [headJson, otherPupil]]) {
    const before = count(pupil);
    assert.equal((await api(c, 'GET', `/api/v1/pupils/${pupil}/outcomes`)).status, 404);
    assert.equal((await api(c, 'POST', `/api/v1/pupils/${pupil}/outcomes`, rec)).status, 404);
    assert.equal(count(pupil), before);
  }
  assert.equal((await head.getHtml(`/pupils/${otherPupil}/outcomes/new?kind=eal`)).status, 404);
  assert.equal((await prac.getHtml(`/pupils/${pupilA}`)).status, 404);
  assert.equal((await prac.getHtml('/outcomes/import')).status, 403);
});

function importCsv(c, kind, csv, dryRun) {
  return api(c, 'POST', '/api/v1/outcomes/import', { kind, csv, dry_run: dryRun });
}

test('import: a check first writes nothing; bad rows by line; any problem imports nothing; then all', async () => {
  const s1 = addDays(TODAY, -100), s2 = addDays(TODAY, -50);
  const good = `upn,start_date,sessions,reason\r\n${upnA},${s1},4,PP\r\n${upnB},${s2},2,VP\r\n`;
  const a0 = count(pupilA), b0 = count(pupilB);

  // The page's check: rows counted, nothing written, the Import button offered.
  const form = await head.getHtml('/outcomes/import');
  assert.equal(form.status, 200);
  const csrf = csrfFrom(form.html);
  const check = await head.postForm('/outcomes/import', { csrf, kind: 'suspension', csv: good, step: 'check' });
  assert.equal(check.status, 200);
  const checked = decodeHtml(await check.text());
  assert.ok(checked.includes('2 of 2 rows checked'), checked.slice(0, 400));
  assert.ok(checked.includes('2 records for 2 pupils can be imported (Suspension)'));
  assert.match(checked, /name="step" value="import"/);
  assert.equal(count(pupilA), a0);
  assert.equal(count(pupilB), b0);

  // Bad rows: each named by line; the good rows are not written either.
  const bad = `upn,start_date,sessions,reason\n${upnA},${s1},4,PP\n${upnOther},${s2},2,VP\n${upnB},31/02/2026,2,VP\n${upnB},${s2},200,OT\n`;
  const r = await importCsv(headJson, 'suspension', bad, false);
  assert.equal(r.status, 422, r.text);
  const lines = r.body.problems.map((p) => `${p.line}:${p.field}`);
  assert.deepEqual(lines, ['3:upn', '4:date', '5:code', '5:sessions'], JSON.stringify(r.body.problems));
  assert.equal(r.body.written, 0);
  assert.equal(count(pupilA), a0, 'nothing half-imported');
  const page = await head.postForm('/outcomes/import', { csrf, kind: 'suspension', csv: bad, step: 'import' });
  assert.equal(page.status, 400);
  const ptext = decodeHtml(await page.text());
  assert.ok(ptext.includes('4 of 4 rows checked'));
  assert.ok(ptext.includes('Nothing was imported'));
  assert.ok(!/name="step" value="import"/.test(ptext), 'no Import button after problems');
  assert.equal(count(pupilA), a0);

  // A wrong header is a problem of line 1.
  const hdr = await importCsv(headJson, 'suspension', `upn,date\n${upnA},${s1}\n`, true);
  assert.equal(hdr.status, 422);
  assert.equal(hdr.body.problems[0].line, 1);

  // The import itself: everything, audited; again, refused as already stored.
  const done = await head.postForm('/outcomes/import', { csrf, kind: 'suspension', csv: good, step: 'import' });
  assert.equal(done.status, 200);
  assert.ok(decodeHtml(await done.text()).includes('2 records for 2 pupils: Suspension'));
  assert.equal(count(pupilA), a0 + 1);
  assert.equal(count(pupilB), b0 + 1);
  const again = await importCsv(headJson, 'suspension', good, false);
  assert.equal(again.status, 422);
  assert.deepEqual(again.body.problems.map((p) => p.line), [2, 3]);
  assert.equal(count(pupilA), a0 + 1);
});

// Term dates of our own for three school years ending before TODAY, so
// the windows are known exactly: half-terms 1+2 autumn (4 Sep to 20 Dec),
// 3+4 spring (6 Jan to 3 Apr), 5+6 summer (21 Apr to 21 Jul).
function termsOf(y) {
  return {
    autumn: [`${y}-09-04`, `${y}-12-20`], spring: [`${y + 1}-01-06`, `${y + 1}-04-03`],
    summer: [`${y + 1}-04-21`, `${y + 1}-07-21`],
  };
}

/** The authority of school 1 gets the term dates of termsOf for the three
 * years before TODAY's; a team there with a meeting held in spring y0+1. */
function setTerms(teamName) {
  const y0 = academicYearOf(TODAY) - 3;
  const auth = Number(sql('SELECT authority_id FROM schools WHERE id = 1'));
  for (const y of [y0, y0 + 1, y0 + 2]) {
    const t = termsOf(y);
    const half = [[t.autumn[0], `${y}-10-20`], [`${y}-10-30`, t.autumn[1]], [t.spring[0], `${y + 1}-02-14`],
      [`${y + 1}-02-24`, t.spring[1]], [t.summer[0], `${y + 1}-05-23`], [`${y + 1}-06-02`, t.summer[1]]];
    sql(`DELETE FROM term_dates WHERE authority_id = ${auth} AND academic_year = ${y};`);
    half.forEach(([s, e], i) => sql(`INSERT INTO term_dates (authority_id, academic_year, half_term, starts_on, ends_on)
      VALUES (${auth}, ${y}, ${i + 1}, '${s}', '${e}');`));
  }
  const presented = `${y0 + 2}-02-10`;
  const team = Number(sql(`INSERT INTO teams (authority_id, host_school_id, name, cadence, created_at, updated_at)
    VALUES (${auth}, 1, '${teamName}', 'three_weekly', 1, 1) RETURNING id;`));
  sql(`INSERT INTO team_schools VALUES (${team}, 1);`);
  const meeting = Number(sql(`INSERT INTO meetings (team_id, meeting_date, start_time, status, created_at, updated_at)
    VALUES (${team}, '${presented}', '13:30', 'held', 1, 1) RETURNING id;`));
  return { y0, T0: termsOf(y0), T1: termsOf(y0 + 1), T2: termsOf(y0 + 2), presented, team, meeting, auth };
}

/** A case for pupil in team, opened on `opened`, first discussed at the team's meeting on `on`. */
function presentCase(pupil, team, opened, on) {
  const kase = Number(sql(`INSERT INTO cases (pupil_id, team_id, opened_on, created_at, updated_at)
    VALUES (${pupil}, ${team}, '${opened}', 1, 1) RETURNING id;`));
  const meeting = Number(sql(`SELECT id FROM meetings WHERE team_id = ${team} AND meeting_date = '${on}'`));
  sql(`INSERT INTO discussions (meeting_id, case_id, kind, created_at, updated_at) VALUES (${meeting}, ${kase}, 'new', 1, 1);`);
  return kase;
}

test('before and after: two terms either side of the day presented, the term itself in neither', async () => {
  const { y0, T0, T1, T2, presented, team } = setTerms('Outcomes TAS');
  // A pupil of school 1 with no records yet; a case presented in spring y0+1.
  const pupil = Number(sql(`SELECT id FROM pupils WHERE school_id = 1 AND id NOT IN (${pupilA}, ${pupilB})
    AND id NOT IN (SELECT pupil_id FROM outcome_records) ORDER BY id LIMIT 1`));
  const kase = presentCase(pupil, team, T1.autumn[0], presented);
  void y0;

  const add = async (rec) => {
    const r = await api(coord, 'POST', `/api/v1/pupils/${pupil}/outcomes`, rec);
    assert.equal(r.status, 201, r.text);
  };
  const att = (term, possible, missed) => add({ kind: 'attendance', starts_on: term[0], ends_on: term[1],
    sessions_possible: possible, sessions_missed: missed });
  await att(T0.spring, 100, 50);          // three terms before: outside the window
  await att(T0.summer, 100, 20);          // before
  await att(T1.autumn, 100, 10);          // before: 170/200 = 85%
  await att(T1.spring, 100, 100);         // the term presented in: neither
  await att(T1.summer, 100, 5);           // after
  await att(T2.autumn, 100, 3);           // after: 192/200 = 96%
  const susp = (day) => add({ kind: 'suspension', starts_on: day, sessions: 2, code: 'DB' });
  await susp(T1.autumn[1]);               // the last day of the before window
  await susp(T0.summer[0]);               // the first day of the before window
  await susp(T1.spring[0]);               // in the term presented: neither
  await susp(T1.summer[0]);               // the first day after

  const r = await api(coord, 'GET', `/api/v1/cases/${kase}/outcomes`);
  assert.equal(r.status, 200, r.text);
  const ba = r.body.before_after;
  assert.equal(ba.presented_on, presented);
  assert.equal(ba.complete, true);
  assert.deepEqual([ba.before.from, ba.before.to], [T0.summer[0], T1.autumn[1]]);
  assert.deepEqual([ba.after.from, ba.after.to], [T1.summer[0], T2.autumn[1]]);
  assert.deepEqual([ba.before.sessions_possible, ba.before.sessions_missed], [200, 30]);
  assert.deepEqual([ba.after.sessions_possible, ba.after.sessions_missed], [200, 8]);
  assert.equal(ba.before.suspensions, 2);
  assert.equal(ba.after.suspensions, 1);
  assert.equal(ba.attendance, 'rose');
  assert.equal(ba.suspensions, 'fell');
  assert.equal(ba.stayed_in_mainstream, true);
  // One term either side: autumn y0+1 and summer y0+1.
  const one = (await api(coord, 'GET', `/api/v1/cases/${kase}/outcomes?terms=1`)).body.before_after;
  assert.deepEqual([one.before.sessions_possible, one.before.sessions_missed], [100, 10]);
  assert.deepEqual([one.after.sessions_possible, one.after.sessions_missed], [100, 5]);
  assert.equal((await api(coord, 'GET', `/api/v1/cases/${kase}/outcomes?terms=0`)).status, 422);

  // The case page: the table and the chart, with the same numbers.
  const coordPage = new Client(srv.base);
  assert.equal((await coordPage.signIn('coordinator')).status, 303);
  const page = await coordPage.getHtml(`/cases/${kase}`);
  assert.equal(page.status, 200);
  const text = decodeHtml(page.html);
  assert.ok(text.includes('Before and after'));
  assert.match(text, /Attendance<\/th>\s*<td[^>]*>85\.0%<\/td>\s*<td[^>]*>96\.0%<\/td>\s*<td[^>]*>Rose/);
  assert.match(page.html, /<svg[^>]*role="img"/);
  assert.ok(text.includes('>85.0%</text>') && text.includes('>96.0%</text>'), 'the chart labels its bars');
  assert.ok(!text.includes('not complete yet'), 'both windows are over');
  // A case opened today and not yet presented: the terms after are still to come.
  const fresh = Number(sql(`INSERT INTO cases (pupil_id, team_id, opened_on, created_at, updated_at)
    VALUES (${pupil}, ${team}, '${TODAY}', 1, 1) RETURNING id;`));
  const freshPage = decodeHtml((await coordPage.getHtml(`/cases/${fresh}`)).html);
  assert.match(freshPage, /The terms after end on \d{1,2} [A-Z][a-z]+ \d{4}, so the figures after are not complete yet/);
  // Someone who may not see the pupil's outcomes gets nothing.
  assert.equal((await api(prac, 'GET', `/api/v1/cases/${kase}/outcomes`)).status, 404);
});

test('dashboard: the team\'s shares of pupils whose attendance rose, suspensions fell, who stayed in mainstream', async () => {
  const { T0, T1, presented, team } = setTerms('Shares TAS');
  const pupils = sql(`SELECT id FROM pupils WHERE school_id = 1 ORDER BY id DESC LIMIT 7`).split('\n').map(Number);
  // The seventh has no outcome records: presented, but not compared.
  presentCase(pupils.pop(), team, T1.autumn[0], presented);
  for (const [i, pupil] of pupils.entries()) {
    presentCase(pupil, team, T1.autumn[0], presented);
    const add = async (rec) => assert.equal((await api(coord, 'POST', `/api/v1/pupils/${pupil}/outcomes`, rec)).status, 201);
    await add({ kind: 'attendance', starts_on: T0.summer[0], ends_on: T0.summer[1], sessions_possible: 100, sessions_missed: 20 });
    // Three rose (20 missed to 5), three fell (to 30).
    await add({ kind: 'attendance', starts_on: T1.summer[0], ends_on: T1.summer[1], sessions_possible: 100,
      sessions_missed: i < 3 ? 5 : 30 });
    await add({ kind: 'suspension', starts_on: T0.summer[0], sessions: 2, code: 'DB' });
    // One pupil went to alternative provision after and is still there.
    if (i === 5) await add({ kind: 'ap_placement', starts_on: T1.summer[0] });
  }
  const range = `team_id=${team}&from=${presented.slice(0, 4)}-01-01&to=${presented.slice(0, 4)}-03-31`;
  const rows = async (q) => {
    const r = await api(coord, 'GET', `/api/v1/dashboard?${q}`);
    assert.equal(r.status, 200, r.text);
    const t = r.body.tables.find((x) => x.key === 'outcomes');
    return Object.fromEntries(t.rows.map((row) => [row.label, row.cells.find((c) => c.column === 'Total')]));
  };
  const exact = await rows(range);
  assert.equal(exact['Cases compared'].value, 6);
  assert.equal(exact['Attendance recorded before and after'].value, 6);
  assert.deepEqual([exact['Attendance rose'].value, exact['Attendance rose'].percent], [3, 50]);
  assert.deepEqual([exact['Suspensions fell'].value, exact['Suspensions fell'].percent], [6, 100]);
  assert.deepEqual([exact['Stayed in mainstream'].value, exact['Stayed in mainstream'].percent], [5, 83]);
  // Marked for publication, counts under the threshold (5) are "c", as
  // everywhere on the dashboard; their percentages go with them.
  const pub = await rows(`${range}&publish=yes`);
  assert.equal(pub['Cases compared'].value, 6);
  assert.equal(pub['Attendance rose'].suppressed, true);
  assert.equal(pub['Attendance rose'].text, 'c');
  assert.equal(pub['Attendance rose'].percent, null);
  assert.equal(pub['Stayed in mainstream'].value, 5);
  assert.equal(pub['Suspensions fell'].value, 6);
  // The same figures in the CSV download (an administrator may export).
  const c = new Client(srv.base);
  assert.equal((await c.signIn('admin')).status, 303);
  const csv = await (await c.request(`/dashboard.csv?table=outcomes&${range}&publish=yes`)).text();
  assert.match(csv, /Attendance rose,c/);
  assert.match(csv, /Stayed in mainstream,5/);
});

test('subject access: the pupil\'s outcome records are in the export', async () => {
  const dpo = await apiClient('dpo');
  const starts = addDays(TODAY, -10);
  const made = await api(coord, 'POST', `/api/v1/pupils/${pupilA}/outcomes`, { kind: 'fsm', starts_on: starts });
  assert.equal(made.status, 201, made.text);
  const r = await api(dpo, 'GET', `/api/v1/pupils/${pupilA}/subject-access`);
  assert.equal(r.status, 200, r.text);
  const recs = r.body.records.outcome_records;
  assert.equal(recs.length, count(pupilA));
  const fsm = recs.find((x) => Number(x.id) === made.body.outcome.id);
  assert.equal(fsm.kind, 'fsm');
  assert.equal(fsm.starts_on, starts);
});

test('import a file: chosen and checked, then sent again to import; only the file checked, and as the kind checked', async () => {
  const s1 = addDays(TODAY, -90);
  const file = `upn,date,sessions,reason\r\n${upnA},${s1},2,PP\r\n${upnB},${s1},1,VP\r\n`;
  const lunch = () => Number(sql(`SELECT count(*) FROM outcome_records WHERE kind = 'lunchtime' AND pupil_id IN (${pupilA}, ${pupilB})`));
  const l0 = lunch();
  // A file is read by a job: the form answers with its page, which is
  // looked at until the file has been read (its last answer returned).
  const send = async (fields, text) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, String(v));
    if (text !== undefined) form.append('file', new Blob([text], { type: 'text/csv' }), 'lunch.csv');
    const res = await head.request('/outcomes/import', { method: 'POST', headers: { origin: head.base }, body: form });
    if (res.status !== 303) return res;
    const to = res.headers.get('location');
    assert.match(to, /^\/outcomes\/import\?job=\d+$/);
    for (let i = 0; i < 3000; i++) {
      const r = await head.request(to);
      if (!(await r.clone().text()).includes('data-tas-refresh')) return r;
      await new Promise((ok) => setTimeout(ok, 10));
    }
    assert.fail(`${to}: still being read`);
  };
  const page = await head.getHtml('/outcomes/import');
  assert.match(page.html, /enctype="multipart\/form-data"/);
  assert.match(page.html, /<input class="govuk-file-upload" id="f-file" name="file" type="file"/);
  const csrf = csrfFrom(page.html);
  // Nothing chosen or pasted: said, on the file.
  const none = await send({ csrf, kind: 'lunchtime', step: 'check' });
  assert.equal(none.status, 400);
  assert.ok(decodeHtml(await none.text()).includes('Choose the CSV file, or paste its text'));
  // The check: counted, nothing written, the mark of the file and kind for the import.
  const check = await send({ csrf, kind: 'lunchtime', step: 'check' }, file);
  const html = await check.text();
  assert.equal(check.status, 200, html.slice(0, 300));
  assert.ok(decodeHtml(html).includes('2 records for 2 pupils can be imported (Lunchtime exclusion)'));
  const mark = /<input type="hidden" name="checked" value="([^"]*)"/.exec(html)?.[1];
  assert.match(mark, /^[0-9a-f]{64}:lunchtime$/);
  assert.ok(decodeHtml(html).includes('Choose the same file again to import it'));
  assert.equal(lunch(), l0);
  // Another file, or the same file as another kind, is not what was checked.
  const other = await send({ csrf, kind: 'lunchtime', step: 'import', checked: mark }, `${file}${upnA},${s1},1,DB\r\n`);
  assert.equal(other.status, 400);
  assert.ok(decodeHtml(await other.text()).includes('This is not the file that was checked'));
  const asKind = await send({ csrf, kind: 'suspension', step: 'import', checked: mark }, file);
  assert.equal(asKind.status, 400);
  assert.equal(lunch(), l0);
  // The file checked: imported, all of it.
  const formToken = /<input type="hidden" name="form_token" value="([^"]*)"/.exec(html)?.[1];
  assert.ok(formToken, 'the import form has its one-time token');
  const done = await send({ csrf, kind: 'lunchtime', step: 'import', checked: mark, form_token: formToken }, file);
  assert.equal(done.status, 200);
  assert.ok(decodeHtml(await done.text()).includes('2 records for 2 pupils: Lunchtime exclusion'));
  assert.equal(lunch(), l0 + 2);
  // Pressed again: the same job's page, nothing imported twice.
  const again = await send({ csrf, kind: 'lunchtime', step: 'import', checked: mark, form_token: formToken }, file);
  assert.equal(again.status, 200);
  assert.ok(decodeHtml(await again.text()).includes('2 records for 2 pupils: Lunchtime exclusion'));
  assert.equal(lunch(), l0 + 2);
  // The API takes the file the same way (no mark: an API client checks with dry_run).
  const form = new FormData();
  form.append('kind', 'lunchtime');
  form.append('dry_run', 'true');
  form.append('file', new Blob([file], { type: 'text/csv' }), 'lunch.csv');
  const api1 = await headJson.request('/api/v1/outcomes/import', { method: 'POST', headers: { 'x-csrf-token': headJson.csrf }, body: form });
  const body = await api1.json();
  assert.equal(api1.status, 422, JSON.stringify(body));
  assert.deepEqual(body.problems.map((p) => p.line), [2, 3], 'already stored');
});

test('import a large file on the page: read by a job, its problems counted whole and the first 200 listed', async () => {
  const s1 = addDays(TODAY, -60);
  // 3,000 rows naming pupils not recorded here (made-up UPNs, valid check letters).
  const rows = [];
  for (let i = 0; i < 3000; i++) rows.push(`${upnFor(880000 + i)},${s1},1,PP`);
  const file = `upn,date,sessions,reason\r\n${rows.join('\r\n')}\r\n`;
  const page = await head.getHtml('/outcomes/import');
  const csrf = csrfFrom(page.html);
  const form = new FormData();
  for (const [k, v] of Object.entries({ csrf, kind: 'lunchtime', step: 'check' })) form.append(k, v);
  form.append('file', new Blob([file], { type: 'text/csv' }), 'lunch.csv');
  const res = await head.request('/outcomes/import', { method: 'POST', headers: { origin: head.base }, body: form });
  assert.equal(res.status, 303);
  const to = res.headers.get('location');
  let html;
  for (let i = 0; i < 3000; i++) {
    html = await (await head.request(to)).text();
    if (!html.includes('data-tas-refresh')) break;
    // Reading the file, then (if looked at in time) checking its rows.
    const shown = /<span id="import-rows">(?:\d+ rows|(\d+) of (\d+) rows checked)<\/span>/.exec(html);
    assert.ok(shown, html.slice(0, 300));
    if (shown[1] !== undefined) assert.ok(Number(shown[1]) <= Number(shown[2]) && Number(shown[2]) === 3000);
    await new Promise((ok) => setTimeout(ok, 10));
  }
  const text = decodeHtml(html);
  assert.ok(text.includes('3000 problems found. Nothing was imported'), text.slice(0, 500));
  assert.equal((html.match(/<td class="govuk-table__cell govuk-table__cell--numeric">\d+<\/td>/g) ?? []).length, 200);
  assert.ok(text.includes('And 2800 more problems'));
  // The API, answering at once, lists every one.
  const api1 = await api(headJson, 'POST', '/api/v1/outcomes/import', { kind: 'lunchtime', csv: file, dry_run: true });
  assert.equal(api1.status, 422);
  assert.equal(api1.body.nproblems, 3000);
  assert.equal(api1.body.problems.length, 3000);
});
