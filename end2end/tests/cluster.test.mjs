// A cluster's page and its library of best practices as people use them: read on a phone with
// no JavaScript, and a coordinator sharing a practice with the hydrated form, a mistake first.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { browserForFile, checkA11y, url, hydrated, fitsWidth, ADMIN_EMAIL, ADMIN_PASSWORD, requireAdmin } from './helpers.mjs';

const { withPage } = browserForFile();

describe('a cluster page', () => {
  it('shows leads, members on the map and in the table, and meetings, without JavaScript at 360 px', () =>
    withPage({ width: 360, javaScriptEnabled: false }, async (page) => {
      await page.goto(url('/en/clusters/entrepreneurship'));
      const leads = await page.locator('section[aria-labelledby="leads-heading"] li').allTextContents();
      assert.deepEqual(leads.sort(), ['Chengdu', 'Turin']);
      const markers = await page.locator('g.marker a').count();
      const rows = await page.locator('table.cities tbody tr').count();
      assert.ok(markers >= 5, `members on the map (${markers})`);
      assert.equal(markers, rows, 'the table lists the members the map shows');
      await page.getByRole('link', { name: 'The whole library' }).waitFor();
      await page.getByText('Entrepreneurship cluster: quarterly meeting').first().waitFor();
      await checkA11y(page);
      await fitsWidth(page);
    }));
});

describe('the library of best practices', () => {
  before(requireAdmin);
  it('a coordinator shares a practice, corrects a mistake, and finds it by its tag (1280 px)', () =>
    withPage({ width: 1280, javaScriptEnabled: true }, async (page) => {
      await page.goto(url('/en/account/sign-in'));
      await page.getByLabel('E-mail address', { exact: true }).fill(ADMIN_EMAIL);
      await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(/\/en\/coordinate$/);
      // The dashboard finishes loading before the next page is asked for.
      await page.waitForLoadState('networkidle');

      // Unique per run, so that the test may run again against the same database.
      const stamp = Date.now().toString(36);
      const title = `Learning festival at the docks ${stamp}`;
      const tag = `docks-${stamp}`;
      await page.goto(url('/en/clusters/entrepreneurship/practices'));
      await hydrated(page);
      await page.getByRole('link', { name: 'Share a practice' }).click();
      await page.waitForURL(/\/practices\/new$/);
      await hydrated(page);
      await page.getByLabel('City', { exact: true }).selectOption('swansea');
      await page.getByLabel('Title', { exact: true }).fill(title);
      await page.getByLabel('Summary', { exact: true }).fill('A weekend of taster courses run by local firms.');
      await page.getByLabel('Link to the full account', { exact: true }).fill('not a link');
      await page.getByLabel('Tags', { exact: true }).fill(`Festivals, ${tag}`);
      await page.getByRole('button', { name: 'Save' }).click();
      // The problem is named beside its field and the rest is kept.
      const link = page.getByLabel('Link to the full account', { exact: true });
      await page.locator('#field-link-error').getByText('Enter a web address').waitFor();
      assert.equal(await link.getAttribute('aria-invalid'), 'true');
      assert.equal(await page.getByLabel('Title', { exact: true }).inputValue(), title);
      await checkA11y(page);
      await link.fill('https://example.org/festival');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.waitForURL(/\/practices\?done=saved$/);
      await page.getByRole('link', { name: title, exact: true }).waitFor();

      await page.getByRole('link', { name: tag, exact: true }).click();
      await page.waitForURL((u) => u.searchParams.get('tag') === tag);
      // Hydrated, the library filters in place: the other practices go once the data arrive.
      await page.locator('.practice').nth(1).waitFor({ state: 'detached' });
      const titles = await page.locator('.practice h3').allTextContents();
      assert.deepEqual(titles, [title]);
      await checkA11y(page);
      // The refused save answers 422 by design; browsers ask for /favicon.ico whatever the page says.
      const real = page.consoleErrors.filter((e) => !e.includes('favicon.ico') && !e.includes('status of 422'));
      assert.deepEqual(real, []);
    }));
});
