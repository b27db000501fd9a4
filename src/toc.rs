//! The table of contents: the book's order, numbering and parts.
//!
//! A book with an mdBook `SUMMARY.md` takes its contents from it, with mdBook's grammar: an
//! optional title, prefix chapters, parts (`# Part title`), nested numbered chapters, separators
//! (`---`), draft chapters (`[Title]()`) and suffix chapters. Any other site gets its contents
//! from its folders: each folder page followed by its pages by `weight`, then title.
//!
//! The contents give the sidebar, previous/next links, the printable document's order and
//! numbering, and search breadcrumbs.

use std::collections::HashMap;
use std::path::Path;

use comrak::nodes::{AstNode, NodeValue};
use comrak::{parse_document, Arena};

use crate::error::Diagnostic;

/// A chapter as SUMMARY.md names it, before it is matched with a page.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryChapter {
    pub title: String,
    /// Path relative to the content folder; `None` for a draft chapter.
    pub path: Option<String>,
    /// `[1, 2]` for chapter 1.2; `None` for prefix and suffix chapters.
    pub number: Option<Vec<u32>>,
    pub line: usize,
    pub col: usize,
    pub children: Vec<SummaryChapter>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SummaryEntry {
    Part(String),
    Separator,
    Chapter(SummaryChapter),
}

/// SUMMARY.md, read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Summary {
    pub title: Option<String>,
    pub entries: Vec<SummaryEntry>,
}

impl Summary {
    /// The files its chapters name (relative to the content folder), to look each page up
    /// once rather than walking the whole summary for every file.
    pub fn listed(&self) -> std::collections::HashSet<&str> {
        fn walk<'s>(c: &'s SummaryChapter, out: &mut std::collections::HashSet<&'s str>) {
            if let Some(p) = c.path.as_deref() {
                out.insert(p);
            }
            for ch in &c.children {
                walk(ch, out);
            }
        }
        let mut out = std::collections::HashSet::new();
        for e in &self.entries {
            if let SummaryEntry::Chapter(c) = e {
                walk(c, &mut out);
            }
        }
        out
    }
}

/// Where chapters stand while SUMMARY.md is read: mdBook allows prefix chapters only before the
/// numbered ones, and suffix chapters only after them.
#[derive(PartialEq, PartialOrd)]
enum Phase {
    Prefix,
    Numbered,
    Suffix,
}

/// Reads SUMMARY.md. `source` is its path as diagnostics show it; links in it are relative to
/// the content folder, which holds it.
pub fn parse_summary(text: &str, source: &Path) -> (Summary, Vec<Diagnostic>) {
    let arena = Arena::new();
    let root = parse_document(&arena, text, &crate::markdown::options());
    let mut summary = Summary::default();
    let mut diags = Vec::new();
    let mut phase = Phase::Prefix;
    let mut number = 0u32;
    let mut seen_any = false;
    for block in root.children() {
        let value = block.data.borrow().value.clone();
        let pos = block.data.borrow().sourcepos.start;
        match value {
            NodeValue::Heading(_) => {
                let title = plain_text(block);
                if !seen_any && summary.title.is_none() {
                    summary.title = Some(title);
                } else {
                    summary.entries.push(SummaryEntry::Part(title));
                    if phase == Phase::Suffix {
                        phase = Phase::Numbered;
                    }
                }
            }
            NodeValue::ThematicBreak => summary.entries.push(SummaryEntry::Separator),
            NodeValue::Paragraph => {
                if phase == Phase::Numbered {
                    phase = Phase::Suffix;
                }
                let links = paragraph_links(block);
                if links.is_empty() {
                    diags.push(
                        Diagnostic::error(source, pos.line, pos.column, "text in SUMMARY.md that is not a chapter link")
                            .with_hint("write `[Title](file.md)`; a list item (`- [Title](file.md)`) makes a numbered chapter"),
                    );
                }
                for (title, path, line, col) in links {
                    summary.entries.push(SummaryEntry::Chapter(SummaryChapter {
                        title,
                        path,
                        number: None,
                        line,
                        col,
                        children: Vec::new(),
                    }));
                }
            }
            NodeValue::List(_) => {
                if phase == Phase::Suffix {
                    diags.push(
                        Diagnostic::error(source, pos.line, pos.column, "numbered chapters after suffix chapters")
                            .with_hint("put suffix chapters (links outside a list) after the last list, or start a part with `# Title`"),
                    );
                }
                phase = Phase::Numbered;
                for item in block.children() {
                    number += 1;
                    if let Some(ch) = list_chapter(item, vec![number], source, &mut diags) {
                        summary.entries.push(SummaryEntry::Chapter(ch));
                    }
                }
            }
            NodeValue::HtmlBlock(_) => {}
            _ => diags.push(
                Diagnostic::error(source, pos.line, pos.column, "SUMMARY.md may only hold a title, part titles, chapter links, lists of chapter links and `---` separators")
                    .with_hint("see mdBook's SUMMARY.md format"),
            ),
        }
        seen_any = true;
    }
    (summary, diags)
}

