//! Building real fixture sites: output, links, errors and the guarantee that a failed build
//! leaves the previous site untouched.

mod common;

use common::*;

fn small_site() -> Fixture {
    Fixture::new(&[
        ("book.toml", "[book]\ntitle = \"Fixture KB\"\ndescription = \"Test\"\n[site]\nbase-url = \"https://example.org/kb\"\n"),
        ("content/_index.md", "---\ntitle: Home\n---\n\nSee [principles](principles/_index.md) and [about](about.md).\n"),
        ("content/about.md", "# About this site\n\nA page without front matter. Back [home](_index.md).\n"),
        ("content/principles/_index.md", "---\ntitle: Principles\n---\n\nAll principles.\n"),
        (
            "content/principles/trust.md",
            &principle(
                "Building trust",
                "## Why it matters\n\nSee [roles](roles.md#who-does-what) and [the same page](#why-it-matters).\n\n![A map](../img/map.png)\n",
            ),
        ),
        ("content/principles/roles.md", &principle("Clear roles", "## Who does what\n\nBack to [trust](trust.md).\n")),
        ("content/img/map.png", "not really a png"),
    ])
}

#[test]
fn builds_pages_with_relative_links_that_all_resolve() {
    let f = small_site();
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("Built 5 pages"), "{}", stderr(&out));
    for file in [
        "index.html",
        "about.html",
        "principles/index.html",
        "principles/trust.html",
        "404.html",
        "sitemap.xml",
        "feed.xml",
        "robots.txt",
        "print.html",
        "browse.html",
        "img/map.png",
        "assets/style.css",
    ] {
        assert!(f.site().join(file).is_file(), "missing {file}");
    }
    let trust = f.read("principles/trust.html");
    assert!(
        trust.contains("href=\"roles.html#who-does-what\""),
        "{trust}"
    );
    assert!(trust.contains("href=\"#why-it-matters\""));
    assert!(trust.contains("src=\"../img/map.png\""));
    assert!(trust.contains("href=\"../assets/style.css\""));
    // "Referenced by" on the page that is linked to.
    let roles = f.read("principles/roles.html");
    assert!(roles.contains("Referenced by"));
    assert!(
        roles.contains("href=\"../principles/trust.html\">Building trust</a>"),
        "{roles}"
    );
    assert_links_resolve(&f.site());
    // The page without front matter is titled by its first heading, shown once.
    let about = f.read("about.html");
    assert!(about.contains("<h1>About this site</h1>"));
    assert_eq!(about.matches("About this site</h").count(), 1);
    // Absolute URLs only where they must be.
    assert!(f
        .read("sitemap.xml")
        .contains("<loc>https://example.org/kb/principles/trust.html</loc>"));
}

#[test]
fn three_errors_in_three_files_are_all_reported_and_the_old_site_survives() {
    let f = small_site();
    assert!(f.build().status.success());
    let before = snapshot_dir(&f.site());

    f.write(
        "content/principles/trust.md",
        "---\nkind: principle\ntitle: Building trust\nsumary: typo\n---\n",
    );
    f.write(
        "content/principles/roles.md",
        &principle("Clear roles", "Intro\n\nSee [missing](nowhere.md).\n"),
    );
    f.write("content/about.md", "---\ntitle: About\ntags: [a, b\n---\n");
    let out = f.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(
        lines,
        [
            "content/about.md:4:1: error: did not find expected ',' or ']'",
            "content/principles/roles.md:12:5: error: link to missing page `nowhere.md` (resolved to `principles/nowhere.md`)",
            "content/principles/trust.md:2:7: error: a page of kind `principle` needs `sources`",
            "content/principles/trust.md:4:1: error: unknown key `sumary` for kind `principle`",
        ],
        "{err}"
    );
    assert!(err.contains("hint: did you mean `summary`?"), "{err}");
    assert_eq!(
        snapshot_dir(&f.site()),
        before,
        "a failed build changed the previous output"
    );
}

