// E-mail (issue 17, item 5): invitations, reminders and password reset
// links, queued in the outbox and sent by tas serve's mail thread over SMTP
// to a real SMTP server on loopback (tests/http/smtp_sink.py, Debian's
// python3-aiosmtpd), which writes each message it accepts to a folder.
// The server's clock is held (startServer({clock: true})), so retries and
// days move only when the test says so.  The sqlite3 command line is used
// for setup the API cannot do, and to see that a failed attempt was
// recorded (the outbox has no page).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, Client, runTas, TODAY, addDays, nowSeconds, decodeHtml } from './harness.mjs';
import * as fx from './case_fixture.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SINK = path.join(HERE, 'smtp_sink.py');
// Debian's python3 has python3-aiosmtpd; a python3 earlier on PATH may not.
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const FROM = 'tas@council.example';

let srv;
let sink;
let sinkDir;
let sinkPort;
const ids = {};
const sql = (text) => fx.sql(srv, text);

// ---- the SMTP sink -----------------------------------------------------------

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function startSink(dir, port) {
  return new Promise((resolve, reject) => {
    const proc = spawn(PYTHON, [SINK, dir, String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const exited = new Promise((r) => proc.on('close', r));
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`SMTP sink did not start\n${err}`)); }, 15000);
    proc.stderr.setEncoding('utf8').on('data', (d) => { err += d; });
    proc.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const m = /listening (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ port: Number(m[1]), stop: async () => { proc.kill('SIGTERM'); await exited; } });
      }
    });
    proc.on('error', (e) => { clearTimeout(timer); reject(e); });
    exited.then((code) => { clearTimeout(timer); reject(new Error(`SMTP sink exited (${code})\n${err}`)); });
  });
}

// RFC 2047 encoded words (B and Q) in a header value, decoded; whitespace
// between two encoded words is not part of the text (RFC 2047 section 6.2).
function decodeWords(v) {
  return v.replace(/(\?=)\s+(?==\?)/g, '$1').replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (m, cs, enc, text) => {
    assert.equal(cs.toLowerCase(), 'utf-8', `charset of ${m}`);
    if (enc.toUpperCase() === 'B') return Buffer.from(text, 'base64').toString('utf8');
    const bytes = text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (x, h) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  });
}

/** Every message the sink has accepted, oldest first. */
function messages() {
  return readdirSync(sinkDir).filter((f) => f.endsWith('.json')).sort().map((f) => {
    const envelope = JSON.parse(readFileSync(path.join(sinkDir, f), 'utf8'));
    const raw = readFileSync(path.join(sinkDir, f.replace(/\.json$/, '.eml')));
    const text = raw.toString('utf8');
    const split = text.indexOf('\r\n\r\n');
    assert.ok(split > 0, 'a blank line (CRLF CRLF) ends the headers');
    const head = text.slice(0, split);
    const body = text.slice(split + 4);
    for (const line of head.split('\r\n')) {
      assert.ok(line.length <= 998, 'RFC 5322: no header line longer than 998');
      if (line.includes('=?')) assert.ok(line.length <= 76, `RFC 2047: a line with an encoded word is at most 76: ${line}`);
      assert.match(line, /^[\x20-\x7e]*$/, 'header lines are printable ASCII');
    }
    const headers = new Map();
    for (const field of head.split(/\r\n(?![ \t])/)) {
      const colon = field.indexOf(':');
      const name = field.slice(0, colon).toLowerCase();
      assert.ok(!headers.has(name), `one ${name} header`);
      headers.set(name, field.slice(colon + 1).replace(/\r\n([ \t])/g, '$1').trim());
    }
    // An invitation is multipart/mixed (RFC 2046): the text, then the
    // meeting as text/calendar (RFC 6047).  body is the text either way.
    let text2 = body;
    let calendar = null;
    let parts = [];
    const multi = /^multipart\/mixed; boundary="([^"]+)"$/.exec(headers.get('content-type') || '');
    if (multi) {
      const chunks = body.split(`--${multi[1]}`);
      assert.equal(chunks.at(-1), '--\r\n', 'the closing boundary ends the message');
      parts = chunks.slice(1, -1).map((c) => {
        assert.ok(c.startsWith('\r\n'));
        const at = c.indexOf('\r\n\r\n');
        const ph = new Map(c.slice(2, at).split('\r\n').map((l) => {
          const i = l.indexOf(':');
          return [l.slice(0, i).toLowerCase(), l.slice(i + 1).trim()];
        }));
        return { headers: ph, body: c.slice(at + 4) };
      });
      assert.equal(parts.length, 2);
      text2 = parts[0].body;
      calendar = parts[1].body;
    }
    return {
      envelope, raw, head, headers, body: text2, calendar, parts, to: headers.get('to'),
      subject: decodeWords(headers.get('subject') || ''),
    };
  });
}

