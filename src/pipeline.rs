//! The stages every command runs, in order, as functions of the previous stage's output:
//!
//! ```text
//! config ─ load ─ resolve ─ audit ─┬─ theme ─ markdown ─ render ─ write
//!                                  │            (index segments; pages ∥ views ∥ index merge; assets)
//!                                  └─ diagnostics: every error and warning so far
//! ```
//!
//! `accord build`, `check`, `bundle` and `serve` are thin drivers over these functions: build
//! and bundle stop after [`front`] when it found errors; check keeps going to audit the rest;
//! serve passes caches in (its incremental builder).

use std::path::Path;
use std::time::{Duration, Instant};

use indicatif::ProgressBar;
use rayon::prelude::*;

use crate::collisions::Origin;
use crate::config::Config;
use crate::content::{self, Loaded};
use crate::error::{sort_diagnostics, Diagnostic, Error, Result};
use crate::fragments::Fragments;
use crate::output::{OutFile, Sink};
use crate::render;
use crate::site::{self, Resolved, Site};
use crate::theme::Theme;

/// Times the stages of one run.
#[derive(Default)]
pub struct Timer {
    pub stages: Vec<(&'static str, Duration)>,
}

impl Timer {
    pub fn stage<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = f();
        self.stages.push((name, start.elapsed()));
        out
    }
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

/// book.toml, read; a project without one takes its title from its README or its folder.
pub fn config(root: &Path) -> Result<Config> {
    let mut config = Config::load(root)?;
    if !config.has_file {
        config.book.title = content::folder_title(root, &config.book.src);
    }
    Ok(config)
}

/// Reads the content folder named by the configuration. The output folder and book.toml are
/// never content, even when the content folder holds them (`src = "."`).
pub fn load(root: &Path, config: &Config) -> Result<Loaded> {
    content::load(
        root,
        &root.join(&config.book.src),
        &config.book.src,
        &not_content(root, config),
        &config.further_languages(),
    )
}

/// Paths inside the project that are never read as content.
pub fn not_content(root: &Path, config: &Config) -> Vec<std::path::PathBuf> {
    // `_config.yml` is the Jekyll configuration of a GitHub Pages repository.
    vec![
        root.join(&config.build.build_dir),
        root.join("book.toml"),
        root.join("_config.yml"),
    ]
}

/// config → load → resolve → audit: the site and every problem in its content, configuration
/// and theme. `Err` only when there is no site to speak of (book.toml unreadable, no content
/// folder) or a file cannot be read.
pub fn front(root: &Path, timer: &mut Timer) -> Result<Resolved> {
    let mut config = timer.stage("config", || config(root))?;
    let notes = std::mem::take(&mut config.notes);
    let loaded = timer.stage("load", || load(root, &config))?;
    let mut resolved = timer.stage("resolve", || resolve_languages(config, loaded));
    resolved.diagnostics.extend(notes);
    let toml_path = root.join("book.toml");
    if let Ok(text) = std::fs::read_to_string(&toml_path) {
        resolved
            .diagnostics
            .extend(Config::src_warning(&text, Path::new("book.toml")));
    }
    let audit = timer.stage("audit", || crate::audit::build_errors(root, &resolved.site))?;
    resolved.diagnostics.extend(audit);
    sort_diagnostics(&mut resolved.diagnostics);
    Ok(resolved)
}

/// The site of the book's language, holding the site of each further language: every page in
/// translation where one exists, else the original. Each language's problems are reported
/// once: a further language's site repeats the originals' problems, so of its diagnostics only
/// those about a translation's own file, and not already reported for the original, are kept.
pub fn resolve_languages(config: Config, loaded: Loaded) -> Resolved {
    let further = config.further_languages();
    let translated_in = crate::translation::translated_in(&loaded.translations);
    let loads: Vec<(String, Loaded)> = further
        .iter()
        .map(|code| {
            let pages =
                crate::translation::language_pages(&loaded.pages, &loaded.translations, code);
            let l = Loaded {
                pages,
                assets: loaded.assets.clone(),
                failed: loaded.failed.clone(),
                symlinks: loaded.symlinks.clone(),
                summary: loaded.summary.clone(),
                diagnostics: Vec::new(),
                translations: Vec::new(),
            };
            (code.clone(), l)
        })
        .collect();
    let translation_files: std::collections::HashSet<std::path::PathBuf> = loaded
        .translations
        .iter()
        .map(|t| t.page.source.clone())
        .collect();
    let languages: Vec<String> = std::iter::once(config.book.language.clone())
        .chain(further)
        .collect();
    let titles: std::collections::BTreeMap<String, String> = loaded
        .pages
        .iter()
        .filter(|p| translated_in.contains_key(&p.rel))
        .map(|p| (p.rel.clone(), p.title.clone()))
        .collect();
    let equivalents =
        crate::translation::equivalents(&config.book.language, &loaded.pages, &loaded.translations);
    let mut resolved = site::resolve(config.clone(), loaded);
    let reported: std::collections::HashSet<(String, Option<String>)> = resolved
        .diagnostics
        .iter()
        .map(|d| (d.message.clone(), d.hint.clone()))
        .collect();
    let others: Vec<Resolved> = loads
        .into_par_iter()
        .map(|(code, l)| site::resolve(config.for_language(&code), l))
        .collect();
    for mut other in others {
        for d in other.diagnostics.drain(..) {
            let own = translation_files.contains(&d.path);
            if own && !reported.contains(&(d.message.clone(), d.hint.clone())) {
                resolved.diagnostics.push(d);
            }
        }
        other.site.languages = languages.clone();
        other.site.translated_in = translated_in.clone();
        other.site.original_titles = titles.clone();
        other.site.equivalents = equivalents.clone();
        resolved.site.translations.push(other.site);
    }
    resolved.site.translated_in = translated_in;
    resolved.site.equivalents = equivalents;
    resolved
}

/// The site when nothing in [`front`] was an error, else every diagnostic as the error.
pub fn site_without_errors(resolved: Resolved) -> Result<(Site, Vec<Diagnostic>)> {
    if resolved.has_errors() {
        return Err(Error::Content(resolved.diagnostics));
    }
    Ok((resolved.site, resolved.diagnostics))
}

/// theme → markdown → render: every file of the finished site, put into `sink` as it is made.
/// Returns the book language's fragments, which the audits read. The pages' Markdown is
/// freed as it is rendered ([`crate::fragments::render_all`]).
pub fn render_site(
    root: &Path,
    site: &mut Site,
    timer: &mut Timer,
    progress: Option<&ProgressBar>,
    sink: &Sink,
) -> Result<Fragments> {
    let theme = timer.stage("theme", || Theme::load(root, &site.config.build.theme))?;
    // One set of tools (the highlighter's grammars take tens of milliseconds to load) for every
    // language; only the words the renderer writes change.
    let mut tools = crate::markdown::Tools {
        labels: labels_for(site, &theme),
        ..crate::markdown::Tools::default()
    };
    let mut frags = timer.stage("markdown", || {
        crate::fragments::render_all(site, &tools, sink.scratch())
    })?;
    render(root, site, &mut frags, &theme, timer, progress, sink)?;
    for other in &mut site.translations {
        tools.labels = labels_for(other, &theme);
        render_translation(root, other, &theme, &tools, timer, progress, sink)?;
    }
    Ok(frags)
}

/// The words the Markdown renderer writes into content, in the site's language.
pub fn labels_for(site: &Site, theme: &Theme) -> crate::markdown::Labels {
    crate::markdown::Labels::from_messages(&theme.messages(&site.config.book.language))
}

/// A further language's site, under its code: its pages, views and search index, and the
/// content folder's files its pages link to relatively. The theme's files, the engine and the
/// pages that exist once per site (404, robots.txt, redirects, exports) are the root's.
pub fn render_translation(
    root: &Path,
    site: &mut Site,
    theme: &Theme,
    tools: &crate::markdown::Tools,
    timer: &mut Timer,
    progress: Option<&ProgressBar>,
    sink: &Sink,
) -> Result<()> {
    let mut frags = crate::fragments::render_all(site, tools, sink.scratch())?;
    let sink = sink.under(&site.prefix());
    generate(
        site,
        &mut frags,
        theme,
        timer,
        progress,
        crate::search::put_language_index,
        &sink,
    )?;
    for f in content_assets(root, site) {
        sink.put(f?)?;
    }
    Ok(())
}

/// The paths of what [`generate`] put: the pages (by page index), then the views and the index.
struct Generated {
    pages: Vec<String>,
    others: Vec<String>,
}

/// One language's search index written into segments on all cores; then pages and generated
/// views side by side with the index's merge and packing, each file put into `sink` as soon as
/// it is made. The merge runs on one core: started after the segments, it has the pages and
/// views to share the machine with, where started last it left the other cores idle. The
/// fragments' HTML is freed as soon as pages and views are written.
fn generate(
    site: &Site,
    frags: &mut Fragments,
    theme: &Theme,
    timer: &mut Timer,
    progress: Option<&ProgressBar>,
    put_index: fn(accord_search::Segments, &Sink) -> Result<Vec<String>>,
    sink: &Sink,
) -> Result<Generated> {
    let sctx = render::site_ctx(site, theme);
    // Only the index reads the sections' text: it takes them rather than copying them.
    let sections = frags.take_sections();
    let (segments, t_segments) =
        timed(|| crate::search::index_segments(site, sections, sink.scratch()));
    let segments = segments?;
    let (((pages, t_pages), (views, t_views)), (index, t_pack)) = rayon::join(
        || {
            let shared = &*frags;
            let done = rayon::join(
                || timed(|| render::put_pages(site, shared, theme, &sctx, sink, progress)),
                || timed(|| crate::views::put(site, shared, theme, &sctx, sink)),
            );
            // Read by nothing else: freed while the index may still be merging.
            frags.release_html();
            done
        },
        || timed(|| put_index(segments, sink)),
    );
    timer.stages.push(("pages", t_pages));
    timer.stages.push(("views", t_views));
    timer.stages.push(("index", t_segments + t_pack));
    let pages = pages?;
    let mut others = views?;
    others.extend(index?);
    Ok(Generated { pages, others })
}

/// The content folder's other files (images, PDFs), as the site publishes them, each read when
/// it is wanted.
fn content_assets<'a>(root: &Path, site: &'a Site) -> impl Iterator<Item = Result<OutFile>> + 'a {
    let content_dir = root.join(&site.config.book.src);
    site.assets.iter().map(move |a| {
        let path = content_dir.join(a);
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        Ok(OutFile {
            path: a.clone(),
            bytes,
        })
    })
}

