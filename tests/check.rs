//! `accord check`: one fixture with exactly one instance of each finding, the JSON output, and
//! the knowledge base shipped in this repository.

use std::path::Path;
use std::process::{Command, Output};

fn accord(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(args)
        .output()
        .expect("run accord")
}

fn write(root: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// A project with one instance of every finding `accord check` knows. Line numbers in the
/// expected output below refer to these texts.
fn fixture(root: &Path) {
    write(
        root,
        &[
            (
                "book.toml",
                "[book]\ntitle = \"Audit fixture\"\n[search]\nindex-budget = 1\n",
            ),
            (
                "content/_index.md",
                "---\ntitle: Home\n---\n\nRead the [guide](guide/_index.md).\n",
            ),
            (
                "content/guide/_index.md",
                "---\ntitle: Guide\n---\n\nThe guide.\n",
            ),
            (
                "content/guide/a.md",
                "---\ntitle: A\n---\n\n## Start\n\nA referral mechanism is in [B](b.md) and [elsewhere](missing.md).\n\nSee [the section](b.md#nope).\n\n![](map.png)\n\n![A map](https://example.org/map.png)\n\n#### Deep\n",
            ),
            ("content/guide/map.png", "not really a png"),
            (
                "content/guide/b.md",
                "---\ntitle: B\n---\n\n## Intro\n\nText.\n",
            ),
            (
                "content/guide/bad.md",
                "---\ntitle: Bad\ntitel: typo\n---\n\nText.\n",
            ),
            (
                "content/guide/p.md",
                "---\nkind: principle\ntitle: P\n---\n\n## What\n\nText.\n",
            ),
            (
                "content/misc/lonely.md",
                "---\ntitle: Lonely\n---\n\nNobody links here.\n",
            ),
            (
                "content/glossary/_index.md",
                "---\ntitle: Glossary\n---\n",
            ),
            (
                "content/glossary/referral-mechanism.md",
                "---\nkind: term\nterm: referral mechanism\ndefinition: A way to refer people to help.\nsee_also: [nothing-here]\n---\n",
            ),
            (
                "content/glossary/unused.md",
                "---\nkind: term\nterm: zebra crossing\ndefinition: Used on no page.\n---\n",
            ),
            (
                "themes/default/static/extra.css",
                "body { color: black; }\n@import url(\"https://fonts.example.org/css\");\n",
            ),
        ],
    );
}

const EXPECTED: &[&str] = &[
    "content/glossary/referral-mechanism.md:5:12: error: `see_also` names `nothing-here`, which is not a glossary term\n  hint: create content/glossary/nothing-here.md or fix the name",
    "content/glossary/unused.md:3:7: warning: glossary term `zebra crossing` is used on no page\n  hint: use it in running text, link it as `[zebra crossing](glossary:unused)`, or remove the entry",
    "content/guide/a.md:7:42: error: link to missing page `missing.md` (resolved to `guide/missing.md`)",
    "content/guide/a.md:9:5: error: link `b.md#nope`: `guide/b.md` has no heading with anchor `#nope`\n  hint: anchors on that page: intro",
    "content/guide/a.md:11:1: warning: image `map.png` has no alt text\n  hint: describe what it shows for readers who cannot see it: `![A map of the referral pathway](map.png)`",
    "content/guide/a.md:13:1: error: `https://example.org/map.png` is loaded from another site, so the page does not work offline\n  hint: save the file in the content folder and refer to it by a relative path",
    "content/guide/a.md:15:1: warning: heading `Deep` skips a level: h4 follows h2\n  hint: make it h3 (`### `)",
    "content/guide/bad.md:3:1: error: unknown key `titel` for kind `page`\n  hint: did you mean `title`?",
    "content/guide/p.md:2:7: error: a page of kind `principle` needs `sources`\n  hint: add `sources:` (Where the page's facts come from: title, publisher, date and url of each.)",
    "content/misc/lonely.md:1: warning: no navigation reaches this page: no section lists it and no reachable page links to it\n  hint: put it in a folder that has an `_index.md`, or link to it from a page readers reach",
    "themes/default/static/extra.css:2: error: the theme loads `https://fonts.example.org/css` from another site, so pages do not work offline\n  hint: copy the file into the theme's static/ folder and refer to it relatively",
];

/// The findings of `accord check` text output: each is its line plus its `  hint:` line.
/// The note every project without `base-url` gets (tests/offline.rs checks it whole); the
/// fixtures here are about other findings.
fn is_sitemap_note(message_or_line: &str) -> bool {
    message_or_line.contains("no sitemap.xml is written: `base-url` is not set")
}

fn findings(stdout: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in stdout.lines() {
        if is_sitemap_note(line)
            || line.starts_with("  hint: set `base-url` under [site] in book.toml")
        {
            continue;
        }
        match out.last_mut() {
            Some(last) if line.starts_with("  hint: ") => {
                last.push('\n');
                last.push_str(line);
            }
            _ => out.push(line.to_string()),
        }
    }
    out
}

/// Whether the build produces a search index yet; the budget finding exists only then.
fn has_search_index(root: &Path) -> bool {
    let mut timer = accord::pipeline::Timer::default();
    let Ok(mut resolved) = accord::pipeline::front(root, &mut timer) else {
        return false;
    };
    let sink = accord::output::Sink::memory();
    accord::pipeline::render_site(root, &mut resolved.site, &mut timer, None, &sink)
        .map(|_| sink.written().iter().any(|f| f.path.starts_with("search/")))
        .unwrap_or(false)
}

#[test]
fn one_instance_of_each_finding_gives_exactly_the_expected_lines() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fixture(root);
    let out = accord(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "errors exit with 1");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let mut lines = findings(&stdout);
    let summary = lines.pop().unwrap_or_default();

    // The index budget line carries the index's size, which depends on the search engine.
    let budget: Vec<String> = lines
        .iter()
        .filter(|l| l.starts_with("book.toml:"))
        .cloned()
        .collect();
    lines.retain(|l| !l.starts_with("book.toml:"));
    assert_eq!(lines, EXPECTED, "full output:\n{stdout}");

    // Without a search index in the build there is nothing to measure.
    let mut warnings = 4;
    if budget.is_empty() {
        assert!(!has_search_index(root), "index over budget not reported");
    } else {
        warnings += 1;
        assert_eq!(budget.len(), 1, "{budget:?}");
        assert!(
            budget[0].starts_with("book.toml:4: warning: the search index is ")
                && budget[0].contains(" bytes, over the budget of 1 bytes\n  hint: "),
            "{}",
            budget[0]
        );
    }
    assert_eq!(summary, format!("7 errors, {warnings} warnings"));
    assert!(!root.join("site").exists(), "check must not write the site");
}

