// Takes the README's screenshot: the home page on a phone-sized screen.
// Usage: BASE_URL=http://127.0.0.1:3000 node scripts/screenshot.mjs ../docs/screenshot-home.png
import { launch } from '../tests/helpers.mjs';

const out = process.argv[2] ?? '../docs/screenshot-home.png';
const base = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  await page.goto(`${base}/en`, { waitUntil: 'networkidle' });
  await page.screenshot({ path: out, fullPage: false });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}
