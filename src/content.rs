//! The content model: Markdown files with YAML front matter, read and validated.
//!
//! Front matter is strict and typed by `kind`: each kind accepts the common keys plus its own.
//! Every error carries the line in the *file*, not in the YAML block, because that is what an
//! editor's cursor sees.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Diagnostic, Error, Result};
use crate::frontmatter::{self, Meta, Pos, Spans};
use crate::markdown::{self, Analysis};
pub use crate::model::Kind;

/// One Markdown file, read and checked.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path as shown in diagnostics: the content directory joined with `rel`.
    pub source: PathBuf,
    /// Path relative to the content directory, with `/` separators: `principles/trust.md`.
    pub rel: String,
    /// Output path relative to the site root: `principles/trust.html`.
    pub url: String,
    /// An `_index.md`: the page of its folder.
    pub is_index: bool,
    pub kind: Kind,
    pub title: String,
    pub meta: Meta,
    pub body: String,
    /// The line in the file where `body` starts, so Markdown positions map back to the file.
    pub body_line: usize,
    /// The file line of each body line when included files changed the line count (else empty).
    pub lines: Vec<usize>,
    /// The browser tab's title, when the page sets one with `{{#title …}}`.
    pub tab_title: Option<String>,
    /// Files the page includes, on disk: the live preview rebuilds the page when one changes.
    pub includes: Vec<PathBuf>,
    /// Where each front-matter key and value is in the file, for errors found in later stages.
    pub spans: Spans,
    pub analysis: Analysis,
    /// The language of a translation laid over its original (see the translation module);
    /// `None` for text in the book's own language.
    pub language: Option<String>,
    /// A translation whose original changed since it was translated (its `translated_from`
    /// is not the original's fingerprint).
    pub outdated: bool,
}

impl Page {
    /// File position of a front-matter value (`related[2]`, `sources[0].url`), or of the
    /// nearest enclosing one.
    pub fn pos(&self, path: &str) -> Pos {
        self.spans.at(path)
    }

    /// A placeholder for a file SUMMARY.md leaves out and that could not be read as a page:
    /// it is only named in the warning about unlisted files.
    fn unlisted(rel: String) -> Page {
        Page {
            source: PathBuf::from(&rel),
            url: output_path(&rel),
            is_index: false,
            kind: Kind::Page,
            title: String::new(),
            meta: Meta::default(),
            body: String::new(),
            body_line: 1,
            lines: Vec::new(),
            tab_title: None,
            includes: Vec::new(),
            spans: Spans::default(),
            analysis: Analysis::default(),
            language: None,
            outdated: false,
            rel,
        }
    }

    /// The line in the file of line `body_line` (1-based) of the page's body.
    pub fn file_line(&self, body_line: usize) -> usize {
        let l = body_line.max(1);
        self.lines
            .get(l - 1)
            .copied()
            .unwrap_or(self.body_line + l - 1)
    }

    /// The date the page is sorted and listed by: the first of its kind's key dates it has.
    pub fn key_date(&self) -> Option<&crate::date::Date> {
        self.key_date_key().and_then(|k| self.meta.date(k))
    }

    /// Which of its kind's key dates the page has first (`signed`, or `published`, …).
    pub fn key_date_key(&self) -> Option<&'static str> {
        self.kind
            .def()
            .key_dates
            .iter()
            .copied()
            .find(|k| self.meta.date(k).is_some())
    }

    pub fn summary(&self) -> Option<&str> {
        self.meta
            .text("summary")
            .or_else(|| self.meta.text("definition"))
    }

    /// The folder the page belongs to, relative to the content directory ("" for the root).
    pub fn dir(&self) -> &str {
        self.rel.rsplit_once('/').map_or("", |(d, _)| d)
    }

    /// The term's identifier used in `glossary:` links: the file name without `.md`.
    pub fn slug(&self) -> &str {
        let name = self.rel.rsplit('/').next().unwrap_or(&self.rel);
        name.strip_suffix(".md").unwrap_or(name)
    }
}

/// One translation, read as a page of its original's kind.
#[derive(Debug, Clone)]
pub struct Translation {
    pub language: String,
    /// The original's path relative to the content directory.
    pub original: String,
    /// The translation's own title, texts and body; its `rel` is its own file name.
    pub page: Page,
}

