//! Reading offline and sharing: the web app manifest, the list of the site's files with the
//! build's version (which the service worker carries), link-preview and canonical tags with and
//! without `base-url`, the sitemap only where it can be right, and the offline zip published in
//! the site with its size and SHA-256.

use std::collections::BTreeSet;

use sha2::{Digest, Sha256};

mod common;
use common::{files_under, principle, stderr, stdout, Fixture};

const PAGE: &str =
    "---\nkind: page\ntitle: About\nsummary: What this site is & why.\n---\n\nText.\n";

fn site(book: &str) -> Fixture {
    Fixture::new(&[
        ("book.toml", book),
        ("content/_index.md", "---\ntitle: Home\n---\n\nWelcome.\n"),
        ("content/about.md", PAGE),
        (
            "content/principles/_index.md",
            "---\ntitle: Principles\n---\n",
        ),
        (
            "content/principles/trust.md",
            &principle("Building trust", "## Why\n\nText.\n"),
        ),
    ])
}

const PLAIN: &str = "[book]\ntitle = \"Fixture KB\"\ndescription = \"A test site\"\n";
const PUBLISHED: &str = "[book]\ntitle = \"Fixture KB\"\ndescription = \"A test site\"\n[site]\nbase-url = \"https://example.org/kb\"\nshort-title = \"Fixture\"\n";

fn hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn built(book: &str) -> Fixture {
    let f = site(book);
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    f
}

/// The lines of a page's `<head>` from the favicon to the style sheet: the tags for link
/// previews, the canonical link and the manifest.
fn head_meta(html: &str) -> String {
    let start = html.find("<link rel=\"icon\"").expect("favicon link");
    let end = html
        .find("<link rel=\"stylesheet\"")
        .expect("style sheet link");
    html[start..end]
        .lines()
        .skip(1)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_web_manifest_is_relative_to_the_site_root_with_the_theme_icons_and_colours() {
    let f = built(PUBLISHED);
    assert_eq!(
        f.read("manifest.webmanifest"),
        r##"{
  "name": "Fixture KB",
  "short_name": "Fixture",
  "description": "A test site",
  "lang": "en",
  "start_url": "index.html",
  "scope": "./",
  "display": "minimal-ui",
  "background_color": "#ffffff",
  "theme_color": "#0b4f8a",
  "icons": [
    {
      "src": "assets/favicon.svg",
      "sizes": "any",
      "type": "image/svg+xml"
    },
    {
      "src": "assets/icon-192.png",
      "sizes": "192x192",
      "type": "image/png"
    },
    {
      "src": "assets/icon-512.png",
      "sizes": "512x512",
      "type": "image/png"
    }
  ]
}
"##
    );
    for icon in [
        "assets/icon-192.png",
        "assets/icon-512.png",
        "assets/og-image.png",
    ] {
        let bytes = std::fs::read(f.site().join(icon)).expect(icon);
        assert!(
            bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
            "{icon} is not a PNG"
        );
    }
    // Without a short title the manifest repeats the title.
    let plain = built(PLAIN);
    assert!(plain
        .read("manifest.webmanifest")
        .contains("\"short_name\": \"Fixture KB\","));
}

