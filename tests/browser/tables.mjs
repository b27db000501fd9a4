#!/usr/bin/env node
// Tables and the MoU comparison matrix in Chromium, at the widths practitioners read at:
// no word broken inside a table cell, tables that scroll inside labelled regions, the matrix
// with every column in view on a desktop, targets of at least 24×24 px, filters, one card per
// agreement on a phone, and a matrix that prints on landscape A4.
//
//   node tests/browser/tables.mjs --http http://127.0.0.1:PORT/ --dir SITE_DIR \
//        [--fixture http://127.0.0.1:PORT2/ --fixture-dir FIXTURE_DIR]
//
// Every page of each site that holds a table or a key–value list is read at every width.
// Exit status 0 when every check passed, 1 otherwise.

import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, launch, Site, Runner, newContext, newPage, assertClean, assert } from './lib.mjs';

export const WIDTHS = [320, 390, 768, 1024, 1280, 1920];

const args = parseArgs(process.argv.slice(2));
if (!args.http || !args.dir) {
  console.error('usage: tables.mjs --http URL --dir SITE_DIR [--fixture URL --fixture-dir DIR]');
  process.exit(2);
}

/** Pages (relative paths) of the built site in `dir` that hold a table or a key–value list. */
function pagesWithTables(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.html') && /<table|<dl class="key-value"/.test(fs.readFileSync(p, 'utf8'))) {
        out.push(path.relative(dir, p).split(path.sep).join('/'));
      }
    }
  };
  walk(dir);
  return out.sort();
}

const sites = [{ site: new Site('http', args.http), pages: pagesWithTables(args.dir) }];
if (args.fixture && args['fixture-dir']) {
  sites.push({ site: new Site('http', args.fixture, 'fixture'), pages: pagesWithTables(args['fixture-dir']) });
}

/**
 * Words broken inside table cells (and key–value lists), by the DOM-range method: a word
 * (letters and digits) whose characters fall on two line boxes counts as broken, unless the
 * break follows a soft hyphen. Runs in the page.
 */
function brokenWords() {
  const out = [];
  const cells = document.querySelectorAll('main table th, main table td, main dl.key-value dt, main dl.key-value dd');
  // Text clipped out of sight (`.visually-hidden`, the matrix's headings on a phone) has no
  // line boxes a reader sees.
  const clipped = (el) => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      if (getComputedStyle(e).clip !== 'auto') return true;
    }
    return false;
  };
  for (const cell of cells) {
    if (clipped(cell)) continue;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.parentElement || !n.parentElement.getClientRects().length || clipped(n.parentElement)) continue;
      // Lines run down the page in vertical text (the matrix's upright headings): a word that
      // moves to another line moves sideways.
      const vertical = getComputedStyle(n.parentElement).writingMode.startsWith('vertical');
      for (const m of n.data.matchAll(/[\p{L}\p{N}\u00AD]+/gu)) {
        const range = document.createRange();
        let top = null;
        for (let i = 0; i < m[0].length; i++) {
          range.setStart(n, m.index + i);
          range.setEnd(n, m.index + i + 1);
          const r = range.getClientRects()[0];
          if (!r || r.width === 0) continue;
          const line = vertical ? r.left : r.top;
          if (top !== null && Math.abs(line - top) > 2 && m[0][i - 1] !== '\u00AD') {
            out.push(`"${m[0].slice(0, i)}|${m[0].slice(i)}"`);
            break;
          }
          top = line;
        }
      }
    }
  }
  return out;
}

