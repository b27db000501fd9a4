//! Pages generated from the site graph rather than written by editors: taxonomy lists, the
//! printable document, the feed, the sitemap, the 404 page and the search page.

use rayon::prelude::*;
use serde::Serialize;

use crate::content::Kind;
use crate::date::Date;
use crate::error::Result;
use crate::fragments::Fragments;
use crate::messages::Messages;
use crate::model;
use crate::output::{OutFile, Sink};
use crate::render::{link_item, render_template, term_label, LinkItem, SiteCtx};
use crate::site::Site;
use crate::theme::Theme;

#[derive(Serialize)]
struct Simple<'a> {
    site: &'a SiteCtx,
    root: &'static str,
    url: &'static str,
    title: String,
    summary: Option<String>,
}

#[derive(Serialize)]
struct TaxTermLink {
    title: String,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct TaxList {
    name: &'static str,
    label: String,
    terms: Vec<TaxTermLink>,
}

#[derive(Serialize)]
struct BrowseCtx<'a> {
    site: &'a SiteCtx,
    root: &'static str,
    url: &'static str,
    title: String,
    summary: Option<String>,
    taxonomy_list: Vec<TaxList>,
}

#[derive(Serialize)]
struct Group {
    kind: &'static str,
    label: String,
    items: Vec<LinkItem>,
}

#[derive(Serialize)]
struct TermPageCtx<'a> {
    site: &'a SiteCtx,
    root: &'static str,
    url: String,
    title: String,
    summary: Option<String>,
    taxonomy_label: String,
    /// "12 items", in the reader's language.
    count_label: String,
    items: Vec<LinkItem>,
    groups: Vec<Group>,
}

#[derive(Serialize)]
struct FeedEntry {
    title: String,
    url: String,
    updated: String,
    summary: Option<String>,
}

#[derive(Serialize)]
struct FeedCtx<'a> {
    site: &'a SiteCtx,
    feed_updated: String,
    entries: Vec<FeedEntry>,
}

/// Pages in reading order: the order of the table of contents (SUMMARY.md, or the folders).
pub fn reading_order(site: &Site) -> Vec<usize> {
    site.toc.order.clone()
}

pub use crate::render::ViewInput;

/// A generated view: the files it writes (none when it has nothing to show).
type View = fn(&ViewInput) -> Result<Vec<OutFile>>;

/// Every generated view, by name.
pub const VIEWS: &[(&str, View)] = &[
    ("browse", browse),
    ("taxonomy terms", taxonomy_terms),
    ("404", not_found),
    ("search", search_page),
    ("feed", feed),
    ("sitemap", sitemap),
    ("matrix", matrix),
    ("timeline", timeline),
    ("articles", articles_view),
    ("export", export_files),
    ("robots", robots),
    ("redirects", redirects),
    ("offline", offline_page),
    ("web manifest", web_manifest),
];

/// Views written once, at the site root, whatever the languages: hosts look for them there, and
/// the sitemap lists every language's pages.
const ONCE_PER_SITE: &[&str] = &[
    "404",
    "sitemap",
    "export",
    "robots",
    "redirects",
    "offline",
    "web manifest",
];

fn offline_page(v: &ViewInput) -> Result<Vec<OutFile>> {
    crate::offline::page_view(v.theme, v.sctx)
}

fn web_manifest(v: &ViewInput) -> Result<Vec<OutFile>> {
    crate::offline::manifest_view(v.site, v.theme, v.sctx)
}

fn redirects(v: &ViewInput) -> Result<Vec<OutFile>> {
    Ok(crate::redirect::pages(v.site, &v.sctx.messages))
}

/// Renders every view, in parallel, in memory.
pub fn render(
    site: &Site,
    frags: &Fragments,
    theme: &Theme,
    sctx: &SiteCtx,
) -> Result<Vec<OutFile>> {
    let sink = Sink::memory();
    put(site, frags, theme, sctx, &sink)?;
    Ok(sink.into_files())
}

