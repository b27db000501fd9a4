//! The render stage: Markdown fragments, then Tera pages, in parallel.
//!
//! Templates receive plain data: every decision (what a fact row says, which pages are related,
//! how a date reads) is made here, so a theme only arranges it.

use std::collections::{BTreeMap, BTreeSet};

use indicatif::ProgressBar;
use rayon::prelude::*;
use serde::Serialize;

use crate::content::{element_label, Elements, Kind, Page};
use crate::error::{Diagnostic, Error, Result};
use crate::glossary::PageLinker;
use crate::links::{self, Target};
use crate::markdown::{self, RenderInput, SectionText};
use crate::site::Site;
use crate::theme::Theme;

/// A file of the finished site, by its path relative to the site root.
pub struct OutFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// One page's Markdown, rendered.
#[derive(Clone)]
pub struct Fragment {
    pub html: String,
    pub sections: Vec<SectionText>,
    pub terms_used: Vec<usize>,
}

/// Renders every page's Markdown with links rewritten and glossary terms linked, and records
/// where each term is used.
pub fn fragments(site: &mut Site) -> Vec<Fragment> {
    let frags: Vec<Fragment> = (0..site.pages.len())
        .into_par_iter()
        .map(|i| fragment_for(site, i, &site.pages[i].url))
        .collect();
    record_term_uses(site, &frags);
    frags
}

/// Adds the glossary terms each fragment links to `site.term_uses`. Separate from [`fragments`]
/// so that `accord serve` can reuse the fragments of unchanged pages.
pub fn record_term_uses(site: &mut Site, frags: &[Fragment]) {
    for (page, f) in frags.iter().enumerate() {
        for &t in &f.terms_used {
            if !site.term_uses[t].contains(&page) {
                site.term_uses[t].push(page);
            }
        }
    }
    for uses in &mut site.term_uses {
        uses.sort_unstable();
    }
}

/// Renders one page's Markdown as if it were placed at `at` (its own URL, or the print page).
pub fn fragment_for(site: &Site, i: usize, at: &str) -> Fragment {
    let page = &site.pages[i];
    let index = site.link_index();
    let rewrite = |url: &str| -> String {
        match links::resolve(url, i, page.dir(), &index) {
            Ok(Target::Page { page: t, anchor }) => match anchor {
                Some(a) if t == i && at == page.url => format!("#{a}"),
                Some(a) => format!("{}#{a}", links::relative_href(at, &site.pages[t].url)),
                None => links::relative_href(at, &site.pages[t].url),
            },
            Ok(Target::Asset(a)) => links::relative_href(at, &a),
            Ok(Target::Term(slug)) => match site.glossary().index_of(&slug) {
                Some(t) => links::relative_href(at, &site.glossary().terms[t].url),
                None => url.to_string(),
            },
            Ok(Target::External) | Err(_) => url.to_string(),
        }
    };
    let own_term = (page.kind == Kind::Term)
        .then(|| site.glossary().index_of(page.slug()))
        .flatten();
    let linker = PageLinker {
        linker: &site.linker,
        root: links::root_of(at),
        own_term,
        enabled: page.meta.glossary != Some(false),
    };
    let r = markdown::render(&RenderInput {
        body: &page.body,
        headings: &page.analysis.headings,
        allow_html: site.config.build.allow_html,
        rewrite_link: &rewrite,
        glossary: Some(&linker),
    });
    Fragment {
        html: r.html,
        sections: r.sections,
        terms_used: r.terms_used,
    }
}

/// "2009-03-30" → "30 March 2009"; "2009-03" → "March 2009".
pub fn human_date(d: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let parts: Vec<&str> = d.split('-').collect();
    let month = |m: &str| {
        m.parse::<usize>()
            .ok()
            .and_then(|m| MONTHS.get(m.wrapping_sub(1)))
            .copied()
    };
    match parts.as_slice() {
        [y, m, day] => match (month(m), day.parse::<u32>()) {
            (Some(m), Ok(day)) => format!("{day} {m} {y}"),
            _ => d.to_string(),
        },
        [y, m] => month(m).map_or_else(|| d.to_string(), |m| format!("{m} {y}")),
        _ => d.to_string(),
    }
}

