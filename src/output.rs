//! The write stage: the new site goes into a temporary folder beside the output and replaces it
//! only when complete, so a failed or interrupted build never leaves a half-written site.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};

/// A file of the finished site, by its path relative to the site root.
pub struct OutFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A file accord writes into every site, so it never replaces a folder it did not make.
pub const MARKER: &str = ".accord-site";

fn sibling(out: &Path, tag: &str) -> PathBuf {
    let name = out
        .file_name()
        .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
    out.with_file_name(format!(".{name}.accord-{tag}-{}", std::process::id()))
}

/// Removes leftovers of builds that were killed before they could clean up.
fn remove_stale(out: &Path) {
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
        return;
    };
    let prefix = format!(".{}.accord-", name.to_string_lossy());
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    if let Ok(entries) = std::fs::read_dir(parent) {
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
}

/// Checks that `out` is safe to replace: missing, empty, or made by accord.
pub fn check_replaceable(out: &Path) -> Result<()> {
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        return Err(Error::Other(format!(
            "{}: exists and is not a folder; choose another output folder",
            out.display()
        )));
    }
    let empty = std::fs::read_dir(out)
        .map_err(|e| Error::io(out, e))?
        .next()
        .is_none();
    if empty || out.join(MARKER).exists() {
        Ok(())
    } else {
        Err(Error::Other(format!(
            "{}: folder exists and was not written by accord; refusing to replace it (remove it or choose another output folder)",
            out.display()
        )))
    }
}

/// Writes `files` as the new content of `out`, atomically replacing what was there.
pub fn write_site(out: &Path, files: &[OutFile]) -> Result<()> {
    check_replaceable(out)?;
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    remove_stale(out);
    let tmp = sibling(out, "new");
    std::fs::create_dir_all(&tmp).map_err(|e| Error::io(&tmp, e))?;
    let result = fill(&tmp, files).and_then(|()| swap(&tmp, out));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}

fn fill(dir: &Path, files: &[OutFile]) -> Result<()> {
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(|p| dir.join(p)))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        std::fs::create_dir_all(d).map_err(|e| Error::io(d, e))?;
    }
    files.par_iter().try_for_each(|f| {
        let path = dir.join(&f.path);
        std::fs::write(&path, &f.bytes).map_err(|e| Error::io(&path, e))
    })?;
    let marker = dir.join(MARKER);
    std::fs::write(
        &marker,
        b"This folder is written by accord and replaced on every build.\n",
    )
    .map_err(|e| Error::io(&marker, e))
}

fn swap(new: &Path, out: &Path) -> Result<()> {
    if !out.exists() {
        return std::fs::rename(new, out).map_err(|e| Error::io(out, e));
    }
    let old = sibling(out, "old");
    std::fs::rename(out, &old).map_err(|e| Error::io(out, e))?;
    if let Err(e) = std::fs::rename(new, out) {
        // Put the previous site back so nothing is lost.
        let _ = std::fs::rename(&old, out);
        return Err(Error::io(out, e));
    }
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}