/// Renders every view, in parallel, into `sink` as each view is done; the printable documents
/// (which hold every page's text) are written as their pages are rendered (see [`crate::print`]).
/// Returns the paths put.
pub fn put(
    site: &Site,
    frags: &Fragments,
    theme: &Theme,
    sctx: &SiteCtx,
    sink: &Sink,
) -> Result<Vec<String>> {
    let input = ViewInput {
        site,
        frags,
        theme,
        sctx,
    };
    let default = site.is_default_language();
    let (outputs, print) = rayon::join(
        || {
            VIEWS
                .par_iter()
                .filter(|(name, _)| default || !ONCE_PER_SITE.contains(name))
                .map(|(_, v)| v(&input).and_then(|files| sink.put_all(files)))
                .collect::<Vec<Result<Vec<String>>>>()
        },
        || crate::print::put(&input, sink),
    );
    let mut paths = Vec::new();
    for o in outputs {
        paths.extend(o?);
    }
    paths.extend(print?);
    Ok(paths)
}

fn browse(v: &ViewInput) -> Result<Vec<OutFile>> {
    let site = v.site;
    let msg = &v.sctx.messages;
    if !site.has_facets() {
        return Ok(Vec::new());
    }
    let taxonomy_list: Vec<TaxList> = site
        .taxonomies
        .iter()
        .filter(|t| !t.terms.is_empty())
        .map(|t| {
            let mut terms: Vec<TaxTermLink> = t
                .terms
                .iter()
                .map(|term| TaxTermLink {
                    title: term_label(msg, t, term),
                    url: format!("{}/{}.html", t.name, term.slug),
                    count: term.pages.len(),
                })
                .collect();
            // In the reader's language's names, which need not sort as the English ones do.
            terms.sort_by_key(|t| t.title.to_lowercase());
            TaxList {
                name: t.name,
                label: msg.taxonomy(t.name, t.label),
                terms,
            }
        })
        .collect();
    Ok(vec![render_template(
        v.theme,
        "taxonomy.html",
        &BrowseCtx {
            site: v.sctx,
            root: "",
            url: "browse.html",
            title: msg.text("browse_title"),
            summary: Some(msg.text("browse_summary")),
            taxonomy_list,
        },
        "browse.html".into(),
    )?])
}

fn taxonomy_terms(v: &ViewInput) -> Result<Vec<OutFile>> {
    let site = v.site;
    let msg = &v.sctx.messages;
    site.taxonomies
        .par_iter()
        .flat_map_iter(|t| t.terms.iter().map(move |term| (t, term)))
        .map(|(t, term)| {
            let items: Vec<LinkItem> = term
                .pages
                .iter()
                .map(|&p| link_item(site, msg, p))
                .collect();
            let mut groups: Vec<Group> = Vec::new();
            for kind in Kind::ALL {
                let mut in_kind: Vec<(Option<&Date>, LinkItem)> = term
                    .pages
                    .iter()
                    .filter(|&&p| site.pages[p].kind == kind)
                    .map(|&p| (site.pages[p].key_date(), link_item(site, msg, p)))
                    .collect();
                if in_kind.is_empty() {
                    continue;
                }
                // Dated items read best in time order; the rest keep reading order.
                in_kind.sort_by(|a, b| a.0.cmp(&b.0));
                groups.push(Group {
                    kind: kind.as_str(),
                    label: msg.kind_plural(kind),
                    items: in_kind.into_iter().map(|(_, l)| l).collect(),
                });
            }
            let title = term_label(msg, t, term);
            let summary = (t.name == "countries")
                .then(|| msg.fill("country_summary", &[("country", &title)]));
            render_template(
                v.theme,
                "taxonomy_term.html",
                &TermPageCtx {
                    site: v.sctx,
                    root: "../",
                    url: format!("{}/{}.html", t.name, term.slug),
                    title,
                    summary,
                    taxonomy_label: msg.taxonomy(t.name, t.label),
                    count_label: msg.plural("taxonomy_items", items.len(), &[]),
                    items,
                    groups,
                },
                format!("{}/{}.html", t.name, term.slug),
            )
        })
        .collect()
}

fn simple<'a>(v: &ViewInput<'a>, url: &'static str, title_key: &str) -> Simple<'a> {
    Simple {
        site: v.sctx,
        root: "",
        url,
        title: v.sctx.messages.text(title_key),
        summary: None,
    }
}

/// What the 404 page needs: hosts serve it for a missing address at any depth
/// (`/principles/old.html`, `/a/b/c/x.html`), where links relative to the site root break.
#[derive(Serialize)]
struct NotFound<'a> {
    site: &'a SiteCtx,
    /// With `base-url` set, its path ("/kb/"): links root-relative, right at any depth.
    root: String,
    url: &'static str,
    title: String,
    summary: Option<String>,
    /// Written once for every language: no alternates, no language switcher.
    single: bool,
    /// Without `base-url`: the site's top-level folders as a JSON array (with `<` escaped for
    /// the inline script), from which the page finds the site root in the address it was
    /// served for.
    folders: String,
}

