//! The packed index: the only place that knows how the bytes are laid out.
//!
//! tantivy's files are laid end to end into one byte space, which is cut into chunks of
//! [`CHUNK_SIZE`] bytes, each compressed on its own (deflate). A reader first gets the *head*:
//!
//! ```text
//! magic "ACCORDSI" | u32 format version | u32 CRC-32 of everything after it
//! u32 chunk size | u64 length of the byte space | u32 chunk count | u32 index id
//! u32 file count;  per file:  u32 name length | name (UTF-8) | u64 offset | u64 length
//! u32 synonyms length | u32 compressed length | synonyms (JSON), deflated
//! u32 range count; per range: u64 offset | u32 length
//! u32 compressed length | the preloaded ranges' bytes end to end, deflated
//! ```
//!
//! and each chunk is a file of its own, `N-ID` (its number and the index id):
//!
//! ```text
//! u32 CRC-32 of what follows | the chunk's bytes, deflated
//! ```
//!
//! All integers are little-endian. The preloaded ranges are what opening the index reads
//! (tantivy's footers, each field's dictionary index, the fast fields, the stored text's block
//! index): recorded when the index is written, they come with the head, so opening needs no
//! further request. Everything else is read chunk by chunk when a query needs it: a reader on a
//! slow line fetches the dictionary blocks, postings and stored text of its query, not the
//! index.
//!
//! Checksums cover the head and every chunk, so no damaged byte reaches tantivy (it trusts its
//! files once they are open; a damaged byte in a segment could make a search panic, which in
//! the browser kills the engine for good). The index id is the CRC-32 of the whole byte space:
//! chunk files of two different indexes have different names, so a cache can never hand a
//! reader a chunk of another build of the site, and the head needs no table of chunks (at
//! 100,000 pages such a table alone would be hundreds of kilobytes).

use std::ops::Range;

use tantivy::HasLen;

use crate::{Error, Synonyms, FORMAT_VERSION};

const MAGIC: &[u8; 8] = b"ACCORDSI";
/// Magic, version and checksum: the bytes the checksum does not cover.
#[cfg(not(target_arch = "wasm32"))]
const HEADER: usize = MAGIC.len() + 4 + 4;
/// Bytes of the index in one chunk, before compression. Small enough that a query fetching a
/// dictionary block or one section's stored text does not drag much else along, large enough
/// that a 10,000-page site is a few thousand files (see the README's note on the search index).
pub const CHUNK_SIZE: usize = 16 * 1024;
/// zlib-rs at level 4 packs a 10,000-page index (58 MB) into 29.75 MB, as small as level 6 of
/// miniz_oxide (29.73 MB), in 1.0 s rather than 2.3 s; its own level 6 saves 0.5 % more bytes
/// for a quarter more time.
#[cfg(not(target_arch = "wasm32"))]
const DEFLATE_LEVEL: u32 = 4;
/// What a chunk may inflate to: a damaged length must not make a reader allocate without bound.
const MAX_CHUNK: usize = 1 << 24;

/// A whole index as it is written: the head and the compressed chunks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackedIndex {
    pub head: Vec<u8>,
    pub chunks: Vec<Vec<u8>>,
    /// What chunk file names carry (see the module documentation).
    pub id: u32,
}

impl PackedIndex {
    /// The file name (without extension) of chunk `n`: its number and the index id.
    pub fn chunk_name(&self, n: usize) -> String {
        chunk_name(n, self.id)
    }

    /// Total bytes of the head and every chunk.
    pub fn len(&self) -> usize {
        self.head.len() + self.chunks.iter().map(Vec::len).sum::<usize>()
    }

    pub fn is_empty(&self) -> bool {
        self.head.is_empty()
    }

    /// Writes the index into `dir` as a site carries it: the head as `index.bin`, each chunk
    /// as `chunks/NAME.bin`.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn write_to(&self, dir: &std::path::Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir.join("chunks"))?;
        std::fs::write(dir.join("index.bin"), &self.head)?;
        for (n, chunk) in self.chunks.iter().enumerate() {
            std::fs::write(
                dir.join("chunks")
                    .join(format!("{}.bin", self.chunk_name(n))),
                chunk,
            )?;
        }
        Ok(())
    }
}

