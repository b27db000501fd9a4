//! What the default theme gives readers in the built HTML: the on-page contents numbered as the
//! headings nest, and the colour theme applied before the stylesheet.

mod common;

use common::*;

fn page_with(body: &str) -> Fixture {
    Fixture::new(&[
        ("book.toml", BOOK),
        ("content/_index.md", "---\ntitle: Home\n---\n\nHome.\n"),
        (
            "content/principles/roles.md",
            &format!("---\nkind: principle\ntitle: Clear roles\nsources:\n  - {{title: S, publisher: P}}\n---\n\n{body}\n"),
        ),
    ])
}

/// The "On this page" box of a built page, from its `<ol>` to the end of the box.
fn contents(html: &str) -> &str {
    let start = html
        .find("<nav class=\"toc\" aria-label=\"On this page\">")
        .expect("an On this page box");
    let list = start
        + html[start..]
            .find("<ol class=\"toc-list\">")
            .expect("its list");
    let end = list + html[list..].find("</nav>").expect("its end");
    html[list..end].trim_end()
}

#[test]
fn on_page_contents_number_subsections_under_their_section() {
    let f = page_with(
        "## One\n\nA.\n\n## Two\n\nB.\n\n### Two a\n\nC.\n\n#### Deep\n\nD.\n\n### Two b\n\nE.\n\n## Three & more\n\nF.\n",
    );
    assert!(f.build().status.success(), "{}", stderr(&f.build()));
    let html = f.read("principles/roles.html");
    assert_eq!(
        contents(&html),
        "<ol class=\"toc-list\"><li><a href=\"#one\"><span class=\"toc-number\">1</span> One</a></li>\
<li><a href=\"#two\"><span class=\"toc-number\">2</span> Two</a><ol>\
<li><a href=\"#two-a\"><span class=\"toc-number\">2.1</span> Two a</a></li>\
<li><a href=\"#two-b\"><span class=\"toc-number\">2.2</span> Two b</a></li></ol></li>\
<li><a href=\"#three-more\"><span class=\"toc-number\">3</span> Three &amp; more</a></li></ol>"
    );
    assert!(html.contains("<article class=\"page kind-principle has-toc\">"));
}

#[test]
fn a_subsection_before_any_section_is_numbered_with_the_sections() {
    let f = page_with("### Before\n\nA.\n\n## One\n\nB.\n\n### One a\n\nC.\n");
    assert!(f.build().status.success());
    let html = f.read("principles/roles.html");
    let numbers: Vec<&str> = contents(&html)
        .split("<span class=\"toc-number\">")
        .skip(1)
        .map(|s| &s[..s.find('<').unwrap()])
        .collect();
    assert_eq!(numbers, ["1", "2", "2.1"]);
}

#[test]
fn the_reader_s_theme_is_applied_before_the_stylesheet() {
    let f = page_with("Text.\n");
    assert!(f.build().status.success());
    let html = f.read("principles/roles.html");
    let script = html
        .find("localStorage.getItem(\"accord-theme\")")
        .expect("the theme script");
    let sheet = html.find("assets/style.css").expect("the stylesheet");
    assert!(
        script < sheet,
        "the theme is set after the stylesheet loads"
    );
    // The same script marks that scripts run, so the theme button (which needs them) has its
    // room from the first paint; without scripts the style sheet hides it.
    assert!(html.contains("<script>document.documentElement.setAttribute(\"data-js\",\"\");try{"));
    assert!(html.contains("<button type=\"button\" class=\"theme-toggle\" aria-pressed=\"false\">"));
}