#[test]
fn hostile_titles_and_raw_html_render_as_text() {
    let f = Fixture::new(&[
        ("book.toml", BOOK),
        ("content/_index.md", "---\ntitle: \"<script>alert(1)</script>\"\nsummary: \"<img src=x onerror=alert(1)>\"\n---\n\nBody <b onclick=\"x\">bold</b>\n\n<iframe src=\"https://evil.example\"></iframe>\n"),
    ]);
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let html = f.read("index.html");
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(!html.contains("<img src=x"));
    assert!(!html.contains("<b onclick"));
    assert!(!html.contains("<iframe"));
    assert!(html.contains("&lt;iframe"));
}

#[test]
fn raw_html_is_kept_when_allowed() {
    let f = Fixture::new(&[
        (
            "book.toml",
            "[book]\ntitle = \"T\"\n[build]\nallow-html = true\n",
        ),
        (
            "content/_index.md",
            "---\ntitle: Home\n---\n\nA <abbr title=\"x\">X</abbr>.\n",
        ),
    ]);
    assert!(f.build().status.success());
    assert!(f.read("index.html").contains("<abbr title=\"x\">X</abbr>"));
}

#[test]
fn duplicate_output_paths_name_both_files() {
    let f = Fixture::new(&[
        ("book.toml", BOOK),
        ("content/a.md", "# A\n"),
        ("content/A.md", "# A again\n"),
    ]);
    let out = f.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("content/a.md:1:1: error: `a.md` would be written to `a.html`, which `content/A.md` already produces"), "{err}");
}

#[test]
fn unknown_book_toml_key_names_line_and_allowed_keys() {
    let f = Fixture::new(&[
        (
            "book.toml",
            "[book]\ntitle = \"T\"\n\n[build]\nbuild_dir = \"x\"\n",
        ),
        ("content/_index.md", "# Home\n"),
    ]);
    let out = f.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("book.toml:5:1: error: unknown key `build_dir`"),
        "{err}"
    );
    assert!(err.contains("did you mean `build-dir`?"), "{err}");
}

#[test]
fn a_folder_accord_did_not_write_is_never_replaced() {
    let f = small_site();
    f.write("site/precious.txt", "keep me");
    let out = f.build();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("refusing to replace it"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(f.site().join("precious.txt")).unwrap(),
        "keep me"
    );
}

#[test]
fn usage_errors_exit_2() {
    let f = small_site();
    assert_eq!(f.accord(&["build", "--nope"]).status.code(), Some(2));
    assert_eq!(f.accord(&["new", "treaty", "X"]).status.code(), Some(2));
    assert!(f.accord(&["--version"]).status.success());
}