const to = (addr) => messages().filter((m) => m.to === addr);
// iCalendar lines unfolded (RFC 5545 3.1: CRLF then a space continues).
const unfold = (ics) => ics.replace(/\r\n /g, '');

/** Waits (polling the folder) until fn() is true. */
async function until(fn, what, ms = 30000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${srv.logs().stderr.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// A message queued after everything before it, to the given address,
// waited for: the sender goes oldest first, so once it has arrived
// anything queued before it that was going to be sent has been.
async function barrier(username, addr) {
  const n = to(addr).length;
  const c = new Client(srv.base);
  const r = await c.postJson('/api/v1/forgot-password', { username });
  assert.equal(r.status, 202);
  await until(() => to(addr).length > n, `the marker message to ${addr}`);
}

function checkHeaders(m, addr) {
  const h = m.headers;
  assert.equal(h.get('from'), FROM);
  assert.equal(h.get('to'), addr);
  assert.deepEqual(m.envelope.rcpt_tos, [addr]);
  assert.equal(m.envelope.mail_from, FROM);
  assert.equal(h.get('mime-version'), '1.0');
  const text = m.parts.length ? m.parts[0].headers : h;
  if (m.parts.length) assert.match(h.get('content-type'), /^multipart\/mixed; boundary="=_tas_[0-9a-f]{32}"$/);
  assert.equal(text.get('content-type'), 'text/plain; charset=utf-8');
  assert.match(text.get('content-transfer-encoding'), /^(7bit|8bit)$/);
  assert.match(h.get('message-id'), /^<[0-9a-f]{32}@council\.example>$/);
  // RFC 5322 section 3.3, on the server's (held) clock.
  assert.match(h.get('date'), /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d \+0000$/);
  assert.ok(Math.abs(Date.parse(h.get('date')) / 1000 - srv.clock.now()) < 5, 'dated by the server clock');
  assert.ok(!/[^\r]\n/.test(m.raw.toString('latin1')), 'every line ends CRLF');
}

async function admin() {
  return fx.signedIn(srv, 'admin');
}

async function setEmail(c, username, email) {
  const users = (await fx.api(c, 'GET', '/api/v1/users')).body.users;
  const u = users.find((x) => x.username === username);
  const r = await fx.api(c, 'PUT', `/api/v1/users/${u.id}/email`, { email });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.user.email, email);
  return u.id;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
  'November', 'December'];
const dayLabel = (iso) => {
  const d = new Date(`${iso}T00:00:00Z`);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
};
const longLabel = (iso) => `${WEEKDAYS[new Date(`${iso}T00:00:00Z`).getUTCDay()]} ${dayLabel(iso)}`;

before(async () => {
  sinkDir = mkdtempSync(path.join(tmpdir(), 'tas-smtp-'));
  sinkPort = await freePort();
  sink = await startSink(sinkDir, sinkPort);
  srv = await startServer({
    clock: true,
    extraArgs: ['--quiet', '--smtp', `smtp://127.0.0.1:${sinkPort}`, '--mail-from', FROM, '--remind-days', '3'],
  });
});

after(async () => {
  await srv?.stop({ expectExitZero: true });
  await sink?.stop();
  if (sinkDir) rmSync(sinkDir, { recursive: true, force: true });
});

test('administrators set a user\'s e-mail address on the user\'s page; a bad one is a field error', async () => {
  const a = await admin();
  const users = (await fx.api(a, 'GET', '/api/v1/users')).body.users;
  const head = users.find((u) => u.username === 'head');
  const view = await a.getHtml(`/users/${head.id}`);
  assert.match(view.html, new RegExp(`href="/users/${head.id}/email"`));
  const bad = await a.submitForm(`/users/${head.id}/email`, { email: 'head at school' });
  assert.equal(bad.status, 400);
  assert.deepEqual(fx.summaryMessages(await bad.text()),
    ['Enter an email address in the correct format, like name@example.org']);
  const ok = await a.submitForm(`/users/${head.id}/email`, { email: ' head@school.example ' });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get('location'), `/users/${head.id}?saved=email`);
  const after = await a.getHtml(ok.headers.get('location'));
  assert.match(after.html, /The e-mail address has been saved/);
  assert.match(after.html, /head@school\.example/);
  const injected = await fx.api(a, 'PUT', `/api/v1/users/${head.id}/email`, { email: 'x@y.org\r\nBcc: z@y.org' });
  assert.equal(injected.status, 422);
  // Only those who may edit the user: the coordinator may not.
  const coord = await fx.signedIn(srv, 'coordinator');
  assert.equal((await fx.api(coord, 'PUT', `/api/v1/users/${head.id}/email`, { email: 'a@b.org' })).status, 404);
  for (const [u, e] of [['coordinator', 'coord@council.example'], ['lead', 'lead@council.example'],
    ['dpo', 'dpo@council.example'], ['evaluator', 'eval@council.example'], ['steering', 'steer@council.example'],
    ['senco', 'senco@school.example']]) await setEmail(a, u, e);
});

