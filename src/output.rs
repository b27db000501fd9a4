//! The write stage: the new site goes into a temporary folder beside the output and replaces it
//! only when complete, so a failed or interrupted build never leaves a half-written site.
//!
//! Beside an output folder `site`, accord keeps:
//! - `.site.accord-lock`: a lock file. A build holds the lock while it writes, so two builds into
//!   one folder never interleave: the second waits until the first has swapped its site in, then
//!   writes its own (the later build has the later content). The operating system releases the
//!   lock when a build ends in any way, `kill -9` included.
//! - `.site.accord-new-<pid>`: the new site while it is written. A folder of this name that is
//!   still there when the next build holds the lock was left by a build that was killed, and is
//!   removed.
//!
//! The swap: where the system can (Linux's `renameat2(RENAME_EXCHANGE)`, macOS's
//! `renamex_np(RENAME_SWAP)`), the new folder and the old site trade places in one step, so
//! `site` names a complete site at every moment; the old site, now under the temporary name, is
//! then removed. Elsewhere (Windows, the BSDs) or on a file system that refuses the exchange
//! (some network and FUSE file systems), the old site is renamed aside and the new one renamed
//! in: between those two renames `site` is missing for a moment, and if the second one fails the
//! old site is put back.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};

/// A file of the finished site, by its path relative to the site root.
#[derive(Clone)]
pub struct OutFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A file accord writes into every site, so it never replaces a folder it did not make.
pub const MARKER: &str = ".accord-site";

/// `.site.accord-`: the start of the name of every file accord keeps beside the output `site`.
fn sibling_prefix(out: &Path) -> String {
    let name = out
        .file_name()
        .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
    format!(".{name}.accord-")
}

fn sibling(out: &Path, tag: &str) -> PathBuf {
    out.with_file_name(format!("{}{tag}", sibling_prefix(out)))
}

fn parent_dir(out: &Path) -> &Path {
    match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Removes the temporary folders of builds into `out` that were killed before they could clean
/// up. Only called while holding the output's lock: a live build into `out` holds it while its
/// temporary folder exists, so every one found now belongs to a build that is gone.
fn remove_stale(out: &Path) {
    let prefix = sibling_prefix(out);
    let Ok(entries) = std::fs::read_dir(parent_dir(out)) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        // `new-<pid>` (and `old-<pid>` of earlier versions), nothing else: never the lock file,
        // nor the folders of an output whose name merely starts the same.
        let stale = name.strip_prefix(&prefix).is_some_and(|rest| {
            ["new-", "old-"].iter().any(|tag| {
                rest.strip_prefix(tag)
                    .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
            })
        });
        if stale && e.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = std::fs::remove_dir_all(e.path());
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

/// The lock on an output folder, held while a build writes it; released when dropped.
struct OutputLock {
    _file: File,
}

impl OutputLock {
    /// Takes the lock on `out`, waiting (after saying so on stderr) while another build holds it.
    fn acquire(out: &Path) -> Result<OutputLock> {
        let path = sibling(out, "lock");
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                let who = if holder.is_empty() {
                    String::new()
                } else {
                    format!(" (process {holder})")
                };
                eprintln!(
                    "Waiting for another accord build into {}{who} to finish…",
                    out.display()
                );
                file.lock().map_err(|e| Error::io(&path, e))?;
            }
            Err(TryLockError::Error(e)) => return Err(Error::io(&path, e)),
        }
        // Who holds the lock, for the message above; the lock itself is what counts.
        let _ = file.set_len(0);
        let _ = file.rewind();
        let _ = write!(file, "{}", std::process::id());
        Ok(OutputLock { _file: file })
    }
}

/// Writes `files` as the new content of `out`, atomically replacing what was there.
pub fn write_site(out: &Path, files: &[OutFile]) -> Result<()> {
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let _lock = OutputLock::acquire(out)?;
    // Checked again under the lock: the folder may have changed while this build waited.
    check_replaceable(out)?;
    remove_stale(out);
    let tmp = sibling(out, &format!("new-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).map_err(|e| Error::io(&tmp, e))?;
    let result = fill(&tmp, files).and_then(|()| swap(&tmp, out));
    // After a swap `tmp` holds the previous site; after a failure, the unfinished one.
    let _ = std::fs::remove_dir_all(&tmp);
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

/// Puts the complete site `new` in place of `out`. Afterwards `new` holds the previous site, if
/// there was one, for the caller to remove.
fn swap(new: &Path, out: &Path) -> Result<()> {
    if !out.exists() {
        return std::fs::rename(new, out).map_err(|e| Error::io(out, e));
    }
    match exchange(new, out) {
        Ok(()) => return Ok(()),
        // The system or the file system cannot exchange: rename twice instead.
        Err(e) if exchange_unsupported(&e) => {}
        Err(e) => return Err(Error::io(out, e)),
    }
    let old = sibling(out, &format!("old-{}", std::process::id()));
    std::fs::rename(out, &old).map_err(|e| Error::io(out, e))?;
    if let Err(e) = std::fs::rename(new, out) {
        // Put the previous site back so nothing is lost.
        let _ = std::fs::rename(&old, out);
        return Err(Error::io(out, e));
    }
    // Where the caller looks for the previous site.
    std::fs::rename(&old, new).map_err(|e| Error::io(new, e))
}

#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// The exchange is not available here, as opposed to failing for a reason a plain rename would
/// meet too (permissions, a full disk).
fn exchange_unsupported(e: &std::io::Error) -> bool {
    #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
    {
        use rustix::io::Errno;
        // EINVAL: the file system does not know the flag; ENOSYS: the kernel predates it.
        // (ENOTSUP and EOPNOTSUPP are one value on Linux, two on macOS.)
        let unsupported = [Errno::INVAL, Errno::NOSYS, Errno::NOTSUP, Errno::OPNOTSUPP];
        if let Some(errno) = e.raw_os_error().map(Errno::from_raw_os_error) {
            if unsupported.contains(&errno) {
                return true;
            }
        }
    }
    e.kind() == std::io::ErrorKind::Unsupported
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_cleanup_leaves_the_lock_and_other_outputs_alone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        for name in [
            ".site.accord-new-123",
            ".site.accord-old-45",
            ".site.accord-new-",
            ".site.accord-newer-1",
            ".site.accord-new-1.accord-new-2",
            "site2",
        ] {
            std::fs::create_dir(dir.path().join(name)).unwrap();
        }
        std::fs::write(dir.path().join(".site.accord-lock"), "").unwrap();
        remove_stale(&out);
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                ".site.accord-lock",
                ".site.accord-new-",
                ".site.accord-new-1.accord-new-2",
                ".site.accord-newer-1",
                "site2"
            ]
        );
    }

    #[test]
    fn the_swap_leaves_the_previous_site_under_the_temporary_name() {
        let dir = tempfile::tempdir().unwrap();
        let (new, out) = (dir.path().join("new"), dir.path().join("site"));
        std::fs::create_dir(&new).unwrap();
        std::fs::write(new.join("v"), "2").unwrap();
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("v"), "1").unwrap();
        swap(&new, &out).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("v")).unwrap(), "2");
        assert_eq!(std::fs::read_to_string(new.join("v")).unwrap(), "1");
    }
}
