//! Hostile and mistaken input: deep nesting, unsafe URL schemes, files that would replace
//! generated output, private comments, oversized front matter and odd file names. Each gives a
//! clear error naming the file (and the line and column where there is one), never a crash, and
//! never publishes what it should not.

mod common;

use common::*;

fn site(files: &[(&str, &str)]) -> Fixture {
    let mut all = vec![
        ("book.toml", BOOK),
        ("content/_index.md", "---\ntitle: Home\n---\n\nHome.\n"),
    ];
    all.extend_from_slice(files);
    Fixture::new(&all)
}

/// Builds, expecting failure, and returns stderr.
fn failing_build(f: &Fixture) -> String {
    let out = f.build();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    stderr(&out)
}

const DEEP: &str = "quotes, lists or inline markup nest more than 100 levels deep here\n  hint: flatten the nesting: split the quote or the list, or use a table\n1 error, 0 warnings\n";

#[test]
fn nesting_ten_thousand_deep_is_refused_with_its_place_not_a_crash() {
    let cases: Vec<(String, &str)> = vec![
        (format!("{} deep\n", ">".repeat(10_000)), "5:101"),
        (
            (0..10_000)
                .map(|i| format!("{}- item\n", "  ".repeat(i)))
                .collect(),
            "104:200",
        ),
        (format!("{}x\n", "- ".repeat(10_000)), "5:134"),
        (format!("{}x\n", "1. ".repeat(10_000)), "5:201"),
        (
            format!("{}x{}\n", "*".repeat(10_000), "*".repeat(10_000)),
            "5:197",
        ),
        (format!("{}x\n", "> - ".repeat(5_000)), "5:134"),
    ];
    for (body, place) in cases {
        let f = site(&[(
            "content/deep.md",
            &format!("---\ntitle: Deep\n---\n\n{body}"),
        )]);
        let err = failing_build(&f);
        assert_eq!(err, format!("content/deep.md:{place}: error: {DEEP}"));
        // check reports the same and finishes too.
        let check = f.accord(&["check"]);
        assert_eq!(check.status.code(), Some(1));
        assert!(
            stdout(&check)
                .lines()
                .any(|l| l.starts_with(&format!("content/deep.md:{place}: error: quotes"))),
            "{}",
            stdout(&check)
        );
    }
    // Nesting within the limit still builds.
    let f = site(&[(
        "content/ok.md",
        &format!("---\ntitle: Ok\n---\n\n{} fine\n", ">".repeat(50)),
    )]);
    assert!(f.build().status.success());
    assert!(f.read("ok.html").contains("fine"));
}

#[test]
fn only_safe_url_schemes_are_published() {
    let f = site(&[(
        "content/links.md",
        "---\ntitle: Links\n---\n\n[a](javascript://%0Aalert(1))\n\n<javascript:alert(2)>\n\n[c][ref]\n\n![d](data:image/svg+xml,<svg/onload=alert(4)>)\n\n[e](JAVASCRIPT:alert(5))\n\n[ok](https://example.org) [mail](mailto:a@example.org) [tel](tel:+49301234)\n\n[ref]: vbscript:msgbox(3)\n",
    )]);
    let err = failing_build(&f);
    let hint = "  hint: link to a page, a heading or an address with one of the schemes http, https, mailto, tel";
    assert_eq!(
        err,
        [
            "content/links.md:5:1: error: link `javascript://%0Aalert(1)` cannot be published: the `javascript:` scheme is not allowed",
            hint,
            "content/links.md:7:1: error: link `javascript:alert(2)` cannot be published: the `javascript:` scheme is not allowed",
            hint,
            "content/links.md:9:1: error: link `vbscript:msgbox(3)` cannot be published: the `vbscript:` scheme is not allowed",
            hint,
            "content/links.md:11:1: error: link `data:image/svg+xml,<svg/onload=alert(4)>` cannot be published: the `data:` scheme is not allowed",
            hint,
            "content/links.md:13:1: error: link `JAVASCRIPT:alert(5)` cannot be published: the `javascript:` scheme is not allowed",
            hint,
            "5 errors, 0 warnings",
        ]
        .join("\n")
            + "\n"
    );
}

