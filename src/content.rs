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
    /// Where each front-matter key and value is in the file, for errors found in later stages.
    pub spans: Spans,
    pub analysis: Analysis,
}

impl Page {
    /// File position of a front-matter value (`related[2]`, `sources[0].url`), or of the
    /// nearest enclosing one.
    pub fn pos(&self, path: &str) -> Pos {
        self.spans.at(path)
    }

    /// The date the page is sorted and listed by, per its kind.
    pub fn key_date(&self) -> Option<&crate::date::Date> {
        self.kind.def().key_date.and_then(|k| self.meta.date(k))
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

/// A file read: a page, a draft (`None`), or its problems.
type Parsed = std::result::Result<Option<Page>, Vec<Diagnostic>>;

/// Everything the load stage produced.
pub struct Loaded {
    pub pages: Vec<Page>,
    /// Other files (images, PDFs), by path relative to the content directory.
    pub assets: Vec<String>,
    /// Files that exist but could not be read; links to them are not reported as missing.
    pub failed: Vec<String>,
    /// Symbolic links, which are not followed: links to them say so.
    pub symlinks: Vec<String>,
    /// Errors and warnings, from every file.
    pub diagnostics: Vec<Diagnostic>,
}

/// Walks the content directory and reads every `*.md` file, reporting every problem at once.
/// `exclude` names paths never read as content (the output folder, book.toml), for projects
/// whose content folder holds them.
pub fn load(content_dir: &Path, display_dir: &Path, exclude: &[PathBuf]) -> Result<Loaded> {
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
    let files: Vec<std::path::PathBuf> = markdown.into_iter().map(|(_, p)| p).collect();

    let results: Vec<(String, Parsed)> = files
        .par_iter()
        .map(|path| {
            let rel = path
                .strip_prefix(content_dir)
                .unwrap_or(path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let source = display_dir.join(&rel);
            let parsed = match std::fs::read(path) {
                Ok(bytes) => parse_page(&bytes, &rel, &source),
                Err(e) => Err(vec![Diagnostic::error(
                    &source,
                    0,
                    0,
                    format!("cannot read: {e}"),
                )]),
            };
            (rel, parsed)
        })
        .collect();

    let mut pages = Vec::new();
    let mut failed = Vec::new();
    for (rel, r) in results {
        match r {
            Ok(Some(p)) => pages.push(p),
            Ok(None) => {}
            Err(d) => {
                failed.push(rel);
                diags.extend(d);
            }
        }
    }
    check_duplicate_outputs(&pages, &mut diags);
    Ok(Loaded {
        pages,
        assets,
        failed,
        symlinks,
        diagnostics: diags,
    })
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
        .filter_entry(|e| !excluded(e.path()));
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
        let shown = display_dir.join(&rel);
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

/// Output path of a content file: `a/b.md` → `a/b.html`, `a/_index.md` → `a/index.html`.
pub fn output_path(rel: &str) -> String {
    let stem = rel.strip_suffix(".md").unwrap_or(rel);
    match stem.strip_suffix("_index") {
        Some(dir) => format!("{dir}index.html"),
        None => format!("{stem}.html"),
    }
}

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
            Diagnostic::error(source, line, 1, "front matter is not closed")
                .with_hint("end the front matter with a line containing only `---`"),
        ]
    })?;

    let mut diags = Vec::new();
    let fm = match split.yaml {
        Some(yaml) => frontmatter::parse(yaml, split.yaml_line, source, &mut diags),
        None => Some(frontmatter::FrontMatter {
            kind: Kind::Page,
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

    let mut body = split.body.to_string();
    let mut body_line = split.body_line;
    let title = match meta.text("title").or_else(|| meta.text(kind.title_key())) {
        Some(t) => t.to_string(),
        None if split.yaml.is_none() => match take_first_heading(&body) {
            Some((t, rest, skipped_lines)) => {
                body = rest;
                body_line += skipped_lines;
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
                    body_line + deep.line - 1,
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
    let is_index = rel == "_index.md" || rel.ends_with("/_index.md");
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
        spans,
        analysis,
    }))
}

struct Split<'a> {
    yaml: Option<&'a str>,
    /// File line of the first YAML line.
    yaml_line: usize,
    body: &'a str,
    body_line: usize,
}

/// Separates `---` front matter from the body. `Err(line)` when the block is never closed.
fn split_front_matter(text: &str) -> std::result::Result<Split<'_>, usize> {
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_line_end].trim_end() != "---" {
        return Ok(Split {
            yaml: None,
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
        if l == "---" || l == "..." {
            return Ok(Split {
                yaml: Some(&text[first_line_end..offset]),
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

/// Splits off a leading `# Title` line of a file that has no front matter.
fn take_first_heading(body: &str) -> Option<(String, String, usize)> {
    let mut skipped = 0;
    let mut rest = body;
    loop {
        let end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let line = rest[..end].trim();
        if line.is_empty() {
            if end == 0 {
                return None;
            }
            rest = &rest[end..];
            skipped += 1;
            continue;
        }
        let title = line.strip_prefix("# ")?.trim().trim_end_matches('#').trim();
        return Some((title.to_string(), rest[end..].to_string(), skipped + 1));
    }
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
        assert_eq!(p.title, "Hello *there*");
        assert_eq!(p.body.trim(), "Text");
        assert_eq!(p.body_line, 3);
        assert_eq!(p.kind, Kind::Page);
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
