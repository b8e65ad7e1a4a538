// The API's description (docs/openapi.json) and the check every HTTP test
// makes with it (openapi.mjs, called by Client.request): the document is
// sound OpenAPI 3.1, the server serves it, and the check refuses answers
// that do not match, so it cannot pass everything.  That every route under
// /api/v1/ is described is tests/web/test_openapi.c's (it reads the route
// tables).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { startServer, Client } from './harness.mjs';
import { OPENAPI_FILE, openapiDoc, problemsOf, schemaProblems } from './openapi.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function resolve(doc, ref) {
  assert.match(ref, /^#\//, `a local reference: ${ref}`);
  let node = doc;
  for (const part of ref.slice(2).split('/')) {
    node = node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

test('the document is OpenAPI 3.1 whose every reference resolves', () => {
  const doc = openapiDoc();
  assert.equal(doc.openapi, '3.1.0');
  assert.ok(doc.info?.title && doc.info?.version);
  assert.equal(doc.jsonSchemaDialect, 'https://json-schema.org/draft/2020-12/schema');
  let refs = 0;
  const walk = (node, where) => {
    if (Array.isArray(node)) { node.forEach((x, i) => walk(x, `${where}/${i}`)); return; }
    if (!node || typeof node !== 'object') return;
    if (typeof node.$ref === 'string') {
      refs++;
      assert.notEqual(resolve(doc, node.$ref), undefined, `${where}: ${node.$ref} does not resolve`);
    }
    for (const [k, v] of Object.entries(node)) walk(v, `${where}/${k}`);
  };
  walk(doc, '#');
  assert.ok(refs > 500, `${refs} references`);
  // Every schema in components compiles (Ajv, strict).
  for (const name of Object.keys(doc.components.schemas)) schemaProblems(name, null);
});

test('every operation names its statuses, its path parameters and its security', () => {
  const doc = openapiDoc();
  const ids = new Set();
  let ops = 0;
  for (const [p, item] of Object.entries(doc.paths)) {
    assert.match(p, /^\/api\/v1\//);
    for (const [m, op] of Object.entries(item)) {
      assert.ok(METHODS.includes(m), `${p}: ${m} is not a method`);
      ops++;
      assert.ok(op.operationId && !ids.has(op.operationId), `${m} ${p}: operationId unique`);
      ids.add(op.operationId);
      const codes = Object.keys(op.responses);
      assert.ok(codes.length > 0, `${m} ${p}: no responses`);
      for (const c of codes) assert.match(c, /^[1-5][0-9][0-9]$/, `${m} ${p}: status ${c} (no default)`);
      assert.ok(codes.some((c) => c < '300'), `${m} ${p}: no success described`);
      for (const [c, r] of Object.entries(op.responses)) {
        const resp = r.$ref ? resolve(doc, r.$ref) : r;
        assert.ok(resp && typeof resp.description === 'string', `${m} ${p} ${c}: description`);
      }
      const params = (op.parameters || []).map((x) => (x.$ref ? resolve(doc, x.$ref) : x));
      for (const [, name] of p.matchAll(/\{([a-z_]+)\}/g)) {
        assert.ok(params.some((x) => x.in === 'path' && x.name === name && x.required), `${m} ${p}: {${name}}`);
      }
      assert.ok(Array.isArray(op.security), `${m} ${p}: security`);
      for (const req of op.security) {
        for (const s of Object.keys(req)) assert.ok(doc.components.securitySchemes[s], `${m} ${p}: scheme ${s}`);
      }
    }
  }
  assert.ok(ops > 200, `${ops} operations`);
});

test('the server serves the document it was built with, to anyone', async () => {
  const c = new Client(srv.base);
  const res = await c.get('/api/v1/openapi.json');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/json/);
  assert.equal(await res.text(), readFileSync(OPENAPI_FILE, 'utf8'));
});

test('the check refuses what the document does not say', () => {
  const ok = JSON.stringify({ error: 'Sign in first.', status: 401 });
  assert.deepEqual(problemsOf('GET', '/api/v1/me', 401, 'application/json', ok), []);
  // A body of the wrong shape.
  assert.ok(problemsOf('GET', '/api/v1/me', 401, 'application/json', '{"error":"x"}').length);
  assert.ok(problemsOf('GET', '/api/v1/me', 401, 'application/json', '{"error":"x","status":401,"extra":1}').length);
  assert.ok(problemsOf('GET', '/api/v1/pupils/7', 200, 'application/json',
    JSON.stringify({ pupil: { id: 'seven' } })).length);
  assert.ok(schemaProblems('Pupil', { id: 1 }).length, 'a pupil without its fields');
  // A status the operation does not list, a type it does not list, not JSON.
  assert.ok(problemsOf('GET', '/api/v1/me', 418, 'application/json', ok).length);
  assert.ok(problemsOf('GET', '/api/v1/me', 401, 'text/html', '<p>').length);
  assert.ok(problemsOf('GET', '/api/v1/me', 401, 'application/json', 'not json').length);
  // A path or method not described: only the general 404 and 405 (Error) pass.
  assert.ok(problemsOf('GET', '/api/v1/nowhere', 200, 'application/json', '{}').length);
  assert.deepEqual(problemsOf('GET', '/api/v1/nowhere', 404, 'application/json',
    JSON.stringify({ error: 'Page not found', status: 404 })), []);
  assert.ok(problemsOf('DELETE', '/api/v1/pupils/7', 200, 'application/json', '{}').length);
  assert.deepEqual(problemsOf('DELETE', '/api/v1/pupils/7', 405, 'application/json',
    JSON.stringify({ error: 'Method not allowed', status: 405 })), []);
  assert.ok(problemsOf('DELETE', '/api/v1/pupils/7', 405, 'application/json', '{}').length);
});

test('a test whose server answers off the document fails at the request', async () => {
  // A stand-in server that answers /api/v1/me with a body of the wrong shape.
  const fake = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(req.url === '/api/v1/me' ? { who: 'nobody' } : { error: 'x', status: 200 }));
  });
  await new Promise((r) => fake.listen(0, '127.0.0.1', r));
  try {
    const c = new Client(`http://127.0.0.1:${fake.address().port}`);
    await assert.rejects(c.get('/api/v1/me'), /does not match docs\/openapi\.json/);
    await assert.rejects(c.get('/api/v1/not-described'), /path not described/);
    // Pages outside /api/v1/ are not checked.
    assert.equal((await c.get('/pupils')).status, 200);
  } finally {
    await new Promise((r) => fake.close(r));
  }
});
