// No one-tap regrets, on a phone (360 px), with JavaScript and without: "Cancel my
// registration" and a coordinator's "Cancel this date" and "Cancel the whole meeting" only
// ask; the page that answers says what cancelling does and holds the real button and a way
// back. The person who cancelled is mailed a receipt whose calendar entry takes the meeting
// out (METHOD:CANCEL, the UID of the entry they were sent).
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  browserForFile, checkA11y, url, mailTo, linkIn, hydrated, fitsWidth,
  ADMIN_EMAIL, ADMIN_PASSWORD, requireAdmin,
} from './helpers.mjs';

const PHONE = 360;
const real = (errors) =>
  errors.filter((e) => !e.includes('favicon.ico') && !/status of 4(22|01|03|04|29)/.test(e));
const { withPage } = browserForFile();
const someone = (who) => `${who}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.org`;

/** Unfolded iCalendar lines. */
const lines = (ics) => ics.replace(/\r\n[ \t]/g, '').split('\r\n');
const value = (ics, name) => lines(ics).find((l) => l.startsWith(`${name}:`))?.slice(name.length + 1);
const calendarOf = (mail) => {
  const a = mail.attachments.find((x) => x.contentType.startsWith('text/calendar'));
  assert.ok(a, `a calendar entry in “${mail.subject}”`);
  return a.content.toString('utf8');
};

/** The next date of Lucca's coordination table: its page, registered and confirmed as `email`. */
async function registered(page, email, js) {
  await page.goto(url('/en/cities/lucca/calendar'));
  await page.locator('.meeting-title a', { hasText: 'Tavolo di coordinamento' }).first().click();
  await page.waitForURL(/\/en\/meetings\/\d+$/);
  if (js) await hydrated(page);
  const before = Date.now() - 1000;
  await page.getByLabel('Name', { exact: true }).fill('Marta Rossi');
  await page.getByLabel('E-mail address', { exact: true }).fill(email);
  await page.locator('#field-consent').check();
  await page.getByRole('button', { name: 'Register' }).click();
  await page.getByText('Almost done').waitFor();
  await page.goto(url(linkIn(await mailTo(email, { after: before }), '/en/registration')));
  if (js) await hydrated(page);
  await page.getByRole('button', { name: 'Confirm my registration' }).click();
  await page.getByText('You are registered: your seat is kept.').waitFor();
  return calendarOf(await mailTo(email, { after: before, subject: /^Registered/ }));
}

async function cancelAsked(page, email, invite, js) {
  // The first button asks, and cancels nothing.
  await page.getByRole('button', { name: 'Cancel my registration' }).click();
  await page.getByRole('heading', { name: 'Cancel your registration?' }).waitFor();
  assert.match(page.url(), /confirm=cancel/);
  if (js) await hydrated(page);
  await checkA11y(page);
  await fitsWidth(page);
  await page.getByRole('link', { name: 'No, keep my registration' }).click();
  await page.getByText('You are registered: your seat is kept.').waitFor();

  // Asked again, and answered.
  const before = Date.now() - 1000;
  await page.getByRole('button', { name: 'Cancel my registration' }).click();
  await page.getByRole('button', { name: 'Yes, cancel my registration' }).click();
  await page.getByText('Your registration is cancelled.').waitFor();

  const receipt = await mailTo(email, { after: before, subject: /^Registration cancelled/ });
  const cancel = calendarOf(receipt);
  assert.equal(value(cancel, 'METHOD'), 'CANCEL');
  assert.equal(value(cancel, 'STATUS'), 'CANCELLED');
  assert.equal(value(cancel, 'UID'), value(invite, 'UID'), 'the entry they were sent');
  assert.ok(Number(value(cancel, 'SEQUENCE')) > Number(value(invite, 'SEQUENCE')), 'a later SEQUENCE');
  assert.equal(value(cancel, 'ATTENDEE'), `mailto:${email}`, 'to the person it removes');
  assert.match(value(cancel, 'ORGANIZER'), /^mailto:[^@\s]+@[^@\s]+$/, 'from the site');
}

describe('cancelling asks first', () => {
  it('a registration, without JavaScript', async () => {
    await withPage({ width: PHONE, javaScriptEnabled: false }, async (page) => {
      const email = someone('annulla');
      const invite = await registered(page, email, false);
      await cancelAsked(page, email, invite, false);
    });
  });

  it('a registration, with JavaScript', async () => {
    await withPage({ width: PHONE }, async (page) => {
      const email = someone('annulla-js');
      const invite = await registered(page, email, true);
      await cancelAsked(page, email, invite, true);
      assert.deepEqual(real(page.consoleErrors), []);
    });
  });

  describe("a coordinator's date", () => {
    before(requireAdmin);
    for (const js of [false, true]) {
      it(`asks and lets the coordinator keep it, ${js ? 'with' : 'without'} JavaScript`, async () => {
        await withPage({ width: PHONE, javaScriptEnabled: js }, async (page) => {
          await page.goto(url('/en/account/sign-in'));
          await page.getByLabel('E-mail address', { exact: true }).fill(ADMIN_EMAIL);
          await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
          await page.getByRole('button', { name: 'Sign in' }).click();
          await page.waitForURL(/\/en\/coordinate$/);
          await page.goto(url('/en/cities/lucca/calendar'));
          const href = await page.locator('.meeting-title a', { hasText: 'Tavolo di coordinamento' }).first().getAttribute('href');
          const occurrence = href.match(/\/meetings\/(\d+)$/)[1];
          const date = `/en/coordinate/occurrences/${occurrence}`;
          await page.goto(url(date));
          if (js) await hydrated(page);
          await page.getByRole('button', { name: 'Cancel this date' }).click();
          await page.getByRole('heading', { name: 'Cancel this date?' }).waitFor();
          await page.getByRole('button', { name: 'Yes, cancel this date' }).waitFor();
          if (js) await hydrated(page);
          await checkA11y(page);
          await fitsWidth(page);
          await page.getByRole('link', { name: 'No, keep this date' }).click();
          await page.waitForURL(new RegExp(`${date}$`));
          await page.getByRole('button', { name: 'Cancel this date' }).waitFor();
          // One click cancelled nothing: the public page still takes registrations.
          await page.goto(url(`/en/meetings/${occurrence}`));
          await page.getByRole('button', { name: 'Register' }).waitFor();

          // The whole meeting, from its edit page: the same two steps.
          await page.goto(url('/en/coordinate/meetings'));
          const edit = await page
            .locator('a[href^="/en/coordinate/meetings/"]', { hasText: 'Tavolo di coordinamento' })
            .first()
            .getAttribute('href');
          await page.goto(url(edit));
          if (js) await hydrated(page);
          await page.getByRole('button', { name: 'Cancel the whole meeting' }).click();
          await page.getByRole('heading', { name: 'Cancel the whole meeting?' }).waitFor();
          await page.getByRole('button', { name: 'Yes, cancel the whole meeting' }).waitFor();
          if (js) await hydrated(page);
          await checkA11y(page);
          await fitsWidth(page);
          await page.getByRole('link', { name: 'No, keep the meeting' }).click();
          await page.waitForURL(new RegExp(`${edit}$`));
          await page.getByRole('button', { name: 'Cancel the whole meeting' }).waitFor();
          await page.goto(url(`/en/meetings/${occurrence}`));
          await page.getByRole('button', { name: 'Register' }).waitFor();
          if (js) assert.deepEqual(real(page.consoleErrors), []);
        });
      });
    }
  });
});
