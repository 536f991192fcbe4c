// Pact sign-up as organisations and coordinators do it on a phone (360 px): an organisation
// adheres (refused once, losing nothing typed), confirms from the mail, a coordinator approves
// it, and it appears on the public list; once without JavaScript and once with it. Every pact
// page passes axe-core and none scrolls sideways.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  browserForFile, newPage, closePage, checkA11y, url, pathOf, mailTo, linkIn, hydrated, fitsWidth,
  ADMIN_EMAIL, ADMIN_PASSWORD, requireAdmin,
} from './helpers.mjs';

const PHONE = 360;
/** Console noise that is not a fault: refused forms answer with their 4xx on purpose. */
const real = (errors) =>
  errors.filter((e) => !e.includes('favicon.ico') && !/status of 4(22|01|03|04|29)/.test(e));

const { withPage, browser } = browserForFile();

const unique = () => `${Date.now()}${Math.floor(Math.random() * 1e4)}`;

/** Fills the sign-up form (Italian labels) except what a test wants to leave out. */
async function fillJoinForm(page, { name, email, skip = [] }) {
  await page.getByLabel("Nome dell'organizzazione").fill(name);
  await page.getByLabel('Forma giuridica').selectOption('association');
  await page.getByLabel('Settore', { exact: true }).selectOption('museums-culture');
  await page.getByLabel('Indirizzo', { exact: true }).fill('Via del Fosso 10, Lucca');
  await page.getByLabel('Referente').fill('Chiara Neri');
  if (!skip.includes('email')) await page.getByLabel('Indirizzo e-mail', { exact: true }).fill(email);
  await page.getByLabel('Legale rappresentante', { exact: true }).fill('Paolo Verdi');
  await page.getByLabel(/Dichiaro di poter firmare/).check();
  await page.getByLabel('Offrire occasioni di apprendimento aperte a tutti').check();
  // Listing is a choice the organisation makes: unticked until it does.
  await page.getByLabel(/Mostrare l'organizzazione nell'elenco pubblico/).check();
  if (!skip.includes('privacy')) await page.getByLabel("Ho letto l'informativa sulla privacy qui sotto.").check();
}

async function signIn(page) {
  await page.goto(url('/en/account/sign-in'));
  await page.getByLabel('E-mail address', { exact: true }).fill(ADMIN_EMAIL);
  await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/en\/coordinate$/);
}

/** Approves the adhesion of `name` from the coordinators' queue. */
async function approve(page, name, { js }) {
  await page.goto(url('/en/coordinate/pacts/lucca'));
  if (js) await hydrated(page);
  await page.getByRole('link', { name }).click();
  await page.waitForURL(/\/en\/coordinate\/adhesions\/\d+$/);
  if (js) {
    await hydrated(page);
    await checkA11y(page);
  }
  await fitsWidth(page);
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  await page.getByText('Approved: on the public list').waitFor();
}

describe('pact pages', () => {
  const pages = [
    '/en/pact',
    '/en/cities/lucca/pact',
    '/it/cities/lucca/pact?sector=sports',
    '/en/cities/lucca/pact?q=museo',
    '/it/cities/torino/pact',
    '/it/cities/lucca/pact/join',
    '/en/cities/lucca/pact/resend',
  ];
  for (const width of [320, PHONE, 1280]) {
    it(`pass axe-core and fit ${width} px`, async () => {
      await withPage({ width }, async (page) => {
        for (const path of pages) {
          const res = await page.goto(url(path));
          assert.equal(res.status(), 200, path);
          await hydrated(page);
          await checkA11y(page);
          await fitsWidth(page);
        }
        // Pages reached by a link from a mail, when the link is not (or no longer) valid.
        for (const path of ['/en/pact/confirm?token=made-up', '/it/pact/adhesion?token=made-up', '/en/pact/invitation?token=made-up']) {
          const res = await page.goto(url(path));
          assert.ok(res.status() >= 400 && res.status() < 500, `${path}: ${res.status()}`);
          await hydrated(page);
          await checkA11y(page);
          await fitsWidth(page);
        }
        // A certificate, from the list.
        await page.goto(url('/en/cities/lucca/pact'));
        await page.locator('.adherent-name a').first().click();
        await page.waitForURL(/\/en\/cities\/lucca\/pact\/adherents\/\d+$/);
        await hydrated(page);
        await page.getByText('Certificate of adhesion').first().waitFor();
        await checkA11y(page);
        await fitsWidth(page);
        assert.deepEqual(real(page.consoleErrors), []);
      });
    });
  }

  it('search and filter the public list in place', async () => {
    await withPage({ width: PHONE }, async (page) => {
      await page.goto(url('/en/cities/lucca/pact'));
      await hydrated(page);
      let reloaded = false;
      page.once('load', () => {
        reloaded = true;
      });
      await page.getByLabel('Sector', { exact: true }).selectOption('sports');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(/sector=sports/);
      await page.getByText('ASD Nuoto Serchio (esempio)').waitFor();
      assert.equal(reloaded, false, 'the list changed without a page load');
      const names = await page.locator('.adherent-name').allInnerTexts();
      assert.equal(names.length, 4, `the four listed sports adherents: ${names}`);
      await checkA11y(page);
    });
  });
});

