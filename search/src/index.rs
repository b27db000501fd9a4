//! The schema, and writing an index (native only: the browser only reads).

use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST,
    STORED, STRING,
};

use crate::analysis::TOKENIZER;
use crate::Error;

/// Fields of the schema. Searchable text fields keep positions for phrase queries and are stored
/// for snippets; facets share one hierarchical field (`/kind/principle`, `/region/Europe`) so a
/// single collector counts them all.
#[derive(Clone, Copy)]
pub(crate) struct Fields {
    pub url: Field,
    pub title: Field,
    pub section: Field,
    pub summary: Field,
    pub body: Field,
    /// The section's facet values and their other names as words ("Italy Italian IT").
    pub meta: Field,
    pub kind: Field,
    pub facets: Field,
    /// The page URL without the section anchor: the glossary boost finds a term's page by it.
    pub page: Field,
}

/// Fast field holding the position of each document in URL order: the ranking tie-break.
pub(crate) const RANK: &str = "rank";
/// Fast field numbering pages in URL order: hits are grouped by it.
pub(crate) const PAGE_RANK: &str = "page_rank";

// The browser only reads indexes.
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
pub(crate) fn schema() -> Schema {
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let mut b = Schema::builder();
    b.add_text_field("url", STRING | STORED);
    b.add_text_field("title", text.clone());
    b.add_text_field("section", text.clone());
    b.add_text_field("summary", text.clone());
    b.add_text_field("body", text.clone());
    b.add_text_field("meta", text);
    b.add_text_field("kind", STORED);
    b.add_facet_field("facets", FacetOptions::default());
    b.add_text_field("page", STRING);
    b.add_u64_field(RANK, FAST);
    b.add_u64_field(PAGE_RANK, FAST);
    b.build()
}

impl Fields {
    pub fn of(schema: &Schema) -> Result<Fields, Error> {
        let get = |name: &str| {
            schema
                .get_field(name)
                .map_err(|_| Error::Format(format!("the schema has no field `{name}`")))
        };
        Ok(Fields {
            url: get("url")?,
            title: get("title")?,
            section: get("section")?,
            summary: get("summary")?,
            body: get("body")?,
            meta: get("meta")?,
            kind: get("kind")?,
            facets: get("facets")?,
            page: get("page")?,
        })
    }
}

pub(crate) fn facet(name: &str, value: &str) -> Facet {
    Facet::from_path([name, value])
}

/// The page part of a section URL.
pub(crate) fn page_of(url: &str) -> &str {
    url.split_once('#').map_or(url, |(page, _)| page)
}

/// A section's facet values as text: "Country: Italy (IT, Italian) · Kind: principle".
#[cfg(not(target_arch = "wasm32"))]
fn meta_text(values: &[(&str, &[String])], synonyms: &crate::Synonyms) -> String {
    let mut parts = Vec::new();
    for (name, values) in values {
        for value in values.iter().filter(|v| !v.is_empty()) {
            let names: Vec<&str> = synonyms
                .facets
                .iter()
                .filter(|f| f.facet == *name && f.value == *value)
                .flat_map(|f| f.names.iter().map(String::as_str))
                .filter(|n| !n.eq_ignore_ascii_case(value))
                .collect();
            let label = match *name {
                "kind" => "Kind",
                "region" => "Region",
                "country" => "Country",
                "stakeholder" => "Stakeholder",
                _ => "Tag",
            };
            if names.is_empty() {
                parts.push(format!("{label}: {value}"));
            } else {
                parts.push(format!("{label}: {value} ({})", names.join(", ")));
            }
        }
    }
    parts.join(" · ")
}
/// Sections written into one segment by one thread. Fixed, so how the documents are split,
/// and so the index's bytes, depend only on the site, never on the machine's cores or timing.
/// A 10,000-page site (60,000 sections) is written as 15 segments side by side, then merged
/// into one, so that a query looks each word up in one dictionary; the merge costs about a
/// tenth of the writing. Sites up to this size are one segment, written as they always were.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) const SHARD_SECTIONS: usize = 4_096;

