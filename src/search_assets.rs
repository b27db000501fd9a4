//! The browser search engine: accord-search compiled to wasm32 by `build.rs`.
//!
//! Built sites get it as `assets/accord-search.wasm`, and base64-encoded in
//! `assets/accord-search-wasm.js` (see `accord_search::base64_script`) for pages opened from disk.

/// The engine's bytes, always built from the same sources as the index writer in this binary.
pub const ENGINE_WASM: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/accord_search.wasm"));
