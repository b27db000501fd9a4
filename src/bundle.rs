//! `accord bundle`: the site as one zip that works from disk, with a manifest to verify it.
//!
//! The zip holds one folder, so unzipping never scatters files into the reader's Downloads
//! folder. Beside the site it carries `MANIFEST.sha256` in `sha256sum` format (so a reader
//! without accord can check it with standard tools) and a short page on how to open and verify
//! it. The site is built exactly as `accord build` would, into a private temporary folder rather
//! than the project's output folder, and zipped from there one file at a time.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::date::Date;
use crate::error::{Diagnostic, Error, Result};
use crate::html::escape_html;
use crate::offline::{self, BundleLink};
use crate::output::{OutFile, Sink, TempDir, Written};
use crate::pipeline::{self, Timer};
use crate::render;
use crate::site::Site;
use crate::slug::slugify;
use crate::theme::Theme;

pub const MANIFEST: &str = "MANIFEST.sha256";

/// Builds the site of the project in `root` and writes it as a zip, by default
/// `<title-slug>-<YYYY-MM-DD>.zip` in the project folder. Returns the path written. The site is
/// written into a temporary folder first and the zip made from its files one at a time, so
/// neither the site nor the zip is ever held in memory whole.
pub fn bundle(root: &Path, out: Option<&Path>) -> Result<PathBuf> {
    let mut timer = Timer::default();
    // The same stages as `accord build`: a bundle is never made from a site with errors
    // (such as assets loaded from another site, which would break it offline).
    let (mut site, _) = pipeline::site_without_errors(pipeline::front(root, &mut timer)?)?;
    let work = TempDir::new("bundle")?;
    // Outside the site's folder, whose files are what the zip holds.
    let scratch = TempDir::new("bundle-scratch")?;
    let sink = Sink::folder_with_scratch(work.path.clone(), scratch.path.clone());
    pipeline::render_site(root, &mut site, &mut timer, None, &sink)?;
    let title = site.config.book.title.clone();
    let slug = slugify(&title);
    let date = Date::today().to_string();
    let out = match out {
        Some(o) => o.to_path_buf(),
        None => root.join(file_name(&slug, &date)),
    };
    let entries = with_extras(&sink, &title, &slug, &date);
    write_atomically(&out, |f| {
        let mut writer = std::io::BufWriter::new(f);
        write_zip(&mut writer, &slug, &date, &entries, &sink)?;
        writer.flush().map_err(|e| Error::io(&out, e))
    })?;
    Ok(out)
}

/// `accord build --bundle`: adds to the site in `sink` the zip of the same site, and the "Reading
/// offline" page that links it. The zip holds the site as `accord bundle` makes it; its own copy
/// of the page has no link to itself, since a zip cannot carry its own checksum.
pub fn publish(root: &Path, site: &Site, sink: &Sink) -> Result<BundleLink> {
    let title = &site.config.book.title;
    let slug = slugify(title);
    let date = Date::today().to_string();
    let name = file_name(&slug, &date);
    if sink.has(&name) {
        return Err(Error::Content(vec![Diagnostic::error(
            "book.toml",
            0,
            0,
            format!("the offline zip `{name}` would replace a file of the same name in the site"),
        )
        .with_hint(
            "rename that file, or set `publish = false` under [bundle]",
        )]));
    }
    let entries = with_extras(sink, title, &slug, &date);
    let zip = match sink.dir() {
        // Written straight into the site, from the site's files beside it.
        Some(dir) => {
            let path = dir.join(&name);
            let file = File::create(&path).map_err(|e| Error::io(&path, e))?;
            let mut writer = std::io::BufWriter::new(file);
            write_zip(&mut writer, &slug, &date, &entries, sink)?;
            writer
                .into_inner()
                .map_err(|e| Error::io(&path, e.into_error()))?;
            sink.note(&name)?
        }
        None => {
            let mut buf = std::io::Cursor::new(Vec::new());
            write_zip(&mut buf, &slug, &date, &entries, sink)?;
            let bytes = buf.into_inner();
            sink.put(OutFile {
                path: name.clone(),
                bytes,
            })?;
            sink.note(&name)?
        }
    };
    let link = BundleLink {
        file: name,
        bytes: zip.bytes,
        size: offline::size_label(zip.bytes),
        sha256: zip.hex(),
    };
    let theme = Theme::load(root, &site.config.build.theme)?;
    let sctx = render::site_ctx(site, &theme);
    sink.put(offline::page(&theme, &sctx, Some(&link))?)?;
    offline::put_worker(&theme, sink, &[&link.file])?;
    Ok(link)
}

