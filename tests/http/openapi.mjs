// Every response the HTTP tests receive from /api/v1/ is checked against
// the API's description, docs/openapi.json (OpenAPI 3.1, JSON Schema
// 2020-12), by Client.request in harness.mjs:
//
//   - the path and method must be described (a path the server does not
//     route must still be described for its 404: no undescribed answer);
//   - the status must be one the operation lists (no "default");
//   - the Content-Type must be one that status lists;
//   - a JSON body must match that status's schema (Ajv, strict).
//
// A mismatch throws, so the test that made the request fails.  The number
// of responses checked is appended to $TAS_OPENAPI_TALLY (a file) at exit
// when that is set, one line per test process.

import { readFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const OPENAPI_FILE = path.join(REPO, 'docs', 'openapi.json');

let loaded = null; // { doc, ajv, paths: [{re, template, item}] }

/** The document, parsed once. */
export function openapiDoc() {
  return load().doc;
}

function load() {
  if (loaded) return loaded;
  const doc = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8'));
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true, strictRequired: false,
    validateFormats: true });
  addFormats(ajv);
  // OpenAPI's own keywords beside JSON Schema's.
  ajv.addKeyword({ keyword: 'example' });
  ajv.addVocabulary(['discriminator', 'xml', 'externalDocs']);
  // The components' schemas as one schema of $defs; every other schema is
  // compiled on first use with its references pointed there.
  ajv.addSchema({ $id: 'tas:components', $defs: pointRefs(doc.components.schemas) });
  const paths = Object.entries(doc.paths).map(([template, item]) => {
    const re = new RegExp(`^${template.replace(/[.+?^$()|[\]\\]/g, '\\$&')
      .replace(/\{id\}/g, '[1-9][0-9]{0,14}')
      .replace(/\{[a-z_]+\}/g, '[A-Za-z0-9_-]{1,128}')}$`);
    return { re, template, item };
  });
  // Literal paths first (/api/v1/teams/new before /api/v1/teams/{id}),
  // as the server's tables list them.
  paths.sort((a, b) => (a.template.includes('{') ? 1 : 0) - (b.template.includes('{') ? 1 : 0));
  loaded = { doc, ajv, paths };
  return loaded;
}

function pointRefs(node) {
  if (Array.isArray(node)) return node.map(pointRefs);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')
      ? `tas:components#/$defs/${v.slice('#/components/schemas/'.length)}` : pointRefs(v);
  }
  return out;
}

const compiled = new Map();
function validatorOf(key, schema) {
  if (!compiled.has(key)) compiled.set(key, load().ajv.compile(pointRefs(schema)));
  return compiled.get(key);
}

function escapePointer(s) {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

let checked = 0;
if (process.env.TAS_OPENAPI_TALLY) {
  process.on('exit', () => {
    try { appendFileSync(process.env.TAS_OPENAPI_TALLY, `${checked}\n`); } catch { /* best effort */ }
  });
}

/** How many responses this process has checked. */
export function checkedCount() {
  return checked;
}

/**
 * Checks one response against the document.  Returns a list of problems
 * (empty when it conforms).  method: as sent (HEAD is checked as GET with no
 * body); pathname: without the query string; bodyText: the body as text.
 */
export function problemsOf(method, pathname, status, contentType, bodyText) {
  const { paths } = load();
  const m = (method === 'HEAD' ? 'get' : method.toLowerCase());
  const found = paths.find((p) => p.re.test(pathname));
  // The document's general rule (info.description): an undescribed path
  // answers 404, an undescribed method on a described path 405, both with
  // the Error shape.  Anything else there is undescribed.
  if (!found) {
    if (status === 404) return errorShape(method, pathname, status, contentType, bodyText);
    return [`${method} ${pathname}: path not described in docs/openapi.json`];
  }
  const op = found.item[m];
  if (!op) {
    if (status === 405) return errorShape(method, pathname, status, contentType, bodyText);
    return [`${method} ${found.template}: method not described`];
  }
  const code = String(status);
  const resp = op.responses[code];
  if (!resp) return [`${method} ${found.template}: status ${code} not described`];
  const target = resp.$ref ? resolveRef(resp.$ref) : resp;
  const content = target.content || {};
  const type = (contentType || '').split(';')[0].trim().toLowerCase();
  if (!type) {
    if (Object.keys(content).length && bodyText) {
      return [`${method} ${found.template} ${code}: a body without Content-Type`];
    }
    return [];
  }
  if (!content[type]) {
    return [`${method} ${found.template} ${code}: Content-Type ${type} not described` +
      ` (described: ${Object.keys(content).join(', ') || 'none'})`];
  }
  checked++;
  if (type !== 'application/json' || method === 'HEAD') return [];
  let body;
  try { body = JSON.parse(bodyText); } catch (e) {
    return [`${method} ${found.template} ${code}: body is not JSON (${e.message})`];
  }
  const schema = content[type].schema;
  if (!schema) return [`${method} ${found.template} ${code}: no schema for ${type}`];
  const validate = validatorOf(resp.$ref || `${found.template} ${m} ${code}`, schema);
  if (validate(body)) return [];
  return validate.errors.slice(0, 8).map((e) =>
    `${method} ${pathname} ${code}: ${e.instancePath || '(body)'} ${e.message}` +
    `${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}` +
    ` [${e.schemaPath}]`);
}

function errorShape(method, pathname, status, contentType, bodyText) {
  const type = (contentType || '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') return [`${method} ${pathname} ${status}: Content-Type ${type}, not application/json`];
  checked++;
  if (method === 'HEAD') return [];
  let body;
  try { body = JSON.parse(bodyText); } catch (e) { return [`${method} ${pathname} ${status}: body is not JSON`]; }
  return schemaProblems('Error', body).map((p) => `${method} ${pathname} ${status}: ${p}`);
}

function resolveRef(ref) {
  const { doc } = load();
  let node = doc;
  for (const part of ref.replace(/^#\//, '').split('/')) {
    node = node[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (node === undefined) throw new Error(`unresolved ${ref}`);
  }
  return node;
}

/** Validates a value against a named schema of components.schemas: the problems, or []. */
export function schemaProblems(name, value) {
  const { ajv } = load();
  const validate = ajv.getSchema(`tas:components#/$defs/${escapePointer(name)}`);
  if (!validate) throw new Error(`no schema ${name}`);
  return validate(value) ? [] : validate.errors.map((e) => `${e.instancePath} ${e.message}`);
}

/**
 * The hook of Client.request: for a URL under /api/v1/, reads a copy of
 * the response and throws when it does not match the document.
 */
export async function checkResponse(method, url, res, reqBody) {
  const u = new URL(url);
  if (!u.pathname.startsWith('/api/v1/') && u.pathname !== '/api/v1') return;
  const text = method === 'HEAD' ? '' : await res.clone().text();
  if (process.env.TAS_OPENAPI_RECORD) {
    appendFileSync(process.env.TAS_OPENAPI_RECORD, `${JSON.stringify({ method, path: u.pathname, query: u.search,
      status: res.status, type: res.headers.get('content-type'), body: text.slice(0, 200000),
      req: typeof reqBody === 'string' ? reqBody.slice(0, 20000) : null })}\n`);
    return;
  }
  const problems = problemsOf(method, u.pathname, res.status, res.headers.get('content-type'), text);
  if (problems.length) {
    throw new Error(`response does not match docs/openapi.json:\n  ${problems.join('\n  ')}`);
  }
}