/// `principles/trust.md` and `de` for `principles/trust.de.md`, when `de` is one of `languages`.
pub fn original_of(rel: &str, languages: &[String]) -> Option<(String, String)> {
    let stem = rel.strip_suffix(".md")?;
    let (base, code) = stem.rsplit_once('.')?;
    if base.is_empty() || base.ends_with('/') || !languages.iter().any(|l| l == code) {
        return None;
    }
    Some((format!("{base}.md"), code.to_string()))
}

/// A file read: a page, a draft (`None`), or its problems.
pub type Parsed = std::result::Result<Option<Page>, Vec<Diagnostic>>;

/// Everything the load stage produced.
pub struct Loaded {
    pub pages: Vec<Page>,
    /// Other files (images, PDFs), by path relative to the content directory.
    pub assets: Vec<String>,
    /// Files that exist but could not be read; links to them are not reported as missing.
    pub failed: Vec<String>,
    /// Symbolic links, which are not followed: links to them say so.
    pub symlinks: Vec<String>,
    /// The book's table of contents, when the content folder has a SUMMARY.md.
    pub summary: Option<crate::toc::Summary>,
    /// Errors and warnings, from every file.
    pub diagnostics: Vec<Diagnostic>,
    /// Translations into the further languages of book.toml (`page.de.md`).
    pub translations: Vec<Translation>,
}

/// Sorts parsed files into pages and failures. A Markdown file that another page includes is a
/// fragment, not a page of its own (and its problems as a page, such as having no title, are
/// not reported), unless SUMMARY.md lists it or a page links to it.
pub fn collect_parsed(
    results: Vec<(String, Parsed, Vec<PathBuf>)>,
    content_dir: &Path,
    summary: Option<&crate::toc::Summary>,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Page>, Vec<String>) {
    let pages_so_far = results.iter().filter_map(|(_, r, _)| match r {
        Ok(Some(p)) => Some(p),
        _ => None,
    });
    let mut included: std::collections::HashSet<String> = std::collections::HashSet::new();
    // Included paths are absolute.
    let content_dir =
        std::path::absolute(content_dir).unwrap_or_else(|_| content_dir.to_path_buf());
    for (_, _, includes) in &results {
        for inc in includes {
            if let Some(rel) = rel_path(&content_dir, inc).filter(|r| r.ends_with(".md")) {
                included.insert(rel);
            }
        }
    }
    let listed = summary.map(crate::toc::Summary::listed);
    if let Some(listed) = &listed {
        included.retain(|rel| !listed.contains(rel.as_str()));
    }
    // A link from a page that is not itself a fragment makes a fragment a page.
    let linked: std::collections::HashSet<String> = pages_so_far
        .filter(|p| !included.contains(&p.rel))
        .flat_map(|p| {
            p.analysis.links.iter().filter_map(move |l| {
                let path = l.url.split(['#', '?']).next().unwrap_or("");
                let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
                crate::paths::normalize(p.dir(), &path)
            })
        })
        .collect();
    included.retain(|rel| !linked.contains(rel));

    let mut pages = Vec::new();
    let mut failed = Vec::new();
    for (rel, r, _) in results {
        if included.contains(&rel) {
            continue;
        }
        // A file SUMMARY.md does not list is not published, so its problems as a page do not
        // matter; the pages it does list are set aside later, with a warning naming them all.
        let unlisted = listed.as_ref().is_some_and(|l| !l.contains(rel.as_str()));
        match r {
            Err(_) if unlisted => pages.push(Page::unlisted(rel)),
            Ok(Some(p)) => pages.push(p),
            Ok(None) => {}
            Err(d) => {
                failed.push(rel);
                diags.extend(d);
            }
        }
    }
    (pages, failed)
}

/// A content file's path as diagnostics show it: the content folder as book.toml names it,
/// joined with the file's path in it (`docs/a.md`, not `./docs/a.md`, for `src = "."`).
pub fn display_path(display_dir: &Path, rel: &str) -> PathBuf {
    if display_dir.as_os_str().is_empty() || display_dir == Path::new(".") {
        PathBuf::from(rel)
    } else {
        display_dir.join(rel)
    }
}