/// The zip's file name: `<title-slug>-<YYYY-MM-DD>.zip`.
pub fn file_name(slug: &str, date: &str) -> String {
    format!("{slug}-{date}.zip")
}

/// Lowercase hexadecimal SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// One file of the zip, by its path in the site's folder.
struct ZipEntry {
    path: String,
    /// Made for the zip; `None` for a file of the site, read when it is zipped.
    made: Option<Vec<u8>>,
}

/// The site's files plus the how-to pages, sorted by path, and, last, the manifest of all of
/// them. The binary copies of the search engine and index are left out: a reader opens the
/// bundle from disk, where pages cannot fetch them and load their script copies instead
/// (served over http, the pages fall back to the scripts too).
fn with_extras(sink: &Sink, title: &str, slug: &str, date: &str) -> Vec<ZipEntry> {
    let mut listed: Vec<Written> = sink
        .written()
        .into_iter()
        .filter(|f| f.path != MANIFEST && !crate::search::is_binary_copy(&f.path))
        .collect();
    let mut made: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for (path, text) in [
        ("HOW-TO-OPEN.html", how_to_html(title, slug, date)),
        ("HOW-TO-OPEN.txt", how_to_text(title, slug, date)),
    ] {
        let f = OutFile {
            path: path.into(),
            bytes: text.into_bytes(),
        };
        listed.retain(|w| w.path != f.path);
        listed.push(Written::of(&f));
        made.insert(f.path, f.bytes);
    }
    listed.sort_by(|a, b| a.path.cmp(&b.path));
    let manifest = manifest(&listed);
    let mut entries: Vec<ZipEntry> = listed
        .into_iter()
        .map(|w| ZipEntry {
            made: made.remove(&w.path),
            path: w.path,
        })
        .collect();
    entries.push(ZipEntry {
        path: MANIFEST.into(),
        made: Some(manifest.into_bytes()),
    });
    entries
}

