//! Existing Markdown builds as it is: an mdBook book (book.toml with mdBook's tables, SUMMARY.md
//! with parts, nesting, drafts and separators, includes, heading ids, raw anchors, `.html`
//! links, redirects) and a plain folder of Markdown without any configuration. The fixture book
//! is a valid mdBook 0.5 book: mdBook 0.5.4 builds it, and its previous/next chain is the one
//! asserted here.

mod common;

use common::*;

const BOOK_TOML: &str = r#"[book]
title = "Fixture Book"
authors = ["A. Author"]
language = "en"
src = "src"

[build]
create-missing = false

[preprocessor.links]

[output.html]
additional-css = ["theme/custom.css"]
git-repository-url = "https://example.org/book"
edit-url-template = "https://example.org/book/edit/main/{path}"
mathjax-support = true
default-theme = "light"

[output.html.redirect]
"/old-install.html" = "guide/install.html"

[output.linkcheck]
optional = true

[rust]
edition = "2021"
"#;

const SUMMARY: &str = "# Summary

[Introduction](README.md)

---

# Guide

- [Install](guide/install.md)
- [Use](guide/use.md)
    - [Build](guide/build.md)
    - [Later]()

# Reference

- [Config](ref/config.md)

---

[Contributors](contributors.md)
";

fn book() -> Fixture {
    Fixture::new(&[
        ("book.toml", BOOK_TOML),
        ("theme/custom.css", "body { letter-spacing: .01em; }\n"),
        ("src/SUMMARY.md", SUMMARY),
        (
            "src/README.md",
            "# Introduction\n\nWelcome. Start with [installing](guide/install.html#get-it); settings are in [the case](ref/config.md#c-case).\n",
        ),
        (
            "src/guide/install.md",
            "# Install\n\n## Get it {#get-it}\n\nLine two: {{#include ../listings/hello.rs:2}}\n\n```rust\n{{#include ../listings/hello.rs:body}}\n```\n\n{{#playground ../listings/hello.rs}}\n",
        ),
        (
            "src/listings/hello.rs",
            "// A listing.\nuse std::io;\n// ANCHOR: body\nfn main() {\n    println!(\"hello\");\n}\n// ANCHOR_END: body\n",
        ),
        (
            "src/guide/use.md",
            "# Use\n\n{{#include ../fragments/note.md}}\n\n```rust\n{{#rustdoc_include ../listings/hello.rs:body}}\n```\n\nBack to the [build anchor](build.md#build-anchor).\n",
        ),
        ("src/fragments/note.md", "A shared note, included where it is needed.\n"),
        (
            "src/guide/build.md",
            "{{#title Building the book}}\n# Build\n\n<a id=\"build-anchor\"></a>\n\nBuild it.\n",
        ),
        (
            "src/ref/config.md",
            "# Config\n\n## Case {#c-case}\n\nWrite \\{{#include file.md}} to include a file.\n",
        ),
        (
            "src/contributors.md",
            "# Contributors\n\n<details><summary>People</summary>\n\nWho *wrote* it.\n\n</details>\n\n<kbd>Ctrl</kbd> <script>alert(1)</script><b onclick=\"alert(2)\">bold</b>\n",
        ),
        ("src/unlisted.md", "# Not listed\n"),
    ])
}

/// The text of each code block of a page, as a reader sees it (highlighting markup removed).
fn code_blocks(html: &str) -> Vec<String> {
    html.split("<pre>")
        .skip(1)
        .map(|b| {
            let inner = b.split("</pre>").next().unwrap_or("");
            let text: String = inner
                .split('<')
                .map(|part| part.split_once('>').map_or(part, |(_, t)| t))
                .collect();
            text.replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
        })
        .collect()
}

