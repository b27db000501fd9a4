#!/usr/bin/env node
// A site in three languages (tests/fixtures/languages) in headless Chromium, over http and from
// disk: the language switcher by keyboard on a phone and without JavaScript, an untranslated
// page reached from it, and search in the page's language only, then in every language.
//
//   node tests/browser/languages.mjs --http http://127.0.0.1:PORT/ --file file:///…/index.html

import { parseArgs, launch, Site, Runner, newContext, newPage, assertClean, assert } from './lib.mjs';

const args = parseArgs(process.argv.slice(2));
const sites = [];
if (args.http) sites.push(new Site('http', args.http));
if (args.file) sites.push(new Site('file', args.file));
if (!sites.length) {
  console.error('usage: languages.mjs [--http URL] [--file file:///…/index.html]');
  process.exit(2);
}

const PHONE = { width: 390, height: 844 };
const R = new Runner();
const browser = await launch();

async function open(site, rel, options = {}) {
  const ctx = await newContext(browser, site, options);
  const page = await newPage(ctx);
  await page.goto(site.url(rel), { waitUntil: 'load' });
  return { ctx, page };
}

/** The page's language and main heading. */
async function identity(page) {
  return page.evaluate(() => ({
    lang: document.documentElement.lang,
    h1: (document.querySelector('h1') || {}).textContent,
    path: location.pathname,
  }));
}

try {
  for (const site of sites) {
    console.log(`# ${site}`);

    await R.test(`${site.kind}: the switcher works by keyboard on a phone and stays on screen`, async () => {
      const { ctx, page } = await open(site, 'principles/trust.html', { viewport: PHONE });
      try {
        const box = await page.locator('.language-switcher summary').boundingBox();
        assert(box && box.x >= 0 && box.x + box.width <= PHONE.width, `switcher off screen: ${JSON.stringify(box)}`);
        assert(box.height >= 24 && box.width >= 24, `switcher target too small: ${JSON.stringify(box)}`);
        await page.focus('.language-switcher summary');
        await page.keyboard.press('Enter');
        assert(await page.locator('.language-switcher details').evaluate((d) => d.open), 'Enter did not open the switcher');
        const current = await page.locator('.language-switcher a[aria-current=page]').getAttribute('hreflang');
        assert(current === 'en', `current language marked as ${current}`);
        // Summary → English → Deutsch.
        await page.keyboard.press('Tab');
        await page.keyboard.press('Tab');
        const focused = await page.evaluate(() => document.activeElement.getAttribute('hreflang'));
        assert(focused === 'de', `Tab reached ${focused}, not the German link`);
        await Promise.all([page.waitForURL(/\/de\/principles\/trust\.html$/), page.keyboard.press('Enter')]);
        const id = await identity(page);
        assert(id.lang === 'de' && id.h1 === 'Vertrauen aufbauen', `arrived at ${JSON.stringify(id)}`);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert(width <= PHONE.width, `the German page is ${width} px wide on a ${PHONE.width} px screen`);
        assertClean(page);
      } finally {
        await ctx.close();
      }
    });

    await R.test(`${site.kind}: the switcher works without JavaScript`, async () => {
      const { ctx, page } = await open(site, 'de/principles/trust.html', { javaScriptEnabled: false });
      try {
        await page.locator('.language-switcher summary').click();
        await Promise.all([
          page.waitForURL(/\/pl\/principles\/trust\.html$/),
          page.locator('.language-switcher a[hreflang=pl]').click(),
        ]);
        const id = await identity(page);
        assert(id.lang === 'pl' && id.h1 === 'Budowanie zaufania', `arrived at ${JSON.stringify(id)}`);
        assertClean(page);
      } finally {
        await ctx.close();
      }
    });

    await R.test(`${site.kind}: an untranslated page is the original with a note in the reader's language`, async () => {
      const { ctx, page } = await open(site, 'principles/consent.html');
      try {
        await page.locator('.language-switcher summary').click();
        await Promise.all([
          page.waitForURL(/\/de\/principles\/consent\.html$/),
          page.locator('.language-switcher a[hreflang=de]').click(),
        ]);
        const note = (await page.locator('.translation-note').textContent()).trim();
        assert(note.startsWith('Diese Seite gibt es noch nicht auf Deutsch'), `note: ${note}`);
        const id = await identity(page);
        assert(id.lang === 'de' && id.h1 === 'Informed consent', `arrived at ${JSON.stringify(id)}`);
        assertClean(page);
      } finally {
        await ctx.close();
      }
    });

    await R.test(`${site.kind}: search reads the page's language's index, and every language's on request`, async () => {
      const { ctx, page } = await open(site, 'de/search.html?q=Bedenkzeit');
      try {
        const definition = page.locator('#search-definition');
        await definition.waitFor({ state: 'visible' });
        const text = await definition.textContent();
        assert(text.includes('Erholungs- und Bedenkzeit'), `definition: ${text}`);
        const first = await page.locator('#search-results a').first().evaluate((a) => a.href);
        assert(first.endsWith('/de/glossary/reflection-period.html'), `first result ${first}`);
        const loaded = () => ctx.accord.requests.map((u) => site.rel(u)).filter((r) => r && /search\/index\.(bin|js)$/.test(r));
        assert(JSON.stringify(loaded()) === JSON.stringify([site.kind === 'file' ? 'de/search/index.js' : 'de/search/index.bin']), `indexes loaded: ${loaded()}`);
        await page.locator('#search-all-languages').check();
        await page.waitForFunction(() => [...document.querySelectorAll('#search-results a')].some((a) => /\/(?!de\/|pl\/)glossary\/reflection-period\.html$/.test(new URL(a.href).pathname) && !new URL(a.href).pathname.includes('/de/')));
        const hrefs = await page.$$eval('#search-results a', (as) => as.map((a) => new URL(a.href).pathname));
        assert(hrefs.some((h) => h.endsWith('/de/glossary/reflection-period.html')), `no German result: ${hrefs}`);
        const all = loaded();
        assert(all.length === 3, `indexes loaded for every language: ${all}`);
        assertClean(page);
      } finally {
        await ctx.close();
      }
    });
  }
} finally {
  await browser.close().catch(() => {});
}
process.exit(R.summary() ? 0 : 1);
