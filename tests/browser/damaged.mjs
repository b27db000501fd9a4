#!/usr/bin/env node
// A site whose search index was damaged after it was built: the header search box and the
// search page say "search index damaged — rebuild the site" instead of failing silently or
// waiting forever. Over http (the binary index) and from disk (the index as a script).
//
//   node tests/browser/damaged.mjs --http http://127.0.0.1:PORT/ --file file:///…/index.html
//
// Exit status 0 when every check passed, 1 otherwise.

import { parseArgs, launch, Site, Runner, newContext, newPage, assert } from './lib.mjs';

const DAMAGED = 'search index damaged — rebuild the site';
const args = parseArgs(process.argv.slice(2));
const sites = [];
if (args.http) sites.push(new Site('http', args.http));
if (args.file) sites.push(new Site('file', args.file));

const R = new Runner();
const browser = await launch();
try {
  for (const site of sites) {
    await R.test(`${site.kind}: the header search box says the index is damaged`, async () => {
      const ctx = await newContext(browser, site);
      const page = await newPage(ctx);
      await page.goto(site.url('index.html'));
      await page.locator('#search-input').fill('knowledge');
      const popup = page.locator('#search-popup .search-message');
      await popup.waitFor({ state: 'visible', timeout: 15_000 });
      await page.waitForFunction(
        (want) => (document.querySelector('#search-popup .search-message') || {}).textContent?.startsWith(want),
        DAMAGED,
        { timeout: 15_000 },
      ).catch(async () => {
        throw new Error(`the popup shows ${JSON.stringify(await popup.textContent())}`);
      });
      await ctx.close();
    });
    await R.test(`${site.kind}: the search page says the index is damaged`, async () => {
      const ctx = await newContext(browser, site);
      const page = await newPage(ctx);
      await page.goto(site.url('search.html?q=knowledge'));
      const status = page.locator('#search-status');
      await page.waitForFunction(
        (want) => (document.querySelector('#search-status') || {}).textContent?.startsWith(want),
        DAMAGED,
        { timeout: 15_000 },
      ).catch(async () => {
        throw new Error(`the page shows ${JSON.stringify(await status.textContent())}`);
      });
      assert((await page.locator('.search-result').count()) === 0, 'results from a damaged index');
      await ctx.close();
    });
  }
} finally {
  await browser.close().catch(() => {});
}
process.exit(R.summary() ? 0 : 1);
