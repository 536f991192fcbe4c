// Pages as plain HTML with small scripts: switching language everywhere, with and without
// JavaScript; no WebAssembly on any page, the map's script only on map pages; pages
// from the page cache admitted by their Content-Security-Policy, one at a time and many at once.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_EMAIL, ADMIN_PASSWORD, browserForFile, url, pathOf, hydrated, requireAdmin } from './helpers.mjs';


const { withPage, browser } = browserForFile();

const NAV = {
  en: ['Network', 'Cities', 'Map', 'Calendar', 'Pacts'],
  it: ['Rete', 'Città', 'Mappa', 'Calendario', 'Patti'],
};
const LANGUAGE = { en: 'English', it: 'Italiano' };
/** Words that give away a page in the other language. */
const FOREIGN = {
  en: /\b(lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica|gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre)\b/i,
  it: /\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|June|July|August|September|October|November|December)\b/,
};

/** Every page a citizen reaches, without its language prefix. */
const PAGES = [
  '',
  '/map?cluster=literacy',
  '/calendar',
  '/calendar?view=month',
  '/pact',
  '/cities?q=lucca',
  '/clusters/entrepreneurship',
  '/clusters/entrepreneurship/practices',
  '/cities/lucca',
  '/cities/lucca/map',
  '/cities/lucca/calendar',
  '/cities/lucca/pact',
  '/cities/lucca/pact/join',
  '/account/sign-in',
];

/** The path of a meeting of Lucca's calendar, found from the calendar. */
async function aMeeting(page, lang) {
  await page.goto(url(`/${lang}/cities/lucca/calendar`));
  const href = await page.locator('.meeting-title a').first().getAttribute('href');
  assert.match(href, /^\/(en|it)\/meetings\/\d+$/);
  return href.replace(/^\/(en|it)/, '');
}

const relevant = (errors) => errors.filter((e) => !/favicon/i.test(e));

describe('switching language', () => {
  for (const javaScriptEnabled of [false, true]) {
    for (const [from, to] of [['it', 'en'], ['en', 'it']]) {
      it(`from ${from} to ${to} gives the whole page in ${to} on every page (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, () =>
        withPage({ width: 360, javaScriptEnabled }, async (page) => {
          const meeting = await aMeeting(page, from);
          for (const rest of [...PAGES, meeting]) {
            await page.goto(url(`/${from}${rest}`));
            if (javaScriptEnabled) await hydrated(page);
            await page.locator('nav.languages').getByRole('link', { name: LANGUAGE[to], exact: true }).click();
            await page.waitForURL((u) => u.pathname.startsWith(`/${to}`));
            await page.waitForLoadState('load');
            const [path, query] = rest.split('?');
            assert.equal(pathOf(page), `/${to}${path}${query ? `?${query}` : ''}`, `the same page in ${to}, query kept`);
            await page.waitForFunction((lang) => document.documentElement.lang === lang, to);
            const nav = (await page.locator('nav.main-nav a').allTextContents()).map((s) => s.trim());
            assert.deepEqual(nav, NAV[to], `${pathOf(page)}: the navigation in ${to}`);
            const text = await page.locator('main').innerText();
            assert.doesNotMatch(text, FOREIGN[to], `${pathOf(page)}: nothing left in ${from}`);
            assert.ok((await page.locator('main h1').count()) >= 1, `${pathOf(page)} has its heading`);
          }
          assert.deepEqual(relevant(page.consoleErrors), [], 'no error in the browser');
        }));
    }
  }
});

describe('scripts only where they are wanted', () => {
  it('no page fetches WebAssembly; a map page fetches its script, once', () =>
    withPage({ width: 360 }, async (page) => {
      const wasm = [];
      const maps = [];
      page.on('requestfinished', (r) => {
        const path = new URL(r.url()).pathname;
        if (/\.wasm$/.test(path)) wasm.push(path);
        if (path === '/map.js') maps.push(path);
      });
      const meeting = await aMeeting(page, 'en');
      for (const path of ['/en', '/en/calendar', `/en${meeting}`, '/it/cities/lucca/pact/join', '/en/cities/lucca/pact']) {
        await page.goto(url(path));
        await hydrated(page);
      }
      assert.deepEqual(maps, [], 'no map script for lists, meetings and forms');
      await page.goto(url('/en/map'));
      await hydrated(page);
      await page.locator('.world-map--live').waitFor();
      // Into a cluster's map and back, by navigation.js: the map comes alive each time, from
      // the script already loaded.
      await page.locator('nav.main-nav').getByRole('link', { name: 'Calendar', exact: true }).click();
      await page.locator('main h1', { hasText: 'Meetings' }).first().waitFor();
      await page.locator('nav.main-nav').getByRole('link', { name: 'Map', exact: true }).click();
      await page.locator('.world-map--live .map-tools button').first().waitFor();
      assert.equal(maps.length, 1, `the map's script once: ${maps}`);
      assert.deepEqual(wasm, [], 'no WebAssembly anywhere');
    }));

  it('without JavaScript a page fetches no script and no WebAssembly at all', () =>
    withPage({ width: 360, javaScriptEnabled: false }, async (page) => {
      const fetched = [];
      page.on('request', (r) => {
        if (/\.(wasm|js)(\?|$)/.test(r.url())) fetched.push(r.url());
      });
      for (const path of ['/en/map', '/en/calendar', '/it/cities/lucca/pact/join']) {
        await page.goto(url(path));
        await page.waitForLoadState('networkidle');
      }
      assert.deepEqual(fetched, []);
    }));

  it('a coordinator going through a dozen pages fetches no WebAssembly', () =>
    withPage({ width: 1280 }, async (page) => {
      requireAdmin();
      const fetched = [];
      page.on('requestfinished', async (r) => {
        if (/\.wasm(\?|$)/.test(r.url())) fetched.push(r.url());
      });
      await page.goto(url('/en/account/sign-in'));
      await hydrated(page);
      await page.getByLabel('E-mail address', { exact: true }).fill(ADMIN_EMAIL);
      await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(/\/en\/coordinate$/);
      const visited = [];
      /** Waits for the page whose main heading is `title` (a swapped page comes after its address). */
      const arrived = async (title) => {
        await page.locator('main h1', { hasText: title }).first().waitFor();
        visited.push(pathOf(page));
      };
      for (const [name, title] of [
        ['Meetings', 'Meetings'],
        ['People and roles', 'People and roles'],
        ['Audit log', 'Audit log'],
        ['Outbox', 'Outbox'],
      ]) {
        await page.locator('main').getByRole('link', { name, exact: true }).first().click();
        await arrived(title);
        await page.goBack();
        await arrived('Dashboard');
      }
      for (const [name, title] of [
        ['Map', 'Member cities'],
        ['Calendar', 'Meetings'],
        ['Pacts', 'Pacts for lifelong learning'],
        ['Network', 'The Global Network of Learning Cities'],
      ]) {
        await page.locator('nav.main-nav').getByRole('link', { name, exact: true }).click();
        await arrived(title);
      }
      assert.ok(visited.length >= 12, `a dozen pages (${visited.join(', ')})`);
      assert.deepEqual(fetched, [], 'no WebAssembly on any page');
      assert.deepEqual(relevant(page.consoleErrors), []);
    }));
});

