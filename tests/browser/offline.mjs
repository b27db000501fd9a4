#!/usr/bin/env node
// Saving the site for offline reading, over http on 127.0.0.1 under a base path (/kb/), as a
// reader on a phone would: press "Save for offline reading", wait for "Available offline",
// lose the connection (the server is stopped and the browser set offline), then reload the
// page, open a second one and search. Also: a later visit says "Available offline" at once, a
// rebuilt site (another offline.json and sw.js) is saved anew and the old copy deleted, and
// from disk nothing of this shows.
//
//   node tests/browser/offline.mjs --dir SITE_FOLDER [--rebuilt SECOND_SITE_FOLDER] [--file file:///…/index.html]
//
// Exit status 0 when every check passed, 1 otherwise.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, launch, Site, Runner, newContext, newPage, assert, assertClean } from './lib.mjs';
import { axe } from './a11y.mjs';

const args = parseArgs(process.argv.slice(2));
const BASE_PATH = '/kb/';
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json',
  '.wasm': 'application/wasm', '.bin': 'application/octet-stream', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.xml': 'application/xml', '.webmanifest': 'application/manifest+json', '.csv': 'text/csv', '.zip': 'application/zip',
};

/**
 * Serves `dir` under BASE_PATH on 127.0.0.1. `stop()` closes the port (a lost connection);
 * `restart(folder)` listens on the same port again, so the same origin serves a rebuild.
 */
function serve(dir) {
  const state = { folder: dir };
  const server = http.createServer((req, res) => {
    const p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = null;
    if (p.startsWith(BASE_PATH)) {
      const rel = p.slice(BASE_PATH.length) || 'index.html';
      const f = path.join(state.folder, rel);
      if (f.startsWith(state.folder) && fs.existsSync(f) && fs.statSync(f).isFile()) file = f;
    }
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      return res.end('not found');
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-cache' });
    res.end(fs.readFileSync(file));
  });
  const listen = (port) => new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  state.stop = () => new Promise((r) => {
    server.closeAllConnections();
    server.close(() => r());
  });
  state.restart = async (folder) => {
    state.folder = folder;
    await listen(state.port);
  };
  return listen(0).then(() => {
    state.port = server.address().port;
    state.url = `http://127.0.0.1:${state.port}${BASE_PATH}`;
    return state;
  });
}

/** A context that lets the site's service worker run, with the lib's page checks. */
async function swContext(browser, site) {
  const ctx = await browser.newContext({ serviceWorkers: 'allow' });
  ctx.setDefaultTimeout(15_000);
  ctx.accord = { site, outside: [], requests: [] };
  return ctx;
}

async function saveForOffline(page) {
  const box = page.locator('[data-offline]');
  await box.waitFor({ state: 'visible', timeout: 15_000 });
  const button = box.getByRole('button', { name: 'Save for offline reading' });
  await button.waitFor({ state: 'visible' });
  const progress = box.getByRole('progressbar');
  const status = box.getByRole('status');
  await button.click();
  // The progress bar shows, with a live text, while the files are saved.
  await progress.waitFor({ state: 'visible', timeout: 5_000 });
  await page.waitForFunction(() => /Available offline/.test(document.querySelector('[data-offline] [role=status]').textContent), null, { timeout: 90_000 });
  assert(await progress.isHidden(), 'the progress bar still shows after saving');
  assert(await button.isHidden(), 'the save button still shows once the site is available offline');
  return (await status.textContent()).trim();
}

async function offlineSearch(page, site) {
  await page.goto(site.url('search.html?q=trust'));
  const items = page.locator('#search-results > li');
  try {
    await items.first().waitFor({ state: 'visible', timeout: 20_000 });
  } catch (e) {
    const said = await page.locator('#search-status').textContent().catch(() => '');
    throw new Error(`offline, search.html?q=trust shows no results; its status says: ${JSON.stringify(said)}`);
  }
  return items.count();
}

