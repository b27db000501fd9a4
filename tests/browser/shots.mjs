// Screenshots for a person to look at: the pages practitioners use most, at phone and
// desktop widths. Written to a folder that is not committed (screenshots/ by default).

import fs from 'node:fs';
import path from 'node:path';
import { assert } from './lib.mjs';
import { PHONE, DESKTOP, withPage, ignoreFor } from './site.mjs';
import { typeQuery } from './search.mjs';

export async function screenshotSuite(R, browser, site, opts) {
  const dir = path.resolve(opts.screenshots);
  fs.mkdirSync(dir, { recursive: true });
  const shots = [
    ['home', 'index.html'],
    ['principle', 'principles/building-trust.html'],
    ['glossary', 'glossary/index.html'],
    ['matrix', 'matrix.html'],
    ['timeline', 'timeline.html'],
  ];
  for (const vp of [PHONE, DESKTOP]) {
    for (const [name, rel] of shots) {
      await R.test(`screenshot: ${name} at ${vp.width} px`, () =>
        withPage(browser, site, rel, { viewport: vp }, async (page) => {
          const file = path.join(dir, `${name}-${vp.width}.png`);
          await page.screenshot({ path: file, fullPage: true, timeout: 20_000 });
          assert(fs.statSync(file).size > 5_000, `${file} is suspiciously small`);
        }));
    }
    // A glossary definition as it shows on focus.
    await R.test(`screenshot: glossary definition at ${vp.width} px`, () =>
      withPage(browser, site, 'principles/building-trust.html', { viewport: vp }, async (page) => {
        await page.locator('main .gloss-term').first().focus();
        await page.screenshot({ path: path.join(dir, `definition-${vp.width}.png`) });
      }));
    if (opts.hasSearch) {
      await R.test(`screenshot: search results at ${vp.width} px`, async () => {
        await withPage(browser, site, 'index.html', { viewport: vp }, async (page) => {
          await typeQuery(page, 'reflection period');
          await page.waitForTimeout(300);
          await page.screenshot({ path: path.join(dir, `search-popup-${vp.width}.png`) });
        });
        await withPage(browser, site, 'search.html?q=trust', { viewport: vp }, async (page) => {
          await page.waitForTimeout(1500);
          await page.screenshot({ path: path.join(dir, `search-page-${vp.width}.png`), fullPage: true });
        });
      });
    }
  }
  console.log(`# screenshots in ${dir}`);
}
