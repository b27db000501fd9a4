// Reading comfort: glossary definitions that meet WCAG 1.4.13 (inside the window at every width,
// hoverable, dismissable, persistent), the colour theme (system preference, a remembered button,
// no flash of the wrong theme), the on-page contents' numbering, and pages that fit a 320 px
// screen.

import fs from 'node:fs';
import { newContext, newPage, assertClean, assert } from './lib.mjs';
import { DESKTOP, PHONE, withPage, ignoreFor } from './site.mjs';

export const WIDTHS = [320, 390, 768, 1024, 1280, 1920];

/** Pages with glossary terms in running text, lists, tables and the facts box. */
const GLOSS_PAGES = [
  'about.html',
  'principles/building-trust.html',
  'agreements/commit-mou.html',
  'agreements/cbss-model-mou.html',
  'practices/index.html',
  'glossary/reflection-period.html',
];

/** Every page of the built folder holding `needle`, relative to it (print.html aside). */
export function pagesWith(dir, needle = '') {
  const out = [];
  const walk = (d, rel) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(`${d}/${e.name}`, `${rel}${e.name}/`);
      else if (e.name.endsWith('.html') && e.name !== 'print.html' && (!needle || fs.readFileSync(`${d}/${e.name}`, 'utf8').includes(needle))) out.push(`${rel}${e.name}`);
    }
  };
  walk(dir, '');
  return out.sort();
}

/**
 * Focuses every glossary term of the page in turn, with the term at the bottom of the window
 * (the hardest place: the definition must flip above it), and returns the definitions that are
 * not shown or not wholly inside the window.
 */
async function definitionsOutside(page) {
  return page.evaluate(() => {
    const out = [];
    const vw = document.documentElement.clientWidth;
    const vh = window.innerHeight;
    const terms = [...document.querySelectorAll('main .gloss-term')];
    for (const [i, a] of terms.entries()) {
      a.scrollIntoView({ block: i % 2 ? 'end' : 'start' });
      a.focus();
      const tip = document.getElementById(a.getAttribute('aria-describedby'));
      const b = tip.getBoundingClientRect();
      const shown = getComputedStyle(tip).display !== 'none' && b.width > 0 && b.height > 0;
      const over = Math.max(0, -b.left, b.right - vw, -b.top, b.bottom - vh);
      if (!shown || over > 0.5) out.push(`"${a.textContent}" ${shown ? `runs ${Math.round(over)} px out of the window` : 'is not shown'} (${Math.round(b.left)},${Math.round(b.top)}–${Math.round(b.right)},${Math.round(b.bottom)} in ${vw}×${vh})`);
      a.blur();
    }
    return { count: terms.length, out };
  });
}

function tipShown(page, id) {
  return page.evaluate((id) => {
    const tip = document.getElementById(id);
    const r = tip.getBoundingClientRect();
    return getComputedStyle(tip).display !== 'none' && r.width > 0 && r.height > 0;
  }, id);
}

