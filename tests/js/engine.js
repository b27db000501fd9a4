// Drives accord's search engine (accord-search compiled to wasm32) from node, through the same
// C ABI the browser uses (see search/src/wasm.rs). Shared by the parity test and the benchmark.
"use strict";

class Engine {
  constructor(wasmBytes, indexBytes) {
    const module = new WebAssembly.Module(wasmBytes);
    this.x = new WebAssembly.Instance(module, {}).exports;
    const ptr = this.copyIn(indexBytes);
    if (this.x.open_index(ptr, indexBytes.length) !== 0) {
      throw new Error(this.result(this.x.result_ptr()));
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
    const ptr = this.copyIn(bytes);
    const out = this.x.search(ptr, bytes.length);
    return this.result(out);
  }

  search(request) {
    return JSON.parse(this.searchJson(request));
  }
}

module.exports = { Engine };
