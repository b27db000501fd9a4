// The first search answer as a reader on a slow line gets it: a built site served over http by
// a small local server that limits bandwidth and adds a round-trip delay to every request, and
// the same site opened from disk, both in headless Chromium. Prints, for each query, the time
// from the first keystroke to the results shown and the bytes the server sent for search
// (engine, index head, index chunks) before they were shown.
//
//   node benches/first-answer.mjs SITE_DIR [--kbps 200] [--rtt 150] [--runs 3] [QUERY…]
//
// --kbps is kilobytes a second shared by all requests (200 ≈ a 1.6 Mbit/s line), --rtt
// milliseconds added before each response. Bytes are counted as sent on the line (gzipped where
// a static host would gzip). Each run uses a fresh browser context: nothing is cached between
// runs.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { launch } from '../tests/browser/lib.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  if (i < 0) return dflt;
  const v = argv[i + 1];
  argv.splice(i, 2);
  return v;
};
const kbps = Number(opt('--kbps', '200'));
const rtt = Number(opt('--rtt', '150'));
const runs = Number(opt('--runs', '3'));
const [site, ...given] = argv;
if (!site) {
  console.error('usage: node benches/first-answer.mjs SITE_DIR [--kbps N] [--rtt MS] [--runs N] [QUERY…]');
  process.exit(2);
}
const queries = given.length ? given : ['referral police'];
const root = path.resolve(site);

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.wasm': 'application/wasm', '.json': 'application/json', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.bin': 'application/octet-stream',
};

// Bytes sent, by what they are; reset before each run.
let sent = {};
const kind = (p) =>
  p.includes('/search/chunks/') ? 'chunks'
    : p.endsWith('/search/index.bin') || p.endsWith('/search/index.js') ? 'head'
      : p.includes('accord-search') ? 'engine' : 'page';

// One line for every response: `kbps` kilobytes a second shared by all requests in flight,
// handed out in 20 ms slices, round robin. Responses are gzipped where the browser accepts it
// and it helps, as static hosts do (the chunks are deflated already and are sent as they are).
const slice = Math.max(1, Math.round((kbps * 1024) / 50));
const line = [];
setInterval(() => {
  let budget = slice;
  while (budget > 0 && line.length) {
    const r = line[0];
    const part = r.body.subarray(r.at, r.at + Math.min(budget, 4096));
    r.at += part.length;
    budget -= part.length;
    sent[r.kind] = (sent[r.kind] || 0) + part.length;
    line.shift();
    if (r.at >= r.body.length) r.res.end(part);
    else { r.res.write(part); line.push(r); }
  }
}, 20).unref();
const COMPRESSED = new Set(['.png', '.bin', '.zip']);

const server = http.createServer((req, res) => {
  const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  let file = path.join(root, url);
  if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
  if (!fs.existsSync(file)) { res.writeHead(404).end(); return; }
  let body = fs.readFileSync(file);
  const headers = { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' };
  if (/\bgzip\b/.test(req.headers['accept-encoding'] || '') && !COMPRESSED.has(path.extname(file))) {
    body = zlib.gzipSync(body, { level: 6 });
    headers['content-encoding'] = 'gzip';
  }
  headers['content-length'] = body.length;
  setTimeout(() => {
    res.writeHead(200, headers);
    line.push({ res, body, at: 0, kind: kind(url) });
  }, rtt);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;

async function firstAnswer(browser, url, query) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(url, { waitUntil: 'load' });
  // A book's index.html may send the reader on to its first chapter.
  await page.waitForSelector('#search-input', { timeout: 120_000 });
  await page.waitForLoadState('load');
  sent = {};
  const start = Date.now();
  await page.focus('#search-input');
  await page.keyboard.type(query);
  await page.waitForSelector('#search-popup [role=option]', { timeout: 120_000 }).catch((e) => {
    throw new Error(`no answer from ${url} for "${query}" (sent so far: ${JSON.stringify(sent)}): ${e.message}`);
  });
  const ms = Date.now() - start;
  const bytes = { ...sent };
  await ctx.close();
  return { ms, bytes };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const browser = await launch();
try {
  console.log(`| query | where | first answer (median of ${runs}) | engine bytes | index head bytes | index chunk bytes |`);
  console.log('|---|---|---|---|---|---|');
  for (const q of queries) {
    const http = [];
    const disk = [];
    for (let i = 0; i < runs; i++) {
      http.push(await firstAnswer(browser, base + 'index.html', q));
      disk.push(await firstAnswer(browser, 'file://' + path.join(root, 'index.html'), q));
    }
    const b = http[0].bytes;
    console.log(`| ${q} | http, ${kbps} KB/s, +${rtt} ms a request | ${median(http.map((r) => r.ms))} ms | ${b.engine || 0} | ${b.head || 0} | ${b.chunks || 0} |`);
    console.log(`| ${q} | file:// | ${median(disk.map((r) => r.ms))} ms | – | – | – |`);
  }
} finally {
  await browser.close();
  server.close();
}
