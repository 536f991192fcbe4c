// Meeting calendars as people use them on a phone (360 px): a citizen finds a meeting with the
// filters and registers, confirming from the mail, once without JavaScript and once with it;
// a coordinator publishes a recurring meeting, which then appears in the city's feed. Every
// calendar page passes axe-core, and none scrolls sideways.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  browserForFile, checkA11y, url, pathOf, mailTo, linkIn, hydrated, fitsWidth,
  ADMIN_EMAIL, ADMIN_PASSWORD, requireAdmin,
} from './helpers.mjs';

const PHONE = 360;
/** Console noise that is not a fault: refused forms answer with their 4xx on purpose. */
const real = (errors) =>
  errors.filter((e) => !e.includes('favicon.ico') && !/status of 4(22|01|03|04|29)/.test(e));

const { withPage } = browserForFile();

/** A unique address per run, so that reruns against one server do not collide. */
const someone = (who) => `${who}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.org`;

describe('calendar pages', () => {
  const pages = [
    '/en/calendar',
    '/en/calendar?view=week',
    '/en/calendar?view=month',
    '/it/calendar?view=month&city=lucca',
    '/en/cities/lucca/calendar',
    '/it/cities/lucca/calendar?view=week',
    '/en/clusters/entrepreneurship/calendar',
    '/en/clusters/entrepreneurship/calendar?view=month',
    // An empty result has its own message.
    '/en/cities/lucca/calendar?language=de&mode=hybrid',
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
        // A meeting page, from the list.
        await page.goto(url('/en/cities/lucca/calendar'));
        await page.locator('.meeting-title a').first().click();
        await page.waitForURL(/\/en\/meetings\/\d+$/);
        await hydrated(page);
        await checkA11y(page);
        await fitsWidth(page);
        assert.deepEqual(real(page.consoleErrors), []);
      });
    });
  }

  it('say when nothing matches, and page through weeks and months', async () => {
    await withPage({ width: PHONE }, async (page) => {
      await page.goto(url('/en/cities/lucca/calendar?language=de&mode=hybrid'));
      await page.getByText('No meetings match. Try other filters or other dates.').waitFor();
      await page.goto(url('/en/calendar?view=month&from=2021-01-01'));
      await page.getByRole('heading', { level: 2, name: 'January 2021' }).waitFor();
      // Lucca's four sector meetings of January 2021, from the seed.
      const january = page.locator('table.month a', { hasText: 'Lucca Learning City' });
      assert.equal(await january.count(), 4);
      await page.getByRole('link', { name: 'Later' }).click();
      await page.getByRole('heading', { level: 2, name: 'February 2021' }).waitFor();
      await page.getByRole('link', { name: 'Today' }).click();
      await page.locator('.calendar-views').getByRole('link', { name: 'Week' }).click();
      await page.waitForURL(/view=week/);
      assert.deepEqual(real(page.consoleErrors), []);
    });
  });
});

