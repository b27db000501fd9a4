//! A tantivy directory over a folder on disk, for the index while it is written.
//!
//! Index segments held in memory grew with the site: at 100,000 pages they were 600 MB beside
//! the pages' HTML, and the merge held them twice over. Here each file is written to disk as
//! tantivy writes it and read back a window at a time, so the writer's memory is what it is
//! working on. Reads are `pread`s, not a memory map: mapped pages that a merge has touched count
//! as the process's own until the kernel evicts them, and a merge touches every byte.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tantivy::directory::error::{DeleteError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    AntiCallToken, Directory, FileHandle, OwnedBytes, TerminatingWrite, WatchCallback, WatchHandle,
    WritePtr,
};
use tantivy::HasLen;

/// A read of a few bytes brings this many into the handle's window: a merge walks each file
/// from start to end in small reads (a term's postings, a block of stored text), and one
/// `pread` a window serves hundreds of them. A merge may hold a window for every file of every
/// segment (six files a segment, a segment for every 4,096 sections): about 10 MiB for the 13
/// segments of a 10,000-page site, about 90 MiB for the 120-odd of a 100,000-page one.
const WINDOW: usize = 128 * 1024;

/// The files of one index, in `root`, which the caller owns and removes.
#[derive(Clone, Debug)]
pub(crate) struct ScratchDirectory {
    root: PathBuf,
}

impl ScratchDirectory {
    pub fn new(root: &Path) -> ScratchDirectory {
        ScratchDirectory {
            root: root.to_path_buf(),
        }
    }
}

fn io_read_error(path: &Path, e: io::Error) -> OpenReadError {
    if e.kind() == io::ErrorKind::NotFound {
        OpenReadError::FileDoesNotExist(path.to_path_buf())
    } else {
        OpenReadError::wrap_io_error(e, path.to_path_buf())
    }
}

impl Directory for ScratchDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let full = self.root.join(path);
        let file = File::open(&full).map_err(|e| io_read_error(path, e))?;
        let len = file.metadata().map_err(|e| io_read_error(path, e))?.len() as usize;
        Ok(Arc::new(WindowedFile {
            file,
            len,
            window: Mutex::new(None),
        }))
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        std::fs::remove_file(self.root.join(path)).map_err(|e| {
            if e.kind() == io::ErrorKind::NotFound {
                DeleteError::FileDoesNotExist(path.to_path_buf())
            } else {
                DeleteError::IoError {
                    io_error: Arc::new(e),
                    filepath: path.to_path_buf(),
                }
            }
        })
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        Ok(self.root.join(path).exists())
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        let full = self.root.join(path);
        let file = File::options()
            .write(true)
            .create_new(true)
            .open(&full)
            .map_err(|e| {
                if e.kind() == io::ErrorKind::AlreadyExists {
                    OpenWriteError::FileAlreadyExists(path.to_path_buf())
                } else {
                    OpenWriteError::wrap_io_error(e, path.to_path_buf())
                }
            })?;
        Ok(BufWriter::new(Box::new(ScratchFile(file))))
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        std::fs::read(self.root.join(path)).map_err(|e| io_read_error(path, e))
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        // Nothing else reads this folder while the index is written: a plain write is atomic
        // enough for tantivy's meta.json.
        std::fs::write(self.root.join(path), data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        // The files are read back by this process and then removed: durability is not needed.
        Ok(())
    }

    fn watch(&self, _: WatchCallback) -> tantivy::Result<WatchHandle> {
        Ok(WatchHandle::empty())
    }
}

/// A file being written.
struct ScratchFile(File);

impl Write for ScratchFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

impl TerminatingWrite for ScratchFile {
    fn terminate_ref(&mut self, _: AntiCallToken) -> io::Result<()> {
        self.0.flush()
    }
}

/// A file read through a window: the last stretch of it read from disk.
#[derive(Debug)]
struct WindowedFile {
    file: File,
    len: usize,
    /// Where the window starts, and its bytes.
    window: Mutex<Option<(usize, OwnedBytes)>>,
}

impl HasLen for WindowedFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl FileHandle for WindowedFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        // A poisoned lock still holds a whole window or none: it is only ever replaced.
        let mut window = self.window.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((start, bytes)) = &*window {
            if range.start >= *start && range.end <= start + bytes.len() {
                return Ok(bytes.slice(range.start - start..range.end - start));
            }
        }
        let end = range.end.max(range.start + WINDOW).min(self.len);
        let bytes = OwnedBytes::new(read_at(&self.file, range.start, end - range.start)?);
        let out = bytes.slice(0..range.len());
        *window = Some((range.start, bytes));
        Ok(out)
    }
}

fn read_at(file: &File, offset: usize, len: usize) -> io::Result<Vec<u8>> {
    let mut buf = vec![0; len];
    read_exact_at(file, &mut buf, offset as u64)?;
    Ok(buf)
}

/// Fills `buf` from `offset` in `file` without moving a cursor, so that threads sharing the
/// file read it at once: the index's scratch segments here, the build's page spill in accord.
#[cfg(unix)]
pub fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
pub fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    let mut done = 0;
    while done < buf.len() {
        match std::os::windows::fs::FileExt::seek_read(
            file,
            &mut buf[done..],
            offset + done as u64,
        )? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => done += n,
        }
    }
    Ok(())
}
