// End-to-end tests of the Learning City shell: routes, page chrome, no-JS use,
// hydration and client-side routing, accessibility, language negotiation, 404s.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  browserForFile, checkA11y, url, pathOf, hydrated,
} from './helpers.mjs';

/** Localised strings the tests look for. */
const T = {
  en: {
    home: 'The Global Network of Learning Cities',
    map: 'Member cities',
    cities: 'Cities of the network',
    calendar: 'Meetings',
    pact: 'Pacts for lifelong learning',
    cluster: 'Employment and entrepreneurship',
    notFound: 'Page not found',
    mainNavLabel: 'Main',
    mainNav: ['Network', 'Cities', 'Map', 'Calendar', 'Pacts'],
    tabs: ['Overview', 'Map', 'Meetings', 'Pact'],
    show: 'Show',
    stats: /^\d+ member cities in \d+ countries$/,
  },
  it: {
    home: "La Rete globale delle città dell'apprendimento",
    map: 'Città membro',
    cities: 'Città della rete',
    calendar: 'Incontri',
    pact: "Patti per l'apprendimento permanente",
    cluster: 'Occupazione e imprenditorialità',
    notFound: 'Pagina non trovata',
    mainNavLabel: 'Principale',
    mainNav: ['Rete', 'Città', 'Mappa', 'Calendario', 'Patti'],
    tabs: ['Panoramica', 'Mappa', 'Incontri', 'Patto'],
    show: 'Mostra',
    stats: /^\d+ città membro in \d+ paesi$/,
  },
};
const LOCALES = ['en', 'it'];

/** Shell routes (without the locale prefix) and the h1 each one shows. */
const ROUTES = [
  { path: '', h1: (t) => t.home },
  { path: '/cities', h1: (t) => t.cities },
  { path: '/cities?q=lucca', h1: (t) => t.cities },
  { path: '/map', h1: (t) => t.map },
  { path: '/map?cluster=entrepreneurship', h1: (t) => t.map },
  { path: '/calendar', h1: (t) => t.calendar },
  { path: '/pact', h1: (t) => t.pact },
  { path: '/clusters/entrepreneurship', h1: (t) => t.cluster },
  { path: '/cities/lucca', h1: () => 'Lucca' },
  { path: '/cities/lucca/map', h1: () => 'Lucca' },
  { path: '/cities/lucca/calendar', h1: () => 'Lucca' },
  { path: '/cities/lucca/pact', h1: () => 'Lucca' },
  { path: '/no-such-page', h1: (t) => t.notFound, status: 404 },
];

const LUCCA_PARTNERS = [
  'Comune di Lucca',
  'Club UNESCO di Lucca',
  'Ufficio scolastico territoriale',
  'Provincia di Lucca',
  "Centro per l'impiego",
];

const { withPage } = browserForFile();

/** Navigates and asserts the HTTP status (200 unless told otherwise). */
async function visit(page, path, { status = 200, waitUntil = 'load' } = {}) {
  const response = await page.goto(url(path), { waitUntil });
  assert.ok(response, `no response for ${path}`);
  assert.equal(response.status(), status, `HTTP status of ${path} (final URL ${pathOf(page)})`);
  return response;
}

const squash = (s) => (s ?? '').replace(/\s+/g, ' ').trim();

async function h1Text(page) {
  return squash(await page.locator('main h1').first().textContent({ timeout: 5_000 }).catch(() => null));
}

/** Waits (briefly) until main's h1 has the expected text, then asserts it. */
async function assertH1(page, expected, context = '') {
  await page
    .waitForFunction(
      (text) => (document.querySelector('main h1')?.textContent ?? '').replace(/\s+/g, ' ').trim() === text,
      expected,
      { timeout: 5_000 },
    )
    .catch(() => {});
  assert.equal(await h1Text(page), expected, `h1 of ${pathOf(page)} ${context}`.trim());
}

/** Waits (briefly) until <html lang> has the expected value, then asserts it. */
async function assertLang(page, expected, context = '') {
  await page
    .waitForFunction((lang) => document.documentElement.lang === lang, expected, { timeout: 5_000 })
    .catch(() => {});
  const lang = await page.evaluate(() => document.documentElement.getAttribute('lang'));
  assert.equal(lang, expected, `<html lang> of ${pathOf(page)} ${context}`.trim());
}

