//! `accord check`: every audit of the site, without writing it.
//!
//! The build stops at the first stage that has errors, which is right for publishing but leaves
//! an editor fixing one layer of problems per run. Check keeps going: it salvages the pages that
//! parsed, resolves the site with the broken parts set aside, renders it in memory, and then runs
//! the audits that only make sense on a whole site (orphans, unused terms, index size). Every
//! finding of every stage is reported in one list.
//!
//! Errors are the problems that also fail `accord build`: broken links and anchors, front-matter
//! and glossary errors, missing sources, and assets loaded from other sites (a page that fetches
//! from the network breaks the offline bundle and tells a third party who reads it). Warnings
//! are listed by check only.

use std::path::{Path, PathBuf};

use comrak::nodes::NodeValue;

use crate::build::{render_site, Timer};
use crate::config::Config;
use crate::content::{self, Kind, Page};
use crate::error::{line_col, Diagnostic, Error, Result, Severity};
use crate::links::{self, Target};
use crate::markdown;
use crate::site::{self, Site};

pub struct CheckReport {
    /// Sorted by file, then line.
    pub findings: Vec<Diagnostic>,
}

impl CheckReport {
    pub fn errors(&self) -> usize {
        self.findings.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.findings.len() - self.errors()
    }

    /// One line per finding, `path:line: error|warning: message`, then a summary line.
    ///
    /// Hints go on the finding's own line so that every line stands alone for `grep` and for
    /// editors that jump to `path:line`.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for d in &self.findings {
            out.push_str(&finding_line(d));
            out.push('\n');
        }
        let (e, w) = (self.errors(), self.warnings());
        out.push_str(&format!(
            "{e} error{}, {w} warning{}",
            if e == 1 { "" } else { "s" },
            if w == 1 { "" } else { "s" }
        ));
        out
    }
}

pub fn finding_line(d: &Diagnostic) -> String {
    let mut s = d.path.display().to_string();
    if d.line > 0 {
        s.push_str(&format!(":{}", d.line));
    }
    let sev = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    s.push_str(&format!(": {sev}: {}", d.message));
    if let Some(h) = &d.hint {
        s.push_str(&format!(" (hint: {h})"));
    }
    s
}

/// Runs every audit on the project in `root`. Only failures to read files are `Err`; every
/// problem in the content, configuration or theme is a finding.
pub fn check(root: &Path) -> Result<CheckReport> {
    let mut findings = Vec::new();
    if let Some(mut site) = salvage_site(root, &mut findings)? {
        findings.extend(audit_site(root, &mut site)?);
    }
    Ok(CheckReport {
        findings: tidy(root, findings),
    })
}

/// The audits that fail `accord build` and `accord bundle` in addition to the build's own
/// errors: the ones a build cannot discover while producing the site.
pub fn build_errors(root: &Path, site: &Site) -> Result<Vec<Diagnostic>> {
    let mut out = Vec::new();
    for page in &site.pages {
        out.extend(content_offline(page, site.config.build.allow_html));
    }
    out.extend(theme_offline(root, &site.config.build.theme)?);
    Ok(tidy(root, out))
}

/// Paths as the build prints them (relative to the project root), sorted, without repeats.
fn tidy(root: &Path, mut findings: Vec<Diagnostic>) -> Vec<Diagnostic> {
    for d in &mut findings {
        if let Ok(rel) = d.path.strip_prefix(root) {
            d.path = rel.to_path_buf();
        }
    }
    findings.sort_by(|a, b| {
        (&a.path, a.line, a.severity, &a.message).cmp(&(&b.path, b.line, b.severity, &b.message))
    });
    findings.dedup();
    findings
}

// ---------------------------------------------------------------------------------------------
// Getting a site in spite of errors

