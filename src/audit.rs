//! The audits: problems a build cannot see while producing the site.
//!
//! [`build_errors`] are errors that fail `accord build`, `bundle` and `serve` too (assets loaded
//! from other sites, which break the offline bundle and tell a third party who reads it). The
//! warnings are listed by `accord check` only.

use std::path::{Path, PathBuf};

use comrak::nodes::NodeValue;

use crate::config::HtmlPolicy;
use crate::content::{self, Page};
use crate::date::Date;
use crate::error::{line_col, Diagnostic, Error, Result};
use crate::fragments::Fragments;
use crate::links::{self, Target};
use crate::markdown;
use crate::output::OutFile;
use crate::remote_assets::{is_remote, remote_refs, FileType};
use crate::site::Site;

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

/// The audits of each page on its own, which only `accord check` reports: missing alt text and
/// skipped heading levels.
pub fn page_warnings(site: &Site) -> Vec<Diagnostic> {
    let review_after = site.config.check.review_after_months;
    let today = Date::today();
    let mut out = Vec::new();
    for page in &site.pages {
        out.extend(missing_alt(page));
        out.extend(skipped_headings(page));
        out.extend(overdue_review(page, review_after, &today));
    }
    out
}

/// A page that states facts and was last checked against its sources (`updated`) more than
/// `months` before `today`: figures "as of" a date, national procedures and memberships change,
/// and a practitioner cannot tell a stale page from a current one. A date as imprecise as
/// `2023` counts as its latest day. `0` months turns the audit off.
pub fn overdue_review(page: &Page, months: u32, today: &Date) -> Option<Diagnostic> {
    if months == 0 || !page.kind.needs_sources() {
        return None;
    }
    let updated = page.meta.date("updated")?;
    if !updated.is_before(&today.months_earlier(months)) {
        return None;
    }
    let at = page.pos("updated");
    Some(
        Diagnostic::warning(
            &page.source,
            at.line,
            at.col,
            format!(
                "last reviewed on {}, more than {months} months ago",
                updated.human()
            ),
        )
        .with_hint(
            "check the page against its sources and set `updated` to the day you did; \
             `review-after-months` under `[check]` in book.toml sets the interval",
        ),
    )
}

/// The audits of the whole rendered site, which only `accord check` reports: orphans, unused
/// glossary terms and the size of the search index.
pub fn site_warnings(
    root: &Path,
    site: &Site,
    frags: &Fragments,
    files: &[OutFile],
) -> Vec<Diagnostic> {
    let mut out = orphans(site, frags);
    out.extend(unused_terms(site, frags));
    out.extend(index_budget(root, site, files));
    tidy(root, out)
}

/// File line of a position in a page's body.
fn file_line(page: &Page, body_line: usize) -> usize {
    page.file_line(body_line)
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
fn orphans(site: &Site, frags: &Fragments) -> Vec<Diagnostic> {
    let Some(home) = site.home() else {
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
    for (t, uses) in frags.term_uses.iter().enumerate() {
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
                .cites()
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

fn unused_terms(site: &Site, frags: &Fragments) -> Vec<Diagnostic> {
    site.glossary()
        .terms
        .iter()
        .zip(&frags.term_uses)
        .filter(|(_, uses)| uses.is_empty())
        .map(|(t, _)| {
            let page = &site.pages[t.page];
            let at = page.pos(page.kind.title_key());
            Diagnostic::warning(
                &page.source,
                at.line,
                at.col,
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
fn index_budget(root: &Path, site: &Site, files: &[OutFile]) -> Option<Diagnostic> {
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

fn content_offline(page: &Page, html: HtmlPolicy) -> Vec<Diagnostic> {
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
    // Without `allow-html` raw HTML is shown as text and loads nothing; with `"safe"` whatever
    // would load from another site is dropped.
    if html == HtmlPolicy::Trusted {
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

/// What an editor of a multilingual site needs to know: in each further language, the pages and
/// glossary terms not yet translated, the translations whose original changed since, and the
/// interface messages the language lacks.
pub fn translation_findings(root: &Path, site: &Site) -> Result<Vec<Diagnostic>> {
    let mut out = Vec::new();
    if site.translations.is_empty() {
        return Ok(out);
    }
    let book = Path::new("book.toml");
    let theme = crate::theme::Theme::load(root, &site.config.build.theme)?;
    for other in &site.translations {
        let code = &other.config.book.language;
        let missing: Vec<&str> = other
            .pages
            .iter()
            .filter(|p| p.language.is_none())
            .map(|p| p.rel.as_str())
            .collect();
        if !missing.is_empty() {
            let terms: Vec<&str> = other
                .pages
                .iter()
                .filter(|p| p.language.is_none() && p.kind == crate::model::Kind::Term)
                .map(|p| p.slug())
                .collect();
            out.push(
                Diagnostic::note(
                    book,
                    0,
                    0,
                    format!(
                        "`{code}`: {} of {} pages not translated yet: {}",
                        missing.len(),
                        other.pages.len(),
                        missing.join(", ")
                    ),
                )
                .with_hint(format!(
                    "they are published in `{code}/` as the original with a note; translate one as `page.{code}.md` beside `page.md`"
                )),
            );
            if !terms.is_empty() {
                out.push(Diagnostic::note(
                    book,
                    0,
                    0,
                    format!(
                        "`{code}`: {} glossary terms have no equivalent yet: {}",
                        terms.len(),
                        terms.join(", ")
                    ),
                ));
            }
        }
        for p in other.pages.iter().filter(|p| p.language.is_some()) {
            let at = p.pos("translated_from");
            match p.meta.text("translated_from") {
                None => out.push(
                    Diagnostic::warning(
                        &p.source,
                        p.pos("translated").line,
                        1,
                        format!("no record of the version of `{}` this translates", p.rel),
                    )
                    .with_hint(format!(
                        "once it matches the original, run `accord translated {}`",
                        p.source.display()
                    )),
                ),
                Some(_) if p.outdated => out.push(
                    Diagnostic::warning(
                        &p.source,
                        at.line,
                        at.col,
                        format!(
                            "outdated translation: `{}` changed since it was translated",
                            p.rel
                        ),
                    )
                    .with_hint(format!(
                        "bring the translation up to date, then run `accord translated {}`",
                        p.source.display()
                    )),
                ),
                Some(_) => {}
            }
        }
        let messages = theme.messages(code);
        let lacking = messages.missing();
        if !theme.messages.contains_key(code) {
            out.push(
                Diagnostic::warning(
                    book,
                    0,
                    0,
                    format!(
                        "no interface messages in `{code}`: the site's labels will be in English"
                    ),
                )
                .with_hint(format!(
                    "add themes/{}/i18n/{code}.toml with the keys of the default theme's en.toml",
                    site.config.build.theme
                )),
            );
        } else if !lacking.is_empty() {
            out.push(
                Diagnostic::warning(
                    book,
                    0,
                    0,
                    format!(
                        "`{code}`: {} interface messages missing, shown in English: {}",
                        lacking.len(),
                        lacking.join(", ")
                    ),
                )
                .with_hint(format!(
                    "add them to themes/{}/i18n/{code}.toml",
                    site.config.build.theme
                )),
            );
        }
    }
    Ok(out)
}
