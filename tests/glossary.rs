//! The glossary on a fixture site: automatic first-occurrence links, matching rules, explicit
//! references, backlinks, see-also symmetry and the checks on term definitions.

mod common;

use common::*;

fn term(term: &str, extra: &str) -> String {
    format!("---\nkind: term\nterm: {term}\ndefinition: Definition of {term}.\n{extra}---\n\nLonger text about {term}.\n")
}

fn glossary_site() -> Fixture {
    Fixture::new(&[
        ("book.toml", BOOK),
        ("content/_index.md", "---\ntitle: Home\n---\n\nStart [here](a.md).\n"),
        ("content/glossary/_index.md", "---\ntitle: Glossary\n---\n"),
        ("content/glossary/nrm.md", &term("national referral mechanism", "abbreviation: NRM\nsee_also: [referral]\n")),
        ("content/glossary/referral.md", &term("referral", "")),
        ("content/glossary/mou.md", &term("memorandum of understanding", "abbreviation: MoU\naliases: [memoranda of understanding]\n")),
        ("content/glossary/authority.md", &term("competent authority", "")),
        (
            "content/a.md",
            "---\ntitle: Page A\n---\n\n## National referral mechanism in a heading\n\nThe National Referral Mechanism (NRM) starts with a referral. A second national referral mechanism is not linked.\n\nTwo MoUs and memoranda of understanding; `referral in code`; [a referral link](b.md). Competent authorities decide.\n",
        ),
        ("content/b.md", "---\ntitle: Page B\nglossary: false\n---\n\nA referral here is never linked. See [explicitly](glossary:referral).\n"),
        (
            "content/c.md",
            "---\ntitle: Page C\n---\n\nThe nrm office is not the NRM. Preferral is not a word.\n\n<!-- glossary: off -->\n\nA memorandum of understanding in a quiet region.\n\n<!-- glossary: on -->\n\nA memorandum of understanding after it.\n",
        ),
    ])
}

/// The (href, text) of every glossary link in an HTML page.
fn term_links(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<a class=\"gloss-term\" href=\"") {
        let after = &rest[i + 28..];
        let href_end = after.find('"').unwrap();
        let href = after[..href_end].to_string();
        let text_start = after.find('>').unwrap() + 1;
        let text_end = after.find("</a>").unwrap();
        out.push((href, after[text_start..text_end].to_string()));
        rest = &after[text_end..];
    }
    out
}

#[test]
fn links_first_occurrences_with_the_matching_rules() {
    let f = glossary_site();
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let a = f.read("a.html");
    // Longest match first, whole words, plurals, aliases; first occurrence per page only; nothing
    // inside headings, code or existing links.
    assert_eq!(
        term_links(&a),
        [
            (
                "glossary/nrm.html".to_string(),
                "National Referral Mechanism".to_string()
            ),
            ("glossary/referral.html".to_string(), "referral".to_string()),
            ("glossary/mou.html".to_string(), "MoUs".to_string()),
            (
                "glossary/authority.html".to_string(),
                "Competent authorities".to_string()
            ),
        ]
    );
    assert!(a.contains("<h2 id=\"national-referral-mechanism-in-a-heading\">"));
    assert!(!a[..a.find("</h2>").unwrap()].contains("gloss-term"));
    assert!(a.contains("<code>referral in code</code>"));
    // The definition travels with the link for hover, focus and screen readers.
    assert!(a.contains("role=\"tooltip\""));
    assert!(a.contains(">Definition of national referral mechanism.</span>"));
    let tip_id = a
        .split("aria-describedby=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert!(a.contains(&format!("id=\"{tip_id}\"")));

    // Abbreviations are case-sensitive; opted-out regions and pages are left alone.
    let c = f.read("c.html");
    assert_eq!(
        term_links(&c),
        [
            ("glossary/nrm.html".to_string(), "NRM".to_string()),
            (
                "glossary/mou.html".to_string(),
                "memorandum of understanding".to_string()
            ),
        ]
    );
    assert!(c.contains("A memorandum of understanding in a quiet region."));
    assert!(!c.contains("glossary: off"));
    let b = f.read("b.html");
    assert!(term_links(&b).is_empty());
    assert!(
        b.contains("href=\"glossary/referral.html\">explicitly</a>"),
        "{b}"
    );
    // A term's own page does not link to itself.
    assert!(!f
        .read("glossary/referral.html")
        .contains("gloss-term\" href=\"referral.html"));
}

#[test]
fn term_pages_show_used_on_see_also_both_ways_and_an_a_to_z_index() {
    let f = glossary_site();
    assert!(f.build().status.success());
    let referral = f.read("glossary/referral.html");
    let used_on = &referral[referral.find("Used on").expect("used on")..];
    assert!(
        used_on.contains("Page A") && used_on.contains("Page B"),
        "{used_on}"
    );
    assert!(!used_on.contains("Page C"));
    // see_also is declared on nrm only, but shown on both.
    let see_also = &referral[referral.find("See also").expect("see also")..];
    assert!(
        see_also.contains("href=\"../glossary/nrm.html\""),
        "{see_also}"
    );
    assert!(f
        .read("glossary/nrm.html")
        .contains("href=\"../glossary/referral.html\""));
    let index = f.read("glossary/index.html");
    for letter in ["C", "M", "N", "R"] {
        assert!(
            index.contains(&format!("href=\"#letter-{}\"", letter.to_lowercase())),
            "{letter}"
        );
    }
    assert!(index.contains("Definition of memorandum of understanding."));
    assert_links_resolve(&f.site());
}

#[test]
fn claiming_a_word_twice_is_an_error_naming_both_files() {
    let f = glossary_site();
    f.write(
        "content/glossary/mou2.md",
        &term("model agreement", "aliases: [memoranda of understanding]\n"),
    );
    let out = f.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(
        err.trim_end(),
        "content/glossary/mou2.md:5:11: error: alias `memoranda of understanding` is already claimed as the alias of `memorandum of understanding` in content/glossary/mou.md\n  hint: a word may name one glossary term only; remove it from one of the two files\n1 error, 0 warnings"
    );
}

#[test]
fn see_also_and_explicit_links_to_missing_terms_are_errors() {
    let f = glossary_site();
    f.write(
        "content/glossary/referral.md",
        &term("referral", "see_also: [nowhere]\n"),
    );
    f.write(
        "content/b.md",
        "---\ntitle: Page B\n---\n\nSee [this](glossary:refferal).\n",
    );
    let out = f.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(
        err.trim_end(),
        "content/b.md:5:5: error: link `glossary:refferal`: no glossary term `refferal`\n  hint: did you mean `glossary:referral`?\ncontent/glossary/referral.md:5:12: error: `see_also` names `nowhere`, which is not a glossary term\n  hint: create content/glossary/nowhere.md or fix the name\n2 errors, 0 warnings"
    );
    assert!(err.contains("did you mean `glossary:referral`?"), "{err}");
}

#[test]
fn first_occurrence_per_section_when_configured() {
    let f = glossary_site();
    f.write(
        "book.toml",
        "[book]\ntitle = \"T\"\n[glossary]\nlink = \"section\"\n",
    );
    f.write(
        "content/d.md",
        "---\ntitle: D\n---\n\n## One\n\nA referral.\n\n## Two\n\nAnother referral.\n",
    );
    assert!(f.build().status.success());
    assert_eq!(term_links(&f.read("d.html")).len(), 2);
}
