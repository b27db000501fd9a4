#!/usr/bin/env node
// Usage: node tests/js/run_wasm.js <engine.wasm> <index.bin> <queries.json>
// index.bin is the index head, with its chunks in chunks/ beside it.
// queries.json holds an array of search requests; prints the array of responses as JSON.
"use strict";
const fs = require("fs");
const path = require("path");
const { Engine } = require(path.join(__dirname, "engine.js"));

const [wasmPath, indexPath, queriesPath] = process.argv.slice(2);
if (!queriesPath) {
  console.error("usage: run_wasm.js <engine.wasm> <index.bin> <queries.json>");
  process.exit(2);
}
const engine = new Engine(fs.readFileSync(wasmPath), indexPath);
const queries = JSON.parse(fs.readFileSync(queriesPath, "utf8"));
process.stdout.write(JSON.stringify(queries.map((q) => engine.search(q))));
