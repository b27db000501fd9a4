//! The `regex` crate's API, answered by regex-lite (see ../Cargo.toml).

pub use regex_lite::*;
