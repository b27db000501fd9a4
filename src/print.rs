//! The printable documents: `print.html` (every page, in reading order) and one per top-level
//! section (`principles/print.html`, …), for workshops.
//!
//! Each document opens with numbered contents and sets its pages one after another. A page
//! starts a new sheet only when it is long ([`LONG_PAGE_WORDS`]); short pages and glossary terms
//! run on, so a glossary of sixty terms fills a few sheets rather than sixty. Each top-level
//! section is a named CSS page, which starts it on a new sheet and gives its sheets a running
//! header with the section's title; page numbers come from the print stylesheet's margin boxes.
//! Links to pages within the document become links within it (they work in a PDF); web
//! addresses are numbered once per document and listed at its end, so a source cited on many
//! pages prints its address once.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use serde::Serialize;

use crate::content::Kind;
use crate::error::{Error, Result};
pub use crate::navigation::{section_of, sections, Section};
use crate::output::{Sink, SinkWriter};
use crate::render::ViewInput;
use crate::render::{render_template, SiteCtx};
use crate::site::Site;
use crate::toc::{Chapter, Entry};

/// A page of at least this many words (about one and a half printed A4 sheets) starts on a new
/// sheet; shorter ones run on after the page before. Starting every page on a new sheet left
/// most sheets a quarter full.
pub const LONG_PAGE_WORDS: usize = 900;

/// One line of a document's outline: a part title (SUMMARY.md's `# Part`) or a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Line {
    Part(String),
    Page {
        page: usize,
        /// "2.3." as the contents show it; `None` for unnumbered chapters (the home page,
        /// SUMMARY.md's prefix and suffix chapters).
        number: Option<String>,
        /// 0 for a top-level chapter.
        depth: usize,
    },
}

/// The whole site's outline, in reading order. With SUMMARY.md the chapters keep its numbers;
/// a site built from folders is numbered here, section by section (the home page stays
/// unnumbered, as a book's preface would).
pub fn outline(site: &Site) -> Vec<Line> {
    let numbered = !site.toc.numbers.is_empty();
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut top = 0u32;
    for e in &site.toc.entries {
        match e {
            Entry::Part(t) => out.push(Line::Part(t.clone())),
            Entry::Separator => {}
            Entry::Chapter(c) => {
                // The home page stays unnumbered, as does every chapter with numbers of its own.
                let number = if numbered || c.page.is_some_and(|p| is_home(site, p)) {
                    None
                } else {
                    top += 1;
                    Some(vec![top])
                };
                walk(c, number, numbered, 0, &mut seen, &mut out);
            }
        }
    }
    out
}

fn is_home(site: &Site, page: usize) -> bool {
    let p = &site.pages[page];
    p.is_index && p.dir().is_empty()
}

/// Adds chapter `c` and its sub-chapters. `derived` is the number this walk gives it when the
/// contents have none of their own.
fn walk(
    c: &Chapter,
    derived: Option<Vec<u32>>,
    numbered: bool,
    depth: usize,
    seen: &mut HashSet<usize>,
    out: &mut Vec<Line>,
) {
    let number = if numbered {
        c.number.clone()
    } else {
        derived.as_deref().map(crate::toc::number_label)
    };
    // A draft chapter has no page; a page listed twice in SUMMARY.md is printed once, where it
    // first appears. Their sub-chapters are printed all the same.
    if let Some(page) = c.page.filter(|&p| seen.insert(p)) {
        out.push(Line::Page {
            page,
            number,
            depth,
        });
    }
    for (n, child) in c.children.iter().enumerate() {
        let child_number = derived.as_ref().map(|d| {
            let mut d = d.clone();
            d.push(n as u32 + 1);
            d
        });
        // Nesting is bounded by the folders (or SUMMARY.md's list), as in the sidebar.
        if depth < 32 {
            walk(child, child_number, numbered, depth + 1, seen, out);
        }
    }
}

/// Pages whose articles are rendered at a time, in parallel, before they are written in order.
const BATCH: usize = 256;

