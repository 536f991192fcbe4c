// Finding one's city on a phone (360 px): from the home page's search box, by part of its name
// typed without accents, with JavaScript and without; and the city directory, in both
// languages, alphabetical as each language sorts, passes axe-core and fits the screen.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { browserForFile, checkA11y, url, pathOf, hydrated, fitsWidth } from './helpers.mjs';

const PHONE = 360;
const { withPage } = browserForFile();

describe('finding a city', () => {
  for (const javaScriptEnabled of [false, true]) {
    it(`from the home page by part of its name without accents (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, () =>
      withPage({ width: PHONE, javaScriptEnabled }, async (page) => {
        await page.goto(url('/en'));
        if (javaScriptEnabled) await hydrated(page);
        let reloaded = false;
        page.once('load', () => {
          reloaded = true;
        });
        await page.getByRole('searchbox', { name: 'City name' }).fill('camara');
        await page.getByRole('button', { name: 'Search', exact: true }).click();
        await page.waitForURL(/\/en\/cities\?q=camara$/);
        if (javaScriptEnabled) assert.equal(reloaded, false, 'the results came without a page load');
        const results = page.locator('main ul.city-list a');
        await results.first().waitFor();
        assert.deepEqual(await results.allInnerTexts(), ['Câmara de Lobos']);
        await checkA11y(page);
        await fitsWidth(page);
        await results.first().click();
        await page.waitForURL(/\/en\/cities\/camara-de-lobos$/);
        assert.equal((await page.locator('h1').innerText()).trim(), 'Câmara de Lobos');
        assert.deepEqual(page.consoleErrors, []);
      }));
  }

  it('by its name in the other language, from the navigation (JavaScript off)', () =>
    withPage({ width: PHONE, javaScriptEnabled: false }, async (page) => {
      await page.goto(url('/it'));
      await page.getByRole('navigation', { name: 'Principale', exact: true }).getByRole('link', { name: 'Città', exact: true }).click();
      await page.waitForURL(/\/it\/cities$/);
      await page.getByRole('searchbox', { name: 'Nome della città' }).fill('turin');
      await page.getByRole('button', { name: 'Cerca', exact: true }).click();
      await page.waitForURL(/\/it\/cities\?q=turin$/);
      assert.deepEqual(await page.locator('main ul.city-list a').allInnerTexts(), ['Torino']);
    }));

  for (const locale of ['en', 'it']) {
    it(`/${locale}/cities lists every city alphabetically, accented names among the rest`, () =>
      withPage({ width: PHONE, javaScriptEnabled: false }, async (page) => {
        await page.goto(url(`/${locale}/cities`));
        const names = await page.locator('main ul.city-list a').allInnerTexts();
        assert.ok(names.length > 70, `the whole network: ${names.length}`);
        assert.ok(names.indexOf('Câmara de Lobos') < names.indexOf('Curitiba'), 'Câmara before Curitiba');
        assert.ok(names.indexOf('Câmara de Lobos') > names.indexOf('Buenos Aires'), 'Câmara after Buenos Aires');
        await checkA11y(page);
        await fitsWidth(page);
        assert.equal(pathOf(page), `/${locale}/cities`);
      }));
  }
});
