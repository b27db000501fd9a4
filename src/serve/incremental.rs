//! Incremental rebuilds for `accord serve`.
//!
//! The stages are the ones `accord build` runs (the pipeline module), in the same order, but each
//! rebuild starts from the last good site and redoes only what a change can have affected:
//!
//! - **load**: the content folder is walked again (cheap), and only files whose size or
//!   modification time changed, or that the watcher named, are parsed again. Deciding from the
//!   disk rather than from watcher events alone makes saves by rename, deletions, folder moves
//!   and `git checkout` bursts all look alike.
//! - **resolve** and the audits run in full: they are fast, and they are where a deleted page
//!   turns the links to it into errors.
//! - **markdown**: only changed pages are rendered again, unless the glossary, the
//!   configuration or the set of pages changed, since every page's fragment depends on those.
//! - **templates**: a change confined to one page's body re-renders that page, the pages whose
//!   "referenced by" list changed and the glossary terms whose "used on" list changed. A change
//!   to anything other pages show (title, summary, tags, dates, weight, `related`, …), to a
//!   glossary term, to the theme or to book.toml re-renders every page. [`face`] is that list.
//! - **views and search index**: they depend on every page (the printable page holds them all),
//!   so they are rendered when first requested after a change, not on the path from save to
//!   reload. The theme's own runtime errors are caught eagerly: views are rendered at once on the
//!   first build and whenever the theme changes.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use axum::body::Bytes;
use rayon::prelude::*;

use crate::content::{self, Loaded, Page};
use crate::error::{Diagnostic, Error, Result};
use crate::fragments::{self, Fragment, Fragments};
use crate::frontmatter::Meta;
use crate::markdown::Tools;
use crate::output::OutFile;
use crate::pipeline::{self, Timer};
use crate::render;
use crate::site::Site;
use crate::theme::Theme;

/// What the watcher saw since the last build.
#[derive(Debug, Default, Clone)]
pub struct Changes {
    /// Files under the content folder that changed, were created or were removed.
    pub content: Vec<PathBuf>,
    pub theme: bool,
    pub config: bool,
    /// Events may have been lost: walk the whole content folder.
    pub rescan: bool,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.content.is_empty() && !self.theme && !self.config
    }

    pub fn merge(&mut self, other: Changes) {
        self.content.extend(other.content);
        self.theme |= other.theme;
        self.config |= other.config;
        self.rescan |= other.rescan;
    }
}

/// Files computed on first request, once per build.
type Lazy = OnceLock<std::result::Result<HashMap<String, Bytes>, String>>;

/// One successfully built site, as served.
pub struct Snapshot {
    pub generation: u64,
    pub site: Site,
    pub frags: Fragments,
    /// Warnings of the build, for the terminal.
    pub warnings: Vec<Diagnostic>,
    pub theme: Arc<Theme>,
    config_key: String,
    pub content_dir: PathBuf,
    /// Rendered pages by output path.
    pub pages: HashMap<String, Bytes>,
    /// The theme's static files by output path (`assets/…`).
    pub statics: Arc<HashMap<String, Bytes>>,
    /// Files copied from the content folder, read from disk when requested.
    pub assets: HashSet<String>,
    views: Lazy,
    index: Lazy,
    /// The project folder, for the further languages' sites.
    root: PathBuf,
    /// The further languages' sites (`de/…`), built in full on their first request after each
    /// rebuild: an edit shows at once in the book's own language, which is what editors
    /// preview most.
    translations: Lazy,
}

/// Output paths of the search index stage, so a request for them does not render the views.
pub fn is_index_path(path: &str) -> bool {
    path == crate::search::INDEX_PATH
        || path == "search/index.js"
        || path.starts_with(crate::search::CHUNKS_DIR)
        || path.starts_with("assets/accord-search")
}

