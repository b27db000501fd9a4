// Shared helpers for accord's browser tests: launching Debian's Chromium through
// playwright-core, a tiny test runner with a time limit on every test, and the checks that
// every page must pass (no console errors, no request that leaves the site).

import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const CHROMIUM = process.env.ACCORD_CHROMIUM || '/usr/bin/chromium';

/** `--http URL --file URL --screenshots DIR --only NAME` into an object. */
export function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const key = a.slice(2);
    const val = argv[i + 1];
    if (val === undefined || val.startsWith('--')) {
      out[key] = true;
    } else {
      out[key] = val;
      i++;
    }
  }
  return out;
}

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    // Playwright starts Chromium with a fresh temporary profile and removes it afterwards.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-default-apps',
      '--disable-extensions',
      // Belt and braces: no host name resolves, so nothing can leave the machine even if a
      // request slipped past the route handler below. Loopback addresses are not names.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
    timeout: 30_000,
  });
}

/**
 * One place the built site is reachable: over http (`http://127.0.0.1:PORT/`) or from disk
 * (`file:///…/`). `url('a/b.html')` gives the address of a file in it.
 */
export class Site {
  constructor(kind, entry, label = kind) {
    this.kind = kind;
    this.label = label;
    // Whatever is given (the index.html or the folder), the base is the folder, ending in '/'.
    let base = entry;
    if (!base.endsWith('/')) base = base.slice(0, base.lastIndexOf('/') + 1);
    this.base = base;
    this.dir = kind === 'file' ? fileURLToPath(base) : null;
  }
  url(rel = 'index.html') {
    return new URL(rel, this.base).href;
  }
  /** Path of a URL relative to the site, without query or fragment. */
  rel(u) {
    const s = u.split('#')[0].split('?')[0];
    return s.startsWith(this.base) ? decodeURIComponent(s.slice(this.base.length)) : null;
  }
  /** Is a request to this URL allowed: inside the site (or data:/blob: made by the page)? */
  allows(u) {
    return u.startsWith(this.base) || u.startsWith('data:') || u.startsWith('blob:') || u === 'about:blank';
  }
  toString() {
    return `${this.label} ${this.base}`;
  }
}

export function siteFromFolder(dir) {
  return new Site('file', pathToFileURL(path.resolve(dir)).href + '/');
}

/**
 * A browser context whose every request is recorded; a request outside the site is
 * recorded as a violation and aborted, so the page sees a network that is not there.
 */
export async function newContext(browser, site, options = {}) {
  // A site opened from disk must work with the network switched off.
  const offline = site.kind === 'file';
  const ctx = await browser.newContext({ serviceWorkers: 'block', offline, ...options });
  ctx.setDefaultTimeout(10_000);
  ctx.setDefaultNavigationTimeout(20_000);
  ctx.accord = { site, outside: [], requests: [] };
  await ctx.route('**/*', (route) => {
    const u = route.request().url();
    ctx.accord.requests.push(u);
    if (site.allows(u)) return route.continue();
    ctx.accord.outside.push(u);
    return route.abort('blockedbyclient');
  });
  return ctx;
}

/** A page that records console errors, uncaught exceptions and failed loads. */
export async function newPage(ctx) {
  const page = await ctx.newPage();
  const problems = [];
  page.accord = { problems, ctx };
  page.on('console', (m) => {
    if (m.type() === 'error') {
      const loc = m.location();
      problems.push(`console error: ${m.text()}${loc && loc.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
    }
  });
  page.on('pageerror', (e) => problems.push(`uncaught exception: ${e.message}`));
  page.on('requestfailed', (r) => {
    const u = r.url();
    const why = r.failure()?.errorText || '';
    // ERR_ABORTED is a load the page itself gave up on, e.g. the preview server's reload
    // stream when the reader follows a link.
    if (ctx.accord.site.allows(u) && !why.includes('ERR_ABORTED')) problems.push(`failed to load ${u}: ${why}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  page.on('dialog', (d) => {
    problems.push(`unexpected dialog: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  return page;
}

/** Throws if the page logged an error or anything asked for a URL outside the site. */
export function assertClean(page, { ignore = [] } = {}) {
  const ctx = page.accord.ctx;
  const bad = page.accord.problems.filter((p) => !ignore.some((re) => re.test(p)));
  const outside = ctx.accord.outside.map((u) => `request outside the site: ${u}`);
  const all = [...bad, ...outside];
  if (all.length) throw new Error(all.join('\n'));
}

export function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

export function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** A minimal TAP-like runner: every test has a time limit, failures are collected. */
export class Runner {
  constructor() {
    this.passed = 0;
    this.failed = 0;
    this.skipped = 0;
    this.failures = [];
    this.n = 0;
  }
  async test(name, fn, { timeout = 45_000 } = {}) {
    this.n++;
    const t0 = Date.now();
    try {
      await withTimeout(Promise.resolve().then(fn), timeout, name);
      this.passed++;
      console.log(`ok ${this.n} - ${name} (${Date.now() - t0} ms)`);
    } catch (e) {
      this.failed++;
      const msg = String(e && e.stack ? e.message : e);
      this.failures.push({ name, msg });
      console.log(`not ok ${this.n} - ${name} (${Date.now() - t0} ms)`);
      for (const line of msg.split('\n').slice(0, 30)) console.log(`  # ${line}`);
    }
  }
  skip(name, why) {
    this.n++;
    this.skipped++;
    console.log(`ok ${this.n} - ${name} # SKIP ${why}`);
  }
  summary() {
    console.log('');
    if (this.failures.length) {
      console.log('Failed:');
      for (const f of this.failures) console.log(`  - ${f.name}: ${f.msg.split('\n')[0]}`);
    }
    console.log(`browser: ${this.passed} passed, ${this.failed} failed, ${this.skipped} skipped`);
    return this.failed === 0;
  }
}

/** Computed style of the first element matching `sel` (or null when there is none). */
export async function styleOf(page, sel, props) {
  return page.evaluate(
    ([sel, props]) => {
      const el = document.querySelector(sel);
      if (!el) return null;
      const cs = getComputedStyle(el);
      const o = {};
      for (const p of props) o[p] = cs.getPropertyValue(p);
      return o;
    },
    [sel, props],
  );
}

/** Does the search UI exist in this build (a real search.js beside the pages)? */
export function searchPresent(siteDir) {
  if (!siteDir) return false;
  const f = path.join(siteDir, 'assets', 'search.js');
  try {
    return fs.statSync(f).size > 200;
  } catch {
    return false;
  }
}