/// A date as RFC 3339, for feeds and sitemaps.
pub fn iso_datetime(d: &str) -> String {
    let parts: Vec<&str> = d.split('-').collect();
    match parts.as_slice() {
        [y, m, day] => format!("{y}-{m}-{day}T00:00:00Z"),
        [y, m] => format!("{y}-{m}-01T00:00:00Z"),
        [y] => format!("{y}-01-01T00:00:00Z"),
        _ => "1970-01-01T00:00:00Z".into(),
    }
}

fn date_range(from: Option<&str>, to: Option<&str>) -> Option<String> {
    match (from, to) {
        (Some(a), Some(b)) => Some(format!("{} – {}", human_date(a), human_date(b))),
        (Some(a), None) => Some(human_date(a)),
        (None, Some(b)) => Some(format!("until {}", human_date(b))),
        (None, None) => None,
    }
}

#[derive(Serialize, Clone)]
pub struct NavItem {
    pub title: String,
    pub url: String,
    /// Pages under this folder mark the item as current.
    pub prefix: String,
}

#[derive(Serialize)]
pub struct SiteCtx {
    pub title: String,
    pub description: String,
    pub language: String,
    pub base_url: String,
    pub nav: Vec<NavItem>,
    pub version: &'static str,
    pub built: String,
}

#[derive(Serialize, Clone)]
pub struct LinkItem {
    pub title: String,
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind_label: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

#[derive(Serialize)]
struct Fact {
    label: &'static str,
    value: String,
    href: Option<String>,
    external: Option<String>,
}

/// Facts with the same label shown as one row ("Covers: Roles, Referral").
#[derive(Serialize)]
struct FactRow {
    label: &'static str,
    items: Vec<Fact>,
}

fn group_facts(facts: Vec<Fact>) -> Vec<FactRow> {
    let mut rows: Vec<FactRow> = Vec::new();
    for f in facts {
        match rows.last_mut() {
            Some(r) if r.label == f.label => r.items.push(f),
            _ => rows.push(FactRow {
                label: f.label,
                items: vec![f],
            }),
        }
    }
    rows
}

#[derive(Serialize)]
struct SourceCtx {
    title: String,
    publisher: Option<String>,
    date: Option<String>,
    url: Option<String>,
}

#[derive(Serialize)]
struct CiteCtx {
    title: String,
    url: String,
    articles: Vec<String>,
}

#[derive(Serialize)]
struct TaxCtx {
    label: &'static str,
    items: Vec<LinkItem>,
}

#[derive(Serialize)]
struct TermCtx {
    see_also: Vec<LinkItem>,
    used_on: Vec<LinkItem>,
}

#[derive(Serialize)]
struct GlossaryLetter {
    letter: String,
    terms: Vec<GlossaryEntry>,
}

#[derive(Serialize)]
struct GlossaryEntry {
    title: String,
    url: String,
    definition: String,
    abbreviation: Option<String>,
}

#[derive(Serialize)]
struct PageCtx<'a> {
    site: &'a SiteCtx,
    root: String,
    url: &'a str,
    title: &'a str,
    kind: &'static str,
    kind_label: &'static str,
    summary: Option<&'a str>,
    content: &'a str,
    toc: Vec<&'a markdown::Heading>,
    facts: Vec<FactRow>,
    sources: Vec<SourceCtx>,
    cites: Vec<CiteCtx>,
    related: Vec<LinkItem>,
    suggestions: Vec<LinkItem>,
    backlinks: Vec<LinkItem>,
    breadcrumbs: Vec<LinkItem>,
    children: Vec<LinkItem>,
    taxonomies: Vec<TaxCtx>,
    updated: Option<String>,
    updated_iso: Option<String>,
    term: Option<TermCtx>,
    glossary: Vec<GlossaryLetter>,
}

pub fn link_item(site: &Site, i: usize) -> LinkItem {
    let p = &site.pages[i];
    LinkItem {
        title: p.title.clone(),
        url: p.url.clone(),
        summary: p.meta.summary.clone().or_else(|| p.meta.definition.clone()),
        kind_label: (p.kind != Kind::Page && !p.is_index).then(|| p.kind.label()),
        date: key_date_label(p),
    }
}

