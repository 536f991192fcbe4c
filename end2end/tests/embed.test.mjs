// Widgets on a municipal site: a sample host page served from another site (localhost on a
// port of its own, while the app is at 127.0.0.1) embeds them through the loader and as plain
// iframes, in a Chromium that blocks third-party cookies. A person registers for a meeting and
// signs the pact inside the widgets with JavaScript on and off; forms show only on origins the
// city allowed (added in the embed builder); coordinator pages refuse any frame; a message
// from another frame changes nothing.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {
  BASE_URL, browserForFile, checkA11y, url, mailTo, linkIn, ADMIN_EMAIL, ADMIN_PASSWORD, requireAdmin,
} from './helpers.mjs';

const PHONE = 360;
const unique = () => `${Date.now()}${Math.floor(Math.random() * 1e4)}`;
const someone = (who) => `${who}-${unique()}@example.org`;

/** The municipal site: pages registered by the tests, served at /p/<n>. */
const pages = [];
let hostServer;
let hostPort;
/** The host site's origin (another site than the app's 127.0.0.1). */
const host = () => `http://localhost:${hostPort}`;
/** A third origin on the same server, for the frame that forges messages. */
const forgerOrigin = () => `http://127.0.0.1:${hostPort}`;

function hostPage(body, { title = 'Comune di Lucca' } = {}) {
  pages.push(`<!doctype html><html lang="it"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>
<style>body{font-family:Georgia,serif;margin:1rem;background:#fffdf5}</style></head>
<body><h1>${title}</h1>${body}<p id="after">Fine della pagina del comune.</p></body></html>`);
  return `${host()}/p/${pages.length - 1}`;
}

const FORGER = `<!doctype html><html><body><script>
  window.heard = [];
  // What a widget would answer a hello with: its sizes.
  addEventListener('message', (ev) => ev.data && ev.data.lc === 'size' && window.heard.push(ev.data));
  window.forge = (id) => {
    parent.postMessage({ lc: 'size', id, height: 7 }, '*');
    for (let i = 0; i < parent.frames.length; i++) parent.frames[i].postMessage({ lc: 'hello', id: 'forged' }, '*');
  };
</script></body></html>`;

// Third-party cookies blocked, as Chrome does by default from its phase-out on.
const { withPage } = browserForFile({ args: ['--test-third-party-cookie-phaseout'] });

before(async () => {
  hostServer = http.createServer((req, res) => {
    const m = /^\/p\/(\d+)$/.exec(req.url);
    if (req.url === '/favicon.ico') {
      res.writeHead(204);
      return res.end();
    }
    if (req.url === '/forger') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(FORGER);
    }
    if (!m || !pages[m[1]]) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(pages[m[1]]);
  });
  await new Promise((r) => hostServer.listen(0, '127.0.0.1', r));
  hostPort = hostServer.address().port;
});
after(async () => {
  await new Promise((r) => hostServer?.close(r));
});

/** The loader's tag for a widget. */
const loader = (attrs) =>
  `<script src="${BASE_URL}/embed.js" ${Object.entries(attrs).map(([k, v]) => `data-${k}="${v}"`).join(' ')} async></script>`;

/** The widget frame of a host page whose iframe `src` contains `part`. */
async function widget(page, part) {
  const element = page.locator(`iframe[src*="${part}"]`);
  await element.waitFor();
  const handle = await element.elementHandle();
  const frame = await handle.contentFrame();
  // The loader sets the frame's address after the frame exists: until the widget's page (or
  // the browser's refusal of it) has arrived, the frame holds an empty document, 8 px tall,
  // that has already "loaded".
  await frame.waitForURL((address) => address.href !== 'about:blank');
  await frame.waitForLoadState('load');
  return { element, frame };
}

/** Waits until the iframe is as tall as its content (within a pixel). */
async function sized(element, frame) {
  let last;
  for (let i = 0; i < 100; i++) {
    const outer = await element.evaluate((e) => e.getBoundingClientRect().height);
    const inner = await frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
    last = { outer, inner };
    if (Math.abs(outer - inner) <= 1) return inner;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`the frame is as tall as its content: ${JSON.stringify(last)}`);
}

