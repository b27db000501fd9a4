#!/usr/bin/env node
// accord's sites in a real browser: what a practitioner sees and does, checked in headless
// Chromium over http and from disk.
//
//   node tests/browser/e2e.mjs --http http://127.0.0.1:PORT/ --file file:///…/index.html \
//        [--bundle file:///…/index.html] [--screenshots DIR] [--only e2e,search,reading,a11y,shots]
//
// Either address may be left out. Exit status 0 when every check passed, 1 otherwise.
// A site without the search UI (assets/search.js) fails the search tests.

import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs, launch, Site, Runner, searchPresent } from './lib.mjs';
import { siteSuite } from './site.mjs';
import { searchSuite } from './search.mjs';
import { a11ySuite } from './a11y.mjs';
import { screenshotSuite } from './shots.mjs';
import { readingSuite } from './reading.mjs';

const args = parseArgs(process.argv.slice(2));
const only = new Set(String(args.only || 'e2e,search,reading,a11y,shots').split(','));

const sites = [];
if (args.http) sites.push(new Site('http', args.http));
if (args.file) sites.push(new Site('file', args.file));
// An unzipped `accord bundle`, opened from disk with the network off.
if (args.bundle) sites.push(new Site('file', args.bundle, 'bundle'));
if (!sites.length) {
  console.error('usage: e2e.mjs [--http URL] [--file file:///…/index.html] [--bundle file:///…/index.html] [--screenshots DIR] [--only e2e,search,reading,a11y,shots]');
  process.exit(2);
}

// The folder the site was built into, when known, tells whether search is part of it.
const fileSite = sites.find((s) => s.kind === 'file');
let hasSearch;
if (fileSite) {
  hasSearch = searchPresent(fileSite.dir);
} else {
  try {
    const r = await fetch(new URL('assets/search.js', sites[0].base));
    hasSearch = r.ok && (await r.text()).length > 200;
  } catch {
    hasSearch = false;
  }
}

// The whole run has a hard limit, so a hung browser can never hang the test suite. Each check
// has its own limit (Runner.test), so this one only has to allow for a slow machine: on two
// slow cores, beside the other browser tests, the whole run took more than 14 minutes.
const LIMIT_MS = Number(process.env.ACCORD_BROWSER_LIMIT_MS || 25 * 60_000);
const watchdog = setTimeout(() => {
  console.log(`not ok - the browser tests did not finish within ${LIMIT_MS} ms`);
  process.exit(1);
}, LIMIT_MS);
watchdog.unref();

const R = new Runner();
const browser = await launch();
console.log(`# Chromium ${browser.version()}; search UI ${hasSearch ? 'present' : 'not present'}`);
const opts = { hasSearch, screenshots: args.screenshots, siteDir: fileSite ? fileSite.dir : null };
try {
  for (const site of sites) {
    console.log(`# ${site}`);
    if (only.has('e2e')) await siteSuite(R, browser, site, opts);
    if (only.has('search')) await searchSuite(R, browser, site, opts);
    if (only.has('reading')) await readingSuite(R, browser, site, opts);
  }
  // Accessibility and screenshots look the same over http and from disk: once is enough,
  // over http when there is one.
  const main = sites.find((s) => s.kind === 'http') || sites[0];
  if (only.has('a11y')) await a11ySuite(R, browser, main, opts);
  if (only.has('shots') && args.screenshots) await screenshotSuite(R, browser, main, opts);
} finally {
  await browser.close().catch(() => {});
}
const ok = R.summary();
process.exit(ok ? 0 : 1);
