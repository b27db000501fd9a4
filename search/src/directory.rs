//! A read-only tantivy directory over the packed index, read chunk by chunk.
//!
//! tantivy reads its files through [`FileHandle::read_bytes`]; here every such read is served
//! from the bytes that came with the head (what opening the index reads), or from the chunks
//! that cover it, each read from its source when it is first needed (natively, its file). In
//! the browser nothing can wait for a download in the middle of a search: the source says a
//! chunk is not there yet, the read fails, the search is abandoned, the page fetches the chunks
//! noted and runs it again (quickwit and summa run tantivy over remote storage the same way, resolving what a
//! query needs before the synchronous search).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, OwnedBytes, WatchCallback, WatchHandle, WritePtr,
};
use tantivy::HasLen;

use crate::format::{self, Head};
use crate::Error;

/// Where the bytes of a read come from: a chunked index, or (when an index is written) the
/// whole byte space with every read recorded.
pub(crate) trait Storage: Send + Sync + std::fmt::Debug {
    fn read(&self, range: Range<u64>) -> io::Result<OwnedBytes>;

    /// The chunked index behind a searching engine; none while an index is written.
    fn as_chunks(&self) -> Option<&Chunks> {
        None
    }
}

/// Reads chunk `n` (its compressed bytes) from wherever the index lives; `name` is its file
/// name without extension. An error of kind [`io::ErrorKind::WouldBlock`] means "not here yet":
/// the search notes the chunk as missing (see [`crate::Error::Missing`]); any other error is a
/// damaged or unreadable index.
pub type ChunkSource = dyn Fn(usize, &str) -> io::Result<Vec<u8>> + Send + Sync;

pub(crate) struct Chunks {
    head: Head,
    /// The preloaded ranges by start.
    preloaded: BTreeMap<u64, OwnedBytes>,
    loaded: Mutex<HashMap<usize, OwnedBytes>>,
    source: Box<ChunkSource>,
    /// Chunks a read needed that the source did not have yet.
    missing: Mutex<BTreeSet<usize>>,
    /// Why a chunk could not be used, once one could not.
    failure: Mutex<Option<Error>>,
}

impl std::fmt::Debug for Chunks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Chunks")
            .field("chunks", &self.head.chunk_count)
            .finish()
    }
}

/// A lock that a poisoned mutex does not turn into a panic: the data behind these locks is
/// valid after any panic (a map of loaded chunks, a set of numbers).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Chunks {
    pub fn new(mut head: Head, source: Box<ChunkSource>) -> Chunks {
        let preloaded = std::mem::take(&mut head.preloaded)
            .into_iter()
            .map(|(start, bytes)| (start, OwnedBytes::new(bytes)))
            .collect();
        Chunks {
            head,
            preloaded,
            loaded: Mutex::new(HashMap::new()),
            source,
            missing: Mutex::new(BTreeSet::new()),
            failure: Mutex::new(None),
        }
    }

    pub fn name(&self, n: usize) -> String {
        format::chunk_name(n, self.head.id)
    }

    /// The chunks reads needed since the last call, and forgets them.
    pub fn take_missing(&self) -> Vec<usize> {
        std::mem::take(&mut *lock(&self.missing))
            .into_iter()
            .collect()
    }

    pub fn has_missing(&self) -> bool {
        !lock(&self.missing).is_empty()
    }

    pub fn take_failure(&self) -> Option<Error> {
        lock(&self.failure).take()
    }

    fn chunk(&self, n: usize) -> Option<OwnedBytes> {
        if let Some(bytes) = lock(&self.loaded).get(&n) {
            return Some(bytes.clone());
        }
        let read = match (self.source)(n, &self.name(n)) {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                lock(&self.missing).insert(n);
                return None;
            }
            Err(e) => Err(Error::Format(format!("chunk {}: {e}", self.name(n)))),
            Ok(compressed) => format::inflate_chunk(&self.head, n, &compressed),
        };
        match read {
            Ok(bytes) => {
                let bytes = OwnedBytes::new(bytes);
                lock(&self.loaded).insert(n, bytes.clone());
                Some(bytes)
            }
            Err(err) => {
                lock(&self.failure).get_or_insert(err);
                None
            }
        }
    }
}

fn unavailable() -> io::Error {
    io::Error::other("this part of the search index is not loaded yet")
}

impl Storage for Chunks {
    fn as_chunks(&self) -> Option<&Chunks> {
        Some(self)
    }

