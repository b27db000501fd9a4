//! Shared helpers for integration tests: fixture projects in temporary folders, running the
//! real binary, and crawling built sites.
#![allow(dead_code)]

use std::collections::BTreeMap;
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

/// Values of `attr="…"` attributes in HTML, unescaped enough for URLs.
pub fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        let after = &rest[i + needle.len()..];
        let Some(end) = after.find('"') else { break };
        out.push(after[..end].replace("&amp;", "&"));
        rest = &after[end..];
    }
    out
}

/// Checks that every internal href and src in every HTML file of `site` resolves to a file that
/// exists (and an element with the anchor's id, when there is one). Returns the broken ones.
pub fn broken_links(site: &Path) -> Vec<String> {
    let files = snapshot_dir(site);
    let mut broken = Vec::new();
    for (rel, bytes) in &files {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        let dir = Path::new(rel).parent().unwrap_or(Path::new(""));
        for attr in ["href", "src"] {
            for url in attr_values(&html, attr) {
                let lower = url.to_ascii_lowercase();
                if lower.starts_with("http://")
                    || lower.starts_with("https://")
                    || lower.starts_with("mailto:")
                    || lower.starts_with("tel:")
                    || lower.starts_with("data:")
                {
                    continue;
                }
                if url.contains("{{") {
                    continue;
                }
                let (path, anchor) = match url.split_once('#') {
                    Some((p, a)) => (p.to_string(), Some(a.to_string())),
                    None => (url.clone(), None),
                };
                let path = path.split('?').next().unwrap_or("").to_string();
                let target_rel = if path.is_empty() {
                    rel.clone()
                } else {
                    let mut parts: Vec<String> = dir
                        .iter()
                        .map(|s| s.to_string_lossy().into_owned())
                        .collect();
                    let mut ok = true;
                    for seg in path.split('/') {
                        match seg {
                            "" | "." => {}
                            ".." => ok &= parts.pop().is_some(),
                            s => parts.push(s.to_string()),
                        }
                    }
                    if !ok {
                        broken.push(format!("{rel}: {attr}={url} leaves the site"));
                        continue;
                    }
                    parts.join("/")
                };
                let target_rel = if target_rel.ends_with('/')
                    || files.contains_key(&format!("{target_rel}/index.html"))
                        && !files.contains_key(&target_rel)
                {
                    format!("{}/index.html", target_rel.trim_end_matches('/'))
                } else {
                    target_rel
                };
                match files.get(&target_rel) {
                    None => broken.push(format!("{rel}: {attr}={url} (no file {target_rel})")),
                    Some(target) => {
                        if let Some(a) = anchor.filter(|a| !a.is_empty() && a != "top") {
                            let t = String::from_utf8_lossy(target);
                            if !t.contains(&format!("id=\"{a}\"")) {
                                broken
                                    .push(format!("{rel}: {attr}={url} (no #{a} in {target_rel})"));
                            }
                        }
                    }
                }
            }
        }
    }
    broken
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