/// `sha256sum` output: `<hex>  <path>` per file, sorted by path.
pub fn manifest(files: &[Written]) -> String {
    let mut lines: Vec<(&str, String)> = files.iter().map(|f| (f.path.as_str(), f.hex())).collect();
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

fn write_zip<W: Write + std::io::Seek>(
    file: &mut W,
    slug: &str,
    date: &str,
    entries: &[ZipEntry],
    site: &Sink,
) -> Result<()> {
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
    for f in entries {
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
        let read;
        let bytes = match &f.made {
            Some(b) => b,
            None => {
                read = site.read(&f.path)?;
                &read
            }
        };
        zip.write_all(bytes)
            .map_err(|e| Error::Other(format!("writing the zip: {e}")))?;
    }
    zip.finish().map_err(zip_err)?;
    Ok(())
}

/// Writes `out` through a temporary file beside it, renamed into place when complete, so an
/// interrupted run never leaves a truncated zip (or PDF) under the final name.
pub(crate) fn write_atomically(
    out: &Path,
    fill: impl FnOnce(&mut File) -> Result<()>,
) -> Result<()> {
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

/// The largest manifest `--verify` reads: a manifest line per file of a site of hundreds of
/// thousands of pages. A larger one is not a manifest accord wrote (and would be read into
/// memory whole).
const MAX_MANIFEST: u64 = 64 * 1024 * 1024;

/// Checks a bundle against the manifest inside it, without writing anything. Returns one line
/// per problem: `changed: path`, `missing: path` or `extra: path` for files of the bundle's
/// folder (by their path inside it), and, by their full name in the zip, entries that unzipping
/// would put somewhere else or that cannot be checked at all:
///
/// - `unsafe: name (reason)`: a name that climbs out of the folder (`..`), is absolute, holds a
///   backslash, a drive letter or a control character, or an entry that is a symbolic link;
/// - `duplicate: name (reason)`: two entries with one name (or one that differs only in letter
///   case), of which an unzip tool may keep either;
/// - `extra: name (outside the folder kb/)`: an entry beside the bundle's folder;
/// - `malformed: MANIFEST.sha256 line N …`: a manifest line that is not a hash and a path inside
///   the bundle.
///
/// None of these entries counts towards a match, so a zip with any of them never verifies.
pub fn verify(zip: &Path) -> Result<Vec<String>> {
    let file = File::open(zip).map_err(|e| Error::io(zip, e))?;
    let mut archive = ZipArchive::new(file)
        .map_err(|e| Error::Other(format!("{}: not a readable zip: {e}", zip.display())))?;
    let mut problems = Vec::new();

    // What each entry is, before choosing the manifest: only a safe, regular file can be it.
    let mut entries = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        match archive.by_index_raw(i) {
            Ok(e) => entries.push(Some(Entry {
                name: e.name().to_string(),
                dir: e.is_dir(),
                symlink: e.is_symlink(),
            })),
            Err(e) => {
                problems.push(format!("unreadable: entry {} ({e})", i + 1));
                entries.push(None);
            }
        }
    }
    let usable = |e: &Entry| !e.symlink && !e.dir && unsafe_name(&e.name).is_none();

    // The manifest closest to the top of the zip is the bundle's own.
    let manifest_name = entries
        .iter()
        .flatten()
        .filter(|e| usable(e))
        .map(|e| e.name.as_str())
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

    problems.extend(duplicates(zip, &archive)?);

    let mut text = String::new();
    let read_err = |e: &dyn std::fmt::Display| {
        Error::Other(format!("{}: {manifest_name}: {e}", zip.display()))
    };
    archive
        .by_name(&manifest_name)
        .map_err(|e| read_err(&e))?
        .take(MAX_MANIFEST + 1)
        .read_to_string(&mut text)
        .map_err(|e| read_err(&e))?;
    if text.len() as u64 > MAX_MANIFEST {
        return Err(read_err(&format!(
            "larger than {} MiB, which is not a manifest accord writes",
            MAX_MANIFEST / 1024 / 1024
        )));
    }
    let mut expected: BTreeMap<String, String> = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let line_no = n + 1;
        // `sha256sum` writes two spaces, or a space and `*` in binary mode.
        match line.split_once(' ') {
            Some((hash, path))
                if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) =>
            {
                let path = path.strip_prefix([' ', '*']).unwrap_or(path);
                if let Some(why) = unsafe_name(path) {
                    problems.push(format!(
                        "malformed: {MANIFEST} line {line_no} names {}, which is not a file inside the bundle ({why})",
                        shown(path)
                    ));
                } else if expected.contains_key(path) {
                    // The first line stands: a second cannot change what the file must be.
                    problems.push(format!(
                        "malformed: {MANIFEST} line {line_no} lists {} a second time",
                        shown(path)
                    ));
                } else {
                    expected.insert(path.to_string(), hash.to_ascii_lowercase());
                }
            }
            _ => problems.push(format!("malformed: {MANIFEST} line {line_no}")),
        }
    }

    let mut actual: BTreeMap<String, std::result::Result<String, String>> = BTreeMap::new();
    let mut outside = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let Some(entry) = entry else { continue };
        let name = &entry.name;
        if let Some(why) = unsafe_name(name) {
            problems.push(format!("unsafe: {} ({why})", shown(name)));
            continue;
        }
        if entry.symlink {
            problems.push(format!("unsafe: {} (symbolic link)", shown(name)));
            continue;
        }
        if *name == manifest_name {
            continue;
        }
        let Some(rel) = name.strip_prefix(&prefix) else {
            // Beside the bundle's folder: reported by its full name, and never taken for the
            // file of the same path inside the folder. The folders that hold the bundle's own
            // folder are not extra.
            if !(entry.dir && prefix.starts_with(name.as_str())) {
                outside.push(format!(
                    "extra: {} (outside the folder {})",
                    shown(name),
                    shown(&prefix)
                ));
            }
            continue;
        };
        if entry.dir {
            continue;
        }
        let hash = match archive.by_index(i) {
            Ok(mut file) => {
                let mut hasher = Sha256::new();
                std::io::copy(&mut file, &mut hasher)
                    .map(|_| hex(&hasher.finalize()))
                    .map_err(|e| e.to_string())
            }
            Err(e) => Err(e.to_string()),
        };
        actual.insert(rel.to_string(), hash);
    }

    for (path, hash) in &expected {
        match actual.get(path) {
            None => problems.push(format!("missing: {}", shown(path))),
            Some(Ok(h)) if h == hash => {}
            Some(Ok(_)) => problems.push(format!("changed: {}", shown(path))),
            Some(Err(e)) => {
                problems.push(format!("changed: {} (cannot be read: {e})", shown(path)))
            }
        }
    }
    for path in actual.keys() {
        if !expected.contains_key(path) {
            problems.push(format!("extra: {}", shown(path)));
        }
    }
    problems.extend(outside);
    Ok(problems)
}

