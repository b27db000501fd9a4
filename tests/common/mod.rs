//! Shared helpers for integration tests: fixture projects in temporary folders, running the
//! real binary, and crawling built sites.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Output;

pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    /// A project with the given files (path relative to the project root, contents).
    pub fn new(files: &[(&str, &str)]) -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(&p, text).expect("write fixture");
        }
        Fixture { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, path: &str, text: &str) {
        let p = self.dir.path().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }

    pub fn accord(&self, args: &[&str]) -> Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
            .args(args)
            .current_dir(self.path())
            .output()
            .expect("run accord")
    }

    pub fn build(&self) -> Output {
        self.accord(&["build"])
    }

    pub fn site(&self) -> PathBuf {
        self.path().join("site")
    }

    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.site().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Every file under `dir` with its bytes, keyed by relative path.
pub fn snapshot_dir(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.expect("walk");
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("prefix")
                .to_string_lossy()
                .into_owned();
            out.insert(rel, std::fs::read(e.path()).expect("read"));
        }
    }
    out
}

/// Every file under `dir`, relative to it with `/` separators.
pub fn files_under(dir: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect()
}

fn decode_entities(s: &str) -> String {
    s.replace("&#x2F;", "/")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Every `href` and `src` value in an HTML file.
pub fn references(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" href=", " src=", "\thref=", "\nhref=", "\nsrc="] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let (value, after) = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let end = rest[1..].find(q).map_or(rest.len(), |e| e + 1);
                    (&rest[1..end], &rest[end..])
                }
                _ => {
                    let end = rest
                        .find(|c: char| c.is_whitespace() || c == '>')
                        .unwrap_or(rest.len());
                    (&rest[..end], &rest[end..])
                }
            };
            out.push(decode_entities(value));
            rest = after;
        }
    }
    out
}

/// Joins a relative reference onto a file's folder; `None` when it climbs out of the folder.
fn join(from_file: &str, reference: &str) -> Option<String> {
    let mut parts: Vec<&str> = from_file.split('/').collect();
    parts.pop();
    for seg in reference.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Crawls every HTML file of a built site: each href and src must lead to a file inside the
/// folder (not a folder, which opens as a listing from disk), a reference to `page.html#anchor`
/// to an element with that id, and nothing may be loaded from the network. Returns the problems.
pub fn broken_links(site: &Path) -> Vec<String> {
    let files = files_under(site);
    let mut problems = Vec::new();
    let mut checked = 0;
    if !files.contains("index.html") {
        problems.push("no index.html".to_string());
    }
    for f in files.iter().filter(|f| f.ends_with(".html")) {
        let html = std::fs::read_to_string(site.join(f)).expect("read html");
        // With base-url set, the 404 page links root-relative from that address's path (hosts
        // serve it at any depth): its links are checked with that path taken off, the path
        // read from its stylesheet link.
        let refs = references(&html);
        let root_404 = (f == "404.html")
            .then(|| {
                refs.iter()
                    .find_map(|r| r.strip_suffix("assets/style.css"))
                    .filter(|p| p.starts_with('/'))
                    .map(str::to_string)
            })
            .flatten();
        for (_, url) in
            accord::remote_assets::remote_refs(&html, accord::remote_assets::FileType::Html)
        {
            problems.push(format!("{f}: loads `{url}` from the network"));
        }
        for r in refs {
            let r = match &root_404 {
                Some(root) if r.starts_with(root.as_str()) => r[root.len()..].to_string(),
                _ => r,
            };
            let lower = r.to_ascii_lowercase();
            if lower.starts_with("http://")
                || lower.starts_with("https://")
                || lower.starts_with("mailto:")
                || lower.starts_with("tel:")
                || (r.contains("{{") && f == "HOW-TO-OPEN.html")
            {
                continue;
            }
            checked += 1;
            if r.is_empty() || r.starts_with('/') || r.contains("://") || lower.starts_with("//") {
                problems.push(format!("{f}: `{r}` does not lead into the folder"));
                continue;
            }
            let (path, anchor) = match r.split_once('#') {
                Some((p, a)) => (p, Some(a)),
                None => (r.as_str(), None),
            };
            let path = path.split('?').next().unwrap_or("");
            let target = if path.is_empty() {
                f.clone()
            } else {
                match join(f, path) {
                    Some(t) => t,
                    None => {
                        problems.push(format!("{f}: `{r}` climbs out of the folder"));
                        continue;
                    }
                }
            };
            if !files.contains(&target) {
                problems.push(format!("{f}: `{r}` → `{target}` is not a file in the site"));
                continue;
            }
            if let Some(a) = anchor.filter(|a| !a.is_empty() && target.ends_with(".html")) {
                let text = std::fs::read_to_string(site.join(&target)).expect("read target");
                if !text.contains(&format!("id=\"{a}\"")) && !text.contains(&format!("id={a}")) {
                    problems.push(format!("{f}: `{r}`: `{target}` has no id `{a}`"));
                }
            }
        }
    }
    if checked == 0 {
        problems.push("no internal links found at all".to_string());
    }
    problems
}

pub const BOOK: &str = "[book]\ntitle = \"Fixture\"\n";

pub fn principle(title: &str, body: &str) -> String {
    format!("---\nkind: principle\ntitle: {title}\nsources:\n  - title: A source\n    publisher: A publisher\n    date: \"2009\"\n---\n\n{body}\n")
}

/// Fails with the first few broken links, if any.
pub fn assert_links_resolve(site: &Path) {
    let broken = broken_links(site);
    assert!(
        broken.is_empty(),
        "{} broken links, first: {:#?}",
        broken.len(),
        &broken[..broken.len().min(8)]
    );
}
