// Accessibility: axe-core at WCAG 2.1 A and AA and its best-practice rules on one page of each
// template type, in the light and the dark colour scheme, focus that is always visible, and
// motion that stops when the reader asks for it.

import { createRequire } from 'node:module';
import fs from 'node:fs';
import { newContext, newPage, assertClean, assert } from './lib.mjs';
import { TEMPLATE_PAGES, DESKTOP, PHONE, ignoreFor, withPage } from './site.mjs';
import { typeQuery } from './search.mjs';

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

// Violations whose fix lies outside the theme, each naming where it is fixed. They are
// printed as KNOWN on every run, so they stay in sight; ACCORD_AXE_STRICT=1 makes them fail.
// None at present.
const KNOWN = [];
const STRICT = process.env.ACCORD_AXE_STRICT === '1';

/** Run axe on the page as it is now; return readable violations. */
export async function axe(page, context = null) {
  // Injected as a script element so it also works on file:// pages.
  if (!(await page.evaluate(() => !!window.axe))) await page.addScriptTag({ content: AXE });
  const res = await page.evaluate(
    async ([tags, context]) => {
      const r = await window.axe.run(context || document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html, summary: n.failureSummary.replace(/\s+/g, ' ').slice(0, 300) })),
      }));
    },
    [TAGS, context],
  );
  // Set the known violations apart, and print them.
  const out = [];
  for (const v of res) {
    const known = STRICT ? null : KNOWN.find((k) => k.id === v.id);
    const rest = known ? v.nodes.filter((n) => !known.html.test(n.html)) : v.nodes;
    if (known && rest.length < v.nodes.length) {
      console.log(`  # KNOWN ${v.id} on ${v.nodes.length - rest.length} node(s) of ${page.url()}: ${known.why}`);
    }
    if (rest.length) out.push({ ...v, nodes: rest });
  }
  return out;
}

function describe(violations) {
  return violations
    .map((v) => {
      const n = v.nodes.length;
      const nodes = v.nodes.slice(0, 5).map((x) => `${x.target}: ${x.html.slice(0, 120)}\n      ${x.summary}`);
      return `${v.id} (${v.impact}, ${n} node${n === 1 ? '' : 's'}): ${v.help}\n    ${nodes.join('\n    ')}`;
    })
    .join('\n');
}

/** Every page of a built site, relative to its folder. */
function allPages(dir) {
  const out = [];
  const walk = (d, rel) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(`${d}/${e.name}`, `${rel}${e.name}/`);
      else if (e.name.endsWith('.html')) out.push(`${rel}${e.name}`);
    }
  };
  walk(dir, '');
  return out.sort();
}