test('tas serve refuses a sender or relay it could not use, before it serves', async () => {
  const bad = await runTas(['serve', '--db', srv.db, '--listen', '127.0.0.1:0', '--mail-from', 'tas at council']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--mail-from needs a plain e-mail address/);
  const relay = await runTas(['serve', '--db', srv.db, '--listen', '127.0.0.1:0', '--smtp', 'http://127.0.0.1:25']);
  assert.equal(relay.code, 2);
  assert.match(relay.stderr, /--smtp needs smtp:\/\/HOST:PORT/);
});

test('an invitation reaches the sink with RFC 5322 headers, the meeting\'s details and no child data', async () => {
  const coord = await fx.signedIn(srv, 'coordinator');
  const head = await fx.signedIn(srv, 'head');
  const school = head.me.roles[0].scope_id;
  const schoolName = (await fx.api(coord, 'GET', `/api/v1/schools/${school}`)).body.school.name;
  // A team name with non-ASCII letters, so the subject is RFC 2047 encoded.
  const teamName = 'Zoë’s Ysgol Gynradd Llanfair Pwllgwyngyll – Tîm o Amgylch yr Ysgol';
  const team = await fx.api(coord, 'POST', '/api/v1/teams', {
    name: teamName, host_school_id: school, cadence: 'fortnightly', weekday: 3, start_time: '13:30',
    duration_minutes: 90, location: 'The library', case_coordinator_user_id: coord.me.id,
  });
  assert.equal(team.status, 201, JSON.stringify(team.body));
  ids.team = team.body.team.id;
  // A case on the meeting's agenda: its pupil must not reach any message.
  const pupils = (await fx.api(coord, 'GET', `/api/v1/pupils?school=${school}&per_page=5`)).body.pupils;
  const pupil = pupils.find((p) => p.school.id === school);
  ids.pupil = pupil;
  const codes = await fx.serviceIds(coord);
  const consent = await fx.api(coord, 'POST', `/api/v1/pupils/${pupil.id}/consents`, {
    given_by: 'Jane Example', relationship: 'mother', given_on: '2025-09-10', covers_discussion: 'yes',
    service_ids: [String(codes.ep)],
  });
  assert.equal(consent.status, 201, JSON.stringify(consent.body));
  ids.ep = codes.ep;
  const kase = await fx.api(coord, 'POST', `/api/v1/pupils/${pupil.id}/cases`, {
    team_id: ids.team, need_semh: 'Anxious on arrival; avoids the classroom after lunch.',
  });
  assert.equal(kase.status, 201, JSON.stringify(kase.body));
  ids.case = kase.body.case.id;
  let date = addDays(TODAY, 7);
  while ([0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay())) date = addDays(date, 1);
  const meeting = await fx.api(coord, 'POST', `/api/v1/teams/${ids.team}/meetings`, { date, start_time: '13:30' });
  assert.equal(meeting.status, 201, JSON.stringify(meeting.body));
  ids.meeting = meeting.body.meeting.id;
  // This meeting's own place rather than the team's usual one.
  const place = await fx.api(coord, 'PUT', `/api/v1/meetings/${ids.meeting}/location`, { location: 'Room 4 (the quiet room)' });
  assert.ok(place.status < 300, JSON.stringify(place.body));
  const agenda = await fx.api(coord, 'POST', `/api/v1/meetings/${ids.meeting}/agenda`, { case_id: ids.case });
  assert.ok(agenda.status < 300, JSON.stringify(agenda.body));

  // The page offers it; the school lead (who may not edit the meeting) may not send it.
  const page = await coord.getHtml(`/meetings/${ids.meeting}`);
  assert.match(page.html, new RegExp(`action="/meetings/${ids.meeting}/invitations"`));
  assert.equal((await fx.api(head, 'POST', `/api/v1/meetings/${ids.meeting}/invitations`, {})).status, 403);

  const res = await coord.submitForm(`/meetings/${ids.meeting}`, {}, { action: `/meetings/${ids.meeting}/invitations` });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `/meetings/${ids.meeting}?done=invited`);
  // The team's case coordinator and the host school's lead.
  const want = ['coord@council.example', 'head@school.example'];
  await until(() => want.every((a) => to(a).length === 1), 'two invitations');
  const every = [];
  for (let p = 1; ; p++) {
    const page2 = (await fx.api(coord, 'GET', `/api/v1/pupils?per_page=200&page=${p}`)).body.pupils;
    every.push(...page2);
    if (page2.length < 200) break;
  }
  assert.ok(every.length > 50, 'the demo authority\'s pupils');
  const shown = [teamName, schoolName, 'Room 4 (the quiet room)'].join(' ');
  for (const addr of want) {
    const [m] = to(addr);
    checkHeaders(m, addr);
    assert.match(m.headers.get('subject'), /^=\?UTF-8\?B\?/, 'non-ASCII subject encoded');
    assert.equal(m.subject, `Invitation: ${teamName} Team Around the School meeting, ${longLabel(date)}`);
    const body = m.body;
    assert.equal(m.parts[0].headers.get('content-transfer-encoding'), '8bit');
    // The calendar entry: a REQUEST naming this recipient, the meeting's
    // stable UID, its time in London and its own place.
    assert.equal(m.parts[1].headers.get('content-type'), 'text/calendar; charset=utf-8; method=REQUEST; name="invite.ics"');
    assert.equal(m.parts[1].headers.get('content-disposition'), 'attachment; filename="invite.ics"');
    const cal = unfold(m.calendar);
    assert.match(cal, /^BEGIN:VCALENDAR\r\n/);
    assert.match(cal, /\r\nMETHOD:REQUEST\r\n/);
    assert.match(cal, new RegExp(`\\r\\nUID:meeting-${ids.meeting}@la[0-9]+\\.tas\\.invalid\\r\\n`));
    assert.match(cal, new RegExp(`\\r\\nDTSTART;TZID=Europe/London:${date.replaceAll('-', '')}T133000\\r\\n`));
    assert.ok(cal.includes(`\r\nATTENDEE;RSVP=FALSE:mailto:${addr}\r\n`), cal);
    assert.ok(cal.includes('LOCATION:Room 4 (the quiet room)'), cal);
    ids.sequence = Number(/\r\nSEQUENCE:(\d+)\r\n/.exec(cal)[1]);
    assert.ok(body.includes(`Date:   ${longLabel(date)}`), body);
    assert.ok(body.includes('Time:   13:30 to 15:00'), body);
    assert.ok(body.includes(`School: ${schoolName}`), body);
    assert.ok(body.includes('Where:  Room 4 (the quiet room)'), body);
    assert.ok(body.includes(`${srv.base}/meetings/${ids.meeting}\r\n`), body);
    const text = `${m.subject}\n${body}\n${m.calendar}`;
    for (const p of every) {
      assert.ok(!text.includes(p.upn), `no UPN (${p.upn})`);
      assert.ok(!text.includes(`${p.forenames} ${p.surname}`), 'no pupil\'s name');
    }
    for (const word of [pupil.forenames, pupil.surname]) {
      if (!shown.includes(word)) assert.ok(!new RegExp(`\\b${word}\\b`).test(text), `not the agenda pupil's ${word}`);
    }
    assert.ok(!text.includes(pupil.date_of_birth) && !/Anxious/.test(text), 'nothing of the case');
  }
  // A meeting in the past cannot be invited to.
  const t = nowSeconds();
  const past = Number(sql(`INSERT INTO meetings (team_id, meeting_date, start_time, status, created_at, updated_at)
    VALUES (${ids.team}, '${addDays(TODAY, -1)}', '09:00', 'planned', ${t}, ${t}) RETURNING id;`));
  const n = messages().length;
  assert.equal((await fx.api(coord, 'POST', `/api/v1/meetings/${past}/invitations`, {})).status, 409);
  assert.equal(messages().length, n);
  ids.date = date;
  ids.every = every;
});