    fn read(&self, range: Range<u64>) -> io::Result<OwnedBytes> {
        if range.start >= range.end {
            return Ok(OwnedBytes::empty());
        }
        if let Some((start, bytes)) = self.preloaded.range(..=range.start).next_back() {
            if range.end <= start + bytes.len() as u64 {
                let from = (range.start - start) as usize;
                return Ok(bytes.slice(from..from + (range.end - range.start) as usize));
            }
        }
        let size = self.head.chunk_size as u64;
        let (first, last) = (
            (range.start / size) as usize,
            ((range.end - 1) / size) as usize,
        );
        // Every chunk is asked for, so one failed search notes all the chunks it lacked.
        let parts: Vec<Option<OwnedBytes>> = (first..=last).map(|n| self.chunk(n)).collect();
        let parts: Vec<OwnedBytes> = parts
            .into_iter()
            .collect::<Option<_>>()
            .ok_or_else(unavailable)?;
        let offset = (range.start - first as u64 * size) as usize;
        let len = (range.end - range.start) as usize;
        if let [one] = &parts[..] {
            if offset + len <= one.len() {
                return Ok(one.slice(offset..offset + len));
            }
        }
        let mut out = Vec::with_capacity(len);
        for part in &parts {
            out.extend_from_slice(part.as_slice());
        }
        if offset + len > out.len() {
            return Err(io::Error::other(
                "a read goes past the end of the search index",
            ));
        }
        out.truncate(offset + len);
        out.drain(..offset);
        Ok(OwnedBytes::new(out))
    }
}

/// The whole byte space, each read recorded: what opening an index reads is what its head
/// carries.
#[derive(Debug)]
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
pub(crate) struct Recorder {
    pub data: Arc<format::Laid>,
    pub reads: Mutex<Vec<Range<u64>>>,
}

impl Storage for Recorder {
    fn read(&self, range: Range<u64>) -> io::Result<OwnedBytes> {
        lock(&self.reads).push(range.clone());
        self.data.read(range).map(OwnedBytes::new)
    }
}

#[derive(Clone, Debug)]
pub(crate) struct ReadOnlyDirectory {
    files: Arc<HashMap<PathBuf, Range<u64>>>,
    storage: Arc<dyn Storage>,
}

impl ReadOnlyDirectory {
    pub fn new(files: &[(String, Range<u64>)], storage: Arc<dyn Storage>) -> ReadOnlyDirectory {
        ReadOnlyDirectory {
            files: Arc::new(
                files
                    .iter()
                    .map(|(name, range)| (PathBuf::from(name), range.clone()))
                    .collect(),
            ),
            storage,
        }
    }

    fn file(&self, path: &Path) -> Result<Range<u64>, OpenReadError> {
        self.files
            .get(path)
            .cloned()
            .ok_or_else(|| OpenReadError::FileDoesNotExist(path.to_path_buf()))
    }
}

/// One file of the index: a range of the byte space.
#[derive(Debug)]
struct Slice {
    range: Range<u64>,
    storage: Arc<dyn Storage>,
}

impl HasLen for Slice {
    fn len(&self) -> usize {
        (self.range.end - self.range.start) as usize
    }
}

impl FileHandle for Slice {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        if range.end > self.len() || range.start > range.end {
            return Err(io::Error::other(
                "a read goes past the end of an index file",
            ));
        }
        let start = self.range.start + range.start as u64;
        self.storage.read(start..start + range.len() as u64)
    }
}

fn read_only(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        format!("the search index is read-only ({})", path.display()),
    )
}

impl Directory for ReadOnlyDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        Ok(Arc::new(Slice {
            range: self.file(path)?,
            storage: self.storage.clone(),
        }))
    }

    // Readers never delete; tantivy only calls this to collect garbage after writing.
    fn delete(&self, _path: &Path) -> Result<(), DeleteError> {
        Ok(())
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        Ok(self.files.contains_key(path))
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::IoError {
            io_error: Arc::new(read_only(path)),
            filepath: path.to_path_buf(),
        })
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        let range = self.file(path)?;
        self.storage
            .read(range)
            .map(|b| b.as_slice().to_vec())
            .map_err(|e| OpenReadError::IoError {
                io_error: Arc::new(e),
                filepath: path.to_path_buf(),
            })
    }

    fn atomic_write(&self, path: &Path, _data: &[u8]) -> io::Result<()> {
        Err(read_only(path))
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    // Opening a reader takes the meta lock; with nothing ever writing, there is nothing to
    // exclude.
    fn acquire_lock(&self, _lock: &Lock) -> Result<DirectoryLock, LockError> {
        Ok(DirectoryLock::from(Box::new(())))
    }

    fn watch(&self, _callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        Ok(WatchHandle::empty())
    }
}