fn not_found(v: &ViewInput) -> Result<Vec<OutFile>> {
    // A project's own `404.md` declares that it stands in for the generated page.
    if v.site
        .pages
        .iter()
        .any(|p| p.meta.text("replaces") == Some("404.html"))
    {
        return Ok(Vec::new());
    }
    let root = url::Url::parse(&v.sctx.base_url)
        .map(|u| {
            let path = u.path().to_string();
            if path.ends_with('/') {
                path
            } else {
                format!("{path}/")
            }
        })
        .unwrap_or_default();
    let mut folders: Vec<&str> = v
        .site
        .pages
        .iter()
        .filter_map(|p| p.url.split_once('/').map(|(first, _)| first))
        .chain(["assets", "search"])
        .collect();
    folders.sort_unstable();
    folders.dedup();
    let folders = serde_json::to_string(&folders)
        .unwrap_or_else(|_| "[]".into())
        .replace('<', "\\u003c");
    Ok(vec![render_template(
        v.theme,
        "404.html",
        &NotFound {
            site: v.sctx,
            root,
            url: "404.html",
            title: v.sctx.messages.text("not_found_title"),
            summary: None,
            folders,
            single: true,
        },
        "404.html".into(),
    )?])
}

fn search_page(v: &ViewInput) -> Result<Vec<OutFile>> {
    if !v.theme.has("search.html") {
        return Ok(Vec::new());
    }
    Ok(vec![render_template(
        v.theme,
        "search.html",
        &simple(v, "search.html", "search_title"),
        "search.html".into(),
    )?])
}

/// The 50 most recently reviewed pages, by `updated`.
fn feed(v: &ViewInput) -> Result<Vec<OutFile>> {
    let site = v.site;
    let mut updated: Vec<(&Date, usize)> = site
        .pages
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.meta.date("updated").map(|u| (u, i)))
        .collect();
    updated.sort_by(|a, b| b.0.cmp(a.0).then(a.1.cmp(&b.1)));
    let entries: Vec<FeedEntry> = updated
        .iter()
        .take(50)
        .map(|&(u, i)| FeedEntry {
            title: site.pages[i].title.clone(),
            url: site.pages[i].url.clone(),
            updated: u.rfc3339(),
            summary: site.pages[i].meta.text("summary").map(str::to_string),
        })
        .collect();
    let feed_updated = updated
        .first()
        .map_or_else(|| Date::today().rfc3339(), |(u, _)| u.rfc3339());
    Ok(vec![render_template(
        v.theme,
        "feed.xml",
        &FeedCtx {
            site: v.sctx,
            feed_updated,
            entries,
        },
        "feed.xml".into(),
    )?])
}

/// Sitemaps must list absolute addresses, so there is none without `base-url`
/// ([`sitemap_note`] says so).
fn sitemap(v: &ViewInput) -> Result<Vec<OutFile>> {
    if v.sctx.base_url.is_empty() {
        return Ok(Vec::new());
    }
    // One sitemap for every language: each further language's pages under its folder.
    let mut entries = sitemap_entries(v.site, "");
    for other in &v.site.translations {
        entries.extend(sitemap_entries(other, &other.prefix()));
    }
    Ok(vec![render_template(
        v.theme,
        "sitemap.xml",
        &FeedCtx {
            site: v.sctx,
            feed_updated: String::new(),
            entries,
        },
        "sitemap.xml".into(),
    )?])
}

/// A language's pages and generated views, from the site root.
fn sitemap_entries(site: &Site, prefix: &str) -> Vec<FeedEntry> {
    let mut entries: Vec<FeedEntry> = reading_order(site)
        .iter()
        .map(|&i| FeedEntry {
            title: String::new(),
            url: format!("{prefix}{}", site.pages[i].url),
            updated: site.pages[i]
                .meta
                .date("updated")
                .map(Date::to_string)
                .unwrap_or_default(),
            summary: None,
        })
        .collect();
    let generated = site.generated_views().into_iter().map(|(_, u)| u);
    let browse = site.has_facets().then_some("browse.html");
    for extra in ["search.html", "print.html"]
        .into_iter()
        .chain(browse)
        .chain(generated)
    {
        entries.push(FeedEntry {
            title: String::new(),
            url: format!("{prefix}{extra}"),
            updated: String::new(),
            summary: None,
        });
    }
    entries
}