/// Renders `print.html` and each section's printable document into `sink`, a batch of pages at a
/// time: a document holds every page of the site (tens of megabytes at ten thousand pages), so
/// it is written as its pages are rendered, never held whole. Returns the paths written.
pub fn put(v: &ViewInput, sink: &Sink) -> Result<Vec<String>> {
    let site = v.site;
    let whole = outline(site);
    let mut docs = vec![Doc::new(
        v,
        whole.clone(),
        0..whole.len(),
        DocMeta {
            url: "print.html".into(),
            title: v.sctx.title.clone(),
            section: None,
        },
    )?];
    for s in sections(site) {
        let range = section_range(&whole, s.page);
        docs.push(Doc::new(
            v,
            whole[range.clone()].to_vec(),
            range,
            DocMeta {
                url: s.url.clone(),
                title: site.pages[s.page].title.clone(),
                section: Some(s.folder.clone()),
            },
        )?);
    }
    // The section document each line of the whole outline also belongs to.
    let mut owner: Vec<Option<usize>> = vec![None; whole.len()];
    for (d, doc) in docs.iter().enumerate().skip(1) {
        for o in &mut owner[doc.range.clone()] {
            *o = Some(d);
        }
    }
    let mut writers: Vec<Option<SinkWriter>> = docs.iter().map(|_| None).collect();
    let mut paths: Vec<Option<String>> = docs.iter().map(|_| None).collect();
    let lines: Vec<(usize, &Line)> = whole.iter().enumerate().collect();
    for batch in lines.chunks(BATCH) {
        let articles: Vec<Result<String>> = batch
            .par_iter()
            .map(|(_, l)| match l {
                Line::Page { page, number, .. } => article(v, *page, number.clone()),
                Line::Part(_) => Ok(String::new()),
            })
            .collect();
        for ((i, line), html) in batch.iter().zip(articles) {
            let html = html?;
            let Line::Page { page, depth, .. } = line else {
                continue;
            };
            for d in std::iter::once(0).chain(owner[*i]) {
                if writers[d].is_none() {
                    writers[d] = Some(sink.create(&docs[d].meta.url)?);
                }
                let Some(w) = writers[d].as_mut() else {
                    continue;
                };
                docs[d].page(site, w, *page, *depth, &html)?;
                if d > 0 && docs[d].range.end == i + 1 {
                    if let Some(w) = writers[d].take() {
                        paths[d] = Some(docs[d].finish(v, w)?);
                    }
                }
            }
        }
    }
    for (d, doc) in docs.iter_mut().enumerate() {
        if paths[d].is_none() {
            let w = match writers[d].take() {
                Some(w) => w,
                None => sink.create(&doc.meta.url)?,
            };
            paths[d] = Some(doc.finish(v, w)?);
        }
    }
    Ok(paths.into_iter().flatten().collect())
}

/// Where in the outline the section's document runs: from the section's page to the end of its
/// chapter.
fn section_range(whole: &[Line], section: usize) -> std::ops::Range<usize> {
    let start = whole
        .iter()
        .position(|l| matches!(l, Line::Page { page, .. } if *page == section));
    let Some(start) = start else {
        return 0..0;
    };
    let len = 1 + whole[start + 1..]
        .iter()
        .take_while(|l| matches!(l, Line::Page { depth, .. } if *depth > 0))
        .count();
    start..start + len
}

#[derive(Serialize)]
struct PrintPage {
    anchor: String,
    number: Option<String>,
    title: String,
    kind: &'static str,
    kind_label: Option<String>,
    summary: Option<String>,
    /// Facts from the front matter ("Signed", "Parties"), as on the page.
    facts: Vec<crate::render::FactRow>,
    /// The page's HTML with its links made relative to the site root.
    content: String,
    articles: Vec<KeyArticle>,
    sources: Vec<crate::render::SourceCtx>,
    /// Starts on a new sheet.
    long: bool,
}

#[derive(Serialize)]
struct KeyArticle {
    anchor: String,
    number: String,
    summary: String,
}

/// A printable page's context; `msg`, the interface messages in the site's language, is added
/// from [`crate::render::SiteCtx::msg_value`].
#[derive(Serialize)]
struct PrintPageCtx<'a> {
    p: &'a PrintPage,
}

/// The anchor of a page within a printable document.
pub fn anchor(site: &Site, page: usize) -> String {
    format!(
        "page-{}",
        crate::slug::slugify(site.pages[page].rel.trim_end_matches(".md"))
    )
}

