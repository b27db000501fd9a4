//! Print for workshops: the printable documents (`print.html` and one per section) and
//! `accord print`, which writes them as PDFs with headless Chromium.
//!
//! The PDF tests need Chromium (`/usr/bin/chromium`, or the program in `ACCORD_CHROMIUM`);
//! without it they say `SKIPPED` and pass, except under `CI` (tests/skip/mod.rs).

mod common;
mod skip;

use std::path::{Path, PathBuf};

use common::*;

/// A short page's text: it runs on after the page before.
const SHORT: &str = "A few lines that fit on part of a sheet.";

/// Text of about `words` words.
fn words(words: usize) -> String {
    let mut text = String::new();
    for n in 0..words / 10 {
        text.push_str("Partners agree who does what before a case arrives, and write it. ");
        if n % 8 == 7 {
            text.push_str("\n\n");
        }
    }
    text
}

fn term(term: &str, definition: &str) -> String {
    format!("---\nkind: term\nterm: {term}\ndefinition: {definition}\nsources:\n  - title: A glossary\n    publisher: An agency\n    url: https://example.org/glossary\n---\n\n{SHORT}\n")
}

/// A site with two sections (one with a sub-folder), a glossary, a top-level page, one long
/// page and links of every sort: within a section, across sections, to the web (the same
/// address three times).
fn workshop_site() -> Fixture {
    let long = format!(
        "---\nkind: principle\ntitle: Long principle\nweight: 2\nsources:\n  - title: Guide\n    publisher: Agency\n    url: https://example.org/guide\n---\n\n{}\n",
        words(1000)
    );
    Fixture::new(&[
        ("book.toml", "[book]\ntitle = \"Workshop KB\"\n"),
        ("content/_index.md", "---\ntitle: Home\n---\n\nWelcome.\n"),
        (
            "content/principles/_index.md",
            "---\ntitle: Principles\nweight: 1\n---\n\nThe principles.\n",
        ),
        (
            "content/principles/short.md",
            "---\nkind: principle\ntitle: Short principle\nweight: 1\nsources:\n  - title: Guide\n    publisher: Agency\n    url: https://example.org/guide\n---\n\n## Scope\n\nSee [the guide](https://example.org/guide), [the long one](long.md#top), [scope](#scope), the [MoU](../glossary/mou.md) and [a treaty](https://example.org/treaty).\n",
        ),
        ("content/principles/long.md", &long),
        (
            "content/principles/more/_index.md",
            "---\ntitle: More principles\nweight: 3\n---\n\nMore.\n",
        ),
        (
            "content/principles/more/nested.md",
            "---\nkind: principle\ntitle: Nested principle\nsources:\n  - {title: S, publisher: P}\n---\n\nNested.\n",
        ),
        (
            "content/glossary/_index.md",
            "---\ntitle: Glossary\nweight: 2\n---\n\nTerms.\n",
        ),
        (
            "content/glossary/mou.md",
            &term("memorandum of understanding", "A written agreement."),
        ),
        (
            "content/glossary/ngo.md",
            &term("non-governmental organisation", "An independent organisation."),
        ),
        (
            "content/about.md",
            "---\ntitle: About\nweight: 3\n---\n\nAbout.\n",
        ),
    ])
}

fn built(f: &Fixture) {
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
}

/// The part of `html` from `start` to the end of the first `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("{start:?} not in:\n{html}"));
    let to = html[from..]
        .find(end)
        .unwrap_or_else(|| panic!("{end:?} not after {start:?}"));
    &html[from..from + to + end.len()]
}

/// The `id` and class of every printed page, in order.
fn articles(html: &str) -> Vec<String> {
    html.split("<article class=\"")
        .skip(1)
        .map(|a| {
            let (class, rest) = a.split_once('"').expect("class");
            let id = rest.split('"').nth(1).expect("id");
            format!("{} {class}", id.trim_start_matches("page-"))
        })
        .collect()
}

