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
        }
    }
}

impl std::error::Error for Error {}

impl From<tantivy::TantivyError> for Error {
    fn from(err: tantivy::TantivyError) -> Self {
        Error::Index(err.to_string())
    }
}
