// Reading the site: glossary definitions, navigation on a phone and a desktop, the print
// page, and every template type loading without errors or outside requests.

import { newContext, newPage, assertClean, assert, styleOf } from './lib.mjs';

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };

/** One page of each template the default theme has. */
export const TEMPLATE_PAGES = [
  ['home', 'index.html'],
  ['section', 'principles/index.html'],
  ['principle page', 'principles/building-trust.html'],
  ['plain page', 'about.html'],
  ['glossary term', 'glossary/reflection-period.html'],
  ['glossary index', 'glossary/index.html'],
  ['taxonomy index', 'browse.html'],
  ['taxonomy term', 'kinds/principle.html'],
  ['tag page', 'tags/trust.html'],
  ['MoU matrix', 'matrix.html'],
  ['timeline', 'timeline.html'],
  ['print page', 'print.html'],
  ['not-found page', '404.html'],
];

/** Problems a page may log that are not the site's fault (none so far). */
export function ignoreFor(_opts) {
  return [];
}

/** `accord serve` shows a failed rebuild as an overlay on every page: say what it says. */
export async function assertNoBuildError(page) {
  const overlay = page.locator('#accord-error-overlay');
  if (await overlay.count()) {
    throw new Error(`the preview shows a build error: ${(await overlay.first().textContent()).trim().slice(0, 500)}`);
  }
}

/** Open `rel` in a fresh context; `fn(page, ctx)` does the checks. */
export async function withPage(browser, site, rel, options, fn) {
  const ctx = await newContext(browser, site, options);
  try {
    const page = await newPage(ctx);
    await page.goto(site.url(rel), { waitUntil: 'load' });
    await assertNoBuildError(page);
    return await fn(page, ctx);
  } finally {
    await ctx.close().catch(() => {});
  }
}

async function tipVisible(page, tipId) {
  return page.evaluate((id) => {
    const tip = document.getElementById(id);
    if (!tip) return { found: false };
    const cs = getComputedStyle(tip);
    const r = tip.getBoundingClientRect();
    return {
      found: true,
      display: cs.display,
      visibility: cs.visibility,
      width: r.width,
      height: r.height,
      text: tip.textContent.trim(),
    };
  }, tipId);
}

function shown(t) {
  return t.found && t.display !== 'none' && t.visibility !== 'hidden' && t.width > 0 && t.height > 0 && t.text.length > 10;
}

