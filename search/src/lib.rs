//! accord's search engine.
//!
//! One crate holds everything a search needs: the schema, the tokenizers, query parsing, ranking
//! and snippets. `accord build` calls [`build_index`] natively and writes the packed index into
//! the site; `accord search`, the dev server and the browser (this same crate compiled to
//! `wasm32-unknown-unknown`, see `wasm.rs`) all read it with [`Engine`]. Because both sides run
//! the same code over the same bytes, a query gets the same ranked hits and snippets everywhere.
//!
//! ```
//! use accord_search::{build_index, Engine, SearchRequest, SectionDoc, Synonyms};
//!
//! let docs = vec![SectionDoc {
//!     url: "principles/trust.html#why-it-matters".into(),
//!     page_title: "Trust".into(),
//!     section: "Why it matters".into(),
//!     body: "Victims who trust the police report exploitation earlier.".into(),
//!     kind: "principle".into(),
//!     ..SectionDoc::default()
//! }];
//! let blob = build_index(&docs, &Synonyms::default()).unwrap();
//! let engine = Engine::open(&blob).unwrap();
//! let response = engine.search(&SearchRequest { q: "victim".into(), ..SearchRequest::default() });
//! assert_eq!(response.hits[0].url, "principles/trust.html#why-it-matters");
//! assert!(response.hits[0].snippet.contains("<mark>Victims</mark>"));
//! ```

mod analysis;
mod directory;
mod engine;
mod error;
mod format;
mod index;
mod language;
mod query;
#[cfg(not(target_arch = "wasm32"))]
mod scratch;
mod snippet;
#[cfg(target_arch = "wasm32")]
mod wasm;

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

pub use directory::ChunkSource;
pub use engine::Engine;
pub use error::Error;
pub use format::{PackedIndex, CHUNK_SIZE};
pub use language::has_stemmer;
#[cfg(not(target_arch = "wasm32"))]
pub use scratch::read_exact_at;

/// Version of the packed index. Bump it whenever the schema, the tokenizers or the packing
/// change, so an engine never reads an index it would misinterpret (an old bundle opened with a
/// new engine fails with a clear error instead of returning nonsense).
pub const FORMAT_VERSION: u32 = 5;

/// What every reader of a damaged index is told: the command line, the dev server and the
/// browser's search box.
pub const DAMAGED: &str = "search index damaged — rebuild the site";

/// Global variable set by `assets/accord-search-wasm.js`: the engine, base64-encoded, for pages
/// opened from `file://`, where `fetch` is blocked.
pub const WASM_SCRIPT_VAR: &str = "ACCORD_SEARCH_WASM_B64";
/// Global variable set by `search/index.js`: the index's head, base64-encoded.
pub const INDEX_SCRIPT_VAR: &str = "ACCORD_SEARCH_INDEX_B64";
/// Function each chunk's script (`search/chunks/N-ID.js`) calls with its script element and
/// the chunk, base64-encoded: pages opened from disk load chunks as classic scripts.
pub const CHUNK_SCRIPT_CALL: &str = "ACCORD_SEARCH_CHUNK";

/// The facet fields, in the order the response lists them.
pub const FACETS: [&str; 5] = ["kind", "region", "country", "stakeholder", "tag"];

/// One searchable unit: a page section (a heading and the text up to the next heading).
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct SectionDoc {
    /// Site-root-relative URL with the section anchor, e.g. `principles/trust.html#why-it-matters`.
    pub url: String,
    pub page_title: String,
    /// Heading text; empty for the part of a page before its first heading.
    pub section: String,
    /// Plain text of the section.
    pub body: String,
    pub summary: String,
    pub kind: String,
    pub regions: Vec<String>,
    pub countries: Vec<String>,
    pub stakeholders: Vec<String>,
    pub tags: Vec<String>,
}

/// Terms that mean the same thing: glossary terms, their abbreviations and aliases; and the
/// names readers use for facet values.
///
/// A query for any variant of a group also matches the others ("NRM" finds "national referral
/// mechanism"). A group may carry its glossary definition, which the response returns when the
/// query names the group.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct Synonyms {
    pub groups: Vec<SynonymGroup>,
    /// Other names of facet values: "IT", "Italian" and "italy" for the country "Italy".
    pub facets: Vec<FacetNames>,
    /// The language of the indexed text (`en`, `de`, `pl`, …), which decides its stemming and
    /// stop words; empty is English.
    pub language: String,
}