pub(crate) fn chunk_name(n: usize, id: u32) -> String {
    format!("{n}-{id:08x}")
}

/// What the head says.
#[derive(Debug)]
pub(crate) struct Head {
    pub chunk_size: usize,
    pub data_len: u64,
    /// Each file's name and its byte range in the byte space.
    pub files: Vec<(String, Range<u64>)>,
    pub synonyms: Synonyms,
    pub chunk_count: usize,
    pub id: u32,
    /// The preloaded ranges and their bytes.
    pub preloaded: Vec<(u64, Vec<u8>)>,
}

/// tantivy's files laid end to end in one byte space, each read where it lies (in memory, or on
/// disk through the directory it was written to), never copied into one buffer: at 100,000
/// pages the space is 600 MB.
#[derive(Debug)]
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
pub(crate) struct Laid {
    /// Each file's start in the space, and the file.
    parts: Vec<(u64, tantivy::directory::FileSlice)>,
    len: u64,
}

#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
impl Laid {
    /// The files in the order given, with each one's name and range in the space.
    pub fn new(
        files: Vec<(String, tantivy::directory::FileSlice)>,
    ) -> (Laid, Vec<(String, Range<u64>)>) {
        let mut parts = Vec::with_capacity(files.len());
        let mut table = Vec::with_capacity(files.len());
        let mut len = 0u64;
        for (name, file) in files {
            let end = len + file.len() as u64;
            table.push((name, len..end));
            parts.push((len, file));
            len = end;
        }
        (Laid { parts, len }, table)
    }

    pub fn len(&self) -> u64 {
        self.len
    }

    /// The bytes of `range`, across as many files as it spans.
    pub fn read(&self, range: Range<u64>) -> std::io::Result<Vec<u8>> {
        let want = range.end.saturating_sub(range.start) as usize;
        let mut out = Vec::with_capacity(want);
        let mut i = self
            .parts
            .partition_point(|(start, f)| start + f.len() as u64 <= range.start);
        while out.len() < want {
            let Some((start, file)) = self.parts.get(i) else {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            };
            let from = (range.start + out.len() as u64 - start) as usize;
            let to = file.len().min((range.end - start) as usize);
            out.extend_from_slice(file.read_bytes_slice(from..to)?.as_slice());
            i += 1;
        }
        Ok(out)
    }
}

/// Packs tantivy's files (sorted by name), with what opening them reads in the head.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn pack(
    files: Vec<(String, tantivy::directory::FileSlice)>,
    synonyms: &Synonyms,
) -> Result<PackedIndex, Error> {
    let (laid, table) = Laid::new(files);
    let laid = std::sync::Arc::new(laid);
    let preload = crate::Engine::preload(laid.clone(), &table, synonyms)?;
    pack_laid_out(&laid, &table, synonyms, &preload)
}

/// Chunks read and deflated at a time: read one after another, so that a file on disk is read
/// from start to end, then deflated on all cores.
#[cfg(not(target_arch = "wasm32"))]
const CHUNKS_AT_A_TIME: usize = 256;

