// Shared helpers for the browser tests: Debian's chromium driven by
// playwright-core (no browser download), axe-core for accessibility checks.
//
//   import { launchBrowser, checkA11y, startServer, signInPage } from './harness.mjs';
//   const srv = await startServer();
//   const browser = await launchBrowser();
//   const page = await browser.newPage();
//   await signInPage(page, srv.base, 'coordinator');
//   assert.deepEqual(await checkA11y(page), []);
//   await browser.close(); await srv.stop();

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { DEMO_PASSWORD } from '../http/harness.mjs';

export { startServer, Client, DEMO_PASSWORD, DEMO_USERS, csrfFrom, TODAY, birthDateFor, dbSql, dbScript } from '../http/harness.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const AXE_PATH = path.join(REPO, 'node_modules', 'axe-core', 'axe.min.js');

/** Chromium binary: $CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = Object.freeze([
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]);

/** The WCAG levels we test against (GDS monitors WCAG 2.2 AA). */
export const A11Y_TAGS = Object.freeze(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']);

/** Launches headless chromium. Close it with browser.close(). */
export async function launchBrowser(options = {}) {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`chromium not found at ${CHROMIUM_PATH} (run scripts/install-deps.sh)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS],
    ...options,
  });
}

/** Turns axe violations into readable one-entry-per-rule strings. */
export function formatViolations(violations) {
  return violations.map((v) => {
    const nodes = v.nodes.slice(0, 10).map((n) => {
      const target = Array.isArray(n.target) ? n.target.join(' ') : String(n.target);
      const why = (n.failureSummary || '').replace(/\s*\n\s*/g, '; ');
      return `    - ${target}: ${why}\n      ${n.html.slice(0, 200)}`;
    });
    const more = v.nodes.length > 10 ? `\n    ... and ${v.nodes.length - 10} more` : '';
    return `[${v.impact ?? 'unknown'}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes.join('\n')}${more}`;
  });
}

let axeSource = null;

/**
 * Loads axe-core into the page. Our pages forbid inline scripts (CSP), and
 * page.addScriptTag({path}) inserts an inline script, which CSP blocks (and
 * logs as a console error). So the source of node_modules/axe-core/axe.min.js
 * is evaluated through the DevTools protocol instead, which CSP does not
 * govern: no bypassCSP needed, and CSP problems of the page stay visible.
 */
async function injectAxe(page) {
  if (await page.evaluate(() => typeof window.axe !== 'undefined')) return;
  axeSource ??= readFileSync(AXE_PATH, 'utf8');
  await page.evaluate(axeSource);
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    throw new Error(`could not load ${AXE_PATH} into the page`);
  }
}

/**
 * Runs axe-core on the page (WCAG 2.0/2.1/2.2 A and AA rules only).
 * Resolves a list of readable violation strings: [] means none found.
 * options.exclude: CSS selectors to leave out; options.raw: resolve axe's
 * violation objects instead of strings.
 */
export async function checkA11y(page, { exclude = [], raw = false } = {}) {
  await injectAxe(page);
  const violations = await page.evaluate(async ({ tags, exclude }) => {
    const context = exclude.length ? { exclude: exclude.map((s) => [s]) } : document;
    const result = await window.axe.run(context, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })),
    }));
  }, { tags: [...A11Y_TAGS], exclude });
  return raw ? violations : formatViolations(violations);
}

/**
 * Records what went wrong while pages load: console errors (CSP violations
 * among them), uncaught exceptions, failed requests and HTTP error
 * responses for subresources (with their URL). /favicon.ico is ignored.
 * Returns the array, which fills as the page runs.
 */
export function collectPageErrors(page) {
  const errors = [];
  const ignored = (url) => new URL(url).pathname === '/favicon.ico';
  page.on('console', (msg) => {
    // "Failed to load resource" carries no URL; responses are logged below.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) {
      errors.push(`console: ${msg.text()}`);
    }
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('requestfailed', (req) => {
    if (!ignored(req.url())) errors.push(`request failed: ${req.url()} ${req.failure()?.errorText ?? ''}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400 && res.request().resourceType() !== 'document' && !ignored(res.url())) {
      errors.push(`HTTP ${res.status()}: ${res.url()}`);
    }
  });
  return errors;
}

/**
 * Signs in through the real form (fields named username and password, a
 * submit button inside form[action="/sign-in"]); resolves the page once the
 * response to the POST has loaded.
 */
export async function signInPage(page, base, username, password = DEMO_PASSWORD) {
  await page.goto(`${base}/sign-in`);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  const posted = page.waitForResponse((r) => r.request().method() === 'POST' &&
    new URL(r.url()).pathname === '/sign-in');
  await page.locator('form[action="/sign-in"] [type="submit"]').first().click();
  await posted;
  await page.waitForLoadState('load');
  return page;
}

/** A phone's screen: the width issue 10 asks every page to fit. */
export const PHONE = Object.freeze({ width: 375, height: 740 });

/** How far the page is wider than the screen, and the widest elements that make it so. */
export async function overflow(page) {
  return page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > w + 0.5 && e.getClientRects().length)
      .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} right=${Math.round(e.getBoundingClientRect().right)}`);
    return { scrollWidth: document.documentElement.scrollWidth, wide };
  });
}
