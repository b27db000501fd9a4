//! `accord print`: the printable document of the site, or of one section, as a PDF written by
//! a headless Chromium (or Google Chrome) already installed on the machine.
//!
//! The site is built, as `accord bundle` does, into a private temporary folder that the
//! browser opens from disk; the project's output folder is not touched and
//! nothing is fetched from the network. Without a browser the command says what to install, and
//! that any browser's "Print → Save as PDF" on `print.html` gives the same document.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::output::{Sink, TempDir, Written};
use crate::pipeline::{self, Timer};
use crate::slug::slugify;

/// The browsers looked for on `PATH`, in order, when `ACCORD_CHROMIUM` is not set.
pub const BROWSERS: [&str; 4] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

/// The longest a browser may take to print before it is stopped.
const BROWSER_LIMIT: Duration = Duration::from_secs(300);

/// The sheet size the PDF is set on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    A4,
    Letter,
}

impl Paper {
    fn css(self) -> &'static str {
        match self {
            Paper::A4 => "A4",
            Paper::Letter => "letter",
        }
    }
}

pub struct PrintOptions {
    /// The project folder (holding book.toml).
    pub root: PathBuf,
    /// A top-level section's folder (`principles`); `None` for the whole site.
    pub section: Option<String>,
    /// The PDF to write; by default `<title-slug>.pdf` (or `<title-slug>-<section>.pdf`) in the
    /// project folder.
    pub out: Option<PathBuf>,
    pub paper: Paper,
}

pub struct PrintReport {
    pub out: PathBuf,
    pub pages: usize,
    pub browser: PathBuf,
}