export async function readingSuite(R, browser, site, opts) {
  const tag = `[${site.label}]`;
  const ignore = ignoreFor(opts);
  // Every page with a glossary term on request (ACCORD_READING_ALL=1), else a sample.
  const all = process.env.ACCORD_READING_ALL === '1' && opts.siteDir;
  const glossPages = all ? pagesWith(opts.siteDir, 'gloss-tip') : GLOSS_PAGES;

  for (const width of WIDTHS) {
    await R.test(`${tag} every glossary definition inside the window at ${width} px (${glossPages.length} pages)`, async () => {
      const ctx = await newContext(browser, site, { viewport: { width, height: 800 } });
      const bad = [];
      let count = 0;
      try {
        const page = await newPage(ctx);
        for (const rel of glossPages) {
          await page.goto(site.url(rel));
          const r = await definitionsOutside(page);
          count += r.count;
          bad.push(...r.out.map((o) => `${rel}: ${o}`));
        }
        assertClean(page, { ignore });
      } finally {
        await ctx.close();
      }
      assert(count >= 10, `only ${count} glossary terms on ${glossPages.length} pages`);
      assert(bad.length === 0, `${bad.length} of ${count} definitions:\n${bad.join('\n')}`);
    }, { timeout: all ? 300_000 : 60_000 });
  }

  await R.test(`${tag} glossary definition: the pointer can move onto it, it stays until the pointer leaves, Escape dismisses it`, () =>
    withPage(browser, site, 'principles/building-trust.html', { viewport: DESKTOP }, async (page) => {
      const term = page.locator('main .gloss-term').first();
      const id = await term.getAttribute('aria-describedby');
      await term.hover();
      assert(await tipShown(page, id), 'the definition does not show on hover');
      // Slowly, in small steps from the term onto the definition: it must not vanish on the way.
      const t = await term.boundingBox();
      const d = await page.locator(`[id="${id}"]`).boundingBox();
      const from = { x: t.x + t.width / 2, y: t.y + t.height / 2 };
      const to = { x: Math.min(d.x + d.width - 4, Math.max(d.x + 4, from.x)), y: d.y + d.height / 2 };
      await page.mouse.move(from.x, from.y);
      for (let s = 1; s <= 10; s++) {
        await page.mouse.move(from.x + ((to.x - from.x) * s) / 10, from.y + ((to.y - from.y) * s) / 10);
        assert(await tipShown(page, id), `the definition vanished on the way from the term onto it (step ${s} of 10)`);
      }
      await page.waitForTimeout(500);
      assert(await tipShown(page, id), 'the definition did not stay while the pointer rests on it');
      await page.keyboard.press('Escape');
      assert(!(await tipShown(page, id)), 'Escape does not dismiss a definition shown by hover');
      await page.mouse.move(1, 1);
      assert(!(await tipShown(page, id)), 'the definition stays after the pointer left');
      await term.hover();
      assert(await tipShown(page, id), 'after Escape the definition does not come back on the next hover');
      // Keyboard: Escape dismisses without moving the focus.
      await page.mouse.move(1, 1);
      await term.focus();
      assert(await tipShown(page, id), 'the definition does not show on focus');
      await page.keyboard.press('Escape');
      assert(!(await tipShown(page, id)), 'Escape does not dismiss a definition shown by focus');
      const still = await page.evaluate((id) => document.activeElement.getAttribute('aria-describedby') === id, id);
      assert(still, 'Escape moved the focus away from the term');
      assertClean(page, { ignore });
    }));

  await R.test(`${tag} glossary definition on a phone: the first tap opens it, a tap elsewhere closes it`, () =>
    withPage(browser, site, 'principles/building-trust.html', { viewport: PHONE, hasTouch: true, isMobile: true }, async (page) => {
      const term = page.locator('main .gloss-term').first();
      await term.scrollIntoViewIfNeeded();
      const id = await term.getAttribute('aria-describedby');
      const before = page.url();
      await term.tap();
      assert(page.url() === before, 'the first tap followed the link');
      assert(await tipShown(page, id), 'the definition does not open on the first tap');
      const box = await page.locator(`[id="${id}"]`).boundingBox();
      assert(box.x >= 0 && box.x + box.width <= PHONE.width && box.y >= 0 && box.y + box.height <= PHONE.height, `the definition is not inside the screen: ${JSON.stringify(box)}`);
      // A tap on plain text of the page, away from the term and the definition.
      await page.evaluate(() => window.scrollTo(0, 0));
      const h1 = await page.locator('main h1').boundingBox();
      await page.touchscreen.tap(h1.x + 5, h1.y + 5);
      await page.waitForTimeout(100);
      assert(!(await tipShown(page, id)), 'the definition stays open after a tap elsewhere');
      assertClean(page, { ignore });
    }));

  await R.test(`${tag} glossary definition without JavaScript: shown on focus and on hover`, () =>
    withPage(browser, site, 'principles/building-trust.html', { viewport: DESKTOP, javaScriptEnabled: false }, async (page) => {
      const term = page.locator('main .gloss-term').first();
      const id = await term.getAttribute('aria-describedby');
      assert(!(await tipShown(page, id)), 'the definition shows before anything is done');
      await term.focus();
      assert(await tipShown(page, id), 'the definition does not show on focus without JavaScript');
      await page.locator('main h1').click();
      await term.hover();
      assert(await tipShown(page, id), 'the definition does not show on hover without JavaScript');
      await page.locator(`[id="${id}"]`).hover();
      assert(await tipShown(page, id), 'without JavaScript the definition vanishes when the pointer moves onto it');
    }));

  await R.test(`${tag} colour theme: the system's dark preference, the button, remembered across pages with no flash`, async () => {
    // The theme attribute as the parser reaches the stylesheet: set there, the first paint has it.
    const probe = () => {
      window.__themeAtStylesheet = 'not seen';
      new MutationObserver((records, obs) => {
        for (const r of records) for (const n of r.addedNodes) {
          if (n.nodeName === 'LINK' && /style\.css$/.test(n.getAttribute('href') || '')) {
            window.__themeAtStylesheet = document.documentElement.getAttribute('data-theme');
            obs.disconnect();
          }
        }
      }).observe(document, { childList: true, subtree: true });
    };
    const bg = (page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const ctx = await newContext(browser, site, { viewport: DESKTOP, colorScheme: 'light' });
    try {
      await ctx.addInitScript(probe);
      const page = await newPage(ctx);
      await page.goto(site.url('principles/building-trust.html'));
      assert((await bg(page)) === 'rgb(255, 255, 255)', `light page background is ${await bg(page)}`);
      const button = page.locator('button.theme-toggle');
      assert(await button.isVisible(), 'no theme button');
      assert((await button.getAttribute('aria-pressed')) === 'false', 'the button says dark in the light theme');
      await button.click();
      assert((await bg(page)) === 'rgb(13, 17, 23)', `after the button the background is ${await bg(page)}`);
      assert((await button.getAttribute('aria-pressed')) === 'true', 'the button does not say it is pressed');
      // Another page, and the same page again: dark from before the stylesheet.
      for (const rel of ['glossary/index.html', 'principles/building-trust.html']) {
        await page.goto(site.url(rel));
        const at = await page.evaluate(() => window.__themeAtStylesheet);
        assert(at === 'dark', `${rel}: the theme at the stylesheet was ${JSON.stringify(at)}, so the first paint is light`);
        assert((await bg(page)) === 'rgb(13, 17, 23)', `${rel}: the chosen dark theme was not kept (${await bg(page)})`);
      }
      await page.locator('button.theme-toggle').click();
      await page.goto(site.url('index.html'));
      assert((await bg(page)) === 'rgb(255, 255, 255)', 'choosing light again was not kept');
      assertClean(page, { ignore });
    } finally {
      await ctx.close();
    }
    // The system's preference without a choice, and with JavaScript off.
    for (const javaScriptEnabled of [true, false]) {
      await withPage(browser, site, 'index.html', { viewport: DESKTOP, colorScheme: 'dark', javaScriptEnabled }, async (page) => {
        assert((await bg(page)) === 'rgb(13, 17, 23)', `the system's dark preference gives ${await bg(page)} (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`);
        if (javaScriptEnabled) {
          assert((await page.locator('button.theme-toggle').getAttribute('aria-pressed')) === 'true', 'in the system dark theme the button is not pressed');
        } else {
          assert(!(await page.locator('button.theme-toggle').isVisible()), 'without JavaScript a theme button that cannot work shows');
        }
      });
    }
    // Chosen dark and system dark give the same colours (the stylesheet's two dark blocks agree).
    const vars = ['--fg', '--muted', '--bg', '--bg-soft', '--line', '--link', '--link-visited', '--accent', '--badge-bg', '--badge-fg', '--focus', '--tip-bg', '--tip-fg', '--yes-bg', '--mark-bg', '--callout-note-bg', '--code-bg', '--tl-event'];
    const read = (page) => page.evaluate((vars) => vars.map((v) => getComputedStyle(document.documentElement).getPropertyValue(v).trim()), vars);
    const sys = await withPage(browser, site, 'index.html', { colorScheme: 'dark' }, read);
    const chosen = await withPage(browser, site, 'index.html', { colorScheme: 'light' }, async (page) => {
      await page.locator('button.theme-toggle').click();
      return read(page);
    });
    const differ = vars.filter((v, i) => sys[i] !== chosen[i]).map((v) => `${v}: system ${sys[vars.indexOf(v)]}, chosen ${chosen[vars.indexOf(v)]}`);
    assert(differ.length === 0, `the chosen dark theme differs from the system's:\n${differ.join('\n')}`);
  }, { timeout: 90_000 });

  await R.test(`${tag} on-page contents: numbered 1, 2, 2.1 … as the headings nest, beside the text at 1280 px`, async () => {
    const ctx = await newContext(browser, site, { viewport: DESKTOP });
    try {
      const page = await newPage(ctx);
      const pages = opts.siteDir ? pagesWith(opts.siteDir, 'class="toc-list"') : ['agreements/commit-mou.html'];
      const wrong = [];
      let nested = 0;
      for (const rel of pages) {
        await page.goto(site.url(rel));
        const r = await page.evaluate(() => {
          const toc = document.querySelector('nav.toc[aria-label="On this page"]');
          if (!toc) return null;
          const got = [...toc.querySelectorAll('li')].map((li) => li.querySelector(':scope > a .toc-number').textContent);
          // The numbers the headings call for, counted from the page's own h2 and h3.
          const want = [];
          let h2 = 0, h3 = 0, inSection = false;
          for (const h of document.querySelectorAll('.content h2, .content h3')) {
            if (!toc.querySelector(`a[href="#${CSS.escape(h.id)}"]`)) continue;
            if (h.tagName === 'H2') { h2++; h3 = 0; inSection = true; want.push(`${h2}`); }
            else if (inSection) { h3++; want.push(`${h2}.${h3}`); }
            else { h2++; want.push(`${h2}`); }
          }
          const markers = [...toc.querySelectorAll('li')].map((li) => getComputedStyle(li).listStyleType);
          const box = toc.getBoundingClientRect();
          const text = document.querySelector('.content').getBoundingClientRect();
          return { got, want, markers: [...new Set(markers)], beside: box.left >= text.right, sticky: getComputedStyle(toc).position };
        });
        if (!r) continue;
        if (r.got.some((n) => n.includes('.'))) nested++;
        if (JSON.stringify(r.got) !== JSON.stringify(r.want)) wrong.push(`${rel}: ${r.got.join(', ')} (expected ${r.want.join(', ')})`);
        if (r.markers.join() !== 'none') wrong.push(`${rel}: list markers ${r.markers.join()} beside the numbers`);
        if (!r.beside || r.sticky !== 'sticky') wrong.push(`${rel}: the contents are not a sticky column beside the text at 1280 px (${JSON.stringify(r)})`);
      }
      assert(nested >= 1, 'no page has nested contents to check');
      assert(wrong.length === 0, wrong.join('\n'));
    } finally {
      await ctx.close();
    }
  }, { timeout: 120_000 });

  await R.test(`${tag} phone header: one bar with the site title, theme button and Menu; the page's heading on the first screen`, () =>
    withPage(browser, site, 'agreements/commit-mou.html', { viewport: PHONE }, async (page) => {
      const top = async (sel) => (await page.locator(sel).first().boundingBox()).y;
      const title = await top('.site-title');
      const menu = await top('details.nav-toggle > summary');
      assert(Math.abs(title - menu) < 12, `the Menu (${menu}) is not in the bar with the site title (${title})`);
      const header = await page.locator('header.site-header').boundingBox();
      assert(header.height <= 120, `the header is ${header.height} px high on a phone`);
      // The facts box starts on the first screen: the title does not fill it.
      const facts = await page.locator('dl.facts').boundingBox();
      assert(facts && facts.y < PHONE.height, `the page's facts start at ${facts && facts.y} px, below the first screen`);
      // The open Menu lies over the page and does not widen it.
      await page.locator('details.nav-toggle > summary').click();
      const link = page.locator('details.nav-toggle .nav-list a').first();
      await link.waitFor({ state: 'visible' });
      const w = await page.evaluate(() => document.documentElement.scrollWidth);
      assert(w <= PHONE.width, `the open Menu makes the page ${w} px wide`);
    }));

  await R.test(`${tag} no page is wider than a 320 px screen`, async () => {
    // In a further language's folder, a page not yet translated is the original (checked in
    // its own language) under the same frame as the translated ones: those are enough.
    const untranslated = (rel) => fs.readFileSync(`${opts.siteDir}/${rel}`, 'utf8').includes('class="translation-note untranslated"');
    const pages = opts.siteDir ? pagesWith(opts.siteDir).filter((rel) => !untranslated(rel)) : ['index.html', 'tags/institutionalisation.html', 'tags/intergovernmental.html', 'timeline.html'];
    const ctx = await newContext(browser, site, { viewport: { width: 320, height: 640 } });
    const wide = [];
    try {
      const page = await newPage(ctx);
      for (const rel of pages) {
        await page.goto(site.url(rel));
        const r = await page.evaluate(() => {
          const w = document.documentElement.scrollWidth;
          if (w <= innerWidth) return null;
          const over = [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > innerWidth + 0.5);
          return `${w} px (${over.slice(-3).map((e) => `${e.tagName.toLowerCase()}.${e.className}`).join(', ')})`;
        });
        if (r) wide.push(`${rel}: ${r}`);
      }
    } finally {
      await ctx.close();
    }
    assert(wide.length === 0, wide.join('\n'));
    // Every page of the site, one after another: like the accessibility sweep, its budget is the
    // whole site's, not one check's. On a loaded 2-core machine the bundled site took 155 s.
  }, { timeout: 600_000 });

  await R.test(`${tag} timeline: no label cut or outside its chart, a legend, at 320, 390 and 1280 px`, async () => {
    for (const width of [320, 390, 1280]) {
      await withPage(browser, site, 'timeline.html', { viewport: { width, height: 800 } }, async (page) => {
        const r = await page.evaluate(() => {
          const chart = document.querySelector('.tl-chart').getBoundingClientRect();
          const bad = [];
          for (const t of document.querySelectorAll('.tl-text')) {
            const b = t.getBoundingClientRect();
            if (b.left < chart.left - 0.5 || b.right > chart.right + 0.5) bad.push(`${t.textContent.slice(0, 40)}: ${Math.round(b.left)}–${Math.round(b.right)} outside ${Math.round(chart.left)}–${Math.round(chart.right)}`);
            if (t.textContent.includes('…')) bad.push(`${t.textContent.slice(0, 40)}: cut`);
          }
          // A word split over two lines: the DOM-range method, one word at a time.
          for (const a of document.querySelectorAll('.tl-text a')) {
            const text = a.firstChild;
            if (!text || text.nodeType !== 3) continue;
            const re = /\S+/g;
            let m;
            while ((m = re.exec(text.data))) {
              const range = document.createRange();
              range.setStart(text, m.index);
              range.setEnd(text, m.index + m[0].length);
              const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
              if (tops.size > 1 && !/[-–]/.test(m[0])) bad.push(`"${m[0]}" is broken over two lines`);
            }
          }
          return { bad, legend: document.querySelectorAll('.tl-legend li').length, rows: document.querySelectorAll('.tl-row').length };
        });
        assert(r.rows >= 10, `${r.rows} timeline rows`);
        assert(r.legend === 4, `the legend has ${r.legend} entries`);
        assert(r.bad.length === 0, `at ${width} px:\n${r.bad.join('\n')}`);
      });
    }
  });
}
