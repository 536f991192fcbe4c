// What a phone downloads on a first visit to each page, as it receives it: Chromium (360 px, a
// new profile per page, so nothing is cached) loads the page until the network is idle and
// lists every file it asked for, WebAssembly fetched at run time included; each file is then
// fetched again with `Accept-Encoding: br, gzip` and weighed as the server sends it (Chromium
// asks for brotli only over https, so its own figures would be gzip's). A second load with
// JavaScript off gives what the page weighs before any script, and must fetch no WebAssembly.
//
// Usage: BASE_URL=http://127.0.0.1:3000 node scripts/first-visit.mjs [--json FILE] PATH…
// Prints one table row per page; with --json, also writes one JSON object per page and line to
// FILE (what the benchmarks in bench/ read).
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { BASE_URL, hydrated, launch, newPage, url } from '../tests/helpers.mjs';

const args = process.argv.slice(2);
const json = args[0] === '--json' ? args[1] : null;
const paths = json ? args.slice(2) : args;

/** Bytes of the body as sent with brotli accepted, and its encoding. */
function weigh(address) {
  return new Promise((resolve, reject) => {
    const req = http.get(address, { headers: { 'accept-encoding': 'br, gzip' } }, (res) => {
      let bytes = 0;
      res.on('data', (chunk) => (bytes += chunk.length));
      res.on('end', () =>
        resolve({ status: res.statusCode, bytes, encoding: res.headers['content-encoding'] || 'identity' }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

const kindOf = (path, type) => {
  if (/\.wasm$/.test(path)) return 'wasm';
  if (type === 'script' || /\.m?js$/.test(path)) return 'js';
  if (type === 'stylesheet' || /\.css$/.test(path)) return 'css';
  if (type === 'document') return 'html';
  if (type === 'fetch' || type === 'xhr') return 'data';
  return 'other';
};

/** Every request of one load of `path`, as [{ path, kind }], in order. */
async function requests(browser, path, javaScriptEnabled) {
  const page = await newPage(browser, { width: 360, javaScriptEnabled });
  const seen = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.origin === new URL(BASE_URL).origin) seen.push({ path: u.pathname + u.search, kind: kindOf(u.pathname, r.resourceType()) });
  });
  await page.goto(url(path), { waitUntil: 'networkidle' });
  // A map page fetches its script and data once the page has loaded: those requests too.
  if (javaScriptEnabled) await hydrated(page);
  await page.context().close();
  return seen;
}

const browser = await launch();
const rows = [];
try {
  for (const path of paths) {
    const on = await requests(browser, path, true);
    const off = await requests(browser, path, false);
    const sum = { html: 0, css: 0, js: 0, wasm: 0, data: 0, other: 0 };
    const weights = new Map();
    for (const r of [...on, ...off]) {
      if (weights.has(r.path)) continue;
      const w = await weigh(BASE_URL + r.path);
      if (w.status !== 200) throw new Error(`${r.path} (from ${path}) answered ${w.status}`);
      weights.set(r.path, w.bytes);
    }
    for (const r of on) sum[r.kind] += weights.get(r.path);
    const bundle = on.filter((r) => r.kind === 'wasm' || (r.kind === 'js' && r.path.startsWith('/pkg/')));
    const total = Object.values(sum).reduce((a, b) => a + b, 0);
    const beforeScripts = off.reduce((a, r) => a + weights.get(r.path), 0);
    rows.push({
      path,
      requests: on.length,
      ...sum,
      total,
      // The WebAssembly bundle and its JavaScript glue (/pkg/…); navigation.js is not part of it.
      wasm_code: bundle.reduce((a, r) => a + weights.get(r.path), 0),
      code_requests: bundle.length,
      wasm_files: on.filter((r) => r.kind === 'wasm').map((r) => r.path),
      before_scripts: beforeScripts,
      no_js_requests: off.length,
      no_js_code: off.filter((r) => r.kind === 'wasm' || r.kind === 'js').length,
    });
  }
} finally {
  await browser.close();
}

if (json) writeFileSync(json, rows.map((r) => JSON.stringify(r) + '\n').join(''));
const kb = (n) => (n / 1000).toFixed(1);
console.log(
  ['page'.padEnd(40), 'req', 'html', 'css', 'js', 'wasm', 'data', 'other', 'total', 'no-js'].map((h, i) => (i ? h.padStart(7) : h)).join(''),
);
for (const r of rows) {
  console.log(
    r.path.slice(0, 39).padEnd(40) +
      [r.requests, kb(r.html), kb(r.css), kb(r.js), kb(r.wasm), kb(r.data), kb(r.other), kb(r.total), kb(r.before_scripts)]
        .map((v) => String(v).padStart(7))
        .join(''),
  );
}
console.log('(KB as sent with brotli accepted; no-js: the page with JavaScript off, before any script)');
