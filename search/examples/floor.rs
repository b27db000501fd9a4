//! What indexing a site's text costs with tantivy alone, beside accord's own index of the same
//! text: the floor under the index stage of a build.
//!
//! `cargo run --release -p accord-search --example floor -- CONTENT_DIR` reads every `*.md`
//! file under CONTENT_DIR, cuts each at its `## ` headings into sections (as a build does, but
//! on the Markdown as written: nothing here renders it), and indexes the sections twice, one
//! after the other, timing each:
//!
//! - `tantivy`: tantivy's own writer on one thread, its default tokenizer, the section text
//!   indexed with positions and stored, committed into one segment in memory: the least work
//!   an index that answers phrase queries and shows snippets can do;
//! - `accord`: [`accord_search::build_index`], the index a build writes (its analysis,
//!   compounds, stems, facets, merge and packed chunks), on as many threads as rayon is given.
//!
//! Run it with `RAYON_NUM_THREADS=1` to compare CPU time on one core. It prints one JSON object.

use std::path::{Path, PathBuf};
use std::time::Instant;

use accord_search::{build_index, SectionDoc, Synonyms};
use tantivy::schema::{Schema, STORED, STRING, TEXT};
use tantivy::{doc, Index};

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            markdown_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
    Ok(())
}

/// The page's sections: (heading, text), the first one's heading empty.
fn sections(text: &str) -> Vec<(String, String)> {
    let mut out = vec![(String::new(), String::new())];
    for line in text.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            out.push((heading.to_string(), String::new()));
        } else if let Some((_, body)) = out.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    out
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .ok_or("usage: floor CONTENT_DIR (a folder of Markdown files)")?;
    let mut files = Vec::new();
    markdown_files(Path::new(&dir), &mut files)?;
    let mut docs = Vec::new();
    let mut bytes = 0;
    for (n, file) in files.iter().enumerate() {
        let text = std::fs::read_to_string(file)?;
        let title = text
            .lines()
            .find_map(|l| l.strip_prefix("# "))
            .unwrap_or_default()
            .to_string();
        for (s, (section, body)) in sections(&text).into_iter().enumerate() {
            bytes += body.len();
            docs.push(SectionDoc {
                url: format!("p{n}.html#s{s}"),
                page_title: title.clone(),
                section,
                body,
                summary: String::new(),
                kind: "page".into(),
                regions: Vec::new(),
                countries: Vec::new(),
                stakeholders: Vec::new(),
                tags: Vec::new(),
            });
        }
    }

    let mut schema = Schema::builder();
    let url = schema.add_text_field("url", STRING | STORED);
    let title = schema.add_text_field("title", TEXT);
    let section = schema.add_text_field("section", TEXT);
    let body = schema.add_text_field("body", TEXT | STORED);
    let index = Index::create_in_ram(schema.build());
    let start = Instant::now();
    let mut writer = index.writer_with_num_threads(1, 1 << 30)?;
    for d in &docs {
        writer.add_document(doc!(
            url => d.url.as_str(),
            title => d.page_title.as_str(),
            section => d.section.as_str(),
            body => d.body.as_str(),
        ))?;
    }
    writer.commit()?;
    let tantivy_s = start.elapsed().as_secs_f64();

    let start = Instant::now();
    let packed = build_index(&docs, &Synonyms::default())?;
    let accord_s = start.elapsed().as_secs_f64();
    let packed_bytes: usize = packed.head.len() + packed.chunks.iter().map(Vec::len).sum::<usize>();

    println!(
        "{{\"pages\": {}, \"sections\": {}, \"text_bytes\": {bytes}, \"tantivy_s\": {tantivy_s:.3}, \"accord_s\": {accord_s:.3}, \"accord_packed_bytes\": {packed_bytes}}}",
        files.len(),
        docs.len()
    );
    Ok(())
}
