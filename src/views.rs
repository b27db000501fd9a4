//! Pages generated from the site graph rather than written by editors: taxonomy lists, the
//! printable document, the feed, the sitemap, the 404 page and the search page.

use rayon::prelude::*;
use serde::Serialize;

use crate::content::Kind;
use crate::error::Result;
use crate::render::{
    self, human_date, iso_datetime, link_item, render_template, Fragment, LinkItem, OutFile,
    SiteCtx,
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
    pages: Vec<PrintPage>,
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
    _frags: &[Fragment],
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

    // The printable document renders each page's Markdown again with links that start from the
    // site root, because the page-relative hrefs would be wrong there.
    let order = reading_order(site);
    let print_pages: Vec<PrintPage> = order
        .par_iter()
        .map(|&i| {
            let p = &site.pages[i];
            let frag = render::fragment_for(site, i, "print.html");
            PrintPage {
                anchor: format!(
                    "page-{}",
                    crate::markdown::slugify(p.rel.trim_end_matches(".md"))
                ),
                title: p.title.clone(),
                kind: p.kind.as_str(),
                kind_label: (p.kind != Kind::Page && !p.is_index).then(|| p.kind.label()),
                summary: p.meta.summary.clone().or_else(|| p.meta.definition.clone()),
                content: frag.html,
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
    files.push(render_template(
        theme,
        "print.html",
        &PrintCtx {
            site: sctx,
            root: "",
            url: "print.html",
            title: "Print",
            pages: print_pages,
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
    for extra in ["browse.html", "search.html", "print.html"] {
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