/// What `accord check` says of a site without `base-url`: what the build leaves out, and why.
pub fn sitemap_note(config: &crate::config::Config) -> Option<crate::error::Diagnostic> {
    config.base_url().is_none().then(|| {
        crate::error::Diagnostic::note(
            "book.toml",
            0,
            0,
            "no sitemap.xml is written: `base-url` is not set under [site], and a sitemap needs absolute addresses",
        )
        .with_hint(
            "set `base-url` under [site] in book.toml to the address the site is published at, such as `https://example.org/kb/`; it also gives every page a canonical link, its hreflang links to its other languages and link previews an image",
        )
    })
}

fn robots(v: &ViewInput) -> Result<Vec<OutFile>> {
    let mut robots = String::from("User-agent: *\nAllow: /\n");
    if !v.sctx.base_url.is_empty() {
        robots.push_str(&format!("Sitemap: {}sitemap.xml\n", v.sctx.base_url));
    }
    Ok(vec![OutFile {
        path: "robots.txt".into(),
        bytes: robots.into_bytes(),
    }])
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct TimelineItem {
    pub title: String,
    pub url: String,
    pub kind: &'static str,
    pub kind_label: String,
    /// What the date marks: "Adopted", "In force", "Event", "Initiative", "Signed".
    pub what: String,
    /// The same inside running text, after the title: "adopted", "in force".
    pub what_inline: String,
    pub start: Date,
    pub end: Option<Date>,
    pub label: String,
    /// Where the item starts and ends on the time axis, in percent of its width, computed here
    /// so the template only places them.
    pub at: f64,
    pub until: f64,
    /// Which side of its mark the label stands on: "after" in the axis's left half, "before" in
    /// its right half, so the label has at least half the width to wrap in.
    pub side: &'static str,
    /// The mark's colour: "period", "in-force", "event" or "dated".
    pub mark: &'static str,
}

#[derive(Serialize)]
struct Tick {
    /// In percent of the axis's width.
    at: f64,
    year: i32,
}

#[derive(Serialize)]
struct TimelineCtx<'a> {
    site: &'a SiteCtx,
    root: &'static str,
    url: &'static str,
    title: String,
    summary: Option<String>,
    /// The figure's caption and legend, in the reader's language.
    caption: String,
    items: Vec<TimelineItem>,
    ticks: Vec<Tick>,
}

/// A percentage rounded to what a screen can show.
fn percent(x: f64) -> f64 {
    (x * 1000.0).round() / 10.0
}

/// Dated items in time order, with their place on the drawing: every date the content model
/// places on the timeline, with the end of its period where it has one.
pub fn timeline_items(site: &Site, msg: &Messages) -> Vec<TimelineItem> {
    let mut items: Vec<TimelineItem> = Vec::new();
    for p in &site.pages {
        for key in p.kind.keys() {
            let (Some(what), Some(start)) = (key.timeline, p.meta.date(key.name)) else {
                continue;
            };
            let end = key.until.and_then(|k| p.meta.date(k)).copied();
            let (label, inline) = msg.timeline(key.name, what);
            items.push(TimelineItem {
                title: p.title.clone(),
                url: p.url.clone(),
                kind: p.kind.as_str(),
                kind_label: msg.kind(p.kind),
                what: label,
                what_inline: inline,
                start: *start,
                end,
                label: msg.range(Some(start), end.as_ref()).unwrap_or_default(),
                at: 0.0,
                until: 0.0,
                side: "after",
                mark: if end.is_some_and(|e| e != *start) {
                    "period"
                } else if key.name == "in_force" {
                    "in-force"
                } else if p.kind == Kind::Event {
                    "event"
                } else {
                    "dated"
                },
            });
        }
    }
    items.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.title.cmp(&b.title)));
    if items.is_empty() {
        return items;
    }
    let min = items
        .iter()
        .map(|i| i.start.fractional_year())
        .fold(f64::MAX, f64::min)
        .floor();
    let max = items
        .iter()
        .map(|i| i.end.unwrap_or(i.start).fractional_year())
        .fold(f64::MIN, f64::max)
        .floor()
        + 1.0;
    let span = (max - min).max(1.0);
    let scale = |d: &Date| percent((d.fractional_year() - min) / span);
    for it in items.iter_mut() {
        it.at = scale(&it.start);
        it.until = scale(it.end.as_ref().unwrap_or(&it.start));
        it.side = if it.at > 50.0 { "before" } else { "after" };
    }
    items
}

