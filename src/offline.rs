//! Reading offline from the published site, made at build time:
//!
//! - `manifest.webmanifest`: name, icons, start page and scope, all relative to the site root, so
//!   a phone can put the site on its home screen wherever the site is published;
//! - `offline.json`: every file a saved copy needs, each with its size and hash, and one hash
//!   over all of them, the build's *version*;
//! - `sw.js`: the service worker, which carries that version. A rebuild that changes any file
//!   changes the worker's bytes, so browsers install the new worker, which saves the new version
//!   (reusing unchanged files) and deletes the old one;
//! - `offline.html`: the page that explains both ways to read offline and, when the build made
//!   one, links the zip of `accord bundle` with its size and SHA-256.
//!
//! Pages opened from disk (`file://`) cannot use service workers; `offline.js` leaves them as
//! they are.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::output::{OutFile, Sink, Written};
use crate::render::{render_template, SiteCtx};
use crate::site::Site;
use crate::theme::Theme;

/// The list of files to save, with the build's version.
pub const FILE_LIST: &str = "offline.json";
/// The service worker. At the site root, so that its scope is the whole site.
pub const WORKER: &str = "sw.js";
pub const WEB_MANIFEST: &str = "manifest.webmanifest";
/// The page about reading offline, linked from every page's footer.
pub const PAGE: &str = "offline.html";

/// The files a saved copy never needs: the list and the worker themselves (the browser keeps
/// the worker) and what only search engines read. The copies of the search engine and index
/// as scripts, which only pages opened from disk load (over http the same bytes are fetched as
/// `.wasm` and `.bin`), are left out too (`search::is_script_copy`).
const NOT_SAVED: &[&str] = &[FILE_LIST, WORKER, "robots.txt", "sitemap.xml"];

#[derive(Serialize)]
struct Listed<'a> {
    path: &'a str,
    bytes: usize,
    /// The first 16 hex digits of the file's SHA-256: enough to tell a changed file from an
    /// unchanged one when a new version is saved over an old one.
    hash: String,
}

#[derive(Serialize)]
struct FileList<'a> {
    version: String,
    bytes: usize,
    files: Vec<Listed<'a>>,
}

/// `offline.json` for `files`, without the files in `skip`: the version is the SHA-256 of the
/// `sha256sum` manifest of the listed files, so it changes exactly when one of them does.
pub fn file_list(files: &[Written], skip: &[&str]) -> (String, String) {
    let mut listed: Vec<&Written> = files
        .iter()
        .filter(|f| {
            !NOT_SAVED.contains(&f.path.as_str())
                && !crate::search::is_script_copy(&f.path)
                && !skip.contains(&f.path.as_str())
        })
        .collect();
    listed.sort_by(|a, b| a.path.cmp(&b.path));
    let hashes: Vec<String> = listed.iter().map(|f| f.hex()).collect();
    let manifest: String = listed
        .iter()
        .zip(&hashes)
        .map(|(f, h)| format!("{h}  {}\n", f.path))
        .collect();
    let version = sha256_hex(manifest.as_bytes());
    let list = FileList {
        version: version.clone(),
        bytes: listed.iter().map(|f| f.bytes as usize).sum(),
        files: listed
            .iter()
            .zip(hashes)
            .map(|(f, h)| Listed {
                path: &f.path,
                bytes: f.bytes as usize,
                hash: h[..16].to_string(),
            })
            .collect(),
    };
    let json = serde_json::to_string(&list).unwrap_or_else(|_| "{}".into());
    (version, json)
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[derive(Serialize)]
struct WorkerCtx<'a> {
    version: &'a str,
    list: &'static str,
}

/// Puts the file list and the service worker made for the files in `sink` as they are now
/// (replacing any made before). Called last, once every other file of the site is final; `skip`
/// names files a saved copy leaves out (the published zip).
pub fn put_worker(theme: &Theme, sink: &Sink, skip: &[&str]) -> Result<()> {
    let files: Vec<Written> = sink
        .written()
        .into_iter()
        .filter(|f| f.path != FILE_LIST && f.path != WORKER)
        .collect();
    let (version, json) = file_list(&files, skip);
    let worker = render_template(
        theme,
        WORKER,
        &WorkerCtx {
            version: &version,
            list: FILE_LIST,
        },
        WORKER.into(),
    )?;
    sink.put(OutFile {
        path: FILE_LIST.into(),
        bytes: json.into_bytes(),
    })?;
    sink.put(worker)?;
    Ok(())
}

/// The published zip, as the "Reading offline" page shows it.
#[derive(Serialize, Clone, Debug)]
pub struct BundleLink {
    /// Its file name, at the site root.
    pub file: String,
    pub bytes: u64,
    /// The size for readers ("3.2 MB").
    pub size: String,
    pub sha256: String,
}

/// A size as readers read it: decimal units with one decimal place ("3.2 MB", "840 kB").
pub fn size_label(bytes: u64) -> String {
    const KB: f64 = 1000.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} bytes")
    } else if b < KB * KB {
        format!("{:.0} kB", b / KB)
    } else if b < KB * KB * KB {
        format!("{:.1} MB", b / (KB * KB))
    } else {
        format!("{:.1} GB", b / (KB * KB * KB))
    }
}