#[test]
fn the_file_list_names_every_saved_file_with_its_hash_and_the_worker_carries_its_version() {
    let f = built(PLAIN);
    let list: serde_json::Value =
        serde_json::from_str(&f.read("offline.json")).expect("offline.json is JSON");
    let listed: Vec<(String, u64, String)> = list["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|e| {
            (
                e["path"].as_str().expect("path").to_string(),
                e["bytes"].as_u64().expect("bytes"),
                e["hash"].as_str().expect("hash").to_string(),
            )
        })
        .collect();
    // Every file of the site but the list, the worker, what only search engines read, and the
    // script copies of the search engine and index (head and chunks) that only pages opened
    // from disk load.
    let not_saved: BTreeSet<&str> = [
        "offline.json",
        "sw.js",
        "robots.txt",
        "search/index.js",
        "assets/accord-search-wasm.js",
    ]
    .into();
    let expected: Vec<String> = files_under(&f.site())
        .into_iter()
        .filter(|p| {
            let script_chunk = p.starts_with("search/chunks/") && p.ends_with(".js");
            !not_saved.contains(p.as_str()) && !p.starts_with(".accord") && !script_chunk
        })
        .collect();
    let paths: Vec<String> = listed.iter().map(|(p, _, _)| p.clone()).collect();
    assert_eq!(paths, expected);
    for needed in [
        "index.html",
        "offline.html",
        "manifest.webmanifest",
        "assets/offline.js",
        "assets/accord-search.wasm",
        "search/index.bin",
    ] {
        assert!(paths.iter().any(|p| p == needed), "{needed} is not saved");
    }
    assert!(
        paths
            .iter()
            .any(|p| p.starts_with("search/chunks/") && p.ends_with(".bin")),
        "the index's chunks are not saved: {paths:?}"
    );
    let mut manifest = String::new();
    let mut total = 0;
    for (path, bytes, hash) in &listed {
        let data = std::fs::read(f.site().join(path)).expect("listed file");
        let full = hex(&data);
        assert_eq!(*bytes, data.len() as u64, "{path}");
        assert_eq!(*hash, full[..16], "{path}");
        manifest.push_str(&format!("{full}  {path}\n"));
        total += data.len() as u64;
    }
    let version = hex(manifest.as_bytes());
    assert_eq!(list["version"], version.as_str());
    assert_eq!(list["bytes"], total);
    let worker = f.read("sw.js");
    assert!(
        worker.contains(&format!("var VERSION = \"{version}\";\n")),
        "sw.js does not carry the version {version}"
    );

    // The same sources give the same version; a changed page another one.
    assert!(f.build().status.success());
    assert_eq!(f.read("sw.js"), worker);
    f.write("content/about.md", &PAGE.replace("Text.", "New text."));
    assert!(f.build().status.success());
    assert!(
        !f.read("sw.js").contains(&version),
        "a rebuild kept the version"
    );
}

#[test]
fn pages_carry_link_previews_and_with_base_url_a_canonical_address() {
    let f = built(PUBLISHED);
    assert_eq!(
        head_meta(&f.read("principles/trust.html")),
        r#"<link rel="canonical" href="https://example.org/kb/principles/trust.html">
<meta property="og:url" content="https://example.org/kb/principles/trust.html">
<meta property="og:type" content="article">
<meta property="og:site_name" content="Fixture KB">
<meta property="og:title" content="Building trust">
<meta property="og:description" content="A test site">
<meta property="og:image" content="https://example.org/kb/assets/og-image.png">
<meta property="og:image:width" content="1200">
<meta property="og:image:height" content="630">
<meta property="og:image:alt" content="Fixture KB">
<meta name="twitter:card" content="summary_large_image">
<link rel="manifest" href="../manifest.webmanifest">"#
    );
    // The home page is the website; a summary is escaped.
    let home = head_meta(&f.read("index.html"));
    assert!(
        home.contains("<meta property=\"og:type\" content=\"website\">"),
        "{home}"
    );
    assert!(
        home.contains("href=\"https://example.org/kb/index.html\""),
        "{home}"
    );
    let about = head_meta(&f.read("about.html"));
    assert!(
        about.contains(
            "<meta property=\"og:description\" content=\"What this site is &amp; why.\">"
        ),
        "{about}"
    );
    // The 404 page is served at other addresses: it names none as its own.
    let missing = head_meta(&f.read("404.html"));
    assert!(
        !missing.contains("canonical") && !missing.contains("og:url"),
        "{missing}"
    );
}

#[test]
fn without_base_url_pages_carry_no_absolute_address() {
    let f = built(PLAIN);
    assert_eq!(
        head_meta(&f.read("principles/trust.html")),
        r#"<meta property="og:type" content="article">
<meta property="og:site_name" content="Fixture KB">
<meta property="og:title" content="Building trust">
<meta property="og:description" content="A test site">
<meta name="twitter:card" content="summary">
<link rel="manifest" href="../manifest.webmanifest">"#
    );
}