/// A page rendered with `print_page.html`, links relative to the site root.
fn article(v: &ViewInput, i: usize, number: Option<String>) -> Result<String> {
    let site = v.site;
    let msg = &v.sctx.messages;
    let p = &site.pages[i];
    let page = PrintPage {
        anchor: anchor(site, i),
        number,
        title: p.title.clone(),
        kind: p.kind.as_str(),
        kind_label: (p.kind != Kind::Page && !p.is_index).then(|| msg.kind(p.kind)),
        summary: p.summary().map(str::to_string),
        facts: crate::render::fact_rows(site, p, msg),
        content: crate::links::rebase_html(&v.frags.html(i)?, &p.url),
        articles: p
            .meta
            .articles()
            .iter()
            .map(|a| KeyArticle {
                anchor: crate::articles::anchor(&a.number),
                number: a.number.clone(),
                summary: a.summary.clone(),
            })
            .collect(),
        sources: crate::render::source_ctx(p, msg),
        long: p.analysis.words >= LONG_PAGE_WORDS,
    };
    let file = crate::render::render_template_sharing(
        v.theme,
        "print_page.html",
        &PrintPageCtx { p: &page },
        &[("msg", v.sctx.msg_value()?)],
        String::new(),
    )?;
    Ok(String::from_utf8_lossy(&file.bytes).into_owned())
}

struct DocMeta {
    /// Where the document is written, from the site root.
    url: String,
    title: String,
    /// The section's folder, for a section's document.
    section: Option<String>,
}

#[derive(Serialize)]
struct DocCtx<'a> {
    site: &'a SiteCtx,
    root: String,
    url: &'a str,
    title: &'a str,
    /// Whether this is a section's document (its cover names the site too).
    section: bool,
    /// The running headers: one named CSS page per top-level chapter.
    page_css: String,
    /// The contents, flattened like the sidebar's tree: a line with `children` opens a nested
    /// list that the `close` count of a later line closes.
    contents: Vec<ContentsLine>,
    /// The pages, each already rendered with `print_page.html`, grouped by top-level chapter.
    chapters: Vec<ChapterCtx>,
    /// The web addresses linked from the document, numbered in order of first appearance.
    urls: Vec<String>,
}

#[derive(Serialize)]
struct ContentsLine {
    kind: &'static str,
    anchor: String,
    number: Option<String>,
    title: String,
    children: bool,
    close: usize,
}

#[derive(Serialize)]
struct ChapterCtx {
    /// The CSS class that puts the chapter on its own named page, if it has one.
    page_class: Option<String>,
    /// A part title that comes before the chapter.
    part: Option<String>,
    html: String,
}

/// Stands for a chapter's pages in the template's output, which are written in its place as
/// they are rendered. Content is escaped wherever the template shows it, so no page can write
/// this; only a chapter's HTML (shown unescaped) holds it.
const CHAPTER: &str = "<accord-print-chapter>";

/// One printable document while it is written: `lines` of the outline, the template's output
/// around its chapters, and the web addresses found so far.
struct Doc {
    meta: DocMeta,
    lines: Vec<Line>,
    /// Its lines' place in the whole outline.
    range: std::ops::Range<usize>,
    links: DocLinks,
    /// The depth of its chapters: a page this deep starts one; a deeper page runs on in it.
    base: usize,
    /// The template's output before each chapter, rendered before the web addresses are known
    /// (the default theme lists them after the chapters).
    before: Vec<String>,
    /// Chapters begun.
    begun: usize,
}

impl Doc {
    fn new(
        v: &ViewInput,
        lines: Vec<Line>,
        range: std::ops::Range<usize>,
        meta: DocMeta,
    ) -> Result<Doc> {
        let site = v.site;
        let anchors: HashMap<String, String> = lines
            .iter()
            .filter_map(|l| match l {
                Line::Page { page, .. } => {
                    Some((site.pages[*page].url.clone(), anchor(site, *page)))
                }
                Line::Part(_) => None,
            })
            .collect();
        // A section's document is one chapter; only the whole site's document has chapters
        // with running headers of their own.
        let base = lines
            .iter()
            .filter_map(|l| match l {
                Line::Page { depth, .. } => Some(*depth),
                Line::Part(_) => None,
            })
            .min()
            .unwrap_or(0);
        let mut doc = Doc {
            links: DocLinks {
                doc_url: meta.url.clone(),
                anchors,
                urls: Vec::new(),
                numbers: HashMap::new(),
                web_address: crate::html::escape_html(&v.sctx.messages.text("print_web_address")),
                finder: aho_corasick::AhoCorasick::new(REWRITTEN)
                    .map_err(|e| Error::Other(format!("print document: {e}")))?,
            },
            meta,
            lines,
            range,
            base,
            before: Vec::new(),
            begun: 0,
        };
        doc.before = doc.around_chapters(v)?;
        doc.before.pop();
        Ok(doc)
    }

