// Two timings of the widgets on a host page of another site (localhost, while the app is at
// 127.0.0.1), through the loader:
//  - resize: how long after the widget's content changes the host's iframe has the new height
//    (the widget stamps the change, the host stamps the frame's resize; both clocks are
//    performance.timeOrigin + now, shared by the machine), over N changes;
//  - usable form: from the host page's navigation to the registration's submit button being
//    visible inside the widget, on Lighthouse's throttled mobile profile (150 ms round trip,
//    1.6 Mbit/s down, 750 kbit/s up, CPU 4x slower), first visit, nothing cached. The frame
//    runs in the page's process (site isolation off), so the throttling covers it too.
//
// The meeting's city (or the network) must allow http://localhost:HOST_PORT to frame its form.
//
// Usage: BASE_URL=http://127.0.0.1:3000 HOST_PORT=… node scripts/embed-timing.mjs MEETING_ID [N] [--json FILE]
import http from 'node:http';
import { writeFileSync } from 'node:fs';
import { BASE_URL, launch } from '../tests/helpers.mjs';

const args = process.argv.slice(2);
const jsonAt = args.indexOf('--json');
const json = jsonAt >= 0 ? args.splice(jsonAt, 2)[1] : null;
const meeting = args[0];
const samples = Number(args[1] || 20);
if (!meeting) {
  console.error('usage: node scripts/embed-timing.mjs MEETING_ID [N] [--json FILE]');
  process.exit(2);
}

const pages = {};
const server = http.createServer((req, res) => {
  const body = pages[req.url];
  res.writeHead(body ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
  res.end(body || '');
});
await new Promise((r) => server.listen(Number(process.env.HOST_PORT || 0), '127.0.0.1', r));
const host = `http://localhost:${server.address().port}`;
const page = (name, widget) => {
  pages[`/${name}`] = `<!doctype html><html lang="it"><head><meta charset="utf-8"><title>Comune</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body><h1>Comune</h1>
<script src="${BASE_URL}/embed.js" ${widget} data-lang="it" async></script></body></html>`;
  return `${host}/${name}`;
};

const browser = await launch(['--disable-features=IsolateOrigins,site-per-process', '--disable-site-isolation-trials']);
const result = { resize_ms: [], usable_ms: null };
try {
  // Resize.
  {
    const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
    const tab = await context.newPage();
    await tab.goto(page('calendar', 'data-widget="calendar" data-city="lucca"'));
    const element = tab.locator('iframe');
    await element.waitFor();
    const frame = await (await element.elementHandle()).contentFrame();
    await frame.waitForLoadState('load');
    await tab.waitForFunction(() => {
      const f = document.querySelector('iframe');
      return f && f.getBoundingClientRect().height !== 480;
    });
    for (let i = 0; i < samples; i++) {
      const resized = tab.evaluate(
        () =>
          new Promise((resolve) => {
            const f = document.querySelector('iframe');
            const before = f.getBoundingClientRect().height;
            new ResizeObserver((entries, observer) => {
              if (f.getBoundingClientRect().height !== before) {
                observer.disconnect();
                resolve(performance.timeOrigin + performance.now());
              }
            }).observe(f);
          }),
      );
      await tab.waitForTimeout(50);
      const changed = await frame.evaluate(
        () =>
          new Promise((resolve) => {
            requestAnimationFrame(() => {
              const details = document.querySelector('details');
              details.open = !details.open;
              resolve(performance.timeOrigin + performance.now());
            });
          }),
      );
      result.resize_ms.push((await resized) - changed);
    }
    await context.close();
  }
  // Usable form.
  {
    const context = await browser.newContext({ viewport: { width: 360, height: 800 }, isMobile: true });
    const tab = await context.newPage();
    const cdp = await context.newCDPSession(tab);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 150,
      downloadThroughput: (1.6 * 1024 * 1024) / 8,
      uploadThroughput: (750 * 1024) / 8,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const address = page('meeting', `data-widget="meeting" data-meeting="${meeting}"`);
    const started = Date.now();
    await tab.goto(address, { waitUntil: 'commit' });
    const frame = await (await tab.locator('iframe').elementHandle()).contentFrame();
    await frame.locator('form[action="/api/register"] button[type=submit]').waitFor({ state: 'visible', timeout: 60_000 });
    result.usable_ms = Date.now() - started;
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
const sorted = [...result.resize_ms].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
const max = sorted[sorted.length - 1];
const frame = 1000 / 60;
// The content changes at the start of a frame; the host shows the new height in the frame after
// it at best (the height crosses processes between the two): under two frames is "the next one".
const frames = (ms) => Math.ceil(ms / frame) - 1;
console.log(
  `resize after a content change (${samples} changes): median ${median.toFixed(1)} ms, max ${max.toFixed(1)} ms ` +
    `(a frame is ${frame.toFixed(1)} ms: the host shows the new height ${frames(max)} frame(s) after the change's)`,
);
console.log(`registration form usable on the throttled mobile profile: ${result.usable_ms} ms after navigation`);
if (json) {
  const row = { resize_median_ms: median, resize_max_ms: max, resize_frames: frames(max), usable_ms: result.usable_ms };
  writeFileSync(json, JSON.stringify(row) + '\n');
}