test('a meeting that moves after its invitations tells the same people, and a cancelled one cancels their entry', async () => {
  const coord = await fx.signedIn(srv, 'coordinator');
  const want = ['coord@council.example', 'head@school.example'];
  let moved = addDays(ids.date, 1);
  while ([0, 6].includes(new Date(`${moved}T00:00:00Z`).getUTCDay())) moved = addDays(moved, 1);
  const move = await fx.api(coord, 'POST', `/api/v1/meetings/${ids.meeting}/move`, { date: moved, start_time: '14:00' });
  assert.equal(move.status, 200, JSON.stringify(move.body));
  await until(() => want.every((a) => to(a).length === 2), 'the update to each invited');
  let seq = ids.sequence;
  for (const addr of want) {
    const m = to(addr)[1];
    checkHeaders(m, addr);
    assert.match(m.subject, /^Changed: .* Team Around the School meeting, /);
    assert.ok(m.subject.endsWith(longLabel(moved)), m.subject);
    assert.ok(m.body.includes(`Date:   ${longLabel(moved)}`) && m.body.includes('Time:   14:00 to 15:30'), m.body);
    const cal = unfold(m.calendar);
    assert.match(cal, /\r\nMETHOD:REQUEST\r\n/);
    assert.match(cal, new RegExp(`\\r\\nUID:meeting-${ids.meeting}@`));
    assert.match(cal, new RegExp(`\\r\\nDTSTART;TZID=Europe/London:${moved.replaceAll('-', '')}T140000\\r\\n`));
    const s2 = Number(/\r\nSEQUENCE:(\d+)\r\n/.exec(cal)[1]);
    assert.ok(s2 > ids.sequence, `a higher SEQUENCE replaces the entry (${s2} after ${ids.sequence})`);
    seq = s2;
  }
  // Notes (not in any invitation) change nothing anyone is sent.
  const notes = await fx.api(coord, 'POST', `/api/v1/meetings/${ids.meeting}/notes`, { notes: 'Bring the SALT report.' });
  assert.equal(notes.status, 200, JSON.stringify(notes.body));
  await barrier('coordinator', 'coord@council.example');
  assert.equal(to('head@school.example').length, 2, 'no update for notes');
  // Cancelled: a CANCEL with a higher SEQUENCE, once.
  const cancel = await fx.api(coord, 'POST', `/api/v1/meetings/${ids.meeting}/cancel`, { reason_choice: 'staff_unavailable' });
  assert.equal(cancel.status, 200, JSON.stringify(cancel.body));
  await until(() => to('head@school.example').length === 3, 'the cancellation');
  const m = to('head@school.example')[2];
  checkHeaders(m, 'head@school.example');
  assert.match(m.subject, /^Cancelled: /);
  assert.equal(m.parts[1].headers.get('content-type'), 'text/calendar; charset=utf-8; method=CANCEL; name="invite.ics"');
  const cal = unfold(m.calendar);
  assert.match(cal, /\r\nMETHOD:CANCEL\r\n/);
  assert.match(cal, /\r\nSTATUS:CANCELLED\r\n/);
  assert.ok(Number(/\r\nSEQUENCE:(\d+)\r\n/.exec(cal)[1]) > seq);
  for (const p of ids.every) assert.ok(!`${m.body}${m.calendar}`.includes(p.upn), 'no UPN');
  assert.equal((await fx.api(coord, 'POST', `/api/v1/meetings/${ids.meeting}/invitations`, {})).status, 409);
  await barrier('coordinator', 'coord@council.example');
  assert.equal(to('head@school.example').length, 3, 'the cancellation sent once');
  // A meeting never invited to is moved without any e-mail.
  const t = nowSeconds();
  const quiet = Number(sql(`INSERT INTO meetings (team_id, meeting_date, start_time, status, created_at, updated_at)
    VALUES (${ids.team}, '${addDays(TODAY, 20)}', '09:00', 'planned', ${t}, ${t}) RETURNING id;`));
  assert.equal((await fx.api(coord, 'POST', `/api/v1/meetings/${quiet}/move`, { date: addDays(TODAY, 21), start_time: '09:30' })).status, 200);
  await barrier('coordinator', 'coord@council.example');
  assert.equal(to('head@school.example').length, 3, 'nothing for a meeting nobody was invited to');
});