impl Snapshot {
    /// Taxonomy lists, the printable page, feed, sitemap, 404 page and the like.
    pub fn views(&self) -> std::result::Result<&HashMap<String, Bytes>, &str> {
        self.views
            .get_or_init(|| {
                let sctx = render::site_ctx(&self.site, &self.theme);
                crate::views::render(&self.site, &self.frags, &self.theme, &sctx)
                    .map(to_map)
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(String::as_str)
    }

    /// The search index and engine files.
    pub fn index(&self) -> std::result::Result<&HashMap<String, Bytes>, &str> {
        self.index
            .get_or_init(|| {
                crate::search::index_files(&self.site, &self.frags)
                    .map(to_map)
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(String::as_str)
    }

    pub fn has_page(&self, path: &str) -> bool {
        self.pages.contains_key(path)
    }

    /// Whether `path` lies in a further language's folder (`de/…`).
    pub fn in_translation(&self, path: &str) -> bool {
        self.site.languages.iter().skip(1).any(|code| {
            path.strip_prefix(code.as_str())
                .is_some_and(|r| r.is_empty() || r.starts_with('/'))
        })
    }

    /// Every file of the further languages' sites.
    pub fn translations(&self) -> std::result::Result<&HashMap<String, Bytes>, &str> {
        self.translations
            .get_or_init(|| {
                let mut timer = Timer::default();
                let resolved =
                    pipeline::front(&self.root, &mut timer).map_err(|e| e.to_string())?;
                let (mut site, _) =
                    pipeline::site_without_errors(resolved).map_err(|e| e.to_string())?;
                // Served from memory, as the book language's pages are.
                let sink = crate::output::Sink::memory();
                let mut tools = crate::markdown::Tools::default();
                for other in &mut site.translations {
                    tools.labels = pipeline::labels_for(other, &self.theme);
                    pipeline::render_translation(
                        &self.root,
                        other,
                        &self.theme,
                        &tools,
                        &mut timer,
                        None,
                        &sink,
                    )
                    .map_err(|e| e.to_string())?;
                }
                Ok(to_map(sink.into_files()))
            })
            .as_ref()
            .map_err(String::as_str)
    }
}

fn to_map(files: Vec<OutFile>) -> HashMap<String, Bytes> {
    files
        .into_iter()
        .map(|f| (f.path, Bytes::from(f.bytes)))
        .collect()
}

/// What a rebuild did, for the terminal.
pub struct Outcome {
    pub snapshot: Arc<Snapshot>,
    pub rendered: usize,
    pub stages: Vec<(&'static str, Duration)>,
    pub total: Duration,
}

#[derive(Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

struct Parsed {
    stamp: Stamp,
    result: std::result::Result<Option<Page>, Vec<Diagnostic>>,
    /// Files the page includes (known even when it has errors).
    includes: Vec<PathBuf>,
}

/// Keeps what the next rebuild can reuse: parsed files, the theme and the last good site.
pub struct Builder {
    root: PathBuf,
    files: BTreeMap<String, Parsed>,
    theme: Option<Arc<Theme>>,
    theme_name: String,
    theme_stale: bool,
    last: Option<Arc<Snapshot>>,
    generation: u64,
    /// From the last book.toml that could be read, even when the build then failed.
    content_dir: Option<PathBuf>,
    output_dir: Option<PathBuf>,
    /// Non-Markdown files of the content folder at the last walk.
    assets: Vec<String>,
    /// Symbolic links of the content folder at the last walk.
    symlinks: Vec<String>,
    /// Paths never read as content (the output folder, book.toml).
    exclude: Vec<PathBuf>,
    /// Copies made while idle (see [`Builder::prepare`]), so the next rebuild need not copy.
    spare: Spare,
    /// The highlighter's grammars and the sanitiser, made once for every rebuild.
    tools: Tools,
    /// book.toml's further languages: their translations are not pages of the preview.
    languages: Vec<String>,
}

#[derive(Default)]
struct Spare {
    /// Cached pages by path, as they were when copied.
    pages: HashMap<String, Page>,
    /// The last good site's fragments and rendered pages, for its generation.
    generation: u64,
    frags: Vec<Option<Fragment>>,
    outputs: Option<HashMap<String, Bytes>>,
}

impl Builder {
    pub fn new(root: &Path) -> Builder {
        Builder {
            root: root.to_path_buf(),
            files: BTreeMap::new(),
            theme: None,
            theme_name: String::new(),
            theme_stale: true,
            last: None,
            generation: 0,
            content_dir: None,
            output_dir: None,
            assets: Vec::new(),
            symlinks: Vec::new(),
            exclude: Vec::new(),
            spare: Spare::default(),
            tools: Tools::default(),
            languages: Vec::new(),
        }
    }

    /// The content folder of the configuration last read, for the watcher.
    pub fn content_dir(&self) -> Option<PathBuf> {
        self.content_dir.clone()
    }

    /// The output folder of the configuration last read: `accord build` writes there, the
    /// preview never reads it, so the watcher ignores it.
    pub fn output_dir(&self) -> Option<PathBuf> {
        self.output_dir.clone()
    }

    /// Copies what the next rebuild starts from: every parsed page, and the last good site's
    /// fragments and pages. Called between rebuilds, this takes the copying (about 10 ms for
    /// 1,000 pages) off the time between a save and the reload.
    pub fn prepare(&mut self) {
        if self.spare.pages.is_empty() {
            self.spare.pages = self
                .files
                .iter()
                .filter_map(|(rel, p)| match &p.result {
                    Ok(Some(page)) => Some((rel.clone(), page.clone())),
                    _ => None,
                })
                .collect();
        }
        if let Some(last) = &self.last {
            if self.spare.generation != last.generation || self.spare.outputs.is_none() {
                self.spare.generation = last.generation;
                self.spare.frags = last.frags.pages.iter().cloned().map(Some).collect();
                self.spare.outputs = Some(last.pages.clone());
            }
        }
    }

    /// Builds the site, reusing whatever `changes` cannot have affected. On error the last good
    /// site is kept for the next attempt.
    pub fn build(&mut self, changes: &Changes) -> Result<Outcome> {
        let start = Instant::now();
        let mut timer = Timer::default();
        let config = timer.stage("config", || pipeline::config(&self.root))?;
        let config_key = format!("{config:?}");
        let content_dir = self.root.join(&config.book.src);
        self.content_dir = Some(content_dir.clone());
        self.exclude = pipeline::not_content(&self.root, &config);
        self.output_dir = Some(self.root.join(&config.build.build_dir));
        if changes.theme || config.build.theme != self.theme_name {
            self.theme_stale = true;
        }
        let theme = match (&self.theme, self.theme_stale) {
            (Some(t), false) => t.clone(),
            _ => {
                let t = Arc::new(
                    timer.stage("theme", || Theme::load(&self.root, &config.build.theme))?,
                );
                self.theme = Some(t.clone());
                self.theme_name = config.build.theme.clone();
                self.theme_stale = false;
                t
            }
        };
        // Translations are not pages of the book's own language (they are built on request,
        // see `Snapshot::translations`).
        self.languages = config.further_languages();
        // The words the renderer writes into content (callout titles, task boxes), in the book's
        // language; a change of theme or language renders every page again anyway.
        self.tools.labels =
            crate::markdown::Labels::from_messages(&theme.messages(&config.book.language));
        let loaded = timer.stage("load", || {
            self.load(&content_dir, &config.book.src, changes)
        })?;
        let mut resolved = timer.stage("resolve", || crate::site::resolve(config, loaded));
        let audit = timer.stage("audit", || {
            crate::audit::build_errors(&self.root, &resolved.site)
        })?;
        resolved.diagnostics.extend(audit);
        let (site, warnings) = pipeline::site_without_errors(resolved)?;

        let last = self.last.as_deref();
        let plan = Plan::new(last, &site, &config_key, &theme);
        let spare_frags = match last {
            Some(l) if self.spare.generation == l.generation => {
                std::mem::take(&mut self.spare.frags)
            }
            _ => Vec::new(),
        };
        let frags = timer.stage("markdown", || {
            plan.fragments(last, &site, spare_frags, &self.tools)
        });
        let which = plan.pages_to_render(last, &site, &frags);
        let sctx = render::site_ctx(&site, &theme);
        let files = timer.stage("templates", || {
            render::page_files(&site, &frags, &theme, &sctx, &which, None)
        })?;
        let spare_outputs = match last {
            Some(l) if self.spare.generation == l.generation => self.spare.outputs.take(),
            _ => None,
        };
        let mut pages = match last {
            Some(l) if !plan.full => spare_outputs.unwrap_or_else(|| l.pages.clone()),
            _ => HashMap::with_capacity(files.len()),
        };
        pages.extend(files.into_iter().map(|f| (f.path, Bytes::from(f.bytes))));
        let statics = match last {
            Some(l) if Arc::ptr_eq(&l.theme, &theme) => l.statics.clone(),
            _ => Arc::new(
                theme
                    .statics
                    .iter()
                    .map(|(name, b)| (format!("assets/{name}"), Bytes::from(b.clone())))
                    .collect(),
            ),
        };
        self.generation += 1;
        let snapshot = Snapshot {
            generation: self.generation,
            assets: site.assets.iter().cloned().collect(),
            site,
            frags,
            warnings,
            theme,
            config_key,
            content_dir,
            pages,
            statics,
            views: OnceLock::new(),
            index: OnceLock::new(),
            root: self.root.clone(),
            translations: OnceLock::new(),
        };
        if plan.theme_changed {
            // A template that fails only at render time must show up now, not on first visit.
            timer
                .stage("views", || snapshot.views().map(|_| ()))
                .map_err(|e| Error::Other(e.to_string()))?;
        }
        let snapshot = Arc::new(snapshot);
        self.last = Some(snapshot.clone());
        Ok(Outcome {
            snapshot,
            rendered: which.len(),
            stages: timer.stages,
            total: start.elapsed(),
        })
    }

    /// The load stage over the cache: parses again only the files that changed. The folder is
    /// walked like [`content::load`] does unless the watcher named only Markdown files.
    fn load(
        &mut self,
        content_dir: &Path,
        display_dir: &Path,
        changes: &Changes,
    ) -> Result<Loaded> {
        if !content_dir.is_dir() {
            self.files.clear();
            self.spare.pages.clear();
            return Err(Error::Content(vec![Diagnostic::error(
                display_dir,
                0,
                0,
                "content directory not found",
            )
            .with_hint("create it, or set `src` under [book] in book.toml")]));
        }
        let mut diagnostics = Vec::new();
        let named_only = !self.files.is_empty()
            && !changes.rescan
            && !changes.config
            && changes.content.iter().all(|p| {
                p.starts_with(content_dir)
                    && p.extension().is_some_and(|e| e == "md")
                    && (p.is_file() || !p.exists())
            });
        let (mut stale, removed) = if named_only {
            self.named_files(content_dir, &changes.content)
        } else {
            self.walk(content_dir, display_dir, &changes.content, &mut diagnostics)
        };
        // A page is read again when a file it includes changed, even one outside the folder.
        let changed: HashSet<&Path> = changes.content.iter().map(PathBuf::as_path).collect();
        for (rel, parsed) in &self.files {
            let includes_changed = parsed
                .includes
                .iter()
                .any(|i| changed.contains(i.as_path()));
            if includes_changed && !stale.iter().any(|(r, _, _)| r == rel) {
                stale.push((rel.clone(), content_dir.join(rel), parsed.stamp));
            }
        }
        let root = self.root.clone();
        let fresh: Vec<(String, Parsed)> = stale
            .par_iter()
            .map(|(rel, path, stamp)| {
                let source = content::display_path(display_dir, rel);
                let dirs = crate::include::Dirs {
                    root: &root,
                    file: path,
                };
                let mut includes = Vec::new();
                let result = match std::fs::read(path) {
                    Ok(bytes) => {
                        content::parse_page_in(&bytes, rel, &source, Some(&dirs), &mut includes)
                    }
                    Err(e) => Err(vec![Diagnostic::error(
                        &source,
                        0,
                        0,
                        format!("cannot read: {e}"),
                    )]),
                };
                (
                    rel.clone(),
                    Parsed {
                        stamp: *stamp,
                        result,
                        includes,
                    },
                )
            })
            .collect();
        for rel in &removed {
            self.files.remove(rel);
            self.spare.pages.remove(rel);
        }
        for (rel, parsed) in fresh {
            self.spare.pages.remove(&rel);
            self.files.insert(rel, parsed);
        }

        let (summary, summary_diags) = content::read_summary(content_dir, display_dir);
        diagnostics.extend(summary_diags);
        let results: Vec<(String, content::Parsed, Vec<PathBuf>)> = self
            .files
            .iter()
            .map(|(rel, parsed)| {
                let r = match &parsed.result {
                    Ok(Some(_)) => Ok(self.spare.pages.remove(rel)),
                    other => other.clone(),
                };
                let r = match (r, &parsed.result) {
                    (Ok(None), Ok(Some(p))) => Ok(Some(p.clone())),
                    (r, _) => r,
                };
                (rel.clone(), r, parsed.includes.clone())
            })
            .collect();
        self.spare.pages.clear();
        let (pages, failed) =
            content::collect_parsed(results, content_dir, summary.as_ref(), &mut diagnostics);
        content::check_duplicate_outputs(&pages, &mut diagnostics);
        Ok(Loaded {
            pages,
            assets: self.assets.clone(),
            symlinks: self.symlinks.clone(),
            summary,
            failed,
            diagnostics,
            translations: Vec::new(),
        })
    }

    /// Files to parse again and files gone, from the paths the watcher named.
    fn named_files(
        &self,
        content_dir: &Path,
        named: &[PathBuf],
    ) -> (Vec<(String, PathBuf, Stamp)>, Vec<String>) {
        let mut stale = Vec::new();
        let mut removed = Vec::new();
        for p in named {
            let Some(rel) = content::rel_path(content_dir, p) else {
                continue;
            };
            if p.file_name()
                .is_some_and(|n| content::is_editor_temp(&n.to_string_lossy()))
                || rel == content::SUMMARY
                || crate::translation::original_of(&rel, &self.languages).is_some()
            {
                continue;
            }
            match std::fs::metadata(p) {
                Ok(m) => stale.push((rel, p.clone(), stamp(&m))),
                Err(_) => removed.push(rel),
            }
        }
        stale.sort_by(|a, b| a.0.cmp(&b.0));
        stale.dedup_by(|a, b| a.0 == b.0);
        (stale, removed)
    }

    /// Walks the folder like [`content::load`]: files that changed size or time, or that the
    /// watcher named, are stale; files no longer there are removed.
    fn walk(
        &mut self,
        content_dir: &Path,
        display_dir: &Path,
        named: &[PathBuf],
        diagnostics: &mut Vec<Diagnostic>,
    ) -> (Vec<(String, PathBuf, Stamp)>, Vec<String>) {
        let named: HashSet<&Path> = named.iter().map(PathBuf::as_path).collect();
        let mut seen: HashSet<String> = HashSet::new();
        let mut stale = Vec::new();
        let scan = content::scan(content_dir, display_dir, &self.exclude);
        self.assets = scan.assets;
        self.symlinks = scan.symlinks;
        diagnostics.extend(scan.diagnostics);
        for (rel, path) in scan.markdown {
            if crate::translation::original_of(&rel, &self.languages).is_some() {
                continue;
            }
            let st = std::fs::metadata(&path).map_or(
                Stamp {
                    len: u64::MAX,
                    modified: None,
                },
                |m| stamp(&m),
            );
            if named.contains(path.as_path()) || self.files.get(&rel).is_none_or(|p| p.stamp != st)
            {
                stale.push((rel.clone(), path, st));
            }
            seen.insert(rel);
        }
        let removed = self
            .files
            .keys()
            .filter(|rel| !seen.contains(rel.as_str()))
            .cloned()
            .collect();
        (stale, removed)
    }
}

fn stamp(m: &std::fs::Metadata) -> Stamp {
    Stamp {
        len: m.len(),
        modified: m.modified().ok(),
    }
}

/// Front-matter keys that only the page itself displays: a change to one of them re-renders
/// that page alone. Every other key can show on other pages (in lists, taxonomies, the glossary,
/// navigation), so a change to it re-renders every page.
const OWN_PAGE_ONLY: &[&str] = &[
    "sources",
    "updated",
    "glossary",
    "parties",
    "place",
    "website",
    "binding",
    "in_force",
    "body",
    "depositary",
    "monitoring",
    "elements",
];

/// What other pages can show of a page: everything but the body and [`OWN_PAGE_ONLY`].
fn face(p: &Page) -> (&str, &str, content::Kind, bool, Meta) {
    let mut m = p.meta.clone();
    for key in OWN_PAGE_ONLY {
        m.remove(key);
    }
    (&p.title, &p.url, p.kind, p.is_index, m)
}

fn same_page(a: &Page, b: &Page) -> bool {
    a.body == b.body
        && a.meta == b.meta
        && a.title == b.title
        && a.kind == b.kind
        && a.is_index == b.is_index
}

/// Which fragments and pages a rebuild must render, from a comparison with the last good site.
struct Plan {
    /// For each page of the new site: its index in the last site, when it is unchanged there.
    unchanged: Vec<Option<usize>>,
    /// Every fragment must be rendered again.
    all_fragments: bool,
    /// Every page must be rendered again.
    full: bool,
    theme_changed: bool,
}

impl Plan {
    fn new(last: Option<&Snapshot>, site: &Site, config_key: &str, theme: &Arc<Theme>) -> Plan {
        let Some(last) = last else {
            return Plan {
                unchanged: vec![None; site.pages.len()],
                all_fragments: true,
                full: true,
                theme_changed: true,
            };
        };
        let old_index: HashMap<&str, usize> = last
            .site
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.rel.as_str(), i))
            .collect();
        let theme_changed = !Arc::ptr_eq(&last.theme, theme);
        let config_changed = last.config_key != config_key;
        let same_set = last.site.pages.len() == site.pages.len()
            && last
                .site
                .pages
                .iter()
                .zip(&site.pages)
                .all(|(a, b)| a.rel == b.rel);
        let mut unchanged = Vec::with_capacity(site.pages.len());
        let mut glossary_changed = false;
        let mut face_changed = !same_set;
        for p in &site.pages {
            let old = old_index.get(p.rel.as_str()).copied();
            match old.map(|o| (o, &last.site.pages[o])) {
                Some((o, q)) if same_page(p, q) => unchanged.push(Some(o)),
                Some((_, q)) => {
                    unchanged.push(None);
                    glossary_changed |=
                        p.kind == content::Kind::Term || q.kind == content::Kind::Term;
                    face_changed |= face(p) != face(q);
                }
                None => {
                    unchanged.push(None);
                    glossary_changed |= p.kind == content::Kind::Term;
                }
            }
        }
        // A removed term changes the glossary too.
        glossary_changed |= last.site.glossary().terms.len() != site.glossary().terms.len();
        let all_fragments = config_changed || glossary_changed;
        let nav_changed = last.site.generated_views() != site.generated_views()
            || last.site.toc.entries != site.toc.entries;
        Plan {
            unchanged,
            all_fragments,
            full: all_fragments || theme_changed || face_changed || nav_changed,
            theme_changed,
        }
    }

    fn fragments(
        &self,
        last: Option<&Snapshot>,
        site: &Site,
        mut spare: Vec<Option<Fragment>>,
        tools: &Tools,
    ) -> Fragments {
        let reused: Vec<Option<Fragment>> = (0..site.pages.len())
            .map(|i| match (last, self.unchanged[i]) {
                (Some(l), Some(o)) if !self.all_fragments => spare
                    .get_mut(o)
                    .and_then(Option::take)
                    .or_else(|| Some(l.frags.pages[o].clone())),
                _ => None,
            })
            .collect();
        let pages = reused
            .into_par_iter()
            .enumerate()
            .map(|(i, f)| {
                f.unwrap_or_else(|| fragments::fragment_for(site, tools, i, &site.pages[i].url))
            })
            .collect();
        Fragments::new(site, pages)
    }

    /// The changed pages, plus the pages whose lists of other pages changed because of them.
    fn pages_to_render(
        &self,
        last: Option<&Snapshot>,
        site: &Site,
        frags: &Fragments,
    ) -> Vec<usize> {
        let n = site.pages.len();
        let Some(last) = last.filter(|_| !self.full) else {
            return (0..n).collect();
        };
        // Not `full`: the same pages at the same indices as in the last site.
        let mut which: Vec<usize> = (0..n)
            .filter(|&i| {
                self.unchanged[i].is_none()
                    || site.backlinks[i] != last.site.backlinks[i]
                    || site.related[i] != last.site.related[i]
            })
            .collect();
        for (t, term) in site.glossary().terms.iter().enumerate() {
            if last.frags.term_uses.get(t) != frags.term_uses.get(t) {
                which.push(term.page);
            }
        }
        which.sort_unstable();
        which.dedup();
        which
    }
}
