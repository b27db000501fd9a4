//! Pages generated from the site graph rather than written by editors: taxonomy lists, the
//! printable document, the feed, the sitemap, the 404 page and the search page.

use rayon::prelude::*;
use serde::Serialize;

use crate::content::Kind;
use crate::date::{self, Date};
use crate::error::Result;
use crate::fragments::Fragments;
use crate::model;
use crate::output::OutFile;
use crate::render::{link_item, render_template, source_ctx, LinkItem, SiteCtx, SourceCtx};
use crate::site::Site;
use crate::theme::Theme;

#[derive(Serialize)]
struct Simple<'a> {
    site: &'a SiteCtx,
    root: &'static str,
    url: &'static str,
    title: &'static str,
    summary: Option<&'static str>,
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
    label: &'static str,
    terms: Vec<TaxTermLink>,
}

#[derive(Serialize)]
struct BrowseCtx<'a> {
    site: &'a SiteCtx,
    root: &'static str,
    url: &'static str,
    title: &'static str,
    summary: Option<&'static str>,
    taxonomy_list: Vec<TaxList>,
}

#[derive(Serialize)]
struct Group {
    kind: &'static str,
    label: &'static str,
    items: Vec<LinkItem>,
}

#[derive(Serialize)]
struct TermPageCtx<'a> {
    site: &'a SiteCtx,
    root: &'static str,
    url: String,
    title: String,
    summary: Option<String>,
    taxonomy_label: &'static str,
    items: Vec<LinkItem>,
    groups: Vec<Group>,
}

#[derive(Serialize)]
struct PrintPage {
    anchor: String,
    title: String,
    kind: &'static str,
    kind_label: Option<&'static str>,
    summary: Option<String>,
    content: String,
    sources: Vec<SourceCtx>,
}

#[derive(Serialize)]
struct PrintCtx<'a> {
    site: &'a SiteCtx,
    root: &'static str,
    url: &'static str,
    title: &'static str,
    /// Contents entries: anchor and title of every page, in reading order.
    pages: Vec<PrintTocEntry>,
    /// The pages, each already rendered with `print_page.html`.
    articles: String,
}

#[derive(Serialize)]
struct PrintTocEntry {
    anchor: String,
    /// The chapter number ("2.1."), for numbered chapters of a book.
    number: Option<String>,
    title: String,
}

#[derive(Serialize)]
struct PrintPageCtx<'a> {
    root: &'static str,
    p: &'a PrintPage,
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

/// What every generated view is made from.
pub struct ViewInput<'a> {
    pub site: &'a Site,
    pub frags: &'a Fragments,
    pub theme: &'a Theme,
    pub sctx: &'a SiteCtx,
}

/// A generated view: the files it writes (none when it has nothing to show).
type View = fn(&ViewInput) -> Result<Vec<OutFile>>;

/// Every generated view, by name.
pub const VIEWS: &[(&str, View)] = &[
    ("browse", browse),
    ("taxonomy terms", taxonomy_terms),
    ("404", not_found),
    ("search", search_page),
    ("print", print),
    ("feed", feed),
    ("sitemap", sitemap),
    ("matrix", matrix),
    ("timeline", timeline),
    ("articles", articles_view),
    ("export", export_files),
    ("robots", robots),
    ("redirects", redirects),
];

fn redirects(v: &ViewInput) -> Result<Vec<OutFile>> {
    Ok(crate::redirect::pages(v.site))
}

/// Renders every view, in parallel.
pub fn render(
    site: &Site,
    frags: &Fragments,
    theme: &Theme,
    sctx: &SiteCtx,
) -> Result<Vec<OutFile>> {
    let input = ViewInput {
        site,
        frags,
        theme,
        sctx,
    };
    let outputs: Vec<Result<Vec<OutFile>>> = VIEWS.par_iter().map(|(_, v)| v(&input)).collect();
    let mut files = Vec::new();
    for o in outputs {
        files.extend(o?);
    }
    Ok(files)
}

fn browse(v: &ViewInput) -> Result<Vec<OutFile>> {
    let site = v.site;
    if !site.has_facets() {
        return Ok(Vec::new());
    }
    let taxonomy_list: Vec<TaxList> = site
        .taxonomies
        .iter()
        .filter(|t| !t.terms.is_empty())
        .map(|t| TaxList {
            name: t.name,
            label: t.label,
            terms: t
                .terms
                .iter()
                .map(|term| TaxTermLink {
                    title: term.label.clone(),
                    url: format!("{}/{}.html", t.name, term.slug),
                    count: term.pages.len(),
                })
                .collect(),
        })
        .collect();
    Ok(vec![render_template(
        v.theme,
        "taxonomy.html",
        &BrowseCtx {
            site: v.sctx,
            root: "",
            url: "browse.html",
            title: "Browse",
            summary: Some("Every page filed by kind, region, country, stakeholder and tag."),
            taxonomy_list,
        },
        "browse.html".into(),
    )?])
}