#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn build(
    docs: &[crate::SectionDoc],
    synonyms: &crate::Synonyms,
) -> Result<crate::PackedIndex, Error> {
    build_in_shards(docs, synonyms, SHARD_SECTIONS)
}

/// The index of `docs`, written in segments of about `shard` sections (on all cores), merged
/// into one.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn build_in_shards(
    docs: &[crate::SectionDoc],
    synonyms: &crate::Synonyms,
    shard: usize,
) -> Result<crate::PackedIndex, Error> {
    finish(segments(docs, None, synonyms, shard, None)?, synonyms, None)
}

/// A segment written, with the directory that holds its files.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) type Segment = (tantivy::Index, Box<dyn tantivy::Directory>);

/// Where an index's files are written: in memory, or each directory a folder of `scratch`.
#[cfg(not(target_arch = "wasm32"))]
fn directory(
    scratch: Option<&std::path::Path>,
    name: &str,
) -> Result<Box<dyn tantivy::Directory>, Error> {
    Ok(match scratch {
        None => Box::new(tantivy::directory::RamDirectory::create()),
        Some(root) => {
            let folder = root.join(name);
            std::fs::create_dir(&folder)
                .map_err(|e| Error::Index(format!("{}: {e}", folder.display())))?;
            Box::new(crate::scratch::ScratchDirectory::new(&folder))
        }
    })
}

/// The segments of `docs`, about `shard` sections each, written on all cores, in memory or
/// (with `scratch`) on disk.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn segments(
    docs: &[crate::SectionDoc],
    bodies: Option<crate::Bodies>,
    synonyms: &crate::Synonyms,
    shard: usize,
    scratch: Option<&std::path::Path>,
) -> Result<Vec<Segment>, Error> {
    use rayon::prelude::*;
    use tantivy::tokenizer::TokenizerManager;
    use tantivy::IndexSettings;

    let tokenizers = TokenizerManager::default();
    tokenizers.register(
        TOKENIZER,
        crate::analysis::index_analyzer(&synonyms.language),
    );
    let settings = IndexSettings {
        docstore_compress_dedicated_thread: false,
        // Stored text is most of the index, and a reader fetches the blocks of the sections it
        // is shown: small blocks, so a result costs its own text rather than its neighbours'.
        // But the index of blocks comes with the index's head, one entry per block, and grows
        // with the site: 8 KiB blocks keep it half the size of 4 KiB ones for a little more
        // text read per result. They are not compressed here: the index's
        // chunks are (format.rs), and deflate over plain text does better than lz4 block by
        // block.
        docstore_compression: tantivy::store::Compressor::None,
        docstore_blocksize: 8_192,
        ..IndexSettings::default()
    };
    let ranked = ranked(docs);
    let shards = shards(&ranked, shard);
    shards
        .par_iter()
        .enumerate()
        .map(|(n, &shard)| {
            let dir = directory(scratch, &format!("segment-{n}"))?;
            write_segment(shard, bodies, synonyms, &settings, &tokenizers, dir)
        })
        .collect()
}

/// The segments merged into one and packed.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn finish(
    segments: Vec<Segment>,
    synonyms: &crate::Synonyms,
    scratch: Option<&std::path::Path>,
) -> Result<crate::PackedIndex, Error> {
    let files = merged_files(segments, scratch)?;
    crate::format::pack(files, synonyms)
}

/// The files of the segments merged into one, taking the segments; the segments are freed
/// once merged. The files stay where the merge wrote them (at 100,000 pages they are 600 MB).
#[cfg(not(target_arch = "wasm32"))]
fn merged_files(
    segments: Vec<Segment>,
    scratch: Option<&std::path::Path>,
) -> Result<Vec<(String, tantivy::directory::FileSlice)>, Error> {
    if let [(index, dir)] = &segments[..] {
        return deterministic_files(index, &**dir);
    }
    let indexes: Vec<tantivy::Index> = segments.into_iter().map(|(i, _)| i).collect();
    let dir = directory(scratch, "merged")?;
    // Segments are stacked in the order given: document ids stay in URL order.
    let merged = tantivy::indexer::merge_indices(&indexes, dir.box_clone())?;
    drop(indexes);
    deterministic_files(&merged, &*dir)
}