#[test]
fn print_html_has_numbered_contents_that_nest_like_the_chapters() {
    let f = workshop_site();
    built(&f);
    let print = f.read("print.html");
    assert_eq!(
        between(&print, "<ol class=\"print-contents\">", "</nav>"),
        "<ol class=\"print-contents\">\n\
<li><a href=\"#page-index\">Home</a></li>\n\
<li><a href=\"#page-principles-index\"><span class=\"print-number\">1.</span> Principles</a><ol>\n\
<li><a href=\"#page-principles-short\"><span class=\"print-number\">1.1.</span> Short principle</a></li>\n\
<li><a href=\"#page-principles-long\"><span class=\"print-number\">1.2.</span> Long principle</a></li>\n\
<li><a href=\"#page-principles-more-index\"><span class=\"print-number\">1.3.</span> More principles</a><ol>\n\
<li><a href=\"#page-principles-more-nested\"><span class=\"print-number\">1.3.1.</span> Nested principle</a></li>\n\
</ol></li>\n\
</ol></li>\n\
<li><a href=\"#page-glossary-index\"><span class=\"print-number\">2.</span> Glossary</a><ol>\n\
<li><a href=\"#page-glossary-mou\"><span class=\"print-number\">2.1.</span> memorandum of understanding</a></li>\n\
<li><a href=\"#page-glossary-ngo\"><span class=\"print-number\">2.2.</span> non-governmental organisation</a></li>\n\
</ol></li>\n\
<li><a href=\"#page-about\"><span class=\"print-number\">3.</span> About</a></li>\n\
</ol>\n</nav>"
    );
    // Each page's heading carries its number too.
    assert!(print.contains("<h1><span class=\"print-number\">1.3.1.</span> Nested principle</h1>"));
}

#[test]
fn only_long_pages_start_a_new_sheet_and_each_chapter_gets_a_running_header() {
    let f = workshop_site();
    built(&f);
    let print = f.read("print.html");
    assert_eq!(
        articles(&print),
        [
            "index print-page kind-page",
            "principles-index print-page kind-page",
            "principles-short print-page kind-principle",
            "principles-long print-page kind-principle print-long",
            "principles-more-index print-page kind-page",
            "principles-more-nested print-page kind-principle",
            "glossary-index print-page kind-page",
            "glossary-mou print-page kind-term",
            "glossary-ngo print-page kind-term",
            "about print-page kind-page",
        ]
    );
    // One named page per top-level chapter: its sheets start anew and carry its title.
    assert_eq!(
        between(&print, "<style media=\"print\">", "</style>"),
        "<style media=\"print\">\n\
@page { @top-left { content: \"Workshop KB\"; } }\n\
.print-chapter-1 { page: chapter-1; }\n@page chapter-1 { @top-right { content: \"Home\"; } }\n\
.print-chapter-2 { page: chapter-2; }\n@page chapter-2 { @top-right { content: \"1. Principles\"; } }\n\
.print-chapter-3 { page: chapter-3; }\n@page chapter-3 { @top-right { content: \"2. Glossary\"; } }\n\
.print-chapter-4 { page: chapter-4; }\n@page chapter-4 { @top-right { content: \"3. About\"; } }\n\
@page :first { @top-left { content: none; } }\n</style>"
    );
    assert_eq!(print.matches("<div class=\"print-chapter ").count(), 4);
    // The print stylesheet numbers the pages and breaks before long pages only.
    let css = f.read("assets/print.css");
    assert!(css.contains("@bottom-center { content: counter(page) \" / \" counter(pages);"));
    assert!(css.contains(".print-long { break-before: page; }"));
    assert!(!css.contains(".print-page { break-before"));
}

