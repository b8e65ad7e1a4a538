// Writers side by side (bench/writers.sh): signs in to a running tas and,
// for each number of writers, keeps that many POSTs in flight for a fixed
// time, each adding a parental consent to a pupil, and prints one line per
// number: writers, writes/s, p50 and p99 latency (ms), answers other than
// 201, and writes/s as a ratio to one writer's in the same run.  "spread":
// each writer has its own pupil; "one": every writer adds to the same one.
//
//   node bench/writers.mjs BASE_URL USERNAME PASSWORD SECONDS "1 4 16" spread|one
import { signIn } from './sign_in.mjs';

const [base, username, password, seconds, counts, mode] = process.argv.slice(2);

function fail(msg) {
  console.error(`writers: ${msg}`);
  process.exit(1);
}

const me = await signIn('writers', base, username, password);
const { cookie } = me;

// WRITERS_KIND=action: each write adds an action to a case (owned by the
// school's own service) instead of a consent to a pupil.
const kind = process.env.WRITERS_KIND || 'consent';
const getJson = async (path) => (await fetch(`${base}${path}`, { headers: { cookie } })).json();
const ids = kind === 'action'
  ? ((await getJson('/api/v1/cases?per_page=100')).cases || []).map((c) => c.id)
  : ((await getJson('/api/v1/pupils?per_page=100')).pupils || []).map((p) => p.id);
if (!ids.length) fail(`no ${kind === 'action' ? 'cases' : 'pupils'} to write to`);
// The school's own service: owning an action needs no consent to share.
const service = kind === 'action'
  ? ((await getJson('/api/v1/services')).services || []).find((x) => x.org_kind === 'school')?.id : 0;
if (kind === 'action' && !service) fail('no school service to own the actions');

const today = new Date().toISOString().slice(0, 10);
async function write(id, n) {
  const t0 = process.hrtime.bigint();
  const [path, body] = kind === 'action'
    ? [`/api/v1/cases/${id}/actions`, { description: `Bench action ${n}`, owner_service_id: service,
      setting: 'home', nature: 'coordination', due_on: today }]
    : [`/api/v1/pupils/${id}/consents`, { given_by: `Bench parent ${n}`, relationship: 'mother', given_on: today,
      covers_discussion: 'yes' }];
  const r = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': me.csrf },
    body: JSON.stringify(body),
  });
  await r.arrayBuffer();
  if (r.status !== 201 && !bad) console.error(`writers: ${path}: ${r.status}`);
  return { ok: r.status === 201, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
}

let n = 0;
let bad = 0;
let base1 = 0;
for (const c of counts.split(/\s+/).filter(Boolean).map(Number)) {
  const lat = [];
  bad = 0;
  const end = Date.now() + Number(seconds) * 1000;
  const started = Date.now();
  await Promise.all(Array.from({ length: c }, async (_, w) => {
    const id = mode === 'one' ? ids[0] : ids[w % ids.length];
    while (Date.now() < end) {
      const r = await write(id, n++);
      lat.push(r.ms);
      if (!r.ok) bad++;
    }
  }));
  const rate = (lat.length - bad) / ((Date.now() - started) / 1000);
  if (!base1) base1 = rate;
  lat.sort((a, b) => a - b);
  const pct = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))].toFixed(1);
  console.log(`${c} ${rate.toFixed(0)} ${pct(0.5)} ${pct(0.99)} ${bad} ${(rate / base1).toFixed(2)}`);
}