/// A section with its place in URL order and its page's.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) struct Ranked<'a> {
    pub doc: &'a crate::SectionDoc,
    /// Where the document is among those given.
    pub given: usize,
    pub rank: u64,
    pub page_rank: u64,
}

/// The sections in URL order, numbered, with their pages numbered in URL order.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn ranked(docs: &[crate::SectionDoc]) -> Vec<Ranked<'_>> {
    let mut ordered: Vec<(usize, &crate::SectionDoc)> = docs.iter().enumerate().collect();
    ordered.sort_by(|a, b| a.1.url.cmp(&b.1.url));
    let mut pages: Vec<&str> = ordered.iter().map(|(_, d)| page_of(&d.url)).collect();
    pages.sort_unstable();
    pages.dedup();
    ordered
        .into_iter()
        .enumerate()
        .map(|(rank, (given, doc))| Ranked {
            doc,
            given,
            rank: rank as u64,
            page_rank: pages.binary_search(&page_of(&doc.url)).unwrap_or_default() as u64,
        })
        .collect()
}

/// Consecutive runs of about `size` sections, each ending with a page's last section: the
/// engine counts facets once per page within a segment, so a page never spans two. Always at
/// least one run, so an empty site still gets an (empty) segment.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn shards<'r, 'a>(ranked: &'r [Ranked<'a>], size: usize) -> Vec<&'r [Ranked<'a>]> {
    let mut shards = Vec::new();
    let mut rest = ranked;
    while !rest.is_empty() || shards.is_empty() {
        let mut end = size.max(1).min(rest.len());
        while end < rest.len() && rest[end].page_rank == rest[end - 1].page_rank {
            end += 1;
        }
        let (shard, tail) = rest.split_at(end);
        shards.push(shard);
        rest = tail;
    }
    shards
}

/// One segment holding `sections` in the order given, written on the calling thread: no merge
/// policy, no background threads.
#[cfg(not(target_arch = "wasm32"))]
fn write_segment(
    sections: &[Ranked],
    bodies: Option<crate::Bodies>,
    synonyms: &crate::Synonyms,
    settings: &tantivy::IndexSettings,
    tokenizers: &tantivy::tokenizer::TokenizerManager,
    dir: Box<dyn tantivy::Directory>,
) -> Result<Segment, Error> {
    use tantivy::{Index, TantivyDocument};

    let schema = schema();
    let f = Fields::of(&schema)?;
    let fast = |name: &str| {
        schema
            .get_field(name)
            .map_err(|e| Error::Index(e.to_string()))
    };
    let (rank_field, page_rank_field) = (fast(RANK)?, fast(PAGE_RANK)?);
    let mut writer = Index::builder()
        .schema(schema)
        .settings(settings.clone())
        .tokenizers(tokenizers.clone())
        .single_segment_index_writer(dir.box_clone(), 100_000_000)?;
    for s in sections {
        let d = s.doc;
        let page = page_of(&d.url);
        let mut doc = TantivyDocument::default();
        doc.add_text(f.url, &d.url);
        doc.add_text(f.title, &d.page_title);
        doc.add_text(f.section, &d.section);
        doc.add_text(f.summary, &d.summary);
        match bodies {
            Some(read) => doc.add_text(
                f.body,
                read(s.given).map_err(|e| Error::Index(format!("{}: {e}", d.url)))?,
            ),
            None => doc.add_text(f.body, &d.body),
        }
        doc.add_text(f.kind, &d.kind);
        doc.add_text(f.page, page);
        let facets = [
            ("kind", std::slice::from_ref(&d.kind)),
            ("region", &d.regions[..]),
            ("country", &d.countries[..]),
            ("stakeholder", &d.stakeholders[..]),
            ("tag", &d.tags[..]),
        ];
        for &(name, values) in &facets {
            for value in values.iter().filter(|v| !v.is_empty()) {
                doc.add_facet(f.facets, facet(name, value));
            }
        }
        doc.add_text(f.meta, meta_text(&facets, synonyms));
        doc.add_u64(rank_field, s.rank);
        doc.add_u64(page_rank_field, s.page_rank);
        writer.add_document(doc)?;
    }
    Ok((writer.finalize()?, dir))
}

