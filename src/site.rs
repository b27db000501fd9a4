//! The resolve stage: from loaded pages to the site graph.
//!
//! Links are checked, backlinks and related pages gathered, folders ordered, taxonomies and the
//! glossary built. After this stage nothing can fail because of content.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::config::Config;
use crate::content::{stakeholder_label, Kind, Page};
use crate::countries;
use crate::error::{Diagnostic, Error, Result};
use crate::glossary::{Glossary, Linker};
use crate::links::{self, LinkIndex, Target};

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
    /// For each page: the pages that link to it.
    pub backlinks: Vec<Vec<usize>>,
    /// For each page: pages named in `related`, in either direction.
    pub related: Vec<Vec<usize>>,
    /// For each folder: its pages (without its `_index.md`), in reading order.
    pub children: BTreeMap<String, Vec<usize>>,
    /// Top-level sections in reading order: the main navigation.
    pub nav: Vec<usize>,
    pub taxonomies: Vec<Taxonomy>,
    pub linker: Linker,
    /// For each glossary term: the pages that use it.
    pub term_uses: Vec<Vec<usize>>,
    pub warnings: Vec<Diagnostic>,
    /// Page index by path relative to the content directory.
    pub by_rel: HashMap<String, usize>,
    /// For each page: the (taxonomy, term) pairs it is filed under.
    pub page_terms: Vec<Vec<(usize, usize)>>,
}