fn key_date_label(p: &Page) -> Option<String> {
    let m = &p.meta;
    match p.kind {
        Kind::Instrument => m
            .adopted
            .as_deref()
            .map(|d| format!("Adopted {}", human_date(d))),
        Kind::Agreement => m
            .signed
            .as_deref()
            .map(|d| format!("Signed {}", human_date(d))),
        Kind::Initiative => date_range(m.started.as_deref(), m.ended.as_deref()),
        Kind::Event => date_range(m.date.as_deref(), m.end_date.as_deref()),
        Kind::Organisation => m
            .founded
            .as_deref()
            .map(|d| format!("Founded {}", human_date(d))),
        _ => None,
    }
}

fn facts(site: &Site, p: &Page) -> Vec<Fact> {
    let m = &p.meta;
    let mut out = Vec::new();
    let mut push = |label: &'static str, value: Option<String>| {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            out.push(Fact {
                label,
                value,
                href: None,
                external: None,
            });
        }
    };
    match p.kind {
        Kind::Instrument => {
            push("Short title", m.short_title.clone());
            push("Adopted", m.adopted.as_deref().map(human_date));
            push("In force", m.in_force.as_deref().map(human_date));
            push(
                "Legally binding",
                m.binding.map(|b| if b { "Yes" } else { "No" }.to_string()),
            );
            push("Adopted by", m.body.clone());
            push("Depositary", m.depositary.clone());
            push("Monitoring", m.monitoring.clone());
        }
        Kind::Agreement => {
            push("Short title", m.short_title.clone());
            push("Signed", m.signed.as_deref().map(human_date));
            push(
                "Parties",
                (!m.parties.is_empty()).then(|| m.parties.join("; ")),
            );
        }
        Kind::Initiative => {
            push("Region", m.region.clone());
            push(
                "Period",
                date_range(m.started.as_deref(), m.ended.as_deref()),
            );
        }
        Kind::Organisation => {
            push("Abbreviation", m.abbreviation.clone());
            push("Founded", m.founded.as_deref().map(human_date));
        }
        Kind::Event => {
            push("Date", date_range(m.date.as_deref(), m.end_date.as_deref()));
            push("Place", m.place.clone());
        }
        Kind::Term => {
            push("Abbreviation", m.abbreviation.clone());
            push(
                "Also written",
                (!m.aliases.is_empty()).then(|| m.aliases.join(", ")),
            );
        }
        Kind::Principle | Kind::Practice | Kind::Page => {}
    }
    if let Some(w) = &m.website {
        out.push(Fact {
            label: "Website",
            value: w.clone(),
            href: None,
            external: Some(w.clone()),
        });
    }
    match &m.elements {
        Some(Elements::Map(map)) => {
            for (e, anchor) in map {
                out.push(Fact {
                    label: "Covers",
                    value: element_label(e).to_string(),
                    href: Some(format!("{}#{anchor}", p.url)),
                    external: None,
                });
            }
        }
        Some(Elements::List(list)) => {
            let has_matrix = crate::views::nav_entries(site)
                .iter()
                .any(|(_, u)| *u == "matrix.html");
            for e in list {
                out.push(Fact {
                    label: "MoU elements",
                    value: element_label(e).to_string(),
                    href: has_matrix.then(|| format!("matrix.html#col-{e}")),
                    external: None,
                });
            }
        }
        None => {}
    }
    out
}

/// Pages that share the most tags, regions, countries and stakeholders with `i`.
fn suggestions(site: &Site, i: usize, exclude: &BTreeSet<usize>) -> Vec<LinkItem> {
    let p = &site.pages[i];
    if p.is_index || p.kind == Kind::Page {
        return Vec::new();
    }
    let mut scores: BTreeMap<usize, u32> = BTreeMap::new();
    for &(ti, ki) in &site.page_terms[i] {
        let tax = &site.taxonomies[ti];
        let term = &tax.terms[ki];
        if tax.name == "kinds" || term.pages.len() > site.pages.len() / 2 + 2 {
            continue;
        }
        let weight = match tax.name {
            "tags" => 3,
            "stakeholders" => 1,
            _ => 2,
        };
        for &o in &term.pages {
            if o != i && !exclude.contains(&o) && !site.pages[o].is_index {
                *scores.entry(o).or_default() += weight;
            }
        }
    }
    let mut ranked: Vec<(usize, u32)> = scores.into_iter().filter(|(_, s)| *s >= 3).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked
        .into_iter()
        .take(5)
        .map(|(o, _)| link_item(site, o))
        .collect()
}