#[test]
fn front_matter_urls_must_be_web_addresses() {
    let f = site(&[(
        "content/orgs/o.md",
        "---\nkind: organisation\ntitle: O\nwebsite: \"javascript:alert(1)\"\nsources:\n  - title: T\n    publisher: P\n    url: \" https://example.org\"\n---\n",
    )]);
    assert_eq!(
        failing_build(&f),
        "content/orgs/o.md:4:10: error: `website` must be an http or https URL: `javascript:alert(1)`\n  hint: write the full address, starting with https://\ncontent/orgs/o.md:8:10: error: `sources[0].url` must be an http or https URL: ` https://example.org`\n  hint: write the full address, starting with https://\n2 errors, 0 warnings\n"
    );
    let f = Fixture::new(&[
        (
            "book.toml",
            "[book]\ntitle = \"T\"\n[site]\nbase-url = \"javascript:alert(1)//\"\n",
        ),
        ("content/_index.md", "# Home\n"),
    ]);
    assert_eq!(
        failing_build(&f),
        "book.toml:4:12: error: `base-url` must be an http or https address: `javascript:alert(1)//`\n  hint: write where the site is published, such as `https://example.org/kb/`\n1 error, 0 warnings\n"
    );
}

#[test]
fn content_never_replaces_generated_files_silently() {
    let f = site(&[
        ("content/search.md", "---\ntitle: My search\n---\n"),
        ("content/print.md", "---\ntitle: My print\n---\n"),
        ("content/assets/accord-search-wasm.js", "alert(1)"),
        ("content/search/index.js", "alert(1)"),
        ("content/data/items.json", "[]"),
        ("content/404.md", "---\ntitle: Lost\n---\n"),
    ]);
    let old = f.site();
    std::fs::create_dir_all(&old).unwrap();
    let err = failing_build(&f);
    let generated = |file: &str, what: &str, path: &str| {
        format!("{file}: error: {what} and a file accord generates would both be written to `{path}`\n  hint: rename or move one of the two")
    };
    assert_eq!(
        err,
        [
            "content/404.md: error: the page `content/404.md` and a file accord generates would both be written to `404.html`\n  hint: rename the file, or declare `replaces: 404.html` in its front matter to use it as the site's 404 page".to_string(),
            generated("content/assets/accord-search-wasm.js", "the file `content/assets/accord-search-wasm.js`", "assets/accord-search-wasm.js"),
            generated("content/data/items.json", "the file `content/data/items.json`", "data/items.json"),
            generated("content/print.md", "the page `content/print.md`", "print.html"),
            generated("content/search/index.js", "the file `content/search/index.js`", "search/index.js"),
            generated("content/search.md", "the page `content/search.md`", "search.html"),
            "6 errors, 0 warnings\n".to_string(),
        ]
        .join("\n")
    );
    // A declared 404 page replaces the generated one.
    let f = site(&[(
        "content/404.md",
        "---\ntitle: Lost\nreplaces: 404.html\n---\n\nThis page is not here.\n",
    )]);
    assert!(f.build().status.success());
    assert!(f.read("404.html").contains("This page is not here."));
    // Declared anywhere else, it is an error.
    let f = site(&[(
        "content/lost.md",
        "---\ntitle: Lost\nreplaces: 404.html\n---\n",
    )]);
    assert_eq!(
        failing_build(&f),
        "content/lost.md:3:11: error: only a page written to `404.html` can replace it; this one is written to `lost.html`\n  hint: move this page to `404.md` at the top of the content folder\n1 error, 0 warnings\n"
    );
}