test('the agenda pack goes out as a link to its page, to the same people, naming no child', async () => {
  const coord = await fx.signedIn(srv, 'coordinator');
  const head = await fx.signedIn(srv, 'head');
  let date = addDays(TODAY, 14);
  while ([0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay())) date = addDays(date, 1);
  const meeting = await fx.api(coord, 'POST', `/api/v1/teams/${ids.team}/meetings`, { date, start_time: '10:00' });
  assert.equal(meeting.status, 201, JSON.stringify(meeting.body));
  const id = meeting.body.meeting.id;
  assert.ok((await fx.api(coord, 'POST', `/api/v1/meetings/${id}/agenda`, { case_id: ids.case })).status < 300);
  const page = await coord.getHtml(`/meetings/${id}`);
  assert.match(page.html, new RegExp(`action="/meetings/${id}/agenda-pack-email"`));
  assert.equal((await fx.api(head, 'POST', `/api/v1/meetings/${id}/agenda-pack-email`, {})).status, 403);
  const before = to('head@school.example').length;
  const res = await coord.submitForm(`/meetings/${id}`, {}, { action: `/meetings/${id}/agenda-pack-email` });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `/meetings/${id}?done=pack_sent`);
  await until(() => to('head@school.example').length === before + 1, 'the agenda pack link');
  const m = to('head@school.example').at(-1);
  checkHeaders(m, 'head@school.example');
  assert.equal(m.calendar, null, 'no calendar part');
  assert.match(m.subject, /^Agenda pack: /);
  assert.ok(m.body.includes(`${srv.base}/meetings/${id}/pack/agenda\r\n`), m.body);
  for (const p of ids.every) {
    assert.ok(!m.body.includes(p.upn), 'no UPN');
    assert.ok(!m.body.includes(`${p.forenames} ${p.surname}`), 'no pupil\'s name');
  }
  // The link leads to the pack, for those who may read it.
  assert.equal((await coord.getHtml(`/meetings/${id}/pack/agenda`)).status, 200);
  // Not for a meeting already past.
  const t = nowSeconds();
  const past = Number(sql(`INSERT INTO meetings (team_id, meeting_date, start_time, status, created_at, updated_at)
    VALUES (${ids.team}, '${addDays(TODAY, -2)}', '09:00', 'planned', ${t}, ${t}) RETURNING id;`));
  assert.equal((await fx.api(coord, 'POST', `/api/v1/meetings/${past}/agenda-pack-email`, {})).status, 409);
});