/**
 * Waits until the page's scripts run (see helpers.mjs `hydrated`), failing fast with what was
 * fetched when they do not, and asserts that nothing went wrong meanwhile.
 */
async function waitForHydration(page) {
  try {
    await hydrated(page);
  } catch (e) {
    const requests = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter((r) => /\.(wasm|js)$/.test(r.name))
        .map((r) => `${r.name} -> HTTP ${r.responseStatus}`),
    );
    assert.fail(
      `the page's scripts did not run on ${pathOf(page)} (${e.message}; ` +
        `JS/WASM requests: ${requests.join(', ') || 'none'}; ` +
        `console errors: ${page.consoleErrors.join(' | ') || 'none'})`,
    );
  }
  assertNoConsoleErrors(page, 'while loading and hydrating');
}

/** Console errors, ignoring a missing favicon. */
const relevantErrors = (page) => page.consoleErrors.filter((e) => !/favicon/i.test(e));

/** Asserts that no console errors or uncaught exceptions were reported (long ones shortened). */
function assertNoConsoleErrors(page, when) {
  const errors = relevantErrors(page);
  if (errors.length > 0) {
    const shown = errors.map((e) => `  - ${e.length > 500 ? `${e.slice(0, 500)}…` : e}`).join('\n');
    assert.fail(`${errors.length} console error(s) or uncaught exception(s) ${when} on ${pathOf(page)}:\n${shown}`);
  }
}

/** Waits for a client-side (or full) navigation to a URL matching `predicate`, with a helpful failure. */
async function waitForUrl(page, predicate, what) {
  await page.waitForURL(predicate, { timeout: 10_000 }).catch(() => {
    const errors = relevantErrors(page).map((e) => e.split('\n')[0]).join(' | ');
    assert.fail(`${what}: still at ${pathOf(page)} after 10s (console errors: ${errors || 'none'})`);
  });
}

const mainNav = (page, t) => page.getByRole('navigation', { name: t.mainNavLabel, exact: true });
const languageNav = (page) => page.locator('nav.languages');

// ---------------------------------------------------------------------------

describe('routes render server-side (JavaScript disabled)', { concurrency: 4 }, () => {
  for (const locale of LOCALES) {
    const t = T[locale];
    for (const route of ROUTES) {
      const path = `/${locale}${route.path}`;
      it(`${path} has h1 "${route.h1(t)}" and lang=${locale}`, () =>
        withPage({ javaScriptEnabled: false }, async (page) => {
          await visit(page, path, { status: route.status ?? 200 });
          await assertH1(page, route.h1(t));
          await assertLang(page, locale);
        }));
    }

    it(`/${locale} lists the 7 thematic clusters and the network statistics`, () =>
      withPage({ javaScriptEnabled: false }, async (page) => {
        await visit(page, `/${locale}`);
        const cards = page.locator('ul.card-grid > li.card');
        assert.equal(await cards.count(), 7, 'number of cluster cards in ul.card-grid');
        const stats = squash(await page.locator('p.stats').textContent());
        assert.match(stats, t.stats, 'network statistics in p.stats');
      }));

    it(`/${locale}/pact lists Lucca, linking to its pact`, () =>
      withPage({ javaScriptEnabled: false }, async (page) => {
        await visit(page, `/${locale}/pact`);
        const link = page.locator('main').getByRole('link', { name: 'Lucca', exact: true });
        assert.equal(await link.count(), 1, 'one "Lucca" link in main');
        assert.equal(await link.getAttribute('href'), `/${locale}/cities/lucca/pact`, 'href of the Lucca link');
      }));

    it(`/${locale}/cities/lucca has section tabs and a sectors list`, () =>
      withPage({ javaScriptEnabled: false }, async (page) => {
        await visit(page, `/${locale}/cities/lucca`);
        const tabs = page.locator('main nav.tabs a');
        assert.deepEqual(
          (await tabs.allTextContents()).map(squash),
          t.tabs,
          'labels of the city section tabs',
        );
        assert.deepEqual(
          await tabs.evaluateAll((as) => as.map((a) => a.getAttribute('href'))),
          ['', '/map', '/calendar', '/pact'].map((s) => `/${locale}/cities/lucca${s}`),
          'targets of the city section tabs',
        );
        assert.equal(
          await page.locator('main nav.tabs a[aria-current="page"]').textContent(),
          t.tabs[0],
          'the current tab is marked with aria-current="page"',
        );
        const sectors = await page.locator('main ul.tags > li').count();
        assert.ok(sectors >= 1, `Lucca's sectors are listed (found ${sectors})`);
      }));

    it(`/${locale}/cities/lucca/pact lists the promoting partners`, () =>
      withPage({ javaScriptEnabled: false }, async (page) => {
        await visit(page, `/${locale}/cities/lucca/pact`);
        const text = squash(await page.locator('main').textContent());
        for (const partner of LUCCA_PARTNERS) {
          assert.ok(text.includes(partner), `partner "${partner}" is listed on the pact page`);
        }
      }));
  }
});

