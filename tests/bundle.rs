//! `accord bundle`: the zip opens from disk with every reference inside its folder, its manifest
//! verifies, and `--verify` names every file that was changed, removed or added.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sha2::{Digest, Sha256};

mod common;
use common::{assert_links_resolve, files_under};

fn accord(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(args)
        .output()
        .expect("run accord")
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A new project plus a page with an image, a heading link across pages and a glossary link,
/// so the crawl meets every kind of reference the build writes.
fn project(dir: &Path) -> PathBuf {
    let root = dir.join("kb");
    accord::project::init(&root).unwrap();
    write(
        &root,
        "content/principles/second.md",
        "---\nkind: principle\ntitle: A second principle\nsources:\n  - title: Notes\n    publisher: accord\n---\n\n## Map\n\n![The referral map](map.png)\n\nBack to [what it means](first-principle.md#what-it-means), see the [knowledge base](glossary:knowledge-base).\n",
    );
    write(&root, "content/principles/map.png", "\u{89}PNG not really");
    root
}

fn bundle(root: &Path, out: &Path) {
    let o = accord(&[
        "bundle",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn unzip(zip: &Path, into: &Path) {
    let mut a = zip::ZipArchive::new(File::open(zip).unwrap()).unwrap();
    a.extract(into).unwrap();
}

/// Checks the unzipped folder against its manifest without accord: the manifest lists every
/// other file, and every hash matches.
fn manifest_matches(site: &Path) {
    let manifest = std::fs::read_to_string(site.join("MANIFEST.sha256")).unwrap();
    let mut listed = BTreeSet::new();
    for line in manifest.lines() {
        let (hash, path) = line.split_once("  ").expect("sha256sum format");
        let bytes = std::fs::read(site.join(path)).unwrap();
        let actual: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(hash, actual, "{path}");
        listed.insert(path.to_string());
    }
    let mut on_disk = files_under(site);
    on_disk.remove("MANIFEST.sha256");
    assert_eq!(listed, on_disk);
}

#[test]
fn bundle_opens_from_disk_and_its_manifest_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(dir.path());
    let o = accord(&["bundle", "--root", root.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    // Default name and place: `<title-slug>-<date>.zip` in the project folder.
    let zip = root.join(format!(
        "my-knowledge-base-{}.zip",
        accord::date::Date::today()
    ));
    assert!(
        zip.is_file(),
        "{:?}",
        std::fs::read_dir(&root).unwrap().collect::<Vec<_>>()
    );
    assert!(
        !root.join("site").exists(),
        "bundling must not write the output folder"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // One folder at the top, so unzipping never scatters files.
    let mut a = zip::ZipArchive::new(File::open(&zip).unwrap()).unwrap();
    let tops: BTreeSet<String> = a
        .file_names()
        .map(|n| n.split('/').next().unwrap_or("").to_string())
        .collect();
    assert_eq!(tops, BTreeSet::from(["my-knowledge-base".to_string()]));
    let mut how_to = String::new();
    a.by_name("my-knowledge-base/HOW-TO-OPEN.txt")
        .unwrap()
        .read_to_string(&mut how_to)
        .unwrap();
    assert!(how_to.contains("index.html") && how_to.contains("accord bundle --verify"));
    assert!(how_to.contains("sha256sum -c MANIFEST.sha256"));

    let out = tempfile::tempdir().unwrap();
    unzip(&zip, out.path());
    let site = out.path().join("my-knowledge-base");
    for f in ["index.html", "HOW-TO-OPEN.html", "principles/map.png"] {
        assert!(site.join(f).is_file(), "{f}");
    }
    assert_links_resolve(&site);
    manifest_matches(&site);

    // The search engine and index once each, in the form a reader opening the bundle from disk
    // loads (scripts); the binary copies only pages served over http fetch are left out.
    let search: BTreeSet<String> = a
        .file_names()
        .filter_map(|n| n.strip_prefix("my-knowledge-base/"))
        .filter(|n| n.starts_with("search/") || n.starts_with("assets/accord-search"))
        .map(str::to_string)
        .collect();
    assert!(
        search.contains("assets/accord-search-wasm.js"),
        "{search:?}"
    );
    assert!(search.contains("search/index.js"), "{search:?}");
    assert!(
        search.iter().any(|n| n.starts_with("search/chunks/")),
        "{search:?}"
    );
    assert!(
        search
            .iter()
            .all(|n| n.ends_with(".js") && !n.ends_with(".bin") && !n.ends_with(".wasm")),
        "{search:?}"
    );
    // …and `accord search` reads the unpacked bundle all the same.
    let o = accord(&["search", "--site", site.to_str().unwrap(), "knowledge"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!o.stdout.is_empty());

    let v = accord(&["bundle", "--verify", zip.to_str().unwrap()]);
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stdout));
    assert!(accord::bundle::verify(&zip).unwrap().is_empty());
}

/// The knowledge base shipped in this repository, bundled and crawled the same way.
#[test]
fn the_shipped_knowledge_base_bundles_and_every_reference_resolves() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("kb.zip");
    bundle(Path::new(env!("CARGO_MANIFEST_DIR")), &zip);
    let out = dir.path().join("unzipped");
    unzip(&zip, &out);
    let tops: Vec<_> = std::fs::read_dir(&out).unwrap().flatten().collect();
    assert_eq!(tops.len(), 1);
    let site = tops[0].path();
    assert_links_resolve(&site);
    manifest_matches(&site);
    assert!(accord::bundle::verify(&zip).unwrap().is_empty());
}

/// Rewrites a zip entry by entry: `change` may alter (Some) or drop (None) each file, and
/// `extra` files are appended.
fn rewrite(
    from: &Path,
    to: &Path,
    change: impl Fn(&str, Vec<u8>) -> Option<Vec<u8>>,
    extra: &[(&str, &str)],
) {
    let mut a = zip::ZipArchive::new(File::open(from).unwrap()).unwrap();
    let mut w = zip::ZipWriter::new(File::create(to).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    for i in 0..a.len() {
        let mut e = a.by_index(i).unwrap();
        let name = e.name().to_string();
        let mut bytes = Vec::new();
        e.read_to_end(&mut bytes).unwrap();
        if let Some(bytes) = change(&name, bytes) {
            w.start_file(name, opts).unwrap();
            w.write_all(&bytes).unwrap();
        }
    }
    for (name, text) in extra {
        w.start_file(*name, opts).unwrap();
        w.write_all(text.as_bytes()).unwrap();
    }
    w.finish().unwrap();
}

fn verify_cli(zip: &Path) -> (Option<i32>, String) {
    let o = accord(&["bundle", "--verify", zip.to_str().unwrap()]);
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

#[test]
fn verify_names_every_changed_missing_and_extra_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(dir.path());
    let zip = dir.path().join("kb.zip");
    bundle(&root, &zip);
    let top = "my-knowledge-base/";

    let tampered = dir.path().join("tampered.zip");
    rewrite(
        &zip,
        &tampered,
        |name, mut bytes| {
            if name == format!("{top}principles/second.html") {
                bytes.extend_from_slice(b"<script src=\"https://evil.example/x.js\"></script>");
            }
            Some(bytes)
        },
        &[],
    );
    assert_eq!(
        verify_cli(&tampered),
        (Some(1), "changed: principles/second.html\n".into())
    );

    let deleted = dir.path().join("deleted.zip");
    rewrite(
        &zip,
        &deleted,
        |name, bytes| (name != format!("{top}principles/map.png")).then_some(bytes),
        &[],
    );
    assert_eq!(
        verify_cli(&deleted),
        (Some(1), "missing: principles/map.png\n".into())
    );

    let added = dir.path().join("added.zip");
    rewrite(
        &zip,
        &added,
        |_, bytes| Some(bytes),
        &[("my-knowledge-base/principles/new.html", "<p>hi</p>")],
    );
    assert_eq!(
        verify_cli(&added),
        (Some(1), "extra: principles/new.html\n".into())
    );

    let all = dir.path().join("all.zip");
    rewrite(
        &zip,
        &all,
        |name, bytes| match name.strip_prefix(top) {
            Some("index.html") => Some(b"changed".to_vec()),
            Some("HOW-TO-OPEN.txt") => None,
            _ => Some(bytes),
        },
        &[("elsewhere.txt", "outside the folder")],
    );
    assert_eq!(
        accord::bundle::verify(&all).unwrap(),
        [
            "missing: HOW-TO-OPEN.txt",
            "changed: index.html",
            "extra: elsewhere.txt (outside the folder my-knowledge-base/)"
        ]
    );
}

#[test]
fn a_remote_asset_refuses_the_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(dir.path());
    write(
        &root,
        "content/about.md",
        "---\ntitle: About\n---\n\n![Logo](//cdn.example.org/logo.png)\n",
    );
    let zip = dir.path().join("kb.zip");
    let o = accord(&[
        "bundle",
        "--root",
        root.to_str().unwrap(),
        "--out",
        zip.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("content/about.md:5:1: error:"));
    assert!(!zip.exists());
}

#[test]
fn verify_rejects_a_zip_without_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("plain.zip");
    let mut w = zip::ZipWriter::new(File::create(&zip).unwrap());
    w.start_file("a.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    w.write_all(b"a").unwrap();
    w.finish().unwrap();
    let (code, _) = verify_cli(&zip);
    assert_eq!(code, Some(1));
    assert!(accord::bundle::verify(&zip)
        .unwrap_err()
        .to_string()
        .contains("no MANIFEST.sha256"));
    std::fs::write(&zip, b"not a zip").unwrap();
    assert!(accord::bundle::verify(&zip).is_err());
}

/// An entry added to a copy of a bundle.
enum Add<'a> {
    File(&'a str, &'a [u8]),
    Symlink(&'a str, &'a str),
}

/// Copies the bundle `from` to `to`: `first` before its entries, those `keep` accepts, then
/// `last`. Written with the zip crate, which refuses nothing but a repeated name.
fn hostile(from: &Path, to: &Path, first: &[Add], keep: impl Fn(&str) -> bool, last: &[Add]) {
    let mut a = zip::ZipArchive::new(File::open(from).unwrap()).unwrap();
    let mut w = zip::ZipWriter::new(File::create(to).unwrap());
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let add = |w: &mut zip::ZipWriter<File>, entry: &Add| match entry {
        Add::File(name, bytes) => {
            w.start_file(*name, opts).unwrap();
            w.write_all(bytes).unwrap();
        }
        Add::Symlink(name, target) => w.add_symlink(*name, *target, opts).unwrap(),
    };
    for e in first {
        add(&mut w, e);
    }
    for i in 0..a.len() {
        let e = a.by_index_raw(i).unwrap();
        if keep(e.name()) {
            w.raw_copy_file(e).unwrap();
        }
    }
    for e in last {
        add(&mut w, e);
    }
    w.finish().unwrap();
}

fn entry_bytes(zip: &Path, name: &str) -> Vec<u8> {
    let mut a = zip::ZipArchive::new(File::open(zip).unwrap()).unwrap();
    let mut bytes = Vec::new();
    a.by_name(name).unwrap().read_to_end(&mut bytes).unwrap();
    bytes
}

/// Every file under `dir` and its size: what must not change while a zip is verified.
fn listing(dir: &Path) -> BTreeSet<(String, u64)> {
    files_under(dir)
        .into_iter()
        .map(|f| {
            let len = std::fs::metadata(dir.join(&f)).unwrap().len();
            (f, len)
        })
        .collect()
}

#[test]
fn verify_refuses_entries_that_unzip_outside_the_folder_or_are_links() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(dir.path());
    let zip = dir.path().join("kb.zip");
    bundle(&root, &zip);
    let top = "my-knowledge-base/";
    let index = entry_bytes(&zip, &format!("{top}index.html"));
    let all = |_: &str| true;

    // Each hostile name next to a complete, otherwise matching bundle.
    for (name, report) in [
        ("../evil.html", "unsafe: ../evil.html (`..` climbs out of the folder)"),
        (
            "my-knowledge-base/../../evil.html",
            "unsafe: my-knowledge-base/../../evil.html (`..` climbs out of the folder)",
        ),
        ("/etc/cron.d/evil", "unsafe: /etc/cron.d/evil (absolute path)"),
        (
            "my-knowledge-base\\..\\..\\evil.bat",
            "unsafe: my-knowledge-base\\..\\..\\evil.bat (backslash in the name)",
        ),
        ("C:/Windows/evil.dll", "unsafe: C:/Windows/evil.dll (drive letter)"),
        (
            "my-knowledge-base//index.html",
            "unsafe: my-knowledge-base//index.html (empty or `.` path segment)",
        ),
        (
            "my-knowledge-base/x\nmy-knowledge-base.zip: every file matches the manifest",
            "unsafe: \"my-knowledge-base/x\\nmy-knowledge-base.zip: every file matches the manifest\" (control character in the name)",
        ),
        // Outside the bundle's folder under the name of one of its files: unzipped beside the
        // folder, never taken for the file inside it.
        ("index.html", "extra: index.html (outside the folder my-knowledge-base/)"),
    ] {
        for (n, (first, last)) in [
            (&[Add::File(name, &index)][..], &[][..]),
            (&[][..], &[Add::File(name, &index)][..]),
        ]
        .into_iter()
        .enumerate()
        {
            let bad = dir.path().join(format!("bad-{n}.zip"));
            hostile(&zip, &bad, first, all, last);
            let before = listing(dir.path());
            assert_eq!(verify_cli(&bad), (Some(1), format!("{report}\n")), "{name:?}");
            assert_eq!(listing(dir.path()), before, "{name:?}: verify wrote something");
            assert!(!dir.path().join("evil.html").exists());
        }
    }

    // A bundle file moved to a name that means the same path to some unzip tools: the file is
    // missing, whatever the tool makes of the name.
    let dotted = dir.path().join("dotted.zip");
    hostile(
        &zip,
        &dotted,
        &[],
        |n| n != "my-knowledge-base/index.html",
        &[Add::File("my-knowledge-base/./index.html", &index)],
    );
    assert_eq!(
        verify_cli(&dotted),
        (
            Some(1),
            "unsafe: my-knowledge-base/./index.html (empty or `.` path segment)\nmissing: index.html\n"
                .into()
        )
    );

    // A page replaced by a link to a file outside the folder.
    let linked = dir.path().join("linked.zip");
    hostile(
        &zip,
        &linked,
        &[],
        |n| n != "my-knowledge-base/principles/second.html",
        &[Add::Symlink(
            "my-knowledge-base/principles/second.html",
            "/etc/passwd",
        )],
    );
    assert_eq!(
        verify_cli(&linked),
        (
            Some(1),
            "unsafe: my-knowledge-base/principles/second.html (symbolic link)\n\
             missing: principles/second.html\n"
                .into()
        )
    );
}

#[test]
fn verify_refuses_two_entries_with_one_name() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(dir.path());
    let zip = dir.path().join("kb.zip");
    bundle(&root, &zip);
    let all = |_: &str| true;

    // A forged page ahead of the real one under the same name. The zip crate refuses to write
    // a repeated name, so it is written under a placeholder of the same length and renamed in
    // the raw bytes (the name appears in the entry's header and in the central directory).
    let placeholder = "my-knowledge-base/index.htmX";
    let forged = dir.path().join("forged.zip");
    hostile(
        &zip,
        &forged,
        &[Add::File(placeholder, b"<p>forged</p>")],
        all,
        &[],
    );
    let mut bytes = std::fs::read(&forged).unwrap();
    let mut renamed = 0;
    for at in 0..bytes.len() - placeholder.len() {
        if &bytes[at..at + placeholder.len()] == placeholder.as_bytes() {
            bytes[at..at + placeholder.len()].copy_from_slice(b"my-knowledge-base/index.html");
            renamed += 1;
        }
    }
    assert_eq!(renamed, 2);
    std::fs::write(&forged, &bytes).unwrap();
    assert_eq!(
        zip::ZipArchive::new(File::open(&forged).unwrap())
            .unwrap()
            .len(),
        zip::ZipArchive::new(File::open(&zip).unwrap())
            .unwrap()
            .len(),
        "the zip crate shows one entry of the two"
    );
    assert_eq!(
        verify_cli(&forged),
        (
            Some(1),
            "duplicate: my-knowledge-base/index.html (2 entries with this name)\n".into()
        )
    );

    // One file on Windows and macOS.
    let cased = dir.path().join("cased.zip");
    hostile(
        &zip,
        &cased,
        &[],
        all,
        &[Add::File("my-knowledge-base/INDEX.html", b"<p>forged</p>")],
    );
    assert_eq!(
        verify_cli(&cased),
        (
            Some(1),
            "duplicate: my-knowledge-base/INDEX.html (the same name as my-knowledge-base/index.html but for letter case)\n\
             extra: INDEX.html\n"
                .into()
        )
    );
}

#[test]
fn verify_names_manifest_lines_that_are_no_path_inside_the_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(dir.path());
    let zip = dir.path().join("kb.zip");
    bundle(&root, &zip);
    let manifest_name = "my-knowledge-base/MANIFEST.sha256";
    let mut manifest = String::from_utf8(entry_bytes(&zip, manifest_name)).unwrap();
    let lines = manifest.lines().count();
    let hash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    manifest.push_str(&format!(
        "{hash}  /x\n{hash}  ../up.txt\n{hash}  index.html\n"
    ));
    let bad = dir.path().join("bad-manifest.zip");
    hostile(
        &zip,
        &bad,
        &[],
        |n| n != manifest_name,
        &[
            Add::File(manifest_name, manifest.as_bytes()),
            Add::File("/x", b""),
        ],
    );
    assert_eq!(
        verify_cli(&bad),
        (
            Some(1),
            format!(
                "malformed: MANIFEST.sha256 line {} names /x, which is not a file inside the bundle (absolute path)\n\
                 malformed: MANIFEST.sha256 line {} names ../up.txt, which is not a file inside the bundle (`..` climbs out of the folder)\n\
                 malformed: MANIFEST.sha256 line {} lists index.html a second time\n\
                 unsafe: /x (absolute path)\n",
                lines + 1,
                lines + 2,
                lines + 3
            )
        )
    );
}