/// Packs laid-out files: `preload` are the ranges of `data` that opening the index reads.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn pack_laid_out(
    data: &Laid,
    files: &[(String, Range<u64>)],
    synonyms: &Synonyms,
    preload: &[Range<u64>],
) -> Result<PackedIndex, Error> {
    use rayon::prelude::*;

    let read = |range: Range<u64>| data.read(range).map_err(|e| Error::Index(e.to_string()));
    let synonyms = serde_json::to_vec(synonyms).map_err(|e| Error::Index(e.to_string()))?;
    // Each chunk is deflated on its own, so on all cores: deflating was the longest serial
    // step of building a large site's index.
    let size = CHUNK_SIZE as u64;
    let count = data.len().div_ceil(size);
    let mut chunks: Vec<Vec<u8>> = Vec::with_capacity(count as usize);
    let mut crc = crc32fast::Hasher::new();
    let mut next = 0u64;
    while next < count {
        let end = count.min(next + CHUNKS_AT_A_TIME as u64);
        let bytes = read(next * size..data.len().min(end * size))?;
        crc.update(&bytes);
        chunks.extend(
            bytes
                .par_chunks(CHUNK_SIZE)
                .map(pack_chunk)
                .collect::<Vec<_>>(),
        );
        next = end;
    }
    let id = crc.finalize();
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    // The checksum, filled in once the payload is complete.
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&len_u32(CHUNK_SIZE)?.to_le_bytes());
    out.extend_from_slice(&data.len().to_le_bytes());
    out.extend_from_slice(&len_u32(chunks.len())?.to_le_bytes());
    out.extend_from_slice(&id.to_le_bytes());
    out.extend_from_slice(&len_u32(files.len())?.to_le_bytes());
    for (name, range) in files {
        out.extend_from_slice(&len_u32(name.len())?.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&range.start.to_le_bytes());
        out.extend_from_slice(&(range.end - range.start).to_le_bytes());
    }
    // Glossary definitions make the synonyms most of a small site's head.
    let packed_synonyms = deflate(&synonyms);
    out.extend_from_slice(&len_u32(synonyms.len())?.to_le_bytes());
    out.extend_from_slice(&len_u32(packed_synonyms.len())?.to_le_bytes());
    out.extend_from_slice(&packed_synonyms);
    out.extend_from_slice(&len_u32(preload.len())?.to_le_bytes());
    let mut preloaded = Vec::new();
    for range in preload {
        out.extend_from_slice(&range.start.to_le_bytes());
        out.extend_from_slice(&len_u32((range.end - range.start) as usize)?.to_le_bytes());
        preloaded.extend_from_slice(&read(range.clone())?);
    }
    let preloaded = deflate(&preloaded);
    out.extend_from_slice(&len_u32(preloaded.len())?.to_le_bytes());
    out.extend_from_slice(&preloaded);
    let crc = crc32fast::hash(&out[HEADER..]);
    out[HEADER - 4..HEADER].copy_from_slice(&crc.to_le_bytes());
    Ok(PackedIndex {
        head: out,
        chunks,
        id,
    })
}

/// One chunk's file: the checksum of its deflated bytes, then those bytes.
#[cfg(not(target_arch = "wasm32"))]
fn pack_chunk(chunk: &[u8]) -> Vec<u8> {
    let packed = deflate(chunk);
    let mut file = Vec::with_capacity(4 + packed.len());
    file.extend_from_slice(&crc32fast::hash(&packed).to_le_bytes());
    file.extend_from_slice(&packed);
    file
}

#[cfg(not(target_arch = "wasm32"))]
fn deflate(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::DeflateEncoder::new(
        Vec::with_capacity(bytes.len() / 2),
        flate2::Compression::new(DEFLATE_LEVEL),
    );
    // Writing into a Vec cannot fail.
    encoder
        .write_all(bytes)
        .and_then(|()| encoder.finish())
        .unwrap_or_default()
}

/// A chunk as it was written, checked against its checksum and inflated.
pub(crate) fn inflate_chunk(head: &Head, n: usize, bytes: &[u8]) -> Result<Vec<u8>, Error> {
    let name = || chunk_name(n, head.id);
    if n >= head.chunk_count {
        return Err(Error::Format(format!("there is no chunk {}", name())));
    }
    let damaged = || {
        Error::Format(format!(
            "chunk {} does not match its checksum: it was changed or damaged after it was built",
            name()
        ))
    };
    let (crc, packed) = bytes.split_at_checked(4).ok_or_else(damaged)?;
    if crc32fast::hash(packed).to_le_bytes() != crc {
        return Err(damaged());
    }
    let expected = chunk_len(head, n);
    let out =
        inflate(packed, expected).map_err(|e| Error::Format(format!("chunk {}: {e}", name())))?;
    if out.len() != expected {
        return Err(Error::Format(format!(
            "chunk {} has the wrong length",
            name()
        )));
    }
    Ok(out)
}

/// Uncompressed length of chunk `n` (the last one is shorter).
pub(crate) fn chunk_len(head: &Head, n: usize) -> usize {
    let start = (n * head.chunk_size) as u64;
    head.data_len
        .saturating_sub(start)
        .min(head.chunk_size as u64) as usize
}