#[test]
fn json_output_carries_every_finding_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    let out = accord(&[
        "check",
        "--root",
        dir.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let items = v.as_array().expect("a list of findings");
    let texts: Vec<String> = items
        .iter()
        .filter(|d| d["path"] != "book.toml")
        .map(|d| {
            format!(
                "{}:{}: {}: {}",
                d["path"].as_str().unwrap(),
                d["line"],
                d["severity"].as_str().unwrap(),
                d["message"].as_str().unwrap()
            )
        })
        .collect();
    // The same findings as the text output, which adds the column where there is one.
    let expected: Vec<String> = EXPECTED
        .iter()
        .map(|l| {
            let first = l.split('\n').next().unwrap();
            let (place, rest) = first.split_once(": ").unwrap();
            let mut parts = place.splitn(3, ':');
            let (path, line) = (parts.next().unwrap(), parts.next().unwrap());
            format!("{path}:{line}: {rest}")
        })
        .collect();
    assert_eq!(texts, expected);
    let see_also = items
        .iter()
        .find(|d| d["path"] == "content/glossary/referral-mechanism.md")
        .expect("the see_also finding");
    assert_eq!(see_also["line"], 5);
    assert_eq!(
        see_also["hint"],
        "create content/glossary/nothing-here.md or fix the name"
    );
}

#[test]
fn a_page_body_starting_below_h2_skips_a_level() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[(
            "content/_index.md",
            "---\ntitle: Home\n---\n\n### Too deep\n\n#### Fine\n",
        )],
    );
    let report = accord::check::check(dir.path()).unwrap();
    let lines: Vec<String> = report
        .findings
        .iter()
        .filter(|d| !is_sitemap_note(&d.message))
        .map(|d| d.to_string())
        .collect();
    assert_eq!(
        lines,
        ["content/_index.md:5:1: warning: heading `Too deep` is h3, but a page body starts at h2\n  hint: the page title is the h1; make this `## `"]
    );
}