export async function siteSuite(R, browser, site, opts) {
  const tag = `[${site.label}]`;
  const ignore = ignoreFor(opts);

  await R.test(`${tag} home page loads with a title, lang and no errors`, () =>
    withPage(browser, site, 'index.html', { viewport: DESKTOP }, async (page) => {
      const lang = await page.getAttribute('html', 'lang');
      assert(lang && /^[a-z]{2,3}(-|$)/i.test(lang), `<html lang> is ${JSON.stringify(lang)}`);
      const title = await page.title();
      assert(title.length > 3, `title is ${JSON.stringify(title)}`);
      assert(await page.locator('main h1').count() >= 1, 'no <h1> in <main>');
      assertClean(page, { ignore });
    }));

  await R.test(`${tag} glossary definition shows on hover`, () =>
    withPage(browser, site, 'principles/building-trust.html', { viewport: DESKTOP }, async (page) => {
      const term = page.locator('main .gloss-term').first();
      const tipId = await term.getAttribute('aria-describedby');
      assert(tipId, 'the linked term has no aria-describedby');
      const role = await page.getAttribute(`[id="${tipId}"]`, 'role');
      assert(role === 'tooltip', `the definition has role ${role}, not tooltip`);
      assert(!shown(await tipVisible(page, tipId)), 'the definition shows before hovering');
      await term.hover();
      const t = await tipVisible(page, tipId);
      assert(shown(t), `the definition does not show on hover: ${JSON.stringify(t)}`);
      // WCAG 1.4.13: the pointer can move onto the tooltip without it vanishing.
      await page.locator(`[id="${tipId}"]`).hover();
      assert(shown(await tipVisible(page, tipId)), 'the definition vanishes when the pointer moves onto it');
      await page.mouse.move(1, 1);
      assert(!shown(await tipVisible(page, tipId)), 'the definition stays after the pointer left');
      // Every definition on the page stays inside the window.
      const terms = page.locator('main .gloss-term');
      const off = [];
      for (let i = 0; i < (await terms.count()); i++) {
        const t = terms.nth(i);
        await t.hover();
        const id = await t.getAttribute('aria-describedby');
        const b = await page.locator(`[id="${id}"]`).boundingBox();
        if (!b || b.x < 0 || b.x + b.width > DESKTOP.width) off.push(`${await t.textContent()}: ${JSON.stringify(b)}`);
      }
      assert(off.length === 0, `definitions that run out of the window:\n${off.join('\n')}`);
      assertClean(page, { ignore });
    }));

  await R.test(`${tag} glossary definition shows on keyboard focus, and Escape dismisses it`, () =>
    withPage(browser, site, 'principles/building-trust.html', { viewport: DESKTOP }, async (page) => {
      let info = null;
      for (let i = 0; i < 150; i++) {
        await page.keyboard.press('Tab');
        info = await page.evaluate(() => {
          const a = document.activeElement;
          if (!a || !a.classList.contains('gloss-term')) return null;
          const cs = getComputedStyle(a);
          return { tip: a.getAttribute('aria-describedby'), outline: cs.outlineStyle, width: parseFloat(cs.outlineWidth) };
        });
        if (info) break;
      }
      assert(info, 'no glossary term was reached with Tab within 150 presses');
      assert(info.outline !== 'none' && info.width >= 2, `the focused term has no visible focus outline: ${JSON.stringify(info)}`);
      const t = await tipVisible(page, info.tip);
      assert(shown(t), `the definition does not show on keyboard focus: ${JSON.stringify(t)}`);
      await page.keyboard.press('Escape');
      assert(!shown(await tipVisible(page, info.tip)), 'Escape does not dismiss the definition');
      assertClean(page, { ignore });
    }));

  await R.test(`${tag} glossary definition shows on the first tap on a phone`, () =>
    withPage(browser, site, 'principles/building-trust.html', { viewport: PHONE, hasTouch: true, isMobile: true }, async (page) => {
      const hoverNone = await page.evaluate(() => matchMedia('(hover: none)').matches);
      assert(hoverNone, 'the phone emulation does not report (hover: none)');
      const term = page.locator('main .gloss-term').first();
      await term.scrollIntoViewIfNeeded();
      const tipId = await term.getAttribute('aria-describedby');
      const before = page.url();
      await term.tap();
      await page.waitForTimeout(200);
      assert(page.url() === before, `the first tap followed the link to ${page.url()}`);
      const t = await tipVisible(page, tipId);
      assert(shown(t), `the definition does not show on tap: ${JSON.stringify(t)}`);
      const box = await page.locator(`[id="${tipId}"]`).boundingBox();
      assert(box && box.x >= 0 && box.x + box.width <= PHONE.width + 1, `the definition runs off the screen: ${JSON.stringify(box)}`);
      await Promise.all([page.waitForURL(/glossary\//), term.tap()]);
      assertClean(page, { ignore });
    }));

  await R.test(`${tag} navigation at 390 px: the Menu opens and a link leads to its page`, () =>
    withPage(browser, site, 'principles/building-trust.html', { viewport: PHONE }, async (page) => {
      assert(!(await page.locator('nav.site-nav').isVisible()), 'the desktop sidebar shows on a phone');
      const summary = page.locator('details.nav-toggle > summary');
      assert(await summary.isVisible(), 'no Menu button on a phone');
      const link = page.locator('details.nav-toggle a', { hasText: 'Glossary' });
      assert(!(await link.isVisible()), 'the menu is open before it is asked for');
      await summary.click();
      await link.waitFor({ state: 'visible' });
      await Promise.all([page.waitForURL(/glossary\/index\.html$/), link.click()]);
      assert((await page.locator('main h1').textContent()).includes('Glossary'), 'the glossary page has no Glossary heading');
      const scrollW = await page.evaluate(() => document.documentElement.scrollWidth);
      assert(scrollW <= PHONE.width, `the page scrolls sideways on a phone (${scrollW} px wide)`);
      assertClean(page, { ignore });
    }));

  await R.test(`${tag} chapter tree: the current page is marked, its section open, others collapsible, without JavaScript too`, async () => {
    for (const javaScriptEnabled of [true, false]) {
      await withPage(browser, site, 'principles/building-trust.html', { viewport: DESKTOP, javaScriptEnabled }, async (page) => {
        const tree = page.locator('nav.site-nav ol.toc-tree');
        assert(await tree.isVisible(), `no chapter tree (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`);
        const current = tree.locator('a[aria-current="page"]');
        assert((await current.count()) === 1, 'not exactly one current chapter');
        assert((await current.textContent()).trim() === 'Building trust', `current chapter is ${await current.textContent()}`);
        // The section holding the page is open; another section is closed and opens on click.
        assert(await current.isVisible(), 'the current chapter is hidden in a closed section');
        // Held by its name: a locator for "the first closed section" moves on once it opens.
        const name = await tree.locator('details:not([open]) > summary').first().textContent();
        const closed = tree.locator('details', { has: page.locator(`xpath=./summary[normalize-space(.)="${name.trim()}"]`) });
        const inside = closed.locator('a').first();
        assert(!(await inside.isVisible()), 'a closed section shows its chapters');
        await closed.locator('xpath=./summary').click();
        assert(await closed.evaluate((d) => d.open), 'the toggle does not open its section');
        await inside.waitFor({ state: 'visible' });
      });
    }
  });

  await R.test(`${tag} previous and next: links at the bottom, and the arrow keys except while typing`, () =>
    withPage(browser, site, 'principles/building-trust.html', { viewport: DESKTOP }, async (page) => {
      const next = page.locator('nav.prev-next a[rel=next]');
      const prev = page.locator('nav.prev-next a[rel=prev]');
      assert((await next.count()) === 1 && (await prev.count()) === 1, 'no previous and next links');
      const nextHref = await next.getAttribute('href');
      const prevHref = await prev.getAttribute('href');
      // Typing in the search box does not turn the page.
      await page.locator('#search-input').focus();
      await page.keyboard.press('ArrowRight');
      await page.waitForTimeout(300);
      assert(page.url().endsWith('principles/building-trust.html'), 'an arrow key in the search box turned the page');
      await page.locator('main h1').click();
      await Promise.all([page.waitForURL((u) => u.href.endsWith(nextHref.replace(/^(\.\.\/)+/, ''))), page.keyboard.press('ArrowRight')]);
      await Promise.all([page.waitForURL(/principles\/building-trust\.html$/), page.keyboard.press('ArrowLeft')]);
      await Promise.all([page.waitForURL((u) => u.href.endsWith(prevHref.replace(/^(\.\.\/)+/, ''))), page.locator('nav.prev-next a[rel=prev]').click()]);
      assertClean(page, { ignore });
    }));

  await R.test(`${tag} chapter tree on a phone: inside the Menu drawer`, () =>
    withPage(browser, site, 'principles/building-trust.html', { viewport: PHONE }, async (page) => {
      const tree = page.locator('details.nav-toggle ol.toc-tree');
      assert(!(await tree.isVisible()), 'the tree shows before the Menu is opened');
      await page.locator('details.nav-toggle > summary').click();
      await tree.waitFor({ state: 'visible' });
      const scrollW = await page.evaluate(() => document.documentElement.scrollWidth);
      assert(scrollW <= PHONE.width, `the open Menu scrolls sideways (${scrollW} px wide)`);
    }));

  await R.test(`${tag} navigation at 1280 px: a sidebar link leads to its page, marked current`, () =>
    withPage(browser, site, 'index.html', { viewport: DESKTOP }, async (page) => {
      assert(await page.locator('nav.site-nav').isVisible(), 'no sidebar on a desktop');
      assert(!(await page.locator('details.nav-toggle').isVisible()), 'the phone Menu shows on a desktop');
      await Promise.all([
        page.waitForURL(/principles\/index\.html$/),
        page.locator('nav.site-nav a', { hasText: /^Guiding principles$/ }).click(),
      ]);
      const cur = await page.locator('nav.site-nav a[aria-current]').first().textContent();
      assert(cur.includes('Guiding principles'), `the current section is marked as ${JSON.stringify(cur)}`);
      // A page of the section is one click further.
      await Promise.all([
        page.waitForURL(/principles\/building-trust\.html$/),
        page.locator('main a[href$="building-trust.html"]').first().click(),
      ]);
      assertClean(page, { ignore });
    }));

  await R.test(`${tag} keyboard: the skip link comes first, shows, and moves to the content`, () =>
    withPage(browser, site, 'principles/building-trust.html', { viewport: DESKTOP }, async (page) => {
      await page.keyboard.press('Tab');
      const first = await page.evaluate(() => document.activeElement.className);
      assert(first.includes('skip-link'), `the first Tab stop is ${JSON.stringify(first)}`);
      const box = await page.locator('.skip-link').boundingBox();
      assert(box && box.x >= 0 && box.y >= 0 && box.x < DESKTOP.width, `the focused skip link is off screen: ${JSON.stringify(box)}`);
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      const inMain = await page.evaluate(() => !!document.activeElement.closest('main'));
      assert(inMain, 'after the skip link, Tab does not continue inside <main>');
      assertClean(page, { ignore });
    }));

  await R.test(`${tag} print: print.html holds every page, and print media hides header, nav and footer`, async () => {
    await withPage(browser, site, 'print.html', { viewport: DESKTOP }, async (page) => {
      const n = await page.locator('article.print-page').count();
      assert(n >= 50, `print.html holds ${n} articles`);
      await page.emulateMedia({ media: 'print' });
      const tip = await styleOf(page, '.gloss-tip', ['display']);
      assert(!tip || tip.display === 'none', 'glossary definitions are printed as loose text');
      const back = await styleOf(page, '.no-print', ['display']);
      assert(!back || back.display === 'none', 'the "back to the site" link is printed');
      assertClean(page, { ignore });
    });
    await withPage(browser, site, 'principles/building-trust.html', { viewport: DESKTOP }, async (page) => {
      await page.emulateMedia({ media: 'print' });
      for (const sel of ['.site-header', 'nav.site-nav', 'details.nav-toggle', '.site-footer', '#search-input']) {
        assert(!(await page.locator(sel).first().isVisible()), `${sel} is visible in print`);
      }
      assert(await page.locator('main h1').isVisible(), 'the page title is not printed');
      const pdf = await page.pdf({ format: 'A4' });
      assert(pdf.length > 5_000, `the printed page is only ${pdf.length} bytes`);
      assertClean(page, { ignore });
    });
  });

  await R.test(`${tag} every template type loads without console errors or outside requests`, async () => {
    const ctx = await newContext(browser, site, { viewport: DESKTOP });
    const errors = [];
    try {
      for (const [name, rel] of TEMPLATE_PAGES) {
        const page = await newPage(ctx);
        const resp = await page.goto(site.url(rel), { waitUntil: 'load' });
        if (site.kind === 'http' && (!resp || resp.status() !== 200)) errors.push(`${rel}: status ${resp && resp.status()}`);
        await page.waitForTimeout(50);
        try {
          assertClean(page, { ignore });
        } catch (e) {
          errors.push(`${name} (${rel}):\n${e.message}`);
        }
        const h1 = await page.locator('h1').count();
        if (h1 < 1) errors.push(`${name} (${rel}): no <h1>`);
        await page.close();
      }
    } finally {
      await ctx.close();
    }
    assert(errors.length === 0, errors.join('\n'));
  }, { timeout: 90_000 });

  await R.test(`${tag} every internal link on the home page and the principle page resolves`, async () => {
    const ctx = await newContext(browser, site, { viewport: DESKTOP });
    try {
      const page = await newPage(ctx);
      const targets = new Set();
      for (const rel of ['index.html', 'principles/building-trust.html']) {
        await page.goto(site.url(rel));
        const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
        for (const h of hrefs) {
          if (h.startsWith(site.base)) targets.add(h.split('#')[0]);
          else if (!/^(https?:|mailto:)/.test(h)) throw new Error(`${rel}: link ${h} is neither inside the site nor external`);
        }
      }
      const missing = [];
      for (const t of targets) {
        const p = await newPage(ctx);
        const resp = await p.goto(t, { waitUntil: 'domcontentloaded' }).catch((e) => ({ status: () => e.message }));
        const st = resp && resp.status();
        // file:// answers with status 0 when the file exists; a missing one throws.
        if (!(st === 200 || (site.kind === 'file' && st === 0))) missing.push(`${t}: ${st}`);
        await p.close();
      }
      assert(missing.length === 0, `links that do not resolve:\n${missing.join('\n')}`);
    } finally {
      await ctx.close();
    }
  }, { timeout: 120_000 });

  if (site.kind === 'http') {
    await R.test(`${tag} the 404 page served for a missing address one and three folders deep is styled and links to the site`, async () => {
      const ctx = await newContext(browser, site, { viewport: DESKTOP });
      try {
        for (const rel of ['principles/no-such-page.html', 'a/b/c/no-such-page.html']) {
          const page = await newPage(ctx);
          const resp = await page.goto(site.url(rel));
          assert(resp && resp.status() === 404, `${rel}: status ${resp && resp.status()}`);
          const h1 = await page.locator('main h1').innerText();
          assert(h1 === 'Page not found', `${rel}: the page shows ${JSON.stringify(h1)}`);
          const styled = await page.evaluate(() => [...document.styleSheets].some((s) => {
            try { return s.href && /assets\/style\.css$/.test(s.href) && s.cssRules.length > 0; } catch (e) { return false; }
          }));
          assert(styled, `${rel}: the stylesheet did not load`);
          const home = await page.getByRole('link', { name: 'Go to the home page' }).evaluate((a) => a.href);
          assert(home === site.url('index.html'), `${rel}: "Go to the home page" leads to ${home}`);
          await page.close();
        }
      } finally {
        await ctx.close();
      }
    });
  }
}
