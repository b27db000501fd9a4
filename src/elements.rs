//! Which guiding principle stands behind each MoU element.
//!
//! Several principles underpin an element (`elements`), but the element's column in the
//! comparison matrix links to one of them: the one that names the element in `principle_for`.
//! The choice is the editor's, written down once, rather than whichever principle comes first
//! in reading order, which may be one that only touches on the element ("Data protection" is
//! underpinned by *Informed consent* too, but its principle is *Confidentiality and data
//! protection*).

use std::collections::BTreeMap;

use crate::content::{Kind, Page};
use crate::error::Diagnostic;
use crate::model::ELEMENTS;

const KEY: &str = "principle_for";

/// The principle (page index) each element names it, for every element that has one. Where two
/// principles name the same element, which [`check`] reports, the first in path order wins.
pub fn principles(pages: &[Page]) -> BTreeMap<&'static str, usize> {
    let mut out = BTreeMap::new();
    for (key, _) in ELEMENTS {
        if let Some(i) = principles_for(pages, key).next() {
            out.insert(*key, i);
        }
    }
    out
}

/// Principles that name `element` in `principle_for`, in path order.
fn principles_for<'a>(pages: &'a [Page], element: &'a str) -> impl Iterator<Item = usize> + 'a {
    pages.iter().enumerate().filter_map(move |(i, p)| {
        (p.kind == Kind::Principle && p.meta.list(KEY).iter().any(|e| e == element)).then_some(i)
    })
}

/// The mapping's problems: an element named by two principles, an element a principle names
/// without underpinning it, and (when `has_matrix`) an element that principles underpin but
/// none names. Unknown element names were reported when the front matter was read.
pub fn check(pages: &[Page], has_matrix: bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for page in pages.iter().filter(|p| p.kind == Kind::Principle) {
        let underpins = page.meta.element_names();
        for (n, element) in page.meta.list(KEY).iter().enumerate() {
            let at = page.pos(&format!("{KEY}[{n}]"));
            if !underpins.contains(element) {
                out.push(
                    Diagnostic::error(
                        &page.source,
                        at.line,
                        at.col,
                        format!("`{KEY}` names `{element}`, which is not among this principle's `elements`"),
                    )
                    .with_hint(format!("add `{element}` to `elements`, or leave it to the principle that underpins it")),
                );
            }
            let first = principles_for(pages, element).next();
            if let Some(first) = first.filter(|&f| !std::ptr::eq(&pages[f], page)) {
                out.push(
                    Diagnostic::error(
                        &page.source,
                        at.line,
                        at.col,
                        format!(
                            "MoU element `{element}` already has a principle: {}",
                            pages[first].rel
                        ),
                    )
                    .with_hint(format!(
                        "the matrix column links to one principle: keep `{element}` in the `{KEY}` of one page only"
                    )),
                );
            }
        }
    }
    if has_matrix {
        out.extend(unmapped(pages));
    }
    out
}

/// Elements that principles underpin but no principle names in `principle_for`: reported on
/// the first principle that underpins each, with the others as candidates.
fn unmapped(pages: &[Page]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (element, label) in ELEMENTS {
        if principles_for(pages, element).next().is_some() {
            continue;
        }
        let underpinning: Vec<&Page> = pages
            .iter()
            .filter(|p| {
                p.kind == Kind::Principle && p.meta.list("elements").iter().any(|e| e == element)
            })
            .collect();
        let Some(first) = underpinning.first() else {
            continue;
        };
        let n = first
            .meta
            .list("elements")
            .iter()
            .position(|e| e == element)
            .unwrap_or(0);
        let at = first.pos(&format!("elements[{n}]"));
        let candidates: Vec<&str> = underpinning.iter().map(|p| p.rel.as_str()).collect();
        out.push(
            Diagnostic::error(
                &first.source,
                at.line,
                at.col,
                format!("MoU element `{element}` has no principle: the matrix column \"{label}\" would link nowhere"),
            )
            .with_hint(format!(
                "add `{KEY}: [{element}]` to the principle the column should link to: {}",
                candidates.join(", ")
            )),
        );
    }
    out
}
