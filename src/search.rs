//! The index stage and `accord search`: one section per tantivy document, written into the site
//! beside the engine that reads it, so the command line and the browser answer alike.

use std::path::Path;

use accord_search::{
    base64_script, chunk_script, pack_segments, write_segments, write_segments_reading, Engine,
    FacetNames, PackedIndex, SearchRequest, SearchResponse, SectionDoc, Segments, SynonymGroup,
    Synonyms, INDEX_SCRIPT_VAR, WASM_SCRIPT_VAR,
};

use crate::countries;
use crate::error::{Error, Result};
use crate::fragments::{Fragments, IndexSections};
use crate::markdown::SectionText;
use crate::model::{stakeholder_label, KINDS, STAKEHOLDERS};
use crate::output::{OutFile, Sink};
use crate::search_assets::ENGINE_WASM;
use crate::site::Site;

/// Where the index's head lives inside a built site.
pub const INDEX_PATH: &str = "search/index.bin";
/// The head as a script, for pages opened from disk.
const HEAD_SCRIPT: &str = "search/index.js";
/// The folder of the index's chunks, each `N-ID.bin` for `fetch` and `N-ID.js` for pages
/// opened from disk.
pub const CHUNKS_DIR: &str = "search/chunks";

/// One document per page section, with the page's facets.
pub fn section_docs(site: &Site, frags: &Fragments) -> Vec<SectionDoc> {
    docs_of(
        site,
        frags.pages.iter().map(|f| f.sections.clone()).collect(),
    )
    .0
}

/// [`section_docs`] from each page's sections, taken; with, for each document, the page and
/// section it was made from (none for the one document of a page without sections).
fn docs_of(
    site: &Site,
    sections: Vec<Vec<SectionText>>,
) -> (Vec<SectionDoc>, Vec<Option<(usize, usize)>>) {
    let mut docs = Vec::new();
    let mut origins = Vec::new();
    for (i, (page, sections)) in site.pages.iter().zip(sections).enumerate() {
        let m = &page.meta;
        let mut regions = m.list("regions").to_vec();
        regions.extend(m.text("region").map(str::to_string));
        let countries: Vec<String> = m
            .list("countries")
            .iter()
            .map(|c| countries::name(c).unwrap_or(c).to_string())
            .collect();
        let stakeholders: Vec<String> = m
            .list("stakeholders")
            .iter()
            .map(|s| stakeholder_label(s))
            .collect();
        let summary = page.summary().unwrap_or_default().to_string();
        let sections = if sections.is_empty() {
            origins.push(None);
            vec![SectionText {
                anchor: String::new(),
                heading: String::new(),
                text: String::new(),
            }]
        } else {
            origins.extend((0..sections.len()).map(|n| Some((i, n))));
            sections
        };
        for s in sections {
            docs.push(SectionDoc {
                url: if s.anchor.is_empty() {
                    page.url.clone()
                } else {
                    format!("{}#{}", page.url, s.anchor)
                },
                // Search results show a book's chapter number, as its contents do.
                page_title: match site.toc.numbers.get(&i) {
                    Some(n) => format!("{n} {}", page.title),
                    None => page.title.clone(),
                },
                section: s.heading,
                body: s.text,
                summary: summary.clone(),
                kind: page.kind.as_str().to_string(),
                regions: regions.clone(),
                countries: countries.clone(),
                stakeholders: stakeholders.clone(),
                tags: m.list("tags").to_vec(),
            });
        }
    }
    (docs, origins)
}

/// Glossary terms with their abbreviations and aliases: a search for one finds the others. And
/// the other names of the site's facet values: kinds, stakeholders and countries as front
/// matter spells them and as readers say them.
pub fn synonyms(site: &Site) -> Synonyms {
    Synonyms {
        groups: site
            .glossary()
            .terms
            .iter()
            .map(|t| {
                let mut terms = vec![t.term.clone()];
                terms.extend(t.abbreviation.clone());
                terms.extend(t.aliases.iter().cloned());
                // The term as the site's other languages name it: "Bedenkzeit" on the English
                // site shows the definition of "reflection period" in English.
                for e in site.equivalents.get(&t.slug).into_iter().flatten() {
                    if e.language != site.config.book.language {
                        terms.push(e.term.clone());
                        terms.extend(e.aliases.iter().cloned());
                    }
                }
                terms.dedup();
                SynonymGroup {
                    terms,
                    definition: Some(t.definition.clone()),
                    url: Some(t.url.clone()),
                }
            })
            .collect(),
        facets: facet_names(site),
        language: site.config.book.language.clone(),
    }
}