const R = new Runner();
const browser = await launch();
let server = null;
try {
  const dir = path.resolve(args.dir);
  const list = JSON.parse(fs.readFileSync(path.join(dir, 'offline.json'), 'utf8'));
  server = await serve(dir);
  const site = new Site('http', server.url, 'http under /kb/');
  let ctx = null;

  await R.test('http: "Save for offline reading" saves every listed file with a progress bar, then says "Available offline"', async () => {
    ctx = await swContext(browser, site);
    const page = await newPage(ctx);
    await page.goto(site.url('index.html'));
    const said = await saveForOffline(page);
    assert(said === 'Available offline', `the status says ${JSON.stringify(said)}`);
    const max = await page.locator('[data-offline] progress').evaluate((p) => p.max);
    assert(max === list.files.length, `the progress bar counted ${max} files, offline.json lists ${list.files.length}`);
    const caches = await page.evaluate(async () => {
      const out = {};
      for (const name of await caches.keys()) out[name] = (await (await caches.open(name)).keys()).length;
      return out;
    });
    const saved = Object.keys(caches).filter((n) => n.endsWith(` ${list.version}`));
    assert(saved.length === 1, `no cache named after the build's version ${list.version}: ${JSON.stringify(caches)}`);
    // Every listed file, and the list itself as the mark of a complete copy.
    assert(caches[saved[0]] === list.files.length + 1, `the saved copy holds ${caches[saved[0]]} entries, not ${list.files.length + 1}`);
    // The footer as it now shows, and the page that explains reading offline, pass axe.
    const footer = await axe(page, '.site-footer');
    assert(footer.length === 0, `axe, footer with "Available offline":\n${JSON.stringify(footer, null, 1)}`);
    await page.goto(site.url('offline.html'));
    const explained = await axe(page);
    assert(explained.length === 0, `axe, offline.html:\n${JSON.stringify(explained, null, 1)}`);
    assertClean(page);
  }, { timeout: 120_000 });

  await R.test('offline (server stopped, browser offline): a reload, a second page and a search work', async () => {
    assert(ctx, 'nothing was saved');
    await server.stop();
    await ctx.setOffline(true);
    const page = await newPage(ctx);
    await page.goto(site.url('index.html'));
    await page.reload();
    const h1 = (await page.locator('h1').first().textContent()).trim();
    assert(h1.length > 0, 'the reloaded home page has no heading');
    await page.locator('.site-nav a[href$="principles/index.html"]').first().click();
    await page.waitForURL(/principles\/index\.html$/);
    const h1b = (await page.locator('h1').first().textContent()).trim();
    assert(h1b !== h1, `the second page shows the same heading as the first: ${h1b}`);
    await page.goto(site.url('glossary/index.html'));
    assert(await page.locator('h1').count() === 1, 'the glossary does not open offline');
    const n = await offlineSearch(page, site);
    assert(n > 1, `offline, "trust" finds ${n} results`);
    const status = (await page.locator('[data-offline] [role=status]').textContent()).trim();
    assert(status === 'Available offline', `offline, the footer says ${JSON.stringify(status)}`);
    // Requests the browser itself gave up on are what "offline" means here; nothing else may fail.
    assertClean(page, { ignore: [/failed to load .*ERR_INTERNET_DISCONNECTED/] });
  }, { timeout: 90_000 });

  if (args.rebuilt) {
    await R.test('back online after a rebuild: the new worker saves the new version and deletes the old copy', async () => {
      const rebuilt = path.resolve(args.rebuilt);
      const next = JSON.parse(fs.readFileSync(path.join(rebuilt, 'offline.json'), 'utf8'));
      assert(next.version !== list.version, 'the rebuilt site has the same version as the first build');
      await server.restart(rebuilt);
      await ctx.setOffline(false);
      const page = await newPage(ctx);
      await page.goto(site.url('index.html'));
      await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
      // Poll from here: the copy is complete when the list is in it, and the only copy left.
      const deadline = Date.now() + 90_000;
      let copies = [];
      for (;;) {
        copies = await page.evaluate(async () => {
          const out = [];
          for (const n of await caches.keys()) {
            if (n.endsWith(' visited')) continue;
            const c = await caches.open(n);
            out.push({ name: n, complete: !!(await c.match(new URL('offline.json', location.href).href)) });
          }
          return out;
        });
        if (copies.length === 1 && copies[0].name.endsWith(` ${next.version}`) && copies[0].complete) break;
        if (Date.now() > deadline) throw new Error(`the rebuilt site was not saved in place of the old one: ${JSON.stringify(copies)}`);
        await page.waitForTimeout(500);
      }
      const names = await page.evaluate(() => caches.keys());
      assert(!names.some((n) => n.includes(list.version)), `the old copy was not deleted: ${names.join(', ')}`);
      // Offline again: the rebuilt page comes from the new copy.
      await server.stop();
      await ctx.setOffline(true);
      await page.goto(site.url('about.html'));
      const text = await page.locator('main').textContent();
      assert(text.includes("Rebuilt for the offline test."), 'offline, about.html is not the rebuilt one');
      assert((await page.locator('[data-offline] [role=status]').textContent()).trim() === 'Available offline', 'after the update the footer no longer says "Available offline"');
    }, { timeout: 150_000 });
  }

  if (args.file) {
    await R.test('file: no save button, no service worker', async () => {
      const fsite = new Site('file', args.file);
      const fctx = await newContext(browser, fsite);
      const page = await newPage(fctx);
      await page.goto(fsite.url('index.html'));
      await page.waitForTimeout(500);
      assert(await page.locator('[data-offline]').isHidden(), 'the save button shows on a page opened from disk');
      assertClean(page);
      await fctx.close();
    });
  }
  if (ctx) await ctx.close();
} finally {
  if (server) await server.stop().catch(() => {});
  await browser.close();
}
process.exit(R.summary() ? 0 : 1);