fn inflate(bytes: &[u8], limit: usize) -> Result<Vec<u8>, String> {
    // The limit comes from the head, whose checksum has been verified.
    miniz_oxide::inflate::decompress_to_vec_with_limit(bytes, limit.max(1))
        .map_err(|e| format!("{:?}", e.status))
}

#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
fn len_u32(len: usize) -> Result<u32, Error> {
    u32::try_from(len).map_err(|_| Error::Index(format!("{len} bytes is too large to pack")))
}

pub(crate) fn unpack_head(blob: &[u8]) -> Result<Head, Error> {
    let mut r = Reader { rest: blob };
    if r.take(MAGIC.len()).ok() != Some(&MAGIC[..]) {
        return Err(Error::Format(
            "it does not start with the accord search index signature".into(),
        ));
    }
    let version = r.u32()?;
    if version != FORMAT_VERSION {
        return Err(Error::Version {
            found: version,
            expected: FORMAT_VERSION,
        });
    }
    let crc = r.u32()?;
    if crc32fast::hash(r.rest) != crc {
        return Err(Error::Format(
            "its checksum does not match: it was changed or damaged after it was built".into(),
        ));
    }
    let chunk_size = r.u32()? as usize;
    let data_len = r.u64()?;
    let chunk_count = r.u32()? as usize;
    let id = r.u32()?;
    if chunk_size == 0 || chunk_size > MAX_CHUNK {
        return Err(Error::Format(format!("chunk size {chunk_size}")));
    }
    if chunk_count as u64 != data_len.div_ceil(chunk_size as u64) {
        return Err(Error::Format(format!("{chunk_count} chunks")));
    }
    let count = r.u32()?;
    let mut files = Vec::new();
    for _ in 0..count {
        let name_len = r.u32()? as usize;
        let name = std::str::from_utf8(r.take(name_len)?)
            .map_err(|_| Error::Format("a file name is not UTF-8".into()))?
            .to_string();
        let start = r.u64()?;
        let len = r.u64()?;
        let end = start
            .checked_add(len)
            .filter(|end| *end <= data_len)
            .ok_or_else(|| Error::Format(format!("{name} lies outside the index")))?;
        files.push((name, start..end));
    }
    let synonyms_len = r.u32()? as usize;
    let packed_len = r.u32()? as usize;
    let synonyms = inflate(r.take(packed_len)?, synonyms_len)
        .map_err(|e| Error::Format(format!("synonyms: {e}")))?;
    let synonyms =
        serde_json::from_slice(&synonyms).map_err(|e| Error::Format(format!("synonyms: {e}")))?;
    let range_count = r.u32()? as usize;
    let mut ranges = Vec::new();
    for _ in 0..range_count {
        let (start, len) = (r.u64()?, r.u32()? as usize);
        if start.saturating_add(len as u64) > data_len {
            return Err(Error::Format(
                "a preloaded range lies outside the index".into(),
            ));
        }
        ranges.push((start, len));
    }
    let packed_len = r.u32()? as usize;
    let total: usize = ranges.iter().map(|(_, len)| len).sum();
    let all = inflate(r.take(packed_len)?, total)
        .map_err(|e| Error::Format(format!("preloaded bytes: {e}")))?;
    if all.len() != total {
        return Err(Error::Format("the preloaded bytes are incomplete".into()));
    }
    if !r.rest.is_empty() {
        return Err(Error::Format(format!(
            "{} unexpected bytes at the end",
            r.rest.len()
        )));
    }
    let mut preloaded = Vec::with_capacity(ranges.len());
    let mut at = 0;
    for (start, len) in ranges {
        preloaded.push((start, all[at..at + len].to_vec()));
        at += len;
    }
    Ok(Head {
        chunk_size,
        data_len,
        files,
        synonyms,
        chunk_count,
        id,
        preloaded,
    })
}

struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        if n > self.rest.len() {
            return Err(Error::Format("it is truncated".into()));
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }

    fn u32(&mut self) -> Result<u32, Error> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn u64(&mut self) -> Result<u64, Error> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
}
