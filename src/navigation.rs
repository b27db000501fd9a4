//! Navigation every page carries: the chapter tree of the sidebar, and the previous and next
//! pages in reading order. Both come from the table of contents ([`crate::toc`]).

use serde::Serialize;

use crate::site::Site;
use crate::toc::{Chapter, Entry};

/// Up to this many chapters, every branch of the tree is in every page (collapsed unless it
/// holds the current page), as mdBook does; above it, only the branches around the current
/// page, so a page's size does not grow with the whole site.
const FULL_TREE_LIMIT: usize = 300;

/// One line of the sidebar tree, flattened for the template: a part title, a separator, or a
/// chapter. A chapter with `children` opens a nested list that the `close` count of a later
/// line closes.
#[derive(Serialize, Debug, PartialEq)]
pub struct TreeLine {
    pub kind: &'static str,
    pub title: String,
    /// Site-root-relative URL; `None` for a draft chapter.
    pub url: Option<String>,
    pub number: Option<String>,
    pub current: bool,
    /// This chapter's sub-chapters follow, in a nested list.
    pub children: bool,
    /// The nested list starts open: it holds the current page.
    pub open: bool,
    /// How many nested lists end after this line.
    pub close: usize,
}

/// The sidebar tree as seen from page `current`.
pub fn tree(site: &Site, current: usize) -> Vec<TreeLine> {
    let full = site.toc.len() <= FULL_TREE_LIMIT;
    let ancestors = site.toc.ancestors.get(&current);
    let on_path = |c: &Chapter| {
        c.page
            .is_some_and(|p| p == current || ancestors.is_some_and(|a| a.contains(&p)))
    };
    let mut out = Vec::new();
    for e in &site.toc.entries {
        match e {
            Entry::Part(t) => out.push(line("part", t.clone())),
            Entry::Separator => out.push(line("separator", String::new())),
            Entry::Chapter(c) => chapter(site, c, current, full, &on_path, &mut out),
        }
    }
    out
}

/// The sidebar tree as the default theme shows it: nested lists, the branches that hold the
/// current page open. `root` leads from the page to the site root; `sections_of` names a folding
/// button ("Sections of {title}"). A theme's own `templates/toc.html` is rendered instead when
/// there is one (it gets `chapters`, `root` and `sections_of`). The default is written here
/// rather than by a template because the tree is the largest part of every page: through Tera,
/// it took a fifth of the CPU time of a 10,000-page build.
pub fn tree_html(lines: &[TreeLine], root: &str, sections_of: &str) -> String {
    use crate::html::push_escaped;
    let mut out = String::with_capacity(lines.len() * 160);
    // Set on lines of its own, like the other blocks of the page.
    out.push('\n');
    if lines.len() > 1 {
        out.push_str("<ol class=\"toc-tree\">\n");
        for c in lines {
            match c.kind {
                "part" => {
                    out.push_str("<li class=\"toc-part\">");
                    push_escaped(&mut out, &c.title);
                    out.push_str("</li>\n");
                }
                "separator" => {
                    out.push_str("<li class=\"toc-separator\" aria-hidden=\"true\"></li>\n")
                }
                _ => chapter_html(&mut out, c, root, sections_of),
            }
            for _ in 0..c.close {
                out.push_str("</ol></details></li>\n");
            }
        }
        out.push_str("</ol>");
    }
    out.push('\n');
    out
}

/// One chapter's line: its link (a draft has none) and, when its sub-chapters follow, the
/// folding list they open.
fn chapter_html(out: &mut String, c: &TreeLine, root: &str, sections_of: &str) {
    use crate::html::push_escaped;
    let number = |out: &mut String| {
        if let Some(n) = c.number.as_deref().filter(|n| !n.is_empty()) {
            out.push_str("<span class=\"toc-number\">");
            push_escaped(out, n);
            out.push_str("</span> ");
        }
    };
    out.push_str("<li>");
    match c.url.as_deref().filter(|u| !u.is_empty()) {
        Some(url) => {
            out.push_str("<a href=\"");
            push_escaped(out, root);
            push_escaped(out, url);
            out.push('"');
            if c.current {
                out.push_str(" aria-current=\"page\"");
            }
            out.push('>');
            number(out);
            push_escaped(out, &c.title);
            out.push_str("</a>");
        }
        None => {
            out.push_str("<span class=\"toc-draft\">");
            number(out);
            push_escaped(out, &c.title);
            out.push_str("</span>");
        }
    }
    if c.children {
        out.push_str(if c.open {
            "\n<details open>"
        } else {
            "\n<details>"
        });
        out.push_str("<summary><span class=\"visually-hidden\">");
        push_escaped(out, &sections_of.replace("{title}", &c.title));
        out.push_str("</span></summary><ol>\n");
    } else {
        out.push_str("</li>\n");
    }
}

fn line(kind: &'static str, title: String) -> TreeLine {
    TreeLine {
        kind,
        title,
        url: None,
        number: None,
        current: false,
        children: false,
        open: false,
        close: 0,
    }
}

fn chapter(
    site: &Site,
    c: &Chapter,
    current: usize,
    full: bool,
    on_path: &dyn Fn(&Chapter) -> bool,
    out: &mut Vec<TreeLine>,
) {
    let open = on_path(c);
    let show_children = !c.children.is_empty() && (full || open);
    out.push(TreeLine {
        kind: "chapter",
        title: c.title.clone(),
        url: c.page.map(|p| site.pages[p].url.clone()),
        number: c.number.clone(),
        current: c.page == Some(current),
        children: show_children,
        open,
        close: 0,
    });
    if show_children {
        for child in &c.children {
            chapter(site, child, current, full, on_path, out);
        }
        if let Some(last) = out.last_mut() {
            last.close += 1;
        }
    }
}

/// A neighbouring page as a link: (title, url).
pub type Neighbour = (String, String);

/// The pages before and after `page` in reading order.
pub fn neighbours(site: &Site, page: usize) -> (Option<Neighbour>, Option<Neighbour>) {
    let (prev, next) = site.toc.neighbours(page);
    let item = |p: usize| {
        let pg = &site.pages[p];
        let title = match site.toc.numbers.get(&p) {
            Some(n) => format!("{n} {}", pg.title),
            None => pg.title.clone(),
        };
        (title, pg.url.clone())
    };
    (prev.map(item), next.map(item))
}

/// A section with its own printable document: a top-level chapter that is a folder's page and
/// has pages below it.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// The folder (`principles`), which names the section on the command line.
    pub folder: String,
    /// The section's page.
    pub page: usize,
    /// Where its printable document is written (`principles/print.html`).
    pub url: String,
}

/// The sections that get a printable document of their own, in reading order.
pub fn sections(site: &Site) -> Vec<Section> {
    site.toc
        .entries
        .iter()
        .filter_map(|e| match e {
            Entry::Chapter(c) if !c.children.is_empty() => c.page,
            _ => None,
        })
        .filter(|&p| {
            let page = &site.pages[p];
            page.is_index && !page.dir().is_empty()
        })
        .map(|p| {
            let folder = site.pages[p].dir().to_string();
            Section {
                url: format!("{folder}/print.html"),
                folder,
                page: p,
            }
        })
        .collect()
}

/// The printable document of the section page `page` belongs to, if it has one: what "Print
/// this section" links to.
pub fn section_of(site: &Site, page: usize) -> Option<String> {
    let top = site
        .toc
        .ancestors
        .get(&page)
        .and_then(|a| a.first().copied())
        .unwrap_or(page);
    sections(site)
        .into_iter()
        .find(|s| s.page == top)
        .map(|s| s.url)
}
