// Time to the first search answer in headless Chromium for a site opened from disk: from the
// page being loaded to results shown, engine and index loading included.
//
//   node benches/first-query.mjs SITE_DIR [QUERY] [RUNS]
import path from 'node:path';
import { launch } from '../tests/browser/lib.mjs';

const [site, query = 'referral police', runs = '3'] = process.argv.slice(2);
if (!site) {
  console.error('usage: node benches/first-query.mjs SITE_DIR [QUERY] [RUNS]');
  process.exit(2);
}
const url = 'file://' + path.resolve(site, 'index.html');
const browser = await launch();
const times = [];
for (let i = 0; i < Number(runs); i++) {
  const page = await browser.newPage();
  await page.goto(url);
  const start = Date.now();
  await page.focus('#search-input');
  await page.keyboard.type(query);
  await page.waitForSelector('#search-popup [role=option]', { timeout: 60000 });
  times.push(Date.now() - start);
  await page.close();
}
await browser.close();
times.sort((a, b) => a - b);
console.log(`first query from ${url}: ${times.map((t) => t + ' ms').join(', ')} (median ${times[Math.floor(times.length / 2)]} ms)`);