struct Entry {
    name: String,
    dir: bool,
    symlink: bool,
}

/// Why unzipping an entry of this name could write outside the folder it is unzipped into, or
/// somewhere other than its name says; `None` for a plain relative path. Names are checked as
/// written, since unzip tools differ in what they clean up.
fn unsafe_name(name: &str) -> Option<&'static str> {
    if name.chars().any(char::is_control) {
        return Some("control character in the name");
    }
    // Windows reads a backslash as a folder separator, so `a\..\..\x` climbs there.
    if name.contains('\\') {
        return Some("backslash in the name");
    }
    if name.starts_with('/') {
        return Some("absolute path");
    }
    let b = name.as_bytes();
    if b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':' {
        return Some("drive letter");
    }
    // A folder's entry ends in `/`; any other empty segment would merge with its neighbour.
    let path = name.strip_suffix('/').unwrap_or(name);
    for segment in path.split('/') {
        match segment {
            ".." => return Some("`..` climbs out of the folder"),
            "" | "." => return Some("empty or `.` path segment"),
            _ => {}
        }
    }
    None
}

/// A name as it can be printed on one line: names with control characters are quoted and
/// escaped, so a name can never pose as another line of the report.
fn shown(name: &str) -> String {
    if name.chars().any(char::is_control) {
        format!("{name:?}")
    } else {
        name.to_string()
    }
}

/// Entries that share a name, or a name that differs only in letter case (one file on Windows
/// and macOS). Unzip tools differ in which of them they keep, so verifying one proves nothing.
fn duplicates(zip: &Path, archive: &ZipArchive<File>) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    // The zip crate keys entries by name and keeps only the last of a repeated name, so the
    // names are counted from the central directory's records themselves.
    let names = central_directory_names(zip, archive.central_directory_start())
        .map_err(|e| Error::io(zip, e))?;
    let mut counts: BTreeMap<&[u8], usize> = BTreeMap::new();
    for n in &names {
        *counts.entry(n.as_slice()).or_default() += 1;
    }
    for (name, count) in counts.iter().filter(|(_, c)| **c > 1) {
        problems.push(format!(
            "duplicate: {} ({count} entries with this name)",
            shown(&String::from_utf8_lossy(name))
        ));
    }
    let mut folded: BTreeMap<String, &str> = BTreeMap::new();
    for name in archive.file_names() {
        if let Some(first) = folded.insert(name.to_lowercase(), name) {
            problems.push(format!(
                "duplicate: {} (the same name as {} but for letter case)",
                shown(name),
                shown(first)
            ));
        }
    }
    Ok(problems)
}

/// The raw name of every record of the central directory that starts at `start`, in order.
fn central_directory_names(zip: &Path, start: u64) -> std::io::Result<Vec<Vec<u8>>> {
    use std::io::{BufReader, Seek, SeekFrom};
    const SIGNATURE: u32 = 0x0201_4b50;
    // Record layout (APPNOTE 4.3.12): 46 fixed bytes, among them the lengths of the name, the
    // extra field and the comment at offsets 28, 30 and 32; then the name, extra and comment.
    let mut r = BufReader::new(File::open(zip)?);
    r.seek(SeekFrom::Start(start))?;
    let mut names = Vec::new();
    let mut fixed = [0u8; 46];
    loop {
        if r.read_exact(&mut fixed).is_err() {
            break;
        }
        if u32::from_le_bytes([fixed[0], fixed[1], fixed[2], fixed[3]]) != SIGNATURE {
            break;
        }
        let len = |at: usize| u16::from_le_bytes([fixed[at], fixed[at + 1]]);
        let mut name = vec![0u8; usize::from(len(28))];
        r.read_exact(&mut name)?;
        r.seek_relative(i64::from(len(30)) + i64::from(len(32)))?;
        names.push(name);
    }
    Ok(names)
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
        let files = [
            OutFile {
                path: "b.html".into(),
                bytes: b"b".to_vec(),
            },
            OutFile {
                path: "a.html".into(),
                bytes: Vec::new(),
            },
        ]
        .map(|f| Written::of(&f));
        assert_eq!(
            manifest(&files),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  a.html\n\
             3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d  b.html\n"
        );
    }
}
