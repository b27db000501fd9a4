//! The resolve stage: from loaded pages to the site graph.
//!
//! Links are checked, backlinks and related pages gathered, folders ordered, taxonomies and the
//! glossary built. Resolve always returns a site together with every problem it found: a broken
//! reference is reported and left out of the graph, so `accord check` can audit the rest of the
//! site in the same run, and `accord build` stops before writing when any problem is an error.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::config::Config;
use crate::content::{Kind, Page};
use crate::countries;
use crate::error::Diagnostic;
use crate::glossary::{Glossary, Linker};
use crate::links::{self, LinkIndex, Target};
use crate::model::stakeholder_label;

/// One value of a taxonomy (a region, a tag, …) and the pages that carry it.
#[derive(Debug, Clone)]
pub struct TaxonomyTerm {
    pub slug: String,
    pub label: String,
    pub pages: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// Folder in the output: `regions`, `tags`, …
    pub name: &'static str,
    pub label: &'static str,
    pub terms: Vec<TaxonomyTerm>,
}

pub struct Site {
    pub config: Config,
    pub pages: Vec<Page>,
    /// Non-Markdown files in the content directory, copied as they are.
    pub assets: Vec<String>,
    /// Symbolic links in the content directory: not followed, not published.
    pub symlinks: Vec<String>,
    /// Markdown files a SUMMARY.md leaves out: not published.
    pub unlisted: Vec<String>,
    /// The table of contents: order, numbering and parts.
    pub toc: crate::toc::Toc,
    /// For each page: the pages that link to it.
    pub backlinks: Vec<Vec<usize>>,
    /// For each instrument page and each of its `articles`: the pages that cite the article.
    pub cited_by: Vec<Vec<Vec<usize>>>,
    /// For each page: pages named in `related`, in either direction.
    pub related: Vec<Vec<usize>>,
    /// For each folder: its pages (without its `_index.md`), in reading order.
    pub children: BTreeMap<String, Vec<usize>>,
    /// Top-level sections in reading order: the main navigation.
    pub nav: Vec<usize>,
    pub taxonomies: Vec<Taxonomy>,
    pub linker: Linker,
    /// For each page: the glossary terms it links explicitly (`glossary:` links).
    pub explicit_terms: Vec<Vec<usize>>,
    /// Page index by path relative to the content directory.
    pub by_rel: HashMap<String, usize>,
    /// For each page: the (taxonomy, term) pairs it is filed under.
    pub page_terms: Vec<Vec<(usize, usize)>>,
    /// The site's languages, the book's own first; one for a site in one language.
    pub languages: Vec<String>,
    /// For each original (by path): the further languages it is translated into.
    pub translated_in: BTreeMap<String, BTreeSet<String>>,
    /// The sites of the further languages, each written under its code (`de/…`); empty in
    /// those sites themselves.
    pub translations: Vec<Site>,
    /// In a further language's site: each translated page's original title, by path.
    pub original_titles: BTreeMap<String, String>,
    /// Each glossary term (by slug) in every language it exists in: one term, one identity,
    /// across the languages of the site.
    pub equivalents: BTreeMap<String, Vec<Equivalent>>,
}

/// A glossary term in one language.
#[derive(Debug, Clone, PartialEq)]
pub struct Equivalent {
    pub language: String,
    pub term: String,
    pub aliases: Vec<String>,
    /// Where an official text in that language uses the term (`term_source`), if one does.
    pub official: Option<String>,
}

impl Site {
    /// The pages' Markdown, taken out of the site for the markdown stage to render and free:
    /// every later stage reads the fragments, and on a large book the sources are a fifth of
    /// what a build holds.
    pub fn take_sources(&mut self) -> Vec<String> {
        self.pages
            .iter_mut()
            .map(|page| std::mem::take(&mut page.body))
            .collect()
    }

    /// Whether this is the site of the book's own language (written at the root).
    pub fn is_default_language(&self) -> bool {
        self.languages
            .first()
            .is_none_or(|l| *l == self.config.book.language)
    }

    /// Where this language's site is written: `""` at the root, else `de/`.
    pub fn prefix(&self) -> String {
        prefix_of(&self.languages, &self.config.book.language)
    }

