// A refused form shows itself on a phone (360 px): after a refused registration and a refused
// pact sign-up the summary of problems is on the screen, not a screen or more below the top.
// Without JavaScript the redirect back ends at the summary (#problems) and the browser scrolls
// there itself; with it, focus moves to the summary. Everything typed and ticked comes back.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { browserForFile, checkA11y, url, hydrated } from './helpers.mjs';

const PHONE = 360;
const { withPage } = browserForFile();
const unique = () => `${Date.now()}${Math.floor(Math.random() * 1e4)}`;

/** Asserts that the summary of problems is within the viewport (800 px tall). */
async function summaryInView(page) {
  const box = await page.locator('#problems').boundingBox();
  assert.ok(box, 'a summary named #problems');
  // A scrolled-to element may sit a fraction of a pixel above the top.
  assert.ok(box.y > -1 && box.y + box.height < 801, `the summary is on the screen (top ${box.y})`);
}

/** The page of a meeting of Lucca that takes registrations. */
async function meetingPage(page, js) {
  await page.goto(url('/en/cities/lucca/calendar'));
  await page.locator('.meeting-title a', { hasText: 'Tavolo di coordinamento' }).first().click();
  await page.waitForURL(/\/en\/meetings\/\d+$/);
  if (js) await hydrated(page);
}

async function refuseRegistration(page) {
  await page.getByLabel('Name', { exact: true }).fill('Giulia Bianchi');
  await page.getByLabel('E-mail address', { exact: true }).fill('giulia@');
  await page.getByLabel('Organisation (optional)').fill('Museo di Palazzo Mansi');
  await page.locator('#field-consent').check();
  await page.getByRole('button', { name: 'Register' }).click();
  await page.getByText('Enter an e-mail address such as name@example.org.').first().waitFor();
}

async function assertRegistrationKept(page) {
  assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'Giulia Bianchi');
  assert.equal(await page.getByLabel('E-mail address', { exact: true }).inputValue(), 'giulia@');
  assert.equal(await page.getByLabel('Organisation (optional)').inputValue(), 'Museo di Palazzo Mansi');
  assert.ok(await page.locator('#field-consent').isChecked(), 'the ticked box stays ticked');
}

async function refuseSignUp(page) {
  await page.goto(url('/it/cities/lucca/pact/join'));
  await page.getByLabel("Nome dell'organizzazione").fill(`Associazione Le Mura ${unique()}`);
  await page.getByLabel('Indirizzo e-mail', { exact: true }).fill('mura@example.org');
  await page.getByLabel('Offrire occasioni di apprendimento aperte a tutti').check();
  await page.getByRole('button', { name: "Invia l'adesione" }).click();
  await page.getByText('Questo campo è obbligatorio.').first().waitFor();
}

async function assertSignUpKept(page) {
  assert.equal(await page.getByLabel('Indirizzo e-mail', { exact: true }).inputValue(), 'mura@example.org');
  assert.ok(await page.getByLabel('Offrire occasioni di apprendimento aperte a tutti').isChecked());
}

describe('a refused form shows itself', () => {
  it('without JavaScript the page comes back at its summary, everything kept', async () => {
    await withPage({ width: PHONE, javaScriptEnabled: false }, async (page) => {
      await meetingPage(page, false);
      await refuseRegistration(page);
      assert.equal(new URL(page.url()).hash, '#problems');
      await summaryInView(page);
      await assertRegistrationKept(page);
      await checkA11y(page);

      await refuseSignUp(page);
      assert.equal(new URL(page.url()).hash, '#problems');
      await summaryInView(page);
      await assertSignUpKept(page);
    });
  });

  it('with JavaScript focus moves to the summary, on the screen, everything kept', async () => {
    await withPage({ width: PHONE }, async (page) => {
      await meetingPage(page, true);
      await refuseRegistration(page);
      await page.waitForFunction(() => document.activeElement?.id === 'problems');
      await summaryInView(page);
      await assertRegistrationKept(page);
      await checkA11y(page);

      await hydrated(page);
      await refuseSignUp(page);
      await page.waitForFunction(() => document.activeElement?.id === 'problems');
      await summaryInView(page);
      await assertSignUpKept(page);
    });
  });
});