fn timeline_ticks(items: &[TimelineItem]) -> Vec<Tick> {
    let Some(first) = items.first() else {
        return Vec::new();
    };
    let min = first.start.fractional_year().floor() as i32;
    let max = items
        .iter()
        .map(|i| i.end.unwrap_or(i.start).fractional_year())
        .fold(f64::MIN, f64::max)
        .floor() as i32
        + 1;
    let span = (max - min).max(1);
    let step = match span {
        0..=12 => 1,
        13..=30 => 2,
        31..=60 => 5,
        _ => 10,
    };
    (min..=max)
        .filter(|y| (y - min) % step == 0)
        .map(|year| Tick {
            at: percent(f64::from(year - min) / f64::from(span)),
            year,
        })
        .collect()
}

/// One row of the data export: the page's place in the site and its front matter.
#[derive(Serialize, Debug)]
pub struct ExportItem<'a> {
    pub path: &'a str,
    pub url: &'a str,
    pub kind: &'static str,
    pub title: &'a str,
    /// The front matter as checked: each key the editor wrote, dates as written.
    pub front_matter: &'a crate::frontmatter::Meta,
}

/// The CSV columns: the page's place, then every exported key of the content model.
pub fn csv_columns() -> Vec<&'static str> {
    let mut cols = vec!["path", "url", "kind", "title"];
    cols.extend(model::export_columns());
    cols
}

/// One CSV cell: lists joined with `; `, sources as `title, publisher, date, url` joined with
/// ` | `, citations as `instruments/x.md Art. 10, 11(3)` joined with `; `.
fn csv_cell(value: Option<&crate::frontmatter::Value>) -> String {
    use crate::frontmatter::Value;
    match value {
        None => String::new(),
        Some(Value::Text(t)) => t.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Int(i)) => i.to_string(),
        Some(Value::Date(d)) => d.to_string(),
        Some(Value::List(l)) => l.join("; "),
        Some(Value::Map(m)) => m.keys().cloned().collect::<Vec<_>>().join("; "),
        Some(Value::Sources(sources)) => sources
            .iter()
            .map(|s| {
                [
                    Some(s.title.clone()),
                    s.publisher.clone(),
                    s.date.map(|d| d.to_string()),
                    s.url.clone(),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ")
            })
            .collect::<Vec<_>>()
            .join(" | "),
        Some(Value::Cites(cites)) => cites
            .iter()
            .map(|c| match c.articles.as_slice() {
                [] => c.instrument.clone(),
                articles => format!("{} Art. {}", c.instrument, articles.join(", ")),
            })
            .collect::<Vec<_>>()
            .join("; "),
        Some(Value::Articles(articles)) => articles
            .iter()
            .map(|a| a.number.as_str())
            .collect::<Vec<_>>()
            .join("; "),
    }
}

fn export_files(v: &ViewInput) -> Result<Vec<OutFile>> {
    let items: Vec<ExportItem> = v
        .site
        .pages
        .iter()
        .filter(|p| !p.is_index)
        .map(|p| ExportItem {
            path: &p.rel,
            url: &p.url,
            kind: p.kind.as_str(),
            title: &p.title,
            front_matter: &p.meta,
        })
        .collect();
    let json = serde_json::to_vec_pretty(&items)
        .map_err(|e| crate::Error::Other(format!("items.json: {e}")))?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| crate::Error::Other(format!("items.csv: {e}"));
    let columns = csv_columns();
    w.write_record(&columns).map_err(io)?;
    for it in &items {
        let mut row = vec![
            it.path.to_string(),
            it.url.to_string(),
            it.kind.to_string(),
            it.title.to_string(),
        ];
        row.extend(
            columns[4..]
                .iter()
                .map(|k| csv_cell(it.front_matter.get(k))),
        );
        w.write_record(&row).map_err(io)?;
    }
    let csv = w
        .into_inner()
        .map_err(|e| crate::Error::Other(format!("items.csv: {e}")))?;
    Ok(vec![
        OutFile {
            path: "data/items.json".into(),
            bytes: json,
        },
        OutFile {
            path: "data/items.csv".into(),
            bytes: csv,
        },
    ])
}

fn matrix(v: &ViewInput) -> Result<Vec<OutFile>> {
    crate::matrix::page(v.site, v.theme, v.sctx)
}