    /// The template's output with the web addresses found so far, split where the chapters go.
    fn around_chapters(&self, v: &ViewInput) -> Result<Vec<String>> {
        let site = v.site;
        let mut chapters: Vec<ChapterCtx> = Vec::new();
        let mut page_css = String::new();
        let mut part = None;
        for l in &self.lines {
            match l {
                Line::Part(t) => part = Some(t.clone()),
                Line::Page {
                    page,
                    number,
                    depth,
                } if *depth == self.base => {
                    let n = chapters.len() + 1;
                    let header = match number {
                        Some(num) => format!("{num} {}", site.pages[*page].title),
                        None => site.pages[*page].title.clone(),
                    };
                    page_css.push_str(&format!(
                        ".print-chapter-{n} {{ page: chapter-{n}; }}\n@page chapter-{n} {{ @top-right {{ content: {}; }} }}\n",
                        css_string(&header)
                    ));
                    chapters.push(ChapterCtx {
                        page_class: Some(format!("print-chapter-{n}")),
                        part: part.take(),
                        html: CHAPTER.into(),
                    });
                }
                Line::Page { .. } => {}
            }
        }
        let count = chapters.len();
        page_css.insert_str(
            0,
            &format!(
                "@page {{ @top-left {{ content: {}; }} }}\n",
                css_string(&v.sctx.title)
            ),
        );
        // Chromium lets a later `@page` rule win over print.css's `@page :first`: the cover's
        // sheet stays without a header only when it is said again here.
        page_css.push_str("@page :first { @top-left { content: none; } }\n");
        let contents = contents_lines(site, &self.lines, self.base);
        let root = crate::links::root_of(&self.meta.url);
        let out = render_template(
            v.theme,
            "print.html",
            &DocCtx {
                site: v.sctx,
                root,
                url: &self.meta.url,
                title: &self.meta.title,
                section: self.meta.section.is_some(),
                page_css,
                contents,
                chapters,
                urls: self.links.urls.clone(),
            },
            self.meta.url.clone(),
        )?;
        let out = String::from_utf8_lossy(&out.bytes).into_owned();
        let parts: Vec<String> = out.split(CHAPTER).map(str::to_string).collect();
        if parts.len() != count + 1 {
            return Err(Error::Other(format!(
                "{}: print.html must show each chapter's html once (`{{{{ ch.html | safe }}}}`)",
                self.meta.url
            )));
        }
        Ok(parts)
    }

    /// Writes the article `html` of a page of this document, `depth` deep in the outline.
    fn page(
        &mut self,
        site: &Site,
        w: &mut SinkWriter,
        page: usize,
        depth: usize,
        html: &str,
    ) -> Result<()> {
        if depth == self.base {
            if let Some(before) = self.before.get(self.begun) {
                w.text(before)?;
            }
            self.begun += 1;
        } else if self.begun == 0 {
            // Nothing to run on in (as in a document without chapters).
            return Ok(());
        }
        w.text(&self.links.rewrite(html, &anchor(site, page)))
    }

    /// Writes the rest of the template's output, with the web addresses found, and completes
    /// the file.
    fn finish(&mut self, v: &ViewInput, mut w: SinkWriter) -> Result<String> {
        let parts = self.around_chapters(v)?;
        for part in &parts[self.begun.min(parts.len() - 1)..] {
            w.text(part)?;
        }
        w.finish()
    }
}

