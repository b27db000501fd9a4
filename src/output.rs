//! The write stage: the new site goes into a temporary folder beside the output and replaces it
//! only when complete, so a failed or interrupted build never leaves a half-written site.
//!
//! Beside an output folder `site`, accord keeps:
//! - `.site.accord-lock`: a lock file. A build holds the lock while it writes, so two builds into
//!   one folder never interleave: the second waits until the first has swapped its site in, then
//!   writes its own (the later build has the later content). The operating system releases the
//!   lock when a build ends in any way, `kill -9` included.
//! - `.site.accord-new-<pid>`: the new site while it is written.
//! - `.site.accord-scratch-<pid>`: what a build writes to disk rather than hold in memory (the
//!   pages' HTML and text, the search index while it is written), never part of the site.
//!
//! A folder of either name that is still there when the next build holds the lock was left by a
//! build that was killed, and is removed.
//!
//! The swap: where the system can (Linux's `renameat2(RENAME_EXCHANGE)`, macOS's
//! `renamex_np(RENAME_SWAP)`), the new folder and the old site trade places in one step, so
//! `site` names a complete site at every moment; the old site, now under the temporary name, is
//! then removed. Elsewhere (Windows, the BSDs) or on a file system that refuses the exchange
//! (some network and FUSE file systems), the old site is renamed aside and the new one renamed
//! in: between those two renames `site` is missing for a moment, and if the second one fails the
//! old site is put back.

