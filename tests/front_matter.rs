//! Front matter as editors meet it: exact locations of nested values, every error of a file in
//! one run, calendar dates, one output format for build and check, and the JSON Schema that
//! editors' tools use agreeing with the build.

mod common;

use common::*;

fn site_with(path: &str, text: &str) -> Fixture {
    Fixture::new(&[
        ("book.toml", BOOK),
        (
            "content/_index.md",
            "---\ntitle: Home\n---\n\nSee [the principle](principles/p.md).\n",
        ),
        (
            "content/principles/_index.md",
            "---\ntitle: Principles\n---\n",
        ),
        ("content/principles/p.md", &principle("P", "Text.")),
        (path, text),
    ])
}

/// The diagnostics `accord build` prints (stderr) and `accord check` prints (stdout).
fn build_and_check(f: &Fixture) -> (String, String) {
    let build = f.build();
    assert_eq!(build.status.code(), Some(1), "{}", stderr(&build));
    let check = f.accord(&["check"]);
    assert_eq!(check.status.code(), Some(1), "{}", stdout(&check));
    (stderr(&build), without_sitemap_note(&stdout(&check)))
}

/// `accord check` also notes, for every project without `base-url`, that no sitemap is
/// written; these fixtures have none, and the note is not about their front matter.
fn without_sitemap_note(text: &str) -> String {
    let mut out = String::new();
    let mut skip_hint = false;
    for line in text.split_inclusive('\n') {
        if line.starts_with("book.toml: note: no sitemap.xml is written") {
            skip_hint = true;
            continue;
        }
        if skip_hint && line.starts_with("  hint:") {
            skip_hint = false;
            continue;
        }
        skip_hint = false;
        out.push_str(line);
    }
    out
}

#[test]
fn a_bad_second_source_url_is_reported_at_its_own_line_by_build_and_check_alike() {
    let f = site_with(
        "content/principles/q.md",
        "---\nkind: principle\ntitle: Q\nsources:\n  - title: First\n    publisher: P\n    url: https://example.org/a\n  - title: Second\n    publisher: P\n    url: javascript:alert(1)\n---\n\nBody.\n",
    );
    let (build, check) = build_and_check(&f);
    let expected = "content/principles/q.md:10:10: error: `sources[1].url` must be an http or https URL: `javascript:alert(1)`\n  hint: write the full address, starting with https://\n1 error, 0 warnings\n";
    assert_eq!(build, expected);
    // q.md sits in a folder with an `_index.md`, so check has no orphan warning to add.
    assert_eq!(check, expected);
}

#[test]
fn every_error_of_one_file_in_one_run_each_at_its_value() {
    let f = site_with(
        "content/events/e.md",
        "---\nkind: event\ntitle: E\ntags: trust\ncountries: [DE, UK, fr]\ndate: 2023-02-30\nend_date: 2009-13-45\nstakeholders: [police]\nsources:\n  - title: T\n    publiser: P\n---\n",
    );
    let (build, _) = build_and_check(&f);
    assert_eq!(
        build,
        [
            "content/events/e.md:4:7: error: `tags` must be a list",
            "  hint: write `tags: [a, b]` or one `- item` per line",
            "content/events/e.md:5:17: error: unknown country code `UK`",
            "  hint: use ISO 3166-1 alpha-2 codes such as DE, IT, GB",
            "content/events/e.md:5:21: error: unknown country code `fr`",
            "  hint: write it in capitals: `FR`",
            "content/events/e.md:6:7: error: `date`: `2023-02-30` is not a day of the calendar",
            "  hint: write dates as \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\"",
            "content/events/e.md:7:11: error: `end_date`: `2009-13-45` is not a day of the calendar",
            "  hint: write dates as \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\"",
            "content/events/e.md:8:16: error: unknown stakeholder `police`",
            "  hint: allowed: law-enforcement, ngo, labour-inspectorate, prosecution, judiciary, immigration, border-guard, social-services, health, igo, government, private-sector, trade-union, research",
            "content/events/e.md:10:5: error: source `sources[0]` has no `publisher`",
            "  hint: add `publisher: ...` to it",
            "content/events/e.md:11:5: error: unknown key `publiser` in source",
            "  hint: did you mean `publisher`? (source keys: title, publisher, date, url)",
            "8 errors, 0 warnings",
        ]
        .join("\n")
            + "\n"
    );
}

#[test]
fn dates_must_be_days_of_the_calendar_and_in_order() {
    for (date, message) in [
        (
            "2024-04-31",
            "`adopted`: `2024-04-31` is not a day of the calendar",
        ),
        ("2009-13", "`adopted`: `2009-13` has no month 13"),
        ("March 2009", "`adopted`: `March 2009` is not a date"),
    ] {
        let f = site_with(
            "content/instruments/i.md",
            &format!("---\nkind: instrument\ntitle: I\nadopted: {date}\nsources: [{{title: T, publisher: P}}]\n---\n"),
        );
        let (build, _) = build_and_check(&f);
        assert_eq!(
            build,
            format!("content/instruments/i.md:4:10: error: {message}\n  hint: write dates as \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\"\n1 error, 0 warnings\n")
        );
    }
    let f = site_with(
        "content/instruments/i.md",
        "---\nkind: instrument\ntitle: I\nadopted: 2005-05-16\nin_force: 2004\nsources: [{title: T, publisher: P}]\n---\n",
    );
    let (build, check) = build_and_check(&f);
    let expected = "content/instruments/i.md:5:11: error: `in_force` (2004) is before `adopted` (2005-05-16)\n  hint: `in_force` cannot come before `adopted`\n1 error, 0 warnings\n";
    assert_eq!(build, expected);
    assert_eq!(check, expected);
}