#[test]
fn a_new_project_is_clean() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("kb");
    accord::project::init(&root).unwrap();
    let out = accord(&["check", "--root", root.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    // Only what publishing needs beyond it: the address the site will have.
    let mut lines = stdout.lines();
    assert!(is_sitemap_note(lines.next().unwrap_or("")), "{stdout}");
    assert_eq!(
        lines.skip(1).collect::<Vec<_>>(),
        ["0 errors, 0 warnings"],
        "{stdout}"
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn remote_assets_fail_the_build_too() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("kb");
    accord::project::init(&root).unwrap();
    write(
        &root,
        &[(
            "content/about.md",
            "---\ntitle: About\n---\n\n![Logo](https://example.org/logo.png)\n",
        )],
    );
    let out = accord(&["build", "--root", root.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("content/about.md:5:1: error: `https://example.org/logo.png` is loaded from another site"),
        "{stderr}"
    );
    assert!(!root.join("site").exists());
}

/// The knowledge base this repository ships must pass its own audit.
#[test]
fn the_bundled_knowledge_base_has_no_errors() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = accord(&["check", "--root", root]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let summary = stdout.lines().last().unwrap_or_default();
    assert!(summary.starts_with("0 errors,"), "{stdout}");
    assert_eq!(out.status.code(), Some(0), "{stdout}");
}

#[test]
fn remote_assets_in_raw_html_and_theme_templates_are_found() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("book.toml", "[build]\nallow-html = true\n"),
            (
                "content/_index.md",
                "---\ntitle: Home\n---\n\nText.\n\n<figure>\n<img alt=\"x\" src=\"https://example.org/a.png\">\n</figure>\n\n<a href=\"https://example.org/\">a link is fine</a>\n",
            ),
            (
                "themes/default/templates/404.html",
                "<!DOCTYPE html>\n<title>Not found</title>\n<script src=\"https://cdn.example.org/x.js\"></script>\n",
            ),
        ],
    );
    let report = accord::check::check(dir.path()).unwrap();
    let lines: Vec<String> = report
        .findings
        .iter()
        .filter(|d| !is_sitemap_note(&d.message))
        .map(|d| d.to_string())
        .collect();
    assert_eq!(
        lines,
        [
            "content/_index.md:8: error: `https://example.org/a.png` is loaded from another site, so the page does not work offline\n  hint: save the file in the content folder and refer to it by a relative path",
            "themes/default/templates/404.html:3: error: the theme loads `https://cdn.example.org/x.js` from another site, so pages do not work offline\n  hint: copy the file into the theme's static/ folder and refer to it relatively",
        ]
    );
}

/// A project whose principle was last reviewed on `updated`, with `book.toml` as given.
fn review_fixture(root: &Path, book: &str, updated: &str) {
    write(
        root,
        &[
            ("book.toml", book),
            (
                "content/_index.md",
                "---\ntitle: Home\n---\n\nSee [P](p.md) and the [term](t.md).\n",
            ),
            (
                "content/p.md",
                &format!(
                    "---\nkind: principle\ntitle: P\nsources: [{{title: S, publisher: P}}]\nupdated: \"{updated}\"\n---\n\nText about a zebra crossing.\n"
                ),
            ),
            (
                "content/t.md",
                &format!(
                    "---\nkind: term\nterm: zebra crossing\ndefinition: A crossing.\nupdated: \"{updated}\"\n---\n\nA zebra crossing.\n"
                ),
            ),
        ],
    );
}

#[test]
fn a_sourced_page_not_reviewed_within_the_interval_is_warned_at_its_updated_key() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    review_fixture(root, "[book]\ntitle = \"Review\"\n", "2001-01-01");
    let out = accord(&["check", "--root", root.to_str().unwrap()]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    // Only the principle: a glossary term states no sourced facts.
    assert_eq!(
        findings(&stdout),
        [
            "content/p.md:5:10: warning: last reviewed on 1 January 2001, more than 24 months ago\n  hint: check the page against its sources and set `updated` to the day you did; `review-after-months` under `[check]` in book.toml sets the interval",
            "0 errors, 1 warning",
        ]
    );
    assert_eq!(out.status.code(), Some(0), "warnings do not fail the check");
}

#[test]
fn the_review_interval_comes_from_book_toml_and_zero_turns_it_off() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // Reviewed a little over a year ago: overdue at 12 months, not at the default 24.
    let reviewed = accord::date::Date::today().months_earlier(13).to_string();
    review_fixture(root, "[book]\ntitle = \"Review\"\n", &reviewed);
    let check =
        || String::from_utf8(accord(&["check", "--root", root.to_str().unwrap()]).stdout).unwrap();
    assert_eq!(findings(&check()), ["0 errors, 0 warnings"]);

    write(
        root,
        &[(
            "book.toml",
            "[book]\ntitle = \"Review\"\n[check]\nreview-after-months = 12\n",
        )],
    );
    let out = check();
    let lines = findings(&out);
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].starts_with("content/p.md:5:10: warning: last reviewed on ")
            && lines[0].contains(", more than 12 months ago\n"),
        "{out}"
    );

    review_fixture(
        root,
        "[book]\ntitle = \"Review\"\n[check]\nreview-after-months = 0\n",
        "2001-01-01",
    );
    assert_eq!(findings(&check()), ["0 errors, 0 warnings"]);

    // A misspelt setting is an error, like every key of accord's own tables.
    write(
        root,
        &[(
            "book.toml",
            "[book]\ntitle = \"Review\"\n[check]\nreview-after-month = 12\n",
        )],
    );
    let out = check();
    assert!(
        out.starts_with("book.toml:4:1: error: unknown key `review-after-month`"),
        "{out}"
    );
}

/// Every page of the bundled knowledge base says when it was last checked against its sources.
#[test]
fn every_page_of_the_bundled_knowledge_base_has_a_review_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut timer = accord::pipeline::Timer::default();
    let resolved = accord::pipeline::front(root, &mut timer).expect("the knowledge base loads");
    let missing: Vec<&str> = resolved
        .site
        .pages
        .iter()
        .filter(|p| p.meta.date("updated").is_none())
        .map(|p| p.rel.as_str())
        .collect();
    assert!(missing.is_empty(), "pages without `updated`: {missing:?}");
}
