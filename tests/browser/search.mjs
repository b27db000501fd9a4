// Searching: the header box on every page, the search page with its filters, and landing
// on the section a result points to. Over http and from disk alike.

import { newContext, newPage, assertClean, assert } from './lib.mjs';
import { DESKTOP, PHONE } from './site.mjs';

// The header popup is an ARIA listbox: each result is an option holding its link.
const RESULT = '#search-popup [role="option"]';

/** Wait until `sel`'s markup has not changed for `quietMs` (results for the last keystroke). */
export async function waitStable(page, sel, quietMs = 400, timeout = 15_000) {
  await page.waitForFunction(
    ([sel, quietMs]) => {
      const el = document.querySelector(sel);
      const html = el ? el.innerHTML : '';
      const w = window.__accordStable || (window.__accordStable = {});
      const now = performance.now();
      if (w[sel] === undefined || w[sel].html !== html) {
        w[sel] = { html, since: now };
        return false;
      }
      return now - w[sel].since >= quietMs;
    },
    [sel, quietMs],
    { timeout, polling: 100 },
  );
}

/** The address each option of the popup leads to (the option is a link or holds one). */
async function resultHrefs(page) {
  return page.locator(RESULT).evaluateAll((os) =>
    os.map((o) => {
      const a = o.matches('a[href]') ? o : o.querySelector('a[href]');
      return a ? a.href : null;
    }),
  );
}

/** Type a query into the header box and wait for its results in the popup. */
export async function typeQuery(page, query) {
  const input = page.locator('#search-input');
  await input.click();
  await input.fill('');
  await page.keyboard.type(query, { delay: 15 });
  await waitResults(page, query);
}

/** Wait for the popup's results for the query just typed. */
async function waitResults(page, query) {
  try {
    await page.locator(RESULT).first().waitFor({ state: 'visible', timeout: 15_000 });
  } catch (e) {
    throw new Error(`no results for "${query}" in the popup within 15 s; it shows: ${JSON.stringify(await popupText(page))}`);
  }
  // The answer to the whole query, not to the letters typed before it.
  try {
    await page.waitForFunction(
      (q) => document.getElementById('search-popup').getAttribute('data-query') === q,
      query,
      { timeout: 15_000 },
    );
  } catch (e) {
    throw new Error(`the popup did not show the answer to "${query}" within 15 s; it shows: ${JSON.stringify(await popupText(page))}`);
  }
  await waitStable(page, '#search-popup');
}

async function popupText(page, sel = '#search-popup') {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    return el ? el.textContent.trim().slice(0, 300) : `(no ${sel})`;
  }, sel);
}

/** After following a result: the URL has a fragment, the target exists and is on screen. */
async function assertLandedOnAnchor(page) {
  const r = await page.evaluate(() => {
    const id = decodeURIComponent(location.hash.slice(1));
    const el = id && document.getElementById(id);
    if (!el) return { hash: location.hash, found: false };
    const b = el.getBoundingClientRect();
    return { hash: location.hash, found: true, top: b.top, vh: innerHeight };
  });
  assert(r.hash, `the result led to ${page.url()}, without a section anchor`);
  assert(r.found, `the result's anchor ${r.hash} does not exist on ${page.url()}`);
  assert(r.top >= -5 && r.top < r.vh, `the section ${r.hash} is not on screen (top ${r.top})`);
}