#[test]
fn init_makes_a_project_that_builds_and_new_adds_pages_of_a_kind() {
    let f = Fixture::new(&[]);
    let out = f.accord(&["init", "kb"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = f.accord(&["build", "--root", "kb"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(f.path().join("kb/site/index.html").is_file());
    assert_links_resolve(&f.path().join("kb/site"));

    let out = f.accord(&[
        "new",
        "agreement",
        "Police–NGO MoU: Region X",
        "--root",
        "kb",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = std::fs::read_to_string(
        f.path()
            .join("kb/content/agreements/police-ngo-mou-region-x.md"),
    )
    .unwrap();
    assert!(page.contains("kind: agreement"));
    assert!(page.contains("signed:"));
    assert!(page.contains("parties:"));
    // The new page asks for its sources before it builds.
    let out = f.accord(&["build", "--root", "kb"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("police-ngo-mou-region-x.md"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn project_theme_overrides_embedded_files_one_by_one() {
    let f = small_site();
    f.write("themes/default/templates/404.html", "{% extends \"base.html\" %}{% block content %}<p>Custom not found</p>{% endblock content %}");
    f.write("themes/default/static/style.css", "body { color: red }");
    assert!(f.build().status.success());
    assert!(f.read("404.html").contains("Custom not found"));
    assert_eq!(f.read("assets/style.css"), "body { color: red }");
    // Files not overridden still come from the embedded theme.
    assert!(
        f.read("principles/trust.html").contains("Referenced by")
            || f.read("principles/roles.html").contains("Referenced by")
    );
}

#[test]
fn template_errors_name_the_template() {
    let f = small_site();
    f.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}{{ nope.nothing }}{% endblock content %}",
    );
    let out = f.build();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("themes/default/templates/404.html"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn drafts_are_not_published() {
    let f = small_site();
    f.write(
        "content/principles/draft.md",
        "---\ntitle: Draft\ndraft: true\n---\n",
    );
    assert!(f.build().status.success());
    assert!(!f.site().join("principles/draft.html").exists());
}

#[test]
fn bundled_knowledge_base_builds_and_every_link_resolves() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out_dir = tempfile::tempdir().unwrap();
    let site = out_dir.path().join("site");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .args([
            "build",
            "--root",
            root.to_str().unwrap(),
            "--out",
            site.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.join("index.html").is_file());
    assert_links_resolve(&site);
    // From a treaty article to everything that relies on it: every page citing Convention 108
    // Art. 6 (special categories of data), grouped by kind, and no other.
    let view = std::fs::read_to_string(site.join("articles.html")).unwrap();
    let start = view
        .find("id=\"convention-108-art-6\"")
        .expect("Convention 108 Art. 6 in the Articles view");
    let entry = &view[start..start + view[start..].find("</div>").unwrap()];
    assert!(entry.contains("cited by 4 pages"), "{entry}");
    let citing: Vec<&str> = entry
        .split("<a href=\"")
        .skip(2)
        .map(|a| &a[..a.find('"').unwrap()])
        .collect();
    assert_eq!(
        citing,
        [
            "principles/confidentiality-and-data-protection.html",
            "principles/lawful-information-sharing.html",
            "practices/information-sharing-ngo-police.html",
            "glossary/data-protection.html",
        ]
    );
}

#[test]
fn rendered_article_matches_its_snapshot() {
    let f = Fixture::new(&[
        ("book.toml", BOOK),
        ("content/_index.md", "---\ntitle: Home\n---\n\nSee [roles](principles/roles.md).\n"),
        (
            "content/glossary/mou.md",
            "---\nkind: term\nterm: memorandum of understanding\nabbreviation: MoU\ndefinition: A written agreement between partners.\n---\n\nText.\n",
        ),
        (
            "content/principles/roles.md",
            "---\nkind: principle\ntitle: Clear roles\nsummary: Who does what.\nelements: [roles]\ntags: [roles]\nregions: [Europe]\ncountries: [DE]\nstakeholders: [ngo, law-enforcement]\nsources:\n  - {title: A source, publisher: A publisher, date: \"2009-03-30\", url: \"https://example.org/a\"}\n---\n\nAn MoU names contacts.\n\n## Who does what\n\n| Party | Task |\n|---|---|\n| Police | Investigate |\n\n- [x] agreed\n- [ ] signed\n\n> Example clause: each Party names a contact.[^1]\n\n[^1]: A note.\n",
        ),
    ]);
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let html = f.read("principles/roles.html");
    let start = html.find("<article").expect("article");
    let end = html.find("</article>").expect("end of article") + "</article>".len();
    insta::assert_snapshot!(&html[start..end]);
}

/// Two builds of the same project give the same bytes in every file, so a hash or a manifest
/// tells whether a published site is the one built from a given source.
#[test]
fn two_builds_of_one_project_are_byte_identical() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out_dir = tempfile::tempdir().unwrap();
    let build = |name: &str| {
        let site = out_dir.path().join(name);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
            .args(["build", "--root", root.to_str().unwrap(), "--out"])
            .arg(&site)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        snapshot_dir(&site)
    };
    let first = build("first");
    let second = build("second");
    assert!(first.contains_key("search/index.bin") && first.contains_key("search/index.js"));
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    let differ: Vec<&String> = first
        .iter()
        .filter(|(path, bytes)| second.get(*path) != Some(*bytes))
        .map(|(path, _)| path)
        .collect();
    assert!(differ.is_empty(), "differ between two builds: {differ:?}");
}

/// A project of `pages` principles, big enough that writing the site takes a while.
fn many_pages(pages: usize) -> Fixture {
    let f = Fixture::new(&[
        ("book.toml", BOOK),
        (
            "content/_index.md",
            "---\ntitle: Home\n---\n\nThe principles.\n",
        ),
    ]);
    for i in 0..pages {
        f.write(
            &format!("content/principles/p{i}.md"),
            &principle(
                &format!("Principle {i}"),
                &format!(
                    "## Part {i}\n\n{}\n",
                    "Agencies share what they know. ".repeat(40)
                ),
            ),
        );
    }
    f
}

fn spawn_build(f: &Fixture) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .arg("build")
        .current_dir(f.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// Names beside the output folder that accord uses while it writes.
fn temporaries(f: &Fixture) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(f.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".site.accord-") && n != ".site.accord-lock")
        .collect();
    names.sort();
    names
}

#[test]
fn two_builds_into_one_folder_at_once_both_succeed_and_leave_a_complete_site() {
    let f = many_pages(300);
    let reference = tempfile::tempdir().unwrap();
    let out = f.accord(&[
        "build",
        "--out",
        reference.path().join("site").to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    for _ in 0..3 {
        let (a, b) = (spawn_build(&f), spawn_build(&f));
        for child in [a, b] {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "{}", stderr(&out));
        }
        assert_eq!(temporaries(&f), Vec::<String>::new());
        assert!(
            snapshot_dir(&f.site()) == snapshot_dir(&reference.path().join("site")),
            "the site differs from a build made alone"
        );
    }
}

#[test]
fn a_build_waits_for_the_build_holding_the_lock_and_spares_its_folder() {
    use std::io::{BufRead, Write};
    let f = small_site();
    assert!(f.build().status.success());
    let before = snapshot_dir(&f.site());

    // This test plays a build that is writing: it holds the lock and has its temporary folder.
    let mut lock = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(f.path().join(".site.accord-lock"))
        .unwrap();
    lock.lock().unwrap();
    write!(lock, "{}", std::process::id()).unwrap();
    let live = f
        .path()
        .join(format!(".site.accord-new-{}", std::process::id()));
    std::fs::create_dir(&live).unwrap();
    std::fs::write(live.join("index.html"), "half written").unwrap();

    let mut child = spawn_build(&f);
    let mut err = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    assert_eq!(
        line,
        format!(
            "Waiting for another accord build into ./site (process {}) to finish…\n",
            std::process::id()
        )
    );
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the build did not wait"
    );
    assert_eq!(
        std::fs::read_to_string(live.join("index.html")).unwrap(),
        "half written",
        "the live build's folder was touched"
    );
    assert!(snapshot_dir(&f.site()) == before);

    // The holder is done (and gone, as far as the waiting build can tell).
    drop(lock);
    let status = child.wait().unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut err, &mut rest).unwrap();
    assert!(status.success(), "{rest}");
    assert!(rest.starts_with("Built "), "{rest}");
    assert_eq!(temporaries(&f), Vec::<String>::new());
    assert!(snapshot_dir(&f.site()) == before);
}

#[test]
fn there_is_never_a_moment_without_a_site() {
    let f = small_site();
    assert!(f.build().status.success());
    let site = f.site();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    // Two threads look at the folder as fast as they can while builds replace it: a swap by two
    // renames leaves it missing for some microseconds, which these looks catch.
    let pollers: Vec<_> = (0..2)
        .map(|_| {
            let (site, done) = (site.clone(), done.clone());
            std::thread::spawn(move || {
                let (mut looks, mut missing) = (0u64, 0u64);
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    looks += 1;
                    if std::fs::symlink_metadata(&site).is_err() {
                        missing += 1;
                    }
                }
                (looks, missing)
            })
        })
        .collect();
    for _ in 0..30 {
        let out = f.build();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    for p in pollers {
        let (looks, missing) = p.join().unwrap();
        assert!(looks > 1000, "only {looks} looks");
        assert_eq!(
            missing, 0,
            "the site folder was missing {missing} of {looks} times"
        );
    }
    assert!(f.site().join("index.html").is_file());
}

#[test]
fn a_killed_build_leaves_the_old_site_and_the_next_build_cleans_up() {
    let f = many_pages(1500);
    assert!(f.build().status.success());
    let before = snapshot_dir(&f.site());
    // Kill a build while it writes its temporary folder; a few tries, as the write may be
    // quicker than the poll.
    let mut caught = false;
    for _ in 0..5 {
        let mut child = spawn_build(&f);
        let tmp = f.path().join(format!(".site.accord-new-{}", child.id()));
        let start = std::time::Instant::now();
        while !tmp.exists() && child.try_wait().unwrap().is_none() {
            assert!(start.elapsed() < std::time::Duration::from_secs(120));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        // Caught before the swap: only this build's new site and its scratch folder (the search
        // index while it is written) are there, and no earlier site set aside.
        let own = [
            format!(".site.accord-new-{}", child.id()),
            format!(".site.accord-scratch-{}", child.id()),
        ];
        if tmp.exists() && temporaries(&f) == own {
            caught = true;
            break;
        }
    }
    assert!(caught, "never caught a build while it wrote");
    assert!(snapshot_dir(&f.site()) == before, "the old site changed");
    assert_links_resolve(&f.site());
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(temporaries(&f), Vec::<String>::new());
    assert!(snapshot_dir(&f.site()) == before);
}

/// The fixture in `tests/fixtures/markup` (also opened in Chromium by the browser tests): every
/// alert type, highlighted and plain code, each spelling of math, and raw HTML under
/// `allow-html = "safe"`, rendered at build time. The page's content is compared whole.
#[test]
fn alerts_code_math_and_safe_html_render_at_build_time() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/markup");
    let files: Vec<(String, String)> = ["book.toml", "content/_index.md", "content/markup.md"]
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(fixture.join(p)).expect("read the fixture");
            (p.to_string(), text)
        })
        .collect();
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let f = Fixture::new(&borrowed);
    std::fs::copy(
        fixture.join("content/map.png"),
        f.path().join("content/map.png"),
    )
    .expect("copy the image");
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    // The one formula that cannot be rendered is a warning at its line and column.
    assert_eq!(
        stderr(&out).lines().take(3).collect::<Vec<_>>(),
        [
            "content/markup.md:49:31: warning: formula not rendered: Expected closing token \"}\", but reached end of input.",
            "  hint: the page shows the source as it is; fix the TeX, or write `\\$` for a dollar sign that starts no formula",
            "0 errors, 1 warning",
        ]
    );
    let html = f.read("markup.html");
    let start = html.find("<div class=\"content\">").expect("content");
    // The fragment has no `</div>` line of its own: the first one closes the content.
    let end = start + html[start..].find("\n</div>\n").expect("end of content");
    let content = &html[start..end];
    insta::assert_snapshot!(content);
    // What the snapshot shows gone, said outright: nothing hostile, remote or private survives.
    for gone in [
        "alert(1)",
        "steal()",
        "javascript:",
        "https://example.org/x.png",
        "editor's note",
    ] {
        assert!(!content.contains(gone), "{gone} in the content");
    }
}

/// A build written to a folder puts the pages' HTML and the search index on disk while it works
/// (its sink's scratch folder); one kept in memory, as the live preview's, holds them. Both give
/// the same files, byte for byte, and the scratch folder is left empty.
#[test]
fn a_build_that_works_on_disk_writes_the_files_of_one_held_in_memory() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let render = |sink: &accord::output::Sink| {
        let mut timer = accord::pipeline::Timer::default();
        let (mut site, _) = accord::pipeline::site_without_errors(
            accord::pipeline::front(root, &mut timer).expect("the knowledge base loads"),
        )
        .expect("the knowledge base has no errors");
        accord::pipeline::render_site(root, &mut site, &mut timer, None, sink).expect("renders");
    };
    let memory = accord::output::Sink::memory();
    render(&memory);
    let in_memory: std::collections::BTreeMap<String, Vec<u8>> = memory
        .into_files()
        .into_iter()
        .map(|f| (f.path, f.bytes))
        .collect();

    let dir = tempfile::tempdir().unwrap();
    let (site, scratch) = (dir.path().join("site"), dir.path().join("scratch"));
    std::fs::create_dir(&site).unwrap();
    std::fs::create_dir(&scratch).unwrap();
    render(&accord::output::Sink::folder_with_scratch(
        site.clone(),
        scratch.clone(),
    ));
    let on_disk = snapshot_dir(&site);
    assert!(in_memory.len() > 100, "{} files", in_memory.len());
    assert_eq!(
        on_disk.keys().collect::<Vec<_>>(),
        in_memory.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &in_memory {
        assert!(on_disk[path] == *bytes, "{path} differs");
    }
    assert_eq!(std::fs::read_dir(&scratch).unwrap().count(), 0);
}
