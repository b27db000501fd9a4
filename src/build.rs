//! `accord build`: the pipeline from book.toml to the written site, each stage timed.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::error::{Diagnostic, Result};
use crate::output;
use crate::pipeline::{self, Timer};

pub struct BuildOptions {
    /// The project folder (holding book.toml).
    pub root: PathBuf,
    /// Overrides `[build] build-dir`.
    pub out: Option<PathBuf>,
    /// Show a progress bar (on a terminal).
    pub progress: bool,
    /// Also write the offline zip into the site (as `[bundle] publish = true`).
    pub bundle: bool,
}

pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub out: PathBuf,
    pub stages: Vec<(&'static str, Duration)>,
    pub total: Duration,
    pub warnings: Vec<Diagnostic>,
    /// The offline zip written into the site, if any.
    pub bundle: Option<crate::offline::BundleLink>,
}

pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let start = Instant::now();
    let mut timer = Timer::default();
    let resolved = pipeline::front(&opts.root, &mut timer)?;
    let (mut site, warnings) = pipeline::site_without_errors(resolved)?;
    let out = match &opts.out {
        Some(o) => o.clone(),
        None => opts.root.join(&site.config.build.build_dir),
    };
    // Refuse early, before any work, to replace a folder accord did not write.
    output::check_replaceable(&out)?;
    // Pages are written into the temporary folder as they are rendered; the folder replaces
    // the output only once the site is complete.
    let staging = output::Staging::begin(&out)?;
    let bar = opts.progress.then(|| progress_bar(site.pages.len()));
    let rendered = pipeline::render_site(
        &opts.root,
        &mut site,
        &mut timer,
        bar.as_ref(),
        &staging.sink,
    );
    if let Some(pb) = &bar {
        pb.finish_and_clear();
    }
    rendered?;
    let mut bundle = None;
    if opts.bundle || site.config.bundle.publish {
        let link = timer.stage("bundle", || {
            crate::bundle::publish(&opts.root, &site, &staging.sink)
        })?;
        bundle = Some(link);
    }
    let files = staging.sink.count();
    timer.stage("write", || staging.commit())?;
    Ok(BuildReport {
        pages: site.pages.len(),
        files,
        out,
        stages: timer.stages,
        total: start.elapsed(),
        warnings,
        bundle,
    })
}

fn progress_bar(pages: usize) -> ProgressBar {
    let pb = ProgressBar::new(pages as u64);
    pb.set_style(
        ProgressStyle::with_template("{spinner} rendering {pos}/{len} pages {wide_bar}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    // The spinner turns while the stages that count no pages run (Markdown, the search
    // index's segments), so that a large site's build never looks stuck.
    pb.enable_steady_tick(std::time::Duration::from_millis(120));
    pb
}
