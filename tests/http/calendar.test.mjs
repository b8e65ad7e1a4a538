// Calendars (issue 17, item 4): a meeting's invitation
// (/meetings/:id/invite.ics) and the per-user feed (/calendar/SECRET.ics),
// RFC 5545.  The UID stays the same across edits, SEQUENCE grows with
// each change of time or status, a cancelled meeting is METHOD:CANCEL with
// STATUS:CANCELLED; the feed lists what its user may see; a wrong or
// revoked secret is 404; no pupil's name or UPN appears anywhere (checked
// against every pupil of the demonstration year).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, apiClient, apiCall, runTas, TODAY, addDays, dbSql } from './harness.mjs';

let srv;
let coord;
let pupils;        // [{forenames, surname, upn}]
let places;        // every team and school name (a surname may be part of one)
const outputs = [];

// The test's own SQL runs on SQLite and on PostgreSQL (harness.mjs, dbSql).
function sql(q) {
  return dbSql(srv.db, q, { separator: '\t' });
}

async function ics(c, p) {
  const res = await c.get(p);
  const text = await res.text();
  if (res.status === 200) outputs.push(text);
  return { status: res.status, type: res.headers.get('content-type'), text };
}

/** Unfolded content lines (RFC 5545 3.1). */
function lines(text) {
  assert.ok(text.endsWith('\r\n'));
  for (const l of text.split('\r\n').slice(0, -1)) assert.ok(Buffer.byteLength(l) <= 75, `folded: ${l}`);
  return text.replace(/\r\n /g, '').split('\r\n').filter(Boolean);
}

function prop(ls, name) {
  const l = ls.find((x) => x.startsWith(`${name}:`) || x.startsWith(`${name};`));
  return l ? l.slice(l.indexOf(':') + 1) : undefined;
}

async function planned(c) {
  const res = await apiCall(c, 'GET', `/api/v1/meetings?status=planned&from=${addDays(TODAY, 1)}&order=oldest&per_page=50`);
  assert.equal(res.status, 200);
  return (await res.json()).meetings;
}

before(async () => {
  srv = await startServer({ year: true });
  coord = await apiClient(srv.base, 'coordinator');
  pupils = sql('SELECT forenames, surname, upn FROM pupils').split('\n')
    .map((l) => l.split('\t')).map(([forenames, surname, upn]) => ({ forenames, surname, upn }));
  assert.ok(pupils.length > 100);
  places = sql('SELECT name FROM teams UNION ALL SELECT name FROM schools UNION ALL SELECT location FROM teams');
});

after(async () => {
  // No child data in anything a calendar was given.
  assert.ok(outputs.length >= 5);
  for (const text of outputs) {
    const flat = text.replace(/\r\n /g, '');
    for (const p of pupils) {
      assert.ok(!flat.includes(p.upn), 'no UPN');
      assert.ok(!flat.includes(`${p.forenames} ${p.surname}`), 'no pupil name');
      if (p.surname.length >= 4 && !places.includes(p.surname)) assert.ok(!flat.includes(p.surname), `no surname ${p.surname}`);
    }
  }
  await srv?.stop();
});