    /// The languages page `rel` exists in, translated or as the original, in site order.
    pub fn languages_of(&self, rel: &str) -> Vec<&str> {
        let translated = self.translated_in.get(rel);
        self.languages
            .iter()
            .enumerate()
            .filter(|(i, l)| *i == 0 || translated.is_some_and(|t| t.contains(*l)))
            .map(|(_, l)| l.as_str())
            .collect()
    }
}

/// The output folder of `language` among `languages` (the first is the root).
pub fn prefix_of(languages: &[String], language: &str) -> String {
    if languages.first().is_none_or(|l| l == language) {
        String::new()
    } else {
        format!("{language}/")
    }
}

impl Site {
    /// The page of a folder ("" for the home page): its `_index.md`, `index.md` or `README.md`.
    pub fn folder_page(&self, dir: &str) -> Option<usize> {
        crate::content::folder_page_paths(dir).find_map(|p| self.page_index(&p))
    }

    /// The home page.
    pub fn home(&self) -> Option<usize> {
        self.folder_page("")
    }

    /// The lookup tables link resolution needs, borrowed from the site.
    pub fn link_index(&self) -> LinkIndex<'_> {
        LinkIndex {
            by_rel: &self.by_rel,
            assets: &self.assets,
            symlinks: &self.symlinks,
            unlisted: &self.unlisted,
        }
    }

    pub fn page_index(&self, rel: &str) -> Option<usize> {
        self.by_rel.get(rel).copied()
    }

    pub fn glossary(&self) -> &Glossary {
        self.linker.glossary()
    }

    /// The folder `_index.md` page of a page's folder (for a section page: its parent's).
    pub fn parent_of(&self, page: usize) -> Option<usize> {
        let p = &self.pages[page];
        let dir = if p.is_index {
            let d = p.dir();
            if d.is_empty() {
                return None;
            }
            d.rsplit_once('/').map_or("", |(parent, _)| parent)
        } else {
            p.dir()
        };
        self.folder_page(dir)
    }

    /// Whether any page is filed under a kind, region, country, stakeholder or tag: else the
    /// Browse page and its taxonomy pages would be empty.
    pub fn has_facets(&self) -> bool {
        self.taxonomies.iter().any(|t| !t.terms.is_empty())
    }

    /// Whether the comparison matrix has rows.
    pub fn has_matrix(&self) -> bool {
        self.pages.iter().any(|p| p.kind == Kind::Agreement)
    }

    /// Whether some instrument lists key articles: else the Articles view would be empty.
    pub fn has_articles(&self) -> bool {
        self.pages.iter().any(|p| !p.meta.articles().is_empty())
    }

    /// Whether the timeline has items: some page has a date the model places on it.
    pub fn has_timeline(&self) -> bool {
        self.pages.iter().any(|p| {
            p.kind
                .keys()
                .any(|k| k.timeline.is_some() && p.meta.date(k.name).is_some())
        })
    }

    /// Generated pages that belong in the main navigation, as (message key of the title, url):
    /// only those that have something to show.
    pub fn generated_views(&self) -> Vec<(&'static str, &'static str)> {
        let mut out = Vec::new();
        if self.has_matrix() {
            out.push(("nav_matrix", "matrix.html"));
        }
        if self.has_timeline() {
            out.push(("nav_timeline", "timeline.html"));
        }
        if self.has_articles() {
            out.push(("nav_articles", "articles.html"));
        }
        out
    }

    /// Sections from the home page down to the page's parent.
    pub fn breadcrumbs(&self, page: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut cur = self.parent_of(page);
        while let Some(p) = cur {
            out.push(p);
            cur = self.parent_of(p);
            if out.len() > 32 {
                break;
            }
        }
        out.reverse();
        out
    }
}