describe('page chrome', { concurrency: 4 }, () => {
  for (const locale of LOCALES) {
    const t = T[locale];
    for (const path of [`/${locale}`, `/${locale}/cities/lucca/pact`]) {
      it(`${path} has lang=${locale} and the header, main nav, main and footer landmarks`, () =>
        withPage({ javaScriptEnabled: false }, async (page) => {
          await visit(page, path);
          await assertLang(page, locale);
          assert.equal(await page.getByRole('banner').count(), 1, 'one banner landmark (site header)');
          assert.equal(await mainNav(page, t).count(), 1, `one navigation landmark labelled "${t.mainNavLabel}"`);
          assert.deepEqual(
            (await mainNav(page, t).getByRole('link').allTextContents()).map(squash),
            t.mainNav,
            'links of the main navigation',
          );
          assert.equal(await page.locator('main#main').count(), 1, 'one main#main');
          assert.equal(await page.getByRole('main').count(), 1, 'one main landmark');
          assert.equal(await page.getByRole('contentinfo').count(), 1, 'one contentinfo landmark (site footer)');
        }));
    }
  }

  // Only the section a page belongs to is "current"; the home link must not match every page.
  const CURRENT_CASES = [
    { path: '/en', current: ['Network'] },
    { path: '/en/map', current: ['Map'] },
    { path: '/en/cities', current: ['Cities'] },
    { path: '/en/calendar', current: ['Calendar'] },
    { path: '/en/cities/lucca', current: [] },
  ];
  for (const javaScriptEnabled of [false, true]) {
    for (const c of CURRENT_CASES) {
      it(`on ${c.path} the main nav marks ${JSON.stringify(c.current)} as current (JavaScript ${javaScriptEnabled ? 'enabled' : 'disabled'})`, () =>
        withPage({ javaScriptEnabled }, async (page) => {
          await visit(page, c.path, { waitUntil: javaScriptEnabled ? 'networkidle' : 'load' });
          const current = await mainNav(page, T.en).locator('a[aria-current="page"]').allTextContents();
          assert.deepEqual(current.map(squash), c.current);
        }));
    }
  }

  it('the stylesheet loads', () =>
    withPage({ javaScriptEnabled: false }, async (page) => {
      const sheets = [];
      page.on('response', (r) => {
        if (r.request().resourceType() === 'stylesheet') sheets.push(`${new URL(r.url()).pathname} -> HTTP ${r.status()}`);
      });
      page.on('requestfailed', (r) => {
        if (r.resourceType() === 'stylesheet') sheets.push(`${new URL(r.url()).pathname} -> ${r.failure()?.errorText}`);
      });
      await visit(page, '/en');
      assert.ok(sheets.length > 0, 'the page links at least one stylesheet');
      assert.ok(
        sheets.every((s) => s.endsWith('HTTP 200')),
        `every stylesheet answers 200 (${sheets.join(', ')})`,
      );
    }));

  for (const javaScriptEnabled of [false, true]) {
    it(`the skip link is the first focusable element and moves focus to main (JavaScript ${javaScriptEnabled ? 'enabled' : 'disabled'})`, () =>
      withPage({ javaScriptEnabled }, async (page) => {
        await visit(page, '/en/map', { waitUntil: javaScriptEnabled ? 'networkidle' : 'load' });
        await page.keyboard.press('Tab');
        const focused = await page.evaluate(() => {
          const el = document.activeElement;
          return { tag: el?.tagName, cls: el?.className, href: el?.getAttribute('href'), text: el?.textContent?.trim() };
        });
        assert.ok(
          focused.tag === 'A' && /\bskip-link\b/.test(focused.cls ?? ''),
          `first Tab focuses a.skip-link (focused: ${JSON.stringify(focused)})`,
        );
        assert.equal(focused.href, '#main', 'the skip link points to #main');
        await page.keyboard.press('Enter');
        await page
          .waitForFunction(() => document.activeElement?.id === 'main', null, { timeout: 3_000 })
          .catch(() => {});
        const after = await page.evaluate(() => `${document.activeElement?.tagName}#${document.activeElement?.id}`);
        assert.equal(after, 'MAIN#main', 'Enter on the skip link moves focus to main#main');
        assert.equal(new URL(page.url()).pathname, '/en/map', 'following the skip link stays on the page');
      }));
  }

  const SWITCHER_CASES = [
    { from: '/en', en: '/en', it: '/it' },
    { from: '/en/map?cluster=literacy', en: '/en/map?cluster=literacy', it: '/it/map?cluster=literacy' },
    { from: '/it/map?cluster=literacy', en: '/en/map?cluster=literacy', it: '/it/map?cluster=literacy' },
    { from: '/it/cities/lucca/pact', en: '/en/cities/lucca/pact', it: '/it/cities/lucca/pact' },
  ];
  for (const c of SWITCHER_CASES) {
    it(`the language switcher on ${c.from} links to the same page in each language`, () =>
      withPage({ javaScriptEnabled: false }, async (page) => {
        await visit(page, c.from);
        const current = new URL(url(c.from)).pathname.split('/')[1];
        for (const [name, lang] of [['English', 'en'], ['Italiano', 'it']]) {
          const link = languageNav(page).getByRole('link', { name, exact: true });
          assert.equal(await link.count(), 1, `one "${name}" link in nav.languages`);
          assert.equal(await link.getAttribute('href'), c[lang], `href of "${name}" on ${c.from}`);
          assert.equal(
            await link.getAttribute('aria-current'),
            lang === current ? 'true' : null,
            `aria-current of "${name}" on ${c.from}`,
          );
        }
      }));
  }
});

