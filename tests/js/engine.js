// Drives accord's search engine (accord-search compiled to wasm32) from node, through the same
// C ABI the browser uses (see search/src/wasm.rs), reading the index lazily as the browser does:
// the head first, then the chunks each search asks for (`chunks/NAME.bin` beside the head).
// Shared by the parity test and the benchmark.
"use strict";
const fs = require("fs");
const path = require("path");

class Engine {
  constructor(wasmBytes, headPath) {
    const module = new WebAssembly.Module(wasmBytes);
    this.x = new WebAssembly.Instance(module, {}).exports;
    this.chunkDir = path.join(path.dirname(headPath), "chunks");
    // Bytes and chunks read so far, head included: what a browser would have fetched.
    this.bytesRead = 0;
    this.chunksRead = 0;
    const head = fs.readFileSync(headPath);
    this.bytesRead += head.length;
    for (let round = 0; ; round++) {
      const opened = this.x.open_index(this.copyIn(head), head.length);
      if (opened === 0) break;
      const out = this.result(this.x.result_ptr());
      if (opened !== 1 || round > 24) throw new Error(out);
      this.add(JSON.parse(out));
    }
  }

  add(need) {
    for (const [n, name] of need) {
      const bytes = fs.readFileSync(path.join(this.chunkDir, name + ".bin"));
      this.bytesRead += bytes.length;
      this.chunksRead += 1;
      this.x.add_chunk(n, this.copyIn(bytes), bytes.length);
    }
  }

  copyIn(bytes) {
    const ptr = this.x.alloc(bytes.length);
    new Uint8Array(this.x.memory.buffer, ptr, bytes.length).set(bytes);
    return ptr;
  }

  result(ptr) {
    const len = this.x.result_len();
    const view = new Uint8Array(this.x.memory.buffer, ptr, len);
    return new TextDecoder().decode(view);
  }

  searchJson(request) {
    const bytes = new TextEncoder().encode(JSON.stringify(request));
    for (let round = 0; ; round++) {
      const out = this.result(this.x.search(this.copyIn(bytes), bytes.length));
      // Responses start with {"total": a request for chunks with {"need".
      if (!out.startsWith('{"need"')) return out;
      if (round > 24) throw new Error("the engine keeps asking for chunks: " + out);
      this.add(JSON.parse(out).need);
    }
  }

  search(request) {
    return JSON.parse(this.searchJson(request));
  }
}

module.exports = { Engine };
