// Tables on a phone. A table wider than the screen scrolls sideways inside a region named by its
// caption or heading, which Tab reaches (so a keyboard scrolls it), which shows its focus and is
// shaded where columns hide (TableScroll, app/src/layout.rs); the page itself never scrolls
// sideways. Every page with a table, at 360 px, with JavaScript on and off; axe-core on each.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  browserForFile, checkA11y, url, pathOf, fitsWidth, ADMIN_EMAIL, ADMIN_PASSWORD, requireAdmin,
} from './helpers.mjs';

const { withPage } = browserForFile();

const PUBLIC = [
  '/en/map',
  '/it/map?region=europe-north-america',
  '/en/cities/lucca/map',
  '/en/calendar?view=month',
  '/it/cities/lucca/calendar?view=month',
];
const COORDINATOR = ['/en/coordinate/pacts/lucca', '/en/coordinate/pacts/lucca/table'];

/**
 * Every table on the page, as the reader meets it: its width, whether it is in a scroll region,
 * that region's name, tabindex, width and overflow.
 */
const tables = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('main table')].map((table) => {
      const region = table.closest('[role="region"]');
      const names = (region?.getAttribute('aria-labelledby') ?? '')
        .split(/\s+/)
        .filter(Boolean)
        .map((id) => document.getElementById(id)?.textContent.trim() ?? '');
      const box = region?.getBoundingClientRect();
      return {
        what: table.className || table.querySelector('th')?.textContent.trim(),
        width: table.getBoundingClientRect().width,
        right: table.getBoundingClientRect().right,
        region: region
          ? {
              name: names.join(' '),
              tabindex: region.getAttribute('tabindex'),
              right: box.right,
              overflowX: getComputedStyle(region).overflowX,
              shaded: getComputedStyle(region).backgroundImage.includes('gradient'),
            }
          : null,
      };
    }),
  );

/** Asserts that every table fits the screen or scrolls in a named, focusable region. */
async function checkTables(page) {
  const width = page.viewportSize().width;
  const found = await tables(page);
  assert.ok(found.length > 0, `${pathOf(page)} has a table`);
  for (const t of found) {
    const where = `${pathOf(page)}: table ${t.what} (${Math.round(t.width)} px wide)`;
    if (t.right > width) {
      assert.ok(t.region, `${where} is wider than the screen outside a scroll region`);
    }
    if (t.region) {
      assert.ok(t.region.name.length > 0, `${where}: its region has a name`);
      assert.equal(t.region.tabindex, '0', `${where}: Tab reaches its region`);
      assert.ok(t.region.right <= width, `${where}: its region fits the screen`);
      assert.ok(['auto', 'scroll'].includes(t.region.overflowX), `${where}: its region scrolls (${t.region.overflowX})`);
      assert.ok(t.region.shaded, `${where}: its region shades the edge where columns hide`);
    }
  }
  await fitsWidth(page);
  return found;
}

/** Tabs to the first table region and checks that its focus shows. */
async function focusShows(page) {
  const region = page.locator('main [role="region"]:has(table)').first();
  if ((await region.count()) === 0) return;
  // Back to the control before it and forward again, as a reader tabs.
  await region.focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  const outline = await region.evaluate((el) => ({
    focused: document.activeElement === el,
    style: getComputedStyle(el).outlineStyle,
    width: parseFloat(getComputedStyle(el).outlineWidth),
  }));
  assert.ok(outline.focused, `${pathOf(page)}: Tab reaches the table's region`);
  assert.ok(outline.style !== 'none' && outline.width >= 2, `${pathOf(page)}: its focus shows (${JSON.stringify(outline)})`);
}

async function signIn(page) {
  requireAdmin();
  await page.goto(url('/en/account/sign-in'));
  await page.getByLabel('E-mail address').fill(ADMIN_EMAIL);
  await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/en\/coordinate$/);
}

describe('tables at 360 px', () => {
  for (const javaScriptEnabled of [false, true]) {
    const js = javaScriptEnabled ? 'with' : 'without';
    it(`fit the screen or scroll in a named, focusable region, ${js} JavaScript`, () =>
      withPage({ width: 360, javaScriptEnabled }, async (page) => {
        let scrolling = 0;
        for (const path of PUBLIC) {
          await page.goto(url(path));
          if (javaScriptEnabled) await page.waitForLoadState('networkidle');
          scrolling += (await checkTables(page)).filter((t) => t.region).length;
          if (javaScriptEnabled) await focusShows(page);
          await checkA11y(page);
        }
        // The map's table (four columns, clusters as tags) is wider than a phone.
        assert.ok(scrolling >= 2, `some tables scroll in their region (${scrolling})`);
      }));

    it(`on the coordinator's pages fit or scroll in a named region, ${js} JavaScript`, () =>
      withPage({ width: 360, javaScriptEnabled }, async (page) => {
        await signIn(page);
        for (const path of COORDINATOR) {
          await page.goto(url(path));
          if (javaScriptEnabled) await page.waitForLoadState('networkidle');
          if (path.endsWith('/table') && (await page.locator('main table').count()) === 0) {
            // The demo data has sent no invitations yet: the table of them comes with the first.
            await page.getByRole('button', { name: 'Send the invitations' }).click();
            await page.locator('main table').waitFor();
          }
          await checkTables(page);
          if (javaScriptEnabled) await focusShows(page);
          await checkA11y(page);
        }
      }));
  }
});
