// The network's map as people use it: without JavaScript it is a picture with links and a
// table; hydrated, it zooms by keyboard, wheel and pinch, groups nearby cities, opens a city's
// card and filters in place. axe-core at 360 and 1280 px, and no sideways scrolling.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  browserForFile, checkA11y, url, hydrated, fitsWidth,
} from './helpers.mjs';

const { withPage } = browserForFile();

const svg = (page) => page.locator('svg.world-map__svg');

/** The map's visible rectangle, as numbers. */
async function viewBox(page) {
  const attr = await svg(page).getAttribute('viewBox');
  const [x, y, width, height] = attr.split(/\s+/).map(Number);
  return { x, y, width, height };
}

/** Waits until the map is interactive: its zoom buttons appear once it has hydrated. */
async function live(page) {
  await hydrated(page);
  await page.locator('.map-tools button').first().waitFor();
}

describe('the network map', () => {
  for (const width of [360, 1280]) {
    it(`is visible, labelled and linked without JavaScript at ${width} px`, () =>
      withPage({ width, javaScriptEnabled: false }, async (page) => {
        await page.goto(url('/en/map'));
        await svg(page).waitFor();
        const box = await svg(page).boundingBox();
        assert.ok(box.width > width * 0.8 && box.height > 100, `the map fills the width (${JSON.stringify(box)})`);
        const markers = await page.locator('g.marker a').count();
        const rows = await page.locator('table.cities tbody tr').count();
        assert.ok(markers > 50, `a marker per city (${markers})`);
        assert.equal(markers, rows, 'the table lists every city on the map');
        assert.ok((await page.locator('g.marker--lead').count()) >= 2, 'lead cities are ringed');
        // A marker is a link to its city.
        await page.locator('g.marker a[aria-label^="Turin, Italy"]').click();
        await page.waitForURL(/\/en\/cities\/torino$/);
        await page.goBack();
        await checkA11y(page);
        await fitsWidth(page);
      }));
  }

  it('filters by region and country with plain forms and sorts the table by links', () =>
    withPage({ width: 360, javaScriptEnabled: false }, async (page) => {
      await page.goto(url('/en/map'));
      await page.locator('select#region').selectOption('europe-north-america');
      await page.locator('form.filters').getByRole('button', { name: 'Show', exact: true }).click();
      await page.waitForURL((u) => u.searchParams.get('region') === 'europe-north-america');
      await page.locator('select#country').selectOption('IT');
      await page.locator('form.filters').getByRole('button', { name: 'Show', exact: true }).click();
      await page.waitForURL((u) => u.searchParams.get('country') === 'IT');
      const rows = await page.locator('table.cities tbody th').allTextContents();
      assert.ok(rows.includes('Lucca') && rows.includes('Turin'), rows.join(', '));
      assert.ok(rows.every((r) => r.length > 0));
      // Sorting by "Joined" keeps the filter, and a second click reverses the order.
      await page.locator('table.cities thead').getByRole('link', { name: 'Joined' }).click();
      await page.waitForURL((u) => u.searchParams.get('sort') === 'joined' && u.searchParams.get('country') === 'IT');
      assert.equal(await page.locator('th[aria-sort="ascending"]').count(), 1);
      await page.locator('table.cities thead').getByRole('link', { name: 'Joined' }).click();
      await page.waitForURL((u) => u.searchParams.get('dir') === 'desc');
      assert.equal(await page.locator('th[aria-sort="descending"]').count(), 1);
      await checkA11y(page);
    }));

  it('zooms by keyboard, wheel and pinch, and groups split as it zooms in (360 px)', () =>
    withPage({ width: 360, javaScriptEnabled: true }, async (page) => {
      await page.goto(url('/en/map'));
      await live(page);
      // On a phone showing the whole map, nearby cities share numbered groups.
      const groups = page.locator('g.group');
      await groups.first().waitFor();
      const before = await viewBox(page);
      const groupsBefore = await groups.count();
      const markersBefore = await page.locator('g.marker').count();
      assert.ok(groupsBefore > 0 && markersBefore < 77, `grouped (${groupsBefore} groups, ${markersBefore} single)`);

      // Keyboard: focus the map, + zooms in about the centre, arrows pan, 0 shows it whole.
      await svg(page).focus();
      await page.keyboard.press('+');
      let v = await viewBox(page);
      assert.ok(Math.abs(v.width - before.width / 2) < 0.5, `+ halves the width (${before.width} → ${v.width})`);
      const x = v.x;
      await page.keyboard.press('ArrowRight');
      v = await viewBox(page);
      assert.ok(v.x > x, 'ArrowRight moves east');
      await page.keyboard.press('0');
      v = await viewBox(page);
      const whole = Number(await svg(page).locator('image').getAttribute('width'));
      assert.equal(v.width, whole, '0 shows the whole map');

      // Wheel over the map zooms in where the pointer is.
      const box = await svg(page).boundingBox();
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.wheel(0, -300);
      await page.waitForFunction(
        (w) => Number(document.querySelector('svg.world-map__svg').getAttribute('viewBox').split(' ')[2]) < w,
        whole,
      );
      await page.keyboard.press('0');

      // Pinch: two touch pointers moving apart zoom in by the ratio of their distances.
      await svg(page).evaluate((el) => {
        const r = el.getBoundingClientRect();
        const at = (id, x, type) =>
          el.dispatchEvent(
            new PointerEvent(type, {
              pointerId: id, pointerType: 'touch', clientX: r.left + x, clientY: r.top + r.height / 2, bubbles: true,
            }),
          );
        at(1, 100, 'pointerdown');
        at(2, 150, 'pointerdown');
        at(2, 200, 'pointermove');
        at(1, 100, 'pointerup');
        at(2, 200, 'pointerup');
      });
      v = await viewBox(page);
      assert.ok(Math.abs(v.width - whole / 2) < 1, `pinching apart twice as far halves the width (${whole} → ${v.width})`);

      // Zoomed in, groups split: more single markers than before.
      for (let i = 0; i < 3; i += 1) await svg(page).press('+');
      await page.waitForFunction((n) => document.querySelectorAll('g.marker').length !== n, markersBefore);
      await checkA11y(page);
      await fitsWidth(page);
      assert.deepEqual(page.consoleErrors, []);
    }));

  it('opens a group, then a city card, and filters by cluster in place (1280 px)', () =>
    withPage({ width: 1280, javaScriptEnabled: true }, async (page) => {
      await page.goto(url('/en/map'));
      await live(page);
      const before = await viewBox(page);
      await page.locator('g.group').first().click();
      await page.waitForFunction(
        (w) => Number(document.querySelector('svg.world-map__svg').getAttribute('viewBox').split(' ')[2]) < w,
        before.width,
      );

      await page.locator('select#cluster').selectOption('entrepreneurship');
      await page.locator('form.filters').getByRole('button', { name: 'Show', exact: true }).click();
      await page.waitForURL((u) => u.searchParams.get('cluster') === 'entrepreneurship');
      const chengdu = page.locator('g.marker a[aria-label^="Chengdu"]');
      await chengdu.waitFor();
      await chengdu.click();
      const card = page.locator('.map-card');
      await card.getByRole('heading', { name: 'Chengdu' }).waitFor();
      assert.ok(await card.getByText('(lead)').count() >= 1, 'the card says Chengdu leads');
      assert.equal(new URL(page.url()).pathname, '/en/map', 'a tap opens the card, not the city page');
      await card.getByRole('link', { name: 'Meetings' }).waitFor();
      await checkA11y(page);
      await card.getByRole('button', { name: 'Close' }).click();
      await card.waitFor({ state: 'detached' });

      // Focus alone opens a card too: keyboard users reach every marker by Tab.
      await page.locator('g.marker a[aria-label^="Turin"]').focus();
      await page.locator('.map-card').getByRole('heading', { name: 'Turin' }).waitFor();
      await page.keyboard.press('Escape');
      await page.locator('.map-card').waitFor({ state: 'detached' });
      assert.deepEqual(page.consoleErrors, []);
    }));

  it('suggests city names and a search for one opens its card (Italian)', () =>
    withPage({ width: 360, javaScriptEnabled: false }, async (page) => {
      await page.goto(url('/it/map'));
      const suggestions = await page.locator('datalist#map-names option').count();
      assert.ok(suggestions > 50, `every city is suggested (${suggestions})`);
      await page.getByLabel('Città', { exact: true }).fill('Torino');
      await page.locator('form.filters').getByRole('button', { name: 'Mostra', exact: true }).click();
      await page.waitForURL((u) => u.searchParams.get('q') === 'Torino');
      await page.locator('.map-card').getByRole('heading', { name: 'Torino' }).waitFor();
      assert.equal(await page.locator('g.marker').count(), 1);
      await checkA11y(page);
    }));
});