/// The contents as lines for the template, nested by depth.
fn contents_lines(site: &Site, lines: &[Line], base: usize) -> Vec<ContentsLine> {
    let mut out: Vec<ContentsLine> = Vec::new();
    let mut depths: Vec<usize> = Vec::new();
    for l in lines {
        match l {
            Line::Part(t) => {
                close_to(&mut out, &mut depths, 0);
                out.push(ContentsLine {
                    kind: "part",
                    anchor: String::new(),
                    number: None,
                    title: t.clone(),
                    children: false,
                    close: 0,
                });
            }
            Line::Page {
                page,
                number,
                depth,
            } => {
                let depth = depth - base;
                close_to(&mut out, &mut depths, depth);
                if let Some(last) = out.last_mut() {
                    if depths.len() < depth {
                        last.children = true;
                        depths.push(depth);
                    }
                }
                out.push(ContentsLine {
                    kind: "chapter",
                    anchor: anchor(site, *page),
                    number: number.clone(),
                    title: site.pages[*page].title.clone(),
                    children: false,
                    close: 0,
                });
            }
        }
    }
    close_to(&mut out, &mut depths, 0);
    out
}

/// Closes the nested lists deeper than `depth` after the last line.
fn close_to(out: &mut [ContentsLine], depths: &mut Vec<usize>, depth: usize) {
    while depths.last().is_some_and(|&d| d > depth) {
        depths.pop();
        if let Some(last) = out.last_mut() {
            last.close += 1;
        }
    }
}