/// The chain of "next" links from the home page.
fn next_chain(f: &Fixture, start: &str) -> Vec<String> {
    let mut out = vec![start.to_string()];
    let mut cur = start.to_string();
    while let Ok(html) = std::fs::read_to_string(f.site().join(&cur)) {
        let Some(href) = html
            .split("<a class=\"next\" rel=\"next\" href=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
        else {
            break;
        };
        let dir = cur.rsplit_once('/').map_or("", |(d, _)| d);
        let next = accord::links::normalize(dir, href).unwrap();
        out.push(next.clone());
        cur = next;
        assert!(out.len() < 20, "{out:?}");
    }
    out
}

#[test]
fn an_unmodified_mdbook_book_builds_in_its_chapter_order() {
    let f = book();
    let out = f.build();
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(
        err.lines().filter(|l| l.contains(": note: ") || l.contains(": warning: ")).collect::<Vec<_>>(),
        [
            "book.toml: note: accord ignores these mdBook settings: build.create-missing, [preprocessor], output.html.mathjax-support, output.html.default-theme, [output.linkcheck], [rust]",
            "src/SUMMARY.md: warning: 1 Markdown file is not in SUMMARY.md, so not published: unlisted.md",
        ],
        "{err}"
    );
    // Previous/next follow SUMMARY.md; drafts and parts are not pages.
    assert_eq!(
        next_chain(&f, "index.html"),
        [
            "index.html",
            "guide/install.html",
            "guide/use.html",
            "guide/build.html",
            "ref/config.html",
            "contributors.html",
        ]
    );
    // The sidebar: parts, numbers, the draft, separators, the current page.
    let build = f.read("guide/build.html");
    // The desktop sidebar's copy of the tree (the phone menu holds the same).
    let tree = build
        .split("<nav class=\"site-nav\" aria-label=\"Main\">")
        .nth(1)
        .and_then(|s| s.split("<ol class=\"toc-tree\">").nth(1))
        .and_then(|s| s.split("</nav>").next())
        .unwrap();
    let texts: Vec<String> = tree
        .split("<li")
        .skip(1)
        .map(|li| {
            let text: String = li
                .split('<')
                .map(|part| part.split_once('>').map_or(part, |(_, t)| t))
                .collect();
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect();
    assert_eq!(
        texts,
        [
            "Introduction",
            "",
            "Guide",
            "1. Install",
            "2. Use Sections of Use",
            "2.1. Build",
            "2.2. Later",
            "Reference",
            "3. Config",
            "",
            "Contributors",
        ],
        "{tree}"
    );
    assert!(tree.contains("<a href=\"../guide/build.html\" aria-current=\"page\"><span class=\"toc-number\">2.1.</span> Build</a>"), "{tree}");
    assert!(tree
        .contains("<span class=\"toc-draft\"><span class=\"toc-number\">2.2.</span> Later</span>"));
    assert!(
        tree.contains("<details open><summary>"),
        "the current page's section is open"
    );
    assert!(!f.site().join("unlisted.html").exists());
}

#[test]
fn includes_anchors_links_and_settings_of_the_book_are_honoured() {
    let f = book();
    assert!(f.build().status.success());
    let install = f.read("guide/install.html");
    assert!(install.contains("<h2 id=\"get-it\">"), "{install}");
    assert!(install.contains("Line two: use std::io;"), "{install}");
    // The anchor selection, then the playground: the whole file without its anchor lines.
    assert_eq!(
        code_blocks(&install),
        [
            "fn main() {\n    println!(\"hello\");\n}\n",
            "// A listing.\nuse std::io;\nfn main() {\n    println!(\"hello\");\n}\n"
        ]
    );
    let use_page = f.read("guide/use.html");
    assert!(use_page.contains("A shared note, included where it is needed."));
    // rustdoc_include: the lines outside the anchor are hidden, as mdBook hides them.
    assert_eq!(
        code_blocks(&use_page),
        ["fn main() {\n    println!(\"hello\");\n}\n"]
    );
    // The included fragment is not a page of its own.
    assert!(!f.site().join("fragments/note.html").exists());
    let build = f.read("guide/build.html");
    assert!(build.contains("<title>Building the book</title>"));
    assert!(build.contains("<a id=\"build-anchor\"></a>"));
    assert!(f
        .read("ref/config.html")
        .contains("Write {{#include file.md}} to include a file."));
    // Links to `.html` pages and to custom ids resolve.
    let home = f.read("index.html");
    assert!(
        home.contains("href=\"guide/install.html#get-it\""),
        "{home}"
    );
    assert!(home.contains("href=\"ref/config.html#c-case\""));
    // [output.html]: extra CSS, repository and edit links, redirects.
    assert!(home.contains("<link rel=\"stylesheet\" href=\"theme/custom.css\">"));
    assert!(f.site().join("theme/custom.css").exists());
    assert!(home.contains("<a href=\"https://example.org/book\">Source</a>"));
    assert!(build.contains(
        "<a href=\"https://example.org/book/edit/main/src/guide/build.md\">Suggest an edit</a>"
    ));
    let old = f.read("old-install.html");
    assert!(
        old.contains("<meta http-equiv=\"refresh\" content=\"0; url=guide/install.html\">"),
        "{old}"
    );
    // An mdBook book keeps harmless raw HTML and loses the rest.
    let contributors = f.read("contributors.html");
    assert!(
        contributors.contains("<details><summary>People</summary>"),
        "{contributors}"
    );
    assert!(contributors.contains("<em>wrote</em>"));
    assert!(contributors.contains("<kbd>Ctrl</kbd>"));
    for gone in ["<script>alert", "alert(1)", "alert(2)", "onclick"] {
        assert!(
            !contributors.contains(gone),
            "{gone} published:\n{contributors}"
        );
    }
    // A book of untagged pages has nothing to browse by.
    assert!(!f.site().join("browse.html").exists());
    assert!(!home.contains("browse.html"));
    assert_links_resolve(&f.site());
}

#[test]
fn include_problems_name_the_file_line_and_column() {
    let f = book();
    f.write(
        "src/guide/use.md",
        "# Use\n\nText {{#include ../listings/missing.rs}}\n\n{{#include ../listings/hello.rs:nope}}\n",
    );
    let out = f.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let errors: Vec<&str> = err.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(errors.len(), 2, "{err}");
    assert!(errors[0].starts_with("src/guide/use.md:3:6: error: `{{#include ../listings/missing.rs}}`: cannot read `../listings/missing.rs`: "), "{err}");
    assert_eq!(errors[1], "src/guide/use.md:5:1: error: `{{#include ../listings/hello.rs:nope}}`: `../listings/hello.rs` has no anchor `nope`");
}

#[test]
fn summary_problems_name_their_line() {
    let f = book();
    f.write(
        "src/SUMMARY.md",
        &SUMMARY.replace("ref/config.md", "ref/missing.md"),
    );
    let out = f.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("src/SUMMARY.md:16:3: error: chapter `Config` names `ref/missing.md`, which does not exist\n  hint: create the file, fix the path (relative to SUMMARY.md), or write `[Title]()` for a draft"),
        "{err}"
    );
}

#[test]
fn a_plain_markdown_folder_builds_without_configuration() {
    let f = Fixture::new(&[
        (
            "README.md",
            "# Field guide\n\nStart with [the basics](docs/index.md) or [setup](docs/setup/).\n",
        ),
        (
            "docs/index.md",
            "Some words before the title.\n\n## The basics\n\nText with `code`.\n",
        ),
        ("docs/setup/index.md", "# Setting `accord` up\n\nSteps.\n"),
        (
            "docs/setup/more.md",
            "+++\ntitle = \"More setup\"\ndescription = \"Hugo-style\"\n+++\n\nMore.\n",
        ),
        ("_config.yml", "theme: jekyll-theme-minimal\n"),
        (".github/workflows/ci.yml", "on: push\n"),
        (".hidden.md", "# Hidden\n"),
    ]);
    let out = f.build();
    let err = stderr(&out);
    // The one problem: a Hugo key, with a hint; everything else builds.
    assert_eq!(
        err.lines()
            .filter(|l| l.contains(": error: "))
            .collect::<Vec<_>>(),
        ["docs/setup/more.md:3:1: error: unknown key `description` for kind `page`"],
        "{err}"
    );
    f.write(
        "docs/setup/more.md",
        "+++\ntitle = \"More setup\"\nsummary = \"Hugo-style\"\n+++\n\nMore.\n",
    );
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let files = files_under(&f.site());
    for gone in [
        "_config.yml",
        ".hidden.html",
        ".github/workflows/ci.yml",
        "README.html",
    ] {
        assert!(!files.contains(gone), "{gone} published: {files:?}");
    }
    let home = f.read("index.html");
    assert!(home.contains("<title>Field guide</title>"), "{home}");
    assert!(f.read("docs/index.html").contains("<h1>The basics</h1>"));
    assert!(f
        .read("docs/setup/index.html")
        .contains("<h1>Setting accord up</h1>"));
    // A second build does not copy the first one's output into itself.
    assert!(f.build().status.success());
    assert_eq!(files_under(&f.site()), files);
    assert_links_resolve(&f.site());
}

#[test]
fn moved_pages_keep_their_old_addresses_and_term_spellings_are_not_addresses() {
    let f = Fixture::new(&[
        ("book.toml", BOOK),
        ("content/_index.md", "---\ntitle: Home\n---\n\nSee [the guide](guide.md).\n"),
        (
            "content/guide.md",
            "---\ntitle: Guide\naliases: [old/guide.html, \"/older/\"]\n---\n\nThe [referral mechanism](glossary:nrm).\n",
        ),
        (
            "content/glossary/nrm.md",
            "---\nkind: term\nterm: referral mechanism\naliases: [referral system]\ndefinition: A way to refer people to help.\n---\n",
        ),
    ]);
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let old = f.read("old/guide.html");
    assert!(old.contains("content=\"0; url=../guide.html\""), "{old}");
    assert!(f
        .read("older/index.html")
        .contains("content=\"0; url=../guide.html\""));
    let files = files_under(&f.site());
    assert!(
        !files.iter().any(|p| p.contains("referral system")),
        "{files:?}"
    );
    assert_links_resolve(&f.site());
}

/// The sidebar tree as a template writes it: the default theme's own `toc.html` before accord
/// wrote the tree itself.
const TOC_TEMPLATE: &str = r#"{#- The chapter tree of the sidebar: rendered once per page and shown in the desktop sidebar and the phone menu. -#}
{% if chapters | length > 1 %}<ol class="toc-tree">
{% for c in chapters %}{% if c.kind == "part" %}<li class="toc-part">{{ c.title }}</li>
{% elif c.kind == "separator" %}<li class="toc-separator" aria-hidden="true"></li>
{% else %}<li>{% if c.url %}<a href="{{ root }}{{ c.url }}"{% if c.current %} aria-current="page"{% endif %}>{% if c.number %}<span class="toc-number">{{ c.number }}</span> {% endif %}{{ c.title }}</a>{% else %}<span class="toc-draft">{% if c.number %}<span class="toc-number">{{ c.number }}</span> {% endif %}{{ c.title }}</span>{% endif %}{% if c.children %}
<details{% if c.open %} open{% endif %}><summary><span class="visually-hidden">{{ sections_of | replace(from="{title}", to=c.title) }}</span></summary><ol>
{% else %}</li>
{% endif %}{% endif %}{% for _ in range(end=c.close) %}</ol></details></li>
{% endfor %}{% endfor %}</ol>{% endif %}
"#;

#[test]
fn a_themes_toc_template_writes_the_sidebar_and_the_default_tree_is_the_same_markup() {
    // Titles with every character HTML escapes, in parts, chapters, drafts and a section whose
    // folding button names it.
    let summary = SUMMARY
        .replace("# Guide", "# Guide & \"how\" <to>")
        .replace("[Use]", "[Use & 'abuse' \"it\"]")
        .replace("[Later]()", "[Later <soon> & 'then']()");
    let f = book();
    f.write("src/SUMMARY.md", &summary);
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let default = snapshot_dir(&f.site());
    let build = String::from_utf8_lossy(&default["guide/build.html"]);
    assert!(
        build.contains("<li class=\"toc-part\">Guide &amp; &quot;how&quot; &lt;to&gt;</li>"),
        "{build}"
    );
    assert!(build.contains("<span class=\"visually-hidden\">Sections of Use &amp; &#39;abuse&#39; &quot;it&quot;</span>"), "{build}");
    assert!(build.contains(
        "<span class=\"toc-draft\"><span class=\"toc-number\">2.2.</span> Later &lt;soon&gt; &amp; &#39;then&#39;</span>"
    ));

    // The same tree through the template: every file byte for byte the same.
    f.write("themes/default/templates/toc.html", TOC_TEMPLATE);
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let templated = snapshot_dir(&f.site());
    assert_eq!(
        default.keys().collect::<Vec<_>>(),
        templated.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &default {
        assert_eq!(
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&templated[path]),
            "{path}"
        );
    }

    // A theme's own template is the one used.
    f.write(
        "themes/default/templates/toc.html",
        "<ul class=\"own-tree\">{% for c in chapters %}<li>{{ root }}{{ c.url | default(value=\"\") }} {{ c.title }}{% if c.current %} (here){% endif %}</li>{% endfor %}</ul>",
    );
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let build = f.read("guide/build.html");
    assert!(!build.contains("toc-tree"), "{build}");
    assert!(
        build.contains("<li>../guide/build.html Build (here)</li>"),
        "{build}"
    );
}
