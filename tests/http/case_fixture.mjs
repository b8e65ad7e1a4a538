// Helpers shared by the tests of case work (actions, referrals, work lists,
// voiding): signed-in JSON clients, the GOV.UK error summary, and SQL on the
// test database for setup the API cannot do (never to check a result).
import assert from 'node:assert/strict';
import { Client, dbSql, decodeHtml, DEMO_PASSWORD } from './harness.mjs';

/** Runs SQL on the server's test database (setup only). */
export function sql(srv, text) {
  return dbSql(srv.db, text);
}

/** A client signed in through the JSON API, with its CSRF token. */
export async function signedIn(srv, username) {
  const c = new Client(srv.base);
  const res = await c.postJson('/api/v1/sign-in', { username, password: DEMO_PASSWORD });
  const body = await res.json();
  assert.equal(res.status, 200, `sign-in of ${username}`);
  c.csrf = body.csrf;
  c.me = body.user;
  return c;
}

/** A JSON request: {status, body}. */
export async function api(c, method, p, obj) {
  const headers = { origin: c.base, 'x-csrf-token': c.csrf };
  if (obj !== undefined) headers['content-type'] = 'application/json';
  const res = await c.request(p, { method, headers, body: obj === undefined ? undefined : JSON.stringify(obj) });
  const text = await res.text();
  let body = null;
  try { body = JSON.parse(text); } catch { body = text; }
  return { status: res.status, body };
}

/** Messages in the GOV.UK error summary of a page. */
export function summaryMessages(html) {
  const start = html.indexOf('govuk-error-summary__list');
  if (start < 0) return [];
  const list = html.slice(start, html.indexOf('</ul>', start));
  return [...list.matchAll(/<a href="[^"]*">([^<]*)<\/a>/g)].map((m) => decodeHtml(m[1]).trim());
}

/** field -> message of a 422 JSON answer. */
export function fieldErrors(body) {
  return Object.fromEntries((body.errors || []).map((e) => [e.field, e.message]));
}

/** The ids of the authority's services by code. */
export async function serviceIds(c) {
  const services = (await api(c, 'GET', '/api/v1/services')).body.services;
  return Object.fromEntries(services.map((s) => [s.code, s.id]));
}

/**
 * A team at school, a pupil of that school with consent for discussion and
 * for sharing with the services of the given codes, and an open case:
 * {pupil, team, case}.  The coordinator makes them through the API.
 */
export async function openCase(coord, school, { teamName, services = [], pupilIndex = 0 } = {}) {
  const out = {};
  const pupils = await api(coord, 'GET', `/api/v1/pupils?school=${school}&per_page=5`);
  assert.equal(pupils.status, 200);
  const pupil = pupils.body.pupils.filter((p) => p.school.id === school)[pupilIndex];
  assert.ok(pupil, 'a pupil of the school');
  out.pupil = pupil.id;
  const team = await api(coord, 'POST', '/api/v1/teams', {
    name: teamName, host_school_id: school, cadence: 'fortnightly', weekday: 3,
    start_time: '13:30', duration_minutes: 90,
  });
  assert.equal(team.status, 201, JSON.stringify(team.body));
  out.team = team.body.team.id;
  const codes = await serviceIds(coord);
  const consent = await api(coord, 'POST', `/api/v1/pupils/${out.pupil}/consents`, {
    given_by: 'Jane Example', relationship: 'mother', given_on: '2025-09-10', covers_discussion: 'yes',
    service_ids: services.map((s) => String(codes[s])),
  });
  assert.equal(consent.status, 201, JSON.stringify(consent.body));
  out.consent = consent.body.consent.id;
  const kase = await api(coord, 'POST', `/api/v1/pupils/${out.pupil}/cases`, {
    team_id: out.team, need_semh: 'Anxious on arrival; avoids the classroom after lunch.',
  });
  assert.equal(kase.status, 201, JSON.stringify(kase.body));
  out.case = kase.body.case.id;
  return out;
}