#[test]
fn names_that_differ_only_in_case_or_normalisation_collide() {
    let f = site(&[
        ("content/caf\u{e9}.md", "# One\n"),
        ("content/cafe\u{301}.md", "# Two\n"),
        ("content/Guide.md", "# Three\n"),
        ("content/guide.md", "# Four\n"),
    ]);
    let err = failing_build(&f);
    assert!(
        err.contains("content/cafe\u{301}.md:1:1: error: `cafe\u{301}.md` would be written to `cafe\u{301}.html`, which `content/caf\u{e9}.md` already produces")
            || err.contains("content/caf\u{e9}.md:1:1: error: `caf\u{e9}.md` would be written to `caf\u{e9}.html`, which `content/cafe\u{301}.md` already produces"),
        "{err}"
    );
    assert!(
        err.contains("`guide.md` would be written to `guide.html`, which `content/Guide.md` already produces"),
        "{err}"
    );
    assert!(err.ends_with("2 errors, 0 warnings\n"), "{err}");
}

#[test]
fn comments_are_never_published() {
    let f = site(&[(
        "content/notes.md",
        "---\ntitle: Notes\n---\n\n<!-- TODO: ask the ministry before publishing -->\n\nText <!-- private remark --> continues.\n\n<!--\nA longer note\nover lines\n-->\n\n<!-- note --> <b>shown as text</b>\n",
    )]);
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let html = f.read("notes.html");
    for private in ["TODO", "private remark", "longer note", "&lt;!--", "<!--"] {
        assert!(!html.contains(private), "{private} published:\n{html}");
    }
    assert!(html.contains("<p>Text  continues.</p>"), "{html}");
    assert!(
        html.contains("<p>&lt;b&gt;shown as text&lt;/b&gt;</p>"),
        "{html}"
    );
    // Not searchable either.
    assert!(
        !String::from_utf8_lossy(&std::fs::read(f.site().join("search/index.bin")).unwrap())
            .contains("ministry")
    );
}

#[test]
fn oversized_front_matter_is_refused_with_its_place() {
    let tags: Vec<String> = (0..20_000).map(|i| format!("t{i}")).collect();
    let f = site(&[(
        "content/many.md",
        &format!("---\ntitle: Many\ntags: [{}]\n---\n", tags.join(", ")),
    )]);
    assert_eq!(
        failing_build(&f),
        "content/many.md:3:7: error: `tags` has 20000 items; accord reads at most 1000\n1 error, 0 warnings\n"
    );
    let f = site(&[(
        "content/big.md",
        &format!(
            "---\ntitle: Big\nsummary: \"{}\"\n---\n",
            "x".repeat(2 << 20)
        ),
    )]);
    assert_eq!(
        failing_build(&f),
        format!("content/big.md:2:1: error: the front matter is {} bytes; accord reads at most 1048576\n  hint: front matter describes the page; put long text in the body\n1 error, 0 warnings\n", (2 << 20) + 23)
    );
}