describe('without JavaScript at 360px', () => {
  for (const locale of LOCALES) {
    it(`/${locale}/cities/lucca keeps its tabs on one row at 360px and as two rows of two at 320px`, async () => {
      for (const width of [360, 320]) {
        await withPage({ width, javaScriptEnabled: false }, async (page) => {
          await visit(page, `/${locale}/cities/lucca`);
          const rows = await page
            .locator('nav.tabs li')
            .evaluateAll((items) => items.map((li) => Math.round(li.getBoundingClientRect().top)));
          assert.equal(rows.length, 4, 'four tabs');
          const expected = width === 360 ? [rows[0], rows[0], rows[0], rows[0]] : [rows[0], rows[0], rows[2], rows[2]];
          assert.deepEqual(rows, expected, `the tabs' rows at ${width}px`);
          if (width === 320) assert.ok(rows[2] > rows[0], 'two rows');
        });
      }
    });
  }

  it('navigates, filters the map, opens a city and switches to Italian', () =>
    withPage({ width: 360, javaScriptEnabled: false }, async (page) => {
      await visit(page, '/en');
      await assertH1(page, T.en.home);

      await mainNav(page, T.en).getByRole('link', { name: 'Map', exact: true }).click();
      await waitForUrl(page, (u) => u.pathname === '/en/map', 'clicking "Map" in the main navigation');
      await assertH1(page, T.en.map, 'after clicking "Map" in the main navigation');

      await page.locator('form.filters select#cluster').selectOption({ label: 'Employment and entrepreneurship' });
      await page.locator('form.filters').getByRole('button', { name: 'Show', exact: true }).click();
      await waitForUrl(page, (u) => u.pathname === '/en/map' && u.search.includes('cluster='), 'submitting the filter form');
      assert.equal(
        new URL(page.url()).searchParams.get('cluster'),
        'entrepreneurship',
        'the filter form submits ?cluster=entrepreneurship',
      );
      const rows = (await page.locator('table.cities tbody tr').allTextContents()).map(squash);
      for (const city of ['Turin', 'Chengdu']) {
        const row = rows.find((r) => r.startsWith(city));
        assert.ok(row, `${city} is listed for the entrepreneurship cluster (rows: ${rows.join(' | ')})`);
        assert.ok(row.includes('(lead)'), `${city} is marked "(lead)" (row: ${row})`);
      }
      assert.ok(
        rows.length < 77,
        `the filtered table lists fewer cities than the whole network (got ${rows.length} rows)`,
      );

      await page.locator('table.cities').getByRole('link', { name: 'Turin', exact: true }).click();
      await waitForUrl(page, (u) => u.pathname === '/en/cities/torino', 'clicking the Turin link');
      await assertH1(page, 'Turin', 'after clicking the city link');

      await languageNav(page).getByRole('link', { name: 'Italiano', exact: true }).click();
      await waitForUrl(page, (u) => u.pathname === '/it/cities/torino', 'clicking "Italiano"');
      await assertLang(page, 'it', 'after clicking "Italiano"');
      await assertH1(page, 'Torino', 'after clicking "Italiano"');
      assert.deepEqual(
        (await mainNav(page, T.it).getByRole('link').allTextContents()).map(squash),
        T.it.mainNav,
        'the main navigation is in Italian',
      );
    }));
});