impl Site {
    /// The lookup tables link resolution needs, borrowed from the site.
    pub fn link_index(&self) -> LinkIndex<'_> {
        LinkIndex {
            by_rel: &self.by_rel,
            assets: &self.assets,
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
        let idx_rel = if dir.is_empty() {
            "_index.md".to_string()
        } else {
            format!("{dir}/_index.md")
        };
        self.page_index(&idx_rel)
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

/// Resolves links, orders pages and builds the graph. Collects every problem before failing.
///
/// Pages that failed to load are absent from `loaded.pages` but named in `loaded.failed`, so the
/// links of the pages that did load are still checked and reported in the same run.
pub fn resolve(config: Config, loaded: crate::content::Loaded) -> Result<Site> {
    let crate::content::Loaded {
        mut pages,
        assets,
        failed,
        diagnostics,
    } = loaded;
    // Stable order everywhere downstream: by path.
    pages.sort_by(|a, b| a.rel.cmp(&b.rel));
    let (mut diags, mut warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
        diagnostics.into_iter().partition(|d| d.is_error());
    let failed_target = |from_dir: &str, url: &str| -> bool {
        let path = url.split(['#', '?']).next().unwrap_or("");
        links::normalize(from_dir, path).is_some_and(|t| {
            failed.iter().any(|f| {
                *f == t || *f == format!("{t}/_index.md") || (t.is_empty() && f == "_index.md")
            })
        })
    };

    let (glossary, gdiags) = Glossary::build(&pages);
    diags.extend(gdiags);

    let by_rel: HashMap<String, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.rel.clone(), i))
        .collect();
    let index = LinkIndex {
        by_rel: &by_rel,
        assets: &assets,
    };

    let mut backlink_sets: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); pages.len()];
    let mut explicit_terms: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); pages.len()];
    for (i, page) in pages.iter().enumerate() {
        for link in &page.analysis.links {
            let line = page.body_line + link.line - 1;
            let err = |message: String, hint: Option<String>| {
                let mut d = Diagnostic::error(&page.source, line, link.col, message);
                d.hint = hint;
                d
            };
            match links::resolve(&link.url, i, page.dir(), &index) {
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

    // `related` and `cites` name pages by their path in the content directory.
    let mut related_sets: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); pages.len()];
    for (i, page) in pages.iter().enumerate() {
        for r in &page.meta.related {
            match index.by_rel.get(r.trim_start_matches("./")) {
                Some(&t) if t != i => {
                    related_sets[i].insert(t);
                    related_sets[t].insert(i);
                }
                Some(_) => {}
                None if failed.iter().any(|f| f == r.trim_start_matches("./")) => {}
                None => diags.push(
                    Diagnostic::error(&page.source, page.key_line("related"), 1, format!("`related` names `{r}`, which does not exist"))
                        .with_hint("write paths relative to the content directory, such as `instruments/untoc.md`"),
                ),
            }
        }
        for c in &page.meta.cites {
            match index.by_rel.get(c.instrument.as_str()) {
                Some(&t) if pages[t].kind == Kind::Instrument => {}
                Some(_) => diags.push(Diagnostic::error(
                    &page.source,
                    page.key_line("cites"),
                    1,
                    format!("`cites` names `{}`, which is not an instrument", c.instrument),
                )),
                None => diags.push(
                    Diagnostic::error(&page.source, page.key_line("cites"), 1, format!("`cites` names `{}`, which does not exist", c.instrument))
                        .with_hint("write paths relative to the content directory, such as `instruments/cets-197.md`"),
                ),
            }
        }
        if let Some(crate::content::Elements::Map(m)) = &page.meta.elements {
            for (element, anchor) in m {
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
                            page.key_line("elements"),
                            1,
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

    let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).cloned().collect();
    if !errors.is_empty() {
        let mut all = errors;
        all.extend(warnings);
        all.sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
        return Err(Error::Content(all));
    }
    warnings.extend(diags);

    let children = order_children(&pages);
    let nav = children
        .get("")
        .map(|_| {
            let mut secs: Vec<usize> = pages
                .iter()
                .enumerate()
                .filter(|(_, p)| p.is_index && !p.dir().is_empty() && !p.dir().contains('/'))
                .map(|(i, _)| i)
                .collect();
            secs.sort_by(|&a, &b| reading_order(&pages[a], &pages[b]));
            secs
        })
        .unwrap_or_default();
    let taxonomies = build_taxonomies(&pages);
    let mut page_terms = vec![Vec::new(); pages.len()];
    for (ti, tax) in taxonomies.iter().enumerate() {
        for (ki, term) in tax.terms.iter().enumerate() {
            for &p in &term.pages {
                page_terms[p].push((ti, ki));
            }
        }
    }
    let linker = Linker::new(glossary, config.glossary.link);

    let mut term_uses = vec![Vec::new(); linker.glossary().terms.len()];
    for (page, terms) in explicit_terms.iter().enumerate() {
        for &t in terms {
            term_uses[t].push(page);
        }
    }

    Ok(Site {
        backlinks: backlink_sets
            .into_iter()
            .map(|s| s.into_iter().collect())
            .collect(),
        related: related_sets
            .into_iter()
            .map(|s| s.into_iter().collect())
            .collect(),
        term_uses,
        config,
        children,
        nav,
        taxonomies,
        linker,
        assets,
        warnings,
        pages,
        by_rel,
        page_terms,
    })
}

/// Anchors that the templates give every page, which Markdown links may target too.
fn is_generated_anchor(a: &str) -> bool {
    matches!(
        a,
        "top" | "content" | "sources" | "referenced-by" | "related"
    )
}

fn reading_order(a: &Page, b: &Page) -> std::cmp::Ordering {
    let wa = a.meta.weight.unwrap_or(i64::MAX);
    let wb = b.meta.weight.unwrap_or(i64::MAX);
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
    crate::markdown::slugify(label)
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
                .regions
                .iter()
                .map(|r| (slug_of(r), r.clone()))
                .collect();
            if let Some(r) = &p.meta.region {
                v.push((slug_of(r), r.clone()));
            }
            v
        }),
        ("countries", "Countries", |p| {
            p.meta
                .countries
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
                .stakeholders
                .iter()
                .map(|s| (s.clone(), stakeholder_label(s)))
                .collect()
        }),
        ("tags", "Tags", |p| {
            p.meta
                .tags
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