fn facet_names(site: &Site) -> Vec<FacetNames> {
    let names = |facet: &str, value: String, names: Vec<String>| FacetNames {
        facet: facet.into(),
        value,
        names,
    };
    let mut out: Vec<FacetNames> = KINDS
        .iter()
        .map(|k| names("kind", k.name.into(), vec![k.label.into(), k.plural.into()]))
        .collect();
    out.extend(
        STAKEHOLDERS
            .iter()
            .map(|(key, label)| names("stakeholder", (*label).into(), vec![(*key).into()])),
    );
    let mut regions: Vec<&str> = site
        .pages
        .iter()
        .flat_map(|p| {
            let m = &p.meta;
            m.list("regions")
                .iter()
                .map(String::as_str)
                .chain(m.text("region"))
        })
        .collect();
    regions.sort_unstable();
    regions.dedup();
    out.extend(
        regions
            .into_iter()
            .map(|r| names("region", r.into(), Vec::new())),
    );
    let mut codes: Vec<&str> = site
        .pages
        .iter()
        .flat_map(|p| p.meta.list("countries"))
        .map(String::as_str)
        .collect();
    codes.sort_unstable();
    codes.dedup();
    out.extend(codes.into_iter().filter_map(|code| {
        let name = countries::name(code)?;
        Some(names("country", name.into(), countries::other_names(code)))
    }));
    out
}

/// The index and the engine, each also as a classic script for pages opened from disk.
pub fn index_files(site: &Site, frags: &Fragments) -> Result<Vec<OutFile>> {
    let segments = write_segments(section_docs(site, frags), &synonyms(site), None)
        .map_err(|e| Error::Other(format!("search index: {e}")))?;
    let mut files: Vec<OutFile> = language_index_files(segments)?.collect();
    files.extend(engine_files());
    Ok(files)
}

/// The first half of the index stage: each page's sections, taken, written into segments, on
/// disk in a folder of `scratch` when there is one.
pub fn index_segments(
    site: &Site,
    sections: IndexSections,
    scratch: Option<&Path>,
) -> Result<Segments> {
    let folder = scratch.map(|s| s.join(format!("index-{}", site.config.book.language)));
    let (docs, origins) = docs_of(site, sections.pages);
    let written = match &sections.on_disk {
        None => write_segments(docs, &synonyms(site), folder.as_deref()),
        Some(texts) => {
            // Each section's text is read back as its segment is written.
            let read = |n: usize| match origins[n] {
                Some((page, section)) => texts.read(page, section),
                None => Ok(String::new()),
            };
            write_segments_reading(docs, Some(&read), &synonyms(site), folder.as_deref())
        }
    };
    written.map_err(|e| Error::Other(format!("search index: {e}")))
}

/// The second half of the index stage for the book's language: [`index_files`] from the
/// segments, each file put into `sink` as it is made; their paths, sorted.
pub fn put_index(segments: Segments, sink: &Sink) -> Result<Vec<String>> {
    let files = language_index_files(segments)?;
    put_each(files.chain(engine_files()), sink)
}

/// [`put_index`] for a further language, whose pages use the root's engine.
pub fn put_language_index(segments: Segments, sink: &Sink) -> Result<Vec<String>> {
    put_each(language_index_files(segments)?, sink)
}

/// Puts files on all cores as they come, so that only those being written are in memory.
fn put_each(files: impl Iterator<Item = OutFile> + Send, sink: &Sink) -> Result<Vec<String>> {
    use rayon::iter::{ParallelBridge, ParallelIterator};
    let mut paths = files
        .par_bridge()
        .map(|f| sink.put(f))
        .collect::<Result<Vec<String>>>()?;
    paths.sort_unstable();
    Ok(paths)
}

/// The browser engine, as WebAssembly and as a classic script for pages opened from disk.
fn engine_files() -> [OutFile; 2] {
    [
        OutFile {
            path: "assets/accord-search-wasm.js".into(),
            bytes: base64_script(WASM_SCRIPT_VAR, ENGINE_WASM).into_bytes(),
        },
        OutFile {
            path: "assets/accord-search.wasm".into(),
            bytes: ENGINE_WASM.to_vec(),
        },
    ]
}

/// The path of a search file within its language's site: `de/search/index.js` is
/// `search/index.js` of the German site.
fn within_language(path: &str) -> &str {
    match path.split_once('/') {
        Some((code, rest)) if crate::config::is_language_code(code) => rest,
        _ => path,
    }
}