#[derive(Serialize)]
struct PageCtx<'a> {
    site: &'a SiteCtx,
    root: &'static str,
    url: &'static str,
    title: String,
    summary: Option<String>,
    bundle: Option<&'a BundleLink>,
    /// Written once, at the root, for every language: no alternates, no language switcher.
    single: bool,
}

/// The "Reading offline" page, linking the published zip if there is one.
pub fn page(theme: &Theme, sctx: &SiteCtx, bundle: Option<&BundleLink>) -> Result<OutFile> {
    render_template(
        theme,
        PAGE,
        &PageCtx {
            site: sctx,
            root: "",
            url: PAGE,
            title: sctx.messages.text("offline_title"),
            summary: Some(sctx.messages.text("offline_summary")),
            bundle,
            single: true,
        },
        PAGE.into(),
    )
}

/// The "Reading offline" page as every build makes it: without a zip to link, until
/// `bundle::publish` adds one.
pub fn page_view(theme: &Theme, sctx: &SiteCtx) -> Result<Vec<OutFile>> {
    if !theme.has(PAGE) {
        return Ok(Vec::new());
    }
    Ok(vec![page(theme, sctx, None)?])
}

#[derive(Serialize)]
struct Icon {
    src: String,
    sizes: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct WebManifest<'a> {
    name: &'a str,
    short_name: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    lang: &'a str,
    /// Relative to the manifest, which sits at the site root: right at any base path.
    start_url: &'static str,
    scope: &'static str,
    display: &'static str,
    background_color: String,
    theme_color: String,
    icons: Vec<Icon>,
}

/// `manifest.webmanifest`, with the theme's icons and colours.
pub fn manifest_view(site: &Site, theme: &Theme, sctx: &SiteCtx) -> Result<Vec<OutFile>> {
    let c = &site.config;
    let icons = [
        ("favicon.svg", "any", "image/svg+xml"),
        ("icon-192.png", "192x192", "image/png"),
        ("icon-512.png", "512x512", "image/png"),
    ]
    .into_iter()
    .filter(|(name, _, _)| theme.statics.contains_key(*name))
    .map(|(name, sizes, kind)| Icon {
        src: format!("assets/{name}"),
        sizes,
        kind,
    })
    .collect();
    let css = theme
        .statics
        .get("style.css")
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_default();
    let manifest = WebManifest {
        name: &c.book.title,
        short_name: c.site.short_title.as_deref().unwrap_or(&c.book.title),
        description: &c.book.description,
        lang: &c.book.language,
        start_url: if sctx.has_home { "index.html" } else { "./" },
        scope: "./",
        // The browser's own back button and address stay at hand: readers follow links out
        // to the sources.
        display: "minimal-ui",
        background_color: css_colour(&css, "--bg").unwrap_or_else(|| "#ffffff".into()),
        theme_color: css_colour(&css, "--accent").unwrap_or_else(|| "#0b4f8a".into()),
        icons,
    };
    let json = serde_json::to_string_pretty(&manifest)
        .map_err(|e| Error::Other(format!("web app manifest: {e}")))?;
    Ok(vec![OutFile {
        path: WEB_MANIFEST.into(),
        bytes: (json + "\n").into_bytes(),
    }])
}

/// The first `#rrggbb` value of the custom property `name` in a style sheet: the light
/// scheme's, which comes first.
fn css_colour(css: &str, name: &str) -> Option<String> {
    let at = css.find(&format!("{name}:"))? + name.len() + 1;
    let value = css[at..].split(';').next()?.trim();
    let ok = value.len() == 7
        && value.starts_with('#')
        && value[1..].bytes().all(|b| b.is_ascii_hexdigit());
    ok.then(|| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_decimal_units() {
        assert_eq!(size_label(999), "999 bytes");
        assert_eq!(size_label(840_400), "840 kB");
        assert_eq!(size_label(3_249_999), "3.2 MB");
    }

    #[test]
    fn colours_come_from_the_first_declaration() {
        let css = ":root { --bg-soft: #f4f6f8; --bg: #ffffff; --accent: #0b4f8a; }\n@media (prefers-color-scheme: dark) { :root { --bg: #111111; } }";
        assert_eq!(css_colour(css, "--bg").as_deref(), Some("#ffffff"));
        assert_eq!(css_colour(css, "--accent").as_deref(), Some("#0b4f8a"));
        assert_eq!(css_colour(css, "--line"), None);
    }

    #[test]
    fn the_version_changes_with_any_listed_file_and_only_then() {
        let f = |p: &str, b: &str| {
            Written::of(&OutFile {
                path: p.into(),
                bytes: b.as_bytes().to_vec(),
            })
        };
        let a = [f("index.html", "a"), f("robots.txt", "x")];
        let b = [f("index.html", "b"), f("robots.txt", "x")];
        let c = [f("index.html", "a"), f("robots.txt", "y")];
        assert_ne!(file_list(&a, &[]).0, file_list(&b, &[]).0);
        assert_eq!(file_list(&a, &[]).0, file_list(&c, &[]).0);
    }
}