#[test]
fn a_sitemap_is_written_only_with_base_url_and_check_says_why_not() {
    let f = built(PLAIN);
    assert!(
        !f.site().join("sitemap.xml").exists(),
        "a sitemap without base-url"
    );
    assert_eq!(f.read("robots.txt"), "User-agent: *\nAllow: /\n");
    let check = f.accord(&["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert_eq!(
        stdout(&check),
        "book.toml: note: no sitemap.xml is written: `base-url` is not set under [site], and a sitemap needs absolute addresses\n  \
         hint: set `base-url` under [site] in book.toml to the address the site is published at, such as `https://example.org/kb/`; it also gives every page a canonical link, its hreflang links to its other languages and link previews an image\n\
         0 errors, 0 warnings\n"
    );

    let f = built(PUBLISHED);
    let sitemap = f.read("sitemap.xml");
    let locs: Vec<&str> = sitemap
        .lines()
        .filter_map(|l| l.strip_prefix("<url><loc>"))
        .map(|l| l.split("</loc>").next().unwrap_or(""))
        .collect();
    assert!(locs.len() >= 4, "{sitemap}");
    for loc in &locs {
        assert!(loc.starts_with("https://example.org/kb/"), "{loc}");
    }
    assert!(locs.contains(&"https://example.org/kb/principles/trust.html"));
    assert_eq!(
        f.read("robots.txt"),
        "User-agent: *\nAllow: /\nSitemap: https://example.org/kb/sitemap.xml\n"
    );
    let check = f.accord(&["check"]);
    assert!(!stdout(&check).contains("sitemap"), "{}", stdout(&check));
}

/// The zip in the site, by its name.
fn published_zip(f: &Fixture) -> String {
    let zips: Vec<String> = files_under(&f.site())
        .into_iter()
        .filter(|p| p.ends_with(".zip"))
        .collect();
    assert_eq!(zips.len(), 1, "{zips:?}");
    zips[0].clone()
}

fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let at = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in:\n{html}"))
        + start.len();
    let len = html[at..].find(end).expect("end");
    &html[at..at + len]
}

#[test]
fn build_bundle_publishes_the_zip_with_its_size_and_sha256() {
    let f = site(PLAIN);
    let out = f.accord(&["build", "--bundle"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let name = published_zip(&f);
    assert!(
        name.starts_with("fixture-kb-") && !name.contains('/'),
        "{name}"
    );
    let zip = std::fs::read(f.site().join(&name)).expect("zip");
    let sha = hex(&zip);
    let page = f.read("offline.html");
    assert_eq!(
        between(&page, "<a class=\"bundle-link\" href=\"", "\""),
        name
    );
    assert_eq!(
        between(&page, "<span class=\"bundle-bytes\">", "<"),
        zip.len().to_string()
    );
    assert_eq!(between(&page, "<code class=\"bundle-sha256\">", "<"), sha);
    assert!(stderr(&out).contains(&format!(
        "Offline zip: {name} ({} bytes, SHA-256 {sha})",
        zip.len()
    )));
    // Every page links the page that links the zip.
    assert!(f
        .read("principles/trust.html")
        .contains("<a href=\"../offline.html\">Reading offline</a>"));
    // The zip is the bundle of the same site, and verifies.
    let verify = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["bundle", "--verify"])
        .arg(f.site().join(&name))
        .output()
        .expect("run accord");
    assert!(verify.status.success(), "{}", stderr(&verify));
    let mut archive =
        zip::ZipArchive::new(std::fs::File::open(f.site().join(&name)).expect("open"))
            .expect("zip");
    let mut inner = String::new();
    std::io::Read::read_to_string(
        &mut archive
            .by_name("fixture-kb/offline.html")
            .expect("offline.html in the zip"),
        &mut inner,
    )
    .expect("read");
    assert!(!inner.contains("bundle-link"), "the zip links itself");
    // A saved copy leaves the zip out, but its page in.
    let list = f.read("offline.json");
    assert!(!list.contains(".zip"), "the file list names the zip");
    assert!(list.contains("\"offline.html\""));

    // `[bundle] publish = true` does the same; without either there is no zip and no link.
    let g = site(&format!("{PLAIN}[bundle]\npublish = true\n"));
    assert!(g.build().status.success());
    published_zip(&g);
    assert!(g.read("offline.html").contains("bundle-sha256"));
    let h = built(PLAIN);
    assert!(!files_under(&h.site()).iter().any(|p| p.ends_with(".zip")));
    assert!(!h.read("offline.html").contains("bundle-link"));
}