fn taxonomy_terms(v: &ViewInput) -> Result<Vec<OutFile>> {
    let site = v.site;
    site.taxonomies
        .par_iter()
        .flat_map_iter(|t| t.terms.iter().map(move |term| (t, term)))
        .map(|(t, term)| {
            let items: Vec<LinkItem> = term.pages.iter().map(|&p| link_item(site, p)).collect();
            let mut groups: Vec<Group> = Vec::new();
            for kind in Kind::ALL {
                let mut in_kind: Vec<(Option<&Date>, LinkItem)> = term
                    .pages
                    .iter()
                    .filter(|&&p| site.pages[p].kind == kind)
                    .map(|&p| (site.pages[p].key_date(), link_item(site, p)))
                    .collect();
                if in_kind.is_empty() {
                    continue;
                }
                // Dated items read best in time order; the rest keep reading order.
                in_kind.sort_by(|a, b| a.0.cmp(&b.0));
                groups.push(Group {
                    kind: kind.as_str(),
                    label: kind.plural_label(),
                    items: in_kind.into_iter().map(|(_, l)| l).collect(),
                });
            }
            let summary = (t.name == "countries").then(|| {
                format!(
                    "Instruments, agreements, initiatives and other material that concern {}.",
                    term.label
                )
            });
            render_template(
                v.theme,
                "taxonomy_term.html",
                &TermPageCtx {
                    site: v.sctx,
                    root: "../",
                    url: format!("{}/{}.html", t.name, term.slug),
                    title: term.label.clone(),
                    summary,
                    taxonomy_label: t.label,
                    items,
                    groups,
                },
                format!("{}/{}.html", t.name, term.slug),
            )
        })
        .collect()
}

fn simple<'a>(v: &ViewInput<'a>, url: &'static str, title: &'static str) -> Simple<'a> {
    Simple {
        site: v.sctx,
        root: "",
        url,
        title,
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
    title: &'static str,
    summary: Option<&'static str>,
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
            title: "Page not found",
            summary: None,
            folders,
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
        &simple(v, "search.html", "Search"),
        "search.html".into(),
    )?])
}