test('a relay that is down, then up, gets the message after the retry: nothing lost, sent once', async () => {
  await sink.stop();
  const c = new Client(srv.base);
  const r = await c.postJson('/api/v1/forgot-password', { username: 'evaluator' });
  assert.equal(r.status, 202);
  // The first attempt fails and is recorded, with the time of the next.
  const row = await until(() => {
    const v = sql(`SELECT attempts || '|' || next_attempt_at || '|' || last_error FROM outbox
      WHERE recipient = 'eval@council.example' AND sent_at IS NULL;`);
    return v && Number(v.split('|')[0]) >= 1 ? v : null;
  }, 'a failed attempt');
  const [attempts, next, error] = row.split('|');
  assert.equal(Number(attempts), 1);
  assert.equal(Number(next), srv.clock.now() + 60, 'tried again after 60 s');
  assert.ok(error.length > 0);
  await until(() => /e-mail \d+ not sent \(attempt 1\): /.test(srv.logs().stderr), 'the failure in the log');
  assert.ok(!srv.logs().stderr.includes('eval@council.example'), 'no address in the log');
  assert.equal(to('eval@council.example').length, 0);
  const status = await runTas(['mail', '--db', srv.db, 'status'], { env: { TAS_CLOCK_FILE: path.join(srv.dir, 'clock') } });
  assert.match(status.stdout, /mail: 1 waiting/);

  sink = await startSink(sinkDir, sinkPort);
  srv.clock.advance(61);
  await until(() => to('eval@council.example').length === 1, 'the retried message');
  const [m] = to('eval@council.example');
  checkHeaders(m, 'eval@council.example');
  assert.equal(m.subject, 'Reset your Team Around the School password');
  await barrier('steering', 'steer@council.example');
  assert.equal(to('eval@council.example').length, 1, 'sent once');
  assert.equal(sql(`SELECT attempts FROM outbox WHERE recipient = 'eval@council.example';`), '2');
  const after = await runTas(['mail', '--db', srv.db, 'status'], { env: { TAS_CLOCK_FILE: path.join(srv.dir, 'clock') } });
  assert.match(after.stdout, /mail: 0 waiting, \d+ sent, 0 given up/);
});

test('"forgot password" answers the same for an unknown name, an account without an address, and a real one', async () => {
  const answers = [];
  for (const username of ['no-such-user', 'head', 'practitioner']) {
    const c = new Client(srv.base);
    const r = await c.submitForm('/forgot-password', { username });
    const page = await c.getHtml(r.headers.get('location'));
    answers.push({
      status: r.status, location: r.headers.get('location'), body: await r.text(),
      page: page.html.replace(/value="[0-9a-f]{64}"/g, ''), pageStatus: page.status,
    });
    const j = await new Client(srv.base).postJson('/api/v1/forgot-password', { username });
    answers[answers.length - 1].api = `${j.status} ${await j.text()}`;
  }
  assert.equal(answers[0].status, 303);
  assert.equal(answers[0].location, '/forgot-password?sent=1');
  assert.match(answers[0].page, /If the account exists and has an e-mail address, a link/);
  assert.match(answers[0].api, /^202 /);
  for (const a of answers.slice(1)) assert.deepEqual(a, answers[0]);
  // head has an address: two links were sent to it; nothing went anywhere for the others.
  await until(() => to('head@school.example').filter((m) => /Reset/.test(m.subject)).length === 2, 'head\'s links');
  const sign = await new Client(srv.base).getHtml('/sign-in');
  assert.match(sign.html, /href="\/forgot-password"/);
});

test('reset links are throttled: at most three an hour for one account, the answer unchanged', async () => {
  for (let i = 0; i < 5; i++) {
    const r = await new Client(srv.base).postJson('/api/v1/forgot-password', { username: 'senco' });
    assert.equal(r.status, 202);
  }
  await barrier('steering', 'steer@council.example');
  assert.equal(to('senco@school.example').length, 3);
});

