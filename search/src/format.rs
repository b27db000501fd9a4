//! The packed index: the only place that knows how the bytes are laid out.
//!
//! ```text
//! magic "ACCORDSI" | u32 format version | u32 CRC-32 of everything after it
//! u32 file count
//! per file: u32 name length | name (UTF-8) | u64 data length | data
//! u32 synonyms length | synonyms (JSON)
//! ```
//! All integers are little-endian. The tantivy files are written as they are, and a version bump
//! covers any change to the schema or the tokenizers.
//!
//! The checksum is verified before anything else is read. tantivy trusts its files once they are
//! open (its own per-file checksums are only checked on request), so a damaged byte in a segment
//! could make a search panic, which in the browser kills the engine for good. One CRC-32 over the
//! whole payload catches every damaged byte, including in meta.json, the file table and the
//! synonyms, which tantivy's checksums do not cover, and costs one pass over bytes that are
//! read anyway.

use crate::{Error, Synonyms, FORMAT_VERSION};

const MAGIC: &[u8; 8] = b"ACCORDSI";
/// Magic, version and checksum: the bytes the checksum does not cover.
const HEADER: usize = MAGIC.len() + 4 + 4;

pub(crate) struct Packed {
    /// Each file's name and its byte range in the blob.
    pub files: Vec<(String, std::ops::Range<usize>)>,
    pub synonyms: Synonyms,
}

// Only the native build writes indexes.
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
pub(crate) fn pack(files: &[(String, Vec<u8>)], synonyms: &Synonyms) -> Result<Vec<u8>, Error> {
    let synonyms = serde_json::to_vec(synonyms).map_err(|e| Error::Index(e.to_string()))?;
    let size: usize = files.iter().map(|(n, d)| 12 + n.len() + d.len()).sum();
    let mut out = Vec::with_capacity(HEADER + 4 + size + 4 + synonyms.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    // The checksum, filled in once the payload is complete.
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&len_u32(files.len())?.to_le_bytes());
    for (name, data) in files {
        out.extend_from_slice(&len_u32(name.len())?.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&(data.len() as u64).to_le_bytes());
        out.extend_from_slice(data);
    }
    out.extend_from_slice(&len_u32(synonyms.len())?.to_le_bytes());
    out.extend_from_slice(&synonyms);
    let crc = crc32fast::hash(&out[HEADER..]);
    out[HEADER - 4..HEADER].copy_from_slice(&crc.to_le_bytes());
    Ok(out)
}

#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
fn len_u32(len: usize) -> Result<u32, Error> {
    u32::try_from(len).map_err(|_| Error::Index(format!("{len} bytes is too large to pack")))
}

pub(crate) fn unpack(blob: &[u8]) -> Result<Packed, Error> {
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
    let count = r.u32()?;
    let mut files = Vec::new();
    for _ in 0..count {
        let name_len = r.u32()? as usize;
        let name = std::str::from_utf8(r.take(name_len)?)
            .map_err(|_| Error::Format("a file name is not UTF-8".into()))?
            .to_string();
        let data_len = usize::try_from(r.u64()?)
            .map_err(|_| Error::Format("a file is too large for this platform".into()))?;
        let start = blob.len() - r.rest.len();
        r.take(data_len)?;
        files.push((name, start..start + data_len));
    }
    let synonyms_len = r.u32()? as usize;
    let synonyms = serde_json::from_slice(r.take(synonyms_len)?)
        .map_err(|e| Error::Format(format!("synonyms: {e}")))?;
    if !r.rest.is_empty() {
        return Err(Error::Format(format!(
            "{} unexpected bytes at the end",
            r.rest.len()
        )));
    }
    Ok(Packed { files, synonyms })
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
