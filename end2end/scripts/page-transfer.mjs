// Bytes a phone actually transfers to show and hydrate a page, JavaScript on: the document and
// every resource it loads until the network is idle (including WebAssembly chunks fetched at
// run time, which bench/page-weight.sh, reading only <head>, cannot see).
// Usage: BASE_URL=http://127.0.0.1:3000 node scripts/page-transfer.mjs /en [BUDGET_BYTES]
import { launch, newPage, url } from '../tests/helpers.mjs';

const path = process.argv[2] || '/en';
const budget = Number(process.argv[3] || 400000);
const browser = await launch();
const page = await newPage(browser, { width: 360 });
await page.goto(url(path), { waitUntil: 'networkidle' });
const entries = await page.evaluate(() =>
  [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')].map((e) => ({
    name: new URL(e.name).pathname,
    bytes: e.encodedBodySize,
  })),
);
await browser.close();
let total = 0;
let reading = 0;
for (const e of entries) {
  total += e.bytes;
  if (!/\.(js|wasm)$/.test(e.name)) reading += e.bytes;
  console.log(`${e.name.padEnd(70)} ${String(e.bytes).padStart(8)} B`);
}
// What a phone needs to read the page before any script runs: HTML, CSS, images.
console.log(`${'without scripts (HTML, CSS, images)'.padEnd(70)} ${String(reading).padStart(8)} B`);
console.log(`${'total (bodies as transferred)'.padEnd(70)} ${String(total).padStart(8)} B  (budget ${budget} B)`);
process.exit(total > budget ? 1 : 0);