/// Loads and resolves the site, recording every load and resolve error as a finding and
/// setting the broken parts aside so that the remaining audits still run. `None` only when
/// there is no content to audit (the configuration or the content folder is unusable).
fn salvage_site(root: &Path, findings: &mut Vec<Diagnostic>) -> Result<Option<Site>> {
    let config = match Config::load(root) {
        Ok(c) => c,
        Err(Error::Content(d)) => {
            findings.extend(d);
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    let content_dir = root.join(&config.book.src);
    let loaded = match content::load(&content_dir, &config.book.src) {
        Ok(loaded) => loaded,
        Err(Error::Content(d)) => {
            findings.extend(d);
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    // Pages that failed to load are left out by the loader, and links to them are not
    // reported as missing, so what remains can be resolved on its own.
    findings.extend(loaded.diagnostics);
    Ok(resolve_leniently(
        &config,
        loaded.pages,
        &loaded.assets,
        &loaded.failed,
        findings,
    ))
}

/// Resolves the site; when links, `related`, `cites` or glossary entries are broken, reports
/// them, removes them and tries again, so one broken link does not hide every other audit.
fn resolve_leniently(
    config: &Config,
    mut pages: Vec<Page>,
    assets: &[String],
    failed: &[String],
    findings: &mut Vec<Diagnostic>,
) -> Option<Site> {
    // Each round removes at least the parts named by the errors; demoted terms can cause a
    // second round at most, so a few rounds always suffice.
    for round in 0..4 {
        let loaded = content::Loaded {
            pages: pages.clone(),
            assets: assets.to_vec(),
            failed: failed.to_vec(),
            diagnostics: Vec::new(),
        };
        match site::resolve(config.clone(), loaded) {
            Ok(site) => return Some(site),
            Err(Error::Content(diags)) => {
                // Later rounds only repeat consequences of the parts removed in the first.
                if round == 0 {
                    findings.extend(diags.iter().cloned());
                }
                set_aside(&mut pages, &diags);
            }
            Err(e) => {
                findings.push(Diagnostic::error(
                    config.book.src.clone(),
                    0,
                    0,
                    e.to_string(),
                ));
                return None;
            }
        }
    }
    None
}

fn set_aside(pages: &mut [Page], diags: &[Diagnostic]) {
    for d in diags.iter().filter(|d| d.is_error()) {
        let Some(page) = pages.iter_mut().find(|p| p.source == d.path) else {
            continue;
        };
        let body_line = page.body_line;
        let before = page.analysis.links.len();
        page.analysis
            .links
            .retain(|l| !(body_line + l.line - 1 == d.line && l.col == d.col));
        if page.analysis.links.len() != before {
            continue;
        }
        let at = |key: &str| page.key_lines.get(key) == Some(&d.line);
        if at("related") {
            page.meta.related.clear();
        } else if at("cites") {
            page.meta.cites.clear();
        } else if at("elements") {
            page.meta.elements = None;
        } else if at("see_also") {
            page.meta.see_also.clear();
        } else if page.kind == Kind::Term {
            // A term that clashes with another is left out of the glossary.
            page.kind = Kind::Page;
        } else {
            page.analysis.links.clear();
            page.meta.related.clear();
            page.meta.cites.clear();
            page.meta.elements = None;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The audits

fn audit_site(root: &Path, site: &mut Site) -> Result<Vec<Diagnostic>> {
    let mut out = build_errors(root, site)?;
    for page in &site.pages {
        out.extend(missing_alt(page));
        out.extend(skipped_headings(page));
    }
    let mut timer = Timer::default();
    match render_site(root, site, &mut timer, None) {
        Ok(files) => out.extend(index_budget(root, site, &files)),
        Err(Error::Content(d)) => {
            out.extend(d);
            // The render stopped before glossary use was recorded everywhere.
            crate::render::fragments(site);
        }
        Err(e) => return Err(e),
    }
    out.extend(orphans(site));
    out.extend(unused_terms(site));
    Ok(out)
}

/// File line of a position in a page's body.
fn file_line(page: &Page, body_line: usize) -> usize {
    page.body_line + body_line.max(1) - 1
}

fn missing_alt(page: &Page) -> Vec<Diagnostic> {
    page.analysis
        .links
        .iter()
        .filter(|l| l.is_image && l.text.trim().is_empty())
        .map(|l| {
            Diagnostic::warning(
                &page.source,
                file_line(page, l.line),
                l.col,
                format!("image `{}` has no alt text", l.url),
            )
            .with_hint(format!(
                "describe what it shows for readers who cannot see it: `![A map of the referral pathway]({})`",
                l.url
            ))
        })
        .collect()
}

/// The page template's title is the only `<h1>`, so a body's outline starts at h2 (an `# h1`
/// in the body is accepted: it repeats the title). A level may go down by one at a time.
fn skipped_headings(page: &Page) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut prev = 1;
    for h in &page.analysis.headings {
        if h.level > prev + 1 {
            let (message, hint) = if prev == 1 {
                (
                    format!(
                        "heading `{}` is h{}, but a page body starts at h2",
                        h.text, h.level
                    ),
                    "the page title is the h1; make this `## `".to_string(),
                )
            } else {
                (
                    format!(
                        "heading `{}` skips a level: h{} follows h{prev}",
                        h.text, h.level
                    ),
                    format!(
                        "make it h{} (`{} `)",
                        prev + 1,
                        "#".repeat(prev as usize + 1)
                    ),
                )
            };
            out.push(
                Diagnostic::warning(&page.source, file_line(page, h.line), 1, message)
                    .with_hint(hint),
            );
        }
        prev = h.level;
    }
    out
}

/// Orphans: pages that navigation does not reach.
///
/// A page is reached when a reader can click their way to it from the home page (`_index.md`)
/// along links that accord renders on purpose:
/// - a section page (`_index.md`) lists its folder's pages and sub-sections;
/// - every page links to the pages its Markdown links to, the pages in its `related` list
///   (shown in both directions), the instruments it `cites`, and the glossary terms it links
///   (explicitly or automatically).
///
/// Not counted: the "Referenced by" lists (they only turn a page's own outgoing links around),
/// the generated views (taxonomies, matrix, timeline, which list every page of a kind) and
/// search. A page that only those reach was never placed anywhere by its editor.
fn orphans(site: &Site) -> Vec<Diagnostic> {
    let Some(home) = site.page_index("_index.md") else {
        // Without a home page there is no start to navigate from; the build reports nothing
        // here either, so say it once instead of calling every page an orphan.
        return vec![Diagnostic::warning(
            site.config.book.src.join("_index.md"),
            0,
            0,
            "there is no home page, so no page is reachable by navigation",
        )
        .with_hint("create it: it becomes index.html")];
    };
    let mut term_pages: Vec<Vec<usize>> = vec![Vec::new(); site.pages.len()];
    for (t, uses) in site.term_uses.iter().enumerate() {
        let term_page = site.glossary().terms[t].page;
        for &p in uses {
            term_pages[p].push(term_page);
        }
    }
    let index = site.link_index();
    let mut seen = vec![false; site.pages.len()];
    let mut queue = vec![home];
    seen[home] = true;
    while let Some(i) = queue.pop() {
        let page = &site.pages[i];
        let mut next: Vec<usize> = Vec::new();
        if page.is_index {
            next.extend(site.children.get(page.dir()).into_iter().flatten());
        }
        for l in &page.analysis.links {
            match links::resolve(&l.url, i, page.dir(), &index) {
                Ok(Target::Page { page: t, .. }) => next.push(t),
                Ok(Target::Term(slug)) => {
                    if let Some(t) = site.glossary().index_of(&slug) {
                        next.push(site.glossary().terms[t].page);
                    }
                }
                _ => {}
            }
        }
        next.extend(&site.related[i]);
        next.extend(
            page.meta
                .cites
                .iter()
                .filter_map(|c| site.page_index(&c.instrument)),
        );
        next.extend(&term_pages[i]);
        for t in next {
            if !seen[t] {
                seen[t] = true;
                queue.push(t);
            }
        }
    }
    site.pages
        .iter()
        .zip(seen)
        .filter(|(_, seen)| !seen)
        .map(|(p, _)| {
            Diagnostic::warning(
                &p.source,
                1,
                0,
                "no navigation reaches this page: no section lists it and no reachable page links to it",
            )
            .with_hint("put it in a folder that has an `_index.md`, or link to it from a page readers reach")
        })
        .collect()
}

fn unused_terms(site: &Site) -> Vec<Diagnostic> {
    site.glossary()
        .terms
        .iter()
        .zip(&site.term_uses)
        .filter(|(_, uses)| uses.is_empty())
        .map(|(t, _)| {
            let page = &site.pages[t.page];
            let line = page
                .key_lines
                .get("term")
                .or_else(|| page.key_lines.get("title"))
                .copied()
                .unwrap_or(1);
            Diagnostic::warning(
                &page.source,
                line,
                0,
                format!("glossary term `{}` is used on no page", t.term),
            )
            .with_hint(format!(
                "use it in running text, link it as `[{}](glossary:{})`, or remove the entry",
                t.term, t.slug
            ))
        })
        .collect()
}

/// The search index is what the reader's browser downloads to search; the engine (`.wasm`)
/// and the script copies that carry the same bytes for pages opened from disk (`.js`) are not
/// counted twice. With no search files at all there is nothing to measure.
fn index_budget(root: &Path, site: &Site, files: &[crate::render::OutFile]) -> Option<Diagnostic> {
    let search: Vec<_> = files
        .iter()
        .filter(|f| f.path.starts_with("search/"))
        .collect();
    if search.is_empty() {
        return None;
    }
    let binary: Vec<_> = search
        .iter()
        .filter(|f| !f.path.ends_with(".wasm") && !f.path.ends_with(".js"))
        .collect();
    let size: u64 = if binary.is_empty() {
        search
            .iter()
            .filter(|f| !f.path.ends_with(".wasm"))
            .map(|f| f.bytes.len() as u64)
            .sum()
    } else {
        binary.iter().map(|f| f.bytes.len() as u64).sum()
    };
    let budget = site.config.search.index_budget;
    if size <= budget {
        return None;
    }
    let toml = std::fs::read_to_string(root.join("book.toml")).unwrap_or_default();
    let line = toml
        .lines()
        .position(|l| l.trim_start().starts_with("index-budget"))
        .map_or(0, |i| i + 1);
    Some(
        Diagnostic::warning(
            "book.toml",
            line,
            0,
            format!("the search index is {size} bytes, over the budget of {budget} bytes"),
        )
        .with_hint("raise `index-budget` under [search], or split or shorten the longest pages"),
    )
}

// ---------------------------------------------------------------------------------------------
// Offline: nothing a page shows may be fetched from another site

/// `http://`, `https://` and protocol-relative `//` URLs: what a browser fetches from the
/// network even when the page itself was opened from disk.
pub fn is_remote(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    u.starts_with("http://")
        || u.starts_with("https://")
        || u.starts_with("//")
        || u.starts_with("ws://")
        || u.starts_with("wss://")
}

fn content_offline(page: &Page, allow_html: bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let remote = |url: &str, line: usize, col: usize| {
        Diagnostic::error(
            &page.source,
            line,
            col,
            format!("`{url}` is loaded from another site, so the page does not work offline"),
        )
        .with_hint("save the file in the content folder and refer to it by a relative path")
    };
    for l in page.analysis.links.iter().filter(|l| l.is_image) {
        if is_remote(&l.url) {
            out.push(remote(&l.url, file_line(page, l.line), l.col));
        }
    }
    // Without `allow-html` raw HTML is shown as text and loads nothing.
    if allow_html {
        let arena = comrak::Arena::new();
        let root = comrak::parse_document(&arena, &page.body, &markdown::options());
        for node in root.descendants() {
            let data = node.data.borrow();
            let html = match &data.value {
                NodeValue::HtmlBlock(b) => &b.literal,
                NodeValue::HtmlInline(h) => h,
                _ => continue,
            };
            for (offset, url) in remote_refs(html, FileType::Html) {
                let (l, _) = line_col(html, offset);
                out.push(remote(
                    &url,
                    file_line(page, data.sourcepos.start.line + l - 1),
                    0,
                ));
            }
        }
    }
    out
}

/// Scans the theme's templates and static files as the build will use them: the project's
/// `themes/<name>/` files over the embedded default theme.
fn theme_offline(root: &Path, theme: &str) -> Result<Vec<Diagnostic>> {
    let mut files: std::collections::BTreeMap<String, (PathBuf, Vec<u8>)> = Default::default();
    for (path, bytes) in crate::theme::default_files() {
        files.insert(
            path.clone(),
            (PathBuf::from("(default theme)").join(&path), bytes.to_vec()),
        );
    }
    let dir = root.join("themes").join(theme);
    for sub in ["templates", "static"] {
        let d = dir.join(sub);
        if !d.is_dir() {
            continue;
        }
        for e in walkdir::WalkDir::new(&d).into_iter().flatten() {
            if !e.file_type().is_file() || content::is_editor_temp(&e.file_name().to_string_lossy())
            {
                continue;
            }
            let Ok(rel) = e.path().strip_prefix(&dir) else {
                continue;
            };
            let key = rel.to_string_lossy().replace('\\', "/");
            let bytes = std::fs::read(e.path()).map_err(|err| Error::io(e.path(), err))?;
            files.insert(key, (e.path().to_path_buf(), bytes));
        }
    }
    let mut out = Vec::new();
    for (key, (path, bytes)) in &files {
        let Some(ft) = FileType::of(key) else {
            continue;
        };
        let text = String::from_utf8_lossy(bytes);
        for (offset, url) in remote_refs(&text, ft) {
            out.push(
                Diagnostic::error(
                    path,
                    line_col(&text, offset).0,
                    0,
                    format!(
                        "the theme loads `{url}` from another site, so pages do not work offline"
                    ),
                )
                .with_hint(
                    "copy the file into the theme's static/ folder and refer to it relatively",
                ),
            );
        }
    }
    Ok(out)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Html,
    Css,
    Js,
}

impl FileType {
    fn of(path: &str) -> Option<FileType> {
        let ext = path.rsplit('.').next()?.to_ascii_lowercase();
        match ext.as_str() {
            "html" | "htm" | "svg" | "xhtml" => Some(FileType::Html),
            "css" => Some(FileType::Css),
            "js" | "mjs" => Some(FileType::Js),
            _ => None,
        }
    }
}

/// `<link rel>` values that name a relation without fetching anything.
const INERT_RELS: &[&str] = &[
    "alternate",
    "author",
    "bookmark",
    "canonical",
    "help",
    "license",
    "me",
    "next",
    "prev",
    "search",
    "external",
    "nofollow",
    "noopener",
    "noreferrer",
];

/// Byte offsets and URLs of the remote resources a browser would fetch for this file. Links
/// (`<a href>`) are navigation, not resources, and are fine.
pub fn remote_refs(text: &str, ft: FileType) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    if ft == FileType::Html {
        html_refs(text, &mut out);
    }
    // CSS appears in `<style>` and `style=""` too, and script in `<script>`; the patterns are
    // specific enough to run over the whole file.
    css_refs(text, &mut out);
    if ft != FileType::Css {
        js_refs(text, &mut out);
    }
    out.sort();
    out.dedup();
    out
}

fn html_refs(text: &str, out: &mut Vec<(usize, String)>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(lt) = text[i..].find('<') {
        let start = i + lt + 1;
        let name_end = start
            + text[start..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
                .unwrap_or(text.len() - start);
        let tag = text[start..name_end].to_ascii_lowercase();
        i = name_end.max(start);
        if tag.is_empty() {
            continue;
        }
        let mut attrs: Vec<(String, usize, String)> = Vec::new();
        let mut j = name_end;
        loop {
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] == b'>' || bytes[j] == b'<' {
                break;
            }
            let n_start = j;
            while j < bytes.len()
                && !bytes[j].is_ascii_whitespace()
                && !matches!(bytes[j], b'=' | b'>' | b'<')
            {
                j += 1;
            }
            let name = text[n_start..j].to_ascii_lowercase();
            if j == n_start {
                j += 1;
                continue;
            }
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b'=' {
                j += 1;
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                let (v_start, v_end, next) = match bytes.get(j) {
                    Some(&q) if q == b'"' || q == b'\'' => {
                        let end = text[j + 1..]
                            .find(q as char)
                            .map_or(text.len(), |e| j + 1 + e);
                        (j + 1, end, (end + 1).min(text.len()))
                    }
                    _ => {
                        let end = text[j..]
                            .find(|c: char| c.is_ascii_whitespace() || c == '>')
                            .map_or(text.len(), |e| j + e);
                        (j, end, end)
                    }
                };
                attrs.push((name, v_start, text[v_start..v_end].to_string()));
                j = next;
            } else {
                attrs.push((name, n_start, String::new()));
            }
        }
        i = j.max(i);
        let rel = attrs
            .iter()
            .find(|(n, _, _)| n == "rel")
            .map(|(_, _, v)| v.to_ascii_lowercase())
            .unwrap_or_default();
        for (name, at, value) in &attrs {
            let fetched = match name.as_str() {
                "src" | "poster" | "background" | "srcset" | "imagesrcset" => true,
                "data" => tag == "object",
                "href" | "xlink:href" => match tag.as_str() {
                    "link" => !rel.split_whitespace().all(|r| INERT_RELS.contains(&r)),
                    "image" | "use" | "script" | "feimage" => true,
                    _ => false,
                },
                _ => false,
            };
            if !fetched {
                continue;
            }
            let candidates: Vec<&str> = if name.ends_with("srcset") {
                value
                    .split(',')
                    .filter_map(|c| c.split_whitespace().next())
                    .collect()
            } else {
                vec![value.as_str()]
            };
            for c in candidates {
                if is_remote(c) {
                    out.push((*at, c.trim().to_string()));
                }
            }
        }
    }
}

/// `url(…)` and `@import "…"`.
fn css_refs(text: &str, out: &mut Vec<(usize, String)>) {
    let lower = text.to_ascii_lowercase();
    for pat in ["url(", "@import"] {
        let mut from = 0;
        while let Some(p) = lower[from..].find(pat) {
            let at = from + p;
            let mut rest = &text[at + pat.len()..];
            let mut skipped = text.len() - at - pat.len() - rest.trim_start().len();
            rest = rest.trim_start();
            if pat == "@import" && rest.to_ascii_lowercase().starts_with("url(") {
                // Reported by the `url(` pass.
                from = at + pat.len();
                continue;
            }
            let quoted = rest.starts_with(['"', '\'']);
            if quoted {
                skipped += 1;
            }
            let body = if quoted { &rest[1..] } else { rest };
            let end = body
                .find(|c: char| matches!(c, '"' | '\'' | ')' | ';') || c.is_whitespace())
                .unwrap_or(body.len());
            let url = &body[..end];
            if is_remote(url) {
                out.push((at + pat.len() + skipped, url.to_string()));
            }
            from = at + pat.len();
        }
    }
}

/// Script calls that fetch or load: `fetch("…")`, `import("…")`, `import … from "…"`,
/// `importScripts("…")`, `new Worker("…")`, `x.src = "…"`, and sockets.
fn js_refs(text: &str, out: &mut Vec<(usize, String)>) {
    const CALLS: &[&str] = &[
        "fetch(",
        "import(",
        "importscripts(",
        "new worker(",
        "new sharedworker(",
        "new websocket(",
        "new eventsource(",
        "sendbeacon(",
        "from ",
        ".src=",
        ".src =",
    ];
    let lower = text.to_ascii_lowercase();
    for pat in CALLS {
        let mut from = 0;
        while let Some(p) = lower[from..].find(pat) {
            let at = from + p + pat.len();
            let rest = text[at..].trim_start();
            let s = text.len() - rest.len();
            if let Some(q) = rest
                .chars()
                .next()
                .filter(|c| matches!(c, '"' | '\'' | '`'))
            {
                if let Some(end) = rest[1..].find(q) {
                    let url = &rest[1..1 + end];
                    if is_remote(url) {
                        out.push((s + 1, url.to_string()));
                    }
                }
            }
            from = at;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(text: &str, ft: FileType) -> Vec<String> {
        remote_refs(text, ft).into_iter().map(|(_, u)| u).collect()
    }

    #[test]
    fn embedded_remote_assets_are_found_and_links_are_not() {
        let html = r#"<a href="https://example.org/">site</a>
<link rel="alternate" href="https://example.org/feed.xml">
<link rel="stylesheet" href="https://cdn.example.org/a.css">
<link rel=preconnect href=//fonts.example.org>
<img alt="x" src='http://example.org/i.png'>
<img srcset="local.png 1x, https://example.org/2x.png 2x">
<script src="{{ root }}assets/x.js"></script>
<svg xmlns="http://www.w3.org/2000/svg"><image href="https://example.org/s.svg"/></svg>
<div style="background: url(https://example.org/bg.png)"></div>"#;
        assert_eq!(
            urls(html, FileType::Html),
            [
                "https://cdn.example.org/a.css",
                "//fonts.example.org",
                "http://example.org/i.png",
                "https://example.org/2x.png",
                "https://example.org/s.svg",
                "https://example.org/bg.png",
            ]
        );
    }

    #[test]
    fn css_and_script_fetches_are_found() {
        let css = "@import url(\"https://fonts.example.org/css\");\n@import 'http://x.org/a.css';\nbody { background: url(img/local.png) }";
        assert_eq!(
            urls(css, FileType::Css),
            ["https://fonts.example.org/css", "http://x.org/a.css"]
        );
        let js = "const r = await fetch('https://api.example.org/q');\nimport x from \"https://cdn.example.org/m.js\";\nfetch(root + 'search/index.bin');\n// see https://example.org/docs\n";
        assert_eq!(
            urls(js, FileType::Js),
            ["https://api.example.org/q", "https://cdn.example.org/m.js"]
        );
    }

    #[test]
    fn offsets_point_at_the_url() {
        let text = "a\n<img src=\"https://x.org/i.png\">";
        let (off, _) = remote_refs(text, FileType::Html)[0];
        assert!(text[off..].starts_with("https://"));
        assert_eq!(line_col(text, off).0, 2);
    }

    #[test]
    fn scanning_odd_text_does_not_panic() {
        for text in [
            "<",
            "<img src=",
            "<img src=\"",
            "url(",
            "@import",
            "fetch(\"",
            "<a é=ü src='//x",
            "<<<>>>",
            "<img\nsrc\n=\nhttps://x.org/a.png>",
            "url( 'é",
        ] {
            for ft in [FileType::Html, FileType::Css, FileType::Js] {
                let _ = remote_refs(text, ft);
            }
        }
        assert_eq!(
            remote_refs("<img\nsrc\n=\nhttps://x.org/a.png>", FileType::Html).len(),
            1
        );
    }
}
