// Every page a role reaches by following links (issue 10, items 8 and 9):
// starting from the home page, each demo role follows the links on its
// pages, breadth first, and each kind of page (its path with record
// numbers as :id) is checked once, by the first role to reach it: answered
// 200, nothing scrolls sideways at 375 px, axe-core finds no violation,
// and no console or CSP error.  Unlike the lists in phones.test.mjs, a
// page added later is swept as soon as something links to it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, checkA11y, startServer, signInPage, collectPageErrors, PHONE, overflow } from './harness.mjs';

let srv, browser;

before(async () => {
  srv = await startServer({ seed: 5, year: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

// The roles in the order they sweep: the widest reach first, so the later
// ones check what only they can see.  The taskforce users are the APST's.
const ROLES = ['coordinator', 'admin', 'head', 'senco', 'practitioner', 'lead', 'evaluator', 'steering', 'dpo',
  'taskforce.manager', 'taskforce.specialist'];
const PER_ROLE = 40;   // kinds of page a role checks at the most
// Links that change something or are not pages: never followed.
const SKIP = /^\/(sign-out|assets\/|api\/)|\.(csv|xlsx|ics|json|txt)(\?|$)|\/(download|export)\b/;

/** A path's kind: numbers and codes that name a record become :id; the query is dropped. */
function kindOf(href) {
  const u = new URL(href, 'http://x');
  return u.pathname.split('/').map((s) => (/^\d+$|^[0-9a-f]{16,}$/i.test(s) ? ':id' : s)).join('/');
}


const seen = new Set();    // kinds of page already checked, by any role
const swept = [];          // "role path", for the closing count

for (const role of ROLES) {
  test(`${role}: every kind of page reached by links answers, fits 375 px and passes axe`, async () => {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await signInPage(page, srv.base, role);
    assert.doesNotMatch(new URL(page.url()).pathname, /^\/sign-in/, `${role} signs in`);
    const queue = ['/'];
    const queued = new Set(['/']);
    let checked = 0;
    while (queue.length && checked < PER_ROLE) {
      const p = queue.shift();
      const res = await page.goto(`${srv.base}${p}`);
      await page.waitForLoadState('load');
      assert.equal(res.status(), 200, `${role} ${p}`);
      const kind = kindOf(p);
      if (!seen.has(kind)) {
        seen.add(kind);
        checked++;
        swept.push(`${role} ${p}`);
        const o = await overflow(page);
        assert.ok(o.scrollWidth <= PHONE.width, `${role} ${p}: ${o.scrollWidth} px wide:\n${o.wide.join('\n')}`);
        const v = await checkA11y(page);
        assert.deepEqual(v, [], `accessibility problems on ${p} (${role}, 375 px):\n${v.join('\n')}`);
      }
      const hrefs = await page.locator('a[href^="/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      for (const h of hrefs) {
        const path = new URL(h, srv.base).pathname + new URL(h, srv.base).search;
        if (SKIP.test(path) || queued.has(path) || seen.has(kindOf(path))) continue;
        queued.add(path);
        queue.push(path);
      }
    }
    assert.deepEqual(errors, [], `page errors for ${role}:\n${errors.join('\n')}`);
    await context.close();
  });
}

test('the sweep reached the areas it should', () => {
  for (const kind of ['/pupils', '/cases', '/meetings', '/teams', '/dashboard', '/evaluation', '/audit', '/users',
    '/cases/:id', '/pupils/:id', '/meetings/:id']) {
    assert.ok(seen.has(kind), `no role reached ${kind}; swept:\n${swept.join('\n')}`);
  }
  assert.ok(seen.size >= 55, `only ${seen.size} kinds of page swept:\n${swept.join('\n')}`);
});