/// The names of one facet value besides the value itself.
///
/// They are indexed as words of every section with the value (so "British" finds pages about
/// the United Kingdom), a query naming the value ranks such sections higher, and filters accept
/// any of them in any letter case (`--country it`).
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct FacetNames {
    /// One of [`FACETS`].
    pub facet: String,
    pub value: String,
    pub names: Vec<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct SynonymGroup {
    /// The variants; the first one is the glossary term shown with the definition.
    pub terms: Vec<String>,
    pub definition: Option<String>,
    /// Site-root-relative URL of the glossary entry.
    pub url: Option<String>,
}

impl Synonyms {
    /// Groups without definitions, e.g. `vec![vec!["NRM".into(), "national referral mechanism".into()]]`.
    pub fn from_groups(groups: Vec<Vec<String>>) -> Synonyms {
        Synonyms {
            groups: groups
                .into_iter()
                .map(|terms| SynonymGroup {
                    terms,
                    definition: None,
                    url: None,
                })
                .collect(),
            facets: Vec::new(),
            language: String::new(),
        }
    }
}

/// A query as the command line, the dev server and the browser send it (JSON in the browser).
///
/// Filters within one facet are alternatives (kind is a principle OR a practice); filters on
/// different facets must all hold. Each filter accepts one string or a list in JSON.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct SearchRequest {
    pub q: String,
    #[serde(deserialize_with = "one_or_many")]
    pub kind: Vec<String>,
    #[serde(deserialize_with = "one_or_many")]
    pub region: Vec<String>,
    #[serde(deserialize_with = "one_or_many")]
    pub country: Vec<String>,
    #[serde(deserialize_with = "one_or_many")]
    pub stakeholder: Vec<String>,
    #[serde(deserialize_with = "one_or_many")]
    pub tag: Vec<String>,
    /// Maximum number of hits (pages); 0 returns only the total, the facets and the definition.
    pub limit: usize,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            q: String::new(),
            kind: Vec::new(),
            region: Vec::new(),
            country: Vec::new(),
            stakeholder: Vec::new(),
            tag: Vec::new(),
            limit: 10,
        }
    }
}

impl SearchRequest {
    /// The request's filters by facet name, in [`FACETS`] order.
    pub fn filters(&self) -> [(&'static str, &[String]); 5] {
        [
            ("kind", &self.kind),
            ("region", &self.region),
            ("country", &self.country),
            ("stakeholder", &self.stakeholder),
            ("tag", &self.tag),
        ]
    }
}

fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
        Null(()),
    }
    Ok(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::One(s) if s.is_empty() => Vec::new(),
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v.into_iter().filter(|s| !s.is_empty()).collect(),
        OneOrMany::Null(()) => Vec::new(),
    })
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct SearchResponse {
    /// Number of matching pages (hits holds at most `limit` of them).
    pub total: usize,
    pub hits: Vec<Hit>,
    /// For each facet in [`FACETS`]: its values among the matches, most frequent first. A facet
    /// that the request filters on is counted without its own filter, so the other values stay
    /// visible and selectable.
    pub facets: BTreeMap<String, Vec<FacetCount>>,
    /// The glossary entry the query names, if any.
    pub definition: Option<Definition>,
    /// True when a query word was not in the index and near spellings of it were searched.
    pub fuzzy: bool,
    /// When nothing matched: page titles and glossary terms spelled like the query's words.
    pub suggestions: Vec<Suggestion>,
}

/// One page that matches: its best-matching section, and further matching sections.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct Hit {
    /// The best-matching section (page URL with the section anchor).
    pub url: String,
    pub title: String,
    pub section: String,
    pub kind: String,
    /// HTML: matched words wrapped in `<mark>`, all other text escaped.
    pub snippet: String,
    pub score: f32,
    /// Up to three more matching sections of the same page, best first.
    pub sections: Vec<SectionLink>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(default)]
pub struct SectionLink {
    pub url: String,
    pub section: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(default)]
