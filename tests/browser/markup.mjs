#!/usr/bin/env node
// The markup fixture (tests/fixtures/markup) in Chromium, over http (axe reads stylesheets with
// requests that a page opened from disk may not make): callouts,
// highlighted code and MathML pass axe-core (WCAG 2.1 AA) in the light and the dark colour
// scheme, take that scheme's colours, render formulas natively, fit a phone's width, and ask
// for nothing outside the site.
//
//   node tests/browser/markup.mjs --http http://127.0.0.1:PORT/markup.html
//
// Exit status 0 when every check passed, 1 otherwise.

import { parseArgs, launch, Site, Runner, newContext, newPage, assertClean, assert, styleOf } from './lib.mjs';
import { axe } from './a11y.mjs';
import { PHONE, DESKTOP } from './site.mjs';

const args = parseArgs(process.argv.slice(2));
if (!args.http) {
  console.error('usage: markup.mjs --http http://127.0.0.1:PORT/markup.html');
  process.exit(2);
}
const site = new Site('http', args.http);
const pageRel = args.http.slice(args.http.lastIndexOf('/') + 1);

// The theme's colours for each scheme (themes/default/static/style.css), as computed styles.
const SCHEMES = {
  light: { noteBg: 'rgb(238, 245, 252)', noteTitle: 'rgb(11, 92, 173)', keyword: 'rgb(179, 29, 40)', codeBg: 'rgb(244, 246, 248)' },
  dark: { noteBg: 'rgb(15, 35, 56)', noteTitle: 'rgb(140, 196, 255)', keyword: 'rgb(255, 123, 114)', codeBg: 'rgb(22, 27, 34)' },
};

const R = new Runner();
const browser = await launch();
try {
  for (const [scheme, want] of Object.entries(SCHEMES)) {
    for (const vp of [DESKTOP, PHONE]) {
      await R.test(`markup fixture, ${scheme} scheme at ${vp.width} px: axe, colours, MathML, width`, async () => {
        const ctx = await newContext(browser, site, { colorScheme: scheme, viewport: vp });
        try {
          const page = await newPage(ctx);
          await page.goto(site.url(pageRel), { waitUntil: 'load' });
          const violations = await axe(page);
          assert(
            violations.length === 0,
            violations.map((v) => `${v.id}: ${v.help}\n    ${v.nodes.slice(0, 5).map((n) => `${n.target}: ${n.summary}`).join('\n    ')}`).join('\n'),
          );
          const note = await styleOf(page, '.callout-note', ['background-color']);
          const title = await styleOf(page, '.callout-note .callout-title', ['color']);
          const keyword = await styleOf(page, 'code.language-rust .hl-keyword', ['color']);
          const pre = await styleOf(page, '.content pre', ['background-color']);
          const got = { noteBg: note?.['background-color'], noteTitle: title?.color, keyword: keyword?.color, codeBg: pre?.['background-color'] };
          assert(JSON.stringify(got) === JSON.stringify(want), `colours ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
          // Formulas render as MathML: laid out, with a fraction taller than a line of text.
          const math = await page.evaluate(() => {
            const frac = document.querySelector('math mfrac');
            const block = document.querySelector('math[display="block"]');
            return {
              count: document.querySelectorAll('math').length,
              frac: frac ? frac.getBoundingClientRect().height : 0,
              line: parseFloat(getComputedStyle(document.body).fontSize),
              blockDisplay: block ? getComputedStyle(block).display : null,
            };
          });
          assert(math.count === 5, `${math.count} formulas, expected 5`);
          assert(math.frac > math.line, `a fraction ${math.frac}px high next to ${math.line}px text: MathML not laid out`);
          assert(math.blockDisplay === 'block math', `display formula shown as ${math.blockDisplay}`);
          // Nothing wider than the screen: long code and formulas scroll inside their box.
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert(overflow <= 0, `the page is ${overflow}px wider than the screen`);
          assertClean(page);
        } finally {
          await ctx.close().catch(() => {});
        }
      });
    }
  }
} finally {
  await browser.close().catch(() => {});
}
process.exit(R.summary() ? 0 : 1);
