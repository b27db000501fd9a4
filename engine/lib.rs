//! The browser search engine: accord-search's C ABI (search/src/wasm.rs), exported from a
//! wasm32 cdylib.

pub use accord_search::*;