describe('registering for a meeting', () => {
  it('without JavaScript: filter, register (a missing consent is named and nothing typed is lost), confirm from the mail', async () => {
    await withPage({ width: PHONE, javaScriptEnabled: false }, async (page) => {
      const email = someone('museo');
      await page.goto(url('/it/cities/lucca/calendar'));
      await page.locator('summary', { hasText: 'Filtri' }).click();
      await page.getByLabel('Settore').selectOption('museums-culture');
      await page.getByRole('button', { name: 'Mostra gli incontri' }).click();
      await page.waitForURL(/sector=museums-culture/);
      const titles = await page.locator('.meeting-title a').allInnerTexts();
      assert.ok(titles.length > 0, 'museum meetings ahead');
      assert.ok(titles.every((t) => t.includes('Musei')), `only the sector's meetings: ${titles}`);
      await page.locator('.meeting-title a').first().click();
      await page.waitForURL(/\/it\/meetings\/\d+$/);
      const meeting = pathOf(page);

      await page.getByLabel('Nome', { exact: true }).fill('Giulia Bianchi');
      await page.getByLabel('Indirizzo e-mail', { exact: true }).fill(email);
      await page.getByLabel('Organizzazione (facoltativo)').fill('Museo di Palazzo Mansi');
      const [refused] = await Promise.all([
        page.waitForResponse((r) => r.url().includes('__err=')),
        page.getByRole('button', { name: 'Iscriviti' }).click(),
      ]);
      assert.equal(refused.status(), 422);
      assert.ok(!refused.url().includes(encodeURIComponent(email)), 'no address in the URL');
      await page.getByText('Spunta questa casella per iscriverti.').waitFor();
      assert.equal(await page.getByLabel('Nome', { exact: true }).inputValue(), 'Giulia Bianchi');
      assert.equal(await page.getByLabel('Indirizzo e-mail', { exact: true }).inputValue(), email);

      const before = Date.now() - 1000;
      await page.locator('#field-consent').check();
      await page.getByRole('button', { name: 'Iscriviti' }).click();
      await page.getByText("Quasi fatto: apri il link nell'e-mail che ti abbiamo inviato per confermare l'iscrizione.").waitFor();
      assert.ok(pathOf(page).startsWith(meeting));

      const mail = await mailTo(email, { after: before });
      assert.match(mail.subject, /^Conferma la tua iscrizione/);
      await page.goto(url(linkIn(mail, '/it/registration')));
      await page.getByRole('button', { name: 'Conferma la mia iscrizione' }).click();
      await page.getByText('Grazie: la tua iscrizione è confermata.').waitFor();
      await page.getByText('Sei iscritto/a: il tuo posto è riservato.').waitFor();
      const placed = await mailTo(email, { after: before, subject: /^Iscritto\/a:|^Iscrizione confermata/ });
      assert.ok(
        placed.attachments.some((a) => a.contentType.startsWith('text/calendar')),
        'the confirmation carries a calendar entry',
      );
    });
  });

  it('with JavaScript: filters update in place, the viewer sees their own time, registration and cancellation', async () => {
    await withPage({ width: PHONE, timezoneId: 'Asia/Shanghai' }, async (page) => {
      const email = someone('tavolo');
      await page.goto(url('/en/calendar'));
      await hydrated(page);
      await page.locator('summary', { hasText: 'Filters' }).click();
      await page.getByLabel('City').selectOption('lucca');
      await page.getByLabel('Online or in person').selectOption('hybrid');
      let reloaded = false;
      page.once('load', () => {
        reloaded = true;
      });
      await page.getByRole('button', { name: 'Show meetings' }).click();
      await page.waitForURL(/city=lucca/);
      await page.locator('.meeting-title a', { hasText: 'Tavolo di coordinamento' }).first().waitFor();
      assert.equal(reloaded, false, 'the list changed without a page load');
      assert.match(pathOf(page), /mode=hybrid/);
      await checkA11y(page);

      await page.locator('.meeting-title a', { hasText: 'Tavolo di coordinamento' }).first().click();
      await page.waitForURL(/\/en\/meetings\/\d+$/);
      await hydrated(page);
      // The meeting is in Lucca's time; this browser is in China.
      await page.getByText('Your time:').waitFor();
      assert.equal(await page.locator('script[type="application/ld+json"]').count(), 1);
      assert.equal(await page.locator('meta[property="og:type"]').getAttribute('content'), 'event');
      const html = await page.content();
      assert.ok(!html.includes('meet.example.org'), 'the online link is not on the page');

      const before = Date.now() - 1000;
      await page.getByLabel('Name', { exact: true }).fill('Marco Neri');
      await page.getByLabel('E-mail address', { exact: true }).fill(email);
      await page.getByRole('button', { name: 'Register' }).click();
      await page.getByText('Tick this box to register.').waitFor();
      assert.equal(await page.getByLabel('E-mail address', { exact: true }).inputValue(), email);
      await checkA11y(page);
      await page.locator('#field-consent').check();
      await page.getByRole('button', { name: 'Register' }).click();
      await page.getByText('Almost done: open the link in the e-mail we sent you to confirm your registration.').waitFor();

      const mail = await mailTo(email, { after: before });
      await page.goto(url(linkIn(mail, '/en/registration')));
      await hydrated(page);
      await checkA11y(page);
      await page.getByRole('button', { name: 'Confirm my registration' }).click();
      await page.getByText('You are registered: your seat is kept.').waitFor();
      // Only now, and only here, the link to join.
      await page.getByText('Link to join').waitFor();
      assert.ok((await page.content()).includes('https://meet.example.org/lucca-tavolo'));
      await checkA11y(page);
      await fitsWidth(page);

      await page.getByRole('button', { name: 'Cancel my registration' }).click();
      await page.getByRole('button', { name: 'Yes, cancel my registration' }).click();
      await page.getByText('Your registration is cancelled.').waitFor();
      assert.deepEqual(real(page.consoleErrors), []);
    });
  });
});

