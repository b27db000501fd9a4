//! `accord check`: every audit of the site, without writing it.
//!
//! The build stops before rendering when the content has errors, which is right for publishing
//! but leaves an editor fixing one layer of problems per run. Check runs the same stages once and
//! keeps going: resolve returns the site with its broken references left out, so the site is
//! rendered in memory and audited as a whole (orphans, unused terms, index size) in the same
//! run. Every finding of every stage is reported in one list.

use std::path::Path;

use crate::error::{format_diagnostics, sort_diagnostics, Diagnostic, Error, Result};
use crate::output::Sink;
use crate::pipeline::{self, Timer};

pub struct CheckReport {
    /// Sorted by file, then position.
    pub findings: Vec<Diagnostic>,
}

impl CheckReport {
    pub fn errors(&self) -> usize {
        self.findings.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.findings
            .iter()
            .filter(|d| d.severity == crate::error::Severity::Warning)
            .count()
    }

    /// The same text `accord build` prints: each finding, then one summary line.
    pub fn to_text(&self) -> String {
        format_diagnostics(&self.findings)
    }
}

/// Runs every audit on the project in `root`. Only failures to read files are `Err`; every
/// problem in the content, configuration or theme is a finding.
pub fn check(root: &Path) -> Result<CheckReport> {
    let mut timer = Timer::default();
    let resolved = match pipeline::front(root, &mut timer) {
        Ok(r) => r,
        Err(Error::Content(findings)) => return Ok(CheckReport { findings }),
        Err(e) => return Err(e),
    };
    let mut findings = resolved.diagnostics;
    let mut site = resolved.site;
    findings.extend(crate::audit::page_warnings(&site));
    findings.extend(crate::audit::translation_findings(root, &site)?);
    findings.extend(crate::views::sitemap_note(&site.config));
    let sink = Sink::memory();
    match pipeline::render_site(root, &mut site, &mut timer, None, &sink) {
        Ok(frags) => {
            let files = sink.into_files();
            findings.extend(crate::audit::site_warnings(root, &site, &frags, &files))
        }
        Err(Error::Content(d)) => findings.extend(d),
        Err(e) => return Err(e),
    }
    sort_diagnostics(&mut findings);
    Ok(CheckReport { findings })
}