export async function a11ySuite(R, browser, site, opts) {
  const ignore = ignoreFor(opts);
  const pages = [...TEMPLATE_PAGES];
  if (opts.hasSearch) pages.push(['search page', 'search.html?q=trust']);

  for (const [name, rel] of pages) {
    for (const [vp, colorScheme] of [[DESKTOP, 'light'], [PHONE, 'light'], [DESKTOP, 'dark'], [PHONE, 'dark']]) {
      await R.test(`axe WCAG 2.1 AA and best practice: ${name} (${rel}) at ${vp.width} px, ${colorScheme}`, () =>
        withPage(browser, site, rel, { viewport: vp, colorScheme }, async (page) => {
          if (rel.startsWith('search.html')) await page.waitForTimeout(1500);
          const v = await axe(page);
          assert(v.length === 0, describe(v));
          assertClean(page, { ignore });
        }));
    }
  }

  // Every page, not only one of each template: content can bring its own violations
  // (tables, lists, headings). Slower, so on request: ACCORD_AXE_ALL=1.
  if (process.env.ACCORD_AXE_ALL === '1' && opts.siteDir) {
    const all = allPages(opts.siteDir);
    for (const [vp, colorScheme] of [[PHONE, 'light'], [DESKTOP, 'light'], [PHONE, 'dark'], [DESKTOP, 'dark']]) {
      await R.test(`axe WCAG 2.1 AA and best practice: all ${all.length} pages at ${vp.width} px, ${colorScheme}`, async () => {
        const ctx = await newContext(browser, site, { viewport: vp, colorScheme });
        const bad = [];
        try {
          const page = await newPage(ctx);
          for (const rel of all) {
            await page.goto(site.url(rel));
            const v = await axe(page);
            if (v.length) bad.push(`${rel}:\n${describe(v)}`);
          }
        } finally {
          await ctx.close();
        }
        assert(bad.length === 0, bad.join('\n'));
      }, { timeout: 600_000 });
    }
  }

  await R.test('axe WCAG 2.1 AA: a glossary definition while it shows', () =>
    withPage(browser, site, 'principles/building-trust.html', { viewport: DESKTOP }, async (page) => {
      await page.locator('main .gloss-term').first().focus();
      const v = await axe(page, '.gloss');
      assert(v.length === 0, describe(v));
    }));

  await R.test('axe WCAG 2.1 AA: the phone menu while it is open', () =>
    withPage(browser, site, 'index.html', { viewport: PHONE }, async (page) => {
      await page.locator('details.nav-toggle > summary').click();
      const v = await axe(page);
      assert(v.length === 0, describe(v));
    }));

  if (opts.hasSearch) {
    await R.test('axe WCAG 2.1 AA: the search popup with results', () =>
      withPage(browser, site, 'index.html', { viewport: DESKTOP }, async (page) => {
        await typeQuery(page, 'referral');
        const v = await axe(page);
        assert(v.length === 0, describe(v));
      }));
  }

  await R.test('keyboard: every Tab stop on a page shows a visible focus indicator', async () => {
    const problems = [];
    for (const [rel, vp] of [['principles/building-trust.html', DESKTOP], ['matrix.html', DESKTOP], ['glossary/index.html', PHONE]]) {
      await withPage(browser, site, rel, { viewport: vp }, async (page) => {
        const seen = new Set();
        for (let i = 0; i < 60; i++) {
          await page.keyboard.press('Tab');
          const f = await page.evaluate(() => {
            const a = document.activeElement;
            if (!a || a === document.body) return null;
            const cs = getComputedStyle(a);
            const r = a.getBoundingClientRect();
            return {
              what: `${a.tagName.toLowerCase()}${a.id ? '#' + a.id : ''}${a.className && typeof a.className === 'string' ? '.' + a.className.split(' ')[0] : ''} "${(a.textContent || a.value || '').trim().slice(0, 30)}"`,
              key: a.outerHTML.slice(0, 200),
              outline: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2,
              shadow: cs.boxShadow !== 'none',
              focusVisible: a.matches(':focus-visible'),
              onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth,
            };
          });
          if (!f) continue;
          if (seen.has(f.key)) break;
          seen.add(f.key);
          if (!f.focusVisible) problems.push(`${rel}: ${f.what} does not match :focus-visible after Tab`);
          if (!f.outline && !f.shadow) problems.push(`${rel}: ${f.what} has no focus outline`);
          if (!f.onScreen) problems.push(`${rel}: ${f.what} is focused but not on screen`);
        }
        assert(seen.size >= 10, `${rel}: only ${seen.size} Tab stops`);
      });
    }
    assert(problems.length === 0, problems.join('\n'));
  }, { timeout: 120_000 });

  await R.test('keyboard: the phone Menu opens with Enter and its links are reachable with Tab', () =>
    withPage(browser, site, 'index.html', { viewport: PHONE }, async (page) => {
      let onSummary = false;
      for (let i = 0; i < 10 && !onSummary; i++) {
        await page.keyboard.press('Tab');
        onSummary = await page.evaluate(() => document.activeElement.matches('details.nav-toggle > summary'));
      }
      assert(onSummary, 'the Menu button is not reached with Tab');
      await page.keyboard.press('Enter');
      assert(await page.evaluate(() => document.querySelector('details.nav-toggle').open), 'Enter does not open the Menu');
      await page.keyboard.press('Tab');
      const inMenu = await page.evaluate(() => !!document.activeElement.closest('details.nav-toggle .nav-list'));
      assert(inMenu, 'Tab after opening the Menu does not go into it');
    }));

  await R.test('reduced motion: no transitions or animations when the reader asks for less motion', () =>
    withPage(browser, site, 'principles/building-trust.html', { viewport: DESKTOP, reducedMotion: 'reduce' }, async (page) => {
      const moving = await page.evaluate(() => {
        const out = [];
        const secs = (v) => v.split(',').map((s) => parseFloat(s) || 0).reduce((a, b) => Math.max(a, b), 0);
        for (const el of document.querySelectorAll('body, body *')) {
          for (const pseudo of [null, '::before', '::after']) {
            const cs = getComputedStyle(el, pseudo);
            const t = secs(cs.transitionDuration);
            const a = cs.animationName !== 'none' ? secs(cs.animationDuration) : 0;
            if (t > 0.01 || a > 0.01) out.push(`${el.tagName.toLowerCase()}.${el.className}${pseudo || ''}: transition ${cs.transitionDuration}, animation ${cs.animationName} ${cs.animationDuration}`);
          }
        }
        const smooth = getComputedStyle(document.documentElement).scrollBehavior === 'smooth';
        if (smooth) out.push('html: scroll-behavior smooth');
        return out;
      });
      assert(moving.length === 0, moving.slice(0, 20).join('\n'));
    }));

  await R.test('reflow: no template page scrolls sideways at 390 or 1280 px', async () => {
    const wide = [];
    for (const vp of [PHONE, DESKTOP]) {
      const ctx = await newContext(browser, site, { viewport: vp });
      try {
        const page = await newPage(ctx);
        for (const [name, rel] of pages) {
          await page.goto(site.url(rel));
          const w = await page.evaluate(() => document.documentElement.scrollWidth);
          if (w > vp.width) wide.push(`${name} (${rel}) at ${vp.width} px is ${w} px wide`);
        }
      } finally {
        await ctx.close();
      }
    }
    assert(wide.length === 0, wide.join('\n'));
  }, { timeout: 90_000 });

  await R.test('lang: every template type declares the language of the page', async () => {
    const ctx = await newContext(browser, site);
    try {
      const page = await newPage(ctx);
      const missing = [];
      for (const [name, rel] of pages) {
        await page.goto(site.url(rel));
        const lang = await page.getAttribute('html', 'lang');
        if (!lang || !/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(lang)) missing.push(`${name} (${rel}): lang=${JSON.stringify(lang)}`);
      }
      assert(missing.length === 0, missing.join('\n'));
    } finally {
      await ctx.close();
    }
  });
}