#[test]
fn web_addresses_are_numbered_once_and_links_within_the_document_stay_within_it() {
    let f = workshop_site();
    built(&f);
    let print = f.read("print.html");
    let short = between(
        &print,
        "<article class=\"print-page kind-principle\" id=\"page-principles-short\">",
        "</article>",
    );
    let content = between(short, "<div class=\"content\">", "</div>");
    assert_eq!(
        content,
        "<div class=\"content\"><h2 id=\"page-principles-short--scope\"><a class=\"heading-anchor\" href=\"#page-principles-short--scope\" aria-hidden=\"true\" tabindex=\"-1\">#</a>Scope</h2>\n\
<p>See <a href=\"https://example.org/guide\">the guide</a><a class=\"url-ref\" href=\"#url-1\"><span class=\"visually-hidden\">web address </span>[1]</a>, <a href=\"#page-principles-long--top\">the long one</a>, <a href=\"#page-principles-short--scope\">scope</a>, the <a href=\"#page-glossary-mou\">MoU</a> and <a href=\"https://example.org/treaty\">a treaty</a><a class=\"url-ref\" href=\"#url-2\"><span class=\"visually-hidden\">web address </span>[2]</a>.</p>\n</div>"
    );
    // A source cited on three pages: one number, one line in the list.
    assert_eq!(
        print.matches("href=\"#url-1\"").count(),
        3,
        "the guide: linked in the text, and a source of two pages:\n{print}"
    );
    assert_eq!(
        between(&print, "<section class=\"print-urls\"", "</section>"),
        "<section class=\"print-urls\" id=\"web-addresses\" aria-labelledby=\"web-addresses-title\">\n\
<h2 id=\"web-addresses-title\">Web addresses</h2>\n<ol>\n\
<li id=\"url-1\"><span class=\"print-url-number\">[1]</span> <a href=\"https://example.org/guide\">https://example.org/guide</a></li>\n\
<li id=\"url-2\"><span class=\"print-url-number\">[2]</span> <a href=\"https://example.org/treaty\">https://example.org/treaty</a></li>\n\
<li id=\"url-3\"><span class=\"print-url-number\">[3]</span> <a href=\"https://example.org/glossary\">https://example.org/glossary</a></li>\n\
</ol>\n</section>"
    );
    // Every id is unique in the document, though every page has its own "scope" or "sources".
    let mut ids: Vec<&str> = print
        .split(" id=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    let all = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all, "duplicate ids in print.html");
}

#[test]
fn each_section_has_a_print_view_linked_from_its_pages() {
    let f = workshop_site();
    built(&f);
    let section = f.read("principles/print.html");
    assert_eq!(
        articles(&section),
        [
            "principles-index print-page kind-page",
            "principles-short print-page kind-principle",
            "principles-long print-page kind-principle print-long",
            "principles-more-index print-page kind-page",
            "principles-more-nested print-page kind-principle",
        ]
    );
    assert!(
        section.contains("<link rel=\"stylesheet\" href=\"../assets/print.css\" media=\"print\">")
    );
    assert!(section.contains("<p class=\"print-site\">Workshop KB</p>\n<h1>Principles</h1>"));
    // Within the section a link is an anchor; to a page outside it, a link to the site.
    assert!(section.contains("<a href=\"#page-principles-long--top\">the long one</a>"));
    assert!(section.contains("<a href=\"../glossary/mou.html\">MoU</a>"));
    let glossary = f.read("glossary/print.html");
    assert_eq!(
        articles(&glossary),
        [
            "glossary-index print-page kind-page",
            "glossary-mou print-page kind-term",
            "glossary-ngo print-page kind-term",
        ]
    );
    assert!(!f.site().join("about/print.html").exists());
    // "Print this section" in the footer of each page of a section, and on the section's page.
    let page = f.read("principles/more/nested.html");
    assert!(page.contains("<a href=\"../../principles/print.html\">Print this section</a> · <a href=\"../../print.html\">Print everything</a>"));
    let index = f.read("principles/index.html");
    assert!(index.contains("<p class=\"print-this no-print\"><a href=\"../principles/print.html\">Print this section</a>"));
    let about = f.read("about.html");
    assert!(!about.contains("Print this section"));
    assert!(about.contains("<a href=\"print.html\">Print everything</a>"));
}

#[test]
fn a_content_page_may_not_take_a_section_print_view_s_place() {
    let f = workshop_site();
    f.write("content/principles/print.md", "---\ntitle: Print\n---\n");
    let out = f.build();
    assert!(!out.status.success());
    assert_eq!(
        stderr(&out),
        "content/principles/print.md: error: the page `content/principles/print.md` and a file accord generates would both be written to `principles/print.html`\n  hint: rename or move one of the two\n1 error, 0 warnings\n"
    );
}

#[test]
fn accord_print_without_a_browser_says_what_to_install_and_how_to_print_without_it() {
    let f = workshop_site();
    let empty = f.path().join("no-browsers-here");
    std::fs::create_dir_all(&empty).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["print"])
        .current_dir(f.path())
        .env("PATH", &empty)
        .env_remove("ACCORD_CHROMIUM")
        .output()
        .expect("run accord print");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "accord print needs Chromium or Google Chrome to write a PDF, and found none (chromium, chromium-browser, google-chrome, google-chrome-stable on PATH; ACCORD_CHROMIUM is not set)\n  hint: install Chromium (Debian and Ubuntu: `apt-get install chromium`), or set ACCORD_CHROMIUM to the browser program; without one, run `accord build`, open print.html (or a section's print.html) of the built site in any browser and use Print → Save as PDF\n"
    );
    assert!(!f.path().join("workshop-kb.pdf").exists());

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["print"])
        .current_dir(f.path())
        .env("ACCORD_CHROMIUM", f.path().join("nowhere/chromium"))
        .output()
        .expect("run accord print");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!("ACCORD_CHROMIUM is set to `{}`, which is not a file\n  hint: set it to the Chromium or Google Chrome program, or unset it to look for chromium, chromium-browser, google-chrome, google-chrome-stable on PATH\n", f.path().join("nowhere/chromium").display())
    );
}