describe('with JavaScript (hydrated)', () => {
  it('hydrates and routes client-side without a full page load', () =>
    withPage({ width: 1280, javaScriptEnabled: true }, async (page) => {
      await visit(page, '/en');
      await waitForHydration(page);
      await page.evaluate(() => {
        window.__marker = 1;
      });

      await mainNav(page, T.en).getByRole('link', { name: 'Map', exact: true }).click();
      await waitForUrl(page, (u) => u.pathname === '/en/map', 'clicking "Map" in the main navigation');
      await assertH1(page, T.en.map, 'after client-side navigation to the map');
      assert.equal(
        await page.evaluate(() => window.__marker),
        1,
        'window.__marker survived the navigation (a full page load happened instead of client-side routing)',
      );
      await assertLang(page, 'en');
      assertNoConsoleErrors(page, 'after navigating');
    }));

  it('filters the map after hydration', () =>
    withPage({ width: 1280, javaScriptEnabled: true }, async (page) => {
      await visit(page, '/en/map');
      await waitForHydration(page);
      await page.locator('form.filters select#cluster').selectOption('entrepreneurship');
      await page.locator('form.filters').getByRole('button', { name: 'Show', exact: true }).click();
      await waitForUrl(page, (u) => u.searchParams.get('cluster') === 'entrepreneurship', 'submitting the filter form');
      await page
        .locator('table.cities tbody tr', { hasText: 'Chengdu' })
        .waitFor({ timeout: 5_000 })
        .catch(() => {});
      const rows = (await page.locator('table.cities tbody tr').allTextContents()).map(squash);
      for (const city of ['Turin', 'Chengdu']) {
        const row = rows.find((r) => r.startsWith(city));
        assert.ok(row?.includes('(lead)'), `${city} is listed as "(lead)" (rows: ${rows.join(' | ')})`);
      }
      assertNoConsoleErrors(page, 'after navigating');
    }));

  it('switches language by clicking "Italiano"', () =>
    withPage({ width: 1280, javaScriptEnabled: true }, async (page) => {
      await visit(page, '/en/map?cluster=literacy');
      await waitForHydration(page);

      await languageNav(page).getByRole('link', { name: 'Italiano', exact: true }).click();
      await waitForUrl(page, (u) => u.pathname === '/it/map', 'clicking "Italiano"');
      assert.equal(pathOf(page), '/it/map?cluster=literacy', 'the query string is kept when switching language');
      await assertH1(page, T.it.map, 'after switching to Italian');
      await assertLang(page, 'it', 'after switching to Italian');
      assert.deepEqual(
        (await mainNav(page, T.it).getByRole('link').allTextContents()).map(squash),
        T.it.mainNav,
        'the main navigation is in Italian',
      );
      assert.equal(
        await languageNav(page).locator('a[aria-current="true"]').textContent(),
        'Italiano',
        'the language switcher marks Italiano as current',
      );
      assertNoConsoleErrors(page, 'after navigating');
    }));
});

