// Shared helpers for the end-to-end tests: browser launch, page creation with
// console-error collection, and axe-core accessibility checks.
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';

const rawBaseUrl = process.env.BASE_URL;
if (!rawBaseUrl) {
  throw new Error(
    'BASE_URL is not set. Start the Learning City server (with the demo data loaded) and run e.g. ' +
      '`BASE_URL=http://127.0.0.1:3000 npm test` in end2end/.',
  );
}

/** Base URL of the server under test, without a trailing slash. */
export const BASE_URL = rawBaseUrl.replace(/\/+$/, '');

/** Absolute URL for an app path such as `/en/map?cluster=literacy`. */
export function url(path) {
  return BASE_URL + path;
}

/** Path + query string of a page's current URL, e.g. `/en/map?cluster=literacy`. */
export function pathOf(page) {
  const u = new URL(page.url());
  return u.pathname + u.search;
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Launches headless Chromium (Debian's by default; `CHROMIUM_PATH` overrides it). */
export function launch() {
  return chromium.launch({
    headless: true,
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

/**
 * Opens a page in a fresh context with the given viewport width (height 800).
 * Console errors and uncaught page errors are collected in `page.consoleErrors`
 * as strings (console messages include the URL they came from).
 */
export async function newPage(browser, { width = 1280, javaScriptEnabled = true, locale } = {}) {
  const options = { viewport: { width, height: 800 }, javaScriptEnabled };
  if (locale !== undefined) options.locale = locale;
  const context = await browser.newContext(options);
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(20_000);
  const page = await context.newPage();
  page.consoleErrors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const where = msg.location()?.url;
      page.consoleErrors.push(where ? `${msg.text()} (${where})` : msg.text());
    }
  });
  page.on('pageerror', (err) => {
    page.consoleErrors.push(`Uncaught: ${err.message}`);
  });
  return page;
}

/** Closes a page created by `newPage` together with its context. */
export async function closePage(page) {
  if (page) await page.context().close();
}

export const A11Y_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Runs axe-core (WCAG 2.1 A and AA rules) on the page and asserts zero violations. */
export async function checkA11y(page) {
  const results = await new AxeBuilder({ page }).withTags(A11Y_TAGS).analyze();
  const violations = results.violations;
  if (violations.length > 0) {
    const report = violations
      .map((v) => {
        const nodes = v.nodes
          .map((n) => {
            const target = n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(', ');
            const summary = n.failureSummary ? ` — ${n.failureSummary.replace(/\s*\n\s*/g, ' ')}` : '';
            return `      - ${target}${summary}`;
          })
          .join('\n');
        return `  [${v.impact ?? 'n/a'}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}`;
      })
      .join('\n');
    assert.fail(
      `${violations.length} accessibility violation(s) on ${pathOf(page)} ` +
        `(viewport ${page.viewportSize()?.width}px):\n${report}`,
    );
  }
}