/** A date of a Lucca meeting whose registration is open. */
let meetingId;
async function openMeeting() {
  if (meetingId) return meetingId;
  const list = await (await fetch(url('/embed/it/calendar?city=lucca'))).text();
  const ids = [...new Set([...list.matchAll(/\/it\/meetings\/(\d+)/g)].map((m) => m[1]))];
  for (const id of ids) {
    const page = await (await fetch(url(`/embed/it/meetings/${id}`))).text();
    if (page.includes('action="/api/register"')) {
      meetingId = id;
      return id;
    }
  }
  assert.fail('a Lucca meeting open for registration');
}

async function signIn(page) {
  await page.goto(url('/en/account/sign-in'));
  await page.getByLabel('E-mail address', { exact: true }).fill(ADMIN_EMAIL);
  await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/en\/coordinate$/);
}

/** Fills the sign-up form (Italian labels) inside a frame. */
async function fillJoinForm(f, { name, email }) {
  await f.getByLabel("Nome dell'organizzazione").fill(name);
  await f.getByLabel('Forma giuridica').selectOption('association');
  await f.getByLabel('Settore', { exact: true }).selectOption('museums-culture');
  await f.getByLabel('Indirizzo', { exact: true }).fill('Via del Fosso 10, Lucca');
  await f.getByLabel('Referente').fill('Chiara Neri');
  await f.getByLabel('Indirizzo e-mail', { exact: true }).fill(email);
  await f.getByLabel('Legale rappresentante', { exact: true }).fill('Paolo Verdi');
  await f.getByLabel(/Dichiaro di poter firmare/).check();
  await f.getByLabel('Offrire occasioni di apprendimento aperte a tutti').check();
  // Listing is a choice the organisation makes: unticked until it does.
  await f.getByLabel(/Mostrare l'organizzazione nell'elenco pubblico/).check();
  await f.getByLabel("Ho letto l'informativa sulla privacy qui sotto.").check();
}

