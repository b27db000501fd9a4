//! The markdown stage: each page's Markdown rendered to an HTML fragment, with links rewritten
//! to their final hrefs and glossary terms linked.
//!
//! A pure function of the resolved site: where terms are used is returned beside the fragments,
//! never written back into the site.

use rayon::prelude::*;

use crate::content::Kind;
use crate::glossary::PageLinker;
use crate::links::{self, Target};
use crate::markdown::{self, RenderInput, SectionText, Tools};
use crate::site::Site;

/// One page's Markdown, rendered.
#[derive(Clone)]
pub struct Fragment {
    pub html: String,
    pub sections: Vec<SectionText>,
    pub terms_used: Vec<usize>,
}

/// Every page's fragment, and what they tell about the glossary.
pub struct Fragments {
    /// By page index.
    pub pages: Vec<Fragment>,
    /// For each glossary term: the pages that use it, linked explicitly or automatically.
    pub term_uses: Vec<Vec<usize>>,
}

impl Fragments {
    /// Fragments rendered elsewhere (the live preview reuses those of unchanged pages).
    pub fn new(site: &Site, pages: Vec<Fragment>) -> Fragments {
        let mut term_uses: Vec<Vec<usize>> = vec![Vec::new(); site.glossary().terms.len()];
        let used = site.explicit_terms.iter().zip(&pages);
        for (page, (explicit, f)) in used.enumerate() {
            for &t in explicit.iter().chain(&f.terms_used) {
                if !term_uses[t].contains(&page) {
                    term_uses[t].push(page);
                }
            }
        }
        for uses in &mut term_uses {
            uses.sort_unstable();
        }
        Fragments { pages, term_uses }
    }

    pub fn html(&self, page: usize) -> &str {
        &self.pages[page].html
    }

    /// Frees every page's HTML once the pages and views that read it are written; what the
    /// audits read (the terms' uses) stays.
    pub fn release_html(&mut self) {
        for f in &mut self.pages {
            f.html = String::new();
        }
    }

    /// Each page's sections, taken out of the fragments (which keep empty lists).
    pub fn take_sections(&mut self) -> Vec<Vec<SectionText>> {
        self.pages
            .iter_mut()
            .map(|f| std::mem::take(&mut f.sections))
            .collect()
    }
}

/// Renders every page's Markdown with links rewritten and glossary terms linked, taking the
/// pages' Markdown out of the site: each page's is freed as soon as its fragment is made, so the
/// site's Markdown and its HTML are never held whole side by side (at 100,000 pages that was
/// 500 MB of Markdown beside a gigabyte of fragments).
pub fn render_all(site: &mut Site, tools: &Tools) -> Fragments {
    let sources = site.take_sources();
    let site = &*site;
    let pages: Vec<Fragment> = sources
        .into_par_iter()
        .enumerate()
        .map(|(i, body)| fragment_of(site, tools, i, &site.pages[i].url, &body))
        .collect();
    Fragments::new(site, pages)
}

/// Renders one page's Markdown as if it were placed at `at` (its own URL, or the print page).
pub fn fragment_for(site: &Site, tools: &Tools, i: usize, at: &str) -> Fragment {
    fragment_of(site, tools, i, at, &site.pages[i].body)
}

/// [`fragment_for`] with the page's Markdown given.
fn fragment_of(site: &Site, tools: &Tools, i: usize, at: &str, body: &str) -> Fragment {
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
        enabled: page.meta.flag("glossary") != Some(false),
    };
    let r = markdown::render(&RenderInput {
        body,
        headings: &page.analysis.headings,
        html: site.config.build.allow_html,
        tools,
        rewrite_link: &rewrite,
        glossary: Some(&linker),
    });
    // Every page's fragment is held until the last stage that reads it: trimmed to its length,
    // as a string grown by doubling may have up to twice the room it needs.
    let mut html = r.html;
    html.shrink_to_fit();
    let mut sections = r.sections;
    for s in &mut sections {
        s.text.shrink_to_fit();
    }
    sections.shrink_to_fit();
    Fragment {
        html,
        sections,
        terms_used: r.terms_used,
    }
}