describe('adhering to the pact', () => {
  it('the position on the map is asked for in plain sight, with labels and a way to find it', async () => {
    await withPage({ width: PHONE, javaScriptEnabled: false }, async (page) => {
      await page.goto(url('/en/cities/lucca/pact/join'));
      const position = page.getByRole('group', { name: 'Position on the map (optional)' });
      for (const label of ['Latitude', 'Longitude']) {
        assert.ok(await position.getByLabel(label, { exact: true }).isVisible(), `${label} is shown without opening anything`);
      }
      const find = position.getByRole('link', { name: /OpenStreetMap/ });
      assert.equal(await find.getAttribute('target'), '_blank', 'the form stays as it is');
      assert.match(await find.getAttribute('href'), /^https:\/\/www\.openstreetmap\.org\/search\?query=Lucca/);
    });
  });

  before(requireAdmin);
  it('without JavaScript: refused once keeping what was typed, confirmed from the mail, approved, listed', async () => {
    await withPage({ width: PHONE, javaScriptEnabled: false }, async (page) => {
      const name = `Associazione Le Mura ${unique()}`;
      const email = `mura-${unique()}@example.org`;
      await page.goto(url('/it/cities/lucca/pact'));
      await page.getByRole('link', { name: 'Aderisci al patto' }).first().click();
      await page.waitForURL(/\/it\/cities\/lucca\/pact\/join$/);
      await fillJoinForm(page, { name, email, skip: ['privacy'] });
      await page.getByLabel('Codice fiscale o partita IVA').fill('00743110158');
      const [refused] = await Promise.all([
        page.waitForResponse((r) => r.url().includes('__err=')),
        page.getByRole('button', { name: "Invia l'adesione" }).click(),
      ]);
      assert.equal(refused.status(), 422);
      assert.ok(!refused.url().includes(encodeURIComponent(email)), 'no address in the URL');
      await page.getByText('Questo codice non esiste').waitFor();
      await page.getByText("Spuntate questa casella per confermare di aver letto l'informativa.").waitFor();
      assert.equal(await page.getByLabel("Nome dell'organizzazione").inputValue(), name, 'nothing typed is lost');
      assert.equal(await page.getByLabel('Indirizzo e-mail', { exact: true }).inputValue(), email);
      assert.ok(await page.getByLabel('Offrire occasioni di apprendimento aperte a tutti').isChecked());
      await fitsWidth(page);

      const before = Date.now() - 1000;
      await page.getByLabel('Codice fiscale o partita IVA').fill('');
      await page.getByLabel("Ho letto l'informativa sulla privacy qui sotto.").check();
      await page.getByRole('button', { name: "Invia l'adesione" }).click();
      await page.getByText("Quasi fatto: aprite il link nell'e-mail").waitFor();

      const mail = await mailTo(email, { after: before });
      assert.match(mail.subject, /^Confermate l'adesione/);
      await page.goto(url(linkIn(mail, '/it/pact/confirm')));
      await page.getByRole('button', { name: "Conferma l'adesione" }).click();
      await page.waitForURL(/\/it\/pact\/adhesion\?token=/);
      await page.getByText("Grazie: l'adesione è confermata").waitFor();
      await page.getByText("In attesa dell'approvazione dei coordinatori").waitFor();
      await fitsWidth(page);

      const coordinator = await newPage(browser(), { width: PHONE, javaScriptEnabled: false });
      try {
        await signIn(coordinator);
        await approve(coordinator, name, { js: false });
      } finally {
        await closePage(coordinator);
      }
      await page.goto(url(`/it/cities/lucca/pact?q=${encodeURIComponent(name)}`));
      await page.locator('.adherent-name', { hasText: name }).waitFor();
      const approved = await mailTo(email, { after: before, subject: /ora aderisce al patto/ });
      assert.ok(approved.text.includes('/it/pact/adhesion?token='), 'the news brings the personal link');
    });
  });

  it('with JavaScript: the form answers in place, then confirm, approve, listed, withdraw', async () => {
    await withPage({ width: PHONE }, async (page) => {
      const name = `Biblioteca di quartiere ${unique()}`;
      const email = `biblio-${unique()}@example.org`;
      await page.goto(url('/it/cities/lucca/pact/join'));
      await hydrated(page);
      await checkA11y(page);
      await fillJoinForm(page, { name, email, skip: ['email'] });
      await page.getByLabel('Logo (facoltativo)').setInputFiles({
        name: 'logo.png',
        mimeType: 'image/png',
        buffer: Buffer.from(
          'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGM4oKAARAwQCgAejgQBl4tBnAAAAABJRU5ErkJggg==',
          'base64',
        ),
      });
      let reloaded = false;
      page.once('load', () => {
        reloaded = true;
      });
      await page.getByRole('button', { name: "Invia l'adesione" }).click();
      await page.getByText('Questo campo è obbligatorio.').first().waitFor();
      assert.equal(reloaded, false, 'the refusal came without a page load');
      assert.equal(await page.getByLabel("Nome dell'organizzazione").inputValue(), name);
      await checkA11y(page);

      const before = Date.now() - 1000;
      await page.getByLabel('Indirizzo e-mail', { exact: true }).fill(email);
      await page.getByRole('button', { name: "Invia l'adesione" }).click();
      await page.getByText("Quasi fatto: aprite il link nell'e-mail").waitFor();
      await checkA11y(page);

      const mail = await mailTo(email, { after: before });
      await page.goto(url(linkIn(mail, '/it/pact/confirm').replace('/it/', '/en/')));
      await hydrated(page);
      await checkA11y(page);
      await page.getByRole('button', { name: 'Confirm the adhesion' }).click();
      await page.waitForURL(/\/en\/pact\/adhesion\?token=/);
      await page.getByText("Waiting for the coordinators' approval").waitFor();
      await hydrated(page);
      await checkA11y(page);
      await fitsWidth(page);

      const coordinator = await newPage(browser(), { width: PHONE });
      try {
        await signIn(coordinator);
        await hydrated(coordinator);
        await coordinator.goto(url('/en/coordinate/pacts/lucca'));
        await hydrated(coordinator);
        await checkA11y(coordinator);
        await fitsWidth(coordinator);
        await approve(coordinator, name, { js: true });
        for (const path of ['/en/coordinate/pacts/lucca/settings', '/en/coordinate/pacts/lucca/table']) {
          await coordinator.goto(url(path));
          await hydrated(coordinator);
          await checkA11y(coordinator);
          await fitsWidth(coordinator);
        }
        assert.deepEqual(real(coordinator.consoleErrors), []);
      } finally {
        await closePage(coordinator);
      }

      await page.goto(url(`/en/cities/lucca/pact?q=${encodeURIComponent(name)}`));
      await hydrated(page);
      const card = page.locator('.adherent', { hasText: name });
      await card.waitFor();
      assert.equal(await card.locator('img.adherent-logo').count(), 1, 'with its logo');

      // The personal link from the approval mail: withdraw, and the list forgets it at once.
      const approved = await mailTo(email, { after: before, subject: /ora aderisce al patto/ });
      await page.goto(url(linkIn(approved, '/it/pact/adhesion').replace('/it/', '/en/')));
      await hydrated(page);
      await page.getByLabel('Yes, withdraw the organisation from the pact').check();
      await page.getByRole('button', { name: 'Withdraw', exact: true }).click();
      await page.getByText('The adhesion is withdrawn.').waitFor();
      await checkA11y(page);
      await page.goto(url(`/en/cities/lucca/pact?q=${encodeURIComponent(name)}`));
      await page.getByText('No organisation matches.').waitFor();
      assert.deepEqual(real(page.consoleErrors), []);
      assert.ok(pathOf(page).startsWith('/en/cities/lucca/pact'));
    });
  });
});