/// One article in the Articles view, with the pages that cite it grouped by kind.
#[derive(Serialize)]
pub struct ArticleRow {
    pub number: String,
    pub summary: String,
    /// Its anchor in the Articles view.
    pub anchor: String,
    /// Its entry on the instrument page, from the site root.
    pub href: String,
    pub count: usize,
    /// "cited by 3 pages", in the reader's language.
    pub cited_label: String,
    pub groups: Vec<ArticleGroup>,
}

#[derive(Serialize)]
pub struct ArticleGroup {
    pub kind: &'static str,
    pub label: String,
    pub items: Vec<LinkItem>,
}

/// One instrument in the Articles view.
#[derive(Serialize)]
pub struct ArticleInstrument {
    pub instrument: LinkItem,
    /// Its anchor in the Articles view.
    pub anchor: String,
    /// Citing pages over all its articles (a page citing two articles counts twice).
    pub citations: usize,
    /// "4 articles, 9 citations", in the reader's language.
    pub counts: String,
    pub articles: Vec<ArticleRow>,
}

#[derive(Serialize)]
struct ArticlesCtx<'a> {
    site: &'a SiteCtx,
    root: &'static str,
    url: &'static str,
    title: String,
    summary: Option<String>,
    instruments: Vec<ArticleInstrument>,
}

/// Every instrument that lists key articles, in reading order, and for each article every page
/// that cites it: from a treaty article to everything that relies on it.
pub fn article_index(site: &Site, msg: &Messages) -> Vec<ArticleInstrument> {
    reading_order(site)
        .into_iter()
        .filter(|&i| !site.pages[i].meta.articles().is_empty())
        .map(|i| {
            let p = &site.pages[i];
            let articles: Vec<ArticleRow> = p
                .meta
                .articles()
                .iter()
                .enumerate()
                .map(|(n, a)| {
                    let citing = site.cited_by[i].get(n).map_or(&[][..], Vec::as_slice);
                    ArticleRow {
                        number: a.number.clone(),
                        summary: a.summary.clone(),
                        anchor: crate::articles::view_anchor(&p.rel, &a.number),
                        href: format!("{}#{}", p.url, crate::articles::anchor(&a.number)),
                        count: citing.len(),
                        cited_label: msg.plural("articles_cited_by", citing.len(), &[]),
                        groups: Kind::ALL
                            .iter()
                            .filter_map(|&kind| {
                                let items: Vec<LinkItem> = citing
                                    .iter()
                                    .filter(|&&c| site.pages[c].kind == kind)
                                    .map(|&c| link_item(site, msg, c))
                                    .collect();
                                (!items.is_empty()).then(|| ArticleGroup {
                                    kind: kind.as_str(),
                                    label: msg.kind_plural(kind),
                                    items,
                                })
                            })
                            .collect(),
                    }
                })
                .collect();
            let citations = articles.iter().map(|a| a.count).sum();
            ArticleInstrument {
                instrument: link_item(site, msg, i),
                anchor: crate::articles::instrument_anchor(&p.rel),
                citations,
                counts: format!(
                    "{}, {}",
                    msg.plural("articles_count", articles.len(), &[]),
                    msg.plural("citations_count", citations, &[])
                ),
                articles,
            }
        })
        .collect()
}

fn articles_view(v: &ViewInput) -> Result<Vec<OutFile>> {
    if !v.site.has_articles() {
        return Ok(Vec::new());
    }
    Ok(vec![render_template(
        v.theme,
        "articles.html",
        &ArticlesCtx {
            site: v.sctx,
            root: "",
            url: "articles.html",
            title: v.sctx.messages.text("articles_title"),
            summary: Some(v.sctx.messages.text("articles_summary")),
            instruments: article_index(v.site, &v.sctx.messages),
        },
        "articles.html".into(),
    )?])
}

fn timeline(v: &ViewInput) -> Result<Vec<OutFile>> {
    let msg = &v.sctx.messages;
    let items = timeline_items(v.site, msg);
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let ticks = timeline_ticks(&items);
    let year = |t: Option<&Tick>| t.map(|t| t.year.to_string()).unwrap_or_default();
    let caption = msg.plural(
        "timeline_axis",
        items.len(),
        &[("from", &year(ticks.first())), ("to", &year(ticks.last()))],
    );
    Ok(vec![render_template(
        v.theme,
        "timeline.html",
        &TimelineCtx {
            site: v.sctx,
            root: "",
            url: "timeline.html",
            title: msg.text("timeline_title"),
            summary: Some(msg.text("timeline_summary")),
            caption,
            items,
            ticks,
        },
        "timeline.html".into(),
    )?])
}