describe('widgets that only show', () => {
  it('load through the loader, two on one page, each sized to its content as it changes, themed and in Italian', async () => {
    const address = hostPage(
      loader({ widget: 'calendar', city: 'lucca', lang: 'it', accent: 'a61e4d', radius: '2', title: 'Incontri a Lucca' }) +
        loader({ widget: 'adherents', city: 'lucca', lang: 'en', theme: 'dark' }),
    );
    await withPage({ width: 1024 }, async (page) => {
      await page.goto(address);
      const calendar = await widget(page, '/embed/it/calendar');
      const adherents = await widget(page, '/embed/en/cities/lucca/pact/adherents');
      await calendar.frame.getByRole('heading', { level: 1, name: 'Incontri' }).waitFor();
      const tall = await sized(calendar.element, calendar.frame);
      const other = await sized(adherents.element, adherents.frame);
      assert.notEqual(tall, other, 'each frame has its own height');
      assert.equal(await calendar.element.getAttribute('title'), 'Incontri a Lucca');

      // Theme and language.
      assert.equal(await calendar.frame.evaluate(() => document.documentElement.lang), 'it');
      const link = calendar.frame.locator('.meeting-title a').first();
      assert.equal(await link.evaluate((a) => getComputedStyle(a).color), 'rgb(166, 30, 77)');
      assert.equal(await link.getAttribute('target'), null, 'a meeting opens on the full site…');
      assert.equal(await calendar.frame.evaluate(() => document.querySelector('base').target), '_top', '…in the top window');
      assert.equal(
        await adherents.frame.evaluate(() => getComputedStyle(document.body).backgroundColor),
        'rgb(17, 21, 28)',
        'the dark scheme asked for',
      );
      assert.equal(await adherents.frame.evaluate(() => document.documentElement.lang), 'en');

      // Content grows: the filters open, and then a filter applies inside the widget.
      await calendar.frame.locator('summary', { hasText: 'Filtri' }).click();
      const opened = await sized(calendar.element, calendar.frame);
      assert.ok(opened > tall, `taller with the filters open (${tall} → ${opened})`);
      await calendar.frame.getByLabel('Settore').selectOption('museums-culture');
      await calendar.frame.getByRole('button', { name: 'Mostra gli incontri' }).click();
      await calendar.frame.waitForURL(/sector=museums-culture/);
      assert.match(calendar.frame.url(), /\/embed\/it\/calendar\?.*city=lucca/);
      assert.match(calendar.frame.url(), /accent=a61e4d/, 'the theme stays');
      await sized(calendar.element, calendar.frame);
      // The host page kept its own style.
      assert.equal(await page.evaluate(() => getComputedStyle(document.body).fontFamily), 'Georgia, serif');
      assert.deepEqual(page.consoleErrors, []);
    });
  });

  it('work as plain iframes with the host page’s scripts off, and every link to a full page opens in the top window', async () => {
    const address = hostPage(
      `<iframe src="${url('/embed/it/map?cluster=entrepreneurship')}" title="Mappa" width="100%" height="600" style="border:0"></iframe>`,
    );
    await withPage({ width: PHONE, javaScriptEnabled: false }, async (page) => {
      await page.goto(address);
      const map = await widget(page, '/embed/it/map');
      await map.frame.getByRole('heading', { level: 1 }).waitFor();
      assert.ok((await map.frame.locator('.world-map svg').count()) > 0, 'the map is drawn by the server');
      // The credit links to the full page, in the top window.
      await map.frame.getByRole('link', { name: 'Learning City' }).click();
      await page.waitForURL(/\/it\/map\?cluster=entrepreneurship$/);
    });
  });

  it('refuse a value that could carry anything but a theme', async () => {
    const res = await fetch(url('/embed/en/calendar?accent=red;}body{display:none'));
    assert.equal(res.status, 400);
    const text = await res.text();
    assert.ok(!text.includes('display:none'), 'the value is not written back');
    assert.match(text, /accent/);
  });

  it('are framable by any site; form widgets by the site and allowed origins only; other pages by none', async () => {
    const meeting = await openMeeting();
    const policy = async (path) => (await fetch(url(path))).headers.get('content-security-policy');
    assert.match(await policy('/embed/en/calendar'), /frame-ancestors \*/);
    assert.match(await policy('/embed/en/map'), /frame-ancestors \*/);
    assert.match(await policy(`/embed/en/meetings/${meeting}`), /frame-ancestors 'self'/);
    assert.match(await policy('/embed/en/cities/lucca/pact/join'), /frame-ancestors 'self'/);
    for (const page of ['/en', '/en/embed', '/en/account/sign-in', '/en/coordinate', '/en/calendar']) {
      assert.match(await policy(page), /frame-ancestors 'none'/, page);
    }
  });
});