/// The resolved site and every problem found while loading and resolving it.
pub struct Resolved {
    pub site: Site,
    /// Errors and warnings, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Resolved {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Resolves links, orders pages and builds the graph, reporting every problem.
///
/// Pages that failed to load are absent from `loaded.pages` but named in `loaded.failed`, so the
/// links of the pages that did load are still checked and reported in the same run.
pub fn resolve(config: Config, loaded: crate::content::Loaded) -> Resolved {
    let crate::content::Loaded {
        mut pages,
        assets,
        failed,
        symlinks,
        summary,
        diagnostics,
        translations: _,
    } = loaded;
    // Stable order everywhere downstream: by path.
    pages.sort_by(|a, b| a.rel.cmp(&b.rel));
    let mut diags = diagnostics;
    let summary_path = config.book.src.join(crate::content::SUMMARY);
    let unlisted = match &summary {
        Some(s) => set_aside_unlisted(&mut pages, s, &summary_path, &mut diags),
        None => Vec::new(),
    };
    let (glossary, gdiags) = Glossary::build(&pages);
    diags.extend(gdiags);
    let by_rel: HashMap<String, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.rel.clone(), i))
        .collect();
    let graph = Graph {
        pages: &pages,
        index: LinkIndex {
            by_rel: &by_rel,
            assets: &assets,
            symlinks: &symlinks,
            unlisted: &unlisted,
        },
        failed: &failed,
        glossary: &glossary,
    };
    let (backlinks, explicit_terms) = graph.links(&mut diags);
    let related = graph.related(&mut diags);
    let cited_by = graph.citations(&mut diags);
    graph.element_anchors(&mut diags);
    // A principle that failed to load may be the one that names an element: which elements
    // lack a principle is only known once every page has loaded.
    let all_loaded = failed.is_empty();
    let has_matrix = pages.iter().any(|p| p.kind == Kind::Agreement);
    diags.extend(crate::elements::check(&pages, has_matrix && all_loaded));
    diags.extend(pages.iter().flat_map(crate::content::math_warnings));
    crate::error::sort_diagnostics(&mut diags);

    let children = order_children(&pages);
    let nav = top_sections(&pages, &children);
    let toc = match &summary {
        Some(s) => toc_from_summary(s, &by_rel, &failed, &summary_path, &mut diags),
        None => toc_from_folders(&pages, &children),
    };
    let taxonomies = build_taxonomies(&pages);
    let page_terms = terms_by_page(&taxonomies, pages.len());
    let linker = Linker::new(glossary, config.glossary.link, &config.book.language);
    let config_language = config.book.language.clone();
    let further_languages = config.further_languages();
    let site = Site {
        cited_by,
        backlinks,
        related,
        explicit_terms,
        config,
        children,
        nav,
        taxonomies,
        linker,
        assets,
        symlinks,
        unlisted,
        toc,
        pages,
        by_rel,
        page_terms,
        languages: std::iter::once(config_language)
            .chain(further_languages)
            .collect(),
        translated_in: BTreeMap::new(),
        translations: Vec::new(),
        original_titles: BTreeMap::new(),
        equivalents: BTreeMap::new(),
    };
    Resolved {
        site,
        diagnostics: diags,
    }
}

/// What resolving the references between pages needs.
struct Graph<'a> {
    pages: &'a [Page],
    index: LinkIndex<'a>,
    /// Files that failed to load: references to them are not reported again.
    failed: &'a [String],
    glossary: &'a Glossary,
}

fn sets_to_lists(sets: Vec<BTreeSet<usize>>) -> Vec<Vec<usize>> {
    sets.into_iter().map(|s| s.into_iter().collect()).collect()
}