describe('coordinators publish meetings', () => {
  before(requireAdmin);
  async function signIn(page) {
    await page.goto(url('/en/account/sign-in'));
    await page.getByLabel('E-mail address', { exact: true }).fill(ADMIN_EMAIL);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/en\/coordinate$/);
  }

  /** The form's date and time fields take the wall-clock value a datetime-local input sends. */
  function dayAhead(days, time) {
    const d = new Date(Date.now() + days * 86_400_000);
    return `${d.toISOString().slice(0, 10)}T${time}`;
  }

  it('a recurring meeting, refused once for a bad end, is published and appears in the city feed', async () => {
    await withPage({ width: PHONE }, async (page) => {
      await signIn(page);
      await hydrated(page);
      await page.getByRole('link', { name: 'Meetings', exact: true }).click();
      await page.waitForURL(/\/en\/coordinate\/meetings$/);
      await hydrated(page);
      await checkA11y(page);
      await fitsWidth(page);
      await page.getByLabel('Organised by').selectOption('city:lucca');
      await page.getByRole('button', { name: 'New meeting' }).click();
      await page.waitForURL(/\/en\/coordinate\/meetings\/new\?owner=city(%3A|:)lucca/);
      await hydrated(page);
      await checkA11y(page);
      await fitsWidth(page);

      const title = `Laboratorio di lettura ad alta voce ${Date.now()}`;
      await page.getByLabel('Title').fill(title);
      await page.getByLabel('Description').fill('Per **volontari** delle biblioteche.');
      await page.getByLabel('How people take part').selectOption('online');
      await page.getByLabel('Link to join').fill('https://meet.example.org/lettura-riservata');
      await page.getByLabel('Starts').fill(dayAhead(10, '17:30'));
      await page.getByLabel('Ends').fill(dayAhead(10, '17:00'));
      await page.getByLabel('Repeats').selectOption('weekly');
      await page.getByLabel('Number of dates').fill('6');
      await page.getByLabel('Seats').fill('25');
      await page.getByRole('button', { name: 'Save the meeting' }).click();
      await page.getByText('This must come after the start.').waitFor();
      assert.equal(await page.getByLabel('Title').inputValue(), title, 'nothing typed is lost');
      await checkA11y(page);

      await page.getByLabel('Ends').fill(dayAhead(10, '19:00'));
      await page.getByRole('button', { name: 'Save the meeting' }).click();
      await page.waitForURL(/\/en\/coordinate\/meetings\/\d+\?done=saved$/);
      await page.getByText('Saved.').waitFor();
      await hydrated(page);
      await checkA11y(page);
      await fitsWidth(page);
      assert.equal(await page.locator('section[aria-labelledby="dates-heading"] li').count(), 6);

      const feed = await page.request.get(url('/feeds/calendar.ics?city=lucca'));
      assert.equal(feed.status(), 200);
      const ics = (await feed.text()).replace(/\r\n[ \t]/g, '');
      const event = ics.split('BEGIN:VEVENT').find((e) => e.includes(`SUMMARY:${title}`));
      assert.ok(event, 'the meeting is in the city feed');
      assert.match(event, /RRULE:[^\r\n]*FREQ=WEEKLY/);
      assert.match(event, /RRULE:[^\r\n]*COUNT=6/);
      assert.match(event, /DTSTART;TZID=Europe\/Rome:\d{8}T173000/);
      assert.ok(!ics.includes('lettura-riservata'), 'the online link stays out of the feed');

      // A date's page: who registered, and what the organisers can do.
      await page.locator('section[aria-labelledby="dates-heading"] a').first().click();
      await page.waitForURL(/\/en\/coordinate\/occurrences\/\d+$/);
      await hydrated(page);
      await checkA11y(page);
      await fitsWidth(page);
      await page.getByRole('link', { name: 'Download the registrations (CSV)' }).waitFor();
      assert.deepEqual(real(page.consoleErrors), []);
    });
  });

  it('without JavaScript the meeting form works too', async () => {
    await withPage({ width: PHONE, javaScriptEnabled: false }, async (page) => {
      await signIn(page);
      await page.goto(url('/it/coordinate/meetings/new?owner=city:lucca'));
      const title = `Incontro con le scuole ${Date.now()}`;
      await page.getByLabel('Titolo').fill(title);
      await page.getByLabel('Inizio').fill(dayAhead(12, '16:00'));
      await page.getByLabel('Fine').fill(dayAhead(12, '17:30'));
      await page.getByLabel('Posti').fill('0');
      const [refused] = await Promise.all([
        page.waitForResponse((r) => r.url().includes('__err=')),
        page.getByRole('button', { name: "Salva l'incontro" }).click(),
      ]);
      assert.equal(refused.status(), 422);
      await page.getByText('Questo valore è fuori dai limiti ammessi.').waitFor();
      assert.equal(await page.getByLabel('Titolo').inputValue(), title);
      await page.getByLabel('Posti').fill('30');
      await page.getByRole('button', { name: "Salva l'incontro" }).click();
      await page.waitForURL(/\/it\/coordinate\/meetings\/\d+\?done=saved$/);
      await page.getByText('Salvato.').waitFor();
      const page2 = await page.request.get(url('/feeds/calendar.json?city=lucca'));
      const items = (await page2.json()).items;
      assert.ok(items.some((i) => i.title === title && i.capacity === 30), 'published');
    });
  });
});