/// The title of a project without book.toml: its README's first heading, else the folder name.
pub fn folder_title(root: &Path, src: &Path) -> String {
    let readme = ["README.md", "readme.md", "index.md"]
        .iter()
        .find_map(|n| std::fs::read_to_string(root.join(src).join(n)).ok());
    readme
        .and_then(|text| crate::markdown::first_heading(&text).map(|(t, _)| t))
        .or_else(|| {
            std::fs::canonicalize(root)
                .ok()?
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "Untitled".to_string())
}

/// The contents file of an mdBook book, at the top of the content folder.
pub const SUMMARY: &str = "SUMMARY.md";

/// Reads the content folder's SUMMARY.md, if it has one.
pub fn read_summary(
    content_dir: &Path,
    display_dir: &Path,
) -> (Option<crate::toc::Summary>, Vec<Diagnostic>) {
    let path = content_dir.join(SUMMARY);
    let shown = display_path(display_dir, SUMMARY);
    match std::fs::read(&path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => {
                let (summary, diags) = crate::toc::parse_summary(&text, &shown);
                (Some(summary), diags)
            }
            Err(_) => (
                None,
                vec![Diagnostic::error(&shown, 0, 0, "file is not valid UTF-8")
                    .with_hint("save the file with UTF-8 encoding")],
            ),
        },
        Err(_) => (None, Vec::new()),
    }
}

/// Walks the content directory and reads every `*.md` file, reporting every problem at once.
/// `exclude` names paths never read as content (the output folder, book.toml), for projects
/// whose content folder holds them.
pub fn load(
    root: &Path,
    content_dir: &Path,
    display_dir: &Path,
    exclude: &[PathBuf],
    languages: &[String],
) -> Result<Loaded> {
    if !content_dir.is_dir() {
        return Err(Error::Content(vec![Diagnostic::error(
            display_dir,
            0,
            0,
            "content directory not found",
        )
        .with_hint("create it, or set `src` under [book] in book.toml")]));
    }
    let Scan {
        markdown,
        assets,
        symlinks,
        diagnostics: mut diags,
    } = scan(content_dir, display_dir, exclude);
    let (summary, summary_diags) = read_summary(content_dir, display_dir);
    diags.extend(summary_diags);
    let (translated, files): (Vec<_>, Vec<_>) = markdown
        .into_iter()
        .partition(|(rel, _)| original_of(rel, languages).is_some());
    let files: Vec<PathBuf> = files.into_iter().map(|(_, p)| p).collect();

    let results: Vec<(String, Parsed, Vec<PathBuf>)> = files
        .par_iter()
        .map(|path| read_file(root, content_dir, display_dir, path, None))
        .collect();

    let (pages, failed) = collect_parsed(results, content_dir, summary.as_ref(), &mut diags);
    check_duplicate_outputs(&pages, &mut diags);
    let translations = read_translations(
        root,
        content_dir,
        display_dir,
        &translated,
        &pages,
        &failed,
        languages,
        &mut diags,
    );
    Ok(Loaded {
        pages,
        assets,
        failed,
        symlinks,
        summary,
        diagnostics: diags,
        translations,
    })
}

/// Reads one content file: as a page, or as a translation of a page of kind `translation`.
fn read_file(
    root: &Path,
    content_dir: &Path,
    display_dir: &Path,
    path: &Path,
    translation: Option<Kind>,
) -> (String, Parsed, Vec<PathBuf>) {
    let rel = path
        .strip_prefix(content_dir)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    let source = display_path(display_dir, &rel);
    let dirs = crate::include::Dirs { root, file: path };
    let mut includes = Vec::new();
    let parsed = match std::fs::read(path) {
        Ok(bytes) => parse_file(
            &bytes,
            &rel,
            &source,
            Some(&dirs),
            &mut includes,
            translation,
        ),
        Err(e) => Err(vec![Diagnostic::error(
            &source,
            0,
            0,
            format!("cannot read: {e}"),
        )]),
    };
    (rel, parsed, includes)
}

