#!/usr/bin/env node
// Usage: node tests/js/bench_wasm.js <engine.wasm> <index.bin> <queries.json>
// The wasm half of benches/search.sh: prints load time and query latency as one JSON object.
"use strict";
const fs = require("fs");
const path = require("path");
const { performance } = require("perf_hooks");
const { Engine } = require(path.join(__dirname, "engine.js"));

const [wasmPath, indexPath, queriesPath] = process.argv.slice(2);
const wasm = fs.readFileSync(wasmPath);
const queries = JSON.parse(fs.readFileSync(queriesPath, "utf8"));

let t = performance.now();
const engine = new Engine(wasm, indexPath);
const loadMs = performance.now() - t;

t = performance.now();
engine.searchJson(queries[0]);
const firstMs = performance.now() - t;
// What the first answer read, head included: the bytes a browser fetches for it.
const firstBytes = engine.bytesRead;

const times = [];
let hits = 0;
for (const q of queries) {
  t = performance.now();
  const r = JSON.parse(engine.searchJson(q));
  times.push(performance.now() - t);
  hits += r.hits.length;
}
times.sort((a, b) => a - b);
const pct = (p) => times[Math.min(times.length - 1, Math.round((times.length - 1) * p))];
const memMb = engine.x.memory.buffer.byteLength / 1048576;
console.log(JSON.stringify({
  load_ms: +loadMs.toFixed(1),
  first_query_ms: +firstMs.toFixed(2),
  first_answer_bytes: firstBytes,
  all_queries_bytes: engine.bytesRead,
  p50_ms: +pct(0.5).toFixed(2),
  p95_ms: +pct(0.95).toFixed(2),
  queries: times.length,
  hits,
  wasm_memory_mb: +memMb.toFixed(1),
}));
