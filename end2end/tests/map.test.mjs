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
      // A phone's frame is taller than the world: its widest view is the world's whole height.
      const full = { width: Number(await svg(page).locator('image').getAttribute('width')),
        height: Number(await svg(page).locator('image').getAttribute('height')) };
      assert.ok(Math.abs(v.height - full.height) < 0.5 && v.width < full.width, `0 shows the map's whole height (${JSON.stringify(v)})`);
      const whole = v.width;

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
      // A tap on a group zooms into it; groups are on the plot, under no control.
      await page.keyboard.press('0');
      const tapped = await page.evaluate(() => {
        const frame = document.querySelector('.world-map__frame').getBoundingClientRect();
        return [...document.querySelectorAll('g.group')].findIndex((g) => {
          const r = g.getBoundingClientRect();
          const [x, y] = [r.x + r.width / 2, r.y + r.height / 2];
          return x > frame.left && x < frame.right && y > frame.top && y < frame.bottom;
        });
      });
      assert.ok(tapped >= 0, 'a group is in view');
      await page.locator('g.group').nth(tapped).click();
      v = await viewBox(page);
      assert.ok(v.width < whole / 1.5, `the group's tap zooms in (${whole} → ${v.width})`);
      await page.keyboard.press('0');

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

/**
 * Every marker and group wholly in the map's frame: its box, and what a tap at its centre would
 * hit (`own`: the marker itself; `marker`: another marker; else what it is).
 */
const targets = (page) =>
  page.evaluate(() => {
    const frame = document.querySelector('.world-map__frame');
    const f = frame.getBoundingClientRect();
    const [left, top] = [f.left + frame.clientLeft, f.top + frame.clientTop];
    const [right, bottom] = [left + frame.clientWidth, top + frame.clientHeight];
    return [...document.querySelectorAll('g.marker a, g.group')].flatMap((target) => {
      const r = target.getBoundingClientRect();
      const [x, y] = [r.x + r.width / 2, r.y + r.height / 2];
      if (r.left < left || r.right > right || r.top < top || r.bottom > bottom) return [];
      const hit = document.elementFromPoint(x, y);
      const other = hit?.closest('g.marker a, g.group');
      const what = target.contains(hit) ? 'own' : other ? 'marker' : `${hit?.tagName} ${hit?.className?.baseVal ?? hit?.className}`;
      return [{ name: target.getAttribute('aria-label'), href: target.getAttribute('href'), width: r.width, height: r.height, x, y, what, other: other?.getAttribute('aria-label') }];
    });
  });