test('invitation: text/calendar, VTIMEZONE, stable UID, SEQUENCE grows, cancel gives METHOD:CANCEL', async () => {
  const c = new Client(srv.base);
  await c.signIn('coordinator');
  const list = await planned(coord);
  assert.ok(list.length >= 2);
  const m = list[0];
  const first = await ics(c, `/meetings/${m.id}/invite.ics`);
  assert.equal(first.status, 200);
  assert.equal(first.type, 'text/calendar; charset=utf-8');
  let ls = lines(first.text);
  assert.equal(ls[0], 'BEGIN:VCALENDAR');
  assert.equal(prop(ls, 'METHOD'), 'REQUEST');
  assert.ok(ls.includes('TZID:Europe/London'));
  assert.ok(ls.indexOf('BEGIN:VTIMEZONE') < ls.indexOf('BEGIN:VEVENT'));
  const uid = prop(ls, 'UID');
  assert.equal(uid.split('@')[0], `meeting-${m.id}`);
  const seq0 = Number(prop(ls, 'SEQUENCE'));
  const dt = ls.find((l) => l.startsWith('DTSTART;TZID=Europe/London:'));
  assert.equal(dt, `DTSTART;TZID=Europe/London:${m.date.replace(/-/g, '')}T${m.start_time.replace(':', '')}00`);
  assert.equal(prop(ls, 'STATUS'), 'CONFIRMED');
  assert.match(prop(ls, 'SUMMARY'), /^TAS meeting: /);
  assert.ok(prop(ls, 'ORGANIZER'));

  // Notes are not a change of time or place: the same SEQUENCE.
  const notes = await apiCall(coord, 'POST', `/api/v1/meetings/${m.id}/notes`, { notes: 'Room booked' });
  assert.equal(notes.status, 200);
  ls = lines((await ics(c, `/meetings/${m.id}/invite.ics`)).text);
  assert.equal(Number(prop(ls, 'SEQUENCE')), seq0);
  assert.ok(!ls.join('\n').includes('Room booked'), 'notes stay out');

  // Moved: the same UID, a higher SEQUENCE, the new time.
  const moved = await apiCall(coord, 'POST', `/api/v1/meetings/${m.id}/move`, { date: m.date, start_time: '08:05' });
  assert.equal(moved.status, 200, await moved.text());
  ls = lines((await ics(c, `/meetings/${m.id}/invite.ics`)).text);
  assert.equal(prop(ls, 'UID'), uid);
  const seq1 = Number(prop(ls, 'SEQUENCE'));
  assert.ok(seq1 > seq0);
  assert.ok(ls.includes(`DTSTART;TZID=Europe/London:${m.date.replace(/-/g, '')}T080500`));

  // The team's place changes: every invitation of the team is raised.
  const team = (await (await apiCall(coord, 'GET', `/api/v1/teams/${m.team.id}`)).json()).team;
  const other = list.find((x) => x.team.id === m.team.id && x.id !== m.id);
  const otherSeq = other && Number(prop(lines((await ics(c, `/meetings/${other.id}/invite.ics`)).text), 'SEQUENCE'));
  const put = await apiCall(coord, 'PUT', `/api/v1/teams/${m.team.id}`, {
    host_school_id: team.host_school.id, name: team.name, cadence: team.cadence, weekday: team.weekday,
    start_time: team.start_time, duration_minutes: team.duration_minutes, location: 'Room 4, the Annexe; upstairs',
    chair_name: team.chair_name, school_ids: team.schools.map((s) => s.id),
  });
  assert.equal(put.status, 200, await put.text());
  ls = lines((await ics(c, `/meetings/${m.id}/invite.ics`)).text);
  assert.equal(prop(ls, 'LOCATION'), 'Room 4\\, the Annexe\\; upstairs');
  assert.ok(Number(prop(ls, 'SEQUENCE')) > seq1);
  if (other) {
    const l2 = lines((await ics(c, `/meetings/${other.id}/invite.ics`)).text);
    assert.ok(Number(prop(l2, 'SEQUENCE')) > otherSeq);
  }
  // The meeting's own place (migration 0021) overrides the team's, and raises it again.
  const own = await apiCall(coord, 'PUT', `/api/v1/meetings/${m.id}/location`, { location: 'Library, room 5' });
  assert.equal(own.status, 200, await own.text());
  ls = lines((await ics(c, `/meetings/${m.id}/invite.ics`)).text);
  assert.equal(prop(ls, 'LOCATION'), 'Library\\, room 5');
  const seq2 = Number(prop(ls, 'SEQUENCE'));
  assert.ok(seq2 > seq1 + 1);

  // Cancelled: METHOD:CANCEL, STATUS:CANCELLED, higher again.
  const cancel = await apiCall(coord, 'POST', `/api/v1/meetings/${m.id}/cancel`, { cancel_reason: 'Key staff unavailable' });
  assert.equal(cancel.status, 200, await cancel.text());
  const gone = await ics(c, `/meetings/${m.id}/invite.ics`);
  ls = lines(gone.text);
  assert.equal(prop(ls, 'METHOD'), 'CANCEL');
  assert.equal(prop(ls, 'STATUS'), 'CANCELLED');
  assert.equal(prop(ls, 'UID'), uid);
  assert.ok(Number(prop(ls, 'SEQUENCE')) > seq2);
  assert.ok(!gone.text.includes('Key staff'), 'the reason stays out');
});

test('invitation: a meeting the user may not see is 404, signed out goes to sign-in', async () => {
  const list = await planned(coord);
  const evaluator = new Client(srv.base);
  await evaluator.signIn('evaluator');
  assert.equal((await evaluator.get(`/meetings/${list[0].id}/invite.ics`)).status, 404);
  assert.equal((await new Client(srv.base).get(`/meetings/${list[0].id}/invite.ics`)).status, 303);
  const c = new Client(srv.base);
  await c.signIn('coordinator');
  assert.equal((await c.get('/meetings/99999999/invite.ics')).status, 404);
});

