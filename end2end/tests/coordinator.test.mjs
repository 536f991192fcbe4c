// The coordinator area as people use it on a phone: the administrator the README tells you to
// create signs in, invites a city coordinator, who follows the mailed link (read from the
// outbox page, as a newcomer would without SMTP), edits the city's profile and signs out.
// Every page passes axe-core at 360 px.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, closePage, checkA11y, url, pathOf, hydrated, ADMIN_EMAIL, ADMIN_PASSWORD, requireAdmin } from './helpers.mjs';

const PHONE = 360;

describe('coordinator area', () => {
  before(requireAdmin);
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  async function signIn(page, email, password) {
    await page.goto(url('/en/account/sign-in'));
    await hydrated(page);
    await checkA11y(page);
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/en\/coordinate$/);
  }

  it('a wrong password is refused with a message, and the address stays typed', async () => {
    const page = await newPage(browser, { width: PHONE });
    try {
      await page.goto(url('/en/account/sign-in'));
      await hydrated(page);
      await page.getByLabel('E-mail address').fill(ADMIN_EMAIL);
      await page.getByLabel('Password', { exact: true }).fill('not the password at all');
      await page.getByRole('button', { name: 'Sign in' }).click();
      const alert = page.locator('.form-alert');
      await assert.doesNotReject(alert.getByText('The e-mail address or the password is wrong.').waitFor());
      assert.equal(await page.getByLabel('E-mail address').inputValue(), ADMIN_EMAIL);
      assert.equal(pathOf(page), '/en/account/sign-in');
      await checkA11y(page);
      assert.deepEqual(page.consoleErrors.filter((e) => !e.includes('favicon.ico') && !e.includes('status of 422') && !e.includes('status of 401')), []);
    } finally {
      await closePage(page);
    }
  });

  it('without JavaScript the same form works and comes back with its error', async () => {
    const page = await newPage(browser, { width: PHONE, javaScriptEnabled: false });
    try {
      await page.goto(url('/it/account/sign-in'));
      await page.getByLabel('Indirizzo e-mail').fill(ADMIN_EMAIL);
      await page.getByLabel('Password', { exact: true }).fill('not the password at all');
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().includes('__err=')),
        page.getByRole('button', { name: 'Accedi' }).click(),
      ]);
      assert.equal(response.status(), 422);
      await page.getByText("L'indirizzo e-mail o la password non sono corretti.").waitFor();
      assert.equal(await page.getByLabel('Indirizzo e-mail').inputValue(), ADMIN_EMAIL);
      // axe-core needs scripts; the JavaScript test checks the same page.

      await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'Accedi' }).click();
      await page.waitForURL(/\/it\/coordinate$/);
      await page.getByRole('heading', { level: 1, name: 'Pannello' }).waitFor();
    } finally {
      await closePage(page);
    }
  });

  it('an administrator invites a city coordinator, who sets a password, edits the city and signs out', async () => {
    const admin = await newPage(browser, { width: PHONE });
    const coordinator = await newPage(browser, { width: PHONE });
    const invitee = `coordinator-${Date.now()}@example.org`;
    try {
      await signIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD);
      await admin.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
      await checkA11y(admin);
      const width = await admin.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= PHONE, `the dashboard fits a ${PHONE} px screen (scrollWidth ${width})`);

      await admin.getByRole('link', { name: 'People and roles' }).click();
      await admin.waitForURL(/\/en\/coordinate\/people$/);
      await hydrated(admin);
      await checkA11y(admin);
      await admin.getByLabel('E-mail address').fill(invitee);
      await admin.getByLabel('Name').fill('Marta');
      await admin.getByLabel('Language of their mail').selectOption('en');
      await admin.getByLabel('Role').selectOption('city');
      await admin.getByLabel('City or cluster').fill('lucca');
      await admin.getByRole('button', { name: 'Grant role' }).click();
      await admin.getByText('The role has been granted.').waitFor();
      await admin.getByText(invitee).first().waitFor();

      await admin.goto(url('/en/coordinate/outbox'));
      await checkA11y(admin);
      const message = admin.locator('.outbox-message', { hasText: invitee }).first();
      await message.locator('summary').click();
      const text = await message.locator('pre').innerText();
      const link = text.match(/https?:\/\/\S+\/en\/account\/invitation\?token=[\w-]+/);
      assert.ok(link, `an invitation link in:\n${text}`);

      // The invitee opens the link on their phone.
      const invitation = new URL(link[0]);
      await coordinator.goto(url(invitation.pathname + invitation.search));
      await hydrated(coordinator);
      await checkA11y(coordinator);
      await coordinator.getByLabel('Name').fill('Marta Rossi');
      await coordinator.getByLabel('New password', { exact: true }).fill('a long and memorable password');
      await coordinator.getByLabel('New password again').fill('a long and memorable password');
      await coordinator.getByRole('button', { name: 'Create my account' }).click();
      await coordinator.waitForURL(/\/en\/coordinate$/);
      await coordinator.getByText('Signed in as Marta Rossi.').waitFor();
      await checkA11y(coordinator);

      await coordinator.getByRole('link', { name: 'Lucca', exact: true }).click();
      await coordinator.waitForURL(/\/en\/coordinate\/cities\/lucca/);
      await hydrated(coordinator);
      await checkA11y(coordinator);
      const about = `Lucca gathers schools, museums and associations around its pact (${Date.now()}).`;
      await coordinator.getByLabel('Description in English').fill(about);
      await coordinator.getByLabel('Web page').fill('not a web address');
      await coordinator.getByRole('button', { name: 'Save' }).click();
      await coordinator.getByText('Enter a web address starting with https:// or http://.').waitFor();
      assert.equal(await coordinator.getByLabel('Description in English').inputValue(), about, 'nothing typed is lost');
      await checkA11y(coordinator);
      await coordinator.getByLabel('Web page').fill('https://www.comune.lucca.it');
      await coordinator.getByRole('button', { name: 'Save' }).click();
      await coordinator.getByText('Saved.').waitFor();

      await coordinator.goto(url('/en/cities/lucca'));
      await coordinator.getByText(about).waitFor();

      await coordinator.goto(url('/en/coordinate'));
      await hydrated(coordinator);
      await coordinator.getByRole('button', { name: 'Sign out' }).click();
      await coordinator.waitForURL(/\/en\/account\/sign-in\?done=signed-out$/);
      await coordinator.getByText('You have signed out.').waitFor();
      await coordinator.goto(url('/en/coordinate'));
      await coordinator.getByRole('heading', { level: 1, name: 'Sign-in required' }).waitFor();

      // The administrator sees the change in the audit log.
      await admin.goto(url('/en/coordinate/audit'));
      await admin.getByText('city.update').first().waitFor();
      await checkA11y(admin);
      const real = (errors) => errors.filter((e) => !e.includes('favicon.ico') && !e.includes('status of 422') && !e.includes('status of 401'));
      assert.deepEqual(real(admin.consoleErrors), []);
      assert.deepEqual(real(coordinator.consoleErrors), []);
    } finally {
      await closePage(admin);
      await closePage(coordinator);
    }
  });
});
