//! Pages generated from the site graph rather than written by editors: taxonomy lists, the
//! printable document, the feed, the sitemap, the 404 page and the search page.

use rayon::prelude::*;
use serde::Serialize;

use crate::content::Kind;
use crate::error::Result;
use crate::render::{
    human_date, iso_datetime, link_item, render_template, Fragment, LinkItem, OutFile, SiteCtx,
};
use crate::site::Site;
use crate::theme::Theme;

/// Generated pages that belong in the main navigation, as (title, url).
pub fn nav_entries(site: &Site) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    if site.pages.iter().any(|p| p.kind == Kind::Agreement) {
        out.push(("MoU comparison", "matrix.html"));
    }
    if site.pages.iter().any(|p| p.meta.key_date().is_some()) {
        out.push(("Timeline", "timeline.html"));
    }
    out
}

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
    sources: Vec<PrintSource>,
}

#[derive(Serialize)]
struct PrintSource {
    title: String,
    publisher: Option<String>,
    date: Option<String>,
    url: Option<String>,
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

/// Pages in reading order: the home page, then each section followed by its pages, depth first.
pub fn reading_order(site: &Site) -> Vec<usize> {
    fn walk(site: &Site, dir: &str, out: &mut Vec<usize>) {
        if let Some(children) = site.children.get(dir) {
            for &c in children {
                out.push(c);
                if site.pages[c].is_index {
                    walk(site, site.pages[c].dir(), out);
                }
            }
        }
    }
    let mut out = Vec::new();
    if let Some(home) = site.page_index("_index.md") {
        out.push(home);
    }
    walk(site, "", &mut out);
    // Pages in folders without an `_index.md` are still part of the site.
    let seen: std::collections::HashSet<usize> = out.iter().copied().collect();
    let rest: Vec<usize> = (0..site.pages.len())
        .filter(|i| !seen.contains(i))
        .collect();
    out.extend(rest);
    out
}

pub fn render(
    site: &Site,
    frags: &[Fragment],
    theme: &Theme,
    sctx: &SiteCtx,
) -> Result<Vec<OutFile>> {
    let mut files = Vec::new();

    files.push(render_template(
        theme,
        "taxonomy.html",
        &BrowseCtx {
            site: sctx,
            root: "",
            url: "browse.html",
            title: "Browse",
            summary: Some("Every page filed by kind, region, country, stakeholder and tag."),
            taxonomy_list: site
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
                .collect(),
        },
        "browse.html".into(),
    )?);

    let term_pages: Vec<Result<OutFile>> = site
        .taxonomies
        .par_iter()
        .flat_map_iter(|t| t.terms.iter().map(move |term| (t, term)))
        .map(|(t, term)| {
            let items: Vec<LinkItem> = term.pages.iter().map(|&p| link_item(site, p)).collect();
            let mut groups: Vec<Group> = Vec::new();
            for kind in Kind::ALL {
                let mut in_kind: Vec<(Option<&str>, LinkItem)> = term
                    .pages
                    .iter()
                    .filter(|&&p| site.pages[p].kind == kind)
                    .map(|&p| (site.pages[p].meta.key_date(), link_item(site, p)))
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
                theme,
                "taxonomy_term.html",
                &TermPageCtx {
                    site: sctx,
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
        .collect();
    for f in term_pages {
        files.push(f?);
    }

    let simple = |url: &'static str, title: &'static str| Simple {
        site: sctx,
        root: "",
        url,
        title,
        summary: None,
    };
    files.push(render_template(
        theme,
        "404.html",
        &simple("404.html", "Page not found"),
        "404.html".into(),
    )?);
    if theme.has("search.html") {
        files.push(render_template(
            theme,
            "search.html",
            &simple("search.html", "Search"),
            "search.html".into(),
        )?);
    }

    // The printable document sits at the site root, so each page's relative hrefs are rebased
    // onto the root rather than rendering its Markdown a second time.
    let order = reading_order(site);
    let print_pages: Vec<PrintPage> = order
        .par_iter()
        .map(|&i| {
            let p = &site.pages[i];
            PrintPage {
                anchor: format!(
                    "page-{}",
                    crate::markdown::slugify(p.rel.trim_end_matches(".md"))
                ),
                title: p.title.clone(),
                kind: p.kind.as_str(),
                kind_label: (p.kind != Kind::Page && !p.is_index).then(|| p.kind.label()),
                summary: p.meta.summary.clone().or_else(|| p.meta.definition.clone()),
                content: crate::links::rebase_html(&frags[i].html, &p.url),
                sources: p
                    .meta
                    .sources
                    .iter()
                    .map(|s| PrintSource {
                        title: s.title.clone(),
                        publisher: s.publisher.clone(),
                        date: s.date.as_deref().map(human_date),
                        url: s.url.clone(),
                    })
                    .collect(),
            }
        })
        .collect();
    // Each page is its own small template render, in parallel: one template looping over
    // thousands of pages would run on a single core.
    let articles: Vec<Result<OutFile>> = print_pages
        .par_iter()
        .map(|p| {
            render_template(
                theme,
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
    files.push(render_template(
        theme,
        "print.html",
        &PrintCtx {
            site: sctx,
            root: "",
            url: "print.html",
            title: "Print",
            pages: print_pages
                .into_iter()
                .map(|p| PrintTocEntry {
                    anchor: p.anchor,
                    title: p.title,
                })
                .collect(),
            articles: html,
        },
        "print.html".into(),
    )?);

    let mut updated: Vec<(&str, usize)> = site
        .pages
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.meta.updated.as_deref().map(|u| (u, i)))
        .collect();
    updated.sort_by(|a, b| b.0.cmp(a.0).then(a.1.cmp(&b.1)));
    let entries: Vec<FeedEntry> = updated
        .iter()
        .take(50)
        .map(|&(u, i)| FeedEntry {
            title: site.pages[i].title.clone(),
            url: site.pages[i].url.clone(),
            updated: iso_datetime(u),
            summary: site.pages[i].meta.summary.clone(),
        })
        .collect();
    files.push(render_template(
        theme,
        "feed.xml",
        &FeedCtx {
            site: sctx,
            feed_updated: updated
                .first()
                .map_or_else(|| iso_datetime(&sctx.built), |(u, _)| iso_datetime(u)),
            entries,
        },
        "feed.xml".into(),
    )?);

    let mut sitemap: Vec<FeedEntry> = order
        .iter()
        .map(|&i| FeedEntry {
            title: String::new(),
            url: site.pages[i].url.clone(),
            updated: site.pages[i].meta.updated.clone().unwrap_or_default(),
            summary: None,
        })
        .collect();
    let generated = nav_entries(site).into_iter().map(|(_, u)| u);
    for extra in ["browse.html", "search.html", "print.html"]
        .into_iter()
        .chain(generated)
    {
        sitemap.push(FeedEntry {
            title: String::new(),
            url: extra.into(),
            updated: String::new(),
            summary: None,
        });
    }
    files.push(render_template(
        theme,
        "sitemap.xml",
        &FeedCtx {
            site: sctx,
            feed_updated: String::new(),
            entries: sitemap,
        },
        "sitemap.xml".into(),
    )?);

    files.extend(knowledge_views(site, theme, sctx)?);

    let mut robots = String::from("User-agent: *\nAllow: /\n");
    if !sctx.base_url.is_empty() {
        robots.push_str(&format!("Sitemap: {}sitemap.xml\n", sctx.base_url));
    }
    files.push(OutFile {
        path: "robots.txt".into(),
        bytes: robots.into_bytes(),
    });
    Ok(files)
}

#[derive(Serialize)]
pub struct MatrixColumn {
    pub key: &'static str,
    pub label: &'static str,
    /// The guiding principle behind the element, if one names it.
    pub principle: Option<LinkItem>,
}

#[derive(Serialize)]
pub struct MatrixCell {
    pub element: &'static str,
    pub label: &'static str,
    /// Site-root-relative link to the section of the agreement covering the element.
    pub href: Option<String>,
}

#[derive(Serialize)]
pub struct MatrixRow {
    pub agreement: LinkItem,
    pub cells: Vec<MatrixCell>,
    pub count: usize,
}

#[derive(Serialize)]
struct MatrixCtx<'a> {
    site: &'a SiteCtx,
    root: &'static str,
    url: &'static str,
    title: &'static str,
    summary: Option<&'static str>,
    columns: Vec<MatrixColumn>,
    rows: Vec<MatrixRow>,
}

/// The comparison matrix: agreements as rows, MoU elements as columns.
pub fn matrix_rows(site: &Site) -> (Vec<MatrixColumn>, Vec<MatrixRow>) {
    let order = reading_order(site);
    let columns = crate::content::ELEMENTS
        .iter()
        .map(|(key, label)| MatrixColumn {
            key,
            label,
            principle: order
                .iter()
                .copied()
                .find(|&i| {
                    let p = &site.pages[i];
                    p.kind == Kind::Principle && p.meta.element_names().iter().any(|e| e == key)
                })
                .map(|i| link_item(site, i)),
        })
        .collect();
    let mut agreements: Vec<usize> = (0..site.pages.len())
        .filter(|&i| site.pages[i].kind == Kind::Agreement)
        .collect();
    agreements.sort_by(|&a, &b| {
        let (pa, pb) = (&site.pages[a], &site.pages[b]);
        pa.meta
            .signed
            .cmp(&pb.meta.signed)
            .then_with(|| pa.title.cmp(&pb.title))
    });
    let rows = agreements
        .into_iter()
        .map(|i| {
            let p = &site.pages[i];
            let map = match &p.meta.elements {
                Some(crate::content::Elements::Map(m)) => m.clone(),
                _ => Default::default(),
            };
            let cells: Vec<MatrixCell> = crate::content::ELEMENTS
                .iter()
                .map(|(key, label)| MatrixCell {
                    element: key,
                    label,
                    href: map.get(*key).map(|anchor| format!("{}#{anchor}", p.url)),
                })
                .collect();
            MatrixRow {
                agreement: link_item(site, i),
                count: cells.iter().filter(|c| c.href.is_some()).count(),
                cells,
            }
        })
        .collect();
    (columns, rows)
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct TimelineItem {
    pub title: String,
    pub url: String,
    pub kind: &'static str,
    pub kind_label: &'static str,
    /// What the date marks: "Adopted", "In force", "Event", "Initiative", "Signed".
    pub what: &'static str,
    pub start: String,
    pub end: Option<String>,
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

fn fractional_year(d: &str) -> f64 {
    let mut parts = d.split('-').map(|p| p.parse::<f64>().unwrap_or(1.0));
    let y = parts.next().unwrap_or(0.0);
    let m = parts.next().unwrap_or(1.0);
    let day = parts.next().unwrap_or(1.0);
    y + (m - 1.0) / 12.0 + (day - 1.0) / 365.0
}

const TL_LEFT: f64 = 20.0;
const TL_WIDTH: f64 = 900.0;
const TL_ROW: f64 = 26.0;

/// Dated items in time order, with their place on the drawing.
pub fn timeline_items(site: &Site) -> Vec<TimelineItem> {
    let mut items: Vec<TimelineItem> = Vec::new();
    for p in &site.pages {
        let m = &p.meta;
        let mut push = |what: &'static str, start: &Option<String>, end: &Option<String>| {
            if let Some(s) = start {
                items.push(TimelineItem {
                    title: p.title.clone(),
                    url: p.url.clone(),
                    kind: p.kind.as_str(),
                    kind_label: p.kind.label(),
                    what,
                    start: s.clone(),
                    end: end.clone(),
                    label: match end {
                        Some(e) => format!("{} – {}", human_date(s), human_date(e)),
                        None => human_date(s),
                    },
                    x: 0.0,
                    x2: 0.0,
                    y: 0.0,
                });
            }
        };
        match p.kind {
            Kind::Instrument => {
                push("Adopted", &m.adopted, &None);
                push("In force", &m.in_force, &None);
            }
            Kind::Event => push("Event", &m.date, &m.end_date),
            Kind::Initiative => push("Initiative", &m.started, &m.ended),
            Kind::Agreement => push("Signed or adopted", &m.signed, &None),
            _ => {}
        }
    }
    items.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.title.cmp(&b.title)));
    if items.is_empty() {
        return items;
    }
    let min = items
        .iter()
        .map(|i| fractional_year(&i.start))
        .fold(f64::MAX, f64::min)
        .floor();
    let max = items
        .iter()
        .map(|i| fractional_year(i.end.as_deref().unwrap_or(&i.start)))
        .fold(f64::MIN, f64::max)
        .floor()
        + 1.0;
    let span = (max - min).max(1.0);
    let scale = |d: &str| TL_LEFT + (fractional_year(d) - min) / span * (TL_WIDTH - 2.0 * TL_LEFT);
    for (n, it) in items.iter_mut().enumerate() {
        it.x = (scale(&it.start) * 10.0).round() / 10.0;
        it.x2 = (scale(it.end.as_deref().unwrap_or(&it.start)) * 10.0).round() / 10.0;
        it.y = 30.0 + n as f64 * TL_ROW;
    }
    items
}

fn timeline_ticks(items: &[TimelineItem]) -> Vec<Tick> {
    let Some(first) = items.first() else {
        return Vec::new();
    };
    let min = fractional_year(&first.start).floor() as i32;
    let max = items
        .iter()
        .map(|i| fractional_year(i.end.as_deref().unwrap_or(&i.start)))
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

/// One row of the data export: the page's place in the site and its front matter as written.
#[derive(Serialize, serde::Deserialize, Debug, PartialEq)]
pub struct ExportItem {
    pub path: String,
    pub url: String,
    pub kind: String,
    pub title: String,
    /// The front matter exactly as written (absent keys are null or empty).
    pub front_matter: crate::content::FrontMatter,
}

pub const CSV_COLUMNS: &[&str] = &[
    "path",
    "url",
    "kind",
    "title",
    "summary",
    "tags",
    "regions",
    "countries",
    "stakeholders",
    "short_title",
    "adopted",
    "in_force",
    "binding",
    "signed",
    "parties",
    "elements",
    "region",
    "started",
    "ended",
    "date",
    "end_date",
    "place",
    "abbreviation",
    "founded",
    "website",
    "term",
    "definition",
    "updated",
    "related",
    "sources",
];

fn export_files(site: &Site) -> Result<Vec<OutFile>> {
    let items: Vec<ExportItem> = site
        .pages
        .iter()
        .filter(|p| !p.is_index)
        .map(|p| ExportItem {
            path: p.rel.clone(),
            url: p.url.clone(),
            kind: p.kind.as_str().to_string(),
            title: p.title.clone(),
            front_matter: p.meta.clone(),
        })
        .collect();
    let json = serde_json::to_vec_pretty(&items)
        .map_err(|e| crate::Error::Other(format!("items.json: {e}")))?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| crate::Error::Other(format!("items.csv: {e}"));
    w.write_record(CSV_COLUMNS).map_err(io)?;
    let list = |v: &[String]| v.join("; ");
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    for it in &items {
        let m = &it.front_matter;
        let sources: Vec<String> = m
            .sources
            .iter()
            .map(|s| {
                [
                    Some(s.title.clone()),
                    s.publisher.clone(),
                    s.date.clone(),
                    s.url.clone(),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ")
            })
            .collect();
        w.write_record([
            it.path.clone(),
            it.url.clone(),
            it.kind.clone(),
            it.title.clone(),
            opt(&m.summary),
            list(&m.tags),
            list(&m.regions),
            list(&m.countries),
            list(&m.stakeholders),
            opt(&m.short_title),
            opt(&m.adopted),
            opt(&m.in_force),
            m.binding.map(|b| b.to_string()).unwrap_or_default(),
            opt(&m.signed),
            list(&m.parties),
            list(&m.element_names()),
            opt(&m.region),
            opt(&m.started),
            opt(&m.ended),
            opt(&m.date),
            opt(&m.end_date),
            opt(&m.place),
            opt(&m.abbreviation),
            opt(&m.founded),
            opt(&m.website),
            opt(&m.term),
            opt(&m.definition),
            opt(&m.updated),
            list(&m.related),
            sources.join(" | "),
        ])
        .map_err(io)?;
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

/// The matrix, the timeline and the data export.
pub fn knowledge_views(site: &Site, theme: &Theme, sctx: &SiteCtx) -> Result<Vec<OutFile>> {
    let mut files = export_files(site)?;
    let nav = nav_entries(site);
    if nav.iter().any(|(_, u)| *u == "matrix.html") {
        let (columns, rows) = matrix_rows(site);
        files.push(render_template(
            theme,
            "matrix.html",
            &MatrixCtx {
                site: sctx,
                root: "",
                url: "matrix.html",
                title: "MoU comparison",
                summary: Some("Which elements each agreement covers, with a link to the section that describes it."),
                columns,
                rows,
            },
            "matrix.html".into(),
        )?);
    }
    if nav.iter().any(|(_, u)| *u == "timeline.html") {
        let items = timeline_items(site);
        let ticks = timeline_ticks(&items);
        let height = 30.0 + items.len() as f64 * TL_ROW + 30.0;
        files.push(render_template(
            theme,
            "timeline.html",
            &TimelineCtx {
                site: sctx,
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
        )?);
    }
    Ok(files)
}
