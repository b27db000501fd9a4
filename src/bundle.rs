//! `accord bundle`: the site as one zip that works from disk, with a manifest to verify it.
//!
//! The zip holds one folder, so unzipping never scatters files into the reader's Downloads
//! folder. Beside the site it carries `MANIFEST.sha256` in `sha256sum` format (so a reader
//! without accord can check it with standard tools) and a short page on how to open and verify
//! it. The site is built in memory, exactly as `accord build` would, without touching the
//! project's output folder.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::date::Date;
use crate::error::{Error, Result};
use crate::html::escape_html;
use crate::output::OutFile;
use crate::pipeline::{self, Timer};
use crate::slug::slugify;

pub const MANIFEST: &str = "MANIFEST.sha256";

/// Builds the site of the project in `root` and writes it as a zip, by default
/// `<title-slug>-<YYYY-MM-DD>.zip` in the project folder. Returns the path written.
pub fn bundle(root: &Path, out: Option<&Path>) -> Result<PathBuf> {
    let mut timer = Timer::default();
    // The same stages as `accord build`: a bundle is never made from a site with errors
    // (such as assets loaded from another site, which would break it offline).
    let (site, _) = pipeline::site_without_errors(pipeline::front(root, &mut timer)?)?;
    let (files, _) = pipeline::render_site(root, &site, &mut timer, None)?;
    let title = site.config.book.title.clone();
    let slug = slugify(&title);
    let date = Date::today().to_string();
    let out = match out {
        Some(o) => o.to_path_buf(),
        None => root.join(format!("{slug}-{date}.zip")),
    };
    let files = with_extras(files, &title, &slug, &date);
    write_atomically(&out, |f| write_zip(f, &slug, &date, &files))?;
    Ok(out)
}