pub fn site_ctx(site: &Site) -> SiteCtx {
    let mut nav = vec![NavItem {
        title: "Home".into(),
        url: "index.html".into(),
        prefix: String::new(),
    }];
    for &s in &site.nav {
        let p = &site.pages[s];
        nav.push(NavItem {
            title: p.title.clone(),
            url: p.url.clone(),
            prefix: format!("{}/", p.dir()),
        });
    }
    for (title, url) in crate::views::nav_entries(site) {
        nav.push(NavItem {
            title: title.into(),
            url: url.into(),
            prefix: String::new(),
        });
    }
    nav.push(NavItem {
        title: "Browse".into(),
        url: "browse.html".into(),
        prefix: String::new(),
    });
    nav.push(NavItem {
        title: "Search".into(),
        url: "search.html".into(),
        prefix: String::new(),
    });
    let c = &site.config;
    SiteCtx {
        title: c.book.title.clone(),
        description: c.book.description.clone(),
        language: c.book.language.clone(),
        base_url: c
            .site
            .base_url
            .clone()
            .map(|u| if u.ends_with('/') { u } else { format!("{u}/") })
            .unwrap_or_default(),
        nav,
        version: env!("CARGO_PKG_VERSION"),
        built: today(),
    }
}

pub fn today() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02}",
        now.year(),
        u8::from(now.month()),
        now.day()
    )
}

/// Renders one template into a file, turning template errors into diagnostics that name the
/// template.
pub fn render_template(
    theme: &Theme,
    name: &str,
    ctx: &impl Serialize,
    path: String,
) -> Result<OutFile> {
    let context = tera::Context::from_serialize(ctx)
        .map_err(|e| Error::Other(format!("template context: {e}")))?;
    theme
        .tera
        .render(name, &context)
        .map(|html| OutFile {
            path,
            bytes: html.into_bytes(),
        })
        .map_err(|e| Error::Content(vec![theme.diagnostic(name, &e)]))
}

/// Renders the pages `which` (indices into `site.pages`) and nothing else: `accord serve`
/// re-renders only the pages an edit can have changed.
pub fn page_files(
    site: &Site,
    frags: &[Fragment],
    theme: &Theme,
    sctx: &SiteCtx,
    which: &[usize],
    progress: Option<&ProgressBar>,
) -> Result<Vec<OutFile>> {
    let results: Vec<Result<OutFile>> = which
        .par_iter()
        .map(|&i| {
            let out = render_page(site, frags, theme, sctx, i);
            if let Some(pb) = progress {
                pb.inc(1);
            }
            out
        })
        .collect();
    let mut files = Vec::with_capacity(results.len() + 64);
    let mut errors: Vec<Diagnostic> = Vec::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(Error::Content(d)) => {
                for d in d {
                    if !errors.contains(&d) {
                        errors.push(d);
                    }
                }
            }
            Err(e) => return Err(e),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Content(errors));
    }
    Ok(files)
}