/// A CSS string literal holding `text`: quotes and backslashes escaped, line breaks and `<`
/// (which could end the `<style>` element) written as escapes.
pub fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("\\3c "),
            '>' => out.push_str("\\3e "),
            c if c.is_control() => out.push_str(&format!("\\{:x} ", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// How the links of the pages in one document are rewritten, and the web addresses found.
struct DocLinks {
    /// Where the document is written, from the site root.
    doc_url: String,
    /// Page URL → anchor, for the pages in the document.
    anchors: HashMap<String, String>,
    urls: Vec<String>,
    numbers: HashMap<String, usize>,
    /// What a screen reader hears before an address's number ("web address"), escaped.
    web_address: String,
    /// Finds [`REWRITTEN`] in one pass over a page; built once per document, since building
    /// the automaton costs more than running it over one page.
    finder: aho_corasick::AhoCorasick,
}

/// What [`DocLinks::rewrite`] looks at in a page's HTML.
const REWRITTEN: [&str; 6] = [
    " id=\"",
    " href=\"",
    " src=\"",
    " aria-describedby=\"",
    " aria-labelledby=\"",
    "</a>",
];

impl DocLinks {
    /// Rewrites the article `html` (HTML accord generated, with links relative to the site root,
    /// attribute values double-quoted and escaped) of the page whose anchor is `own`:
    /// - `id`s (and the `href="#…"`, `aria-describedby` and `aria-labelledby` that name them) get
    ///   the page's anchor
    ///   as a prefix, since every page has its own "sources" or "scope" heading;
    /// - a link to a page in the document becomes a link to its anchor; any other relative link
    ///   or image is made relative to the document;
    /// - a link to a web address is followed by the address's number in the list at the end.
    fn rewrite(&mut self, html: &str, own: &str) -> String {
        // One pass over the page: searching for each token separately from every position
        // would scan the rest of the page again for each attribute.
        let mut out = String::with_capacity(html.len() + html.len() / 8);
        let mut done = 0;
        let mut pending: Option<usize> = None;
        // A clone shares the automaton; the loop below needs `self` mutably.
        let finder = self.finder.clone();
        for m in finder.find_iter(html) {
            // A token inside an attribute value already rewritten is text, not markup.
            if m.start() < done {
                continue;
            }
            let token = REWRITTEN[m.pattern().as_usize()];
            out.push_str(&html[done..m.end()]);
            done = m.end();
            if token == "</a>" {
                if let Some(n) = pending.take() {
                    out.push_str(&format!(
                        "<a class=\"url-ref\" href=\"#url-{n}\"><span class=\"visually-hidden\">{} </span>[{n}]</a>",
                        self.web_address
                    ));
                }
                continue;
            }
            let end = html[done..].find('"').map_or(html.len(), |e| done + e);
            let value = &html[done..end];
            match token {
                " id=\"" if value == own => out.push_str(value),
                " id=\"" => out.push_str(&format!("{own}--{value}")),
                " aria-describedby=\"" | " aria-labelledby=\"" => {
                    let ids: Vec<String> = value
                        .split_whitespace()
                        .map(|id| format!("{own}--{id}"))
                        .collect();
                    out.push_str(&ids.join(" "));
                }
                " href=\"" => {
                    let (href, web) = self.href(value, own);
                    out.push_str(&href);
                    if web.is_some() {
                        pending = web;
                    }
                }
                _ => out.push_str(&self.relative(value)),
            }
            done = end;
        }
        out.push_str(&html[done..]);
        out
    }

    /// The rewritten `href`, and the number of its web address if it is one.
    fn href(&mut self, value: &str, own: &str) -> (String, Option<usize>) {
        if let Some(frag) = value.strip_prefix('#') {
            return (format!("#{own}--{frag}"), None);
        }
        let lower = value.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            // Attribute values are escaped (`&amp;`); the list shows them as the link has them.
            let n = match self.numbers.get(value) {
                Some(&n) => n,
                None => {
                    self.urls.push(value.to_string());
                    self.numbers.insert(value.to_string(), self.urls.len());
                    self.urls.len()
                }
            };
            return (value.to_string(), Some(n));
        }
        let (path, frag) = value
            .split_once('#')
            .map_or((value, None), |(p, f)| (p, Some(f)));
        match self.anchors.get(path) {
            Some(a) => match frag {
                Some(f) if !f.is_empty() => (format!("#{a}--{f}"), None),
                _ => (format!("#{a}"), None),
            },
            None => (self.relative(value), None),
        }
    }

    /// A site-root-relative reference made relative to the document.
    fn relative(&self, value: &str) -> String {
        let lower = value.to_ascii_lowercase();
        if value.is_empty()
            || value.starts_with('/')
            || value.starts_with('#')
            || lower.contains(':')
        {
            return value.to_string();
        }
        crate::links::relative_href(&self.doc_url, value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(doc_url: &str, anchors: &HashMap<&str, String>) -> DocLinks {
        DocLinks {
            doc_url: doc_url.into(),
            anchors: anchors
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
            urls: Vec::new(),
            numbers: HashMap::new(),
            web_address: "web address".into(),
            finder: aho_corasick::AhoCorasick::new(REWRITTEN).unwrap(),
        }
    }

    #[test]
    fn links_within_the_document_become_anchors_and_web_addresses_are_numbered_once() {
        let anchors: HashMap<&str, String> =
            [("principles/a.html", "page-principles-a".to_string())].into();
        let mut l = links("principles/print.html", &anchors);
        let html = r##"<h2 id="scope"><a href="#scope">#</a>Scope</h2><p><a href="principles/a.html#x">A</a>, <a href="practices/b.html">B</a>, <a href="https://x.org/?a=1&amp;b=2">X</a> and <a href="https://x.org/?a=1&amp;b=2">again</a> <img src="assets/i.png"> <span aria-describedby="t1 t2"></span></p><div role="region" aria-labelledby="scope"></div>"##;
        assert_eq!(
            l.rewrite(html, "page-principles-c"),
            r##"<h2 id="page-principles-c--scope"><a href="#page-principles-c--scope">#</a>Scope</h2><p><a href="#page-principles-a--x">A</a>, <a href="../practices/b.html">B</a>, <a href="https://x.org/?a=1&amp;b=2">X</a><a class="url-ref" href="#url-1"><span class="visually-hidden">web address </span>[1]</a> and <a href="https://x.org/?a=1&amp;b=2">again</a><a class="url-ref" href="#url-1"><span class="visually-hidden">web address </span>[1]</a> <img src="../assets/i.png"> <span aria-describedby="page-principles-c--t1 page-principles-c--t2"></span></p><div role="region" aria-labelledby="page-principles-c--scope"></div>"##
        );
        assert_eq!(l.urls, ["https://x.org/?a=1&amp;b=2"]);
        // The page's own anchor stays as it is.
        assert_eq!(
            l.rewrite(r#"<article id="page-principles-c">"#, "page-principles-c"),
            r#"<article id="page-principles-c">"#
        );
    }

    #[test]
    fn css_strings_cannot_end_the_string_or_the_style_element() {
        assert_eq!(
            css_string("A \"b\" \\ </style>\n"),
            r#""A \"b\" \\ \3c /style\3e \a ""#
        );
    }
}