describe('widgets with a form', () => {
  it('a coordinator page refuses to be framed, and a form widget on a site not allowed is refused by the browser', async () => {
    const meeting = await openMeeting();
    const address = hostPage(
      `<iframe src="${url('/en/coordinate')}" title="Coordinamento"></iframe>` +
        loader({ widget: 'meeting', meeting, lang: 'it' }),
    );
    await withPage({ width: 1024 }, async (page) => {
      const refusals = [];
      page.on('console', (m) => refusals.push(m.text()));
      await page.goto(address);
      const coordinator = await widget(page, '/en/coordinate');
      const registration = await widget(page, `/embed/it/meetings/${meeting}`);
      await page.waitForTimeout(1000);
      for (const f of [coordinator.frame, registration.frame]) {
        assert.match(f.url(), /^chrome-error:/, 'the browser showed its error instead');
        assert.equal(await f.locator('form').count(), 0);
      }
      assert.ok(
        refusals.filter((t) => /frame-ancestors/.test(t)).length >= 2,
        `the browser says why: ${refusals.join('\n')}`,
      );
    });
  });

  it('the coordinator allows the site in the embed builder, and the builder shows the widget and its snippets', async () => {
    requireAdmin();
    const meeting = await openMeeting();
    await withPage({ width: 1280 }, async (page) => {
      await signIn(page);
      await page.goto(url(`/en/coordinate/embed?widget=meeting&city=lucca&meeting=${meeting}&wlang=it&accent=%23a61e4d`));
      const preview = page.locator('iframe.embed-preview');
      await preview.waitFor();
      assert.match(await preview.getAttribute('src'), new RegExp(`/embed/it/meetings/${meeting}\\?accent=a61e4d$`));
      const frame = await (await preview.elementHandle()).contentFrame();
      await frame.getByRole('button', { name: 'Iscriviti' }).waitFor();
      const script = await page.getByLabel('Snippet with the script (sizes itself)').inputValue();
      assert.equal(
        script,
        `<script src="${BASE_URL}/embed.js" data-widget="meeting" data-meeting="${meeting}" data-lang="it" data-accent="a61e4d" async></script>`,
      );
      assert.match(await page.getByLabel('Snippet without scripts (an iframe)').inputValue(), /^<iframe src=/);
      await checkA11y(page);

      // A bad address is named, then the host site is allowed.
      await page.getByLabel('Address of the site').fill('www.comune.lucca.it/eventi');
      await page.getByRole('button', { name: 'Allow this site' }).click();
      await page.locator('#field-origin-error', { hasText: /./ }).waitFor();
      await page.getByLabel('Address of the site').fill(`${host()}/`);
      await page.getByRole('button', { name: 'Allow this site' }).click();
      await page.getByText('The site was added: it can show the forms now.').waitFor();
      await page.locator('.origin-list code', { hasText: host() }).waitFor();
      await page.goto(url('/en/coordinate/audit'));
      await page.getByText('frame_origin.allow').first().waitFor();
    });
    const policy = (await fetch(url(`/embed/en/meetings/${meeting}`))).headers.get('content-security-policy');
    assert.match(policy, new RegExp(`frame-ancestors 'self'[^;]* ${host().replace(/\./g, '\\.')}(\\s|$)`));
  });

  it('with JavaScript: register inside the widget (a refusal grows the frame), third-party cookies blocked, same mail, personal link to the full site', async () => {
    const meeting = await openMeeting();
    const address = hostPage(loader({ widget: 'meeting', meeting, lang: 'it' }));
    await withPage({ width: PHONE }, async (page) => {
      await page.goto(address);
      const { element, frame } = await widget(page, `/embed/it/meetings/${meeting}`);
      await frame.getByRole('button', { name: 'Iscriviti' }).waitFor();
      assert.equal(
        await frame.evaluate(() => {
          document.cookie = 'probe=1; SameSite=None; Secure';
          document.cookie = 'probe2=1';
          return document.cookie;
        }),
        '',
        'the widget has no cookies to use',
      );
      const email = someone('widget-js');
      const short = await sized(element, frame);
      await frame.getByLabel('Nome', { exact: true }).fill('Lucia Ferri');
      await frame.getByLabel('Indirizzo e-mail', { exact: true }).fill(email);
      await frame.getByRole('button', { name: 'Iscriviti' }).click();
      await frame.getByText('Spunta questa casella per iscriverti.').waitFor();
      const longer = await sized(element, frame);
      assert.ok(longer > short, `the refusal grows the frame (${short} → ${longer})`);
      assert.equal(await frame.getByLabel('Indirizzo e-mail', { exact: true }).inputValue(), email);

      const before = Date.now() - 1000;
      await frame.locator('#field-consent').check();
      await frame.getByRole('button', { name: 'Iscriviti' }).click();
      await frame.getByText("Quasi fatto: apri il link nell'e-mail che ti abbiamo inviato per confermare l'iscrizione.").waitFor();
      assert.match(frame.url(), /\/embed\/it\/meetings\/\d+\?done=check-mail/);
      await sized(element, frame);
      const mail = await mailTo(email, { after: before });
      assert.match(mail.subject, /^Conferma la tua iscrizione/);
      // The personal link opens the full site, not the widget.
      assert.match(linkIn(mail, '/it/registration'), /^\/it\/registration\?token=/);
      assert.deepEqual(page.consoleErrors.filter((e) => !/status of 422/.test(e)), []);
    });
  });

  it('without JavaScript: register and sign the pact inside plain iframes', async () => {
    const meeting = await openMeeting();
    const address = hostPage(
      `<iframe src="${url(`/embed/it/meetings/${meeting}`)}" title="Iscrizione" width="100%" height="900"></iframe>` +
        `<iframe src="${url('/embed/it/cities/lucca/pact/join')}" title="Adesione" width="100%" height="900"></iframe>`,
    );
    // The sign-up form is allowed by the city's list too (the origin added above).
    await withPage({ width: PHONE, javaScriptEnabled: false }, async (page) => {
      await page.goto(address);
      const reg = await widget(page, `/embed/it/meetings/${meeting}`);
      const email = someone('widget-nojs');
      const before = Date.now() - 1000;
      await reg.frame.getByLabel('Nome', { exact: true }).fill('Piero Gori');
      await reg.frame.getByLabel('Indirizzo e-mail', { exact: true }).fill(email);
      await reg.frame.getByRole('button', { name: 'Iscriviti' }).click();
      await reg.frame.getByText('Spunta questa casella per iscriverti.').waitFor();
      assert.equal(await reg.frame.getByLabel('Nome', { exact: true }).inputValue(), 'Piero Gori');
      await reg.frame.locator('#field-consent').check();
      await reg.frame.getByRole('button', { name: 'Iscriviti' }).click();
      await reg.frame.getByText("Quasi fatto: apri il link nell'e-mail che ti abbiamo inviato per confermare l'iscrizione.").waitFor();
      assert.equal(new URL(page.url()).origin, host(), 'the host page stayed');
      const mail = await mailTo(email, { after: before });
      assert.match(mail.subject, /^Conferma la tua iscrizione/);

      const pact = await widget(page, '/embed/it/cities/lucca/pact/join');
      const org = someone('scuola');
      await fillJoinForm(pact.frame, { name: `Scuola nel widget ${unique()}`, email: org });
      await pact.frame.getByRole('button', { name: "Invia l'adesione" }).click();
      await pact.frame.getByText("Quasi fatto: aprite il link nell'e-mail che vi abbiamo inviato per confermare l'adesione.").waitFor();
      assert.match(pact.frame.url(), /\/embed\/it\/cities\/lucca\/pact\/join\?done=check-mail/);
      const receipt = await mailTo(org, { after: before });
      assert.ok(receipt.text.includes('/it/pact/confirm?token='), 'the mail links to the full site');
    });
  });

  it('with JavaScript: sign the pact inside the loader’s widget', async () => {
    const address = hostPage(loader({ widget: 'pact', city: 'lucca', lang: 'it', density: 'compact' }));
    await withPage({ width: PHONE }, async (page) => {
      await page.goto(address);
      const { element, frame } = await widget(page, '/embed/it/cities/lucca/pact/join');
      const org = someone('associazione');
      const before = Date.now() - 1000;
      await fillJoinForm(frame, { name: `Associazione nel widget ${unique()}`, email: org });
      await frame.getByRole('button', { name: "Invia l'adesione" }).click();
      await frame.getByText("Quasi fatto: aprite il link nell'e-mail che vi abbiamo inviato per confermare l'adesione.").waitFor();
      await sized(element, frame);
      const receipt = await mailTo(org, { after: before });
      assert.ok(receipt.text.includes('/it/pact/confirm?token='));
    });
  });

  it('a message from another frame neither resizes a widget nor gets an answer from it', async () => {
    const address = hostPage(
      loader({ widget: 'calendar', city: 'lucca', lang: 'en' }) +
        `<iframe src="${forgerOrigin()}/forger" title="Altro"></iframe>`,
    );
    await withPage({ width: 1024 }, async (page) => {
      await page.goto(address);
      const { element, frame } = await widget(page, '/embed/en/calendar');
      const height = await sized(element, frame);
      const id = await element.getAttribute('data-lc');
      assert.ok(id, 'the loader names its frame');
      const forger = page.frames().find((f) => f.url().endsWith('/forger'));
      await forger.evaluate((id) => window.forge(id), id);
      // The host page itself posting to itself is not the widget either.
      await page.evaluate((id) => window.postMessage({ lc: 'size', id, height: 9 }, '*'), id);
      await page.waitForTimeout(500);
      assert.equal(await element.evaluate((e) => e.getBoundingClientRect().height), height);
      assert.deepEqual(await forger.evaluate(() => window.heard), [], 'the widget answers its host only');
    });
  });
});

