// Shared helpers for the end-to-end tests: browser launch, page creation with
// console-error collection, and axe-core accessibility checks.
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { simpleParser } from 'mailparser';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

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
/**
 * The administrator scripts/test.sh creates. The coordinators' tests need one: without it they
 * fail, saying so (requireAdmin), rather than being skipped.
 */
export const ADMIN_EMAIL = process.env.ADMIN_EMAIL ?? '';
export const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD ?? '';
export function requireAdmin() {
  if (!ADMIN_EMAIL || !ADMIN_PASSWORD) {
    throw new Error('ADMIN_EMAIL and ADMIN_PASSWORD must name an administrator (scripts/test.sh creates one)');
  }
}

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

/**
 * Launches headless Chromium (Debian's by default; `CHROMIUM_PATH` overrides it), with `args`
 * besides the usual ones.
 */
export function launch(args = []) {
  return chromium.launch({
    headless: true,
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, ...args],
  });
}

/**
 * Opens a page in a fresh context with the given viewport width (height 800).
 * Console errors and uncaught page errors are collected in `page.consoleErrors`
 * as strings (console messages include the URL they came from).
 */
export async function newPage(browser, { width = 1280, javaScriptEnabled = true, locale, timezoneId } = {}) {
  const options = { viewport: { width, height: 800 }, javaScriptEnabled };
  if (locale !== undefined) options.locale = locale;
  if (timezoneId !== undefined) options.timezoneId = timezoneId;
  const context = await browser.newContext(options);
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(20_000);
  const page = await context.newPage();
  page.javaScriptEnabled = javaScriptEnabled;
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
  // What a page asked for and did not get (a missing icon, style or script): the document's
  // own status is each test's to check.
  page.failedRequests = [];
  page.on('response', (res) => {
    if (res.status() >= 400 && res.request().resourceType() !== 'document') {
      page.failedRequests.push(`${res.status()} ${res.url()}`);
    }
  });
  return page;
}

/** Closes a page created by `newPage` together with its context. */
export async function closePage(page) {
  if (page) await page.context().close();
}

/**
 * One Chromium for the tests of a file (with `args` besides the usual ones), launched before
 * them and closed after them. Returns
 * `withPage(options, fn)`, which runs `fn` with a fresh page (its own context) and always closes
 * it, and `browser()` for a test that holds several pages at once.
 */
export function browserForFile({ args = [] } = {}) {
  let browser;
  before(async () => {
    browser = await launch(args);
  });
  after(async () => {
    await browser?.close();
  });
  async function withPage(options, fn) {
    const page = await newPage(browser, options);
    try {
      return await fn(page);
    } finally {
      await closePage(page);
    }
  }
  return { withPage, browser: () => browser };
}

export const A11Y_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * The page as axe-core can check it. Chromium (156.0.8078.114 and later) fires no timers,
 * animation frames or messages in a page whose scripts are off, even for code a test
 * evaluates, so axe-core, which waits on them, would wait forever there. A page without
 * JavaScript is checked as a copy: its DOM as it stands, served again at its own address (so
 * that styles and images load from the site) in a page whose own scripts are taken out and
 * blocked. Returns the page to check and a function that disposes of the copy.
 */
async function checkable(page) {
  if (page.javaScriptEnabled !== false) return { target: page, dispose: async () => {} };
  const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '');
  const address = page.url();
  const context = await page.context().browser().newContext({ viewport: page.viewportSize(), javaScriptEnabled: true });
  const copy = await context.newPage();
  await copy.route(/\.(js|wasm)(\?|$)/, (route) => route.abort());
  await copy.route(address, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
  await copy.goto(address);
  return { target: copy, dispose: () => context.close() };
}

/** Runs axe-core (WCAG 2.1 A and AA rules) on the page and asserts zero violations. */
export async function checkA11y(page) {
  const { target, dispose } = await checkable(page);
  let results;
  try {
    results = await new AxeBuilder({ page: target }).withTags(A11Y_TAGS).analyze();
  } finally {
    await dispose();
  }
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

/**
 * The newest message to `address` that the server wrote to its outbox folder (the server
 * writes one .eml file per message when no SMTP server is configured), waiting for the mail
 * worker to deliver it. Returns the parsed message (`subject`, `text`, `attachments`, …).
 * `after` skips messages at or before that time (ms since the epoch).
 */
export async function mailTo(address, { after = 0, subject, timeout = 20_000 } = {}) {
  const dir = process.env.OUTBOX_DIR;
  if (!dir) throw new Error('OUTBOX_DIR is not set: the tests read mail from the server’s outbox folder');
  const deadline = Date.now() + timeout;
  for (;;) {
    const found = [];
    for (const name of await readdir(dir).catch(() => [])) {
      if (!name.endsWith('.eml')) continue;
      const path = join(dir, name);
      const info = await stat(path);
      if (info.mtimeMs <= after) continue;
      const parsed = await simpleParser(await readFile(path));
      const to = parsed.to?.value?.map((v) => v.address.toLowerCase()) ?? [];
      if (!to.includes(address.toLowerCase())) continue;
      if (subject && !subject.test(parsed.subject ?? '')) continue;
      found.push({ at: info.mtimeMs, parsed });
    }
    if (found.length > 0) {
      found.sort((a, b) => a.at - b.at);
      return found[found.length - 1].parsed;
    }
    if (Date.now() > deadline) throw new Error(`no mail to ${address} in ${dir}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The first link in a message's text that goes to `path` on our site, as path + query. */
export function linkIn(message, path) {
  const match = (message.text ?? '').match(new RegExp(`https?://[^\\s/]+(${path}\\?[^\\s]+)`));
  assert.ok(match, `a link to ${path} in:\n${message.text}`);
  return match[1];
}

/**
 * Waits until the page's scripts run: the navigation (public/navigation.js, which answers forms
 * in place) and, on a page with islands, the WebAssembly that hydrates them. The bootstrap
 * defines `__lcHydrate` after navigation.js has run (module scripts run in order).
 */
export async function hydrated(page) {
  await page.waitForFunction(
    () =>
      typeof window.__lcHydrate === 'function' &&
      (!document.querySelector('leptos-island') ||
        performance.getEntriesByType('resource').some((r) => r.name.endsWith('.wasm'))),
    null,
    { timeout: 15_000 },
  );
  await page.waitForLoadState('networkidle');
}

/** Asserts that the page does not scroll sideways at its viewport width. */
export async function fitsWidth(page) {
  const width = page.viewportSize().width;
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scroll <= width, `${pathOf(page)} fits ${width} px (scrollWidth ${scroll})`);
}
