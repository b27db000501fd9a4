#!/usr/bin/env node
// The browser reads the search index piece by piece (the head, then the chunks each search
// asks for) and must answer exactly as `accord search` does over the whole index: the same
// pages in the same order, the same sections, snippets and counts. Over http (chunks fetched as
// binary files) and from disk (chunks loaded as scripts) alike, and without fetching the whole
// index for one query.
//
//   node tests/browser/parity.mjs --http http://127.0.0.1:PORT/ --file file:///…/index.html \
//     --expect expected.json
//
// expected.json: { "chunks": number of chunks of the index, "queries": [{ "q", "total",
// "hits": [{ "url", "section", "snippet" }] }, …] } from `accord search --json`.
// Exit status 0 when every check passed, 1 otherwise.

import { readFileSync } from 'node:fs';
import { parseArgs, launch, Site, Runner, newContext, newPage, assert } from './lib.mjs';

const args = parseArgs(process.argv.slice(2));
const expected = JSON.parse(readFileSync(args.expect, 'utf8'));
const sites = [];
if (args.http) sites.push(new Site('http', args.http));
if (args.file) sites.push(new Site('file', args.file));

/** The search page's results as the engine gave them: address, section, snippet markup. */
async function shown(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('#search-results > .search-result > a.search-result-link')].map((a) => {
      const section = a.querySelector('.search-hit-section');
      const snippet = a.querySelector('.search-hit-snippet');
      return {
        url: a.getAttribute('href'),
        section: section ? section.textContent : '',
        // The page rebuilds the engine's snippet as text and <mark> nodes; serialised again it
        // is the engine's markup, entities and all.
        snippet: snippet ? snippet.innerHTML : '',
      };
    }),
  );
}

/** Counts chunk scripts as the page adds them (from disk, chunks load as scripts, which
 * resource timing does not list for file: addresses). */
function countChunkScripts() {
  window.__chunkScripts = 0;
  new MutationObserver((records) => {
    for (const r of records) {
      for (const n of r.addedNodes) {
        if (n.tagName === 'SCRIPT' && /\/search\/chunks\//.test(n.src)) window.__chunkScripts++;
      }
    }
  }).observe(document, { childList: true, subtree: true });
}

/** Chunks the page has asked for so far: fetched, or loaded as scripts. */
async function chunksLoaded(page) {
  return page.evaluate(
    () =>
      performance.getEntriesByType('resource').filter((e) => /\/search\/chunks\//.test(e.name)).length +
      (window.__chunkScripts || 0),
  );
}

const R = new Runner();
const browser = await launch();
try {
  for (const site of sites) {
    await R.test(`${site.kind}: the lazily read index answers every query as accord search does`, async () => {
      const ctx = await newContext(browser, site);
      await ctx.addInitScript(countChunkScripts);
      const page = await newPage(ctx);
      for (const want of expected.queries) {
        await page.goto(site.url('search.html?q=' + encodeURIComponent(want.q)));
        await page.waitForFunction(
          () => {
            const s = document.querySelector('#search-status');
            return s && s.textContent && !document.querySelector('#search-placeholder:not([hidden])');
          },
          null,
          { timeout: 30_000 },
        );
        const got = await shown(page);
        // innerHTML writes quotes as they are, where the engine escapes them.
        const asSerialised = (html) => html.replaceAll('&#39;', "'").replaceAll('&quot;', '"');
        const wantHits = want.hits.map((h) => ({ url: h.url, section: h.section, snippet: asSerialised(h.snippet) }));
        const at = wantHits.findIndex((h, i) => JSON.stringify(h) !== JSON.stringify(got[i]));
        assert(
          at < 0 && got.length === wantHits.length,
          `"${want.q}": the page shows ${got.length} results, accord search ${wantHits.length}; ` +
            `result ${at + 1} on the page is ${JSON.stringify(got[at])}, from accord search ${JSON.stringify(wantHits[at])}`,
        );
        const status = await page.locator('#search-status').textContent();
        assert(
          want.total === 0 ? !/\d/.test(status) : status.startsWith(String(want.total) + ' '),
          `"${want.q}": status ${JSON.stringify(status)}, expected ${want.total} pages`,
        );
        // A query that finds a page or two reads a small part of the index. (A common word's
        // fifty results on the search page may well read most of a small site's index.)
        if (want.total > 0 && want.total <= 3) {
          const loaded = await chunksLoaded(page);
          assert(loaded > 0, `"${want.q}": no chunk loads were seen`);
          assert(
            loaded < expected.chunks / 2,
            `"${want.q}": the page loaded ${loaded} of ${expected.chunks} chunks for ${want.total} result(s)`,
          );
        }
      }
      await ctx.close();
    });
  }
} finally {
  await browser.close().catch(() => {});
}
process.exit(R.summary() ? 0 : 1);
