//! The build driver: runs the pipeline stages in order and times each one.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::config::Config;
use crate::content;
use crate::error::{Diagnostic, Result};
use crate::output;
use crate::render::{self, OutFile};
use crate::site::{self, Site};
use crate::theme::Theme;

pub struct BuildOptions {
    /// The project folder (holding book.toml).
    pub root: PathBuf,
    /// Overrides `[build] build-dir`.
    pub out: Option<PathBuf>,
    /// Show a progress bar (on a terminal).
    pub progress: bool,
}

pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub out: PathBuf,
    pub stages: Vec<(&'static str, Duration)>,
    pub total: Duration,
    pub warnings: Vec<Diagnostic>,
}

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

/// config → load → resolve: everything that can fail because of content.
pub fn load_site(root: &Path, timer: &mut Timer) -> Result<Site> {
    let config = timer.stage("config", || Config::load(root))?;
    let content_dir = root.join(&config.book.src);
    let loaded = timer.stage("load", || content::load(&content_dir, &config.book.src))?;
    timer.stage("resolve", || site::resolve(config, loaded))
}

/// render → index: every file of the finished site, in memory.
pub fn render_site(
    root: &Path,
    site: &mut Site,
    timer: &mut Timer,
    progress: Option<&ProgressBar>,
) -> Result<Vec<OutFile>> {
    let theme = timer.stage("theme", || Theme::load(root, &site.config.build.theme))?;
    let frags = timer.stage("markdown", || render::fragments(site));
    // The search index is written on one thread; building it beside the pages and generated
    // views keeps both cores busy.
    let sctx = render::site_ctx(site);
    let all: Vec<usize> = (0..site.pages.len()).collect();
    let site_ref: &Site = site;
    let ((pages, t_pages), ((views, t_views), (index, t_index))) = rayon::join(
        || timed(|| render::page_files(site_ref, &frags, &theme, &sctx, &all, progress)),
        || {
            rayon::join(
                || timed(|| crate::views::render(site_ref, &frags, &theme, &sctx)),
                || timed(|| crate::search::index_files(site_ref, &frags)),
            )
        },
    );
    timer.stages.push(("pages", t_pages));
    timer.stages.push(("views", t_views));
    timer.stages.push(("index", t_index));
    let mut files = pages?;
    files.extend(views?);
    files.extend(index?);
    for (name, bytes) in &theme.statics {
        files.push(OutFile {
            path: format!("assets/{name}"),
            bytes: bytes.clone(),
        });
    }
    let content_dir = root.join(&site.config.book.src);
    for a in &site.assets {
        let path = content_dir.join(a);
        let bytes = std::fs::read(&path).map_err(|e| crate::Error::io(&path, e))?;
        files.push(OutFile {
            path: a.clone(),
            bytes,
        });
    }
    Ok(files)
}

pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let start = Instant::now();
    let mut timer = Timer::default();
    let mut site = load_site(&opts.root, &mut timer)?;
    // Problems only the audits see (such as assets loaded from other sites) fail the build too.
    let audit_errors = timer.stage("audit", || crate::check::build_errors(&opts.root, &site))?;
    if !audit_errors.is_empty() {
        return Err(crate::Error::Content(audit_errors));
    }
    let out = match &opts.out {
        Some(o) => o.clone(),
        None => opts.root.join(&site.config.build.build_dir),
    };
    // Refuse early, before any work, to replace a folder accord did not write.
    output::check_replaceable(&out)?;
    let bar = opts.progress.then(|| {
        let pb = ProgressBar::new(site.pages.len() as u64);
        pb.set_style(
            ProgressStyle::with_template("{spinner} rendering {pos}/{len} pages {wide_bar}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        pb
    });
    let files = render_site(&opts.root, &mut site, &mut timer, bar.as_ref());
    if let Some(pb) = &bar {
        pb.finish_and_clear();
    }
    let files = files?;
    timer.stage("write", || output::write_site(&out, &files))?;
    Ok(BuildReport {
        pages: site.pages.len(),
        files: files.len(),
        out,
        stages: timer.stages,
        total: start.elapsed(),
        warnings: site.warnings,
    })
}