/// The index files with their segments renamed `00000000000000000000000000000001`, `…02`, ….
///
/// tantivy names each segment with a random UUID, which appears in the file names and in
/// meta.json; everything else it writes depends only on the documents. Numbering the segments
/// instead makes the packed index, and so the whole site, the same bytes on every build, so a
/// manifest or a hash tells whether a published site is the one built from a given source.
#[cfg(not(target_arch = "wasm32"))]
fn deterministic_files(
    index: &tantivy::Index,
    dir: &dyn tantivy::Directory,
) -> Result<Vec<(String, tantivy::directory::FileSlice)>, Error> {
    use std::path::Path;

    use tantivy::index::SegmentId;

    let read = |name: &Path| -> Result<Vec<u8>, Error> {
        Ok(dir
            .open_read(name)
            .map_err(|e| Error::Index(e.to_string()))?
            .read_bytes()
            .map_err(|e| Error::Index(e.to_string()))?
            .as_slice()
            .to_vec())
    };
    let json = |id: &SegmentId| serde_json::to_string(id).map_err(|e| Error::Index(e.to_string()));
    let mut metas = index.load_metas()?;
    let meta_path = Path::new("meta.json");
    let mut meta =
        String::from_utf8(read(meta_path)?).map_err(|e| Error::Index(format!("meta.json: {e}")))?;
    if metas.payload.take().is_some() {
        // A merge notes the random names of the segments it merged; nobody reads the note.
        // Written as tantivy writes meta.json.
        meta = serde_json::to_string_pretty(&metas).map_err(|e| Error::Index(e.to_string()))?;
        meta.push('\n');
    }
    let mut renames = Vec::new();
    for (n, segment) in metas.segments.iter().enumerate() {
        let old = segment.id();
        let new = SegmentId::from_uuid_string(&format!("{:032x}", n + 1))
            .map_err(|e| Error::Index(e.to_string()))?;
        let (old_json, new_json) = (json(&old)?, json(&new)?);
        // Exactly one mention, or meta.json has a shape this renaming does not know.
        if meta.matches(&old_json).count() != 1 {
            return Err(Error::Index(format!(
                "meta.json does not name segment {} exactly once",
                old.uuid_string()
            )));
        }
        meta = meta.replace(&old_json, &new_json);
        renames.push((old.uuid_string(), new.uuid_string()));
    }

    let mut files = vec![(
        meta_path.to_string_lossy().into_owned(),
        tantivy::directory::FileSlice::from(meta.into_bytes()),
    )];
    // Candidate paths; components a segment does not have (delete bitsets) are skipped.
    for path in metas.list_segment_files() {
        if !dir.exists(&path).unwrap_or(false) {
            continue;
        }
        let name = path.to_string_lossy().into_owned();
        let renamed = renames
            .iter()
            .find_map(|(old, new)| {
                name.strip_prefix(old.as_str())
                    .map(|rest| format!("{new}{rest}"))
            })
            .ok_or_else(|| Error::Index(format!("{name} belongs to no segment")))?;
        // Read where it is when the index is packed, not copied here.
        let file = dir
            .open_read(&path)
            .map_err(|e| Error::Index(e.to_string()))?;
        files.push((renamed, file));
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files.dedup_by(|a, b| a.0 == b.0);
    Ok(files)
}