fn render_page(
    site: &Site,
    frags: &[Fragment],
    theme: &Theme,
    sctx: &SiteCtx,
    i: usize,
) -> Result<OutFile> {
    let p = &site.pages[i];
    let m = &p.meta;
    let related_set: BTreeSet<usize> = site.related[i].iter().copied().collect();
    let template = if p.rel == "_index.md" {
        "home.html".to_string()
    } else if p.is_index && p.dir() == "glossary" {
        "glossary.html".into()
    } else if p.is_index {
        "section.html".into()
    } else if theme.has(&format!("{}.html", p.kind.as_str())) {
        format!("{}.html", p.kind.as_str())
    } else {
        "page.html".into()
    };
    let children: Vec<LinkItem> = if p.is_index {
        site.children
            .get(p.dir())
            .map(|c| c.iter().map(|&c| link_item(site, c)).collect())
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let mut exclude = related_set.clone();
    exclude.extend(site.backlinks[i].iter().copied());
    let term = (p.kind == Kind::Term).then(|| {
        let g = site.glossary();
        let t = g.index_of(p.slug());
        let mut see: BTreeSet<usize> = BTreeSet::new();
        for s in &m.see_also {
            if let Some(x) = g.index_of(s) {
                see.insert(g.terms[x].page);
            }
        }
        // see_also is shown on both terms.
        for other in &g.terms {
            if site.pages[other.page]
                .meta
                .see_also
                .iter()
                .any(|s| s == p.slug())
            {
                see.insert(other.page);
            }
        }
        TermCtx {
            see_also: see.into_iter().map(|x| link_item(site, x)).collect(),
            used_on: t
                .map(|t| {
                    site.term_uses[t]
                        .iter()
                        .filter(|&&u| u != i)
                        .map(|&u| link_item(site, u))
                        .collect()
                })
                .unwrap_or_default(),
        }
    });
    let glossary = if p.is_index && p.dir() == "glossary" {
        glossary_letters(site)
    } else {
        Vec::new()
    };
    let taxonomies = site
        .taxonomies
        .iter()
        .enumerate()
        .filter(|(_, t)| t.name != "kinds")
        .filter_map(|(ti, t)| {
            let items: Vec<LinkItem> = site.page_terms[i]
                .iter()
                .filter(|(pt, _)| *pt == ti)
                .map(|&(_, ki)| {
                    let term = &t.terms[ki];
                    LinkItem {
                        title: term.label.clone(),
                        url: format!("{}/{}.html", t.name, term.slug),
                        summary: None,
                        kind_label: None,
                        date: None,
                    }
                })
                .collect();
            (!items.is_empty()).then_some(TaxCtx {
                label: t.label,
                items,
            })
        })
        .collect();
    let ctx = PageCtx {
        site: sctx,
        root: links::root_of(&p.url),
        url: &p.url,
        title: &p.title,
        kind: p.kind.as_str(),
        kind_label: p.kind.label(),
        summary: m.summary.as_deref().or(m.definition.as_deref()),
        content: &frags[i].html,
        toc: p
            .analysis
            .headings
            .iter()
            .filter(|h| (2..=3).contains(&h.level))
            .collect(),
        facts: group_facts(facts(site, p)),
        sources: m
            .sources
            .iter()
            .map(|s| SourceCtx {
                title: s.title.clone(),
                publisher: s.publisher.clone(),
                date: s.date.as_deref().map(human_date),
                url: s.url.clone(),
            })
            .collect(),
        cites: m
            .cites
            .iter()
            .filter_map(|c| {
                let t = site.page_index(&c.instrument)?;
                let tp = &site.pages[t];
                Some(CiteCtx {
                    title: tp
                        .meta
                        .short_title
                        .clone()
                        .unwrap_or_else(|| tp.title.clone()),
                    url: tp.url.clone(),
                    articles: c.articles.clone(),
                })
            })
            .collect(),
        related: site.related[i]
            .iter()
            .map(|&r| link_item(site, r))
            .collect(),
        suggestions: suggestions(site, i, &exclude),
        backlinks: site.backlinks[i]
            .iter()
            .map(|&b| link_item(site, b))
            .collect(),
        breadcrumbs: site
            .breadcrumbs(i)
            .into_iter()
            .map(|b| link_item(site, b))
            .collect(),
        children,
        taxonomies,
        updated: m.updated.as_deref().map(human_date),
        updated_iso: m.updated.clone(),
        term,
        glossary,
    };
    render_template(theme, &template, &ctx, p.url.clone())
}

fn glossary_letters(site: &Site) -> Vec<GlossaryLetter> {
    let mut by_letter: BTreeMap<String, Vec<GlossaryEntry>> = BTreeMap::new();
    let mut terms: Vec<_> = site.glossary().terms.iter().collect();
    terms.sort_by_key(|t| deunicode::deunicode(&t.term).to_lowercase());
    for t in terms {
        let letter = deunicode::deunicode(&t.term)
            .chars()
            .find(|c| c.is_ascii_alphanumeric())
            .map(|c| {
                if c.is_ascii_digit() {
                    '#'
                } else {
                    c.to_ascii_uppercase()
                }
            })
            .unwrap_or('#')
            .to_string();
        by_letter.entry(letter).or_default().push(GlossaryEntry {
            title: site.pages[t.page].title.clone(),
            url: t.url.clone(),
            definition: t.definition.clone(),
            abbreviation: t.abbreviation.clone(),
        });
    }
    by_letter
        .into_iter()
        .map(|(letter, terms)| GlossaryLetter { letter, terms })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_naturally() {
        assert_eq!(human_date("2009-03-30"), "30 March 2009");
        assert_eq!(human_date("2009-03"), "March 2009");
        assert_eq!(human_date("2009"), "2009");
        assert_eq!(iso_datetime("2009-03"), "2009-03-01T00:00:00Z");
    }
}
