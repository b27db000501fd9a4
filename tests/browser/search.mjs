// Searching: the header box on every page, the search page with its filters, and landing
// on the section a result points to. Over http and from disk alike.

import { newContext, newPage, assertClean, assert, requireSearch } from './lib.mjs';
import { DESKTOP, PHONE } from './site.mjs';

const RESULT = '#search-popup a[href]';

/** Type a query into the header box and wait for results in the popup. */
export async function typeQuery(page, query) {
  const input = page.locator('#search-input');
  await input.click();
  await input.fill('');
  await page.keyboard.type(query, { delay: 15 });
  await page.locator(RESULT).first().waitFor({ state: 'visible', timeout: 15_000 });
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
  const tag = `[${site.kind}]`;
  if (!opts.hasSearch) {
    if (requireSearch()) {
      await R.test(`${tag} search UI present`, () => {
        throw new Error('search UI not present: the built site has no assets/search.js');
      });
    } else {
      R.skip(`${tag} search`, 'search UI not present in this build');
    }
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
      const heavy = ctx.accord.requests.filter((u) => /\.wasm|search-index|searchindex|index\.(bin|js)$/i.test(u));
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
      await page.locator(RESULT).first().waitFor({ state: 'visible', timeout: 15_000 });
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
      await page.keyboard.press('ArrowDown');
      const active = await page.evaluate(() => {
        const input = document.getElementById('search-input');
        const id = input.getAttribute('aria-activedescendant');
        const el = id ? document.getElementById(id) : document.activeElement;
        const a = el && (el.closest('a[href]') || el.querySelector('a[href]'));
        return a ? a.href : null;
      });
      assert(active, 'ArrowDown selects no result');
      await Promise.all([page.waitForURL((u) => u.href !== site.url('index.html'), { timeout: 15_000 }), page.keyboard.press('Enter')]);
      await page.waitForLoadState('load');
      assert(page.url().split('#')[0] === active.split('#')[0], `Enter opened ${page.url()}, the selected result was ${active}`);
      await assertLandedOnAnchor(page);
      assertClean(page);
    }));

  await R.test(`${tag} search: clicking a result lands on its section anchor`, () =>
    withCtx({ viewport: PHONE }, async (page) => {
      await page.goto(site.url('glossary/index.html'));
      await typeQuery(page, 'information exchange');
      const withAnchor = page.locator(`${RESULT}[href*="#"]`).first();
      await withAnchor.waitFor({ state: 'visible' });
      const href = await withAnchor.evaluate((a) => a.href);
      await Promise.all([page.waitForURL((u) => u.href === href, { timeout: 15_000 }), withAnchor.click()]);
      await page.waitForLoadState('load');
      await assertLandedOnAnchor(page);
      assertClean(page);
    }));

  await R.test(`${tag} search page: the query is in the URL, results show, and a kind filter narrows them`, () =>
    withCtx({ viewport: DESKTOP }, async (page) => {
      await page.goto(site.url('search.html?q=trust'));
      const results = page.locator('main a[href*=".html"]').filter({ hasNot: page.locator('nav *') });
      await page.waitForFunction(() => {
        const m = document.querySelector('main');
        return m && /result/i.test(m.innerText) && m.querySelectorAll('a[href*="#"], a[href*=".html"]').length > 3;
      }, null, { timeout: 15_000 });
      const value = await page.inputValue('main input[type="search"], main input[name="q"], #search-input').catch(() => '');
      assert(/trust/.test(value), `the search page does not show the query from its URL (${JSON.stringify(value)})`);
      const before = await results.count();
      // The kind filter: whatever control names a kind ("Principle", "Glossary term", …).
      const filter = page.locator('main').getByRole('checkbox', { name: /principle/i })
        .or(page.locator('main').getByRole('radio', { name: /principle/i }))
        .or(page.locator('main').getByRole('button', { name: /principle/i }))
        .or(page.locator('main').getByRole('link', { name: /^principles?\b/i }))
        .first();
      assert(await filter.count(), 'no kind filter for principles on the search page');
      await filter.click();
      await page.waitForTimeout(500);
      const badges = await page.locator('main .kind-badge, main [class*="kind"]').allInnerTexts();
      const kinds = new Set(badges.map((b) => b.trim().toLowerCase()).filter(Boolean));
      const after = await results.count();
      assert(after > 0 && after < before, `the kind filter did not narrow the results (${before} → ${after})`);
      assert([...kinds].every((k) => /principle/.test(k)), `after filtering by principle, other kinds show: ${[...kinds].join(', ')}`);
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
}