/// A numbered chapter: the list item's link, and its nested list as sub-chapters.
fn list_chapter<'a>(
    item: &'a AstNode<'a>,
    number: Vec<u32>,
    source: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Option<SummaryChapter> {
    let pos = item.data.borrow().sourcepos.start;
    let mut chapter: Option<SummaryChapter> = None;
    let mut sub = 0u32;
    let mut children = Vec::new();
    for child in item.children() {
        let is_list = matches!(child.data.borrow().value, NodeValue::List(_));
        if is_list {
            for grandchild in child.children() {
                sub += 1;
                let mut n = number.clone();
                n.push(sub);
                children.extend(list_chapter(grandchild, n, source, diags));
            }
        } else if chapter.is_none() {
            let mut links = paragraph_links(child);
            if links.len() == 1 {
                let (title, path, line, col) = links.remove(0);
                chapter = Some(SummaryChapter {
                    title,
                    path,
                    number: Some(number.clone()),
                    line,
                    col,
                    children: Vec::new(),
                });
            }
        }
    }
    match chapter {
        Some(mut c) => {
            c.children = children;
            Some(c)
        }
        None => {
            diags.push(
                Diagnostic::error(
                    source,
                    pos.line,
                    pos.column,
                    "a list item in SUMMARY.md must be one chapter link",
                )
                .with_hint(
                    "write `- [Title](file.md)`, or `- [Title]()` for a chapter not written yet",
                ),
            );
            None
        }
    }
}

/// The links of a paragraph: (title, path or `None` for a draft, line, column).
fn paragraph_links<'a>(block: &'a AstNode<'a>) -> Vec<(String, Option<String>, usize, usize)> {
    block
        .descendants()
        .filter_map(|n| {
            let data = n.data.borrow();
            let NodeValue::Link(l) = &data.value else {
                return None;
            };
            let url = l.url.trim();
            let path = (!url.is_empty()).then(|| {
                let p = percent_encoding::percent_decode_str(url.split('#').next().unwrap_or(url))
                    .decode_utf8_lossy()
                    .into_owned();
                p.trim_start_matches("./").to_string()
            });
            let pos = data.sourcepos.start;
            drop(data);
            Some((plain_text(n), path, pos.line, pos.column))
        })
        .collect()
}

fn plain_text<'a>(node: &'a AstNode<'a>) -> String {
    let mut text = String::new();
    crate::markdown::collect_text(node, &mut text);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One entry of the resolved contents.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    Part(String),
    Separator,
    Chapter(Chapter),
}

/// A chapter matched with its page.
#[derive(Debug, Clone, PartialEq)]
pub struct Chapter {
    pub title: String,
    /// The page; `None` for a draft chapter.
    pub page: Option<usize>,
    /// "1.2." for a numbered chapter.
    pub number: Option<String>,
    pub children: Vec<Chapter>,
}

/// The contents of the site, and each page's place in them.
#[derive(Debug, Clone, Default)]
pub struct Toc {
    pub entries: Vec<Entry>,
    /// Pages in reading order (drafts have none).
    pub order: Vec<usize>,
    /// For each page in the contents: the chapter numbers (as written) of the chapters above it.
    pub ancestors: HashMap<usize, Vec<usize>>,
    /// For each page: its chapter number, if numbered.
    pub numbers: HashMap<usize, String>,
    /// For each page in the contents: its place in `order`. Every page asks for its
    /// neighbours, so a scan of `order` each time would grow with the square of the site.
    position: HashMap<usize, usize>,
    /// Number of chapters, drafts included: asked once per page, so counted once.
    chapters: usize,
}

impl Toc {
    /// Builds the bookkeeping (order, ancestors, numbers) from the entries.
    pub fn new(entries: Vec<Entry>) -> Toc {
        fn walk(c: &Chapter, above: &mut Vec<usize>, toc: &mut Toc) {
            toc.chapters += 1;
            if let Some(p) = c.page {
                if !toc.ancestors.contains_key(&p) {
                    toc.position.insert(p, toc.order.len());
                    toc.order.push(p);
                    toc.ancestors.insert(p, above.clone());
                    if let Some(n) = &c.number {
                        toc.numbers.insert(p, n.clone());
                    }
                }
                above.push(p);
            }
            for child in &c.children {
                walk(child, above, toc);
            }
            if c.page.is_some() {
                above.pop();
            }
        }
        let mut toc = Toc::default();
        for e in &entries {
            if let Entry::Chapter(c) = e {
                walk(c, &mut Vec::new(), &mut toc);
            }
        }
        toc.entries = entries;
        toc
    }

    /// The page before and after `page` in reading order.
    pub fn neighbours(&self, page: usize) -> (Option<usize>, Option<usize>) {
        let Some(&i) = self.position.get(&page) else {
            return (None, None);
        };
        (
            i.checked_sub(1).map(|j| self.order[j]),
            self.order.get(i + 1).copied(),
        )
    }

    /// Number of chapters, drafts included.
    pub fn len(&self) -> usize {
        self.chapters
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}

/// "1.2." as mdBook writes chapter numbers.
pub fn number_label(n: &[u32]) -> String {
    n.iter().map(|x| format!("{x}.")).collect()
}

/// One entry of a page's own contents ("On this page"): a section heading (h2) with the
/// subsections (h3) under it, numbered as they nest ("2", "2.1").
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PageSection<'a> {
    pub text: &'a str,
    pub id: &'a str,
    pub number: String,
    pub children: Vec<PageSection<'a>>,
}