impl Graph<'_> {
    /// Whether a link points at a file that failed to load.
    fn to_failed(&self, from_dir: &str, url: &str) -> bool {
        let path = url.split(['#', '?']).next().unwrap_or("");
        links::normalize(from_dir, path).is_some_and(|t| {
            self.failed
                .iter()
                .any(|f| *f == t || crate::content::folder_page_paths(&t).any(|p| *f == p))
        })
    }

    /// Checks every Markdown link; returns each page's backlinks and explicit glossary links.
    fn links(&self, diags: &mut Vec<Diagnostic>) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
        let pages = self.pages;
        let index = &self.index;
        let glossary = self.glossary;
        let failed = self.failed;
        let failed_target = |dir: &str, url: &str| self.to_failed(dir, url);
        let mut backlink_sets: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); pages.len()];
        let mut explicit_terms: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); pages.len()];
        for (i, page) in pages.iter().enumerate() {
            for link in &page.analysis.links {
                let line = page.file_line(link.line);
                let err = |message: String, hint: Option<String>| {
                    let mut d = Diagnostic::error(&page.source, line, link.col, message);
                    d.hint = hint;
                    d
                };
                match links::resolve(&link.url, i, page.dir(), index) {
                    Ok(Target::Page {
                        page: target,
                        anchor,
                    }) => {
                        if let Some(a) = anchor {
                            if !pages[target].analysis.has_anchor(&a) && !is_generated_anchor(&a) {
                                let known: Vec<&str> = pages[target]
                                    .analysis
                                    .headings
                                    .iter()
                                    .map(|h| h.id.as_str())
                                    .collect();
                                let hint = crate::error::did_you_mean(&a, &known)
                                    .map(|n| format!("did you mean `#{n}`?"))
                                    .or_else(|| {
                                        (!known.is_empty()).then(|| {
                                            format!("anchors on that page: {}", known.join(", "))
                                        })
                                    });
                                diags.push(err(
                                    format!(
                                        "link `{}`: `{}` has no heading with anchor `#{a}`",
                                        link.url, pages[target].rel
                                    ),
                                    hint,
                                ));
                            }
                        }
                        if target != i {
                            backlink_sets[target].insert(i);
                        }
                    }
                    Ok(Target::Term(slug)) => match glossary.index_of(&slug) {
                        Some(t) => {
                            explicit_terms[i].insert(t);
                        }
                        None if failed.iter().any(|f| *f == format!("glossary/{slug}.md")) => {}
                        None => diags.push(err(
                            format!("link `{}`: no glossary term `{slug}`", link.url),
                            crate::error::did_you_mean(
                                &slug,
                                &glossary
                                    .terms
                                    .iter()
                                    .map(|t| t.slug.as_str())
                                    .collect::<Vec<_>>(),
                            )
                            .map(|n| format!("did you mean `glossary:{n}`?"))
                            .or_else(|| Some(format!("create content/glossary/{slug}.md"))),
                        )),
                    },
                    Ok(Target::External) | Ok(Target::Asset(_)) => {}
                    Err(_) if failed_target(page.dir(), &link.url) => {}
                    Err(e) => diags.push(err(e.message, e.hint)),
                }
            }
        }

        (sets_to_lists(backlink_sets), sets_to_lists(explicit_terms))
    }

    /// `related` pages, shown in both directions.
    fn related(&self, diags: &mut Vec<Diagnostic>) -> Vec<Vec<usize>> {
        let pages = self.pages;
        let index = &self.index;
        let failed = self.failed;
        let mut related_sets: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); pages.len()];
        for (i, page) in pages.iter().enumerate() {
            for (n, r) in page.meta.list("related").iter().enumerate() {
                let at = page.pos(&format!("related[{n}]"));
                match index.by_rel.get(r.trim_start_matches("./")) {
                Some(&t) if t != i => {
                    related_sets[i].insert(t);
                    related_sets[t].insert(i);
                }
                Some(_) => {}
                None if failed.iter().any(|f| f == r.trim_start_matches("./")) => {}
                None => diags.push(
                    Diagnostic::error(&page.source, at.line, at.col, format!("`related` names `{r}`, which does not exist"))
                        .with_hint("write paths relative to the content directory, such as `instruments/untoc.md`"),
                ),
            }
            }
        }
        sets_to_lists(related_sets)
    }

    /// `cites` must name instrument pages and articles those pages list. Returns, for each page
    /// and each of its `articles`, the pages that cite the article (sorted, each once).
    fn citations(&self, diags: &mut Vec<Diagnostic>) -> Vec<Vec<Vec<usize>>> {
        let pages = self.pages;
        let index = &self.index;
        let mut cited_by: Vec<Vec<BTreeSet<usize>>> = pages
            .iter()
            .map(|p| vec![BTreeSet::new(); p.meta.articles().len()])
            .collect();
        for page in pages {
            duplicate_articles(page, diags);
        }
        for (i, page) in pages.iter().enumerate() {
            for (n, c) in page.meta.cites().iter().enumerate() {
                let at = page.pos(&format!("cites[{n}].instrument"));
                let t = match index.by_rel.get(c.instrument.as_str()) {
                    Some(&t) if pages[t].kind == Kind::Instrument => t,
                    Some(_) => {
                        diags.push(Diagnostic::error(
                            &page.source,
                            at.line,
                            at.col,
                            format!(
                                "`cites` names `{}`, which is not an instrument",
                                c.instrument
                            ),
                        ));
                        continue;
                    }
                    None => {
                        diags.push(
                            Diagnostic::error(&page.source, at.line, at.col, format!("`cites` names `{}`, which does not exist", c.instrument))
                                .with_hint("write paths relative to the content directory, such as `instruments/cets-197.md`"),
                        );
                        continue;
                    }
                };
                let listed = pages[t].meta.articles();
                for (m, number) in c.articles.iter().enumerate() {
                    match crate::articles::resolve(listed, number) {
                        Some(a) => {
                            cited_by[t][a].insert(i);
                        }
                        None => {
                            let at = page.pos(&format!("cites[{n}].articles[{m}]"));
                            let numbers: Vec<&str> =
                                listed.iter().map(|a| a.number.as_str()).collect();
                            let hint = if numbers.is_empty() {
                                format!("`{}` lists no `articles`; add `- {{number: \"{number}\", summary: ...}}` to its `articles`", c.instrument)
                            } else {
                                format!(
                                    "articles listed there: {}; add `{number}` to its `articles` or cite one of these",
                                    numbers.join(", ")
                                )
                            };
                            diags.push(
                                Diagnostic::error(
                                    &page.source,
                                    at.line,
                                    at.col,
                                    format!("`cites` names Art. {number} of `{}`, which that page does not list", c.instrument),
                                )
                                .with_hint(hint),
                            );
                        }
                    }
                }
            }
        }
        cited_by
            .into_iter()
            .map(|per_article| {
                per_article
                    .into_iter()
                    .map(|s| s.into_iter().collect())
                    .collect()
            })
            .collect()
    }

    /// An agreement's `elements` must point at headings of its own page.
    fn element_anchors(&self, diags: &mut Vec<Diagnostic>) {
        for page in self.pages {
            if let Some(m) = page.meta.element_map() {
                for (element, anchor) in m {
                    let at = page.pos(&format!("elements.{element}"));
                    if !page.analysis.has_anchor(anchor) {
                        let known: Vec<&str> = page
                            .analysis
                            .headings
                            .iter()
                            .map(|h| h.id.as_str())
                            .collect();
                        diags.push(
                        Diagnostic::error(
                            &page.source,
                            at.line,
                            at.col,
                            format!("element `{element}` points to `#{anchor}`, which is not a heading on this page"),
                        )
                        .with_hint(match crate::error::did_you_mean(anchor, &known) {
                            Some(n) => format!("did you mean `{n}`?"),
                            None => format!("anchors on this page: {}", known.join(", ")),
                        }),
                    );
                    }
                }
            }
        }
    }
}