/// The printable document sits at the site root, so each page's relative hrefs are rebased
/// onto the root rather than rendering its Markdown a second time.
fn print(v: &ViewInput) -> Result<Vec<OutFile>> {
    let site = v.site;
    let order = reading_order(site);
    let print_pages: Vec<PrintPage> = order
        .par_iter()
        .map(|&i| {
            let p = &site.pages[i];
            PrintPage {
                anchor: format!(
                    "page-{}",
                    crate::slug::slugify(p.rel.trim_end_matches(".md"))
                ),
                title: p.title.clone(),
                kind: p.kind.as_str(),
                kind_label: (p.kind != Kind::Page && !p.is_index).then(|| p.kind.label()),
                summary: p.summary().map(str::to_string),
                content: crate::links::rebase_html(v.frags.html(i), &p.url),
                sources: source_ctx(p),
            }
        })
        .collect();
    // Each page is its own small template render, in parallel: one template looping over
    // thousands of pages would run on a single core.
    let articles: Vec<Result<OutFile>> = print_pages
        .par_iter()
        .map(|p| {
            render_template(
                v.theme,
                "print_page.html",
                &PrintPageCtx { root: "", p },
                String::new(),
            )
        })
        .collect();
    let mut html = String::new();
    for a in articles {
        html.push_str(&String::from_utf8_lossy(&a?.bytes));
    }
    Ok(vec![render_template(
        v.theme,
        "print.html",
        &PrintCtx {
            site: v.sctx,
            root: "",
            url: "print.html",
            title: "Print",
            pages: print_pages
                .into_iter()
                .zip(&order)
                .map(|(p, i)| PrintTocEntry {
                    anchor: p.anchor,
                    number: site.toc.numbers.get(i).cloned(),
                    title: p.title,
                })
                .collect(),
            articles: html,
        },
        "print.html".into(),
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

fn sitemap(v: &ViewInput) -> Result<Vec<OutFile>> {
    let site = v.site;
    let mut entries: Vec<FeedEntry> = reading_order(site)
        .iter()
        .map(|&i| FeedEntry {
            title: String::new(),
            url: site.pages[i].url.clone(),
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
            url: extra.into(),
            updated: String::new(),
            summary: None,
        });
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
    pub kind_label: &'static str,
    /// What the date marks: "Adopted", "In force", "Event", "Initiative", "Signed".
    pub what: &'static str,
    pub start: Date,
    pub end: Option<Date>,
    pub label: String,
    /// Drawing coordinates, computed here so the template only places them.
    pub x: f64,
    pub x2: f64,
    pub y: f64,
}

#[derive(Serialize)]
struct Tick {
    x: f64,
    year: i32,
}

#[derive(Serialize)]
struct TimelineCtx<'a> {
    site: &'a SiteCtx,
    root: &'static str,
    url: &'static str,
    title: &'static str,
    summary: Option<&'static str>,
    items: Vec<TimelineItem>,
    ticks: Vec<Tick>,
    width: f64,
    height: f64,
    axis_y: f64,
}

const TL_LEFT: f64 = 20.0;
const TL_WIDTH: f64 = 900.0;
const TL_ROW: f64 = 26.0;

/// Dated items in time order, with their place on the drawing: every date the content model
/// places on the timeline, with the end of its period where it has one.
pub fn timeline_items(site: &Site) -> Vec<TimelineItem> {
    let mut items: Vec<TimelineItem> = Vec::new();
    for p in &site.pages {
        for key in p.kind.keys() {
            let (Some(what), Some(start)) = (key.timeline, p.meta.date(key.name)) else {
                continue;
            };
            let end = key.until.and_then(|k| p.meta.date(k)).copied();
            items.push(TimelineItem {
                title: p.title.clone(),
                url: p.url.clone(),
                kind: p.kind.as_str(),
                kind_label: p.kind.label(),
                what,
                start: *start,
                end,
                label: date::range(Some(start), end.as_ref()).unwrap_or_default(),
                x: 0.0,
                x2: 0.0,
                y: 0.0,
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
    let scale =
        |d: &Date| TL_LEFT + (d.fractional_year() - min) / span * (TL_WIDTH - 2.0 * TL_LEFT);
    for (n, it) in items.iter_mut().enumerate() {
        it.x = (scale(&it.start) * 10.0).round() / 10.0;
        it.x2 = (scale(it.end.as_ref().unwrap_or(&it.start)) * 10.0).round() / 10.0;
        it.y = 30.0 + n as f64 * TL_ROW;
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
            x: TL_LEFT + f64::from(year - min) / f64::from(span) * (TL_WIDTH - 2.0 * TL_LEFT),
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
    pub groups: Vec<ArticleGroup>,
}

#[derive(Serialize)]
pub struct ArticleGroup {
    pub kind: &'static str,
    pub label: &'static str,
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
    pub articles: Vec<ArticleRow>,
}

#[derive(Serialize)]
struct ArticlesCtx<'a> {
    site: &'a SiteCtx,
    root: &'static str,
    url: &'static str,
    title: &'static str,
    summary: Option<&'static str>,
    instruments: Vec<ArticleInstrument>,
}

/// Every instrument that lists key articles, in reading order, and for each article every page
/// that cites it: from a treaty article to everything that relies on it.
pub fn article_index(site: &Site) -> Vec<ArticleInstrument> {
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
                        groups: Kind::ALL
                            .iter()
                            .filter_map(|&kind| {
                                let items: Vec<LinkItem> = citing
                                    .iter()
                                    .filter(|&&c| site.pages[c].kind == kind)
                                    .map(|&c| link_item(site, c))
                                    .collect();
                                (!items.is_empty()).then(|| ArticleGroup {
                                    kind: kind.as_str(),
                                    label: kind.plural_label(),
                                    items,
                                })
                            })
                            .collect(),
                    }
                })
                .collect();
            ArticleInstrument {
                instrument: link_item(site, i),
                anchor: crate::articles::instrument_anchor(&p.rel),
                citations: articles.iter().map(|a| a.count).sum(),
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
            title: "Articles",
            summary: Some(
                "The key articles of each instrument, and every principle, practice, agreement and glossary term that cites them.",
            ),
            instruments: article_index(v.site),
        },
        "articles.html".into(),
    )?])
}

fn timeline(v: &ViewInput) -> Result<Vec<OutFile>> {
    let items = timeline_items(v.site);
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let ticks = timeline_ticks(&items);
    let height = 30.0 + items.len() as f64 * TL_ROW + 30.0;
    Ok(vec![render_template(
        v.theme,
        "timeline.html",
        &TimelineCtx {
            site: v.sctx,
            root: "",
            url: "timeline.html",
            title: "Timeline",
            summary: Some("Instruments, agreements, initiatives and events in time order."),
            items,
            ticks,
            width: TL_WIDTH,
            height,
            axis_y: height - 20.0,
        },
        "timeline.html".into(),
    )?])
}
