// Prepares a load run (bench/load.sh): signs in to a running tas through the
// JSON API, and writes into OUTDIR
//   cookie        the Cookie header value of the session ("tas_session=...")
//   csrf          the session's CSRF token (sent as X-CSRF-Token on writes)
//   www/NAME      each page's body as tas served it, for nginx to serve
//   types         "NAME PATH CONTENT-TYPE" per page
//   put_path      /api/v1/pupils/ID of the first listed pupil
//   put.json      that pupil's record as PUT expects it, unchanged, so
//                 saving it again and again changes nothing (but is audited)
//
//   node bench/load_prep.mjs BASE_URL OUTDIR USERNAME PASSWORD
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signIn } from './sign_in.mjs';

const [base, outdir, username, password] = process.argv.slice(2);
const pages = [
  ['home', '/'],
  ['pupils', '/pupils'],
  ['api_pupils', '/api/v1/pupils'],
  ['dashboard', '/dashboard'],
];

function fail(msg) {
  console.error(`load_prep: ${msg}`);
  process.exit(1);
}

const { cookie: session, csrf } = await signIn('load_prep', base, username, password);

mkdirSync(join(outdir, 'www'), { recursive: true });
writeFileSync(join(outdir, 'cookie'), session);
writeFileSync(join(outdir, 'csrf'), csrf);

async function get(path) {
  const r = await fetch(`${base}${path}`, { headers: { cookie: session }, redirect: 'manual' });
  const body = Buffer.from(await r.arrayBuffer());
  if (r.status !== 200) fail(`GET ${path}: ${r.status}`);
  return { body, type: r.headers.get('content-type') };
}

const types = [];
for (const [name, path] of pages) {
  const { body, type } = await get(path);
  writeFileSync(join(outdir, 'www', name), body);
  types.push(`${name} ${path} ${type.replace(/\s+/g, '')}`);
}
writeFileSync(join(outdir, 'types'), `${types.join('\n')}\n`);

const list = JSON.parse((await get('/api/v1/pupils')).body);
const id = list.pupils?.[0]?.id;
if (!id) fail('no pupil to save in the mixed profile');
const { pupil } = JSON.parse((await get(`/api/v1/pupils/${id}`)).body);
const fields = ['upn', 'forenames', 'surname', 'date_of_birth', 'gender', 'ethnicity', 'nc_year',
  'sen_provision'];
const put = Object.fromEntries(fields.map((f) => [f, pupil[f]]));
put.school_id = pupil.school.id;
writeFileSync(join(outdir, 'put_path'), `/api/v1/pupils/${id}`);
writeFileSync(join(outdir, 'put.json'), JSON.stringify(put));