/// Takes the pages a SUMMARY.md does not list out of the site, as mdBook does, with one warning
/// that lists them. Returns their paths.
fn set_aside_unlisted(
    pages: &mut Vec<Page>,
    summary: &crate::toc::Summary,
    summary_path: &std::path::Path,
    diags: &mut Vec<Diagnostic>,
) -> Vec<String> {
    fn listed(c: &crate::toc::SummaryChapter, out: &mut BTreeSet<String>) {
        if let Some(p) = &c.path {
            out.insert(p.clone());
        }
        for child in &c.children {
            listed(child, out);
        }
    }
    let mut paths = BTreeSet::new();
    for e in &summary.entries {
        if let crate::toc::SummaryEntry::Chapter(c) = e {
            listed(c, &mut paths);
        }
    }
    let unlisted: Vec<String> = pages
        .iter()
        .filter(|p| !paths.contains(&p.rel))
        .map(|p| p.rel.clone())
        .collect();
    pages.retain(|p| paths.contains(&p.rel));
    if !unlisted.is_empty() {
        diags.push(
            Diagnostic::warning(
                summary_path,
                0,
                0,
                format!(
                    "{} Markdown file{} not in SUMMARY.md, so not published: {}",
                    unlisted.len(),
                    if unlisted.len() == 1 { " is" } else { "s are" },
                    unlisted.join(", ")
                ),
            )
            .with_hint("add them to SUMMARY.md to publish them"),
        );
    }
    unlisted
}