/// The page's contents from its headings: h2 starts a section, h3 belongs to the h2 before it.
/// An h3 with no h2 before it stands at the top level, numbered in turn with the sections, so
/// no heading is lost or numbered twice. Other levels are not listed.
pub fn page_sections(headings: &[crate::markdown::Heading]) -> Vec<PageSection<'_>> {
    let mut out: Vec<PageSection> = Vec::new();
    let mut in_section = false;
    for h in headings {
        let entry = |number: String| PageSection {
            text: &h.text,
            id: &h.id,
            number,
            children: Vec::new(),
        };
        match h.level {
            2 => {
                out.push(entry((out.len() + 1).to_string()));
                in_section = true;
            }
            3 if in_section => {
                if let Some(parent) = out.last_mut() {
                    let number = format!("{}.{}", parent.number, parent.children.len() + 1);
                    parent.children.push(entry(number));
                }
            }
            3 => out.push(entry((out.len() + 1).to_string())),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mdbook_summary_grammar() {
        let text = "# Summary\n\n[Introduction](README.md)\n\n---\n\n# Guide\n\n- [Install](guide/install.md)\n- [Use](guide/use.md)\n    - [Build](guide/build.md)\n    - [Draft]()\n\n# Reference\n\n- [Config](ref/config.md)\n\n---\n\n[Contributors](contributors.md)\n";
        let (s, d) = parse_summary(text, Path::new("src/SUMMARY.md"));
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(s.title.as_deref(), Some("Summary"));
        let ch =
            |title: &str, path: Option<&str>, number: Option<Vec<u32>>, line, col, children| {
                SummaryEntry::Chapter(SummaryChapter {
                    title: title.into(),
                    path: path.map(String::from),
                    number,
                    line,
                    col,
                    children,
                })
            };
        let sub = |e: SummaryEntry| match e {
            SummaryEntry::Chapter(c) => c,
            _ => unreachable!(),
        };
        assert_eq!(
            s.entries,
            vec![
                ch("Introduction", Some("README.md"), None, 3, 1, vec![]),
                SummaryEntry::Separator,
                SummaryEntry::Part("Guide".into()),
                ch(
                    "Install",
                    Some("guide/install.md"),
                    Some(vec![1]),
                    9,
                    3,
                    vec![]
                ),
                ch(
                    "Use",
                    Some("guide/use.md"),
                    Some(vec![2]),
                    10,
                    3,
                    vec![
                        sub(ch(
                            "Build",
                            Some("guide/build.md"),
                            Some(vec![2, 1]),
                            11,
                            7,
                            vec![]
                        )),
                        sub(ch("Draft", None, Some(vec![2, 2]), 12, 7, vec![])),
                    ]
                ),
                SummaryEntry::Part("Reference".into()),
                ch(
                    "Config",
                    Some("ref/config.md"),
                    Some(vec![3]),
                    16,
                    3,
                    vec![]
                ),
                SummaryEntry::Separator,
                ch("Contributors", Some("contributors.md"), None, 20, 1, vec![]),
            ]
        );
    }

    #[test]
    fn summary_mistakes_are_errors_with_places() {
        let (_, d) = parse_summary(
            "- [A](a.md)\n\n[Suffix](s.md)\n\n- [B](b.md)\n\n- plain text\n",
            Path::new("src/SUMMARY.md"),
        );
        let msgs: Vec<String> = d.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            msgs,
            [
                "src/SUMMARY.md:5:1: error: numbered chapters after suffix chapters\n  hint: put suffix chapters (links outside a list) after the last list, or start a part with `# Title`",
                "src/SUMMARY.md:7:1: error: a list item in SUMMARY.md must be one chapter link\n  hint: write `- [Title](file.md)`, or `- [Title]()` for a chapter not written yet",
            ]
        );
    }

    #[test]
    fn page_sections_nest_subsections_under_their_section_and_number_them() {
        let h = |level, text: &str| crate::markdown::Heading {
            level,
            text: text.into(),
            id: text.to_lowercase(),
            line: 1,
        };
        let headings = [
            h(3, "Before"),
            h(2, "One"),
            h(3, "Sub"),
            h(4, "Deep"),
            h(3, "Sub2"),
            h(2, "Two"),
            h(1, "Title"),
        ];
        let flat: Vec<(String, &str, usize)> = page_sections(&headings)
            .iter()
            .flat_map(|s| {
                std::iter::once((s.number.clone(), s.text, 0))
                    .chain(s.children.iter().map(|c| (c.number.clone(), c.text, 1)))
            })
            .collect();
        assert_eq!(
            flat,
            [
                ("1".to_string(), "Before", 0),
                ("2".to_string(), "One", 0),
                ("2.1".to_string(), "Sub", 1),
                ("2.2".to_string(), "Sub2", 1),
                ("3".to_string(), "Two", 0),
            ]
        );
    }
}
