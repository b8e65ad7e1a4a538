// GIAS-shaped establishment files for the tests and the timing in
// docs/data-in-and-out.md: the DfE's header names in the file's order (a
// subset of its 139 columns, with columns tas does not read in between),
// synthetic schools, dates dd-mm-yyyy.
//
//   node tests/http/gias_fixture.mjs 50000 LA > edubase.csv   // 50,000 rows in LA
import { fileURLToPath } from 'node:url';

export const GIAS_HEADER = [
  'URN', 'LA (code)', 'LA (name)', 'EstablishmentNumber', 'EstablishmentName',
  'TypeOfEstablishment (code)', 'TypeOfEstablishment (name)', 'EstablishmentTypeGroup (code)',
  'EstablishmentTypeGroup (name)', 'EstablishmentStatus (code)', 'EstablishmentStatus (name)', 'OpenDate',
  'CloseDate', 'PhaseOfEducation (code)', 'PhaseOfEducation (name)', 'StatutoryLowAge', 'StatutoryHighAge',
  'NumberOfPupils', 'PercentageFSM', 'Street', 'Town', 'Postcode', 'GSSLACode (name)',
];

const PHASES = [['2', 'Primary'], ['4', 'Secondary'], ['1', 'Nursery'], ['7', 'All-through']];

/** CSV field, quoted when it must be (RFC 4180). */
export function field(v) {
  const s = String(v ?? '');
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One data row from an object of header name -> value. */
export function giasRow(o, header = GIAS_HEADER) {
  return header.map((h) => field(o[h])).join(',');
}

/** A valid establishment: n picks the URN and the synthetic name. */
export function establishment(n, la, extra = {}) {
  const [pc, pn] = PHASES[n % PHASES.length];
  return {
    URN: String(700000 + n), 'LA (code)': la, 'LA (name)': 'Synthetic', EstablishmentNumber: String(2000 + (n % 7000)),
    EstablishmentName: `Synthetic School ${n}`, 'TypeOfEstablishment (code)': '1',
    'TypeOfEstablishment (name)': 'Community school', 'EstablishmentTypeGroup (code)': '4',
    'EstablishmentTypeGroup (name)': 'Local authority maintained schools', 'EstablishmentStatus (code)': '1',
    'EstablishmentStatus (name)': 'Open', OpenDate: '01-09-1975', CloseDate: '', 'PhaseOfEducation (code)': pc,
    'PhaseOfEducation (name)': pn, StatutoryLowAge: '4', StatutoryHighAge: '11', NumberOfPupils: String(100 + (n % 900)),
    PercentageFSM: ((n % 400) / 10).toFixed(1), Street: '1 Example Road', Town: 'Exampleton',
    Postcode: `ZZ9 ${n % 10}ZZ`, 'GSSLACode (name)': 'E06000000', ...extra,
  };
}

/** A whole file (CRLF lines, as GIAS writes): header then rows. */
export function giasCsv(rows, header = GIAS_HEADER) {
  return [header.map(field).join(','), ...rows.map((r) => giasRow(r, header))].join('\r\n') + '\r\n';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const n = Number(process.argv[2] || 50000);
  const la = process.argv[3] || '999';
  const out = [GIAS_HEADER.map(field).join(',')];
  for (let i = 0; i < n; i++) out.push(giasRow(establishment(i, la)));
  process.stdout.write(out.join('\r\n') + '\r\n');
}
