// What a meeting's pages say, on a phone (360 px), with JavaScript and without: a full meeting
// says "Full" (not "0 left") and offers the waitlist; someone who confirms onto the waitlist is
// told so, not that their registration is confirmed; times carry the city's zone in words
// ("Rome time", "ora di Roma"), and the reader's own time only when their zone differs.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  browserForFile, checkA11y, url, mailTo, linkIn, hydrated, fitsWidth,
  ADMIN_EMAIL, ADMIN_PASSWORD, requireAdmin,
} from './helpers.mjs';

const PHONE = 360;
const { withPage } = browserForFile();
const someone = (who) => `${who}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.org`;

const T = {
  en: {
    name: 'Name', email: 'E-mail address', register: 'Register', confirm: 'Confirm my registration',
    checkMail: 'Almost done: open the link in the e-mail we sent you to confirm your registration.',
  },
  it: {
    name: 'Nome', email: 'Indirizzo e-mail', register: 'Iscriviti', confirm: 'Conferma la mia iscrizione',
    checkMail: "Quasi fatto: apri il link nell'e-mail che ti abbiamo inviato per confermare l'iscrizione.",
  },
};

/** Registers on the meeting's page and confirms from the mail; leaves the page on the personal page. */
async function registerAndConfirm(page, locale, meeting, who) {
  const t = T[locale];
  const email = someone(who.split(' ')[0].toLowerCase());
  await page.goto(url(`/${locale}${meeting}`));
  if (page.javaScriptEnabled) await hydrated(page);
  const before = Date.now() - 1000;
  await page.getByLabel(t.name, { exact: true }).fill(who);
  await page.getByLabel(t.email, { exact: true }).fill(email);
  await page.locator('#field-consent').check();
  await page.getByRole('button', { name: t.register, exact: true }).click();
  await page.getByText(t.checkMail).waitFor();
  const mail = await mailTo(email, { after: before });
  await page.goto(url(linkIn(mail, `/${locale}/registration`)));
  if (page.javaScriptEnabled) await hydrated(page);
  await page.getByRole('button', { name: t.confirm }).click();
}

describe('a meeting with one seat', () => {
  before(requireAdmin);
  /** `/meetings/{occurrence}` of a Lucca meeting with one seat, published for this run. */
  let meeting;

  before(async () => {
    await withPage({ width: 1280 }, async (page) => {
      await page.goto(url('/en/account/sign-in'));
      await page.getByLabel('E-mail address', { exact: true }).fill(ADMIN_EMAIL);
      await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(/\/en\/coordinate$/);
      await page.goto(url('/en/coordinate/meetings/new?owner=city:lucca'));
      await hydrated(page);
      const day = new Date(Date.now() + 15 * 86_400_000).toISOString().slice(0, 10);
      await page.getByLabel('Title').fill(`Visita guidata alle mura ${Date.now()}`);
      await page.getByLabel('Starts').fill(`${day}T18:00`);
      await page.getByLabel('Ends').fill(`${day}T19:30`);
      await page.getByLabel('Seats').fill('1');
      await page.getByRole('button', { name: 'Save the meeting' }).click();
      await page.waitForURL(/\/en\/coordinate\/meetings\/\d+\?done=saved$/);
      const href = await page.locator('section[aria-labelledby="dates-heading"] a').first().getAttribute('href');
      meeting = `/meetings/${/occurrences\/(\d+)/.exec(href)[1]}`;
    });
  });

  it('without JavaScript: the seat taken, the page says "Full", and the next person is told they wait', () =>
    withPage({ width: PHONE, javaScriptEnabled: false }, async (page) => {
      await page.goto(url(`/en${meeting}`));
      const when = await page.locator('.facts div', { hasText: 'When' }).innerText();
      assert.match(when, /\(Rome time, UTC\+0[12]:00\)/, `the zone in words: ${when}`);
      assert.ok(!when.includes('Europe/Rome'), when);
      assert.ok(await page.locator('.viewer-time').isHidden(), 'no "your time" without JavaScript');

      await registerAndConfirm(page, 'en', meeting, 'Anna Rossi');
      await page.getByText('Thank you: your registration is confirmed.').waitFor();
      await page.getByText('You are registered: your seat is kept.').waitFor();
      assert.match(await page.locator('main').innerText(), /Rome time/);

      await page.goto(url(`/en${meeting}`));
      const seats = await page.locator('.facts div', { hasText: 'Seats' }).innerText();
      assert.match(seats, /1 seats?, Full/, seats);
      assert.ok(!/0 left/.test(seats), seats);
      await page.getByText('All seats are taken. Register to join the waitlist').waitFor();

      await registerAndConfirm(page, 'en', meeting, 'Bruno Verdi');
      await page.getByText('Thank you: you are on the waitlist.').waitFor();
      await page.getByText('You are number 1 on the waitlist.').waitFor();
      assert.ok(!(await page.locator('main').innerText()).includes('registration is confirmed'));
      await checkA11y(page);
      await fitsWidth(page);
    }));

  it('with JavaScript, in Italian: the waitlist in words, and the reader\'s own time when it differs', () =>
    withPage({ width: PHONE, timezoneId: 'America/Sao_Paulo' }, async (page) => {
      await page.goto(url(`/it${meeting}`));
      await hydrated(page);
      const when = await page.locator('.facts div', { hasText: 'Quando' }).innerText();
      assert.match(when, /\(ora di Roma, UTC\+0[12]:00\)/, when);
      await page.getByText('Nel tuo fuso orario:').waitFor();
      const seats = await page.locator('.facts div', { hasText: 'Posti' }).innerText();
      assert.match(seats, /Completo/, seats);

      await registerAndConfirm(page, 'it', meeting, 'Carla Neri');
      await page.getByText("Grazie: sei in lista d'attesa.").waitFor();
      await page.getByText(/Sei il numero \d in lista d'attesa\./).waitFor();
      assert.ok(!(await page.locator('main').innerText()).includes('iscrizione è confermata'));
      await checkA11y(page);
      assert.deepEqual(page.consoleErrors.filter((e) => !/status of 4(22|01|03|04|29)/.test(e)), []);
    }));

  it('in the reader\'s own zone no second time is shown', () =>
    withPage({ width: PHONE, timezoneId: 'Europe/Rome' }, async (page) => {
      await page.goto(url(`/en${meeting}`));
      await hydrated(page);
      assert.ok(await page.locator('.viewer-time').isHidden(), 'the same zone: nothing added');
    }));
});