describe('every widget, both ways', () => {
  it('each loads through the loader (sized to its content) and as a plain iframe', async () => {
    const meeting = await openMeeting();
    const list = await (await fetch(url('/embed/it/cities/lucca/pact/adherents'))).text();
    const adherent = /\/it\/cities\/lucca\/pact\/adherents\/(\d+)/.exec(list)?.[1];
    // The loader's attributes, the widget's address, and what shows inside.
    const widgets = [
      [{ widget: 'calendar', cluster: 'entrepreneurship', view: 'month' }, '/embed/en/calendar?cluster=entrepreneurship&view=month', 'h2.calendar-range'],
      [{ widget: 'meeting', meeting }, `/embed/en/meetings/${meeting}`, 'form[action="/api/register"]'],
      [{ widget: 'map', cluster: 'literacy' }, '/embed/en/map?cluster=literacy', '.world-map svg'],
      [{ widget: 'map', city: 'lucca' }, '/embed/en/cities/lucca/map', '.places-plot'],
      [{ widget: 'pact', city: 'lucca' }, '/embed/en/cities/lucca/pact/join', 'form[action="/api/pact_join"]'],
      [{ widget: 'adherents', city: 'lucca' }, '/embed/en/cities/lucca/pact/adherents', '.adherent-list'],
      [{ widget: 'badge', city: 'lucca', adherent }, `/embed/en/cities/lucca/pact/adherents/${adherent}`, '.embed-badge img'],
    ];
    await withPage({ width: PHONE }, async (page) => {
      for (const [attrs, path, inside] of widgets) {
        await page.goto(hostPage(loader({ ...attrs, lang: 'en' })));
        const loaded = await widget(page, path);
        assert.equal(new URL(loaded.frame.url()).pathname + new URL(loaded.frame.url()).search, path);
        await loaded.frame.locator(inside).first().waitFor();
        await sized(loaded.element, loaded.frame);

        await page.goto(hostPage(`<iframe src="${url(path)}" title="Widget" width="100%" height="600"></iframe>`));
        const plain = await widget(page, path);
        await plain.frame.locator(inside).first().waitFor();
      }
      assert.deepEqual(page.consoleErrors, []);
    });
  });
});

describe('accessibility inside each widget', () => {
  it('axe-core finds nothing at 360 px, with and without JavaScript', async () => {
    const meeting = await openMeeting();
    const adherents = await (await fetch(url('/embed/it/cities/lucca/pact/adherents'))).text();
    const adherent = /\/it\/cities\/lucca\/pact\/adherents\/(\d+)/.exec(adherents)?.[1];
    assert.ok(adherent, 'Lucca has adherents');
    const widgets = [
      `/embed/it/cities/lucca/pact/adherents/${adherent}`,
      '/embed/it/calendar?city=lucca',
      `/embed/it/meetings/${meeting}`,
      '/embed/en/map?cluster=entrepreneurship',
      '/embed/it/cities/lucca/map',
      '/embed/it/cities/lucca/pact/join',
      '/embed/en/cities/lucca/pact/adherents?theme=dark',
      '/en/embed',
    ];
    for (const javaScriptEnabled of [true, false]) {
      await withPage({ width: PHONE, javaScriptEnabled }, async (page) => {
        for (const path of widgets) {
          const res = await page.goto(url(path));
          assert.equal(res.status(), 200, path);
          await checkA11y(page);
        }
      });
    }
  });
});