/// The browser that prints: `ACCORD_CHROMIUM` if set, else the first of [`BROWSERS`] on `PATH`.
pub fn find_browser() -> Result<PathBuf> {
    if let Some(set) = std::env::var_os("ACCORD_CHROMIUM").filter(|v| !v.is_empty()) {
        let path = PathBuf::from(&set);
        if path.is_file() {
            return Ok(path);
        }
        return Err(Error::Other(format!(
            "ACCORD_CHROMIUM is set to `{}`, which is not a file\n  hint: set it to the Chromium or Google Chrome program, or unset it to look for {} on PATH",
            path.display(),
            BROWSERS.join(", ")
        )));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in BROWSERS {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    Err(Error::Other(format!(
        "accord print needs Chromium or Google Chrome to write a PDF, and found none ({} on PATH; ACCORD_CHROMIUM is not set)\n  hint: install Chromium (Debian and Ubuntu: `apt-get install chromium`), or set ACCORD_CHROMIUM to the browser program; without one, run `accord build`, open print.html (or a section's print.html) of the built site in any browser and use Print → Save as PDF",
        BROWSERS.join(", ")
    )))
}

/// Builds the site and prints its printable document (or a section's) to a PDF.
pub fn print(opts: &PrintOptions) -> Result<PrintReport> {
    // Before any work: without a browser there is nothing to print with.
    let browser = find_browser()?;
    let mut timer = Timer::default();
    let (mut site, _) = pipeline::site_without_errors(pipeline::front(&opts.root, &mut timer)?)?;
    let work = TempDir::new("print")?;
    let site_dir = work.path.join("site");
    std::fs::create_dir(&site_dir).map_err(|e| Error::io(&site_dir, e))?;
    let scratch = work.path.join("scratch");
    std::fs::create_dir(&scratch).map_err(|e| Error::io(&scratch, e))?;
    let sink = Sink::folder_with_scratch(site_dir.clone(), scratch);
    pipeline::render_site(&opts.root, &mut site, &mut timer, None, &sink)?;
    let document = match &opts.section {
        None => "print.html".to_string(),
        Some(s) => section_document(&sink.written(), s)?,
    };
    let slug = slugify(&site.config.book.title);
    let out = match (&opts.out, &opts.section) {
        (Some(o), _) => o.clone(),
        (None, None) => opts.root.join(format!("{slug}.pdf")),
        (None, Some(s)) => opts.root.join(format!("{slug}-{}.pdf", slugify(s))),
    };
    set_paper(&site_dir.join(&document), opts.paper)?;
    let pdf = work.path.join("print.pdf");
    run_browser(&browser, &site_dir.join(&document), &pdf, &work.path)?;
    let bytes = std::fs::read(&pdf).map_err(|e| Error::io(&pdf, e))?;
    if !bytes.starts_with(b"%PDF") {
        return Err(Error::Other(format!(
            "{} wrote no PDF\n  hint: try printing {document} from the browser's Print dialog",
            browser.display()
        )));
    }
    crate::bundle::write_atomically(&out, |f| {
        std::io::Write::write_all(f, &bytes).map_err(|e| Error::io(&out, e))
    })?;
    Ok(PrintReport {
        out,
        pages: page_count(&bytes),
        browser,
    })
}

/// The printable document of the section in `folder`, or an error naming the sections there are.
fn section_document(files: &[Written], folder: &str) -> Result<String> {
    let wanted = format!("{}/print.html", folder.trim_matches('/'));
    if files.iter().any(|f| f.path == wanted) {
        return Ok(wanted);
    }
    let mut known: Vec<&str> = files
        .iter()
        .filter_map(|f| f.path.strip_suffix("/print.html"))
        .filter(|d| !d.contains('/'))
        .collect();
    known.sort_unstable();
    Err(Error::Other(format!(
        "no section `{folder}` to print\n  hint: {}",
        if known.is_empty() {
            "this site has no sections (folders with pages); leave out --section to print everything".to_string()
        } else {
            format!("the sections are: {}", known.join(", "))
        }
    )))
}

/// Sets the document to print on `paper`. The size is given here rather than in the theme's
/// print stylesheet, so that a reader printing from the browser gets the paper of their own
/// printer.
fn set_paper(document: &Path, paper: Paper) -> Result<()> {
    let html = std::fs::read_to_string(document).map_err(|e| Error::io(document, e))?;
    let size = format!(
        "<style media=\"print\">@page {{ size: {}; }}</style>\n</head>",
        paper.css()
    );
    std::fs::write(document, html.replacen("</head>", &size, 1)).map_err(|e| Error::io(document, e))
}

/// Prints `page` to `pdf` with the headless browser, with a profile of its own in `work` (so it
/// never hands the job to a browser the user has open).
fn run_browser(browser: &Path, page: &Path, pdf: &Path, work: &Path) -> Result<()> {
    let url = url::Url::from_file_path(page)
        .map_err(|_| Error::Other(format!("{}: not an absolute path", page.display())))?;
    let mut child = Command::new(browser)
        .args([
            "--headless",
            // The page is a file accord has just written, without scripts; the sandbox also
            // refuses to start as root, as in containers and CI.
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            // Nothing on the page needs the network; no name resolves, so nothing is fetched.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--no-pdf-header-footer",
        ])
        .arg(format!(
            "--user-data-dir={}",
            work.join("profile").display()
        ))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(url.as_str())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::Other(format!("could not start {}: {e}", browser.display())))?;
    // Read stderr on a thread, so a chatty browser never blocks on a full pipe.
    let mut stderr = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(s) = stderr.as_mut() {
            let _ = s.read_to_string(&mut text);
        }
        text
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if start.elapsed() > BROWSER_LIMIT => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(Error::Other(format!("{}: {e}", browser.display()))),
        }
    };
    let log = reader.join().unwrap_or_default();
    match status {
        Some(s) if s.success() && pdf.is_file() => Ok(()),
        Some(s) => Err(Error::Other(format!(
            "{} failed to print ({s}):\n{}",
            browser.display(),
            tail(&log, 20)
        ))),
        None => Err(Error::Other(format!(
            "{} did not finish printing within {} s and was stopped",
            browser.display(),
            BROWSER_LIMIT.as_secs()
        ))),
    }
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// The number of pages of a PDF as Chromium writes it: its page objects (`/Type /Page`, not
/// `/Type /Pages`), which Chromium leaves uncompressed.
pub fn page_count(pdf: &[u8]) -> usize {
    let needle = b"/Type /Page";
    pdf.windows(needle.len())
        .enumerate()
        .filter(|(i, w)| {
            *w == needle
                && !pdf
                    .get(i + needle.len())
                    .is_some_and(|c| c.is_ascii_alphanumeric())
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_page_objects_not_the_page_tree() {
        let pdf = b"%PDF-1.4\n1 0 obj << /Type /Pages /Count 2 >>\n2 0 obj << /Type /Page /Parent 1 0 R >>\n3 0 obj <</Type /Page/Parent 1 0 R>>\n";
        assert_eq!(page_count(pdf), 2);
    }
}