/// The engine and index files only pages opened from disk load: their copies as scripts.
pub fn is_script_copy(path: &str) -> bool {
    let path = within_language(path);
    path == "assets/accord-search-wasm.js"
        || path == "search/index.js"
        || path
            .strip_prefix(CHUNKS_DIR)
            .is_some_and(|p| p.starts_with('/') && p.ends_with(".js"))
}

/// The engine and index files only pages served over http fetch: their binary copies. Pages
/// opened from disk cannot fetch, so a bundle leaves these out.
pub fn is_binary_copy(path: &str) -> bool {
    let path = within_language(path);
    path == "assets/accord-search.wasm"
        || path == INDEX_PATH
        || path
            .strip_prefix(CHUNKS_DIR)
            .is_some_and(|p| p.starts_with('/') && p.ends_with(".bin"))
}

/// One language's index (`search/…` of its site): its head and its chunks, each also as a
/// classic script for pages opened from disk; a further language's site has only this, the
/// engine being the root's.
pub fn language_index_files(segments: Segments) -> Result<impl Iterator<Item = OutFile> + Send> {
    let index = pack_segments(segments).map_err(|e| Error::Other(format!("search index: {e}")))?;
    Ok(packed_index_files(index))
}

/// The files of a packed index, from the site root, made one at a time as they are taken: a
/// chunk's script copy exists only until it is written, so the index is never in memory in
/// both forms at once.
pub fn packed_index_files(index: PackedIndex) -> impl Iterator<Item = OutFile> + Send {
    let names: Vec<String> = (0..index.chunks.len())
        .map(|n| index.chunk_name(n))
        .collect();
    let PackedIndex { head, chunks, .. } = index;
    let head = [
        OutFile {
            path: HEAD_SCRIPT.into(),
            bytes: base64_script(INDEX_SCRIPT_VAR, &head).into_bytes(),
        },
        OutFile {
            path: INDEX_PATH.into(),
            bytes: head,
        },
    ];
    let chunks = names.into_iter().zip(chunks).flat_map(|(name, chunk)| {
        [
            OutFile {
                path: format!("{CHUNKS_DIR}/{name}.js"),
                bytes: chunk_script(&chunk).into_bytes(),
            },
            OutFile {
                path: format!("{CHUNKS_DIR}/{name}.bin"),
                bytes: chunk,
            },
        ]
    });
    head.into_iter().chain(chunks)
}

/// Answers a query from the prebuilt index of a built site or an unpacked bundle.
pub fn search_site(site_dir: &Path, req: &SearchRequest) -> Result<SearchResponse> {
    search_engine(&open_site_index(site_dir)?, req)
}

/// The index of one language of a built site: the book's own language at the root, another
/// under its code (`de/search/…`). With the prefix its hits' URLs need from the site root.
pub fn open_language(site_dir: &Path, lang: Option<&str>) -> Result<(String, Engine)> {
    let root = open_site_index(site_dir)?;
    let Some(code) = lang else {
        return Ok((String::new(), root));
    };
    if root.language() == code || (root.language().is_empty() && code == "en") {
        return Ok((String::new(), root));
    }
    let dir = site_dir.join(code);
    if has_index(&dir) {
        return Ok((format!("{code}/"), open_site_index(&dir)?));
    }
    let mut codes = vec![if root.language().is_empty() {
        "en".to_string()
    } else {
        root.language().to_string()
    }];
    codes.extend(language_dirs(site_dir));
    Err(Error::Other(format!(
        "this site has no pages in `{code}`; its languages: {}",
        codes.join(", ")
    )))
}

/// The index of every language of a built site, the book's own first.
pub fn open_all_languages(site_dir: &Path) -> Result<Vec<(String, Engine)>> {
    let mut out = vec![(String::new(), open_site_index(site_dir)?)];
    for code in language_dirs(site_dir) {
        out.push((format!("{code}/"), open_site_index(&site_dir.join(&code))?));
    }
    Ok(out)
}