describe("a city's map of learning places", () => {
  it('plots adherents and venues with a table twin and filters by sector, without JavaScript (360 px)', () =>
    withPage({ width: 360, javaScriptEnabled: false }, async (page) => {
      await page.goto(url('/en/cities/lucca/map'));
      const plot = page.locator('svg.places-plot');
      await plot.waitFor();
      const box = await plot.boundingBox();
      assert.ok(box.width > 250 && box.height > 250, `the plot is visible (${JSON.stringify(box)})`);
      const markers = await page.locator('a.place-marker').count();
      const rows = await page.locator('table.places tbody tr').count();
      assert.ok(markers > 5, `a mark per place (${markers})`);
      assert.equal(markers, rows, 'the table lists every place the plot shows');
      // The coordination table's venue is a square, named as a venue.
      await page.locator('a.place-marker--venue[aria-label^="Palazzo Orsetti"]').waitFor();
      await checkA11y(page);
      await fitsWidth(page);

      await page.locator('select#sector').selectOption('schools');
      await page.locator('#places form.filters').getByRole('button', { name: 'Show', exact: true }).click();
      await page.waitForURL((u) => u.searchParams.get('sector') === 'schools');
      const sectors = await page.locator('table.places tbody td:nth-child(3)').allTextContents();
      assert.ok(sectors.length > 0 && sectors.length < rows, `fewer places (${sectors.length} of ${rows})`);
      assert.ok(sectors.every((s) => s === 'Schools'), sectors.join(', '));
      assert.equal(await page.locator('a.place-marker').count(), sectors.length);
    }));
});