#[test]
fn file_names_that_cannot_be_published_are_errors_at_the_content_file() {
    let long = format!("{}.md", "a".repeat(252));
    let f = site(&[(&format!("content/{long}"), "# Long\n")]);
    let err = failing_build(&f);
    assert_eq!(
        err,
        format!("content/{long}: error: the published name `{}.html` is 257 bytes long; file systems accept at most 255\n  hint: shorten the file name\n1 error, 0 warnings\n", "a".repeat(252))
    );
    let check = f.accord(&["check"]);
    assert_eq!(check.status.code(), Some(1), "check fails too");

    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let f = site(&[]);
        let name = std::ffi::OsStr::from_bytes(b"bad\xffname.md");
        std::fs::write(f.path().join("content").join(name), "# Bad\n").unwrap();
        assert_eq!(
            failing_build(&f),
            "content/bad\u{fffd}name.md: error: the file name is not valid UTF-8\n  hint: rename it: published names must be text a browser can request\n1 error, 0 warnings\n"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_link_to_a_symbolic_link_says_so() {
    let f = site(&[
        ("content/a.md", "---\ntitle: A\n---\n\nSee [b](b.md).\n"),
        ("elsewhere/b.md", "# B\n"),
    ]);
    std::os::unix::fs::symlink(
        f.path().join("elsewhere/b.md"),
        f.path().join("content/b.md"),
    )
    .unwrap();
    assert_eq!(
        failing_build(&f),
        "content/a.md:5:5: error: link `b.md`: `b.md` is a symbolic link, and accord does not follow symbolic links\n  hint: copy or move the file into the content folder\n1 error, 0 warnings\n"
    );
}

#[test]
fn book_toml_that_is_not_utf8_names_its_line() {
    let f = site(&[]);
    std::fs::write(
        f.path().join("book.toml"),
        b"[book]\ntitle = \"Caf\xe9\"\n".as_slice(),
    )
    .unwrap();
    assert_eq!(
        failing_build(&f),
        "book.toml:2:13: error: book.toml is not valid UTF-8\n  hint: save the file with UTF-8 encoding\n1 error\n"
            .replace("1 error\n", "1 error, 0 warnings\n")
    );
}

#[test]
fn content_in_the_project_folder_never_publishes_book_toml_or_the_site() {
    let f = Fixture::new(&[
        ("book.toml", "[book]\ntitle = \"Flat\"\nsrc = \".\"\n"),
        ("_index.md", "# Flat\n\nSee [notes](notes.md).\n"),
        ("notes.md", "# Notes\n"),
    ]);
    for round in 0..3 {
        let out = f.build();
        assert!(out.status.success(), "round {round}: {}", stderr(&out));
    }
    let files = files_under(&f.site());
    assert!(!files.iter().any(|p| p.contains("book.toml")), "{files:?}");
    assert!(!files.iter().any(|p| p.starts_with("site/")), "{files:?}");
    assert!(files.contains("notes.html"), "{files:?}");
}

#[test]
fn content_outside_the_project_is_a_warning() {
    let f = Fixture::new(&[
        ("p/book.toml", "[book]\ntitle = \"Out\"\nsrc = \"../c\"\n"),
        ("c/_index.md", "# Out\n"),
    ]);
    let out = f.accord(&["build", "--root", "p"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with("book.toml:3:7: warning: `src` is `../c`, outside the project folder: every file there is published\n  hint: keep the content inside the project folder\n"),
        "{}",
        stderr(&out)
    );
}

/// TeX is the editor's too: markup the TeX converter lets through, or nesting that would exhaust
/// its stack, gives the formula's source as text and a warning at its place, never a script in
/// the page or a crash.
#[test]
fn hostile_tex_is_shown_as_text_with_a_warning() {
    let deep = format!("{}x{}", "{".repeat(10_000), "}".repeat(10_000));
    let chain = format!("{}x", "\\sqrt".repeat(3_000));
    let f = site(&[(
        "content/tex.md",
        &format!(
            "# TeX\n\n$\\operatorname{{<svg/onload=alert(1)>}}$\n\n$${deep}$$\n\n$${chain}$$\n"
        ),
    )]);
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let warnings: Vec<_> = stderr(&out)
        .lines()
        .filter(|l| l.contains("warning:"))
        .map(str::to_string)
        .collect();
    assert_eq!(
        warnings,
        [
            "content/tex.md:3:1: warning: formula not rendered: the formula would write malformed markup (unexpected-solidus-in-tag) into the page",
            "content/tex.md:5:1: warning: formula not rendered: the formula is 20001 bytes long, more than 16384",
            "content/tex.md:7:1: warning: formula not rendered: the formula nests 3000 levels deep, more than 50",
        ]
    );
    let html = f.read("tex.html");
    assert!(!html.contains("<svg"), "{html}");
    assert!(html.contains(
        "<p><code class=\"math-error\">\\operatorname{&lt;svg/onload=alert(1)&gt;}</code></p>"
    ));
}
