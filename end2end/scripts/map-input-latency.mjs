// How quickly the live network map answers pan and zoom in Chromium: for each input (a key
// press, a wheel turn, a drag step), the time from the event's timestamp to the first frame
// painted after the map's viewBox changed; and the frame rate while a drag pans the map.
// Headless Chromium on the benchmark machine, no GPU: an upper bound for a real browser.
// Usage: BASE_URL=http://127.0.0.1:3000 node scripts/map-input-latency.mjs [/en/map] [ROUNDS=40]
import { launch, newPage, url, hydrated } from '../tests/helpers.mjs';

const path = process.argv[2] || '/en/map';
const rounds = Number(process.argv[3] || 40);
const browser = await launch();
const page = await newPage(browser, { width: 1280 });
await page.goto(url(path));
await hydrated(page);
await page.locator('.map-tools button').first().waitFor();
const svg = page.locator('svg.world-map__svg');

// Inside the page: every input's timestamp, and the frame after the viewBox next changes.
await page.evaluate(() => {
  const el = document.querySelector('svg.world-map__svg');
  window.__latency = [];
  let pending = null;
  const mark = (e) => {
    pending = e.timeStamp;
  };
  for (const type of ['keydown', 'wheel', 'pointermove']) el.addEventListener(type, mark, { capture: true });
  new MutationObserver(() => {
    if (pending === null) return;
    const at = pending;
    pending = null;
    requestAnimationFrame((frame) => window.__latency.push(frame - at));
  }).observe(el, { attributes: true, attributeFilter: ['viewBox'] });
});

async function collect(label, act) {
  await page.evaluate(() => {
    window.__latency = [];
  });
  for (let i = 0; i < rounds; i += 1) await act(i);
  await page.waitForTimeout(100);
  const samples = (await page.evaluate(() => window.__latency)).sort((a, b) => a - b);
  const at = (p) => samples[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))];
  console.log(
    `${label.padEnd(28)} ${String(samples.length).padStart(4)} inputs  p50 ${at(50).toFixed(1)} ms  p95 ${at(95).toFixed(1)} ms  max ${samples[samples.length - 1].toFixed(1)} ms`,
  );
}

await svg.focus();
await collect('keyboard zoom (+ / -)', (i) => page.keyboard.press(i % 2 ? '-' : '+'));
await page.keyboard.press('+');
await collect('keyboard pan (arrows)', (i) => page.keyboard.press(i % 2 ? 'ArrowLeft' : 'ArrowRight'));
await page.keyboard.press('0');
const box = await svg.boundingBox();
const cx = box.x + box.width / 2;
const cy = box.y + box.height / 2;
await page.mouse.move(cx, cy);
await collect('wheel zoom', (i) => page.mouse.wheel(0, i % 2 ? 120 : -120));
await page.keyboard.press('+');
await page.mouse.move(cx, cy);
await page.mouse.down();
await collect('drag pan (mouse)', (i) => page.mouse.move(cx + ((i % 20) - 10) * 8, cy));

// Frame rate while dragging continuously: frames painted per second of dragging.
const fps = await page.evaluate(async () => {
  const el = document.querySelector('svg.world-map__svg');
  const r = el.getBoundingClientRect();
  let frames = 0;
  let running = true;
  const tick = () => {
    frames += 1;
    if (running) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const start = performance.now();
  let x = 0;
  while (performance.now() - start < 2000) {
    x = (x + 4) % 200;
    el.dispatchEvent(
      new PointerEvent('pointermove', {
        pointerId: 1, pointerType: 'mouse', buttons: 1, clientX: r.left + r.width / 2 + x - 100, clientY: r.top + r.height / 2, bubbles: true,
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 8));
  }
  running = false;
  return (frames * 1000) / (performance.now() - start);
});
await page.mouse.up();
console.log(`${'frames while dragging'.padEnd(28)} ${fps.toFixed(1)} frames/s`);
console.log(`console errors: ${page.consoleErrors.length}`);
await browser.close();