export async function searchSuite(R, browser, site, opts) {
  const tag = `[${site.label}]`;
  if (!opts.hasSearch) {
    await R.test(`${tag} search UI present`, () => {
      throw new Error('search UI not present: the built site has no assets/search.js');
    });
    return;
  }

  const withCtx = async (options, fn) => {
    const ctx = await newContext(browser, site, options);
    try {
      const page = await newPage(ctx);
      return await fn(page, ctx);
    } finally {
      await ctx.close().catch(() => {});
    }
  };

  await R.test(`${tag} search: the engine is not loaded until it is used`, () =>
    withCtx({ viewport: DESKTOP }, async (page, ctx) => {
      await page.goto(site.url('principles/building-trust.html'));
      await page.waitForTimeout(300);
      const heavy = ctx.accord.requests.filter((u) => /\.wasm|search-wasm|search-index|searchindex|\/search\/index\./i.test(u));
      assert(heavy.length === 0, `loaded before any search:\n${heavy.join('\n')}`);
      assertClean(page);
    }));

  await R.test(`${tag} search: "/" focuses the box; a typed query shows results in the popup`, () =>
    withCtx({ viewport: DESKTOP }, async (page) => {
      await page.goto(site.url('principles/building-trust.html'));
      await page.locator('main h1').click();
      await page.keyboard.press('/');
      const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
      assert(focused === 'search-input', `"/" focused ${JSON.stringify(focused)}, not the search box`);
      await page.keyboard.type('reflection period', { delay: 15 });
      await waitResults(page, 'reflection period');
      const n = await page.locator(RESULT).count();
      assert(n >= 1, 'no results for "reflection period"');
      const text = await page.locator('#search-popup').innerText();
      assert(/reflection period/i.test(text), `the results do not mention the query:\n${text.slice(0, 500)}`);
      const expanded = await page.getAttribute('#search-input', 'aria-expanded');
      const role = await page.getAttribute('#search-input', 'role');
      assert(role === 'combobox', `the search box has role ${role}, not combobox`);
      assert(expanded === 'true', `aria-expanded is ${expanded} while results show`);
      assertClean(page);
    }));

  await R.test(`${tag} search: arrow keys and Enter open a result at its section`, () =>
    withCtx({ viewport: DESKTOP }, async (page) => {
      await page.goto(site.url('index.html'));
      await typeQuery(page, 'reflection period');
      // Down to the first result that points into a section of its page.
      let active = null;
      for (let i = 0; i < 9 && !(active && active.includes('#')); i++) {
        await page.keyboard.press('ArrowDown');
        active = await page.evaluate(() => {
          const input = document.getElementById('search-input');
          const id = input.getAttribute('aria-activedescendant');
          const el = id && document.getElementById(id);
          if (!el || el.getAttribute('aria-selected') !== 'true') return null;
          const a = el.closest('a[href]') || el.querySelector('a[href]');
          return a ? a.href : null;
        });
        assert(active, 'ArrowDown selects no result (aria-activedescendant and aria-selected)');
        assert(await page.evaluate(() => document.activeElement.id === 'search-input'), 'the arrow keys moved focus out of the search box');
      }
      assert(active.includes('#'), `no result for "reflection period" points to a section (last: ${active})`);
      await Promise.all([page.waitForURL((u) => u.href !== site.url('index.html'), { timeout: 15_000 }), page.keyboard.press('Enter')]);
      await page.waitForLoadState('load');
      assert(page.url().split('#')[0] === active.split('#')[0], `Enter opened ${page.url()}, the selected result was ${active}`);
      await assertLandedOnAnchor(page);
      assertClean(page);
    }));

  await R.test(`${tag} search: an answer arriving after a result is selected keeps it selected`, () =>
    withCtx({ viewport: DESKTOP }, async (page) => {
      await page.goto(site.url('index.html'));
      await typeQuery(page, 'reflection period');
      const hrefs = await resultHrefs(page);
      assert(hrefs.length >= 2, `fewer than two results for "reflection period":\n${hrefs.join('\n')}`);
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      const selected = () => page.evaluate(() => {
        const id = document.getElementById('search-input').getAttribute('aria-activedescendant');
        const el = id && document.getElementById(id);
        if (!el || el.getAttribute('aria-selected') !== 'true') return null;
        const a = el.closest('a[href]') || el.querySelector('a[href]');
        return a ? a.href : null;
      });
      const before = await selected();
      assert(before === hrefs[1], `ArrowDown twice selected ${before}, not the second result ${hrefs[1]}`);
      // A slow line delivers the answer to the query as typed after the reader has moved on
      // to a result: the same query answered again, while the selection stands, renders a new list.
      await page.evaluate(() => {
        const popup = document.getElementById('search-popup');
        window.__accordRendered = 0;
        new MutationObserver(() => { window.__accordRendered++; }).observe(popup, { childList: true });
        document.getElementById('search-input').dispatchEvent(new Event('input', { bubbles: true }));
      });
      await page.waitForFunction(() => window.__accordRendered > 0, null, { timeout: 15_000 });
      await waitStable(page, '#search-popup');
      const after = await selected();
      assert(after === before, `after a later answer the selection is ${after}, not ${before}`);
      await Promise.all([page.waitForURL((u) => u.href !== site.url('index.html'), { timeout: 15_000 }), page.keyboard.press('Enter')]);
      await page.waitForLoadState('load');
      assert(page.url() === before, `Enter opened ${page.url()}, the selected result was ${before}`);
      assertClean(page);
    }));

  await R.test(`${tag} search: clicking a result lands on its section anchor`, () =>
    withCtx({ viewport: PHONE }, async (page) => {
      await page.goto(site.url('glossary/index.html'));
      await typeQuery(page, 'information exchange');
      const hrefs = await resultHrefs(page);
      const idx = hrefs.findIndex((h) => h && h.includes('#'));
      assert(idx >= 0, `no result for "information exchange" points to a section:\n${hrefs.join('\n')}`);
      const option = page.locator(RESULT).nth(idx);
      const href = hrefs[idx];
      await Promise.all([page.waitForURL((u) => u.href === href, { timeout: 15_000 }), option.click()]);
      await page.waitForLoadState('load');
      await assertLandedOnAnchor(page);
      assertClean(page);
    }));

  await R.test(`${tag} search: a glossary term's definition shows above the results`, () =>
    withCtx({ viewport: DESKTOP }, async (page) => {
      await page.goto(site.url('index.html'));
      await typeQuery(page, 'NRM');
      const def = page.locator('#search-popup .search-definition');
      assert(await def.isVisible(), 'no definition in the popup for "NRM"');
      const text = await def.innerText();
      assert(/national referral mechanism/i.test(text), `the definition shown is not that of NRM: ${text}`);
      const [d, first] = await Promise.all([def.boundingBox(), page.locator(RESULT).first().boundingBox()]);
      assert(d.y < first.y, 'the definition is not above the results');
      const hits = await resultHrefs(page);
      assert(hits.some((h) => !/national-referral-mechanism/.test(h)), 'only the term itself was found, no page using it');
      assertClean(page);
    }));

  await R.test(`${tag} search page: the query comes from the URL, a kind filter narrows the results, a result opens at its section`, () =>
    withCtx({ viewport: DESKTOP }, async (page) => {
      await page.goto(site.url('search.html?q=trust'));
      const items = page.locator('#search-results > li');
      try {
        await items.first().waitFor({ state: 'visible', timeout: 15_000 });
      } catch (e) {
        throw new Error(`search.html?q=trust shows no results within 15 s; its status says: ${JSON.stringify(await popupText(page, '#search-status'))}`);
      }
      await waitStable(page, '#search-results');
      const value = await page.inputValue('#search-page-q');
      assert(value === 'trust', `the search page shows the query ${JSON.stringify(value)}, not the one in its URL`);
      const status = await page.locator('#search-status').innerText();
      const before = await items.count();
      const kindsBefore = new Set((await page.locator('#search-results .search-hit-kind').allTextContents()).map((k) => k.trim().toLowerCase()));
      assert(before > 1 && kindsBefore.size > 1, `"trust" should find pages of several kinds (${before} results: ${[...kindsBefore]})`);
      const filter = page.locator('#search-facets').getByRole('group', { name: /kind/i }).getByRole('checkbox', { name: /^principle\b/i })
        .or(page.locator('#search-facets').getByRole('checkbox', { name: /^principle\b/i })).first();
      await filter.check();
      await page.waitForURL(/[?&]kind=principle/, { timeout: 10_000 });
      // The filtered answer may need parts of the index not fetched yet: wait for it to be
      // shown (the count changes), not merely for a quiet moment.
      await page
        .waitForFunction((s) => document.querySelector('#search-status')?.innerText !== s, status, { timeout: 15_000 })
        .catch(() => {});
      await waitStable(page, '#search-results');
      const kinds = new Set((await page.locator('#search-results .search-hit-kind').allTextContents()).map((k) => k.trim().toLowerCase()));
      const after = await items.count();
      const statusAfter = await page.locator('#search-status').innerText();
      assert(after > 0, 'the kind filter left no results');
      assert(statusAfter !== status, `the result count did not change with the filter (${status})`);
      assert(kinds.size === 1 && kinds.has('principle'), `after filtering by principle, the kinds shown are: ${[...kinds].join(', ')}`);
      // The filtered address can be shared: opened afresh, it shows the same.
      const shared = page.url();
      await page.goto(shared);
      await items.first().waitFor({ state: 'visible', timeout: 15_000 });
      assert(await page.locator('#search-facets').getByRole('checkbox', { name: /^principle\b/i }).isChecked(), 'the filter in the URL is not applied');
      const link = page.locator('#search-results a[href*="#"]').first();
      const href = await link.evaluate((a) => a.href);
      await Promise.all([page.waitForURL((u) => u.href === href, { timeout: 15_000 }), link.click()]);
      await page.waitForLoadState('load');
      await assertLandedOnAnchor(page);
      assertClean(page);
    }));

  await R.test(`${tag} search: hostile and empty queries show no error and escape markup`, () =>
    withCtx({ viewport: DESKTOP }, async (page) => {
      await page.goto(site.url('index.html'));
      for (const q of ['"', '((( AND OR NOT', '<img src=x onerror=alert(1)>', 'zzzzqqqxx', '🙂 торговля']) {
        const input = page.locator('#search-input');
        await input.fill('');
        await input.pressSequentially(q, { delay: 5 });
        await page.waitForTimeout(300);
      }
      const injected = await page.locator('#search-popup img').count();
      assert(injected === 0, 'markup from the query was inserted into the page');
      assertClean(page);
    }));

  await R.test(`${tag} search page: one result per page, with its other matching sections as links`, () =>
    withCtx({ viewport: DESKTOP }, async (page) => {
      await page.goto(site.url('search.html?q=Palermo'));
      const items = page.locator('#search-results > li');
      await items.first().waitFor({ state: 'visible', timeout: 15_000 });
      await waitStable(page, '#search-results');
      const pages = await page.locator('#search-results .search-result-link').evaluateAll((as) => as.map((a) => a.href.split('#')[0]));
      assert(pages.length >= 3, `"Palermo" shows ${pages.length} results`);
      assert(new Set(pages).size === pages.length, `a page is listed twice:\n${pages.join('\n')}`);
      const subs = page.locator('#search-results .search-result-sections a');
      assert((await subs.count()) > 0, 'no result lists further sections of its page');
      const sub = await subs.first().evaluate((a) => ({ href: a.href, page: a.closest('li.search-result').querySelector('.search-result-link').href.split('#')[0] }));
      assert(sub.href.startsWith(sub.page + '#'), `a section link leads outside its page: ${sub.href} under ${sub.page}`);
      assertClean(page);
    }));

  await R.test(`${tag} search: a query that matches nothing says so and suggests close titles`, () =>
    withCtx({ viewport: PHONE }, async (page) => {
      await page.goto(site.url('index.html'));
      const input = page.locator('#search-input');
      await input.click();
      await input.pressSequentially('uropol ', { delay: 15 });
      const message = page.locator('#search-popup .search-message');
      // The popup answers each keystroke ("u", "ur", …): wait for the answer to the whole word.
      await page.waitForFunction(() => {
        const m = document.querySelector('#search-popup .search-message');
        return m && m.offsetParent !== null && m.innerText.includes('uropol');
      }, null, { timeout: 15_000 });
      const text = await message.innerText();
      assert(text.startsWith('No results for “uropol ”.'), `the popup says: ${JSON.stringify(text)}`);
      const hrefs = await message.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert(hrefs.some((h) => /organisations\/europol\.html$/.test(h)), `no suggestion of Europol: ${hrefs.join(', ')}`);
      assertClean(page);
    }));

  if (site.kind === 'http') {
    await R.test(`${tag} search page: results arrive without moving the page (layout shift under 0.1 on a phone)`, () =>
      withCtx({ viewport: PHONE }, async (page) => {
        await page.addInitScript(() => {
          window.__shift = 0;
          new PerformanceObserver((list) => {
            for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
          }).observe({ type: 'layout-shift', buffered: true });
        });
        await page.goto(site.url('search.html?q=reflection%20period'));
        await page.locator('#search-results > li').first().waitFor({ state: 'visible', timeout: 15_000 });
        await waitStable(page, '#search-results');
        const shift = await page.evaluate(() => window.__shift);
        assert(shift < 0.1, `cumulative layout shift ${shift.toFixed(3)}`);
        assertClean(page);
      }));
  }
}