/// The contents a SUMMARY.md gives, each chapter matched with its page.
fn toc_from_summary(
    summary: &crate::toc::Summary,
    by_rel: &HashMap<String, usize>,
    failed: &[String],
    summary_path: &std::path::Path,
    diags: &mut Vec<Diagnostic>,
) -> crate::toc::Toc {
    use crate::toc::{number_label, Chapter, Entry, SummaryChapter, SummaryEntry};
    fn chapter(
        c: &SummaryChapter,
        by_rel: &HashMap<String, usize>,
        failed: &[String],
        summary_path: &std::path::Path,
        seen: &mut BTreeSet<String>,
        diags: &mut Vec<Diagnostic>,
    ) -> Chapter {
        let page = c.path.as_ref().and_then(|p| {
            if !seen.insert(p.clone()) {
                diags.push(Diagnostic::error(
                    summary_path,
                    c.line,
                    c.col,
                    format!("`{p}` is listed twice in SUMMARY.md"),
                ));
                return None;
            }
            let found = by_rel.get(p.as_str()).copied();
            // A file that could not be read has had its own errors reported.
            if found.is_none() && !failed.contains(p) {
                diags.push(
                    Diagnostic::error(
                        summary_path,
                        c.line,
                        c.col,
                        format!("chapter `{}` names `{p}`, which does not exist", c.title),
                    )
                    .with_hint("create the file, fix the path (relative to SUMMARY.md), or write `[Title]()` for a draft"),
                );
            }
            found
        });
        Chapter {
            title: c.title.clone(),
            page,
            number: c.number.as_deref().map(number_label),
            children: c
                .children
                .iter()
                .map(|ch| chapter(ch, by_rel, failed, summary_path, seen, diags))
                .collect(),
        }
    }
    let mut seen = BTreeSet::new();
    let entries = summary
        .entries
        .iter()
        .map(|e| match e {
            SummaryEntry::Part(t) => Entry::Part(t.clone()),
            SummaryEntry::Separator => Entry::Separator,
            SummaryEntry::Chapter(c) => {
                Entry::Chapter(chapter(c, by_rel, failed, summary_path, &mut seen, diags))
            }
        })
        .collect();
    crate::toc::Toc::new(entries)
}

/// The contents of a site without SUMMARY.md: the home page, then each folder page followed by
/// its pages, in reading order; pages of folders without a folder page come last.
fn toc_from_folders(pages: &[Page], children: &BTreeMap<String, Vec<usize>>) -> crate::toc::Toc {
    use crate::toc::{Chapter, Entry};
    fn chapters(
        dir: &str,
        pages: &[Page],
        children: &BTreeMap<String, Vec<usize>>,
        depth: usize,
    ) -> Vec<Chapter> {
        children
            .get(dir)
            .into_iter()
            .flatten()
            .map(|&c| Chapter {
                title: pages[c].title.clone(),
                page: Some(c),
                number: None,
                // Folder nesting is bounded by the file system, but keep the walk shallow.
                children: if pages[c].is_index && depth < 32 {
                    chapters(pages[c].dir(), pages, children, depth + 1)
                } else {
                    Vec::new()
                },
            })
            .collect()
    }
    let mut entries = Vec::new();
    let home = pages.iter().position(|p| p.is_index && p.dir().is_empty());
    if let Some(h) = home {
        entries.push(Entry::Chapter(Chapter {
            title: pages[h].title.clone(),
            page: Some(h),
            number: None,
            children: Vec::new(),
        }));
    }
    entries.extend(
        chapters("", pages, children, 0)
            .into_iter()
            .map(Entry::Chapter),
    );
    let mut toc = crate::toc::Toc::new(entries);
    let rest: Vec<usize> = (0..pages.len())
        .filter(|i| !toc.ancestors.contains_key(i))
        .collect();
    if !rest.is_empty() {
        let mut entries = toc.entries.clone();
        entries.extend(rest.into_iter().map(|p| {
            Entry::Chapter(Chapter {
                title: pages[p].title.clone(),
                page: Some(p),
                number: None,
                children: Vec::new(),
            })
        }));
        toc = crate::toc::Toc::new(entries);
    }
    toc
}

/// Top-level sections in reading order: the main navigation.
fn top_sections(pages: &[Page], children: &BTreeMap<String, Vec<usize>>) -> Vec<usize> {
    if !children.contains_key("") {
        return Vec::new();
    }
    let mut secs: Vec<usize> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.is_index && !p.dir().is_empty() && !p.dir().contains('/'))
        .map(|(i, _)| i)
        .collect();
    secs.sort_by(|&a, &b| reading_order(&pages[a], &pages[b]));
    secs
}

/// For each page: the (taxonomy, term) pairs it is filed under.
fn terms_by_page(taxonomies: &[Taxonomy], pages: usize) -> Vec<Vec<(usize, usize)>> {
    let mut page_terms = vec![Vec::new(); pages];
    for (ti, tax) in taxonomies.iter().enumerate() {
        for (ki, term) in tax.terms.iter().enumerate() {
            for &p in &term.pages {
                page_terms[p].push((ti, ki));
            }
        }
    }
    page_terms
}

