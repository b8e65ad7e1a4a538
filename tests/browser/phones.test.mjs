// Phones (issue 10 item 8): at 375 px wide no page scrolls sideways, the
// header's navigation collapses behind GOV.UK Frontend's menu button (its
// own JavaScript, served from /assets under the unchanged CSP), and every
// page passes axe.  Without JavaScript the navigation is a plain list and
// every link is still there.
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

// The main pages of several roles: what each one's navigation leads to, and a record or two.
const ROLES = {
  coordinator: ['/', '/work', '/pupils', '/cases', '/teams', '/meetings', '/dashboard', '/pupils/new', '/account', '/teams/new', '/referral-results'],
  head: ['/', '/work', '/pupils', '/cases', '/meetings'],
  practitioner: ['/', '/work', '/cases'],
  evaluator: ['/', '/dashboard', '/evaluation'],
  admin: ['/', '/users', '/schools', '/settings', '/audit'],
};

async function phonePage(opts = {}) {
  const context = await browser.newContext({ viewport: PHONE, ...opts });
  const page = await context.newPage();
  return { context, page };
}


for (const [role, paths] of Object.entries(ROLES)) {
  test(`${role}: at 375 px nothing scrolls sideways, the menu button opens and closes the navigation`, async () => {
    const { context, page } = await phonePage();
    const errors = collectPageErrors(page);
    await signInPage(page, srv.base, role);
    const extra = [];
    for (const p of paths) {
      const res = await page.goto(`${srv.base}${p}`);
      assert.equal(res.status(), 200, `${role} ${p}`);
      // A record from the list, where there is one.
      if (['/pupils', '/cases', '/meetings'].includes(p)) {
        const href = await page.locator('main table a[href^="/"]').first().getAttribute('href').catch(() => null);
        if (href) extra.push(href);
      }
    }
    for (const p of [...paths, ...extra]) {
      await page.goto(`${srv.base}${p}`);
      await page.waitForLoadState('load');
      const o = await overflow(page);
      assert.ok(o.scrollWidth <= PHONE.width, `${role} ${p}: ${o.scrollWidth} px wide:\n${o.wide.join('\n')}`);

      const button = page.getByRole('button', { name: 'Menu' });
      await button.waitFor({ state: 'visible' });
      const list = page.locator('#navigation');
      assert.equal(await button.getAttribute('aria-expanded'), 'false', p);
      assert.equal(await list.isVisible(), false, `${p}: the navigation starts collapsed`);
      await button.click();
      assert.equal(await button.getAttribute('aria-expanded'), 'true', p);
      assert.equal(await list.isVisible(), true, `${p}: the menu opens`);
      const open = await overflow(page);
      assert.ok(open.scrollWidth <= PHONE.width, `${role} ${p} (menu open): ${open.scrollWidth} px\n${open.wide.join('\n')}`);
      const v = await checkA11y(page);
      assert.deepEqual(v, [], `accessibility problems on ${p} at 375 px (menu open):\n${v.join('\n')}`);
      await button.click();
      assert.equal(await list.isVisible(), false, `${p}: the menu closes`);
      const shut = await checkA11y(page);
      assert.deepEqual(shut, [], `accessibility problems on ${p} at 375 px:\n${shut.join('\n')}`);
    }
    assert.deepEqual(errors, [], `page errors:\n${errors.join('\n')}`);
    await context.close();
  });
}

test('without JavaScript: no menu button, the navigation is all there, and still nothing scrolls sideways', async () => {
  const { context, page } = await phonePage({ javaScriptEnabled: false });
  await signInPage(page, srv.base, 'coordinator');
  for (const p of ['/', '/meetings', '/cases']) {
    await page.goto(`${srv.base}${p}`);
    assert.equal(await page.getByRole('button', { name: 'Menu' }).isVisible(), false);
    const links = page.locator('#navigation a');
    assert.ok(await links.count() >= 5);
    for (const l of await links.all()) assert.equal(await l.isVisible(), true);
    const o = await overflow(page);
    assert.ok(o.scrollWidth <= PHONE.width, `${p} without JS: ${o.scrollWidth} px\n${o.wide.join('\n')}`);
  }
  await context.close();
});

test('GOV.UK Frontend\'s script is served from /assets as JavaScript, under the same CSP', async () => {
  for (const p of ['/assets/govuk-frontend.min.js', '/assets/tas-init.js']) {
    const res = await fetch(`${srv.base}${p}`);
    assert.equal(res.status, 200, p);
    assert.match(res.headers.get('content-type'), /^text\/javascript/);
    assert.match(res.headers.get('content-security-policy'), /script-src 'self'[;$]/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  }
  const page = await (await fetch(`${srv.base}/sign-in`)).text();
  assert.doesNotMatch(page, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
  assert.match(page, /<script type="module" src="\/assets\/tas-init.js"><\/script>/);
});