/// Reads the translations, each as a page of its original's kind. A translation without an
/// original is an error: it would be published nowhere.
#[allow(clippy::too_many_arguments)]
fn read_translations(
    root: &Path,
    content_dir: &Path,
    display_dir: &Path,
    files: &[(String, PathBuf)],
    pages: &[Page],
    failed: &[String],
    languages: &[String],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Translation> {
    let kinds: std::collections::HashMap<&str, Kind> =
        pages.iter().map(|p| (p.rel.as_str(), p.kind)).collect();
    let read: Vec<_> = files
        .par_iter()
        .map(|(rel, path)| {
            let (original, language) = original_of(rel, languages)
                .unwrap_or_else(|| (rel.clone(), String::new()));
            let Some(&kind) = kinds.get(original.as_str()) else {
                let missing = !failed.contains(&original);
                return Err(missing.then(|| {
                    Diagnostic::error(
                        display_path(display_dir, rel),
                        1,
                        1,
                        format!("`{rel}` translates `{original}`, which is not a page"),
                    )
                    .with_hint(format!(
                        "name a translation after its original plus the language: `{original}` must exist beside it (or rename this file)"
                    ))
                }));
            };
            let (_, parsed, _) = read_file(root, content_dir, display_dir, path, Some(kind));
            Ok((original, language, parsed))
        })
        .collect();
    let mut out = Vec::new();
    for r in read {
        match r {
            Ok((original, language, Ok(Some(page)))) => out.push(Translation {
                language,
                original,
                page,
            }),
            Ok((_, _, Ok(None))) => {}
            Ok((_, _, Err(d))) => diags.extend(d),
            Err(d) => diags.extend(d),
        }
    }
    out
}

/// Formulas whose TeX cannot be rendered: the page shows their source, and the editor learns
/// where.
pub fn math_warnings(page: &Page) -> Vec<Diagnostic> {
    page.analysis
        .math_errors
        .iter()
        .map(|m| {
            Diagnostic::warning(
                &page.source,
                page.body_line + m.line.max(1) - 1,
                m.col,
                format!("formula not rendered: {}", m.message),
            )
            .with_hint("the page shows the source as it is; fix the TeX, or write `\\$` for a dollar sign that starts no formula")
        })
        .collect()
}

/// The files of a content directory, sorted by path.
pub struct Scan {
    /// Markdown files: path relative to the content directory (with `/`), and full path.
    pub markdown: Vec<(String, PathBuf)>,
    /// Every other file, relative to the content directory.
    pub assets: Vec<String>,
    /// Symbolic links, relative to the content directory: not followed, not published.
    pub symlinks: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// `a/b.md` for `<content>/a/b.md`, with `/` separators on every system.
pub fn rel_path(content_dir: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(content_dir).ok()?;
    Some(
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
    )
}

/// Longest file name most file systems accept, in bytes.
const MAX_NAME_BYTES: usize = 255;

/// Lists the content directory, leaving out editors' swap and backup files, the paths in
/// `exclude`, and anything whose name cannot be published (reported as an error).
pub fn scan(content_dir: &Path, display_dir: &Path, exclude: &[PathBuf]) -> Scan {
    let mut out = Scan {
        markdown: Vec::new(),
        assets: Vec::new(),
        symlinks: Vec::new(),
        diagnostics: Vec::new(),
    };
    let excluded = |p: &Path| exclude.iter().any(|x| p.starts_with(x));
    let walk = walkdir::WalkDir::new(content_dir)
        .sort_by_file_name()
        .into_iter()
        // Dot folders (`.git`, `.github`) are never content, and not even walked.
        .filter_entry(|e| {
            !excluded(e.path())
                && (e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        });
    for entry in walk {
        let e = match entry {
            Ok(e) => e,
            Err(err) => {
                out.diagnostics.push(Diagnostic::error(
                    err.path().unwrap_or(content_dir),
                    0,
                    0,
                    format!("cannot read: {err}"),
                ));
                continue;
            }
        };
        let name = e.file_name().to_string_lossy();
        if e.depth() == 0 || is_editor_temp(&name) {
            continue;
        }
        let Some(rel) = rel_path(content_dir, e.path()) else {
            continue;
        };
        let shown = display_path(display_dir, &rel);
        if e.path()
            .strip_prefix(content_dir)
            .ok()
            .and_then(|r| r.to_str())
            .is_none()
        {
            out.diagnostics.push(
                Diagnostic::error(&shown, 0, 0, "the file name is not valid UTF-8")
                    .with_hint("rename it: published names must be text a browser can request"),
            );
            continue;
        }
        if e.path_is_symlink() {
            out.symlinks.push(rel);
            continue;
        }
        if !e.file_type().is_file() {
            continue;
        }
        let published = if name.ends_with(".md") {
            output_path(&rel)
        } else {
            rel.clone()
        };
        if let Some(long) = published.split('/').find(|c| c.len() > MAX_NAME_BYTES) {
            out.diagnostics.push(
                Diagnostic::error(
                    &shown,
                    0,
                    0,
                    format!(
                        "the published name `{long}` is {} bytes long; file systems accept at most {MAX_NAME_BYTES}",
                        long.len()
                    ),
                )
                .with_hint("shorten the file name"),
            );
            continue;
        }
        if rel == SUMMARY {
            // The book's contents, read by `read_summary`; not a page.
            continue;
        }
        if name.ends_with(".md") {
            out.markdown.push((rel, e.into_path()));
        } else {
            out.assets.push(rel);
        }
    }
    out
}

/// Swap, backup and lock files that editors write beside the real file.
pub fn is_editor_temp(name: &str) -> bool {
    name.starts_with(".#")
        || name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.starts_with('#')
}

pub use crate::paths::{folder_page_paths, is_folder_page, output_path, FOLDER_PAGES};

/// Two files that would be written to one output path (compared as file systems may compare
/// them: without case, and in one Unicode normalisation).
pub fn check_duplicate_outputs(pages: &[Page], diags: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<String, &Page> = BTreeMap::new();
    for p in pages {
        let key = crate::collisions::path_key(&p.url);
        if let Some(first) = seen.get(&key) {
            diags.push(
                Diagnostic::error(
                    &p.source,
                    1,
                    1,
                    format!(
                        "`{}` would be written to `{}`, which `{}` already produces",
                        p.rel,
                        p.url,
                        first.source.display()
                    ),
                )
                .with_hint("rename one of the two files"),
            );
        } else {
            seen.insert(key, p);
        }
    }
}

/// Reads one file. `Ok(None)` means a draft, which is not published.
pub fn parse_page(
    bytes: &[u8],
    rel: &str,
    source: &Path,
) -> std::result::Result<Option<Page>, Vec<Diagnostic>> {
    parse_page_in(bytes, rel, source, None, &mut Vec::new())
}

/// Reads one file of a project: as [`parse_page`], with mdBook's include directives expanded
/// relative to the file (see [`crate::include`]).
/// `includes` receives every file the page includes, even when the page has errors: an
/// included file is a fragment whatever happens to the page that includes it.
pub fn parse_page_in(
    bytes: &[u8],
    rel: &str,
    source: &Path,
    dirs: Option<&crate::include::Dirs<'_>>,
    includes: &mut Vec<PathBuf>,
) -> std::result::Result<Option<Page>, Vec<Diagnostic>> {
    parse_file(bytes, rel, source, dirs, includes, None)
}

/// Reads a translation (`rel` is its own path) of a page of kind `kind`: its front matter may
/// set only the texts (see [`crate::model::TRANSLATION_KEYS`]).
pub fn parse_translation_in(
    bytes: &[u8],
    rel: &str,
    source: &Path,
    dirs: Option<&crate::include::Dirs<'_>>,
    includes: &mut Vec<PathBuf>,
    kind: Kind,
) -> std::result::Result<Option<Page>, Vec<Diagnostic>> {
    parse_file(bytes, rel, source, dirs, includes, Some(kind))
}

fn parse_file(
    bytes: &[u8],
    rel: &str,
    source: &Path,
    dirs: Option<&crate::include::Dirs<'_>>,
    includes: &mut Vec<PathBuf>,
    translation: Option<Kind>,
) -> std::result::Result<Option<Page>, Vec<Diagnostic>> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|b| **b == b'\n').count() + 1;
            let col = good.iter().rev().take_while(|b| **b != b'\n').count() + 1;
            return Err(vec![Diagnostic::error(
                source,
                line,
                col,
                "file is not valid UTF-8",
            )
            .with_hint("save the file with UTF-8 encoding")]);
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let split = split_front_matter(text).map_err(|line| {
        vec![
            Diagnostic::error(source, line, 1, "front matter is not closed").with_hint(
                "end the front matter with a line containing only `---` (`+++` for TOML)",
            ),
        ]
    })?;

    let mut diags = Vec::new();
    let fm = match split.yaml {
        Some(toml) if split.toml => {
            frontmatter::parse_toml(toml, split.yaml_line, source, translation, &mut diags)
        }
        Some(yaml) => frontmatter::parse(yaml, split.yaml_line, source, translation, &mut diags),
        None => Some(frontmatter::FrontMatter {
            kind: translation.unwrap_or(Kind::Page),
            meta: Meta::default(),
            spans: Spans::default(),
        }),
    };
    let Some(frontmatter::FrontMatter { kind, meta, spans }) = fm else {
        return Err(diags);
    };
    if meta.flag("draft") == Some(true) {
        return Ok(None);
    }

    let expanded = match dirs {
        Some(d) => crate::include::expand(split.body, d, source, split.body_line, &mut diags),
        None => crate::include::Expanded {
            text: split.body.to_string(),
            ..Default::default()
        },
    };
    includes.clone_from(&expanded.included);
    let mut body = expanded.text;
    let mut body_line = split.body_line;
    // File line of each body line, when includes changed the line count.
    let mut lines: Vec<usize> = expanded
        .lines
        .iter()
        .map(|l| split.body_line + l - 1)
        .collect();
    let title = match meta.text("title").or_else(|| meta.text(kind.title_key())) {
        Some(t) => t.to_string(),
        None if split.yaml.is_none() => match take_first_heading(&body) {
            Some((t, rest, skipped_lines)) => {
                body = rest;
                body_line += skipped_lines;
                lines.drain(..skipped_lines.min(lines.len()));
                t
            }
            None => {
                diags.push(
                    Diagnostic::error(source, 1, 1, "page has no title").with_hint(
                        "start the file with a `# Heading` or add front matter with `title:`",
                    ),
                );
                String::new()
            }
        },
        // A required `term` that is missing was reported with the other front-matter errors.
        None if kind == Kind::Term => String::new(),
        None => {
            diags.push(
                Diagnostic::error(source, split.yaml_line, 1, "missing required key `title`")
                    .with_hint("add `title: ...` to the front matter"),
            );
            String::new()
        }
    };
    if let Some(generated) = meta.text("replaces") {
        if output_path(rel) != generated {
            let at = spans.at("replaces");
            diags.push(
                Diagnostic::error(
                    source,
                    at.line,
                    at.col,
                    format!("only a page written to `{generated}` can replace it; this one is written to `{}`", output_path(rel)),
                )
                .with_hint(format!(
                    "move this page to `{}` at the top of the content folder",
                    generated.replace(".html", ".md")
                )),
            );
        }
    }
    if title.trim().is_empty() && diags.is_empty() {
        let at = spans.at(kind.title_key());
        diags.push(Diagnostic::error(source, at.line, at.col, "title is empty"));
    }

    let analysis = match markdown::analyze(&body) {
        Ok(a) => a,
        Err(deep) => {
            diags.push(
                Diagnostic::error(
                    source,
                    lines
                        .get(deep.line - 1)
                        .copied()
                        .unwrap_or(body_line + deep.line - 1),
                    deep.col,
                    format!(
                        "quotes, lists or inline markup nest more than {} levels deep here",
                        markdown::MAX_NESTING
                    ),
                )
                .with_hint("flatten the nesting: split the quote or the list, or use a table"),
            );
            Analysis::default()
        }
    };
    if !diags.is_empty() {
        return Err(diags);
    }
    let mut analysis = analysis;
    // An instrument's article entries are link targets like headings, so links and `cites`
    // to them are checked the same way.
    analysis.anchors.extend(
        meta.articles()
            .iter()
            .map(|a| crate::articles::anchor(&a.number)),
    );
    let is_index = is_folder_page(rel);
    Ok(Some(Page {
        source: source.to_path_buf(),
        rel: rel.to_string(),
        url: output_path(rel),
        is_index,
        kind,
        title,
        meta,
        body,
        body_line,
        lines,
        tab_title: expanded.title,
        includes: expanded.included,
        spans,
        analysis,
        language: None,
        outdated: false,
    }))
}

struct Split<'a> {
    /// The front matter's text (YAML, or TOML when `toml`).
    yaml: Option<&'a str>,
    toml: bool,
    /// File line of the first YAML line.
    yaml_line: usize,
    body: &'a str,
    body_line: usize,
}