const R = new Runner();
const browser = await launch();
try {
  for (const width of WIDTHS) {
    await R.test(`no word broken inside a table cell at ${width} px (${sites.map((s) => `${s.pages.length} ${s.site.label} pages`).join(', ')})`, async () => {
      const found = [];
      for (const { site, pages } of sites) {
        const ctx = await newContext(browser, site, { viewport: { width, height: 900 } });
        try {
          const page = await newPage(ctx);
          for (const rel of pages) {
            await page.goto(site.url(rel), { waitUntil: 'load' });
            const broken = await page.evaluate(brokenWords);
            if (broken.length) found.push(`${site.label} ${rel}: ${broken.length} (${broken.slice(0, 4).join(', ')})`);
            const wide = await page.evaluate(() => document.documentElement.scrollWidth);
            if (wide > width) found.push(`${site.label} ${rel}: the page is ${wide} px wide`);
          }
          assertClean(page);
        } finally {
          await ctx.close();
        }
      }
      assert(found.length === 0, `broken words or pages wider than the screen:\n${found.join('\n')}`);
    }, { timeout: 120_000 });
  }

  await R.test('tables scroll inside named, focusable regions; no empty header rows; sticky first column on a phone', async () => {
    const problems = [];
    for (const { site, pages } of sites) {
      const ctx = await newContext(browser, site, { viewport: { width: 390, height: 844 } });
      try {
        const page = await newPage(ctx);
        for (const rel of pages) {
          await page.goto(site.url(rel), { waitUntil: 'load' });
          const p = await page.evaluate(() => {
            const out = [];
            for (const t of document.querySelectorAll('main .content table')) {
              const region = t.parentElement;
              const name = region.getAttribute('aria-label') ||
                (document.getElementById(region.getAttribute('aria-labelledby') || '') || {}).textContent || '';
              if (!region.classList.contains('table-scroll') || region.getAttribute('role') !== 'region' ||
                region.tabIndex !== 0 || !name.trim()) {
                out.push(`a table outside a named, focusable region (${t.textContent.trim().slice(0, 40)})`);
              }
              if (getComputedStyle(t.querySelector('tr > :first-child')).position !== 'sticky') out.push('first column not sticky');
            }
            const emptyHeads = [...document.querySelectorAll('main thead')].filter((h) => !h.textContent.trim()).length;
            if (emptyHeads) out.push(`${emptyHeads} empty header rows`);
            return out;
          });
          problems.push(...p.map((x) => `${site.label} ${rel}: ${x}`));
        }
        assertClean(page);
      } finally {
        await ctx.close();
      }
    }
    assert(problems.length === 0, problems.join('\n'));
  });

  const fixture = sites.find((s) => s.site.label === 'fixture');
  if (fixture) {
    await R.test('the fixture\'s wide table scrolls in its region with its first column in view, at 320 px', async () => {
      const ctx = await newContext(browser, fixture.site, { viewport: { width: 320, height: 700 } });
      try {
        const page = await newPage(ctx);
        await page.goto(fixture.site.url('tables.html'), { waitUntil: 'load' });
        const region = page.locator('.table-scroll[aria-labelledby="who-does-what-at-each-stage"]');
        const m = await region.evaluate((r) => {
          const first = r.querySelector('tbody td');
          const before = first.getBoundingClientRect().left - r.getBoundingClientRect().left;
          r.scrollLeft = 300;
          const after = first.getBoundingClientRect().left - r.getBoundingClientRect().left;
          return { scrolls: r.scrollWidth > r.clientWidth, scrolled: r.scrollLeft, before, after };
        });
        assert(m.scrolls && m.scrolled > 0, `the wide table does not scroll in its region: ${JSON.stringify(m)}`);
        assert(Math.abs(m.before - m.after) <= 1.5, `the first column moved with the scroll: ${JSON.stringify(m)}`);
        // The keyboard reaches the region (it is focusable) and scrolls it with the arrow keys.
        await region.focus();
        await region.evaluate((r) => { r.scrollLeft = 0; });
        await page.keyboard.press('ArrowRight');
        await page.waitForTimeout(300);
        const left = await region.evaluate((r) => r.scrollLeft);
        assert(left > 0, 'the arrow key did not scroll the focused region');
        // The key–value table is a list of facts, label and value.
        const kv = await page.evaluate(() => [...document.querySelectorAll('dl.key-value > div')].map((d) => `${d.querySelector('dt').textContent}=${d.querySelector('dd').textContent.slice(0, 15)}`));
        assert(JSON.stringify(kv) === JSON.stringify(['Implemented through=Sub-regional pl', 'Responsibilities=Counterinternat', 'Legal basis=Aufenthaltsgese']), JSON.stringify(kv));
        assertClean(page);
      } finally {
        await ctx.close();
      }
    });
  }

  const main = sites[0].site;
  const matrixPage = async (options, fn) => {
    const ctx = await newContext(browser, main, options);
    try {
      const page = await newPage(ctx);
      await page.goto(main.url('matrix.html'), { waitUntil: 'load' });
      await fn(page);
      assertClean(page);
    } finally {
      await ctx.close();
    }
  };

  for (const width of [1280, 1920]) {
    await R.test(`matrix: every column in view at ${width} px`, async () => {
      await matrixPage({ viewport: { width, height: 900 } }, async (page) => {
        const m = await page.evaluate(() => {
          const wrap = document.querySelector('.matrix-wrap');
          const heads = [...document.querySelectorAll('.matrix thead th')];
          const outside = heads.filter((h) => {
            const r = h.getBoundingClientRect();
            return r.left < 0 || r.right > window.innerWidth || r.width === 0;
          }).map((h) => h.textContent.trim());
          return { columns: heads.length, outside, scroll: wrap.scrollWidth - wrap.clientWidth, page: document.documentElement.scrollWidth };
        });
        assert(m.columns === 13, `expected the agreement column and 12 element columns, found ${m.columns}`);
        assert(m.outside.length === 0 && m.scroll <= 0 && m.page <= width, `columns out of view: ${JSON.stringify(m)}`);
      });
    });
  }

  for (const width of [390, 1280]) {
    await R.test(`matrix: ticks and column links at least 24×24 px at ${width} px`, async () => {
      await matrixPage({ viewport: { width, height: 900 } }, async (page) => {
        const small = await page.evaluate(() => [...document.querySelectorAll('.matrix a')]
          .filter((a) => a.getClientRects().length && !a.closest('th[scope=row]'))
          .map((a) => ({ t: a.getAttribute('aria-label') || a.textContent.trim(), r: a.getBoundingClientRect() }))
          .filter(({ r }) => r.width < 24 || r.height < 24)
          .map(({ t, r }) => `${t}: ${r.width.toFixed(1)}×${r.height.toFixed(1)}`));
        const ticks = await page.locator('.matrix a.tick').count();
        assert(ticks > 0, 'no ticks');
        assert(small.length === 0, `targets smaller than 24×24 px:\n${small.join('\n')}`);
      });
    });
  }

  await R.test('matrix: filters by element and region with JavaScript; every row without', async () => {
    await matrixPage({ viewport: { width: 1280, height: 900 } }, async (page) => {
      const total = await page.locator('.matrix tbody tr').count();
      const visibleRows = () => page.evaluate(() => [...document.querySelectorAll('.matrix tbody tr')]
        .filter((tr) => tr.getClientRects().length)
        .map((tr) => ({ elements: tr.dataset.elements.split(' '), regions: tr.dataset.regions.split(' ') })));
      assert(await page.locator('#matrix-filters').isVisible(), 'the filters are not shown');
      assert((await page.getByLabel('Covers', { exact: true }).count()) === 1 && (await page.getByLabel('Region', { exact: true }).count()) === 1, 'filters without labels');
      await page.getByLabel('Covers', { exact: true }).selectOption('victim-support');
      let rows = await visibleRows();
      assert(rows.length > 0 && rows.length < total && rows.every((r) => r.elements.includes('victim-support')),
        `element filter: ${JSON.stringify(rows)}`);
      assert((await page.locator('#matrix-count').textContent()) === `Showing ${rows.length} of ${total} agreements`,
        await page.locator('#matrix-count').textContent());
      assert(await page.locator('th#col-victim-support.chosen').count() === 1, 'the chosen column is not marked');
      await page.getByLabel('Covers', { exact: true }).selectOption('');
      await page.getByLabel('Region', { exact: true }).selectOption('europe');
      rows = await visibleRows();
      assert(rows.length > 0 && rows.length < total && rows.every((r) => r.regions.includes('europe')), `region filter: ${JSON.stringify(rows)}`);
      await page.getByLabel('Covers', { exact: true }).selectOption('joint-operations');
      await page.getByLabel('Region', { exact: true }).selectOption('south-east-asia');
      rows = await visibleRows();
      assert(rows.length === 0 && await page.locator('#matrix-none').isVisible(), `no match: ${JSON.stringify(rows)}`);
      await page.getByLabel('Covers', { exact: true }).selectOption('');
      await page.getByLabel('Region', { exact: true }).selectOption('');
      assert((await visibleRows()).length === total, 'clearing the filters does not show every row');
    });
    const ctx = await newContext(browser, main, { viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
    try {
      const page = await newPage(ctx);
      await page.goto(main.url('matrix.html'), { waitUntil: 'load' });
      const m = await page.evaluate(() => ({
        form: !!document.getElementById('matrix-filters').getClientRects().length,
        shown: [...document.querySelectorAll('.matrix tbody tr')].filter((tr) => tr.getClientRects().length).length,
        total: document.querySelectorAll('.matrix tbody tr').length,
      }));
      assert(!m.form && m.shown === m.total && m.total > 0, `without JavaScript: ${JSON.stringify(m)}`);
    } finally {
      await ctx.close();
    }
  });

  await R.test('matrix: one card per agreement on a phone, within the screen', async () => {
    await matrixPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }, async (page) => {
      const m = await page.evaluate(() => {
        const rows = [...document.querySelectorAll('.matrix tbody tr')];
        const wrap = document.querySelector('.matrix-wrap').getBoundingClientRect();
        return {
          page: document.documentElement.scrollWidth,
          cards: rows.filter((tr) => {
            const r = tr.getBoundingClientRect();
            return getComputedStyle(tr).display === 'flex' && r.left >= wrap.left - 1 && r.right <= wrap.right + 1;
          }).length,
          rows: rows.length,
          head: document.querySelector('.matrix thead').getBoundingClientRect().height,
          // What a covered element shows on its card: its name, not just a tick.
          labels: [...document.querySelectorAll('.matrix a.tick')].filter((a) => a.querySelector('.cell-label').getClientRects().length).length,
          ticks: document.querySelectorAll('.matrix a.tick').length,
          dashes: [...document.querySelectorAll('.matrix td.no')].filter((td) => td.getClientRects().length).length,
        };
      });
      assert(m.page <= 390, `the page is ${m.page} px wide`);
      assert(m.cards === m.rows && m.rows > 0, `${m.cards} of ${m.rows} rows are cards within the screen`);
      assert(m.head <= 1, 'the column headings are shown on a phone');
      assert(m.labels === m.ticks && m.dashes === 0, `cards: ${JSON.stringify(m)}`);
    });
  });

  await R.test('matrix: printed on landscape A4 sheets, nothing cut', async () => {
    await matrixPage({ viewport: { width: 1280, height: 900 } }, async (page) => {
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      const text = pdf.toString('latin1');
      const sheets = (text.match(/\/Type\s*\/Page[^s]/g) || []).length;
      const boxes = [...text.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => [Number(m[1]), Number(m[2])]);
      assert(boxes.length > 0 && boxes.every(([w, h]) => Math.abs(w - 841.92) < 1 && Math.abs(h - 594.96) < 1),
        `not landscape A4: ${JSON.stringify(boxes)}`);
      // Laid out for print at the sheet's width (297 mm less 2 × 10 mm margins), the table
      // stays inside it.
      await page.emulateMedia({ media: 'print' });
      await page.setViewportSize({ width: Math.floor((277 / 25.4) * 96), height: 700 });
      const m = await page.evaluate(() => ({
        table: document.querySelector('table.matrix').getBoundingClientRect().right,
        width: window.innerWidth,
      }));
      assert(m.table <= m.width, `the printed matrix is wider than the sheet: ${JSON.stringify(m)}`);
      console.log(`  # the matrix prints on ${sheets} landscape A4 sheet(s)`);
    });
  });
} finally {
  await browser.close().catch(() => {});
}
process.exit(R.summary() ? 0 : 1);