/// The folders of a built site that hold a further language's site (their own search index).
fn language_dirs(site_dir: &Path) -> Vec<String> {
    let mut codes: Vec<String> = std::fs::read_dir(site_dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| has_index(&e.path()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|c| crate::config::is_language_code(c))
        .collect();
    codes.sort();
    codes
}

/// Searches one or more languages' indexes: hits by score, their URLs from the site root,
/// counts and facets added up, the first language's definition and suggestions first.
pub fn search_languages(
    indexes: &[(String, Engine)],
    req: &SearchRequest,
) -> Result<SearchResponse> {
    let mut merged = SearchResponse::default();
    for (prefix, engine) in indexes {
        let mut r = search_engine(engine, req)?;
        let at = |url: &mut String| url.insert_str(0, prefix);
        for h in &mut r.hits {
            at(&mut h.url);
            h.sections.iter_mut().for_each(|s| at(&mut s.url));
        }
        if let Some(d) = r.definition.as_mut() {
            if let Some(u) = d.url.as_mut() {
                at(u);
            }
        }
        r.suggestions.iter_mut().for_each(|s| at(&mut s.url));
        merged.total += r.total;
        merged.fuzzy |= r.fuzzy;
        merged.hits.extend(r.hits);
        if merged.definition.is_none() {
            merged.definition = r.definition;
        }
        merged.suggestions.extend(r.suggestions);
        for (facet, values) in r.facets {
            let counts = merged.facets.entry(facet).or_default();
            for v in values {
                match counts.iter_mut().find(|c| c.value == v.value) {
                    Some(c) => c.count += v.count,
                    None => counts.push(v),
                }
            }
        }
    }
    if indexes.len() > 1 {
        merged.hits.sort_by(|a, b| {
            b.score
                .partial_cmp(&a.score)
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        merged.hits.truncate(req.limit);
        for counts in merged.facets.values_mut() {
            counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        }
    }
    Ok(merged)
}

/// Opens the prebuilt index of a built site or an unpacked bundle. Only the head is read
/// here; each chunk is read from its file when a search first needs it.
pub fn open_site_index(site_dir: &Path) -> Result<Engine> {
    let path = site_dir.join(INDEX_PATH);
    let head = read_head(site_dir).map_err(|e| {
        Error::Other(format!(
            "{}: {e}; build the site first (`accord build`) or point --site at a built site or unpacked bundle",
            path.display()
        ))
    })?;
    let chunks = site_dir.join(CHUNKS_DIR);
    Engine::open_lazy(&head, Box::new(move |_, name| read_chunk(&chunks, name)))
        .map_err(|e| Error::Other(format!("{}: {e}", path.display())))
}

/// The index's head from its binary file or, in an unpacked bundle (which keeps only what a
/// reader opening it from disk loads), from its script.
fn read_head(site_dir: &Path) -> std::io::Result<Vec<u8>> {
    match std::fs::read(site_dir.join(INDEX_PATH)) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let js = site_dir.join(HEAD_SCRIPT);
            let Ok(script) = std::fs::read_to_string(&js) else {
                return Err(e);
            };
            accord_search::from_base64_script(INDEX_SCRIPT_VAR, &script).ok_or_else(|| {
                std::io::Error::other(format!("{} is not an index script", js.display()))
            })
        }
        other => other,
    }
}

/// Whether `dir` holds a built site's search index, in either form.
fn has_index(dir: &Path) -> bool {
    dir.join(INDEX_PATH).is_file() || dir.join(HEAD_SCRIPT).is_file()
}

/// A chunk from its binary file or, where only the script copy was kept (a bundle carries what
/// a reader opening it from disk can use), from its script.
fn read_chunk(dir: &Path, name: &str) -> std::io::Result<Vec<u8>> {
    let named = |path: &Path, e: std::io::Error| {
        std::io::Error::new(e.kind(), format!("{}: {e}", path.display()))
    };
    let bin = dir.join(format!("{name}.bin"));
    match std::fs::read(&bin) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let js = dir.join(format!("{name}.js"));
            let script = std::fs::read_to_string(&js).map_err(|e| named(&js, e))?;
            accord_search::chunk_from_script(&script).ok_or_else(|| {
                std::io::Error::other(format!("{} is not a chunk script", js.display()))
            })
        }
        other => other.map_err(|e| named(&bin, e)),
    }
}

/// Answers a query, saying so when the index is damaged rather than finding nothing.
pub fn search_engine(engine: &Engine, req: &SearchRequest) -> Result<SearchResponse> {
    engine
        .try_search(req)
        .map_err(|e| Error::Other(e.to_string()))
}

/// A snippet for a terminal: `<mark>` becomes emphasis, entities are decoded.
pub fn snippet_text(html: &str, bold: bool) -> String {
    let (on, off) = if bold {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("*", "*")
    };
    html.replace("<mark>", on)
        .replace("</mark>", off)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}