describe('the page cache and the page policy', () => {
  it('a page served from the cache runs its islands and scripts with no policy violation', () =>
    withPage({ width: 360, timezoneId: 'Asia/Shanghai' }, async (page) => {
      await page.addInitScript(() => {
        window.__violations = [];
        document.addEventListener('securitypolicyviolation', (e) =>
          window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
        );
      });
      const meeting = await aMeeting(page, 'en');
      for (const path of ['/en/map', `/en${meeting}`]) {
        let timing = '';
        for (let i = 0; i < 2; i++) {
          const response = await page.goto(url(path));
          timing = response.headers()['server-timing'] ?? '';
          await hydrated(page);
        }
        assert.match(timing, /^cache;desc=hit/, `the second view of ${path} came from the cache`);
        if (path === '/en/map') {
          // The map's script ran: it replaced the server's static markers.
          await page.locator('.world-map--live').waitFor();
        } else {
          // The meeting's time in the reader's zone comes from navigation.js: it ran.
          await page.getByText('Your time:').waitFor();
        }
      }
      assert.deepEqual(await page.evaluate(() => window.__violations), []);
      assert.deepEqual(relevant(page.consoleErrors), []);
    }));

  it('pages loaded many at once each carry the page policy and run', async () => {
    const pages = ['/en/clusters/entrepreneurship', '/en/cities/torino', '/it/calendar', '/en/map', '/it/cities/lucca/pact', '/en/pact'];
    const contexts = [];
    try {
      const loads = [];
      for (let round = 0; round < 3; round++) {
        for (const path of pages) {
          const context = await browser().newContext({ viewport: { width: 360, height: 800 } });
          contexts.push(context);
          const page = await context.newPage();
          const errors = [];
          page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
          loads.push(
            page.goto(url(path)).then(async (response) => {
              await hydrated(page);
              return { path, csp: response.headers()['content-security-policy'], errors };
            }),
          );
        }
      }
      const results = await Promise.all(loads);
      for (const { path, csp, errors } of results) {
        assert.match(csp, /script-src 'self' 'sha256-[^']+' 'wasm-unsafe-eval'/, `${path}: the page policy`);
        assert.deepEqual(relevant(errors), [], `${path}: no error`);
      }
    } finally {
      await Promise.all(contexts.map((c) => c.close()));
    }
  });
});