test('a message the relay refuses for good (5xx) is given up at once, not retried', async () => {
  const a = await admin();
  await setEmail(a, 'practitioner', 'nobody-here@school.example');
  const r = await new Client(srv.base).postJson('/api/v1/forgot-password', { username: 'practitioner' });
  assert.equal(r.status, 202);
  const row = await until(() => {
    const v = sql("SELECT attempts || '|' || last_error FROM outbox WHERE recipient = 'nobody-here@school.example';");
    return v && Number(v.split('|')[0]) > 0 ? v : null;
  }, 'the refusal');
  assert.equal(Number(row.split('|')[0]), 15, 'counted as every attempt made');
  assert.match(row, /refused for good/);
  const status = await runTas(['mail', '--db', srv.db, 'status'], { env: { TAS_CLOCK_FILE: path.join(srv.dir, 'clock') } });
  assert.match(status.stdout, /mail: 0 waiting, \d+ sent, 1 given up/);
  assert.equal(to('nobody-here@school.example').length, 0);
});

test('a reset link sets a new password once, ends the account\'s sessions, and expires after an hour', async () => {
  const before = await fx.signedIn(srv, 'dpo');
  const c = new Client(srv.base);
  await c.submitForm('/forgot-password', { username: 'dpo' });
  const m = await until(() => to('dpo@council.example')[0], 'the reset link');
  checkHeaders(m, 'dpo@council.example');
  const link = /(http:\/\/\S+\/reset-password\?token=[0-9a-f]{64})\r\n/.exec(m.body)[1];
  assert.ok(link.startsWith(`${srv.base}/`), 'links point at the server (--base-url by default)');
  const linkPath = link.slice(srv.base.length);
  const form = await c.getHtml(linkPath);
  assert.equal(form.status, 200);
  assert.match(form.html, /Choose a new password/);
  const token = /name="token" value="([0-9a-f]{64})"/.exec(form.html)[1];
  const weak = await c.submitForm(linkPath, { token, password: 'password123' }, { action: '/reset-password' });
  assert.equal(weak.status, 400);
  assert.ok(fx.summaryMessages(await weak.text()).length === 1);
  const pw = 'a long and fresh passphrase, 4 you';
  const ok = await c.submitForm(linkPath, { token, password: pw }, { action: '/reset-password' });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get('location'), '/sign-in?password_reset=1');
  assert.match((await c.getHtml('/sign-in?password_reset=1')).html, /Your password has been changed/);
  assert.equal((await before.get('/api/v1/me')).status, 401, 'the sessions from before end');
  const again = await new Client(srv.base).postJson('/api/v1/sign-in', { username: 'dpo', password: pw });
  assert.equal(again.status, 200, 'the new password works');
  // Once only.
  assert.equal((await c.getHtml(linkPath)).status, 404);
  const reuse = await new Client(srv.base).postJson('/api/v1/reset-password', { token, password: 'another long passphrase, number 5' });
  assert.equal(reuse.status, 404);
  // The change is in the audit log, under the account itself.
  const a = await admin();
  const audit = await fx.api(a, 'GET', '/api/v1/audit?per_page=50');
  assert.equal(audit.status, 200);
  assert.ok(JSON.stringify(audit.body).includes('/reset-password'), 'audited');

  // An hour later a fresh link no longer works.
  await c.submitForm('/forgot-password', { username: 'dpo' });
  const second = await until(() => to('dpo@council.example')[1], 'a second link');
  const path2 = /\/reset-password\?token=[0-9a-f]{64}/.exec(second.body)[0];
  assert.notEqual(path2, linkPath);
  srv.clock.advance(3599);
  assert.equal((await c.getHtml(path2)).status, 200, 'still good just before the hour');
  srv.clock.advance(2);
  const late = await c.getHtml(path2);
  assert.equal(late.status, 404);
  assert.match(decodeHtml(late.html), /works once, for an hour/);
});

