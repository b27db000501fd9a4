//! The markdown stage: each page's Markdown rendered to an HTML fragment, with links rewritten
//! to their final hrefs and glossary terms linked.
//!
//! A pure function of the resolved site: where terms are used is returned beside the fragments,
//! never written back into the site.

use std::borrow::Cow;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::content::Kind;
use crate::error::{Error, Result};
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
    /// By page index. With [`Fragments::spill`], their HTML is on disk, not here.
    pub pages: Vec<Fragment>,
    /// For each glossary term: the pages that use it, linked explicitly or automatically.
    pub term_uses: Vec<Vec<usize>>,
    spill: Option<Arc<Spill>>,
    /// Where each page's sections' text is in the spill file, by page and section.
    sections_at: Vec<Vec<(u64, usize)>>,
}

/// The pages' HTML and their sections' text in a file on disk, read back a page at a time.
/// Every page's HTML is read while the pages and views are made, and its text while the index
/// is, but each only a few times; at 100,000 pages they are a gigabyte: from the page cache
/// they cost a copy; held, they were two thirds of the peak.
struct Spill {
    path: PathBuf,
    file: File,
    /// Where each page's HTML is in the file, by page index.
    at: Vec<(u64, usize)>,
}

impl Drop for Spill {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

impl Spill {
    fn read(&self, page: usize) -> Result<String> {
        let (offset, len) = self.at[page];
        self.read_range(offset, len)
    }

    fn read_range(&self, offset: u64, len: usize) -> Result<String> {
        let mut bytes = vec![0; len];
        accord_search::read_exact_at(&self.file, &mut bytes, offset)
            .map_err(|e| Error::io(&self.path, e))?;
        String::from_utf8(bytes).map_err(|e| {
            Error::io(
                &self.path,
                std::io::Error::new(std::io::ErrorKind::InvalidData, e),
            )
        })
    }
}

/// The file being written while fragments are rendered: pages are appended as they finish, in
/// any order, each noting where it went.
struct SpillWriter {
    path: PathBuf,
    out: Mutex<(std::io::BufWriter<File>, u64)>,
}

impl SpillWriter {
    fn create(path: PathBuf) -> Result<SpillWriter> {
        let file = File::options()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        Ok(SpillWriter {
            path,
            out: Mutex::new((std::io::BufWriter::with_capacity(1 << 20, file), 0)),
        })
    }

    /// Appends `html`; where it is.
    fn put(&self, html: &str) -> Result<(u64, usize)> {
        let mut out = self.out.lock().unwrap_or_else(|e| e.into_inner());
        let offset = out.1;
        out.0
            .write_all(html.as_bytes())
            .map_err(|e| Error::io(&self.path, e))?;
        out.1 += html.len() as u64;
        Ok((offset, html.len()))
    }

    fn finish(self, at: Vec<(u64, usize)>) -> Result<Spill> {
        let (writer, _) = self.out.into_inner().unwrap_or_else(|e| e.into_inner());
        let path = self.path;
        match writer.into_inner() {
            Ok(file) => Ok(Spill { path, file, at }),
            Err(e) => {
                let _ = std::fs::remove_file(&path);
                Err(Error::io(&path, e.into_error()))
            }
        }
    }
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
        Fragments {
            pages,
            term_uses,
            spill: None,
            sections_at: Vec::new(),
        }
    }

    /// A page's HTML; an error only when it was put on disk and cannot be read back.
    pub fn html(&self, page: usize) -> Result<Cow<'_, str>> {
        match &self.spill {
            Some(spill) => spill.read(page).map(Cow::Owned),
            None => Ok(Cow::Borrowed(&self.pages[page].html)),
        }
    }

    /// Frees every page's HTML once the pages and views that read it are written; what the
    /// audits read (the terms' uses) stays.
    pub fn release_html(&mut self) {
        self.spill = None;
        for f in &mut self.pages {
            f.html = String::new();
        }
    }

    /// Each page's sections, taken out of the fragments (which keep empty lists); their text
    /// stays on disk when the fragments' HTML is.
    pub fn take_sections(&mut self) -> IndexSections {
        let pages = self
            .pages
            .iter_mut()
            .map(|f| std::mem::take(&mut f.sections))
            .collect();
        let on_disk = self.spill.clone().map(|spill| SectionTexts {
            spill,
            at: std::mem::take(&mut self.sections_at),
        });
        IndexSections { pages, on_disk }
    }
}

/// Each page's sections, for the search index.
pub struct IndexSections {
    /// By page index. Their `text` is empty when it is on disk.
    pub pages: Vec<Vec<SectionText>>,
    pub on_disk: Option<SectionTexts>,
}

/// The sections' text on disk, kept there until the index has read it: the file is shared with
/// the fragments, and removed when both are done with it.
pub struct SectionTexts {
    spill: Arc<Spill>,
    at: Vec<Vec<(u64, usize)>>,
}

impl SectionTexts {
    /// The text of section `n` of `page`.
    pub fn read(&self, page: usize, n: usize) -> std::io::Result<String> {
        let (offset, len) = self.at[page][n];
        self.spill
            .read_range(offset, len)
            .map_err(|e| std::io::Error::other(e.to_string()))
    }
}

/// Renders every page's Markdown with links rewritten and glossary terms linked, taking the
/// pages' Markdown out of the site: each page's is freed as soon as its fragment is made, so the
/// site's Markdown and its HTML are never held whole side by side (at 100,000 pages that was
/// 500 MB of Markdown beside a gigabyte of fragments).
///
/// With `scratch`, a folder outside the site, the pages' HTML is written to a file there as
/// each page is rendered, and read back from it (see [`Spill`]); the file is removed with the
/// fragments or when [`Fragments::release_html`] is called.
pub fn render_all(site: &mut Site, tools: &Tools, scratch: Option<&Path>) -> Result<Fragments> {
    let sources = site.take_sources();
    let site = &*site;
    let writer = scratch
        .map(|s| {
            SpillWriter::create(s.join(format!("fragments-{}.html", site.config.book.language)))
        })
        .transpose()?;
    type Placed = Option<((u64, usize), Vec<(u64, usize)>)>;
    let rendered: Vec<(Fragment, Placed)> = sources
        .into_par_iter()
        .enumerate()
        .map(|(i, body)| {
            let mut f = fragment_of(site, tools, i, &site.pages[i].url, &body);
            drop(body);
            let Some(w) = &writer else {
                return Ok((f, None));
            };
            let html = w.put(&std::mem::take(&mut f.html))?;
            let texts = f
                .sections
                .iter_mut()
                .map(|s| w.put(&std::mem::take(&mut s.text)))
                .collect::<Result<_>>()?;
            Ok((f, Some((html, texts))))
        })
        .collect::<Result<_>>()?;
    let (pages, placed): (Vec<Fragment>, Vec<Placed>) = rendered.into_iter().unzip();
    let mut frags = Fragments::new(site, pages);
    if let Some(w) = writer {
        let (at, sections_at) = placed.into_iter().flatten().unzip();
        frags.spill = Some(Arc::new(w.finish(at)?));
        frags.sections_at = sections_at;
    }
    Ok(frags)
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