use std::collections::{BTreeMap, HashSet};
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

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
        // `new-<pid>`, `scratch-<pid>` (and `old-<pid>` of earlier versions), nothing else:
        // never the lock file, nor the folders of an output whose name merely starts the same.
        let stale = name.strip_prefix(&prefix).is_some_and(|rest| {
            ["new-", "scratch-", "old-"].iter().any(|tag| {
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

/// The new site of `out` while it is written: the lock on `out` and the temporary folder beside
/// it, which [`Staging::commit`] swaps into place. Dropped without a commit (an error, a panic),
/// it removes the unfinished folder and leaves the previous site as it was.
pub struct Staging {
    out: PathBuf,
    /// Writes into the temporary folder.
    pub sink: Sink,
    _lock: OutputLock,
}

impl Staging {
    /// Takes the lock on `out` (waiting for another build into it to finish), checks that accord
    /// may replace it, and makes the empty temporary folder.
    pub fn begin(out: &Path) -> Result<Staging> {
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let lock = OutputLock::acquire(out)?;
        // Checked again under the lock: the folder may have changed while this build waited.
        check_replaceable(out)?;
        remove_stale(out);
        let tmp = sibling(out, &format!("new-{}", std::process::id()));
        std::fs::create_dir_all(&tmp).map_err(|e| Error::io(&tmp, e))?;
        // Beside the output, so on the disk the site is written to, never a memory-backed /tmp.
        let scratch = sibling(out, &format!("scratch-{}", std::process::id()));
        std::fs::create_dir_all(&scratch).map_err(|e| Error::io(&scratch, e))?;
        Ok(Staging {
            out: out.to_path_buf(),
            sink: Sink::folder_with_scratch(tmp, scratch),
            _lock: lock,
        })
    }

    /// The temporary folder.
    pub fn dir(&self) -> &Path {
        self.sink.dir().unwrap_or(Path::new("."))
    }

    /// Marks the complete site as accord's and swaps it in place of the previous one.
    pub fn commit(self) -> Result<()> {
        let tmp = self.dir().to_path_buf();
        let marker = tmp.join(MARKER);
        std::fs::write(
            &marker,
            b"This folder is written by accord and replaced on every build.\n",
        )
        .map_err(|e| Error::io(&marker, e))?;
        swap(&tmp, &self.out)
        // Dropping `self` removes `tmp`, which now holds the previous site.
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if let Some(dir) = self.sink.dir() {
            let _ = std::fs::remove_dir_all(dir);
        }
        if let Some(dir) = self.sink.scratch() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// A file put into a [`Sink`]: what the offline file list and the zip's manifest need of it,
/// without its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    pub path: String,
    pub bytes: u64,
    pub sha256: [u8; 32],
}

impl Written {
    pub fn of(f: &OutFile) -> Written {
        Written {
            path: f.path.clone(),
            bytes: f.bytes.len() as u64,
            sha256: Sha256::digest(&f.bytes).into(),
        }
    }

    /// The SHA-256 in lowercase hexadecimal.
    pub fn hex(&self) -> String {
        self.sha256.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Where the render stage puts each finished file as soon as it is made, from any thread, so
/// that a build holds only the files being made at the moment rather than the whole site.
/// Either a folder (`accord build` and `accord bundle`), or memory for the commands that read
/// the site back (`accord check` audits it, `accord print` rewrites a document). A file put
/// twice under one path is replaced, as a file system would.
pub struct Sink {
    shared: Arc<Shared>,
    /// Put before every path: a further language's folder (`fr/`), or nothing.
    prefix: String,
}

#[derive(Default)]
struct Shared {
    dir: Option<PathBuf>,
    /// A folder outside the site where stages may write what they do not keep in memory (the
    /// pages' HTML and text, the search index while it is written); its owner removes it.
    scratch: Option<PathBuf>,
    /// The folders made so far, so that each is made once.
    made: Mutex<HashSet<PathBuf>>,
    /// Every file put, by path.
    written: Mutex<BTreeMap<String, Written>>,
    /// Memory only: the files themselves.
    kept: Mutex<BTreeMap<String, OutFile>>,
}

impl Sink {
    /// Writes files into `dir`, which exists.
    pub fn folder(dir: PathBuf) -> Sink {
        Sink {
            shared: Arc::new(Shared {
                dir: Some(dir),
                ..Shared::default()
            }),
            prefix: String::new(),
        }
    }

    /// Writes files into `dir`, and lets stages write their intermediate files into
    /// `scratch`: both folders exist, and `scratch` is outside the site.
    pub fn folder_with_scratch(dir: PathBuf, scratch: PathBuf) -> Sink {
        Sink {
            shared: Arc::new(Shared {
                dir: Some(dir),
                scratch: Some(scratch),
                ..Shared::default()
            }),
            prefix: String::new(),
        }
    }

    /// The folder for intermediate files, if any ([`Sink::folder_with_scratch`]).
    pub fn scratch(&self) -> Option<&Path> {
        self.shared.scratch.as_deref()
    }

    /// Keeps files in memory.
    pub fn memory() -> Sink {
        Sink {
            shared: Arc::default(),
            prefix: String::new(),
        }
    }

    /// The same sink, putting files under the folder `prefix` (ending in `/`) of the site.
    pub fn under(&self, prefix: &str) -> Sink {
        Sink {
            shared: self.shared.clone(),
            prefix: format!("{}{prefix}", self.prefix),
        }
    }

    /// The folder written into, if any.
    pub fn dir(&self) -> Option<&Path> {
        self.shared.dir.as_deref()
    }

    /// Writes `f` (or keeps it) and notes it; returns its path in the site.
    pub fn put(&self, mut f: OutFile) -> Result<String> {
        f.path.insert_str(0, &self.prefix);
        let written = Written::of(&f);
        match &self.shared.dir {
            Some(dir) => {
                let path = dir.join(&f.path);
                if let Some(parent) = path.parent() {
                    self.make_dir(parent)?;
                }
                std::fs::write(&path, &f.bytes).map_err(|e| Error::io(&path, e))?;
            }
            None => {
                lock(&self.shared.kept).insert(f.path.clone(), f);
            }
        }
        let path = written.path.clone();
        lock(&self.shared.written).insert(path.clone(), written);
        Ok(path)
    }

    /// Puts every file of `files`, in parallel; returns their paths in the same order.
    pub fn put_all(&self, files: Vec<OutFile>) -> Result<Vec<String>> {
        files.into_par_iter().map(|f| self.put(f)).collect()
    }

    fn make_dir(&self, d: &Path) -> Result<()> {
        if lock(&self.shared.made).contains(d) {
            return Ok(());
        }
        std::fs::create_dir_all(d).map_err(|e| Error::io(d, e))?;
        lock(&self.shared.made).insert(d.to_path_buf());
        Ok(())
    }

    /// Every file put so far, sorted by path.
    pub fn written(&self) -> Vec<Written> {
        lock(&self.shared.written).values().cloned().collect()
    }

    /// The number of files put so far.
    pub fn count(&self) -> usize {
        lock(&self.shared.written).len()
    }

    /// Whether a file of this path (in the site, prefix and all) was put.
    pub fn has(&self, path: &str) -> bool {
        lock(&self.shared.written).contains_key(path)
    }

    /// The bytes of a file put (by its path in the site), read back from the folder or memory.
    pub fn read(&self, path: &str) -> Result<Vec<u8>> {
        match &self.shared.dir {
            Some(dir) => {
                let p = dir.join(path);
                std::fs::read(&p).map_err(|e| Error::io(&p, e))
            }
            None => lock(&self.shared.kept)
                .get(path)
                .map(|f| f.bytes.clone())
                .ok_or_else(|| Error::Other(format!("{path}: not part of the site"))),
        }
    }

    /// A file of the site written piece by piece (a printable document of thousands of pages),
    /// put when [`SinkWriter::finish`] is called.
    pub fn create(&self, path: &str) -> Result<SinkWriter<'_>> {
        let path = format!("{}{path}", self.prefix);
        let out = match &self.shared.dir {
            Some(dir) => {
                let p = dir.join(&path);
                if let Some(parent) = p.parent() {
                    self.make_dir(parent)?;
                }
                let file = File::create(&p).map_err(|e| Error::io(&p, e))?;
                Piece::File(std::io::BufWriter::new(file))
            }
            None => Piece::Memory(Vec::new()),
        };
        Ok(SinkWriter {
            sink: self,
            path,
            out,
            hasher: Sha256::new(),
            bytes: 0,
        })
    }

    /// Notes a file that was written into the folder directly, not put (the zip, written from
    /// the other files); in memory, the file put under `path`. Returns what was noted.
    pub fn note(&self, path: &str) -> Result<Written> {
        if let Some(dir) = &self.shared.dir {
            let p = dir.join(path);
            let mut file = File::open(&p).map_err(|e| Error::io(&p, e))?;
            let mut hasher = Sha256::new();
            let bytes = std::io::copy(&mut file, &mut hasher).map_err(|e| Error::io(&p, e))?;
            let written = Written {
                path: path.to_string(),
                bytes,
                sha256: hasher.finalize().into(),
            };
            lock(&self.shared.written).insert(path.to_string(), written);
        }
        lock(&self.shared.written)
            .get(path)
            .cloned()
            .ok_or_else(|| Error::Other(format!("{path}: not part of the site")))
    }

    /// Memory only: the files kept, sorted by path (none for a folder).
    pub fn into_files(self) -> Vec<OutFile> {
        let kept = std::mem::take(&mut *lock(&self.shared.kept));
        kept.into_values().collect()
    }
}

/// A file being written into a [`Sink`]; see [`Sink::create`].
pub struct SinkWriter<'a> {
    sink: &'a Sink,
    /// In the site, prefix and all.
    path: String,
    out: Piece,
    hasher: Sha256,
    bytes: u64,
}

enum Piece {
    File(std::io::BufWriter<File>),
    Memory(Vec<u8>),
}

impl SinkWriter<'_> {
    /// Writes `text`; an error names the file.
    pub fn text(&mut self, text: &str) -> Result<()> {
        self.hasher.update(text.as_bytes());
        self.bytes += text.len() as u64;
        let written = match &mut self.out {
            Piece::File(w) => w.write_all(text.as_bytes()),
            Piece::Memory(v) => {
                v.extend_from_slice(text.as_bytes());
                Ok(())
            }
        };
        written.map_err(|e| self.error(e))
    }

    fn error(&self, e: std::io::Error) -> Error {
        match self.sink.dir() {
            Some(dir) => Error::io(&dir.join(&self.path), e),
            None => Error::Other(format!("{}: {e}", self.path)),
        }
    }

    /// Completes the file and notes it in the sink; returns its path in the site.
    pub fn finish(self) -> Result<String> {
        let written = Written {
            path: self.path.clone(),
            bytes: self.bytes,
            sha256: self.hasher.clone().finalize().into(),
        };
        match self.out {
            Piece::File(w) => {
                w.into_inner().map_err(|e| {
                    let e = e.into_error();
                    match self.sink.dir() {
                        Some(dir) => Error::io(&dir.join(&self.path), e),
                        None => Error::Other(format!("{}: {e}", self.path)),
                    }
                })?;
            }
            Piece::Memory(bytes) => {
                lock(&self.sink.shared.kept).insert(
                    self.path.clone(),
                    OutFile {
                        path: self.path.clone(),
                        bytes,
                    },
                );
            }
        }
        lock(&self.sink.shared.written).insert(self.path.clone(), written);
        Ok(self.path)
    }
}

/// A folder of its own in the system's temporary folder, removed with everything in it when
/// dropped.
pub struct TempDir {
    pub path: PathBuf,
}

impl TempDir {
    /// `accord-<purpose>-<pid>-<n>` in the temporary folder.
    pub fn new(purpose: &str) -> Result<TempDir> {
        let base = std::env::temp_dir();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        for n in 0..100u32 {
            let path = base.join(format!(
                "accord-{purpose}-{}-{nanos}-{n}",
                std::process::id()
            ));
            // create_dir fails on an existing folder: the folder is ours alone.
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(TempDir { path }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(Error::io(&path, e)),
            }
        }
        Err(Error::Other(format!(
            "could not create a temporary folder in {}",
            base.display()
        )))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// A lock that a panicking thread left poisoned still guards data that is whole: every update
/// under these locks is a single insert.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
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
            ".site.accord-scratch-123",
            ".site.accord-old-45",
            ".site.accord-scratch-",
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
                ".site.accord-scratch-",
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