test('reminders: one a day to each action owner, with a count and a link, never the action', async () => {
  const coord = await fx.signedIn(srv, 'coordinator');
  const lead = await fx.signedIn(srv, 'lead');
  // The strategic lead (who sees the authority's cases) is the practitioner
  // owning two actions due soon and one overdue; a third, far off, is not counted.
  sql(`UPDATE cases SET opened_on = '2025-09-15' WHERE id = ${ids.case};`);
  const now = nowSeconds();
  const authority = coord.me.roles[0].scope_id;
  const prac = Number(sql(`INSERT INTO practitioners (authority_id, service_id, user_id, name, created_at, updated_at)
    VALUES (${authority}, ${ids.ep}, ${lead.me.id}, 'Sam Okonjo', ${now}, ${now}) RETURNING id;`));
  const today = new Date(srv.clock.now() * 1000).toISOString().slice(0, 10);
  const descriptions = ['EP to observe in class and advise the teacher', 'EP to share the report with parents',
    'EP to review the plan next term'];
  const dues = [addDays(today, -2), addDays(today, 2), addDays(today, 10)];
  for (let i = 0; i < 3; i++) {
    const r = await fx.api(coord, 'POST', `/api/v1/cases/${ids.case}/actions`, {
      description: descriptions[i], owner_practitioner_id: prac, setting: 'school', nature: 'advice', due_on: dues[i],
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  // One owned by the school reaches its staff: the head.
  const codes = await fx.serviceIds(coord);
  const school = await fx.api(coord, 'POST', `/api/v1/cases/${ids.case}/actions`, {
    description: 'SENCO to set up a quiet space after lunch', owner_service_id: codes.school, owner_name: 'SENCO',
    setting: 'school', nature: 'school_adjustment', due_on: addDays(today, 1),
  });
  assert.equal(school.status, 201, JSON.stringify(school.body));
  const headReminders = () => to('head@school.example').filter((m) => /you have/.test(m.subject));
  const clockEnv = { TAS_CLOCK_FILE: path.join(srv.dir, 'clock') };
  const addr = 'lead@council.example';
  const reminders = () => to(addr).filter((m) => /you have/.test(m.subject));
  assert.equal(reminders().length, 0, 'today\'s pass ran before the actions existed');

  // The next day the pass finds them.
  srv.clock.advance(86400);
  const day1 = addDays(today, 1);
  await until(() => reminders().length === 1, 'the first reminder');
  const [m] = reminders();
  checkHeaders(m, addr);
  assert.equal(m.subject, 'Team Around the School: you have 2 actions due');
  assert.ok(m.body.includes(`You have 2 open actions due by ${dayLabel(addDays(day1, 3))}, 1 of them overdue.`), m.body);
  await until(() => headReminders().length === 1, 'the school staff\'s reminder');
  const h = headReminders()[0];
  checkHeaders(h, 'head@school.example');
  assert.equal(h.subject, 'Team Around the School: you have 1 action due');
  assert.ok(h.body.includes(`You have 1 open action due by ${dayLabel(addDays(day1, 3))}.\r\n`), h.body);
  assert.ok(!h.body.includes('quiet space'));
  assert.ok(m.body.includes(`${srv.base}/work\r\n`));
  for (const d of descriptions) assert.ok(!m.body.includes(d), 'not the action\'s text');
  assert.ok(!m.body.includes(ids.pupil.surname) && !m.body.includes(ids.pupil.upn), 'not the pupil');

  // Again the same day (another process, a later hour): nothing more.
  const cli = await runTas(['mail', '--db', srv.db, 'remind'], { env: clockEnv });
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(cli.stdout, new RegExp(`mail: 0 reminders queued for ${day1}`));
  srv.clock.advance(3 * 3600);
  await barrier('steering', 'steer@council.example');
  assert.equal(reminders().length, 1, 'once a day');
  assert.equal(headReminders().length, 1, 'once a day');

  // The day after: one more, with the counts of that day.
  srv.clock.advance(86400);
  await until(() => reminders().length === 2, 'the second day\'s reminder');
  const second = reminders()[1];
  assert.ok(second.body.includes(`You have 2 open actions due by ${dayLabel(addDays(day1, 4))}, 1 of them overdue.`),
    second.body);
  const cli2 = await runTas(['mail', '--db', srv.db, 'remind'], { env: clockEnv });
  assert.match(cli2.stdout, /mail: 0 reminders queued/);
});

test('a relay that accepts the connection and never answers does not hold up a shutdown', async () => {
  // A TCP server that says nothing: libcurl waits for the SMTP greeting.
  let connected;
  const seen = new Promise((r) => { connected = r; });
  const sockets = [];
  const mute = createServer((s) => { sockets.push(s); connected(); });
  await new Promise((r) => mute.listen(0, '127.0.0.1', r));
  const other = await startServer({
    clock: true,
    extraArgs: ['--quiet', '--smtp', `smtp://127.0.0.1:${mute.address().port}`, '--mail-from', FROM],
  });
  try {
    const a = await fx.signedIn(other, 'admin');
    await setEmail(a, 'dpo', 'dpo@council.example');
    const r = await new Client(other.base).postJson('/api/v1/forgot-password', { username: 'dpo' });
    assert.equal(r.status, 202);
    await seen;
    const started = Date.now();
    // expectExitZero: a stop that needed SIGKILL (after 10 s) fails here.
    await other.stop({ expectExitZero: true });
    assert.ok(Date.now() - started < 8000, 'stopped promptly');
  } finally {
    await other.stop();
    for (const s of sockets) s.destroy();
    await new Promise((r) => mute.close(r));
  }
});