/// The browser the PDF tests print with, or `None` (after recording the skip).
fn chromium(test: &str) -> Option<PathBuf> {
    let path = PathBuf::from(
        std::env::var("ACCORD_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
    );
    if path.is_file() {
        return Some(path);
    }
    skip::skip(
        &format!("tests/print.rs: {test}"),
        &format!("{} not found", path.display()),
        "install Chromium (apt-get install -y chromium)",
    );
    None
}

/// One browser at a time: the machine may have only two cores.
static ONE_BROWSER: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Runs `accord print` on the project in `root` with `args`, and returns the PDF's bytes.
fn print_pdf(browser: &Path, root: &Path, args: &[&str], pdf: &Path) -> Vec<u8> {
    let _one = ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .arg("print")
        .arg("--root")
        .arg(root)
        .args(args)
        .arg("-o")
        .arg(pdf)
        .env("ACCORD_CHROMIUM", browser)
        .output()
        .expect("run accord print");
    assert!(
        out.status.success(),
        "accord print failed:\n{}",
        stderr(&out)
    );
    let bytes = std::fs::read(pdf).expect("the PDF");
    assert_eq!(
        stderr(&out),
        format!(
            "Wrote {} ({} pages) with {}\n",
            pdf.display(),
            accord::pdf::page_count(&bytes),
            browser.display()
        )
    );
    bytes
}

/// The sheet sizes of a PDF's pages (`/MediaBox`), in points.
fn media_boxes(pdf: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(pdf);
    let mut boxes: Vec<String> = text
        .split("/MediaBox [")
        .skip(1)
        .map(|s| s[..s.find(']').unwrap()].to_string())
        .collect();
    boxes.dedup();
    boxes
}

#[test]
fn the_printed_fixture_runs_short_pages_on_and_stays_within_a_bound_from_its_content() {
    let Some(browser) = chromium("the printed fixture stays within its bound") else {
        return;
    };
    let f = workshop_site();
    let pdf = f.path().join("out/all.pdf");
    let bytes = print_pdf(&browser, f.path(), &[], &pdf);
    let pages = accord::pdf::page_count(&bytes);
    assert_eq!(
        media_boxes(&bytes),
        ["0 0 594.95996 841.91998"],
        "A4 sheets"
    );
    // Sheets that must start anew: the cover, each of the 4 top-level chapters and the long
    // page (6); the 1000-word page may spill onto 2 more sheets, and the 9 short pages, run on,
    // onto 2 at most (10). A sheet per page would take 11: the cover and 10 pages.
    assert!(
        (6..=10).contains(&pages),
        "the fixture printed on {pages} sheets"
    );
    // A section on its own: the cover, the section and the long page start sheets (3); the
    // long page may spill onto 2 more, its short pages onto 1.
    let section = f.path().join("out/principles.pdf");
    let bytes = print_pdf(
        &browser,
        f.path(),
        &["--section", "principles", "--paper", "letter"],
        &section,
    );
    assert_eq!(media_boxes(&bytes), ["0 0 612 792"], "US Letter sheets");
    let pages = accord::pdf::page_count(&bytes);
    assert!(
        (3..=6).contains(&pages),
        "the section printed on {pages} sheets"
    );
    // No other file was left in the project.
    assert!(!f.path().join("site").exists());
}

/// The whole bundled knowledge base prints on at most 120 A4 sheets (it printed on 232 when each
/// page started a new sheet).
#[test]
fn the_bundled_knowledge_base_prints_on_at_most_120_a4_pages() {
    let Some(browser) = chromium("the bundled knowledge base prints on at most 120 A4 pages")
    else {
        return;
    };
    let tmp = tempfile::tempdir().expect("temp dir");
    let pdf = tmp.path().join("kb.pdf");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bytes = print_pdf(&browser, root, &[], &pdf);
    let pages = accord::pdf::page_count(&bytes);
    assert_eq!(
        media_boxes(&bytes),
        ["0 0 594.95996 841.91998"],
        "A4 sheets"
    );
    assert!(
        pages <= 120,
        "the knowledge base printed on {pages} A4 pages"
    );
    // Every page of the site is in it: far more than the contents alone would fill.
    assert!(
        pages >= 60,
        "the knowledge base printed on only {pages} pages"
    );
}

#[test]
fn a_book_with_summary_md_keeps_its_chapter_numbers_and_parts() {
    let page = |title: &str| format!("---\ntitle: {title}\n---\n\n{SHORT}\n");
    let f = Fixture::new(&[
        ("book.toml", "[book]\ntitle = \"Book\"\n"),
        (
            "content/SUMMARY.md",
            "# Summary\n\n[Introduction](intro.md)\n\n# Guide\n\n- [Install](guide/install.md)\n- [Use](guide/use.md)\n    - [Build](guide/build.md)\n    - [Later]()\n\n[Credits](credits.md)\n",
        ),
        ("content/intro.md", &page("Introduction")),
        ("content/guide/install.md", &page("Install")),
        ("content/guide/use.md", &page("Use")),
        ("content/guide/build.md", &page("Build")),
        ("content/credits.md", &page("Credits")),
    ]);
    built(&f);
    let print = f.read("print.html");
    assert_eq!(
        between(&print, "<ol class=\"print-contents\">", "</nav>"),
        "<ol class=\"print-contents\">\n\
<li><a href=\"#page-intro\">Introduction</a></li>\n\
<li class=\"print-contents-part\">Guide</li>\n\
<li><a href=\"#page-guide-install\"><span class=\"print-number\">1.</span> Install</a></li>\n\
<li><a href=\"#page-guide-use\"><span class=\"print-number\">2.</span> Use</a><ol>\n\
<li><a href=\"#page-guide-build\"><span class=\"print-number\">2.1.</span> Build</a></li>\n\
</ol></li>\n\
<li><a href=\"#page-credits\">Credits</a></li>\n\
</ol>\n</nav>"
    );
    assert!(print.contains(
        "<h1 class=\"print-part\">Guide</h1>\n<div class=\"print-chapter print-chapter-2\">"
    ));
    assert!(print.contains("@page chapter-3 { @top-right { content: \"2. Use\"; } }"));
}
