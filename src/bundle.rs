//! `accord bundle`: the site as one zip that works from disk, with a manifest to verify it.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

pub fn bundle(_root: &Path, _out: Option<&Path>) -> Result<PathBuf> {
    Err(Error::Other("bundle: not built in this version".into()))
}

/// Problems found by `verify`: one line per changed, missing or extra file.
pub fn verify(_zip: &Path) -> Result<Vec<String>> {
    Err(Error::Other(
        "bundle --verify: not built in this version".into(),
    ))
}