pub struct Suggestion {
    pub title: String,
    pub url: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct Definition {
    pub term: String,
    pub text: String,
    pub url: Option<String>,
}

/// Builds the packed index that [`Engine::open`] reads.
///
/// The result depends only on the input: documents are ordered by URL and written into a single
/// segment, so the same site always produces the same bytes.
#[cfg(not(target_arch = "wasm32"))]
pub fn build_index(docs: &[SectionDoc], synonyms: &Synonyms) -> Result<PackedIndex, Error> {
    index::build(docs, synonyms)
}

/// The first half of [`build_index`]: the documents written into segments on all cores, and
/// freed. The caller may free more before [`pack_segments`], which needs most memory.
///
/// With `scratch`, a folder that does not exist yet, the segments and their merge are written
/// into it on disk rather than held in memory (a large site's index is hundreds of megabytes);
/// the folder is removed when the [`Segments`] are packed or dropped.
#[cfg(not(target_arch = "wasm32"))]
pub fn write_segments(
    docs: Vec<SectionDoc>,
    synonyms: &Synonyms,
    scratch: Option<&std::path::Path>,
) -> Result<Segments, Error> {
    write_segments_reading(docs, None, synonyms, scratch)
}

/// Where a section's text comes from when the documents do not carry it: `body(n)` is the text
/// of the `n`th document given, read when its segment is written, so that a large site's text
/// is never held whole.
pub type Bodies<'a> = &'a (dyn Fn(usize) -> std::io::Result<String> + Sync);

/// [`write_segments`] with each document's text read from `bodies` rather than its `body`.
#[cfg(not(target_arch = "wasm32"))]
pub fn write_segments_reading(
    docs: Vec<SectionDoc>,
    bodies: Option<Bodies>,
    synonyms: &Synonyms,
    scratch: Option<&std::path::Path>,
) -> Result<Segments, Error> {
    let scratch = scratch
        .map(|folder| {
            std::fs::create_dir(folder)
                .map(|()| Scratch(folder.to_path_buf()))
                .map_err(|e| Error::Index(format!("{}: {e}", folder.display())))
        })
        .transpose()?;
    let folder = scratch.as_ref().map(|s| s.0.as_path());
    Ok(Segments {
        segments: index::segments(&docs, bodies, synonyms, index::SHARD_SECTIONS, folder)?,
        synonyms: synonyms.clone(),
        scratch,
    })
}

/// The second half of [`build_index`]: the segments merged into one and packed.
#[cfg(not(target_arch = "wasm32"))]
pub fn pack_segments(segments: Segments) -> Result<PackedIndex, Error> {
    let folder = segments.scratch.as_ref().map(|s| s.0.as_path());
    index::finish(segments.segments, &segments.synonyms, folder)
    // `segments.scratch` is dropped here, after the segments that read from it.
}

/// An index written in segments, not yet merged, with the synonyms it was written with, which
/// its head carries: see [`write_segments`].
#[cfg(not(target_arch = "wasm32"))]
pub struct Segments {
    segments: Vec<index::Segment>,
    synonyms: Synonyms,
    scratch: Option<Scratch>,
}

/// The folder an index is written into on disk, removed with everything in it when dropped.
#[cfg(not(target_arch = "wasm32"))]
struct Scratch(std::path::PathBuf);

#[cfg(not(target_arch = "wasm32"))]
impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A chunk as a classic script: it hands the chunk to the page that loaded it (see
/// [`CHUNK_SCRIPT_CALL`]).
pub fn chunk_script(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 64);
    out.push_str(CHUNK_SCRIPT_CALL);
    out.push_str("(document.currentScript,\"");
    base64_into(bytes, &mut out);
    out.push_str("\");\n");
    out
}

/// A classic script that sets `window[var]` to `bytes` in base64.
///
/// Pages opened from `file://` cannot `fetch`, but they can load `<script src>`; these scripts
/// carry the engine ([`WASM_SCRIPT_VAR`]) and the index ([`INDEX_SCRIPT_VAR`]) there.
pub fn base64_script(var: &str, bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + var.len() + 32);
    out.push_str("window.");
    out.push_str(var);
    out.push_str("=\"");
    base64_into(bytes, &mut out);
    out.push_str("\";\n");
    out
}

/// The bytes a [`base64_script`] for `var` carries; `None` if the text is not one.
pub fn from_base64_script(var: &str, script: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let rest = script.strip_prefix("window.")?.strip_prefix(var)?;
    let b64 = rest.strip_prefix("=\"")?.strip_suffix("\";\n")?;
    base64::engine::general_purpose::STANDARD.decode(b64).ok()
}

/// The chunk a [`chunk_script`] carries; `None` if the text is not one.
pub fn chunk_from_script(script: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let rest = script.strip_prefix(CHUNK_SCRIPT_CALL)?;
    let rest = rest.strip_prefix("(document.currentScript,\"")?;
    let b64 = rest.strip_suffix("\");\n")?;
    base64::engine::general_purpose::STANDARD.decode(b64).ok()
}

fn base64_into(bytes: &[u8], out: &mut String) {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode_string(bytes, out);
}

#[cfg(test)]
mod tests;