#[test]
fn a_valid_date_reaches_the_feed_as_rfc3339() {
    let f = site_with(
        "content/principles/q.md",
        "---\nkind: principle\ntitle: Q\nupdated: 2024-02-29\nsources: [{title: T, publisher: P}]\n---\n",
    );
    assert!(f.build().status.success());
    let feed = f.read("feed.xml");
    assert!(
        feed.contains("<updated>2024-02-29T00:00:00Z</updated>"),
        "{feed}"
    );
}

/// The front matter of a Markdown file, as the JSON a schema validator sees.
fn front_matter_json(text: &str) -> serde_json::Value {
    let yaml = text
        .strip_prefix("---\n")
        .and_then(|t| t.split("\n---\n").next())
        .unwrap_or("");
    let v: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap_or(serde_yaml::Value::Null);
    serde_json::to_value(v).unwrap()
}

fn schema() -> jsonschema::Validator {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .arg("schema")
        .output()
        .unwrap();
    assert!(out.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    jsonschema::draft202012::new(&schema).expect("a valid draft 2020-12 schema")
}

#[test]
fn the_schema_accepts_every_bundled_content_file() {
    let validator = schema();
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut checked = 0;
    for e in walkdir::WalkDir::new(&content) {
        let e = e.unwrap();
        if e.path().extension().is_none_or(|x| x != "md") {
            continue;
        }
        let fm = front_matter_json(&std::fs::read_to_string(e.path()).unwrap());
        let errors: Vec<String> = validator
            .iter_errors(&fm)
            .map(|err| format!("{} at {}", err, err.instance_path))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", e.path().display());
        checked += 1;
    }
    assert!(checked > 100, "only {checked} files");
}

#[test]
fn what_the_schema_rejects_the_build_rejects() {
    let validator = schema();
    let cases = [
        "---\nkind: principle\ntitle: P2\nsumary: typo\nsources: [{title: T, publisher: P}]\n---\n",
        "---\nkind: principle\ntitle: P2\ncountries: [XX]\nsources: [{title: T, publisher: P}]\n---\n",
        "---\nkind: principle\ntitle: P2\nstakeholders: [police]\nsources: [{title: T, publisher: P}]\n---\n",
        "---\nkind: principle\ntitle: P2\ntags: trust\nsources: [{title: T, publisher: P}]\n---\n",
        "---\nkind: principle\ntitle: P2\nupdated: 2009-3-1\nsources: [{title: T, publisher: P}]\n---\n",
        "---\nkind: principle\ntitle: P2\nsources: [{title: T}]\n---\n",
        "---\nkind: principle\ntitle: P2\nsources: [{title: T, publisher: P, url: ftp://x.org}]\n---\n",
        "---\nkind: principle\ntitle: P2\n---\n",
        "---\nkind: page\ntitle: P2\nsigned: 2004\n---\n",
        "---\nkind: treaty\ntitle: P2\n---\n",
        "---\nkind: event\ntitle: P2\nsources: [{title: T, publisher: P}]\n---\n",
        "---\nkind: agreement\ntitle: P2\nelements: {trainin: x}\nsources: [{title: T, publisher: P}]\n---\n",
        "---\nkind: term\ndefinition: A word.\n---\n",
        "---\ntitle: P2\nweight: heavy\n---\n",
    ];
    for text in cases {
        let fm = front_matter_json(text);
        assert!(!validator.is_valid(&fm), "schema accepts:\n{text}");
        let f = site_with("content/principles/p2.md", text);
        let out = f.build();
        assert_eq!(out.status.code(), Some(1), "build accepts:\n{text}");
    }
}

#[test]
fn the_readme_reference_is_the_one_the_model_generates() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["schema", "--format", "markdown"])
        .output()
        .unwrap();
    let generated = String::from_utf8(out.stdout).unwrap();
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    let start = readme.find("<!-- reference: begin -->\n").unwrap() + 26;
    let end = readme.find("<!-- reference: end -->").unwrap();
    assert_eq!(
        &readme[start..end],
        generated,
        "run `accord schema --format markdown` and paste it into the README"
    );
}

#[test]
fn a_new_page_of_every_kind_asks_only_for_what_is_missing() {
    for kind in accord::model::Kind::ALL {
        let f = Fixture::new(&[("book.toml", BOOK)]);
        let new = f.accord(&["new", kind.as_str(), "A new page"]);
        assert!(new.status.success(), "{}", stderr(&new));
        let out = f.build();
        let err = stderr(&out);
        let errors: Vec<&str> = err.lines().filter(|l| l.contains(": error: ")).collect();
        // The template itself is valid: the only errors are values left to fill in.
        for e in &errors {
            let message = e.split(": error: ").nth(1).unwrap();
            assert!(
                message.contains(" needs `") || message.contains(" has no `"),
                "{kind:?}: {e}"
            );
        }
        assert_eq!(out.status.success(), errors.is_empty(), "{kind:?}: {err}");
    }
}
