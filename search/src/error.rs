use std::fmt;

/// Why an index could not be built or opened.
#[derive(Debug)]
pub enum Error {
    /// The bytes cannot be read as an accord search index: not one at all, truncated, or changed
    /// since they were written (the checksum does not match, or tantivy refuses the files).
    Format(String),
    /// The index was written by a different version of accord.
    Version { found: u32, expected: u32 },
    /// tantivy refused to build the index.
    Index(String),
    /// A lazily read index lacks these chunks (number and file name): add them and try again.
    Missing(Vec<(usize, String)>),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Format(msg) => write!(f, "{} ({msg})", crate::DAMAGED),
            Error::Version { found, expected } => write!(
                f,
                "search index format version {found} is not supported by this accord \
                 (it reads version {expected}); rebuild the site with this accord"
            ),
            Error::Index(msg) => write!(f, "search index error: {msg}"),
            Error::Missing(chunks) => write!(
                f,
                "the search needs {} more part(s) of the index",
                chunks.len()
            ),
        }
    }
}

impl std::error::Error for Error {}

impl From<tantivy::TantivyError> for Error {
    fn from(err: tantivy::TantivyError) -> Self {
        Error::Index(err.to_string())
    }
}