/// The render stage: pages, generated views and the search index side by side, then the
/// theme's static files and the content folder's assets, each put into `sink`; last, the offline
/// file list and worker made from all of them.
pub fn render(
    root: &Path,
    site: &Site,
    frags: &mut Fragments,
    theme: &Theme,
    timer: &mut Timer,
    progress: Option<&ProgressBar>,
    sink: &Sink,
) -> Result<()> {
    let generated = generate(
        site,
        frags,
        theme,
        timer,
        progress,
        crate::search::put_index,
        sink,
    )?;
    let mut claims: Vec<(String, Origin)> = site
        .pages
        .iter()
        .zip(generated.pages)
        .map(|(p, path)| (path, Origin::Page(p.source.clone())))
        .collect();
    for path in generated.others {
        claims.push((path, Origin::Generated));
    }
    for (name, bytes) in &theme.statics {
        let path = sink.put(OutFile {
            path: format!("assets/{name}"),
            bytes: bytes.clone(),
        })?;
        claims.push((path, Origin::Theme(name.clone())));
    }
    for f in content_assets(root, site) {
        let f = f?;
        let origin = Origin::Asset(site.config.book.src.join(&f.path));
        claims.push((sink.put(f)?, origin));
    }
    for extra in site
        .config
        .output
        .html
        .additional_css
        .iter()
        .chain(&site.config.output.html.additional_js)
    {
        let Some(out) = crate::paths::extra_file_path(extra) else {
            return Err(Error::Content(vec![Diagnostic::error(
                "book.toml",
                0,
                0,
                format!(
                    "`{}` is not a path inside the project folder",
                    extra.display()
                ),
            )
            .with_hint(
                "name additional CSS and JavaScript files relative to book.toml",
            )]));
        };
        let path = root.join(extra);
        let bytes = std::fs::read(&path).map_err(|e| {
            Error::Content(vec![Diagnostic::error(
                "book.toml",
                0,
                0,
                format!("`{}` cannot be read: {e}", extra.display()),
            )
            .with_hint(
                "check the paths of `additional-css` and `additional-js` under [output.html]",
            )])
        })?;
        claims.push((
            sink.put(OutFile { path: out, bytes })?,
            Origin::Asset(extra.clone()),
        ));
    }
    let mut claims: Vec<(&str, Origin)> = claims
        .iter()
        .map(|(path, origin)| (path.as_str(), origin.clone()))
        .collect();
    // The offline file list and worker are made last, from every other file, but claim their
    // names now.
    claims.push((crate::offline::FILE_LIST, Origin::Generated));
    claims.push((crate::offline::WORKER, Origin::Generated));
    let mut collisions = crate::collisions::find(&claims);
    sort_diagnostics(&mut collisions);
    if !collisions.is_empty() {
        return Err(Error::Content(collisions));
    }
    crate::offline::put_worker(theme, sink, &[])
}