/// Anchors that the templates give every page, which Markdown links may target too.
/// Two entries of one instrument's `articles` with the same number would share an anchor.
fn duplicate_articles(page: &Page, diags: &mut Vec<Diagnostic>) {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for (n, a) in page.meta.articles().iter().enumerate() {
        if !seen.insert(a.number.as_str()) {
            let at = page.pos(&format!("articles[{n}].number"));
            diags.push(Diagnostic::error(
                &page.source,
                at.line,
                at.col,
                format!("article `{}` is listed twice", a.number),
            ));
        }
    }
}

fn is_generated_anchor(a: &str) -> bool {
    matches!(
        a,
        "top" | "content" | "sources" | "referenced-by" | "related"
    )
}

fn reading_order(a: &Page, b: &Page) -> std::cmp::Ordering {
    let wa = a.meta.int("weight").unwrap_or(i64::MAX);
    let wb = b.meta.int("weight").unwrap_or(i64::MAX);
    wa.cmp(&wb)
        .then_with(|| a.title.to_lowercase().cmp(&b.title.to_lowercase()))
        .then_with(|| a.rel.cmp(&b.rel))
}

fn order_children(pages: &[Page]) -> BTreeMap<String, Vec<usize>> {
    let mut children: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, p) in pages.iter().enumerate() {
        if p.is_index {
            // A section page is a child of its parent folder.
            let d = p.dir();
            if d.is_empty() {
                children.entry(String::new()).or_default();
                continue;
            }
            let parent = d.rsplit_once('/').map_or("", |(parent, _)| parent);
            children.entry(parent.to_string()).or_default().push(i);
            children.entry(d.to_string()).or_default();
        } else {
            children.entry(p.dir().to_string()).or_default().push(i);
        }
    }
    for list in children.values_mut() {
        list.sort_by(|&a, &b| reading_order(&pages[a], &pages[b]));
    }
    children
}

pub fn slug_of(label: &str) -> String {
    crate::slug::slugify(label)
}

fn build_taxonomies(pages: &[Page]) -> Vec<Taxonomy> {
    type Getter = fn(&Page) -> Vec<(String, String)>;
    let defs: [(&'static str, &'static str, Getter); 5] = [
        ("kinds", "Kinds", |p| {
            if p.is_index || p.kind == Kind::Page {
                vec![]
            } else {
                vec![(
                    p.kind.as_str().to_string(),
                    p.kind.plural_label().to_string(),
                )]
            }
        }),
        ("regions", "Regions", |p| {
            let mut v: Vec<(String, String)> = p
                .meta
                .list("regions")
                .iter()
                .map(|r| (slug_of(r), r.clone()))
                .collect();
            if let Some(r) = p.meta.text("region") {
                v.push((slug_of(r), r.to_string()));
            }
            v
        }),
        ("countries", "Countries", |p| {
            p.meta
                .list("countries")
                .iter()
                .map(|c| {
                    (
                        c.to_lowercase(),
                        countries::name(c).unwrap_or(c).to_string(),
                    )
                })
                .collect()
        }),
        ("stakeholders", "Stakeholders", |p| {
            p.meta
                .list("stakeholders")
                .iter()
                .map(|s| (s.clone(), stakeholder_label(s)))
                .collect()
        }),
        ("tags", "Tags", |p| {
            p.meta
                .list("tags")
                .iter()
                .map(|t| (slug_of(t), t.clone()))
                .collect()
        }),
    ];
    defs.into_iter()
        .map(|(name, label, get)| {
            let mut terms: BTreeMap<String, TaxonomyTerm> = BTreeMap::new();
            for (i, p) in pages.iter().enumerate() {
                let mut seen = HashMap::new();
                for (slug, l) in get(p) {
                    if seen.insert(slug.clone(), ()).is_some() {
                        continue;
                    }
                    terms
                        .entry(slug.clone())
                        .or_insert_with(|| TaxonomyTerm {
                            slug,
                            label: l,
                            pages: Vec::new(),
                        })
                        .pages
                        .push(i);
                }
            }
            let mut terms: Vec<TaxonomyTerm> = terms.into_values().collect();
            for t in &mut terms {
                t.pages
                    .sort_by(|&a, &b| reading_order(&pages[a], &pages[b]));
            }
            terms.sort_by_key(|t| t.label.to_lowercase());
            Taxonomy { name, label, terms }
        })
        .collect()
}