/// Separates `---` front matter from the body. `Err(line)` when the block is never closed.
fn split_front_matter(text: &str) -> std::result::Result<Split<'_>, usize> {
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let fence = text[..first_line_end].trim_end();
    // `+++` opens TOML front matter, as in Zola and Hugo.
    let toml = fence == "+++";
    if fence != "---" && !toml {
        return Ok(Split {
            yaml: None,
            toml: false,
            yaml_line: 1,
            body: text,
            body_line: 1,
        });
    }
    let mut offset = first_line_end;
    let mut line = 2;
    while offset < text.len() {
        let end = text[offset..]
            .find('\n')
            .map_or(text.len(), |i| offset + i + 1);
        let l = text[offset..end].trim_end();
        let closes = if toml {
            l == "+++"
        } else {
            l == "---" || l == "..."
        };
        if closes {
            return Ok(Split {
                yaml: Some(&text[first_line_end..offset]),
                toml,
                yaml_line: 2,
                body: &text[end..],
                body_line: line + 1,
            });
        }
        offset = end;
        line += 1;
    }
    Err(1)
}

/// The title of a file without front matter: its first heading wherever it is (see
/// [`markdown::first_heading`]). A heading that opens the file is taken out of the body, since
/// the page template shows the title; one further down stays where it is.
fn take_first_heading(body: &str) -> Option<(String, String, usize)> {
    let (title, (start, end)) = markdown::first_heading(body)?;
    let opens = body.lines().take(start - 1).all(|l| l.trim().is_empty());
    if !opens {
        return Some((title, body.to_string(), 0));
    }
    let rest: String = body.split_inclusive('\n').skip(end).collect();
    Some((title, rest, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> std::result::Result<Option<Page>, Vec<Diagnostic>> {
        parse_page(
            text.as_bytes(),
            "principles/a.md",
            Path::new("content/principles/a.md"),
        )
    }

    #[test]
    fn output_paths() {
        assert_eq!(output_path("a/b.md"), "a/b.html");
        assert_eq!(output_path("a/_index.md"), "a/index.html");
        assert_eq!(output_path("_index.md"), "index.html");
        assert_eq!(output_path("a/README.md"), "a/index.html");
        assert_eq!(output_path("index.md"), "index.html");
        assert_eq!(output_path("a/readme.md"), "a/readme.html");
    }

    #[test]
    fn unknown_key_reports_file_line_and_suggestion() {
        let errs = parse("---\ntitle: A\nsumary: x\n---\nbody\n").unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].line, 3);
        assert_eq!(errs[0].message, "unknown key `sumary` for kind `page`");
        assert_eq!(errs[0].hint.as_deref(), Some("did you mean `summary`?"));
    }

    #[test]
    fn yaml_syntax_error_line_is_in_the_file() {
        let errs = parse("---\ntitle: A\ntags: [a, b\nsummary: x\n---\n").unwrap_err();
        assert!(errs[0].line >= 3, "{:?}", errs[0]);
        assert_eq!(errs[0].path, Path::new("content/principles/a.md"));
    }

    #[test]
    fn type_error_line_is_in_the_file() {
        let errs = parse("---\ntitle: A\n\nweight: heavy\n---\n").unwrap_err();
        assert_eq!(errs[0].line, 4, "{:?}", errs[0]);
    }

    #[test]
    fn page_without_front_matter_takes_first_heading() {
        let p = parse("\n# Hello *there*\n\nText\n").unwrap().unwrap();
        assert_eq!(p.title, "Hello there");
        assert_eq!(p.body.trim(), "Text");
        assert_eq!(p.body_line, 3);
        assert_eq!(p.kind, Kind::Page);
    }

    #[test]
    fn the_title_is_the_first_heading_wherever_it_is_and_at_any_level() {
        // An h1 below an h2 wins; the body keeps a heading that does not open the file.
        let p = parse("Intro.\n\n## Running `mdbook`\n\n# The real title\n")
            .unwrap()
            .unwrap();
        assert_eq!(p.title, "The real title");
        assert!(p.body.starts_with("Intro."));
        let p = parse("Intro.\n\n## Running `mdbook`\n\nText.\n")
            .unwrap()
            .unwrap();
        assert_eq!(p.title, "Running mdbook");
        let p = parse("Setext title\n============\n\nText.\n")
            .unwrap()
            .unwrap();
        assert_eq!(
            (p.title.as_str(), p.body.trim(), p.body_line),
            ("Setext title", "Text.", 3)
        );
    }

    #[test]
    fn toml_front_matter_reads_like_yaml_with_hints_for_other_tools() {
        let p = parse(
            "+++\ntitle = \"Zola page\"\nsummary = \"S\"\nupdated = 2024-01-05\n+++\n\nBody.\n",
        )
        .unwrap()
        .unwrap();
        assert_eq!(p.title, "Zola page");
        assert_eq!(
            p.meta.date("updated").map(|d| d.to_string()).as_deref(),
            Some("2024-01-05")
        );
        assert_eq!(p.body_line, 6);
        let errs =
            parse("+++\ntitle = \"Z\"\ndescription = \"D\"\ntags = [\"a\", { x = 1 }]\n+++\n")
                .unwrap_err();
        let msgs: Vec<String> = errs.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            msgs,
            [
                "content/principles/a.md:3:1: error: unknown key `description` for kind `page`\n  hint: accord calls `description` `summary` (Zola and Hugo write `description`)",
                "content/principles/a.md:4:14: error: `tags[1]` must be text",
            ]
        );
    }

    #[test]
    fn kind_specific_keys_are_checked() {
        let errs = parse("---\nkind: page\ntitle: A\nsigned: \"2004\"\n---\n").unwrap_err();
        assert!(
            errs[0]
                .hint
                .as_deref()
                .unwrap()
                .contains("belongs to another kind"),
            "{:?}",
            errs[0]
        );
    }

    #[test]
    fn principle_requires_sources_and_valid_values() {
        let errs = parse("---\nkind: principle\ntitle: A\ncountries: [de, XX]\nstakeholders: [polise]\nupdated: 2020-13-01\n---\n")
            .unwrap_err();
        let msgs: Vec<String> = errs.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            msgs,
            [
                "content/principles/a.md:4:13: error: unknown country code `de`\n  hint: write it in capitals: `DE`",
                "content/principles/a.md:4:17: error: unknown country code `XX`\n  hint: use ISO 3166-1 alpha-2 codes such as DE, IT, GB",
                "content/principles/a.md:5:16: error: unknown stakeholder `polise`\n  hint: allowed: law-enforcement, ngo, labour-inspectorate, prosecution, judiciary, immigration, border-guard, social-services, health, igo, government, private-sector, trade-union, research",
                "content/principles/a.md:6:10: error: `updated`: `2020-13-01` is not a day of the calendar\n  hint: write dates as \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\"",
                "content/principles/a.md:2:7: error: a page of kind `principle` needs `sources`\n  hint: add `sources:` (Where the page's facts come from: title, publisher, date and url of each.)",
            ]
        );
    }

    #[test]
    fn unquoted_dates_and_years_are_read_as_dates() {
        let p = parse("---\nkind: event\ntitle: E\ndate: 2009-03-30\nupdated: 2010\nsources:\n  - title: T\n    publisher: P\n---\n")
            .unwrap()
            .unwrap();
        assert_eq!(
            p.meta.date("date").map(|d| d.to_string()).as_deref(),
            Some("2009-03-30")
        );
        assert_eq!(
            p.meta.date("updated").map(|d| d.to_string()).as_deref(),
            Some("2010")
        );
    }

    #[test]
    fn bad_utf8_names_the_line() {
        let errs = parse_page(
            b"---\ntitle: A\n---\nok\nbad \xff here\n",
            "a.md",
            Path::new("a.md"),
        )
        .unwrap_err();
        assert_eq!((errs[0].line, errs[0].col), (5, 5));
    }

    #[test]
    fn unclosed_front_matter() {
        let errs = parse("---\ntitle: A\n").unwrap_err();
        assert_eq!(errs[0].message, "front matter is not closed");
    }

    #[test]
    fn drafts_are_skipped() {
        assert!(parse("---\ntitle: A\ndraft: true\n---\n")
            .unwrap()
            .is_none());
    }
}
