//! The MoU comparison matrix: agreements as rows, MoU elements as columns.
//!
//! Each covered cell links to the section of the agreement that describes the element; each
//! column heading links to the principle that names the element in `principle_for` (see
//! [`crate::elements`]). Rows carry their elements and regions as data, so the page's small
//! script can filter them; without the script every row shows.

use serde::Serialize;

use crate::content::Kind;
use crate::error::Result;
use crate::messages::Messages;
use crate::model::ELEMENTS;
use crate::output::OutFile;
use crate::render::{link_item, render_template, LinkItem, SiteCtx};
use crate::site::Site;
use crate::slug::slugify;
use crate::theme::Theme;

#[derive(Serialize)]
pub struct MatrixColumn {
    pub key: &'static str,
    pub label: String,
    /// The guiding principle behind the element, if one names it in `principle_for`.
    pub principle: Option<LinkItem>,
}

#[derive(Serialize)]
pub struct MatrixCell {
    pub element: &'static str,
    pub label: String,
    /// Site-root-relative link to the section of the agreement covering the element.
    pub href: Option<String>,
}

/// A region an agreement concerns: a choice of the region filter.
#[derive(Serialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Region {
    pub slug: String,
    pub label: String,
}

#[derive(Serialize)]
pub struct MatrixRow {
    pub agreement: LinkItem,
    pub cells: Vec<MatrixCell>,
    pub count: usize,
    /// Whether the sources describe any of the agreement's clauses. A row without any says so
    /// in words: a row of empty cells would read as "covers nothing".
    pub described: bool,
    /// Slugs of the elements it covers, space-separated: what the element filter reads.
    pub elements: String,
    /// Slugs of its regions, space-separated: what the region filter reads.
    pub regions: String,
}

/// The whole matrix: its columns, its rows, and the regions its rows concern.
pub struct Matrix {
    pub columns: Vec<MatrixColumn>,
    pub rows: Vec<MatrixRow>,
    pub regions: Vec<Region>,
}

#[derive(Serialize)]
struct MatrixCtx<'a> {
    site: &'a SiteCtx,
    root: &'static str,
    url: &'static str,
    title: String,
    summary: Option<String>,
    /// "12 agreements", in the reader's language.
    count_label: String,
    columns: Vec<MatrixColumn>,
    rows: Vec<MatrixRow>,
    regions: Vec<Region>,
}

/// Agreements in order of their key date, then title.
fn agreements(site: &Site) -> Vec<usize> {
    let mut out: Vec<usize> = (0..site.pages.len())
        .filter(|&i| site.pages[i].kind == Kind::Agreement)
        .collect();
    out.sort_by(|&a, &b| {
        let (pa, pb) = (&site.pages[a], &site.pages[b]);
        pa.key_date()
            .cmp(&pb.key_date())
            .then_with(|| pa.title.cmp(&pb.title))
    });
    out
}

fn regions_of(site: &Site, page: usize) -> Vec<Region> {
    site.pages[page]
        .meta
        .list("regions")
        .iter()
        .map(|r| Region {
            slug: slugify(r),
            label: r.clone(),
        })
        .collect()
}

fn row(site: &Site, msg: &Messages, i: usize) -> MatrixRow {
    let p = &site.pages[i];
    let map = p.meta.element_map().cloned().unwrap_or_default();
    let cells: Vec<MatrixCell> = ELEMENTS
        .iter()
        .map(|(key, _)| MatrixCell {
            element: key,
            label: msg.element(key),
            href: map.get(*key).map(|anchor| format!("{}#{anchor}", p.url)),
        })
        .collect();
    let covered: Vec<&str> = cells
        .iter()
        .filter(|c| c.href.is_some())
        .map(|c| c.element)
        .collect();
    MatrixRow {
        agreement: link_item(site, msg, i),
        count: covered.len(),
        described: !covered.is_empty(),
        elements: covered.join(" "),
        regions: regions_of(site, i)
            .into_iter()
            .map(|r| r.slug)
            .collect::<Vec<_>>()
            .join(" "),
        cells,
    }
}

/// The comparison matrix of the site's agreements, labelled in the reader's language.
pub fn matrix(site: &Site, msg: &Messages) -> Matrix {
    let principles = crate::elements::principles(&site.pages);
    let columns = ELEMENTS
        .iter()
        .map(|(key, _)| MatrixColumn {
            key,
            label: msg.element(key),
            principle: principles.get(key).map(|&i| link_item(site, msg, i)),
        })
        .collect();
    let agreements = agreements(site);
    let mut regions: Vec<Region> = agreements
        .iter()
        .flat_map(|&i| regions_of(site, i))
        .collect();
    regions.sort_by(|a, b| a.label.cmp(&b.label));
    regions.dedup_by(|a, b| a.slug == b.slug);
    Matrix {
        columns,
        rows: agreements.into_iter().map(|i| row(site, msg, i)).collect(),
        regions,
    }
}

/// `matrix.html`, when the site has agreements.
pub fn page(site: &Site, theme: &Theme, sctx: &SiteCtx) -> Result<Vec<OutFile>> {
    if !site.has_matrix() {
        return Ok(Vec::new());
    }
    let Matrix {
        columns,
        rows,
        regions,
    } = matrix(site, &sctx.messages);
    Ok(vec![render_template(
        theme,
        "matrix.html",
        &MatrixCtx {
            site: sctx,
            root: "",
            url: "matrix.html",
            title: sctx.messages.text("matrix_title"),
            summary: Some(sctx.messages.text("matrix_summary")),
            count_label: sctx.messages.plural("matrix_count", rows.len(), &[]),
            columns,
            rows,
            regions,
        },
        "matrix.html".into(),
    )?])
}