describe('the network map on a phone (360 px)', () => {
  // Usable: at least 300 px tall at 360 × 800 (the strip it replaced was 142 px), within the
  // screen's height, and the world drawn at least 512 px wide (the scale its groups are made
  // for, and under which markers crowd).
  async function usable(page) {
    const frame = await page.locator('.world-map__frame').boundingBox();
    const plot = await svg(page).boundingBox();
    assert.ok(frame.height >= 300 && frame.height <= 800 * 0.75, `the map is ${frame.height} px tall`);
    const world = await svg(page).evaluate((el) => {
      const [, , w] = el.getAttribute('viewBox').split(/\s+/).map(Number);
      return (el.getBoundingClientRect().width * Number(el.querySelector('image').getAttribute('width'))) / w;
    });
    assert.ok(world >= 512, `the world is drawn ${Math.round(world)} px wide (plot ${JSON.stringify(plot)})`);
  }

  it('has a usable height and markers a finger can hit, without JavaScript', () =>
    withPage({ width: 360, javaScriptEnabled: false }, async (page) => {
      await page.goto(url('/en/map'));
      await page.locator('.world-map__frame').scrollIntoViewIfNeeded();
      await usable(page);
      // The frame scrolls sideways: each stretch of it in turn.
      const reach = await page.locator('.world-map__frame').evaluate((el) => el.scrollWidth - el.clientWidth);
      assert.ok(reach > 0, 'the world scrolls sideways in its frame');
      const seen = new Map();
      for (let left = 0; ; left = Math.min(left + 200, reach)) {
        await page.locator('.world-map__frame').evaluate((el, l) => { el.scrollLeft = l; }, left);
        for (const t of await targets(page)) seen.set(t.name, t);
        if (left === reach) break;
      }
      const markers = await page.locator('g.marker a').count();
      assert.equal(seen.size, markers, 'every marker comes into view');
      const small = [...seen.values()].filter((t) => t.width < 24 || t.height < 24);
      assert.deepEqual(small, [], 'every marker is at least 24 × 24 px');
      // Nothing covers a marker but, where cities are closer than a finger, a neighbour (the
      // table beside the map lists them all, WCAG 2.5.8's equivalent).
      const covered = [...seen.values()].filter((t) => t.what !== 'own' && t.what !== 'marker');
      assert.deepEqual(covered, [], 'no marker is under anything but another marker');
      // A marker 24 px or more from every other takes its own taps; a crowded one is a link in
      // the table.
      const all = [...seen.values()];
      const alone = all.filter((t) => all.every((o) => o === t || Math.hypot(o.x - t.x, o.y - t.y) >= 24));
      assert.ok(alone.length >= 5, `markers stand apart (${alone.length})`);
      assert.deepEqual(alone.filter((t) => t.what !== 'own'), [], 'a marker standing apart takes its own taps');
      const listed = new Set(await page.locator('table.cities tbody a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))));
      const crowded = all.filter((t) => t.what !== 'own');
      assert.deepEqual(crowded.filter((t) => !listed.has(t.href)), [], 'the table links to every crowded city');
      await checkA11y(page);
      await fitsWidth(page);
    }));

  it('has a usable height, targets of 24 px under no control, and zooms into a tapped group, with JavaScript', () =>
    withPage({ width: 360, javaScriptEnabled: true }, async (page) => {
      await page.goto(url('/en/map'));
      await live(page);
      await page.locator('.world-map__frame').scrollIntoViewIfNeeded();
      await usable(page);
      const frame = await page.locator('.world-map__frame').boundingBox();
      const tools = await page.locator('.map-tools').boundingBox();
      assert.ok(tools.y >= frame.y + frame.height, 'the zoom buttons are below the map, not over it');
      // Across the world, a stretch at a time, at the widest view and one closer.
      for (const zoom of ['0', '+']) {
        await svg(page).focus();
        await page.keyboard.press('0');
        if (zoom === '+') await page.keyboard.press('+');
        for (let i = 0; i < 8; i += 1) await page.keyboard.press('ArrowLeft');
        const seen = [];
        for (let i = 0; i < 12; i += 1) {
          seen.push(...(await targets(page)));
          await page.keyboard.press('ArrowRight');
        }
        assert.ok(seen.length > 10, `markers and groups in view (${seen.length})`);
        const small = seen.filter((t) => t.width < 24 || t.height < 24);
        assert.deepEqual(small, [], 'every marker and group is at least 24 × 24 px');
        const hidden = seen.filter((t) => t.what !== 'own');
        assert.deepEqual(hidden, [], 'a tap at the centre of each hits that marker or group');
      }
      // A tap on a group zooms into it, and its cities are still in view.
      await page.keyboard.press('0');
      const before = await viewBox(page);
      const group = page.locator('g.group').filter({ has: page.locator('text') });
      const n = await page.evaluate(() => {
        const frame = document.querySelector('.world-map__frame').getBoundingClientRect();
        return [...document.querySelectorAll('g.group')].findIndex((g) => {
          const r = g.getBoundingClientRect();
          return r.left > frame.left && r.right < frame.right && r.top > frame.top && r.bottom < frame.bottom;
        });
      });
      assert.ok(n >= 0, 'a group is in view');
      const count = Number(await group.nth(n).locator('text').textContent());
      await group.nth(n).click();
      const after = await viewBox(page);
      assert.ok(after.width < before.width / 1.5, `the tap zoomed in (${before.width} → ${after.width})`);
      assert.ok(await page.locator('g.marker, g.group').count() > 0);
      assert.ok(count >= 2);
      await checkA11y(page);
      await fitsWidth(page);
      assert.deepEqual(page.consoleErrors, []);
    }));

  it('lets a finger open a lead city the zoom buttons used to cover (Chengdu)', () =>
    withPage({ width: 360, javaScriptEnabled: true }, async (page) => {
      await page.goto(url('/en/map?cluster=entrepreneurship'));
      await live(page);
      const chengdu = page.locator('g.marker a[aria-label^="Chengdu"]');
      await chengdu.waitFor({ state: 'attached' });
      await svg(page).focus();
      // Dragged into view if this view of the cluster leaves it out.
      for (let i = 0; i < 10; i += 1) {
        const inView = await chengdu.evaluate((a) => {
          const f = document.querySelector('.world-map__frame').getBoundingClientRect();
          const r = a.getBoundingClientRect();
          return r.left > f.left && r.right < f.right && r.top > f.top && r.bottom < f.bottom;
        });
        if (inView) break;
        await page.keyboard.press('ArrowRight');
      }
      await chengdu.click();
      await page.locator('.map-card').getByRole('heading', { name: 'Chengdu' }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/en/map');
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
