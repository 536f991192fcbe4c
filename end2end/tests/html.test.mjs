// The HTML every kind of page sends, as the server sends it, passes the Nu HTML checker (vnu, the
// W3C's validator, run locally from the vnu-jar package with the machine's Java), apart from the
// `<!>` comments Leptos leaves as its markers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import vnuJar from 'vnu-jar';
import { url } from './helpers.mjs';

const run = promisify(execFile);

const PAGES = [
  '/en',
  '/it/map',
  '/en/cities',
  '/it/cities?q=camara',
  '/en/map?cluster=entrepreneurship&q=chengdu',
  '/en/calendar',
  '/it/calendar?view=month',
  '/en/calendar?view=week',
  '/en/pact',
  '/en/clusters/entrepreneurship',
  '/en/clusters/entrepreneurship/practices',
  '/it/cities/lucca',
  '/it/cities/lucca/map',
  '/it/cities/lucca/calendar',
  '/it/cities/lucca/pact',
  '/it/cities/lucca/pact/join',
  '/en/account/sign-in',
  '/en/coordinate',
  '/en/no-such-page',
  '/en/embed',
  '/embed/it/calendar?city=lucca&accent=a61e4d&theme=dark',
  '/embed/en/map?cluster=entrepreneurship',
  '/embed/it/cities/lucca/pact/join?font=Georgia&radius=4',
  '/embed/it/cities/lucca/pact/adherents',
];

/** Leptos's markers: `<!>`, which the checker reads as a bogus comment. */
const isLeptosMarker = (m) => /bogus comment/i.test(m.message) && (m.extract ?? '').includes('<!>');

describe('the Nu HTML checker', () => {
  it('finds no error in the HTML of any kind of page', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lc-html-'));
    try {
      const files = [];
      const calendar = await (await fetch(url('/en/cities/lucca/calendar'))).text();
      const meeting = calendar.match(/href="(\/en\/meetings\/\d+)"/)?.[1];
      assert.ok(meeting, 'a meeting on the calendar');
      for (const path of [...PAGES, meeting, meeting.replace('/en/', '/embed/en/')]) {
        const res = await fetch(url(path));
        const file = join(dir, `${files.length}.html`);
        await writeFile(file, await res.text());
        files.push({ path, file });
      }
      // One Java start for every page. Exit status 1 means "errors found": read the report.
      const { stdout, stderr } = await run('java', ['-jar', vnuJar, '--format', 'json', '--exit-zero-always', ...files.map((f) => f.file)], {
        maxBuffer: 64 * 1024 * 1024,
      });
      const report = JSON.parse(stdout || stderr);
      const problems = report.messages
        .filter((m) => m.type === 'error' && !isLeptosMarker(m))
        .map((m) => {
          const name = (m.url ?? '').split('/').pop();
          const page = files.find((f) => f.file.split('/').pop() === name)?.path ?? m.url;
          return `${page}:${m.lastLine}: ${m.message} — ${(m.extract ?? '').replace(/\s+/g, ' ').slice(0, 120)}`;
        });
      assert.deepEqual(problems, [], `the checker's errors:\n${problems.join('\n')}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