test('feed: made on the account page, lists the meetings, 404 when wrong or revoked, never logged', async () => {
  const c = new Client(srv.base);
  await c.signIn('coordinator');
  const page = await c.getHtml('/account/calendar');
  assert.equal(page.status, 200);
  assert.match(page.html, /You have no calendar subscription/);
  const made = await c.submitForm('/account/calendar', {});
  assert.equal(made.status, 200);
  const html = await made.text();
  const url = html.match(/value="(http:\/\/[^"]+\/calendar\/([0-9a-f]{64})\.ics)"/);
  assert.ok(url, 'the address is shown');
  const path = new URL(url[1]).pathname;
  // Only the secret's hash is stored.
  assert.equal(sql(`SELECT count(*) FROM calendar_feeds WHERE token_hash = '${url[2]}'`), '0');
  assert.equal(sql('SELECT count(*) FROM calendar_feeds'), '1');

  const anon = new Client(srv.base);
  const feed = await ics(anon, path);
  assert.equal(feed.status, 200);
  assert.equal(feed.type, 'text/calendar; charset=utf-8');
  const ls = lines(feed.text);
  assert.equal(prop(ls, 'METHOD'), 'PUBLISH');
  assert.ok(ls.includes('TZID:Europe/London'));
  const events = ls.filter((l) => l === 'BEGIN:VEVENT').length;
  const want = Number(sql(`SELECT count(*) FROM meetings WHERE meeting_date BETWEEN '${addDays(TODAY, -60)}' AND '${addDays(TODAY, 366)}'`));
  assert.ok(want > 0);
  assert.equal(events, want);   // the coordinator sees the whole authority
  assert.ok(ls.includes('STATUS:CANCELLED'), 'the cancelled meeting is in the feed, marked so');

  // A practitioner's feed holds what their meeting list shows, no more.
  const p = new Client(srv.base);
  await p.signIn('practitioner');
  const pm = await p.submitForm('/account/calendar', {});
  const ppath = new URL((await pm.text()).match(/value="(http:\/\/[^"]+\.ics)"/)[1]).pathname;
  const pfeed = await ics(anon, ppath);
  assert.equal(pfeed.status, 200);
  const puids = lines(pfeed.text).filter((l) => l.startsWith('UID:')).map((l) => Number(l.match(/meeting-(\d+)@/)[1]));
  const pc = await apiClient(srv.base, 'practitioner');
  const seen = await apiCall(pc, 'GET', `/api/v1/meetings?from=${addDays(TODAY, -60)}&to=${addDays(TODAY, 366)}&per_page=500`);
  const pj = await seen.json();
  assert.equal(seen.status, 200);
  assert.deepEqual(puids.sort((a, b) => a - b), pj.meetings.map((m) => m.id).sort((a, b) => a - b));
  assert.ok(puids.length < events, 'less than the whole authority');

  // Wrong secrets.
  const wrong = path.replace(/[0-9a-f](?=\.ics$)/, (ch) => (ch === '0' ? '1' : '0'));
  assert.equal((await anon.get(wrong)).status, 404);
  assert.equal((await anon.get('/calendar/abc.ics')).status, 404);
  assert.equal((await anon.get(path.toUpperCase().replace('/CALENDAR/', '/calendar/').replace('.ICS', '.ics'))).status, 404);

  // A new address replaces the old; revoking ends it.
  const again = await c.submitForm('/account/calendar', {});
  const path2 = new URL((await again.text()).match(/value="(http:\/\/[^"]+\.ics)"/)[1]).pathname;
  assert.notEqual(path2, path);
  assert.equal((await anon.get(path)).status, 404);
  assert.equal((await anon.get(path2)).status, 200);
  const revoked = await c.submitForm('/account/calendar', {}, { action: '/account/calendar/revoke' });
  assert.equal(revoked.status, 303);
  assert.equal((await anon.get(path2)).status, 404);
  assert.match((await c.getHtml('/account/calendar?revoked=1')).html, /has been revoked/);

  // A disabled user's feed is empty (their access is read at each fetch).
  const off = await runTas(['user', 'disable', 'practitioner', '--db', srv.db]);
  assert.equal(off.code, 0, off.stderr);
  const offFeed = await ics(anon, ppath);
  assert.equal(offFeed.status, 200);
  assert.equal(lines(offFeed.text).filter((l) => l === 'BEGIN:VEVENT').length, 0);

  // The access log never holds a secret.
  const log = srv.logs().stderr;
  assert.ok(!log.includes(url[2]));
  assert.match(log, /GET \/calendar\/\(secret\)\.ics 404/);
});