/// The site's files plus the how-to pages and, last, the manifest of all of them.
fn with_extras(mut files: Vec<OutFile>, title: &str, slug: &str, date: &str) -> Vec<OutFile> {
    files.retain(|f| f.path != MANIFEST);
    files.push(OutFile {
        path: "HOW-TO-OPEN.html".into(),
        bytes: how_to_html(title, slug, date).into_bytes(),
    });
    files.push(OutFile {
        path: "HOW-TO-OPEN.txt".into(),
        bytes: how_to_text(title, slug, date).into_bytes(),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let manifest = manifest(&files);
    files.push(OutFile {
        path: MANIFEST.into(),
        bytes: manifest.into_bytes(),
    });
    files
}

/// `sha256sum` output: `<hex>  <path>` per file, sorted by path.
pub fn manifest(files: &[OutFile]) -> String {
    let mut lines: Vec<(String, String)> = files
        .iter()
        .map(|f| (f.path.clone(), hex(&Sha256::digest(&f.bytes))))
        .collect();
    lines.sort();
    lines
        .into_iter()
        .map(|(path, hash)| format!("{hash}  {path}\n"))
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Formats that are already compressed gain nothing from deflate.
fn stored(path: &str) -> bool {
    let ext = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    matches!(
        ext.as_str(),
        "png" | "jpg" | "jpeg" | "gif" | "webp" | "avif" | "woff2" | "zip" | "gz" | "pdf" | "mp4"
    )
}

fn write_zip(file: &mut File, slug: &str, date: &str, files: &[OutFile]) -> Result<()> {
    let zip_err = |e: zip::result::ZipError| Error::Other(format!("writing the zip: {e}"));
    let mut parts = date.split('-').map(|p| p.parse::<u16>().unwrap_or(1));
    let (y, m, d) = (
        parts.next().unwrap_or(1980),
        parts.next().unwrap_or(1),
        parts.next().unwrap_or(1),
    );
    // Every entry carries the build date, so the same content on the same day gives the same zip.
    let stamp = zip::DateTime::from_date_and_time(y, m as u8, d as u8, 0, 0, 0).unwrap_or_default();
    let mut zip = ZipWriter::new(file);
    for f in files {
        let method = if stored(&f.path) {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        let opts = SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(stamp)
            .unix_permissions(0o644);
        zip.start_file(format!("{slug}/{}", f.path), opts)
            .map_err(zip_err)?;
        zip.write_all(&f.bytes)
            .map_err(|e| Error::Other(format!("writing the zip: {e}")))?;
    }
    zip.finish().map_err(zip_err)?;
    Ok(())
}

/// Writes `out` through a temporary file beside it, renamed into place when complete, so an
/// interrupted run never leaves a truncated zip under the final name.
fn write_atomically(out: &Path, fill: impl FnOnce(&mut File) -> Result<()>) -> Result<()> {
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let name = out
        .file_name()
        .map_or_else(|| "bundle.zip".into(), |n| n.to_string_lossy().into_owned());
    let tmp = out.with_file_name(format!(".{name}.accord-tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        fill(&mut f)?;
        f.sync_all().map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, out).map_err(|e| Error::io(out, e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Checks a bundle against the manifest inside it. Returns one line per problem, naming the
/// file: `changed: path`, `missing: path` or `extra: path` (paths inside the bundle's folder).
pub fn verify(zip: &Path) -> Result<Vec<String>> {
    let file = File::open(zip).map_err(|e| Error::io(zip, e))?;
    let mut archive = ZipArchive::new(file)
        .map_err(|e| Error::Other(format!("{}: not a readable zip: {e}", zip.display())))?;
    // The manifest closest to the top of the zip is the bundle's own.
    let manifest_name = archive
        .file_names()
        .filter(|n| *n == MANIFEST || n.ends_with(&format!("/{MANIFEST}")))
        .min_by_key(|n| (n.matches('/').count(), n.to_string()))
        .map(str::to_string)
        .ok_or_else(|| {
            Error::Other(format!(
                "{}: no {MANIFEST} in the zip, so it cannot be verified (is it a bundle made by accord?)",
                zip.display()
            ))
        })?;
    let prefix = manifest_name[..manifest_name.len() - MANIFEST.len()].to_string();

    let mut problems = Vec::new();
    let mut text = String::new();
    archive
        .by_name(&manifest_name)
        .map_err(|e| Error::Other(format!("{}: {manifest_name}: {e}", zip.display())))?
        .read_to_string(&mut text)
        .map_err(|e| Error::Other(format!("{}: {manifest_name}: {e}", zip.display())))?;
    let mut expected: BTreeMap<String, String> = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        // `sha256sum` writes two spaces, or a space and `*` in binary mode.
        match line.split_once(' ') {
            Some((hash, path))
                if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) =>
            {
                let path = path.strip_prefix([' ', '*']).unwrap_or(path);
                expected.insert(path.to_string(), hash.to_ascii_lowercase());
            }
            _ => problems.push(format!("malformed: {MANIFEST} line {}", n + 1)),
        }
    }

    let mut actual: BTreeMap<String, std::result::Result<String, String>> = BTreeMap::new();
    for i in 0..archive.len() {
        let mut entry = match archive.by_index(i) {
            Ok(e) => e,
            Err(e) => {
                problems.push(format!("unreadable: entry {} ({e})", i + 1));
                continue;
            }
        };
        if entry.is_dir() || entry.name() == manifest_name {
            continue;
        }
        let name = entry.name().to_string();
        let Some(rel) = name.strip_prefix(&prefix).map(str::to_string) else {
            // Outside the bundle's folder: reported by its full name.
            actual.insert(name, Err(String::new()));
            continue;
        };
        let mut hasher = Sha256::new();
        let hash = std::io::copy(&mut entry, &mut hasher)
            .map(|_| hex(&hasher.finalize()))
            .map_err(|e| e.to_string());
        actual.insert(rel, hash);
    }

    for (path, hash) in &expected {
        match actual.get(path) {
            None => problems.push(format!("missing: {path}")),
            Some(Ok(h)) if h == hash => {}
            Some(Ok(_)) => problems.push(format!("changed: {path}")),
            Some(Err(e)) => problems.push(format!("changed: {path} (cannot be read: {e})")),
        }
    }
    for path in actual.keys() {
        if !expected.contains_key(path) {
            problems.push(format!("extra: {path}"));
        }
    }
    Ok(problems)
}

fn how_to_text(title: &str, slug: &str, date: &str) -> String {
    format!(
        "{title}: offline copy of {date}
{underline}

How to open it
1. Unzip the whole file first (in Windows: right-click, \"Extract All\"). Opening
   index.html from inside the zip viewer does not work.
2. Open the folder {slug}/ and double-click index.html. It opens in your web browser.

Everything works without a connection: navigation, the glossary, search and the
print page. No page loads anything from the internet. Links to other websites (the
sources of each page) need a connection, as usual.

How to check that nothing was changed
The file MANIFEST.sha256 lists a SHA-256 checksum for every other file.
- With accord:       accord bundle --verify {slug}-{date}.zip
- Without accord, in the folder {slug}/:
    Linux:           sha256sum -c MANIFEST.sha256
    macOS:           shasum -a 256 -c MANIFEST.sha256
Any file that was changed, removed or added is named.
",
        underline = "=".repeat(title.chars().count() + date.len() + 20),
    )
}

fn how_to_html(title: &str, slug: &str, date: &str) -> String {
    let (t, s, d) = (escape_html(title), escape_html(slug), escape_html(date));
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>How to open this copy of {t}</title>
<style>
body {{ font: 1.05rem/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }}
code, pre {{ font-family: ui-monospace, monospace; background: #f2f2f2; padding: 0 .2em; }}
pre {{ padding: .5em; overflow-x: auto; }}
</style>
</head>
<body>
<h1>{t}: offline copy of {d}</h1>
<p><a href="index.html">Open the knowledge base</a></p>
<h2>How to open it</h2>
<ol>
<li>Unzip the whole file first (in Windows: right-click, “Extract All”). Opening
<code>index.html</code> from inside the zip viewer does not work.</li>
<li>Open the folder <code>{s}/</code> and double-click <code>index.html</code>. It opens in your
web browser.</li>
</ol>
<p>Everything works without a connection: navigation, the glossary, search and the print page.
No page loads anything from the internet. Links to other websites (the sources of each page)
need a connection, as usual.</p>
<h2>How to check that nothing was changed</h2>
<p><code>MANIFEST.sha256</code> lists a SHA-256 checksum for every other file. Any file that was
changed, removed or added is named by either of these:</p>
<pre>accord bundle --verify {s}-{d}.zip</pre>
<p>or, without accord, in the folder <code>{s}/</code>:</p>
<pre>sha256sum -c MANIFEST.sha256          # Linux
shasum -a 256 -c MANIFEST.sha256      # macOS</pre>
</body>
</html>
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_is_sha256sum_format_sorted_by_path() {
        let files = vec![
            OutFile {
                path: "b.html".into(),
                bytes: b"b".to_vec(),
            },
            OutFile {
                path: "a.html".into(),
                bytes: Vec::new(),
            },
        ];
        assert_eq!(
            manifest(&files),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  a.html\n\
             3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d  b.html\n"
        );
    }
}