describe('accessibility (axe, WCAG 2.1 AA, JavaScript enabled)', { concurrency: 4 }, () => {
  for (const width of [360, 1280]) {
    for (const locale of LOCALES) {
      for (const route of ROUTES) {
        const path = `/${locale}${route.path}`;
        it(`${path} at ${width}px has no violations`, () =>
          withPage({ width, javaScriptEnabled: true }, async (page) => {
            await visit(page, path, { status: route.status ?? 200, waitUntil: 'networkidle' });
            await checkA11y(page);
            assert.deepEqual(page.failedRequests, [], 'everything the page asks for is there');
          }));
      }
    }
  }

  it('/favicon.ico is an icon, for what asks for it by that name', async () => {
    const res = await fetch(url('/favicon.ico'));
    assert.equal(res.status, 200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.deepEqual([...bytes.slice(0, 4)], [0, 0, 1, 0], 'an ICO file');
  });

  for (const path of ['/en', '/en/map', '/it/map']) {
    it(`${path} does not scroll horizontally at 320px`, () =>
      withPage({ width: 320, javaScriptEnabled: true }, async (page) => {
        await visit(page, path, { waitUntil: 'networkidle' });
        const { scrollWidth, culprits } = await page.evaluate(() => {
          const limit = document.documentElement.clientWidth;
          // An element inside a scroll/clip container (such as .table-wrap) cannot widen the page.
          const clipped = (el) => {
            for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
              if (getComputedStyle(a).overflowX !== 'visible') return true;
            }
            return false;
          };
          const culprits = [...document.querySelectorAll('body *')]
            .filter((el) => el.getBoundingClientRect().right > limit + 0.5 && !clipped(el))
            .slice(0, 5)
            .map((el) => {
              const id = el.id ? `#${el.id}` : '';
              const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
              return `${el.tagName.toLowerCase()}${id}${cls} (right=${Math.round(el.getBoundingClientRect().right)})`;
            });
          return { scrollWidth: document.documentElement.scrollWidth, culprits };
        });
        assert.ok(
          scrollWidth <= 320,
          `document scrollWidth is ${scrollWidth}px at a 320px viewport; overflowing: ${culprits.join(', ') || 'unknown'}; is the stylesheet loaded?`,
        );
      }));
  }
});

describe('language negotiation on /', () => {
  it('an Italian browser is redirected to /it', () =>
    withPage({ javaScriptEnabled: false, locale: 'it-IT' }, async (page) => {
      const response = await page.goto(url('/'));
      assert.ok(response, 'no response for /');
      assert.equal(
        new URL(page.url()).pathname,
        '/it',
        `Accept-Language: it-IT on / should end at /it (got ${pathOf(page)}, HTTP ${response.status()}, ` +
          `Location: ${response.headers()['location'] ?? 'none'})`,
      );
      assert.equal(response.status(), 200, 'final status of /it');
      await assertH1(page, T.it.home);
      await assertLang(page, 'it');
    }));

  for (const locale of ['en-US', 'de-DE']) {
    it(`a ${locale} browser gets English`, () =>
      withPage({ javaScriptEnabled: false, locale }, async (page) => {
        const response = await page.goto(url('/'));
        assert.ok(response, 'no response for /');
        assert.equal(response.status(), 200, `final status for ${locale} on / (ended at ${pathOf(page)})`);
        assert.ok(
          ['/', '/en'].includes(new URL(page.url()).pathname),
          `Accept-Language: ${locale} on / should stay English (ended at ${pathOf(page)})`,
        );
        await assertH1(page, T.en.home);
        await assertLang(page, 'en');
      }));
  }
});

describe('not found', { concurrency: 4 }, () => {
  for (const locale of LOCALES) {
    for (const rest of ['/no-such-page', '/cities/atlantis']) {
      const path = `/${locale}${rest}`;
      it(`${path} answers 404 with "${T[locale].notFound}"`, () =>
        withPage({ javaScriptEnabled: false }, async (page) => {
          await visit(page, path, { status: 404 });
          await assertH1(page, T[locale].notFound);
          await assertLang(page, locale);
        }));
    }
  }
});
